// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl: configure the nfv fabric, iproute2 style.
 *
 *   nfvctl [OPTIONS] OBJECT COMMAND [ARGS]
 *
 * A command line is parsed into one generic netlink request without any
 * I/O (nfvctl_parse(), the fuzzing entry point), then sent to whichever
 * backend answers (backend.h) and the replies printed through one text /
 * JSON path (json_print.h).
 *
 * Exit status: 0 done, 1 invalid input (nothing was sent), 2 the backend
 * could not be reached or refused the request.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <nfv/libnfv.h>

#include "backend.h"
#include "config_line.h"
#include "nfvd_view.h"
#include "first_steps.h"
#include "nfvctl.h"
#include "nfv_version.h"
#include "save.h"
#include "top.h"

#define BATCH_ARGS	CONFIG_LINE_ARGS

static const struct object {
	const char *name;
	int (*parse)(int argc, char **argv, struct nfvctl_req *req);
} objects[] = {
	{ "port",	parse_port },
	{ "chain",	parse_chain },
	{ "flow",	parse_flow },
	{ "service",	parse_service },
	{ "nf",		parse_nf },
	{ "stats",	parse_stats },
	{ "offload",	parse_offload },
	{ "monitor",	parse_monitor },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       nfvctl [OPTIONS] -batch FILE\n"
		"OPTIONS := -j[son] | -p[retty] | -s[ocket] SOCKET | -b[ackend] kernel|daemon\n"
		"           | -force (-batch: go on after a failed line; port add: fail\n"
		"             closed on the default route's device) | -V[ersion]\n"
		"OBJECT := port | chain | flow | service | nf | stats | offload | monitor | save | top\n"
		"\n"
		"nfvctl port add DEV [mode native|generic] [default-chain ID|none]\n"
		"                    [fail open|closed] [csum fix|keep] [steer-arp]\n"
		"                    [decap none|vlan|vxlan [port N] [vni N]]\n"
		"nfvctl port del DEV | port show [DEV]\n"
		"nfvctl chain add ID HOP... [override allow|deny]\n"
		"nfvctl chain replace ID HOP... [override allow|deny]\n"
		"nfvctl chain del ID | chain show [ID]\n"
		"nfvctl flow add MATCH chain ID | flow del MATCH | flow show [-s[tats]]\n"
		"nfvctl service show | nf show [NF [-s[tats]]] | stats\n"
		"nfvctl offload show | offload flush | offload del FLOW\n"
		"nfvctl monitor           (NF, port and chain events, until interrupted)\n"
		"nfvctl save              (the configuration, as a -batch file)\n"
		"nfvctl top [interval MS] [count N]   (per-port and per-NF packet rates)\n"
		"\n"
		"HOP := service SID | out DEV | drop | tap service SID\n"
		"MATCH := [in DEV] [proto PROTO] [src PFX] [dst PFX] [sport PORTS] [dport PORTS]\n"
		"FLOW := in DEV proto tcp|udp src ADDR dst ADDR sport N dport N\n"
		"PROTO := tcp | udp | icmp | icmpv6 | sctp | 1..255\n"
		"PFX := ADDR[/LEN] (IPv4 or IPv6)   PORTS := N | N-M (0..65535)\n"
		"ID := 1..%d   SID := 1..%d   NF := 1..%d   1..%d hops\n"
		"SOCKET := nfvd's socket; default $NFV_SOCKET, else %s\n"
		"\"nfvctl OBJECT help\" shows one object's grammar.\n",
		NFV_CHAIN_MAX, NFV_SERVICE_MAX, NFV_NF_MAX - 1, NFV_HOPS_MAX,
		NFV_DEFAULT_SOCKET);
}

int nfvctl_parse(int argc, char **argv, struct nfvctl_req *req)
{
	size_t i;
	int ret;

	req->nlh = NULL;
	req->cb = NULL;
	req->array = false;
	req->usage = usage;
	req->nfvd = false;
	req->then = NULL;
	req->key = req->then_key = NULL;
	req->monitor = false;
	req->err[0] = 0;
	if (argc < 1)
		return invarg(req, "missing object: port, chain, flow, service, nf, stats, offload, monitor, save or top");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (strcmp(*argv, objects[i].name))
			continue;
		ret = objects[i].parse(argc - 1, argv + 1, req);
		if (ret < 0 && !req->err[0])
			invarg(req, "invalid arguments for %s", *argv);
		if (!ret && !req->nlh)
			return invarg(req, "%s: nothing to send", *argv);
		return ret < 0 ? -EINVAL : ret;
	}
	if (!strcmp(*argv, "help"))
		return NFVCTL_HELP;
	/* Commands of several requests, run by main() (not in a batch). */
	if (!strcmp(*argv, "save") || !strcmp(*argv, "top"))
		return invarg(req, "%s is not a command of a batch", *argv);
	return invarg(req, "unknown object \"%s\": must be port, chain, flow, service, nf, stats, offload, monitor, save or top",
		      *argv);
}

/* ---- running commands ---- */

struct nfvctl {
	enum backend_kind kind;
	const char *socket;
	struct backend *backend;	/* opened at the first valid command */
	struct backend *nfvd;		/* nfvd's socket, for what only nfvd
					 * has, when @backend is the kernel */
	const char *file;		/* -batch FILE, for "FILE:LINE: " */
	int line;			/* its line, 0 outside a batch */
	bool force;			/* -force */
};

static unsigned int nametoindex(const char *name)
{
	return if_nametoindex(name);
}

static uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

/* "FILE:LINE: " of @line in a batch, else "". */
static const char *where(const struct nfvctl *c, int line, char *buf,
			 size_t size)
{
	if (!c->file || !line)
		return "";
	snprintf(buf, size, "%s:%d: ", c->file, line);
	return buf;
}

static void error_at(struct nfvctl *c, int line, const char *msg)
{
	char buf[300];

	fflush(stdout);
	fprintf(stderr, "nfvctl: %s%s\n", where(c, line, buf, sizeof(buf)),
		msg);
}

static void error(struct nfvctl *c, const char *msg)
{
	error_at(c, c->line, msg);
}

/* What @b's answer @ret (-errno, extack @ext or NULL) says, in @msg. */
static void answer_msg(const struct backend *b, int ret, const char *ext,
		       char *msg, size_t n)
{
	if (!ext && ret == -EPROTO)
		snprintf(msg, n, "malformed reply from the %s backend",
			 backend_name(b));
	else
		snprintf(msg, n, "%s", ext ?: strerror(-ret));
}

/*
 * The backend that answers @req, opened at its first use: nfvd's socket
 * for what only nfvd has (req->nfvd: the module answers those with
 * EOPNOTSUPP), whatever -b says; else the one -b or the automatic choice
 * gives.  NULL with @err set if it cannot be reached.
 */
static struct backend *backend_for(struct nfvctl *c,
				   const struct nfvctl_req *req, char *err,
				   size_t n)
{
	struct backend **b = &c->backend;
	enum backend_kind kind = c->kind;

	if (req->nfvd && kind != BACKEND_DAEMON &&
	    !(c->backend && !strcmp(backend_name(c->backend), "daemon"))) {
		b = &c->nfvd;
		kind = BACKEND_DAEMON;
	}
	if (!*b)
		*b = backend_open(kind, c->socket, err, n);
	return *b;
}

/*
 * Send @req and print its answer, a list as the member @key of the object
 * being printed (NULL: at the top).  @optional: nfvd's part of a command
 * that has a kernel backend, left empty if there is no nfvd.  Returns the
 * exit status, with the message in @msg when not 0.
 */
static int exec(struct nfvctl *c, struct nfvctl_req *req, const char *key,
		bool optional, char *msg, size_t n)
{
	struct nfvd_view *view = NULL;
	struct backend *b;
	const char *ext;
	int ret;

	b = backend_for(c, req, msg, n);
	if (!b && optional && c->backend &&
	    !strcmp(backend_name(c->backend), "kernel")) {
		print_open_array(key);
		print_close_array();
		return 0;
	}
	if (!b)
		return 2;
	/* Frames and NF counters are nfvd's (nfvd_view.c). */
	if (!strcmp(backend_name(b), "kernel") && req->cb &&
	    (genl_cmd(req->nlh) == NFV_CMD_STATS_GET ||
	     genl_cmd(req->nlh) == NFV_CMD_NF_GET))
		view = nfvd_view_fetch(c->socket);
	if (genl_cmd(req->nlh) == NFV_CMD_PORT_NEW &&
	    port_new_refuse(req->nlh, c->force, msg, n)) {
		nfvd_view_free(view);
		return 1;
	}
	if (req->array)
		print_open_array(key);
	ret = backend_send(b, req->nlh);
	if (!ret)
		ret = backend_recv(b, req->cb, view, &ext);
	else
		ext = NULL;
	nfvd_view_free(view);
	if (req->array)
		print_close_array();
	if (!ret && genl_cmd(req->nlh) == NFV_CMD_PORT_NEW) {
		char at[300];

		port_new_warn(b, req->nlh, where(c, c->line, at, sizeof(at)));
	}
	if (!ret)
		return 0;
	answer_msg(b, ret, ext, msg, n);
	return 2;
}

/* The second command line of @first ("flow show -s"), run. */
static int exec_then(struct nfvctl *c, const struct nfvctl_req *first,
		     char *msg, size_t n)
{
	static union {
		char buf[NFVCTL_MSG_SIZE];
		struct nlmsghdr align;
	} then_msg;
	struct nfvctl_req req = {
		.buf = then_msg.buf,
		.size = sizeof(then_msg.buf),
		.nametoindex = nametoindex,
	};
	int argc = 0;

	while (first->then[argc])
		argc++;
	memset(then_msg.buf, 0, sizeof(then_msg.buf));
	if (nfvctl_parse(argc, (char **)first->then, &req)) {
		snprintf(msg, n, "%s", req.err);
		return 1;
	}
	return exec(c, &req, first->then_key, req.nfvd, msg, n);
}

static union {
	char buf[NFVCTL_MSG_SIZE];
	struct nlmsghdr align;
} req_buf;

/* Parse a command line into @req (in req_buf): nfvctl_parse()'s result. */
static int parse(int argc, char **argv, struct nfvctl_req *req)
{
	*req = (struct nfvctl_req){
		.buf = req_buf.buf,
		.size = sizeof(req_buf.buf),
		.nametoindex = nametoindex,
	};
	memset(req_buf.buf, 0, sizeof(req_buf.buf));
	return nfvctl_parse(argc, argv, req);
}

/* nfvctl monitor: events until the server goes or we are interrupted. */
static int monitor(struct nfvctl *c, const struct nfvctl_req *req)
{
	const char *ext;
	char err[256];
	int ret;

	if (c->file) {
		error(c, "monitor runs until interrupted: not in a batch");
		return 1;
	}
	ret = backend_subscribe(c->backend, &ext);
	if (ret) {
		answer_msg(c->backend, ret, ext, err, sizeof(err));
		error(c, err);
		return 2;
	}
	/* Subscribed: whoever waits for us to listen may go on. */
	fflush(stdout);
	for (;;) {
		ret = backend_events(c->backend, req->cb, NULL);
		if (ret != -ENOBUFS)
			break;
		/* The kernel's group overflowed our socket: say so, go on. */
		error(c, "events were lost (the socket's buffer overflowed)");
	}
	if (ret == -ECONNRESET) {
		/* nfvd exited, or dropped us for not reading fast enough. */
		error(c, "nfvd closed the connection: no more events");
		return 1;
	}
	answer_msg(c->backend, ret, NULL, err, sizeof(err));
	error(c, err);
	return 2;
}

/* Run a parsed command line (@ret: what parse() returned); exit status. */
static int run_parsed(struct nfvctl *c, struct nfvctl_req *req, int ret)
{
	char err[256];

	if (ret == NFVCTL_HELP) {
		req->usage(stdout);
		return 0;
	}
	if (ret) {
		error(c, req->err);
		return 1;
	}

	/* Nothing printed if no backend answers (exec() opens it too). */
	if (!backend_for(c, req, err, sizeof(err))) {
		error(c, err);
		return 2;
	}
	if (req->monitor)
		return monitor(c, req);
	if (req->then)
		print_open_object(NULL);
	ret = exec(c, req, req->then ? req->key : NULL, false, err,
		   sizeof(err));
	if (!ret && req->then)
		ret = exec_then(c, req, err, sizeof(err));
	if (req->then)
		print_close_object();
	if (req->cb)
		print_end();
	if (ret)
		error(c, err);
	return ret;
}

/* nfvctl save: the configuration as a -batch file, on stdout. */
static int save(struct nfvctl *c, int argc, char **argv)
{
	const struct nfvctl_req req = { .nfvd = false };
	struct backend *b;
	char err[300];

	if (argc > 0 && !strcmp(*argv, "help")) {
		printf("Usage: nfvctl save\n"
		       "Prints the ports, chains and flows as the nfvctl -batch lines that\n"
		       "make them (for nfvctl -batch FILE or nfvd --config FILE).\n");
		return 0;
	}
	if (argc > 0) {
		snprintf(err, sizeof(err), "unexpected argument \"%s\" after save",
			 *argv);
		error(c, err);
		return 1;
	}
	b = backend_for(c, &req, err, sizeof(err));
	if (!b) {
		error(c, err);
		return 2;
	}
	if (save_run(b, backend_name(b), stdout, err, sizeof(err))) {
		error(c, err);
		return 2;
	}
	return 0;
}

static int run(struct nfvctl *c, int argc, char **argv)
{
	struct nfvctl_req req;

	/* Commands of several requests, outside the one-request grammar. */
	if (!strcmp(*argv, "save"))
		return save(c, argc - 1, argv + 1);
	if (!strcmp(*argv, "top"))
		return top_main(c->kind, c->socket, argc - 1, argv + 1);
	return run_parsed(c, &req, parse(argc, argv, &req));
}

/* ---- -batch: "flow add" lines pipelined ---- */

/*
 * A batch of "flow add" lines (a million flows, say) is sent without
 * waiting for each answer: a round trip per line costs two wake-ups of a
 * sleeping process, which is most of the time a flow takes.  Up to
 * WINDOW such lines are in flight; an answer is read as soon as it is
 * there, and every other line waits until all answers are in, so the
 * lines' output and errors come in the order of the file.  nfvd takes
 * up to 64 requests a pass and holds their acks until it has journaled
 * them: a window of twice that keeps nfvctl sending while nfvd works.
 * The window also bounds what either side has unread (WINDOW requests
 * or WINDOW acks of under 200 bytes: under half a socket's default
 * buffer as the kernel counts it), so neither nfvctl nor nfvd ever
 * waits on the other's reading.
 *
 * Errors are reported per line, FILE:LINE, as without pipelining.  With
 * -force every line is tried.  Without it the batch stops at the first
 * failed line: nothing after it is sent, and the "flow add" lines after
 * it that were already in flight and succeeded are deleted again, so
 * that what stays is what the lines before the failed one made (for the
 * moment of a round trip those flows were in the tables).  The kernel
 * backend handles a request inside send: its answer is read before the
 * next line is sent, and nothing is ever in flight after a failed line.
 */
#define WINDOW		128
#define SLOT_SIZE	256	/* a flow add is < 160 bytes */

struct slot {
	union {
		char buf[SLOT_SIZE];
		struct nlmsghdr nlh;
	} msg;
	uint32_t seq;
	int line;
	bool undo;		/* succeeded after the line that stopped the batch */
};

struct window {
	struct slot slot[WINDOW];
	unsigned int head;	/* the oldest request in flight */
	unsigned int n;		/* requests in flight */
	bool stop;		/* a line failed, without -force: send no more */
	int worst;		/* exit status of the lines answered */
};

/* Answered by an ack alone, by the backend of the other lines. */
static bool pipelined(const struct nfvctl_req *req)
{
	return genl_cmd(req->nlh) == NFV_CMD_FLOW_NEW && !req->cb &&
	       !req->array && !req->then && !req->nfvd &&
	       req->nlh->nlmsg_len <= SLOT_SIZE;
}

/* Line @line's request failed with @ret: say why.  Returns 2. */
static int failed(struct nfvctl *c, int line, int ret, const char *ext)
{
	char msg[256];

	answer_msg(c->backend, ret, ext, msg, sizeof(msg));
	error_at(c, line, msg);
	return 2;
}

/*
 * The connection failed with @err while requests were in flight: each
 * of their lines gets an error (after a stop they are past the failed
 * line, but may have been applied: that is said too).
 */
static void window_lost(struct nfvctl *c, struct window *w, int err)
{
	char msg[300];

	for (; w->n; w->n--, w->head = (w->head + 1) % WINDOW) {
		const struct slot *s = &w->slot[w->head];

		if (w->stop) {
			snprintf(msg, sizeof(msg),
				 "after the failed line, sent and not answered (%s): may be in the tables",
				 strerror(-err));
			error_at(c, s->line, msg);
		} else {
			failed(c, s->line, err, NULL);
		}
	}
	w->worst = 2;
	if (!c->force)
		w->stop = true;
}

/*
 * Read one answer (@nowait: only if one has arrived) and account for its
 * line.  1: one was read, 0: none, -errno: the connection failed (each
 * line in flight was reported).
 */
static int window_answer(struct nfvctl *c, struct window *w, bool nowait)
{
	const char *ext;
	struct slot *s;
	uint32_t seq;
	int ret, result;

	if (!w->n)
		return 0;
	ret = backend_recv_ack(c->backend, nowait, &seq, &result, &ext);
	if (ret < 0)
		window_lost(c, w, ret);
	if (ret <= 0)
		return ret;
	s = &w->slot[w->head];
	if (seq - s->seq >= w->n)
		return 1;		/* not for a request in flight */
	if (seq != s->seq) {
		window_lost(c, w, -EPROTO);	/* answers out of order */
		return -EPROTO;
	}
	w->head = (w->head + 1) % WINDOW;
	w->n--;
	if (w->stop) {
		s->undo = !result;	/* past the failed line */
		return 1;
	}
	if (result) {
		w->worst = failed(c, s->line, result, ext);
		if (!c->force)
			w->stop = true;
	}
	return 1;
}

/* Wait for every answer. */
static void window_drain(struct nfvctl *c, struct window *w)
{
	while (w->n && window_answer(c, w, false) >= 0)
		;
}

/* Send @nlh of line @line; answers that have arrived are read. */
static int window_send(struct nfvctl *c, struct window *w, int line,
		       struct nlmsghdr *nlh)
{
	struct slot *s;
	int err;

	while (w->n == WINDOW && window_answer(c, w, false) >= 0)
		;
	for (;;) {
		if (w->stop)
			return 0;	/* a line before this one failed */
		err = backend_try_send(c->backend, nlh);
		if (err != -EAGAIN)
			break;
		if (!w->n) {
			err = backend_send(c->backend, nlh);
			break;
		}
		window_answer(c, w, false);
	}
	if (err)
		return failed(c, line, err, NULL);
	s = &w->slot[(w->head + w->n) % WINDOW];
	memcpy(s->msg.buf, nlh, nlh->nlmsg_len);
	s->seq = nlh->nlmsg_seq;
	s->line = line;
	s->undo = false;
	w->n++;
	while (window_answer(c, w, true) > 0)
		;
	return 0;
}

/*
 * After a stop: delete the flows of the lines after the failed one that
 * were in flight and succeeded.  Each FLOW_NEW request becomes the
 * FLOW_DEL of its match ("flow del" sends no CHAIN).
 */
static void window_undo(struct nfvctl *c, struct window *w)
{
	union {
		char buf[SLOT_SIZE];
		struct nlmsghdr align;
	} del;
	const struct nlattr *a;
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	const char *ext;
	char msg[300];
	unsigned int i;
	int err;

	for (i = 0; i < WINDOW; i++) {
		struct slot *s = &w->slot[i];

		if (!s->undo)
			continue;
		s->undo = false;
		nlh = mnl_nlmsg_put_header(del.buf);
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = NFV_CMD_FLOW_DEL;
		g->version = NFV_GENL_VERSION;
		mnl_attr_for_each(a, &s->msg.nlh, sizeof(*g))
			if (mnl_attr_get_type(a) != NFV_A_FLOW_CHAIN)
				mnl_attr_put(nlh, mnl_attr_get_type(a),
					     mnl_attr_get_payload_len(a),
					     mnl_attr_get_payload(a));
		err = backend_send(c->backend, nlh) ?:
		      backend_recv(c->backend, NULL, NULL, &ext);
		if (!err)
			continue;
		snprintf(msg, sizeof(msg),
			 "after the failed line, added while in flight and not deleted again: %s",
			 err == -ENOENT || !ext ? strerror(-err) : ext);
		error_at(c, s->line, msg);
		w->worst = 2;
	}
}

static int open_backend(struct nfvctl *c, const struct nfvctl_req *req)
{
	char err[256];

	if (backend_for(c, req, err, sizeof(err)))
		return 0;
	error(c, err);
	return 2;
}

static int batch(struct nfvctl *c, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[BATCH_ARGS];
	struct window *w = calloc(1, sizeof(*w));
	size_t size = 0;
	int worst = 0;

	if (!f || !w) {
		fprintf(stderr, "nfvctl: cannot open %s: %s\n", file,
			strerror(f ? ENOMEM : errno));
		if (f && f != stdin)
			fclose(f);
		free(w);
		return 1;
	}
	c->file = file;
	while (getline(&line, &size, f) >= 0) {
		struct nfvctl_req req;
		int argc, ret;

		c->line++;
		argc = config_line_split(line, argv, BATCH_ARGS);
		if (!argc)
			continue;
		ret = argc < 0 ? -E2BIG : parse(argc, argv, &req);
		if (!ret && pipelined(&req)) {
			ret = open_backend(c, &req) ?:
			      window_send(c, w, c->line, req.nlh);
		} else {
			/* In order: the answers of the lines before first. */
			window_drain(c, w);
			if (w->stop)
				break;
			if (ret == -E2BIG) {
				error(c, "too many words");
				ret = 1;
			} else {
				ret = run_parsed(c, &req, ret);
			}
		}
		if (ret > worst)
			worst = ret;
		if (w->stop || (ret && !c->force))
			break;
	}
	window_drain(c, w);
	window_undo(c, w);
	if (w->worst > worst)
		worst = w->worst;
	c->file = NULL;
	c->line = 0;
	free(w);
	free(line);
	if (f != stdin)
		fclose(f);
	return worst;
}

/* -x or its long form -xyz (iproute2 spelling); nothing in between. */
static bool option(const char *arg, const char *name)
{
	return (arg[1] == name[0] && !arg[2]) || !strcmp(arg + 1, name);
}

int main(int argc, char **argv)
{
	struct nfvctl c = {
		.kind = BACKEND_AUTO,
		.socket = getenv("NFV_SOCKET") ?: NFV_DEFAULT_SOCKET,
	};
	bool json = false, pretty = false;
	const char *batch_file = NULL;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *a = *argv;

		if (option(a, "json")) {
			json = true;
		} else if (option(a, "pretty")) {
			pretty = true;
		} else if (option(a, "socket")) {
			if (argc < 2 || !*argv[1]) {
				fprintf(stderr, "nfvctl: missing value for \"%s\": a socket path\n", a);
				return 1;
			}
			c.socket = *++argv;
			argc--;
		} else if (option(a, "backend")) {
			if (argc < 2) {
				fprintf(stderr, "nfvctl: missing value for \"%s\": kernel or daemon\n", a);
				return 1;
			}
			argc--;
			argv++;
			if (!strcmp(*argv, "kernel")) {
				c.kind = BACKEND_KERNEL;
			} else if (!strcmp(*argv, "daemon")) {
				c.kind = BACKEND_DAEMON;
			} else {
				fprintf(stderr, "nfvctl: invalid backend \"%s\": must be kernel or daemon\n",
					*argv);
				return 1;
			}
		} else if (!strcmp(a, "-batch")) {
			if (argc < 2) {
				fprintf(stderr, "nfvctl: missing value for \"-batch\": a file or -\n");
				return 1;
			}
			batch_file = *++argv;
			argc--;
		} else if (!strcmp(a, "-force")) {
			c.force = true;
		} else if (option(a, "Version") || !strcmp(a, "--version")) {
			printf("nfvctl (nfv) %s\n", NFV_VERSION);
			return 0;
		} else if (option(a, "help") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "nfvctl: unknown option \"%s\"\n", a);
			return 1;
		}
	}
	json_print_init(stdout, json, pretty);

	if (batch_file) {
		if (argc > 0) {
			fprintf(stderr, "nfvctl: unexpected argument \"%s\" after -batch FILE\n",
				*argv);
			return 1;
		}
		ret = batch(&c, batch_file);
	} else if (argc == 0) {
		usage(stderr);
		ret = 1;
	} else {
		ret = run(&c, argc, argv);
	}
	backend_close(c.backend);
	backend_close(c.nfvd);
	return ret;
}
