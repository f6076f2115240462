#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests of the fabric with the module-less backend (nfvd):
# real NF processes, real veth ports, stock peers (offloads on).
# NFV_BACKEND=kernel: the same with nfv.ko writing the tables (in the VM:
# selftests/vm.sh runs a subset so); see lib.sh.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ chain of NFs over AF_XDP ]== f1 --- d0 198.18.0.2
#
# Every test asserts bytes delivered, counters or frames returned.

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward nfv-bridge nfv-monitor; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done
[[ -f $NFV_BPF_OBJ ]] || { echo "1..0 # SKIP $NFV_BPF_OBJ not built"; exit $ksft_skip; }
PKTGEN=$BIN/nfv-pktgen

tests=(
	one_nf_chain
	three_nf_chain
	chain_attached_backwards
	tcp_through_chain
	iperf3_both_ways
	ipv6_through_chain
	flow_overrides_default
	flow_idle_timeout
	unconfigured_passes
	replicas_symmetric
	replica_killed_under_traffic
	batch_runs_split_by_chain_and_replica
	batch_runs_split_by_hop
	batch_runs_span_lanes
	reaping_stalls_nothing
	nf_override_actions
	malformed_frames
	tap_hop
	readonly_enforced
	readonly_transmits_through_nfvd
	readonly_then_writable
	tx_sockets_follow_chains
	bad_nfvctl_changes_nothing
	nf_facing_a_stopped_nfvd
	port_churn_returns_frames
	# Last of nfvd's: overloaded, an rx ring of f0's pool overflows,
	# and from then on nfvd frees a dead NF's untaken rx frames only
	# once the kernel takes a later fill entry (docs/design.md §3):
	# tests that kill NFs and count frames with no traffic after would
	# wait for traffic that does not come.
	stalled_consumer_holds_up_nothing
	overload_drops_at_the_entry
	overload_both_ways
	loaded_nfs_run_batch
	kernel_lifecycle
	kernel_nfvd_restart
)

[[ $# -gt 0 ]] && tests=("$@")

# Baseline of free frames with no traffic and no NF.
BASE_FREE=

setup_fabric() {
	setup_topology
	start_nfvd || { diag "nfvd did not start"; cat "$RUNDIR/nfvd.log"; exit 1; }
	nfvctl port add f1 >/dev/null || exit 1
	nfvctl port add f0 >/dev/null || exit 1
	BASE_FREE=$(frames_free)
	diag "frames free at baseline: $BASE_FREE"
	[[ ${NFV_BACKEND:-} == kernel ]] && kernel_backend_in_use
}

# nfv.ko has nfvd's maps and nfvd knows it: what nfvctl -b kernel
# configures is what the classifier reads, and nfvd writes no table.
kernel_backend_in_use() {
	check "kernel backend: nfvd gave its maps to nfv.ko" \
		grep -q "nfv.ko writes the tables" "$RUNDIR/nfvd.log"
	check "kernel backend: the module and nfvd both say backend kernel" \
		eval '[[ $(nfvctl -b kernel -j stats | jq -r .backend) == kernel &&
			 $(nfvctl -b daemon -j stats | jq -r .backend) == kernel ]]'
	check "kernel backend: nfvctl -b kernel stats has nfvd's frame figures" \
		eval '[[ $(nfvctl -b kernel -j stats | jq -c .frames) == \
			 "$(nfvctl -b daemon -j stats | jq -c .frames)" &&
			 $(nfvctl -b kernel -j stats | jq .frames.total) -gt 0 ]]'
	check "kernel backend: nfvd's socket relays the module's tables" \
		eval '[[ $(nfvctl -b daemon -j port show | jq -c "map(del(.stats))") == \
			 "$(nfvctl -b kernel -j port show | jq -c "map(del(.stats))")" ]]'
}

# Remove chains, flows and NFs between tests.
reset_fabric() {
	local id pid
	for pid in "${NF_PID[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${NF_PID[@]}"; do
		wait "$pid" 2>/dev/null
	done
	NF_PID=()
	nfvctl -j flow show | jq -c '.[]' | while read -r f; do
		nfvctl flow del $(flow_match_args "$f") >/dev/null
	done
	for id in $(nfvctl -j chain show | jq '.[].id'); do
		nfvctl chain del "$id" >/dev/null
	done
	# Ports back to no default chain.
	nfvctl port del f0 >/dev/null; nfvctl port add f0 >/dev/null
	nfvctl port del f1 >/dev/null; nfvctl port add f1 >/dev/null
	busywait 3000 eval '[[ $(nfvctl -j nf show | jq length) -eq 0 ]]'
}

flow_match_args() {
	jq -r '[ (if .in then "in \(.in)" else empty end),
		 (if .proto then "proto \(.proto)" else empty end),
		 (if .src then "src \(.src)" else empty end),
		 (if .dst then "dst \(.dst)" else empty end),
		 (if .sport then "sport \(.sport)" else empty end),
		 (if .dport then "dport \(.dport)" else empty end) ] | join(" ")' <<<"$1"
}

# A bidirectional chain: f0 -> SIDS... -> f1 and f1 -> SIDS... -> f0.
make_chains() {
	local hops_fwd="" hops_rev="" s
	for s in "$@"; do
		hops_fwd+=" service $s"
	done
	for ((i = $#; i >= 1; i--)); do
		hops_rev+=" service ${!i}"
	done
	nfvctl chain add 1 $hops_fwd out f1 >/dev/null &&
	nfvctl chain add 2 $hops_rev out f0 >/dev/null &&
	nfvctl port del f0 >/dev/null && nfvctl port add f0 default-chain 1 >/dev/null &&
	nfvctl port del f1 >/dev/null && nfvctl port add f1 default-chain 2 >/dev/null
}

nf_rx() {	# nf_rx NAME
	nfvctl -j nf show | jq ".[] | select(.name == \"$1\") | .rx"
}

frames_back_to_baseline() {
	busywait 3000 eval '[[ $(frames_free) -eq $BASE_FREE ]]' || {
		diag "frames free $(frames_free), baseline $BASE_FREE; where: $(nfvctl -j stats | jq -c .frames)"
		return 1
	}
}

# ---------------------------------------------------------------------

one_nf_chain() {
	start_nf fwd1 1
	wait_replicas 1 1
	make_chains 1
	local out
	out=$(udp_through 200 1000)
	diag "1-NF chain, 200 x 1000 B UDP: $out"
	check "1-NF chain: 200/200 UDP datagrams intact" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 200000" ]
	check "1-NF chain: ping both ways" \
		ping_all in_src -c 3 -i 0.2 -W 1 -q 198.18.0.2
	check "1-NF chain: the NF saw every datagram" \
		eval '[[ $(nf_rx fwd1) -ge 200 ]]'
	reset_fabric
	check "1-NF chain: frames.free back to baseline" frames_back_to_baseline
}

three_nf_chain() {
	start_nf a 1; start_nf b 2; start_nf c 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2 3
	local out
	out=$(udp_through 300 1400)
	diag "3-NF chain, 300 x 1400 B UDP: $out"
	check "3-NF chain: 300/300 UDP datagrams intact" \
		[ "$out" = "received 300 bad 0 dup 0 bytes 420000" ]
	check "3-NF chain: every NF saw every datagram" \
		eval '[[ $(nf_rx a) -ge 300 && $(nf_rx b) -ge 300 && $(nf_rx c) -ge 300 ]]'
	# Each NF wakes the next as soon as it runs short of frames (tx.c):
	# a frame alone crosses the chain at once, both ways.
	local rtt
	rtt=$(in_src ping -c 5 -i 0.2 -W 1 198.18.0.2 | sed -n 's|.* = [0-9.]*/[0-9.]*/\([0-9.]*\)/.*|\1|p')
	diag "3-NF chain: ping through it both ways, slowest of 5: ${rtt:-none} ms"
	check "3-NF chain: a lone frame crosses at once (slowest ping ${rtt:-none} ms <= $((50 * TIME_SCALE)))" \
		eval '[[ -n $rtt ]] && awk -v r="$rtt" -v l=$((50 * TIME_SCALE)) "BEGIN { exit !(r <= l) }"'
	reset_fabric
	check "3-NF chain: frames.free back to baseline" frames_back_to_baseline
}

# The NFs of a chain attached last to first: nfvd reads their custody
# logs in that order, so a consumer's TAKE is read before the entries of
# the NFs upstream that make it true, and may be several moves ahead of
# them (the soak's restarts shuffle the order so, and honest entries were
# refused: frames leaked).  Every entry must wait for its producers.
chain_attached_backwards() {
	start_nf c 3; wait_replicas 3 1
	start_nf b 2; wait_replicas 2 1
	start_nf a 1; wait_replicas 1 1
	make_chains 1 2 3
	local out n=20000 refused
	out=$(udp_through $n 64)
	refused=$(nfvctl -j nf show | jq 'map(.refused) | add')
	diag "3 NFs attached backwards, $n x 64 B UDP: $out; entries refused: $refused"
	check "backwards chain: no custody entry of an honest NF refused ($refused)" \
		[ "${refused:-1}" -eq 0 ]
	check "backwards chain: >= 90% of the datagrams arrive intact, none twice" \
		eval '[[ $(awk "/received/ {print \$2}" <<<"$out") -ge $((n * 9 / 10)) &&
			 $(awk "/received/ {print \$4 + \$6}" <<<"$out") -eq 0 ]]'
	reset_fabric
	check "backwards chain: frames.free back to baseline" frames_back_to_baseline
}

# 4 MB of TCP src -> dst through the fabric; the receiver's last line in
# TCP_OUT ("received N bad M").
tcp_4mb() {
	in_dst "$TRAFFIC" tcp-recv 9001 20000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 20 "$TRAFFIC" tcp-send 198.18.0.2 9001 4000000 >/dev/null
	wait $rpid
	TCP_OUT=$(tail -1 "$RUNDIR/tcp.out")
}

tcp_through_chain() {
	start_nf a 1; start_nf b 2; start_nf c 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2 3
	tcp_4mb
	diag "TCP 4 MB through 3 NFs: $TCP_OUT"
	check "3-NF chain: 4 MB of TCP from a stock peer arrive intact" \
		[ "$TCP_OUT" = "received 4000000 bad 0" ]
	reset_fabric
}

# The same namespaces joined by the kernel alone: s1 -- k0 =[ bridge kbr
# in ns fabric ]= k1 -- d1, 198.18.1.1 -> 198.18.1.2, veths as stock as
# s0 and d0.  What TCP moves there in the same run is the yardstick.
kernel_path() {
	ip -n "$NS_SRC" link add s1 type veth peer name k0 netns "$NS_FAB" &&
	ip -n "$NS_DST" link add d1 type veth peer name k1 netns "$NS_FAB" &&
	ip -n "$NS_FAB" link add kbr type bridge &&
	ip -n "$NS_FAB" link set k0 master kbr &&
	ip -n "$NS_FAB" link set k1 master kbr &&
	ip -n "$NS_SRC" addr add 198.18.1.1/24 dev s1 &&
	ip -n "$NS_DST" addr add 198.18.1.2/24 dev d1 &&
	ip -n "$NS_FAB" link set kbr up && ip -n "$NS_FAB" link set k0 up &&
	ip -n "$NS_FAB" link set k1 up && ip -n "$NS_SRC" link set s1 up &&
	ip -n "$NS_DST" link set d1 up &&
	busywait 5000 in_src ping -c 1 -W 1 -q 198.18.1.2 >/dev/null
}

kernel_path_del() {
	ip -n "$NS_SRC" link del s1
	ip -n "$NS_DST" link del d1
	ip -n "$NS_FAB" link del kbr
}

iperf3_both_ways() {
	command -v iperf3 >/dev/null || { tap_skip "iperf3 through 3 NFs" "iperf3 missing"; return; }
	start_nf a 1; start_nf b 2; start_nf c 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2 3
	kernel_path || diag "the kernel path did not come up"
	local dir bytes kbytes
	for dir in forward reverse; do
		# Kernel, then fabric: close in time, the same load on both.
		iperf_bytes 198.18.1.2 "$dir"; kbytes=$IPERF_BYTES
		iperf_bytes 198.18.0.2 "$dir"; bytes=$IPERF_BYTES
		check "iperf3 $dir through 3 NFs from stock peers: >= ${IPERF_PCT}% of the kernel path's $kbytes bytes ($bytes)" \
			eval '[[ $kbytes -gt 0 && $((bytes * 100)) -ge $((kbytes * IPERF_PCT)) ]]'
	done
	kernel_path_del
	reset_fabric
}
# The kernel path moves 64 KB GSO segments from veth to veth; the fabric
# moves every 1.5 KB frame through XDP, AF_XDP and 3 NFs: here 2.6 of
# 12.7 Gbit/s (21 %; docs/performance.md: 19 %).  Half of that ratio:
# 10 MB where 400 MB is due (what "> 10 MB" let pass) is 0.3 %.
# Under TCG (vm.sh: 5) the fabric's processes are emulated where the
# kernel path's copies are not: 14-18 % of it on a quiet host, 10-14 %
# beside a build (129 of 1323 MB failed 10 %); half of that ratio too.
IPERF_PCT=${NFV_IPERF_PCT:-10}

ipv6_through_chain() {
	start_nf fwd1 1
	wait_replicas 1 1
	make_chains 1
	local out
	out=$(DST_ADDR=fd00:198:18::2 udp_through 100 1200)
	diag "IPv6 UDP through 1 NF: $out"
	check "IPv6: 100/100 UDP datagrams intact" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 120000" ]
	reset_fabric
}

flow_overrides_default() {
	start_nf fwd1 1; start_nf mon 5
	wait_replicas 1 1 && wait_replicas 5 1
	make_chains 1
	nfvctl chain add 5 service 5 out f1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 dport 9100 chain 5 >/dev/null
	local before_fwd before_mon out
	before_fwd=$(nf_rx fwd1); before_mon=$(nf_rx mon)
	out=$(udp_through 50 500 9100)
	check "flow rule: 50/50 datagrams of the matched flow delivered" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 25000" ]
	# fwd1 also sees the peers' own IPv6 chatter (ND, MLD) by default.
	diag "flow rule: mon +$(( $(nf_rx mon) - before_mon )), fwd1 +$(( $(nf_rx fwd1) - before_fwd ))"
	check "flow rule: matched flow went through chain 5, not the default" \
		eval '[[ $(( $(nf_rx mon) - before_mon )) -eq 50 && $(( $(nf_rx fwd1) - before_fwd )) -lt 10 ]]'
	out=$(udp_through 50 500 9200)
	check "flow rule: other traffic still takes the default chain" \
		eval '[[ "$out" == "received 50 bad 0 dup 0 bytes 25000" && $(nf_rx fwd1) -ge $((before_fwd + 50)) ]]'
	reset_fabric
}

# Rules with an idle timeout: kept while frames match them, removed a
# timeout or two after the last one (flow_idle.c), the others untouched.
has_rule() {	# has_rule SPORT
	nfvctl -j flow show | jq -e --argjson p "$1" 'any(.[]; .sport == $p)' >/dev/null
}

# nfvctl sends a rule with a timeout to nfvd, whatever the backend: nfvd
# sweeps them (on nfv.ko it writes them through the module).
flow_idle_timeout() {
	# A second, five under TCG (its frames and checks are that slow).
	local idle=$((1000 * TIME_SCALE)) before t0 ms n rpid

	start_nf fwd1 1; start_nf mon 5
	wait_replicas 1 1 && wait_replicas 5 1
	make_chains 1
	nfvctl chain add 5 service 5 out f1 >/dev/null
	nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 40000 \
		dport 9300 chain 5 idle-timeout $idle >/dev/null
	nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 40001 \
		dport 9300 chain 5 idle-timeout $idle >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9301 chain 5 >/dev/null
	check "idle: flow show gives the timeout" \
		eval "nfvctl -j flow show | jq -e 'any(.[]; .sport == 40000 and .idle_timeout_ms == $idle)' >/dev/null"
	# The flow sends for 4 timeouts, one sender at 20 datagrams a
	# second: 50 ms between two, whatever the load (ten rounds of
	# receiver start-up and send were once over a second apart).
	n=$((80 * TIME_SCALE))
	before=$(nf_rx mon)
	in_dst "$TRAFFIC" udp-recv 9300 $n $((6000 * TIME_SCALE)) >"$RUNDIR/udp.out" &
	rpid=$!
	busywait $((5000 * TIME_SCALE)) grep -qs ready "$RUNDIR/udp.out"
	in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9300 $n 100 20 40000 >/dev/null
	wait $rpid
	diag "idle: mon +$(( $(nf_rx mon) - before )) after $n datagrams over $((n / 20)) s ($(tail -1 "$RUNDIR/udp.out"))"
	check "idle: the flow's frames took its rule (chain 5)" \
		eval '[[ $(( $(nf_rx mon) - before )) -ge $((n * 9 / 10)) ]]'
	check "idle: a rule whose flow kept sending is still there" has_rule 40000
	check "idle: a rule nothing matched is gone after its timeout" \
		busywait $((2000 * TIME_SCALE)) eval '! has_rule 40001'
	t0=$(date +%s%N)
	busywait $((4000 * TIME_SCALE)) eval '! has_rule 40000'
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	check "idle: once its flow stopped, gone within 1-2 timeouts ($ms ms)" \
		eval '! has_rule 40000 && [[ $ms -le $((2500 * TIME_SCALE)) ]]'
	check "idle: a rule without a timeout stays" \
		eval "nfvctl -j flow show | jq -e 'any(.[]; .dport == 9301)' >/dev/null"
	check "idle: nfvctl save keeps a rule's timeout" \
		eval "nfvctl flow add proto udp src 198.18.0.1 dst 198.18.0.2 sport 40002 dport 9300 chain 5 idle-timeout 60000 >/dev/null &&
		      nfvctl save | grep -q 'sport 40002 .*chain 5 idle-timeout 60000'"
	reset_fabric
}

unconfigured_passes() {
	# No default chain: only a flow rule steers; the rest is the kernel's.
	start_nf fwd1 1
	wait_replicas 1 1
	nfvctl chain add 1 service 1 out f1 >/dev/null
	nfvctl flow add in f0 dst 198.18.0.2/32 chain 1 >/dev/null
	ip -n "$NS_FAB" addr add 198.18.0.254/24 dev f0
	local pass_before
	pass_before=$(port_counter f0 pass)
	check "unconfigured: ARP and ping to the fabric host's own address work" \
		ping_all in_src -c 2 -i 0.2 -W 1 -q 198.18.0.254
	diag "pass counter on f0: $pass_before -> $(port_counter f0 pass)"
	check "unconfigured: passed frames counted (ARP + 2 echo requests)" \
		eval '[[ $(port_counter f0 pass) -ge $((pass_before + 3)) ]]'
	local out
	out=$(udp_through 20 300)
	check "unconfigured: steered traffic still crosses the chain" \
		[ "$out" = "received 20 bad 0 dup 0 bytes 6000" ]
	ip -n "$NS_FAB" addr del 198.18.0.254/24 dev f0
	in_src ip neigh flush dev s0 nud reachable 2>/dev/null
	reset_fabric
}

replicas_symmetric() {
	NF_BIN=monitor start_nf r1 1 --json
	NF_BIN=monitor start_nf r2 1 --json
	wait_replicas 1 2
	make_chains 1
	# The echo server outlives the pings (killed after them), even in a
	# slow VM; the pings run in one netns exec, not 64.  Not through
	# in_dst: $! must be the server itself, for the kill below.
	ip netns exec "$NS_DST" "$TRAFFIC" udp-echo 9300 60000 >"$RUNDIR/echo.out" &
	local epid=$! ok
	busywait 2000 grep -qs ready "$RUNDIR/echo.out"
	ok=$(in_src bash -c 'ok=0
		for sp in $(seq 20001 20064); do
			"$0" udp-ping 198.18.0.2 9300 2 64 500 "$sp" |
				grep -q "replies 2 bad 0" && ok=$((ok + 1))
		done
		echo $ok' "$TRAFFIC")
	kill "$epid" 2>/dev/null; wait "$epid" 2>/dev/null
	check "replicas: 64 flows answered both ways ($ok/64)" [ "$ok" -eq 64 ]
	kill -USR1 "${NF_PID[r1]}" "${NF_PID[r2]}"
	sleep 0.3
	# Each flow: both directions on the same replica, never on both.
	local r1f r2f split
	r1f=$(jq -r 'select(.proto == 17) | if .sport == 9300 then .dport else .sport end' "$RUNDIR/r1.log" | sort -u)
	r2f=$(jq -r 'select(.proto == 17) | if .sport == 9300 then .dport else .sport end' "$RUNDIR/r2.log" | sort -u)
	split=$(comm -12 <(echo "$r1f") <(echo "$r2f") | grep -c .)
	diag "replica r1 has $(echo "$r1f" | grep -c .) flows, r2 $(echo "$r2f" | grep -c .), on both: $split"
	check "replicas: both replicas carry flows" \
		eval '[[ $(echo "$r1f" | grep -c .) -gt 0 && $(echo "$r2f" | grep -c .) -gt 0 ]]'
	check "replicas: no flow is split across replicas" [ "$split" -eq 0 ]
	local dirs
	dirs=$(jq -r 'select(.proto == 17) | "\(.sport) \(.dport)"' "$RUNDIR/r1.log" "$RUNDIR/r2.log" | sort -u | grep -c .)
	check "replicas: both directions of all 64 flows seen ($dirs/128)" [ "$dirs" -eq 128 ]
	reset_fabric
}

replica_killed_under_traffic() {
	start_nf k1 1; start_nf k2 1
	wait_replicas 1 2
	make_chains 1
	# 64 flows, 3000 datagrams paced over ~3 s; kill k1 after 1 s.
	# (TIME_SCALE: windows and limits for a slow machine, lib.sh.)
	in_dst "$TRAFFIC" udp-recv 9400 3000 $((6000 * TIME_SCALE)) >"$RUNDIR/kill.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/kill.out"
	ip netns exec "$NS_SRC" bash -c '
		for sp in $(seq 30001 30064); do
			"$0" udp-send 198.18.0.2 9400 47 600 "$sp" >/dev/null
		done' "$TRAFFIC" &
	local spid=$!
	sleep "$TIME_SCALE"
	local t0 gone limit=$((100 * TIME_SCALE))
	t0=$(date +%s%N)
	kill -9 "${NF_PID[k1]}"
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nfvctl -j service show | jq ".[] | select(.id == 1) | .replicas | length") -eq 1 ]]'
	# nfvd logs the wall-clock time it took the NF out of the replicas.
	gone=$(sed -n 's/.*(k1) gone at \([0-9]*\)\.\([0-9]*\),.*/\1\2/p' "$RUNDIR/nfvd.log" | tail -1)
	# No such line is a failure: 0 - t0 was hugely negative and passed.
	local ms=
	[[ -n $gone ]] && ms=$(( (gone - t0) / 1000000 ))
	wait $spid
	wait $rpid
	local got dup
	got=$(awk '/received/ {print $2}' "$RUNDIR/kill.out")
	diag "replica killed: out of the replica set after ${ms:-?} ms; $got/3008 datagrams delivered"
	check "kill -9: dead replica leaves the replica set within $limit ms" eval '
		[[ -n $ms ]] || { echo "nfvd logged no \"(k1) gone at\" line"; false; } &&
		[[ $ms -ge 0 && $ms -le $limit ]]'
	dup=$(awk '/received/ {print $6}' "$RUNDIR/kill.out")
	check "kill -9: delivery continues on the survivor (>= 90% delivered, none twice)" \
		[ "${got:-0}" -ge 2700 -a "${dup:-1}" -eq 0 ]
	check "kill -9: frame accounting back to baseline" frames_back_to_baseline
	reset_fabric
}

# nf_sum PREFIX FIELD: FIELD of nfvctl nf show, added over the NFs whose
# name starts with PREFIX.
nf_sum() {
	nfvctl -j nf show | jq --arg p "$1" --arg f "$2" \
		'[.[] | select(.name | startswith($p)) | .[$f]] | add'
}

# Backpressure (libnfv/rx.c).  A generator far faster than a 3-NF
# chain: what the chain cannot carry must be dropped where it enters (the
# kernel, on the first NF's full rx ring, before any NF worked on it), not
# by an NF that finds the lane to the next one full after the NFs before
# it spent their CPU on the frame (without backpressure: 30-50% of what
# was delivered, measured; with: none but a stray burst).
overload_drops_at_the_entry() {
	local spid sent recv tx full out waits tmo
	start_nf ov1 1; start_nf ov2 2; start_nf ov3 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2 3
	in_dst "$PKTGEN" sink -i d0 -d $((4 * TIME_SCALE)) -j >"$RUNDIR/ov.json" 2>/dev/null &
	spid=$!
	busywait 3000 grep -qs ready "$RUNDIR/ov.json"
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -d 2 -j >"$RUNDIR/ovgen.json" 2>/dev/null
	wait $spid
	sent=$(jq .sent "$RUNDIR/ovgen.json")
	recv=$(tail -1 "$RUNDIR/ov.json" | jq .received)
	tx=$(nfvctl -j nf show | jq '.[] | select(.name == "ov3") | .tx')
	full=$(nf_sum ov ring_full)
	waits=$(nf_sum ov bp_waits)
	tmo=$(nf_sum ov bp_timeouts)
	diag "overload: $sent frames offered in 2 s, $recv received, the last NF sent $tx; NFs' ring_full, bp_waits, bp_timeouts: $(nfvctl -j nf show | jq -c 'map({(.name): [.ring_full, .bp_waits, .bp_timeouts]}) | add')"
	# Overloaded: offered a quarter more than it carried at least (an
	# ASan build's generator, sharing the cores with ASan NFs, offered
	# 1.98 times what the chain carried on a fast machine; 4-5 times
	# without ASan).
	check "overload: the chain was offered more than it carried ($recv of $sent)" \
		eval '[[ ${recv:-0} -gt 0 && $((5 * recv)) -lt $((4 * ${sent:-0})) ]]'
	check "overload: the NFs dropped under 2% of what they delivered for want of lane room ($full, $tx delivered)" \
		eval '[[ ${tx:-0} -gt 0 && $((50 * ${full:-99999999})) -le $tx ]]'
	# Each wait ends when the consumer has drained half the lane and
	# says so; one that ends by the 20 ms timeout is a consumer that did
	# not (or a scheduler that starved it that long, rarely).
	check "overload: the NFs waited for room ($waits times) and were woken, not timed out ($tmo)" \
		eval '[[ ${waits:-0} -gt 0 && $((10 * ${tmo:-99999999})) -le $waits ]]'
	# This also takes back the frame the kernel keeps after an rx ring
	# overflowed (docs/design.md §3): the next frame on that queue.
	out=$(udp_through 100 200)
	check "overload: after it, 100/100 datagrams through the chain ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
	reset_fabric
	check "overload: frames.free back to baseline" frames_back_to_baseline
}

# Both directions of a 2-NF chain overloaded at once: a feeds b, b feeds
# a, each may wait for room on the lane to the other.  Neither may sleep
# until the 20 ms timeout: each drains the other's lane (lanes before rx
# rings) before it waits, and rings it once half of it is free.
overload_both_ways() {
	local g1 g2 tmo waits tx1 tx2 out
	start_nf bw1 1; start_nf bw2 2
	wait_replicas 1 1 && wait_replicas 2 1
	make_chains 1 2
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -d 2 >/dev/null 2>&1 &
	g1=$!
	in_dst "$PKTGEN" gen -i d0 --dst-mac "$SRC_MAC" -d 2 >/dev/null 2>&1 &
	g2=$!
	wait $g1 $g2
	tmo=$(nf_sum bw bp_timeouts)
	waits=$(nf_sum bw bp_waits)
	tx1=$(nfvctl -j nf show | jq '.[] | select(.name == "bw1") | .tx')
	tx2=$(nfvctl -j nf show | jq '.[] | select(.name == "bw2") | .tx')
	diag "both ways: out of f0 $tx1, out of f1 $tx2; waits $waits, timed out $tmo; $(nfvctl -j nf show | jq -c 'map({(.name): [.rx, .ring_full, .bp_waits, .bp_timeouts]}) | add')"
	check "both ways: frames left both ports (f0 $tx1, f1 $tx2)" \
		eval '[[ ${tx1:-0} -gt 10000 && ${tx2:-0} -gt 10000 ]]'
	check "both ways: the two NFs did not wait for each other until the timeout ($tmo times in 2 s)" \
		eval '[[ ${tmo:-99} -le 2 ]]'
	out=$(udp_through 100 200)
	check "both ways: after it, 100/100 datagrams through the chain ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
	# The replies cross f1's pool: a frame the kernel kept there after
	# its rx ring overflowed comes back (docs/design.md §3).
	check "both ways: after it, ping both ways" \
		ping_all in_src -c 3 -i 0.2 -W 1 -q 198.18.0.2
	reset_fabric
	check "both ways: frames.free back to baseline" frames_back_to_baseline
}

# Scheduling under load (libnfv/sched.c): an NF taking full bursts for
# other NFs runs SCHED_BATCH, so the NF it wakes does not preempt it;
# once idle for 20 ms it is SCHED_OTHER again, so a lone frame wakes it
# promptly.  The NF that sends out of the port (sc, the chain's end)
# stays SCHED_OTHER.  A thread given another policy is left alone (sb
# runs under chrt -b from the start: never switched, still SCHED_BATCH
# when idle).
policy_of() { awk '/^policy/ {print $3}' "/proc/${NF_PID[$1]}/sched"; }
loaded_nfs_run_batch() {
	local g busy="" idle sw out i nb
	start_nf sa 1; NF_WRAP="chrt -b 0" start_nf sb 2; start_nf sc 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2 3
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -d 3 >/dev/null 2>&1 &
	g=$!
	# Sampled 10 times over 1 s: sa may drop back for a moment when it
	# went 20 ms without a full burst.
	sleep 1
	for ((i = 0; i < 10; i++)); do
		busy+="$(policy_of sa)$(policy_of sb)$(policy_of sc) "
		sleep 0.1
	done
	nb=$(tr ' ' '\n' <<<"$busy" | grep -c '^33[0-9]$')
	wait $g
	sleep 0.5
	idle="$(policy_of sa) $(policy_of sb) $(policy_of sc)"
	sw=$(nfvctl -j nf show | jq -c '[.[] | select(.name | IN("sa", "sb", "sc"))] | sort_by(.name) | map(.sched_switches)')
	diag "policies under load: $busy, idle: $idle (3 = SCHED_BATCH); sched_switches sa, sb, sc: $sw"
	check "sched: under load sa ran SCHED_BATCH most of the time ($nb of 10 samples: $busy)" \
		eval '[[ $nb -ge 7 ]]'
	check "sched: the NF sending out of f1 never did ($busy)" \
		eval '! grep -q "[0-9][0-9]3" <<<"$busy"'
	check "sched: idle again, SCHED_OTHER, but the one started under chrt -b ($idle)" \
		[ "$idle" = "0 3 0" ]
	check "sched: the switches were counted, none for the chrt'ed one nor the last ($sw)" \
		eval '[[ $(jq ".[0] >= 2 and .[1] == 0 and .[2] == 0" <<<"$sw") = true ]]'
	out=$(udp_through 100 200)
	check "sched: after it, 100/100 datagrams through the chain ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
	reset_fabric
	check "sched: frames.free back to baseline" frames_back_to_baseline
}

# A consumer that takes nothing (stopped: alive, deaf) holds its producer
# at most NFV_BP_WAIT_NS (20 ms): then the producer drops what is for it
# (ring_full) and carries the rest.  Chain 1 a -> b, a flow to a -> c;
# c stopped, its lane filled, then traffic for b.
stalled_consumer_holds_up_nothing() {
	local out full tmo
	start_nf sa 1; start_nf sb 2; start_nf sc 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	make_chains 1 2
	nfvctl chain add 3 service 1 service 3 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.2 dport 9600 chain 3 >/dev/null
	kill -STOP "${NF_PID[sc]}"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9600 3000 200 >/dev/null
	out=$(udp_through 300 1000)
	full=$(nfvctl -j nf show | jq '.[] | select(.name == "sa") | .ring_full')
	diag "stalled consumer: 3000 for c (stopped), then 300 for b: $out; a's ring_full $full"
	check "stalled consumer: the traffic for b got through (300/300)" \
		[ "$out" = "received 300 bad 0 dup 0 bytes 300000" ]
	tmo=$(nfvctl -j nf show | jq '.[] | select(.name == "sa") | .bp_timeouts')
	check "stalled consumer: a counted what it could not hand to c (ring_full $full) and that it gave up waiting (bp_timeouts $tmo)" \
		eval '[[ ${full:-0} -gt 0 && ${tmo:-0} -ge 1 ]]'
	kill -CONT "${NF_PID[sc]}"
	reset_fabric
	check "stalled consumer: frames.free back to baseline" frames_back_to_baseline
}

# A dead NF's AF_XDP sockets are closed off nfvd's loop (closer.c): each
# close() waits for an RCU grace period, 10-56 ms.  Inline, 4 NFs reaped
# at once kept nfvd from answering for 102-113 ms (measured); now it
# answers within a few ms throughout.
# The slowest nfvctl stats, in ms, of those made one after another for MS.
slowest_stats() {
	local t0 ms max=0 t_end=$(( $(date +%s%N) + $1 * 1000000 ))
	while [[ $(date +%s%N) -lt $t_end ]]; do
		t0=$(date +%s%N)
		nfvctl stats >/dev/null
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		(( ms > max )) && max=$ms
	done
	echo "$max"
}

# pile N frames up on NF NAME's rx ring (stopped), then let it take
# them: its batches are full ones, of whatever the frames mix.
# pile_up NAME N [PKTGEN ARGS...]
pile_up() {
	local name=$1 n=$2
	shift 2
	kill -STOP "${NF_PID[$name]}"
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -n "$n" -r 100000 "$@" >/dev/null
	sleep 0.1
	kill -CONT "${NF_PID[$name]}"
}

nf_rx_sum() {	# nf_rx_sum NAME...: their rx, added
	local names
	names=$(printf '"%s",' "$@")
	nfvctl -j nf show | jq "[.[] | select(.name | IN(${names%,})) | .rx] | add // 0"
}

# libnfv hands on a run of frames (one chain, one hop, one replica) by a
# comparison per frame (action.c).  Batches whose frames alternate
# chains and replicas frame by frame must split exactly as frames sent
# one flow at a time do.
batch_runs_split_by_chain_and_replica() {
	start_nf a 1; start_nf b 2; start_nf c 3; start_nf r1 4; start_nf r2 4
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1 &&
		wait_replicas 4 2
	nfvctl chain add 1 service 1 service 2 out f1 >/dev/null
	nfvctl chain add 2 service 1 service 3 out f1 >/dev/null
	nfvctl chain add 3 service 1 service 4 out f1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 sport 10000 chain 1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 sport 10001 chain 2 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 sport 10002-10009 chain 3 >/dev/null
	# Where each flow of chain 3 goes, one flow at a time.
	local sp r1=0 r2=0 before now want
	for sp in $(seq 10002 10009); do
		before=$(nf_rx r1)
		want=$(( $(nf_rx_sum r1 r2) + 10 ))
		in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -n 10 --sport "$sp" >/dev/null
		busywait $((3000 * TIME_SCALE)) eval '[[ $(nf_rx_sum r1 r2) -ge $want ]]'
		now=$(nf_rx r1)
		if [[ $((now - before)) -eq 10 ]]; then
			r1=$((r1 + 1))
		else
			r2=$((r2 + 1))
		fi
	done
	diag "runs: of the 8 flows of chain 3, r1 has $r1, r2 $r2"
	# 500 frames, sport 10000..10009 in turn, in full batches of a.
	local b0 c0 r10 r20 all
	b0=$(nf_rx b); c0=$(nf_rx c); r10=$(nf_rx r1); r20=$(nf_rx r2)
	all=$(( $(nf_rx_sum b c r1 r2) + 500 ))
	pile_up a 500 --flows 10 --sport 10000
	busywait $((5000 * TIME_SCALE)) eval '[[ $(nf_rx_sum b c r1 r2) -ge $all ]]'
	sleep 0.3	# and not more
	local db dc dr1 dr2
	db=$(( $(nf_rx b) - b0 )); dc=$(( $(nf_rx c) - c0 ))
	dr1=$(( $(nf_rx r1) - r10 )); dr2=$(( $(nf_rx r2) - r20 ))
	diag "runs: alternating chains and replicas: b $db, c $dc, r1 $dr1, r2 $dr2"
	check "runs: chain 1's frames all at b, no other ($db = 50)" [ "$db" -eq 50 ]
	check "runs: chain 2's frames all at c, no other ($dc = 50)" [ "$dc" -eq 50 ]
	check "runs: each replica gets its flows' frames ($dr1 = $((r1 * 50)), $dr2 = $((r2 * 50)))" \
		eval '[[ $dr1 -eq $((r1 * 50)) && $dr2 -eq $((r2 * 50)) ]]'
	reset_fabric
	check "runs: frames.free back to baseline" frames_back_to_baseline
}

# A chain through services 1 and 2 twice: their NFs' batches hold frames
# at two hops, each to go on to a different service.  Made so: 100
# frames wait on the lane back from b (hop 2) while 100 new ones wait on
# a's ring (hop 0); a takes the lane first, 64 a batch, so its second
# batch holds both, and it hands both on the one lane to b (hops 3 and
# 1): b's batches hold both hops off one lane.
batch_runs_split_by_hop() {
	start_nf a 1; start_nf b 2; start_nf c 3
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	nfvctl chain add 1 service 1 service 2 service 1 service 2 service 3 out f1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 chain 1 >/dev/null
	local a0 b0 c0 want
	a0=$(nf_rx a); b0=$(nf_rx b); c0=$(nf_rx c)
	kill -STOP "${NF_PID[b]}"
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -n 100 --flows 16 >/dev/null
	want=$((a0 + 100))
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nf_rx a) -ge $want ]]'
	kill -STOP "${NF_PID[a]}"
	kill -CONT "${NF_PID[b]}"
	want=$((b0 + 100))
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nf_rx b) -ge $want ]]'
	kill -STOP "${NF_PID[b]}"
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -n 100 --flows 16 >/dev/null
	sleep 0.1
	kill -CONT "${NF_PID[a]}"
	want=$((a0 + 300))
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nf_rx a) -ge $want ]]'
	kill -CONT "${NF_PID[b]}"
	want=$((c0 + 200))
	busywait $((5000 * TIME_SCALE)) eval '[[ $(nf_rx c) -ge $want ]]'
	sleep 0.3
	local da db dc
	da=$(( $(nf_rx a) - a0 )); db=$(( $(nf_rx b) - b0 )); dc=$(( $(nf_rx c) - c0 ))
	diag "runs: services 1 and 2 at two hops each: a $da, b $db, c $dc"
	check "runs: each frame through a and b twice, c once (a $da = b $db = 400, c $dc = 200)" \
		eval '[[ $da -eq 400 && $db -eq 400 && $dc -eq 200 ]]'
	reset_fabric
	check "runs: hops: frames.free back to baseline" frames_back_to_baseline
}

# Two replicas of service 1 feed b: b's batches take the end of one's
# lane and the start of the other's, frames of one chain at one hop to
# one replica, and a run must stop where the lane changes: each lane is
# given back (action.c run_end()) only for its own frames.  A lane never
# given back fills after NFV_LANE_SIZE frames and its producer stops.
batch_runs_span_lanes() {
	start_nf a1 1; start_nf a2 1; start_nf b 2; start_nf c 3
	wait_replicas 1 2 && wait_replicas 2 1 && wait_replicas 3 1
	nfvctl chain add 1 service 1 service 2 service 3 out f1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 chain 1 >/dev/null
	local a10 a20 c0 want n
	a10=$(nf_rx a1); a20=$(nf_rx a2); c0=$(nf_rx c)
	# Frames piled up on both lanes into b, twice, in odd numbers.
	pile_up b 301 --flows 16
	pile_up b 257 --flows 16
	want=$((c0 + 558))
	busywait $((5000 * TIME_SCALE)) eval '[[ $(nf_rx c) -ge $want ]]'
	# Then three lanes' worth more, at a rate b keeps up with.
	in_src "$PKTGEN" gen -i s0 --dst-mac "$DST_MAC" -n 3000 --flows 16 -r 10000 >/dev/null
	want=$((c0 + 3558))
	busywait $((8000 * TIME_SCALE)) eval '[[ $(nf_rx c) -ge $want ]]'
	sleep 0.3
	local da1 da2 dc
	da1=$(( $(nf_rx a1) - a10 )); da2=$(( $(nf_rx a2) - a20 ))
	dc=$(( $(nf_rx c) - c0 ))
	diag "runs: two lanes into b: a1 $da1, a2 $da2, c $dc"
	check "runs: lanes: both replicas fed b ($da1 + $da2 = 3558, each > 500)" \
		eval '[[ $((da1 + da2)) -eq 3558 && $da1 -gt 500 && $da2 -gt 500 ]]'
	check "runs: lanes: every frame reached c ($dc = 3558)" [ "$dc" -eq 3558 ]
	n=$(nfvctl -j nf show | jq '[.[] | select(.name == "a1" or .name == "a2") | .ring_full + .overrun] | add')
	check "runs: lanes: no producer found its lane to b full ($n = 0)" [ "$n" -eq 0 ]
	# Each datagram checked end to end, lanes past their ring's end
	# (1024 slots) several times over: a run goes on at the head of the
	# ring, not past its end.
	local out
	out=$(UDP_PPS=20000 udp_through 3000 200)
	diag "runs: lanes: 3000 x 200 B UDP through a1/a2, b, c: $out"
	check "runs: lanes: 3000 datagrams intact, none twice" \
		[ "$out" = "received 3000 bad 0 dup 0 bytes 600000" ]
	reset_fabric
	check "runs: lanes: frames.free back to baseline" frames_back_to_baseline
}

reaping_stalls_nothing() {
	local i max base free0

	free0=$(frames_free)
	for i in 1 2 3 4; do start_nf reap$i $i; done
	for i in 1 2 3 4; do wait_replicas $i 1; done
	# What an nfvctl stats costs here before (its own start-up is most
	# of it, and ASan's doubles it): the reap may add 60 ms at most.
	base=$(slowest_stats 1000)
	for i in 1 2 3 4; do kill -9 "${NF_PID[reap$i]}"; done
	max=$(slowest_stats 2500)
	diag "reap: slowest nfvctl stats while 4 NFs were reaped: $max ms (before: $base ms)"
	check "reap: 4 NFs reclaimed" \
		busywait $((3000 * TIME_SCALE)) eval '[[ $(grep -c "nf [0-9]* reclaimed" "$RUNDIR/nfvd.log") -ge 4 ]]'
	check "reap: nfvd answered within 60 ms of its usual throughout ($max ms, usual $base ms)" \
		[ "$max" -le $((base + 60 * TIME_SCALE)) ]
	check "reap: frames.free back to what it was" \
		busywait $((3000 * TIME_SCALE)) eval '[[ $(frames_free) -eq $free0 ]]'
	reset_fabric
}

nf_override_actions() {
	# Chain ends in drop: only an NF override gets frames out.
	NF_BIN=bridge start_nf br 1 --ports f0,f1
	wait_replicas 1 1
	nfvctl chain add 1 service 1 drop >/dev/null
	nfvctl port del f0 >/dev/null; nfvctl port add f0 default-chain 1 >/dev/null
	nfvctl port del f1 >/dev/null; nfvctl port add f1 default-chain 1 >/dev/null
	local out
	out=$(udp_through 50 400)
	check "override allowed: NF sends frames out another port" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 20000" ]
	nfvctl chain del 1 >/dev/null
	nfvctl chain add 1 service 1 drop override deny >/dev/null
	out=$(udp_through 50 400)
	check "override denied: chain's own next hop (drop) is taken" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	reset_fabric
	check "override: frames.free back to baseline" frames_back_to_baseline
}

malformed_frames() {
	start_nf fwd1 1
	wait_replicas 1 1
	make_chains 1
	local perr_before sent
	perr_before=$(port_counter f0 parse_err)
	sent=$(in_src "$TRAFFIC" malformed s0 "$(ip -n "$NS_FAB" -j link show f0 | jq -r '.[0].address')")
	diag "malformed: $sent"
	busywait 1000 eval '[[ $(port_counter f0 parse_err) -ge $((perr_before + 80)) ]]'
	check "malformed: parse errors counted" \
		eval '[[ $(port_counter f0 parse_err) -ge $((perr_before + 80)) ]]'
	check "malformed: nfvd alive" kill -0 "$NFVD_PID"
	local out
	out=$(udp_through 50 500)
	check "malformed: good traffic still flows" \
		[ "$out" = "received 50 bad 0 dup 0 bytes 25000" ]
	reset_fabric
	check "malformed: frames.free back to baseline" frames_back_to_baseline
}

tap_hop() {
	# forward -> tap(monitor, read-only) -> out: every frame delivered,
	# the tap sees them all, no copy, frames all come back.
	start_nf fwd1 1
	NF_BIN=monitor start_nf tap 2 --readonly
	wait_replicas 1 1 && wait_replicas 2 1
	nfvctl chain add 1 service 1 tap service 2 out f1 >/dev/null
	nfvctl port del f0 >/dev/null; nfvctl port add f0 default-chain 1 >/dev/null
	local out
	out=$(udp_through 500 800)
	check "tap: 500/500 datagrams delivered by the inline chain" \
		[ "$out" = "received 500 bad 0 dup 0 bytes 400000" ]
	check "tap: the tap NF saw them too" eval '[[ $(nf_rx tap) -ge 500 ]]'
	check "tap: chain show lists the tap hop" \
		eval '[[ $(nfvctl -j chain show | jq -r ".[0].hops[1].type") == tap ]]'
	kill -9 "${NF_PID[tap]}"
	out=$(udp_through 100 800)
	check "tap: a dead tap never stalls the chain" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 80000" ]
	reset_fabric
	check "tap: frames.free back to baseline" frames_back_to_baseline
}

readonly_enforced() {
	# What nfvd enforces on a read-only NF, seen from outside: it is
	# recorded read-only and gets rx sockets only (a writable NF whose
	# chain allows overrides has a tx socket per port too).  Then its
	# write to a frame (MAC swap): libnfv maps the UMEM PROT_READ, so
	# it dies of SIGSEGV; the fabric carries on and gets every frame
	# back.  That nfvd's UMEM fd refuses PROT_WRITE, mprotect, reopen
	# whatever the NF does is hostile.sh readonly_cannot_write.
	# Chain and flow first: the NF then gets its sockets once.  A flow,
	# not f0's default chain: s0's own IPv6 chatter (router
	# solicitations, MLD) would reach the NF and kill it before its
	# sockets are counted.
	nfvctl chain add 1 service 1 out f1 >/dev/null
	nfvctl flow add in f0 proto udp dst 198.18.0.2 dport 9000 chain 1 >/dev/null
	NF_BIN=bridge start_nf robr 1 --readonly --port f0 --mac-swap
	wait_replicas 1 1
	local pid=${NF_PID[robr]} rc limit=$((3 * TIME_SCALE))
	check "read-only: nfvd has the NF as read-only" \
		eval '[[ $(nfvctl -j nf show | jq ".[] | select(.name == \"robr\") | .readonly") == true ]]'
	check "read-only: nfvd gave it rx sockets only, no tx ($(xsk_count "$pid") for 2 ports)" \
		busywait 2000 eval '[[ $(xsk_count "$pid") -eq 2 ]]'
	in_src "$TRAFFIC" udp-send 198.18.0.2 9000 3 100 >/dev/null
	# Bounded: an NF that does not die fails here, it does not hang
	# the test at wait.
	if busywait $((limit * 1000)) eval '! kill -0 $pid 2>/dev/null'; then
		wait "$pid" 2>/dev/null
		rc=$?
	else
		rc="still running after $limit s"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	diag "read-only NF exit status: $rc (139: SIGSEGV)"
	check "read-only: its write to a frame faults (SIGSEGV) within $limit s" \
		[ "$rc" = 139 ]
	check "read-only: nfvd takes the dead NF out of service 1" \
		wait_replicas_none 1
	# Frames it never took from its rx ring come back once the kernel
	# takes a later fill entry, if a ring of the pool ever overflowed
	# (docs/design.md §3): traffic through a new NF on f0 first.
	start_nf rofw 1
	wait_replicas 1 1
	local out
	out=$(udp_through 20 100)
	check "read-only: the chain carries on with a new NF (20/20: $out)" \
		[ "$out" = "received 20 bad 0 dup 0 bytes 2000" ]
	reset_fabric
	check "read-only: frames.free back to baseline after the crash" \
		frames_back_to_baseline
}

wait_replicas_none() {	# wait_replicas_none SID: no replica left
	busywait 3000 eval "[[ \$(nfvctl -j service show | jq '[.[] | select(.id == $1) | .replicas | length] | add // 0') -eq 0 ]]"
}

# Sockets process $1 holds that are not unix sockets: its AF_XDP ones
# (it makes no other kind).
xsk_count() {
	local n=0 fd ino
	for fd in /proc/"$1"/fd/*; do
		ino=$(readlink "$fd")
		[[ $ino == socket:* ]] || continue
		ino=${ino#socket:[}
		ino=${ino%]}
		awk -v i="$ino" '$7 == i { f = 1 } END { exit !f }' \
			/proc/"$1"/net/unix || n=$((n + 1))
	done
	echo $n
}

readonly_transmits_through_nfvd() {
	# A read-only NF has no tx socket: nfvd transmits what it hands on,
	# checksums of stock peers completed on the way.
	make_chains 1	# first: the NF then gets its sockets once
	start_nf ro 1 --readonly
	wait_replicas 1 1
	check "read-only out: the NF has rx sockets only (2 ports, $(xsk_count "${NF_PID[ro]}") sockets)" \
		eval '[[ $(xsk_count "${NF_PID[ro]}") -eq 2 ]]'
	check "read-only out: 200/200 UDP datagrams intact through nfvd" \
		udp_exact 200 1000
	tcp_4mb
	diag "read-only out: TCP 4 MB: $TCP_OUT"
	check "read-only out: 4 MB of TCP from a stock peer arrive intact" \
		[ "$TCP_OUT" = "received 4000000 bad 0" ]
	reset_fabric
	check "read-only out: frames.free back to baseline" \
		frames_back_to_baseline
}

readonly_then_writable() {
	# A read-only NF hands stock peers' frames on a lane to a writable
	# one: their partial checksums are left to the writable NF, which
	# looks for them on lanes from read-only NFs only (rx.c).
	make_chains 1 2
	start_nf ro 1 --readonly; start_nf fw 2
	wait_replicas 1 1 && wait_replicas 2 1
	check "read-only first: 200/200 UDP datagrams intact through the writable NF" \
		udp_exact 200 1000
	tcp_4mb
	diag "read-only first: TCP 4 MB: $TCP_OUT"
	check "read-only first: 4 MB of TCP from a stock peer arrive intact" \
		[ "$TCP_OUT" = "received 4000000 bad 0" ]
	reset_fabric
	check "read-only first: frames.free back to baseline" \
		frames_back_to_baseline
}

tx_sockets_follow_chains() {
	# Chains that allow no override: an NF gets a tx socket for the
	# ports its chains send to, and one more when a chain adds a port.
	nfvctl chain add 1 service 1 out f1 override deny >/dev/null
	nfvctl port del f0 >/dev/null; nfvctl port add f0 default-chain 1 >/dev/null
	start_nf fw 1
	wait_replicas 1 1
	check "tx sockets: 2 rx + a tx socket for f1 ($(xsk_count "${NF_PID[fw]}"))" \
		eval '[[ $(xsk_count "${NF_PID[fw]}") -eq 3 ]]'
	check "tx sockets: traffic out of f1 flows" udp_exact 100 500
	# Past a tap hop: the tap is not where the frame goes next, f0 is.
	nfvctl chain add 2 service 1 tap service 2 out f0 override deny >/dev/null
	check "tx sockets: a chain out of f0 (past a tap) gives it one for f0 too" \
		busywait 2000 eval '[[ $(xsk_count "${NF_PID[fw]}") -eq 4 ]]'
	reset_fabric
}

bad_nfvctl_changes_nothing() {
	nfvctl chain add 7 service 3 out f1 >/dev/null
	nfvctl flow add proto udp dst 198.18.0.0/24 chain 7 >/dev/null
	local before after bad fails=0
	before=$(nfvctl -j port show | jq -c 'map(del(.stats))'; nfvctl -j chain show; nfvctl -j flow show)
	while read -r bad; do
		if nfvctl $bad >/dev/null 2>&1; then
			diag "accepted: nfvctl $bad"
			fails=$((fails + 1))
		fi
	done <<'EOF'
chain add 0 service 1 out f1
chain add 4096 service 1 out f1
chain add 8 service 0
chain add 8 service 1024
chain add 8
chain add 8 service 1 out nosuchdev
chain add 7 service 1 out f1
chain add 8 service 1 service 2 service 3 service 4 service 5 service 6 service 7 service 8 service 9
chain add 8 hop 1
chain del 99
port add nosuchdev
port add f0
port del nosuchdev
flow add proto udp dst 198.18.0.0/33 chain 7
flow add dst 198.18.0.0/24 chain 0
flow add proto udp dst 198.18.0.0/24 chain 7
flow add bogus 1 chain 7
flow del proto tcp dst 198.18.9.9 chain 7
frobnicate
EOF
	after=$(nfvctl -j port show | jq -c 'map(del(.stats))'; nfvctl -j chain show; nfvctl -j flow show)
	check "bad nfvctl input: every invalid command refused" [ "$fails" -eq 0 ]
	check "bad nfvctl input: ports, chains and flows unchanged" [ "$before" = "$after" ]
	reset_fabric
}

# nfvd stopped (SIGSTOP: alive, deaf): an NF asking it something gives
# up after libnfv's 5 s instead of hanging for good, and a SIGTERM ends it
# meanwhile.  Then nfvd goes on as if nothing happened.
nf_facing_a_stopped_nfvd() {
	local t0 ms st
	kill -STOP "$NFVD_PID"
	t0=$(date +%s%N)
	start_nf deaf 1
	busywait $((8000 * TIME_SCALE)) eval '! kill -0 ${NF_PID[deaf]} 2>/dev/null'
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	kill -0 "${NF_PID[deaf]}" 2>/dev/null && st=alive || { wait "${NF_PID[deaf]}"; st=$?; }
	diag "stopped nfvd: the attaching NF: $st after $ms ms; $(tail -1 "$RUNDIR/deaf.log")"
	check "stopped nfvd: an attaching NF gives up with an error in 5-8 s" \
		eval '[[ $st != alive && $st -ne 0 && $ms -ge 4500 ]] &&
		      grep -qi "timed out" "$RUNDIR/deaf.log"'
	start_nf term 1
	sleep 1
	kill -TERM "${NF_PID[term]}"
	busywait 1000 eval '! kill -0 ${NF_PID[term]} 2>/dev/null'
	check "stopped nfvd: SIGTERM ends an NF waiting for it" \
		eval '! kill -0 ${NF_PID[term]} 2>/dev/null'
	# Whatever is left of them (a failed check) must not hang the rest.
	kill -9 "${NF_PID[deaf]}" "${NF_PID[term]}" 2>/dev/null
	kill -CONT "$NFVD_PID"
	start_nf fwd1 1
	check "stopped nfvd: once it goes on, NFs attach" wait_replicas 1 1
	make_chains 1
	local out
	out=$(udp_through 100 500)
	check "stopped nfvd: and traffic crosses ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 50000" ]
	reset_fabric
	check "stopped nfvd: frames.free back to baseline" frames_back_to_baseline
}

# Ports on devices that come and go (pods' veths, test wires made
# again): a deleted port's pools give their fill rings back, and pools of
# devices gone are closed and their slots used again.  nfvd kept them:
# 2048 frames lost to each new device, the UMEM dry after 6, and port add
# refused once 64 pools were open.
churn_dev() {	# churn_dev DEV [NS]: veth DEV up in the fabric, DEVp in NS
	local ns=${2:-$NS_FAB}
	ip -n "$NS_FAB" link add "$1" type veth peer name "${1}p" netns "$ns" &&
	ip -n "$NS_FAB" link set "$1" up && ip -n "$ns" link set "${1}p" up
}

port_churn_returns_frames() {
	local base i fails=0 with out how
	base=$(frames_free)
	diag "port churn: frames free with f0 and f1, no NF: $base"
	for ((i = 1; i <= 10; i++)); do
		churn_dev c0
		nfvctl port add c0 >/dev/null || fails=$((fails + 1))
		with=$(frames_free)
		nfvctl port del c0 >/dev/null
		if ! [[ $with -lt $base ]] ||
		   ! busywait 2000 eval '[[ $(frames_free) -eq $base ]]'; then
			diag "round $i: with c0 $with free, after its port del $(frames_free)"
			fails=$((fails + 1))
		fi
		ip -n "$NS_FAB" link del c0
	done
	check "port churn: 10 new devices, each port's fill ring taken and given back ($base free after each)" \
		[ "$fails" -eq 0 ]
	# Past the 64 pools there are.
	fails=0
	for ((i = 1; i <= 60; i++)); do
		churn_dev c0 && nfvctl port add c0 >/dev/null &&
			nfvctl port del c0 >/dev/null || fails=$((fails + 1))
		ip -n "$NS_FAB" link del c0
	done
	churn_dev c1
	check "port churn: 60 more, all added; a port on a new device after them ($fails failed)" \
		eval '[[ $fails -eq 0 ]] && nfvctl port add c1 >/dev/null'
	nfvctl port del c1 >/dev/null
	ip -n "$NS_FAB" link del c1
	check "port churn: frames.free back to $base" \
		busywait 3000 eval '[[ $(frames_free) -eq $base ]]'

	# An NF's rx ring on the port full when it is deleted (the NF
	# stopped): it goes on (SIGCONT) and takes them from its ring, or it
	# dies (SIGKILL) and the rx census finds them.  Its ring overflowed:
	# a frame in the kernel's own free list too.
	nfvctl chain add 1 service 1 out f1 >/dev/null
	for how in CONT KILL; do
		start_nf churn 1
		wait_replicas 1 1
		churn_dev c0 "$NS_SRC"
		ip -n "$NS_SRC" route add 198.18.0.2/32 dev c0p
		ip -n "$NS_SRC" neigh add 198.18.0.2 lladdr "$DST_MAC" dev c0p nud permanent
		nfvctl port add c0 default-chain 1 >/dev/null
		kill -STOP "${NF_PID[churn]}"
		in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9000 3000 1000 20000 >/dev/null 2>&1
		nfvctl port del c0 >/dev/null
		out=$(nfvctl -j stats | jq -c .frames)
		kill -"$how" "${NF_PID[churn]}"
		[[ $how == CONT ]] &&
			busywait 3000 eval '[[ $(nfvctl -j stats | jq .frames.kernel) -eq 0 ]]'
		ip -n "$NS_FAB" link del c0
		check "port churn, NF $how: frames in its rx ring as c0's port went ($out)" \
			eval '[[ $(jq .kernel <<<"$out") -ge 1000 ]]'
		check "port churn, NF $how: frames.free back to $base" \
			busywait 3000 eval '[[ $(frames_free) -eq $base ]]'
		reset_fabric
		nfvctl chain add 1 service 1 out f1 >/dev/null
	done
	reset_fabric
	check "port churn, NF: frames.free back to baseline" frames_back_to_baseline

	# Every device gone, the wires made again.  f1's port stays a while
	# on no device: its pool, the first one, is open but unbound, and the
	# UMEM must not be shared through it (m182).  Then no pool is left
	# on a live device: the UMEM is registered anew; a chain carries
	# traffic.
	nfvctl port del f0 >/dev/null
	ip -n "$NS_FAB" link del f0
	ip -n "$NS_FAB" link del f1
	setup_wires
	check "port churn, new wires: f0 added, f1's old port left on no device" \
		eval 'nfvctl port add f0 >/dev/null'
	nfvctl port del f1 >/dev/null
	nfvctl port add f1 >/dev/null
	check "port churn, new wires: frames.free $base with their two ports" \
		busywait 3000 eval '[[ $(frames_free) -eq $base ]]'
	start_nf fwd1 1
	wait_replicas 1 1
	make_chains 1
	out=$(udp_through 200 1000)
	check "port churn, new wires: 200/200 UDP datagrams intact through an NF ($out)" \
		[ "$out" = "received 200 bad 0 dup 0 bytes 200000" ]
	reset_fabric
	check "port churn, new wires: frames.free back to baseline" \
		frames_back_to_baseline
}

kernel_lifecycle() {
	# NFV_BACKEND=kernel only: ids from /dev/nfv, death seen once, ports
	# removed through the module detached by nfvd.
	if [[ ${NFV_BACKEND:-} != kernel ]]; then
		tap_skip "kernel backend: NF lifecycle and port removal" \
			"legit: nfv.ko's case (NFV_BACKEND=kernel), run by the VM suite"
		return
	fi
	start_nf life 1
	wait_replicas 1 1
	make_chains 1
	local kid did pid
	kid=$(nfvctl -b kernel -j nf show | jq -c '.[] | select(.name == "life") | [.id, .pid, .state]')
	did=$(nfvctl -b daemon -j nf show | jq -c '.[] | select(.name == "life") | [.id, .pid, .state]')
	diag "NF life: module $kid, nfvd $did"
	check "kernel backend: the NF's id, pid and state are the module's" \
		eval '[[ -n $kid && $kid == "$did" && $kid == *\"up\"* ]]'
	local out
	out=$(udp_through 100 700)
	check "kernel backend: 100/100 datagrams through the NF" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 70000" ]
	check "kernel backend: nfvctl -b kernel nf show has nfvd's counters" \
		eval '[[ $(nfvctl -b kernel -j nf show | jq ".[] | select(.name == \"life\") | .rx") -ge 100 ]]'
	kill -9 "${NF_PID[life]}"
	wait "${NF_PID[life]}" 2>/dev/null
	busywait $((3000 * TIME_SCALE)) eval '[[ $(nfvctl -b kernel -j nf show | jq length) -eq 0 &&
		$(nfvctl -b daemon -j nf show | jq length) -eq 0 ]]'
	check "kernel backend: the dead NF left the module and nfvd" \
		eval '[[ $(nfvctl -b kernel -j nf show | jq length) -eq 0 &&
			 $(nfvctl -b daemon -j nf show | jq length) -eq 0 ]]'
	check "kernel backend: its death handled and its frames reclaimed once" \
		eval '[[ $(grep -c "(life) gone at" "$RUNDIR/nfvd.log") -eq 1 &&
			 $(grep -c "nfvd: nf $(jq ".[0]" <<<"$kid") reclaimed," "$RUNDIR/nfvd.log") -eq 1 ]]'
	check "kernel backend: frames back to baseline after kill -9" frames_back_to_baseline
	nfvctl port del f0 >/dev/null
	busywait $((3000 * TIME_SCALE)) eval '[[ $(ip -n "$NS_FAB" -j link show dev f0 | jq ".[0].xdp == null") == true ]]'
	check "kernel backend: a port deleted through the module loses the classifier" \
		eval '[[ $(ip -n "$NS_FAB" -j link show dev f0 | jq ".[0].xdp == null") == true &&
			 $(nfvctl -b daemon -j stats | jq "[.ports[] | select(.name == \"f0\")] | length") -eq 0 ]]'
	nfvctl port add f0 >/dev/null
	check "kernel backend: added again, nfvd serves it again" kernel_port_served f0
	reset_fabric
}

kernel_nfvd_restart() {
	# NFV_BACKEND=kernel only: kill -9 of nfvd while NFs are attached
	# through the module.  The module keeps the configuration; the NFs'
	# /dev/nfv files close (the module takes them out of their services),
	# they attach again to the new nfvd, which takes the ports back and
	# hands the module its new maps.
	if [[ ${NFV_BACKEND:-} != kernel ]]; then
		tap_skip "kernel backend: nfvd restart with NFs attached" \
			"legit: nfv.ko's case (NFV_BACKEND=kernel), run by the VM suite"
		return
	fi
	start_nf ra 1; start_nf rb 2
	wait_replicas 1 1 && wait_replicas 2 1
	make_chains 1 2
	local out conf_before conf_after t0 t_up
	check "kernel nfvd restart: before, 100/100 datagrams through 2 NFs" \
		udp_exact 100 700
	conf_before=$(for o in port chain flow; do
		nfvctl -b kernel -j "$o" show | jq -S -c 'map(del(.stats))'; done)
	kill -9 "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	t0=$(date +%s%N)
	start_nfvd
	busywait $((5000 * TIME_SCALE)) eval '[[ $(nfvctl -b kernel -j nf show 2>/dev/null | jq "[.[] | select(.state == \"up\")] | length") -eq 2 &&
		$(nfvctl -b daemon -j nf show 2>/dev/null | jq "[.[] | select(.state == \"up\")] | length") -eq 2 ]]'
	t_up=$(( ($(date +%s%N) - t0) / 1000000 ))
	diag "kernel nfvd restart: both NFs up in the module and nfvd $t_up ms after the new start"
	check "kernel nfvd restart: the NFs attached again by themselves within $((2 * TIME_SCALE)) s ($t_up ms)" \
		eval '[[ $t_up -lt $((2000 * TIME_SCALE)) &&
			 $(nfvctl -b kernel -j nf show | jq "[.[] | select(.state == \"up\")] | length") -eq 2 ]]'
	check "kernel nfvd restart: the new nfvd gave the module its maps" \
		grep -q "nfv.ko writes the tables" "$RUNDIR/nfvd.log"
	conf_after=$(for o in port chain flow; do
		nfvctl -b kernel -j "$o" show | jq -S -c 'map(del(.stats))'; done)
	check "kernel nfvd restart: ports, chains, flows unchanged in the module" \
		[ "$conf_before" = "$conf_after" ]
	check "kernel nfvd restart: after, 100/100 datagrams through 2 NFs" \
		udp_exact 100 700
	check "kernel nfvd restart: ping both ways" \
		ping_all in_src -c 3 -i 0.2 -W $((1 * TIME_SCALE)) -q 198.18.0.2
	check "kernel nfvd restart: frames back to baseline" frames_back_to_baseline
	reset_fabric
}

# ---------------------------------------------------------------------
echo "TAP version 13"
setup_fabric
for t in "${tests[@]}"; do
	run_case "$t"
done
diag "nfvd log:"
sed 's/^/#   /' "$RUNDIR/nfvd.log" | tail -20
echo "1..$_tap_n"
tap_exit
