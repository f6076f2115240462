/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd: the fabric daemon.  Owns the UMEM, every (port, queue) owner
 * socket with its fill and completion rings, frame accounting, the XSKMAP,
 * the tables (when nfv.ko is not loaded) and the NF lifecycle.
 *
 * Single-threaded: every function here runs on the event loop thread
 * (the one exception, closer.c, only closes the fds handed to it).
 */
#ifndef __NFVD_H
#define __NFVD_H

#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/if_xdp.h>
#include <linux/netlink.h>
#include <linux/nfv_match.h>
#include <xdp/xsk.h>

#include <nfv/libnfv.h>
#include "nfv_custody.h"
#include "nfv_lane.h"
#include "nfv_msg.h"
#include "nfv_reach.h"
#include "nfv_segment.h"
#include "nfv_tables.h"
#include "log.h"

struct bpf_object;
struct nfvd_closer;
struct nfvd_dp_ops;
struct mnl_socket;

struct nfvd_config {
	const char *socket_path;
	const char *bpf_obj;
	uint32_t frames;
	uint32_t frame_size;
	uint32_t flows;
	uint32_t fill_target;
	int verbose;
	const char *policy;
	int socket_gid;			/* -1: none */
	const char *state_path;		/* NULL: no state kept */
	bool reset;			/* --reset: start empty */
	const char *config_path;	/* --config: applied to an empty fabric */
	uint32_t heartbeat_timeout_ms;	/* --fail-after */
	uint32_t nf_frames;		/* --nf-frames: budget, 0: fair share */
	bool overrun_kill;		/* --nf-overrun kill */
	uint32_t max_nfs_per_uid;	/* --max-nfs-per-uid, root: no cap */
	uint32_t offload_idle_ms;	/* --offload-idle */
	uint32_t linger_us;		/* --linger-us */
	bool metrics;			/* --metrics given: */
	struct sockaddr_in6 metrics_addr; /* or a sockaddr_in (metrics.c) */
};

#define NFVD_COMP_WAIT_MAX	4096

/*
 * The least frame budget an NF gets: what it may hold honestly is a
 * batch and what its producers' lanes hold, and it gets room for
 * four full lanes.
 */
#define NFVD_BUDGET_MIN		(4 * NFV_LANE_SIZE)
/* Ring sizes: an NF's tx ring, a pool's completion ring. */
#define NFVD_NF_TX_SIZE		2048
#define NFVD_COMP_SIZE		4096
/* Frames an NF may have in flight per tx socket: its tx ring and the
 * pool's completion ring behind it.
 */
#define NFVD_TX_INFLIGHT_MAX	(NFVD_NF_TX_SIZE + NFVD_COMP_SIZE)

/*
 * Owner of the memfds nfvd shares (mode 0000): nobody but nfvd, whatever
 * uid an NF runs as, can reopen one through /proc/self/fd or chmod it.
 */
#define NFVD_SHM_UID		((uid_t)-2)

#define NFVD_POLICY_MAX	256
#define NFVD_MAX_NFS_PER_UID	64	/* --max-nfs-per-uid default */

/* Flow rules an NF may hold when its policy line says "flows" alone. */
#define NFVD_NF_FLOWS_MAX	65536

struct nfvd_policy_rule {
	bool group;
	bool readonly_only;
	uint32_t id;
	uint16_t sid_lo, sid_hi;
	uint16_t flow_lo, flow_hi;	/* chains of its flow rules; 0: none */
	uint32_t flows_max;		/* rules an NF may hold */
	bool flows_keep;		/* its rules outlive it */
};

/* What a pool is to the ports (port.c has the whole story). */
enum nfvd_pool_state {
	POOL_FREE,			/* slot unused */
	POOL_USED,			/* a port's: fill ring kept full */
	POOL_RELEASED,			/* port gone: waits a grace period */
	POOL_IDLE,			/* quiet, fill ring given back */
	POOL_CLOSED,			/* closed, still in the ledger */
};

/*
 * Fill/completion rings of one (port, queue) buffer pool, and the owner
 * socket's tx ring (nfvd transmits what read-only NFs hand it).
 */
struct nfvd_pool {
	int fd;				/* owner socket; -1: closed */
	uint8_t index;			/* in d->pools[] */
	uint8_t state;			/* enum nfvd_pool_state */
	uint32_t ifindex;
	uint16_t queue;
	bool bound;			/* socket open and bound */
	uint64_t grace;			/* RELEASED: its closer ticket */
	/* Fill positions voided (recycle.c): the kernel skips them. */
	uint32_t void_lo, void_hi;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_prod tx;
	void *fill_map, *comp_map, *tx_map;
	size_t fill_map_len, comp_map_len, tx_map_len;
	uint32_t fill_seen;		/* fill positions the kernel took */
	uint64_t ring_full_closed;	/* rx ring overflows of closed sockets */
	bool tx_pending;
};

/* A port's decapsulation (enum nfv_port_decap and its parameters). */
struct nfvd_decap {
	uint8_t kind;			/* enum nfv_port_decap */
	bool has_vni;			/* vxlan: only @vni */
	uint16_t vxlan_port;		/* vxlan: host order */
	uint32_t vni;
};

struct nfvd_port {
	uint16_t id;			/* 0: slot unused */
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	uint8_t mode;			/* enum nfv_port_mode */
	uint16_t default_chain;
	uint32_t flags;
	struct nfvd_decap decap;
	uint16_t n_queues;
	struct nfvd_pool *pools[NFV_QUEUE_MAX];
	bool offload;			/* nfv_tc on its ingress (offload.c) */
	/* segment.c: a generic port's segmenter (seg_exit 0: none). */
	uint32_t seg_entry, seg_exit;	/* ifindexes of its pair */
	uint16_t seg_queue;		/* its pool: pools[seg_queue] */
};

/* Queues NFs have sockets for on @p: its own, and its segmenter's. */
static inline uint16_t port_n_pools(const struct nfvd_port *p)
{
	return p->n_queues + (p->seg_exit ? 1 : 0);
}

/*
 * An NF's AF_XDP socket, as nfvd sees it: an rx socket for one (port,
 * queue), in the XSKMAP, or a tx socket for one port (queue 0).
 */
struct nfvd_nf_sock {
	int fd;				/* nfvd's copy */
	uint16_t port, queue;		/* port 0: retired (port deleted) */
	uint16_t pool_port;		/* the port it was made for */
	struct nfvd_pool *pool;		/* set when bound */
	bool bound;
	bool tx;			/* a tx socket (no rx ring) */
	struct xsk_ring_cons rx;	/* nfvd's view, for reclaim */
	void *rx_map;
	size_t rx_map_len;
};

/*
 * A dump being answered (client.c, control_dump_next()): the request and
 * where the next message starts.
 */
struct nfvd_dump {
	uint8_t cmd;			/* NFV_CMD_*_GET; 0: none */
	struct nlmsghdr req;		/* the request's header */
	uint32_t pos;			/* next port, chain, NF, service slot */
	struct nfvd_flow *flow;		/* next flow; moved on if deleted */
	struct mnl_socket *relay;	/* the datapath's dump, relayed (dpif.h) */
	uint32_t relay_seq;
};

struct nfvd_msg;			/* a message queued to a client */
struct nfvd_nfstats;			/* an NF's own counters (nfstats.h) */

struct nfvd_client {
	int fd;
	uint32_t uid, gid;
	int pid;
	int nf;				/* NF id if this client is an NF */
	bool restore;			/* state.c replaying the state file */
	bool subscribed;		/* gets events (events.c) */
	int last_err;			/* outcome of the last request */
	const char *last_msg;
	/* client.c */
	struct nfvd_client *next, *prev; /* nfvd's clients */
	bool dead;			/* closed by client_reap() */
	uint32_t events;		/* epoll interest: EPOLLIN or EPOLLOUT */
	struct nfvd_msg *out, *out_tail; /* queued, not sent yet */
	uint32_t out_bytes, out_fds;
	bool corked;			/* queue, don't send (server.c input) */
	uint64_t attach_ns;		/* NF attached, READY still due */
	struct nfvd_dump dump;
};

struct nfvd_nf {
	uint16_t id;			/* 0: slot unused */
	uint16_t service;
	uint32_t flags;
	uint32_t gen;			/* of this incarnation (tables) */
	uint8_t state;			/* enum nfv_nf_state */
	/* Up before nfvd restarted: id held until it attaches again. */
	bool reserved;
	/* Dead and reclaimed, but live consumers still take what it sent:
	 * its slot and segment stay until they did.
	 */
	bool reaped;
	char name[NFV_NAME_LEN];
	int pid;
	int pidfd;			/* for --nf-overrun kill, -1 */
	struct nfvd_client *client;
	int seg_fd;			/* its segment (NFV_FD_SEG) */
	const uint8_t *seg;		/* mapped read-only once sealed */
	int doorbell;			/* eventfd passed to the NF */
	struct nfvd_nf_sock socks[NFV_PORT_MAX * (NFV_QUEUE_MAX + 1)];
	int n_socks;
	/* Pool index of its rx socket per (port, queue), tx per port; 0xff:
	 * none.  What its custody log may say it took or sent (ledger.c).
	 */
	uint8_t rx_pool[NFV_PORT_MAX][NFV_QUEUE_MAX];
	uint8_t tx_pool[NFV_PORT_MAX];
	struct nfv_reach reach;		/* what its chains let it reach */
	/* flow_owner.c: the flow rules it installed */
	uint32_t n_flows;
	bool flows_keep;		/* its policy keeps them at its death */
	uint64_t flows_refused;
	/* NFs that got its segment (lane_window(): who can take what). */
	uint64_t granted_to[NFV_NF_MAX / 64];

	/* ledger.c: its custody log and what it is charged with */
	uint32_t log_cons;		/* ours: never read back */
	uint32_t relay_cons;
	bool blocked;			/* log head waits for @wait_on, */
	uint16_t wait_on;		/* or for the kernel if 0, */
	bool cap_wait;			/* (a send past a lane's worth) */
	uint32_t wait_head;		/* the head (a log index) that waits, */
	uint64_t wait_since_ns;		/* since then */
	uint16_t *tap;			/* per frame: TAP_HELD, pending from
					 * an NF id, or 0
					 */
	uint16_t *transit_from;		/* per producer: frames on its lane */
	uint32_t transit_out;		/* frames on lanes out of it */
	uint32_t owed_out;		/* of those on cut lanes (owed) */
	uint32_t charge;		/* frames charged to it */
	uint32_t tx_out;		/* frames it sent, not completed */
	uint32_t n_tx_socks;		/* bound tx sockets */
	bool over;			/* over its budget */
	uint64_t refused;		/* log entries refused */
	uint64_t budget_hits;

	uint64_t reclaim_at_ns;		/* dead: reclaim after this time */
	/* Saved at death for stats: its segment may go before its slot. */
	struct nfv_nf_counters last;
	/* What it published about its own work (nfstats.c); NULL: nothing. */
	struct nfvd_nfstats *own;
};

struct nfvd_flow {
	struct nfvd_flow *next, *prev;	/* insertion order */
	struct nfvd_flow *hnext;	/* hash chain */
	uint32_t hash;
	struct nfv_match m;		/* compared and hashed whole */
	uint16_t chain;
	bool exact;			/* nfv_match_is_exact(&m) */
	bool seen;			/* dp-kernel.c: in the module's dump */
	uint16_t owner;			/* the NF that installed it, 0: admin */
	uint32_t idle_ms;		/* removed after so long unused; 0 */
	uint64_t seen_ms;		/* last found used (flow_idle.c) */
	struct nfvd_flow *inext, *iprev; /* rules with an idle timeout */
};

struct nfvd {
	struct nfvd_config cfg;
	int listen_fd;
	int epoll_fd;
	int doorbell;			/* eventfd NFs kick */
	volatile int stop;

	/* UMEM (umem.c) */
	int umem_memfd;
	int umem_ro_fd;			/* read-only open, for --readonly NFs */
	bool umem_huge;
	uint8_t *umem;
	uint64_t umem_size;
	int umem_fd;			/* first bound owner socket, -1 */

	/* frame accounting (ledger.c) */
	struct nfvd_frame *lf;		/* per frame */
	uint32_t *free_list;
	uint32_t n_free;
	uint64_t refused;		/* log entries refused */
	uint64_t forged_tx;		/* completions nobody was sending */
	uint64_t loop_drop;		/* moves past the budget */
	uint64_t lane_cuts;		/* lanes cut (ledger.c lane_cut()) */
	uint64_t kicked;		/* wake-ups by an NF's kick */
	uint64_t reclaimed;
	/* rx census (ledger.c): when next, 0: none due; per frame, the fill
	 * position + 1 at which the last census found it lost, 0: not.
	 */
	uint64_t census_at_ns;
	uint32_t *census_pos;
	uint32_t n_dying;		/* NFs DEAD, not freed yet (nf.c) */
	/* NFs whose segment nfvd has mapped (ledger.c walks these). */
	uint16_t seg_nfs[NFV_NF_MAX];
	uint32_t n_seg_nfs;
	/* Completions that matched no TX entry yet (umem.c). */
	struct nfvd_comp_wait {
		uint64_t addr;
		uint64_t until_ns;
		uint8_t pool;
	} comp_wait[NFVD_COMP_WAIT_MAX];
	uint32_t n_comp_wait;

	/* shared memory (shm.h) */
	int tables_fd;
	struct nfv_tables *tables;
	size_t tables_size;
	struct nfv_seg_layout lay;	/* of every NF's segment */

	/* BPF (tables.c) */
	struct bpf_object *obj;
	int prog_fd;
	int map_ports, map_chains, map_services, map_flows, map_rules;
	int map_xsks, map_stats, map_devmap;
	int map_segs;			/* nfv_segs; -1: none */
	int map_heartbeat;		/* -1: the object has none */
	int map_offload, map_offload_on, tc_prog_fd;	/* -1: none */
	struct nfvd_offload *offl;	/* offload.c's, NULL: no offload */
	uint64_t last_beat_ns;

	/* state file (state.c) */
	int state_fd;			/* open for appending, -1: none */
	uint64_t state_journal_bytes;	/* appended since the snapshot */
	uint64_t state_snapshot_bytes;
	bool restoring;
	uint64_t reserve_until_ns;	/* reserved NF ids expire then */

	/* configuration */
	struct nfvd_port ports[NFV_PORT_MAX];
	struct nfvd_pool pools[NFV_PORT_MAX * NFV_QUEUE_MAX];
	int n_pools;			/* slots ever used, FREE ones too */
	uint32_t n_pools_used;		/* USED: fill rings kept full */
	uint32_t n_pools_released;	/* RELEASED */
	uint64_t pool_sweep_ns;		/* next look at IDLE, CLOSED */
	struct nfvd_flow *flows, *flows_tail;
	struct nfvd_flow **flow_buckets;
	uint32_t n_flow_buckets, n_flows;
	uint32_t n_exact_flows;
	struct nfvd_flow *idle_flows;	/* with an idle timeout (flow_idle.c) */
	uint64_t idle_sweep_ns;
	uint64_t flows_expired;		/* removed idle */
	const char *dp_why;		/* the datapath's word on a refusal */
	struct nfvd_closer *closer;	/* closer.c: NULL, close inline */
	struct nfvd_nf nfs[NFV_NF_MAX];
	uint16_t next_nf_id;

	struct nfvd_policy_rule rules[NFVD_POLICY_MAX];
	int n_rules;

	struct nfvd_metrics *metrics;	/* metrics.c's, NULL: no --metrics */

	/* The datapath provider (dpif.h), chosen once at start. */
	const struct nfvd_dp_ops *dp;
	int dp_event;			/* epoll tag of its events */
	struct nfvd_kernel *kern;	/* dp-kernel.c's, NULL: not bound */

	/* clients (client.c) */
	struct nfvd_client *clients;
	uint32_t n_clients, n_dead;
	int reserve_fd;			/* given up when accept() hits EMFILE */
	uint64_t accept_resume_ns;	/* accepting paused until then; 0: not */
	uint64_t ready_due_ns;		/* earliest READY deadline; 0: none */
};

static inline uint64_t nfvd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The port of @ifindex, or else of @name; NULL: none. */
static inline struct nfvd_port *port_find(struct nfvd *d, uint32_t ifindex,
					   const char *name)
{
	int i;

	for (i = 1; i < NFV_PORT_MAX; i++) {
		struct nfvd_port *p = &d->ports[i];

		if (!p->id)
			continue;
		if (ifindex && p->ifindex == ifindex)
			return p;
		if (!ifindex && name && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* SIGKILL it (through its pidfd: never a process that reused its pid). */
static inline void nf_kill(struct nfvd_nf *nf)
{
	/* Never ourselves (a test harness attaching from nfvd's process). */
	if (nf->pidfd >= 0 && nf->pid != getpid())
		syscall(SYS_pidfd_send_signal, nf->pidfd, SIGKILL, NULL, 0);
}

#endif /* __NFVD_H */
