// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-monitor: passes every frame on and keeps per-flow packet and byte
 * counts, printed as a summary every --interval seconds, on SIGUSR1 and
 * at exit (one line per flow, or JSON lines with --json).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nfv/ftable.h>
#include <nfv/libnfv.h>

#define MAX_FLOWS	32768	/* flows counted at once */

/* Per flow (directional 5-tuple, the key in libnfv's flow table). */
struct flow {
	uint64_t packets, bytes;
};

struct monitor {
	struct nfv_ftable *flows;
	uint64_t other_packets;
	uint64_t overflow;
	bool json;
	int interval;
	time_t last;
};

static bool flow_key(struct nfv_pkt *pkt, struct nfv_ftable_key *k)
{
	struct iphdr *ip4 = nfv_pkt_ipv4(pkt);
	struct ipv6hdr *ip6 = nfv_pkt_ipv6(pkt);
	struct tcphdr *th = nfv_pkt_tcp(pkt);
	struct udphdr *uh = nfv_pkt_udp(pkt);

	memset(k, 0, sizeof(*k));
	if (ip4) {
		k->family = 4;
		k->proto = ip4->protocol;
		memcpy(k->src, &ip4->saddr, 4);
		memcpy(k->dst, &ip4->daddr, 4);
	} else if (ip6) {
		k->family = 6;
		k->proto = pkt->meta->l4_proto;
		memcpy(k->src, &ip6->saddr, 16);
		memcpy(k->dst, &ip6->daddr, 16);
	} else {
		return false;
	}
	if (th) {
		k->sport = th->source;
		k->dport = th->dest;
	} else if (uh) {
		k->sport = uh->source;
		k->dport = uh->dest;
	}
	return true;
}

static void account(struct monitor *m, struct nfv_pkt *pkt)
{
	struct nfv_ftable_key k;
	struct flow *f;
	uint32_t hint;

	if (!flow_key(pkt, &k)) {
		m->other_packets++;
		return;
	}
	/*
	 * Directional key: the classifier's hash is symmetric, so mix in
	 * the source to tell the two directions' hints apart.
	 */
	hint = pkt->meta->hash ^ (ntohs(k.sport) * 2654435761u) ^ k.src[3];
	f = nfv_ftable_insert(m->flows, &k, hint, 0, NULL);
	if (!f) {
		m->overflow++;
		return;
	}
	f->packets++;
	f->bytes += pkt->len;
}

static void dump(struct monitor *m)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	const struct flow *f = NULL;
	struct nfv_ftable_stats st;

	while ((f = nfv_ftable_next(m->flows, f))) {
		const struct nfv_ftable_key *k = nfv_ftable_key_of(m->flows, f);
		int af;

		af = k->family == 4 ? AF_INET : AF_INET6;
		inet_ntop(af, k->src, s, sizeof(s));
		inet_ntop(af, k->dst, d, sizeof(d));
		if (m->json)
			printf("{\"proto\":%u,\"src\":\"%s\",\"sport\":%u,"
			       "\"dst\":\"%s\",\"dport\":%u,\"packets\":%llu,"
			       "\"bytes\":%llu}\n", k->proto, s, ntohs(k->sport),
			       d, ntohs(k->dport),
			       (unsigned long long)f->packets,
			       (unsigned long long)f->bytes);
		else
			printf("flow proto %u %s:%u -> %s:%u packets %llu bytes %llu\n",
			       k->proto, s, ntohs(k->sport), d, ntohs(k->dport),
			       (unsigned long long)f->packets,
			       (unsigned long long)f->bytes);
	}
	nfv_ftable_stats(m->flows, &st);
	if (!m->json)
		printf("flows %llu other %llu overflow %llu\n",
		       (unsigned long long)st.entries,
		       (unsigned long long)m->other_packets,
		       (unsigned long long)m->overflow);
	fflush(stdout);
}

static uint32_t handle(struct nfv_pkt *pkt, void *ctx)
{
	account(ctx, pkt);
	return NFV_NEXT;
}

/*
 * Between batches: a dump is due on SIGUSR1 even when no traffic wakes
 * us (the wait ends on the signal), and every --interval seconds.
 */
static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct monitor *m = ctx;

	if (events & NFV_EV_USR1)
		dump(m);
	if (m->interval) {
		time_t now = time(NULL);

		if (now - m->last >= m->interval) {
			m->last = now;
			dump(m);
		}
	}
}

static const char extra[] =
	"Monitor options:\n"
	"  --interval SEC     print the summary every SEC seconds (0: only\n"
	"                     on SIGUSR1 and at exit; default 0)\n"
	"  --json             one JSON object per flow and line\n";

int main(int argc, char **argv)
{
	struct monitor m = { 0 };
	struct nfv_args args;
	struct nfv *nf;
	int i, err;

	if (nfv_args_parse(&argc, argv, &args, "nfv-monitor", extra))
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--interval") && i + 1 < argc) {
			m.interval = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--json")) {
			m.json = true;
		} else {
			fprintf(stderr, "nfv-monitor: unknown argument \"%s\"\n",
				argv[i]);
			return 1;
		}
	}
	m.flows = nfv_ftable_create(MAX_FLOWS, sizeof(struct flow), 0);
	if (!m.flows)
		return 1;
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	m.last = time(NULL);
	LIBNFV_RUN_OPTS(run_opts, .tick = tick, .tick_ms = m.interval ? 1000 : 0,
			.flags = NFV_RUN_F_STOP_SIGNALS |
				 NFV_RUN_F_EVENT_SIGNALS);
	err = nfv_run_opts(nf, handle, &m, &run_opts);
	dump(&m);
	nfv_close(nf);
	nfv_ftable_free(m.flows);
	return err ? 1 : 0;
}
