// SPDX-License-Identifier: GPL-2.0
/*
 * C glue for what the transmit engines and the ARP/NS link monitor need from
 * the packet and IP layers: skb header access for transmit hashing, the
 * kernel's flow dissector (encap hash policies), IPv4/IPv6 route lookups,
 * ARP request and neighbour solicitation construction, VLAN tag insertion,
 * and upper-device walks. Thin wrappers only, for static inlines, macros and
 * structs bindgen cannot build; every decision is made in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/percpu.h>
#include <net/arp.h>
#include <net/route.h>
#include <net/flow_dissector.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/addrconf.h>
#include <net/ipv6.h>

#include "rbond_helpers.h"

/* --- transmit: packet access for the hash policies */
unsigned short rbond_skb_protocol(const struct sk_buff *skb) { return ntohs(skb->protocol); }

/* skb->protocol (host order) and skb_network_offset() in one call. */
void rbond_skb_l3(const struct sk_buff *skb, unsigned short *proto, int *nhoff)
{
	*proto = ntohs(skb->protocol);
	*nhoff = skb_network_offset(skb);
}
unsigned int rbond_skb_headlen(const struct sk_buff *skb) { return skb_headlen(skb); }
const unsigned char *rbond_skb_data(const struct sk_buff *skb) { return skb->data; }
bool rbond_skb_may_pull(struct sk_buff *skb, unsigned int len) { return pskb_may_pull(skb, len); }

int rbond_skb_vlan_tci(const struct sk_buff *skb)
{
	return skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : -1;
}

bool rbond_skb_l4_hash(const struct sk_buff *skb, u32 *hash)
{
	if (!skb->l4_hash)
		return false;
	*hash = skb->hash;
	return true;
}

struct sk_buff *rbond_skb_clone(struct sk_buff *skb) { return skb_clone(skb, GFP_ATOMIC); }

int rbond_skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	return skb_copy_bits(skb, offset, to, len);
}

/* The keys the encap hash policies use: control, addresses (IPv4, IPv6,
 * TIPC), ports, ICMP, VLAN, flow label and GRE key. */
static const struct flow_dissector_key rbond_flow_keys[] = {
	{ .key_id = FLOW_DISSECTOR_KEY_CONTROL, .offset = offsetof(struct flow_keys, control) },
	{ .key_id = FLOW_DISSECTOR_KEY_BASIC, .offset = offsetof(struct flow_keys, basic) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV4_ADDRS, .offset = offsetof(struct flow_keys, addrs.v4addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV6_ADDRS, .offset = offsetof(struct flow_keys, addrs.v6addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_TIPC, .offset = offsetof(struct flow_keys, addrs.tipckey) },
	{ .key_id = FLOW_DISSECTOR_KEY_PORTS, .offset = offsetof(struct flow_keys, ports) },
	{ .key_id = FLOW_DISSECTOR_KEY_ICMP, .offset = offsetof(struct flow_keys, icmp) },
	{ .key_id = FLOW_DISSECTOR_KEY_VLAN, .offset = offsetof(struct flow_keys, vlan) },
	{ .key_id = FLOW_DISSECTOR_KEY_FLOW_LABEL, .offset = offsetof(struct flow_keys, tags) },
	{ .key_id = FLOW_DISSECTOR_KEY_GRE_KEYID, .offset = offsetof(struct flow_keys, keyid) },
};
static struct flow_dissector rbond_dissector __read_mostly;

void rbond_flow_dissector_init(void)
{
	skb_flow_dissector_init(&rbond_dissector, rbond_flow_keys, ARRAY_SIZE(rbond_flow_keys));
}

static bool rbond_flow_dissect_common(struct net *net, const struct sk_buff *skb,
				      const void *data, __be16 proto, int nhoff, int hlen,
				      struct rbond_flow *out)
{
	struct flow_keys fk;

	memset(&fk, 0, sizeof(fk));
	if (!__skb_flow_dissect(net, skb, &rbond_dissector, &fk, data, proto, nhoff, hlen, 0))
		return false;
	out->src = (__force u32)flow_get_u32_src(&fk);
	out->dst = (__force u32)flow_get_u32_dst(&fk);
	out->ports = (__force u32)fk.ports.ports;
	out->icmp_type = fk.icmp.type;
	out->icmp_code = fk.icmp.code;
	out->icmp_id = fk.icmp.id;
	return true;
}

bool rbond_flow_dissect(struct net *net, struct sk_buff *skb, struct rbond_flow *out)
{
	return rbond_flow_dissect_common(net, skb, skb->data, skb->protocol,
					 skb_network_offset(skb), skb_headlen(skb), out);
}

/* The same over a linear buffer without an skb (an XDP frame); `proto` in
 * host order. */
bool rbond_flow_dissect_data(struct net *net, const void *data, u16 proto, int nhoff,
			     int hlen, struct rbond_flow *out)
{
	return rbond_flow_dissect_common(net, NULL, data, htons(proto), nhoff, hlen, out);
}

/* --- per-CPU transmit counter (balance-rr) */
void *rbond_percpu_u32_alloc(void) { return (void __force *)alloc_percpu(u32); }
void rbond_percpu_u32_free(void *p) { free_percpu((u32 __percpu __force *)p); }
u32 rbond_percpu_u32_inc_return(void *p) { return this_cpu_inc_return(*(u32 __percpu __force *)p); }
u32 rbond_get_random_u32(void) { return get_random_u32(); }

/* --- routes and addresses */
struct net_device *rbond_route_dev_v4(struct net *net, __be32 dst, bool *no_route)
{
	struct rtable *rt = ip_route_output(net, dst, 0, 0, 0, RT_SCOPE_LINK);
	struct net_device *dev;

	*no_route = IS_ERR(rt);
	if (IS_ERR(rt))
		return NULL;
	dev = rt->dst.dev;
	if (dev)
		dev_hold(dev);
	ip_rt_put(rt);
	return dev;
}

__be32 rbond_confirm_addr(struct net_device *dev, __be32 dst, __be32 local)
{
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev)
		addr = inet_confirm_addr(dev_net(dev), in_dev, dst, local, RT_SCOPE_HOST);
	rcu_read_unlock();
	return addr;
}

/* Next upper device of dev (RCU or RTNL held); *iter is NULL on the first call. */
struct net_device *rbond_upper_next_rcu(struct net_device *dev, void **iter)
{
	struct list_head *it = *iter ? *iter : &dev->adj_list.upper;
	struct net_device *up = netdev_upper_get_next_dev_rcu(dev, &it);

	*iter = it;
	return up;
}

bool rbond_vlan_dev_info(const struct net_device *dev, unsigned short *proto, unsigned short *vid)
{
#if IS_ENABLED(CONFIG_VLAN_8021Q)
	if (is_vlan_dev(dev)) {
		*proto = ntohs(vlan_dev_vlan_proto(dev));
		*vid = vlan_dev_vlan_id(dev);
		return true;
	}
#endif
	return false;
}

/* --- ARP */
struct sk_buff *rbond_arp_request(struct net_device *slave, __be32 dst, __be32 src)
{
	return arp_create(ARPOP_REQUEST, ETH_P_ARP, dst, slave, src, NULL, slave->dev_addr, NULL);
}

void rbond_arp_xmit(struct sk_buff *skb) { arp_xmit(skb); }

struct sk_buff *rbond_vlan_insert_tag(struct sk_buff *skb, unsigned short proto, unsigned short vid)
{
	return vlan_insert_tag_set_proto(skb, htons(proto), vid);
}

void rbond_vlan_hwaccel_put_tag(struct sk_buff *skb, unsigned short proto, unsigned short vid)
{
	__vlan_hwaccel_put_tag(skb, htons(proto), vid);
}

/* --- IPv6 neighbour discovery */
bool rbond_ipv6_enabled(void)
{
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_mod_enabled();
#else
	return false;
#endif
}

#if IS_ENABLED(CONFIG_IPV6)
struct net_device *rbond_route_dev_v6(struct net *net, const u8 *daddr, bool *no_route)
{
	struct flowi6 fl6;
	struct dst_entry *dst;
	struct net_device *dev;

	memset(&fl6, 0, sizeof(fl6));
	memcpy(&fl6.daddr, daddr, sizeof(fl6.daddr));
	dst = ip6_route_output(net, NULL, &fl6);
	*no_route = dst->error != 0;
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	dev = dst->dev;
	if (dev)
		dev_hold(dev);
	dst_release(dst);
	return dev;
}

bool rbond_ipv6_saddr(struct net_device *dev, const u8 *daddr, u8 *saddr)
{
	return !ipv6_dev_get_saddr(dev_net(dev), dev, (const struct in6_addr *)daddr, 0,
				   (struct in6_addr *)saddr);
}

bool rbond_ipv6_chk_addr(struct net_device *dev, const u8 *addr)
{
	return ipv6_chk_addr(dev_net(dev), (const struct in6_addr *)addr, dev, 0);
}

struct sk_buff *rbond_ns_create(struct net_device *slave, const u8 *daddr, const u8 *saddr)
{
	return ndisc_ns_create(slave, (const struct in6_addr *)daddr,
			       (const struct in6_addr *)saddr, 0);
}

void rbond_ns_send(struct sk_buff *skb, const u8 *daddr, const u8 *saddr)
{
	struct in6_addr mcaddr;

	addrconf_addr_solict_mult((const struct in6_addr *)daddr, &mcaddr);
	ndisc_send_skb(skb, &mcaddr, (const struct in6_addr *)saddr);
}

/* Add or remove the MAC of target's solicited-node group on dev. */
void rbond_ns_maddr(struct net_device *dev, const u8 *target, bool add)
{
	char mac[MAX_ADDR_LEN];
	struct in6_addr mcaddr;

	addrconf_addr_solict_mult((const struct in6_addr *)target, &mcaddr);
	if (ndisc_mc_map(&mcaddr, mac, dev, 0))
		return;
	if (add)
		dev_mc_add(dev, mac);
	else
		dev_mc_del(dev, mac);
}
#else
struct net_device *rbond_route_dev_v6(struct net *net, const u8 *daddr, bool *no_route)
{
	*no_route = true;
	return NULL;
}
bool rbond_ipv6_saddr(struct net_device *dev, const u8 *daddr, u8 *saddr) { return false; }
bool rbond_ipv6_chk_addr(struct net_device *dev, const u8 *addr) { return false; }
struct sk_buff *rbond_ns_create(struct net_device *slave, const u8 *daddr, const u8 *saddr)
{
	return NULL;
}
void rbond_ns_send(struct sk_buff *skb, const u8 *daddr, const u8 *saddr) { kfree_skb(skb); }
void rbond_ns_maddr(struct net_device *dev, const u8 *target, bool add) {}
#endif
