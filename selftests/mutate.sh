#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutate.sh: mutation testing (`make mutate`).  Each mutant of
# selftests/mutations is a small bug put into critical code; the tests it
# names must catch it.  A mutant that survives is a missing test.
#
#   selftests/mutate.sh            every mutant
#   selftests/mutate.sh m03 m17    only these
#   selftests/mutate.sh --check    only check that every snippet is found
#   NFV_MUTATIONS=FILE             another list
#   NFV_MUTATE_DIR=DIR             scratch copy (default build/mutate)
#   NFV_MUTATE_TIMEOUT=S           time limit of one mutant's tests (300)
#
# How: the working tree as it is (tracked and untracked files, uncommitted
# edits included: they are what gets mutated) is copied to DIR/tree and
# built there; every test the mutants name is run once on it unmutated
# (the baseline: a test that fails or skips there cannot kill anything
# honestly, so the run stops).  Then for each mutant: its snippet, which
# must occur exactly once in its file (else the list has rotted and the
# run stops before anything is built), is replaced, the copy is rebuilt
# (make: only what depends on the file), the tests run one after the
# other until one fails, and the file is restored.  One line per mutant,
# then "killed N/M"; exit 1 if any survived.
#
# A mutant is KILLED when a named test exits non-zero, when its tests run
# out of time (TIMEOUT: a mutant that hangs a test), or when the build
# fails (BUILD: nothing was tested; the list should not hold such ones).
set -u
cd "$(dirname "$0")/.."
top=$PWD

list=${NFV_MUTATIONS:-selftests/mutations}
dir=${NFV_MUTATE_DIR:-build/mutate}
limit=${NFV_MUTATE_TIMEOUT:-300}
tree=$dir/tree
work=$dir/work
logs=$dir/logs

die() { echo "mutate: $*" >&2; exit 2; }

[[ -r $list ]] || die "no list $list"
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || die "cannot create $dir"
tree=$dir/tree work=$dir/work logs=$dir/logs
rm -rf "$work" "$logs"
mkdir -p "$tree" "$work" "$logs"

# ---- the list -------------------------------------------------------------
# Blocks separated by blank lines, '#' lines are comments:
#   mutant ID FILE
#   why    ONE LINE
#   test   [NFV_VAR=VALUE...] PROGRAM [ARG...]   (one or more)
#   -ORIGINAL LINE                               (one or more, verbatim)
#   +REPLACEMENT LINE                            (none: lines deleted)
ids=()
declare -A m_file m_why m_tests
cur=

end_block() {
	[[ -n $cur ]] || return 0
	[[ -n ${m_file[$cur]:-} ]] || die "$cur: no file"
	[[ -n ${m_tests[$cur]:-} ]] || die "$cur: no test"
	[[ -s $work/$cur.orig ]] || die "$cur: no original snippet"
	cur=
}

lineno=0
while IFS= read -r line || [[ -n $line ]]; do
	lineno=$((lineno + 1))
	case $line in
	'#'*) ;;
	'')
		end_block ;;
	'mutant '*)
		end_block
		read -r _ cur file rest <<<"$line"
		[[ -n $cur && -n $file && -z $rest ]] ||
			die "$list:$lineno: mutant ID FILE"
		[[ -n ${m_file[$cur]:-} ]] && die "$list:$lineno: $cur twice"
		ids+=("$cur")
		m_file[$cur]=$file
		m_tests[$cur]=
		: >"$work/$cur.orig"
		: >"$work/$cur.repl" ;;
	'why '*)
		[[ -n $cur ]] || die "$list:$lineno: outside a mutant"
		m_why[$cur]=${line#why }
		m_why[$cur]=${m_why[$cur]#"${m_why[$cur]%%[! ]*}"} ;;
	'test '*)
		[[ -n $cur ]] || die "$list:$lineno: outside a mutant"
		t=${line#test }
		t=${t#"${t%%[! ]*}"}
		m_tests[$cur]+="$t"$'\n' ;;
	-*)
		[[ -n $cur ]] || die "$list:$lineno: outside a mutant"
		printf '%s\n' "${line:1}" >>"$work/$cur.orig" ;;
	+*)
		[[ -n $cur ]] || die "$list:$lineno: outside a mutant"
		printf '%s\n' "${line:1}" >>"$work/$cur.repl" ;;
	*)
		die "$list:$lineno: cannot parse: $line" ;;
	esac
done <"$list"
end_block

check_only=0
if [[ ${1:-} == --check ]]; then
	check_only=1
	shift
fi
# Only some: the ones named on the command line.
if [[ $# -gt 0 ]]; then
	for id; do
		[[ -n ${m_file[$id]:-} ]] || die "no mutant $id in $list"
	done
	ids=("$@")
fi
[[ ${#ids[@]} -gt 0 ]] || die "no mutants in $list"

# apply SRC DST ORIG REPL: DST = SRC with the one occurrence of ORIG
# replaced (DST "-": only check).  Exit 3 if ORIG is not there exactly once.
apply() {
	/usr/bin/python3 - "$@" <<'EOF'
import sys
src, dst, orig, repl = sys.argv[1:5]
text = open(src).read()
# Lines of the list end with a newline; the snippet need not.
o = open(orig).read()[:-1]
r = open(repl).read()[:-1]
n = text.count(o)
if n != 1:
    print(f"{src}: original snippet found {n} times, not once", file=sys.stderr)
    sys.exit(3)
if o == r:
    print(f"{src}: replacement is the original", file=sys.stderr)
    sys.exit(3)
if dst != "-":
    with open(dst, "w") as f:
        f.write(text.replace(o, r))
EOF
}

# Every snippet first: a rotten list fails before anything is built.
bad=0
for id in "${ids[@]}"; do
	f=${m_file[$id]}
	[[ -f $f ]] || { echo "mutate: $id: no file $f" >&2; bad=1; continue; }
	apply "$f" - "$work/$id.orig" "$work/$id.repl" 2>"$work/err" ||
		{ echo "mutate: $id: $(cat "$work/err")" >&2; bad=1; }
done
[[ $bad -eq 0 ]] || die "the list no longer matches the code: fix $list"
if [[ $check_only -eq 1 ]]; then
	echo "mutate: ${#ids[@]} mutants, every snippet found once"
	exit 0
fi

# ---- the scratch copy -----------------------------------------------------
# Files that differ are copied with a new mtime, so that make rebuilds what
# depends on them and nothing else; files gone from the tree go.
git ls-files -z --cached --others --exclude-standard >"$work/files" ||
	die "git ls-files failed"
: >"$work/manifest"
while IFS= read -r -d '' f; do
	[[ -f $f && ! -L $f ]] || continue
	printf '%s\n' "$f" >>"$work/manifest"
	cmp -s "$f" "$tree/$f" && continue
	mkdir -p "$tree/$(dirname "$f")"
	cp --preserve=mode "$f" "$tree/$f" || die "cannot copy $f"
done <"$work/files"
if [[ -f $dir/manifest ]]; then
	comm -23 <(sort "$dir/manifest") <(sort "$work/manifest") |
	while IFS= read -r f; do rm -f "$tree/$f"; done
fi
mv "$work/manifest" "$dir/manifest"

build() {	# build LOG: the scratch copy, as `make` builds it
	timeout 900 make -C "$tree" -j2 >"$1" 2>&1
}

start=$(date +%s)
echo "mutate: ${#ids[@]} mutants, scratch copy $tree"
build "$logs/build.log" || die "the unmutated tree does not build: $logs/build.log"

# run_test LOG SECONDS TEST: one test (as selftests/run.sh runs it, but
# without prove: the exit status is what counts), in the scratch copy.
# Status 124: out of time.
run_test() {
	local log=$1 secs=$2 t=$3

	# shellcheck disable=SC2086  # a test line is words
	(cd "$tree" && exec timeout -k 10 "$secs" env $t) </dev/null >>"$log" 2>&1
}

# ---- baseline ---------------------------------------------------------------
declare -A seen
base=()
for id in "${ids[@]}"; do
	while IFS= read -r t; do
		[[ -n $t && -z ${seen[$t]:-} ]] || continue
		seen[$t]=1
		base+=("$t")
	done <<<"${m_tests[$id]}"
done
echo "mutate: baseline: ${#base[@]} tests on the unmutated tree"
for t in "${base[@]}"; do
	log=$logs/baseline.log
	echo "== $t" >>"$log"
	s=$(date +%s)
	run_test "$log" "$limit" "$t"
	rc=$?
	if [[ $rc -ne 0 ]]; then
		tail -n 30 "$log" >&2
		[[ $rc -eq 4 ]] && die "baseline: '$t' skips here (exit 4): it cannot kill a mutant"
		die "baseline: '$t' fails unmutated (exit $rc): fix it first ($log)"
	fi
	printf 'mutate: baseline ok  %-60s %3d s\n' "$t" $(($(date +%s) - s))
done

# ---- mutants ----------------------------------------------------------------
killed=0
total=0
survivors=()
for id in "${ids[@]}"; do
	f=${m_file[$id]}
	log=$logs/$id.log
	total=$((total + 1))
	s=$(date +%s)
	apply "$top/$f" "$tree/$f" "$work/$id.orig" "$work/$id.repl" >"$log" 2>&1 ||
		die "$id: cannot apply (see $log)"
	verdict=SURVIVED
	detail=
	if ! build "$log.build"; then
		verdict=KILLED
		detail="build failed"
	else
		deadline=$((s + limit))
		while IFS= read -r t; do
			[[ -n $t ]] || continue
			left=$((deadline - $(date +%s)))
			if [[ $left -le 0 ]]; then
				verdict=KILLED
				detail="TIMEOUT after ${limit} s"
				break
			fi
			echo "== $t" >>"$log"
			n0=$(grep -c '^ *not ok' "$log")
			run_test "$log" "$left" "$t"
			rc=$?
			[[ $rc -eq 0 ]] && continue
			verdict=KILLED
			prog=$t
			while [[ $prog == NFV_*=* ]]; do prog=${prog#* }; done
			prog=${prog%% *}
			if [[ $rc -eq 124 || $rc -eq 137 ]]; then
				detail="$prog: TIMEOUT"
			else
				detail="$prog: $(($(grep -c '^ *not ok' "$log") - n0)) failed, exit $rc"
			fi
			break
		done <<<"${m_tests[$id]}"
	fi
	# Restore: a new mtime, so the next build recompiles the file.
	cp "$top/$f" "$tree/$f"
	if [[ $verdict == KILLED ]]; then
		killed=$((killed + 1))
	else
		survivors+=("$id")
		detail="all named tests pass"
	fi
	printf '%-8s %-4s %-28s %s  (%s, %d s)\n' "$verdict" "$id" "$f" \
		"${m_why[$id]:-}" "$detail" $(($(date +%s) - s))
done

# Leave the copy built as the tree is: the next run starts incremental.
build "$logs/build.log" || echo "mutate: rebuilding the restored copy failed" >&2
echo "killed $killed/$total in $(($(date +%s) - start)) s"
if [[ ${#survivors[@]} -gt 0 ]]; then
	echo "survivors (missing tests): ${survivors[*]}; logs in $logs"
	exit 1
fi
exit 0
