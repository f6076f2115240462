#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile NF (selftests/nf_hostile_helper.c) writes bogus descriptors
# into its return ring and into a lane to another NF: out of range,
# unaligned, frames it does not hold, double returns, runts, indexes that
# jump.  Each must be counted and dropped; nfvd and the other NF keep
# running; after the hostile NF is killed frames.free is at its baseline.

source "$(dirname "$0")/lib.sh"
require_root
HOSTILE=$TOP/build/selftests/nf_hostile_helper
[[ -x $HOSTILE ]] || { echo "1..0 # SKIP $HOSTILE not built"; exit $ksft_skip; }

echo "TAP version 13"
setup_topology >/dev/null
start_nfvd || exit 1
nfvctl port add f1 >/dev/null
nfvctl port add f0 >/dev/null
BASE_FREE=$(frames_free)

start_nf victim 2
wait_replicas 2 1
"$HOSTILE" "$SOCK" 1 2 >"$RUNDIR/hostile.out" 2>&1 &
HPID=$!
defer "kill -9 $HPID"
wait_replicas 1 1
nfvctl chain add 1 service 1 service 2 out f1 >/dev/null
# A way to wake the victim directly: UDP to port 9500 goes to it alone.
nfvctl chain add 2 service 2 out f1 >/dev/null
nfvctl flow add proto udp dst 198.18.0.2 dport 9500 chain 2 >/dev/null
nfvctl port del f0 >/dev/null
nfvctl port add f0 default-chain 1 >/dev/null

in_src "$TRAFFIC" udp-send 198.18.0.2 9000 20 200 >/dev/null
busywait 8000 grep -q "lane:" "$RUNDIR/hostile.out"
in_src "$TRAFFIC" udp-send 198.18.0.2 9500 1 64 >/dev/null	# victim reads its lane
busywait 8000 grep -q "return ring:" "$RUNDIR/hostile.out"
sed 's/^/# hostile: /' "$RUNDIR/hostile.out"
sleep 0.5

want=$(awk '/return ring:/ {print $3}' "$RUNDIR/hostile.out")
bad_nfvd=$(nfvctl -j stats | jq .bad_desc)
diag "bad descriptors counted by nfvd: $bad_nfvd of $want written"
check "nfvd counted every bogus return ($bad_nfvd >= $want)" \
	[ "$bad_nfvd" -ge "${want:-99}" ]
check "the hostile NF really held frames" grep -q "holding [1-9]" "$RUNDIR/hostile.out"
check "nfvd still running" kill -0 "$NFVD_PID"
check "victim still running" kill -0 "${NF_PID[victim]}"

kill -9 "$HPID"
wait "$HPID" 2>/dev/null
busywait 2000 eval '[[ $(nfvctl -j service show | jq "[.[] | select(.id == 1)] | length") -eq 0 ]]'
nfvctl chain del 1 >/dev/null
nfvctl chain add 1 service 2 out f1 >/dev/null
out=$(udp_through 100 500)
check "traffic flows through the victim afterwards ($out)" \
	[ "$out" = "received 100 bad 0 bytes 50000" ]
# The victim drained its lane when traffic woke it.
bad_victim=$(nfvctl -j nf show | jq '.[] | select(.name == "victim") | .bad_desc')
check "victim counted the 5 bogus lane descriptors and the index jump ($bad_victim >= 6)" \
	[ "${bad_victim:-0}" -ge 6 ]
busywait 3000 eval '[[ $(frames_free) -eq $BASE_FREE ]]'
check "frames.free back at baseline ($(frames_free)/$BASE_FREE)" \
	[ "$(frames_free)" -eq "$BASE_FREE" ]
echo "1..$_tap_n"
tap_exit
