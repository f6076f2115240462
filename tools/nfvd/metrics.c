// SPDX-License-Identifier: GPL-2.0
/*
 * /metrics: nfvd's counters in the Prometheus text exposition format
 * (version 0.0.4), over HTTP from libmicrohttpd.
 *
 * No thread: MHD runs with MHD_USE_EPOLL and no internal thread, its
 * epoll fd sits in nfvd's epoll set, and the loop calls metrics_run()
 * when that fd is readable or MHD's timeout (metrics_due_ns()) is due.
 * A page is built in the request's callback, on the loop thread, from
 * the same state STATS_GET, NF_GET and NF_COUNTERS_GET answer from.
 *
 * Families, each once with HELP and TYPE, its samples together:
 *   nfv_umem_frames, nfv_frames{state}, nfv_flows, nfv_<fabric>_total
 *   nfv_port_<classifier counter>_total{port,id}
 *   nfv_nf_<counter>_total, nfv_nf_held, ...{nf,name,service}
 *   nfv_nf_own_<NF's counter>[_total]{nf,name,service[,its label]}
 * Names an NF chose were checked when it published them (nfstats.c);
 * label values (NF and port names too) are escaped here.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <microhttpd.h>

#include "ledger.h"
#include "metrics.h"
#include "nf.h"
#include "nfstats.h"
#include "nfvd.h"
#include "nfv_nl_policy.h"
#include "tables.h"

#define METRICS_CONN_MAX	16
#define METRICS_TIMEOUT_S	10

struct nfvd_metrics {
	struct MHD_Daemon *mhd;
	int epoll_fd;			/* MHD's, in d->epoll_fd */
	uint64_t pages;			/* served */
};

/* ---- a page being written ---- */

struct page {
	char *buf;
	size_t len, size;
	bool oom;
};

static void __attribute__((format(printf, 2, 3)))
put(struct page *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		if (p->oom)
			return;
		va_start(ap, fmt);
		n = vsnprintf(p->buf + p->len, p->size - p->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			p->oom = true;
			return;
		}
		if ((size_t)n < p->size - p->len) {
			p->len += (size_t)n;
			return;
		}
		char *nb = realloc(p->buf, p->size * 2 + (size_t)n);

		if (!nb) {
			p->oom = true;
			return;
		}
		p->buf = nb;
		p->size = p->size * 2 + (size_t)n;
	}
}

/* A label value: backslash, double quote and newline escaped. */
static void put_label(struct page *p, const char *name, const char *v)
{
	put(p, "%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\')
			put(p, "\\\\");
		else if (*v == '"')
			put(p, "\\\"");
		else if (*v == '\n')
			put(p, "\\n");
		else
			put(p, "%c", *v);
	}
	put(p, "\"");
}

/* HELP text: backslash and newline escaped. */
static void put_family(struct page *p, const char *name, const char *type,
		       const char *help)
{
	put(p, "# HELP %s ", name);
	for (; *help; help++) {
		if (*help == '\\')
			put(p, "\\\\");
		else if (*help == '\n')
			put(p, "\\n");
		else
			put(p, "%c", *help);
	}
	put(p, "\n# TYPE %s %s\n", name, type);
}

/* "flow-hit" -> "flow_hit" */
static const char *metric_word(const char *spec_name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; spec_name[i] && i + 1 < size; i++)
		buf[i] = spec_name[i] == '-' ? '_' : spec_name[i];
	buf[i] = 0;
	return buf;
}

/* ---- the fabric ---- */

static void put_fabric(struct nfvd *d, struct page *p)
{
	static const char *const states[__LF_MAX] = {
		[LF_FREE] = "free", [LF_FILL] = "fill",
		[LF_KERNEL] = "kernel", [LF_HELD] = "held",
		[LF_TRANSIT] = "transit", [LF_TX] = "tx",
		[LF_TAPPED] = "tapped",
	};
	const struct {
		const char *name, *help;
		uint64_t v;
	} counters[] = {
		{ "nfv_bad_desc_total",
		  "Descriptors from NFs that failed nfvd's checks.", 0 },
		{ "nfv_reclaimed_total", "Frames reclaimed from dead NFs.",
		  d->reclaimed },
		{ "nfv_refused_total", "Custody log entries nfvd refused.",
		  d->refused },
		{ "nfv_forged_tx_total",
		  "Completions of frames nobody was sending.", d->forged_tx },
		{ "nfv_loop_drop_total",
		  "Frames dropped because their move budget was spent.",
		  d->loop_drop },
		{ "nfv_lane_cuts_total",
		  "NF to NF lanes cut: producer and consumer disagreed.",
		  d->lane_cuts },
		{ "nfv_nfvd_kicked_total",
		  "Times nfvd found its doorbell rung by an NF (a wake-up).",
		  d->kicked },
	};
	uint32_t n_in[__LF_MAX];
	uint64_t bad = 0;
	size_t i;

	ledger_counts(d, n_in);
	put_family(p, "nfv_umem_frames", "gauge", "Frames of the UMEM.");
	put(p, "nfv_umem_frames %u\n", d->cfg.frames);
	put_family(p, "nfv_frames", "gauge",
		   "UMEM frames by where they are, by nfvd's ledger.");
	for (i = 0; i < __LF_MAX; i++)
		put(p, "nfv_frames{state=\"%s\"} %u\n", states[i], n_in[i]);
	put_family(p, "nfv_flows", "gauge", "Flow rules.");
	put(p, "nfv_flows %u\n", d->n_flows);
	for (i = 1; i < NFV_NF_MAX; i++)
		if (d->nfs[i].id)
			bad += nf_counters(d, &d->nfs[i])->bad_desc;
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		put_family(p, counters[i].name, "counter", counters[i].help);
		/* As STATS_GET's BAD_DESC: the NFs' and the refused. */
		put(p, "%s %llu\n", counters[i].name,
		    (unsigned long long)(i ? counters[i].v : bad + d->refused));
	}
}

/* ---- ports: their classifier's counters ---- */

static void put_ports(struct nfvd *d, struct page *p)
{
	static uint64_t cnt[NFV_PORT_MAX][__NFV_XDP_COUNTER_MAX];
	bool have[NFV_PORT_MAX] = { false };
	char word[64], name[96];
	int i, k;

	for (k = 1; k < NFV_PORT_MAX; k++)
		have[k] = d->ports[k].id &&
			  !tables_port_stats(d, (uint16_t)k, cnt[k]);
	for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++) {
		const char *spec = nfv_xdp_counters_nl_attrs[NFV_XDP_CNT_ATTR(i)].name;

		if (!spec)
			continue;
		snprintf(name, sizeof(name), "nfv_port_%s_total",
			 metric_word(spec, word, sizeof(word)));
		put_family(p, name, "counter",
			   "Frames the port's XDP classifier counted (nfvctl stats).");
		for (k = 1; k < NFV_PORT_MAX; k++) {
			if (!have[k])
				continue;
			put(p, "%s{", name);
			put_label(p, "port", d->ports[k].name);
			put(p, ",id=\"%d\"} %llu\n", k,
			    (unsigned long long)cnt[k][i]);
		}
	}
}

/* ---- NFs: nfvd's counters of each ---- */

enum nf_field { NF_RX, NF_TX, NF_NEXT, NF_DROP, NF_BAD_DESC, NF_RING_FULL,
		NF_NO_REPLICA, NF_OVERRIDE_DENIED, NF_CSUM_FIXED,
		NF_TAP_OVERFLOW, NF_LOOP_DROP, NF_OVERRUN, NF_REFUSED,
		NF_BUDGET_HITS, NF_OWN_PUBLISHED, NF_OWN_REFUSED, NF_HELD,
		NF_BUDGET, NF_UP, NF_BP_WAITS, NF_BP_TIMEOUTS, NF_SCHED_SWITCHES,
		__NF_FIELDS };

static const struct {
	const char *name, *type, *help;
} nf_fields[__NF_FIELDS] = {
	[NF_RX] = { "rx", "counter", "Frames the NF received." },
	[NF_TX] = { "tx", "counter", "Frames the NF sent out of a port." },
	[NF_NEXT] = { "next", "counter", "Frames the NF handed to the next NF." },
	[NF_DROP] = { "drop", "counter", "Frames the NF dropped." },
	[NF_BAD_DESC] = { "bad_desc", "counter",
			  "Lane descriptors that failed the NF's checks." },
	[NF_RING_FULL] = { "ring_full", "counter",
			   "Frames dropped on a full lane or tx ring." },
	[NF_NO_REPLICA] = { "no_replica", "counter",
			    "Frames whose next service had no live replica." },
	[NF_OVERRIDE_DENIED] = { "override_denied", "counter",
				 "Action overrides the chain refused." },
	[NF_CSUM_FIXED] = { "csum_fixed", "counter",
			    "Partial checksums completed." },
	[NF_TAP_OVERFLOW] = { "tap_overflow", "counter",
			      "Tap references not given: tap lane full." },
	[NF_LOOP_DROP] = { "loop_drop", "counter",
			   "Frames dropped: move budget spent." },
	[NF_OVERRUN] = { "overrun", "counter",
			 "Frames not handed to the NF: over its budget." },
	[NF_REFUSED] = { "refused", "counter",
			 "Custody log entries of the NF nfvd refused." },
	[NF_BUDGET_HITS] = { "budget_hits", "counter",
			     "Times nfvd found the NF over its budget." },
	[NF_OWN_PUBLISHED] = { "counters_published", "counter",
			       "Counter sets the NF published that nfvd took." },
	[NF_OWN_REFUSED] = { "counters_refused", "counter",
			     "Counter sets the NF published that nfvd refused." },
	[NF_HELD] = { "held", "gauge", "Frames the NF holds." },
	[NF_BUDGET] = { "budget", "gauge",
			"Frames the NF may hold before it gets no more." },
	[NF_UP] = { "up", "gauge", "1 while the NF is up." },
	[NF_BP_WAITS] = { "bp_waits", "counter",
			  "Times the NF waited for room on its lanes out." },
	[NF_BP_TIMEOUTS] = { "bp_timeouts", "counter",
			     "Times the NF gave up waiting for room: a consumer took nothing." },
	[NF_SCHED_SWITCHES] = { "sched_switches", "counter",
				"Times libnfv changed the NF thread's scheduling policy." },
};

static uint64_t nf_field(struct nfvd *d, struct nfvd_nf *nf,
			 const struct nfv_nf_counters *c, enum nf_field f)
{
	switch (f) {
	case NF_RX:		return c->rx;
	case NF_TX:		return c->tx;
	case NF_NEXT:		return c->next;
	case NF_DROP:		return c->drop;
	case NF_BAD_DESC:	return c->bad_desc;
	case NF_RING_FULL:	return c->ring_full;
	case NF_NO_REPLICA:	return c->no_replica;
	case NF_OVERRIDE_DENIED: return c->override_denied;
	case NF_CSUM_FIXED:	return c->csum_fixed;
	case NF_TAP_OVERFLOW:	return c->tap_overflow;
	case NF_LOOP_DROP:	return c->loop_drop;
	case NF_OVERRUN:	return c->overrun;
	case NF_BP_WAITS:	return c->bp_waits;
	case NF_BP_TIMEOUTS:	return c->bp_timeouts;
	case NF_SCHED_SWITCHES:	return c->sched_switches;
	case NF_REFUSED:	return nf->refused;
	case NF_BUDGET_HITS:	return nf->budget_hits;
	case NF_OWN_PUBLISHED:	return nf->own ? nf->own->published : 0;
	case NF_OWN_REFUSED:	return nf->own ? nf->own->refused : 0;
	case NF_HELD:		return ledger_held(d, nf->id);
	case NF_BUDGET:		return ledger_budget(d);
	case NF_UP:		return nf->state == NFV_NF_STATE_UP;
	default:		return 0;
	}
}

static void put_nf_labels(struct page *p, const struct nfvd_nf *nf)
{
	put(p, "{nf=\"%u\",", nf->id);
	put_label(p, "name", nf->name);
	put(p, ",service=\"%u\"", nf->service);
}

static void put_nfs(struct nfvd *d, struct page *p)
{
	static struct nfv_nf_counters c[NFV_NF_MAX];
	char name[64];
	int f, i;

	for (i = 1; i < NFV_NF_MAX; i++)
		if (d->nfs[i].id)
			c[i] = *nf_counters(d, &d->nfs[i]);
	for (f = 0; f < __NF_FIELDS; f++) {
		bool counter = !strcmp(nf_fields[f].type, "counter");

		snprintf(name, sizeof(name), "nfv_nf_%s%s", nf_fields[f].name,
			 counter ? "_total" : "");
		put_family(p, name, nf_fields[f].type, nf_fields[f].help);
		for (i = 1; i < NFV_NF_MAX; i++) {
			if (!d->nfs[i].id)
				continue;
			put(p, "%s", name);
			put_nf_labels(p, &d->nfs[i]);
			put(p, "} %llu\n", (unsigned long long)
			    nf_field(d, &d->nfs[i], &c[i], (enum nf_field)f));
		}
	}
}

/* ---- NFs: their own counters ---- */

struct own {
	const struct nfvd_nf *nf;
	const struct nfvd_nfstat *st;
};

/* By name (one family), then NF, then label: samples of a family
 * together, in a stable order.
 */
static int own_cmp(const void *a, const void *b)
{
	const struct own *x = a, *y = b;
	int r = strcmp(x->st->name, y->st->name);

	if (!r)
		r = (x->st->type > y->st->type) - (x->st->type < y->st->type);
	if (!r)
		r = (x->nf->id > y->nf->id) - (x->nf->id < y->nf->id);
	if (!r)
		r = strcmp(x->st->label_name, y->st->label_name);
	if (!r)
		r = strcmp(x->st->label_value, y->st->label_value);
	return r;
}

static void put_own(struct nfvd *d, struct page *p)
{
	static struct own all[(NFV_NF_MAX - 1) * NFV_NF_COUNTERS_MAX];
	const struct nfvd_nfstat *fam = NULL;
	char name[NFV_COUNTER_NAME_LEN + 24], help[NFV_COUNTER_HELP_LEN + 48];
	size_t n = 0, i;
	uint32_t k;
	int j;

	for (j = 1; j < NFV_NF_MAX; j++) {
		const struct nfvd_nf *nf = &d->nfs[j];

		for (k = 0; nf->id && nf->own && k < nf->own->n; k++) {
			all[n].nf = nf;
			all[n++].st = &nf->own->c[k];
		}
	}
	qsort(all, n, sizeof(all[0]), own_cmp);
	for (i = 0; i < n; i++) {
		const struct nfvd_nfstat *st = all[i].st;
		bool counter = st->type == NFV_COUNTER_TYPE_COUNTER;

		if (!fam || strcmp(fam->name, st->name)) {
			fam = st;
			snprintf(name, sizeof(name), "nfv_nf_own_%s%s",
				 st->name, counter ? "_total" : "");
			snprintf(help, sizeof(help), "%s",
				 st->help[0] ? st->help : "");
			if (!help[0])
				snprintf(help, sizeof(help),
					 "Counter %s the NF published.",
					 st->name);
			put_family(p, name, counter ? "counter" : "gauge",
				   help);
		} else if (fam->type != st->type) {
			continue;	/* another NF's: the first type wins */
		}
		put(p, "%s", name);
		put_nf_labels(p, all[i].nf);
		if (st->label_name[0]) {
			put(p, ",");
			put_label(p, st->label_name, st->label_value);
		}
		put(p, "} %llu\n", (unsigned long long)st->value);
	}
}

static char *build_page(struct nfvd *d, size_t *len)
{
	struct page p = { .size = 65536 };

	p.buf = malloc(p.size);
	if (!p.buf)
		return NULL;
	put_fabric(d, &p);
	put_ports(d, &p);
	put_nfs(d, &p);
	put_own(d, &p);
	if (p.oom) {
		free(p.buf);
		return NULL;
	}
	*len = p.len;
	return p.buf;
}

/* ---- HTTP ---- */

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct nfvd *d = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	char *page;

	(void)version;
	(void)upload;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET)) {
		*upload_size = 0;	/* a body is not read */
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "only GET\n");
	}
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "only /metrics\n");
	page = build_page(d, &len);
	if (!page)
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "out of memory\n");
	r = MHD_create_response_from_buffer(len, page, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(page);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	d->metrics->pages++;
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	pr_debug("nfvd: metrics: %s", buf);
}

int metrics_parse(struct nfvd *d, const char *arg)
{
	struct nfvd_config *cfg = &d->cfg;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(arg, ':'), *port = arg;
	unsigned long v;
	char *end;

	memset(&cfg->metrics_addr, 0, sizeof(cfg->metrics_addr));
	cfg->metrics_addr.sin6_family = AF_INET;
	strcpy(host, "127.0.0.1");
	if (colon) {
		size_t hl = (size_t)(colon - arg);

		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, arg, hl);
		host[hl] = 0;
		port = colon + 1;
	}
	errno = 0;
	v = strtoul(port, &end, 10);
	if (errno || !*port || *end || *port == '-' || !v || v > 65535)
		return -EINVAL;
	if (host[0] == '[') {
		size_t hl = strlen(host);

		if (hl < 3 || host[hl - 1] != ']')
			return -EINVAL;
		host[hl - 1] = 0;
		cfg->metrics_addr.sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host + 1,
			      &cfg->metrics_addr.sin6_addr) != 1)
			return -EINVAL;
	} else {
		struct sockaddr_in *sin = (void *)&cfg->metrics_addr;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -EINVAL;
	}
	/* sin_port and sin6_port are at one offset */
	cfg->metrics_addr.sin6_port = htons((uint16_t)v);
	cfg->metrics = true;
	return 0;
}

int metrics_init(struct nfvd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	const union MHD_DaemonInfo *info;
	struct nfvd_metrics *m;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	char addr[INET6_ADDRSTRLEN];

	if (!d->cfg.metrics)
		return 0;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (d->cfg.metrics_addr.sin6_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	m->mhd = MHD_start_daemon(flags, ntohs(d->cfg.metrics_addr.sin6_port),
				  NULL, NULL, on_request, d,
				  MHD_OPTION_SOCK_ADDR, &d->cfg.metrics_addr,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)METRICS_CONN_MAX,
				  MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned int)METRICS_TIMEOUT_S,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				  MHD_OPTION_END);
	info = m->mhd ? MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD) :
			NULL;
	if (!info) {
		int err = -(errno ?: EADDRNOTAVAIL);

		if (m->mhd)
			MHD_stop_daemon(m->mhd);
		free(m);
		return err;
	}
	m->epoll_fd = info->epoll_fd;
	ev.data.ptr = &d->metrics;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, m->epoll_fd, &ev)) {
		int err = -errno;

		MHD_stop_daemon(m->mhd);
		free(m);
		return err;
	}
	d->metrics = m;
	if (d->cfg.metrics_addr.sin6_family == AF_INET6)
		inet_ntop(AF_INET6, &d->cfg.metrics_addr.sin6_addr, addr,
			  sizeof(addr));
	else
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)&d->cfg.metrics_addr)->sin_addr,
			  addr, sizeof(addr));
	pr_info("nfvd: metrics on http://%s%s%s:%u/metrics\n",
		d->cfg.metrics_addr.sin6_family == AF_INET6 ? "[" : "", addr,
		d->cfg.metrics_addr.sin6_family == AF_INET6 ? "]" : "",
		ntohs(d->cfg.metrics_addr.sin6_port));
	return 0;
}

void metrics_fini(struct nfvd *d)
{
	if (!d->metrics)
		return;
	MHD_stop_daemon(d->metrics->mhd);
	free(d->metrics);
	d->metrics = NULL;
}

void metrics_run(struct nfvd *d)
{
	if (d->metrics)
		MHD_run(d->metrics->mhd);
}

uint64_t metrics_due_ns(struct nfvd *d)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (!d->metrics || MHD_get_timeout(d->metrics->mhd, &ms) != MHD_YES)
		return 0;
	return nfvd_now_ns() + (uint64_t)ms * 1000000ULL;
}
