#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install lays nfv out as the FHS has it, for the PREFIX given (nfvd
# in sbin, test tools out of PATH, nfv.pc and the unit naming the real
# paths), the installed programs find their BPF objects, and make
# uninstall removes every file it put.

source "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
echo "TAP version 13"
dest=$RUNDIR/dest
make -s -o all install DESTDIR="$dest" PREFIX=/opt/nfvx >"$RUNDIR/install.out" 2>&1
check "make install PREFIX=/opt/nfvx succeeds" [ $? -eq 0 ]
p=$dest/opt/nfvx
check "nfvd in sbin, not in bin" eval '[[ -x $p/sbin/nfvd && ! -e $p/bin/nfvd ]]'
check "nfvctl, the NFs and nfv-run in bin" \
	eval '[[ -x $p/bin/nfvctl && -x $p/bin/nfv-forward && -x $p/bin/nfv-firewall && -x $p/bin/nfv-run ]]'
check "test tools out of PATH (lib/nfv), nfv-bench not installed" \
	eval '[[ -x $p/lib/nfv/nfv-pktgen && -x $p/lib/nfv/nfv-xskbench && ! -e $p/bin/nfv-pktgen && ! -e $p/bin/nfv-xskbench && -z $(find "$dest" -name nfv-bench) ]]'
check "nfv.pc is for the PREFIX installed to" \
	eval '[[ $(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --variable=prefix nfv) == /opt/nfvx && $(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --modversion nfv) == $(sed -n "s/^VERSION\t:= //p" Makefile) ]]'
check "nfv.pc's libdir holds libnfv (LIBDIR, default PREFIX/lib)" \
	eval '[[ $(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --variable=libdir nfv) == /opt/nfvx/lib && -e $p/lib/libnfv.so.0 && -L $p/lib/libnfv.so ]]'
check "nfvd.service starts the nfvd installed, with the site's NFVD_OPTS" \
	eval 'grep -qx "ExecStart=/opt/nfvx/sbin/nfvd --socket /run/nfv/nfvd.sock --socket-group nfv \$NFVD_OPTS" "$p/lib/systemd/system/nfvd.service" &&
	      grep -qx "EnvironmentFile=-/etc/default/nfvd" "$p/lib/systemd/system/nfvd.service"'
# Every installed program says its version, the Makefile's, the same way.
ver=$(sed -n "s/^VERSION\t:= //p" Makefile)
bad=
for b in "$p"/sbin/* "$p"/bin/* "$p"/lib/nfv/*; do
	[[ -x $b && ! -d $b ]] || continue
	n=$(basename "$b")
	[[ $("$b" --version 2>/dev/null | head -1) == "$n (nfv) $ver"* ]] || bad+=" $n"
done
check "every installed program answers --version with $ver${bad:+ (not:$bad)}" \
	eval '[[ -z $bad && $(ls "$p"/sbin "$p"/bin "$p"/lib/nfv | wc -l) -ge 15 ]]'
ip netns add "$NS_SRC" && defer ip netns del "$NS_SRC"
# The installed nfvd, without --bpf: it must find its classifier.
ip netns exec "$NS_SRC" "$p/sbin/nfvd" --socket "$RUNDIR/i.sock" --state none \
	>"$RUNDIR/nfvd.log" 2>&1 &
ipid=$!
defer "kill $ipid"
busywait 10000 test -S "$RUNDIR/i.sock"
check "the installed nfvd finds its classifier (../lib/nfv) and serves" \
	eval '[[ $("$p/bin/nfvctl" -s "$RUNDIR/i.sock" -j stats | jq .frames.total) -gt 0 ]]'
kill $ipid; wait $ipid 2>/dev/null
# The installed generator loads its own BPF object from beside it.
ip -n "$NS_SRC" link add s0 type veth peer name s1
ip -n "$NS_SRC" link set s0 up; ip -n "$NS_SRC" link set s1 up
out=$(cd / && ip netns exec "$NS_SRC" "$p/lib/nfv/nfv-pktgen" gen -i s0 --dst-mac 02:00:00:00:00:02 -n 10 -j 2>&1)
check "the installed nfv-pktgen loads its BPF object ($out)" eval '[[ $(jq .sent <<<"$out" 2>/dev/null) -eq 10 ]]'
make -s uninstall DESTDIR="$dest" PREFIX=/opt/nfvx >>"$RUNDIR/install.out" 2>&1
left=$(find "$dest" -type f -o -type l)
check "make uninstall removes every file${left:+ (left: $left)}" [ -z "$left" ]
echo "1..$_tap_n"
tap_exit
