// SPDX-License-Identifier: GPL-2.0

//! The receive path's one-PDU slot: the newest PDU wins, nothing is taken
//! twice, a copy never mixes two PDUs, and a PDU that arrives while the
//! previous one is being taken is kept.

use proptest::prelude::*;
use rbond_host::lacp::mailbox::Mailbox;
use rbond_host::lacp::pdu::PDU_LEN;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A PDU whose every byte is `n`'s low byte, with `n` in the first 4 bytes
/// (so a torn copy shows as bytes that disagree).
fn pdu(n: u32) -> [u8; PDU_LEN] {
    let mut p = [n as u8; PDU_LEN];
    p[..4].copy_from_slice(&n.to_le_bytes());
    p
}

fn id(p: &[u8; PDU_LEN]) -> u32 {
    u32::from_le_bytes([p[0], p[1], p[2], p[3]])
}

#[test]
fn empty_slot_gives_nothing() {
    let m = Mailbox::new();
    assert!(!m.pending());
    assert_eq!(m.take(), None);
}

#[test]
fn newer_replaces_older_and_is_taken_once() {
    let m = Mailbox::new();
    assert!(m.post(&pdu(1)));
    assert!(m.post(&pdu(2)));
    assert!(m.pending());
    assert_eq!(m.take().map(|p| id(&p)), Some(2));
    assert_eq!(m.take(), None);
    assert!(m.post(&pdu(3)));
    assert_eq!(m.take().map(|p| id(&p)), Some(3));
}

#[test]
fn clear_drops_what_waits() {
    let m = Mailbox::new();
    assert!(m.post(&pdu(7)));
    m.clear();
    assert!(!m.pending());
    assert_eq!(m.take(), None);
    assert!(m.post(&pdu(8)));
    assert_eq!(m.take().map(|p| id(&p)), Some(8));
}

proptest! {
    /// Any interleaving of posts and takes on one thread: a take returns
    /// the last PDU posted since the previous take, or nothing if none was.
    #[test]
    fn take_returns_the_last_post(ops in proptest::collection::vec(any::<Option<u32>>(), 0..64)) {
        let m = Mailbox::new();
        let mut waiting = None;
        for op in ops {
            match op {
                Some(n) => {
                    prop_assert!(m.post(&pdu(n)));
                    waiting = Some(n);
                }
                None => {
                    prop_assert_eq!(m.take().map(|p| id(&p)), waiting.take());
                }
            }
        }
    }
}

/// A writer thread posts increasing PDUs while the reader takes: every
/// copy is whole, ids only grow, and the last PDU posted is taken at the
/// end (a post that overlaps a take is not lost).
#[test]
fn concurrent_posts_are_whole_and_the_last_survives() {
    let m = Arc::new(Mailbox::new());
    let done = Arc::new(AtomicBool::new(false));
    const N: u32 = 200_000;
    let w = {
        let (m, done) = (m.clone(), done.clone());
        std::thread::spawn(move || {
            for n in 1..=N {
                // One writer: a post never collides with another post.
                assert!(m.post(&pdu(n)));
            }
            done.store(true, Ordering::Release);
        })
    };
    let mut last = 0;
    let mut taken = 0u32;
    // A slot that loses the last post would leave the loop waiting for
    // ever: fail instead.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "still pending 30 s on (last taken {last} of {N})"
        );
        let finished = done.load(Ordering::Acquire);
        if let Some(p) = m.take() {
            let n = id(&p);
            assert!(p[4..].iter().all(|&b| b == n as u8), "torn copy of {n}");
            assert!(n > last, "{n} taken after {last}");
            last = n;
            taken += 1;
        }
        if finished && !m.pending() {
            break;
        }
    }
    w.join().unwrap();
    assert_eq!(last, N, "the last PDU posted was lost");
    assert!(taken > 0);
}
