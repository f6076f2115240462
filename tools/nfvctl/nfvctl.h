/* SPDX-License-Identifier: GPL-2.0 */
/* nfvctl: shared declarations. */
#ifndef __NFVCTL_H
#define __NFVCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/nfv.h>

#include "print.h"

#define MSG_BUF	16384

/* ---- transport (backend.c): the same messages to nfv.ko or nfvd ---- */
enum backend_kind { BACKEND_AUTO, BACKEND_KERNEL, BACKEND_DAEMON };

struct backend;
typedef int (*reply_cb_t)(const struct nlmsghdr *nlh, void *data);

struct backend *backend_open(enum backend_kind kind, const char *socket_path);
void backend_close(struct backend *b);
const char *backend_name(const struct backend *b);
/*
 * Send @nlh (built with msg_start) and feed each data reply to @cb.
 * Returns 0, or a negative errno with *ext set to the extack message.
 */
int backend_request(struct backend *b, struct nlmsghdr *nlh, reply_cb_t cb,
		    void *data, const char **ext);

/* ---- requests: built without I/O (fuzzable) ---- */
struct nlmsghdr *msg_start(void *buf, uint8_t cmd, uint16_t flags);

/*
 * Parse one command line (argv after the global options) into a request
 * in @buf.  Returns the object handler to run, or NULL with an error
 * message printed.  No I/O besides if_nametoindex().
 */
struct cmd {
	struct nlmsghdr *nlh;
	void (*begin)(void);	/* opens the output */
	reply_cb_t cb;		/* prints replies */
	void (*done)(void);	/* closes the output */
	bool modify;
};

int parse_command(int argc, char **argv, void *buf, struct cmd *cmd);

int parse_port(int argc, char **argv, void *buf, struct cmd *cmd);
int parse_chain(int argc, char **argv, void *buf, struct cmd *cmd);
int parse_flow(int argc, char **argv, void *buf, struct cmd *cmd);
int parse_nf(int argc, char **argv, void *buf, struct cmd *cmd);
int parse_service(int argc, char **argv, void *buf, struct cmd *cmd);
int parse_stats(int argc, char **argv, void *buf, struct cmd *cmd);

/* ---- utils.c ---- */
__attribute__((format(printf, 1, 2)))
int invarg(const char *fmt, ...);
int get_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
int parse_dev(const char *what, const char *name, uint32_t *ifindex);
const char *ifname(uint32_t ifindex, char *buf);
const char *proto_name(uint8_t p, char *buf);

void begin_array(void);
void end_array(void);

/* Shared by port show and stats. */
void print_port(const struct nlattr *const *tb);
void print_nf(const struct nlattr *const *tb);
int port_attrs(const struct nlattr *payload_start, size_t len,
	       const struct nlattr **tb);
int nf_attrs(const struct nlattr *payload_start, size_t len,
	     const struct nlattr **tb);

extern const char *const xdp_counter_names[__NFV_XDP_COUNTER_MAX];

#endif
