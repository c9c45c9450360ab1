// SPDX-License-Identifier: GPL-2.0

//! balance-tlb / balance-alb tables on the host: C's hashes worked out by
//! hand, the least-loaded choice, clearing and rebalancing the transmit
//! table, the receive table's round robin, reassignment, clearing and
//! update countdown; and property tests that any sequence of operations
//! keeps the tables consistent.

use proptest::prelude::*;
use rbond_host::alb::rlb::{
    ArpPkt, Rlb, ARPOP_REPLY, ARPOP_REQUEST, RLB_PROMISC_TIMEOUT, RLB_UPDATE_DELAY,
    RLB_UPDATE_RETRY,
};
use rbond_host::alb::tlb::{
    compute_gap, least_loaded, lp_ticks, Tlb, TlbTick, Tx, BOND_TLB_REBALANCE_TICKS,
};
use rbond_host::alb::{
    ipv4_index, ipv6_index, nondyn_position, simple_hash, tlb_index, Slave, SlaveId,
};
use std::collections::BTreeSet;

fn mac(n: u8) -> [u8; 6] {
    [0x02, 0, 0, 0, 0, n]
}

fn sl(id: u16, speed: u32) -> Slave {
    Slave::new(SlaveId(id), speed, true, mac(id as u8))
}

fn id(n: u16) -> Option<SlaveId> {
    Some(SlaveId(n))
}

const BCAST: [u8; 6] = [0xff; 6];
const ZERO: [u8; 6] = [0; 6];
const SERVER: [u8; 4] = [10, 0, 0, 1];
const BOND_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];

fn client_mac(n: u8) -> [u8; 6] {
    [0x00, 0x16, 0x3e, 0, 0, n]
}

/// An ARP reply the bond sends to client `dst`.
fn reply_to(src: [u8; 4], dst: [u8; 4], dst_mac: [u8; 6]) -> ArpPkt {
    ArpPkt {
        op: ARPOP_REPLY,
        mac_src: BOND_MAC,
        ip_src: src,
        mac_dst: dst_mac,
        ip_dst: dst,
    }
}

/// An ARP request the bond sends for `dst`.
fn request_for(src: [u8; 4], dst: [u8; 4]) -> ArpPkt {
    ArpPkt {
        op: ARPOP_REQUEST,
        mac_src: BOND_MAC,
        ip_src: src,
        mac_dst: ZERO,
        ip_dst: dst,
    }
}

// ---------------------------------------------------------------- hashes

#[test]
fn simple_hash_by_hand() {
    // 0xc0 ^ 0xa8 ^ 0x01 ^ 0x0a
    assert_eq!(ipv4_index([192, 168, 1, 10]), 0x63);
    assert_eq!(ipv4_index([10, 0, 0, 1]), 0x0b);
    assert_eq!(ipv4_index([10, 0, 0, 2]), 0x08);
    assert_eq!(ipv4_index([1, 2, 3, 4]), 0x04);
    assert_eq!(ipv4_index([255, 255, 255, 255]), 0x00);
    // fe80::1: 0xfe ^ 0x80 ^ 0x01
    let mut v6 = [0u8; 16];
    v6[0] = 0xfe;
    v6[1] = 0x80;
    v6[15] = 1;
    assert_eq!(ipv6_index(&v6), 0x7f);
    // 2001:db8::1: 0x20 ^ 0x01 ^ 0x0d ^ 0xb8 ^ 0x01
    let mut v6 = [0u8; 16];
    v6[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    v6[15] = 1;
    assert_eq!(ipv6_index(&v6), 0x95);
    assert_eq!(simple_hash(&[]), 0);
    // balance-tlb: the low byte of the xmit_hash_policy hash.
    assert_eq!(tlb_index(0x1234_5678), 0x78);
    assert_eq!(nondyn_position(7, 3), Some(1));
    assert_eq!(nondyn_position(7, 0), None);
}

#[test]
fn arp_parse() {
    let mut b = [0u8; 28];
    b[0..2].copy_from_slice(&[0, 1]);
    b[2..4].copy_from_slice(&[8, 0]);
    b[4] = 6;
    b[5] = 4;
    b[6..8].copy_from_slice(&[0, 2]);
    b[8..14].copy_from_slice(&mac(9));
    b[14..18].copy_from_slice(&[10, 0, 0, 9]);
    b[18..24].copy_from_slice(&client_mac(1));
    b[24..28].copy_from_slice(&[10, 0, 0, 1]);
    let a = ArpPkt::parse(&b).unwrap();
    assert_eq!(a.op, ARPOP_REPLY);
    assert_eq!(a.mac_src, mac(9));
    assert_eq!(a.ip_src, [10, 0, 0, 9]);
    assert_eq!(a.mac_dst, client_mac(1));
    assert_eq!(a.ip_dst, [10, 0, 0, 1]);
    assert!(ArpPkt::parse(&b[..27]).is_none());
    assert!(ArpPkt::parse(&[]).is_none());
}

// ---------------------------------------------------------------- tlb

#[test]
fn gap_formula_and_its_wraps() {
    let mut s = sl(1, 1000);
    assert_eq!(compute_gap(&s), 1000 << 20);
    s.tlb.load = 1000;
    assert_eq!(compute_gap(&s), (1000 << 20) - 8000);
    // load << 3 in 32 bits: 2^29 bytes/s wraps to 0.
    s.tlb.load = 1 << 29;
    assert_eq!(compute_gap(&s), 1000 << 20);
    // speed << 20 in 32 bits: 25 Gbit/s wraps below 1 Gbit/s.
    let s25 = sl(2, 25000);
    assert_eq!(compute_gap(&s25), 444_596_224);
    assert!(compute_gap(&s25) < compute_gap(&sl(3, 1000)));
    // SPEED_UNKNOWN is the fastest.
    assert_eq!(compute_gap(&sl(4, u32::MAX)), 0xfff0_0000);
}

#[test]
fn least_loaded_choice() {
    let mut v = [sl(1, 100), sl(2, 1000), sl(3, 1000)];
    // Largest gap, first on a tie.
    assert_eq!(least_loaded(&v), Some(1));
    v[1].can_tx = false;
    assert_eq!(least_loaded(&v), Some(2));
    v[2].tlb.load = 1_000_000_000 / 8;
    // 1000<<20 - 10^9 < 100<<20
    assert_eq!(least_loaded(&v), Some(0));
    let v = [sl(1, 1000), sl(2, 25000)];
    assert_eq!(
        least_loaded(&v),
        Some(0),
        "C's 32-bit wrap prefers 1G to 25G"
    );
    let v = [sl(1, 1000), sl(2, u32::MAX)];
    assert_eq!(least_loaded(&v), Some(1));
    let mut v = [sl(1, 1000)];
    v[0].can_tx = false;
    assert_eq!(least_loaded(&v), None);
    assert_eq!(least_loaded(&[]), None);
}

#[test]
fn choose_assigns_once_and_counts_bytes() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 1000)];
    assert_eq!(t.choose_channel(&mut v, 5, 100), id(1));
    assert_eq!(t.choose_channel(&mut v, 5, 50), id(1));
    assert_eq!(t.entry(5).tx_bytes, 150);
    // Load histories start at 0: a new entry adds nothing, ties stay on 1.
    assert_eq!(t.choose_channel(&mut v, 6, 10), id(1));
    let list: Vec<u8> = t.slave_entries(&v[0].tlb).collect();
    assert_eq!(list, vec![6, 5]);
    assert_eq!(t.entry(6).next, Some(5));
    assert_eq!(t.entry(5).prev, Some(6));
    // No usable slave: no slave, nothing counted.
    let mut down = [sl(1, 1000)];
    down[0].can_tx = false;
    let mut t = Tlb::new();
    assert_eq!(t.choose_channel(&mut down, 9, 100), None);
    assert_eq!(t.entry(9).tx_bytes, 0);
}

/// Ticks until a rebalance happened.
fn rebalance(t: &mut Tlb, v: &mut [Slave], active: Option<SlaveId>) {
    for _ in 0..BOND_TLB_REBALANCE_TICKS {
        if t.tick(v, active, 1).rebalanced {
            return;
        }
    }
    panic!("no rebalance");
}

#[test]
fn loads_follow_history() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 1000)];
    t.choose_channel(&mut v, 1, 1_000_000);
    rebalance(&mut t, &mut v, None);
    assert_eq!(t.entry(1).load_history, 1 + 100_000);
    assert_eq!(t.entry(1).tx_bytes, 0);
    assert_eq!(t.entry(1).tx_slave, None);
    assert_eq!(v[0].tlb.load, 0);
    // Entry 1 goes back to the first (tie) with its history as load...
    assert_eq!(t.choose_channel(&mut v, 1, 1), id(1));
    assert_eq!(v[0].tlb.load, 100_001);
    // ...so the next ones go to the other slave.
    assert_eq!(t.choose_channel(&mut v, 2, 1), id(2));
    assert_eq!(t.choose_channel(&mut v, 3, 1), id(2));
    assert_eq!(v[1].tlb.load, 0);
}

#[test]
fn clear_slave_moves_entries() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 100)];
    for i in 0..4 {
        assert_eq!(t.choose_channel(&mut v, i, 10), id(1));
    }
    v[0].can_tx = false;
    t.link_down(&mut v[0]);
    assert_eq!(v[0].tlb.head, None);
    assert_eq!(v[0].tlb.load, 0);
    for i in 0..4 {
        assert_eq!(t.entry(i).tx_slave, None);
        // Bytes are not saved by a link-down clear: they stay counted.
        assert_eq!(t.entry(i).tx_bytes, 10);
        assert_eq!(t.choose_channel(&mut v, i, 10), id(2));
    }
    assert_eq!(t.slave_entries(&v[1].tlb).count(), 4);
}

#[test]
fn rebalance_every_interval_and_active_load() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 1000)];
    t.choose_channel(&mut v, 7, 500);
    // Unbalanced traffic through the active slave.
    assert_eq!(
        t.do_xmit(&mut v, None, id(2), 2000, true),
        Tx::Send {
            slave: SlaveId(2),
            rewrite_src: false
        }
    );
    for _ in 1..BOND_TLB_REBALANCE_TICKS {
        assert!(!t.tick(&mut v, id(2), 1).rebalanced);
    }
    assert_eq!(t.entry(7).tx_slave, id(1));
    assert!(t.tick(&mut v, id(2), 1).rebalanced);
    assert_eq!(t.entry(7).tx_slave, None);
    assert_eq!(t.entry(7).load_history, 51);
    assert_eq!(v[1].tlb.load, 200);
    assert_eq!(t.unbalanced_load, 0);
    assert_eq!(t.tx_rebalance_counter, 0);
    // A slave joining orders a rebalance at the next tick.
    let mut s3 = sl(3, 1000);
    t.init_slave(&mut s3);
    assert!(t.tick(&mut v, id(2), 1).rebalanced);
    t.link_up();
    assert!(t.tick(&mut v, id(2), 1).rebalanced);
    assert!(!t.tick(&mut v, id(2), 1).rebalanced);
}

#[test]
fn learning_packet_interval() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000)];
    let sends = |t: &mut Tlb, v: &mut [Slave], lp: u32, n: u32| -> Vec<u32> {
        (1..=n)
            .filter(|_| t.tick(v, None, lp).send_learning)
            .collect()
    };
    assert_eq!(sends(&mut t, &mut v, 1, 30), vec![10, 20, 30]);
    t.lp_counter = 0;
    assert_eq!(sends(&mut t, &mut v, 3, 60), vec![30, 60]);
    // lp_interval * 10 wraps in C's int: every tick.
    assert_eq!(lp_ticks(i32::MAX as u32), -10);
    t.lp_counter = 0;
    assert_eq!(sends(&mut t, &mut v, i32::MAX as u32, 3), vec![1, 2, 3]);
    // No slaves: counters reset, the rest of the monitor skipped.
    t.lp_counter = 5;
    t.tx_rebalance_counter = 50;
    assert_eq!(
        t.tick(&mut [], None, 1),
        TlbTick {
            idle: true,
            send_learning: false,
            rebalanced: false
        }
    );
    assert_eq!((t.lp_counter, t.tx_rebalance_counter), (0, 0));
}

#[test]
fn do_xmit_decisions() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 1000)];
    let c = t.choose_channel(&mut v, 3, 60);
    assert_eq!(
        t.do_xmit(&mut v, c, id(2), 60, true),
        Tx::Send {
            slave: SlaveId(1),
            rewrite_src: true
        }
    );
    // Not dynamic: unbalanced traffic is not counted.
    t.do_xmit(&mut v, None, id(2), 60, false);
    assert_eq!(t.unbalanced_load, 0);
    assert_eq!(t.do_xmit(&mut v, None, None, 60, true), Tx::Drop);
    assert_eq!(t.unbalanced_load, 60);
    // The chosen slave can no longer transmit: dropped, its entries cleared.
    v[0].can_tx = false;
    let c = t.choose_channel(&mut v, 3, 60);
    assert_eq!(c, id(1));
    assert_eq!(t.do_xmit(&mut v, c, id(2), 60, true), Tx::Drop);
    assert_eq!(t.entry(3).tx_slave, None);
    assert_eq!(v[0].tlb.head, None);
    assert_eq!(t.choose_channel(&mut v, 3, 60), id(2));
}

#[test]
fn active_change_saves_loads() {
    let mut t = Tlb::new();
    let mut v = [sl(1, 1000), sl(2, 1000)];
    t.choose_channel(&mut v, 1, 100);
    let [a, b] = &mut v;
    t.active_change(Some(a), b);
    assert_eq!(t.entry(1).tx_slave, None);
    assert_eq!(t.entry(1).load_history, 11);
    assert_eq!(t.entry(1).tx_bytes, 0);
}

#[test]
fn stale_slave_ids_are_forgotten() {
    let mut t = Tlb::new();
    let mut v = vec![sl(1, 1000), sl(2, 100)];
    t.choose_channel(&mut v, 4, 1);
    // The glue drops slave 1 without clearing it.
    v.remove(0);
    assert_eq!(t.choose_channel(&mut v, 4, 1), id(2));
    // A reused id starts clean.
    let mut t = Tlb::new();
    let mut v = vec![sl(1, 1000)];
    t.choose_channel(&mut v, 4, 1);
    let mut again = sl(1, 1000);
    t.init_slave(&mut again);
    assert_eq!(t.entry(4).tx_slave, None);
}

// ---------------------------------------------------------------- rlb

#[test]
fn rlb_round_robin_equal_speeds() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000), sl(3, 1000)];
    let got: Vec<_> = (2..=5)
        .map(|n| {
            r.choose_channel(
                &v,
                &reply_to(SERVER, [10, 0, 0, n], client_mac(n)),
                0,
                id(1),
            )
            .slave
        })
        .collect();
    assert_eq!(got, vec![id(1), id(2), id(3), id(1)]);
    let e = r.entry(ipv4_index([10, 0, 0, 2]));
    assert!(e.assigned && e.ntt);
    assert_eq!(e.mac_dst, client_mac(2));
    assert!(r.rx_ntt);
    assert_eq!(r.used().count(), 4);
}

#[test]
fn rlb_next_slave_prefers_speed() {
    let mut r = Rlb::new();
    let mut v = [sl(1, 100), sl(2, 1000), sl(3, 1000)];
    let seq: Vec<_> = (0..4).map(|_| r.next_rx_slave(&v)).collect();
    assert_eq!(seq, vec![id(2), id(3), id(2), id(3)]);
    // A faster slave before the last one given wins over slower ones after.
    let mut r = Rlb::new();
    let v2 = [sl(1, 10000), sl(2, 1000), sl(3, 1000)];
    r.rx_slave = id(2);
    assert_eq!(r.next_rx_slave(&v2), id(1));
    // The last one given can no longer transmit: restart at the fastest.
    r.rx_slave = id(2);
    v[1].can_tx = false;
    assert_eq!(r.next_rx_slave(&v), id(3));
    v[2].can_tx = false;
    assert_eq!(r.next_rx_slave(&v), id(1));
    v[0].can_tx = false;
    assert_eq!(r.next_rx_slave(&v), None);
    assert_eq!(r.rx_slave, id(1), "kept when nothing was found");
}

#[test]
fn rlb_known_client_keeps_slave() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000)];
    let c = [10, 0, 0, 2];
    assert_eq!(
        r.choose_channel(&v, &reply_to(SERVER, c, client_mac(2)), 0, id(1))
            .slave,
        id(1)
    );
    // Same server and client: same slave, round robin not advanced.
    assert_eq!(
        r.choose_channel(&v, &reply_to(SERVER, c, client_mac(7)), 0, id(1))
            .slave,
        id(1)
    );
    assert_eq!(r.entry(ipv4_index(c)).mac_dst, client_mac(7));
    assert_eq!(r.rx_slave, id(1));
    // A request (zero target MAC) overwrites the learned MAC (C's quirk),
    // a broadcast target does not.
    r.choose_channel(&v, &request_for(SERVER, c), 0, id(1));
    assert_eq!(r.entry(ipv4_index(c)).mac_dst, ZERO);
    let mut b = reply_to(SERVER, c, BCAST);
    b.op = ARPOP_REQUEST;
    r.update_entry_from_arp(&ArpPkt {
        op: ARPOP_REPLY,
        mac_src: client_mac(2),
        ip_src: c,
        mac_dst: BOND_MAC,
        ip_dst: SERVER,
    });
    assert_eq!(r.entry(ipv4_index(c)).mac_dst, client_mac(2));
    r.choose_channel(&v, &b, 0, id(1));
    assert_eq!(r.entry(ipv4_index(c)).mac_dst, client_mac(2));
}

#[test]
fn rlb_source_ip_change_reassigns() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000), sl(3, 1000)];
    let c = [10, 0, 0, 2];
    let h = ipv4_index(c);
    let other_server = [10, 0, 0, 100];
    assert_eq!(
        r.choose_channel(&v, &reply_to(SERVER, c, client_mac(2)), 0, id(2))
            .slave,
        id(1)
    );
    assert_eq!(r.src_list(ipv4_index(SERVER)).collect::<Vec<_>>(), vec![h]);
    let ch = r.choose_channel(&v, &reply_to(other_server, c, client_mac(2)), 5, id(2));
    // The old client (server 10.0.0.1) moved to the active slave at once.
    let m = ch.moved.unwrap();
    assert_eq!(m.slave, SlaveId(2));
    assert_eq!(m.ip_src, SERVER);
    assert_eq!(m.ip_dst, c);
    assert_eq!(m.mac_dst, client_mac(2));
    // The new one takes the next slave of the round robin.
    assert_eq!(ch.slave, id(2));
    let e = r.entry(h);
    assert_eq!(e.ip_src, other_server);
    assert_eq!(e.vlan_id, 5);
    assert_eq!(r.src_list(ipv4_index(SERVER)).count(), 0);
    assert_eq!(
        r.src_list(ipv4_index(other_server)).collect::<Vec<_>>(),
        vec![h]
    );
    assert_eq!(r.used().count(), 1);
    // Another client colliding on the entry (10.0.1.3 also hashes to 0x08)
    // replaces it; the old client is already on the active slave.
    let c2 = [10, 0, 1, 3];
    assert_eq!(ipv4_index(c2), h);
    let ch = r.choose_channel(&v, &reply_to(other_server, c2, client_mac(3)), 0, id(2));
    assert_eq!(ch.moved, None);
    assert_eq!(ch.slave, id(3));
    assert_eq!(r.entry(h).ip_dst, c2);
    assert_eq!(
        r.src_list(ipv4_index(other_server)).collect::<Vec<_>>(),
        vec![h]
    );
}

#[test]
fn rlb_clear_slave_reassigns_and_marks() {
    let mut r = Rlb::new();
    let mut v = vec![sl(1, 1000), sl(2, 1000), sl(3, 1000)];
    for n in 2..=7 {
        r.choose_channel(
            &v,
            &reply_to(SERVER, [10, 0, 0, n], client_mac(n)),
            0,
            id(1),
        );
    }
    // A request placeholder (no client MAC yet) on slave 2.
    r.rx_slave = id(1);
    r.choose_channel(&v, &request_for(SERVER, [10, 0, 0, 9]), 0, id(1));
    let on2: Vec<u8> = r.used().filter(|&i| r.entry(i).slave == id(2)).collect();
    assert_eq!(on2.len(), 3);
    // Clear the ntt marks as if the updates went out.
    r.update_retry_counter = 0;
    r.update_rx_clients();
    r.rx_ntt = false;
    v[1].can_tx = false;
    let teach = r.link_down(&v, SlaveId(2), id(1));
    assert!(teach, "slave 2 is not the active one");
    for &i in &on2 {
        let e = r.entry(i);
        assert!(e.slave == id(1) || e.slave == id(3));
        // Marked only with a known MAC.
        assert_eq!(e.ntt, e.mac_dst != ZERO);
    }
    assert!(r.rx_ntt);
    assert_eq!(r.update_retry_counter, RLB_UPDATE_RETRY);
    // Released with no usable slave left: clients have no slave.
    v[0].can_tx = false;
    v[2].can_tx = false;
    v.remove(0);
    assert!(!r.deinit_slave(&v, SlaveId(1), id(1)));
    assert_eq!(r.rx_slave, None);
    assert!(r.used().all(|i| r.entry(i).slave != id(1)));
}

#[test]
fn closed_bond_tables_are_empty() {
    // C frees both tables at close: a slave leaving then moves no client
    // and marks no update, and the transmit table has no entries.
    let mut r = Rlb::new();
    let mut v = vec![sl(1, 1000), sl(2, 1000)];
    for n in 2..=5 {
        r.choose_channel(
            &v,
            &reply_to(SERVER, [10, 0, 0, n], client_mac(n)),
            0,
            id(1),
        );
    }
    assert!(r.used().count() > 0);
    r.update_retry_counter = 0;
    r.rx_ntt = false;
    r.deinitialize();
    assert_eq!(r.used().count(), 0);
    v[1].can_tx = false;
    let _ = r.link_down(&v, SlaveId(2), id(1));
    assert!(!r.rx_ntt);
    assert_eq!(r.update_retry_counter, 0);
    let mut t = Tlb::new();
    let mut w = [sl(1, 1000), sl(2, 100)];
    t.choose_channel(&mut w, 3, 10);
    t.deinitialize();
    assert_eq!(t.entry(3).tx_slave, None);
    assert_eq!(t.entry(3).tx_bytes, 0);
}

/// Ticks that sent updates, over `n` ticks.
fn update_ticks(r: &mut Rlb, v: &[Slave], n: u32) -> Vec<(u32, usize)> {
    (1..=n)
        .filter_map(|t| {
            let u = r.tick(v);
            (!u.is_empty()).then_some((t, u.len()))
        })
        .collect()
}

#[test]
fn rlb_update_delay_and_retries() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000)];
    r.choose_channel(
        &v,
        &reply_to(SERVER, [10, 0, 0, 2], client_mac(2)),
        0,
        id(1),
    );
    // No delay, no retry: one round at the next tick.
    assert_eq!(update_ticks(&mut r, &v, 50), vec![(1, 1)]);
    assert!(!r.rx_ntt);
    assert_eq!(r.update_delay_counter, RLB_UPDATE_DELAY);
    // A slave change: RLB_UPDATE_RETRY more rounds, RLB_UPDATE_DELAY apart.
    r.update_delay_counter = 0;
    r.req_update_slave_clients(SlaveId(1));
    assert_eq!(
        update_ticks(&mut r, &v, 100),
        vec![(1, 1), (22, 1), (43, 1), (64, 1)]
    );
    assert!(!r.entry(ipv4_index([10, 0, 0, 2])).ntt);
    // A request holds updates back RLB_UPDATE_DELAY ticks.
    r.update_delay_counter = 0;
    let a = r.arp_xmit(&v, &request_for(SERVER, [10, 0, 0, 3]), 0, id(1), &BOND_MAC);
    assert_eq!(a.slave, id(2));
    assert_eq!(r.update_delay_counter, RLB_UPDATE_DELAY);
    // The request does not mark the client on slave 1: that slave has the
    // bond's MAC.
    assert!(!r.rx_ntt);
    let reply = reply_to(SERVER, [10, 0, 0, 4], client_mac(4));
    r.arp_xmit(&v, &reply, 0, id(1), &BOND_MAC);
    assert_eq!(update_ticks(&mut r, &v, 40), vec![(21, 1)]);
}

#[test]
fn rlb_arp_xmit_rules() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000)];
    // Not from a slave's MAC: left alone.
    let mut foreign = reply_to(SERVER, [10, 0, 0, 2], client_mac(2));
    foreign.mac_src = [0x02, 9, 9, 9, 9, 9];
    assert_eq!(r.arp_xmit(&v, &foreign, 0, id(1), &BOND_MAC).slave, None);
    assert_eq!(r.used().count(), 0);
    // Replies get their sender MAC rewritten to the slave's.
    let a = r.arp_xmit(
        &v,
        &reply_to(SERVER, [10, 0, 0, 2], client_mac(2)),
        0,
        id(1),
        &BOND_MAC,
    );
    assert_eq!(a.slave, id(1));
    assert_eq!(a.rewrite_sender, None);
    let a = r.arp_xmit(
        &v,
        &reply_to(SERVER, [10, 0, 0, 3], client_mac(3)),
        0,
        id(1),
        &BOND_MAC,
    );
    assert_eq!(a.slave, id(2));
    assert_eq!(a.rewrite_sender, Some(mac(2)));
    // A request marks every client of its source on a non-bond-MAC slave.
    r.update_retry_counter = 0;
    r.update_rx_clients();
    r.rx_ntt = false;
    let a = r.arp_xmit(&v, &request_for(SERVER, [10, 0, 0, 9]), 0, id(1), &BOND_MAC);
    assert_eq!(a.no_channel, 0);
    assert!(r.rx_ntt);
    assert!(r.entry(ipv4_index([10, 0, 0, 3])).ntt);
    assert!(!r.entry(ipv4_index([10, 0, 0, 2])).ntt);
    // Other operations are not balanced.
    let mut other = request_for(SERVER, [10, 0, 0, 20]);
    other.op = 3;
    assert_eq!(
        r.arp_xmit(&v, &other, 0, id(1), &BOND_MAC),
        Default::default()
    );
}

#[test]
fn rlb_receive_learns_and_purges() {
    let mut r = Rlb::new();
    let v = [sl(1, 1000), sl(2, 1000)];
    let c = [10, 0, 0, 2];
    r.choose_channel(&v, &request_for(SERVER, c), 0, id(1));
    assert!(!r.entry(ipv4_index(c)).ntt);
    // The client's reply teaches its MAC.
    let from_client = ArpPkt {
        op: ARPOP_REPLY,
        mac_src: client_mac(2),
        ip_src: c,
        mac_dst: BOND_MAC,
        ip_dst: SERVER,
    };
    r.recv_arp(&from_client);
    let e = r.entry(ipv4_index(c));
    assert_eq!(e.mac_dst, client_mac(2));
    assert!(e.ntt && r.rx_ntt);
    // Another host claims the server address: its clients are deleted.
    r.choose_channel(
        &v,
        &reply_to(SERVER, [10, 0, 0, 3], client_mac(3)),
        0,
        id(1),
    );
    r.choose_channel(
        &v,
        &reply_to([10, 0, 0, 100], [10, 0, 0, 4], client_mac(4)),
        0,
        id(1),
    );
    assert_eq!(r.used().count(), 3);
    let thief = ArpPkt {
        op: ARPOP_REQUEST,
        mac_src: [0x02, 7, 7, 7, 7, 7],
        ip_src: SERVER,
        mac_dst: ZERO,
        ip_dst: [10, 0, 0, 50],
    };
    r.recv_arp(&thief);
    let left: Vec<u8> = r.used().collect();
    assert_eq!(left, vec![ipv4_index([10, 0, 0, 4])]);
    assert!(!r.entry(ipv4_index(c)).assigned);
    assert_eq!(r.src_list(ipv4_index(SERVER)).count(), 0);
    // The same host announcing with our MAC purges nothing.
    r.choose_channel(&v, &reply_to(SERVER, c, client_mac(2)), 0, id(1));
    let mut ours = thief;
    ours.mac_src = BOND_MAC;
    r.recv_arp(&ours);
    assert_eq!(r.used().count(), 2);
}

#[test]
fn rlb_clear_vlan_and_rebalance() {
    let mut r = Rlb::new();
    let mut v = vec![sl(1, 1000)];
    for n in 2..=5 {
        let vid = if n % 2 == 0 { 10 } else { 0 };
        r.choose_channel(
            &v,
            &reply_to(SERVER, [10, 0, 0, n], client_mac(n)),
            vid,
            id(1),
        );
    }
    r.clear_vlan(10);
    assert_eq!(r.used().count(), 2);
    assert!(r.used().all(|i| r.entry(i).vlan_id == 0));
    // A placeholder with a broadcast target counts for rebalance's ntt.
    let mut b = reply_to(SERVER, [10, 0, 0, 6], BCAST);
    b.op = ARPOP_REQUEST;
    r.choose_channel(&v, &b, 0, id(1));
    r.update_retry_counter = 0;
    r.update_rx_clients();
    r.rx_ntt = false;
    // A second slave comes up: the next tick spreads the clients.
    v.push(sl(2, 1000));
    r.link_up();
    r.update_delay_counter = 5;
    let u = r.tick(&v);
    assert!(u.is_empty());
    assert!(!r.rebalance);
    let slaves: Vec<_> = r.used().map(|i| r.entry(i).slave).collect();
    assert_eq!(slaves, vec![id(2), id(1), id(2)]);
    let bcast = r.entry(ipv4_index([10, 0, 0, 6]));
    assert_eq!(bcast.slave, id(2));
    assert!(bcast.ntt, "broadcast MAC is non-zero");
    assert!(r.rx_ntt);
    assert!(r.client_update(ipv4_index([10, 0, 0, 6])).is_none());
}

#[test]
fn rlb_promiscuity() {
    let mut r = Rlb::new();
    assert!(!r.promisc_tick());
    r.teach_on_primary(|| true);
    assert!(r.primary_is_promisc);
    let mut called = false;
    r.teach_on_primary(|| {
        called = true;
        true
    });
    assert!(!called);
    for _ in 1..RLB_PROMISC_TIMEOUT {
        assert!(!r.promisc_tick());
    }
    assert!(r.promisc_tick());
    // RTNL not taken: asks again at the next tick.
    assert!(r.promisc_tick());
    assert!(r.promisc_expired(true));
    assert!(!r.primary_is_promisc);
    assert_eq!(r.promisc_timeout_counter, 0);
    r.teach_on_primary(|| false);
    assert!(!r.primary_is_promisc);
    r.teach_on_primary(|| true);
    assert!(r.leave_promisc());
    assert!(!r.leave_promisc());
}

// ---------------------------------------------------------------- properties

#[derive(Clone, Debug)]
enum TOp {
    Xmit(u8, u32, bool),
    Down(usize),
    Up(usize),
    Speed(usize, u32),
    Tick(u32),
    Remove(usize),
    Add(u32),
}

fn speed() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(10),
        Just(100),
        Just(1000),
        Just(10000),
        Just(25000),
        Just(u32::MAX),
        any::<u32>(),
    ]
}

fn top() -> impl Strategy<Value = TOp> {
    prop_oneof![
        6 => (any::<u8>(), any::<u32>(), any::<bool>()).prop_map(|(i, l, b)| TOp::Xmit(i, l, b)),
        1 => (0..8usize).prop_map(TOp::Down),
        1 => (0..8usize).prop_map(TOp::Up),
        1 => (0..8usize, speed()).prop_map(|(k, s)| TOp::Speed(k, s)),
        2 => (1..120u32).prop_map(TOp::Tick),
        1 => (0..8usize).prop_map(TOp::Remove),
        1 => speed().prop_map(TOp::Add),
    ]
}

/// The active slave after a change, as the bond picks one (the first
/// usable); the tlb side of the change.
fn tlb_reselect(t: &mut Tlb, v: &mut [Slave], active: &mut Option<SlaveId>) {
    let usable = |a: &Option<SlaveId>, v: &[Slave]| {
        a.is_some_and(|a| v.iter().any(|s| s.id == a && s.can_tx))
    };
    if usable(active, v) {
        return;
    }
    let new = v.iter().position(|s| s.can_tx);
    if let Some(old) = active.and_then(|a| v.iter().position(|s| s.id == a)) {
        t.clear_slave(&mut v[old], true);
    }
    if let Some(n) = new {
        t.clear_slave(&mut v[n], true);
    }
    *active = new.map(|n| v[n].id);
}

fn tlb_check(t: &Tlb, v: &[Slave]) -> Result<(), TestCaseError> {
    let mut listed = BTreeSet::new();
    for s in v {
        let mut prev = None;
        for i in t.slave_entries(&s.tlb) {
            prop_assert!(listed.insert(i), "entry {} listed twice", i);
            prop_assert_eq!(t.entry(i).tx_slave, Some(s.id));
            prop_assert_eq!(t.entry(i).prev, prev);
            prev = Some(i);
        }
    }
    for i in 0..=255u8 {
        let e = t.entry(i);
        match e.tx_slave {
            Some(id) => {
                prop_assert!(listed.contains(&i), "entry {} unlisted", i);
                prop_assert!(
                    v.iter().any(|s| s.id == id && s.can_tx),
                    "entry {} on unusable {:?}",
                    i,
                    id
                );
            }
            None => {
                prop_assert!(e.next.is_none() && e.prev.is_none());
            }
        }
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum ROp {
    Send(u16, u8, u8, u8, u8, u16),
    Recv(u16, u8, u8, u8, u8),
    Down(usize),
    Up(usize),
    Tick(u32),
    Remove(usize),
    Add(u32),
    ClearVlan(u16),
    SlaveMac(usize),
}

/// A small pool of addresses, so that hashes collide (index 0x08 is shared
/// by 10.0.0.2 and 10.0.1.3, 0x0b by the servers 10.0.0.1 and 10.1.0.0).
fn ip(n: u8) -> [u8; 4] {
    const POOL: [[u8; 4]; 8] = [
        [10, 0, 0, 1],
        [10, 1, 0, 0],
        [10, 0, 0, 2],
        [10, 0, 1, 3],
        [10, 0, 0, 3],
        [10, 0, 0, 100],
        [192, 168, 1, 10],
        [11, 0, 0, 0],
    ];
    POOL[usize::from(n) % POOL.len()]
}

fn pick_mac(n: u8, slaves: &[Slave]) -> [u8; 6] {
    match n % 6 {
        0 => BCAST,
        1 => ZERO,
        2 => slaves
            .get(usize::from(n / 6) % slaves.len().max(1))
            .map_or(BOND_MAC, |s| s.mac),
        3 => BOND_MAC,
        _ => client_mac(n / 6 % 4),
    }
}

fn rop() -> impl Strategy<Value = ROp> {
    prop_oneof![
        6 => (0..4u16, any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), 0..3u16)
            .prop_map(|(o, s, d, ms, md, v)| ROp::Send(o, s, d, ms, md, v)),
        3 => (0..4u16, any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(o, s, d, ms, md)| ROp::Recv(o, s, d, ms, md)),
        1 => (0..8usize).prop_map(ROp::Down),
        1 => (0..8usize).prop_map(ROp::Up),
        2 => (1..30u32).prop_map(ROp::Tick),
        1 => (0..8usize).prop_map(ROp::Remove),
        1 => speed().prop_map(ROp::Add),
        1 => (0..3u16).prop_map(ROp::ClearVlan),
        1 => (0..8usize).prop_map(ROp::SlaveMac),
    ]
}

fn rlb_check(r: &Rlb, v: &[Slave]) -> Result<(), TestCaseError> {
    // The used list: each entry once, back links right, exactly the
    // assigned entries.
    let used: Vec<u8> = r.used().collect();
    let used_set: BTreeSet<u8> = used.iter().copied().collect();
    prop_assert_eq!(used.len(), used_set.len(), "used list loops");
    let mut prev = None;
    for &i in &used {
        prop_assert_eq!(r.entry(i).used_prev, prev);
        prev = Some(i);
    }
    if let Some(&last) = used.last() {
        prop_assert_eq!(r.entry(last).used_next, None);
    }
    let assigned: BTreeSet<u8> = (0..=255u8).filter(|&i| r.entry(i).assigned).collect();
    prop_assert_eq!(&used_set, &assigned);
    // The source lists: every assigned entry in the list of its hash,
    // exactly once; nothing else in any list.
    let mut in_src = BTreeSet::new();
    for h in 0..=255u8 {
        let mut prev = Some(h);
        for i in r.src_list(h) {
            prop_assert!(in_src.insert(i), "entry {} in two source lists", i);
            let e = r.entry(i);
            prop_assert!(e.assigned, "unassigned entry {} in source list", i);
            prop_assert_eq!(simple_hash(&e.ip_src), h);
            prop_assert_eq!(e.src_prev, prev);
            prev = Some(i);
        }
    }
    prop_assert_eq!(&in_src, &assigned);
    for i in 0..=255u8 {
        let e = r.entry(i);
        if !e.assigned {
            prop_assert!(e.used_next.is_none() && e.used_prev.is_none());
            prop_assert!(e.src_next.is_none() && e.src_prev.is_none());
            prop_assert!(e.slave.is_none());
        } else if let Some(id) = e.slave {
            prop_assert!(
                v.iter().any(|s| s.id == id && s.can_tx),
                "client {} on unusable {:?}",
                i,
                id
            );
        }
    }
    Ok(())
}

/// The receive side of an active-slave change: the first usable slave.
fn rlb_reselect(r: &mut Rlb, v: &[Slave], active: &mut Option<SlaveId>) {
    let ok = active.is_some_and(|a| v.iter().any(|s| s.id == a && s.can_tx));
    if !ok {
        if active.is_some() {
            r.leave_promisc();
        }
        *active = v.iter().find(|s| s.can_tx).map(|s| s.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every entry with a slave is on that slave's list (once, links
    /// right) and that slave can transmit, after any sequence of packets,
    /// link changes, speed changes, ticks, joins and departures.
    #[test]
    fn tlb_entries_stay_on_usable_slaves(
        speeds in proptest::collection::vec(speed(), 1..5),
        ops in proptest::collection::vec(top(), 0..200),
    ) {
        let mut t = Tlb::new();
        let mut v: Vec<Slave> = Vec::new();
        let mut next_id = 1u16;
        for s in speeds {
            let mut m = sl(next_id, s);
            next_id += 1;
            t.init_slave(&mut m);
            v.push(m);
        }
        let mut active = None;
        tlb_reselect(&mut t, &mut v, &mut active);
        for op in ops {
            match op {
                TOp::Xmit(i, len, balanced) => {
                    let c = if balanced { t.choose_channel(&mut v, i, len) } else { None };
                    let tx = t.do_xmit(&mut v, c, active, len, true);
                    if let Tx::Send { slave, rewrite_src } = tx {
                        prop_assert!(v.iter().any(|s| s.id == slave && s.can_tx));
                        prop_assert_eq!(rewrite_src, Some(slave) != active);
                    }
                }
                TOp::Down(k) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].can_tx = false;
                    t.link_down(&mut v[k]);
                    tlb_reselect(&mut t, &mut v, &mut active);
                }
                TOp::Up(k) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].can_tx = true;
                    t.link_up();
                    tlb_reselect(&mut t, &mut v, &mut active);
                }
                TOp::Speed(k, s) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].speed = s;
                }
                TOp::Tick(n) => {
                    for _ in 0..n {
                        let r = t.tick(&mut v, active, 1);
                        prop_assert_eq!(r.idle, v.is_empty());
                    }
                }
                TOp::Remove(k) if !v.is_empty() => {
                    let k = k % v.len();
                    let mut gone = v.remove(k);
                    if active == Some(gone.id) {
                        active = None;
                    }
                    t.deinit_slave(&mut gone);
                    tlb_reselect(&mut t, &mut v, &mut active);
                }
                TOp::Add(s) => {
                    let mut m = sl(next_id, s);
                    next_id = next_id.wrapping_add(1);
                    t.init_slave(&mut m);
                    v.push(m);
                    tlb_reselect(&mut t, &mut v, &mut active);
                }
                _ => {}
            }
            tlb_check(&t, &v)?;
        }
    }

    /// The used list and the per-source lists stay consistent (every
    /// client reachable exactly once from each), and every client's slave
    /// is a usable slave or none, after any sequence of ARPs sent and
    /// received, link changes, ticks, joins, departures, VLAN removals and
    /// MAC changes.
    #[test]
    fn rlb_lists_stay_consistent(
        speeds in proptest::collection::vec(speed(), 1..5),
        ops in proptest::collection::vec(rop(), 0..200),
    ) {
        let mut r = Rlb::new();
        let mut v: Vec<Slave> = Vec::new();
        let mut next_id = 1u16;
        for s in speeds {
            v.push(sl(next_id, s));
            next_id += 1;
            r.link_up();
        }
        let mut active = None;
        rlb_reselect(&mut r, &v, &mut active);
        for op in ops {
            match op {
                ROp::Send(o, s, d, ms, md, vid) => {
                    let arp = ArpPkt {
                        op: o,
                        mac_src: pick_mac(ms, &v),
                        ip_src: ip(s),
                        mac_dst: pick_mac(md, &v),
                        ip_dst: ip(d),
                    };
                    let x = r.arp_xmit(&v, &arp, vid, active, &BOND_MAC);
                    if let Some(m) = x.moved {
                        prop_assert_eq!(Some(m.slave), active);
                    }
                    if let Some(s) = x.slave {
                        prop_assert!(v.iter().any(|m| m.id == s && m.can_tx));
                    }
                }
                ROp::Recv(o, s, d, ms, md) => {
                    let arp = ArpPkt {
                        op: o,
                        mac_src: pick_mac(ms, &v),
                        ip_src: ip(s),
                        mac_dst: pick_mac(md, &v),
                        ip_dst: ip(d),
                    };
                    r.recv_arp(&arp);
                }
                ROp::Down(k) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].can_tx = false;
                    let gone = v[k].id;
                    if r.link_down(&v, gone, active) && active.is_some() {
                        r.teach_on_primary(|| true);
                    }
                    rlb_reselect(&mut r, &v, &mut active);
                }
                ROp::Up(k) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].can_tx = true;
                    r.link_up();
                    rlb_reselect(&mut r, &v, &mut active);
                }
                ROp::Tick(n) => {
                    for _ in 0..n {
                        if r.promisc_tick() {
                            r.promisc_expired(active.is_some());
                        }
                        let u = r.tick(&v);
                        for c in u.clients(&r) {
                            prop_assert!(v.iter().any(|m| m.id == c.slave));
                            prop_assert!(rbond_host::alb::is_valid_ether_addr(&c.mac_dst));
                        }
                        prop_assert_eq!(u.clients(&r).count(), u.len());
                    }
                }
                ROp::Remove(k) if !v.is_empty() => {
                    let k = k % v.len();
                    let gone = v.remove(k);
                    if active == Some(gone.id) {
                        active = None;
                    }
                    r.deinit_slave(&v, gone.id, active);
                    rlb_reselect(&mut r, &v, &mut active);
                }
                ROp::Add(s) => {
                    v.push(sl(next_id, s));
                    next_id = next_id.wrapping_add(1);
                    r.link_up();
                    rlb_reselect(&mut r, &v, &mut active);
                }
                ROp::ClearVlan(vid) => r.clear_vlan(vid),
                ROp::SlaveMac(k) if !v.is_empty() => {
                    let k = k % v.len();
                    v[k].mac[4] ^= 0x40;
                    r.req_update_slave_clients(v[k].id);
                }
                _ => {}
            }
            rlb_check(&r, &v)?;
        }
    }

    /// Nothing panics on arbitrary packets, slaves the glue forgot to
    /// clear, duplicate ids and usability changes nobody was told about.
    #[test]
    fn no_panic_on_arbitrary_input(
        ops in proptest::collection::vec(
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40),
             any::<u16>(), any::<u32>(), any::<u8>()),
            0..200),
    ) {
        let mut t = Tlb::new();
        let mut r = Rlb::new();
        let mut v = vec![sl(1, 1000), sl(1, 10), sl(2, u32::MAX)];
        for (kind, bytes, a, b, c) in ops {
            let k = usize::from(c) % v.len().max(1);
            match kind % 12 {
                0 => {
                    if let Some(arp) = ArpPkt::parse(&bytes) {
                        r.recv_arp(&arp);
                    }
                }
                1 => {
                    if let Some(arp) = ArpPkt::parse(&bytes) {
                        let act = v.get(k).map(|s| s.id);
                        let _ = r.arp_xmit(&v, &arp, a, act, &BOND_MAC);
                    }
                }
                2 => {
                    let ch = t.choose_channel(&mut v, c, b);
                    let _ = t.do_xmit(&mut v, ch, Some(SlaveId(a)), b, a & 1 == 0);
                }
                3 => { let _ = t.tick(&mut v, Some(SlaveId(a)), b); }
                4 => { let _ = r.tick(&v); let _ = r.promisc_tick(); }
                5 => { if let Some(s) = v.get_mut(k) { s.can_tx = !s.can_tx; } }
                6 => { if !v.is_empty() { v.remove(k); } }
                7 => { v.push(Slave::new(SlaveId(a % 4), b, a & 2 == 0, [c; 6])); }
                8 => { let _ = r.clear_slave(&v, SlaveId(a % 4), Some(SlaveId(b as u16 % 4))); }
                9 => { r.rebalance_clients(&v); r.clear_vlan(a); }
                10 => {
                    if let Some(s) = v.get_mut(k) {
                        s.speed = b;
                        s.tlb.load = u32::from(a) << 16;
                    }
                }
                _ => {
                    let mut ip4 = [0u8; 4];
                    for (d, s) in ip4.iter_mut().zip(bytes.iter()) { *d = *s; }
                    r.purge_src_ip(ip4, &[c; 6]);
                    let _ = r.req_update_subnet_clients(&v, ip4, &[c; 6]);
                    let _ = r.update_rx_clients();
                }
            }
        }
    }
}
