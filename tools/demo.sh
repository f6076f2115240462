#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a 2-NF chain on veth namespaces with the module-less backend.
#
#   ns src             ns fabric: nfvd + XDP on f0, f1           ns dst
#   s0 198.18.0.1 --- f0 ==> nfv-forward (svc 1) ==> nfv-monitor (svc 2) ==> f1 --- d0 198.18.0.2
#
# Sends ping and 20000 UDP datagrams from an ordinary socket on a stock
# veth, prints what arrived, `nfvctl stats` and the monitor's flow table,
# then tears everything down.
set -u
source "$(dirname "$0")/../selftests/lib.sh"

if [[ $(id -u) -ne 0 ]]; then
	echo "demo: needs root (network namespaces, XDP, AF_XDP)" >&2
	exit 1
fi
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "topology: src | fabric | dst namespaces on veth pairs"
setup_topology
start_nfvd
echo "nfvd pid $NFVD_PID, socket $SOCK"

step "two NFs attach: nfv-forward as service 1, nfv-monitor as service 2"
start_nf forward 1
NF_BIN=monitor start_nf monitor 2
wait_replicas 1 1
wait_replicas 2 1
echo "  (each is an ordinary process: $BIN/nfv-forward --service 1, ...)"

step "ports and chains: what a user types (NFV_SOCKET=$SOCK)"
echo "  the veths become fabric ports (no chain yet: their traffic still goes"
echo "  to the kernel):"
say nfvctl port add f0
say nfvctl port add f1
echo "  chain 1 takes what s0 sends through both NFs out f1, chain 2 the"
echo "  replies back through them the other way:"
say nfvctl chain add 1 service 1 service 2 out f1
say nfvctl chain add 2 service 2 service 1 out f0
echo "  a port's default chain is set when it is added: add them again with it"
say nfvctl port del f0
say nfvctl port add f0 default-chain 1
say nfvctl port del f1
say nfvctl port add f1 default-chain 2
say nfvctl chain show

step "traffic from a stock veth peer"
in_src ping -c 3 -i 0.2 198.18.0.2
t0=$(date +%s%N)
echo "UDP, 20000 x 512 B: $(udp_through 20000 512)"
echo "elapsed $(( ($(date +%s%N) - t0) / 1000000 )) ms"

step "nfvctl stats"
nfvctl stats
step "nfvctl -j nf show"
nfvctl -j nf show | jq -c '.[]'
step "monitor's flows (SIGUSR1)"
kill -USR1 "${NF_PID[monitor]}"
sleep 0.3
grep '^flow' "$RUNDIR/monitor.log" | sort -t' ' -k8 -n -r | head -5

step "teardown"
