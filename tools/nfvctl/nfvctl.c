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
#include "nfvd_view.h"
#include "first_steps.h"
#include "nfvctl.h"
#include "nfv_version.h"

#define BATCH_ARGS	64

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
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       nfvctl [OPTIONS] -batch FILE\n"
		"OPTIONS := -j[son] | -p[retty] | -s[ocket] SOCKET | -b[ackend] kernel|daemon\n"
		"           | -force (-batch: go on after a failed line; port add: fail\n"
		"             closed on the default route's device) | -V[ersion]\n"
		"OBJECT := port | chain | flow | service | nf | stats | offload\n"
		"\n"
		"nfvctl port add DEV [mode native|generic] [default-chain ID|none]\n"
		"                    [fail open|closed] [csum fix|keep] [steer-arp]\n"
		"                    [decap none|vlan|vxlan [port N] [vni N]]\n"
		"nfvctl port del DEV | port show [DEV]\n"
		"nfvctl chain add ID HOP... [override allow|deny]\n"
		"nfvctl chain replace ID HOP... [override allow|deny]\n"
		"nfvctl chain del ID | chain show [ID]\n"
		"nfvctl flow add MATCH chain ID | flow del MATCH | flow show [-s[tats]]\n"
		"nfvctl service show | nf show [NF] | stats\n"
		"nfvctl offload show | offload flush | offload del FLOW\n"
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
	req->err[0] = 0;
	if (argc < 1)
		return invarg(req, "missing object: port, chain, flow, service, nf, stats or offload");
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
	return invarg(req, "unknown object \"%s\": must be port, chain, flow, service, nf, stats or offload",
		      *argv);
}

/* ---- running commands ---- */

struct nfvctl {
	enum backend_kind kind;
	const char *socket;
	struct backend *backend;	/* opened at the first valid command */
	struct backend *nfvd;		/* nfvd's socket, for what only nfvd
					 * has, when @backend is the kernel */
	const char *where;		/* "FILE:LINE: " in batch mode */
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

static void error(struct nfvctl *c, const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "nfvctl: %s%s\n", c->where ?: "", msg);
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
	if (!ret && genl_cmd(req->nlh) == NFV_CMD_PORT_NEW)
		port_new_warn(b, req->nlh, c->where);
	if (!ret)
		return 0;
	if (!ext && ret == -EPROTO)
		snprintf(msg, n, "malformed reply from the %s backend",
			 backend_name(b));
	else
		snprintf(msg, n, "%s", ext ?: strerror(-ret));
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

static int run(struct nfvctl *c, int argc, char **argv)
{
	static union {
		char buf[NFVCTL_MSG_SIZE];
		struct nlmsghdr align;
	} msg;
	struct nfvctl_req req = {
		.buf = msg.buf,
		.size = sizeof(msg.buf),
		.nametoindex = nametoindex,
	};
	char err[256];
	int ret;

	memset(msg.buf, 0, sizeof(msg.buf));
	ret = nfvctl_parse(argc, argv, &req);
	if (ret == NFVCTL_HELP) {
		req.usage(stdout);
		return 0;
	}
	if (ret) {
		error(c, req.err);
		return 1;
	}

	/* Nothing printed if no backend answers (exec() opens it too). */
	if (!backend_for(c, &req, err, sizeof(err))) {
		error(c, err);
		return 2;
	}
	if (req.then)
		print_open_object(NULL);
	ret = exec(c, &req, req.then ? req.key : NULL, false, err,
		   sizeof(err));
	if (!ret && req.then)
		ret = exec_then(c, &req, err, sizeof(err));
	if (req.then)
		print_close_object();
	if (req.cb)
		print_end();
	if (ret)
		error(c, err);
	return ret;
}

/* Split @line into words; '#' starts a comment.  -1: too many words. */
static int split(char *line, char **argv, int max)
{
	char *save = NULL, *word;
	int n = 0;

	for (word = strtok_r(line, " \t\r\n", &save); word;
	     word = strtok_r(NULL, " \t\r\n", &save)) {
		if (*word == '#')
			break;
		if (n == max)
			return -1;
		argv[n++] = word;
	}
	return n;
}

static int batch(struct nfvctl *c, const char *file, bool force)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[BATCH_ARGS], where[300];
	size_t size = 0;
	int lineno = 0, worst = 0;

	if (!f) {
		fprintf(stderr, "nfvctl: cannot open %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	while (getline(&line, &size, f) >= 0) {
		int argc, ret;

		lineno++;
		snprintf(where, sizeof(where), "%s:%d: ", file, lineno);
		c->where = where;
		argc = split(line, argv, BATCH_ARGS);
		if (!argc)
			continue;
		if (argc < 0) {
			error(c, "too many words");
			ret = 1;
		} else {
			ret = run(c, argc, argv);
		}
		if (ret > worst)
			worst = ret;
		if (ret && !force)
			break;
	}
	c->where = NULL;
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
	bool json = false, pretty = false, force = false;
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
			force = true;
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
		ret = batch(&c, batch_file, force);
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
