// SPDX-License-Identifier: GPL-2.0

//! /proc/net/bonding/<bond> must read exactly as C's bond_procfs.c writes it.

use core::fmt::{self, Write};

use rbond_host::monitor::link::LinkState;
use rbond_host::monitor::select::{DUPLEX_FULL, DUPLEX_HALF, DUPLEX_UNKNOWN, SPEED_UNKNOWN};
use rbond_host::options::procfs::{
    churn_desc, uses_primary, uses_xmit_hash, write_bond, write_bond_with, write_hwaddr,
    write_ipv6, write_lacp_master, write_lacp_slave, write_master, write_slave, AggInfo, BondInfo,
    LacpMasterInfo, LacpSlaveInfo, ModeSections, PortDetails, SlaveInfo,
};
use rbond_host::options::Mode;

const VERSION: &str = "7.2.0-rbond";

fn bond(mode: Mode, slaves: &[SlaveInfo<'static>]) -> BondInfo<'static> {
    // Leaked so the fixtures can be 'static; a few bytes per test.
    let slaves: &'static [SlaveInfo<'static>] = Box::leak(slaves.to_vec().into_boxed_slice());
    BondInfo {
        version: VERSION,
        mode,
        fail_over_mac: 0,
        xmit_policy: 0,
        tlb_dynamic_lb: true,
        primary: None,
        primary_reselect: 0,
        curr_active: None,
        carrier: false,
        miimon: 100,
        updelay: 0,
        downdelay: 0,
        peer_notif_delay: 0,
        arp_interval: 0,
        missed_max: 2,
        arp_targets: &[],
        ns_targets: Some(&[]),
        slaves,
    }
}

const MAC0: &[u8] = &[0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const MAC1: &[u8] = &[0x52, 0x54, 0x00, 0xab, 0xcd, 0x0f];

fn eth0_up() -> SlaveInfo<'static> {
    SlaveInfo {
        name: b"eth0",
        link: LinkState::Up,
        speed: 1000,
        duplex: DUPLEX_FULL,
        link_failure_count: 0,
        perm_hwaddr: MAC0,
        queue_id: 0,
    }
}

fn eth1_down() -> SlaveInfo<'static> {
    SlaveInfo {
        name: b"eth1",
        link: LinkState::Down,
        speed: SPEED_UNKNOWN,
        duplex: DUPLEX_UNKNOWN,
        link_failure_count: 3,
        perm_hwaddr: MAC1,
        queue_id: 2,
    }
}

fn text(b: &BondInfo<'_>) -> String {
    let mut s = String::new();
    assert!(write_bond(&mut s, b).is_ok());
    s
}

fn slave_text(s: &SlaveInfo<'_>) -> String {
    let mut out = String::new();
    assert!(write_slave(&mut out, s).is_ok());
    out
}

fn ipv6(a: [u8; 16]) -> String {
    let mut s = String::new();
    assert!(write_ipv6(&mut s, &a).is_ok());
    s
}

/// An address from its eight 16-bit groups.
fn groups(g: [u16; 8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    for (i, w) in g.iter().enumerate() {
        a[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
    }
    a
}

// ----------------------------------------------------------- golden texts

#[test]
fn active_backup_two_slaves() {
    let mut b = bond(Mode::ActiveBackup, &[eth0_up(), eth1_down()]);
    b.curr_active = Some(b"eth0");
    b.carrier = true;
    b.updelay = 2;
    b.downdelay = 1;
    b.peer_notif_delay = 3;
    let expected = "\
Ethernet Channel Bonding Driver: v7.2.0-rbond

Bonding Mode: fault-tolerance (active-backup)
Primary Slave: None
Currently Active Slave: eth0
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 200
Down Delay (ms): 100
Peer Notification Delay (ms): 300

Slave Interface: eth0
MII Status: up
Speed: 1000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: 52:54:00:12:34:56
Slave queue ID: 0

Slave Interface: eth1
MII Status: down
Speed: Unknown
Duplex: Unknown
Link Failure Count: 3
Permanent HW addr: 52:54:00:ab:cd:0f
Slave queue ID: 2
";
    assert_eq!(text(&b), expected);
}

#[test]
fn active_backup_primary_and_fail_over_mac() {
    let mut b = bond(Mode::ActiveBackup, &[eth0_up(), eth1_down()]);
    b.fail_over_mac = 1;
    b.primary = Some(b"eth1");
    b.primary_reselect = 1;
    b.curr_active = Some(b"eth0");
    b.carrier = true;
    let mut master = String::new();
    assert!(write_master(&mut master, &b).is_ok());
    let expected = "\
Ethernet Channel Bonding Driver: v7.2.0-rbond

Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)
Primary Slave: eth1 (primary_reselect better)
Currently Active Slave: eth0
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
";
    assert_eq!(master, expected);
    b.fail_over_mac = 2;
    b.primary_reselect = 2;
    let t = text(&b);
    assert!(t.contains("Bonding Mode: fault-tolerance (active-backup) (fail_over_mac follow)\n"));
    assert!(t.contains("Primary Slave: eth1 (primary_reselect failure)\n"));
}

#[test]
fn active_backup_no_active_slave() {
    let b = bond(Mode::ActiveBackup, &[eth1_down()]);
    let t = text(&b);
    assert!(t.contains("\nPrimary Slave: None\nCurrently Active Slave: None\nMII Status: down\n"));
}

#[test]
fn balance_xor_shows_hash_policy() {
    let mut b = bond(Mode::Xor, &[eth0_up()]);
    b.xmit_policy = 1;
    b.carrier = true;
    // C prints fail_over_mac only in active-backup.
    b.fail_over_mac = 1;
    let expected = "\
Ethernet Channel Bonding Driver: v7.2.0-rbond

Bonding Mode: load balancing (xor)
Transmit Hash Policy: layer3+4 (1)
MII Status: up
MII Polling Interval (ms): 100
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0

Slave Interface: eth0
MII Status: up
Speed: 1000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: 52:54:00:12:34:56
Slave queue ID: 0
";
    assert_eq!(text(&b), expected);
    let names = [
        (0, "layer2"),
        (2, "layer2+3"),
        (3, "encap2+3"),
        (4, "encap3+4"),
        (5, "vlan+srcmac"),
    ];
    for (v, name) in names {
        b.xmit_policy = v;
        assert!(text(&b).contains(&format!("\nTransmit Hash Policy: {name} ({v})\n")));
    }
}

#[test]
fn no_slaves() {
    let mut b = bond(Mode::RoundRobin, &[]);
    b.miimon = 0;
    let expected = "\
Ethernet Channel Bonding Driver: v7.2.0-rbond

Bonding Mode: load balancing (round-robin)
MII Status: down
MII Polling Interval (ms): 0
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
";
    assert_eq!(text(&b), expected);
}

#[test]
fn broadcast_mode() {
    let mut b = bond(Mode::Broadcast, &[]);
    b.carrier = true;
    let t = text(&b);
    assert!(t.contains("\nBonding Mode: fault-tolerance (broadcast)\nMII Status: up\n"));
}

#[test]
fn arp_targets() {
    let mut b = bond(Mode::ActiveBackup, &[]);
    b.miimon = 0;
    b.arp_interval = 1000;
    b.missed_max = 3;
    b.arp_targets = &[
        [10, 0, 0, 1],
        [192, 168, 1, 254],
        [0, 0, 0, 0],
        [1, 2, 3, 4],
    ];
    let ns: &'static [[u8; 16]] = Box::leak(Box::new([
        groups([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]),
        groups([0xfe80, 0, 0, 0, 0x1, 0, 0, 0x2]),
        [0; 16],
        groups([1, 2, 3, 4, 5, 6, 7, 8]),
    ]));
    b.ns_targets = Some(ns);
    let expected = "\
Ethernet Channel Bonding Driver: v7.2.0-rbond

Bonding Mode: fault-tolerance (active-backup)
Primary Slave: None
Currently Active Slave: None
MII Status: down
MII Polling Interval (ms): 0
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
ARP Polling Interval (ms): 1000
ARP Missed Max: 3
ARP IP target/s (n.n.n.n form): 10.0.0.1, 192.168.1.254
NS IPv6 target/s (xx::xx form): 2001:db8::1, fe80::1:0:0:2
";
    assert_eq!(text(&b), expected);

    // Without IPv6 in the kernel, the NS line is left out.
    b.ns_targets = None;
    let t = text(&b);
    assert!(t.ends_with("ARP IP target/s (n.n.n.n form): 10.0.0.1, 192.168.1.254\n"));
    assert!(!t.contains("NS IPv6"));

    // No targets: the headings alone.
    b.arp_targets = &[];
    b.ns_targets = Some(&[]);
    let t = text(&b);
    assert!(t.ends_with("ARP IP target/s (n.n.n.n form):\nNS IPv6 target/s (xx::xx form):\n"));

    // One target, no comma.
    b.arp_targets = &[[8, 8, 8, 8]];
    assert!(text(&b).contains("\nARP IP target/s (n.n.n.n form): 8.8.8.8\n"));

    // arp_interval 0 (or negative): no ARP lines.
    b.arp_interval = 0;
    assert!(!text(&b).contains("ARP"));
    b.arp_interval = -1;
    assert!(!text(&b).contains("ARP"));
}

#[test]
fn arp_targets_capped_at_sixteen() {
    let mut b = bond(Mode::RoundRobin, &[]);
    b.arp_interval = 100;
    let targets: Vec<[u8; 4]> = (1..=20u8).map(|i| [10, 0, 0, i]).collect();
    b.arp_targets = Box::leak(targets.into_boxed_slice());
    let t = text(&b);
    assert!(t.contains(", 10.0.0.16\n"));
    assert!(!t.contains("10.0.0.17"));
}

// ------------------------------------------------------------ slave lines

#[test]
fn slave_states_speeds_and_duplex() {
    let mut s = eth0_up();
    s.link = LinkState::Fail;
    s.speed = 100;
    s.duplex = DUPLEX_HALF;
    let t = slave_text(&s);
    assert!(t.starts_with(
        "\nSlave Interface: eth0\nMII Status: going down\nSpeed: 100 Mbps\nDuplex: half\n"
    ));
    s.link = LinkState::Back;
    assert!(slave_text(&s).contains("\nMII Status: going back\n"));
    // Any duplex value other than 0 and unknown is "full", as in C.
    s.duplex = 7;
    assert!(slave_text(&s).contains("\nDuplex: full\n"));
    // The unsigned speed goes through %d.
    s.speed = 0x8000_0000;
    assert!(slave_text(&s).contains("\nSpeed: -2147483648 Mbps\n"));
    s.speed = 0;
    assert!(slave_text(&s).contains("\nSpeed: 0 Mbps\n"));
    s.link_failure_count = u32::MAX;
    s.queue_id = u16::MAX;
    let t = slave_text(&s);
    assert!(t.contains("\nLink Failure Count: 4294967295\n"));
    assert!(t.ends_with("\nSlave queue ID: 65535\n"));
}

#[test]
fn names_are_c_strings() {
    let mut s = eth0_up();
    s.name = b"bond-sl\0junk";
    assert!(slave_text(&s).starts_with("\nSlave Interface: bond-sl\n"));
    s.name = b"e\xfft";
    assert!(slave_text(&s).starts_with("\nSlave Interface: e\u{fffd}t\n"));
    let mut b = bond(Mode::ActiveBackup, &[]);
    b.curr_active = Some(b"eth9\0\0\0\0\0\0\0\0\0\0\0\0");
    assert!(text(&b).contains("\nCurrently Active Slave: eth9\n"));
}

#[test]
fn hardware_addresses() {
    let hw = |a: &[u8]| {
        let mut s = String::new();
        assert!(write_hwaddr(&mut s, a).is_ok());
        s
    };
    assert_eq!(hw(&[]), "");
    assert_eq!(hw(&[0xab]), "ab");
    assert_eq!(hw(MAC0), "52:54:00:12:34:56");
    let ib: Vec<u8> = (0..20).collect();
    assert_eq!(
        hw(&ib),
        "00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13"
    );
    let long = [0xffu8; 70];
    assert_eq!(hw(&long).split(':').count(), 64);
    let mut s = eth0_up();
    s.perm_hwaddr = &[];
    assert!(slave_text(&s).contains("\nPermanent HW addr: \n"));
}

// ------------------------------------------------------- IPv6 formatting

#[test]
fn ipv6_compressed_like_pi6c() {
    assert_eq!(ipv6([0; 16]), "::");
    assert_eq!(ipv6(groups([0, 0, 0, 0, 0, 0, 0, 1])), "::1");
    assert_eq!(ipv6(groups([1, 0, 0, 0, 0, 0, 0, 0])), "1::");
    assert_eq!(ipv6(groups([1, 2, 3, 4, 5, 6, 0, 0])), "1:2:3:4:5:6::");
    // A single zero group is not compressed.
    assert_eq!(ipv6(groups([1, 0, 2, 3, 4, 5, 6, 7])), "1:0:2:3:4:5:6:7");
    // The longest run wins; on a tie, the first.
    assert_eq!(
        ipv6(groups([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1])),
        "2001:db8:0:1::1"
    );
    assert_eq!(ipv6(groups([1, 0, 0, 2, 0, 0, 3, 4])), "1::2:0:0:3:4");
    assert_eq!(
        ipv6(groups([
            0xabcd, 0x0abc, 0x00ab, 0x000a, 0xf000, 0x0f00, 0x00f0, 0x000f
        ])),
        "abcd:abc:ab:a:f000:f00:f0:f"
    );
    // IPv4-mapped and ISATAP addresses end in dotted decimal.
    assert_eq!(
        ipv6(groups([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304])),
        "::ffff:1.2.3.4"
    );
    assert_eq!(
        ipv6(groups([0xfe80, 0, 0, 0, 0, 0x5efe, 0xc0a8, 0x0101])),
        "fe80::5efe:192.168.1.1"
    );
    assert_eq!(
        ipv6(groups([0xfe80, 0, 0, 0, 0x0200, 0x5efe, 0x0a00, 0x0001])),
        "fe80::200:5efe:10.0.0.1"
    );
    assert_eq!(
        ipv6(groups([0x2001, 1, 2, 3, 0x0300, 0x5efe, 0x0a00, 0x0001])),
        "2001:1:2:3:300:5efe:a00:1"
    );
    // IPv4-compatible (not mapped) addresses stay hex.
    assert_eq!(
        ipv6(groups([0, 0, 0, 0, 0, 0, 0x0102, 0x0304])),
        "::102:304"
    );
}

// ------------------------------------------------------ modes and hooks

#[test]
fn mode_predicates_match_c() {
    let modes = [
        Mode::RoundRobin,
        Mode::ActiveBackup,
        Mode::Xor,
        Mode::Broadcast,
        Mode::Lacp,
        Mode::Tlb,
        Mode::Alb,
    ];
    for m in modes {
        let primary = matches!(m, Mode::ActiveBackup | Mode::Tlb | Mode::Alb);
        assert_eq!(uses_primary(m), primary, "{m:?}");
        for dyn_lb in [false, true] {
            let hash = match m {
                Mode::Xor | Mode::Lacp => true,
                Mode::Tlb | Mode::Alb => !dyn_lb,
                _ => false,
            };
            assert_eq!(uses_xmit_hash(m, dyn_lb), hash, "{m:?} {dyn_lb}");
        }
    }
}

#[test]
fn tlb_without_dynamic_lb_shows_hash_and_primary() {
    let mut b = bond(Mode::Tlb, &[]);
    b.tlb_dynamic_lb = false;
    b.xmit_policy = 2;
    b.primary = Some(b"eth0");
    let t = text(&b);
    assert!(t.contains(
        "\nBonding Mode: transmit load balancing\nTransmit Hash Policy: layer2+3 (2)\nPrimary Slave: eth0 (primary_reselect always)\nCurrently Active Slave: None\n"
    ));
    b.tlb_dynamic_lb = true;
    assert!(!text(&b).contains("Transmit Hash Policy"));
}

struct Marks;

impl ModeSections for Marks {
    fn write_master_extra(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str("\n802.3ad info\n")
    }

    fn write_slave_extra(&self, index: usize, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "Aggregator ID: {}", index + 1)
    }
}

#[test]
fn lacp_sections_go_at_record_ends() {
    let b = bond(Mode::Lacp, &[eth0_up(), eth1_down()]);
    let mut t = String::new();
    assert!(write_bond_with(&mut t, &b, &Marks).is_ok());
    assert!(t.starts_with(
        "Ethernet Channel Bonding Driver: v7.2.0-rbond\n\nBonding Mode: IEEE 802.3ad Dynamic link aggregation\nTransmit Hash Policy: layer2 (0)\nMII Status: down\n"
    ));
    assert!(
        t.contains("Peer Notification Delay (ms): 0\n\n802.3ad info\n\nSlave Interface: eth0\n")
    );
    assert!(t.contains("Slave queue ID: 0\nAggregator ID: 1\n\nSlave Interface: eth1\n"));
    assert!(t.ends_with("Slave queue ID: 2\nAggregator ID: 2\n"));
    // Other modes never call the hooks.
    let b = bond(Mode::Xor, &[eth0_up()]);
    let mut t = String::new();
    assert!(write_bond_with(&mut t, &b, &Marks).is_ok());
    assert!(!t.contains("802.3ad") && !t.contains("Aggregator"));
}

/// A writer that fails after `n` bytes: errors must be passed on.
struct Short(usize);

impl Write for Short {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.len() > self.0 {
            return Err(fmt::Error);
        }
        self.0 -= s.len();
        Ok(())
    }
}

#[test]
fn write_errors_propagate() {
    let mut b = bond(Mode::ActiveBackup, &[eth0_up(), eth1_down()]);
    b.arp_interval = 10;
    b.arp_targets = &[[1, 1, 1, 1]];
    let full = text(&b).len();
    for n in [0, 10, 100, full / 2, full - 1] {
        assert_eq!(write_bond(&mut Short(n), &b), Err(fmt::Error), "{n}");
    }
    assert_eq!(write_bond(&mut Short(full), &b), Ok(()));
}

/// A transcription of lib/vsprintf.c's ip6_compressed_string.
#[allow(clippy::needless_range_loop)]
fn c_ip6_compressed(a: &[u8; 16]) -> String {
    let w = |i: usize| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    let v4mapped = a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff;
    let isatap = (a[8] | 2) == 2 && a[9] == 0 && a[10] == 0x5e && a[11] == 0xfe;
    let use_ipv4 = v4mapped || isatap;
    let range = if use_ipv4 { 6 } else { 8 };
    let mut zerolength = [0u8; 8];
    for i in 0..range {
        for j in i..range {
            if w(j) != 0 {
                break;
            }
            zerolength[i] += 1;
        }
    }
    let mut longest = 1;
    let mut colonpos: i32 = -1;
    for i in 0..range {
        if zerolength[i] > longest {
            longest = zerolength[i];
            colonpos = i as i32;
        }
    }
    let mut p = String::new();
    let mut needcolon = false;
    let mut i = 0;
    while i < range {
        if i as i32 == colonpos {
            if needcolon || i == 0 {
                p.push(':');
            }
            p.push(':');
            needcolon = false;
            i += longest as usize;
            continue;
        }
        if needcolon {
            p.push(':');
        }
        let (hi, lo) = (a[2 * i], a[2 * i + 1]);
        if hi != 0 {
            if hi > 0x0f {
                p.push_str(&format!("{hi:02x}"));
            } else {
                p.push_str(&format!("{hi:x}"));
            }
            p.push_str(&format!("{lo:02x}"));
        } else if lo > 0x0f {
            p.push_str(&format!("{lo:02x}"));
        } else {
            p.push_str(&format!("{lo:x}"));
        }
        needcolon = true;
        i += 1;
    }
    if use_ipv4 {
        if needcolon {
            p.push(':');
        }
        p.push_str(&format!("{}.{}.{}.{}", a[12], a[13], a[14], a[15]));
    }
    p
}

fn sparse_addr() -> impl proptest::strategy::Strategy<Value = [u8; 16]> {
    use proptest::prelude::*;
    // Mostly zero groups, and the special ISATAP / v4-mapped prefixes.
    let group = prop_oneof![4 => Just(0u16), 1 => Just(0xffff), 1 => Just(0x5efe), 1 => Just(0x0200), 2 => any::<u16>()];
    proptest::array::uniform8(group).prop_map(groups)
}

proptest::proptest! {
    #[test]
    fn ipv6_matches_c(a in sparse_addr()) {
        proptest::prop_assert_eq!(ipv6(a), c_ip6_compressed(&a));
    }
}

fn lacp_master() -> LacpMasterInfo<'static> {
    LacpMasterInfo {
        name: b"bond0",
        lacp_active: true,
        lacp_fast: false,
        min_links: 1,
        ad_select: 0,
        net_admin: true,
        sys_priority: 65535,
        sys_mac: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56],
        active: Some(AggInfo {
            id: 1,
            ports: 2,
            actor_key: 9,
            partner_key: 17,
            partner_mac: [0x02, 0x00, 0x00, 0x0a, 0xbc, 0xde],
        }),
    }
}

fn lacp_master_text(m: &LacpMasterInfo<'_>) -> String {
    let mut s = String::new();
    assert!(write_lacp_master(&mut s, m).is_ok());
    s
}

fn lacp_slave() -> LacpSlaveInfo {
    LacpSlaveInfo {
        aggregator_id: Some(1),
        actor_churn: 2,
        partner_churn: 0,
        actor_churned_count: 0,
        partner_churned_count: 3,
        net_admin: true,
        actor: PortDetails {
            system_priority: 65535,
            system_mac: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56],
            key: 9,
            port_priority: 255,
            port_number: 1,
            state: 61,
        },
        partner: PortDetails {
            system_priority: 32768,
            system_mac: [0x02, 0x00, 0x00, 0x0a, 0xbc, 0xde],
            key: 17,
            port_priority: 128,
            port_number: 5,
            state: 63,
        },
    }
}

fn lacp_slave_text(s: &LacpSlaveInfo) -> String {
    let mut out = String::new();
    assert!(write_lacp_slave(&mut out, s).is_ok());
    out
}

#[test]
fn lacp_master_with_active_aggregator() {
    assert_eq!(
        lacp_master_text(&lacp_master()),
        "\n802.3ad info\n\
         LACP active: on\n\
         LACP rate: slow\n\
         Min links: 1\n\
         Aggregator selection policy (ad_select): stable\n\
         System priority: 65535\n\
         System MAC address: 52:54:00:12:34:56\n\
         Active Aggregator Info:\n\
         \tAggregator ID: 1\n\
         \tNumber of ports: 2\n\
         \tActor Key: 9\n\
         \tPartner Key: 17\n\
         \tPartner Mac Address: 02:00:00:0a:bc:de\n"
    );
}

#[test]
fn lacp_master_without_net_admin() {
    // C gates the system lines and the aggregator block on CAP_NET_ADMIN.
    let mut m = lacp_master();
    m.net_admin = false;
    m.lacp_active = false;
    m.lacp_fast = true;
    m.min_links = 0;
    m.ad_select = 3;
    let expected = "\n802.3ad info\n\
                    LACP active: off\n\
                    LACP rate: fast\n\
                    Min links: 0\n\
                    Aggregator selection policy (ad_select): actor_port_prio\n";
    assert_eq!(lacp_master_text(&m), expected);
    m.active = None;
    assert_eq!(lacp_master_text(&m), expected);
}

#[test]
fn lacp_master_without_active_aggregator() {
    let mut m = lacp_master();
    m.active = None;
    m.ad_select = 2;
    m.min_links = u32::MAX; // unsigned, printed with %d
    assert_eq!(
        lacp_master_text(&m),
        "\n802.3ad info\n\
         LACP active: on\n\
         LACP rate: slow\n\
         Min links: -1\n\
         Aggregator selection policy (ad_select): count\n\
         System priority: 65535\n\
         System MAC address: 52:54:00:12:34:56\n\
         bond bond0 has no active aggregator\n"
    );
    m.ad_select = 1;
    assert!(lacp_master_text(&m).contains("(ad_select): bandwidth\n"));
}

#[test]
fn lacp_slave_with_net_admin() {
    assert_eq!(
        lacp_slave_text(&lacp_slave()),
        "Aggregator ID: 1\n\
         Actor Churn State: none\n\
         Partner Churn State: monitoring\n\
         Actor Churned Count: 0\n\
         Partner Churned Count: 3\n\
         details actor lacp pdu:\n    \
         system priority: 65535\n    \
         system mac address: 52:54:00:12:34:56\n    \
         port key: 9\n    \
         port priority: 255\n    \
         port number: 1\n    \
         port state: 61\n\
         details partner lacp pdu:\n    \
         system priority: 32768\n    \
         system mac address: 02:00:00:0a:bc:de\n    \
         oper key: 17\n    \
         port priority: 128\n    \
         port number: 5\n    \
         port state: 63\n"
    );
}

#[test]
fn lacp_slave_without_net_admin() {
    let mut s = lacp_slave();
    s.net_admin = false;
    s.actor_churn = 1;
    s.partner_churn = 1;
    s.actor_churned_count = u32::MAX; // unsigned, printed with %d
    assert_eq!(
        lacp_slave_text(&s),
        "Aggregator ID: 1\n\
         Actor Churn State: churned\n\
         Partner Churn State: churned\n\
         Actor Churned Count: -1\n\
         Partner Churned Count: 3\n"
    );
}

#[test]
fn lacp_slave_without_aggregator() {
    let mut s = lacp_slave();
    s.aggregator_id = None;
    assert_eq!(lacp_slave_text(&s), "Aggregator ID: N/A\n");
    s.net_admin = false;
    assert_eq!(lacp_slave_text(&s), "Aggregator ID: N/A\n");
}

#[test]
fn churn_descriptions_match_c() {
    assert_eq!(churn_desc(0), "monitoring");
    assert_eq!(churn_desc(1), "churned");
    assert_eq!(churn_desc(2), "none");
    // C clamps anything past the table to its last entry.
    assert_eq!(churn_desc(3), "unknown");
    assert_eq!(churn_desc(200), "unknown");
    let mut s = lacp_slave();
    s.net_admin = false;
    s.actor_churn = 7;
    s.partner_churn = 255;
    let t = lacp_slave_text(&s);
    assert!(t.contains("Actor Churn State: unknown\nPartner Churn State: unknown\n"));
}

/// Sections built from the LACP writers, as the 802.3ad mode supplies them.
struct Lacp;

impl ModeSections for Lacp {
    fn write_master_extra(&self, out: &mut dyn Write) -> fmt::Result {
        let mut m = lacp_master();
        m.net_admin = false;
        write_lacp_master(out, &m)
    }

    fn write_slave_extra(&self, index: usize, out: &mut dyn Write) -> fmt::Result {
        let mut s = lacp_slave();
        s.net_admin = false;
        s.aggregator_id = (index == 0).then_some(1);
        write_lacp_slave(out, &s)
    }
}

#[test]
fn lacp_whole_file() {
    let mut b = bond(Mode::Lacp, &[eth0_up(), eth1_down()]);
    b.carrier = true;
    let mut t = String::new();
    assert!(write_bond_with(&mut t, &b, &Lacp).is_ok());
    assert_eq!(
        t,
        "Ethernet Channel Bonding Driver: v7.2.0-rbond\n\
         \n\
         Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n\
         Transmit Hash Policy: layer2 (0)\n\
         MII Status: up\n\
         MII Polling Interval (ms): 100\n\
         Up Delay (ms): 0\n\
         Down Delay (ms): 0\n\
         Peer Notification Delay (ms): 0\n\
         \n\
         802.3ad info\n\
         LACP active: on\n\
         LACP rate: slow\n\
         Min links: 1\n\
         Aggregator selection policy (ad_select): stable\n\
         \n\
         Slave Interface: eth0\n\
         MII Status: up\n\
         Speed: 1000 Mbps\n\
         Duplex: full\n\
         Link Failure Count: 0\n\
         Permanent HW addr: 52:54:00:12:34:56\n\
         Slave queue ID: 0\n\
         Aggregator ID: 1\n\
         Actor Churn State: none\n\
         Partner Churn State: monitoring\n\
         Actor Churned Count: 0\n\
         Partner Churned Count: 3\n\
         \n\
         Slave Interface: eth1\n\
         MII Status: down\n\
         Speed: Unknown\n\
         Duplex: Unknown\n\
         Link Failure Count: 3\n\
         Permanent HW addr: 52:54:00:ab:cd:0f\n\
         Slave queue ID: 2\n\
         Aggregator ID: N/A\n"
    );
}

#[test]
fn lacp_write_errors_propagate() {
    let m = lacp_master();
    let s = lacp_slave();
    let (ml, sl) = (lacp_master_text(&m).len(), lacp_slave_text(&s).len());
    for n in [0, 5, ml / 2, ml - 1] {
        assert_eq!(write_lacp_master(&mut Short(n), &m), Err(fmt::Error), "{n}");
    }
    assert_eq!(write_lacp_master(&mut Short(ml), &m), Ok(()));
    for n in [0, 5, sl / 2, sl - 1] {
        assert_eq!(write_lacp_slave(&mut Short(n), &s), Err(fmt::Error), "{n}");
    }
    assert_eq!(write_lacp_slave(&mut Short(sl), &s), Ok(()));
}
