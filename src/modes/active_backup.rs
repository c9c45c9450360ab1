// SPDX-License-Identifier: GPL-2.0

//! active-backup (mode 1): one slave carries all traffic; the bond core
//! picks it (primary, primary_reselect, link state) and fails over.

use super::TransmitEngine;
use crate::bond::Bond;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};

/// The active-backup engine.
pub(crate) struct ActiveBackup;

impl TransmitEngine for ActiveBackup {
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus {
        match bond.curr_active(rcu) {
            Some(slave) => slave.xmit(skb, rcu),
            None => skb.drop_tx(dev),
        }
    }

    fn uses_primary(&self) -> bool {
        true
    }

    fn overrides_queue(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        LagTxType::ActiveBackup
    }
}
