// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-cni: a CNI plugin (specification 1.0.0) that attaches a container
 * to the nfv fabric: a veth pair whose host end is a port of nfvd with
 * the network's default chain, addresses from the IPAM plugin.
 *
 *   CNI_COMMAND=ADD|DEL|CHECK|VERSION  CNI_CONTAINERID  CNI_NETNS
 *   CNI_IFNAME  CNI_PATH               configuration on stdin (conf.h)
 *
 * Success: ADD prints its result, VERSION the versions, DEL and CHECK
 * nothing; exit 0.  Failure: the spec's error object; exit 1.
 */
#include <stdio.h>
#include <string.h>

#include "nfv_version.h"

#include "cmd.h"
#include "error.h"
#include "host_name.h"
#include "link.h"
#include "netns.h"
#include "version.h"

static const struct command {
	const char *name;
	int (*run)(struct cni_ctx *x);
	unsigned int env;	/* ENV_* required */
} commands[] = {
	{ "ADD",	cmd_add,	ENV_CONTAINERID | ENV_NETNS |
					ENV_IFNAME | ENV_PATH },
	{ "DEL",	cmd_del,	ENV_CONTAINERID | ENV_IFNAME | ENV_PATH },
	{ "CHECK",	cmd_check,	ENV_CONTAINERID | ENV_NETNS |
					ENV_IFNAME | ENV_PATH },
	{ "VERSION",	NULL,		0 },
};

static const struct command *command_find(void)
{
	const char *name = getenv("CNI_COMMAND");
	size_t i;

	if (!name || !*name) {
		cni_fail(CNI_ERR_ENV, "CNI_COMMAND", "CNI_COMMAND is not set");
		return NULL;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	cni_fail(CNI_ERR_ENV, "CNI_COMMAND",
		 "unknown CNI_COMMAND \"%s\": ADD, DEL, CHECK or VERSION", name);
	return NULL;
}

static void print_versions(void)
{
	json_t *v = json_pack("{s:s, s:[s]}", "cniVersion", CNI_VERSION_LATEST,
			      "supportedVersions", CNI_VERSION_LATEST);

	json_dumpf(v, stdout, 0);
	putchar('\n');
	json_decref(v);
}

static int run(const struct command *cmd, struct cni_ctx *x)
{
	int err;

	if (conf_read(stdin, &x->conf, !cmd->run))
		return -1;
	if (!cmd->run) {
		print_versions();
		return 0;
	}
	if (env_read(&x->env, cmd->env))
		return -1;
	if (x->conf.fabric_netns) {
		err = netns_enter(x->conf.fabric_netns);
		if (err)
			return cni_fail(CNI_ERR_CONFIG, x->conf.fabric_netns,
					"cannot enter fabricNetns %s: %s",
					x->conf.fabric_netns, strerror(-err));
	}
	link_host_name(x->conf.name, x->env.container_id, x->env.ifname,
		       x->host_if);
	return cmd->run(x);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: CNI_COMMAND=ADD|DEL|CHECK|VERSION CNI_CONTAINERID=ID CNI_NETNS=PATH\n"
		"       CNI_IFNAME=NAME CNI_PATH=DIRS nfv-cni < NETWORK-CONFIG\n"
		"       nfv-cni --help | --version\n"
		"A CNI %s plugin: a veth pair whose host end is an nfvd port with the\n"
		"network's default chain; see nfv-cni(8).\n", CNI_VERSION_LATEST);
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct cni_ctx x = { 0 };

	/* A runtime passes no argument; these are for people. */
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("nfv-cni (nfv) %s, CNI %s\n", NFV_VERSION, CNI_VERSION_LATEST);
		return 0;
	}
	if (argc > 1) {
		usage(strcmp(argv[1], "--help") ? stderr : stdout);
		return strcmp(argv[1], "--help") ? 2 : 0;
	}
	cmd = command_find();

	if (cmd && !run(cmd, &x) && x.result) {
		json_dumpf(x.result, stdout, JSON_INDENT(4));
		putchar('\n');
	}
	if (cni_failed())
		cni_error_print(x.conf.version);
	json_decref(x.result);
	conf_free(&x.conf);
	return cni_failed() ? 1 : 0;
}
