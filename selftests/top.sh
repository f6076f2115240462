#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvctl top (module-less backend), on a terminal (tmux) and not.
#
#   ns src            ns fabric (nfvd)                          ns dst
#   s0 198.18.0.1 --- f0 ==[ chain 1: NF "fwd" (service 1) ]== f1 --- d0
#                     f2 (veth to f3, nothing sends on it: an idle port)
#
# UDP is sent src -> dst at a paced rate; the rate actually sent is
# measured (datagrams / the sender's wall time).  Asserts:
#  - in a tmux pane, "nfvctl top" shows f0's rx and nf rates and the NF's
#    rx and tx rates within a factor 1.5 of the rate sent; the idle port
#    shows 0 in every column; the screen is redrawn in place (one header
#    on it), and it updates: a capture a second later differs, and once
#    the traffic stopped f0's rate goes to 0;
#  - without a terminal, "count N" prints N blocks and exits 0;
#  - -j with interval 500 ms: one JSON object per line, its rates per
#    second (not per interval) within the same factor.

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -x $TRAFFIC ]] || { echo "1..0 # SKIP $TRAFFIC not built"; exit $ksft_skip; }
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux missing (tools/install-deps)"; exit $ksft_skip; }

tap_plan 13

PPS=400
SECS=10
COUNT=$((PPS * SECS))

setup_topology >/dev/null 2>&1
ip netns exec "$NS_FAB" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n "$NS_FAB" link add f2 type veth peer name f3
ip -n "$NS_FAB" link set f2 up
ip -n "$NS_FAB" link set f3 up
start_nfvd || { diag "nfvd did not start"; exit 1; }
{
	nfvctl port add f1
	nfvctl port add f2
	nfvctl chain add 1 service 1 out f1
	nfvctl port add f0 default-chain 1
} >"$RUNDIR/setup.log" 2>&1
start_nf fwd 1
wait_replicas 1 1 || { diag "NF did not attach"; exit 1; }

# A private tmux server, its pane 150 x 40.
TMUX_SOCK=nfv-top-$$
tm() { tmux -L "$TMUX_SOCK" "$@"; }
defer "tmux -L $TMUX_SOCK kill-server"
tm new-session -d -s top -x 150 -y 40 \
	"ip netns exec $NS_FAB $BIN/nfvctl -s $SOCK top; sleep 60"
capture() { tm capture-pane -p -t top; }
check "nfvctl top runs in a tmux pane and shows the ports" \
	busywait $((5000 * TIME_SCALE)) eval 'capture | grep -q "^f2 "'

# ---- traffic at a paced rate, measured --------------------------------------
in_dst "$TRAFFIC" udp-recv 9000 "$COUNT" $(((SECS + 10) * 1000 * TIME_SCALE)) >"$RUNDIR/recv.out" &
rpid=$!
busywait $((5000 * TIME_SCALE)) grep -qs ready "$RUNDIR/recv.out"
t0=$(date +%s%N)
in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9000 "$COUNT" 64 "$PPS" >"$RUNDIR/send.out" &
spid=$!

# Traffic seen: two intervals later the last one shown is all traffic.
busywait $((5000 * TIME_SCALE)) eval '[[ $(capture | awk "\$1 == \"f0\" { print \$2 }") -gt 0 ]]' ||
	diag "no traffic shown on f0 within 5 s"
sleep 2.2
capture >"$RUNDIR/cap1"
sleep 1.3
capture >"$RUNDIR/cap2"
in_fab "$BIN/nfvctl" -s "$SOCK" -j top interval 500 count 4 >"$RUNDIR/top.json" 2>&1
wait $spid
t1=$(date +%s%N)
RATE=$(( COUNT * 1000000000 / (t1 - t0) ))
diag "sent $COUNT datagrams at $RATE/s (paced at $PPS/s)"
wait $rpid
diag "$(tail -1 "$RUNDIR/recv.out")"

# near VALUE: within a factor 1.5 of the rate sent.
near() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 * 3 >= RATE * 2 && $1 * 2 <= RATE * 3 )); }
# col CAPTURE ROW N: field N of the row starting with ROW.
col() { awk -v r="$2" -v n="$3" '$1 == r { print $n; exit }' "$1"; }

check "one header on the screen: redrawn in place, not scrolled" \
	eval '[[ $(grep -c "^nfvctl top:" "$RUNDIR/cap1") -eq 1 ]] || cat "$RUNDIR/cap1"'
check "f0 rx/s near the rate sent ($(col "$RUNDIR/cap1" f0 2) vs $RATE)" \
	near "$(col "$RUNDIR/cap1" f0 2)"
check "f0 nf/s (to the NF) near the rate sent ($(col "$RUNDIR/cap1" f0 3))" \
	near "$(col "$RUNDIR/cap1" f0 3)"
check "the NF's rx/s near the rate sent ($(col "$RUNDIR/cap1" 1 4))" \
	near "$(col "$RUNDIR/cap1" 1 4)"
check "the NF's tx/s near the rate sent ($(col "$RUNDIR/cap1" 1 5))" \
	near "$(col "$RUNDIR/cap1" 1 5)"
check "the idle port f2 shows 0 in every column" \
	eval '[[ $(awk "\$1 == \"f2\" { print \$2, \$3, \$4, \$5 }" "$RUNDIR/cap1") == "0 0 0 0" ]] || cat "$RUNDIR/cap1"'
check "the screen updates: a capture 1.3 s later differs" \
	eval '! cmp -s "$RUNDIR/cap1" "$RUNDIR/cap2"'
check "after the traffic, f0's rate goes to 0" \
	busywait $((4000 * TIME_SCALE)) eval '[[ $(capture | awk "\$1 == \"f0\" { print \$2 }") == 0 ]]'

# ---- not a terminal: count N blocks -------------------------------------------
in_fab "$BIN/nfvctl" -s "$SOCK" top interval 200 count 3 >"$RUNDIR/top.txt" 2>&1
RC=$?
check "top count 3 (no terminal) exits 0 after 3 blocks, no screen control" \
	eval '[[ $RC -eq 0 && $(grep -c "^nfvctl top:" "$RUNDIR/top.txt") -eq 3 ]] && ! grep -q $'"'"'\e'"'"' "$RUNDIR/top.txt"'

# ---- -j -------------------------------------------------------------------------
check "-j: one JSON object per interval, with ports and NFs" \
	eval '[[ $(jq -c "[.interval_ms, (.ports | length), (.nfs | length)]" "$RUNDIR/top.json" | sort -u) == "[500,3,1]" && $(wc -l <"$RUNDIR/top.json") -eq 4 ]] || cat "$RUNDIR/top.json"'
# The middle samples (traffic in both of their reads).
J=$(jq -s '[.[1:3][] | .ports[] | select(.name == "f0") | .rx_pps] | add / 2 | floor' "$RUNDIR/top.json")
check "-j interval 500: f0 rx_pps is per second ($J vs $RATE)" near "$J"
N=$(jq -s '[.[1:3][] | .nfs[0].rx_pps] | add / 2 | floor' "$RUNDIR/top.json")
check "-j interval 500: the NF's rx_pps is per second ($N vs $RATE)" near "$N"

tap_exit
