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

static uint32_t forward(struct nfv_pkt *pkt, void *ctx)
{
	bool *report_first = ctx;

	/* nfv-bench: the wall-clock time of the first frame. */
	if (*report_first) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		printf("first-packet %lld\n",
		       ts.tv_sec * 1000000000LL + ts.tv_nsec);
		fflush(stdout);
		*report_first = false;
	}
	return NFV_NEXT;
}

int main(int argc, char **argv)
{
	LIBNFV_RUN_OPTS(run_opts, .flags = NFV_RUN_F_STOP_SIGNALS);
	bool report_first = false;
	struct nfv_args args;
	struct nfv *nf;
	int err, i;

	if (nfv_args_parse(&argc, argv, &args, "nfv-forward",
			   "Forwards every frame to the next hop of its chain.\n"
			   "  --report-first     print \"first-packet NS\" (CLOCK_REALTIME)\n"
			   "                     when the first frame arrives\n"))
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--report-first")) {
			report_first = true;
			continue;
		}
		fprintf(stderr, "nfv-forward: unknown argument \"%s\"\n",
			argv[i]);
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	err = nfv_run_opts(nf, forward, &report_first, &run_opts);
	nfv_close(nf);
	return err ? 1 : 0;
}
