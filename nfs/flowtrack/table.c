// SPDX-License-Identifier: GPL-2.0
/* nfv-flowtrack flow table: account, sweep, dump. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

int ft_init(struct ft_table *t, uint32_t max, uint64_t idle_ns)
{
	memset(t, 0, sizeof(*t));
	if (!max)
		return -EINVAL;
	t->max = max;
	t->idle_ns = idle_ns;
	t->ft = nfv_ftable_create(max, sizeof(struct ft_flow), idle_ns);
	return t->ft ? 0 : -errno;
}

void ft_free(struct ft_table *t)
{
	nfv_ftable_free(t->ft);
	t->ft = NULL;
}

uint32_t ft_n(const struct ft_table *t)
{
	struct nfv_ftable_stats st;

	nfv_ftable_stats(t->ft, &st);
	return (uint32_t)st.entries;
}

struct ft_flow *ft_account(struct ft_table *t, struct nfv_pkt *pkt,
			   uint64_t now)
{
	struct nfv_ftable_key key;
	struct nf_flow_key k;
	struct ft_flow *f;
	bool reply, created;

	if (!nf_flow_key(pkt, &k)) {
		t->other++;
		return NULL;
	}
	reply = nf_flow_canon(&k);
	nf_ftable_key(&key, &k);
	if (pkt->meta->flags & NFV_META_F_DECAP) {
		key.flags = NFV_FTABLE_KEY_F_DECAP;
		key.decap_id = pkt->meta->decap_id;
	}
	f = nfv_ftable_insert(t->ft, &key, pkt->meta->hash, now, &created);
	if (!f) {
		t->overflow++;
		return NULL;
	}
	if (created) {
		f->reversed = reply;
		f->in_port = pkt->meta->in_port;
		f->first_ns = now;
	}
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
	return nfv_ftable_expire(t->ft, now, 0);
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
	const struct ft_flow *fl = NULL;
	struct nfv_ftable_stats st;
	bool first = true;

	fprintf(f, "{\"flows\":[");
	while ((fl = nfv_ftable_next(t->ft, fl))) {
		const struct nfv_ftable_key *key = nfv_ftable_key_of(t->ft, fl);
		struct nf_flow_key k;

		/* Print the initiator as the source. */
		nf_flow_of(&k, key);
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
		if (key->flags & NFV_FTABLE_KEY_F_DECAP)
			fprintf(f, ",\"decap_id\":%u", key->decap_id);
		json_time(f, "first_seen", fl->first_ns, mono_to_real);
		json_time(f, "last_seen", fl->last_ns, mono_to_real);
		if (key->proto == IPPROTO_TCP)
			tcp_flags_json(f, fl->tcp_flags);
		fprintf(f, "}");
	}
	nfv_ftable_stats(t->ft, &st);
	fprintf(f, "],\"n_flows\":%llu,\"max_flows\":%u,\"overflow\":%llu,"
		"\"expired\":%llu,\"other\":%llu}\n",
		(unsigned long long)st.entries, t->max,
		(unsigned long long)t->overflow, (unsigned long long)st.expired,
		(unsigned long long)t->other);
}
