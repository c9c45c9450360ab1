// SPDX-License-Identifier: GPL-2.0

//! The option table: one entry per bonding option, shared by every surface
//! (module parameters, sysfs, netlink, procfs).
//!
//! The behaviour follows the Linux 7.2 C driver (`bond_options.c`): the
//! option ids, names and value tables, the `NOSLAVES` / `IFDOWN` / `RAWVAL`
//! flags, the modes an option is not supported in, how a written value is
//! parsed (`bond_opt_parse`), the precondition checks (`bond_opt_check_deps`)
//! and the kernel-log lines printed when setting fails
//! (`bond_opt_error_interpret`, `bond_opt_dep_print`). Imports only `core`.

use core::fmt::{self, Write};

use super::{d, parse_value, v, Mode, OptValue, MODE_TABLE};

/// `EPERM`.
pub const EPERM: i32 = 1;
/// `ENOENT`.
pub const ENOENT: i32 = 2;
/// `EACCES`: the option is not supported in the bond's mode.
pub const EACCES: i32 = 13;
/// `EBUSY`: the option needs the bond to be down.
pub const EBUSY: i32 = 16;
/// `ENODEV`: a named interface does not exist.
pub const ENODEV: i32 = 19;
/// `EINVAL`: the value is not accepted.
pub const EINVAL: i32 = 22;
/// `ENOTEMPTY`: the option needs the bond to have no slaves.
pub const ENOTEMPTY: i32 = 39;
/// `EOPNOTSUPP`.
pub const EOPNOTSUPP: i32 = 95;

/// C's `INT_MAX`, the upper bound of the millisecond and count options.
pub const INT_MAX: u64 = 2_147_483_647;
/// C's `USHRT_MAX`, the upper bound of `packets_per_slave`.
pub const USHRT_MAX: u64 = 65_535;

/// Identifier of an option; the discriminants are C's `BOND_OPT_*` ids
/// (`include/net/bond_options.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum OptId {
    /// `mode` (`BOND_OPT_MODE`).
    Mode = 0,
    /// `packets_per_slave` (`BOND_OPT_PACKETS_PER_SLAVE`).
    PacketsPerSlave = 1,
    /// `xmit_hash_policy` (`BOND_OPT_XMIT_HASH`).
    XmitHashPolicy = 2,
    /// `arp_validate` (`BOND_OPT_ARP_VALIDATE`).
    ArpValidate = 3,
    /// `arp_all_targets` (`BOND_OPT_ARP_ALL_TARGETS`).
    ArpAllTargets = 4,
    /// `fail_over_mac` (`BOND_OPT_FAIL_OVER_MAC`).
    FailOverMac = 5,
    /// `arp_interval` (`BOND_OPT_ARP_INTERVAL`).
    ArpInterval = 6,
    /// `arp_ip_target` (`BOND_OPT_ARP_TARGETS`).
    ArpIpTarget = 7,
    /// `downdelay` (`BOND_OPT_DOWNDELAY`).
    DownDelay = 8,
    /// `updelay` (`BOND_OPT_UPDELAY`).
    UpDelay = 9,
    /// `lacp_rate` (`BOND_OPT_LACP_RATE`).
    LacpRate = 10,
    /// `min_links` (`BOND_OPT_MINLINKS`).
    MinLinks = 11,
    /// `ad_select` (`BOND_OPT_AD_SELECT`).
    AdSelect = 12,
    /// `num_unsol_na` (`BOND_OPT_NUM_PEER_NOTIF`).
    NumPeerNotif = 13,
    /// `miimon` (`BOND_OPT_MIIMON`).
    Miimon = 14,
    /// `primary` (`BOND_OPT_PRIMARY`).
    Primary = 15,
    /// `primary_reselect` (`BOND_OPT_PRIMARY_RESELECT`).
    PrimaryReselect = 16,
    /// `use_carrier` (`BOND_OPT_USE_CARRIER`).
    UseCarrier = 17,
    /// `active_slave` (`BOND_OPT_ACTIVE_SLAVE`).
    ActiveSlave = 18,
    /// `queue_id` (`BOND_OPT_QUEUE_ID`).
    QueueId = 19,
    /// `all_slaves_active` (`BOND_OPT_ALL_SLAVES_ACTIVE`).
    AllSlavesActive = 20,
    /// `resend_igmp` (`BOND_OPT_RESEND_IGMP`).
    ResendIgmp = 21,
    /// `lp_interval` (`BOND_OPT_LP_INTERVAL`).
    LpInterval = 22,
    /// `slaves` (`BOND_OPT_SLAVES`).
    Slaves = 23,
    /// `tlb_dynamic_lb` (`BOND_OPT_TLB_DYNAMIC_LB`).
    TlbDynamicLb = 24,
    /// `ad_actor_sys_prio` (`BOND_OPT_AD_ACTOR_SYS_PRIO`).
    AdActorSysPrio = 25,
    /// `ad_actor_system` (`BOND_OPT_AD_ACTOR_SYSTEM`).
    AdActorSystem = 26,
    /// `ad_user_port_key` (`BOND_OPT_AD_USER_PORT_KEY`).
    AdUserPortKey = 27,
    /// `num_grat_arp` (`BOND_OPT_NUM_PEER_NOTIF_ALIAS`).
    NumPeerNotifAlias = 28,
    /// `peer_notif_delay` (`BOND_OPT_PEER_NOTIF_DELAY`).
    PeerNotifDelay = 29,
    /// `lacp_active` (`BOND_OPT_LACP_ACTIVE`).
    LacpActive = 30,
    /// `arp_missed_max` (`BOND_OPT_MISSED_MAX`).
    MissedMax = 31,
    /// `ns_ip6_target` (`BOND_OPT_NS_TARGETS`).
    NsIp6Target = 32,
    /// `prio`, a per-slave option (`BOND_OPT_PRIO`).
    Prio = 33,
    /// `coupled_control` (`BOND_OPT_COUPLED_CONTROL`).
    CoupledControl = 34,
    /// `broadcast_neighbor` (`BOND_OPT_BROADCAST_NEIGH`).
    BroadcastNeighbor = 35,
    /// `actor_port_prio`, a per-slave option (`BOND_OPT_ACTOR_PORT_PRIO`).
    ActorPortPrio = 36,
    /// `lacp_strict` (`BOND_OPT_LACP_STRICT`).
    LacpStrict = 37,
}

/// Number of options (C's `BOND_OPT_LAST`).
pub const OPT_COUNT: usize = OptId::LacpStrict as usize + 1;

impl OptId {
    /// Every option, in id order.
    pub const ALL: [OptId; OPT_COUNT] = [
        OptId::Mode,
        OptId::PacketsPerSlave,
        OptId::XmitHashPolicy,
        OptId::ArpValidate,
        OptId::ArpAllTargets,
        OptId::FailOverMac,
        OptId::ArpInterval,
        OptId::ArpIpTarget,
        OptId::DownDelay,
        OptId::UpDelay,
        OptId::LacpRate,
        OptId::MinLinks,
        OptId::AdSelect,
        OptId::NumPeerNotif,
        OptId::Miimon,
        OptId::Primary,
        OptId::PrimaryReselect,
        OptId::UseCarrier,
        OptId::ActiveSlave,
        OptId::QueueId,
        OptId::AllSlavesActive,
        OptId::ResendIgmp,
        OptId::LpInterval,
        OptId::Slaves,
        OptId::TlbDynamicLb,
        OptId::AdActorSysPrio,
        OptId::AdActorSystem,
        OptId::AdUserPortKey,
        OptId::NumPeerNotifAlias,
        OptId::PeerNotifDelay,
        OptId::LacpActive,
        OptId::MissedMax,
        OptId::NsIp6Target,
        OptId::Prio,
        OptId::CoupledControl,
        OptId::BroadcastNeighbor,
        OptId::ActorPortPrio,
        OptId::LacpStrict,
    ];

    /// The option with C id `n`, if any.
    pub fn from_c(n: u32) -> Option<OptId> {
        usize::try_from(n)
            .ok()
            .and_then(|i| OptId::ALL.get(i))
            .copied()
    }

    /// The option's table entry.
    pub fn spec(self) -> &'static OptSpec {
        spec(self)
    }
}

/// How sysfs shows an option's current value (`bond_sysfs.c`), see
/// [`format_value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    /// The value's table name, a space and its number: `active-backup 1`.
    NameAndNumber,
    /// The number alone: `100`.
    Number,
    /// The number as a C `int` (may be negative): `-5`.
    SignedNumber,
    /// Text the caller formats itself (interface names, addresses, slave
    /// lists); [`format_value`] writes nothing.
    Text,
}

/// One option, as an entry of C's `bond_opts[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptSpec {
    /// Identifier.
    pub id: OptId,
    /// Name: the sysfs file name and the name used in kernel-log messages.
    pub name: &'static str,
    /// Description (C's `desc`; a few options have none).
    pub desc: Option<&'static str>,
    /// Named values accepted on input (empty for raw options). Rows named
    /// `minval` / `maxval` are C's `BOND_VALFLAG_MIN` / `MAX` rows and are
    /// valid input words too.
    pub values: &'static [OptValue],
    /// Lower bound of the numeric range (C's `BOND_VALFLAG_MIN` row); 0
    /// when absent and `max` is present.
    pub min: Option<u64>,
    /// Upper bound of the numeric range (C's `BOND_VALFLAG_MAX` row); with
    /// none, only table values are accepted.
    pub max: Option<u64>,
    /// The bond must have no slaves to set it (`BOND_OPTFLAG_NOSLAVES`).
    pub no_slaves: bool,
    /// The bond must be down to set it (`BOND_OPTFLAG_IFDOWN`).
    pub if_down: bool,
    /// The value is passed unparsed to the setter (`BOND_OPTFLAG_RAWVAL`).
    pub raw: bool,
    /// Modes the option cannot be set in: bit `1 << mode` (C's
    /// `unsuppmodes`, restricted to the seven modes).
    pub unsupported_modes: u8,
    /// How sysfs shows the value.
    pub style: ValueStyle,
}

impl OptSpec {
    /// The inclusive numeric range, as C's `bond_opt_check_range` sees it:
    /// `None` without a `maxval` row, a missing `minval` row counting as 0.
    pub fn range(&self) -> Option<(u64, u64)> {
        self.max.map(|max| (self.min.unwrap_or(0), max))
    }

    /// Whether the option may be set in `mode`.
    pub fn supported_in(&self, mode: Mode) -> bool {
        self.unsupported_modes & mode_bit(mode) == 0
    }

    /// The table row with numeric value `value` (C's `bond_opt_get_val`).
    pub fn row(&self, value: u64) -> Option<&'static OptValue> {
        self.values.iter().find(|row| row.value == value)
    }
}

/// The bit of `mode` in [`OptSpec::unsupported_modes`].
pub const fn mode_bit(mode: Mode) -> u8 {
    1 << (mode as u8)
}

/// Every mode's bit.
pub const ALL_MODES: u8 = 0x7f;

/// Every mode except those in `supported` (C's `BOND_MODE_ALL_EX`).
const fn all_except(supported: u8) -> u8 {
    ALL_MODES & !supported
}

const RR: u8 = mode_bit(Mode::RoundRobin);
const AB: u8 = mode_bit(Mode::ActiveBackup);
const LACP: u8 = mode_bit(Mode::Lacp);
const TLB: u8 = mode_bit(Mode::Tlb);
const ALB: u8 = mode_bit(Mode::Alb);

/// `packets_per_slave` values (C's `bond_pps_tbl`): range 0..=65535.
pub const PACKETS_PER_SLAVE_TABLE: &[OptValue] = &[d("default", 1), v("maxval", USHRT_MAX)];

/// `xmit_hash_policy` values (`BOND_XMIT_POLICY_*`).
pub const XMIT_HASH_POLICY_TABLE: &[OptValue] = &[
    d("layer2", 0),
    v("layer3+4", 1),
    v("layer2+3", 2),
    v("encap2+3", 3),
    v("encap3+4", 4),
    v("vlan+srcmac", 5),
];

/// `arp_validate` values (`BOND_ARP_VALIDATE_*`, `BOND_ARP_FILTER*`).
pub const ARP_VALIDATE_TABLE: &[OptValue] = &[
    d("none", 0),
    v("active", 1),
    v("backup", 2),
    v("all", 3),
    v("filter", 4),
    v("filter_active", 5),
    v("filter_backup", 6),
];

/// `arp_all_targets` values (`BOND_ARP_TARGETS_*`).
pub const ARP_ALL_TARGETS_TABLE: &[OptValue] = &[d("any", 0), v("all", 1)];

/// `fail_over_mac` values (`BOND_FOM_*`).
pub const FAIL_OVER_MAC_TABLE: &[OptValue] = &[d("none", 0), v("active", 1), v("follow", 2)];

/// Values of the millisecond / count options ranging over 0..=`INT_MAX`
/// (C's `bond_intmax_tbl`): `arp_interval`, `downdelay`, `updelay`,
/// `min_links`, `miimon`.
pub const INTMAX_TABLE: &[OptValue] = &[d("off", 0), v("maxval", INT_MAX)];

/// `lacp_active` values.
pub const LACP_ACTIVE_TABLE: &[OptValue] = &[v("off", 0), d("on", 1)];

/// `lacp_rate` values (`AD_LACP_SLOW`, `AD_LACP_FAST`); no default row.
pub const LACP_RATE_TABLE: &[OptValue] = &[v("slow", 0), v("fast", 1)];

/// `lacp_strict` values.
pub const LACP_STRICT_TABLE: &[OptValue] = &[d("off", 0), v("on", 1)];

/// `ad_select` values (`BOND_AD_*`).
pub const AD_SELECT_TABLE: &[OptValue] = &[
    d("stable", 0),
    v("bandwidth", 1),
    v("count", 2),
    v("actor_port_prio", 3),
];

/// `num_unsol_na` / `num_grat_arp` values: range 0..=255, default 1.
pub const NUM_PEER_NOTIF_TABLE: &[OptValue] = &[v("off", 0), v("maxval", 255), d("default", 1)];

/// `peer_notif_delay` values: range 0..=300000; no default row.
pub const PEER_NOTIF_DELAY_TABLE: &[OptValue] = &[v("off", 0), v("maxval", 300_000)];

/// `primary_reselect` values (`BOND_PRI_RESELECT_*`).
pub const PRIMARY_RESELECT_TABLE: &[OptValue] = &[d("always", 0), v("better", 1), v("failure", 2)];

/// `use_carrier` values: only `on` (1) is left.
pub const USE_CARRIER_TABLE: &[OptValue] = &[d("on", 1)];

/// `all_slaves_active` values.
pub const ALL_SLAVES_ACTIVE_TABLE: &[OptValue] = &[d("off", 0), v("on", 1)];

/// `resend_igmp` values: range 0..=255, default 1.
pub const RESEND_IGMP_TABLE: &[OptValue] = &[v("off", 0), v("maxval", 255), d("default", 1)];

/// `lp_interval` values: range 1..=`INT_MAX`, default 1.
pub const LP_INTERVAL_TABLE: &[OptValue] = &[d("minval", 1), v("maxval", INT_MAX)];

/// `tlb_dynamic_lb` values.
pub const TLB_DYNAMIC_LB_TABLE: &[OptValue] = &[v("off", 0), d("on", 1)];

/// `ad_actor_sys_prio` values: range 1..=65535, default 65535.
pub const AD_ACTOR_SYS_PRIO_TABLE: &[OptValue] = &[v("minval", 1), d("maxval", 65_535)];

/// `ad_user_port_key` values: range 0..=1023, default 0.
pub const AD_USER_PORT_KEY_TABLE: &[OptValue] = &[d("minval", 0), v("maxval", 1023)];

/// `arp_missed_max` values: range 1..=255, default 2.
pub const MISSED_MAX_TABLE: &[OptValue] = &[v("minval", 1), v("maxval", 255), d("default", 2)];

/// `coupled_control` values.
pub const COUPLED_CONTROL_TABLE: &[OptValue] = &[d("on", 1), v("off", 0)];

/// `broadcast_neighbor` values.
pub const BROADCAST_NEIGHBOR_TABLE: &[OptValue] = &[d("off", 0), v("on", 1)];

/// A table-valued option with no flags and no range, supported in every mode.
const fn opt(
    id: OptId,
    name: &'static str,
    desc: Option<&'static str>,
    values: &'static [OptValue],
) -> OptSpec {
    OptSpec {
        id,
        name,
        desc,
        values,
        min: None,
        max: None,
        no_slaves: false,
        if_down: false,
        raw: false,
        unsupported_modes: 0,
        style: ValueStyle::NameAndNumber,
    }
}

impl OptSpec {
    const fn range_of(mut self, min: Option<u64>, max: u64) -> Self {
        self.min = min;
        self.max = Some(max);
        self.style = ValueStyle::Number;
        self
    }

    const fn unsupported(mut self, modes: u8) -> Self {
        self.unsupported_modes = modes;
        self
    }

    const fn no_slaves(mut self) -> Self {
        self.no_slaves = true;
        self
    }

    const fn if_down(mut self) -> Self {
        self.if_down = true;
        self
    }

    const fn raw(mut self, style: ValueStyle) -> Self {
        self.raw = true;
        self.style = style;
        self
    }

    const fn style(mut self, style: ValueStyle) -> Self {
        self.style = style;
        self
    }
}

const NUM_PEER_NOTIF_DESC: Option<&str> =
    Some("Number of peer notifications to send on failover event");

/// The option table, indexed by [`OptId`] (C's `bond_opts[]`).
pub static OPTIONS: [OptSpec; OPT_COUNT] = [
    opt(OptId::Mode, "mode", Some("bond device mode"), MODE_TABLE)
        .no_slaves()
        .if_down(),
    opt(
        OptId::PacketsPerSlave,
        "packets_per_slave",
        Some("Packets to send per slave in RR mode"),
        PACKETS_PER_SLAVE_TABLE,
    )
    .range_of(None, USHRT_MAX)
    .unsupported(all_except(RR)),
    opt(
        OptId::XmitHashPolicy,
        "xmit_hash_policy",
        Some("balance-xor, 802.3ad, and tlb hashing method"),
        XMIT_HASH_POLICY_TABLE,
    ),
    opt(
        OptId::ArpValidate,
        "arp_validate",
        Some("validate src/dst of ARP probes"),
        ARP_VALIDATE_TABLE,
    )
    .unsupported(LACP | TLB | ALB),
    opt(
        OptId::ArpAllTargets,
        "arp_all_targets",
        Some("fail on any/all arp targets timeout"),
        ARP_ALL_TARGETS_TABLE,
    ),
    opt(
        OptId::FailOverMac,
        "fail_over_mac",
        Some("For active-backup, do not set all slaves to the same MAC"),
        FAIL_OVER_MAC_TABLE,
    )
    .no_slaves(),
    opt(
        OptId::ArpInterval,
        "arp_interval",
        Some("arp interval in milliseconds"),
        INTMAX_TABLE,
    )
    .range_of(None, INT_MAX)
    .unsupported(LACP | TLB | ALB),
    opt(
        OptId::ArpIpTarget,
        "arp_ip_target",
        Some("arp targets in n.n.n.n form"),
        &[],
    )
    .raw(ValueStyle::Text),
    opt(
        OptId::DownDelay,
        "downdelay",
        Some("Delay before considering link down, in milliseconds"),
        INTMAX_TABLE,
    )
    .range_of(None, INT_MAX),
    opt(
        OptId::UpDelay,
        "updelay",
        Some("Delay before considering link up, in milliseconds"),
        INTMAX_TABLE,
    )
    .range_of(None, INT_MAX),
    opt(
        OptId::LacpRate,
        "lacp_rate",
        Some("LACPDU tx rate to request from 802.3ad partner"),
        LACP_RATE_TABLE,
    )
    .if_down()
    .unsupported(all_except(LACP)),
    opt(
        OptId::MinLinks,
        "min_links",
        Some("Minimum number of available links before turning on carrier"),
        INTMAX_TABLE,
    )
    .range_of(None, INT_MAX),
    opt(
        OptId::AdSelect,
        "ad_select",
        Some("802.3ad aggregation selection logic"),
        AD_SELECT_TABLE,
    )
    .if_down(),
    opt(
        OptId::NumPeerNotif,
        "num_unsol_na",
        NUM_PEER_NOTIF_DESC,
        NUM_PEER_NOTIF_TABLE,
    )
    .range_of(None, 255),
    opt(
        OptId::Miimon,
        "miimon",
        Some("Link check interval in milliseconds"),
        INTMAX_TABLE,
    )
    .range_of(None, INT_MAX),
    opt(
        OptId::Primary,
        "primary",
        Some("Primary network device to use"),
        &[],
    )
    .raw(ValueStyle::Text)
    .unsupported(all_except(AB | TLB | ALB)),
    opt(
        OptId::PrimaryReselect,
        "primary_reselect",
        Some("Reselect primary slave once it comes up"),
        PRIMARY_RESELECT_TABLE,
    ),
    opt(
        OptId::UseCarrier,
        "use_carrier",
        Some("option obsolete, use_carrier cannot be disabled"),
        USE_CARRIER_TABLE,
    )
    .style(ValueStyle::Number),
    opt(
        OptId::ActiveSlave,
        "active_slave",
        Some("Currently active slave"),
        &[],
    )
    .raw(ValueStyle::Text)
    .unsupported(all_except(AB | TLB | ALB)),
    opt(
        OptId::QueueId,
        "queue_id",
        Some("Set queue id of a slave"),
        &[],
    )
    .raw(ValueStyle::Text),
    opt(
        OptId::AllSlavesActive,
        "all_slaves_active",
        Some(
            "Keep all frames received on an interface by setting active flag for all slaves",
        ),
        ALL_SLAVES_ACTIVE_TABLE,
    )
    .style(ValueStyle::Number),
    opt(
        OptId::ResendIgmp,
        "resend_igmp",
        Some("Number of IGMP membership reports to send on link failure"),
        RESEND_IGMP_TABLE,
    )
    .range_of(None, 255),
    opt(
        OptId::LpInterval,
        "lp_interval",
        Some(
            "The number of seconds between instances where the bonding driver sends learning packets to each slave's peer switch",
        ),
        LP_INTERVAL_TABLE,
    )
    .range_of(Some(1), INT_MAX)
    // C's `int`: the module parameter (a `uint`) can make it negative.
    .style(ValueStyle::SignedNumber),
    opt(
        OptId::Slaves,
        "slaves",
        Some("Slave membership management"),
        &[],
    )
    .raw(ValueStyle::Text),
    opt(
        OptId::TlbDynamicLb,
        "tlb_dynamic_lb",
        Some("Enable dynamic flow shuffling"),
        TLB_DYNAMIC_LB_TABLE,
    )
    .if_down()
    .unsupported(all_except(TLB | ALB))
    .style(ValueStyle::Number),
    opt(
        OptId::AdActorSysPrio,
        "ad_actor_sys_prio",
        None,
        AD_ACTOR_SYS_PRIO_TABLE,
    )
    .range_of(Some(1), 65_535)
    .unsupported(all_except(LACP)),
    opt(OptId::AdActorSystem, "ad_actor_system", None, &[])
        .raw(ValueStyle::Text)
        .unsupported(all_except(LACP)),
    opt(
        OptId::AdUserPortKey,
        "ad_user_port_key",
        None,
        AD_USER_PORT_KEY_TABLE,
    )
    .range_of(Some(0), 1023)
    .if_down()
    .unsupported(all_except(LACP)),
    opt(
        OptId::NumPeerNotifAlias,
        "num_grat_arp",
        NUM_PEER_NOTIF_DESC,
        NUM_PEER_NOTIF_TABLE,
    )
    .range_of(None, 255),
    opt(
        OptId::PeerNotifDelay,
        "peer_notif_delay",
        Some("Delay between each peer notification on failover event, in milliseconds"),
        PEER_NOTIF_DELAY_TABLE,
    )
    .range_of(None, 300_000),
    opt(
        OptId::LacpActive,
        "lacp_active",
        Some("Send LACPDU frames with configured lacp rate or acts as speak when spoken to"),
        LACP_ACTIVE_TABLE,
    )
    .if_down()
    .unsupported(all_except(LACP)),
    opt(
        OptId::MissedMax,
        "arp_missed_max",
        Some("Maximum number of missed ARP interval"),
        MISSED_MAX_TABLE,
    )
    .range_of(Some(1), 255)
    .unsupported(LACP | TLB | ALB),
    opt(
        OptId::NsIp6Target,
        "ns_ip6_target",
        Some("NS targets in ffff:ffff::ffff:ffff form"),
        &[],
    )
    .raw(ValueStyle::Text),
    opt(
        OptId::Prio,
        "prio",
        Some("Link priority for failover re-selection"),
        &[],
    )
    .raw(ValueStyle::SignedNumber)
    .unsupported(all_except(AB | TLB | ALB)),
    opt(
        OptId::CoupledControl,
        "coupled_control",
        Some("Opt into using coupled control MUX for LACP states"),
        COUPLED_CONTROL_TABLE,
    )
    .if_down()
    .unsupported(all_except(LACP))
    .style(ValueStyle::Number),
    opt(
        OptId::BroadcastNeighbor,
        "broadcast_neighbor",
        Some("Broadcast neighbor packets to all active slaves"),
        BROADCAST_NEIGHBOR_TABLE,
    )
    .unsupported(all_except(LACP))
    .style(ValueStyle::Number),
    opt(OptId::ActorPortPrio, "actor_port_prio", None, &[])
        .raw(ValueStyle::Number)
        .unsupported(all_except(LACP)),
    opt(
        OptId::LacpStrict,
        "lacp_strict",
        Some("Define the LACP fallback mode when no slaves have negotiated"),
        LACP_STRICT_TABLE,
    )
    .unsupported(all_except(LACP))
    .style(ValueStyle::Number),
];

// The table is indexed by id: check the order at compile time.
const _: () = {
    let mut i = 0;
    while i < OPT_COUNT {
        assert!(OPTIONS[i].id as usize == i);
        assert!(OptId::ALL[i] as usize == i);
        i += 1;
    }
};

/// The table entry of `id` (C's `bond_opt_get`).
pub fn spec(id: OptId) -> &'static OptSpec {
    &OPTIONS[id as usize]
}

/// The option named `name` (C's `bond_opt_get_by_name`: exact match, as the
/// sysfs store does with its file name).
pub fn by_name(name: &[u8]) -> Option<OptId> {
    OPTIONS
        .iter()
        .find(|opt| opt.name.as_bytes() == name)
        .map(|opt| opt.id)
}

/// The bond state the preconditions look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BondState {
    /// Current mode.
    pub mode: Mode,
    /// The bond device is administratively up (`IFF_UP`).
    pub up: bool,
    /// The bond has at least one slave.
    pub has_slaves: bool,
}

/// A parsed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed<'a> {
    /// A table value or a number inside the option's range.
    Value(u64),
    /// The input of a raw option (C's `BOND_OPTFLAG_RAWVAL`), cut at the
    /// first NUL as the C string would be; its setter parses it.
    Raw(&'a [u8]),
}

/// Why setting an option failed, with what C logs for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptError {
    /// `-EINVAL` for a string value: not a table name, not a table number,
    /// not in the range (also what setters return for values they reject).
    Invalid,
    /// `-EINVAL` for a value given as a number (netlink).
    InvalidNumber(u64),
    /// `-EACCES`: the option is not supported in this mode.
    ModeUnsupported(Mode),
    /// `-ENOTEMPTY`: the option needs a bond without slaves.
    HasSlaves,
    /// `-EBUSY`: the option needs the bond to be down.
    Up,
    /// `-ENODEV`: the interface named by the value does not exist.
    NoDevice,
    /// `-EPERM` from a delay option while `miimon` is 0.
    MiimonDisabled,
    /// Another errno (positive) returned by a setter, which logged its own
    /// message: nothing more is logged.
    Other(i32),
}

impl OptError {
    /// The errno, positive (the syscall returns its negation).
    pub fn errno(&self) -> i32 {
        match self {
            OptError::Invalid | OptError::InvalidNumber(_) => EINVAL,
            OptError::ModeUnsupported(_) => EACCES,
            OptError::HasSlaves => ENOTEMPTY,
            OptError::Up => EBUSY,
            OptError::NoDevice => ENODEV,
            OptError::MiimonDisabled => EPERM,
            OptError::Other(e) => *e,
        }
    }

    /// The netlink extended-ack message C attaches, if any.
    pub fn extack(&self) -> Option<&'static str> {
        match self {
            OptError::Invalid | OptError::InvalidNumber(_) => Some("invalid option value"),
            OptError::ModeUnsupported(_) => Some("option not supported in mode"),
            OptError::HasSlaves => Some("unable to set option because the bond device has slaves"),
            OptError::Up => Some("unable to set option because the bond is up"),
            OptError::NoDevice => Some("interface does not exist"),
            OptError::MiimonDisabled | OptError::Other(_) => None,
        }
    }

    /// The kernel-log lines C prints for this error (each one `netdev_err`
    /// on the bond, which adds the device prefix). `input` is the string the
    /// user wrote (ignored for number-valued errors).
    pub fn lines<'a>(&'a self, opt: &'a OptSpec, input: &'a [u8]) -> MessageLines<'a> {
        MessageLines {
            line: MessageLine {
                err: self,
                opt,
                input,
                n: 0,
            },
        }
    }

    /// Writes every line of [`OptError::lines`], each ended by `'\n'`.
    pub fn message(&self, opt: &OptSpec, input: &[u8], out: &mut impl Write) -> fmt::Result {
        for line in self.lines(opt, input) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    fn line_count(&self, opt: &OptSpec) -> u8 {
        match self {
            OptError::Invalid | OptError::InvalidNumber(_) => 1 + u8::from(opt.max.is_some()),
            OptError::ModeUnsupported(_)
            | OptError::HasSlaves
            | OptError::Up
            | OptError::NoDevice
            | OptError::MiimonDisabled => 1,
            OptError::Other(_) => 0,
        }
    }
}

/// One kernel-log line of an [`OptError`], without the trailing newline.
#[derive(Debug, Clone, Copy)]
pub struct MessageLine<'a> {
    err: &'a OptError,
    opt: &'a OptSpec,
    input: &'a [u8],
    n: u8,
}

impl fmt::Display for MessageLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.opt.name;
        match (self.err, self.n) {
            (OptError::Invalid, 0) => {
                write!(f, "option {name}: invalid value (")?;
                write_c_line(f, self.input)?;
                f.write_str(")")
            }
            (OptError::InvalidNumber(n), 0) => write!(f, "option {name}: invalid value ({n})"),
            (OptError::Invalid | OptError::InvalidNumber(_), _) => {
                let (min, max) = self.opt.range().unwrap_or((0, 0));
                write!(f, "option {name}: allowed values {min} - {max}")
            }
            (OptError::ModeUnsupported(mode), _) => write!(
                f,
                "option {name}: mode dependency failed, not supported in mode {}({})",
                mode.name(),
                *mode as u8
            ),
            (OptError::HasSlaves, _) => write!(
                f,
                "option {name}: unable to set because the bond device has slaves"
            ),
            (OptError::Up, _) => write!(
                f,
                "option {name}: unable to set because the bond device is up"
            ),
            (OptError::NoDevice, _) => {
                write!(f, "option {name}: interface ")?;
                write_c_line(f, self.input)?;
                f.write_str(" does not exist!")
            }
            (OptError::MiimonDisabled, _) => write!(
                f,
                "Unable to set {} as MII monitoring is disabled",
                delay_name(self.opt.id).unwrap_or(name)
            ),
            (OptError::Other(_), _) => Ok(()),
        }
    }
}

/// Iterator over the lines of an [`OptError`].
#[derive(Debug, Clone)]
pub struct MessageLines<'a> {
    line: MessageLine<'a>,
}

impl<'a> Iterator for MessageLines<'a> {
    type Item = MessageLine<'a>;

    fn next(&mut self) -> Option<MessageLine<'a>> {
        if self.line.n >= self.line.err.line_count(self.line.opt) {
            return None;
        }
        let line = self.line;
        self.line.n += 1;
        Some(line)
    }
}

/// `input` as a C string: cut at the first NUL.
fn c_str(input: &[u8]) -> &[u8] {
    match input.iter().position(|&b| b == 0) {
        Some(nul) => &input[..nul],
        None => input,
    }
}

/// Writes `input` as C prints a value string in messages: cut at the first
/// NUL and the first newline. Bytes that are not UTF-8 become U+FFFD.
fn write_c_line(out: &mut impl Write, input: &[u8]) -> fmt::Result {
    let s = c_str(input);
    let s = match s.iter().position(|&b| b == b'\n') {
        Some(nl) => &s[..nl],
        None => s,
    };
    for chunk in s.utf8_chunks() {
        out.write_str(chunk.valid())?;
        if !chunk.invalid().is_empty() {
            out.write_char(char::REPLACEMENT_CHARACTER)?;
        }
    }
    Ok(())
}

/// Name the delay setters use in their messages (`_bond_option_delay_set`).
pub fn delay_name(id: OptId) -> Option<&'static str> {
    match id {
        OptId::UpDelay => Some("up delay"),
        OptId::DownDelay => Some("down delay"),
        OptId::PeerNotifDelay => Some("peer notification delay"),
        _ => None,
    }
}

/// The preconditions of setting `id` in `state`, in C's order
/// (`bond_opt_check_deps`): mode, then slaves, then up.
pub fn check(id: OptId, state: &BondState) -> Result<(), OptError> {
    let opt = spec(id);
    if !opt.supported_in(state.mode) {
        return Err(OptError::ModeUnsupported(state.mode));
    }
    if opt.no_slaves && state.has_slaves {
        return Err(OptError::HasSlaves);
    }
    if opt.if_down && state.up {
        return Err(OptError::Up);
    }
    Ok(())
}

/// Parses a string written for `id` (C's `bond_opt_parse` on a string
/// value): raw options get their input back; the others follow
/// [`parse_value`] with the option's table and range. The input is a C
/// string, so it ends at the first NUL.
pub fn parse(id: OptId, input: &[u8]) -> Result<Parsed<'_>, OptError> {
    let opt = spec(id);
    let input = c_str(input);
    if opt.raw {
        return Ok(Parsed::Raw(input));
    }
    parse_value(opt.values, opt.range(), input)
        .map(Parsed::Value)
        .ok_or(OptError::Invalid)
}

/// Parses a value given as a number (netlink; C's `bond_opt_parse` with a
/// value): a table value or a number in the range. Raw options take any
/// number.
pub fn parse_number(id: OptId, value: u64) -> Result<u64, OptError> {
    let opt = spec(id);
    if opt.raw {
        return Ok(value);
    }
    if opt.row(value).is_some() {
        return Ok(value);
    }
    match opt.range() {
        Some((lo, hi)) if (lo..=hi).contains(&value) => Ok(value),
        _ => Err(OptError::InvalidNumber(value)),
    }
}

/// What C's `__bond_opt_set` decides before calling the setter: the
/// preconditions ([`check`]), then the parse ([`parse`]).
pub fn validate<'a>(id: OptId, state: &BondState, input: &'a [u8]) -> Result<Parsed<'a>, OptError> {
    check(id, state)?;
    parse(id, input)
}

/// [`validate`] for a value given as a number (netlink).
pub fn validate_number(id: OptId, state: &BondState, value: u64) -> Result<u64, OptError> {
    check(id, state)?;
    parse_number(id, value)
}

/// The precondition of the delay setters (`updelay`, `downdelay`,
/// `peer_notif_delay`): MII monitoring must be on. Other options pass.
pub fn check_miimon(id: OptId, miimon: u32) -> Result<(), OptError> {
    if delay_name(id).is_some() && miimon == 0 {
        return Err(OptError::MiimonDisabled);
    }
    Ok(())
}

/// An updelay or downdelay in ms converted to monitor ticks, as C stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundedDelay {
    /// Whole `miimon` periods (C's `params.updelay` / `params.downdelay`).
    pub ticks: u32,
    /// The delay in force, in ms: `ticks * miimon`, the input rounded down
    /// to a multiple of `miimon`.
    pub ms: u32,
    /// The input was not a multiple of `miimon`: C warns "... is not a
    /// multiple of miimon (...), ... rounded to <ms> ms".
    pub warn: bool,
}

/// Converts a delay in ms to monitor ticks for a `miimon` period in ms, as
/// C's `_bond_option_delay_set` and `bond_check_params` do: rounded down to
/// a multiple of `miimon`, with a warning when that changes the value.
/// `None` when `miimon` is 0: setting the option then fails with `-EPERM`
/// ("Unable to set ... as MII monitoring is disabled"), while the module
/// parameters only warn that the delays have no effect.
pub const fn delay_ms_to_ticks(delay_ms: u32, miimon_ms: u32) -> Option<RoundedDelay> {
    if miimon_ms == 0 {
        return None;
    }
    let ticks = delay_ms / miimon_ms;
    Some(RoundedDelay {
        ticks,
        ms: ticks * miimon_ms,
        warn: delay_ms % miimon_ms != 0,
    })
}

/// Writes the warning a delay setter logs (`netdev_warn`) when `value_ms`
/// is not a multiple of `miimon` (non-zero), without the trailing newline.
/// Writes nothing for other options, a zero `miimon` or an exact multiple.
pub fn write_delay_rounded(
    id: OptId,
    value_ms: u32,
    miimon: u32,
    out: &mut impl Write,
) -> fmt::Result {
    let Some(name) = delay_name(id) else {
        return Ok(());
    };
    match delay_ms_to_ticks(value_ms, miimon) {
        Some(r) if r.warn => write!(
            out,
            "{name} ({value_ms}) is not a multiple of miimon ({miimon}), value rounded to {} ms",
            r.ms
        ),
        _ => Ok(()),
    }
}

/// Writes the current value of `id` as its sysfs file shows it
/// (`bond_sysfs.c`), without the trailing newline: `name number` for the
/// named-value options (e.g. `active-backup 1`, `layer2 0`), the number
/// alone for the numeric ones (for `downdelay`, `updelay` and
/// `peer_notif_delay` pass the value in ms). A named-value option whose value
/// has no table row is written as the number alone. Text options
/// ([`ValueStyle::Text`]) write nothing.
pub fn format_value(id: OptId, value: u64, out: &mut impl Write) -> fmt::Result {
    let opt = spec(id);
    match opt.style {
        ValueStyle::NameAndNumber => match opt.row(value) {
            Some(row) => write!(out, "{} {}", row.name, value),
            None => write!(out, "{value}"),
        },
        ValueStyle::Number => write!(out, "{value}"),
        // C keeps these as `int`: the low 32 bits, signed.
        ValueStyle::SignedNumber => write!(out, "{}", value as u32 as i32),
        ValueStyle::Text => Ok(()),
    }
}
