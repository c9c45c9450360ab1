// SPDX-License-Identifier: GPL-2.0

//! Receive load balancing of balance-alb (C's `rlb_*` functions).
//!
//! The bond balances what it receives by telling each IPv4 client, in ARP
//! replies, a different slave's MAC for the bond's address. The client
//! table has 256 entries indexed by the hash of the client's IP address
//! (the target of the ARP the bond sends, the sender of the ARP it
//! receives); a new client replaces whatever client collided with it.
//!
//! Entries in use form a doubly linked list from [`Rlb::used_head`]
//! (`used_next`/`used_prev`). Entries also form one list per hash of the
//! server address (`ip_src`): the list of hash `h` starts at
//! `src_first` of entry `h` (whatever entry `h` itself holds), and its
//! first member's `src_prev` is `h`. Those lists let a received ARP purge
//! the clients of a server address that another host now uses.
//!
//! Nothing is sent from here: operations return the ARP updates to send
//! ([`ClientUpdate`], [`Updates`]). Walks of the lists stop after
//! [`RLB_HASH_TABLE_SIZE`] steps whatever the links say.

use super::{
    has_mac, is_broadcast, is_valid_ether_addr, is_zero, position, simple_hash, Slave, SlaveId,
    ALB_TIMER_TICKS_PER_SEC, ETH_ALEN,
};

/// Entries of the receive table (C's `RLB_HASH_TABLE_SIZE`).
pub const RLB_HASH_TABLE_SIZE: usize = 256;

/// Ticks the client updates wait after the bond sent an ARP request, and
/// between two rounds of updates (C's `RLB_UPDATE_DELAY`, 2 s).
pub const RLB_UPDATE_DELAY: u32 = 2 * ALB_TIMER_TICKS_PER_SEC;

/// ARP replies sent per client update (C's `RLB_ARP_BURST_SIZE`).
pub const RLB_ARP_BURST_SIZE: u32 = 2;

/// Extra rounds of updates after a slave left or changed its MAC (C's
/// `RLB_UPDATE_RETRY`).
pub const RLB_UPDATE_RETRY: u32 = 3;

/// Ticks the active slave stays promiscuous after it was taught a
/// disabled slave's MAC (C's `RLB_PROMISC_TIMEOUT`, 10 s).
pub const RLB_PROMISC_TIMEOUT: u32 = 10 * ALB_TIMER_TICKS_PER_SEC;

/// ARP operation: request.
pub const ARPOP_REQUEST: u16 = 1;

/// ARP operation: reply.
pub const ARPOP_REPLY: u16 = 2;

/// Bytes of an Ethernet/IPv4 ARP packet (C's `struct arp_pkt`).
pub const ARP_PKT_LEN: usize = 28;

/// The fields of an ARP packet the tables use (C's `struct arp_pkt`):
/// addresses as on the wire, the operation in host order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ArpPkt {
    /// The operation ([`ARPOP_REQUEST`], [`ARPOP_REPLY`], ...).
    pub op: u16,
    /// Sender hardware address.
    pub mac_src: [u8; ETH_ALEN],
    /// Sender IP address.
    pub ip_src: [u8; 4],
    /// Target hardware address.
    pub mac_dst: [u8; ETH_ALEN],
    /// Target IP address.
    pub ip_dst: [u8; 4],
}

fn take<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

impl ArpPkt {
    /// The ARP packet at the start of `b` (the network header), read as C
    /// reads it: the first [`ARP_PKT_LEN`] bytes as Ethernet/IPv4 ARP,
    /// address types and lengths unchecked. `None` when `b` is shorter.
    pub fn parse(b: &[u8]) -> Option<Self> {
        Some(ArpPkt {
            op: u16::from_be_bytes(take(b, 6)?),
            mac_src: take(b, 8)?,
            ip_src: take(b, 14)?,
            mac_dst: take(b, 18)?,
            ip_dst: take(b, 24)?,
        })
    }
}

/// One client entry of the receive table (C's `rlb_client_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RlbEntry {
    /// The bond's (server's) IP address.
    pub ip_src: [u8; 4],
    /// The client's IP address.
    pub ip_dst: [u8; 4],
    /// The server MAC the bond's ARP carried.
    pub mac_src: [u8; ETH_ALEN],
    /// The client's MAC (broadcast or zero until learned).
    pub mac_dst: [u8; ETH_ALEN],
    /// Next entry in use.
    pub used_next: Option<u8>,
    /// Previous entry in use.
    pub used_prev: Option<u8>,
    /// Next entry of the same `ip_src` hash list.
    pub src_next: Option<u8>,
    /// Previous entry of the same `ip_src` hash list (for the first
    /// member: the entry holding the list's head).
    pub src_prev: Option<u8>,
    /// The first entry of the list of `ip_src` hash equal to this entry's
    /// index.
    pub src_first: Option<u8>,
    /// The entry is in use.
    pub assigned: bool,
    /// The client needs an ARP update.
    pub ntt: bool,
    /// The slave the client should send to.
    pub slave: Option<SlaveId>,
    /// The VLAN tag control word of the bond's ARP (0: untagged).
    pub vlan_id: u16,
}

impl RlbEntry {
    const fn new() -> Self {
        RlbEntry {
            ip_src: [0; 4],
            ip_dst: [0; 4],
            mac_src: [0; ETH_ALEN],
            mac_dst: [0; ETH_ALEN],
            used_next: None,
            used_prev: None,
            src_next: None,
            src_prev: None,
            src_first: None,
            assigned: false,
            ntt: false,
            slave: None,
            vlan_id: 0,
        }
    }

    /// C's `rlb_init_table_entry_dst`.
    fn clear_dst(&mut self) {
        self.used_next = None;
        self.used_prev = None;
        self.assigned = false;
        self.slave = None;
        self.vlan_id = 0;
    }
}

/// An ARP update to send to a client (C's `rlb_update_client`): from
/// `slave`, [`RLB_ARP_BURST_SIZE`] ARP replies to `ip_dst` at `mac_dst`
/// saying `ip_src` is at the slave's MAC, with target hardware address
/// `mac_dst`, VLAN-tagged with `vlan_id` when it is non-zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientUpdate {
    /// The client's entry.
    pub index: u8,
    /// The slave to send from (and whose MAC to announce).
    pub slave: SlaveId,
    /// The server address announced.
    pub ip_src: [u8; 4],
    /// The client's address.
    pub ip_dst: [u8; 4],
    /// The client's MAC.
    pub mac_dst: [u8; ETH_ALEN],
    /// The VLAN tag control word (0: untagged).
    pub vlan_id: u16,
}

/// Clients to update, in the order C sends to them (entry indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Updates {
    idx: [u8; RLB_HASH_TABLE_SIZE],
    len: u16,
}

impl Default for Updates {
    fn default() -> Self {
        Self::new()
    }
}

impl Updates {
    /// None.
    pub const fn new() -> Self {
        Updates {
            idx: [0; RLB_HASH_TABLE_SIZE],
            len: 0,
        }
    }

    fn push(&mut self, i: u8) {
        if let Some(slot) = self.idx.get_mut(usize::from(self.len)) {
            *slot = i;
            self.len += 1;
        }
    }

    /// How many clients.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// No client to update.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entry indexes.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.idx.iter().take(self.len()).copied()
    }

    /// The updates to send, read from `rlb` (call before anything else
    /// changes it).
    pub fn clients<'a>(&'a self, rlb: &'a Rlb) -> impl Iterator<Item = ClientUpdate> + 'a {
        self.iter().filter_map(|i| rlb.client_update(i))
    }
}

/// The outcome of [`Rlb::choose_channel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Choice {
    /// The slave the client is (now) assigned to.
    pub slave: Option<SlaveId>,
    /// The client that held the entry before, moved to the active slave:
    /// send it this update at once.
    pub moved: Option<ClientUpdate>,
}

/// The outcome of [`Rlb::arp_xmit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ArpXmit {
    /// The slave to send the ARP on (`None`: the active slave).
    pub slave: Option<SlaveId>,
    /// Rewrite the ARP sender hardware address to this MAC first (a reply
    /// leaving on a slave whose MAC differs from it).
    pub rewrite_sender: Option<[u8; ETH_ALEN]>,
    /// See [`Choice::moved`].
    pub moved: Option<ClientUpdate>,
    /// Clients found in use without a slave (C logs "found a client with
    /// no channel in the client's hash table" once for each).
    pub no_channel: u16,
}

/// The bond's receive-balancing state (the rlb part of C's
/// `alb_bond_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rlb {
    table: [RlbEntry; RLB_HASH_TABLE_SIZE],
    used_head: Option<u8>,
    /// Some client needs an update.
    pub rx_ntt: bool,
    /// The slave the last client was given (C's `rx_slave`).
    pub rx_slave: Option<SlaveId>,
    /// The active slave was made promiscuous to learn a disabled slave's
    /// MAC.
    pub primary_is_promisc: bool,
    /// Ticks the active slave has been promiscuous.
    pub promisc_timeout_counter: u32,
    /// Ticks before the next round of client updates.
    pub update_delay_counter: u32,
    /// Rounds of updates still to repeat.
    pub update_retry_counter: u32,
    /// Reassign every client at the next tick.
    pub rebalance: bool,
}

impl Default for Rlb {
    fn default() -> Self {
        Self::new()
    }
}

impl Rlb {
    /// An empty table, all counters and flags clear.
    pub const fn new() -> Self {
        Rlb {
            table: [RlbEntry::new(); RLB_HASH_TABLE_SIZE],
            used_head: None,
            rx_ntt: false,
            rx_slave: None,
            primary_is_promisc: false,
            promisc_timeout_counter: 0,
            update_delay_counter: 0,
            update_retry_counter: 0,
            rebalance: false,
        }
    }

    /// C's `rlb_initialize` (bond open): every entry empty; counters and
    /// flags are left as they are, as in C.
    pub fn initialize(&mut self) {
        // In place: the table is too big for a temporary on a kernel stack.
        for e in self.table.iter_mut() {
            *e = RlbEntry::new();
        }
        self.used_head = None;
    }

    /// C's `rlb_deinitialize` (bond close): C frees the table, so a slave
    /// leaving while the bond is down moves no client and marks no update;
    /// here the table is emptied.
    pub fn deinitialize(&mut self) {
        self.initialize();
    }

    /// Entry `index`.
    pub fn entry(&self, index: u8) -> &RlbEntry {
        &self.table[usize::from(index)]
    }

    fn at(&mut self, index: u8) -> &mut RlbEntry {
        &mut self.table[usize::from(index)]
    }

    /// The first entry in use.
    pub fn used_head(&self) -> Option<u8> {
        self.used_head
    }

    /// The entries in use, in list order (newest first).
    pub fn used(&self) -> impl Iterator<Item = u8> + '_ {
        let mut cur = self.used_head;
        (0..RLB_HASH_TABLE_SIZE).map_while(move |_| {
            let i = cur?;
            cur = self.entry(i).used_next;
            Some(i)
        })
    }

    /// The entries whose `ip_src` hashes to `hash`, in list order.
    pub fn src_list(&self, hash: u8) -> impl Iterator<Item = u8> + '_ {
        let mut cur = self.entry(hash).src_first;
        (0..RLB_HASH_TABLE_SIZE).map_while(move |_| {
            let i = cur?;
            cur = self.entry(i).src_next;
            Some(i)
        })
    }

    /// The used list as a fixed array, for walks that change entries.
    fn used_snapshot(&self) -> Updates {
        let mut u = Updates::new();
        for i in self.used() {
            u.push(i);
        }
        u
    }

    /// The update C's `rlb_update_client` would send for entry `index`:
    /// `None` when the client has no slave or no valid unicast MAC.
    pub fn client_update(&self, index: u8) -> Option<ClientUpdate> {
        let e = self.entry(index);
        let slave = e.slave?;
        if !is_valid_ether_addr(&e.mac_dst) {
            return None;
        }
        Some(ClientUpdate {
            index,
            slave,
            ip_src: e.ip_src,
            ip_dst: e.ip_dst,
            mac_dst: e.mac_dst,
            vlan_id: e.vlan_id,
        })
    }

    /// C's `__rlb_next_rx_slave`: the next slave to give a client, round
    /// robin over the slaves that can transmit, preferring speed: the
    /// fastest slave after the last one given (the first of equals), unless
    /// a faster one comes before it. Remembered as the last one given.
    pub fn next_rx_slave(&mut self, slaves: &[Slave]) -> Option<SlaveId> {
        let mut before: Option<&Slave> = None;
        let mut rx: Option<&Slave> = None;
        let mut found = false;
        for s in slaves.iter().filter(|s| s.can_tx) {
            if !found {
                if before.is_none_or(|b| b.speed < s.speed) {
                    before = Some(s);
                }
            } else if rx.is_none_or(|r| r.speed < s.speed) {
                rx = Some(s);
            }
            if Some(s.id) == self.rx_slave {
                found = true;
            }
        }
        let pick = match (rx, before) {
            (None, b) => b,
            (Some(r), Some(b)) if r.speed < b.speed => Some(b),
            (r, _) => r,
        };
        let id = pick.map(|s| s.id);
        if id.is_some() {
            self.rx_slave = id;
        }
        id
    }

    /// C's `rlb_src_unlink`: take entry `index` out of its `ip_src` list.
    fn src_unlink(&mut self, index: u8) {
        let next = self.entry(index).src_next;
        let prev = self.entry(index).src_prev;
        let e = self.at(index);
        e.src_next = None;
        e.src_prev = None;
        if let Some(n) = next {
            self.at(n).src_prev = prev;
        }
        let Some(p) = prev else { return };
        let pe = self.at(p);
        if pe.src_first == Some(index) {
            pe.src_first = next;
        } else {
            pe.src_next = next;
        }
    }

    /// C's `rlb_src_link`: put entry `index` first in the list of
    /// `ip_src` hash `src_hash`.
    fn src_link(&mut self, src_hash: u8, index: u8) {
        let next = self.entry(src_hash).src_first;
        let e = self.at(index);
        e.src_prev = Some(src_hash);
        e.src_next = next;
        if let Some(n) = next {
            self.at(n).src_prev = Some(index);
        }
        self.at(src_hash).src_first = Some(index);
    }

    /// C's `rlb_delete_table_entry`: the entry leaves the used list and its
    /// `ip_src` list, and has no slave.
    fn delete(&mut self, index: u8) {
        let next = self.entry(index).used_next;
        let prev = self.entry(index).used_prev;
        if self.used_head == Some(index) {
            self.used_head = next;
        }
        if let Some(p) = prev {
            self.at(p).used_next = next;
        }
        if let Some(n) = next {
            self.at(n).used_prev = prev;
        }
        self.at(index).clear_dst();
        self.src_unlink(index);
    }

    /// C's `rlb_choose_channel`: the slave for the client of an ARP the
    /// bond sends (`arp.ip_dst`), tagged `vlan_id` (the tag control word, 0
    /// when untagged). A known client (same server and client addresses)
    /// keeps its slave; its MACs are refreshed. Otherwise the client takes
    /// the entry: the client there before moves to `curr_active` (and is
    /// told so at once, [`Choice::moved`]), and the new one gets
    /// [`Rlb::next_rx_slave`]; it needs an update when its MAC is already
    /// a valid unicast one (an ARP reply), not yet for a request.
    pub fn choose_channel(
        &mut self,
        slaves: &[Slave],
        arp: &ArpPkt,
        vlan_id: u16,
        curr_active: Option<SlaveId>,
    ) -> Choice {
        let index = simple_hash(&arp.ip_dst);
        let mut moved = None;
        let was = *self.entry(index);
        if was.assigned {
            if was.ip_src == arp.ip_src && was.ip_dst == arp.ip_dst {
                let e = self.at(index);
                if !is_broadcast(&arp.mac_dst) {
                    e.mac_dst = arp.mac_dst;
                }
                e.mac_src = arp.mac_src;
                if let Some(s) = e.slave {
                    return Choice {
                        slave: Some(s),
                        moved: None,
                    };
                }
            } else if let Some(a) = curr_active {
                if was.slave != Some(a) {
                    self.at(index).slave = Some(a);
                    moved = self.client_update(index);
                }
            }
        }

        let assigned = self.next_rx_slave(slaves);
        if let Some(s) = assigned {
            if !(was.assigned && was.ip_src == arp.ip_src) {
                self.src_unlink(index);
                self.src_link(simple_hash(&arp.ip_src), index);
            }
            let e = self.at(index);
            e.ip_src = arp.ip_src;
            e.ip_dst = arp.ip_dst;
            e.mac_dst = arp.mac_dst;
            e.mac_src = arp.mac_src;
            e.slave = Some(s);
            e.ntt = is_valid_ether_addr(&e.mac_dst);
            let ntt = e.ntt;
            e.vlan_id = vlan_id;
            if ntt {
                self.rx_ntt = true;
            }
            if !was.assigned {
                let head = self.used_head;
                self.used_head = Some(index);
                let e = self.at(index);
                e.used_next = head;
                e.assigned = true;
                if let Some(h) = head {
                    self.at(h).used_prev = Some(index);
                }
            }
        }
        Choice {
            slave: assigned,
            moved,
        }
    }

    /// C's `rlb_arp_xmit` for an ARP the bond sends, after the glue's
    /// checks that it does not come from a bridge above the bond (C's
    /// `ip_dev_find` test). ARPs whose sender MAC is no slave's are left
    /// alone. A reply goes out on the client's slave, its sender MAC set to
    /// that slave's. A request gets a slave too, holds the client updates
    /// back [`RLB_UPDATE_DELAY`] (the request reached every client through
    /// one slave) and marks every client of the sender's address for an
    /// update ([`Rlb::req_update_subnet_clients`]). Other operations are
    /// not balanced.
    pub fn arp_xmit(
        &mut self,
        slaves: &[Slave],
        arp: &ArpPkt,
        vlan_id: u16,
        curr_active: Option<SlaveId>,
        bond_mac: &[u8; ETH_ALEN],
    ) -> ArpXmit {
        let mut out = ArpXmit::default();
        if !has_mac(slaves, &arp.mac_src) {
            return out;
        }
        match arp.op {
            ARPOP_REPLY => {
                let c = self.choose_channel(slaves, arp, vlan_id, curr_active);
                out.slave = c.slave;
                out.moved = c.moved;
                if let Some(s) = c
                    .slave
                    .and_then(|id| position(slaves, id))
                    .and_then(|p| slaves.get(p))
                {
                    if s.mac != arp.mac_src {
                        out.rewrite_sender = Some(s.mac);
                    }
                }
            }
            ARPOP_REQUEST => {
                let c = self.choose_channel(slaves, arp, vlan_id, curr_active);
                out.slave = c.slave;
                out.moved = c.moved;
                self.update_delay_counter = RLB_UPDATE_DELAY;
                out.no_channel = self.req_update_subnet_clients(slaves, arp.ip_src, bond_mac);
            }
            _ => {}
        }
        out
    }

    /// C's `rlb_arp_recv` for an ARP a slave received: purge the clients
    /// of its sender address if that address moved to another MAC
    /// ([`Rlb::purge_src_ip`]); for a reply, learn the client's MAC
    /// ([`Rlb::update_entry_from_arp`]).
    pub fn recv_arp(&mut self, arp: &ArpPkt) {
        self.purge_src_ip(arp.ip_src, &arp.mac_src);
        if arp.op == ARPOP_REPLY {
            self.update_entry_from_arp(arp);
        }
    }

    /// C's `rlb_update_entry_from_arp`: a reply from a known client
    /// (`arp.ip_src`) to the server address of its entry, from a new MAC:
    /// the entry takes that MAC and needs an update.
    pub fn update_entry_from_arp(&mut self, arp: &ArpPkt) {
        let e = self.at(simple_hash(&arp.ip_src));
        if e.assigned
            && e.ip_src == arp.ip_dst
            && e.ip_dst == arp.ip_src
            && e.mac_dst != arp.mac_src
        {
            e.mac_dst = arp.mac_src;
            e.ntt = true;
            self.rx_ntt = true;
        }
    }

    /// C's `rlb_purge_src_ip`: another host announced `ip_src` from
    /// `mac_src`: every client entry of that server address with another
    /// server MAC is deleted, so no update announces the old MAC.
    pub fn purge_src_ip(&mut self, ip_src: [u8; 4], mac_src: &[u8; ETH_ALEN]) {
        let mut cur = self.entry(simple_hash(&ip_src)).src_first;
        for _ in 0..RLB_HASH_TABLE_SIZE {
            let Some(i) = cur else { break };
            let e = self.entry(i);
            cur = e.src_next;
            if e.ip_src == ip_src && e.mac_src != *mac_src {
                self.delete(i);
            }
        }
    }

    /// C's `rlb_clear_slave`: slave `leaving` can no longer receive (link
    /// down, or released and already out of `slaves`): each of its clients
    /// gets [`Rlb::next_rx_slave`] (or no slave when none can transmit);
    /// those with a known MAC need an update, repeated
    /// [`RLB_UPDATE_RETRY`] times. Returns whether the active slave should
    /// now learn the leaving slave's MAC (C's
    /// `rlb_teach_disabled_mac_on_primary`, see [`Rlb::teach_on_primary`]):
    /// when the leaving slave is not the active one.
    pub fn clear_slave(
        &mut self,
        slaves: &[Slave],
        leaving: SlaveId,
        curr_active: Option<SlaveId>,
    ) -> bool {
        let walk = self.used_snapshot();
        for i in walk.iter() {
            if self.entry(i).slave != Some(leaving) {
                continue;
            }
            match self.next_rx_slave(slaves) {
                Some(a) => {
                    let e = self.at(i);
                    e.slave = Some(a);
                    if is_valid_ether_addr(&e.mac_dst) {
                        e.ntt = true;
                        self.rx_ntt = true;
                        self.update_retry_counter = RLB_UPDATE_RETRY;
                    }
                }
                None => self.at(i).slave = None,
            }
        }
        curr_active != Some(leaving)
    }

    /// A slave's link went down (the rlb part of C's
    /// `bond_alb_handle_link_change`): see [`Rlb::clear_slave`].
    pub fn link_down(
        &mut self,
        slaves: &[Slave],
        slave: SlaveId,
        curr_active: Option<SlaveId>,
    ) -> bool {
        self.clear_slave(slaves, slave, curr_active)
    }

    /// A slave's link came up, or a slave joined (C's
    /// `bond_alb_handle_link_change`, `bond_alb_init_slave`): reassign all
    /// clients at the next tick.
    pub fn link_up(&mut self) {
        self.rebalance = true;
    }

    /// A slave leaves the bond (the rlb part of C's
    /// `bond_alb_deinit_slave`, `slaves` no longer holding it): the round
    /// robin restarts and its clients move ([`Rlb::clear_slave`]).
    pub fn deinit_slave(
        &mut self,
        slaves: &[Slave],
        slave: SlaveId,
        curr_active: Option<SlaveId>,
    ) -> bool {
        self.rx_slave = None;
        self.clear_slave(slaves, slave, curr_active)
    }

    /// C's `rlb_rebalance`: every client in turn gets
    /// [`Rlb::next_rx_slave`]; a client whose slave changed needs an
    /// update when its MAC is non-zero.
    pub fn rebalance_clients(&mut self, slaves: &[Slave]) {
        let walk = self.used_snapshot();
        let mut ntt = false;
        for i in walk.iter() {
            let Some(a) = self.next_rx_slave(slaves) else {
                continue;
            };
            let e = self.at(i);
            if e.slave != Some(a) {
                e.slave = Some(a);
                if !is_zero(&e.mac_dst) {
                    e.ntt = true;
                    ntt = true;
                }
            }
        }
        if ntt {
            self.rx_ntt = true;
        }
    }

    /// C's `rlb_req_update_slave_clients`: slave `slave` has a new MAC;
    /// its clients with a known MAC need an update, repeated
    /// [`RLB_UPDATE_RETRY`] times.
    pub fn req_update_slave_clients(&mut self, slave: SlaveId) {
        let walk = self.used_snapshot();
        let mut ntt = false;
        for i in walk.iter() {
            let e = self.at(i);
            if e.slave == Some(slave) && is_valid_ether_addr(&e.mac_dst) {
                e.ntt = true;
                ntt = true;
            }
        }
        if ntt {
            self.rx_ntt = true;
            self.update_retry_counter = RLB_UPDATE_RETRY;
        }
    }

    /// C's `rlb_req_update_subnet_clients`: the bond broadcast an ARP
    /// request from `src_ip`, which reached every client through one
    /// slave: every client of that server address with a known MAC, on a
    /// slave whose MAC is not the bond's, needs an update. Returns the
    /// clients found in use without a slave (C logs each); a slave id not
    /// in `slaves` counts as one.
    pub fn req_update_subnet_clients(
        &mut self,
        slaves: &[Slave],
        src_ip: [u8; 4],
        bond_mac: &[u8; ETH_ALEN],
    ) -> u16 {
        let walk = self.used_snapshot();
        let mut no_channel: u16 = 0;
        for i in walk.iter() {
            let e = self.entry(i);
            let slave = e
                .slave
                .and_then(|id| position(slaves, id))
                .and_then(|p| slaves.get(p));
            let Some(s) = slave else {
                no_channel = no_channel.wrapping_add(1);
                continue;
            };
            if e.ip_src == src_ip && s.mac != *bond_mac && is_valid_ether_addr(&e.mac_dst) {
                self.at(i).ntt = true;
                self.rx_ntt = true;
            }
        }
        no_channel
    }

    /// C's `rlb_update_rx_clients`: the clients needing an update that can
    /// get one ([`Rlb::client_update`]); they stay marked while retries
    /// remain. The next round waits [`RLB_UPDATE_DELAY`].
    pub fn update_rx_clients(&mut self) -> Updates {
        let walk = self.used_snapshot();
        let mut out = Updates::new();
        for i in walk.iter() {
            if !self.entry(i).ntt {
                continue;
            }
            if self.client_update(i).is_some() {
                out.push(i);
            }
            if self.update_retry_counter == 0 {
                self.at(i).ntt = false;
            }
        }
        self.update_delay_counter = RLB_UPDATE_DELAY;
        out
    }

    /// C's `rlb_clear_vlan`: VLAN `vlan_id` is gone; its clients are
    /// deleted (entries whose tag control word equals it).
    pub fn clear_vlan(&mut self, vlan_id: u16) {
        let walk = self.used_snapshot();
        for i in walk.iter() {
            if self.entry(i).vlan_id == vlan_id {
                self.delete(i);
            }
        }
    }

    /// The state part of C's `rlb_teach_disabled_mac_on_primary`, for the
    /// glue to call when there is an active slave (C does nothing without
    /// one): when the active slave is not promiscuous yet, `set_promisc`
    /// makes it so and says whether that worked; the promiscuity timeout
    /// restarts. The glue then sends learning packets with the disabled
    /// slave's MAC on the active slave.
    pub fn teach_on_primary(&mut self, set_promisc: impl FnOnce() -> bool) {
        if !self.primary_is_promisc {
            self.primary_is_promisc = set_promisc();
        }
        self.promisc_timeout_counter = 0;
    }

    /// The active slave is about to change (C's
    /// `bond_alb_handle_active_change`, with an active slave): returns
    /// whether the glue must drop the promiscuity the old one was given.
    pub fn leave_promisc(&mut self) -> bool {
        if self.primary_is_promisc {
            self.primary_is_promisc = false;
            self.promisc_timeout_counter = 0;
            true
        } else {
            false
        }
    }

    /// First receive step of the monitor tick: while the active slave is
    /// promiscuous, count; returns whether the timeout expired (the glue
    /// then takes RTNL with a try-lock; on failure the tick ends there, as
    /// in C; on success it calls [`Rlb::promisc_expired`]).
    pub fn promisc_tick(&mut self) -> bool {
        if !self.primary_is_promisc {
            return false;
        }
        self.promisc_timeout_counter = self.promisc_timeout_counter.wrapping_add(1);
        self.promisc_timeout_counter >= RLB_PROMISC_TIMEOUT
    }

    /// The promiscuity timeout expired and RTNL is held: the counter
    /// restarts; returns whether the glue must drop the active slave's
    /// promiscuity (`has_active`: there is an active slave).
    pub fn promisc_expired(&mut self, has_active: bool) -> bool {
        self.promisc_timeout_counter = 0;
        if self.primary_is_promisc && has_active {
            self.primary_is_promisc = false;
            true
        } else {
            false
        }
    }

    /// Last receive step of the monitor tick: the rebalance asked for, then
    /// the client updates, held back while the delay counts down, repeated
    /// while retries remain. Returns the clients to send updates to.
    pub fn tick(&mut self, slaves: &[Slave]) -> Updates {
        if self.rebalance {
            self.rebalance = false;
            self.rebalance_clients(slaves);
        }
        let mut out = Updates::new();
        if self.rx_ntt {
            if self.update_delay_counter != 0 {
                self.update_delay_counter -= 1;
            } else {
                out = self.update_rx_clients();
                if self.update_retry_counter != 0 {
                    self.update_retry_counter -= 1;
                } else {
                    self.rx_ntt = false;
                }
            }
        }
        out
    }
}
