// SPDX-License-Identifier: GPL-2.0

//! The bond: a master device aggregating slaves.
//!
//! Locking: configuration (enslave/release, options, failover) runs under
//! RTNL; what the transmit/receive paths and the lock-free readers (sysfs
//! show, procfs) need is published through RCU ([`RcuArc`]) or atomics.

mod arp;
mod options;
mod slave;
mod surfaces;

pub(crate) use slave::Slave;

use crate::modes::{engine, TransmitEngine};
use crate::monitor::link::{Delays, Event, LinkState, SlaveLink, Trigger};
use crate::monitor::select::{self, Candidate, Reselect};
use crate::net::link::{self, MasterOps, Vtables};
use crate::net::log::{bare_err, bare_info, bare_warn};
use crate::net::netdev::{IfName, MacAddr, Net, NetDevice, NetdevEvent, Stats, STATS_LEN};
use crate::net::nl::Extack;
use crate::net::notifier::{declare_notifier, NetdevNotifier, NotifierBlock};
use crate::net::percpu::PerCpuCounter;
use crate::net::pernet::{MastersFile, PernetTables};
use crate::net::proc::ProcEntry;
use crate::net::rcu::{RcuArc, RcuRead};
use crate::net::rtnl::{self, Rtnl, RtnlCell};
use crate::net::skb::SkBuff;
use crate::net::sysfs::ShowBuf;
use crate::net::{link::declare_master, params, pernet::declare_pernet, rx};
use crate::options::masters::{self, ListWriter, MastersCmd};
use crate::options::params::{check_max_bonds, check_mode, Check};
use crate::options::table::{OptId, OPT_COUNT};
use crate::options::targets::MAX_TARGETS;
use crate::options::Mode;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicU8, Ordering};
use kernel::prelude::*;
use kernel::sync::Arc;

const ARPHRD_ETHER: u16 = 1;
const ARPHRD_CAN: u16 = 280;

/// Work item ids (see [`link::queue_work`]).
const WORK_MII: usize = 0;
const WORK_ARP: usize = 1;

/// Defaults for new bonds, decided once at module load (C's `bonding_defaults`).
struct Defaults {
    vals: [AtomicU64; OPT_COUNT],
    primary: [AtomicU8; 16],
    /// `arp_ip_target` module parameter (addresses as `u32::from_ne_bytes`).
    arp_targets: [AtomicU32; MAX_TARGETS],
}

static DEFAULTS: Defaults = Defaults {
    vals: [const { AtomicU64::new(0) }; OPT_COUNT],
    primary: [const { AtomicU8::new(0) }; 16],
    arp_targets: [const { AtomicU32::new(0) }; MAX_TARGETS],
};
static TX_QUEUES: AtomicI32 = AtomicI32::new(16);

/// The slave list as RCU readers see it (enslave order).
pub(crate) struct SlaveList {
    pub(crate) v: KVec<Arc<Slave>>,
}

/// State only touched under RTNL.
struct Core {
    /// The slaves, in enslave order (the authoritative list).
    slaves: KVec<Arc<Slave>>,
    /// C's `params.primary`: the name of the wanted primary (maybe not enslaved).
    primary_name: Option<IfName>,
    /// Make the primary active at the next selection (C's `force_primary`).
    force_primary: bool,
    /// Peer notifications still to send (C's `send_peer_notif`).
    send_peer_notif: u32,
    /// `/proc/net/bonding/<name>`.
    proc: Option<ProcEntry>,
}

/// A bond device's private data.
pub(crate) struct Bond {
    /// Option values (C's `bond->params`); the delays are in ticks.
    vals: [AtomicU64; OPT_COUNT],
    core: RtnlCell<Core>,
    slaves: RcuArc<SlaveList>,
    /// The slaves that can transmit, for the modes that hash over them
    /// (C's `usable_slaves`), republished on every link change.
    usable: RcuArc<SlaveList>,
    /// balance-rr's transmit counter (C's per-CPU `rr_tx_counter`).
    rr_counter: PerCpuCounter,
    /// `packets_per_slave`'s reciprocal, packed by [`pack_recip`].
    pps_recip: AtomicU64,
    curr_active: RcuArc<Slave>,
    primary: RcuArc<Slave>,
    /// The slave the active-backup ARP monitor is probing while there is
    /// no active slave (C's `current_arp_slave`).
    current_arp_slave: RcuArc<Slave>,
    /// ARP targets, slot for slot (C's `params.arp_targets`; addresses as
    /// `u32::from_ne_bytes`): written under RTNL, read lock-free.
    arp_targets: [AtomicU32; MAX_TARGETS],
    /// NS targets (C's `params.ns_targets`), each as two 8-byte halves.
    ns_targets: [[AtomicU64; 2]; MAX_TARGETS],
    /// The receive path validates ARP/NS probes (C's `recv_probe`).
    recv_probe: AtomicBool,
    /// Counters of released slaves, folded into the bond's (written under
    /// RTNL, read racily as C's bond counters are).
    retired: [AtomicU64; STATS_LEN],
}

declare_master!(Bond, BOND_TABLES);
declare_pernet!(Bond, BOND_PERNET);
declare_notifier!(Bond, BOND_NOTIFIER);

impl Bond {
    /// Current value of option `id`.
    pub(crate) fn val(&self, id: OptId) -> u64 {
        // num_grat_arp is another name of num_unsol_na: one value.
        let id = match id {
            OptId::NumPeerNotifAlias => OptId::NumPeerNotif,
            other => other,
        };
        self.vals[id as usize].load(Ordering::Relaxed)
    }

    fn set_val(&self, id: OptId, v: u64) {
        self.vals[id as usize].store(v, Ordering::Relaxed);
    }

    /// The bond's mode.
    pub(crate) fn mode(&self) -> Mode {
        Mode::from_value(self.val(OptId::Mode)).unwrap_or_default()
    }

    fn engine(&self) -> &'static dyn TransmitEngine {
        engine(self.mode())
    }

    fn uses_primary(&self) -> bool {
        self.engine().uses_primary()
    }

    /// `miimon` in ms.
    fn miimon(&self) -> u32 {
        self.val(OptId::Miimon) as u32
    }

    fn delays(&self) -> Delays {
        Delays {
            updelay: self.val(OptId::UpDelay) as u32,
            downdelay: self.val(OptId::DownDelay) as u32,
        }
    }

    fn all_slaves_active(&self) -> bool {
        self.val(OptId::AllSlavesActive) != 0
    }

    /// The active slave (RCU readers: transmit).
    pub(crate) fn curr_active<'a>(&'a self, rcu: &'a RcuRead) -> Option<&'a Slave> {
        self.curr_active.read(rcu)
    }

    /// The slaves (RCU readers).
    pub(crate) fn slave_list<'a>(&'a self, rcu: &'a RcuRead) -> &'a [Arc<Slave>] {
        self.slaves.read(rcu).map(|l| &l.v[..]).unwrap_or(&[])
    }

    /// The slaves that can transmit, in enslave order (RCU readers; kept
    /// for the modes whose engine [`TransmitEngine::uses_slave_array`]).
    pub(crate) fn usable_list<'a>(&'a self, rcu: &'a RcuRead) -> &'a [Arc<Slave>] {
        self.usable.read(rcu).map(|l| &l.v[..]).unwrap_or(&[])
    }

    /// The transmit hash policy.
    pub(crate) fn xmit_policy(&self) -> crate::hash::Policy {
        crate::hash::Policy::from_value(self.val(OptId::XmitHashPolicy)).unwrap_or_default()
    }

    /// balance-rr's next slave id (C's `bond_rr_gen_slave_id`).
    pub(crate) fn rr_slave_id(&self) -> u32 {
        crate::hash::rr_slave_id(
            self.val(OptId::PacketsPerSlave) as u32,
            unpack_recip(self.pps_recip.load(Ordering::Relaxed)),
            || self.rr_counter.inc_return(),
            crate::net::percpu::random_u32,
        )
    }

    /// C's `bond_lag_hash_type`: the `enum netdev_lag_hash` announced to
    /// the lower devices.
    fn lag_hash_type(&self, tx: crate::net::netdev::LagTxType) -> u32 {
        use crate::hash::Policy;
        if tx != crate::net::netdev::LagTxType::Hash {
            return 0;
        }
        match self.xmit_policy() {
            Policy::Layer2 => 1,
            Policy::Layer34 => 2,
            Policy::Layer23 => 3,
            Policy::Encap23 => 4,
            Policy::Encap34 => 5,
            Policy::VlanSrcMac => 6,
        }
    }

    /// Record `packets_per_slave`'s reciprocal for the transmit path.
    fn set_pps_recip(&self, pps: u64) {
        let r = match u32::try_from(pps) {
            Ok(n) if n > 0 => crate::hash::Reciprocal::new(n),
            _ => crate::hash::Reciprocal::default(),
        };
        self.pps_recip.store(pack_recip(r), Ordering::Relaxed);
    }

    /// Republish the usable slaves if the mode uses them and the set
    /// changed (C's `bond_update_slave_arr`, without the allocation when
    /// nothing changed). `skip` is a slave being released.
    fn refresh_usable(&self, skip: Option<&Slave>, rtnl: &mut Rtnl) {
        if !self.engine().uses_slave_array() {
            if !self.usable.is_empty() {
                drop(self.usable.replace(rtnl, None));
            }
            return;
        }
        let keep = |s: &Arc<Slave>| s.can_tx() && !skip.is_some_and(|k| core::ptr::eq(&**s, k));
        let same = {
            let cur = self.usable.get(rtnl).map(|l| &l.v[..]).unwrap_or(&[]);
            let mut want = self.core.get(rtnl).slaves.iter().filter(|s| keep(s));
            cur.iter()
                .all(|c| want.next().is_some_and(|w| Arc::ptr_eq(c, w)))
                && want.next().is_none()
        };
        if same {
            return;
        }
        let mut v = KVec::new();
        for s in self.core.get(rtnl).slaves.iter().filter(|s| keep(s)) {
            if v.push(s.clone(), GFP_KERNEL).is_err() {
                // C keeps the old array but takes a released slave out.
                return self.drop_from_usable(skip, rtnl);
            }
        }
        match Arc::new(SlaveList { v }, GFP_KERNEL) {
            Ok(l) => drop(self.usable.replace(rtnl, Some(l))),
            Err(_) => self.drop_from_usable(skip, rtnl),
        }
    }

    /// Out of memory in [`Bond::refresh_usable`]: at least make sure a
    /// released slave is not transmitted on (publish an empty set).
    fn drop_from_usable(&self, skip: Option<&Slave>, rtnl: &mut Rtnl) {
        let listed = skip.is_some_and(|k| {
            self.usable
                .get(rtnl)
                .is_some_and(|l| l.v.iter().any(|s| core::ptr::eq(&**s, k)))
        });
        if listed {
            drop(self.usable.replace(rtnl, None));
        }
    }

    fn publish_slaves(&self, rtnl: &mut Rtnl) -> Result {
        let mut v = KVec::new();
        for s in self.core.get(rtnl).slaves.iter() {
            v.push(s.clone(), GFP_KERNEL)?;
        }
        let list = Arc::new(SlaveList { v }, GFP_KERNEL)?;
        drop(self.slaves.replace(rtnl, Some(list)));
        Ok(())
    }

    fn find_slave(&self, rtnl: &Rtnl, dev: &NetDevice) -> Option<Arc<Slave>> {
        self.core
            .get(rtnl)
            .slaves
            .iter()
            .find(|s| core::ptr::eq(s.dev().as_raw(), dev.as_raw()))
            .cloned()
    }

    fn slaves_snapshot(&self, rtnl: &Rtnl) -> Result<KVec<Arc<Slave>>> {
        let mut v = KVec::new();
        for s in self.core.get(rtnl).slaves.iter() {
            v.push(s.clone(), GFP_KERNEL)?;
        }
        Ok(v)
    }

    /// C's `bond_set_carrier` (modes other than 802.3ad): carrier on when
    /// any slave's link is up. Returns whether it changed.
    fn set_carrier(&self, dev: &NetDevice, rtnl: &Rtnl) -> bool {
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
    fn select_active(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
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
    fn change_active(&self, dev: &NetDevice, new: Option<Arc<Slave>>, rtnl: &mut Rtnl) {
        let old = self.curr_active.get_arc(rtnl);
        if ptr_eq(old.as_deref(), new.as_deref()) {
            return;
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
        drop(self.curr_active.replace(rtnl, new.clone()));
        if self.mode() == Mode::ActiveBackup {
            let all = self.all_slaves_active();
            if let Some(o) = &old {
                o.set_backup(true, all);
            }
            if let Some(n) = &new {
                n.set_backup(false, all);
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
    }

    /// Move promiscuity, allmulti and address lists from the old active
    /// slave to the new one (C's `bond_hw_addr_swap`).
    fn hw_addr_swap(
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
                n.dev().addr_lists_sync(rtnl, dev);
            }
            self.ns_maddrs(n, false, rtnl);
        }
    }

    /// C's `bond_do_fail_over_mac`.
    fn do_fail_over_mac(&self, dev: &NetDevice, new: &Slave, old: Option<&Slave>, rtnl: &mut Rtnl) {
        match self.val(OptId::FailOverMac) {
            1 => {
                if let Err(e) = dev.take_addr(rtnl, &new.dev().addr()) {
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

    fn peer_notify_reset(&self, rtnl: &mut Rtnl) {
        let n = select::peer_notify_count(
            self.val(OptId::NumPeerNotif) as u8,
            self.val(OptId::PeerNotifDelay) as i32,
        );
        self.core.get_mut(rtnl).send_peer_notif = n;
    }

    /// C's `bond_peer_notify_may_events`.
    fn peer_notify_events(&self, dev: &NetDevice, force: bool, rtnl: &mut Rtnl) {
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
    fn mii_pass(&self, dev: &NetDevice, trigger: Trigger, rtnl: &mut Rtnl) {
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
            s.publish_link(state);
            match state {
                LinkState::Up => {
                    self.update_speed_duplex(s, rtnl, true);
                    s.last_link_up
                        .store(crate::net::netdev::jiffies(), Ordering::Relaxed);
                    if let Some(active) = self.engine().link_changed(s, true) {
                        s.set_backup(!active, self.all_slaves_active());
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
                        s.set_backup(true, self.all_slaves_active());
                    } else if let Some(active) = self.engine().link_changed(s, false) {
                        s.set_backup(!active, self.all_slaves_active());
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
            s.dev()
                .lower_state_changed(rtnl, state == LinkState::Up, !s.is_backup());
        }
        if failover {
            self.select_active(dev, rtnl);
        }
        self.set_carrier(dev, rtnl);
        self.refresh_usable(None, rtnl);
    }

    fn update_speed_duplex(&self, s: &Slave, rtnl: &Rtnl, lock_ops: bool) {
        match s.dev().speed_duplex(rtnl, lock_ops) {
            Ok(sd) => s.set_speed_duplex(sd.speed, sd.duplex),
            Err(_) => s.set_speed_duplex(u32::MAX, 0xff),
        }
    }

    /// The periodic MII monitor (work item).
    fn mii_work(&self, dev: &NetDevice) {
        let miimon = self.miimon();
        if miimon == 0 {
            return;
        }
        let Some(mut g) = rtnl::try_lock() else {
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
    fn mii_restart(&self, dev: &NetDevice) {
        if self.miimon() == 0 {
            link::cancel_work_sync::<Bond>(dev, WORK_MII);
        } else if dev.is_up() {
            link::cancel_work_sync::<Bond>(dev, WORK_ARP);
            link::requeue_work::<Bond>(dev, WORK_MII, 0);
        }
    }

    /// Enslave `sdev` (C's `bond_enslave`).
    fn enslave(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        let name = dev.name();
        let sname = sdev.name();
        macro_rules! slave_nl_err {
            ($msg:literal, $err:expr) => {{
                ext.set_msg(kernel::c_str!($msg));
                bare_err!("{}: (slave {}): Error: {}\n", name, sname, $msg);
                return Err($err);
            }};
        }
        macro_rules! bond_nl_err {
            ($msg:literal, $err:expr) => {{
                ext.set_msg(kernel::c_str!($msg));
                bare_err!("{}: Error: {}\n", name, $msg);
                return Err($err);
            }};
        }
        if sdev.dev_type() == ARPHRD_CAN {
            bond_nl_err!("CAN devices cannot be enslaved", EPERM);
        }
        if sdev.flags() & crate::net::bindings::net_device_flags_IFF_MASTER != 0
            && !sdev.is_bond_master()
        {
            bond_nl_err!("Device type (master device) cannot be enslaved", EPERM);
        }
        if sdev.rx_handler_busy(rtnl) {
            slave_nl_err!("Device is in use and cannot be enslaved", EBUSY);
        }
        if core::ptr::eq(dev.as_raw(), sdev.as_raw()) {
            bond_nl_err!("Cannot enslave bond to itself.", EPERM);
        }
        if sdev.vlan_challenged() {
            bare_warn!(
                "{}: (slave {}): enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n",
                name,
                sname
            );
        }
        if sdev.is_up() {
            slave_nl_err!("Device can not be enslaved while up", EPERM);
        }
        let has_slaves = !self.core.get(rtnl).slaves.is_empty();
        if sdev.dev_type() != ARPHRD_ETHER {
            // Only Ethernet slaves for now: changing the bond's type to the
            // first slave's (C's bond_setup_by_slave) is not supported.
            slave_nl_err!("Device type is different from other slaves", EINVAL);
        }
        let ab = self.mode() == Mode::ActiveBackup;
        if !sdev.can_set_mac() {
            bare_warn!(
                "{}: (slave {}): The slave device specified does not support setting the MAC address\n",
                name,
                sname
            );
            if ab && self.val(OptId::FailOverMac) != 1 {
                if !has_slaves {
                    self.set_val(OptId::FailOverMac, 1);
                    bare_warn!(
                        "{}: (slave {}): Setting fail_over_mac to active for active-backup mode\n",
                        name,
                        sname
                    );
                } else {
                    slave_nl_err!(
                        "Slave device does not support setting the MAC address, but fail_over_mac is not set to active",
                        Error::from_errno(-(crate::net::bindings::EOPNOTSUPP as i32))
                    );
                }
            }
        }
        // First slave: the bond takes its address (if the bond's is random).
        if !has_slaves && crate::net::netdev::addr_is_random(dev) {
            dev.take_addr(rtnl, &sdev.addr())?;
        }
        let slave = Arc::new(
            Slave::new(sdev, dev, SlaveLink::new(LinkState::Down, 0)),
            GFP_KERNEL,
        )?;
        let r = self.enslave_steps(dev, sdev, &slave, rtnl);
        if r.is_err() && !has_slaves && sdev.addr() == dev.addr() {
            dev.random_addr(rtnl);
        }
        r
    }

    fn enslave_steps(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        slave: &Arc<Slave>,
        rtnl: &mut Rtnl,
    ) -> Result {
        let name = dev.name();
        let sname = sdev.name();
        let ab = self.mode() == Mode::ActiveBackup;
        let fom = self.val(OptId::FailOverMac);
        let has_slaves = !self.core.get(rtnl).slaves.is_empty();
        if let Err(e) = sdev.set_mtu(rtnl, dev.mtu()) {
            bare_err!(
                "{}: (slave {}): Error {} calling dev_set_mtu\n",
                name,
                sname,
                e.to_errno()
            );
            return Err(e);
        }
        let mut mac: Option<MacAddr> = None;
        if fom == 0 || !ab {
            mac = Some(dev.addr());
        } else if fom == 2 && has_slaves && sdev.addr() == dev.addr() {
            let mut a = [0u8; 6];
            crate::net::netdev::random_ether_addr(&mut a);
            mac = Some(a);
        }
        if let Some(a) = mac {
            if let Err(e) = sdev.set_mac(rtnl, &a) {
                bare_err!(
                    "{}: (slave {}): Error {} calling set_mac_address\n",
                    name,
                    sname,
                    e.to_errno()
                );
                let _ = sdev.set_mtu(rtnl, slave.original_mtu);
                return Err(e);
            }
        }
        sdev.set_slave_flags(rtnl, false, true);
        if let Err(e) = sdev.open(rtnl) {
            bare_err!("{}: (slave {}): Opening slave failed\n", name, sname);
            self.undo_mac_mtu(sdev, slave, mac.is_some(), rtnl);
            return Err(e);
        }
        sdev.set_slave_flags(rtnl, true, true);
        let undo_open = |rtnl: &mut Rtnl| {
            sdev.set_slave_flags(rtnl, sdev.is_bond_master(), true);
            sdev.close(rtnl);
            self.undo_mac_mtu(sdev, slave, mac.is_some(), rtnl);
        };
        if let Err(e) = sdev.vlan_vids_add_from(rtnl, dev) {
            bare_err!("{}: (slave {}): Couldn't add bond vlan ids\n", name, sname);
            undo_open(rtnl);
            return Err(e);
        }
        self.update_speed_duplex(slave, rtnl, true);
        // Initial link state, from the opened device (C: after dev_open).
        let carrier = sdev.running() && sdev.carrier_ok();
        let link = if self.miimon() != 0 {
            SlaveLink::enslaved(carrier, self.val(OptId::UpDelay) as u32)
        } else if self.val(OptId::ArpInterval) != 0 {
            SlaveLink::new(
                if sdev.carrier_ok() {
                    LinkState::Up
                } else {
                    LinkState::Down
                },
                0,
            )
        } else {
            SlaveLink::new(LinkState::Up, 0)
        };
        *slave.link.get_mut(rtnl) = link;
        slave.publish_link(link.state());
        // The ARP monitor's clocks: "last heard" just over an interval ago,
        // so a new slave must prove itself; "came up" now unless down.
        let now = crate::net::netdev::jiffies();
        let stale =
            now.wrapping_sub(ms_to_jiffies(self.val(OptId::ArpInterval) as u32).wrapping_add(1));
        slave.last_rx.store(stale, Ordering::Relaxed);
        slave.last_tx.store(stale, Ordering::Relaxed);
        for t in slave.target_rx.iter() {
            t.store(stale, Ordering::Relaxed);
        }
        if link.state() != LinkState::Down {
            slave.last_link_up.store(now, Ordering::Relaxed);
        }
        // Primary?
        let is_primary = self.uses_primary()
            && self
                .core
                .get(rtnl)
                .primary_name
                .is_some_and(|p| p.as_bytes() == sname.as_bytes());
        if ab || !self.engine().starts_active() {
            slave.set_backup(true, self.all_slaves_active());
        } else {
            slave.set_backup(false, self.all_slaves_active());
        }
        sdev.disable_lro(rtnl);
        if let Err(e) = rx::register(rtnl, sdev, slave.clone()) {
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        let tx_type = self.engine().lag_tx_type();
        if let Err(e) = sdev.link_master(rtnl, dev, tx_type, self.lag_hash_type(tx_type)) {
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        sdev.lower_state_changed(
            rtnl,
            slave.link_state() == LinkState::Up,
            !slave.is_backup(),
        );
        if let Err(e) = link::sysfs_slave_add(rtnl, sdev) {
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        if !self.uses_primary() {
            let flags = dev.flags();
            if flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                let _ = sdev.set_promiscuity(rtnl, 1);
            }
            if flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                let _ = sdev.set_allmulti(rtnl, 1);
            }
            if dev.is_up() {
                sdev.addr_lists_sync(rtnl, dev);
            }
        }
        // Commit: the slave is in the lists from here on.
        let pushed = self
            .core
            .get_mut(rtnl)
            .slaves
            .push(slave.clone(), GFP_KERNEL);
        if let Err(e) = pushed
            .map_err(Error::from)
            .and_then(|()| self.publish_slaves(rtnl))
        {
            self.core
                .get_mut(rtnl)
                .slaves
                .retain(|s| !Arc::ptr_eq(s, slave));
            link::sysfs_slave_del(rtnl, sdev);
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        if is_primary {
            drop(self.primary.replace(rtnl, Some(slave.clone())));
            self.core.get_mut(rtnl).force_primary = true;
        }
        if !self.uses_primary()
            && self.curr_active.is_empty()
            && slave.link_state() == LinkState::Up
        {
            drop(self.curr_active.replace(rtnl, Some(slave.clone())));
        }
        dev.compute_master_features(rtnl);
        self.set_carrier(dev, rtnl);
        // Before the selection, which takes them off a new active slave.
        self.ns_maddrs(slave, true, rtnl);
        if self.uses_primary() {
            self.select_active(dev, rtnl);
        }
        self.refresh_usable(None, rtnl);
        let role = if slave.is_backup() {
            "a backup"
        } else {
            "an active"
        };
        let link = if slave.link_state() != LinkState::Down {
            "an up"
        } else {
            "a down"
        };
        bare_info!(
            "{}: (slave {}): Enslaving as {} interface with {} link\n",
            name,
            sname,
            role,
            link
        );
        Ok(())
    }

    fn undo_mac_mtu(&self, sdev: &NetDevice, slave: &Slave, mac_set: bool, rtnl: &mut Rtnl) {
        sdev.set_slave_flags(rtnl, sdev.is_bond_master(), false);
        if mac_set {
            let _ = sdev.set_mac(rtnl, &slave.perm_hwaddr);
        }
        let _ = sdev.set_mtu(rtnl, slave.original_mtu);
    }

    /// Release `sdev` (C's `__bond_release_one`); `all` when the bond is
    /// being destroyed.
    fn release(&self, dev: &NetDevice, sdev: &NetDevice, all: bool, rtnl: &mut Rtnl) -> Result {
        let Some(slave) = self.find_slave(rtnl, sdev) else {
            bare_info!(
                "{}: (slave {}): interface not enslaved\n",
                dev.name(),
                sdev.name()
            );
            return Err(EINVAL);
        };
        let old_flags = dev.flags();
        if !matches!(self.mode(), Mode::Tlb | Mode::Alb) {
            slave.set_backup(true, false);
        }
        link::sysfs_slave_del(rtnl, sdev);
        // Fold the slave's counters into the bond's before it goes.
        let st = self.slave_delta(&slave);
        for (r, v) in self.retired.iter().zip(st.0.iter()) {
            r.store(
                r.load(Ordering::Relaxed).wrapping_add(*v),
                Ordering::Relaxed,
            );
        }
        let data = rx::unregister::<Slave>(rtnl, sdev);
        sdev.unlink_master(rtnl, dev);
        // C marks the slave backup first, so only tlb/alb can say "active".
        let role = if matches!(self.mode(), Mode::Tlb | Mode::Alb) && !slave.is_backup() {
            "active"
        } else {
            "backup"
        };
        bare_info!(
            "{}: (slave {}): Releasing {} interface\n",
            dev.name(),
            sdev.name(),
            role
        );
        let ab = self.mode() == Mode::ActiveBackup;
        let fom = self.val(OptId::FailOverMac);
        drop(self.current_arp_slave.replace(rtnl, None));
        self.core
            .get_mut(rtnl)
            .slaves
            .retain(|s| !Arc::ptr_eq(s, &slave));
        let _ = self.publish_slaves(rtnl);
        self.refresh_usable(Some(&slave), rtnl);
        let was_current = self
            .curr_active
            .get(rtnl)
            .is_some_and(|a| core::ptr::eq(a, &*slave));
        if !all
            && (fom != 1 || !ab)
            && dev.addr() == slave.perm_hwaddr
            && !self.core.get(rtnl).slaves.is_empty()
        {
            let mut mac = options::LineBuf::new();
            let _ = crate::options::netlink::write_hw_addr(&mut mac, &slave.perm_hwaddr);
            bare_warn!(
                "{}: (slave {}): the permanent HWaddr of slave - {} - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
                dev.name(),
                sdev.name(),
                mac.as_str()
            );
        }
        if self
            .primary
            .get(rtnl)
            .is_some_and(|p| core::ptr::eq(p, &*slave))
        {
            drop(self.primary.replace(rtnl, None));
        }
        if was_current {
            self.change_active(dev, None, rtnl);
        }
        // After the change of active slave, which may make it a backup.
        self.ns_maddrs(&slave, false, rtnl);
        if was_current && !all {
            self.select_active(dev, rtnl);
        }
        self.set_carrier(dev, rtnl);
        let empty = self.core.get(rtnl).slaves.is_empty();
        if empty {
            dev.random_addr(rtnl);
            dev.notify(rtnl, NetdevEvent::ChangeAddr);
            dev.notify(rtnl, NetdevEvent::Release);
        }
        dev.compute_master_features(rtnl);
        sdev.vlan_vids_del_from(rtnl, dev);
        if !self.uses_primary() {
            if old_flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                let _ = sdev.set_promiscuity(rtnl, -1);
            }
            if old_flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                let _ = sdev.set_allmulti(rtnl, -1);
            }
            if old_flags & crate::net::bindings::net_device_flags_IFF_UP != 0 {
                sdev.addr_lists_unsync(rtnl, dev);
            }
        }
        sdev.close(rtnl);
        sdev.set_slave_flags(rtnl, sdev.is_bond_master(), false);
        if fom != 1 || !ab {
            let _ = sdev.set_mac(rtnl, &slave.perm_hwaddr);
        }
        let _ = sdev.set_mtu(rtnl, slave.original_mtu);
        drop(data);
        Ok(())
    }

    fn slave_delta(&self, s: &Slave) -> Stats {
        let now = s.dev().stats();
        let mut out = Stats::default();
        for i in 0..STATS_LEN {
            out.0[i] = now.0[i].wrapping_sub(s.stats_base.0[i]);
        }
        out
    }

    fn release_all(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        while let Some(s) = self.core.get(rtnl).slaves.last().cloned() {
            let _ = self.release(dev, s.dev(), true, rtnl);
        }
    }
}

/// Pack a [`crate::hash::Reciprocal`] into one atomic word.
fn pack_recip(r: crate::hash::Reciprocal) -> u64 {
    u64::from(r.m) | (u64::from(r.sh1) << 32) | (u64::from(r.sh2) << 40)
}

fn unpack_recip(v: u64) -> crate::hash::Reciprocal {
    crate::hash::Reciprocal {
        m: v as u32,
        sh1: (v >> 32) as u8,
        sh2: (v >> 40) as u8,
    }
}

fn ptr_eq(a: Option<&Slave>, b: Option<&Slave>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => core::ptr::eq(a, b),
        _ => false,
    }
}

fn ms_to_jiffies(ms: u32) -> u64 {
    crate::net::netdev::msecs_to_jiffies(ms)
}

impl MasterOps for Bond {
    const KIND: &'static core::ffi::CStr = c"bond";
    const POLICY: &'static crate::net::nl::Policy = &surfaces::POLICY;
    const SLAVE_POLICY: &'static crate::net::nl::Policy = &surfaces::SLAVE_POLICY;

    fn vtables() -> &'static Vtables<Self> {
        &BOND_TABLES
    }

    fn new() -> Self {
        let vals = [const { AtomicU64::new(0) }; OPT_COUNT];
        for (v, d) in vals.iter().zip(DEFAULTS.vals.iter()) {
            v.store(d.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        let mut primary = [0u8; 16];
        for (p, d) in primary.iter_mut().zip(DEFAULTS.primary.iter()) {
            *p = d.load(Ordering::Relaxed);
        }
        let len = primary.iter().position(|&c| c == 0).unwrap_or(15);
        Bond {
            vals,
            core: RtnlCell::new(Core {
                slaves: KVec::new(),
                primary_name: if len == 0 {
                    None
                } else {
                    IfName::from_bytes(&primary[..len])
                },
                force_primary: false,
                send_peer_notif: 0,
                proc: None,
            }),
            retired: [const { AtomicU64::new(0) }; STATS_LEN],
            slaves: RcuArc::empty(),
            usable: RcuArc::empty(),
            rr_counter: PerCpuCounter::new(),
            pps_recip: AtomicU64::new(0),
            curr_active: RcuArc::empty(),
            primary: RcuArc::empty(),
            current_arp_slave: RcuArc::empty(),
            arp_targets: core::array::from_fn(|i| {
                AtomicU32::new(DEFAULTS.arp_targets[i].load(Ordering::Relaxed))
            }),
            ns_targets: [const { [const { AtomicU64::new(0) }; 2] }; MAX_TARGETS],
            recv_probe: AtomicBool::new(false),
        }
    }

    fn init(&self, dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        dev.ensure_mac();
        self.set_pps_recip(self.val(OptId::PacketsPerSlave));
        self.rr_counter.alloc()
    }

    fn uninit(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        self.release_all(dev, rtnl);
        // C's netdev_info from bond_uninit, on a device being unregistered.
        bare_info!("{} (unregistering): Released all slaves\n", dev.name());
        self.core.get_mut(rtnl).proc = None;
    }

    fn open(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result {
        let all = self.all_slaves_active();
        let uses_primary = self.uses_primary();
        if let Ok(slaves) = self.slaves_snapshot(rtnl) {
            for s in slaves.iter() {
                let cur = self
                    .curr_active
                    .get(rtnl)
                    .is_some_and(|a| core::ptr::eq(a, &**s));
                if uses_primary && !cur {
                    s.set_backup(true, all);
                } else if self.mode() != Mode::Lacp {
                    s.set_backup(false, all);
                }
            }
        }
        if self.miimon() != 0 {
            link::queue_work::<Bond>(dev, WORK_MII, 0);
        }
        if self.val(OptId::ArpInterval) != 0 {
            link::queue_work::<Bond>(dev, WORK_ARP, 0);
            self.recv_probe.store(true, Ordering::Relaxed);
        }
        self.refresh_usable(None, rtnl);
        Ok(())
    }

    fn stop(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result {
        link::cancel_work_sync::<Bond>(dev, WORK_MII);
        link::cancel_work_sync::<Bond>(dev, WORK_ARP);
        self.recv_probe.store(false, Ordering::Relaxed);
        self.core.get_mut(rtnl).send_peer_notif = 0;
        // Take the bond's address lists off the slaves that carry them
        // (C's bond_close: the active slave, or every slave).
        let targets = if self.uses_primary() {
            let mut v = KVec::new();
            if let Some(a) = self.curr_active.get_arc(rtnl) {
                v.push(a, GFP_KERNEL)?;
            }
            v
        } else {
            self.slaves_snapshot(rtnl)?
        };
        for s in targets.iter() {
            s.dev().addr_lists_unsync(rtnl, dev);
        }
        Ok(())
    }

    fn start_xmit(&self, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) {
        self.engine().xmit(self, dev, skb, rcu);
    }

    /// C's `bond_select_queue`: the queue the packet was received on when
    /// forwarded, else 0 (no flow hashing on the bond: its own transmit
    /// policy decides), remembering the stack's pick for the slave.
    fn select_queue(&self, dev: &NetDevice, skb: &mut link::TxQueueSkb<'_>) -> u16 {
        let txq = skb.rx_queue().unwrap_or(0);
        skb.save_queue_mapping();
        match u16::try_from(dev.real_num_tx_queues()) {
            Ok(n) if n > 0 => txq % n,
            _ => 0,
        }
    }

    fn num_tx_queues() -> u32 {
        TX_QUEUES.load(Ordering::Relaxed).clamp(1, 255) as u32
    }

    fn add_slave(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        self.enslave(dev, slave, ext, rtnl)
    }

    fn del_slave(&self, dev: &NetDevice, slave: &NetDevice, rtnl: &mut Rtnl) -> Result {
        self.release(dev, slave, false, rtnl)
    }

    fn get_stats(&self, _dev: &NetDevice) -> Stats {
        let rcu = crate::net::rcu::read_lock();
        let mut out = Stats::default();
        for s in self.slave_list(&rcu) {
            let d = self.slave_delta(s);
            for (o, v) in out.0.iter_mut().zip(d.0.iter()) {
                *o = o.wrapping_add(*v);
            }
        }
        drop(rcu);
        // Released slaves' counters: read racily, like C's stats of the
        // bond itself (updated under RTNL only).
        let retired = self.core_retired();
        for (o, v) in out.0.iter_mut().zip(retired.0.iter()) {
            *o = o.wrapping_add(*v);
        }
        out
    }

    fn set_mac_address(&self, dev: &NetDevice, addr: &MacAddr, rtnl: &mut Rtnl) -> Result {
        if self.val(OptId::FailOverMac) != 0 && self.mode() == Mode::ActiveBackup {
            return Ok(());
        }
        if addr[0] & 1 != 0 || addr.iter().all(|&b| b == 0) {
            return Err(Error::from_errno(
                -(crate::net::bindings::EADDRNOTAVAIL as i32),
            ));
        }
        let slaves = self.slaves_snapshot(rtnl)?;
        for (i, s) in slaves.iter().enumerate() {
            if let Err(e) = s.dev().set_mac(rtnl, addr) {
                let cur = dev.addr();
                for r in slaves.iter().take(i) {
                    let _ = r.dev().set_mac(rtnl, &cur);
                }
                return Err(e);
            }
        }
        dev.write_addr(rtnl, addr);
        Ok(())
    }

    fn change_mtu(&self, dev: &NetDevice, mtu: u32, rtnl: &mut Rtnl) -> Result {
        let slaves = self.slaves_snapshot(rtnl)?;
        for (i, s) in slaves.iter().enumerate() {
            if let Err(e) = s.dev().set_mtu(rtnl, mtu) {
                let cur = dev.mtu();
                for r in slaves.iter().take(i) {
                    let _ = r.dev().set_mtu(rtnl, cur);
                }
                return Err(e);
            }
        }
        dev.write_mtu(rtnl, mtu);
        Ok(())
    }

    fn set_rx_mode(&self, dev: &NetDevice, rcu: &RcuRead) {
        if self.uses_primary() {
            if let Some(s) = self.curr_active(rcu) {
                crate::net::netdev::addr_lists_sync_locked(s.dev(), dev);
            }
        } else {
            for s in self.slave_list(rcu) {
                crate::net::netdev::addr_lists_sync_locked(s.dev(), dev);
            }
        }
    }

    fn change_rx_flags(&self, dev: &NetDevice, change: u32, rtnl: &mut Rtnl) {
        let flags = dev.flags();
        let targets = if self.uses_primary() {
            let mut v = KVec::new();
            if let Some(a) = self.curr_active.get_arc(rtnl) {
                let _ = v.push(a, GFP_KERNEL);
            }
            v
        } else {
            self.slaves_snapshot(rtnl).unwrap_or_default()
        };
        for s in targets.iter() {
            if change & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                let inc = if flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                    1
                } else {
                    -1
                };
                let _ = s.dev().set_promiscuity(rtnl, inc);
            }
            if change & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                let inc = if flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                    1
                } else {
                    -1
                };
                let _ = s.dev().set_allmulti(rtnl, inc);
            }
        }
    }

    fn run_work(&self, dev: &NetDevice, id: usize) {
        match id {
            WORK_MII => self.mii_work(dev),
            WORK_ARP => self.arp_work(dev),
            _ => {}
        }
    }

    fn changelink(
        &self,
        dev: &NetDevice,
        data: &crate::net::nl::NlAttrs<'_>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        surfaces::changelink(self, dev, data, ext, rtnl)
    }

    fn info_size(&self, _dev: &NetDevice) -> usize {
        crate::options::netlink::fill_size_upper_bound()
    }

    fn fill_info(
        &self,
        dev: &NetDevice,
        msg: &mut crate::net::nl::NlMsg<'_>,
        rtnl: &Rtnl,
    ) -> Result {
        surfaces::fill_info(self, dev, msg, rtnl)
    }

    fn slave_info_size(&self, _dev: &NetDevice, _slave: &NetDevice) -> usize {
        crate::options::netlink::slave_fill_size_upper_bound()
    }

    fn fill_slave_info(
        &self,
        _dev: &NetDevice,
        slave: &NetDevice,
        msg: &mut crate::net::nl::NlMsg<'_>,
        rtnl: &Rtnl,
    ) -> Result {
        match self.find_slave(rtnl, slave) {
            Some(s) => surfaces::fill_slave_info(&s, msg),
            None => Ok(()),
        }
    }

    fn attr_show(&self, dev: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>) {
        surfaces::attr_show(self, dev, idx, buf);
    }

    fn attr_store(&self, dev: &NetDevice, idx: usize, input: &[u8]) -> Result {
        surfaces::attr_store(self, dev, idx, input)
    }

    fn slave_attr_show(slave: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>) {
        let rcu = crate::net::rcu::read_lock();
        if let Some(s) = rx::data_of_rcu::<Slave>(&rcu, slave) {
            surfaces::slave_attr_show(s, idx, buf);
        }
    }
}

impl Bond {
    fn core_retired(&self) -> Stats {
        let mut out = Stats::default();
        for (o, v) in out.0.iter_mut().zip(self.retired.iter()) {
            *o = v.load(Ordering::Relaxed);
        }
        out
    }
}

impl crate::net::proc::ProcShow for Bond {
    fn proc_show(&self, dev: &NetDevice, out: &mut crate::net::proc::SeqWriter<'_>) {
        surfaces::proc_show(self, dev, out);
    }
}

impl NetdevNotifier for Bond {
    fn block() -> &'static NotifierBlock<Self> {
        &BOND_NOTIFIER
    }

    fn event(event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl) {
        if let Some(bond) = link::master_of::<Bond>(dev) {
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
            // A bond can itself be a slave of another bond: go on.
        }
        let Some(slave) = rx::data_of::<Slave>(rtnl, dev).map(Arc::from) else {
            return;
        };
        let bond_dev = slave.bond_dev();
        let Some(bond) = link::master_of::<Bond>(bond_dev) else {
            return;
        };
        match event {
            NetdevEvent::Unregister => {
                let _ = bond.release(bond_dev, dev, false, rtnl);
            }
            NetdevEvent::Up | NetdevEvent::Change | NetdevEvent::Down => {
                bond.update_speed_duplex(&slave, rtnl, false);
                // rbond: act on carrier changes now instead of at the next
                // poll; updelay/downdelay still only advance on ticks.
                if bond.miimon() != 0 && bond_dev.is_up() {
                    bond.mii_pass(bond_dev, Trigger::Event, rtnl);
                }
                // rbond: under the ARP monitor a carrier loss takes the
                // slave down now rather than after missed probes.
                if bond_dev.is_up() {
                    bond.arp_carrier_lost(bond_dev, &slave, rtnl);
                }
                // Without a monitor (or with the ARP monitor) the link
                // state does not follow the carrier: the usable set must.
                bond.refresh_usable(None, rtnl);
            }
            NetdevEvent::ChangeName => {
                if !bond.uses_primary() {
                    return;
                }
                let Some(want) = bond.core.get(rtnl).primary_name else {
                    return;
                };
                let is_primary = bond
                    .primary
                    .get(rtnl)
                    .is_some_and(|p| core::ptr::eq(p, &*slave));
                let old_primary = bond.primary.get(rtnl).is_some();
                if is_primary {
                    drop(bond.primary.replace(rtnl, None));
                } else if dev.name().as_bytes() == want.as_bytes() {
                    drop(bond.primary.replace(rtnl, Some(slave.clone())));
                } else {
                    return;
                }
                bare_info!(
                    "{}: Primary slave changed to {}, reselecting active slave\n",
                    bond_dev.name(),
                    if old_primary {
                        dev.name()
                    } else {
                        IfName::from_bytes(b"none").unwrap_or(dev.name())
                    }
                );
                bond.select_active(bond_dev, rtnl);
            }
            NetdevEvent::FeatChange => bond_dev.compute_master_features(rtnl),
            NetdevEvent::ResendIgmp => bond_dev.notify(rtnl, NetdevEvent::ResendIgmp),
            _ => {}
        }
    }
}

impl MastersFile for Bond {
    fn pernet() -> &'static PernetTables<Self> {
        &BOND_PERNET
    }

    fn show(net: &Net, buf: &mut ShowBuf<'_>) {
        let mut w = ListWriter::new(buf.page());
        link::for_each_master::<Bond>(net, |dev, _| w.add(dev.name().as_bytes()));
        let len = w.finish();
        buf.set_len(len);
    }

    fn store(net: &Net, input: &[u8]) -> Result {
        let Some(cmd) = masters::parse(input) else {
            pr_err!("no command found in bonding_masters - use +ifname or -ifname\n");
            return Err(EPERM);
        };
        match cmd {
            MastersCmd::Add(n) => {
                let name = IfName::from_bytes(n).ok_or(EINVAL)?;
                pr_info!("{} is being created...\n", name);
                let mut rtnl = rtnl::lock();
                let r = link::create::<Bond>(&mut rtnl, net, Some(&name), c"bond%d");
                drop(rtnl);
                if let Err(e) = r {
                    if e == EEXIST {
                        pr_info!("{} already exists\n", name);
                    } else {
                        pr_info!("{} creation failed\n", name);
                    }
                    return Err(e);
                }
                Ok(())
            }
            MastersCmd::Remove(n) => {
                let name = IfName::from_bytes(n).ok_or(EINVAL)?;
                let mut rtnl = rtnl::lock();
                let r = link::delete_by_name::<Bond>(&mut rtnl, net, &name, || {
                    pr_info!("{} is being deleted...\n", name);
                });
                drop(rtnl);
                if r.is_err() {
                    pr_err!("unable to delete non-existent {}\n", name);
                }
                r
            }
        }
    }
}

/// Check the module parameters as C's `bond_check_params` does (same
/// messages, same corrections), and record the defaults for new bonds.
/// Returns how many bonds to create at load.
pub(crate) fn check_module_params() -> Result<i32> {
    let mode = match check_mode(params::mode()) {
        Ok(m) => m,
        Err(()) => {
            let raw = params::mode().unwrap_or(b"");
            bare_err!(
                "Error: Invalid bonding mode \"{}\"\n",
                core::str::from_utf8(raw).unwrap_or("?")
            );
            return Err(EINVAL);
        }
    };
    let xmit_policy = options::check_xmit_param(mode)?;
    let max_bonds = match check_max_bonds(params::max_bonds()) {
        Check::Ok(v) => v,
        Check::Reset(v) => {
            bare_warn!(
                "Warning: max_bonds ({}) not in range {}-{}, so it was reset to BOND_DEFAULT_MAX_BONDS ({})\n",
                params::max_bonds(),
                0,
                i32::MAX,
                v
            );
            params::set_max_bonds(v);
            v
        }
    };
    let tx_queues = options::check_more_params(mode, xmit_policy, &DEFAULTS)?;
    TX_QUEUES.store(tx_queues, Ordering::Relaxed);
    Ok(max_bonds)
}

/// Create `n` bonds named `bond%d` in the initial namespace (module load).
pub(crate) fn create_initial(n: i32) -> Result {
    let mut rtnl = rtnl::lock();
    for _ in 0..n {
        link::create::<Bond>(&mut rtnl, Net::init_net(), None, c"bond%d")?;
    }
    Ok(())
}

/// The sysfs registration of bond and slave files (module init).
pub(crate) fn sysfs() -> Result<link::SysfsRegistration<Bond>> {
    surfaces::sysfs_registration()
}
