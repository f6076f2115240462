// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_netlink: nfv.ko's generic netlink family "nfv" and /dev/nfv, as an
 * API.  Run in the test VM (selftests/vm.sh); without the family (on the
 * host, where no module can load) it exits 4 (skip).
 *
 * NFV_BACKEND=daemon: the reject.* matrix only, against nfvd, which
 * serves the same messages on its unix socket (SOCK_SEQPACKET).  Each
 * test starts its own nfvd (module-less, in the test's netns, --state
 * none) from build/bin next to this program (or $NFV_BIN), with
 * $NFV_BPF_OBJ or build/bpf/nfv_xdp.bpf.o; the map snapshot reads the
 * maps of the program nfvd attached to the port.  Refusals of the
 * commands one backend alone serves (MAPS_*: nfv.ko; NF_ATTACH: nfvd)
 * are that backend's: nfvd answers MAPS_* with EOPNOTSUPP.  Runs on the
 * host (selftests/run.sh).
 *
 * Every test runs in its own process (the harness forks) and its own
 * network namespace, hence its own fabric:
 *
 *   netns (private)
 *     nfvt0 -- veth -- nfvt1         nfvt0 is port 1, nfvt1 no port
 *     chain 1: service 1             flows: one exact, one prefix rule
 *     BPF maps with the layouts of bpf/maps.h, bound with MAPS_SET
 *
 * - reject.*: each command with missing, oversized, wrong-type and
 *   out-of-range attributes, unknown ids and flags, is refused with the
 *   expected errno and an extack message, and every table (dumps) and
 *   every map is byte for byte what it was.
 * - nfv.*: the objects work (do, dump, replace, delete), the maps follow,
 *   events go out, NFs come and go with their file, writers race.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>

#include <linux/nfv.h>

#include "kselftest_harness.h"

#define PORT_DEV	"nfvt0"
#define PEER_DEV	"nfvt1"

/* ---- a small generic netlink client ---- */

struct nl {
	struct mnl_socket *sk;	/* kernel: generic netlink */
	int fd;			/* daemon: nfvd's socket, or -1 */
	uint16_t family;
	uint32_t mcgrp;
	uint32_t seq;
	char ext[256];		/* extack message of the last error */
	char buf[1 << 17];
};

static int ctrl_attr_cb(const struct nlattr *a, void *data)
{
	struct nl *nl = data;
	const struct nlattr *g, *ga;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		nl->family = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(g, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(ga, g) {
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(ga);
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(ga);
			}
			if (name && !strcmp(name, NFV_MCGRP_EVENTS))
				nl->mcgrp = id;
		}
		break;
	}
	return MNL_CB_OK;
}

static int nl_open(struct nl *nl)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1, n;

	memset(nl, 0, sizeof(*nl) - sizeof(nl->buf));
	nl->fd = -1;
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk || mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFV_GENL_NAME);
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl->sk, nl->buf, sizeof(nl->buf));
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)nl->buf;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	mnl_attr_parse(nlh, sizeof(*g), ctrl_attr_cb, nl);
	return nl->family ? 0 : -ENOENT;
}

/* nfvd's socket: requests carry NLMSG_MIN_TYPE (tools/nfvctl/backend.c). */
static int nl_open_daemon(struct nl *nl, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 30 };

	memset(nl, 0, sizeof(*nl) - sizeof(nl->buf));
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	nl->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (nl->fd < 0 ||
	    connect(nl->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl->family = NLMSG_MIN_TYPE;
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

static int nl_send(struct nl *nl, const struct nlmsghdr *nlh)
{
	if (nl->fd >= 0)
		return send(nl->fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL) ==
		       (ssize_t)nlh->nlmsg_len ? 0 : -errno ?: -EMSGSIZE;
	return mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

/* One read: a datagram of nfvd's, or what netlink has. */
static int nl_recv(struct nl *nl, void *buf, size_t size)
{
	ssize_t n;

	if (nl->fd >= 0)
		n = recv(nl->fd, buf, size, 0);
	else
		n = mnl_socket_recvfrom(nl->sk, buf, size);
	return n < 0 ? -errno : n ? (int)n : -ECONNRESET;
}

static struct nlmsghdr *nl_req(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return nlh;
}

typedef void (*msg_cb)(const struct nlmsghdr *nlh, void *data);

static int ext_cb(const struct nlattr *a, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
		snprintf(nl->ext, sizeof(nl->ext), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* Send @nlh; data messages go to @cb; returns 0 or the negative errno. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, msg_cb cb, void *data)
{
	static char rbuf[1 << 17];
	uint32_t seq = nlh->nlmsg_seq;

	int err;

	nl->ext[0] = '\0';
	err = nl_send(nl, nlh);
	if (err)
		return err;
	for (;;) {
		int n = nl_recv(nl, rbuf, sizeof(rbuf));
		const struct nlmsghdr *r;

		if (n < 0)
			return n;
		for (r = (void *)rbuf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_DONE)
				return 0;
			if (r->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);
				size_t off = sizeof(*e);

				if (!(r->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
				if (r->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(r, off, ext_cb, nl);
				return e->error;
			}
			if (cb)
				cb(r, data);
		}
	}
}

/* ---- building requests from a line of text ----
 *
 *   u8:NAME=V u16:NAME=V u32:NAME=V u64:NAME=V str:NAME=TEXT bin:NAME=HEX
 *   flag:NAME nest:NAME{ ... } raw:NAME=HEX (any length)
 *   tail:HEX (bytes after the last attribute, no attribute header)
 *
 * NAME is an attribute of uapi/linux/nfv.h without NFV_A_ (CHAIN_ID) or a
 * number; V may be $P (ifindex of the port) or $Q (of its non-port peer).
 */

#define A(x) { #x, NFV_A_##x }
static const struct { const char *name; int type; } attr_names[] = {
	A(PORT_IFINDEX), A(PORT_NAME), A(PORT_ID), A(PORT_MODE),
	A(PORT_DEFAULT_CHAIN), A(PORT_FLAGS), A(PORT_QUEUES), A(PORT_STATS),
	A(PORT_DECAP), A(PORT_VXLAN_PORT), A(PORT_VNI),
	A(CHAIN_ID), A(CHAIN_HOP), A(CHAIN_FLAGS),
	A(HOP_TYPE), A(HOP_SERVICE), A(HOP_IFINDEX), A(HOP_PORT), A(HOP_SPI),
	A(FLOW_IN_IFINDEX), A(FLOW_PROTO), A(FLOW_FAMILY), A(FLOW_SRC),
	A(FLOW_SRC_PLEN), A(FLOW_DST), A(FLOW_DST_PLEN), A(FLOW_SPORT),
	A(FLOW_SPORT_MAX), A(FLOW_DPORT), A(FLOW_DPORT_MAX), A(FLOW_CHAIN),
	A(FLOW_EXACT), A(FLOW_OWNER), A(FLOW_IDLE_TIMEOUT), A(FLOW_SPI),
	A(FLOW_SI),
	A(NF_ID), A(NF_SERVICE), A(NF_NAME), A(NF_RX), A(NF_COUNTERS_ID),
	A(SERVICE_ID), A(SERVICE_REPLICA),
	A(STATS_BACKEND),
	A(MAPS_PORTS), A(MAPS_CHAINS), A(MAPS_SERVICES), A(MAPS_FLOWS),
	A(MAPS_RULES), A(MAPS_DEVMAP), A(MAPS_STATS),
};

struct vars {
	uint32_t port, peer;
};

static int attr_type(const char *name, size_t len)
{
	size_t i;

	if (len && name[0] >= '0' && name[0] <= '9')
		return atoi(name);
	for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (strlen(attr_names[i].name) == len &&
		    !strncmp(attr_names[i].name, name, len))
			return attr_names[i].type;
	fprintf(stderr, "unknown attribute %.*s\n", (int)len, name);
	abort();
}

static uint64_t value(const char *v, const struct vars *vars)
{
	if (!strncmp(v, "$P", 2))
		return vars->port;
	if (!strncmp(v, "$Q", 2))
		return vars->peer;
	return strtoull(v, NULL, 0);
}

static void put_attrs(struct nlmsghdr *nlh, const char *spec,
		      const struct vars *vars)
{
	struct nlattr *stack[8];
	int depth = 0;
	char tok[256];
	const char *p = spec;

	while (*p) {
		const char *colon, *eq, *name;
		size_t n = strcspn(p, " ");
		int type;

		if (!n) {
			p++;
			continue;
		}
		snprintf(tok, sizeof(tok), "%.*s", (int)n, p);
		p += n;
		if (!strcmp(tok, "}")) {	/* to the end, tail: included */
			depth--;
			stack[depth]->nla_len = (char *)nlh + nlh->nlmsg_len -
						(char *)stack[depth];
			continue;
		}
		if (!strncmp(tok, "tail:", 5)) {
			uint8_t *b = mnl_nlmsg_get_payload_tail(nlh);
			size_t i, len = strlen(tok + 5) / 2;

			for (i = 0; i < len; i++)
				sscanf(tok + 5 + 2 * i, "%2hhx", &b[i]);
			nlh->nlmsg_len += len;	/* unaligned, on purpose */
			continue;
		}
		colon = strchr(tok, ':');
		name = colon + 1;
		eq = strchr(name, '=');
		if (!strncmp(tok, "nest:", 5)) {
			type = attr_type(name, strcspn(name, "{"));
			stack[depth++] = mnl_attr_nest_start(nlh, type);
			continue;
		}
		type = attr_type(name, eq ? (size_t)(eq - name) : strlen(name));
		if (!strncmp(tok, "u8:", 3))
			mnl_attr_put_u8(nlh, type, value(eq + 1, vars));
		else if (!strncmp(tok, "u16:", 4))
			mnl_attr_put_u16(nlh, type, value(eq + 1, vars));
		else if (!strncmp(tok, "u32:", 4))
			mnl_attr_put_u32(nlh, type, value(eq + 1, vars));
		else if (!strncmp(tok, "u64:", 4))
			mnl_attr_put_u64(nlh, type, value(eq + 1, vars));
		else if (!strncmp(tok, "str:", 4))
			mnl_attr_put_strz(nlh, type, eq + 1);
		else if (!strncmp(tok, "flag:", 5))
			mnl_attr_put(nlh, type, 0, NULL);
		else if (!strncmp(tok, "bin:", 4) || !strncmp(tok, "raw:", 4)) {
			uint8_t b[64];
			size_t i, len = strlen(eq + 1) / 2;

			for (i = 0; i < len && i < sizeof(b); i++)
				sscanf(eq + 1 + 2 * i, "%2hhx", &b[i]);
			mnl_attr_put(nlh, type, len, b);
		} else {
			fprintf(stderr, "bad token %s\n", tok);
			abort();
		}
	}
}

static int nl_do(struct nl *nl, uint8_t cmd, uint16_t flags, const char *spec,
		 const struct vars *vars)
{
	struct nlmsghdr *nlh = nl_req(nl, cmd, flags);

	put_attrs(nlh, spec, vars);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* ---- state snapshots: every dump and every bound map, as bytes ---- */

struct snap {
	char *buf;
	size_t len, cap;
};

static void snap_put(struct snap *s, const void *p, size_t len)
{
	if (s->len + len > s->cap) {
		s->cap = (s->len + len) * 2 + 4096;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, p, len);
	s->len += len;
}

/*
 * Attributes as they are, their padding as zeros: it means nothing, and
 * nfvd does not clear it (libmnl leaves what its buffer held).  Nested
 * attributes of type @nest (hops) are walked too.
 */
static void snap_attrs(struct snap *s, const void *p, size_t len, int nest)
{
	static const char zero[NLA_ALIGNTO];
	const struct nlattr *a = p;

	while (len >= sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= len) {
		size_t alen = NLA_ALIGN(a->nla_len);

		snap_put(s, a, sizeof(*a));
		if ((a->nla_type & NLA_TYPE_MASK) == nest)
			snap_attrs(s, a + 1, a->nla_len - sizeof(*a), -1);
		else
			snap_put(s, a + 1, a->nla_len - sizeof(*a));
		if (alen > len)
			alen = len;
		snap_put(s, zero, alen - a->nla_len);
		len -= alen;
		a = (const void *)((const char *)a + alen);
	}
	snap_put(s, a, len);
}

static void snap_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	snap_put(data, g, sizeof(*g));
	snap_attrs(data, g + 1, mnl_nlmsg_get_payload_len(nlh) - sizeof(*g),
		   g->cmd == NFV_CMD_CHAIN_GET ? NFV_A_CHAIN_HOP : -1);
}

struct maps {
	int ports, chains, services, flows, rules, devmap, stats;
};

static void snap_map(struct snap *s, int fd, bool hash)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	char key[64], next[64], val[512];
	void *prev = NULL;

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	if (!hash) {
		uint32_t i;

		for (i = 0; i < info.max_entries; i++)
			if (!bpf_map_lookup_elem(fd, &i, val))
				snap_put(s, val, info.value_size);
		return;
	}
	/* Hash order may change with rehashing: sum entries up, order-free. */
	uint64_t sum = 0, n = 0;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		uint32_t i;

		memcpy(key, next, info.key_size);
		prev = key;
		if (bpf_map_lookup_elem(fd, key, val))
			continue;
		for (i = 0; i < info.key_size; i++)
			sum += (uint64_t)(uint8_t)key[i] * (i + 1) * 2654435761u;
		for (i = 0; i < info.value_size; i++)
			sum += (uint64_t)(uint8_t)val[i] * (i + 7) * 40503u;
		n++;
	}
	snap_put(s, &n, sizeof(n));
	snap_put(s, &sum, sizeof(sum));
}

static int snapshot(struct nl *nl, const struct maps *m, struct snap *s)
{
	static const uint8_t cmds[] = {
		NFV_CMD_PORT_GET, NFV_CMD_CHAIN_GET, NFV_CMD_FLOW_GET,
		NFV_CMD_SERVICE_GET, NFV_CMD_NF_GET,
	};
	size_t i;
	int err;

	s->len = 0;
	for (i = 0; i < sizeof(cmds); i++) {
		err = nl_talk(nl, nl_req(nl, cmds[i], NLM_F_DUMP), snap_msg, s);
		if (err)
			return err;
		snap_put(s, "|", 1);
	}
	if (m) {
		snap_map(s, m->ports, true);
		snap_map(s, m->chains, false);
		snap_map(s, m->services, false);
		snap_map(s, m->flows, true);
		snap_map(s, m->rules, false);
		snap_map(s, m->devmap, false);
	}
	return 0;
}

/* ---- the XDP program's maps, as bpf/maps.h declares them ---- */

static int maps_create(struct maps *m, uint32_t flows)
{
	LIBBPF_OPTS(bpf_map_create_opts, noprealloc,
		    .map_flags = BPF_F_NO_PREALLOC);

	m->ports = bpf_map_create(BPF_MAP_TYPE_HASH, "nfv_ports", 4,
				  sizeof(struct nfv_port_cfg), NFV_PORT_MAX,
				  NULL);
	m->chains = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nfv_chains", 4,
				   sizeof(struct nfv_chain), NFV_CHAIN_MAX + 1,
				   NULL);
	m->services = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nfv_services", 4,
				     sizeof(struct nfv_service),
				     NFV_SERVICE_MAX + 1, NULL);
	m->flows = bpf_map_create(BPF_MAP_TYPE_HASH, "nfv_flows",
				  sizeof(struct nfv_flow_key),
				  sizeof(struct nfv_flow_val), flows,
				  &noprealloc);
	m->rules = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nfv_rules", 4,
				  sizeof(struct nfv_prefix_rule),
				  NFV_PREFIX_RULES_MAX, NULL);
	m->devmap = bpf_map_create(BPF_MAP_TYPE_DEVMAP, "nfv_devmap", 4, 4,
				   NFV_PORT_MAX, NULL);
	m->stats = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "nfv_xdp_stats",
				  4, sizeof(struct nfv_xdp_stats),
				  NFV_PORT_MAX, NULL);
	if (m->ports < 0 || m->chains < 0 || m->services < 0 ||
	    m->flows < 0 || m->rules < 0 || m->devmap < 0 || m->stats < 0)
		return -errno;
	return 0;
}

static int maps_bind(struct nl *nl, const struct maps *m)
{
	struct nlmsghdr *nlh = nl_req(nl, NFV_CMD_MAPS_SET, 0);

	mnl_attr_put_u32(nlh, NFV_A_MAPS_PORTS, m->ports);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_CHAINS, m->chains);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_SERVICES, m->services);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_FLOWS, m->flows);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_RULES, m->rules);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_DEVMAP, m->devmap);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_STATS, m->stats);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* ---- a fabric to poke at ---- */

struct fabric {
	struct nl nl;		/* the requests: an administrator's */
	struct nl binder;	/* kernel: bound the maps (nfvd's role) */
	struct maps maps;
	struct vars v;
	struct snap before, after;
	pid_t nfvd;		/* NFV_BACKEND=daemon: our nfvd */
	char dir[64];		/* its socket's directory */
};

static bool daemon_backend(void)
{
	const char *b = getenv("NFV_BACKEND");

	return b && !strcmp(b, "daemon");
}

static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* build/bin/nfvd next to build/selftests/kmod_netlink, or $NFV_BIN/nfvd. */
static void bin_path(char *buf, size_t size, const char *name)
{
	char self[512];
	ssize_t n;
	char *slash;

	if (getenv("NFV_BIN")) {
		snprintf(buf, size, "%s/%s", getenv("NFV_BIN"), name);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, size, "%s/../bin/%s", self, name);
}

/* Start nfvd in this netns (module-less) and connect to it. */
static int nfvd_start(struct fabric *f)
{
	const char *obj = getenv("NFV_BPF_OBJ");
	char nfvd[600], bpf[600], sock[128];
	int i, err = -ETIMEDOUT;
	struct stat st;

	bin_path(nfvd, sizeof(nfvd), "nfvd");
	if (obj)
		snprintf(bpf, sizeof(bpf), "%s", obj);
	else
		bin_path(bpf, sizeof(bpf), "../bpf/nfv_xdp.bpf.o");
	snprintf(f->dir, sizeof(f->dir), "/tmp/nfv-kmodnl.XXXXXX");
	if (!mkdtemp(f->dir))
		return -errno;
	snprintf(sock, sizeof(sock), "%s/nfvd.sock", f->dir);
	f->nfvd = fork();
	if (f->nfvd < 0)
		return -errno;
	if (!f->nfvd) {
		char log[128];
		int fd;

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(log, sizeof(log), "%s/nfvd.log", f->dir);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setenv("NFV_BACKEND", "daemon", 1);
		execl(nfvd, "nfvd", "--socket", sock, "--bpf", bpf,
		      "--state", "none", "--frames", "4096", "--fill", "512",
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 1500; i++) {
		/* The file comes before listen(): refused means "not yet". */
		if (!stat(sock, &st) && S_ISSOCK(st.st_mode)) {
			err = nl_open_daemon(&f->nl, sock);
			if (err != -ECONNREFUSED)
				break;
			nl_close(&f->nl);
		}
		if (waitpid(f->nfvd, NULL, WNOHANG) == f->nfvd) {
			f->nfvd = 0;
			err = -ECHILD;
			break;
		}
		usleep(10000);
	}
	if (err)
		fprintf(stderr, "# nfvd %s did not start (%s), see %s/nfvd.log\n",
			nfvd, strerror(-err), f->dir);
	return err;
}

static void nfvd_stop(struct fabric *f)
{
	char cmd[128];

	if (f->nfvd > 0) {
		kill(f->nfvd, SIGTERM);
		waitpid(f->nfvd, NULL, 0);
		f->nfvd = 0;
	}
	if (f->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
		sh(cmd);
		f->dir[0] = '\0';
	}
}

/*
 * nfvd's own maps, for the snapshot: those of the program it attached to
 * the port, by name.  Missing ones stay -1 (snap_map skips them).
 */
static int nfvd_maps(struct fabric *f)
{
	static const char *const names[] = {
		"nfv_ports", "nfv_chains", "nfv_services", "nfv_flows",
		"nfv_rules", "nfv_devmap",
	};
	int *fds[] = { &f->maps.ports, &f->maps.chains, &f->maps.services,
		       &f->maps.flows, &f->maps.rules, &f->maps.devmap };
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info), prog_id = 0, ids[64], i, j;
	int prog;

	for (j = 0; j < 6; j++)
		*fds[j] = -1;
	f->maps.stats = -1;
	if (bpf_xdp_query_id(f->v.port, 0, &prog_id) || !prog_id)
		return -ENOENT;
	prog = bpf_prog_get_fd_by_id(prog_id);
	if (prog < 0)
		return -errno;
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (uint64_t)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog, &info, &len)) {
		close(prog);
		return -errno;
	}
	close(prog);
	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		struct bpf_map_info mi = {};
		uint32_t mlen = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &mi, &mlen)) {
			close(fd);
			continue;
		}
		for (j = 0; j < 6; j++)
			if (!strcmp(mi.name, names[j]) && *fds[j] < 0)
				break;
		if (j < 6)
			*fds[j] = fd;
		else
			close(fd);
	}
	return f->maps.ports >= 0 && f->maps.chains >= 0 &&
	       f->maps.flows >= 0 && f->maps.rules >= 0 ? 0 : -ENOENT;
}

/* 0, or a reason to skip (set in *why), or -1 on failure. */
static int fabric_setup(struct fabric *f, const char **why)
{
	bool daemon = daemon_backend();
	int err;

	if (unshare(CLONE_NEWNET)) {
		*why = "unshare(CLONE_NEWNET) failed (not root?)";
		return 1;
	}
	if (!daemon) {
		err = nl_open(&f->nl) ?: nl_open(&f->binder);
		if (err) {
			*why = "nfv.ko not loaded";
			return 1;
		}
	}
	/*
	 * nfvd attaches the classifier, whose counters (in the port dumps
	 * of the snapshot) would count the stack's IPv6 ND frames: none.
	 */
	if (daemon && sh("sysctl -qw net.ipv6.conf.default.disable_ipv6=1"))
		return -1;
	if (sh("ip link add " PORT_DEV " type veth peer name " PEER_DEV
	       " && ip link set " PORT_DEV " up && ip link set " PEER_DEV " up"))
		return -1;
	f->v.port = if_nametoindex(PORT_DEV);
	f->v.peer = if_nametoindex(PEER_DEV);
	if (!f->v.port || !f->v.peer)
		return -1;
	if (daemon ? nfvd_start(f) :
	    maps_create(&f->maps, 1024) || maps_bind(&f->binder, &f->maps))
		return -1;
	if (nl_do(&f->nl, NFV_CMD_PORT_NEW, NLM_F_CREATE | NLM_F_EXCL,
		  "str:PORT_NAME=" PORT_DEV " u16:PORT_DEFAULT_CHAIN=1", &f->v) ||
	    nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NLM_F_CREATE | NLM_F_EXCL,
		  "u16:CHAIN_ID=1 nest:CHAIN_HOP{ u8:HOP_TYPE=1 u16:HOP_SERVICE=1 }",
		  &f->v) ||
	    nl_do(&f->nl, NFV_CMD_FLOW_NEW, NLM_F_CREATE | NLM_F_EXCL,
		  "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 "
		  "u16:FLOW_SPORT=1000 u16:FLOW_DPORT=2000 u16:FLOW_CHAIN=1",
		  &f->v) ||
	    nl_do(&f->nl, NFV_CMD_FLOW_NEW, NLM_F_CREATE | NLM_F_EXCL,
		  "bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=1",
		  &f->v)) {
		fprintf(stderr, "# fabric setup: %s\n", f->nl.ext);
		return -1;
	}
	if (daemon && nfvd_maps(f)) {
		fprintf(stderr, "# nfvd's maps not found on %s\n", PORT_DEV);
		return -1;
	}
	return 0;
}

/* ---- every refusal ---- */

FIXTURE(reject) {
	struct fabric f;
};

FIXTURE_VARIANT(reject) {
	uint8_t cmd;
	uint16_t flags;
	const char *attrs;
	int err;
	bool no_msg;	/* refused by the genl core, which says nothing */
	int daemon_err;	/* nfvd's refusal, when not err (nfv.ko's commands) */
	bool nfvd_serves; /* nfvd's own command: no refusal there */
};

FIXTURE_SETUP(reject)
{
	const char *why = NULL;
	int r = fabric_setup(&self->f, &why);

	if (r > 0)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, r);
}

FIXTURE_TEARDOWN(reject)
{
	nl_close(&self->f.nl);
	nl_close(&self->f.binder);
	nfvd_stop(&self->f);
}

#define NEW	(NLM_F_CREATE | NLM_F_EXCL)
#define REJECT(name, c, fl, a, e)					\
	FIXTURE_VARIANT_ADD(reject, name) {				\
		.cmd = NFV_CMD_##c, .flags = fl, .attrs = a, .err = e,	\
	}
#define REJECT_CORE(name, c, fl, a, e)					\
	FIXTURE_VARIANT_ADD(reject, name) {				\
		.cmd = c, .flags = fl, .attrs = a, .err = e, .no_msg = true, \
	}
/* Commands of nfv.ko alone: nfvd refuses them as unknown (EOPNOTSUPP). */
#define REJECT_KO(name, c, fl, a, e)					\
	FIXTURE_VARIANT_ADD(reject, name) {				\
		.cmd = NFV_CMD_##c, .flags = fl, .attrs = a, .err = e,	\
		.daemon_err = -EOPNOTSUPP,				\
	}
#define HOP_SVC(s)	"nest:CHAIN_HOP{ u8:HOP_TYPE=1 u16:HOP_SERVICE=" #s " } "

/* ports */
REJECT(port_new_missing_dev, PORT_NEW, NEW, "u16:PORT_DEFAULT_CHAIN=1", -EINVAL);
REJECT(port_new_ifindex_zero, PORT_NEW, NEW, "u32:PORT_IFINDEX=0", -ERANGE);
REJECT(port_new_ifindex_u16, PORT_NEW, NEW, "u16:PORT_IFINDEX=$Q", -EINVAL);
REJECT(port_new_ifindex_u64, PORT_NEW, NEW, "u64:PORT_IFINDEX=$Q", -EINVAL);
REJECT(port_new_no_such_dev, PORT_NEW, NEW, "u32:PORT_IFINDEX=9999", -ENODEV);
REJECT(port_new_no_such_name, PORT_NEW, NEW, "str:PORT_NAME=nosuch0", -ENODEV);
REJECT(port_new_name_long, PORT_NEW, NEW, "str:PORT_NAME=abcdefghijklmnopq", -EINVAL);
REJECT(port_new_name_unterminated, PORT_NEW, NEW, "raw:PORT_NAME=6e66767431", -EINVAL);
REJECT(port_new_mode_range, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u8:PORT_MODE=2", -ERANGE);
REJECT(port_new_chain_range, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u16:PORT_DEFAULT_CHAIN=4096", -ERANGE);
REJECT(port_new_flags, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u32:PORT_FLAGS=0x80", -EOPNOTSUPP);
REJECT(port_new_decap_range, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=4", -ERANGE);
REJECT(port_new_decap_u16, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u16:PORT_DECAP=1", -EINVAL);
REJECT(port_new_vxlan_port_0, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=2 u16:PORT_VXLAN_PORT=0", -ERANGE);
REJECT(port_new_vni_range, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=2 u32:PORT_VNI=0x1000000", -ERANGE);
REJECT(port_new_vni_without_vxlan, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=1 u32:PORT_VNI=5", -EINVAL);
REJECT(port_new_vxlan_port_without_decap, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u16:PORT_VXLAN_PORT=4789", -EINVAL);
REJECT(port_new_reply_only, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u16:PORT_ID=3", -EINVAL);
REJECT(port_new_unknown_attr, PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q u32:40=1", -EINVAL);
REJECT(port_new_exists, PORT_NEW, NEW, "u32:PORT_IFINDEX=$P", -EEXIST);
REJECT(port_del_missing, PORT_DEL, 0, "", -EINVAL);
REJECT(port_del_not_port, PORT_DEL, 0, "u32:PORT_IFINDEX=$Q", -ENODEV);
REJECT(port_del_no_name, PORT_DEL, 0, "str:PORT_NAME=" PEER_DEV, -ENODEV);
REJECT(port_get_not_port, PORT_GET, 0, "u32:PORT_IFINDEX=$Q", -ENODEV);
REJECT(port_get_missing, PORT_GET, 0, "", -EINVAL);

/* chains */
REJECT(chain_new_missing_id, CHAIN_NEW, NEW, HOP_SVC(1), -EINVAL);
REJECT(chain_new_id_zero, CHAIN_NEW, NEW, "u16:CHAIN_ID=0 " HOP_SVC(1), -ERANGE);
REJECT(chain_new_id_range, CHAIN_NEW, NEW, "u16:CHAIN_ID=4096 " HOP_SVC(1), -ERANGE);
REJECT(chain_new_id_u32, CHAIN_NEW, NEW, "u32:CHAIN_ID=2 " HOP_SVC(1), -EINVAL);
REJECT(chain_new_no_hops, CHAIN_NEW, NEW, "u16:CHAIN_ID=2", -EINVAL);
REJECT(chain_new_hop_no_type, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u16:HOP_SERVICE=1 }", -EINVAL);
REJECT(chain_new_hop_type_zero, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=0 }", -ERANGE);
REJECT(chain_new_hop_type_range, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=6 }", -ERANGE);
REJECT(chain_new_hop_no_service, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=1 }", -EINVAL);
REJECT(chain_new_service_zero, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(0), -ERANGE);
REJECT(chain_new_service_range, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1024), -ERANGE);
REJECT(chain_new_hop_unknown, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=3 u8:9=1 }", -EINVAL);
REJECT(chain_new_hop_not_nested, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 u8:CHAIN_HOP=3", -EINVAL);
REJECT(chain_new_nine_hops, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) HOP_SVC(2) HOP_SVC(3)
       HOP_SVC(4) HOP_SVC(5) HOP_SVC(6) HOP_SVC(7) HOP_SVC(8) HOP_SVC(9), -E2BIG);
REJECT(chain_new_tap_first, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=4 u16:HOP_SERVICE=1 }", -EINVAL);
REJECT(chain_new_out_no_dev, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=2 }", -EINVAL);
REJECT(chain_new_out_not_port, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=2 u32:HOP_IFINDEX=$Q }", -ENODEV);
REJECT(chain_new_out_port_free, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=2 u16:HOP_PORT=7 }", -ENODEV);
REJECT(chain_new_out_port_range, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=2 u16:HOP_PORT=16 }", -ERANGE);
REJECT(chain_new_flags, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 u32:CHAIN_FLAGS=2 " HOP_SVC(1), -EOPNOTSUPP);
REJECT(chain_new_exists, CHAIN_NEW, NEW, "u16:CHAIN_ID=1 " HOP_SVC(2), -EEXIST);
REJECT(chain_new_bad_then_good_hop, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) HOP_SVC(0), -ERANGE);
/* nsh hops: a port and an SPI of 24 bits, last and never first */
#define HOP_NSH(spi)	"nest:CHAIN_HOP{ u8:HOP_TYPE=5 u32:HOP_IFINDEX=$P u32:HOP_SPI=" #spi " } "
REJECT(chain_new_nsh_no_spi, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) "nest:CHAIN_HOP{ u8:HOP_TYPE=5 u32:HOP_IFINDEX=$P }", -EINVAL);
REJECT(chain_new_nsh_spi_range, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) HOP_NSH(16777216), -ERANGE);
REJECT(chain_new_nsh_not_port, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) "nest:CHAIN_HOP{ u8:HOP_TYPE=5 u32:HOP_IFINDEX=$Q u32:HOP_SPI=1 }", -ENODEV);
REJECT(chain_new_nsh_first, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_NSH(1), -EINVAL);
REJECT(chain_new_nsh_not_last, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 " HOP_SVC(1) HOP_NSH(1) HOP_SVC(2), -EINVAL);
REJECT(chain_del_missing, CHAIN_DEL, 0, "", -EINVAL);
REJECT(chain_del_unknown, CHAIN_DEL, 0, "u16:CHAIN_ID=77", -ENOENT);
REJECT(chain_del_range, CHAIN_DEL, 0, "u16:CHAIN_ID=5000", -ERANGE);
REJECT(chain_get_missing, CHAIN_GET, 0, "", -EINVAL);
REJECT(chain_get_unknown, CHAIN_GET, 0, "u16:CHAIN_ID=77", -ENOENT);

/* flows */
REJECT(flow_new_missing_chain, FLOW_NEW, NEW, "bin:FLOW_DST=c6130000 u8:FLOW_DST_PLEN=16", -EINVAL);
REJECT(flow_new_chain_zero, FLOW_NEW, NEW, "u16:FLOW_CHAIN=0", -ERANGE);
REJECT(flow_new_chain_range, FLOW_NEW, NEW, "u16:FLOW_CHAIN=4096", -ERANGE);
REJECT(flow_new_addr_5, FLOW_NEW, NEW, "bin:FLOW_SRC=c613000001 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_addr_17, FLOW_NEW, NEW, "bin:FLOW_SRC=2001000000000000000000000000000101 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_plen_range, FLOW_NEW, NEW, "bin:FLOW_SRC=c6130000 u8:FLOW_SRC_PLEN=129 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_plen_v4, FLOW_NEW, NEW, "bin:FLOW_SRC=c6130000 u8:FLOW_SRC_PLEN=33 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_plen_alone, FLOW_NEW, NEW, "u8:FLOW_DST_PLEN=8 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_family, FLOW_NEW, NEW, "u8:FLOW_FAMILY=99 u16:FLOW_CHAIN=1", -EAFNOSUPPORT);
REJECT(flow_new_family_mix, FLOW_NEW, NEW, "bin:FLOW_SRC=c6130000 bin:FLOW_DST=20010000000000000000000000000001 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_port_no_proto, FLOW_NEW, NEW, "u16:FLOW_DPORT=80 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_port_icmp, FLOW_NEW, NEW, "u8:FLOW_PROTO=1 u16:FLOW_DPORT=80 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_range_empty, FLOW_NEW, NEW, "u8:FLOW_PROTO=6 u16:FLOW_DPORT=80 u16:FLOW_DPORT_MAX=79 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_range_no_low, FLOW_NEW, NEW, "u8:FLOW_PROTO=6 u16:FLOW_DPORT_MAX=79 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_in_not_port, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=$Q u16:FLOW_CHAIN=1", -ENODEV);
REJECT(flow_new_in_zero, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=0 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_proto_u16, FLOW_NEW, NEW, "u16:FLOW_PROTO=6 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_reply_only, FLOW_NEW, NEW, "flag:FLOW_EXACT u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_owner, FLOW_NEW, NEW, "u16:FLOW_OWNER=1 bin:FLOW_DST=c6130000 u8:FLOW_DST_PLEN=16 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_idle_range, FLOW_NEW, NEW, "bin:FLOW_DST=c6130000 u8:FLOW_DST_PLEN=16 u16:FLOW_CHAIN=1 u32:FLOW_IDLE_TIMEOUT=86400001", -ERANGE);
/* Idle timeouts are nfvd's; nfvd takes them on exact rules only. */
FIXTURE_VARIANT_ADD(reject, flow_new_idle) {
	.cmd = NFV_CMD_FLOW_NEW, .flags = NLM_F_CREATE | NLM_F_EXCL,
	.attrs = "bin:FLOW_DST=c6130000 u8:FLOW_DST_PLEN=16 u16:FLOW_CHAIN=1 u32:FLOW_IDLE_TIMEOUT=1000",
	.err = -EOPNOTSUPP, .daemon_err = -EINVAL,
};
REJECT(flow_new_exists_exact, FLOW_NEW, NEW, "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 "
       "u16:FLOW_SPORT=1000 u16:FLOW_DPORT=2000 u16:FLOW_CHAIN=1", -EEXIST);
REJECT(flow_new_exists_rule, FLOW_NEW, NEW, "bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=1", -EEXIST);
/* NSH paths: an SPI of 24 bits with an ingress port, an SI 1..255 with it */
REJECT(flow_new_spi_no_in, FLOW_NEW, NEW, "u32:FLOW_SPI=5 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_spi_range, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=16777216 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_si_no_spi, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=$P u8:FLOW_SI=3 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_new_si_zero, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=5 u8:FLOW_SI=0 u16:FLOW_CHAIN=1", -ERANGE);
REJECT(flow_new_spi_u16, FLOW_NEW, NEW, "u32:FLOW_IN_IFINDEX=$P u16:FLOW_SPI=5 u16:FLOW_CHAIN=1", -EINVAL);
REJECT(flow_del_unknown, FLOW_DEL, 0, "bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=25", -ENOENT);
REJECT(flow_get_unknown, FLOW_GET, 0, "bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=23", -ENOENT);

/* NFs, services, stats, maps */
REJECT(nf_get_missing, NF_GET, 0, "", -EINVAL);
REJECT(nf_get_zero, NF_GET, 0, "u16:NF_ID=0", -ERANGE);
REJECT(nf_get_range, NF_GET, 0, "u16:NF_ID=512", -ERANGE);
REJECT(nf_get_unknown, NF_GET, 0, "u16:NF_ID=5", -ENOENT);
REJECT(nf_get_name, NF_GET, 0, "str:NF_NAME=x", -EINVAL);
REJECT(service_get_missing, SERVICE_GET, 0, "", -EINVAL);
REJECT(service_get_zero, SERVICE_GET, 0, "u16:SERVICE_ID=0", -ERANGE);
REJECT(service_get_range, SERVICE_GET, 0, "u16:SERVICE_ID=1024", -ERANGE);
REJECT(service_get_empty, SERVICE_GET, 0, "u16:SERVICE_ID=9", -ENOENT);
REJECT(stats_get_attr, STATS_GET, 0, "str:STATS_BACKEND=x", -EINVAL);
REJECT_KO(maps_set_missing, MAPS_SET, 0, "", -EINVAL);
REJECT_KO(maps_set_not_map, MAPS_SET, 0, "u32:MAPS_PORTS=0 u32:MAPS_CHAINS=0 u32:MAPS_SERVICES=0 "
       "u32:MAPS_FLOWS=0 u32:MAPS_RULES=0", -EINVAL);
REJECT_KO(maps_set_bad_fd, MAPS_SET, 0, "u32:MAPS_PORTS=999 u32:MAPS_CHAINS=999 u32:MAPS_SERVICES=999 "
       "u32:MAPS_FLOWS=999 u32:MAPS_RULES=999", -EBADF);
REJECT_KO(maps_set_u16, MAPS_SET, 0, "u16:MAPS_PORTS=3", -EINVAL);
REJECT_KO(maps_set_legacy_flags, MAPS_SET, NLM_F_REPLACE, "u32:MAPS_PORTS=3", -EINVAL);

/* bytes after the last attribute, which would succeed without them */
REJECT(trailing_bytes, CHAIN_GET, 0, "u16:CHAIN_ID=1 tail:000000", -EINVAL);
REJECT(stats_get_trailing_bytes, STATS_GET, 0, "tail:000000", -EINVAL);
REJECT(trailing_byte_in_nest, CHAIN_NEW, NEW, "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=1 u16:HOP_SERVICE=1 tail:01 }", -EINVAL);

/* the genl core: unknown commands, and commands nfvd alone serves */
REJECT_CORE(unknown_cmd, 200, 0, "", -EOPNOTSUPP);
FIXTURE_VARIANT_ADD(reject, nf_attach) {
	.cmd = NFV_CMD_NF_ATTACH, .attrs = "u16:NF_SERVICE=1",
	.err = -EOPNOTSUPP, .no_msg = true, .nfvd_serves = true,
};
REJECT_CORE(nf_event, NFV_CMD_NF_EVENT, 0, "", -EOPNOTSUPP);
/* An NF's own counters are nfvd's: from root (no NF) nfvd refuses too. */
FIXTURE_VARIANT_ADD(reject, nf_counters_set_not_nf) {
	.cmd = NFV_CMD_NF_COUNTERS_SET, .attrs = "", .err = -EOPNOTSUPP,
	.no_msg = true, .daemon_err = -EPERM,
};
FIXTURE_VARIANT_ADD(reject, nf_counters_get_no_nf) {
	.cmd = NFV_CMD_NF_COUNTERS_GET, .attrs = "u16:NF_COUNTERS_ID=77",
	.err = -EOPNOTSUPP, .no_msg = true, .daemon_err = -ENOENT,
};

TEST_F(reject, refused_and_nothing_changes)
{
	struct fabric *f = &self->f;
	bool daemon = daemon_backend();
	int err, want = daemon && variant->daemon_err ? variant->daemon_err :
			variant->err;

	if (daemon && variant->nfvd_serves)
		SKIP(return, "legit: nfvd serves this command (nfv.ko alone refuses it)");
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->before));
	err = nl_do(&f->nl, variant->cmd, variant->flags, variant->attrs,
		    &f->v);
	TH_LOG("%s: cmd %u \"%s\": %s (extack \"%s\")",
	       daemon ? "nfvd" : "nfv.ko", variant->cmd, variant->attrs,
	       strerror(-err), f->nl.ext);
	EXPECT_EQ(want, err);
	if (!variant->no_msg)
		EXPECT_NE(0, f->nl.ext[0]);
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->after));
	EXPECT_EQ(f->before.len, f->after.len);
	EXPECT_EQ(0, memcmp(f->before.buf, f->after.buf,
			    f->before.len < f->after.len ? f->before.len :
			    f->after.len));
}

/* ---- working paths ---- */

FIXTURE(nfv) {
	struct fabric f;
};

FIXTURE_SETUP(nfv)
{
	const char *why = NULL;
	int r = fabric_setup(&self->f, &why);

	if (r > 0)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, r);
}

FIXTURE_TEARDOWN(nfv)
{
	nl_close(&self->f.nl);
	nl_close(&self->f.binder);
}

static uint32_t get_attr_u(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type) {
			switch (mnl_attr_get_payload_len(a)) {
			case 1:
				return mnl_attr_get_u8(a);
			case 2:
				return mnl_attr_get_u16(a);
			default:
				return mnl_attr_get_u32(a);
			}
		}
	return UINT32_MAX;
}

struct collect {
	int n;
	uint32_t id[1024];
	int type;
	const struct nlmsghdr *last;
	char last_buf[4096];
};

static void collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;

	if (c->n < 1024)
		c->id[c->n] = get_attr_u(nlh, c->type);
	c->n++;
	if (nlh->nlmsg_len <= sizeof(c->last_buf)) {
		memcpy(c->last_buf, nlh, nlh->nlmsg_len);
		c->last = (void *)c->last_buf;
	}
}

static int dump_ids(struct nl *nl, uint8_t cmd, int type, struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->type = type;
	return nl_talk(nl, nl_req(nl, cmd, NLM_F_DUMP), collect_cb, c);
}

TEST_F(nfv, chains_roundtrip_and_map)
{
	struct fabric *f = &self->f;
	struct nfv_chain c;
	struct collect col;
	uint32_t key = 2;

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW,
			   "u16:CHAIN_ID=2 u32:CHAIN_FLAGS=1 " HOP_SVC(5)
			   "nest:CHAIN_HOP{ u8:HOP_TYPE=4 u16:HOP_SERVICE=6 } "
			   "nest:CHAIN_HOP{ u8:HOP_TYPE=2 u32:HOP_IFINDEX=$P }",
			   &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
	EXPECT_EQ(3, c.n_hops);
	EXPECT_EQ(NFV_CHAIN_F_NO_OVERRIDE, c.flags);
	EXPECT_EQ(NFV_HOP_SERVICE, c.hops[0].type);
	EXPECT_EQ(5, c.hops[0].arg);
	EXPECT_EQ(NFV_HOP_TAP, c.hops[1].type);
	EXPECT_EQ(NFV_HOP_OUT, c.hops[2].type);
	EXPECT_EQ(1, c.hops[2].arg);		/* port id of nfvt0 */

	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_CHAIN_GET, NFV_A_CHAIN_ID, &col));
	ASSERT_EQ(2, col.n);
	EXPECT_EQ(1, col.id[0]);
	EXPECT_EQ(2, col.id[1]);

	/* replace needs NLM_F_REPLACE; then the map follows */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NLM_F_CREATE | NLM_F_REPLACE,
			   "u16:CHAIN_ID=2 " HOP_SVC(9), &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
	EXPECT_EQ(1, c.n_hops);
	EXPECT_EQ(9, c.hops[0].arg);

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=2", &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
	EXPECT_EQ(0, c.n_hops);
	EXPECT_EQ(-ENOENT, nl_do(&f->nl, NFV_CMD_CHAIN_GET, 0, "u16:CHAIN_ID=2", &f->v));
}

TEST_F(nfv, flows_exact_and_rules)
{
	struct fabric *f = &self->f;
	struct nfv_flow_key k = {
		.src = { htonl(0xc6120001) }, .dst = { htonl(0xc6120002) },
		.sport = htons(1000), .dport = htons(2000),
		.proto = 17, .family = AF_INET,
	};
	struct nfv_prefix_rule r[3];
	struct nfv_flow_val v;
	struct collect col;
	uint32_t i;

	/* setup added one exact flow and one rule */
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.flows, &k, &v));
	EXPECT_EQ(1, v.chain);
	/* a more specific rule goes first, whatever the order of adding */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
			   "u8:FLOW_PROTO=6 bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24 "
			   "u16:FLOW_DPORT=80 u16:FLOW_DPORT_MAX=90 u16:FLOW_CHAIN=1",
			   &f->v));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.rules, &i, &r[i]));
	EXPECT_EQ(6, r[0].proto);
	EXPECT_EQ(80, r[0].dport_lo);
	EXPECT_EQ(90, r[0].dport_hi);
	EXPECT_EQ(htonl(0xffffff00), r[0].dst_mask[0]);
	EXPECT_EQ(0, r[1].proto);
	EXPECT_EQ(1, r[1].chain);
	EXPECT_EQ(0, r[2].chain);		/* terminator */

	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_FLOW_GET, NFV_A_FLOW_CHAIN, &col));
	EXPECT_EQ(3, col.n);

	/* delete the exact one: gone from the map */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
			   "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 "
			   "u16:FLOW_SPORT=1000 u16:FLOW_DPORT=2000", &f->v));
	EXPECT_NE(0, bpf_map_lookup_elem(f->maps.flows, &k, &v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
			   "u8:FLOW_PROTO=6 bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24 "
			   "u16:FLOW_DPORT=80 u16:FLOW_DPORT_MAX=90", &f->v));
	i = 0;
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.rules, &i, &r[0]));
	EXPECT_EQ(0, r[0].proto);
	EXPECT_EQ(1, r[0].chain);
}

TEST_F(nfv, prefix_rules_limit)
{
	struct fabric *f = &self->f;
	char spec[128];
	int i;

	/* one rule exists: 63 more fit, the 65th does not */
	for (i = 0; i < 63; i++) {
		snprintf(spec, sizeof(spec),
			 "bin:FLOW_DST=c613%02x00 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=1", i);
		ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW, spec, &f->v));
	}
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->before));
	EXPECT_EQ(-ENOSPC, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
				 "bin:FLOW_DST=c613ff00 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=1",
				 &f->v));
	EXPECT_NE(0, f->nl.ext[0]);
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->after));
	ASSERT_EQ(f->before.len, f->after.len);
	EXPECT_EQ(0, memcmp(f->before.buf, f->after.buf, f->before.len));
}

TEST_F(nfv, exact_flows_fill_the_map)
{
	struct fabric *f = &self->f;
	char spec[200];
	int i, err = 0;

	/* the map holds 1024: one is there, 1023 more fit */
	for (i = 0; i < 1023 && !err; i++) {
		snprintf(spec, sizeof(spec),
			 "u8:FLOW_PROTO=6 bin:FLOW_SRC=c6130001 bin:FLOW_DST=c6130002 "
			 "u16:FLOW_SPORT=%d u16:FLOW_DPORT=80 u16:FLOW_CHAIN=1", i + 1);
		err = nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW, spec, &f->v);
	}
	ASSERT_EQ(0, err);
	EXPECT_EQ(-ENOSPC, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
				 "u8:FLOW_PROTO=6 bin:FLOW_SRC=c6130001 bin:FLOW_DST=c6130002 "
				 "u16:FLOW_SPORT=9999 u16:FLOW_DPORT=80 u16:FLOW_CHAIN=1",
				 &f->v));
	EXPECT_STREQ("flow table full", f->nl.ext);
}

TEST_F(nfv, ports_and_netdev_removal)
{
	struct fabric *f = &self->f;
	struct nfv_port_cfg cfg;
	struct collect col;
	uint32_t key = f->v.peer;

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW,
			   "u32:PORT_IFINDEX=$Q u8:PORT_MODE=1 u32:PORT_FLAGS=2", &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.ports, &key, &cfg));
	EXPECT_EQ(2, cfg.id);
	EXPECT_EQ(NFV_PORT_F_GENERIC | NFV_PORT_F_FAIL_CLOSED, cfg.flags);
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_PORT_GET, NFV_A_PORT_ID, &col));
	EXPECT_EQ(2, col.n);

	/* deleting the netdev takes both ports away (veth peers go together) */
	ASSERT_EQ(0, sh("ip link del " PORT_DEV));
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_PORT_GET, NFV_A_PORT_ID, &col));
	EXPECT_EQ(0, col.n);
	EXPECT_NE(0, bpf_map_lookup_elem(f->maps.ports, &key, &cfg));
}

struct port_decap_reply {
	int n;
	uint8_t decap;
	uint16_t vxlan_port;
	uint32_t vni;
	bool has_vxlan_port, has_vni;
};

static void port_decap_cb(const struct nlmsghdr *nlh, void *data)
{
	struct port_decap_reply *r = data;
	const struct nlattr *a;

	r->n++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case NFV_A_PORT_DECAP:
			r->decap = mnl_attr_get_u8(a);
			break;
		case NFV_A_PORT_VXLAN_PORT:
			r->has_vxlan_port = true;
			r->vxlan_port = mnl_attr_get_u16(a);
			break;
		case NFV_A_PORT_VNI:
			r->has_vni = true;
			r->vni = mnl_attr_get_u32(a);
			break;
		}
	}
}

TEST_F(nfv, port_decap)
{
	struct fabric *f = &self->f;
	struct port_decap_reply r = {};
	struct nfv_port_cfg cfg;
	uint32_t key = f->v.peer;
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW,
			   "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=2 u16:PORT_VXLAN_PORT=8472 u32:PORT_VNI=0xabcdef",
			   &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.ports, &key, &cfg));
	EXPECT_EQ(NFV_PORT_DECAP_VXLAN, cfg.decap);
	EXPECT_EQ(NFV_PORT_DECAP_F_VNI, cfg.decap_flags);
	EXPECT_EQ(htons(8472), cfg.vxlan_port);
	EXPECT_EQ(0xabcdef, cfg.vni);

	nlh = nl_req(&f->nl, NFV_CMD_PORT_GET, 0);
	mnl_attr_put_u32(nlh, NFV_A_PORT_IFINDEX, f->v.peer);
	ASSERT_EQ(0, nl_talk(&f->nl, nlh, port_decap_cb, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_EQ(NFV_PORT_DECAP_VXLAN, r.decap);
	EXPECT_TRUE(r.has_vxlan_port);
	EXPECT_EQ(8472, r.vxlan_port);
	EXPECT_TRUE(r.has_vni);
	EXPECT_EQ(0xabcdef, r.vni);

	/* vlan: no VXLAN attributes; the default port for vxlan. */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_DEL, 0, "u32:PORT_IFINDEX=$Q",
			   &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW,
			   "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=1", &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.ports, &key, &cfg));
	EXPECT_EQ(NFV_PORT_DECAP_VLAN, cfg.decap);
	EXPECT_EQ(0, cfg.decap_flags);
	memset(&r, 0, sizeof(r));
	nlh = nl_req(&f->nl, NFV_CMD_PORT_GET, 0);
	mnl_attr_put_u32(nlh, NFV_A_PORT_IFINDEX, f->v.peer);
	ASSERT_EQ(0, nl_talk(&f->nl, nlh, port_decap_cb, &r));
	EXPECT_EQ(NFV_PORT_DECAP_VLAN, r.decap);
	EXPECT_FALSE(r.has_vxlan_port);
	EXPECT_FALSE(r.has_vni);
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_DEL, 0, "u32:PORT_IFINDEX=$Q",
			   &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW,
			   "u32:PORT_IFINDEX=$Q u8:PORT_DECAP=2", &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.ports, &key, &cfg));
	EXPECT_EQ(htons(NFV_VXLAN_PORT_DEFAULT), cfg.vxlan_port);
	EXPECT_EQ(0, cfg.decap_flags);
}

/* ---- events ---- */

static struct nl *events_open(struct nl *nl)
{
	static struct nl ev;
	int grp;

	if (nl_open(&ev))
		return NULL;
	grp = nl->mcgrp;
	if (mnl_socket_setsockopt(ev.sk, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)))
		return NULL;
	return &ev;
}

/* Next event of @cmd within a second, copied into @buf. */
static struct nlmsghdr *event_next(struct nl *ev, uint8_t cmd, char *buf,
				   size_t size)
{
	struct timeval tv = { .tv_sec = 1 };
	int fd = mnl_socket_get_fd(ev->sk);

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		int n = recv(fd, buf, size, 0);
		struct nlmsghdr *nlh = (void *)buf;

		if (n <= 0)
			return NULL;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type == ev->family && g->cmd == cmd) {
				memmove(buf, nlh, nlh->nlmsg_len);
				return (void *)buf;
			}
		}
	}
}

TEST_F(nfv, events)
{
	struct fabric *f = &self->f;
	char buf[8192];
	struct nlmsghdr *e;
	struct nl *ev;

	ASSERT_NE(0, f->nl.mcgrp);
	ev = events_open(&f->nl);
	ASSERT_NE(NULL, ev);

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW, "u16:CHAIN_ID=3 " HOP_SVC(4),
			   &f->v));
	e = event_next(ev, NFV_CMD_CHAIN_EVENT, buf, sizeof(buf));
	ASSERT_NE(NULL, e);
	EXPECT_EQ(3, get_attr_u(e, NFV_A_CHAIN_ID));
	EXPECT_NE(UINT32_MAX, get_attr_u(e, NFV_A_CHAIN_HOP));

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=3", &f->v));
	e = event_next(ev, NFV_CMD_CHAIN_EVENT, buf, sizeof(buf));
	ASSERT_NE(NULL, e);
	EXPECT_EQ(3, get_attr_u(e, NFV_A_CHAIN_ID));
	EXPECT_EQ(UINT32_MAX, get_attr_u(e, NFV_A_CHAIN_HOP));	/* deleted */

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_DEL, 0, "str:PORT_NAME=" PORT_DEV, &f->v));
	e = event_next(ev, NFV_CMD_PORT_EVENT, buf, sizeof(buf));
	ASSERT_NE(NULL, e);
	EXPECT_EQ(f->v.port, get_attr_u(e, NFV_A_PORT_IFINDEX));
	EXPECT_NE(UINT32_MAX, get_attr_u(e, NFV_A_PORT_REMOVED));
	nl_close(ev);
}

/* ---- NFs through /dev/nfv ---- */

static int nf_attach(uint16_t service, const char *name, uint16_t *id)
{
	struct nfv_dev_attach a = { .service = service };
	int fd = open("/dev/" NFV_DEV_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	snprintf(a.name, sizeof(a.name), "%s", name);
	if (ioctl(fd, NFV_IOC_ATTACH, &a) || ioctl(fd, NFV_IOC_READY)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*id = a.id;
	return fd;
}

static int service_replicas(struct nl *nl, uint16_t sid, struct collect *c)
{
	struct nlmsghdr *nlh = nl_req(nl, NFV_CMD_SERVICE_GET, 0);
	const struct nlattr *a;
	int err, n = 0;

	memset(c, 0, sizeof(*c));
	mnl_attr_put_u16(nlh, NFV_A_SERVICE_ID, sid);
	c->type = NFV_A_SERVICE_ID;
	err = nl_talk(nl, nlh, collect_cb, c);
	if (err)
		return err;
	/* the replicas are the REPLICA attributes of the one reply */
	mnl_attr_for_each(a, c->last, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == NFV_A_SERVICE_REPLICA)
			c->id[n++] = mnl_attr_get_u16(a);
	c->n = n;
	return 0;
}

TEST_F(nfv, nf_lifecycle_and_crash)
{
	struct fabric *f = &self->f;
	struct nfv_service s;
	struct collect col;
	uint16_t id1, id2;
	uint32_t key = 7;
	char buf[8192], spec[32];
	struct nlmsghdr *e;
	int fd1, pipefd[2], i;
	struct nl *ev;
	pid_t child;

	ev = events_open(&f->nl);
	ASSERT_NE(NULL, ev);
	fd1 = nf_attach(7, "first", &id1);
	ASSERT_LE(0, fd1);

	/* a second replica in a process we will kill -9 */
	ASSERT_EQ(0, pipe(pipefd));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int fd = nf_attach(7, "victim", &id2);

		if (write(pipefd[1], &id2, sizeof(id2)) != sizeof(id2) || fd < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(id2), read(pipefd[0], &id2, sizeof(id2)));
	ASSERT_NE(id1, id2);

	ASSERT_EQ(0, service_replicas(&f->nl, 7, &col));
	ASSERT_EQ(2, col.n);
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.services, &key, &s));
	EXPECT_EQ(2, s.n_live);
	for (i = 0; i < NFV_BUCKETS; i++)
		EXPECT_TRUE(s.buckets[i] == id1 || s.buckets[i] == id2);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* the DEAD event comes once no program can steer to it */
	do {
		e = event_next(ev, NFV_CMD_NF_EVENT, buf, sizeof(buf));
		ASSERT_NE(NULL, e);
	} while (get_attr_u(e, NFV_A_NF_ID) != id2 ||
		 get_attr_u(e, NFV_A_NF_STATE) != NFV_NF_STATE_DEAD);
	EXPECT_EQ(7, get_attr_u(e, NFV_A_NF_SERVICE));

	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.services, &key, &s));
	EXPECT_EQ(1, s.n_live);
	EXPECT_EQ(id1, s.replicas[0]);
	for (i = 0; i < NFV_BUCKETS; i++)
		EXPECT_EQ(id1, s.buckets[i]);
	ASSERT_EQ(0, service_replicas(&f->nl, 7, &col));
	EXPECT_EQ(1, col.n);
	snprintf(spec, sizeof(spec), "u16:NF_ID=%u", id2);
	EXPECT_EQ(-ENOENT, nl_do(&f->nl, NFV_CMD_NF_GET, 0, spec, &f->v));
	snprintf(spec, sizeof(spec), "u16:NF_ID=%u", id1);
	EXPECT_EQ(0, nl_do(&f->nl, NFV_CMD_NF_GET, 0, spec, &f->v));

	close(fd1);
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.services, &key, &s));
	EXPECT_EQ(0, s.n_live);
	EXPECT_EQ(-ENOENT, service_replicas(&f->nl, 7, &col));
	nl_close(ev);
}

TEST_F(nfv, nf_ioctl_errors)
{
	struct nfv_dev_attach a = { .service = 3, .name = "x" };
	int fd, fds[NFV_REPLICA_MAX + 1], i;
	uint16_t id;

	fd = open("/dev/" NFV_DEV_NAME, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_READY));
	EXPECT_EQ(ENOTCONN, errno);
	a.service = 0;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(ERANGE, errno);
	a.service = 1024;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(ERANGE, errno);
	a.service = 3;
	a.flags = 0x100;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	a.flags = 0;
	a.pad = 1;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);
	a.pad = 0;
	memset(a.name, 'a', sizeof(a.name));
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);
	a.name[0] = '\0';
	a.pid = 0x7ffffff0;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(ESRCH, errno);
	a.pid = 0;
	EXPECT_EQ(-1, ioctl(fd, _IO(NFV_IOC_MAGIC, 99)));
	EXPECT_EQ(ENOTTY, errno);
	ASSERT_EQ(0, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_NE(0, a.id);
	a.id = 0;
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_ATTACH, &a));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, ioctl(fd, NFV_IOC_READY));
	EXPECT_EQ(-1, ioctl(fd, NFV_IOC_READY));
	EXPECT_EQ(EALREADY, errno);
	close(fd);

	/* a replica set holds NFV_REPLICA_MAX */
	for (i = 0; i < NFV_REPLICA_MAX; i++) {
		fds[i] = nf_attach(4, "r", &id);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(-ENOSPC, nf_attach(4, "r", &id));
	for (i = 0; i < NFV_REPLICA_MAX; i++)
		close(fds[i]);
}

/*
 * OWNER and IDLE_TIMEOUT: nfvd's to write (the binder), anyone's to read;
 * an idle timeout on an exact rule only, from the binder too.
 */
/* The exact rule owner_and_idle_from_the_binder_only plays with. */
#define RULE1001 "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 " \
		 "u16:FLOW_SPORT=1001 u16:FLOW_DPORT=2000 "

/* How many rules a flow dump gives with attribute @type equal to @val. */
static int dumped_with(struct fabric *f, int type, uint32_t val)
{
	struct collect col;
	int i, n = 0;

	if (dump_ids(&f->nl, NFV_CMD_FLOW_GET, type, &col))
		return -1;
	for (i = 0; i < col.n && i < 1024; i++)
		n += col.id[i] == val;
	return n;
}

/* An nsh hop and a rule on an NSH path: stored, in the maps, dumped. */
TEST_F(nfv, nsh_hop_and_path_rule)
{
	struct fabric *f = &self->f;
	struct nfv_prefix_rule r;
	struct nfv_chain c;
	const struct nlattr *a, *h;
	uint32_t key = 3, i, spi = 0;
	struct collect col;
	int n;

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW,
			   "u16:CHAIN_ID=3 " HOP_SVC(5) HOP_NSH(16777215),
			   &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
	EXPECT_EQ(2, c.n_hops);
	EXPECT_EQ(NFV_HOP_NSH, c.hops[1].type);
	EXPECT_EQ(1, c.hops[1].arg);		/* port id of nfvt0 */
	EXPECT_EQ(16777215u, c.nsh_spi);
	/* The dump gives the hop's SPI back (chain 3 comes last). */
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_CHAIN_GET, NFV_A_CHAIN_ID, &col));
	ASSERT_NE(NULL, col.last);
	EXPECT_EQ(3u, get_attr_u(col.last, NFV_A_CHAIN_ID));
	mnl_attr_for_each(a, col.last, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == NFV_A_CHAIN_HOP)
			mnl_attr_for_each_nested(h, a)
				if (mnl_attr_get_type(h) == NFV_A_HOP_SPI)
					spi = mnl_attr_get_u32(h);
	EXPECT_EQ(16777215u, spi);

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
			   "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100 u8:FLOW_SI=254 "
			   "u16:FLOW_CHAIN=3", &f->v));
	/* The same path without the SI is another rule. */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
			   "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100 u16:FLOW_CHAIN=1",
			   &f->v));
	EXPECT_EQ(-EEXIST, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
				 "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100 "
				 "u8:FLOW_SI=254 u16:FLOW_CHAIN=1", &f->v));
	EXPECT_EQ(2, dumped_with(f, NFV_A_FLOW_SPI, 100));
	EXPECT_EQ(1, dumped_with(f, NFV_A_FLOW_SI, 254));
	/*
	 * In the scan order (behind the fixture's rules that rank higher):
	 * first the one with an SI (more specific), then the other.
	 */
	for (i = 0, n = 0; i < NFV_PREFIX_RULES_MAX; i++) {
		ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.rules, &i, &r));
		if (!r.chain)
			break;
		if (!r.nsh)
			continue;
		EXPECT_EQ(1, r.in_port);
		EXPECT_EQ(100u, r.spi);
		EXPECT_EQ(n ? NFV_RULE_NSH_SPI :
			  NFV_RULE_NSH_SPI | NFV_RULE_NSH_SI, r.nsh);
		EXPECT_EQ(n ? 0 : 254, r.si);
		EXPECT_EQ(n ? 1 : 3, r.chain);
		n++;
	}
	EXPECT_EQ(2, n);
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
			   "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100 u8:FLOW_SI=254",
			   &f->v));
	EXPECT_EQ(-ENOENT, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
				 "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100 u8:FLOW_SI=254",
				 &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
			   "u32:FLOW_IN_IFINDEX=$P u32:FLOW_SPI=100", &f->v));
	EXPECT_EQ(0, dumped_with(f, NFV_A_FLOW_SPI, 100));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=3", &f->v));
}

TEST_F(nfv, owner_and_idle_from_the_binder_only)
{
	struct fabric *f = &self->f;
	struct collect col;

	EXPECT_EQ(-EINVAL, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
				 RULE1001 "u16:FLOW_CHAIN=1 "
				 "u16:FLOW_OWNER=3", &f->v));
	EXPECT_EQ(-EOPNOTSUPP, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
				     RULE1001 "u16:FLOW_CHAIN=1 "
				     "u32:FLOW_IDLE_TIMEOUT=1000", &f->v));
	EXPECT_EQ(-EINVAL, nl_do(&f->binder, NFV_CMD_FLOW_NEW, NEW,
				 "bin:FLOW_DST=c6130000 u8:FLOW_DST_PLEN=16 u16:FLOW_CHAIN=1 "
				 "u32:FLOW_IDLE_TIMEOUT=1000", &f->v));
	ASSERT_EQ(0, nl_do(&f->binder, NFV_CMD_FLOW_NEW, NEW,
			   RULE1001 "u16:FLOW_CHAIN=1 "
			   "u16:FLOW_OWNER=3 u32:FLOW_IDLE_TIMEOUT=1000", &f->v));
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_FLOW_GET, NFV_A_FLOW_SPORT, &col));
	EXPECT_EQ(3, col.n);	/* the fixture's two, and this one */
	EXPECT_EQ(1, dumped_with(f, NFV_A_FLOW_OWNER, 3));
	EXPECT_EQ(1, dumped_with(f, NFV_A_FLOW_IDLE_TIMEOUT, 1000));
	/* nfvd's NLM_F_REPLACE: the owner goes, in place; anyone else's: EEXIST. */
	EXPECT_EQ(-EEXIST, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NLM_F_REPLACE,
				 RULE1001 "u16:FLOW_CHAIN=1", &f->v));
	EXPECT_EQ(-EINVAL, nl_do(&f->binder, NFV_CMD_FLOW_NEW, NLM_F_REPLACE,
				 RULE1001 "u16:FLOW_CHAIN=2", &f->v));
	ASSERT_EQ(0, nl_do(&f->binder, NFV_CMD_FLOW_NEW, NLM_F_REPLACE,
			   RULE1001 "u16:FLOW_CHAIN=1 "
			   "u32:FLOW_IDLE_TIMEOUT=1000", &f->v));
	EXPECT_EQ(0, dumped_with(f, NFV_A_FLOW_OWNER, 3));
	EXPECT_EQ(1, dumped_with(f, NFV_A_FLOW_IDLE_TIMEOUT, 1000));
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_FLOW_GET, NFV_A_FLOW_SPORT, &col));
	EXPECT_EQ(3, col.n);	/* replaced, not added */
	/* Anyone (root) deletes it. */
	EXPECT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
			   "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 "
			   "u16:FLOW_SPORT=1001 u16:FLOW_DPORT=2000", &f->v));
}

TEST_F(nfv, maps_follow_binding)
{
	struct fabric *f = &self->f;
	struct maps m2;
	struct nl binder;
	struct nfv_chain c;
	uint32_t key = 1, cfgkey = f->v.port;
	struct nfv_port_cfg cfg;

	/* a second binder gets the whole state at once */
	ASSERT_EQ(0, nl_open(&binder));
	ASSERT_EQ(0, maps_create(&m2, 64));
	ASSERT_EQ(0, maps_bind(&binder, &m2));
	ASSERT_EQ(0, bpf_map_lookup_elem(m2.chains, &key, &c));
	EXPECT_EQ(1, c.n_hops);
	ASSERT_EQ(0, bpf_map_lookup_elem(m2.ports, &cfgkey, &cfg));
	EXPECT_EQ(1, cfg.default_chain);
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_MAPS_GET, 0, "", &f->v));

	/* the old maps are no longer written */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW, "u16:CHAIN_ID=8 " HOP_SVC(1),
			   &f->v));
	key = 8;
	ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
	EXPECT_EQ(0, c.n_hops);
	ASSERT_EQ(0, bpf_map_lookup_elem(m2.chains, &key, &c));
	EXPECT_EQ(1, c.n_hops);

	/* the binder goes away: the module lets the maps go */
	nl_close(&binder);
	EXPECT_EQ(-ENOENT, nl_do(&f->nl, NFV_CMD_MAPS_GET, 0, "", &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=8", &f->v));
	ASSERT_EQ(0, bpf_map_lookup_elem(m2.chains, &key, &c));
	EXPECT_EQ(1, c.n_hops);
}

TEST_F(nfv, wrong_map_layout)
{
	struct fabric *f = &self->f;
	struct maps m2;
	int bad;

	ASSERT_EQ(0, maps_create(&m2, 64));
	bad = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nfv_chains", 4,
			     sizeof(struct nfv_chain) + 4, NFV_CHAIN_MAX + 1,
			     NULL);
	ASSERT_LE(0, bad);
	close(m2.chains);
	m2.chains = bad;
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->before));
	EXPECT_EQ(-EINVAL, maps_bind(&f->nl, &m2));
	EXPECT_NE(0, f->nl.ext[0]);
	ASSERT_EQ(0, snapshot(&f->nl, &f->maps, &f->after));
	ASSERT_EQ(f->before.len, f->after.len);
	EXPECT_EQ(0, memcmp(f->before.buf, f->after.buf, f->before.len));
	/* and the old binding still holds */
	EXPECT_EQ(0, nl_do(&f->nl, NFV_CMD_MAPS_GET, 0, "", &f->v));
}

TEST_F(nfv, stats)
{
	struct fabric *f = &self->f;
	struct collect col = { .type = NFV_A_STATS_PORT };
	const struct nlattr *a;
	int ports = 0;
	bool kernel = false;

	ASSERT_EQ(0, nl_talk(&f->nl, nl_req(&f->nl, NFV_CMD_STATS_GET, 0),
			     collect_cb, &col));
	ASSERT_NE(NULL, col.last);
	mnl_attr_for_each(a, col.last, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == NFV_A_STATS_PORT)
			ports++;
		if (mnl_attr_get_type(a) == NFV_A_STATS_BACKEND)
			kernel = !strcmp(mnl_attr_get_str(a), "kernel");
	}
	EXPECT_EQ(1, ports);
	EXPECT_TRUE(kernel);
}

/* Mutating commands need CAP_NET_ADMIN; reading does not. */
TEST_F(nfv, admin_perm)
{
	struct fabric *f = &self->f;
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};
	struct collect col;

	ASSERT_EQ(0, syscall(SYS_capset, &h, d));
	EXPECT_EQ(-EPERM, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW, "u16:CHAIN_ID=9 " HOP_SVC(1),
				&f->v));
	EXPECT_EQ(-EPERM, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=1", &f->v));
	EXPECT_EQ(-EPERM, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW, "u32:PORT_IFINDEX=$Q", &f->v));
	EXPECT_EQ(-EPERM, nl_do(&f->nl, NFV_CMD_FLOW_DEL, 0,
				"bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24", &f->v));
	EXPECT_EQ(-EPERM, nl_do(&f->nl, NFV_CMD_MAPS_GET, 0, "", &f->v));
	EXPECT_EQ(0, dump_ids(&f->nl, NFV_CMD_CHAIN_GET, NFV_A_CHAIN_ID, &col));
	EXPECT_EQ(1, col.n);
}

/*
 * Writers race: 4 processes, each its own socket, add and delete chains
 * (their own ids and shared ones) and flows, while a fifth dumps.  At
 * the end the tables are exactly what the writers left, the map agrees,
 * and no request failed other than with EEXIST/ENOENT on shared ids.
 */
#define WRITERS		4
#define ROUNDS		150

TEST_F_TIMEOUT(nfv, concurrent_writers, 300)
{
	struct fabric *f = &self->f;
	struct collect col;
	pid_t pids[WRITERS + 1];
	int w, st, bad = 0;
	uint32_t key;

	for (w = 0; w <= WRITERS; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w])
			continue;
		struct nl nl;
		char spec[200];
		int r, err, fails = 0;

		if (nl_open(&nl))
			_exit(2);
		for (r = 0; r < ROUNDS; r++) {
			if (w == WRITERS) {	/* the dumper */
				struct collect c;

				if (dump_ids(&nl, NFV_CMD_CHAIN_GET,
					     NFV_A_CHAIN_ID, &c) ||
				    dump_ids(&nl, NFV_CMD_FLOW_GET,
					     NFV_A_FLOW_CHAIN, &c))
					fails++;
				continue;
			}
			/* own chain: add, replace, keep every other one */
			snprintf(spec, sizeof(spec), "u16:CHAIN_ID=%d " HOP_SVC(2),
				 100 + w * 1000 + r);
			if (nl_do(&nl, NFV_CMD_CHAIN_NEW, NEW, spec, &f->v))
				fails++;
			if (r % 2 && nl_do(&nl, NFV_CMD_CHAIN_DEL, 0, spec, &f->v))
				fails++;
			/* shared chain 50: only EEXIST/ENOENT may refuse */
			err = nl_do(&nl, NFV_CMD_CHAIN_NEW, NEW,
				    "u16:CHAIN_ID=50 " HOP_SVC(3), &f->v);
			if (err && err != -EEXIST)
				fails++;
			err = nl_do(&nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=50", &f->v);
			if (err && err != -ENOENT)
				fails++;
			/* own exact flow */
			snprintf(spec, sizeof(spec),
				 "u8:FLOW_PROTO=6 bin:FLOW_SRC=c6130001 bin:FLOW_DST=c6130002 "
				 "u16:FLOW_SPORT=%d u16:FLOW_DPORT=%d u16:FLOW_CHAIN=1",
				 w + 1, r + 1);
			if (nl_do(&nl, NFV_CMD_FLOW_NEW, NEW, spec, &f->v))
				fails++;
		}
		_exit(fails ? 1 : 0);
	}
	for (w = 0; w <= WRITERS; w++) {
		ASSERT_EQ(pids[w], waitpid(pids[w], &st, 0));
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	EXPECT_EQ(0, bad);

	/* chain 1, and each writer's odd-round chains were deleted */
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_CHAIN_GET, NFV_A_CHAIN_ID, &col));
	EXPECT_EQ(1 + WRITERS * (ROUNDS / 2), col.n);
	ASSERT_EQ(0, dump_ids(&f->nl, NFV_CMD_FLOW_GET, NFV_A_FLOW_CHAIN, &col));
	EXPECT_EQ(2 + WRITERS * ROUNDS, col.n);
	for (w = 0; w < WRITERS; w++) {
		struct nfv_chain c;

		key = 100 + w * 1000;		/* round 0: kept */
		ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
		EXPECT_EQ(1, c.n_hops);
		key++;				/* round 1: deleted */
		ASSERT_EQ(0, bpf_map_lookup_elem(f->maps.chains, &key, &c));
		EXPECT_EQ(0, c.n_hops);
	}
}

/*
 * ---- the real classifier reads what the module writes ----
 *
 * bpf/nfv_xdp.bpf.o (the one program of both backends) is loaded, its maps
 * handed to the module, and a UDP frame run through it (BPF_PROG_RUN,
 * ingress nfvt0) after each change made over netlink or /dev/nfv.  The
 * outcome and the port's counters (read back through PORT_GET, i.e. by
 * the module from the stats map) show which table the program followed.
 */
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>

FIXTURE(xdp) {
	struct fabric f;
	struct bpf_object *obj;
	int prog;
	uint8_t frame[64];
};

FIXTURE_SETUP(xdp)
{
	const char *path = getenv("NFV_BPF_OBJ") ?: "build/bpf/nfv_xdp.bpf.o";
	struct fabric *f = &self->f;
	struct ethhdr *eth = (void *)self->frame;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	const char *names[] = { "nfv_ports", "nfv_chains", "nfv_services",
				"nfv_flows", "nfv_rules", "nfv_devmap",
				"nfv_xdp_stats" };
	int *fds[] = { &f->maps.ports, &f->maps.chains, &f->maps.services,
		       &f->maps.flows, &f->maps.rules, &f->maps.devmap,
		       &f->maps.stats };
	size_t i;

	if (unshare(CLONE_NEWNET))
		SKIP(return, "unshare(CLONE_NEWNET) failed (not root?)");
	if (nl_open(&f->nl))
		SKIP(return, "nfv.ko not loaded");
	if (access(path, R_OK))
		SKIP(return, "%s not built", path);
	ASSERT_EQ(0, sh("ip link add " PORT_DEV " type veth peer name " PEER_DEV
			" && ip link set " PORT_DEV " up && ip link set " PEER_DEV " up"));
	f->v.port = if_nametoindex(PORT_DEV);
	f->v.peer = if_nametoindex(PEER_DEV);

	self->obj = bpf_object__open_file(path, NULL);
	ASSERT_EQ(0, libbpf_get_error(self->obj));
	ASSERT_EQ(0, bpf_object__load(self->obj)) TH_LOG("load %s", path);
	self->prog = bpf_program__fd(bpf_object__find_program_by_name(self->obj,
								      "nfv_xdp"));
	ASSERT_LE(0, self->prog);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*fds[i] = bpf_object__find_map_fd_by_name(self->obj, names[i]);
		ASSERT_LE(0, *fds[i]) TH_LOG("map %s", names[i]);
	}
	ASSERT_EQ(0, maps_bind(&f->nl, &f->maps)) TH_LOG("%s", f->nl.ext);

	memset(self->frame, 0, sizeof(self->frame));
	memset(eth->h_dest, 0x02, ETH_ALEN);
	memset(eth->h_source, 0x04, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(self->frame) - sizeof(*eth));
	ip->saddr = htonl(0xc6120001);		/* 198.18.0.1 */
	ip->daddr = htonl(0xc6120002);		/* 198.18.0.2 */
	udp->source = htons(1000);
	udp->dest = htons(2000);
	udp->len = htons(sizeof(self->frame) - sizeof(*eth) - sizeof(*ip));
}

FIXTURE_TEARDOWN(xdp)
{
	nl_close(&self->f.nl);
	if (self->obj)
		bpf_object__close(self->obj);
}

/* Run the frame in from nfvt0; the program's verdict. */
static int run_frame(struct __test_metadata *_metadata, FIXTURE_DATA(xdp) *self)
{
	uint8_t out[256];
	struct xdp_md ctx = {
		.data_end = sizeof(self->frame),
		.ingress_ifindex = self->f.v.port,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		    .data_in = self->frame,
		    .data_size_in = sizeof(self->frame),
		    .data_out = out,
		    .data_size_out = sizeof(out),
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx));

	if (bpf_prog_test_run_opts(self->prog, &o))
		return -errno;
	return o.retval;
}

/* Counter @c (enum nfv_xdp_counter) of port 1, as the module reports it. */
static uint64_t port_counter(struct nl *nl, int c)
{
	struct collect col = {};
	const struct nlattr *a, *s;
	struct nlmsghdr *nlh = nl_req(nl, NFV_CMD_PORT_GET, 0);

	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, PORT_DEV);
	if (nl_talk(nl, nlh, collect_cb, &col) || !col.last)
		return UINT64_MAX;
	mnl_attr_for_each(a, col.last, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != NFV_A_PORT_STATS)
			continue;
		mnl_attr_for_each_nested(s, a)
			if (mnl_attr_get_type(s) == c + 1)
				return mnl_attr_get_u64(s);
	}
	return UINT64_MAX;
}

#define XDP_EXPECT(verdict, counter) do {				\
	uint64_t __before = port_counter(&self->f.nl, counter);	\
									\
	EXPECT_EQ(verdict, run_frame(_metadata, self));			\
	EXPECT_EQ(__before + 1, port_counter(&self->f.nl, counter));	\
} while (0)

TEST_F(xdp, classifier_follows_the_module)
{
	struct fabric *f = &self->f;
	uint16_t id;
	int nf;

	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW, "u16:CHAIN_ID=1 " HOP_SVC(5),
			   &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW,
			   "u16:CHAIN_ID=2 nest:CHAIN_HOP{ u8:HOP_TYPE=3 }", &f->v));

	/* not a port yet: passed, counted under port 0 */
	EXPECT_EQ(XDP_PASS, run_frame(_metadata, self));

	/* a port without a default chain: passed */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW, "str:PORT_NAME=" PORT_DEV,
			   &f->v));
	XDP_EXPECT(XDP_PASS, NFV_XDP_PASS);

	/* default chain 1 -> service 5, which has no replica */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_DEL, 0, "str:PORT_NAME=" PORT_DEV, &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_NEW, NEW,
			   "str:PORT_NAME=" PORT_DEV " u16:PORT_DEFAULT_CHAIN=1", &f->v));
	XDP_EXPECT(XDP_DROP, NFV_XDP_DEFAULT_HIT);
	XDP_EXPECT(XDP_DROP, NFV_XDP_NO_REPLICA);

	/* an NF comes up: a replica, but nfvd gave it no socket here */
	nf = nf_attach(5, "xdp", &id);
	ASSERT_LE(0, nf);
	XDP_EXPECT(XDP_DROP, NFV_XDP_NO_SOCKET);

	/* ... and dies: no replica again, at once */
	close(nf);
	XDP_EXPECT(XDP_DROP, NFV_XDP_NO_REPLICA);

	/* a prefix rule to chain 2 (drop) */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
			   "bin:FLOW_DST=c6120000 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=2",
			   &f->v));
	XDP_EXPECT(XDP_DROP, NFV_XDP_RULE_HIT);
	XDP_EXPECT(XDP_DROP, NFV_XDP_HOP_DROP);

	/* an exact flow to chain 3: out of nfvt0 through the devmap */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_NEW, NEW,
			   "u16:CHAIN_ID=3 nest:CHAIN_HOP{ u8:HOP_TYPE=2 u32:HOP_IFINDEX=$P }",
			   &f->v));
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_FLOW_NEW, NEW,
			   "u8:FLOW_PROTO=17 bin:FLOW_SRC=c6120001 bin:FLOW_DST=c6120002 "
			   "u16:FLOW_SPORT=1000 u16:FLOW_DPORT=2000 u16:FLOW_CHAIN=3",
			   &f->v));
	XDP_EXPECT(XDP_REDIRECT, NFV_XDP_FLOW_HIT);
	XDP_EXPECT(XDP_REDIRECT, NFV_XDP_HOP_OUT);

	/* the chain goes: the flow still points at it */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_CHAIN_DEL, 0, "u16:CHAIN_ID=3", &f->v));
	XDP_EXPECT(XDP_DROP, NFV_XDP_NO_CHAIN);

	/* the port goes: unconfigured traffic again */
	ASSERT_EQ(0, nl_do(&f->nl, NFV_CMD_PORT_DEL, 0, "str:PORT_NAME=" PORT_DEV, &f->v));
	EXPECT_EQ(XDP_PASS, run_frame(_metadata, self));
}

/*
 * kmod_netlink --populate N [--no-nf]: not a test, a load for reload
 * tests (selftests/kmod_reload.sh).  In the current netns: bind fresh
 * maps, add N chains, N exact flows, 60 prefix rules and (unless --no-nf)
 * 8 NFs, say "populated", then hold it all (binder socket, NF files)
 * until killed.
 */
static int populate(int count, bool nfs)
{
	struct nl nl;
	struct maps m;
	struct vars v = {};
	char spec[200];
	uint16_t id;
	int i, err;

	if (nl_open(&nl) || maps_create(&m, 65536) || maps_bind(&nl, &m))
		return 1;
	for (i = 1; i <= count && i <= NFV_CHAIN_MAX; i++) {
		snprintf(spec, sizeof(spec),
			 "u16:CHAIN_ID=%d nest:CHAIN_HOP{ u8:HOP_TYPE=1 u16:HOP_SERVICE=%d }",
			 i, i % NFV_SERVICE_MAX + 1);
		err = nl_do(&nl, NFV_CMD_CHAIN_NEW, NEW, spec, &v);
		if (err)
			goto fail;
	}
	for (i = 0; i < count; i++) {
		snprintf(spec, sizeof(spec),
			 "u8:FLOW_PROTO=17 bin:FLOW_SRC=c612%04x bin:FLOW_DST=c6130001 "
			 "u16:FLOW_SPORT=%d u16:FLOW_DPORT=53 u16:FLOW_CHAIN=1",
			 i & 0xffff, i % 60000 + 1);
		err = nl_do(&nl, NFV_CMD_FLOW_NEW, NEW, spec, &v);
		if (err)
			goto fail;
	}
	for (i = 0; i < 60; i++) {
		snprintf(spec, sizeof(spec),
			 "bin:FLOW_DST=c613%02x00 u8:FLOW_DST_PLEN=24 u16:FLOW_CHAIN=1", i);
		err = nl_do(&nl, NFV_CMD_FLOW_NEW, NEW, spec, &v);
		if (err)
			goto fail;
	}
	for (i = 0; nfs && i < 8; i++)
		if (nf_attach(i % 4 + 1, "load", &id) < 0)
			return 1;
	printf("populated\n");
	fflush(stdout);
	for (;;)
		pause();
fail:
	fprintf(stderr, "populate: %s (%s)\n", strerror(-err), nl.ext);
	return 1;
}

/*
 * NFV_KSFT_ONLY="NAME ..." (spaces or commas) runs only what the names
 * say: "fixture" (all of it), "fixture.test" (every variant of that test)
 * or "fixture.variant" (every test of that variant).  6.1's harness has
 * no -f/-v/-t, and a mutant of one netlink policy (make mutate) needs
 * its cases, not the 80 s of the whole suite.
 */
static bool only_has(const char *only, const char *a, const char *b)
{
	char name[256];
	const char *p;
	size_t n;

	if (b)
		snprintf(name, sizeof(name), "%s.%s", a, b);
	else
		snprintf(name, sizeof(name), "%s", a);
	for (p = only; *p; p += n) {
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (n && n == strlen(name) && !strncmp(p, name, n))
			return true;
	}
	return false;
}

static int only_these(const char *only)
{
	struct __fixture_metadata **fp = &__fixture_list;
	int kept = 0;

	while (*fp) {
		struct __fixture_metadata *f = *fp;
		struct __fixture_variant_metadata **vp = &f->variant;
		struct __test_metadata **tp = &f->tests;
		bool whole = only_has(only, f->name, NULL), some_v = false;

		for (; *vp; vp = &(*vp)->next)
			some_v |= only_has(only, f->name, (*vp)->name);
		for (vp = &f->variant; some_v && *vp;) {
			if (only_has(only, f->name, (*vp)->name))
				vp = &(*vp)->next;
			else
				*vp = (*vp)->next;
		}
		while (*tp) {
			if (whole || some_v || only_has(only, f->name, (*tp)->name))
				tp = &(*tp)->next;
			else
				*tp = (*tp)->next;
		}
		if (f->tests) {
			kept++;
			fp = &f->next;
		} else {
			*fp = f->next;
		}
	}
	return kept;
}

/* Reading this file is cheap; skip everything at once without the family. */
int main(int argc, char **argv)
{
	const char *only = getenv("NFV_KSFT_ONLY");
	struct nl nl;

	if (argc >= 3 && !strcmp(argv[1], "--populate"))
		return populate(atoi(argv[2]),
				!(argc >= 4 && !strcmp(argv[3], "--no-nf")));
	if (daemon_backend()) {
		/* nfvd serves the reject matrix; the rest is nfv.ko's. */
		if (!only || !*only)
			only = "reject";
	} else if (nl_open(&nl)) {
		nl_close(&nl);
		printf("TAP version 13\n1..0 # SKIP nfv.ko not loaded\n");
		return KSFT_SKIP;
	} else {
		nl_close(&nl);
	}
	if (only && *only && !only_these(only)) {
		printf("TAP version 13\n1..0 # NFV_KSFT_ONLY=%s matches nothing\n",
		       only);
		return 1;
	}
	return test_harness_run(argc, argv);
}
