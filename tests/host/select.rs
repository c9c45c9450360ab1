// SPDX-License-Identifier: GPL-2.0

//! Active-slave selection must follow C's bond_find_best_slave /
//! bond_choose_primary_or_current (7.2, with per-slave prio).

use proptest::prelude::*;
use rbond_host::monitor::link::LinkState;
use rbond_host::monitor::select::{
    choose_primary_or_current, find_best, highest_prio, is_better, peer_notify_count,
    should_notify_peers, Candidate, Choice, Reselect, DUPLEX_FULL, DUPLEX_HALF, DUPLEX_UNKNOWN,
    SPEED_UNKNOWN,
};

use LinkState::{Back, Down, Fail, Up};

fn c(link: LinkState) -> Candidate {
    Candidate {
        link,
        is_up: matches!(link, Up | Back),
        speed: 1000,
        duplex: DUPLEX_FULL,
        delay: 0,
        prio: 0,
    }
}

fn prio(link: LinkState, prio: i32) -> Candidate {
    Candidate { prio, ..c(link) }
}

fn sd(link: LinkState, speed: u32, duplex: u8) -> Candidate {
    Candidate {
        speed,
        duplex,
        ..c(link)
    }
}

fn back(delay: i32, is_up: bool) -> Candidate {
    Candidate {
        delay,
        is_up,
        ..c(Back)
    }
}

fn best(
    s: &[Candidate],
    primary: Option<usize>,
    curr: Option<usize>,
    r: Reselect,
    force: bool,
) -> Option<usize> {
    find_best(s, primary, curr, r, force, 5).best
}

const ALL: [Reselect; 3] = [Reselect::Always, Reselect::Better, Reselect::Failure];

// ---------------------------------------------------------------- unit tests

#[test]
fn reselect_values_match_c() {
    for (i, r) in ALL.iter().enumerate() {
        assert_eq!(r.value(), i as u64);
        assert_eq!(Reselect::from_value(i as u64), Some(*r));
    }
    assert_eq!(Reselect::from_value(3), None);
    assert_eq!(Reselect::default(), Reselect::Always);
}

#[test]
fn no_slaves_no_choice() {
    for r in ALL {
        let ch = find_best(&[], None, None, r, true, 3);
        assert_eq!(
            ch,
            Choice {
                best: None,
                force_primary_consumed: false
            }
        );
    }
}

#[test]
fn first_up_slave_when_nothing_active() {
    let s = [c(Down), c(Up), c(Up)];
    for r in ALL {
        assert_eq!(best(&s, None, None, r, false), Some(1));
    }
}

#[test]
fn highest_prio_picks_greatest_then_first() {
    assert_eq!(highest_prio(&[]), None);
    assert_eq!(highest_prio(&[c(Down), c(Fail), c(Back)]), None);
    assert_eq!(
        highest_prio(&[prio(Up, 1), prio(Up, 3), prio(Up, 3)]),
        Some(1)
    );
    // A down slave's priority does not count.
    assert_eq!(highest_prio(&[prio(Down, 9), prio(Up, -2)]), Some(1));
    assert_eq!(highest_prio(&[prio(Up, -5), prio(Up, -6)]), Some(0));
}

#[test]
fn prio_wins_without_primary() {
    let s = [prio(Up, 1), prio(Up, 5), prio(Up, 2)];
    // Current slave 0 is up: always reselects to the highest priority.
    assert_eq!(best(&s, None, Some(0), Reselect::Always, false), Some(1));
    // failure keeps the current slave while it is up.
    assert_eq!(best(&s, None, Some(0), Reselect::Failure, false), Some(0));
    // Current down: the highest priority whatever the policy.
    let s = [prio(Down, 1), prio(Up, 5), prio(Up, 2)];
    for r in ALL {
        assert_eq!(best(&s, None, Some(0), r, false), Some(1));
    }
}

#[test]
fn equal_prio_always_moves_to_first_up_slave() {
    // C's 7.2 behaviour: with no primary and equal priorities, the first up
    // slave is the priority pick, and `always` prefers it to the current.
    let s = [c(Up), c(Up)];
    assert_eq!(best(&s, None, Some(1), Reselect::Always, false), Some(0));
    assert_eq!(best(&s, None, Some(1), Reselect::Failure, false), Some(1));
    // better: equal speed and duplex keep the current slave.
    assert_eq!(best(&s, None, Some(1), Reselect::Better, false), Some(1));
}

#[test]
fn prio_pick_equal_to_current_keeps_it() {
    let s = [prio(Up, 1), prio(Up, 7)];
    for r in ALL {
        assert_eq!(best(&s, None, Some(1), r, false), Some(1));
    }
}

#[test]
fn primary_down_falls_back_to_prio() {
    let s = [prio(Down, 100), prio(Up, 1), prio(Up, 4)];
    assert_eq!(best(&s, Some(0), Some(1), Reselect::Always, false), Some(2));
    // better: same speed and duplex, the current slave stays.
    assert_eq!(best(&s, Some(0), Some(1), Reselect::Better, false), Some(1));
    assert_eq!(
        best(&s, Some(0), Some(1), Reselect::Failure, false),
        Some(1)
    );
    // better: a faster priority pick takes over.
    let s = [
        prio(Down, 100),
        prio(Up, 1),
        Candidate {
            speed: 10_000,
            ..prio(Up, 4)
        },
    ];
    assert_eq!(best(&s, Some(0), Some(1), Reselect::Better, false), Some(2));
    // A primary in Back or Fail is not up either.
    let s = [prio(Back, 0), prio(Up, 0)];
    assert_eq!(best(&s, Some(0), None, Reselect::Always, false), Some(1));
    let s = [prio(Fail, 0), prio(Up, 0)];
    assert_eq!(best(&s, Some(0), Some(0), Reselect::Always, false), Some(1));
}

#[test]
fn primary_up_ignores_prio() {
    let s = [prio(Up, 0), prio(Up, 50)];
    assert_eq!(best(&s, Some(0), Some(1), Reselect::Always, false), Some(0));
    assert_eq!(best(&s, Some(0), None, Reselect::Failure, false), Some(0));
}

#[test]
fn force_primary_overrides_policy_and_is_consumed() {
    let s = [c(Up), c(Up)];
    let ch = find_best(&s, Some(1), Some(0), Reselect::Failure, true, 0);
    assert_eq!(
        ch,
        Choice {
            best: Some(1),
            force_primary_consumed: true
        }
    );
    // Without force, failure keeps the current slave.
    let ch = find_best(&s, Some(1), Some(0), Reselect::Failure, false, 0);
    assert_eq!(
        ch,
        Choice {
            best: Some(0),
            force_primary_consumed: false
        }
    );
}

#[test]
fn force_primary_kept_when_primary_not_up() {
    let s = [c(Up), c(Down)];
    let ch = find_best(&s, Some(1), Some(0), Reselect::Always, true, 0);
    assert_eq!(
        ch,
        Choice {
            best: Some(0),
            force_primary_consumed: false
        }
    );
    // No primary at all: force is not consumed either.
    let ch = find_best(&s, None, None, Reselect::Always, true, 0);
    assert!(!ch.force_primary_consumed);
}

#[test]
fn primary_when_current_missing_or_down() {
    let s = [c(Up), c(Down), c(Up)];
    for r in ALL {
        assert_eq!(best(&s, Some(2), None, r, false), Some(2));
        assert_eq!(best(&s, Some(2), Some(1), r, false), Some(2));
    }
}

#[test]
fn always_and_failure_with_both_up() {
    let s = [c(Up), c(Up)];
    assert_eq!(best(&s, Some(1), Some(0), Reselect::Always, false), Some(1));
    assert_eq!(
        best(&s, Some(1), Some(0), Reselect::Failure, false),
        Some(0)
    );
}

#[test]
fn better_compares_speed_then_duplex() {
    let cases = [
        // (primary speed, duplex, current speed, duplex, primary wins)
        (10_000, DUPLEX_HALF, 1000, DUPLEX_FULL, true),
        (100, DUPLEX_FULL, 1000, DUPLEX_HALF, false),
        (1000, DUPLEX_FULL, 1000, DUPLEX_HALF, true),
        (1000, DUPLEX_FULL, 1000, DUPLEX_FULL, false),
        (1000, DUPLEX_HALF, 1000, DUPLEX_FULL, false),
        // Unsigned comparison: unknown speed and duplex count as largest.
        (SPEED_UNKNOWN, DUPLEX_HALF, 100_000, DUPLEX_FULL, true),
        (100_000, DUPLEX_FULL, SPEED_UNKNOWN, DUPLEX_HALF, false),
        (1000, DUPLEX_UNKNOWN, 1000, DUPLEX_FULL, true),
        (1000, DUPLEX_FULL, 1000, DUPLEX_UNKNOWN, false),
    ];
    for (ps, pd, cs, cd, wins) in cases {
        let s = [sd(Up, cs, cd), sd(Up, ps, pd)];
        assert_eq!(is_better(&s[1], &s[0]), wins, "{ps} {pd} vs {cs} {cd}");
        let expected = if wins { 1 } else { 0 };
        assert_eq!(
            best(&s, Some(1), Some(0), Reselect::Better, false),
            Some(expected)
        );
    }
}

#[test]
fn back_slave_with_smallest_delay_below_updelay() {
    let s = [c(Down), back(3, true), back(1, true), back(1, true)];
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 5).best,
        Some(2)
    );
    // Only delays strictly below the bond's updelay qualify.
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 1).best,
        None
    );
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 2).best,
        Some(2)
    );
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 4).best,
        Some(2)
    );
    let s = [back(3, true), back(4, true)];
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 4).best,
        Some(0)
    );
}

#[test]
fn back_slave_must_have_carrier() {
    let s = [back(0, false), back(2, true)];
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 5).best,
        Some(1)
    );
    let s = [back(0, false)];
    assert_eq!(
        find_best(&s, None, None, Reselect::Always, false, 5).best,
        None
    );
}

#[test]
fn up_slave_beats_back_slaves() {
    let s = [back(0, true), c(Down), c(Up)];
    assert_eq!(
        find_best(&s, None, Some(1), Reselect::Always, false, 5).best,
        Some(2)
    );
}

#[test]
fn current_down_and_no_up_slave_gives_back_or_none() {
    let s = [c(Down), c(Fail)];
    assert_eq!(best(&s, Some(0), Some(1), Reselect::Always, false), None);
    let s = [c(Fail), back(0, true)];
    assert_eq!(best(&s, Some(0), Some(0), Reselect::Always, false), Some(1));
}

#[test]
fn out_of_range_indices_are_absent() {
    let s = [c(Up), c(Up)];
    assert_eq!(best(&s, Some(9), Some(1), Reselect::Failure, true), Some(1));
    assert_eq!(
        best(&s, Some(1), Some(9), Reselect::Failure, false),
        Some(1)
    );
    assert_eq!(best(&s, None, Some(9), Reselect::Failure, false), Some(0));
}

#[test]
fn choose_alone_never_picks_back() {
    let s = [back(0, true)];
    let ch = choose_primary_or_current(&s, Some(0), Some(0), Reselect::Always, true);
    assert_eq!(ch.best, None);
    assert!(!ch.force_primary_consumed);
}

#[test]
fn peer_notification_rules() {
    assert!(!should_notify_peers(0, 0, true, true));
    assert!(should_notify_peers(1, 0, true, true));
    assert!(should_notify_peers(3, 1, true, true));
    assert!(!should_notify_peers(3, 1, false, true));
    assert!(!should_notify_peers(3, 1, true, false));
    assert!(should_notify_peers(6, 3, true, true));
    assert!(!should_notify_peers(5, 3, true, true));
    assert!(should_notify_peers(5, -4, true, true));
    assert_eq!(peer_notify_count(2, 0), 2);
    assert_eq!(peer_notify_count(2, 3), 6);
    assert_eq!(peer_notify_count(0, 3), 0);
    assert_eq!(peer_notify_count(255, -1), 255);
}

// ------------------------------------------------------------ property tests

/// A direct transcription of the C functions, with pointers as indices.
fn c_model(
    s: &[Candidate],
    primary: Option<usize>,
    curr: Option<usize>,
    reselect: u8,
    force_primary: &mut bool,
    updelay: i32,
) -> Option<usize> {
    let link_up = |i: usize| s[i].link == Up;
    // bond_choose_primary_or_current
    let chosen = 'choose: {
        let mut prim = primary;
        let mut goto_reselect = false;
        if prim.is_none() || !link_up(prim.unwrap_or(0)) {
            let mut hprio: Option<usize> = None;
            for i in 0..s.len() {
                if link_up(i) {
                    if hprio.is_none() {
                        hprio = Some(i);
                    }
                    if s[i].prio > s[hprio.unwrap_or(i)].prio {
                        hprio = Some(i);
                    }
                }
            }
            if hprio.is_some() && hprio != curr {
                prim = hprio;
                goto_reselect = true;
            } else {
                match curr {
                    Some(c) if link_up(c) => break 'choose Some(c),
                    _ => break 'choose None,
                }
            }
        }
        if !goto_reselect && *force_primary {
            *force_primary = false;
            break 'choose prim;
        }
        let (Some(p), Some(c)) = (prim, curr) else {
            break 'choose prim;
        };
        if !link_up(c) {
            break 'choose prim;
        }
        match reselect {
            0 => Some(p),
            1 => {
                if s[p].speed < s[c].speed {
                    return Some(c);
                }
                if s[p].speed == s[c].speed && s[p].duplex <= s[c].duplex {
                    return Some(c);
                }
                Some(p)
            }
            _ => Some(c),
        }
    };
    if chosen.is_some() {
        return chosen;
    }
    // bond_find_best_slave
    let mut mintime = updelay;
    let mut bestslave = None;
    for (i, sl) in s.iter().enumerate() {
        if sl.link == Up {
            return Some(i);
        }
        if sl.link == Back && sl.is_up && sl.delay < mintime {
            mintime = sl.delay;
            bestslave = Some(i);
        }
    }
    bestslave
}

fn link() -> impl Strategy<Value = LinkState> {
    prop_oneof![Just(Up), Just(Fail), Just(Down), Just(Back)]
}

fn candidate() -> impl Strategy<Value = Candidate> {
    (
        link(),
        any::<bool>(),
        prop_oneof![Just(10u32), Just(100), Just(1000), Just(SPEED_UNKNOWN)],
        prop_oneof![Just(DUPLEX_HALF), Just(DUPLEX_FULL), Just(DUPLEX_UNKNOWN)],
        -1i32..6,
        -2i32..3,
    )
        .prop_map(|(link, is_up, speed, duplex, delay, prio)| Candidate {
            link,
            is_up,
            speed,
            duplex,
            delay,
            prio,
        })
}

fn scenario() -> impl Strategy<Value = (Vec<Candidate>, Option<usize>, Option<usize>)> {
    proptest::collection::vec(candidate(), 0..7).prop_flat_map(|s| {
        let n = s.len();
        let idx = proptest::option::of(0..n.max(1));
        (Just(s), idx.clone(), idx).prop_map(move |(s, p, c)| {
            let keep = |i: Option<usize>| i.filter(|&i| i < n);
            (s, keep(p), keep(c))
        })
    })
}

proptest! {
    #[test]
    fn matches_c_model(
        (slaves, primary, curr) in scenario(),
        reselect in 0u8..3,
        force in any::<bool>(),
        updelay in 0i32..6,
    ) {
        let r = Reselect::from_value(u64::from(reselect)).unwrap_or_default();
        let ours = find_best(&slaves, primary, curr, r, force, updelay);
        let mut their_force = force;
        let theirs = c_model(&slaves, primary, curr, reselect, &mut their_force, updelay);
        prop_assert_eq!(ours.best, theirs);
        prop_assert_eq!(ours.force_primary_consumed, force && !their_force);
    }

    #[test]
    fn choice_is_usable(
        (slaves, primary, curr) in scenario(),
        reselect in 0u8..3,
        force in any::<bool>(),
        updelay in 0i32..6,
    ) {
        let r = Reselect::from_value(u64::from(reselect)).unwrap_or_default();
        let ch = find_best(&slaves, primary, curr, r, force, updelay);
        let any_up = slaves.iter().any(|s| s.link == Up);
        match ch.best {
            Some(i) => {
                let s = slaves[i];
                prop_assert!(s.link == Up || (s.link == Back && s.is_up && s.delay < updelay));
                // An up slave is always preferred to a Back one.
                prop_assert_eq!(s.link == Up, any_up);
            }
            None => prop_assert!(!any_up),
        }
        if ch.force_primary_consumed {
            prop_assert!(force);
            prop_assert_eq!(ch.best, primary);
        }
        // A current slave that is up and the priority pick is kept.
        if let Some(c) = curr {
            if slaves[c].link == Up && primary.is_none() && highest_prio(&slaves) == Some(c) {
                prop_assert_eq!(ch.best, Some(c));
            }
        }
    }
}
