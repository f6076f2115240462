// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-arp: answers ARP requests for the addresses given with --addr.
 * Counters as one JSON line on SIGUSR1 and at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "responder.h"

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	if (events & NFV_EV_USR1) {
		arp_json(stdout, ctx);
		fflush(stdout);
	}
}

static const char usage[] =
	"ARP options:\n"
	"  --addr ADDR [--mac MAC]   answer ARP requests for IPv4 ADDR with MAC\n"
	"                            (default 02:00 followed by the 4 bytes of\n"
	"                            ADDR); repeat for more addresses (1..256)\n"
	"Replies leave by the port the request came in on; other frames\n"
	"follow their chain.  SIGUSR1 prints counters (JSON).\n";

int main(int argc, char **argv)
{
	static struct arp_responder r;
	struct nfv_args args;
	struct nfv *nf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-arp", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint8_t mac[6], *m = NULL;
		uint32_t addr;

		if (strcmp(a, "--addr") || !v) {
			fprintf(stderr, "nfv-arp: unknown argument \"%s\"\n", a);
			return 1;
		}
		if (inet_pton(AF_INET, v, &addr) != 1) {
			fprintf(stderr, "nfv-arp: invalid --addr \"%s\"\n", v);
			return 1;
		}
		i++;
		if (i + 1 < argc && !strcmp(argv[i + 1], "--mac")) {
			if (i + 2 >= argc || nf_parse_mac(argv[i + 2], mac)) {
				fprintf(stderr, "nfv-arp: invalid --mac \"%s\"\n",
					i + 2 < argc ? argv[i + 2] : "");
				return 1;
			}
			m = mac;
			i += 2;
		}
		ret = arp_add(&r, addr, m);
		if (ret) {
			fprintf(stderr, "nfv-arp: --addr \"%s\": %s\n", v,
				ret == -EEXIST ? "given twice" : "too many addresses");
			return 1;
		}
	}
	if (!r.n) {
		fprintf(stderr, "nfv-arp: at least one --addr is required\n");
		return 1;
	}
	if (args.readonly) {
		fprintf(stderr, "nfv-arp: rewrites frames: cannot run --readonly\n");
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	LIBNFV_RUN_OPTS(run_opts, .flags = NF_RUN_SIGNALS,
			.tick = tick);
	ret = nfv_run_opts(nf, arp_handle, &r, &run_opts);
	arp_json(stdout, &r);
	nfv_close(nf);
	return ret ? 1 : 0;
}
