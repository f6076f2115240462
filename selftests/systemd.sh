#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvd under a service manager, without systemd as PID 1: readiness and
# watchdog notifications on a NOTIFY_SOCKET this test listens on, socket
# activation through systemd-socket-activate --seqpacket (the socket
# nfvd.socket makes), SIGUSR1 (a status line, not death), SIGHUP (the
# policy file again, a bad one refused), journal priority prefixes.

source "$(dirname "$0")/lib.sh"
require_root
command -v systemd-socket-activate >/dev/null ||
	{ echo "1..0 # SKIP systemd-socket-activate missing (tools/install-deps installs systemd)"; exit 1; }

echo "TAP version 13"
ip netns add "$NS_FAB" && defer ip netns del "$NS_FAB"
ip -n "$NS_FAB" link set lo up

# notify_listen FILE: datagrams on $RUNDIR/notify, one a line, into FILE.
notify_listen() {
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    m = s.recv(4096).decode()
    print(m.replace("\n", " | "), flush=True)
' "$RUNDIR/notify" >"$1" &
	NOTIFY_PID=$!
	defer "kill $NOTIFY_PID"
	busywait 3000 grep -q ready "$1"
}

# ---- Type=notify: READY=1 once the socket serves, the watchdog ------------
notify_listen "$RUNDIR/notes"
cat >"$RUNDIR/policy" <<'P'
user root services all
P
NOTIFY_SOCKET=$RUNDIR/notify WATCHDOG_USEC=200000 ip netns exec "$NS_FAB" \
	"$BIN/nfvd" --socket "$SOCK" --state none --bpf "$NFV_BPF_OBJ" \
	--policy "$RUNDIR/policy" >"$RUNDIR/nfvd.log" 2>&1 &
NFVD_PID=$!
defer "kill $NFVD_PID; wait $NFVD_PID"
busywait 15000 grep -q "READY=1" "$RUNDIR/notes"
check "READY=1 sent" grep -q "^READY=1 | STATUS=serving $SOCK" "$RUNDIR/notes"
check "the socket serves when READY=1 is sent" \
	eval '[[ $("$BIN/nfvctl" -s "$SOCK" -j stats | jq .frames.total) -gt 0 ]]'
sleep 1
pings=$(grep -c "^WATCHDOG=1" "$RUNDIR/notes")
check "WATCHDOG=1 every half WATCHDOG_USEC (200 ms): $pings in ~1 s" \
	eval '[[ $pings -ge 4 && $pings -le 20 ]]'

# ---- signals ---------------------------------------------------------------
kill -USR1 "$NFVD_PID"
check "SIGUSR1: a status line in the log" \
	busywait 3000 grep -q "nfvd: status: 0 ports, 0 NFs up, 0 flows, [0-9]* of [0-9]* frames free" "$RUNDIR/nfvd.log"
check "SIGUSR1: STATUS= to the service manager" \
	grep -q "^STATUS=0 ports, 0 NFs up" "$RUNDIR/notes"
check "SIGUSR1: nfvd still serves" kill -0 "$NFVD_PID"

attach() {	# attach SID: does an NF get service SID (still up after 1 s)?
	# Not timeout(1): it signals its whole process group, LeakSanitizer's
	# tracer included, which deadlocks a SANITIZE=1 NF on its way out.
	local p up=1
	"$BIN/nfv-forward" --service "$1" --socket "$SOCK" >/dev/null 2>"$RUNDIR/nf.err" &
	p=$!
	sleep 1
	kill -0 "$p" 2>/dev/null || up=0
	kill "$p" 2>/dev/null
	wait "$p"
	((up))
}
printf 'user root services 1-2\n' >"$RUNDIR/policy"
kill -HUP "$NFVD_PID"
busywait 3000 grep -q "policy: 1 rules" "$RUNDIR/nfvd.log"
check "SIGHUP: the new policy applies (service 3 refused)" eval '! attach 3'
check "SIGHUP: service 2 still allowed" attach 2
printf 'user root servces 1-5\n' >"$RUNDIR/policy"
kill -HUP "$NFVD_PID"
check "SIGHUP: a bad policy file is refused with its line" \
	busywait 3000 grep -q "policy:1: invalid rule" "$RUNDIR/nfvd.log"
check "SIGHUP: ...and the old policy stays (service 3 refused, 2 allowed)" \
	eval '! attach 3 && attach 2'

check "timestamps on log lines without a journal" \
	eval '[[ $(grep -c "^[0-9-]* [0-9:.]* nfvd: " "$RUNDIR/nfvd.log") -ge 3 ]]'
kill "$NFVD_PID"
wait "$NFVD_PID"
check "STOPPING=1 on the way out" busywait 2000 grep -q "^STOPPING=1" "$RUNDIR/notes"

# ---- journal priorities ---------------------------------------------------
exec 3>"$RUNDIR/journal.log"
JOURNAL_STREAM=$(stat -L -c '%d:%i' /proc/self/fd/3)
JOURNAL_STREAM=$JOURNAL_STREAM timeout -k 5 5 ip netns exec "$NS_FAB" \
	"$BIN/nfvd" --socket "$RUNDIR/j.sock" --state none --bpf "$NFV_BPF_OBJ" \
	--policy "$RUNDIR/no-such-policy" 2>&3 &
wait $!
exec 3>&-
check "JOURNAL_STREAM: lines carry syslog priorities (<4> warning)" \
	grep -q "^<4>nfvd: cannot open policy $RUNDIR/no-such-policy" "$RUNDIR/journal.log"

# ---- socket activation ----------------------------------------------------
ASOCK=$RUNDIR/act.sock
ip netns exec "$NS_FAB" systemd-socket-activate --seqpacket -l "$ASOCK" \
	"$BIN/nfvd" --socket "$ASOCK" --state none --bpf "$NFV_BPF_OBJ" \
	>"$RUNDIR/act.log" 2>&1 &
APID=$!
defer "kill $APID"
busywait 5000 test -S "$ASOCK"
check "socket activation: nfvd not started before a connection" \
	eval '! grep -q "nfvd:" "$RUNDIR/act.log"'
out=$(timeout -k 5 20 "$BIN/nfvctl" -s "$ASOCK" -j stats | jq .frames.total)
check "socket activation: the first connection is served ($out frames)" \
	eval '[[ ${out:-0} -gt 0 ]]'
check "socket activation: nfvd serves the socket passed" \
	grep -q "serving the socket passed for $ASOCK" "$RUNDIR/act.log"
kill "$APID"
wait "$APID" 2>/dev/null
check "socket activation: nfvd leaves the socket to its maker" test -S "$ASOCK"

# ---- the unit files -------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$RUNDIR/units"
	sed "s|@SBINDIR@|$BIN|" "$TOP/tools/systemd/nfvd.service" >"$RUNDIR/units/nfvd.service"
	cp "$TOP/tools/systemd/nfvd.socket" "$RUNDIR/units/"
	out=$(cd "$RUNDIR/units" && systemd-analyze verify --man=no ./nfvd.socket ./nfvd.service 2>&1 |
		grep -v "Failed to \|SocketGroup\|group .nfv\|nfv: \(group\|user\)" )
	check "systemd-analyze verify: the units are clean${out:+ ($out)}" [ -z "$out" ]
fi
echo "1..$_tap_n"
tap_exit
