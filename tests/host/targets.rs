// SPDX-License-Identifier: GPL-2.0

//! ARP / NS target tables and their parsing must follow C's in4_pton /
//! in6_pton (delim -1), bond_is_ip(6)_target_ok, bond_get_targets_ip(6) and
//! the arp_ip_target / ns_ip6_target setters of bond_options.c, messages
//! and errnos included.

use proptest::prelude::*;
use rbond_host::options::netlink::{arp_target_value, WARN_LAST_ARP_TARGET};
use rbond_host::options::targets::*;

fn msg(e: &TargetError) -> String {
    let mut s = String::new();
    e.write(&mut s).unwrap();
    s
}

fn v6(s: &str) -> [u8; 16] {
    in6_pton(s.as_bytes()).unwrap_or_else(|| panic!("bad test address {s}"))
}

// ------------------------------------------------------------------ in4_pton

#[test]
fn in4_pton_table() {
    let ok: &[(&str, [u8; 4])] = &[
        ("1.2.3.4", [1, 2, 3, 4]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255; 4]),
        ("010.001.000.099", [10, 1, 0, 99]), // leading zeros are decimal
        ("0000000000001.2.3.4", [1, 2, 3, 4]), // any number of them
        ("1.2.3.4\n", [1, 2, 3, 4]),
        ("1.2.3.4 x", [1, 2, 3, 4]),
        ("1.2.3.4:5", [1, 2, 3, 4]), // a colon ends the address
        ("1.2.3.4g", [1, 2, 3, 4]),  // so does any non-hex character
        ("1.2.3.4\0garbage", [1, 2, 3, 4]),
        ("192.168.100.200", [192, 168, 100, 200]),
    ];
    for (s, a) in ok {
        assert_eq!(in4_pton(s.as_bytes()), Some(*a), "{s:?}");
    }
    let bad = [
        "",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.4.",
        "256.1.1.1",
        "1.2.3.256",
        "1.2.3.1000",
        "1.2.3.a",
        "1.2.3.4a", // a hex letter is not an end
        "a.2.3.4",
        "1.2.3.F",
        ".1.2.3",
        "1..2.3",
        "1.2.3.",
        " 1.2.3.4",
        "1.2.3:4",
        ":1.2.3.4",
        "1 .2.3.4",
        "\n",
        "\x001.2.3.4",
        "1.2.3\0.4",
        "99999999999999999999.1.1.1",
    ];
    for s in bad {
        assert_eq!(in4_pton(s.as_bytes()), None, "{s:?}");
    }
    assert_eq!(
        in4_pton(&[b'1', b'.', b'2', b'.', b'3', b'.', b'4', 0xff]),
        Some([1, 2, 3, 4])
    );
}

// ------------------------------------------------------------------ in6_pton

#[test]
fn in6_pton_table() {
    let mut one = [0u8; 16];
    one[15] = 1;
    let ok: &[(&str, [u8; 16])] = &[
        ("::", [0; 16]),
        ("::1", one),
        (
            "1:2:3:4:5:6:7:8",
            [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8],
        ),
        (
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            [
                0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34,
            ],
        ),
        (
            "FE80::ABCD",
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd],
        ),
        ("1::", [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("1::2", [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]),
        (
            "::ffff:1.2.3.4",
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4],
        ),
        (
            "::1.2.3.4",
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
        ),
        (
            "1:2:3:4:5:6:1.2.3.4",
            [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4],
        ),
        // A "::" may stand for a single zero group, at either end.
        (
            "1:2:3:4:5:6:7::",
            [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0],
        ),
        (
            "::1:2:3:4:5:6:7",
            [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7],
        ),
        (
            "1:2:3:4:5:6::7",
            [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 0, 0, 7],
        ),
        // Leading zeros without limit in a group.
        (
            "000000001::",
            [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ),
        // The address ends at the first other character.
        ("::1\n", one),
        ("::1 x", one),
        ("fe80::1%eth0", v6("fe80::1")),
        ("::1.2.3.4:5", v6("::1.2.3.4")),
        ("::1\0:2", one),
    ];
    for (s, a) in ok {
        assert_eq!(in6_pton(s.as_bytes()), Some(*a), "{s:?}");
    }
    let bad = [
        "",
        ":",
        ":::",
        "1",
        "1:2:3:4:5:6:7",     // too few groups
        "1:2:3:4:5:6:7:8:9", // too many groups
        "1:2:3:4:5:6:7:8::", // :: with no room
        "::1:2:3:4:5:6:7:8", // likewise
        "1::2::3",           // double ::
        "::1::",             // double ::
        "1:::2",
        ":1::",
        "1::2:",
        "12345::",               // five significant digits
        "1:2:3:4:5:1.2.3.4",     // IPv4 at the wrong place
        "1:2:3:4:5:6:7:1.2.3.4", // likewise
        "::1.2.3",
        "::1.2.3.4.5",
        "::256.1.1.1",
        "::a.1.1.1",
        "1.2.3.4",
        " ::1",
        "g::",
    ];
    for s in bad {
        assert_eq!(in6_pton(s.as_bytes()), None, "{s:?}");
    }
}

proptest! {
    #[test]
    fn pton_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..60)) {
        let _ = in4_pton(&bytes);
        let _ = in6_pton(&bytes);
    }

    #[test]
    fn pton_alphabet_never_panics(s in "[0-9a-fA-F:. \n]{0,48}") {
        let _ = in4_pton(s.as_bytes());
        let _ = in6_pton(s.as_bytes());
    }

    #[test]
    fn in4_pton_round_trip(a in any::<[u8; 4]>(), tail in "[ \n\tg:]?") {
        let s = format!("{}.{}.{}.{}{}", a[0], a[1], a[2], a[3], tail);
        prop_assert_eq!(in4_pton(s.as_bytes()), Some(a));
    }

    #[test]
    fn in6_pton_round_trip_full_and_compressed(a in any::<[u8; 16]>(), zeros in 0usize..8, at in 0usize..8) {
        // Full form.
        let mut a = a;
        let words: Vec<u16> = (0..8).map(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]])).collect();
        let full: Vec<String> = words.iter().map(|w| format!("{w:x}")).collect();
        prop_assert_eq!(in6_pton(full.join(":").as_bytes()), Some(a));
        // Zero a run and write it with "::".
        let start = at.min(8 - zeros.max(1));
        let len = zeros.max(1).min(8 - start);
        for b in &mut a[2 * start..2 * (start + len)] {
            *b = 0;
        }
        let words: Vec<String> = (0..8).map(|i| format!("{:x}", u16::from_be_bytes([a[2 * i], a[2 * i + 1]]))).collect();
        let s = format!("{}::{}", words[..start].join(":"), words[start + len..].join(":"));
        prop_assert_eq!(in6_pton(s.as_bytes()), Some(a), "{}", s);
    }
}

// ---------------------------------------------------------------- validity

#[test]
fn target_validity() {
    // bond_is_ip_target_ok: not 255.255.255.255, not 0.0.0.0/8.
    assert!(ip_target_ok([10, 0, 0, 1]));
    assert!(ip_target_ok([1, 0, 0, 0]));
    assert!(ip_target_ok([224, 0, 0, 1])); // multicast is fine
    assert!(ip_target_ok([127, 0, 0, 1])); // loopback too
    assert!(ip_target_ok([255, 255, 255, 254]));
    assert!(!ip_target_ok([0, 0, 0, 0]));
    assert!(!ip_target_ok([0, 1, 2, 3]));
    assert!(!ip_target_ok([255, 255, 255, 255]));
    // bond_is_ip6_target_ok: not ::, not ::1, not multicast.
    assert!(ip6_target_ok(&v6("fe80::1")));
    assert!(ip6_target_ok(&v6("::2")));
    assert!(ip6_target_ok(&v6("::ffff:127.0.0.1")));
    assert!(ip6_target_ok(&v6("fe00::1")));
    assert!(!ip6_target_ok(&v6("::")));
    assert!(!ip6_target_ok(&v6("::1")));
    assert!(!ip6_target_ok(&v6("ff02::1")));
    assert!(!ip6_target_ok(&v6("ff05::1:3")));
}

#[test]
fn solicited_node_address() {
    assert_eq!(
        solicited_node(&v6("2001:db8::1:2345:6789")),
        v6("ff02::1:ff45:6789")
    );
    assert_eq!(solicited_node(&[0; 16]), v6("ff02::1:ff00:0"));
}

// ------------------------------------------------------------- ARP table

fn ip(last: u8) -> [u8; 4] {
    [10, 0, 0, last]
}

#[test]
fn arp_add_checks_in_c_order() {
    let mut t = ArpTargets::new();
    assert!(t.is_empty());
    assert_eq!(t.add(ip(1)), Ok(0));
    assert_eq!(t.add(ip(2)), Ok(1));
    assert_eq!(t.len(), 2);
    assert_eq!(t.get(0), Some(ip(1)));
    assert_eq!(t.get(1), Some(ip(2)));
    assert_eq!(t.get(2), None);
    assert_eq!(t.get(99), None);
    assert_eq!(t.iter().collect::<Vec<_>>(), vec![ip(1), ip(2)]);

    let e = t.add(ip(1)).unwrap_err();
    assert_eq!(e, TargetError::Duplicate(Addr::V4(ip(1))));
    assert_eq!(msg(&e), "ARP target 10.0.0.1 is already present");
    assert_eq!(e.errno(), 22);

    for bad in [[0, 0, 0, 0], [0, 9, 9, 9], [255, 255, 255, 255]] {
        let e = t.add(bad).unwrap_err();
        assert_eq!(e, TargetError::InvalidAdd(Addr::V4(bad)));
        assert_eq!(e.errno(), 22);
    }
    assert_eq!(
        msg(&t.add([0, 0, 0, 0]).unwrap_err()),
        "invalid ARP target 0.0.0.0 specified for addition"
    );
    assert_eq!(
        msg(&t.add([255; 4]).unwrap_err()),
        "invalid ARP target 255.255.255.255 specified for addition"
    );

    for i in 3..=16 {
        assert_eq!(t.add(ip(i)), Ok(i as usize - 1));
    }
    assert_eq!(t.len(), 16);
    // Full: validity and duplicates are checked first.
    let e = t.add(ip(17)).unwrap_err();
    assert_eq!(e, TargetError::Full(Addr::V4(ip(17))));
    assert_eq!(msg(&e), "ARP target table is full!");
    assert_eq!(e.errno(), 22);
    assert!(matches!(t.add(ip(5)), Err(TargetError::Duplicate(_))));
    assert!(matches!(t.add([0; 4]), Err(TargetError::InvalidAdd(_))));
}

#[test]
fn arp_find_is_c_get_targets_ip() {
    let mut t = ArpTargets::new();
    // Looking up 0 gives the first free slot (how C finds where to add).
    assert_eq!(t.find(&[0; 4]), Some(0));
    t.add(ip(1)).unwrap();
    t.add(ip(2)).unwrap();
    assert_eq!(t.find(&ip(2)), Some(1));
    assert_eq!(t.find(&ip(3)), None);
    assert_eq!(t.find(&[0; 4]), Some(2));
    for i in 3..=16 {
        t.add(ip(i)).unwrap();
    }
    assert_eq!(t.find(&[0; 4]), None);
    assert_eq!(t.find(&ip(16)), Some(15));
}

#[test]
fn arp_remove_shifts_like_c() {
    let mut t = ArpTargets::new();
    for i in 1..=5 {
        t.add(ip(i)).unwrap();
    }
    let r = t.remove(ip(2), 100).unwrap();
    assert_eq!(
        r,
        Removed {
            slot: 1,
            last_warning: false,
            remaining: 4
        }
    );
    assert_eq!(
        t.iter().collect::<Vec<_>>(),
        vec![ip(1), ip(3), ip(4), ip(5)]
    );
    // The per-slave rx times move the same way; the last used slot is
    // zeroed, the ones after it (here: NS slots beyond) are left alone.
    let mut rx = [0u64; MAX_TARGETS];
    for (i, v) in rx.iter_mut().enumerate() {
        *v = 100 + i as u64;
    }
    r.shift(&mut rx, 0);
    assert_eq!(&rx[..6], &[100, 102, 103, 104, 0, 105]);
    assert_eq!(rx[15], 115);

    // Removing the last one.
    let r = t.remove(ip(5), 0).unwrap();
    assert_eq!((r.slot, r.remaining), (3, 3));
    assert_eq!(t.iter().collect::<Vec<_>>(), vec![ip(1), ip(3), ip(4)]);
    // Removing the first one.
    assert_eq!(t.remove(ip(1), 0).unwrap().slot, 0);
    assert_eq!(t.iter().collect::<Vec<_>>(), vec![ip(3), ip(4)]);
}

#[test]
fn arp_remove_errors_and_warning() {
    let mut t = ArpTargets::new();
    t.add(ip(1)).unwrap();
    let e = t.remove(ip(9), 100).unwrap_err();
    assert_eq!(e, TargetError::NotFound(Addr::V4(ip(9))));
    assert_eq!(msg(&e), "unable to remove nonexistent ARP target 10.0.0.9");
    assert_eq!(e.errno(), 22);
    let e = t.remove([0; 4], 100).unwrap_err();
    assert_eq!(e, TargetError::InvalidRemove(Addr::V4([0; 4])));
    assert_eq!(msg(&e), "invalid ARP target 0.0.0.0 specified for removal");
    assert_eq!(
        msg(&t.remove([255; 4], 0).unwrap_err()),
        "invalid ARP target 255.255.255.255 specified for removal"
    );
    // The last one with arp_interval on: C warns.
    let mut u = t;
    let r = u.remove(ip(1), 100).unwrap();
    assert!(r.last_warning);
    assert_eq!(r.remaining, 0);
    assert!(u.is_empty());
    assert_eq!(
        WARN_LAST_ARP_TARGET,
        "Removing last arp target with arp_interval on"
    );
    // arp_interval off: no warning.
    let mut u = t;
    assert!(!u.remove(ip(1), 0).unwrap().last_warning);
    // Slot 0 with another target after it: no warning.
    let mut u = t;
    u.add(ip(2)).unwrap();
    assert!(!u.remove(ip(1), 100).unwrap().last_warning);
    // The only one left, but not in slot 0 before: impossible (no holes);
    // removing slot 1 of two never warns.
    let mut u = t;
    u.add(ip(2)).unwrap();
    assert!(!u.remove(ip(2), 100).unwrap().last_warning);
}

#[test]
fn remove_from_full_table() {
    let mut t = ArpTargets::new();
    for i in 1..=16 {
        t.add(ip(i)).unwrap();
    }
    let r = t.remove(ip(16), 1).unwrap();
    assert_eq!((r.slot, r.remaining, r.last_warning), (15, 15, false));
    t.add(ip(16)).unwrap();
    let r = t.remove(ip(1), 1).unwrap();
    assert_eq!((r.slot, r.remaining), (0, 15));
    let mut rx = [0u64; MAX_TARGETS];
    for (i, v) in rx.iter_mut().enumerate() {
        *v = i as u64 + 1;
    }
    r.shift(&mut rx, 0);
    let expect: Vec<u64> = (2..=16).chain([0]).collect();
    assert_eq!(&rx[..], &expect[..]);
    assert_eq!(t.get(15), None);
    assert_eq!(t.get(14), Some(ip(16)));
}

#[test]
fn clear_empties() {
    let mut t = ArpTargets::new();
    t.add(ip(1)).unwrap();
    t.clear();
    assert!(t.is_empty());
    assert_eq!(t, ArpTargets::new());
    assert_eq!(t, ArpTargets::default());
}

// -------------------------------------------------------------- NS table

#[test]
fn ns_add_checks_and_messages() {
    let mut t = NsTargets::new();
    assert_eq!(t.add(v6("fe80::1")), Ok(0));
    assert_eq!(t.add(v6("2001:db8::2")), Ok(1));
    let e = t.add(v6("fe80::1")).unwrap_err();
    assert_eq!(msg(&e), "NS target fe80::1 is already present");
    assert_eq!(e.errno(), 22);
    for (bad, text) in [
        ("::", "invalid NS target :: specified for addition"),
        ("::1", "invalid NS target ::1 specified for addition"),
        (
            "ff02::1",
            "invalid NS target ff02::1 specified for addition",
        ),
    ] {
        let e = t.add(v6(bad)).unwrap_err();
        assert_eq!(e, TargetError::InvalidAdd(Addr::V6(v6(bad))));
        assert_eq!(msg(&e), text);
        assert_eq!(e.errno(), 22);
    }
    for i in 3..=16u16 {
        let mut a = v6("2001:db8::");
        a[14..].copy_from_slice(&i.to_be_bytes());
        assert_eq!(t.add(a), Ok(i as usize - 1));
    }
    let e = t.add(v6("2001:db8::99")).unwrap_err();
    assert_eq!(msg(&e), "NS target table is full!");
    assert_eq!(e.errno(), 22);
    // %pI6c: compressed form, IPv4-mapped in dotted decimal.
    let mut u = NsTargets::new();
    u.add(v6("::ffff:10.0.0.1")).unwrap();
    assert_eq!(
        msg(&u.add(v6("::ffff:10.0.0.1")).unwrap_err()),
        "NS target ::ffff:10.0.0.1 is already present"
    );
    u.add(v6("2001:0db8:0000:0000:0001:0000:0000:0001"))
        .unwrap();
    assert_eq!(
        msg(&u.add(v6("2001:db8::1:0:0:1")).unwrap_err()),
        "NS target 2001:db8::1:0:0:1 is already present"
    );
}

#[test]
fn ns_find_matches_solicited_node_multicast() {
    let mut t = NsTargets::new();
    t.add(v6("2001:db8::aa:bbcc")).unwrap();
    t.add(v6("fe80::1")).unwrap();
    assert_eq!(t.find(&v6("fe80::1")), Some(1));
    // C's bond_get_targets_ip6 also matches the target's solicited-node
    // multicast address (what an NS to it is sent to).
    assert_eq!(t.find(&v6("ff02::1:ffaa:bbcc")), Some(0));
    assert_eq!(t.find(&v6("ff02::1:ff00:1")), Some(1));
    // And the empty slot that ends the scan matches :: and the
    // solicited-node address of :: itself.
    assert_eq!(t.find(&v6("::")), Some(2));
    assert_eq!(t.find(&v6("ff02::1:ff00:0")), Some(2));
    assert_eq!(t.find(&v6("fe80::2")), None);
}

#[test]
fn ns_remove_is_generic() {
    let mut t = NsTargets::new();
    t.add(v6("fe80::1")).unwrap();
    t.add(v6("fe80::2")).unwrap();
    let r = t.remove(v6("fe80::1"), 100).unwrap();
    assert_eq!((r.slot, r.remaining, r.last_warning), (0, 1, false));
    assert_eq!(t.get(0), Some(v6("fe80::2")));
    assert!(matches!(
        t.remove(v6("fe80::9"), 0),
        Err(TargetError::NotFound(Addr::V6(_)))
    ));
    assert!(matches!(
        t.remove(v6("::1"), 0),
        Err(TargetError::InvalidRemove(Addr::V6(_)))
    ));
    assert!(t.remove(v6("fe80::2"), 100).unwrap().last_warning);
    assert!(t.is_empty());
}

// ----------------------------------------------------------- sysfs command

#[test]
fn parse_arp_cmd_like_c() {
    assert_eq!(parse_arp_cmd(b"+10.0.0.1\n"), Ok(TargetCmd::Add(ip(1))));
    assert_eq!(parse_arp_cmd(b"-10.0.0.1\n"), Ok(TargetCmd::Remove(ip(1))));
    assert_eq!(parse_arp_cmd(b"+10.0.0.1"), Ok(TargetCmd::Add(ip(1))));
    assert_eq!(
        parse_arp_cmd(b"+10.0.0.1 trailing"),
        Ok(TargetCmd::Add(ip(1)))
    );
    // The address is checked before the command character.
    for bad in [
        &b""[..],
        b"\n",
        b"+",
        b"-",
        b"x",
        b"+ 10.0.0.1",
        b"+10.0.0",
        b"++10.0.0.1",
        b"\0+10.0.0.1",
    ] {
        let e = parse_arp_cmd(bad).unwrap_err();
        assert_eq!(e, TargetError::BadAddress, "{bad:?}");
        assert_eq!(e.errno(), 1);
        assert_eq!(msg(&e), "invalid ARP target specified");
    }
    for nocmd in [&b"x10.0.0.1"[..], b"10.0.0.1", b" 10.0.0.1", b"*0.0.0.0"] {
        let e = parse_arp_cmd(nocmd).unwrap_err();
        assert_eq!(e, TargetError::NoCommand, "{nocmd:?}");
        assert_eq!(e.errno(), 1);
        assert_eq!(
            msg(&e),
            "no command found in arp_ip_targets file - use +<addr> or -<addr>"
        );
    }
    // ("10.0.0.1" is read as command '1' and address "0.0.0.1": a missing
    // command, not a bad address.)
    // An address that parses but is not a valid target reaches add/remove.
    let mut t = ArpTargets::new();
    let e = parse_arp_cmd(b"+0.0.0.0\n")
        .unwrap()
        .apply(&mut t, 0)
        .unwrap_err();
    assert_eq!(msg(&e), "invalid ARP target 0.0.0.0 specified for addition");
    assert_eq!(
        parse_arp_cmd(b"+10.0.0.1\n").unwrap().apply(&mut t, 0),
        Ok(Applied::Added(0))
    );
    assert_eq!(
        parse_arp_cmd(b"-10.0.0.1\n").unwrap().apply(&mut t, 5),
        Ok(Applied::Removed(Removed {
            slot: 0,
            last_warning: true,
            remaining: 0
        }))
    );
}

#[test]
fn numeric_values() {
    // netlink: the 4 network-order bytes travel as a host integer.
    for a in [[10, 0, 0, 1], [192, 168, 1, 254], [1, 2, 3, 4]] {
        let v = arp_target_value(&a).unwrap();
        assert_eq!(arp_target_from_value(v), a);
    }
    // Only the low 32 bits count.
    let v = arp_target_value(&[10, 0, 0, 1]).unwrap();
    assert_eq!(arp_target_from_value(v | (0xdead << 32)), [10, 0, 0, 1]);
}

#[test]
fn sysfs_show_text() {
    let mut t = ArpTargets::new();
    let mut s = String::new();
    write_arp_targets(&mut s, &t).unwrap();
    assert_eq!(s, "");
    t.add(ip(1)).unwrap();
    s.clear();
    write_arp_targets(&mut s, &t).unwrap();
    assert_eq!(s, "10.0.0.1\n");
    t.add([192, 168, 1, 254]).unwrap();
    s.clear();
    write_arp_targets(&mut s, &t).unwrap();
    assert_eq!(s, "10.0.0.1 192.168.1.254\n");
    for i in 2..=15 {
        t.add(ip(i)).unwrap();
    }
    s.clear();
    write_arp_targets(&mut s, &t).unwrap();
    assert_eq!(s.matches(' ').count(), 15);
    assert!(s.ends_with("10.0.0.15\n"));
}

#[test]
fn display_matches_write() {
    let e = TargetError::Full(Addr::V6([0; 16]));
    assert_eq!(format!("{e}"), msg(&e));
}

// ------------------------------------------------------------ model check

#[derive(Debug, Clone)]
enum Op {
    Add(u8),
    Remove(u8),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    // Small address space so duplicates, misses and a full table happen;
    // 0 gives the invalid 0.0.0.0 (or ::).
    prop_oneof![
        8 => (0u8..24).prop_map(Op::Add),
        4 => (0u8..24).prop_map(Op::Remove),
        1 => Just(Op::Clear),
    ]
}

fn addr4(n: u8) -> [u8; 4] {
    if n == 0 {
        [0; 4]
    } else {
        [10, 0, 0, n]
    }
}

fn addr6(n: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    if n != 0 {
        a[0] = 0x20;
        a[1] = 0x01;
        a[15] = n;
    }
    a
}

/// The Vec model of C's table: add appends, remove deletes and closes the
/// gap.
fn model_apply<A: PartialEq + Copy>(
    m: &mut Vec<A>,
    rx: &mut Vec<u64>,
    op: &Op,
    addr: impl Fn(u8) -> A,
    clock: u64,
) -> Result<usize, &'static str> {
    match *op {
        Op::Add(n) => {
            if n == 0 {
                return Err("invalid");
            }
            let a = addr(n);
            if m.contains(&a) {
                return Err("dup");
            }
            if m.len() == 16 {
                return Err("full");
            }
            m.push(a);
            rx[m.len() - 1] = clock;
            Ok(m.len() - 1)
        }
        Op::Remove(n) => {
            if n == 0 {
                return Err("invalid");
            }
            let a = addr(n);
            let i = m.iter().position(|x| *x == a).ok_or("missing")?;
            let used = m.len();
            m.remove(i);
            rx.remove(i);
            rx.insert(used - 1, 0);
            Ok(i)
        }
        Op::Clear => {
            m.clear();
            rx.iter_mut().for_each(|v| *v = 0);
            Ok(0)
        }
    }
}

fn kind(e: &TargetError) -> &'static str {
    match e {
        TargetError::InvalidAdd(_) | TargetError::InvalidRemove(_) => "invalid",
        TargetError::Duplicate(_) => "dup",
        TargetError::Full(_) => "full",
        TargetError::NotFound(_) => "missing",
        TargetError::BadAddress | TargetError::NoCommand => "cmd",
    }
}

proptest! {
    #[test]
    fn arp_table_matches_vec_model(ops in prop::collection::vec(op(), 0..120)) {
        let mut t = ArpTargets::new();
        let mut m: Vec<[u8; 4]> = Vec::new();
        let mut rx = [0u64; MAX_TARGETS];
        let mut mrx = vec![0u64; MAX_TARGETS];
        for (clock, o) in ops.iter().enumerate() {
            let clock = clock as u64 + 1;
            let before = m.len();
            let expect = model_apply(&mut m, &mut mrx, o, addr4, clock);
            let got = match *o {
                Op::Add(n) => t.add(addr4(n)).inspect(|&slot| rx[slot] = clock),
                Op::Remove(n) => match t.remove(addr4(n), 1) {
                    Ok(r) => {
                        prop_assert_eq!(r.remaining, before - 1);
                        prop_assert_eq!(r.last_warning, r.slot == 0 && before == 1);
                        r.shift(&mut rx, 0);
                        Ok(r.slot)
                    }
                    Err(e) => Err(e),
                },
                Op::Clear => { t.clear(); rx = [0; MAX_TARGETS]; Ok(0) }
            };
            prop_assert_eq!(got.map_err(|e| kind(&e)), expect);
            prop_assert_eq!(t.iter().collect::<Vec<_>>(), m.clone());
            prop_assert_eq!(t.len(), m.len());
            prop_assert_eq!(&rx[..], &mrx[..]);
            for i in 0..MAX_TARGETS {
                prop_assert_eq!(t.get(i), m.get(i).copied());
            }
            prop_assert_eq!(t.find(&[0; 4]), (m.len() < 16).then_some(m.len()));
        }
    }

    #[test]
    fn ns_table_matches_vec_model(ops in prop::collection::vec(op(), 0..120)) {
        let mut t = NsTargets::new();
        let mut m: Vec<[u8; 16]> = Vec::new();
        let mut mrx = vec![0u64; MAX_TARGETS];
        for o in &ops {
            let expect = model_apply(&mut m, &mut mrx, o, addr6, 1);
            let got = match *o {
                Op::Add(n) => t.add(addr6(n)),
                Op::Remove(n) => t.remove(addr6(n), 0).map(|r| r.slot),
                Op::Clear => { t.clear(); Ok(0) }
            };
            prop_assert_eq!(got.map_err(|e| kind(&e)), expect);
            prop_assert_eq!(t.iter().collect::<Vec<_>>(), m.clone());
        }
    }
}
