// SPDX-License-Identifier: GPL-2.0
/*
 * Who may attach as which service.  nfvd knows each peer by SO_PEERCRED
 * (an NF in a user namespace shows its mapped host uid).  Rules, first
 * match wins, from --policy FILE, one per line:
 *
 *	user NAME|UID   services all|N|N-M   [readonly]   [FLOWS]
 *	group NAME|GID  services all|N|N-M   [readonly]   [FLOWS]
 *
 *	FLOWS:  flows chains all|N|N-M   [max N]   [keep]
 *
 * "readonly": that peer may only attach with --readonly.  "flows": its NFs
 * may install flow rules (nfv_flow_add()) sending flows to those chains,
 * at most N rules an NF (default NFVD_NF_FLOWS_MAX), removed at the NF's
 * death unless "keep".  Without a file the rules are: root may attach as
 * anything, and so may members of --socket-group; no NF may install flow
 * rules.  Everybody else is refused with a message saying why.
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

static int parse_range(const char *s, uint16_t max, uint16_t *lo,
		       uint16_t *hi)
{
	char *end;
	unsigned long a, b;

	if (!strcmp(s, "all")) {
		*lo = 1;
		*hi = max;
		return 0;
	}
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-')
		b = strtoul(end + 1, &end, 10);
	if (*end || !a || b < a || b > max)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

struct rules {
	struct nfvd_policy_rule r[NFVD_POLICY_MAX];
	int n;
};

/* One line's words after WHO: "services R [readonly] [flows chains R ...]". */
static int parse_rule(char **w, int n, struct nfvd_policy_rule *r)
{
	unsigned long max;
	char *end;
	int i = 2;

	if (n < 2 || strcmp(w[0], "services") ||
	    parse_range(w[1], NFV_SERVICE_MAX, &r->sid_lo, &r->sid_hi))
		return -EINVAL;
	if (i < n && !strcmp(w[i], "readonly")) {
		r->readonly_only = true;
		i++;
	}
	if (i == n)
		return 0;
	if (n - i < 3 || strcmp(w[i], "flows") || strcmp(w[i + 1], "chains") ||
	    parse_range(w[i + 2], NFV_CHAIN_MAX, &r->flow_lo, &r->flow_hi))
		return -EINVAL;
	r->flows_max = NFVD_NF_FLOWS_MAX;
	for (i += 3; i < n; i++) {
		if (!strcmp(w[i], "keep")) {
			r->flows_keep = true;
		} else if (!strcmp(w[i], "max") && i + 1 < n) {
			max = strtoul(w[++i], &end, 10);
			if (*end || !max || max > UINT32_MAX)
				return -EINVAL;
			r->flows_max = (uint32_t)max;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

static int add_rule(struct rules *rs, bool group, uint32_t id, uint16_t lo,
		    uint16_t hi)
{
	struct nfvd_policy_rule *r;

	if (rs->n == NFVD_POLICY_MAX)
		return -ENOSPC;
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->group = group;
	r->id = id;
	r->sid_lo = lo;
	r->sid_hi = hi;
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
		add_rule(rs, false, 0, 1, NFV_SERVICE_MAX);
		if (d->cfg.socket_gid >= 0)
			add_rule(rs, true, (uint32_t)d->cfg.socket_gid, 1,
				 NFV_SERVICE_MAX);
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
		char *w[16], *save = NULL, *t;
		bool group;
		uint32_t id;
		int n = 0;

		lineno++;
		for (t = strtok_r(line, " \t\n", &save); t && n < 16;
		     t = strtok_r(NULL, " \t\n", &save))
			w[n++] = t;
		if (!n || w[0][0] == '#')
			continue;
		group = !strcmp(w[0], "group");
		if (n < 2 || t || (strcmp(w[0], "user") && !group) ||
		    parse_id(w[1], group, &id) || add_rule(rs, group, id, 0, 0) ||
		    parse_rule(w + 2, n - 2, &rs->r[rs->n - 1])) {
			pr_warn("nfvd: %s:%d: invalid rule (user|group WHO services all|N|N-M [readonly] [flows chains all|N|N-M [max N] [keep]])\n",
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

/* The first rule for @c attaching as @sid: the one that lets it, if any. */
static const struct nfvd_policy_rule *rule_of(struct nfvd *d,
					      const struct nfvd_client *c,
					      uint16_t sid)
{
	int i;

	for (i = 0; i < d->n_rules; i++) {
		const struct nfvd_policy_rule *r = &d->rules[i];

		if (r->group ? !in_group(c->pid, c->gid, r->id) : c->uid != r->id)
			continue;
		if (sid < r->sid_lo || sid > r->sid_hi)
			continue;
		return r;
	}
	return NULL;
}

int policy_flows(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 uint16_t chain, struct nfvd_flow_grant *g, char *why,
		 size_t len)
{
	const struct nfvd_policy_rule *r = rule_of(d, c, sid);

	if (!r || !r->flow_lo) {
		snprintf(why, len, "the policy gives service %u no flow rules",
			 sid);
		return -EPERM;
	}
	if (chain && (chain < r->flow_lo || chain > r->flow_hi)) {
		snprintf(why, len, "the policy gives service %u flow rules for chains %u-%u only",
			 sid, r->flow_lo, r->flow_hi);
		return -EPERM;
	}
	g->max = r->flows_max;
	g->keep = r->flows_keep;
	return 0;
}

int policy_check(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 bool readonly, char *why, size_t len)
{
	const struct nfvd_policy_rule *r = rule_of(d, c, sid);

	if (!r) {
		snprintf(why, len, "uid %u (gid %u) may not attach as service %u",
			 c->uid, c->gid, sid);
		return -EPERM;
	}
	if (r->readonly_only && !readonly) {
		snprintf(why, len, "uid %u may attach as service %u only with --readonly",
			 c->uid, sid);
		return -EPERM;
	}
	return 0;
}
