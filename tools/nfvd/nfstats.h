/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An NF's own counters (nfstats.c): what it publishes about its work
 * (NF_COUNTERS_SET: a firewall's rule hits, a NAT's sessions), checked
 * and kept by nfvd, served by NF_COUNTERS_GET and /metrics (metrics.c).
 */
#ifndef __NFVD_NFSTATS_H
#define __NFVD_NFSTATS_H

#include "control.h"
#include "nfvd.h"

struct nfvd_nfstat {
	char name[NFV_COUNTER_NAME_LEN];
	char help[NFV_COUNTER_HELP_LEN];
	char label_name[NFV_COUNTER_NAME_LEN];	/* "": no label */
	char label_value[NFV_COUNTER_NAME_LEN];
	uint8_t type;				/* enum nfv_counter_type */
	uint64_t value;
};

/* Kept per NF slot; allocated on its first NF_COUNTERS_SET. */
struct nfvd_nfstats {
	uint32_t n;
	uint64_t published;		/* sets taken */
	uint64_t refused;		/* sets refused whole */
	struct nfvd_nfstat c[NFV_NF_COUNTERS_MAX];
};

/* [a-zA-Z_][a-zA-Z0-9_]*: a Prometheus metric or label name. */
bool nfstats_name_ok(const char *s);
/* The slot's counters go with it (nf.c, nf_free()). */
void nfstats_free(struct nfvd_nf *nf);

extern const struct nfvd_obj nfstats_obj;

#endif /* __NFVD_NFSTATS_H */
