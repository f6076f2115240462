// SPDX-License-Identifier: GPL-2.0
/*
 * STATS_GET: the frame accounting (ledger.c), every port with its
 * classifier's counters and every NF, in one message.
 */
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "control.h"
#include "dpif.h"
#include "ledger.h"
#include "nf.h"
#include "nfvd.h"
#include "port.h"
#include "stats.h"

static int cmd_stats(struct nfvd_req *req, uint8_t cmd)
{
	struct nfvd *d = req->d;
	static char buf[65536];
	uint32_t n_in[__LF_MAX];
	struct nlmsghdr *nlh;
	struct nlattr *n;
	const struct nlattr *a;
	uint64_t bad = 0;
	int i;

	mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
		REQ_ERR(req, "STATS_GET takes no attribute");
		return -EINVAL;
	}
	/* Counted, not kept: the free list must agree (a test checks). */
	ledger_counts(d, n_in);
	for (i = 1; i < NFV_NF_MAX; i++)
		if (d->nfs[i].id)
			bad += nf_counters(d, &d->nfs[i])->bad_desc;
	nlh = control_reply_start(req, buf, NFV_CMD_STATS_GET, 0);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TOTAL, d->cfg.frames);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FREE, d->n_free);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FILL, n_in[LF_FILL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_INFLIGHT,
			 d->cfg.frames - n_in[LF_FREE] - n_in[LF_FILL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_KERNEL, n_in[LF_KERNEL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_HELD, n_in[LF_HELD]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TRANSIT, n_in[LF_TRANSIT]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TX, n_in[LF_TX]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TAPPED, n_in[LF_TAPPED]);
	mnl_attr_put_u64(nlh, NFV_A_STATS_BAD_DESC, bad + d->refused);
	mnl_attr_put_u64(nlh, NFV_A_STATS_RECLAIMED, d->reclaimed);
	mnl_attr_put_u64(nlh, NFV_A_STATS_REFUSED, d->refused);
	mnl_attr_put_u64(nlh, NFV_A_STATS_FORGED_TX, d->forged_tx);
	mnl_attr_put_u64(nlh, NFV_A_STATS_LOOP_DROP, d->loop_drop);
	mnl_attr_put_strz(nlh, NFV_A_STATS_BACKEND,
			  d->dp->name);
	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!d->ports[i].id)
			continue;
		n = mnl_attr_nest_start(nlh, NFV_A_STATS_PORT);
		port_put(d, nlh, &d->ports[i], true);
		mnl_attr_nest_end(nlh, n);
	}
	for (i = 1; i < NFV_NF_MAX; i++) {
		if (!d->nfs[i].id)
			continue;
		if (nlh->nlmsg_len + 512 > sizeof(buf))
			break;
		n = mnl_attr_nest_start(nlh, NFV_A_STATS_NF);
		nf_put(d, nlh, &d->nfs[i]);
		mnl_attr_nest_end(nlh, n);
	}
	return control_reply(req, nlh, NULL, 0) ?: 1;
}

const struct nfvd_obj stats_obj = {
	.doit = cmd_stats,
};
