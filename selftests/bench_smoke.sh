#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-bench must not rot: a seconds-long run of its scenarios, each of
# which has to produce its figures (not their values: 2 shared cores).

source "$(dirname "$0")/lib.sh"
require_root
BENCH=$BIN/nfv-bench
[[ -x $BENCH ]] || { echo "1..0 # SKIP nfv-bench not built"; exit $ksft_skip; }

echo "TAP version 13"
out=$RUNDIR/smoke.json
timeout 600 "$BENCH" --smoke -j >"$out" 2>"$RUNDIR/smoke.err"
tap_ok $? "nfv-bench --smoke -j exits 0"
jq -e . "$out" >/dev/null 2>&1
tap_ok $? "output is one JSON document"

expect() {	# expect SCENARIO FIELD...
	local s=$1 f
	shift
	for f in "$@"; do
		jq -e ".scenarios[\"$s\"].$f | numbers | . > 0" "$out" >/dev/null 2>&1
		tap_ok $? "$s: $f > 0 ($(jq -c ".scenarios[\"$s\"].$f" "$out" 2>/dev/null))"
	done
}
expect baseline-xdp-drop mpps
expect baseline-xsk-rxdrop mpps
expect baseline-xsk-l2fwd mpps
expect nfv-1 mpps ratio
expect nfv-chain-1 mpps busy_cores ns_per_hop
expect nfv-chain-2 mpps busy_cores ns_per_hop
expect nfv-replicas-2 mpps
expect latency-1 pps p50_us p99_us p999_us
expect nf-start ms_median ms_p99
expect density-16 nfs ms_first_packet_max
for nf in forward firewall ids lb nat ratelimit flowtrack monitor arp bridge forward-2 vxlan; do
	expect "nf-$nf" mpps ratio nf_rx
done
sed 's/^/# /' "$RUNDIR/smoke.err" | tail -5
echo "1..$_tap_n"
tap_exit
