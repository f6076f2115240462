// SPDX-License-Identifier: GPL-2.0
/* IPAM's addresses and routes, configured over route netlink. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "addr.h"

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int ipnet_parse(const char *s, bool cidr, struct ipnet *n)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long plen;

	memset(n, 0, sizeof(*n));
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash != !cidr)
		return -EINVAL;
	if (slash)
		*slash = 0;
	if (inet_pton(AF_INET, buf, n->addr) == 1)
		n->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, n->addr) == 1)
		n->family = AF_INET6;
	else
		return -EINVAL;
	n->plen = (uint8_t)(addr_len(n->family) * 8);
	if (!slash)
		return 0;
	errno = 0;
	plen = strtoul(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || plen > n->plen)
		return -EINVAL;
	n->plen = (uint8_t)plen;
	return 0;
}

int addr_add(struct rtnl *r, uint32_t ifindex, const struct ipnet *a)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	nlh = rtnl_msg(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(a->family), a->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(a->family), a->addr);
	/* No duplicate address detection: IPAM gave the address out. */
	if (a->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return rtnl_talk(r, nlh, NULL, NULL);
}

struct addr_match {
	uint32_t ifindex;
	const struct ipnet *a;
	bool found;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_match *m = data;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_index != m->ifindex ||
	    ifa->ifa_family != m->a->family || ifa->ifa_prefixlen != m->a->plen)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(attr) == IFA_LOCAL ||
		    (m->a->family == AF_INET6 &&
		     mnl_attr_get_type(attr) == IFA_ADDRESS)) {
			if (mnl_attr_get_payload_len(attr) ==
			    addr_len(m->a->family) &&
			    !memcmp(mnl_attr_get_payload(attr), m->a->addr,
				    addr_len(m->a->family)))
				m->found = true;
		}
	}
	return MNL_CB_OK;
}

int addr_has(struct rtnl *r, uint32_t ifindex, const struct ipnet *a)
{
	struct addr_match m = { .ifindex = ifindex, .a = a };
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int err;

	nlh = rtnl_msg(r, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	err = rtnl_talk(r, nlh, addr_cb, &m);
	return err ?: m.found;
}

int route_add(struct rtnl *r, uint32_t ifindex, const struct ipnet *dst,
	      const struct ipnet *gw)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = rtnl_msg(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)dst->family;
	rtm->rtm_dst_len = dst->plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (dst->plen)
		mnl_attr_put(nlh, RTA_DST, addr_len(dst->family), dst->addr);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, addr_len(gw->family), gw->addr);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return rtnl_talk(r, nlh, NULL, NULL);
}
