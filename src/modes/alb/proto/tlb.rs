// SPDX-License-Identifier: GPL-2.0

//! Transmit load balancing (C's `tlb_*` functions), shared by balance-tlb
//! and balance-alb.
//!
//! A packet that may be balanced falls into one of 256 client entries (see
//! [`super::ipv4_index`], [`super::ipv6_index`], [`super::tlb_index`]). An
//! entry without a slave is given the slave with the largest gap between
//! its speed and its load ([`least_loaded`]) and joins that slave's list of
//! entries; the slave's load grows by the entry's load history. Every
//! packet adds its length to the entry's byte count. Every
//! [`BOND_TLB_REBALANCE_TICKS`] the monitor clears every slave's list,
//! turning each entry's bytes into its load history (bytes per second over
//! the interval, plus one), and the active slave's load becomes the
//! traffic it carried unbalanced; the next packets assign the entries
//! afresh.
//!
//! All arithmetic is C's 32-bit unsigned arithmetic (wrapping). Walks of
//! the lists stop after [`TLB_HASH_TABLE_SIZE`] steps whatever the links
//! say.

use super::{position, Slave, SlaveId, ALB_TIMER_TICKS_PER_SEC};

/// Entries of the transmit table (C's `TLB_HASH_TABLE_SIZE`).
pub const TLB_HASH_TABLE_SIZE: usize = 256;

/// Seconds between two rebalances (C's `BOND_TLB_REBALANCE_INTERVAL`).
pub const BOND_TLB_REBALANCE_INTERVAL: u32 = 10;

/// Monitor ticks between two rebalances (C's `BOND_TLB_REBALANCE_TICKS`).
pub const BOND_TLB_REBALANCE_TICKS: u32 = BOND_TLB_REBALANCE_INTERVAL * ALB_TIMER_TICKS_PER_SEC;

/// Default seconds between two rounds of learning packets (C's
/// `BOND_ALB_DEFAULT_LP_INTERVAL`, option `lp_interval`).
pub const BOND_ALB_DEFAULT_LP_INTERVAL: u32 = 1;

/// C's `BOND_ALB_LP_TICKS`: `lp_interval` in monitor ticks, computed as C
/// does in `int` (wrapping above 214748364 s).
pub fn lp_ticks(lp_interval: u32) -> i32 {
    (lp_interval as i32).wrapping_mul(ALB_TIMER_TICKS_PER_SEC as i32)
}

/// One client entry of the transmit table (C's `tlb_client_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlbEntry {
    /// The slave packets of this entry leave on.
    pub tx_slave: Option<SlaveId>,
    /// Bytes sent through this entry since the last rebalance.
    pub tx_bytes: u32,
    /// Bytes per second of the previous interval, plus one.
    pub load_history: u32,
    /// The next entry of the same slave's list.
    pub next: Option<u8>,
    /// The previous entry of the same slave's list.
    pub prev: Option<u8>,
}

impl TlbEntry {
    const fn new() -> Self {
        TlbEntry {
            tx_slave: None,
            tx_bytes: 0,
            load_history: 0,
            next: None,
            prev: None,
        }
    }

    /// C's `tlb_init_table_entry`.
    fn clear(&mut self, save_load: bool) {
        if save_load {
            self.load_history = 1 + self.tx_bytes / BOND_TLB_REBALANCE_INTERVAL;
            self.tx_bytes = 0;
        }
        self.tx_slave = None;
        self.next = None;
        self.prev = None;
    }
}

/// A slave's transmit state (C's `tlb_slave_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TlbSlave {
    /// The first entry of the slave's list.
    pub head: Option<u8>,
    /// The load of the slave in bytes per second: the load histories of
    /// its entries, plus (on the active slave) its unbalanced traffic.
    pub load: u32,
}

impl TlbSlave {
    /// No entries, no load (C's `tlb_init_slave`).
    pub const fn new() -> Self {
        TlbSlave {
            head: None,
            load: 0,
        }
    }
}

/// C's `compute_gap`: speed in bit/s (Mbit/s shifted by 20) minus load in
/// bit/s (bytes shifted by 3), each shifted in 32 bits as C does.
pub fn compute_gap(slave: &Slave) -> i64 {
    i64::from(slave.speed.wrapping_shl(20)) - i64::from(slave.tlb.load.wrapping_shl(3))
}

/// C's `tlb_get_least_loaded_slave`: the position of the slave, among
/// those that can transmit, with the largest gap (the first on a tie).
pub fn least_loaded(slaves: &[Slave]) -> Option<usize> {
    let mut best: Option<(usize, i64)> = None;
    for (i, s) in slaves.iter().enumerate() {
        if !s.can_tx {
            continue;
        }
        let gap = compute_gap(s);
        if best.is_none_or(|(_, max)| max < gap) {
            best = Some((i, gap));
        }
    }
    best.map(|(i, _)| i)
}

/// What to do with a packet (C's `bond_do_alb_xmit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tx {
    /// Send it on `slave`; when `rewrite_src`, first set its Ethernet
    /// source to that slave's MAC (it is not the active slave).
    Send {
        /// The slave to send on.
        slave: SlaveId,
        /// The slave is not the active slave.
        rewrite_src: bool,
    },
    /// No slave can take it: count it as a transmit drop.
    Drop,
}

/// What a monitor tick asks for (see [`Tlb::tick`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TlbTick {
    /// The bond has no slaves: the counters were reset and, as in C, the
    /// rest of the monitor (the receive side) does not run this tick.
    pub idle: bool,
    /// Send learning packets now on every slave, each with its own MAC;
    /// C matches upper devices strictly except on the active slave in
    /// balance-tlb.
    pub send_learning: bool,
    /// The entries were rebalanced this tick.
    pub rebalanced: bool,
}

/// The bond's transmit-balancing state (the tlb part of C's
/// `alb_bond_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlb {
    table: [TlbEntry; TLB_HASH_TABLE_SIZE],
    /// Bytes sent unbalanced (through the active slave because no entry
    /// chose a slave) since the last rebalance.
    pub unbalanced_load: u32,
    /// Ticks since the last rebalance (C's `tx_rebalance_counter`).
    pub tx_rebalance_counter: u32,
    /// Ticks since the last learning packets (C's `lp_counter`).
    pub lp_counter: i32,
}

impl Default for Tlb {
    fn default() -> Self {
        Self::new()
    }
}

impl Tlb {
    /// An empty table, all counters zero (C's zeroed `alb_bond_info` after
    /// `tlb_initialize`).
    pub const fn new() -> Self {
        Tlb {
            table: [TlbEntry::new(); TLB_HASH_TABLE_SIZE],
            unbalanced_load: 0,
            tx_rebalance_counter: 0,
            lp_counter: 0,
        }
    }

    /// C's `tlb_initialize` (bond open): every entry empty, byte counts and
    /// load histories zero; the counters are left as they are, as in C.
    /// The slaves' lists must be reset too ([`TlbSlave::new`]); C's open
    /// has no slaves with entries.
    pub fn initialize(&mut self) {
        // In place: the table is too big for a temporary on a kernel stack.
        for e in self.table.iter_mut() {
            *e = TlbEntry::new();
        }
    }

    /// C's `tlb_deinitialize` (bond close): C frees the table, so slaves
    /// leaving while the bond is down find no entries; here it is emptied.
    pub fn deinitialize(&mut self) {
        self.initialize();
    }

    /// Entry `index`.
    pub fn entry(&self, index: u8) -> &TlbEntry {
        &self.table[usize::from(index)]
    }

    fn at(&mut self, index: u8) -> &mut TlbEntry {
        &mut self.table[usize::from(index)]
    }

    /// The entries of `slave`'s list, head first.
    pub fn slave_entries<'a>(&'a self, slave: &TlbSlave) -> impl Iterator<Item = u8> + 'a {
        let mut cur = slave.head;
        (0..TLB_HASH_TABLE_SIZE).map_while(move |_| {
            let i = cur?;
            cur = self.entry(i).next;
            Some(i)
        })
    }

    /// C's `tlb_clear_slave`: every entry of `slave`'s list loses its
    /// slave (with `save_load`, its bytes become its load history) and the
    /// slave has no entries and no load. `slave` need not be in the slave
    /// list any more (C clears a released slave after detaching it).
    pub fn clear_slave(&mut self, slave: &mut Slave, save_load: bool) {
        let mut cur = slave.tlb.head;
        for _ in 0..TLB_HASH_TABLE_SIZE {
            let Some(i) = cur else { break };
            let e = self.at(i);
            cur = e.next;
            e.clear(save_load);
        }
        slave.tlb = TlbSlave::new();
    }

    /// Every entry naming slave `id` loses it, whatever the lists say
    /// (entries of a slave the glue forgot to clear).
    fn forget(&mut self, id: SlaveId) {
        for e in self.table.iter_mut() {
            if e.tx_slave == Some(id) {
                e.clear(false);
            }
        }
    }

    /// A slave joins (the tlb part of C's `bond_alb_init_slave`): it starts
    /// with no entries and no load, and a rebalance is due at the next
    /// tick. Entries still naming its id (a reused id) are emptied.
    pub fn init_slave(&mut self, slave: &mut Slave) {
        self.forget(slave.id);
        slave.tlb = TlbSlave::new();
        self.tx_rebalance_counter = BOND_TLB_REBALANCE_TICKS;
    }

    /// A slave's link went down (C's `bond_alb_handle_link_change`, down):
    /// its entries are cleared, their loads not saved.
    pub fn link_down(&mut self, slave: &mut Slave) {
        self.clear_slave(slave, false);
    }

    /// A slave's link came up: a rebalance is due at the next tick.
    pub fn link_up(&mut self) {
        self.tx_rebalance_counter = BOND_TLB_REBALANCE_TICKS;
    }

    /// A slave leaves the bond (the tlb part of C's
    /// `bond_alb_deinit_slave`): its entries are cleared, loads not saved.
    pub fn deinit_slave(&mut self, slave: &mut Slave) {
        self.clear_slave(slave, false);
    }

    /// The active slave changes from `old` to `new` (the tlb part of C's
    /// `bond_alb_handle_active_change`, `old` being the previous active
    /// slave or else the slave holding the bond's MAC): both lose their
    /// entries, loads saved.
    pub fn active_change(&mut self, old: Option<&mut Slave>, new: &mut Slave) {
        if let Some(o) = old {
            self.clear_slave(o, true);
        }
        self.clear_slave(new, true);
    }

    /// C's `tlb_choose_channel`: the slave for a packet of `len` bytes
    /// falling into entry `index`. An entry without a slave gets the least
    /// loaded one (and joins its list); the entry's byte count grows by
    /// `len` when it has a slave. The slave returned may be one that can
    /// no longer transmit (as in C; [`Tlb::do_xmit`] then drops the packet
    /// and clears it).
    pub fn choose_channel(&mut self, slaves: &mut [Slave], index: u8, len: u32) -> Option<SlaveId> {
        let mut assigned = self.entry(index).tx_slave;
        if let Some(id) = assigned {
            if position(slaves, id).is_none() {
                self.forget(id);
                assigned = None;
            }
        }
        if assigned.is_none() {
            if let Some(pos) = least_loaded(slaves) {
                if let Some(s) = slaves.get_mut(pos) {
                    let next = s.tlb.head;
                    let load_history = {
                        let e = self.at(index);
                        e.tx_slave = Some(s.id);
                        e.next = next;
                        e.prev = None;
                        e.load_history
                    };
                    if let Some(n) = next {
                        self.at(n).prev = Some(index);
                    }
                    s.tlb.head = Some(index);
                    s.tlb.load = s.tlb.load.wrapping_add(load_history);
                    assigned = Some(s.id);
                }
            }
        }
        if assigned.is_some() {
            let e = self.at(index);
            e.tx_bytes = e.tx_bytes.wrapping_add(len);
        }
        assigned
    }

    /// C's `bond_do_alb_xmit`: where a packet of `len` bytes goes, given
    /// the slave the balancing chose (`None`: not balanced, or nothing
    /// chosen) and the active slave. An unchosen packet takes the active
    /// slave and, with `dynamic_lb` (`tlb_dynamic_lb`, in balance-tlb and
    /// balance-alb alike: switching to balance-alb sets it, but it can be
    /// cleared afterwards), counts as unbalanced load. A chosen slave that cannot
    /// transmit loses its entries (with `dynamic_lb`) and the packet is
    /// dropped.
    pub fn do_xmit(
        &mut self,
        slaves: &mut [Slave],
        chosen: Option<SlaveId>,
        curr_active: Option<SlaveId>,
        len: u32,
        dynamic_lb: bool,
    ) -> Tx {
        let tx = match chosen {
            Some(id) => Some(id),
            None => {
                if dynamic_lb {
                    self.unbalanced_load = self.unbalanced_load.wrapping_add(len);
                }
                curr_active
            }
        };
        let Some(id) = tx else { return Tx::Drop };
        match position(slaves, id).and_then(|p| slaves.get_mut(p)) {
            Some(s) if s.can_tx => Tx::Send {
                slave: id,
                rewrite_src: Some(id) != curr_active,
            },
            Some(s) => {
                if dynamic_lb {
                    self.clear_slave(s, false);
                }
                Tx::Drop
            }
            None => {
                if dynamic_lb {
                    self.forget(id);
                }
                Tx::Drop
            }
        }
    }

    /// The transmit part of C's `bond_alb_monitor`, once per tick:
    /// learning packets every `lp_interval` seconds, and every
    /// [`BOND_TLB_REBALANCE_TICKS`] all slaves cleared with their loads
    /// saved, the active slave's load set to its unbalanced traffic per
    /// second.
    pub fn tick(
        &mut self,
        slaves: &mut [Slave],
        curr_active: Option<SlaveId>,
        lp_interval: u32,
    ) -> TlbTick {
        let mut out = TlbTick::default();
        if slaves.is_empty() {
            self.tx_rebalance_counter = 0;
            self.lp_counter = 0;
            out.idle = true;
            return out;
        }
        self.tx_rebalance_counter = self.tx_rebalance_counter.wrapping_add(1);
        self.lp_counter = self.lp_counter.wrapping_add(1);

        if self.lp_counter >= lp_ticks(lp_interval) {
            out.send_learning = true;
            self.lp_counter = 0;
        }

        if self.tx_rebalance_counter >= BOND_TLB_REBALANCE_TICKS {
            for s in slaves.iter_mut() {
                self.clear_slave(s, true);
                if Some(s.id) == curr_active {
                    s.tlb.load = self.unbalanced_load / BOND_TLB_REBALANCE_INTERVAL;
                    self.unbalanced_load = 0;
                }
            }
            self.tx_rebalance_counter = 0;
            out.rebalanced = true;
        }
        out
    }
}
