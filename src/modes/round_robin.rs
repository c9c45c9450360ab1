// SPDX-License-Identifier: GPL-2.0

//! balance-rr (mode 0): packets go to the slaves in turn, `packets_per_slave`
//! at a time (0: a random slave each time). IGMP reports always leave
//! through the current active slave, so that group membership stays on one
//! port across failovers (C's rule).

use super::TransmitEngine;
use crate::bond::Bond;
use crate::hash;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};

/// The balance-rr engine.
pub(crate) struct RoundRobin;

impl TransmitEngine for RoundRobin {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, mut skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        let slaves = bond.slave_list(rcu);
        let pick = if super::is_igmp(&mut skb) {
            match bond.curr_active(rcu) {
                Some(s) => Some(s),
                None => {
                    hash::pick_from(slaves.len(), 0, |i| slaves[i].can_tx()).map(|i| &*slaves[i])
                }
            }
        } else if slaves.is_empty() {
            None
        } else {
            let id = bond.rr_slave_id() as usize % slaves.len();
            hash::pick_from(slaves.len(), id, |i| slaves[i].can_tx()).map(|i| &*slaves[i])
        };
        match pick {
            Some(s) => s.xmit(skb, rcu),
            None => skb.drop_tx(dev),
        }
    }

    fn overrides_queue(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::RoundRobin
    }
}
