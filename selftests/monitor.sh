#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvctl monitor against nfvd (module-less backend): events of one
# client's changes reach another's monitor, in text and JSON, promptly;
# an NF that dies shows as dead.
#
#   ns fabric: nfvd, ports f0 f1; two monitors (text, -j) beside it

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done

echo "TAP version 13"
setup_topology
start_nfvd || { diag "nfvd did not start"; cat "$RUNDIR/nfvd.log"; exit 1; }
nfvctl port add f1 >/dev/null && nfvctl port add f0 >/dev/null || exit 1

MON=$RUNDIR/mon.txt
MONJ=$RUNDIR/mon.json
in_fab "$BIN/nfvctl" -s "$SOCK" monitor >"$MON" 2>&1 &
mpid=$!
defer "kill $mpid 2>/dev/null"
in_fab "$BIN/nfvctl" -s "$SOCK" -j monitor >"$MONJ" 2>&1 &
jpid=$!
defer "kill $jpid 2>/dev/null"

# Both listening: a chain they must see (they subscribe asynchronously).
listening() {
	nfvctl chain add 99 drop >/dev/null
	nfvctl chain del 99 >/dev/null
	grep -q "^chain 99 deleted" "$MON" && grep -q '"id":99' "$MONJ"
}
check "monitor: both monitors subscribed" busywait 5000 listening

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms_now)
nfvctl chain add 5 service 1 out f1 >/dev/null
busywait 1000 grep -q "^chain 5 service 1 out f1 override allow$" "$MON"
seen=$?
check "monitor: another client's chain add shows within 1 s ($(( $(ms_now) - t0 )) ms)" \
	[ $seen -eq 0 ]
check "monitor -j: the same event as JSON" \
	busywait 1000 eval 'jq -e "select(.event == \"chain\" and .id == 5 and .deleted == false and .hops[0].service == 1 and .hops[1].port == \"f1\")" "$MONJ" >/dev/null'
nfvctl chain del 5 >/dev/null
check "monitor: chain del shows as deleted" \
	busywait 1000 grep -q "^chain 5 deleted$" "$MON"

nfvctl port del f1 >/dev/null
check "monitor: port del shows the port removed" \
	busywait 1000 grep -q "^port f1 id [0-9]* removed$" "$MON"
nfvctl port add f1 default-chain 5 >/dev/null 2>&1
check "monitor: port add shows the port and its default chain" \
	busywait 1000 grep -q "^port f1 id [0-9]* default-chain 5$" "$MON"

start_nf fwd 1
wait_replicas 1 1
id=$(nfvctl -j nf show | jq '.[] | select(.name == "fwd") | .id')
check "monitor: an NF coming up shows as up (nf $id)" \
	busywait 2000 grep -q "^nf $id up service 1 name fwd pid ${NF_PID[fwd]}$" "$MON"
kill -9 "${NF_PID[fwd]}"
wait "${NF_PID[fwd]}" 2>/dev/null
check "monitor: the NF killed shows as dead" \
	busywait 3000 grep -q "^nf $id dead " "$MON"
check "monitor -j: and as JSON" \
	busywait 1000 eval 'jq -e "select(.event == \"nf\" and .id == $id and .state == \"dead\")" "$MONJ" >/dev/null'
check "monitor -j: every line is one JSON object ($(wc -l <"$MONJ") lines)" \
	eval '[[ $(jq -c . "$MONJ" | wc -l) -eq $(wc -l <"$MONJ") && $(wc -l <"$MONJ") -ge 7 ]]'

# A monitor nobody reads: nfvd drops it rather than wait for it.
in_fab "$BIN/nfvctl" -s "$SOCK" monitor | sleep 60 &
spid=$!
defer "kill $spid 2>/dev/null"
sleep 0.5
for i in $(seq 1 400); do
	echo "chain add 7 service 1 out f1"
	echo "chain del 7"
done >"$RUNDIR/churn.batch"
nfvctl -batch "$RUNDIR/churn.batch" >/dev/null
check "monitor: 800 events to a monitor that never reads: nfvd still answers" \
	eval '[[ $(nfvctl -j stats | jq -r .backend) == daemon ]]'
check "monitor: the reading monitor got all 800" \
	busywait 3000 eval '[[ $(grep -c "^chain 7 " "$MON") -eq 800 ]]'

nfvctl -batch - <<<"monitor" >"$RUNDIR/batch.out" 2>&1
check "monitor: refused in a batch" \
	grep -q "not in a batch" "$RUNDIR/batch.out"

# nfvd goes: the monitor says so and ends (status 1), it does not hang.
kill "$NFVD_PID"
wait "$NFVD_PID" 2>/dev/null
busywait 3000 eval '! kill -0 $mpid 2>/dev/null'
wait "$mpid" 2>/dev/null
rc=$?
check "monitor: nfvd gone, the monitor ends with status 1 and says why (status $rc)" \
	eval '[[ $rc -eq 1 ]] && grep -q "nfvd closed the connection" "$MON"'

echo "1..$_tap_n"
tap_exit
