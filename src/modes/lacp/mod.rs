// SPDX-License-Identifier: GPL-2.0

//! 802.3ad (mode 4): dynamic link aggregation with LACP.
//!
//! - [`proto`]: the protocol, kernel-independent (PDU codecs, the per-port
//!   machines, the aggregators and their selection), tested on the host.
//! - This file: the transmit engine. A packet goes to the slave its
//!   `xmit_hash_policy` hash selects among the distributing slaves of the
//!   active aggregator, which the bond core republishes (the usable-slave
//!   array) whenever the machines change a port's state.
//! - `crate::bond::lacp`: the glue in the bond core (ports bound and
//!   unbound with the slaves, the machines' work, PDUs in and out, what the
//!   surfaces show).

use super::TransmitEngine;
use crate::bond::{Bond, Slave};
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};
use crate::options::table::OptId;

#[allow(unreachable_pub, dead_code)]
pub(crate) mod proto;

/// The 802.3ad engine.
pub(crate) struct Lacp;

impl TransmitEngine for Lacp {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, mut skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        if bond.val(OptId::BroadcastNeighbor) != 0 && super::is_neighbor(&mut skb) {
            return super::broadcast::over(bond.usable_list(rcu), dev, skb, rcu);
        }
        super::xor::hash_xmit(bond, dev, skb, rcu)
    }

    fn uses_slave_array(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::Hash
    }

    /// New slaves start inactive: the machines enable the ports of the
    /// selected aggregator.
    fn starts_active(&self) -> bool {
        false
    }

    /// Link changes go to the machines (`crate::bond::lacp`), not here.
    fn link_changed(&self, _slave: &Slave, _up: bool) -> Option<bool> {
        None
    }
}
