#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-steer, the flow director, on real traffic from stock veth peers:
# the first frame of each of 1000 UDP flows passes nfv-steer, later ones
# do not (its rx stays ~1000 while 50k frames flow), every flow lands on
# the chain its rule names (counted by one nfv-forward per chain), the
# 2000 rules (flows and replies) are listed as the NF's, and they time
# out once the flows stop.  A policy without "flows": every rule refused,
# none installed, nfv-steer forwards everything itself.  A bad rule file:
# refused with its line at start (exit 1) and on SIGHUP (old rules kept).
#
#   ns src                 ns fabric (nfvd --policy)                ns dst
#   nfv-pktgen gen on s0 --- f0 =[chain 1: steer (1)     -> out f1]= f1 --- d0 sink
#                               =[chain 2: fwd-a (2)     -> out f1]=
#                               =[chain 3: fwd-b (3)     -> out f1]=
#   rules: sport 10000-10499 -> chain 2, other UDP -> chain 3

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-steer nfv-forward nfv-pktgen

PKTGEN=$BIN/nfv-pktgen
POLICY=$RUNDIR/policy
RULES=$RUNDIR/steer.rules
FLOWS=1000
FRAMES=50000
RATE=10000
IDLE=2000

steer_id() { nfvctl -j nf show | jq '.[] | select(.name == "steer") | .id'; }
# steer_rules: rules nfv-steer owns now, as flow show lists them
steer_rules() {
	nfvctl -j flow show | jq "[.[] | select(.owner == $(steer_id))] | length"
}

# steer_held: nfvd's count of nfv-steer's rules (nf show).  Cheap: a
# loop polling the full list of 2000 rules while traffic flows takes a
# core from nfvd and delays the rules it measures.
steer_held() {
	nfvctl -j nf show | jq '.[] | select(.name == "steer") | .flow_rules'
}

start_steer() {
	NF_BIN=steer start_nf steer 1 --rules "$RULES" --idle "$IDLE" "$@"
	wait_replicas 1 1
}

# gen_flows FLOWS FRAMES: a sink on d0, the generator on s0 (AF_PACKET,
# paced), FLOWS source ports from 10000 round robin; the sink's JSON in
# $RUNDIR/sink.json, the generator's in $RUNDIR/gen.json.  $1 ... in the
# background: the caller waits for $GEN_PID.
gen_flows() {
	local flows=$1 frames=$2
	# Not through in_dst: $! must be the sink itself, for SIGUSR1.
	ip netns exec "$NS_DST" "$PKTGEN" sink -i d0 --dport 5000 \
		-d $((frames / RATE + 4)) -j \
		>"$RUNDIR/sink.json" 2>"$RUNDIR/sink.err" &
	SINK_PID=$!
	busywait 3000 grep -qs ready "$RUNDIR/sink.json"
	in_src "$PKTGEN" gen --socket -i s0 --dst-mac "$DST_MAC" \
		--src-mac "$SRC_MAC" -f "$flows" --sport 10000 --dport 5000 \
		-r "$RATE" -n "$frames" -d $((frames / RATE + 2)) -s 128 -j \
		>"$RUNDIR/gen.json" 2>&1 &
	GEN_PID=$!
}

gen_wait() {
	wait "$GEN_PID"
	kill -USR1 "$SINK_PID" 2>/dev/null
	wait "$SINK_PID"
	SENT=$(jq .sent "$RUNDIR/gen.json" 2>/dev/null)
	RECEIVED=$(tail -1 "$RUNDIR/sink.json" | jq .received 2>/dev/null)
	SENT=${SENT:-0} RECEIVED=${RECEIVED:-0}
}

steering() {
	cat >"$RULES" <<-'EOF'
	# half the flows to chain 2, the other half to chain 3; their
	# replies (none come here) to the chains out of f0
	proto udp sport 10000-10499 chain 2 reply-chain 4
	proto udp chain 3 reply-chain 5
	EOF
	NF_BIN=forward start_nf fwd-a 2
	NF_BIN=forward start_nf fwd-b 3
	wait_replicas 2 1
	wait_replicas 3 1
	start_steer
	gen_flows $FLOWS $FRAMES
	# Early in the run (the reply rules see no frame: they go after one
	# or two timeouts), every flow has its two rules, owned by steer.
	local rules n
	BUSYWAIT_INTERVAL=0.2 busywait $((IDLE - 200)) \
		eval '[[ $(steer_held) -eq $((2 * FLOWS)) ]]'
	rules=$(nfvctl -j flow show)
	n=$(jq "[.[] | select(.owner == $(steer_id))] | length" <<<"$rules")
	check "rules: $((2 * FLOWS)) installed, owner nf $(steer_id) ($n)" \
		[ "$n" -eq $((2 * FLOWS)) ]
	check "rules: exact, idle-timeout $IDLE ms; sport 10000-10499 chain 2, replies 4; the rest 3, replies 5" \
		eval "jq -e '[.[] | select(.owner != null)] |
			all(.exact and .idle_timeout_ms == $IDLE and
			    (if .dport == 5000 then
				.chain == (if .sport <= 10499 then 2 else 3 end)
			     else
				.sport == 5000 and
				.chain == (if .dport <= 10499 then 4 else 5 end)
			     end))' >/dev/null <<<'$rules'"
	gen_wait
	local srx arx brx j
	j=$(nf_json steer)
	srx=$(nf_rx steer)
	arx=$(nf_rx fwd-a)
	brx=$(nf_rx fwd-b)
	diag "sent $SENT received $RECEIVED; rx steer $srx fwd-a $arx fwd-b $brx"
	diag "steer: $j"
	check "traffic: $FRAMES frames sent, all received ($RECEIVED)" \
		eval "[[ $SENT -eq $FRAMES && $RECEIVED -eq $SENT ]]"
	# Past the first: frames in flight until nfvd has the rules (a
	# flow's next frame comes FLOWS / RATE = 100 ms later here: 2000
	# rules in the first 100 ms, on 2 cores shared with the sender,
	# the sink and 3 NFs).  A burst of rules nfvd's socket does not
	# take at once waits in libnfv's queue.
	check "steer: saw each flow's first frame, ~$FLOWS frames ($srx <= 1.1 x $FLOWS of $SENT)" \
		eval "[[ $srx -ge $FLOWS && $srx -le $((FLOWS * 11 / 10)) ]]"
	check "steer: no rule failed to be sent (libnfv queues a burst)" \
		[ "$(jq .rules_failed <<<"$j")" -eq 0 ]
	check "steer: $FLOWS flows steered, 500 by each rule" \
		eval "[[ \$(jq -c '[.flows_steered, .rules[0].flows, .rules[1].flows]' <<<'$j') == '[$FLOWS,500,500]' ]]"
	check "steer: at least $((2 * FLOWS)) rules sent" \
		[ "$(jq .rules_sent <<<"$j")" -ge $((2 * FLOWS)) ]
	# Anything else s0 sent: unmatched or not steerable.
	local other
	other=$(jq '.unmatched + .not_steerable' <<<"$j")
	check "chains: every frame went through steer or its flow's chain ($srx - $other + $arx + $brx = $SENT)" \
		[ $((srx - other + arx + brx)) -eq "$SENT" ]
	check "chain 2: the frames of sport 10000-10499 but their first ($arx)" \
		eval "[[ $arx -le $((FRAMES / 2)) && $arx -ge $((FRAMES / 2 - srx)) ]]"
	check "chain 3: the frames of sport 10500-10999 but their first ($brx)" \
		eval "[[ $brx -le $((FRAMES / 2)) && $brx -ge $((FRAMES / 2 - srx)) ]]"
	check "idle: the rules are gone $IDLE ms after the flows stopped (<= 3 timeouts)" \
		busywait $((3 * IDLE + 1000)) eval '[[ $(steer_rules) -eq 0 ]]'
	diag "after idle: $(nfvctl -j flow show | jq length) rules in all"
	# A flow back after its rules went is steered again.
	gen_flows 1 200
	gen_wait
	check "idle: a flow back after its rules went is steered again" \
		eval "[[ \$(nf_json steer | jq .flows_steered) -eq $((FLOWS + 1)) && $RECEIVED -eq 200 ]]"
	nf_stop_all
}

refused() {
	printf 'user root services all\n' >"$POLICY"
	kill -HUP "$NFVD_PID"
	busywait 2000 grep -q "$POLICY: 1 rules" "$RUNDIR/nfvd.log"
	printf 'proto udp chain 2 reply-chain 4\n' >"$RULES"
	NF_BIN=forward start_nf fwd-a 2
	wait_replicas 2 1
	start_steer
	gen_flows 10 2000
	gen_wait
	local srx arx j id
	srx=$(nf_rx steer)
	arx=$(nf_rx fwd-a)
	j=$(nf_json steer)
	id=$(steer_id)
	diag "policy without flows: sent $SENT received $RECEIVED; rx steer $srx fwd-a $arx; $(nfvctl -j nf show "$id" -s | jq -c '.[0] | del(.counters)' 2>/dev/null)"
	check "no flows in the policy: no rule installed" \
		[ "$(steer_rules)" -eq 0 ]
	check "no flows in the policy: steer forwarded all $SENT frames itself ($srx)" \
		eval "[[ $srx -eq $SENT && $arx -eq 0 && $RECEIVED -eq $SENT ]]"
	check "no flows in the policy: rules asked for again once a second per flow at most" \
		eval "[[ \$(jq .rules_sent <<<'$j') -ge 20 && \$(jq .rules_sent <<<'$j') -le 80 ]]"
	nf_stop_all
}

bad_rules() {
	printf 'proto udp chain 2 reply-chain 4\n' >"$RULES"
	start_steer
	printf 'proto udp chain 2\n# a typo\nfrm 198.18.0.1 chain 3\n' >"$RULES"
	kill -HUP "${NF_PID[steer]}"
	check "reload: a bad file refused with its line, old rules kept" \
		busywait 2000 grep -q "^nfv-steer: $RULES:3: unknown keyword \"frm\"; keeping the old rules$" "$RUNDIR/steer.log"
	check "reload: counted" \
		eval "[[ \$(nf_json steer | jq -c '[.reload_errors, .rules[0].chain]') == '[1,2]' ]]"
	nf_stop_all
	"$BIN/nfv-steer" --service 1 --socket "$SOCK" --rules "$RULES" \
		>"$RUNDIR/bad.log" 2>&1
	local rc=$?
	check "start: a bad rule file stops the start with its line number" \
		eval '[[ $rc -ne 0 ]] && grep -q "^nfv-steer: $RULES:3: unknown keyword \"frm\"$" "$RUNDIR/bad.log"'
}

echo "TAP version 13"
printf 'user root services all flows chains 1-100\n' >"$POLICY"
setup_topology
# Only the generator's frames from s0 (no neighbour discovery, no MLD):
# every frame steer sees is one of its flows'.
in_src sysctl -qw net.ipv6.conf.s0.disable_ipv6=1
start_nfvd --policy "$POLICY" || { diag "nfvd did not start"; sed 's/^/# /' "$RUNDIR/nfvd.log"; exit 1; }
nfvctl port add f1 >/dev/null || exit 1
nfvctl chain add 1 service 1 out f1 >/dev/null &&
nfvctl chain add 2 service 2 out f1 >/dev/null &&
nfvctl chain add 3 service 3 out f1 >/dev/null &&
nfvctl port add f0 default-chain 1 >/dev/null &&
nfvctl chain add 4 service 2 out f0 >/dev/null &&
nfvctl chain add 5 service 3 out f0 >/dev/null || exit 1
steering
refused
bad_rules
echo "1..$_tap_n"
tap_exit
