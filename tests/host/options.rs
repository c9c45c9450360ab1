// SPDX-License-Identifier: GPL-2.0

//! Option parsing must accept and reject exactly what C's bond_opt_parse does.

use proptest::prelude::*;
use rbond_host::options::masters::{self, MastersCmd};
use rbond_host::options::params::{check_max_bonds, check_mode, check_tx_queues, Check};
use rbond_host::options::{parse_mode, parse_value, Mode, MODE_TABLE, XMIT_POLICY_VLAN_SRCMAC};

#[test]
fn mode_names_and_numbers() {
    let all = [
        ("balance-rr", Mode::RoundRobin),
        ("active-backup", Mode::ActiveBackup),
        ("balance-xor", Mode::Xor),
        ("broadcast", Mode::Broadcast),
        ("802.3ad", Mode::Lacp),
        ("balance-tlb", Mode::Tlb),
        ("balance-alb", Mode::Alb),
    ];
    for (i, (name, mode)) in all.iter().enumerate() {
        assert_eq!(parse_mode(name.as_bytes()), Some(*mode));
        assert_eq!(parse_mode(i.to_string().as_bytes()), Some(*mode));
        assert_eq!(mode.name(), *name);
    }
}

#[test]
fn native_xdp_modes_as_c() {
    // C's __bond_xdp_check, for every mode and xmit_hash_policy value.
    for policy in 0..=5u64 {
        let hashed = policy != XMIT_POLICY_VLAN_SRCMAC;
        for (mode, want) in [
            (Mode::RoundRobin, true),
            (Mode::ActiveBackup, true),
            (Mode::Xor, hashed),
            (Mode::Broadcast, false),
            (Mode::Lacp, hashed),
            (Mode::Tlb, false),
            (Mode::Alb, false),
        ] {
            assert_eq!(mode.native_xdp(policy), want, "{mode:?} policy {policy}");
        }
    }
    assert_eq!(XMIT_POLICY_VLAN_SRCMAC, 5);
}

#[test]
fn mode_input_forms_c_accepts() {
    assert_eq!(parse_mode(b"active-backup\n"), Some(Mode::ActiveBackup));
    assert_eq!(
        parse_mode(b"  active-backup  trailing"),
        Some(Mode::ActiveBackup)
    );
    assert_eq!(parse_mode(b" 1 "), Some(Mode::ActiveBackup));
    assert_eq!(parse_mode(b"4 5"), Some(Mode::Lacp));
    assert_eq!(parse_mode(b"default"), Some(Mode::RoundRobin));
    assert_eq!(parse_mode(b"01"), Some(Mode::ActiveBackup));
}

#[test]
fn mode_invalid_inputs() {
    for bad in [
        &b"bogus"[..],
        b"7",
        b"99999999999999999999999",
        b"-1",
        b"1a",
        b"Active-Backup",
        b"",
        b"   ",
        b"\n",
        b"active-backupX",
    ] {
        assert_eq!(parse_mode(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
}

#[test]
fn range_applies_to_numbers_only() {
    let t = &[rbond_host::options::OptValue {
        name: "off",
        value: 0,
        is_default: true,
    }];
    assert_eq!(parse_value(t, Some((1, 100)), b"50"), Some(50));
    assert_eq!(parse_value(t, Some((1, 100)), b"0"), Some(0));
    assert_eq!(parse_value(t, Some((1, 100)), b"101"), None);
    assert_eq!(parse_value(t, Some((1, 100)), b"off"), Some(0));
    assert_eq!(parse_value(t, None, b"50"), None);
}

#[test]
fn module_param_checks() {
    assert_eq!(check_max_bonds(-1), Check::Reset(1));
    assert_eq!(check_max_bonds(0), Check::Ok(0));
    assert_eq!(check_max_bonds(i32::MAX), Check::Ok(i32::MAX));
    assert_eq!(check_tx_queues(0), Check::Reset(16));
    assert_eq!(check_tx_queues(256), Check::Reset(16));
    assert_eq!(check_tx_queues(255), Check::Ok(255));
    assert_eq!(check_mode(None), Ok(Mode::RoundRobin));
    assert_eq!(check_mode(Some(b"bogus")), Err(()));
    assert_eq!(check_mode(Some(b"balance-alb")), Ok(Mode::Alb));
}

#[test]
fn masters_commands() {
    assert_eq!(masters::parse(b"+bond1\n"), Some(MastersCmd::Add(b"bond1")));
    assert_eq!(
        masters::parse(b"  -bond1"),
        Some(MastersCmd::Remove(b"bond1"))
    );
    assert_eq!(
        masters::parse(b"+bond1 +bond2"),
        Some(MastersCmd::Add(b"bond1"))
    );
    // %16s keeps 16 bytes: '+' and a 15-byte name.
    assert_eq!(
        masters::parse(b"+abcdefghijklmnopq"),
        Some(MastersCmd::Add(b"abcdefghijklmno"))
    );
    for bad in [
        &b""[..],
        b"+",
        b"bond1",
        b"*bond1",
        b"+a/b",
        b"+a:b",
        b"+.",
        b"-..",
        b"\n",
    ] {
        assert_eq!(
            masters::parse(bad),
            None,
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn queue_id_writes() {
    let q = masters::parse_queue_id;
    assert_eq!(q(b"eth1:2\n"), Some((&b"eth1"[..], 2)));
    assert_eq!(q(b"eth1:  7"), Some((&b"eth1"[..], 7)));
    // Digits up to the first non-digit, as sscanf.
    assert_eq!(q(b"eth1:0x10"), Some((&b"eth1"[..], 0)));
    assert_eq!(q(b"eth1:5abc"), Some((&b"eth1"[..], 5)));
    // The value is cut to 16 bits; a negative one wraps.
    assert_eq!(q(b"eth1:65537"), Some((&b"eth1"[..], 1)));
    assert_eq!(q(b"eth1:-1"), Some((&b"eth1"[..], 0xffff)));
    // The first colon splits; what follows it must start with a number.
    assert_eq!(q(b"eth1:2:3"), Some((&b"eth1"[..], 2)));
    for bad in [
        &b""[..],
        b"eth1",
        b"eth1:",
        b"eth1:+2",
        b"eth1:-",
        b"eth1:x",
        b":2",
        b" eth1:2",
        b"a/b:2",
        b"..:2",
        b"abcdefghijklmnop:1",
        b"eth1\0:2",
    ] {
        assert_eq!(q(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
}

proptest! {
    #[test]
    fn parse_never_panics_and_matches_table(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Some(v) = parse_value(MODE_TABLE, None, &input) {
            prop_assert!(MODE_TABLE.iter().any(|row| row.value == v));
        }
        let _ = masters::parse(&input);
        if let Some((n, _)) = masters::parse_queue_id(&input) {
            prop_assert!(masters::dev_valid_name(n));
        }
    }

    #[test]
    fn number_and_name_agree(n in 0u64..7, pad in "[ \t]{0,3}") {
        let mode = Mode::from_value(n).unwrap();
        prop_assert_eq!(parse_mode(format!("{pad}{n}{pad}\n").as_bytes()), Some(mode));
        prop_assert_eq!(parse_mode(format!("{pad}{}{pad}", mode.name()).as_bytes()), Some(mode));
    }

    #[test]
    fn masters_names_are_valid(input in proptest::collection::vec(any::<u8>(), 0..40)) {
        if let Some(MastersCmd::Add(n) | MastersCmd::Remove(n)) = masters::parse(&input) {
            prop_assert!(masters::dev_valid_name(n));
            prop_assert!(n.len() < 16);
        }
    }
}
