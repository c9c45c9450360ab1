// SPDX-License-Identifier: GPL-2.0

//! Decisions of the ARP / NS monitor (C's `bond_loadbalance_arp_mon`,
//! `bond_ab_arp_inspect`, `bond_ab_arp_commit`, `bond_ab_arp_probe`) and of
//! the receive-side probe validation (`bond_rcv_validate`, `bond_arp_rcv`,
//! `bond_na_rcv`).
//!
//! Kernel-independent (imports only `core`): the kernel side reads the slave
//! fields (`last_rx`, `last_tx`, `last_link_up`, `target_last_arp_rx`, the
//! backup flag), calls these functions, and performs the I/O and the state
//! changes they describe (sending probes, setting link states and flags,
//! failover, messages).
//!
//! # Time
//!
//! Times are jiffies ([`Jiffies`], a `u64` counter that wraps). They are
//! compared as the kernel's `time_after` family does: by the sign of the
//! wrapping difference, so a time up to 2^63 - 1 ticks "ahead" is after,
//! whatever the raw values.
//!
//! The monitor's tolerance window is C's `bond_time_in_interval`
//! ([`in_interval`]): `now` must lie in
//! `[last - delta, last + mult * delta + delta / 2]`, where `delta` is
//! `arp_interval` in jiffies. C computes `delta` as an `int` and the upper
//! offset `mult * delta + delta / 2` in `int` arithmetic, which wraps (the
//! kernel is built with `-fno-strict-overflow`); [`in_interval`] does the
//! same, so a huge `arp_interval` with a large `arp_missed_max` gives C's
//! (empty or shifted) window, not the mathematically exact one.
//!
//! # Active-backup pass
//!
//! 1. [`ab_inspect`] for every slave (under RCU), with
//!    [`slave_last_rx`] resolving `arp_all_targets`.
//! 2. If any slave has a proposal: [`ab_commit`] for each proposal (under
//!    RTNL), then failover if asked, then `bond_set_carrier`.
//! 3. Probe: with an active slave, send the probes on it; without one,
//!    mark down the slaves [`probe_marks_down`] names and make the slave
//!    chosen by [`probe_next`] the new current ARP slave.
//!
//! # Receive side
//!
//! [`rx_probe`] decides what a frame received on a slave does; for a probe
//! to validate, [`parse_arp`] / [`parse_ns_na`] read the header, [`trust`]
//! tells which addresses to check, and the caller checks them (the source
//! against the target table, the destination against the bond's own
//! addresses) before refreshing `last_rx` and the target's
//! `target_last_arp_rx` slot.

use super::link::LinkState;
use crate::options::targets::MAX_TARGETS;

/// A time in jiffies (C's `unsigned long jiffies`, 64 bits here), wrapping.
pub type Jiffies = u64;

/// `time_after(a, b)`: `a` is strictly later than `b` (signed wrapping
/// difference).
pub const fn time_after(a: Jiffies, b: Jiffies) -> bool {
    (b.wrapping_sub(a) as i64) < 0
}

/// `time_before(a, b)`: `a` is strictly earlier than `b`.
pub const fn time_before(a: Jiffies, b: Jiffies) -> bool {
    time_after(b, a)
}

/// `time_after_eq(a, b)`: `a` is later than or equal to `b`.
pub const fn time_after_eq(a: Jiffies, b: Jiffies) -> bool {
    (a.wrapping_sub(b) as i64) >= 0
}

/// `time_before_eq(a, b)`: `a` is earlier than or equal to `b`.
pub const fn time_before_eq(a: Jiffies, b: Jiffies) -> bool {
    time_after_eq(b, a)
}

/// `time_in_range(a, lo, hi)`: `lo <= a <= hi` in wrapping time.
pub const fn time_in_range(a: Jiffies, lo: Jiffies, hi: Jiffies) -> bool {
    time_after_eq(a, lo) && time_before_eq(a, hi)
}

/// Timing of one ARP monitor pass.
#[derive(Debug, Clone, Copy)]
pub struct ArpTiming {
    /// `jiffies` at the time of the decision.
    pub now: Jiffies,
    /// `msecs_to_jiffies(arp_interval)`. Read as C's `int delta_in_ticks`:
    /// only the low 32 bits count (`arp_interval` is at most `INT_MAX` ms,
    /// so the kernel's value always fits).
    pub delta: Jiffies,
    /// `arp_missed_max` (C keeps it in a `u8`, 1 to 255).
    pub missed_max: u32,
}

/// C's `bond_time_in_interval(bond, last, mult)`: `now` lies in
/// `[last - delta, last + mult * delta + delta / 2]` (wrapping time), with
/// C's `int` arithmetic for `delta` and the upper offset (see the module
/// documentation).
pub const fn in_interval(t: &ArpTiming, last: Jiffies, mult: u32) -> bool {
    let delta = t.delta as u32 as i32;
    let upper = (mult as i32).wrapping_mul(delta).wrapping_add(delta / 2);
    let lo = last.wrapping_sub(delta as i64 as u64);
    let hi = last.wrapping_add(upper as i64 as u64);
    time_in_range(t.now, lo, hi)
}

/// One slave as the active-backup inspection sees it.
#[derive(Debug, Clone, Copy)]
pub struct AbSlave {
    /// The slave's committed link state (`slave->link`).
    pub link: LinkState,
    /// The slave is active (`!slave->backup`, C's `bond_is_active_slave`).
    pub active: bool,
    /// `slave_last_rx()` (already resolved for `arp_all_targets`, see
    /// [`slave_last_rx`]).
    pub last_rx: Jiffies,
    /// `slave_last_tx()`.
    pub last_tx: Jiffies,
    /// `slave->last_link_up`.
    pub last_link_up: Jiffies,
}

/// C's `bond_ab_arp_inspect` for one slave: the proposed new link state,
/// `None` for no change (`BOND_LINK_NOCHANGE`). `arp_slave_set`: the bond
/// has a current ARP slave (`bond->current_arp_slave` is not NULL).
///
/// "Within `m` intervals" below is [`in_interval`] with multiplier `m`
/// (which allows half an interval more).
///
/// - A slave that is not `Up` is proposed `Up` when it received within one
///   interval (`last_rx`); otherwise a slave in `Back` is proposed `Fail`;
///   `Fail` and `Down` stay.
/// - An `Up` slave is left alone within two intervals of `last_link_up`
///   (set when it was enslaved or made the probe candidate).
/// - An `Up` backup slave goes `Down` when there is no current ARP slave
///   and it received nothing within `missed_max + 1` intervals.
/// - An `Up` active slave goes `Down` when it sent nothing, or received
///   nothing, within `missed_max` intervals.
pub fn ab_inspect(t: &ArpTiming, s: &AbSlave, arp_slave_set: bool) -> Option<LinkState> {
    if s.link != LinkState::Up {
        if in_interval(t, s.last_rx, 1) {
            return Some(LinkState::Up);
        }
        if s.link == LinkState::Back {
            return Some(LinkState::Fail);
        }
        return None;
    }
    if in_interval(t, s.last_link_up, 2) {
        return None;
    }
    let mut proposal = None;
    if !s.active && !arp_slave_set && !in_interval(t, s.last_rx, t.missed_max.wrapping_add(1)) {
        proposal = Some(LinkState::Down);
    }
    if s.active
        && (!in_interval(t, s.last_tx, t.missed_max) || !in_interval(t, s.last_rx, t.missed_max))
    {
        proposal = Some(LinkState::Down);
    }
    proposal
}

/// The current active slave, as [`ab_commit`] needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrActive {
    /// The bond has no current active slave.
    None,
    /// The slave being committed is the current active slave.
    This,
    /// Another slave is the current active slave, with this `prio`.
    Other {
        /// The current active slave's `prio`.
        prio: i32,
    },
}

/// The slave whose proposal [`ab_commit`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitSlave {
    /// Where the bond's current active slave stands relative to this slave.
    pub curr_active: CurrActive,
    /// This slave is the bond's primary slave (`bond->primary_slave`).
    pub is_primary: bool,
    /// This slave's `prio`.
    pub prio: i32,
}

/// What happens to the bond's current ARP slave (`current_arp_slave`)
/// while committing one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArpSlaveAction {
    /// Left as it is.
    Keep,
    /// Set to NULL.
    Clear,
    /// If set: its inactive flags are set (`bond_set_slave_inactive_flags`,
    /// notify now), then it is set to NULL.
    DeactivateAndClear,
}

/// Message `bond_ab_arp_commit` logs (`slave_info`) when a slave comes up.
pub const MSG_DEFINITELY_UP: &str = "link status definitely up";
/// Message `bond_ab_arp_commit` logs (`slave_info`) when a slave goes down.
pub const MSG_DEFINITELY_DOWN: &str = "link status definitely down, disabling slave";
/// Message `bond_loadbalance_arp_mon` logs when a slave comes up while the
/// bond has an active slave.
pub const MSG_NOW_UP: &str = "interface is now up";
/// Message `bond_loadbalance_arp_mon` logs when a slave goes down.
pub const MSG_NOW_DOWN: &str = "interface is now down";
/// Message `bond_ab_arp_probe` logs when it marks an `Up` slave without
/// carrier down.
pub const MSG_BACKUP_DOWN: &str = "backup interface is now down";

/// The actions `bond_ab_arp_commit` performs for one slave's proposal, in
/// this order: count a failure, set the link state (notify now), set the
/// slave's inactive flags, act on the current ARP slave, log the message.
/// `failover` asks for `bond_select_active_slave` once all proposals are
/// committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbCommit {
    /// The link state to set (`bond_set_slave_link_state`, notify now).
    pub link: LinkState,
    /// `link_failure_count` is incremented (saturating at `u32::MAX`).
    pub count_failure: bool,
    /// The slave's inactive flags are set (`bond_set_slave_inactive_flags`,
    /// notify now).
    pub set_inactive: bool,
    /// What happens to the bond's current ARP slave. For `Up` the inactive
    /// flags are set on the current ARP slave *after* this slave's link
    /// state was set (it may be this very slave).
    pub arp_slave: ArpSlaveAction,
    /// The `slave_info` line to log, if any.
    pub message: Option<&'static str>,
    /// Reselect the active slave after the commit loop.
    pub failover: bool,
}

/// C's `bond_ab_arp_commit` for one slave with proposal `new` (from
/// [`ab_inspect`]): the actions to perform, or `None` when C does nothing
/// for it.
///
/// - `Up` is applied only if the slave is not the current active slave (C
///   also tests "no active slave and sent within one interval", but that is
///   implied by the first test, so `last_tx` never matters). It releases
///   the current ARP slave and fails over when the bond has no active
///   slave, the slave is the primary, or its `prio` is higher than the
///   active slave's.
/// - `Down` counts a failure, deactivates the slave and, if it is the
///   current active slave, clears the current ARP slave and fails over.
/// - `Fail` deactivates the slave and clears the current ARP slave when the
///   bond has an active slave.
/// - `Back` is never proposed by the inspection: C logs
///   "impossible: link_new_state %d on slave" (`slave_err`) and does
///   nothing; so does this function (`None`).
pub fn ab_commit(new: LinkState, s: &CommitSlave) -> Option<AbCommit> {
    match new {
        LinkState::Up => {
            let failover = match s.curr_active {
                CurrActive::This => return None,
                CurrActive::None => true,
                CurrActive::Other { prio } => s.is_primary || s.prio > prio,
            };
            Some(AbCommit {
                link: LinkState::Up,
                count_failure: false,
                set_inactive: false,
                arp_slave: ArpSlaveAction::DeactivateAndClear,
                message: Some(MSG_DEFINITELY_UP),
                failover,
            })
        }
        LinkState::Down => {
            let this = s.curr_active == CurrActive::This;
            Some(AbCommit {
                link: LinkState::Down,
                count_failure: true,
                set_inactive: true,
                arp_slave: if this {
                    ArpSlaveAction::Clear
                } else {
                    ArpSlaveAction::Keep
                },
                message: Some(MSG_DEFINITELY_DOWN),
                failover: this,
            })
        }
        LinkState::Fail => Some(AbCommit {
            link: LinkState::Fail,
            count_failure: false,
            set_inactive: true,
            arp_slave: if s.curr_active == CurrActive::None {
                ArpSlaveAction::Keep
            } else {
                ArpSlaveAction::Clear
            },
            message: None,
            failover: false,
        }),
        LinkState::Back => None,
    }
}

/// `bond_loadbalance_arp_mon`'s per-slave decision: `Some(Up)`,
/// `Some(Down)` or `None`. `last_rx` is the slave's raw `last_rx` (this
/// monitor ignores `arp_all_targets`).
///
/// - A slave that is not `Up` (`Fail`, `Down` or `Back`) comes up when it
///   both sent and received within one interval.
/// - An `Up` slave goes down when it did not send, or did not receive,
///   within `missed_max` intervals.
///
/// Whatever the decision, the caller then sends the probes on every slave
/// that is up (`bond_slave_is_up`), and commits the proposals under RTNL
/// (see [`lb_effects`]).
pub fn lb_inspect(
    t: &ArpTiming,
    link: LinkState,
    last_rx: Jiffies,
    last_tx: Jiffies,
) -> Option<LinkState> {
    if link != LinkState::Up {
        if in_interval(t, last_tx, 1) && in_interval(t, last_rx, 1) {
            return Some(LinkState::Up);
        }
        return None;
    }
    if !in_interval(t, last_tx, t.missed_max) || !in_interval(t, last_rx, t.missed_max) {
        return Some(LinkState::Down);
    }
    None
}

/// What `bond_loadbalance_arp_mon` does besides setting the new state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LbEffects {
    /// `link_failure_count` is incremented (saturating at `u32::MAX`) during
    /// the inspection (before the state is committed).
    pub count_failure: bool,
    /// The `slave_info` line to log.
    pub message: &'static str,
    /// Reselect the active slave after committing.
    pub failover: bool,
}

/// The side effects of a [`lb_inspect`] proposal `new`: `has_curr_active`
/// is whether the bond had an active slave at the start of the pass
/// (`oldcurrent`), `is_curr_active` whether this slave is that slave. Any
/// proposal also means "slave state changed" (C's `slave_state_changed`:
/// `bond_slave_state_change`, and for balance-xor `bond_update_slave_arr`).
/// `None` for a proposal `lb_inspect` never makes.
pub fn lb_effects(
    new: LinkState,
    has_curr_active: bool,
    is_curr_active: bool,
) -> Option<LbEffects> {
    match new {
        LinkState::Up => Some(LbEffects {
            count_failure: false,
            message: if has_curr_active {
                MSG_NOW_UP
            } else {
                MSG_DEFINITELY_UP
            },
            failover: !has_curr_active,
        }),
        LinkState::Down => Some(LbEffects {
            count_failure: true,
            message: MSG_NOW_DOWN,
            failover: is_curr_active,
        }),
        LinkState::Fail | LinkState::Back => None,
    }
}

/// `bond_ab_arp_probe`'s choice of the next slave to probe when the bond
/// has no active slave. `is_up[i]` is `bond_slave_is_up` (running with
/// carrier) of slave `i` in enslave order; `curr` is the index of the
/// current ARP slave (`None`: the first slave). Returns the new current ARP
/// slave, or `None` (no slave is up, or there are no slaves).
///
/// The choice is the first up slave after `curr`, wrapping around to the
/// first up slave from the start of the list up to and including `curr`
/// itself. A `curr` past the end (not in the list) gives the first up
/// slave.
///
/// The caller then sets the chosen slave's link to `Back`, its active
/// flags, sends the probes on it, sets its `last_link_up` to now and makes
/// it the current ARP slave (all with notification later). Before that, in
/// the same walk, each slave for which [`probe_marks_down`] holds is set
/// `Down` and inactive, with a failure counted and [`MSG_BACKUP_DOWN`]
/// logged. When the bond has an active slave, C only sends the probes on
/// it (logging "PROBE: c_arp %s && cas %s BAD" first if a current ARP slave
/// is also set) and this function is not used.
pub fn probe_next(is_up: &[bool], curr: Option<usize>) -> Option<usize> {
    if is_up.is_empty() {
        return None;
    }
    let curr = curr.unwrap_or(0);
    let after = is_up
        .iter()
        .enumerate()
        .skip(curr.saturating_add(1))
        .find(|&(_, &up)| up)
        .map(|(i, _)| i);
    after.or_else(|| {
        is_up
            .iter()
            .enumerate()
            .take(curr.saturating_add(1))
            .find(|&(_, &up)| up)
            .map(|(i, _)| i)
    })
}

/// `bond_ab_arp_probe` marks a slave down (without an active slave) when it
/// is not up (`bond_slave_is_up`) while its link is still `Up`.
pub fn probe_marks_down(is_up: bool, link: LinkState) -> bool {
    !is_up && link == LinkState::Up
}

/// `arp_validate` none (`BOND_ARP_VALIDATE_NONE`).
pub const ARP_VALIDATE_NONE: u64 = 0;
/// `arp_validate` active (`BOND_ARP_VALIDATE_ACTIVE`).
pub const ARP_VALIDATE_ACTIVE: u64 = 1;
/// `arp_validate` backup (`BOND_ARP_VALIDATE_BACKUP`).
pub const ARP_VALIDATE_BACKUP: u64 = 2;
/// `arp_validate` all (`BOND_ARP_VALIDATE_ALL`).
pub const ARP_VALIDATE_ALL: u64 = 3;
/// `arp_validate` filter (`BOND_ARP_FILTER`).
pub const ARP_FILTER: u64 = 4;
/// `arp_validate` filter_active (`BOND_ARP_FILTER_ACTIVE`).
pub const ARP_FILTER_ACTIVE: u64 = 5;
/// `arp_validate` filter_backup (`BOND_ARP_FILTER_BACKUP`).
pub const ARP_FILTER_BACKUP: u64 = 6;

/// `ETH_P_ARP`.
pub const ETH_P_ARP: u16 = 0x0806;
/// `ETH_P_IP` (the ARP protocol type checked in the header).
pub const ETH_P_IP: u16 = 0x0800;
/// `ETH_P_IPV6`.
pub const ETH_P_IPV6: u16 = 0x86DD;
/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = 1;
/// `ARPOP_REQUEST`.
pub const ARPOP_REQUEST: u16 = 1;
/// `ARPOP_REPLY`.
pub const ARPOP_REPLY: u16 = 2;
/// `PACKET_OTHERHOST`: a frame for another host (ignored).
pub const PACKET_OTHERHOST: u8 = 3;
/// `PACKET_LOOPBACK`: a frame looped back (ignored).
pub const PACKET_LOOPBACK: u8 = 5;
/// `NEXTHDR_ICMP` (ICMPv6).
pub const NEXTHDR_ICMP: u8 = 58;
/// `NDISC_NEIGHBOUR_SOLICITATION`.
pub const NDISC_NEIGHBOUR_SOLICITATION: u8 = 135;
/// `NDISC_NEIGHBOUR_ADVERTISEMENT`.
pub const NDISC_NEIGHBOUR_ADVERTISEMENT: u8 = 136;

/// What `bond_rcv_validate` does with a received frame on a slave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RxProbe {
    /// Nothing.
    Ignore,
    /// `WRITE_ONCE(slave->last_rx, jiffies)`.
    TouchLastRx,
    /// Run the ARP validation (`bond_arp_rcv`: [`parse_arp`], [`trust`]).
    Arp,
    /// Run the NS/NA validation (`bond_na_rcv`: [`parse_ns_na`], [`trust`]).
    Na,
}

/// C's `bond_rcv_validate`: `arp_validate` is the option's value (C
/// numbers: none 0, active 1, backup 2, all 3, filter 4, filter_active 5,
/// filter_backup 6), `backup` the receiving slave's backup state, `proto`
/// `skb->protocol` in host order, `ipv6` C's `ipv6_mod_enabled()`.
///
/// A slave validates probes when `arp_validate` has the bit of its state
/// (bit 0 active, bit 1 backup). Then an ARP frame is validated as ARP, an
/// IPv6 frame as NS/NA if IPv6 is enabled, and anything else is ignored.
/// A slave that does not validate refreshes `last_rx` for every frame,
/// except with a filter value (bit 2), where only ARP and IPv6 frames count
/// (IPv6 frames even with IPv6 disabled).
pub fn rx_probe(arp_validate: u64, backup: bool, proto: u16, ipv6: bool) -> RxProbe {
    let state_bit = if backup {
        ARP_VALIDATE_BACKUP
    } else {
        ARP_VALIDATE_ACTIVE
    };
    let is_arp = proto == ETH_P_ARP;
    let is_ipv6 = proto == ETH_P_IPV6;
    if arp_validate & state_bit == 0 {
        let filter = arp_validate & ARP_FILTER != 0;
        if !filter || is_arp || is_ipv6 {
            RxProbe::TouchLastRx
        } else {
            RxProbe::Ignore
        }
    } else if is_arp {
        RxProbe::Arp
    } else if is_ipv6 && ipv6 {
        RxProbe::Na
    } else {
        RxProbe::Ignore
    }
}

/// The fields of a received ARP packet the validation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArpInfo {
    /// `ar_op`, host order (any value: C does not check it here).
    pub op: u16,
    /// Sender IP address (network order bytes).
    pub sip: [u8; 4],
    /// Target IP address (network order bytes).
    pub tip: [u8; 4],
}

/// Size of C's `struct arphdr` (hardware type, protocol type, lengths, op).
pub const ARP_HDR_LEN: usize = 8;

/// The length `bond_arp_rcv` needs (`arp_hdr_len` of the bond): the ARP
/// header, two hardware addresses of `addr_len` bytes and two IPv4
/// addresses.
pub const fn arp_len(addr_len: u8) -> usize {
    ARP_HDR_LEN + 2 * (addr_len as usize + 4)
}

/// `bond_arp_rcv`'s header checks: `hdr` starts at the ARP header (the
/// packet from the network header on), `addr_len` is the bond device's
/// `addr_len`, `pkt_type` is `skb->pkt_type`. `None` (ignored) when the
/// packet is shorter than [`arp_len`], its hardware address length is not
/// `addr_len`, it was for another host or looped back, its hardware type is
/// not Ethernet (whatever the bond's type), its protocol is not IPv4 or its
/// protocol address length is not 4.
pub fn parse_arp(hdr: &[u8], addr_len: u8, pkt_type: u8) -> Option<ArpInfo> {
    let hlen = usize::from(addr_len);
    let body = hdr.get(..arp_len(addr_len))?;
    let be16 = |off: usize| -> Option<u16> {
        let b = body.get(off..off + 2)?;
        Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
    };
    let ip = |off: usize| -> Option<[u8; 4]> { body.get(off..off + 4)?.try_into().ok() };
    let hrd = be16(0)?;
    let pro = be16(2)?;
    let ar_hln = *body.get(4)?;
    let ar_pln = *body.get(5)?;
    let op = be16(6)?;
    if ar_hln != addr_len
        || pkt_type == PACKET_OTHERHOST
        || pkt_type == PACKET_LOOPBACK
        || hrd != ARPHRD_ETHER
        || pro != ETH_P_IP
        || ar_pln != 4
    {
        return None;
    }
    let sip = ip(ARP_HDR_LEN + hlen)?;
    let tip = ip(ARP_HDR_LEN + hlen + 4 + hlen)?;
    Some(ArpInfo { op, sip, tip })
}

/// Size of the IPv6 header plus the ICMPv6 header `bond_na_rcv` reads.
pub const NS_NA_LEN: usize = 40 + 8;

/// `bond_na_rcv`'s header checks: `pkt` starts at the IPv6 header. `None`
/// (ignored) when the frame was for another host or looped back, is shorter
/// than [`NS_NA_LEN`], its next header is not ICMPv6 or the ICMPv6 type is
/// neither NS (135) nor NA (136). Nothing else is checked (version, lengths,
/// code, checksum, extension headers). Returns the IPv6 (source,
/// destination).
pub fn parse_ns_na(pkt: &[u8], pkt_type: u8) -> Option<([u8; 16], [u8; 16])> {
    if pkt_type == PACKET_OTHERHOST || pkt_type == PACKET_LOOPBACK {
        return None;
    }
    let hdrs = pkt.get(..NS_NA_LEN)?;
    let nexthdr = *hdrs.get(6)?;
    let icmp_type = *hdrs.get(40)?;
    if nexthdr != NEXTHDR_ICMP
        || (icmp_type != NDISC_NEIGHBOUR_SOLICITATION && icmp_type != NDISC_NEIGHBOUR_ADVERTISEMENT)
    {
        return None;
    }
    let saddr: [u8; 16] = hdrs.get(8..24)?.try_into().ok()?;
    let daddr: [u8; 16] = hdrs.get(24..40)?.try_into().ok()?;
    Some((saddr, daddr))
}

/// Which (source, target) pair to validate: the trust rules of
/// `bond_arp_rcv` / `bond_na_rcv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Validate (sender, target) as received.
    Direct,
    /// Validate (target, sender): a backup slave seeing the active slave's
    /// broadcast request.
    Swapped,
    /// Do nothing.
    No,
}

/// The trust rules, in C's order:
///
/// - (a) the receiving slave is active (`slave_active`): [`Trust::Direct`];
/// - (b) otherwise, when the bond has an active slave that received after
///   it last came up (`curr_active` = `Some((slave_last_rx(curr),
///   curr->last_link_up))`, strictly after): [`Trust::Swapped`];
/// - (c) otherwise, when there is a current ARP slave that sent within one
///   interval (`arp_slave_last_tx` = `Some(slave_last_tx(current_arp_slave))`)
///   and the packet is a reply (`is_reply`: ARP `op == ARPOP_REPLY`; the NA
///   path has no reply test and passes `true`): [`Trust::Direct`];
/// - else [`Trust::No`].
pub fn trust(
    t: &ArpTiming,
    slave_active: bool,
    curr_active: Option<(Jiffies, Jiffies)>,
    arp_slave_last_tx: Option<Jiffies>,
    is_reply: bool,
) -> Trust {
    if slave_active {
        return Trust::Direct;
    }
    if let Some((rx, link_up)) = curr_active {
        if time_after(rx, link_up) {
            return Trust::Swapped;
        }
    }
    match arp_slave_last_tx {
        Some(tx) if is_reply && in_interval(t, tx, 1) => Trust::Direct,
        _ => Trust::No,
    }
}

/// C's `slave_last_rx()`: with `arp_all_targets` = all (`all_targets`),
/// the oldest of `target_rx[0..]` as `slave_oldest_target_arp_rx` computes
/// it; otherwise `last_rx`.
///
/// C always takes slot 0 and then the slots `1..n_arp_targets` (at most
/// 16), where `n_arp_targets` is the number of leading non-zero *ARP*
/// targets, even when the bond monitors NS targets (which share the same
/// per-slave slots): with NS targets only, only slot 0 counts. Slots past
/// the end of `target_rx` are not read; an empty `target_rx` gives
/// `last_rx`.
pub fn slave_last_rx(
    all_targets: bool,
    last_rx: Jiffies,
    target_rx: &[Jiffies],
    n_arp_targets: usize,
) -> Jiffies {
    if !all_targets {
        return last_rx;
    }
    let Some((&first, rest)) = target_rx.split_first() else {
        return last_rx;
    };
    let n = n_arp_targets.min(MAX_TARGETS);
    let mut oldest = first;
    for &rx in rest.iter().take(n.saturating_sub(1)) {
        if time_before(rx, oldest) {
            oldest = rx;
        }
    }
    oldest
}
