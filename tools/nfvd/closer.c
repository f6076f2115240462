// SPDX-License-Identifier: GPL-2.0
/*
 * The closer: the one thing nfvd does off its event loop.  Closing an
 * AF_XDP socket waits for an RCU grace period (xsk_release() calls
 * synchronize_net()): 10 to 56 ms each, measured here, so a dead NF's
 * sockets closed by the loop stalled every port and every NF for tens of
 * milliseconds.  The loop queues their fds instead; this thread closes
 * them, waits the grace periods the loop asks for (below), and does
 * nothing else.  A socket is out of the XSKMAP, its ring unmapped and
 * its counters read before it is queued, and no frame can reach it any
 * more; the one thing that waits for the close itself is the rx census
 * (ledger.c), which must see the kernel without the socket: it asks
 * closer_busy().
 *
 * The same wait, alone, is what a deleted port's pools need before
 * their fill rings are given back (port.c): the loop queues a grace
 * period and looks at its ticket (closer_passed()) until the thread has
 * waited it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include "closer.h"

#define CLOSER_QUEUE	1024
#define CLOSER_GRACE	(-2)		/* queued: a grace period */
/* Where membarrier() is refused: far longer than any NAPI poll. */
#define GRACE_FALLBACK_US	100000

struct nfvd_closer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int fd[CLOSER_QUEUE];
	unsigned int head, tail;	/* tail - head queued */
	unsigned int busy;		/* fds queued or being closed */
	uint64_t queued, done;		/* entries ever queued; done */
	bool stop;
};

/*
 * An RCU grace period: MEMBARRIER_CMD_GLOBAL is synchronize_rcu(), so
 * every XDP program run and NAPI poll begun before it returns is over.
 */
static void grace_period(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(GRACE_FALLBACK_US);	/* nohz_full, no membarrier */
}

static void *closer_main(void *arg)
{
	struct nfvd_closer *cl = arg;
	int fd;

	pthread_mutex_lock(&cl->lock);
	for (;;) {
		while (cl->head == cl->tail && !cl->stop)
			pthread_cond_wait(&cl->wake, &cl->lock);
		if (cl->head == cl->tail)
			break;		/* stopping, and nothing left */
		fd = cl->fd[cl->head++ % CLOSER_QUEUE];
		pthread_mutex_unlock(&cl->lock);
		if (fd == CLOSER_GRACE)
			grace_period();
		else
			close(fd);
		pthread_mutex_lock(&cl->lock);
		if (fd != CLOSER_GRACE)
			cl->busy--;
		cl->done++;
	}
	pthread_mutex_unlock(&cl->lock);
	return NULL;
}

void closer_init(struct nfvd *d)
{
	struct nfvd_closer *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return;
	pthread_mutex_init(&cl->lock, NULL);
	pthread_cond_init(&cl->wake, NULL);
	if (pthread_create(&cl->thread, NULL, closer_main, cl)) {
		pr_warn("nfvd: no closer thread: dead NFs' sockets closed inline\n");
		free(cl);
		return;
	}
	d->closer = cl;
}

void closer_close(struct nfvd *d, int fd)
{
	struct nfvd_closer *cl = d->closer;
	bool queued = false;

	if (fd < 0)
		return;
	if (cl) {
		pthread_mutex_lock(&cl->lock);
		if (cl->tail - cl->head < CLOSER_QUEUE) {
			cl->fd[cl->tail++ % CLOSER_QUEUE] = fd;
			cl->busy++;
			cl->queued++;
			queued = true;
		}
		pthread_cond_signal(&cl->wake);
		pthread_mutex_unlock(&cl->lock);
	}
	if (!queued)
		close(fd);
}

uint64_t closer_grace(struct nfvd *d)
{
	struct nfvd_closer *cl = d->closer;
	uint64_t ticket = 0;

	if (cl) {
		pthread_mutex_lock(&cl->lock);
		if (cl->tail - cl->head < CLOSER_QUEUE) {
			cl->fd[cl->tail++ % CLOSER_QUEUE] = CLOSER_GRACE;
			ticket = ++cl->queued;
		}
		pthread_cond_signal(&cl->wake);
		pthread_mutex_unlock(&cl->lock);
	}
	if (!ticket)
		grace_period();
	return ticket;
}

bool closer_passed(struct nfvd *d, uint64_t ticket)
{
	struct nfvd_closer *cl = d->closer;
	bool passed;

	if (!cl || !ticket)
		return true;
	pthread_mutex_lock(&cl->lock);
	passed = cl->done >= ticket;
	pthread_mutex_unlock(&cl->lock);
	return passed;
}

bool closer_busy(struct nfvd *d)
{
	struct nfvd_closer *cl = d->closer;
	bool busy;

	if (!cl)
		return false;
	pthread_mutex_lock(&cl->lock);
	busy = cl->busy;
	pthread_mutex_unlock(&cl->lock);
	return busy;
}

void closer_fini(struct nfvd *d)
{
	struct nfvd_closer *cl = d->closer;

	if (!cl)
		return;
	pthread_mutex_lock(&cl->lock);
	cl->stop = true;
	pthread_cond_signal(&cl->wake);
	pthread_mutex_unlock(&cl->lock);
	pthread_join(cl->thread, NULL);
	pthread_mutex_destroy(&cl->lock);
	pthread_cond_destroy(&cl->wake);
	free(cl);
	d->closer = NULL;
}
