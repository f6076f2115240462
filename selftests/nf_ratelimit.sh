#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-ratelimit on real traffic: paced UDP above the rate, delivered
# count = burst + rate x sending time (within 20%), the excess dropped and
# counted exactly; per-flow buckets let two flows through at the rate
# each; --bps limits bytes.  A flow rule sends only the test's datagrams
# (udp 9000-9003 from f0) through the limiter.
#
#   ns src            ns fabric                            ns dst
#   s0 198.18.0.1 --- f0 == ratelimit (service 1) == f1 --- d0 198.18.0.2

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-ratelimit

# send_paced DPORT COUNT SIZE PPS [SPORT]: prints the sending time in ms.
send_paced() {
	local t0
	t0=$(date +%s%N)
	in_src "$TRAFFIC" udp-send-rate 198.18.0.2 "$1" "$2" "$3" "$4" ${5:-} >/dev/null
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

# within GOT EXPECTED PERCENT
within() {
	local lo=$(( $2 * (100 - $3) / 100 )) hi=$(( $2 * (100 + $3) / 100 ))
	(( $1 >= lo && $1 <= hi ))
}

aggregate() {
	NF_BIN=ratelimit start_nf rl 1 --rate 200 --burst 20
	wait_replicas 1 1
	in_dst "$TRAFFIC" udp-recv 9000 1000 2500 >"$RUNDIR/r.out" &
	local rpid=$! ms got exp s rcv
	busywait 2000 grep -qs ready "$RUNDIR/r.out"
	ms=$(send_paced 9000 1000 200 1000)
	wait $rpid
	rcv=$(awk '/received/ {print $2}' "$RUNDIR/r.out")
	s=$(nf_json rl)
	got=$(jq .passed <<<"$s")
	exp=$(( 20 + 200 * ms / 1000 ))
	diag "aggregate 200 pps: 1000 sent in $ms ms, passed $got (expected ~$exp): $s"
	check "aggregate: passed = burst + rate x time within 20% ($got vs $exp)" \
		within "$got" "$exp" 20
	check "aggregate: the receiver got exactly what passed ($rcv of $got)" \
		[ "${rcv:-0}" -eq "$got" ]
	check "aggregate: the excess is dropped and counted (passed + dropped = 1000)" \
		[ $(( $(jq .dropped <<<"$s") + got )) -eq 1000 ]
	nf_stop_all
}

per_flow() {
	NF_BIN=ratelimit start_nf rl 1 --rate 100 --burst 10 --per-flow
	wait_replicas 1 1
	in_dst "$TRAFFIC" udp-recv 9001 500 5000 >"$RUNDIR/a.out" &
	local apid=$!
	in_dst "$TRAFFIC" udp-recv 9002 500 5000 >"$RUNDIR/b.out" &
	local bpid=$! ms t0 a b exp
	busywait 2000 grep -qs ready "$RUNDIR/a.out"
	busywait 2000 grep -qs ready "$RUNDIR/b.out"
	t0=$(date +%s%N)
	in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9001 500 100 500 40001 >/dev/null &
	in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9002 500 100 500 40002 >/dev/null
	wait %%
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	wait $apid $bpid
	a=$(awk '/received/ {print $2}' "$RUNDIR/a.out")
	b=$(awk '/received/ {print $2}' "$RUNDIR/b.out")
	exp=$(( 10 + 100 * ms / 1000 ))
	diag "per-flow 100 pps: 2 flows x 500 in $ms ms, delivered $a and $b (expected ~$exp each)"
	check "per-flow: flow 1 gets its own rate ($a vs $exp)" within "${a:-0}" "$exp" 20
	check "per-flow: flow 2 gets its own rate ($b vs $exp)" within "${b:-0}" "$exp" 20
	check "per-flow: two buckets" [ "$(nf_json rl | jq .flows)" -ge 2 ]
	nf_stop_all
}

bytes() {
	# 800 kbit/s = 100000 B/s of frames; 1042-byte frames at 400 pps.
	NF_BIN=ratelimit start_nf rl 1 --bps 800k --burst 5000
	wait_replicas 1 1
	# Not through in_dst: $! must be the receiver itself, to stop it.
	ip netns exec "$NS_DST" "$TRAFFIC" udp-recv 9003 800 6000 >"$RUNDIR/c.out" &
	local rpid=$! ms got exp s
	busywait 2000 grep -qs ready "$RUNDIR/c.out"
	ms=$(send_paced 9003 800 1000 400)
	sleep 0.3
	kill $rpid 2>/dev/null; wait $rpid 2>/dev/null
	s=$(nf_json rl)
	got=$(jq .passed_bytes <<<"$s")
	exp=$(( 5000 + 100000 * ms / 1000 ))
	diag "bps 800k: 800 x 1042 B in $ms ms, passed $got B (expected ~$exp): $s"
	check "bps: passed bytes = burst + rate x time within 20% ($got vs $exp)" \
		within "$got" "$exp" 20
	nf_stop_all
}

echo "TAP version 13"
nf_setup_fabric
# Only the test's datagrams cross the limiter: counts are exact.
nfvctl chain add 1 service 1 out f1 >/dev/null
nfvctl flow add in f0 proto udp dport 9000-9003 chain 1 >/dev/null
aggregate
per_flow
bytes
echo "1..$_tap_n"
tap_exit
