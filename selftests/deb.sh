#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh: the Debian packages (make check-deb).  Issue 15: what
# dpkg-buildpackage builds from this tree installs, builds nfv.ko with
# DKMS, loads it and carries traffic, and leaves nothing behind.
#
# Host: tools/build-deb (the packages into build/deb), then what each
# package holds (dpkg-deb), the version, lintian.  VM (tools/vm-run, the
# host's / under a tmpfs overlay, so dpkg changes nothing here; nfv.ko of
# the tree not loaded): dpkg -i, DKMS's build for the VM's kernel,
# modprobe nfv, the installed programs (--version, units, group, a
# program built with libnfv-dev), tools/demo-chain.sh on nfv.ko with the
# installed nfvd, nfvctl and NFs, then dpkg --purge and what is left.
#
# TAP 13 out: the host's checks, then the VM's, numbered on.  Exit 0 when
# all pass, 1 otherwise.
#
#   selftests/deb.sh                 build, check, boot, install, run
#   selftests/deb.sh --inside DIR    the VM's part (vm-run runs it)
set -u
source "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

VERSION=$(sed -n 's/^VERSION\t:= //p' Makefile)
ARCH=$(dpkg --print-architecture)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
PKGS=(nfv libnfv0 libnfv-dev nfv-dkms)
DEBS=("nfv_${VERSION}_$ARCH.deb" "libnfv0_${VERSION}_$ARCH.deb"
      "libnfv-dev_${VERSION}_$ARCH.deb" "nfv-dkms_${VERSION}_all.deb")

# content DEB: the paths a package holds, one a line, without "./".
content() { dpkg-deb -c "$1" | awk '{print substr($6, 3)}' | sed 's|/$||'; }
# has DEB PATH...: every PATH is in DEB.
has() {
	local deb=$1 p list
	shift
	list=$(content "$deb")
	for p; do
		grep -qxF "$p" <<<"$list" || { echo "$deb lacks $p"; return 1; }
	done
}
# lacks DEB REGEX: no path of DEB matches REGEX.
lacks() { ! content "$1" | grep -E "$2"; }

debs_built() {
	local d
	for d in "${DEBS[@]}"; do
		[[ -s $out/$d ]] || { echo "no $out/$d"; return 1; }
	done
}
pkgs_installed() {
	local p
	for p in "${PKGS[@]}"; do
		[[ $(dpkg-query -W -f='${Status} ${Version}' "$p") == "install ok installed $VERSION" ]] ||
			{ dpkg-query -W -f="$p: \${Status} \${Version}\n" "$p"; return 1; }
	done
}
pkgs_gone() {
	local p
	for p in "${PKGS[@]}"; do
		if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q .; then
			echo "$p still known to dpkg"
			return 1
		fi
	done
}
# listed_and_there LIST PATH...: each PATH is a line of LIST and exists.
listed_and_there() {
	local list=$1 f
	shift
	for f; do
		grep -qxF "$f" <<<"$list" && [[ -e $f ]] || { echo "missing $f"; return 1; }
	done
}

# ---- the VM's part ---------------------------------------------------------
inside() {
	local dir=$1 kver out files leftover f rc
	kver=$(uname -r)
	export DEBIAN_FRONTEND=noninteractive
	cd "$dir" || exit 1
	echo "TAP version 13"

	dpkg -i "${DEBS[@]}" >"$RUNDIR/dpkg-i.log" 2>&1
	rc=$?
	check "dpkg -i ${PKGS[*]}: dependencies met by the host's system" \
		eval '[[ $rc -eq 0 ]] || { tail -n 20 "$RUNDIR/dpkg-i.log"; false; }'
	check "all four installed, version $VERSION" pkgs_installed
	files=$(dpkg -L "${PKGS[@]}")
	check "dpkg -L: nfvd in /usr/sbin, nfvctl and the NFs in /usr/bin, the classifier and test tools in /usr/lib/nfv" \
		listed_and_there "$files" /usr/sbin/nfvd /usr/bin/nfvctl /usr/bin/nfv-firewall \
			/usr/bin/nfv-nat /usr/bin/nfv-ids /usr/bin/nfv-run \
			/usr/lib/nfv/nfv_xdp.bpf.o /usr/lib/nfv/nfv-pktgen \
			/usr/lib/"$MA"/libnfv.so.0 /usr/lib/"$MA"/pkgconfig/nfv.pc \
			/usr/src/nfv-"$VERSION"/dkms.conf /lib/systemd/system/nfvd.socket

	check "DKMS built and installed nfv/$VERSION for the running kernel $kver" \
		eval '[[ $(dkms status -m nfv -v "$VERSION" -k "$kver") == "nfv/$VERSION, $kver, "*": installed"* ]] ||
			{ dkms status; tail -n 20 /var/lib/dkms/nfv/$VERSION/build/make.log; false; }'
	check "modinfo: nfv.ko is DKMS's (updates/dkms), built for $kver" \
		eval '[[ $(modinfo -n nfv) == /lib/modules/$kver/updates/dkms/nfv.ko* &&
			 $(modinfo -F vermagic nfv) == "$kver "* ]] || modinfo nfv'
	modprobe nfv >"$RUNDIR/modprobe.log" 2>&1
	rc=$?
	check "modprobe nfv loads it" eval '[[ $rc -eq 0 && -d /sys/module/nfv ]] ||
		{ cat "$RUNDIR/modprobe.log"; dmesg | tail -n 5; false; }'
	check "the module answers: nfvctl -b kernel port show" \
		eval '[[ $(/usr/bin/nfvctl -b kernel -j port show) == "[]" ]]'

	out=$(/usr/sbin/nfvd --version 2>&1)
	check "installed nfvd --version says $VERSION ($out)" eval '[[ $out == "nfvd (nfv) $VERSION"* ]]'
	out=$(/usr/bin/nfvctl --version 2>&1)
	check "installed nfvctl --version says $VERSION ($out)" eval '[[ $out == *" $VERSION"* ]]'
	check "the nfv group exists (nfvd.socket's SocketGroup)" getent group nfv
	check "nfvd.socket and nfvd.service enabled" \
		eval '[[ -L /etc/systemd/system/sockets.target.wants/nfvd.socket &&
			 -L /etc/systemd/system/multi-user.target.wants/nfvd.service ]]'
	check "systemd-analyze verify of the installed units" \
		systemd-analyze verify /lib/systemd/system/nfvd.socket /lib/systemd/system/nfvd.service
	check "nfvd.service starts the installed nfvd" \
		grep -q '^ExecStart=/usr/sbin/nfvd ' /lib/systemd/system/nfvd.service

	# libnfv-dev: an NF built from the installed headers, nfv.pc and
	# library (no source tree), run against libnfv.so.0.
	cat >"$RUNDIR/nf.c" <<-'EOF'
		#include <stdio.h>
		#include <nfv/libnfv.h>
		int main(void)
		{
			char buf[128];

			nfv_strerror(0, buf, sizeof(buf));
			printf("%s\n", buf);
			return 0;
		}
	EOF
	check "libnfv-dev: cc \$(pkg-config --cflags --libs nfv) builds an NF linked to libnfv.so.0" eval '
		cc -o "$RUNDIR/nf" "$RUNDIR/nf.c" $(pkg-config --cflags --libs nfv) &&
		"$RUNDIR/nf" >/dev/null &&
		ldd "$RUNDIR/nf" | grep -Eq "libnfv\.so\.0 => (/usr)?/lib/$MA/libnfv\.so\.0" ||
		{ ldd "$RUNDIR/nf"; false; }'

	# Why the demo failed, in the 20 lines check() shows: its failed
	# checks, what each NF received, sent and dropped, the fabric's
	# counters, the traffic's own lines.
	demo_why() {
		sed "s/\x1b\[[0-9;]*m//g" "$1" | awk '
			/FAIL/ || /^(udp|tcp) [0-9]+ \(/ || /^\{"backend"/ { print; next }
			/^# nfvctl -j nf show/ { nf = 1; print; next }
			/^#/ { nf = 0 }
			nf' | cut -c1-300 | head -n 20
	}

	# The demo on nfv.ko with the installed programs: traffic delivered
	# and every NF's counters as they must be (demo-chain.sh's checks).
	NFV_BIN=/usr/bin NFV_NFVD=/usr/sbin/nfvd \
		NFV_BPF_OBJ=/usr/lib/nfv/nfv_xdp.bpf.o NFV_BACKEND=kernel \
		NFV_TIME_SCALE=${NFV_TIME_SCALE:-5} \
		"$TOP"/tools/demo-chain.sh >"$RUNDIR/demo.log" 2>&1
	rc=$?
	check "demo chain (firewall, tap ids, nat) on nfv.ko with the installed programs: all checks passed" \
		eval '[[ $rc -eq 0 ]] && grep -q "^demo-chain: all checks passed" "$RUNDIR/demo.log" ||
			{ demo_why "$RUNDIR/demo.log"; false; }'
	check "demo chain: 2000 UDP datagrams and 2000000 TCP bytes delivered through the chain" \
		eval 'sed "s/\x1b\[[0-9;]*m//g" "$RUNDIR/demo.log" >"$RUNDIR/demo.txt" &&
		      grep -q "^  ok  *udp 9000: all 2000 datagrams" "$RUNDIR/demo.txt" &&
		      grep -q "^  ok  *tcp 9003: 2000000 bytes delivered intact" "$RUNDIR/demo.txt"'
	check "demo chain: the fabric was nfv.ko's (nfvctl stats: backend kernel)" \
		grep -q '^{"backend":"kernel"' "$RUNDIR/demo.log"
	sed 's/^/    /' "$RUNDIR/demo.log" | grep -E 'ok|FAIL' | head -n 40 | sed 's/^/# /'

	# Purge: the packages, their files, DKMS's module and tree, the unit
	# links, nfvd's state.  A state file as nfvd leaves it.
	mkdir -p /var/lib/nfv && echo '{}' >/var/lib/nfv/state.json
	modprobe -r nfv
	dpkg --purge "${PKGS[@]}" >"$RUNDIR/dpkg-purge.log" 2>&1
	rc=$?
	check "dpkg --purge ${PKGS[*]}" eval '[[ $rc -eq 0 ]] || { tail -n 20 "$RUNDIR/dpkg-purge.log"; false; }'
	check "dpkg knows none of them any more" pkgs_gone
	leftover=
	while IFS= read -r f; do
		[[ -e $f && ! -d $f ]] && leftover+=" $f"
	done <<<"$files"
	for f in /usr/src/nfv-"$VERSION" /var/lib/dkms/nfv /usr/lib/nfv /usr/include/nfv \
		 /var/lib/nfv /lib/modules/"$kver"/updates/dkms/nfv.ko* \
		 /etc/systemd/system/*/nfvd.*; do
		[[ -e $f || -L $f ]] && leftover+=" $f"
	done
	check "purge leaves nothing (files, DKMS tree and module, unit links, /var/lib/nfv)${leftover:+:$leftover}" \
		[ -z "$leftover" ]
	echo "1..$_tap_n"
	tap_exit
}

if [[ ${1:-} == --inside ]]; then
	inside "$2"
fi

# ---- the host's part -------------------------------------------------------
out=build/deb
echo "TAP version 13"
tools/build-deb "$out" >"$RUNDIR/build-deb.log" 2>&1
rc=$?
check "dpkg-buildpackage -us -uc -b builds ${PKGS[*]} (tools/build-deb)" eval '
	[[ $rc -eq 0 ]] || { tail -n 20 "$RUNDIR/build-deb.log"; false; }'
check "the four packages in $out" debs_built
check "the packages' version is the Makefile's ($VERSION: debian/changelog)" \
	eval '[[ $(dpkg-parsechangelog -S Version) == "$VERSION" ]]'
cd "$out" || exit 1
check "nfv: nfvd in sbin, nfvctl, NFs, nfv-run in bin, units, man pages, completion" \
	has "${DEBS[0]}" usr/sbin/nfvd usr/bin/nfvctl usr/bin/nfv-firewall usr/bin/nfv-run \
	lib/systemd/system/nfvd.service lib/systemd/system/nfvd.socket \
	usr/share/man/man8/nfvd.8.gz usr/share/bash-completion/completions/nfvctl \
	usr/lib/sysusers.d/nfv.conf
check "nfv: the BPF objects and test tools in /usr/lib/nfv, none of them in PATH" eval '
	has "${DEBS[0]}" usr/lib/nfv/nfv_xdp.bpf.o usr/lib/nfv/nfv-pktgen usr/lib/nfv/nfv-xskbench &&
	lacks "${DEBS[0]}" "^usr/s?bin/(nfv-pktgen|nfv-xskbench|nfv-bench)$"'
check "libnfv0: libnfv.so.0 in /usr/lib/$MA and nothing else to link against" eval '
	has "${DEBS[1]}" usr/lib/$MA/libnfv.so.0 && lacks "${DEBS[1]}" "\.(a|h|pc)$|libnfv\.so$"'
check "libnfv0: its shlibs name libnfv0 (symbols from libnfv.map)" eval '
	dpkg-deb --ctrl-tarfile "${DEBS[1]}" | tar -xOf - ./symbols | grep -q "^ nfv_flow_offload@LIBNFV_0.3 "'
check "libnfv-dev: headers, libnfv.so link, libnfv.a, nfv.pc, libnfv(3)" \
	has "${DEBS[2]}" usr/include/nfv/libnfv.h usr/include/linux/nfv.h \
	usr/lib/$MA/libnfv.so usr/lib/$MA/libnfv.a usr/lib/$MA/pkgconfig/nfv.pc \
	usr/share/man/man3/libnfv.3.gz
pc=$(dpkg-deb --fsys-tarfile "${DEBS[2]}" | tar -xOf - ./usr/lib/$MA/pkgconfig/nfv.pc)
check "libnfv-dev: nfv.pc names /usr and the multiarch libdir" \
	eval '[[ $pc == *"prefix=/usr"* && $pc == *"libdir=/usr/lib/$MA"* && $pc == *"Version: $VERSION"* ]] || echo "$pc"'
check "nfv-dkms: the module's sources, uapi headers and dkms.conf of version $VERSION" eval '
	has "${DEBS[3]}" usr/src/nfv-$VERSION/Kbuild usr/src/nfv-$VERSION/main.c \
		usr/src/nfv-$VERSION/generated/netlink.c usr/src/nfv-$VERSION/uapi/linux/nfv.h &&
	[[ $(dpkg-deb --fsys-tarfile "${DEBS[3]}" | tar -xOf - ./usr/src/nfv-$VERSION/dkms.conf |
	     sed -n "s/^PACKAGE_VERSION=//p") == "\"$VERSION\"" ]] &&
	lacks "${DEBS[3]}" "\.(o|ko|mod\.c|cmd)$"'
check "nfv, libnfv0: runtime dependencies from shlibs (libbpf1, libxdp1, libmnl0)" eval '
	d=$(dpkg-deb -f "${DEBS[0]}" Depends); [[ $d == *libbpf1* && $d == *libxdp1* && $d == *libmnl0* ]] ||
		{ echo "$d"; false; }'
if command -v lintian >/dev/null; then
	lintian --fail-on error \
		./*.changes >"$RUNDIR/lintian.log" 2>&1
	rc=$?
	check "lintian: no errors" eval '[[ $rc -eq 0 ]] || { cat "$RUNDIR/lintian.log"; false; }'
	diag "lintian: $(grep -c '^[WI]:' "$RUNDIR/lintian.log") warnings/infos:"
	sed 's/^/#   /' "$RUNDIR/lintian.log"
else
	check "lintian installed (tools/install-deps --pkg)" false
fi
cd "$TOP" || exit 1

# Packages that fail here are not worth a VM boot.
if [[ $_tap_fail -gt 0 ]]; then
	diag "the packages failed $_tap_fail check(s): not installed in the VM"
	echo "1..$_tap_n"
	tap_exit
fi

# The VM: its TAP points join ours, numbered on.  It must report all
# of them: a VM that stops early is a failure, not fewer checks.
VM_CHECKS=20
n_before=$_tap_n
start=$(date +%s)
NFV_VM_NOKMOD=1 tools/vm-run -t "${NFV_DEB_VM_TIMEOUT:-1500}" \
	selftests/deb.sh --inside "$TOP/$out" >"$RUNDIR/vm.out" 2>"$RUNDIR/vm.err"
vrc=$?
vm_plan=
while IFS= read -r line; do
	if [[ $line =~ ^(not\ )?ok\ [0-9]+\ -\ (.*)$ ]]; then
		tap_ok "$([[ -z ${BASH_REMATCH[1]} ]]; echo $?)" "vm: ${BASH_REMATCH[2]}"
	elif [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
		vm_plan=${BASH_REMATCH[1]}
	elif [[ $line != "TAP version 13" ]]; then
		echo "$line"
	fi
done <"$RUNDIR/vm.out"
diag "vm: $(($(date +%s) - start)) s, vm-run status $vrc"
check "the VM ran its checks to the end (plan ${vm_plan:-none}, $((_tap_n - n_before)) results, vm-run status $vrc)" \
	eval '[[ $vrc -eq 0 || $vrc -eq 1 ]] && [[ $vm_plan == "$VM_CHECKS" && $vm_plan -eq $((_tap_n - n_before)) ]] ||
		tail -n 20 "$RUNDIR/vm.err"'
echo "1..$_tap_n"
tap_exit
