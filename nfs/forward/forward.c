// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-forward: the simplest NF.  Every frame follows its chain.  Useful as
 * a building block, a benchmark reference and an example.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nfv/libnfv.h>

struct forward {
	struct nfv *nf;
	bool report_first;
	bool offload;
};

/* nfv-bench: "WHAT NS", the wall-clock time of a step of the start. */
static void report(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%s %lld\n", what, ts.tv_sec * 1000000000LL + ts.tv_nsec);
	fflush(stdout);
}

static uint32_t forward(struct nfv_pkt *pkt, void *ctx)
{
	struct forward *f = ctx;

	/* Nothing to look at: the flow may skip us (and its replies). */
	if (f->offload)
		nfv_flow_offload(f->nf, pkt, NFV_OFFLOAD_F_BOTH);
	/* nfv-bench: the wall-clock time of the first frame. */
	if (f->report_first) {
		report("first-packet");
		f->report_first = false;
	}
	return NFV_NEXT;
}

int main(int argc, char **argv)
{
	LIBNFV_RUN_OPTS(run_opts, .flags = NFV_RUN_F_STOP_SIGNALS);
	struct forward f = { 0 };
	struct nfv_args args;
	struct timespec start;
	int err, i;

	clock_gettime(CLOCK_REALTIME, &start);

	if (nfv_args_parse(&argc, argv, &args, "nfv-forward",
			   "Forwards every frame to the next hop of its chain.\n"
			   "  --report-first     print \"started NS\", \"ready NS\" and\n"
			   "                     \"first-packet NS\" (CLOCK_REALTIME): when it\n"
			   "                     started, when nfvd had it up and\n"
			   "                     when the first frame arrived\n"
			   "  --offload          give every TCP/UDP flow a verdict: it\n"
			   "                     needs this NF no more (both directions)\n"))
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--report-first")) {
			f.report_first = true;
			continue;
		}
		if (!strcmp(argv[i], "--offload")) {
			f.offload = true;
			continue;
		}
		fprintf(stderr, "nfv-forward: unknown argument \"%s\"\n",
			argv[i]);
		return 1;
	}
	if (f.report_first)
		printf("started %lld\n",
		       start.tv_sec * 1000000000LL + start.tv_nsec);
	f.nf = nfv_init_args(&args);
	if (!f.nf)
		return 1;
	if (f.report_first)
		report("ready");
	err = nfv_run_opts(f.nf, forward, &f, &run_opts);
	nfv_close(f.nf);
	return err ? 1 : 0;
}
