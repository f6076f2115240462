#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-nat on real traffic: the inside (src) reaches the outside (dst) as
# 198.18.1.1 with ports from --ports, replies come back, ping works by
# ICMP id, an ICMP error finds its way in, only the remote contacted may
# answer, mappings expire after --timeout-udp, TCP works.  IPv6: the
# inside prefix is translated (NPTv6, --nptv6) for UDP, TCP and ping;
# with --ipv6 drop untranslated IPv6 is dropped and counted.
#
#   ns src (inside)         ns fabric                  ns dst (outside)
#   s0 198.18.0.1 --- f0 == nat (service 1) == f1 --- d0 198.18.0.2
#                    --inside f0, --external 198.18.1.1 (routed to d0 in dst)
#   fd00:198:18::1          --nptv6 fd00:198:18::/48=fd00:198:1a::/48
#     seen outside as fd00:198:1a:fffd::1 (routed back via s0 in dst)

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-nat

EXT=198.18.1.1
TIMEOUT=4
NPT=fd00:198:18::/48=fd00:198:1a::/48
# fd00:198:18:0::1 -> fd00:198:1a:X::1, X = 0 + 0x18 - 0x1a (one's complement)
EXT6=fd00:198:1a:fffd::1

setup() {
	nf_setup_fabric
	ip -n "$NS_DST" route add $EXT/32 dev d0
	ip -n "$NS_DST" neigh add $EXT lladdr "$SRC_MAC" dev d0 nud permanent
	ip -n "$NS_DST" -6 route add fd00:198:1a::/48 via fd00:198:18::1 dev d0
	nf_chains 1
	NF_BIN=nat start_nf nat 1 --external $EXT --inside f0 \
		--ports 20000-20999 --timeout-udp $TIMEOUT --nptv6 $NPT
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
		ping_all in_src -c 3 -i 0.2 -W 1 -q 198.18.0.2
	check "icmp: one echo mapping" \
		[ "$(nf_json nat | jq .icmp)" -eq 1 ]
}

tcp_flow() {
	in_dst "$TRAFFIC" tcp-recv 9003 15000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send 198.18.0.2 9003 2000000 >/dev/null
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
		[ "$(tail -1 "$RUNDIR/in.out")" = "received 5 bad 0 dup 0 bytes 500" ]
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
		[ "$(tail -1 "$RUNDIR/in2.out")" = "received 0 bad 0 dup 0 bytes 0" ]
}

ipv6_nptv6() {
	local out s before
	before=$(nf_json nat)
	out=$(DST_ADDR=fd00:198:18::2 udp_through 200 500 9010)
	check "ipv6 udp: 200/200 datagrams through NPTv6, payloads intact ($out)" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 100000" ]
	(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers 9011 30000 \
		>"$RUNDIR/peers6") &
	local epid=$!
	busywait 2000 grep -qs ready "$RUNDIR/peers6"
	out=$(in_src "$TRAFFIC" udp-ping fd00:198:18::2 9011 3 300 500 31500)
	kill $epid; wait $epid 2>/dev/null
	check "ipv6 udp: echoes come back through the NPTv6 ($out)" \
		[ "$out" = "replies 3 bad 0" ]
	check "ipv6 udp: the outside saw $EXT6, source port kept (31500)" \
		grep -q "^peer $EXT6 31500$" "$RUNDIR/peers6"
	check "ipv6 icmp: ping through the NPTv6" \
		ping_all in_src -6 -c 3 -i 0.2 -W 1 -q fd00:198:18::2
	in_dst "$TRAFFIC" tcp-recv 9012 15000 >"$RUNDIR/tcp6.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp6.out"
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send fd00:198:18::2 9012 1000000 >/dev/null
	wait $rpid
	check "ipv6 tcp: 1 MB through the NPTv6 intact" \
		[ "$(tail -1 "$RUNDIR/tcp6.out")" = "received 1000000 bad 0" ]
	check "ipv6: no checksum error at either end (checksum-neutral mapping)" \
		eval '[[ $(in_dst nstat -az Udp6InCsumErrors | awk "/Udp6/ {print \$2}") -eq 0 &&
			 $(in_src nstat -az Udp6InCsumErrors | awk "/Udp6/ {print \$2}") -eq 0 ]]'
	s=$(nf_json nat)
	diag "nat: $(jq -c '{nptv6, npt_out, npt_in, npt_unmappable, ipv6_passed, udp, tcp, icmp}' <<<"$s")"
	check "ipv6 counters: >= 200 + 3 + 3 frames out and 3 + 3 in translated, no NAT44 state" \
		eval '[[ $(jq .npt_out <<<"$s") -ge 206 && $(jq .npt_in <<<"$s") -ge 6 &&
			 $(jq .npt_unmappable <<<"$s") -eq 0 &&
			 $(jq .created <<<"$s") -eq $(jq .created <<<"$before") ]]'
}

ipv6_drop_policy() {
	local out s
	nf_stop_all
	NF_BIN=nat start_nf nat 1 --external $EXT --inside f0 --ipv6 drop
	wait_replicas 1 1
	out=$(DST_ADDR=fd00:198:18::2 udp_through 50 100 9013)
	check "ipv6 drop: 0/50 datagrams without --nptv6 ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	s=$(nf_json nat)
	check "ipv6 drop: counted ($(jq .ipv6_dropped <<<"$s") dropped, policy $(jq -r .ipv6 <<<"$s"))" \
		eval '[[ $(jq .ipv6_dropped <<<"$s") -ge 50 && $(jq .ipv6_passed <<<"$s") -eq 0 ]]'
	out=$(udp_through 50 100 9014)
	check "ipv6 drop: IPv4 still translated ($out)" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 5000" ]
}

echo "TAP version 13"
setup
udp_flows
ping_by_id
tcp_flow
filtering_and_expiry
ipv6_nptv6
ipv6_drop_policy
nf_stop_all
echo "1..$_tap_n"
tap_exit
