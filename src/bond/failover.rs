// SPDX-License-Identifier: GPL-2.0

//! Link monitoring and failover: the MII monitor pass (periodic, and on
//! slave events), the bond's carrier, the choice of the active slave and
//! what changing it moves (promiscuity, address lists, MACs, peer
//! notifications).

use super::*;

impl Bond {
    /// C's `bond_set_carrier` (modes other than 802.3ad): carrier on when
    /// any slave's link is up. Returns whether it changed.
    pub(super) fn set_carrier(&self, dev: &NetDevice, rtnl: &Rtnl) -> bool {
        if self.mode() == Mode::Lacp {
            let c = self.core.get(rtnl);
            return match c.ad.sys.carrier(&c.ad.m) {
                Some(true) if !dev.carrier_ok() => {
                    dev.carrier_on();
                    true
                }
                // No slaves (None) is no carrier too (C's bond_set_carrier).
                Some(false) | None if dev.carrier_ok() => {
                    dev.carrier_off();
                    true
                }
                _ => false,
            };
        }
        let any_up = self
            .core
            .get(rtnl)
            .slaves
            .iter()
            .any(|s| s.link_state() == LinkState::Up);
        if any_up && !dev.carrier_ok() {
            dev.carrier_on();
            true
        } else if !any_up && dev.carrier_ok() {
            dev.carrier_off();
            true
        } else {
            false
        }
    }

    /// C's `bond_select_active_slave`.
    pub(super) fn select_active(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        let Ok(slaves) = self.slaves_snapshot(rtnl) else {
            return;
        };
        let mut cands = KVec::new();
        for s in slaves.iter() {
            let l = *s.link.get(rtnl);
            let c = Candidate {
                link: l.state(),
                is_up: s.is_up(),
                speed: s.speed(),
                duplex: s.duplex(),
                delay: l.delay() as i32,
                prio: s.prio(),
            };
            if cands.push(c, GFP_KERNEL).is_err() {
                return;
            }
        }
        let idx_of =
            |p: Option<&Slave>| p.and_then(|p| slaves.iter().position(|s| core::ptr::eq(&**s, p)));
        let primary = idx_of(self.primary.get(rtnl));
        let curr = idx_of(self.curr_active.get(rtnl));
        let reselect = Reselect::from_value(self.val(OptId::PrimaryReselect)).unwrap_or_default();
        let force = self.core.get(rtnl).force_primary;
        let choice = select::find_best(
            &cands,
            primary,
            curr,
            reselect,
            force,
            self.val(OptId::UpDelay) as i32,
        );
        if choice.force_primary_consumed {
            self.core.get_mut(rtnl).force_primary = false;
        }
        if choice.best == curr {
            return;
        }
        let new = choice.best.and_then(|i| slaves.get(i).cloned());
        self.change_active(dev, new, rtnl);
        if self.set_carrier(dev, rtnl) {
            if dev.carrier_ok() {
                bare_info!("{}: active interface up!\n", dev.name());
            } else {
                bare_info!(
                    "{}: now running without any active interface!\n",
                    dev.name()
                );
            }
        }
    }

    /// C's `bond_change_active_slave`.
    pub(super) fn change_active(&self, dev: &NetDevice, new: Option<Arc<Slave>>, rtnl: &mut Rtnl) {
        let old = self.curr_active.get_arc(rtnl);
        if ptr_eq(old.as_deref(), new.as_deref()) {
            return;
        }
        // Offloaded IPsec states leave the old active slave first and go to
        // the new one last, whatever the mode (C's order).
        let ipsec = crate::net::link::ipsec_table::<Bond>(dev);
        if let Some(t) = ipsec {
            t.detach_all(dev, old.as_deref().map(|o| o.dev()), rtnl);
        }
        let uses_primary = self.uses_primary();
        if let Some(n) = &new {
            n.last_link_up
                .store(crate::net::netdev::jiffies(), Ordering::Relaxed);
            let back = n.link.get(rtnl).state() == LinkState::Back;
            if back {
                let updelay = self.val(OptId::UpDelay) as i64;
                let ticks = n
                    .link
                    .get_mut(rtnl)
                    .promote_early(updelay as u32)
                    .unwrap_or(0);
                n.publish_link(LinkState::Up);
                if self.is_lb() {
                    self.alb_link_change(n, true, rtnl);
                }
                if uses_primary {
                    bare_info!(
                        "{}: (slave {}): making interface the new active one {} ms earlier\n",
                        dev.name(),
                        n.dev().name(),
                        ticks * i64::from(self.miimon())
                    );
                }
            } else if uses_primary {
                bare_info!(
                    "{}: (slave {}): making interface the new active one\n",
                    dev.name(),
                    n.dev().name()
                );
            }
        }
        if uses_primary {
            self.hw_addr_swap(dev, new.as_deref(), old.as_deref(), rtnl);
        }
        if self.is_lb() {
            self.alb_active_change(dev, old.as_ref(), new.as_ref(), rtnl);
            if let Some(o) = &old {
                self.set_slave_inactive_flags(o, rtnl);
            }
            if let Some(n) = &new {
                self.set_slave_backup(n, false, rtnl);
            }
        } else {
            self.curr_active.replace(rtnl, new.clone());
        }
        if self.mode() == Mode::ActiveBackup {
            if let Some(o) = &old {
                self.set_slave_backup(o, true, rtnl);
            }
            if let Some(n) = &new {
                self.set_slave_backup(n, false, rtnl);
                if self.val(OptId::FailOverMac) != 0 {
                    self.do_fail_over_mac(dev, n, old.as_deref(), rtnl);
                }
                dev.notify(rtnl, NetdevEvent::BondingFailover);
                if dev.running() {
                    self.peer_notify_reset(rtnl);
                    self.peer_notify_events(dev, false, rtnl);
                }
            }
        }
        if let Some(t) = ipsec {
            let n = self.curr_active.get_arc(rtnl);
            t.finish_move(dev, n.as_deref().map(|s| s.dev()), rtnl);
        }
    }

    /// Move promiscuity, allmulti and address lists from the old active
    /// slave to the new one (C's `bond_hw_addr_swap`).
    pub(super) fn hw_addr_swap(
        &self,
        dev: &NetDevice,
        new: Option<&Slave>,
        old: Option<&Slave>,
        rtnl: &mut Rtnl,
    ) {
        let flags = dev.flags();
        let promisc = flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0;
        let allmulti = flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0;
        let up = flags & crate::net::bindings::net_device_flags_IFF_UP != 0;
        if let Some(o) = old {
            if promisc {
                let _ = o.dev().set_promiscuity(rtnl, -1);
            }
            if allmulti {
                let _ = o.dev().set_allmulti(rtnl, -1);
            }
            if up {
                o.dev().addr_lists_unsync(rtnl, dev);
            }
            self.ns_maddrs(o, true, rtnl);
        }
        if let Some(n) = new {
            if promisc {
                let _ = n.dev().set_promiscuity(rtnl, 1);
            }
            if allmulti {
                let _ = n.dev().set_allmulti(rtnl, 1);
            }
            if up {
                n.dev().addr_lists_sync(rtnl, dev, false);
            }
            self.ns_maddrs(n, false, rtnl);
        }
    }

    /// C's `bond_do_fail_over_mac`.
    pub(super) fn do_fail_over_mac(
        &self,
        dev: &NetDevice,
        new: &Slave,
        old: Option<&Slave>,
        rtnl: &mut Rtnl,
    ) {
        match self.val(OptId::FailOverMac) {
            1 => {
                if let Err(e) = dev.take_addr_of(rtnl, new.dev()) {
                    bare_err!(
                        "{}: (slave {}): Error {} setting bond MAC from slave\n",
                        dev.name(),
                        new.dev().name(),
                        e.to_errno().abs()
                    );
                }
            }
            2 => {
                // Swap addresses with the old active slave (or one that has
                // the bond's address); with none, take the bond's address.
                let bond_addr = dev.addr();
                let old_arc;
                let old = match old {
                    Some(o) => Some(o),
                    None => {
                        old_arc = self
                            .core
                            .get(rtnl)
                            .slaves
                            .iter()
                            .find(|s| !core::ptr::eq(&***s, new) && s.dev().addr() == bond_addr)
                            .cloned();
                        old_arc.as_deref()
                    }
                };
                let new_addr = new.dev().addr();
                let target = old.map(|o| o.dev().addr()).unwrap_or(bond_addr);
                if let Err(e) = new.dev().set_mac(rtnl, &target) {
                    bare_err!(
                        "{}: (slave {}): Error {} setting MAC of new active slave\n",
                        dev.name(),
                        new.dev().name(),
                        e.to_errno().abs()
                    );
                    return;
                }
                if let Some(o) = old {
                    if let Err(e) = o.dev().set_mac(rtnl, &new_addr) {
                        bare_err!(
                            "{}: (slave {}): Error {} setting MAC of old active slave\n",
                            dev.name(),
                            o.dev().name(),
                            e.to_errno().abs()
                        );
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn peer_notify_reset(&self, rtnl: &mut Rtnl) {
        let n = select::peer_notify_count(
            self.val(OptId::NumPeerNotif) as u8,
            self.val(OptId::PeerNotifDelay) as i32,
        );
        self.core.get_mut(rtnl).send_peer_notif = n;
    }

    /// C's `bond_peer_notify_may_events`.
    pub(super) fn peer_notify_events(&self, dev: &NetDevice, force: bool, rtnl: &mut Rtnl) {
        let pending = self.core.get(rtnl).send_peer_notif;
        let target = self
            .curr_active
            .get(rtnl)
            .is_some_and(|s| !s.dev().linkwatch_pending());
        let notify = select::should_notify_peers(
            pending,
            self.val(OptId::PeerNotifDelay) as i32,
            dev.carrier_ok(),
            target,
        );
        if notify {
            dev.notify(rtnl, NetdevEvent::NotifyPeers);
        }
        if notify || force {
            let c = self.core.get_mut(rtnl);
            c.send_peer_notif = c.send_peer_notif.saturating_sub(1);
        }
    }

    /// One MII evaluation of every slave (C's inspect + commit), from the
    /// periodic work (`Trigger::Tick`) or a carrier event (`Trigger::Event`).
    pub(super) fn mii_pass(&self, dev: &NetDevice, trigger: Trigger, rtnl: &mut Rtnl) {
        let Ok(slaves) = self.slaves_snapshot(rtnl) else {
            return;
        };
        let delays = self.delays();
        let miimon = i64::from(self.miimon());
        let no_active = self.curr_active.get(rtnl).is_none();
        let ab = self.mode() == Mode::ActiveBackup;
        let mut failover = false;
        for s in slaves.iter() {
            let carrier = s.is_up();
            let ev = s
                .link
                .get_mut(rtnl)
                .inspect(carrier, delays, no_active, trigger);
            let name = dev.name();
            let sname = s.dev().name();
            match ev {
                Event::None => {}
                Event::Fail => {
                    let kind = if !ab {
                        ""
                    } else if s.is_backup() {
                        "backup "
                    } else {
                        "active "
                    };
                    bare_info!(
                        "{}: (slave {}): link status down for {}interface, disabling it in {} ms\n",
                        name,
                        sname,
                        kind,
                        i64::from(delays.downdelay) * miimon
                    );
                }
                Event::Recovered { ticks } => {
                    bare_info!(
                        "{}: (slave {}): link status up again after {} ms\n",
                        name,
                        sname,
                        ticks * miimon
                    );
                }
                Event::Back => {
                    bare_info!(
                        "{}: (slave {}): link status up, enabling it in {} ms\n",
                        name,
                        sname,
                        i64::from(delays.updelay) * miimon
                    );
                }
                Event::DownAgain { ticks } => {
                    bare_info!(
                        "{}: (slave {}): link status down again after {} ms\n",
                        name,
                        sname,
                        ticks * miimon
                    );
                }
                Event::Up { announce } => {
                    if announce {
                        bare_info!(
                            "{}: (slave {}): link status up, enabling it in 0 ms\n",
                            name,
                            sname
                        );
                    }
                }
                Event::Down => {}
            }
            let Some(state) = s.link.get_mut(rtnl).commit() else {
                continue;
            };
            // As C: a slave whose speed/duplex cannot be read does not come
            // up in a mode that needs them; the next pass tries again.
            if state == LinkState::Up
                && !self.update_speed_duplex(s, rtnl)
                && self.needs_speed_duplex()
            {
                s.force_link(LinkState::Down, rtnl);
                if crate::net::log::net_ratelimit() {
                    bare_warn!(
                        "{}: (slave {}): failed to get link speed/duplex\n",
                        name,
                        sname
                    );
                }
                continue;
            }
            s.publish_link(state);
            match state {
                LinkState::Up => {
                    s.last_link_up
                        .store(crate::net::netdev::jiffies(), Ordering::Relaxed);
                    if let Some(active) = self.engine().link_changed(s, true) {
                        self.set_slave_backup(s, !active, rtnl);
                    }
                    if self.mode() == Mode::Lacp {
                        self.ad_link_changed(dev, s, rtnl);
                    }
                    if self.is_lb() {
                        self.alb_link_change(s, true, rtnl);
                    }
                    let speed = match s.speed() {
                        u32::MAX => 0,
                        v => v,
                    };
                    let duplex = if s.duplex() != 0 { "full" } else { "half" };
                    bare_info!(
                        "{}: (slave {}): link status definitely up, {} Mbps {} duplex\n",
                        name,
                        sname,
                        speed,
                        duplex
                    );
                    let primary = self
                        .primary
                        .get(rtnl)
                        .is_some_and(|p| core::ptr::eq(p, &**s));
                    let higher = self
                        .curr_active
                        .get(rtnl)
                        .is_some_and(|a| s.prio() > a.prio());
                    if self.curr_active.get(rtnl).is_none() || primary || higher {
                        failover = true;
                    }
                }
                LinkState::Down => {
                    s.count_failure();
                    if ab || self.mode() == Mode::Lacp {
                        self.set_slave_backup(s, true, rtnl);
                    } else if let Some(active) = self.engine().link_changed(s, false) {
                        self.set_slave_backup(s, !active, rtnl);
                    }
                    if self.mode() == Mode::Lacp {
                        self.ad_link_changed(dev, s, rtnl);
                    }
                    if self.is_lb() {
                        self.alb_link_change(s, false, rtnl);
                    }
                    bare_info!(
                        "{}: (slave {}): link status definitely down, disabling slave\n",
                        name,
                        sname
                    );
                    if self
                        .curr_active
                        .get(rtnl)
                        .is_some_and(|a| core::ptr::eq(a, &**s))
                    {
                        failover = true;
                    }
                }
                LinkState::Fail | LinkState::Back => {}
            }
            self.lower_state(s, rtnl);
        }
        if failover {
            self.select_active(dev, rtnl);
        }
        self.set_carrier(dev, rtnl);
        self.refresh_usable(None, rtnl);
    }

    /// Make `s` active or backup and set its receive filter (C's
    /// `bond_set_slave_{active,inactive}_flags` with `BOND_SLAVE_NOTIFY_NOW`):
    /// a change is announced to the lower device's listeners.
    pub(super) fn set_slave_backup(&self, s: &Slave, backup: bool, rtnl: &mut Rtnl) {
        if s.set_backup(backup, self.all_slaves_active()) {
            self.lower_state(s, rtnl);
        }
    }

    /// C's `bond_set_slave_inactive_flags`: a backup slave, receiving only
    /// exact matches unless `all_slaves_active`; in balance-tlb/alb the
    /// slave stays active (it transmits) and only its receive filter
    /// changes.
    pub(super) fn set_slave_inactive_flags(&self, s: &Slave, rtnl: &mut Rtnl) {
        if self.is_lb() {
            s.set_inactive(!self.all_slaves_active());
        } else {
            self.set_slave_backup(s, true, rtnl);
        }
    }

    /// Tell the stack (NETDEV_CHANGELOWERSTATE: LAG-offloading drivers,
    /// rtnetlink) whether `s` has link and transmits (C's
    /// `bond_lower_state_changed`).
    pub(super) fn lower_state(&self, s: &Slave, rtnl: &mut Rtnl) {
        let link_up = matches!(s.link_state(), LinkState::Up | LinkState::Fail);
        s.dev().lower_state_changed(rtnl, link_up, !s.is_backup());
    }

    /// Read the slave's speed and duplex (C's `bond_update_speed_duplex`);
    /// `false` when they are unknown (stored as unknown then).
    pub(super) fn update_speed_duplex(&self, s: &Slave, rtnl: &mut Rtnl) -> bool {
        let ok = match s.dev().speed_duplex(rtnl) {
            Ok(sd) => {
                s.set_speed_duplex(sd.speed, sd.duplex);
                true
            }
            Err(_) => {
                s.set_speed_duplex(u32::MAX, 0xff);
                false
            }
        };
        self.ad_speed_changed(s, rtnl);
        ok
    }

    /// The mode needs the slaves' speed and duplex to use them (C's
    /// `bond_needs_speed_duplex`: 802.3ad keys, tlb/alb load shares).
    pub(super) fn needs_speed_duplex(&self) -> bool {
        matches!(self.mode(), Mode::Lacp | Mode::Tlb | Mode::Alb)
    }

    /// The periodic MII monitor (work item).
    pub(super) fn mii_work(&self, dev: &NetDevice, p: &mut Process) {
        let miimon = self.miimon();
        if miimon == 0 {
            return;
        }
        let Some(mut g) = rtnl::try_lock(p) else {
            link::queue_work::<Bond>(dev, WORK_MII, 1);
            return;
        };
        if !self.core.get(&g).slaves.is_empty() {
            self.mii_pass(dev, Trigger::Tick, &mut g);
        }
        if self.core.get(&g).send_peer_notif > 0 {
            self.peer_notify_events(dev, true, &mut g);
        }
        drop(g);
        link::queue_work::<Bond>(dev, WORK_MII, ms_to_jiffies(miimon));
    }

    /// (Re)start or stop the MII monitor after `miimon` changed or the bond
    /// went up.
    pub(super) fn mii_restart(&self, dev: &NetDevice) {
        if self.miimon() == 0 {
            link::cancel_work_sync::<Bond>(dev, WORK_MII);
        } else if dev.is_up() {
            link::cancel_work_sync::<Bond>(dev, WORK_ARP);
            link::requeue_work::<Bond>(dev, WORK_MII, 0);
        }
    }
}
