/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * Service chains: what a valid hop and a valid chain are, once, for
 * both backends.
 *
 * nfv.ko and nfvd take each HOP nest of a CHAIN_NEW apart into a struct
 * nfv_hop_attrs (resolving an out hop's device to one of their ports);
 * which hops and chains are refused, with which words, and the limits
 * (NFV_HOPS_MAX, the known flags) are decided here.
 *
 * Plain C on the uapi types: it builds in the kernel and in user space.
 */
#ifndef _UAPI_LINUX_NFV_CHAIN_RULES_H
#define _UAPI_LINUX_NFV_CHAIN_RULES_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#include <stdbool.h>
#endif

#include <linux/nfv.h>
#include <linux/nfv_err.h>

/**
 * struct nfv_hop_attrs - the attributes of one HOP nest, taken apart
 * @given: NFV_GIVEN(NFV_A_HOP_*) of every attribute present
 * @type: TYPE
 * @service: SERVICE
 * @port: the fabric port id the backend found for IFINDEX (if given) or
 *	else PORT; 0 when that device is not a port of this fabric
 * @spi: SPI
 */
struct nfv_hop_attrs {
	__u32 given;
	__u8 type;
	__u16 service;
	__u16 port;
	__u32 spi;
};

/**
 * nfv_hop_from_attrs() - check one hop and build it
 * @a: the nest's attributes
 * @h: the hop, zeroed then filled
 * @e: why not, on error; @e->attr is an NFV_A_HOP_* (0: the nest)
 *
 * A hop has a known type; a service or tap hop names a service; an out
 * or nsh hop names a device (IFINDEX or PORT) that is a port of this
 * fabric (-ENODEV), and an nsh hop an SPI too, which its chain keeps
 * (the caller stores @a->spi in nfv_chain.nsh_spi).  A drop hop takes no
 * argument.
 *
 * Return: 0, or a negative errno with @e filled.
 */
static inline int nfv_hop_from_attrs(const struct nfv_hop_attrs *a,
				     struct nfv_hop *h, struct nfv_err *e)
{
	__builtin_memset(h, 0, sizeof(*h));
	if (!(a->given & NFV_GIVEN(NFV_A_HOP_TYPE)))
		return nfv_fail(e, -EINVAL, "hop without a type", 0,
				NFV_A_HOP_TYPE);
	if (a->type < NFV_HOP_SERVICE || a->type >= __NFV_HOP_TYPE_MAX)
		return nfv_fail(e, -EINVAL, "unknown hop type",
				NFV_A_HOP_TYPE, 0);
	h->type = a->type;
	if (a->type == NFV_HOP_NSH) {
		if (!(a->given & NFV_GIVEN(NFV_A_HOP_SPI)))
			return nfv_fail(e, -EINVAL, "nsh hop without an spi",
					0, NFV_A_HOP_SPI);
		if (a->spi > NFV_SPI_MAX)
			return nfv_fail(e, -ERANGE, "spi is 24 bits",
					NFV_A_HOP_SPI, 0);
	}
	switch (a->type) {
	case NFV_HOP_SERVICE:
	case NFV_HOP_TAP:
		if (!(a->given & NFV_GIVEN(NFV_A_HOP_SERVICE)))
			return nfv_fail(e, -EINVAL,
					"service hop without a service id", 0,
					NFV_A_HOP_SERVICE);
		h->arg = a->service;
		break;
	case NFV_HOP_NSH:
	case NFV_HOP_OUT:
		if (!(a->given & (NFV_GIVEN(NFV_A_HOP_IFINDEX) |
				  NFV_GIVEN(NFV_A_HOP_PORT))))
			return nfv_fail(e, -EINVAL, "out hop without a device",
					0, NFV_A_HOP_IFINDEX);
		if (!a->port)
			return nfv_fail(e, -ENODEV,
					"out hop: device is not a fabric port",
					0, 0);
		h->arg = a->port;
		break;
	default:
		break;
	}
	return 0;
}

/**
 * nfv_chain_flags_check() - whether CHAIN_FLAGS holds only known flags
 * @flags: CHAIN_FLAGS, 0 when absent
 * @e: why not, on error
 *
 * Return: 0, or -EOPNOTSUPP with @e filled.
 */
static inline int nfv_chain_flags_check(__u32 flags, struct nfv_err *e)
{
	if (flags & ~(__u32)__NFV_CHAIN_F_ALL)
		return nfv_fail(e, -EOPNOTSUPP, "unknown chain flags",
				NFV_A_CHAIN_FLAGS, 0);
	return 0;
}

/**
 * nfv_chain_hop_room() - whether a chain of @n_hops takes one more hop
 * @n_hops: hops parsed so far
 * @e: why not, on error; @e->attr 0 means the HOP nest at hand
 *
 * Return: 0, or -E2BIG with @e filled.
 */
static inline int nfv_chain_hop_room(int n_hops, struct nfv_err *e)
{
	if (n_hops >= NFV_HOPS_MAX)
		return nfv_fail(e, -E2BIG,
				"too many hops (max " NFV_STR(NFV_HOPS_MAX) ")",
				0, 0);
	return 0;
}

/**
 * nfv_chain_admit() - whether a CHAIN_NEW's chain may be stored at its id
 * @c: the chain, its hops from nfv_hop_from_attrs()
 * @exists: a chain is stored at that id
 * @replace: the request asks to replace (NLM_F_REPLACE)
 * @e: why not, on error
 *
 * A chain has 1..NFV_HOPS_MAX hops and does not start with a tap; an nsh
 * hop is its last and not its first (an NF hands a frame to it: libnfv
 * encapsulates); an existing chain is only replaced on request.
 *
 * Return: 0, -EINVAL, or -EEXIST; @e filled on error.
 */
static inline int nfv_chain_admit(const struct nfv_chain *c, bool exists,
				  bool replace, struct nfv_err *e)
{
	int i;

	if (c->n_hops > NFV_HOPS_MAX)
		return nfv_chain_hop_room(c->n_hops, e);
	if (!c->n_hops)
		return nfv_fail(e, -EINVAL, "chain without hops", 0,
				NFV_A_CHAIN_HOP);
	if (c->hops[0].type == NFV_HOP_TAP)
		return nfv_fail(e, -EINVAL, "a chain cannot start with a tap",
				0, 0);
	if (c->hops[0].type == NFV_HOP_NSH)
		return nfv_fail(e, -EINVAL,
				"a chain cannot start with an nsh hop", 0, 0);
	for (i = 1; i < c->n_hops - 1; i++)
		if (c->hops[i].type == NFV_HOP_NSH)
			return nfv_fail(e, -EINVAL,
					"an nsh hop ends its chain", 0, 0);
	if (exists && !replace)
		return nfv_fail(e, -EEXIST, "chain already exists",
				NFV_A_CHAIN_ID, 0);
	return 0;
}

/**
 * nfv_chain_del_check() - whether a CHAIN_DEL finds its chain
 * @exists: a chain is stored at the request's id
 * @e: why not, on error
 *
 * Return: 0, or -ENOENT with @e filled.
 */
static inline int nfv_chain_del_check(bool exists, struct nfv_err *e)
{
	return exists ? 0 : nfv_fail(e, -ENOENT, "no such chain",
				     NFV_A_CHAIN_ID, 0);
}

#endif /* _UAPI_LINUX_NFV_CHAIN_RULES_H */
