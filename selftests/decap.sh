#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port decap on real traffic: the src peer sends VLAN-tagged traffic (a
# vlan subinterface of its stock veth) and VXLAN traffic (a Linux vxlan
# device); f0 is a decap port, so nfv-flowtrack (service 1) counts the
# inner frames, and f1 delivers them untagged, decapsulated, to the dst
# peer, whose socket gets every byte.  On a kernel without 802.1Q (no
# vlan devices) the tags come from a tc program on s0's egress instead
# (bpf/vlan_push.bpf.c), with the same bytes on the wire.
#
#   ns src                        ns fabric                    ns dst
#   s0     198.18.0.1/24  ---+
#   s0.100 198.18.2.1/24 (VLAN 100 on s0; or on s0, tagged by tc)
#   vx0    198.18.3.1/24 (VXLAN 42 over s0 to 198.18.0.2:4789)
#                            +-- f0 (decap) == flowtrack == f1 --- d0 198.18.0.2/24
#                                                                     198.18.2.2/24
#                                                                     198.18.3.2/24
#
# Also: untagged traffic on a decap vlan port, a VNI the port does not
# take (classified as the outer frame), and what the fabric does not
# steer reaching the fabric's own kernel with its tag back.

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-flowtrack

DUMP=$RUNDIR/flows.json
SIZE=500			# UDP payload
COUNT=50
FRAME=$((SIZE + 8 + 20 + 14))	# the inner frame: 542 bytes
INNER_BYTES=$((COUNT * FRAME))

# a fresh flowtrack dump in $DUMP
dump() {
	rm -f "$DUMP"
	kill -USR1 "${NF_PID[ft]}"
	busywait 2000 test -s "$DUMP"
}

# flow SRC SPORT: that flow's record in a fresh flowtrack dump
flow() {
	dump || return 1
	jq -c ".flows[] | select(.src == \"$1\" and .sport == $2)" "$DUMP"
}

# send DST DPORT SPORT: COUNT datagrams of SIZE, print what dst received
send() {
	DST_ADDR=$1 SPORT=$3 udp_through "$COUNT" "$SIZE" "$2"
}

# set_f0 ARGS...: port del f0, port add f0 ARGS; counters start over
# (port_counter since: only what moved after that).
declare -A BASE
set_f0() {
	local c
	nfvctl port del f0 >/dev/null
	nfvctl port add f0 "$@" || return 1
	for c in decap decap_err pass; do
		BASE[$c]=$(port_counter f0 $c)
	done
}
counter() { echo $(( $(port_counter f0 "$1") - ${BASE[$1]} )); }

echo "TAP version 13"
nf_setup_fabric
nfvctl chain add 1 service 1 out f1 >/dev/null || exit 1
NF_BIN=flowtrack start_nf ft 1 --dump "$DUMP"
wait_replicas 1 1 || { diag "flowtrack did not come up"; exit 1; }

# The dst peer takes every inner subnet on its one, untagged, interface.
ip -n "$NS_DST" addr add 198.18.2.2/24 dev d0
ip -n "$NS_DST" addr add 198.18.3.2/24 dev d0
ip -n "$NS_DST" neigh add 198.18.2.1 lladdr "$SRC_MAC" dev d0 nud permanent

# ---- VLAN ----
if ip -n "$NS_SRC" link add link s0 name s0.100 type vlan id 100 2>/dev/null; then
	VLAN_DEV=s0.100
	ip -n "$NS_SRC" link set s0.100 up
else
	diag "no vlan devices in this kernel: tagging with tc (bpf/vlan_push.bpf.c)"
	VLAN_DEV=s0
	in_src tc qdisc add dev s0 clsact
	in_src tc filter add dev s0 egress bpf da \
		obj "$TOP/build/bpf/vlan_push.bpf.o" sec tc
fi
# With tx VLAN insertion on (veth's default) the tag travels as skb
# metadata, which XDP on the peer never sees: put it in the bytes.
in_src ethtool -K s0 txvlan off >/dev/null
ip -n "$NS_SRC" addr add 198.18.2.1/24 dev $VLAN_DEV
ip -n "$NS_SRC" neigh add 198.18.2.2 lladdr "$DST_MAC" dev $VLAN_DEV nud permanent

check "port add f0 decap vlan" set_f0 decap vlan default-chain 1
check "port show: decap vlan" \
	eval '[[ $(nfvctl -j port show f0 | jq -r ".[0].decap") == vlan ]]'
check "port show (text): decap vlan" \
	eval 'nfvctl port show f0 | grep -q " decap vlan "'
out=$(send 198.18.2.2 9401 41101)
f=$(flow 198.18.2.1 41101)
diag "vlan: dst $out; flowtrack $f; f0 decap $(counter decap)"
check "vlan: dst got every byte, untagged ($out)" \
	[ "$out" = "received $COUNT bad 0 dup 0 bytes $((COUNT * SIZE))" ]
check "vlan: the NF saw $COUNT inner frames, $INNER_BYTES bytes (no tag)" \
	eval '[[ $(jq -c "[.packets, .bytes, .dst, .dport]" <<<"$f") == "[$COUNT,$INNER_BYTES,\"198.18.2.2\",9401]" ]]'
check "vlan: the NF knows the VLAN id the frames came in (decap_id 100)" \
	eval '[[ $(jq .decap_id <<<"$f") == 100 ]]'
check "vlan: f0 counted $COUNT decaps, no decap error" \
	eval '[[ $(counter decap) -ge $COUNT && $(counter decap_err) -eq 0 ]]'

out=$(send 198.18.0.2 9402 41102)
f=$(flow 198.18.0.1 41102)
check "vlan port, untagged traffic: delivered as it is ($out)" \
	[ "$out" = "received $COUNT bad 0 dup 0 bytes $((COUNT * SIZE))" ]
check "vlan port, untagged traffic: the NF saw it, no decap_id" \
	eval '[[ $(jq -c "[.packets, .bytes, .decap_id]" <<<"$f") == "[$COUNT,$INNER_BYTES,null]" ]]'

# What the fabric does not steer reaches its kernel tagged, as it came:
# a vlan subinterface of f0 answers ARP and ping through the decap port
# (its answers leave tagged, for s0.100).
set_f0 decap vlan >/dev/null
if [[ $VLAN_DEV == s0.100 ]]; then
	ip -n "$NS_FAB" link add link f0 name f0.100 type vlan id 100
	ip -n "$NS_FAB" addr add 198.18.2.3/24 dev f0.100
	ip -n "$NS_FAB" link set f0.100 up
	check "vlan, no chain: the fabric's own f0.100 answers ping (ARP too)" \
		ping_all in_src -c 3 -i 0.2 -W 2 198.18.2.3
	check "vlan, no chain: those frames were decapsulated, then passed" \
		eval '[[ $(counter pass) -ge 4 && $(counter decap) -eq $(counter pass) ]]'
	ip -n "$NS_FAB" link del f0.100
else
	# A kernel without 8021q: nothing the README's setup can change.
	tap_skip "vlan, no chain: f0.100 answers ping" \
		"legit: this kernel has no vlan devices (8021q)"
	tap_skip "vlan, no chain: decapsulated, then passed" \
		"legit: this kernel has no vlan devices (8021q)"
fi

# ---- VXLAN ----
# (No IPv6 on vx0: router solicitations would be VXLAN frames too.)
ip -n "$NS_SRC" link add vx0 type vxlan id 42 local 198.18.0.1 \
	remote 198.18.0.2 dstport 4789 dev s0
in_src sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
ip -n "$NS_SRC" addr add 198.18.3.1/24 dev vx0
ip -n "$NS_SRC" link set vx0 up
ip -n "$NS_SRC" neigh add 198.18.3.2 lladdr "$DST_MAC" dev vx0 nud permanent
VX_MAC=$(ip -n "$NS_SRC" -j link show vx0 | jq -r '.[0].address')
ip -n "$NS_DST" neigh add 198.18.3.1 lladdr "$VX_MAC" dev d0 nud permanent

check "port add f0 decap vxlan vni 42" set_f0 decap vxlan vni 42 default-chain 1
check "port show: decap vxlan port 4789 vni 42" \
	eval '[[ $(nfvctl -j port show f0 | jq -c ".[0] | [.decap, .vxlan_port, .vni]") == "[\"vxlan\",4789,42]" ]]'
out=$(send 198.18.3.2 9403 41103)
f=$(flow 198.18.3.1 41103)
diag "vxlan: dst $out; flowtrack $f; f0 decap $(counter decap)"
check "vxlan: dst got every byte, decapsulated ($out)" \
	[ "$out" = "received $COUNT bad 0 dup 0 bytes $((COUNT * SIZE))" ]
check "vxlan: the NF saw $COUNT inner frames, $INNER_BYTES bytes" \
	eval '[[ $(jq -c "[.packets, .bytes, .dst, .dport]" <<<"$f") == "[$COUNT,$INNER_BYTES,\"198.18.3.2\",9403]" ]]'
check "vxlan: the NF knows the VNI the frames came in (decap_id 42)" \
	eval '[[ $(jq .decap_id <<<"$f") == 42 ]]'
check "vxlan: the NF never saw the outer flow" \
	eval '[[ -z $(jq -c ".flows[] | select(.dport == 4789)" "$DUMP") ]]'
check "vxlan: f0 counted $COUNT decaps, no decap error" \
	eval '[[ $(counter decap) -eq $COUNT && $(counter decap_err) -eq 0 ]]'

# Another VNI than the port's: classified as the outer frame, which goes
# out as it is (and nobody listens on 4789 at dst).
check "port add f0 decap vxlan vni 43" set_f0 decap vxlan vni 43 default-chain 1
out=$(send 198.18.3.2 9404 41104)
dump
check "vxlan, other VNI: nothing decapsulated ($out)" \
	eval '[[ $out == "received 0 "* && $(counter decap) -eq 0 ]]'
check "vxlan, other VNI: the NF saw the outer VXLAN flow" \
	eval '[[ $(jq "[.flows[] | select(.dport == 4789) | .packets] | add" "$DUMP") -ge $COUNT ]]'

# Any VNI, a UDP port of our own: 4789 is then an ordinary port.
check "port add f0 decap vxlan port 8472" set_f0 decap vxlan port 8472 default-chain 1
out=$(send 198.18.3.2 9405 41105)
check "vxlan to 4789 on a port 8472 port: not decapsulated ($out)" \
	eval '[[ $out == "received 0 "* && $(counter decap) -eq 0 ]]'
ip -n "$NS_SRC" link del vx0
ip -n "$NS_SRC" link add vx0 type vxlan id 7 local 198.18.0.1 \
	remote 198.18.0.2 dstport 8472 dev s0
ip -n "$NS_SRC" link set vx0 address "$VX_MAC"
in_src sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
ip -n "$NS_SRC" addr add 198.18.3.1/24 dev vx0
ip -n "$NS_SRC" link set vx0 up
ip -n "$NS_SRC" neigh add 198.18.3.2 lladdr "$DST_MAC" dev vx0 nud permanent
out=$(send 198.18.3.2 9406 41106)
check "vxlan to 8472, VNI 7, any VNI: decapsulated and delivered ($out)" \
	[ "$out" = "received $COUNT bad 0 dup 0 bytes $((COUNT * SIZE))" ]
check "vxlan to 8472: $COUNT decaps" eval '[[ $(counter decap) -eq $COUNT ]]'

# Refused requests change nothing: nfvctl's own checks, then nfvd's, with
# requests nfvctl would never send (raw PORT_NEW on nfvd's socket).
check "nfvctl: decap gre refused" eval '! nfvctl port add f1 decap gre 2>/dev/null'
check "nfvctl: vni without decap vxlan refused" \
	eval '! nfvctl port add f1 decap vlan vni 3 2>/dev/null'
cat >"$RUNDIR/port_new.py" <<'PY'
# port_new.py SOCK HEADER DEV [u8|u16|u32:ATTR=VALUE]...: one raw
# PORT_NEW on nfvd's socket; prints "ERRNO EXTACK-MESSAGE".
import re, socket, struct, sys

sock, header, dev = sys.argv[1:4]
text = open(header).read()
def enum(name, prefix):
    """The values of a C enum's members NAME_PREFIX*, "= N" honoured."""
    body = re.search(r'enum ' + name + r' \{(.*?)\}', text, re.S).group(1)
    vals, v = {}, 0
    for m in re.finditer(r'(' + prefix + r'\w+)(?:\s*=\s*(\d+))?,', body):
        v = int(m.group(2)) if m.group(2) else v
        vals[m.group(1)] = v
        v += 1
    return vals
attr = {n[len('NFV_A_PORT_'):]: v for n, v in enum('nfv_port_attr', 'NFV_A_PORT_').items()}
port_new = enum('nfv_cmd', 'NFV_CMD_')['NFV_CMD_PORT_NEW']

def put(t, payload):
    a = struct.pack('=HH', 4 + len(payload), t) + payload
    return a + b'\0' * (-len(a) % 4)

body = put(attr['NAME'], dev.encode() + b'\0')
for spec in sys.argv[4:]:
    typ, rest = spec.split(':')
    name, val = rest.split('=')
    fmt = {'u8': '=B', 'u16': '=H', 'u32': '=I'}[typ]
    body += put(attr[name], struct.pack(fmt, int(val, 0)))
msg = struct.pack('=BBH', port_new, 1, 0) + body
hdr = struct.pack('=IHHII', 16 + len(msg), 16, 0x1 | 0x4 | 0x200 | 0x400, 1, 0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sock)
s.send(hdr + msg)
r = s.recv(65536)
err, = struct.unpack_from('=i', r, 16)
off, ext = 20 + 16, ''
while off + 4 <= len(r):
    ln, t = struct.unpack_from('=HH', r, off)
    if t == 1:
        ext = r[off + 4:off + ln].rstrip(b'\0').decode()
    off += (ln + 3) & ~3
print(-err, ext)
PY
ip -n "$NS_FAB" link add f2 type veth peer name f3
raw() { in_fab python3 "$RUNDIR/port_new.py" "$SOCK" "$TOP/uapi/linux/nfv_genl.h" f2 "$@"; }
nports=$(nfvctl -j port show | jq length)
for c in "34 value out of range|u8:DECAP=4" \
	 "34 value out of range|u8:DECAP=2 u16:VXLAN_PORT=0" \
	 "34 value out of range|u8:DECAP=2 u32:VNI=0x1000000" \
	 "22 vxlan port and vni need decap vxlan|u8:DECAP=1 u32:VNI=5" \
	 "22 vxlan port and vni need decap vxlan|u16:VXLAN_PORT=4789" \
	 "22 attribute has the wrong type|u16:DECAP=1"; do
	want=${c%%|*}
	read -ra args <<<"${c#*|}"
	got=$(raw "${args[@]}")
	check "nfvd refuses ${c#*|}: $got" [ "$got" = "$want" ]
done
got=$(raw u8:DECAP=2 u16:VXLAN_PORT=4790 u32:VNI=0)
check "nfvd takes decap vxlan port 4790 vni 0 ($got)" [ "$got" = "0 " ]
check "... and shows it" \
	eval '[[ $(nfvctl -j port show f2 | jq -c ".[0] | [.decap, .vxlan_port, .vni]") == "[\"vxlan\",4790,0]" ]]'
nfvctl port del f2 >/dev/null
check "refused requests added no port" \
	eval '[[ $(nfvctl -j port show | jq length) -eq $nports ]]'
check "f0 kept its decap" \
	eval '[[ $(nfvctl -j port show f0 | jq -c ".[0] | [.decap, .vxlan_port]") == "[\"vxlan\",8472]" ]]'

nf_stop_all
echo "1..$_tap_n"
tap_exit
