/* SPDX-License-Identifier: GPL-2.0 */
/* Input of the module-private bindgen run (see scripts/gen-bindings). */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/if_bonding.h>
#include <linux/if_vlan.h>
#include <linux/if_arp.h>
#include <linux/ethtool.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/device/class.h>
#include <linux/sysfs.h>
#include "rbond_helpers.h"
