// SPDX-License-Identifier: GPL-2.0
/*
 * An NF's own counters: NF_COUNTERS_SET from an attached NF replaces the
 * set nfvd keeps for it; NF_COUNTERS_GET and /metrics (metrics.c) show
 * the last set taken.
 *
 * The NF is not trusted.  A set is checked whole before anything of it
 * is kept: at most NFV_NF_COUNTERS_MAX counters, each with a name and
 * label name of [a-zA-Z_][a-zA-Z0-9_]* (what Prometheus takes, nothing to
 * escape), a label value and help text of printable ASCII (escaped where
 * shown), a known type, a u64 value, no two with one name and label.  A
 * set failing any check is refused and counted (refused); the last good
 * one stays.  Memory per NF is bounded: one struct nfvd_nfstats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "control.h"
#include "nfstats.h"
#include "nfvd.h"

bool nfstats_name_ok(const char *s)
{
	const char *p;

	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* Label names /metrics gives every NF sample itself. */
static bool label_reserved(const char *s)
{
	return !strcmp(s, "nf") || !strcmp(s, "name") ||
	       !strcmp(s, "service") || !strncmp(s, "__", 2);
}

void nfstats_free(struct nfvd_nf *nf)
{
	free(nf->own);
	nf->own = NULL;
}

/* A string attribute the policy checked (NUL-terminated, short enough)
 * into @dst of NFV_COUNTER_NAME_LEN or NFV_COUNTER_HELP_LEN bytes.
 */
static int copy_str(struct nfvd_req *req, const struct nlattr *a, char *dst,
		    size_t size)
{
	const char *s = mnl_attr_get_str(a);
	size_t len = strnlen(s, mnl_attr_get_payload_len(a));

	if (len >= size || len == mnl_attr_get_payload_len(a)) {
		REQ_ERR_ATTR(req, a, "counter string too long or not terminated");
		return -EINVAL;
	}
	memcpy(dst, s, len + 1);
	return 0;
}

static int parse_one(struct nfvd_req *req, const struct nlattr *nest,
		     struct nfvd_nfstat *st)
{
	const struct nlattr *tb[NFV_A_NF_COUNTER_MAX + 1];
	size_t len;
	int err;

	memset(st, 0, sizeof(*st));
	err = parse_attrs(req, nest, &nfv_nf_counter_nl_set, 0, tb);
	if (err)
		return err;
	if (!tb[NFV_A_NF_COUNTER_NAME] || !tb[NFV_A_NF_COUNTER_TYPE] ||
	    !tb[NFV_A_NF_COUNTER_VALUE]) {
		REQ_ERR_ATTR(req, nest, "a counter needs a name, type and value");
		return -EINVAL;
	}
	if (!tb[NFV_A_NF_COUNTER_LABEL_NAME] !=
	    !tb[NFV_A_NF_COUNTER_LABEL_VALUE]) {
		REQ_ERR_ATTR(req, nest, "a label needs a name and a value");
		return -EINVAL;
	}
	err = copy_str(req, tb[NFV_A_NF_COUNTER_NAME], st->name,
		       sizeof(st->name));
	if (!err && tb[NFV_A_NF_COUNTER_HELP])
		err = copy_str(req, tb[NFV_A_NF_COUNTER_HELP], st->help,
			       sizeof(st->help));
	if (!err && tb[NFV_A_NF_COUNTER_LABEL_NAME])
		err = copy_str(req, tb[NFV_A_NF_COUNTER_LABEL_NAME],
			       st->label_name, sizeof(st->label_name)) ?:
		      copy_str(req, tb[NFV_A_NF_COUNTER_LABEL_VALUE],
			       st->label_value, sizeof(st->label_value));
	if (err)
		return err;
	if (!nfstats_name_ok(st->name)) {
		REQ_ERR_ATTR(req, tb[NFV_A_NF_COUNTER_NAME],
			     "counter name must be [a-zA-Z_][a-zA-Z0-9_]*");
		return -EINVAL;
	}
	/* /metrics adds it to counters: a gauge "x_total" and a counter
	 * "x" would be one metric of two types.
	 */
	len = strlen(st->name);
	if (len >= 6 && !strcmp(st->name + len - 6, "_total")) {
		REQ_ERR_ATTR(req, tb[NFV_A_NF_COUNTER_NAME],
			     "counter name must not end in _total");
		return -EINVAL;
	}
	if (tb[NFV_A_NF_COUNTER_LABEL_NAME] &&
	    (!nfstats_name_ok(st->label_name) ||
	     label_reserved(st->label_name))) {
		REQ_ERR_ATTR(req, tb[NFV_A_NF_COUNTER_LABEL_NAME],
			     "label name must be [a-zA-Z_][a-zA-Z0-9_]*, not nf, name, service or __*");
		return -EINVAL;
	}
	if (!printable(st->help) || !printable(st->label_value)) {
		REQ_ERR_ATTR(req, nest, "help and label value must be printable ASCII");
		return -EINVAL;
	}
	st->type = mnl_attr_get_u8(tb[NFV_A_NF_COUNTER_TYPE]);
	if (st->type > NFV_COUNTER_TYPE_GAUGE) {
		REQ_ERR_ATTR(req, tb[NFV_A_NF_COUNTER_TYPE], "unknown counter type");
		return -EINVAL;
	}
	st->value = mnl_attr_get_u64(tb[NFV_A_NF_COUNTER_VALUE]);
	return 0;
}

/* Two counters of one name: one type, and told apart by their label. */
static int check_set(struct nfvd_req *req, const struct nfvd_nfstat *c,
		     uint32_t n)
{
	uint32_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			if (strcmp(c[i].name, c[j].name))
				continue;
			if (c[i].type != c[j].type) {
				REQ_ERR(req, "one counter name with two types");
				return -EINVAL;
			}
			if (!strcmp(c[i].label_name, c[j].label_name) &&
			    !strcmp(c[i].label_value, c[j].label_value)) {
				REQ_ERR(req, "duplicate counter");
				return -EEXIST;
			}
		}
	return 0;
}

/* @nf's counters, allocated on first use; NULL: out of memory. */
static struct nfvd_nfstats *own_of(struct nfvd_nf *nf)
{
	if (!nf->own)
		nf->own = calloc(1, sizeof(*nf->own));
	return nf->own;
}

static int counters_set(struct nfvd_req *req)
{
	static struct nfvd_nfstat set[NFV_NF_COUNTERS_MAX];
	const struct nlattr *tb[NFV_A_NF_COUNTERS_MAX + 1];
	const struct nlattr *a;
	struct nfvd_nf *nf;
	uint32_t n = 0;
	int err;

	if (!req->c->nf) {
		REQ_ERR(req, "only an NF publishes its counters");
		return -EPERM;
	}
	nf = &req->d->nfs[req->c->nf];
	if (!own_of(nf))
		return -ENOMEM;
	err = parse_attrs(req, NULL, &nfv_nf_counters_nl_set, NFV_NL_REQUEST,
			  tb);
	if (err)
		goto refused;
	mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != NFV_A_NF_COUNTERS_COUNTER) {
			REQ_ERR_ATTR(req, a, "NF_COUNTERS_SET carries counters only");
			err = -EINVAL;
			goto refused;
		}
		if (n == NFV_NF_COUNTERS_MAX) {
			REQ_ERR_ATTR(req, a, "too many counters");
			err = -E2BIG;
			goto refused;
		}
		err = parse_one(req, a, &set[n]);
		if (err)
			goto refused;
		n++;
	}
	err = check_set(req, set, n);
	if (err)
		goto refused;
	memcpy(nf->own->c, set, n * sizeof(set[0]));
	nf->own->n = n;
	nf->own->published++;
	return 0;
refused:
	nf->own->refused++;
	pr_debug("nfvd: NF %d: counters refused: %s\n", req->c->nf,
		 req->err_msg ?: "bad request");
	return err;
}

static void put_counter(struct nlmsghdr *nlh, const struct nfvd_nfstat *st)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);

	mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, st->name);
	mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, st->type);
	mnl_attr_put_u64(nlh, NFV_A_NF_COUNTER_VALUE, st->value);
	if (st->help[0])
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_HELP, st->help);
	if (st->label_name[0]) {
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_NAME,
				  st->label_name);
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_VALUE,
				  st->label_value);
	}
	mnl_attr_nest_end(nlh, n);
}

static int counters_get(struct nfvd_req *req)
{
	const struct nlattr *tb[NFV_A_NF_COUNTERS_MAX + 1];
	/* 32 counters of at most 4 + 44 + 12 + 12 + 68 + 44 + 44 bytes */
	static char buf[NFV_MSG_MAX * 2];
	struct nfvd_nf *nf;
	struct nlmsghdr *nlh;
	uint16_t id;
	uint32_t i;
	int err;

	err = parse_attrs(req, NULL, &nfv_nf_counters_nl_set, NFV_NL_REQUEST,
			  tb);
	if (err)
		return err;
	if (!tb[NFV_A_NF_COUNTERS_ID]) {
		REQ_ERR(req, "missing NF id");
		return -EINVAL;
	}
	id = mnl_attr_get_u16(tb[NFV_A_NF_COUNTERS_ID]);
	if (!id || id >= NFV_NF_MAX || !req->d->nfs[id].id) {
		REQ_ERR(req, "no such NF");
		return -ENOENT;
	}
	nf = &req->d->nfs[id];
	nlh = control_reply_start(req, buf, NFV_CMD_NF_COUNTERS_GET, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_COUNTERS_ID, nf->id);
	mnl_attr_put_strz(nlh, NFV_A_NF_COUNTERS_NAME, nf->name);
	mnl_attr_put_u16(nlh, NFV_A_NF_COUNTERS_SERVICE, nf->service);
	mnl_attr_put_u64(nlh, NFV_A_NF_COUNTERS_REFUSED,
			 nf->own ? nf->own->refused : 0);
	mnl_attr_put_u64(nlh, NFV_A_NF_COUNTERS_PUBLISHED,
			 nf->own ? nf->own->published : 0);
	for (i = 0; nf->own && i < nf->own->n; i++)
		put_counter(nlh, &nf->own->c[i]);
	return control_reply(req, nlh, NULL, 0) ?: 1;
}

/*
 * Fire and forget, like a verdict: libnfv publishes from the packet loop
 * and reads no answer; a caller asking for one gets it.
 */
static int set_answer(struct nfvd_req *req, int err)
{
	return req->nlh->nlmsg_flags & NLM_F_ACK ? err : 1;
}

static int cmd_nfstats(struct nfvd_req *req, uint8_t cmd)
{
	if (cmd == NFV_CMD_NF_COUNTERS_GET)
		return counters_get(req);
	return set_answer(req, counters_set(req));
}

/* A set the dispatcher refused whole (malformed) is a refusal too. */
static int nfstats_refused(struct nfvd_req *req, uint8_t cmd, int err)
{
	struct nfvd_nfstats *own;

	if (cmd != NFV_CMD_NF_COUNTERS_SET)
		return err;
	own = req->c->nf ? own_of(&req->d->nfs[req->c->nf]) : NULL;
	if (own)
		own->refused++;
	return set_answer(req, err);
}

const struct nfvd_obj nfstats_obj = {
	.doit = cmd_nfstats,
	.refused = nfstats_refused,
};
