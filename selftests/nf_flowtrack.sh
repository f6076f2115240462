#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-flowtrack on real traffic: exact packet and byte counts each way for
# known flows, TCP flags, first/last seen in the test's time window, the
# dump on SIGUSR1 (--dump FILE) and at exit (stdout).
#
#   ns src            ns fabric                              ns dst
#   s0 198.18.0.1 --- f0 == flowtrack (service 1) == f1 --- d0 198.18.0.2

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-flowtrack

DUMP=$RUNDIR/flows.json

flow() {	# flow SPORT DPORT PROTO: the record of that flow from the dump
	jq -c ".flows[] | select(.src == \"198.18.0.1\" and .sport == $1 and .dport == $2 and .proto == \"$3\")" "$DUMP"
}

traffic_and_dump() {
	local t0 t1 f
	t0=$(date +%s)
	NF_BIN=flowtrack start_nf ft 1 --dump "$DUMP"
	wait_replicas 1 1
	# 20 echoed datagrams of 300 bytes (342-byte frames) each way.
	(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers 9300 10000 >"$RUNDIR/peers") &
	local epid=$!
	busywait 2000 grep -qs ready "$RUNDIR/peers"
	in_src "$TRAFFIC" udp-ping 198.18.0.2 9300 20 300 500 41001 >/dev/null
	kill $epid; wait $epid 2>/dev/null
	# 50 one-way datagrams of 500 bytes.
	local out
	out=$(SPORT=41002 udp_through 50 500 9301)
	# TCP, 200 kB.
	in_dst "$TRAFFIC" tcp-recv 9302 10000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 10 "$TRAFFIC" tcp-send 198.18.0.2 9302 200000 >/dev/null
	wait $rpid
	t1=$(( $(date +%s) + 1 ))

	kill -USR1 "${NF_PID[ft]}"
	check "dump: SIGUSR1 writes --dump FILE" busywait 2000 test -s "$DUMP"
	check "dump: valid JSON" jq -e .flows "$DUMP"
	diag "$(jq -c .n_flows "$DUMP") flows; udp echo: $(flow 41001 9300 udp)"

	f=$(flow 41001 9300 udp)
	check "udp echo: 20 packets / 6840 bytes each way, in one record" \
		eval '[[ $(jq -c "[.packets, .bytes, .reply_packets, .reply_bytes]" <<<"$f") == "[20,6840,20,6840]" ]]'
	check "udp echo: first/last seen within the test, first <= last" \
		eval '[[ $(jq "(.first_seen >= $t0) and (.last_seen <= $t1) and (.first_seen <= .last_seen) and (.last_seen - .first_seen > 0)" <<<"$f") == true ]]'
	check "udp echo: initiator's ingress port is f0" \
		[ "$(jq .in_port <<<"$f")" = "$(nfvctl -j port show | jq '.[] | select(.name == "f0") | .id')" ]
	f=$(flow 41002 9301 udp)
	check "udp one-way: 50 packets / 27100 bytes, no reply ($out)" \
		eval '[[ $(jq -c "[.packets, .bytes, .reply_packets]" <<<"$f") == "[50,27100,0]" ]]'
	f=$(jq -c '.flows[] | select(.proto == "tcp" and .dport == 9302)' "$DUMP")
	diag "tcp: $f"
	check "tcp: payload bytes and replies counted" \
		eval '[[ $(jq "(.bytes > 200000) and (.reply_packets > 0) and (.packets > 5)" <<<"$f") == true ]]'
	check "tcp: SYN, ACK and FIN seen" \
		eval '[[ $(jq "[.tcp_flags[] | select(. == \"SYN\" or . == \"ACK\" or . == \"FIN\")] | length" <<<"$f") -eq 3 ]]'
	check "dump: the receiver got what was counted" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 25000" ]

	rm -f "$DUMP"
	nf_stop_all
	check "exit: the table is dumped at exit" \
		eval '[[ $(jq -c "$(echo ".flows[] | select(.sport == 41002) | .packets")" "$DUMP") -eq 50 ]]'
}

stdout_dump() {
	NF_BIN=flowtrack start_nf ft2 1
	wait_replicas 1 1
	local out
	out=$(SPORT=41003 udp_through 10 100 9303)
	check "stdout: the dump goes to stdout without --dump" \
		eval '[[ $(nf_json ft2 | jq ".flows[] | select(.sport == 41003) | .packets") -eq 10 ]]'
	nf_stop_all
}

echo "TAP version 13"
nf_setup_fabric
nf_chains 1
traffic_and_dump
stdout_dump
echo "1..$_tap_n"
tap_exit
