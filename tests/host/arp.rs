// SPDX-License-Identifier: GPL-2.0

//! The ARP / NS monitor decisions must follow C's bond_time_in_interval,
//! bond_ab_arp_inspect / _commit / _probe, bond_loadbalance_arp_mon and the
//! receive-side bond_rcv_validate / bond_arp_rcv / bond_na_rcv, with the
//! kernel's wrapping jiffies arithmetic.

use proptest::prelude::*;
use rbond_host::monitor::arp::*;
use rbond_host::monitor::link::LinkState;

const HZ_DELTA: Jiffies = 100; // arp_interval=100 at HZ=1000

fn timing(now: Jiffies) -> ArpTiming {
    ArpTiming {
        now,
        delta: HZ_DELTA,
        missed_max: 2,
    }
}

fn slave(
    link: LinkState,
    active: bool,
    last_rx: Jiffies,
    last_tx: Jiffies,
    last_link_up: Jiffies,
) -> AbSlave {
    AbSlave {
        link,
        active,
        last_rx,
        last_tx,
        last_link_up,
    }
}

// ------------------------------------------------------------------ jiffies

#[test]
fn time_after_is_signed_difference() {
    assert!(time_after(2, 1));
    assert!(!time_after(1, 1));
    assert!(!time_after(1, 2));
    // Across the wrap: 5 is "after" u64::MAX - 5.
    assert!(time_after(5, u64::MAX - 5));
    assert!(!time_after(u64::MAX - 5, 5));
    // Just under half the range apart: the later one is after.
    assert!(time_after(i64::MAX as u64, 0));
    assert!(!time_after(0, i64::MAX as u64));
    assert!(!time_after((1 << 63) + 1, 0)); // that is 2^63 - 1 *before* 0
                                            // Exactly half the range apart, each is "after" the other.
    assert!(time_after(1 << 63, 0));
    assert!(time_after(0, 1 << 63));
    assert!(time_before(0, 1));
    assert!(time_after_eq(7, 7));
    assert!(time_before_eq(7, 7));
}

#[test]
fn time_in_range_wraps() {
    assert!(time_in_range(5, 3, 7));
    assert!(time_in_range(3, 3, 7));
    assert!(time_in_range(7, 3, 7));
    assert!(!time_in_range(8, 3, 7));
    assert!(!time_in_range(2, 3, 7));
    // A range straddling the wrap.
    let lo = u64::MAX - 10;
    let hi = 10;
    assert!(time_in_range(u64::MAX, lo, hi));
    assert!(time_in_range(0, lo, hi));
    assert!(time_in_range(10, lo, hi));
    assert!(!time_in_range(11, lo, hi));
    assert!(!time_in_range(lo - 1, lo, hi));
}

#[test]
fn in_interval_window_edges() {
    // bond_time_in_interval(bond, last, 1): [last - 100, last + 100 + 50].
    let last = 10_000;
    for (now, inside) in [
        (last - 101, false),
        (last - 100, true),
        (last, true),
        (last + 150, true),
        (last + 151, false),
    ] {
        assert_eq!(in_interval(&timing(now), last, 1), inside, "now={now}");
    }
    // mult 2 (last_link_up grace): up to last + 250.
    assert!(in_interval(&timing(last + 250), last, 2));
    assert!(!in_interval(&timing(last + 251), last, 2));
    // mult 0: [last - 100, last + 50].
    assert!(in_interval(&timing(last + 50), last, 0));
    assert!(!in_interval(&timing(last + 51), last, 0));
    // Odd delta: delta / 2 truncates.
    let t = ArpTiming {
        now: last + 3 + 1,
        delta: 3,
        missed_max: 1,
    };
    assert!(in_interval(&t, last, 1));
    let t = ArpTiming { now: last + 5, ..t };
    assert!(!in_interval(&t, last, 1));
}

#[test]
fn in_interval_across_jiffies_wrap() {
    // last just before the wrap, now just after it.
    let last = u64::MAX - 20;
    assert!(in_interval(&timing(100), last, 1)); // last + 121 wraps to 100
    assert!(in_interval(&timing(129), last, 1)); // last + 150
    assert!(!in_interval(&timing(130), last, 1));
    // last just after the wrap, now before it.
    let last = 30;
    assert!(in_interval(&timing(u64::MAX - 69), last, 1)); // last - 100
    assert!(!in_interval(&timing(u64::MAX - 70), last, 1));
    // A last time 2^62 ticks old is outside; one 2^63 + 10 ticks "old" is
    // 2^63 - 10 ticks in the future: outside too.
    assert!(!in_interval(&timing(1 << 62), 0, 1));
    assert!(!in_interval(&timing((1 << 63) + 10), 0, 1));
}

#[test]
fn in_interval_uses_c_int_arithmetic() {
    // arp_interval = 10_000_000 ms with missed_max 255: C computes
    // (255 + 1) * delta + delta / 2 in int, which wraps to a negative
    // offset: the window [last - delta, last - 1.73e9] is empty, so even
    // now == last is outside.
    let delta: Jiffies = 10_000_000;
    let t = ArpTiming {
        now: 1 << 40,
        delta,
        missed_max: 255,
    };
    let upper = (256i32)
        .wrapping_mul(delta as i32)
        .wrapping_add(delta as i32 / 2);
    assert!(upper < 0);
    assert!(!in_interval(&t, 1 << 40, 256));
    // With a smaller multiplier there is no overflow and now == last is in.
    assert!(in_interval(&t, 1 << 40, 200));
    // Only the low 32 bits of delta count (C's int delta_in_ticks).
    let t1 = ArpTiming {
        now: 1000,
        delta: (1 << 32) + 100,
        missed_max: 2,
    };
    let t2 = ArpTiming { delta: 100, ..t1 };
    for now in [850, 899, 900, 1000, 1150, 1151] {
        let a = ArpTiming { now, ..t1 };
        let b = ArpTiming { now, ..t2 };
        assert_eq!(in_interval(&a, 1000, 1), in_interval(&b, 1000, 1));
    }
}

/// The kernel's definition with exact integers: reduce both bounds mod
/// 2^64, then compare signed differences.
fn model_in_interval(now: u64, last: u64, delta: u64, mult: u32) -> bool {
    let m = 1i128 << 64;
    let (last, delta, mult) = (i128::from(last), i128::from(delta), i128::from(mult));
    let lo = (last - delta).rem_euclid(m) as u64;
    let hi = (last + mult * delta + delta / 2).rem_euclid(m) as u64;
    let after_eq_lo = (now.wrapping_sub(lo) as i64) >= 0;
    let before_eq_hi = (hi.wrapping_sub(now) as i64) >= 0;
    after_eq_lo && before_eq_hi
}

proptest! {
    #[test]
    fn in_interval_matches_i128_model(
        last in any::<u64>(),
        off in -2000i64..4000,
        delta in 0u64..(1 << 20),
        mult in 0u32..=256,
    ) {
        let now = last.wrapping_add(off as u64);
        let t = ArpTiming { now, delta, missed_max: 2 };
        prop_assert_eq!(in_interval(&t, last, mult), model_in_interval(now, last, delta, mult));
    }

    #[test]
    fn in_interval_matches_model_anywhere(
        now in any::<u64>(),
        last in any::<u64>(),
        delta in 0u64..(1 << 20),
        mult in 0u32..=256,
    ) {
        let t = ArpTiming { now, delta, missed_max: 2 };
        prop_assert_eq!(in_interval(&t, last, mult), model_in_interval(now, last, delta, mult));
    }

    #[test]
    fn in_interval_near_wrap(
        back in 0u64..1000,
        off in -500i64..500,
        delta in 1u64..200,
        mult in 0u32..4,
    ) {
        let last = u64::MAX - back;
        let now = last.wrapping_add(off as u64);
        let t = ArpTiming { now, delta, missed_max: 2 };
        let (d, m) = (delta as i64, i64::from(mult));
        let expect = off >= -d && off <= m * d + d / 2;
        prop_assert_eq!(in_interval(&t, last, mult), expect);
    }
}

// --------------------------------------------------------------- ab_inspect

#[test]
fn ab_not_up_comes_up_on_recent_rx() {
    // C: slave->link != BOND_LINK_UP and bond_time_in_interval(last_rx, 1)
    // -> BOND_LINK_UP, for DOWN, FAIL and BACK alike, active or not.
    let now = 50_000;
    for link in [LinkState::Down, LinkState::Fail, LinkState::Back] {
        for active in [false, true] {
            let s = slave(link, active, now - 50, 0, 0);
            assert_eq!(ab_inspect(&timing(now), &s, false), Some(LinkState::Up));
            assert_eq!(ab_inspect(&timing(now), &s, true), Some(LinkState::Up));
        }
    }
}

#[test]
fn ab_back_without_rx_fails_others_stay() {
    // C: not up, no rx in the interval: BACK -> FAIL, DOWN/FAIL unchanged.
    let now = 50_000;
    let stale = now - 1000;
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Back, false, stale, now, now),
            false
        ),
        Some(LinkState::Fail)
    );
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Down, false, stale, now, now),
            false
        ),
        None
    );
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Fail, true, stale, now, now),
            false
        ),
        None
    );
}

#[test]
fn ab_up_grace_after_link_up() {
    // C: "Give slaves 2*delta after being enslaved or made active":
    // bond_time_in_interval(last_link_up, 2) -> no change, even when rx and
    // tx are ancient.
    let now = 50_000;
    for active in [false, true] {
        let s = slave(LinkState::Up, active, 0, 0, now - 250);
        assert_eq!(ab_inspect(&timing(now), &s, false), None);
        let s = slave(LinkState::Up, active, 0, 0, now - 251);
        assert_eq!(ab_inspect(&timing(now), &s, false), Some(LinkState::Down));
    }
}

#[test]
fn ab_backup_down_only_without_arp_slave() {
    // C: backup slave, no current_arp_slave, and last_rx outside
    // (missed_max + 1) intervals -> DOWN. missed_max 2: window up to
    // last_rx + 3 * 100 + 50.
    let now = 50_000;
    let grace_over = now - 1000;
    let rx_in = now - 350;
    let rx_out = now - 351;
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Up, false, rx_in, 0, grace_over),
            false
        ),
        None
    );
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Up, false, rx_out, 0, grace_over),
            false
        ),
        Some(LinkState::Down)
    );
    // With a current ARP slave (we are searching for a new active one) the
    // backups are left alone.
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Up, false, rx_out, 0, grace_over),
            true
        ),
        None
    );
    // A backup's last_tx does not matter.
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Up, false, rx_in, 0, grace_over),
            false
        ),
        None
    );
}

#[test]
fn ab_active_down_on_stale_tx_or_rx() {
    // C: active slave, last_tx or last_rx outside missed_max intervals ->
    // DOWN (window up to last + 2 * 100 + 50), whatever current_arp_slave.
    let now = 50_000;
    let g = now - 1000;
    let fresh = now - 250;
    let stale = now - 251;
    for arp in [false, true] {
        assert_eq!(
            ab_inspect(
                &timing(now),
                &slave(LinkState::Up, true, fresh, fresh, g),
                arp
            ),
            None
        );
        assert_eq!(
            ab_inspect(
                &timing(now),
                &slave(LinkState::Up, true, fresh, stale, g),
                arp
            ),
            Some(LinkState::Down)
        );
        assert_eq!(
            ab_inspect(
                &timing(now),
                &slave(LinkState::Up, true, stale, fresh, g),
                arp
            ),
            Some(LinkState::Down)
        );
    }
}

#[test]
fn ab_future_timestamps_are_outside() {
    // A last_rx more than delta in the future is outside the window too
    // (time_in_range's lower bound).
    let now = 50_000;
    let s = slave(LinkState::Down, false, now + 101, 0, 0);
    assert_eq!(ab_inspect(&timing(now), &s, false), None);
    let s = slave(LinkState::Down, false, now + 100, 0, 0);
    assert_eq!(ab_inspect(&timing(now), &s, false), Some(LinkState::Up));
}

#[test]
fn ab_inspect_across_wrap() {
    let now = 40; // jiffies wrapped recently
    let rx = u64::MAX - 30; // 71 ticks ago
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Down, false, rx, 0, 0),
            false
        ),
        Some(LinkState::Up)
    );
    let link_up = u64::MAX - 100; // 141 ticks ago: within the 2 * delta grace
    assert_eq!(
        ab_inspect(
            &timing(now),
            &slave(LinkState::Up, true, 0, 0, link_up),
            false
        ),
        None
    );
}

fn link_state() -> impl Strategy<Value = LinkState> {
    prop::sample::select(LinkState::ALL.to_vec())
}

proptest! {
    #[test]
    fn ab_never_down_within_grace(
        link_up in any::<u64>(),
        since in 0u64..=250,
        rx in any::<u64>(),
        tx in any::<u64>(),
        active in any::<bool>(),
        arp in any::<bool>(),
        missed in 1u32..=255,
    ) {
        let t = ArpTiming { now: link_up.wrapping_add(since), delta: HZ_DELTA, missed_max: missed };
        let s = slave(LinkState::Up, active, rx, tx, link_up);
        prop_assert_eq!(ab_inspect(&t, &s, arp), None);
    }

    #[test]
    fn ab_proposals_are_c_transitions(
        now in any::<u64>(),
        s in (link_state(), any::<bool>(), any::<u64>(), any::<u64>(), any::<u64>()),
        arp in any::<bool>(),
        missed in 1u32..=255,
        delta in 1u64..5000,
    ) {
        let t = ArpTiming { now, delta, missed_max: missed };
        let sl = slave(s.0, s.1, s.2, s.3, s.4);
        let p = ab_inspect(&t, &sl, arp);
        match (s.0, p) {
            (_, None) => {}
            (LinkState::Up, Some(LinkState::Down)) => {
                prop_assert!(!in_interval(&t, sl.last_link_up, 2));
            }
            (LinkState::Back, Some(LinkState::Fail)) => {
                prop_assert!(!in_interval(&t, sl.last_rx, 1));
            }
            (l, Some(LinkState::Up)) => {
                prop_assert!(l != LinkState::Up);
                prop_assert!(in_interval(&t, sl.last_rx, 1));
            }
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn ab_matches_near_model(
        rx_age in 0u64..1000,
        tx_age in 0u64..1000,
        up_age in 0u64..1000,
        link in link_state(),
        active in any::<bool>(),
        arp in any::<bool>(),
        missed in 1u32..6,
        base in any::<u64>(),
    ) {
        // Model with plain integer ages (all in the past, delta 100).
        let now = base;
        let t = ArpTiming { now, delta: 100, missed_max: missed };
        let s = slave(link, active, now.wrapping_sub(rx_age), now.wrapping_sub(tx_age), now.wrapping_sub(up_age));
        let within = |age: u64, m: u64| age <= m * 100 + 50;
        let m = u64::from(missed);
        let expect = if link != LinkState::Up {
            if within(rx_age, 1) { Some(LinkState::Up) }
            else if link == LinkState::Back { Some(LinkState::Fail) }
            else { None }
        } else if within(up_age, 2) {
            None
        } else if !active {
            if !arp && !within(rx_age, m + 1) { Some(LinkState::Down) } else { None }
        } else if !within(tx_age, m) || !within(rx_age, m) {
            Some(LinkState::Down)
        } else {
            None
        };
        prop_assert_eq!(ab_inspect(&t, &s, arp), expect);
    }
}

// ---------------------------------------------------------------- ab_commit

fn cs(curr_active: CurrActive, is_primary: bool, prio: i32) -> CommitSlave {
    CommitSlave {
        curr_active,
        is_primary,
        prio,
    }
}

#[test]
fn ab_commit_up() {
    // C: BOND_LINK_UP is applied only when the slave is not
    // curr_active_slave; it releases current_arp_slave (inactive flags,
    // NULL) and fails over without an active slave, for the primary, or for
    // a higher prio.
    assert_eq!(
        ab_commit(LinkState::Up, &cs(CurrActive::This, true, 9)),
        None
    );
    let c = ab_commit(LinkState::Up, &cs(CurrActive::None, false, 0)).unwrap();
    assert_eq!(
        c,
        AbCommit {
            link: LinkState::Up,
            count_failure: false,
            set_inactive: false,
            arp_slave: ArpSlaveAction::DeactivateAndClear,
            message: Some("link status definitely up"),
            failover: true,
        }
    );
    let other = |prio| CurrActive::Other { prio };
    assert!(
        !ab_commit(LinkState::Up, &cs(other(0), false, 0))
            .unwrap()
            .failover
    );
    assert!(
        ab_commit(LinkState::Up, &cs(other(0), true, 0))
            .unwrap()
            .failover
    );
    assert!(
        ab_commit(LinkState::Up, &cs(other(0), false, 1))
            .unwrap()
            .failover
    );
    assert!(
        !ab_commit(LinkState::Up, &cs(other(5), false, 4))
            .unwrap()
            .failover
    );
    assert!(
        ab_commit(LinkState::Up, &cs(other(-5), false, -4))
            .unwrap()
            .failover
    );
}

#[test]
fn ab_commit_down() {
    // C: BOND_LINK_DOWN counts a failure, sets DOWN and inactive flags,
    // logs, and only for the active slave clears current_arp_slave and
    // fails over.
    let c = ab_commit(LinkState::Down, &cs(CurrActive::This, false, 0)).unwrap();
    assert_eq!(
        c,
        AbCommit {
            link: LinkState::Down,
            count_failure: true,
            set_inactive: true,
            arp_slave: ArpSlaveAction::Clear,
            message: Some("link status definitely down, disabling slave"),
            failover: true,
        }
    );
    for curr in [CurrActive::None, CurrActive::Other { prio: 3 }] {
        let c = ab_commit(LinkState::Down, &cs(curr, true, 0)).unwrap();
        assert_eq!(c.arp_slave, ArpSlaveAction::Keep);
        assert!(!c.failover);
        assert!(c.count_failure && c.set_inactive);
    }
}

#[test]
fn ab_commit_fail_and_back() {
    // C: BOND_LINK_FAIL sets FAIL and inactive flags, clears
    // current_arp_slave when there is an active slave; no message, no
    // failover. BACK is "impossible" and ignored.
    let c = ab_commit(LinkState::Fail, &cs(CurrActive::None, false, 0)).unwrap();
    assert_eq!(
        c,
        AbCommit {
            link: LinkState::Fail,
            count_failure: false,
            set_inactive: true,
            arp_slave: ArpSlaveAction::Keep,
            message: None,
            failover: false,
        }
    );
    for curr in [CurrActive::This, CurrActive::Other { prio: 0 }] {
        assert_eq!(
            ab_commit(LinkState::Fail, &cs(curr, false, 0))
                .unwrap()
                .arp_slave,
            ArpSlaveAction::Clear
        );
    }
    for curr in [
        CurrActive::None,
        CurrActive::This,
        CurrActive::Other { prio: 0 },
    ] {
        assert_eq!(ab_commit(LinkState::Back, &cs(curr, false, 0)), None);
    }
}

// --------------------------------------------------------------- lb_inspect

#[test]
fn lb_needs_both_tx_and_rx_to_come_up() {
    // C: slave->link != UP: both last_tx and last_rx within one interval.
    let now = 9_000;
    let t = timing(now);
    for link in [LinkState::Down, LinkState::Fail, LinkState::Back] {
        assert_eq!(
            lb_inspect(&t, link, now - 150, now - 150),
            Some(LinkState::Up)
        );
        assert_eq!(lb_inspect(&t, link, now - 151, now), None);
        assert_eq!(lb_inspect(&t, link, now, now - 151), None);
    }
}

#[test]
fn lb_up_goes_down_on_missed_max() {
    // C: link UP: last_tx or last_rx outside missed_max intervals -> DOWN.
    let now = 9_000;
    let t = timing(now); // missed_max 2: up to 250 ticks
    assert_eq!(lb_inspect(&t, LinkState::Up, now - 250, now - 250), None);
    assert_eq!(
        lb_inspect(&t, LinkState::Up, now - 251, now),
        Some(LinkState::Down)
    );
    assert_eq!(
        lb_inspect(&t, LinkState::Up, now, now - 251),
        Some(LinkState::Down)
    );
    // missed_max 1.
    let t = ArpTiming { missed_max: 1, ..t };
    assert_eq!(
        lb_inspect(&t, LinkState::Up, now - 151, now),
        Some(LinkState::Down)
    );
}

#[test]
fn lb_effects_match_c() {
    // Up with no oldcurrent: "link status definitely up" and failover.
    assert_eq!(
        lb_effects(LinkState::Up, false, false),
        Some(LbEffects {
            count_failure: false,
            message: "link status definitely up",
            failover: true
        })
    );
    // Up with an active slave: "interface is now up", no failover.
    assert_eq!(
        lb_effects(LinkState::Up, true, false),
        Some(LbEffects {
            count_failure: false,
            message: "interface is now up",
            failover: false
        })
    );
    // Down: counts a failure; failover only for the active slave.
    assert_eq!(
        lb_effects(LinkState::Down, true, true),
        Some(LbEffects {
            count_failure: true,
            message: "interface is now down",
            failover: true
        })
    );
    assert!(!lb_effects(LinkState::Down, true, false).unwrap().failover);
    assert_eq!(lb_effects(LinkState::Fail, true, false), None);
    assert_eq!(lb_effects(LinkState::Back, false, false), None);
}

// -------------------------------------------------------------- probe_next

#[test]
fn probe_rotation() {
    // C: the first up slave after current_arp_slave, else the first up slave
    // from the list head (which may be current_arp_slave itself).
    let up = [true, false, true, true];
    assert_eq!(probe_next(&up, None), Some(2)); // curr = first slave (0)
    assert_eq!(probe_next(&up, Some(0)), Some(2));
    assert_eq!(probe_next(&up, Some(2)), Some(3));
    assert_eq!(probe_next(&up, Some(3)), Some(0));
    assert_eq!(probe_next(&up, Some(1)), Some(2));
    // Only the current one is up: it is chosen again.
    assert_eq!(probe_next(&[false, true, false], Some(1)), Some(1));
    // Only the first: None -> curr is slave 0, nothing after it, wrap to 0.
    assert_eq!(probe_next(&[true, false], None), Some(0));
    // Nothing up, no slaves.
    assert_eq!(probe_next(&[false, false], Some(0)), None);
    assert_eq!(probe_next(&[], None), None);
    // A current ARP slave not in the list: the first up slave.
    assert_eq!(probe_next(&[false, true, true], Some(7)), Some(1));
    assert_eq!(probe_next(&[false, true, true], Some(usize::MAX)), Some(1));
}

#[test]
fn probe_marks_down_rule() {
    assert!(probe_marks_down(false, LinkState::Up));
    for l in [LinkState::Fail, LinkState::Down, LinkState::Back] {
        assert!(!probe_marks_down(false, l));
    }
    for l in LinkState::ALL {
        assert!(!probe_marks_down(true, l));
    }
}

/// C's loop, step by step, as a model.
fn c_probe(is_up: &[bool], curr: Option<usize>) -> Option<usize> {
    if is_up.is_empty() {
        return None;
    }
    let curr = curr.unwrap_or(0);
    let (mut found, mut before, mut new_slave) = (false, None, None);
    for (i, &up) in is_up.iter().enumerate() {
        if !found && before.is_none() && up {
            before = Some(i);
        }
        if found && new_slave.is_none() && up {
            new_slave = Some(i);
        }
        if i == curr {
            found = true;
        }
    }
    new_slave.or(before)
}

proptest! {
    #[test]
    fn probe_next_picks_an_up_slave_in_rotation(
        is_up in prop::collection::vec(any::<bool>(), 0..20),
        curr in prop::option::of(0usize..25),
    ) {
        let got = probe_next(&is_up, curr);
        prop_assert_eq!(got, c_probe(&is_up, curr));
        let any_up = is_up.iter().any(|&u| u);
        prop_assert_eq!(got.is_some(), any_up);
        if let Some(i) = got {
            prop_assert!(is_up[i]);
            // Rotation: no up slave strictly between curr and the choice
            // (cyclically), when curr is in the list.
            let c = curr.unwrap_or(0);
            if c < is_up.len() {
                let n = is_up.len();
                let mut j = (c + 1) % n;
                while j != i {
                    prop_assert!(!is_up[j], "skipped up slave {}", j);
                    j = (j + 1) % n;
                }
            }
        }
    }
}

// ---------------------------------------------------------------- rx_probe

#[test]
fn rx_probe_matrix() {
    // (arp_validate, validates on active, validates on backup, filter) from
    // BOND_ARP_VALIDATE_* / BOND_ARP_FILTER*.
    let table = [
        (0u64, false, false, false), // none
        (1, true, false, false),     // active
        (2, false, true, false),     // backup
        (3, true, true, false),      // all
        (4, false, false, true),     // filter
        (5, true, false, true),      // filter_active
        (6, false, true, true),      // filter_backup
    ];
    let protos = [ETH_P_ARP, ETH_P_IPV6, ETH_P_IP, 0x8100, 0];
    for (value, on_active, on_backup, filter) in table {
        for backup in [false, true] {
            let validates = if backup { on_backup } else { on_active };
            for proto in protos {
                for ipv6 in [false, true] {
                    let expect = if validates {
                        match proto {
                            ETH_P_ARP => RxProbe::Arp,
                            ETH_P_IPV6 if ipv6 => RxProbe::Na,
                            _ => RxProbe::Ignore,
                        }
                    } else if !filter || proto == ETH_P_ARP || proto == ETH_P_IPV6 {
                        RxProbe::TouchLastRx
                    } else {
                        RxProbe::Ignore
                    };
                    assert_eq!(
                        rx_probe(value, backup, proto, ipv6),
                        expect,
                        "arp_validate={value} backup={backup} proto={proto:#x} ipv6={ipv6}"
                    );
                }
            }
        }
    }
}

#[test]
fn rx_probe_examples() {
    // arp_validate=none: every frame refreshes last_rx.
    assert_eq!(
        rx_probe(ARP_VALIDATE_NONE, true, ETH_P_IP, true),
        RxProbe::TouchLastRx
    );
    // filter: a backup slave's IPv4 traffic does not count, its ARP does.
    assert_eq!(rx_probe(ARP_FILTER, true, ETH_P_IP, true), RxProbe::Ignore);
    assert_eq!(
        rx_probe(ARP_FILTER, true, ETH_P_ARP, true),
        RxProbe::TouchLastRx
    );
    // filter: IPv6 counts even with IPv6 disabled.
    assert_eq!(
        rx_probe(ARP_FILTER, false, ETH_P_IPV6, false),
        RxProbe::TouchLastRx
    );
    // validate on an IPv6 frame with IPv6 disabled: ignored.
    assert_eq!(
        rx_probe(ARP_VALIDATE_ALL, false, ETH_P_IPV6, false),
        RxProbe::Ignore
    );
    assert_eq!(
        rx_probe(ARP_FILTER_BACKUP, true, ETH_P_IPV6, true),
        RxProbe::Na
    );
    assert_eq!(
        rx_probe(ARP_FILTER_ACTIVE, false, ETH_P_ARP, true),
        RxProbe::Arp
    );
    assert_eq!(
        rx_probe(ARP_VALIDATE_ACTIVE, true, ETH_P_ARP, true),
        RxProbe::TouchLastRx
    );
    assert_eq!(
        rx_probe(ARP_VALIDATE_BACKUP, false, ETH_P_IP, true),
        RxProbe::TouchLastRx
    );
}

// ---------------------------------------------------------------- parse_arp

fn arp_packet(addr_len: u8, op: u16, sip: [u8; 4], tip: [u8; 4]) -> Vec<u8> {
    let mut p = Vec::new();
    p.extend_from_slice(&ARPHRD_ETHER.to_be_bytes());
    p.extend_from_slice(&ETH_P_IP.to_be_bytes());
    p.push(addr_len);
    p.push(4);
    p.extend_from_slice(&op.to_be_bytes());
    p.extend((0..addr_len).map(|i| 0xa0u8.wrapping_add(i))); // sender hw
    p.extend_from_slice(&sip);
    p.extend((0..addr_len).map(|i| 0xb0u8.wrapping_add(i))); // target hw
    p.extend_from_slice(&tip);
    p
}

const SIP: [u8; 4] = [192, 168, 1, 1];
const TIP: [u8; 4] = [192, 168, 1, 2];

#[test]
fn parse_arp_reads_addresses() {
    let p = arp_packet(6, ARPOP_REPLY, SIP, TIP);
    assert_eq!(p.len(), arp_len(6));
    assert_eq!(arp_len(6), 28);
    assert_eq!(
        parse_arp(&p, 6, 0),
        Some(ArpInfo {
            op: ARPOP_REPLY,
            sip: SIP,
            tip: TIP
        })
    );
    // Trailing bytes (padding) are fine; any op is accepted.
    let mut q = arp_packet(6, 0x1234, SIP, TIP);
    q.extend_from_slice(&[0; 18]);
    assert_eq!(parse_arp(&q, 6, 1).map(|a| a.op), Some(0x1234));
    // Other hardware address lengths, as long as the bond's matches.
    for hln in [0u8, 4, 8, 20, 32, 255] {
        let p = arp_packet(hln, ARPOP_REQUEST, SIP, TIP);
        assert_eq!(
            parse_arp(&p, hln, 0).map(|a| (a.sip, a.tip)),
            Some((SIP, TIP)),
            "hln={hln}"
        );
    }
}

#[test]
fn parse_arp_rejects_each_bad_field() {
    let good = arp_packet(6, ARPOP_REQUEST, SIP, TIP);
    // Too short by one byte (C: skb_copy_bits fails).
    assert_eq!(parse_arp(&good[..good.len() - 1], 6, 0), None);
    assert_eq!(parse_arp(&[], 6, 0), None);
    // ar_hln != dev->addr_len.
    assert_eq!(parse_arp(&good, 8, 0), None);
    let mut p = good.clone();
    p[4] = 5;
    assert_eq!(parse_arp(&p, 6, 0), None);
    // PACKET_OTHERHOST and PACKET_LOOPBACK; other types are fine.
    assert_eq!(parse_arp(&good, 6, PACKET_OTHERHOST), None);
    assert_eq!(parse_arp(&good, 6, PACKET_LOOPBACK), None);
    for pt in [0u8, 1, 2, 4, 6, 7] {
        assert!(parse_arp(&good, 6, pt).is_some(), "pkt_type {pt}");
    }
    // ar_hrd != ARPHRD_ETHER (e.g. ARPHRD_INFINIBAND 32).
    let mut p = good.clone();
    p[1] = 32;
    assert_eq!(parse_arp(&p, 6, 0), None);
    let mut p = good.clone();
    p[0] = 1; // 0x0101
    assert_eq!(parse_arp(&p, 6, 0), None);
    // ar_pro != ETH_P_IP.
    let mut p = good.clone();
    p[2..4].copy_from_slice(&ETH_P_IPV6.to_be_bytes());
    assert_eq!(parse_arp(&p, 6, 0), None);
    // ar_pln != 4.
    let mut p = good.clone();
    p[5] = 16;
    assert_eq!(parse_arp(&p, 6, 0), None);
}

proptest! {
    #[test]
    fn parse_arp_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..80), hln in any::<u8>(), pt in any::<u8>()) {
        if let Some(info) = parse_arp(&bytes, hln, pt) {
            let h = hln as usize;
            prop_assert!(bytes.len() >= 8 + 2 * (h + 4));
            prop_assert_eq!(&bytes[0..2], &[0, 1]);
            prop_assert_eq!(&bytes[2..4], &[8, 0]);
            prop_assert_eq!(bytes[4], hln);
            prop_assert_eq!(bytes[5], 4);
            prop_assert!(pt != PACKET_OTHERHOST && pt != PACKET_LOOPBACK);
            prop_assert_eq!(&info.sip[..], &bytes[8 + h..12 + h]);
            prop_assert_eq!(&info.tip[..], &bytes[12 + 2 * h..16 + 2 * h]);
        }
    }

    #[test]
    fn parse_arp_single_byte_corruption(pos in 0usize..6, val in any::<u8>(), hln in 0u8..40) {
        let good = arp_packet(hln, ARPOP_REPLY, SIP, TIP);
        let mut p = good.clone();
        p[pos] = val;
        let ok = parse_arp(&p, hln, 0).is_some();
        prop_assert_eq!(ok, p[..6] == good[..6]);
    }

    #[test]
    fn parse_arp_any_truncation_rejected(hln in 0u8..40, cut in 1usize..100) {
        let good = arp_packet(hln, ARPOP_REPLY, SIP, TIP);
        let cut = cut.min(good.len());
        prop_assert_eq!(parse_arp(&good[..good.len() - cut], hln, 0), None);
    }
}

// -------------------------------------------------------------- parse_ns_na

fn ipv6_icmp(icmp_type: u8, src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0, 0, 24, NEXTHDR_ICMP, 255];
    p.extend_from_slice(&src);
    p.extend_from_slice(&dst);
    p.extend_from_slice(&[icmp_type, 0, 0xab, 0xcd, 0, 0, 0, 0]);
    p
}

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[0] = 0xfe;
    a[1] = 0x80;
    a[15] = last;
    a
}

#[test]
fn parse_ns_na_accepts_ns_and_na() {
    for ty in [NDISC_NEIGHBOUR_SOLICITATION, NDISC_NEIGHBOUR_ADVERTISEMENT] {
        let p = ipv6_icmp(ty, v6(1), v6(2));
        assert_eq!(p.len(), NS_NA_LEN);
        assert_eq!(parse_ns_na(&p, 0), Some((v6(1), v6(2))));
        // Nothing else is checked: version, hop limit, code, checksum.
        let mut q = p.clone();
        q[0] = 0;
        q[7] = 1;
        q[41] = 9;
        q.extend_from_slice(&[1, 2, 3]);
        assert_eq!(parse_ns_na(&q, 2), Some((v6(1), v6(2))));
    }
}

#[test]
fn parse_ns_na_rejects() {
    let good = ipv6_icmp(NDISC_NEIGHBOUR_ADVERTISEMENT, v6(1), v6(2));
    assert_eq!(parse_ns_na(&good[..47], 0), None);
    assert_eq!(parse_ns_na(&[], 0), None);
    assert_eq!(parse_ns_na(&good, PACKET_OTHERHOST), None);
    assert_eq!(parse_ns_na(&good, PACKET_LOOPBACK), None);
    let mut p = good.clone();
    p[6] = 0; // hop-by-hop options first: not followed
    assert_eq!(parse_ns_na(&p, 0), None);
    for ty in [0u8, 128, 129, 133, 134, 137, 255] {
        let p = ipv6_icmp(ty, v6(1), v6(2));
        assert_eq!(parse_ns_na(&p, 0), None, "type {ty}");
    }
}

proptest! {
    #[test]
    fn parse_ns_na_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..100), pt in any::<u8>()) {
        if let Some((s, d)) = parse_ns_na(&bytes, pt) {
            prop_assert!(bytes.len() >= 48);
            prop_assert_eq!(bytes[6], 58);
            prop_assert!(bytes[40] == 135 || bytes[40] == 136);
            prop_assert!(pt != 3 && pt != 5);
            prop_assert_eq!(&s[..], &bytes[8..24]);
            prop_assert_eq!(&d[..], &bytes[24..40]);
        }
    }
}

// -------------------------------------------------------------------- trust

#[test]
fn trust_rules_in_c_order() {
    let now = 20_000;
    let t = timing(now);
    // (a) active receiver: direct, whatever else.
    assert_eq!(trust(&t, true, None, None, false), Trust::Direct);
    assert_eq!(
        trust(&t, true, Some((0, 100)), Some(0), false),
        Trust::Direct
    );
    // (b) backup receiver, the active slave received after it came up:
    // swapped (it is checking the active slave's broadcast request).
    assert_eq!(
        trust(&t, false, Some((now - 5, now - 10)), None, false),
        Trust::Swapped
    );
    // time_after is strict: equal times do not count.
    assert_eq!(
        trust(&t, false, Some((now - 10, now - 10)), None, true),
        Trust::No
    );
    // (b) beats (c).
    assert_eq!(
        trust(&t, false, Some((now, now - 1)), Some(now), true),
        Trust::Swapped
    );
    // (c) an ARP slave that sent within one interval, and a reply.
    assert_eq!(trust(&t, false, None, Some(now - 150), true), Trust::Direct);
    assert_eq!(trust(&t, false, None, Some(now - 151), true), Trust::No);
    assert_eq!(trust(&t, false, None, Some(now - 10), false), Trust::No);
    // (b) not met falls through to (c).
    assert_eq!(
        trust(&t, false, Some((now - 10, now)), Some(now), true),
        Trust::Direct
    );
    // Nothing.
    assert_eq!(trust(&t, false, None, None, true), Trust::No);
    // Across the wrap: last_rx just after it, last_link_up just before.
    assert_eq!(
        trust(&t, false, Some((3, u64::MAX - 3)), None, false),
        Trust::Swapped
    );
}

// ------------------------------------------------------------ slave_last_rx

#[test]
fn last_rx_any_and_all() {
    let rx = [500, 300, 400, 100, 50];
    // arp_all_targets=any: last_rx.
    assert_eq!(slave_last_rx(false, 999, &rx, 3), 999);
    // all: the oldest of the first n_arp_targets slots.
    assert_eq!(slave_last_rx(true, 999, &rx, 3), 300);
    assert_eq!(slave_last_rx(true, 999, &rx, 4), 100);
    assert_eq!(slave_last_rx(true, 999, &rx, 1), 500);
    // No ARP target (e.g. NS targets only): C still returns slot 0.
    assert_eq!(slave_last_rx(true, 999, &rx, 0), 500);
    // More targets than slots given: only the slots there are.
    assert_eq!(slave_last_rx(true, 999, &rx, 16), 50);
    assert_eq!(slave_last_rx(true, 999, &[], 3), 999);
    // The loop is bounded by BOND_MAX_ARP_TARGETS.
    let mut many = [1000u64; 20];
    many[17] = 1;
    assert_eq!(slave_last_rx(true, 0, &many, 20), 1000);
    many[15] = 2;
    assert_eq!(slave_last_rx(true, 0, &many, 20), 2);
}

#[test]
fn last_rx_all_wraps() {
    // "Oldest" is time_before: a value just before the wrap is older than
    // one just after it.
    let rx = [5, u64::MAX - 5, 10];
    assert_eq!(slave_last_rx(true, 0, &rx, 3), u64::MAX - 5);
}

proptest! {
    #[test]
    fn last_rx_all_is_oldest(base in any::<u64>(), ages in prop::collection::vec(0u64..1_000_000, 1..16), n in 0usize..20) {
        let rx: Vec<u64> = ages.iter().map(|a| base.wrapping_sub(*a)).collect();
        let k = n.clamp(1, rx.len());
        let oldest = ages[..k].iter().max().unwrap();
        prop_assert_eq!(slave_last_rx(true, 7, &rx, n), base.wrapping_sub(*oldest));
    }
}
