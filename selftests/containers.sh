#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sandboxed NFs (docs/containers.md).  The NF of a running 1-NF chain runs
# under bubblewrap (nfv-run), under podman exactly as docs/containers.md
# says (its one-line `podman run`, with this host's CONTAINERS_CONF), under
# nfv-run's podman, and under podman with a uid map.  Each time: the
# datagrams arrive byte-exact, the NF has no capability and its own
# socket(AF_XDP) fails with EPERM (asked inside the sandbox and read from
# the host), and every frame is back when it stops.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ service 1: the sandboxed NF ]== f1 --- d0 198.18.0.2
#                              |
#        $RUNDIR/sock/nfvd.sock, mounted read-only at /run/nfv in the sandbox

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward nfv-run nfv-xskprobe; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -x $TRAFFIC ]] || { echo "1..0 # SKIP $TRAFFIC not built"; exit $ksft_skip; }
for t in podman bwrap setpriv; do
	command -v $t >/dev/null ||
		{ echo "1..0 # SKIP $t not installed (tools/install-deps)"; exit $ksft_skip; }
done

tests=(
	image_holds_every_nf
	bwrap_nfv_run
	podman_as_documented
	podman_nfv_run
	podman_uid_map
)
[[ $# -gt 0 ]] && tests=(image_holds_every_nf "$@")

DOC=$TOP/docs/containers.md
IMAGE=localhost/nfv-selftest:$SUFFIX
CPREFIX=nfv-selftest-$SUFFIX
SOCKDIR=$RUNDIR/sock
SOCK=$SOCKDIR/nfvd.sock
# This host's podman settings, generated with the image (as make image does).
export CONTAINERS_CONF=$RUNDIR/build/containers.conf
BASE_FREE=
NF_NAMES=()

# ---------------------------------------------------------------------

# fabric_up GROUP POLICY-LINES: nfvd with its socket in a directory of its
# own, root:GROUP 0660, the policy given; a chain f0 <-> service 1 <-> f1.
fabric_up() {
	local group=$1 policy=$2
	mkdir -p "$SOCKDIR"
	printf 'user root services all\n%s\n' "$policy" >"$RUNDIR/policy"
	# Not lib.sh's start_nfvd: "in_fab ... &" puts a subshell between
	# $! and nfvd, and this test stops nfvd in the middle.
	# Each fabric starts empty: the state of the last one is not wanted.
	ip netns exec "$NS_FAB" "$BIN/nfvd" --socket "$SOCK" --bpf "$NFV_BPF_OBJ" \
		--state "$RUNDIR/nfvd.state" --reset \
		--socket-group "$group" --policy "$RUNDIR/policy" \
		>>"$RUNDIR/nfvd.log" 2>&1 &
	NFVD_PID=$!
	defer "kill $NFVD_PID; wait $NFVD_PID"
	busywait 15000 test -S "$SOCK" ||
		{ diag "nfvd did not start"; sed 's/^/# /' "$RUNDIR/nfvd.log"; exit 1; }
	nfvctl port add f1 >/dev/null &&
	nfvctl port add f0 >/dev/null || exit 1
	BASE_FREE=$(frames_free)
	nfvctl chain add 1 service 1 out f1 >/dev/null &&
	nfvctl chain add 2 service 1 out f0 >/dev/null &&
	nfvctl port del f0 >/dev/null && nfvctl port add f0 default-chain 1 >/dev/null &&
	nfvctl port del f1 >/dev/null && nfvctl port add f1 default-chain 2 >/dev/null ||
		exit 1
}

fabric_down() {
	kill "$NFVD_PID" 2>/dev/null
	wait "$NFVD_PID" 2>/dev/null
}

# fabric_as GROUP POLICY-LINE: make sure nfvd runs with these settings.
FABRIC=
fabric_as() {
	[[ $FABRIC == "$1/$2" ]] && return
	[[ -n $FABRIC ]] && fabric_down
	fabric_up "$1" "$2"
	FABRIC="$1/$2"
	diag "nfvd --socket-group $1, policy \"$2\"; frames free at baseline: $BASE_FREE"
}

nf_pid() {	# nf_pid NAME: host pid of an attached NF, as nfvd sees it
	nfvctl -j nf show | jq -r ".[] | select(.name == \"$1\") | .pid"
}

# probe_checks WHO LINE: the nfv-xskprobe line from inside the sandbox.
probe_checks() {
	local who=$1 line=$2
	diag "$who: $line"
	check "$who: inside, the NF is uid 65534" \
		grep -q ' uid=65534 gid=65534 ' <<<"$line"
	check "$who: inside, CapEff and CapPrm are 0" \
		grep -Eq ' capeff=0{16} capprm=0{16} ' <<<"$line"
	check "$who: inside, socket(AF_XDP) fails with EPERM" \
		grep -q ' af_xdp=EPERM ' <<<"$line"
	check "$who: inside, the only interface is lo" \
		grep -q ' netdevs=lo$' <<<"$line"
}

# host_checks WHO PID HOST-UID: the NF process read from the host.
host_checks() {
	local who=$1 pid=$2 uid=$3 st
	st=$(cat "/proc/$pid/status" 2>/dev/null)
	check "$who: from the host, NF pid $pid has CapEff/CapPrm/CapBnd/CapAmb 0" \
		eval '[[ $(grep -cE "^Cap(Eff|Prm|Bnd|Amb):\s+0{16}$" <<<"$st") -eq 4 ]]'
	check "$who: from the host, the NF runs as uid $uid" \
		grep -qE "^Uid:\s+$uid\s+$uid\s+$uid\s+$uid$" <<<"$st"
	check "$who: the NF has a network namespace of its own" \
		eval '[[ $(readlink /proc/$pid/ns/net) != $(readlink /proc/$$/ns/net) &&
			 $(readlink /proc/$pid/ns/net) != $(readlink /proc/$NFVD_PID/ns/net) ]]'
}

softnet_drops() {	# packets the host's backlog queues dropped (all CPUs)
	local _p d _r s=0
	while read -r _p d _r; do
		s=$((s + 16#$d))
	done </proc/net/softnet_stat
	echo "$s"
}

traffic_checks() {
	local who=$1 out rc drops
	drops=$(softnet_drops)
	out=$(udp_through 200 1000)
	diag "$who: 200 x 1000 B UDP through the chain: $out"
	[ "$out" = "received 200 bad 0 dup 0 bytes 200000" ]
	rc=$?
	tap_ok $rc "$who: 200/200 UDP datagrams byte-exact through the sandboxed NF"
	[[ $rc -eq 0 ]] || {
		nfvctl nf show; nfvctl port show; nfvctl stats
		echo "host backlog drops during the run: $(( $(softnet_drops) - drops ))"
		in_dst nstat -asz | grep -E '^Udp(InDatagrams|InErrors|RcvbufErrors|InCsumErrors)'
		in_dst ip -s link show d0
	} 2>&1 | sed 's/^/#   /'
}

frames_back() {
	local who=$1
	check "$who: the NF detached" \
		busywait 5000 eval '[[ $(nfvctl -j nf show | jq length) -eq 0 ]]'
	check "$who: frames.free back at its baseline ($BASE_FREE)" \
		busywait 3000 eval '[[ $(frames_free) -eq $BASE_FREE ]]'
}

# doc_line PATTERN [NOT]: the first `podman run` line of docs/containers.md
# that matches PATTERN (and not NOT), with the socket directory, image and
# container name of this test put in.
doc_line() {
	local line orig name=$3
	line=$(grep -E -- "^podman run .*$1" "$DOC" | grep -v -- "${2:-^$}" | head -1)
	orig=$line
	line=${line/ -v \/run\/nfv:\/run\/nfv:ro / -v $SOCKDIR:/run/nfv:ro }
	line=${line/ localhost\/nfv / $IMAGE }
	line=${line/ --name nfv-fwd1 / --name $name }
	# Every substitution must have happened: the line kept its shape.
	[[ $line == *" -v $SOCKDIR:/run/nfv:ro "* && $line == *" $IMAGE "* &&
	   $line == *" --name $name "* ]] || {
		diag "docs/containers.md: no usable podman line for /$1/: $orig"
		return 1
	}
	echo "$line"
}

container_gone() { ! podman container exists "$1"; }

# ---------------------------------------------------------------------

image_holds_every_nf() {
	local t0 d n missing=""
	t0=$(date +%s%N)
	for d in "$TOP"/nfs/*/; do
		n=$(basename "$d")
		compgen -G "$d*.c" >/dev/null || continue
		if [[ -x $BIN/nfv-$n ]]; then
			NF_NAMES+=("$n")
		else
			diag "nfv-$n not built"
		fi
	done
	BUILD=$RUNDIR/build "$TOP/tools/image/build-image" --tag "$IMAGE" \
		"${NF_NAMES[@]/#/$BIN/nfv-}" "$BIN/nfv-xskprobe" \
		>"$RUNDIR/image.log" 2>&1
	tap_ok $? "build-image: rootfs, podman import as $IMAGE ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	defer podman rmi -f "$IMAGE"
	sed 's/^/# /' "$RUNDIR/image.log"
	for n in "${NF_NAMES[@]}" xskprobe; do
		tar -tf "$RUNDIR/build/image/nfv-rootfs.tar" | grep -qx "./bin/nfv-$n" ||
			missing+=" nfv-$n"
	done
	check "the image holds every NF (${NF_NAMES[*]}) and nfv-xskprobe${missing:+, not$missing}" \
		[ -z "$missing" ]
	check "podman has the image" podman image exists "$IMAGE"
	check "containers.conf generated for this host" test -s "$CONTAINERS_CONF"
}

bwrap_nfv_run() {
	local who=bwrap t0 pid line rc
	fabric_as nogroup "user nobody services 1"
	t0=$(date +%s%N)
	"$BIN/nfv-run" --sandbox bwrap --check forward --service 1 \
		--socket "$SOCK" --name bw1 >"$RUNDIR/bw1.log" 2>&1 &
	local run=$!
	defer "kill $run"
	wait_replicas 1 1
	tap_ok $? "$who: nfv-run --sandbox bwrap: NF attached ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	busywait 3000 grep -q '^nfv-xskprobe:' "$RUNDIR/bw1.log"
	line=$(grep -m1 '^nfv-xskprobe:' "$RUNDIR/bw1.log")
	probe_checks "$who" "$line"
	pid=$(nf_pid bw1)
	host_checks "$who" "$pid" 65534
	traffic_checks "$who"
	kill -TERM "$run"
	wait "$run"
	rc=$?
	check "$who: SIGTERM to nfv-run stops the NF cleanly (exit $rc)" [ "$rc" -eq 0 ]
	check "$who: no process left" eval '! kill -0 $pid 2>/dev/null'
	frames_back "$who"
}

podman_as_documented() {
	local who="podman (docs)" name=$CPREFIX-doc line t0 pid
	local -a cmd
	fabric_as nogroup "user nobody services 1"
	line=$(doc_line '--network none' '--uidmap' "$name")
	tap_ok $? "docs/containers.md has the one-line podman run"
	[[ -n $line ]] || return
	diag "CONTAINERS_CONF=$CONTAINERS_CONF $line"
	read -ra cmd <<<"$line"
	t0=$(date +%s%N)
	"${cmd[@]}" >"$RUNDIR/doc.log" 2>&1
	tap_ok $? "$who: podman run as documented"
	defer podman rm -f "$name"
	wait_replicas 1 1
	tap_ok $? "$who: NF attached ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	line=$(podman exec "$name" /bin/nfv-xskprobe 2>&1)
	probe_checks "$who, podman exec" "$line"
	pid=$(nf_pid fwd1)
	check "$who: nfvd's peer is the container's process" \
		[ "$pid" = "$(podman inspect --format '{{.State.Pid}}' "$name")" ]
	host_checks "$who" "$pid" 65534
	traffic_checks "$who"
	podman stop -t 5 "$name" >/dev/null 2>&1
	check "$who: podman stop stops the NF, --rm removes the container" \
		busywait 5000 container_gone "$name"
	frames_back "$who"
}

podman_nfv_run() {
	local who="podman (nfv-run)" name=$CPREFIX-run t0 pid line rc
	fabric_as nogroup "user nobody services 1"
	t0=$(date +%s%N)
	# nfv-run finds this host's settings itself: no CONTAINERS_CONF.
	env -u CONTAINERS_CONF "$BIN/nfv-run" --sandbox podman --image "$IMAGE" \
		--container "$name" --check forward --service 1 \
		--socket "$SOCK" --name pr1 >"$RUNDIR/pr1.log" 2>&1 &
	local run=$!
	defer "podman rm -f $name"
	wait_replicas 1 1
	tap_ok $? "$who: nfv-run --sandbox podman: NF attached ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	# podman relays the container's stderr a little later.
	busywait 3000 grep -q '^nfv-xskprobe:' "$RUNDIR/pr1.log"
	line=$(grep -m1 '^nfv-xskprobe:' "$RUNDIR/pr1.log")
	probe_checks "$who" "$line"
	pid=$(nf_pid pr1)
	host_checks "$who" "$pid" 65534
	traffic_checks "$who"
	kill -TERM "$run"
	wait "$run"
	rc=$?
	check "$who: SIGTERM to nfv-run stops the NF cleanly (exit $rc)" [ "$rc" -eq 0 ]
	check "$who: the container is removed" busywait 5000 container_gone "$name"
	frames_back "$who"
}

podman_uid_map() {
	local who="podman (uid map)" name=$CPREFIX-map line t0 pid
	local -a cmd
	# As docs/containers.md says for a uid map: the NF is host uid 165534.
	fabric_as 165534 "user 165534 services 1"
	line=$(doc_line '--uidmap' '' "$name")
	tap_ok $? "docs/containers.md has the podman run with a uid map"
	[[ -n $line ]] || return
	diag "CONTAINERS_CONF=$CONTAINERS_CONF $line"
	read -ra cmd <<<"$line"
	t0=$(date +%s%N)
	"${cmd[@]}" >"$RUNDIR/map.log" 2>&1
	tap_ok $? "$who: podman run as documented"
	defer podman rm -f "$name"
	wait_replicas 1 1
	tap_ok $? "$who: NF attached under the policy line \"user 165534 services 1\" ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	line=$(podman exec "$name" /bin/nfv-xskprobe 2>&1)
	probe_checks "$who, podman exec" "$line"
	pid=$(nf_pid fwd1)
	host_checks "$who" "$pid" 165534
	traffic_checks "$who"
	podman stop -t 5 "$name" >/dev/null 2>&1
	check "$who: podman stop stops the NF, --rm removes the container" \
		busywait 5000 container_gone "$name"
	frames_back "$who"
}

# ---------------------------------------------------------------------

echo "TAP version 13"
T0=$(date +%s%N)
setup_topology >/dev/null
chmod 755 "$RUNDIR"		# nobody (bwrap) must reach the socket directory

for t in "${tests[@]}"; do
	t1=$(date +%s%N)
	"$t"
	diag "$t: $(( ($(date +%s%N) - t1) / 1000000 )) ms"
done
check "no container of this test left" \
	eval '[[ -z $(podman ps -a -q --filter name=$CPREFIX) ]]'
diag "total: $(( ($(date +%s%N) - T0) / 1000000 )) ms"
echo "1..$_tap_n"
tap_exit
