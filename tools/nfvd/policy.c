// SPDX-License-Identifier: GPL-2.0
/*
 * Who may attach as which service.  nfvd knows each peer by SO_PEERCRED
 * (an NF in a user namespace shows its mapped host uid).  Rules, first
 * match wins, from --policy FILE, one per line:
 *
 *	user NAME|UID   services all|N|N-M   [readonly]
 *	group NAME|GID  services all|N|N-M   [readonly]
 *
 * "readonly": that peer may only attach with --readonly.  Without a file
 * the rules are: root may attach as anything, and so may members of
 * --socket-group.  Everybody else is refused with a message saying why.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfvd.h"
#include "policy.h"

static int parse_id(const char *s, bool group, uint32_t *id)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s && !*end) {
		*id = (uint32_t)v;
		return 0;
	}
	if (group) {
		struct group *g = getgrnam(s);

		if (!g)
			return -ENOENT;
		*id = g->gr_gid;
	} else {
		struct passwd *p = getpwnam(s);

		if (!p)
			return -ENOENT;
		*id = p->pw_uid;
	}
	return 0;
}

static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char *end;
	unsigned long a, b;

	if (!strcmp(s, "all")) {
		*lo = 1;
		*hi = NFV_SERVICE_MAX;
		return 0;
	}
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-')
		b = strtoul(end + 1, &end, 10);
	if (*end || !a || b < a || b > NFV_SERVICE_MAX)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

struct rules {
	struct nfvd_policy_rule r[NFVD_POLICY_MAX];
	int n;
};

static int add_rule(struct rules *rs, bool group, uint32_t id, uint16_t lo,
		    uint16_t hi, bool ro)
{
	struct nfvd_policy_rule *r;

	if (rs->n == NFVD_POLICY_MAX)
		return -ENOSPC;
	r = &rs->r[rs->n++];
	r->group = group;
	r->id = id;
	r->sid_lo = lo;
	r->sid_hi = hi;
	r->readonly_only = ro;
	return 0;
}

/* The rules of the policy file (or the default ones) into @rs. */
static int policy_read(struct nfvd *d, struct rules *rs)
{
	char line[256];
	int lineno = 0, err;
	FILE *f;

	rs->n = 0;
	if (!d->cfg.policy) {
		add_rule(rs, false, 0, 1, NFV_SERVICE_MAX, false);
		if (d->cfg.socket_gid >= 0)
			add_rule(rs, true, (uint32_t)d->cfg.socket_gid, 1,
				 NFV_SERVICE_MAX, false);
		return 0;
	}
	f = fopen(d->cfg.policy, "r");
	if (!f) {
		err = -errno;
		pr_warn("nfvd: cannot open policy %s: %s\n", d->cfg.policy,
			strerror(-err));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		char kind[16], who[64], kw[16], range[32], ro[16];
		uint16_t lo, hi;
		uint32_t id;
		int n;

		lineno++;
		if (line[strspn(line, " \t")] == '#' || !line[strspn(line, " \t\n")])
			continue;
		n = sscanf(line, "%15s %63s %15s %31s %15s", kind, who, kw, range, ro);
		if (n < 4 || (strcmp(kind, "user") && strcmp(kind, "group")) ||
		    strcmp(kw, "services") || (n == 5 && strcmp(ro, "readonly")) ||
		    parse_id(who, kind[0] == 'g', &id) ||
		    parse_range(range, &lo, &hi) ||
		    add_rule(rs, kind[0] == 'g', id, lo, hi, n == 5)) {
			pr_warn("nfvd: %s:%d: invalid rule (user|group WHO services all|N|N-M [readonly])\n",
				d->cfg.policy, lineno);
			fclose(f);
			return -EINVAL;
		}
	}
	fclose(f);
	return 0;
}

int policy_init(struct nfvd *d)
{
	static struct rules rs;
	int err = policy_read(d, &rs);

	if (err)
		return err;
	memcpy(d->rules, rs.r, sizeof(rs.r[0]) * (size_t)rs.n);
	d->n_rules = rs.n;
	return 0;
}

/*
 * SIGHUP: the policy file again.  A file that does not parse changes
 * nothing (the old rules stay); NFs attached stay attached, the new
 * rules apply to the next attach.
 */
int policy_reload(struct nfvd *d)
{
	int err;

	if (!d->cfg.policy)
		return 0;
	err = policy_init(d);
	if (err) {
		pr_warn("nfvd: %s: keeping the old policy\n", d->cfg.policy);
		return err;
	}
	pr_info("nfvd: %s: %d rules\n", d->cfg.policy, d->n_rules);
	return 0;
}

/* Supplementary groups of @pid, from /proc (SO_PEERCRED has only one). */
static bool in_group(int pid, uint32_t primary, uint32_t gid)
{
	char path[64], line[512];
	bool found = primary == gid;
	FILE *f;

	if (found || pid <= 0)
		return found;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *p, *end;

		if (strncmp(line, "Groups:", 7))
			continue;
		for (p = line + 7; *p; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if (g == gid)
				found = true;
		}
	}
	fclose(f);
	return found;
}

int policy_check(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 bool readonly, char *why, size_t len)
{
	int i;

	for (i = 0; i < d->n_rules; i++) {
		const struct nfvd_policy_rule *r = &d->rules[i];

		if (r->group ? !in_group(c->pid, c->gid, r->id) : c->uid != r->id)
			continue;
		if (sid < r->sid_lo || sid > r->sid_hi)
			continue;
		if (r->readonly_only && !readonly) {
			snprintf(why, len, "uid %u may attach as service %u only with --readonly",
				 c->uid, sid);
			return -EPERM;
		}
		return 0;
	}
	snprintf(why, len, "uid %u (gid %u) may not attach as service %u",
		 c->uid, c->gid, sid);
	return -EPERM;
}
