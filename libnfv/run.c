// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The NF run loop: receive a batch, run the handler on each frame,
 * transmit; until nfv_stop().
 */
#include "internal.h"

int nfv_run(struct nfv *nf, nfv_handler_t handler, void *ctx)
{
	struct nfv_pkt pkts[NFV_BATCH_MAX];
	int n, i;

	if (!nf || !handler)
		return nfv_err(-EINVAL);
	while (!nf->stop) {
		n = nfv_rx_burst(nf, pkts, (int)nf->batch, -1);
		if (n < 0)
			return n == -ECONNRESET ? nfv_err(-ENOTCONN) : n;
		for (i = 0; i < n; i++)
			pkts[i].action = handler(&pkts[i], ctx);
		nfv_tx_burst(nf, pkts, n);
	}
	return 0;
}
