// SPDX-License-Identifier: GPL-2.0

//! The per-port LACP machines (receive, periodic, mux, transmit, churn),
//! the selection logic and the aggregators, as the C driver runs them.
//!
//! Every enslaved device is one [`Member`]: its port and the aggregator it
//! owns (C gives each slave one aggregator; a port attaches to its own or to
//! another slave's). The bond's members are a slice in enslave order and a
//! port names its aggregator by index in that slice. [`System`] holds what
//! is per bond (priority, MAC, options, the selection timer) and runs the
//! machines over the slice.
//!
//! Time is counted in ticks of 100 ms, as in C. [`System::tick`] is C's
//! periodic handler: it advances every timer by one tick and runs the
//! machines. [`System::event`] runs the same machines without advancing any
//! timer, so the driver can react to a received PDU or a link change at
//! once (C waits for the next tick) while every protocol timer keeps its
//! exact length. The transmit limit (at most 3 LACPDUs a second) holds for
//! both: a PDU sent between ticks holds the next one back one tick longer.

use super::pdu::{state, Lacpdu, PortInfo};

/// Ticks per second (the machines run every 100 ms).
pub const TICKS_PER_SEC: u32 = 10;

const SHORT_TIMEOUT_TICKS: u16 = 3 * TICKS_PER_SEC as u16;
const LONG_TIMEOUT_TICKS: u16 = 90 * TICKS_PER_SEC as u16;
const CHURN_TICKS: u16 = 60 * TICKS_PER_SEC as u16;
const FAST_PERIODIC_TICKS: u16 = TICKS_PER_SEC as u16;
const SLOW_PERIODIC_TICKS: u16 = 30 * TICKS_PER_SEC as u16;
const WAIT_WHILE_TICKS: u16 = 2 * TICKS_PER_SEC as u16;
/// Ticks between two LACPDUs of one port (3 a second).
const TX_GAP_TICKS: u16 = (TICKS_PER_SEC / 3) as u16;
/// The selection timer after the first slave is bound (8 s).
pub const SELECT_TICKS_AT_INIT: u32 = 8 * TICKS_PER_SEC;

/// Port variables of the machines (C's `sm_vars` bits).
mod vars {
    pub const BEGIN: u16 = 0x1;
    pub const LACP_ENABLED: u16 = 0x2;
    pub const ACTOR_CHURN: u16 = 0x4;
    pub const PARTNER_CHURN: u16 = 0x8;
    pub const READY: u16 = 0x10;
    pub const READY_N: u16 = 0x20;
    pub const MATCHED: u16 = 0x40;
    pub const STANDBY: u16 = 0x80;
    pub const SELECTED: u16 = 0x100;
    pub const CHURNED: u16 = ACTOR_CHURN | PARTNER_CHURN;
}

/// Key bits: duplex (bit 0), speed code (bits 1..=5), user key (6..=15).
const KEY_DUPLEX: u16 = 0x1;
const KEY_SPEED: u16 = 0x3e;

/// Aggregator selection policy (`ad_select`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AdSelect {
    /// Keep the active aggregator while it has a partner (`stable`, 0).
    #[default]
    Stable,
    /// Highest total bandwidth (`bandwidth`, 1).
    Bandwidth,
    /// Most ports (`count`, 2).
    Count,
    /// Highest sum of port priorities (`actor_port_prio`, 3).
    ActorPortPrio,
}

impl AdSelect {
    /// The policy of option value `v` (unknown values act as `stable`).
    pub fn from_value(v: u64) -> Self {
        match v {
            1 => AdSelect::Bandwidth,
            2 => AdSelect::Count,
            3 => AdSelect::ActorPortPrio,
            _ => AdSelect::Stable,
        }
    }
}

/// The bond's 802.3ad options, as the machines read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// `ad_actor_sys_prio`.
    pub sys_priority: u16,
    /// The system MAC (`ad_actor_system`, or the bond's MAC when unset).
    pub sys_mac: [u8; 6],
    /// `lacp_rate fast`: ask the partner for fast LACPDUs.
    pub lacp_fast: bool,
    /// `lacp_active on`.
    pub lacp_active: bool,
    /// `ad_select`.
    pub ad_select: AdSelect,
    /// `coupled_control`: collecting and distributing switch together.
    pub coupled: bool,
    /// `min_links`.
    pub min_links: u32,
    /// `lacp_strict`: carrier counts only collecting+distributing ports.
    pub lacp_strict: bool,
    /// `ad_user_port_key` (10 bits).
    pub user_port_key: u16,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            sys_priority: 0xffff,
            sys_mac: [0; 6],
            lacp_fast: false,
            lacp_active: true,
            ad_select: AdSelect::Stable,
            coupled: true,
            min_links: 0,
            lacp_strict: false,
            user_port_key: 0,
        }
    }
}

/// Receive machine states (values as C's `rx_states_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum RxState {
    /// Not run yet.
    #[default]
    Dummy = 0,
    /// Initialize.
    Initialize,
    /// Port disabled.
    PortDisabled,
    /// LACP disabled (half duplex).
    LacpDisabled,
    /// Partner information expired (short timeout running).
    Expired,
    /// Partner defaulted to the admin values.
    Defaulted,
    /// Partner information current.
    Current,
}

/// Periodic transmission machine states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum PeriodicState {
    /// Not run yet.
    #[default]
    Dummy = 0,
    /// No periodic transmission.
    NoPeriodic,
    /// Every second.
    Fast,
    /// Every 30 seconds.
    Slow,
    /// Transmit now.
    Tx,
}

/// Mux machine states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum MuxState {
    /// Not run yet.
    #[default]
    Dummy = 0,
    /// Detached from any aggregator.
    Detached,
    /// Waiting for the other ports of the aggregator.
    Waiting,
    /// Attached, not collecting.
    Attached,
    /// Collecting only (independent control).
    Collecting,
    /// Collecting and distributing (independent control).
    Distributing,
    /// Collecting and distributing (coupled control).
    CollectingDistributing,
}

/// Churn detection states (values as C's `churn_state_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Churn {
    /// Watching for churn.
    #[default]
    Monitor = 0,
    /// Churn detected.
    Churned = 1,
    /// No churn.
    Settled = 2,
}

/// What the receive machine knows of the link and device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LinkInfo {
    /// The bond considers the link up (C's `slave->link == BOND_LINK_UP`).
    pub link_up: bool,
    /// The device is running with carrier (C's `bond_slave_is_up`).
    pub dev_up: bool,
    /// Speed in Mbit/s (`u32::MAX`: unknown).
    pub speed: u32,
    /// Full duplex.
    pub full_duplex: bool,
}

/// A port (C's `struct port`).
#[derive(Clone, Debug)]
pub struct Port {
    /// Actor port number (1-based position at enslave).
    pub number: u16,
    /// Actor port priority (`actor_port_prio`).
    pub priority: u16,
    /// Actor system (the bond's).
    pub system: [u8; 6],
    /// Actor system priority.
    pub system_priority: u16,
    /// Id of the aggregator this port is attached to (0: none).
    pub agg_id: u16,
    /// Need to transmit.
    pub ntt: bool,
    /// Actor admin key.
    pub admin_key: u16,
    /// Actor oper key.
    pub oper_key: u16,
    /// Actor admin state bits.
    pub admin_state: u8,
    /// Actor oper state bits.
    pub oper_state: u8,
    /// Partner admin information (the defaults).
    pub partner_admin: PortInfo,
    /// Partner oper information.
    pub partner_oper: PortInfo,
    /// The link is usable for LACP (C's `is_enabled`).
    pub enabled: bool,
    vars: u16,
    /// Receive machine state.
    pub rx: RxState,
    rx_timer: u16,
    /// Periodic machine state.
    pub periodic: PeriodicState,
    periodic_timer: u16,
    /// Mux machine state.
    pub mux: MuxState,
    mux_timer: u16,
    tx_timer: u16,
    actor_churn_timer: u16,
    partner_churn_timer: u16,
    /// Actor churn state.
    pub actor_churn: Churn,
    /// Partner churn state.
    pub partner_churn: Churn,
    /// Times actor churn was detected.
    pub actor_churn_count: u32,
    /// Times partner churn was detected.
    pub partner_churn_count: u32,
    /// Index (in the bond's members) of the aggregator the port is attached to.
    pub agg: Option<usize>,
    /// Collecting: the slave receives normally (C: not `inactive`).
    pub rx_enabled: bool,
    /// Distributing: the slave transmits (C: not `backup`).
    pub tx_enabled: bool,
    /// The link as last told (see [`LinkInfo`]).
    pub link: LinkInfo,
}

/// The partner defaults (C's `tmpl` of `ad_initialize_port`).
const PARTNER_DEFAULT: PortInfo = PortInfo {
    system_priority: 0xffff,
    system: [0; 6],
    key: 1,
    port_priority: 0xff,
    port: 1,
    state: 0,
};

impl Port {
    /// A port as C's `ad_initialize_port` leaves it.
    fn new(params: &Params) -> Self {
        let mut admin_state = state::AGGREGATION;
        if params.lacp_active {
            admin_state |= state::ACTIVITY;
        }
        let mut oper_state = admin_state;
        if params.lacp_fast {
            oper_state |= state::TIMEOUT;
        }
        Port {
            number: 0,
            priority: 0xff,
            system: [0; 6],
            system_priority: 0,
            agg_id: 0,
            ntt: false,
            admin_key: 0,
            oper_key: 0,
            admin_state,
            oper_state,
            partner_admin: PARTNER_DEFAULT,
            partner_oper: PARTNER_DEFAULT,
            enabled: true,
            vars: vars::BEGIN | vars::LACP_ENABLED,
            rx: RxState::Dummy,
            rx_timer: 0,
            periodic: PeriodicState::Dummy,
            periodic_timer: 0,
            mux: MuxState::Dummy,
            mux_timer: 0,
            tx_timer: 0,
            actor_churn_timer: 0,
            partner_churn_timer: 0,
            actor_churn: Churn::Monitor,
            partner_churn: Churn::Monitor,
            actor_churn_count: 0,
            partner_churn_count: 0,
            agg: None,
            rx_enabled: false,
            tx_enabled: false,
            link: LinkInfo::default(),
        }
    }

    fn has(&self, v: u16) -> bool {
        self.vars & v != 0
    }

    fn set(&mut self, v: u16, on: bool) {
        if on {
            self.vars |= v;
        } else {
            self.vars &= !v;
        }
    }

    /// Selected by the selection logic.
    pub fn selected(&self) -> bool {
        self.has(vars::SELECTED)
    }

    /// LACP runs on the port (full duplex).
    pub fn lacp_enabled(&self) -> bool {
        self.has(vars::LACP_ENABLED)
    }

    /// The LACPDU this port sends now (C's `__update_lacpdu_from_port`).
    pub fn lacpdu(&self) -> Lacpdu {
        Lacpdu {
            version: 1,
            actor: PortInfo {
                system_priority: self.system_priority,
                system: self.system,
                key: self.oper_key,
                port_priority: self.priority,
                port: self.number,
                state: self.oper_state,
            },
            partner: self.partner_oper,
            collector_max_delay: 0,
        }
    }

    /// C's `__enable_port`: collect and distribute if the link is up.
    fn enable(&mut self) {
        if self.link.link_up && self.link.dev_up {
            self.rx_enabled = true;
            self.tx_enabled = true;
        }
    }

    /// C's `__disable_port`: neither collect nor distribute.
    fn disable(&mut self) {
        self.rx_enabled = false;
        self.tx_enabled = false;
    }

    /// C's `__enable_collecting_port`.
    fn enable_collecting(&mut self) {
        if self.link.link_up && self.link.dev_up {
            self.rx_enabled = true;
        }
    }

    /// The speed part of the key (C's `__get_link_speed`): 0 while the
    /// link is not up or the speed is not one 802.3ad knows.
    fn speed_code(&self) -> u16 {
        if !self.link.link_up {
            return 0;
        }
        speed_code(self.link.speed)
    }

    /// Recompute the keys from speed and duplex (C's `ad_update_actor_keys`).
    fn update_keys(&mut self, reset: bool) {
        let old = self.oper_key;
        self.admin_key &= !(KEY_SPEED | KEY_DUPLEX);
        let mut duplex = false;
        let mut speed = 0;
        if !reset {
            speed = self.speed_code();
            duplex = self.link.link_up && self.link.full_duplex;
            self.admin_key |= (speed << 1) | u16::from(duplex);
        }
        self.oper_key = self.admin_key;
        if old != self.oper_key {
            self.set(vars::LACP_ENABLED, duplex);
            let old_speed = (old & KEY_SPEED) >> 1;
            if !reset && speed != 0 && duplex && old_speed != speed {
                self.vars |= vars::BEGIN;
            }
        }
    }

    fn timeout_ticks(&self) -> u16 {
        if self.oper_state & state::TIMEOUT != 0 {
            SHORT_TIMEOUT_TICKS
        } else {
            LONG_TIMEOUT_TICKS
        }
    }

    fn record_default(&mut self) {
        self.partner_oper = self.partner_admin;
        self.oper_state |= state::DEFAULTED;
    }

    fn choose_matched(&mut self, pdu: &Lacpdu) {
        let p = &pdu.partner;
        let same = p.port == self.number
            && p.port_priority == self.priority
            && p.system == self.system
            && p.system_priority == self.system_priority
            && p.key == self.oper_key
            && (p.state & state::AGGREGATION) == (self.oper_state & state::AGGREGATION);
        let individual = pdu.actor.state & state::AGGREGATION == 0;
        self.set(vars::MATCHED, same || individual);
    }

    fn record_pdu(&mut self, pdu: &Lacpdu) {
        self.choose_matched(pdu);
        self.partner_oper = pdu.actor;
        self.oper_state &= !state::DEFAULTED;
        if self.has(vars::MATCHED) && pdu.actor.state & state::SYNC != 0 {
            self.partner_oper.state |= state::SYNC;
        } else {
            self.partner_oper.state &= !state::SYNC;
        }
    }

    fn update_selected(&mut self, a: &PortInfo) {
        let o = &self.partner_oper;
        if a.port != o.port
            || a.port_priority != o.port_priority
            || a.system != o.system
            || a.system_priority != o.system_priority
            || a.key != o.key
            || (a.state & state::AGGREGATION) != (o.state & state::AGGREGATION)
        {
            self.vars &= !vars::SELECTED;
        }
    }

    fn update_ntt(&mut self, pdu: &Lacpdu) {
        let p = &pdu.partner;
        const BITS: u8 = state::ACTIVITY | state::TIMEOUT | state::SYNC | state::AGGREGATION;
        if p.port != self.number
            || p.port_priority != self.priority
            || p.system != self.system
            || p.system_priority != self.system_priority
            || p.key != self.oper_key
            || (p.state & BITS) != (self.oper_state & BITS)
        {
            self.ntt = true;
        }
    }

    /// The receive machine (C's `ad_rx_machine`). Returns `true` when the
    /// PDU came from this system (a loopback, ignored).
    fn rx_machine(&mut self, pdu: Option<&Lacpdu>, tick: bool) -> bool {
        let last = self.rx;
        if self.has(vars::BEGIN) {
            self.rx = RxState::Initialize;
            self.vars |= vars::CHURNED;
        } else if !self.enabled {
            self.rx = RxState::PortDisabled;
        } else if pdu.is_some()
            && matches!(
                self.rx,
                RxState::Expired | RxState::Defaulted | RxState::Current
            )
        {
            if self.rx != RxState::Current {
                self.vars |= vars::CHURNED;
            }
            self.rx_timer = 0;
            self.rx = RxState::Current;
        } else if tick && self.rx_timer != 0 && {
            self.rx_timer -= 1;
            self.rx_timer == 0
        } {
            match self.rx {
                RxState::Expired => self.rx = RxState::Defaulted,
                RxState::Current => self.rx = RxState::Expired,
                _ => {}
            }
        } else if self.rx == RxState::PortDisabled && self.enabled {
            self.rx = if self.has(vars::LACP_ENABLED) {
                RxState::Expired
            } else {
                RxState::LacpDisabled
            };
        }

        if self.rx == last && pdu.is_none() {
            return false;
        }
        match self.rx {
            RxState::Initialize | RxState::PortDisabled => {
                if self.rx == RxState::Initialize {
                    let lacp = self.oper_key & KEY_DUPLEX != 0;
                    self.set(vars::LACP_ENABLED, lacp);
                    self.vars &= !vars::SELECTED;
                    self.record_default();
                    self.oper_state &= !state::EXPIRED;
                    self.rx = RxState::PortDisabled;
                }
                self.vars &= !vars::MATCHED;
                self.partner_oper.state &= !state::SYNC;
            }
            RxState::LacpDisabled => {
                self.vars &= !vars::SELECTED;
                self.record_default();
                self.partner_oper.state &= !state::AGGREGATION;
                self.vars |= vars::MATCHED;
                self.oper_state &= !state::EXPIRED;
            }
            RxState::Expired => {
                self.vars &= !vars::MATCHED;
                self.partner_oper.state &= !state::SYNC;
                self.partner_oper.state |= state::TIMEOUT;
                self.rx_timer = SHORT_TIMEOUT_TICKS;
                self.oper_state |= state::EXPIRED;
                self.vars |= vars::CHURNED;
            }
            RxState::Defaulted => {
                let admin = self.partner_admin;
                self.update_selected(&admin);
                self.record_default();
                self.vars |= vars::MATCHED;
                self.oper_state &= !state::EXPIRED;
            }
            RxState::Current => {
                // A PDU is always given in this state (C dereferences it).
                let Some(pdu) = pdu else { return false };
                if pdu.actor.system == self.system {
                    return true;
                }
                self.update_selected(&pdu.actor);
                self.update_ntt(pdu);
                self.record_pdu(pdu);
                self.rx_timer = self.timeout_ticks();
                self.oper_state &= !state::EXPIRED;
            }
            RxState::Dummy => {}
        }
        false
    }

    /// The periodic transmission machine (C's `ad_periodic_machine`).
    fn periodic_machine(&mut self, tick: bool) {
        let last = self.periodic;
        let partner_fast = self.partner_oper.state & state::TIMEOUT != 0;
        let no_activity = self.oper_state & state::ACTIVITY == 0
            && self.partner_oper.state & state::ACTIVITY == 0;
        if self.has(vars::BEGIN) || !self.has(vars::LACP_ENABLED) || !self.enabled || no_activity {
            self.periodic = PeriodicState::NoPeriodic;
        } else if self.periodic_timer != 0 {
            let expired = tick && {
                self.periodic_timer -= 1;
                self.periodic_timer == 0
            };
            if expired {
                self.periodic = PeriodicState::Tx;
            } else {
                match self.periodic {
                    PeriodicState::Fast if !partner_fast => self.periodic = PeriodicState::Slow,
                    PeriodicState::Slow if partner_fast => {
                        self.periodic_timer = 0;
                        self.periodic = PeriodicState::Tx;
                    }
                    _ => {}
                }
            }
        } else {
            match self.periodic {
                PeriodicState::NoPeriodic => self.periodic = PeriodicState::Fast,
                PeriodicState::Tx => {
                    self.periodic = if partner_fast {
                        PeriodicState::Fast
                    } else {
                        PeriodicState::Slow
                    }
                }
                _ => {}
            }
        }
        if self.periodic != last {
            match self.periodic {
                PeriodicState::NoPeriodic => self.periodic_timer = 0,
                // One tick of the period went to the Tx state.
                // (Left between ticks, less than a tick went: the whole period.)
                PeriodicState::Fast => self.periodic_timer = FAST_PERIODIC_TICKS - u16::from(tick),
                PeriodicState::Slow => self.periodic_timer = SLOW_PERIODIC_TICKS - u16::from(tick),
                PeriodicState::Tx => self.ntt = true,
                PeriodicState::Dummy => {}
            }
        }
    }

    /// The transmit machine (C's `ad_tx_machine`): whether to send now.
    /// `sent` is called with the PDU and says whether it went out.
    fn tx_machine(&mut self, tick: bool, sent: &mut dyn FnMut(&Lacpdu) -> bool) {
        let may = if self.tx_timer == 0 {
            true
        } else if tick {
            self.tx_timer -= 1;
            self.tx_timer == 0
        } else {
            false
        };
        if may && self.ntt && self.has(vars::LACP_ENABLED) && sent(&self.lacpdu()) {
            self.ntt = false;
            // Sent between ticks: the next tick is not a full tick later,
            // so wait one tick more to keep 3 PDUs a second.
            self.tx_timer = TX_GAP_TICKS + u16::from(!tick);
        }
    }

    /// The churn detection machines (C's `ad_churn_machine`).
    fn churn_machine(&mut self, tick: bool) {
        if self.has(vars::CHURNED) {
            self.vars &= !vars::CHURNED;
            self.actor_churn = Churn::Monitor;
            self.partner_churn = Churn::Monitor;
            // Started between ticks: one tick more, so none is cut short.
            self.actor_churn_timer = CHURN_TICKS + u16::from(!tick);
            self.partner_churn_timer = CHURN_TICKS + u16::from(!tick);
            return;
        }
        if !tick {
            return;
        }
        if self.actor_churn_timer != 0 {
            self.actor_churn_timer -= 1;
            if self.actor_churn_timer == 0 && self.actor_churn == Churn::Monitor {
                if self.oper_state & state::SYNC != 0 {
                    self.actor_churn = Churn::Settled;
                } else {
                    self.actor_churn_count = self.actor_churn_count.wrapping_add(1);
                    self.actor_churn = Churn::Churned;
                }
            }
        }
        if self.partner_churn_timer != 0 {
            self.partner_churn_timer -= 1;
            if self.partner_churn_timer == 0 && self.partner_churn == Churn::Monitor {
                if self.partner_oper.state & state::SYNC != 0 {
                    self.partner_churn = Churn::Settled;
                } else {
                    self.partner_churn_count = self.partner_churn_count.wrapping_add(1);
                    self.partner_churn = Churn::Churned;
                }
            }
        }
    }
}

/// The speeds 802.3ad knows, in Mbit/s: speed code `i + 2` is `SPEEDS[i]`
/// (code 1 is 1 Mbit/s, 0 unknown).
const SPEEDS: [u32; 18] = [
    10, 100, 1000, 2500, 5000, 10000, 14000, 20000, 25000, 40000, 50000, 56000, 80000, 100_000,
    200_000, 400_000, 800_000, 1_600_000,
];

/// The 802.3ad speed code of `mbps` (0 when unknown).
pub fn speed_code(mbps: u32) -> u16 {
    SPEEDS
        .iter()
        .position(|&s| s == mbps)
        .map(|i| i as u16 + 2)
        .unwrap_or(0)
}

/// Mbit/s of speed code `code` (C's `__get_agg_bandwidth` factors).
fn code_mbps(code: u16) -> u32 {
    match code {
        1 => 1,
        _ => code
            .checked_sub(2)
            .and_then(|i| SPEEDS.get(usize::from(i)))
            .copied()
            .unwrap_or(0),
    }
}

/// An aggregator (C's `struct aggregator`).
#[derive(Clone, Debug, Default)]
pub struct Aggregator {
    /// Aggregator identifier (1-based, per bond).
    pub id: u16,
    /// Made of individual (half-duplex) links.
    pub individual: bool,
    /// Actor admin key.
    pub admin_key: u16,
    /// Actor oper key.
    pub oper_key: u16,
    /// The partner system.
    pub partner_system: [u8; 6],
    /// The partner system priority.
    pub partner_priority: u16,
    /// The partner oper key.
    pub partner_key: u16,
    /// The active aggregator of the bond.
    pub active: bool,
}

impl Aggregator {
    fn has_partner(&self) -> bool {
        self.partner_system != [0; 6]
    }

    fn clear(&mut self) {
        let id = self.id;
        *self = Aggregator {
            id,
            ..Aggregator::default()
        };
    }
}

/// One enslaved device's LACP state: its port and its aggregator.
#[derive(Clone, Debug)]
pub struct Member {
    /// The port.
    pub port: Port,
    /// The aggregator this slave owns.
    pub agg: Aggregator,
}

/// What the active aggregator shows (C's `struct ad_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct AggInfo {
    /// Aggregator id.
    pub id: u16,
    /// Enabled ports in it.
    pub ports: u16,
    /// Actor key.
    pub actor_key: u16,
    /// Partner key.
    pub partner_key: u16,
    /// Partner system MAC.
    pub partner_mac: [u8; 6],
}

/// What a run of the machines asks of the driver.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Collecting/distributing flags changed: re-apply them to the slaves
    /// and rebuild the transmit array.
    pub update: bool,
    /// A port received its own PDU (index of the first such port).
    pub loopback: Option<usize>,
    /// A distributing port was enabled in an active aggregator and
    /// `broadcast_neighbor` wants peers told.
    pub peer_notify: bool,
}

/// The bond's LACP system (C's `ad_bond_info` plus the options).
#[derive(Clone, Debug)]
pub struct System {
    /// The options.
    pub params: Params,
    /// Ticks until the aggregator selection runs (C's `agg_select_timer`).
    pub select_timer: u32,
    next_agg_id: u16,
}

impl System {
    /// A system with `params` and no ports.
    pub fn new(params: Params) -> Self {
        System {
            params,
            select_timer: 0,
            next_agg_id: 0,
        }
    }

    /// Called when the first slave is bound (C's `bond_3ad_initialize`):
    /// aggregator ids restart and selection waits 8 s.
    pub fn initialize(&mut self) {
        self.next_agg_id = 0;
        self.select_timer = SELECT_TICKS_AT_INIT;
    }

    /// Run the aggregator selection after `ticks` ticks (bond up: 1).
    pub fn initiate_selection(&mut self, ticks: u32) {
        self.select_timer = ticks;
    }

    /// A new member for a slave at 1-based position `number`
    /// (C's `bond_3ad_bind_slave`); the caller appends it.
    pub fn bind(&mut self, number: u16, link: LinkInfo) -> Member {
        let mut port = Port::new(&self.params);
        port.number = number;
        port.link = link;
        port.admin_key = self.params.user_port_key << 6;
        port.update_keys(false);
        port.system = self.params.sys_mac;
        port.system_priority = self.params.sys_priority;
        port.tx_timer = TX_GAP_TICKS;
        port.disable();
        self.next_agg_id = self.next_agg_id.wrapping_add(1);
        Member {
            port,
            agg: Aggregator {
                id: self.next_agg_id,
                ..Aggregator::default()
            },
        }
    }

    /// The slave at `idx` leaves (C's `bond_3ad_unbind_slave`): its last
    /// LACPDU (out of sync, not aggregating) is handed to `send`, the
    /// other ports of its aggregator move to a free one, and the member
    /// leaves the index space: the caller must remove `members[idx]` right
    /// after (indices above it shift down by one).
    pub fn unbind(
        &mut self,
        members: &mut [Member],
        idx: usize,
        send: &mut dyn FnMut(&Lacpdu) -> bool,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Some(m) = members.get_mut(idx) else {
            return out;
        };
        m.port.oper_state &=
            !(state::SYNC | state::COLLECTING | state::DISTRIBUTING | state::AGGREGATION);
        let pdu = m.port.lacpdu();
        let _ = send(&pdu);
        let own = m.agg.clone();

        if attached(members, idx) > 0 {
            let others = members
                .iter()
                .enumerate()
                .any(|(j, o)| j != idx && o.port.agg == Some(idx));
            if others {
                // The other ports move to an aggregator that is free (or
                // holds only the leaving port).
                let free = (0..members.len()).find(|&j| {
                    j != idx && (attached(members, j) == 0 || only_port_is(members, j, idx))
                });
                if let Some(f) = free {
                    let select_new = only_port_is(members, f, idx)
                        && members.get(f).is_some_and(|d| d.agg.active);
                    let mut new_id = 0;
                    if let Some(dst) = members.get_mut(f) {
                        new_id = dst.agg.id;
                        dst.agg = Aggregator { id: new_id, ..own };
                    }
                    for o in members.iter_mut().filter(|o| o.port.agg == Some(idx)) {
                        o.port.agg = Some(f);
                        o.port.agg_id = new_id;
                    }
                    if let Some(m) = members.get_mut(idx) {
                        m.agg.clear();
                    }
                    if select_new {
                        self.agg_selection(members, &mut out);
                    }
                }
            } else {
                // Only the leaving port is attached: the aggregator goes.
                if let Some(m) = members.get_mut(idx) {
                    m.port.agg = None;
                    m.port.agg_id = 0;
                    m.agg.clear();
                }
                if own.active {
                    self.agg_selection(members, &mut out);
                }
            }
        }

        // Detach the port from wherever it is attached now.
        if let Some(a) = members.get(idx).and_then(|m| m.port.agg) {
            if let Some(m) = members.get_mut(idx) {
                m.port.agg = None;
                m.port.agg_id = 0;
            }
            if active_ports(members, a) == 0 {
                let was_active = members.get(a).is_some_and(|m| m.agg.active);
                if attached(members, a) == 0 {
                    if let Some(m) = members.get_mut(a) {
                        m.agg.clear();
                    }
                }
                if was_active {
                    self.agg_selection(members, &mut out);
                }
            }
        }
        // Indices above idx shift down by one.
        for o in members.iter_mut() {
            match o.port.agg {
                Some(a) if a == idx => o.port.agg = None,
                Some(a) if a > idx => o.port.agg = Some(a - 1),
                _ => {}
            }
        }
        out.update = true;
        out
    }

    /// The link of `idx` went up or down (C's `bond_3ad_handle_link_change`).
    pub fn link_changed(&mut self, members: &mut [Member], idx: usize, link: LinkInfo) -> Outcome {
        let mut out = Outcome::default();
        let Some(m) = members.get_mut(idx) else {
            return out;
        };
        m.port.link = link;
        m.port.enabled = link.link_up;
        m.port.update_keys(!link.link_up);
        // The bond core takes a slave whose link changed out of
        // distributing (down: out of collecting too); the machines put it
        // back when its aggregator allows.
        m.port.tx_enabled = false;
        if !link.link_up {
            m.port.rx_enabled = false;
        }
        self.agg_selection(members, &mut out);
        out.update = true;
        out
    }

    /// Speed or duplex of `idx` may have changed
    /// (C's `bond_3ad_adapter_speed_duplex_changed`).
    pub fn speed_changed(&mut self, members: &mut [Member], idx: usize, link: LinkInfo) {
        if let Some(m) = members.get_mut(idx) {
            m.port.link = link;
            m.port.update_keys(false);
        }
    }

    /// Refresh what a port knows of its link without acting on it (the
    /// device's running/carrier state between link events).
    pub fn set_link_info(members: &mut [Member], idx: usize, link: LinkInfo) {
        if let Some(m) = members.get_mut(idx) {
            m.port.link = link;
        }
    }

    /// `lacp_rate` changed (C's `bond_3ad_update_lacp_rate`).
    pub fn set_lacp_fast(&mut self, members: &mut [Member], fast: bool) {
        self.params.lacp_fast = fast;
        for m in members.iter_mut() {
            if fast {
                m.port.oper_state |= state::TIMEOUT;
            } else {
                m.port.oper_state &= !state::TIMEOUT;
            }
        }
    }

    /// `lacp_active` changed (C's `bond_3ad_update_lacp_active`).
    pub fn set_lacp_active(&mut self, members: &mut [Member], active: bool) {
        self.params.lacp_active = active;
        for m in members.iter_mut() {
            if active {
                m.port.oper_state |= state::ACTIVITY;
            } else {
                m.port.oper_state &= !state::ACTIVITY;
            }
        }
    }

    /// System priority or MAC changed (C's
    /// `bond_3ad_update_ad_actor_settings`).
    pub fn set_actor(&mut self, members: &mut [Member], prio: u16, mac: [u8; 6]) {
        self.params.sys_priority = prio;
        self.params.sys_mac = mac;
        for m in members.iter_mut() {
            m.port.system = mac;
            m.port.system_priority = prio;
            m.port.ntt = true;
        }
    }

    /// A slave's `actor_port_prio` changed.
    pub fn set_port_priority(members: &mut [Member], idx: usize, prio: u16) {
        if let Some(m) = members.get_mut(idx) {
            m.port.priority = prio;
        }
    }

    /// A LACPDU arrived on `idx`: the receive machine records it (C runs
    /// only this until the next tick; the driver follows with
    /// [`System::event`]).
    pub fn rx_lacpdu(&mut self, members: &mut [Member], idx: usize, pdu: &Lacpdu) -> Outcome {
        let mut out = Outcome::default();
        if let Some(m) = members.get_mut(idx) {
            if m.port.rx_machine(Some(pdu), false) {
                out.loopback = Some(idx);
            }
        }
        out
    }

    /// C's periodic handler: one tick for every timer, then the machines.
    pub fn tick(
        &mut self,
        members: &mut [Member],
        send: &mut dyn FnMut(usize, &Lacpdu) -> bool,
    ) -> Outcome {
        let mut out = Outcome::default();
        if members.is_empty() {
            return out;
        }
        if self.select_timer != 0 {
            self.select_timer -= 1;
            if self.select_timer == 0 {
                self.agg_selection(members, &mut out);
            }
        }
        self.run(members, true, send, &mut out);
        out
    }

    /// The machines without advancing time (after a PDU or a link event).
    pub fn event(
        &mut self,
        members: &mut [Member],
        send: &mut dyn FnMut(usize, &Lacpdu) -> bool,
    ) -> Outcome {
        let mut out = Outcome::default();
        if !members.is_empty() {
            self.run(members, false, send, &mut out);
        }
        out
    }

    fn run(
        &mut self,
        members: &mut [Member],
        tick: bool,
        send: &mut dyn FnMut(usize, &Lacpdu) -> bool,
        out: &mut Outcome,
    ) {
        for i in 0..members.len() {
            if let Some(m) = members.get_mut(i) {
                if tick && m.port.rx_machine(None, true) && out.loopback.is_none() {
                    out.loopback = Some(i);
                }
                if !tick {
                    // A state change the receive machine makes without a
                    // PDU or a timer (port enabled/disabled, begin).
                    let _ = m.port.rx_machine(None, false);
                }
                m.port.periodic_machine(tick);
            }
            self.port_selection(members, i, out);
            self.mux_machine(members, i, tick, out);
            if let Some(m) = members.get_mut(i) {
                m.port.tx_machine(tick, &mut |p| send(i, p));
                m.port.churn_machine(tick);
                m.port.vars &= !vars::BEGIN;
            }
        }
    }

    /// C's `ad_port_selection_logic`.
    fn port_selection(&mut self, members: &mut [Member], i: usize, out: &mut Outcome) {
        let Some(port) = members.get(i).map(|m| &m.port) else {
            return;
        };
        if port.selected() {
            return;
        }
        // Leave the former aggregator.
        if let Some(a) = port.agg {
            if let Some(m) = members.get_mut(i) {
                m.port.agg = None;
                m.port.agg_id = 0;
            }
            if !members.iter().any(|m| m.port.agg == Some(a)) {
                if let Some(m) = members.get_mut(a) {
                    m.agg.clear();
                }
            }
        }
        let Some(port) = members.get(i).map(|m| m.port.clone()) else {
            return;
        };
        let mut found = None;
        let mut free = None;
        for (j, m) in members.iter().enumerate() {
            let a = &m.agg;
            if !members.iter().any(|o| o.port.agg == Some(j)) {
                if free.is_none() {
                    free = Some(j);
                }
                continue;
            }
            if a.oper_key == port.oper_key
                && a.partner_system == port.partner_oper.system
                && a.partner_priority == port.partner_oper.system_priority
                && a.partner_key == port.partner_oper.key
                && a.has_partner()
                && !a.individual
            {
                found = Some(j);
                break;
            }
        }
        let target = match (found, free) {
            (Some(j), _) => j,
            (None, Some(f)) => {
                if let Some(m) = members.get_mut(f) {
                    let id = m.agg.id;
                    m.agg = Aggregator {
                        id,
                        individual: port.oper_key & KEY_DUPLEX == 0,
                        admin_key: port.admin_key,
                        oper_key: port.oper_key,
                        partner_system: port.partner_oper.system,
                        partner_priority: port.partner_oper.system_priority,
                        partner_key: port.partner_oper.key,
                        active: false,
                    };
                }
                f
            }
            // C: "Port %d did not find a suitable aggregator" (cannot
            // happen: the port's own aggregator is free when unused).
            (None, None) => return,
        };
        let agg_id = members.get(target).map(|m| m.agg.id).unwrap_or(0);
        if let Some(m) = members.get_mut(i) {
            m.port.agg = Some(target);
            m.port.agg_id = agg_id;
            m.port.vars |= vars::SELECTED;
        }
        set_ready(members, target);
        self.agg_selection(members, out);
        let active = members.get(target).is_some_and(|m| m.agg.active);
        if !active {
            if let Some(m) = members.get_mut(i) {
                m.port.oper_state &= !state::SYNC;
            }
        }
    }

    /// C's `ad_agg_selection_logic`.
    fn agg_selection(&mut self, members: &mut [Member], out: &mut Outcome) {
        let active = members.iter().position(|m| m.agg.active);
        let mut best = active.filter(|&a| agg_device_up(members, a));
        for j in 0..members.len() {
            if let Some(m) = members.get_mut(j) {
                m.agg.active = false;
            }
            if active_ports(members, j) > 0 && agg_device_up(members, j) {
                best = Some(match best {
                    None => j,
                    Some(b) => self.better(members, b, j),
                });
            }
        }
        if let (Some(b), AdSelect::Stable) = (best, self.params.ad_select) {
            if let Some(a) = active {
                let (aa, ba) = match (members.get(a), members.get(b)) {
                    (Some(x), Some(y)) => (x.agg.clone(), y.agg.clone()),
                    _ => return,
                };
                let keep = attached(members, a) > 0
                    && active_ports(members, a) > 0
                    && (aa.has_partner() || !ba.has_partner());
                if keep && !(aa.oper_key == 0 && ba.oper_key != 0) {
                    best = None;
                    if let Some(m) = members.get_mut(a) {
                        m.agg.active = true;
                    }
                }
            }
        }
        if best.is_some() && best == active {
            best = None;
            if let Some(m) = active.and_then(|a| members.get_mut(a)) {
                m.agg.active = true;
            }
        }
        if let Some(b) = best {
            if let Some(m) = members.get_mut(b) {
                m.agg.active = true;
            }
            if let Some(a) = active {
                for m in members.iter_mut().filter(|m| m.port.agg == Some(a)) {
                    m.port.disable();
                }
            }
            out.update = true;
        }
        // An active aggregator of individual links (no partner) is enabled
        // as it is.
        if let Some(a) = members.iter().position(|m| m.agg.active) {
            if members.get(a).is_some_and(|m| !m.agg.has_partner()) {
                for m in members.iter_mut().filter(|m| m.port.agg == Some(a)) {
                    m.port.enable();
                }
                out.update = true;
            }
        }
    }

    /// C's `ad_agg_selection_test`: `curr` if it beats `best`.
    fn better(&self, members: &[Member], best: usize, curr: usize) -> usize {
        let (Some(b), Some(c)) = (members.get(best), members.get(curr)) else {
            return best;
        };
        let (b, c) = (&b.agg, &c.agg);
        if !c.individual && b.individual {
            return curr;
        }
        if c.individual && !b.individual {
            return best;
        }
        if c.has_partner() && !b.has_partner() {
            return curr;
        }
        if !c.has_partner() && b.has_partner() {
            return best;
        }
        let policy = self.params.ad_select;
        if policy == AdSelect::ActorPortPrio {
            let (pc, pb) = (ports_priority(members, curr), ports_priority(members, best));
            if pc != pb {
                return if pc > pb { curr } else { best };
            }
        }
        if matches!(policy, AdSelect::ActorPortPrio | AdSelect::Count) {
            let (nc, nb) = (active_ports(members, curr), active_ports(members, best));
            if nc != nb {
                return if nc > nb { curr } else { best };
            }
        }
        if bandwidth(members, curr) > bandwidth(members, best) {
            curr
        } else {
            best
        }
    }

    /// C's `ad_mux_machine`.
    fn mux_machine(&mut self, members: &mut [Member], i: usize, tick: bool, out: &mut Outcome) {
        let Some(port) = members.get(i).map(|m| &m.port) else {
            return;
        };
        let last = port.mux;
        let agg = port.agg;
        let agg_active = agg
            .and_then(|a| members.get(a))
            .is_some_and(|m| m.agg.active);
        let selected = port.selected();
        let standby = port.has(vars::STANDBY);
        let partner_sync = port.partner_oper.state & state::SYNC != 0;
        let partner_collecting = port.partner_oper.state & state::COLLECTING != 0;
        let actor_sync = port.oper_state & state::SYNC != 0;
        let select_pending = self.select_timer != 0;
        let coupled = self.params.coupled;

        let mut next = last;
        let mut refresh_ready = false;
        let mut enable = false;
        let mut enable_collecting = false;
        if port.has(vars::BEGIN) {
            next = MuxState::Detached;
        } else {
            let back_to_attached = !selected || standby || !partner_sync || !actor_sync;
            match last {
                MuxState::Detached => {
                    if selected || standby {
                        next = MuxState::Waiting;
                    }
                }
                MuxState::Waiting => {
                    if !selected {
                        if let Some(m) = members.get_mut(i) {
                            m.port.vars &= !vars::READY_N;
                        }
                        refresh_ready = true;
                        next = MuxState::Detached;
                    } else {
                        let mut timer = port.mux_timer;
                        let mut ready_n = port.has(vars::READY_N);
                        if tick && timer != 0 {
                            timer -= 1;
                            if timer == 0 {
                                ready_n = true;
                            }
                        }
                        if let Some(m) = members.get_mut(i) {
                            m.port.mux_timer = timer;
                            m.port.set(vars::READY_N, ready_n);
                        }
                        if let Some(a) = agg {
                            set_ready(members, a);
                        }
                        let ready = members.get(i).is_some_and(|m| m.port.has(vars::READY));
                        if ready && timer == 0 {
                            next = MuxState::Attached;
                        }
                    }
                }
                MuxState::Attached => {
                    if selected && partner_sync && !select_pending {
                        if agg_active {
                            next = if coupled {
                                MuxState::CollectingDistributing
                            } else {
                                MuxState::Collecting
                            };
                        }
                    } else if !selected || standby {
                        if let Some(m) = members.get_mut(i) {
                            m.port.vars &= !vars::READY_N;
                        }
                        refresh_ready = true;
                        next = MuxState::Detached;
                    } else if agg_active {
                        if let Some(m) = members.get_mut(i) {
                            m.port.oper_state |= state::SYNC;
                        }
                    }
                }
                MuxState::CollectingDistributing => {
                    if back_to_attached {
                        next = MuxState::Attached;
                    } else if agg_active && !port.tx_enabled {
                        enable = true;
                    }
                }
                MuxState::Collecting => {
                    if back_to_attached {
                        next = MuxState::Attached;
                    } else if selected && partner_sync && partner_collecting {
                        next = MuxState::Distributing;
                    } else if agg_active && !port.rx_enabled {
                        enable_collecting = true;
                    }
                }
                MuxState::Distributing => {
                    if !selected || standby || !partner_collecting || !partner_sync || !actor_sync {
                        next = MuxState::Collecting;
                    } else if agg_active && !port.tx_enabled {
                        enable = true;
                    }
                }
                MuxState::Dummy => {}
            }
        }
        if refresh_ready {
            if let Some(a) = agg {
                set_ready(members, a);
            }
        }
        let agg_has_partner = agg
            .and_then(|a| members.get(a))
            .is_some_and(|m| m.agg.has_partner());
        let Some(m) = members.get_mut(i) else {
            return;
        };
        let p = &mut m.port;
        if enable {
            p.enable();
            out.update = true;
        }
        if enable_collecting {
            p.enable_collecting();
            out.update = true;
        }
        p.mux = next;
        if next == last {
            return;
        }
        const CD: u8 = state::COLLECTING | state::DISTRIBUTING;
        match next {
            MuxState::Detached => {
                p.oper_state &= !(state::SYNC | CD);
                if agg_has_partner {
                    p.disable();
                    out.update = true;
                }
                p.ntt = true;
            }
            // Entered between ticks: one tick more, so the wait is never short.
            MuxState::Waiting => p.mux_timer = WAIT_WHILE_TICKS + u16::from(!tick),
            MuxState::Attached => {
                if agg_active {
                    p.oper_state |= state::SYNC;
                } else {
                    p.oper_state &= !state::SYNC;
                }
                p.oper_state &= !CD;
                if agg_has_partner {
                    p.disable();
                    out.update = true;
                }
                p.ntt = true;
            }
            MuxState::CollectingDistributing => {
                p.oper_state |= CD | state::SYNC;
                if agg_active {
                    p.enable();
                    out.update = true;
                    out.peer_notify = true;
                }
                p.ntt = true;
            }
            MuxState::Collecting => {
                p.oper_state |= state::COLLECTING | state::SYNC;
                p.oper_state &= !state::DISTRIBUTING;
                if agg_active {
                    p.enable_collecting();
                }
                if agg_has_partner {
                    p.tx_enabled = false;
                    out.update = true;
                }
                p.ntt = true;
            }
            MuxState::Distributing => {
                p.oper_state |= state::DISTRIBUTING | state::SYNC;
                if agg_active {
                    p.enable();
                    out.update = true;
                    out.peer_notify = true;
                }
            }
            MuxState::Dummy => {}
        }
    }

    /// The active aggregator (C's `__bond_3ad_get_active_agg_info`): the
    /// first port, in slave order, attached to an active aggregator.
    pub fn active_info(members: &[Member]) -> Option<AggInfo> {
        let a = members
            .iter()
            .filter_map(|m| m.port.agg)
            .find(|&a| members.get(a).is_some_and(|m| m.agg.active))?;
        let agg = &members.get(a)?.agg;
        Some(AggInfo {
            id: agg.id,
            ports: active_ports(members, a) as u16,
            actor_key: agg.oper_key,
            partner_key: agg.partner_key,
            partner_mac: agg.partner_system,
        })
    }

    /// Index of the active aggregator's owner, as C's `__get_active_agg`
    /// finds it (first slave whose aggregator is active).
    pub fn active_agg(members: &[Member]) -> Option<usize> {
        members.iter().position(|m| m.agg.active)
    }

    /// The carrier the bond should have (C's `bond_3ad_set_carrier`), or
    /// `None` to leave it (no slaves).
    pub fn carrier(&self, members: &[Member]) -> Option<bool> {
        if members.is_empty() {
            return None;
        }
        let Some(a) = Self::active_agg(members) else {
            return Some(false);
        };
        let n = if self.params.lacp_strict {
            usable_ports(members, a)
        } else {
            active_ports(members, a)
        };
        Some(n >= self.params.min_links as usize)
    }

    /// Whether member `i`'s port is attached to the active aggregator and
    /// may transmit there (C's slave-array rule for 802.3ad).
    pub fn in_active(members: &[Member], i: usize) -> bool {
        let Some(a) = Self::active_info(members) else {
            return false;
        };
        members
            .get(i)
            .and_then(|m| m.port.agg)
            .and_then(|x| members.get(x))
            .is_some_and(|m| m.agg.id == a.id)
    }
}

fn only_port_is(members: &[Member], agg: usize, port: usize) -> bool {
    let mut attached = members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.port.agg == Some(agg));
    matches!((attached.next(), attached.next()), (Some((p, _)), None) if p == port)
}

/// Ports attached to aggregator `a`.
fn attached(members: &[Member], a: usize) -> usize {
    members.iter().filter(|m| m.port.agg == Some(a)).count()
}

/// Ports attached to aggregator `a` whose link is enabled.
fn active_ports(members: &[Member], a: usize) -> usize {
    members
        .iter()
        .filter(|m| m.port.agg == Some(a) && m.port.enabled)
        .count()
}

/// Ports attached to `a` that collect and distribute.
fn usable_ports(members: &[Member], a: usize) -> usize {
    const CD: u8 = state::COLLECTING | state::DISTRIBUTING;
    members
        .iter()
        .filter(|m| m.port.agg == Some(a) && m.port.oper_state & CD == CD)
        .count()
}

fn ports_priority(members: &[Member], a: usize) -> u32 {
    members
        .iter()
        .filter(|m| m.port.agg == Some(a) && m.port.enabled)
        .map(|m| u32::from(m.port.priority))
        .sum()
}

/// Total bandwidth of `a`: its enabled ports times the speed of the first
/// attached port.
fn bandwidth(members: &[Member], a: usize) -> u32 {
    let n = active_ports(members, a) as u32;
    let code = members
        .iter()
        .find(|m| m.port.agg == Some(a))
        .map(|m| m.port.speed_code())
        .unwrap_or(0);
    n.saturating_mul(code_mbps(code))
}

/// Some port of `a` has a running device with carrier.
fn agg_device_up(members: &[Member], a: usize) -> bool {
    members
        .iter()
        .any(|m| m.port.agg == Some(a) && m.port.link.dev_up)
}

/// READY of every port of `a` := all of them are READY_N.
fn set_ready(members: &mut [Member], a: usize) {
    let ready = members
        .iter()
        .filter(|m| m.port.agg == Some(a))
        .all(|m| m.port.has(vars::READY_N));
    for m in members.iter_mut().filter(|m| m.port.agg == Some(a)) {
        m.port.set(vars::READY, ready);
    }
}
