#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-chain: real network functions on real traffic, module-less
# backend.  A firewall, an IDS on a tap hop and a source NAT between veth
# namespaces; a stock peer sends ping, UDP and TCP, some of it denied,
# some of it carrying what the IDS looks for.  Prints and checks every
# NF's counters and what the destination received; exits 1 if anything
# does not add up.
#
#   ns src (inside)            ns fabric: nfvd, XDP on f0 f1           ns dst (outside)
#   s0 198.18.0.1 --- f0 ==> firewall (1) ==> nat (3) ==> f1 --- d0 198.18.0.2
#                                 \==tap==> ids (2), read-only
#                     f0 <== firewall (1) <== nat (3) <== f1   (replies)
#   the outside sees the inside as 198.18.1.1 (nat --external)
#
# The programs are build/'s unless NFV_BIN (nfvctl, the NFs), NFV_NFVD
# and NFV_BPF_OBJ say otherwise (the installed ones: selftests/deb.sh);
# NFV_BACKEND=kernel configures nfv.ko instead, NFV_TIME_SCALE=N gives a
# slow machine N times longer (selftests/lib.sh).
set -u
source "$(dirname "$0")/../selftests/lib.sh"

if [[ $(id -u) -ne 0 ]]; then
	echo "demo-chain: needs root (network namespaces, XDP, AF_XDP)" >&2
	exit 1
fi
for b in "$NFVD" "$BIN"/{nfvctl,nfv-firewall,nfv-ids,nfv-nat}; do
	[[ -x $b ]] || { echo "demo-chain: $b not built (make)" >&2; exit 1; }
done
[[ -x $TRAFFIC ]] || { echo "demo-chain: $TRAFFIC not built (make)" >&2; exit 1; }

EXT=198.18.1.1
UDP_OK=2000		# datagrams to udp 9000, allowed
UDP_DENIED=500		# datagrams to udp 9001, denied
EVIL=10			# datagrams to udp 9002 that carry an IDS pattern
CLEAN=30		# datagrams to udp 9002 that do not
TCP_BYTES=2000000	# to tcp 9003, allowed
PINGS=5
SIZE=512

FAILED=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
verify() {	# verify "what" COND...
	local what=$1
	shift
	if "$@"; then
		printf '  \033[32mok\033[0m    %s\n' "$what"
	else
		printf '  \033[31mFAIL\033[0m  %s\n' "$what"
		FAILED=$((FAILED + 1))
	fi
}
eq() { [[ $1 -eq $2 ]]; }
ge() { [[ $1 -ge $2 ]]; }

step "topology: src | fabric | dst namespaces on veth pairs"
setup_topology
# The outside routes the NAT's external address back to the fabric.
ip -n "$NS_DST" route add $EXT/32 dev d0
ip -n "$NS_DST" neigh add $EXT lladdr "$SRC_MAC" dev d0 nud permanent
start_nfvd || { cat "$RUNDIR/nfvd.log"; exit 1; }
echo "nfvd pid $NFVD_PID, socket $SOCK"

step "the NFs' configuration"
cat >"$RUNDIR/fw.rules" <<-'EOF'
	# outbound, from the inside port f0
	allow in f0 proto icmp
	allow in f0 proto udp dport 9000
	deny  in f0 proto udp dport 9001
	allow in f0 proto udp dport 9002
	allow in f0 proto tcp dport 9003
	# replies: the NAT before us let in only what belongs to a connection
	allow in f1 dst 198.18.0.1
	# the peers' own IPv6 chatter (MLD reports, router solicitations)
	deny proto icmpv6
	default deny
EOF
cat >"$RUNDIR/ids.patterns" <<-'EOF'
	1:/etc/passwd
	2:|de ad be ef|
	3:cmd.exe
EOF
echo "# firewall rules ($RUNDIR/fw.rules)"; sed 's/^/  /' "$RUNDIR/fw.rules"
echo "# IDS patterns ($RUNDIR/ids.patterns)"; sed 's/^/  /' "$RUNDIR/ids.patterns"

step "ports, NFs and chains: firewall -> tap(ids) -> nat -> out"
nfvctl port add f1 >/dev/null && nfvctl port add f0 >/dev/null || exit 1
NF_BIN=firewall start_nf firewall 1 --rules "$RUNDIR/fw.rules" \
	--stats-json "$RUNDIR/fw.json"
NF_BIN=ids start_nf ids 2 --patterns "$RUNDIR/ids.patterns" \
	--alerts "$RUNDIR/alerts.json" --readonly
# Idle timeouts are time windows too: the ping's mapping must outlive
# the rest of the traffic on a slow machine (30 s, the default, at 1).
NF_BIN=nat start_nf nat 3 --inside f0 --external $EXT --ports 20000-29999 \
	--timeout-icmp $((30 * TIME_SCALE)) --timeout-udp $((30 * TIME_SCALE))
for sid in 1 2 3; do
	wait_replicas $sid 1 || { echo "service $sid did not come up"; tail "$RUNDIR"/*.log; exit 1; }
done
say nfvctl chain add 1 service 1 tap service 2 service 3 out f1
say nfvctl chain add 2 service 3 service 1 out f0
say nfvctl port del f0
say nfvctl port add f0 default-chain 1
say nfvctl port del f1
say nfvctl port add f1 default-chain 2
say nfvctl chain show
say nfvctl nf show

step "traffic from a stock veth peer (ordinary sockets, checksum offload on)"
in_src ping -c $PINGS -i 0.2 -W 1 198.18.0.2 | tail -2
PING_OK=$?

# Under TCG (NFV_TIME_SCALE > 1: the VM of selftests/deb.sh) three NFs
# carry a few thousand frames a second, and an NF not scheduled for 20
# ms makes the one before it drop what does not fit (docs/design.md,
# Backpressure): the sender's usual 16 a millisecond would test
# overload, which this demo does not.
[[ $TIME_SCALE -gt 1 ]] && export UDP_PPS=2000
UDP_OUT=$(udp_through $UDP_OK $SIZE 9000)
echo "udp 9000 (allowed): $UDP_OK x $SIZE B sent, $UDP_OUT"
UDP_DEN=$(udp_through $UDP_DENIED $SIZE 9001)
echo "udp 9001 (denied):  $UDP_DENIED x $SIZE B sent, $UDP_DEN"

in_dst "$TRAFFIC" udp-recv 9002 100000 $((2000 * TIME_SCALE)) >"$RUNDIR/ids.out" &
rpid=$!
busywait $((2000 * TIME_SCALE)) grep -qs ready "$RUNDIR/ids.out"
in_src "$TRAFFIC" udp-msg 198.18.0.2 9002 $((CLEAN / 2)) "GET /index.html" 5100
in_src "$TRAFFIC" udp-msg 198.18.0.2 9002 $((EVIL / 2)) "GET /../../etc/passwd" 5101
in_src "$TRAFFIC" udp-msg 198.18.0.2 9002 $((CLEAN / 2)) "nothing to see" 5102
in_src "$TRAFFIC" udp-msg 198.18.0.2 9002 $((EVIL / 2)) 'xx\xde\xad\xbe\xefyy' 5103
wait $rpid
IDS_RECV=$(awk '/^received/ {print $2 + $4}' "$RUNDIR/ids.out")
echo "udp 9002 (allowed, $EVIL of $((EVIL + CLEAN)) carry IDS patterns): received $IDS_RECV"

in_dst "$TRAFFIC" tcp-recv 9003 $((20000 * TIME_SCALE)) >"$RUNDIR/tcp.out" &
rpid=$!
busywait $((2000 * TIME_SCALE)) grep -qs ready "$RUNDIR/tcp.out"
t0=$(date +%s%N)
in_src timeout $((20 * TIME_SCALE)) "$TRAFFIC" tcp-send 198.18.0.2 9003 $TCP_BYTES >/dev/null
wait $rpid
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
TCP_OUT=$(tail -1 "$RUNDIR/tcp.out")
echo "tcp 9003 (allowed): $TCP_BYTES B sent, $TCP_OUT in $ms ms"

step "counters"
rm -f "$RUNDIR/fw.json"
kill -USR1 "${NF_PID[firewall]}" "${NF_PID[ids]}" "${NF_PID[nat]}"
busywait $((3000 * TIME_SCALE)) eval 'test -s "$RUNDIR/fw.json" && grep -q "^{\"stats\"" "$RUNDIR/ids.log" &&
	grep -q "^{\"external\"" "$RUNDIR/nat.log"'
FW=$(cat "$RUNDIR/fw.json")
IDS=$(grep '^{"stats"' "$RUNDIR/ids.log" | tail -1 | jq -c .stats)
NAT=$(grep '^{"external"' "$RUNDIR/nat.log" | tail -1)
echo "# nfvctl -j stats"
nfvctl -j stats | jq -c .
echo "# nfvctl -j nf show (per NF: frames received and sent, drops)"
nfvctl -j nf show | jq -c '.[] | {name, service, rx, tx, drop} +
	with_entries(select((.key | IN("ring_full", "tap_overflow", "bp_timeouts",
				       "budget_hits", "overrun")) and .value != 0))'
echo "# firewall: packets and bytes per rule"
jq -r '.rules[] | "  rule \(.rule) line \(.line)  \(.action) \(.match)  packets \(.packets) bytes \(.bytes)"' <<<"$FW"
jq -r '"  default \(.default.action)  packets \(.default.packets) bytes \(.default.bytes)"' <<<"$FW"
echo "# ids (tap, read-only)"
jq -c '{engine, packets, tap, scanned_bytes, alerts, hits}' <<<"$IDS"
echo "# ids alerts (first 2 of $(wc -l <"$RUNDIR/alerts.json"))"
head -2 "$RUNDIR/alerts.json"
# A tap holds a reference to the frame the chain goes on with: the NAT
# after it rewrites the same memory, so the IDS may see either address.
echo "# ids alerts by source address seen: $(jq -r .src "$RUNDIR/alerts.json" | sort | uniq -c | awk '{printf "%s x%s ", $2, $1}')"
echo "# nat"
jq -c . <<<"$NAT"
echo "# dst d0: what arrived at the destination"
ip -n "$NS_DST" -s -j link show d0 | jq -c '.[0].stats64.rx | {packets, bytes}'

step "checks"
rule() { jq ".rules[$(($1 - 1))].$2" <<<"$FW"; }
verify "ping: $PINGS echo requests answered through firewall and NAT" eq $PING_OK 0
verify "udp 9000: all $UDP_OK datagrams, $((UDP_OK * SIZE)) bytes, delivered intact ($UDP_OUT)" \
	[ "$UDP_OUT" = "received $UDP_OK bad 0 dup 0 bytes $((UDP_OK * SIZE))" ]
verify "udp 9001: none of $UDP_DENIED datagrams delivered ($UDP_DEN)" \
	[ "$UDP_DEN" = "received 0 bad 0 dup 0 bytes 0" ]
verify "udp 9002: all $((EVIL + CLEAN)) delivered (the IDS is on a tap: it alerts, never blocks)" \
	eq "${IDS_RECV:-0}" $((EVIL + CLEAN))
verify "tcp 9003: $TCP_BYTES bytes delivered intact" \
	[ "$TCP_OUT" = "received $TCP_BYTES bad 0" ]
verify "firewall: rule 1 (icmp out) counted the $PINGS echo requests ($(rule 1 packets))" \
	eq "$(rule 1 packets)" $PINGS
verify "firewall: rule 2 (udp 9000) counted $UDP_OK frames of $((SIZE + 42)) B ($(rule 2 packets), $(rule 2 bytes) B)" \
	eval '[[ $(rule 2 packets) -eq $UDP_OK && $(rule 2 bytes) -eq $((UDP_OK * (SIZE + 42))) ]]'
verify "firewall: rule 3 (deny udp 9001) dropped exactly $UDP_DENIED ($(rule 3 packets))" \
	eq "$(rule 3 packets)" $UDP_DENIED
verify "firewall: rule 4 (udp 9002) counted $((EVIL + CLEAN)) ($(rule 4 packets))" \
	eq "$(rule 4 packets)" $((EVIL + CLEAN))
verify "firewall: rule 6 (replies) saw the echo replies and TCP acks ($(rule 6 packets))" \
	ge "$(rule 6 packets)" $((PINGS + 1))
verify "firewall: nothing fell to the default ($(jq .default.packets <<<"$FW"))" \
	eq "$(jq .default.packets <<<"$FW")" 0
verify "ids: $EVIL alerts, one per datagram with a pattern ($(jq .alerts <<<"$IDS"))" \
	eq "$(jq .alerts <<<"$IDS")" $EVIL
verify "ids: alerts name patterns 1 and 2, $((EVIL / 2)) each, action alert, on the tap" \
	eval '[[ $(jq -s "map(select(.id == 1 and .tap and .action == \"alert\")) | length" "$RUNDIR/alerts.json") -eq $((EVIL / 2)) &&
		 $(jq -s "map(select(.id == 2 and .tap)) | length" "$RUNDIR/alerts.json") -eq $((EVIL / 2)) ]]'
verify "ids: saw every frame the firewall let out, as tap references ($(jq .tap <<<"$IDS"))" \
	ge "$(jq .tap <<<"$IDS")" $((PINGS + UDP_OK + EVIL + CLEAN))
verify "nat: 7 connections: 1 ping, 1 udp 9000 + 4 udp 9002 flows, 1 tcp ($(jq -c '[.icmp, .udp, .tcp]' <<<"$NAT"))" \
	[ "$(jq -c '[.created, .icmp, .udp, .tcp]' <<<"$NAT")" = "[7,1,5,1]" ]
verify "nat: every outbound frame translated, none unsupported ($(jq .out <<<"$NAT") out)" \
	eval '[[ $(jq .out <<<"$NAT") -ge $((PINGS + UDP_OK + EVIL + CLEAN)) && $(jq .out_unsupported <<<"$NAT") -eq 0 ]]'
verify "nat: the replies translated back ($(jq .in <<<"$NAT") in, $(jq .in_no_conn <<<"$NAT") unmatched)" \
	eval '[[ $(jq .in <<<"$NAT") -ge $PINGS && $(jq .in_no_conn <<<"$NAT") -eq 0 ]]'
verify "fabric: no frame left in flight, all back in the pool or the fill ring" \
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nfvctl -j stats | jq ".frames | .inflight == 0 and .free + .fill == .total") == true ]]'

step "teardown"
if [[ $FAILED -gt 0 ]]; then
	echo "demo-chain: $FAILED check(s) failed (NFV_KEEP=1 keeps the NFs' logs in $RUNDIR)"
	exit 1
fi
echo "demo-chain: all checks passed"
