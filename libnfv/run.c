// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The NF run loop: receive a batch, run the handler on each frame,
 * transmit, tick; until nfv_stop().  With options, what the NFs of nfs/
 * need around it: SIGINT/SIGTERM stop the loop, SIGUSR1/SIGHUP become
 * events the tick sees, the tick also runs when nothing arrived for a
 * while, and the time a batch arrived is kept for the handler; the NF's
 * own counters (counters.c) are published when they changed.
 *
 * Signals are process-wide: the stop signals stop the handle of the
 * innermost nfv_run_opts() running (nfv_stop() is async-signal-safe and
 * ignores a handle nfv_close() closed), the events are taken by whichever
 * loop ticks next.
 */
#include <signal.h>
#include <time.h>

#include "internal.h"

static struct nfv *running;
static volatile sig_atomic_t got_usr1, got_hup;

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
		nfv_stop(__atomic_load_n(&running, __ATOMIC_RELAXED));
		break;
	}
}

static void install(const int *sigs, int n)
{
	/* No SA_RESTART: a sleeping nfv_rx_burst() returns at once. */
	struct sigaction sa = { .sa_handler = on_signal };
	int i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The events signalled since the last look, each taken once. */
static uint32_t take_events(void)
{
	uint32_t ev = 0;

	if (got_usr1) {
		got_usr1 = 0;
		ev |= NFV_EV_USR1;
	}
	if (got_hup) {
		got_hup = 0;
		ev |= NFV_EV_HUP;
	}
	return ev;
}

int nfv_run_opts(struct nfv *nf, nfv_handler_t handler, void *ctx,
		 const struct nfv_run_opts *opts)
{
	static const int stop_sigs[] = { SIGINT, SIGTERM };
	static const int event_sigs[] = { SIGUSR1, SIGHUP };
	struct nfv_pkt pkts[NFV_BATCH_MAX];
	uint32_t flags;
	nfv_tick_fn_t tick;
	nfv_batch_fn_t batch;
	int n, i, timeout;

	if (!nf || !handler || !OPTS_VALID(opts, nfv_run_opts))
		return nfv_err(-EINVAL);
	flags = OPTS_GET(opts, flags, 0);
	tick = OPTS_GET(opts, tick, NULL);
	batch = OPTS_GET(opts, batch, NULL);
	timeout = OPTS_GET(opts, tick_ms, 0);
	if (flags & ~(NFV_RUN_F_STOP_SIGNALS | NFV_RUN_F_EVENT_SIGNALS |
		      NFV_RUN_F_BATCH_TIME) || timeout < 0)
		return nfv_err(-EINVAL);
	if (!timeout)
		timeout = -1;
	if (flags & NFV_RUN_F_STOP_SIGNALS) {
		__atomic_store_n(&running, nf, __ATOMIC_RELAXED);
		install(stop_sigs, 2);
	}
	if (flags & NFV_RUN_F_EVENT_SIGNALS)
		install(event_sigs, 2);

	while (!nf->stop) {
		/* Changed counters are published within their period. */
		int due = nfv_counters_tick(nf);
		int rules = nfv_rules_flush(nf);

		if (rules >= 0 && (due < 0 || rules < due))
			due = rules;

		n = nfv_rx_burst(nf, pkts, (int)nf->batch,
				 due >= 0 && (timeout < 0 || due < timeout) ?
				 due : timeout);
		if (n < 0 && n != -EINTR)
			return n == -ECONNRESET ? nfv_err(-ENOTCONN) : n;
		if (n < 0)
			n = 0;
		if (n && flags & NFV_RUN_F_BATCH_TIME)
			nf->batch_ns = nfv_now_ns();
		if (n && batch)
			batch(nf, pkts, n, ctx);
		for (i = 0; i < n; i++)
			pkts[i].action = handler(&pkts[i], ctx);
		nfv_tx_burst(nf, pkts, n);
		if (tick)
			tick(nf, take_events(), ctx);
	}
	return 0;
}

int nfv_run(struct nfv *nf, nfv_handler_t handler, void *ctx)
{
	return nfv_run_opts(nf, handler, ctx, NULL);
}

uint64_t nfv_batch_ns(const struct nfv *nf)
{
	return nf ? nf->batch_ns : 0;
}
