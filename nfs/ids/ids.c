// SPDX-License-Identifier: GPL-2.0
/* nfv-ids data path: payload, scan, alert, remember, steer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nfv_match.h>

#include "../common/json.h"
#include "ids.h"

int ids_init(struct ids *ids, uint32_t max_flows, uint64_t flow_timeout)
{
	ids->max_flows = max_flows;
	ids->flow_timeout = flow_timeout;
	/* flow_timeout 0 would mean "never" to the table: keep 0 = 1 ns. */
	ids->flows = nfv_ftable_create(max_flows, sizeof(struct ids_flow),
				       flow_timeout ? flow_timeout : 1);
	return ids->flows ? 0 : -ENOMEM;
}

void ids_free(struct ids *ids)
{
	matcher_fini(&ids->m);
	patterns_free(&ids->ps);
	nfv_ftable_free(ids->flows);
	ids->flows = NULL;
}

static void canon_key(struct nfv_ftable_key *key, const struct nf_flow_key *k)
{
	struct nf_flow_key c = *k;

	nf_flow_canon(&c);
	nf_ftable_key(key, &c);
}

struct ids_flow *ids_flagged(struct ids *ids, const struct nf_flow_key *k,
			     uint64_t hint)
{
	struct nfv_ftable_key key;

	canon_key(&key, k);
	return nfv_ftable_lookup(ids->flows, &key, hint);
}

uint32_t ids_n_flows(const struct ids *ids)
{
	struct nfv_ftable_stats st;

	nfv_ftable_stats(ids->flows, &st);
	return (uint32_t)st.entries;
}

static struct ids_flow *flag(struct ids *ids, const struct nf_flow_key *k,
			     uint64_t hint, uint32_t id)
{
	struct nfv_ftable_key key;
	struct ids_flow *f;

	canon_key(&key, k);
	f = nfv_ftable_insert(ids->flows, &key, hint, ids->now, NULL);
	if (!f) {
		ids->st.flow_table_full++;
		return NULL;
	}
	f->first_id = id;
	ids->st.flagged++;
	return f;
}

uint32_t ids_sweep(struct ids *ids, uint64_t now)
{
	uint32_t n = nfv_ftable_expire(ids->flows, now, 0);

	ids->st.expired += n;
	return n;
}

/* The bytes to scan: the L4 payload, else what follows the IP header. */
static bool payload(struct nfv_pkt *pkt, uint32_t *start, uint32_t *end)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	uint32_t s, e;

	if ((ip = nfv_pkt_ipv4(pkt))) {
		e = m->l3_off + ntohs(ip->tot_len);
		s = m->l3_off + ip->ihl * 4u;
	} else if ((ip6 = nfv_pkt_ipv6(pkt))) {
		e = m->l3_off + 40u + ntohs(ip6->payload_len);
		s = m->l3_off + 40u;
	} else {
		return false;
	}
	if (m->l4_off) {
		s = m->l4_off;
		if (m->l4_proto == IPPROTO_TCP && pkt->len >= s + 13u)
			s += (pkt->data[s + 12] >> 4) * 4u;
		else if (m->l4_proto == IPPROTO_UDP ||
			 m->l4_proto == IPPROTO_ICMP ||
			 m->l4_proto == IPPROTO_ICMPV6)
			s += 8;
	}
	if (e > pkt->len)
		e = pkt->len;
	*start = s;
	*end = e;
	return s < e;
}

static int on_hit(unsigned int idx, size_t end, void *ctx)
{
	struct ids *ids = ctx;

	if (ids->n_hits == IDS_HITS_MAX)
		return 1;
	ids->hits[ids->n_hits] = idx;
	ids->ends[ids->n_hits++] = end;
	return 0;
}

static void alert(struct ids *ids, const struct nf_flow_key *k, unsigned int i,
		  const char *action, bool tap)
{
	const struct pattern *p = &ids->ps.p[ids->hits[i]];
	FILE *f = ids->alerts;

	if (!f)
		return;
	fprintf(f, "{\"ts\":");
	nf_json_time(f, (int64_t)ids->now + ids->mono_to_real);
	fprintf(f, ",\"id\":%u,\"pattern\":", p->id);
	nf_json_string(f, p->text);
	fputc(',', f);
	nf_flow_json(f, k);
	fprintf(f, ",\"offset\":%zu,\"action\":\"%s\",\"tap\":%s}\n",
		ids->ends[i], action, tap ? "true" : "false");
}

/*
 * Flow rules sending the flagged flow of @pkt to the divert chain (and
 * its replies to theirs), living as long as the flow does (idle:
 * --flow-timeout).  Sent
 * again at most once a second while its frames still come here (nfvd
 * may have been busy, or restarted).
 */
static void divert(struct ids *ids, struct nfv_pkt *pkt, struct ids_flow *f)
{
	uint64_t idle_ms = ids->flow_timeout / 1000000;
	bool first = !f->divert_ns;
	struct nfv_match m, r;

	if (!first && ids->now - f->divert_ns < 1000000000ULL)
		return;
	f->divert_ns = ids->now;
	if (idle_ms > 86400000)
		idle_ms = 86400000;
	if (nfv_pkt_match(pkt, false, &m) || nfv_pkt_match(pkt, true, &r) ||
	    nfv_flow_add(ids->nf, &m, ids->divert_chain, (uint32_t)idle_ms) ||
	    (ids->divert_reply_chain &&
	     nfv_flow_add(ids->nf, &r, ids->divert_reply_chain,
			  (uint32_t)idle_ms))) {
		ids->st.divert_failed++;
		f->divert_ns = 0;
		return;
	}
	if (first)
		ids->st.diverted++;
}

uint32_t ids_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct ids *ids = ctx;
	bool tap = pkt->flags & NFV_PKT_F_TAP;
	const char *action = "alert";
	struct nf_flow_key k;
	struct ids_flow *f;
	uint32_t s, e;
	unsigned int i;

	ids->st.packets++;
	if (tap)
		ids->st.tap++;
	if (!nf_flow_key(pkt, &k)) {
		ids->st.other++;
		return NFV_NEXT;
	}
	f = ids_flagged(ids, &k, pkt->meta->hash);
	ids->n_hits = 0;
	if (payload(pkt, &s, &e)) {
		ids->st.scanned++;
		ids->st.scanned_bytes += e - s;
		matcher_scan(&ids->m, pkt->data + s, e - s, on_hit, ids);
	}
	if (ids->n_hits && !f)
		f = flag(ids, &k, pkt->meta->hash, ids->ps.p[ids->hits[0]].id);
	if (f) {
		nfv_ftable_touch(ids->flows, f, ids->now);
		f->packets++;
	}
	if (f && !tap)
		action = ids->steer_sid ? "steer" : ids->drop ? "drop" :
			 ids->divert_chain ? "divert" : "alert";
	for (i = 0; i < ids->n_hits; i++) {
		ids->ps.p[ids->hits[i]].hits++;
		ids->st.alerts++;
		alert(ids, &k, i, action, tap);
	}
	if (ids->n_hits && ids->alerts)
		fflush(ids->alerts);
	if (!f || tap)
		return NFV_NEXT;
	if (ids->steer_sid) {
		ids->st.steered++;
		return NFV_TO_SERVICE(ids->steer_sid);
	}
	if (ids->drop) {
		ids->st.dropped++;
		return NFV_DROP;
	}
	if (ids->divert_chain && ids->nf)
		divert(ids, pkt, f);
	return NFV_NEXT;
}

void ids_json(FILE *f, const struct ids *ids)
{
	bool first = true;
	unsigned int i;

	fprintf(f, "{\"stats\":{\"engine\":\"%s\",\"patterns\":%u,"
		"\"packets\":%llu,\"scanned\":%llu,\"scanned_bytes\":%llu,"
		"\"alerts\":%llu,\"flagged\":%llu,\"flows\":%u,"
		"\"flow_table_full\":%llu,\"expired\":%llu,\"steered\":%llu,"
		"\"dropped\":%llu,\"diverted\":%llu,\"divert_failed\":%llu,"
		"\"tap\":%llu,\"other\":%llu,\"hits\":{",
		ids->m.ops ? ids->m.ops->name : "none", ids->ps.n,
		(unsigned long long)ids->st.packets,
		(unsigned long long)ids->st.scanned,
		(unsigned long long)ids->st.scanned_bytes,
		(unsigned long long)ids->st.alerts,
		(unsigned long long)ids->st.flagged, ids_n_flows(ids),
		(unsigned long long)ids->st.flow_table_full,
		(unsigned long long)ids->st.expired,
		(unsigned long long)ids->st.steered,
		(unsigned long long)ids->st.dropped,
		(unsigned long long)ids->st.diverted,
		(unsigned long long)ids->st.divert_failed,
		(unsigned long long)ids->st.tap,
		(unsigned long long)ids->st.other);
	/* Per pattern id (ids may repeat: one entry per line). */
	for (i = 0; i < ids->ps.n; i++) {
		if (!ids->ps.p[i].hits)
			continue;
		fprintf(f, "%s\"%u@%u\":%llu", first ? "" : ",", ids->ps.p[i].id,
			ids->ps.p[i].line, (unsigned long long)ids->ps.p[i].hits);
		first = false;
	}
	fprintf(f, "}}}\n");
}
