// SPDX-License-Identifier: GPL-2.0

//! The netlink (`IFLA_BOND_*`, `IFLA_BOND_SLAVE_*`) and sysfs
//! (`/sys/class/net/<bond>/bonding/`, `/sys/class/net/<slave>/bonding_slave/`)
//! surfaces of the bonding driver, described as tables.
//!
//! Behaviour follows the Linux 7.2 C driver (`bond_netlink.c`,
//! `bond_sysfs.c`, `bond_sysfs_slave.c`, the uapi `if_link.h`). What a value
//! means, and the errors it can give, is the option table's business
//! ([`super::table`]); this file says which attribute or file reaches which
//! option, in what order, with what payload and which output format.
//!
//! Summary of the netlink side:
//! - attribute payloads are validated by the kernel's generic policy code
//!   before `changelink` runs ([`validate_policy`]);
//! - `changelink` applies the attributes in [`CHANGELINK_ORDER`] (mode first)
//!   and stops at the first error, leaving earlier attributes applied;
//! - `newlink` registers the device first, then runs `changelink`, and
//!   unregisters it again when that fails;
//! - `fill_info` emits in [`FILL_ORDER`], some attributes only under a
//!   condition ([`FillWhen`]); `get_size` is [`BOND_GET_SIZE`].
//!
//! Summary of the sysfs side: every writable file stores through the option
//! whose name is the file name (C's `bond_opt_get_by_name`), with the written
//! bytes as the value; a successful write returns the byte count and sends a
//! `NETDEV_CHANGEINFODATA` notification when the bond is registered; when the
//! RTNL lock is busy the write is restarted (`restart_syscall`). Reads follow
//! [`ShowFormat`]. The slave directory is read-only ([`SlaveShow`]).
//!
//! Imports only `core` and the option table, so the host tests compile it.

use core::fmt::{self, Write};

use super::table::{OptError, OptId, EINVAL, ENODEV};
use super::Mode;

// ---------------------------------------------------------------------------
// Numbering (include/uapi/linux/if_link.h, Linux 7.2)
// ---------------------------------------------------------------------------

/// `IFLA_BOND_UNSPEC`: never carries data.
pub const IFLA_BOND_UNSPEC: u16 = 0;
/// `IFLA_BOND_MODE`: bonding mode (u8).
pub const IFLA_BOND_MODE: u16 = 1;
/// `IFLA_BOND_ACTIVE_SLAVE`: ifindex of the active slave (u32).
pub const IFLA_BOND_ACTIVE_SLAVE: u16 = 2;
/// `IFLA_BOND_MIIMON`: MII monitor period in ms (u32).
pub const IFLA_BOND_MIIMON: u16 = 3;
/// `IFLA_BOND_UPDELAY`: up delay in ms (u32).
pub const IFLA_BOND_UPDELAY: u16 = 4;
/// `IFLA_BOND_DOWNDELAY`: down delay in ms (u32).
pub const IFLA_BOND_DOWNDELAY: u16 = 5;
/// `IFLA_BOND_USE_CARRIER`: obsolete, only 1 is accepted (u8).
pub const IFLA_BOND_USE_CARRIER: u16 = 6;
/// `IFLA_BOND_ARP_INTERVAL`: ARP monitor period in ms (u32).
pub const IFLA_BOND_ARP_INTERVAL: u16 = 7;
/// `IFLA_BOND_ARP_IP_TARGET`: nest of IPv4 targets (be32 each).
pub const IFLA_BOND_ARP_IP_TARGET: u16 = 8;
/// `IFLA_BOND_ARP_VALIDATE`: ARP validation mode (u32).
pub const IFLA_BOND_ARP_VALIDATE: u16 = 9;
/// `IFLA_BOND_ARP_ALL_TARGETS`: any/all targets policy (u32).
pub const IFLA_BOND_ARP_ALL_TARGETS: u16 = 10;
/// `IFLA_BOND_PRIMARY`: ifindex of the primary slave (u32).
pub const IFLA_BOND_PRIMARY: u16 = 11;
/// `IFLA_BOND_PRIMARY_RESELECT`: primary reselection policy (u8).
pub const IFLA_BOND_PRIMARY_RESELECT: u16 = 12;
/// `IFLA_BOND_FAIL_OVER_MAC`: fail-over MAC policy (u8).
pub const IFLA_BOND_FAIL_OVER_MAC: u16 = 13;
/// `IFLA_BOND_XMIT_HASH_POLICY`: transmit hash policy (u8).
pub const IFLA_BOND_XMIT_HASH_POLICY: u16 = 14;
/// `IFLA_BOND_RESEND_IGMP`: IGMP reports after a failover (u32).
pub const IFLA_BOND_RESEND_IGMP: u16 = 15;
/// `IFLA_BOND_NUM_PEER_NOTIF`: peer notifications after a failover (u8).
pub const IFLA_BOND_NUM_PEER_NOTIF: u16 = 16;
/// `IFLA_BOND_ALL_SLAVES_ACTIVE`: deliver frames from inactive slaves (u8).
pub const IFLA_BOND_ALL_SLAVES_ACTIVE: u16 = 17;
/// `IFLA_BOND_MIN_LINKS`: links needed for carrier (u32).
pub const IFLA_BOND_MIN_LINKS: u16 = 18;
/// `IFLA_BOND_LP_INTERVAL`: learning packet period in s (u32).
pub const IFLA_BOND_LP_INTERVAL: u16 = 19;
/// `IFLA_BOND_PACKETS_PER_SLAVE`: round-robin burst (u32).
pub const IFLA_BOND_PACKETS_PER_SLAVE: u16 = 20;
/// `IFLA_BOND_AD_LACP_RATE`: LACPDU rate (u8).
pub const IFLA_BOND_AD_LACP_RATE: u16 = 21;
/// `IFLA_BOND_AD_SELECT`: aggregator selection policy (u8).
pub const IFLA_BOND_AD_SELECT: u16 = 22;
/// `IFLA_BOND_AD_INFO`: read-only nest about the active aggregator.
pub const IFLA_BOND_AD_INFO: u16 = 23;
/// `IFLA_BOND_AD_ACTOR_SYS_PRIO`: LACP system priority (u16).
pub const IFLA_BOND_AD_ACTOR_SYS_PRIO: u16 = 24;
/// `IFLA_BOND_AD_USER_PORT_KEY`: user part of the LACP port key (u16).
pub const IFLA_BOND_AD_USER_PORT_KEY: u16 = 25;
/// `IFLA_BOND_AD_ACTOR_SYSTEM`: LACP system MAC (6 bytes).
pub const IFLA_BOND_AD_ACTOR_SYSTEM: u16 = 26;
/// `IFLA_BOND_TLB_DYNAMIC_LB`: dynamic flow shuffling in tlb/alb (u8).
pub const IFLA_BOND_TLB_DYNAMIC_LB: u16 = 27;
/// `IFLA_BOND_PEER_NOTIF_DELAY`: delay between peer notifications, ms (u32).
pub const IFLA_BOND_PEER_NOTIF_DELAY: u16 = 28;
/// `IFLA_BOND_AD_LACP_ACTIVE`: LACP active/passive (u8).
pub const IFLA_BOND_AD_LACP_ACTIVE: u16 = 29;
/// `IFLA_BOND_MISSED_MAX`: ARP intervals missed before down (u8).
pub const IFLA_BOND_MISSED_MAX: u16 = 30;
/// `IFLA_BOND_NS_IP6_TARGET`: nest of IPv6 NS targets (16 bytes each).
pub const IFLA_BOND_NS_IP6_TARGET: u16 = 31;
/// `IFLA_BOND_COUPLED_CONTROL`: LACP coupled control mux (u8).
pub const IFLA_BOND_COUPLED_CONTROL: u16 = 32;
/// `IFLA_BOND_BROADCAST_NEIGH`: broadcast neighbour packets (u8).
pub const IFLA_BOND_BROADCAST_NEIGH: u16 = 33;
/// `IFLA_BOND_LACP_STRICT`: LACP fallback when nothing negotiated (u8).
pub const IFLA_BOND_LACP_STRICT: u16 = 34;
/// `IFLA_BOND_MAX`: the highest bond attribute number in 7.2.
pub const IFLA_BOND_MAX: u16 = IFLA_BOND_LACP_STRICT;

/// `IFLA_BOND_AD_INFO_UNSPEC`.
pub const IFLA_BOND_AD_INFO_UNSPEC: u16 = 0;
/// `IFLA_BOND_AD_INFO_AGGREGATOR`: active aggregator id (u16).
pub const IFLA_BOND_AD_INFO_AGGREGATOR: u16 = 1;
/// `IFLA_BOND_AD_INFO_NUM_PORTS`: ports in the active aggregator (u16).
pub const IFLA_BOND_AD_INFO_NUM_PORTS: u16 = 2;
/// `IFLA_BOND_AD_INFO_ACTOR_KEY`: actor operational key (u16).
pub const IFLA_BOND_AD_INFO_ACTOR_KEY: u16 = 3;
/// `IFLA_BOND_AD_INFO_PARTNER_KEY`: partner operational key (u16).
pub const IFLA_BOND_AD_INFO_PARTNER_KEY: u16 = 4;
/// `IFLA_BOND_AD_INFO_PARTNER_MAC`: partner system MAC (6 bytes).
pub const IFLA_BOND_AD_INFO_PARTNER_MAC: u16 = 5;
/// `IFLA_BOND_AD_INFO_MAX`.
pub const IFLA_BOND_AD_INFO_MAX: u16 = IFLA_BOND_AD_INFO_PARTNER_MAC;

/// `IFLA_BOND_SLAVE_UNSPEC`.
pub const IFLA_BOND_SLAVE_UNSPEC: u16 = 0;
/// `IFLA_BOND_SLAVE_STATE`: 0 active, 1 backup (u8).
pub const IFLA_BOND_SLAVE_STATE: u16 = 1;
/// `IFLA_BOND_SLAVE_MII_STATUS`: `BOND_LINK_*` (u8).
pub const IFLA_BOND_SLAVE_MII_STATUS: u16 = 2;
/// `IFLA_BOND_SLAVE_LINK_FAILURE_COUNT`: (u32).
pub const IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: u16 = 3;
/// `IFLA_BOND_SLAVE_PERM_HWADDR`: permanent address (`addr_len` bytes).
pub const IFLA_BOND_SLAVE_PERM_HWADDR: u16 = 4;
/// `IFLA_BOND_SLAVE_QUEUE_ID`: transmit queue id (u16).
pub const IFLA_BOND_SLAVE_QUEUE_ID: u16 = 5;
/// `IFLA_BOND_SLAVE_AD_AGGREGATOR_ID`: (u16).
pub const IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: u16 = 6;
/// `IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE`: (u8).
pub const IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE: u16 = 7;
/// `IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE`: emitted as a u16.
pub const IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE: u16 = 8;
/// `IFLA_BOND_SLAVE_PRIO`: failover priority (s32).
pub const IFLA_BOND_SLAVE_PRIO: u16 = 9;
/// `IFLA_BOND_SLAVE_ACTOR_PORT_PRIO`: LACP port priority (u16).
pub const IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: u16 = 10;
/// `IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE`: (u8).
pub const IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE: u16 = 11;
/// `IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE`: (u8).
pub const IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE: u16 = 12;
/// `IFLA_BOND_SLAVE_MAX`: the highest slave attribute number in 7.2.
pub const IFLA_BOND_SLAVE_MAX: u16 = IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE;

// ---------------------------------------------------------------------------
// Sizes and errnos
// ---------------------------------------------------------------------------

/// `NLA_HDRLEN`: an attribute header, already 4-byte aligned.
pub const NLA_HDRLEN: usize = 4;
/// `NLA_F_NESTED`: flag bit a nest's type may carry.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// `ETH_ALEN`.
pub const ETH_ALEN: usize = 6;
/// `MAX_ADDR_LEN`: what `get_slave_size` reserves for the permanent address.
pub const MAX_ADDR_LEN: usize = 32;
/// `BOND_MAX_ARP_TARGETS`.
pub const BOND_MAX_ARP_TARGETS: usize = 16;
/// `BOND_MAX_NS_TARGETS`.
pub const BOND_MAX_NS_TARGETS: usize = 16;
/// Upper bound of `IFLA_BOND_PEER_NOTIF_DELAY` in the policy (300 s).
pub const PEER_NOTIF_DELAY_POLICY_MAX: u64 = 300_000;

/// `ERANGE`: a payload failed the netlink policy.
pub const ERANGE: i32 = 34;
/// `EMSGSIZE`: `fill_info` ran out of room.
pub const EMSGSIZE: i32 = 90;
/// `EADDRNOTAVAIL`: `IFLA_ADDRESS` is not a valid unicast address.
pub const EADDRNOTAVAIL: i32 = 99;

/// `NLA_ALIGN`: rounds up to a multiple of 4.
pub const fn nla_align(len: usize) -> usize {
    (len + 3) & !3
}

/// `nla_total_size`: room one attribute with `payload` bytes takes.
pub const fn nla_total_size(payload: usize) -> usize {
    nla_align(NLA_HDRLEN + payload)
}

// ---------------------------------------------------------------------------
// Attribute description
// ---------------------------------------------------------------------------

/// What an attribute carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// One byte.
    U8,
    /// Two bytes, host order.
    U16,
    /// Four bytes, host order.
    U32,
    /// Four bytes, signed, host order.
    S32,
    /// An Ethernet address, `ETH_ALEN` bytes.
    Mac,
    /// A nest of IPv4 addresses (network order, 4 bytes each); on output the
    /// inner attribute type is the target's slot index (0-based), and the nest
    /// is started without `NLA_F_NESTED`.
    ArpTargets,
    /// A nest of IPv6 addresses (16 bytes each); on output the inner type is
    /// the slot index and the nest carries `NLA_F_NESTED`.
    NsTargets,
    /// The read-only `IFLA_BOND_AD_INFO_*` nest (no `NLA_F_NESTED`).
    AdInfo,
    /// A slave's permanent hardware address, `addr_len` bytes (room for
    /// `MAX_ADDR_LEN` is reserved).
    HwAddr,
}

impl Payload {
    /// Room the attribute takes at most in a dump (C's `bond_get_size` /
    /// `bond_get_slave_size` term for it).
    pub const fn max_fill_size(self) -> usize {
        match self {
            Payload::U8 => nla_total_size(1),
            Payload::U16 => nla_total_size(2),
            Payload::U32 | Payload::S32 => nla_total_size(4),
            Payload::Mac => nla_total_size(ETH_ALEN),
            Payload::ArpTargets => {
                nla_total_size(NLA_HDRLEN) + nla_total_size(4) * BOND_MAX_ARP_TARGETS
            }
            Payload::NsTargets => {
                nla_total_size(NLA_HDRLEN) + nla_total_size(16) * BOND_MAX_NS_TARGETS
            }
            Payload::AdInfo => {
                nla_total_size(NLA_HDRLEN) + 4 * nla_total_size(2) + nla_total_size(ETH_ALEN)
            }
            Payload::HwAddr => nla_total_size(MAX_ADDR_LEN),
        }
    }

    /// The netlink policy type C gives an attribute with this payload.
    pub const fn policy(self) -> Policy {
        match self {
            Payload::U8 => Policy::U8,
            Payload::U16 => Policy::U16,
            Payload::U32 => Policy::U32,
            Payload::S32 => Policy::S32,
            Payload::Mac => Policy::Binary { max_len: ETH_ALEN },
            Payload::ArpTargets | Payload::NsTargets | Payload::AdInfo => Policy::Nested,
            Payload::HwAddr => Policy::Binary {
                max_len: MAX_ADDR_LEN,
            },
        }
    }
}

/// A netlink policy entry type (`NLA_*` of `include/net/netlink.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// `NLA_U8`.
    U8,
    /// `NLA_U16`.
    U16,
    /// `NLA_U32`.
    U32,
    /// `NLA_S32`.
    S32,
    /// `NLA_BINARY` with `.len = max_len`: longer payloads are rejected.
    Binary {
        /// Longest accepted payload.
        max_len: usize,
    },
    /// `NLA_NESTED` without a nested policy.
    Nested,
}

impl Policy {
    /// Payload size of the integer types (`nla_attr_len`), `None` otherwise.
    pub const fn int_len(self) -> Option<usize> {
        match self {
            Policy::U8 => Some(1),
            Policy::U16 => Some(2),
            Policy::U32 | Policy::S32 => Some(4),
            Policy::Binary { .. } | Policy::Nested => None,
        }
    }
}

/// How `bond_changelink` turns an attribute into option writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// An integer set as a numeric value ([`option_value`] gives the value
    /// C passes; then `validate_number` and the setter).
    Value,
    /// `IFLA_BOND_ACTIVE_SLAVE`: index 0 sets the empty string (clears the
    /// active slave); an index with no device in the bond's namespace fails
    /// with `-ENODEV` and no message ([`NlError::NoSuchIfindex`]); otherwise
    /// the device's name is set as a string.
    ActiveSlaveIfindex,
    /// `IFLA_BOND_PRIMARY`: the device's name is set as a string; an index
    /// with no device (0 included) sets the empty string, which clears the
    /// primary.
    PrimaryIfindex,
    /// `IFLA_BOND_USE_CARRIER`: 1 is accepted and nothing is set (no mode or
    /// state checks); anything else is [`NlError::UseCarrierObsolete`].
    UseCarrier,
    /// `IFLA_BOND_ARP_INTERVAL`: a value, but a non-zero one is refused when
    /// the same request set a non-zero `IFLA_BOND_MIIMON`
    /// ([`NlError::ArpWithMii`]).
    ArpInterval,
    /// `IFLA_BOND_ARP_VALIDATE`: a value, refused when non-zero with a
    /// non-zero `IFLA_BOND_MIIMON` in the same request
    /// ([`NlError::ArpValidateWithMii`]).
    ArpValidate,
    /// `IFLA_BOND_ARP_IP_TARGET`: the target table is cleared first, then
    /// each nested attribute (type ignored) is added in order as the value
    /// [`arp_target_value`]; an inner payload under 4 bytes returns
    /// `-EINVAL` at once, with no message and no warning (targets added so
    /// far stay); the first failing add stops the loop. When
    /// no target was added (`i == 0`, also when the first add failed) and
    /// `arp_interval` is non-zero, [`WARN_LAST_ARP_TARGET`] is logged
    /// (`netdev_warn`) before returning.
    ArpTargets,
    /// `IFLA_BOND_NS_IP6_TARGET` (only with `CONFIG_IPV6`, otherwise
    /// ignored): as [`Apply::ArpTargets`] with 16-byte addresses; a short
    /// inner payload is [`NlError::ShortNsTarget`]; the warning is
    /// [`WARN_LAST_NS_TARGET`].
    NsTargets,
    /// `IFLA_BOND_AD_ACTOR_SYSTEM`: exactly `ETH_ALEN` bytes or `-EINVAL`
    /// without message; the value is [`actor_system_value`].
    ActorSystem,
    /// Read-only (`IFLA_BOND_AD_INFO`): validated as a nest, then ignored.
    Ignored,
}

/// When `bond_fill_info` emits an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillWhen {
    /// Always.
    Always,
    /// Only when there is an active slave (its ifindex is non-zero).
    ActiveSlave,
    /// Only when a primary slave is set.
    Primary,
    /// Only when at least one ARP target is set (an empty nest is
    /// cancelled).
    ArpTargets,
    /// Only with `CONFIG_IPV6` and at least one NS target set.
    NsTargets,
    /// Only in 802.3ad mode and when the reader has `CAP_NET_ADMIN`.
    LacpAdmin,
    /// Only in 802.3ad mode and when the active aggregator's information is
    /// available (`bond_3ad_get_active_agg_info` succeeds).
    LacpAggInfo,
}

/// Which value `bond_fill_info` puts in an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillValue {
    /// The option's current value (the bond parameter).
    Param,
    /// A delay kept in monitor ticks, emitted in ms: ticks times `miimon`.
    DelayMs,
    /// The constant 1 (`use_carrier`).
    One,
    /// The active slave's ifindex.
    ActiveSlaveIfindex,
    /// The primary slave's ifindex.
    PrimaryIfindex,
    /// The non-zero ARP targets, each under its slot index.
    ArpTargets,
    /// The non-any NS targets, each under its slot index.
    NsTargets,
    /// The `ad_actor_system` MAC.
    Mac,
    /// The active aggregator's information, in `IFLA_BOND_AD_INFO_*` order:
    /// aggregator id, number of ports, actor key, partner key (u16 each),
    /// partner MAC.
    AdInfo,
}

/// One `IFLA_BOND_*` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BondAttr {
    /// Attribute number.
    pub attr: u16,
    /// C name, e.g. `IFLA_BOND_MODE`.
    pub name: &'static str,
    /// Payload (the policy follows from it, see [`Payload::policy`]).
    pub payload: Payload,
    /// Largest accepted value of the policy (`NLA_POLICY_FULL_RANGE`), if
    /// any: out-of-range values fail with `-ERANGE` and
    /// [`EXTACK_INTEGER_RANGE`].
    pub policy_max: Option<u64>,
    /// The option `changelink` sets; `None` for `IFLA_BOND_USE_CARRIER` (only
    /// checked) and `IFLA_BOND_AD_INFO` (read-only).
    pub opt: Option<OptId>,
    /// How `changelink` applies it.
    pub apply: Apply,
    /// When `fill_info` emits it.
    pub fill: FillWhen,
    /// What `fill_info` puts in it.
    pub fill_value: FillValue,
}

impl BondAttr {
    /// The policy entry C gives the attribute.
    pub const fn policy(&self) -> Policy {
        self.payload.policy()
    }

    /// The attribute's term in `bond_get_size`.
    pub const fn max_fill_size(&self) -> usize {
        self.payload.max_fill_size()
    }
}

const fn attr(
    attr: u16,
    name: &'static str,
    payload: Payload,
    opt: Option<OptId>,
    apply: Apply,
) -> BondAttr {
    BondAttr {
        attr,
        name,
        payload,
        policy_max: None,
        opt,
        apply,
        fill: FillWhen::Always,
        fill_value: FillValue::Param,
    }
}

const fn val(a: u16, name: &'static str, payload: Payload, opt: OptId) -> BondAttr {
    attr(a, name, payload, Some(opt), Apply::Value)
}

impl BondAttr {
    const fn when(mut self, fill: FillWhen) -> Self {
        self.fill = fill;
        self
    }

    const fn emits(mut self, fill_value: FillValue) -> Self {
        self.fill_value = fill_value;
        self
    }

    const fn max(mut self, max: u64) -> Self {
        self.policy_max = Some(max);
        self
    }
}

/// Number of `IFLA_BOND_*` attributes (1 ..= `IFLA_BOND_MAX`).
pub const BOND_ATTR_COUNT: usize = IFLA_BOND_MAX as usize;

/// Every `IFLA_BOND_*` attribute in number order (entry `i` is attribute
/// `i + 1`), as C's `bond_policy`, `bond_changelink` and `bond_fill_info`
/// treat it.
/// [`BOND_ATTRS`] as a constant (for policies built at compile time).
pub const BOND_ATTRS_TABLE: [BondAttr; BOND_ATTR_COUNT] = [
    val(IFLA_BOND_MODE, "IFLA_BOND_MODE", Payload::U8, OptId::Mode),
    attr(
        IFLA_BOND_ACTIVE_SLAVE,
        "IFLA_BOND_ACTIVE_SLAVE",
        Payload::U32,
        Some(OptId::ActiveSlave),
        Apply::ActiveSlaveIfindex,
    )
    .when(FillWhen::ActiveSlave)
    .emits(FillValue::ActiveSlaveIfindex),
    val(
        IFLA_BOND_MIIMON,
        "IFLA_BOND_MIIMON",
        Payload::U32,
        OptId::Miimon,
    ),
    val(
        IFLA_BOND_UPDELAY,
        "IFLA_BOND_UPDELAY",
        Payload::U32,
        OptId::UpDelay,
    )
    .emits(FillValue::DelayMs),
    val(
        IFLA_BOND_DOWNDELAY,
        "IFLA_BOND_DOWNDELAY",
        Payload::U32,
        OptId::DownDelay,
    )
    .emits(FillValue::DelayMs),
    attr(
        IFLA_BOND_USE_CARRIER,
        "IFLA_BOND_USE_CARRIER",
        Payload::U8,
        None,
        Apply::UseCarrier,
    )
    .emits(FillValue::One),
    attr(
        IFLA_BOND_ARP_INTERVAL,
        "IFLA_BOND_ARP_INTERVAL",
        Payload::U32,
        Some(OptId::ArpInterval),
        Apply::ArpInterval,
    ),
    attr(
        IFLA_BOND_ARP_IP_TARGET,
        "IFLA_BOND_ARP_IP_TARGET",
        Payload::ArpTargets,
        Some(OptId::ArpIpTarget),
        Apply::ArpTargets,
    )
    .when(FillWhen::ArpTargets)
    .emits(FillValue::ArpTargets),
    attr(
        IFLA_BOND_ARP_VALIDATE,
        "IFLA_BOND_ARP_VALIDATE",
        Payload::U32,
        Some(OptId::ArpValidate),
        Apply::ArpValidate,
    ),
    val(
        IFLA_BOND_ARP_ALL_TARGETS,
        "IFLA_BOND_ARP_ALL_TARGETS",
        Payload::U32,
        OptId::ArpAllTargets,
    ),
    attr(
        IFLA_BOND_PRIMARY,
        "IFLA_BOND_PRIMARY",
        Payload::U32,
        Some(OptId::Primary),
        Apply::PrimaryIfindex,
    )
    .when(FillWhen::Primary)
    .emits(FillValue::PrimaryIfindex),
    val(
        IFLA_BOND_PRIMARY_RESELECT,
        "IFLA_BOND_PRIMARY_RESELECT",
        Payload::U8,
        OptId::PrimaryReselect,
    ),
    val(
        IFLA_BOND_FAIL_OVER_MAC,
        "IFLA_BOND_FAIL_OVER_MAC",
        Payload::U8,
        OptId::FailOverMac,
    ),
    val(
        IFLA_BOND_XMIT_HASH_POLICY,
        "IFLA_BOND_XMIT_HASH_POLICY",
        Payload::U8,
        OptId::XmitHashPolicy,
    ),
    val(
        IFLA_BOND_RESEND_IGMP,
        "IFLA_BOND_RESEND_IGMP",
        Payload::U32,
        OptId::ResendIgmp,
    ),
    val(
        IFLA_BOND_NUM_PEER_NOTIF,
        "IFLA_BOND_NUM_PEER_NOTIF",
        Payload::U8,
        OptId::NumPeerNotif,
    ),
    val(
        IFLA_BOND_ALL_SLAVES_ACTIVE,
        "IFLA_BOND_ALL_SLAVES_ACTIVE",
        Payload::U8,
        OptId::AllSlavesActive,
    ),
    val(
        IFLA_BOND_MIN_LINKS,
        "IFLA_BOND_MIN_LINKS",
        Payload::U32,
        OptId::MinLinks,
    ),
    val(
        IFLA_BOND_LP_INTERVAL,
        "IFLA_BOND_LP_INTERVAL",
        Payload::U32,
        OptId::LpInterval,
    ),
    val(
        IFLA_BOND_PACKETS_PER_SLAVE,
        "IFLA_BOND_PACKETS_PER_SLAVE",
        Payload::U32,
        OptId::PacketsPerSlave,
    ),
    val(
        IFLA_BOND_AD_LACP_RATE,
        "IFLA_BOND_AD_LACP_RATE",
        Payload::U8,
        OptId::LacpRate,
    ),
    val(
        IFLA_BOND_AD_SELECT,
        "IFLA_BOND_AD_SELECT",
        Payload::U8,
        OptId::AdSelect,
    ),
    attr(
        IFLA_BOND_AD_INFO,
        "IFLA_BOND_AD_INFO",
        Payload::AdInfo,
        None,
        Apply::Ignored,
    )
    .when(FillWhen::LacpAggInfo)
    .emits(FillValue::AdInfo),
    val(
        IFLA_BOND_AD_ACTOR_SYS_PRIO,
        "IFLA_BOND_AD_ACTOR_SYS_PRIO",
        Payload::U16,
        OptId::AdActorSysPrio,
    )
    .when(FillWhen::LacpAdmin),
    val(
        IFLA_BOND_AD_USER_PORT_KEY,
        "IFLA_BOND_AD_USER_PORT_KEY",
        Payload::U16,
        OptId::AdUserPortKey,
    )
    .when(FillWhen::LacpAdmin),
    attr(
        IFLA_BOND_AD_ACTOR_SYSTEM,
        "IFLA_BOND_AD_ACTOR_SYSTEM",
        Payload::Mac,
        Some(OptId::AdActorSystem),
        Apply::ActorSystem,
    )
    .when(FillWhen::LacpAdmin)
    .emits(FillValue::Mac),
    val(
        IFLA_BOND_TLB_DYNAMIC_LB,
        "IFLA_BOND_TLB_DYNAMIC_LB",
        Payload::U8,
        OptId::TlbDynamicLb,
    ),
    val(
        IFLA_BOND_PEER_NOTIF_DELAY,
        "IFLA_BOND_PEER_NOTIF_DELAY",
        Payload::U32,
        OptId::PeerNotifDelay,
    )
    .max(PEER_NOTIF_DELAY_POLICY_MAX)
    .emits(FillValue::DelayMs),
    val(
        IFLA_BOND_AD_LACP_ACTIVE,
        "IFLA_BOND_AD_LACP_ACTIVE",
        Payload::U8,
        OptId::LacpActive,
    ),
    val(
        IFLA_BOND_MISSED_MAX,
        "IFLA_BOND_MISSED_MAX",
        Payload::U8,
        OptId::MissedMax,
    ),
    attr(
        IFLA_BOND_NS_IP6_TARGET,
        "IFLA_BOND_NS_IP6_TARGET",
        Payload::NsTargets,
        Some(OptId::NsIp6Target),
        Apply::NsTargets,
    )
    .when(FillWhen::NsTargets)
    .emits(FillValue::NsTargets),
    val(
        IFLA_BOND_COUPLED_CONTROL,
        "IFLA_BOND_COUPLED_CONTROL",
        Payload::U8,
        OptId::CoupledControl,
    ),
    val(
        IFLA_BOND_BROADCAST_NEIGH,
        "IFLA_BOND_BROADCAST_NEIGH",
        Payload::U8,
        OptId::BroadcastNeighbor,
    ),
    val(
        IFLA_BOND_LACP_STRICT,
        "IFLA_BOND_LACP_STRICT",
        Payload::U8,
        OptId::LacpStrict,
    ),
];

/// The attribute table (see [`BOND_ATTRS_TABLE`]).
pub static BOND_ATTRS: [BondAttr; BOND_ATTR_COUNT] = BOND_ATTRS_TABLE;

// The table is indexed by attribute number: check it at compile time.
const _: () = {
    let mut i = 0;
    while i < BOND_ATTR_COUNT {
        assert!(BOND_ATTRS[i].attr as usize == i + 1);
        i += 1;
    }
};

/// The entry of bond attribute `attr`, if it is one of 1 ..= `IFLA_BOND_MAX`.
pub fn bond_attr(attr: u16) -> Option<&'static BondAttr> {
    (attr as usize)
        .checked_sub(1)
        .and_then(|i| BOND_ATTRS.get(i))
}

/// The order in which `bond_changelink` applies attributes (every attribute
/// but `IFLA_BOND_AD_INFO`). Mode comes first so the checks of the later
/// options see the new mode; `miimon` comes before the delays, which need
/// it, and before `arp_interval` / `arp_validate`, which are refused next
/// to a non-zero `miimon` of the same request; targets come after
/// `arp_interval`. The first failure returns; earlier attributes stay
/// applied.
pub const CHANGELINK_ORDER: [u16; BOND_ATTR_COUNT - 1] = [
    IFLA_BOND_MODE,
    IFLA_BOND_ACTIVE_SLAVE,
    IFLA_BOND_MIIMON,
    IFLA_BOND_UPDELAY,
    IFLA_BOND_DOWNDELAY,
    IFLA_BOND_PEER_NOTIF_DELAY,
    IFLA_BOND_USE_CARRIER,
    IFLA_BOND_ARP_INTERVAL,
    IFLA_BOND_ARP_IP_TARGET,
    IFLA_BOND_NS_IP6_TARGET,
    IFLA_BOND_ARP_VALIDATE,
    IFLA_BOND_ARP_ALL_TARGETS,
    IFLA_BOND_PRIMARY,
    IFLA_BOND_PRIMARY_RESELECT,
    IFLA_BOND_FAIL_OVER_MAC,
    IFLA_BOND_XMIT_HASH_POLICY,
    IFLA_BOND_RESEND_IGMP,
    IFLA_BOND_NUM_PEER_NOTIF,
    IFLA_BOND_ALL_SLAVES_ACTIVE,
    IFLA_BOND_MIN_LINKS,
    IFLA_BOND_LP_INTERVAL,
    IFLA_BOND_PACKETS_PER_SLAVE,
    IFLA_BOND_AD_LACP_ACTIVE,
    IFLA_BOND_AD_LACP_RATE,
    IFLA_BOND_AD_SELECT,
    IFLA_BOND_AD_ACTOR_SYS_PRIO,
    IFLA_BOND_AD_USER_PORT_KEY,
    IFLA_BOND_AD_ACTOR_SYSTEM,
    IFLA_BOND_TLB_DYNAMIC_LB,
    IFLA_BOND_MISSED_MAX,
    IFLA_BOND_COUPLED_CONTROL,
    IFLA_BOND_BROADCAST_NEIGH,
    IFLA_BOND_LACP_STRICT,
];

/// The order in which `bond_fill_info` emits attributes (each under its
/// [`FillWhen`] condition). The 802.3ad block comes last: the three
/// `CAP_NET_ADMIN` attributes, then the `IFLA_BOND_AD_INFO` nest.
pub const FILL_ORDER: [u16; BOND_ATTR_COUNT] = [
    IFLA_BOND_MODE,
    IFLA_BOND_ACTIVE_SLAVE,
    IFLA_BOND_MIIMON,
    IFLA_BOND_UPDELAY,
    IFLA_BOND_DOWNDELAY,
    IFLA_BOND_PEER_NOTIF_DELAY,
    IFLA_BOND_USE_CARRIER,
    IFLA_BOND_ARP_INTERVAL,
    IFLA_BOND_ARP_IP_TARGET,
    IFLA_BOND_ARP_VALIDATE,
    IFLA_BOND_ARP_ALL_TARGETS,
    IFLA_BOND_NS_IP6_TARGET,
    IFLA_BOND_PRIMARY,
    IFLA_BOND_PRIMARY_RESELECT,
    IFLA_BOND_FAIL_OVER_MAC,
    IFLA_BOND_XMIT_HASH_POLICY,
    IFLA_BOND_RESEND_IGMP,
    IFLA_BOND_NUM_PEER_NOTIF,
    IFLA_BOND_ALL_SLAVES_ACTIVE,
    IFLA_BOND_MIN_LINKS,
    IFLA_BOND_LP_INTERVAL,
    IFLA_BOND_PACKETS_PER_SLAVE,
    IFLA_BOND_AD_LACP_ACTIVE,
    IFLA_BOND_AD_LACP_RATE,
    IFLA_BOND_AD_SELECT,
    IFLA_BOND_TLB_DYNAMIC_LB,
    IFLA_BOND_MISSED_MAX,
    IFLA_BOND_COUPLED_CONTROL,
    IFLA_BOND_BROADCAST_NEIGH,
    IFLA_BOND_LACP_STRICT,
    IFLA_BOND_AD_ACTOR_SYS_PRIO,
    IFLA_BOND_AD_USER_PORT_KEY,
    IFLA_BOND_AD_ACTOR_SYSTEM,
    IFLA_BOND_AD_INFO,
];

/// Sum of the attributes' [`BondAttr::max_fill_size`]: an upper bound of
/// what `fill_info` writes.
pub const fn fill_size_upper_bound() -> usize {
    let mut sum = 0;
    let mut i = 0;
    while i < BOND_ATTR_COUNT {
        sum += BOND_ATTRS[i].max_fill_size();
        i += 1;
    }
    sum
}

/// C's `bond_get_size` (a constant: it does not depend on the bond).
pub const BOND_GET_SIZE: usize = fill_size_upper_bound();

/// The `IFLA_BOND_AD_INFO_*` nest in emission order, with each payload.
pub const AD_INFO_ATTRS: [(u16, Payload); 5] = [
    (IFLA_BOND_AD_INFO_AGGREGATOR, Payload::U16),
    (IFLA_BOND_AD_INFO_NUM_PORTS, Payload::U16),
    (IFLA_BOND_AD_INFO_ACTOR_KEY, Payload::U16),
    (IFLA_BOND_AD_INFO_PARTNER_KEY, Payload::U16),
    (IFLA_BOND_AD_INFO_PARTNER_MAC, Payload::Mac),
];

/// What decides the conditional attributes of `fill_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FillState {
    /// The bond's mode.
    pub mode: Mode,
    /// There is an active slave.
    pub active_slave: bool,
    /// A primary slave is set.
    pub primary: bool,
    /// At least one ARP target is set.
    pub arp_targets: bool,
    /// At least one NS target is set.
    pub ns_targets: bool,
    /// The kernel has `CONFIG_IPV6`.
    pub ipv6: bool,
    /// The reader has `CAP_NET_ADMIN`.
    pub net_admin: bool,
    /// The active aggregator's information is available.
    pub agg_info: bool,
}

impl FillWhen {
    /// Whether the condition holds in `st`.
    pub fn holds(self, st: &FillState) -> bool {
        let lacp = st.mode == Mode::Lacp;
        match self {
            FillWhen::Always => true,
            FillWhen::ActiveSlave => st.active_slave,
            FillWhen::Primary => st.primary,
            FillWhen::ArpTargets => st.arp_targets,
            FillWhen::NsTargets => st.ipv6 && st.ns_targets,
            FillWhen::LacpAdmin => lacp && st.net_admin,
            FillWhen::LacpAggInfo => lacp && st.agg_info,
        }
    }
}

/// The attributes `fill_info` emits in `st`, in C's order.
pub fn fill_attrs(st: &FillState) -> impl Iterator<Item = &'static BondAttr> + '_ {
    FILL_ORDER
        .iter()
        .filter_map(|&a| bond_attr(a))
        .filter(move |a| a.fill.holds(st))
}

// ---------------------------------------------------------------------------
// Slave attributes
// ---------------------------------------------------------------------------

/// When `bond_fill_slave_info` emits a slave attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaveFillWhen {
    /// Always.
    Always,
    /// In 802.3ad mode.
    Lacp,
    /// In 802.3ad mode when the slave's port has an aggregator.
    LacpAggregator,
}

/// One `IFLA_BOND_SLAVE_*` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaveAttr {
    /// Attribute number.
    pub attr: u16,
    /// C name.
    pub name: &'static str,
    /// What `fill_slave_info` puts in it.
    pub payload: Payload,
    /// The option `slave_changelink` sets, for the three attributes of
    /// `bond_slave_policy`; the others are output only (no policy entry, so
    /// they are accepted and ignored on input).
    pub opt: Option<OptId>,
    /// When `fill_slave_info` emits it.
    pub fill: SlaveFillWhen,
}

impl SlaveAttr {
    /// The policy entry of `bond_slave_policy`, for settable attributes.
    pub const fn policy(&self) -> Option<Policy> {
        match self.opt {
            Some(_) => Some(self.payload.policy()),
            None => None,
        }
    }
}

const fn slave(
    attr: u16,
    name: &'static str,
    payload: Payload,
    opt: Option<OptId>,
    fill: SlaveFillWhen,
) -> SlaveAttr {
    SlaveAttr {
        attr,
        name,
        payload,
        opt,
        fill,
    }
}

/// Number of `IFLA_BOND_SLAVE_*` attributes.
pub const SLAVE_ATTR_COUNT: usize = IFLA_BOND_SLAVE_MAX as usize;

/// Every `IFLA_BOND_SLAVE_*` attribute in number order (entry `i` is
/// attribute `i + 1`).
/// [`SLAVE_ATTRS`] as a constant (for policies built at compile time).
pub const SLAVE_ATTRS_TABLE: [SlaveAttr; SLAVE_ATTR_COUNT] = [
    slave(
        IFLA_BOND_SLAVE_STATE,
        "IFLA_BOND_SLAVE_STATE",
        Payload::U8,
        None,
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_MII_STATUS,
        "IFLA_BOND_SLAVE_MII_STATUS",
        Payload::U8,
        None,
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
        "IFLA_BOND_SLAVE_LINK_FAILURE_COUNT",
        Payload::U32,
        None,
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_PERM_HWADDR,
        "IFLA_BOND_SLAVE_PERM_HWADDR",
        Payload::HwAddr,
        None,
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_QUEUE_ID,
        "IFLA_BOND_SLAVE_QUEUE_ID",
        Payload::U16,
        Some(OptId::QueueId),
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_AD_AGGREGATOR_ID,
        "IFLA_BOND_SLAVE_AD_AGGREGATOR_ID",
        Payload::U16,
        None,
        SlaveFillWhen::LacpAggregator,
    ),
    slave(
        IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE,
        "IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE",
        Payload::U8,
        None,
        SlaveFillWhen::LacpAggregator,
    ),
    slave(
        IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
        "IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE",
        Payload::U16,
        None,
        SlaveFillWhen::LacpAggregator,
    ),
    slave(
        IFLA_BOND_SLAVE_PRIO,
        "IFLA_BOND_SLAVE_PRIO",
        Payload::S32,
        Some(OptId::Prio),
        SlaveFillWhen::Always,
    ),
    slave(
        IFLA_BOND_SLAVE_ACTOR_PORT_PRIO,
        "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO",
        Payload::U16,
        Some(OptId::ActorPortPrio),
        SlaveFillWhen::Lacp,
    ),
    slave(
        IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE,
        "IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE",
        Payload::U8,
        None,
        SlaveFillWhen::LacpAggregator,
    ),
    slave(
        IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE,
        "IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE",
        Payload::U8,
        None,
        SlaveFillWhen::LacpAggregator,
    ),
];

/// The attribute table (see [`SLAVE_ATTRS_TABLE`]).
pub static SLAVE_ATTRS: [SlaveAttr; SLAVE_ATTR_COUNT] = SLAVE_ATTRS_TABLE;

const _: () = {
    let mut i = 0;
    while i < SLAVE_ATTR_COUNT {
        assert!(SLAVE_ATTRS[i].attr as usize == i + 1);
        i += 1;
    }
};

/// The entry of slave attribute `attr`, if it is one of 1 ..=
/// `IFLA_BOND_SLAVE_MAX`.
pub fn slave_attr(attr: u16) -> Option<&'static SlaveAttr> {
    (attr as usize)
        .checked_sub(1)
        .and_then(|i| SLAVE_ATTRS.get(i))
}

/// The order in which `bond_slave_changelink` applies attributes; the first
/// failure returns. `QUEUE_ID` goes through the `queue_id` option as the
/// string [`queue_id_request`]; `PRIO` and `ACTOR_PORT_PRIO` as values for
/// the slave (`PRIO` sign-extended from its `int`).
pub const SLAVE_CHANGELINK_ORDER: [u16; 3] = [
    IFLA_BOND_SLAVE_QUEUE_ID,
    IFLA_BOND_SLAVE_PRIO,
    IFLA_BOND_SLAVE_ACTOR_PORT_PRIO,
];

/// The order in which `bond_fill_slave_info` emits attributes: state, MII
/// status, failure count, permanent address, queue id, prio; then in
/// 802.3ad mode, if the port has an aggregator, aggregator id, actor and
/// partner oper port state, churn actor and partner state; then (802.3ad
/// mode, aggregator or not) actor port prio.
pub const SLAVE_FILL_ORDER: [u16; SLAVE_ATTR_COUNT] = [
    IFLA_BOND_SLAVE_STATE,
    IFLA_BOND_SLAVE_MII_STATUS,
    IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
    IFLA_BOND_SLAVE_PERM_HWADDR,
    IFLA_BOND_SLAVE_QUEUE_ID,
    IFLA_BOND_SLAVE_PRIO,
    IFLA_BOND_SLAVE_AD_AGGREGATOR_ID,
    IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE,
    IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
    IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE,
    IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE,
    IFLA_BOND_SLAVE_ACTOR_PORT_PRIO,
];

/// Sum of the slave attributes' maximum sizes (C's `bond_get_slave_size`).
pub const fn slave_fill_size_upper_bound() -> usize {
    let mut sum = 0;
    let mut i = 0;
    while i < SLAVE_ATTR_COUNT {
        sum += SLAVE_ATTRS[i].payload.max_fill_size();
        i += 1;
    }
    sum
}

/// C's `bond_get_slave_size`.
pub const BOND_GET_SLAVE_SIZE: usize = slave_fill_size_upper_bound();

impl SlaveFillWhen {
    /// Whether the condition holds for a slave of a bond in `mode` whose
    /// port has (`aggregator`) or has no aggregator.
    pub fn holds(self, mode: Mode, aggregator: bool) -> bool {
        match self {
            SlaveFillWhen::Always => true,
            SlaveFillWhen::Lacp => mode == Mode::Lacp,
            SlaveFillWhen::LacpAggregator => mode == Mode::Lacp && aggregator,
        }
    }
}

/// The slave attributes `fill_slave_info` emits, in C's order.
pub fn slave_fill_attrs(mode: Mode, aggregator: bool) -> impl Iterator<Item = &'static SlaveAttr> {
    SLAVE_FILL_ORDER
        .iter()
        .filter_map(|&a| slave_attr(a))
        .filter(move |a| a.fill.holds(mode, aggregator))
}

/// Size of the buffer C formats the `queue_id` request in (`IFNAMSIZ + 7`,
/// terminating NUL included).
pub const QUEUE_ID_REQUEST_LEN: usize = 16 + 7;

/// Writes the string `bond_slave_changelink` hands to the `queue_id` option
/// for `IFLA_BOND_SLAVE_QUEUE_ID`: `<slave name>:<id>\n`, cut (as
/// `snprintf` does) to leave room for a NUL in [`QUEUE_ID_REQUEST_LEN`].
/// Returns the length written into `buf` (no NUL written).
pub fn queue_id_request(slave_name: &[u8], queue_id: u16, buf: &mut [u8]) -> usize {
    let cap = buf.len().min(QUEUE_ID_REQUEST_LEN.saturating_sub(1));
    let mut w = ByteWriter { buf, len: 0, cap };
    w.put(slave_name);
    // Writing into a byte buffer never fails; truncation is silent.
    let _ = writeln!(w, ":{queue_id}");
    w.len
}

// ---------------------------------------------------------------------------
// Payload decoding and netlink-specific errors
// ---------------------------------------------------------------------------

/// extack of a payload the generic policy code rejects (`-ERANGE`).
pub const EXTACK_POLICY: &str = "Attribute failed policy validation";
/// extack of an integer outside its policy range (`-ERANGE`).
pub const EXTACK_INTEGER_RANGE: &str = "integer out of range";
/// extack of `IFLA_BOND_USE_CARRIER` other than 1 (`-EINVAL`).
pub const EXTACK_USE_CARRIER: &str = "option obsolete, use_carrier cannot be disabled";
/// extack of a non-zero ARP interval next to a non-zero `miimon` (`-EINVAL`).
pub const EXTACK_ARP_WITH_MII: &str = "ARP monitoring cannot be used with MII monitoring";
/// extack of a non-zero `arp_validate` next to a non-zero `miimon`.
pub const EXTACK_ARP_VALIDATE_WITH_MII: &str = "ARP validating cannot be used with MII monitoring";
/// extack of a nested NS target shorter than 16 bytes (`-EINVAL`).
pub const EXTACK_INVALID_IPV6: &str = "Invalid IPv6 address";
/// Warning (`netdev_warn`) after an ARP target nest added nothing while
/// `arp_interval` is on.
pub const WARN_LAST_ARP_TARGET: &str = "Removing last arp target with arp_interval on";
/// Warning after an NS target nest added nothing while `arp_interval` is on.
pub const WARN_LAST_NS_TARGET: &str = "Removing last ns target with arp_interval on";

/// A netlink request error that is not an option-table error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NlError {
    /// The payload is shorter than the policy type (integers), 1 to 3 bytes
    /// for a nest, or longer than a binary's maximum: `-ERANGE`,
    /// [`EXTACK_POLICY`]. Nothing of the request is applied.
    Policy,
    /// `IFLA_BOND_PEER_NOTIF_DELAY` above 300000: `-ERANGE`,
    /// [`EXTACK_INTEGER_RANGE`]. Nothing of the request is applied.
    OutOfRange,
    /// `IFLA_BOND_ACTIVE_SLAVE` names an ifindex with no device: `-ENODEV`,
    /// no message.
    NoSuchIfindex,
    /// `IFLA_BOND_USE_CARRIER` other than 1: `-EINVAL`,
    /// [`EXTACK_USE_CARRIER`].
    UseCarrierObsolete,
    /// `IFLA_BOND_ARP_INTERVAL` non-zero with a non-zero `IFLA_BOND_MIIMON`
    /// in the same request: `-EINVAL`, [`EXTACK_ARP_WITH_MII`].
    ArpWithMii,
    /// `IFLA_BOND_ARP_VALIDATE` non-zero with a non-zero `IFLA_BOND_MIIMON`
    /// in the same request: `-EINVAL`, [`EXTACK_ARP_VALIDATE_WITH_MII`]. C
    /// points the message at the `IFLA_BOND_ARP_INTERVAL` attribute (which
    /// may be absent), not at `ARP_VALIDATE`.
    ArpValidateWithMii,
    /// A nested ARP target under 4 bytes: `-EINVAL`, no message.
    ShortArpTarget,
    /// A nested NS target under 16 bytes: `-EINVAL`,
    /// [`EXTACK_INVALID_IPV6`].
    ShortNsTarget,
    /// `IFLA_BOND_AD_ACTOR_SYSTEM` shorter than `ETH_ALEN`: `-EINVAL`, no
    /// message (longer is already [`NlError::Policy`]).
    ActorSystemLen,
    /// `IFLA_ADDRESS` (`bond_validate`) not `ETH_ALEN` long: `-EINVAL`.
    AddressLen,
    /// `IFLA_ADDRESS` multicast or all-zero: `-EADDRNOTAVAIL`.
    AddressNotAvail,
    /// An option error (`__bond_opt_set`), with its own errno and messages.
    Opt(OptError),
}

impl NlError {
    /// The errno, positive.
    pub fn errno(&self) -> i32 {
        match self {
            NlError::Policy | NlError::OutOfRange => ERANGE,
            NlError::NoSuchIfindex => ENODEV,
            NlError::UseCarrierObsolete
            | NlError::ArpWithMii
            | NlError::ArpValidateWithMii
            | NlError::ShortArpTarget
            | NlError::ShortNsTarget
            | NlError::ActorSystemLen
            | NlError::AddressLen => EINVAL,
            NlError::AddressNotAvail => EADDRNOTAVAIL,
            NlError::Opt(e) => e.errno(),
        }
    }

    /// The extack message, if C sets one.
    pub fn extack(&self) -> Option<&'static str> {
        match self {
            NlError::Policy => Some(EXTACK_POLICY),
            NlError::OutOfRange => Some(EXTACK_INTEGER_RANGE),
            NlError::UseCarrierObsolete => Some(EXTACK_USE_CARRIER),
            NlError::ArpWithMii => Some(EXTACK_ARP_WITH_MII),
            NlError::ArpValidateWithMii => Some(EXTACK_ARP_VALIDATE_WITH_MII),
            NlError::ShortNsTarget => Some(EXTACK_INVALID_IPV6),
            NlError::NoSuchIfindex
            | NlError::ShortArpTarget
            | NlError::ActorSystemLen
            | NlError::AddressLen
            | NlError::AddressNotAvail => None,
            NlError::Opt(e) => e.extack(),
        }
    }
}

impl From<OptError> for NlError {
    fn from(e: OptError) -> Self {
        NlError::Opt(e)
    }
}

/// Outcome of a payload that passed the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOk {
    /// The payload has the expected size.
    Exact,
    /// An integer payload longer than its type: accepted (the leading bytes
    /// are read), and the kernel logs the rate-limited warning
    /// `netlink: '<comm>': attribute type <n> has an invalid length.`
    TooLong,
}

/// The generic policy check rtnetlink runs on `IFLA_INFO_DATA` (liberal
/// validation) for one attribute `policy` with optional range maximum.
pub fn check_policy(policy: Policy, max: Option<u64>, payload: &[u8]) -> Result<PolicyOk, NlError> {
    let len = payload.len();
    let mut ok = PolicyOk::Exact;
    match policy {
        Policy::Binary { max_len } => {
            if len > max_len {
                return Err(NlError::Policy);
            }
        }
        Policy::Nested => {
            if len != 0 && len < NLA_HDRLEN {
                return Err(NlError::Policy);
            }
        }
        Policy::U8 | Policy::U16 | Policy::U32 | Policy::S32 => {
            let want = policy.int_len().unwrap_or(0);
            if len < want {
                return Err(NlError::Policy);
            }
            if len > want {
                ok = PolicyOk::TooLong;
            }
        }
    }
    if let Some(max) = max {
        if read_uint(policy, payload).is_some_and(|v| v > max) {
            return Err(NlError::OutOfRange);
        }
    }
    Ok(ok)
}

/// [`check_policy`] for bond attribute `attr`; numbers outside
/// 1 ..= `IFLA_BOND_MAX` are not checked (the kernel ignores them).
pub fn validate_policy(attr: u16, payload: &[u8]) -> Result<PolicyOk, NlError> {
    match bond_attr(attr) {
        Some(a) => check_policy(a.policy(), a.policy_max, payload),
        None => Ok(PolicyOk::Exact),
    }
}

/// [`check_policy`] for slave attribute `attr`: only the settable ones have
/// a policy entry.
pub fn validate_slave_policy(attr: u16, payload: &[u8]) -> Result<PolicyOk, NlError> {
    match slave_attr(attr).and_then(|a| a.policy()) {
        Some(p) => check_policy(p, None, payload),
        None => Ok(PolicyOk::Exact),
    }
}

/// The unsigned integer at the start of `payload` for an integer policy
/// (host order), `None` when too short or not an integer.
pub fn read_uint(policy: Policy, payload: &[u8]) -> Option<u64> {
    match policy {
        Policy::U8 => payload.first().map(|&b| u64::from(b)),
        Policy::U16 => payload
            .get(..2)
            .and_then(|b| b.try_into().ok())
            .map(|b| u64::from(u16::from_ne_bytes(b))),
        Policy::U32 | Policy::S32 => payload
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map(|b| u64::from(u32::from_ne_bytes(b))),
        Policy::Binary { .. } | Policy::Nested => None,
    }
}

/// The value `bond_changelink` passes to the option for an integer
/// attribute: u8 and u16 payloads as they are; u32 payloads go through a C
/// `int`, so values of 2^31 and more are sign-extended to 64 bits (and then
/// fail the range check, logged as `invalid value (<that u64>)`).
pub fn option_value(policy: Policy, payload: &[u8]) -> Option<u64> {
    let v = read_uint(policy, payload)?;
    Some(match policy {
        Policy::U32 | Policy::S32 => sign_extend_int(v as u32),
        _ => v,
    })
}

/// A 32-bit value stored in a C `int` and widened to `u64`.
pub const fn sign_extend_int(v: u32) -> u64 {
    v as i32 as i64 as u64
}

/// The interface index carried by `IFLA_BOND_ACTIVE_SLAVE` or
/// `IFLA_BOND_PRIMARY` (a C `int`).
pub fn ifindex(payload: &[u8]) -> Option<i32> {
    read_uint(Policy::U32, payload).map(|v| v as u32 as i32)
}

/// The value one nested ARP target is added as: its 4 network-order bytes
/// read as a host integer (C passes the `__be32` unchanged).
pub fn arp_target_value(payload: &[u8]) -> Result<u64, NlError> {
    payload
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(|b| u64::from(u32::from_ne_bytes(b)))
        .ok_or(NlError::ShortArpTarget)
}

/// The address one nested NS target is added as (its first 16 bytes).
pub fn ns_target(payload: &[u8]) -> Result<[u8; 16], NlError> {
    payload
        .get(..16)
        .and_then(|b| b.try_into().ok())
        .ok_or(NlError::ShortNsTarget)
}

/// The MAC carried by `IFLA_BOND_AD_ACTOR_SYSTEM`, which must be exactly
/// `ETH_ALEN` bytes.
pub fn actor_system(payload: &[u8]) -> Result<[u8; ETH_ALEN], NlError> {
    payload.try_into().map_err(|_| NlError::ActorSystemLen)
}

/// The value C passes for `IFLA_BOND_AD_ACTOR_SYSTEM`: 8 bytes read from the
/// attribute (the MAC and two padding bytes, taken as zero) as a host
/// integer; the setter uses the first 6 bytes in memory. This is also the
/// number printed in `invalid value (...)`.
pub fn actor_system_value(mac: [u8; ETH_ALEN]) -> u64 {
    let [a, b, c, d, e, f] = mac;
    u64::from_ne_bytes([a, b, c, d, e, f, 0, 0])
}

/// The MAC bytes back from [`actor_system_value`].
pub fn actor_system_mac(value: u64) -> [u8; ETH_ALEN] {
    let [a, b, c, d, e, f, _, _] = value.to_ne_bytes();
    [a, b, c, d, e, f]
}

/// `bond_changelink`'s `use_carrier` check: 1 passes (nothing is set).
pub fn check_use_carrier(value: u64) -> Result<(), NlError> {
    if value == 1 {
        Ok(())
    } else {
        Err(NlError::UseCarrierObsolete)
    }
}

/// `bond_changelink`'s check of `IFLA_BOND_ARP_INTERVAL` (`attr` =
/// `IFLA_BOND_ARP_INTERVAL`) or `IFLA_BOND_ARP_VALIDATE` against the
/// `miimon` given in the same request (0 when the request has none). Other
/// attributes pass.
pub fn check_arp_vs_miimon(attr: u16, value: u64, request_miimon: u64) -> Result<(), NlError> {
    if value == 0 || request_miimon == 0 {
        return Ok(());
    }
    match attr {
        IFLA_BOND_ARP_INTERVAL => Err(NlError::ArpWithMii),
        IFLA_BOND_ARP_VALIDATE => Err(NlError::ArpValidateWithMii),
        _ => Ok(()),
    }
}

/// `bond_validate`: the `IFLA_ADDRESS` of a new or changed bond must be a
/// 6-byte unicast, non-zero address.
pub fn validate_address(addr: &[u8]) -> Result<(), NlError> {
    let mac: [u8; ETH_ALEN] = addr.try_into().map_err(|_| NlError::AddressLen)?;
    if mac[0] & 1 != 0 || mac == [0; ETH_ALEN] {
        return Err(NlError::AddressNotAvail);
    }
    Ok(())
}

/// Where an option is set over netlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NlAttr {
    /// A bond attribute (`IFLA_INFO_DATA`).
    Bond(u16),
    /// A slave attribute (`IFLA_INFO_SLAVE_DATA`).
    Slave(u16),
}

/// The attribute that sets option `id` over netlink, if any (`use_carrier`,
/// `slaves` and `num_grat_arp` have none: slaves join through
/// `IFLA_MASTER`, and `IFLA_BOND_NUM_PEER_NOTIF` sets `num_unsol_na`).
pub fn attr_for_opt(id: OptId) -> Option<NlAttr> {
    if let Some(a) = BOND_ATTRS.iter().find(|a| a.opt == Some(id)) {
        return Some(NlAttr::Bond(a.attr));
    }
    SLAVE_ATTRS
        .iter()
        .find(|a| a.opt == Some(id))
        .map(|a| NlAttr::Slave(a.attr))
}

// ---------------------------------------------------------------------------
// sysfs
// ---------------------------------------------------------------------------

/// C's `PAGE_SIZE` as sysfs uses it for a show buffer.
pub const SYSFS_PAGE: usize = 4096;
/// C's `IFNAMSIZ`.
pub const IFNAMSIZ: usize = 16;
/// Name of the per-bond sysfs group directory.
pub const BOND_SYSFS_DIR: &str = "bonding";
/// Name of the per-slave sysfs directory.
pub const SLAVE_SYSFS_DIR: &str = "bonding_slave";

/// A field of the active aggregator's information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdInfoField {
    /// Aggregator id.
    Aggregator,
    /// Number of ports.
    NumPorts,
    /// Actor operational key.
    ActorKey,
    /// Partner operational key.
    PartnerKey,
}

/// How a bond sysfs file shows its content. Every non-empty output ends with
/// a newline; "empty" means the read returns 0 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowFormat {
    /// The option's current value through [`super::table::format_value`],
    /// then `\n`: `name number` (`"%s %d\n"`, e.g. `active-backup 1`) for
    /// the named-value options, the number alone (`"%d\n"` / `"%u\n"`) for
    /// the others.
    Value(OptId),
    /// A delay kept in monitor ticks, shown in ms (ticks times `miimon`),
    /// as a number: `"%d\n"`.
    DelayMs(OptId),
    /// Always `1\n` (`use_carrier` is obsolete).
    One,
    /// Slave names separated by spaces, the last one followed by `\n`; empty
    /// without slaves; `++more++ ` when the page fills up (see
    /// [`PageList`] with reserve `IFNAMSIZ`).
    SlaveNames,
    /// The set ARP targets in slot order as dotted quads separated by
    /// spaces, then `\n`; empty without targets.
    ArpTargets,
    /// The primary slave's name and `\n`; empty without a primary.
    PrimaryName,
    /// The active slave's name and `\n`; empty without an active slave.
    ActiveSlaveName,
    /// `up\n` when the bond has carrier, else `down\n`.
    CarrierStatus,
    /// In 802.3ad mode (and, for the keys, with `CAP_NET_ADMIN`): the field
    /// of the active aggregator's information, or 0 when it is not
    /// available, as `"%d\n"`; otherwise empty.
    AdInfo(AdInfoField),
    /// In 802.3ad mode with `CAP_NET_ADMIN` and the active aggregator's
    /// information available: the partner MAC (`"%pM\n"`, see
    /// [`write_mac`]); otherwise empty.
    AdPartnerMac,
    /// Each slave as `name:queue_id` separated by spaces, then `\n`; empty
    /// without slaves; `++more++ ` when the page fills (reserve
    /// `IFNAMSIZ + 6`).
    QueueIds,
    /// In 802.3ad mode with `CAP_NET_ADMIN`: the option's number
    /// (`"%hu\n"`); otherwise empty.
    LacpAdminValue(OptId),
    /// In 802.3ad mode with `CAP_NET_ADMIN`: `ad_actor_system` as `"%pM\n"`;
    /// otherwise empty.
    LacpAdminMac,
}

impl ShowFormat {
    /// Whether the file shows anything for a bond in `mode` read by a task
    /// with (`net_admin`) or without `CAP_NET_ADMIN` (other emptiness
    /// conditions, such as no primary, are the caller's).
    pub fn visible(self, mode: Mode, net_admin: bool) -> bool {
        let lacp = mode == Mode::Lacp;
        match self {
            ShowFormat::AdInfo(AdInfoField::Aggregator | AdInfoField::NumPorts) => lacp,
            ShowFormat::AdInfo(_)
            | ShowFormat::AdPartnerMac
            | ShowFormat::LacpAdminValue(_)
            | ShowFormat::LacpAdminMac => lacp && net_admin,
            _ => true,
        }
    }
}

/// One file of `/sys/class/net/<bond>/bonding/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SysfsFile {
    /// File name.
    pub name: &'static str,
    /// Permission bits.
    pub mode: u16,
    /// The option a write goes to (the option named like the file); `None`
    /// for read-only files.
    pub store: Option<OptId>,
    /// How a read formats the content.
    pub show: ShowFormat,
}

const fn rw(name: &'static str, id: OptId, show: ShowFormat) -> SysfsFile {
    SysfsFile {
        name,
        mode: 0o644,
        store: Some(id),
        show,
    }
}

const fn ro(name: &'static str, show: ShowFormat) -> SysfsFile {
    SysfsFile {
        name,
        mode: 0o444,
        store: None,
        show,
    }
}

/// The files of `/sys/class/net/<bond>/bonding/` in C's order
/// (`per_bond_attrs`). `ns_ip6_target`, `coupled_control`,
/// `broadcast_neighbor`, `lacp_strict` and the per-slave `prio` /
/// `actor_port_prio` have no file: they are netlink-only.
pub static BOND_SYSFS_FILES: [SysfsFile; 38] = [
    rw("slaves", OptId::Slaves, ShowFormat::SlaveNames),
    rw("mode", OptId::Mode, ShowFormat::Value(OptId::Mode)),
    rw(
        "fail_over_mac",
        OptId::FailOverMac,
        ShowFormat::Value(OptId::FailOverMac),
    ),
    rw(
        "arp_validate",
        OptId::ArpValidate,
        ShowFormat::Value(OptId::ArpValidate),
    ),
    rw(
        "arp_all_targets",
        OptId::ArpAllTargets,
        ShowFormat::Value(OptId::ArpAllTargets),
    ),
    rw(
        "arp_interval",
        OptId::ArpInterval,
        ShowFormat::Value(OptId::ArpInterval),
    ),
    rw("arp_ip_target", OptId::ArpIpTarget, ShowFormat::ArpTargets),
    rw(
        "downdelay",
        OptId::DownDelay,
        ShowFormat::DelayMs(OptId::DownDelay),
    ),
    rw(
        "updelay",
        OptId::UpDelay,
        ShowFormat::DelayMs(OptId::UpDelay),
    ),
    rw(
        "peer_notif_delay",
        OptId::PeerNotifDelay,
        ShowFormat::DelayMs(OptId::PeerNotifDelay),
    ),
    rw(
        "lacp_active",
        OptId::LacpActive,
        ShowFormat::Value(OptId::LacpActive),
    ),
    rw(
        "lacp_rate",
        OptId::LacpRate,
        ShowFormat::Value(OptId::LacpRate),
    ),
    rw(
        "ad_select",
        OptId::AdSelect,
        ShowFormat::Value(OptId::AdSelect),
    ),
    rw(
        "xmit_hash_policy",
        OptId::XmitHashPolicy,
        ShowFormat::Value(OptId::XmitHashPolicy),
    ),
    rw(
        "num_grat_arp",
        OptId::NumPeerNotifAlias,
        ShowFormat::Value(OptId::NumPeerNotifAlias),
    ),
    rw(
        "num_unsol_na",
        OptId::NumPeerNotif,
        ShowFormat::Value(OptId::NumPeerNotif),
    ),
    rw("miimon", OptId::Miimon, ShowFormat::Value(OptId::Miimon)),
    rw("primary", OptId::Primary, ShowFormat::PrimaryName),
    rw(
        "primary_reselect",
        OptId::PrimaryReselect,
        ShowFormat::Value(OptId::PrimaryReselect),
    ),
    rw("use_carrier", OptId::UseCarrier, ShowFormat::One),
    rw(
        "active_slave",
        OptId::ActiveSlave,
        ShowFormat::ActiveSlaveName,
    ),
    ro("mii_status", ShowFormat::CarrierStatus),
    ro("ad_aggregator", ShowFormat::AdInfo(AdInfoField::Aggregator)),
    ro("ad_num_ports", ShowFormat::AdInfo(AdInfoField::NumPorts)),
    ro("ad_actor_key", ShowFormat::AdInfo(AdInfoField::ActorKey)),
    ro(
        "ad_partner_key",
        ShowFormat::AdInfo(AdInfoField::PartnerKey),
    ),
    ro("ad_partner_mac", ShowFormat::AdPartnerMac),
    rw("queue_id", OptId::QueueId, ShowFormat::QueueIds),
    rw(
        "all_slaves_active",
        OptId::AllSlavesActive,
        ShowFormat::Value(OptId::AllSlavesActive),
    ),
    rw(
        "resend_igmp",
        OptId::ResendIgmp,
        ShowFormat::Value(OptId::ResendIgmp),
    ),
    rw(
        "min_links",
        OptId::MinLinks,
        ShowFormat::Value(OptId::MinLinks),
    ),
    rw(
        "lp_interval",
        OptId::LpInterval,
        ShowFormat::Value(OptId::LpInterval),
    ),
    rw(
        "packets_per_slave",
        OptId::PacketsPerSlave,
        ShowFormat::Value(OptId::PacketsPerSlave),
    ),
    rw(
        "tlb_dynamic_lb",
        OptId::TlbDynamicLb,
        ShowFormat::Value(OptId::TlbDynamicLb),
    ),
    rw(
        "ad_actor_sys_prio",
        OptId::AdActorSysPrio,
        ShowFormat::LacpAdminValue(OptId::AdActorSysPrio),
    ),
    rw(
        "ad_actor_system",
        OptId::AdActorSystem,
        ShowFormat::LacpAdminMac,
    ),
    rw(
        "ad_user_port_key",
        OptId::AdUserPortKey,
        ShowFormat::LacpAdminValue(OptId::AdUserPortKey),
    ),
    rw(
        "arp_missed_max",
        OptId::MissedMax,
        ShowFormat::Value(OptId::MissedMax),
    ),
];

/// The bond sysfs file named `name`.
pub fn sysfs_file(name: &[u8]) -> Option<&'static SysfsFile> {
    BOND_SYSFS_FILES.iter().find(|f| f.name.as_bytes() == name)
}

/// How a file of `/sys/class/net/<slave>/bonding_slave/` shows its content
/// (every file is read-only, mode 0444, and ends with a newline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaveShow {
    /// `active`, `backup` or `UNKNOWN` ([`slave_state_name`]).
    State,
    /// The link state name ([`slave_link_name`]): `up`, `going down`,
    /// `down`, `going back` or `unknown`.
    MiiStatus,
    /// The failure count as a C `int` (`"%d\n"`).
    LinkFailureCount,
    /// The permanent address, `addr_len` bytes as colon-separated lowercase
    /// hex (`"%*phC\n"`, see [`write_hw_addr`]).
    PermHwaddr,
    /// The queue id (`"%d\n"`).
    QueueId,
    /// In 802.3ad mode with an aggregator: its id (`"%d\n"`); else `N/A`.
    AdAggregatorId,
    /// In 802.3ad mode with an aggregator: the actor oper port state
    /// (`"%u\n"`); else `N/A`.
    AdActorOperPortState,
    /// In 802.3ad mode with an aggregator: the partner oper port state
    /// (`"%u\n"`); else `N/A`.
    AdPartnerOperPortState,
}

/// One file of `/sys/class/net/<slave>/bonding_slave/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaveSysfsFile {
    /// File name.
    pub name: &'static str,
    /// Permission bits (all 0444).
    pub mode: u16,
    /// How a read formats the content.
    pub show: SlaveShow,
}

const fn sro(name: &'static str, show: SlaveShow) -> SlaveSysfsFile {
    SlaveSysfsFile {
        name,
        mode: 0o444,
        show,
    }
}

/// The slave files in C's order (`slave_attrs`); Linux 7.2 added none.
pub static SLAVE_SYSFS_FILES: [SlaveSysfsFile; 8] = [
    sro("state", SlaveShow::State),
    sro("mii_status", SlaveShow::MiiStatus),
    sro("link_failure_count", SlaveShow::LinkFailureCount),
    sro("perm_hwaddr", SlaveShow::PermHwaddr),
    sro("queue_id", SlaveShow::QueueId),
    sro("ad_aggregator_id", SlaveShow::AdAggregatorId),
    sro("ad_actor_oper_port_state", SlaveShow::AdActorOperPortState),
    sro(
        "ad_partner_oper_port_state",
        SlaveShow::AdPartnerOperPortState,
    ),
];

/// Text the 802.3ad slave files show without an aggregator.
pub const NOT_AVAILABLE: &str = "N/A";

/// The slave `state` word for C's `slave->backup` (0 active, 1 backup).
pub fn slave_state_name(backup: u8) -> &'static str {
    match backup {
        0 => "active",
        1 => "backup",
        _ => "UNKNOWN",
    }
}

/// C's `bond_slave_link_status` for a `BOND_LINK_*` value.
pub fn slave_link_name(link: i8) -> &'static str {
    match link {
        0 => "up",
        1 => "going down",
        2 => "down",
        3 => "going back",
        _ => "unknown",
    }
}

/// Writes bytes as lowercase hex pairs joined by `:` (`%*phC`).
pub fn write_hw_addr(out: &mut impl Write, addr: &[u8]) -> fmt::Result {
    for (i, b) in addr.iter().enumerate() {
        if i > 0 {
            out.write_char(':')?;
        }
        write!(out, "{b:02x}")?;
    }
    Ok(())
}

/// Writes an Ethernet address as `%pM` does: `aa:bb:cc:dd:ee:ff`.
pub fn write_mac(out: &mut impl Write, mac: &[u8; ETH_ALEN]) -> fmt::Result {
    write_hw_addr(out, mac)
}

/// Writes an IPv4 address (network-order bytes) as `%pI4` does.
pub fn write_ipv4(out: &mut impl Write, addr: [u8; 4]) -> fmt::Result {
    let [a, b, c, d] = addr;
    write!(out, "{a}.{b}.{c}.{d}")
}

/// Builds a space-separated sysfs list in a page as C's list show functions
/// do: each item is followed by a space; before an item, when more than
/// `page - reserve` bytes are used, `++more++ ` is written (at most 10 bytes
/// before the page end) and the list stops; at the end the last space
/// becomes a newline. Writes are cut one byte short of the page, like
/// `sysfs_emit_at`. `reserve` is `IFNAMSIZ` for `slaves`, `IFNAMSIZ + 6`
/// for `queue_id`, `None` (no check) for `arp_ip_target`.
pub struct PageList<'a> {
    page: &'a mut [u8],
    len: usize,
    reserve: Option<usize>,
    full: bool,
}

impl<'a> PageList<'a> {
    /// Starts an empty list in `page` (its length is the page size).
    pub fn new(page: &'a mut [u8], reserve: Option<usize>) -> Self {
        PageList {
            page,
            len: 0,
            reserve,
            full: false,
        }
    }

    fn writer(&mut self) -> ByteWriter<'_> {
        let cap = self.page.len().saturating_sub(1);
        ByteWriter {
            buf: self.page,
            len: self.len,
            cap,
        }
    }

    /// Checks for room before an item; false once the list is full.
    fn room(&mut self) -> bool {
        if self.full {
            return false;
        }
        let size = self.page.len();
        if let Some(reserve) = self.reserve {
            if self.len > size.saturating_sub(reserve) {
                if size.saturating_sub(self.len) > 10 {
                    self.len = size - 10;
                }
                let mut w = self.writer();
                w.put(b"++more++ ");
                self.len = w.len;
                self.full = true;
                return false;
            }
        }
        true
    }

    /// Adds one item (bytes) and its trailing space; false once the page is
    /// full (the caller stops).
    pub fn add(&mut self, item: &[u8]) -> bool {
        if !self.room() {
            return false;
        }
        let mut w = self.writer();
        w.put(item);
        w.put(b" ");
        self.len = w.len;
        true
    }

    /// Adds `name:queue_id` (the `queue_id` file).
    pub fn add_queue_id(&mut self, name: &[u8], queue_id: u16) -> bool {
        if !self.room() {
            return false;
        }
        let mut w = self.writer();
        w.put(name);
        // Writing into a byte buffer never fails; truncation is silent.
        let _ = write!(w, ":{queue_id} ");
        self.len = w.len;
        true
    }

    /// Adds an IPv4 address in dotted-quad form (the `arp_ip_target` file).
    pub fn add_ipv4(&mut self, addr: [u8; 4]) -> bool {
        if !self.room() {
            return false;
        }
        let mut w = self.writer();
        // Writing into a byte buffer never fails; truncation is silent.
        let _ = write_ipv4(&mut w, addr);
        w.put(b" ");
        self.len = w.len;
        true
    }

    /// Ends the list: the length of the text.
    pub fn finish(self) -> usize {
        if self.len > 0 {
            if let Some(last) = self.page.get_mut(self.len - 1) {
                *last = b'\n';
            }
        }
        self.len
    }
}

/// Appends to a byte buffer up to `cap` bytes, dropping the rest.
struct ByteWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
    cap: usize,
}

impl ByteWriter<'_> {
    fn put(&mut self, b: &[u8]) {
        let cap = self.cap.min(self.buf.len());
        let room = cap.saturating_sub(self.len);
        let n = b.len().min(room);
        if let (Some(dst), Some(src)) = (self.buf.get_mut(self.len..self.len + n), b.get(..n)) {
            dst.copy_from_slice(src);
            self.len += n;
        }
    }
}

impl Write for ByteWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.put(s.as_bytes());
        Ok(())
    }
}
