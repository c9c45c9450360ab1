/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the C glue (helpers.c) and the module-private
 * bindings that bindgen generates for src/net/. Only what bindgen cannot
 * reach lives here: static inlines, macros, bitfields and lockdep keys.
 */
#ifndef RBOND_HELPERS_H
#define RBOND_HELPERS_H

#include <linux/types.h>

struct net;
struct net_device;
struct sk_buff;
struct class_attribute;

/* Per-network-namespace state (pernet_operations.size bytes). */
struct rbond_net {
	struct net *net;
	struct class_attribute *masters_attr;
	/* Set by Rust before rbond_masters_create(); called by the file. */
	ssize_t (*masters_show)(struct net *net, char *buf);
	ssize_t (*masters_store)(struct net *net, const char *buf, size_t count);
};

/* --- module parameters (declared in C: charp/int params with C's names) */
int rbond_param_max_bonds(void);
void rbond_param_set_max_bonds(int v);
const char *rbond_param_mode(void);
int rbond_param_tx_queues(void);

/* --- static inlines and macros */
void *rbond_netdev_priv(const struct net_device *dev);
void rbond_dev_net_set(struct net_device *dev, struct net *net);
const char *rbond_dev_name(const struct net_device *dev);
struct net *rbond_init_net(void);
void *rbond_net_generic(const struct net *net, unsigned int id);
/* Count a transmit drop on dev and free skb (any context). */
void rbond_tx_drop(struct net_device *dev, struct sk_buff *skb);
void rbond_kfree_skb_any(struct sk_buff *skb);
void rbond_netif_carrier_off(struct net_device *dev);
bool rbond_is_zero_ether_addr(const struct net_device *dev);
void rbond_eth_hw_addr_random(struct net_device *dev);
unsigned char rbond_addr_assign_type(const struct net_device *dev);

/* Configure a freshly allocated bond master the way C's bond_setup does
 * (ether_setup, flags, priv_flags, feature sets, bitfields). */
void rbond_setup_master(struct net_device *dev);

/* --- /sys/class/net/bonding_masters, one file per network namespace.
 * The file's show/store call bn->masters_show/masters_store. */
int rbond_masters_create(struct rbond_net *bn);
void rbond_masters_destroy(struct rbond_net *bn);

/* Iterate net devices of a namespace under RCU; stops when fn returns false. */
void rbond_for_each_netdev_rcu(struct net *net,
			       bool (*fn)(struct net_device *dev, void *ctx),
			       void *ctx);

#endif
