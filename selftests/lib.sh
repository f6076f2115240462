# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for nfv's shell selftests: TAP output, a cleanup stack,
# the src | fabric | dst topology, nfvd and NF processes.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ chain of NFs over AF_XDP ]== f1 --- d0 198.18.0.2
#   fd00:198:18::1                                               fd00:198:18::2
#
# The peers s0 and d0 are stock veths: offloads exactly as the kernel sets
# them, as in any container.  Addresses come from 198.18.0.0/15 only.
#
# NFV_BACKEND=kernel (with nfv.ko loaded: the VM suite, selftests/vm.sh):
# nfvctl talks to the module (-b kernel), which writes the tables; nfvd
# (which sees NFV_BACKEND too and refuses to run without the module)
# serves its ports and NFs.  A port added through the module is served
# once nfvd has seen its event: nfvctl "port add" waits for that.
#
# NFV_TIME_SCALE=N (default 1): time windows and time limits of the tests
# are N times longer, for a machine N times slower than the one they were
# written on (the VM suite runs under TCG, no KVM).  Counts, bytes and
# ratios are never scaled.

ksft_skip=4
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${NFV_BIN:-$TOP/build/bin}
# nfvd: beside the others in build/bin, in sbin when installed
# (selftests/deb.sh: NFV_BIN=/usr/bin NFV_NFVD=/usr/sbin/nfvd).
NFVD=${NFV_NFVD:-$BIN/nfvd}
TRAFFIC=${NFV_TRAFFIC:-$TOP/build/selftests/traffic}
export NFV_BPF_OBJ=${NFV_BPF_OBJ:-$TOP/build/bpf/nfv_xdp.bpf.o}

_tap_n=0
_tap_fail=0
_tap_skip=0
_defer=()

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
tap_ok() {		# tap_ok COND_STATUS "description"
	_tap_n=$((_tap_n + 1))
	if [[ $1 -eq 0 ]]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}
tap_skip() {
	_tap_n=$((_tap_n + 1))
	_tap_skip=$((_tap_skip + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}
diag() { echo "# $*"; }

# One test case, its time after it: a slow case shows in any log (the VM
# suite must fit its time limit).
# run_case NAME [CMD...]: runs CMD (NAME alone when none given).
run_case() {
	local t0=$SECONDS name=$1

	diag "== $name"
	[[ $# -gt 1 ]] && shift
	"$@"
	diag "-- $name: $((SECONDS - t0)) s"
}
tap_exit() {
	if [[ $_tap_fail -gt 0 ]]; then exit 1; fi
	if [[ $_tap_n -gt 0 && $_tap_skip -eq $_tap_n ]]; then exit $ksft_skip; fi
	exit 0
}

# Check helper: check "description" COMMAND... (status of the command)
check() {
	# Names private to check: the command may be an eval of the caller's
	# own locals (desc, rc...), which a local here would shadow.
	local _check_desc=$1 _check_rc
	shift
	"$@" >"$RUNDIR/check.out" 2>&1
	_check_rc=$?
	cat "$RUNDIR/check.out" >>"$RUNDIR/check.log"
	tap_ok $_check_rc "$_check_desc"
	# A failure says what was compared and what the command printed.
	if [[ $_check_rc -ne 0 ]]; then
		diag "failed: $*"
		tail -n 20 "$RUNDIR/check.out" | sed 's/^/#   /'
	fi
	return $_check_rc
}

# ping_all IN_NS PING_ARGS...: ping from a namespace (in_src, in_dst)
# with -c N: all N echoes answered, none twice.  ping's own status is 0
# with a single reply, so its summary line is what is checked.
ping_all() {
	local in=$1 out count= a prev= sum
	shift
	for a; do
		[[ $prev == -c ]] && count=$a
		prev=$a
	done
	out=$($in ping "$@" 2>&1)
	echo "$out"
	sum=$(grep 'packets transmitted' <<<"$out")
	[[ -n $count && $sum == "$count packets transmitted, $count received,"* &&
	   $sum != *duplicates* && $sum != *errors* ]] && return 0
	echo "# ping: want $count of $count answered, none twice; got: ${sum:-no summary}"
	return 1
}

defer() { _defer+=("$*"); }
run_deferred() {
	local i
	for ((i = ${#_defer[@]} - 1; i >= 0; i--)); do
		eval "${_defer[i]}" >/dev/null 2>&1
	done
	_defer=()
}
trap run_deferred EXIT

require_root() {
	if [[ $(id -u) -ne 0 ]]; then
		echo "1..0 # SKIP needs root"
		exit $ksft_skip
	fi
}

# sleep without a process (under TCG, in the VM suite, each exec costs
# 30-80 ms; busywait's date and sleep took 0.6 s of the 9.4 s of a
# hostile case's set-up there): a read that times out on a pipe of our
# own, both ends held, so that neither data nor EOF ever comes.
exec {_nap_fd}<> <(:)
nap() { read -rt "$1" -u "$_nap_fd"; :; }

# busywait TIMEOUT_MS CMD...: retry CMD until it succeeds or time is up
# (EPOCHREALTIME: microseconds, whatever the locale's decimal point).
busywait() {
	local timeout=$1 start=${EPOCHREALTIME//[!0-9]/}
	shift
	while true; do
		"$@" && return 0
		(( (${EPOCHREALTIME//[!0-9]/} - start) / 1000 > timeout )) &&
			return 1
		nap "${BUSYWAIT_INTERVAL:-0.02}"
	done
}

TIME_SCALE=${NFV_TIME_SCALE:-1}
SUFFIX=$$
NS_SRC=nfv-src-$SUFFIX
NS_FAB=nfv-fab-$SUFFIX
NS_DST=nfv-dst-$SUFFIX
RUNDIR=$(mktemp -d /tmp/nfv-test.XXXXXX)
SOCK=$RUNDIR/nfvd.sock
[[ -n ${NFV_KEEP:-} ]] || defer rm -rf "$RUNDIR"

in_src() { ip netns exec "$NS_SRC" "$@"; }
in_fab() { ip netns exec "$NS_FAB" "$@"; }
in_dst() { ip netns exec "$NS_DST" "$@"; }
nfvctl() {
	in_fab "$BIN/nfvctl" ${NFV_BACKEND:+-b "$NFV_BACKEND"} -s "$SOCK" "$@" ||
		return
	if [[ ${NFV_BACKEND:-} == kernel && $1 == port && ${2:-} == add ]]; then
		kernel_port_served "$3"
	fi
}

# Kernel backend: wait until nfvd serves DEV as the module has it (same
# id, default chain and flags in nfvd's own stats; classifier attached).
kernel_port_served() {
	local dev=$1 q k d
	q=".[] | select(.name == \"$dev\") | [.id, .default_chain, .flags]"
	busywait 5000 eval '
		k=$(in_fab "$BIN/nfvctl" -b kernel -j port show | jq -c "$q")
		d=$(in_fab "$BIN/nfvctl" -b daemon -s "$SOCK" -j stats |
		    jq -c ".ports | $q")
		[[ -n $k && $k == "$d" ]] &&
		[[ $(ip -n "$NS_FAB" -j link show dev "$dev" | jq ".[0].xdp != null") == true ]]' || {
		echo "# nfvd did not serve port $dev of nfv.ko in time" >&2
		return 1
	}
}

# setup_topology [MODE]: veth pairs and namespaces, static neighbours
# (the fabric is a bump in the wire: ARP does not cross it).
setup_topology() {
	ip netns add "$NS_SRC" && defer ip netns del "$NS_SRC"
	ip netns add "$NS_FAB" && defer ip netns del "$NS_FAB"
	ip netns add "$NS_DST" && defer ip netns del "$NS_DST"
	local ns
	for ns in "$NS_SRC" "$NS_FAB" "$NS_DST"; do
		ip -n "$ns" link set lo up
	done
	setup_wires
}

# setup_wires: the veth pairs s0-f0 and f1-d0 of the topology, addresses
# and neighbours (again, once the old ones are deleted: new devices).
setup_wires() {
	ip -n "$NS_SRC" link add s0 type veth peer name f0 netns "$NS_FAB"
	ip -n "$NS_DST" link add d0 type veth peer name f1 netns "$NS_FAB"
	ip -n "$NS_SRC" addr add 198.18.0.1/24 dev s0
	ip -n "$NS_DST" addr add 198.18.0.2/24 dev d0
	ip -n "$NS_SRC" addr add fd00:198:18::1/64 dev s0 nodad
	ip -n "$NS_DST" addr add fd00:198:18::2/64 dev d0 nodad
	ip -n "$NS_SRC" link set s0 up
	ip -n "$NS_DST" link set d0 up
	ip -n "$NS_FAB" link set f0 up
	ip -n "$NS_FAB" link set f1 up
	SRC_MAC=$(ip -n "$NS_SRC" -j link show s0 | jq -r '.[0].address')
	DST_MAC=$(ip -n "$NS_DST" -j link show d0 | jq -r '.[0].address')
	ip -n "$NS_SRC" neigh add 198.18.0.2 lladdr "$DST_MAC" dev s0 nud permanent
	ip -n "$NS_DST" neigh add 198.18.0.1 lladdr "$SRC_MAC" dev d0 nud permanent
	ip -n "$NS_SRC" neigh add fd00:198:18::2 lladdr "$DST_MAC" dev s0 nud permanent
	ip -n "$NS_DST" neigh add fd00:198:18::1 lladdr "$SRC_MAC" dev d0 nud permanent
}

NFVD_PID=
start_nfvd() {
	# Not through in_fab: backgrounding a function forks a subshell,
	# and $! must be nfvd itself so that the deferred kill reaches it.
	ip netns exec "$NS_FAB" "$NFVD" --socket "$SOCK" --bpf "$NFV_BPF_OBJ" \
		--state "$RUNDIR/nfvd.state" "$@" \
		>"$RUNDIR/nfvd.log" 2>&1 &
	NFVD_PID=$!
	defer "kill $NFVD_PID; wait $NFVD_PID"
	busywait 15000 test -S "$SOCK"
}

# start_nf NAME SID [ARGS...]: an NF process outside the fabric netns.
declare -A NF_PID
# NF_WRAP: a command the NF runs under (chrt, taskset), word-split.
start_nf() {
	local name=$1 sid=$2
	shift 2
	${NF_WRAP:-} "$BIN/nfv-${NF_BIN:-forward}" --service "$sid" --socket "$SOCK" \
		--name "$name" "$@" >"$RUNDIR/$name.log" 2>&1 &
	NF_PID[$name]=$!
	defer "kill ${NF_PID[$name]} 2>/dev/null; wait ${NF_PID[$name]} 2>/dev/null"
}

# Wait until N NFs of service SID are up.
wait_replicas() {
	local sid=$1 n=$2
	busywait 5000 eval "[[ \$(nfvctl -j service show | jq '[.[] | select(.id == $sid) | .replicas | length] | add // 0') -ge $n ]]"
}

# say CMD...: print the command as a user would type it, then run it
# (the demos: a narrative, no shell trace).
say() {
	printf '  $ %s\n' "$*"
	"$@" > >(sed 's/^/    /') 2>&1 || { echo "demo: failed: $*" >&2; exit 1; }
	wait $!
}

stat_json() { nfvctl -j stats; }
frames_free() { nfvctl -j stats | jq '.frames.free'; }
port_counter() {	# port_counter DEV NAME
	nfvctl -j port show | jq ".[] | select(.name == \"$1\") | .stats.$2"
}

# Send COUNT UDP datagrams of SIZE src -> dst, print "received N bad M dup D
# bytes B" (udp-recv: D datagrams seen twice).  Sent 16 a millisecond, or
# paced at UDP_PPS a second if set.
# udp_exact COUNT SIZE [DPORT]: COUNT datagrams of SIZE bytes arrive,
# every byte intact; if not, say where they went (fabric counters).
udp_exact() {
	local out
	out=$(udp_through "$@")
	[[ $out == "received $1 bad 0 dup 0 bytes $(($1 * $2))" ]] && return 0
	echo "$out"
	nfvctl stats 2>&1 | grep -v '^backend'
	# Drops outside the fabric's counters: veth rings, XSK rings, the
	# receiver's UDP stack.
	local dev
	for dev in f0 f1; do
		echo "$dev: $(ip netns exec "$NS_FAB" ethtool -S "$dev" 2>/dev/null |
			awk '$2 != 0 && /drop|err|full|empty/' | xargs)"
	done
	echo "dst: $(ip netns exec "$NS_DST" nstat -az 2>/dev/null |
		awk '/Udp6?(InErrors|RcvbufErrors|NoPorts|InCsumErrors)/ && $2 != 0' | xargs)"
	return 1
}

# iperf_bytes ADDR DIR: IPERF_BYTES, the bytes an iperf3 run src -> ADDR
# (DIR reverse: ADDR -> src) of 2 s (10 s under TCG) delivered, 0 if it
# did not run.
iperf_bytes() {
	local addr=$1 flag= try bytes
	[[ $2 == reverse ]] && flag=-R
	for try in 1 2; do
		# Bounded on both sides: a client that never connects
		# must not leave a one-off server waiting forever.
		ip netns exec "$NS_DST" timeout -k 5 $((30 * TIME_SCALE)) iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
		local spid=$!
		busywait 5000 eval 'in_dst ss -ltn | grep -q ":5201 "'
		in_src timeout -k 5 $((15 * TIME_SCALE)) iperf3 -c "$addr" -p 5201 -t $((2 * TIME_SCALE)) $flag -J \
			>"$RUNDIR/iperf.json" 2>"$RUNDIR/iperf.err"
		kill $spid 2>/dev/null
		wait $spid 2>/dev/null
		bytes=$(jq '.end.sum_received.bytes // 0' "$RUNDIR/iperf.json" 2>/dev/null)
		[[ ${bytes:-0} -gt 0 ]] && break
		diag "iperf3 $2 to $addr attempt $try: $(jq -r '.error // empty' "$RUNDIR/iperf.json" 2>/dev/null) $(head -c 200 "$RUNDIR/iperf.err")"
	done
	diag "iperf3 $2 to $addr: $(jq '(.end.sum_received.bits_per_second // 0) / 1e9' "$RUNDIR/iperf.json" 2>/dev/null) Gbit/s, ${bytes:-0} bytes, $(jq '.end.sum_sent.retransmits // 0' "$RUNDIR/iperf.json" 2>/dev/null) retransmits"
	IPERF_BYTES=${bytes:-0}
}

# iperf_pinned ADDR [reverse]: IPERF_BYTES, what an iperf3 run of 2 s
# src -> ADDR (reverse: ADDR -> src) delivered (0: it did not run).
# Client and server on CPUs of their own, the same for both paths: where
# the scheduler puts them otherwise moves a run by 30%.
iperf_pinned() {
	local flag= cs=() cc=()
	[[ ${2:-} == reverse ]] && flag=-R
	if [[ $(nproc) -ge 2 ]]; then
		cs=(taskset -c 1); cc=(taskset -c 0)
	fi
	ip netns exec "$NS_DST" "${cs[@]}" timeout -k 5 $((30 * TIME_SCALE)) iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	local spid=$!
	busywait 5000 eval 'in_dst ss -ltn | grep -q ":5201 "'
	in_src "${cc[@]}" timeout -k 5 $((15 * TIME_SCALE)) iperf3 -c "$1" -p 5201 -t $((2 * TIME_SCALE)) $flag -J \
		>"$RUNDIR/iperf.json" 2>/dev/null
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	IPERF_BYTES=$(jq '.end.sum_received.bytes // 0' "$RUNDIR/iperf.json" 2>/dev/null)
	IPERF_BYTES=${IPERF_BYTES:-0}
}

# best_router_ratio DIR ENOUGH: BEST_RATIO, what the fabric moves
# (iperf_pinned 198.18.0.2 DIR) in percent of three kernel routers
# (198.18.2.2, kernel_routers), the best of up to 3 pairs run back to
# back, stopping at ENOUGH: interference only lowers a throughput.
# PAIR_PROBE: a command printing a counter; its rise over the fabric's
# run goes into each pair's diagnostic.
best_router_ratio() {
	local dir=$1 enough=$2 try r k g p0=0 note=
	BEST_RATIO=0
	for try in 1 2 3; do
		iperf_pinned 198.18.2.2 "$dir"; k=$IPERF_BYTES
		[[ -n ${PAIR_PROBE:-} ]] && p0=$($PAIR_PROBE)
		iperf_pinned 198.18.0.2 "$dir"; g=$IPERF_BYTES
		[[ -n ${PAIR_PROBE:-} ]] && note="; $PAIR_PROBE +$(( $($PAIR_PROBE) - p0 ))"
		r=$(( k > 0 ? g * 100 / k : 0 ))
		diag "$dir pair $try: fabric $g bytes, three kernel routers $k: $r% (issue 14's target: 50%)$note"
		(( r > BEST_RATIO )) && BEST_RATIO=$r
		(( BEST_RATIO >= enough )) && break
	done
}

# Three routing namespaces beside the fabric: s1 (ns src, 198.18.1.1)
# -> r1 -> r2 -> r3 -> d1 (ns dst, 198.18.2.2), stock veths.
kernel_routers() {
	local r=(nfv-r1-$SUFFIX nfv-r2-$SUFFIX nfv-r3-$SUFFIX) i dev
	for i in 0 1 2; do
		ip netns add "${r[i]}" && defer ip netns del "${r[i]}"
		ip -n "${r[i]}" link set lo up
		ip netns exec "${r[i]}" sysctl -qw net.ipv4.ip_forward=1
	done
	ip -n "$NS_SRC" link add s1 type veth peer name a0 netns "${r[0]}"
	ip -n "${r[0]}" link add a1 type veth peer name b0 netns "${r[1]}"
	ip -n "${r[1]}" link add b1 type veth peer name c0 netns "${r[2]}"
	ip -n "${r[2]}" link add c1 type veth peer name d1 netns "$NS_DST"
	ip -n "$NS_SRC" addr add 198.18.1.1/24 dev s1
	ip -n "${r[0]}" addr add 198.18.1.254/24 dev a0
	ip -n "${r[0]}" addr add 198.18.10.1/30 dev a1
	ip -n "${r[1]}" addr add 198.18.10.2/30 dev b0
	ip -n "${r[1]}" addr add 198.18.11.1/30 dev b1
	ip -n "${r[2]}" addr add 198.18.11.2/30 dev c0
	ip -n "${r[2]}" addr add 198.18.2.254/24 dev c1
	ip -n "$NS_DST" addr add 198.18.2.2/24 dev d1
	ip -n "$NS_SRC" link set s1 up
	ip -n "$NS_DST" link set d1 up
	for i in 0 1 2; do
		for dev in $(ip -n "${r[i]}" -o link show type veth | awk -F'[ :@]+' '{print $2}'); do
			ip -n "${r[i]}" link set "$dev" up
		done
	done
	ip -n "$NS_SRC" route add 198.18.2.0/24 via 198.18.1.254
	ip -n "$NS_DST" route add 198.18.1.0/24 via 198.18.2.254
	ip -n "${r[0]}" route add 198.18.2.0/24 via 198.18.10.2
	ip -n "${r[1]}" route add 198.18.1.0/24 via 198.18.10.1
	ip -n "${r[1]}" route add 198.18.2.0/24 via 198.18.11.2
	ip -n "${r[2]}" route add 198.18.1.0/24 via 198.18.11.1
	busywait 5000 in_src ping -c 1 -W 1 -q 198.18.2.2 >/dev/null
}

udp_through() {
	local count=$1 size=$2 dport=${3:-9000} out
	in_dst "$TRAFFIC" udp-recv "$dport" "$count" $((3000 * TIME_SCALE)) >"$RUNDIR/udp.out" &
	local rpid=$!
	busywait $((5000 * TIME_SCALE)) grep -qs ready "$RUNDIR/udp.out" ||
		echo "# udp-recv not ready in time" >&2
	if [[ -n ${UDP_PPS:-} ]]; then
		in_src "$TRAFFIC" udp-send-rate "${DST_ADDR:-198.18.0.2}" "$dport" "$count" "$size" \
			"$UDP_PPS" ${SPORT:+"$SPORT"} >/dev/null
	else
		in_src "$TRAFFIC" udp-send "${DST_ADDR:-198.18.0.2}" "$dport" "$count" "$size" "${SPORT:-}"
	fi
	wait $rpid
	out=$(tail -1 "$RUNDIR/udp.out")
	echo "$out"
}
