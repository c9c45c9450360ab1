// SPDX-License-Identifier: GPL-2.0

//! Transmit engines: one per bonding mode, behind [`TransmitEngine`].
//!
//! The bond core owns slaves, link monitoring and configuration; an engine
//! decides which slave(s) carry a packet and is told about slave and link
//! changes. Engines are stateless singletons: per-bond state they need lives
//! in the bond (atomics, per-CPU counters, RCU-published lists), reached
//! through [`crate::bond::Bond`]'s read accessors.

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

use crate::bond::{Bond, Slave};
use crate::hash::{self, Meta};
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};
use crate::options::Mode;

mod active_backup;
pub(crate) mod alb;
mod broadcast;
pub(crate) mod lacp;
mod round_robin;
mod xor;

/// What a bonding mode does on the transmit path.
pub(crate) trait TransmitEngine: Sync {
    /// Send `skb` (consume it) on the slave(s) this mode picks, and say what
    /// became of it (C's return values: the slave's verdict, or
    /// `NET_XMIT_DROP`). Runs under RCU with bottom halves off, on several
    /// CPUs at once: no sleeping, no allocation.
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus;

    /// Whether the mode has one active slave chosen by the bond core
    /// (C's `bond_uses_primary`): then `primary`, `active_slave` and
    /// failover apply.
    fn uses_primary(&self) -> bool {
        false
    }

    /// Whether the mode transmits through the array of usable slaves that
    /// the bond core keeps up to date on every link change (C's
    /// `bond_mode_can_use_xmit_hash`).
    fn uses_slave_array(&self) -> bool {
        false
    }

    /// Whether a packet whose queue mapping equals a slave's `queue_id`
    /// leaves on that slave when it is up, before the mode's own choice
    /// (C's `bond_should_override_tx_queue`: round-robin and active-backup).
    fn overrides_queue(&self) -> bool {
        false
    }

    /// How the stack should see the transmit policy of the lower devices.
    fn lag_tx_type(&self) -> LagTxType;

    /// A slave was enslaved (RTNL): whether it starts as an active slave
    /// (transmits and receives normally) rather than a backup.
    fn starts_active(&self) -> bool {
        !self.uses_primary()
    }

    /// A slave's link went up or down (RTNL): `Some(active)` to make it an
    /// active or backup slave now, `None` to leave its state. Modes without
    /// a primary make a slave active when its link comes up and leave it
    /// active when the link goes down (the link state alone keeps it from
    /// transmitting), as C does.
    fn link_changed(&self, _slave: &Slave, up: bool) -> Option<bool> {
        (!self.uses_primary() && up).then_some(true)
    }
}

/// The engine of `mode`.
pub(crate) fn engine(mode: Mode) -> &'static dyn TransmitEngine {
    match mode {
        Mode::RoundRobin => &round_robin::RoundRobin,
        Mode::ActiveBackup => &active_backup::ActiveBackup,
        Mode::Xor => &xor::Xor,
        Mode::Broadcast => &broadcast::Broadcast,
        Mode::Lacp => &lacp::Lacp,
        Mode::Tlb => &alb::TLB,
        Mode::Alb => &alb::ALB,
    }
}

/// An outgoing packet as the (kernel-independent) hash code reads it.
struct SkbPacket<'a>(&'a mut SkBuff);

impl hash::Packet for SkbPacket<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        self.0.bytes(n)
    }
}

/// What the hash code of `policy` needs besides the bytes (the VLAN tag
/// and the layer-4 hash are read only for the policies that use them). A
/// packet whose network header is not after `skb->data` gets an offset past
/// any data, so only the layer-2 hash applies to it.
fn meta(skb: &SkBuff, policy: hash::Policy) -> Meta {
    let (l2_proto, nhoff) = match policy {
        // The Ethernet-header policies read nothing past the MAC header.
        hash::Policy::Layer2 | hash::Policy::VlanSrcMac => (0, None),
        _ => skb.l3(),
    };
    Meta {
        l2_proto,
        nhoff: nhoff.unwrap_or(usize::MAX / 2),
        vlan_tci: if policy == hash::Policy::VlanSrcMac {
            skb.vlan_tci()
        } else {
            None
        },
        l4_hash: if policy == hash::Policy::Encap34 {
            skb.l4_hash()
        } else {
            None
        },
    }
}

/// C's `bond_xmit_hash` for `skb` under the bond's `xmit_hash_policy`.
pub(crate) fn xmit_hash(bond: &Bond, dev: &NetDevice, skb: &mut SkBuff) -> u32 {
    let policy = bond.xmit_policy();
    let m = meta(skb, policy);
    let mut pkt = SkbPacket(skb);
    hash::xmit_hash(policy, &mut pkt, &m, |p| p.0.flow_dissect(dev.net()))
}

/// 802.3ad's `broadcast_neighbor` rule: whether `skb` is an ARP packet or
/// an IPv6 neighbour solicitation/advertisement.
fn is_neighbor(skb: &mut SkBuff) -> bool {
    let (l2_proto, Some(nhoff)) = skb.l3() else {
        return false;
    };
    let Some(n) = nhoff.checked_add(41) else {
        return false;
    };
    let want = if l2_proto == hash::ETH_P_ARP {
        nhoff
    } else {
        n
    };
    match skb.bytes(want) {
        Some(b) => hash::is_neighbor(l2_proto, b, nhoff),
        None => l2_proto == hash::ETH_P_ARP,
    }
}

/// balance-rr's IGMP rule: whether `skb` is an IPv4 IGMP packet.
fn is_igmp(skb: &mut SkBuff) -> bool {
    let (l2_proto, Some(nhoff)) = skb.l3() else {
        return false;
    };
    let m = Meta {
        l2_proto,
        nhoff,
        vlan_tci: None,
        l4_hash: None,
    };
    hash::is_igmp(&mut SkbPacket(skb), &m)
}

/// C's `bond_xmit_hash_xdp`: the transmit hash of an XDP frame (its bytes
/// from the Ethernet header on; no VLAN offload, no skb hash), 0 if the
/// Ethernet header is not all there.
pub(crate) fn xdp_hash(bond: &Bond, dev: &NetDevice, frame: &[u8]) -> u32 {
    let Some(h) = frame.get(..hash::ETH_HLEN) else {
        return 0;
    };
    let proto = u16::from_be_bytes([h[12], h[13]]);
    let m = Meta {
        l2_proto: proto,
        nhoff: hash::ETH_HLEN,
        vlan_tci: None,
        l4_hash: None,
    };
    let mut pkt = frame;
    hash::xmit_hash(bond.xmit_policy(), &mut pkt, &m, |p| {
        crate::net::xdp::flow_dissect_frame(dev.net(), p, proto, hash::ETH_HLEN)
    })
}

/// balance-rr's IGMP rule for an XDP frame: IPv4 (by its ethertype) whose
/// header says IGMP.
pub(crate) fn xdp_is_igmp(frame: &[u8]) -> bool {
    let Some(h) = frame.get(..hash::ETH_HLEN) else {
        return false;
    };
    let m = Meta {
        l2_proto: u16::from_be_bytes([h[12], h[13]]),
        nhoff: hash::ETH_HLEN,
        vlan_tci: None,
        l4_hash: None,
    };
    let mut pkt = frame;
    hash::is_igmp(&mut pkt, &m)
}
