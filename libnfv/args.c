// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The command line every NF shares: --service --socket --name ... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "nfv_version.h"

static const char common_usage[] =
	"  -s, --service SID    service id to serve (1..1023), required\n"
	"  -S, --socket PATH    nfvd socket (default $NFV_SOCKET or "
	NFV_DEFAULT_SOCKET ")\n"
	"  -n, --name NAME      instance name shown by 'nfvctl nf show'\n"
	"  -b, --batch N        frames per batch (1..256, default 64)\n"
	"      --busy-poll      spin instead of sleeping when idle\n"
	"      --readonly       map packet memory read-only\n"
	"  -v, --verbose        more messages\n"
	"  -h, --help           this help\n"
	"      --version        print the version and exit\n";

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || !*s || *end || *v > max || *s == '-')
		return -EINVAL;
	return 0;
}

int nfv_args_parse(int *argc, char **argv, struct nfv_args *args,
		   const char *prog, const char *usage_extra)
{
	int i, out = 1;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		unsigned long v;
		int takes = 0;

		if (!strcmp(a, "--service") || !strcmp(a, "-s") ||
		    !strcmp(a, "--socket") || !strcmp(a, "-S") ||
		    !strcmp(a, "--name") || !strcmp(a, "-n") ||
		    !strcmp(a, "--batch") || !strcmp(a, "-b")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "%s: option %s needs a value\n",
					prog, a);
				return -EINVAL;
			}
			val = argv[i + 1];
			takes = 1;
		}
		if (!strcmp(a, "--service") || !strcmp(a, "-s")) {
			if (parse_uint(val, NFV_SERVICE_MAX, &v) || !v) {
				fprintf(stderr,
					"%s: invalid service id \"%s\": must be 1..%d\n",
					prog, val, NFV_SERVICE_MAX);
				return -EINVAL;
			}
			args->service = (int)v;
		} else if (!strcmp(a, "--socket") || !strcmp(a, "-S")) {
			args->socket_path = val;
		} else if (!strcmp(a, "--name") || !strcmp(a, "-n")) {
			args->name = val;
		} else if (!strcmp(a, "--batch") || !strcmp(a, "-b")) {
			if (parse_uint(val, NFV_BATCH_MAX, &v) || !v) {
				fprintf(stderr,
					"%s: invalid batch \"%s\": must be 1..%d\n",
					prog, val, NFV_BATCH_MAX);
				return -EINVAL;
			}
			args->batch_size = (uint32_t)v;
		} else if (!strcmp(a, "--busy-poll")) {
			args->busy_poll = true;
		} else if (!strcmp(a, "--readonly")) {
			args->readonly = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			args->verbose = true;
		} else if (!strcmp(a, "--version")) {
			printf("%s (nfv) %s\n", prog, NFV_VERSION);
			exit(0);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("Usage: %s --service SID [OPTIONS]\n\n"
			       "Common options:\n%s", prog, common_usage);
			if (usage_extra)
				printf("\n%s", usage_extra);
			exit(0);
		} else {
			argv[out++] = argv[i];	/* the NF's own */
			continue;
		}
		i += takes;
	}
	argv[out] = NULL;
	*argc = out;
	if (!args->service) {
		fprintf(stderr, "%s: --service SID is required (see --help)\n",
			prog);
		return -EINVAL;
	}
	return 0;
}

struct nfv *nfv_init_args(const struct nfv_args *args)
{
	LIBNFV_OPTS(opts, .socket_path = args->socket_path,
		    .name = args->name, .batch_size = args->batch_size,
		    .busy_poll = args->busy_poll, .readonly = args->readonly);

	return nfv_init(args->service, &opts);
}
