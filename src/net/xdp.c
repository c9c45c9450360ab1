// SPDX-License-Identifier: GPL-2.0
/*
 * C glue for XDP on a master: the netdev_bpf request, program references,
 * the lower devices' XDP callbacks and feature words, and the frame/buffer
 * bounds. Thin wrappers only; which lower device gets a program or a frame,
 * and when, is decided in Rust (src/net/xdp.rs and the driver).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <net/xdp.h>

#include "rbond_helpers.h"

bool rbond_netdev_bpf_setup_prog(struct netdev_bpf *bpf, struct bpf_prog **prog,
				 struct netlink_ext_ack **extack)
{
	if (bpf->command != XDP_SETUP_PROG)
		return false;
	*prog = bpf->prog;
	*extack = bpf->extack;
	return true;
}

void rbond_bpf_prog_inc(struct bpf_prog *prog) { bpf_prog_inc(prog); }
void rbond_bpf_prog_put(struct bpf_prog *prog) { bpf_prog_put(prog); }

void rbond_xdp_master_redirect(bool on)
{
	if (on)
		static_branch_inc(&bpf_master_redirect_enabled_key);
	else
		static_branch_dec(&bpf_master_redirect_enabled_key);
}

bool rbond_xdp_capable(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_bpf && dev->netdev_ops->ndo_xdp_xmit;
}

unsigned int rbond_xdp_prog_count(struct net_device *dev)
{
	return dev_xdp_prog_count(dev);
}

int rbond_xdp_propagate(struct net_device *dev, struct bpf_prog *prog,
			struct netlink_ext_ack *extack)
{
	struct netdev_bpf xdp = {
		.command = XDP_SETUP_PROG,
		.flags = 0,
		.prog = prog,
		.extack = extack,
	};

	return dev_xdp_propagate(dev, &xdp);
}

u32 rbond_xdp_features(const struct net_device *dev)
{
	return READ_ONCE(dev->xdp_features);
}

u32 rbond_xdp_features_all(void)
{
	return NETDEV_XDP_ACT_MASK & ~NETDEV_XDP_ACT_XSK_ZEROCOPY;
}

void rbond_xdp_set_features(struct net_device *dev, u32 val)
{
	xdp_set_features_flag(dev, val);
}

const void *rbond_xdp_buff_data(const struct xdp_buff *xdp, unsigned int *len)
{
	*len = xdp->data_end - xdp->data;
	return xdp->data;
}

const void *rbond_xdp_frame_data(const struct xdp_frame *frame, unsigned int *len)
{
	/* A frame's linear part, as xdp_convert_frame_to_buff lays it out. */
	*len = frame->len;
	return frame->data;
}

int rbond_xdp_xmit_one(struct net_device *dev, struct xdp_frame *frame, u32 flags)
{
	struct xdp_frame *frames[] = { frame };

	if (!dev->netdev_ops->ndo_xdp_xmit)
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_xdp_xmit(dev, 1, frames, flags);
}
