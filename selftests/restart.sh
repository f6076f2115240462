#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvd restarts (module-less backend): kill -9 of nfvd and a new start.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ a -> b(2 replicas) -> c ]== f1 --- d0 198.18.0.2
#                     f0 also has 198.18.0.254 (the fabric's own kernel)
#
# Asserts: ports, chains (tap hop included), flows, services and NF ids
# identical before and after; the NFs attach again by themselves within
# 2 s (the figure is printed); traffic byte-exact afterwards, also after a
# kill under traffic; frames.free back at baseline; while nfvd is down a
# fail-open port hands traffic to the kernel and a fail-closed port drops
# it, counted; a corrupt state file refuses the start with a clear error
# and changes nothing; --reset starts empty.

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -f $NFV_BPF_OBJ ]] || { echo "1..0 # SKIP $NFV_BPF_OBJ not built"; exit $ksft_skip; }
command -v bpftool >/dev/null || { echo "1..0 # SKIP bpftool missing"; exit $ksft_skip; }

STATE=$RUNDIR/nfvd.state
FAIL_AFTER=500		# nfvd's default --fail-after
N_FLOWS=20000		# enough for a snapshot to replace the journal

tap_plan 30

# A running nfvd answers; the socket file alone proves nothing after -9.
nfvd_up() { busywait 10000 eval 'nfvctl stats >/dev/null 2>&1'; }

restart_nfvd() {	# kill -9, then a new nfvd with ARGS; sets T_START
	kill -9 "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null
	[[ -n ${1:-} ]] && sleep "$1"
	shift
	T_START=$(date +%s%N)
	start_nfvd "$@"
	nfvd_up
}

all_up() {	# all 4 NFs attached and up again
	[[ $(nfvctl -j nf show 2>/dev/null | jq '[.[] | select(.state == "up")] | length') -eq 4 ]]
}

frames_back_to_baseline() {
	busywait 3000 eval '[[ $(frames_free) -eq $BASE_FREE ]]' || {
		diag "frames free $(frames_free), baseline $BASE_FREE"
		grep -e refused -e lost "$RUNDIR/nfvd.log" | head -20 |
			sed 's/^/# /'
		return 1
	}
}

# Everything nfvctl shows of the configuration, counters left out.
config_dump() {
	local o
	for o in port chain flow service nf; do
		echo "== $o"
		nfvctl -j "$o" show | jq -S 'map(del(.stats, .rx, .tx, .drop,
			.next, .bad_desc, .held, .ring_full, .no_replica,
			.override_denied, .csum_fixed, .tap_overflow, .bp_waits,
			.bp_timeouts, .sched_switches))'
	done
}

# Counter NAME of port id PORT of the classifier attached to DEV, read
# from its map (works while nfvd is down).
xdp_counter() {	# xdp_counter DEV PORT NAME
	local idx prog map
	case $3 in
	rx) idx=0 ;; pass) idx=1 ;; fail_closed) idx=13 ;;
	esac
	prog=$(ip -n "$NS_FAB" -j link show "$1" | jq '.[0].xdp.prog.id')
	map=$(for m in $(bpftool -j prog show id "$prog" | jq '.map_ids[]'); do
		bpftool -j map show id "$m"; done |
		jq -s '.[] | select(.name == "nfv_xdp_stats") | .id')
	bpftool -j map lookup id "$map" key "$2" 0 0 0 |
		jq 'def hex: ltrimstr("0x") | ascii_downcase | explode |
			map(if . >= 97 then . - 87 else . - 48 end) |
			reduce .[] as $d (0; . * 16 + $d);
		    [.values[] | .value['"$((idx * 8)):$((idx * 8 + 8))"'] |
		     to_entries | map((.value | hex) * pow(256; .key)) | add] | add'
}

# ---------------------------------------------------------------------

setup_topology
ip -n "$NS_FAB" addr add 198.18.0.254/24 dev f0
start_nfvd || { diag "nfvd did not start"; cat "$RUNDIR/nfvd.log"; exit 1; }
nfvd_up
nfvctl port add f1 >/dev/null
nfvctl port add f0 >/dev/null
BASE_FREE=$(frames_free)
diag "frames free at baseline: $BASE_FREE"

# The configuration: every kind of object and option.
start_nf a 1; start_nf b1 2; start_nf b2 2; start_nf t 3 --readonly
wait_replicas 1 1 && wait_replicas 2 2 && wait_replicas 3 1
nfvctl port del f0 >/dev/null
nfvctl port add f0 default-chain 1 fail open >/dev/null
nfvctl port del f1 >/dev/null
nfvctl port add f1 default-chain 2 fail closed csum keep decap vxlan vni 42 >/dev/null
nfvctl chain add 1 service 1 tap service 3 service 2 out f1 >/dev/null
nfvctl chain add 2 service 2 service 1 out f0 >/dev/null
nfvctl chain add 3 drop override deny >/dev/null
nfvctl chain add 4 service 1 out f1 >/dev/null
nfvctl chain replace 4 service 2 out f1 >/dev/null
nfvctl chain del 3 >/dev/null
nfvctl flow add in f0 proto udp src 198.18.0.0/24 dport 7000-7100 chain 4 >/dev/null
nfvctl flow add proto tcp src fd00:198:18::/64 chain 1 >/dev/null
{
	for ((i = 0; i < N_FLOWS; i++)); do
		echo "flow add proto udp src 198.19.$((i / 250)).$((i % 250 + 1)) dst 198.18.0.2 sport 1000 dport 2000 chain 4"
	done
	echo "flow del proto udp src 198.19.0.1 dst 198.18.0.2 sport 1000 dport 2000"
} >"$RUNDIR/flows.batch"
t0=$(date +%s%N)
nfvctl -batch "$RUNDIR/flows.batch" >/dev/null
diag "nfvctl -batch with $N_FLOWS flows (journaled): $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# An ack never goes out before its request's record is written: nfvd
# holds the acks of a pass over nfvctl's requests until the pass's one
# journal write.  Under strace, at every send of acks on the control
# socket, the acks sent so far are at most the flow records written to
# the state file so far (all of one size: the lines differ in addresses
# only), and in the end there is one record per ack.
acks_after_records() {	# STRACE_LOG
	awk -v state="$STATE>" '
		function fd_of(call,	f) { f = call; sub(/^[a-z]+\(/, "", f); sub(/<.*/, "", f); return f }
		# First reading: the socket of nfvctl, the one most acks went to
		# (an NF may be answered too meanwhile).
		NR == FNR {
			if ($2 ~ /^sendmmsg\(/ && $NF ~ /^[0-9]+$/ && (n_to[fd_of($2)] += $NF) > most) {
				most = n_to[fd_of($2)]; ctl = fd_of($2)
			}
			next
		}
		/ = [0-9]+$/ {
			ret = $NF
			fd = fd_of($2)
			if ($2 ~ /^write\(/ && index($2, state)) { written += ret; writes++ }
			else if ($2 ~ /^sendmmsg\(/ && fd == ctl) { acks += ret; seen[++n] = acks; at[n] = written }
			else if ($2 ~ /^sendmsg\(/ && fd == ctl) { acks++; seen[++n] = acks; at[n] = written }
		}
		END {
			if (!acks || written % acks) {
				printf "%d acks, %d bytes in %d journal writes: not one record per ack\n", acks, written, writes
				exit 1
			}
			rec = written / acks
			for (i = 1; i <= n; i++)
				if (seen[i] * rec > at[i]) {
					printf "send %d: %d acks out, %d records written\n", i, seen[i], at[i] / rec
					exit 1
				}
			printf "%d acks in %d sends, %d journal writes of %d-byte records\n", acks, n, writes, rec
		}' "$1" "$1"
}
for ((i = 0; i < 2000; i++)); do
	echo "flow add proto udp src 198.19.$((240 + i / 250)).$((i % 250 + 1)) dst 198.18.0.2 sport 1000 dport 2000 chain 4"
done >"$RUNDIR/acked.batch"
strace -f -qq -y -e trace=write,sendmsg,sendmmsg -e signal=none -s 0 \
	-o "$RUNDIR/acked.strace" -p "$NFVD_PID" &
spid=$!
busywait 5000 eval '[[ $(awk "/^TracerPid/ { print \$2 }" /proc/$NFVD_PID/status) -ne 0 ]]'
nfvctl -batch "$RUNDIR/acked.batch" >/dev/null
rc=$?
kill -INT $spid; wait $spid
check "journal first: 2000 flows acked, no ack ahead of its record (strace of nfvd)" \
	eval '[[ $rc -eq 0 ]] && acks_after_records "$RUNDIR/acked.strace"'
sed 's/flow add \(.*\) chain 4/flow del \1/' "$RUNDIR/acked.batch" | nfvctl -batch - >/dev/null

check "before: 300/300 datagrams through a -> b -> out" udp_exact 300 1000
config_dump >"$RUNDIR/config.before"
ids_before=$(nfvctl -j nf show | jq -c 'map({id, name}) | sort_by(.id)')
check "state file is 0600" eval '[[ $(stat -c %a "$STATE") == 600 ]]'

# ---- kill -9, wait past the heartbeat timeout, start again -----------

restart_nfvd 1
t_listen=$(( ($(date +%s%N) - T_START) / 1000000 ))
busywait 5000 all_up
t_up=$(( ($(date +%s%N) - T_START) / 1000000 ))
diag "restart: listening after $t_listen ms, all 4 NFs up again after $t_up ms (from the new nfvd's start)"
check "NFs attached again by themselves within 2 s of the restart ($t_up ms)" \
	eval "[[ $t_up -lt 2000 ]] && all_up"
config_dump >"$RUNDIR/config.after"
check "ports, chains, flows, services, NFs identical after kill -9" \
	diff -u "$RUNDIR/config.before" "$RUNDIR/config.after"
check "every NF has its id back" \
	eval "[[ \$(nfvctl -j nf show | jq -c 'map({id, name}) | sort_by(.id)') == '$ids_before' ]]"
check "$N_FLOWS exact flows restored" \
	eval "[[ \$(nfvctl -j flow show | jq '[.[] | select(.exact)] | length') -eq $((N_FLOWS - 1)) ]]"
grep "records restored" "$RUNDIR/nfvd.log" | sed 's/^/# /'
check "the journal was compacted into a snapshot on the way" \
	eval "[[ \$(stat -c %s '$STATE') -lt $(( (N_FLOWS + 100) * 128 )) ]]"

check "after: 300/300 datagrams intact" udp_exact 300 1000
out=$(DST_ADDR=198.18.0.2 udp_through 200 1400 7050)
check "after: the prefix rule's chain delivers too (200/200)" \
	[ "$out" = "received 200 bad 0 dup 0 bytes 280000" ]
check "after: ping both ways through the chains" \
	ping_all in_src -c 3 -i 0.2 -W 1 -q 198.18.0.2
check "after: frames.free back at baseline" frames_back_to_baseline

# ---- kill -9 under traffic: NFs in the middle of a batch --------------

in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9100 60000 500 20000 >/dev/null 2>&1 &
flood=$!
sleep 0.5
restart_nfvd 0.2
busywait 5000 all_up
t_up=$(( ($(date +%s%N) - T_START) / 1000000 ))
diag "under traffic: all 4 NFs up again after $t_up ms"
check "under traffic: NFs back within 2 s ($t_up ms)" \
	eval "[[ $t_up -lt 2000 ]] && all_up"
wait "$flood"
for nf in a b1 b2 t; do
	check "under traffic: NF $nf still running" kill -0 "${NF_PID[$nf]}"
done
check "under traffic: afterwards 300/300 datagrams intact" udp_exact 300 1000
check "under traffic: frames.free back at baseline" frames_back_to_baseline
check "under traffic: configuration unchanged" \
	eval 'config_dump | diff -u "$RUNDIR/config.before" - | sed "s/^/# /"; [[ ${PIPESTATUS[1]} -eq 0 ]]'

# ---- while nfvd is down: fail open (f0) and fail closed (f1) ----------

check "up: the chain takes f0's traffic, the fabric's kernel does not answer" \
	eval '! in_src ping -c 2 -i 0.2 -W 1 -q 198.18.0.254'
kill -9 "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null
sleep $(( FAIL_AFTER / 1000 + 1 ))
pass0=$(xdp_counter f0 2 pass)
check "down, fail open: f0's traffic reaches the fabric's kernel" \
	ping_all in_src -c 3 -i 0.2 -W 1 -q 198.18.0.254
pass1=$(xdp_counter f0 2 pass)
check "down, fail open: passed frames counted ($pass0 -> $pass1)" \
	eval "[[ $((pass1 - pass0)) -ge 3 ]]"
fc0=$(xdp_counter f1 1 fail_closed)
in_src "$TRAFFIC" udp-recv 9200 50 1000 >"$RUNDIR/closed.out" 2>&1 &
rpid=$!
busywait 2000 grep -qs ready "$RUNDIR/closed.out"
in_dst "$TRAFFIC" udp-send 198.18.0.1 9200 50 200 >/dev/null 2>&1
wait $rpid
fc1=$(xdp_counter f1 1 fail_closed)
diag "down, fail closed: $(tail -1 "$RUNDIR/closed.out"); fail_closed $fc0 -> $fc1"
check "down, fail closed: nothing crosses f1" \
	grep -q "received 0 " "$RUNDIR/closed.out"
check "down, fail closed: every dropped frame counted (>= 50)" \
	eval "[[ $((fc1 - fc0)) -ge 50 ]]"

# ---- a corrupt state file refuses the start --------------------------

cp "$STATE" "$RUNDIR/state.good"
corrupt_refused() {	# corrupt_refused HOW: nfvd exits 1, says so, file kept
	cp "$RUNDIR/state.good" "$STATE"
	case $1 in
	truncate) truncate -s -7 "$STATE" ;;
	flip) printf '\xff' | dd of="$STATE" bs=1 seek=$(( $(stat -c %s "$STATE") / 2 )) conv=notrunc 2>/dev/null ;;
	magic) printf 'XX' | dd of="$STATE" bs=1 seek=0 conv=notrunc 2>/dev/null ;;
	esac
	cp "$STATE" "$RUNDIR/state.bad"
	local rc=0
	timeout -k 5 20 ip netns exec "$NS_FAB" "$BIN/nfvd" --socket "$SOCK" \
		--bpf "$NFV_BPF_OBJ" --state "$STATE" >"$RUNDIR/corrupt.log" 2>&1 || rc=$?
	sed 's/^/# /' "$RUNDIR/corrupt.log" | head -3
	[[ $rc -eq 1 ]] && grep -q "is corrupt" "$RUNDIR/corrupt.log" &&
		grep -q -- "--reset" "$RUNDIR/corrupt.log" &&
		cmp -s "$STATE" "$RUNDIR/state.bad"
}
check "corrupt state (truncated): refused, clear error, file untouched" corrupt_refused truncate
check "corrupt state (a byte flipped): refused" corrupt_refused flip
check "corrupt state (bad magic): refused" corrupt_refused magic

# ---- --reset: empty ----------------------------------------------------

T_START=$(date +%s%N)
start_nfvd --reset
nfvd_up
check "--reset: no port, chain, flow" \
	eval '[[ $(nfvctl -j port show | jq length) -eq 0 && $(nfvctl -j chain show | jq length) -eq 0 && $(nfvctl -j flow show | jq length) -eq 0 ]]'
check "--reset: the gone nfvd's classifiers are detached" \
	eval '! ip -n "$NS_FAB" link show f0 | grep -q xdp'

# Clean up: NFs attached to the new nfvd are still ours to stop.
diag "nfvd log (last start):"
sed 's/^/# /' "$RUNDIR/nfvd.log" | tail -20
tap_exit
