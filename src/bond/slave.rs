// SPDX-License-Identifier: GPL-2.0

//! A slave: a lower device enslaved to a bond, its receive hook, and the
//! state the monitors, surfaces and transmit path read.

use crate::monitor::link::{LinkState, SlaveLink};
use crate::net::netdev::{MacAddr, NetDevRef, NetDevice, Stats};
use crate::net::netpoll::NetpollSlot;
use crate::net::rcu::RcuRead;
use crate::net::rtnl::RtnlCell;
use crate::net::rx::{RxHandler, RxPacket, RxVerdict};
use crate::net::skb::{SkBuff, TxStatus};
use crate::options::targets::MAX_TARGETS;
use core::sync::atomic::{
    AtomicBool, AtomicI32, AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering,
};
use kernel::prelude::*;
use kernel::sync::{new_spinlock, SpinLock};

/// One enslaved device. Shared (`Arc`) between the bond's lists, the
/// device's rx handler and RCU readers. Dropping it must be safe in softirq
/// context (it may happen in an RCU callback): it only drops device
/// references.
#[pin_data]
pub(crate) struct Slave {
    dev: NetDevRef,
    bond_dev: NetDevRef,
    /// Receive only exact-match frames (a backup slave).
    inactive: AtomicBool,
    /// C's `slave->backup`: shown as the slave's state.
    backup: AtomicBool,
    /// Published link state (`LinkState` as u8) for lock-free readers.
    link_pub: AtomicU8,
    link_failure_count: AtomicU32,
    speed: AtomicU32,
    duplex: AtomicU8,
    queue_id: AtomicU16,
    prio: AtomicI32,
    /// The slave's name in the balance-tlb/alb tables.
    alb_id: AtomicU16,
    /// Address the device had when enslaved, restored on release.
    pub(crate) perm_hwaddr: MacAddr,
    /// Length of the slave's address (`addr_len`; `perm_hwaddr` holds at
    /// most the first `ETH_ALEN` bytes).
    perm_len: u8,
    /// MTU the device had when enslaved, restored on release.
    pub(crate) original_mtu: u32,
    /// The device's counters at the bond's last read of them (C's
    /// `slave_stats`): the bond adds what moved since (`counters::fold`).
    #[pin]
    pub(crate) last_stats: SpinLock<Stats>,
    /// How many times `last_stats` was folded (written under its lock).
    pub(crate) stats_gen: AtomicU64,
    /// The MII link state machine (RTNL).
    pub(crate) link: RtnlCell<SlaveLink>,
    /// ARP/NS monitor: jiffies of the last validated (or, without
    /// validation, any) receive (C's `last_rx`; written by the receive path).
    pub(crate) last_rx: AtomicU64,
    /// Jiffies of the last probe sent on this slave (C's `last_tx`).
    pub(crate) last_tx: AtomicU64,
    /// Jiffies the link last came up or the slave last became active.
    pub(crate) last_link_up: AtomicU64,
    /// Per-target time of the last validated reply (C's
    /// `target_last_arp_rx`), slot for slot with the bond's targets.
    pub(crate) target_rx: [AtomicU64; MAX_TARGETS],
    /// A NETDEV_UP/CHANGE/DOWN of the device waits for the bond's deferred
    /// event work (set by the notifier, cleared by that work; RTNL).
    pub(crate) event_pending: AtomicBool,
    /// Other events of the device waiting for that work (`events::PENDING_*`).
    pub(crate) pending: AtomicU8,
    /// 802.3ad: PDUs in flight, counters, what the surfaces show.
    pub(crate) ad: super::lacp::SlaveAd,
    /// The slave's netpoll while the bond is used by netpoll (netconsole).
    pub(crate) netpoll: NetpollSlot,
}

impl Slave {
    /// A new slave of `bond_dev` for `dev` (for `Arc::pin_init`).
    pub(crate) fn new<'a>(
        dev: &'a NetDevice,
        bond_dev: &'a NetDevice,
        link: SlaveLink,
    ) -> impl PinInit<Self> + 'a {
        pin_init!(Slave {
            dev: NetDevRef::new(dev),
            bond_dev: NetDevRef::new(bond_dev),
            inactive: AtomicBool::new(false),
            backup: AtomicBool::new(false),
            link_pub: AtomicU8::new(link_code(link.state())),
            link_failure_count: AtomicU32::new(0),
            speed: AtomicU32::new(u32::MAX),
            duplex: AtomicU8::new(0xff),
            queue_id: AtomicU16::new(0),
            prio: AtomicI32::new(0),
            alb_id: AtomicU16::new(0),
            perm_hwaddr: dev.addr(),
            perm_len: dev.addr_len(),
            original_mtu: dev.mtu(),
            last_stats <- new_spinlock!(dev.stats(), "rbond slave stats"),
            stats_gen: AtomicU64::new(0),
            link: RtnlCell::new(link),
            last_rx: AtomicU64::new(0),
            last_tx: AtomicU64::new(0),
            last_link_up: AtomicU64::new(0),
            target_rx: [const { AtomicU64::new(0) }; MAX_TARGETS],
            event_pending: AtomicBool::new(false),
            pending: AtomicU8::new(0),
            ad: super::lacp::SlaveAd::new(),
            netpoll: NetpollSlot::new(),
        })
    }

    /// The slave's device.
    pub(crate) fn dev(&self) -> &NetDevice {
        &self.dev
    }

    /// The bond this slave belongs to.
    pub(crate) fn bond_dev(&self) -> &NetDevice {
        &self.bond_dev
    }

    /// Whether this is a backup (not the active) slave.
    pub(crate) fn is_backup(&self) -> bool {
        self.backup.load(Ordering::Relaxed)
    }

    /// Mark active (`backup` false) or backup, and set the receive filter:
    /// a backup only gets exact matches unless `all_slaves_active`.
    /// Returns whether the active/backup state changed.
    pub(crate) fn set_backup(&self, backup: bool, all_slaves_active: bool) -> bool {
        self.inactive
            .store(backup && !all_slaves_active, Ordering::Relaxed);
        self.backup.swap(backup, Ordering::Relaxed) != backup
    }

    /// 802.3ad: distributing (`tx`: not backup) and collecting (`rx`:
    /// not inactive, or every slave receives). Returns whether the
    /// active/backup state changed.
    pub(crate) fn set_lacp_flags(&self, tx: bool, rx: bool, all_slaves_active: bool) -> bool {
        self.inactive
            .store(!rx && !all_slaves_active, Ordering::Relaxed);
        self.backup.swap(!tx, Ordering::Relaxed) == tx
    }

    /// Set only the active/backup state, leaving the receive filter (C's
    /// `bond_set_active_slave` / `bond_set_backup_slave`). Returns whether
    /// it changed.
    pub(crate) fn set_backup_state(&self, backup: bool) -> bool {
        self.backup.swap(backup, Ordering::Relaxed) != backup
    }

    /// Set only the receive filter (balance-tlb/alb's inactive slaves).
    pub(crate) fn set_inactive(&self, inactive: bool) {
        self.inactive.store(inactive, Ordering::Relaxed);
    }

    /// The slave's name in the balance-tlb/alb tables.
    pub(crate) fn alb_id(&self) -> u16 {
        self.alb_id.load(Ordering::Relaxed)
    }

    /// Give the slave its name in the balance-tlb/alb tables (enslave).
    pub(crate) fn set_alb_id(&self, id: u16) {
        self.alb_id.store(id, Ordering::Relaxed);
    }

    /// Re-apply the receive filter for a new `all_slaves_active` value.
    pub(crate) fn set_all_slaves_active(&self, all: bool) {
        if self.is_backup() {
            self.inactive.store(!all, Ordering::Relaxed);
        }
    }

    /// Published link state.
    pub(crate) fn link_state(&self) -> LinkState {
        match self.link_pub.load(Ordering::Relaxed) {
            0 => LinkState::Up,
            1 => LinkState::Fail,
            2 => LinkState::Down,
            _ => LinkState::Back,
        }
    }

    /// Publish a link state.
    pub(crate) fn publish_link(&self, s: LinkState) {
        self.link_pub.store(link_code(s), Ordering::Relaxed);
    }

    /// Force the link state to `st` outside the monitor's own transitions
    /// (C writes `slave->link` directly there), and publish it.
    pub(crate) fn force_link(&self, st: LinkState, rtnl: &mut crate::net::rtnl::Rtnl) {
        self.link.get_mut(rtnl).set_state(st);
        self.publish_link(st);
    }

    /// C's `BOND_LINK_*` number of the published state.
    pub(crate) fn link_code(&self) -> u8 {
        self.link_pub.load(Ordering::Relaxed)
    }

    /// Count one link failure (saturating).
    pub(crate) fn count_failure(&self) {
        let n = self.link_failure_count.load(Ordering::Relaxed);
        self.link_failure_count
            .store(n.saturating_add(1), Ordering::Relaxed);
    }

    /// Link failures so far.
    pub(crate) fn link_failures(&self) -> u32 {
        self.link_failure_count.load(Ordering::Relaxed)
    }

    /// Record speed (Mbit/s, `u32::MAX` unknown) and duplex.
    pub(crate) fn set_speed_duplex(&self, speed: u32, duplex: u8) {
        self.speed.store(speed, Ordering::Relaxed);
        self.duplex.store(duplex, Ordering::Relaxed);
    }

    /// Speed in Mbit/s (`u32::MAX` when unknown).
    pub(crate) fn speed(&self) -> u32 {
        self.speed.load(Ordering::Relaxed)
    }

    /// Duplex (`0` half, `1` full, `0xff` unknown).
    pub(crate) fn duplex(&self) -> u8 {
        self.duplex.load(Ordering::Relaxed)
    }

    /// Transmit queue id.
    pub(crate) fn queue_id(&self) -> u16 {
        self.queue_id.load(Ordering::Relaxed)
    }

    /// The permanent address as the surfaces show it: the device's
    /// address length (C prints `addr_len` bytes), at most `ETH_ALEN`.
    pub(crate) fn perm_addr(&self) -> &[u8] {
        let n = usize::from(self.perm_len).min(self.perm_hwaddr.len());
        &self.perm_hwaddr[..n]
    }

    /// Set the transmit queue id (RTNL; read locklessly on transmit).
    pub(crate) fn set_queue_id(&self, id: u16) {
        self.queue_id.store(id, Ordering::Relaxed);
    }

    /// Selection priority.
    pub(crate) fn prio(&self) -> i32 {
        self.prio.load(Ordering::Relaxed)
    }

    /// Set the selection priority (RTNL; the caller reselects).
    pub(crate) fn set_prio(&self, prio: i32) {
        self.prio.store(prio, Ordering::Relaxed);
    }

    /// Up as C's `bond_slave_is_up`: running with carrier.
    pub(crate) fn is_up(&self) -> bool {
        self.dev.running_with_carrier()
    }

    /// Send a packet the bond transmits on this slave (RCU; under netpoll,
    /// through the slave's netpoll).
    #[inline]
    pub(crate) fn xmit(&self, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        skb.xmit_on(&self.dev, &self.netpoll, rcu)
    }

    /// C's `bond_slave_can_tx`: up, link up and an active slave.
    pub(crate) fn can_tx(&self) -> bool {
        self.is_up() && self.link_state() == LinkState::Up && !self.is_backup()
    }
}

const PACKET_HOST: u8 = 0;
const PACKET_BROADCAST: u8 = 1;
const PACKET_MULTICAST: u8 = 2;

/// C's `BOND_LINK_*` number of a state.
pub(crate) fn link_code(s: LinkState) -> u8 {
    match s {
        LinkState::Up => 0,
        LinkState::Fail => 1,
        LinkState::Down => 2,
        LinkState::Back => 3,
    }
}

impl RxHandler for Slave {
    fn receive(&self, pkt: &mut RxPacket<'_>) -> RxVerdict {
        let mut alb = false;
        if let Some(bond) = crate::net::link::master_of::<super::Bond>(&self.bond_dev) {
            if let Some(v) = bond.lacp_receive(self, pkt) {
                return v;
            }
            bond.recv_probe(self, pkt);
            bond.alb_receive(pkt);
            alb = bond.mode() == crate::options::Mode::Alb;
        }
        // balance-alb: an inactive slave still delivers unicast (its own
        // clients send to its MAC).
        let exact_only = self.inactive.load(Ordering::Relaxed)
            && (!alb || matches!(pkt.pkt_type(), PACKET_BROADCAST | PACKET_MULTICAST));
        if exact_only {
            // Backup slaves only deliver to listeners bound to them; link
            // local frames (LLDP, ...) still pass normally.
            return if pkt.dest_is_link_local() {
                RxVerdict::Pass
            } else {
                RxVerdict::Exact
            };
        }
        pkt.set_dev(&self.bond_dev);
        // balance-alb on a bridge: frames for this slave's MAC are for the
        // bond's (the bridge knows only that one).
        if alb && pkt.pkt_type() == PACKET_HOST && self.bond_dev.is_bridge_port() {
            let mac = self.bond_dev.addr();
            if !pkt.set_dest_mac(&mac) {
                return RxVerdict::Consumed;
            }
        }
        RxVerdict::Another
    }
}
