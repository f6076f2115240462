/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The memory nfvd shares with NF processes, and its version.  Described
 * in proto/PROTOCOL.md; bump NFV_SHM_VERSION on any change to it or to
 * nfv_segment.h, nfv_tables.h, nfv_lane.h or nfv_custody.h.
 *
 * Every byte an NF can write lives in one of two places:
 *
 *  UMEM     frames (NFV_FD_UMEM): written by the kernel (rx copy) and by
 *           writable NFs; read-only NFs get an O_RDONLY open.
 *  SEG      the NF's own segment (NFV_FD_SEG), struct nfv_seg_layout:
 *           its custody log, its lanes to other NFs, the consumer indices
 *           of lanes into it, its counters.  Only that NF writes it:
 *           nfvd seals it (F_SEAL_FUTURE_WRITE) when the NF says READY,
 *           before any peer or nfvd maps it, so every other mapping is
 *           read-only.
 *
 * and one nfvd writes alone:
 *
 *  TABLES   struct nfv_tables, sealed before any NF gets it: ports,
 *           chains, services, NF slots, and per NF the feedback nfvd
 *           gives it (the log consumer index, the frame budget flag).
 *
 * No side takes a layout from shared memory: offsets and sizes come from
 * nfv_seg_layout() (constants and the attach reply), every index read
 * from another process's memory is read once and range-checked.  Who
 * holds which frame is nfvd's private ledger (tools/nfvd/ledger.c), fed
 * by the custody logs and checked against what nfvd alone knows.
 */
#ifndef __NFV_SHM_H
#define __NFV_SHM_H

#define NFV_SHM_MAGIC		0x6e667632u	/* "nfv2" */
#define NFV_SHM_VERSION		3
#define NFV_CACHELINE		64

#endif /* __NFV_SHM_H */
