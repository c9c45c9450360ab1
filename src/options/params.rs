// SPDX-License-Identifier: GPL-2.0

//! Load-time module parameter checks, with C's messages and corrections.

use super::{parse_mode, Mode};

/// C's `BOND_DEFAULT_MAX_BONDS`.
pub const DEFAULT_MAX_BONDS: i32 = 1;
/// C's `BOND_DEFAULT_TX_QUEUES`.
pub const DEFAULT_TX_QUEUES: i32 = 16;

/// What a parameter check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check<T> {
    /// The value is fine as given.
    Ok(T),
    /// Out of range: C warns and uses this value instead (the load goes on).
    Reset(T),
}

impl<T: Copy> Check<T> {
    /// The value in force after the check.
    pub fn value(self) -> T {
        match self {
            Check::Ok(v) | Check::Reset(v) => v,
        }
    }
}

/// `max_bonds`: negative values are reset to 1 with a warning.
pub fn check_max_bonds(v: i32) -> Check<i32> {
    if v < 0 {
        Check::Reset(DEFAULT_MAX_BONDS)
    } else {
        Check::Ok(v)
    }
}

/// `tx_queues`: outside 1..=255 it is reset to 16 with a warning.
pub fn check_tx_queues(v: i32) -> Check<i32> {
    if (1..=255).contains(&v) {
        Check::Ok(v)
    } else {
        Check::Reset(DEFAULT_TX_QUEUES)
    }
}

/// `mode`: absent means balance-rr; an unknown value refuses the load
/// (`-EINVAL`, "Invalid bonding mode").
pub fn check_mode(v: Option<&[u8]>) -> Result<Mode, ()> {
    match v {
        None => Ok(Mode::RoundRobin),
        Some(s) => parse_mode(s).ok_or(()),
    }
}
