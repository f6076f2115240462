// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nfvd's control-message parser, control_handle()
 * (tools/nfvd/control.c) and everything it reaches, fed arbitrary bytes
 * as the SOCK_SEQPACKET records of up to four clients.
 *
 * Built twice from this file:
 *
 *   nfvd_control_user   the clients are uid 1000 (FUZZ_UID=1000): every
 *                       mutating command and every NF attach is refused
 *                       after its attributes were parsed.  Table writes
 *                       fail as with no BPF object loaded.
 *   nfvd_control_root   the clients are root (FUZZ_UID=0): every command
 *                       runs to its end.  Byte 0 of the input chooses
 *                       whether the BPF map operations fail (EPERM, as
 *                       with no object: the error paths after parsing)
 *                       or succeed against nothing (so ports, chains,
 *                       flows and replicas exist and later requests,
 *                       dumps and deletes see them).
 *
 * Nothing touches the system (see docs/testing.md, "What the control
 * fuzzers cover"):
 *   - no BPF object: map and program fds are -1, and bpf_map_*(),
 *     bpf_xdp_attach() and bpf_xdp_detach() are wrapped (-Wl,--wrap) so
 *     they never reach a syscall; umem_pool_open() is wrapped too (a fake
 *     pool whose rings are plain memory), so no AF_XDP socket is ever
 *     bound to a device and no UMEM is registered;
 *   - a seccomp filter refuses bpf(2) and socket(2) of any family but
 *     AF_UNIX/AF_INET/AF_INET6 with EPERM, should a path ever get past
 *     the wrappers (the AF_XDP sockets nf_attach() makes per port fail
 *     there, as they would for an unprivileged nfvd);
 *   - the process moves to a network namespace of its own with only lo
 *     when it may (root): a name in a request can only ever resolve to
 *     that lo;
 *   - replies go to a socketpair that is drained (and checked to be well
 *     formed netlink) after each record; fds in them are closed.
 *
 * Input: byte 0 = mode (bit 0: map operations succeed, root target only;
 * bit 1: pass an fd with each record, which nfvd must close), then
 * netlink messages back to back (NLMSG_ALIGN'ed).  Each one goes to
 * control_handle() in a buffer of exactly its nlmsg_len bytes, so any
 * read past it is an ASan report; a record whose nlmsg_len does not fit
 * is passed whole, with the rest of the input, as the last one.  The
 * record's nlmsg_pid (which nfvd only echoes) modulo 4 says which client
 * sends it, so several NFs can attach, be replicas of one service, ask
 * for each other's doorbells and go away.  A non-zero return hangs that
 * client up, as nfvd does; its next record comes from a new connection.
 *
 * After every input the daemon's state is reset (NFs reaped, ports,
 * flows, tables and frame accounting emptied) so an input always does
 * the same thing.  Besides ASan and UBSan, the oracles are: after every
 * record the frame accounting adds up and every reply is one well-formed
 * netlink message whose attributes (nests included) fill it exactly;
 * after every input no NF is left behind and no fd leaked.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/genetlink.h>
#include <linux/seccomp.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dispatch.h"
#include "dpif.h"
#include "flows.h"
#include "ledger.h"
#include "nf.h"
#include "nfvd.h"
#include "policy.h"
#include "umem.h"

#ifndef SOL_XDP
#define SOL_XDP		283
#endif

#ifndef FUZZ_UID
#define FUZZ_UID	1000
#endif

#define FUZZ_FRAMES	1024
#define FUZZ_FRAME_SIZE	2048

#define MODE_MAPS_OK	1
#define MODE_PASS_FD	2

#if defined(__x86_64__)
#define FUZZ_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FUZZ_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "add this architecture's AUDIT_ARCH_*"
#endif

static struct nfvd d;
#define CLIENTS		4
static struct nfvd_client clients[CLIENTS];
static int peers[CLIENTS];		/* our ends of the clients' socketpairs */
static bool maps_ok;
static bool verbose;			/* $NFVD_FUZZ_VERBOSE: say what happens */
static int lowest_free_fd;		/* before an input: a leak moves it */

/* ---- the system, faked ---- */

int __real_umem_pool_open(struct nfvd *d, struct nfvd_pool *p,
			  uint32_t ifindex, uint16_t queue,
			  uint32_t bind_flags);

/* Fill and completion rings of a fake pool: plain memory. */
#define FAKE_RING	4096
struct fake_ring {
	uint32_t producer, consumer, flags;
	uint64_t desc[FAKE_RING];
};
static struct fake_ring fake_rings[NFV_PORT_MAX * NFV_QUEUE_MAX][2];

static void fake_ring_init(struct fake_ring *r, struct xsk_ring_cons *c)
{
	memset(r, 0, sizeof(*r));
	c->mask = FAKE_RING - 1;
	c->size = FAKE_RING;
	c->producer = &r->producer;
	c->consumer = &r->consumer;
	c->flags = &r->flags;
	c->ring = r->desc;
	c->cached_prod = c->cached_cons = 0;
}

int __wrap_umem_pool_open(struct nfvd *d, struct nfvd_pool *p,
			  uint32_t ifindex, uint16_t queue, uint32_t bind_flags)
{
	long i = p - d->pools;

	if (!maps_ok)	/* the real one: socket(AF_XDP) fails (seccomp) */
		return __real_umem_pool_open(d, p, ifindex, queue, bind_flags);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->ifindex = ifindex;
	p->queue = queue;
	fake_ring_init(&fake_rings[i][0], (struct xsk_ring_cons *)&p->fill);
	fake_ring_init(&fake_rings[i][1], &p->comp);
	p->fill.cached_cons = FAKE_RING;	/* as umem_pool_open() */
	p->bound = true;
	return 0;
}

static int map_result(void)
{
	if (maps_ok)
		return 0;
	errno = EPERM;
	return -EPERM;
}

int __wrap_bpf_map_update_elem(int fd, const void *key, const void *value,
			       __u64 flags)
{
	return map_result();
}

int __wrap_bpf_map_delete_elem(int fd, const void *key)
{
	return map_result();
}

/* Only port counters are looked up: the caller zeroed the value. */
int __wrap_bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_result();
}

int __wrap_bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags,
			  const struct bpf_xdp_attach_opts *opts)
{
	return map_result();
}

int __wrap_bpf_xdp_detach(int ifindex, __u32 flags,
			  const struct bpf_xdp_attach_opts *opts)
{
	return map_result();
}

/*
 * The AF_XDP sockets nf_attach() makes for an NF, one per (port, queue),
 * when map operations succeed: a sparse memfd stands in for each, so
 * nfvd maps its "rings" for real; setsockopt, getsockopt and bind on it
 * are answered here.  Other sockets are real (or refused by seccomp).
 */
#define FAKE_FDS	4096
static bool fake_xsk[FAKE_FDS];

int __real_socket(int domain, int type, int protocol);
int __real_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len);
int __real_getsockopt(int fd, int level, int name, void *val,
		      socklen_t *len);
int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __real_close(int fd);

static bool is_fake(int fd)
{
	return fd >= 0 && fd < FAKE_FDS && fake_xsk[fd];
}

int __wrap_socket(int domain, int type, int protocol)
{
	int fd;

	if (domain != AF_XDP || !maps_ok)
		return __real_socket(domain, type, protocol);
	fd = memfd_create("fake-xsk", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fd >= FAKE_FDS ||
	    ftruncate(fd, (off_t)XDP_PGOFF_TX_RING + (1 << 20))) {
		__real_close(fd);
		errno = EMFILE;
		return -1;
	}
	fake_xsk[fd] = true;
	return fd;
}

int __wrap_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len)
{
	if (is_fake(fd))
		return 0;
	return __real_setsockopt(fd, level, name, val, len);
}

int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct xdp_mmap_offsets off;
	struct xdp_ring_offset ring = {
		.producer = 0, .consumer = 64, .flags = 128, .desc = 192,
	};

	if (!is_fake(fd))
		return __real_getsockopt(fd, level, name, val, len);
	if (level != SOL_XDP || name != XDP_MMAP_OFFSETS ||
	    *len < sizeof(off)) {
		errno = EINVAL;
		return -1;
	}
	off.rx = off.tx = off.fr = off.cr = ring;
	memcpy(val, &off, sizeof(off));
	*len = sizeof(off);
	return 0;
}

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (is_fake(fd))
		return 0;
	return __real_bind(fd, addr, len);
}

int __wrap_close(int fd)
{
	if (fd >= 0 && fd < FAKE_FDS)
		fake_xsk[fd] = false;
	return __real_close(fd);
}

/* bpf(2) and sockets other than AF_UNIX, AF_INET, AF_INET6: EPERM. */
static void sandbox(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUZZ_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(f) / sizeof(f[0]),
		.filter = f,
	};

	/* Only lo to name; not fatal if we may not (the filter suffices). */
	if (unshare(CLONE_NEWNET))
		fprintf(stderr, "nfvd_control: no netns of our own (%s); "
			"seccomp only\n", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("nfvd_control: seccomp");
		abort();
	}
}

/* ---- a daemon without a system ---- */

static int print(enum nfv_print_level level, const char *fmt, va_list ap)
{
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static void *shm(const char *name, size_t size, int *fd)
{
	void *p;

	*fd = memfd_create(name, MFD_CLOEXEC);
	if (*fd < 0 || ftruncate(*fd, (off_t)size))
		abort();
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		 *fd, 0);
	if (p == MAP_FAILED)
		abort();
	return p;
}

static void daemon_init(void)
{
	int sv[2], i, big = 1 << 20;

	d.dp = &nfvd_dp_maps;	/* nfvd writes its own maps */
	d.listen_fd = d.epoll_fd = d.doorbell = -1;
	d.umem_memfd = d.umem_ro_fd = d.umem_fd = d.tables_fd = -1;
	for (i = 0; i < NFV_NF_MAX; i++)
		nf_slot_init(&d.nfs[i]);
	d.cfg.socket_path = "/nonexistent/nfvd.sock";
	d.cfg.bpf_obj = "/nonexistent/nfv_xdp.bpf.o";
	d.cfg.frames = FUZZ_FRAMES;
	d.cfg.frame_size = FUZZ_FRAME_SIZE;
	d.cfg.flows = 64;
	d.cfg.fill_target = FUZZ_FRAMES / 4;
	d.cfg.socket_gid = -1;
	d.prog_fd = -1;
	d.map_ports = d.map_chains = d.map_services = d.map_flows = -1;
	d.map_rules = d.map_xsks = d.map_stats = d.map_devmap = -1;
	/* No offload: verdicts refused (EOPNOTSUPP), no TC hook. */
	d.map_offload = d.map_offload_on = d.tc_prog_fd = -1;
	verbose = getenv("NFVD_FUZZ_VERBOSE") != NULL;
	nfv_set_print(print);
	if (policy_init(&d))
		abort();

	/* What tables_init() makes, without loading the BPF object. */
	d.tables_size = (sizeof(struct nfv_tables) + 4095) & ~4095UL;
	d.tables = shm("nfv-tables", d.tables_size, &d.tables_fd);
	nfv_seg_layout(&d.lay, d.cfg.frames);
	if (umem_init(&d) || ledger_init(&d))
		abort();
	d.doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	for (i = 0; i < CLIENTS; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
			       SOCK_CLOEXEC, 0, sv))
			abort();
		if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big,
			       sizeof(big)))
			setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big,
				   sizeof(big));
		clients[i].fd = sv[0];
		clients[i].uid = clients[i].gid = FUZZ_UID;
		clients[i].pid = getpid();
		peers[i] = sv[1];
	}
}

/* The client's connection closed (and, for the next record, reopened). */
static void client_gone(struct nfvd_client *c)
{
	nf_client_gone(&d, c);
	c->nf = 0;
}

/* Forget everything one input did. */
static void daemon_reset(void)
{
	uint32_t i;

	for (i = 0; i < CLIENTS; i++)
		client_gone(&clients[i]);
	for (i = 1; i < NFV_NF_MAX; i++)
		if (d.nfs[i].id)
			d.nfs[i].reclaim_at_ns = 0;
	nf_reap(&d);
	for (i = 1; i < NFV_NF_MAX; i++)
		if (d.nfs[i].id)
			abort();	/* nf_reap() left one behind */

	flows_fini(&d);
	d.n_flow_buckets = d.n_flows = d.n_exact_flows = 0;
	memset(d.ports, 0, sizeof(d.ports));
	memset(d.pools, 0, sizeof(d.pools));
	d.n_pools = 0;
	d.n_pools_used = d.n_pools_released = 0;
	d.pool_sweep_ns = 0;
	d.umem_fd = -1;
	memset((char *)d.tables + offsetof(struct nfv_tables, gen), 0,
	       sizeof(*d.tables) - offsetof(struct nfv_tables, gen));
	memset(d.lf, 0, d.cfg.frames * sizeof(*d.lf));
	for (i = 0; i < d.cfg.frames; i++)
		d.free_list[i] = d.cfg.frames - 1 - i;
	d.n_free = d.cfg.frames;
	d.refused = d.forged_tx = d.loop_drop = d.reclaimed = 0;
	d.n_comp_wait = 0;
	d.next_nf_id = 0;
}

/* Every frame FREE in the ledger is on the free list, once. */
static void check_frames(void)
{
	uint32_t n[__LF_MAX];

	if (d.n_free > d.cfg.frames)
		abort();
	ledger_counts(&d, n);
	if (n[LF_FREE] != d.n_free)
		abort();
}

/* Attribute sets of replies, for walking their nests. */
enum set { SET_LEAVES, SET_PORT, SET_CHAIN, SET_NF, SET_STATS, SET_NONE };

static enum set nest_of(enum set s, uint16_t type)
{
	switch (s) {
	case SET_PORT:
		return type == NFV_A_PORT_STATS ? SET_LEAVES : SET_NONE;
	case SET_CHAIN:
		return type == NFV_A_CHAIN_HOP ? SET_LEAVES : SET_NONE;
	case SET_NF:
		return type == NFV_A_NF_FDS || type == NFV_A_NF_SOCK ?
		       SET_LEAVES : SET_NONE;
	case SET_STATS:
		return type == NFV_A_STATS_PORT ? SET_PORT :
		       type == NFV_A_STATS_NF ? SET_NF : SET_NONE;
	default:
		return SET_NONE;
	}
}

static enum set set_of(uint8_t cmd)
{
	switch (cmd) {
	case NFV_CMD_PORT_GET:
		return SET_PORT;
	case NFV_CMD_CHAIN_GET:
		return SET_CHAIN;
	case NFV_CMD_NF_GET:
	case NFV_CMD_NF_ATTACH:
	case NFV_CMD_NF_SOCKET:
		return SET_NF;
	case NFV_CMD_STATS_GET:
		return SET_STATS;
	default:
		return SET_LEAVES;
	}
}

/* The attributes of a reply fill it exactly, nests included. */
static void check_attrs(const void *start, size_t len, enum set s)
{
	const struct nlattr *attr;
	size_t used = 0;

	mnl_attr_for_each_payload(start, len) {
		enum set child = nest_of(s, mnl_attr_get_type(attr));

		used = (size_t)((const char *)attr - (const char *)start) +
		       MNL_ALIGN(attr->nla_len);
		if (child != SET_NONE)
			check_attrs(mnl_attr_get_payload(attr),
				    mnl_attr_get_payload_len(attr), child);
	}
	if (used != len)
		abort();
}

/* Read back every reply; each must be one well-formed netlink message. */
static void drain(int peer)
{
	char buf[1 << 17];
	int fds[NFV_MAX_FDS], n_fds, len, i;

	for (;;) {
		const struct nlmsghdr *nlh = (const void *)buf;

		n_fds = 0;
		len = nfv_msg_recv(peer, buf, sizeof(buf), fds, &n_fds,
				   NFV_MAX_FDS, MSG_DONTWAIT);
		for (i = 0; i < n_fds; i++)
			close(fds[i]);
		if (len == -EAGAIN)
			return;
		if (len < 0 || !mnl_nlmsg_ok(nlh, len) ||
		    nlh->nlmsg_len != (uint32_t)len)
			abort();
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const char *ext;
			int err;

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				abort();
			err = nfv_msg_error(nlh, &ext);
			if (verbose)
				fprintf(stderr, "  reply: %s%s%s\n",
					err ? strerror(-err) : "ack",
					ext ? ": " : "", ext ?: "");
			continue;
		}
		if (nlh->nlmsg_type == NLMSG_DONE)
			continue;
		if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			abort();
		if (verbose)
			fprintf(stderr, "  reply: cmd %u, %u bytes, %d fds\n",
				((const struct genlmsghdr *)
				 mnl_nlmsg_get_payload(nlh))->cmd,
				nlh->nlmsg_len, n_fds);
		check_attrs(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			    mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
			    set_of(((const struct genlmsghdr *)
				    mnl_nlmsg_get_payload(nlh))->cmd));
	}
}

static int lowest_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	daemon_init();
	sandbox();
	lowest_free_fd = lowest_fd();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode;

	if (size < 1)
		return 0;
	/*
	 * Taken per input, not once: libFuzzer opens fds of its own between
	 * inputs (pipes to llvm-symbolizer the first time it names a newly
	 * covered function), and they are no leak of nfvd's.
	 */
	lowest_free_fd = lowest_fd();
	mode = data[0];
	maps_ok = FUZZ_UID == 0 && (mode & MODE_MAPS_OK);
	data++;
	size--;

	while (size >= NLMSG_HDRLEN) {
		size_t len, step;
		int fd = -1, ret, i;
		uint32_t hdr_len, c;
		void *msg;

		memcpy(&hdr_len, data, sizeof(hdr_len));	/* unaligned */
		len = hdr_len;
		if (len < NLMSG_HDRLEN || len > size)
			len = step = size;	/* the last record */
		else
			step = NLMSG_ALIGN(len) < size ? NLMSG_ALIGN(len) : size;
		msg = malloc(len);
		memcpy(msg, data, len);
		if (mode & MODE_PASS_FD)
			fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		c = ((const struct nlmsghdr *)msg)->nlmsg_pid % CLIENTS;
		if (verbose)
			fprintf(stderr, "client %u: %zu bytes, cmd %u%s\n", c,
				len, len >= NLMSG_HDRLEN + GENL_HDRLEN ?
				((const uint8_t *)msg)[NLMSG_HDRLEN] : 0,
				maps_ok ? " (maps ok)" : "");
		ret = control_handle(&d, &clients[c], msg, len, &fd, fd >= 0);
		free(msg);
		for (i = 0; i < CLIENTS; i++)
			drain(peers[i]);	/* nfvd may write to any */
		check_frames();
		if (ret)	/* nfvd hangs up on this client */
			client_gone(&clients[c]);
		data += step;
		size -= step;
	}
	daemon_reset();
	if (lowest_fd() != lowest_free_fd) {
		char path[64], what[256] = "?";
		int fd = lowest_free_fd;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, what, sizeof(what) - 1);
		what[n > 0 ? n : 1] = 0;
		fprintf(stderr, "nfvd kept fd %d (%s) of this input\n", fd,
			what);
		abort();
	}
	return 0;
}
