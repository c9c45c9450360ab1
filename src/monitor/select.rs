// SPDX-License-Identifier: GPL-2.0

//! Choice of the active slave (C's `bond_find_best_slave` and
//! `bond_choose_primary_or_current`), and the peer-notification test
//! (`bond_should_notify_peers`).
//!
//! Kernel-independent (imports only `core`): the caller describes its slaves
//! as a slice of [`Candidate`]s in slave-list order (enslave order) and gets
//! back the index of the slave to make active. Acting on the choice
//! (`bond_change_active_slave`: flags, MAC, notifications) is the caller's
//! job, as is clearing the bond's `force_primary` flag when
//! [`Choice::force_primary_consumed`] says so.
//!
//! The rules, in the order C applies them:
//!
//! 1. **Primary down or unset: priority.** When no primary slave is set, or
//!    it is not `Up`, the `Up` slave with the highest `prio` is taken as the
//!    primary for this decision (on a tie, the first one in list order). If
//!    it is the current active slave, or no slave is `Up`, the current slave
//!    is kept when it is `Up`, and otherwise nothing is chosen here. Note
//!    that with equal priorities (the default) this makes the first `Up`
//!    slave the candidate, so `primary_reselect` (rule 4) decides whether a
//!    current slave later in the list is replaced by it.
//! 2. **Forced primary.** When the configured primary is `Up` and the bond
//!    asked for it to be forced (C's `force_primary`, set when the primary
//!    option is changed or the primary slave is enslaved), the primary wins
//!    and the request is consumed. The request is not consumed on any other
//!    path.
//! 3. **No usable current slave.** When the current active slave is missing
//!    or not `Up`, the primary (configured, or the priority pick of rule 1)
//!    wins.
//! 4. **Both up: `primary_reselect`.** `always`: the primary wins. `better`:
//!    the primary wins only if it is strictly faster than the current slave,
//!    or equally fast with a strictly greater duplex value; speed and duplex
//!    are compared as C's unsigned fields, so an unknown speed
//!    ([`SPEED_UNKNOWN`]) or duplex ([`DUPLEX_UNKNOWN`]) counts as the
//!    largest. `failure`: the current slave stays.
//! 5. **Fallback.** When rules 1-4 chose nothing (no slave is `Up`), the
//!    first `Up` slave in list order is taken (unreachable in practice, kept
//!    as in C); failing that, among slaves in `Back` whose device is running
//!    with carrier, the one with the smallest pending updelay, provided it is
//!    strictly smaller than the bond's updelay (on a tie, the first one). The
//!    caller then promotes it early (see
//!    [`SlaveLink::promote_early`](super::link::SlaveLink::promote_early)).
//!
//! Indices out of range for `primary` or `curr` are treated as absent.

use super::link::LinkState;

/// C's `SPEED_UNKNOWN` (-1) as stored in the slave's unsigned `speed`.
pub const SPEED_UNKNOWN: u32 = u32::MAX;
/// C's `DUPLEX_HALF`.
pub const DUPLEX_HALF: u8 = 0;
/// C's `DUPLEX_FULL`.
pub const DUPLEX_FULL: u8 = 1;
/// C's `DUPLEX_UNKNOWN`.
pub const DUPLEX_UNKNOWN: u8 = 0xff;

/// The `primary_reselect` policy (C's `BOND_PRI_RESELECT_*`): when a primary
/// slave that is up should take over from a current slave that is also up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Reselect {
    /// `always` (0): the primary always takes over.
    #[default]
    Always,
    /// `better` (1): the primary takes over if its speed/duplex is better.
    Better,
    /// `failure` (2): the primary takes over only when the current slave
    /// fails.
    Failure,
}

impl Reselect {
    /// The policy with C's numeric value `v` (the option table's values).
    pub const fn from_value(v: u64) -> Option<Reselect> {
        match v {
            0 => Some(Reselect::Always),
            1 => Some(Reselect::Better),
            2 => Some(Reselect::Failure),
            _ => None,
        }
    }

    /// C's numeric value.
    pub const fn value(self) -> u64 {
        match self {
            Reselect::Always => 0,
            Reselect::Better => 1,
            Reselect::Failure => 2,
        }
    }
}

/// What the selection needs to know about one slave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Committed link state (C's `slave->link`).
    pub link: LinkState,
    /// The slave device is running and has carrier (C's `bond_slave_is_up`).
    pub is_up: bool,
    /// Speed in Mbps, [`SPEED_UNKNOWN`] when unknown (C's `slave->speed`).
    pub speed: u32,
    /// [`DUPLEX_HALF`], [`DUPLEX_FULL`] or [`DUPLEX_UNKNOWN`] (C's
    /// `slave->duplex`).
    pub duplex: u8,
    /// Pending updelay in ticks (C's `slave->delay`); only read for slaves
    /// in `Back`.
    pub delay: i32,
    /// Failover priority (C's per-slave `prio`); higher is preferred when
    /// no primary is usable.
    pub prio: i32,
}

/// The outcome of [`find_best`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Index of the slave to make active, `None` for no active slave.
    pub best: Option<usize>,
    /// The bond's `force_primary` request was used: the caller must clear
    /// it (C clears it inside the selection).
    pub force_primary_consumed: bool,
}

/// `Some(i)` when `i` is the index of a slave whose link is `Up`.
fn up_index(slaves: &[Candidate], i: Option<usize>) -> Option<usize> {
    i.filter(|&i| slaves.get(i).is_some_and(|s| s.link == LinkState::Up))
}

/// The `Up` slave with the highest `prio`, the first one in list order on a
/// tie; `None` when no slave is `Up` (the priority scan of C's
/// `bond_choose_primary_or_current`).
pub fn highest_prio(slaves: &[Candidate]) -> Option<usize> {
    let mut best: Option<(usize, i32)> = None;
    for (i, s) in slaves.iter().enumerate() {
        if s.link != LinkState::Up {
            continue;
        }
        match best {
            Some((_, prio)) if s.prio <= prio => {}
            _ => best = Some((i, s.prio)),
        }
    }
    best.map(|(i, _)| i)
}

/// Whether `prim` beats `curr` under `primary_reselect=better`: strictly
/// faster, or as fast with a strictly greater duplex value (unsigned
/// comparisons, so unknown values count as the largest).
pub fn is_better(prim: &Candidate, curr: &Candidate) -> bool {
    prim.speed > curr.speed || (prim.speed == curr.speed && prim.duplex > curr.duplex)
}

/// Rules 1 to 4 of the module documentation (C's
/// `bond_choose_primary_or_current`): the primary or highest-priority slave,
/// or the current one. `best` is `None` only when no slave is `Up`.
pub fn choose_primary_or_current(
    slaves: &[Candidate],
    primary: Option<usize>,
    curr: Option<usize>,
    reselect: Reselect,
    force_primary: bool,
) -> Choice {
    let curr_up = up_index(slaves, curr);
    let keep = |best: Option<usize>| Choice {
        best,
        force_primary_consumed: false,
    };
    let prim = match up_index(slaves, primary) {
        // Rule 2: a forced primary that is up wins.
        Some(p) if force_primary => {
            return Choice {
                best: Some(p),
                force_primary_consumed: true,
            }
        }
        Some(p) => p,
        // Rule 1: no usable primary, look at the priorities.
        None => match highest_prio(slaves) {
            Some(h) if Some(h) != curr => h,
            _ => return keep(curr_up),
        },
    };
    // Rule 3: no usable current slave.
    let Some(c) = curr_up else {
        return keep(Some(prim));
    };
    // Rule 4: both are up.
    let prim_wins = match reselect {
        Reselect::Always => true,
        Reselect::Better => match (slaves.get(prim), slaves.get(c)) {
            (Some(p), Some(cs)) => is_better(p, cs),
            _ => false,
        },
        Reselect::Failure => false,
    };
    keep(Some(if prim_wins { prim } else { c }))
}

/// The slave the bond should make active (C's `bond_find_best_slave`; see
/// the module documentation for the rules). `slaves` is the slave list in
/// order; `primary` and `curr` index into it (the primary slave, the
/// current active slave); `updelay_ticks` is the bond's updelay in monitor
/// ticks.
pub fn find_best(
    slaves: &[Candidate],
    primary: Option<usize>,
    curr: Option<usize>,
    reselect: Reselect,
    force_primary: bool,
    updelay_ticks: i32,
) -> Choice {
    let choice = choose_primary_or_current(slaves, primary, curr, reselect, force_primary);
    if choice.best.is_some() {
        return choice;
    }
    // Rule 5: the first up slave, else the Back slave closest to coming up.
    let mut mintime = updelay_ticks;
    let mut best = None;
    for (i, s) in slaves.iter().enumerate() {
        if s.link == LinkState::Up {
            best = Some(i);
            break;
        }
        if s.link == LinkState::Back && s.is_up && s.delay < mintime {
            mintime = s.delay;
            best = Some(i);
        }
    }
    Choice {
        best,
        force_primary_consumed: choice.force_primary_consumed,
    }
}

/// Whether peers should be notified now (C's `bond_should_notify_peers`):
/// notifications are pending (`send_peer_notif`, the bond's countdown, is
/// non-zero), the countdown is at a multiple of the peer notification delay
/// (in ticks, at least 1), the bond has carrier, and there is something to
/// notify for (`has_target`: in 802.3ad a non-empty usable-slave array,
/// otherwise a current active slave whose device has no link-watch event
/// pending).
pub fn should_notify_peers(
    send_peer_notif: u32,
    peer_notif_delay: i32,
    bond_carrier: bool,
    has_target: bool,
) -> bool {
    let period = peer_notif_delay.max(1).unsigned_abs();
    send_peer_notif != 0
        && send_peer_notif.checked_rem(period) == Some(0)
        && bond_carrier
        && has_target
}

/// The countdown C's `bond_peer_notify_reset` starts: the number of
/// notifications times the peer notification delay in ticks (at least 1).
pub fn peer_notify_count(num_peer_notif: u8, peer_notif_delay: i32) -> u32 {
    u32::from(num_peer_notif).wrapping_mul(peer_notif_delay.max(1).unsigned_abs())
}
