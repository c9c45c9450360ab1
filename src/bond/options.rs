// SPDX-License-Identifier: GPL-2.0

//! Option setters: what changing an option does to a bond (C's
//! `bond_option_*_set`), and the module parameters that seed new bonds.
//! Parsing, ranges, dependencies and messages come from the option table.

use super::{Bond, Slave};
use crate::monitor::link::LinkState;
use crate::net::log::{bare_err, bare_info, bare_warn};
use crate::net::netdev::{dev_by_name, IfName, NetDevice};
use crate::net::params::{self, IntParam, StrParam};
use crate::net::rtnl::Rtnl;
use crate::net::rx;
use crate::options::table::{self, BondState, OptError, OptId, Parsed};
use crate::options::targets::{
    arp_target_from_value, in4_pton, ip_target_ok, parse_arp_cmd, Applied, ArpTargets, NsTargets,
    TargetCmd, MAX_TARGETS,
};
use crate::options::{parse_value, Mode};
use core::sync::atomic::Ordering;
use kernel::prelude::*;
use kernel::sync::Arc;

/// How an option value arrives.
#[derive(Clone, Copy)]
pub(crate) enum Input<'a> {
    /// A string (sysfs, module parameter).
    Str(&'a [u8]),
    /// A number (netlink).
    Num(u64),
    /// An IPv6 address (netlink's `ns_ip6_target`; C passes it as the
    /// option's "extra" data, the value being `ULLONG_MAX`).
    Ip6([u8; 16]),
    /// A number for one slave (netlink's `slave_changelink`: `prio`,
    /// `actor_port_prio`; C's `bond_opt_slave_initval`).
    Slave(&'a Slave, u64),
}

const EINVAL_N: i32 = crate::net::bindings::EINVAL as i32;
const ENODEV_N: i32 = crate::net::bindings::ENODEV as i32;
const EBUSY_N: i32 = crate::net::bindings::EBUSY as i32;
const ENOTEMPTY_N: i32 = crate::net::bindings::ENOTEMPTY as i32;
const EOPNOTSUPP_N: i32 = crate::net::bindings::EOPNOTSUPP as i32;

/// C's `BOND_DEFAULT_MIIMON`.
const DEFAULT_MIIMON: u64 = 100;

impl Bond {
    fn opt_state(&self, dev: &NetDevice, rtnl: &Rtnl) -> BondState {
        BondState {
            mode: self.mode(),
            up: dev.is_up(),
            has_slaves: !self.core.get(rtnl).slaves.is_empty(),
        }
    }

    /// Set option `id` as C's `__bond_opt_set` does, logging C's messages
    /// on failure; the state is unchanged then.
    pub(crate) fn set_option(
        &self,
        dev: &NetDevice,
        id: OptId,
        input: Input<'_>,
        rtnl: &mut Rtnl,
    ) -> Result {
        self.set_option_ext(dev, id, input, None, rtnl)
    }

    /// [`Bond::set_option`], also setting the netlink extack on failure.
    pub(crate) fn set_option_ext(
        &self,
        dev: &NetDevice,
        id: OptId,
        input: Input<'_>,
        ext: Option<&mut crate::net::nl::Extack>,
        rtnl: &mut Rtnl,
    ) -> Result {
        let st = self.opt_state(dev, rtnl);
        let parsed = match input {
            Input::Str(s) => table::validate(id, &st, s),
            Input::Num(n) | Input::Slave(_, n) => {
                table::validate_number(id, &st, n).map(Parsed::Value)
            }
            Input::Ip6(_) => table::validate_number(id, &st, u64::MAX).map(Parsed::Value),
        };
        let r = parsed.and_then(|p| self.apply(dev, id, p, input, rtnl));
        if let Err(err) = r {
            // C interprets a setter's errno the same way as its own checks'.
            let e = match err {
                OptError::Other(n) if n == EINVAL_N => match input {
                    Input::Num(v) | Input::Slave(_, v) => OptError::InvalidNumber(v),
                    // C's value of an address-only option is ULLONG_MAX.
                    Input::Ip6(_) => OptError::InvalidNumber(u64::MAX),
                    Input::Str(_) => OptError::Invalid,
                },
                OptError::Other(n) if n == ENODEV_N => OptError::NoDevice,
                OptError::Other(n) if n == EBUSY_N => OptError::Up,
                OptError::Other(n) if n == ENOTEMPTY_N => OptError::HasSlaves,
                OptError::NoDevice if !matches!(input, Input::Str(_)) => OptError::Other(ENODEV_N),
                other => other,
            };
            let raw: &[u8] = match input {
                Input::Str(s) => s,
                Input::Num(_) | Input::Ip6(_) | Input::Slave(..) => b"",
            };
            for line in e.lines(table::spec(id), raw) {
                let mut b = LineBuf::new();
                let _ = core::fmt::Write::write_fmt(&mut b, format_args!("{line}"));
                bare_err!("{}: {}\n", dev.name(), b.as_str());
            }
            if let (Some(ext), Some(m)) = (ext, e.extack()) {
                super::surfaces::set_extack(ext, m);
            }
            return Err(Error::from_errno(-err.errno()));
        }
        Ok(())
    }

    fn apply(
        &self,
        dev: &NetDevice,
        id: OptId,
        p: Parsed<'_>,
        input: Input<'_>,
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let raw = match p {
            Parsed::Raw(r) => r,
            Parsed::Value(_) => b"",
        };
        let val = match p {
            Parsed::Value(v) => v,
            Parsed::Raw(_) => 0,
        };
        // The slave of a per-slave option (C: -ENODEV without one).
        let slave = match input {
            Input::Slave(s, _) => Ok(s),
            _ => Err(OptError::Other(ENODEV_N)),
        };
        match id {
            OptId::Mode => {
                let m = Mode::from_value(val).ok_or(OptError::Invalid)?;
                // An attached XDP program must be able to run in the mode.
                if self.xdp_refuses(m, self.val(OptId::XmitHashPolicy), rtnl) {
                    return Err(OptError::Other(EOPNOTSUPP_N));
                }
                // Modes that cannot use the ARP monitor get the MII monitor.
                if matches!(m, Mode::Lacp | Mode::Tlb | Mode::Alb) {
                    self.set_val(OptId::ArpInterval, 0);
                    if self.val(OptId::Miimon) == 0 {
                        self.set_val(OptId::Miimon, DEFAULT_MIIMON);
                    }
                }
                if m == Mode::Alb {
                    self.set_val(OptId::TlbDynamicLb, 1);
                }
                self.set_val(OptId::ArpValidate, 0);
                self.set_val(OptId::BroadcastNeighbor, 0);
                self.set_val(OptId::Mode, val);
                // IPsec offload goes through the active slave only in
                // active-backup.
                dev.want_xfrm_features(m == Mode::ActiveBackup, rtnl);
                self.xdp_set_features(dev, rtnl);
            }
            OptId::XmitHashPolicy if self.xdp_refuses(self.mode(), val, rtnl) => {
                return Err(OptError::Other(EOPNOTSUPP_N));
            }
            OptId::Miimon => {
                self.set_val(OptId::Miimon, val);
                if val != 0 && self.val(OptId::ArpInterval) != 0 {
                    self.set_val(OptId::ArpInterval, 0);
                    self.set_val(OptId::ArpValidate, 0);
                }
                if dev.is_up() {
                    self.mii_restart(dev);
                }
            }
            OptId::ArpInterval => {
                self.set_val(id, val);
                if val != 0 {
                    self.set_val(OptId::Miimon, 0);
                }
                if dev.is_up() {
                    if val == 0 {
                        // As C: the receive probe stays on unless validating.
                        if self.val(OptId::ArpValidate) != 0 {
                            self.recv_probe.store(false, Ordering::Relaxed);
                        }
                        crate::net::link::cancel_work_sync::<Bond>(dev, super::WORK_ARP);
                    } else {
                        self.arp_start(dev);
                    }
                }
            }
            OptId::ArpIpTarget => self.set_arp_target(dev, p, rtnl)?,
            OptId::NsIp6Target => {
                let Input::Ip6(a) = input else {
                    return Err(OptError::Invalid);
                };
                self.add_ns_target(dev, a, rtnl)?;
            }
            OptId::ArpValidate => {
                let changed = (self.val(id) != 0) != (val != 0);
                self.set_val(id, val);
                if changed {
                    for s in self.slaves_snapshot(rtnl).unwrap_or_default().iter() {
                        self.set_ns_maddrs(s, val != 0, rtnl);
                    }
                }
            }
            OptId::UpDelay | OptId::DownDelay | OptId::PeerNotifDelay => {
                let miimon = self.miimon();
                table::check_miimon(id, miimon)?;
                let Some(r) = table::delay_ms_to_ticks(val as u32, miimon) else {
                    return Err(OptError::MiimonDisabled);
                };
                if r.warn {
                    let mut w = LineBuf::new();
                    let _ = table::write_delay_rounded(id, val as u32, miimon, &mut w);
                    bare_warn!("{}: {}\n", dev.name(), w.as_str());
                }
                self.set_val(id, u64::from(r.ticks));
            }
            OptId::Primary => self.set_primary(dev, raw, rtnl),
            OptId::PrimaryReselect => {
                self.set_val(id, val);
                self.select_active(dev, rtnl);
            }
            OptId::ActiveSlave => self.set_active_slave(dev, raw, rtnl)?,
            OptId::AllSlavesActive => {
                if val != self.val(id) {
                    self.set_val(id, val);
                    for s in self.core.get(rtnl).slaves.iter() {
                        s.set_all_slaves_active(val != 0);
                    }
                }
            }
            OptId::NumPeerNotif | OptId::NumPeerNotifAlias => {
                self.set_val(OptId::NumPeerNotif, val)
            }
            OptId::UseCarrier => {}
            OptId::PacketsPerSlave => {
                self.set_val(id, val);
                self.set_pps_recip(val);
            }
            OptId::Slaves => self.slaves_cmd(dev, raw, rtnl)?,
            OptId::Prio => {
                let s = slave?;
                // The value is C's int, sign-extended into the u64.
                s.set_prio(val as i32);
                if self.primary.get(rtnl).is_some() {
                    bare_warn!(
                        "{}: (slave {}): prio updated, but will not affect failover re-selection as primary slave have been set\n",
                        dev.name(),
                        s.dev().name()
                    );
                } else {
                    self.select_active(dev, rtnl);
                }
            }
            OptId::ActorPortPrio => {
                let s = slave?;
                s.ad.set_port_prio(val as u16);
                self.ad_option_changed(dev, id, rtnl);
            }
            OptId::QueueId => self.set_queue_id(dev, raw, rtnl)?,
            OptId::AdActorSystem => {
                let mac = match p {
                    Parsed::Raw(r) => parse_mac(r),
                    Parsed::Value(v) => Some(v.to_le_bytes()[..6].try_into().unwrap_or([1; 6])),
                };
                let Some(mac) = mac.filter(|m| m[0] & 1 == 0) else {
                    bare_err!("{}: Invalid ad_actor_system MAC address.\n", dev.name());
                    return Err(OptError::Other(EINVAL_N));
                };
                let v = mac.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
                self.set_val(id, v);
                self.ad_option_changed(dev, id, rtnl);
            }
            OptId::LacpRate
            | OptId::LacpActive
            | OptId::AdActorSysPrio
            | OptId::AdSelect
            | OptId::CoupledControl
            | OptId::AdUserPortKey
            | OptId::MinLinks
            | OptId::LacpStrict => {
                self.set_val(id, val);
                self.ad_option_changed(dev, id, rtnl);
                if id == OptId::LacpStrict {
                    self.set_carrier(dev, rtnl);
                }
            }
            _ => self.set_val(id, val),
        }
        Ok(())
    }

    /// C's `bond_option_arp_ip_targets_set`: `+addr` / `-addr` from sysfs,
    /// or a target to add from netlink.
    fn set_arp_target(
        &self,
        dev: &NetDevice,
        p: Parsed<'_>,
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let cmd = match p {
            Parsed::Raw(raw) => parse_arp_cmd(raw),
            Parsed::Value(v) => Ok(TargetCmd::Add(arp_target_from_value(v))),
        };
        let mut t = self.arp_targets();
        let applied = cmd.and_then(|c| c.apply(&mut t, self.val(OptId::ArpInterval)));
        let slaves = self
            .slaves_snapshot(rtnl)
            .map_err(|_| OptError::Other(crate::net::bindings::ENOMEM as i32))?;
        match applied {
            Err(e) => {
                let mut b = LineBuf::new();
                let _ = e.write(&mut b);
                bare_err!("{}: {}\n", dev.name(), b.as_str());
                return Err(OptError::Other(e.errno()));
            }
            Ok(Applied::Added(slot)) => {
                let now = crate::net::netdev::jiffies();
                for s in slaves.iter() {
                    if let Some(r) = s.target_rx.get(slot) {
                        r.store(now, Ordering::Relaxed);
                    }
                }
            }
            Ok(Applied::Removed(r)) => {
                if r.last_warning {
                    bare_warn!(
                        "{}: Removing last arp target with arp_interval on\n",
                        dev.name()
                    );
                }
                for s in slaves.iter() {
                    let mut rx = [0u64; MAX_TARGETS];
                    for (v, a) in rx.iter_mut().zip(s.target_rx.iter()) {
                        *v = a.load(Ordering::Relaxed);
                    }
                    r.shift(&mut rx, 0);
                    for (v, a) in rx.iter().zip(s.target_rx.iter()) {
                        a.store(*v, Ordering::Relaxed);
                    }
                }
            }
        }
        self.publish_arp_targets(&t, rtnl);
        Ok(())
    }

    /// C's `bond_option_arp_ip_targets_clear` (netlink sets the whole list).
    pub(super) fn clear_arp_targets(&self, rtnl: &mut Rtnl) {
        for s in self.slaves_snapshot(rtnl).unwrap_or_default().iter() {
            for r in s.target_rx.iter() {
                r.store(0, Ordering::Relaxed);
            }
        }
        self.publish_arp_targets(&ArpTargets::new(), rtnl);
    }

    /// C's `bond_option_ns_ip6_targets_set` (netlink only: one address).
    fn add_ns_target(
        &self,
        dev: &NetDevice,
        a: [u8; 16],
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let mut t = self.ns_targets();
        let slot = match t.add(a) {
            Ok(slot) => slot,
            Err(e) => {
                let mut b = LineBuf::new();
                let _ = e.write(&mut b);
                bare_err!("{}: {}\n", dev.name(), b.as_str());
                return Err(OptError::Other(e.errno()));
            }
        };
        let now = crate::net::netdev::jiffies();
        let old = self.ns_targets().get(slot).unwrap_or([0; 16]);
        for s in self.slaves_snapshot(rtnl).unwrap_or_default().iter() {
            if let Some(r) = s.target_rx.get(slot) {
                r.store(now, Ordering::Relaxed);
            }
            self.swap_ns_maddr(s, &a, &old, rtnl);
        }
        self.publish_ns_targets(&t, rtnl);
        Ok(())
    }

    /// C's `bond_option_ns_ip6_targets_clear`.
    pub(super) fn clear_ns_targets(&self, rtnl: &mut Rtnl) {
        let old = self.ns_targets();
        for s in self.slaves_snapshot(rtnl).unwrap_or_default().iter() {
            for r in s.target_rx.iter() {
                r.store(0, Ordering::Relaxed);
            }
            for o in old.iter() {
                self.swap_ns_maddr(s, &[0; 16], &o, rtnl);
            }
        }
        self.publish_ns_targets(&NsTargets::new(), rtnl);
    }

    fn set_primary(&self, dev: &NetDevice, raw: &[u8], rtnl: &mut Rtnl) {
        let name = raw.split(|&c| c == b'\n').next().unwrap_or(b"");
        if name.is_empty() {
            self.primary.replace(rtnl, None);
            self.core.get_mut(rtnl).primary_name = None;
            self.select_active(dev, rtnl);
            return;
        }
        let short = &name[..name.len().min(15)];
        let found = self
            .core
            .get(rtnl)
            .slaves
            .iter()
            .find(|s| s.dev().name().as_bytes() == short)
            .cloned();
        if let Some(s) = found {
            self.core.get_mut(rtnl).primary_name = Some(s.dev().name());
            self.primary.replace(rtnl, Some(s));
            self.core.get_mut(rtnl).force_primary = true;
            self.select_active(dev, rtnl);
            return;
        }
        if self.primary.get(rtnl).is_some() {
            self.primary.replace(rtnl, None);
            self.select_active(dev, rtnl);
        }
        self.core.get_mut(rtnl).primary_name = IfName::from_bytes(short);
    }

    fn set_active_slave(
        &self,
        dev: &NetDevice,
        raw: &[u8],
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let word = first_word(raw, 15);
        if word.is_empty() || raw.first() == Some(&b'\n') {
            self.change_active(dev, None, rtnl);
            self.select_active(dev, rtnl);
            return Ok(());
        }
        let name = IfName::from_bytes(word).ok_or(OptError::NoDevice)?;
        let Some(sdev) = dev_by_name(rtnl, dev.net(), &name) else {
            return Err(OptError::NoDevice);
        };
        let Some(new) = rx::data_of::<Slave>(rtnl, sdev).map(Arc::from) else {
            bare_err!(
                "{}: (slave {}): Device is not bonding slave\n",
                dev.name(),
                name
            );
            return Err(OptError::Other(EINVAL.to_errno().abs()));
        };
        if !core::ptr::eq(new.bond_dev().as_raw(), dev.as_raw()) {
            bare_err!(
                "{}: (slave {}): Device is not our slave\n",
                dev.name(),
                name
            );
            return Err(OptError::Other(EINVAL.to_errno().abs()));
        }
        let old = self.curr_active.get_arc(rtnl);
        if old.as_ref().is_some_and(|o| Arc::ptr_eq(o, &new)) {
            return Ok(());
        }
        if old.is_some() && new.link_state() == LinkState::Up && new.is_up() {
            self.change_active(dev, Some(new), rtnl);
            Ok(())
        } else {
            bare_err!(
                "{}: (slave {}): Could not set as active slave; either {} is down or the link is down\n",
                dev.name(),
                name,
                name
            );
            Err(OptError::Other(EINVAL.to_errno().abs()))
        }
    }

    /// `bonding/queue_id` (`<slave>:<id>`): give one slave a transmit queue
    /// id. As C, every refusal is `-EPERM` with no message: a malformed
    /// write, an id above the bond's queue count, an unknown device or one
    /// that is not our slave, or an id another slave has (0 excepted).
    fn set_queue_id(
        &self,
        dev: &NetDevice,
        raw: &[u8],
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let eperm = OptError::Other(EPERM.to_errno().abs());
        let (name, qid) = crate::options::masters::parse_queue_id(raw).ok_or(eperm)?;
        if u32::from(qid) > dev.real_num_tx_queues() {
            return Err(eperm);
        }
        let name = IfName::from_bytes(name).ok_or(eperm)?;
        let sdev = dev_by_name(rtnl, dev.net(), &name).ok_or(eperm)?;
        let mut target = None;
        for s in self.core.get(rtnl).slaves.iter() {
            if core::ptr::eq(s.dev().as_raw(), sdev.as_raw()) {
                target = Some(s);
            } else if qid != 0 && s.queue_id() == qid {
                return Err(eperm);
            }
        }
        target.ok_or(eperm)?.set_queue_id(qid);
        Ok(())
    }

    fn slaves_cmd(
        &self,
        dev: &NetDevice,
        raw: &[u8],
        rtnl: &mut Rtnl,
    ) -> core::result::Result<(), OptError> {
        let word = first_word(raw, 16);
        let cmd = word.first().copied();
        let ifname = word.get(1..).unwrap_or(b"");
        let valid = word.len() > 1
            && matches!(cmd, Some(b'+') | Some(b'-'))
            && crate::options::masters::dev_valid_name(ifname);
        if !valid {
            bare_err!(
                "{}: no command found in slaves file - use +ifname or -ifname\n",
                dev.name()
            );
            return Err(OptError::Other(EPERM.to_errno().abs()));
        }
        let name = IfName::from_bytes(ifname).ok_or(OptError::Other(ENODEV.to_errno().abs()))?;
        let Some(sdev) = dev_by_name(rtnl, dev.net(), &name) else {
            return Err(OptError::Other(ENODEV.to_errno().abs()));
        };
        // The device stays registered while we hold RTNL; keep a reference
        // so the borrow of the token can end.
        let sdev = crate::net::netdev::NetDevRef::new(sdev);
        let r = if cmd == Some(b'+') {
            let mut ext = crate::net::nl::Extack::none();
            self.enslave(dev, &sdev, &mut ext, rtnl)
        } else {
            self.release(dev, &sdev, false, false, rtnl)
        };
        r.map_err(|e| OptError::Other(e.to_errno().abs()))
    }
}

/// The first whitespace-separated word of `raw`, at most `max` bytes (C's
/// `sscanf(s, "%15s", ...)`).
fn first_word(raw: &[u8], max: usize) -> &[u8] {
    let w = raw
        .split(|c| crate::options::is_space(*c))
        .find(|w| !w.is_empty())
        .unwrap_or(b"");
    &w[..w.len().min(max)]
}

/// A small line buffer for formatted warnings.
pub(crate) struct LineBuf {
    buf: [u8; 256],
    len: usize,
}

impl LineBuf {
    pub(crate) fn new() -> Self {
        LineBuf {
            buf: [0; 256],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl core::fmt::Write for LineBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let b = s.as_bytes();
        let n = b.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
        Ok(())
    }
}

/// The option defaults every new bond starts with (C's `bonding_defaults`
/// before the module parameters).
fn base_defaults() -> [(OptId, u64); 12] {
    [
        (OptId::UseCarrier, 1),
        (OptId::NumPeerNotif, 1),
        (OptId::ResendIgmp, 1),
        (OptId::PacketsPerSlave, 1),
        (OptId::LpInterval, 1),
        (OptId::TlbDynamicLb, 1),
        (OptId::AdActorSysPrio, 65535),
        (OptId::MissedMax, 2),
        (OptId::CoupledControl, 1),
        (OptId::LacpActive, 1),
        (OptId::Mode, 0),
        (OptId::Miimon, 0),
    ]
}

/// C's `bond_check_params` for `xmit_hash_policy` (right after `mode`):
/// the policy for new bonds.
pub(super) fn check_xmit_param(mode: Mode) -> Result<u64> {
    let Some(raw) = params::string(StrParam::XmitHashPolicy) else {
        return Ok(0);
    };
    if matches!(
        mode,
        Mode::RoundRobin | Mode::ActiveBackup | Mode::Broadcast
    ) {
        bare_info!(
            "xmit_hash_policy param is irrelevant in mode {}\n",
            mode.long_name()
        );
        return Ok(0);
    }
    param_value(OptId::XmitHashPolicy, raw, "Invalid xmit_hash_policy").ok_or(EINVAL)
}

/// The `lacp_rate` and `ad_select` module parameters, as checked by
/// [`check_lacp_params`].
pub(super) struct LacpParams {
    /// `lacp_rate` (0 slow, 1 fast).
    lacp_fast: u64,
    /// `ad_select` (`BOND_AD_*`).
    ad_select: u64,
}

/// C's `bond_check_params` for `lacp_rate` and `ad_select` (right after
/// `xmit_hash_policy`). `lacp_rate` is parsed in 802.3ad mode only (else
/// ignored with a notice); `ad_select` is parsed in every mode, kept, and
/// outside 802.3ad draws a warning. A value that does not parse refuses
/// the load.
pub(super) fn check_lacp_params(mode: Mode) -> Result<LacpParams> {
    let mut lacp_fast = 0;
    if let Some(raw) = params::string(StrParam::LacpRate) {
        if mode == Mode::Lacp {
            lacp_fast = param_value(OptId::LacpRate, raw, "Invalid lacp rate").ok_or(EINVAL)?;
        } else {
            bare_info!(
                "lacp_rate param is irrelevant in mode {}\n",
                mode.long_name()
            );
        }
    }
    let mut ad_select = 0;
    if let Some(raw) = params::string(StrParam::AdSelect) {
        ad_select = param_value(OptId::AdSelect, raw, "Invalid ad_select").ok_or(EINVAL)?;
        if mode != Mode::Lacp {
            bare_warn!("ad_select param only affects 802.3ad mode\n");
        }
    }
    Ok(LacpParams {
        lacp_fast,
        ad_select,
    })
}

/// The value of the module parameter string `raw` in the value table of
/// `id`, or C's `Error: <what> "<raw>"` message and `None`.
fn param_value(id: OptId, raw: &[u8], what: &str) -> Option<u64> {
    let v = parse_value(table::spec(id).values, None, raw);
    if v.is_none() {
        bare_err!(
            "Error: {} \"{}\"\n",
            what,
            core::str::from_utf8(raw).unwrap_or("?")
        );
    }
    v
}

/// The `arp_ip_target` parameters as C's start-up message lists them: the
/// first `n` strings given, whether or not they were accepted.
struct ParamTargets(usize);

impl kernel::fmt::Display for ParamTargets {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for i in 0..self.0 {
            let t = params::arp_ip_target(i).unwrap_or(b"");
            write!(f, " {}", core::str::from_utf8(t).unwrap_or("?"))?;
        }
        Ok(())
    }
}

/// The rest of C's `bond_check_params`: checks, warnings, and the defaults
/// for new bonds. Returns the number of transmit queues.
pub(super) fn check_more_params(
    mode: Mode,
    xmit_policy: u64,
    lacp: LacpParams,
    defaults: &super::Defaults,
) -> Result<i32> {
    let vals = &defaults.vals;
    let primary_out = &defaults.primary;
    for (id, v) in base_defaults() {
        vals[id as usize].store(v, Ordering::Relaxed);
    }
    vals[OptId::Mode as usize].store(mode as u64, Ordering::Relaxed);
    let mut miimon = params::int(IntParam::Miimon);
    let mut updelay = params::int(IntParam::UpDelay);
    let mut downdelay = params::int(IntParam::DownDelay);
    if miimon < 0 {
        bare_warn!(
            "Warning: miimon module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            miimon,
            i32::MAX
        );
        miimon = 0;
    }
    if updelay < 0 {
        bare_warn!(
            "Warning: updelay module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            updelay,
            i32::MAX
        );
        updelay = 0;
    }
    if downdelay < 0 {
        bare_warn!(
            "Warning: downdelay module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            downdelay,
            i32::MAX
        );
        downdelay = 0;
    }
    let use_carrier = params::int(IntParam::UseCarrier);
    if use_carrier != 1 {
        bare_err!("Error: invalid use_carrier parameter ({})\n", use_carrier);
        return Err(EINVAL);
    }
    let mut npn = params::int(IntParam::NumPeerNotif);
    if !(0..=255).contains(&npn) {
        bare_warn!(
            "Warning: num_grat_arp/num_unsol_na ({}) not in range 0-255 so it was reset to 1\n",
            npn
        );
        npn = 1;
    }
    if matches!(mode, Mode::Lacp | Mode::Tlb | Mode::Alb) && miimon == 0 {
        bare_warn!("Warning: miimon must be specified, otherwise bonding will not detect link failure, speed and duplex which are essential for 802.3ad operation\n");
        bare_warn!("Forcing miimon to 100msec\n");
        miimon = 100;
    }
    let txq = params::tx_queues();
    let tx_queues = match crate::options::params::check_tx_queues(txq) {
        crate::options::params::Check::Ok(v) => v,
        crate::options::params::Check::Reset(v) => {
            bare_warn!(
                "Warning: tx_queues ({}) should be between 1 and 255, resetting to {}\n",
                txq,
                v
            );
            v
        }
    };
    let mut asa = params::int(IntParam::AllSlavesActive);
    if asa != 0 && asa != 1 {
        bare_warn!(
            "Warning: all_slaves_active module parameter ({}), not of valid value (0/1), so it was set to 0\n",
            asa
        );
        asa = 0;
    }
    let mut igmp = params::int(IntParam::ResendIgmp);
    if !(0..=255).contains(&igmp) {
        bare_warn!(
            "Warning: resend_igmp ({}) should be between 0 and 255, resetting to {}\n",
            igmp,
            1
        );
        igmp = 1;
    }
    let mut pps = params::int(IntParam::PacketsPerSlave);
    if !(0..=table::USHRT_MAX as i32).contains(&pps) {
        bare_warn!(
            "Warning: packets_per_slave ({}) should be between 0 and {} resetting to 1\n",
            pps,
            table::USHRT_MAX
        );
        pps = 1;
    }
    let mut arp_interval = params::int(IntParam::ArpInterval);
    if mode == Mode::Alb {
        bare_info!("In ALB mode you might experience client disconnections upon reconnection of a link if the bonding module updelay parameter ({} msec) is incompatible with the forwarding delay time of the switch\n", updelay);
    }
    if miimon == 0 {
        if updelay != 0 || downdelay != 0 {
            bare_warn!("Warning: miimon module parameter not set and updelay ({}) or downdelay ({}) module parameter is set; updelay and downdelay have no effect unless miimon is set\n", updelay, downdelay);
        }
    } else {
        if arp_interval != 0 {
            bare_warn!(
                "Warning: miimon ({}) and arp_interval ({}) can't be used simultaneously, disabling ARP monitoring\n",
                miimon,
                arp_interval
            );
            arp_interval = 0;
        }
        if updelay % miimon != 0 {
            bare_warn!(
                "Warning: updelay ({}) is not a multiple of miimon ({}), updelay rounded to {} ms\n",
                updelay,
                miimon,
                (updelay / miimon) * miimon
            );
        }
        updelay /= miimon;
        if downdelay % miimon != 0 {
            bare_warn!(
                "Warning: downdelay ({}) is not a multiple of miimon ({}), downdelay rounded to {} ms\n",
                downdelay,
                miimon,
                (downdelay / miimon) * miimon
            );
        }
        downdelay /= miimon;
    }
    if arp_interval < 0 {
        bare_warn!(
            "Warning: arp_interval module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            arp_interval,
            i32::MAX
        );
        arp_interval = 0;
    }
    let mut targets = ArpTargets::new();
    let mut given = 0;
    while targets.len() < MAX_TARGETS {
        let Some(raw) = params::arp_ip_target(given) else {
            break;
        };
        given += 1;
        match in4_pton(raw).filter(|a| ip_target_ok(*a)) {
            None => {
                bare_warn!(
                    "Warning: bad arp_ip_target module parameter ({}), ARP monitoring will not be performed\n",
                    core::str::from_utf8(raw).unwrap_or("?")
                );
                arp_interval = 0;
            }
            Some(a) if targets.find(&a).is_some() => {
                let mut b = LineBuf::new();
                let _ = crate::options::procfs::write_ipv4(&mut b, &a);
                bare_warn!(
                    "Warning: duplicate address {} in arp_ip_target, skipping\n",
                    b.as_str()
                );
            }
            Some(a) => {
                let _ = targets.add(a);
            }
        }
    }
    if arp_interval != 0 && targets.is_empty() {
        bare_warn!(
            "Warning: arp_interval module parameter ({}) specified without providing an arp_ip_target parameter, arp_interval was reset to 0\n",
            arp_interval
        );
        arp_interval = 0;
    }
    let mut arp_validate = 0;
    if let Some(raw) = params::string(StrParam::ArpValidate) {
        if arp_interval == 0 {
            bare_err!("arp_validate requires arp_interval\n");
            return Err(EINVAL);
        }
        arp_validate =
            param_value(OptId::ArpValidate, raw, "invalid arp_validate").ok_or(EINVAL)?;
    }
    let mut arp_all_targets = 0;
    if let Some(raw) = params::string(StrParam::ArpAllTargets) {
        // C goes on with the default after this error.
        if let Some(v) = param_value(OptId::ArpAllTargets, raw, "invalid arp_all_targets_value") {
            arp_all_targets = v;
        }
    }
    if miimon != 0 {
        bare_info!("MII link monitoring set to {} ms\n", miimon);
    } else if arp_interval != 0 {
        let validate = table::spec(OptId::ArpValidate)
            .row(arp_validate)
            .map(|r| r.name)
            .unwrap_or("none");
        bare_info!(
            "ARP monitoring set to {} ms, validate {}, with {} target(s):{}\n",
            arp_interval,
            validate,
            targets.len(),
            ParamTargets(targets.len())
        );
    }
    let uses_primary = matches!(mode, Mode::ActiveBackup | Mode::Tlb | Mode::Alb);
    let mut primary = params::string(StrParam::Primary);
    if let Some(p) = primary {
        if !uses_primary {
            bare_warn!(
                "Warning: {} primary device specified but has no effect in {} mode\n",
                core::str::from_utf8(p).unwrap_or("?"),
                mode.long_name()
            );
            primary = None;
        }
    }
    let mut reselect = 0;
    if let (Some(_), Some(r)) = (primary, params::string(StrParam::PrimaryReselect)) {
        reselect =
            param_value(OptId::PrimaryReselect, r, "Invalid primary_reselect").ok_or(EINVAL)?;
    }
    let mut fom = 0;
    if let Some(f) = params::string(StrParam::FailOverMac) {
        fom = param_value(OptId::FailOverMac, f, "invalid fail_over_mac").ok_or(EINVAL)?;
        if mode != Mode::ActiveBackup {
            bare_warn!("Warning: fail_over_mac only affects active-backup mode\n");
        }
    }
    // C reads this `uint` parameter into an `int`.
    let mut lp_interval = params::int(IntParam::LpInterval);
    if lp_interval == 0 {
        // C's message, typo included.
        bare_warn!(
            "Warning: ip_interval must be between 1 and {}, so it was reset to {}\n",
            i32::MAX,
            1
        );
        lp_interval = 1;
    }
    // Not checked by C: a negative value becomes a large unsigned one.
    let min_links = params::int(IntParam::MinLinks);
    let set = |id: OptId, v: u64| vals[id as usize].store(v, Ordering::Relaxed);
    set(OptId::Miimon, miimon as u64);
    set(OptId::UpDelay, updelay as u64);
    set(OptId::DownDelay, downdelay as u64);
    set(OptId::NumPeerNotif, npn as u64);
    set(OptId::AllSlavesActive, asa as u64);
    set(OptId::ResendIgmp, igmp as u64);
    set(OptId::PrimaryReselect, reselect);
    set(OptId::FailOverMac, fom);
    set(OptId::XmitHashPolicy, xmit_policy);
    set(OptId::PacketsPerSlave, pps as u64);
    set(OptId::ArpInterval, arp_interval as u64);
    set(OptId::ArpValidate, arp_validate);
    set(OptId::ArpAllTargets, arp_all_targets);
    set(OptId::LacpRate, lacp.lacp_fast);
    set(OptId::AdSelect, lacp.ad_select);
    // C's `unsigned int min_links` and `int lp_interval`: the low 32 bits.
    set(OptId::MinLinks, u64::from(min_links as u32));
    set(OptId::LpInterval, u64::from(lp_interval as u32));
    for (i, slot) in defaults.arp_targets.iter().enumerate() {
        let a = targets.get(i).unwrap_or([0; 4]);
        slot.store(u32::from_ne_bytes(a), Ordering::Relaxed);
    }
    if let Some(p) = primary {
        for (i, o) in primary_out.iter().enumerate() {
            o.store(
                if i < 15 {
                    p.get(i).copied().unwrap_or(0)
                } else {
                    0
                },
                Ordering::Relaxed,
            );
        }
    }
    Ok(tx_queues)
}

/// C's `mac_pton`: six hex pairs separated by ':' (what follows is ignored).
fn parse_mac(s: &[u8]) -> Option<[u8; 6]> {
    if s.len() < 17 {
        return None;
    }
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut mac = [0u8; 6];
    for (i, m) in mac.iter_mut().enumerate() {
        let o = i * 3;
        let (hi, lo) = (hex(*s.get(o)?)?, hex(*s.get(o + 1)?)?);
        if i < 5 && *s.get(o + 2)? != b':' {
            return None;
        }
        *m = hi << 4 | lo;
    }
    Some(mac)
}
