// SPDX-License-Identifier: GPL-2.0
/*
 * C glue for IPsec (xfrm) offload through a master: field access on struct
 * xfrm_state and calls through a lower device's xfrmdev_ops. Thin wrappers
 * only (bindgen cannot see struct xfrm_state's layout from our header set);
 * which device an SA goes to, and when, is decided in Rust (src/net/xfrm.rs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <net/xfrm.h>

#include "rbond_helpers.h"

#ifdef CONFIG_XFRM_OFFLOAD

unsigned long long rbond_xfrm_features(void)
{
	return NETIF_F_HW_ESP | NETIF_F_HW_ESP_TX_CSUM | NETIF_F_GSO_ESP;
}

void rbond_set_xfrmdev_ops(struct net_device *dev, const struct xfrmdev_ops *ops)
{
	dev->xfrmdev_ops = ops;
}

unsigned int rbond_xdo_ops(const struct net_device *dev)
{
	const struct xfrmdev_ops *ops = dev->xfrmdev_ops;
	unsigned int have = 0;

	if (!ops)
		return 0;
	if (ops->xdo_dev_state_add)
		have |= RBOND_XDO_ADD;
	if (ops->xdo_dev_state_delete)
		have |= RBOND_XDO_DELETE;
	if (ops->xdo_dev_state_free)
		have |= RBOND_XDO_FREE;
	if (ops->xdo_dev_state_advance_esn)
		have |= RBOND_XDO_ADVANCE_ESN;
	if (ops->xdo_dev_state_update_stats)
		have |= RBOND_XDO_UPDATE_STATS;
	return have;
}

int rbond_xdo_state_add(struct net_device *dev, struct xfrm_state *xs,
			struct netlink_ext_ack *extack)
{
	return dev->xfrmdev_ops->xdo_dev_state_add(dev, xs, extack);
}

void rbond_xdo_state_delete(struct net_device *dev, struct xfrm_state *xs)
{
	dev->xfrmdev_ops->xdo_dev_state_delete(dev, xs);
}

void rbond_xdo_state_free(struct net_device *dev, struct xfrm_state *xs)
{
	dev->xfrmdev_ops->xdo_dev_state_free(dev, xs);
}

void rbond_xdo_advance_esn(struct net_device *dev, struct xfrm_state *xs)
{
	dev->xfrmdev_ops->xdo_dev_state_advance_esn(xs);
}

void rbond_xdo_update_stats(struct net_device *dev, struct xfrm_state *xs)
{
	dev->xfrmdev_ops->xdo_dev_state_update_stats(xs);
}

struct net_device *rbond_xs_dev(const struct xfrm_state *xs)
{
	return READ_ONCE(xs->xso.dev);
}

struct net_device *rbond_xs_real_dev(const struct xfrm_state *xs)
{
	return READ_ONCE(xs->xso.real_dev);
}

void rbond_xs_set_real_dev(struct xfrm_state *xs, struct net_device *dev)
{
	WRITE_ONCE(xs->xso.real_dev, dev);
}

bool rbond_xs_dead(const struct xfrm_state *xs)
{
	return xs->km.state == XFRM_STATE_DEAD;
}

void rbond_xs_lock(struct xfrm_state *xs)
{
	spin_lock_bh(&xs->lock);
}

void rbond_xs_unlock(struct xfrm_state *xs)
{
	spin_unlock_bh(&xs->lock);
}

void rbond_xfrm_flush(struct net_device *dev)
{
	xfrm_dev_state_flush(dev_net(dev), dev, true);
}

/* One ratelimit state per warning site, as pr_warn_ratelimited has. */
static DEFINE_RATELIMIT_STATE(rbond_xfrm_rl_real_dev, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);
static DEFINE_RATELIMIT_STATE(rbond_xfrm_rl_esn, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);
static DEFINE_RATELIMIT_STATE(rbond_xfrm_rl_stats, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

bool rbond_xfrm_ratelimit(int site)
{
	switch (site) {
	case RBOND_XFRM_RL_REAL_DEV:
		return __ratelimit(&rbond_xfrm_rl_real_dev);
	case RBOND_XFRM_RL_ESN:
		return __ratelimit(&rbond_xfrm_rl_esn);
	default:
		return __ratelimit(&rbond_xfrm_rl_stats);
	}
}

#else /* !CONFIG_XFRM_OFFLOAD: nothing is ever offloaded */

unsigned long long rbond_xfrm_features(void) { return 0; }
void rbond_set_xfrmdev_ops(struct net_device *dev, const struct xfrmdev_ops *ops) { }
unsigned int rbond_xdo_ops(const struct net_device *dev) { return 0; }
int rbond_xdo_state_add(struct net_device *dev, struct xfrm_state *xs,
			struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
void rbond_xdo_state_delete(struct net_device *dev, struct xfrm_state *xs) { }
void rbond_xdo_state_free(struct net_device *dev, struct xfrm_state *xs) { }
void rbond_xdo_advance_esn(struct net_device *dev, struct xfrm_state *xs) { }
void rbond_xdo_update_stats(struct net_device *dev, struct xfrm_state *xs) { }
struct net_device *rbond_xs_dev(const struct xfrm_state *xs) { return NULL; }
struct net_device *rbond_xs_real_dev(const struct xfrm_state *xs) { return NULL; }
void rbond_xs_set_real_dev(struct xfrm_state *xs, struct net_device *dev) { }
bool rbond_xs_dead(const struct xfrm_state *xs) { return true; }
void rbond_xs_lock(struct xfrm_state *xs) { }
void rbond_xs_unlock(struct xfrm_state *xs) { }
void rbond_xfrm_flush(struct net_device *dev) { }
bool rbond_xfrm_ratelimit(int site) { return false; }

#endif /* CONFIG_XFRM_OFFLOAD */
