#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the nfv selftests and aggregate their TAP with prove.
#   selftests/run.sh            host tests (C, then scripts)
#   selftests/run.sh --vm       also the kernel-module suite in a VM
#   NFV_TESTS="a b" selftests/run.sh   only these
# (selftests/deb.sh, the Debian packages in a VM, is make check-deb's:
# NFV_TESTS=selftests/deb.sh.)
#
# Each test runs under selftests/ksft-wrap: a time limit per test, and
# only skips whose reason starts "legit:" pass (see there).  At the end a
# summary line counts TAP points (a test skipped whole is one point):
#   N passed, N failed, N skipped
# and names the skipped ones.  Exit non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."

vm=0
[[ ${1:-} == --vm ]] && vm=1

tests=()
if [[ -n ${NFV_TESTS:-} ]]; then
	read -ra tests <<<"$NFV_TESTS"
else
	for t in build/selftests/*; do
		# kmod_netlink is nfv.ko's, run in the VM by vm.sh: on the
		# host it would only ever skip.
		[[ -x $t && $t != */traffic && $t != *_helper &&
		   $t != */kmod_netlink ]] && tests+=("$t")
	done
	# kmod_netlink's reject matrix against nfvd (its daemon run).
	tests+=(selftests/kmod_netlink_daemon.sh)
	tests+=(selftests/ynl_regen.sh selftests/man.sh selftests/pktgen.sh selftests/fabric.sh selftests/access.sh selftests/systemd.sh selftests/install.sh selftests/first_steps.sh selftests/hostile.sh
		selftests/hostile_control.sh selftests/offload.sh selftests/segment.sh selftests/monitor.sh selftests/restart.sh selftests/batch.sh selftests/save.sh selftests/top.sh
		selftests/decap.sh selftests/nsh.sh selftests/metrics.sh selftests/cni.sh)
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

results=$(mktemp /tmp/nfv-results.XXXXXX)
trap 'rm -f "$results"' EXIT
export NFV_RESULTS=$results
# The console formatter: the file one (stdout not a terminal) holds a
# test's lines until it ends, and a CI log cut short would lose them.
prove -v --formatter TAP::Formatter::Console --exec selftests/ksft-wrap "${tests[@]}"
rc=$?

npass=$(grep -c '^pass' "$results")
nfail=$(grep -c '^fail' "$results")
nskip=$(grep -c '^skip' "$results")
if [[ $nfail -gt 0 ]]; then
	echo "Failed:"
	awk -F'\t' '$1 == "fail" { print "  " $2 ": " $3 }
		     $1 == "diag" { sub(/^[^\t]*\t[^\t]*\t/, ""); print "      " $0 }' "$results"
fi
if [[ $nskip -gt 0 ]]; then
	echo "Skipped (legitimately, by their own account):"
	awk -F'\t' '$1 == "skip" { print "  " $2 ": " $3 }' "$results"
fi
echo "Summary, in TAP points (a test skipped whole is one):"
echo "$npass passed, $nfail failed, $nskip skipped"
[[ $rc -eq 0 && $nfail -eq 0 ]]
