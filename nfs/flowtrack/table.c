// SPDX-License-Identifier: GPL-2.0
/* nfv-flowtrack flow table: account, sweep, dump. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

int ft_init(struct ft_table *t, uint32_t max, uint64_t idle_ns)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	if (!max)
		return -EINVAL;
	t->max = max;
	t->idle_ns = idle_ns;
	for (t->n_buckets = 1024; t->n_buckets < max; t->n_buckets <<= 1)
		;
	t->flows = calloc(max, sizeof(*t->flows));
	t->buckets = calloc(t->n_buckets, sizeof(*t->buckets));
	t->free_list = calloc(max, sizeof(*t->free_list));
	if (!t->flows || !t->buckets || !t->free_list) {
		ft_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < max; i++)
		t->free_list[i] = max - 1 - i;
	t->n_free = max;
	return 0;
}

void ft_free(struct ft_table *t)
{
	free(t->flows);
	free(t->buckets);
	free(t->free_list);
	t->flows = NULL;
	t->buckets = NULL;
	t->free_list = NULL;
}

static uint32_t *bucket(struct ft_table *t, const struct nf_flow_key *k,
		       uint32_t decap_id)
{
	return &t->buckets[(nf_flow_hash(k) ^ decap_id * 0x9e3779b1u) &
			   (t->n_buckets - 1)];
}

struct ft_flow *ft_account(struct ft_table *t, struct nfv_pkt *pkt,
			   uint64_t now)
{
	bool decap = pkt->meta->flags & NFV_META_F_DECAP;
	uint32_t decap_id = decap ? pkt->meta->decap_id : 0;
	struct nf_flow_key k;
	struct ft_flow *f;
	uint32_t *b, idx;
	bool reply;

	if (!nf_flow_key(pkt, &k)) {
		t->other++;
		return NULL;
	}
	reply = nf_flow_canon(&k);
	b = bucket(t, &k, decap_id);
	for (idx = *b; idx; idx = f->next) {
		f = &t->flows[idx - 1];
		if (nf_flow_eq(&f->key, &k) && f->decap == decap &&
		    f->decap_id == decap_id)
			goto found;
	}
	if (!t->n_free) {
		t->overflow++;
		return NULL;
	}
	idx = t->free_list[--t->n_free] + 1;
	f = &t->flows[idx - 1];
	memset(f, 0, sizeof(*f));
	f->used = true;
	f->key = k;
	f->reversed = reply;
	f->decap = decap;
	f->decap_id = decap_id;
	f->in_port = pkt->meta->in_port;
	f->first_ns = now;
	f->next = *b;
	*b = idx;
	t->n++;
found:
	if (reply == f->reversed) {
		f->packets++;
		f->bytes += pkt->len;
	} else {
		f->reply_packets++;
		f->reply_bytes += pkt->len;
	}
	if (k.proto == IPPROTO_TCP && pkt->meta->l4_off &&
	    pkt->meta->l4_proto == IPPROTO_TCP &&
	    pkt->len >= pkt->meta->l4_off + 14u)
		f->tcp_flags |= pkt->data[pkt->meta->l4_off + 13];
	f->last_ns = now;
	return f;
}

uint32_t ft_sweep(struct ft_table *t, uint64_t now)
{
	uint32_t i, n = 0;

	if (!t->idle_ns)
		return 0;
	for (i = 0; i < t->n_buckets; i++) {
		uint32_t *pp = &t->buckets[i];

		while (*pp) {
			struct ft_flow *f = &t->flows[*pp - 1];

			if (now - f->last_ns <= t->idle_ns) {
				pp = &f->next;
				continue;
			}
			t->free_list[t->n_free++] = *pp - 1;
			*pp = f->next;
			f->used = false;
			t->n--;
			n++;
		}
	}
	t->expired += n;
	return n;
}

static void json_time(FILE *f, const char *key, uint64_t mono,
		      int64_t mono_to_real)
{
	int64_t ns = (int64_t)mono + mono_to_real;

	fprintf(f, ",\"%s\":%lld.%09lld", key, (long long)(ns / 1000000000),
		(long long)(ns % 1000000000));
}

static void tcp_flags_json(FILE *f, uint8_t flags)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
	};
	bool first = true;
	int i;

	fprintf(f, ",\"tcp_flags\":[");
	for (i = 0; i < 8; i++) {
		if (!(flags & (1 << i)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", names[i]);
		first = false;
	}
	fprintf(f, "]");
}

void ft_json(FILE *f, const struct ft_table *t, int64_t mono_to_real)
{
	bool first = true;
	uint32_t i;

	fprintf(f, "{\"flows\":[");
	for (i = 0; i < t->max; i++) {
		const struct ft_flow *fl = &t->flows[i];
		struct nf_flow_key k;

		if (!fl->used)
			continue;
		/* Print the initiator as the source. */
		k = fl->key;
		if (fl->reversed)
			nf_flow_swap(&k);
		fprintf(f, "%s{", first ? "" : ",");
		first = false;
		nf_flow_json(f, &k);
		fprintf(f, ",\"in_port\":%u,\"packets\":%llu,\"bytes\":%llu,"
			"\"reply_packets\":%llu,\"reply_bytes\":%llu",
			fl->in_port, (unsigned long long)fl->packets,
			(unsigned long long)fl->bytes,
			(unsigned long long)fl->reply_packets,
			(unsigned long long)fl->reply_bytes);
		if (fl->decap)
			fprintf(f, ",\"decap_id\":%u", fl->decap_id);
		json_time(f, "first_seen", fl->first_ns, mono_to_real);
		json_time(f, "last_seen", fl->last_ns, mono_to_real);
		if (fl->key.proto == IPPROTO_TCP)
			tcp_flags_json(f, fl->tcp_flags);
		fprintf(f, "}");
	}
	fprintf(f, "],\"n_flows\":%u,\"max_flows\":%u,\"overflow\":%llu,"
		"\"expired\":%llu,\"other\":%llu}\n", t->n, t->max,
		(unsigned long long)t->overflow, (unsigned long long)t->expired,
		(unsigned long long)t->other);
}
