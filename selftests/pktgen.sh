#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-pktgen's sink counts what the soak and the benchmark rely on: every
# frame once, and a frame seen twice as a duplicate.  Two namespaces and
# a veth pair, no fabric:
#
#   ns src: nfv-pktgen gen on s0 ──▶ d0: nfv-pktgen sink (ns dst)
#
# The generator numbers frames per CPU from 0 in every run, so two runs
# on the same CPU send the same numbers: the second run's frames are
# duplicates to the sink.  gen --socket (AF_PACKET, paced by sleeping)
# keeps the rate asked for, loses nothing and leaves the CPU to others.

source "$(dirname "$0")/lib.sh"
require_root
PKTGEN=$BIN/nfv-pktgen
[[ -x $PKTGEN ]] || { echo "1..0 # SKIP $PKTGEN not built"; exit $ksft_skip; }

echo "TAP version 13"
NS_A=nfv-pga-$SUFFIX NS_B=nfv-pgb-$SUFFIX
ip netns add "$NS_A" && ip netns add "$NS_B" || { echo "Bail out! netns"; exit 1; }
defer "ip netns del $NS_A; ip netns del $NS_B"
ip -n "$NS_A" link add s0 type veth peer name d0 netns "$NS_B"
ip -n "$NS_A" link set s0 up
ip -n "$NS_B" link set d0 up
mac=$(ip -n "$NS_B" -j link show d0 | jq -r '.[0].address')

# sink_of NAME GEN_RUNS N: a sink while GEN_RUNS runs of N frames go in,
# each on CPU 0; its JSON in $RUNDIR/NAME.json.
sink_of() {
	local name=$1 runs=$2 n=$3 i
	ip netns exec "$NS_B" "$PKTGEN" sink -i d0 -d $((3 * TIME_SCALE)) -j \
		>"$RUNDIR/$name.json" 2>"$RUNDIR/$name.err" &
	local spid=$!
	busywait 3000 grep -qs ready "$RUNDIR/$name.json"
	for ((i = 0; i < runs; i++)); do
		ip netns exec "$NS_A" taskset -c 0 "$PKTGEN" gen -i s0 \
			--dst-mac "$mac" -r 20000 -n "$n" -j >/dev/null 2>&1
	done
	wait "$spid"
}

sink_of once 1 1000
out=$(tail -1 "$RUNDIR/once.json")
diag "one run of 1000: $out"
check "sink: 1000 frames of one run, none a duplicate" \
	eval '[[ $(jq .received <<<"$out") -eq 1000 && $(jq .dups <<<"$out") -eq 0 && $(jq .dups_exact <<<"$out") == true ]]'

sink_of twice 2 1000
out=$(tail -1 "$RUNDIR/twice.json")
diag "the same 1000 twice: $out"
check "sink: the same numbers sent twice are 1000 duplicates" \
	eval '[[ $(jq .received <<<"$out") -eq 2000 && $(jq .dups <<<"$out") -eq 1000 ]]'
# gen --socket: 1 s at 20 kpps from user space, paced by sleeping.
ip netns exec "$NS_B" "$PKTGEN" sink -i d0 -d $((3 * TIME_SCALE)) -j \
	>"$RUNDIR/socket.json" 2>"$RUNDIR/socket.err" &
spid=$!
busywait 3000 grep -qs ready "$RUNDIR/socket.json"
TIMEFORMAT='%R %U %S'
{ time ip netns exec "$NS_A" "$PKTGEN" gen --socket -i s0 --dst-mac "$mac" \
	-r 20000 -d 1 -f 4 -j >"$RUNDIR/socket-gen.json" 2>&1; } 2>"$RUNDIR/socket.time"
wait "$spid"
out=$(tail -1 "$RUNDIR/socket.json")
sent=$(jq .sent "$RUNDIR/socket-gen.json")
read -r real user sys <"$RUNDIR/socket.time"
diag "gen --socket: sent $sent in ${real}s (cpu ${user}s user ${sys}s sys); sink $out"
check "gen --socket: the rate asked for, 20000 +- 5% in 1 s ($sent)" \
	eval '[[ $sent -ge 19000 && $sent -le 21000 ]]'
check "gen --socket: the sink got every frame once, in order" \
	eval '[[ $(jq .received <<<"$out") -eq $sent && $(jq .dups <<<"$out") -eq 0 && $(jq .reordered <<<"$out") -eq 0 ]]'
# Paced at 2 frames every 100 us: ~10000 batches, each a sleep unless the
# sender fell behind; a spinning pacer sleeps ~never and burns its run
# time in user space.  Its system time (sending, waking) grows with the
# machine's load, so it is not part of the check.
sleeps=$(jq .sleeps "$RUNDIR/socket-gen.json")
ucpu=$(jq .cpu_user "$RUNDIR/socket-gen.json")
check "gen --socket: it sleeps between batches ($sleeps sleeps >= 2000, user cpu ${ucpu}s < half its run time)" \
	eval '[[ $sleeps -ge 2000 && $(echo "$ucpu < $real / 2" | bc -l) -eq 1 ]]'

# gen --gso: UDP_SEGMENT sends, each one GSO skb of 44 frames that the
# veth carries whole to d0 (nothing on d0 asks for it to be cut).
ip -n "$NS_A" addr add 198.18.0.1/24 dev s0
ip -n "$NS_B" addr add 198.18.0.2/24 dev d0
rx_of() { ip -n "$NS_B" -s -j link show d0 | jq ".[0].stats64.rx.$1"; }
p0=$(rx_of packets); b0=$(rx_of bytes)
ip netns exec "$NS_A" "$PKTGEN" gen --gso -i s0 -s 1514 -n 440 -j >"$RUNDIR/gso.json" 2>&1
sent=$(jq .sent "$RUNDIR/gso.json" 2>/dev/null)
p=$(( $(rx_of packets) - p0 )); b=$(( $(rx_of bytes) - b0 ))
diag "gen --gso: sent ${sent:-?} frames; d0 got $p skbs, $b bytes"
check "gen --gso: 440 frames of 1472 B payload in 10 super-frames ($p skbs, $b bytes)" \
	eval '[[ $sent -eq 440 && $b -ge $((440 * 1472)) && $p -ge 10 && $p -le 12 ]]'
echo "1..$_tap_n"
tap_exit
