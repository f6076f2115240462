#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfvd --metrics and the NFs' own counters: known traffic through a chain
# of firewall, IDS, NAT and LB (and a rate limiter on a flow rule), then
#  - /metrics is accepted by promtool check metrics; GET only (405),
#    /metrics only (404);
#  - port and NF counters on the page equal nfvctl's and the datagrams
#    sent, exactly;
#  - each NF's own counters (rule hits, alerts, sessions, backend
#    packets, drops) are on the page, in nfvctl nf show ID -s (text and
#    JSON) and equal to what the NF itself reports (SIGUSR1 JSON) and to
#    the traffic sent;
#  - a real Prometheus server scrapes nfvd and its HTTP API returns a
#    counter's value;
#  - a hostile NF's malformed counter sets are refused one by one and
#    counted, its good set is served with its label escaped, and the page
#    stays valid;
#  - after nfvd is killed and started again, the NFs publish again.
#
#   ns src            ns fabric (nfvd --metrics 127.0.0.1:9100, prometheus)    ns dst
#   s0 198.18.0.1 --- f0 == fw (1) - ids (3) - nat (4) - lb (5) ==> f1 --- d0 198.18.0.2
#                        \= udp dport 9002: ratelimit (2) =========> f1
#
# Ports 9100 and 9090 are on the fabric namespace's own loopback: free.

source "$(dirname "$0")/nf_lib.sh"
nf_require nfv-firewall nfv-ids nfv-nat nfv-lb nfv-ratelimit
HOSTILE=$TOP/build/selftests/nf_hostile_helper
for t in curl promtool prometheus; do
	command -v $t >/dev/null ||
		{ echo "1..0 # SKIP $t not installed (tools/install-deps)"; exit $ksft_skip; }
done
[[ -x $HOSTILE ]] || { echo "1..0 # SKIP $HOSTILE not built"; exit $ksft_skip; }

MPORT=9100
PPORT=9090
URL=http://127.0.0.1:$MPORT/metrics
PAGE=$RUNDIR/metrics.txt

page() { in_fab curl -m 10 -sf "$URL" >"$PAGE" && cat "$PAGE"; }
# sample NAME LABELS: the value of the sample NAME{LABELS} on a fresh page
sample() {
	page | awk -v s="$1{$2}" 'index($0, s " ") == 1 { print $2 }'
}
nf_id() { nfvctl -j nf show | jq ".[] | select(.name == \"$1\") | .id"; }
own() {		# own NF COUNTER [LABEL_VALUE]: nfvctl nf show ID -s -j
	nfvctl -j nf show "$(nf_id "$1")" -s |
		jq ".[0].counters[] | select(.name == \"$2\"${3:+ and .label_value == \"$3\"}) | .value"
}
# wait_own NF COUNTER VALUE [LABEL_VALUE]: the NF published VALUE
wait_own() {
	busywait $((5000 * TIME_SCALE)) eval "[[ \$(own $1 $2 ${4:-}) == $3 ]]"
}

setup() {
	setup_topology
	start_nfvd --metrics 127.0.0.1:$MPORT ||
		{ diag "nfvd did not start"; sed 's/^/# /' "$RUNDIR/nfvd.log"; exit 1; }
	nfvctl port add f1 >/dev/null && nfvctl port add f0 >/dev/null || exit 1
	cat >"$RUNDIR/fw.rules" <<-'EOF'
	allow proto udp dport 9000
	deny proto udp dport 9001
	default allow
	EOF
	printf '1:EVIL\n' >"$RUNDIR/patterns.txt"
	NF_BIN=firewall start_nf fw 1 --rules "$RUNDIR/fw.rules"
	NF_BIN=ratelimit start_nf rl 2 --rate 1 --burst 5
	NF_BIN=ids start_nf ids 3 --patterns "$RUNDIR/patterns.txt" --alerts -
	NF_BIN=nat start_nf nat 4 --external 198.18.0.100 --inside f0
	NF_BIN=lb start_nf lb 5 --vip 198.18.0.2:9000 --backend 198.18.0.2:9000
	local s
	for s in 1 2 3 4 5; do
		wait_replicas $s 1 || { diag "service $s did not come up"; exit 1; }
	done
	nfvctl chain add 1 service 1 service 3 service 4 service 5 out f1 >/dev/null &&
	nfvctl chain add 3 service 2 out f1 >/dev/null &&
	nfvctl flow add in f0 proto udp dport 9002 chain 3 >/dev/null &&
	nfvctl port del f0 >/dev/null &&
	nfvctl port add f0 default-chain 1 >/dev/null || exit 1
}

traffic() {
	local out
	out=$(udp_through 100 200 9000)
	check "traffic: 100 datagrams to udp 9000 through fw, ids, nat, lb ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
	out=$(udp_through 30 200 9001)
	check "traffic: 30 datagrams to udp 9001 denied by the firewall ($out)" \
		[ "$out" = "received 0 bad 0 dup 0 bytes 0" ]
	in_dst "$TRAFFIC" udp-recv 9000 100 2000 >"$RUNDIR/evil.out" &
	local rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/evil.out"
	in_src "$TRAFFIC" udp-msg 198.18.0.2 9000 5 "xxEVILxx" 41000 >/dev/null
	wait $rpid
	# udp-recv counts a payload other than its own as "bad"
	check "traffic: 5 datagrams carrying EVIL cross ($(tail -1 "$RUNDIR/evil.out"))" \
		eval '[[ $(awk "/^received/ {print \$2 + \$4}" "$RUNDIR/evil.out") -eq 5 ]]'
	in_dst "$TRAFFIC" udp-recv 9002 100 2000 >"$RUNDIR/rl.out" &
	rpid=$!
	busywait 2000 grep -qs ready "$RUNDIR/rl.out"
	in_src "$TRAFFIC" udp-send 198.18.0.2 9002 50 200 >/dev/null
	wait $rpid
	RL_RCV=$(awk '/received/ {print $2}' "$RUNDIR/rl.out")
	diag "ratelimit 1 pps burst 5: $RL_RCV of 50 delivered"
}

http() {
	local code
	check "http: GET /metrics answers 200 with the exposition format" \
		eval '[[ $(in_fab curl -m 10 -s -o /dev/null -w "%{http_code} %{content_type}" "$URL") == "200 text/plain; version=0.0.4; charset=utf-8" ]]'
	code=$(in_fab curl -m 10 -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL")
	check "http: POST /metrics is refused with 405 ($code)" [ "$code" = 405 ]
	code=$(in_fab curl -m 10 -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/")
	check "http: GET / is 404 ($code)" [ "$code" = 404 ]
	code=$(in_fab curl -m 10 -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/metricsx")
	check "http: GET /metricsx is 404 ($code)" [ "$code" = 404 ]
	check "http: only the fabric's loopback listens (127.0.0.1:$MPORT)" \
		eval '[[ $(in_fab ss -Htln "sport = :$MPORT" | awk "{print \$4}") == 127.0.0.1:$MPORT ]]'
}

promtool_ok() {
	page >/dev/null
	check "promtool check metrics accepts the page ($(wc -l <"$PAGE") lines)" \
		eval 'promtool check metrics <"$PAGE"'
	check "each family has one HELP and one TYPE" \
		eval '[[ -z $(grep "^# TYPE" "$PAGE" | awk "{print \$3}" | sort | uniq -d) &&
			 $(grep -c "^# HELP" "$PAGE") -eq $(grep -c "^# TYPE" "$PAGE") ]]'
}

fabric_counters() {
	local fw ids stats p
	fw=$(nf_id fw)
	ids=$(nf_id ids)
	stats=$(nfvctl -j stats)
	page >/dev/null
	p=$(nfvctl -j port show | jq '.[] | select(.name == "f0") | .id')
	check "port: nfv_port_rx_total{port=f0} = nfvctl's rx (>= 185)" \
		busywait 5000 eval '[[ $(sample nfv_port_rx_total "port=\"f0\",id=\"$p\"") == "$(port_counter f0 rx)" && $(port_counter f0 rx) -ge 185 ]]'
	check "port: nfv_port_redirect_total{port=f0} = nfvctl's redirect" \
		busywait 5000 eval '[[ $(sample nfv_port_redirect_total "port=\"f0\",id=\"$p\"") == "$(port_counter f0 redirect)" ]]'
	# Whatever else s0 sends (IPv6 multicast) takes chain 1 too: the
	# firewall's own counts say what it saw.
	local fwl="nf=\"$fw\",name=\"fw\",service=\"1\""
	local idsl="nf=\"$ids\",name=\"ids\",service=\"3\""
	check "nf: firewall rx = its rule 1 + rule 2 + default hits (page)" \
		eval '[[ $(sample nfv_nf_rx_total "$fwl") -eq $(( $(sample nfv_nf_own_rule_hits_total "$fwl,rule=\"1\"") + $(sample nfv_nf_own_rule_hits_total "$fwl,rule=\"2\"") + $(sample nfv_nf_own_default_hits_total "$fwl") )) ]]'
	check "nf: nfv_nf_drop_total of the firewall = 30 denied" \
		eval '[[ $(sample nfv_nf_drop_total "$fwl") -eq 30 ]]'
	check "nf: IDS rx = firewall rx - 30 denied, and >= 105" \
		eval '[[ $(sample nfv_nf_rx_total "$idsl") -eq $(( $(sample nfv_nf_rx_total "$fwl") - 30 )) && $(sample nfv_nf_rx_total "$idsl") -ge 105 ]]'
	check "nf: page's rx of each NF = nfvctl nf show's" \
		eval '[[ $(page | awk "/^nfv_nf_rx_total/ {print \$2}" | xargs) == "$(nfvctl -j nf show | jq -r "sort_by(.id) | .[].rx" | xargs)" ]]'
	check "nf: nfv_nf_up of the 5 NFs is 1" \
		eval '[[ $(grep -c "^nfv_nf_up{.*} 1$" "$PAGE") -eq 5 ]]'
	check "fabric: nfv_umem_frames = nfvctl stats' total" \
		eval '[[ $(awk "/^nfv_umem_frames / {print \$2}" "$PAGE") -eq $(jq .frames.total <<<"$stats") ]]'
	check "fabric: frames by state add up to the UMEM" \
		eval '[[ $(awk "/^nfv_frames\\{/ {s += \$2} END {print s}" "$PAGE") -eq $(jq .frames.total <<<"$stats") ]]'
}

own_counters() {
	local fw s rl_json
	fw=$(nf_id fw)
	check "firewall: rule 1 hits = 105 allowed datagrams (nf show -s)" \
		wait_own fw rule_hits 105 1
	check "firewall: rule 2 hits = 30 denied datagrams (nf show -s)" \
		wait_own fw rule_hits 30 2
	check "firewall: the page has rule 1's hits, labelled" \
		eval '[[ $(sample nfv_nf_own_rule_hits_total "nf=\"$fw\",name=\"fw\",service=\"1\",rule=\"1\"") -eq 105 ]]'
	kill -USR1 "${NF_PID[fw]}"
	check "firewall: its own report agrees (SIGUSR1)" \
		busywait 2000 grep -q "^rule 1 line 1 allow proto udp dport 9000 packets 105 " "$RUNDIR/fw.log"
	s=$(nf_json ids)
	check "ids: alerts published = its own count = 5 EVIL datagrams ($(jq -c .stats.alerts <<<"$s"))" \
		eval '[[ $(jq .stats.alerts <<<"$s") -eq 5 ]] && wait_own ids alerts 5'
	s=$(nf_json nat)
	check "nat: sessions published = its table ($(jq .conns <<<"$s"))" \
		eval 'wait_own nat sessions "$(jq .conns <<<"$s")" && [[ $(jq .conns <<<"$s") -ge 1 ]]'
	check "nat: translated out = 105" wait_own nat translated_out 105
	check "nat: no allocation failed" \
		eval 'wait_own nat alloc_failed_no_port 0 && wait_own nat alloc_failed_table_full 0'
	check "lb: backend 198.18.0.2:9000 got the 105 datagrams" \
		wait_own lb backend_packets 105 198.18.0.2:9000
	check "lb: 1 backend" wait_own lb backends 1
	# Before any signal wakes it: the limiter's chain has no other
	# traffic, so only the run loop's own wake-up publishes the last
	# batches of the burst (they came within 200 ms of the first).
	check "ratelimit: idle after the burst, it published all of it (passed + dropped = 50)" \
		busywait 5000 eval '[[ $(( $(own rl passed) + $(own rl dropped) )) -eq 50 ]]'
	rl_json=$(nf_json rl)
	check "ratelimit: passed = the $RL_RCV delivered, dropped = 50 - passed" \
		eval '[[ $(jq .passed <<<"$rl_json") -eq $RL_RCV ]] && wait_own rl passed "$RL_RCV" && wait_own rl dropped $((50 - RL_RCV))'
	check "ratelimit: it dropped most of 50 at 1 pps ($((50 - RL_RCV)))" \
		[ $((50 - RL_RCV)) -ge 40 ]
	check "ratelimit: drops on the page as nfv_nf_own_dropped_total" \
		eval '[[ $(page | grep -c "^nfv_nf_own_dropped_total{nf=\"$(nf_id rl)\",name=\"rl\",service=\"2\"} $((50 - RL_RCV))$") -eq 1 ]]'
	nfvctl nf show "$fw" -s >"$RUNDIR/show.txt"
	check "nf show ID -s (text): one line per counter, rule 1 with its label" \
		eval 'grep -q "^nf $fw name fw service 1 published [0-9]* refused 0$" "$RUNDIR/show.txt" &&
		      grep -q "^    rule_hits{rule=\"1\"} 105$" "$RUNDIR/show.txt"'
	check "nf show ID -s: a type, a help per counter (JSON)" \
		eval '[[ $(nfvctl -j nf show "$fw" -s | jq -r ".[0].counters[0] | .type + \" \" + (.help | length > 0 | tostring)") == "counter true" ]]'
}

prometheus_scrapes() {
	local q v=""
	cat >"$RUNDIR/prom.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  evaluation_interval: 1s
	scrape_configs:
	  - job_name: nfvd
	    static_configs:
	      - targets: ['127.0.0.1:$MPORT']
	EOF
	# Not through in_fab: $! must be prometheus itself, to stop it.
	ip netns exec "$NS_FAB" prometheus --config.file="$RUNDIR/prom.yml" \
		--storage.tsdb.path="$RUNDIR/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" \
		>"$RUNDIR/prometheus.log" 2>&1 &
	local ppid=$!
	defer "kill $ppid; wait $ppid"
	q='nfv_nf_own_rule_hits_total{name="fw",rule="2"}'
	busywait $((30000 * TIME_SCALE)) eval '
		v=$(in_fab curl -m 10 -sfG "http://127.0.0.1:$PPORT/api/v1/query" \
			--data-urlencode "query=$q" | jq -r ".data.result[0].value[1]")
		[[ $v == 30 ]]'
	check "prometheus: scraped nfvd; $q = 30 through its API ($v)" [ "$v" = 30 ]
	q='up{job="nfvd"}'
	v=$(in_fab curl -m 10 -sfG "http://127.0.0.1:$PPORT/api/v1/query" \
		--data-urlencode "query=$q" | jq -r '.data.result[0].value[1]')
	check "prometheus: the target is up ($v)" [ "$v" = 1 ]
}

hostile() {
	local id out want n name
	"$HOSTILE" "$SOCK" 7 counters >"$RUNDIR/hostile.out" 2>&1 &
	local hpid=$!
	defer "kill $hpid 2>/dev/null; wait $hpid 2>/dev/null"
	busywait $((5000 * TIME_SCALE)) grep -q '^done$' "$RUNDIR/hostile.out"
	# its answers; libnfv's "nfv: nfvd: ..." lines on stderr say why
	out=$(grep -E '^[a-z-]+ (ok|E[A-Z0-9]+)$' "$RUNDIR/hostile.out" | xargs)
	want="good ok bad-char EINVAL leading-digit EINVAL empty-name EINVAL"
	want+=" too-many E2BIG no-nul EINVAL long-name EINVAL value-len EINVAL"
	want+=" no-value EINVAL reserved-label EINVAL duplicate EEXIST"
	want+=" help-newline EINVAL bad-type ERANGE truncated EINVAL"
	want+=" half-label EINVAL total-suffix EINVAL label-ctrl EINVAL"
	want+=" two-types EINVAL unknown-attr EINVAL not-a-counter EINVAL"
	want+=" good-again ok"
	check "hostile: every malformed counter set refused with its error" \
		[ "$out" = "$want" ]
	id=$(awk '/^attached id/ {print $3}' "$RUNDIR/hostile.out")
	n=$(grep -c "^E" <<<"${out// /$'\n'}")
	check "hostile: the $n refusals are counted (nf show -s: refused)" \
		eval '[[ $(nfvctl -j nf show "$id" -s | jq ".[0].refused") -eq $n ]]'
	check "hostile: its last good set is kept (value 8, 2 counters)" \
		eval '[[ $(nfvctl -j nf show "$id" -s | jq -c "[.[0].counters[].value]") == "[8,3]" ]]'
	page >/dev/null
	name="nf=\"$id\",name=\"hostile\",service=\"7\""
	check "hostile: its label value a\"b\\c is escaped on the page" \
		grep -qF "nfv_nf_own_hostile_hits_total{$name,k=\"a\\\"b\\\\c\"} 8" "$PAGE"
	check "hostile: its help's backslash is escaped" \
		grep -qF '# HELP nfv_nf_own_hostile_hits_total A help with a \\ backslash' "$PAGE"
	check "hostile: the page is still valid (promtool)" \
		eval 'promtool check metrics <"$PAGE"'
	check "hostile: counters_refused on the page" \
		eval '[[ $(sample nfv_nf_counters_refused_total "$name") -eq $n ]]'
	"$HOSTILE" "$SOCK" 8 oversize >"$RUNDIR/oversize.out" 2>&1
	check "hostile: a set longer than nfvd takes: it hangs up ($(grep ^oversize "$RUNDIR/oversize.out"))" \
		grep -qx "oversize ECONNRESET" "$RUNDIR/oversize.out"
	check "hostile: nfvd still answers and the others' counters stand" \
		wait_own fw rule_hits 105 1
	check "hostile: the page is valid after all of it (promtool)" \
		eval 'page >/dev/null && promtool check metrics <"$PAGE"'
}

# nfvd killed and started again: the NFs attach again and publish their
# counters anew (the new nfvd knows none), unchanged and without traffic.
# This time --metrics PORT alone: 127.0.0.1 is the default.
restarted() {
	local fw_hits lb_hits
	fw_hits=$(sample nfv_nf_own_rule_hits_total "nf=\"$(nf_id fw)\",name=\"fw\",service=\"1\",rule=\"1\"")
	lb_hits=$(own lb backend_packets 198.18.0.2:9000)
	kill -9 "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	start_nfvd --metrics $MPORT ||
		{ diag "nfvd did not start again"; return 1; }
	check "restart: the firewall publishes again, rule 1 still $fw_hits" \
		busywait $((15000 * TIME_SCALE)) eval '[[ -n $fw_hits && $(sample nfv_nf_own_rule_hits_total "nf=\"$(nf_id fw)\",name=\"fw\",service=\"1\",rule=\"1\"") == "$fw_hits" ]]'
	check "restart: so does the LB ($lb_hits to its backend)" \
		wait_own lb backend_packets "$lb_hits" 198.18.0.2:9000
	check "restart: --metrics PORT listens on 127.0.0.1 only" \
		eval '[[ $(in_fab ss -Htln "sport = :$MPORT" | awk "{print \$4}") == 127.0.0.1:$MPORT ]]'
	# The hostile NF of hostile() kept its sockets: nfvd killed it
	# and has its ports back (restore.c), so the chain carries on.
	local out
	out=$(SPORT=43000 udp_through 100 200 9000)
	check "restart: the chain carries traffic again ($out)" \
		[ "$out" = "received 100 bad 0 dup 0 bytes 20000" ]
}

# A steady stream: nfvd lingers (--linger-us, default 500) between the
# frames and no NF has to kick it awake; without, every burst of every
# NF would (a system call and a wake-up each).
linger() {
	local k0 k1 out
	k0=$(page | awk '$1 == "nfv_nfvd_kicked_total" { print $2 }')
	out=$(UDP_PPS=20000 SPORT=42000 udp_through 10000 200 9000)
	k1=$(page | awk '$1 == "nfv_nfvd_kicked_total" { print $2 }')
	check "linger: 10000 datagrams at 20 kpps through fw, ids, nat, lb ($out)" \
		eval '[[ $(awk "{print \$2}" <<<"$out") -ge 9900 ]]'
	check "linger: NFs woke nfvd $((k1 - k0)) times for them (< 500)" \
		eval '[[ -n $k0 && -n $k1 ]] && (( k1 - k0 < 500 ))'
}

# [v6]:PORT, and what --metrics refuses before nfvd does anything.
addresses() {
	kill "$NFVD_PID"
	wait "$NFVD_PID" 2>/dev/null
	start_nfvd --metrics "[::1]:$MPORT" ||
		{ diag "nfvd did not start again"; return 1; }
	check "--metrics [::1]:PORT: /metrics over IPv6 loopback" \
		busywait 5000 eval 'in_fab curl -m 10 -gsf "http://[::1]:$MPORT/metrics" | grep -q "^nfv_umem_frames "'
	local a bad=""
	for a in 0 65536 x 1.2.3:80 "[::1:80" "[nope]:80" 127.0.0.1: :80; do
		"$BIN/nfvd" --socket "$RUNDIR/never.sock" --metrics "$a" \
			>"$RUNDIR/bad.out" 2>&1 &&
			bad+=" $a(started)"
		grep -q "invalid --metrics" "$RUNDIR/bad.out" || bad+=" $a"
	done
	check "--metrics refuses 0, 65536, x, 1.2.3:80, [::1:80, [nope]:80, 127.0.0.1:, :80${bad:+ (not:$bad)}" \
		[ -z "$bad" ]
}

echo "TAP version 13"
setup
traffic
http
promtool_ok
fabric_counters
own_counters
prometheus_scrapes
hostile
linger
restarted
addresses
echo "1..$_tap_n"
tap_exit
