#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-ids on real traffic.  Inline with --steer (IPS): a flow is clean
# until a datagram carries a pattern; from then on every frame of it, both
# ways, goes to a quarantine service (an nfv-firewall that denies all),
# other flows are untouched, alerts are JSON lines.  On a tap hop (IDS):
# every frame still crosses, alerts are counted, on the Aho-Corasick
# fallback this time.  With --divert 3,4: a flagged flow's later frames
# skip the IDS, sent by the fabric to a scrubbing chain (3, and 4 for the
# replies) through the flow rules the IDS installs (nfvd's policy grants
# it chains 3-4).
#
#   ns src            ns fabric                                ns dst
#   s0 198.18.0.1 --- f0 == ids (1) ==================== f1 --- d0 198.18.0.2
#                           \-steer-> quarantine (9): deny all
#   then:             f0 == forward (2) ====tap====> ids (3) == f1

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-ids nfv-firewall nfv-forward

PATTERNS=$RUNDIR/patterns.txt
ALERTS=$RUNDIR/alerts.json
ALERTS_TAP=$RUNDIR/alerts-tap.json

# msgs SPORT COUNT MSG: COUNT datagrams src:SPORT -> dst:9000
msgs() { in_src "$TRAFFIC" udp-msg 198.18.0.2 9000 "$2" "$3" "$1"; }

recv_start() {	# recv_start FILE: a receiver on dst:9000 for 2 s
	in_dst "$TRAFFIC" udp-recv 9000 100000 2000 >"$1" &
	RPID=$!
	busywait 2000 grep -qs ready "$1"
}
recv_total() {	# recv_total FILE: datagrams received, any payload
	awk '/^received/ {print $2 + $4}' "$1"
}
stats() { nf_json "$1" | jq -c .stats; }

setup() {
	printf 'user root services all flows chains 3-4\n' >"$RUNDIR/policy"
	nf_setup_fabric --policy "$RUNDIR/policy"
	cat >"$PATTERNS" <<-'EOF'
	# test patterns
	1:EVIL
	2:|de ad be ef|
	EOF
	printf 'default deny\n' >"$RUNDIR/quarantine.rules"
}

ips_steers_flows() {
	NF_BIN=ids start_nf ids 1 --patterns "$PATTERNS" --alerts "$ALERTS" --steer 9
	NF_BIN=firewall start_nf quarantine 9 --rules "$RUNDIR/quarantine.rules" \
		--stats-json "$RUNDIR/q.json"
	wait_replicas 1 1 && wait_replicas 9 1
	nf_chains 1
	diag "$(grep engine "$RUNDIR/ids.log")"
	if ldconfig -p | grep -q 'libhs\.so\.5 '; then
		check "engine: hyperscan in use (libhyperscan present)" \
			grep -q "engine hyperscan$" "$RUNDIR/ids.log"
	else
		tap_skip "engine: hyperscan in use" "libhyperscan not installed"
	fi

	local n
	recv_start "$RUNDIR/r1"
	msgs 5003 1 hello
	msgs 5003 1 xxEVILxx
	msgs 5003 5 "still clean"
	msgs 5004 5 "another flow"
	wait $RPID
	n=$(recv_total "$RUNDIR/r1")
	check "ips: 1 clean datagram + 5 of the other flow delivered, the rest of the flow stopped ($n)" \
		[ "$n" -eq 6 ]
	check "ips: exactly one alert, pattern 1, flow 5003, action steer" \
		eval '[[ $(wc -l <"$ALERTS") -eq 1 &&
			 $(jq -r "\"\(.id) \(.sport) \(.dport) \(.action) \(.pattern)\"" "$ALERTS") == "1 5003 9000 steer EVIL" ]]'
	kill -USR1 "${NF_PID[quarantine]}"
	busywait 2000 test -s "$RUNDIR/q.json"
	check "ips: the quarantine service got the matching datagram and the 5 after it" \
		[ "$(jq .default.packets "$RUNDIR/q.json")" -eq 6 ]
	# The other direction of the flagged flow.
	in_dst "$TRAFFIC" udp-msg 198.18.0.1 5003 3 "reply" 9000
	rm -f "$RUNDIR/q.json"
	kill -USR1 "${NF_PID[quarantine]}"
	busywait 2000 test -s "$RUNDIR/q.json"
	check "ips: the reply direction of the flow is steered too" \
		[ "$(jq .default.packets "$RUNDIR/q.json")" -eq 9 ]
	# A binary pattern.
	recv_start "$RUNDIR/r2"
	msgs 5005 1 'ab\xde\xad\xbe\xefcd'
	wait $RPID
	n=$(recv_total "$RUNDIR/r2")
	check "ips: a hex pattern is found and its flow stopped ($n delivered)" \
		eval '[[ $n -eq 0 && $(jq -s "map(select(.id == 2 and .sport == 5005)) | length" "$ALERTS") -eq 1 ]]'
	local s
	s=$(stats ids)
	diag "ids: $s"
	check "ips: counters: 2 alerts, 2 flows flagged, 10 frames steered" \
		eval '[[ $(jq -c "[.alerts, .flagged, .steered]" <<<"$s") == "[2,2,10]" ]]'
	nf_stop_all
}

tap_sees_everything() {
	NF_BIN=forward start_nf fwd 2
	NF_BIN=ids start_nf idstap 3 --patterns "$PATTERNS" --alerts "$ALERTS_TAP" \
		--engine aho-corasick
	wait_replicas 2 1 && wait_replicas 3 1
	nfvctl chain del 1 >/dev/null
	nfvctl chain add 1 service 2 tap service 3 out f1 >/dev/null
	check "tap: aho-corasick engine" grep -q "engine aho-corasick$" "$RUNDIR/idstap.log"
	local n
	recv_start "$RUNDIR/r3"
	msgs 5006 20 "an EVIL payload"
	msgs 5007 20 "a clean payload"
	wait $RPID
	n=$(recv_total "$RUNDIR/r3")
	check "tap: all 40 datagrams delivered, the IDS does not stand in the way ($n)" \
		[ "$n" -eq 40 ]
	local s
	s=$(stats idstap)
	diag "ids on tap: $s"
	check "tap: 20 alerts, all for flow 5006, none steered" \
		eval '[[ $(jq .alerts <<<"$s") -eq 20 && $(jq .steered <<<"$s") -eq 0 &&
			 $(jq -s "map(select(.sport == 5006 and .tap)) | length" "$ALERTS_TAP") -eq 20 ]]'
	check "tap: the IDS saw every datagram as a tap reference" \
		[ "$(jq .tap <<<"$s")" -ge 40 ]
	nf_stop_all
}

# Rules of the NF named $1 (flow show's owner is its id).
rules_of() {
	local id
	id=$(nfvctl -j nf show | jq ".[] | select(.name == \"$1\") | .id")
	nfvctl -j flow show | jq --argjson id "${id:-0}" 'map(select(.owner == $id))'
}

ids_diverts_flows() {
	NF_BIN=ids start_nf idsdiv 1 --patterns "$PATTERNS" --alerts "$ALERTS" \
		--divert 3,4 --flow-timeout 30
	NF_BIN=forward start_nf scrub 5
	wait_replicas 1 1 && wait_replicas 5 1
	nfvctl chain del 1 >/dev/null; nfvctl chain del 2 >/dev/null
	nf_chains 1
	nfvctl chain add 3 service 5 out f1 >/dev/null
	nfvctl chain add 4 service 5 out f0 >/dev/null
	: >"$ALERTS"
	local n ids0 scrub0 r
	recv_start "$RUNDIR/r4"
	msgs 5008 1 "clean"
	msgs 5008 1 "an EVIL one"
	check "divert: the IDS installs the flow's rule and its replies' (chains 3, 4)" \
		busywait 3000 eval '[[ $(rules_of idsdiv | jq "[.[] | select(.chain == 3 and .sport == 5008)] + [.[] | select(.chain == 4 and .dport == 5008)] | length") -eq 2 ]]'
	r=$(rules_of idsdiv)
	diag "divert: rules $(jq -c 'map({sport, dport, chain, idle_timeout_ms})' <<<"$r")"
	check "divert: the rules live as long as the flow (idle timeout 30 s)" \
		eval '[[ $(jq "map(.idle_timeout_ms) | unique" <<<"$r" | jq -c .) == "[30000]" ]]'
	ids0=$(nf_rx idsdiv); scrub0=$(nf_rx scrub)
	msgs 5008 5 "later, clean"
	msgs 5009 5 "another flow"
	wait $RPID
	n=$(recv_total "$RUNDIR/r4")
	check "divert: every datagram delivered, through one chain or the other ($n of 12)" \
		[ "$n" -eq 12 ]
	diag "divert: ids rx +$(( $(nf_rx idsdiv) - ids0 )), scrubber rx +$(( $(nf_rx scrub) - scrub0 ))"
	check "divert: the flow's later datagrams skipped the IDS, the scrubber got them" \
		eval '[[ $(( $(nf_rx scrub) - scrub0 )) -eq 5 && $(( $(nf_rx idsdiv) - ids0 )) -ge 5 && $(( $(nf_rx idsdiv) - ids0 )) -lt 10 ]]'
	in_dst "$TRAFFIC" udp-msg 198.18.0.1 5008 3 "reply" 9000
	check "divert: its replies too (chain 4)" \
		busywait 2000 eval '[[ $(( $(nf_rx scrub) - scrub0 )) -eq 8 ]]'
	check "divert: one alert, action divert" \
		eval '[[ $(jq -s "map(select(.sport == 5008 and .action == \"divert\")) | length" "$ALERTS") -eq 1 ]]'
	check "divert: counters: 1 flow diverted, no rule failed" \
		eval '[[ $(stats idsdiv | jq -c "[.diverted, .divert_failed]") == "[1,0]" ]]'
	nf_stop_all
	check "divert: the rules go with the IDS" \
		busywait 3000 eval '[[ $(nfvctl -j flow show | jq "map(select(.sport == 5008 or .dport == 5008)) | length") -eq 0 ]]'
}

echo "TAP version 13"
setup
ips_steers_flows
tap_sees_everything
ids_diverts_flows
echo "1..$_tap_n"
tap_exit
