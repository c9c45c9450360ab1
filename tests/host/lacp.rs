// SPDX-License-Identifier: GPL-2.0

//! The LACP machines, driven on the host: two systems wired back to back
//! over N links, PDUs delivered between them, links cut and restored.

use proptest::prelude::*;
use rbond_host::lacp::pdu::{state, Lacpdu};
use rbond_host::lacp::port::{
    AdSelect, Churn, LinkInfo, Member, MuxState, Params, RxState, System,
};

const UP: LinkInfo = LinkInfo {
    link_up: true,
    dev_up: true,
    speed: 10000,
    full_duplex: true,
};
const DOWN: LinkInfo = LinkInfo {
    link_up: false,
    dev_up: false,
    speed: u32::MAX,
    full_duplex: false,
};

struct Side {
    sys: System,
    m: Vec<Member>,
    /// Sends so far per port: (time in half ticks).
    sends: Vec<Vec<u64>>,
}

impl Side {
    fn new(mac: u8, links: usize, tweak: impl Fn(&mut Params)) -> Self {
        let mut p = Params {
            sys_mac: [2, 0, 0, 0, 0, mac],
            lacp_fast: true,
            ..Params::default()
        };
        tweak(&mut p);
        let mut sys = System::new(p);
        let mut m = Vec::new();
        for i in 0..links {
            if i == 0 {
                sys.initialize();
            }
            let mem = sys.bind(i as u16 + 1, UP);
            m.push(mem);
            let _ = sys.link_changed(&mut m, i, UP);
        }
        // The bond goes up after its slaves joined.
        sys.initiate_selection(1);
        Side {
            sys,
            m,
            sends: vec![Vec::new(); links],
        }
    }

    fn distributing(&self, i: usize) -> bool {
        let p = &self.m[i].port;
        p.oper_state & state::DISTRIBUTING != 0 && p.tx_enabled
    }
}

/// Two sides and the wires between them.
struct Lab {
    a: Side,
    b: Side,
    /// Per link: carries PDUs (false: cut).
    wire: Vec<bool>,
    /// A side's PDUs are lost (it went silent).
    a_mute: bool,
    /// React to PDUs at once (rbond) or at the next tick (C).
    events: bool,
    /// Half ticks elapsed.
    now: u64,
}

type Out = Vec<(usize, Lacpdu)>;

impl Lab {
    fn new(links: usize, tweak_a: impl Fn(&mut Params), tweak_b: impl Fn(&mut Params)) -> Self {
        Lab {
            a: Side::new(0xa, links, tweak_a),
            b: Side::new(0xb, links, tweak_b),
            wire: vec![true; links],
            a_mute: false,
            events: true,
            now: 0,
        }
    }

    fn deliver(&mut self, from_a: bool, out: Out) {
        let mut queue: Vec<(bool, usize, Lacpdu)> =
            out.into_iter().map(|(i, p)| (from_a, i, p)).collect();
        let mut guard = 0;
        while let Some((from_a, i, pdu)) = queue.pop() {
            guard += 1;
            assert!(guard < 1000, "PDU storm");
            if !self.wire[i] || (from_a && self.a_mute) {
                continue;
            }
            let now = self.now;
            let dst = if from_a { &mut self.b } else { &mut self.a };
            let o = dst.sys.rx_lacpdu(&mut dst.m, i, &pdu);
            assert!(o.loopback.is_none());
            if self.events {
                let mut sent: Out = Vec::new();
                dst.sys.event(&mut dst.m, &mut |j, p| {
                    sent.push((j, *p));
                    true
                });
                for (j, _) in &sent {
                    dst.sends[*j].push(now);
                }
                queue.extend(sent.into_iter().map(|(j, p)| (!from_a, j, p)));
            }
        }
    }

    fn tick(&mut self) {
        self.now += 2;
        let now = self.now;
        let mut oa: Out = Vec::new();
        self.a.sys.tick(&mut self.a.m, &mut |i, p| {
            oa.push((i, *p));
            true
        });
        let mut ob: Out = Vec::new();
        self.b.sys.tick(&mut self.b.m, &mut |i, p| {
            ob.push((i, *p));
            true
        });
        for (i, _) in &oa {
            self.a.sends[*i].push(now);
        }
        for (i, _) in &ob {
            self.b.sends[*i].push(now);
        }
        // Events happen between ticks.
        self.now += 1;
        self.deliver(true, oa);
        self.deliver(false, ob);
        self.now -= 1;
    }

    fn run_until(&mut self, max: u32, done: impl Fn(&Lab) -> bool) -> Option<u32> {
        for t in 0..max {
            if done(self) {
                return Some(t);
            }
            self.tick();
            self.check_invariants();
        }
        done(self).then_some(max)
    }

    fn all_distributing(&self) -> bool {
        (0..self.wire.len()).all(|i| self.a.distributing(i) && self.b.distributing(i))
    }

    fn cut(&mut self, i: usize) {
        self.wire[i] = false;
        for s in [&mut self.a, &mut self.b] {
            let _ = s.sys.link_changed(&mut s.m, i, DOWN);
        }
    }

    fn restore(&mut self, i: usize) {
        self.wire[i] = true;
        for s in [&mut self.a, &mut self.b] {
            let _ = s.sys.link_changed(&mut s.m, i, UP);
        }
    }

    fn check_invariants(&self) {
        for s in [&self.a, &self.b] {
            let actives = s.m.iter().filter(|m| m.agg.active).count();
            assert!(actives <= 1, "two active aggregators");
            for m in &s.m {
                let st = m.port.oper_state;
                if st & state::DISTRIBUTING != 0 {
                    assert!(st & state::COLLECTING != 0, "distributing, not collecting");
                    assert!(st & state::SYNC != 0, "distributing out of sync");
                }
                if let Some(a) = m.port.agg {
                    assert_eq!(m.port.agg_id, s.m[a].agg.id);
                    assert!(m.port.selected() || m.port.mux != MuxState::CollectingDistributing);
                }
            }
            // The transmit limit: consecutive LACPDUs of a port are at
            // least 3 ticks (6 half ticks) apart.
            for sends in &s.sends {
                for w in sends.windows(2) {
                    assert!(w[1] - w[0] >= 6, "LACPDUs {} and {} too close", w[0], w[1]);
                }
            }
        }
    }
}

#[test]
fn two_links_aggregate() {
    let mut lab = Lab::new(2, |_| {}, |_| {});
    let t = lab
        .run_until(100, Lab::all_distributing)
        .expect("no aggregation");
    // Waiting (2 s) dominates; with events both ends get there soon after.
    assert!((20..=40).contains(&t), "converged after {t} ticks");
    for s in [&lab.a, &lab.b] {
        let info = System::active_info(&s.m).expect("active aggregator");
        assert_eq!(info.ports, 2);
        assert_eq!(s.sys.carrier(&s.m), Some(true));
        // One aggregator for both ports.
        assert_eq!(s.m[0].port.agg_id, s.m[1].port.agg_id);
        assert_eq!(s.m[0].port.mux, MuxState::CollectingDistributing);
        assert_eq!(s.m[0].port.rx, RxState::Current);
    }
    assert_eq!(
        System::active_info(&lab.a.m).unwrap().partner_mac,
        [2, 0, 0, 0, 0, 0xb]
    );
    // 10G full duplex: speed code 7 (C's AD_LINK_SPEED_10000MBPS), duplex bit.
    assert_eq!(lab.a.m[0].port.oper_key, (7 << 1) | 1);
}

#[test]
fn events_converge_no_later_than_ticks() {
    let mut ev = Lab::new(2, |_| {}, |_| {});
    let te = ev.run_until(200, Lab::all_distributing).unwrap();
    let mut c = Lab::new(2, |_| {}, |_| {});
    c.events = false;
    let tc = c.run_until(200, Lab::all_distributing).unwrap();
    assert!(te <= tc, "events {te} ticks, ticks only {tc}");
    assert!(te < tc, "events gained nothing ({te} vs {tc})");
}

#[test]
fn link_cut_and_rejoin() {
    let mut lab = Lab::new(2, |_| {}, |_| {});
    lab.run_until(100, Lab::all_distributing).unwrap();
    lab.cut(1);
    for s in [&lab.a, &lab.b] {
        assert!(!s.m[1].port.tx_enabled);
        assert!(s.distributing(0));
        assert_eq!(System::active_info(&s.m).unwrap().ports, 1);
        assert_eq!(s.sys.carrier(&s.m), Some(true));
    }
    lab.run_until(10, |_| false);
    assert!(lab.a.distributing(0) && lab.b.distributing(0));
    lab.restore(1);
    lab.run_until(100, Lab::all_distributing)
        .expect("rejoined link never distributes");
}

#[test]
fn silent_partner_times_out_to_defaulted() {
    let mut lab = Lab::new(2, |_| {}, |_| {});
    lab.run_until(100, Lab::all_distributing).unwrap();
    lab.a_mute = true;
    // Fast rate: 3 s to expire, 3 s more to default.
    lab.run_until(29, |_| false);
    assert_eq!(lab.b.m[0].port.rx, RxState::Current);
    lab.run_until(2, |_| false);
    assert_eq!(lab.b.m[0].port.rx, RxState::Expired);
    assert!(lab.b.m[0].port.oper_state & state::EXPIRED != 0);
    lab.run_until(31, |_| false);
    for m in &lab.b.m {
        assert_eq!(m.port.rx, RxState::Defaulted);
        assert!(m.port.oper_state & state::DEFAULTED != 0);
        assert_eq!(m.port.partner_oper.system, [0; 6]);
        assert!(m.port.oper_state & state::DISTRIBUTING == 0);
    }
}

/// Churn detection: 60 s (600 ticks) after a port starts, or after its
/// partner information expired, each side's state is settled if in sync,
/// churned (and counted) if not.
fn churn_states(s: &Side, i: usize) -> (Churn, Churn, u32, u32) {
    let p = &s.m[i].port;
    (
        p.actor_churn,
        p.partner_churn,
        p.actor_churn_count,
        p.partner_churn_count,
    )
}

#[test]
fn aggregated_ports_settle_after_60_s() {
    let mut lab = Lab::new(2, |_| {}, |_| {});
    let t = lab.run_until(100, Lab::all_distributing).unwrap();
    lab.run_until(595 - t, |_| false);
    for s in [&lab.a, &lab.b] {
        assert_eq!(churn_states(s, 0), (Churn::Monitor, Churn::Monitor, 0, 0));
    }
    lab.run_until(10, |_| false);
    for s in [&lab.a, &lab.b] {
        for i in 0..2 {
            assert_eq!(churn_states(s, i), (Churn::Settled, Churn::Settled, 0, 0));
        }
    }
}

#[test]
fn a_partner_never_heard_is_churned_after_60_s() {
    let mut lab = Lab::new(1, |_| {}, |_| {});
    lab.a_mute = true;
    lab.run_until(595, |_| false);
    assert_eq!(lab.b.m[0].port.partner_churn, Churn::Monitor);
    lab.run_until(10, |_| false);
    let (_, partner, _, count) = churn_states(&lab.b, 0);
    assert_eq!((partner, count), (Churn::Churned, 1));
    // It stays churned (counted once) while nothing changes.
    lab.run_until(700, |_| false);
    assert_eq!(churn_states(&lab.b, 0).3, 1);
}

#[test]
fn expiry_restarts_churn_detection() {
    let mut lab = Lab::new(1, |_| {}, |_| {});
    lab.run_until(610, |_| false);
    assert_eq!(
        churn_states(&lab.b, 0),
        (Churn::Settled, Churn::Settled, 0, 0)
    );
    lab.a_mute = true;
    // Fast rate: expired 3 s after the last PDU; monitoring again.
    lab.run_until(40, |_| false);
    assert_eq!(lab.b.m[0].port.rx, RxState::Expired);
    assert_eq!(lab.b.m[0].port.partner_churn, Churn::Monitor);
    // 60 s after the expiry the defaulted partner (never in sync) is churned.
    lab.run_until(600, |_| false);
    let (_, partner, _, count) = churn_states(&lab.b, 0);
    assert_eq!((partner, count), (Churn::Churned, 1));
    // The partner speaks again: the port aggregates again.
    lab.a_mute = false;
    lab.run_until(100, Lab::all_distributing)
        .expect("never distributing after the partner came back");
}

#[test]
fn passive_port_alone_stays_quiet() {
    // A passive port whose partner says nothing sends only the LACPDUs of
    // its mux transitions (as C), never periodically (the upstream
    // bond_passive_lacp test allows fewer than 2 in 65 s).
    let mut s = Side::new(0xa, 2, |p| p.lacp_active = false);
    let mut sent = Vec::new();
    for t in 0..650 {
        s.sys.tick(&mut s.m, &mut |i, _| {
            sent.push((t, i));
            true
        });
    }
    // Detached at begin, Attached after the 2 s wait: two per port, all
    // within the first 3 s.
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert!(sent.iter().all(|&(t, _)| t < 30), "{sent:?}");
    for m in &s.m {
        assert_eq!(m.port.rx, RxState::Defaulted);
        assert!(m.port.oper_state & state::ACTIVITY == 0);
    }
}

#[test]
fn passive_port_answers_an_active_partner() {
    let passive = |p: &mut Params| p.lacp_active = false;
    let mut lab = Lab::new(2, passive, |_| {});
    lab.run_until(100, Lab::all_distributing)
        .expect("active+passive must aggregate");
    // Once the partner is active, the passive port transmits periodically.
    let before = lab.a.sends[0].len();
    lab.run_until(30, |_| false);
    assert!(lab.a.sends[0].len() > before);
}

#[test]
fn min_links_decides_carrier() {
    let mut lab = Lab::new(2, |p| p.min_links = 2, |_| {});
    lab.run_until(100, Lab::all_distributing).unwrap();
    assert_eq!(lab.a.sys.carrier(&lab.a.m), Some(true));
    lab.cut(0);
    assert_eq!(lab.a.sys.carrier(&lab.a.m), Some(false));
    assert_eq!(lab.b.sys.carrier(&lab.b.m), Some(true));
}

#[test]
fn independent_control_collects_then_distributes() {
    let indep = |p: &mut Params| p.coupled = false;
    let mut lab = Lab::new(1, indep, indep);
    lab.run_until(100, Lab::all_distributing)
        .expect("uncoupled ports must distribute");
    assert_eq!(lab.a.m[0].port.mux, MuxState::Distributing);
}

#[test]
fn unbind_moves_ports_off_the_leaving_aggregator() {
    let mut lab = Lab::new(3, |_| {}, |_| {});
    lab.run_until(100, Lab::all_distributing).unwrap();
    // All three share one aggregator; its owner leaves.
    let owner = lab.a.m[0].port.agg.expect("attached");
    let id0 = lab.a.m[owner].agg.id;
    assert!(lab.a.m.iter().all(|m| m.port.agg_id == id0));
    let mut last = None;
    let o = lab.a.sys.unbind(&mut lab.a.m, owner, &mut |p| {
        last = Some(*p);
        true
    });
    assert!(o.update);
    let last = last.expect("no goodbye LACPDU");
    assert_eq!(last.actor.state & (state::SYNC | state::AGGREGATION), 0);
    lab.a.m.remove(owner);
    lab.wire.remove(owner);
    lab.b.m.remove(owner);
    lab.a.sends.remove(owner);
    lab.b.sends.remove(owner);
    let id = lab.a.m[0].port.agg_id;
    assert_ne!(id, id0);
    assert!(lab.a.m.iter().all(|m| m.port.agg_id == id));
    for m in &lab.a.m {
        let a = m.port.agg.expect("still attached");
        assert_eq!(lab.a.m[a].agg.id, id);
    }
    let info = System::active_info(&lab.a.m).expect("still active");
    assert_eq!(info.ports, 2);
}

/// Two partners: ports 0,1 go to one system, port 2 to another.
fn two_partner_lab(select: AdSelect, prio2: u16) -> (Side, Side, Side) {
    let mut a = Side::new(0xa, 3, |p| p.ad_select = select);
    a.m[2].port.priority = prio2;
    let b = Side::new(0xb, 2, |_| {});
    let c = Side::new(0xc, 1, |_| {});
    (a, b, c)
}

fn run_three(a: &mut Side, b: &mut Side, c: &mut Side, ticks: u32) {
    for _ in 0..ticks {
        let mut oa: Out = Vec::new();
        a.sys.tick(&mut a.m, &mut |i, p| {
            oa.push((i, *p));
            true
        });
        let mut ob: Out = Vec::new();
        b.sys.tick(&mut b.m, &mut |i, p| {
            ob.push((i, *p));
            true
        });
        let mut oc: Out = Vec::new();
        c.sys.tick(&mut c.m, &mut |i, p| {
            oc.push((i, *p));
            true
        });
        for (i, p) in oa {
            if i < 2 {
                b.sys.rx_lacpdu(&mut b.m, i, &p);
            } else {
                c.sys.rx_lacpdu(&mut c.m, 0, &p);
            }
        }
        for (i, p) in ob {
            a.sys.rx_lacpdu(&mut a.m, i, &p);
        }
        for (_, p) in oc {
            a.sys.rx_lacpdu(&mut a.m, 2, &p);
        }
    }
}

#[test]
fn ad_select_picks_the_aggregator() {
    // count: the two-port partner wins.
    let (mut a, mut b, mut c) = two_partner_lab(AdSelect::Count, 0xff);
    run_three(&mut a, &mut b, &mut c, 100);
    let info = System::active_info(&a.m).unwrap();
    assert_eq!(info.ports, 2);
    assert_eq!(info.partner_mac, [2, 0, 0, 0, 0, 0xb]);
    assert!(a.m[0].port.tx_enabled && a.m[1].port.tx_enabled);
    assert!(!a.m[2].port.tx_enabled);
    // actor_port_prio: a high-priority single port beats two default ones.
    let (mut a, mut b, mut c) = two_partner_lab(AdSelect::ActorPortPrio, 1000);
    run_three(&mut a, &mut b, &mut c, 100);
    let info = System::active_info(&a.m).unwrap();
    assert_eq!(info.partner_mac, [2, 0, 0, 0, 0, 0xc]);
    assert_eq!(info.ports, 1);
    assert!(a.m[2].port.tx_enabled && !a.m[0].port.tx_enabled);
}

#[test]
fn stable_keeps_the_active_aggregator() {
    let (mut a, mut b, mut c) = two_partner_lab(AdSelect::Stable, 0xff);
    run_three(&mut a, &mut b, &mut c, 100);
    let first = System::active_info(&a.m).unwrap();
    // A link event elsewhere does not move a stable selection.
    let _ = a.sys.link_changed(&mut a.m, 2, DOWN);
    let _ = a.sys.link_changed(&mut a.m, 2, UP);
    run_three(&mut a, &mut b, &mut c, 100);
    assert_eq!(System::active_info(&a.m).unwrap().id, first.id);
}

#[test]
fn half_duplex_port_does_not_run_lacp() {
    let mut s = Side::new(0xa, 1, |_| {});
    let half = LinkInfo {
        full_duplex: false,
        ..UP
    };
    s.sys.speed_changed(&mut s.m, 0, half);
    assert!(!s.m[0].port.lacp_enabled());
    assert_eq!(s.m[0].port.oper_key & 1, 0);
}

#[test]
fn lacp_rate_and_activity_bits() {
    let mut s = Side::new(0xa, 2, |p| p.lacp_fast = false);
    assert!(s.m.iter().all(|m| m.port.oper_state & state::TIMEOUT == 0));
    s.sys.set_lacp_fast(&mut s.m, true);
    assert!(s.m.iter().all(|m| m.port.oper_state & state::TIMEOUT != 0));
    s.sys.set_lacp_active(&mut s.m, false);
    assert!(s.m.iter().all(|m| m.port.oper_state & state::ACTIVITY == 0));
}

#[test]
fn loopback_pdu_is_ignored() {
    let mut s = Side::new(0xa, 1, |_| {});
    for _ in 0..5 {
        s.sys.tick(&mut s.m, &mut |_, _| true);
    }
    let own = s.m[0].port.lacpdu();
    // Out of BEGIN, in Expired/Defaulted: the PDU is taken, then refused.
    let o = s.sys.rx_lacpdu(&mut s.m, 0, &own);
    assert_eq!(o.loopback, Some(0));
    assert_eq!(s.m[0].port.partner_oper.system, [0; 6]);
}

#[derive(Debug, Clone)]
enum Op {
    Tick,
    Cut(usize),
    Restore(usize),
    MuteA(bool),
    Rate(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => Just(Op::Tick),
        1 => (0usize..3).prop_map(Op::Cut),
        1 => (0usize..3).prop_map(Op::Restore),
        1 => any::<bool>().prop_map(Op::MuteA),
        1 => any::<bool>().prop_map(Op::Rate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any sequence of ticks, cuts, restores, silences and rate changes
    /// keeps the invariants (checked at every tick), and once everything is
    /// restored the LAG comes back.
    #[test]
    fn random_events_keep_invariants(ops in proptest::collection::vec(op(), 0..300),
                                     events in any::<bool>()) {
        let mut lab = Lab::new(3, |_| {}, |_| {});
        lab.events = events;
        for o in ops {
            match o {
                Op::Tick => lab.tick(),
                Op::Cut(i) => if lab.wire[i] { lab.cut(i) },
                Op::Restore(i) => if !lab.wire[i] { lab.restore(i) },
                Op::MuteA(m) => lab.a_mute = m,
                Op::Rate(f) => {
                    lab.a.sys.set_lacp_fast(&mut lab.a.m, f);
                }
            }
            lab.check_invariants();
        }
        lab.a_mute = false;
        for i in 0..3 {
            if !lab.wire[i] {
                lab.restore(i);
            }
        }
        lab.a.sys.set_lacp_fast(&mut lab.a.m, true);
        // Slow rate may take up to 30 s for the partner to learn fast.
        prop_assert!(lab.run_until(1200, Lab::all_distributing).is_some());
    }
}
