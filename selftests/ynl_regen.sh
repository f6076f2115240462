#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ynl_regen: the netlink code generated from uapi/nfv.yaml is what is
# checked in, and the uapi names nfv always had are still there.
#
#  1. tools/ynl-regen (the kernel's ynl-gen-c, from linux-source-6.12)
#     into a temporary directory: every generated file (nfv.ko's, the
#     uapi header, tools/common/'s tables of nfvd and nfvctl) must be
#     equal to the tree's.  A spec change without "make regen", or a hand edit of
#     a generated file, fails here.
#  2. Every name of uapi/linux/nfv.h listed in selftests/uapi_abi.txt
#     (those of the hand-written header the generated one replaced) still
#     compiles to the value listed: names may be added, never changed.
#     Names marked "+" count the members of an enum (__NFV_CMD_MAX,
#     NFV_A_FLOW_MAX, ...): they may grow as members are added, never
#     shrink.
#
# Host-only, no module needed: exit 4 (skip) without /usr/bin/python3's
# yaml, the generator or a compiler.
set -u
cd "$(dirname "$0")/.."

ksft_skip=4
echo "TAP version 13"
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null ||
   ! command -v "${CC:-gcc}" >/dev/null; then
	echo "1..0 # SKIP needs /usr/bin/python3 with yaml and a C compiler"
	exit $ksft_skip
fi
echo "1..2"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

# The files tools/ynl-regen writes, as it lists them: the kernel's
# (gen MODE --header|--source FILE) and nfvd's and nfvctl's attribute
# tables (gen_user --header|--source FILE).
files=$(sed -n -e 's/^gen [a-z]* --[a-z]* //p' \
	-e 's/^gen_user --[a-z]* //p' tools/ynl-regen)
if ! tools/ynl-regen "$tmp" 2>"$tmp/regen.err"; then
	sed 's/^/# /' "$tmp/regen.err"
	echo "not ok 1 - regenerating from uapi/nfv.yaml"
	rc=1
else
	bad=0
	for f in $files; do
		if ! diff -u "$f" "$tmp/$f" >"$tmp/diff"; then
			sed 's/^/# /' "$tmp/diff" | head -40
			bad=$((bad + 1))
		fi
	done
	if ((bad)); then
		echo "# $bad file(s) differ: run 'make regen' and commit"
		echo "not ok 1 - generated files match uapi/nfv.yaml"
		rc=1
	else
		echo "ok 1 - generated files match uapi/nfv.yaml ($(echo $files | wc -w) files)"
	fi
fi

{
	echo '#include <stdio.h>'
	echo '#include <linux/nfv.h>'
	echo 'int main(void)'
	echo '{'
	echo '	int bad = 0;'
	echo
	awk '$1 != "GENL" {
		printf "\tif ((long long)(%s) %s %sLL) {\n", $1, $3 == "+" ? "<" : "!=", $2
		printf "\t\tprintf(\"# %s: %%lld, was %s\\n\", (long long)(%s));\n", $1, $2, $1
		printf "\t\tbad++;\n\t}\n"
	}' selftests/uapi_abi.txt
	awk '$1 == "GENL" {
		printf "\tif (__builtin_strcmp(NFV_GENL_NAME, \"%s\") ||\n", $2
		printf "\t    __builtin_strcmp(NFV_MCGRP_EVENTS, \"%s\") ||\n", $3
		printf "\t    __builtin_strcmp(NFV_DEV_NAME, \"%s\"))\n\t\tbad++;\n", $4
	}' selftests/uapi_abi.txt
	echo '	return bad != 0;'
	echo '}'
} >"$tmp/abi.c"
n=$(wc -l <selftests/uapi_abi.txt)
if ${CC:-gcc} -Wall -Werror -Iuapi -o "$tmp/abi" "$tmp/abi.c" 2>"$tmp/cc.err" &&
   "$tmp/abi"; then
	echo "ok 2 - the $n uapi names of selftests/uapi_abi.txt keep their values"
else
	sed 's/^/# /' "$tmp/cc.err" | head -20
	echo "not ok 2 - the $n uapi names of selftests/uapi_abi.txt keep their values"
	rc=1
fi
exit $rc
