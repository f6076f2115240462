// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-bridge: joins two fabric ports.  A frame that came in on one port
 * leaves by the other (an NF action override: the chain must allow it),
 * optionally with its MAC addresses swapped (reflector mode, --mac-swap
 * with a single port).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

struct bridge {
	const char *a_name, *b_name;
	int a, b;
	bool mac_swap;
	uint64_t no_port;
};

static struct nfv *nf;

static int resolve(struct bridge *br)
{
	br->a = nfv_port_by_name(nf, br->a_name);
	br->b = br->b_name ? nfv_port_by_name(nf, br->b_name) : br->a;
	return br->a > 0 && br->b > 0;
}

static uint32_t bridge(struct nfv_pkt *pkt, void *ctx)
{
	struct bridge *br = ctx;
	struct ethhdr *eth;
	int out;

	/* Ports may be added after we start: look them up until found. */
	if ((br->a <= 0 || br->b <= 0) && !resolve(br)) {
		br->no_port++;
		return NFV_DROP;
	}
	if (pkt->meta->in_port == br->a)
		out = br->b;
	else if (pkt->meta->in_port == br->b)
		out = br->a;
	else
		return NFV_NEXT;	/* not ours: let the chain decide */
	eth = nfv_pkt_eth(pkt);
	if (br->mac_swap && eth)
		nfv_mac_swap(eth);
	return NFV_OUT(out);
}

static const char extra[] =
	"Bridge options:\n"
	"  --ports A,B        the two fabric ports to join (netdev names)\n"
	"  --port A           reflect frames back out of port A\n"
	"  --mac-swap         swap source and destination MAC\n";

int main(int argc, char **argv)
{
	LIBNFV_RUN_OPTS(run_opts, .flags = NFV_RUN_F_STOP_SIGNALS);
	struct bridge br = { 0 };
	struct nfv_args args;
	char *comma;
	int i, err;

	if (nfv_args_parse(&argc, argv, &args, "nfv-bridge", extra))
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ports") && i + 1 < argc) {
			br.a_name = argv[++i];
			comma = strchr(argv[i], ',');
			if (!comma || !comma[1]) {
				fprintf(stderr, "nfv-bridge: --ports wants A,B\n");
				return 1;
			}
			*comma = 0;
			br.b_name = comma + 1;
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			br.a_name = argv[++i];
		} else if (!strcmp(argv[i], "--mac-swap")) {
			br.mac_swap = true;
		} else {
			fprintf(stderr, "nfv-bridge: unknown argument \"%s\"\n",
				argv[i]);
			return 1;
		}
	}
	if (!br.a_name) {
		fprintf(stderr, "nfv-bridge: --ports A,B or --port A is required\n");
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	resolve(&br);
	err = nfv_run_opts(nf, bridge, &br, &run_opts);
	nfv_close(nf);
	return err ? 1 : 0;
}
