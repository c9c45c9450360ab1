// SPDX-License-Identifier: GPL-2.0

//! Modes whose engines are not written yet (balance-tlb, balance-alb). Slaves can be enslaved and are monitored, but packets are
//! dropped and counted as transmit drops, so nothing is sent on a policy
//! that would differ from C's.

use super::TransmitEngine;
use crate::bond::Bond;
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::{SkBuff, TxStatus};
use crate::options::Mode;

/// A mode without an engine yet.
pub(crate) struct NotYet {
    tx: LagTxType,
    primary: bool,
}

impl TransmitEngine for NotYet {
    fn xmit(&self, _bond: &Bond, dev: &NetDevice, skb: SkBuff, _rcu: &RcuRead) -> TxStatus {
        skb.drop_tx(dev)
    }

    fn uses_primary(&self) -> bool {
        self.primary
    }

    fn uses_slave_array(&self) -> bool {
        true
    }

    fn lag_tx_type(&self) -> LagTxType {
        self.tx
    }
}

static HASH: NotYet = NotYet {
    tx: LagTxType::Hash,
    primary: false,
};
static LB: NotYet = NotYet {
    tx: LagTxType::Unknown,
    primary: true,
};

/// The placeholder engine of `mode`.
pub(super) fn for_mode(mode: Mode) -> &'static NotYet {
    match mode {
        Mode::Tlb | Mode::Alb => &LB,
        _ => &HASH,
    }
}
