// SPDX-License-Identifier: GPL-2.0

//! balance-xor (mode 2): a packet goes to the usable slave its
//! `xmit_hash_policy` hash selects (hash modulo the number of usable
//! slaves), so a flow stays on one slave while the set of usable slaves
//! does not change. The bond core republishes that set on every link
//! change, carrier events included.

use super::TransmitEngine;
use crate::bond::Bond;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};

/// The balance-xor engine.
pub(crate) struct Xor;

impl TransmitEngine for Xor {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        hash_xmit(bond, dev, skb, rcu)
    }

    fn uses_slave_array(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::Hash
    }
}

/// Send `skb` on the usable slave its hash selects (C's
/// `bond_3ad_xor_xmit`, shared by balance-xor and 802.3ad).
pub(super) fn hash_xmit(bond: &Bond, dev: &NetDevice, mut skb: SkBuff, rcu: &RcuRead) -> TxStatus {
    let usable = bond.usable_list(rcu);
    if usable.is_empty() {
        return skb.drop_tx(dev);
    }
    let h = super::xmit_hash(bond, dev, &mut skb) as usize;
    match usable.get(h % usable.len()) {
        Some(s) => s.xmit(skb, rcu),
        None => skb.drop_tx(dev),
    }
}
