// SPDX-License-Identifier: GPL-2.0

//! Adaptive load balancing as the 7.2 C driver runs it: the transmit
//! client table of balance-tlb and balance-alb ([`tlb`]) and the receive
//! client table of balance-alb ([`rlb`]). Kernel-independent (only
//! `core`): the host runs its tests with `cargo test`; the kernel glue
//! (packet parsing, slaves, MAC changes, the monitor work) lives above.
//!
//! # Slaves
//!
//! The glue keeps one [`Slave`] per enslaved device beside its slave list,
//! in the same (enslave) order, and refreshes `speed`, `can_tx` and `mac`
//! when they change. Order matters as in C: ties go to the first slave.
//! Tables name a slave by its [`SlaveId`], never by position, so removing
//! a slave from the middle of the slice does not renumber anything. The
//! per-slave transmit state of C's `tlb_slave_info` travels inside the
//! [`Slave`] ([`tlb::TlbSlave`]).
//!
//! # Memory
//!
//! [`rlb::Rlb`] is about 10 KB and [`tlb::Tlb`] about 4 KB: the glue builds
//! them in place on the heap (never as a value on a kernel stack), and
//! their resets work in place.
//!
//! # The monitor (C's `bond_alb_monitor`, every 100 ms)
//!
//! The monitor does not run at all for balance-tlb with `tlb_dynamic_lb`
//! off (C does not start its work then): no learning packets, no
//! rebalance. At close the glue calls [`tlb::Tlb::deinitialize`] and
//! [`rlb::Rlb::deinitialize`] (C frees the tables then).
//!
//! 1. [`tlb::Tlb::tick`]; when it says `idle` (the bond has no slaves)
//!    nothing else runs this tick.
//! 2. balance-alb only: [`rlb::Rlb::promisc_tick`]; when it asks, take RTNL
//!    with a try-lock; if that fails stop here for this tick; else call
//!    [`rlb::Rlb::promisc_expired`] and drop the promiscuity it names.
//! 3. balance-alb only: [`rlb::Rlb::tick`] and send the ARP updates it
//!    returns ([`rlb::RLB_ARP_BURST_SIZE`] replies per client).
//!
//! # C behaviour kept as is (quirks, possibly bugs)
//!
//! * `compute_gap` shifts the speed left by 20 and the load left by 3 in
//!   32-bit unsigned arithmetic before widening: a speed of 4096 Mbit/s or
//!   more wraps (25 Gbit/s counts less than 1 Gbit/s), a load of 2^29
//!   bytes/s or more wraps, and an unknown speed (`u32::MAX`) counts as the
//!   fastest. [`tlb::compute_gap`] does the same.
//! * `__rlb_next_rx_slave` compares speeds as unsigned too, so an unknown
//!   speed is the fastest; and when the last receive slave can no longer
//!   transmit it is never "found", so the choice restarts from the fastest
//!   slave of the whole list.
//! * `rlb_rebalance` marks a client for update when its MAC is non-zero
//!   (not when it is a valid unicast MAC, as everywhere else): a client
//!   known only by a broadcast MAC is marked, yet no update is sent to it.
//! * `rlb_choose_channel`, re-sending to a known client, copies the ARP's
//!   target MAC over the learned client MAC unless it is broadcast: an ARP
//!   request with a zero target MAC forgets the client's MAC until its next
//!   reply is seen.
//! * The VLAN of a client is the whole tag control word (priority bits
//!   included), while `rlb_clear_vlan` compares it with a bare VLAN id: a
//!   client tagged with a non-zero priority outlives the removal of its
//!   VLAN.
//! * `BOND_ALB_LP_TICKS` is `lp_interval * 10` in C `int`: above
//!   214748364 s it wraps negative and learning packets go out every tick.
//! * An ARP request the bond sends leaves on the slave
//!   `rlb_choose_channel` picked (C's comment says "on the
//!   curr_active_slave"); only its Ethernet source is rewritten, not the
//!   ARP sender address.
//! * `tlb_initialize` and `rlb_initialize` (bond open) reset the tables
//!   only; the counters and flags of `alb_bond_info` keep their values
//!   across a close and open. [`tlb::Tlb::initialize`] and
//!   [`rlb::Rlb::initialize`] do the same.

#![forbid(unsafe_code)]

pub mod rlb;
pub mod tlb;

/// Monitor ticks per second (C's `ALB_TIMER_TICKS_PER_SEC`).
pub const ALB_TIMER_TICKS_PER_SEC: u32 = 10;

/// Length of an Ethernet address.
pub const ETH_ALEN: usize = 6;

/// IPv6 all-nodes multicast MAC, never balanced in balance-alb (C's
/// `mac_v6_allmcast`).
pub const MAC_V6_ALLMCAST: [u8; ETH_ALEN] = [0x33, 0x33, 0x00, 0x00, 0x00, 0x01];

/// A slave as the tables name it: a small number the glue gives each
/// enslaved device, stable for as long as it is enslaved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlaveId(pub u16);

/// What the tables need to know of one slave, kept by the glue beside its
/// slave list in the same order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slave {
    /// The slave's name in the tables.
    pub id: SlaveId,
    /// Link speed in Mbit/s (`u32::MAX`: unknown, C's `SPEED_UNKNOWN`).
    pub speed: u32,
    /// C's `bond_slave_can_tx`: device up, link up, active.
    pub can_tx: bool,
    /// The slave's current MAC address (`dev_addr`).
    pub mac: [u8; ETH_ALEN],
    /// The slave's transmit-balancing state (C's `tlb_slave_info`).
    pub tlb: tlb::TlbSlave,
}

impl Slave {
    /// A slave with no transmit clients yet.
    pub const fn new(id: SlaveId, speed: u32, can_tx: bool, mac: [u8; ETH_ALEN]) -> Self {
        Slave {
            id,
            speed,
            can_tx,
            mac,
            tlb: tlb::TlbSlave::new(),
        }
    }
}

/// The position of slave `id` in `slaves` (the first one, should the glue
/// have given two slaves the same id).
pub fn position(slaves: &[Slave], id: SlaveId) -> Option<usize> {
    slaves.iter().position(|s| s.id == id)
}

/// Whether some slave currently has MAC `mac` (C's `bond_slave_has_mac`).
pub fn has_mac(slaves: &[Slave], mac: &[u8; ETH_ALEN]) -> bool {
    slaves.iter().any(|s| s.mac == *mac)
}

/// C's `_simple_hash`: the XOR of all bytes.
pub fn simple_hash(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |h, b| h ^ b)
}

/// The transmit-table index of an IPv4 packet in balance-alb with
/// `tlb_dynamic_lb` on: the hash of its destination address (network
/// order). With it off, balance-alb places balanced packets as
/// balance-tlb does ([`nondyn_position`]).
pub fn ipv4_index(daddr: [u8; 4]) -> u8 {
    simple_hash(&daddr)
}

/// The transmit-table index of an IPv6 packet in balance-alb with
/// `tlb_dynamic_lb` on: the hash of its destination address.
pub fn ipv6_index(daddr: &[u8; 16]) -> u8 {
    simple_hash(daddr)
}

/// The transmit-table index of an IPv4 or IPv6 packet in balance-tlb with
/// `tlb_dynamic_lb` set: the low byte of `bond_xmit_hash` (the
/// `xmit_hash_policy` hash of the packet).
pub fn tlb_index(xmit_hash: u32) -> u8 {
    (xmit_hash & 0xff) as u8
}

/// The slave of a balanced packet when `tlb_dynamic_lb` is off: the
/// position `xmit_hash % count` in the array of usable slaves (`None` when
/// there are none).
pub fn nondyn_position(xmit_hash: u32, count: u32) -> Option<usize> {
    xmit_hash.checked_rem(count).map(|i| i as usize)
}

/// A multicast (or broadcast) MAC: the group bit of the first byte.
pub fn is_multicast(mac: &[u8; ETH_ALEN]) -> bool {
    mac[0] & 1 != 0
}

/// The broadcast MAC `ff:ff:ff:ff:ff:ff`.
pub fn is_broadcast(mac: &[u8; ETH_ALEN]) -> bool {
    mac.iter().all(|&b| b == 0xff)
}

/// The all-zero MAC.
pub fn is_zero(mac: &[u8; ETH_ALEN]) -> bool {
    mac.iter().all(|&b| b == 0)
}

/// C's `is_valid_ether_addr`: neither multicast nor zero.
pub fn is_valid_ether_addr(mac: &[u8; ETH_ALEN]) -> bool {
    !is_multicast(mac) && !is_zero(mac)
}
