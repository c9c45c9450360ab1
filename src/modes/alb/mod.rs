// SPDX-License-Identifier: GPL-2.0

//! balance-tlb (mode 5) and balance-alb (mode 6): adaptive load balancing.
//!
//! - [`proto`]: the client tables and their decisions, kernel-independent,
//!   tested on the host.
//! - This file: the two transmit engines. A packet is classified here
//!   (balanced or not, its table index, an ARP for the receive table), the
//!   tables decide under the bond's ALB lock, and the packet leaves on the
//!   chosen slave with that slave's MAC as its Ethernet source when it is
//!   not the active slave (C's `bond_do_alb_xmit`).
//! - `crate::bond::alb`: the glue in the bond core (the tables' lifetime,
//!   the slaves' MACs, the 100 ms monitor, the receive side).

use super::TransmitEngine;
use crate::bond::Bond;
use crate::hash;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};
use crate::options::table::OptId;
use proto::rlb::{ArpPkt, ARP_PKT_LEN};
use proto::{SlaveId, ETH_ALEN};

#[allow(unreachable_pub, dead_code)]
pub(crate) mod proto;

/// The engine of balance-tlb (`alb` false) and balance-alb (`alb` true).
pub(crate) struct Lb {
    alb: bool,
}

/// The balance-tlb engine.
pub(crate) static TLB: Lb = Lb { alb: false };
/// The balance-alb engine.
pub(crate) static ALB: Lb = Lb { alb: true };

impl TransmitEngine for Lb {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        xmit(bond, dev, skb, rcu, self.alb)
    }

    fn uses_primary(&self) -> bool {
        true
    }

    fn uses_slave_array(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::Unknown
    }
}

const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
const IPPROTO_IGMP: u8 = 2;
const IPPROTO_ICMPV6: u8 = 58;
const NDISC_NEIGHBOUR_SOLICITATION: u8 = 135;
const NDISC_NEIGHBOUR_ADVERTISEMENT: u8 = 136;

/// How a packet is placed (C's `bond_xmit_{tlb,alb}_slave_get`).
enum Pick {
    /// Not balanced: the active slave.
    Unbalanced,
    /// Balanced through transmit-table entry `index` (`tlb_dynamic_lb`).
    Entry(u8),
    /// Balanced by the `xmit_hash_policy` hash over the usable slaves
    /// (`tlb_dynamic_lb` off).
    Hash(u32),
    /// An ARP packet for the receive table (balance-alb).
    Arp(ArpPkt),
}

/// C's `alb_determine_nd`: whether an IPv6 packet is a neighbour
/// solicitation or advertisement (or too short to tell: treated as one).
fn is_nd(skb: &mut SkBuff, nhoff: usize) -> bool {
    let Some(b) = skb.bytes(nhoff + 40) else {
        return true;
    };
    if b.get(nhoff + 6) != Some(&IPPROTO_ICMPV6) {
        return false;
    }
    match skb
        .bytes(nhoff + 48)
        .and_then(|b| b.get(nhoff + 40).copied())
    {
        Some(t) => t == NDISC_NEIGHBOUR_ADVERTISEMENT || t == NDISC_NEIGHBOUR_SOLICITATION,
        None => true,
    }
}

/// A balanced packet of balance-alb: through transmit-table entry `index`
/// with `tlb_dynamic_lb`, else by the `xmit_hash_policy` hash.
fn alb_balanced(bond: &Bond, dev: &NetDevice, skb: &mut SkBuff, dynamic: bool, index: u8) -> Pick {
    if dynamic {
        Pick::Entry(index)
    } else {
        Pick::Hash(super::xmit_hash(bond, dev, skb))
    }
}

/// balance-tlb's placement: unicast IPv4 and IPv6 (not neighbour
/// discovery) by the `xmit_hash_policy` hash.
fn pick_tlb(bond: &Bond, dev: &NetDevice, skb: &mut SkBuff, dynamic: bool) -> Pick {
    if proto::is_multicast(&skb.eth_dest()) {
        return Pick::Unbalanced;
    }
    let (l2, Some(nhoff)) = skb.l3() else {
        return Pick::Unbalanced;
    };
    match l2 {
        ETH_P_IPV6 if is_nd(skb, nhoff) => Pick::Unbalanced,
        ETH_P_IP | ETH_P_IPV6 => {
            let h = super::xmit_hash(bond, dev, skb);
            if dynamic {
                Pick::Entry(proto::tlb_index(h))
            } else {
                Pick::Hash(h)
            }
        }
        _ => Pick::Unbalanced,
    }
}

/// balance-alb's placement: IPv4 by destination address (not broadcast,
/// not IGMP), IPv6 by destination address (not all-nodes, not neighbour
/// discovery, not from the unspecified address: DAD), ARP through the
/// receive table.
fn pick_alb(bond: &Bond, dev: &NetDevice, skb: &mut SkBuff, dynamic: bool, rlb: bool) -> Pick {
    let dest = skb.eth_dest();
    let (l2, nhoff) = skb.l3();
    let Some(nhoff) = nhoff else {
        return Pick::Unbalanced;
    };
    match l2 {
        ETH_P_IP => {
            if proto::is_broadcast(&dest) {
                return Pick::Unbalanced;
            }
            let (Some([l4]), Some(daddr)) = (
                hash::read::<_, 1>(&mut super::SkbPacket(skb), nhoff + 9),
                hash::read::<_, 4>(&mut super::SkbPacket(skb), nhoff + 16),
            ) else {
                return Pick::Unbalanced;
            };
            if daddr == [0xff; 4] || l4 == IPPROTO_IGMP {
                return Pick::Unbalanced;
            }
            alb_balanced(bond, dev, skb, dynamic, proto::ipv4_index(daddr))
        }
        ETH_P_IPV6 => {
            if proto::is_broadcast(&dest) || dest == proto::MAC_V6_ALLMCAST || is_nd(skb, nhoff) {
                return Pick::Unbalanced;
            }
            let (Some(saddr), Some(daddr)) = (
                hash::read::<_, 16>(&mut super::SkbPacket(skb), nhoff + 8),
                hash::read::<_, 16>(&mut super::SkbPacket(skb), nhoff + 24),
            ) else {
                return Pick::Unbalanced;
            };
            if saddr == [0; 16] {
                return Pick::Unbalanced;
            }
            alb_balanced(bond, dev, skb, dynamic, proto::ipv6_index(&daddr))
        }
        hash::ETH_P_ARP if rlb => {
            let arp = hash::read::<_, ARP_PKT_LEN>(&mut super::SkbPacket(skb), nhoff)
                .and_then(|b| ArpPkt::parse(&b));
            match arp {
                // Not balanced when the sender address belongs to a bridge
                // (C: the bond is bridged; the bridge answers for itself).
                Some(a) if !crate::net::inet::ip_on_bridge(dev.net(), a.ip_src) => Pick::Arp(a),
                _ => Pick::Unbalanced,
            }
        }
        _ => Pick::Unbalanced,
    }
}

/// Both engines: place the packet, let the tables decide, send.
fn xmit(bond: &Bond, dev: &NetDevice, mut skb: SkBuff, rcu: &RcuRead, alb: bool) -> TxStatus {
    let Some(shared) = bond.alb_tables() else {
        return skb.drop_tx(dev);
    };
    let dynamic = bond.val(OptId::TlbDynamicLb) != 0;
    let rlb = alb && bond.rlb_running();
    let pick = if alb {
        pick_alb(bond, dev, &mut skb, dynamic, rlb)
    } else {
        pick_tlb(bond, dev, &mut skb, dynamic)
    };
    let curr = bond.curr_active(rcu).map(|s| SlaveId(s.alb_id()));
    let len = skb.len();
    let chosen_hash = match pick {
        Pick::Hash(h) => {
            let usable = bond.usable_list(rcu);
            proto::nondyn_position(h, usable.len() as u32)
                .and_then(|i| usable.get(i))
                .map(|s| SlaveId(s.alb_id()))
        }
        _ => None,
    };
    let tx = {
        // Under netpoll (interrupts off) this CPU may hold the lock already
        // (a message logged under it, sent by netconsole): never spin, give
        // the packet back for netpoll's retry instead.
        let mut g = if crate::net::netpoll::tx_running(dev) {
            match shared.t.try_lock() {
                Some(g) => g,
                None => return skb.busy(),
            }
        } else {
            shared.t.lock()
        };
        let t = &mut *g;
        let chosen = match pick {
            Pick::Unbalanced => None,
            Pick::Hash(_) => chosen_hash,
            Pick::Entry(i) => t.tlb.choose_channel(&mut t.slaves, i, len),
            Pick::Arp(arp) => {
                let vlan = skb.vlan_tci().unwrap_or(0);
                let x = t.rlb.arp_xmit(&t.slaves, &arp, vlan, curr, &dev.addr());
                if let Some(m) = x.moved {
                    bond.rlb_send_update(&m, rcu);
                }
                for _ in 0..x.no_channel {
                    crate::net::log::bare_err!(
                        "{}: found a client with no channel in the client's hash table\n",
                        dev.name()
                    );
                }
                match x.rewrite_sender {
                    // C: when the header cannot be made writable, the
                    // reply is not balanced.
                    Some(mac) if !skb.set_arp_sender(&mac) => None,
                    _ => x.slave,
                }
            }
        };
        t.tlb.do_xmit(&mut t.slaves, chosen, curr, len, dynamic)
    };
    match tx {
        proto::tlb::Tx::Send { slave, rewrite_src } => {
            let Some(s) = bond.slave_list(rcu).iter().find(|s| s.alb_id() == slave.0) else {
                return skb.drop_tx(dev);
            };
            if rewrite_src {
                let mac: [u8; ETH_ALEN] = s.dev().addr();
                if !skb.set_eth_source(&mac) {
                    return skb.drop_tx(dev);
                }
            }
            s.xmit(skb, rcu)
        }
        proto::tlb::Tx::Drop => skb.drop_tx(dev),
    }
}
