// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The handles nfv_stop() may touch.
 *
 * nfv_stop() is async-signal-safe, and NFs call it from their SIGTERM
 * handler through a global pointer.  Such a signal can arrive after
 * nfv_close() freed the handle: a process on its way out (exit handlers,
 * LeakSanitizer's final check) may still get a second SIGTERM or a
 * SIGINT.  So nfv_stop() only writes to a handle registered here, and
 * nfv_close() unregisters it before it frees anything.  A handler runs
 * between two instructions of the thread it interrupts, so a single-
 * threaded NF never sees a handle half-closed; threads that may call
 * nfv_stop() must be done before another one calls nfv_close().
 */
#include "internal.h"

#define NFV_HANDLES_MAX	64

static struct nfv *handles[NFV_HANDLES_MAX];

int nfv_handle_add(struct nfv *nf)
{
	int i;

	for (i = 0; i < NFV_HANDLES_MAX; i++) {
		struct nfv *none = NULL;

		if (__atomic_compare_exchange_n(&handles[i], &none, nf, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return 0;
	}
	pr_warn("nfv: more than %d handles open in one process\n",
		NFV_HANDLES_MAX);
	return -EMFILE;
}

void nfv_handle_del(struct nfv *nf)
{
	int i;

	for (i = 0; i < NFV_HANDLES_MAX; i++)
		if (__atomic_load_n(&handles[i], __ATOMIC_SEQ_CST) == nf)
			__atomic_store_n(&handles[i], NULL, __ATOMIC_SEQ_CST);
}

void nfv_stop(struct nfv *nf)
{
	int i;

	if (!nf)
		return;
	for (i = 0; i < NFV_HANDLES_MAX; i++)
		if (__atomic_load_n(&handles[i], __ATOMIC_SEQ_CST) == nf) {
			nf->stop = 1;
			return;
		}
}
