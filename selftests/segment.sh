#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generic-mode ports and their segmenters (docs/design.md "Super-frames"):
# a port in generic mode leaves its veth peer's TSO on, so TCP arrives as
# GSO super-frames of up to 64 KB; those bound for an NF are cut into
# frames by the port's segmenter (a veth pair nfvd makes), those of an
# offloaded flow go port to port whole.  Stock peers, module-less backend.
#
#   ns src            ns fabric (nfvd; f0 f1 generic)                  ns dst
#   s0 198.18.0.1 --- f0 ==[ service 1, service 2 ]== f1 --- d0 198.18.0.2
#                      \__ nfvseg<f0> -> nfvseg<f0>x (native) __/
#
# Every check counts bytes delivered, frames the NFs saw, the
# classifier's counters, devices and their features.

source "$(dirname "$0")/lib.sh"

require_root
for b in nfvd nfvctl nfv-forward; do
	[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
done

tests=(
	generic_keeps_peer_tso
	tcp_through_nfs_is_segmented
	offloaded_superframes_at_router_speed
	port_del_takes_the_segmenter
	restart_remakes_the_segmenter
)
[[ $# -gt 0 ]] && tests=("$@")

setup() {
	setup_topology
	start_nfvd ||
		{ diag "nfvd did not start"; cat "$RUNDIR/nfvd.log"; exit 1; }
}

port_id() { nfvctl -j port show | jq ".[] | select(.name == \"$1\") | .id"; }
nf_rx() { nfvctl -j nf show | jq "[.[] | select(.name == \"$1\") | .rx] | add // 0"; }
tso() { ip netns exec "$1" ethtool -k "$2" | awk '/^tcp-segmentation-offload:/ {print $2}'; }
segdevs() { in_fab ip -o link show | awk -F'[ :@]+' '$2 ~ /^nfvseg/ {print $2}' | sort | xargs; }

# ports MODE [CHAIN0 CHAIN1]: f0 and f1 again, in MODE; generic: until
# both segmenters' exits have their classifier (nfv.ko's ports are
# nfvd's a moment after the module has them).
ports() {
	nfvctl port del f0 >/dev/null 2>&1; nfvctl port del f1 >/dev/null 2>&1
	nfvctl port add f0 mode "$1" ${2:+default-chain $2} >/dev/null &&
	nfvctl port add f1 mode "$1" ${3:+default-chain $3} >/dev/null || return
	[[ $1 == generic ]] || return 0
	busywait $((3000 * TIME_SCALE)) eval '[[ $(seg_exits_attached) -eq 2 ]]' ||
		diag "segmenters not ready: $(segdevs)"
}
seg_exits_attached() {
	in_fab ip -j link show | jq '[.[] | select(.ifname | test("^nfvseg.*x$")) | select(.xdp.mode == 1)] | length'
}

# chains SID...: f0 -> SIDs -> f1 (chain 1), back in reverse (chain 2).
chains() {
	local fwd="" rev="" i
	for i in "$@"; do fwd+=" service $i"; done
	for ((i = $#; i >= 1; i--)); do rev+=" service ${!i}"; done
	nfvctl chain add 1 $fwd out f1 >/dev/null &&
	nfvctl chain add 2 $rev out f0 >/dev/null
}

reset() {
	local pid id
	for pid in "${NF_PID[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${NF_PID[@]}"; do wait "$pid" 2>/dev/null; done
	NF_PID=()
	nfvctl port del f0 >/dev/null 2>&1; nfvctl port del f1 >/dev/null 2>&1
	for id in $(nfvctl -j chain show | jq '.[].id'); do
		nfvctl chain del "$id" >/dev/null
	done
	busywait 3000 eval '[[ $(nfvctl -j nf show | jq length) -eq 0 ]]'
}

generic_keeps_peer_tso() {
	ports native
	check "native ports: s0 has lost TSO (an XDP program on f0 takes it: $(tso "$NS_SRC" s0))" \
		[ "$(tso "$NS_SRC" s0)" = off ]
	check "native ports: no segmenter ($(segdevs))" [ -z "$(segdevs)" ]
	ports generic
	local id0 id1 xdp
	id0=$(port_id f0); id1=$(port_id f1)
	check "generic ports: s0 keeps its TSO ($(tso "$NS_SRC" s0)), d0 too ($(tso "$NS_DST" d0))" \
		eval '[[ $(tso "$NS_SRC" s0) == on && $(tso "$NS_DST" d0) == on ]]'
	check "generic ports: a segmenter each (nfvseg$id0 nfvseg${id0}x nfvseg$id1 nfvseg${id1}x: $(segdevs))" \
		[ "$(segdevs)" = "$(printf '%s\n' nfvseg$id0 nfvseg${id0}x nfvseg$id1 nfvseg${id1}x | sort | xargs)" ]
	xdp=$(in_fab ip -j link show "nfvseg${id0}x" | jq -r '.[0].xdp.mode // "none"')
	# iproute2 says 1 for a program in native (driver) mode.
	check "the segmenter's exit has the classifier in native mode (mode $xdp), so its entry has no TSO ($(tso "$NS_FAB" nfvseg$id0))" \
		eval '[[ $xdp == 1 && $(tso "$NS_FAB" nfvseg$id0) == off ]]'
	reset
}

tcp_through_nfs_is_segmented() {
	ports generic
	start_nf a 1; start_nf b 2
	wait_replicas 1 1 && wait_replicas 2 1 && chains 1 2
	ports generic 1 2
	# The NFs get their sockets on the new ports a moment after the
	# ports have their chains: until then f0 counts a frame for them
	# no_socket.  A ping through both chains says they have them.
	busywait $((3000 * TIME_SCALE)) in_src ping -c 1 -W 1 -q 198.18.0.2 >/dev/null ||
		diag "no ping through the chains"
	local seg0 rx0 nosock0 out
	seg0=$(port_counter f0 segment); rx0=$(nf_rx b)
	nosock0=$(port_counter f0 no_socket)
	out=$(tcp_4mb)
	check "TCP: 4 MB from a stock peer (TSO on) arrive intact through 2 NFs ($out)" \
		[ "$out" = "received 4000000 bad 0" ]
	check "TCP: super-frames went to f0's segmenter ($(($(port_counter f0 segment) - seg0)))" \
		eval '[[ $(($(port_counter f0 segment) - seg0)) -gt 0 ]]'
	# 4 MB in frames of at most 1448 bytes of payload: 2763 or more.
	check "TCP: the NFs saw every byte, segmented (NF b: $(($(nf_rx b) - rx0)) frames)" \
		eval '[[ $(($(nf_rx b) - rx0)) -ge 2763 ]]'
	check "TCP: every segment found its NF's socket on the segmenter's queue (no_socket +$(($(port_counter f0 no_socket) - nosock0)))" \
		eval '[[ $(port_counter f0 no_socket) -eq $nosock0 ]]'
	reset
}

# tcp_4mb: 4 MB src -> dst over TCP; prints what the receiver says.
tcp_4mb() {
	in_dst "$TRAFFIC" tcp-recv 5001 $((20000 * TIME_SCALE)) >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 $((20 * TIME_SCALE)) "$TRAFFIC" tcp-send 198.18.0.2 5001 4000000 >/dev/null
	wait $rpid
	tail -1 "$RUNDIR/tcp.out"
}

# The same 3 NFs with --offload: once they have given their verdicts the
# flow goes port to port as 64 KB skbs, against three kernel routers in
# the same run (issue 14's target: 50%).  Best of 3 pairs each way:
# interference only lowers a throughput.  Native ports measure 36-64%
# (selftests/offload.sh); m225 (no segmenter, hence native-like TSO off)
# is not the point here, m226 (offload check skipped) fails this.
SEG_FLOOR=${NFV_SEG_FLOOR:-50}
offloaded_superframes_at_router_speed() {
	command -v iperf3 >/dev/null || { tap_skip "iperf3 through generic ports" "iperf3 missing"; return; }
	ports generic
	start_nf a 1 --offload; start_nf b 2 --offload; start_nf c 3 --offload
	wait_replicas 1 1 && wait_replicas 2 1 && wait_replicas 3 1
	chains 1 2 3
	ports generic 1 2
	kernel_routers || diag "the kernel routers did not come up"
	local dir
	for dir in forward reverse; do
		PAIR_PROBE="port_counter f0 offload" best_router_ratio "$dir" 80
		check "iperf3 $dir through 3 offloading NFs, generic ports: >= $SEG_FLOOR% of three kernel routers in the same run (best $BEST_RATIO%)" \
			eval '[[ $BEST_RATIO -ge $SEG_FLOOR ]]'
	done
	reset
}

port_del_takes_the_segmenter() {
	ports generic
	local id0
	id0=$(port_id f0)
	nfvctl port del f0 >/dev/null
	check "port del f0: its segmenter is gone, f1's stays ($(segdevs))" \
		busywait 3000 eval '[[ "$(segdevs)" != *"nfvseg$id0 "* && "$(segdevs)" != *"nfvseg${id0}x"* && $(segdevs | wc -w) -eq 2 ]]'
	nfvctl port add f0 mode generic >/dev/null
	id0=$(port_id f0)
	check "port add f0 again: a segmenter again ($(segdevs))" \
		eval '[[ $(segdevs | wc -w) -eq 4 && "$(segdevs)" == *"nfvseg${id0}x"* ]]'
	local free0
	reset
	free0=$(frames_free)
	check "no frame lost with the segmenters' pools ($free0 free of $(nfvctl -j stats | jq '.frames.total'))" \
		busywait 5000 eval '[[ $(frames_free) -eq $(nfvctl -j stats | jq ".frames.total") ]]'
}

# kill -9 of nfvd leaves the pairs with the old classifier; the new nfvd
# (its state restores the ports) makes them anew, one pair a port, and
# its sweep of gone nfvds' classifiers leaves the new ones alone: with a
# heartbeat timeout shorter than the restore, they look gone (m229).
restart_remakes_the_segmenter() {
	ports generic
	start_nf a 1; start_nf b 2
	wait_replicas 1 1 && wait_replicas 2 1 && chains 1 2
	ports generic 1 2
	kill -9 "$NFVD_PID"; wait "$NFVD_PID" 2>/dev/null
	check "kill -9 of nfvd leaves its segmenters ($(segdevs))" \
		eval '[[ $(segdevs | wc -w) -eq 4 ]]'
	start_nfvd --fail-after 100
	check "the new nfvd is up with both NFs again" \
		busywait $((5000 * TIME_SCALE)) eval '[[ $(nfvctl -j nf show 2>/dev/null | jq "[.[] | select(.state == \"up\")] | length") -eq 2 ]]'
	check "one segmenter a port again, none left over ($(segdevs))" \
		eval '[[ $(segdevs | wc -w) -eq 4 ]]'
	check "the new segmenters' exits have the classifier ($(seg_exits_attached) of 2)" \
		eval '[[ $(seg_exits_attached) -eq 2 ]]'
	local seg0 out
	seg0=$(port_counter f0 segment)
	out=$(tcp_4mb)
	check "TCP: 4 MB intact through the NFs after the restart ($out), segmented ($(($(port_counter f0 segment) - seg0)))" \
		eval '[[ "$out" == "received 4000000 bad 0" && $(($(port_counter f0 segment) - seg0)) -gt 0 ]]'
	reset
}

echo "TAP version 13"
setup
for t in "${tests[@]}"; do
	diag "== $t"
	"$t"
done
diag "nfvd log:"
sed 's/^/#   /' "$RUNDIR/nfvd.log" | tail -20
echo "1..$_tap_n"
tap_exit
