// SPDX-License-Identifier: GPL-2.0

//! The bond's counters are folded from the slaves' as C's bond_fold_stats:
//! a slave's counter reset or a 32-bit wrap must not make them jump by
//! about 2^64 or go backwards.

use proptest::prelude::*;
use rbond_host::counters::{fold, step};

#[test]
fn forward_steps_count() {
    assert_eq!(step(15, 10), 5);
    assert_eq!(step((1 << 40) + 7, 1 << 40), 7);
    assert_eq!(step(10, 10), 0);
}

#[test]
fn a_counter_reset_adds_nothing() {
    // A driver that zeroes its counters at down/up.
    assert_eq!(step(3, 1_000_000), 0);
    assert_eq!(step(3, (1 << 40) + 9), 0);
}

#[test]
fn a_32_bit_counter_wraps_by_its_small_step() {
    assert_eq!(step(0x10, 0xffff_fff0), 0x20);
    assert_eq!(step(0, u32::MAX as u64), 1);
}

#[test]
fn fold_adds_per_counter() {
    let mut total = [100, 200, 300];
    fold(&mut total, &[15, 3, 0x10], &[10, 1_000, 0xffff_fff0]);
    assert_eq!(total, [105, 200, 0x20 + 300]);
}

#[test]
fn reset_in_the_middle_keeps_what_was_counted() {
    // 0 -> 50 -> (reset) 0 -> 20: the bond saw 50 + 20.
    let seq = [0u64, 50, 0, 20];
    let mut total = [0u64];
    for w in seq.windows(2) {
        fold(&mut total, &[w[1]], &[w[0]]);
    }
    assert_eq!(total, [70]);
}

proptest! {
    /// Whatever the slave's counter does, the bond's total never goes down
    /// and never moves by more than the counter could have (2^32 for a
    /// counter that fits in 32 bits). (Values below 2^58: the total itself
    /// wraps at 2^64, as C's does.)
    #[test]
    fn totals_never_go_backwards(seq in prop::collection::vec(0u64..1 << 58, 2..40)) {
        let mut total = [0u64];
        let mut prev = 0;
        for w in seq.windows(2) {
            fold(&mut total, &[w[1]], &[w[0]]);
            prop_assert!(total[0] >= prev);
            if (w[0] | w[1]) >> 32 == 0 {
                prop_assert!(total[0] - prev < 1 << 32);
            }
            prev = total[0];
        }
    }

    /// A counter that only grows is counted exactly.
    #[test]
    fn growing_counters_are_exact(start in any::<u64>(), steps in prop::collection::vec(0u64..1 << 31, 1..40)) {
        let start = start >> 1;
        let mut total = [0u64];
        let mut cur = start;
        let mut want = 0u64;
        for s in steps {
            let next = cur.wrapping_add(s);
            if next < cur && (next | cur) >> 32 != 0 {
                break; // a 64-bit wrap: not a growing counter any more
            }
            fold(&mut total, &[next], &[cur]);
            want += s;
            cur = next;
        }
        prop_assert_eq!(total[0], want);
    }

    /// 32-bit counters that grow and wrap are counted exactly.
    #[test]
    fn wrapping_32_bit_counters_are_exact(start in any::<u32>(), steps in prop::collection::vec(0u32..1 << 30, 1..40)) {
        let mut total = [0u64];
        let mut cur = start;
        let mut want = 0u64;
        for s in steps {
            let next = cur.wrapping_add(s);
            fold(&mut total, &[u64::from(next)], &[u64::from(cur)]);
            want += u64::from(s);
            cur = next;
        }
        prop_assert_eq!(total[0], want);
    }
}
