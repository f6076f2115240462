// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-lb: L4 load balancer with Maglev consistent hashing.  Counters as
 * one JSON line on SIGUSR1 and at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "lb.h"

/*
 * Published to nfvd (nfvctl nf show ID -s, /metrics): frames to each
 * backend, by its ADDR:PORT (or #N if that is too long for a label),
 * the first LB_PUBLISHED of them, and how many backends there are (no
 * health checks: all are up).
 */
#define LB_PUBLISHED	30

static int c_backend[LB_PUBLISHED], c_replies[LB_PUBLISHED], c_backends;
static unsigned int n_published;

static void counters_register(struct nfv *nf, const struct lb *lb)
{
	char label[NFV_COUNTER_NAME_LEN];
	unsigned int i;

	c_backends = nf_counter(nf, "backends", NFV_COUNTER_TYPE_GAUGE,
				"Backends in the Maglev table (all up).",
				NULL, NULL);
	n_published = lb->n_backends < LB_PUBLISHED / 2 ? lb->n_backends :
							   LB_PUBLISHED / 2;
	for (i = 0; i < n_published; i++) {
		if (strlen(lb->backends[i].name) < sizeof(label))
			strcpy(label, lb->backends[i].name);
		else
			snprintf(label, sizeof(label), "#%u", i + 1);
		c_backend[i] = nf_counter(nf, "backend_packets",
					  NFV_COUNTER_TYPE_COUNTER,
					  "Frames sent to the backend.",
					  "backend", label);
		c_replies[i] = nf_counter(nf, "backend_reply_packets",
					  NFV_COUNTER_TYPE_COUNTER,
					  "Replies of the backend to clients.",
					  "backend", label);
	}
}

static void counters_update(struct nfv *nf, const struct lb *lb)
{
	unsigned int i;

	nfv_counter_set(nf, c_backends, lb->n_backends);
	for (i = 0; i < n_published; i++) {
		nfv_counter_set(nf, c_backend[i], lb->backends[i].packets);
		nfv_counter_set(nf, c_replies[i],
				lb->backends[i].reply_packets);
	}
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	counters_update(nf, ctx);
	if (events & NFV_EV_USR1) {
		lb_json(stdout, ctx);
		fflush(stdout);
	}
}

static const char usage[] =
	"Load balancer options:\n"
	"  --vip ADDR:PORT       the virtual service, required: IPv4 ADDR:PORT\n"
	"                        or IPv6 [ADDR]:PORT\n"
	"  --backend ADDR:PORT   a backend of the VIP's family; repeat (1..256),\n"
	"                        required\n"
	"  --proto tcp|udp       only this protocol (default: both)\n"
	"\n"
	"Frames to the VIP get the destination of the backend Maglev picks\n"
	"for their 5-tuple; frames from a backend get the VIP as source.\n"
	"Checksums are updated incrementally.  SIGUSR1 prints counters (JSON).\n";

int main(int argc, char **argv)
{
	static struct lb lb;
	struct nfv_args args;
	struct nfv *nf;
	bool vip = false;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-lb", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--vip") && v) {
			if (lb_set_vip(&lb, v)) {
				fprintf(stderr, "nfv-lb: invalid --vip \"%s\": ADDR:PORT or [IPv6]:PORT\n", v);
				return 1;
			}
			vip = true;
		} else if (!strcmp(a, "--backend") && v) {
			ret = lb_add_backend(&lb, v);
			if (ret) {
				fprintf(stderr, "nfv-lb: invalid --backend \"%s\": %s\n", v,
					ret == -EEXIST ? "given twice" :
					ret == -E2BIG ? "too many backends" :
					"ADDR:PORT or [IPv6]:PORT");
				return 1;
			}
		} else if (!strcmp(a, "--proto") && v) {
			if (!strcmp(v, "tcp")) {
				lb.proto = IPPROTO_TCP;
			} else if (!strcmp(v, "udp")) {
				lb.proto = IPPROTO_UDP;
			} else {
				fprintf(stderr, "nfv-lb: invalid --proto \"%s\": tcp or udp\n", v);
				return 1;
			}
		} else {
			fprintf(stderr, "nfv-lb: unknown argument \"%s\"\n", a);
			return 1;
		}
		i++;
	}
	if (!vip || !lb.n_backends) {
		fprintf(stderr, "nfv-lb: --vip and at least one --backend are required\n");
		return 1;
	}
	ret = lb_init(&lb);
	if (ret) {
		fprintf(stderr, "nfv-lb: %s\n", ret == -EAFNOSUPPORT ?
			"every --backend must be of the --vip's address family" :
			"cannot build the Maglev table");
		return 1;
	}
	if (args.readonly) {
		fprintf(stderr, "nfv-lb: rewrites frames: cannot run --readonly\n");
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	counters_register(nf, &lb);
	counters_update(nf, &lb);
	LIBNFV_RUN_OPTS(run_opts, .flags = NF_RUN_SIGNALS,
			.tick = tick);
	ret = nfv_run_opts(nf, lb_handle, &lb, &run_opts);
	lb_json(stdout, &lb);
	nfv_close(nf);
	lb_free(&lb);
	return ret ? 1 : 0;
}
