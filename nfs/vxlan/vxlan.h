/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-vxlan: VXLAN (RFC 7348) encapsulation and decapsulation in place.
 *
 * Encap prepends outer Ethernet + IPv4 + UDP + VXLAN (50 bytes) in the
 * frame's headroom and points the metadata at the outer headers; the UDP
 * source port carries the flow's hash (RFC 7348 5: entropy for ECMP), the
 * UDP checksum is zero (allowed for IPv4).  Decap checks the outer
 * headers (IPv4 or IPv6, UDP to the VXLAN port, the I flag, the VNI if
 * one is set), removes them and parses the inner frame into the
 * metadata, completing an inner TCP/UDP checksum the sender left partial
 * (a Linux VXLAN device with checksum offload does).
 */
#ifndef __NFV_VXLAN_VXLAN_H
#define __NFV_VXLAN_VXLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <nfv/libnfv.h>

#define VXLAN_PORT		4789
#define VXLAN_ENCAP_LEN		(14 + 20 + 8 + 8)
#define VXLAN_F_VNI		0x08

struct vxlan_stats {
	uint64_t encap, decap;
	uint64_t no_headroom;		/* encap: not enough room in front */
	uint64_t not_vxlan;		/* decap: passed on untouched */
	uint64_t bad_vni, bad_csum, malformed;	/* decap: dropped */
	uint64_t csum_fixed;		/* decap: inner partial completed */
	uint64_t tap;			/* read-only references: untouched */
};

struct vxlan {
	bool decap;
	uint32_t vni;			/* decap: 0 = any */
	bool vni_set;
	uint32_t local, remote;		/* network order */
	uint16_t port;			/* network order */
	uint8_t dst_mac[6], src_mac[6];
	bool dst_mac_set, src_mac_set;
	uint16_t ip_id;
	struct vxlan_stats st;
};

int vxlan_encap(struct vxlan *vx, struct nfv_pkt *pkt);
/* 0 decapsulated, 1 not VXLAN (untouched), -1 to drop. */
int vxlan_decap(struct vxlan *vx, struct nfv_pkt *pkt);
/* Parse the frame's headers into pkt->meta (l3_off, l4_off, ...). */
void vxlan_parse_meta(struct nfv_pkt *pkt);
uint32_t vxlan_handle(struct nfv_pkt *pkt, void *ctx);
void vxlan_json(FILE *f, const struct vxlan *vx);

#endif /* __NFV_VXLAN_VXLAN_H */
