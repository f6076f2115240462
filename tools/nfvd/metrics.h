/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd --metrics [ADDR:]PORT: /metrics in the Prometheus text format,
 * served by libmicrohttpd from nfvd's own loop (metrics.c).
 */
#ifndef __NFVD_METRICS_H
#define __NFVD_METRICS_H

#include <stdint.h>

struct nfvd;

/* Parse "[ADDR:]PORT" ("[v6]:PORT" too) into the config; -EINVAL: bad. */
int metrics_parse(struct nfvd *d, const char *arg);
/* Listen if --metrics was given; its epoll fd joins d->epoll_fd. */
int metrics_init(struct nfvd *d);
void metrics_fini(struct nfvd *d);
/*
 * Serve what is ready: from the loop when the epoll fd is readable and
 * when metrics_due_ns() is reached.  0: nothing due.
 */
void metrics_run(struct nfvd *d);
uint64_t metrics_due_ns(struct nfvd *d);

#endif /* __NFVD_METRICS_H */
