// SPDX-License-Identifier: GPL-2.0

//! The netlink and sysfs tables must match Linux 7.2: the uapi numbering of
//! `include/uapi/linux/if_link.h`, `bond_netlink.c` (policy, changelink
//! order, fill_info order and conditions, get_size), `bond_sysfs.c` and
//! `bond_sysfs_slave.c` (file names, order, modes, formats).

use rbond_host::options::netlink::*;
use rbond_host::options::table::{
    by_name, format_value, spec, OptError, OptId, ValueStyle, EINVAL, ENODEV,
};
use rbond_host::options::Mode;

extern crate std;
use std::string::String;
use std::vec::Vec;

#[test]
fn bond_numbering_matches_uapi() {
    let expected: [(u16, u16); 36] = [
        (IFLA_BOND_UNSPEC, 0),
        (IFLA_BOND_MODE, 1),
        (IFLA_BOND_ACTIVE_SLAVE, 2),
        (IFLA_BOND_MIIMON, 3),
        (IFLA_BOND_UPDELAY, 4),
        (IFLA_BOND_DOWNDELAY, 5),
        (IFLA_BOND_USE_CARRIER, 6),
        (IFLA_BOND_ARP_INTERVAL, 7),
        (IFLA_BOND_ARP_IP_TARGET, 8),
        (IFLA_BOND_ARP_VALIDATE, 9),
        (IFLA_BOND_ARP_ALL_TARGETS, 10),
        (IFLA_BOND_PRIMARY, 11),
        (IFLA_BOND_PRIMARY_RESELECT, 12),
        (IFLA_BOND_FAIL_OVER_MAC, 13),
        (IFLA_BOND_XMIT_HASH_POLICY, 14),
        (IFLA_BOND_RESEND_IGMP, 15),
        (IFLA_BOND_NUM_PEER_NOTIF, 16),
        (IFLA_BOND_ALL_SLAVES_ACTIVE, 17),
        (IFLA_BOND_MIN_LINKS, 18),
        (IFLA_BOND_LP_INTERVAL, 19),
        (IFLA_BOND_PACKETS_PER_SLAVE, 20),
        (IFLA_BOND_AD_LACP_RATE, 21),
        (IFLA_BOND_AD_SELECT, 22),
        (IFLA_BOND_AD_INFO, 23),
        (IFLA_BOND_AD_ACTOR_SYS_PRIO, 24),
        (IFLA_BOND_AD_USER_PORT_KEY, 25),
        (IFLA_BOND_AD_ACTOR_SYSTEM, 26),
        (IFLA_BOND_TLB_DYNAMIC_LB, 27),
        (IFLA_BOND_PEER_NOTIF_DELAY, 28),
        (IFLA_BOND_AD_LACP_ACTIVE, 29),
        (IFLA_BOND_MISSED_MAX, 30),
        (IFLA_BOND_NS_IP6_TARGET, 31),
        (IFLA_BOND_COUPLED_CONTROL, 32),
        (IFLA_BOND_BROADCAST_NEIGH, 33),
        (IFLA_BOND_LACP_STRICT, 34),
        (IFLA_BOND_MAX, 34),
    ];
    for (got, want) in expected {
        assert_eq!(got, want);
    }
    assert_eq!(BOND_ATTR_COUNT, 34);
}

#[test]
fn ad_info_and_slave_numbering_match_uapi() {
    assert_eq!(IFLA_BOND_AD_INFO_UNSPEC, 0);
    assert_eq!(IFLA_BOND_AD_INFO_AGGREGATOR, 1);
    assert_eq!(IFLA_BOND_AD_INFO_NUM_PORTS, 2);
    assert_eq!(IFLA_BOND_AD_INFO_ACTOR_KEY, 3);
    assert_eq!(IFLA_BOND_AD_INFO_PARTNER_KEY, 4);
    assert_eq!(IFLA_BOND_AD_INFO_PARTNER_MAC, 5);
    assert_eq!(IFLA_BOND_AD_INFO_MAX, 5);

    assert_eq!(IFLA_BOND_SLAVE_UNSPEC, 0);
    assert_eq!(IFLA_BOND_SLAVE_STATE, 1);
    assert_eq!(IFLA_BOND_SLAVE_MII_STATUS, 2);
    assert_eq!(IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 3);
    assert_eq!(IFLA_BOND_SLAVE_PERM_HWADDR, 4);
    assert_eq!(IFLA_BOND_SLAVE_QUEUE_ID, 5);
    assert_eq!(IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, 6);
    assert_eq!(IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, 7);
    assert_eq!(IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, 8);
    assert_eq!(IFLA_BOND_SLAVE_PRIO, 9);
    assert_eq!(IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, 10);
    assert_eq!(IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE, 11);
    assert_eq!(IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE, 12);
    assert_eq!(IFLA_BOND_SLAVE_MAX, 12);
    assert_eq!(SLAVE_ATTR_COUNT, 12);
}

#[test]
fn tables_are_indexed_by_number_and_names_match() {
    for (i, a) in BOND_ATTRS.iter().enumerate() {
        assert_eq!(usize::from(a.attr), i + 1);
        assert!(a.name.starts_with("IFLA_BOND_"));
        assert_eq!(bond_attr(a.attr), Some(a));
    }
    for (i, a) in SLAVE_ATTRS.iter().enumerate() {
        assert_eq!(usize::from(a.attr), i + 1);
        assert!(a.name.starts_with("IFLA_BOND_SLAVE_"));
        assert_eq!(slave_attr(a.attr), Some(a));
    }
    assert_eq!(bond_attr(0), None);
    assert_eq!(bond_attr(35), None);
    assert_eq!(slave_attr(0), None);
    assert_eq!(slave_attr(13), None);
    assert_eq!(
        bond_attr(IFLA_BOND_MODE).map(|a| a.name),
        Some("IFLA_BOND_MODE")
    );
    assert_eq!(
        bond_attr(IFLA_BOND_LACP_STRICT).map(|a| a.name),
        Some("IFLA_BOND_LACP_STRICT")
    );
}

#[test]
fn policy_matches_bond_policy() {
    use Policy::*;
    let expected: [(u16, Policy); 34] = [
        (IFLA_BOND_MODE, U8),
        (IFLA_BOND_ACTIVE_SLAVE, U32),
        (IFLA_BOND_MIIMON, U32),
        (IFLA_BOND_UPDELAY, U32),
        (IFLA_BOND_DOWNDELAY, U32),
        (IFLA_BOND_USE_CARRIER, U8),
        (IFLA_BOND_ARP_INTERVAL, U32),
        (IFLA_BOND_ARP_IP_TARGET, Nested),
        (IFLA_BOND_ARP_VALIDATE, U32),
        (IFLA_BOND_ARP_ALL_TARGETS, U32),
        (IFLA_BOND_PRIMARY, U32),
        (IFLA_BOND_PRIMARY_RESELECT, U8),
        (IFLA_BOND_FAIL_OVER_MAC, U8),
        (IFLA_BOND_XMIT_HASH_POLICY, U8),
        (IFLA_BOND_RESEND_IGMP, U32),
        (IFLA_BOND_NUM_PEER_NOTIF, U8),
        (IFLA_BOND_ALL_SLAVES_ACTIVE, U8),
        (IFLA_BOND_MIN_LINKS, U32),
        (IFLA_BOND_LP_INTERVAL, U32),
        (IFLA_BOND_PACKETS_PER_SLAVE, U32),
        (IFLA_BOND_AD_LACP_RATE, U8),
        (IFLA_BOND_AD_SELECT, U8),
        (IFLA_BOND_AD_INFO, Nested),
        (IFLA_BOND_AD_ACTOR_SYS_PRIO, U16),
        (IFLA_BOND_AD_USER_PORT_KEY, U16),
        (IFLA_BOND_AD_ACTOR_SYSTEM, Binary { max_len: 6 }),
        (IFLA_BOND_TLB_DYNAMIC_LB, U8),
        (IFLA_BOND_PEER_NOTIF_DELAY, U32),
        (IFLA_BOND_AD_LACP_ACTIVE, U8),
        (IFLA_BOND_MISSED_MAX, U8),
        (IFLA_BOND_NS_IP6_TARGET, Nested),
        (IFLA_BOND_COUPLED_CONTROL, U8),
        (IFLA_BOND_BROADCAST_NEIGH, U8),
        (IFLA_BOND_LACP_STRICT, U8),
    ];
    for (a, p) in expected {
        assert_eq!(bond_attr(a).map(|x| x.policy()), Some(p), "attr {a}");
    }
    for a in BOND_ATTRS.iter() {
        let want = if a.attr == IFLA_BOND_PEER_NOTIF_DELAY {
            Some(300_000)
        } else {
            None
        };
        assert_eq!(a.policy_max, want, "{}", a.name);
    }
    // Slave policy: only the three settable attributes.
    for a in SLAVE_ATTRS.iter() {
        let want = match a.attr {
            IFLA_BOND_SLAVE_QUEUE_ID | IFLA_BOND_SLAVE_ACTOR_PORT_PRIO => Some(U16),
            IFLA_BOND_SLAVE_PRIO => Some(S32),
            _ => None,
        };
        assert_eq!(a.policy(), want, "{}", a.name);
    }
}

#[test]
fn every_netlink_option_maps_to_exactly_one_attribute() {
    let not_netlink = [OptId::UseCarrier, OptId::Slaves, OptId::NumPeerNotifAlias];
    for id in OptId::ALL {
        let bond = BOND_ATTRS.iter().filter(|a| a.opt == Some(id)).count();
        let slave = SLAVE_ATTRS.iter().filter(|a| a.opt == Some(id)).count();
        if not_netlink.contains(&id) {
            assert_eq!(bond + slave, 0, "{id:?}");
            assert_eq!(attr_for_opt(id), None);
        } else {
            assert_eq!(bond + slave, 1, "{id:?}");
            assert!(attr_for_opt(id).is_some());
        }
    }
    assert_eq!(
        attr_for_opt(OptId::Mode),
        Some(NlAttr::Bond(IFLA_BOND_MODE))
    );
    assert_eq!(
        attr_for_opt(OptId::NumPeerNotif),
        Some(NlAttr::Bond(IFLA_BOND_NUM_PEER_NOTIF))
    );
    assert_eq!(
        attr_for_opt(OptId::QueueId),
        Some(NlAttr::Slave(IFLA_BOND_SLAVE_QUEUE_ID))
    );
    assert_eq!(
        attr_for_opt(OptId::Prio),
        Some(NlAttr::Slave(IFLA_BOND_SLAVE_PRIO))
    );
    assert_eq!(
        attr_for_opt(OptId::ActorPortPrio),
        Some(NlAttr::Slave(IFLA_BOND_SLAVE_ACTOR_PORT_PRIO))
    );
    assert_eq!(bond_attr(IFLA_BOND_USE_CARRIER).and_then(|a| a.opt), None);
    assert_eq!(
        bond_attr(IFLA_BOND_AD_INFO).map(|a| a.apply),
        Some(Apply::Ignored)
    );
}

fn is_permutation(order: &[u16], expect_missing: &[u16], max: u16) {
    let mut seen = Vec::new();
    for &a in order {
        assert!((1..=max).contains(&a), "{a}");
        assert!(!seen.contains(&a), "duplicate {a}");
        seen.push(a);
    }
    for a in 1..=max {
        assert_eq!(seen.contains(&a), !expect_missing.contains(&a), "{a}");
    }
}

#[test]
fn changelink_order_matches_c() {
    is_permutation(&CHANGELINK_ORDER, &[IFLA_BOND_AD_INFO], IFLA_BOND_MAX);
    assert_eq!(CHANGELINK_ORDER[0], IFLA_BOND_MODE);
    assert_eq!(
        CHANGELINK_ORDER,
        [
            1, 2, 3, 4, 5, 28, 6, 7, 8, 31, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 29, 21,
            22, 24, 25, 26, 27, 30, 32, 33, 34
        ]
    );
    let pos = |a: u16| CHANGELINK_ORDER.iter().position(|&x| x == a);
    assert!(pos(IFLA_BOND_MIIMON) < pos(IFLA_BOND_UPDELAY));
    assert!(pos(IFLA_BOND_MIIMON) < pos(IFLA_BOND_ARP_INTERVAL));
    assert!(pos(IFLA_BOND_ARP_INTERVAL) < pos(IFLA_BOND_ARP_IP_TARGET));
    assert_eq!(SLAVE_CHANGELINK_ORDER, [5, 9, 10]);
}

#[test]
fn fill_order_matches_c() {
    is_permutation(&FILL_ORDER, &[], IFLA_BOND_MAX);
    assert_eq!(
        FILL_ORDER,
        [
            1, 2, 3, 4, 5, 28, 6, 7, 8, 9, 10, 31, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 29, 21,
            22, 27, 30, 32, 33, 34, 24, 25, 26, 23
        ]
    );
    is_permutation(&SLAVE_FILL_ORDER, &[], IFLA_BOND_SLAVE_MAX);
    assert_eq!(SLAVE_FILL_ORDER, [1, 2, 3, 4, 5, 9, 6, 7, 8, 11, 12, 10]);
}

#[test]
fn fill_conditions() {
    let conditional: Vec<(u16, FillWhen)> = BOND_ATTRS
        .iter()
        .filter(|a| a.fill != FillWhen::Always)
        .map(|a| (a.attr, a.fill))
        .collect();
    assert_eq!(
        conditional,
        [
            (IFLA_BOND_ACTIVE_SLAVE, FillWhen::ActiveSlave),
            (IFLA_BOND_ARP_IP_TARGET, FillWhen::ArpTargets),
            (IFLA_BOND_PRIMARY, FillWhen::Primary),
            (IFLA_BOND_AD_INFO, FillWhen::LacpAggInfo),
            (IFLA_BOND_AD_ACTOR_SYS_PRIO, FillWhen::LacpAdmin),
            (IFLA_BOND_AD_USER_PORT_KEY, FillWhen::LacpAdmin),
            (IFLA_BOND_AD_ACTOR_SYSTEM, FillWhen::LacpAdmin),
            (IFLA_BOND_NS_IP6_TARGET, FillWhen::NsTargets),
        ]
    );

    // A fresh balance-rr bond: the 26 unconditional attributes.
    let bare = FillState::default();
    let got: Vec<u16> = fill_attrs(&bare).map(|a| a.attr).collect();
    assert_eq!(got.len(), 26);
    assert!(!got.contains(&IFLA_BOND_ACTIVE_SLAVE));
    assert!(!got.contains(&IFLA_BOND_AD_INFO));

    // Everything set, but not 802.3ad: no AD attributes.
    let mut all = FillState {
        mode: Mode::ActiveBackup,
        active_slave: true,
        primary: true,
        arp_targets: true,
        ns_targets: true,
        ipv6: true,
        net_admin: true,
        agg_info: true,
    };
    assert_eq!(fill_attrs(&all).count(), 30);
    all.mode = Mode::Lacp;
    let got: Vec<u16> = fill_attrs(&all).map(|a| a.attr).collect();
    assert_eq!(got, FILL_ORDER);
    // 802.3ad without CAP_NET_ADMIN: AD_INFO only.
    all.net_admin = false;
    let got: Vec<u16> = fill_attrs(&all).map(|a| a.attr).collect();
    assert_eq!(got.len(), 31);
    assert_eq!(got.last(), Some(&IFLA_BOND_AD_INFO));
    // NS targets need CONFIG_IPV6.
    all.ipv6 = false;
    assert!(!fill_attrs(&all).any(|a| a.attr == IFLA_BOND_NS_IP6_TARGET));

    // Delays are emitted in ms, use_carrier as constant 1.
    for a in [
        IFLA_BOND_UPDELAY,
        IFLA_BOND_DOWNDELAY,
        IFLA_BOND_PEER_NOTIF_DELAY,
    ] {
        assert_eq!(bond_attr(a).map(|x| x.fill_value), Some(FillValue::DelayMs));
    }
    assert_eq!(
        bond_attr(IFLA_BOND_USE_CARRIER).map(|x| x.fill_value),
        Some(FillValue::One)
    );
}

#[test]
fn slave_fill_conditions() {
    let plain: Vec<u16> = slave_fill_attrs(Mode::ActiveBackup, true)
        .map(|a| a.attr)
        .collect();
    assert_eq!(plain, [1, 2, 3, 4, 5, 9]);
    let lacp_no_agg: Vec<u16> = slave_fill_attrs(Mode::Lacp, false)
        .map(|a| a.attr)
        .collect();
    assert_eq!(lacp_no_agg, [1, 2, 3, 4, 5, 9, 10]);
    let lacp: Vec<u16> = slave_fill_attrs(Mode::Lacp, true).map(|a| a.attr).collect();
    assert_eq!(lacp, SLAVE_FILL_ORDER);
}

#[test]
fn get_size_matches_c() {
    assert_eq!(nla_total_size(1), 8);
    assert_eq!(nla_total_size(2), 8);
    assert_eq!(nla_total_size(4), 8);
    assert_eq!(nla_total_size(6), 12);
    assert_eq!(nla_total_size(16), 20);
    assert_eq!(nla_total_size(32), 36);
    // 30 scalars of 8, ARP nest 8 + 16 * 8, AD_INFO 8 + 4 * 8 + 12,
    // actor system 12, NS nest 8 + 16 * 20.
    assert_eq!(BOND_GET_SIZE, 30 * 8 + 136 + 52 + 12 + 328);
    assert_eq!(BOND_GET_SIZE, 768);
    assert_eq!(fill_size_upper_bound(), BOND_GET_SIZE);
    // 11 scalars of 8 and the 32-byte address.
    assert_eq!(BOND_GET_SLAVE_SIZE, 11 * 8 + 36);
    assert_eq!(slave_fill_size_upper_bound(), BOND_GET_SLAVE_SIZE);
    assert_eq!(
        bond_attr(IFLA_BOND_AD_INFO).map(|a| a.max_fill_size()),
        Some(52)
    );
}

#[test]
fn policy_validation() {
    // Short integers fail, long ones pass with a warning.
    assert_eq!(validate_policy(IFLA_BOND_MODE, &[]), Err(NlError::Policy));
    assert_eq!(validate_policy(IFLA_BOND_MODE, &[1]), Ok(PolicyOk::Exact));
    assert_eq!(
        validate_policy(IFLA_BOND_MODE, &[1, 0, 0, 0]),
        Ok(PolicyOk::TooLong)
    );
    assert_eq!(
        validate_policy(IFLA_BOND_MIIMON, &[100, 0]),
        Err(NlError::Policy)
    );
    // Binary: at most ETH_ALEN; shorter passes the policy, changelink
    // rejects it.
    assert_eq!(
        validate_policy(IFLA_BOND_AD_ACTOR_SYSTEM, &[0; 7]),
        Err(NlError::Policy)
    );
    assert_eq!(
        validate_policy(IFLA_BOND_AD_ACTOR_SYSTEM, &[0; 5]),
        Ok(PolicyOk::Exact)
    );
    assert_eq!(actor_system(&[0; 5]), Err(NlError::ActorSystemLen));
    // Nests: empty or at least a header.
    assert_eq!(
        validate_policy(IFLA_BOND_ARP_IP_TARGET, &[]),
        Ok(PolicyOk::Exact)
    );
    assert_eq!(
        validate_policy(IFLA_BOND_ARP_IP_TARGET, &[0; 3]),
        Err(NlError::Policy)
    );
    // peer_notif_delay range.
    let ok = 300_000u32.to_ne_bytes();
    let bad = 300_001u32.to_ne_bytes();
    assert_eq!(
        validate_policy(IFLA_BOND_PEER_NOTIF_DELAY, &ok),
        Ok(PolicyOk::Exact)
    );
    assert_eq!(
        validate_policy(IFLA_BOND_PEER_NOTIF_DELAY, &bad),
        Err(NlError::OutOfRange)
    );
    assert_eq!(NlError::OutOfRange.errno(), ERANGE);
    assert_eq!(NlError::OutOfRange.extack(), Some("integer out of range"));
    assert_eq!(NlError::Policy.errno(), 34);
    assert_eq!(
        NlError::Policy.extack(),
        Some("Attribute failed policy validation")
    );
    // Unknown attributes are ignored.
    assert_eq!(validate_policy(99, &[]), Ok(PolicyOk::Exact));
    // Slave: only the policy attributes are checked.
    assert_eq!(
        validate_slave_policy(IFLA_BOND_SLAVE_QUEUE_ID, &[1]),
        Err(NlError::Policy)
    );
    assert_eq!(
        validate_slave_policy(IFLA_BOND_SLAVE_STATE, &[]),
        Ok(PolicyOk::Exact)
    );
}

#[test]
fn option_values_follow_c_int_conversion() {
    assert_eq!(option_value(Policy::U8, &[4]), Some(4));
    assert_eq!(
        option_value(Policy::U16, &65_535u16.to_ne_bytes()),
        Some(65_535)
    );
    assert_eq!(option_value(Policy::U32, &100u32.to_ne_bytes()), Some(100));
    // u32 values go through an int: sign-extended.
    assert_eq!(
        option_value(Policy::U32, &u32::MAX.to_ne_bytes()),
        Some(u64::MAX)
    );
    assert_eq!(
        option_value(Policy::U32, &0x8000_0000u32.to_ne_bytes()),
        Some(18_446_744_071_562_067_968)
    );
    assert_eq!(option_value(Policy::U32, &[1, 2]), None);
    assert_eq!(ifindex(&7u32.to_ne_bytes()), Some(7));
    assert_eq!(ifindex(&u32::MAX.to_ne_bytes()), Some(-1));

    assert_eq!(
        arp_target_value(&[192, 168, 1, 1]),
        Ok(u64::from(u32::from_ne_bytes([192, 168, 1, 1])))
    );
    assert_eq!(arp_target_value(&[1, 2, 3]), Err(NlError::ShortArpTarget));
    assert_eq!(ns_target(&[0; 15]), Err(NlError::ShortNsTarget));
    assert_eq!(
        NlError::ShortNsTarget.extack(),
        Some("Invalid IPv6 address")
    );

    let mac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    assert_eq!(actor_system(&mac), Ok(mac));
    assert_eq!(actor_system_mac(actor_system_value(mac)), mac);
}

#[test]
fn netlink_specific_errors() {
    assert_eq!(check_use_carrier(1), Ok(()));
    let e = check_use_carrier(0).err();
    assert_eq!(e, Some(NlError::UseCarrierObsolete));
    assert_eq!(e.map(|e| e.errno()), Some(EINVAL));
    assert_eq!(
        e.and_then(|e| e.extack()),
        Some("option obsolete, use_carrier cannot be disabled")
    );

    assert_eq!(check_arp_vs_miimon(IFLA_BOND_ARP_INTERVAL, 100, 0), Ok(()));
    assert_eq!(check_arp_vs_miimon(IFLA_BOND_ARP_INTERVAL, 0, 100), Ok(()));
    assert_eq!(
        check_arp_vs_miimon(IFLA_BOND_ARP_INTERVAL, 100, 100),
        Err(NlError::ArpWithMii)
    );
    assert_eq!(
        check_arp_vs_miimon(IFLA_BOND_ARP_VALIDATE, 1, 100),
        Err(NlError::ArpValidateWithMii)
    );
    assert_eq!(
        NlError::ArpWithMii.extack(),
        Some("ARP monitoring cannot be used with MII monitoring")
    );
    assert_eq!(
        NlError::ArpValidateWithMii.extack(),
        Some("ARP validating cannot be used with MII monitoring")
    );

    assert_eq!(NlError::NoSuchIfindex.errno(), ENODEV);
    assert_eq!(NlError::NoSuchIfindex.extack(), None);
    assert_eq!(NlError::ShortArpTarget.extack(), None);
    assert_eq!(NlError::ActorSystemLen.errno(), EINVAL);

    assert_eq!(validate_address(&[0x02, 0, 0, 0, 0, 1]), Ok(()));
    assert_eq!(
        validate_address(&[0x02, 0, 0, 0, 0]),
        Err(NlError::AddressLen)
    );
    assert_eq!(
        validate_address(&[0x01, 0, 0, 0, 0, 1]),
        Err(NlError::AddressNotAvail)
    );
    assert_eq!(
        validate_address(&[0; 6]).map_err(|e| e.errno()),
        Err(EADDRNOTAVAIL)
    );

    // Option errors keep their own errno and extack.
    let opt = NlError::from(OptError::Up);
    assert_eq!(opt.errno(), 16);
    assert_eq!(
        opt.extack(),
        Some("unable to set option because the bond is up")
    );
}

#[test]
fn queue_id_request_string() {
    let mut buf = [0u8; QUEUE_ID_REQUEST_LEN];
    let n = queue_id_request(b"eth0", 3, &mut buf);
    assert_eq!(&buf[..n], b"eth0:3\n");
    let n = queue_id_request(b"abcdefghijklmno", 65_535, &mut buf);
    assert_eq!(&buf[..n], b"abcdefghijklmno:65535\n");
    assert_eq!(n, 22);
}

#[test]
fn sysfs_names_unique_and_in_c_order() {
    let names: Vec<&str> = BOND_SYSFS_FILES.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "slaves",
            "mode",
            "fail_over_mac",
            "arp_validate",
            "arp_all_targets",
            "arp_interval",
            "arp_ip_target",
            "downdelay",
            "updelay",
            "peer_notif_delay",
            "lacp_active",
            "lacp_rate",
            "ad_select",
            "xmit_hash_policy",
            "num_grat_arp",
            "num_unsol_na",
            "miimon",
            "primary",
            "primary_reselect",
            "use_carrier",
            "active_slave",
            "mii_status",
            "ad_aggregator",
            "ad_num_ports",
            "ad_actor_key",
            "ad_partner_key",
            "ad_partner_mac",
            "queue_id",
            "all_slaves_active",
            "resend_igmp",
            "min_links",
            "lp_interval",
            "packets_per_slave",
            "tlb_dynamic_lb",
            "ad_actor_sys_prio",
            "ad_actor_system",
            "ad_user_port_key",
            "arp_missed_max",
        ]
    );
    for (i, f) in BOND_SYSFS_FILES.iter().enumerate() {
        for g in &BOND_SYSFS_FILES[i + 1..] {
            assert_ne!(f.name, g.name);
        }
        assert_eq!(sysfs_file(f.name.as_bytes()), Some(f));
    }
    assert_eq!(sysfs_file(b"lacp_strict"), None);
    assert_eq!(sysfs_file(b"ns_ip6_target"), None);

    let slave_names: Vec<&str> = SLAVE_SYSFS_FILES.iter().map(|f| f.name).collect();
    assert_eq!(
        slave_names,
        [
            "state",
            "mii_status",
            "link_failure_count",
            "perm_hwaddr",
            "queue_id",
            "ad_aggregator_id",
            "ad_actor_oper_port_state",
            "ad_partner_oper_port_state",
        ]
    );
    assert!(SLAVE_SYSFS_FILES.iter().all(|f| f.mode == 0o444));
}

#[test]
fn sysfs_modes_and_store_options() {
    let read_only = [
        "mii_status",
        "ad_aggregator",
        "ad_num_ports",
        "ad_actor_key",
        "ad_partner_key",
        "ad_partner_mac",
    ];
    for f in BOND_SYSFS_FILES.iter() {
        if read_only.contains(&f.name) {
            assert_eq!(f.mode, 0o444, "{}", f.name);
            assert_eq!(f.store, None);
        } else {
            assert_eq!(f.mode, 0o644, "{}", f.name);
            // The store goes to the option named like the file.
            assert_eq!(f.store, by_name(f.name.as_bytes()), "{}", f.name);
            assert!(f.store.is_some());
        }
    }
    assert_eq!(
        sysfs_file(b"num_grat_arp").and_then(|f| f.store),
        Some(OptId::NumPeerNotifAlias)
    );
    assert_eq!(
        sysfs_file(b"arp_missed_max").and_then(|f| f.store),
        Some(OptId::MissedMax)
    );
}

fn show_value(id: OptId, value: u64) -> String {
    let mut s = String::new();
    let _ = format_value(id, value, &mut s);
    s.push('\n');
    s
}

#[test]
fn sysfs_show_formats() {
    // Named-value files print "name number".
    let named = [
        "mode",
        "fail_over_mac",
        "arp_validate",
        "arp_all_targets",
        "lacp_active",
        "lacp_rate",
        "ad_select",
        "xmit_hash_policy",
        "primary_reselect",
    ];
    for f in BOND_SYSFS_FILES.iter() {
        if let ShowFormat::Value(id) | ShowFormat::DelayMs(id) = f.show {
            assert_eq!(Some(id), f.store);
            // lp_interval is an `int` in C (%d), which its `uint` module
            // parameter can make negative.
            let want = if named.contains(&f.name) {
                ValueStyle::NameAndNumber
            } else if f.name == "lp_interval" {
                ValueStyle::SignedNumber
            } else {
                ValueStyle::Number
            };
            assert_eq!(spec(id).style, want, "{}", f.name);
        }
    }
    assert_eq!(show_value(OptId::Mode, 1), "active-backup 1\n");
    assert_eq!(show_value(OptId::XmitHashPolicy, 2), "layer2+3 2\n");
    assert_eq!(show_value(OptId::LacpActive, 1), "on 1\n");
    assert_eq!(show_value(OptId::Miimon, 100), "100\n");
    assert_eq!(show_value(OptId::AllSlavesActive, 0), "0\n");
    assert_eq!(show_value(OptId::TlbDynamicLb, 1), "1\n");
    assert_eq!(show_value(OptId::MinLinks, 4_294_967_295), "4294967295\n");
    assert_eq!(show_value(OptId::LpInterval, 4_294_967_295), "-1\n");

    let show = |n: &[u8]| sysfs_file(n).map(|f| f.show);
    assert_eq!(show(b"updelay"), Some(ShowFormat::DelayMs(OptId::UpDelay)));
    assert_eq!(show(b"use_carrier"), Some(ShowFormat::One));
    assert_eq!(show(b"mii_status"), Some(ShowFormat::CarrierStatus));
    assert_eq!(show(b"primary"), Some(ShowFormat::PrimaryName));
    assert_eq!(show(b"active_slave"), Some(ShowFormat::ActiveSlaveName));
    assert_eq!(show(b"queue_id"), Some(ShowFormat::QueueIds));
    assert_eq!(show(b"ad_actor_system"), Some(ShowFormat::LacpAdminMac));

    // 802.3ad info visibility.
    let agg = ShowFormat::AdInfo(AdInfoField::Aggregator);
    let key = ShowFormat::AdInfo(AdInfoField::ActorKey);
    assert!(agg.visible(Mode::Lacp, false));
    assert!(!agg.visible(Mode::ActiveBackup, true));
    assert!(!key.visible(Mode::Lacp, false));
    assert!(key.visible(Mode::Lacp, true));
    assert!(!ShowFormat::LacpAdminMac.visible(Mode::Lacp, false));
    assert!(ShowFormat::Value(OptId::Mode).visible(Mode::RoundRobin, false));
}

#[test]
fn slave_sysfs_formats() {
    assert_eq!(slave_state_name(0), "active");
    assert_eq!(slave_state_name(1), "backup");
    assert_eq!(slave_state_name(2), "UNKNOWN");
    assert_eq!(slave_link_name(0), "up");
    assert_eq!(slave_link_name(1), "going down");
    assert_eq!(slave_link_name(2), "down");
    assert_eq!(slave_link_name(3), "going back");
    assert_eq!(slave_link_name(-1), "unknown");
    assert_eq!(NOT_AVAILABLE, "N/A");

    let mut s = String::new();
    let _ = write_hw_addr(&mut s, &[0x00, 0x1b, 0x21, 0xAB, 0xcd, 0xef]);
    assert_eq!(s, "00:1b:21:ab:cd:ef");
    let mut s = String::new();
    let _ = write_mac(&mut s, &[0xff; 6]);
    assert_eq!(s, "ff:ff:ff:ff:ff:ff");
    let mut s = String::new();
    let _ = write_ipv4(&mut s, [10, 0, 0, 1]);
    assert_eq!(s, "10.0.0.1");
}

#[test]
fn page_lists() {
    let mut page = [0u8; SYSFS_PAGE];
    let mut l = PageList::new(&mut page, Some(IFNAMSIZ));
    assert!(l.add(b"eth0"));
    assert!(l.add(b"eth1"));
    let n = l.finish();
    assert_eq!(&page[..n], b"eth0 eth1\n");

    let mut page = [0u8; SYSFS_PAGE];
    let n = PageList::new(&mut page, Some(IFNAMSIZ)).finish();
    assert_eq!(n, 0);

    let mut page = [0u8; SYSFS_PAGE];
    let mut l = PageList::new(&mut page, Some(IFNAMSIZ + 6));
    assert!(l.add_queue_id(b"eth0", 0));
    assert!(l.add_queue_id(b"eth1", 2));
    let n = l.finish();
    assert_eq!(&page[..n], b"eth0:0 eth1:2\n");

    let mut page = [0u8; SYSFS_PAGE];
    let mut l = PageList::new(&mut page, None);
    assert!(l.add_ipv4([192, 168, 0, 1]));
    assert!(l.add_ipv4([10, 1, 2, 3]));
    let n = l.finish();
    assert_eq!(&page[..n], b"192.168.0.1 10.1.2.3\n");

    // Overflow: "++more++" near the end of the page.
    let mut page = [0u8; 64];
    let mut l = PageList::new(&mut page, Some(IFNAMSIZ));
    let mut added = 0;
    while l.add(b"abcdefghijklmnop") {
        added += 1;
    }
    assert!(!l.add(b"x"));
    let n = l.finish();
    // Three 17-byte items (51 > 64 - 16): the marker goes 10 bytes before
    // the end, cut one byte short of the page.
    assert_eq!(added, 3);
    assert_eq!(n, 63);
    assert_eq!(&page[49..54], b"p \0\0\0");
    assert_eq!(&page[54..n], b"++more++\n");
}
