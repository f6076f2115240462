// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl: configure the nfv fabric, iproute2 style.
 *
 *   nfvctl [OPTIONS] OBJECT COMMAND [ARGS]
 *
 * Commands are parsed into a generic netlink request without any I/O
 * (parse_command, fuzzable), then sent to whichever backend answers: the
 * kernel module's family "nfv" if it exists, nfvd's socket otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfvctl.h"
#include "internal.h"

static const char *socket_path;
static enum backend_kind backend_kind = BACKEND_AUTO;
static bool force;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       nfvctl [OPTIONS] -batch FILE\n"
		"OBJECT := port | chain | flow | nf | service | stats\n"
		"OPTIONS := -j[son] | -p[retty] | -s[ocket] PATH | -b[ackend] kernel|daemon\n"
		"           | -force (with -batch: go on after errors)\n"
		"\n"
		"  port add DEV [mode native|generic] [default-chain ID] [fail open|closed]\n"
		"  port del DEV | port show [DEV]\n"
		"  chain add ID HOP... [override allow|deny]\n"
		"      HOP := service SID | out DEV | drop | tap service SID\n"
		"  chain del ID | chain show [ID]\n"
		"  flow add [in DEV] [proto tcp|udp|icmp|N] [src PFX] [dst PFX]\n"
		"           [sport N[-M]] [dport N[-M]] chain ID\n"
		"  flow del MATCH | flow show\n"
		"  service show | nf show | stats\n"
		"\n"
		"SID := 1..%d   ID := 1..%d   PFX := ADDR[/LEN]\n"
		"The socket defaults to $NFV_SOCKET or %s.\n",
		NFV_SERVICE_MAX, NFV_CHAIN_MAX, NFV_DEFAULT_SOCKET);
}

void begin_array(void)
{
	print_open_array(NULL);
}

void end_array(void)
{
	print_close_array();
	print_flush();
}

static const struct {
	const char *name;
	int (*parse)(int argc, char **argv, void *buf, struct cmd *cmd);
} objects[] = {
	{ "port", parse_port },
	{ "chain", parse_chain },
	{ "flow", parse_flow },
	{ "nf", parse_nf },
	{ "service", parse_service },
	{ "stats", parse_stats },
};

int parse_command(int argc, char **argv, void *buf, struct cmd *cmd)
{
	size_t i;

	memset(cmd, 0, sizeof(*cmd));
	if (argc < 1)
		return invarg("missing object (port, chain, flow, nf, service, stats)");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].parse(argc - 1, argv + 1, buf, cmd);
	if (!strcmp(argv[0], "help")) {
		usage(stderr);
		return -EINVAL;
	}
	return invarg("unknown object \"%s\" (port, chain, flow, nf, service, stats)",
		      argv[0]);
}

/* Exit codes: 0 ok, 1 invalid input, 2 backend error. */
static int run(struct backend **b, int argc, char **argv)
{
	static char buf[MSG_BUF];
	const char *ext;
	struct cmd cmd;
	int err;

	if (parse_command(argc, argv, buf, &cmd))
		return 1;
	if (!*b) {
		*b = backend_open(backend_kind, socket_path);
		if (!*b)
			return 2;
	}
	if (cmd.begin)
		cmd.begin();
	err = backend_request(*b, cmd.nlh, cmd.cb, NULL, &ext);
	if (cmd.done)
		cmd.done();
	if (err) {
		fprintf(stderr, "nfvctl: %s\n", ext ? ext : strerror(-err));
		return 2;
	}
	return 0;
}

static int split(char *line, char **argv, int max)
{
	int n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (*tok == '#')
			break;
		argv[n++] = tok;
	}
	return n;
}

static int batch(struct backend **b, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[4096], *argv[64];
	int lineno = 0, ret = 0;

	if (!f) {
		fprintf(stderr, "nfvctl: cannot open %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		int argc, r;

		lineno++;
		argc = split(line, argv, 64);
		if (!argc)
			continue;
		r = run(b, argc, argv);
		if (r) {
			fprintf(stderr, "nfvctl: %s:%d: command failed\n", file,
				lineno);
			ret = r;
			if (!force)
				break;
		}
	}
	if (f != stdin)
		fclose(f);
	return ret;
}

static bool opt(const char *a, const char *full, size_t min)
{
	size_t n = strlen(a);

	/* iproute2 style: -j or -json, full words only beyond the short. */
	return n >= min + 1 && !strncmp(a + 1, full, n - 1) && n - 1 <= strlen(full) &&
	       (n - 1 == min || n - 1 == strlen(full));
}

int main(int argc, char **argv)
{
	const char *batch_file = NULL;
	struct backend *b = NULL;
	int i = 1, ret;

	socket_path = getenv("NFV_SOCKET") ?: NFV_DEFAULT_SOCKET;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];

		if (opt(a, "json", 1)) {
			json = true;
		} else if (opt(a, "pretty", 1)) {
			pretty = true;
		} else if (opt(a, "socket", 1)) {
			if (++i >= argc)
				return invarg("-s needs a path"), 1;
			socket_path = argv[i];
		} else if (opt(a, "backend", 1)) {
			if (++i >= argc)
				return invarg("-b needs kernel or daemon"), 1;
			if (!strcmp(argv[i], "kernel"))
				backend_kind = BACKEND_KERNEL;
			else if (!strcmp(argv[i], "daemon"))
				backend_kind = BACKEND_DAEMON;
			else
				return invarg("invalid backend \"%s\": kernel or daemon",
					      argv[i]), 1;
		} else if (!strcmp(a, "-batch")) {
			if (++i >= argc)
				return invarg("-batch needs a file"), 1;
			batch_file = argv[i];
		} else if (!strcmp(a, "-force")) {
			force = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "-help") ||
			   !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return invarg("unknown option \"%s\"", a), 1;
		}
	}
	if (batch_file)
		ret = batch(&b, batch_file);
	else if (i >= argc) {
		usage(stderr);
		ret = 1;
	} else
		ret = run(&b, argc - i, argv + i);
	backend_close(b);
	return ret;
}
