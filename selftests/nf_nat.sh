#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-nat on real traffic: the inside (src) reaches the outside (dst) as
# 198.18.1.1 with ports from --ports, replies come back, ping works by
# ICMP id, an ICMP error finds its way in, only the remote contacted may
# answer, mappings expire after --timeout-udp, TCP works.
#
#   ns src (inside)         ns fabric                  ns dst (outside)
#   s0 198.18.0.1 --- f0 == nat (service 1) == f1 --- d0 198.18.0.2
#                    --inside f0, --external 198.18.1.1 (routed to d0 in dst)

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-nat

EXT=198.18.1.1
TIMEOUT=4

setup() {
	nf_setup_fabric
	ip -n "$NS_DST" route add $EXT/32 dev d0
	ip -n "$NS_DST" neigh add $EXT lladdr "$SRC_MAC" dev d0 nud permanent
	nf_chains 1
	NF_BIN=nat start_nf nat 1 --external $EXT --inside f0 \
		--ports 20000-20999 --timeout-udp $TIMEOUT
	wait_replicas 1 1
}

udp_flows() {
	(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers 9000 30000 \
		>"$RUNDIR/peers") &
	local epid=$! sp ok=0
	busywait 2000 grep -qs ready "$RUNDIR/peers"
	for sp in $(seq 31001 31010) 20500; do
		in_src "$TRAFFIC" udp-ping 198.18.0.2 9000 3 300 500 $sp |
			grep -q "^replies 3 bad 0$" && ok=$((ok + 1))
	done
	kill $epid; wait $epid 2>/dev/null
	diag "outside saw: $(grep ^peer "$RUNDIR/peers" | awk '{print $2 ":" $3}' | tr '\n' ' ')"
	check "udp: 11/11 flows answered through the NAT ($ok)" [ $ok -eq 11 ]
	check "udp: the outside saw 11 distinct peers, all $EXT" \
		eval '[[ $(grep -c "^peer $EXT " "$RUNDIR/peers") -eq 11 &&
			 $(grep -c "^peer" "$RUNDIR/peers") -eq 11 ]]'
	check "udp: every external port in --ports 20000-20999" \
		eval '! awk "/^peer/ && (\$3 < 20000 || \$3 > 20999)" "$RUNDIR/peers" | grep -q .'
	check "udp: a source port inside the range is preserved (20500)" \
		grep -q "^peer $EXT 20500$" "$RUNDIR/peers"
}

ping_by_id() {
	check "icmp: ping through the NAT (echo id translated both ways)" \
		in_src ping -c 3 -i 0.2 -W 1 -q 198.18.0.2
	check "icmp: one echo mapping" \
		[ "$(nf_json nat | jq .icmp)" -eq 1 ]
}

tcp_flow() {
	in_dst "$TRAFFIC" tcp-recv 9003 15000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout 15 "$TRAFFIC" tcp-send 198.18.0.2 9003 2000000 >/dev/null
	wait $rpid
	check "tcp: 2 MB through the NAT intact" \
		[ "$(tail -1 "$RUNDIR/tcp.out")" = "received 2000000 bad 0" ]
}

filtering_and_expiry() {
	local s before unreach
	unreach=$(in_src nstat -az IcmpInDestUnreachs | awk '/Icmp/ {print $2}')
	# Nobody listens on dst:9100: the port unreachable quotes our
	# translated datagram and must come back translated.
	in_src "$TRAFFIC" udp-send 198.18.0.2 9100 1 64 20600
	busywait 2000 eval '[[ $(nf_json nat | jq .icmp_errors) -ge 1 ]]'
	check "icmp error: translated back to the inside host" \
		busywait 2000 eval '[[ $(in_src nstat -az IcmpInDestUnreachs | awk "/Icmp/ {print \$2}") -gt ${unreach:-0} ]]'
	# The mapping 20600 <-> dst:9100 exists; only dst:9100 may use it.
	in_src "$TRAFFIC" udp-recv 20600 10 1500 >"$RUNDIR/in.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/in.out"
	before=$(nf_json nat | jq .in_no_conn)
	in_dst "$TRAFFIC" udp-send $EXT 20600 5 100 9100
	in_dst "$TRAFFIC" udp-send $EXT 20600 5 100 9101
	wait $rpid
	check "filtering: the remote contacted gets in, another port does not ($(tail -1 "$RUNDIR/in.out"))" \
		[ "$(tail -1 "$RUNDIR/in.out")" = "received 5 bad 0 bytes 500" ]
	check "filtering: unsolicited datagrams counted" \
		[ "$(nf_json nat | jq .in_no_conn)" -ge $((before + 5)) ]
	# Idle past --timeout-udp: swept, ports back, no way in.
	sleep $((TIMEOUT + 2))
	s=$(nf_json nat)
	diag "after $((TIMEOUT + 2)) s idle: $s"
	check "expiry: no UDP mapping left after the timeout" \
		eval '[[ $(jq .udp <<<"$s") -eq 0 && $(jq .expired <<<"$s") -ge 12 ]]'
	in_src "$TRAFFIC" udp-recv 20600 10 1000 >"$RUNDIR/in2.out" &
	rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/in2.out"
	in_dst "$TRAFFIC" udp-send $EXT 20600 5 100 9100
	wait $rpid
	check "expiry: the old remote no longer gets in" \
		[ "$(tail -1 "$RUNDIR/in2.out")" = "received 0 bad 0 bytes 0" ]
}

echo "TAP version 13"
setup
udp_flows
ping_by_id
tcp_flow
filtering_and_expiry
nf_stop_all
echo "1..$_tap_n"
tap_exit
