// SPDX-License-Identifier: GPL-2.0

//! A one-PDU slot between the receive path (softirq, any CPU) and the
//! machines (process context), lock-free so that the receive path never
//! waits for the machines.
//!
//! The slot keeps the newest PDU: a LACPDU carries the partner's whole
//! current state, so a newer one makes an older one that was not taken yet
//! worthless. It is a sequence lock: the writer makes the sequence odd,
//! writes, and makes it even again; the reader copies and keeps the copy
//! only if the sequence did not move meanwhile, retrying otherwise. So a
//! PDU that arrives while the machines copy the previous one is never lost
//! (the copy is retried and gets the newer one). Only two PDUs posted at
//! the same instant for one port (two CPUs) can collide: one of them is
//! dropped, and either was the newest.
//!
//! Contract: one reader at a time (the machines, under RTNL). A reader that
//! meets a write in progress spins only a bounded number of times (the
//! writer may be a preempted softirq thread on PREEMPT_RT); it then reports
//! nothing, and the PDU is taken at the next run.

use core::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, Ordering};

use super::pdu::PDU_LEN;

const WORDS: usize = PDU_LEN.div_ceil(8);
/// How often a reader retries a copy that a write overlapped.
const READ_TRIES: u32 = 64;

/// One PDU's bytes, in flight from the receive path to the machines.
pub struct Mailbox {
    /// Even: stable; odd: a write is in progress. Each write adds 2.
    seq: AtomicU32,
    /// The sequence of the last PDU taken (the reader's; equal to `seq`
    /// when nothing new waits).
    taken: AtomicU32,
    /// Held by the one writer at a time.
    writing: AtomicBool,
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
            seq: AtomicU32::new(0),
            taken: AtomicU32::new(0),
            writing: AtomicBool::new(false),
            words: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// Leave `pdu` for the machines, replacing any PDU not taken yet.
    /// `false`: another CPU was posting for the same port at this instant,
    /// and `pdu` is dropped.
    pub fn post(&self, pdu: &[u8; PDU_LEN]) -> bool {
        if self
            .writing
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s.wrapping_add(1), Ordering::Relaxed);
        // The odd sequence is visible before any word changes.
        fence(Ordering::Release);
        for (w, chunk) in self.words.iter().zip(pdu.chunks(8)) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            w.store(u64::from_ne_bytes(b), Ordering::Relaxed);
        }
        self.seq.store(s.wrapping_add(2), Ordering::Release);
        self.writing.store(false, Ordering::Release);
        true
    }

    /// The newest PDU not taken yet, if any.
    pub fn take(&self) -> Option<[u8; PDU_LEN]> {
        let mut out = [0u8; PDU_LEN];
        for _ in 0..READ_TRIES {
            let s1 = self.seq.load(Ordering::Acquire);
            if s1 == self.taken.load(Ordering::Relaxed) {
                return None;
            }
            if s1 & 1 == 1 {
                core::hint::spin_loop();
                continue;
            }
            for (w, chunk) in self.words.iter().zip(out.chunks_mut(8)) {
                let b = w.load(Ordering::Relaxed).to_ne_bytes();
                chunk.copy_from_slice(&b[..chunk.len()]);
            }
            // The words are read before the sequence is checked again.
            fence(Ordering::Acquire);
            if self.seq.load(Ordering::Relaxed) == s1 {
                self.taken.store(s1, Ordering::Relaxed);
                return Some(out);
            }
        }
        None
    }

    /// Whether a PDU waits (posted and not taken).
    pub fn pending(&self) -> bool {
        self.seq.load(Ordering::Acquire) != self.taken.load(Ordering::Relaxed)
    }

    /// Drop whatever waits (a port being reinitialised), including what a
    /// write in progress leaves (it started before the clear).
    pub fn clear(&self) {
        let s = self.seq.load(Ordering::Acquire);
        self.taken.store(s.wrapping_add(s & 1), Ordering::Relaxed);
    }
}
