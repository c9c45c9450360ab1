// SPDX-License-Identifier: GPL-2.0

//! The bond: a master device aggregating slaves.
//!
//! Locking: configuration (enslave/release, options, failover) runs under
//! RTNL; what the transmit/receive paths and the lock-free readers (sysfs
//! show, procfs) need is published through RCU ([`RcuArc`]) or atomics.

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

mod alb;
mod arp;
mod device;
mod enslave;
mod events;
mod failover;
mod lacp;
mod options;
mod slave;
mod surfaces;
mod xdp;

pub(crate) use slave::Slave;

use crate::modes::{engine, TransmitEngine};
use crate::monitor::link::{Delays, Event, LinkState, SlaveLink, Trigger};
use crate::monitor::select::{self, Candidate, Reselect};
use crate::net::link::{self, MasterOps, Vtables};
use crate::net::log::{bare_err, bare_info, bare_warn};
use crate::net::netdev::{IfName, MacAddr, Net, NetDevice, NetdevEvent, Stats, STATS_LEN};
use crate::net::nl::Extack;
use crate::net::notifier::{declare_notifier, NetdevNotifier, NotifierBlock, NotifierCtx};
use crate::net::percpu::PerCpuCounter;
use crate::net::pernet::{MastersFile, PernetTables};
use crate::net::proc::ProcEntry;
use crate::net::rcu::{RcuArc, RcuRead};
use crate::net::rtnl::{self, Process, Rtnl, RtnlCell};
use crate::net::skb::{SkBuff, TxStatus};
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
const ARPHRD_INFINIBAND: u16 = 32;

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

impl SlaveList {
    /// A new list of the slaves of `all` that `keep` accepts. Fails only
    /// when memory cannot be had (or the `fail_rbond_slave_list` fault
    /// point says so).
    fn build(all: &[Arc<Slave>], keep: impl Fn(&Arc<Slave>) -> bool) -> Result<Arc<Self>> {
        if crate::net::fault::slave_list_fails() {
            return Err(ENOMEM);
        }
        let mut v = KVec::new();
        for s in all.iter().filter(|s| keep(s)) {
            v.push(s.clone(), GFP_KERNEL)?;
        }
        Ok(Arc::new(SlaveList { v }, GFP_KERNEL)?)
    }

    /// Take `gone` out of the list published in `slot` without allocating
    /// (when [`SlaveList::build`] failed): the list is unpublished, a grace
    /// period passes (no reader sees it any more, so the slot's reference
    /// is the only one: lists are never shared elsewhere), and the same
    /// list, shrunk in place, is published again. Readers see no slaves for
    /// that grace period. Sleeps.
    fn remove_in_place(slot: &RcuArc<SlaveList>, gone: &Slave, rtnl: &mut Rtnl) {
        let listed = slot
            .get(rtnl)
            .is_some_and(|l| l.v.iter().any(|s| core::ptr::eq(&**s, gone)));
        if !listed {
            return;
        }
        let Some(unique) = slot.take_sync(rtnl).and_then(Arc::into_unique_or_drop) else {
            // Not the only reference (cannot happen, see above): the list
            // stays unpublished, which is still safe.
            return;
        };
        let mut list = core::pin::Pin::into_inner(unique);
        list.v.retain(|s| !core::ptr::eq(&**s, gone));
        slot.replace(rtnl, Some(list.into()));
    }
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
    /// 802.3ad: the LACP system and one member per slave (same order).
    ad: lacp::AdCore,
    /// The XDP program attached to the bond (C's `xdp_prog`).
    xdp: crate::net::xdp::MasterProg,
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
    /// The bond's counters (C's `bond_stats`): what its slaves' counters
    /// moved while they were enslaved, folded in at each read
    /// (`device::fold_slave`).
    totals: [AtomicU64; STATS_LEN],
    /// 802.3ad runs (the bond is up in mode 4): the receive path hands
    /// LACPDUs to the machines.
    ad_on: AtomicBool,
    /// The bond's 802.3ad counters.
    ad_stats: lacp::AdStats,
    /// The active aggregator as published for the surfaces.
    ad_pub: [AtomicU64; 2],
    /// The 802.3ad system id as the machines hold it (priority << 48 |
    /// MAC), for /proc (C's `BOND_AD_INFO(bond).system`).
    ad_sys_pub: AtomicU64,
    /// jiffies when the 802.3ad event work last ran (its rate limit).
    ad_event_last: AtomicU64,
    /// balance-tlb / balance-alb: the tables and their flags.
    alb: alb::AlbState,
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

    /// The active slave as the surfaces show it (sysfs `active_slave`,
    /// `IFLA_BOND_ACTIVE_SLAVE`): only in the modes that choose one (C's
    /// `bond_option_active_slave_get_rcu`; the others keep a current slave
    /// for their own use, e.g. balance-rr's IGMP).
    pub(crate) fn shown_active<'a>(&'a self, rcu: &'a RcuRead) -> Option<&'a Slave> {
        if !self.uses_primary() {
            return None;
        }
        self.curr_active(rcu)
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
        if self.is_lb() {
            self.alb_sync(rtnl);
        }
        if !self.engine().uses_slave_array() {
            if !self.usable.is_empty() {
                self.usable.replace(rtnl, None);
            }
            return;
        }
        let keep = |s: &Arc<Slave>| {
            s.can_tx() && self.ad_usable(s) && !skip.is_some_and(|k| core::ptr::eq(&**s, k))
        };
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
        match SlaveList::build(&self.core.get(rtnl).slaves, keep) {
            Ok(l) => self.usable.replace(rtnl, Some(l)),
            // C keeps the old array but takes a released slave out.
            Err(_) => {
                if let Some(gone) = skip {
                    SlaveList::remove_in_place(&self.usable, gone, rtnl);
                }
            }
        }
    }

    /// Publish the slave list for RCU readers (enslave: may fail, and then
    /// the enslave fails).
    fn publish_slaves(&self, rtnl: &mut Rtnl) -> Result {
        let list = SlaveList::build(&self.core.get(rtnl).slaves, |_| true)?;
        self.slaves.replace(rtnl, Some(list));
        Ok(())
    }

    /// Publish the slave list without `gone`, which was taken out of the
    /// core list (release). Never fails, so that a released slave can never
    /// stay where transmit finds it (see [`SlaveList::remove_in_place`]).
    fn unpublish_slave(&self, gone: &Slave, rtnl: &mut Rtnl) {
        match SlaveList::build(&self.core.get(rtnl).slaves, |_| true) {
            Ok(l) => self.slaves.replace(rtnl, Some(l)),
            Err(_) => SlaveList::remove_in_place(&self.slaves, gone, rtnl),
        }
    }

    pub(super) fn find_slave(&self, rtnl: &Rtnl, dev: &NetDevice) -> Option<Arc<Slave>> {
        self.core
            .get(rtnl)
            .slaves
            .iter()
            .find(|s| core::ptr::eq(s.dev().as_raw(), dev.as_raw()))
            .cloned()
    }

    /// The slave at position `i` of the bond's list, if any: a reference,
    /// no allocation. For walks (`while let Some(s) = self.slave_at(i, ..)`)
    /// that call `&mut Rtnl` code between steps but neither add nor remove
    /// slaves.
    fn slave_at(&self, i: usize, rtnl: &Rtnl) -> Option<Arc<Slave>> {
        self.core.get(rtnl).slaves.get(i).cloned()
    }

    fn slaves_snapshot(&self, rtnl: &Rtnl) -> Result<KVec<Arc<Slave>>> {
        let mut v = KVec::new();
        for s in self.core.get(rtnl).slaves.iter() {
            v.push(s.clone(), GFP_KERNEL)?;
        }
        Ok(v)
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
    const DRIVER: &'static core::ffi::CStr = c"bonding";
    // C's BOND_ABI_VERSION.
    const FW_VERSION: &'static core::ffi::CStr = c"2";
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
                ad: lacp::AdCore::new(),
                xdp: crate::net::xdp::MasterProg::new(),
            }),
            totals: [const { AtomicU64::new(0) }; STATS_LEN],
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
            ad_on: AtomicBool::new(false),
            ad_stats: lacp::AdStats::new(),
            ad_pub: [const { AtomicU64::new(0) }; 2],
            ad_sys_pub: AtomicU64::new(0),
            ad_event_last: AtomicU64::new(0),
            alb: alb::AlbState::new(),
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
        let uses_primary = self.uses_primary();
        if let Ok(slaves) = self.slaves_snapshot(rtnl) {
            for s in slaves.iter() {
                let cur = self
                    .curr_active
                    .get(rtnl)
                    .is_some_and(|a| core::ptr::eq(a, &**s));
                if uses_primary && !cur {
                    self.set_slave_inactive_flags(s, rtnl);
                } else if self.mode() != Mode::Lacp {
                    self.set_slave_backup(s, false, rtnl);
                }
            }
        }
        // Before any work is queued: it may fail (no memory for the tables).
        self.alb_open(dev, rtnl)?;
        if self.miimon() != 0 {
            link::queue_work::<Bond>(dev, WORK_MII, 0);
        }
        if self.val(OptId::ArpInterval) != 0 {
            link::queue_work::<Bond>(dev, WORK_ARP, 0);
            self.recv_probe.store(true, Ordering::Relaxed);
        }
        self.ad_open(dev, rtnl);
        self.refresh_usable(None, rtnl);
        Ok(())
    }

    fn stop(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result {
        link::cancel_work_sync::<Bond>(dev, WORK_MII);
        link::cancel_work_sync::<Bond>(dev, WORK_ARP);
        self.ad_stop(dev, rtnl);
        self.alb_stop(dev, rtnl);
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

    fn link_speed(&self, _dev: &NetDevice, rtnl: &mut Rtnl) -> crate::net::netdev::SpeedDuplex {
        Bond::link_speed(self, rtnl)
    }

    fn timestamping_lower<'a>(
        &'a self,
        _dev: &NetDevice,
        rcu: &'a RcuRead,
    ) -> Option<&'a NetDevice> {
        Bond::timestamping_lower(self, rcu)
    }

    fn fix_features(&self, _dev: &NetDevice, features: u64, rtnl: &Rtnl) -> u64 {
        Bond::fix_features(self, features, rtnl)
    }

    fn vlan_rx_add_vid(&self, _dev: &NetDevice, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        self.vlan_add(proto, vid, rtnl)
    }

    fn vlan_rx_kill_vid(&self, _dev: &NetDevice, proto: u16, vid: u16, rtnl: &mut Rtnl) -> Result {
        self.vlan_kill(proto, vid, rtnl)
    }

    fn start_xmit(&self, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        let engine = self.engine();
        if engine.overrides_queue() {
            let q = skb.queue_mapping();
            if q != 0 {
                // The first slave with that queue id takes the packet if it
                // can; if it is down, the mode decides, as C.
                if let Some(s) = self.slave_list(rcu).iter().find(|s| s.queue_id() == q) {
                    if s.is_up() && s.link_state() == LinkState::Up {
                        // C reports the packet sent whatever the slave did.
                        let _ = s.xmit(skb, rcu);
                        return TxStatus::OK;
                    }
                }
            }
        }
        engine.xmit(self, dev, skb, rcu)
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
        self.release(dev, slave, false, false, rtnl)
    }

    fn get_stats(&self, _dev: &NetDevice, rcu: &RcuRead) -> Stats {
        for s in self.slave_list(rcu) {
            self.fold_slave(s);
        }
        self.totals()
    }

    fn set_mac_address(&self, dev: &NetDevice, addr: &MacAddr, rtnl: &mut Rtnl) -> Result {
        if self.mode() == Mode::Alb {
            return self.alb_set_mac_address(dev, addr, rtnl);
        }
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
                crate::net::netdev::addr_lists_sync_locked(s.dev(), dev, false);
            }
        } else {
            for s in self.slave_list(rcu) {
                crate::net::netdev::addr_lists_sync_locked(s.dev(), dev, true);
            }
        }
    }

    /// C's `bond_ipsec_add_sa`: the active slave, in any mode.
    fn ipsec_lower<'a>(&'a self, rcu: &'a RcuRead) -> Option<&'a NetDevice> {
        self.curr_active(rcu).map(|s| s.dev())
    }

    fn xdp_setup(
        &self,
        dev: &NetDevice,
        prog: Option<&crate::net::xdp::XdpProg>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        Bond::xdp_setup(self, dev, prog, ext, rtnl)
    }

    fn xdp_lower<'a>(
        &'a self,
        dev: &NetDevice,
        frame: &[u8],
        rcu: &'a RcuRead,
    ) -> Option<&'a NetDevice> {
        Bond::xdp_lower(self, dev, frame, rcu)
    }

    /// C's `bond_ipsec_dev`: only active-backup sends through the offload.
    fn ipsec_offloads(&self) -> bool {
        self.mode() == Mode::ActiveBackup
    }

    /// C's `bond_header_create`/`bond_header_parse`: the active slave's.
    fn header_lower<'a>(&'a self, _dev: &NetDevice, rcu: &'a RcuRead) -> Option<&'a NetDevice> {
        self.curr_active(rcu).map(|s| s.dev())
    }

    /// C's `bond_netpoll_setup`: a netpoll on every slave; if one cannot
    /// have it (`IFF_DISABLE_NETPOLL`), none keeps one and the error stands.
    fn netpoll_setup(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result {
        let mut i = 0;
        while let Some(s) = self.core.get(rtnl).slaves.get(i).cloned() {
            if let Err(e) = s.netpoll.enable(s.dev(), rtnl) {
                self.netpoll_cleanup(dev, rtnl);
                return Err(e);
            }
            i += 1;
        }
        Ok(())
    }

    /// C's `bond_netpoll_cleanup`, for every slave (C frees only the up
    /// slaves' netpoll here and the others' at release; a down slave then
    /// keeps one the bond no longer uses).
    fn netpoll_cleanup(&self, _dev: &NetDevice, rtnl: &mut Rtnl) {
        let mut i = 0;
        while let Some(s) = self.core.get(rtnl).slaves.get(i).cloned() {
            s.netpoll.disable(rtnl);
            i += 1;
        }
    }

    /// C's `bond_poll_controller`: poll the slaves that are up. In 802.3ad
    /// C polls only the members of the active aggregator; rbond polls every
    /// up slave (polling one more lower device is harmless).
    fn poll_controller(&self, _dev: &NetDevice, rcu: &RcuRead) {
        for s in self.slave_list(rcu) {
            if s.is_up() {
                crate::net::netpoll::poll_dev(s.dev(), rcu);
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

    fn run_kicked(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        self.run_events(dev, rtnl);
    }

    fn run_work(&self, dev: &NetDevice, id: usize, p: &mut Process) {
        match id {
            WORK_MII => self.mii_work(dev, p),
            WORK_ARP => self.arp_work(dev, p),
            lacp::WORK_AD => self.ad_work(dev, p),
            lacp::WORK_AD_EVENT => self.ad_event_work(dev, p),
            alb::WORK_ALB => self.alb_work(dev, p),
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

    fn slave_changelink(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        data: &crate::net::nl::NlAttrs<'_>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        surfaces::slave_changelink(self, dev, slave, data, ext, rtnl)
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

    fn xstats_size() -> usize {
        lacp::XSTATS_SIZE
    }

    fn fill_xstats(
        dev: &NetDevice,
        lower: bool,
        msg: &mut crate::net::nl::NlMsg<'_>,
        rtnl: &Rtnl,
    ) -> Result {
        lacp::fill_xstats(dev, lower, msg, rtnl)
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

    fn attr_show(&self, dev: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>, rcu: &RcuRead) {
        surfaces::attr_show(self, dev, idx, buf, rcu);
    }

    fn attr_store(&self, dev: &NetDevice, idx: usize, input: &[u8], p: &mut Process) -> Result {
        surfaces::attr_store(self, dev, idx, input, p)
    }

    fn slave_attr_show(slave: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>, rcu: &RcuRead) {
        if let Some(s) = rx::data_of_rcu::<Slave>(rcu, slave) {
            surfaces::slave_attr_show(s, idx, buf);
        }
    }
}

impl crate::net::proc::ProcShow for Bond {
    fn proc_show(&self, dev: &NetDevice, out: &mut crate::net::proc::SeqWriter<'_>, rcu: &RcuRead) {
        surfaces::proc_show(self, dev, out, rcu);
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

    fn store(net: &Net, input: &[u8], p: &mut Process) -> Result {
        let Some(cmd) = masters::parse(input) else {
            pr_err!("no command found in bonding_masters - use +ifname or -ifname\n");
            return Err(EPERM);
        };
        match cmd {
            MastersCmd::Add(n) => {
                let name = IfName::from_bytes(n).ok_or(EINVAL)?;
                pr_info!("{} is being created...\n", name);
                let mut rtnl = rtnl::lock(p);
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
                let mut rtnl = rtnl::lock(p);
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
    let lacp = options::check_lacp_params(mode)?;
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
    let tx_queues = options::check_more_params(mode, xmit_policy, lacp, &DEFAULTS)?;
    TX_QUEUES.store(tx_queues, Ordering::Relaxed);
    Ok(max_bonds)
}

/// The sysfs registration of bond and slave files (module init).
pub(crate) fn sysfs() -> Result<link::SysfsRegistration<Bond>> {
    surfaces::sysfs_registration()
}
