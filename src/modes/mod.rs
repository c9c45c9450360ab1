// SPDX-License-Identifier: GPL-2.0

//! Transmit engines: one per bonding mode, behind [`TransmitEngine`].
//!
//! The bond core owns slaves, link monitoring and configuration; an engine
//! decides which slave(s) carry a packet and is told about slave and link
//! changes. Engines are stateless singletons: per-bond state they need lives
//! in the bond (atomics, RCU-published lists), reached through
//! [`crate::bond::Bond`]'s read accessors.

use crate::bond::{Bond, Slave};
use crate::net::netdev::{LagTxType, NetDevice};
use crate::net::rcu::RcuRead;
use crate::net::skb::SkBuff;
use crate::options::Mode;

mod active_backup;
mod fallback;

/// What a bonding mode does on the transmit path.
pub(crate) trait TransmitEngine: Sync {
    /// Send `skb` (consume it) on the slave(s) this mode picks. Runs under
    /// RCU with bottom halves off, on several CPUs at once: no sleeping, no
    /// allocation.
    fn xmit(&self, bond: &Bond, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead);

    /// Whether the mode has one active slave chosen by the bond core
    /// (C's `bond_uses_primary`): then `primary`, `active_slave` and
    /// failover apply.
    fn uses_primary(&self) -> bool {
        false
    }

    /// How the stack should see the transmit policy of the lower devices.
    fn lag_tx_type(&self) -> LagTxType;

    /// A slave was enslaved (RTNL): whether it starts as an active slave
    /// (transmits and receives normally) rather than a backup.
    fn starts_active(&self) -> bool {
        !self.uses_primary()
    }

    /// A slave's link went up or down (RTNL): whether it is an active slave
    /// now. Modes without a primary keep every up slave active.
    fn link_changed(&self, _slave: &Slave, up: bool) -> Option<bool> {
        if self.uses_primary() {
            None
        } else {
            Some(up)
        }
    }
}

/// The engine of `mode`.
pub(crate) fn engine(mode: Mode) -> &'static dyn TransmitEngine {
    match mode {
        Mode::ActiveBackup => &active_backup::ActiveBackup,
        other => fallback::for_mode(other),
    }
}
