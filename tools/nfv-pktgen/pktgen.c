// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-pktgen: the fabric's own traffic generator and sink.
 *
 *   nfv-pktgen gen  -i DEV --dst-mac MAC [options]
 *   nfv-pktgen sink -i DEV [options]
 *
 * gen fills DEV (a veth whose peer runs an XDP program, e.g. a fabric
 * port) with UDP frames from BPF_PROG_RUN in live-frames mode: no socket,
 * no copy to user space, a few Mpps on one core.  sink attaches an XDP
 * program to DEV that counts the generator's frames, checks sequence
 * order and measures latency from the timestamp in the payload.  It
 * reports after --duration, at SIGINT or SIGTERM, or, at SIGUSR1 (the
 * sender is done), as soon as no frame arrived for DRAIN_QUIET_S: what
 * was still on its way is counted, and nobody waits out a margin.
 *
 * gen --socket sends from an AF_PACKET socket instead, in batches paced
 * by sleeping to absolute deadlines: a steady stream without the pause
 * each BPF_PROG_RUN call costs (an RCU grace period, ~25 ms here), and a
 * core left to others; up to a few hundred kpps.
 *
 * gen --gso sends from a UDP socket with UDP_SEGMENT: each send is one
 * GSO skb of up to 44 frames of --size, as a stock sender's stack makes
 * them; a veth whose peer keeps GSO carries it whole (a super-frame).
 * Frames here are the segments; their payload is not the sink's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pktgen.h"
#include "nfv_version.h"

struct opts {
	const char *dev;
	const char *obj;
	uint8_t dmac[6], smac[6];
	struct in_addr src, dst;
	uint32_t size;
	uint32_t flows;
	uint16_t sport, dport;
	double rate;		/* frames/s, 0: as fast as possible */
	double duration;
	uint64_t count;		/* stop after this many, 0: duration */
	bool json;
	bool generic;
	bool socket;		/* gen: AF_PACKET, paced by sleeping */
	bool gso;		/* gen: UDP socket, UDP_SEGMENT super-frames */
};

#define DRAIN_QUIET_S	0.05	/* SIGUSR1: no frame for this long, */
#define DRAIN_MAX_S	1.0	/* or this long after the signal */

static volatile sig_atomic_t stop, drain;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		drain = 1;
	else
		stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfv-pktgen gen -i DEV --dst-mac MAC [OPTIONS]\n"
		"       nfv-pktgen sink -i DEV [OPTIONS]\n"
		"\n"
		"  -i, --dev DEV        device to send on / receive on\n"
		"  -s, --size N         frame size in bytes, 64..1514 (default 64)\n"
		"  -f, --flows N        UDP flows, 1..16777216 (default 1): source ports,\n"
		"                       past 65535 16384 ports on each of N/16384\n"
		"                       source addresses from --src\n"
		"  -r, --rate PPS       frames per second (default: as fast as possible)\n"
		"  -d, --duration SEC   run time (default 5)\n"
		"  -n, --count N        gen: stop after N frames\n"
		"      --dst-mac MAC    gen: destination MAC\n"
		"      --src-mac MAC    gen: source MAC (default 02:00:00:00:00:01)\n"
		"      --src IP         gen: source address (default 198.18.0.1)\n"
		"      --dst IP         gen: destination address (default 198.18.0.2)\n"
		"      --sport N        gen: first source port (default 10000)\n"
		"      --dport N        UDP destination port (default 9)\n"
		"      --socket         gen: send from an AF_PACKET socket, paced by\n"
		"                       sleeping (steady; up to a few hundred kpps)\n"
		"      --gso            gen: send from a UDP socket as GSO super-frames\n"
		"                       of 44 frames (the route and neighbour are the\n"
		"                       kernel's; --dst-mac not used)\n"
		"      --generic        sink: attach in generic (skb) mode\n"
		"      --bpf PATH       pktgen.bpf.o (default: next to the binary)\n"
		"  -j, --json           print results as JSON\n"
		"\n"
		"sink reports after --duration, at SIGINT or SIGTERM, or at SIGUSR1\n"
		"(the sender is done) once no frame came for 50 ms.\n");
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int m[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (m[i] > 255)
			return -EINVAL;
		mac[i] = (uint8_t)m[i];
	}
	return 0;
}

static const char *default_obj(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		/* Installed: both in lib/nfv. */
		snprintf(path, sizeof(path), "%s/pktgen.bpf.o", exe);
		if (!access(path, R_OK))
			return path;
		snprintf(path, sizeof(path), "%s/../bpf/pktgen.bpf.o", exe);
		if (!access(path, R_OK))
			return path;
		snprintf(path, sizeof(path), "%s/../lib/nfv/pktgen.bpf.o", exe);
		if (!access(path, R_OK))
			return path;
	}
	return "build/bpf/pktgen.bpf.o";
}

static uint16_t ip_csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	while (len > 1) {
		sum += *w++;
		len -= 2;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t build_frame(const struct opts *o, uint8_t *buf)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	struct pktgen_payload *pl = (struct pktgen_payload *)(udp + 1);
	size_t len = o->size;

	memset(buf, 0, len);
	memcpy(eth->h_dest, o->dmac, 6);
	memcpy(eth->h_source, o->smac, 6);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)(len - sizeof(*eth)));
	ip->saddr = o->src.s_addr;
	ip->daddr = o->dst.s_addr;
	ip->check = ip_csum(ip, sizeof(*ip));
	udp->source = htons(o->sport);
	udp->dest = htons(o->dport);
	udp->len = htons((uint16_t)(len - sizeof(*eth) - sizeof(*ip)));
	udp->check = 0;		/* none: valid for IPv4 */
	pl->magic = PKTGEN_MAGIC;
	return len;
}

static struct bpf_object *open_obj(const struct opts *o)
{
	struct bpf_object *obj = bpf_object__open_file(o->obj, NULL);

	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "nfv-pktgen: cannot load %s: %s\n", o->obj,
			strerror(errno));
		return NULL;
	}
	return obj;
}

static int set_cfg(struct bpf_object *obj, const struct opts *o)
{
	struct pktgen_cfg cfg = {
		.flows = o->flows, .sport = o->sport, .dport = o->dport,
		.interval_ns = o->rate > 0 ? (uint64_t)(1e9 / o->rate) : 0,
		.max_packets = o->count, .saddr = o->src.s_addr,
	};
	int fd = bpf_object__find_map_fd_by_name(obj, "pktgen_cfg");
	uint32_t zero = 0;

	return bpf_map_update_elem(fd, &zero, &cfg, 0);
}

static int read_stats(struct bpf_object *obj, struct pktgen_stats *sum)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	int fd = bpf_object__find_map_fd_by_name(obj, "pktgen_stats");
	struct pktgen_stats v[ncpu > 0 ? ncpu : 1];
	uint32_t zero = 0;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0 || bpf_map_lookup_elem(fd, &zero, v))
		return -errno;
	for (c = 0; c < ncpu; c++) {
		sum->packets += v[c].packets;
		sum->bytes += v[c].bytes;
		sum->reordered += v[c].reordered;
		sum->dups += v[c].dups;
		if (v[c].max_seq > sum->max_seq)
			sum->max_seq = v[c].max_seq;
	}
	return 0;
}

/* SIGUSR1: until the count stood still for DRAIN_QUIET_S (at most DRAIN_MAX_S). */
static void drain_wait(struct bpf_object *obj)
{
	double t0 = now_s(), still = t0;
	struct pktgen_stats st;
	uint64_t last = 0;

	while (!stop && now_s() - t0 < DRAIN_MAX_S) {
		if (read_stats(obj, &st))
			return;
		if (st.packets != last) {
			last = st.packets;
			still = now_s();
		} else if (now_s() - still >= DRAIN_QUIET_S) {
			return;
		}
		usleep(5000);
	}
}

/* What gen sent, both ways of sending. */
/*
 * What the sender cost: its user CPU, and how often it slept (voluntary
 * context switches), which says whether a paced sender waits or spins
 * without counting the kernel's share of sending, which load inflates.
 */
static void print_sent(const struct opts *o, uint64_t sent, double elapsed)
{
	struct rusage ru = { 0 };

	getrusage(RUSAGE_SELF, &ru);
	if (o->json)
		printf("{\"sent\":%llu,\"seconds\":%.3f,\"mpps\":%.4f,"
		       "\"cpu_user\":%.3f,\"sleeps\":%ld}\n",
		       (unsigned long long)sent, elapsed,
		       (double)sent / elapsed / 1e6,
		       (double)ru.ru_utime.tv_sec +
		       (double)ru.ru_utime.tv_usec / 1e6, ru.ru_nvcsw);
	else
		printf("sent %llu frames of %u B in %.3f s: %.3f Mpps\n",
		       (unsigned long long)sent, o->size, elapsed,
		       (double)sent / elapsed / 1e6);
}

static int do_gen(const struct opts *o)
{
	uint8_t frame[1514];
	struct xdp_md ctx_in = { .data_end = o->size };
	LIBBPF_OPTS(bpf_test_run_opts, tr,
		    .data_in = frame,
		    .data_size_in = o->size,
		    .ctx_in = &ctx_in,
		    .ctx_size_in = sizeof(ctx_in),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = 64);
	struct bpf_object *obj;
	struct pktgen_stats st;
	uint64_t sent = 0, chunk;

	(void)sent;
	double t0, t, elapsed;
	int prog, err = 0;

	ctx_in.ingress_ifindex = if_nametoindex(o->dev);
	if (!ctx_in.ingress_ifindex) {
		fprintf(stderr, "nfv-pktgen: no device %s\n", o->dev);
		return 1;
	}
	build_frame(o, frame);
	obj = open_obj(o);
	if (!obj || set_cfg(obj, o))
		return 1;
	prog = bpf_program__fd(bpf_object__find_program_by_name(obj,
								 "pktgen_tx"));
	/*
	 * Each call costs an RCU grace period (~25 ms here): big calls, and
	 * the program itself keeps the rate and the count.
	 */
	chunk = o->rate > 0 ? 1 << 20 : 1 << 16;
	t0 = now_s();
	while (!stop) {
		t = now_s() - t0;
		if (!o->count && t >= o->duration)
			break;
		if (o->count && !read_stats(obj, &st) && st.packets >= o->count)
			break;
		tr.repeat = (uint32_t)chunk;
		err = bpf_prog_test_run_opts(prog, &tr);
		if (err) {
			fprintf(stderr, "nfv-pktgen: BPF_PROG_RUN: %s\n",
				strerror(errno));
			break;
		}
		sent += chunk;
	}
	elapsed = now_s() - t0;
	read_stats(obj, &st);
	print_sent(o, st.packets, elapsed);
	bpf_object__close(obj);
	return err ? 1 : 0;
}

#define SOCK_BATCH	32	/* frames a sendmmsg(), at most */
#define SOCK_PERIOD_NS	100000	/* a batch every 100 us at least */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* bpf_ktime_get_ns() */
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* gen --socket: the frames of pktgen_tx, from user space. */
static int do_gen_socket(const struct opts *o)
{
	static uint8_t frames[SOCK_BATCH][1514];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
		.sll_halen = 6,
	};
	struct mmsghdr msgs[SOCK_BATCH];
	struct iovec iov[SOCK_BATCH];
	uint64_t sent = 0, seq = 0, interval = 0, next, t0;
	uint32_t batch = SOCK_BATCH, i;
	struct timespec ts;
	double elapsed;
	int fd, n;

	if (o->flows > 65535) {
		fprintf(stderr, "nfv-pktgen: --socket sends at most 65535 flows\n");
		return 1;
	}
	sll.sll_ifindex = (int)if_nametoindex(o->dev);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "nfv-pktgen: no device %s\n", o->dev);
		return 1;
	}
	memcpy(sll.sll_addr, o->dmac, 6);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);	/* send only */
	if (fd < 0) {
		fprintf(stderr, "nfv-pktgen: AF_PACKET socket: %s\n",
			strerror(errno));
		return 1;
	}
	if (o->rate > 0) {
		batch = (uint32_t)(o->rate * SOCK_PERIOD_NS / 1e9);
		batch = batch < 1 ? 1 : batch > SOCK_BATCH ? SOCK_BATCH : batch;
		interval = (uint64_t)(batch * 1e9 / o->rate);
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < batch; i++) {
		build_frame(o, frames[i]);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = o->size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(sll);
	}
	t0 = next = now_ns();
	while (!stop) {
		uint64_t now = now_ns();

		if (!o->count && now - t0 >= (uint64_t)(o->duration * 1e9))
			break;
		if (o->count && sent >= o->count)
			break;
		n = (int)(o->count && o->count - sent < batch ?
			  o->count - sent : batch);
		for (i = 0; i < (uint32_t)n; i++) {
			struct pktgen_payload *pl = (void *)(frames[i] +
				sizeof(struct ethhdr) + sizeof(struct iphdr) +
				sizeof(struct udphdr));
			struct udphdr *udp = (void *)(frames[i] +
				sizeof(struct ethhdr) + sizeof(struct iphdr));

			if (o->flows > 1)
				udp->source = htons((uint16_t)(o->sport +
							       seq % o->flows));
			pl->seq = seq++;	/* sequence space 0 */
			pl->ts = now;
		}
		n = sendmmsg(fd, msgs, (unsigned int)n, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN &&
		    errno != EINTR) {
			fprintf(stderr, "nfv-pktgen: sendmmsg: %s\n",
				strerror(errno));
			break;
		}
		if (n > 0)
			sent += (uint64_t)n;
		if (!interval)
			continue;
		next += interval;
		ts.tv_sec = (time_t)(next / 1000000000ULL);
		ts.tv_nsec = (long)(next % 1000000000ULL);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	elapsed = (double)(now_ns() - t0) / 1e9;
	close(fd);
	print_sent(o, sent, elapsed);
	return 0;
}

#define GSO_SEGS	44	/* 44 x 1472 B: the most one UDP send takes */

static int do_gen_gso(const struct opts *o)
{
	static uint8_t buf[GSO_SEGS * 1472];
	int seg = (int)o->size - (int)(sizeof(struct ethhdr) +
				       sizeof(struct iphdr) +
				       sizeof(struct udphdr));
	struct sockaddr_in src = {
		.sin_family = AF_INET, .sin_addr = o->src,
		.sin_port = htons(o->sport),
	};
	struct sockaddr_in dst = {
		.sin_family = AF_INET, .sin_addr = o->dst,
		.sin_port = htons(o->dport),
	};
	size_t len = (size_t)seg * GSO_SEGS;
	uint64_t sent = 0, t0;
	double elapsed;
	ssize_t n;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->dev,
		       (socklen_t)strlen(o->dev)) ||
	    setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof(seg)) ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		fprintf(stderr, "nfv-pktgen: UDP GSO socket: %s\n",
			strerror(errno));
		return 1;
	}
	t0 = now_ns();
	while (!stop) {
		if (!o->count && now_ns() - t0 >= (uint64_t)(o->duration * 1e9))
			break;
		if (o->count && sent >= o->count)
			break;
		/* Not connected: a port unreachable ends no run. */
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&dst,
			   sizeof(dst));
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN &&
		    errno != EINTR) {
			fprintf(stderr, "nfv-pktgen: send: %s\n",
				strerror(errno));
			break;
		}
		if (n > 0)
			sent += GSO_SEGS;
	}
	elapsed = (double)(now_ns() - t0) / 1e9;
	close(fd);
	print_sent(o, sent, elapsed);
	return 0;
}

static double percentile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t want = (uint64_t)((double)total * q), acc = 0;
	int b;

	if (!total)
		return 0;
	for (b = 0; b < PKTGEN_HIST_BUCKETS; b++) {
		acc += h[b];
		if (acc > want)
			return (b + 0.5) * PKTGEN_HIST_NS / 1000.0;
	}
	return PKTGEN_HIST_BUCKETS * PKTGEN_HIST_NS / 1000.0;
}

/* The latency distribution as [[quantile, us], ...] for plots. */
static const char *cdf_json(const uint64_t *h, uint64_t total)
{
	static const double q[] = { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
				    0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995,
				    0.998, 0.999, 0.9995, 0.9999 };
	static char buf[1024];
	size_t i, n = 0;

	n += snprintf(buf + n, sizeof(buf) - n, "[");
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s[%g,%.1f]",
			      i ? "," : "", q[i], percentile(h, total, q[i]));
	snprintf(buf + n, sizeof(buf) - n, "]");
	return buf;
}

static int do_sink(const struct opts *o)
{
	int ncpu = libbpf_num_possible_cpus(), ifindex, prog, hfd, c;
	uint32_t flags = o->generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	static uint64_t hist[PKTGEN_HIST_BUCKETS];
	struct pktgen_stats st;
	struct bpf_object *obj;
	double t0, elapsed;
	uint32_t b;

	ifindex = (int)if_nametoindex(o->dev);
	if (!ifindex) {
		fprintf(stderr, "nfv-pktgen: no device %s\n", o->dev);
		return 1;
	}
	obj = open_obj(o);
	if (!obj || set_cfg(obj, o))
		return 1;
	prog = bpf_program__fd(bpf_object__find_program_by_name(obj,
								 "pktgen_sink"));
	if (bpf_xdp_attach(ifindex, prog, flags, NULL)) {
		fprintf(stderr, "nfv-pktgen: cannot attach to %s: %s\n",
			o->dev, strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	t0 = now_s();
	while (!stop && !drain && now_s() - t0 < o->duration)
		usleep(10000);
	if (drain && !stop)
		drain_wait(obj);
	elapsed = now_s() - t0;
	bpf_xdp_detach(ifindex, flags, NULL);
	read_stats(obj, &st);
	hfd = bpf_object__find_map_fd_by_name(obj, "pktgen_hist");
	for (b = 0; b < PKTGEN_HIST_BUCKETS; b++) {
		uint64_t v[ncpu > 0 ? ncpu : 1];

		hist[b] = 0;
		if (bpf_map_lookup_elem(hfd, &b, v))
			continue;
		for (c = 0; c < ncpu; c++)
			hist[b] += v[c];
	}
	/* Numbers past the record's reach: duplicates counted falsely. */
	if (st.max_seq >> PKTGEN_SEEN_BITS_LOG)
		fprintf(stderr, "nfv-pktgen: more than %llu frames from one CPU: duplicates not counted exactly\n",
			1ULL << PKTGEN_SEEN_BITS_LOG);
	if (o->json)
		printf("{\"received\":%llu,\"bytes\":%llu,\"reordered\":%llu,"
		       "\"dups\":%llu,\"dups_exact\":%s,"
		       "\"seconds\":%.3f,\"mpps\":%.4f,\"p50_us\":%.1f,"
		       "\"p99_us\":%.1f,\"p999_us\":%.1f,\"cdf\":%s}\n",
		       (unsigned long long)st.packets,
		       (unsigned long long)st.bytes,
		       (unsigned long long)st.reordered,
		       (unsigned long long)st.dups,
		       st.max_seq >> PKTGEN_SEEN_BITS_LOG ? "false" : "true",
		       elapsed,
		       (double)st.packets / elapsed / 1e6,
		       percentile(hist, st.packets, 0.5),
		       percentile(hist, st.packets, 0.99),
		       percentile(hist, st.packets, 0.999),
		       cdf_json(hist, st.packets));
	else
		printf("received %llu frames (%llu reordered, %llu duplicates) in %.3f s: "
		       "%.3f Mpps; latency p50 %.1f us p99 %.1f us p99.9 %.1f us\n",
		       (unsigned long long)st.packets,
		       (unsigned long long)st.reordered,
		       (unsigned long long)st.dups, elapsed,
		       (double)st.packets / elapsed / 1e6,
		       percentile(hist, st.packets, 0.5),
		       percentile(hist, st.packets, 0.99),
		       percentile(hist, st.packets, 0.999));
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_DMAC = 256, O_SMAC, O_SRC, O_DST, O_SPORT, O_DPORT, O_BPF,
	       O_GENERIC, O_SOCKET, O_GSO };
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'i' },
		{ "size", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "dst-mac", required_argument, NULL, O_DMAC },
		{ "src-mac", required_argument, NULL, O_SMAC },
		{ "src", required_argument, NULL, O_SRC },
		{ "dst", required_argument, NULL, O_DST },
		{ "sport", required_argument, NULL, O_SPORT },
		{ "dport", required_argument, NULL, O_DPORT },
		{ "bpf", required_argument, NULL, O_BPF },
		{ "generic", no_argument, NULL, O_GENERIC },
		{ "socket", no_argument, NULL, O_SOCKET },
		{ "gso", no_argument, NULL, O_GSO },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct opts o = {
		.size = 64, .flows = 1, .sport = 10000, .dport = 9,
		.duration = 5, .smac = { 2, 0, 0, 0, 0, 1 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	bool have_dmac = false;
	const char *mode;
	int c;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("nfv-pktgen (nfv) %s\n", NFV_VERSION);
		return 0;
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	mode = argv[1];
	inet_pton(AF_INET, "198.18.0.1", &o.src);
	inet_pton(AF_INET, "198.18.0.2", &o.dst);
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:s:f:r:d:n:jh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.dev = optarg;
			break;
		case 's':
			o.size = (uint32_t)atoi(optarg);
			break;
		case 'f':
			o.flows = (uint32_t)atoi(optarg);
			break;
		case 'r':
			o.rate = atof(optarg);
			break;
		case 'd':
			o.duration = atof(optarg);
			break;
		case 'n':
			o.count = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			o.json = true;
			break;
		case O_DMAC:
			if (parse_mac(optarg, o.dmac)) {
				fprintf(stderr, "nfv-pktgen: bad MAC %s\n", optarg);
				return 1;
			}
			have_dmac = true;
			break;
		case O_SMAC:
			if (parse_mac(optarg, o.smac)) {
				fprintf(stderr, "nfv-pktgen: bad MAC %s\n", optarg);
				return 1;
			}
			break;
		case O_SRC:
		case O_DST:
			if (inet_pton(AF_INET, optarg, c == O_SRC ? &o.src :
				      &o.dst) != 1) {
				fprintf(stderr, "nfv-pktgen: bad IPv4 address %s\n",
					optarg);
				return 1;
			}
			break;
		case O_SPORT:
			o.sport = (uint16_t)atoi(optarg);
			break;
		case O_DPORT:
			o.dport = (uint16_t)atoi(optarg);
			break;
		case O_BPF:
			o.obj = optarg;
			break;
		case O_GENERIC:
			o.generic = true;
			break;
		case O_SOCKET:
			o.socket = true;
			break;
		case O_GSO:
			o.gso = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (!o.dev) {
		fprintf(stderr, "nfv-pktgen: -i DEV is required\n");
		return 1;
	}
	if (o.size < 64 || o.size > 1514 || !o.flows ||
	    o.flows > PKTGEN_FLOWS_MAX || o.duration <= 0) {
		fprintf(stderr, "nfv-pktgen: size 64..1514, flows 1..%u, duration > 0\n",
			PKTGEN_FLOWS_MAX);
		return 1;
	}
	if (!o.obj)
		o.obj = default_obj();
	libbpf_set_print(NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (!strcmp(mode, "gen")) {
		if (o.gso)
			return do_gen_gso(&o);
		if (!have_dmac) {
			fprintf(stderr, "nfv-pktgen: gen needs --dst-mac\n");
			return 1;
		}
		return o.socket ? do_gen_socket(&o) : do_gen(&o);
	}
	if (!strcmp(mode, "sink"))
		return do_sink(&o);
	fprintf(stderr, "nfv-pktgen: unknown mode \"%s\": gen or sink\n", mode);
	return 1;
}
