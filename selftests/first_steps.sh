#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Safer first steps: nfvctl refuses "fail closed" on the port that carries
# the default route without -force, and warns when a port's default chain
# would drop everything (a service with no NF up, a chain not there yet).

source "$(dirname "$0")/lib.sh"
require_root
echo "TAP version 13"
setup_topology >/dev/null
start_nfvd >/dev/null || exit 1
# f0 carries the fabric namespace's default route.
in_fab ip addr add 198.18.0.254/24 dev f0
in_fab ip route add default via 198.18.0.1 dev f0

out=$(nfvctl port add f0 fail closed 2>&1)
rc=$?
check "fail closed on the default route's device refused (exit $rc)" \
	eval '[[ $rc -eq 1 && $out == *"f0 carries the default route"*"-force"* ]]'
check "...and nothing was added" \
	eval '[[ $(nfvctl -j port show | jq length) -eq 0 ]]'
out=$(in_fab "$BIN/nfvctl" -s "$SOCK" -force port add f0 fail closed 2>&1)
check "with -force it is added" \
	eval '[[ $? -eq 0 && $(nfvctl -j port show | jq -r ".[0].fail") == closed ]]'
nfvctl port del f0 >/dev/null
out=$(nfvctl port add f1 fail closed 2>&1)
check "fail closed elsewhere needs no -force" \
	eval '[[ $? -eq 0 && -z $out ]]'
nfvctl port del f1 >/dev/null

out=$(nfvctl port add f1 default-chain 7 2>&1)
check "a default chain not there yet: warned, port added ($out)" \
	eval '[[ $out == *"warning: default chain 7 does not exist yet: f1 drops all its traffic"* && $(nfvctl -j port show | jq length) -eq 1 ]]'
nfvctl port del f1 >/dev/null
nfvctl chain add 7 service 3 drop >/dev/null
out=$(nfvctl port add f1 default-chain 7 2>&1)
check "a service with no NF up: warned ($out)" \
	eval '[[ $out == *"warning: service 3 of default chain 7 has no NF up: f1 drops all its traffic until one attaches"* ]]'
nfvctl port del f1 >/dev/null
start_nf nf3 3
wait_replicas 3 1
out=$(nfvctl port add f1 default-chain 7 2>&1)
check "with an NF up: no warning ($out)" eval '[[ $? -eq 0 && -z $out ]]'
echo "1..$_tap_n"
tap_exit
