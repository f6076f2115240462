// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-forward: the simplest NF.  Every frame follows its chain.  Useful as
 * a building block, a benchmark reference and an example.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <nfv/libnfv.h>

static struct nfv *nf;

static void on_signal(int sig)
{
	nfv_stop(nf);
}

static uint32_t forward(struct nfv_pkt *pkt, void *ctx)
{
	return NFV_NEXT;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct nfv_args args;
	int err;

	if (nfv_args_parse(&argc, argv, &args, "nfv-forward",
			   "Forwards every frame to the next hop of its chain.\n"))
		return 1;
	if (argc > 1) {
		fprintf(stderr, "nfv-forward: unknown argument \"%s\"\n",
			argv[1]);
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = nfv_run(nf, forward, NULL);
	nfv_close(nf);
	return err ? 1 : 0;
}
