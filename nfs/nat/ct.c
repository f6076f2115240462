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

/* The outbound 5-tuple as a table key (proto: enum ct_proto). */
static void key_out(struct nfv_ftable_key *k, uint8_t proto, uint32_t ia,
		    uint16_t ip, uint32_t ra, uint16_t rp)
{
	memset(k, 0, sizeof(*k));
	k->family = 4;
	k->proto = proto;
	memcpy(k->src, &ia, 4);
	memcpy(k->dst, &ra, 4);
	k->sport = ip;
	k->dport = rp;
}

int ct_init(struct ct *ct, uint32_t max, uint16_t port_lo, uint16_t port_hi,
	    const struct ct_timeouts *to)
{
	int p;

	memset(ct, 0, sizeof(*ct));
	if (!max)
		return -EINVAL;
	ct->max = max;
	ct->to = *to;
	/* Expiry is per protocol and state: ct_sweep(), not the table's. */
	ct->conns = nfv_ftable_create(max, sizeof(struct ct_conn), 0);
	if (!ct->conns)
		goto err;
	for (p = 0; p < CT_NPROTO; p++) {
		ct->by_port[p] = calloc(65536, sizeof(*ct->by_port[p]));
		if (!ct->by_port[p] || pa_init(&ct->pa[p], port_lo, port_hi))
			goto err;
	}
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
	nfv_ftable_free(ct->conns);
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

static void unlink_conn(struct ct *ct, struct ct_conn *c)
{
	ct->by_port[c->proto][ntohs(c->ext_port)] = NULL;
	pa_put(&ct->pa[c->proto], ntohs(c->ext_port));
	ct->n_proto[c->proto]--;
	ct->n--;
	nfv_ftable_delete(ct->conns, c);
}

struct ct_conn *ct_out(struct ct *ct, uint8_t proto, uint32_t int_addr,
		       uint16_t int_port, uint32_t rem_addr, uint16_t rem_port,
		       uint64_t now)
{
	return ct_out_hint(ct, proto, int_addr, int_port, rem_addr, rem_port,
			   now, NFV_FTABLE_NO_HINT);
}

struct ct_conn *ct_out_hint(struct ct *ct, uint8_t proto, uint32_t int_addr,
			    uint16_t int_port, uint32_t rem_addr,
			    uint16_t rem_port, uint64_t now, uint64_t hint)
{
	struct nfv_ftable_key k;
	struct ct_conn *c;
	int port;

	key_out(&k, proto, int_addr, int_port, rem_addr, rem_port);
	c = nfv_ftable_lookup(ct->conns, &k, hint);
	if (c) {
		if (!ct_expired(ct, c, now))
			return c;
		/* A late frame of an expired connection starts a new one. */
		ct->st.expired++;
		unlink_conn(ct, c);
	}
	if (ct->n >= ct->max) {
		ct->st.full++;
		return NULL;
	}
	port = pa_get(&ct->pa[proto], ntohs(int_port));
	if (port < 0) {
		ct->st.no_port++;
		return NULL;
	}
	c = nfv_ftable_insert(ct->conns, &k, hint, now, NULL);
	if (!c) {
		/* The table's probe bound: as good as full for this one. */
		pa_put(&ct->pa[proto], (uint16_t)port);
		ct->st.full++;
		return NULL;
	}
	c->proto = proto;
	c->int_addr = int_addr;
	c->int_port = int_port;
	c->rem_addr = rem_addr;
	c->rem_port = rem_port;
	c->ext_port = htons((uint16_t)port);
	c->state = CT_TCP_NEW;
	c->last = now;
	ct->by_port[proto][port] = c;
	ct->n++;
	ct->n_proto[proto]++;
	ct->st.created++;
	return c;
}

struct ct_conn *ct_in(struct ct *ct, uint8_t proto, uint16_t ext_port,
		      uint32_t rem_addr, uint16_t rem_port, uint64_t now)
{
	struct ct_conn *c = ct->by_port[proto][ntohs(ext_port)];

	if (!c)
		return NULL;
	/* Endpoint-dependent filtering: only the remote we talked to. */
	if (c->rem_addr != rem_addr || c->rem_port != rem_port)
		return NULL;
	if (ct_expired(ct, c, now)) {
		ct->st.expired++;
		unlink_conn(ct, c);
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
	struct ct_conn *c = NULL;
	uint32_t n = 0;

	/* Deleting the entry just returned is allowed while iterating. */
	while ((c = nfv_ftable_next(ct->conns, c))) {
		if (ct_expired(ct, c, now)) {
			unlink_conn(ct, c);
			n++;
		}
	}
	ct->st.expired += n;
	return n;
}
