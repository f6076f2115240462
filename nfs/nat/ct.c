// SPDX-License-Identifier: GPL-2.0
/* nfv-nat connection table: outbound hash, inbound by port, timeouts. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_ACK	0x10

static uint32_t hash_out(uint8_t proto, uint32_t ia, uint16_t ip, uint32_t ra,
			 uint16_t rp)
{
	uint64_t h = ((uint64_t)ia << 32 | ra) * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)ip << 24 | (uint64_t)rp << 8 | proto) *
	     0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

int ct_init(struct ct *ct, uint32_t max, uint16_t port_lo, uint16_t port_hi,
	    const struct ct_timeouts *to)
{
	uint32_t i;
	int p;

	memset(ct, 0, sizeof(*ct));
	if (!max)
		return -EINVAL;
	ct->max = max;
	ct->to = *to;
	for (ct->n_buckets = 1024; ct->n_buckets < max; ct->n_buckets <<= 1)
		;
	ct->conns = calloc(max, sizeof(*ct->conns));
	ct->buckets = calloc(ct->n_buckets, sizeof(*ct->buckets));
	ct->free_list = calloc(max, sizeof(*ct->free_list));
	if (!ct->conns || !ct->buckets || !ct->free_list)
		goto err;
	for (p = 0; p < CT_NPROTO; p++) {
		ct->by_port[p] = calloc(65536, sizeof(*ct->by_port[p]));
		if (!ct->by_port[p] || pa_init(&ct->pa[p], port_lo, port_hi))
			goto err;
	}
	/* Lowest indices first: a small table stays in few cache lines. */
	for (i = 0; i < max; i++)
		ct->free_list[i] = max - 1 - i;
	ct->n_free = max;
	return 0;
err:
	ct_free(ct);
	return -ENOMEM;
}

void ct_free(struct ct *ct)
{
	int p;

	for (p = 0; p < CT_NPROTO; p++) {
		free(ct->by_port[p]);
		pa_free(&ct->pa[p]);
	}
	free(ct->conns);
	free(ct->buckets);
	free(ct->free_list);
	memset(ct, 0, sizeof(*ct));
}

static uint64_t timeout_of(const struct ct *ct, const struct ct_conn *c)
{
	switch (c->proto) {
	case CT_UDP:
		return ct->to.udp;
	case CT_ICMP:
		return ct->to.icmp;
	}
	switch (c->state) {
	case CT_TCP_EST:
		return ct->to.tcp;
	case CT_TCP_RESET:
		return ct->to.tcp_rst;
	default:
		return ct->to.tcp_trans;
	}
}

bool ct_expired(const struct ct *ct, const struct ct_conn *c, uint64_t now)
{
	return now - c->last > timeout_of(ct, c);
}

static uint32_t *bucket_of(struct ct *ct, const struct ct_conn *c)
{
	return &ct->buckets[hash_out(c->proto, c->int_addr, c->int_port,
				     c->rem_addr, c->rem_port) &
			    (ct->n_buckets - 1)];
}

static void unlink_conn(struct ct *ct, uint32_t idx)
{
	struct ct_conn *c = &ct->conns[idx];
	uint32_t *pp = bucket_of(ct, c);

	while (*pp && *pp != idx + 1)
		pp = &ct->conns[*pp - 1].next;
	if (*pp)
		*pp = c->next;
	ct->by_port[c->proto][ntohs(c->ext_port)] = 0;
	pa_put(&ct->pa[c->proto], ntohs(c->ext_port));
	ct->n_proto[c->proto]--;
	c->used = false;
	ct->free_list[ct->n_free++] = idx;
	ct->n--;
}

struct ct_conn *ct_out(struct ct *ct, uint8_t proto, uint32_t int_addr,
		       uint16_t int_port, uint32_t rem_addr, uint16_t rem_port,
		       uint64_t now)
{
	uint32_t *b = &ct->buckets[hash_out(proto, int_addr, int_port, rem_addr,
					    rem_port) & (ct->n_buckets - 1)];
	struct ct_conn *c;
	uint32_t idx;
	int port;

	for (idx = *b; idx; idx = c->next) {
		c = &ct->conns[idx - 1];
		if (c->proto != proto || c->int_addr != int_addr ||
		    c->int_port != int_port || c->rem_addr != rem_addr ||
		    c->rem_port != rem_port)
			continue;
		if (!ct_expired(ct, c, now))
			return c;
		/* A late frame of an expired connection starts a new one. */
		ct->st.expired++;
		unlink_conn(ct, idx - 1);
		break;
	}
	if (!ct->n_free) {
		ct->st.full++;
		return NULL;
	}
	port = pa_get(&ct->pa[proto], ntohs(int_port));
	if (port < 0) {
		ct->st.no_port++;
		return NULL;
	}
	idx = ct->free_list[--ct->n_free];
	c = &ct->conns[idx];
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->proto = proto;
	c->int_addr = int_addr;
	c->int_port = int_port;
	c->rem_addr = rem_addr;
	c->rem_port = rem_port;
	c->ext_port = htons((uint16_t)port);
	c->state = CT_TCP_NEW;
	c->last = now;
	c->next = *b;
	*b = idx + 1;
	ct->by_port[proto][port] = idx + 1;
	ct->n++;
	ct->n_proto[proto]++;
	ct->st.created++;
	return c;
}

struct ct_conn *ct_in(struct ct *ct, uint8_t proto, uint16_t ext_port,
		      uint32_t rem_addr, uint16_t rem_port, uint64_t now)
{
	uint32_t idx = ct->by_port[proto][ntohs(ext_port)];
	struct ct_conn *c;

	if (!idx)
		return NULL;
	c = &ct->conns[idx - 1];
	/* Endpoint-dependent filtering: only the remote we talked to. */
	if (c->rem_addr != rem_addr || c->rem_port != rem_port)
		return NULL;
	if (ct_expired(ct, c, now)) {
		ct->st.expired++;
		unlink_conn(ct, idx - 1);
		return NULL;
	}
	return c;
}

void ct_tcp_update(struct ct_conn *c, uint8_t flags, bool outbound)
{
	if (flags & TCPF_RST) {
		c->state = CT_TCP_RESET;
		return;
	}
	if (flags & TCPF_FIN) {
		if (outbound)
			c->fin_out = true;
		else
			c->fin_in = true;
	}
	if (c->fin_out || c->fin_in) {
		c->state = CT_TCP_CLOSING;
		return;
	}
	/* A reply makes it established; a new SYN from inside restarts. */
	if (!outbound && c->state == CT_TCP_NEW)
		c->state = CT_TCP_EST;
	else if (outbound && (flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN &&
		 c->state == CT_TCP_RESET)
		c->state = CT_TCP_NEW;
}

uint32_t ct_sweep(struct ct *ct, uint64_t now)
{
	uint32_t i, n = 0;

	for (i = 0; i < ct->max && ct->n; i++) {
		if (ct->conns[i].used && ct_expired(ct, &ct->conns[i], now)) {
			unlink_conn(ct, i);
			n++;
		}
	}
	ct->st.expired += n;
	return n;
}
