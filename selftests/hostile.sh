#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile NFs (docs/security.md, the threat model): an NF is arbitrary
# code with nothing but nfvd's socket.  Each case below is one attack by
# selftests/nf_hostile_helper.c, a real hostile program (raw writes to
# the memory it maps, raw messages), against a fabric carrying an honest
# chain.  After every attack:
#   - nfvd is alive and answers;
#   - the ledger adds up: free + fill + inflight == total, and the
#     in-flight frames are where it says (kernel, held, transit, tx,
#     tapped);
#   - the honest 2-NF chain delivers >= 99% of 1000 datagrams from a
#     stock veth peer, byte for byte;
#   - once the attacker is gone, frames.free is back at its baseline.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ a (svc 1) -> b (svc 2) ]== f1 --- d0 198.18.0.2
#                          [ attacker (svc 3): UDP dport 9500 ]
#
# Control-socket attacks (floods, connections, attaches without READY)
# are in hostile_control.sh.

source "$(dirname "$0")/lib.sh"
require_root
HOSTILE=$TOP/build/selftests/nf_hostile_helper
[[ -x $HOSTILE ]] || { echo "1..0 # SKIP $HOSTILE not built"; exit $ksft_skip; }
getent group nogroup >/dev/null || { echo "1..0 # SKIP no group nogroup"; exit $ksft_skip; }

tests=(
	scribble_then_exit
	shm_fuzz_under_traffic
	forged_custody
	forged_custody_exact
	readonly_cannot_write
	writable_cannot_write_others
	peers_only_through_chains
	readonly_forges_relay
	readonly_relay_within_reach
	writable_forges_relay
	writable_relay_within_reach
	tx_socket_late_relayed
	rx_socket_grows_tx_ring
	frame_hoarder
	frame_hoarder_killed
	lane_given_back_unlogged
	lane_given_back_dropped_late
	lane_given_back_stalling
	lane_given_back_nfvd_late
	lane_filled_with_lies
	to_service_ping_pong
	reclaim_stopped_consumer_producer_first
	reclaim_stopped_consumer_consumer_first
	flow_rules_within_policy
	flow_rules_kept
	flow_rules_nfvd_restart
	sockets_kept_across_restart
	nsh_meta_forged
	sleep_room_forged
	sched_switches_forged
)
[[ $# -gt 0 ]] && tests=("$@")

NFVD_ARGS=()
BASE_FREE=

setup_fabric() {
	setup_topology
	# IPv4 only: the peers' IPv6 chatter (MLD, router solicitations)
	# would cross the honest chain and blur what reaches d0.
	in_src sysctl -qw net.ipv6.conf.s0.disable_ipv6=1
	in_fab sysctl -qw net.ipv6.conf.f1.disable_ipv6=1
	chmod 755 "$RUNDIR"
	cat >"$RUNDIR/policy" <<'P'
user root      services all
group nogroup  services 3-4  flows chains 2 max 5
P
	start_nfvd --socket-group nogroup --policy "$RUNDIR/policy" \
		"${NFVD_ARGS[@]}" || { diag "nfvd did not start"; exit 1; }
	nfvctl port add f1 >/dev/null || exit 1
	nfvctl port add f0 >/dev/null || exit 1
	BASE_FREE=$(frames_free)
	start_nf a 1
	start_nf b 2
	wait_replicas 1 1 && wait_replicas 2 1
	nfvctl chain add 1 service 1 service 2 out f1 >/dev/null
	nfvctl chain add 2 service 3 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9500 chain 2 >/dev/null
	nfvctl port del f0 >/dev/null
	nfvctl port add f0 default-chain 1 >/dev/null
}

reset_fabric() {
	run_deferred
	NF_PID=()
	SUFFIX=$((SUFFIX + 1))
	NS_SRC=nfv-src-$SUFFIX NS_FAB=nfv-fab-$SUFFIX NS_DST=nfv-dst-$SUFFIX
	RUNDIR=$(mktemp -d /tmp/nfv-test.XXXXXX)
	SOCK=$RUNDIR/nfvd.sock
	[[ -n ${NFV_KEEP:-} ]] || defer rm -rf "$RUNDIR"
}

HPID=
# hostile [--nobody|--rootnocaps] SID MODE [ARG]: the attacker, in the
# background; its output in $RUNDIR/hostile.out.
hostile() {
	local pre=()
	case $1 in
	--nobody)
		pre=(setpriv --reuid 65534 --regid 65534 --init-groups)
		shift ;;
	--rootnocaps)
		pre=(setpriv --inh-caps=-all --bounding-set=-all)
		shift ;;
	esac
	"${pre[@]}" "$HOSTILE" "$SOCK" "$@" >"$RUNDIR/hostile.out" 2>&1 &
	HPID=$!
	defer "kill -9 $HPID 2>/dev/null; wait $HPID 2>/dev/null"
}

kill_hostile() {
	kill -9 "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
}

# HSTATUS: the attacker's exit status once it is gone by itself within
# MS ms; still alive then: we kill it, and say so with 255.
hostile_exit() {
	if busywait "$1" eval '! kill -0 $HPID 2>/dev/null'; then
		wait "$HPID" 2>/dev/null
		HSTATUS=$?
	else
		kill_hostile
		HSTATUS=255
	fi
}

# The ledger adds up, by what nfvd says.
ledger_adds_up() {
	nfvctl -j stats | jq -e '.frames |
		.free + .fill + .inflight == .total and
		.kernel + .held + .transit + .tx + .tapped == .inflight' >/dev/null
}

# Frames d0 received: whatever the fabric sent out of f1 (no IPv6 on s0
# and f1: no multicast chatter).
d0_rx() {
	ip -n "$NS_DST" -j -s link show d0 | jq '.[0].stats64.rx.packets'
}

frames_back() { busywait $((3000 * TIME_SCALE)) eval '[[ $(frames_free) -eq $BASE_FREE ]]'; }

# What must hold after any attack; $1 names it.
survived() {
	local what=$1 out n t0 ms
	t0=$(date +%s%N)
	check "$what: nfvd alive and answering" \
		timeout -k 5 2 ip netns exec "$NS_FAB" "$BIN/nfvctl" -s "$SOCK" stats
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	diag "$what: nfvctl stats answered in $ms ms"
	check "$what: the ledger adds up" ledger_adds_up
	out=$(udp_through 1000 200)
	n=$(awk '{print $2}' <<<"$out")
	diag "$what: honest chain: $out"
	check "$what: honest chain delivers >= 99% of 1000 datagrams intact" \
		eval '[[ ${n:-0} -ge 990 && $out == *" bad 0 "* ]]'
	check "$what: honest NFs still running" \
		kill -0 "${NF_PID[a]}" "${NF_PID[b]}"
	kill_hostile
	# Traffic once it is gone: this also takes back a frame the kernel
	# keeps in a pool of its own after an rx ring overflowed (an
	# attacker that never reads its ring): the next frame on that
	# queue gets it (docs/design.md §3).
	out=$(udp_through 100 200)
	check "$what: and after it is gone (100 datagrams: $out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
	check "$what: frames.free back at baseline once the attacker is gone" \
		frames_back ||
		diag "$what: where they are: $(nfvctl -j stats | jq -c .frames), held: $(nfvctl -j nf show | jq -c 'map({(.name): .held}) | add')"
	diag "$what: frames free $(frames_free), baseline $BASE_FREE"
}

# ---------------------------------------------------------------------

scribble_then_exit() {
	hostile 3 scribble 1
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 200 200 >/dev/null
	hostile_exit $((8000 * TIME_SCALE))
	diag "scribble: $(grep scribbled "$RUNDIR/hostile.out"), exit status $HSTATUS"
	check "scribble: attacker scribbled and exited by itself" \
		eval '[[ $HSTATUS -eq 0 ]] && grep -q scribbled "$RUNDIR/hostile.out"'
	survived scribble
}

shm_fuzz_under_traffic() {
	hostile 3 scribble 3
	wait_replicas 3 1
	# Traffic to the attacker and through the honest chain meanwhile.
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 3000 200 >/dev/null &
	local spid=$!
	local out
	out=$(udp_through 1000 200)
	wait $spid
	diag "shm fuzz: honest chain while it scribbled: $out"
	busywait $((8000 * TIME_SCALE)) grep -q scribbled "$RUNDIR/hostile.out"
	diag "shm fuzz: $(grep scribbled "$RUNDIR/hostile.out")"
	survived "shm fuzz"
}

forged_custody() {
	hostile 3 forge 2
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 20 200 >/dev/null
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	# The victim b reads its lane when traffic wakes it.
	udp_through 10 100 >/dev/null
	sed 's/^/# hostile: /' "$RUNDIR/hostile.out"
	local refused forged bad_b
	refused=$(nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .refused')
	forged=$(nfvctl -j stats | jq .forged_tx)
	bad_b=$(nfvctl -j nf show | jq '.[] | select(.name == "b") | .bad_desc')
	diag "forge: refused $refused, forged_tx $forged, victim bad_desc $bad_b"
	check "forge: nfvd refused the forged custody entries (>= 389)" \
		[ "${refused:-0}" -ge 389 ]
	check "forge: and applied none of its takes of frames in no rx ring of its (held 8 or less)" \
		eval '[[ $(nfvctl -j nf show | jq ".[] | select(.name == \"hostile\") | .held") -le 8 ]]'
	check "forge: completions of frames it did not hold freed nothing (forged_tx >= 1)" \
		[ "${forged:-0}" -ge 1 ]
	check "forge: the victim counted the 4 malformed lane descriptors and the index jump (>= 5)" \
		[ "${bad_b:-0}" -ge 5 ]
	survived forge
}

# One entry for each refusal of the ledger's that a frame really held
# can meet (a frame sent on, then transmitted or dropped; a second tap
# of one frame to one NF; a frame handed to nfvd to transmit by an NF
# that is not read-only; a frame moved once more than its budget, with
# moves to itself: nfvd's own count, whatever libnfv says): exactly 5
# refused, nothing else.  Two of the frames stay in transit to b
# without a lane descriptor: when the attacker is gone, nfvd must take
# them back (frames.free back).
forged_custody_exact() {
	hostile 3 custody 2
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 20 200 >/dev/null
	busywait $((8000 * TIME_SCALE)) grep -q "^custody:" "$RUNDIR/hostile.out"
	sed 's/^/# hostile: /' "$RUNDIR/hostile.out"
	refused() {
		nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .refused'
	}
	busywait $((3000 * TIME_SCALE)) eval '[[ $(refused) -ge 5 ]]'
	sleep 0.5
	local n loops
	n=$(refused)
	loops=$(nfvctl -j stats | jq .loop_drop)
	check "custody: exactly the 5 forged entries refused ($n)" \
		[ "${n:-0}" -eq 5 ]
	check "custody: one of them for the move budget (loop_drop $loops)" \
		[ "${loops:-0}" -eq 1 ]
	survived "custody"
	check "custody: the attacker's id freed" \
		busywait $((3000 * TIME_SCALE)) eval \
		'[[ $(nfvctl -j nf show | jq length) -eq 2 ]]'
}

# Every attempt of the attacker's must have been refused.
none_allowed() {
	! grep -q ALLOWED "$RUNDIR/hostile.out" &&
		[[ $(grep -c -E ': (Permission denied|Operation not permitted|Bad file descriptor)$' "$RUNDIR/hostile.out") -ge $1 ]]
}

readonly_cannot_write() {
	local who
	for who in --nobody --rootnocaps; do
		hostile "$who" 3 readonly 2
		busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
		sed "s/^/# ro $who: /" "$RUNDIR/hostile.out"
		# umem 6, tables 6, own segment 6, a peer's segment 6.
		check "read-only ($who): every write to the UMEM, the tables and segments refused" \
			none_allowed 24
		check "read-only ($who): it got a peer's segment to try" \
			grep -q "^peer-seg reopen" "$RUNDIR/hostile.out"
		kill_hostile
	done
	survived "read-only"
}

writable_cannot_write_others() {
	hostile --nobody 3 writable 2
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	sed 's/^/# rw: /' "$RUNDIR/hostile.out"
	check "writable NF: the tables and every segment stay out of reach" \
		none_allowed 18
	survived "writable"
}

peers_only_through_chains() {
	# Chains that allow no override: the attacker (service 3) reaches
	# port f1 only, b (service 2) is not its peer: no doorbell, no
	# segment of b's for it.  Then a chain 3 -> 2 makes them peers.
	nfvctl chain replace 1 service 1 service 2 out f1 override deny >/dev/null
	nfvctl chain replace 2 service 3 out f1 override deny >/dev/null
	hostile --nobody 3 writable 2
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	sed 's/^/# peers, no chain: /' "$RUNDIR/hostile.out"
	check "peers: no segment or doorbell of an NF no chain connects it to" \
		grep -q "^peer-seg: not granted (.*no chain connects these NFs)" \
		"$RUNDIR/hostile.out"
	kill_hostile
	# The second attacker meets a fabric without the first.
	busywait $((3000 * TIME_SCALE)) eval \
		'[[ $(nfvctl -j nf show | jq length) -eq 2 ]]'
	nfvctl chain replace 2 service 3 service 2 out f1 override deny >/dev/null
	hostile --nobody 3 writable 2
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	sed 's/^/# peers, chain 3 -> 2: /' "$RUNDIR/hostile.out"
	check "peers: granted once a chain connects them (read-only, sealed)" \
		grep -q "^peer-seg mmap-write: Operation not permitted" "$RUNDIR/hostile.out"
	nfvctl chain replace 1 service 1 service 2 out f1 >/dev/null
	nfvctl chain replace 2 service 3 out f1 >/dev/null
	survived peers
}

# forges_relay [-rw]: read-only (or, -rw, writable) attacker.
forges_relay() {
	local before after refused
	hostile 3 "relay${1:-}"
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 20 200 >/dev/null
	before=$(d0_rx)
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	sleep 0.3
	after=$(d0_rx)
	sed 's/^/# relay: /' "$RUNDIR/hostile.out"
	refused=$(nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .refused')
	diag "relay: refused $refused, d0 rx frames $before -> $after"
	check "relay: nfvd refused every forged descriptor and the jump (>= 37)" \
		[ "${refused:-0}" -ge 37 ]
	check "relay: and transmitted none of them" [ "$after" -eq "$before" ]
	survived relay
}

readonly_forges_relay() { forges_relay; }
# A writable NF has the relay too (a port its tx socket is not yet on).
writable_forges_relay() { forges_relay -rw; }

# A read-only NF hands its frames to nfvd to transmit: only on a port its
# chains reach.  With overrides denied, chain 2 (service 3 out f1) lets
# it send out f1, not out f0 (back to s0).
# relay_within_reach [-rw]: as forges_relay.
relay_within_reach() {
	local port id n r0 r1 s0 s1 d0 d1
	s0_rx() { ip -n "$NS_SRC" -j -s link show s0 | jq '.[0].stats64.rx.packets'; }
	in_fab sysctl -qw net.ipv6.conf.f0.disable_ipv6=1
	nfvctl chain replace 1 service 1 service 2 out f1 override deny >/dev/null
	nfvctl chain replace 2 service 3 out f1 override deny >/dev/null
	for port in f0 f1; do
		id=$(nfvctl -j port show | jq ".[] | select(.name == \"$port\") | .id")
		hostile 3 "relayto${1:-}" "$id"
		wait_replicas 3 1
		s0=$(s0_rx); d0=$(d0_rx)
		r0=$(nfvctl -j nf show | jq '[.[] | select(.name == "hostile") | .refused] | add // 0')
		in_src "$TRAFFIC" udp-send 198.18.0.2 9500 10 200 >/dev/null
		busywait $((5000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
		n=$(sed -n 's/^relayed \([0-9]*\) .*/\1/p' "$RUNDIR/hostile.out")
		busywait 2000 eval '[[ $(d0_rx) -ge $((d0 + ${n:-1})) ]]'
		sleep 0.3
		s1=$(s0_rx); d1=$(d0_rx)
		r1=$(nfvctl -j nf show | jq '[.[] | select(.name == "hostile") | .refused] | add // 0')
		diag "relay${1:-} within reach: ${n:-0} relayed to $port (id $id): refused $((r1 - r0)), s0 +$((s1 - s0)), d0 +$((d1 - d0))"
		if [[ $port == f0 ]]; then
			check "relay${1:-} within reach: nfvd refused all ${n:-0} out f0, which chain 2 does not reach" \
				eval '[[ ${n:-0} -ge 5 && $((r1 - r0)) -eq $n && $s1 -eq $s0 ]]'
		else
			check "relay${1:-} within reach: and sent all ${n:-0} out f1, chain 2's port (d0 +$((d1 - d0)))" \
				eval '[[ ${n:-0} -ge 5 && $((r1 - r0)) -eq 0 && $((d1 - d0)) -ge $n ]]'
		fi
		kill_hostile
	done
	nfvctl chain replace 1 service 1 service 2 out f1 >/dev/null
	nfvctl chain replace 2 service 3 out f1 >/dev/null
	survived "relay${1:-} within reach"
}

readonly_relay_within_reach() { relay_within_reach; }
writable_relay_within_reach() { relay_within_reach -rw; }

# A writable NF whose tx socket on its chain's port is not there yet
# (granted a round trip after a chain added late): libnfv hands those
# frames to nfvd, which sends them; none dropped.  The helper forgets
# its socket before every frame.
tx_socket_late_relayed() {
	local id out r0 r1
	id=$(nfvctl -j port show | jq '.[] | select(.name == "f1") | .id')
	nfvctl chain replace 2 service 3 out f1 override deny >/dev/null
	hostile 3 txlost "$id"
	wait_replicas 3 1
	r0=$(nfvctl -j nf show | jq '[.[] | select(.name == "hostile") | .refused] | add // 0')
	out=$(udp_through 200 200 9500)
	r1=$(nfvctl -j nf show | jq '[.[] | select(.name == "hostile") | .refused] | add // 0')
	diag "late tx socket: $(grep -c forwarded "$RUNDIR/hostile.out") progress lines, refused +$((r1 - r0)), d0: $out"
	check "late tx socket: 200 of 200 datagrams out f1 through nfvd ($out)" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 40000" ]
	check "late tx socket: nfvd refused none of them (+$((r1 - r0)))" \
		[ $((r1 - r0)) -eq 0 ]
	nfvctl chain replace 2 service 3 out f1 >/dev/null
	survived "late tx socket"
}

rx_socket_grows_tx_ring() {
	local before after st
	before=$(d0_rx)
	hostile 3 txring
	hostile_exit $((5000 * TIME_SCALE))
	st=$HSTATUS
	sed 's/^/# txring: /' "$RUNDIR/hostile.out"
	check "tx ring: the attacker added its rings" grep -q "tx rings added: [1-9]" "$RUNDIR/hostile.out"
	check "tx ring: nfvd killed it (status $st)" [ "$st" -eq 137 ]
	check "tx ring: nfvd says why" grep -q "grew a tx ring" "$RUNDIR/nfvd.log"
	local id
	id=$(awk '/^attached id/ { print $3 }' "$RUNDIR/hostile.out")
	check "tx ring: it never came up (nf ${id:-?})" \
		eval '[[ -n $id ]] && ! grep -q "nf $id up" "$RUNDIR/nfvd.log"'
	after=$(d0_rx)
	diag "tx ring: d0 rx frames $before -> $after"
	survived "tx ring"
}

frame_hoarder() {
	hostile 3 hoard
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 20000 64 >/dev/null
	sleep 0.5
	local budget held hits
	budget=$(nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .budget')
	held=$(nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .held')
	hits=$(nfvctl -j nf show | jq '.[] | select(.name == "hostile") | .budget_hits')
	diag "hoarder: holds $held of a budget of $budget, over it $hits time(s); $(tail -1 "$RUNDIR/hostile.out")"
	check "hoarder: went over its budget and was cut off" [ "${hits:-0}" -ge 1 ]
	check "hoarder: holds no more than its budget and a burst ($held <= $budget + 2048)" \
		[ "${held:-99999}" -le $((budget + 2048)) ]
	check "hoarder: the classifier counted what it could not give it" \
		eval '[[ $(port_counter f0 no_socket) -gt 0 ]]'
	survived hoarder
}

frame_hoarder_killed() {
	hostile 3 hoard
	wait_replicas 3 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 20000 64 >/dev/null
	local st
	hostile_exit $((5000 * TIME_SCALE))
	st=$HSTATUS
	check "hoarder (--nf-overrun kill): killed (status $st)" [ "$st" -eq 137 ]
	check "hoarder (--nf-overrun kill): nfvd says why" grep -q "over its budget.*killing it" "$RUNDIR/nfvd.log"
	survived "hoarder killed"
}

# nf_field NAME FIELD: that NF's FIELD in nfvctl nf show.
nf_field() {
	nfvctl -j nf show | jq --arg n "$1" ".[] | select(.name == \$n) | .$2"
}

# cpu_idle PID: until the process's CPU time stands still for 0.3 s (it
# has done what it could), 5 s at most (25 under TCG).
cpu_idle() {
	local t0 t1 n=0 i
	t0=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return
	for ((i = 0; i < 50 * TIME_SCALE && n < 3; i++)); do
		sleep 0.1
		t1=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return
		if [[ $t1 == "$t0" ]]; then n=$((n + 1)); else n=0; fi
		t0=$t1
	done
}

# The hoarder behind an honest NF (a, service 1), giving the lane from a
# back after each burst without logging a frame of it: a finds room and
# sends on.  Once a lane's worth is in transit by nfvd's account and the
# hoarder has nothing left to log, nfvd cuts the lane (ledger.c
# lane_cut()): a sends it nothing more, and is never over its budget.
# What a sent after the cut is a's until the hoarder takes it: when it
# dies (lane_given_back_unlogged), or when it logs dropping it after all
# (lane_given_back_dropped_late).
# hoarder_behind_a MODE: the attacker in MODE as service 3, behind a
# (chain 3: service 1 service 3 out f1, UDP to dport 9700).
hoarder_behind_a() {
	nfvctl chain add 3 service 1 service 3 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9700 chain 3 >/dev/null
	hostile 3 "$1"
	wait_replicas 3 1
}

lane_given_back() {
	local what=$1 late=$2 mode=${3:-hoard-lanes} stop=${4:-}
	hoarder_behind_a "$mode"
	local o0 o1 ahits aheld hheld
	o0=$(nf_field a overrun)
	[[ -n $stop ]] && kill -STOP "$NFVD_PID"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9700 20000 64 >/dev/null
	if [[ -n $stop ]]; then
		sleep "$TIME_SCALE"
		kill -CONT "$NFVD_PID"
		# More, for a to find the lane cut.
		sleep 0.5
		in_src "$TRAFFIC" udp-send 198.18.0.2 9700 2000 64 >/dev/null
	fi
	sleep 0.5
	o1=$(nf_field a overrun)
	ahits=$(nf_field a budget_hits)
	aheld=$(nf_field a held)
	hheld=$(nf_field hostile held)
	diag "$what: a holds $aheld, over its budget $ahits time(s), overrun $o0 -> $o1; the hoarder holds $hheld"
	check "$what: nfvd cut the lane from a to it" \
		grep -q "lane nf [0-9]* (a) -> nf [0-9]* (hostile) cut" "$RUNDIR/nfvd.log"
	check "$what: a never went over its budget" \
		[ "${ahits:-1}" -eq 0 ]
	check "$what: a counted what it did not send it ($o0 -> $o1)" \
		[ "${o1:-0}" -gt "${o0:-0}" ]
	check "$what: the hoarder is charged with the lane's worth ($hheld >= 1024)" \
		[ "${hheld:-0}" -ge 1024 ]
	if [[ -n $late ]]; then
		# It logs dropping what it took after all: what a sent after the
		# cut was a's until then; now the hoarder took it, and let it go.
		touch "$SOCK.giveback"
		busywait $((5000 * TIME_SCALE)) grep -q dropped "$RUNDIR/hostile.out"
		busywait $((3000 * TIME_SCALE)) eval '[[ $(nf_field a held) -eq 0 && $(nf_field hostile held) -eq 0 ]]'
		aheld=$(nf_field a held)
		hheld=$(nf_field hostile held)
		diag "$what: $(grep dropped "$RUNDIR/hostile.out"); a holds $aheld, the hoarder $hheld"
		check "$what: its drops, logged late, free a's frames and its own ($aheld, $hheld)" \
			[ "${aheld:-1}" -eq 0 -a "${hheld:-1}" -eq 0 ]
	fi
	survived "$what"
	aheld=$(nf_field a held)
	check "$what: a holds nothing once the hoarder is gone ($aheld)" \
		[ "${aheld:-1}" -eq 0 ]
}

lane_given_back_unlogged() {
	lane_given_back "lane given back unlogged" ""
}

lane_given_back_dropped_late() {
	lane_given_back "lane given back, dropped late" late
}

# nfvd stopped while a forwards a fill ring's worth (2048) to the
# hoarder: when it goes on, all but a lane's worth of a's sends are past
# the cut, a's own until taken (owed), more than a's budget (1023 here).
# Up to two lanes' worth of them do not count against it (ledger.c
# OWED_MAX): a is not cut off.
lane_given_back_nfvd_late() {
	# The case needs a to forward two lanes' worth (2048 frames) while
	# nfvd is stopped.  Under TCG (the VM suite, TIME_SCALE > 1) the
	# burst gets a 1024, 1280 or 2048 of them from one run to the next,
	# paced or not, with a longer --fail-after or a bigger fill ring
	# alike (2026-12-05: 8 of 15 VM runs short).  The ledger that owes
	# a's frames is nfvd's on both backends; the host run checks it.
	if ((TIME_SCALE > 1)); then
		tap_skip "nfvd late: a holds more than its budget, owed" \
			"legit: under TCG a gets 1024-2048 frames of a burst while nfvd is stopped; the host run checks the case"
		return
	fi
	hoarder_behind_a hoard-lanes
	local ahits aheld owed
	kill -STOP "$NFVD_PID"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9700 20000 64 >/dev/null
	sleep "$TIME_SCALE"
	# a's sends are logged before nfvd goes on, however slow the
	# machine (under TCG a was once still at it: 256 owed).
	cpu_idle "${NF_PID[a]}"
	kill -CONT "$NFVD_PID"
	busywait $((2000 * TIME_SCALE)) eval '[[ $(nf_field a held) -gt 1023 ]]'
	ahits=$(nf_field a budget_hits)
	aheld=$(nf_field a held)
	diag "nfvd late: a holds $aheld (budget 1023), over it $ahits time(s), found the lane full $(nf_field a ring_full) time(s); the hoarder holds $(nf_field hostile held)"
	check "nfvd late: nfvd cut the lane from a to the hoarder" \
		grep -q "lane nf [0-9]* (a) -> nf [0-9]* (hostile) cut" "$RUNDIR/nfvd.log"
	check "nfvd late: a holds more than its budget, owed ($aheld > 1023)" \
		[ "${aheld:-0}" -gt 1023 ]
	check "nfvd late: a was never over its budget" [ "${ahits:-1}" -eq 0 ]
	survived "nfvd late"
}

# The hoarder keeps entries waiting in its log (takes of frames on its
# lane, as if it sent them itself), so that nfvd never sees it done: a's
# sends past the lane's worth wait for it, and where its log can never
# move (it waits on itself) the lane is cut at once, not a's send
# refused (ledger.c refuse_stuck(); a wait on the kernel would end in a
# cut after 20 ms, CAP_WAIT_NS).  nfvd is stopped meanwhile, so that
# the hoarder's entries are there when a's sends reach the cap.
lane_given_back_stalling() {
	lane_given_back "lane given back, log kept waiting" "" hoard-stall stop
}

# The other side of the same dispute: a producer that logs sending b the
# frames it gets and puts descriptors of no frame on the lane instead,
# which b steps over without a word (rx.c rx_lane_odd()).  nfvd cannot
# tell it from the hoarder above: the same cut, and b, the honest one
# here, is charged with a lane's worth at most; what the liar logs
# sending after the cut stays its own.
lane_filled_with_lies() {
	nfvctl chain add 4 service 3 service 2 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9701 chain 4 >/dev/null
	hostile 3 lanelie 2
	wait_replicas 3 1
	busywait $((5000 * TIME_SCALE)) grep -q "lying to" "$RUNDIR/hostile.out"
	local bhits bheld bad hheld hhits
	in_src "$TRAFFIC" udp-send 198.18.0.2 9701 8000 64 >/dev/null
	sleep 0.5
	bhits=$(nf_field b budget_hits)
	bheld=$(nf_field b held)
	bad=$(nf_field b bad_desc)
	hheld=$(nf_field hostile held)
	hhits=$(nf_field hostile budget_hits)
	diag "lane of lies: b holds $bheld, over its budget $bhits time(s), stepped over $bad; the liar holds $hheld, over its budget $hhits time(s); $(tail -1 "$RUNDIR/hostile.out")"
	check "lane of lies: nfvd cut the lane from the liar to b" \
		grep -q "lane nf [0-9]* (hostile) -> nf [0-9]* (b) cut" "$RUNDIR/nfvd.log"
	check "lane of lies: b stepped over the descriptors of no frame ($bad >= 1024)" \
		[ "${bad:-0}" -ge 1024 ]
	check "lane of lies: b never went over its budget" \
		[ "${bhits:-1}" -eq 0 ]
	check "lane of lies: b is charged with no more than a lane ($bheld <= 1024)" \
		[ "${bheld:-99999}" -le 1024 ]
	check "lane of lies: what the liar sent after the cut is its own (over its budget $hhits times)" \
		[ "${hhits:-0}" -ge 1 ]
	survived "lane of lies"
}

to_service_ping_pong() {
	local before
	"$HOSTILE" "$SOCK" 3 pingpong 4 >"$RUNDIR/p3.out" 2>&1 &
	local p3=$!
	"$HOSTILE" "$SOCK" 4 pingpong 3 >"$RUNDIR/p4.out" 2>&1 &
	local p4=$!
	defer "kill -9 $p3 $p4 2>/dev/null"
	wait_replicas 3 1 && wait_replicas 4 1
	in_src "$TRAFFIC" udp-send 198.18.0.2 9500 100 200 >/dev/null
	busywait $((5000 * TIME_SCALE)) eval '[[ $(nfvctl -j nf show | jq "[.[] | .loop_drop] | add") -ge 100 ]]'
	local drops rx1 rx2
	drops=$(nfvctl -j nf show | jq '[.[] | .loop_drop] | add')
	rx1=$(nfvctl -j nf show | jq '[.[] | select(.service == 3 or .service == 4) | .rx] | add')
	sleep 0.5
	rx2=$(nfvctl -j nf show | jq '[.[] | select(.service == 3 or .service == 4) | .rx] | add')
	diag "ping-pong: loop_drop $drops, rx $rx1 then $rx2"
	check "ping-pong: all 100 frames dropped at the move budget" [ "${drops:-0}" -eq 100 ]
	check "ping-pong: and no frame bounces on ($rx1 -> $rx2)" [ "$rx1" -eq "$rx2" ]
	check "ping-pong: each frame made at most $((32 + 1)) hops" \
		[ "$rx2" -le $((100 * 33)) ]
	HPID=$p3
	kill -9 "$p4" 2>/dev/null
	wait "$p4" 2>/dev/null
	survived "ping-pong"
}

# The metadata's NSH fields (NFV_META_F_NSH, decap_id, nsh_ttl) forged
# upstream of an honest NF whose chain ends in an nsh hop: what the
# honest NF sends is valid NSH (TTL 1..63, SI 1..255, its chain's SPI) or
# a drop it counts, frame for frame.
nsh_meta_forged() {
	local sent=300 wire=$RUNDIR/nsh.pcap dec=$RUNDIR/nsh.txt
	local good all forged tx0 d0 tx drops
	nfvctl chain add 5 service 3 service 1 nsh f1 77 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9600 chain 5 >/dev/null
	hostile 3 nshmeta
	wait_replicas 3 1
	a_count() { nfvctl -j nf show | jq ".[] | select(.name == \"a\") | .$1"; }
	tx0=$(a_count tx)
	d0=$(a_count drop)
	ip netns exec "$NS_DST" timeout -k 5 15 tcpdump -i d0 -nn -U --immediate-mode -B 16384 \
		-w "$wire" ether proto 0x894f >/dev/null 2>"$RUNDIR/tcpdump.err" &
	local tpid=$!
	busywait 3000 grep -qs listening "$RUNDIR/tcpdump.err"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9600 "$sent" 200 >/dev/null
	# The honest NF has sent or dropped each of them, then the capture
	# has what it sent.
	busywait 5000 eval '[[ $(( $(a_count tx) - tx0 + $(a_count drop) - d0 )) -ge $sent ]]'
	tx=$(( $(a_count tx) - tx0 ))
	drops=$(( $(a_count drop) - d0 ))
	busywait 3000 eval '[[ $(tcpdump -r "$wire" 2>/dev/null | wc -l) -ge $tx ]]'
	kill -INT "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	tcpdump -r "$wire" -nn -e -vvv 2>/dev/null | grep 'NSH, ver' >"$dec"
	all=$(wc -l <"$dec")
	good=$(grep -cE 'NSH, ver 0, flags \[none\], TTL ([1-9]|[1-5][0-9]|6[0-3]), length 2, md type 2, next-protocol Ethernet, service-path-id 0x00004d, service-index 0x[1-9a-f][0-9a-f]?$' "$dec")
	forged=$(grep -vc 'TTL 63, .*service-index 0xfd$' "$dec")
	diag "nsh meta: the honest NF sent $tx and dropped $drops of $sent; $all NSH frames on the wire, $forged with a forged TTL or SI"
	check "nsh meta: every NSH frame the honest NF sent is valid: TTL 1..63, SI 1..255, SPI 77 ($good of $all)" \
		[ "$good" -eq "$all" ]
	check "nsh meta: every frame sent in NSH or dropped and counted ($tx + $drops = $sent, $all on the wire)" \
		eval '[[ $((tx + drops)) -eq $sent && $all -eq $tx ]]'
	check "nsh meta: the forgeries reached the nsh hop (forged TTL or SI on the wire: $forged, drops: $drops)" \
		eval '[[ $forged -gt 0 && $drops -gt 0 ]]'
	diag "nsh meta: $(tr '\n' ' ' <"$RUNDIR/tcpdump.err"); d0: $(ip -n "$NS_DST" -s -j link show d0 | jq -c '.[0].stats64.rx'); f1: $(ip -n "$NS_FAB" -s -j link show f1 | jq -c '.[0].stats64.tx')"
	survived "nsh meta"
	nfvctl flow del proto udp dst 198.18.0.2 dport 9600 >/dev/null
	nfvctl chain del 5 >/dev/null
}

# A consumer stopped with frames on its lane and in its rx ring; then
# the producer and the consumer die, in either order: frames come back
# exactly.
reclaim_stopped() {
	local first=$1 second=$2 q
	nfvctl chain add 3 service 2 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9600 chain 3 >/dev/null
	kill -STOP "${NF_PID[b]}"
	# 200 through a onto the lane to b, 100 into b's own rx ring.
	in_src "$TRAFFIC" udp-send 198.18.0.2 9000 200 200 >/dev/null
	in_src "$TRAFFIC" udp-send 198.18.0.2 9600 100 200 >/dev/null
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nfvctl -j stats | jq ".frames | .transit >= 200 and .kernel >= 100") == true ]]'
	q=$(nfvctl -j stats | jq -c '.frames | {transit, kernel, held}')
	diag "reclaim ($first first): with b stopped: $q"
	check "reclaim ($first first): 200 frames on the lane to b, 100 in its rx ring" \
		eval '[[ $(jq .transit <<<"$q") -ge 200 && $(jq .kernel <<<"$q") -ge 100 ]]'
	kill -9 "${NF_PID[$first]}"
	wait "${NF_PID[$first]}" 2>/dev/null
	sleep 0.3
	kill -9 "${NF_PID[$second]}"
	kill -CONT "${NF_PID[$second]}" 2>/dev/null
	wait "${NF_PID[$second]}" 2>/dev/null
	check "reclaim ($first first): frames.free back at baseline exactly" frames_back
	diag "reclaim ($first first): frames free $(frames_free), baseline $BASE_FREE"
	check "reclaim ($first first): both ids freed" \
		eval '[[ $(nfvctl -j nf show | jq length) -eq 0 ]]'
	check "reclaim ($first first): the ledger adds up" ledger_adds_up
}
reclaim_stopped_consumer_producer_first() { reclaim_stopped a b; }
reclaim_stopped_consumer_consumer_first() { reclaim_stopped b a; }

# "flows ... keep": an NF's rules outlive it, nobody's (the policy is
# reloaded with SIGHUP first: nfvd applies the new line to new requests).
flow_rules_kept() {
	local out id

	sed -i 's/flows chains 2 max 5$/flows chains 2 max 5 keep/' "$RUNDIR/policy"
	kill -HUP "$NFVD_PID"
	busywait $((3000 * TIME_SCALE)) grep -q "policy: [0-9]* rules" "$RUNDIR/nfvd.log"
	hostile --nobody 3 rules 2 1
	busywait $((10000 * TIME_SCALE)) grep -q '^done' "$RUNDIR/hostile.out"
	out=$(cat "$RUNDIR/hostile.out")
	id=$(sed -n 's/^attached id //p' <<<"$out")
	check "kept: its 5 rules installed" \
		busywait $((2000 * TIME_SCALE)) eval '[[ $(owned_rules ${id:-0}) -eq 5 ]]'
	kill_hostile
	check "kept: once it is dead, its rules are nobody's" \
		busywait $((3000 * TIME_SCALE)) eval '[[ $(owned_rules ${id:-0}) -eq 0 ]]'
	check "kept: and all 5 are still there (sport 1100-1103, 3000)" \
		eval "nfvctl -j flow show | jq -e '[.[] | select(.sport == 3000 or (.sport >= 1100 and .sport <= 1103))] | length == 5 and all(has(\"owner\") | not)' >/dev/null"
	survived "kept"
}

# nfvd killed and started again: an NF's rules went with it (on nfv.ko
# the new nfvd deletes those the module still has); a rule with an idle
# timeout is swept by the new one (from the state file, or adopted from
# the module).
flow_rules_nfvd_restart() {
	local id t0 ms

	nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 2100 \
		dport 9000 chain 1 idle-timeout 4000 >/dev/null
	hostile --nobody 3 rules 2 1
	busywait $((10000 * TIME_SCALE)) grep -q '^done' "$RUNDIR/hostile.out"
	id=$(sed -n 's/^attached id //p' "$RUNDIR/hostile.out")
	check "nfvd restart: the NF's 5 rules installed" \
		busywait $((2000 * TIME_SCALE)) eval '[[ $(owned_rules ${id:-0}) -eq 5 ]]'
	kill -9 "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	kill_hostile
	t0=$(date +%s%N)
	start_nfvd --socket-group nogroup --policy "$RUNDIR/policy" ||
		diag "nfvd did not start again"
	busywait $((5000 * TIME_SCALE)) timeout -k 5 2 \
		ip netns exec "$NS_FAB" "$BIN/nfvctl" -b daemon -s "$SOCK" stats >/dev/null
	check "nfvd restart: none of the NF's rules is left" \
		eval "nfvctl -j flow show | jq -e '[.[] | select(has(\"owner\") or .sport == 3000 or (.sport >= 1000 and .sport <= 1103))] | length == 0' >/dev/null" ||
		diag "nfvd restart: rules: $(nfvctl -j flow show | jq -c .)"
	check "nfvd restart: the administrator's rules are" \
		eval "nfvctl -j flow show | jq -e '[.[] | select(.sport == 2100 or .dport == 9500)] | length == 2' >/dev/null"
	busywait $((12000 * TIME_SCALE)) eval "! nfvctl -j flow show | jq -e 'any(.[]; .sport == 2100)' >/dev/null"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	check "nfvd restart: the new nfvd sweeps the idle rule ($ms ms after its start)" \
		eval "! nfvctl -j flow show | jq -e 'any(.[]; .sport == 2100)' >/dev/null"
}

# An NF that keeps its AF_XDP sockets when nfvd dies (libnfv closes
# them) keeps the dead nfvd's UMEM on the ports' queues: the new nfvd
# could not add its ports back, and the configuration would be lost.
# Past a grace period (2 s) nfvd kills it, and the ports come back.
sockets_kept_across_restart() {
	local t0 ms out
	hostile --nobody 3 writable 2
	busywait $((8000 * TIME_SCALE)) grep -q "^done" "$RUNDIR/hostile.out"
	kill -9 "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	t0=$(date +%s%N)
	start_nfvd --socket-group nogroup --policy "$RUNDIR/policy" ||
		diag "nfvd did not start again"
	busywait $((10000 * TIME_SCALE)) timeout -k 5 2 \
		ip netns exec "$NS_FAB" "$BIN/nfvctl" -b daemon -s "$SOCK" stats >/dev/null
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	diag "restart: nfvd answered $ms ms after its start"
	check "restart: both ports back ($(nfvctl -j port show | jq -c 'map(.name)'))" \
		eval '[[ $(nfvctl -j port show | jq length) -eq 2 ]]' ||
		sed 's/^/# nfvd: /' "$RUNDIR/nfvd.log"
	hostile_exit $((3000 * TIME_SCALE))
	check "restart: nfvd killed the NF that kept its sockets (status $HSTATUS)" \
		[ "$HSTATUS" -eq 137 ]
	check "restart: and said so" \
		grep -q "still holds the dead nfvd's AF_XDP sockets" "$RUNDIR/nfvd.log"
	wait_replicas 1 1 && wait_replicas 2 1
	out=$(udp_through 100 200)
	check "restart: the honest chain carries on (100 datagrams: $out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
}

# Rules of the NF $1 (nfvctl flow show's "owner").
owned_rules() {
	nfvctl -j flow show | jq --argjson id "$1" '[.[] | select(.owner == $id)] | length'
}

# An NF may install flow rules only as its policy line says (nogroup:
# "flows chains 2 max 5"): its own chain, its cap, its own rules, never
# an owner of its choosing; they go with it.
flow_rules_within_policy() {
	local out id n

	nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 2000 \
		dport 9000 chain 1 >/dev/null
	hostile --nobody 3 rules 2 1
	busywait $((10000 * TIME_SCALE)) grep -q '^done' "$RUNDIR/hostile.out"
	out=$(cat "$RUNDIR/hostile.out")
	diag "rules: $(tr '\n' ',' <<<"$out")"
	id=$(sed -n 's/^attached id //p' <<<"$out")
	check "rules: a rule for its own chain is taken" grep -qx 'own ok' <<<"$out"
	check "rules: the same rule again is no error" grep -qx 'again ok' <<<"$out"
	check "rules: a chain its policy does not give: EPERM" \
		grep -qx 'chain EPERM' <<<"$out"
	check "rules: deleting the administrator's rule: EPERM" \
		grep -qx 'deladmin EPERM' <<<"$out"
	check "rules: an idle timeout on a prefix rule: EINVAL" \
		grep -qx 'prefix EINVAL' <<<"$out"
	check "rules: an owner named in the request: EINVAL" \
		grep -qx 'owner EINVAL' <<<"$out"
	check "rules: its cap (max 5): 4 more, then ENOSPC" \
		grep -qx 'cap 4 ENOSPC' <<<"$out"
	check "rules: deleting its own rule" grep -qx 'delown ok' <<<"$out"
	check "rules: nfv_flow_add() sent" grep -qx 'libnfv ok' <<<"$out"
	check "rules: nfvctl flow show lists its 5 rules as owner nf $id" \
		busywait $((2000 * TIME_SCALE)) eval '[[ $(owned_rules ${id:-0}) -eq 5 ]]'
	check "rules: nfv_flow_add()'s rule, with its idle timeout" \
		eval "nfvctl -j flow show | jq -e '.[] | select(.sport == 3000 and .owner == ${id:-0} and .idle_timeout_ms == 60000)' >/dev/null"
	check "rules: the administrator's rule is still there, nobody's" \
		eval "nfvctl -j flow show | jq -e '.[] | select(.sport == 2000 and .chain == 1 and (has(\"owner\") | not))' >/dev/null"
	check "rules: nfvctl nf show counts them: 5 held, 5 refused" \
		eval "nfvctl -j nf show | jq -e '.[] | select(.id == ${id:-0}) | .flow_rules == 5 and .flow_rules_refused == 5' >/dev/null"
	# Root deletes one (on nfv.ko, at the module: nfvd learns it).
	nfvctl flow del proto udp src 198.18.0.1 dst 198.18.0.2 sport 1103 \
		dport 9000 >/dev/null
	check "rules: root deletes one of them: 4 held" \
		busywait $((2000 * TIME_SCALE)) eval "nfvctl -j nf show | jq -e '.[] | select(.id == ${id:-0}) | .flow_rules == 4' >/dev/null"
	n=$(nfvctl save | grep -c 'sport 1100\|sport 3000')
	check "rules: nfvctl save leaves the NF's rules out ($n lines)" [ "$n" -eq 0 ]
	kill_hostile
	check "rules: its rules go with it (policy: no keep)" \
		busywait $((3000 * TIME_SCALE)) eval '[[ $(owned_rules ${id:-0}) -eq 0 ]]'
	check "rules: and nothing else did" \
		eval "nfvctl -j flow show | jq -e '.[] | select(.sport == 2000)' >/dev/null"
	survived "rules"
}

# Its sleeping word says NFV_SLEEP_ROOM (it waits for room on its lanes
# out) all the time, whatever it does: its consumer b writes its doorbell
# at each batch b takes from it, and carries its frames and the honest
# chain's as before.
# through_attacker MODE: the attacker (service 3) in MODE on chain 3,
# before b; 1000 datagrams through it, what arrived in $out, how many
# in $n.
through_attacker() {
	nfvctl chain add 3 service 3 service 2 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9700 chain 3 >/dev/null
	hostile 3 "$1"
	wait_replicas 3 1
	out=$(udp_through 1000 200 9700)
	n=$(awk '{print $2}' <<<"$out")
}

sleep_room_forged() {
	local out n
	through_attacker sleeproom
	diag "sleep room: through the attacker and b: $out"
	check "sleep room: b carried the attacker's frames (>= 99% of 1000)" \
		eval '[[ ${n:-0} -ge 990 && $out == *" bad 0 "* ]]'
	survived "sleep room"
}

# Its sched_switches (a counter in its own segment, libnfv/sched.c) says
# UINT64_MAX all the time: nfvd reports it as that NF's word, in full,
# and nothing else moves: the honest NFs' counters are their own, the
# chain through the attacker carries its frames.
sched_switches_forged() {
	local out n shown honest
	through_attacker schedlie
	shown=$(nfvctl -j nf show | tr -d ' \n' |
		grep -o '"name":"hostile"[^}]*"sched_switches":[0-9]*' |
		grep -o '[0-9]*$')
	honest=$(nfvctl -j nf show | jq -c '[.[] | select(.name == "a" or .name == "b") | .sched_switches]')
	diag "sched lie: through the attacker and b: $out; reported $shown, honest NFs $honest"
	check "sched lie: reported as the attacker's own, in full ($shown)" \
		[ "$shown" = 18446744073709551615 ]
	check "sched lie: the honest NFs' counters are their own ($honest)" \
		eval '[[ $(jq "all(. < 1000)" <<<"$honest") == true ]]'
	check "sched lie: b carried the attacker's frames (>= 99% of 1000)" \
		eval '[[ ${n:-0} -ge 990 && $out == *" bad 0 "* ]]'
	survived "sched lie"
}

echo "TAP version 13"
# Each attack on a fabric of its own, nfvd's log shown at the first failure.
attack() {
	NFVD_ARGS=()
	[[ $1 == frame_hoarder_killed ]] && NFVD_ARGS=(--nf-overrun kill)
	[[ $1 == lane_given_back_nfvd_late ]] && NFVD_ARGS=(--nf-frames 1023)
	setup_fabric >/dev/null
	"$1"
	if [[ $_tap_fail -gt 0 && -z ${shown:-} ]]; then
		diag "nfvd log:"
		tail -n 20 "$RUNDIR/nfvd.log" | sed 's/^/#   /'
		shown=1
	fi
	reset_fabric
}

for t in "${tests[@]}"; do
	run_case "$t" attack "$t"
done
echo "1..$_tap_n"
tap_exit
