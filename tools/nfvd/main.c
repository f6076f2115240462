// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd main: options, the init ladder and the event loop.
 *
 * The loop sleeps in epoll_wait() until a client speaks, an NF kicks the
 * doorbell (it returned or sent frames while we slept) or a dead NF's
 * grace period ends; while frames move it keeps recycling without sleep,
 * and for --linger-us after they stopped it looks again every 50 us
 * without asking to be kicked.
 */
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <bpf/libbpf.h>

#include "config.h"
#include "dpif.h"
#include "closer.h"
#include "flow_idle.h"
#include "flows.h"
#include "heartbeat.h"
#include "ledger.h"
#include "metrics.h"
#include "nf.h"
#include "nfvd.h"
#include "offload.h"
#include "policy.h"
#include "port.h"
#include "recycle.h"
#include "sd.h"
#include "server.h"
#include "state.h"
#include "tables.h"
#include "umem.h"
#include "nfv_version.h"

#define IDLE_TIMEOUT_MS	NFV_HEARTBEAT_PERIOD_MS
#define LINGER_STEP_NS	50000
#define LINGER_US	500
#define NFV_STATE_DIR	"/var/lib/nfv"

static struct nfvd *the_nfvd;
static int verbosity;
static volatile sig_atomic_t got_usr1, got_hup;

/*
 * Log lines: to the journal (JOURNAL_STREAM) with its "<N>" priority
 * prefixes, else with a timestamp; a line may come in several calls.
 */
static bool journal;

static int log_line(int prio, const char *fmt, va_list ap)
{
	static bool line_start = true;
	char buf[1024];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return n;
	if (line_start) {
		if (journal) {
			fprintf(stderr, "<%d>", prio);
		} else {
			struct timespec ts;
			struct tm tm;

			clock_gettime(CLOCK_REALTIME, &ts);
			localtime_r(&ts.tv_sec, &tm);
			fprintf(stderr, "%04d-%02d-%02d %02d:%02d:%02d.%03ld ",
				tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				tm.tm_hour, tm.tm_min, tm.tm_sec,
				ts.tv_nsec / 1000000);
		}
	}
	fputs(buf, stderr);
	line_start = n && buf[(size_t)n < sizeof(buf) ? (size_t)n - 1 :
			      sizeof(buf) - 2] == '\n';
	return n;
}

static int print_fn(enum nfv_print_level level, const char *fmt, va_list ap)
{
	if ((int)level > verbosity)
		return 0;
	/* syslog(3) priorities: warning, info, debug */
	return log_line(level == NFV_WARN ? 4 : level == NFV_INFO ? 6 : 7,
			fmt, ap);
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt,
			   va_list ap)
{
	if (level == LIBBPF_DEBUG && verbosity < 2)
		return 0;
	return log_line(level == LIBBPF_WARN ? 4 : level == LIBBPF_INFO ? 6 : 7,
			fmt, ap);
}

static void on_signal(int sig)
{
	switch (sig) {
	case SIGUSR1:
		got_usr1 = 1;
		break;
	case SIGHUP:
		got_hup = 1;
		break;
	default:
		if (the_nfvd)
			the_nfvd->stop = 1;
		break;
	}
}

/* SIGUSR1: one status line, in the log and to the service manager. */
static void status(struct nfvd *d)
{
	int i, ports = 0, nfs = 0;

	for (i = 1; i < NFV_PORT_MAX; i++)
		ports += !!d->ports[i].id;
	for (i = 1; i < NFV_NF_MAX; i++)
		nfs += d->nfs[i].state == NFV_NF_STATE_UP;
	pr_info("nfvd: status: %d ports, %d NFs up, %u flows, %u of %u frames free, %s datapath\n",
		ports, nfs, d->n_flows, d->n_free, d->cfg.frames, d->dp->name);
	sd_notifyf("STATUS=%d ports, %d NFs up, %u flows, %u of %u frames free",
		   ports, nfs, d->n_flows, d->n_free, d->cfg.frames);
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvd [OPTIONS]\n"
		"\n"
		"The nfv fabric daemon: owns the UMEM, the fill and completion\n"
		"rings, the tables and the NF lifecycle; serves the nfv control\n"
		"API on a unix socket.  Runs in the foreground.\n"
		"\n"
		"  -s, --socket PATH    control socket (default %s)\n"
		"  -f, --frames N       UMEM frames, 1024..1048576 (default 16384)\n"
		"      --frame-size N   2048 or 4096 (default 2048)\n"
		"      --flows N        exact flow table size, 1..%d (default %d)\n"
		"      --fill N         frames kept in each fill ring (default 2048)\n"
		"      --socket-group G the socket is root:G 0660 and G's members\n"
		"                       may attach NFs (default: root only)\n"
		"      --policy FILE    who may attach as which service (see\n"
		"                       nfvd(8)); replaces the default rules\n"
		"      --bpf PATH       classifier object (default: next to nfvd,\n"
		"                       ../bpf/nfv_xdp.bpf.o or ../lib/nfv/)\n"
		"      --state FILE     where the configuration and NFs are kept\n"
		"                       across restarts (default: " NFV_STATE_DIR "/ and\n"
		"                       the socket path with - for /, .state;\n"
		"                       \"none\": nothing kept)\n"
		"      --reset          discard the saved state: start empty\n"
		"      --config FILE    an nfvctl -batch file (nfvctl save) applied\n"
		"                       at start if the fabric is empty after the\n"
		"                       state file's restore; a failing line undoes\n"
		"                       the file and nfvd exits 1\n"
		"      --fail-after MS  ports follow their fail policy (fail\n"
		"                       open: to the kernel, closed: drop) when\n"
		"                       nfvd gave no sign of life for MS ms,\n"
		"                       100..60000 (default %d)\n"
		"      --nf-frames N    frames an NF may hold before it gets no\n"
		"                       more (default: a fair share of the UMEM,\n"
		"                       at least %d)\n"
		"      --nf-overrun drop|kill\n"
		"                       an NF over its budget gets nothing until\n"
		"                       it is back under (drop, the default), or\n"
		"                       is killed\n"
		"      --max-nfs-per-uid N\n"
		"                       NFs a uid other than root may have\n"
		"                       attached at once, 1..%d (default %d);\n"
		"                       such a uid may hold N + 64 connections\n"
		"      --offload-idle MS\n"
		"                       an offloaded flow with no frame for MS ms\n"
		"                       takes its chain again, 100..3600000\n"
		"                       (default %d)\n"
		"      --linger-us US\n"
		"                       after frames moved, look again every\n"
		"                       50 us for US us before sleeping until\n"
		"                       an NF kicks, 0..100000 (default %d; 0:\n"
		"                       sleep at once)\n"
		"      --metrics [ADDR:]PORT\n"
		"                       serve /metrics (Prometheus) over HTTP on\n"
		"                       ADDR (default 127.0.0.1; [v6] too) PORT\n"
		"  -V, --version        print the version and exit\n"
		"  -v, --verbose        more messages (twice: libbpf debug)\n"
		"  -h, --help           this help\n"
		"\n"
		"With nfv.ko loaded, the module writes the tables and keeps the\n"
		"configuration (no state file), nfvd serves its ports and NFs;\n"
		"NFV_BACKEND=daemon ignores the module, NFV_BACKEND=kernel\n"
		"refuses to start without it.\n",
		NFV_DEFAULT_SOCKET, NFV_FLOWS_MAX, NFV_FLOWS_DEFAULT,
		NFV_HEARTBEAT_TIMEOUT_MS, NFVD_BUDGET_MIN, NFV_NF_MAX - 1,
		NFVD_MAX_NFS_PER_UID, NFVD_OFFLOAD_IDLE_MS, LINGER_US);
}

static int parse_u32(const char *opt, const char *s, uint32_t min,
		     uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || !*s || *end || x < min || x > max || *s == '-') {
		fprintf(stderr, "nfvd: invalid %s \"%s\": must be %u..%u\n",
			opt, s, min, max);
		return -EINVAL;
	}
	*v = (uint32_t)x;
	return 0;
}

static const char *default_bpf_obj(void)
{
	static char path[PATH_MAX];
	static const char *const rel[] = {
		"/../bpf/nfv_xdp.bpf.o", "/../lib/nfv/nfv_xdp.bpf.o",
	};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n > 0) {
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			if (snprintf(path, sizeof(path), "%.3800s%s", exe,
				     rel[i]) >= (int)sizeof(path))
				continue;
			if (!access(path, R_OK))
				return path;
		}
	}
	return "build/bpf/nfv_xdp.bpf.o";
}

/*
 * One state per socket, outside the socket's directory (a sandboxed NF
 * sees all of that, docs/containers.md): /var/lib/nfv/ and the socket
 * path with '/' as '-': /run/nfv/nfvd.sock -> run-nfv-nfvd.sock.state.
 */
static const char *default_state_path(const char *socket_path)
{
	static char path[PATH_MAX];
	const char *s = socket_path;
	size_t n;

	while (*s == '/')
		s++;
	n = (size_t)snprintf(path, sizeof(path), "%s/%s.state",
			     NFV_STATE_DIR, s);
	if (n >= sizeof(path))
		return NULL;
	for (n = strlen(NFV_STATE_DIR) + 1; path[n]; n++)
		if (path[n] == '/')
			path[n] = '-';
	return path;
}

static int parse_options(int argc, char **argv, struct nfvd *d)
{
	enum { OPT_FRAME_SIZE = 256, OPT_FLOWS, OPT_FILL, OPT_BPF, OPT_GROUP,
	       OPT_POLICY, OPT_STATE, OPT_RESET, OPT_FAIL_AFTER, OPT_NF_FRAMES,
	       OPT_NF_OVERRUN, OPT_MAX_NFS_PER_UID, OPT_OFFLOAD_IDLE, OPT_CONFIG,
	       OPT_METRICS, OPT_LINGER };
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "frames", required_argument, NULL, 'f' },
		{ "frame-size", required_argument, NULL, OPT_FRAME_SIZE },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "fill", required_argument, NULL, OPT_FILL },
		{ "bpf", required_argument, NULL, OPT_BPF },
		{ "socket-group", required_argument, NULL, OPT_GROUP },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "reset", no_argument, NULL, OPT_RESET },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "fail-after", required_argument, NULL, OPT_FAIL_AFTER },
		{ "nf-frames", required_argument, NULL, OPT_NF_FRAMES },
		{ "nf-overrun", required_argument, NULL, OPT_NF_OVERRUN },
		{ "max-nfs-per-uid", required_argument, NULL,
		  OPT_MAX_NFS_PER_UID },
		{ "offload-idle", required_argument, NULL, OPT_OFFLOAD_IDLE },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "linger-us", required_argument, NULL, OPT_LINGER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	struct nfvd_config *cfg = &d->cfg;
	int c;

	cfg->socket_path = getenv("NFV_SOCKET") ?: NFV_DEFAULT_SOCKET;
	cfg->frames = 16384;
	cfg->frame_size = 2048;
	cfg->flows = NFV_FLOWS_DEFAULT;
	cfg->fill_target = 2048;
	cfg->bpf_obj = NULL;
	cfg->socket_gid = -1;
	cfg->heartbeat_timeout_ms = NFV_HEARTBEAT_TIMEOUT_MS;
	cfg->max_nfs_per_uid = NFVD_MAX_NFS_PER_UID;
	cfg->offload_idle_ms = NFVD_OFFLOAD_IDLE_MS;
	cfg->linger_us = LINGER_US;

	while ((c = getopt_long(argc, argv, "s:f:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			cfg->socket_path = optarg;
			break;
		case 'f':
			if (parse_u32("--frames", optarg, 1024, 1 << 20,
				      &cfg->frames))
				return -EINVAL;
			break;
		case OPT_FRAME_SIZE:
			if (parse_u32("--frame-size", optarg, 2048, 4096,
				      &cfg->frame_size))
				return -EINVAL;
			if (cfg->frame_size != 2048 && cfg->frame_size != 4096) {
				fprintf(stderr, "nfvd: --frame-size must be 2048 or 4096\n");
				return -EINVAL;
			}
			break;
		case OPT_FLOWS:
			if (parse_u32("--flows", optarg, 1, NFV_FLOWS_MAX,
				      &cfg->flows))
				return -EINVAL;
			break;
		case OPT_FILL:
			if (parse_u32("--fill", optarg, 64, 4096,
				      &cfg->fill_target))
				return -EINVAL;
			break;
		case OPT_BPF:
			cfg->bpf_obj = optarg;
			break;
		case OPT_GROUP: {
			struct group *g = getgrnam(optarg);
			char *end;
			long gid = strtol(optarg, &end, 10);

			if (g)
				gid = g->gr_gid;
			else if (*end || gid < 0) {
				fprintf(stderr, "nfvd: unknown group \"%s\"\n",
					optarg);
				return -EINVAL;
			}
			cfg->socket_gid = (int)gid;
			break;
		}
		case OPT_POLICY:
			cfg->policy = optarg;
			break;
		case OPT_STATE:
			cfg->state_path = optarg;
			break;
		case OPT_RESET:
			cfg->reset = true;
			break;
		case OPT_CONFIG:
			cfg->config_path = optarg;
			break;
		case OPT_NF_FRAMES:
			if (parse_u32("--nf-frames", optarg, 1, 1 << 20,
				      &cfg->nf_frames))
				return -EINVAL;
			break;
		case OPT_NF_OVERRUN:
			if (strcmp(optarg, "drop") && strcmp(optarg, "kill")) {
				fprintf(stderr, "nfvd: --nf-overrun must be drop or kill\n");
				return -EINVAL;
			}
			cfg->overrun_kill = !strcmp(optarg, "kill");
			break;
		case OPT_FAIL_AFTER:
			if (parse_u32("--fail-after", optarg, 100, 60000,
				      &cfg->heartbeat_timeout_ms))
				return -EINVAL;
			break;
		case OPT_MAX_NFS_PER_UID:
			if (parse_u32("--max-nfs-per-uid", optarg, 1,
				      NFV_NF_MAX - 1, &cfg->max_nfs_per_uid))
				return -EINVAL;
			break;
		case OPT_OFFLOAD_IDLE:
			if (parse_u32("--offload-idle", optarg, 100, 3600000,
				      &cfg->offload_idle_ms))
				return -EINVAL;
			break;
		case OPT_LINGER:
			if (parse_u32("--linger-us", optarg, 0, 100000,
				      &cfg->linger_us))
				return -EINVAL;
			break;
		case OPT_METRICS:
			if (metrics_parse(d, optarg)) {
				fprintf(stderr, "nfvd: invalid --metrics \"%s\": must be [ADDR:]PORT\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'v':
			cfg->verbose++;
			break;
		case 'V':
			printf("nfvd (nfv) %s\n", NFV_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nfvd: unexpected argument \"%s\"\n",
			argv[optind]);
		return -EINVAL;
	}
	if (!cfg->bpf_obj)
		cfg->bpf_obj = default_bpf_obj();
	if (!cfg->state_path)
		cfg->state_path = default_state_path(cfg->socket_path);
	else if (!strcmp(cfg->state_path, "none"))
		cfg->state_path = NULL;
	if (cfg->fill_target > cfg->frames / 4)
		cfg->fill_target = cfg->frames / 4;
	return 0;
}

/* ---- clients ---- */

/* An nfvd already answers on @path: two would fight over one state. */
static bool socket_alive(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool alive;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return false;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	alive = !connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return alive;
}

static int listen_socket(const char *path, int gid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)];
	char *slash;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		mkdir(dir, 0755);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, 64)) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (gid >= 0 && chown(path, 0, (gid_t)gid))
		pr_warn("nfvd: cannot give %s to group %d: %s\n", path, gid,
			strerror(errno));
	chmod(path, 0660);
	return fd;
}

/* ---- loop ---- */

static int loop(struct nfvd *d)
{
	uint64_t watchdog = sd_watchdog_ns() / 2, ping = 0;
	struct epoll_event evs[64];
	uint64_t v, idle_since = 0;
	uint64_t linger_ns = (uint64_t)d->cfg.linger_us * 1000;
	int i, n, timeout;
	bool linger;

	while (!d->stop) {
		if (got_usr1) {
			got_usr1 = 0;
			status(d);
		}
		if (got_hup) {
			got_hup = 0;
			policy_reload(d);
		}
		if (watchdog && nfvd_now_ns() >= ping) {
			sd_notifyf("WATCHDOG=1");
			ping = nfvd_now_ns() + watchdog;
		}
		int moved = recycle(d);
		uint64_t reap = nf_next_reap_ns(d);
		uint64_t wake, due = server_tick(d), offl = offload_tick(d);
		uint64_t mhd = metrics_due_ns(d), idle = flow_idle_tick(d);

		if (offl && (!due || offl < due))
			due = offl;
		if (idle && (!due || idle < due))
			due = idle;
		if (mhd && mhd <= nfvd_now_ns())
			metrics_run(d);		/* MHD's timeouts */
		else if (mhd && (!due || mhd < due))
			due = mhd;
		heartbeat_tick(d);
		nf_reserve_tick(d);

		if (reap && reap <= nfvd_now_ns())
			nf_reap(d);
		port_pools_tick(d);
		ledger_rx_census(d);
		timeout = IDLE_TIMEOUT_MS;
		linger = false;
		if (moved) {
			timeout = 0;
			idle_since = 0;
		} else if (linger_ns &&
			   (!idle_since ||
			    nfvd_now_ns() - idle_since < linger_ns)) {
			/*
			 * Frames moved a moment ago: more are coming.  Look
			 * again every LINGER_STEP_NS without saying we
			 * sleep, so that the NFs need not kick us (a system
			 * call and a wake-up each burst, nfv_nfvd_kick()).
			 */
			if (!idle_since)
				idle_since = nfvd_now_ns();
			linger = true;
		} else {
			/* Tell NFs to kick us, then look again (they
			 * publish, then read the flag; we do the reverse).
			 */
			__atomic_store_n(&d->tables->nfvd_sleeping, 1,
					 __ATOMIC_SEQ_CST);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (recycle_pending(d))
				timeout = 0;
		}
		/* A port's pools wait for the closer's grace period. */
		if (d->n_pools_released && timeout > 1)
			timeout = 1;
		/* Awake for a dead NF's reclaim, clients' deadlines, pings. */
		wake = due && (!reap || due < reap) ? due : reap;
		if (watchdog && (!wake || ping < wake))
			wake = ping;
		if (wake) {
			uint64_t now = nfvd_now_ns();
			int ms = wake > now ? (int)((wake - now) / 1000000) + 1 : 0;

			if (ms < timeout)
				timeout = ms;
		}
		if (linger && timeout) {
			struct timespec ts = { .tv_nsec = LINGER_STEP_NS };

			n = epoll_pwait2(d->epoll_fd, evs, 64, &ts, NULL);
		} else {
			n = epoll_wait(d->epoll_fd, evs, 64, timeout);
		}
		__atomic_store_n(&d->tables->nfvd_sleeping, 0,
				 __ATOMIC_RELAXED);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == &d->listen_fd)
				server_accept(d);
			else if (evs[i].data.ptr == &d->doorbell &&
				 read(d->doorbell, &v, sizeof(v)) == sizeof(v))
				d->kicked++;	/* not v: an NF writes it */
			else if (evs[i].data.ptr == &d->dp_event)
				d->dp->input(d);
			else if (evs[i].data.ptr == &d->metrics)
				metrics_run(d);
			else
				server_event(d, evs[i].data.ptr,
					     evs[i].events);
		}
		/* After the batch: later events may name a client killed. */
		server_reap(d);
	}
	return 0;
}

/*
 * The datapath, chosen once: nfv.ko if loaded (it takes the maps, nfvd
 * adopts its ports), else nfvd's own maps.
 */
static int dp_open(struct nfvd *d)
{
	static const struct nfvd_dp_ops *const dps[] = {
		&nfvd_dp_kernel,
		&nfvd_dp_maps,
	};
	unsigned int i;
	int err;

	for (i = 0; i < sizeof(dps) / sizeof(dps[0]); i++) {
		d->dp = dps[i];
		err = d->dp->open(d);
		if (err != NFVD_DP_ABSENT)
			return err;
	}
	return -ENODEV;
}

static void port_teardown(struct nfvd *d)
{
	int i;

	for (i = 1; i < NFV_PORT_MAX; i++)
		if (d->ports[i].id)
			port_del(d, &d->ports[i]);
}

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sigaction sa = { .sa_handler = on_signal };
	static struct nfvd d;
	bool activated = false;
	int err, i;

	d.listen_fd = d.epoll_fd = d.doorbell = -1;
	d.umem_memfd = d.umem_ro_fd = d.umem_fd = d.tables_fd = -1;
	d.state_fd = d.map_heartbeat = d.reserve_fd = -1;
	d.map_offload = d.map_offload_on = d.tc_prog_fd = d.map_segs = -1;
	for (i = 0; i < NFV_NF_MAX; i++)
		nf_slot_init(&d.nfs[i]);
	if (parse_options(argc, argv, &d))
		return 1;
	verbosity = d.cfg.verbose + 1;	/* warnings and info by default */
	nfv_set_print(print_fn);
	libbpf_set_print(libbpf_print_fn);
	the_nfvd = &d;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	journal = sd_journal();
	/* Taken before anything else opens fd 3. */
	d.listen_fd = sd_listen_fd();
	if (d.listen_fd >= 0) {
		activated = true;
	} else if (d.listen_fd != -ENOENT) {
		pr_warn("nfvd: socket activation: %s\n",
			strerror(-d.listen_fd));
		return 1;
	}
	err = server_init(&d);
	if (err)
		pr_warn("nfvd: no reserve fd for accept(): %s\n",
			strerror(-err));

	if (!activated && socket_alive(d.cfg.socket_path)) {
		pr_warn("nfvd: another nfvd serves %s already\n",
			d.cfg.socket_path);
		return 1;
	}
	err = policy_init(&d);
	if (err)
		return 1;
	err = tables_init(&d);
	if (!err)
		err = offload_init(&d);
	if (err)
		goto err_tables;
	heartbeat_init(&d);
	err = umem_init(&d);
	if (!err)
		err = ledger_init(&d);
	if (err) {
		pr_warn("nfvd: cannot create UMEM of %u frames: %s\n",
			d.cfg.frames, strerror(-err));
		goto err_umem;
	}
	d.doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d.doorbell < 0 || d.epoll_fd < 0) {
		err = -errno;
		goto err_loop;
	}
	if (!activated)
		d.listen_fd = listen_socket(d.cfg.socket_path,
					    d.cfg.socket_gid);
	if (d.listen_fd < 0) {
		err = d.listen_fd;
		pr_warn("nfvd: cannot listen on %s: %s\n", d.cfg.socket_path,
			strerror(-err));
		goto err_loop;
	}
	err = dp_open(&d);
	if (err)
		goto err_loop;
	/*
	 * Before NFs are served (the loop): they come back to a fabric as it
	 * was (nfvd's state file, or the module's configuration).
	 */
	err = d.dp->restore(&d);
	if (err)
		goto err_ports;
	/* Only over an empty fabric: the state file's restore comes first. */
	err = config_apply(&d);
	if (err)
		goto err_ports;
	ev.data.ptr = &d.listen_fd;
	epoll_ctl(d.epoll_fd, EPOLL_CTL_ADD, d.listen_fd, &ev);
	ev.data.ptr = &d.doorbell;
	epoll_ctl(d.epoll_fd, EPOLL_CTL_ADD, d.doorbell, &ev);
	err = metrics_init(&d);
	if (err) {
		pr_warn("nfvd: cannot serve --metrics: %s\n", strerror(-err));
		goto err_ports;
	}

	pr_info("nfvd: %s %s, %u frames of %u bytes%s\n",
		activated ? "serving the socket passed for" : "listening on",
		d.cfg.socket_path, d.cfg.frames, d.cfg.frame_size,
		d.umem_huge ? " (huge pages)" : "");
	sd_notifyf("READY=1\nSTATUS=serving %s, %u frames, %s datapath",
		   d.cfg.socket_path, d.cfg.frames, d.dp->name);
	closer_init(&d);
	err = loop(&d);
	sd_notifyf("STOPPING=1");

err_ports:
	port_teardown(&d);
	/* A socket the service manager made stays its own. */
	if (!activated)
		unlink(d.cfg.socket_path);
err_loop:
	metrics_fini(&d);
	state_fini(&d);
	if (d.listen_fd >= 0)
		close(d.listen_fd);
	if (d.epoll_fd >= 0)
		close(d.epoll_fd);
	if (d.doorbell >= 0)
		close(d.doorbell);
	if (d.dp && d.dp->close)
		d.dp->close(&d);
err_umem:
	closer_fini(&d);
	umem_fini(&d);
	ledger_fini(&d);
	flows_fini(&d);
err_tables:
	offload_fini(&d);
	tables_fini(&d);
	/* > 0: the failure was logged where it happened (--config). */
	if (err < 0)
		pr_warn("nfvd: %s\n", strerror(-err));
	return err ? 1 : 0;
}
