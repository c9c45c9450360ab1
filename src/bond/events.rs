// SPDX-License-Identifier: GPL-2.0

//! Netdevice events: the bond's own (proc entry) and its slaves'.
//!
//! In 7.2 the kernel delivers some slave events with the slave's instance
//! lock held (NETDEV_UP, NETDEV_CHANGE, NETDEV_DOWN, NETDEV_CHANGENAME for
//! "ops-locked" devices: dummy, netdevsim, NIC drivers with queue
//! management). What an event leads to (ethtool speed query, failover:
//! promiscuity, allmulti, MAC changes) takes instance locks, so for those
//! slaves the notifier only marks the slave and hands the work to the
//! bond's kick work ([`link::kick`]), which runs with RTNL as soon as the
//! notifier's caller releases it: still an event-driven failover, well
//! before the next MII poll. For the other slaves (veth, bonds, drivers
//! without the ops lock) the notifier marks the slave and runs the same
//! work at once, as C does.

use super::*;

impl NetdevNotifier for Bond {
    fn block() -> &'static NotifierBlock<Self> {
        &BOND_NOTIFIER
    }

    fn event(event: NetdevEvent, dev: &NetDevice, ctx: &mut NotifierCtx) {
        if let Some(bond) = link::master_of::<Bond>(dev) {
            // A bond is never ops-locked, so its own events come unlocked.
            if let Some(rtnl) = ctx.unlocked() {
                match event {
                    NetdevEvent::Register => {
                        let e = ProcEntry::new::<Bond>(rtnl, dev);
                        bond.core.get_mut(rtnl).proc = e;
                    }
                    NetdevEvent::Unregister => bond.core.get_mut(rtnl).proc = None,
                    NetdevEvent::ChangeName => {
                        bond.core.get_mut(rtnl).proc = None;
                        let e = ProcEntry::new::<Bond>(rtnl, dev);
                        bond.core.get_mut(rtnl).proc = e;
                    }
                    _ => {}
                }
            }
            // A bond can itself be a slave of another bond: go on.
        }
        let Some(slave) = rx::data_of::<Slave>(ctx.rtnl(), dev).map(Arc::from) else {
            return;
        };
        let bond_dev = slave.bond_dev();
        let Some(bond) = link::master_of::<Bond>(bond_dev) else {
            return;
        };
        let pending = match event {
            NetdevEvent::Unregister => {
                // Documented to come without the instance lock.
                if let Some(rtnl) = ctx.unlocked() {
                    let _ = bond.release(bond_dev, dev, false, true, rtnl);
                }
                return;
            }
            NetdevEvent::Up | NetdevEvent::Change | NetdevEvent::Down => {
                slave.event_pending.store(true, Ordering::Relaxed);
                return bond.events_now_or_later(bond_dev, ctx);
            }
            NetdevEvent::ChangeName if bond.uses_primary() => PENDING_RENAME,
            NetdevEvent::FeatChange => PENDING_FEATURES,
            NetdevEvent::XdpFeatChange => {
                // With the slave's instance lock held (any slave); the
                // bond's own lock is taken, never the slave's.
                bond.xdp_set_features(bond_dev, ctx.rtnl());
                return;
            }
            NetdevEvent::ResendIgmp => PENDING_IGMP,
            _ => return,
        };
        slave.pending.fetch_or(pending, Ordering::Relaxed);
        bond.events_now_or_later(bond_dev, ctx);
    }
}

/// Slave events waiting for the kick work (bits of [`Slave::pending`]).
pub(super) const PENDING_RENAME: u8 = 1;
/// The slave's features changed: recompute the bond's.
pub(super) const PENDING_FEATURES: u8 = 2;
/// The slave asked for IGMP reports to be sent again.
pub(super) const PENDING_IGMP: u8 = 4;

impl Bond {
    /// Runs the marked slave events now when the event device's instance
    /// lock is not held by the notifier's caller, else in the kick work.
    fn events_now_or_later(&self, dev: &NetDevice, ctx: &mut NotifierCtx) {
        match ctx.unlocked() {
            Some(rtnl) => self.run_events(dev, rtnl),
            None => link::kick::<Bond>(ctx.rtnl(), dev),
        }
    }

    /// The slave events' deferred work (the kick work: RTNL held, no
    /// instance lock). For the slaves with carrier or admin events: speed
    /// and duplex, then the MII pass in event mode (rbond: act on carrier
    /// changes now instead of at the next poll; updelay/downdelay still
    /// only advance on ticks) and the ARP monitor's carrier loss (rbond: a
    /// slave without carrier goes down now rather than after missed
    /// probes); a rename to or from the primary's name; a change of a
    /// slave's features; IGMP resend requests; and the usable-slave set.
    pub(super) fn run_events(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        // Each slave's marks are taken once, before acting on them: a mark
        // set meanwhile (by what this pass does) kicks the work again.
        let mut carrier = false;
        let mut other = 0;
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            i += 1;
            let s = &s;
            let p = s.pending.swap(0, Ordering::Relaxed);
            if s.event_pending.swap(false, Ordering::Relaxed) {
                // As C on NETDEV_UP/CHANGE: an 802.3ad slave whose speed or
                // duplex cannot be read is failing (down if it never was
                // up) until the MII monitor finds them readable. (Not on
                // NETDEV_DOWN, as C: the slave is then down already.)
                if !self.update_speed_duplex(s, rtnl)
                    && self.mode() == Mode::Lacp
                    && s.dev().is_up()
                {
                    let st = if s.last_link_up.load(Ordering::Relaxed) != 0 {
                        LinkState::Fail
                    } else {
                        LinkState::Down
                    };
                    s.force_link(st, rtnl);
                }
                // Only with the ARP monitor (the MII pass below only with
                // miimon; the two exclude each other).
                if dev.is_up() {
                    self.arp_carrier_lost(dev, s, rtnl);
                }
                carrier = true;
            }
            if p & PENDING_RENAME != 0 {
                self.primary_renamed(dev, s, rtnl);
            }
            other |= p;
        }
        if carrier && self.miimon() != 0 && dev.is_up() {
            self.mii_pass(dev, Trigger::Event, rtnl);
        }
        if other & PENDING_FEATURES != 0 {
            dev.compute_master_features(rtnl);
        }
        if other & PENDING_IGMP != 0 {
            dev.notify(rtnl, NetdevEvent::ResendIgmp);
        }
        self.refresh_usable(None, rtnl);
    }

    /// A slave was renamed: if it is or becomes the primary by name, the
    /// primary changes and the active slave is chosen again (C's
    /// NETDEV_CHANGENAME).
    fn primary_renamed(&self, dev: &NetDevice, slave: &Arc<Slave>, rtnl: &mut Rtnl) {
        if !self.uses_primary() {
            return;
        }
        let Some(want) = self.core.get(rtnl).primary_name else {
            return;
        };
        let is_primary = self
            .primary
            .get(rtnl)
            .is_some_and(|p| core::ptr::eq(p, &**slave));
        let old_primary = self.primary.get(rtnl).is_some();
        let sname = slave.dev().name();
        // Renames coalesce (A -> B -> A is one pass): compare the final
        // name with the primary's.
        let named = sname.as_bytes() == want.as_bytes();
        if is_primary == named {
            return;
        }
        if is_primary {
            self.primary.replace(rtnl, None);
        } else {
            self.primary.replace(rtnl, Some(slave.clone()));
        }
        bare_info!(
            "{}: Primary slave changed to {}, reselecting active slave\n",
            dev.name(),
            if old_primary {
                sname
            } else {
                IfName::from_bytes(b"none").unwrap_or(sname)
            }
        );
        self.select_active(dev, rtnl);
    }
}
