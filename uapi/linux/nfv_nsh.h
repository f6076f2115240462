/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * NSH (RFC 8300) as the fabric speaks it, once, for the classifier's
 * decap nsh ports (bpf/decap.h), libnfv's nsh hops and the tests:
 *
 *   outer Ethernet (type 0x894f) | base header | service path header |
 *   context headers (MD type 1: 16 bytes; 2: Length - 2 words) | inner
 *   Ethernet frame (next protocol 3)
 *
 *    0                   1                   2                   3
 *   |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 *   |          Service Path Identifier (SPI)        | Service Index |
 *
 * An nsh hop writes MD type 2 without context headers (Length 2), TTL
 * and SI from nfv_nsh_next().  Plain C on the uapi types: it builds for
 * BPF, in the kernel and in user space.
 */
#ifndef _UAPI_LINUX_NFV_NSH_H
#define _UAPI_LINUX_NFV_NSH_H

#include <linux/types.h>
#include <linux/nfv.h>

#define NFV_ETH_P_NSH		0x894f
#define NFV_NSH_NP_ETHERNET	3
#define NFV_NSH_MD1		1
#define NFV_NSH_MD2		2
#define NFV_NSH_MD1_WORDS	6	/* base + path + 16 bytes of context */
#define NFV_NSH_MIN_WORDS	2	/* base + path */
#define NFV_NSH_TTL_MAX		63
#define NFV_NSH_SI_MAX		255
/* What an nsh hop puts in front of the inner frame: Ethernet + NSH. */
#define NFV_NSH_ENCAP_LEN	(14 + 4 * NFV_NSH_MIN_WORDS)

struct nfv_nsh_hdr {
	__u8   ver_ttl;		/* Ver(2) O U TTL's high 4 bits */
	__u8   ttl_len;		/* TTL's low 2 bits, Length (words, 6) */
	__u8   md_type;		/* low 4 bits */
	__u8   next_proto;
	__be32 path;		/* SPI << 8 | SI */
};

/* Network to host order and back (the same swap). */
static inline __u32 nfv_nsh_swab(__u32 x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(x);
#else
	return x;
#endif
}

static inline __u8 nfv_nsh_ver(const struct nfv_nsh_hdr *h)
{
	return h->ver_ttl >> 6;
}

static inline __u8 nfv_nsh_ttl(const struct nfv_nsh_hdr *h)
{
	return (__u8)(((h->ver_ttl & 0x0f) << 2) | (h->ttl_len >> 6));
}

/* Length of the NSH header in 4-byte words. */
static inline __u8 nfv_nsh_words(const struct nfv_nsh_hdr *h)
{
	return h->ttl_len & 0x3f;
}

/* Host order: SPI << 8 | SI. */
static inline __u32 nfv_nsh_path(const struct nfv_nsh_hdr *h)
{
	return nfv_nsh_swab((__u32)h->path);
}

/**
 * nfv_nsh_valid() - whether an NSH header is one the fabric decapsulates
 * @h: the base and service path headers
 *
 * Version 0, MD type 1 with Length 6 or MD type 2 with Length >= 2,
 * next protocol Ethernet, TTL and SI not 0.  Whether Length fits in the
 * frame is the caller's to check.
 *
 * Return: 1 or 0.
 */
static inline int nfv_nsh_valid(const struct nfv_nsh_hdr *h)
{
	__u8 md = h->md_type & 0x0f, words = nfv_nsh_words(h);

	if (nfv_nsh_ver(h) != 0 || h->next_proto != NFV_NSH_NP_ETHERNET)
		return 0;
	if (!(md == NFV_NSH_MD1 && words == NFV_NSH_MD1_WORDS) &&
	    !(md == NFV_NSH_MD2 && words >= NFV_NSH_MIN_WORDS))
		return 0;
	return nfv_nsh_ttl(h) && (nfv_nsh_path(h) & 0xff);
}

/**
 * nfv_nsh_next() - TTL and SI of a frame leaving by an nsh hop
 * @flags: the frame's NFV_META_F_* (its metadata)
 * @decap_id: the metadata's decap_id (SPI << 8 | SI with NFV_META_F_NSH)
 * @nsh_ttl: the metadata's nsh_ttl
 * @hops_done: hops of the chain before the nsh hop (its index)
 * @ttl: the TTL to send
 * @si: the SI to send
 *
 * A frame that came in NSH goes on from where it was: its TTL less one
 * (one forwarder), its SI less the hops it took here; any other starts
 * its path at TTL 63, SI 255 less the hops it took.  The metadata may
 * come from an NF: every value of it gives a TTL and an SI in range or
 * a refusal.
 *
 * Return: 0, or -1 when the TTL or the SI would reach 0 (drop).
 */
static inline int nfv_nsh_next(__u8 flags, __u32 decap_id, __u8 nsh_ttl,
			       __u32 hops_done, __u8 *ttl, __u8 *si)
{
	__u32 t = NFV_NSH_TTL_MAX + 1, s = NFV_NSH_SI_MAX;

	if ((flags & (NFV_META_F_DECAP | NFV_META_F_NSH)) ==
	    (NFV_META_F_DECAP | NFV_META_F_NSH)) {
		t = nsh_ttl & NFV_NSH_TTL_MAX;
		s = decap_id & 0xff;
	}
	if (t <= 1 || s <= hops_done)
		return -1;
	*ttl = (__u8)(t - 1);
	*si = (__u8)(s - hops_done);
	return 0;
}

/* Write an MD type 2 header without context headers. */
static inline void nfv_nsh_write(struct nfv_nsh_hdr *h, __u8 ttl, __u32 spi,
				 __u8 si)
{
	h->ver_ttl = (ttl >> 2) & 0x0f;
	h->ttl_len = (__u8)((ttl & 0x03) << 6) | NFV_NSH_MIN_WORDS;
	h->md_type = NFV_NSH_MD2;
	h->next_proto = NFV_NSH_NP_ETHERNET;
	h->path = (__be32)nfv_nsh_swab((spi & NFV_SPI_MAX) << 8 | si);
}

#endif /* _UAPI_LINUX_NFV_NSH_H */
