#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# man: the manual pages (man/) render without a warning and say what the
# programs say they take; the bash completion completes nfvctl.
#
#  - every page renders with man --warnings, nothing on stderr;
#  - every program has its page, and every option, environment variable
#    and signal that nfvd --help, each NF's --help and nfv-run --help
#    print appears in it: a new option without documentation fails here;
#  - every keyword of the grammar nfvctl help and nfvctl OBJECT help print
#    appears in nfvctl.8;
#  - libnfv.3 names every function, macro and struct of the public
#    headers, and its EXAMPLES program compiles and links against
#    build/lib/libnfv.a;
#  - make install puts the pages where man finds them, and the
#    completion beside them;
#  - tools/nfvctl/nfvctl.bash-completion completes nfvctl's objects and
#    the keywords after "port add DEV", "chain add ID", "offload del" as
#    nfvctl's help gives them.
#
# Host-only, no root, no nfvd: the completion's queries of nfvd (ids)
# find nothing at NFV_SOCKET=/nonexistent and fall back to ip link.
set -u
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=selftests/lib.sh
source selftests/lib.sh

export NFV_SOCKET=/nonexistent/nfvd.sock
NFVCTL=$BIN/nfvctl
COMPLETION=tools/nfvctl/nfvctl.bash-completion

echo "TAP version 13"
for t in man perl "${CC:-gcc}" pkg-config; do
	if ! command -v "$t" >/dev/null; then
		echo "1..0 # SKIP $t not installed (tools/install-deps)"
		exit "$ksft_skip"
	fi
done
if [[ ! -x $NFVCTL || ! -f build/lib/libnfv.a ]]; then
	echo "1..0 # SKIP build first: make all"
	exit "$ksft_skip"
fi

tmp=$(mktemp -d /tmp/nfv-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

pages=(man/man3/*.3 man/man8/*.8)
nfs=()
for d in nfs/*/; do
	d=${d%/}
	compgen -G "$d/*.c" >/dev/null && [[ -x $BIN/nfv-${d#nfs/} ]] &&
		nfs+=("nfv-${d#nfs/}")
done
progs=(nfvd nfv-run "${nfs[@]}")
# man x3: renders, options, installed; nfvctl; libnfv x2; completion x7
echo "1..$((${#pages[@]} + ${#progs[@]} + 1 + 2 + 1 + 7))"

fail_with() {		# fail_with FILE: its lines as diagnostics
	sed 's/^/#   /' "$1" | head -n 30
}

# ---- rendering -----------------------------------------------------------
for p in "${pages[@]}"; do
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
		man --warnings -E UTF-8 -l -Tutf8 -Z "$p" >/dev/null 2>"$tmp/err"
	rc=$?
	[[ $rc -eq 0 && ! -s $tmp/err ]]
	tap_ok $? "$p renders without warnings"
	[[ -s $tmp/err ]] && fail_with "$tmp/err"
done

# ---- what a page says ----------------------------------------------------
# page_text PAGE: the page's source as words a reader sees: no comments,
# no font escapes, \- as -.
page_text() {
	perl -ne 'next if /^\.\\"/;
		s/\\f(\[[^]]*\]|\(..|.)//g; s/\\-/-/g; s/\\&//g; s/\\e/\\/g;
		s/\\\(aq/\x27/g; s/\\\(dq/"/g; print' "$1"
}

# missing PAGE WORD...: the words that do not appear in PAGE as words.
missing() {
	local page=$1
	shift
	page_text "$page" >"$tmp/text"
	perl -e 'local $/; open my $f, "<", shift or die; my $t = <$f>;
		for my $w (@ARGV) {
			print "$w\n" unless $t =~ /(?<![\w-])\Q$w\E(?![\w-])/;
		}' "$tmp/text" "$@"
}

# help_words: options, $ENV variables and signals named on stdin.
help_words() {
	perl -ne 'while (/(?<![\w\/-])(--?[A-Za-z][\w-]*)/g) { print "$1\n" }
		while (/\b(NFV_[A-Z_]+|SIG[A-Z0-9]+)\b/g) { print "$1\n" }' |
		sort -u
}

for prog in "${progs[@]}"; do
	page=man/man8/$prog.8
	if [[ ! -f $page ]]; then
		tap_ok 1 "$prog has a page, $page"
		continue
	fi
	"$BIN/$prog" --help 2>&1 | help_words >"$tmp/words"
	mapfile -t words <"$tmp/words"
	missing "$page" "${words[@]}" >"$tmp/missing"
	[[ ${#words[@]} -gt 3 && ! -s $tmp/missing ]]
	tap_ok $? "$page documents all ${#words[@]} options of $prog --help"
	if [[ -s $tmp/missing ]]; then
		diag "not in $page:"
		fail_with "$tmp/missing"
	fi
done

# nfvctl's grammar: the keywords of its usage lines (Usage:, nfvctl ...,
# and their continuations) and of the X := definitions that are choices
# (A | B) or optional parts ([kw ...]); prose lines are not grammar.
nfvctl_keywords() {
	perl -ne '
		sub words { my $s = shift; my @w;
			while ($s =~ /(?<![\w\$\x27.-])((?:-[A-Za-z]|[a-z])[a-z0-9]*(?:-[a-z0-9]+)*)(\[([a-z]+)\])?(?![\w\x27])/g) {
				push @w, $1;
				push @w, "$1$3" if defined $3;
			}
			return @w;
		}
		chomp; my @w;
		if (/^(Usage:\s*)?\s*nfvctl\s/ || /^\s+[\[|]/) {
			s/\([^)]*\)?//g;		# (remarks)
			@w = words($_);
		}
		while (/\b[A-Z]+ := (.*?)(?=\s{2,}[A-Z]+ :=|$)/g) {
			my $rhs = $1;
			$rhs =~ s/[(;].*//;
			if ($rhs =~ /\|/) { push @w, words($rhs); }
			else { push @w, words($1) while $rhs =~ /\[([^]]*)\]/g; }
		}
		while (/\$(NFV_[A-Z_]+)/g) { push @w, $1; }
		print "$_\n" for @w;' | sort -u
}

{
	"$NFVCTL" help
	for o in $("$NFVCTL" help | sed -n 's/^OBJECT := //p' | tr -d '|'); do
		"$NFVCTL" "$o" help
	done
} >"$tmp/nfvctl.help" 2>&1
nfvctl_keywords <"$tmp/nfvctl.help" >"$tmp/words"
mapfile -t words <"$tmp/words"
missing man/man8/nfvctl.8 "${words[@]}" >"$tmp/missing"
[[ ${#words[@]} -gt 40 && ! -s $tmp/missing ]]
tap_ok $? "nfvctl.8 documents all ${#words[@]} keywords of nfvctl help, nfvctl OBJECT help"
if [[ -s $tmp/missing ]]; then
	diag "not in man/man8/nfvctl.8:"
	fail_with "$tmp/missing"
fi

# ---- libnfv.3 ------------------------------------------------------------
perl -ne 'print "$1\n" while /\b((?:nfv|nfv_[a-z_]+|LIBNFV_[A-Z_]+)(?=\s*\())/g;
	print "$1\n" if /^#define\s+((?:NFV|LIBNFV)_[A-Z0-9_]+)/;
	print "$1\n" if /^struct\s+(nfv_[a-z_]+)\s*\{/;
	print "$1\n" if /^typedef .*\b(nfv_[a-z_]+_t)\b/;
	print "$1\n" if /^\s+(NFV_(?:ACT|WARN|INFO|DEBUG)[A-Z_]*)\b/' \
	libnfv/include/nfv/*.h | grep -v '^__' | sort -u >"$tmp/words"
grep -o '^\s*nfv_[a-z_]*;' libnfv/libnfv.map | tr -d ' \t;' >>"$tmp/words"
mapfile -t words < <(sort -u "$tmp/words")
missing man/man3/libnfv.3 "${words[@]}" >"$tmp/missing"
[[ ${#words[@]} -gt 30 && ! -s $tmp/missing ]]
tap_ok $? "libnfv.3 names all ${#words[@]} functions, macros and structs of libnfv"
if [[ -s $tmp/missing ]]; then
	diag "not in man/man3/libnfv.3:"
	fail_with "$tmp/missing"
fi

# The program: the first .EX ... .EE of EXAMPLES, as a reader copies it.
perl -ne '$in = 1 if /^\.SH EXAMPLES/; $in = 0 if $in && /^\.SH (?!EXAMPLES)/;
	if ($in && !$done && /^\.EX/) { $ex = 1; next }
	if ($ex && /^\.EE/) { $ex = 0; $done = 1 }
	next unless $ex;
	s/\\e/\\/g; s/\\-/-/g; s/\\&//g; s/\\\(aq/\x27/g; s/\\\(dq/"/g;
	print' man/man3/libnfv.3 >"$tmp/example.c"
# libnfv.a of a SANITIZE=1 build needs the sanitizers' runtime too.
san=$(grep -o -- '-fsanitize=address[^ ]*' build/.build-flags 2>/dev/null | head -1)
# shellcheck disable=SC2046 # pkg-config's words
"${CC:-gcc}" -Wall -Wextra -Werror -O2 -Ilibnfv/include -Iuapi $san \
	-o "$tmp/example" "$tmp/example.c" build/lib/libnfv.a \
	$(pkg-config --libs libmnl libbpf 2>/dev/null || echo -lmnl -lbpf) \
	>"$tmp/cc.out" 2>&1
rc=$?
[[ $rc -eq 0 && -s $tmp/example.c ]] &&
	"$tmp/example" --help 2>&1 | grep -q -- --service
tap_ok $? "libnfv.3's example ($(wc -l <"$tmp/example.c") lines) builds against libnfv.a and runs"
[[ $rc -ne 0 ]] && fail_with "$tmp/cc.out"

# ---- make install --------------------------------------------------------
dest=$tmp/dest
make -s -o all install DESTDIR="$dest" PREFIX=/usr >"$tmp/install.out" 2>&1
rc=$?
for p in "${pages[@]}"; do
	sec=${p##*.}
	name=${p##*/}
	[[ $rc -eq 0 ]] || break
	MANPATH=$dest/usr/share/man man -w "$sec" "${name%.*}" 2>/dev/null |
		grep -qx "$dest/usr/share/man/man$sec/$name" || rc=1
	[[ $rc -eq 0 ]] || echo "man does not find $name" >>"$tmp/install.out"
done
[[ $rc -eq 0 && -f $dest/usr/share/bash-completion/completions/nfvctl ]]
tap_ok $? "make install: ${#pages[@]} pages found by man, the completion installed"
[[ $rc -ne 0 ]] && fail_with "$tmp/install.out"

# ---- bash completion -------------------------------------------------------
# complete WORD...: the sorted candidates for the last WORD, as bash's
# programmable completion would offer them after <TAB>.
complete_words() {
	bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_nfvctl "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@" |
		sort -u | tr '\n' ' '
}

# expect DESC WANT WORD...: the candidates are exactly WANT.
expect() {
	local desc=$1 want got
	want=$(tr ' ' '\n' <<<"$2" | grep . | sort -u | tr '\n' ' ')
	shift 2
	got=$(complete_words "$@")
	[[ $got == "$want" ]]
	tap_ok $? "completion: $desc"
	[[ $got == "$want" ]] || diag "want \"$want\", got \"$got\""
}

# The keywords at bracket depth DEPTH of a usage (port add: mode ...;
# depth 1: port vni, inside decap's brackets).
bracket_words() {	# bracket_words DEPTH < usage text
	D=$1 perl -0 -ne 'my $d = 0; my $want = $ENV{D};
		for my $c (split /(?=[][])|(?<=[][])/) {
			if ($c eq "[") { $d++; next }
			if ($c eq "]") { $d--; next }
			print "$1\n" if $d == $want + 1 && $c =~ /^([a-z][a-z-]*)/;
		}'
}
port_usage=$("$NFVCTL" port help | sed -n '/port add/,/nfvctl port del/p' |
	sed '$d')

expect "nfvctl po<TAB> is port" "port" "$NFVCTL" po
expect "nfvctl <TAB>: the objects of nfvctl help" \
	"$("$NFVCTL" help | sed -n 's/^OBJECT := //p' | tr -d '|') help" \
	"$NFVCTL" ""
expect "nfvctl port add x <TAB>: port add's keywords" \
	"$(bracket_words 0 <<<"$port_usage")" "$NFVCTL" port add x ""
expect "nfvctl port add x decap vxlan <TAB>: and decap's" \
	"$(bracket_words 0 <<<"$port_usage" | grep -vx decap) $(bracket_words 1 <<<"$port_usage")" \
	"$NFVCTL" port add x decap vxlan ""
hops=$("$NFVCTL" chain help | sed -n 's/^HOP := //p' |
	tr '|' '\n' | awk '{ print $1 }')
expect "nfvctl chain add 1 <TAB>: the hops of HOP := and override" \
	"$hops override" "$NFVCTL" chain add 1 ""
flow=$("$NFVCTL" offload help | sed -n 's/^FLOW := //p' |
	grep -o '\b[a-z][a-z]*\b')
expect "nfvctl offload del <TAB>: the keywords of FLOW :=" \
	"$flow" "$NFVCTL" offload del ""
top_words=$("$NFVCTL" help | sed -n 's/^nfvctl top //p' |
	grep -o '\[[a-z]*' | tr -d '[')
expect "nfvctl top interval 500 <TAB>: top's keywords not typed yet" \
	"$(grep -vx interval <<<"$top_words")" "$NFVCTL" top interval 500 ""

tap_exit
