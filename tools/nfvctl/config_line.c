// SPDX-License-Identifier: GPL-2.0
/*
 * Lines of nfvctl -batch files: the tokenizer nfvctl -batch uses, and
 * the subset of the grammar a configuration file (nfvd --config) may
 * hold.  A configuration builds a fabric: only commands that add to it
 * are taken, parsed by the object parsers nfvctl itself uses (port.c,
 * chain.c, flow.c), so that both programs read one grammar.
 */
#include <errno.h>

#include "config_line.h"

int config_line_split(char *line, char **argv, int max)
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

static const struct {
	const char *object, *command;
	int (*parse)(int argc, char **argv, struct nfvctl_req *req);
} config_cmds[] = {
	{ "port",	"add",		parse_port },
	{ "chain",	"add",		parse_chain },
	{ "chain",	"replace",	parse_chain },
	{ "flow",	"add",		parse_flow },
};

int config_line_parse(int argc, char **argv, struct nfvctl_req *req)
{
	size_t i;
	int ret;

	req->nlh = NULL;
	req->cb = NULL;
	req->err[0] = 0;
	for (i = 0; argc >= 2 && i < sizeof(config_cmds) / sizeof(config_cmds[0]);
	     i++) {
		if (strcmp(argv[0], config_cmds[i].object) ||
		    strcmp(argv[1], config_cmds[i].command))
			continue;
		ret = config_cmds[i].parse(argc - 1, argv + 1, req);
		if (ret < 0 && !req->err[0])
			invarg(req, "invalid arguments for %s", *argv);
		if (!ret && !req->nlh)
			return invarg(req, "%s: nothing to send", *argv);
		return ret ? -EINVAL : 0;
	}
	return invarg(req, "\"%s%s%s\" is not a configuration command: port add, chain add, chain replace or flow add",
		      argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
}
