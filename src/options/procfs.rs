// SPDX-License-Identifier: GPL-2.0

//! The text of `/proc/net/bonding/<bond>` (C's `bond_procfs.c`).
//!
//! Kernel-independent (imports only `core`): the caller copies what is
//! shown into a [`BondInfo`] (names and addresses borrowed) and the writers
//! produce exactly C's layout through [`core::fmt::Write`].
//!
//! C's file is a `seq_file` with one record for the bond and one per slave;
//! [`write_master`] and [`write_slave`] write one record each, and
//! [`write_bond`] writes them all. The file looks like this (active-backup):
//!
//! ```text
//! Ethernet Channel Bonding Driver: v<release>
//!
//! Bonding Mode: fault-tolerance (active-backup)
//! Primary Slave: None
//! Currently Active Slave: eth0
//! MII Status: up
//! MII Polling Interval (ms): 100
//! Up Delay (ms): 0
//! Down Delay (ms): 0
//! Peer Notification Delay (ms): 0
//!
//! Slave Interface: eth0
//! MII Status: up
//! Speed: 1000 Mbps
//! Duplex: full
//! Link Failure Count: 0
//! Permanent HW addr: 52:54:00:12:34:56
//! Slave queue ID: 0
//! ```
//!
//! The 802.3ad sections (the bond's "802.3ad info" block and each slave's
//! aggregator lines) are not written by [`write_master`] / [`write_slave`]:
//! they go through a [`ModeSections`] implementation passed to
//! [`write_bond_with`], called where C prints them (at the end of each
//! record, in 802.3ad mode only). Such an implementation copies the LACP
//! state into a [`LacpMasterInfo`] / [`LacpSlaveInfo`] and writes it with
//! [`write_lacp_master`] / [`write_lacp_slave`].
//!
//! Interface names are C strings: they end at the first NUL byte. Bytes that
//! are not UTF-8 cannot go through `core::fmt::Write` and are written as
//! U+FFFD (C writes them unchanged).

use core::fmt::{self, Write};

use super::table::{spec, OptId};
use super::Mode;
use crate::monitor::link::LinkState;
use crate::monitor::select::{DUPLEX_UNKNOWN, SPEED_UNKNOWN};

/// Start of the version line (C's `bond_version` without the release).
pub const VERSION_PREFIX: &str = "Ethernet Channel Bonding Driver: v";
/// Most ARP targets shown (C's `BOND_MAX_ARP_TARGETS`).
pub const MAX_ARP_TARGETS: usize = 16;
/// Most NS targets shown (C's `BOND_MAX_NS_TARGETS`).
pub const MAX_NS_TARGETS: usize = 16;
/// Most hardware-address bytes `%*ph` prints.
pub const MAX_HWADDR_SHOWN: usize = 64;

/// What the file shows about one slave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaveInfo<'a> {
    /// Interface name (`slave->dev->name`).
    pub name: &'a [u8],
    /// MII link state (`slave->link`).
    pub link: LinkState,
    /// Speed in Mbps, [`SPEED_UNKNOWN`] when unknown (`slave->speed`).
    pub speed: u32,
    /// Duplex: 0 half, [`DUPLEX_UNKNOWN`] unknown, anything else full
    /// (`slave->duplex`).
    pub duplex: u8,
    /// Link failures counted (`slave->link_failure_count`).
    pub link_failure_count: u32,
    /// Permanent hardware address, `addr_len` bytes of
    /// `slave->perm_hwaddr`.
    pub perm_hwaddr: &'a [u8],
    /// Transmit queue id (`slave->queue_id`).
    pub queue_id: u16,
}

/// What the file shows about a bond. Option values are C's numbers (the
/// option table's values); delays are in monitor ticks, as C stores them,
/// and are shown multiplied by `miimon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BondInfo<'a> {
    /// Kernel release printed after the `v` of the version line (C prints
    /// `UTS_RELEASE`).
    pub version: &'a str,
    /// Bonding mode.
    pub mode: Mode,
    /// `fail_over_mac` value (shown in active-backup when not `none`).
    pub fail_over_mac: u64,
    /// `xmit_hash_policy` value (shown in balance-xor and 802.3ad, and in
    /// balance-tlb / balance-alb when `tlb_dynamic_lb` is off).
    pub xmit_policy: u64,
    /// `tlb_dynamic_lb` is on.
    pub tlb_dynamic_lb: bool,
    /// Name of the primary slave (`bond->primary_slave`), if one is set and
    /// enslaved.
    pub primary: Option<&'a [u8]>,
    /// `primary_reselect` value (shown when there is a primary slave).
    pub primary_reselect: u64,
    /// Name of the current active slave (`bond->curr_active_slave`).
    pub curr_active: Option<&'a [u8]>,
    /// The bond device has carrier (`netif_carrier_ok(bond->dev)`).
    pub carrier: bool,
    /// `miimon`, in ms.
    pub miimon: i32,
    /// `updelay`, in ticks.
    pub updelay: i32,
    /// `downdelay`, in ticks.
    pub downdelay: i32,
    /// `peer_notif_delay`, in ticks.
    pub peer_notif_delay: i32,
    /// `arp_interval`, in ms; the ARP lines are shown when it is positive.
    pub arp_interval: i32,
    /// `arp_missed_max`.
    pub missed_max: u8,
    /// `arp_ip_target` slots, addresses in network byte order; the list
    /// ends at the first `0.0.0.0` or after [`MAX_ARP_TARGETS`].
    pub arp_targets: &'a [[u8; 4]],
    /// `ns_ip6_target` slots, addresses in network byte order; the list
    /// ends at the first `::` or after [`MAX_NS_TARGETS`]. `None` when the
    /// kernel has no IPv6 (`CONFIG_IPV6` off): C then omits the line.
    pub ns_targets: Option<&'a [[u8; 16]]>,
    /// The slaves, in slave-list order.
    pub slaves: &'a [SlaveInfo<'a>],
}

/// Mode-specific sections C prints at the end of records, only in 802.3ad
/// mode: the "802.3ad info" block of the bond and the aggregator lines of
/// each slave. The default methods write nothing.
pub trait ModeSections {
    /// Written at the end of the bond's record (after the ARP lines).
    fn write_master_extra(&self, _out: &mut dyn Write) -> fmt::Result {
        Ok(())
    }

    /// Written at the end of the record of `slaves[index]` (after "Slave
    /// queue ID").
    fn write_slave_extra(&self, _index: usize, _out: &mut dyn Write) -> fmt::Result {
        Ok(())
    }
}

/// [`ModeSections`] that writes nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoModeSections;

impl ModeSections for NoModeSections {}

/// Writes a C string (up to the first NUL), invalid UTF-8 as U+FFFD.
fn write_name(out: &mut (impl Write + ?Sized), name: &[u8]) -> fmt::Result {
    let name = match name.iter().position(|&b| b == 0) {
        Some(nul) => &name[..nul],
        None => name,
    };
    for chunk in name.utf8_chunks() {
        out.write_str(chunk.valid())?;
        if !chunk.invalid().is_empty() {
            out.write_char(char::REPLACEMENT_CHARACTER)?;
        }
    }
    Ok(())
}

/// Writes an optional name, `None` as C's "None".
fn write_opt_name(out: &mut impl Write, name: Option<&[u8]>) -> fmt::Result {
    match name {
        Some(name) => write_name(out, name),
        None => out.write_str("None"),
    }
}

/// The name of `value` in the table of option `id` (C's
/// `bond_opt_get_val(...)->string`). C would dereference a null pointer for
/// a value outside the table; rbond writes `unknown` instead.
fn value_name(id: OptId, value: u64) -> &'static str {
    spec(id).row(value).map_or("unknown", |row| row.name)
}

/// Writes an IPv4 address as `%pI4` does: dotted decimal.
pub fn write_ipv4(out: &mut impl Write, a: &[u8; 4]) -> fmt::Result {
    write!(out, "{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// Writes an IPv6 address as `%pI6c` does (lib/vsprintf.c,
/// `ip6_compressed_string`): 16-bit groups in lower-case hex without leading
/// zeros; the longest run of two or more zero groups (the first one on a
/// tie) written as `::`; IPv4-mapped (`::ffff:a.b.c.d`) and ISATAP
/// addresses end with the last 32 bits in dotted decimal.
pub fn write_ipv6(out: &mut impl Write, a: &[u8; 16]) -> fmt::Result {
    let word = |i: usize| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    let v4mapped = a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff;
    let isatap = (a[8] | 0x02) == 0x02 && a[9] == 0 && a[10] == 0x5e && a[11] == 0xfe;
    let use_ipv4 = v4mapped || isatap;
    let groups = if use_ipv4 { 6 } else { 8 };

    // The longest run of zero groups, if longer than one.
    let mut run: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < groups {
        let len = (i..groups).take_while(|&j| word(j) == 0).count();
        let longest = match run {
            Some((_, l)) => len > l,
            None => len > 1,
        };
        if longest {
            run = Some((i, len));
        }
        i += len.max(1);
    }

    let mut need_colon = false;
    let mut i = 0;
    while i < groups {
        if let Some((start, len)) = run {
            if i == start {
                out.write_str(if need_colon || i == 0 { "::" } else { ":" })?;
                need_colon = false;
                i += len;
                continue;
            }
        }
        if need_colon {
            out.write_char(':')?;
        }
        write!(out, "{:x}", word(i))?;
        need_colon = true;
        i += 1;
    }
    if use_ipv4 {
        if need_colon {
            out.write_char(':')?;
        }
        write_ipv4(out, &[a[12], a[13], a[14], a[15]])?;
    }
    Ok(())
}

/// Writes a hardware address as `%*phC` does: lower-case hex bytes joined
/// by `:`, at most [`MAX_HWADDR_SHOWN`] bytes, nothing for an empty one.
pub fn write_hwaddr(out: &mut (impl Write + ?Sized), addr: &[u8]) -> fmt::Result {
    for (i, b) in addr.iter().take(MAX_HWADDR_SHOWN).enumerate() {
        if i != 0 {
            out.write_char(':')?;
        }
        write!(out, "{b:02x}")?;
    }
    Ok(())
}

/// The mode uses a transmit hash (C's `bond_mode_uses_xmit_hash`): balance-xor,
/// 802.3ad, and balance-tlb / balance-alb with `tlb_dynamic_lb` off.
pub fn uses_xmit_hash(mode: Mode, tlb_dynamic_lb: bool) -> bool {
    match mode {
        Mode::Xor | Mode::Lacp => true,
        Mode::Tlb | Mode::Alb => !tlb_dynamic_lb,
        Mode::RoundRobin | Mode::ActiveBackup | Mode::Broadcast => false,
    }
}

/// The mode has a primary / active slave (C's `bond_mode_uses_primary`):
/// active-backup, balance-tlb, balance-alb.
pub fn uses_primary(mode: Mode) -> bool {
    matches!(mode, Mode::ActiveBackup | Mode::Tlb | Mode::Alb)
}

/// Writes the bond's record (C's `bond_info_seq_show` for the start token):
/// the version line, a blank line and the bond's lines, without the
/// 802.3ad section.
pub fn write_master(out: &mut impl Write, b: &BondInfo<'_>) -> fmt::Result {
    write!(out, "{VERSION_PREFIX}{}\n\n", b.version)?;

    write!(out, "Bonding Mode: {}", b.mode.long_name())?;
    if b.mode == Mode::ActiveBackup && b.fail_over_mac != 0 {
        write!(
            out,
            " (fail_over_mac {})",
            value_name(OptId::FailOverMac, b.fail_over_mac)
        )?;
    }
    out.write_char('\n')?;

    if uses_xmit_hash(b.mode, b.tlb_dynamic_lb) {
        writeln!(
            out,
            "Transmit Hash Policy: {} ({})",
            value_name(OptId::XmitHashPolicy, b.xmit_policy),
            b.xmit_policy as u32 as i32
        )?;
    }

    if uses_primary(b.mode) {
        out.write_str("Primary Slave: ")?;
        write_opt_name(out, b.primary)?;
        if b.primary.is_some() {
            write!(
                out,
                " (primary_reselect {})",
                value_name(OptId::PrimaryReselect, b.primary_reselect)
            )?;
        }
        out.write_str("\nCurrently Active Slave: ")?;
        write_opt_name(out, b.curr_active)?;
        out.write_char('\n')?;
    }

    writeln!(out, "MII Status: {}", if b.carrier { "up" } else { "down" })?;
    writeln!(out, "MII Polling Interval (ms): {}", b.miimon)?;
    writeln!(out, "Up Delay (ms): {}", b.updelay.wrapping_mul(b.miimon))?;
    writeln!(
        out,
        "Down Delay (ms): {}",
        b.downdelay.wrapping_mul(b.miimon)
    )?;
    writeln!(
        out,
        "Peer Notification Delay (ms): {}",
        b.peer_notif_delay.wrapping_mul(b.miimon)
    )?;

    if b.arp_interval > 0 {
        writeln!(out, "ARP Polling Interval (ms): {}", b.arp_interval)?;
        writeln!(out, "ARP Missed Max: {}", b.missed_max)?;
        out.write_str("ARP IP target/s (n.n.n.n form):")?;
        let targets = b.arp_targets.iter().take(MAX_ARP_TARGETS);
        for (i, t) in targets.take_while(|t| **t != [0; 4]).enumerate() {
            out.write_str(if i == 0 { " " } else { ", " })?;
            write_ipv4(out, t)?;
        }
        out.write_char('\n')?;

        if let Some(ns) = b.ns_targets {
            out.write_str("NS IPv6 target/s (xx::xx form):")?;
            let targets = ns.iter().take(MAX_NS_TARGETS);
            for (i, t) in targets.take_while(|t| **t != [0; 16]).enumerate() {
                out.write_str(if i == 0 { " " } else { ", " })?;
                write_ipv6(out, t)?;
            }
            out.write_char('\n')?;
        }
    }
    // C's 802.3ad section follows here ([`ModeSections::write_master_extra`]).
    Ok(())
}

/// Writes one slave's record (C's `bond_info_show_slave`): a blank line and
/// the slave's lines, without the 802.3ad lines.
pub fn write_slave(out: &mut impl Write, s: &SlaveInfo<'_>) -> fmt::Result {
    out.write_str("\nSlave Interface: ")?;
    write_name(out, s.name)?;
    out.write_char('\n')?;
    writeln!(out, "MII Status: {}", s.link.name())?;
    if s.speed == SPEED_UNKNOWN {
        out.write_str("Speed: Unknown\n")?;
    } else {
        // C prints the unsigned field with %d.
        writeln!(out, "Speed: {} Mbps", s.speed as i32)?;
    }
    let duplex = match s.duplex {
        DUPLEX_UNKNOWN => "Unknown",
        0 => "half",
        _ => "full",
    };
    writeln!(out, "Duplex: {duplex}")?;
    writeln!(out, "Link Failure Count: {}", s.link_failure_count)?;
    out.write_str("Permanent HW addr: ")?;
    write_hwaddr(out, s.perm_hwaddr)?;
    out.write_char('\n')?;
    writeln!(out, "Slave queue ID: {}", s.queue_id)?;
    // C's 802.3ad lines follow here ([`ModeSections::write_slave_extra`]).
    Ok(())
}

/// Writes the whole file: [`write_master`], then [`write_slave`] for each
/// slave, with `extra`'s sections appended to the records in 802.3ad mode.
pub fn write_bond_with(
    out: &mut impl Write,
    b: &BondInfo<'_>,
    extra: &dyn ModeSections,
) -> fmt::Result {
    let lacp = b.mode == Mode::Lacp;
    write_master(out, b)?;
    if lacp {
        extra.write_master_extra(out)?;
    }
    for (i, s) in b.slaves.iter().enumerate() {
        write_slave(out, s)?;
        if lacp {
            extra.write_slave_extra(i, out)?;
        }
    }
    Ok(())
}

/// Writes the whole file without mode-specific sections (all that
/// balance-rr, active-backup, balance-xor, broadcast, balance-tlb and
/// balance-alb show).
pub fn write_bond(out: &mut impl Write, b: &BondInfo<'_>) -> fmt::Result {
    write_bond_with(out, b, &NoModeSections)
}

/// What the bond's 802.3ad section shows (the end of C's
/// `bond_info_show_master`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LacpMasterInfo<'a> {
    /// Bond interface name, used in the "has no active aggregator" line.
    pub name: &'a [u8],
    /// `lacp_active` is on.
    pub lacp_active: bool,
    /// `lacp_rate` is fast.
    pub lacp_fast: bool,
    /// `min_links`.
    pub min_links: u32,
    /// `ad_select` value, shown by its name in the option table.
    pub ad_select: u64,
    /// The reader has `CAP_NET_ADMIN`: only then does C show the system
    /// priority, the system MAC address and the active aggregator.
    pub net_admin: bool,
    /// System priority (`BOND_AD_INFO(bond).system.sys_priority`).
    pub sys_priority: u16,
    /// System MAC address (`BOND_AD_INFO(bond).system.sys_mac_addr`).
    pub sys_mac: [u8; 6],
    /// The active aggregator (C's `__bond_3ad_get_active_agg_info`), `None`
    /// when no slave's aggregator is active.
    pub active: Option<AggInfo>,
}

/// The active aggregator as C's `struct ad_info` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AggInfo {
    /// Aggregator identifier.
    pub id: u16,
    /// Number of active ports (`__agg_active_ports`).
    pub ports: u16,
    /// Actor operational aggregator key.
    pub actor_key: u16,
    /// Partner operational aggregator key.
    pub partner_key: u16,
    /// Partner system MAC address.
    pub partner_mac: [u8; 6],
}

/// One side of a port as the slave's "details ... lacp pdu" block shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortDetails {
    /// System priority (actor: `port->actor_system_priority`; partner:
    /// `port->partner_oper.system_priority`).
    pub system_priority: u16,
    /// System MAC address (`actor_system` / `partner_oper.system`).
    pub system_mac: [u8; 6],
    /// Key (actor: `actor_oper_port_key`, shown as "port key"; partner:
    /// `partner_oper.key`, shown as "oper key").
    pub key: u16,
    /// Port priority (`actor_port_priority` / `partner_oper.port_priority`).
    pub port_priority: u16,
    /// Port number (`actor_port_number` / `partner_oper.port_number`).
    pub port_number: u16,
    /// Port state bits (`actor_oper_port_state`, a `u8` in C, /
    /// `partner_oper.port_state`, a `u16`).
    pub state: u16,
}

/// What one slave's 802.3ad lines show (the end of C's
/// `bond_info_show_slave`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LacpSlaveInfo {
    /// Identifier of the port's aggregator; `None` when the port has none,
    /// and C then prints only "Aggregator ID: N/A" (the other fields are not
    /// shown).
    pub aggregator_id: Option<u16>,
    /// Actor churn state, a `churn_state_t` value (see [`churn_desc`]).
    pub actor_churn: u8,
    /// Partner churn state, a `churn_state_t` value.
    pub partner_churn: u8,
    /// Times actor churn was detected (`churn_actor_count`).
    pub actor_churned_count: u32,
    /// Times partner churn was detected (`churn_partner_count`).
    pub partner_churned_count: u32,
    /// The reader has `CAP_NET_ADMIN`: only then does C show the actor and
    /// partner details.
    pub net_admin: bool,
    /// The port's own (actor) parameters.
    pub actor: PortDetails,
    /// The partner's operational parameters (`port->partner_oper`).
    pub partner: PortDetails,
}

/// The text of a `churn_state_t` value (C's `bond_3ad_churn_desc`):
/// `monitoring`, `churned`, `none`, and `unknown` for anything larger.
pub fn churn_desc(state: u8) -> &'static str {
    match state {
        0 => "monitoring",
        1 => "churned",
        2 => "none",
        _ => "unknown",
    }
}

/// Writes the bond's 802.3ad section: a blank line, "802.3ad info" and its
/// lines, ending with the active aggregator (or its absence) when
/// `net_admin`.
pub fn write_lacp_master(out: &mut dyn Write, m: &LacpMasterInfo<'_>) -> fmt::Result {
    out.write_str("\n802.3ad info\n")?;
    writeln!(
        out,
        "LACP active: {}",
        if m.lacp_active { "on" } else { "off" }
    )?;
    writeln!(
        out,
        "LACP rate: {}",
        if m.lacp_fast { "fast" } else { "slow" }
    )?;
    // C prints the unsigned field with %d.
    writeln!(out, "Min links: {}", m.min_links as i32)?;
    writeln!(
        out,
        "Aggregator selection policy (ad_select): {}",
        value_name(OptId::AdSelect, m.ad_select)
    )?;
    if !m.net_admin {
        return Ok(());
    }
    writeln!(out, "System priority: {}", m.sys_priority)?;
    out.write_str("System MAC address: ")?;
    write_hwaddr(out, &m.sys_mac)?;
    out.write_char('\n')?;
    match &m.active {
        None => {
            out.write_str("bond ")?;
            write_name(out, m.name)?;
            out.write_str(" has no active aggregator\n")
        }
        Some(agg) => {
            out.write_str("Active Aggregator Info:\n")?;
            writeln!(out, "\tAggregator ID: {}", agg.id)?;
            writeln!(out, "\tNumber of ports: {}", agg.ports)?;
            writeln!(out, "\tActor Key: {}", agg.actor_key)?;
            writeln!(out, "\tPartner Key: {}", agg.partner_key)?;
            out.write_str("\tPartner Mac Address: ")?;
            write_hwaddr(out, &agg.partner_mac)?;
            out.write_char('\n')
        }
    }
}

/// Writes one "details ... lacp pdu" block; `key_label` is C's name for
/// the key line.
fn write_port_details(
    out: &mut dyn Write,
    side: &str,
    key_label: &str,
    d: &PortDetails,
) -> fmt::Result {
    writeln!(out, "details {side} lacp pdu:")?;
    writeln!(out, "    system priority: {}", d.system_priority)?;
    out.write_str("    system mac address: ")?;
    write_hwaddr(out, &d.system_mac)?;
    out.write_char('\n')?;
    writeln!(out, "    {key_label}: {}", d.key)?;
    writeln!(out, "    port priority: {}", d.port_priority)?;
    writeln!(out, "    port number: {}", d.port_number)?;
    writeln!(out, "    port state: {}", d.state)
}

/// Writes one slave's 802.3ad lines: the aggregator id, churn states and
/// counts, and the actor / partner details when `net_admin`; only
/// "Aggregator ID: N/A" for a port without an aggregator.
pub fn write_lacp_slave(out: &mut dyn Write, s: &LacpSlaveInfo) -> fmt::Result {
    let Some(id) = s.aggregator_id else {
        return out.write_str("Aggregator ID: N/A\n");
    };
    writeln!(out, "Aggregator ID: {id}")?;
    writeln!(out, "Actor Churn State: {}", churn_desc(s.actor_churn))?;
    writeln!(out, "Partner Churn State: {}", churn_desc(s.partner_churn))?;
    // C prints the unsigned counters with %d.
    writeln!(out, "Actor Churned Count: {}", s.actor_churned_count as i32)?;
    writeln!(
        out,
        "Partner Churned Count: {}",
        s.partner_churned_count as i32
    )?;
    if s.net_admin {
        write_port_details(out, "actor", "port key", &s.actor)?;
        write_port_details(out, "partner", "oper key", &s.partner)?;
    }
    Ok(())
}
