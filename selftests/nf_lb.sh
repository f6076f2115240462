#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-lb on real traffic: clients talk to a VIP, three backends answer,
# replies come back from the VIP; each flow sticks to one backend, the
# same one after a restart of the LB (Maglev, no state); TCP works; a
# backend's ICMP port unreachable reaches the client's socket as an error
# from the VIP (ECONNREFUSED).  Then the same over IPv6: an IPv6 VIP,
# three IPv6 backends.
#
#   ns src                 ns fabric                 ns dst
#   s0 198.18.0.1 --- f0 == lb (service 1) == f1 --- d0 198.18.0.2:8001
#   VIP 198.18.0.100:7000                               198.18.0.3:8002
#                                                       198.18.0.4:8003

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-lb

VIP=198.18.0.100
BACKENDS=(198.18.0.2:8001 198.18.0.3:8002 198.18.0.4:8003)
FLOWS=60

start_lb() {
	NF_BIN=lb start_nf lb 1 --vip $VIP:7000 \
		--backend "${BACKENDS[2]}" --backend "${BACKENDS[0]}" \
		--backend "${BACKENDS[1]}"
	wait_replicas 1 1
}

# One round: FLOWS UDP flows of 2 pings each to the VIP; every backend
# port has its own echo server that lists its peers in peers-ROUND-PORT.
round() {
	local r=$1 b pids=() sp ok=0
	for b in "${BACKENDS[@]}"; do
		(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers ${b#*:} 30000 \
			${b%:*} >"$RUNDIR/peers-$r-${b#*:}") &
		pids+=($!)
		busywait 2000 grep -qs ready "$RUNDIR/peers-$r-${b#*:}"
	done
	for ((sp = 21001; sp < 21001 + FLOWS; sp++)); do
		in_src "$TRAFFIC" udp-ping $VIP 7000 2 200 500 $sp |
			grep -q "^replies 2 bad 0$" && ok=$((ok + 1))
	done
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	echo "$ok"
}

# "SPORT BACKEND_PORT" for every flow a round saw, sorted.
mapping() {
	local r=$1 b
	for b in 8001 8002 8003; do
		awk -v b=$b '/^peer 198.18.0.1 / {print $3, b}' "$RUNDIR/peers-$r-$b"
	done | sort
}

setup() {
	nf_setup_fabric
	ip -n "$NS_DST" addr add 198.18.0.3/24 dev d0
	ip -n "$NS_DST" addr add 198.18.0.4/24 dev d0
	ip -n "$NS_SRC" neigh add $VIP lladdr "$DST_MAC" dev s0 nud permanent
	nf_chains 1
}

udp_flows() {
	local ok
	ok=$(round 1)
	check "udp: $ok/$FLOWS flows answered from the VIP" [ "$ok" -eq $FLOWS ]
	local n8001 n8002 n8003
	n8001=$(grep -c '^peer' "$RUNDIR/peers-1-8001")
	n8002=$(grep -c '^peer' "$RUNDIR/peers-1-8002")
	n8003=$(grep -c '^peer' "$RUNDIR/peers-1-8003")
	diag "flows per backend: $n8001 $n8002 $n8003"
	check "udp: every backend got flows" \
		eval '[[ $n8001 -gt 0 && $n8002 -gt 0 && $n8003 -gt 0 ]]'
	check "udp: each flow reached exactly one backend" \
		[ "$(mapping 1 | awk '{print $1}' | sort -u | wc -l)" -eq $FLOWS ]
	check "udp: each backend saw clients only on its own address" \
		eval '! grep -h "^peer" "$RUNDIR"/peers-1-* | grep -qv "^peer 198.18.0.1 "'
	local s
	s=$(nf_json lb)
	diag "lb: $s"
	check "counters: 120 datagrams in, 120 replies out" \
		eval '[[ $(jq "[.backends[].packets] | add" <<<"$s") -eq 120 &&
			 $(jq "[.backends[].reply_packets] | add" <<<"$s") -eq 120 ]]'
}

sticky_across_restart() {
	nf_stop_all
	start_lb
	local ok
	ok=$(round 2)
	check "restart: $ok/$FLOWS flows answered again" [ "$ok" -eq $FLOWS ]
	check "restart: every flow went to the same backend as before" \
		[ "$(mapping 1)" = "$(mapping 2)" ]
}

tcp_flow() {
	local b pids=() got
	for b in 8001 8002 8003; do
		(exec ip netns exec "$NS_DST" "$TRAFFIC" tcp-recv $b 15000 \
			>"$RUNDIR/tcp-$b") &
		pids+=($!)
		busywait 2000 grep -qs ready "$RUNDIR/tcp-$b"
	done
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send $VIP 7000 1000000 >"$RUNDIR/tcp-send"
	sleep 0.2
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	got=$(cat "$RUNDIR"/tcp-800? | grep -c "^received 1000000 bad 0$")
	diag "tcp: $(cat "$RUNDIR"/tcp-800? | grep received | tr '\n' ' ')"
	check "tcp: 1 MB through the VIP arrives intact at one backend" \
		eval '[[ $got -eq 1 ]] && grep -q "^sent 1000000$" "$RUNDIR/tcp-send"'
}

# udp_refused ADDR: a connected UDP socket of the client sends to
# ADDR:7000, where no backend listens; "refused" if the backend's ICMP
# error came back translated (the kernel matches its quote against the
# socket: VIP and port), "timeout" if not.
udp_refused() {
	in_src python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
		  socket.SOCK_DGRAM)
s.settimeout(1)
s.connect((sys.argv[1], 7000))
for _ in range(3):
	s.send(b"nobody listens" * 4)
	try:
		s.recv(100)
		print("reply")
		break
	except ConnectionRefusedError:
		print("refused")
		break
	except socket.timeout:
		pass
else:
	print("timeout")' "$1"
}

icmp_errors() {
	local out s
	out=$(udp_refused $VIP)
	s=$(nf_json lb)
	diag "icmp: the client's socket says $out; lb: $(jq -c '{icmp_to_clients, icmp_to_backends}' <<<"$s")"
	check "icmp: port unreachable from a backend reaches the client as the VIP's (ECONNREFUSED)" \
		[ "$out" = refused ]
	check "icmp: counted as translated toward clients" \
		eval '[[ $(jq .icmp_to_clients <<<"$s") -ge 1 ]]'
}

VIP6=fd00:198:18::100
BACKENDS6=(fd00:198:18::2 fd00:198:18::3 fd00:198:18::4)
FLOWS6=30
PAYLOAD6=200

ipv6() {
	local i b pids=() sp ok=0 s
	nf_stop_all
	for b in "${BACKENDS6[@]:1}"; do
		ip -n "$NS_DST" addr add $b/64 dev d0 nodad
	done
	ip -n "$NS_SRC" neigh add $VIP6 lladdr "$DST_MAC" dev s0 nud permanent
	NF_BIN=lb start_nf lb6 1 --vip "[$VIP6]:7000" \
		--backend "[${BACKENDS6[0]}]:8001" --backend "[${BACKENDS6[1]}]:8002" \
		--backend "[${BACKENDS6[2]}]:8003"
	wait_replicas 1 1
	for i in 0 1 2; do
		(exec ip netns exec "$NS_DST" "$TRAFFIC" udp-peers $((8001 + i)) 30000 \
			${BACKENDS6[i]} >"$RUNDIR/peers6-$i") &
		pids+=($!)
		busywait 2000 grep -qs ready "$RUNDIR/peers6-$i"
	done
	for ((sp = 22001; sp < 22001 + FLOWS6; sp++)); do
		in_src "$TRAFFIC" udp-ping $VIP6 7000 2 $PAYLOAD6 500 $sp |
			grep -q "^replies 2 bad 0$" && ok=$((ok + 1))
	done
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	check "ipv6 udp: $ok/$FLOWS6 flows answered from the IPv6 VIP, payloads intact" \
		[ "$ok" -eq $FLOWS6 ]
	diag "ipv6 flows per backend: $(for i in 0 1 2; do grep -c '^peer' "$RUNDIR/peers6-$i"; done | tr '\n' ' ')"
	check "ipv6 udp: every backend got flows, each flow exactly one backend" \
		eval '[[ $(grep -c "^peer" "$RUNDIR/peers6-0") -gt 0 && $(grep -c "^peer" "$RUNDIR/peers6-1") -gt 0 &&
			 $(grep -c "^peer" "$RUNDIR/peers6-2") -gt 0 &&
			 $(cat "$RUNDIR"/peers6-* | grep "^peer" | awk "{print \$3}" | sort -u | wc -l) -eq $FLOWS6 &&
			 $(cat "$RUNDIR"/peers6-* | grep -c "^peer") -eq $FLOWS6 ]]'
	check "ipv6 udp: the backends saw the client's own address" \
		eval '! grep -h "^peer" "$RUNDIR"/peers6-* | grep -qv "^peer fd00:198:18::1 "'
	s=$(nf_json lb6)
	diag "lb6: $s"
	# Ethernet 14 + IPv6 40 + UDP 8 + payload, both ways.
	check "ipv6 counters: $((2 * FLOWS6)) datagrams of $((62 + PAYLOAD6)) B in, as many replies" \
		eval '[[ $(jq -c "[([.backends[].packets] | add), ([.backends[].bytes] | add),
				     ([.backends[].reply_packets] | add), ([.backends[].reply_bytes] | add)]" <<<"$s") == \
			 "[$((2 * FLOWS6)),$((2 * FLOWS6 * (62 + PAYLOAD6))),$((2 * FLOWS6)),$((2 * FLOWS6 * (62 + PAYLOAD6)))]" ]]'

	pids=()
	for i in 0 1 2; do
		(exec ip netns exec "$NS_DST" "$TRAFFIC" tcp-recv $((8001 + i)) 15000 \
			>"$RUNDIR/tcp6-$i") &
		pids+=($!)
		busywait 2000 grep -qs ready "$RUNDIR/tcp6-$i"
	done
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send $VIP6 7000 1000000 >"$RUNDIR/tcp6-send"
	sleep 0.2
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	diag "ipv6 tcp: $(cat "$RUNDIR"/tcp6-? | grep received | tr '\n' ' ')"
	check "ipv6 tcp: 1 MB through the IPv6 VIP arrives intact at one backend" \
		eval '[[ $(cat "$RUNDIR"/tcp6-? | grep -c "^received 1000000 bad 0$") -eq 1 ]] &&
			grep -q "^sent 1000000$" "$RUNDIR/tcp6-send"'

	local out
	out=$(udp_refused $VIP6)
	s=$(nf_json lb6)
	diag "ipv6 icmp: the client's socket says $out; lb6: $(jq -c '{icmp_to_clients, icmp_to_backends}' <<<"$s")"
	check "ipv6 icmp: port unreachable from a backend reaches the client as the VIP's (ECONNREFUSED)" \
		[ "$out" = refused ]
}

echo "TAP version 13"
setup
start_lb
udp_flows
sticky_across_restart
tcp_flow
icmp_errors
ipv6
nf_stop_all
echo "1..$_tap_n"
tap_exit
