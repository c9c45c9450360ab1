// SPDX-License-Identifier: GPL-2.0

//! A one-PDU slot between the receive path (softirq, any CPU) and the
//! machines (process context): lock-free, so neither side can wait for the
//! other. A PDU posted while one is waiting replaces it (the newer one
//! carries the partner's current state); one posted while the slot is
//! being written or read is dropped and reported, and the partner's next
//! PDU brings the same information.

use core::sync::atomic::{AtomicU64, AtomicU8, Ordering};

use super::pdu::PDU_LEN;

const EMPTY: u8 = 0;
const BUSY: u8 = 1;
const FULL: u8 = 2;
const WORDS: usize = PDU_LEN.div_ceil(8);

/// One PDU's bytes, in flight from the receive path to the machines.
pub struct Mailbox {
    state: AtomicU8,
    words: [AtomicU64; WORDS],
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Mailbox {
    /// An empty slot.
    pub const fn new() -> Self {
        Mailbox {
            state: AtomicU8::new(EMPTY),
            words: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// Leave `pdu` for the machines. `false`: the slot was busy, the PDU
    /// is dropped.
    pub fn post(&self, pdu: &[u8; PDU_LEN]) -> bool {
        let claimed = self
            .state
            .compare_exchange(EMPTY, BUSY, Ordering::Acquire, Ordering::Relaxed)
            .or_else(|_| {
                self.state
                    .compare_exchange(FULL, BUSY, Ordering::Acquire, Ordering::Relaxed)
            });
        if claimed.is_err() {
            return false;
        }
        for (w, chunk) in self.words.iter().zip(pdu.chunks(8)) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            w.store(u64::from_ne_bytes(b), Ordering::Relaxed);
        }
        self.state.store(FULL, Ordering::Release);
        true
    }

    /// The waiting PDU, if any (the slot is empty afterwards).
    pub fn take(&self) -> Option<[u8; PDU_LEN]> {
        self.state
            .compare_exchange(FULL, BUSY, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        let mut out = [0u8; PDU_LEN];
        for (w, chunk) in self.words.iter().zip(out.chunks_mut(8)) {
            let b = w.load(Ordering::Relaxed).to_ne_bytes();
            chunk.copy_from_slice(&b[..chunk.len()]);
        }
        self.state.store(EMPTY, Ordering::Release);
        Some(out)
    }

    /// Drop whatever waits (a port being reinitialised).
    pub fn clear(&self) {
        let _ = self.take();
    }
}
