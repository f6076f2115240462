#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvctl save and nfvd --config FILE (module-less backend).
#
#   ns fabric: nfvd; ports f0 f1 f2 (f2/f3 a veth pair of the fabric)
#
# Every kind of object and option is configured: ports (mode generic,
# default chain, fail closed, csum keep, steer-arp, decap vlan, decap
# vxlan with port and vni), chains (service, tap, out, drop hops,
# override deny), flows (prefix rules with in, proto, IPv4 and IPv6
# prefixes, port ranges; an exact flow).  Asserts:
#  - nfvctl save prints exactly the expected lines, ports before the
#    chains whose out hops name them, chains before the flows (and is
#    refused inside a batch);
#  - applied with nfvctl -batch to a fresh nfvd (--reset), the file gives
#    the same "nfvctl -j port|chain|flow show" output, byte for byte once
#    the counters are dropped, and the same save;
#  - nfvd --reset --config FILE starts with that same configuration;
#  - after kill -9, nfvd --config FILE (no --reset) keeps what the state
#    file restored (a flow deleted meanwhile stays deleted) and does not
#    apply the file over it;
#  - a refused line and a line that does not parse: nfvd exits 1, names
#    FILE:LINE and why, and nothing of the file stays (the state file then
#    restores an empty fabric); a file that cannot be read: exit 1.
#
# NFV_BACKEND=kernel (selftests/vm.sh's save_kernel): the same
# configuration in nfv.ko, saved with nfvctl -b kernel, deleted, applied
# again with nfvctl -b kernel -batch and compared the same way; nfvd
# --config is not applied over the module's configuration (it says so).

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -f $NFV_BPF_OBJ ]] || { echo "1..0 # SKIP $NFV_BPF_OBJ not built"; exit $ksft_skip; }

BACKEND=${NFV_BACKEND:-daemon}
if [[ $BACKEND == kernel ]]; then tap_plan 10; else tap_plan 20; fi

STATE=$RUNDIR/nfvd.state

# A running nfvd answers; the socket file alone proves nothing after -9.
nfvd_up() { busywait $((10000 * TIME_SCALE)) eval 'nfvctl stats >/dev/null 2>&1'; }

stop_nfvd() { kill "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null; }

# The configuration as nfvctl -j shows it, counters dropped.
config_json() {
	echo "ports $(nfvctl -j port show | jq -cS 'map(del(.stats))')"
	echo "chains $(nfvctl -j chain show | jq -cS .)"
	echo "flows $(nfvctl -j flow show | jq -cS .)"
}

empty_config() {
	local want got
	want=$'ports []\nchains []\nflows []'
	got=$(config_json)
	[[ $got == "$want" ]] && return 0
	echo "$got"
	return 1
}

# unsave FILE: the del lines that undo a saved FILE, newest first.
unsave() {
	tac "$1" | awk '$1 == "flow" && $2 == "add" { $2 = "del"; print; next }
		$2 == "add" { print $1, "del", $3 }'
}

# same WANT_FILE GOT_FILE: identical, else the diff.
same() {
	diff -u "$1" "$2" && return 0
	echo "# want - + got"
	return 1
}

# run_nfvd_fg ARGS...: an nfvd that is to fail at start; its status in RC,
# its log in $RUNDIR/fg.log.
run_nfvd_fg() {
	timeout -k 5 $((30 * TIME_SCALE)) ip netns exec "$NS_FAB" "$BIN/nfvd" \
		--socket "$SOCK" --bpf "$NFV_BPF_OBJ" --state "$STATE" "$@" \
		>"$RUNDIR/fg.log" 2>&1
	RC=$?
}

setup_topology >/dev/null 2>&1
ip -n "$NS_FAB" link add f2 type veth peer name f3
ip -n "$NS_FAB" link set f2 up
ip -n "$NS_FAB" link set f3 up
start_nfvd || { diag "nfvd did not start"; exit 1; }

{
	nfvctl port add f0 default-chain 3 fail closed csum keep
	nfvctl port add f1 mode generic steer-arp decap vxlan port 4790 vni 7
	nfvctl port add f2 decap vlan
	nfvctl chain add 3 service 1 tap service 2 service 3 out f1 override deny
	nfvctl chain add 4 drop
	nfvctl chain add 5 service 2 out f0
	nfvctl chain add 6 service 7
	nfvctl flow add in f0 proto tcp src 198.18.0.0/24 dport 80-90 chain 3
	nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 5 dport 9 chain 4
	nfvctl flow add proto icmpv6 dst fd00:198:18::/64 chain 5
	nfvctl flow add proto 47 chain 6
	nfvctl flow add in f2 proto udp sport 1000-2000 chain 6
} >"$RUNDIR/setup.log" 2>&1

sed "s/@BACKEND@/$BACKEND/" >"$RUNDIR/want.save" <<'EOF'
# nfvctl save: the configuration of the @BACKEND@ backend
# Apply to an empty fabric: nfvctl -batch FILE, or nfvd --config FILE
port add f0 mode native default-chain 3 fail closed csum keep
port add f1 mode generic fail open csum fix steer-arp decap vxlan port 4790 vni 7
port add f2 mode native fail open csum fix decap vlan
chain add 3 service 1 tap service 2 service 3 out f1 override deny
chain add 4 drop
chain add 5 service 2 out f0
chain add 6 service 7
flow add in f0 proto tcp src 198.18.0.0/24 dport 80-90 chain 3
flow add proto udp src 198.18.0.1/32 dst 198.18.0.2/32 sport 5 dport 9 chain 4
flow add proto icmpv6 dst fd00:198:18::/64 chain 5
flow add proto 47 chain 6
flow add in f2 proto udp sport 1000-2000 chain 6
EOF

config_json >"$RUNDIR/before.json"
nfvctl save >"$RUNDIR/saved" 2>"$RUNDIR/save.err"
RC=$?
check "nfvctl save exits 0, nothing on stderr" \
	eval '[[ $RC -eq 0 && ! -s $RUNDIR/save.err ]] || cat "$RUNDIR/save.err"'
check "save prints every port, chain and flow with every option, in order" \
	same "$RUNDIR/want.save" "$RUNDIR/saved"
printf 'chain show\nsave\n' >"$RUNDIR/save.batch"
nfvctl -batch "$RUNDIR/save.batch" >/dev/null 2>"$RUNDIR/save.batch.err"
RC=$?
check "save in a batch: refused at its FILE:LINE, exit 1" \
	eval '[[ $RC -eq 1 && $(cat "$RUNDIR/save.batch.err") == "nfvctl: $RUNDIR/save.batch:2: save is not a command of a batch" ]] || cat "$RUNDIR/save.batch.err"'
check "the configuration has an exact flow and prefix rules" \
	eval '[[ $(nfvctl -j flow show | jq -c "map(.exact)") == "[false,true,false,false,false]" ]]'

# ---- nfvctl -batch of the saved file, on an empty fabric --------------------
if [[ $BACKEND == kernel ]]; then
	# The module keeps its configuration: deleted line by line.
	unsave "$RUNDIR/saved" >"$RUNDIR/unsave"
	nfvctl -batch "$RUNDIR/unsave" >"$RUNDIR/unsave.out" 2>&1
	check "nfvctl -b kernel -batch of the del lines empties nfv.ko" empty_config
else
	stop_nfvd
	start_nfvd --reset && nfvd_up
	check "nfvd --reset starts empty" empty_config
fi
nfvctl -batch "$RUNDIR/saved" >"$RUNDIR/batch.out" 2>&1
RC=$?
check "nfvctl -batch of the saved file exits 0" \
	eval '[[ $RC -eq 0 ]] || cat "$RUNDIR/batch.out"'
if [[ $BACKEND == kernel ]]; then
	for dev in f0 f1 f2; do kernel_port_served "$dev"; done
fi
config_json >"$RUNDIR/after-batch.json"
check "-j port, chain, flow show identical after -batch (counters aside)" \
	same "$RUNDIR/before.json" "$RUNDIR/after-batch.json"
nfvctl save >"$RUNDIR/saved2" 2>&1
check "save of the rebuilt fabric is the same file" \
	same "$RUNDIR/saved" "$RUNDIR/saved2"

if [[ $BACKEND == kernel ]]; then
	# nfvd beside nfv.ko: the module's configuration stands.
	stop_nfvd
	start_nfvd --config "$RUNDIR/saved" && nfvd_up
	check "nfvd --config with nfv.ko: not applied, and it says so" \
		busywait $((5000 * TIME_SCALE)) grep -q -- \
		"--config $RUNDIR/saved not applied: nfv.ko keeps the configuration" \
		"$RUNDIR/nfvd.log"
	for dev in f0 f1 f2; do kernel_port_served "$dev"; done
	config_json >"$RUNDIR/after-config.json"
	check "the module's configuration is unchanged" \
		same "$RUNDIR/before.json" "$RUNDIR/after-config.json"
	tap_exit
fi

# ---- nfvd --reset --config FILE ---------------------------------------------
stop_nfvd
start_nfvd --reset --config "$RUNDIR/saved" && nfvd_up
config_json >"$RUNDIR/after-config.json"
check "nfvd --reset --config FILE: identical -j show output" \
	same "$RUNDIR/before.json" "$RUNDIR/after-config.json"
check "nfvd logs that it applied the file's 12 commands" \
	grep -q -- "--config $RUNDIR/saved: 12 commands applied" "$RUNDIR/nfvd.log"

# ---- kill -9, start again with --config: the state file's content stands ---
nfvctl flow del proto 47
nfvctl chain add 9 drop
config_json >"$RUNDIR/changed.json"
kill -9 "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null
start_nfvd --config "$RUNDIR/saved"
nfvd_up
check "after kill -9, nfvd --config FILE is up" \
	eval 'kill -0 $NFVD_PID && nfvctl stats >/dev/null'
config_json >"$RUNDIR/restarted.json"
check "the restored configuration stands, the file is not applied over it" \
	same "$RUNDIR/changed.json" "$RUNDIR/restarted.json"
check "nfvd says it left the file alone" \
	grep -q -- "--config $RUNDIR/saved not applied: the configuration restored from the state file stands" \
	"$RUNDIR/nfvd.log"
stop_nfvd

# ---- a refused line: exit 1, FILE:LINE, nothing stays -----------------------
bad=$RUNDIR/bad.conf
{ head -n 9 "$RUNDIR/saved"; echo "chain add 4 service 1"; tail -n +10 "$RUNDIR/saved"; } >"$bad"
run_nfvd_fg --reset --config "$bad"
check "a refused line: nfvd exits 1" eval '[[ $RC -eq 1 ]] || cat "$RUNDIR/fg.log"'
check "the error names FILE:LINE and why" \
	grep -q "nfvd: $bad:10: chain already exists" "$RUNDIR/fg.log"
start_nfvd && nfvd_up
check "nothing of the file stays (the state file restores an empty fabric)" \
	empty_config
stop_nfvd

# ---- a line that does not parse ----------------------------------------------
{ head -n 4 "$RUNDIR/saved"; echo "port show"; } >"$bad"
run_nfvd_fg --reset --config "$bad"
check "a line that is not a configuration command: nfvd exits 1" \
	eval '[[ $RC -eq 1 ]] || cat "$RUNDIR/fg.log"'
check "the error names FILE:LINE and the command" \
	grep -q "nfvd: $bad:5: \"port show\" is not a configuration command" \
	"$RUNDIR/fg.log"
start_nfvd && nfvd_up
check "nothing of that file stays either" empty_config
stop_nfvd

run_nfvd_fg --config "$RUNDIR/nosuch.conf"
check "a --config file that cannot be read: exit 1, the log says why" \
	eval '[[ $RC -eq 1 ]] && grep -q "cannot open $RUNDIR/nosuch.conf: No such file" "$RUNDIR/fg.log"'

tap_exit
