// SPDX-License-Identifier: GPL-2.0
/*
 * The closer: the one thing nfvd does off its event loop.  Closing an
 * AF_XDP socket waits for an RCU grace period (xsk_release() calls
 * synchronize_net()): 10 to 56 ms each, measured here, so a dead NF's
 * sockets closed by the loop stalled every port and every NF for tens of
 * milliseconds.  The loop queues their fds instead; this thread closes
 * them, and does nothing else.  A socket is out of the XSKMAP, its ring
 * unmapped and its counters read before it is queued, and no frame can
 * reach it any more; the one thing that waits for the close itself is
 * the rx census (ledger.c), which must see the kernel without the
 * socket: it asks closer_busy().
 */
#include <pthread.h>
#include <stdlib.h>

#include "closer.h"

#define CLOSER_QUEUE	1024

struct nfvd_closer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int fd[CLOSER_QUEUE];
	unsigned int head, tail;	/* tail - head queued */
	unsigned int busy;		/* queued or being closed */
	bool stop;
};

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
		close(fd);
		pthread_mutex_lock(&cl->lock);
		cl->busy--;
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
			queued = true;
		}
		pthread_cond_signal(&cl->wake);
		pthread_mutex_unlock(&cl->lock);
	}
	if (!queued)
		close(fd);
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
