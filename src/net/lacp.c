// SPDX-License-Identifier: GPL-2.0
/*
 * 802.3ad glue for the abstraction layer: slow-protocol frames out, the
 * LACPDU group address on slaves, consuming received PDUs.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <linux/skbuff.h>
#include <linux/capability.h>
#include <net/netlink.h>
#include "rbond_helpers.h"

/* 01:80:c2:00:00:02, padded for the 64-bit compare helpers. */
static const u8 slow_group[ETH_ALEN + 2] __aligned(8) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02
};

int rbond_slow_xmit(struct net_device *dev, const u8 *src, const u8 *payload, unsigned int len)
{
	struct sk_buff *skb = dev_alloc_skb(ETH_HLEN + len + 16);
	struct ethhdr *eth;

	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, 16);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb->network_header = skb->mac_header + ETH_HLEN;
	skb->protocol = htons(ETH_P_SLOW);
	skb->priority = TC_PRIO_CONTROL;
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, slow_group);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_SLOW);
	skb_put_data(skb, payload, len);
	dev_queue_xmit(skb);
	return 0;
}

bool rbond_skb_dest_is_slow_group(const struct sk_buff *skb)
{
	return ether_addr_equal_64bits(eth_hdr(skb)->h_dest, slow_group);
}

int rbond_dev_mc_add_slow_group(struct net_device *dev)
{
	return dev_mc_add(dev, slow_group);
}

int rbond_dev_mc_del_slow_group(struct net_device *dev)
{
	return dev_mc_del(dev, slow_group);
}

void rbond_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

bool rbond_capable_net_admin(void)
{
	return capable(CAP_NET_ADMIN);
}

int rbond_nla_put_u64_64bit(struct sk_buff *skb, int type, u64 value, int pad)
{
	return nla_put_u64_64bit(skb, type, value, pad);
}
