// SPDX-License-Identifier: GPL-2.0
/*
 * C glue of rbond's abstraction layer: module parameters and thin wrappers
 * for static inline functions, macros, bitfields and lockdep keys that
 * bindgen cannot expose to Rust. No policy lives here; every decision is
 * made in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <net/netdev_lock.h>

#include "rbond_helpers.h"

/* Module parameters: same names, types and permissions as C bonding. */
static int max_bonds = 1;
module_param(max_bonds, int, 0);
MODULE_PARM_DESC(max_bonds, "Max number of bonded devices");
MODULE_IMPORT_NS("NETDEV_INTERNAL");
static int tx_queues = 16;
module_param(tx_queues, int, 0);
MODULE_PARM_DESC(tx_queues, "Max number of transmit queues (default = 16)");
static char *mode;
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Mode of operation; 0 for balance-rr, "
		       "1 for active-backup, 2 for balance-xor, "
		       "3 for broadcast, 4 for 802.3ad, 5 for balance-tlb, "
		       "6 for balance-alb");

static int num_peer_notif = 1;
module_param_named(num_grat_arp, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_grat_arp, "Number of peer notifications to send on "
			       "failover event (alias of num_unsol_na)");
module_param_named(num_unsol_na, num_peer_notif, int, 0644);
MODULE_PARM_DESC(num_unsol_na, "Number of peer notifications to send on "
			       "failover event (alias of num_grat_arp)");
static int miimon;
module_param(miimon, int, 0);
MODULE_PARM_DESC(miimon, "Link check interval in milliseconds");
static int updelay;
module_param(updelay, int, 0);
MODULE_PARM_DESC(updelay, "Delay before considering link up, in milliseconds");
static int downdelay;
module_param(downdelay, int, 0);
MODULE_PARM_DESC(downdelay, "Delay before considering link down, "
			    "in milliseconds");
static int use_carrier = 1;
module_param(use_carrier, int, 0);
MODULE_PARM_DESC(use_carrier, "option obsolete, use_carrier cannot be disabled");
static char *primary;
module_param(primary, charp, 0);
MODULE_PARM_DESC(primary, "Primary network device to use");
static char *primary_reselect;
module_param(primary_reselect, charp, 0);
MODULE_PARM_DESC(primary_reselect, "Reselect primary slave "
				   "once it comes up; "
				   "0 for always (default), "
				   "1 for only if speed of primary is "
				   "better, "
				   "2 for only on active slave "
				   "failure");
static char *lacp_rate;
module_param(lacp_rate, charp, 0);
MODULE_PARM_DESC(lacp_rate, "LACPDU tx rate to request from 802.3ad partner; "
			    "0 for slow, 1 for fast");
static char *ad_select;
module_param(ad_select, charp, 0);
MODULE_PARM_DESC(ad_select, "802.3ad aggregation selection logic; "
			    "0 for stable (default), 1 for bandwidth, "
			    "2 for count");
static int min_links;
module_param(min_links, int, 0);
MODULE_PARM_DESC(min_links, "Minimum number of available links before turning on carrier");
static char *fail_over_mac;
module_param(fail_over_mac, charp, 0);
MODULE_PARM_DESC(fail_over_mac, "For active-backup, do not set all slaves to "
				"the same MAC; 0 for none (default), "
				"1 for active, 2 for follow");
static int all_slaves_active;
module_param(all_slaves_active, int, 0);
MODULE_PARM_DESC(all_slaves_active, "Keep all frames received on an interface "
				     "by setting active flag for all slaves; "
				     "0 for never (default), 1 for always.");
static int resend_igmp = 1;
module_param(resend_igmp, int, 0);
MODULE_PARM_DESC(resend_igmp, "Number of IGMP membership reports to send on "
			      "link failure");

static char *xmit_hash_policy;
module_param(xmit_hash_policy, charp, 0);
MODULE_PARM_DESC(xmit_hash_policy, "balance-alb, balance-tlb, balance-xor, 802.3ad hashing method; "
				   "0 for layer 2 (default), 1 for layer 3+4, "
				   "2 for layer 2+3, 3 for encap layer 2+3, "
				   "4 for encap layer 3+4, 5 for vlan+srcmac");
static int arp_interval;
module_param(arp_interval, int, 0);
MODULE_PARM_DESC(arp_interval, "arp interval in milliseconds");
static char *arp_ip_target[RBOND_MAX_TARGETS];
module_param_array(arp_ip_target, charp, NULL, 0);
MODULE_PARM_DESC(arp_ip_target, "arp targets in n.n.n.n form");
static char *arp_validate;
module_param(arp_validate, charp, 0);
MODULE_PARM_DESC(arp_validate, "validate src/dst of ARP probes; "
			       "0 for none (default), 1 for active, "
			       "2 for backup, 3 for all");
static char *arp_all_targets;
module_param(arp_all_targets, charp, 0);
MODULE_PARM_DESC(arp_all_targets, "fail on any/all arp targets timeout; 0 for any (default), 1 for all");
static int packets_per_slave = 1;
module_param(packets_per_slave, int, 0);
MODULE_PARM_DESC(packets_per_slave, "Packets to send per slave in balance-rr "
				    "mode; 0 for a random slave, 1 packet per "
				    "slave (default), >1 packets per slave.");
/* C keeps it in an int; read back as one (rbond_param_int). */
static unsigned int lp_interval = 1;
module_param(lp_interval, uint, 0);
MODULE_PARM_DESC(lp_interval, "The number of seconds between instances where "
			      "the bonding driver sends learning packets to "
			      "each slaves peer switch. The default is 1.");

const char *rbond_param_arp_ip_target(int i)
{
	return (i >= 0 && i < RBOND_MAX_TARGETS) ? arp_ip_target[i] : NULL;
}

int rbond_param_int(int which)
{
	switch (which) {
	case RBOND_P_NUM_PEER_NOTIF: return num_peer_notif;
	case RBOND_P_MIIMON: return miimon;
	case RBOND_P_UPDELAY: return updelay;
	case RBOND_P_DOWNDELAY: return downdelay;
	case RBOND_P_USE_CARRIER: return use_carrier;
	case RBOND_P_ALL_SLAVES_ACTIVE: return all_slaves_active;
	case RBOND_P_RESEND_IGMP: return resend_igmp;
	case RBOND_P_ARP_INTERVAL: return arp_interval;
	case RBOND_P_PACKETS_PER_SLAVE: return packets_per_slave;
	case RBOND_P_MIN_LINKS: return min_links;
	case RBOND_P_LP_INTERVAL: return (int)lp_interval;
	}
	return 0;
}

const char *rbond_param_str(int which)
{
	switch (which) {
	case RBOND_P_PRIMARY: return primary;
	case RBOND_P_PRIMARY_RESELECT: return primary_reselect;
	case RBOND_P_FAIL_OVER_MAC: return fail_over_mac;
	case RBOND_P_XMIT_HASH_POLICY: return xmit_hash_policy;
	case RBOND_P_ARP_VALIDATE: return arp_validate;
	case RBOND_P_ARP_ALL_TARGETS: return arp_all_targets;
	case RBOND_P_LACP_RATE: return lacp_rate;
	case RBOND_P_AD_SELECT: return ad_select;
	}
	return NULL;
}

int rbond_param_max_bonds(void) { return max_bonds; }
void rbond_param_set_max_bonds(int v) { max_bonds = v; }
const char *rbond_param_mode(void) { return mode; }
int rbond_param_tx_queues(void) { return tx_queues; }

void *rbond_netdev_priv(const struct net_device *dev) { return netdev_priv(dev); }
void rbond_dev_net_set(struct net_device *dev, struct net *net) { dev_net_set(dev, net); }
struct net *rbond_dev_net(const struct net_device *dev) { return dev_net(dev); }
const char *rbond_dev_name(const struct net_device *dev) { return dev->name; }
struct net *rbond_init_net(void) { return &init_net; }
void *rbond_net_generic(const struct net *net, unsigned int id) { return net_generic(net, id); }

void rbond_kfree_skb_any(struct sk_buff *skb) { dev_kfree_skb_any(skb); }

void rbond_tx_drop(struct net_device *dev, struct sk_buff *skb)
{
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
}
void rbond_tx_dropped_inc(struct net_device *dev) { dev_core_stats_tx_dropped_inc(dev); }
void rbond_netif_carrier_off(struct net_device *dev) { netif_carrier_off(dev); }
bool rbond_is_zero_ether_addr(const struct net_device *dev) { return is_zero_ether_addr(dev->dev_addr); }
void rbond_eth_hw_addr_random(struct net_device *dev) { eth_hw_addr_random(dev); }
unsigned char rbond_addr_assign_type(const struct net_device *dev) { return dev->addr_assign_type; }

/* Lock classes of the master's own (instance lock, address list, tx
 * queues), as C's bonding sets at ndo_init: a master's locks nest inside
 * its lower devices' (a slave's XDP feature change notifies the master with
 * the slave's instance lock held) and a bond's inside another bond's. */
void rbond_lockdep_set_classes(struct net_device *dev)
{
	netdev_lockdep_set_classes(dev);
}

static const struct device_type rbond_type = {
	.name = "bond",
};

void rbond_setup_master(struct net_device *dev)
{
	ether_setup(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->needs_free_netdev = true;
	SET_NETDEV_DEVTYPE(dev, &rbond_type);
	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_BONDING | IFF_UNICAST_FLT | IFF_NO_QUEUE;
	dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);
	dev->lltx = true;
	dev->netns_immutable = true;
	dev->hw_features = MASTER_UPPER_DEV_VLAN_FEATURES |
			   NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_FILTER |
			   NETIF_F_HW_VLAN_STAG_RX | NETIF_F_HW_VLAN_STAG_FILTER;
	dev->hw_features |= NETIF_F_GSO_ENCAP_ALL;
	dev->features |= dev->hw_features;
	dev->features |= NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	dev->features |= NETIF_F_GSO_PARTIAL;
	/* xfrm offload: offered always, on by default only in active-backup
	 * (the Rust setup adds it to features then). */
	dev->hw_features |= rbond_xfrm_features();
}

/*
 * The class attribute is allocated per namespace together with a back
 * pointer to its struct rbond_net, so show/store can find the namespace.
 */
struct rbond_masters_attr {
	struct class_attribute attr;
	struct rbond_net *bn;
};

static ssize_t masters_show(const struct class *cls,
			    const struct class_attribute *attr, char *buf)
{
	const struct rbond_masters_attr *a =
		container_of_const(attr, struct rbond_masters_attr, attr);

	return a->bn->masters_show(a->bn->net, buf);
}

static ssize_t masters_store(const struct class *cls,
			     const struct class_attribute *attr,
			     const char *buf, size_t count)
{
	const struct rbond_masters_attr *a =
		container_of_const(attr, struct rbond_masters_attr, attr);

	return a->bn->masters_store(a->bn->net, buf, count);
}

int rbond_masters_create(struct rbond_net *bn)
{
	struct rbond_masters_attr *a;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->bn = bn;
	a->attr.attr.name = "bonding_masters";
	a->attr.attr.mode = 0644;
	a->attr.show = masters_show;
	a->attr.store = masters_store;
	sysfs_attr_init(&a->attr.attr);
	bn->masters_attr = &a->attr;

	ret = netdev_class_create_file_ns(&a->attr, to_ns_common(bn->net));
	if (ret == -EEXIST) {
		/* As in C: a second bonding module (or a device named
		 * bonding_masters) keeps the first file; not fatal. */
		if (netdev_name_in_use(bn->net, "bonding_masters"))
			pr_err("network device named %s already exists in sysfs\n",
			       "bonding_masters");
		bn->masters_attr = NULL;
		kfree(a);
		return 0;
	}
	if (ret) {
		bn->masters_attr = NULL;
		kfree(a);
	}
	return ret;
}

void rbond_masters_destroy(struct rbond_net *bn)
{
	struct rbond_masters_attr *a;

	if (!bn->masters_attr)
		return;
	a = container_of(bn->masters_attr, struct rbond_masters_attr, attr);
	netdev_class_remove_file_ns(&a->attr, to_ns_common(bn->net));
	bn->masters_attr = NULL;
	kfree(a);
}

void rbond_for_each_netdev_rcu(struct net *net,
			       bool (*fn)(struct net_device *dev, void *ctx),
			       void *ctx)
{
	struct net_device *dev;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!fn(dev, ctx))
			break;
	}
	rcu_read_unlock();
}
