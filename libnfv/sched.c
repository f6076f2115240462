// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scheduling under load.  The NFs of a chain share cores, and each wakes
 * the next once it has fed its lane.  Under the default policy the woken
 * NF preempts its producer at once (wake-up preemption): under load every
 * NF is switched out after a part of what it could have taken, and each
 * hop pays a context switch (several microseconds on these machines) per
 * hundred frames or so.  SCHED_BATCH takes a woken thread out of wake-up
 * preemption: the producer runs until it is out of frames, then the
 * consumer takes all it left (issue 14: chain-5 on two cores).
 *
 * Idle or lightly loaded, prompt wake-ups are what keeps latency low.  So
 * an NF thread goes SCHED_BATCH only once it has taken NFV_SCHED_BUSY_BURSTS
 * full bursts in a row for other NFs (one that sends out of a port stays
 * as it is: nfv_sched_busy()), and back to SCHED_OTHER once it has taken
 * none for NFV_SCHED_HOLD_MS (its wait before sleeping is cut to that, so
 * an NF that went idle is back to the default before the next frame wakes
 * it).  A thread running under another policy (chrt, a realtime class) is
 * left alone, as is any with nfv_opts::sched_keep or NFV_SCHED=keep in the
 * environment, and busy-polling NFs (they never sleep).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

void nfv_sched_init(struct nfv *nf, bool keep)
{
	const char *env = getenv("NFV_SCHED");

	nf->sched_auto = !keep && !nf->busy_poll &&
			 !(env && !strcmp(env, "keep"));
}

static void set_policy(struct nfv *nf, int policy)
{
	struct sched_param sp = { .sched_priority = 0 };

	if (sched_setscheduler(0, policy, &sp)) {
		pr_debug("nfv: sched_setscheduler: %s; policy left alone\n",
			 strerror(errno));
		nf->sched_auto = false;
		return;
	}
	nf->sched_batch = policy == SCHED_BATCH;
	nf->sched_tid = gettid();
	if (nf->cnt)
		nf->cnt->sched_switches++;
}

void nfv_sched_busy(struct nfv *nf)
{
	/*
	 * An NF that sends out of a port ends its chain: it pays the copy
	 * out (copy mode), it is the chain's bottleneck, and it should run
	 * as soon as it has frames.  Measured: chain-1's NF under
	 * SCHED_BATCH did 6% fewer frames per CPU-second.
	 */
	if (nf->cnt && nf->cnt->tx != nf->sched_tx) {
		nf->sched_tx = nf->cnt->tx;
		nf->full_run = 0;
		return;
	}
	/* The thread's policy now, not at nfv_init(): another may run us. */
	if (sched_getscheduler(0) != SCHED_OTHER) {
		nf->sched_auto = false;
		return;
	}
	set_policy(nf, SCHED_BATCH);
	nf->sched_busy_ms = nfv_now_ms();
}

int nfv_sched_idle(struct nfv *nf, int timeout_ms, bool *capped)
{
	uint64_t now = nfv_now_ms(), idle;

	*capped = false;
	if (nf->sched_full) {
		nf->sched_busy_ms = now;
		nf->sched_full = false;
	}
	idle = now - nf->sched_busy_ms;
	if (idle >= NFV_SCHED_HOLD_MS) {
		if (sched_getscheduler(0) == SCHED_BATCH)
			set_policy(nf, SCHED_OTHER);
		else
			nf->sched_batch = false;	/* someone else's now */
		return timeout_ms;
	}
	if (timeout_ms < 0 || (uint64_t)timeout_ms > NFV_SCHED_HOLD_MS - idle) {
		*capped = true;
		return (int)(NFV_SCHED_HOLD_MS - idle);
	}
	return timeout_ms;
}

/*
 * Back to SCHED_OTHER on close, but only the thread we switched: another
 * may be SCHED_BATCH for reasons of its own.
 */
void nfv_sched_close(struct nfv *nf)
{
	if (nf->sched_batch && gettid() == nf->sched_tid &&
	    sched_getscheduler(0) == SCHED_BATCH)
		set_policy(nf, SCHED_OTHER);
}
