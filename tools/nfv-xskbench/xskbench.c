// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-xskbench: the plain AF_XDP baselines nfv-bench compares the fabric
 * with, built on libxdp's xsk API, same copy mode and ring sizes as nfvd.
 *
 *   nfv-xskbench rxdrop -i DEV [-d SEC] [--poll] [--generic] [--sg]
 *   nfv-xskbench l2fwd -i IN -o OUT [-d SEC] [--poll] [--generic] [--sg]
 *
 * rxdrop receives on DEV and recycles each frame at once; l2fwd receives
 * on IN and transmits every frame unchanged on OUT (one process, one
 * UMEM, two sockets: the same path a 1-NF chain takes, without nfvd).
 * --generic attaches in generic (skb) mode, where a veth peer keeps its
 * GSO; --sg binds the sockets with XDP_USE_SG and attaches a frags-aware
 * program, so a super-frame arrives whole, as a chain of descriptors
 * (kernel 6.6).  Packets count chains, bytes every descriptor.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>
#include "nfv_version.h"

#define FRAMES		8192
#define FRAME_SIZE	2048
#define RING		2048
#define BATCH		64

/* linux/if_xdp.h of kernel 6.6; older installed headers lack them. */
#ifndef XDP_USE_SG
#define XDP_USE_SG	0x10
#endif
#ifndef XDP_PKT_CONTD
#define XDP_PKT_CONTD	0x1
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench {
	struct xsk_umem *umem;
	void *area;
	struct xsk_ring_prod fill, fill2;
	struct xsk_ring_cons comp, comp2;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct xsk_socket *in, *out;
	uint64_t free_frames[FRAMES];
	uint32_t n_free;
	uint64_t packets, bytes;
	bool poll_mode;
};

static const char *default_obj(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		/* In the build tree, then installed (both in lib/nfv). */
		snprintf(path, sizeof(path), "%s/../bpf/xskbench.bpf.o", exe);
		if (!access(path, R_OK))
			return path;
		snprintf(path, sizeof(path), "%s/xskbench.bpf.o", exe);
		if (!access(path, R_OK))
			return path;
	}
	return "build/bpf/xskbench.bpf.o";
}

static void refill(struct bench *b, struct xsk_ring_prod *fill)
{
	uint32_t idx, n = xsk_prod_nb_free(fill, b->n_free);

	if (n > b->n_free)
		n = b->n_free;
	if (!n || xsk_ring_prod__reserve(fill, n, &idx) != n)
		return;
	for (uint32_t i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(fill, idx + i) =
			b->free_frames[--b->n_free];
	xsk_ring_prod__submit(fill, n);
}

static void complete(struct bench *b, struct xsk_ring_cons *comp)
{
	uint32_t idx, n = xsk_ring_cons__peek(comp, RING, &idx);

	for (uint32_t i = 0; i < n; i++)
		b->free_frames[b->n_free++] =
			*xsk_ring_cons__comp_addr(comp, idx + i) &
			~(uint64_t)(FRAME_SIZE - 1);
	if (n)
		xsk_ring_cons__release(comp, n);
}

static void loop(struct bench *b, bool fwd, double duration)
{
	struct pollfd pfd = { .fd = xsk_socket__fd(b->in), .events = POLLIN };
	double t0 = now_s();
	uint32_t iter = 0;

	while (!stop) {
		uint32_t idx_rx, idx_tx, n, i;

		if ((++iter & 1023) == 0 && now_s() - t0 > duration)
			break;
		if (fwd)
			complete(b, &b->comp2);
		refill(b, &b->fill);
		n = xsk_ring_cons__peek(&b->rx, BATCH, &idx_rx);
		if (!n) {
			/* Idle: the clock, not 1024 polls of 100 ms each. */
			if (b->poll_mode)
				poll(&pfd, 1, 100);
			if (now_s() - t0 > duration)
				break;
			continue;
		}
		if (!fwd) {
			for (i = 0; i < n; i++) {
				const struct xdp_desc *rd =
					xsk_ring_cons__rx_desc(&b->rx, idx_rx + i);

				b->free_frames[b->n_free++] =
					rd->addr & ~(uint64_t)(FRAME_SIZE - 1);
				b->bytes += rd->len;
				b->packets += !(rd->options & XDP_PKT_CONTD);
			}
			xsk_ring_cons__release(&b->rx, n);
			continue;
		}
		while (xsk_ring_prod__reserve(&b->tx, n, &idx_tx) != n) {
			complete(b, &b->comp2);
			sendto(xsk_socket__fd(b->out), NULL, 0, MSG_DONTWAIT,
			       NULL, 0);
			if (stop || now_s() - t0 > duration)
				return;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *rd =
				xsk_ring_cons__rx_desc(&b->rx, idx_rx + i);
			struct xdp_desc *td = xsk_ring_prod__tx_desc(&b->tx,
								    idx_tx + i);

			td->addr = rd->addr;
			td->len = rd->len;
			td->options = rd->options & XDP_PKT_CONTD;
			b->bytes += rd->len;
			b->packets += !(rd->options & XDP_PKT_CONTD);
		}
		xsk_ring_cons__release(&b->rx, n);
		xsk_ring_prod__submit(&b->tx, n);
		for (i = 0; i < 16; i++) {
			if (sendto(xsk_socket__fd(b->out), NULL, 0, MSG_DONTWAIT,
				   NULL, 0) >= 0 || errno != EAGAIN)
				break;
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: nfv-xskbench rxdrop|l2fwd -i DEV [-o OUT] [-d SEC] [--poll]\n"
		   "                    [--generic] [--sg] [-j]\n");
}

/* The kernel's counters of a socket (zeros if it has none). */
static struct xdp_statistics xsk_stats(struct xsk_socket *xsk)
{
	struct xdp_statistics st = { 0 };
	socklen_t len = sizeof(st);

	if (xsk && getsockopt(xsk_socket__fd(xsk), SOL_XDP, XDP_STATISTICS,
			      &st, &len))
		memset(&st, 0, sizeof(st));
	return st;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "poll", no_argument, NULL, 'p' },
		{ "generic", no_argument, NULL, 'g' },
		{ "sg", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct xsk_umem_config ucfg = {
		.fill_size = RING, .comp_size = RING,
		.frame_size = FRAME_SIZE,
	};
	struct xsk_socket_config scfg = {
		.rx_size = RING, .tx_size = RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	const char *in = NULL, *out = NULL, *mode;
	static struct bench b;
	struct xdp_statistics rxs, txs;
	struct bpf_object *obj;
	double duration = 5, t0, el;
	int c, ifindex, prog, xsks, err;
	uint32_t zero = 0, fd;
	uint32_t attach = XDP_FLAGS_DRV_MODE;
	bool json = false, fwd, sg = false;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("nfv-xskbench (nfv) %s\n", NFV_VERSION);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:o:d:pgsjh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'd':
			duration = atof(optarg);
			break;
		case 'p':
			b.poll_mode = true;
			break;
		case 'g':
			attach = XDP_FLAGS_SKB_MODE;
			break;
		case 's':
			sg = true;
			break;
		case 'j':
			json = true;
			break;
		default:
			usage(stderr);
			return c != 'h';
		}
	}
	fwd = !strcmp(mode, "l2fwd");
	if (!in || (fwd && !out) || (!fwd && strcmp(mode, "rxdrop"))) {
		fprintf(stderr, "nfv-xskbench: rxdrop -i DEV | l2fwd -i IN -o OUT\n");
		return 1;
	}
	ifindex = (int)if_nametoindex(in);
	if (!ifindex) {
		fprintf(stderr, "nfv-xskbench: no device %s\n", in);
		return 1;
	}
	if (sg)
		scfg.bind_flags |= XDP_USE_SG;
	libbpf_set_print(NULL);
	b.area = mmap(NULL, (size_t)FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b.area == MAP_FAILED)
		return 1;
	err = xsk_umem__create(&b.umem, b.area, (uint64_t)FRAMES * FRAME_SIZE,
			       &b.fill, &b.comp, &ucfg);
	if (err) {
		fprintf(stderr, "nfv-xskbench: umem: %s\n", strerror(-err));
		return 1;
	}
	err = xsk_socket__create_shared(&b.in, in, 0, b.umem, &b.rx,
					fwd ? NULL : &b.tx, &b.fill, &b.comp,
					&scfg);
	if (!err && fwd)
		err = xsk_socket__create_shared(&b.out, out, 0, b.umem, NULL,
						&b.tx, &b.fill2, &b.comp2,
						&scfg);
	if (err) {
		fprintf(stderr, "nfv-xskbench: socket: %s\n", strerror(-err));
		return 1;
	}
	for (uint32_t i = 0; i < FRAMES; i++)
		b.free_frames[b.n_free++] = (uint64_t)i * FRAME_SIZE;

	obj = bpf_object__open_file(default_obj(), NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "nfv-xskbench: cannot load xskbench.bpf.o\n");
		return 1;
	}
	prog = bpf_program__fd(bpf_object__find_program_by_name(obj, sg ?
								"xsk_frags" :
								"xsk_all"));
	xsks = bpf_object__find_map_fd_by_name(obj, "xsks");
	fd = (uint32_t)xsk_socket__fd(b.in);
	if (bpf_map_update_elem(xsks, &zero, &fd, 0) ||
	    bpf_xdp_attach(ifindex, prog, attach, NULL)) {
		fprintf(stderr, "nfv-xskbench: cannot attach to %s: %s\n", in,
			strerror(errno));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	t0 = now_s();
	loop(&b, fwd, duration);
	el = now_s() - t0;
	bpf_xdp_detach(ifindex, attach, NULL);
	rxs = xsk_stats(b.in);
	txs = xsk_stats(b.out);
	if (json)
		printf("{\"packets\":%llu,\"bytes\":%llu,\"seconds\":%.3f,"
		       "\"mpps\":%.4f,\"gbps\":%.3f,\"rx_dropped\":%llu,"
		       "\"rx_invalid_descs\":%llu,\"tx_invalid_descs\":%llu}\n",
		       (unsigned long long)b.packets,
		       (unsigned long long)b.bytes, el,
		       (double)b.packets / el / 1e6,
		       (double)b.bytes * 8 / el / 1e9,
		       (unsigned long long)rxs.rx_dropped,
		       (unsigned long long)rxs.rx_invalid_descs,
		       (unsigned long long)txs.tx_invalid_descs);
	else
		printf("%s: %llu frames (%llu bytes) in %.3f s: %.3f Mpps, %.3f Gbit/s\n",
		       mode, (unsigned long long)b.packets,
		       (unsigned long long)b.bytes, el,
		       (double)b.packets / el / 1e6,
		       (double)b.bytes * 8 / el / 1e9);
	xsk_socket__delete(b.in);
	if (b.out)
		xsk_socket__delete(b.out);
	xsk_umem__delete(b.umem);
	bpf_object__close(obj);
	return 0;
}
