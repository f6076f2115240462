#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvctl monitor against nfvd (module-less backend) or, with
# NFV_BACKEND=kernel (selftests/vm.sh's monitor_kernel), nfv.ko's
# "events" multicast group: events of one client's changes reach
# another's monitor, in text and JSON, promptly; an NF that dies shows
# as dead.
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
BACKEND=${NFV_BACKEND:-daemon}
# The command itself, not a function: $! is then the monitor, which
# the deferred kill stops (the module's events never end it).
monitor=(ip netns exec "$NS_FAB" "$BIN/nfvctl" -b "$BACKEND" -s "$SOCK")
ms() { echo $(( $1 * TIME_SCALE )); }	# a wait, as TCG needs it

"${monitor[@]}" monitor >"$MON" 2>&1 &
mpid=$!
defer "kill $mpid 2>/dev/null"
"${monitor[@]}" -j monitor >"$MONJ" 2>&1 &
jpid=$!
defer "kill $jpid 2>/dev/null"

# Both listening: a chain they must see (they subscribe asynchronously).
listening() {
	nfvctl chain add 99 drop >/dev/null
	nfvctl chain del 99 >/dev/null
	grep -q "^chain 99 deleted" "$MON" && grep -q '"id":99' "$MONJ"
}
check "monitor: both monitors subscribed" busywait $(ms 5000) listening

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms_now)
nfvctl chain add 5 service 1 out f1 >/dev/null
busywait $(ms 1000) grep -q "^chain 5 service 1 out f1 override allow$" "$MON"
seen=$?
check "monitor: another client's chain add shows within 1 s ($(( $(ms_now) - t0 )) ms)" \
	[ $seen -eq 0 ]
check "monitor -j: the same event as JSON" \
	busywait $(ms 1000) eval 'jq -e "select(.event == \"chain\" and .id == 5 and .deleted == false and .hops[0].service == 1 and .hops[1].port == \"f1\")" "$MONJ" >/dev/null'
nfvctl chain del 5 >/dev/null
check "monitor: chain del shows as deleted" \
	busywait $(ms 1000) grep -q "^chain 5 deleted$" "$MON"

nfvctl port del f1 >/dev/null
check "monitor: port del shows the port removed" \
	busywait $(ms 1000) grep -q "^port f1 id [0-9]* removed$" "$MON"
nfvctl port add f1 default-chain 5 >/dev/null 2>&1
check "monitor: port add shows the port and its default chain" \
	busywait $(ms 1000) grep -q "^port f1 id [0-9]* default-chain 5$" "$MON"

nfvctl chain add 6 service 1 out f1 >/dev/null
nfvctl flow add in f0 proto udp src 198.18.0.1 dst 198.18.1.1 sport 1000 dport 2000 chain 6 >/dev/null
check "monitor: an exact flow added shows with its match" \
	busywait $(ms 1000) grep -q "^flow added in f0 proto udp src 198.18.0.1/32 dst 198.18.1.1/32 sport 1000 dport 2000 chain 6 exact$" "$MON"
nfvctl flow add dst 2001:db8::/32 dport 80-90 proto tcp chain 6 >/dev/null
check "monitor: a prefix rule added shows with its ranges" \
	busywait $(ms 1000) grep -q "^flow added proto tcp dst 2001:db8::/32 dport 80-90 chain 6$" "$MON"
nfvctl flow del dst 2001:db8::/32 dport 80-90 proto tcp >/dev/null
check "monitor: a flow deleted shows as deleted" \
	busywait $(ms 1000) grep -q "^flow deleted proto tcp dst 2001:db8::/32 dport 80-90 chain 6$" "$MON"
check "monitor -j: flow events as JSON" \
	busywait $(ms 1000) eval 'jq -e "select(.event == \"flow\" and .deleted == true and .dst == \"2001:db8::/32\" and .chain == 6)" "$MONJ" >/dev/null'
nfvctl flow del dst 198.18.9.9 >/dev/null 2>&1		# no such flow
nfvctl flow add in f0 proto udp src 198.18.0.1 dst 198.18.1.1 sport 1000 dport 2000 chain 7 >/dev/null 2>&1	# exists
nfvctl flow del in f0 proto udp src 198.18.0.1 dst 198.18.1.1 sport 1000 dport 2000 >/dev/null
busywait $(ms 1000) grep -q "^flow deleted in f0 " "$MON"
check "monitor: refused flow changes make no event" \
	eval '[[ $(grep -c "^flow " "$MON") -eq 4 ]]'
nfvctl chain del 6 >/dev/null

start_nf fwd 1
wait_replicas 1 1
id=$(nfvctl -j nf show | jq '.[] | select(.name == "fwd") | .id')
check "monitor: an NF coming up shows as up (nf $id)" \
	busywait $(ms 2000) grep -q "^nf $id up service 1 name fwd pid ${NF_PID[fwd]}$" "$MON"
kill -9 "${NF_PID[fwd]}"
wait "${NF_PID[fwd]}" 2>/dev/null
check "monitor: the NF killed shows as dead" \
	busywait $(ms 3000) grep -q "^nf $id dead " "$MON"
check "monitor -j: and as JSON" \
	busywait $(ms 1000) eval 'jq -e "select(.event == \"nf\" and .id == $id and .state == \"dead\")" "$MONJ" >/dev/null'
check "monitor -j: every line is one JSON object ($(wc -l <"$MONJ") lines)" \
	eval '[[ $(jq -c . "$MONJ" | wc -l) -eq $(wc -l <"$MONJ") && $(wc -l <"$MONJ") -ge 7 ]]'

# A monitor nobody reads: nfvd drops it rather than wait for it.  Its
# output is a fifo held open here and never read.
mkfifo "$RUNDIR/unread"
exec {unread}<>"$RUNDIR/unread"
"${monitor[@]}" monitor >"$RUNDIR/unread" 2>&1 &
spid=$!
defer "kill $spid 2>/dev/null"
sleep 0.5
for i in $(seq 1 400); do
	echo "chain add 7 service 1 out f1"
	echo "chain del 7"
done >"$RUNDIR/churn.batch"
nfvctl -batch "$RUNDIR/churn.batch" >/dev/null
check "monitor: 800 events to a monitor that never reads: the fabric still answers" \
	eval '[[ $(nfvctl -j stats | jq -r .backend) == $BACKEND ]]'
check "monitor: the reading monitor got all 800" \
	busywait $(ms 3000) eval '[[ $(grep -c "^chain 7 " "$MON") -eq 800 ]]'

nfvctl -batch - <<<"monitor" >"$RUNDIR/batch.out" 2>&1
check "monitor: refused in a batch" \
	grep -q "not in a batch" "$RUNDIR/batch.out"

if [[ $BACKEND == daemon ]]; then
	# nfvd goes: the monitor says so and ends (status 1), it does not hang.
	kill "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	busywait $(ms 3000) eval '! kill -0 $mpid 2>/dev/null'
	wait "$mpid" 2>/dev/null
	rc=$?
	check "monitor: nfvd gone, the monitor ends with status 1 and says why (status $rc)" \
		eval '[[ $rc -eq 1 ]] && grep -q "nfvd closed the connection" "$MON"'
else
	# The module's events do not depend on nfvd: it goes, they go on.
	kill "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	nfvctl chain add 8 drop >/dev/null
	check "monitor: nfvd gone, the module's events still come" \
		busywait $(ms 1000) grep -q "^chain 8 drop" "$MON"
fi

echo "1..$_tap_n"
tap_exit
