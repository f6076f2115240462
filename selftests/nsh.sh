#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A service chain across two hosts with NSH (RFC 8300): two fabrics, each
# in its own namespace with its own nfvd, stand for host A and host B.
# Host A's chain ends in "nsh DEV SPI": its NF's frames leave in Ethernet
# + NSH; host B's port "decap nsh" strips it, and "flow add in DEV spi N
# si N" puts the frames on B's chain.  Replies take the other path back.
# Stock veth peers (checksum offload on) at both ends.
#
#   ns src          ns fabric (host A, nfvd A)        ns B (host B, nfvd B)      ns dst
#   s0 --- f0 =[1: fwd-a (1) -> nsh wa 100]= wa ~~~ wb =[spi 100 si 254 -> 1:
#                                                        fwd-b (2) -> out f1]= f1 --- d0
#          f0 =[2: fwd-a -> out f0]= [spi 200 -> 2]  ~~~  [2: fwd-b -> nsh wb 200] f1
#
# Cases: the wire is a veth pair (veth_wire) or VXLAN over a routed
# underlay between the hosts (vxlan_underlay): UDP and iperf3 TCP end to
# end, ping, tcpdump's NSH decoder on the wire, both NFs count every
# frame, frames back to baseline; malformed NSH from the wire is a
# counted drop (bad_nsh); the grammar shows in -j output.

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-forward

NS_B=nfv-fabb-$SUFFIX
NS_W=nfv-wire-$SUFFIX
defer "ip netns del $NS_W 2>/dev/null"
SOCK_B=$RUNDIR/b/nfvd.sock
NFVD_B_PID=

# Host B is lib.sh's fabric with B's namespace, socket and run files:
# nfvctl_b is nfvctl there (the same backend, NFV_BACKEND).
nfvctl_b() { on_b nfvctl "$@"; }

# Host A is lib.sh's fabric (f0); f1 moves to host B.  The wire is set
# up per case.
setup_hosts() {
	setup_topology
	ip netns add "$NS_B" && defer ip netns del "$NS_B"
	ip -n "$NS_B" link set lo up
	ip -n "$NS_FAB" link set f1 netns "$NS_B"
	ip -n "$NS_B" link set f1 up
	start_nfvd || { diag "nfvd A did not start"; sed 's/^/# /' "$RUNDIR/nfvd.log"; exit 1; }
	local a=$NFVD_PID
	mkdir -p "$RUNDIR/b"
	NS_FAB=$NS_B SOCK=$SOCK_B RUNDIR=$RUNDIR/b start_nfvd ||
		{ diag "nfvd B did not start"; sed 's/^/# /' "$RUNDIR/b/nfvd.log"; exit 1; }
	NFVD_B_PID=$NFVD_PID
	NFVD_PID=$a
}

# chains WIRE_A WIRE_B [MODE]: the two fabrics' ports, chains and rules
# over the wire devices, and one forwarding NF on each; CHAIN_OPTS, the
# chains' options (word by word).
# shellcheck disable=SC2086
chains() {
	local wa=$1 wb=$2 mode=${3:-native}
	nfvctl port add "$wa" mode "$mode" decap nsh >/dev/null &&
	nfvctl port add f0 >/dev/null &&
	nfvctl chain add 1 service 1 nsh "$wa" 100 ${CHAIN_OPTS:-} >/dev/null &&
	nfvctl chain add 2 service 1 out f0 ${CHAIN_OPTS:-} >/dev/null &&
	nfvctl flow add in "$wa" spi 200 chain 2 >/dev/null &&
	nfvctl port del f0 >/dev/null &&
	nfvctl port add f0 default-chain 1 >/dev/null 2>&1 &&
	nfvctl_b port add "$wb" mode "$mode" decap nsh >/dev/null &&
	nfvctl_b port add f1 >/dev/null &&
	nfvctl_b chain add 1 service 2 out f1 ${CHAIN_OPTS:-} >/dev/null &&
	nfvctl_b chain add 2 service 2 nsh "$wb" 200 ${CHAIN_OPTS:-} >/dev/null &&
	nfvctl_b flow add in "$wb" spi 100 si 254 chain 1 >/dev/null &&
	nfvctl_b port del f1 >/dev/null &&
	nfvctl_b port add f1 default-chain 2 >/dev/null 2>&1 || return 1
	# What the ports' rings hold aside, no NF attached: the baseline.
	FREE_A=$(free_a)
	FREE_B=$(free_b)
	start_nf fwd-a 1 ${FWD_A_ARGS:-}
	SOCK=$SOCK_B start_nf fwd-b 2
	wait_replicas 1 1 &&
	busywait 5000 eval "[[ \$(nfvctl_b -j service show | jq '[.[] | select(.id == 2) | .replicas | length] | add // 0') -ge 1 ]]"
}

unchain() {
	nf_stop_all
	check "${3:-chain}: frames back to baseline on both hosts once the NFs are gone" \
		busywait 3000 eval '[[ $(free_a) -eq $FREE_A && $(free_b) -eq $FREE_B ]]'
	diag "${3:-chain}: frames free: A $(free_a) of $FREE_A, B $(free_b) of $FREE_B"
	local c m
	for c in nfvctl nfvctl_b; do
		# shellcheck disable=SC2086 # the match, word by word
		while read -r m; do $c flow del $m >/dev/null; done < <($c -j flow show |
			jq -r '.[] | "in \(.in) spi \(.spi)" + (if .si then " si \(.si)" else "" end)')
		$c chain del 1 >/dev/null
		$c chain del 2 >/dev/null
	done
	nfvctl port del f0 >/dev/null
	nfvctl_b port del f1 >/dev/null
	nfvctl port del "$1" >/dev/null
	nfvctl_b port del "$2" >/dev/null
}

# lib.sh's readers, on host A and (on_b) on host B.
on_b() { NS_FAB=$NS_B SOCK=$SOCK_B "$@"; }
rx_a() { nf_rx fwd-a; }
rx_b() { on_b nf_rx fwd-b; }
port_counter_b() { on_b port_counter "$@"; }
free_a() { frames_free; }
free_b() { on_b frames_free; }

# end_to_end NAME WIRE_A WIRE_B [MODE]: the checks both wires share;
# WIRE_CAP is the tcpdump command that listens on the wire, WIRE_FILTER
# what it keeps: chain 1's NSH frames (SPI 100).
end_to_end() {
	local name=$1 wa=$2 wb=$3 mode=${4:-native} out a0 b0 d0
	check "$name: the chains and rules in place on both hosts" chains "$wa" "$wb" "$mode"

	a0=$(rx_a); b0=$(rx_b); d0=$(port_counter_b "$wb" decap)
	timeout -k 5 20 "${WIRE_CAP[@]}" -nn -c 100 -w "$RUNDIR/wire.pcap" \
		"${WIRE_FILTER[@]}" >/dev/null 2>"$RUNDIR/tcpdump.err" &
	local tpid=$!
	busywait 3000 grep -qs listening "$RUNDIR/tcpdump.err"
	out=$(udp_through 200 1000)
	wait $tpid
	diag "$name: 200 x 1000 B UDP from s0 to d0 across both hosts: $out"
	check "$name: 200/200 UDP datagrams intact across the two hosts" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 200000" ]
	check "$name: both NFs saw every datagram (fwd-a $(($(rx_a) - a0)), fwd-b $(($(rx_b) - b0)))" \
		eval '[[ $(($(rx_a) - a0)) -ge 200 && $(($(rx_b) - b0)) -ge 200 ]]'
	check "$name: host B took 200 frames out of NSH ($(($(port_counter_b "$wb" decap) - d0)))" \
		eval '[[ $(($(port_counter_b "$wb" decap) - d0)) -ge 200 ]]'
	# tcpdump's own NSH decoder on what crossed the wire, inner UDP
	# checksum verified by it too.
	local dec=$RUNDIR/wire.txt nsh_re udp_re all_re
	tcpdump -r "$RUNDIR/wire.pcap" -nn -e -vvv >"$dec" 2>/dev/null
	nsh_re='ethertype NSH \(0x894f\).*NSH, ver 0, flags \[none\], TTL 63, length 2, md type 2, next-protocol Ethernet, service-path-id 0x000064, service-index 0xfe'
	udp_re='198\.18\.0\.1\.[0-9]+ > 198\.18\.0\.2\.9000: \[udp sum ok\] UDP, length 1000'
	all_re='198\.18\.0\.1\.[0-9]+ > 198\.18\.0\.2\.9000: .*UDP, length 1000'
	diag "$name: tcpdump: $(grep -m1 -o 'NSH, ver.*' "$dec")"
	check "$name: tcpdump decodes the frames on the wire as NSH: TTL 63, MD type 2, Ethernet inside, SPI 100, SI 254 ($(grep -cE "$nsh_re" "$dec") of 100)" \
		eval '[[ $(grep -cE "$nsh_re" "$dec") -eq 100 ]]'
	# The chain carries s0's own frames too (IPv6 neighbour and router
	# solicitations, ARP): a few of the 100 may be those.
	check "$name: ... and inside, the UDP datagrams with their checksums right ($(grep -cE "$udp_re" "$dec") of $(grep -cE "$all_re" "$dec"), >= 90)" \
		eval '[[ $(grep -cE "$all_re" "$dec") -ge 90 &&
			$(grep -cE "$udp_re" "$dec") -eq $(grep -cE "$all_re" "$dec") ]]'
	check "$name: ping both ways across the two hosts" \
		ping_all in_src -c 3 -i 0.2 -W $((1 * TIME_SCALE)) -q 198.18.0.2
	check "$name: ping from d0 back to s0" \
		ping_all in_dst -c 3 -i 0.2 -W $((1 * TIME_SCALE)) -q 198.18.0.1
	if command -v iperf3 >/dev/null; then
		local dir
		for dir in forward reverse; do
			iperf_bytes 198.18.0.2 "$dir"
			check "$name: iperf3 TCP $dir across the two hosts from stock peers (> 1 MB: $IPERF_BYTES bytes)" \
				[ "$IPERF_BYTES" -gt 1000000 ]
		done
	else
		tap_skip "$name: iperf3 across the two hosts" "iperf3 missing"
	fi
	check "$name: no NSH frame dropped by either host ($(port_counter_b "$wb" nsh_drop))" \
		eval '[[ $(port_counter_b "$wb" nsh_drop) -eq 0 &&
			 $(port_counter "$wa" nsh_drop) -eq 0 ]]'
	unchain "$wa" "$wb" "$name"
}

# The wire: wa (host A) and wb (host B), veths into a namespace where a
# bridge joins them (a switch; tcpdump listens there: what XDP takes at
# wb never reaches a packet socket on wb).  MTU 1600: a 1500-byte frame
# and its 22 bytes of Ethernet + NSH.
wire() {
	ip netns add "$NS_W"
	ip -n "$NS_W" link add br0 type bridge
	ip -n "$NS_FAB" link add wa mtu 1600 type veth peer name w0 mtu 1600 netns "$NS_W"
	ip -n "$NS_B" link add wb mtu 1600 type veth peer name w1 mtu 1600 netns "$NS_W"
	ip -n "$NS_W" link set br0 mtu 1600 up
	ip -n "$NS_W" link set w0 master br0 up
	ip -n "$NS_W" link set w1 master br0 up
	ip -n "$NS_FAB" link set wa up
	ip -n "$NS_B" link set wb up
}

# The veths first: they go at once, a namespace's own devices only once
# the kernel's cleanup gets to it (the next wire() would find wb).
wire_del() {
	ip -n "$NS_FAB" link del wa
	ip -n "$NS_B" link del wb
	ip netns del "$NS_W"
}

veth_wire() {
	wire
	WIRE_CAP=(ip netns exec "$NS_W" tcpdump -i br0)
	# Chain 1's frames (SPI 100): B's answers cross the bridge too.
	WIRE_FILTER=(ether proto 0x894f and 'ether[18:4] & 0xffffff00 = 0x6400')
	# Chains that deny overrides: the NFs transmit on the nsh hops'
	# ports by the chains alone (nfv_reach.h).
	CHAIN_OPTS="override deny" end_to_end "veth wire" wa wb
	wire_del
}

# The hosts joined by a routed underlay (198.18.4.0/24 -- 198.18.5.0/24
# through a router namespace would do as well; one subnet is enough to
# show the NSH frames crossing inside VXLAN): vxa and vxb are VXLAN
# devices over it, the fabric ports.  Generic XDP: vxlan has no driver
# XDP.
vxlan_underlay() {
	ip -n "$NS_FAB" link add ua mtu 1700 type veth peer name ub mtu 1700 netns "$NS_B"
	ip -n "$NS_FAB" addr add 198.18.4.1/24 dev ua
	ip -n "$NS_B" addr add 198.18.4.2/24 dev ub
	ip -n "$NS_FAB" link set ua up
	ip -n "$NS_B" link set ub up
	ip -n "$NS_FAB" link add vxa mtu 1600 type vxlan id 42 local 198.18.4.1 \
		remote 198.18.4.2 dstport 4789 dev ua
	ip -n "$NS_B" link add vxb mtu 1600 type vxlan id 42 local 198.18.4.2 \
		remote 198.18.4.1 dstport 4789 dev ub
	ip -n "$NS_FAB" link set vxa up
	ip -n "$NS_B" link set vxb up
	# VXLAN to 4789 whose inner frame (at 14 + 20 + 8 + 8) is NSH.
	WIRE_CAP=(ip netns exec "$NS_B" tcpdump -i ub)
	WIRE_FILTER=(udp port 4789 and 'ether[62:2] = 0x894f' and
		'ether[68:4] & 0xffffff00 = 0x6400')
	end_to_end "vxlan underlay" vxa vxb generic
	ip -n "$NS_FAB" link del vxa
	ip -n "$NS_B" link del vxb
	ip -n "$NS_FAB" link del ua
}

# A path that goes on: host B takes SPI 101 from the wire and sends it
# on (after its NF) as SPI 300: TTL one less, SI less B's one hop.
# Host A has no rule for 300 (its kernel gets those).
path_goes_on() {
	wire
	chains wa wb || { check "path goes on: chains" false; return; }
	nfvctl chain add 5 service 1 nsh wa 101 >/dev/null
	nfvctl flow add in f0 proto udp dport 9700 chain 5 >/dev/null
	nfvctl_b chain add 3 service 2 nsh wb 300 >/dev/null
	nfvctl_b flow add in wb spi 101 chain 3 >/dev/null
	local dec=$RUNDIR/goes_on.txt n101 n300
	timeout -k 5 20 ip netns exec "$NS_W" tcpdump -i br0 -nn -c 100 -B 16384 \
		-w "$RUNDIR/goes_on.pcap" ether proto 0x894f \
		>/dev/null 2>"$RUNDIR/tcpdump.err" &
	local tpid=$!
	busywait 3000 grep -qs listening "$RUNDIR/tcpdump.err"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9700 50 300 >/dev/null
	wait $tpid
	tcpdump -r "$RUNDIR/goes_on.pcap" -nn -e -vvv 2>/dev/null >"$dec"
	n101=$(grep -cE 'NSH, ver 0, flags \[none\], TTL 63, length 2, md type 2, next-protocol Ethernet, service-path-id 0x000065, service-index 0xfe$' "$dec")
	n300=$(grep -cE 'NSH, ver 0, flags \[none\], TTL 62, length 2, md type 2, next-protocol Ethernet, service-path-id 0x00012c, service-index 0xfd$' "$dec")
	diag "path goes on: on the wire, SPI 101 from A: $n101, SPI 300 from B: $n300"
	check "path goes on: A sends SPI 101 at TTL 63, SI 254; B sends it on as SPI 300 at TTL 62, SI 253 (50 + 50)" \
		eval '[[ $n101 -eq 50 && $n300 -eq 50 ]]'
	nfvctl flow del in f0 proto udp dport 9700 >/dev/null
	unchain wa wb "path goes on"
	nfvctl chain del 5 >/dev/null
	nfvctl_b chain del 3 >/dev/null
	wire_del
}

# A read-only NF cannot write the headers: its frames to an nsh hop are
# dropped and counted, and it lives on.
readonly_nf_drops() {
	wire
	FWD_A_ARGS=--readonly chains wa wb ||
		{ check "read-only: chains" false; return; }
	local d0 out drops
	d0=$(nfvctl -j nf show | jq '.[] | select(.name == "fwd-a") | .drop')
	out=$(udp_through 50 300)
	drops=$(( $(nfvctl -j nf show | jq '.[] | select(.name == "fwd-a") | .drop') - d0 ))
	diag "read-only: $out; the NF dropped $drops"
	check "read-only NF before an nsh hop: nothing crosses ($out), the 50 drops counted ($drops)" \
		eval '[[ $out == "received 0 bad 0 dup 0 bytes 0" && $drops -ge 50 ]]'
	check "read-only NF before an nsh hop: it lives on" kill -0 "${NF_PID[fwd-a]}"
	unchain wa wb "read-only"
	wire_del
}

# Malformed NSH arriving on host B's decap nsh port: counted drops, B
# alive, and the chain still carries traffic.
bad_nsh() {
	wire
	chains wa wb || { check "bad NSH: chains" false; return; }
	local drops0 sent out
	drops0=$(port_counter_b wb nsh_drop)
	sent=$(in_fab /usr/bin/python3 - wa <<-'EOF'
	import sys
	from scapy.all import Ether, IP, UDP, Raw, sendp
	inner = bytes(Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01") /
		      IP(src="198.18.0.1", dst="198.18.0.2") / UDP(dport=9000) /
		      Raw(b"x" * 40))
	def nsh(ver=0, ttl=63, words=2, md=2, np=3, spi=100, si=254, ctx=b""):
	    w = (ver << 14) | (ttl << 6) | words
	    return bytes([w >> 8, w & 0xff, md, np]) + \
		(spi << 8 | si).to_bytes(4, "big") + ctx
	outer = bytes(Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01",
			    type=0x894f))
	bad = [nsh(ver=1), nsh(ttl=0), nsh(si=0), nsh(md=0), nsh(md=15),
	       nsh(md=1, words=2), nsh(words=1), nsh(np=1), nsh(words=60)]
	frames = [outer + h + inner for h in bad] + [outer + nsh()[:5]]
	sendp(frames * 10, iface=sys.argv[1], verbose=False)
	print(len(frames) * 10)
	EOF
	)
	diag "bad NSH: sent ${sent:-none} malformed NSH frames to host B"
	check "bad NSH: every malformed frame a counted drop ($(( $(port_counter_b wb nsh_drop) - drops0 )) of ${sent:-?})" \
		busywait 3000 eval '[[ -n "$sent" && $(( $(port_counter_b wb nsh_drop) - drops0 )) -eq $sent ]]'
	check "bad NSH: nfvd B alive" kill -0 "$NFVD_B_PID"
	out=$(udp_through 50 500)
	check "bad NSH: the chain still carries traffic ($out)" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 25000" ]
	unchain wa wb "bad NSH"
	wire_del
}

# nfvctl shows what it was given, in text and -j, on both backends'
# grammar (nfvd here; nfv.ko's in kmod_netlink).
grammar_shown() {
	ip -n "$NS_FAB" link add wa mtu 1600 type veth peer name wb mtu 1600 netns "$NS_B"
	ip -n "$NS_FAB" link set wa up
	nfvctl port add wa decap nsh >/dev/null
	nfvctl chain add 7 service 3 nsh wa 16777215 >/dev/null
	nfvctl flow add in wa spi 0 si 255 chain 7 >/dev/null
	check "grammar: chain show -j has the nsh hop (port, spi)" \
		eval '[[ $(nfvctl -j chain show 7 | jq -c ".[0].hops[1] | [.type, .port, .spi]") == "[\"nsh\",\"wa\",16777215]" ]]'
	check "grammar: chain show text reads as it was typed" \
		eval '[[ $(nfvctl chain show 7) == "chain 7 service 3 nsh wa 16777215 override allow" ]]'
	check "grammar: flow show -j has spi and si" \
		eval '[[ $(nfvctl -j flow show | jq -c ".[] | select(.chain == 7) | [.in, .spi, .si, .exact]") == "[\"wa\",0,255,false]" ]]'
	check "grammar: port show -j says decap nsh" \
		eval '[[ $(nfvctl -j port show | jq -r ".[] | select(.name == \"wa\") | .decap") == nsh ]]'
	check "grammar: nfvctl save writes them back as typed" \
		eval 'nfvctl save | grep -qx "chain add 7 service 3 nsh wa 16777215" &&
		      nfvctl save | grep -qx "flow add in wa spi 0 si 255 chain 7" &&
		      nfvctl save | grep -q "port add wa .*decap nsh"'
	nfvctl flow del in wa spi 0 si 255 >/dev/null
	nfvctl chain del 7 >/dev/null
	nfvctl port del wa >/dev/null
	ip -n "$NS_FAB" link del wa
}

tests=(grammar_shown veth_wire vxlan_underlay path_goes_on readonly_nf_drops
	bad_nsh)
[[ $# -gt 0 ]] && tests=("$@")

echo "TAP version 13"
setup_hosts
for t in "${tests[@]}"; do
	run_case "$t"
done
echo "1..$_tap_n"
tap_exit
