// SPDX-License-Identifier: GPL-2.0
/* Links over route netlink: RTM_NEWLINK kind veth (VETH_INFO_PEER), get, del, up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "link.h"

int link_veth_add(struct rtnl *r, const char *host, const char *peer,
		  int nsfd, uint32_t mtu)
{
	struct nlattr *linkinfo, *data, *peer_nest;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = rtnl_msg(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes follow an ifinfomsg of its own. */
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int link_del(struct rtnl *r, const char *name)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = rtnl_msg(r, RTM_DELLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return rtnl_talk(r, nlh, NULL, NULL);
}

struct link_info {
	uint32_t ifindex;
	char *mac;
	char *kind;
};

static void kind_get(const struct nlattr *linkinfo, char *kind)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, linkinfo) {
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
		    !mnl_attr_validate(a, MNL_TYPE_STRING))
			snprintf(kind, 16, "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
	}
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link_info *li = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	li->ifindex = (uint32_t)ifm->ifi_index;
	mnl_attr_for_each(a, nlh, sizeof(*ifm)) {
		const uint8_t *m = mnl_attr_get_payload(a);

		switch (mnl_attr_get_type(a)) {
		case IFLA_ADDRESS:
			if (li->mac && mnl_attr_get_payload_len(a) == 6)
				snprintf(li->mac, LINK_MAC_STR,
					 "%02x:%02x:%02x:%02x:%02x:%02x",
					 m[0], m[1], m[2], m[3], m[4], m[5]);
			break;
		case IFLA_LINKINFO:
			if (li->kind)
				kind_get(a, li->kind);
			break;
		}
	}
	return MNL_CB_OK;
}

int link_get(struct rtnl *r, const char *name, uint32_t *ifindex,
	     char mac[LINK_MAC_STR], char kind[16])
{
	struct link_info li = { .mac = mac, .kind = kind };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int err;

	if (mac)
		mac[0] = 0;
	if (kind)
		kind[0] = 0;
	nlh = rtnl_msg(r, RTM_GETLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = rtnl_talk(r, nlh, link_cb, &li);
	if (err)
		return err;
	*ifindex = li.ifindex;
	return li.ifindex ? 0 : -ENODEV;
}

int link_up(struct rtnl *r, uint32_t ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = rtnl_msg(r, RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return rtnl_talk(r, nlh, NULL, NULL);
}
