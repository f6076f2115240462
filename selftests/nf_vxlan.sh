#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-vxlan against the kernel's own VXLAN: src speaks plain Ethernet,
# the fabric encapsulates towards dst, where a Linux vxlan device (VNI 42)
# terminates the tunnel; its encapsulated answers are decapsulated by the
# fabric on the way back.  UDP echo and TCP both ways.
#
#   ns src                   ns fabric                          ns dst
#   s0 198.18.0.1     f0 -- vxlan --encap (svc 1) --> f1     d0 198.18.0.2
#      198.18.2.1 --- f0 <-- vxlan --decap (svc 2) -- f1 --- vx0 198.18.2.2
#      (plain)                                                (VNI 42, 4789)

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-vxlan

VX_MAC=02:00:00:00:42:02

setup() {
	nf_setup_fabric
	ip -n "$NS_SRC" addr add 198.18.2.1/24 dev s0
	ip -n "$NS_SRC" neigh add 198.18.2.2 lladdr $VX_MAC dev s0 nud permanent
	ip -n "$NS_DST" link add vx0 address $VX_MAC type vxlan id 42 \
		local 198.18.0.2 remote 198.18.0.1 dstport 4789 dev d0
	ip -n "$NS_DST" addr add 198.18.2.2/24 dev vx0
	ip -n "$NS_DST" link set vx0 up
	ip -n "$NS_DST" neigh add 198.18.2.1 lladdr "$SRC_MAC" dev vx0 nud permanent
	nfvctl chain add 1 service 1 out f1 >/dev/null
	nfvctl chain add 2 service 2 out f0 >/dev/null
	nfvctl port del f0 >/dev/null; nfvctl port add f0 default-chain 1 >/dev/null
	nfvctl port del f1 >/dev/null; nfvctl port add f1 default-chain 2 >/dev/null
	NF_BIN=vxlan start_nf enc 1 --encap --vni 42 --local 198.18.0.1 \
		--remote 198.18.0.2 --dst-mac "$DST_MAC"
	NF_BIN=vxlan start_nf dec 2 --decap --vni 42
	wait_replicas 1 1 && wait_replicas 2 1
}

udp_echo() {
	(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers 9500 10000 198.18.2.2 \
		>"$RUNDIR/peers") &
	local epid=$! sp ok=0 before
	busywait 2000 grep -qs ready "$RUNDIR/peers"
	before=$(in_dst nstat -az | awk '/Vxlan|UdpInDatagrams/ {print $1 "=" $2}' | tr '\n' ' ')
	for sp in 42001 42002 42003 42004; do
		in_src "$TRAFFIC" udp-ping 198.18.2.2 9500 10 1200 500 $sp |
			grep -q "^replies 10 bad 0$" && ok=$((ok + 1))
	done
	kill $epid; wait $epid 2>/dev/null
	diag "dst peers: $(grep ^peer "$RUNDIR/peers" | tr '\n' ' ')"
	check "udp: 4 flows x 10 echoes of 1200 bytes through the tunnel ($ok/4)" \
		[ $ok -eq 4 ]
	check "udp: the vxlan device saw the inner source 198.18.2.1" \
		eval '[[ $(grep -c "^peer 198.18.2.1 4200[1-4]$" "$RUNDIR/peers") -eq 4 ]]'
	local e d
	e=$(nf_json enc); d=$(nf_json dec)
	diag "encap: $e"
	diag "decap: $d"
	check "counters: 40 frames encapsulated, 40 decapsulated" \
		eval '[[ $(jq .encap <<<"$e") -ge 40 && $(jq .decap <<<"$d") -ge 40 ]]'
	check "counters: nothing malformed, no checksum or VNI errors" \
		eval '[[ $(jq ".malformed + .bad_csum + .bad_vni" <<<"$d") -eq 0 && $(jq .no_headroom <<<"$e") -eq 0 ]]'
}

tcp_both_ways() {
	in_dst "$TRAFFIC" tcp-recv 9501 15000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send 198.18.2.2 9501 2000000 >/dev/null
	wait $rpid
	check "tcp: 2 MB through the tunnel intact ($(tail -1 "$RUNDIR/tcp.out"))" \
		[ "$(tail -1 "$RUNDIR/tcp.out")" = "received 2000000 bad 0" ]
	diag "decap: inner checksums completed: $(nf_json dec | jq .csum_fixed)"
}

wrong_vni() {
	# A second device on VNI 43 in dst: its frames reach our decap,
	# which drops them.
	ip -n "$NS_DST" link add vx1 type vxlan id 43 local 198.18.0.2 \
		remote 198.18.0.1 dstport 4789 dev d0
	ip -n "$NS_DST" addr add 198.18.3.2/24 dev vx1
	ip -n "$NS_DST" link set vx1 up
	ip -n "$NS_DST" neigh add 198.18.3.1 lladdr "$SRC_MAC" dev vx1 nud permanent
	local before
	before=$(nf_json dec | jq .bad_vni)
	in_dst "$TRAFFIC" udp-send 198.18.3.1 9502 10 100 >/dev/null
	check "vni: frames of VNI 43 dropped by a --vni 42 decap" \
		busywait 2000 eval '[[ $(nf_json dec | jq .bad_vni) -ge $((before + 10)) ]]'
}

echo "TAP version 13"
setup
udp_echo
tcp_both_ways
wrong_vni
nf_stop_all
echo "1..$_tap_n"
tap_exit
