// SPDX-License-Identifier: GPL-2.0
/*
 * Segmenters: GSO super-frames of generic-mode ports, cut into frames
 * for the NFs by the kernel.
 *
 * A port in native mode takes TSO away from its veth peer: the peer cuts
 * every TCP send into MSS-sized frames, and each costs a trip through
 * veth's XDP path.  A port in generic mode leaves the peer alone: flows
 * offloaded port to port move as 64 KB skbs, as between kernel routers
 * (docs/performance.md).  But a frame of up to 64 KB fits no NF socket's
 * frame.  So such a port gets a segmenter, a veth pair of its own
 * (uapi/linux/nfv.h "nfv_segs"):
 *
 *   f0 (generic): classifier: longer than a frame, for an NF
 *        -> XDP_PASS, metadata {NFV_OFFLOAD_MAGIC, nfvsegN}
 *   f0: nfv_tc: bpf_redirect(nfvsegN)
 *   nfvsegN: transmit: its peer has an XDP program, hence no TSO:
 *        the kernel segments the skb (GSO)
 *   nfvsegNx (native): classifier: the frames as f0's (in_port f0),
 *        to the NFs' sockets of f0's queue n_queues, bound to nfvsegNx
 *
 * nfvd owns the pair in both backends, as it owns the TC hook: it makes
 * it when the port is added (deleting one a gone nfvd left), and
 * deletes it with the port.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "link.h"
#include "nfvd.h"
#include "port.h"
#include "segment.h"

static void seg_names(const struct nfvd_port *p, char entry[IF_NAMESIZE],
		      char exit_[IF_NAMESIZE])
{
	snprintf(entry, IF_NAMESIZE, "nfvseg%u", p->id);
	snprintf(exit_, IF_NAMESIZE, "nfvseg%ux", p->id);
}

static uint32_t dev_mtu(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t mtu = 0;

	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
		mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return mtu;
}

/* No IPv6 on the pair: its router solicitations would enter the chain. */
static void no_ipv6(const char *name)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;		/* no IPv6 at all */
	if (write(fd, "1", 1) != 1)
		pr_debug("nfvd: %s: cannot disable IPv6\n", name);
	close(fd);
}

/* The longest frame an NF's rx socket takes (copy mode). */
static uint16_t frame_room(const struct nfvd *d)
{
	uint32_t room = d->cfg.frame_size - XDP_PACKET_HEADROOM;

	return room > UINT16_MAX ? UINT16_MAX : (uint16_t)room;
}

static int pair_make(struct rtnl *r, const struct nfvd_port *p,
		     uint32_t *entry_if, uint32_t *exit_if)
{
	char entry[IF_NAMESIZE], exit_[IF_NAMESIZE];
	int err;

	seg_names(p, entry, exit_);
	link_del(r, entry);	/* a gone nfvd's */
	err = link_veth_add(r, entry, exit_, -1, dev_mtu(p->name));
	if (err)
		return err;
	no_ipv6(entry);
	no_ipv6(exit_);
	err = link_get(r, entry, entry_if, NULL, NULL) ?:
	      link_get(r, exit_, exit_if, NULL, NULL) ?:
	      link_up(r, *exit_if) ?:
	      link_up(r, *entry_if);
	if (err)
		link_del(r, entry);
	return err;
}

int segment_up(struct nfvd *d, struct nfvd_port *p)
{
	struct nfv_seg at_exit = { .role = NFV_SEG_DEV };
	struct nfv_seg at_port = { .role = NFV_SEG_PORT };
	uint32_t entry_if = 0, exit_if = 0, key;
	struct nfvd_pool *pool;
	uint16_t q = p->n_queues;
	struct rtnl *r;
	int err;

	if (p->mode != NFV_PORT_MODE_GENERIC || p->decap.kind)
		return 0;
	if (!p->offload || d->map_segs < 0)
		return -EOPNOTSUPP;
	if (q >= NFV_QUEUE_MAX)
		return -ENOSPC;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = rtnl_open(r);
	if (!err)
		err = pair_make(r, p, &entry_if, &exit_if);
	if (err)
		goto out;
	/* Pool first: a frame redirected to a socket needs a fill ring. */
	pool = port_pool_get(d, exit_if, 0, &err);
	if (!pool)
		goto fail;
	err = bpf_xdp_attach((int)exit_if, d->prog_fd, XDP_FLAGS_DRV_MODE,
			     NULL);
	if (err)
		goto fail_pool;
	/* The exit's entry before the port's: no segment without a port. */
	at_exit.ifindex = p->ifindex;
	at_exit.queue = (uint8_t)q;
	key = exit_if;
	err = bpf_map_update_elem(d->map_segs, &key, &at_exit, BPF_ANY);
	if (err)
		goto fail_pool;
	p->pools[q] = pool;
	p->seg_entry = entry_if;
	p->seg_exit = exit_if;
	p->seg_queue = q;
	at_port.ifindex = entry_if;
	at_port.above = frame_room(d);
	key = p->ifindex;
	err = bpf_map_update_elem(d->map_segs, &key, &at_port, BPF_ANY);
	if (err) {
		segment_stop(d, p);
		port_pool_put(d, pool);
		p->pools[q] = NULL;
		segment_down(d, p);
		goto out;
	}
	pr_info("nfvd: port %s: segmenter nfvseg%u, frames over %u bytes\n",
		p->name, p->id, at_port.above);
	goto out;
fail_pool:
	err = err ?: -EIO;
	port_pool_put(d, pool);
fail:
	key = exit_if;
	bpf_map_delete_elem(d->map_segs, &key);
	{
		char entry[IF_NAMESIZE], exit_[IF_NAMESIZE];

		seg_names(p, entry, exit_);
		link_del(r, entry);
	}
out:
	rtnl_close(r);
	free(r);
	return err;
}

struct nfvd_port *segment_port(struct nfvd *d, uint32_t ifindex)
{
	int i;

	for (i = 1; ifindex && i < NFV_PORT_MAX; i++)
		if (d->ports[i].id && d->ports[i].seg_exit == ifindex)
			return &d->ports[i];
	return NULL;
}

void segment_stop(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t key;

	if (!p->seg_exit)
		return;
	key = p->ifindex;
	bpf_map_delete_elem(d->map_segs, &key);
	key = p->seg_exit;
	bpf_map_delete_elem(d->map_segs, &key);
}

void segment_down(struct nfvd *d, struct nfvd_port *p)
{
	char entry[IF_NAMESIZE], exit_[IF_NAMESIZE];
	struct rtnl *r;

	(void)d;
	if (!p->seg_exit)
		return;
	seg_names(p, entry, exit_);
	p->seg_entry = 0;
	p->seg_exit = 0;
	p->seg_queue = 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	if (!rtnl_open(r) && link_del(r, entry))
		pr_warn("nfvd: cannot delete segmenter %s\n", entry);
	rtnl_close(r);
	free(r);
}
