# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by plot-chain, plot-latency, plot-tcp (sourced): arguments,
# gnuplot, and the terminal the output's name asks for.
#
#   plot_args USAGE "$@"       sets JSON and OUT, or exits 1
#   plot_terminal WIDTH HEIGHT the gnuplot "set terminal/output" lines:
#                              OUT.svg (svg) or OUT.png (png, libgd)

plot_args() {
	local usage=$1
	shift
	if [[ $# -ne 2 ]]; then
		echo "Usage: $usage" >&2
		exit 1
	fi
	JSON=$1
	OUT=$2
	[[ -r $JSON ]] || { echo "${0##*/}: cannot read $JSON" >&2; exit 1; }
	jq -e '.scenarios | type == "object"' "$JSON" >/dev/null 2>&1 ||
		{ echo "${0##*/}: $JSON is not nfv-bench -j output" >&2; exit 1; }
	case $OUT in
	*.svg|*.png) ;;
	*) echo "${0##*/}: $OUT: the output's name must end in .svg or .png" >&2
	   exit 1 ;;
	esac
	command -v gnuplot >/dev/null ||
		{ echo "${0##*/}: gnuplot missing (tools/install-deps --plot)" >&2; exit 1; }
}

plot_terminal() {	# plot_terminal WIDTH HEIGHT
	case $OUT in
	*.svg) echo "set terminal svg size $1,$2 dynamic noenhanced font \"sans,12\"" ;;
	*.png) echo "set terminal png size $1,$2 noenhanced" ;;
	esac
	echo "set output \"$OUT\""
}
