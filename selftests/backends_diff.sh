#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# backends_diff: both backends answer alike (issue 13).  One command list
# (selftests/backends/commands) goes through nfvd's socket (nfvd started
# module-less: NFV_BACKEND=daemon) and through nfv.ko (nfvctl -b kernel),
# each in a fresh network namespace of its own with the same netdevs; per
# command the exit status, stdout and stderr are recorded, and after each
# command that changes something (add, del, replace, accepted or not) the
# tables as "-j port show", "-j chain show" and "-j flow show" print them,
# recorded as what changed since the previous such snapshot (objects
# gone "-" and new "+"), so that one drift is reported where it happens
# and not again at every later command; the full tables are compared
# where the list itself shows them.  Then the
# two transcripts are compared command by command: one TAP point per
# command, named by its line in the list, with the unified diff
# (daemon: ---, kernel: +++) of what differs.
#
#   selftests/backends_diff.sh          record both, compare (needs nfv.ko:
#                                       the VM, selftests/vm.sh)
#   selftests/backends_diff.sh --record daemon|kernel DIR
#                                       record one backend into DIR only
#   NFV_BACKENDS_REF=DIR                also compare the daemon transcript
#                                       with DIR (vm.sh records the host's
#                                       nfvd there before booting the VM)
#   NFV_BACKENDS_COMMANDS=FILE          another command list
#
# Normalisations, the only ones, each because the value is not the
# backend's to decide or exists in one backend only by design:
#  1. "ifindex": N in JSON becomes the netdev's name ("ifindex": "p0"):
#     the kernel numbers netdevs, and the host and VM may number them
#     differently.  Names, port ids and everything else stay.
#  2. A port's "stats" (XDP counters) are removed from port show, and the
#     counter lines of text port show: nfvd attaches the classifier, which
#     counts whatever frames the stack sends (IPv6 ND...); nfv.ko alone
#     attaches nothing.  They are traffic, not configuration.
#  3. stats keeps only "ports" and "nfs" (JSON) and the port and NF lines
#     (text): the backend name, the UMEM frame accounting and nfvd's drop
#     counters (bad_desc, reclaimed, refused, forged_tx, loop_drop) are
#     nfvd's alone; the kernel run has no nfvd to ask.
#  4. nfvd's socket path (which differs per run) becomes SOCKET.
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
BIN=${NFV_BIN:-$TOP/build/bin}
BPF_OBJ=${NFV_BPF_OBJ:-$TOP/build/bpf/nfv_xdp.bpf.o}
COMMANDS=${NFV_BACKENDS_COMMANDS:-$TOP/selftests/backends/commands}
ksft_skip=4
NDEV=17		# veth pairs p0..p16 / q0..q16

# ---- normalisation (the list above, nothing else) -------------------------

# In bash, without a process per command: under TCG every exec costs.
declare -A IFNAME	# ifindex -> netdev name, in the recording namespace

# stdin: JSON documents, one a line (nfvctl -j) -> normalised.
norm_json() {
	local s t i
	while IFS= read -r s; do
		for i in "${!IFNAME[@]}"; do
			s=${s//\"ifindex\":$i,/\"ifindex\":\"${IFNAME[$i]}\",}
			s=${s//\"ifindex\":$i\}/\"ifindex\":\"${IFNAME[$i]}\"\}}
		done
		# A port's counters: a flat object (no braces inside).
		while [[ $s == *',"stats":{'* ]]; do
			t=${s#*,\"stats\":\{}
			s=${s%%,\"stats\":\{*}${t#*\}}
		done
		[[ $s == '{"backend"'* ]] && s={\"ports\":${s#*\"ports\":}
		printf '%s\n' "$s"
	done
}

# The tables after a change, as what this change did to them: objects
# (one per line) gone ("-") and new ("+") since the previous snapshot.
# A difference once made does not make every later command differ, and
# the full tables are compared where the list shows them ("-j ... show").
declare -A SNAP_PREV	# object -> how many times the tables hold it
tables_delta() {
	local doc key o i
	local -A now=()
	local -a gone=() new=()
	while IFS= read -r doc; do
		doc=$(norm_json <<<"$doc")
		doc=${doc#[}
		doc=${doc%]}
		[[ -z $doc ]] && continue
		# Split between objects: after the first key when objects
		# nest (chains' hops), else at every "},{".
		key=${doc#\{\"}
		key=${key%%\"*}
		if [[ $doc == *'[{'* ]]; then
			doc=${doc//\},\{\"$key\":/\}$'\n'\{\"$key\":}
		else
			doc=${doc//\},\{/\}$'\n'\{}
		fi
		# Counted: two rules that print alike are two rules.
		while IFS= read -r o; do
			now[$o]=$((${now[$o]:-0} + 1))
		done <<<"$doc"
	done
	for o in "${!SNAP_PREV[@]}"; do
		for ((i = ${now[$o]:-0}; i < SNAP_PREV[$o]; i++)); do
			gone+=("- $o")
		done
	done
	for o in "${!now[@]}"; do
		for ((i = ${SNAP_PREV[$o]:-0}; i < now[$o]; i++)); do
			new+=("+ $o")
		done
	done
	# In order (hash order is the shell's); sort only when there is
	# something to sort.
	if [[ ${#gone[@]} -gt 1 ]]; then
		printf '%s\n' "${gone[@]}" | sort
	elif [[ ${#gone[@]} -eq 1 ]]; then
		printf '%s\n' "${gone[0]}"
	fi
	if [[ ${#new[@]} -gt 1 ]]; then
		printf '%s\n' "${new[@]}" | sort
	elif [[ ${#new[@]} -eq 1 ]]; then
		printf '%s\n' "${new[0]}"
	fi
	SNAP_PREV=()
	for o in "${!now[@]}"; do
		SNAP_PREV[$o]=${now[$o]}
	done
}

# Text: the counters at the end of port lines, nfvd's figures in stats.
norm_text() {
	local l
	while IFS= read -r l; do
		case $l in
		"backend "*|"frames "*|"bad_desc "*|" "*"kernel "[0-9]*)
			continue ;;
		"port "*)
			l=${l%% rx [0-9]*} ;;
		esac
		printf '%s\n' "$l"
	done
}

# ---- one backend ------------------------------------------------------------

# Inside the namespace: run every line, one file per command in $out.
record_in_ns() {
	local backend=$1 sock=$2 out=$3
	local n=0 line json cmd rc st l
	local -a args

	local idx name
	while read -r idx name; do
		IFNAME[${idx%:}]=${name%%[@:]*}
	done < <(ip -o link show | cut -d' ' -f1,2)
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		line=${line%%#*}
		read -ra args <<<"$line"
		[[ ${#args[@]} -eq 0 ]] && continue
		json=0
		if [[ ${args[0]} == -j ]]; then
			json=1
		fi
		printf -v st '%s/%04d' "$out" "$n"
		{
			echo "command: ${args[*]}"
			"$BIN/nfvctl" -b "$backend" -s "$sock" "${args[@]}" \
				>"$out/.out" 2>"$out/.err"
			rc=$?
			echo "exit: $rc"
			echo "stderr:"
			while IFS= read -r l; do
				printf '%s\n' "${l//"$sock"/SOCKET}"
			done <"$out/.err"
			echo "stdout:"
			if [[ $json -eq 1 ]]; then
				norm_json <"$out/.out"
			else
				norm_text <"$out/.out"
			fi
			# What the tables hold after a change (or a refusal).
			cmd=${args[1]:-}
			[[ $json -eq 1 ]] && cmd=${args[2]:-}
			case $cmd in
			add|del|replace)
				# One process for the three (TCG is slow).
				printf '%s\n' "port show" "chain show" "flow show" |
				"$BIN/nfvctl" -b "$backend" -s "$sock" -j \
					-batch - >"$out/.out" 2>&1
				echo "tables changed:"
				tables_delta <"$out/.out" ;;
			esac
		} >"$st"
	done <"$COMMANDS"
	rm -f "$out/.out" "$out/.err"
}

# record BACKEND DIR: a namespace with the netdevs (and nfvd for the
# daemon), the list run inside it, everything removed afterwards.
record() {
	local backend=$1 out=$2 ns run pid= rc i
	ns=nfv-bdiff-$backend-$$
	run=$(mktemp -d /tmp/nfv-bdiff.XXXXXX) || return 1
	mkdir -p "$out" || return 1
	rm -f "$out"/[0-9]*
	ip netns add "$ns" || return 1
	{
		echo "link set lo up"
		for ((i = 0; i < NDEV; i++)); do
			echo "link add p$i type veth peer name q$i"
			echo "link set p$i up"
			echo "link set q$i up"
		done
	} | ip -n "$ns" -batch - ||
		{ ip netns del "$ns"; rm -rf "$run"; return 1; }

	if [[ $backend == daemon ]]; then
		ip netns exec "$ns" env NFV_BACKEND=daemon "$BIN/nfvd" \
			--socket "$run/nfvd.sock" --bpf "$BPF_OBJ" --state none \
			--frames 4096 --fill 512 \
			>"$run/nfvd.log" 2>&1 &
		pid=$!
		for ((i = 0; i < 750; i++)); do
			[[ -S $run/nfvd.sock ]] && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.02
		done
		if [[ ! -S $run/nfvd.sock ]]; then
			echo "# nfvd did not start:" >&2
			sed 's/^/#   /' "$run/nfvd.log" >&2
			kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
			ip netns del "$ns"; rm -rf "$run"
			return 1
		fi
	fi
	# The kernel run's -s names no socket: nf show and stats print what
	# the module has (see nfvctl(8)), not an nfvd's view.
	ip netns exec "$ns" "$0" --in-ns "$backend" "$run/nfvd.sock" "$out"
	rc=$?
	if [[ -n $pid ]]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if ! kill -0 "$pid" 2>/dev/null && [[ -n ${NFV_BACKENDS_VERBOSE:-} ]]; then
			sed 's/^/# nfvd: /' "$run/nfvd.log" >&2
		fi
	fi
	ip netns del "$ns"
	rm -rf "$run"
	return $rc
}

# ---- comparison ---------------------------------------------------------------

# compare A B LABEL_A LABEL_B: one TAP point per command.
n_tap=0
n_fail=0
compare() {
	local a=$1 b=$2 la=$3 lb=$4 f name cmd d ta tb
	for f in "$a"/[0-9]*; do
		name=${f##*/}
		IFS= read -r cmd <"$f"
		cmd=${cmd#command: }
		n_tap=$((n_tap + 1))
		# diff only where they differ: an exec per command is slow
		# under TCG.
		IFS= read -r -d '' ta <"$f"
		tb='(missing)'
		[[ -f $b/$name ]] && IFS= read -r -d '' tb <"$b/$name"
		if [[ $ta == "$tb" ]]; then
			echo "ok $n_tap - line $((10#$name)): $cmd"
		elif d=$(diff -u --label "$la" --label "$lb" "$f" "$b/$name" 2>&1); then
			echo "ok $n_tap - line $((10#$name)): $cmd"
		else
			echo "not ok $n_tap - line $((10#$name)): $cmd ($la vs $lb)"
			sed 's/^/# /' <<<"$d"
			n_fail=$((n_fail + 1))
		fi
	done
}

case ${1:-} in
--in-ns)
	record_in_ns "$2" "$3" "$4"
	exit ;;
--record)
	[[ $# -eq 3 && ( $2 == daemon || $2 == kernel ) ]] ||
		{ echo "usage: $0 --record daemon|kernel DIR" >&2; exit 2; }
	record "$2" "$3"
	exit ;;
esac

echo "TAP version 13"
if [[ $(id -u) -ne 0 ]]; then
	echo "1..0 # SKIP needs root (network namespaces, nfvd)"
	exit $ksft_skip
fi
for p in ip diff; do
	command -v $p >/dev/null ||
		{ echo "1..0 # SKIP legit: $p is not installed"; exit $ksft_skip; }
done
# nfv.ko answers in any namespace: ask it in a scratch one.
if ! ip netns exec nfv-bdiff-probe-$$ true 2>/dev/null; then
	ip netns add nfv-bdiff-probe-$$ || exit 1
fi
if ! ip netns exec nfv-bdiff-probe-$$ "$BIN/nfvctl" -b kernel port show \
	>/dev/null 2>&1; then
	ip netns del nfv-bdiff-probe-$$
	echo "1..0 # SKIP legit: nfv.ko is not loaded (this runs in the VM: selftests/vm.sh)"
	exit $ksft_skip
fi
ip netns del nfv-bdiff-probe-$$

work=$(mktemp -d /tmp/nfv-bdiff.XXXXXX)
trap 'rm -rf "$work"' EXIT
ncmd=$(grep -cv '^[[:space:]]*\(#\|$\)' "$COMMANDS")
ref=${NFV_BACKENDS_REF:-}
if [[ -n $ref && ! -d $ref ]]; then
	echo "# NFV_BACKENDS_REF=$ref: no such directory" >&2
	ref=
fi
echo "1..$((2 + ncmd + (${#ref} > 0 ? 1 : 0)))"
echo "# $ncmd commands from ${COMMANDS#"$TOP"/}"

t0=$SECONDS
record daemon "$work/daemon"
rc=$?
echo "# daemon: $((SECONDS - t0)) s"
n_tap=1
if [[ $rc -eq 0 && -n $(ls "$work/daemon") ]]; then
	echo "ok 1 - recorded the daemon (nfvd, NFV_BACKEND=daemon)"
else
	echo "not ok 1 - recorded the daemon (nfvd, NFV_BACKEND=daemon)"
	n_fail=$((n_fail + 1))
fi
t0=$SECONDS
record kernel "$work/kernel"
rc=$?
echo "# kernel: $((SECONDS - t0)) s"
n_tap=2
if [[ $rc -eq 0 && -n $(ls "$work/kernel") ]]; then
	echo "ok 2 - recorded the kernel (nfv.ko)"
else
	echo "not ok 2 - recorded the kernel (nfv.ko)"
	n_fail=$((n_fail + 1))
fi

compare "$work/daemon" "$work/kernel" daemon kernel

if [[ -n $ref ]]; then
	n_tap=$((n_tap + 1))
	if d=$(diff -ru "$ref" "$work/daemon"); then
		echo "ok $n_tap - the host's nfvd answers as the VM's"
	else
		echo "not ok $n_tap - the host's nfvd answers as the VM's"
		sed 's/^/# /' <<<"$d"
		n_fail=$((n_fail + 1))
	fi
fi
echo "# $n_fail of $n_tap points differ"
[[ $n_fail -eq 0 ]]
