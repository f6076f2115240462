// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-vxlan: VXLAN encapsulation (--encap) or decapsulation (--decap) of
 * every frame on its chain.  Counters as one JSON line on SIGUSR1 and at
 * exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "vxlan.h"

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	if (events & NFV_EV_USR1) {
		vxlan_json(stdout, ctx);
		fflush(stdout);
	}
}

static const char usage[] =
	"VXLAN options:\n"
	"  --encap --vni N --local ADDR --remote ADDR [--dst-mac MAC]\n"
	"          [--src-mac MAC]   wrap every frame in outer Ethernet/IPv4/\n"
	"                            UDP/VXLAN (50 bytes); outer MACs default\n"
	"                            to the inner frame's\n"
	"  --decap [--vni N]         unwrap VXLAN frames (of VNI N only, if\n"
	"                            given; others are dropped); frames that\n"
	"                            are not VXLAN pass untouched\n"
	"  --port N                  UDP port (default 4789)\n"
	"The outer MTU must allow 50 more bytes.  SIGUSR1 prints counters.\n";

static int bad(const char *opt, const char *v)
{
	fprintf(stderr, "nfv-vxlan: invalid %s \"%s\"\n", opt, v ? v : "");
	return 1;
}

int main(int argc, char **argv)
{
	static struct vxlan vx = { .port = 0 };
	bool encap = false, decap = false, local = false, remote = false;
	uint32_t port = VXLAN_PORT;
	struct nfv_args args;
	struct nfv *nf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-vxlan", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--encap")) {
			encap = true;
			continue;
		}
		if (!strcmp(a, "--decap")) {
			decap = true;
			continue;
		}
		if (!strcmp(a, "--vni")) {
			if (nf_parse_u32(v, 0, 0xffffff, &vx.vni))
				return bad(a, v);
			vx.vni_set = true;
		} else if (!strcmp(a, "--local") || !strcmp(a, "--remote")) {
			if (!v || inet_pton(AF_INET, v, !strcmp(a, "--local") ?
					    &vx.local : &vx.remote) != 1)
				return bad(a, v);
			if (!strcmp(a, "--local"))
				local = true;
			else
				remote = true;
		} else if (!strcmp(a, "--dst-mac")) {
			if (nf_parse_mac(v, vx.dst_mac))
				return bad(a, v);
			vx.dst_mac_set = true;
		} else if (!strcmp(a, "--src-mac")) {
			if (nf_parse_mac(v, vx.src_mac))
				return bad(a, v);
			vx.src_mac_set = true;
		} else if (!strcmp(a, "--port")) {
			if (nf_parse_u32(v, 1, 65535, &port))
				return bad(a, v);
		} else {
			fprintf(stderr, "nfv-vxlan: unknown argument \"%s\"\n", a);
			return 1;
		}
		i++;
	}
	if (encap == decap) {
		fprintf(stderr, "nfv-vxlan: give one of --encap and --decap\n");
		return 1;
	}
	if (encap && (!vx.vni_set || !local || !remote)) {
		fprintf(stderr, "nfv-vxlan: --encap needs --vni, --local and --remote\n");
		return 1;
	}
	if (args.readonly) {
		fprintf(stderr, "nfv-vxlan: rewrites frames: cannot run --readonly\n");
		return 1;
	}
	vx.decap = decap;
	vx.port = htons((uint16_t)port);
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	LIBNFV_RUN_OPTS(run_opts, .flags = NF_RUN_SIGNALS,
			.tick = tick);
	ret = nfv_run_opts(nf, vxlan_handle, &vx, &run_opts);
	vxlan_json(stdout, &vx);
	nfv_close(nf);
	return ret ? 1 : 0;
}
