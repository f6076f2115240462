#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reject.* matrix of kmod_netlink against nfvd instead of nfv.ko: the
# same generic netlink messages on nfvd's unix socket, one nfvd per test
# (module-less, in the test's own netns).  Runs on the host; the VM suite
# (selftests/vm.sh) runs kmod_netlink against nfv.ko.
cd "$(dirname "$0")/.." || exit 1
if [[ $(id -u) -ne 0 ]]; then
	echo "TAP version 13"
	echo "1..0 # SKIP needs root (network namespaces, nfvd)"
	exit 4
fi
NFV_BACKEND=daemon exec build/selftests/kmod_netlink "$@"
