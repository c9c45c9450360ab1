// SPDX-License-Identifier: GPL-2.0
/*
 * C glue for slaves (lower devices), the transmit/receive hooks, delayed
 * work, sysfs attribute groups and procfs entries. Thin wrappers only: they
 * exist because the kernel API is a static inline, a macro, a bitfield or a
 * struct bindgen cannot build; every decision is made in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/netdev_lock.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/uaccess.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/sched/signal.h>
#include <net/sch_generic.h>
#include <linux/netpoll.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <generated/utsrelease.h>

#include "rbond_helpers.h"

/* --- device fields */
unsigned int rbond_dev_flags(const struct net_device *dev) { return READ_ONCE(dev->flags); }
int rbond_dev_ifindex(const struct net_device *dev) { return READ_ONCE(dev->ifindex); }
unsigned short rbond_dev_type(const struct net_device *dev) { return dev->type; }
unsigned int rbond_dev_mtu(const struct net_device *dev) { return READ_ONCE(dev->mtu); }
void rbond_dev_write_mtu(struct net_device *dev, unsigned int mtu) { WRITE_ONCE(dev->mtu, mtu); }
void rbond_set_mtu_quiet(struct net_device *dev, unsigned int mtu)
{
	netdev_lock_ops(dev);
	__netif_set_mtu(dev, mtu);
	netdev_unlock_ops(dev);
}
const unsigned char *rbond_dev_addr(const struct net_device *dev) { return dev->dev_addr; }
unsigned char rbond_dev_addr_len(const struct net_device *dev) { return dev->addr_len; }
bool rbond_netif_running(const struct net_device *dev) { return netif_running(dev); }
bool rbond_netif_carrier_ok(const struct net_device *dev) { return netif_carrier_ok(dev); }
bool rbond_netif_running_with_carrier(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}
void rbond_netif_carrier_on(struct net_device *dev) { netif_carrier_on(dev); }
bool rbond_linkwatch_pending(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
}
bool rbond_has_set_mac(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_set_mac_address != NULL;
}
bool rbond_is_vlan_challenged(const struct net_device *dev)
{
	return dev->features & NETIF_F_VLAN_CHALLENGED;
}
unsigned long long rbond_dev_features(const struct net_device *dev) { return dev->features; }
bool rbond_vlan_uses_dev(const struct net_device *dev) { return vlan_uses_dev(dev); }
void rbond_dev_set_wanted_features(struct net_device *dev, unsigned long long mask, bool on)
{
	if (on)
		dev->wanted_features |= mask;
	else
		dev->wanted_features &= ~mask;
}
void rbond_dev_add_features(struct net_device *dev, unsigned long long mask) { dev->features |= mask; }
bool rbond_dev_registered(const struct net_device *dev) { return dev->reg_state == NETREG_REGISTERED; }
unsigned long long rbond_netdev_base_features(unsigned long long f) { return netdev_base_features(f); }
unsigned long long rbond_netdev_add_tso_features(unsigned long long f, unsigned long long mask)
{
	return netdev_add_tso_features(f, mask);
}

void rbond_dev_priv_flags_update(struct net_device *dev, bool bonding, bool no_addrconf)
{
	if (bonding)
		dev->priv_flags |= IFF_BONDING;
	else
		dev->priv_flags &= ~IFF_BONDING;
	if (no_addrconf)
		dev->priv_flags |= IFF_NO_ADDRCONF;
	else
		dev->priv_flags &= ~IFF_NO_ADDRCONF;
}

bool rbond_netif_is_bond_master(const struct net_device *dev) { return netif_is_bond_master(dev); }
bool rbond_netdev_need_ops_lock(const struct net_device *dev) { return netdev_need_ops_lock(dev); }

int rbond_dev_set_mac(struct net_device *dev, const unsigned char *addr)
{
	struct sockaddr_storage ss = {};

	/* The caller's buffer has ETH_ALEN bytes. */
	memcpy(ss.__data, addr, min_t(unsigned int, dev->addr_len, ETH_ALEN));
	ss.ss_family = dev->type;
	return dev_set_mac_address(dev, &ss, NULL);
}

/* Take over a lower device's address as the master's own (C's
 * bond_set_dev_addr), copied straight from the lower device (any address
 * length: the master took the lower device's type, so their lengths agree).
 */
int rbond_master_take_addr_of(struct net_device *master, const struct net_device *lower)
{
	int err = netif_pre_changeaddr_notify(master, lower->dev_addr, NULL);

	if (err)
		return err;
	dev_addr_set(master, lower->dev_addr);
	master->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, master);
	return 0;
}

/* --- device type of a master (non-Ethernet slaves) */
int rbond_notify_pre_type_change(struct net_device *dev)
{
	return notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_TYPE_CHANGE, dev));
}

void rbond_notify_post_type_change(struct net_device *dev)
{
	call_netdevice_notifiers(NETDEV_POST_TYPE_CHANGE, dev);
}

void rbond_addr_lists_flush(struct net_device *dev)
{
	dev_uc_flush(dev);
	dev_mc_flush(dev);
}

/* The master takes the lower device's link-layer type; its header ops (if
 * the lower device has any) forward to the active lower device's.
 */
void rbond_setup_by_lower(struct net_device *master, const struct net_device *lower,
			  const struct header_ops *ops)
{
	bool was_up = !!(master->flags & IFF_UP);

	dev_close(master);
	master->header_ops = lower->header_ops ? ops : NULL;
	master->type = lower->type;
	master->hard_header_len = lower->hard_header_len;
	master->needed_headroom = lower->needed_headroom;
	master->addr_len = lower->addr_len;
	memcpy(master->broadcast, lower->broadcast, lower->addr_len);
	if (lower->flags & IFF_POINTOPOINT) {
		master->flags &= ~(IFF_BROADCAST | IFF_MULTICAST);
		master->flags |= IFF_POINTOPOINT | IFF_NOARP;
	}
	if (was_up)
		dev_open(master, NULL);
}

/* Back to Ethernet, keeping the flags a master (and maybe slave) has. */
void rbond_master_ether_setup(struct net_device *master)
{
	unsigned int flags = master->flags & (IFF_SLAVE | IFF_UP);

	ether_setup(master);
	master->flags |= IFF_MASTER | flags;
	master->priv_flags &= ~IFF_TX_SKB_SHARING;
}

int rbond_lower_header_create(struct net_device *lower, struct sk_buff *skb,
			      unsigned short type, const void *daddr,
			      const void *saddr, unsigned int len)
{
	const struct header_ops *ops = READ_ONCE(lower->header_ops);

	if (ops && ops->create)
		return ops->create(skb, lower, type, daddr, saddr, len);
	return 0;
}

int rbond_lower_header_parse(const struct net_device *lower, const struct sk_buff *skb,
			     unsigned char *haddr)
{
	const struct header_ops *ops = READ_ONCE(lower->header_ops);

	if (ops && ops->parse)
		return ops->parse(skb, lower, haddr);
	return 0;
}

/* Plain address write of the master (ndo_set_mac_address success path). */
void rbond_master_write_addr(struct net_device *master, const unsigned char *addr)
{
	/* The caller's buffer has ETH_ALEN bytes. */
	__dev_addr_set(master, addr, min_t(unsigned int, master->addr_len, ETH_ALEN));
}

void rbond_eth_random_addr(unsigned char *addr) { eth_random_addr(addr); }

int rbond_get_link_ksettings(struct net_device *dev,
			     unsigned int *speed, unsigned char *duplex)
{
	struct ethtool_link_ksettings ecmd;
	int res;

	netdev_lock_ops(dev);
	res = netif_get_link_ksettings(dev, &ecmd);
	netdev_unlock_ops(dev);
	if (res < 0)
		return res;
	if (ecmd.base.speed == 0 || ecmd.base.speed == ((__u32)-1))
		return -EINVAL;
	if (ecmd.base.duplex != DUPLEX_FULL && ecmd.base.duplex != DUPLEX_HALF)
		return -EINVAL;
	*speed = ecmd.base.speed;
	*duplex = ecmd.base.duplex;
	return 0;
}

int rbond_upper_link(struct net_device *lower, struct net_device *master,
		     int tx_type, int hash_type, struct netlink_ext_ack *extack)
{
	struct netdev_lag_upper_info info = {
		.tx_type = tx_type,
		.hash_type = hash_type,
	};

	int err = netdev_master_upper_dev_link(lower, master, NULL, &info, extack);

	if (err)
		return err;
	lower->flags |= IFF_SLAVE;
	return 0;
}

void rbond_upper_unlink(struct net_device *lower, struct net_device *master)
{
	netdev_upper_dev_unlink(lower, master);
	lower->flags &= ~IFF_SLAVE;
}

/* --- ethtool and time stamping of a master */
void rbond_ethtool_drvinfo(struct ethtool_drvinfo *info, const char *driver, const char *fw)
{
	strscpy(info->driver, driver, sizeof(info->driver));
	strscpy(info->fw_version, fw, sizeof(info->fw_version));
}

void rbond_ethtool_ksettings(struct ethtool_link_ksettings *cmd, unsigned int speed,
			     unsigned char duplex)
{
	cmd->base.speed = speed;
	cmd->base.duplex = duplex;
	cmd->base.port = PORT_OTHER;
}

/* The time stamping of `lower` (the master passes requests to it), or with
 * none, software transmit stamps if every lower device has them. */
int rbond_ethtool_ts_info(struct net_device *master, struct net_device *lower,
			  struct kernel_ethtool_ts_info *info)
{
	struct kernel_ethtool_ts_info ts_info;
	struct net_device *ldev;
	struct list_head *iter;
	bool sw_tx = false;
	int ret = 0;

	if (lower)
		return ethtool_get_ts_info_by_layer(lower, info);
	rcu_read_lock();
	iter = &master->adj_list.lower;
	for (ldev = netdev_next_lower_dev_rcu(master, &iter); ldev;
	     ldev = netdev_next_lower_dev_rcu(master, &iter)) {
		ret = ethtool_get_ts_info_by_layer(ldev, &ts_info);
		if (!ret && (ts_info.so_timestamping & SOF_TIMESTAMPING_TX_SOFTWARE)) {
			sw_tx = true;
			continue;
		}
		sw_tx = false;
		break;
	}
	rcu_read_unlock();
	if (sw_tx)
		info->so_timestamping |= SOF_TIMESTAMPING_TX_SOFTWARE;
	return ret;
}

/* Tell user space the stamps come from the lower device's clock
 * (HWTSTAMP_FLAG_BONDED_PHC_INDEX), as the C driver does. */
static int rbond_set_phc_index_flag(struct kernel_hwtstamp_config *kcfg)
{
	struct ifreq *ifr = kcfg->ifr;
	struct hwtstamp_config cfg;

	if (kcfg->copied_to_user) {
		if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
			return -EFAULT;
		cfg.flags |= HWTSTAMP_FLAG_BONDED_PHC_INDEX;
		if (copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)))
			return -EFAULT;
	} else {
		kcfg->flags |= HWTSTAMP_FLAG_BONDED_PHC_INDEX;
	}
	return 0;
}

int rbond_hwtstamp_get_lower(struct net_device *lower, struct kernel_hwtstamp_config *cfg)
{
	int err = generic_hwtstamp_get_lower(lower, cfg);

	return err ? err : rbond_set_phc_index_flag(cfg);
}

int rbond_hwtstamp_set_lower(struct net_device *lower, struct kernel_hwtstamp_config *cfg,
			     struct netlink_ext_ack *extack)
{
	int err;

	/* Only requests that know the clock is the lower device's. */
	if (!(cfg->flags & HWTSTAMP_FLAG_BONDED_PHC_INDEX))
		return -EOPNOTSUPP;
	err = generic_hwtstamp_set_lower(lower, cfg, extack);
	return err ? err : rbond_set_phc_index_flag(cfg);
}

void rbond_lower_state_changed(struct net_device *lower, bool link_up, bool tx_enabled)
{
	struct netdev_lag_lower_state_info info = {
		.link_up = link_up,
		.tx_enabled = tx_enabled,
	};

	netdev_lower_state_changed(lower, &info);
}

/* Copy the master's address lists to a lower device (process context). */
void rbond_addr_lists_sync(struct net_device *lower, struct net_device *master, bool multiple)
{
	netif_addr_lock_bh(master);
	rbond_addr_lists_sync_locked(lower, master, multiple);
	netif_addr_unlock_bh(master);
}

/* Remove the master's address lists from a lower device (process context). */
void rbond_addr_lists_unsync(struct net_device *lower, struct net_device *master)
{
	dev_uc_unsync(lower, master);
	dev_mc_unsync(lower, master);
}

/* ndo_set_rx_mode: the master's address lock is already held. */
void rbond_addr_lists_sync_locked(struct net_device *lower, struct net_device *master, bool multiple)
{
	if (multiple) {
		dev_uc_sync_multiple(lower, master);
		dev_mc_sync_multiple(lower, master);
	} else {
		dev_uc_sync(lower, master);
		dev_mc_sync(lower, master);
	}
}

/* --- transmit and receive */
int rbond_xmit_on(struct net_device *lower, struct netpoll *np, struct sk_buff *skb)
{
	skb->dev = lower;
	skb->queue_mapping = qdisc_skb_cb(skb)->slave_dev_queue_mapping;
	/* netpoll transmits with interrupts off: through the slave's own
	 * netpoll, never dev_queue_xmit (which would turn bottom halves on).
	 */
	if (unlikely(netpoll_tx_running(lower)))
		return netpoll_send_skb(np, skb);
	return dev_queue_xmit(skb);
}

bool rbond_netpoll_tx_running(const struct net_device *dev)
{
	return netpoll_tx_running((struct net_device *)dev);
}

bool rbond_dev_has_netpoll(const struct net_device *dev)
{
	return rcu_access_pointer(dev->npinfo) != NULL;
}

struct netpoll *rbond_netpoll_enable(struct net_device *dev, int *err)
{
	struct netpoll *np = kzalloc(sizeof(*np), GFP_KERNEL);

	if (!np) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = __netpoll_setup(np, dev);
	if (*err) {
		kfree(np);
		return NULL;
	}
	return np;
}

void rbond_netpoll_free(struct netpoll *np) { __netpoll_free(np); }
void rbond_netpoll_poll_dev(struct net_device *dev) { netpoll_poll_dev(dev); }

int rbond_skb_rx_queue(const struct sk_buff *skb)
{
	return skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : -1;
}

void rbond_skb_save_queue_mapping(struct sk_buff *skb)
{
	qdisc_skb_cb(skb)->slave_dev_queue_mapping = skb_get_queue_mapping(skb);
}

unsigned int rbond_dev_real_num_tx_queues(const struct net_device *dev)
{
	return READ_ONCE(dev->real_num_tx_queues);
}

void *rbond_rx_handler_data(const struct net_device *dev)
{
	return rcu_dereference_rtnl(dev->rx_handler_data);
}

bool rbond_has_rx_handler(const struct net_device *dev, void *handler)
{
	return rcu_access_pointer(dev->rx_handler) == handler;
}

struct sk_buff *rbond_skb_share_check(struct sk_buff *skb) { return skb_share_check(skb, GFP_ATOMIC); }
struct net_device *rbond_skb_dev(const struct sk_buff *skb) { return skb->dev; }
void rbond_skb_set_dev(struct sk_buff *skb, struct net_device *dev) { skb->dev = dev; }
bool rbond_skb_dest_link_local(const struct sk_buff *skb)
{
	return is_link_local_ether_addr(eth_hdr(skb)->h_dest);
}
unsigned char rbond_skb_pkt_type(const struct sk_buff *skb) { return skb->pkt_type; }

struct net_device *rbond_notifier_dev(void *ptr) { return netdev_notifier_info_to_dev(ptr); }

/* --- delayed work on the system workqueue */
static void rbond_dwork_fn(struct work_struct *work)
{
	struct rbond_dwork *w = container_of(to_delayed_work(work), struct rbond_dwork, dw);

	w->fn(w->ctx);
}

void rbond_dwork_init(struct rbond_dwork *w, void (*fn)(void *ctx), void *ctx)
{
	INIT_DELAYED_WORK(&w->dw, rbond_dwork_fn);
	w->fn = fn;
	w->ctx = ctx;
}

bool rbond_dwork_queue(struct rbond_dwork *w, unsigned long delay)
{
	return queue_delayed_work(system_percpu_wq, &w->dw, delay);
}

bool rbond_dwork_mod(struct rbond_dwork *w, unsigned long delay)
{
	return mod_delayed_work(system_percpu_wq, &w->dw, delay);
}

bool rbond_dwork_cancel_sync(struct rbond_dwork *w) { return cancel_delayed_work_sync(&w->dw); }

/* --- fault injection points (fault.rs) */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static DECLARE_FAULT_ATTR(rbond_fail_list);
static struct dentry *rbond_fault_dir;

void rbond_fault_init(void)
{
	struct dentry *d = fault_create_debugfs_attr("fail_rbond_slave_list", NULL,
						     &rbond_fail_list);

	rbond_fault_dir = IS_ERR(d) ? NULL : d;
}

void rbond_fault_exit(void)
{
	debugfs_remove_recursive(rbond_fault_dir);
	rbond_fault_dir = NULL;
}

bool rbond_fail_slave_list(void) { return should_fail(&rbond_fail_list, 1); }
#else
void rbond_fault_init(void) { }
void rbond_fault_exit(void) { }
bool rbond_fail_slave_list(void) { return false; }
#endif

/* --- work items on rbond's own workqueue: destroying it at module exit
 * waits for every item, so none can run module code after unload. */
static struct workqueue_struct *rbond_wq;

int rbond_wq_create(void)
{
	rbond_wq = alloc_workqueue("rbond", WQ_UNBOUND | WQ_HIGHPRI, 0);
	return rbond_wq ? 0 : -ENOMEM;
}

void rbond_wq_destroy(void)
{
	destroy_workqueue(rbond_wq);
	rbond_wq = NULL;
}

static void rbond_ework_fn(struct work_struct *work)
{
	struct rbond_ework *w = container_of(work, struct rbond_ework, w);

	w->fn(w->ctx);
}

void rbond_ework_init(struct rbond_ework *w, void (*fn)(void *ctx), void *ctx)
{
	INIT_WORK(&w->w, rbond_ework_fn);
	w->fn = fn;
	w->ctx = ctx;
}

bool rbond_ework_queue(struct rbond_ework *w) { return queue_work(rbond_wq, &w->w); }
bool rbond_ework_cancel(struct rbond_ework *w) { return cancel_work(&w->w); }

unsigned long rbond_msecs_to_jiffies(unsigned int ms) { return msecs_to_jiffies(ms); }
unsigned long rbond_jiffies(void) { return jiffies; }
bool rbond_net_ratelimit(void) { return net_ratelimit(); }
unsigned int rbond_jiffies_to_msecs(unsigned long j) { return jiffies_to_msecs(j); }
long rbond_restart_syscall(void) { return restart_syscall(); }

/* --- sysfs: bonding/ of masters and bonding_slave/ of slaves.
 * Names and modes come from Rust's option table; show/store go back to Rust
 * with the attribute's index. */
struct rbond_attr_set {
	struct device_attribute *attrs;
	struct attribute **ptrs;
	struct attribute_group group;
	int n;
};

static struct rbond_attr_set bond_set, slave_set;
static const struct rbond_attr_ops *attr_ops;

static int attr_index(const struct rbond_attr_set *set, const struct device_attribute *a)
{
	return a - set->attrs;
}

static ssize_t bond_attr_show(struct device *d, struct device_attribute *a, char *buf)
{
	return attr_ops->show(to_net_dev(d), attr_index(&bond_set, a), buf);
}

static ssize_t bond_attr_store(struct device *d, struct device_attribute *a,
			       const char *buf, size_t count)
{
	return attr_ops->store(to_net_dev(d), attr_index(&bond_set, a), buf, count);
}

static ssize_t slave_attr_show(struct device *d, struct device_attribute *a, char *buf)
{
	return attr_ops->slave_show(to_net_dev(d), attr_index(&slave_set, a), buf);
}

static void attr_set_free(struct rbond_attr_set *set)
{
	kfree(set->attrs);
	kfree(set->ptrs);
	set->attrs = NULL;
	set->ptrs = NULL;
}

static int attr_set_init(struct rbond_attr_set *set, const char *group,
			 const char *const *names, const unsigned short *modes, int n,
			 bool slave)
{
	int i;

	set->attrs = kcalloc(n, sizeof(*set->attrs), GFP_KERNEL);
	set->ptrs = kcalloc(n + 1, sizeof(*set->ptrs), GFP_KERNEL);
	if (!set->attrs || !set->ptrs) {
		attr_set_free(set);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct device_attribute *a = &set->attrs[i];

		sysfs_attr_init(&a->attr);
		a->attr.name = names[i];
		a->attr.mode = modes[i];
		a->show = slave ? slave_attr_show : bond_attr_show;
		a->store = (!slave && (modes[i] & 0222)) ? bond_attr_store : NULL;
		set->ptrs[i] = &a->attr;
	}
	set->group.name = group;
	set->group.attrs = set->ptrs;
	set->n = n;
	return 0;
}

int rbond_sysfs_init(const struct rbond_attr_ops *ops,
		     const char *const *names, const unsigned short *modes, int n,
		     const char *const *slave_names, const unsigned short *slave_modes, int sn)
{
	int err;

	attr_ops = ops;
	err = attr_set_init(&bond_set, "bonding", names, modes, n, false);

	if (err)
		return err;
	err = attr_set_init(&slave_set, "bonding_slave", slave_names, slave_modes, sn, true);
	if (err)
		attr_set_free(&bond_set);
	return err;
}

void rbond_sysfs_exit(void)
{
	attr_set_free(&bond_set);
	attr_set_free(&slave_set);
}

void rbond_sysfs_attach_master(struct net_device *dev)
{
	if (bond_set.attrs)
		dev->sysfs_groups[0] = &bond_set.group;
}

int rbond_sysfs_slave_add(struct net_device *lower)
{
	return sysfs_create_group(&lower->dev.kobj, &slave_set.group);
}

void rbond_sysfs_slave_del(struct net_device *lower)
{
	sysfs_remove_group(&lower->dev.kobj, &slave_set.group);
}

/* --- procfs: /proc/net/bonding/<bond> */
static int (*proc_show_fn)(struct seq_file *m, struct net_device *master);

static int proc_show(struct seq_file *m, void *v)
{
	return proc_show_fn(m, m->private);
}

void rbond_proc_set_show(int (*fn)(struct seq_file *m, struct net_device *master))
{
	proc_show_fn = fn;
}

void *rbond_proc_dir_create(struct net *net) { return proc_mkdir("bonding", net->proc_net); }
void rbond_proc_dir_remove(struct net *net) { remove_proc_entry("bonding", net->proc_net); }

void *rbond_proc_entry_add(void *dir, struct net_device *master)
{
	return proc_create_single_data(master->name, 0444, dir, proc_show, master);
}

void rbond_proc_entry_remove(void *entry) { proc_remove(entry); }

void rbond_seq_write(struct seq_file *m, const char *s, size_t len) { seq_write(m, s, len); }

void rbond_dev_hold(struct net_device *dev) { dev_hold(dev); }
void rbond_dev_put(struct net_device *dev) { dev_put(dev); }
void rbond_synchronize_rcu(void) { synchronize_rcu(); }
void rbond_rcu_read_lock(void) { rcu_read_lock(); }
void rbond_rcu_read_unlock(void) { rcu_read_unlock(); }

/* --- netlink */
struct nlattr *rbond_nla_nest_start(struct sk_buff *skb, int type, bool nested_flag)
{
	return nested_flag ? nla_nest_start(skb, type) : nla_nest_start_noflag(skb, type);
}
void rbond_nla_nest_end(struct sk_buff *skb, struct nlattr *start) { nla_nest_end(skb, start); }
void rbond_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start) { nla_nest_cancel(skb, start); }
void rbond_extack_set(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

/* --- deferred frees after an RCU grace period */
struct rbond_rcu_cb {
	struct rcu_head rcu;
	void (*fn)(void *p);
	void *p;
};

static void rbond_rcu_cb_fn(struct rcu_head *h)
{
	struct rbond_rcu_cb *c = container_of(h, struct rbond_rcu_cb, rcu);

	c->fn(c->p);
	kfree(c);
}

void rbond_rcu_defer(void (*fn)(void *p), void *p)
{
	struct rbond_rcu_cb *c = kmalloc(sizeof(*c), GFP_KERNEL);

	if (!c) {
		synchronize_rcu();
		fn(p);
		return;
	}
	c->fn = fn;
	c->p = p;
	call_rcu(&c->rcu, rbond_rcu_cb_fn);
}

void rbond_rcu_barrier(void) { rcu_barrier(); }

const char *rbond_uts_release(void) { return UTS_RELEASE; }
