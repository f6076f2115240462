/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libnfv: write a network function for the nfv fabric.
 *
 *	struct nfv *nf = nfv_init(SID, &opts);   attach as a replica of SID
 *	nfv_run(nf, handler, ctx);               until nfv_stop()
 *	nfv_close(nf);
 *
 * nfv_run_opts() is the same loop with what an NF's main loop needs
 * besides frames: stop on SIGINT/SIGTERM, a tick between batches that
 * sees SIGUSR1/SIGHUP, the time a batch arrived.
 *
 * A handler sees one frame and returns an action: NFV_NEXT (follow the
 * chain), NFV_DROP, NFV_TO_SERVICE(sid) or NFV_OUT(port id).  Frames live
 * in a UMEM shared by every NF; handing a frame to the next NF moves a
 * descriptor, never the bytes.  The batch API (nfv_rx_burst/nfv_tx_burst)
 * is for NFs that want to see a whole batch first.
 *
 * Errors: functions return a negative errno (and set errno) or NULL.
 */
#ifndef __NFV_LIBNFV_H
#define __NFV_LIBNFV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/nfv.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NFV_DEFAULT_SOCKET	"/run/nfv/nfvd.sock"

struct nfv;

/* Actions: what to do with a frame once the handler is done with it. */
enum nfv_action_type {
	NFV_ACT_NEXT,		/* next hop of the frame's chain */
	NFV_ACT_DROP,		/* give the frame back */
	NFV_ACT_TO_SERVICE,	/* a replica of service arg (override) */
	NFV_ACT_OUT,		/* transmit on port id arg (override) */
};

#define NFV_ACTION(type, arg)	(((uint32_t)(type) << 16) | ((arg) & 0xffff))
#define NFV_ACTION_TYPE(a)	((a) >> 16)
#define NFV_ACTION_ARG(a)	((a) & 0xffff)
#define NFV_NEXT		NFV_ACTION(NFV_ACT_NEXT, 0)
#define NFV_DROP		NFV_ACTION(NFV_ACT_DROP, 0)
#define NFV_TO_SERVICE(sid)	NFV_ACTION(NFV_ACT_TO_SERVICE, (sid))
#define NFV_OUT(port)		NFV_ACTION(NFV_ACT_OUT, (port))

/* One frame.  @data/@len may be changed by the NF within the frame. */
struct nfv_pkt {
	uint8_t *data;			/* Ethernet header */
	uint32_t len;
	uint32_t action;		/* batch API: set before tx_burst */
	struct nfv_xdp_meta *meta;	/* classifier's metadata */
	uint64_t addr;			/* UMEM address: opaque */
	uint16_t hop;			/* chain hop serving it: libnfv's */
	uint16_t flags;			/* NFV_PKT_F_* */
	uint16_t budget;		/* moves it has left: libnfv's */
	uint16_t lane;			/* NF it came from on a lane: libnfv's */
};

/*
 * A tap reference (chain hop "tap service SID"): the same frame goes on
 * through the chain; look, count, log — never write.  Whatever the
 * handler returns, libnfv releases the reference.
 */
#define NFV_PKT_F_TAP	(1 << 0)

/**
 * struct nfv_opts - options of nfv_init()
 * @sz: sizeof(struct nfv_opts), set by LIBNFV_OPTS().
 * @socket_path: nfvd's socket; NULL: $NFV_SOCKET or NFV_DEFAULT_SOCKET.
 * @name: instance name shown by `nfvctl nf show`.
 * @batch_size: frames per batch, 1..256; 0: 64.
 * @busy_poll: spin instead of sleeping in poll() when idle.
 * @readonly: map the UMEM read-only (observe, drop and steer only).
 * @sched_keep: never change the scheduling policy of the thread that
 *	receives (by default it is SCHED_BATCH while it takes full bursts,
 *	SCHED_OTHER again once idle; so is NFV_SCHED=keep in the
 *	environment).
 */
struct nfv_opts {
	size_t sz;
	const char *socket_path;
	const char *name;
	uint32_t batch_size;
	bool busy_poll;
	bool readonly;
	bool sched_keep;
	size_t :0;
};
#define nfv_opts__last_field sched_keep

#define LIBNFV_OPTS(NAME, ...)						\
	struct nfv_opts NAME = ({					\
		memset(&NAME, 0, sizeof(struct nfv_opts));		\
		(struct nfv_opts){ .sz = sizeof(struct nfv_opts),	\
				   __VA_ARGS__ };			\
	})

typedef uint32_t (*nfv_handler_t)(struct nfv_pkt *pkt, void *ctx);

struct nfv *nfv_init(int service, const struct nfv_opts *opts);
int nfv_run(struct nfv *nf, nfv_handler_t handler, void *ctx);
/*
 * Ask nfv_run() to return; async-signal-safe.  Harmless on NULL and on a
 * handle nfv_close() has closed (a signal handler may still name it).
 */
void nfv_stop(struct nfv *nf);
void nfv_close(struct nfv *nf);

/* Signals seen since the last tick (NFV_RUN_F_EVENT_SIGNALS). */
#define NFV_EV_USR1		(1u << 0)	/* SIGUSR1: dump counters */
#define NFV_EV_HUP		(1u << 1)	/* SIGHUP: reload */

/*
 * Called by nfv_run_opts() after every batch, and after every wait that
 * ended without frames (a signal, nfv_run_opts::tick_ms); never from a
 * signal handler.  @events: NFV_EV_* since the last call.
 */
typedef void (*nfv_tick_fn_t)(struct nfv *nf, uint32_t events, void *ctx);

/* Signal handlers nfv_run_opts() installs (without SA_RESTART, so that a
 * wait ends at once and the tick runs), and keeps installed after it
 * returns: a late signal must not kill an NF writing its last report.
 */
#define NFV_RUN_F_STOP_SIGNALS	(1u << 0)	/* SIGINT, SIGTERM: stop */
#define NFV_RUN_F_EVENT_SIGNALS	(1u << 1)	/* SIGUSR1, SIGHUP: events */
/* Take the time of each batch for nfv_batch_ns() (a clock read each). */
#define NFV_RUN_F_BATCH_TIME	(1u << 2)

/*
 * Called by nfv_run_opts() with each batch received, before the handler
 * runs on its frames: the place to prefetch what the handler will touch
 * (nfv_ftable_prefetch()), a batch at a time, so that the cache misses
 * of its frames overlap instead of following one another.
 */
typedef void (*nfv_batch_fn_t)(struct nfv *nf, struct nfv_pkt *pkts, int n,
			       void *ctx);

/**
 * struct nfv_run_opts - options of nfv_run_opts()
 * @sz: sizeof(struct nfv_run_opts), set by LIBNFV_RUN_OPTS().
 * @flags: NFV_RUN_F_*.
 * @tick: called between batches (nfv_tick_fn_t); NULL: none.
 * @tick_ms: the longest wait without frames before @tick runs; 0: wait
 *	for frames and signals only.
 * @batch: called with each batch before its frames are handled
 *	(nfv_batch_fn_t); NULL: none.
 */
struct nfv_run_opts {
	size_t sz;
	uint32_t flags;
	nfv_tick_fn_t tick;
	int tick_ms;
	nfv_batch_fn_t batch;
	size_t :0;
};
#define nfv_run_opts__last_field batch

#define LIBNFV_RUN_OPTS(NAME, ...)					\
	struct nfv_run_opts NAME = ({					\
		memset(&NAME, 0, sizeof(struct nfv_run_opts));		\
		(struct nfv_run_opts){ .sz = sizeof(struct nfv_run_opts), \
				       __VA_ARGS__ };			\
	})

/*
 * nfv_run() with @opts (NULL: nfv_run()).  Receive a batch, run
 * @handler on each frame, transmit, tick; until nfv_stop() (or a stop
 * signal).  0 when stopped, a negative errno on a fatal error.
 */
int nfv_run_opts(struct nfv *nf, nfv_handler_t handler, void *ctx,
		 const struct nfv_run_opts *opts);
/*
 * CLOCK_MONOTONIC ns at which nfv_run_opts() received the batch being
 * handled (NFV_RUN_F_BATCH_TIME; 0 otherwise).
 */
uint64_t nfv_batch_ns(const struct nfv *nf);

/*
 * Batch API.  nfv_rx_burst() waits up to @timeout_ms (0: don't wait, -1:
 * forever) and returns frames; every frame returned must be passed to
 * nfv_tx_burst() exactly once, with pkt->action set.
 */
int nfv_rx_burst(struct nfv *nf, struct nfv_pkt *pkts, int max,
		 int timeout_ms);
int nfv_tx_burst(struct nfv *nf, struct nfv_pkt *pkts, int n);

/* Instance id, service, and port lookup by netdev name (-ENOENT). */
int nfv_id(const struct nfv *nf);
int nfv_service(const struct nfv *nf);
int nfv_port_by_name(const struct nfv *nf, const char *ifname);
/* Whether the chain of @pkt lets an NF override its next hop. */
bool nfv_pkt_may_override(const struct nfv *nf, const struct nfv_pkt *pkt);

/*
 * Verdict offload.  nfv_flow_offload(): the TCP or UDP flow of @pkt
 * (this direction; with NFV_OFFLOAD_F_BOTH its replies as well) needs
 * this NF no more.  Once every NF its chain sends it through has said so,
 * nfvd forwards it port to port, unchanged, the chain skipped, until a
 * TCP FIN or RST (the NFs see the close), an idle timeout or a change of
 * the configuration.  Say it only of a flow the NF would forward
 * unchanged from now on.  Never blocks; sent once a second per flow at
 * most.  0 or -errno (-EPROTONOSUPPORT: not a TCP/UDP frame; -EOPNOTSUPP:
 * from a decap port; -EAGAIN: nfvd's socket is full, the next frame of
 * the flow tries again).  nfv_offload_revoke(): take back every verdict of this NF (a
 * policy reload); waits for nfvd.
 */
#define NFV_OFFLOAD_F_BOTH	(1u << 0)
int nfv_flow_offload(struct nfv *nf, struct nfv_pkt *pkt, uint32_t flags);
int nfv_offload_revoke(struct nfv *nf);

/*
 * Flow rules from an NF, OpenNetVM's flow director API: an NF decides the
 * chain of a flow (a classifier on a default chain, an IDS diverting a
 * flow) and the classifier sends its later frames there.  nfvd's policy
 * must grant it ("flows chains N-M" on the NF's policy line; default:
 * nobody), caps the rules an NF holds and lists each with its owner
 * (`nfvctl flow show`: owner nf N); they go at the NF's death unless the
 * policy says keep.
 *
 * nfv_flow_add(): frames @m matches (struct nfv_match, as `nfvctl flow
 * add` builds it) go to chain @chain.  @idle_ms > 0: nfvd removes the
 * rule once no frame matched it for that long (exact 5-tuple rules only).
 * nfv_flow_del(): remove this NF's rule of match @m.
 * Both are sent from the packet loop: one message, no answer, never
 * waiting (what nfvd's full socket does not take waits in a queue of
 * 1024, sent by the next call or the run loop): 0 or -errno (-EAGAIN:
 * the queue is full too; -EINVAL: a bad argument).  nfvd counts what it
 * refused (`nfvctl nf show`: flow_rules_refused).
 * nfv_pkt_match(): the exact match of @pkt's TCP, UDP or ICMP flow, any
 * ingress port, or with @reverse of its replies (addresses and ports
 * swapped): 0, -EPROTONOSUPPORT for a frame that has none, -EOPNOTSUPP
 * for one a decap port unwrapped (rules match the outer frame).
 */
struct nfv_match;
int nfv_flow_add(struct nfv *nf, const struct nfv_match *m, uint16_t chain,
		 uint32_t idle_ms);
int nfv_flow_del(struct nfv *nf, const struct nfv_match *m);
int nfv_pkt_match(struct nfv_pkt *pkt, bool reverse,
		  struct nfv_match *m);

/*
 * An NF's own counters: what it counts of its work (a firewall's rule
 * hits, a NAT's sessions), published to nfvd, which shows them in
 * `nfvctl nf show ID -s` and on its /metrics page.
 *
 * nfv_counter_register(): a counter (@type NFV_COUNTER_TYPE_COUNTER:
 * only grows; NFV_COUNTER_TYPE_GAUGE: up and down) of @name, a
 * [a-zA-Z_][a-zA-Z0-9_]* shorter than NFV_COUNTER_NAME_LEN not ending in
 * _total, with optional help text and one label (opts) telling counters
 * of one name apart.  Returns its handle (>= 0) or -errno: -EINVAL (a
 * bad name, label or text), -EEXIST, -E2BIG (NFV_NF_COUNTERS_MAX are
 * registered).  nfv_counter_set()/_add() change its value; cheap, no
 * message.  nfv_run_opts() publishes changed values at most every
 * NFV_COUNTERS_PERIOD_MS (and again after nfvd restarted);
 * nfv_counters_publish() sends them now.  Never blocks: -EAGAIN when
 * nfvd's socket is full (the run loop tries again).
 */
#define NFV_COUNTERS_PERIOD_MS	200

/**
 * struct nfv_counter_opts - options of nfv_counter_register()
 * @sz: sizeof(struct nfv_counter_opts), set by LIBNFV_COUNTER_OPTS().
 * @help: printable ASCII, shorter than NFV_COUNTER_HELP_LEN; NULL: none.
 * @label_name: a label's name (as @name; not nf, name, service or
 *	__...); NULL: no label.
 * @label_value: its value, printable ASCII shorter than
 *	NFV_COUNTER_NAME_LEN.
 */
struct nfv_counter_opts {
	size_t sz;
	const char *help;
	const char *label_name;
	const char *label_value;
	size_t :0;
};
#define nfv_counter_opts__last_field label_value

#define LIBNFV_COUNTER_OPTS(NAME, ...)					\
	struct nfv_counter_opts NAME = ({				\
		memset(&NAME, 0, sizeof(struct nfv_counter_opts));	\
		(struct nfv_counter_opts){				\
			.sz = sizeof(struct nfv_counter_opts),		\
			__VA_ARGS__ };					\
	})

int nfv_counter_register(struct nfv *nf, const char *name,
			 enum nfv_counter_type type,
			 const struct nfv_counter_opts *opts);
int nfv_counter_set(struct nfv *nf, int counter, uint64_t value);
int nfv_counter_add(struct nfv *nf, int counter, uint64_t delta);
int nfv_counters_publish(struct nfv *nf);

/* ---- Common command line of NFs: --service --socket --name ... ---- */
struct nfv_args {
	int service;
	const char *socket_path;
	const char *name;
	uint32_t batch_size;
	bool busy_poll;
	bool readonly;
	bool verbose;
};

/*
 * Parse and remove the common options from argv; other options are left
 * in place (argv is permuted, *argc updated).  Returns 0, or -EINVAL with
 * a message on stderr.  --help prints @usage_extra after the common help
 * and exits 0.
 */
int nfv_args_parse(int *argc, char **argv, struct nfv_args *args,
		   const char *prog, const char *usage_extra);
struct nfv *nfv_init_args(const struct nfv_args *args);

/* ---- Logging and errors ---- */
enum nfv_print_level {
	NFV_WARN,
	NFV_INFO,
	NFV_DEBUG,
};
typedef int (*nfv_print_fn_t)(enum nfv_print_level level, const char *fmt,
			      va_list ap);
nfv_print_fn_t nfv_set_print(nfv_print_fn_t fn);
int nfv_strerror(int err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#include <nfv/pkt.h>

#endif /* __NFV_LIBNFV_H */
