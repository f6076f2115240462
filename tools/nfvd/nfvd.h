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
#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "internal.h"

struct bpf_object;

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
};

#define NFVD_POLICY_MAX	256

struct nfvd_policy_rule {
	bool group;
	bool readonly_only;
	uint32_t id;
	uint16_t sid_lo, sid_hi;
};

/* Fill/completion rings of one (port, queue) buffer pool. */
struct nfvd_pool {
	int fd;				/* owner socket; never closed */
	uint32_t ifindex;
	uint16_t queue;
	bool bound;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	void *fill_map, *comp_map;
	size_t fill_map_len, comp_map_len;
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

/* An NF's AF_XDP socket for one (port, queue), as nfvd sees it. */
struct nfvd_nf_sock {
	int fd;				/* nfvd's copy */
	uint16_t port, queue;
	bool bound;
	struct xsk_ring_cons rx;	/* nfvd's view, for reclaim */
	struct xsk_ring_prod tx;
	void *rx_map, *tx_map;
	size_t rx_map_len, tx_map_len;
};

struct nfvd_client {
	int fd;
	uint32_t uid, gid;
	int pid;
	int nf;				/* NF id if this client is an NF */
	bool restore;			/* state.c replaying the state file */
	int last_err;			/* outcome of the last request */
	const char *last_msg;
};

struct nfvd_nf {
	uint16_t id;			/* 0: slot unused */
	uint16_t service;
	uint32_t flags;
	uint8_t state;			/* enum nfv_nf_state */
	/* Up before nfvd restarted: id held until it attaches again. */
	bool reserved;
	char name[NFV_NAME_LEN];
	int pid;
	struct nfvd_client *client;
	int private_fd;
	struct nfv_private *priv;
	size_t priv_size;
	struct nfv_ring ret;
	int doorbell;			/* eventfd passed to the NF */
	struct nfvd_nf_sock socks[NFV_PORT_MAX * NFV_QUEUE_MAX];
	int n_socks;
	uint64_t bad_desc;		/* counted by nfvd */
	/* Producers reaped while frames they sent us sat on their lane. */
	uint64_t orphan_lanes[NFV_NF_MAX / 64];
	uint64_t reclaim_at_ns;		/* dead: reclaim after this time */
	uint64_t rx, tx, drop, next;	/* saved at death for stats */
};

struct nfvd_flow {
	struct nfvd_flow *next, *prev;	/* insertion order */
	struct nfvd_flow *hnext;	/* hash chain */
	uint32_t hash;
	uint32_t in_ifindex;
	uint8_t proto, family, src_plen, dst_plen;
	uint32_t src[4], dst[4];
	uint16_t sport, sport_max, dport, dport_max;
	uint16_t chain;
	bool exact;
};

struct nfvd {
	struct nfvd_config cfg;
	int listen_fd;
	int epoll_fd;
	int doorbell;			/* eventfd NFs kick */
	volatile int stop;

	/* UMEM and frame accounting (umem.c) */
	int umem_memfd;
	bool umem_huge;
	uint8_t *umem;
	uint64_t umem_size;
	int umem_fd;			/* first bound owner socket, -1 */
	uint32_t *free_list;
	uint32_t n_free;
	uint8_t *frame_state;		/* enum frame_state */
	uint64_t bad_desc;
	uint64_t reclaimed;
	bool punch_warned;	/* fallocate(PUNCH_HOLE) failed once */

	/* shared memory (shm.h) */
	int tables_fd, handoff_fd;
	struct nfv_tables *tables;
	size_t tables_size;
	void *handoff;
	size_t handoff_size;
	uint16_t *owner;
	uint16_t *refs;

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
};

enum frame_state {
	FRAME_FREE,
	FRAME_OUT,			/* in a fill ring, an NF, a ring */
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
/* Drain completion and return rings, refill fill rings: frames moved. */
int umem_recycle(struct nfvd *d);
/* Take back frame at @addr (validated): 0, or -EINVAL if bogus. */
int umem_frame_put(struct nfvd *d, uint64_t addr);
uint32_t umem_frames_in_fill(struct nfvd *d);
bool umem_work_pending(struct nfvd *d);

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
uint64_t nf_next_reap_ns(struct nfvd *d);
/* Drain live NFs' return rings: frames moved. */
int nf_drain_returns(struct nfvd *d);
uint32_t nf_frames_held(struct nfvd *d, uint16_t id);
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

/* control.c */
int control_handle(struct nfvd *d, struct nfvd_client *c, const void *buf,
		   size_t len, const int *fds, int n_fds);
int control_reply(struct nfvd_req *req, struct nlmsghdr *nlh,
		  const int *fds, int n_fds);
struct nlmsghdr *control_reply_start(struct nfvd_req *req, void *buf,
				     uint8_t cmd, uint16_t flags);
void control_notify(struct nfvd *d, uint8_t cmd, uint16_t id);
void control_put_flow(struct nlmsghdr *nlh, const struct nfvd_flow *f,
		      bool reply);
void control_put_chain(struct nfvd *d, struct nlmsghdr *nlh, uint16_t id,
		       const struct nfv_chain *c, bool reply);

#endif /* __NFVD_H */
