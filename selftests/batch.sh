#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvctl -batch with "flow add" lines pipelined (module-less backend):
# many requests in flight, and still the error of each line reported
# with its FILE:LINE, in the order of the file, and exactly the flows of
# the lines that succeeded in the tables.
#
#   ns fabric: nfvd, chain 2 (drop); nfvctl -batch FILE
#
# To have lines in flight when an answer says a line failed, nfvd is
# stopped (SIGSTOP) while nfvctl fills its window, then continued: it
# then handles what nfvctl sent in one go.
#
# Asserts, each on stderr line for line, the exit status and the set of
# flows (nfvctl -j flow show):
#  - -force: every failing line (duplicate match, unknown keyword, a
#    missing chain id) reported once, in file order, all others added;
#  - without -force: the batch stops at the first failed line, with one
#    error; no flow of a later line stays, although nfvd had added the
#    ones that were in flight (they are deleted again);
#  - a line that is not pipelined (chain add, a parse error) after
#    pipelined ones reports in order and stops there;
#  - nfvd killed with requests in flight: each of those lines reported,
#    nothing after them sent (no -force).

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -f $NFV_BPF_OBJ ]] || { echo "1..0 # SKIP $NFV_BPF_OBJ not built"; exit $ksft_skip; }

tap_plan 15

setup_topology >/dev/null 2>&1
start_nfvd --flows 131072 || { diag "nfvd did not start"; exit 1; }
nfvctl chain add 2 drop >/dev/null

# flow_line SPORT: the "flow add" of flow number SPORT.
flow_line() {
	echo "flow add proto udp src 198.19.0.1 dst 198.18.0.2 sport $1 dport 9 chain 2"
}

# The source ports of the flows in the tables, sorted.
flows_now() { nfvctl -j flow show | jq -r '.[].sport' | sort -n; }

flows_clear() {
	flows_now | while read -r p; do
		echo "flow del proto udp src 198.19.0.1 dst 198.18.0.2 sport $p dport 9"
	done | nfvctl -batch - >/dev/null
}

# run_batch NAME [-force] [stop]: nfvctl -batch $RUNDIR/NAME, stderr in
# $RUNDIR/NAME.err, status in RC.  "stop": nfvd is stopped before and
# continued 0.5 s after nfvctl starts (its window is full by then).
run_batch() {
	local name=$1 force= stop= pid
	[[ ${2:-} == -force ]] && { force=-force; shift; }
	[[ ${2:-} == stop ]] && stop=1
	[[ -n $stop ]] && kill -STOP "$NFVD_PID"
	in_fab "$BIN/nfvctl" -s "$SOCK" $force -batch "$RUNDIR/$name" \
		>"$RUNDIR/$name.out" 2>"$RUNDIR/$name.err" &
	pid=$!
	if [[ -n $stop ]]; then
		sleep 0.5
		kill -CONT "$NFVD_PID"
	fi
	wait $pid
	RC=$?
}

# same FILE WANT: FILE has the lines of WANT (a string), else the diff.
same() {
	diff <(printf '%s\n' "$2" | grep .) <(grep . "$1") && return 0
	echo "# want < > got"
	return 1
}

# ---- -force: every failure reported at its line, the rest added --------

# 3000 flows (ports 1000..3999) and, at lines 500, 1500, 2501 and 3004,
# a duplicate, a typo, a missing chain id and a duplicate again.
{
	for ((i = 0; i < 3000; i++)); do
		case $i in
		499) flow_line 1001 ;;
		1499) echo "flow add proto udp src 198.19.0.1 dst 198.18.0.2 sprot 5 dport 9 chain 2" ;;
		2500) echo "flow add proto udp src 198.19.0.1 dst 198.18.0.2 sport 7000 dport 9" ;;
		esac
		flow_line $((1000 + i))
	done
	echo "# a comment"
	flow_line 3999
} >"$RUNDIR/force"
F=$RUNDIR/force
run_batch force -force
check "-force: exit 2 (a backend refusal is the worst)" test "$RC" -eq 2
check "-force: each failed line reported once, with FILE:LINE, in order" \
	same "$F.err" "nfvctl: $F:500: a flow with this match exists
nfvctl: $F:1501: unknown keyword \"sprot\" in flow add
nfvctl: $F:2503: missing \"chain ID\": flow add MATCH chain ID
nfvctl: $F:3005: a flow with this match exists"
check "-force: all 3000 flows in the tables (nfvctl -j flow show)" \
	eval '[[ $(nfvctl -j flow show | jq length) -eq 3000 ]]'
check "-force: exactly the flows of the file" \
	diff <(flows_now) <(seq 1000 3999)
flows_clear

# The same with nfvd stopped while nfvctl sends: the answers of 128 lines
# (the window) at once, the failed ones among them.
{
	for ((i = 0; i < 200; i++)); do
		flow_line $((1000 + i))
		[[ $i -eq 9 || $i -eq 30 ]] && flow_line 1005
	done
} >"$RUNDIR/force-stopped"
F=$RUNDIR/force-stopped
run_batch force-stopped -force stop
check "-force, answers in one go: both failed lines reported, in order" \
	same "$F.err" "nfvctl: $F:11: a flow with this match exists
nfvctl: $F:33: a flow with this match exists"
check "-force, answers in one go: exit 2 and the 200 flows" \
	eval '[[ $RC -eq 2 && $(flows_now | tr "\n" " ") == "$(seq 1000 1199 | tr "\n" " ")" ]]'
flows_clear

# ---- without -force: stop at the first failed line, nothing after -----

# Line 10 repeats line 5; 190 more lines after it, of which those nfvctl
# sent while nfvd was stopped were added by nfvd before nfvctl read the
# answer of line 10.
{
	for ((i = 0; i < 200; i++)); do
		[[ $i -eq 9 ]] && flow_line 1004
		flow_line $((1000 + i))
	done
} >"$RUNDIR/stop"
F=$RUNDIR/stop
run_batch stop stop
check "no -force: exit 2, one error, at line 10" \
	eval '[[ $RC -eq 2 ]] && same "$F.err" "nfvctl: $F:10: a flow with this match exists"'
check "no -force: the flows of lines 1-9 only (those sent after line 10 deleted again)" \
	diff <(flows_now) <(seq 1000 1008)
# The journal holds the deletes too: a restarted nfvd has the same flows.
kill -9 "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null
start_nfvd --flows 131072
busywait 10000 eval 'nfvctl stats >/dev/null 2>&1'
check "no -force: the same 9 flows after a restart of nfvd (state file)" \
	diff <(flows_now) <(seq 1000 1008)
flows_clear

# A parse error after pipelined lines: reported after their answers, in
# order, and the batch stops there.
{
	for ((i = 0; i < 40; i++)); do flow_line $((1000 + i)); done
	echo "flow add proto udp src 198.19.0.1 dst 198.18.0.2 sport 5 dprot 9 chain 2"
	for ((i = 40; i < 100; i++)); do flow_line $((1000 + i)); done
} >"$RUNDIR/parse"
F=$RUNDIR/parse
run_batch parse stop
check "no -force: a typo at line 41 stops there, exit 1, 40 flows" \
	eval '[[ $RC -eq 1 ]] && same "$F.err" "nfvctl: $F:41: unknown keyword \"dprot\" in flow add" &&
	      diff <(flows_now) <(seq 1000 1039)'
flows_clear

# A failed pipelined line before a line that is not pipelined: the
# latter is never run.
{
	for ((i = 0; i < 30; i++)); do flow_line $((1000 + i)); done
	flow_line 1003
	for ((i = 30; i < 40; i++)); do flow_line $((1000 + i)); done
	echo "chain add 3 drop"
} >"$RUNDIR/order"
F=$RUNDIR/order
run_batch order stop
check "no -force: line 31 fails, the chain add of line 42 is not run" \
	eval '[[ $RC -eq 2 ]] && same "$F.err" "nfvctl: $F:31: a flow with this match exists" &&
	      [[ $(nfvctl -j chain show | jq "[.[] | select(.id == 3)] | length") -eq 0 ]] &&
	      diff <(flows_now) <(seq 1000 1029)'
flows_clear

# With -force the chain add runs, after the answers of the lines before.
run_batch order -force stop
check "-force: line 31 reported, then the chain add of line 42 made" \
	eval '[[ $RC -eq 2 ]] && same "$F.err" "nfvctl: $F:31: a flow with this match exists" &&
	      [[ $(nfvctl -j chain show | jq "[.[] | select(.id == 3)] | length") -eq 1 ]] &&
	      diff <(flows_now) <(seq 1000 1039)'
flows_clear

# ---- nfvd gone with requests in flight -------------------------------

for ((i = 0; i < 300; i++)); do flow_line $((1000 + i)); done >"$RUNDIR/lost"
F=$RUNDIR/lost
kill -STOP "$NFVD_PID"
in_fab "$BIN/nfvctl" -s "$SOCK" -batch "$F" >/dev/null 2>"$F.err" &
pid=$!
sleep 0.5
kill -9 "$NFVD_PID"
kill -CONT "$NFVD_PID" 2>/dev/null
wait "$NFVD_PID" 2>/dev/null
wait $pid
RC=$?
n=$(grep -c . "$F.err")
check "nfvd killed: exit 2, the lines in flight (1..$n) each reported, nothing more" \
	eval '[[ $RC -eq 2 && $n -ge 1 && $n -le 128 ]] &&
	      same "$F.err" "$(for ((l = 1; l <= n; l++)); do
			echo "nfvctl: $F:$l: Connection reset by peer"; done)"'
start_nfvd --flows 131072
busywait 10000 eval 'nfvctl stats >/dev/null 2>&1'

# ---- the rate (a figure; the benchmark's flowtable-1m has the 1M) -------

awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "flow add proto udp src 198.19.%d.%d dst 198.18.0.2 sport %d dport 9 chain 2\n",
		int(i / 250) % 250, i % 250 + 1, 1024 + i % 60000 }' >"$RUNDIR/rate"
t0=$(date +%s%N)
in_fab "$BIN/nfvctl" -s "$SOCK" -batch "$RUNDIR/rate" >/dev/null 2>"$RUNDIR/rate.err"
RC=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "100000 flows with nfvctl -batch in $ms ms: $((100000 * 1000 / (ms + 1))) flows/s"
check "100000 flows: exit 0, no error, all in the tables" \
	eval '[[ $RC -eq 0 && ! -s $RUNDIR/rate.err && $(nfvctl -j flow show | jq length) -eq 100000 ]]'
check "nfvd still serves (stats)" eval 'nfvctl stats >/dev/null'

tap_exit
