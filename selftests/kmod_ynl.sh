#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmod_ynl: drive nfv.ko with the kernel's own YNL CLI
# (tools/net/ynl/cli.py of linux-source-6.12) and uapi/nfv.yaml, an
# independent client that knows the family only from the spec.
#
#   netns (private)   nfvy0 -- veth -- nfvy1
#
# Needs the family (run it in the VM: selftests/vm.sh) and the CLI
# unpacked in build/ynl (selftests/vm.sh does it; NFV_YNL_DIR overrides).
# Exit 4 without either.
set -u
cd "$(dirname "$0")/.."

ksft_skip=4
YNL_DIR=${NFV_YNL_DIR:-build/ynl}
CLI=$YNL_DIR/tools/net/ynl/cli.py
SCHEMA=$YNL_DIR/Documentation/netlink/genetlink-c.yaml
PY=/usr/bin/python3

if [[ -z ${NFV_YNL_NETNS:-} ]]; then
	if ! genl ctrl list 2>/dev/null | grep -q 'Name: nfv$'; then
		echo "TAP version 13"
		echo "1..0 # SKIP nfv.ko not loaded"
		exit $ksft_skip
	fi
	if [[ ! -f $CLI ]] || ! $PY -c 'import yaml, jsonschema' 2>/dev/null; then
		echo "TAP version 13"
		echo "1..0 # SKIP no YNL CLI in $YNL_DIR or no python3-yaml/jsonschema"
		exit $ksft_skip
	fi
	NFV_YNL_NETNS=1 exec unshare -n "$0" "$@"
fi

n=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

ok() {			# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [[ $1 -eq 0 ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$out"
		fail=$((fail + 1))
	fi
}

# ynl ARGS...: the CLI with the spec, JSON output into $out.
ynl() {
	$PY "$CLI" --spec uapi/nfv.yaml --no-schema --output-json "$@" >"$out" 2>&1
}

# refused ERRNO-TEXT ARGS...: the CLI fails and reports the errno and an
# extack message.
refused() {
	local want=$1
	shift
	! ynl "$@" && grep -q "$want" "$out" && grep -q "'msg'" "$out"
}

echo "TAP version 13"
echo "1..14"

ip link add nfvy0 type veth peer name nfvy1
ip link set nfvy0 up
ip link set nfvy1 up

$PY "$CLI" --spec uapi/nfv.yaml --schema "$SCHEMA" --list-ops >"$out" 2>&1
ok $? "the spec validates against genetlink-c.yaml and the family resolves"

ynl --do chain-new --json '{"id": 1, "hop": [{"type": "service", "service": 1},
	{"type": "drop"}]}'
ok $? "chain-new with two hops"

ynl --do chain-get --json '{"id": 1}' &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert r["id"] == 1, r
assert [h["type"] for h in r["hop"]] == ["service", "drop"], r
assert r["hop"][0]["service"] == 1, r' "$out"
ok $? "chain-get returns the hops, enum names decoded"

ynl --do chain-new --json '{"id": 2, "hop": [{"type": "service", "service": 7}],
	"flags": ["no-override"]}' && ynl --dump chain-get &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert [c["id"] for c in r] == [1, 2], r
assert r[1]["flags"] == ["no-override"] or r[1]["flags"] == {"no-override"}, r' "$out"
ok $? "chain-get dump lists both chains in order, flags decoded"

refused "out of range" --do chain-new --json '{"id": 5000, "hop": [{"type": "drop"}]}'
ok $? "chain id 5000 refused: out of range, extack"

refused "exists" --do chain-new --json '{"id": 1, "hop": [{"type": "drop"}]}'
ok $? "existing chain refused without NLM_F_REPLACE"

ynl --do chain-new --replace --json '{"id": 1, "hop": [{"type": "drop"}]}' &&
	ynl --do chain-get --json '{"id": 1}' && grep -q '"drop"' "$out" &&
	! grep -q '"service"' "$out"
ok $? "chain-new --replace replaces"

ynl --do port-new --json '{"name": "nfvy0", "default-chain": 1}' &&
	ynl --dump port-get &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert len(r) == 1 and r[0]["name"] == "nfvy0" and r[0]["id"] == 1, r
assert r[0]["default-chain"] == 1 and r[0]["mode"] == "native", r' "$out"
ok $? "port-new by name, port-get dump"

refused "No such device" --do port-new --json '{"name": "nosuch0"}'
ok $? "port-new of a missing netdev refused"

ynl --do flow-new --json '{"proto": 17, "src": "c6120001", "dst": "c6120002",
	"sport": 53, "dport": 53, "chain": 2}' &&
	ynl --do flow-new --json '{"dst": "c6120000", "dst-plen": 24, "chain": 1}' &&
	ynl --dump flow-get &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert len(r) == 2 and "exact" in r[0] and "exact" not in r[1], r
assert r[1]["dst-plen"] == 24 and r[1]["chain"] == 1, r' "$out"
ok $? "flow-new exact and prefix, flow-get dump"

refused "out of range" --do flow-new --json '{"src": "c6120001", "src-plen": 33, "chain": 1}'
ok $? "a /33 IPv4 prefix refused"

ynl --do stats-get &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert r["backend"] == "kernel" and len(r["port"]) == 1, r' "$out"
ok $? "stats-get: backend kernel, one port"

# A listener subscribes and sleeps; chain 3 comes and goes until it is
# done.  (Not "--subscribe --do" in one process: YNL of 6.12 trips over a
# notification that arrives before the ack of its own request.)
# The CLI fallback takes seconds per request under TCG: listen longer.
listen=3
[[ -x build/bin/nfvctl ]] || listen=12
$PY "$CLI" --spec uapi/nfv.yaml --no-schema --output-json --subscribe events \
	--sleep $listen >"$out" 2>&1 &
listener=$!
while kill -0 $listener 2>/dev/null; do
	if [[ -x build/bin/nfvctl ]]; then
		build/bin/nfvctl -b kernel chain add 3 drop
		build/bin/nfvctl -b kernel chain del 3
	else
		$PY "$CLI" --spec uapi/nfv.yaml --no-schema --do chain-new \
			--json '{"id": 3, "hop": [{"type": "drop"}]}'
		$PY "$CLI" --spec uapi/nfv.yaml --no-schema --do chain-del \
			--json '{"id": 3}'
	fi >/dev/null 2>&1
	sleep 0.2
done
wait $listener &&
	$PY -c 'import json,sys; r = json.load(open(sys.argv[1]))
ev = [m["msg"] for m in r if m["name"] == "chain-event"]
assert any(e["id"] == 3 and e.get("hop") for e in ev), r
assert any(e["id"] == 3 and "hop" not in e for e in ev), r' "$out"
ok $? "chain-new/-del announce chain-event on \"events\" (deleted: no hops)"

ynl --dump nf-get && grep -q '^\[\]$' "$out" && ynl --dump service-get &&
	grep -q '^\[\]$' "$out"
ok $? "no NFs, no services: empty dumps"

[[ $fail -eq 0 ]]
