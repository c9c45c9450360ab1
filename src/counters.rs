// SPDX-License-Identifier: GPL-2.0

//! The bond's traffic counters, folded from its slaves' as C's
//! `bond_fold_stats` does: each read adds to the bond's totals what each
//! slave's counters moved since the previous read. A counter that went
//! backwards (a driver that resets its counters when the device goes down
//! and up) adds nothing, and a counter whose old and new values both fit in
//! 32 bits is taken as a 32-bit counter, so that its wrap adds the small
//! step it really made. The bond's totals therefore never go backwards and
//! never jump by about 2^64.
//!
//! Kernel-independent (imports only `core`): the host test crate compiles
//! this file (`cargo test --test counters`).

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

/// The step one counter made from `old` to `new` (C's rule), if it moved
/// forwards.
pub fn step(new: u64, old: u64) -> u64 {
    let delta = if (new | old) >> 32 == 0 {
        // Both fit in 32 bits: a 32-bit counter, maybe wrapped.
        i64::from((new as u32).wrapping_sub(old as u32) as i32)
    } else {
        new.wrapping_sub(old) as i64
    };
    if delta > 0 {
        delta as u64
    } else {
        0
    }
}

/// Add to `total` the steps from `old` to `new`, counter by counter (the
/// three slices have the same length; extra elements are ignored).
pub fn fold(total: &mut [u64], new: &[u64], old: &[u64]) {
    for ((t, &n), &o) in total.iter_mut().zip(new).zip(old) {
        *t = t.wrapping_add(step(n, o));
    }
}
