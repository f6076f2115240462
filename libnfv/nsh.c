// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An nsh hop (chain hop "nsh DEV SPI", the last of its chain): the frame
 * leaves this host's part of the service path inside Ethernet + NSH
 * (RFC 8300, MD type 2, next protocol Ethernet), written in the headroom
 * in front of it, with the chain's SPI and the TTL and SI that
 * nfv_nsh_next() gives (<linux/nfv_nsh.h>).  The outer Ethernet header
 * copies the inner one's addresses: the next forwarder's port takes any
 * (XDP sees a frame before its MAC filter), and a VXLAN or bridge
 * underlay forwards on them as it would the inner frame.
 *
 * The metadata moves with the frame, as bpf_xdp_adjust_head() moves it;
 * the metadata is the NF's to write, so every value of it gives a valid
 * header or a counted drop.
 */
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/nfv_nsh.h>

#include "internal.h"

bool nfv_nsh_push(struct nfv *nf, struct nfv_pkt *pkt, uint32_t spi)
{
	uint32_t off = (uint32_t)(pkt->addr % nf->frame_size);
	struct nfv_xdp_meta m;
	struct nfv_nsh_hdr *nh;
	struct ethhdr *eth;
	uint8_t ttl, si;

	/* A read-only NF cannot write the frame: nsh hops need a writer. */
	if (nf->flags & NFV_NF_F_READONLY || pkt->len < ETH_HLEN ||
	    off < sizeof(m) + NFV_NSH_ENCAP_LEN)
		return false;
	memcpy(&m, pkt->meta, sizeof(m));
	if (nfv_nsh_next(m.flags, m.decap_id, m.nsh_ttl, pkt->hop, &ttl, &si))
		return false;
	pkt->meta = (struct nfv_xdp_meta *)((uint8_t *)pkt->meta -
					    NFV_NSH_ENCAP_LEN);
	memcpy(pkt->meta, &m, sizeof(m));
	eth = (struct ethhdr *)(pkt->data - NFV_NSH_ENCAP_LEN);
	memmove(eth, pkt->data, 2 * ETH_ALEN);
	eth->h_proto = htons(NFV_ETH_P_NSH);
	nh = (struct nfv_nsh_hdr *)(eth + 1);
	nfv_nsh_write(nh, ttl, spi, si);
	pkt->data = (uint8_t *)eth;
	pkt->addr -= NFV_NSH_ENCAP_LEN;
	pkt->len += NFV_NSH_ENCAP_LEN;
	return true;
}
