#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the nfv selftests and aggregate their TAP with prove.
#   selftests/run.sh            host tests (C, then scripts)
#   selftests/run.sh --vm       also the kernel-module suite in a VM
#   NFV_TESTS="a b" selftests/run.sh   only these
#
# A test that skips entirely exits 4 (kselftest convention); prove is told
# that is a pass-with-skip, anything else non-zero is a failure.
set -u
cd "$(dirname "$0")/.."

vm=0
[[ ${1:-} == --vm ]] && vm=1

tests=()
if [[ -n ${NFV_TESTS:-} ]]; then
	read -ra tests <<<"$NFV_TESTS"
else
	for t in build/selftests/*; do
		[[ -x $t && $t != */traffic && $t != *_helper ]] && tests+=("$t")
	done
	tests+=(selftests/uapi_spec.sh selftests/fabric.sh selftests/access.sh selftests/hostile.sh
		selftests/hostile_control.sh selftests/restart.sh
		selftests/decap.sh)
	# One script per NF (nf_lib.sh is their shared library).
	for t in selftests/nf_*.sh; do
		[[ $t != */nf_lib.sh && -x $t ]] && tests+=("$t")
	done
	[[ -x selftests/containers.sh ]] && tests+=(selftests/containers.sh)
	tests+=(selftests/bench_smoke.sh)
	[[ $vm -eq 1 ]] && tests+=(selftests/vm.sh)
fi

# Issue E: at least 1M random and mutated frames through the classifier.
export NFV_FUZZ_FRAMES=${NFV_FUZZ_FRAMES:-1000000}

exec prove -v --exec selftests/ksft-wrap "${tests[@]}"
