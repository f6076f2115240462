// SPDX-License-Identifier: GPL-2.0
/*
 * Classifiers left behind by an nfvd that is gone.
 *
 * nfvd detaches nfv_xdp from its ports only on a clean exit; after a
 * kill -9 or a crash the program stays on every port with its maps, and
 * follows each port's fail policy once the heartbeat is stale.  A new
 * nfvd takes such a port over: it replaces the stale program with its
 * own atomically (XDP_FLAGS_REPLACE, no frame sees no program), and
 * detaches stale programs from devices that are no longer ports.
 *
 * Stale means: a program named nfv_xdp whose nfv_heartbeat map holds a
 * beat (someone watched it) older than its timeout.  A program somebody
 * still beats for belongs to a live nfvd and is never touched; one that
 * was never beaten for (attached by hand with ip link) neither.  nfvd
 * beats with either backend, nfv.ko's too.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "nfvd.h"
#include "stale.h"

static bool map_is_stale_heartbeat(uint32_t map_id, bool *found)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	struct nfv_heartbeat hb;
	uint32_t key = 0;
	bool stale = false;
	int fd;

	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
	    !strcmp(info.name, "nfv_heartbeat") &&
	    info.value_size == sizeof(hb)) {
		*found = true;
		if (!bpf_map_lookup_elem(fd, &key, &hb) && hb.ns &&
		    (int64_t)(nfvd_now_ns() - hb.ns) > (int64_t)hb.timeout_ns)
			stale = true;
	}
	close(fd);
	return stale;
}

int stale_prog_get(uint32_t ifindex, uint32_t *mode_flags)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info;
	__u32 len = sizeof(info), map_ids[64], i;
	bool found = false, stale = false;
	int fd;

	if (bpf_xdp_query((int)ifindex, 0, &q) || !q.prog_id)
		return -ENOENT;
	if (q.attach_mode == XDP_ATTACHED_DRV)
		*mode_flags = XDP_FLAGS_DRV_MODE;
	else if (q.attach_mode == XDP_ATTACHED_SKB)
		*mode_flags = XDP_FLAGS_SKB_MODE;
	else
		return -EBUSY;	/* offloaded or several: not ours */
	fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (fd < 0)
		return -EBUSY;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (uintptr_t)map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    strcmp(info.name, "nfv_xdp")) {
		close(fd);
		return -EBUSY;
	}
	for (i = 0; i < info.nr_map_ids && i < 64 && !found; i++)
		stale = map_is_stale_heartbeat(map_ids[i], &found);
	if (!stale) {
		close(fd);
		return -EBUSY;
	}
	return fd;
}

/*
 * Attach our classifier to @ifindex: on a free hook, or in place of a
 * stale one.  -EBUSY: another program is there (a live one).
 */
int stale_attach(struct nfvd *d, uint32_t ifindex, uint32_t xdp_flags)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o);
	uint32_t old_mode = 0;
	int old, err;

	old = stale_prog_get(ifindex, &old_mode);
	if (old == -ENOENT)
		return bpf_xdp_attach((int)ifindex, d->prog_fd,
				      xdp_flags | XDP_FLAGS_UPDATE_IF_NOEXIST,
				      NULL);
	if (old < 0)
		return old;
	if (old_mode == (xdp_flags & (XDP_FLAGS_DRV_MODE | XDP_FLAGS_SKB_MODE))) {
		/* Atomic: every frame sees one program or the other. */
		o.old_prog_fd = old;
		err = bpf_xdp_attach((int)ifindex, d->prog_fd,
				     xdp_flags | XDP_FLAGS_REPLACE, &o);
	} else {
		bpf_xdp_detach((int)ifindex, old_mode, NULL);
		err = bpf_xdp_attach((int)ifindex, d->prog_fd,
				     xdp_flags | XDP_FLAGS_UPDATE_IF_NOEXIST,
				     NULL);
	}
	close(old);
	if (!err)
		pr_info("nfvd: ifindex %u: took over from a classifier whose nfvd is gone\n",
			ifindex);
	return err;
}

