/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvctl: the command line parsed into one generic netlink request of the
 * "nfv" family (uapi/linux/nfv.h), without I/O, and the printers of the
 * replies.  nfvctl.c sequences parse -> backend -> print; backend.h hides
 * which server answers.
 */
#ifndef __NFVCTL_H
#define __NFVCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfv.h>
#include <libmnl/libmnl.h>

#include "json_print.h"
#include "nfv_nl.h"

/*
 * Every request fits: keywords may not repeat and a chain has at most
 * NFV_HOPS_MAX hops (the largest, a chain, is < 256 bytes).  Attributes
 * are still put with bounds checks, so no input can overflow it.
 */
#define NFVCTL_MSG_SIZE	4096

/* Prints one reply message; returns 0 or a negative errno. */
typedef int (*reply_cb_t)(const struct nlmsghdr *nlh, void *data);

/**
 * struct nfvctl_req - one command line, parsed
 * @buf: message buffer (in), NFVCTL_MSG_SIZE bytes or @size
 * @size: its size (in)
 * @nametoindex: resolves DEV (in); if_nametoindex() in nfvctl, a fake
 *	when fuzzing
 * @nlh: the request (out): nlmsg_type and nlmsg_seq are the backend's
 * @cb: prints each reply (out); NULL: only an ack is expected
 * @array: the output is a list (JSON array) (out)
 * @usage: the object's usage (out), set with NFVCTL_HELP or on errors
 * @nfvd: only nfvd answers it (offloaded flows) (out): sent to nfvd's
 *	socket whatever the backend
 * @then: a second command line (out), NULL-terminated, run after this one
 *	("flow show -s": "offload show"): in JSON the two outputs are the
 *	members @key and @then_key of one object, in text they follow each
 *	other.  If it is nfvd's (@nfvd) and the kernel backend has no nfvd
 *	beside it, its part is empty, without an error.
 * @key: with @then, the JSON key of this request's output (out)
 * @then_key: with @then, that of the second one's (out)
 * @err: one-line message naming the problem (out), without "nfvctl: "
 */
struct nfvctl_req {
	void *buf;
	size_t size;
	unsigned int (*nametoindex)(const char *name);
	struct nlmsghdr *nlh;
	reply_cb_t cb;
	bool array;
	void (*usage)(FILE *f);
	bool nfvd;
	const char *const *then;
	const char *key;
	const char *then_key;
	bool monitor;
	char err[256];
};

/* nfvctl_parse() result besides 0 and -EINVAL: "help" was asked for. */
#define NFVCTL_HELP	1

/*
 * Parse @argv (OBJECT COMMAND ARGS, after the global options) into
 * @req->buf.  No I/O besides @req->nametoindex.  Returns 0 with the
 * request built, NFVCTL_HELP, or -EINVAL with @req->err set.
 */
int nfvctl_parse(int argc, char **argv, struct nfvctl_req *req);

/* Per object: the same contract as nfvctl_parse(), argv after OBJECT. */
int parse_port(int argc, char **argv, struct nfvctl_req *req);
int parse_chain(int argc, char **argv, struct nfvctl_req *req);
int parse_flow(int argc, char **argv, struct nfvctl_req *req);
int parse_nf(int argc, char **argv, struct nfvctl_req *req);
int parse_service(int argc, char **argv, struct nfvctl_req *req);
int parse_stats(int argc, char **argv, struct nfvctl_req *req);
int parse_offload(int argc, char **argv, struct nfvctl_req *req);
int parse_monitor(int argc, char **argv, struct nfvctl_req *req);
/* One event (monitor.c): a line, or a JSON document. */
int monitor_print(const struct nlmsghdr *nlh, void *data);

/* ---- building requests (utils.c) ---- */

__attribute__((format(printf, 2, 3)))
int invarg(struct nfvctl_req *req, const char *fmt, ...);
int get_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
/* An id in 1..@max; @what names it in errors ("chain id"). */
int get_id(struct nfvctl_req *req, const char *what, const char *s,
	   uint32_t max, uint16_t *id);
/* A netdev name, resolved to an ifindex; unknown devices are errors. */
int get_dev(struct nfvctl_req *req, const char *name, uint32_t *ifindex);

/* "none", "vlan", ...: enum nfv_port_decap as port add takes it (port.c). */
extern const char *const port_decap_names[__NFV_PORT_DECAP_MAX];
/* A netdev name checked for length only (the device may be gone). */
int check_dev_name(struct nfvctl_req *req, const char *name);

struct nlmsghdr *req_start(struct nfvctl_req *req, uint8_t cmd,
			   uint16_t flags);
int req_put(struct nfvctl_req *req, uint16_t type, size_t len,
	    const void *data);
int req_put_u8(struct nfvctl_req *req, uint16_t type, uint8_t v);
int req_put_u16(struct nfvctl_req *req, uint16_t type, uint16_t v);
int req_put_u32(struct nfvctl_req *req, uint16_t type, uint32_t v);
int req_put_strz(struct nfvctl_req *req, uint16_t type, const char *s);
struct nlattr *req_nest_start(struct nfvctl_req *req, uint16_t type);
void req_nest_end(struct nfvctl_req *req, struct nlattr *nest);

/* The usual reply shapes. */
void req_dump(struct nfvctl_req *req, reply_cb_t cb);

/*
 * Keyword loops, iproute2 style, with full-word strcmp() keywords (no
 * abbreviations: "de" is not "del").  NEXT_ARG() steps to the value of the
 * keyword at *argv and fails with "missing value for KEYWORD" if there
 * is none.  Callers keep argc/argv as locals.
 */
#define NEXT_ARG(req)							\
	do {								\
		if (argc < 2)						\
			return invarg(req, "missing value for \"%s\"", *argv); \
		argc--;							\
		argv++;							\
	} while (0)

/* Refuse a keyword given twice. */
#define DUPARG(req, seen)						\
	do {								\
		if (seen)						\
			return invarg(req, "duplicate keyword \"%s\"", *argv); \
		seen = true;						\
	} while (0)

/* ---- reading replies (utils.c) ---- */

/*
 * Index the attributes in [@start, @start + @len) into
 * @tb[0..@set->maxattr], checking the type of each one the generated
 * table of @set (nfv_nl_policy.h) knows; others (a newer server's) are
 * ignored.  For multi-attr types @tb holds the last.  -EPROTO if one is
 * malformed.
 */
int attrs_parse(const void *start, size_t len, const struct nfv_nl_set *set,
		const struct nlattr **tb);
/* The same for a genl message's attributes and for a nest. */
int genl_parse(const struct nlmsghdr *nlh, const struct nfv_nl_set *set,
	       const struct nlattr **tb);
int nest_parse(const struct nlattr *nest, const struct nfv_nl_set *set,
	       const struct nlattr **tb);
/*
 * Every u16 attribute @type of @nlh (a multi-attr), in order: text
 * " KEY N N...", JSON "KEY": [N, ...].  Validated by genl_parse first.
 */
void print_u16_list(const struct nlmsghdr *nlh, uint16_t type,
		    const char *key);

/* Iterate a genl message's attributes (validated by genl_parse first). */
#define genl_attr_for_each(a, nlh) \
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)

const char *ifname(uint32_t ifindex, char *buf);
const char *proto_name(uint8_t proto, char *buf, size_t size);

/* Shared by "port show", "nf show" and "stats". */
int port_print(const void *attrs, size_t len);
int nf_print(const void *attrs, size_t len);
/*
 * A chain message's "hops" array and override (text: HOP... override
 * allow|deny); @tb from genl_parse() of @nlh.
 */
/* A flow's match, chain and exact flag, as "flow show" prints them. */
void flow_print_match(const struct nlattr *const *tb);
int chain_print_hops(const struct nlmsghdr *nlh,
		     const struct nlattr *const *tb);
const char *nf_state_name(uint8_t state);

#endif
