// SPDX-License-Identifier: GPL-2.0

//! The ARP/NS link monitor (C's `bond_arp_monitor`) and its receive side
//! (C's `bond_rcv_validate`): probes sent on the slaves, replies validated
//! as they arrive, and the per-mode passes that turn "has this slave sent
//! and received lately" into link states and failovers.
//!
//! The decisions are the kernel-independent ones of
//! [`crate::monitor::arp`] (host-tested); this file reads the slaves'
//! times, performs the I/O and applies the results.
//!
//! Locking: the periodic pass runs from the bond's work item under RTNL
//! (taken with `try_lock`, re-queued on contention); probes are built and
//! sent inside short RCU sections (upper-device walks). The receive side
//! runs in the slaves' rx handler (softirq, RCU) and only writes atomics.

use super::{Bond, Slave, WORK_ARP, WORK_MII};
use crate::monitor::arp::{
    self, AbSlave, ArpSlaveAction, ArpTiming, CommitSlave, CurrActive, RxProbe, Trust,
};
use crate::monitor::link::{LinkState, SlaveLink};
use crate::net::inet::{self, Ip4, Ip6, Route, VlanPath};
use crate::net::link;
use crate::net::log::{bare_err, bare_info, bare_warn};
use crate::net::netdev::{jiffies, msecs_to_jiffies, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::rtnl::{self, Process, Rtnl};
use crate::net::rx::RxPacket;
use crate::net::skb::SkBuff;
use crate::options::procfs::{write_ipv4, write_ipv6};
use crate::options::table::OptId;
use crate::options::targets::{ArpTargets, NsTargets, MAX_TARGETS};
use crate::options::Mode;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::prelude::*;
use kernel::sync::Arc;

/// The bond's own hardware address length (Ethernet only).
const ADDR_LEN: u8 = 6;
/// `ff02::1`, the link-local all-nodes group.
const ALL_NODES: Ip6 = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// C's `pr_warn_once` of the two "no route" warnings (once per module).
static WARNED_NO_ROUTE4: AtomicBool = AtomicBool::new(false);
static WARNED_NO_ROUTE6: AtomicBool = AtomicBool::new(false);

/// An address formatted for a log line.
struct Show<'a>(&'a [u8]);

impl kernel::fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Ok(a) = <&[u8; 4]>::try_from(self.0) {
            write_ipv4(f, a)
        } else if let Ok(a) = <&[u8; 16]>::try_from(self.0) {
            write_ipv6(f, a)
        } else {
            Ok(())
        }
    }
}

fn same(a: &Slave, b: &Slave) -> bool {
    core::ptr::eq(a, b)
}

impl Bond {
    /// The ARP targets (a snapshot, any context).
    pub(crate) fn arp_targets(&self) -> ArpTargets {
        let mut slots = [[0u8; 4]; MAX_TARGETS];
        for (s, a) in slots.iter_mut().zip(self.arp_targets.iter()) {
            *s = a.load(Ordering::Relaxed).to_ne_bytes();
        }
        ArpTargets::from_slots(slots)
    }

    /// Publish a new ARP target table (RTNL).
    pub(super) fn publish_arp_targets(&self, t: &ArpTargets, _rtnl: &mut Rtnl) {
        for (a, s) in self.arp_targets.iter().zip(t.slots().iter()) {
            a.store(u32::from_ne_bytes(*s), Ordering::Relaxed);
        }
    }

    /// The NS targets (a snapshot, any context).
    pub(crate) fn ns_targets(&self) -> NsTargets {
        let mut slots = [[0u8; 16]; MAX_TARGETS];
        for (s, a) in slots.iter_mut().zip(self.ns_targets.iter()) {
            let (hi, lo) = s.split_at_mut(8);
            hi.copy_from_slice(&a[0].load(Ordering::Relaxed).to_ne_bytes());
            lo.copy_from_slice(&a[1].load(Ordering::Relaxed).to_ne_bytes());
        }
        NsTargets::from_slots(slots)
    }

    /// Publish a new NS target table (RTNL).
    pub(super) fn publish_ns_targets(&self, t: &NsTargets, _rtnl: &mut Rtnl) {
        for (a, s) in self.ns_targets.iter().zip(t.slots().iter()) {
            let mut hi = [0u8; 8];
            let mut lo = [0u8; 8];
            hi.copy_from_slice(&s[..8]);
            lo.copy_from_slice(&s[8..]);
            a[0].store(u64::from_ne_bytes(hi), Ordering::Relaxed);
            a[1].store(u64::from_ne_bytes(lo), Ordering::Relaxed);
        }
    }

    /// The timing of a monitor pass or a receive decision, now.
    fn arp_timing(&self) -> ArpTiming {
        ArpTiming {
            now: jiffies(),
            delta: msecs_to_jiffies(self.val(OptId::ArpInterval) as u32),
            missed_max: self.val(OptId::MissedMax) as u32,
        }
    }

    /// C's `slave_last_rx`.
    fn slave_last_rx(&self, s: &Slave) -> u64 {
        let last = s.last_rx.load(Ordering::Relaxed);
        if self.val(OptId::ArpAllTargets) == 0 {
            return last;
        }
        let mut rx = [0u64; MAX_TARGETS];
        for (r, a) in rx.iter_mut().zip(s.target_rx.iter()) {
            *r = a.load(Ordering::Relaxed);
        }
        arp::slave_last_rx(true, last, &rx, self.arp_targets().len())
    }

    /// Set a slave's link state from the ARP monitor (C's
    /// `bond_set_slave_link_state`); `notify`: tell the stack now.
    fn arp_set_link(&self, s: &Slave, state: LinkState, notify: bool, rtnl: &mut Rtnl) {
        if s.link_state() == state {
            return;
        }
        *s.link.get_mut(rtnl) = SlaveLink::new(state, 0);
        s.publish_link(state);
        if notify {
            self.lower_state(s, rtnl);
        }
    }

    /// C's `bond_set_slave_inactive_flags` (notify now).
    pub(super) fn set_inactive_flags(&self, s: &Slave, rtnl: &mut Rtnl) {
        self.set_slave_backup(s, true, rtnl);
    }

    /// C's `bond_set_slave_active_flags` (notify now).
    fn set_active_flags(&self, s: &Slave, rtnl: &mut Rtnl) {
        self.set_slave_backup(s, false, rtnl);
    }

    /// The periodic ARP monitor (work item).
    pub(super) fn arp_work(&self, dev: &NetDevice, p: &mut Process) {
        if self.val(OptId::ArpInterval) == 0 {
            return;
        }
        let Some(mut g) = rtnl::try_lock(p) else {
            link::queue_work::<Bond>(dev, WORK_ARP, 1);
            return;
        };
        if !self.core.get(&g).slaves.is_empty() {
            if self.mode() == Mode::ActiveBackup {
                self.ab_arp_mon(dev, &mut g);
            } else {
                self.lb_arp_mon(dev, &mut g);
            }
        }
        drop(g);
        let interval = self.val(OptId::ArpInterval) as u32;
        if interval != 0 {
            link::queue_work::<Bond>(dev, WORK_ARP, msecs_to_jiffies(interval));
        }
    }

    /// C's `bond_loadbalance_arp_mon`: a slave is up while it both sent
    /// and received within the last intervals; probes go out on every
    /// slave that has carrier.
    fn lb_arp_mon(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        let Ok(slaves) = self.slaves_snapshot(rtnl) else {
            return;
        };
        let t = self.arp_timing();
        let old = self.curr_active.get_arc(rtnl);
        let (mut changed, mut failover) = (false, false);
        for s in slaves.iter() {
            let last_rx = s.last_rx.load(Ordering::Relaxed);
            let last_tx = s.last_tx.load(Ordering::Relaxed);
            let proposal = arp::lb_inspect(&t, s.link_state(), last_rx, last_tx);
            let is_curr = old.as_deref().is_some_and(|o| same(o, s));
            if let Some(new) = proposal {
                if let Some(e) = arp::lb_effects(new, old.is_some(), is_curr) {
                    changed = true;
                    failover |= e.failover;
                    // C commits the new state after the loop; nothing below
                    // depends on it meanwhile.
                    self.lb_apply(dev, s, new, &e, rtnl);
                }
            }
            if s.is_up() {
                rtnl.rcu(|rcu, _| self.send_probes(dev, s, rcu));
            }
        }
        if changed {
            self.lb_state_change(&slaves, rtnl);
        }
        if failover {
            self.select_active(dev, rtnl);
        }
    }

    /// One load-balancing proposal: count a failure, log, and set the
    /// link state (as C's commit: without notification).
    fn lb_apply(
        &self,
        dev: &NetDevice,
        s: &Slave,
        new: LinkState,
        e: &arp::LbEffects,
        rtnl: &mut Rtnl,
    ) {
        if e.count_failure {
            s.count_failure();
        }
        bare_info!(
            "{}: (slave {}): {}\n",
            dev.name(),
            s.dev().name(),
            e.message
        );
        self.arp_set_link(s, new, false, rtnl);
    }

    /// C's `bond_slave_state_change` (the slave state follows the link),
    /// then the usable set.
    fn lb_state_change(&self, slaves: &[Arc<Slave>], rtnl: &mut Rtnl) {
        for s in slaves.iter() {
            let backup = match s.link_state() {
                LinkState::Up => false,
                LinkState::Down => true,
                _ => continue,
            };
            if s.set_backup_state(backup) {
                self.lower_state(s, rtnl);
            }
        }
        self.refresh_usable(None, rtnl);
    }

    /// rbond extension: a slave whose link the ARP monitor holds up lost
    /// its carrier (netdevice notifier, RTNL). It cannot carry anything, so
    /// it is taken down at once, with the messages and effects of the pass
    /// that would take it down after `arp_missed_max` silent intervals.
    pub(super) fn arp_carrier_lost(&self, dev: &NetDevice, s: &Arc<Slave>, rtnl: &mut Rtnl) {
        if !self.recv_probe.load(Ordering::Relaxed)
            || self.val(OptId::ArpInterval) == 0
            || s.is_up()
            || s.link_state() != LinkState::Up
        {
            return;
        }
        // Nothing can have been received since the carrier went: forget the
        // last receive times, or the next pass would take the slave up again
        // on a reply that came in just before.
        let t = self.arp_timing();
        let stale = t.now.wrapping_sub(t.delta.wrapping_mul(2).wrapping_add(1));
        s.last_rx.store(stale, Ordering::Relaxed);
        for r in s.target_rx.iter() {
            r.store(stale, Ordering::Relaxed);
        }
        if self.mode() == Mode::ActiveBackup {
            let Ok(slaves) = self.slaves_snapshot(rtnl) else {
                return;
            };
            let mut proposals = KVec::new();
            for o in slaves.iter() {
                let p = same(o, s).then_some(LinkState::Down);
                if proposals.push(p, GFP_KERNEL).is_err() {
                    return;
                }
            }
            self.ab_arp_commit(dev, &slaves, &proposals, rtnl);
            return;
        }
        let is_curr = self.curr_active.get(rtnl).is_some_and(|c| same(c, s));
        let Some(e) = arp::lb_effects(LinkState::Down, true, is_curr) else {
            return;
        };
        self.lb_apply(dev, s, LinkState::Down, &e, rtnl);
        self.lb_state_change(core::slice::from_ref(s), rtnl);
        if e.failover {
            self.select_active(dev, rtnl);
        }
    }

    /// C's `bond_activebackup_arp_mon`: inspect, commit, probe.
    fn ab_arp_mon(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        let Ok(slaves) = self.slaves_snapshot(rtnl) else {
            return;
        };
        let t = self.arp_timing();
        let arp_slave_set = !self.current_arp_slave.is_empty();
        let mut proposals = KVec::new();
        for s in slaves.iter() {
            let view = AbSlave {
                link: s.link_state(),
                active: !s.is_backup(),
                last_rx: self.slave_last_rx(s),
                last_tx: s.last_tx.load(Ordering::Relaxed),
                last_link_up: s.last_link_up.load(Ordering::Relaxed),
            };
            if proposals
                .push(arp::ab_inspect(&t, &view, arp_slave_set), GFP_KERNEL)
                .is_err()
            {
                return;
            }
        }
        if proposals.iter().any(Option::is_some) {
            self.ab_arp_commit(dev, &slaves, &proposals, rtnl);
        }
        self.ab_arp_probe(dev, &slaves, rtnl);
        if self.core.get(rtnl).send_peer_notif > 0 {
            self.peer_notify_events(dev, true, rtnl);
        }
    }

    /// C's `bond_ab_arp_commit`.
    fn ab_arp_commit(
        &self,
        dev: &NetDevice,
        slaves: &[Arc<Slave>],
        proposals: &[Option<LinkState>],
        rtnl: &mut Rtnl,
    ) {
        let mut failover = false;
        for (s, p) in slaves.iter().zip(proposals.iter()) {
            let Some(new) = *p else { continue };
            let curr_active = match self.curr_active.get(rtnl) {
                None => CurrActive::None,
                Some(c) if same(c, s) => CurrActive::This,
                Some(c) => CurrActive::Other { prio: c.prio() },
            };
            let is_primary = self.primary.get(rtnl).is_some_and(|p| same(p, s));
            let view = CommitSlave {
                curr_active,
                is_primary,
                prio: s.prio(),
            };
            let Some(c) = arp::ab_commit(new, &view) else {
                continue;
            };
            if c.count_failure {
                s.count_failure();
            }
            self.arp_set_link(s, c.link, true, rtnl);
            if c.set_inactive {
                self.set_inactive_flags(s, rtnl);
            }
            match c.arp_slave {
                ArpSlaveAction::Keep => {}
                ArpSlaveAction::Clear => self.current_arp_slave.replace(rtnl, None),
                ArpSlaveAction::DeactivateAndClear => {
                    if let Some(a) = self.current_arp_slave.get_arc(rtnl) {
                        self.set_inactive_flags(&a, rtnl);
                        self.current_arp_slave.replace(rtnl, None);
                    }
                }
            }
            if let Some(m) = c.message {
                bare_info!("{}: (slave {}): {}\n", dev.name(), s.dev().name(), m);
            }
            failover |= c.failover;
        }
        if failover {
            self.select_active(dev, rtnl);
        }
        self.set_carrier(dev, rtnl);
    }

    /// C's `bond_ab_arp_probe`: probe on the active slave, or without one
    /// try the next slave with carrier.
    fn ab_arp_probe(&self, dev: &NetDevice, slaves: &[Arc<Slave>], rtnl: &mut Rtnl) {
        let curr_arp = self.current_arp_slave.get_arc(rtnl);
        let curr_active = self.curr_active.get_arc(rtnl);
        if let (Some(a), Some(c)) = (&curr_arp, &curr_active) {
            bare_info!(
                "{}: PROBE: c_arp {} && cas {} BAD\n",
                dev.name(),
                a.dev().name(),
                c.dev().name()
            );
        }
        if let Some(c) = curr_active {
            rtnl.rcu(|rcu, _| self.send_probes(dev, &c, rcu));
            return;
        }
        if slaves.is_empty() {
            return;
        }
        let curr = curr_arp.map(|a| {
            slaves
                .iter()
                .position(|s| same(s, &a))
                .unwrap_or(slaves.len())
        });
        let mut is_up = KVec::new();
        for s in slaves.iter() {
            if is_up.push(s.is_up(), GFP_KERNEL).is_err() {
                return;
            }
        }
        for (s, &up) in slaves.iter().zip(is_up.iter()) {
            if arp::probe_marks_down(up, s.link_state()) {
                self.arp_set_link(s, LinkState::Down, true, rtnl);
                s.count_failure();
                self.set_inactive_flags(s, rtnl);
                bare_info!(
                    "{}: (slave {}): {}\n",
                    dev.name(),
                    s.dev().name(),
                    arp::MSG_BACKUP_DOWN
                );
            }
        }
        let Some(new) = arp::probe_next(&is_up, curr).and_then(|i| slaves.get(i)) else {
            return;
        };
        self.arp_set_link(new, LinkState::Back, true, rtnl);
        self.set_active_flags(new, rtnl);
        rtnl.rcu(|rcu, _| self.send_probes(dev, new, rcu));
        new.last_link_up.store(jiffies(), Ordering::Relaxed);
        self.current_arp_slave.replace(rtnl, Some(new.clone()));
    }

    /// C's `bond_send_validate`: ARP requests to every ARP target, and
    /// neighbour solicitations to every NS target, on `s`.
    fn send_probes(&self, dev: &NetDevice, s: &Slave, rcu: &RcuRead) {
        self.arp_send_all(dev, s, rcu);
        if inet::ipv6_enabled() {
            self.ns_send_all(dev, s, rcu);
        }
    }

    /// C's `bond_arp_send_all`.
    fn arp_send_all(&self, dev: &NetDevice, s: &Slave, rcu: &RcuRead) {
        let validate = self.val(OptId::ArpValidate) != 0;
        for target in self.arp_targets().iter() {
            match inet::route_v4(dev.net(), target) {
                Route::Unreachable => {
                    if validate && !WARNED_NO_ROUTE4.swap(true, Ordering::Relaxed) {
                        bare_warn!(
                            "{}: no route to arp_ip_target {} and arp_validate is set\n",
                            dev.name(),
                            Show(&target)
                        );
                    }
                    arp_send(s, target, [0; 4], None);
                }
                Route::NoDev => {}
                Route::Dev(rd) => {
                    // The route must leave through the bond or a device
                    // stacked on it; VLANs on the way tag the probe.
                    let Some(path) = inet::device_path(dev, &rd, rcu) else {
                        continue;
                    };
                    let src = inet::confirm_addr(&rd, target, [0; 4]);
                    arp_send(s, target, src, Some(&path));
                }
            }
        }
    }

    /// C's `bond_ns_send_all`.
    fn ns_send_all(&self, dev: &NetDevice, s: &Slave, rcu: &RcuRead) {
        let validate = self.val(OptId::ArpValidate) != 0;
        for target in self.ns_targets().iter() {
            match inet::route_v6(dev.net(), &target) {
                Route::Unreachable => {
                    if validate && !WARNED_NO_ROUTE6.swap(true, Ordering::Relaxed) {
                        bare_warn!(
                            "{}: no route to ns_ip6_target {} and arp_validate is set\n",
                            dev.name(),
                            Show(&target)
                        );
                    }
                    ns_send(s, &target, &[0; 16], None);
                }
                Route::NoDev => {}
                Route::Dev(rd) => {
                    let Some(path) = inet::device_path(dev, &rd, rcu) else {
                        continue;
                    };
                    let saddr = inet::ipv6_saddr(&rd, &target).unwrap_or([0; 16]);
                    ns_send(s, &target, &saddr, Some(&path));
                }
            }
        }
    }

    /// The receive-side probe (C's `bond_rcv_validate`, installed as
    /// `recv_probe` while the ARP monitor runs): refresh the slave's
    /// `last_rx` for the frames that count as proof of life.
    pub(crate) fn recv_probe(&self, s: &Slave, pkt: &RxPacket<'_>) {
        if !self.recv_probe.load(Ordering::Relaxed) {
            return;
        }
        let validate = self.val(OptId::ArpValidate);
        match arp::rx_probe(
            validate,
            s.is_backup(),
            pkt.protocol(),
            inet::ipv6_enabled(),
        ) {
            RxProbe::Ignore => {}
            RxProbe::TouchLastRx => s.last_rx.store(jiffies(), Ordering::Relaxed),
            RxProbe::Arp => self.arp_rcv(s, pkt),
            RxProbe::Na => self.na_rcv(s, pkt),
        }
    }

    /// Whom to trust with a received probe (C's rules (a)-(c)).
    fn trust(&self, s: &Slave, is_reply: bool, rcu: &RcuRead) -> Trust {
        let t = self.arp_timing();
        let curr = self.curr_active(rcu).map(|c| {
            (
                self.slave_last_rx(c),
                c.last_link_up.load(Ordering::Relaxed),
            )
        });
        let arp_tx = self
            .current_arp_slave
            .read(rcu)
            .map(|a| a.last_tx.load(Ordering::Relaxed));
        arp::trust(&t, !s.is_backup(), curr, arp_tx, is_reply)
    }

    /// C's `bond_arp_rcv`.
    fn arp_rcv(&self, s: &Slave, pkt: &RxPacket<'_>) {
        let mut buf = [0u8; arp::arp_len(ADDR_LEN)];
        if !pkt.copy_network(&mut buf) {
            return;
        }
        let Some(info) = arp::parse_arp(&buf, ADDR_LEN, pkt.pkt_type()) else {
            return;
        };
        let rcu = pkt.rcu();
        match self.trust(s, info.op == arp::ARPOP_REPLY, rcu) {
            Trust::Direct => self.validate_arp(s, info.sip, info.tip, rcu),
            Trust::Swapped => self.validate_arp(s, info.tip, info.sip, rcu),
            Trust::No => {}
        }
    }

    /// C's `bond_validate_arp`: a reply from a target to one of our
    /// addresses refreshes the slave.
    fn validate_arp(&self, s: &Slave, sip: Ip4, tip: Ip4, rcu: &RcuRead) {
        if sip == [0; 4] || !inet::has_ip4(s.bond_dev(), tip, rcu) {
            return;
        }
        let Some(i) = self.arp_targets().find(&sip) else {
            return;
        };
        let now = jiffies();
        s.last_rx.store(now, Ordering::Relaxed);
        if let Some(r) = s.target_rx.get(i) {
            r.store(now, Ordering::Relaxed);
        }
    }

    /// C's `bond_na_rcv`.
    fn na_rcv(&self, s: &Slave, pkt: &RxPacket<'_>) {
        let mut buf = [0u8; arp::NS_NA_LEN];
        if !pkt.copy_network(&mut buf) {
            return;
        }
        let Some((saddr, daddr)) = arp::parse_ns_na(&buf, pkt.pkt_type()) else {
            return;
        };
        let rcu = pkt.rcu();
        match self.trust(s, true, rcu) {
            Trust::Direct => self.validate_na(s, &saddr, &daddr, rcu),
            Trust::Swapped => self.validate_na(s, &daddr, &saddr, rcu),
            Trust::No => {}
        }
    }

    /// C's `bond_validate_na`.
    fn validate_na(&self, s: &Slave, saddr: &Ip6, daddr: &Ip6, rcu: &RcuRead) {
        if *saddr == [0; 16] || (*daddr != ALL_NODES && !inet::has_ip6(s.bond_dev(), daddr, rcu)) {
            return;
        }
        let Some(i) = self.ns_targets().find(saddr) else {
            return;
        };
        let now = jiffies();
        s.last_rx.store(now, Ordering::Relaxed);
        if let Some(r) = s.target_rx.get(i) {
            r.store(now, Ordering::Relaxed);
        }
    }

    /// Start the ARP monitor (the bond is up and `arp_interval` is set):
    /// the receive probe, and the work item at once.
    pub(super) fn arp_start(&self, dev: &NetDevice) {
        self.recv_probe.store(true, Ordering::Relaxed);
        link::cancel_work_sync::<Bond>(dev, WORK_MII);
        link::requeue_work::<Bond>(dev, WORK_ARP, 0);
    }

    /// C's `slave_can_set_ns_maddr`.
    fn can_set_ns_maddr(&self, s: &Slave) -> bool {
        self.mode() == Mode::ActiveBackup
            && s.is_backup()
            && s.dev().flags() & crate::net::bindings::net_device_flags_IFF_MULTICAST != 0
    }

    /// C's `slave_set_ns_maddrs`: join or leave the solicited-node groups
    /// of every NS target on a backup slave, so it hears the solicitations
    /// the active slave's probes cause.
    pub(super) fn set_ns_maddrs(&self, s: &Slave, add: bool, rtnl: &mut Rtnl) {
        if !self.can_set_ns_maddr(s) {
            return;
        }
        for t in self.ns_targets().iter() {
            inet::ns_maddr(rtnl, s.dev(), &t, add);
        }
    }

    /// C's `bond_slave_ns_maddrs_add` / `_del`.
    pub(super) fn ns_maddrs(&self, s: &Slave, add: bool, rtnl: &mut Rtnl) {
        if self.val(OptId::ArpValidate) != 0 {
            self.set_ns_maddrs(s, add, rtnl);
        }
    }

    /// C's `slave_set_ns_maddr`: slot `old` becomes `new` on slave `s`.
    pub(super) fn swap_ns_maddr(&self, s: &Slave, new: &Ip6, old: &Ip6, rtnl: &mut Rtnl) {
        if self.val(OptId::ArpValidate) == 0 || !self.can_set_ns_maddr(s) {
            return;
        }
        if *old != [0; 16] {
            inet::ns_maddr(rtnl, s.dev(), old, false);
        }
        if *new != [0; 16] {
            inet::ns_maddr(rtnl, s.dev(), new, true);
        }
    }
}

/// Tag a probe with the VLANs of its path (C's `bond_handle_vlan`): the
/// inner levels go into the packet, the first one becomes the hardware
/// accelerated tag. `None` if tagging failed (the packet is gone).
fn apply_vlans(skb: SkBuff, path: Option<&VlanPath>) -> Option<SkBuff> {
    let Some((&(oproto, ovid), inner)) = path.and_then(|p| p.levels().split_first()) else {
        return Some(skb);
    };
    let mut skb = skb;
    for &(proto, vid) in inner {
        if vid == 0 {
            continue;
        }
        skb = match skb.vlan_insert_tag(proto, vid) {
            Some(s) => s,
            None => {
                bare_err!("failed to insert inner VLAN tag\n");
                return None;
            }
        };
    }
    if ovid != 0 {
        skb.vlan_hwaccel_put_tag(oproto, ovid);
    }
    Some(skb)
}

/// C's `bond_arp_send` (an ARP request).
fn arp_send(s: &Slave, dst: Ip4, src: Ip4, path: Option<&VlanPath>) {
    let Some(skb) = inet::arp_request(s.dev(), dst, src) else {
        bare_err!("ARP packet allocation failed\n");
        return;
    };
    if let Some(skb) = apply_vlans(skb, path) {
        s.last_tx.store(jiffies(), Ordering::Relaxed);
        inet::arp_xmit(skb);
    }
}

/// C's `bond_ns_send` (a neighbour solicitation).
fn ns_send(s: &Slave, daddr: &Ip6, saddr: &Ip6, path: Option<&VlanPath>) {
    let Some(skb) = inet::ns_request(s.dev(), daddr, saddr) else {
        bare_err!("NS packet allocation failed\n");
        return;
    };
    if let Some(skb) = apply_vlans(skb, path) {
        s.last_tx.store(jiffies(), Ordering::Relaxed);
        inet::ns_send(skb, daddr, saddr);
    }
}
