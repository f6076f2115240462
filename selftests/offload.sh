#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Verdict offload (docs/design.md "Offloaded flows"): a flow every NF of
# its chain has said it needs no more goes port to port (classifier +
# nfv_tc), and goes back to its chain on FIN/RST, idleness, a change of
# the configuration or the death of one of its NFs.  No NF can take a
# flow past another one.  Stock peers, module-less backend.
#
#   ns src            ns fabric (nfvd, XDP + nfv_tc on f0 f1)     ns dst
#   s0 198.18.0.1 --- f0 ==[ service 1, service 2 ]==  f1 --- d0 198.18.0.2
#
# Every check counts bytes delivered, frames the NFs saw, the
# classifier's counters or what nfvd answered.

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
HOSTILE=${NFV_HOSTILE:-$TOP/build/selftests/nf_hostile_helper}
[[ -x $HOSTILE ]] || { echo "1..0 # SKIP $HOSTILE not built"; exit $ksft_skip; }

tests=(
	offloaded_when_every_nf_agrees
	one_nf_cannot_bypass_another
	verdicts_are_checked
	chain_change_takes_flows_back
	nf_death_takes_flows_back
	idle_flow_goes_back
	tcp_close_goes_back
	iperf3_offloaded
)
[[ $# -gt 0 ]] && tests=("$@")

# Long enough for a check to see an entry no frame uses (the replies'
# direction of a one-way flow) on a loaded machine, short enough to wait.
IDLE_MS=$((3000 * TIME_SCALE))

setup() {
	setup_topology
	start_nfvd --offload-idle "$IDLE_MS" ||
		{ diag "nfvd did not start"; cat "$RUNDIR/nfvd.log"; exit 1; }
	nfvctl port add f1 >/dev/null && nfvctl port add f0 >/dev/null || exit 1
}

# chains SID...: f0 -> SIDs -> f1, and back through them in reverse.
chains() {
	local fwd="" rev="" i
	for i in "$@"; do fwd+=" service $i"; done
	for ((i = $#; i >= 1; i--)); do rev+=" service ${!i}"; done
	nfvctl chain add 1 $fwd out f1 >/dev/null &&
	nfvctl chain add 2 $rev out f0 >/dev/null &&
	nfvctl port del f0 >/dev/null && nfvctl port add f0 default-chain 1 >/dev/null 2>&1 &&
	nfvctl port del f1 >/dev/null && nfvctl port add f1 default-chain 2 >/dev/null 2>&1
}

reset() {
	local pid id
	for pid in "${NF_PID[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${NF_PID[@]}"; do wait "$pid" 2>/dev/null; done
	NF_PID=()
	nfvctl port del f0 >/dev/null; nfvctl port add f0 >/dev/null
	nfvctl port del f1 >/dev/null; nfvctl port add f1 >/dev/null
	for id in $(nfvctl -j chain show | jq '.[].id'); do
		nfvctl chain del "$id" >/dev/null
	done
	busywait 3000 eval '[[ $(nfvctl -j nf show | jq length) -eq 0 ]]'
}

nf_rx() { nfvctl -j nf show | jq "[.[] | select(.name == \"$1\") | .rx] | add // 0"; }
offl() { port_counter "$1" offload; }
offl_end() { port_counter "$1" offload_end; }

# Two NFs, both with --offload (or as given), chains both ways.
two_nfs() {
	start_nf a 1 ${A_ARGS---offload}
	start_nf b 2 ${B_ARGS---offload}
	wait_replicas 1 1 && wait_replicas 2 1 && chains 1 2
}

offloaded_when_every_nf_agrees() {
	two_nfs
	local o0 out
	o0=$(offl f0)
	out=$(SPORT=41000 udp_through 2000 1000)
	diag "2000 UDP datagrams through a 2-NF chain that offloads: $out"
	# First: the replies' entry sees no frame here, so it goes idle
	# IDLE_MS after the verdicts that made it.
	check "offload: and its replies' direction (both ways)" \
		eval '[[ $(nfvctl -j offload show | jq "[.[] | select(.dport == 41000 and .in == \"f1\")] | length") -eq 1 ]]'
	check "offload: 2000 of 2000 datagrams of 1000 bytes arrive intact (stock peer, partial checksums)" \
		[ "$out" = "received 2000 bad 0 dup 0 bytes 2000000" ]
	check "offload: the classifier sent >= 1900 of them port to port ($(($(offl f0) - o0)))" \
		eval '[[ $(($(offl f0) - o0)) -ge 1900 ]]'
	check "offload: the NFs saw < 100 frames of the flow (a $(nf_rx a), b $(nf_rx b))" \
		eval '[[ $(nf_rx a) -lt 100 && $(nf_rx b) -lt 100 ]]'
	local f
	f=$(nfvctl -j offload show | jq -c '.[] | select(.sport == 41000)')
	diag "offload show: $f"
	check "offload: offload show lists it: in f0, out f1, chain 1, both NFs, >= 1900 packets" \
		eval '[[ $(jq -r "[.in, .out, .chain, (.voters | length), .packets >= 1900] | join(\" \")" <<<"$f") == "f0 f1 1 2 true" ]]'
	nfvctl offload flush
	check "offload: flush empties the table" \
		eval '[[ $(nfvctl -j offload show | jq length) -eq 0 ]]'
	reset
}

one_nf_cannot_bypass_another() {
	B_ARGS=-v two_nfs	# b never says so
	local o0 out
	o0=$(offl f0)
	out=$(SPORT=41001 udp_through 2000 1000)
	diag "2000 UDP datagrams, only NF a offloads: $out"
	check "no bypass: 2000 of 2000 datagrams arrive" \
		[ "$out" = "received 2000 bad 0 dup 0 bytes 2000000" ]
	check "no bypass: not one frame went port to port ($(($(offl f0) - o0)))" \
		eval '[[ $(offl f0) -eq $o0 ]]'
	check "no bypass: NF b saw every datagram ($(nf_rx b) frames)" \
		eval '[[ $(nf_rx b) -ge 2000 ]]'
	reset
}

# hostile_out NAME KEY: what the hostile NF said for KEY.
hostile_out() { sed -n "s/^$2: //p" "$RUNDIR/$1.log" | tail -1; }

verdicts_are_checked() {
	local ifi
	ifi=$(ip -n "$NS_FAB" -j link show f0 | jq '.[0].ifindex')
	# x is on no chain; h is the first NF of chain 1, b (no --offload)
	# the second.
	"$HOSTILE" "$SOCK" 3 verdicts "$ifi" 41002 "$RUNDIR/go" >"$RUNDIR/x.log" 2>&1 &
	NF_PID[x]=$!
	"$HOSTILE" "$SOCK" 1 verdicts "$ifi" 41002 "$RUNDIR/go" >"$RUNDIR/h.log" 2>&1 &
	NF_PID[h]=$!
	start_nf b 2 -v
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	chains 1 2
	touch "$RUNDIR/go"
	busywait $((30000 * TIME_SCALE)) eval 'grep -qs "nfvd answers" "$RUNDIR/h.log" && grep -qs "nfvd answers" "$RUNDIR/x.log"'
	diag "h: $(tr '\n' ' ' <"$RUNDIR/h.log")"
	diag "x: $(tr '\n' ' ' <"$RUNDIR/x.log")"
	check "verdicts: an NF on no chain of the flow is refused (EPERM)" \
		[ "$(hostile_out x own)" = EPERM ]
	check "verdicts: the first NF of the chain is counted" \
		[ "$(hostile_out h own)" = ok ]
	check "verdicts: family 99 refused (EAFNOSUPPORT)" \
		[ "$(hostile_out h bad-family)" = EAFNOSUPPORT ]
	check "verdicts: a 5-byte address refused (EINVAL)" \
		[ "$(hostile_out h bad-addr-len)" = EINVAL ]
	check "verdicts: no destination refused (EINVAL)" \
		[ "$(hostile_out h no-dst)" = EINVAL ]
	check "verdicts: ICMP refused (EOPNOTSUPP)" \
		[ "$(hostile_out h icmp)" = EOPNOTSUPP ]
	check "verdicts: an ifindex that is no port refused (ENODEV)" \
		[ "$(hostile_out h not-a-port)" = ENODEV ]
	check "verdicts: a flood of $(hostile_out h flood) verdicts is answered ($(hostile_out h drained) ms)" \
		[ "$(hostile_out h drained | cut -d' ' -f1)" = ok ]
	# 4096 verdicts at once, 4096 a second after: what nfvd took (ok, or
	# refused only for want of room) within the flood's time is bounded.
	local took bound
	took=$(( $(hostile_out h "flood ok") + $(hostile_out h "flood nospc") ))
	bound=$(( 4096 + 4096 * $(hostile_out h "flood ms") / 1000 + 64 ))
	check "verdicts: the flood is rate-limited ($took of $(hostile_out h flood) taken in $(hostile_out h 'flood ms') ms, <= $bound; $(hostile_out h 'flood busy') EBUSY)" \
		eval '[[ $took -le $bound && $(hostile_out h "flood busy") -ge 1 && $(hostile_out h "flood other") -eq 0 ]]'
	check "verdicts: one NF fills its share of the table only ($(hostile_out h 'flood nospc') refused ENOSPC)" \
		eval '[[ $(hostile_out h "flood nospc") -ge 1 ]]'
	check "verdicts: x's flood was refused whole ($(hostile_out x 'flood ok') taken, $(hostile_out x 'flood other') EPERM)" \
		eval '[[ $(hostile_out x "flood ok") -eq 0 && $(hostile_out x "flood other") -ge 1 ]]'
	check "verdicts: nfvd still answers after the flood" \
		[ "$(hostile_out h 'nfvd answers')" = ok ]
	# h alone agreed: nothing offloaded, b sees every frame (h does not
	# forward: the frames stop at h, counted as its rx).
	local o0 out
	o0=$(offl f0)
	SPORT=41002 udp_through 50 100 >/dev/null
	check "verdicts: h's verdicts alone offload nothing" \
		eval '[[ $(offl f0) -eq $o0 ]]'
	# While h's flood waits in the table, another chain's flow (an exact
	# rule) is offloaded all the same: one NF fills its share only.
	start_nf a2 4 --offload; start_nf b2 5 --offload
	wait_replicas 4 1 && wait_replicas 5 1
	nfvctl chain add 3 service 4 service 5 out f1 >/dev/null
	nfvctl chain add 4 service 5 service 4 out f0 >/dev/null
	nfvctl flow add in f0 proto udp src 198.18.0.1 dst 198.18.0.2 sport 41010 dport 9000 chain 3 >/dev/null
	nfvctl flow add in f1 proto udp src 198.18.0.2 dst 198.18.0.1 sport 9000 dport 41010 chain 4 >/dev/null
	o0=$(offl f0)
	out=$(SPORT=41010 udp_through 1000 500)
	check "verdicts: beside the flood, another chain's flow is offloaded ($(($(offl f0) - o0)) port to port, $out)" \
		eval '[[ $out == "received 1000 bad 0 dup 0 bytes 500000" && $(($(offl f0) - o0)) -ge 900 ]]'
	nfvctl flow del in f0 proto udp src 198.18.0.1 dst 198.18.0.2 sport 41010 dport 9000 >/dev/null
	nfvctl flow del in f1 proto udp src 198.18.0.2 dst 198.18.0.1 sport 9000 dport 41010 >/dev/null
	# Its verdicts die with it: a real chain offloads again.
	reset
	two_nfs
	o0=$(offl f0)
	out=$(SPORT=41003 udp_through 1000 500)
	check "verdicts: after the flood's NF is gone, a flow is offloaded again ($(($(offl f0) - o0)) port to port, $out)" \
		eval '[[ $out == "received 1000 bad 0 dup 0 bytes 500000" && $(($(offl f0) - o0)) -ge 900 ]]'
	reset
}

chain_change_takes_flows_back() {
	two_nfs
	start_nf c 3 -v		# never offloads
	wait_replicas 3 1
	SPORT=41004 udp_through 500 500 >/dev/null
	local o0 out
	o0=$(offl f0)
	SPORT=41004 udp_through 500 500 >/dev/null
	check "chain change: the flow is offloaded before ($(($(offl f0) - o0)) of 500)" \
		eval '[[ $(($(offl f0) - o0)) -ge 490 ]]'
	nfvctl chain replace 1 service 1 service 3 service 2 out f1 >/dev/null
	o0=$(offl f0)
	out=$(SPORT=41004 udp_through 1000 500)
	check "chain change: all 1000 datagrams arrive through the new chain ($out)" \
		[ "$out" = "received 1000 bad 0 dup 0 bytes 500000" ]
	check "chain change: NF c, new on the chain, saw every one ($(nf_rx c))" \
		eval '[[ $(nf_rx c) -ge 1000 ]]'
	check "chain change: none went port to port ($(($(offl f0) - o0)))" \
		eval '[[ $(offl f0) -eq $o0 ]]'
	reset
}

nf_death_takes_flows_back() {
	two_nfs
	SPORT=41005 udp_through 500 500 >/dev/null
	local o0 out rx0
	o0=$(offl f0)
	SPORT=41005 udp_through 200 500 >/dev/null
	check "NF death: the flow is offloaded before ($(($(offl f0) - o0)) of 200)" \
		eval '[[ $(($(offl f0) - o0)) -ge 190 ]]'
	kill -9 "${NF_PID[b]}"; wait "${NF_PID[b]}" 2>/dev/null
	unset 'NF_PID[b]'
	busywait 3000 eval '[[ $(nfvctl -j service show | jq "[.[] | select(.id == 2) | .replicas | length] | add // 0") -eq 0 ]]'
	o0=$(offl f0)
	rx0=$(nf_rx a)
	out=$(SPORT=41005 udp_through 300 500)
	check "NF death: nothing goes around the dead NF ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	check "NF death: not one frame port to port ($(($(offl f0) - o0)))" \
		eval '[[ $(offl f0) -eq $o0 ]]'
	check "NF death: the flow's frames take its chain again (NF a saw +$(($(nf_rx a) - rx0)))" \
		eval '[[ $(($(nf_rx a) - rx0)) -ge 300 ]]'
	reset
}

idle_flow_goes_back() {
	two_nfs
	SPORT=41006 udp_through 200 500 >/dev/null
	local o0 out
	# Only this flow is offloaded: the port's offload counter is its own
	# (an NF's rx, or f0's redirects, also see the peers' IPv6 chatter).
	o0=$(offl f0)
	SPORT=41006 udp_through 200 500 >/dev/null
	check "idle: offloaded while busy ($(($(offl f0) - o0)) of 200 port to port)" \
		eval '[[ $(($(offl f0) - o0)) -eq 200 ]]'
	sleep $((2 * IDLE_MS / 1000 + 1))
	o0=$(offl f0)
	out=$(SPORT=41006 udp_through 200 500)
	check "idle: after ${IDLE_MS} ms without a frame the flow took its chain again (only $(($(offl f0) - o0)) of 200 port to port)" \
		eval '[[ $(($(offl f0) - o0)) -lt 200 ]]'
	check "idle: and every datagram arrived ($out)" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 100000" ]
	reset
}

tcp_close_goes_back() {
	two_nfs
	local e0 e1 rx0 out
	e0=$(offl_end f0); e1=$(offl_end f1)
	rx0=$(nf_rx a)
	in_dst "$TRAFFIC" tcp-recv 5001 $((20000 * TIME_SCALE)) >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 $((20 * TIME_SCALE)) "$TRAFFIC" tcp-send 198.18.0.2 5001 4000000 >/dev/null
	wait $rpid
	out=$(tail -1 "$RUNDIR/tcp.out")
	check "TCP: 4 MB from a stock peer arrive intact through the offloaded flow ($out)" \
		[ "$out" = "received 4000000 bad 0" ]
	check "TCP: the classifier saw the close (FIN/RST: f0 +$(($(offl_end f0) - e0)), f1 +$(($(offl_end f1) - e1)))" \
		eval '[[ $(($(offl_end f0) - e0)) -ge 1 && $(($(offl_end f1) - e1)) -ge 1 ]]'
	check "TCP: most of the 4 MB went port to port (NF a saw $(($(nf_rx a) - rx0)) frames)" \
		eval '[[ $(($(nf_rx a) - rx0)) -lt 1000 ]]'
	check "TCP: nfvd removed the closed flow, both ways" \
		busywait $((2000 * TIME_SCALE)) eval '[[ $(nfvctl -j offload show | jq "[.[] | select(.sport == 5001 or .dport == 5001)] | length") -eq 0 ]]'
	reset
}

# Same run, same namespaces: the kernel routing the same peers through
# three namespaces (what users do without nfv) against a 3-NF chain that
# offloads (best_router_ratio, lib.sh: best of 3 pairs).
#
# The floor is a regression guard, not issue 14's target (>= 50%): on
# these 2 vCPUs the offloaded path measures 36-64% of the routers a pair
# (docs/performance.md; 36-37% reverse in a whole CI run on 12-04, whose
# floor of 38 then failed), because an XDP program on f0 turns s0's TSO
# off and veth copies every MSS-sized skb before XDP.  The chain without
# the offload moves 15% (m88 fails here); the ports left without GRO
# (m209) fail the GRO checks above.  nfv-bench tcp-offload-3 reports the
# ratio itself.
OFFLOAD_FLOOR=${NFV_OFFLOAD_FLOOR:-30}
iperf3_offloaded() {
	command -v iperf3 >/dev/null || { tap_skip "iperf3 through an offloading chain" "iperf3 missing"; return; }
	start_nf a 1 --offload; start_nf b 2 --offload; start_nf c 3 --offload
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	chains 1 2 3
	local dev gro
	for dev in f0 f1; do
		gro=$(in_fab ethtool -k "$dev" | awk '/^generic-receive-offload:/ {print $2}')
		check "nfvd turned GRO on for fabric port $dev (so offloaded frames leave as large skbs: $gro)" \
			[ "$gro" = on ]
	done
	kernel_routers || diag "the kernel routers did not come up"
	local dir
	for dir in forward reverse; do
		best_router_ratio "$dir" 50
		check "iperf3 $dir through 3 offloading NFs: >= $OFFLOAD_FLOOR% of what three kernel routers move in the same run (best $BEST_RATIO%)" \
			eval '[[ $BEST_RATIO -ge $OFFLOAD_FLOOR ]]'
	done
	reset
}

echo "TAP version 13"
setup
for t in "${tests[@]}"; do
	diag "== $t"
	"$t"
done
diag "nfvd log:"
sed 's/^/#   /' "$RUNDIR/nfvd.log" | tail -20
echo "1..$_tap_n"
tap_exit
