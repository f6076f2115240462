#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-cni, the CNI plugin, driven as a runtime drives it (CNI 1.0.0:
# CNI_* variables, the configuration on stdin, a result or an error
# object on stdout), then by podman's CNI backend.
#
#   ns podA                 ns fabric (nfvd)                      ns podB
#   eth0 ---------- nfvAAAA ==[ chain 1: service 1 -> out nfvBBBB ]== nfvBBBB ------- eth0
#   198.19.40.x/24          ==[ chain 2: service 1 -> out nfvAAAA ]==          198.19.40.y/24
#                           service 1: nfv-forward
#
# The plugin runs in the test's own namespace and reaches the fabric's
# through "fabricNetns"; addresses come from host-local (Debian's
# containernetworking-plugins) with its leases in $RUNDIR/ipam.
#
# ADD: the veth pair, the port with its default chain, the address on
# eth0; ping and UDP between the pods cross the NF (its rx grows, every
# byte arrives).  CHECK: passes, and fails once the port is removed
# behind the plugin's back.  DEL: no veth, no port, no lease left; twice,
# and for a container never seen, it succeeds.  Errors: malformed JSON
# (6), missing variables (4), no nfvd (11), an unknown chain (101), an
# IPAM failure (its own code) and a port nfvd refuses (100), each leaving
# no veth and no lease.  A pod added after the others were deleted gets
# its port (fails today: nfvd's UMEM dies with its first port's netdev,
# docs/scale-out.md).  Then podman run --network with the plugin in a
# conflist, on a fabric of its own: the containers get their addresses,
# traffic crosses the chains, podman rm removes everything.
#
# NFV_CNI=PROGRAM runs PROGRAM instead of build/bin/nfv-cni (a valgrind
# wrapper, say).

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward nfv-cni; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -x $TRAFFIC ]] || { echo "1..0 # SKIP $TRAFFIC not built"; exit $ksft_skip; }
CNI_DIR=${NFV_CNI_PLUGINS:-/usr/lib/cni}
[[ -x $CNI_DIR/host-local ]] ||
	{ echo "1..0 # SKIP $CNI_DIR/host-local missing: containernetworking-plugins (tools/install-deps)"; exit $ksft_skip; }

tests=(
	version
	add_pods
	traffic_crosses_chain
	check_passes
	check_fails_without_port
	errors_leave_nothing
	del_leaves_nothing
	del_twice_and_unknown
	add_after_del
	podman_network
)
[[ $# -gt 0 ]] && tests=("$@")

CNI=${NFV_CNI:-$BIN/nfv-cni}	# NFV_CNI: e.g. a valgrind wrapper
NS_A=nfv-podA-$SUFFIX
NS_B=nfv-podB-$SUFFIX
NS_C=nfv-podC-$SUFFIX
IPAM_DIR=$RUNDIR/ipam
NET=nfvtest$SUFFIX
SUBNET=198.19.40
declare -A RESULT HOST ADDR

# conf [KEY JSON]...: the network configuration, with KEY set to JSON
conf() {
	local c
	c=$(jq -n --arg name "$NET" --arg sock "$SOCK" \
		--arg fab "/run/netns/$NS_FAB" --arg dir "$IPAM_DIR" --arg sub "$SUBNET.0/24" \
		'{cniVersion: "1.0.0", name: $name, type: "nfv-cni", chain: 1,
		  socket: $sock, fabricNetns: $fab, steerArp: true,
		  ipam: {type: "host-local", subnet: $sub, dataDir: $dir}}')
	while [[ $# -ge 2 ]]; do
		c=$(jq --argjson v "$2" ".$1 = \$v" <<<"$c")
		shift 2
	done
	echo "$c"
}

# cni COMMAND ID NETNS-NAME|"" CONF: run the plugin as a runtime does,
# with nothing of the test's environment; stdout is the plugin's.
cni() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$1" \
		CNI_CONTAINERID="$2" CNI_NETNS="${3:+/run/netns/$3}" \
		CNI_IFNAME=eth0 CNI_PATH="$BIN:$CNI_DIR" "$CNI" <<<"$4"
}

# error_is CODE OUTPUT STATUS: a failure whose error object has CODE
error_is() {
	[[ $3 -ne 0 ]] || { echo "exit status 0"; return 1; }
	jq -e --argjson c "$1" '.code == $c and (.msg | length > 0) and .cniVersion == "1.0.0"' \
		<<<"$2" >/dev/null || { echo "want code $1, got: $2"; return 1; }
}

veths() { ip -n "$NS_FAB" -o link show type veth | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^nfv' | sort | xargs; }
ports() { nfvctl -j port show | jq -r '[.[].name] | sort | join(" ")'; }
leases() { find "$IPAM_DIR" -type f -name "$SUBNET.*" -printf '%f\n' 2>/dev/null | sort | xargs; }
nf_rx() { nfvctl -j nf show | jq ".[] | select(.name == \"$1\") | .rx"; }
in_pod() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# nothing_left WHAT: the fabric holds only the ports and veths of the
# pods still attached (BASE_VETHS, BASE_PORTS), and no extra lease
nothing_left() {
	check "$1: no veth left" eval '[[ "$(veths)" == "$BASE_VETHS" ]]'
	check "$1: no port left" eval '[[ "$(ports)" == "$BASE_PORTS" ]]'
	check "$1: no lease left" eval '[[ "$(leases)" == "$BASE_LEASES" ]]'
}

baseline() {
	BASE_VETHS=$(veths)
	BASE_PORTS=$(ports)
	BASE_LEASES=$(leases)
}

# ---------------------------------------------------------------------

version() {
	local out
	out=$(cni VERSION "" "" '{"cniVersion": "1.0.0"}')
	check "VERSION: supportedVersions holds 1.0.0" \
		jq -e '.supportedVersions | index("1.0.0") != null' <<<"$out"
}

# add POD NS CHAIN: ADD, its result in RESULT[POD], checked as the spec
# shapes it
add() {
	local pod=$1 ns=$2 chain=$3 out rc
	out=$(cni ADD "pod$pod-$SUFFIX" "$ns" "$(conf chain "$chain")")
	rc=$?
	RESULT[$pod]=$out
	tap_ok $rc "ADD pod $pod (default chain $chain): exit 0"
	[[ $rc -eq 0 ]] || { diag "$out"; return 1; }
	HOST[$pod]=$(jq -r '.interfaces[0].name' <<<"$out")
	ADDR[$pod]=$(jq -r '.ips[0].address' <<<"$out")
	check "ADD pod $pod: result has the host end (no sandbox), eth0 in /run/netns/$ns, the IP on interface 1" \
		jq -e --arg ns "/run/netns/$ns" --arg sub "$SUBNET." '
		.cniVersion == "1.0.0" and (.interfaces | length) == 2 and
		(.interfaces[0].name | test("^nfv[0-9a-f]{11}$")) and
		(.interfaces[0] | has("sandbox") | not) and
		.interfaces[1].name == "eth0" and .interfaces[1].sandbox == $ns and
		(.interfaces[] | .mac | test("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")) and
		(.ips | length) == 1 and .ips[0].interface == 1 and
		(.ips[0].address | startswith($sub))' <<<"$out"
	check "ADD pod $pod: ${HOST[$pod]} is a fabric port with default chain $chain" \
		eval "nfvctl -j port show | jq -e '.[] | select(.name == \"${HOST[$pod]}\") | .default_chain == $chain'"
	check "ADD pod $pod: eth0 is up and holds ${ADDR[$pod]}" \
		eval "ip -n $ns -j addr show dev eth0 | jq -e '.[0].operstate != \"DOWN\" and
			any(.[0].addr_info[]; \"\(.local)/\(.prefixlen)\" == \"${ADDR[$pod]}\")'"
	check "ADD pod $pod: host-local holds the lease for ${ADDR[$pod]%/*}" \
		test -f "$IPAM_DIR/$NET/${ADDR[$pod]%/*}"
}

del_pods() {
	cni DEL "podA-$SUFFIX" "" "$(conf)"
	cni DEL "podB-$SUFFIX" "" "$(conf)"
}

add_pods() {
	ip netns add "$NS_A" && defer ip netns del "$NS_A"
	ip netns add "$NS_B" && defer ip netns del "$NS_B"
	# The chains exist before the pods (the plugin refuses an unknown
	# one); their out hops name the pods' ports once those exist.
	nfvctl chain add 1 drop >/dev/null && nfvctl chain add 2 drop >/dev/null ||
		{ tap_ok 1 "placeholder chains 1 and 2"; return 1; }
	add A "$NS_A" 1 && add B "$NS_B" 2 || return 1
	defer del_pods
	check "chain 1 = service 1 -> out ${HOST[B]}, chain 2 = service 1 -> out ${HOST[A]}" \
		eval "nfvctl chain replace 1 service 1 out ${HOST[B]} &&
		      nfvctl chain replace 2 service 1 out ${HOST[A]}"
}

traffic_crosses_chain() {
	local rx0 out
	start_nf fwd 1
	check "nfv-forward attached as service 1" wait_replicas 1 1
	rx0=$(nf_rx fwd)
	check "ping pod A -> pod B (ARP and ICMP through chains 1 and 2)" \
		ping_all "in_pod $NS_A" -c 5 -i 0.2 -W 2 "${ADDR[B]%/*}"
	# 5 requests, 5 replies, 2 ARP frames at least; counters come late
	check "the NF saw the pings (rx >= $rx0 + 12)" \
		busywait 2000 eval '[[ $(nf_rx fwd) -ge $((rx0 + 12)) ]]'
	rx0=$(nf_rx fwd)
	in_pod "$NS_B" "$TRAFFIC" udp-recv 9000 100 3000 >"$RUNDIR/udp.out" &
	local rpid=$!
	busywait 5000 grep -qs ready "$RUNDIR/udp.out"
	in_pod "$NS_A" "$TRAFFIC" udp-send "${ADDR[B]%/*}" 9000 100 400
	wait $rpid
	out=$(tail -1 "$RUNDIR/udp.out")
	check "UDP pod A -> pod B: 100 datagrams of 400 bytes arrive intact ($out)" \
		eval '[[ "$out" == "received 100 bad 0 dup 0 bytes 40000" ]]'
	check "the NF forwarded them (rx >= $rx0 + 100)" \
		busywait 2000 eval '[[ $(nf_rx fwd) -ge $((rx0 + 100)) ]]'
}

check_passes() {
	local out rc
	out=$(cni CHECK "podA-$SUFFIX" "$NS_A" "$(conf prevResult "${RESULT[A]}")")
	rc=$?
	check "CHECK pod A after ADD: exit 0, no output" eval '[[ $rc -eq 0 && -z "$out" ]]'
}

check_fails_without_port() {
	local out rc
	nfvctl port del "${HOST[A]}" >/dev/null
	out=$(cni CHECK "podA-$SUFFIX" "$NS_A" "$(conf prevResult "${RESULT[A]}")")
	rc=$?
	check "CHECK pod A after its port was removed: error 102 naming the port" \
		eval 'error_is 102 "$out" $rc && jq -e ".msg | contains(\"${HOST[A]}\")" <<<"$out"'
	ip netns exec "$NS_A" ip addr flush dev eth0
	nfvctl port add "${HOST[A]}" default-chain 1 steer-arp >/dev/null
	out=$(cni CHECK "podA-$SUFFIX" "$NS_A" "$(conf prevResult "${RESULT[A]}")")
	rc=$?
	check "CHECK pod A with its port back but eth0 without its address: error 102" \
		error_is 102 "$out" $rc
}

del_leaves_nothing() {
	local out pod rc
	for pod in A B; do
		out=$(cni DEL "pod$pod-$SUFFIX" "" "$(conf)")
		rc=$?
		check "DEL pod $pod (no CNI_NETNS): exit 0, no output" \
			eval '[[ $rc -eq 0 && -z "$out" ]]'
	done
	# shellcheck disable=SC2034 # nothing_left reads them
	BASE_VETHS="" BASE_PORTS="" BASE_LEASES=""
	nothing_left "DEL both pods"
	check "DEL both pods: the pods have no eth0 left" \
		eval '! ip -n $NS_A link show eth0 && ! ip -n $NS_B link show eth0'
}

del_twice_and_unknown() {
	local out rc
	out=$(cni DEL "podA-$SUFFIX" "$NS_A" "$(conf)")
	rc=$?
	check "DEL pod A again: exit 0" eval '[[ $rc -eq 0 && -z "$out" ]]'
	out=$(cni DEL "never-seen-$SUFFIX" "" "$(conf)")
	rc=$?
	check "DEL of a container never added: exit 0" eval '[[ $rc -eq 0 && -z "$out" ]]'
}

# fails NAME CODE ENV...: ADD for pod C ($CONF on stdin) fails with CODE
# and leaves nothing: the veths, ports and leases of before, no eth0 in C
fails() {
	local name=$1 code=$2 out rc
	shift 2
	baseline
	out=$(env "$@" "$CNI" <<<"$CONF")
	rc=$?
	check "$name: error $code" error_is "$code" "$out" $rc
	diag "$(jq -c . <<<"$out" 2>/dev/null || echo "$out")"
	nothing_left "$name"
	check "$name: no eth0 in the pod" eval '! ip -n $NS_C link show eth0 2>/dev/null'
}

# fill_ports: filler veth ports until nfvd's port table is full
fill_ports() {
	local i
	for ((i = 0; i < 16; i++)); do
		ip -n "$NS_FAB" link add "fill$i" type veth peer name "fillp$i" ||
			return 1
		ip -n "$NS_FAB" link set "fill$i" up
		ip -n "$NS_FAB" link set "fillp$i" up
		nfvctl port add "fill$i" >"$RUNDIR/fill.out" 2>&1 || break
	done
	diag "$i filler ports, then: $(cat "$RUNDIR/fill.out")"
	grep -q "too many ports" "$RUNDIR/fill.out"
}

unfill_ports() {
	local i
	for ((i = 0; i < 16; i++)); do
		nfvctl port del "fill$i" >/dev/null 2>&1
		ip -n "$NS_FAB" link del "fill$i" 2>/dev/null
	done
}

errors_leave_nothing() {
	local env=(-i PATH=/usr/sbin:/usr/bin:/sbin:/bin "CNI_CONTAINERID=podC-$SUFFIX"
		   "CNI_NETNS=/run/netns/$NS_C" CNI_IFNAME=eth0 "CNI_PATH=$BIN:$CNI_DIR")
	ip netns add "$NS_C" && defer ip netns del "$NS_C"
	CONF='{"cniVersion": "1.0.0", "name": '
	fails "malformed JSON" 6 "${env[@]}" CNI_COMMAND=ADD
	CONF=$(conf cniVersion '"0.4.0"')
	fails "cniVersion 0.4.0" 1 "${env[@]}" CNI_COMMAND=ADD
	CONF=$(conf chain '"one"')
	fails "chain not a number" 7 "${env[@]}" CNI_COMMAND=ADD
	CONF=$(conf)
	fails "no CNI_COMMAND" 4 "${env[@]}"
	fails "no CNI_NETNS" 4 "${env[@]/CNI_NETNS=*/CNI_NETNS=}" CNI_COMMAND=ADD
	CONF=$(conf chain 4000)
	fails "unknown chain 4000" 101 "${env[@]}" CNI_COMMAND=ADD
	CONF=$(conf socket "\"$RUNDIR/no-nfvd.sock\"")
	fails "no nfvd at the socket" 11 "${env[@]}" CNI_COMMAND=ADD
	# Failures after the veth (IPAM) and after veth and lease (port add)
	CONF=$(conf ipam.subnet '"not-a-subnet"')
	fails "IPAM refuses (after the veth was made): its own code" 999 \
		"${env[@]}" CNI_COMMAND=ADD
	check "nfvd's port table filled up with veth ports" fill_ports
	CONF=$(conf)
	fails "nfvd refuses the port (table full, after veth and lease)" 100 \
		"${env[@]}" CNI_COMMAND=ADD
	unfill_ports
}

# A node's life: pods come and go.  Once every pod above is gone, a new
# one gets its port (nfvd's UMEM is registered by the first port's
# socket: it must outlive that port's netdev).
add_after_del() {
	local out rc
	out=$(cni ADD "podC-$SUFFIX" "$NS_C" "$(conf)")
	rc=$?
	check "ADD pod C after pods A and B were deleted: exit 0" \
		eval '[[ $rc -eq 0 ]] || { echo "$out"; false; }'
	check "ADD pod C: its port is there" \
		eval '[[ -n $(nfvctl -j port show | jq ".[] | select(.default_chain == 1)") ]]'
	out=$(cni DEL "podC-$SUFFIX" "$NS_C" "$(conf)")
	check "DEL pod C: nothing left" \
		eval '[[ -z "$(veths)" && -z "$(ports)" && -z "$(leases)" ]]'
}

# ---- podman's CNI backend ---------------------------------------------

PM_CONF=$RUNDIR/podman/containers.conf
PM_NETS=$RUNDIR/podman/net
PM_ROOTFS=$RUNDIR/podman/rootfs
CPREFIX=nfv-cni-$SUFFIX

# The settings this host needs (tools/image/build-image writes the same
# first part), and the CNI backend reading $PM_NETS with nfv-cni in
# build/bin; a root filesystem of busybox alone.
podman_setup() {
	local hn hu
	mkdir -p "$PM_NETS" "$PM_ROOTFS"/{bin,etc,proc,sys,dev,tmp,run,var/tmp}
	hn=$(ulimit -Hn); hu=$(ulimit -Hu)
	[[ $hn == unlimited ]] && hn=1048576
	[[ $hu == unlimited || $hu -gt 32768 ]] && hu=32768
	{
		echo "[containers]"
		echo "default_ulimits = [\"nofile=$hn:$hn\", \"nproc=$hu:$hu\"]"
		echo "[engine]"
		[[ $(stat -fc %T /sys/fs/cgroup) != cgroup2fs ]] && echo 'runtime = "runc"'
		echo "[network]"
		echo 'network_backend = "cni"'
		echo "cni_plugin_dirs = [\"$BIN\", \"$CNI_DIR\"]"
		echo "network_config_dir = \"$PM_NETS\""
	} >"$PM_CONF"
	cp "$(command -v busybox)" "$PM_ROOTFS/bin/" &&
		ln -s busybox "$PM_ROOTFS/bin/sleep"
}

# conflist NAME CHAIN FIRST: one network per chain, addresses .FIRST to
# .FIRST+9 of one /24 (host-local keeps a lease directory per network)
conflist() {
	jq -n --arg name "$1" --argjson chain "$2" --arg sock "$SOCK" \
		--arg fab "/run/netns/$NS_FAB" --arg dir "$IPAM_DIR" \
		--arg sub "198.19.41.0/24" --arg lo "198.19.41.$3" --arg hi "198.19.41.$(($3 + 9))" \
		'{cniVersion: "1.0.0", name: $name, plugins: [{type: "nfv-cni",
		  chain: $chain, socket: $sock, fabricNetns: $fab, steerArp: true,
		  ipam: {type: "host-local", subnet: $sub, rangeStart: $lo,
			 rangeEnd: $hi, dataDir: $dir}}]}' >"$PM_NETS/$1.conflist"
}

pm() { CONTAINERS_CONF=$PM_CONF podman "$@"; }

# A fabric of its own: nfvd afresh, an NF for service 1 (the NF of the
# tests before goes: it would attach to the new nfvd as a second replica).
podman_fabric() {
	if [[ -n ${NF_PID[fwd]:-} ]]; then
		kill "${NF_PID[fwd]}" && wait "${NF_PID[fwd]}"
	fi
	kill "$NFVD_PID" && wait "$NFVD_PID"
	start_nfvd --reset || return 1
	nfvctl chain add 1 drop >/dev/null && nfvctl chain add 2 drop >/dev/null &&
		start_nf fwd2 1 && wait_replicas 1 1
}

# pm_run NAME NETWORK: a container on NETWORK; its netns name in NETNS[NAME]
declare -A NETNS PM_IP
pm_run() {
	local key
	pm run -d --name "$CPREFIX-$1" --network "$2" --rootfs "$PM_ROOTFS" \
		/bin/sleep 600 >"$RUNDIR/podman.out" 2>&1 || { cat "$RUNDIR/podman.out"; return 1; }
	defer "CONTAINERS_CONF=$PM_CONF podman rm -f -t 0 $CPREFIX-$1"
	key=$(pm inspect "$CPREFIX-$1" --format '{{.NetworkSettings.SandboxKey}}')
	NETNS[$1]=${key##*/}
	PM_IP[$1]=$(pm inspect "$CPREFIX-$1" --format "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}")
}

port_of_chain() { nfvctl -j port show | jq -r ".[] | select(.default_chain == $1) | .name"; }

podman_network() {
	local rx0 ha hb
	if ! command -v podman >/dev/null || ! command -v busybox >/dev/null; then
		tap_skip "podman --network with nfv-cni" "podman or busybox not installed (tools/install-deps)"
		return
	fi
	check "podman: a fabric of its own (nfvd afresh, placeholder chains 1 and 2, nfv-forward)" \
		podman_fabric || return
	podman_setup
	conflist "$NET-1" 1 10
	conflist "$NET-2" 2 20
	check "podman network ls lists the conflists ($NET-1, $NET-2)" \
		eval 'pm network ls --format "{{.Name}}" | grep -qx "$NET-1" &&
		      pm network ls --format "{{.Name}}" | grep -qx "$NET-2"'
	check "podman run --network $NET-1 (container a)" pm_run a "$NET-1" || return
	check "podman run --network $NET-2 (container b)" pm_run b "$NET-2" || return
	diag "a: ${NETNS[a]} ${PM_IP[a]}, b: ${NETNS[b]} ${PM_IP[b]}"
	ha=$(port_of_chain 1); hb=$(port_of_chain 2)
	check "podman: each container's host end is a port (chain 1: $ha, chain 2: $hb)" \
		eval '[[ $ha == nfv* && $hb == nfv* ]]'
	check "podman: the containers got addresses from their networks' ranges" \
		eval '[[ ${PM_IP[a]} == 198.19.41.1? && ${PM_IP[b]} == 198.19.41.2? ]]'
	nfvctl chain replace 1 service 1 out "$hb" >/dev/null &&
		nfvctl chain replace 2 service 1 out "$ha" >/dev/null
	rx0=$(nf_rx fwd2)
	check "podman: ping container a -> container b through the chains" \
		ping_all "in_pod ${NETNS[a]}" -c 3 -i 0.2 -W 2 "${PM_IP[b]}"
	check "podman: the NF saw the pings (rx >= $rx0 + 8)" \
		busywait 2000 eval '[[ $(nf_rx fwd2) -ge $((rx0 + 8)) ]]'
	pm rm -f -t 0 "$CPREFIX-a" "$CPREFIX-b" >/dev/null 2>&1
	check "podman rm: no veth, no port, no lease left" \
		eval '[[ -z "$(veths)" && -z "$(ports)" && -z "$(find "$IPAM_DIR" -name "198.19.41.*")" ]]'
}

# ---------------------------------------------------------------------

echo "TAP version 13"
T0=$(date +%s%N)
ip netns add "$NS_FAB" && defer ip netns del "$NS_FAB"
ip -n "$NS_FAB" link set lo up
start_nfvd || { echo "1..0 # SKIP nfvd did not start"; exit 1; }
mkdir -p "$IPAM_DIR"

for t in "${tests[@]}"; do
	t1=$(date +%s%N)
	"$t"
	diag "$t: $(( ($(date +%s%N) - t1) / 1000000 )) ms"
done
diag "total: $(( ($(date +%s%N) - T0) / 1000000 )) ms"
echo "1..$_tap_n"
tap_exit
