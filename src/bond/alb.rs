// SPDX-License-Identifier: GPL-2.0

//! balance-tlb and balance-alb in the bond core: the tables' lifetime and
//! lock, the slaves' MACs (unique per slave, swapped on failover, the
//! permanent one back on release), the 100 ms monitor (learning packets,
//! rebalancing, client updates) and the receive side (ARPs from clients).
//!
//! Locking: the tables ([`AlbTables`]) live behind one BH spinlock, taken
//! by the transmit path (bottom halves off), the receive softirq and the
//! RTNL paths and monitor (process context), as C's `mode_lock`. Nothing
//! that sleeps runs under it: promiscuity and MAC changes are decided
//! under the lock and done after it is dropped, under RTNL. The tables
//! are allocated when a bond first needs them (an enslave or an open in
//! one of the two modes) and live as long as the bond, so the counters
//! C keeps across a close and open keep their values here too.
//!
//! The tables name slaves by [`SlaveId`] (the slave's `alb_id`, given at
//! enslave); their view of each slave (speed, can transmit, MAC) is
//! refreshed under RTNL whenever the bond republishes its usable slaves
//! ([`Bond::alb_sync`]), i.e. after every link change and failover.

use super::*;
use crate::modes::alb::proto::{self, rlb::ArpPkt, SlaveId, ALB_TIMER_TICKS_PER_SEC};
use crate::net::bhlock::{copy_from_static, new_bh_spinlock, BhSpinLock};
use crate::net::inet;
use crate::net::rx::RxPacket;
use kernel::sync::SetOnce;

/// Empty tables, made at compile time: copied into place when a bond
/// first needs them (together about 14 KB, too big for a kernel stack).
static EMPTY_TLB: proto::tlb::Tlb = proto::tlb::Tlb::new();
static EMPTY_RLB: proto::rlb::Rlb = proto::rlb::Rlb::new();

/// The monitor's work item.
pub(super) const WORK_ALB: usize = 4;

/// The tables and what the glue keeps with them.
pub(crate) struct AlbTables {
    /// The transmit table.
    pub(crate) tlb: proto::tlb::Tlb,
    /// The receive table (balance-alb).
    pub(crate) rlb: proto::rlb::Rlb,
    /// One entry per slave, in enslave order.
    pub(crate) slaves: KVec<proto::Slave>,
    /// Receive balancing runs (C's `rlb_enabled`: set at open in
    /// balance-alb, cleared at open in balance-tlb).
    pub(crate) rlb_enabled: bool,
}

/// The tables' entry of slave `id`.
/// Copy what the tables keep of slave `s` into its entry `p`.
fn sync_entry(p: &mut proto::Slave, s: &Slave) {
    p.speed = s.speed();
    p.can_tx = s.can_tx();
    p.mac = s.dev().addr();
}

fn slave_mut(slaves: &mut [proto::Slave], id: u16) -> Option<&mut proto::Slave> {
    let p = proto::position(slaves, SlaveId(id))?;
    slaves.get_mut(p)
}

/// The tables behind their lock.
#[pin_data]
pub(crate) struct AlbShared {
    #[pin]
    pub(crate) t: BhSpinLock<AlbTables>,
}

/// The bond's ALB state outside the tables.
pub(super) struct AlbState {
    /// The tables, once allocated.
    tables: SetOnce<Arc<AlbShared>>,
    /// The receive side runs (bond up in balance-alb).
    rlb_on: AtomicBool,
    /// The monitor runs (bond up in balance-alb, or balance-tlb with
    /// `tlb_dynamic_lb`).
    monitor_on: AtomicBool,
}

impl AlbState {
    pub(super) const fn new() -> Self {
        AlbState {
            tables: SetOnce::new(),
            rlb_on: AtomicBool::new(false),
            monitor_on: AtomicBool::new(false),
        }
    }
}

/// The monitor's period: a tenth of a second (C's `alb_delta_in_ticks`).
fn alb_delta() -> u64 {
    ms_to_jiffies(1000 / ALB_TIMER_TICKS_PER_SEC).max(1)
}

/// What the tables know of `s` now.
fn proto_of(s: &Slave) -> proto::Slave {
    proto::Slave::new(SlaveId(s.alb_id()), s.speed(), s.can_tx(), s.dev().addr())
}

impl Bond {
    /// The mode is balance-tlb or balance-alb (C's `bond_is_lb`).
    pub(super) fn is_lb(&self) -> bool {
        matches!(self.mode(), Mode::Tlb | Mode::Alb)
    }

    /// The tables, once a bond in one of the two modes needed them (any
    /// context).
    pub(crate) fn alb_tables(&self) -> Option<&AlbShared> {
        self.alb.tables.as_ref().map(|a| &**a)
    }

    /// The receive table is in use (balance-alb, bond up).
    pub(crate) fn rlb_running(&self) -> bool {
        self.alb.rlb_on.load(Ordering::Relaxed)
    }

    /// The tables, allocated now if they are not yet (RTNL: one writer).
    fn alb_ensure(&self, _rtnl: &Rtnl) -> Result<&AlbShared> {
        if self.alb.tables.as_ref().is_none() {
            let a = Arc::pin_init(
                pin_init!(AlbShared {
                    t <- new_bh_spinlock!(
                        init!(AlbTables {
                            tlb <- copy_from_static(&EMPTY_TLB),
                            rlb <- copy_from_static(&EMPTY_RLB),
                            slaves: KVec::new(),
                            rlb_enabled: false,
                        }),
                        "rbond alb"
                    ),
                }),
                GFP_KERNEL,
            )?;
            self.alb.tables.populate(a);
        }
        self.alb_tables().ok_or(ENOMEM)
    }

    /// A slave id no current slave has.
    pub(super) fn alb_new_id(&self, rtnl: &Rtnl) -> u16 {
        let c = self.core.get(rtnl);
        let mut id = c.slaves.len() as u16;
        while c.slaves.iter().any(|s| s.alb_id() == id) {
            id = id.wrapping_add(1);
        }
        id
    }

    /// Refresh the tables' view of every slave (RTNL; after link changes,
    /// failovers and MAC changes).
    pub(super) fn alb_sync(&self, rtnl: &Rtnl) {
        let Some(sh) = self.alb_tables() else { return };
        let slaves = &self.core.get(rtnl).slaves;
        let mut t = sh.t.lock();
        for p in t.slaves.iter_mut() {
            if let Some(s) = slaves.iter().find(|s| s.alb_id() == p.id.0) {
                sync_entry(p, s);
            }
        }
    }

    /// Bond open (C's `bond_alb_initialize` and the monitor's start).
    pub(super) fn alb_open(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result {
        if !self.is_lb() {
            return Ok(());
        }
        let alb = self.mode() == Mode::Alb;
        let sh = self.alb_ensure(rtnl)?;
        {
            let mut t = sh.t.lock();
            t.tlb.initialize();
            for s in t.slaves.iter_mut() {
                s.tlb = proto::tlb::TlbSlave::new();
            }
            if alb {
                t.rlb.initialize();
            }
            t.rlb_enabled = alb;
        }
        self.alb.rlb_on.store(alb, Ordering::Relaxed);
        if alb || self.val(OptId::TlbDynamicLb) != 0 {
            self.alb.monitor_on.store(true, Ordering::Release);
            link::queue_work::<Bond>(dev, WORK_ALB, 0);
        }
        self.alb_sync(rtnl);
        Ok(())
    }

    /// Bond close (C's `bond_alb_deinitialize`).
    pub(super) fn alb_stop(&self, dev: &NetDevice, _rtnl: &mut Rtnl) {
        self.alb.monitor_on.store(false, Ordering::Release);
        link::cancel_work_sync::<Bond>(dev, WORK_ALB);
        self.alb.rlb_on.store(false, Ordering::Relaxed);
        if let Some(sh) = self.alb_tables() {
            let mut t = sh.t.lock();
            t.tlb.deinitialize();
            for s in t.slaves.iter_mut() {
                s.tlb = proto::tlb::TlbSlave::new();
            }
            if t.rlb_enabled {
                t.rlb.deinitialize();
            }
        }
    }

    /// Give `s` the MAC `addr` (C's `alb_set_slave_mac_addr`): balance-tlb
    /// only changes the address the stack sees (the hardware keeps the
    /// bond's, so every slave receives for it); balance-alb programs the
    /// device, which must allow that while open.
    fn alb_set_slave_mac(
        &self,
        dev: &NetDevice,
        s: &NetDevice,
        addr: &MacAddr,
        rtnl: &mut Rtnl,
    ) -> Result {
        if self.mode() == Mode::Tlb {
            s.write_addr(rtnl, addr);
            return Ok(());
        }
        if s.set_mac(rtnl, addr).is_err() {
            bare_err!(
                "{}: (slave {}): dev_set_mac_address on slave failed! ALB mode requires that the base driver support setting the hw address also when the network device's interface is open\n",
                dev.name(),
                s.name()
            );
            return Err(Error::from_errno(
                -(crate::net::bindings::EOPNOTSUPP as i32),
            ));
        }
        Ok(())
    }

    /// The slave of the bond whose MAC is `mac` (C's `bond_slave_has_mac`).
    fn alb_slave_with_mac(&self, mac: &MacAddr, rtnl: &Rtnl) -> Option<Arc<Slave>> {
        self.core
            .get(rtnl)
            .slaves
            .iter()
            .find(|s| s.dev().addr() == *mac)
            .cloned()
    }

    /// A slave is being enslaved, before it joins the lists (the MAC part
    /// of C's `bond_alb_init_slave`): its permanent MAC back, then a MAC no
    /// other slave uses (C's `alb_handle_addr_collision_on_attach`). Also
    /// makes room for it in the tables, so that [`Bond::alb_attach`]
    /// cannot fail.
    pub(super) fn alb_init_slave(&self, dev: &NetDevice, slave: &Slave, rtnl: &mut Rtnl) -> Result {
        let sh = self.alb_ensure(rtnl)?;
        sh.t.lock().slaves.reserve(1, GFP_ATOMIC)?;
        let sdev = slave.dev();
        self.alb_set_slave_mac(dev, sdev, &slave.perm_hwaddr, rtnl)?;
        let slaves = self.slaves_snapshot(rtnl)?;
        if slaves.is_empty() {
            return Ok(());
        }
        let bond_addr = dev.addr();
        let used = |mac: &MacAddr| slaves.iter().any(|s| s.dev().addr() == *mac);
        if slave.perm_hwaddr != bond_addr {
            if !used(&sdev.addr()) {
                return Ok(());
            }
            // C ignores a failure here: the search below decides.
            let _ = self.alb_set_slave_mac(dev, sdev, &bond_addr, rtnl);
        }
        let mut has_bond_addr = self.curr_active.get(rtnl).is_some();
        let mut free = None;
        for s in slaves.iter() {
            if !used(&s.perm_hwaddr) {
                free = Some(s);
                break;
            }
            if !has_bond_addr && s.dev().addr() == bond_addr {
                has_bond_addr = true;
            }
        }
        if let Some(f) = free {
            let _ = self.alb_set_slave_mac(dev, sdev, &f.perm_hwaddr, rtnl);
            bare_warn!(
                "{}: (slave {}): the slave hw address is in use by the bond; giving it the hw address of {}\n",
                dev.name(),
                sdev.name(),
                f.dev().name()
            );
        } else if has_bond_addr {
            bare_err!(
                "{}: (slave {}): the slave hw address is in use by the bond; couldn't find a slave with a free hw address to give it (this should not have happened)\n",
                dev.name(),
                sdev.name()
            );
            return Err(EFAULT);
        }
        Ok(())
    }

    /// The slave joined the lists (the table part of C's
    /// `bond_alb_init_slave`): no entries, a rebalance at the next tick.
    pub(super) fn alb_attach(&self, slave: &Slave) {
        let Some(sh) = self.alb_tables() else { return };
        let mut t = sh.t.lock();
        let t = &mut *t;
        // Room was reserved by alb_init_slave; a push cannot fail then.
        if t.slaves.push(proto_of(slave), GFP_ATOMIC).is_err() {
            return;
        }
        if let Some(p) = t.slaves.last_mut() {
            t.tlb.init_slave(p);
        }
        if t.rlb_enabled {
            t.rlb.link_up();
        }
    }

    /// A slave left the lists, the active slave no longer being it (C's
    /// `bond_alb_deinit_slave`): a slave using its permanent MAC gives it
    /// back, its clients move to the other slaves.
    pub(super) fn alb_deinit_slave(&self, dev: &NetDevice, slave: &Slave, rtnl: &mut Rtnl) {
        let Some(sh) = self.alb_tables() else { return };
        if !self.core.get(rtnl).slaves.is_empty() && self.is_lb() {
            // C's alb_change_hw_addr_on_detach.
            let cur = slave.dev().addr();
            if slave.perm_hwaddr != cur && slave.perm_hwaddr != dev.addr() {
                if let Some(found) = self.alb_slave_with_mac(&slave.perm_hwaddr, rtnl) {
                    self.alb_swap_mac(dev, slave, &found, rtnl);
                    self.alb_fasten_swap(dev, slave, &found, rtnl);
                }
            }
        }
        let curr = self.curr_active.get(rtnl).map(|s| SlaveId(s.alb_id()));
        let id = SlaveId(slave.alb_id());
        let teach = {
            let mut t = sh.t.lock();
            let t = &mut *t;
            let Some(pos) = proto::position(&t.slaves, id) else {
                return;
            };
            let mut gone = t.slaves.remove(pos).unwrap_or(proto_of(slave));
            t.tlb.deinit_slave(&mut gone);
            // C teaches nothing without an active slave (and changes no
            // promiscuity state then).
            let teach = t.rlb_enabled && t.rlb.deinit_slave(&t.slaves, id, curr) && curr.is_some();
            teach.then(|| self.alb_teach_state(t))
        };
        if let Some(promisc) = teach {
            self.alb_teach_with(slave.dev().addr(), promisc, rtnl);
        }
    }

    /// Under the lock, when a disabled slave's MAC must be learnt on the
    /// active slave: the promiscuity state, and whether the active slave
    /// must be made promiscuous now (the caller does it without the lock).
    fn alb_teach_state(&self, t: &mut AlbTables) -> bool {
        let was = t.rlb.primary_is_promisc;
        t.rlb.teach_on_primary(|| true);
        !was
    }

    /// C's `rlb_teach_disabled_mac_on_primary` after the table part: the
    /// active slave promiscuous (once), learning packets with `mac` on it.
    /// `promisc`: make it promiscuous (the table said it was not yet).
    fn alb_teach_with(&self, mac: MacAddr, promisc: bool, rtnl: &mut Rtnl) {
        let Some(curr) = self.curr_active.get_arc(rtnl) else {
            return;
        };
        if promisc {
            let _ = curr.dev().set_promiscuity(rtnl, 1);
        }
        let bond_dev = curr.bond_dev();
        rtnl.rcu(|rcu, _| self.send_learning(bond_dev, curr.dev(), &mac, true, rcu));
    }

    /// A slave's link came up or went down (C's
    /// `bond_alb_handle_link_change`).
    pub(super) fn alb_link_change(&self, s: &Slave, up: bool, rtnl: &mut Rtnl) {
        let Some(sh) = self.alb_tables() else { return };
        let curr = self.curr_active.get(rtnl).map(|c| SlaveId(c.alb_id()));
        let id = SlaveId(s.alb_id());
        let teach = {
            let mut t = sh.t.lock();
            let t = &mut *t;
            if up {
                // The tables see the slave's new state together with the
                // rebalances it orders: the monitor ticks without RTNL and
                // may run before this RTNL section's alb_sync (C's
                // rebalance reads the slave's live state).
                if let Some(p) = slave_mut(&mut t.slaves, id.0) {
                    sync_entry(p, s);
                }
                t.tlb.link_up();
                if t.rlb_enabled {
                    t.rlb.link_up();
                }
                None
            } else {
                if let Some(p) = slave_mut(&mut t.slaves, id.0) {
                    t.tlb.link_down(p);
                    // The slave can no longer transmit: the receive table
                    // must not give it clients.
                    p.can_tx = false;
                }
                let teach = t.rlb_enabled && t.rlb.link_down(&t.slaves, id, curr) && curr.is_some();
                teach.then(|| self.alb_teach_state(t))
            }
        };
        if let Some(promisc) = teach {
            self.alb_teach_with(s.dev().addr(), promisc, rtnl);
        }
    }

    /// Swap the MACs of two slaves (C's `alb_swap_mac_addr`).
    fn alb_swap_mac(&self, dev: &NetDevice, a: &Slave, b: &Slave, rtnl: &mut Rtnl) {
        let tmp = a.dev().addr();
        let _ = self.alb_set_slave_mac(dev, a.dev(), &b.dev().addr(), rtnl);
        let _ = self.alb_set_slave_mac(dev, b.dev(), &tmp, rtnl);
    }

    /// After a MAC swap, make the switch and the clients learn it (C's
    /// `alb_fasten_mac_swap`).
    fn alb_fasten_swap(&self, dev: &NetDevice, a: &Slave, b: &Slave, rtnl: &mut Rtnl) {
        self.alb_sync(rtnl);
        let rlb = self.alb_tables().is_some_and(|sh| sh.t.lock().rlb_enabled);
        let differ = a.can_tx() != b.can_tx();
        let mut disabled = None;
        for s in [a, b] {
            if s.can_tx() {
                let mac = s.dev().addr();
                rtnl.rcu(|rcu, _| self.send_learning(dev, s.dev(), &mac, false, rcu));
                if rlb {
                    self.rlb_req_update(s);
                }
            } else {
                disabled = Some(s);
            }
        }
        if rlb && differ {
            if let Some(d) = disabled.filter(|_| self.curr_active.get(rtnl).is_some()) {
                let promisc = self
                    .alb_tables()
                    .is_some_and(|sh| self.alb_teach_state(&mut sh.t.lock()));
                self.alb_teach_with(d.dev().addr(), promisc, rtnl);
            }
        }
    }

    /// The active slave becomes `new` (C's `bond_alb_handle_active_change`):
    /// the old one loses the promiscuity it may have been given, and the
    /// new one takes the bond's MAC (swapping with the slave that had it).
    pub(super) fn alb_active_change(
        &self,
        dev: &NetDevice,
        old: Option<&Arc<Slave>>,
        new: Option<&Arc<Slave>>,
        rtnl: &mut Rtnl,
    ) {
        if let (Some(o), Some(sh)) = (old, self.alb_tables()) {
            let drop_promisc = {
                let mut t = sh.t.lock();
                t.rlb.leave_promisc()
            };
            if drop_promisc {
                let _ = o.dev().set_promiscuity(rtnl, -1);
            }
        }
        self.curr_active.replace(rtnl, new.cloned());
        let Some(new) = new else { return };
        if self.core.get(rtnl).slaves.is_empty() {
            return;
        }
        let bond_addr = dev.addr();
        let swap = match old {
            Some(o) => Some(o.clone()),
            None => self.alb_slave_with_mac(&bond_addr, rtnl),
        };
        if let Some(sh) = self.alb_tables() {
            let mut t = sh.t.lock();
            let t = &mut *t;
            let ids = [swap.as_ref().map(|s| s.alb_id()), Some(new.alb_id())];
            for id in ids.into_iter().flatten() {
                if let Some(p) = slave_mut(&mut t.slaves, id) {
                    t.tlb.clear_slave(p, true);
                }
            }
        }
        if self.mode() == Mode::Tlb {
            // The hardware takes the bond's MAC (best effort), the stack
            // keeps seeing the slave's.
            let tmp = new.dev().addr();
            let _ = new.dev().set_mac(rtnl, &bond_addr);
            new.dev().write_addr(rtnl, &tmp);
        }
        match swap {
            Some(sw) => {
                self.alb_swap_mac(dev, &sw, new, rtnl);
                self.alb_fasten_swap(dev, &sw, new, rtnl);
            }
            None => {
                let _ = self.alb_set_slave_mac(dev, new.dev(), &bond_addr, rtnl);
                rtnl.rcu(|rcu, _| self.send_learning(dev, new.dev(), &bond_addr, false, rcu));
            }
        }
        self.alb_sync(rtnl);
    }

    /// The bond's MAC changes in balance-alb (C's
    /// `bond_alb_set_mac_address`).
    pub(super) fn alb_set_mac_address(
        &self,
        dev: &NetDevice,
        addr: &MacAddr,
        rtnl: &mut Rtnl,
    ) -> Result {
        if !proto::is_valid_ether_addr(addr) {
            return Err(Error::from_errno(
                -(crate::net::bindings::EADDRNOTAVAIL as i32),
            ));
        }
        let rlb = self.alb_tables().is_some_and(|sh| sh.t.lock().rlb_enabled);
        if !rlb {
            // Every slave's hardware takes the address, the stack keeps
            // seeing each slave's own (C's alb_set_mac_address).
            let slaves = self.slaves_snapshot(rtnl)?;
            for (i, s) in slaves.iter().enumerate() {
                let keep = s.dev().addr();
                let r = s.dev().set_mac(rtnl, addr);
                s.dev().write_addr(rtnl, &keep);
                if let Err(e) = r {
                    let cur = dev.addr();
                    for r in slaves.iter().take(i) {
                        let keep = r.dev().addr();
                        let _ = r.dev().set_mac(rtnl, &cur);
                        r.dev().write_addr(rtnl, &keep);
                    }
                    return Err(e);
                }
            }
        }
        dev.write_addr(rtnl, addr);
        let Some(curr) = self.curr_active.get_arc(rtnl) else {
            return Ok(());
        };
        match self.alb_slave_with_mac(addr, rtnl) {
            Some(sw) => {
                self.alb_swap_mac(dev, &sw, &curr, rtnl);
                self.alb_fasten_swap(dev, &sw, &curr, rtnl);
            }
            None => {
                let _ = self.alb_set_slave_mac(dev, curr.dev(), addr, rtnl);
                let a = *addr;
                rtnl.rcu(|rcu, _| self.send_learning(dev, curr.dev(), &a, false, rcu));
                if rlb {
                    self.rlb_req_update(&curr);
                }
            }
        }
        self.alb_sync(rtnl);
        Ok(())
    }

    /// The clients of `s` are told its new MAC (C's
    /// `rlb_req_update_slave_clients`).
    fn rlb_req_update(&self, s: &Slave) {
        if let Some(sh) = self.alb_tables() {
            sh.t.lock()
                .rlb
                .req_update_slave_clients(SlaveId(s.alb_id()));
        }
    }

    /// A VLAN of the bond is gone (C's `bond_alb_clear_vlan`).
    pub(super) fn alb_clear_vlan(&self, vid: u16) {
        if let Some(sh) = self.alb_tables() {
            let mut t = sh.t.lock();
            if t.rlb_enabled {
                t.rlb.clear_vlan(vid);
            }
        }
    }

    /// Learning packets on `slave` with `mac` (C's
    /// `alb_send_learning_packets`): untagged, then for each VLAN device
    /// right above the bond with its tag (and its own MAC unless it took
    /// the bond's), and unless `strict` for each macvlan above the bond
    /// with its MAC and the tag on its path.
    fn send_learning(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        mac: &MacAddr,
        strict: bool,
        rcu: &RcuRead,
    ) {
        slave.send_learning_packet(mac, 0, 0);
        let level = dev.lower_level();
        inet::for_each_upper_deep(dev, rcu, &mut |up| {
            if let Some((proto, vid)) = inet::vlan_info(up) {
                if level == up.lower_level() - 1 {
                    let m = if up.addr_stolen() { *mac } else { up.addr() };
                    slave.send_learning_packet(&m, proto, vid);
                }
            }
            if up.is_macvlan() && !strict {
                if let Some((proto, vid)) = inet::first_vlan_on_path(dev, up, rcu) {
                    slave.send_learning_packet(&up.addr(), proto, vid);
                }
            }
        });
    }

    /// Send one client its update (C's `rlb_update_client`): from its
    /// slave, that the server address is at the slave's MAC (any context).
    pub(crate) fn rlb_send_update(&self, u: &proto::rlb::ClientUpdate, rcu: &RcuRead) {
        let Some(s) = self
            .slave_list(rcu)
            .iter()
            .find(|s| s.alb_id() == u.slave.0)
        else {
            return;
        };
        // Not from netpoll's transmit (interrupts off): the updates go out
        // with dev_queue_xmit, which must not run there. Such an update is
        // lost; the client keeps the old slave's MAC until its next ARP
        // exchange with the bond.
        if !proto::is_valid_ether_addr(&u.mac_dst) || crate::net::netpoll::tx_running(s.dev()) {
            return;
        }
        for _ in 0..proto::rlb::RLB_ARP_BURST_SIZE {
            if !inet::rlb_arp_update(s.dev(), u.ip_dst, u.ip_src, &u.mac_dst, u.vlan_id) {
                bare_err!(
                    "{}: (slave {}): failed to create an ARP packet\n",
                    s.bond_dev().name(),
                    s.dev().name()
                );
            }
        }
    }

    /// The monitor (C's `bond_alb_monitor`, every 100 ms).
    pub(super) fn alb_work(&self, dev: &NetDevice, p: &mut Process) {
        if !self.alb.monitor_on.load(Ordering::Acquire) {
            return;
        }
        let Some(sh) = self.alb_tables() else { return };
        let lp = self.val(OptId::LpInterval) as u32;
        // The transmit side, learning packets, and the promiscuity count.
        let (idle, expired) = p.rcu(|rcu| {
            let curr = self.curr_active(rcu).map(|s| SlaveId(s.alb_id()));
            let (tick, rlb, expired) = {
                let mut t = sh.t.lock();
                let t = &mut *t;
                let tick = t.tlb.tick(&mut t.slaves, curr, lp);
                let expired = !tick.idle && t.rlb_enabled && t.rlb.promisc_tick();
                (tick, t.rlb_enabled, expired)
            };
            if tick.send_learning {
                for s in self.slave_list(rcu) {
                    let strict = rlb || Some(SlaveId(s.alb_id())) != curr;
                    self.send_learning(dev, s.dev(), &s.dev().addr(), strict, rcu);
                }
            }
            (tick.idle, expired)
        });
        if idle {
            link::queue_work::<Bond>(dev, WORK_ALB, alb_delta());
            return;
        }
        if expired {
            let Some(mut g) = rtnl::try_lock(p) else {
                link::queue_work::<Bond>(dev, WORK_ALB, alb_delta());
                return;
            };
            let curr = self.curr_active.get_arc(&g);
            let drop_promisc = sh.t.lock().rlb.promisc_expired(curr.is_some());
            if let (true, Some(c)) = (drop_promisc, curr) {
                let _ = c.dev().set_promiscuity(&mut g, -1);
            }
            drop(g);
        }
        p.rcu(|rcu| {
            let mut t = sh.t.lock();
            let t = &mut *t;
            if !t.rlb_enabled {
                return;
            }
            let ups = t.rlb.tick(&t.slaves);
            for u in ups.clients(&t.rlb) {
                self.rlb_send_update(&u, rcu);
            }
        });
        link::queue_work::<Bond>(dev, WORK_ALB, alb_delta());
    }

    /// The receive side (C's `rlb_arp_recv` and the balance-alb rules of
    /// `bond_handle_frame`), before the frame is handed to the bond: ARPs
    /// teach the receive table.
    pub(super) fn alb_receive(&self, pkt: &RxPacket<'_>) {
        if !self.rlb_running() || pkt.protocol() != crate::hash::ETH_P_ARP {
            return;
        }
        let mut b = [0u8; proto::rlb::ARP_PKT_LEN];
        if !pkt.copy_network(&mut b) {
            return;
        }
        let (Some(arp), Some(sh)) = (ArpPkt::parse(&b), self.alb_tables()) else {
            return;
        };
        sh.t.lock().rlb.recv_arp(&arp);
    }
}
