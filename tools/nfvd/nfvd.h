/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd: the fabric daemon.  Owns the UMEM, every (port, queue) owner
 * socket with its fill and completion rings, frame accounting, the XSKMAP,
 * the tables (when nfv.ko is not loaded) and the NF lifecycle.
 *
 * Single-threaded: every function here runs on the event loop thread.
 */
#ifndef __NFVD_H
#define __NFVD_H

#include <net/if.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
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
	uint32_t heartbeat_timeout_ms;	/* --fail-after */
	uint32_t nf_frames;		/* --nf-frames: budget, 0: fair share */
	bool overrun_kill;		/* --nf-overrun kill */
	uint32_t max_nfs_per_uid;	/* --max-nfs-per-uid, root: no cap */
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

struct nfvd_policy_rule {
	bool group;
	bool readonly_only;
	uint32_t id;
	uint16_t sid_lo, sid_hi;
};

/*
 * Fill/completion rings of one (port, queue) buffer pool, and the owner
 * socket's tx ring (nfvd transmits what read-only NFs hand it).
 */
struct nfvd_pool {
	int fd;				/* owner socket; never closed */
	uint8_t index;			/* in d->pools[] */
	uint32_t ifindex;
	uint16_t queue;
	bool bound;
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
};

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
	struct mnl_socket *relay;	/* nfv.ko's dump, relayed (kbackend.c) */
	uint32_t relay_seq;
};

struct nfvd_msg;			/* a message queued to a client */

struct nfvd_client {
	int fd;
	uint32_t uid, gid;
	int pid;
	int nf;				/* NF id if this client is an NF */
	bool restore;			/* state.c replaying the state file */
	int last_err;			/* outcome of the last request */
	const char *last_msg;
	/* client.c */
	struct nfvd_client *next, *prev; /* nfvd's clients */
	bool dead;			/* closed by client_reap() */
	uint32_t events;		/* epoll interest: EPOLLIN or EPOLLOUT */
	struct nfvd_msg *out, *out_tail; /* queued, not sent yet */
	uint32_t out_bytes, out_fds;
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
	/* NFs that got its segment (lane_window(): who can take what). */
	uint64_t granted_to[NFV_NF_MAX / 64];

	/* ledger.c: its custody log and what it is charged with */
	uint32_t log_cons;		/* ours: never read back */
	uint32_t relay_cons;
	bool blocked;			/* log head waits for @wait_on, */
	uint16_t wait_on;		/* or for the kernel if 0, */
	uint32_t wait_head;		/* the head (a log index) that waits, */
	uint64_t wait_since_ns;		/* since then */
	uint16_t *tap;			/* per frame: TAP_HELD, pending from
					 * an NF id, or 0
					 */
	uint16_t *transit_from;		/* per producer: frames on its lane */
	uint32_t transit_out;		/* frames on lanes out of it */
	uint32_t charge;		/* frames charged to it */
	uint32_t tx_out;		/* frames it sent, not completed */
	uint32_t n_tx_socks;		/* bound tx sockets */
	bool over;			/* over its budget */
	uint64_t refused;		/* log entries refused */
	uint64_t budget_hits;

	uint64_t reclaim_at_ns;		/* dead: reclaim after this time */
	/* Saved at death for stats: its segment may go before its slot. */
	struct nfv_nf_counters last;
};

struct nfvd_flow {
	struct nfvd_flow *next, *prev;	/* insertion order */
	struct nfvd_flow *hnext;	/* hash chain */
	uint32_t hash;
	struct nfv_match m;		/* compared and hashed whole */
	uint16_t chain;
	bool exact;			/* nfv_match_is_exact(&m) */
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
	int map_heartbeat;		/* -1: the object has none */
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
	int n_pools;
	struct nfvd_flow *flows, *flows_tail;
	struct nfvd_flow **flow_buckets;
	uint32_t n_flow_buckets, n_flows;
	uint32_t n_exact_flows;
	struct nfvd_nf nfs[NFV_NF_MAX];
	uint16_t next_nf_id;

	struct nfvd_policy_rule rules[NFVD_POLICY_MAX];
	int n_rules;

	/* nfv.ko, when its family exists (kbackend.c); NULL: nfvd writes
	 * the tables itself.
	 */
	struct nfvd_kernel *kern;

	/* clients (client.c) */
	struct nfvd_client *clients;
	uint32_t n_clients, n_dead;
	int reserve_fd;			/* given up when accept() hits EMFILE */
	uint64_t accept_resume_ns;	/* accepting paused until then; 0: not */
	uint64_t ready_due_ns;		/* earliest READY deadline; 0: none */
};

/* Where a frame is, by the ledger (ledger.c has the whole story). */
enum nfvd_frame_state {
	LF_FREE,
	LF_FILL,
	LF_KERNEL,
	LF_HELD,
	LF_TRANSIT,
	LF_TX,
	LF_TAPPED,
	__LF_MAX,
};

struct nfvd_frame {
	uint8_t state;			/* enum nfvd_frame_state */
	uint8_t taps;			/* tap references outstanding */
	uint8_t moves;			/* NF->NF moves since the kernel */
	uint8_t where;			/* FILL, KERNEL, TX: pool index */
	uint16_t who;			/* HELD, TX: holder; TRANSIT: from */
	uint16_t to;			/* TRANSIT: consumer (0: nfvd) */
	uint32_t pos;			/* FILL: fill ring position */
};

/* A request being answered: extack-like error reporting. */
struct nfvd_req {
	struct nfvd *d;
	struct nfvd_client *c;
	const struct nlmsghdr *nlh;
	const char *err_msg;
	uint32_t err_off;		/* offending attribute, 0: none */
};

#define REQ_ERR(req, msg) ((req)->err_msg = (msg))
#define REQ_ERR_ATTR(req, attr, msg) do {				\
	(req)->err_msg = (msg);						\
	(req)->err_off = (uint32_t)((const char *)(attr) -		\
				    (const char *)(req)->nlh);		\
} while (0)

uint64_t nfvd_now_ns(void);

/* umem.c */
int umem_init(struct nfvd *d);
void umem_fini(struct nfvd *d);
int umem_pool_open(struct nfvd *d, struct nfvd_pool *p, uint32_t ifindex,
		   uint16_t queue, uint32_t bind_flags);
/* Apply the logs, drain completions, refill fill rings: frames moved. */
int umem_recycle(struct nfvd *d);
bool umem_work_pending(struct nfvd *d);
/* Transmit a frame on port @port's pool: its pool index, or -errno. */
int umem_tx(struct nfvd *d, uint16_t port, uint64_t addr, uint32_t len);
/* Fill entries the kernel took since we looked: to the ledger. */
void umem_fill_taken(struct nfvd *d, struct nfvd_pool *p);
/* A memfd as nfvd shares them: mode 0000, owned by NFVD_SHM_UID. */
void umem_shm_protect(int fd);

/* ledger.c */
int ledger_init(struct nfvd *d);
void ledger_fini(struct nfvd *d);
/* A free frame for pool @pool's fill ring at @pos: 0 or -ENOSPC. */
int ledger_alloc(struct nfvd *d, uint8_t pool, uint32_t pos, uint32_t *f);
/* The kernel took fill position @pos of pool @pool, which held @addr. */
void ledger_fill_taken(struct nfvd *d, uint8_t pool, uint32_t pos,
		       uint64_t addr);
/* A completion: 0 if it freed a frame; -EAGAIN: it fits nothing yet;
 * with @drained (the last time it is asked) it is counted forged.
 */
int ledger_complete(struct nfvd *d, uint8_t pool, uint64_t addr,
		    bool drained);
/* Apply every NF's custody log: whether anything was applied. */
bool ledger_drain(struct nfvd *d);
bool ledger_pending(struct nfvd *d);
/* Transmit what read-only NF @nf handed nfvd: frames sent. */
int ledger_relay(struct nfvd *d, struct nfvd_nf *nf);
uint32_t ledger_budget(struct nfvd *d);
void ledger_budgets(struct nfvd *d);
void ledger_nf_reclaim(struct nfvd *d, struct nfvd_nf *nf);
void ledger_rx_census(struct nfvd *d);
void ledger_nf_reap_out(struct nfvd *d, struct nfvd_nf *nf);
bool ledger_nf_zombie(struct nfvd *d, struct nfvd_nf *nf);
/* Its segment is mapped / about to be unmapped: its log counts or not. */
void ledger_nf_add(struct nfvd *d, struct nfvd_nf *nf);
void ledger_nf_del(struct nfvd *d, struct nfvd_nf *nf);
void ledger_counts(struct nfvd *d, uint32_t n[__LF_MAX]);
uint32_t ledger_held(struct nfvd *d, uint16_t id);

/* tables.c */
int tables_init(struct nfvd *d);
void tables_fini(struct nfvd *d);
int tables_port_write(struct nfvd *d, struct nfvd_port *p);
void tables_port_clear(struct nfvd *d, struct nfvd_port *p);
int tables_chain_write(struct nfvd *d, uint16_t id, const struct nfv_chain *c);
int tables_flow_write(struct nfvd *d, const struct nfvd_flow *f, bool add);
int tables_rules_write(struct nfvd *d);
int tables_service_add(struct nfvd *d, uint16_t sid, uint16_t nf);
void tables_service_del(struct nfvd *d, uint16_t sid, uint16_t nf);
void tables_nf_write(struct nfvd *d, struct nfvd_nf *nf);
/* Restore a service's replicas and buckets as they were. */
int tables_service_set(struct nfvd *d, uint16_t sid,
		       const struct nfv_service *s);
int tables_xsk_set(struct nfvd *d, uint16_t nf, uint16_t port, uint16_t queue,
		   int fd);
void tables_xsk_clear(struct nfvd *d, uint16_t nf, uint16_t port,
		      uint16_t queue);
int tables_port_stats(struct nfvd *d, uint16_t port,
		      uint64_t cnt[__NFV_XDP_COUNTER_MAX]);

/* kbackend.c: nfv.ko writes the tables, nfvd serves its ports and NFs */
int kbackend_init(struct nfvd *d);
void kbackend_fini(struct nfvd *d);
/* The event loop's epoll tag of the module's "events" socket. */
bool kbackend_is_event(struct nfvd *d, const void *tag);
void kbackend_input(struct nfvd *d);
/* A request on nfvd's socket: forwarded to the module, or
 * KBACKEND_LOCAL (nfvd answers it, as always); else like a handler.
 */
#define KBACKEND_LOCAL	2
int kbackend_control(struct nfvd_req *req, uint8_t cmd);
/* NF ids from /dev/nfv: the id, or -errno; *@fd: the NF's file. */
int kbackend_nf_open(struct nfvd_req *req, uint16_t service, uint32_t flags,
		     const char *name, int *fd);
int kbackend_nf_ready(struct nfvd *d, struct nfvd_nf *nf);
/* nfvd's copy of the NF's /dev/nfv file, closed (no-op if none). */
void kbackend_nf_release(struct nfvd *d, uint16_t id);
/* A relayed dump (kbackend_control() started it): the module's next
 * datagram to the client; 1, or its end: 0 or -errno (extack in @req).
 */
int kbackend_dump_next(struct nfvd_req *req);
void kbackend_dump_stop(struct nfvd_dump *dp);

/* flows.c */
bool flow_same_match(const struct nfvd_flow *a, const struct nfvd_flow *b);
struct nfvd_flow *flows_find(struct nfvd *d, const struct nfvd_flow *match);
int flows_insert(struct nfvd *d, struct nfvd_flow *e);
void flows_remove(struct nfvd *d, struct nfvd_flow *e);
void flows_fini(struct nfvd *d);

/* policy.c */
int policy_init(struct nfvd *d);
int policy_check(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 bool readonly, char *why, size_t len);

/* port.c */
struct nfvd_port *port_find(struct nfvd *d, uint32_t ifindex,
			    const char *name);
struct nfvd_pool *port_pool_get(struct nfvd *d, uint32_t ifindex,
				uint16_t queue, int *err);
int port_add(struct nfvd *d, struct nfvd_req *req, uint32_t ifindex,
	     const char *name, uint8_t mode, uint16_t default_chain,
	     uint32_t flags, uint16_t want_id,
	     const struct nfvd_decap *decap);
int port_del(struct nfvd *d, struct nfvd_port *p);

/* nf.c */
void nf_slot_init(struct nfvd_nf *nf);
/* SIGKILL it (through its pidfd: never a process that reused its pid). */
void nf_kill(struct nfvd_nf *nf);
int nf_attach(struct nfvd_req *req);
int nf_ready(struct nfvd_req *req);
int nf_doorbell(struct nfvd_req *req);
void nf_client_gone(struct nfvd *d, struct nfvd_client *c);
/* The NF is gone (its connection or its /dev/nfv file): out of every
 * table now, frames reclaimed after the grace period.  Once.
 */
void nf_gone(struct nfvd *d, struct nfvd_nf *nf);
/* Give every live NF a socket on a new port. */
void nf_port_added(struct nfvd *d, struct nfvd_port *p);
void nf_port_removed(struct nfvd *d, struct nfvd_port *p);
/* Reclaim frames of dead NFs whose grace period is over. */
void nf_reap(struct nfvd *d);
uint64_t nf_pool_ring_full(struct nfvd *d, const struct nfvd_pool *p);
uint64_t nf_next_reap_ns(struct nfvd *d);
/* The chains changed: reach, tx sockets for newly reached ports. */
void nf_chains_changed(struct nfvd *d);
/* Its counters: from its segment while it has one, else the last seen. */
const struct nfv_nf_counters *nf_counters(struct nfvd *d,
					  struct nfvd_nf *nf);
/* Free the slot of an NF that never attached (a reserved id). */
void nf_forget(struct nfvd *d, struct nfvd_nf *nf);

/* heartbeat.c */
int heartbeat_init(struct nfvd *d);
void heartbeat_tick(struct nfvd *d);

/* stale.c: classifiers left attached by an nfvd that is gone */
int stale_prog_get(uint32_t ifindex, uint32_t *mode_flags);
int stale_attach(struct nfvd *d, uint32_t ifindex, uint32_t xdp_flags);
void stale_sweep(struct nfvd *d);

/* state.c */
int state_restore(struct nfvd *d);
void state_journal(struct nfvd *d, const struct nlmsghdr *req);
void state_nf_changed(struct nfvd *d, const struct nfvd_nf *nf, bool up);
struct nfvd_nf *state_claim(struct nfvd *d, int pid, uint16_t service,
			    const char *name);
void state_tick(struct nfvd *d);
void state_fini(struct nfvd *d);

/* client.c: connections to the control socket (STYLE.md rule 25) */
int client_init(struct nfvd *d);
void client_accept(struct nfvd *d);
/* Epoll said @events about @c: read a request, or send what is due. */
void client_event(struct nfvd *d, struct nfvd_client *c, uint32_t events);
/*
 * The one way to send to a client: at once if its socket takes it, else a
 * copy (fds dup'ed) is queued and sent as the client reads.  0 (sent or
 * queued; also for the state file's replay, which has no socket), or
 * -errno: the client cannot be sent to (it is dropped, from the loop).
 */
int client_send(struct nfvd *d, struct nfvd_client *c,
		const struct nlmsghdr *nlh, const int *fds, int n_fds);
/* Close the clients marked dead: from the loop, after its events. */
void client_reap(struct nfvd *d);
/*
 * From the loop, outside its events: drop NFs late with READY, resume
 * accepting.  The next time it is due again (ns), 0: none.
 */
uint64_t client_tick(struct nfvd *d);
/* An NF was attached on @c (NF_ATTACH answered): READY is due. */
void client_nf_attached(struct nfvd *d, struct nfvd_client *c);
/* -EUSERS (message in @why) if @c's uid has its most NFs attached. */
int client_nf_cap(struct nfvd *d, const struct nfvd_client *c, char *why,
		  size_t len);
/* Flow @f is being freed: dumps about to send it move on. */
void client_flow_gone(struct nfvd *d, const struct nfvd_flow *f);

/* control.c */
int control_handle(struct nfvd *d, struct nfvd_client *c, const void *buf,
		   size_t len, const int *fds, int n_fds);
int control_reply(struct nfvd_req *req, struct nlmsghdr *nlh,
		  const int *fds, int n_fds);
/* A handler (or kbackend_control()) started a dump on the request's client. */
#define CONTROL_DUMP	3
/* Send the next message of @c's dump: 1, 0 once it is done, or -errno. */
int control_dump_next(struct nfvd *d, struct nfvd_client *c);
struct nlmsghdr *control_reply_start(struct nfvd_req *req, void *buf,
				     uint8_t cmd, uint16_t flags);
void control_notify(struct nfvd *d, uint8_t cmd, uint16_t id);
void control_put_flow(struct nlmsghdr *nlh, const struct nfvd_flow *f,
		      bool reply);
void control_put_chain(struct nfvd *d, struct nlmsghdr *nlh, uint16_t id,
		       const struct nfv_chain *c, bool reply);

#endif /* __NFVD_H */
