// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_classify: the nfv_xdp classifier (bpf/nfv_xdp.bpf.c) under
 * BPF_PROG_RUN, plus one frame through a real veth into an AF_XDP socket.
 *
 * Every test runs in its own process (the harness forks) and its own
 * network namespace, so nothing outlives it:
 *
 *   netns (private, unshare)
 *     nfv0 (8 rx queues) -- veth -- nfv1
 *     port id 1                     port id 2
 *     AF_XDP socket on nfv0 queue 0, XDP_COPY, placed in nfv_xsks at
 *     NFV_XSK_SLOT(NF_A, 1, 0) and NFV_XSK_SLOT(NF_A, 2, 0)
 *
 * BPF_PROG_RUN needs the ingress ifindex (and queue) to exist in the
 * caller's netns, and an XSKMAP lookup needs a bound socket; the redirect
 * itself is not performed by BPF_PROG_RUN, which returns the action and
 * the frame with its metadata in front (data_out, ctx_out.data = metadata
 * length).  The "live" test attaches the program to nfv0 and checks that a
 * frame sent into nfv1 arrives in the socket with that metadata.
 *
 * Run from the repository root as root; NFV_BPF_OBJ overrides the object
 * path, NFV_FUZZ_FRAMES and NFV_FUZZ_SEED the fuzz loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <linux/in.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include <linux/nfv.h>
#include <linux/nfv_nsh.h>

#include "kselftest_harness.h"

#define BPF_OBJ_DEFAULT	"build/bpf/nfv_xdp.bpf.o"
#define DEV0		"nfv0"
#define DEV1		"nfv1"
#define DEV0_RXQ	8
#define PORT0		1	/* port id of nfv0 */
#define PORT1		2	/* port id of nfv1 */
#define NF_A		1	/* the NF whose socket exists */
#define NF_B		2	/* an NF without sockets */
#define SVC		5	/* service: all buckets to NF_A */
#define CHAIN_SVC	10	/* [SERVICE SVC] */

#define UMEM_FRAMES	64
#define FRAME_SIZE	2048
#define RING_SIZE	64

#define FRAME_MAX	2048

#define IPV6_HOP	0
#define IPV6_ROUTING	43
#define IPV6_FRAGMENT	44
#define IPV6_DEST	60

static const char *const counter_name[__NFV_XDP_COUNTER_MAX] = {
	[NFV_XDP_RX]		= "rx",
	[NFV_XDP_PASS]		= "pass",
	[NFV_XDP_REDIRECT]	= "redirect",
	[NFV_XDP_FLOW_HIT]	= "flow_hit",
	[NFV_XDP_RULE_HIT]	= "rule_hit",
	[NFV_XDP_DEFAULT_HIT]	= "default_hit",
	[NFV_XDP_PARSE_ERR]	= "parse_err",
	[NFV_XDP_NO_CHAIN]	= "no_chain",
	[NFV_XDP_NO_REPLICA]	= "no_replica",
	[NFV_XDP_NO_SOCKET]	= "no_socket",
	[NFV_XDP_META_ERR]	= "meta_err",
	[NFV_XDP_HOP_OUT]	= "hop_out",
	[NFV_XDP_HOP_DROP]	= "hop_drop",
	[NFV_XDP_FAIL_CLOSED]	= "fail_closed",
	[NFV_XDP_DECAP]		= "decap",
	[NFV_XDP_DECAP_ERR]	= "decap_err",
	[NFV_XDP_OFFLOAD]	= "offload",
	[NFV_XDP_OFFLOAD_END]	= "offload_end",
	[NFV_XDP_NSH_DROP]	= "nsh_drop",
	[NFV_XDP_SEGMENT]	= "segment",
};

/* Exactly one of these per frame (see nfv_xdp.bpf.c). */
static const int outcomes[] = {
	NFV_XDP_PASS, NFV_XDP_PARSE_ERR, NFV_XDP_REDIRECT, NFV_XDP_HOP_OUT,
	NFV_XDP_HOP_DROP, NFV_XDP_NO_CHAIN, NFV_XDP_NO_REPLICA,
	NFV_XDP_NO_SOCKET, NFV_XDP_META_ERR, NFV_XDP_FAIL_CLOSED,
	NFV_XDP_DECAP_ERR, NFV_XDP_OFFLOAD, NFV_XDP_NSH_DROP, NFV_XDP_SEGMENT,
};

/* ---- environment: netns, veth pair, program, maps, socket ---- */

struct env {
	int ready;
	struct bpf_object *obj;
	int prog;
	int ports, chains, services, flows, rules, xsks, devmap, stats;
	int heartbeat;
	int offload, offload_on;
	int segs;
	int ncpus;
	unsigned int if0, if1;
	void *umem_area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_cons rx;
};

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int quiet_libxdp(enum libxdp_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBXDP_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int rtnl_do(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	int ret;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	ret = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID);
	if (!ret && mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		ret = -1;
	if (!ret) {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret > 0)
			ret = mnl_cb_run(buf, ret, 1,
					 mnl_socket_get_portid(nl), NULL, NULL);
		ret = ret < 0 ? -errno : 0;
	}
	mnl_socket_close(nl);
	return ret;
}

/* ip link add A numrxqueues RXQ type veth peer name B */
static int veth_add(const char *a, const char *b, unsigned int rxq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo, *data, *peer;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, a);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, rxq);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, b);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return rtnl_do(nlh);
}

static int link_up(unsigned int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return rtnl_do(nlh);
}

/* Best effort: a kernel without IPv6 has nothing to silence. */
static void sysctl_set(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(val, f);
		fclose(f);
	}
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m ? bpf_map__fd(m) : -1;
}

/* The socket: a small UMEM, fill/completion/rx rings, nfv0 queue 0. */
static int xsk_open(struct env *e)
{
	struct xsk_umem_config ucfg = {
		.fill_size = RING_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = FRAME_SIZE,
	};
	struct xsk_socket_config scfg = {
		.rx_size = RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	size_t size = UMEM_FRAMES * FRAME_SIZE;
	__u32 idx, i;
	int ret;

	e->umem_area = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e->umem_area == MAP_FAILED) {
		e->umem_area = NULL;
		return -errno;
	}
	ret = xsk_umem__create(&e->umem, e->umem_area, size, &e->fill,
			       &e->comp, &ucfg);
	if (ret)
		return ret;
	ret = xsk_socket__create(&e->xsk, DEV0, 0, e->umem, &e->rx, NULL,
				 &scfg);
	if (ret)
		return ret;
	if (xsk_ring_prod__reserve(&e->fill, RING_SIZE / 2, &idx) !=
	    RING_SIZE / 2)
		return -ENOSPC;
	for (i = 0; i < RING_SIZE / 2; i++)
		*xsk_ring_prod__fill_addr(&e->fill, idx + i) = i * FRAME_SIZE;
	xsk_ring_prod__submit(&e->fill, RING_SIZE / 2);
	return 0;
}

static void env_close(struct env *e)
{
	if (e->xsk)
		xsk_socket__delete(e->xsk);
	if (e->umem)
		xsk_umem__delete(e->umem);
	if (e->umem_area)
		munmap(e->umem_area, UMEM_FRAMES * FRAME_SIZE);
	bpf_object__close(e->obj);
	memset(e, 0, sizeof(*e));
}

static void set_port(struct __test_metadata *_metadata, struct env *e,
		     __u32 ifindex, __u16 id, __u16 default_chain,
		     __u32 flags)
{
	struct nfv_port_cfg p = {
		.id = id, .default_chain = default_chain, .flags = flags,
	};

	ASSERT_EQ(0, bpf_map_update_elem(e->ports, &ifindex, &p, BPF_ANY));
}

static void set_chain(struct __test_metadata *_metadata, struct env *e,
		      __u32 id, __u8 type, __u16 arg)
{
	struct nfv_chain c = { .n_hops = 1 };

	c.hops[0].type = type;
	c.hops[0].arg = arg;
	ASSERT_EQ(0, bpf_map_update_elem(e->chains, &id, &c, BPF_ANY));
}

/* n_live replicas; every bucket to @nf (0: leave buckets empty). */
static void set_service(struct __test_metadata *_metadata, struct env *e,
			__u32 id, __u16 n_live, __u16 nf)
{
	struct nfv_service s = { .n_live = n_live };
	int i;

	s.replicas[0] = nf;
	for (i = 0; i < NFV_BUCKETS; i++)
		s.buckets[i] = nf;
	ASSERT_EQ(0, bpf_map_update_elem(e->services, &id, &s, BPF_ANY));
}

static void set_xsk(struct __test_metadata *_metadata, struct env *e,
		    __u32 nf, __u32 port, __u32 queue)
{
	__u32 key = NFV_XSK_SLOT(nf, port, queue);
	int fd = xsk_socket__fd(e->xsk);

	ASSERT_EQ(0, bpf_map_update_elem(e->xsks, &key, &fd, BPF_ANY));
}

/* nfvd's last beat @age_ms ago (CLOCK_MONOTONIC); age < 0: never beat. */
static void set_heartbeat(struct __test_metadata *_metadata, struct env *e,
			  int age_ms, int timeout_ms)
{
	struct nfv_heartbeat hb = {
		.timeout_ns = (__u64)timeout_ms * 1000000ULL,
	};
	struct timespec ts;
	__u32 key = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (age_ms >= 0)
		hb.ns = (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec -
			(__u64)age_ms * 1000000ULL;
	ASSERT_EQ(0, bpf_map_update_elem(e->heartbeat, &key, &hb, BPF_ANY));
}

static void env_open(struct __test_metadata *_metadata, struct env *e)
{
	const char *path = getenv("NFV_BPF_OBJ") ?: BPF_OBJ_DEFAULT;

	if (geteuid())
		SKIP(return, "needs root (BPF, netns, AF_XDP)");
	if (access(path, R_OK))
		SKIP(return, "%s missing: run make first", path);
	libbpf_set_print(quiet_libbpf);
	libxdp_set_print(quiet_libxdp);

	/* A private netns: the veths vanish with this (forked) test. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	/* No IPv6 autoconf chatter (RS, MLD) in the live test's counters. */
	sysctl_set("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	sysctl_set("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	ASSERT_EQ(0, veth_add(DEV0, DEV1, DEV0_RXQ));
	e->if0 = if_nametoindex(DEV0);
	e->if1 = if_nametoindex(DEV1);
	ASSERT_NE(0u, e->if0);
	ASSERT_NE(0u, e->if1);
	ASSERT_EQ(0, link_up(e->if0));
	ASSERT_EQ(0, link_up(e->if1));
	ASSERT_EQ(0, link_up(1));

	e->obj = bpf_object__open_file(path, NULL);
	ASSERT_EQ(0, libbpf_get_error(e->obj));
	ASSERT_EQ(0, bpf_object__load(e->obj)) TH_LOG("load %s", path);
	e->prog = bpf_program__fd(bpf_object__find_program_by_name(e->obj,
								   "nfv_xdp"));
	ASSERT_LE(0, e->prog);
	e->ports = map_fd(e->obj, "nfv_ports");
	e->chains = map_fd(e->obj, "nfv_chains");
	e->services = map_fd(e->obj, "nfv_services");
	e->flows = map_fd(e->obj, "nfv_flows");
	e->rules = map_fd(e->obj, "nfv_rules");
	e->xsks = map_fd(e->obj, "nfv_xsks");
	e->devmap = map_fd(e->obj, "nfv_devmap");
	e->stats = map_fd(e->obj, "nfv_xdp_stats");
	e->heartbeat = map_fd(e->obj, "nfv_heartbeat");
	e->offload = map_fd(e->obj, "nfv_offload");
	e->offload_on = map_fd(e->obj, "nfv_offload_on");
	e->segs = map_fd(e->obj, "nfv_segs");
	ASSERT_LE(0, e->segs);
	ASSERT_LE(0, e->offload);
	ASSERT_LE(0, e->offload_on);
	ASSERT_LE(0, e->ports);
	ASSERT_LE(0, e->chains);
	ASSERT_LE(0, e->services);
	ASSERT_LE(0, e->flows);
	ASSERT_LE(0, e->rules);
	ASSERT_LE(0, e->xsks);
	ASSERT_LE(0, e->devmap);
	ASSERT_LE(0, e->stats);
	ASSERT_LE(0, e->heartbeat);
	e->ncpus = libbpf_num_possible_cpus();
	ASSERT_LT(0, e->ncpus);

	ASSERT_EQ(0, xsk_open(e)) TH_LOG("AF_XDP socket on " DEV0);

	/* The baseline every test starts from; tests add their own. */
	set_port(_metadata, e, e->if0, PORT0, 0, 0);
	set_port(_metadata, e, e->if1, PORT1, 0, 0);
	set_service(_metadata, e, SVC, 1, NF_A);
	set_chain(_metadata, e, CHAIN_SVC, NFV_HOP_SERVICE, SVC);
	set_xsk(_metadata, e, NF_A, PORT0, 0);
	set_xsk(_metadata, e, NF_A, PORT1, 0);
	e->ready = 1;
}

/* The 6.1 harness runs the body after a SKIP in setup: stop it here. */
#define NEED_ENV(e) do { if (!(e)->ready) return; } while (0)

/* ---- frames ---- */

enum { CSUM_FULL, CSUM_PARTIAL, CSUM_ZERO };

struct spec {
	int family;		/* AF_INET or AF_INET6 */
	__u8 proto;
	const char *src, *dst;
	__u16 sport, dport;	/* host order; ICMP: sport is the echo id */
	int vlans;		/* VLAN tags, outermost 802.1AD if two */
	__u16 payload;		/* L4 payload bytes */
	int csum;
	int ip_opts;		/* IPv4 option words (NOPs) */
	__u16 frag;		/* IPv4 frag_off, host order */
	const __u8 *ext;	/* IPv6 extension headers, in order */
	int n_ext;
	__u16 frag6;		/* IPv6 fragment header frag_off, host */
};

struct pkt {
	__u8 b[FRAME_MAX];
	__u32 len;
	__u16 l3_off, l4_off;	/* l4_off 0: no L4 header written */
	__u16 ext_off[8];	/* IPv6 extension header offsets */
};

static __u32 sum16(const void *p, size_t len, __u32 sum)
{
	const __u8 *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Host-order sum of the pseudo header, as a TX-offloading sender has it. */
static __u32 pseudo_sum(const struct pkt *p, int family, __u8 proto,
			__u32 l4_len)
{
	__u32 sum;

	if (family == AF_INET)
		sum = sum16(p->b + p->l3_off + 12, 8, 0);
	else
		sum = sum16(p->b + p->l3_off + 8, 32, 0);
	return sum + proto + l4_len;
}

static void build(struct pkt *p, const struct spec *s)
{
	static const __u8 dmac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const __u8 smac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	__u32 off, l4_len, hlen, i;
	__u8 *l3, *l4, nexthdr;
	int first = 1;

	memset(p, 0, sizeof(*p));
	memcpy(p->b, dmac, 6);
	memcpy(p->b + 6, smac, 6);
	off = 12;
	for (i = 0; i < (__u32)s->vlans; i++) {
		put16(p->b + off, i + 1 < (__u32)s->vlans ? ETH_P_8021AD :
							      ETH_P_8021Q);
		put16(p->b + off + 2, 100 + i);
		off += 4;
	}
	put16(p->b + off, s->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	off += 2;
	p->l3_off = off;
	l3 = p->b + off;

	/* Only a first fragment (or none) carries the L4 header. */
	if (s->family == AF_INET)
		first = !(s->frag & 0x1fff);
	else
		for (i = 0; i < (__u32)s->n_ext; i++)
			if (s->ext[i] == IPV6_FRAGMENT && (s->frag6 & 0xfff8))
				first = 0;

	if (!first)
		l4_len = s->payload;
	else if (s->proto == IPPROTO_TCP)
		l4_len = 20 + s->payload;
	else if (s->proto == IPPROTO_UDP || s->proto == IPPROTO_ICMP ||
		 s->proto == IPPROTO_ICMPV6)
		l4_len = 8 + s->payload;
	else
		l4_len = s->payload;

	if (s->family == AF_INET) {
		hlen = 20 + 4 * s->ip_opts;
		l3[0] = 0x40 | (hlen / 4);
		put16(l3 + 2, hlen + l4_len);
		put16(l3 + 4, 0x1234);
		put16(l3 + 6, s->frag);
		l3[8] = 64;
		l3[9] = s->proto;
		inet_pton(AF_INET, s->src, l3 + 12);
		inet_pton(AF_INET, s->dst, l3 + 16);
		memset(l3 + 20, 1, hlen - 20);		/* NOP options */
		put16(l3 + 10, ~fold(sum16(l3, hlen, 0)));
		off += hlen;
	} else {
		__u32 ext_len = 0;

		l3[0] = 0x60;
		l3[7] = 64;
		inet_pton(AF_INET6, s->src, l3 + 8);
		inet_pton(AF_INET6, s->dst, l3 + 24);
		nexthdr = s->n_ext ? s->ext[0] : s->proto;
		l3[6] = nexthdr;
		off += 40;
		for (i = 0; i < (__u32)s->n_ext; i++) {
			__u8 *h = p->b + off;
			__u8 next = i + 1 < (__u32)s->n_ext ? s->ext[i + 1] :
							       s->proto;
			/* Hop-by-hop gets 16 bytes, the others 8. */
			__u32 len = s->ext[i] == IPV6_HOP ? 16 : 8;

			p->ext_off[i] = off;
			h[0] = next;
			if (s->ext[i] == IPV6_FRAGMENT) {
				put16(h + 2, s->frag6);
				put16(h + 4, 0xabcd);
			} else {
				h[1] = len / 8 - 1;
				if (s->ext[i] != IPV6_ROUTING) {
					h[2] = 1;	/* PadN */
					h[3] = len - 4;
				}
			}
			off += len;
			ext_len += len;
		}
		put16(l3 + 4, ext_len + l4_len);
	}

	l4 = p->b + off;
	if (first && (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP ||
		      s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6))
		p->l4_off = off;
	for (i = 0; i < l4_len; i++)
		l4[i] = 0xa0 + i;
	p->len = off + l4_len;
	if (!p->l4_off)
		return;

	if (s->proto == IPPROTO_TCP) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		memset(l4 + 4, 0, 16);
		put16(l4 + 4, 0x0100);		/* seq */
		l4[12] = 5 << 4;
		l4[13] = 0x10;			/* ACK */
		put16(l4 + 14, 512);
	} else if (s->proto == IPPROTO_UDP) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, l4_len);
		put16(l4 + 6, 0);
	} else {
		l4[0] = s->proto == IPPROTO_ICMP ? 8 : 128;	/* echo */
		l4[1] = 0;
		put16(l4 + 2, 0);
		put16(l4 + 4, s->sport);
		put16(l4 + 6, 1);
	}

	if (s->proto == IPPROTO_ICMP) {
		put16(l4 + 2, ~fold(sum16(l4, l4_len, 0)));
	} else {
		__u32 ps = pseudo_sum(p, s->family, s->proto, l4_len);
		__u8 *check = l4 + (s->proto == IPPROTO_TCP ? 16 :
				    s->proto == IPPROTO_UDP ? 6 : 2);
		__u16 c;

		if (s->csum == CSUM_PARTIAL) {
			c = fold(ps);
		} else if (s->csum == CSUM_ZERO) {
			c = 0;
		} else {
			c = ~fold(sum16(l4, l4_len, ps));
			if (!c && s->proto == IPPROTO_UDP)
				c = 0xffff;
		}
		put16(check, c);
	}
}

/* The usual test flow: UDP 198.18.0.1:1000 -> 198.18.1.1:2000. */
static const struct spec udp4 = {
	.family = AF_INET, .proto = IPPROTO_UDP,
	.src = "198.18.0.1", .dst = "198.18.1.1",
	.sport = 1000, .dport = 2000, .payload = 32,
};

static const struct spec udp6 = {
	.family = AF_INET6, .proto = IPPROTO_UDP,
	.src = "2001:db8::1", .dst = "2001:db8:1::1",
	.sport = 1000, .dport = 2000, .payload = 32,
};

static struct spec reversed(const struct spec *s)
{
	struct spec r = *s;

	r.src = s->dst;
	r.dst = s->src;
	r.sport = s->dport;
	r.dport = s->sport;
	return r;
}

static void arp_frame(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	memset(p->b, 0xff, 6);
	p->b[6] = 0x02;
	p->b[11] = 0x01;
	put16(p->b + 12, ETH_P_ARP);
	put16(p->b + 14, 1);			/* Ethernet */
	put16(p->b + 16, ETH_P_IP);
	p->b[18] = 6;
	p->b[19] = 4;
	put16(p->b + 20, 1);			/* request */
	inet_pton(AF_INET, "198.18.0.1", p->b + 28);
	inet_pton(AF_INET, "198.18.0.2", p->b + 38);
	p->len = 42;
}

static struct nfv_flow_key flow_key(const struct spec *s, __u16 in_port)
{
	struct nfv_flow_key k = {
		.sport = htons(s->sport), .dport = htons(s->dport),
		.in_port = in_port, .proto = s->proto, .family = s->family,
	};

	inet_pton(s->family, s->src, k.src);
	inet_pton(s->family, s->dst, k.dst);
	return k;
}

static void add_flow(struct __test_metadata *_metadata, struct env *e,
		     const struct spec *s, __u16 in_port, __u16 chain)
{
	struct nfv_flow_key k = flow_key(s, in_port);
	struct nfv_flow_val v = { .chain = chain };

	ASSERT_EQ(0, bpf_map_update_elem(e->flows, &k, &v, BPF_ANY));
}

static void set_rule(struct __test_metadata *_metadata, struct env *e,
		     __u32 idx, const struct nfv_prefix_rule *r)
{
	ASSERT_EQ(0, bpf_map_update_elem(e->rules, &idx, r, BPF_ANY));
}

/* IPv4 prefix as rule words (network order, like the frame). */
static void v4_prefix(__u32 *addr, __u32 *mask, const char *a, int plen)
{
	inet_pton(AF_INET, a, addr);
	mask[0] = plen ? htonl(~0u << (32 - plen)) : 0;
	addr[0] &= mask[0];
}

/* ---- running frames ---- */

struct run {
	int ret;
	int has_meta;
	__u32 meta_len;
	struct nfv_xdp_meta meta;
	__u8 out[FRAME_MAX + 64];
	__u32 out_len;
};

/*
 * One BPF_PROG_RUN.  @linear < len leaves only @linear bytes in the
 * linear part the program can see (the rest goes to a fragment): the way
 * to show it a runt, since BPF_PROG_RUN wants data_size_in >= ETH_HLEN.
 * r->out holds the metadata (r->meta_len bytes), then the frame.
 */
static int run_prog(struct env *e, const void *frame, __u32 len,
		    __u32 linear, __u32 ifindex, __u32 queue, struct run *r)
{
	struct xdp_md ctx_in = {
		.data_end = linear,
		.ingress_ifindex = ifindex,
		.rx_queue_index = queue,
	};
	struct xdp_md ctx_out = {};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = frame,
		.data_size_in = len,
		.data_out = r->out,
		.data_size_out = sizeof(r->out),
		.ctx_in = &ctx_in,
		.ctx_size_in = sizeof(ctx_in),
		.ctx_out = &ctx_out,
		.ctx_size_out = sizeof(ctx_out),
	);
	int ret;

	ret = bpf_prog_test_run_opts(e->prog, &o);
	if (ret)
		return -errno;
	r->ret = o.retval;
	r->out_len = o.data_size_out;
	r->meta_len = ctx_out.data;
	r->has_meta = ctx_out.data == sizeof(r->meta);
	if (r->has_meta)
		memcpy(&r->meta, r->out, sizeof(r->meta));
	return 0;
}

/* The frame out of the program is @want, @want_len bytes. */
static int out_is(const struct run *r, const void *want, __u32 want_len)
{
	if (r->out_len != r->meta_len + want_len ||
	    memcmp(r->out + r->meta_len, want, want_len))
		return -EBADMSG;
	return 0;
}

static int run_raw(struct env *e, const void *frame, __u32 len,
		   __u32 linear, __u32 ifindex, __u32 queue, struct run *r)
{
	int ret = run_prog(e, frame, len, linear, ifindex, queue, r);

	/* Metadata is all the program may add: no other byte changes. */
	return ret ?: out_is(r, frame, len);
}

static void run_frame(struct __test_metadata *_metadata, struct env *e,
		      const struct pkt *p, __u32 ifindex, __u32 queue,
		      struct run *r)
{
	ASSERT_EQ(0, run_raw(e, p->b, p->len, p->len, ifindex, queue, r));
}

typedef __u64 snap_t[NFV_PORT_MAX][__NFV_XDP_COUNTER_MAX];

static void snap(struct __test_metadata *_metadata, struct env *e,
		 snap_t s)
{
	struct nfv_xdp_stats v[e->ncpus];
	__u32 port;
	int c, cpu;

	for (port = 0; port < NFV_PORT_MAX; port++) {
		ASSERT_EQ(0, bpf_map_lookup_elem(e->stats, &port, v));
		for (c = 0; c < __NFV_XDP_COUNTER_MAX; c++) {
			s[port][c] = 0;
			for (cpu = 0; cpu < e->ncpus; cpu++)
				s[port][c] += v[cpu].cnt[c];
		}
	}
}

/*
 * Since @before, on @port, RX and each counter in @expect (ending in -1)
 * rose by one; nothing else moved anywhere.
 */
static void expect_counts(struct __test_metadata *_metadata, struct env *e,
			  snap_t before, __u32 port, const int *expect)
{
	__u64 want[NFV_PORT_MAX][__NFV_XDP_COUNTER_MAX] = {};
	snap_t after;
	int bad = 0;
	__u32 p;
	int c;

	snap(_metadata, e, after);
	want[port][NFV_XDP_RX] = 1;
	for (; *expect >= 0; expect++)
		want[port][*expect]++;
	for (p = 0; p < NFV_PORT_MAX; p++) {
		for (c = 0; c < __NFV_XDP_COUNTER_MAX; c++) {
			__u64 d = after[p][c] - before[p][c];

			if (d == want[p][c])
				continue;
			TH_LOG("port %u %s: +%llu, want +%llu", p,
			       counter_name[c], (unsigned long long)d,
			       (unsigned long long)want[p][c]);
			bad++;
		}
	}
	ASSERT_EQ(0, bad);
}

/* Run @p, expect action @act and exactly these counters on @port. */
#define CHECK_FRAME(p, ifindex, queue, act, r, port, ...) do {		\
	snap_t __before;						\
	snap(_metadata, e, __before);					\
	run_frame(_metadata, e, (p), (ifindex), (queue), (r));		\
	ASSERT_EQ((act), (r)->ret);					\
	expect_counts(_metadata, e, __before, (port),			\
		      (const int[]){ __VA_ARGS__, -1 });		\
} while (0)

static void check_meta(struct __test_metadata *_metadata,
		       const struct run *r, const struct pkt *p,
		       __u16 chain, __u16 in_port, __u8 l4_proto, __u8 flags)
{
	ASSERT_TRUE(r->has_meta);
	EXPECT_EQ(NFV_META_MAGIC, r->meta.magic);
	EXPECT_EQ(chain, r->meta.chain);
	EXPECT_EQ(0, r->meta.hop);
	EXPECT_EQ(in_port, r->meta.in_port);
	EXPECT_EQ(p->l3_off, r->meta.l3_off);
	EXPECT_EQ(p->l4_off, r->meta.l4_off);
	EXPECT_EQ(l4_proto, r->meta.l4_proto);
	EXPECT_EQ(flags, r->meta.flags);
}

/* ---- the main fixture ---- */

FIXTURE(xdp) {
	struct env e;
};

FIXTURE_SETUP(xdp)
{
	env_open(_metadata, &self->e);
}

FIXTURE_TEARDOWN(xdp)
{
	env_close(&self->e);
}

TEST_F(xdp, arp_passes)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	/* Even with a default chain: the fabric steers IP only. */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	arp_frame(&p);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	EXPECT_FALSE(r.has_meta);
}

TEST_F(xdp, unknown_ifindex_passes)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	build(&p, &udp4);
	/* lo is no port: counted in slot 0. */
	CHECK_FRAME(&p, 1, 0, XDP_PASS, &r, 0, NFV_XDP_PASS);
	/* Nor is an ifindex whose port id is out of range. */
	set_port(_metadata, e, 1, NFV_PORT_MAX, CHAIN_SVC, 0);
	CHECK_FRAME(&p, 1, 0, XDP_PASS, &r, 0, NFV_XDP_PASS);
}

TEST_F(xdp, unclassified_passes)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
}

TEST_F(xdp, default_chain_redirects_with_meta)
{
	struct env *e = &self->e;
	struct spec s = udp4;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(14, p.l3_off);
	EXPECT_EQ(34, p.l4_off);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_UDP, 0);

	/* TCP over IPv6, ICMP, IPv4 options: offsets follow. */
	s = udp6;
	s.proto = IPPROTO_TCP;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(54, p.l4_off);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_TCP,
		   NFV_META_F_IPV6);

	s = udp4;
	s.proto = IPPROTO_ICMP;
	s.ip_opts = 3;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(46, p.l4_off);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_ICMP, 0);

	s = udp6;
	s.proto = IPPROTO_ICMPV6;
	s.vlans = 1;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(18, p.l3_off);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_ICMPV6,
		   NFV_META_F_IPV6 | NFV_META_F_VLAN);
}

TEST_F(xdp, exact_flow_overrides_default)
{
	struct env *e = &self->e;
	struct spec other = udp4;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_chain(_metadata, e, 11, NFV_HOP_SERVICE, SVC);
	add_flow(_metadata, e, &udp4, 0, 11);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, 11, PORT0, IPPROTO_UDP, 0);

	/* Exact means exact: another source port takes the default. */
	other.sport++;
	build(&p, &other);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(CHAIN_SVC, r.meta.chain);

	/* Exact flows win over prefix rules too. */
	struct nfv_prefix_rule all = { .chain = CHAIN_SVC };

	set_rule(_metadata, e, 0, &all);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(11, r.meta.chain);
}

TEST_F(xdp, in_port_flow_beats_wildcard)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_chain(_metadata, e, 11, NFV_HOP_SERVICE, SVC);
	set_chain(_metadata, e, 12, NFV_HOP_SERVICE, SVC);
	add_flow(_metadata, e, &udp4, 0, 11);
	add_flow(_metadata, e, &udp4, PORT0, 12);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, 12, PORT0, IPPROTO_UDP, 0);
	/* The same flow on the other port only has the wildcard. */
	CHECK_FRAME(&p, e->if1, 0, XDP_REDIRECT, &r, PORT1,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, 11, PORT1, IPPROTO_UDP, 0);
}

TEST_F(xdp, prefix_rules)
{
	struct env *e = &self->e;
	struct nfv_prefix_rule r0 = {
		.proto = IPPROTO_UDP, .family = AF_INET,
		.dport_lo = 2000, .dport_hi = 2010, .chain = 13,
	};
	struct nfv_prefix_rule r1 = {
		.src = { 0 }, .family = AF_INET, .chain = 14,
	};
	struct nfv_prefix_rule r2 = { .family = AF_INET6, .in_port = PORT1,
				      .chain = 15 };
	/* Matches no frame here: only chain 0 makes it the end. */
	struct nfv_prefix_rule end = { .proto = IPPROTO_SCTP };
	struct nfv_prefix_rule after_end = { .chain = 16 };
	struct spec s = udp4;
	struct run r;
	struct pkt p;
	__u32 i;

	NEED_ENV(e);
	for (i = 13; i <= 16; i++)
		set_chain(_metadata, e, i, NFV_HOP_SERVICE, SVC);
	v4_prefix(r0.dst, r0.dst_mask, "198.18.1.0", 24);
	v4_prefix(r1.src, r1.src_mask, "198.18.0.0", 16);
	set_rule(_metadata, e, 0, &r0);
	set_rule(_metadata, e, 1, &r1);
	set_rule(_metadata, e, 2, &r2);
	/* Rule 3 has chain 0: the end; rule 4 must never match. */
	set_rule(_metadata, e, 3, &end);
	set_rule(_metadata, e, 4, &after_end);

	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(13, r.meta.chain);

	/* Out of the port range: the next rule in order. */
	s.dport = 2011;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(14, r.meta.chain);

	/* Outside 198.18.0.0/16 and not UDP: nothing before the end. */
	s = udp4;
	s.src = "198.19.0.1";
	s.proto = IPPROTO_TCP;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	/* Nor on port 2, where the IPv6-only rule applies. */
	CHECK_FRAME(&p, e->if1, 0, XDP_PASS, &r, PORT1, NFV_XDP_PASS);

	/* Rules with a port range never match frames without ports. */
	s = udp4;
	s.src = "198.19.0.1";
	s.proto = IPPROTO_ICMP;
	r0.proto = 0;
	set_rule(_metadata, e, 0, &r0);
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);

	/* in_port: the IPv6 rule is for port 2 only. */
	build(&p, &udp6);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	CHECK_FRAME(&p, e->if1, 0, XDP_REDIRECT, &r, PORT1,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(15, r.meta.chain);

	/* Rules beat the default chain. */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(13, r.meta.chain);
}

TEST_F(xdp, prefix_rule_port_ranges)
{
	struct env *e = &self->e;
	/* A range from 0 is a range: only 0-0 means any. */
	struct nfv_prefix_rule r0 = { .sport_lo = 0, .sport_hi = 100,
				      .chain = 13 };
	struct spec s = udp4;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_chain(_metadata, e, 13, NFV_HOP_SERVICE, SVC);
	set_rule(_metadata, e, 0, &r0);
	build(&p, &s);				/* sport 1000 */
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	s.sport = 0;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	s.proto = IPPROTO_TCP;
	s.sport = 100;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	/* No ports at all is not port 0. */
	s.proto = IPPROTO_ICMP;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	s = udp4;
	s.sport = 0;
	s.frag = 0x2000;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
}

TEST_F(xdp, prefix_rules_ipv6_masks)
{
	struct env *e = &self->e;
	struct nfv_prefix_rule r0 = { .family = AF_INET6, .chain = 13 };
	struct spec s = udp6;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_chain(_metadata, e, 13, NFV_HOP_SERVICE, SVC);
	/* dst 2001:db8:1::/48, unmasked bits left set on purpose. */
	inet_pton(AF_INET6, "2001:db8:1:ffff::", r0.dst);
	inet_pton(AF_INET6, "ffff:ffff:ffff::", r0.dst_mask);
	set_rule(_metadata, e, 0, &r0);
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(13, r.meta.chain);
	s.dst = "2001:db8:2::1";
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
}

static __u32 hash_of(struct __test_metadata *_metadata, struct env *e,
		     const struct spec *s)
{
	struct run r;
	struct pkt p;

	build(&p, s);
	run_frame(_metadata, e, &p, e->if0, 0, &r);
	ASSERT_EQ(XDP_REDIRECT, r.ret);
	ASSERT_TRUE(r.has_meta);
	return r.meta.hash;
}

TEST_F(xdp, symmetric_hash)
{
	static const struct {
		int family;
		__u8 proto;
	} kinds[] = {
		{ AF_INET, IPPROTO_UDP }, { AF_INET, IPPROTO_TCP },
		{ AF_INET6, IPPROTO_UDP }, { AF_INET6, IPPROTO_TCP },
		{ AF_INET, IPPROTO_ICMP }, { AF_INET6, IPPROTO_ICMPV6 },
	};
	unsigned int count[NFV_BUCKETS] = {};
	struct env *e = &self->e;
	__u32 h[4], i, j;
	struct spec t;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct spec s = kinds[i].family == AF_INET ? udp4 : udp6;
		struct spec rev;

		s.proto = kinds[i].proto;
		rev = reversed(&s);
		h[0] = hash_of(_metadata, e, &s);
		EXPECT_EQ(h[0], hash_of(_metadata, e, &rev))
			TH_LOG("kind %u: A->B != B->A", i);
		/* Different flows should differ (hashing ports or not). */
		s.src = kinds[i].family == AF_INET ? "198.18.0.9" :
						     "2001:db8::9";
		h[1] = hash_of(_metadata, e, &s);
		EXPECT_NE(h[0], h[1]);
		s.sport = 4242;
		h[2] = hash_of(_metadata, e, &s);
		rev = reversed(&s);
		EXPECT_EQ(h[2], hash_of(_metadata, e, &rev));
		/* ICMP has no ports: the port field must not matter. */
		if (s.proto == IPPROTO_ICMP || s.proto == IPPROTO_ICMPV6) {
			EXPECT_EQ(h[1], h[2]);
		} else {
			EXPECT_NE(h[1], h[2]);
		}
	}

	/* Swapping only the addresses (not the ports) is another flow. */
	t = udp4;
	t.src = udp4.dst;
	t.dst = udp4.src;
	h[3] = hash_of(_metadata, e, &udp4);
	EXPECT_NE(h[3], hash_of(_metadata, e, &t));

	/* A spread over buckets: 256 flows, 4 a bucket on average. */
	t = udp4;
	for (j = 0; j < 256; j++) {
		t.sport = 10000 + j;
		count[hash_of(_metadata, e, &t) % NFV_BUCKETS]++;
	}
	for (j = 0; j < NFV_BUCKETS; j++)
		EXPECT_GE(16u, count[j]) TH_LOG("bucket %u", j);
}

TEST_F(xdp, fragments_hash_and_classify_alike)
{
	struct env *e = &self->e;
	static const __u8 frag[] = { IPV6_FRAGMENT };
	struct spec first = udp4, later = udp4, whole = udp4, f6 = udp6;
	struct run r;
	struct pkt p;
	__u32 h;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_chain(_metadata, e, 11, NFV_HOP_SERVICE, SVC);
	/* An exact flow for the ports: fragments must not take it. */
	add_flow(_metadata, e, &udp4, 0, 11);

	first.frag = 0x2000;			/* MF, offset 0 */
	first.csum = CSUM_PARTIAL;
	build(&p, &first);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	/* The L4 header is there; no checksum flag on a fragment. */
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_UDP, 0);
	h = r.meta.hash;

	later.frag = 185;			/* offset 1480, last */
	build(&p, &later);
	EXPECT_EQ(0, p.l4_off);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, 0, 0);
	EXPECT_EQ(h, r.meta.hash);

	build(&p, &whole);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(11, r.meta.chain);

	/* IPv6: the fragment header, first and later. */
	f6.ext = frag;
	f6.n_ext = 1;
	f6.frag6 = 0x0001;			/* M, offset 0 */
	build(&p, &f6);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_UDP,
		   NFV_META_F_IPV6);
	h = r.meta.hash;
	f6.frag6 = 1480;			/* offset 185 * 8, last */
	build(&p, &f6);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, 0, NFV_META_F_IPV6);
	EXPECT_EQ(h, r.meta.hash);
}

TEST_F(xdp, replica_buckets)
{
	struct env *e = &self->e;
	struct nfv_service svc = { .n_live = 2 };
	__u32 hash[64], key = SVC, i, to_a = 0;
	struct spec s = udp4;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	/* All buckets to NF_A: learn each flow's hash. */
	for (i = 0; i < 64; i++) {
		s.sport = 20000 + i;
		hash[i] = hash_of(_metadata, e, &s);
	}
	/* Even buckets to NF_A (has a socket), odd to NF_B (has none). */
	svc.replicas[0] = NF_A;
	svc.replicas[1] = NF_B;
	for (i = 0; i < NFV_BUCKETS; i++)
		svc.buckets[i] = i % 2 ? NF_B : NF_A;
	ASSERT_EQ(0, bpf_map_update_elem(e->services, &key, &svc, BPF_ANY));
	for (i = 0; i < 64; i++) {
		int odd = hash[i] % NFV_BUCKETS % 2;

		s.sport = 20000 + i;
		build(&p, &s);
		if (odd) {
			CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
				    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_SOCKET);
		} else {
			CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
				    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
			EXPECT_EQ(hash[i], r.meta.hash);
			to_a++;
		}
	}
	/* Both replicas got flows (64 flows: not all on one side). */
	EXPECT_LT(0u, to_a);
	EXPECT_GT(64u, to_a);

	/* Give NF_B a socket: now every flow is delivered. */
	set_xsk(_metadata, e, NF_B, PORT0, 0);
	for (i = 0; i < 64; i++) {
		s.sport = 20000 + i;
		build(&p, &s);
		CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
			    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	}

	/* An empty bucket while replicas live: no replica for it. */
	for (i = 0; i < NFV_BUCKETS; i++)
		svc.buckets[i] = 0;
	ASSERT_EQ(0, bpf_map_update_elem(e->services, &key, &svc, BPF_ANY));
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_REPLICA);
}

TEST_F(xdp, no_replica_drops)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_service(_metadata, e, SVC, 0, NF_A);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_REPLICA);
	/* A service id nobody configured. */
	set_chain(_metadata, e, CHAIN_SVC, NFV_HOP_SERVICE, NFV_SERVICE_MAX);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_REPLICA);
}

TEST_F(xdp, chain_missing_drops)
{
	struct env *e = &self->e;
	struct nfv_chain none = { .n_hops = 1 };
	__u32 id = 77;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, 99, 0);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_CHAIN);
	/* A flow naming a chain past the table, and a NONE first hop. */
	add_flow(_metadata, e, &udp4, 0, NFV_CHAIN_MAX + 1);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_NO_CHAIN);
	ASSERT_EQ(0, bpf_map_update_elem(e->chains, &id, &none, BPF_ANY));
	add_flow(_metadata, e, &udp4, 0, id);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_NO_CHAIN);
}

TEST_F(xdp, hop_out_and_hop_drop)
{
	struct env *e = &self->e;
	__u32 port = PORT1;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_chain(_metadata, e, 20, NFV_HOP_OUT, PORT1);
	set_chain(_metadata, e, 21, NFV_HOP_DROP, 0);
	ASSERT_EQ(0, bpf_map_update_elem(e->devmap, &port, &e->if1, BPF_ANY));
	build(&p, &udp4);
	set_port(_metadata, e, e->if0, PORT0, 20, 0);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_HOP_OUT);
	/* To another port the frame goes as it came: no metadata. */
	EXPECT_FALSE(r.has_meta);
	set_port(_metadata, e, e->if0, PORT0, 21, 0);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_HOP_DROP);
}

/* A fresh heartbeat changes nothing, fail policy or not. */
TEST_F(xdp, heartbeat_fresh_steers)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_heartbeat(_metadata, e, 0, NFV_HEARTBEAT_TIMEOUT_MS);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		 NFV_PORT_F_FAIL_CLOSED);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	set_port(_metadata, e, e->if0, PORT0, 0, NFV_PORT_F_FAIL_CLOSED);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
}

/* Nobody ever beat (hand-attached, nfv.ko): no fail policy at all. */
TEST_F(xdp, heartbeat_never_set_no_policy)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_heartbeat(_metadata, e, -1, 1);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		 NFV_PORT_F_FAIL_CLOSED);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
}

/* nfvd gone, port fails open: everything to the kernel, unclassified. */
TEST_F(xdp, stale_heartbeat_fail_open_passes)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_heartbeat(_metadata, e, 1000, NFV_HEARTBEAT_TIMEOUT_MS);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	EXPECT_FALSE(r.has_meta);
	/* An exact flow and a prefix rule do not steer either. */
	add_flow(_metadata, e, &udp4, 0, CHAIN_SVC);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	arp_frame(&p);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_PASS);
	/* Beating again: steered again. */
	set_heartbeat(_metadata, e, 0, NFV_HEARTBEAT_TIMEOUT_MS);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
}

/* nfvd gone, port fails closed: every frame dropped and counted. */
TEST_F(xdp, stale_heartbeat_fail_closed_drops)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_heartbeat(_metadata, e, 1000, NFV_HEARTBEAT_TIMEOUT_MS);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		 NFV_PORT_F_FAIL_CLOSED);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0, NFV_XDP_FAIL_CLOSED);
	/* Unclassified and non-IP traffic too: the port is closed. */
	set_port(_metadata, e, e->if0, PORT0, 0, NFV_PORT_F_FAIL_CLOSED);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0, NFV_XDP_FAIL_CLOSED);
	arp_frame(&p);
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0, NFV_XDP_FAIL_CLOSED);
	/* Malformed frames as well: nothing is parsed. */
	build(&p, &udp4);
	p.len = ETH_HLEN + 4;
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0, NFV_XDP_FAIL_CLOSED);
	/* Not a port: still the kernel's, counted in slot 0. */
	build(&p, &udp4);
	CHECK_FRAME(&p, 1, 0, XDP_PASS, &r, 0, NFV_XDP_PASS);
	/* The other port fails open. */
	CHECK_FRAME(&p, e->if1, 0, XDP_PASS, &r, PORT1, NFV_XDP_PASS);
	/* Just inside the timeout: steered. */
	set_heartbeat(_metadata, e, NFV_HEARTBEAT_TIMEOUT_MS - 200,
		      NFV_HEARTBEAT_TIMEOUT_MS);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		 NFV_PORT_F_FAIL_CLOSED);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
}

TEST_F(xdp, sockets_per_queue)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &udp4);
	/* NF_A has a socket on queue 0 only. */
	CHECK_FRAME(&p, e->if0, 1, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_SOCKET);
	set_xsk(_metadata, e, NF_A, PORT0, 1);
	CHECK_FRAME(&p, e->if0, 1, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	/* Queues past NFV_QUEUE_MAX have no slots, even if 3 has one. */
	set_xsk(_metadata, e, NF_A, PORT0, 3);
	CHECK_FRAME(&p, e->if0, NFV_QUEUE_MAX, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_SOCKET);
	/*
	 * A socket closed: the kernel removes it from the map.  (The first
	 * socket of a UMEM shares its fd: both must go.)
	 */
	xsk_socket__delete(e->xsk);
	e->xsk = NULL;
	ASSERT_EQ(0, xsk_umem__delete(e->umem));
	e->umem = NULL;
	CHECK_FRAME(&p, e->if0, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_SOCKET);
}

FIXTURE(csum) {
	struct env e;
};

FIXTURE_VARIANT(csum) {
	int family;
	__u8 proto;
	int vlans;
};

FIXTURE_VARIANT_ADD(csum, udp4) { AF_INET, IPPROTO_UDP, 0 };
FIXTURE_VARIANT_ADD(csum, tcp4) { AF_INET, IPPROTO_TCP, 0 };
FIXTURE_VARIANT_ADD(csum, udp6) { AF_INET6, IPPROTO_UDP, 0 };
FIXTURE_VARIANT_ADD(csum, tcp6) { AF_INET6, IPPROTO_TCP, 0 };
FIXTURE_VARIANT_ADD(csum, udp4_vlan) { AF_INET, IPPROTO_UDP, 1 };
FIXTURE_VARIANT_ADD(csum, tcp6_vlan) { AF_INET6, IPPROTO_TCP, 1 };

FIXTURE_SETUP(csum)
{
	env_open(_metadata, &self->e);
}

FIXTURE_TEARDOWN(csum)
{
	env_close(&self->e);
}

TEST_F(csum, partial_flag)
{
	struct env *e = &self->e;
	struct spec s = variant->family == AF_INET ? udp4 : udp6;
	__u8 base = (variant->family == AF_INET6 ? NFV_META_F_IPV6 : 0) |
		    (variant->vlans ? NFV_META_F_VLAN : 0);
	struct run r;
	struct pkt p;
	int odd;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	s.proto = variant->proto;
	s.vlans = variant->vlans;
	/* Odd and even L4 lengths: the length is in the pseudo header. */
	for (odd = 0; odd < 2; odd++) {
		s.payload = 100 + odd;
		s.csum = CSUM_PARTIAL;
		build(&p, &s);
		CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
			    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
		check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, s.proto,
			   base | NFV_META_F_CSUM_PARTIAL);

		s.csum = CSUM_FULL;
		build(&p, &s);
		CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
			    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
		check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, s.proto,
			   base);
	}

	/* Zero: "no checksum" for UDP over IPv4; never partial. */
	s.csum = CSUM_ZERO;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, s.proto, base);

	/* A port that asked for no completion gets no flag. */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, NFV_PORT_F_NOCSUM);
	s.csum = CSUM_PARTIAL;
	build(&p, &s);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, s.proto, base);
}

/* ---- malformed frames: each passed to the kernel as PARSE_ERR ---- */

struct bad_case {
	struct spec spec;
	void (*mangle)(struct pkt *p);
	__u32 linear;		/* != 0: the program sees only this much */
};

static void cut_ipv4_header(struct pkt *p) { p->len = p->l3_off + 10; }
static void ihl_4(struct pkt *p) { p->b[p->l3_off] = 0x44; }
static void ihl_past_frame(struct pkt *p) { p->b[p->l3_off] = 0x4f; }
static void version_5(struct pkt *p) { p->b[p->l3_off] = 0x55; }

static void tot_len_past_frame(struct pkt *p)
{
	put16(p->b + p->l3_off + 2, p->len - p->l3_off + 1);
}

static void tot_len_below_ihl(struct pkt *p)
{
	put16(p->b + p->l3_off + 2, 19);
}

static void tcp_doff_past_frame(struct pkt *p) { p->b[p->l4_off + 12] = 0xf0; }
static void tcp_doff_4(struct pkt *p) { p->b[p->l4_off + 12] = 0x40; }

/* The frame (and the IP length) end inside the L4 header. */
static void cut_l4_header(struct pkt *p)
{
	__u32 len = p->l4_off + 6 - p->l3_off;

	p->len = p->l4_off + 6;
	if ((p->b[p->l3_off] >> 4) == 4)
		put16(p->b + p->l3_off + 2, len);
	else
		put16(p->b + p->l3_off + 4, len - 40);
}

/* Frame long enough, but the IP payload ends inside the L4 header. */
static void ip_len_inside_l4(struct pkt *p)
{
	if ((p->b[p->l3_off] >> 4) == 4)
		put16(p->b + p->l3_off + 2, p->l4_off + 4 - p->l3_off);
	else
		put16(p->b + p->l3_off + 4, p->l4_off + 4 - p->l3_off - 40);
}

static void udp_len_past_ip(struct pkt *p)
{
	put16(p->b + p->l4_off + 4, p->len - p->l4_off + 1);
}

static void udp_len_7(struct pkt *p) { put16(p->b + p->l4_off + 4, 7); }
static void cut_ipv6_header(struct pkt *p) { p->len = p->l3_off + 39; }

static void payload_len_past_frame(struct pkt *p)
{
	put16(p->b + p->l3_off + 4, p->len - p->l3_off - 40 + 1);
}

/* Frame and payload end 4 bytes into the second extension header. */
static void cut_in_ext(struct pkt *p)
{
	p->len = p->ext_off[1] + 4;
	put16(p->b + p->l3_off + 4, p->len - p->l3_off - 40);
}

/* The first extension header claims more than the payload holds. */
static void ext_past_payload(struct pkt *p) { p->b[p->ext_off[0] + 1] = 200; }

static void cut_vlan(struct pkt *p) { p->len = 16; }
/* The spec alone is bad enough (two VLAN tags, five IPv6 headers). */
static void none(struct pkt *p) { (void)p; }

static const __u8 ext4[] = { IPV6_HOP, IPV6_DEST, IPV6_ROUTING,
			     IPV6_FRAGMENT };
static const __u8 ext5[] = { IPV6_HOP, IPV6_DEST, IPV6_ROUTING, IPV6_DEST,
			     IPV6_FRAGMENT };

/* Templates overridden field by field: V4(.proto = IPPROTO_TCP). */
#pragma GCC diagnostic ignored "-Woverride-init"
#define V4(...)	{ .family = AF_INET, .proto = IPPROTO_UDP, \
		  .src = "198.18.0.1", .dst = "198.18.1.1", .sport = 1, \
		  .dport = 2, .payload = 16, __VA_ARGS__ }
#define V6(...)	{ .family = AF_INET6, .proto = IPPROTO_UDP, \
		  .src = "2001:db8::1", .dst = "2001:db8::2", .sport = 1, \
		  .dport = 2, .payload = 16, __VA_ARGS__ }

FIXTURE(bad) {
	struct env e;
};

FIXTURE_VARIANT(bad) {
	struct bad_case c;
};

FIXTURE_VARIANT_ADD(bad, runt_ethernet) {
	.c = { .spec = V4(), .mangle = none, .linear = 6 },
};
FIXTURE_VARIANT_ADD(bad, ethernet_only) {
	.c = { .spec = V4(), .mangle = none, .linear = 14 },
};
FIXTURE_VARIANT_ADD(bad, ipv4_truncated) {
	.c = { .spec = V4(), .mangle = cut_ipv4_header },
};
FIXTURE_VARIANT_ADD(bad, ipv4_ihl_below_5) {
	.c = { .spec = V4(), .mangle = ihl_4 },
};
/*
 * The same, with bytes that would make a valid UDP header if the 4-word
 * header were taken (its length field is where the source port is: 8).
 */
FIXTURE_VARIANT_ADD(bad, ipv4_ihl_below_5_rest_parses) {
	.c = { .spec = V4(.sport = 8), .mangle = ihl_4 },
};
FIXTURE_VARIANT_ADD(bad, ipv4_ihl_past_frame) {
	.c = { .spec = V4(), .mangle = ihl_past_frame },
};
FIXTURE_VARIANT_ADD(bad, ipv4_version_5) {
	.c = { .spec = V4(), .mangle = version_5 },
};
FIXTURE_VARIANT_ADD(bad, ipv4_tot_len_past_frame) {
	.c = { .spec = V4(), .mangle = tot_len_past_frame },
};
FIXTURE_VARIANT_ADD(bad, ipv4_tot_len_below_ihl) {
	.c = { .spec = V4(), .mangle = tot_len_below_ihl },
};
FIXTURE_VARIANT_ADD(bad, tcp_doff_past_frame) {
	.c = { .spec = V4(.proto = IPPROTO_TCP, .payload = 0),
	       .mangle = tcp_doff_past_frame },
};
FIXTURE_VARIANT_ADD(bad, tcp_doff_below_5) {
	.c = { .spec = V4(.proto = IPPROTO_TCP), .mangle = tcp_doff_4 },
};
FIXTURE_VARIANT_ADD(bad, tcp_truncated) {
	.c = { .spec = V4(.proto = IPPROTO_TCP), .mangle = cut_l4_header },
};
FIXTURE_VARIANT_ADD(bad, tcp_past_ip_len) {
	.c = { .spec = V6(.proto = IPPROTO_TCP), .mangle = ip_len_inside_l4 },
};
FIXTURE_VARIANT_ADD(bad, udp_truncated) {
	.c = { .spec = V4(), .mangle = cut_l4_header },
};
FIXTURE_VARIANT_ADD(bad, udp_past_ip_len) {
	.c = { .spec = V4(), .mangle = ip_len_inside_l4 },
};
FIXTURE_VARIANT_ADD(bad, udp_len_past_ip) {
	.c = { .spec = V6(), .mangle = udp_len_past_ip },
};
FIXTURE_VARIANT_ADD(bad, udp_len_below_8) {
	.c = { .spec = V4(), .mangle = udp_len_7 },
};
FIXTURE_VARIANT_ADD(bad, icmp_truncated) {
	.c = { .spec = V4(.proto = IPPROTO_ICMP), .mangle = cut_l4_header },
};
FIXTURE_VARIANT_ADD(bad, vlan_in_vlan) {
	.c = { .spec = V4(.vlans = 2), .mangle = none },
};
FIXTURE_VARIANT_ADD(bad, vlan_truncated) {
	.c = { .spec = V4(.vlans = 1), .mangle = cut_vlan },
};
FIXTURE_VARIANT_ADD(bad, ipv6_truncated) {
	.c = { .spec = V6(), .mangle = cut_ipv6_header },
};
FIXTURE_VARIANT_ADD(bad, ipv6_payload_len_past_frame) {
	.c = { .spec = V6(), .mangle = payload_len_past_frame },
};
FIXTURE_VARIANT_ADD(bad, ipv6_ext_truncated) {
	.c = { .spec = V6(.ext = ext4, .n_ext = 4), .mangle = cut_in_ext },
};
FIXTURE_VARIANT_ADD(bad, ipv6_ext_past_payload) {
	.c = { .spec = V6(.ext = ext4, .n_ext = 4),
	       .mangle = ext_past_payload },
};
FIXTURE_VARIANT_ADD(bad, ipv6_5_ext_headers) {
	.c = { .spec = V6(.ext = ext5, .n_ext = 5), .mangle = none },
};

FIXTURE_SETUP(bad)
{
	env_open(_metadata, &self->e);
}

FIXTURE_TEARDOWN(bad)
{
	env_close(&self->e);
}

TEST_F(bad, passed_as_parse_error)
{
	struct env *e = &self->e;
	const struct bad_case *c = &variant->c;
	__u32 linear;
	snap_t before;
	struct run r;
	struct pkt p;
	int ret;

	NEED_ENV(e);
	/* Frames are classified into a working chain if they parse. */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &c->spec);
	c->mangle(&p);
	linear = c->linear ?: p.len;
	snap(_metadata, e, before);
	ret = run_raw(e, p.b, p.len, linear, e->if0, 0, &r);
	if (ret == -EINVAL && linear < ETH_HLEN)
		SKIP(return, "legit: this kernel's BPF_PROG_RUN takes no runt");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(XDP_PASS, r.ret);
	EXPECT_FALSE(r.has_meta);
	expect_counts(_metadata, e, before, PORT0,
		      (const int[]){ NFV_XDP_PARSE_ERR, -1 });
}

/* The well-formed neighbours of the cases above do get through. */
TEST_F(xdp, ipv6_four_extension_headers)
{
	struct env *e = &self->e;
	struct spec s = udp6;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	s.ext = ext4;
	s.n_ext = 4;		/* the fragment header is atomic */
	s.csum = CSUM_PARTIAL;
	build(&p, &s);
	EXPECT_EQ(14 + 40 + 16 + 8 + 8 + 8, p.l4_off);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_UDP,
		   NFV_META_F_IPV6 | NFV_META_F_CSUM_PARTIAL);
	/* The ports were found behind them: an exact flow matches. */
	set_chain(_metadata, e, 11, NFV_HOP_SERVICE, SVC);
	add_flow(_metadata, e, &s, 0, 11);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(11, r.meta.chain);

	/* Padding after the IP datagram is fine. */
	p.len += 20;
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
}

/* ---- decap ports: flows, rules and NFs see the inner frame ---- */

#define VXLAN_PORT	4789

/* @vni < 0: any VNI. */
static void set_decap(struct __test_metadata *_metadata, struct env *e,
		      __u32 ifindex, __u16 id, __u16 chain, __u8 kind,
		      __u16 vxlan_port, int vni)
{
	struct nfv_port_cfg p = {
		.id = id, .default_chain = chain, .decap = kind,
		.vxlan_port = htons(vxlan_port),
	};

	if (vni >= 0) {
		p.decap_flags = NFV_PORT_DECAP_F_VNI;
		p.vni = vni;
	}
	ASSERT_EQ(0, bpf_map_update_elem(e->ports, &ifindex, &p, BPF_ANY));
}

/* The underlay of VXLAN test frames. */
static const struct spec underlay4 = {
	.family = AF_INET, .src = "198.18.8.1", .dst = "198.18.8.2",
};

static const struct spec underlay6 = {
	.family = AF_INET6, .src = "2001:db8:8::1", .dst = "2001:db8:8::2",
};

/*
 * @inner behind a VXLAN header (@flags, @vni) in UDP to @dport, in IP
 * from @outer (family, addresses, VLAN tags, fragment bits); the UDP
 * checksum is 0, which the classifier does not look at.
 */
static void vxlan_wrap(struct pkt *p, const struct pkt *inner,
		       const struct spec *outer, __u16 dport, __u32 vni,
		       __u8 flags)
{
	struct spec s = *outer;
	__u8 *vx;

	s.proto = IPPROTO_UDP;
	s.sport = 49152;
	s.dport = dport;
	s.payload = 8 + inner->len;
	s.csum = CSUM_ZERO;
	build(p, &s);
	vx = p->b + p->l3_off + (p->l4_off - p->l3_off) + 8;
	memset(vx, 0, 8);
	vx[0] = flags;
	vx[4] = vni >> 16;
	vx[5] = vni >> 8;
	vx[6] = vni;
	memcpy(vx + 8, inner->b, inner->len);
}

/* Insert a VLAN tag after the MAC addresses. */
static void add_tag(struct pkt *p, __u16 tpid, __u16 tci)
{
	memmove(p->b + 16, p->b + 12, p->len - 12);
	put16(p->b + 12, tpid);
	put16(p->b + 14, tci);
	p->len += 4;
	p->l3_off += 4;
	if (p->l4_off)
		p->l4_off += 4;
}

/* Run @p: action @act, the frame out is @want, these counters moved. */
#define CHECK_OUT(p, ifindex, act, r, want, port, ...) do {		\
	snap_t __before;						\
	snap(_metadata, e, __before);					\
	ASSERT_EQ(0, run_prog(e, (p)->b, (p)->len, (p)->len, (ifindex), \
			      0, (r)));					\
	ASSERT_EQ((act), (r)->ret);					\
	EXPECT_EQ(0, out_is((r), (want)->b, (want)->len))		\
		TH_LOG("out %u bytes, want %u", (r)->out_len -		\
		       (r)->meta_len, (want)->len);			\
	expect_counts(_metadata, e, __before, (port),			\
		      (const int[]){ __VA_ARGS__, -1 });		\
} while (0)

TEST_F(xdp, decap_vlan)
{
	struct pkt plain, tagged, qinq, want, p;
	struct env *e = &self->e;
	struct spec s = udp4;
	struct run r;

	NEED_ENV(e);
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VLAN, 0, -1);
	build(&plain, &udp4);
	s.vlans = 1;
	build(&tagged, &s);

	/* The tag goes: the NF gets the untagged frame, offsets its own. */
	CHECK_OUT(&tagged, e->if0, XDP_REDIRECT, &r, &plain, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &plain, CHAIN_SVC, PORT0, IPPROTO_UDP,
		   NFV_META_F_DECAP);
	EXPECT_EQ(100u, r.meta.decap_id);	/* build()'s VLAN id */
	/* The VLAN id only: priority and DEI bits are not part of it. */
	p = tagged;
	p.b[14] |= 0xb0;			/* PCP 5, DEI 1 */
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &plain, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(100u, r.meta.decap_id);

	/* Untagged frames are taken as they are. */
	CHECK_OUT(&plain, e->if0, XDP_REDIRECT, &r, &plain, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &plain, CHAIN_SVC, PORT0, IPPROTO_UDP, 0);
	EXPECT_EQ(0u, r.meta.decap_id);

	/* QinQ: the outer (802.1ad) tag goes, the 802.1Q one stays. */
	s.vlans = 2;
	build(&qinq, &s);
	want = qinq;
	memmove(want.b + 12, want.b + 16, want.len - 16);
	want.len -= 4;
	want.l3_off -= 4;
	want.l4_off -= 4;
	EXPECT_EQ(ETH_P_8021Q, (want.b[12] << 8) | want.b[13]);
	CHECK_OUT(&qinq, e->if0, XDP_REDIRECT, &r, &want, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &want, CHAIN_SVC, PORT0, IPPROTO_UDP,
		   NFV_META_F_VLAN | NFV_META_F_DECAP);
	EXPECT_EQ(18, r.meta.l3_off);
	EXPECT_EQ(100u, r.meta.decap_id);	/* the outer tag's (101 stays) */

	/* Exact flows match the frame behind the tag. */
	set_chain(_metadata, e, 11, NFV_HOP_SERVICE, SVC);
	add_flow(_metadata, e, &udp4, PORT0, 11);
	CHECK_OUT(&tagged, e->if0, XDP_REDIRECT, &r, &plain, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(11, r.meta.chain);

	/*
	 * What goes to the kernel gets its tag back, byte for byte:
	 * unclassified, not IP, malformed behind the tag.
	 */
	set_decap(_metadata, e, e->if0, PORT0, 0, NFV_PORT_DECAP_VLAN, 0, -1);
	s = udp4;
	s.dst = "198.18.5.5";
	s.vlans = 1;
	build(&p, &s);
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PASS);
	EXPECT_FALSE(r.has_meta);
	arp_frame(&p);
	add_tag(&p, ETH_P_8021Q, 7);
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PASS);
	p = tagged;
	p.len = p.l3_off + 10;		/* IPv4 header cut */
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PARSE_ERR);
	EXPECT_FALSE(r.has_meta);

	/* A tag cut short is a decap error; the frame goes on untouched. */
	p = tagged;
	p.len = 16;
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0, NFV_XDP_DECAP_ERR);
	p.len = 17;
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0, NFV_XDP_DECAP_ERR);
	/* 18 bytes: a whole tag and an ethertype, nothing behind. */
	p.len = 18;
	CHECK_OUT(&p, e->if0, XDP_PASS, &r, &p, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PARSE_ERR);

	/* A port without decap keeps the tag (and skips it to classify). */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	CHECK_OUT(&tagged, e->if0, XDP_REDIRECT, &r, &tagged, PORT0,
		  NFV_XDP_FLOW_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(NFV_META_F_VLAN, r.meta.flags);
}

TEST_F(xdp, decap_vxlan)
{
	struct nfv_prefix_rule outer_rule = { .chain = 30 };
	struct nfv_prefix_rule inner_rule = { .chain = 12 };
	struct pkt inner, inner6, p, q;
	struct env *e = &self->e;
	struct spec s = udp6;
	__u32 port = PORT1;
	struct run r;

	NEED_ENV(e);
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VXLAN, VXLAN_PORT, -1);
	build(&inner, &udp4);
	vxlan_wrap(&p, &inner, &underlay4, VXLAN_PORT, 42, 0x08);

	/* Everything up to the inner Ethernet header goes. */
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &inner, CHAIN_SVC, PORT0, IPPROTO_UDP,
		   NFV_META_F_DECAP);
	EXPECT_EQ(42u, r.meta.decap_id);

	/* IPv6 underlay with a VLAN tag, TCP over IPv6 inside. */
	s.proto = IPPROTO_TCP;
	build(&inner6, &s);
	s = underlay6;
	s.vlans = 1;
	vxlan_wrap(&q, &inner6, &s, VXLAN_PORT, 7, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner6, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &inner6, CHAIN_SVC, PORT0, IPPROTO_TCP,
		   NFV_META_F_IPV6 | NFV_META_F_DECAP);
	EXPECT_EQ(7u, r.meta.decap_id);

	/* Bytes after the UDP datagram are not part of the inner frame. */
	q = p;
	memset(q.b + q.len, 0x5a, 20);
	q.len += 20;
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);

	/* Not VXLAN: other UDP, other ports, an outer fragment: as is. */
	CHECK_OUT(&inner, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &inner, CHAIN_SVC, PORT0, IPPROTO_UDP, 0);
	EXPECT_EQ(0u, r.meta.decap_id);
	vxlan_wrap(&q, &inner, &underlay4, 8472, 42, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &q, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	s = underlay4;
	s.frag = 0x2000;		/* MF: ports are not looked at */
	vxlan_wrap(&q, &inner, &s, VXLAN_PORT, 42, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &q, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);

	/* The port's own UDP port and VNI. */
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VXLAN, 8472, 42);
	vxlan_wrap(&q, &inner, &underlay4, 8472, 42, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	vxlan_wrap(&q, &inner, &underlay4, 8472, 43, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &q, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &p, PORT0,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	/* VNI 0 is a VNI like any other. */
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VXLAN, VXLAN_PORT, 0);
	vxlan_wrap(&q, &inner, &underlay4, VXLAN_PORT, 0, 0x08);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);

	/* Malformed VXLAN: counted, and to the kernel untouched. */
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VXLAN, VXLAN_PORT, -1);
	vxlan_wrap(&q, &inner, &underlay4, VXLAN_PORT, 42, 0);	/* no I */
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0, NFV_XDP_DECAP_ERR);
	EXPECT_FALSE(r.has_meta);
	vxlan_wrap(&q, &inner, &underlay4, VXLAN_PORT, 42, 0xff);	/* I + others */
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	{
		struct pkt cut = inner;

		cut.len = ETH_HLEN - 1;	/* no whole inner Ethernet header */
		vxlan_wrap(&q, &cut, &underlay4, VXLAN_PORT, 42, 0x08);
		CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
			  NFV_XDP_DECAP_ERR);
		cut.len = 0;		/* a VXLAN header and nothing else */
		vxlan_wrap(&q, &cut, &underlay4, VXLAN_PORT, 42, 0x08);
		CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
			  NFV_XDP_DECAP_ERR);
		cut.len = ETH_HLEN;	/* an inner frame of its header only */
		vxlan_wrap(&q, &cut, &underlay4, VXLAN_PORT, 42, 0x08);
		CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
			  NFV_XDP_DECAP, NFV_XDP_PARSE_ERR);
	}
	/* UDP shorter than a VXLAN header; a frame shorter than its IP. */
	vxlan_wrap(&q, &inner, &underlay4, VXLAN_PORT, 42, 0x08);
	put16(q.b + q.l4_off + 4, 8 + 4);
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0, NFV_XDP_DECAP_ERR);
	/*
	 * UDP says the datagram ends 10 bytes before the IP payload does:
	 * the inner frame ends there too, and its IP header says more.
	 */
	q = p;
	put16(q.b + q.l4_off + 4, 8 + 8 + inner.len - 10);
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PARSE_ERR);
	q = p;
	q.len = q.l4_off + 8 + 8 + 20;
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0, NFV_XDP_PARSE_ERR);

	/*
	 * An inner frame the fabric does not steer: the kernel gets the
	 * whole VXLAN frame back, byte for byte.
	 */
	{
		struct pkt arp, bad = inner;

		arp_frame(&arp);
		vxlan_wrap(&q, &arp, &underlay4, VXLAN_PORT, 42, 0x08);
		CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
			  NFV_XDP_DECAP, NFV_XDP_PASS);
		bad.len = bad.l3_off + 10;
		vxlan_wrap(&q, &bad, &underlay4, VXLAN_PORT, 42, 0x08);
		CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
			  NFV_XDP_DECAP, NFV_XDP_PARSE_ERR);
	}
	set_decap(_metadata, e, e->if0, PORT0, 0, NFV_PORT_DECAP_VXLAN,
		  VXLAN_PORT, -1);
	q = p;
	memset(q.b + q.len, 0x5a, 20);
	q.len += 20;			/* the padding comes back too */
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PASS);

	/* Rules and flows match the inner frame, never the outer one. */
	v4_prefix(outer_rule.dst, outer_rule.dst_mask, "198.18.8.0", 24);
	v4_prefix(inner_rule.dst, inner_rule.dst_mask, "198.18.1.0", 24);
	set_chain(_metadata, e, 30, NFV_HOP_DROP, 0);
	set_chain(_metadata, e, 12, NFV_HOP_SERVICE, SVC);
	set_rule(_metadata, e, 0, &outer_rule);
	set_rule(_metadata, e, 1, &inner_rule);
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(12, r.meta.chain);

	/* A first hop OUT sends the inner frame, padding cut. */
	set_chain(_metadata, e, 20, NFV_HOP_OUT, PORT1);
	ASSERT_EQ(0, bpf_map_update_elem(e->devmap, &port, &e->if1, BPF_ANY));
	add_flow(_metadata, e, &udp4, 0, 20);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_FLOW_HIT, NFV_XDP_HOP_OUT);
	EXPECT_FALSE(r.has_meta);
}

/*
 * @inner behind Ethernet + NSH: version 0, @ttl, @words (Length), MD type
 * @md, next protocol @np, @spi, @si; @words - 2 words of context (zero).
 */
static void nsh_wrap(struct pkt *p, const struct pkt *inner, __u8 ttl,
		     __u8 words, __u8 md, __u8 np, __u32 spi, __u8 si)
{
	__u8 *h = p->b + ETH_HLEN;
	__u32 hlen = 4u * (words < 2 ? 2 : words);

	memset(p, 0, sizeof(*p));
	memcpy(p->b, inner->b, 12);		/* the inner MACs outside */
	put16(p->b + 12, NFV_ETH_P_NSH);
	h[0] = (ttl >> 2) & 0x0f;
	h[1] = (__u8)((ttl & 3) << 6) | (words & 0x3f);
	h[2] = md;
	h[3] = np;
	h[4] = spi >> 16;
	h[5] = spi >> 8;
	h[6] = spi;
	h[7] = si;
	memcpy(h + hlen, inner->b, inner->len);
	p->len = ETH_HLEN + hlen + inner->len;
}

TEST_F(xdp, decap_nsh)
{
	struct nfv_prefix_rule path = {
		.in_port = PORT0, .nsh = NFV_RULE_NSH_SPI | NFV_RULE_NSH_SI,
		.spi = 100, .si = 254, .chain = 12,
	};
	struct nfv_prefix_rule any_si = {
		.in_port = PORT0, .nsh = NFV_RULE_NSH_SPI, .spi = 100,
		.chain = 30,
	};
	struct nfv_prefix_rule plain = { .chain = 31 };
	struct nfv_prefix_rule end = {};
	struct pkt inner, p, q;
	struct env *e = &self->e;
	struct run r;
	static const struct { __u8 ttl, words, md, np, si; } bad[] = {
		{ 0, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 254 },
		{ 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 0 },
		{ 40, 2, 0, NFV_NSH_NP_ETHERNET, 254 },
		{ 40, 2, 3, NFV_NSH_NP_ETHERNET, 254 },
		{ 40, 5, NFV_NSH_MD1, NFV_NSH_NP_ETHERNET, 254 },
		{ 40, 1, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 254 },
		{ 40, 2, NFV_NSH_MD2, 1, 254 },		/* IPv4 */
		{ 40, 63, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 254 },
	};
	struct pkt cut;
	unsigned int i;

	NEED_ENV(e);
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_NSH, 0, -1);
	set_chain(_metadata, e, 12, NFV_HOP_SERVICE, SVC);
	set_chain(_metadata, e, 30, NFV_HOP_DROP, 0);
	set_chain(_metadata, e, 31, NFV_HOP_SERVICE, SVC);
	set_rule(_metadata, e, 0, &path);
	set_rule(_metadata, e, 1, &any_si);
	set_rule(_metadata, e, 2, &plain);
	set_rule(_metadata, e, 3, &end);
	build(&inner, &udp4);

	/* MD type 2: both headers go; the path and TTL in the metadata. */
	nsh_wrap(&p, &inner, 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 100, 254);
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &inner, 12, PORT0, IPPROTO_UDP,
		   NFV_META_F_DECAP | NFV_META_F_NSH);
	EXPECT_EQ(100u << 8 | 254, r.meta.decap_id);
	EXPECT_EQ(40, r.meta.nsh_ttl);
	EXPECT_EQ(0, r.meta.pad[0] | r.meta.pad[1] | r.meta.pad[2]);
	/* MD type 1 (16 bytes of context), and MD type 2 with context. */
	nsh_wrap(&q, &inner, 63, 6, NFV_NSH_MD1, NFV_NSH_NP_ETHERNET, 100, 254);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	nsh_wrap(&q, &inner, 1, 5, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 100, 254);
	CHECK_OUT(&q, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	EXPECT_EQ(1, r.meta.nsh_ttl);

	/* Another SI of the path: the rule without an SI (a drop). */
	nsh_wrap(&q, &inner, 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 100, 200);
	CHECK_OUT(&q, e->if0, XDP_DROP, &r, &inner, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_RULE_HIT, NFV_XDP_HOP_DROP);
	/*
	 * A path no rule names: neither the rule without an SPI nor the
	 * port's default chain takes it; the kernel gets it back whole.
	 */
	nsh_wrap(&q, &inner, 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET, 101, 254);
	CHECK_OUT(&q, e->if0, XDP_PASS, &r, &q, PORT0,
		  NFV_XDP_DECAP, NFV_XDP_PASS);
	EXPECT_FALSE(r.has_meta);
	/* A frame not in NSH takes the rules without an SPI, as usual. */
	CHECK_OUT(&inner, e->if0, XDP_REDIRECT, &r, &inner, PORT0,
		  NFV_XDP_RULE_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &inner, 31, PORT0, IPPROTO_UDP, 0);
	EXPECT_EQ(0u, r.meta.decap_id);

	/* Invalid NSH: dropped and counted, whatever the rules say. */

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nsh_wrap(&q, &inner, bad[i].ttl, bad[i].words,
			 bad[i].md, bad[i].np, 100, bad[i].si);
		if (bad[i].words == 63)	/* Length past the frame */
			q.len = ETH_HLEN + 4 * 62;
		TH_LOG("bad NSH %u", i);
		CHECK_OUT(&q, e->if0, XDP_DROP, &r, &q, PORT0,
			  NFV_XDP_NSH_DROP);
	}
	nsh_wrap(&q, &inner, 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET,
		 100, 254);
	q.b[ETH_HLEN] |= 0x40;		/* version 1 */
	CHECK_OUT(&q, e->if0, XDP_DROP, &r, &q, PORT0,
		  NFV_XDP_NSH_DROP);
	q.len = ETH_HLEN + 6;		/* NSH cut short */
	CHECK_OUT(&q, e->if0, XDP_DROP, &r, &q, PORT0,
		  NFV_XDP_NSH_DROP);
	cut = inner;
	cut.len = ETH_HLEN - 1;		/* no whole inner Ethernet */
	nsh_wrap(&q, &cut, 40, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET,
		 100, 254);
	CHECK_OUT(&q, e->if0, XDP_DROP, &r, &q, PORT0,
		  NFV_XDP_NSH_DROP);
}

/* ---- fuzz: every frame gets exactly one outcome ---- */

static __u64 rng_state;

static __u64 rnd(void)
{
	/* xorshift64*: small, seedable, good enough for mutations. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static __u32 rnd_below(__u32 n)
{
	return (rnd() >> 32) % n;
}

TEST_F_TIMEOUT(xdp, fuzz_outcomes, 300)
{
	static const __u8 ext2[] = { IPV6_HOP, IPV6_ROUTING };
	static const __u8 fragx[] = { IPV6_DEST, IPV6_FRAGMENT };
	const struct spec seeds[] = {
		udp4, udp6,
		V4(.proto = IPPROTO_TCP, .payload = 40),
		V6(.proto = IPPROTO_TCP, .payload = 3),
		V4(.proto = IPPROTO_ICMP, .vlans = 1),
		V6(.proto = IPPROTO_ICMPV6),
		V4(.dst = "198.18.2.7", .ip_opts = 2),
		V4(.dst = "198.18.3.7", .csum = CSUM_PARTIAL),
		V4(.frag = 0x2000), V4(.frag = 100),
		V6(.ext = ext4, .n_ext = 4),
		V6(.ext = ext2, .n_ext = 2, .dst = "2001:db8:4::1"),
		V6(.ext = fragx, .n_ext = 2, .frag6 = 0x0009),
		V4(.proto = 47, .payload = 20),		/* GRE */
		V6(.proto = 59, .payload = 0),		/* no next hdr */
		V4(.proto = IPPROTO_UDP, .vlans = 2),
		V4(.src = "198.18.9.1", .sport = 7, .dport = 7),
	};
	const __u32 n_specs = sizeof(seeds) / sizeof(seeds[0]);
	const __u32 n_seeds = n_specs + 8;
	struct nfv_prefix_rule drop = { .chain = 30 }, nrep = { .chain = 40 };
	struct nfv_prefix_rule nochain = { .family = AF_INET6, .chain = 50 };
	struct env *e = &self->e;
	__u64 frames = 100000, seed, rets[5] = {}, sum = 0, hits = 0;
	struct pkt seedp[sizeof(seeds) / sizeof(seeds[0]) + 8], inner;
	struct nfv_prefix_rule path = {
		.in_port = 5, .nsh = NFV_RULE_NSH_SPI, .spi = 1,
		.chain = CHAIN_SVC,
	};
	struct spec under = underlay6;
	__u32 if2, if3, if4;
	snap_t before, after;
	__u64 d[__NFV_XDP_COUNTER_MAX] = {};
	__u32 port = PORT1, i, n;
	static struct run r;
	struct pkt p;
	const char *env;
	int c;

	NEED_ENV(e);
	env = getenv("NFV_FUZZ_FRAMES");
	if (env)
		frames = strtoull(env, NULL, 0);
	env = getenv("NFV_FUZZ_SEED");
	seed = env ? strtoull(env, NULL, 0) :
		     (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	if (!seed)
		seed = 1;
	rng_state = seed;
	TH_LOG("seed %llu, %llu frames (NFV_FUZZ_SEED, NFV_FUZZ_FRAMES)",
	       (unsigned long long)seed, (unsigned long long)frames);

	/*
	 * Tables that reach every outcome: default chain to a service with
	 * a socket on queue 0 only (REDIRECT, NO_SOCKET), an exact flow to
	 * port 2 (HOP_OUT), rules to DROP, to a service without replicas
	 * and to a missing chain.  Port 2 has no default (PASS).
	 */
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_chain(_metadata, e, 20, NFV_HOP_OUT, PORT1);
	ASSERT_EQ(0, bpf_map_update_elem(e->devmap, &port, &e->if1, BPF_ANY));
	add_flow(_metadata, e, &seeds[n_specs - 1], 0, 20);
	set_chain(_metadata, e, 30, NFV_HOP_DROP, 0);
	set_chain(_metadata, e, 40, NFV_HOP_SERVICE, 6);
	set_service(_metadata, e, 6, 0, 0);
	v4_prefix(drop.dst, drop.dst_mask, "198.18.2.0", 24);
	v4_prefix(nrep.dst, nrep.dst_mask, "198.18.3.0", 24);
	inet_pton(AF_INET6, "2001:db8:4::", nochain.dst);
	inet_pton(AF_INET6, "ffff:ffff:ffff::", nochain.dst_mask);
	set_rule(_metadata, e, 0, &drop);
	set_rule(_metadata, e, 1, &nrep);
	set_rule(_metadata, e, 2, &nochain);
	set_rule(_metadata, e, 3, &path);
	/*
	 * Two decap ports on a second veth pair: port 3 (nfv2) vxlan and
	 * port 4 (nfv3) vlan, both to the default chain; seeds with VXLAN
	 * and tags for them (every port gets every kind of seed).
	 */
	ASSERT_EQ(0, veth_add("nfv2", "nfv3", 1));
	if2 = if_nametoindex("nfv2");
	if3 = if_nametoindex("nfv3");
	ASSERT_NE(0u, if2);
	ASSERT_NE(0u, if3);
	set_decap(_metadata, e, if2, 3, CHAIN_SVC, NFV_PORT_DECAP_VXLAN,
		  VXLAN_PORT, -1);
	set_decap(_metadata, e, if3, 4, CHAIN_SVC, NFV_PORT_DECAP_VLAN, 0, -1);
	set_xsk(_metadata, e, NF_A, 3, 0);
	set_xsk(_metadata, e, NF_A, 4, 0);
	/* Port 5 (nfv4) decap nsh: path 1 to the default chain's service. */
	ASSERT_EQ(0, veth_add("nfv4", "nfv5", 1));
	if4 = if_nametoindex("nfv4");
	ASSERT_NE(0u, if4);
	set_decap(_metadata, e, if4, 5, CHAIN_SVC, NFV_PORT_DECAP_NSH, 0, -1);
	set_xsk(_metadata, e, NF_A, 5, 0);
	for (i = 0; i < n_specs; i++)
		build(&seedp[i], &seeds[i]);
	build(&inner, &seeds[2]);
	vxlan_wrap(&seedp[i++], &inner, &underlay4, VXLAN_PORT, 1, 0x08);
	under.vlans = 1;
	build(&inner, &seeds[n_specs - 1]);	/* its flow: HOP_OUT */
	vxlan_wrap(&seedp[i++], &inner, &under, VXLAN_PORT, 2, 0x08);
	arp_frame(&inner);
	vxlan_wrap(&seedp[i++], &inner, &underlay4, VXLAN_PORT, 3, 0x08);
	seedp[i] = seedp[3];
	add_tag(&seedp[i++], ETH_P_8021AD, 5);
	arp_frame(&seedp[i]);
	add_tag(&seedp[i++], ETH_P_8021Q, 6);
	build(&inner, &seeds[0]);
	nsh_wrap(&seedp[i++], &inner, 63, 2, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET,
		 1, 255);
	build(&inner, &seeds[3]);
	nsh_wrap(&seedp[i++], &inner, 9, 6, NFV_NSH_MD1, NFV_NSH_NP_ETHERNET,
		 1, 3);
	arp_frame(&inner);
	nsh_wrap(&seedp[i++], &inner, 2, 3, NFV_NSH_MD2, NFV_NSH_NP_ETHERNET,
		 2, 1);

	snap(_metadata, e, before);
	for (n = 0; n < frames; n++) {
		__u32 kind = rnd_below(100), ifindex, queue = 0, k;
		int ret;

		if (kind < 10) {
			/* Random bytes, sometimes with an IP ethertype. */
			p.len = 14 + rnd_below(300);
			for (k = 0; k < p.len; k++)
				p.b[k] = rnd();
			if (kind < 6)
				put16(p.b + 12, kind < 3 ? ETH_P_IP :
							   ETH_P_IPV6);
		} else {
			p = seedp[rnd_below(n_seeds)];
			if (kind < 20) {
				/* As built. */
			} else if (kind < 75) {
				/* Flip bytes, mostly in the headers. */
				for (k = 1 + rnd_below(4); k; k--) {
					__u32 at = rnd_below(kind < 60 ?
						p.len < 100 ? p.len : 100 :
						p.len);
					p.b[at] = rnd();
				}
			} else if (kind < 90) {
				p.len = 14 + rnd_below(p.len - 13);
			} else {
				k = rnd_below(64);
				for (; k; k--)
					p.b[p.len++] = rnd();
			}
		}
		k = rnd_below(16);
		if (k < 8) {
			ifindex = e->if0;
			queue = rnd_below(3) ? 0 : rnd_below(DEV0_RXQ);
		} else if (k < 10) {
			ifindex = k == 8 ? e->if1 : 1;
		} else {
			ifindex = k < 12 ? if2 : k < 14 ? if3 : if4;
		}
		if (ifindex == if2 || ifindex == if3 || ifindex == if4) {
			ret = run_prog(e, p.b, p.len, p.len, ifindex, queue,
				       &r);
			/* The kernel gets every frame as it came. */
			if (!ret && r.ret == XDP_PASS)
				ret = out_is(&r, p.b, p.len);
			if (!ret && r.out_len - r.meta_len > p.len)
				ret = -E2BIG;
		} else {
			ret = run_raw(e, p.b, p.len, p.len, ifindex, queue,
				      &r);
		}
		ASSERT_EQ(0, ret) TH_LOG("frame %u: %d", n, ret);
		ASSERT_GT(5, r.ret);
		rets[r.ret]++;
		if (r.ret == XDP_REDIRECT && r.has_meta) {
			/* What an NF will trust. */
			ASSERT_EQ(NFV_META_MAGIC, r.meta.magic);
			ASSERT_EQ(0, r.meta.hop);
			ASSERT_EQ(ifindex == e->if0 ? PORT0 :
				  ifindex == e->if1 ? PORT1 :
				  ifindex == if2 ? 3 : ifindex == if3 ? 4 : 5,
				  r.meta.in_port);
			ASSERT_TRUE(r.meta.l3_off == 14 ||
				    r.meta.l3_off == 18);
			ASSERT_EQ(!r.meta.l4_off, !r.meta.l4_proto);
			ASSERT_GT(r.out_len - r.meta_len, r.meta.l4_off);
			if (r.meta.flags & NFV_META_F_DECAP)
				ASSERT_TRUE(ifindex == if2 || ifindex == if3 ||
					    ifindex == if4);
			/* An NSH path only from the nsh port, and valid. */
			if (r.meta.flags & NFV_META_F_NSH) {
				ASSERT_EQ(if4, ifindex);
				ASSERT_TRUE(r.meta.flags & NFV_META_F_DECAP);
				ASSERT_EQ(1u, r.meta.decap_id >> 8);
				ASSERT_NE(0u, r.meta.decap_id & 0xff);
				ASSERT_NE(0, r.meta.nsh_ttl);
			}
		}
	}
	snap(_metadata, e, after);

	for (i = 0; i < NFV_PORT_MAX; i++)
		for (c = 0; c < __NFV_XDP_COUNTER_MAX; c++)
			d[c] += after[i][c] - before[i][c];
	for (c = 0; c < __NFV_XDP_COUNTER_MAX; c++)
		TH_LOG("%-12s %llu", counter_name[c],
		       (unsigned long long)d[c]);
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		sum += d[outcomes[i]];
	hits = d[NFV_XDP_FLOW_HIT] + d[NFV_XDP_RULE_HIT] +
	       d[NFV_XDP_DEFAULT_HIT];

	/* One RX and one outcome per frame, one hit per classified one. */
	ASSERT_EQ(frames, d[NFV_XDP_RX]);
	ASSERT_EQ(frames, sum);
	ASSERT_EQ(sum - d[NFV_XDP_PASS] - d[NFV_XDP_PARSE_ERR] -
		  d[NFV_XDP_DECAP_ERR] - d[NFV_XDP_OFFLOAD] -
		  d[NFV_XDP_NSH_DROP], hits);
	ASSERT_GE(frames - d[NFV_XDP_DECAP_ERR], d[NFV_XDP_DECAP]);
	/* The actions agree with the outcomes. */
	ASSERT_EQ(d[NFV_XDP_PASS] + d[NFV_XDP_PARSE_ERR] +
		  d[NFV_XDP_DECAP_ERR] + d[NFV_XDP_OFFLOAD] +
		  d[NFV_XDP_SEGMENT], rets[XDP_PASS]);
	ASSERT_EQ(d[NFV_XDP_REDIRECT] + d[NFV_XDP_HOP_OUT],
		  rets[XDP_REDIRECT]);
	ASSERT_EQ(d[NFV_XDP_HOP_DROP] + d[NFV_XDP_NO_CHAIN] +
		  d[NFV_XDP_NO_REPLICA] + d[NFV_XDP_NO_SOCKET] +
		  d[NFV_XDP_META_ERR] + d[NFV_XDP_NSH_DROP], rets[XDP_DROP]);
	ASSERT_EQ(0ull, rets[XDP_ABORTED]);
	ASSERT_EQ(0ull, rets[XDP_TX]);
	/* And the tables did reach every outcome they can. */
	if (frames >= 10000) {
		for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
			c = outcomes[i];
			/* No offload entry, no segmenter (nfvd's). */
			if (c == NFV_XDP_META_ERR || c == NFV_XDP_FAIL_CLOSED ||
			    c == NFV_XDP_OFFLOAD || c == NFV_XDP_SEGMENT)
				continue;
			EXPECT_LT(0ull, d[c]) TH_LOG("never: %s",
						  counter_name[c]);
		}
		EXPECT_LT(0ull, d[NFV_XDP_DECAP]) TH_LOG("never: decap");
	}
}

/* ---- offloaded flows (nfv_offload, written by nfvd) ---- */

/* The flow of @sp in on port @port, offloaded to @out_ifindex. */
static void set_offload(struct __test_metadata *_metadata, struct env *e,
			const struct spec *sp, __u16 port, __u32 out_ifindex)
{
	struct nfv_offload_val v[e->ncpus];
	struct nfv_flow_key k = { .in_port = port };
	__u32 zero = 0, one = 1;
	int i;

	k.family = sp->family;
	k.proto = sp->proto;
	k.sport = htons(sp->sport);
	k.dport = htons(sp->dport);
	ASSERT_EQ(1, inet_pton(sp->family, sp->src, k.src));
	ASSERT_EQ(1, inet_pton(sp->family, sp->dst, k.dst));
	memset(v, 0, sizeof(v));
	for (i = 0; i < e->ncpus; i++) {
		v[i].out_ifindex = out_ifindex;
		v[i].out_port = PORT1;
	}
	ASSERT_EQ(0, bpf_map_update_elem(e->offload, &k, v, BPF_ANY));
	ASSERT_EQ(0, bpf_map_update_elem(e->offload_on, &zero, &one, BPF_ANY));
}

/* The entry of @sp on @port, every CPU's copy summed; ended: any. */
static int get_offload(struct env *e, const struct spec *sp, __u16 port,
		       struct nfv_offload_val *sum)
{
	struct nfv_offload_val v[e->ncpus];
	struct nfv_flow_key k = { .in_port = port };
	int i;

	k.family = sp->family;
	k.proto = sp->proto;
	k.sport = htons(sp->sport);
	k.dport = htons(sp->dport);
	inet_pton(sp->family, sp->src, k.src);
	inet_pton(sp->family, sp->dst, k.dst);
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(e->offload, &k, v))
		return -errno;
	for (i = 0; i < e->ncpus; i++) {
		sum->packets += v[i].packets;
		sum->bytes += v[i].bytes;
		sum->ended |= v[i].ended;
	}
	return 0;
}

static const struct spec tcp4 = {
	.family = AF_INET, .proto = IPPROTO_TCP,
	.src = "198.18.0.1", .dst = "198.18.1.1",
	.sport = 1000, .dport = 2000, .payload = 32,
};

/*
 * An offloaded flow's frame goes to the kernel (XDP_PASS) unchanged, but
 * for the out port in front of it (for nfv_tc), counted on the entry.
 */
TEST_F(xdp, offloaded_flow_passes_with_its_out_port)
{
	struct nfv_offload_meta om;
	struct nfv_offload_val v;
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_offload(_metadata, e, &udp4, PORT0, e->if1);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_OFFLOAD);
	ASSERT_EQ(sizeof(om), r.meta_len);
	memcpy(&om, r.out, sizeof(om));
	EXPECT_EQ(NFV_OFFLOAD_MAGIC, om.magic);
	EXPECT_EQ(e->if1, om.out_ifindex);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0, NFV_XDP_OFFLOAD);
	ASSERT_EQ(0, get_offload(e, &udp4, PORT0, &v));
	EXPECT_EQ(2ull, v.packets);
	EXPECT_EQ(2ull * p.len, v.bytes);
	EXPECT_EQ(0, v.ended);
}

/* No lookup while nfvd says there is no entry; other ports, other flows. */
TEST_F(xdp, offload_entry_only_for_its_flow_and_port)
{
	struct env *e = &self->e;
	struct spec other = udp4;
	__u32 zero = 0, none = 0;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	set_port(_metadata, e, e->if1, PORT1, CHAIN_SVC, 0);
	set_offload(_metadata, e, &udp4, PORT0, e->if1);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if1, 0, XDP_REDIRECT, &r, PORT1,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	other.sport++;
	build(&p, &other);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	other = reversed(&udp4);
	build(&p, &other);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	ASSERT_EQ(0, bpf_map_update_elem(e->offload_on, &zero, &none,
					 BPF_ANY));
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
}

/* A FIN or RST ends it: that frame and the next take the chain. */
TEST_F(xdp, offload_ends_on_fin_and_rst)
{
	static const __u8 flags[] = { 0x11, 0x04 };	/* FIN|ACK, RST */
	struct nfv_offload_val v;
	struct env *e = &self->e;
	struct pkt p, fin;
	struct run r;
	unsigned int i;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	for (i = 0; i < sizeof(flags); i++) {
		set_offload(_metadata, e, &tcp4, PORT0, e->if1);
		build(&p, &tcp4);
		CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0,
			    NFV_XDP_OFFLOAD);
		fin = p;
		fin.b[fin.l4_off + 13] = flags[i];
		CHECK_FRAME(&fin, e->if0, 0, XDP_REDIRECT, &r, PORT0,
			    NFV_XDP_OFFLOAD_END, NFV_XDP_DEFAULT_HIT,
			    NFV_XDP_REDIRECT);
		ASSERT_EQ(0, get_offload(e, &tcp4, PORT0, &v));
		EXPECT_EQ(1, v.ended);
		EXPECT_EQ(1ull, v.packets);
		CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
			    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	}
}

/* A decap port's frames are never offloaded (their encapsulation). */
TEST_F(xdp, offload_not_on_decap_ports)
{
	struct env *e = &self->e;
	struct spec s = udp4;
	struct pkt p, plain;
	struct run r;

	NEED_ENV(e);
	set_decap(_metadata, e, e->if0, PORT0, CHAIN_SVC,
		  NFV_PORT_DECAP_VLAN, 0, -1);
	set_offload(_metadata, e, &udp4, PORT0, e->if1);
	build(&plain, &udp4);
	s.vlans = 1;
	build(&p, &s);
	CHECK_OUT(&p, e->if0, XDP_REDIRECT, &r, &plain, PORT0, NFV_XDP_DECAP,
		  NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
}

/* ---- super-frames of generic ports (nfv_segs, written by nfvd) ---- */

static void set_seg(struct __test_metadata *_metadata, struct env *e,
		    __u32 ifindex, __u8 role, __u32 to, __u16 above,
		    __u8 queue)
{
	struct nfv_seg v = {
		.ifindex = to, .above = above, .queue = queue, .role = role,
	};

	ASSERT_EQ(0, bpf_map_update_elem(e->segs, &ifindex, &v, BPF_ANY));
}

/* 1642 bytes: longer than an Ethernet frame, as a GSO skb is. */
static const struct spec big4 = {
	.family = AF_INET, .proto = IPPROTO_UDP,
	.src = "198.18.0.1", .dst = "198.18.1.1",
	.sport = 1000, .dport = 2000, .payload = 1600,
};

/*
 * A frame longer than the port's segmenter says an NF frame holds, bound
 * for an NF, goes to the segmenter's entry (XDP_PASS, its ifindex in
 * front for nfv_tc); one that fits, one no longer than an Ethernet frame
 * and any on a port without a segmenter go to the NF.
 */
TEST_F(xdp, superframe_goes_to_the_segmenter)
{
	struct nfv_offload_meta om;
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	build(&p, &big4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	set_seg(_metadata, e, e->if0, NFV_SEG_PORT, 4242, p.len - 1, 0);
	CHECK_FRAME(&p, e->if0, 0, XDP_PASS, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_SEGMENT);
	ASSERT_EQ(sizeof(om), r.meta_len);
	memcpy(&om, r.out, sizeof(om));
	EXPECT_EQ(NFV_OFFLOAD_MAGIC, om.magic);
	EXPECT_EQ(4242u, om.out_ifindex);
	set_seg(_metadata, e, e->if0, NFV_SEG_PORT, 4242, p.len, 0);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	set_seg(_metadata, e, e->if0, NFV_SEG_PORT, 4242, 64, 0);
	build(&p, &udp4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	/* An exit's entry is no port's: nothing diverted by it. */
	set_seg(_metadata, e, e->if0, NFV_SEG_DEV, 4242, 64, 0);
	build(&p, &big4);
	CHECK_FRAME(&p, e->if0, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
}

/*
 * A segmenter's exit: its frames are classified as its port's (counted
 * there, in_port the port's) and go to the sockets of the port's queue
 * its entry names, never diverted again.
 */
TEST_F(xdp, segmenter_exit_frames_are_the_ports)
{
	struct env *e = &self->e;
	struct run r;
	struct pkt p;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	/* The exit: lo, which is no port (nfv1 is port 2 here). */
	set_seg(_metadata, e, 1, NFV_SEG_DEV, e->if0, 0, 1);
	build(&p, &udp4);
	/* This environment's socket is in queue 0's slots only. */
	CHECK_FRAME(&p, 1, 0, XDP_DROP, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_NO_SOCKET);
	set_xsk(_metadata, e, NF_A, PORT0, 1);
	CHECK_FRAME(&p, 1, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	check_meta(_metadata, &r, &p, CHAIN_SVC, PORT0, IPPROTO_UDP, 0);
	set_seg(_metadata, e, e->if0, NFV_SEG_PORT, 4242, 64, 0);
	build(&p, &big4);
	CHECK_FRAME(&p, 1, 0, XDP_REDIRECT, &r, PORT0,
		    NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT);
	/* A queue past NFV_QUEUE_MAX in an entry is none: no port. */
	set_seg(_metadata, e, 1, NFV_SEG_DEV, e->if0, 0, NFV_QUEUE_MAX);
	build(&p, &udp4);
	CHECK_FRAME(&p, 1, 0, XDP_PASS, &r, 0, NFV_XDP_PASS);
}

/* ---- one frame for real: veth -> XDP -> AF_XDP socket ---- */

TEST_F(xdp, live_frame_reaches_socket_with_meta)
{
	struct env *e = &self->e;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_halen = ETH_ALEN,
	};
	const struct nfv_xdp_meta *meta;
	struct pollfd pfd;
	snap_t before;
	__u32 idx = 0;
	const __u8 *data;
	__u64 addr;
	struct pkt p;
	int fd;

	NEED_ENV(e);
	set_port(_metadata, e, e->if0, PORT0, CHAIN_SVC, 0);
	ASSERT_EQ(0, bpf_xdp_attach(e->if0, e->prog, XDP_FLAGS_DRV_MODE,
				    NULL));
	build(&p, &udp4);

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	ASSERT_LE(0, fd);
	sll.sll_ifindex = e->if1;
	memcpy(sll.sll_addr, p.b, ETH_ALEN);
	snap(_metadata, e, before);
	ASSERT_EQ((ssize_t)p.len, sendto(fd, p.b, p.len, 0,
					 (struct sockaddr *)&sll,
					 sizeof(sll)));
	close(fd);

	pfd.fd = xsk_socket__fd(e->xsk);
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 2000)) TH_LOG("nothing on the socket");
	ASSERT_EQ(1u, xsk_ring_cons__peek(&e->rx, 1, &idx));
	addr = xsk_ring_cons__rx_desc(&e->rx, idx)->addr;
	ASSERT_EQ(p.len, xsk_ring_cons__rx_desc(&e->rx, idx)->len);
	data = xsk_umem__get_data(e->umem_area, addr);
	/* Copy mode copies the metadata in front of the frame. */
	meta = (const void *)(data - sizeof(*meta));
	EXPECT_EQ(0, memcmp(data, p.b, p.len));
	EXPECT_EQ(NFV_META_MAGIC, meta->magic);
	EXPECT_EQ(CHAIN_SVC, meta->chain);
	EXPECT_EQ(0, meta->hop);
	EXPECT_EQ(PORT0, meta->in_port);
	EXPECT_EQ(p.l3_off, meta->l3_off);
	EXPECT_EQ(p.l4_off, meta->l4_off);
	EXPECT_EQ(IPPROTO_UDP, meta->l4_proto);
	xsk_ring_cons__release(&e->rx, 1);
	expect_counts(_metadata, e, before, PORT0,
		      (const int[]){ NFV_XDP_DEFAULT_HIT, NFV_XDP_REDIRECT,
				     -1 });
	bpf_xdp_detach(e->if0, XDP_FLAGS_DRV_MODE, NULL);
}

TEST_HARNESS_MAIN
