// SPDX-License-Identifier: GPL-2.0

//! 802.3ad in the bond core: one LACP member (port + aggregator, see
//! `crate::modes::lacp::proto`) per slave, kept beside the slave list in
//! the same order; the machines' periodic work (C's 100 ms tick) and their
//! event work (rbond: a received PDU or a link change is acted on at once);
//! LACPDUs and markers in (receive path, lock-free mailboxes) and out; and
//! what sysfs, procfs and netlink show.
//!
//! Locking: the members and the system live under RTNL (the works take it
//! with `try_lock`, as the monitors do). The receive path never takes a
//! lock: it parses a PDU, leaves it in the slave's mailbox and queues the
//! event work. The surfaces read published copies (atomics).

use super::*;
use crate::modes::lacp::proto::mailbox::Mailbox;
use crate::modes::lacp::proto::pdu::{self, Lacpdu, Rx, PDU_LEN};
use crate::modes::lacp::proto::port::{
    AdSelect, AggInfo, LinkInfo, Member, Outcome, Params, System, TICKS_PER_SEC,
};
use crate::net::rx::{RxPacket, RxVerdict};

/// The machines' tick (C's `ad_work`).
pub(super) const WORK_AD: usize = 2;
/// The machines run on an event (rbond).
pub(super) const WORK_AD_EVENT: usize = 3;
/// Least time between two runs of the event work for received PDUs.
const EVENT_GAP_MS: u32 = 10;

/// 802.3ad state under RTNL: the system and one member per slave, in the
/// order of `Core::slaves`.
pub(super) struct AdCore {
    pub(super) sys: System,
    pub(super) m: KVec<Member>,
}

impl AdCore {
    pub(super) fn new() -> Self {
        AdCore {
            sys: System::new(Params::default()),
            m: KVec::new(),
        }
    }
}

/// C's `bond_3ad_stats`, in `IFLA_BOND_3AD_STAT_*` order.
pub(crate) struct AdStats {
    pub(crate) v: [AtomicU64; 9],
}

pub(crate) const LACPDU_RX: usize = 0;
pub(crate) const LACPDU_TX: usize = 1;
pub(crate) const LACPDU_UNKNOWN_RX: usize = 2;
pub(crate) const LACPDU_ILLEGAL_RX: usize = 3;
pub(crate) const MARKER_RX: usize = 4;
// 5: marker_tx (C never sends marker information either).
pub(crate) const MARKER_RESP_RX: usize = 6;
pub(crate) const MARKER_RESP_TX: usize = 7;
pub(crate) const MARKER_UNKNOWN_RX: usize = 8;

impl AdStats {
    pub(crate) const fn new() -> Self {
        AdStats {
            v: [const { AtomicU64::new(0) }; 9],
        }
    }

    pub(crate) fn get(&self, i: usize) -> u64 {
        self.v
            .get(i)
            .map(|c| c.load(Ordering::Relaxed))
            .unwrap_or(0)
    }

    fn inc(&self, i: usize) {
        if let Some(c) = self.v.get(i) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A slave's 802.3ad state outside RTNL.
pub(crate) struct SlaveAd {
    /// The last LACPDU received and not yet run through the machines.
    rx: Mailbox,
    /// A marker response to send.
    marker: Mailbox,
    pub(crate) stats: AdStats,
    /// The port as last published (see [`pack_view`]).
    view: [AtomicU64; 6],
    /// In the active aggregator (the usable-slave array's rule).
    in_active: AtomicBool,
    /// `actor_port_prio` (C's `SLAVE_AD_INFO(slave)->port_priority`).
    port_prio: AtomicU16,
}

use core::sync::atomic::AtomicU16;

impl SlaveAd {
    pub(crate) const fn new() -> Self {
        SlaveAd {
            rx: Mailbox::new(),
            marker: Mailbox::new(),
            stats: AdStats::new(),
            view: [const { AtomicU64::new(0) }; 6],
            in_active: AtomicBool::new(false),
            port_prio: AtomicU16::new(0xff),
        }
    }

    /// The published port view.
    pub(crate) fn view(&self) -> SlaveView {
        let w: [u64; 6] = core::array::from_fn(|i| self.view[i].load(Ordering::Relaxed));
        unpack_view(&w)
    }

    pub(crate) fn port_prio(&self) -> u16 {
        self.port_prio.load(Ordering::Relaxed)
    }

    /// Set `actor_port_prio` (RTNL; the machines learn it from
    /// [`Bond::ad_option_changed`]).
    pub(crate) fn set_port_prio(&self, prio: u16) {
        self.port_prio.store(prio, Ordering::Relaxed);
    }
}

/// What the surfaces show of a port.
#[derive(Clone, Copy, Default)]
pub(crate) struct SlaveView {
    pub(crate) agg_id: Option<u16>,
    pub(crate) actor_churn: u8,
    pub(crate) partner_churn: u8,
    pub(crate) actor_state: u8,
    pub(crate) partner_state: u8,
    pub(crate) actor_churn_count: u32,
    pub(crate) partner_churn_count: u32,
    pub(crate) actor_sys_prio: u16,
    pub(crate) actor_mac: [u8; 6],
    pub(crate) actor_key: u16,
    pub(crate) actor_port_prio: u16,
    pub(crate) actor_port: u16,
    pub(crate) partner_sys_prio: u16,
    pub(crate) partner_mac: [u8; 6],
    pub(crate) partner_key: u16,
    pub(crate) partner_port_prio: u16,
    pub(crate) partner_port: u16,
}

fn mac_u64(m: &[u8; 6]) -> u64 {
    m.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b))
}

fn u64_mac(v: u64) -> [u8; 6] {
    core::array::from_fn(|i| (v >> (40 - 8 * i)) as u8)
}

fn pack_view(m: &Member) -> [u64; 6] {
    let p = &m.port;
    let agg = u64::from(p.agg.is_some() && p.agg_id != 0);
    [
        u64::from(p.agg_id)
            | agg << 16
            | u64::from(p.actor_churn as u8) << 24
            | u64::from(p.partner_churn as u8) << 32
            | u64::from(p.oper_state) << 40
            | u64::from(p.partner_oper.state) << 48,
        u64::from(p.actor_churn_count) | u64::from(p.partner_churn_count) << 32,
        u64::from(p.system_priority) | mac_u64(&p.system) << 16,
        u64::from(p.oper_key) | u64::from(p.priority) << 16 | u64::from(p.number) << 32,
        u64::from(p.partner_oper.system_priority) | mac_u64(&p.partner_oper.system) << 16,
        u64::from(p.partner_oper.key)
            | u64::from(p.partner_oper.port_priority) << 16
            | u64::from(p.partner_oper.port) << 32,
    ]
}

fn unpack_view(w: &[u64; 6]) -> SlaveView {
    SlaveView {
        agg_id: (w[0] >> 16 & 1 != 0).then_some(w[0] as u16),
        actor_churn: (w[0] >> 24) as u8,
        partner_churn: (w[0] >> 32) as u8,
        actor_state: (w[0] >> 40) as u8,
        partner_state: (w[0] >> 48) as u8,
        actor_churn_count: w[1] as u32,
        partner_churn_count: (w[1] >> 32) as u32,
        actor_sys_prio: w[2] as u16,
        actor_mac: u64_mac(w[2] >> 16),
        actor_key: w[3] as u16,
        actor_port_prio: (w[3] >> 16) as u16,
        actor_port: (w[3] >> 32) as u16,
        partner_sys_prio: w[4] as u16,
        partner_mac: u64_mac(w[4] >> 16),
        partner_key: w[5] as u16,
        partner_port_prio: (w[5] >> 16) as u16,
        partner_port: (w[5] >> 32) as u16,
    }
}

/// The active aggregator as published for the surfaces.
pub(super) fn pack_info(i: Option<AggInfo>) -> [u64; 2] {
    match i {
        None => [0, 0],
        Some(i) => [
            u64::from(i.id)
                | u64::from(i.ports) << 16
                | u64::from(i.actor_key) << 32
                | u64::from(i.partner_key) << 48,
            mac_u64(&i.partner_mac) | 1 << 63,
        ],
    }
}

fn unpack_info(w: [u64; 2]) -> Option<AggInfo> {
    (w[1] >> 63 != 0).then(|| AggInfo {
        id: w[0] as u16,
        ports: (w[0] >> 16) as u16,
        actor_key: (w[0] >> 32) as u16,
        partner_key: (w[0] >> 48) as u16,
        partner_mac: u64_mac(w[1] & 0xffff_ffff_ffff),
    })
}

/// Machine ticks in jiffies.
fn tick_jiffies() -> u64 {
    ms_to_jiffies(1000 / TICKS_PER_SEC)
}

fn link_info(s: &Slave) -> LinkInfo {
    LinkInfo {
        link_up: s.link_state() == LinkState::Up,
        dev_up: s.is_up(),
        speed: s.speed(),
        full_duplex: s.duplex() == 1,
    }
}

impl Bond {
    fn is_lacp(&self) -> bool {
        self.mode() == Mode::Lacp
    }

    /// The machines' view of the options.
    fn ad_params(&self, dev: &NetDevice) -> Params {
        let sys = self.val(OptId::AdActorSystem);
        Params {
            sys_priority: self.val(OptId::AdActorSysPrio) as u16,
            sys_mac: if sys == 0 { dev.addr() } else { u64_mac(sys) },
            lacp_fast: self.val(OptId::LacpRate) != 0,
            lacp_active: self.val(OptId::LacpActive) != 0,
            ad_select: AdSelect::from_value(self.val(OptId::AdSelect)),
            coupled: self.val(OptId::CoupledControl) != 0,
            min_links: self.val(OptId::MinLinks) as u32,
            lacp_strict: self.val(OptId::LacpStrict) != 0,
            user_port_key: self.val(OptId::AdUserPortKey) as u16,
        }
    }

    /// The active aggregator (published copy; any context).
    pub(crate) fn ad_info(&self) -> Option<AggInfo> {
        unpack_info([
            self.ad_pub[0].load(Ordering::Relaxed),
            self.ad_pub[1].load(Ordering::Relaxed),
        ])
    }

    /// `ad_actor_system` as set (zero: unset).
    pub(crate) fn ad_actor_system(&self) -> [u8; 6] {
        u64_mac(self.val(OptId::AdActorSystem))
    }

    /// The system priority and MAC the ports announce, as published by
    /// [`Bond::ad_apply`] (zero before the first slave binds, as C).
    pub(crate) fn ad_system(&self) -> (u16, [u8; 6]) {
        let v = self.ad_sys_pub.load(Ordering::Relaxed);
        ((v >> 48) as u16, u64_mac(v & 0xffff_ffff_ffff))
    }

    /// A slave joined (C's `bond_3ad_bind_slave`, after the slave is in
    /// the list): its member is appended.
    pub(super) fn ad_bind(&self, dev: &NetDevice, s: &Arc<Slave>, rtnl: &mut Rtnl) -> Result {
        if !self.is_lacp() {
            return Ok(());
        }
        let params = self.ad_params(dev);
        let link = link_info(s);
        let ad = &mut self.core.get_mut(rtnl).ad;
        if ad.m.is_empty() {
            ad.sys.params = params;
            ad.sys.initialize();
        }
        let number =
            ad.m.last()
                .map(|m| m.port.number.wrapping_add(1))
                .unwrap_or(1);
        let mut member = ad.sys.bind(number, link);
        member.port.priority = s.ad.port_prio();
        ad.m.push(member, GFP_KERNEL)?;
        if dev.is_up() {
            s.dev().slow_group(rtnl, true);
        }
        self.ad_apply(dev, Outcome::default(), rtnl);
        // At once, even if a PDU armed it for later (its rate limit).
        link::requeue_work::<Bond>(dev, WORK_AD_EVENT, 0);
        Ok(())
    }

    /// A slave leaves (C's `bond_3ad_unbind_slave`), before it is taken out
    /// of the list.
    pub(super) fn ad_unbind(&self, dev: &NetDevice, s: &Slave, rtnl: &mut Rtnl) {
        let Some(i) = self.slave_index(s, rtnl) else {
            return;
        };
        let ad = &mut self.core.get_mut(rtnl).ad;
        if i >= ad.m.len() {
            return;
        }
        let mut sent = false;
        let _ = ad.sys.unbind(&mut ad.m, i, &mut |p| {
            sent = s.dev().slow_xmit(&s.perm_hwaddr, &p.to_bytes());
            sent
        });
        let _ = ad.m.remove(i);
        if sent {
            s.ad.stats.inc(LACPDU_TX);
            self.ad_stats.inc(LACPDU_TX);
        }
        if dev.is_up() && self.is_lacp() {
            s.dev().slow_group(rtnl, false);
        }
        s.ad.in_active.store(false, Ordering::Relaxed);
    }

    /// The bond goes up (C's `bond_open` in 802.3ad mode).
    pub(super) fn ad_open(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        if !self.is_lacp() {
            return;
        }
        self.core.get_mut(rtnl).ad.sys.initiate_selection(1);
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            i += 1;
            // Nothing received before the bond went down counts now.
            s.ad.rx.clear();
            s.ad.marker.clear();
            s.dev().slow_group(rtnl, true);
        }
        self.ad_on.store(true, Ordering::Release);
        link::queue_work::<Bond>(dev, WORK_AD, 0);
    }

    /// The bond goes down.
    pub(super) fn ad_stop(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        self.ad_on.store(false, Ordering::Release);
        link::cancel_work_sync::<Bond>(dev, WORK_AD);
        link::cancel_work_sync::<Bond>(dev, WORK_AD_EVENT);
        if self.is_lacp() {
            let mut i = 0;
            while let Some(s) = self.slave_at(i, rtnl) {
                i += 1;
                s.dev().slow_group(rtnl, false);
            }
        }
    }

    /// A slave's link went up or down (C's `bond_3ad_handle_link_change`).
    pub(super) fn ad_link_changed(&self, dev: &NetDevice, s: &Slave, rtnl: &mut Rtnl) {
        let Some(i) = self.slave_index(s, rtnl) else {
            return;
        };
        let link = link_info(s);
        let ad = &mut self.core.get_mut(rtnl).ad;
        let o = ad.sys.link_changed(&mut ad.m, i, link);
        self.ad_apply(dev, o, rtnl);
        if dev.is_up() {
            link::requeue_work::<Bond>(dev, WORK_AD_EVENT, 0);
        }
    }

    /// Speed or duplex of a slave may have changed (C's
    /// `bond_3ad_adapter_speed_duplex_changed`).
    pub(super) fn ad_speed_changed(&self, s: &Slave, rtnl: &mut Rtnl) {
        if !self.is_lacp() {
            return;
        }
        let Some(i) = self.slave_index(s, rtnl) else {
            return;
        };
        let link = link_info(s);
        let ad = &mut self.core.get_mut(rtnl).ad;
        ad.sys.speed_changed(&mut ad.m, i, link);
    }

    fn slave_index(&self, s: &Slave, rtnl: &Rtnl) -> Option<usize> {
        self.core
            .get(rtnl)
            .slaves
            .iter()
            .position(|x| core::ptr::eq(&**x, s))
    }

    /// An 802.3ad option changed: tell the machines (C's
    /// `bond_3ad_update_*`).
    pub(super) fn ad_option_changed(&self, dev: &NetDevice, id: OptId, rtnl: &mut Rtnl) {
        let mut params = self.ad_params(dev);
        let ad = &mut self.core.get_mut(rtnl).ad;
        // The system id is taken when the first slave binds and when an
        // actor option changes (C), not from the bond's MAC of the moment.
        if !matches!(
            id,
            OptId::AdActorSysPrio | OptId::AdActorSystem | OptId::ActorPortPrio
        ) {
            params.sys_mac = ad.sys.params.sys_mac;
            params.sys_priority = ad.sys.params.sys_priority;
        }
        match id {
            OptId::LacpRate => ad.sys.set_lacp_fast(&mut ad.m, params.lacp_fast),
            OptId::LacpActive => ad.sys.set_lacp_active(&mut ad.m, params.lacp_active),
            OptId::AdActorSysPrio | OptId::AdActorSystem | OptId::ActorPortPrio => {
                ad.sys
                    .set_actor(&mut ad.m, params.sys_priority, params.sys_mac);
                let c = self.core.get_mut(rtnl);
                for (i, s) in c.slaves.iter().enumerate() {
                    System::set_port_priority(&mut c.ad.m, i, s.ad.port_prio());
                }
            }
            _ => {}
        }
        self.core.get_mut(rtnl).ad.sys.params = params;
        self.ad_apply(dev, Outcome::default(), rtnl);
    }

    /// The receive hook (softirq): LACPDUs and markers for the machines.
    /// `None`: not a slow-protocols frame for us, the frame goes on.
    pub(crate) fn lacp_receive(&self, s: &Slave, pkt: &mut RxPacket<'_>) -> Option<RxVerdict> {
        if !self.ad_on.load(Ordering::Acquire)
            || pkt.protocol() != pdu::ETH_P_SLOW
            || !pkt.dest_is_slow_group()
        {
            return None;
        }
        let count = |i: usize| {
            s.ad.stats.inc(i);
            self.ad_stats.inc(i);
        };
        let mut buf = [0u8; PDU_LEN];
        if !pkt.copy_network(&mut buf) {
            count(LACPDU_ILLEGAL_RX);
            return None;
        }
        let rx = Rx::parse(&buf);
        let verdict = rx.consumed().then_some(RxVerdict::Consumed);
        match rx {
            Rx::Lacpdu(_) => {
                count(LACPDU_RX);
                if s.ad.rx.post(&buf) {
                    self.queue_pdu_event(s.bond_dev());
                }
            }
            Rx::MarkerInfo { response } => {
                count(MARKER_RX);
                if s.ad.marker.post(&response) {
                    self.queue_pdu_event(s.bond_dev());
                }
            }
            Rx::MarkerResponse => count(MARKER_RESP_RX),
            Rx::MarkerUnknown => count(MARKER_UNKNOWN_RX),
            Rx::Unknown => count(LACPDU_UNKNOWN_RX),
            Rx::IllegalShort | Rx::IllegalTlv => count(LACPDU_ILLEGAL_RX),
        }
        verdict
    }

    /// The periodic work: one tick of the machines.
    pub(super) fn ad_work(&self, dev: &NetDevice, p: &mut Process) {
        if !self.ad_on.load(Ordering::Acquire) {
            return;
        }
        let Some(mut g) = rtnl::try_lock(p) else {
            link::queue_work::<Bond>(dev, WORK_AD, 1);
            return;
        };
        self.ad_run(dev, true, &mut g);
        drop(g);
        link::queue_work::<Bond>(dev, WORK_AD, tick_jiffies());
    }

    /// The event work: PDUs that arrived, then the machines without a tick.
    pub(super) fn ad_event_work(&self, dev: &NetDevice, p: &mut Process) {
        if !self.ad_on.load(Ordering::Acquire) {
            return;
        }
        let Some(mut g) = rtnl::try_lock(p) else {
            link::queue_work::<Bond>(dev, WORK_AD_EVENT, 1);
            return;
        };
        self.ad_event_last
            .store(crate::net::netdev::jiffies(), Ordering::Relaxed);
        self.ad_run(dev, false, &mut g);
    }

    /// Queue the event work for a received PDU (softirq). It takes RTNL, so
    /// PDUs run it at most once per [`EVENT_GAP_MS`]: one that arrives
    /// sooner after the last run waits for the rest of the gap (a flood of
    /// slow-protocol frames cannot keep RTNL busy; C handles them in softirq
    /// under its mode lock). Several PDUs within a gap are handled by one
    /// run, and queueing an already queued work changes nothing.
    fn queue_pdu_event(&self, dev: &NetDevice) {
        let gap = crate::net::netdev::msecs_to_jiffies(EVENT_GAP_MS).max(1);
        let since =
            crate::net::netdev::jiffies().wrapping_sub(self.ad_event_last.load(Ordering::Relaxed));
        link::queue_work::<Bond>(dev, WORK_AD_EVENT, gap.saturating_sub(since));
    }

    fn ad_run(&self, dev: &NetDevice, tick: bool, rtnl: &mut Rtnl) {
        if !self.is_lacp() {
            return;
        }
        let mut out = Outcome::default();
        let mut i = 0;

        while let Some(s) = self.slave_at(i, rtnl) {
            let ad = &mut self.core.get_mut(rtnl).ad;
            System::set_link_info(&mut ad.m, i, link_info(&s));
            if let Some(raw) = s.ad.rx.take() {
                if let Rx::Lacpdu(pdu) = Rx::parse(&raw) {
                    let o = ad.sys.rx_lacpdu(&mut ad.m, i, &pdu);
                    out.loopback = out.loopback.or(o.loopback);
                }
            }
            if let Some(resp) = s.ad.marker.take() {
                if s.dev().slow_xmit(&s.perm_hwaddr, &resp) {
                    s.ad.stats.inc(MARKER_RESP_TX);
                    self.ad_stats.inc(MARKER_RESP_TX);
                }
            }
            i += 1;
        }
        let c = self.core.get_mut(rtnl);
        let (slaves, ad) = (&c.slaves, &mut c.ad);
        let stats = &self.ad_stats;
        let mut send = |j: usize, p: &Lacpdu| -> bool {
            let Some(s) = slaves.get(j) else {
                return false;
            };
            let ok = s.dev().slow_xmit(&s.perm_hwaddr, &p.to_bytes());
            if ok {
                s.ad.stats.inc(LACPDU_TX);
                stats.inc(LACPDU_TX);
            }
            ok
        };
        let o = if tick {
            ad.sys.tick(&mut ad.m, &mut send)
        } else {
            ad.sys.event(&mut ad.m, &mut send)
        };
        out.update |= o.update;
        out.peer_notify |= o.peer_notify;
        out.loopback = out.loopback.or(o.loopback);
        self.ad_apply(dev, out, rtnl);
    }

    /// Apply what the machines decided: slave flags, the transmit array,
    /// the carrier, and the published views.
    pub(super) fn ad_apply(&self, dev: &NetDevice, out: Outcome, rtnl: &mut Rtnl) {
        if let Some(l) = out.loopback {
            if let Some(s) = self.slave_at(l, rtnl) {
                bare_err!(
                    "{}: (slave {}): An illegal loopback occurred on slave\nCheck the configuration to verify that all adapters are connected to 802.3ad compliant switch ports\n",
                    dev.name(),
                    s.dev().name()
                );
            }
        }
        let all = self.all_slaves_active();
        let mut i = 0;
        while let Some(s) = self.slave_at(i, rtnl) {
            let ad = &self.core.get(rtnl).ad;
            let Some(m) = ad.m.get(i) else { break };
            let (tx, rx) = (m.port.tx_enabled, m.port.rx_enabled);
            let in_active = System::in_active(&ad.m, i);
            for (w, v) in s.ad.view.iter().zip(pack_view(m).iter()) {
                w.store(*v, Ordering::Relaxed);
            }
            s.ad.in_active.store(in_active, Ordering::Relaxed);
            if s.set_lacp_flags(tx, rx, all) {
                self.lower_state(&s, rtnl);
            }
            i += 1;
        }
        let ad = &self.core.get(rtnl).ad;
        let sys = u64::from(ad.sys.params.sys_priority) << 48 | mac_u64(&ad.sys.params.sys_mac);
        self.ad_sys_pub.store(sys, Ordering::Relaxed);
        let info = System::active_info(&ad.m);
        for (w, v) in self.ad_pub.iter().zip(pack_info(info).iter()) {
            w.store(*v, Ordering::Relaxed);
        }
        self.set_carrier(dev, rtnl);
        self.refresh_usable(None, rtnl);
        // broadcast_neighbor: tell peers when a port starts distributing
        // (C's ad_cond_set_peer_notif), once the carrier and the transmit
        // array include it, and only if peer notifications are wanted.
        let usable = self.usable.get(rtnl).is_some_and(|l| !l.v.is_empty());
        if out.peer_notify
            && self.val(OptId::BroadcastNeighbor) != 0
            && self.val(OptId::NumPeerNotif) != 0
            && dev.carrier_ok()
            && usable
        {
            dev.notify(rtnl, NetdevEvent::NotifyPeers);
        }
    }

    /// Whether `s` may be in the transmit array (802.3ad: in the active
    /// aggregator).
    pub(super) fn ad_usable(&self, s: &Slave) -> bool {
        !self.is_lacp() || s.ad.in_active.load(Ordering::Relaxed)
    }
}

/// `LINK_XSTATS_TYPE_BOND`, `BOND_XSTATS_3AD`, `BOND_3AD_STAT_PAD`.
const LINK_XSTATS_TYPE_BOND: u16 = 2;
const BOND_XSTATS_3AD: u16 = 1;
const BOND_3AD_STAT_PAD: u16 = 9;

/// Room for [`fill_xstats`]: nine padded u64 and three nest headers.
pub(super) const XSTATS_SIZE: usize = 9 * 16 + 3 * 4;

/// `ip link xstats type bond` (C's `bond_fill_linkxstats`): the bond's or
/// a slave's 802.3ad counters, in an always-present bond nest.
pub(super) fn fill_xstats(
    dev: &NetDevice,
    lower: bool,
    msg: &mut crate::net::nl::NlMsg<'_>,
    rtnl: &Rtnl,
) -> Result {
    let slave = if lower {
        match rx::data_of::<Slave>(rtnl, dev) {
            Some(s) => Some(s),
            None => return Ok(()),
        }
    } else {
        None
    };
    let bond_dev = slave.as_ref().map(|s| s.bond_dev()).unwrap_or(dev);
    let Some(bond) = link::master_of::<Bond>(bond_dev) else {
        return Ok(());
    };
    let stats = match &slave {
        Some(s) => &s.ad.stats,
        None => &bond.ad_stats,
    };
    let lacp = bond.mode() == Mode::Lacp;
    msg.nest(LINK_XSTATS_TYPE_BOND, false, |m| {
        if lacp {
            m.nest(BOND_XSTATS_3AD, false, |m| {
                for i in 0..9u16 {
                    m.put_u64_pad(i, stats.get(usize::from(i)), BOND_3AD_STAT_PAD)?;
                }
                Ok(true)
            })?;
        }
        Ok(true)
    })
}
