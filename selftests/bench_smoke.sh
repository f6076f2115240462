#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-bench must not rot: a seconds-long run of its scenarios, each of
# which has to produce its measured figures within plausible ranges (not
# performance targets: 2 shared cores).

source "$(dirname "$0")/lib.sh"
require_root
BENCH=$BIN/nfv-bench
[[ -x $BENCH ]] || { echo "1..0 # SKIP nfv-bench not built"; exit $ksft_skip; }

echo "TAP version 13"
out=$RUNDIR/smoke.json
timeout -k 30 600 "$BENCH" --smoke -j >"$out" 2>"$RUNDIR/smoke.err"
tap_ok $? "nfv-bench --smoke -j exits 0"
# -n and input: jq -e on an empty file exits 0 (no output, no false).
jq -n -e 'input | type == "object"' "$out" >/dev/null 2>&1
tap_ok $? "output is one JSON document"

# Only figures nfv-bench measures, each within what is physically
# plausible here: a rate above 0 and below 100 Mpps, latencies ordered
# and under a second, CPU use within the machine.  Figures it sets
# itself (latency-1's offered pps, density's nfs, the references'
# ratio 1) prove nothing and are not asserted.
range() {	# range SCENARIO FIELD MIN MAX: MIN < value <= MAX
	local s=$1 f=$2 v
	v=$(jq -c ".scenarios[\"$s\"].$f" "$out" 2>/dev/null)
	jq -n -e --argjson lo "$3" --argjson hi "$4" \
		"input | .scenarios[\"$s\"].$f | numbers | . > \$lo and . <= \$hi" \
		"$out" >/dev/null 2>&1
	tap_ok $? "$s: $3 < $f <= $4 ($v)"
}
ordered() {	# ordered SCENARIO FIELD...: non-decreasing
	local s=$1 q= f
	shift
	for f; do
		q+=".scenarios[\"$s\"].$f,"
	done
	jq -n -e "input | [${q%,}] as \$v | (\$v | map(numbers) | length) == $# and \$v == (\$v | sort)" \
		"$out" >/dev/null 2>&1
	tap_ok $? "$s: $* in order ($(jq -c "[${q%,}]" "$out" 2>/dev/null))"
}
cores=$(nproc)
for s in baseline-xdp-drop baseline-xsk-rxdrop baseline-xsk-l2fwd nfv-1 \
	 nfv-chain-1 nfv-chain-2 nfv-replicas-2; do
	range "$s" mpps 0 100
done
range nfv-1 ratio 0 5
for s in nfv-chain-1 nfv-chain-2; do
	range "$s" busy_cores 0 $((cores + 1))
	range "$s" ns_per_hop 0 1000000
done
range latency-1 pps 0 100000000	# measured, not the offered rate
range latency-1 sent_pps 0 100000000	# what the generator sent, measured
range latency-1 p50_us 0 1000000
ordered latency-1 p50_us p99_us p999_us
range latency-1 p999_us 0 1000000
range nf-start starts 2 3	# all 3 starts of --smoke saw their first packet
range nf-start ms_median 0 3000
# Its steps: each measured (a missing time stamp loses the start).
range nf-start steps_ms_median.fork 0 3000
range nf-start steps_ms_median.exec 0 3000
range nf-start steps_ms_median.attach 0 3000
range nf-start steps_ms_median.first_packet 0 3000
# A p99 from 3 starts would be the worst of 3: none is reported below 20.
check_null() {	# check_null SCENARIO FIELD
	jq -n -e "input | .scenarios[\"$1\"] | has(\"$2\") and .$2 == null" "$out" >/dev/null 2>&1
	tap_ok $? "$1: no $2 from $(jq ".scenarios[\"$1\"].starts" "$out" 2>/dev/null) samples"
}
check_null nf-start ms_p99
range tcp-offload-3 native_gbps 0 1000	# the same trials on native ports
range tcp-chain-3-generic gbps 0 1000
range tcp-chain-3-generic segmented 0 1000000000000	# super-frames cut for the NFs
# A socket takes the sender's super-frames cut on a native port, whole
# (a descriptor chain, XDP_USE_SG) on a generic one; sent on whole, none
# reaches d0 (AF_XDP transmits no GSO skb: longer than d0's MTU).
range superframes segmented.gbps 0 1000
range superframes sg.gbps 0 1000
range superframes segmented_packet_bytes 0 1514
range superframes sg_packet_bytes 1514 65536
range superframes forwarded_segmented_gbps 0 1000
range superframes forwarded_sg_gbps -1 0
range density-16 ms_first_packet_max 0 10000
range density-16 idle_cpu_pct -1 100
for nf in forward forward-2 firewall ids lb nat ratelimit flowtrack monitor arp bridge vxlan; do
	range "nf-$nf" mpps 0 100
	range "nf-$nf" nf_rx 0 1000000000
	range "nf-$nf" cpu_ns_per_pkt 0 100000000
	[[ $nf == forward* ]] || range "nf-$nf" ratio 0 5
done
# The run's wall time, and each section's, which add up to no more.
jq -n -e 'input | (.seconds | numbers) > 0 and (.timing | length) > 0 and
	([.timing[]] | add) <= .seconds + 0.5' "$out" >/dev/null 2>&1
tap_ok $? "seconds and timing: $(jq -c '[.seconds, ([.timing[]] | add)]' "$out" 2>/dev/null)"
# The plots of docs/ from this run's JSON, as SVG and as PNG, each
# with its data drawn (a legend entry only data gives).
PLOT=$TOP/tools/nfv-bench
if command -v gnuplot >/dev/null; then
	for p in "chain:Mpps / busy core" "latency:latency-1 (" "tcp:nfv chain-3"; do
		for ext in svg png; do
			f=$RUNDIR/${p%%:*}.$ext
			"$PLOT/plot-${p%%:*}" "$out" "$f" >"$RUNDIR/plot.err" 2>&1
			rc=$?
			if [[ $ext == svg ]]; then
				[[ $rc -eq 0 ]] && grep -q '<svg' "$f" && grep -qF "${p#*:}" "$f"
			else
				[[ $rc -eq 0 ]] && [[ $(head -c 8 "$f" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]]
			fi
			tap_ok $? "plot-${p%%:*} makes $ext ($(stat -c %s "$f" 2>/dev/null || echo no) bytes)"
			[[ -s $RUNDIR/plot.err ]] && sed 's/^/# /' "$RUNDIR/plot.err"
		done
	done
else
	tap_skip "plot-chain, plot-latency, plot-tcp" "legit: gnuplot not installed (tools/install-deps --plot)"
fi
sed 's/^/# /' "$RUNDIR/smoke.err" | tail -5
echo "1..$_tap_n"
tap_exit
