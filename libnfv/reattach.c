// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nfvd went away (killed, crashed, restarted): attach again, by ourselves.
 *
 * Everything nfvd gave us goes: the AF_XDP sockets (closing them lets the
 * kernel release the dead UMEM's buffer pool on each queue, which the new
 * nfvd needs), the tables, our segment and the peers' segments,
 * doorbells.  Frames we held belong to the dead UMEM and go with it; a
 * batch still in the caller's hands is recognised by nfv_tx_burst() (its
 * addresses point into the old mapping, kept until the new one exists so
 * the two cannot coincide) and dropped without a trace in the new UMEM.
 *
 * Then we connect to the same socket path again, with backoff (10 ms
 * doubling to 100 ms, so an nfvd that is back is found within 100 ms),
 * and attach with the same service, name and flags.  nfvd recognises us
 * (same pid, service and name) and gives us our old id and buckets back.
 * nfv_rx_burst() goes on as if nothing happened; it returns only when
 * nfv_stop() was called meanwhile.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "internal.h"

#define BACKOFF_MIN_MS	10
#define BACKOFF_MAX_MS	100

/* Drop everything of the last attach but the UMEM mapping (see above). */
/*
 * Everything one attach gave the NF, except the UMEM mapping (frames of
 * a batch in flight may still point into it): mappings, sockets, fds,
 * cached ring state.  Used on reattach and by nfv_close().
 */
void nfv_drop_attach(struct nfv *nf)
{
	int i;

	for (i = 0; i < nf->n_xsks; i++)
		nfv_xsk_unmap(&nf->xsks[i]);
	memset(nf->xsks, 0, sizeof(nf->xsks));
	nf->n_xsks = 0;
	memset(nf->tx_of_port, 0, sizeof(nf->tx_of_port));
	/* Peers first: our own lane to ourselves points into our segment. */
	nfv_peers_drop(nf);
	if (nf->tables)
		munmap((void *)nf->tables, nf->tables_size);
	if (nf->seg)
		munmap(nf->seg, nf->seg_size);
	nf->tables = NULL;
	nf->seg = NULL;
	nf->cnt = NULL;
	nf->sleeping = NULL;
	memset(&nf->log, 0, sizeof(nf->log));
	nf->kick_nfvd = false;
	nf->relay_pending = false;
	nf->tx_pending_ports = 0;
	memset(nf->wake_owed, 0, sizeof(nf->wake_owed));
	nf->wake_any = false;
	memset(nf->bp_fed, 0, sizeof(nf->bp_fed));
	memset(nf->bp_full, 0, sizeof(nf->bp_full));
	memset(nf->bp_off, 0, sizeof(nf->bp_off));
	nf->bp_since = 0;
	nf->bp_any = false;
	if (nf->doorbell >= 0)
		close(nf->doorbell);
	if (nf->nfvd_doorbell >= 0)
		close(nf->nfvd_doorbell);
	if (nf->nf_dev >= 0)
		close(nf->nf_dev);
	if (nf->ctl >= 0)
		close(nf->ctl);
	nf->doorbell = nf->nfvd_doorbell = nf->nf_dev = nf->ctl = -1;
}

int nfv_nf_reattach(struct nfv *nf)
{
	uint8_t *old_umem = nf->umem;
	size_t old_size = nf->umem_size;
	uint64_t t0 = nfv_now_ms();
	int backoff = BACKOFF_MIN_MS, err, last = 0, old_id = nf->id;

	pr_info("nfv: %s (nf %d): nfvd is gone; attaching again to %s\n",
		nf->name[0] ? nf->name : "nf", nf->id, nf->path);
	nfv_drop_attach(nf);
	nf->umem = NULL;
	nf->quiet = true;
	while (!nf->stop) {
		err = nfv_nf_attach(nf, nf->path);
		if (!err)
			break;
		if (err != last && err != -ECONNREFUSED && err != -ENOENT)
			pr_warn("nfv: attaching again: %s; retrying\n",
				strerror(-err));
		last = err;
		nfv_drop_attach(nf);
		if (nf->umem)
			munmap(nf->umem, nf->umem_size);
		nf->umem = NULL;
		usleep((useconds_t)backoff * 1000);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
						       : backoff * 2;
	}
	nf->quiet = false;
	if (old_umem)
		munmap(old_umem, old_size);
	if (nf->stop)
		return -EINTR;
	nf->reattached++;
	nfv_counters_republish(nf);	/* a new nfvd knows none */
	pr_info("nfv: %s: attached again as nf %d (was %d) after %llu ms\n",
		nf->name[0] ? nf->name : "nf", nf->id, old_id,
		(unsigned long long)(nfv_now_ms() - t0));
	return 0;
}
