// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An NF's own counters: registered once, set or added to from the
 * packet loop (no message), published to nfvd as one NF_COUNTERS_SET
 * holding the whole set (tools/nfvd/nfstats.c keeps the last).  The run
 * loop publishes a changed set at most every NFV_COUNTERS_PERIOD_MS and
 * never waits: a full socket leaves the set to publish next time.
 *
 * Names are checked here as nfvd checks them, so that an honest NF
 * learns of a bad name when it registers it, not by a refused set.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "internal.h"

struct nfv_counter {
	char name[NFV_COUNTER_NAME_LEN];
	char help[NFV_COUNTER_HELP_LEN];
	char label_name[NFV_COUNTER_NAME_LEN];
	char label_value[NFV_COUNTER_NAME_LEN];
	uint8_t type;
	uint64_t value;
};

struct nfv_counters {
	uint32_t n;
	bool dirty;			/* changed since published */
	uint64_t sent_ms;		/* last published */
	struct nfv_counter c[NFV_NF_COUNTERS_MAX];
};

static bool name_ok(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (!len || len >= size || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool text_ok(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (len >= size)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

int nfv_counter_register(struct nfv *nf, const char *name,
			 enum nfv_counter_type type,
			 const struct nfv_counter_opts *opts)
{
	const char *help, *lname, *lvalue;
	struct nfv_counter *c;
	size_t len;
	uint32_t i;

	if (!nf || !name || !OPTS_VALID(opts, nfv_counter_opts) ||
	    (type != NFV_COUNTER_TYPE_COUNTER && type != NFV_COUNTER_TYPE_GAUGE))
		return nfv_err(-EINVAL);
	help = OPTS_GET(opts, help, NULL) ?: "";
	lname = OPTS_GET(opts, label_name, NULL) ?: "";
	lvalue = OPTS_GET(opts, label_value, NULL) ?: "";
	len = strnlen(name, NFV_COUNTER_NAME_LEN);
	if (!name_ok(name, NFV_COUNTER_NAME_LEN) ||
	    (len >= 6 && !strcmp(name + len - 6, "_total")) ||
	    !text_ok(help, NFV_COUNTER_HELP_LEN) ||
	    !text_ok(lvalue, NFV_COUNTER_NAME_LEN) || !*lname != !*lvalue ||
	    (*lname && (!name_ok(lname, NFV_COUNTER_NAME_LEN) ||
			!strcmp(lname, "nf") || !strcmp(lname, "name") ||
			!strcmp(lname, "service") || !strncmp(lname, "__", 2))))
		return nfv_err(-EINVAL);
	if (!nf->counters) {
		nf->counters = calloc(1, sizeof(*nf->counters));
		if (!nf->counters)
			return nfv_err(-ENOMEM);
	}
	for (i = 0; i < nf->counters->n; i++) {
		c = &nf->counters->c[i];
		if (strcmp(c->name, name))
			continue;
		if (c->type != type)
			return nfv_err(-EINVAL);
		if (!strcmp(c->label_name, lname) &&
		    !strcmp(c->label_value, lvalue))
			return nfv_err(-EEXIST);
	}
	if (nf->counters->n == NFV_NF_COUNTERS_MAX)
		return nfv_err(-E2BIG);
	c = &nf->counters->c[nf->counters->n];
	memset(c, 0, sizeof(*c));
	strcpy(c->name, name);
	strcpy(c->help, help);
	strcpy(c->label_name, lname);
	strcpy(c->label_value, lvalue);
	c->type = (uint8_t)type;
	nf->counters->dirty = true;
	return (int)nf->counters->n++;
}

static struct nfv_counter *counter_of(struct nfv *nf, int counter)
{
	if (!nf || !nf->counters || counter < 0 ||
	    (uint32_t)counter >= nf->counters->n)
		return NULL;
	return &nf->counters->c[counter];
}

int nfv_counter_set(struct nfv *nf, int counter, uint64_t value)
{
	struct nfv_counter *c = counter_of(nf, counter);

	if (!c)
		return nfv_err(-EINVAL);
	if (c->value != value) {
		c->value = value;
		nf->counters->dirty = true;
	}
	return 0;
}

int nfv_counter_add(struct nfv *nf, int counter, uint64_t delta)
{
	struct nfv_counter *c = counter_of(nf, counter);

	if (!c)
		return nfv_err(-EINVAL);
	if (delta) {
		c->value += delta;
		nf->counters->dirty = true;
	}
	return 0;
}

int nfv_counters_publish(struct nfv *nf)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	uint32_t i;

	if (!nf)
		return nfv_err(-EINVAL);
	if (!nf->counters)
		return 0;
	if (nf->ctl < 0)
		return nfv_err(-ENOTCONN);
	nlh = nfv_msg_start(buf, NFV_CMD_NF_COUNTERS_SET, 0, ++nf->seq);
	for (i = 0; i < nf->counters->n; i++) {
		const struct nfv_counter *c = &nf->counters->c[i];
		struct nlattr *n = mnl_attr_nest_start(nlh,
						       NFV_A_NF_COUNTERS_COUNTER);

		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, c->name);
		mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, c->type);
		mnl_attr_put_u64(nlh, NFV_A_NF_COUNTER_VALUE, c->value);
		if (c->help[0])
			mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_HELP, c->help);
		if (c->label_name[0]) {
			mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_NAME,
					  c->label_name);
			mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_VALUE,
					  c->label_value);
		}
		mnl_attr_nest_end(nlh, n);
	}
	/* No answer comes (none is asked for): never wait for nfvd. */
	if (send(nf->ctl, nlh, nlh->nlmsg_len,
		 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return nfv_err(-errno);
	nf->counters->dirty = false;
	nf->counters->sent_ms = nfv_now_ms();
	return 0;
}

int nfv_counters_tick(struct nfv *nf)
{
	struct nfv_counters *cs = nf->counters;
	uint64_t now;

	if (!cs || !cs->dirty || nf->ctl < 0)
		return -1;
	now = nfv_now_ms();
	if (now - cs->sent_ms < NFV_COUNTERS_PERIOD_MS)
		return (int)(cs->sent_ms + NFV_COUNTERS_PERIOD_MS - now);
	if (nfv_counters_publish(nf))
		return NFV_COUNTERS_PERIOD_MS;	/* socket full: later */
	return -1;
}

void nfv_counters_republish(struct nfv *nf)
{
	if (nf->counters) {
		nf->counters->dirty = true;
		nf->counters->sent_ms = 0;
	}
}
