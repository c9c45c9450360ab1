// SPDX-License-Identifier: GPL-2.0

//! Per-slave MII link state machine (C's `bond_miimon_inspect` and the link
//! state half of `bond_miimon_commit`).
//!
//! Each slave has a [`LinkState`] and a delay counter in monitor ticks (one
//! tick is one `miimon` period). A monitor pass works in two phases, as in C:
//!
//! 1. **inspect** ([`SlaveLink::inspect`], or [`MiiPass::inspect`] for a
//!    whole pass): look at the slave's carrier, count the pending delay down
//!    and *propose* a new state. Only the delay counter changes here; the
//!    proposal is kept aside (C's `link_new_state`).
//! 2. **commit** ([`SlaveLink::commit`]): apply the proposal (C's
//!    `bond_commit_link_state`). The caller then performs the side effects of
//!    the returned [`Event`] (C's `bond_miimon_commit`: failover, carrier,
//!    messages, per-mode hooks).
//!
//! The states follow the carrier with two optional delays:
//!
//! ```text
//!             no carrier                     downdelay ticks, no carrier
//!    +----+ ------------> +------+ ---------------------------------> +------+
//!    | Up |               | Fail |                                    | Down |
//!    +----+ <------------ +------+                                    +------+
//!     ^ ^     carrier (Recovered)                                      |  ^
//!     | |                                                      carrier |  | no carrier
//!     | |            updelay ticks with carrier    +------+ <----------+  | (DownAgain)
//!     | +----------------------------------------- | Back | --------------+
//!     |                                            +------+
//!     +-- from Down at once: updelay 0, or no active slave (updelay ignored)
//! ```
//!
//! With a delay of 0 the intermediate state is passed through within the same
//! evaluation, so the committed state goes straight from `Up` to `Down` (or
//! `Down` to `Up`). When the bond has no active slave, the updelay is ignored
//! and a slave whose carrier is back is brought up at once.
//!
//! rbond extension: [`SlaveLink::evaluate_now`] lets a carrier change reported
//! by the netdevice notifier be acted on immediately instead of at the next
//! tick. It runs the same transition function in [`Trigger::Event`] mode,
//! which never counts a delay down and never ends a delay: only ticks do.
//! So updelay and downdelay last exactly as long as with ticks alone; events
//! only make the transitions that C performs without delay (entering `Fail`
//! or `Back`, recovery, `Down` again, delays of 0, ignored updelay) happen
//! sooner.

/// Link state of a slave, C's `BOND_LINK_*` (`include/uapi/linux/if_bonding.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkState {
    /// Link is up and in use (`BOND_LINK_UP`).
    Up,
    /// Carrier lost, waiting for the downdelay to expire (`BOND_LINK_FAIL`).
    Fail,
    /// Link is down (`BOND_LINK_DOWN`).
    Down,
    /// Carrier back, waiting for the updelay to expire (`BOND_LINK_BACK`).
    Back,
}

impl LinkState {
    /// All states, in C's numeric order.
    pub const ALL: [LinkState; 4] = [
        LinkState::Up,
        LinkState::Fail,
        LinkState::Down,
        LinkState::Back,
    ];

    /// C's numeric value (`BOND_LINK_UP` = 0 ... `BOND_LINK_BACK` = 3), as
    /// reported to user space (netlink `IFLA_BOND_SLAVE_MII_STATUS` etc.).
    pub const fn to_c(self) -> i8 {
        match self {
            LinkState::Up => 0,
            LinkState::Fail => 1,
            LinkState::Down => 2,
            LinkState::Back => 3,
        }
    }

    /// The state with C's numeric value `v`, if any.
    pub const fn from_c(v: i8) -> Option<LinkState> {
        match v {
            0 => Some(LinkState::Up),
            1 => Some(LinkState::Fail),
            2 => Some(LinkState::Down),
            3 => Some(LinkState::Back),
            _ => None,
        }
    }

    /// Name printed for the state, as C's `bond_slave_link_status`
    /// (`/proc/net/bonding`, sysfs `mii_status`).
    pub const fn name(self) -> &'static str {
        match self {
            LinkState::Up => "up",
            LinkState::Fail => "going down",
            LinkState::Down => "down",
            LinkState::Back => "going back",
        }
    }
}

/// The configured delays of a bond, in monitor ticks (C keeps
/// `params.updelay` / `params.downdelay` as multiples of `miimon`; see
/// [`delay_ms_to_ticks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Delays {
    /// Ticks with carrier before a slave that came back is used (`updelay`).
    pub updelay: u32,
    /// Ticks without carrier before a failing slave is disabled (`downdelay`).
    pub downdelay: u32,
}

/// What started an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A periodic MII monitor tick: delays are counted down and may expire
    /// (C's behaviour).
    Tick,
    /// A carrier change reported between ticks (rbond extension): delays are
    /// started but neither counted down nor ended, so they last as long as
    /// with ticks alone.
    Event,
}

/// What one evaluation of a slave proposed; the caller acts on it after
/// [`SlaveLink::commit`]. The `ticks` values are for C's messages, which
/// print them multiplied by `miimon` (in ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// No state change (a pending delay may have been counted down). C's
    /// `BOND_LINK_NOCHANGE`; the commit phase only re-checks 802.3ad
    /// speed/duplex of `Up` slaves.
    None,
    /// `Up` to `Fail`: the carrier is gone and a downdelay started. C logs
    /// "link status down for [active |backup ]interface, disabling it in
    /// <downdelay * miimon> ms" (only emitted with a downdelay > 0).
    Fail,
    /// `Fail` to `Up`: the carrier came back before the downdelay expired.
    /// C logs "link status up again after <ticks * miimon> ms", sets
    /// `last_link_up`, and commits the slave as up (same commit actions as
    /// [`Event::Up`]). `ticks` is `downdelay - delay` as C computes it
    /// (negative if the downdelay was lowered while pending).
    Recovered {
        /// Downdelay ticks that had elapsed.
        ticks: i64,
    },
    /// To `Down`: the downdelay expired (or was 0). C's commit counts a link
    /// failure and logs "link status definitely down, disabling slave".
    Down,
    /// `Down` to `Back`: the carrier is back and an updelay started. C logs
    /// "link status up, enabling it in <updelay * miimon> ms" (only emitted
    /// with an updelay > 0 that is not ignored).
    Back,
    /// `Back` to `Down`: the carrier went away again before the updelay
    /// expired. C logs "link status down again after <ticks * miimon> ms",
    /// then commits the slave as down (same commit actions as
    /// [`Event::Down`]). `ticks` is `updelay - delay` as C computes it.
    DownAgain {
        /// Updelay ticks that had elapsed.
        ticks: i64,
    },
    /// To `Up`: the updelay expired, was 0, or was ignored because the bond
    /// has no active slave. C's commit logs "link status definitely up, ...".
    Up {
        /// The slave left `Down` in this evaluation with an updelay > 0 that
        /// was ignored: C first logs "link status up, enabling it in 0 ms".
        announce: bool,
    },
}

impl Event {
    /// The state this event proposes (C's `link_new_state`); `None` for
    /// [`Event::None`] (`BOND_LINK_NOCHANGE`).
    pub const fn proposal(self) -> Option<LinkState> {
        match self {
            Event::None => None,
            Event::Fail => Some(LinkState::Fail),
            Event::Recovered { .. } | Event::Up { .. } => Some(LinkState::Up),
            Event::Down | Event::DownAgain { .. } => Some(LinkState::Down),
            Event::Back => Some(LinkState::Back),
        }
    }

    /// Whether the commit phase must run (C counts these in
    /// `bond_miimon_inspect`'s return value).
    pub const fn needs_commit(self) -> bool {
        !matches!(self, Event::None)
    }
}

/// The MII link state of one slave (C's `slave->link`, `slave->delay` and
/// `slave->link_new_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaveLink {
    state: LinkState,
    delay: u32,
    proposed: Option<LinkState>,
}

impl SlaveLink {
    /// A slave in `state` with `delay` ticks pending and nothing proposed.
    pub const fn new(state: LinkState, delay: u32) -> Self {
        SlaveLink {
            state,
            delay,
            proposed: None,
        }
    }

    /// Initial state of a slave enslaved while the MII monitor is on (C's
    /// `bond_enslave`): with carrier it is `Up`, or `Back` with the whole
    /// updelay pending if there is one; without carrier it is `Down`.
    /// `carrier` is "running and carrier ok", as for [`SlaveLink::inspect`].
    pub const fn enslaved(carrier: bool, updelay: u32) -> Self {
        if !carrier {
            SlaveLink::new(LinkState::Down, 0)
        } else if updelay != 0 {
            SlaveLink::new(LinkState::Back, updelay)
        } else {
            SlaveLink::new(LinkState::Up, 0)
        }
    }

    /// Current (committed) state.
    pub const fn state(&self) -> LinkState {
        self.state
    }

    /// Ticks left of the pending updelay or downdelay.
    pub const fn delay(&self) -> u32 {
        self.delay
    }

    /// State proposed by the last inspection and not yet committed.
    pub const fn proposed(&self) -> Option<LinkState> {
        self.proposed
    }

    /// Sets the state at once, dropping any proposal (C's
    /// `bond_set_slave_link_state`, and the direct `slave->link = ...`
    /// writes such as the commit phase marking a slave down when 802.3ad
    /// needs a speed/duplex it cannot read). The delay counter is unchanged.
    pub fn set_state(&mut self, state: LinkState) {
        self.state = state;
        self.proposed = None;
    }

    /// Makes a `Back` slave `Up` before its updelay expired because it was
    /// chosen as the new active slave (C's `bond_change_active_slave`).
    /// Returns the ticks C prints in "making interface the new active one
    /// <ticks * miimon> ms earlier" (`updelay - delay`), or `None` (and
    /// changes nothing) if the slave is not in `Back`.
    pub fn promote_early(&mut self, updelay: u32) -> Option<i64> {
        if self.state != LinkState::Back {
            return None;
        }
        let ticks = i64::from(updelay) - i64::from(self.delay);
        self.delay = 0;
        self.set_state(LinkState::Up);
        Some(ticks)
    }

    /// Inspection phase for one slave (C's `bond_miimon_inspect` loop body):
    /// proposes a new state from the carrier observation and returns what it
    /// proposed. Only the delay counter changes; [`SlaveLink::commit`]
    /// applies the proposal. Inspecting again without committing starts over
    /// from the committed state, as C does when it cannot take RTNL (the
    /// counter is not rewound: a second tick counts it down again).
    ///
    /// `carrier` is C's `netif_running() && netif_carrier_ok()`. `delays` are
    /// the bond's current delays in ticks. `no_active_slave` is C's
    /// `ignore_updelay`: the bond has no current active slave
    /// (active-backup) or an empty usable-slave array (other modes); within
    /// one pass over the slaves it must be cleared once a slave was brought
    /// up, which [`MiiPass`] does.
    pub fn inspect(
        &mut self,
        carrier: bool,
        delays: Delays,
        no_active_slave: bool,
        trigger: Trigger,
    ) -> Event {
        let event = self.transition(carrier, delays, no_active_slave, trigger);
        self.proposed = event.proposal();
        event
    }

    /// Commit phase for one slave (C's `bond_commit_link_state`): applies
    /// the pending proposal, if any, and returns the new state.
    pub fn commit(&mut self) -> Option<LinkState> {
        let new = self.proposed.take();
        if let Some(state) = new {
            self.state = state;
        }
        new
    }

    /// One MII monitor tick for this slave alone: [`SlaveLink::inspect`]
    /// with [`Trigger::Tick`], then [`SlaveLink::commit`].
    pub fn tick(&mut self, carrier: bool, delays: Delays, no_active_slave: bool) -> Event {
        let event = self.inspect(carrier, delays, no_active_slave, Trigger::Tick);
        self.commit();
        event
    }

    /// rbond extension: immediate evaluation on a carrier event from the
    /// netdevice notifier, then commit. Same transition function as
    /// [`SlaveLink::tick`] in [`Trigger::Event`] mode: a delay is started as
    /// a tick would start it, but is neither counted down nor ended here.
    /// The ticks that follow count it down exactly as they would have after
    /// a tick that saw the same carrier change, so updelay and downdelay are
    /// never shortened. Transitions without delay (delays of 0, recovery
    /// from `Fail`, `Back` to `Down`, ignored updelay) happen at once.
    pub fn evaluate_now(&mut self, carrier: bool, delays: Delays, no_active_slave: bool) -> Event {
        let event = self.inspect(carrier, delays, no_active_slave, Trigger::Event);
        self.commit();
        event
    }

    /// The transition function shared by ticks and events.
    fn transition(
        &mut self,
        carrier: bool,
        delays: Delays,
        ignore_updelay: bool,
        trigger: Trigger,
    ) -> Event {
        let tick = trigger == Trigger::Tick;
        match self.state {
            LinkState::Up if carrier => Event::None,
            LinkState::Up => {
                self.delay = delays.downdelay;
                self.failing(carrier, delays, tick, true)
            }
            LinkState::Fail => self.failing(carrier, delays, tick, false),
            LinkState::Down if !carrier => Event::None,
            LinkState::Down => {
                self.delay = delays.updelay;
                self.coming_back(carrier, delays, ignore_updelay, tick, true)
            }
            LinkState::Back => self.coming_back(carrier, delays, ignore_updelay, tick, false),
        }
    }

    /// `Fail` handling; `entered` when the slave left `Up` in this
    /// evaluation (C falls through from the `Up` case).
    fn failing(&mut self, carrier: bool, delays: Delays, tick: bool, entered: bool) -> Event {
        if carrier {
            return Event::Recovered {
                ticks: i64::from(delays.downdelay) - i64::from(self.delay),
            };
        }
        if self.delay == 0 && (tick || entered) {
            return Event::Down;
        }
        if tick {
            self.delay = self.delay.saturating_sub(1);
        }
        if entered {
            Event::Fail
        } else {
            Event::None
        }
    }

    /// `Back` handling; `entered` when the slave left `Down` in this
    /// evaluation (C falls through from the `Down` case).
    fn coming_back(
        &mut self,
        carrier: bool,
        delays: Delays,
        ignore_updelay: bool,
        tick: bool,
        entered: bool,
    ) -> Event {
        if !carrier {
            return Event::DownAgain {
                ticks: i64::from(delays.updelay) - i64::from(self.delay),
            };
        }
        // C announces the updelay when it starts, as 0 ms if it is ignored.
        let announce = entered && self.delay != 0;
        if ignore_updelay {
            self.delay = 0;
        }
        if self.delay == 0 && (tick || entered || ignore_updelay) {
            return Event::Up {
                announce: announce && ignore_updelay,
            };
        }
        if tick {
            self.delay = self.delay.saturating_sub(1);
        }
        if entered {
            Event::Back
        } else {
            Event::None
        }
    }
}

/// One inspection pass of the MII monitor over a bond's slaves, carrying
/// C's `ignore_updelay` from slave to slave: set when the pass starts with
/// no active slave, cleared once a slave has been proposed up after coming
/// back (only the first such slave skips its updelay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MiiPass {
    ignore_updelay: bool,
}

impl MiiPass {
    /// Starts a pass; `no_active_slave` as for [`SlaveLink::inspect`].
    pub const fn new(no_active_slave: bool) -> Self {
        MiiPass {
            ignore_updelay: no_active_slave,
        }
    }

    /// Whether the next slave inspected would skip its updelay.
    pub const fn ignoring_updelay(&self) -> bool {
        self.ignore_updelay
    }

    /// Inspects the next slave of the pass on a tick ([`SlaveLink::inspect`]
    /// with [`Trigger::Tick`]); commit the slaves afterwards.
    pub fn inspect(&mut self, slave: &mut SlaveLink, carrier: bool, delays: Delays) -> Event {
        let event = slave.inspect(carrier, delays, self.ignore_updelay, Trigger::Tick);
        if let Event::Up { .. } = event {
            self.ignore_updelay = false;
        }
        event
    }
}

/// Delay conversion (ms to ticks) is an option-setting rule; it lives with
/// the option table and is re-exported here for the monitor's users.
pub use crate::options::table::{delay_ms_to_ticks, RoundedDelay};
