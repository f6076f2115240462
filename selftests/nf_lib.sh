# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the NF selftests (selftests/nf_<name>.sh), on top of lib.sh:
# the fabric with both ports, bidirectional chains, NF counters read
# through SIGUSR1.
#
#   ns src            ns fabric (nfvd, XDP on f0 f1)            ns dst
#   s0 198.18.0.1 --- f0 ==[ chain 1: SIDS... -> out f1 ]==> f1 --- d0 198.18.0.2
#                        <==[ chain 2: SIDS reversed -> out f0 ]==

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# nf_require NF...: skip the whole script unless these are built.
nf_require() {
	local b
	require_root
	for b in nfvd nfvctl "$@"; do
		[[ -x $BIN/$b ]] || { echo "1..0 # SKIP $BIN/$b not built"; exit $ksft_skip; }
	done
	[[ -x $TRAFFIC ]] || { echo "1..0 # SKIP $TRAFFIC not built"; exit $ksft_skip; }
	[[ -f $NFV_BPF_OBJ ]] || { echo "1..0 # SKIP $NFV_BPF_OBJ not built"; exit $ksft_skip; }
}

nf_setup_fabric() {	# nf_setup_fabric [NFVD_ARGS...]
	setup_topology
	start_nfvd "$@" || { diag "nfvd did not start"; sed 's/^/# /' "$RUNDIR/nfvd.log"; exit 1; }
	nfvctl port add f1 >/dev/null || exit 1
	nfvctl port add f0 >/dev/null || exit 1
}

# nf_chains SID...: chain 1 f0 -> SIDS -> f1, chain 2 f1 -> reversed -> f0,
# as the ports' default chains.
nf_chains() {
	local fwd="" rev="" i
	for i in "$@"; do
		fwd+=" service $i"
	done
	for ((i = $#; i >= 1; i--)); do
		rev+=" service ${!i}"
	done
	nfvctl chain add 1 $fwd out f1 >/dev/null &&
	nfvctl chain add 2 $rev out f0 >/dev/null &&
	nfvctl port del f0 >/dev/null && nfvctl port add f0 default-chain 1 >/dev/null &&
	nfvctl port del f1 >/dev/null && nfvctl port add f1 default-chain 2 >/dev/null
}

# Stop every NF started so far; keep the fabric.
nf_stop_all() {
	local pid
	for pid in "${NF_PID[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${NF_PID[@]}"; do
		wait "$pid" 2>/dev/null
	done
	NF_PID=()
}

# nf_json NAME: SIGUSR1 to the NF, print the JSON line it writes to its log
# (stdout) in answer.
nf_json() {
	local name=$1 log=$RUNDIR/$1.log n
	n=$(grep -c '^{' "$log")
	kill -USR1 "${NF_PID[$name]}"
	busywait 2000 eval "[[ \$(grep -c '^{' '$log') -gt $n ]]" || return 1
	grep '^{' "$log" | tail -1
}

nf_rx() {	# nf_rx NAME: frames the NF received (nfvd's count)
	nfvctl -j nf show | jq ".[] | select(.name == \"$1\") | .rx"
}
