// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-flowtrack: passes every frame on and keeps per-flow counters
 * (packets and bytes each way, first and last seen, TCP flags), dumped
 * as JSON on SIGUSR1 and at exit, to stdout or --dump FILE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "table.h"

#define NSEC	1000000000ull

struct flowtrack {
	struct ft_table t;
	const char *dump;
	int64_t mono_to_real;
	uint64_t last_sweep;
	struct nfv *nf;
};

static uint32_t handle(struct nfv_pkt *pkt, void *ctx)
{
	struct flowtrack *ft = ctx;

	ft_account(&ft->t, pkt, nfv_batch_ns(ft->nf));
	return NFV_NEXT;
}

/* A batch's flow entries on their way into the cache, misses overlapped. */
static void prefetch(struct nfv *nf, struct nfv_pkt *pkts, int n, void *ctx)
{
	struct flowtrack *ft = ctx;
	int i, stage;

	(void)nf;
	for (stage = 0; stage < 2; stage++)
		for (i = 0; i < n; i++)
			nfv_ftable_prefetch(ft->t.ft, pkts[i].meta->hash, stage);
}

static void dump_to(FILE *f, void *ctx)
{
	struct flowtrack *ft = ctx;

	ft_json(f, &ft->t, ft->mono_to_real);
}

static void dump(struct flowtrack *ft)
{
	int err;

	if (!ft->dump) {
		dump_to(stdout, ft);
		fflush(stdout);
		return;
	}
	err = nf_write_file(ft->dump, dump_to, ft);
	if (err)
		fprintf(stderr, "nfv-flowtrack: %s: %s\n", ft->dump,
			strerror(-err));
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct flowtrack *ft = ctx;
	uint64_t now = nf_now_ns(CLOCK_MONOTONIC);

	if (ft->t.idle_ns && now - ft->last_sweep >= NSEC) {
		ft_sweep(&ft->t, now);
		ft->last_sweep = now;
	}
	if (events & NFV_EV_USR1)
		dump(ft);
}

static const char usage[] =
	"Flowtrack options:\n"
	"  --dump FILE        write the JSON dump to FILE (atomically)\n"
	"                     instead of stdout\n"
	"  --max-flows N      flows tracked at once (default 65536)\n"
	"  --idle S           forget flows idle for S seconds (default 0:\n"
	"                     never)\n"
	"SIGUSR1 dumps every flow; so does exiting.\n";

int main(int argc, char **argv)
{
	static struct flowtrack ft;
	uint32_t max = 65536, idle = 0;
	struct nfv_args args;
	struct nfv *nf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-flowtrack", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--dump") && v) {
			ft.dump = v;
		} else if (!strcmp(a, "--max-flows") && v) {
			if (nf_parse_u32(v, 1, 16 << 20, &max))
				goto bad;
		} else if (!strcmp(a, "--idle") && v) {
			if (nf_parse_u32(v, 0, 86400 * 365, &idle))
				goto bad;
		} else {
			fprintf(stderr, "nfv-flowtrack: unknown argument \"%s\"\n", a);
			return 1;
		}
		i++;
		continue;
bad:
		fprintf(stderr, "nfv-flowtrack: invalid %s \"%s\"\n", a, v);
		return 1;
	}
	if (ft_init(&ft.t, max, (uint64_t)idle * NSEC)) {
		fprintf(stderr, "nfv-flowtrack: out of memory\n");
		return 1;
	}
	ft.mono_to_real = (int64_t)nf_now_ns(CLOCK_REALTIME) -
			  (int64_t)nf_now_ns(CLOCK_MONOTONIC);
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	ft.nf = nf;
	LIBNFV_RUN_OPTS(run_opts, .tick = tick, .tick_ms = idle ? 1000 : 0,
			.flags = NF_RUN_SIGNALS | NFV_RUN_F_BATCH_TIME,
			.batch = prefetch);
	ret = nfv_run_opts(nf, handle, &ft, &run_opts);
	dump(&ft);
	nfv_close(nf);
	ft_free(&ft.t);
	return ret ? 1 : 0;
}
