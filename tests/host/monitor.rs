// SPDX-License-Identifier: GPL-2.0

//! The MII link state machine must follow C's bond_miimon_inspect /
//! bond_miimon_commit, and carrier events must never shorten a delay.

use proptest::prelude::*;
use rbond_host::monitor::link::{
    delay_ms_to_ticks, Delays, Event, LinkState, MiiPass, RoundedDelay, SlaveLink, Trigger,
};

fn d(updelay: u32, downdelay: u32) -> Delays {
    Delays { updelay, downdelay }
}

fn up() -> SlaveLink {
    SlaveLink::new(LinkState::Up, 0)
}

fn down() -> SlaveLink {
    SlaveLink::new(LinkState::Down, 0)
}

// ---------------------------------------------------------------- unit tests

#[test]
fn states_match_c_values_and_names() {
    let names = ["up", "going down", "down", "going back"];
    for (i, s) in LinkState::ALL.iter().enumerate() {
        assert_eq!(s.to_c(), i as i8);
        assert_eq!(LinkState::from_c(i as i8), Some(*s));
        assert_eq!(s.name(), names[i]);
    }
    assert_eq!(LinkState::from_c(-1), None);
    assert_eq!(LinkState::from_c(4), None);
}

#[test]
fn steady_states_do_nothing() {
    let mut s = up();
    assert_eq!(s.tick(true, d(3, 3), false), Event::None);
    assert_eq!(s, up());
    let mut s = down();
    assert_eq!(s.tick(false, d(3, 3), true), Event::None);
    assert_eq!(s, down());
}

#[test]
fn downdelay_counts_ticks_then_down() {
    let mut s = up();
    let dl = d(0, 2);
    // Tick 1: carrier lost, Fail; C counts the first tick at once.
    assert_eq!(s.tick(false, dl, false), Event::Fail);
    assert_eq!((s.state(), s.delay()), (LinkState::Fail, 1));
    // Tick 2: still failing.
    assert_eq!(s.tick(false, dl, false), Event::None);
    assert_eq!((s.state(), s.delay()), (LinkState::Fail, 0));
    // Tick 3: the counter had expired: down.
    assert_eq!(s.tick(false, dl, false), Event::Down);
    assert_eq!(s.state(), LinkState::Down);
    // Stays down.
    assert_eq!(s.tick(false, dl, false), Event::None);
    assert_eq!(s.state(), LinkState::Down);
}

#[test]
fn downdelay_zero_is_immediate() {
    let mut s = up();
    assert_eq!(s.tick(false, d(5, 0), false), Event::Down);
    assert_eq!(s.state(), LinkState::Down);
}

#[test]
fn recovery_during_fail() {
    let mut s = up();
    let dl = d(0, 3);
    assert_eq!(s.tick(false, dl, false), Event::Fail); // delay 2
    assert_eq!(s.tick(false, dl, false), Event::None); // delay 1
    assert_eq!(s.tick(true, dl, false), Event::Recovered { ticks: 2 });
    assert_eq!(s.state(), LinkState::Up);
    // Recovery on the tick right after Fail reports one tick.
    let mut s = up();
    s.tick(false, dl, false);
    assert_eq!(s.tick(true, dl, false), Event::Recovered { ticks: 1 });
}

#[test]
fn recovery_after_downdelay_lowered_is_negative_as_in_c() {
    let mut s = SlaveLink::new(LinkState::Fail, 5);
    assert_eq!(s.tick(true, d(0, 2), false), Event::Recovered { ticks: -3 });
}

#[test]
fn updelay_counts_ticks_then_up() {
    let mut s = down();
    let dl = d(2, 0);
    assert_eq!(s.tick(true, dl, false), Event::Back);
    assert_eq!((s.state(), s.delay()), (LinkState::Back, 1));
    assert_eq!(s.tick(true, dl, false), Event::None);
    assert_eq!((s.state(), s.delay()), (LinkState::Back, 0));
    assert_eq!(s.tick(true, dl, false), Event::Up { announce: false });
    assert_eq!(s.state(), LinkState::Up);
}

#[test]
fn updelay_zero_is_immediate() {
    let mut s = down();
    assert_eq!(s.tick(true, d(0, 5), false), Event::Up { announce: false });
    assert_eq!(s.state(), LinkState::Up);
}

#[test]
fn down_again_during_back() {
    let mut s = down();
    let dl = d(3, 0);
    assert_eq!(s.tick(true, dl, false), Event::Back); // delay 2
    assert_eq!(s.tick(true, dl, false), Event::None); // delay 1
    assert_eq!(s.tick(false, dl, false), Event::DownAgain { ticks: 2 });
    assert_eq!(s.state(), LinkState::Down);
}

#[test]
fn no_active_slave_ignores_updelay() {
    // From Down: up at once, announced as "enabling it in 0 ms".
    let mut s = down();
    assert_eq!(s.tick(true, d(4, 0), true), Event::Up { announce: true });
    assert_eq!((s.state(), s.delay()), (LinkState::Up, 0));
    // No announcement without an updelay.
    let mut s = down();
    assert_eq!(s.tick(true, d(0, 0), true), Event::Up { announce: false });
    // From Back with delay pending.
    let mut s = SlaveLink::new(LinkState::Back, 3);
    assert_eq!(s.tick(true, d(4, 0), true), Event::Up { announce: false });
    assert_eq!((s.state(), s.delay()), (LinkState::Up, 0));
    // Does not affect the down direction.
    let mut s = up();
    assert_eq!(s.tick(false, d(4, 2), true), Event::Fail);
}

#[test]
fn pass_ignores_updelay_for_first_slave_only() {
    let dl = d(2, 2);
    let mut slaves = [down(), SlaveLink::new(LinkState::Fail, 1), down()];
    let mut pass = MiiPass::new(true);
    assert_eq!(
        pass.inspect(&mut slaves[0], true, dl),
        Event::Up { announce: true }
    );
    assert!(!pass.ignoring_updelay());
    // A recovery is no "brought up" for C's flag; it is already clear here.
    assert_eq!(
        pass.inspect(&mut slaves[1], true, dl),
        Event::Recovered { ticks: 1 }
    );
    assert_eq!(pass.inspect(&mut slaves[2], true, dl), Event::Back);
    for s in &mut slaves {
        s.commit();
    }
    assert_eq!(slaves[0].state(), LinkState::Up);
    assert_eq!(slaves[1].state(), LinkState::Up);
    assert_eq!(slaves[2].state(), LinkState::Back);

    // Recovery does not clear the flag.
    let mut a = SlaveLink::new(LinkState::Fail, 1);
    let mut b = down();
    let mut pass = MiiPass::new(true);
    assert!(matches!(
        pass.inspect(&mut a, true, dl),
        Event::Recovered { .. }
    ));
    assert!(pass.ignoring_updelay());
    assert_eq!(pass.inspect(&mut b, true, dl), Event::Up { announce: true });
}

#[test]
fn inspect_proposes_commit_applies() {
    let dl = d(0, 3);
    let mut s = up();
    assert_eq!(s.inspect(false, dl, false, Trigger::Tick), Event::Fail);
    assert_eq!(s.state(), LinkState::Up);
    assert_eq!(s.proposed(), Some(LinkState::Fail));
    assert_eq!(s.delay(), 2);
    // Commit skipped (RTNL busy): C inspects again from Up, restarting the delay.
    assert_eq!(s.inspect(false, dl, false, Trigger::Tick), Event::Fail);
    assert_eq!(s.delay(), 2);
    assert_eq!(s.commit(), Some(LinkState::Fail));
    assert_eq!(s.state(), LinkState::Fail);
    assert_eq!(s.proposed(), None);
    assert_eq!(s.commit(), None);
    // No change proposed: commit does nothing.
    assert_eq!(s.inspect(false, dl, false, Trigger::Tick), Event::None);
    assert_eq!(s.commit(), None);
    assert_eq!(s.state(), LinkState::Fail);
}

#[test]
fn set_state_drops_proposal() {
    let mut s = up();
    s.inspect(false, d(0, 0), false, Trigger::Tick);
    assert_eq!(s.proposed(), Some(LinkState::Down));
    s.set_state(LinkState::Back);
    assert_eq!(s.proposed(), None);
    assert_eq!(s.commit(), None);
    assert_eq!(s.state(), LinkState::Back);
}

#[test]
fn events_proposals() {
    assert_eq!(Event::None.proposal(), None);
    assert!(!Event::None.needs_commit());
    assert_eq!(Event::Fail.proposal(), Some(LinkState::Fail));
    assert_eq!(
        Event::Recovered { ticks: 0 }.proposal(),
        Some(LinkState::Up)
    );
    assert_eq!(Event::Down.proposal(), Some(LinkState::Down));
    assert_eq!(Event::Back.proposal(), Some(LinkState::Back));
    assert_eq!(
        Event::DownAgain { ticks: 0 }.proposal(),
        Some(LinkState::Down)
    );
    assert_eq!(Event::Up { announce: true }.proposal(), Some(LinkState::Up));
    assert!(Event::Fail.needs_commit());
}

#[test]
fn enslaved_initial_state() {
    assert_eq!(
        SlaveLink::enslaved(true, 3),
        SlaveLink::new(LinkState::Back, 3)
    );
    assert_eq!(SlaveLink::enslaved(true, 0), up());
    assert_eq!(SlaveLink::enslaved(false, 3), down());
    // An enslaved Back slave waits the whole updelay: C does not count the
    // enslave as a tick.
    let mut s = SlaveLink::enslaved(true, 2);
    assert_eq!(s.tick(true, d(2, 0), false), Event::None);
    assert_eq!(s.tick(true, d(2, 0), false), Event::None);
    assert_eq!(s.tick(true, d(2, 0), false), Event::Up { announce: false });
}

#[test]
fn promote_early_from_back() {
    let mut s = SlaveLink::new(LinkState::Back, 1);
    assert_eq!(s.promote_early(4), Some(3));
    assert_eq!((s.state(), s.delay()), (LinkState::Up, 0));
    let mut s = SlaveLink::new(LinkState::Fail, 1);
    assert_eq!(s.promote_early(4), None);
    assert_eq!(s, SlaveLink::new(LinkState::Fail, 1));
}

#[test]
fn event_starts_downdelay_without_counting() {
    let dl = d(0, 2);
    let mut s = up();
    assert_eq!(s.evaluate_now(false, dl, false), Event::Fail);
    assert_eq!((s.state(), s.delay()), (LinkState::Fail, 2));
    // More events count nothing, even once the delay is used up.
    assert_eq!(s.evaluate_now(false, dl, false), Event::None);
    assert_eq!(s.delay(), 2);
    assert_eq!(s.tick(false, dl, false), Event::None); // 1
    assert_eq!(s.tick(false, dl, false), Event::None); // 0
    assert_eq!(s.evaluate_now(false, dl, false), Event::None);
    assert_eq!(s.state(), LinkState::Fail);
    // Same tick as without the event (Fail on tick 1, Down on tick 3).
    assert_eq!(s.tick(false, dl, false), Event::Down);
}

#[test]
fn event_starts_updelay_without_counting() {
    let dl = d(2, 0);
    let mut s = down();
    assert_eq!(s.evaluate_now(true, dl, false), Event::Back);
    assert_eq!((s.state(), s.delay()), (LinkState::Back, 2));
    assert_eq!(s.tick(true, dl, false), Event::None);
    assert_eq!(s.tick(true, dl, false), Event::None);
    assert_eq!(s.evaluate_now(true, dl, false), Event::None);
    assert_eq!(s.tick(true, dl, false), Event::Up { announce: false });
}

#[test]
fn event_immediate_transitions() {
    let mut s = up();
    assert_eq!(s.evaluate_now(false, d(0, 0), false), Event::Down);
    assert_eq!(
        s.evaluate_now(true, d(0, 0), false),
        Event::Up { announce: false }
    );
    let mut s = SlaveLink::new(LinkState::Fail, 1);
    assert_eq!(
        s.evaluate_now(true, d(0, 3), false),
        Event::Recovered { ticks: 2 }
    );
    let mut s = SlaveLink::new(LinkState::Back, 1);
    assert_eq!(
        s.evaluate_now(false, d(3, 0), false),
        Event::DownAgain { ticks: 2 }
    );
    let mut s = SlaveLink::new(LinkState::Back, 2);
    assert_eq!(
        s.evaluate_now(true, d(3, 0), true),
        Event::Up { announce: false }
    );
    let mut s = down();
    assert_eq!(
        s.evaluate_now(true, d(3, 0), true),
        Event::Up { announce: true }
    );
}

#[test]
fn rounding_examples() {
    assert_eq!(
        delay_ms_to_ticks(250, 100),
        Some(RoundedDelay {
            ticks: 2,
            ms: 200,
            warn: true
        })
    );
    assert_eq!(
        delay_ms_to_ticks(200, 100),
        Some(RoundedDelay {
            ticks: 2,
            ms: 200,
            warn: false
        })
    );
    assert_eq!(
        delay_ms_to_ticks(50, 100),
        Some(RoundedDelay {
            ticks: 0,
            ms: 0,
            warn: true
        })
    );
    assert_eq!(
        delay_ms_to_ticks(0, 100),
        Some(RoundedDelay {
            ticks: 0,
            ms: 0,
            warn: false
        })
    );
    assert_eq!(delay_ms_to_ticks(100, 0), None);
}

// ------------------------------------------------- reference model of the C

/// A direct model of C's per-slave inspect step (fallthrough between cases
/// emulated with a loop), kept independent of the implementation under test.
/// Returns the proposed state (None = no change).
fn c_inspect(
    link: LinkState,
    delay: &mut i64,
    carrier: bool,
    up_d: i64,
    down_d: i64,
    ignore: &mut bool,
) -> Option<LinkState> {
    let mut case = link;
    let mut proposal = None;
    loop {
        match case {
            LinkState::Up => {
                if carrier {
                    return proposal;
                }
                proposal = Some(LinkState::Fail);
                *delay = down_d;
                case = LinkState::Fail;
            }
            LinkState::Fail => {
                if carrier {
                    return Some(LinkState::Up);
                }
                if *delay <= 0 {
                    return Some(LinkState::Down);
                }
                *delay -= 1;
                return proposal;
            }
            LinkState::Down => {
                if !carrier {
                    return proposal;
                }
                proposal = Some(LinkState::Back);
                *delay = up_d;
                case = LinkState::Back;
            }
            LinkState::Back => {
                if !carrier {
                    return Some(LinkState::Down);
                }
                if *ignore {
                    *delay = 0;
                }
                if *delay <= 0 {
                    *ignore = false;
                    return Some(LinkState::Up);
                }
                *delay -= 1;
                return proposal;
            }
        }
    }
}

// ---------------------------------------------------------- property tests

#[derive(Debug, Clone, Copy)]
enum Step {
    Tick(bool),
    Event(bool),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            3 => any::<bool>().prop_map(Step::Tick),
            1 => any::<bool>().prop_map(Step::Event),
        ],
        0..80,
    )
}

fn start() -> impl Strategy<Value = SlaveLink> {
    (any::<bool>(), 0u32..6).prop_map(|(c, u)| SlaveLink::enslaved(c, u))
}

/// Carrier runs with long stretches, so delays actually expire.
fn carriers() -> impl Strategy<Value = Vec<bool>> {
    proptest::collection::vec((any::<bool>(), 1usize..10), 0..20).prop_map(|runs| {
        runs.into_iter()
            .flat_map(|(c, n)| std::iter::repeat(c).take(n))
            .collect()
    })
}

proptest! {
    #[test]
    fn tick_matches_c_model(
        n in 1usize..4,
        seq in proptest::collection::vec((proptest::collection::vec(any::<bool>(), 3), any::<bool>()), 0..60),
        up_d in 0u32..5,
        down_d in 0u32..5,
        init in proptest::collection::vec((any::<bool>(), 0u32..5), 3),
    ) {
        let dl = d(up_d, down_d);
        let mut ours: Vec<SlaveLink> = init[..n].iter().map(|&(c, u)| SlaveLink::enslaved(c, u)).collect();
        let mut theirs: Vec<(LinkState, i64)> = ours.iter().map(|s| (s.state(), s.delay() as i64)).collect();
        for (carrier, no_active) in seq {
            let mut pass = MiiPass::new(no_active);
            let mut ignore = no_active;
            let mut proposals = Vec::new();
            for i in 0..n {
                let ev = pass.inspect(&mut ours[i], carrier[i], dl);
                let (link, delay) = &mut theirs[i];
                let p = c_inspect(*link, delay, carrier[i], up_d as i64, down_d as i64, &mut ignore);
                prop_assert_eq!(ev.proposal(), p);
                prop_assert_eq!(ours[i].delay() as i64, *delay);
                prop_assert_eq!(pass.ignoring_updelay(), ignore);
                proposals.push(p);
            }
            for i in 0..n {
                ours[i].commit();
                if let Some(p) = proposals[i] {
                    theirs[i].0 = p;
                }
                prop_assert_eq!(ours[i].state(), theirs[i].0);
            }
        }
    }

    #[test]
    fn state_and_delay_stay_in_range(
        s0 in start(),
        seq in steps(),
        up_d in 0u32..6,
        down_d in 0u32..6,
        no_active in any::<bool>(),
    ) {
        let dl = d(up_d, down_d);
        let mut s = s0;
        for step in seq {
            let ev = match step {
                Step::Tick(c) => s.tick(c, dl, no_active),
                Step::Event(c) => s.evaluate_now(c, dl, no_active),
            };
            prop_assert!(LinkState::from_c(s.state().to_c()) == Some(s.state()));
            prop_assert!(s.delay() <= up_d.max(down_d).max(s0.delay()));
            prop_assert_eq!(s.proposed(), None);
            if let Some(p) = ev.proposal() {
                prop_assert_eq!(s.state(), p);
            }
        }
    }

    #[test]
    fn delays_are_never_skipped(
        s0 in start(),
        seq in steps(),
        up_d in 1u32..6,
        down_d in 1u32..6,
    ) {
        let dl = d(up_d, down_d);
        let mut s = s0;
        for step in seq {
            let before = s.state();
            match step {
                Step::Tick(c) => s.tick(c, dl, false),
                Step::Event(c) => s.evaluate_now(c, dl, false),
            };
            let after = s.state();
            prop_assert!(!(before == LinkState::Up && after == LinkState::Down), "Up -> Down without Fail");
            prop_assert!(!(before == LinkState::Down && after == LinkState::Up), "Down -> Up without Back");
        }
    }

    #[test]
    fn zero_delays_follow_carrier(
        c0 in any::<bool>(),
        seq in steps(),
        no_active in any::<bool>(),
    ) {
        let dl = d(0, 0);
        let mut s = SlaveLink::enslaved(c0, 0);
        for step in seq {
            let carrier = match step {
                Step::Tick(c) => { s.tick(c, dl, no_active); c }
                Step::Event(c) => { s.evaluate_now(c, dl, no_active); c }
            };
            let want = if carrier { LinkState::Up } else { LinkState::Down };
            prop_assert_eq!(s.state(), want);
        }
    }

    #[test]
    fn down_and_up_only_after_whole_delay(
        seq in steps(),
        up_d in 0u32..6,
        down_d in 0u32..6,
        start_up in any::<bool>(),
    ) {
        let dl = d(up_d, down_d);
        let mut s = if start_up { up() } else { down() };
        // Ticks seen in a row without / with carrier, before this step.
        let (mut off_ticks, mut on_ticks) = (0u32, 0u32);
        for step in seq {
            let (carrier, tick) = match step {
                Step::Tick(c) => (c, true),
                Step::Event(c) => (c, false),
            };
            let ev = if tick { s.tick(carrier, dl, false) } else { s.evaluate_now(carrier, dl, false) };
            match ev {
                Event::Down => prop_assert!(off_ticks >= down_d, "Down after {} ticks, downdelay {}", off_ticks, down_d),
                Event::Up { .. } => prop_assert!(on_ticks >= up_d, "Up after {} ticks, updelay {}", on_ticks, up_d),
                _ => {}
            }
            if !tick && ev != Event::None {
                prop_assert!(matches!(ev, Event::Fail | Event::Back | Event::Recovered { .. } | Event::DownAgain { .. })
                    || (ev == Event::Down && down_d == 0)
                    || (matches!(ev, Event::Up { .. }) && up_d == 0),
                    "event ended a delay: {:?}", ev);
            }
            if carrier {
                off_ticks = 0;
                on_ticks += tick as u32;
            } else {
                on_ticks = 0;
                off_ticks += tick as u32;
            }
        }
    }

    /// Delivering each carrier change as an event before the next tick leaves
    /// the state and delay after every tick as with ticks alone: events never
    /// shorten (nor lengthen) a delay.
    #[test]
    fn events_keep_tick_timing(
        s0 in start(),
        carrier in carriers(),
        dup in proptest::collection::vec(0usize..3, 200),
        up_d in 0u32..6,
        down_d in 0u32..6,
        no_active in any::<bool>(),
    ) {
        let dl = d(up_d, down_d);
        let (mut ticks_only, mut with_events) = (s0, s0);
        let mut prev = None;
        for (i, &c) in carrier.iter().enumerate() {
            if prev != Some(c) {
                for _ in 0..1 + dup[i % dup.len()] {
                    with_events.evaluate_now(c, dl, no_active);
                }
            }
            prev = Some(c);
            ticks_only.tick(c, dl, no_active);
            with_events.tick(c, dl, no_active);
            prop_assert_eq!(with_events, ticks_only, "tick {}", i);
        }
    }

    #[test]
    fn inspect_never_changes_state(
        s0 in start(),
        carrier in any::<bool>(),
        up_d in 0u32..6,
        down_d in 0u32..6,
        no_active in any::<bool>(),
        tick in any::<bool>(),
    ) {
        let mut s = s0;
        let trig = if tick { Trigger::Tick } else { Trigger::Event };
        let ev = s.inspect(carrier, d(up_d, down_d), no_active, trig);
        prop_assert_eq!(s.state(), s0.state());
        prop_assert_eq!(s.proposed(), ev.proposal());
        prop_assert_eq!(s.commit(), ev.proposal());
    }

    #[test]
    fn rounding_is_c_division(ms in any::<u32>(), miimon in 1u32..5000) {
        let r = delay_ms_to_ticks(ms, miimon).unwrap();
        prop_assert_eq!(r.ms % miimon, 0);
        prop_assert!(r.ms <= ms);
        prop_assert!(ms - r.ms < miimon);
        prop_assert_eq!(r.ms, r.ticks * miimon);
        prop_assert_eq!(r.warn, r.ms != ms);
    }
}
