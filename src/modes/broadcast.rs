// SPDX-License-Identifier: GPL-2.0

//! broadcast (mode 3): every packet goes out on every slave that is up.
//! Each slave but the last gets a clone (sharing the data); the last gets
//! the packet itself. When no slave took it, it counts as a transmit drop
//! and the bond reports `NET_XMIT_DROP`, as C.

use super::TransmitEngine;
use crate::bond::{Bond, Slave};
use crate::monitor::link::LinkState;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};
use kernel::sync::Arc;

/// The broadcast engine.
pub(crate) struct Broadcast;

impl TransmitEngine for Broadcast {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        over(bond.slave_list(rcu), dev, skb, rcu)
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::Broadcast
    }
}

/// Send `skb` on every slave of `slaves` that is up (C's
/// `bond_xmit_broadcast`; 802.3ad's `broadcast_neighbor` uses it over the
/// usable slaves).
pub(super) fn over(slaves: &[Arc<Slave>], dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
    let mut sent = false;
    let mut orig = Some(skb);
    for (i, s) in slaves.iter().enumerate() {
        if !(s.is_up() && s.link_state() == LinkState::Up) {
            continue;
        }
        // C hands the original to the last slave of the list, whether
        // or not that one is up; a skipped last slave leaves it unused.
        let pkt = if i + 1 == slaves.len() {
            orig.take()
        } else {
            orig.as_ref().and_then(SkBuff::clone_atomic)
        };
        if let Some(p) = pkt {
            sent |= s.xmit(p, rcu).sent();
        }
    }
    match orig {
        Some(p) if !sent => p.drop_tx(dev),
        Some(p) => {
            drop(p);
            TxStatus::OK
        }
        None if !sent => {
            dev.count_tx_drop();
            TxStatus::DROP
        }
        None => TxStatus::OK,
    }
}
