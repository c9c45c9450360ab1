// SPDX-License-Identifier: GPL-2.0
/*
 * C glue for balance-tlb and balance-alb: static inlines and macros the
 * Rust side cannot reach (BH spinlocks, Ethernet/ARP header writes, the
 * learning packet, the ARP update to a client).
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_macvlan.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <net/arp.h>
#include <net/pkt_sched.h>
#include "rbond_helpers.h"

/*
 * Take the lock with bottom halves off: when they are off already (the
 * transmit path, softirq), a plain spin_lock is enough and skips the cost
 * of local_bh_enable; returns whether bottom halves were turned off here.
 */
bool rbond_spin_lock_bh(void *lock)
{
	if (softirq_count() || irqs_disabled()) {
		spin_lock((spinlock_t *)lock);
		return false;
	}
	spin_lock_bh((spinlock_t *)lock);
	return true;
}

void rbond_spin_unlock_bh(void *lock, bool bh)
{
	if (bh)
		spin_unlock_bh((spinlock_t *)lock);
	else
		spin_unlock((spinlock_t *)lock);
}

int rbond_spin_trylock_bh(void *lock)
{
	if (softirq_count() || irqs_disabled())
		return spin_trylock((spinlock_t *)lock) ? 1 : -1;
	return spin_trylock_bh((spinlock_t *)lock) ? 2 : -1;
}

unsigned int rbond_skb_len(const struct sk_buff *skb) { return skb->len; }

/* Outgoing frames start with their Ethernet header (skb_eth_hdr). */
void rbond_skb_eth_dest(const struct sk_buff *skb, u8 *out)
{
	ether_addr_copy(out, skb_eth_hdr(skb)->h_dest);
}

int rbond_skb_set_eth_src(struct sk_buff *skb, const u8 *mac)
{
	if (unlikely(skb_cow_head(skb, 0)))
		return -ENOMEM;
	ether_addr_copy(skb_eth_hdr(skb)->h_source, mac);
	return 0;
}

/* The ARP sender hardware address (offset 8 of the ARP header). */
int rbond_skb_set_arp_sha(struct sk_buff *skb, const u8 *mac)
{
	if (!pskb_network_may_pull(skb, 28))
		return -EINVAL;
	if (unlikely(skb_cow_head(skb, 0)))
		return -ENOMEM;
	memcpy(skb_network_header(skb) + 8, mac, ETH_ALEN);
	return 0;
}

/* Received frame: the destination MAC becomes @mac (bridge-port case). */
int rbond_skb_rx_set_dest(struct sk_buff *skb, const u8 *mac)
{
	if (unlikely(skb_cow_head(skb, skb->data - skb_mac_header(skb))))
		return -ENOMEM;
	ether_addr_copy(eth_hdr(skb)->h_dest, mac);
	return 0;
}

void rbond_alb_learning_packet(struct net_device *slave, const u8 *mac,
			       unsigned short proto, unsigned short vid)
{
	const int size = ETH_ZLEN;
	struct sk_buff *skb = dev_alloc_skb(size);
	struct ethhdr *eth;

	if (!skb)
		return;
	eth = skb_put_zero(skb, size);
	ether_addr_copy(eth->h_dest, mac);
	ether_addr_copy(eth->h_source, mac);
	eth->h_proto = htons(ETH_P_LOOPBACK);
	skb_reset_mac_header(skb);
	skb->network_header = skb->mac_header + ETH_HLEN;
	skb->protocol = eth->h_proto;
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = slave;
	if (vid)
		__vlan_hwaccel_put_tag(skb, htons(proto), vid);
	dev_queue_xmit(skb);
}

int rbond_rlb_arp_update(struct net_device *slave, u32 ip_dst, u32 ip_src,
			 const u8 *mac_dst, unsigned short vlan_tci)
{
	struct sk_buff *skb = arp_create(ARPOP_REPLY, ETH_P_ARP, (__force __be32)ip_dst, slave,
					 (__force __be32)ip_src, mac_dst, slave->dev_addr, mac_dst);
	if (!skb)
		return -ENOMEM;
	skb->dev = slave;
	if (vlan_tci)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vlan_tci);
	arp_xmit(skb);
	return 0;
}

bool rbond_ip_on_bridge(struct net *net, u32 ip)
{
	struct net_device *dev = ip_dev_find(net, (__force __be32)ip);
	bool bridge;

	if (!dev)
		return false;
	bridge = netif_is_any_bridge_master(dev);
	dev_put(dev);
	return bridge;
}

bool rbond_netif_is_macvlan(const struct net_device *dev) { return netif_is_macvlan(dev); }
bool rbond_netif_is_bridge_port(const struct net_device *dev) { return netif_is_bridge_port(dev); }
int rbond_lower_level(const struct net_device *dev) { return dev->lower_level; }
