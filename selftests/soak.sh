#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Soak (issue 7, "hostile input"): traffic through a replicated 3-NF chain
# while NFs are killed with SIGKILL and started again, then exact frame
# accounting, nfvd's memory, and no dead NF left registered.
#
#   ns src                ns fabric: nfvd, XDP on f0 and f1                ns dst
#   s0 nfv-pktgen gen ──▶ f0 ─▶ service 1 (3 replicas) ─▶ service 2 (2) ─▶
#                               service 3 (2) ─▶ f1 ──▶ d0 nfv-pktgen sink
#   every replica an nfv-forward; every SOAK_KILL_MS one of them, picked at
#   random, gets kill -9 and the same NF (name, service) starts again at once;
#   every SOAK_SCRIBBLE_S a hostile NF (service 4, nf_hostile_helper
#   scribble) writes random bytes over its whole segment and the UMEM for
#   a second, then exits: the shared-memory fuzzer of docs/security.md
#
# Environment:
#   SOAK_SECONDS  length of the kill phase, traffic flowing (default 600)
#   SOAK_RATE     frames/s offered, 64 B UDP, 64 flows (default 20000)
#   SOAK_KILL_MS  time between two kills (default 200)
#   SOAK_WARMUP   seconds into the kill phase at which nfvd's RSS is taken
#                 as the reference (default SOAK_SECONDS/6, 10..60)
#   SOAK_SEED     seed of the victim sequence (default: the pid); printed
#   SOAK_SCRIBBLE_S seconds between two scribblers (default 10; 0: none)
#
# Checks, once the kill phase is over and the generator has stopped:
# nfvd is alive; every NF exit was our SIGKILL; frames.inflight is 0 and
# frames.free is back at its baseline (taken with the chain up, before
# traffic); no entry of an honest NF's custody log was refused and no
# honest NF counted a bogus descriptor; nf show lists exactly the live
# replicas, all up, none dead; nfvd holds the segments of those and no
# others; nfvd's VmRSS is within 5% of the reference; traffic still
# crosses the chain (>= 99% of a clean burst, and no more than was sent:
# nfv-pktgen's sink counts frames, it cannot tell a duplicate from a
# frame that was sent once, so duplicates are not ruled out here).
#
# In the middle of the kill phase (SOAK_SECONDS/2) nfvd itself gets kill -9
# and starts again from its state file: the seven NFs must attach again by
# themselves (time printed, checked <= 2 s after nfvd answers), the chain
# must be back, and the kills go on.  nfvd's RSS reference is then taken
# again SOAK_WARMUP after the restart (a new process), if time allows.

source "$(dirname "$0")/lib.sh"
require_root
PKTGEN=$BIN/nfv-pktgen
for f in "$BIN/nfvd" "$BIN/nfv-forward" "$PKTGEN" "$NFV_BPF_OBJ"; do
	[[ -e $f ]] || { echo "1..0 # SKIP $f not built"; exit $ksft_skip; }
done

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_RATE=${SOAK_RATE:-20000}
SOAK_KILL_MS=${SOAK_KILL_MS:-200}
if [[ -z ${SOAK_WARMUP:-} ]]; then
	SOAK_WARMUP=$((SOAK_SECONDS / 6))
	((SOAK_WARMUP < 10)) && SOAK_WARMUP=10
	((SOAK_WARMUP > 60)) && SOAK_WARMUP=60
fi
SOAK_SEED=${SOAK_SEED:-$$}
SOAK_SCRIBBLE_S=${SOAK_SCRIBBLE_S:-10}
RANDOM=$SOAK_SEED
HOSTILE=$TOP/build/selftests/nf_hostile_helper
[[ -x $HOSTILE ]] || SOAK_SCRIBBLE_S=0

# The chain: name -> service.
declare -A SID=([a1]=1 [a2]=1 [a3]=1 [b1]=2 [b2]=2 [c1]=3 [c2]=3)
NAMES=(a1 a2 a3 b1 b2 c1 c2)

echo "TAP version 13"
diag "soak ${SOAK_SECONDS}s, ${SOAK_RATE} frames/s, a kill every ${SOAK_KILL_MS} ms, seed $SOAK_SEED"

# An NF of the chain; its log accumulates over restarts.
nf_start() {
	"$BIN/nfv-forward" --service "${SID[$1]}" --socket "$SOCK" --name "$1" \
		>>"$RUNDIR/$1.log" 2>&1 &
	NF_PID[$1]=$!
}
nfs_kill_all() {
	local n
	for n in "${!NF_PID[@]}"; do
		kill -9 "${NF_PID[$n]}" 2>/dev/null
		wait "${NF_PID[$n]}" 2>/dev/null
	done
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$NFVD_PID/status"; }
rss_parts() {
	awk '/^Rss(Anon|File|Shmem):/ { printf "%s %s kB ", $1, $2 }' \
		"/proc/$NFVD_PID/status"
}
# What the NFs' segments nfvd holds really hold, in kB, and how many.
segs_kb() {
	local f kb=0
	for f in /proc/"$NFVD_PID"/fd/*; do
		[[ $(readlink "$f") == *nfv-seg* ]] || continue
		kb=$((kb + $(stat -L -c %b "$f") / 2))
	done
	echo $kb
}
segs_n() {
	local f n=0
	for f in /proc/"$NFVD_PID"/fd/*; do
		[[ $(readlink "$f") == *nfv-seg* ]] && n=$((n + 1))
	done
	echo $n
}
nfvd_answers() { nfvctl stats >/dev/null 2>&1; }
all_up() {
	[[ $(nfvctl -j nf show 2>/dev/null | jq '[.[] | select(.state == "up")] | length') -eq ${#NAMES[@]} ]]
}
rss_settled() {
	[[ -n $rss_warm ]] &&
		((rss_end * 100 <= rss_warm * 105 && rss_end * 100 >= rss_warm * 95))
}
fstats() { nfvctl -j stats | jq "$1"; }

setup_topology >/dev/null
start_nfvd || { echo "Bail out! nfvd did not start"; exit 1; }
defer nfs_kill_all
for n in "${NAMES[@]}"; do
	nf_start "$n"
done
for s in 1 2 3; do
	wait_replicas "$s" "$(printf '%s\n' "${SID[@]}" | grep -cx "$s")" ||
		{ echo "Bail out! replicas of service $s did not come up"; exit 1; }
done
nfvctl port add f1 >/dev/null &&
nfvctl chain add 1 service 1 service 2 service 3 out f1 >/dev/null &&
nfvctl port add f0 default-chain 1 >/dev/null ||
	{ echo "Bail out! cannot set up the chain"; exit 1; }
busywait 3000 eval '[[ $(fstats .frames.inflight) -eq 0 ]]'
BASE_FREE=$(fstats .frames.free)
diag "frames: $(nfvctl stats | head -2 | tail -1)"

# Traffic for the whole kill phase (plus a little: the sink outlives it).
# Not through in_src/in_dst: $! must be the program, for the deferred kill.
ip netns exec "$NS_DST" "$PKTGEN" sink -i d0 -d $((SOAK_SECONDS + 8)) -j >"$RUNDIR/sink.json" 2>&1 &
SINK_PID=$!
defer "kill $SINK_PID"
busywait 3000 grep -qs ready "$RUNDIR/sink.json"
ip netns exec "$NS_SRC" "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" \
	-r "$SOAK_RATE" -f 64 -d "$SOAK_SECONDS" -j >"$RUNDIR/gen.json" 2>&1 &
GEN_PID=$!
defer "kill $GEN_PID"

# The kill phase.
kills=0 unexpected=0 rss_warm= restarted=0 reattach_ms= restart_ok=1
scribbles=0 SCRIBBLE_PID=
t0=${EPOCHREALTIME/./}
t_scribble=$((t0 + SOAK_SCRIBBLE_S * 1000000))
t_end=$((t0 + SOAK_SECONDS * 1000000))
t_restart=$((t0 + SOAK_SECONDS * 500000))
t_warm=$((t0 + SOAK_WARMUP * 1000000))
next=$t0
while :; do
	now=${EPOCHREALTIME/./}
	((now >= t_end)) && break
	if ((now >= t_warm)) && [[ -z $rss_warm ]]; then
		rss_warm=$(rss_kb)
		diag "nfvd VmRSS ${SOAK_WARMUP}s after its start: $rss_warm kB ($(rss_parts)), segments $(segs_kb) kB, $kills kills so far"
	fi
	if ((!restarted && now >= t_restart)); then
		# nfvd restart: no NF is killed or started meanwhile, and no
		# scribbler is around (one that never lets go of the old
		# nfvd's sockets delays the new one: docs/security.md).
		[[ -n $SCRIBBLE_PID ]] && kill -9 "$SCRIBBLE_PID" 2>/dev/null &&
			wait "$SCRIBBLE_PID" 2>/dev/null
		restarted=1
		kill -9 "$NFVD_PID"
		wait "$NFVD_PID" 2>/dev/null
		diag "nfvd killed (-9) after $kills kills"
		ts=${EPOCHREALTIME/./}
		start_nfvd
		busywait 10000 nfvd_answers || restart_ok=0
		tu=${EPOCHREALTIME/./}
		if busywait 5000 all_up; then
			tr=${EPOCHREALTIME/./}
			reattach_ms=$(((tr - tu) / 1000))
			diag "new nfvd answers $(((tu - ts) / 1000)) ms after its start; all ${#NAMES[@]} NFs up again $reattach_ms ms later"
		else
			restart_ok=0
			diag "NFs up after the nfvd restart: $(nfvctl -j nf show | jq -c '[.[] | "\(.name):\(.state)"]')"
		fi
		rss_warm=
		t_warm=$((${EPOCHREALTIME/./} + SOAK_WARMUP * 1000000))
		((t_warm >= t_end)) && t_warm=$((t_end - 1000000))
		next=${EPOCHREALTIME/./}
		continue
	fi
	if ((SOAK_SCRIBBLE_S && now >= t_scribble)); then
		[[ -n $SCRIBBLE_PID ]] && wait "$SCRIBBLE_PID" 2>/dev/null
		"$HOSTILE" "$SOCK" 4 scribble 1 >>"$RUNDIR/scribble.log" 2>&1 &
		SCRIBBLE_PID=$!
		defer "kill -9 $SCRIBBLE_PID 2>/dev/null"
		scribbles=$((scribbles + 1))
		t_scribble=$((now + SOAK_SCRIBBLE_S * 1000000))
	fi
	victim=${NAMES[RANDOM % ${#NAMES[@]}]}
	kill -9 "${NF_PID[$victim]}" 2>/dev/null
	wait "${NF_PID[$victim]}" 2>/dev/null
	status=$?
	if ((status != 137)); then
		unexpected=$((unexpected + 1))
		diag "$victim (pid ${NF_PID[$victim]}) had exited by itself, status $status"
	fi
	nf_start "$victim"
	kills=$((kills + 1))
	next=$((next + SOAK_KILL_MS * 1000))
	now=${EPOCHREALTIME/./}
	((next > now)) && sleep "$(printf '0.%06d' $((next - now)))"
done
[[ -n $SCRIBBLE_PID ]] && wait "$SCRIBBLE_PID" 2>/dev/null
diag "$scribbles scribblers: $(grep -c scribbled "$RUNDIR/scribble.log" 2>/dev/null) scribbled and exited"
check "nfvd alive after $kills kills and $scribbles scribblers" kill -0 "$NFVD_PID"
check "nfvd restarted from its state in the middle, all NFs back within 2 s (${reattach_ms:-never} ms)" \
	[ "$restarted" -eq 1 -a "$restart_ok" -eq 1 -a "${reattach_ms:-9999}" -le 2000 ]
wait "$GEN_PID"
wait "$SINK_PID"
sent=$(jq .sent "$RUNDIR/gen.json" 2>/dev/null)
recv=$(tail -1 "$RUNDIR/sink.json" | jq .received 2>/dev/null)
diag "traffic: ${sent:-?} frames sent, ${recv:-?} received ($(echo "scale=2; 100 * ${recv:-0} / ${sent:-1}" | bc)%) during the kill phase"
dups=$(tail -1 "$RUNDIR/sink.json" | jq .dups 2>/dev/null)
check "no more frames arrived than were sent (${recv:-?} <= ${sent:-?})" \
	[ "${recv:-1}" -le "${sent:-0}" ]
check "none arrived twice (the sink's duplicate count: ${dups:-?})" \
	[ "${dups:-1}" -eq 0 ]
check "every NF exit was our SIGKILL ($unexpected were not)" [ "$unexpected" -eq 0 ]

# Settled: the last NFs restarted are up again, frames came home.
for s in 1 2 3; do
	wait_replicas "$s" "$(printf '%s\n' "${SID[@]}" | grep -cx "$s")"
done
busywait 5000 eval '[[ $(fstats .frames.inflight) -eq 0 && $(fstats .frames.free) -eq $BASE_FREE ]]'
free=$(fstats .frames.free) inflight=$(fstats .frames.inflight)
diag "frames: $(nfvctl stats | head -2 | tail -1), reclaimed $(fstats .reclaimed)"
[[ $inflight -eq 0 ]] ||
	diag "held by NF: $(nfvctl -j nf show | jq -c '[.[] | {(.name): .held}] | add')"
check "frames.inflight 0 once traffic stopped ($inflight)" [ "$inflight" -eq 0 ]
check "frames.free back at its baseline ($free/$BASE_FREE)" [ "$free" -eq "$BASE_FREE" ]
nfs=$(nfvctl -j nf show)
honest='[.[] | select(.service <= 3)]'
refused=$(jq "$honest | map(.refused) | add // 0" <<<"$nfs")
bad=$(jq "$honest | map(.bad_desc) | add // 0" <<<"$nfs")
diag "refused log entries: $(fstats .refused) in all, $refused of honest NFs; forged completions $(fstats .forged_tx)"
check "no custody entry of an honest NF refused ($refused)" [ "$refused" -eq 0 ]
check "no bogus descriptor counted by an honest NF ($bad)" [ "$bad" -eq 0 ]

want=$(for n in "${NAMES[@]}"; do echo "$n ${NF_PID[$n]}"; done | sort)
have=$(jq -r '.[] | "\(.name) \(.pid)"' <<<"$nfs" | sort)
dead=$(jq '[.[] | select(.state != "up")] | length' <<<"$nfs")
diag "nf show: $(jq -c '[.[] | "\(.id):\(.name):\(.state)"]' <<<"$nfs")"
check "no dead NF registered ($dead not up)" [ "$dead" -eq 0 ]
check "nf show lists exactly the ${#NAMES[@]} live NFs" [ "$want" = "$have" ]
check "nfvd holds the segments of those ${#NAMES[@]} and no others ($(segs_n))" \
	[ "$(segs_n)" -eq ${#NAMES[@]} ]

rss_end=$(rss_kb)
diag "nfvd VmRSS: ${rss_warm:-?} kB after warm-up (after the restart), $rss_end kB at the end ($(rss_parts)), segments $(segs_kb) kB"
check "nfvd RSS within 5% of where it settled (${rss_warm:-?} -> $rss_end kB)" \
	rss_settled

# And the chain still works.
ip netns exec "$NS_DST" "$PKTGEN" sink -i d0 -d 4 -j >"$RUNDIR/sink2.json" 2>&1 &
SINK_PID=$!
defer "kill $SINK_PID"
busywait 3000 grep -qs ready "$RUNDIR/sink2.json"
in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -r 10000 -f 64 -n 5000 -j \
	>"$RUNDIR/gen2.json" 2>&1
wait "$SINK_PID"
sent=$(jq .sent "$RUNDIR/gen2.json" 2>/dev/null)
recv=$(tail -1 "$RUNDIR/sink2.json" | jq .received 2>/dev/null)
dups=$(tail -1 "$RUNDIR/sink2.json" | jq .dups 2>/dev/null)
check "traffic crosses the chain afterwards (${recv:-0}/${sent:-?}, none twice: ${dups:-?} duplicates)" \
	[ "${recv:-0}" -ge $((${sent:-5000} * 99 / 100)) -a "${recv:-0}" -le "${sent:-0}" -a "${dups:-1}" -eq 0 ]
check "nfvd alive at the end" kill -0 "$NFVD_PID"
echo "1..$_tap_n"
tap_exit
