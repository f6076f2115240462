#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfv-firewall on real traffic: allow/deny by the nfvctl match grammar,
# per-rule counters (SIGUSR1, --stats-json), "in DEV", SIGHUP reloads
# under traffic without loss, bad rule files refused with their line.
#
#   ns src            ns fabric (nfvd)                       ns dst
#   s0 198.18.0.1 --- f0 == fw (service 1) == f1 --- d0 198.18.0.2
#                     (both directions through the same firewall)

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-firewall

RULES=$RUNDIR/rules.txt
STATS=$RUNDIR/fw.json

stats() {	# stats: fresh --stats-json after SIGUSR1
	rm -f "$STATS"
	kill -USR1 "${NF_PID[fw]}"
	busywait 2000 test -s "$STATS" && cat "$STATS"
}
rule_packets() { stats | jq ".rules[$(($1 - 1))].packets"; }

start_fw() {
	NF_BIN=firewall start_nf fw 1 --rules "$RULES" --stats-json "$STATS"
	wait_replicas 1 1
}

allow_deny() {
	cat >"$RULES" <<-'EOF'
	# udp 9000 passes, 9001 does not; ping and one tcp port both ways
	allow proto udp dport 9000
	deny  proto udp dport 9001
	allow proto icmp
	allow proto tcp dport 9003
	allow proto tcp sport 9003
	default deny
	EOF
	start_fw
	local out
	out=$(udp_through 100 500 9000)
	check "allow: 100/100 datagrams to udp 9000 delivered ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 50000" ]
	out=$(udp_through 50 500 9001)
	check "deny: 0/50 datagrams to udp 9001 delivered ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	check "allow: ping both ways through the firewall" \
		ping_all in_src -c 2 -i 0.2 -W 1 -q 198.18.0.2
	in_dst "$TRAFFIC" tcp-recv 9003 15000 >"$RUNDIR/tcp.out" &
	local rpid=$!
	busywait 2000 grep -q ready "$RUNDIR/tcp.out"
	in_src timeout -k 5 15 "$TRAFFIC" tcp-send 198.18.0.2 9003 1000000 >/dev/null
	wait $rpid
	check "allow: 1 MB of TCP both ways intact" \
		[ "$(tail -1 "$RUNDIR/tcp.out")" = "received 1000000 bad 0" ]
	local s
	s=$(stats)
	diag "counters: $(jq -c '[.rules[].packets] + [.default.packets]' <<<"$s")"
	check "counters: rule 1 counted exactly the 100 allowed datagrams" \
		[ "$(jq '.rules[0].packets' <<<"$s")" -eq 100 ]
	check "counters: rule 1 bytes = 100 frames of 542 bytes" \
		[ "$(jq '.rules[0].bytes' <<<"$s")" -eq 54200 ]
	check "counters: rule 2 counted exactly the 50 denied datagrams" \
		[ "$(jq '.rules[1].packets' <<<"$s")" -eq 50 ]
	check "counters: icmp rule saw 4 frames (2 echo requests, 2 replies)" \
		[ "$(jq '.rules[2].packets' <<<"$s")" -eq 4 ]
	check "counters: both tcp rules saw their direction" \
		eval '[[ $(jq ".rules[3].packets" <<<"$s") -gt 0 && $(jq ".rules[4].packets" <<<"$s") -gt 0 ]]'
	kill -USR1 "${NF_PID[fw]}"
	check "SIGUSR1: text counters on stdout" \
		busywait 2000 grep -q "^rule 2 line 3 deny proto udp dport 9001 packets 50 bytes 27100$" "$RUNDIR/fw.log"
	nf_stop_all
	check "exit: counters printed at exit" \
		grep -q "^default deny packets" "$RUNDIR/fw.log"
}

in_dev() {
	# Only what enters on f0 passes: datagrams arrive, replies do not.
	cat >"$RULES" <<-'EOF'
	allow in f0
	default deny
	EOF
	start_fw
	in_dst "$TRAFFIC" udp-peers 9300 4000 >"$RUNDIR/peers.out" &
	local epid=$!
	busywait 2000 grep -q ready "$RUNDIR/peers.out"
	local out
	out=$(in_src "$TRAFFIC" udp-ping 198.18.0.2 9300 10 100 200)
	wait $epid
	check "in f0: requests cross ($(tail -1 "$RUNDIR/peers.out"))" \
		grep -q "^echoed 10$" "$RUNDIR/peers.out"
	check "in f0: replies entering on f1 are denied ($out)" \
		[ "$out" = "replies 0 bad 0" ]
	nf_stop_all
}

bad_file_refused() {
	cat >"$RULES" <<-'EOF'
	allow proto udp dport 9000
	default deny
	EOF
	start_fw
	cat >"$RULES" <<-'EOF'
	allow proto udp dport 9000
	# the next line has a typo
	deny frm 198.18.0.1
	default allow
	EOF
	kill -HUP "${NF_PID[fw]}"
	check "reload: bad file refused with its line number" \
		busywait 2000 grep -q "^nfv-firewall: $RULES:3: unknown keyword \"frm\"; keeping the old rules$" "$RUNDIR/fw.log"
	local out
	out=$(udp_through 20 200 9000)
	check "reload: old rules still in force after a refused file" \
		[ "$out" = "received 20 bad 0 dup 0 bytes 4000" ]
	out=$(udp_through 20 200 9005)
	check "reload: old default (deny) still in force" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	check "reload: errors counted" \
		[ "$(stats | jq '.reload_errors')" -eq 1 ]
	nf_stop_all
	"$BIN/nfv-firewall" --service 1 --socket "$SOCK" \
		--rules "$RULES" >"$RUNDIR/bad.log" 2>&1
	local rc=$?
	check "start: a bad rule file stops the start with its line number" \
		eval '[[ $rc -ne 0 ]] && grep -q "^nfv-firewall: $RULES:3: unknown keyword \"frm\"$" "$RUNDIR/bad.log"'
}

reload_under_traffic() {
	printf 'allow proto udp dport 9000\ndefault deny\n' >"$RULES"
	start_fw
	# 2000 datagrams over ~2 s while the rules are reloaded every 50 ms.
	in_dst "$TRAFFIC" udp-recv 9000 2000 8000 >"$RUNDIR/udp.out" &
	local rpid=$!
	busywait 2000 grep -q ready "$RUNDIR/udp.out"
	in_src "$TRAFFIC" udp-send-rate 198.18.0.2 9000 2000 300 1000 >/dev/null &
	local spid=$! n=0 base
	base=$(grep -c "^nfv-firewall: reloaded" "$RUNDIR/fw.log")
	while kill -0 $spid 2>/dev/null; do
		if ((n % 2)); then
			printf 'allow proto udp dport 9000\ndefault deny\n' >"$RULES.new"
		else
			printf '# variant\nallow proto udp dport 8999-9000\ndeny proto tcp\ndefault deny\n' >"$RULES.new"
		fi
		mv "$RULES.new" "$RULES"
		kill -HUP "${NF_PID[fw]}"
		n=$((n + 1))
		# Two SIGHUPs pending at once are one signal (POSIX does not
		# queue them): wait for this one's reload before the next.
		busywait 2000 eval '[[ $(grep -c "^nfv-firewall: reloaded" "$RUNDIR/fw.log") -ge $((base + n)) ]]'
		sleep 0.05
	done
	wait $rpid
	local out reloads
	out=$(tail -1 "$RUNDIR/udp.out")
	reloads=$(stats | jq '.reloads')
	diag "$n SIGHUPs, $reloads reloads, $out"
	check "reload under traffic: 2000/2000 datagrams, none lost" \
		[ "$out" = "received 2000 bad 0 dup 0 bytes 600000" ]
	# How many SIGHUPs fit in the send depends on the machine's load;
	# every one of them must have become a reload.
	check "reload under traffic: every SIGHUP reloaded ($reloads of $n, >= 5)" \
		eval '[[ $reloads -ge $n && $n -ge 5 ]]'
	printf 'deny proto udp dport 9000\ndefault allow\n' >"$RULES"
	kill -HUP "${NF_PID[fw]}"
	busywait 2000 eval '[[ $(stats | jq -r .rules[0].action) == deny ]]'
	out=$(udp_through 20 200 9000)
	check "reload: the new rules take effect ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	nf_stop_all
}

# --offload: allowed flows go port to port; a reload that denies them
# takes them back at once.
offload_then_deny() {
	printf 'allow proto udp dport 9000\nallow proto udp sport 9000\ndefault deny\n' >"$RULES"
	NF_BIN=firewall start_nf fw 1 --rules "$RULES" --stats-json "$STATS" --offload
	wait_replicas 1 1
	local o0 out n
	SPORT=41100 udp_through 100 500 9000 >/dev/null
	o0=$(port_counter f0 offload)
	out=$(SPORT=41100 udp_through 1000 500 9000)
	check "offload: 1000/1000 allowed datagrams delivered ($out)" \
		[ "$out" = "received 1000 bad 0 dup 0 bytes 500000" ]
	check "offload: the allowed flow went port to port ($(($(port_counter f0 offload) - o0)) of 1000)" \
		eval '[[ $(($(port_counter f0 offload) - o0)) -ge 990 ]]'
	check "offload: the firewall gave verdicts ($(stats | jq .verdicts))" \
		eval '[[ $(stats | jq .verdicts) -ge 1 ]]'
	printf 'deny proto udp dport 9000\ndefault allow\n' >"$RULES"
	n=$(grep -c "^nfv-firewall: reloaded" "$RUNDIR/fw.log")
	kill -HUP "${NF_PID[fw]}"
	busywait 2000 eval '[[ $(grep -c "^nfv-firewall: reloaded" "$RUNDIR/fw.log") -gt $n ]]'
	check "offload: the reload took the flow back (nfvctl offload show: $(nfvctl -j offload show | jq length) flows)" \
		eval '[[ $(nfvctl -j offload show | jq length) -eq 0 ]]'
	o0=$(port_counter f0 offload)
	out=$(SPORT=41100 udp_through 200 500 9000)
	check "offload: after the reload the offloaded flow is denied ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	check "offload: not one frame of it went port to port after" \
		eval '[[ $(port_counter f0 offload) -eq $o0 ]]'
	nf_stop_all
}

echo "TAP version 13"
nf_setup_fabric
nf_chains 1
allow_deny
in_dev
bad_file_refused
reload_under_traffic
offload_then_deny
echo "1..$_tap_n"
tap_exit
