// SPDX-License-Identifier: GPL-2.0

//! The option table must match C's `bond_opts[]` (bond_options.c, Linux
//! 7.2): names, flags, modes, value tables, ranges, and the errnos and
//! kernel-log lines of `__bond_opt_set` / `bond_opt_error_interpret`.

use proptest::prelude::*;
use rbond_host::options::table::{
    self, by_name, check, check_miimon, format_value, parse, parse_number, spec, validate,
    validate_number, write_delay_rounded, BondState, OptError, OptId, Parsed, ValueStyle, EACCES,
    EBUSY, EINVAL, ENODEV, ENOTEMPTY, EOPNOTSUPP, EPERM, OPTIONS, OPT_COUNT,
};
use rbond_host::options::{Mode, OptValue};

const RR: Mode = Mode::RoundRobin;
const AB: Mode = Mode::ActiveBackup;
const XOR: Mode = Mode::Xor;
const BC: Mode = Mode::Broadcast;
const AD: Mode = Mode::Lacp;
const TLB: Mode = Mode::Tlb;
const ALB: Mode = Mode::Alb;
const MODES: [Mode; 7] = [RR, AB, XOR, BC, AD, TLB, ALB];

fn down(mode: Mode) -> BondState {
    BondState {
        mode,
        up: false,
        has_slaves: false,
    }
}

/// The log text of an error, every line ended by a newline.
fn text(err: &OptError, id: OptId, input: &[u8]) -> String {
    let mut s = String::new();
    err.message(spec(id), input, &mut s).unwrap();
    s
}

/// Sets `input` on `id` in `state`; on failure, the errno and the log text.
fn set(id: OptId, state: BondState, input: &str) -> Result<Parsed<'_>, (i32, String)> {
    validate(id, &state, input.as_bytes()).map_err(|e| (e.errno(), text(&e, id, input.as_bytes())))
}

// ------------------------------------------------------------ the table

/// (id, name, flags, modes it is supported in): flags hold `S` for
/// NOSLAVES, `D` for IFDOWN, `R` for RAWVAL, `-` for no description.
const C_TABLE: &[(OptId, &str, &str, &[Mode])] = &[
    (OptId::Mode, "mode", "SD", &MODES),
    (OptId::PacketsPerSlave, "packets_per_slave", "", &[RR]),
    (OptId::XmitHashPolicy, "xmit_hash_policy", "", &MODES),
    (OptId::ArpValidate, "arp_validate", "", &[RR, AB, XOR, BC]),
    (OptId::ArpAllTargets, "arp_all_targets", "", &MODES),
    (OptId::FailOverMac, "fail_over_mac", "S", &MODES),
    (OptId::ArpInterval, "arp_interval", "", &[RR, AB, XOR, BC]),
    (OptId::ArpIpTarget, "arp_ip_target", "R", &MODES),
    (OptId::DownDelay, "downdelay", "", &MODES),
    (OptId::UpDelay, "updelay", "", &MODES),
    (OptId::LacpRate, "lacp_rate", "D", &[AD]),
    (OptId::MinLinks, "min_links", "", &MODES),
    (OptId::AdSelect, "ad_select", "D", &MODES),
    (OptId::NumPeerNotif, "num_unsol_na", "", &MODES),
    (OptId::Miimon, "miimon", "", &MODES),
    (OptId::Primary, "primary", "R", &[AB, TLB, ALB]),
    (OptId::PrimaryReselect, "primary_reselect", "", &MODES),
    (OptId::UseCarrier, "use_carrier", "", &MODES),
    (OptId::ActiveSlave, "active_slave", "R", &[AB, TLB, ALB]),
    (OptId::QueueId, "queue_id", "R", &MODES),
    (OptId::AllSlavesActive, "all_slaves_active", "", &MODES),
    (OptId::ResendIgmp, "resend_igmp", "", &MODES),
    (OptId::LpInterval, "lp_interval", "", &MODES),
    (OptId::Slaves, "slaves", "R", &MODES),
    (OptId::TlbDynamicLb, "tlb_dynamic_lb", "D", &[TLB, ALB]),
    (OptId::AdActorSysPrio, "ad_actor_sys_prio", "-", &[AD]),
    (OptId::AdActorSystem, "ad_actor_system", "R-", &[AD]),
    (OptId::AdUserPortKey, "ad_user_port_key", "D-", &[AD]),
    (OptId::NumPeerNotifAlias, "num_grat_arp", "", &MODES),
    (OptId::PeerNotifDelay, "peer_notif_delay", "", &MODES),
    (OptId::LacpActive, "lacp_active", "D", &[AD]),
    (OptId::MissedMax, "arp_missed_max", "", &[RR, AB, XOR, BC]),
    (OptId::NsIp6Target, "ns_ip6_target", "R", &MODES),
    (OptId::Prio, "prio", "R", &[AB, TLB, ALB]),
    (OptId::CoupledControl, "coupled_control", "D", &[AD]),
    (OptId::BroadcastNeighbor, "broadcast_neighbor", "", &[AD]),
    (OptId::ActorPortPrio, "actor_port_prio", "R-", &[AD]),
    (OptId::LacpStrict, "lacp_strict", "", &[AD]),
];

#[test]
fn table_matches_c() {
    assert_eq!(OPT_COUNT, 38);
    assert_eq!(C_TABLE.len(), OPT_COUNT);
    for (i, &(id, name, flags, modes)) in C_TABLE.iter().enumerate() {
        let (noslaves, ifdown) = (flags.contains('S'), flags.contains('D'));
        let (raw, has_desc) = (flags.contains('R'), !flags.contains('-'));
        let s = spec(id);
        assert_eq!(id as usize, i, "{name}: C id");
        assert_eq!(OptId::ALL[i], id);
        assert_eq!(OptId::from_c(i as u32), Some(id));
        assert_eq!(OPTIONS[i].id, id);
        assert_eq!(s.id, id);
        assert_eq!(s.name, name);
        assert_eq!(s.no_slaves, noslaves, "{name}: NOSLAVES");
        assert_eq!(s.if_down, ifdown, "{name}: IFDOWN");
        assert_eq!(s.raw, raw, "{name}: RAWVAL");
        assert_eq!(s.desc.is_some(), has_desc, "{name}: desc");
        assert_eq!(
            s.values.is_empty(),
            raw,
            "{name}: raw options have no table"
        );
        for m in MODES {
            assert_eq!(s.supported_in(m), modes.contains(&m), "{name} in {m:?}");
        }
        assert_eq!(by_name(name.as_bytes()), Some(id));
        assert_eq!(id.spec(), s);
    }
    assert_eq!(OptId::from_c(38), None);
    assert_eq!(OptId::from_c(u32::MAX), None);
}

#[test]
fn by_name_is_exact() {
    for bad in [
        &b""[..],
        b"Mode",
        b"mode\n",
        b" mode",
        b"num_peer_notif",
        b"missed_max",
        b"arp_targets",
        b"bonding_masters",
    ] {
        assert_eq!(by_name(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
    assert_eq!(by_name(b"num_unsol_na"), Some(OptId::NumPeerNotif));
    assert_eq!(by_name(b"num_grat_arp"), Some(OptId::NumPeerNotifAlias));
    assert_eq!(by_name(b"arp_missed_max"), Some(OptId::MissedMax));
}

fn rows(t: &[OptValue]) -> Vec<(&str, u64, bool)> {
    t.iter().map(|r| (r.name, r.value, r.is_default)).collect()
}

#[test]
fn value_tables_match_c() {
    let intmax = vec![("off", 0, true), ("maxval", 2_147_483_647, false)];
    let expect: &[(OptId, Vec<(&str, u64, bool)>, Option<u64>, Option<u64>)] = &[
        (
            OptId::Mode,
            vec![
                ("balance-rr", 0, true),
                ("active-backup", 1, false),
                ("balance-xor", 2, false),
                ("broadcast", 3, false),
                ("802.3ad", 4, false),
                ("balance-tlb", 5, false),
                ("balance-alb", 6, false),
            ],
            None,
            None,
        ),
        (
            OptId::PacketsPerSlave,
            vec![("default", 1, true), ("maxval", 65535, false)],
            None,
            Some(65535),
        ),
        (
            OptId::XmitHashPolicy,
            vec![
                ("layer2", 0, true),
                ("layer3+4", 1, false),
                ("layer2+3", 2, false),
                ("encap2+3", 3, false),
                ("encap3+4", 4, false),
                ("vlan+srcmac", 5, false),
            ],
            None,
            None,
        ),
        (
            OptId::ArpValidate,
            vec![
                ("none", 0, true),
                ("active", 1, false),
                ("backup", 2, false),
                ("all", 3, false),
                ("filter", 4, false),
                ("filter_active", 5, false),
                ("filter_backup", 6, false),
            ],
            None,
            None,
        ),
        (
            OptId::ArpAllTargets,
            vec![("any", 0, true), ("all", 1, false)],
            None,
            None,
        ),
        (
            OptId::FailOverMac,
            vec![
                ("none", 0, true),
                ("active", 1, false),
                ("follow", 2, false),
            ],
            None,
            None,
        ),
        (
            OptId::ArpInterval,
            intmax.clone(),
            None,
            Some(2_147_483_647),
        ),
        (OptId::DownDelay, intmax.clone(), None, Some(2_147_483_647)),
        (OptId::UpDelay, intmax.clone(), None, Some(2_147_483_647)),
        (OptId::MinLinks, intmax.clone(), None, Some(2_147_483_647)),
        (OptId::Miimon, intmax.clone(), None, Some(2_147_483_647)),
        (
            OptId::LacpRate,
            vec![("slow", 0, false), ("fast", 1, false)],
            None,
            None,
        ),
        (
            OptId::AdSelect,
            vec![
                ("stable", 0, true),
                ("bandwidth", 1, false),
                ("count", 2, false),
                ("actor_port_prio", 3, false),
            ],
            None,
            None,
        ),
        (
            OptId::NumPeerNotif,
            vec![
                ("off", 0, false),
                ("maxval", 255, false),
                ("default", 1, true),
            ],
            None,
            Some(255),
        ),
        (
            OptId::NumPeerNotifAlias,
            vec![
                ("off", 0, false),
                ("maxval", 255, false),
                ("default", 1, true),
            ],
            None,
            Some(255),
        ),
        (
            OptId::PeerNotifDelay,
            vec![("off", 0, false), ("maxval", 300_000, false)],
            None,
            Some(300_000),
        ),
        (
            OptId::PrimaryReselect,
            vec![
                ("always", 0, true),
                ("better", 1, false),
                ("failure", 2, false),
            ],
            None,
            None,
        ),
        (OptId::UseCarrier, vec![("on", 1, true)], None, None),
        (
            OptId::AllSlavesActive,
            vec![("off", 0, true), ("on", 1, false)],
            None,
            None,
        ),
        (
            OptId::ResendIgmp,
            vec![
                ("off", 0, false),
                ("maxval", 255, false),
                ("default", 1, true),
            ],
            None,
            Some(255),
        ),
        (
            OptId::LpInterval,
            vec![("minval", 1, true), ("maxval", 2_147_483_647, false)],
            Some(1),
            Some(2_147_483_647),
        ),
        (
            OptId::TlbDynamicLb,
            vec![("off", 0, false), ("on", 1, true)],
            None,
            None,
        ),
        (
            OptId::AdActorSysPrio,
            vec![("minval", 1, false), ("maxval", 65535, true)],
            Some(1),
            Some(65535),
        ),
        (
            OptId::AdUserPortKey,
            vec![("minval", 0, true), ("maxval", 1023, false)],
            Some(0),
            Some(1023),
        ),
        (
            OptId::LacpActive,
            vec![("off", 0, false), ("on", 1, true)],
            None,
            None,
        ),
        (
            OptId::MissedMax,
            vec![
                ("minval", 1, false),
                ("maxval", 255, false),
                ("default", 2, true),
            ],
            Some(1),
            Some(255),
        ),
        (
            OptId::CoupledControl,
            vec![("on", 1, true), ("off", 0, false)],
            None,
            None,
        ),
        (
            OptId::BroadcastNeighbor,
            vec![("off", 0, true), ("on", 1, false)],
            None,
            None,
        ),
        (
            OptId::LacpStrict,
            vec![("off", 0, true), ("on", 1, false)],
            None,
            None,
        ),
    ];
    let mut seen = 0;
    for (id, want, min, max) in expect {
        let s = spec(*id);
        assert_eq!(rows(s.values), *want, "{}", s.name);
        assert_eq!((s.min, s.max), (*min, *max), "{}", s.name);
        seen += 1;
    }
    // Every option with a table is listed above.
    assert_eq!(seen, OPTIONS.iter().filter(|o| !o.raw).count());
    // C marks the range with rows it names minval / maxval.
    for s in OPTIONS.iter() {
        let named = |n: &str| s.values.iter().find(|r| r.name == n).map(|r| r.value);
        assert_eq!(s.min, named("minval"), "{}", s.name);
        assert_eq!(s.max, named("maxval"), "{}", s.name);
        assert!(s.values.iter().filter(|r| r.is_default).count() <= 1);
    }
}

// ------------------------------------------------- values, per option

/// One option's cases: a mode it is supported in, C's "allowed values"
/// range text (None when C prints no range line), inputs that parse and
/// inputs that fail.
struct Case {
    id: OptId,
    name: &'static str,
    mode: Mode,
    allowed: Option<&'static str>,
    valid: &'static [(&'static str, u64)],
    invalid: &'static [&'static str],
}

/// Invalid for every table-valued option.
const ALWAYS_INVALID: &[&str] = &[
    "",
    "\n",
    "   ",
    "bogus",
    "-1",
    "1x",
    "0x1",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "DEFAULT",
];

const INTMAX_VALID: &[(&str, u64)] = &[
    ("0", 0),
    ("off", 0),
    ("default", 0),
    ("100", 100),
    (" 100 \n", 100),
    ("2147483647", 2_147_483_647),
    ("maxval", 2_147_483_647),
];

fn cases() -> Vec<Case> {
    let intmax = |id, name, mode| Case {
        id,
        name,
        mode,
        allowed: Some("0 - 2147483647"),
        valid: INTMAX_VALID,
        invalid: &["2147483648", "4294967296", "on", "min"],
    };
    vec![
        Case {
            id: OptId::Mode,
            name: "mode",
            mode: RR,
            allowed: None,
            valid: &[
                ("balance-rr", 0),
                ("active-backup", 1),
                ("balance-xor\n", 2),
                ("broadcast", 3),
                ("802.3ad", 4),
                ("balance-tlb", 5),
                ("balance-alb", 6),
                ("6", 6),
                ("default", 0),
                ("  active-backup  x", 1),
            ],
            invalid: &["7", "Active-Backup", "802.3ad2", "balance"],
        },
        Case {
            id: OptId::PacketsPerSlave,
            name: "packets_per_slave",
            mode: RR,
            allowed: Some("0 - 65535"),
            valid: &[
                ("0", 0),
                ("1", 1),
                ("default", 1),
                ("65535", 65535),
                ("maxval", 65535),
                (" 42\n", 42),
            ],
            invalid: &["65536", "off"],
        },
        Case {
            id: OptId::XmitHashPolicy,
            name: "xmit_hash_policy",
            mode: XOR,
            allowed: None,
            valid: &[
                ("layer2", 0),
                ("layer3+4", 1),
                ("layer2+3", 2),
                ("encap2+3", 3),
                ("encap3+4", 4),
                ("vlan+srcmac", 5),
                ("5", 5),
                ("default", 0),
            ],
            invalid: &["6", "layer2+4", "Layer2"],
        },
        Case {
            id: OptId::ArpValidate,
            name: "arp_validate",
            mode: AB,
            allowed: None,
            valid: &[
                ("none", 0),
                ("active", 1),
                ("backup", 2),
                ("all", 3),
                ("filter", 4),
                ("filter_active", 5),
                ("filter_backup", 6),
                ("default", 0),
            ],
            invalid: &["7", "filter-active"],
        },
        Case {
            id: OptId::ArpAllTargets,
            name: "arp_all_targets",
            mode: AB,
            allowed: None,
            valid: &[("any", 0), ("all", 1), ("1", 1), ("default", 0)],
            invalid: &["2", "none"],
        },
        Case {
            id: OptId::FailOverMac,
            name: "fail_over_mac",
            mode: AB,
            allowed: None,
            valid: &[("none", 0), ("active", 1), ("follow", 2), ("default", 0)],
            invalid: &["3", "on"],
        },
        intmax(OptId::ArpInterval, "arp_interval", AB),
        intmax(OptId::DownDelay, "downdelay", AB),
        intmax(OptId::UpDelay, "updelay", AB),
        Case {
            id: OptId::LacpRate,
            name: "lacp_rate",
            mode: AD,
            allowed: None,
            valid: &[("slow", 0), ("fast", 1), ("1", 1)],
            // No default row in C's table.
            invalid: &["default", "2", "medium"],
        },
        intmax(OptId::MinLinks, "min_links", AD),
        Case {
            id: OptId::AdSelect,
            name: "ad_select",
            mode: AD,
            allowed: None,
            valid: &[
                ("stable", 0),
                ("bandwidth", 1),
                ("count", 2),
                ("actor_port_prio", 3),
                ("default", 0),
            ],
            invalid: &["4", "prio"],
        },
        Case {
            id: OptId::NumPeerNotif,
            name: "num_unsol_na",
            mode: AB,
            allowed: Some("0 - 255"),
            valid: &[
                ("off", 0),
                ("0", 0),
                ("default", 1),
                ("255", 255),
                ("maxval", 255),
            ],
            invalid: &["256", "on"],
        },
        intmax(OptId::Miimon, "miimon", AB),
        Case {
            id: OptId::PrimaryReselect,
            name: "primary_reselect",
            mode: AB,
            allowed: None,
            valid: &[("always", 0), ("better", 1), ("failure", 2), ("default", 0)],
            invalid: &["3", "never"],
        },
        Case {
            id: OptId::UseCarrier,
            name: "use_carrier",
            mode: AB,
            allowed: None,
            valid: &[("on", 1), ("1", 1), ("default", 1)],
            invalid: &["0", "off", "2"],
        },
        Case {
            id: OptId::AllSlavesActive,
            name: "all_slaves_active",
            mode: AB,
            allowed: None,
            valid: &[("off", 0), ("on", 1), ("1", 1), ("default", 0)],
            invalid: &["2", "yes"],
        },
        Case {
            id: OptId::ResendIgmp,
            name: "resend_igmp",
            mode: AB,
            allowed: Some("0 - 255"),
            valid: &[("off", 0), ("default", 1), ("255", 255), ("maxval", 255)],
            invalid: &["256", "on"],
        },
        Case {
            id: OptId::LpInterval,
            name: "lp_interval",
            mode: ALB,
            allowed: Some("1 - 2147483647"),
            valid: &[
                ("1", 1),
                ("minval", 1),
                ("default", 1),
                ("2147483647", 2_147_483_647),
                ("maxval", 2_147_483_647),
            ],
            invalid: &["0", "2147483648", "off"],
        },
        Case {
            id: OptId::TlbDynamicLb,
            name: "tlb_dynamic_lb",
            mode: TLB,
            allowed: None,
            valid: &[("off", 0), ("on", 1), ("0", 0), ("default", 1)],
            invalid: &["2"],
        },
        Case {
            id: OptId::AdActorSysPrio,
            name: "ad_actor_sys_prio",
            mode: AD,
            allowed: Some("1 - 65535"),
            valid: &[
                ("1", 1),
                ("minval", 1),
                ("65535", 65535),
                ("maxval", 65535),
                ("default", 65535),
            ],
            invalid: &["0", "65536", "off"],
        },
        Case {
            id: OptId::AdUserPortKey,
            name: "ad_user_port_key",
            mode: AD,
            allowed: Some("0 - 1023"),
            valid: &[
                ("0", 0),
                ("minval", 0),
                ("default", 0),
                ("1023", 1023),
                ("maxval", 1023),
            ],
            invalid: &["1024", "off"],
        },
        Case {
            id: OptId::NumPeerNotifAlias,
            name: "num_grat_arp",
            mode: AB,
            allowed: Some("0 - 255"),
            valid: &[("off", 0), ("default", 1), ("255", 255), ("7", 7)],
            invalid: &["256"],
        },
        Case {
            id: OptId::PeerNotifDelay,
            name: "peer_notif_delay",
            mode: AB,
            allowed: Some("0 - 300000"),
            valid: &[
                ("off", 0),
                ("0", 0),
                ("300000", 300_000),
                ("maxval", 300_000),
            ],
            // No default row in C's table.
            invalid: &["300001", "default"],
        },
        Case {
            id: OptId::LacpActive,
            name: "lacp_active",
            mode: AD,
            allowed: None,
            valid: &[("off", 0), ("on", 1), ("default", 1)],
            invalid: &["2", "slow"],
        },
        Case {
            id: OptId::MissedMax,
            name: "arp_missed_max",
            mode: AB,
            allowed: Some("1 - 255"),
            valid: &[
                ("1", 1),
                ("minval", 1),
                ("default", 2),
                ("255", 255),
                ("maxval", 255),
            ],
            invalid: &["0", "256", "off"],
        },
        Case {
            id: OptId::CoupledControl,
            name: "coupled_control",
            mode: AD,
            allowed: None,
            valid: &[("on", 1), ("off", 0), ("default", 1)],
            invalid: &["2"],
        },
        Case {
            id: OptId::BroadcastNeighbor,
            name: "broadcast_neighbor",
            mode: AD,
            allowed: None,
            valid: &[("off", 0), ("on", 1), ("default", 0)],
            invalid: &["2"],
        },
        Case {
            id: OptId::LacpStrict,
            name: "lacp_strict",
            mode: AD,
            allowed: None,
            valid: &[("off", 0), ("on", 1), ("default", 0)],
            invalid: &["2"],
        },
    ]
}

/// C's lines for an invalid string value: the value up to its newline, then
/// the range when the table has one.
fn invalid_text(name: &str, input: &str, allowed: Option<&str>) -> String {
    let shown = input.split('\n').next().unwrap_or("");
    let mut s = format!("option {name}: invalid value ({shown})\n");
    if let Some(range) = allowed {
        s += &format!("option {name}: allowed values {range}\n");
    }
    s
}

#[test]
fn every_table_option_valid_and_invalid_values() {
    let cases = cases();
    assert_eq!(cases.len(), OPTIONS.iter().filter(|o| !o.raw).count());
    for c in &cases {
        assert_eq!(spec(c.id).name, c.name);
        for &(input, want) in c.valid {
            assert_eq!(
                set(c.id, down(c.mode), input),
                Ok(Parsed::Value(want)),
                "{} {input:?}",
                c.name
            );
        }
        for &input in c.invalid.iter().chain(ALWAYS_INVALID) {
            assert_eq!(
                set(c.id, down(c.mode), input),
                Err((EINVAL, invalid_text(c.name, input, c.allowed))),
                "{} {input:?}",
                c.name
            );
        }
    }
}

#[test]
fn exact_invalid_messages() {
    assert_eq!(
        set(OptId::Mode, down(RR), "bogus\n"),
        Err((EINVAL, "option mode: invalid value (bogus)\n".into()))
    );
    assert_eq!(
        set(OptId::Miimon, down(RR), "abc def\nghi"),
        Err((
            EINVAL,
            "option miimon: invalid value (abc def)\n\
             option miimon: allowed values 0 - 2147483647\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::LpInterval, down(RR), "0"),
        Err((
            EINVAL,
            "option lp_interval: invalid value (0)\n\
             option lp_interval: allowed values 1 - 2147483647\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::PacketsPerSlave, down(RR), "99999999999999999999"),
        Err((
            EINVAL,
            "option packets_per_slave: invalid value (99999999999999999999)\n\
             option packets_per_slave: allowed values 0 - 65535\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::NumPeerNotifAlias, down(RR), ""),
        Err((
            EINVAL,
            "option num_grat_arp: invalid value ()\n\
             option num_grat_arp: allowed values 0 - 255\n"
                .into()
        ))
    );
    // The value is printed as written, leading blanks and trailing words
    // included, up to the newline.
    assert_eq!(
        set(OptId::XmitHashPolicy, down(RR), "  layer9 x\n"),
        Err((
            EINVAL,
            "option xmit_hash_policy: invalid value (  layer9 x)\n".into()
        ))
    );
}

#[test]
fn nul_ends_the_value() {
    // sysfs copies the write with kstrndup: C sees a string that ends at the
    // first NUL.
    assert_eq!(parse(OptId::Mode, b"1\0garbage"), Ok(Parsed::Value(1)));
    assert_eq!(
        parse(OptId::Mode, b"active-backup\0x"),
        Ok(Parsed::Value(1))
    );
    assert_eq!(parse(OptId::Mode, b"\x001"), Err(OptError::Invalid));
    assert_eq!(
        text(&OptError::Invalid, OptId::Mode, b"bad\0tail"),
        "option mode: invalid value (bad)\n"
    );
    assert_eq!(
        parse(OptId::Primary, b"eth0\0eth1"),
        Ok(Parsed::Raw(b"eth0"))
    );
}

#[test]
fn default_word() {
    let want = [
        (OptId::Mode, Some(0)),
        (OptId::PacketsPerSlave, Some(1)),
        (OptId::XmitHashPolicy, Some(0)),
        (OptId::ArpValidate, Some(0)),
        (OptId::ArpAllTargets, Some(0)),
        (OptId::FailOverMac, Some(0)),
        (OptId::ArpInterval, Some(0)),
        (OptId::DownDelay, Some(0)),
        (OptId::UpDelay, Some(0)),
        (OptId::LacpRate, None),
        (OptId::MinLinks, Some(0)),
        (OptId::AdSelect, Some(0)),
        (OptId::NumPeerNotif, Some(1)),
        (OptId::Miimon, Some(0)),
        (OptId::PrimaryReselect, Some(0)),
        (OptId::UseCarrier, Some(1)),
        (OptId::AllSlavesActive, Some(0)),
        (OptId::ResendIgmp, Some(1)),
        (OptId::LpInterval, Some(1)),
        (OptId::TlbDynamicLb, Some(1)),
        (OptId::AdActorSysPrio, Some(65535)),
        (OptId::AdUserPortKey, Some(0)),
        (OptId::NumPeerNotifAlias, Some(1)),
        (OptId::PeerNotifDelay, None),
        (OptId::LacpActive, Some(1)),
        (OptId::MissedMax, Some(2)),
        (OptId::CoupledControl, Some(1)),
        (OptId::BroadcastNeighbor, Some(0)),
        (OptId::LacpStrict, Some(0)),
    ];
    for (id, v) in want {
        let got = match parse(id, b"default\n") {
            Ok(Parsed::Value(v)) => Some(v),
            Ok(Parsed::Raw(_)) => panic!("raw"),
            Err(e) => {
                assert_eq!(e, OptError::Invalid);
                None
            }
        };
        assert_eq!(got, v, "{}", spec(id).name);
    }
}

// -------------------------------------------------------- raw options

#[test]
fn raw_options_pass_the_string_through() {
    let raws = [
        (OptId::ArpIpTarget, AB, "+10.0.0.1\n"),
        (OptId::NsIp6Target, AB, "fe80::1"),
        (OptId::Primary, AB, "eth0\n"),
        (OptId::ActiveSlave, TLB, "eth1"),
        (OptId::QueueId, RR, "eth0:2"),
        (OptId::Slaves, RR, "+eth0"),
        (OptId::AdActorSystem, AD, "00:11:22:33:44:55"),
        (OptId::Prio, ALB, "anything"),
        (OptId::ActorPortPrio, AD, "  "),
    ];
    assert_eq!(raws.len(), OPTIONS.iter().filter(|o| o.raw).count());
    for (id, mode, input) in raws {
        assert_eq!(
            set(id, down(mode), input),
            Ok(Parsed::Raw(input.as_bytes())),
            "{}",
            spec(id).name
        );
        assert_eq!(set(id, down(mode), ""), Ok(Parsed::Raw(b"")));
        assert_eq!(parse_number(id, u64::MAX), Ok(u64::MAX));
    }
}

#[test]
fn raw_option_setter_errors() {
    // A setter's -EINVAL prints the value; raw options have no range line.
    assert_eq!(
        text(&OptError::Invalid, OptId::ActiveSlave, b"eth0\n"),
        "option active_slave: invalid value (eth0)\n"
    );
    assert_eq!(
        text(
            &OptError::Invalid,
            OptId::AdActorSystem,
            b"01:00:5e:00:00:01"
        ),
        "option ad_actor_system: invalid value (01:00:5e:00:00:01)\n"
    );
    // -ENODEV: the interface named by the value does not exist.
    let e = OptError::NoDevice;
    assert_eq!(e.errno(), ENODEV);
    assert_eq!(e.extack(), Some("interface does not exist"));
    assert_eq!(
        text(&e, OptId::ActiveSlave, b"eth9\n"),
        "option active_slave: interface eth9 does not exist!\n"
    );
    // Other errnos: the setter logged its own message, nothing more.
    for errno in [EPERM, EOPNOTSUPP] {
        let e = OptError::Other(errno);
        assert_eq!(e.errno(), errno);
        assert_eq!(e.extack(), None);
        assert_eq!(text(&e, OptId::Slaves, b"eth0"), "");
        assert_eq!(e.lines(spec(OptId::Slaves), b"eth0").count(), 0);
    }
}

// ------------------------------------------------------- dependencies

#[test]
fn mode_needs_the_bond_down_and_empty() {
    let up = BondState {
        mode: RR,
        up: true,
        has_slaves: false,
    };
    assert_eq!(
        set(OptId::Mode, up, "active-backup"),
        Err((
            EBUSY,
            "option mode: unable to set because the bond device is up\n".into()
        ))
    );
    let slaves = BondState {
        mode: RR,
        up: false,
        has_slaves: true,
    };
    assert_eq!(
        set(OptId::Mode, slaves, "1"),
        Err((
            ENOTEMPTY,
            "option mode: unable to set because the bond device has slaves\n".into()
        ))
    );
    // Slaves are checked before up, and both before the value.
    let both = BondState {
        mode: RR,
        up: true,
        has_slaves: true,
    };
    assert_eq!(
        set(OptId::Mode, both, "bogus").map_err(|e| e.0),
        Err(ENOTEMPTY)
    );
    assert_eq!(set(OptId::Mode, up, "bogus").map_err(|e| e.0), Err(EBUSY));
    assert_eq!(
        set(OptId::FailOverMac, slaves, "active"),
        Err((
            ENOTEMPTY,
            "option fail_over_mac: unable to set because the bond device has slaves\n".into()
        ))
    );
    // fail_over_mac does not need the bond down.
    assert_eq!(set(OptId::FailOverMac, up, "active"), Ok(Parsed::Value(1)));
}

#[test]
fn mode_dependencies() {
    assert_eq!(
        set(OptId::ArpInterval, down(AD), "100"),
        Err((
            EACCES,
            "option arp_interval: mode dependency failed, not supported in mode 802.3ad(4)\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::Primary, down(RR), "eth0"),
        Err((
            EACCES,
            "option primary: mode dependency failed, not supported in mode balance-rr(0)\n".into()
        ))
    );
    assert_eq!(
        set(OptId::LacpRate, down(AB), "fast"),
        Err((
            EACCES,
            "option lacp_rate: mode dependency failed, not supported in mode active-backup(1)\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::TlbDynamicLb, down(XOR), "1"),
        Err((
            EACCES,
            "option tlb_dynamic_lb: mode dependency failed, not supported in mode balance-xor(2)\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::PacketsPerSlave, down(BC), "1"),
        Err((
            EACCES,
            "option packets_per_slave: mode dependency failed, not supported in mode broadcast(3)\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::MissedMax, down(TLB), "3"),
        Err((
            EACCES,
            "option arp_missed_max: mode dependency failed, not supported in mode balance-tlb(5)\n"
                .into()
        ))
    );
    assert_eq!(
        set(OptId::ArpValidate, down(ALB), "all"),
        Err((
            EACCES,
            "option arp_validate: mode dependency failed, not supported in mode balance-alb(6)\n"
                .into()
        ))
    );
    // The mode is checked first: before up, slaves and the value.
    let all = BondState {
        mode: AB,
        up: true,
        has_slaves: true,
    };
    assert_eq!(
        set(OptId::LacpRate, all, "bogus").map_err(|e| e.0),
        Err(EACCES)
    );
    // IFDOWN options other than mode.
    let up_ad = BondState {
        mode: AD,
        up: true,
        has_slaves: false,
    };
    for (id, name) in [
        (OptId::LacpRate, "lacp_rate"),
        (OptId::AdSelect, "ad_select"),
        (OptId::AdUserPortKey, "ad_user_port_key"),
        (OptId::LacpActive, "lacp_active"),
        (OptId::CoupledControl, "coupled_control"),
    ] {
        assert_eq!(
            set(id, up_ad, "1"),
            Err((
                EBUSY,
                format!("option {name}: unable to set because the bond device is up\n")
            ))
        );
    }
}

#[test]
fn check_follows_the_flags_for_every_state() {
    for &(id, name, flags, modes) in C_TABLE {
        let (noslaves, ifdown) = (flags.contains('S'), flags.contains('D'));
        for mode in MODES {
            for up in [false, true] {
                for has_slaves in [false, true] {
                    let state = BondState {
                        mode,
                        up,
                        has_slaves,
                    };
                    let want = if !modes.contains(&mode) {
                        Err(OptError::ModeUnsupported(mode))
                    } else if noslaves && has_slaves {
                        Err(OptError::HasSlaves)
                    } else if ifdown && up {
                        Err(OptError::Up)
                    } else {
                        Ok(())
                    };
                    assert_eq!(check(id, &state), want, "{name} {state:?}");
                }
            }
        }
    }
}

#[test]
fn errnos_and_extacks() {
    let all = [
        (OptError::Invalid, EINVAL, Some("invalid option value")),
        (
            OptError::InvalidNumber(9),
            EINVAL,
            Some("invalid option value"),
        ),
        (
            OptError::ModeUnsupported(AD),
            EACCES,
            Some("option not supported in mode"),
        ),
        (
            OptError::HasSlaves,
            ENOTEMPTY,
            Some("unable to set option because the bond device has slaves"),
        ),
        (
            OptError::Up,
            EBUSY,
            Some("unable to set option because the bond is up"),
        ),
        (OptError::NoDevice, ENODEV, Some("interface does not exist")),
        (OptError::MiimonDisabled, EPERM, None),
    ];
    for (e, errno, extack) in all {
        assert_eq!(e.errno(), errno, "{e:?}");
        assert_eq!(e.extack(), extack, "{e:?}");
    }
    assert_eq!((EPERM, EACCES, EBUSY, ENODEV), (1, 13, 16, 19));
    assert_eq!((EINVAL, ENOTEMPTY, table::ENOENT), (22, 39, 2));
}

// ------------------------------------------------------- numbers (netlink)

#[test]
fn numbers_from_netlink() {
    assert_eq!(validate_number(OptId::Mode, &down(RR), 4), Ok(4));
    assert_eq!(
        parse_number(OptId::Mode, 7),
        Err(OptError::InvalidNumber(7))
    );
    assert_eq!(
        text(&OptError::InvalidNumber(7), OptId::Mode, b"ignored"),
        "option mode: invalid value (7)\n"
    );
    assert_eq!(
        parse_number(OptId::Miimon, 2_147_483_648),
        Err(OptError::InvalidNumber(2_147_483_648))
    );
    assert_eq!(
        text(&OptError::InvalidNumber(2_147_483_648), OptId::Miimon, b""),
        "option miimon: invalid value (2147483648)\n\
         option miimon: allowed values 0 - 2147483647\n"
    );
    assert_eq!(
        parse_number(OptId::MissedMax, 0),
        Err(OptError::InvalidNumber(0))
    );
    assert_eq!(
        parse_number(OptId::UseCarrier, 0),
        Err(OptError::InvalidNumber(0))
    );
    assert_eq!(parse_number(OptId::UseCarrier, 1), Ok(1));
    assert_eq!(
        validate_number(OptId::LacpRate, &down(RR), 1),
        Err(OptError::ModeUnsupported(RR))
    );
}

// ----------------------------------------------------------- delays

#[test]
fn delays_need_miimon() {
    for (id, name) in [
        (OptId::UpDelay, "up delay"),
        (OptId::DownDelay, "down delay"),
        (OptId::PeerNotifDelay, "peer notification delay"),
    ] {
        assert_eq!(table::delay_name(id), Some(name));
        let e = check_miimon(id, 0).unwrap_err();
        assert_eq!(e.errno(), EPERM);
        assert_eq!(
            text(&e, id, b"200"),
            format!("Unable to set {name} as MII monitoring is disabled\n")
        );
        assert_eq!(check_miimon(id, 100), Ok(()));
        let mut w = String::new();
        write_delay_rounded(id, 250, 100, &mut w).unwrap();
        assert_eq!(
            w,
            format!("{name} (250) is not a multiple of miimon (100), value rounded to 200 ms")
        );
        let mut w = String::new();
        write_delay_rounded(id, 300, 100, &mut w).unwrap();
        assert_eq!(w, "");
    }
    assert_eq!(check_miimon(OptId::Miimon, 0), Ok(()));
    assert_eq!(table::delay_name(OptId::Miimon), None);
}

// ------------------------------------------------------- formatting

fn fmt(id: OptId, v: u64) -> String {
    let mut s = String::new();
    format_value(id, v, &mut s).unwrap();
    s
}

#[test]
fn sysfs_formats() {
    assert_eq!(fmt(OptId::Mode, 1), "active-backup 1");
    assert_eq!(fmt(OptId::Mode, 4), "802.3ad 4");
    assert_eq!(fmt(OptId::XmitHashPolicy, 0), "layer2 0");
    assert_eq!(fmt(OptId::XmitHashPolicy, 5), "vlan+srcmac 5");
    assert_eq!(fmt(OptId::ArpValidate, 6), "filter_backup 6");
    assert_eq!(fmt(OptId::ArpAllTargets, 0), "any 0");
    assert_eq!(fmt(OptId::FailOverMac, 2), "follow 2");
    assert_eq!(fmt(OptId::LacpActive, 1), "on 1");
    assert_eq!(fmt(OptId::LacpRate, 0), "slow 0");
    assert_eq!(fmt(OptId::AdSelect, 3), "actor_port_prio 3");
    assert_eq!(fmt(OptId::PrimaryReselect, 1), "better 1");
    for (id, v, want) in [
        (OptId::Miimon, 100, "100"),
        (OptId::ArpInterval, 0, "0"),
        (OptId::DownDelay, 200, "200"),
        (OptId::UpDelay, 0, "0"),
        (OptId::PeerNotifDelay, 300, "300"),
        (OptId::MinLinks, 2, "2"),
        (OptId::MissedMax, 2, "2"),
        (OptId::NumPeerNotif, 1, "1"),
        (OptId::NumPeerNotifAlias, 1, "1"),
        (OptId::UseCarrier, 1, "1"),
        (OptId::AllSlavesActive, 0, "0"),
        (OptId::ResendIgmp, 1, "1"),
        (OptId::LpInterval, 1, "1"),
        (OptId::TlbDynamicLb, 1, "1"),
        (OptId::PacketsPerSlave, 1, "1"),
        (OptId::AdActorSysPrio, 65535, "65535"),
        (OptId::AdUserPortKey, 0, "0"),
        (OptId::CoupledControl, 1, "1"),
        (OptId::BroadcastNeighbor, 0, "0"),
        (OptId::LacpStrict, 0, "0"),
        (OptId::ActorPortPrio, 255, "255"),
        (OptId::Prio, u64::MAX, "-1"),
        (OptId::Prio, 10, "10"),
    ] {
        assert_eq!(fmt(id, v), want, "{}", spec(id).name);
    }
    for id in [
        OptId::ArpIpTarget,
        OptId::NsIp6Target,
        OptId::Primary,
        OptId::ActiveSlave,
        OptId::QueueId,
        OptId::Slaves,
        OptId::AdActorSystem,
    ] {
        assert_eq!(spec(id).style, ValueStyle::Text);
        assert_eq!(fmt(id, 1), "");
    }
    // No row: the number alone.
    assert_eq!(fmt(OptId::Mode, 9), "9");
}

// --------------------------------------------------------- properties

fn any_opt() -> impl Strategy<Value = OptId> {
    (0..OPT_COUNT).prop_map(|i| OptId::ALL[i])
}

fn any_state() -> impl Strategy<Value = BondState> {
    (0u64..7, any::<bool>(), any::<bool>()).prop_map(|(m, up, has_slaves)| BondState {
        mode: Mode::from_value(m).unwrap(),
        up,
        has_slaves,
    })
}

/// Bytes that are likely to reach every branch of the parser.
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..48),
        "[0-9 \t\n]{0,24}".prop_map(String::into_bytes),
        "[ ]{0,2}[a-z0-9+._-]{0,16}[ \n]{0,2}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #[test]
    fn parse_never_panics_and_stays_in_the_table(id in any_opt(), input in input()) {
        let s = spec(id);
        match parse(id, &input) {
            Ok(Parsed::Value(v)) => {
                prop_assert!(!s.raw);
                let in_range = s.range().is_some_and(|(lo, hi)| lo <= v && v <= hi);
                prop_assert!(s.row(v).is_some() || in_range, "{} {}", s.name, v);
            }
            Ok(Parsed::Raw(r)) => {
                prop_assert!(s.raw);
                let end = input.iter().position(|&b| b == 0).unwrap_or(input.len());
                prop_assert_eq!(r, &input[..end]);
            }
            Err(e) => {
                prop_assert!(!s.raw);
                prop_assert_eq!(e, OptError::Invalid);
                let msg = text(&e, id, &input);
                let head = format!("option {}: invalid value (", s.name);
                prop_assert!(msg.starts_with(&head), "{}", msg);
                prop_assert_eq!(msg.lines().count(), 1 + usize::from(s.max.is_some()));
            }
        }
    }

    #[test]
    fn validate_is_check_then_parse(id in any_opt(), state in any_state(), input in input()) {
        let got = validate(id, &state, &input);
        match check(id, &state) {
            Err(e) => prop_assert_eq!(got, Err(e)),
            Ok(()) => prop_assert_eq!(got, parse(id, &input)),
        }
        if let Err(e) = got {
            // Every error has a message, a positive errno and an extack.
            prop_assert!(e.errno() > 0);
            prop_assert!(e.extack().is_some());
            prop_assert!(!text(&e, id, &input).is_empty());
        }
    }

    #[test]
    fn decimal_strings_and_numbers_agree(id in any_opt(), n in prop_oneof![0u64..70_000, any::<u64>()], pad in "[ \t]{0,2}") {
        prop_assume!(!spec(id).raw);
        let written = format!("{pad}{n}{pad}\n");
        let from_str = parse(id, written.as_bytes()).ok();
        let from_num = parse_number(id, n).ok().map(Parsed::Value);
        prop_assert_eq!(from_str, from_num);
    }

    #[test]
    fn format_then_parse_round_trips(id in any_opt(), pick in any::<usize>(), n in any::<u64>()) {
        let s = spec(id);
        prop_assume!(!s.raw);
        // A table row.
        let row = s.values[pick % s.values.len()];
        let shown = format!("{}\n", fmt(id, row.value));
        prop_assert_eq!(parse(id, shown.as_bytes()), Ok(Parsed::Value(row.value)));
        // Its name.
        prop_assert_eq!(parse(id, row.name.as_bytes()), Ok(Parsed::Value(row.value)));
        // A number inside the range.
        if let Some((lo, hi)) = s.range() {
            let v = lo + n % (hi - lo + 1);
            let shown = fmt(id, v);
            prop_assert_eq!(shown.clone(), v.to_string());
            prop_assert_eq!(parse(id, shown.as_bytes()), Ok(Parsed::Value(v)));
        }
    }
}
