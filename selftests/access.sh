#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may attach: nfvd identifies NFs by SO_PEERCRED; the socket is
# root:GROUP 0660 with --socket-group; --policy says which service each
# user or group may serve, and who only --readonly.  A refused attach
# gets a clear error on both sides.

source "$(dirname "$0")/lib.sh"
require_root
getent group nogroup >/dev/null || { echo "1..0 # SKIP no group nogroup"; exit $ksft_skip; }

echo "TAP version 13"
setup_topology >/dev/null
chmod 755 "$RUNDIR"
cat >"$RUNDIR/policy" <<'P'
# who          services   mode
user root      services all
group nogroup  services 1-2
group nogroup  services 5 readonly
P
ip netns exec "$NS_FAB" "$BIN/nfvd" --socket "$SOCK" --state "$RUNDIR/nfvd.state" --socket-group nogroup \
	--policy "$RUNDIR/policy" --bpf "$NFV_BPF_OBJ" >"$RUNDIR/nfvd.log" 2>&1 &
NFVD_PID=$!
defer "kill $NFVD_PID; wait $NFVD_PID"
busywait 5000 test -S "$SOCK"

check "socket is root:nogroup 0660" \
	eval '[[ $(stat -c "%U:%G %a" "$SOCK") == "root:nogroup 660" ]]'

# as_nobody ARGS...: an NF as nobody, its stderr in $RUNDIR/nf.err; its
# exit status, or 124 if it still runs after a second (then stopped).
# Not timeout(1): it signals its whole process group, LeakSanitizer's
# tracer included, which deadlocks a SANITIZE=1 NF on its way out.
as_nobody() {
	local p i
	setpriv --reuid 65534 --regid 65534 --init-groups \
		"$BIN/nfv-forward" --socket "$SOCK" "$@" 2>"$RUNDIR/nf.err" &
	p=$!
	for ((i = 0; i < 10; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		kill "$p"
		wait "$p"
		return 124
	fi
	wait "$p"
}

as_nobody --service 3
rc=$?
check "nobody refused as service 3 (exit 1)" [ "$rc" -eq 1 ]
check "NF says why" grep -q "uid 65534 (gid 65534) may not attach as service 3" "$RUNDIR/nf.err"
check "nfvd says why" grep -q "refused attach from pid [0-9]*: uid 65534" "$RUNDIR/nfvd.log"

as_nobody --service 5
check "service 5 needs --readonly" grep -q "only with --readonly" "$RUNDIR/nf.err"

as_nobody --service 5 --readonly
check "nobody attaches read-only as service 5 (runs until stopped)" [ $? -eq 124 ]
as_nobody --service 2
check "nobody attaches as service 2" [ $? -eq 124 ]
check "nfvd saw two NFs come up" eval '[[ $(grep -c " up$" "$RUNDIR/nfvd.log") -eq 2 ]]'

timeout -k 5 1 setpriv --reuid 65534 --regid 65534 --clear-groups \
	"$BIN/nfvctl" -s "$SOCK" chain add 1 service 1 drop 2>"$RUNDIR/ctl.err"
check "nobody may not change the tables" grep -q "requires root" "$RUNDIR/ctl.err"
echo "1..$_tap_n"
tap_exit
