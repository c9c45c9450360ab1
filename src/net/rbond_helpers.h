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
struct seq_file;
struct netlink_ext_ack;
struct nlattr;

#include <linux/workqueue_types.h>

/* Per-network-namespace state (pernet_operations.size bytes). */
struct rbond_net {
	struct net *net;
	struct class_attribute *masters_attr;
	/* Set by Rust before rbond_masters_create(); called by the file. */
	ssize_t (*masters_show)(struct net *net, char *buf);
	ssize_t (*masters_store)(struct net *net, const char *buf, size_t count);
	/* /proc/net/bonding of this namespace */
	void *proc_dir;
};

/* --- module parameters (declared in C: charp/int params with C's names) */
int rbond_param_max_bonds(void);
void rbond_param_set_max_bonds(int v);
const char *rbond_param_mode(void);
int rbond_param_tx_queues(void);
enum {
	RBOND_P_NUM_PEER_NOTIF, RBOND_P_MIIMON, RBOND_P_UPDELAY, RBOND_P_DOWNDELAY,
	RBOND_P_USE_CARRIER, RBOND_P_ALL_SLAVES_ACTIVE, RBOND_P_RESEND_IGMP,
	RBOND_P_ARP_INTERVAL, RBOND_P_PACKETS_PER_SLAVE, RBOND_P_MIN_LINKS,
	RBOND_P_LP_INTERVAL,
	RBOND_P_PRIMARY, RBOND_P_PRIMARY_RESELECT, RBOND_P_FAIL_OVER_MAC,
	RBOND_P_XMIT_HASH_POLICY, RBOND_P_ARP_VALIDATE, RBOND_P_ARP_ALL_TARGETS,
	RBOND_P_LACP_RATE, RBOND_P_AD_SELECT,
};
/* C's BOND_MAX_ARP_TARGETS. */
#define RBOND_MAX_TARGETS 16
/* The i-th arp_ip_target module parameter, or NULL. */
const char *rbond_param_arp_ip_target(int i);
int rbond_param_int(int which);
const char *rbond_param_str(int which);

/* --- static inlines and macros */
void *rbond_netdev_priv(const struct net_device *dev);
void rbond_dev_net_set(struct net_device *dev, struct net *net);
struct net *rbond_dev_net(const struct net_device *dev);
const char *rbond_dev_name(const struct net_device *dev);
struct net *rbond_init_net(void);
void *rbond_net_generic(const struct net *net, unsigned int id);
/* Count a transmit drop on dev and free skb (any context). */
void rbond_tx_drop(struct net_device *dev, struct sk_buff *skb);
void rbond_kfree_skb_any(struct sk_buff *skb);
void rbond_tx_dropped_inc(struct net_device *dev);
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

/* ===== lower.c: slaves, transmit/receive, work, sysfs, procfs ===== */
unsigned int rbond_dev_flags(const struct net_device *dev);
int rbond_dev_ifindex(const struct net_device *dev);
unsigned short rbond_dev_type(const struct net_device *dev);
unsigned int rbond_dev_mtu(const struct net_device *dev);
void rbond_dev_write_mtu(struct net_device *dev, unsigned int mtu);
void rbond_set_mtu_quiet(struct net_device *dev, unsigned int mtu);
const unsigned char *rbond_dev_addr(const struct net_device *dev);
bool rbond_netif_running(const struct net_device *dev);
bool rbond_netif_carrier_ok(const struct net_device *dev);
bool rbond_netif_running_with_carrier(const struct net_device *dev);
void rbond_netif_carrier_on(struct net_device *dev);
bool rbond_linkwatch_pending(const struct net_device *dev);
bool rbond_has_set_mac(const struct net_device *dev);
bool rbond_is_vlan_challenged(const struct net_device *dev);
unsigned long long rbond_dev_features(const struct net_device *dev);
bool rbond_vlan_uses_dev(const struct net_device *dev);
unsigned long long rbond_netdev_base_features(unsigned long long f);
unsigned long long rbond_netdev_add_tso_features(unsigned long long f, unsigned long long mask);
void rbond_dev_priv_flags_update(struct net_device *dev, bool bonding, bool no_addrconf);
bool rbond_netif_is_bond_master(const struct net_device *dev);
bool rbond_netdev_need_ops_lock(const struct net_device *dev);
int rbond_dev_set_mac(struct net_device *dev, const unsigned char *addr);
void rbond_master_write_addr(struct net_device *master, const unsigned char *addr);
void rbond_eth_random_addr(unsigned char *addr);
int rbond_get_link_ksettings(struct net_device *dev,
			     unsigned int *speed, unsigned char *duplex);
/* hash_type: enum netdev_lag_hash (NETDEV_LAG_HASH_NONE unless tx_type is HASH). */
int rbond_upper_link(struct net_device *lower, struct net_device *master,
		     int tx_type, int hash_type, struct netlink_ext_ack *extack);
void rbond_upper_unlink(struct net_device *lower, struct net_device *master);
struct ethtool_drvinfo;
struct ethtool_link_ksettings;
struct kernel_ethtool_ts_info;
struct kernel_hwtstamp_config;
void rbond_ethtool_drvinfo(struct ethtool_drvinfo *info, const char *driver, const char *fw);
void rbond_ethtool_ksettings(struct ethtool_link_ksettings *cmd, unsigned int speed,
			     unsigned char duplex);
int rbond_ethtool_ts_info(struct net_device *master, struct net_device *lower,
			  struct kernel_ethtool_ts_info *info);
int rbond_hwtstamp_get_lower(struct net_device *lower, struct kernel_hwtstamp_config *cfg);
int rbond_hwtstamp_set_lower(struct net_device *lower, struct kernel_hwtstamp_config *cfg,
			     struct netlink_ext_ack *extack);
void rbond_lower_state_changed(struct net_device *lower, bool link_up, bool tx_enabled);
void rbond_addr_lists_sync(struct net_device *lower, struct net_device *master, bool multiple);
void rbond_addr_lists_unsync(struct net_device *lower, struct net_device *master);
void rbond_addr_lists_sync_locked(struct net_device *lower, struct net_device *master, bool multiple);

/* dev_queue_xmit on lower; returns its NET_XMIT_* / NETDEV_TX_* code. */
struct netpoll;
int rbond_xmit_on(struct net_device *lower, struct netpoll *np, struct sk_buff *skb);
bool rbond_netpoll_tx_running(const struct net_device *dev);
bool rbond_dev_has_netpoll(const struct net_device *dev);
struct netpoll *rbond_netpoll_enable(struct net_device *dev, int *err);
void rbond_netpoll_free(struct netpoll *np);
void rbond_netpoll_poll_dev(struct net_device *dev);
/* skb_get_rx_queue() if skb_rx_queue_recorded(), else -1. */
int rbond_skb_rx_queue(const struct sk_buff *skb);
void rbond_skb_save_queue_mapping(struct sk_buff *skb);
unsigned int rbond_dev_real_num_tx_queues(const struct net_device *dev);
void *rbond_rx_handler_data(const struct net_device *dev);
bool rbond_has_rx_handler(const struct net_device *dev, void *handler);
struct sk_buff *rbond_skb_share_check(struct sk_buff *skb);
struct net_device *rbond_skb_dev(const struct sk_buff *skb);
void rbond_skb_set_dev(struct sk_buff *skb, struct net_device *dev);
bool rbond_skb_dest_link_local(const struct sk_buff *skb);
unsigned char rbond_skb_pkt_type(const struct sk_buff *skb);
struct net_device *rbond_notifier_dev(void *ptr);

/* A delayed work item on the system workqueue calling fn(ctx). */
struct rbond_dwork {
	struct delayed_work dw;
	void (*fn)(void *ctx);
	void *ctx;
};
void rbond_dwork_init(struct rbond_dwork *w, void (*fn)(void *ctx), void *ctx);
bool rbond_dwork_queue(struct rbond_dwork *w, unsigned long delay);
bool rbond_dwork_mod(struct rbond_dwork *w, unsigned long delay);
bool rbond_dwork_cancel_sync(struct rbond_dwork *w);
/* A plain work item on rbond's own workqueue (see rbond_wq_create). */
struct rbond_ework {
	struct work_struct w;
	void (*fn)(void *ctx);
	void *ctx;
};
/* Fault injection points (fault.rs). */
void rbond_fault_init(void);
void rbond_fault_exit(void);
bool rbond_fail_slave_list(void);
int rbond_wq_create(void);
void rbond_wq_destroy(void);
void rbond_ework_init(struct rbond_ework *w, void (*fn)(void *ctx), void *ctx);
bool rbond_ework_queue(struct rbond_ework *w);
bool rbond_ework_cancel(struct rbond_ework *w);
unsigned long rbond_msecs_to_jiffies(unsigned int ms);
unsigned long rbond_jiffies(void);
bool rbond_net_ratelimit(void);
unsigned int rbond_jiffies_to_msecs(unsigned long j);
long rbond_restart_syscall(void);

struct rbond_attr_ops {
	ssize_t (*show)(struct net_device *dev, int idx, char *buf);
	ssize_t (*store)(struct net_device *dev, int idx, const char *buf, size_t count);
	ssize_t (*slave_show)(struct net_device *dev, int idx, char *buf);
};
int rbond_sysfs_init(const struct rbond_attr_ops *ops,
		     const char *const *names, const unsigned short *modes, int n,
		     const char *const *slave_names, const unsigned short *slave_modes, int sn);
void rbond_sysfs_exit(void);
void rbond_sysfs_attach_master(struct net_device *dev);
int rbond_sysfs_slave_add(struct net_device *lower);
void rbond_sysfs_slave_del(struct net_device *lower);

void *rbond_proc_dir_create(struct net *net);
void rbond_proc_dir_remove(struct net *net);
void *rbond_proc_entry_add(void *dir, struct net_device *master);
void rbond_proc_entry_remove(void *entry);
void rbond_seq_write(struct seq_file *m, const char *s, size_t len);
void rbond_proc_set_show(int (*fn)(struct seq_file *m, struct net_device *master));
void rbond_dev_hold(struct net_device *dev);
void rbond_dev_put(struct net_device *dev);
void rbond_synchronize_rcu(void);
/* Call fn(p) after an RCU grace period (process context). */
void rbond_rcu_defer(void (*fn)(void *p), void *p);
void rbond_rcu_barrier(void);
const char *rbond_uts_release(void);
struct nlattr *rbond_nla_nest_start(struct sk_buff *skb, int type, bool nested_flag);
void rbond_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
void rbond_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start);
void rbond_extack_set(struct netlink_ext_ack *extack, const char *msg);
void rbond_rcu_read_lock(void);
void rbond_rcu_read_unlock(void);

/* ===== inet.c: transmit hashing, flow dissector, ARP/NS probes ===== */
unsigned short rbond_skb_protocol(const struct sk_buff *skb);
void rbond_skb_l3(const struct sk_buff *skb, unsigned short *proto, int *nhoff);
unsigned int rbond_skb_headlen(const struct sk_buff *skb);
const unsigned char *rbond_skb_data(const struct sk_buff *skb);
bool rbond_skb_may_pull(struct sk_buff *skb, unsigned int len);
/* The whole VLAN TCI of the skb's hw-accelerated tag, or -1 without one. */
int rbond_skb_vlan_tci(const struct sk_buff *skb);
bool rbond_skb_l4_hash(const struct sk_buff *skb, u32 *hash);
struct sk_buff *rbond_skb_clone(struct sk_buff *skb);
int rbond_skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
/* What the flow dissector found, in the shape the hash policies use. */
struct rbond_flow {
	u32 src, dst, ports;
	u8 icmp_type, icmp_code;
	u16 icmp_id;
};
void rbond_flow_dissector_init(void);
bool rbond_flow_dissect(struct net *net, struct sk_buff *skb, struct rbond_flow *out);
void *rbond_percpu_u32_alloc(void);
void rbond_percpu_u32_free(void *p);
u32 rbond_percpu_u32_inc_return(void *p);
u32 rbond_get_random_u32(void);
/* Output device of the route to dst (a held reference) or NULL; *no_route
 * tells a failed lookup from a route without device. */
struct net_device *rbond_route_dev_v4(struct net *net, __be32 dst, bool *no_route);
__be32 rbond_confirm_addr(struct net_device *dev, __be32 dst, __be32 local);
struct net_device *rbond_upper_next_rcu(struct net_device *dev, void **iter);
bool rbond_vlan_dev_info(const struct net_device *dev, unsigned short *proto, unsigned short *vid);
struct sk_buff *rbond_arp_request(struct net_device *slave, __be32 dst, __be32 src);
void rbond_arp_xmit(struct sk_buff *skb);
/* Push a VLAN header (frees the skb and returns NULL on failure). */
struct sk_buff *rbond_vlan_insert_tag(struct sk_buff *skb, unsigned short proto, unsigned short vid);
void rbond_vlan_hwaccel_put_tag(struct sk_buff *skb, unsigned short proto, unsigned short vid);
bool rbond_ipv6_enabled(void);
struct net_device *rbond_route_dev_v6(struct net *net, const u8 *daddr, bool *no_route);
bool rbond_ipv6_saddr(struct net_device *dev, const u8 *daddr, u8 *saddr);
bool rbond_ipv6_chk_addr(struct net_device *dev, const u8 *addr);
struct sk_buff *rbond_ns_create(struct net_device *slave, const u8 *daddr, const u8 *saddr);
void rbond_ns_send(struct sk_buff *skb, const u8 *daddr, const u8 *saddr);
void rbond_ns_maddr(struct net_device *dev, const u8 *target, bool add);
/* 802.3ad (lacp.c). */
int rbond_slow_xmit(struct net_device *dev, const u8 *src, const u8 *payload, unsigned int len);
bool rbond_skb_dest_is_slow_group(const struct sk_buff *skb);
int rbond_dev_mc_add_slow_group(struct net_device *dev);
int rbond_dev_mc_del_slow_group(struct net_device *dev);
void rbond_consume_skb(struct sk_buff *skb);
bool rbond_capable_net_admin(void);
int rbond_nla_put_u64_64bit(struct sk_buff *skb, int type, u64 value, int pad);

/* --- balance-tlb / balance-alb (alb.c) */
/* spin_lock_bh and friends on a spinlock_t initialised by the kernel crate;
 * lock returns whether it turned bottom halves off (they may be off already),
 * which unlock is given back. */
bool rbond_spin_lock_bh(void *lock);
void rbond_spin_unlock_bh(void *lock, bool bh);
int rbond_spin_trylock_bh(void *lock);
unsigned int rbond_skb_len(const struct sk_buff *skb);
/* Outgoing frame: copy out the Ethernet destination (6 bytes). */
void rbond_skb_eth_dest(const struct sk_buff *skb, u8 *out);
/* Outgoing frame: unshare the header and set the Ethernet source. */
int rbond_skb_set_eth_src(struct sk_buff *skb, const u8 *mac);
/* Outgoing ARP: unshare the header and set the sender hardware address. */
int rbond_skb_set_arp_sha(struct sk_buff *skb, const u8 *mac);
/* Received frame: unshare the header and set the Ethernet destination. */
int rbond_skb_rx_set_dest(struct sk_buff *skb, const u8 *mac);
/* Send a learning packet (ETH_P_LOOPBACK, @mac as source and destination). */
void rbond_alb_learning_packet(struct net_device *slave, const u8 *mac,
			       unsigned short proto, unsigned short vid);
/* Send one ARP reply "ip_src is at slave's MAC" to ip_dst/mac_dst. */
int rbond_rlb_arp_update(struct net_device *slave, u32 ip_dst, u32 ip_src,
			 const u8 *mac_dst, unsigned short vlan_tci);
/* Whether @ip (network order) is an address of a bridge master. */
bool rbond_ip_on_bridge(struct net *net, u32 ip);
bool rbond_netif_is_macvlan(const struct net_device *dev);
bool rbond_netif_is_bridge_port(const struct net_device *dev);
int rbond_lower_level(const struct net_device *dev);


struct header_ops;
int rbond_master_take_addr_of(struct net_device *master, const struct net_device *lower);
int rbond_notify_pre_type_change(struct net_device *dev);
void rbond_notify_post_type_change(struct net_device *dev);
void rbond_addr_lists_flush(struct net_device *dev);
void rbond_setup_by_lower(struct net_device *master, const struct net_device *lower,
			  const struct header_ops *ops);
void rbond_master_ether_setup(struct net_device *master);
int rbond_lower_header_create(struct net_device *lower, struct sk_buff *skb,
			      unsigned short type, const void *daddr,
			      const void *saddr, unsigned int len);
int rbond_lower_header_parse(const struct net_device *lower, const struct sk_buff *skb,
			     unsigned char *haddr);

unsigned char rbond_dev_addr_len(const struct net_device *dev);

/* ===== xfrm.c: IPsec offload through a master ===== */
struct xfrm_state;
struct xfrmdev_ops;
/* Bits of rbond_xdo_ops(): which xfrmdev_ops callbacks a device has. */
#define RBOND_XDO_ADD		1
#define RBOND_XDO_DELETE	2
#define RBOND_XDO_FREE		4
#define RBOND_XDO_ADVANCE_ESN	8
#define RBOND_XDO_UPDATE_STATS	16
unsigned long long rbond_xfrm_features(void);
void rbond_set_xfrmdev_ops(struct net_device *dev, const struct xfrmdev_ops *ops);
unsigned int rbond_xdo_ops(const struct net_device *dev);
int rbond_xdo_state_add(struct net_device *dev, struct xfrm_state *xs,
			struct netlink_ext_ack *extack);
void rbond_xdo_state_delete(struct net_device *dev, struct xfrm_state *xs);
void rbond_xdo_state_free(struct net_device *dev, struct xfrm_state *xs);
void rbond_xdo_advance_esn(struct net_device *dev, struct xfrm_state *xs);
void rbond_xdo_update_stats(struct net_device *dev, struct xfrm_state *xs);
struct net_device *rbond_xs_dev(const struct xfrm_state *xs);
struct net_device *rbond_xs_real_dev(const struct xfrm_state *xs);
void rbond_xs_set_real_dev(struct xfrm_state *xs, struct net_device *dev);
bool rbond_xs_dead(const struct xfrm_state *xs);
void rbond_xs_lock(struct xfrm_state *xs);
void rbond_xs_unlock(struct xfrm_state *xs);
void rbond_xfrm_flush(struct net_device *dev);
/* Warning sites of rbond_xfrm_ratelimit(). */
#define RBOND_XFRM_RL_REAL_DEV	0
#define RBOND_XFRM_RL_ESN	1
#define RBOND_XFRM_RL_STATS	2
bool rbond_xfrm_ratelimit(int site);
void rbond_dev_set_wanted_features(struct net_device *dev, unsigned long long mask, bool on);
bool rbond_dev_registered(const struct net_device *dev);
void rbond_dev_add_features(struct net_device *dev, unsigned long long mask);

void rbond_lockdep_set_classes(struct net_device *dev);

/* ===== xdp.c: XDP through a master ===== */
struct bpf_prog;
struct netdev_bpf;
struct xdp_buff;
struct xdp_frame;
bool rbond_netdev_bpf_setup_prog(struct netdev_bpf *bpf, struct bpf_prog **prog,
				 struct netlink_ext_ack **extack);
void rbond_bpf_prog_inc(struct bpf_prog *prog);
void rbond_bpf_prog_put(struct bpf_prog *prog);
void rbond_xdp_master_redirect(bool on);
bool rbond_xdp_capable(const struct net_device *dev);
unsigned int rbond_xdp_prog_count(struct net_device *dev);
int rbond_xdp_propagate(struct net_device *dev, struct bpf_prog *prog,
			struct netlink_ext_ack *extack);
u32 rbond_xdp_features(const struct net_device *dev);
u32 rbond_xdp_features_all(void);
void rbond_xdp_set_features(struct net_device *dev, u32 val);
const void *rbond_xdp_buff_data(const struct xdp_buff *xdp, unsigned int *len);
const void *rbond_xdp_frame_data(const struct xdp_frame *frame, unsigned int *len);
int rbond_xdp_xmit_one(struct net_device *dev, struct xdp_frame *frame, u32 flags);
bool rbond_flow_dissect_data(struct net *net, const void *data, u16 proto, int nhoff,
			     int hlen, struct rbond_flow *out);

#endif
