/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port decapsulation for the nfv classifier (enum nfv_port_decap).
 *
 * A decap port removes one encapsulation in front of the frame before it
 * is classified, so flows, rules and chains match the inner frame and NFs
 * receive it:
 *
 *   vlan   dst src [TPID TCI] type ...   ->  dst src type ...
 *          (the outermost 802.1Q/802.1ad tag; untagged frames as they are)
 *   vxlan  outer Ethernet [tag] IPv4|IPv6 UDP(vxlan port) VXLAN | inner
 *          Ethernet ...                   ->  inner Ethernet ...
 *          (the I flag set, the VNI the port's if it has one; bytes
 *          past the UDP datagram are not the inner frame's: it is parsed
 *          within its own length, and they are cut when it is delivered)
 *   nsh    outer Ethernet (0x894f) NSH | inner Ethernet ...
 *                                         ->  inner Ethernet ...
 *          (RFC 8300, <linux/nfv_nsh.h>: version 0, MD type 1 or 2, next
 *          protocol Ethernet, TTL and SI not 0; anything else in NSH is
 *          DECAP_ERR, which the classifier drops and counts)
 *
 * A frame that goes to the kernel afterwards (PASS, PARSE_ERR) gets its
 * encapsulation back with decap_undo(): the bytes bpf_xdp_adjust_head()
 * stepped over are still in the headroom, untouched, except the 4 bytes a
 * VLAN tag occupied, which are written back.  Helpers used:
 * bpf_xdp_adjust_head (4.10) and bpf_xdp_adjust_tail (4.18).
 */
#ifndef __NFV_BPF_DECAP_H
#define __NFV_BPF_DECAP_H

#include "parsing.h"
#include <linux/nfv.h>
#include <linux/nfv_nsh.h>

/* RFC 7348, 5. */
struct nfv_vxlan_hdr {
	__u8   flags;		/* NFV_VXLAN_F_VNI must be set */
	__u8   rsvd1[3];
	__be32 vni;		/* VNI << 8, low byte reserved */
};

#define NFV_VXLAN_F_VNI		0x08
/* What must follow the UDP header: VXLAN and the inner Ethernet header. */
#define NFV_VXLAN_MIN		(sizeof(struct nfv_vxlan_hdr) + \
				 sizeof(struct ethhdr))

enum decap_result {
	DECAP_NONE,		/* not encapsulated as the port says: as is */
	DECAP_DONE,		/* the frame is now the inner one */
	DECAP_ERR,		/* encapsulated, but truncated or malformed */
};

/* What decap_undo() needs; zeroed: nothing was removed. */
struct decap_state {
	__u32 len;		/* bytes removed in front */
	__u32 trim;		/* bytes after the inner frame */
	__u16 inner;		/* vxlan: length of the inner frame */
	__be16 tpid, tci;	/* the VLAN tag removed (vlan) */
	__u32 vni;		/* the VNI of the header removed (vxlan) */
	__u32 nsh_path;		/* SPI << 8 | SI of the NSH removed (nsh) */
	__u8 nsh_ttl;		/* its TTL */
	__u8 kind;		/* enum nfv_port_decap */
};

#define ETH_MACS_LEN	(2 * ETH_ALEN)

/*
 * vlan: move both MAC addresses over the tag, then step over the 4 bytes
 * left in front.  A tag cut short is DECAP_ERR; the frame is unchanged.
 */
static __always_inline int decap_vlan(struct xdp_md *ctx,
				      struct decap_state *ds)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct nfv_vlan_hdr *vh = data + sizeof(*eth);
	__u8 macs[ETH_MACS_LEN];

	if ((void *)(eth + 1) > end || !is_vlan(eth->h_proto))
		return DECAP_NONE;	/* a runt is the parser's to judge */
	if ((void *)(vh + 1) > end)
		return DECAP_ERR;
	ds->tpid = eth->h_proto;
	ds->tci = vh->tci;
	__builtin_memcpy(macs, data, ETH_MACS_LEN);
	if (bpf_xdp_adjust_head(ctx, sizeof(*vh)))
		return DECAP_ERR;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + ETH_MACS_LEN > end) {
		/* Cannot be (14 bytes were there); put the head back. */
		bpf_xdp_adjust_head(ctx, -(int)sizeof(*vh));
		return DECAP_ERR;
	}
	__builtin_memcpy(data, macs, ETH_MACS_LEN);
	ds->len = sizeof(*vh);
	ds->kind = NFV_PORT_DECAP_VLAN;
	return DECAP_DONE;
}

/*
 * vxlan: @pi is the parse of the outer frame (PARSE_OK).  UDP to the
 * port's VXLAN port, not a fragment: it is VXLAN, and must hold a VXLAN
 * header with the I flag and an inner Ethernet header; another VNI than
 * the port's is not ours (DECAP_NONE).
 */
static __always_inline int decap_vxlan(struct xdp_md *ctx,
				       const struct nfv_port_cfg *port,
				       const struct pkt_info *pi,
				       struct decap_state *ds)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 frame = end - data, off = pi->l4_off, ulen;
	__u16 inner;
	struct nfv_vxlan_hdr *vx;
	struct udphdr *uh;

	if (pi->proto != IPPROTO_UDP || !pi->has_ports ||
	    pi->dport != port->vxlan_port)
		return DECAP_NONE;
	if (off > L4_OFF_MAX)
		return DECAP_ERR;	/* the parser keeps it below */
	uh = data + off;
	if ((void *)(uh + 1) > end)
		return DECAP_ERR;
	/* The parser checked 8 <= ulen <= IP payload <= frame. */
	ulen = bpf_ntohs(uh->len);
	if (ulen < sizeof(*uh) + NFV_VXLAN_MIN)
		return DECAP_ERR;
	vx = (void *)(uh + 1);
	if ((void *)(vx + 1) > end)
		return DECAP_ERR;
	if (!(vx->flags & NFV_VXLAN_F_VNI))
		return DECAP_ERR;
	if ((port->decap_flags & NFV_PORT_DECAP_F_VNI) &&
	    bpf_ntohl(vx->vni) >> 8 != port->vni)
		return DECAP_NONE;
	off += sizeof(*uh) + sizeof(*vx);
	inner = ulen - sizeof(*uh) - sizeof(*vx);
	if (off + inner > frame)
		return DECAP_ERR;	/* cannot be: the parser checked */
	ds->vni = bpf_ntohl(vx->vni) >> 8;	/* vx is gone after the move */
	if (bpf_xdp_adjust_head(ctx, off))
		return DECAP_ERR;
	ds->len = off;
	ds->trim = frame - off - inner;
	ds->inner = inner;
	ds->kind = NFV_PORT_DECAP_VXLAN;
	return DECAP_DONE;
}

/*
 * nsh: an Ethernet frame of type NSH must hold a valid NSH header of the
 * length it states and an inner Ethernet header after it.  The outer
 * Ethernet header and the NSH header (context headers included) go.
 */
static __always_inline int decap_nsh(struct xdp_md *ctx,
				     struct decap_state *ds)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct nfv_nsh_hdr *nh = data + sizeof(*eth);
	__u32 off;

	if ((void *)(eth + 1) > end ||
	    eth->h_proto != bpf_htons(NFV_ETH_P_NSH))
		return DECAP_NONE;
	if ((void *)(nh + 1) > end || !nfv_nsh_valid(nh))
		return DECAP_ERR;
	off = sizeof(*eth) + 4 * nfv_nsh_words(nh);
	/* 63 words at most: a constant bound for the verifier. */
	if (off > sizeof(*eth) + 4 * 63 || data + off + sizeof(*eth) > end)
		return DECAP_ERR;
	ds->nsh_path = nfv_nsh_path(nh);
	ds->nsh_ttl = nfv_nsh_ttl(nh);
	if (bpf_xdp_adjust_head(ctx, off))
		return DECAP_ERR;
	ds->len = off;
	ds->kind = NFV_PORT_DECAP_NSH;
	return DECAP_DONE;
}

/*
 * The frame goes to the kernel: give it its encapsulation back.  Nothing
 * past ctx->data was written since the decap (the metadata is written
 * only for frames that are delivered), so only the VLAN tag's place
 * needs writing.
 */
static __always_inline void decap_undo(struct xdp_md *ctx,
				       const struct decap_state *ds)
{
	__u8 macs[ETH_MACS_LEN];
	void *data, *end;
	__be16 *tag;

	if (!ds->len || bpf_xdp_adjust_head(ctx, -(int)ds->len))
		return;
	if (ds->kind != NFV_PORT_DECAP_VLAN)
		return;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	tag = data + ETH_MACS_LEN;	/* TPID, TCI */
	if ((void *)(tag + 2) > end)
		return;
	__builtin_memcpy(macs, data + 2 * sizeof(*tag), ETH_MACS_LEN);
	__builtin_memcpy(data, macs, ETH_MACS_LEN);
	tag[0] = ds->tpid;
	tag[1] = ds->tci;
}

/*
 * The frame is delivered decapsulated (to an NF or a port): cut what
 * followed the inner frame (padding of the outer one).  The helper
 * cannot refuse (the inner frame holds at least an Ethernet header), and
 * if it did, the bytes would be padding behind a complete datagram.
 */
static __always_inline void decap_finish(struct xdp_md *ctx,
					 const struct decap_state *ds)
{
	if (ds->trim)
		bpf_xdp_adjust_tail(ctx, -(int)ds->trim);
}

#endif /* __NFV_BPF_DECAP_H */
