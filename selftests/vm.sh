#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh: the kernel-module test suite, in one VM boot (tools/vm-run:
# Debian's kernel under qemu/TCG, this tree over 9p, kmod/nfv.ko loaded).
#
#   selftests/vm.sh              build what is missing, boot, run, report
#   NFV_KMOD_TESTS="a b" selftests/vm.sh   only these (names below)
#   NFV_FABRIC_KERNEL_TESTS, NFV_HOSTILE_TESTS: only these cases of
#   fabric_kernel, hostile_kernel (fabric.sh's, hostile.sh's names)
#
# TAP 13 out: one line per suite (its own TAP indented as comments), then
# a check of the kernel log.  Exit 0 when all pass, 4 when the VM cannot
# run here at all (no /boot image, no qemu: a skip ksft-wrap fails, since
# tools/install-deps --vm installs them), 1 otherwise.
#
# Host side: make kmod and everything else, unpack the YNL CLI from
# linux-source-6.12 into build/ynl.  VM side (--inside): run the suites.
set -u
cd "$(dirname "$0")/.."

ksft_skip=4
SUITES=${NFV_KMOD_TESTS:-"kmod_netlink kmod_ynl backends_diff fabric_kernel hostile_kernel hostile_control_kernel monitor_kernel save_kernel nsh_kernel segment_kernel kmod_reload"}

# backends_diff: selftests/backends/commands through nfvd (module-less)
# and through nfv.ko, compared command by command; the daemon half is
# also compared with the host's nfvd, recorded here before the boot.
BACKENDS_REF=build/vm/backends-daemon-host

# fabric_kernel: issue A's traffic scenarios (selftests/fabric.sh) with
# nfv.ko writing the tables, nfvctl -b kernel, nfvd serving the module's
# ports and NFs.  TCG runs them about 5 times slower than the host: time
# windows and limits are scaled (lib.sh), bytes and counts are not.
FABRIC_KERNEL_TESTS=${NFV_FABRIC_KERNEL_TESTS:-"one_nf_chain three_nf_chain tcp_through_chain
	iperf3_both_ways ipv6_through_chain flow_overrides_default
	unconfigured_passes replicas_symmetric replica_killed_under_traffic
	nf_override_actions malformed_frames tap_hop readonly_enforced
	bad_nfvctl_changes_nothing kernel_lifecycle kernel_nfvd_restart
	readonly_transmits_through_nfvd tx_sockets_follow_chains
	flow_idle_timeout"}

# hostile_kernel, hostile_control_kernel: every hostile-NF attack
# (selftests/hostile.sh) and every hostile client (hostile_control.sh)
# against nfvd serving nfv.ko's ports and NFs.
# monitor_kernel: nfvctl -b kernel monitor (selftests/monitor.sh) on the
# module's "events" group.
# save_kernel: nfvctl -b kernel save of every kind of object, applied
# again with -batch (selftests/save.sh); nfvd --config leaves nfv.ko's
# configuration alone.
# nsh_kernel: the two-host NSH chains (selftests/nsh.sh), each host's
# tables in nfv.ko (a fabric per network namespace), each host's nfvd
# serving its ports and NFs.
# segment_kernel: generic ports of nfv.ko and the segmenters nfvd gives
# them (selftests/segment.sh, but for its throughput and restart cases).

suite_cmd() {
	case $1 in
	kmod_netlink)	echo build/selftests/kmod_netlink ;;
	kmod_ynl)	echo selftests/kmod_ynl.sh ;;
	kmod_reload)	echo selftests/kmod_reload.sh ;;
	backends_diff)	if [[ -d $BACKENDS_REF ]]; then
				echo env NFV_BACKENDS_REF=$BACKENDS_REF \
				     selftests/backends_diff.sh
			else
				echo selftests/backends_diff.sh
			fi ;;
	fabric_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     NFV_IPERF_PCT=${NFV_IPERF_PCT:-5} \
			     selftests/fabric.sh $FABRIC_KERNEL_TESTS ;;
	hostile_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/hostile.sh ${NFV_HOSTILE_TESTS:-} ;;
	hostile_control_kernel)
			echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/hostile_control.sh ;;
	monitor_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/monitor.sh ;;
	save_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/save.sh ;;
	nsh_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/nsh.sh ;;
	segment_kernel)	echo env NFV_BACKEND=kernel \
			     NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
			     selftests/segment.sh generic_keeps_peer_tso \
			     tcp_through_nfs_is_segmented \
			     port_del_takes_the_segmenter ;;
	*)		echo "$1" ;;
	esac
}

# Seconds a suite may take under TCG: about 3 times what it does.
suite_limit() {
	case $1 in
	fabric_kernel|hostile_kernel)	echo 1200 ;;
	hostile_control_kernel|kmod_netlink|kmod_ynl|backends_diff|nsh_kernel)
					echo 600 ;;
	*)				echo 300 ;;
	esac
}

inside() {
	local i=0 fail=0 name rc start
	local dmesg0 tap

	tap=$(mktemp)

	# The host's results file (vm-run passes NFV_*) is not ours to write.
	unset NFV_RESULTS

	dmesg0=$(dmesg | wc -l)
	echo "TAP version 13"
	set -- $SUITES
	echo "1..$(($# + 1))"
	for name; do
		i=$((i + 1))
		start=$(date +%s)
		echo "# == $name (limit $(suite_limit "$name") s)"
		# ksft-wrap: a time limit per suite (a hang is "not ok ...
		# timed out", not the whole VM's timeout), and a skip without
		# a legitimate reason fails here as on the host.  Its TAP is
		# shown as it comes, so a VM killed midway says where it was.
		selftests/ksft-wrap -t "$(suite_limit "$name")" \
			$(suite_cmd "$name") 2>&1 | tee "$tap" |
			sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
		if [[ $rc -eq 0 ]]; then
			echo "ok $i - $name ($(( $(date +%s) - start )) s)"
		else
			# The failed points in the line itself: the host's
			# summary (and CI's) shows this line, not the log.
			echo "not ok $i - $name (exit $rc)$(grep -E '^not ok' \
				"$tap" | head -3 | sed 's/^/; /' |
				tr -d '\n')"
			fail=$((fail + 1))
		fi
	done
	i=$((i + 1))
	if dmesg | tail -n +$((dmesg0 + 1)) |
	   grep -E 'BUG:|WARNING:|Oops|general protection|Objects remaining|refcount_t'; then
		echo "not ok $i - kernel log clean"
		fail=$((fail + 1))
	else
		echo "ok $i - kernel log clean"
	fi
	rm -f "$tap"
	[[ $fail -eq 0 ]]
}

if [[ ${1:-} == --inside ]]; then
	inside
	exit
fi

# ---- host side ------------------------------------------------------------
skip() { echo "TAP version 13"; echo "1..0 # SKIP $*"; exit $ksft_skip; }

[[ $(id -u) -eq 0 ]] || skip "needs root (qemu, apt-get)"
log=build/vm/suite-build.log
mkdir -p build/vm
# qemu, Debian's kernel image and headers, busybox, dwarves, kmod...
[[ -x tools/install-deps ]] && tools/install-deps --vm >"$log" 2>&1
kver=$(tools/vm/kver)
[[ -n $kver ]] || skip "no -amd64 kernel installed (tools/vm-run installs one)"

# The module, the selftests, nfvd, nfvctl and the NFs (fabric_kernel).
if ! { make -s kmod && make -s all; } >>"$log" 2>&1; then
	echo "TAP version 13"
	echo "1..1"
	sed 's/^/# /' "$log" | tail -30
	echo "not ok 1 - build nfv.ko and the selftests"
	exit 1
fi

# The YNL CLI (GPL kernel code): taken from linux-source-6.12 when needed.
if [[ ! -f build/ynl/tools/net/ynl/cli.py ]]; then
	tar=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -1)
	if [[ -z $tar ]]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends linux-source-6.12 python3-yaml \
			python3-jsonschema >>"$log" 2>&1
		tar=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -1)
	fi
	if [[ -n $tar ]]; then
		mkdir -p build/ynl
		tar -xf "$tar" -C build/ynl --strip-components=1 --wildcards \
			'linux-source-*/tools/net/ynl/cli.py' \
			'linux-source-*/tools/net/ynl/lib/*.py' \
			'linux-source-*/Documentation/netlink/genetlink*.yaml' \
			>>"$log" 2>&1
	fi
fi

# The host's nfvd through the differential test's command list: the VM
# compares its own daemon transcript with this one.
rm -rf "$BACKENDS_REF"
if [[ " $SUITES " == *" backends_diff "* ]] &&
   ! selftests/backends_diff.sh --record daemon "$BACKENDS_REF" >>"$log" 2>&1; then
	echo "# backends_diff: recording the host's nfvd failed (see $log)" >&2
	rm -rf "$BACKENDS_REF"
fi

# The whole VM's limit, a backstop: each suite has its own (ksft-wrap,
# suite_limit), and together they take 23-26 min under TCG here (a CI
# machine a seventh slower than this one crossed the old 1500 s).
tools/vm-run -t "${NFV_VM_TIMEOUT:-2400}" selftests/vm.sh --inside
rc=$?
# 124 is vm-run's timeout (it said so); ksft-wrap would read it as its own.
[[ $rc -eq 124 ]] && exit 1
exit "$rc"
