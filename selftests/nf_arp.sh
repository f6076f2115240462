#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-arp on real traffic.  The classifier hands ARP to the kernel (non-IP
# is never steered), so what can run today is: IP traffic crosses the NF
# untouched.  The ARP answers need ports that steer ARP to their default
# chain (`nfvctl port add DEV ... steer-arp`, NFV_PORT_F_STEER_ARP).
# The ARP logic is covered frame by frame in nf_arp_unit.
#
#   ns src            ns fabric                        ns dst
#   s0 198.18.0.1 --- f0 == arp (service 1) == f1 --- d0 198.18.0.2
#   asks who-has 198.18.0.50 / .51 (owned by the fabric) and .99 (not)

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-arp

MAC50=02:12:34:56:78:9a

ip_passes() {
	local out
	out=$(udp_through 100 400)
	check "ip: 100/100 datagrams cross nfv-arp untouched ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 40000" ]
	check "ip: counted as not ARP" \
		[ "$(nf_json arp | jq .other)" -ge 100 ]
}

neigh_mac() {	# neigh_mac ADDR: the MAC src resolved for ADDR, if any
	ip -n "$NS_SRC" -j neigh show "$1" dev s0 | jq -r '.[0].lladdr // empty'
}

arp_answers() {
	nfvctl port del f0 >/dev/null
	# nfvctl has steer-arp: a port that refuses it is a failure, not a
	# reason to skip the three checks below.
	check "arp: port f0 takes steer-arp" \
		nfvctl port add f0 default-chain 1 steer-arp || {
		nfvctl port add f0 default-chain 1 >/dev/null
		return
	}
	local before
	before=$(nf_json arp | jq .replies)
	in_src ping -c 1 -W 1 198.18.0.50 >/dev/null 2>&1
	in_src ping -c 1 -W 1 198.18.0.51 >/dev/null 2>&1
	in_src ping -c 1 -W 1 198.18.0.99 >/dev/null 2>&1
	check "arp: requests answered with the configured MAC" \
		eval '[[ $(neigh_mac 198.18.0.50) == $MAC50 ]]'
	check "arp: derived MAC for an address without --mac" \
		eval '[[ $(neigh_mac 198.18.0.51) == 02:00:c6:12:00:33 &&
			 $(nf_json arp | jq .replies) -ge $((before + 2)) ]]'
	check "arp: no answer for an address the fabric does not own" \
		eval '[[ -z $(neigh_mac 198.18.0.99) ]]'
}

echo "TAP version 13"
nf_setup_fabric
nf_chains 1
NF_BIN=arp start_nf arp 1 --addr 198.18.0.50 --mac $MAC50 --addr 198.18.0.51
wait_replicas 1 1
ip_passes
arp_answers
nf_stop_all
echo "1..$_tap_n"
tap_exit
