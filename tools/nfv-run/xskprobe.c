// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-xskprobe: say what a sandboxed process may do, then optionally become
 * the NF.  One line on stderr:
 *
 *	nfv-xskprobe: uid=65534 gid=65534 groups=- capeff=0000000000000000
 *		      capprm=0000000000000000 af_xdp=EPERM netdevs=lo
 *
 * af_xdp is the errno of the process's own socket(AF_XDP) ("ok" if it got
 * one: the sandbox leaks CAP_NET_RAW); netdevs lists the interfaces of its
 * network namespace.  "--exec CMD ARGS..." then execs CMD in the same
 * process, so the line describes the NF itself (nfv-run --check).
 * Exit status without --exec: 0 if the process is unprivileged (no
 * capability, socket(AF_XDP) refused), 1 otherwise.
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nfv_version.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

/* "CapEff:\t0000..." from /proc/self/status, or "?" */
static void read_cap(const char *key, char *out, size_t len)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(out, len, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		snprintf(out, len, "%s", line + klen + 1 + strspn(line + klen + 1, " \t"));
		out[strcspn(out, "\n")] = 0;
		break;
	}
	fclose(f);
}

static bool all_zero(const char *hex)
{
	return *hex && strspn(hex, "0") == strlen(hex);
}

int main(int argc, char **argv)
{
	char capeff[64], capprm[64], netdevs[256] = "", groups[256] = "";
	gid_t gids[32];
	struct if_nameindex *ifs, *i;
	const char *xdp;
	int fd, err, n, k;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("nfv-xskprobe (nfv) %s\n", NFV_VERSION);
		return 0;
	}

	read_cap("CapEff", capeff, sizeof(capeff));
	read_cap("CapPrm", capprm, sizeof(capprm));

	fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	err = errno;
	if (fd >= 0) {
		xdp = "ok";
		close(fd);
	} else {
		xdp = strerrorname_np(err) ?: "?";
	}

	n = getgroups(32, gids);
	for (k = 0; k < n; k++) {
		size_t len = strlen(groups);

		snprintf(groups + len, sizeof(groups) - len, "%s%u",
			 len ? "," : "", gids[k]);
	}

	ifs = if_nameindex();
	for (i = ifs; i && i->if_index; i++) {
		size_t n = strlen(netdevs);

		snprintf(netdevs + n, sizeof(netdevs) - n, "%s%s",
			 n ? "," : "", i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);

	fprintf(stderr, "nfv-xskprobe: uid=%u gid=%u groups=%s capeff=%s capprm=%s af_xdp=%s netdevs=%s\n",
		getuid(), getgid(), *groups ? groups : "-", capeff, capprm,
		xdp, *netdevs ? netdevs : "-");

	if (argc > 2 && !strcmp(argv[1], "--exec")) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "nfv-xskprobe: cannot run %s: %s\n", argv[2],
			strerror(errno));
		return 127;
	}
	if (argc > 1) {
		fprintf(stderr, "usage: nfv-xskprobe [--exec CMD ARGS...]\n");
		return 2;
	}
	return all_zero(capeff) && all_zero(capprm) && fd < 0 ? 0 : 1;
}
