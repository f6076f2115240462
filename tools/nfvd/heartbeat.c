// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd's heartbeat: the time of its last sign of life in the classifier's
 * "nfv_heartbeat" map.  A beat older than the timeout tells nfv_xdp that
 * nfvd is gone (killed, crashed, stopped), and every port then follows its
 * fail policy: fail closed drops (counted NFV_XDP_FAIL_CLOSED), fail open
 * passes to the kernel.  See uapi/linux/nfv.h, struct nfv_heartbeat.
 *
 * Beats come from the event loop (never sleeping longer than a period)
 * and from the long loops: restoring or compacting a big state.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "heartbeat.h"
#include "nfvd.h"

static void beat(struct nfvd *d, uint64_t now)
{
	struct nfv_heartbeat hb = {
		.ns = now,
		.timeout_ns = (uint64_t)d->cfg.heartbeat_timeout_ms * 1000000ULL,
	};
	uint32_t key = 0;

	if (d->map_heartbeat < 0)
		return;
	if (bpf_map_update_elem(d->map_heartbeat, &key, &hb, 0))
		pr_warn("nfvd: heartbeat: %s\n", strerror(errno));
	d->last_beat_ns = now;
}

int heartbeat_init(struct nfvd *d)
{
	struct bpf_map *m = bpf_object__find_map_by_name(d->obj,
							 "nfv_heartbeat");

	d->map_heartbeat = m ? bpf_map__fd(m) : -1;
	if (d->map_heartbeat < 0) {
		pr_warn("nfvd: %s has no nfv_heartbeat map: ports will not fail open or closed while nfvd is down\n",
			d->cfg.bpf_obj);
		return 0;
	}
	beat(d, nfvd_now_ns());
	return 0;
}

void heartbeat_tick(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();

	if (now - d->last_beat_ns >= NFV_HEARTBEAT_PERIOD_MS * 1000000ULL)
		beat(d, now);
}
