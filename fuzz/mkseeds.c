// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of nfvd_control (fuzz/seeds/nfvd_control/):
 * requests made by nfvctl's own parser from command lines, and the
 * messages libnfv sends when an NF attaches, in the fuzzer's input format
 * (mode byte, then messages back to back).  `make -C fuzz seeds`.
 *
 * DEV "lo" is ifindex 1, as in the fuzzer's network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nfv/libnfv.h>

#include "nfv_msg.h"
#include "nfvctl.h"

static const char *dir;

static unsigned int lo_only(const char *name)
{
	return strcmp(name, "lo") ? 0 : 1;
}

struct seed {
	unsigned char buf[8192];
	size_t len;
	uint32_t seq;
};

static uint32_t client;		/* of the messages added next, 0..3 */

static void add_msg(struct seed *s, const struct nlmsghdr *nlh)
{
	struct nlmsghdr *m = (struct nlmsghdr *)(s->buf + s->len);

	if (s->len + NLMSG_ALIGN(nlh->nlmsg_len) > sizeof(s->buf))
		abort();
	memcpy(m, nlh, nlh->nlmsg_len);
	m->nlmsg_type = NLMSG_MIN_TYPE;
	m->nlmsg_seq = ++s->seq;
	m->nlmsg_pid = client;
	s->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* One nfvctl command line, e.g. "chain add 1 service 1 out lo". */
static void add_cmd(struct seed *s, const char *line)
{
	char copy[512], *argv[64], *save = NULL, *w;
	union {
		char buf[NFVCTL_MSG_SIZE];
		struct nlmsghdr align;
	} msg;
	struct nfvctl_req req = {
		.buf = msg.buf,
		.size = sizeof(msg.buf),
		.nametoindex = lo_only,
	};
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	memset(msg.buf, 0, sizeof(msg.buf));
	if (nfvctl_parse(argc, argv, &req)) {
		fprintf(stderr, "mkseeds: \"%s\": %s\n", line, req.err);
		exit(1);
	}
	add_msg(s, req.nlh);
}

/* What libnfv sends: attach, ready, a doorbell request (for NF @peer). */
static void add_nf(struct seed *s, uint16_t service, uint32_t flags,
		   uint16_t peer)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	nlh = nfv_msg_start(buf, NFV_CMD_NF_ATTACH, 0, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, service);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, "fuzz");
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, flags);
	mnl_attr_put_u32(nlh, NFV_A_NF_BATCH, 64);
	add_msg(s, nlh);
	nlh = nfv_msg_start(buf, NFV_CMD_NF_READY, NLM_F_ACK, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, 1);
	add_msg(s, nlh);
	nlh = nfv_msg_start(buf, NFV_CMD_NF_GET, 0, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, peer);
	mnl_attr_put_u32(nlh, NFV_A_NF_DOORBELL, 1);
	add_msg(s, nlh);
}

static void write_seed(struct seed *s, const char *name, unsigned char mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(&mode, 1, 1, f) != 1 ||
	    fwrite(s->buf, 1, s->len, f) != s->len || fclose(f)) {
		perror(path);
		exit(1);
	}
	memset(s, 0, sizeof(*s));
}

static const char *const fabric[] = {
	"port add lo default-chain 1",
	"port add lo mode generic fail closed csum keep",
	"chain add 1 service 1 service 2 out lo",
	"chain add 2 service 3 tap service 4 drop override deny",
	"chain replace 1 service 5 out lo override allow",
	"flow add in lo proto tcp src 198.18.0.1 dst 198.18.0.2 sport 1000 dport 80 chain 1",
	"flow add proto udp dst 198.18.0.0/15 dport 53-60 chain 2",
	"flow add proto icmpv6 src 2001:db8::1 dst 2001:db8::/32 chain 1",
	"port add lo decap nsh",
	"chain add 3 service 1 nsh lo 100",
	"flow add in lo spi 100 si 254 chain 3",
	"port show", "port show lo", "chain show", "chain show 1",
	"flow show", "service show", "nf show", "nf show 1", "stats",
	"flow del proto udp dst 198.18.0.0/15 dport 53-60",
	"chain del 2", "port del lo",
};

int main(int argc, char **argv)
{
	struct seed s;
	char name[64];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 1;
	}
	dir = argv[1];
	memset(&s, 0, sizeof(s));

	/* Each command alone, table writes failing (mode 0). */
	for (i = 0; i < sizeof(fabric) / sizeof(fabric[0]); i++) {
		add_cmd(&s, fabric[i]);
		snprintf(name, sizeof(name), "cmd-%02zu", i);
		write_seed(&s, name, 0);
	}
	/* A whole fabric built, shown and torn down, writes succeeding. */
	for (i = 0; i < sizeof(fabric) / sizeof(fabric[0]); i++)
		add_cmd(&s, fabric[i]);
	write_seed(&s, "fabric", 1);
	/* NFs: attach, ready, doorbell, then what the CLI shows. */
	add_nf(&s, 1, 0, 1);
	add_cmd(&s, "nf show");
	add_cmd(&s, "service show");
	add_cmd(&s, "stats");
	write_seed(&s, "nf", 1);
	add_cmd(&s, "port add lo");
	add_nf(&s, 7, NFV_NF_F_READONLY, 1);
	add_cmd(&s, "nf show 1");
	add_cmd(&s, "port del lo");
	write_seed(&s, "nf-readonly-port", 3);
	add_nf(&s, 1, 0, 1);
	write_seed(&s, "nf-nomaps", 0);
	/* Three NFs on three connections, two of them replicas; one goes. */
	add_cmd(&s, "port add lo");
	for (client = 0; client < 3; client++)
		add_nf(&s, client == 2 ? 2 : 1, 0, 1);
	client = 0;
	add_cmd(&s, "service show");
	add_cmd(&s, "nf show");
	{	/* header only, no genl header: nfvd hangs up on client 1 */
		struct nlmsghdr runt = {
			.nlmsg_len = NLMSG_HDRLEN,
			.nlmsg_type = NLMSG_MIN_TYPE,
			.nlmsg_flags = NLM_F_REQUEST,
		};

		client = 1;
		add_msg(&s, &runt);
		client = 0;
	}
	add_cmd(&s, "service show");
	add_cmd(&s, "stats");
	write_seed(&s, "nfs-replicas", 1);
	return 0;
}
