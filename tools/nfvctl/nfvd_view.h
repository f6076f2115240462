/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd's own figures (frames, NF counters) completing the kernel
 * backend's replies: see nfvd_view.c.
 */
#ifndef __NFVCTL_NFVD_VIEW_H
#define __NFVCTL_NFVD_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nfvd_view;

/* nfvd's STATS_GET at @socket, or NULL (no nfvd there). */
struct nfvd_view *nfvd_view_fetch(const char *socket);
void nfvd_view_free(struct nfvd_view *v);
/* A top-level STATS attribute of nfvd's reply; NULL if none or !@v. */
const struct nlattr *nfvd_view_attr(const struct nfvd_view *v, uint16_t type);
/* nf_print() of the module's NF attributes plus nfvd's counters of that
 * NF (by id), when @v has them.
 */
int nfvd_view_nf_print(const struct nfvd_view *v, const void *attrs,
		       size_t len);

#endif
