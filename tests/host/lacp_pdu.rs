// SPDX-License-Identifier: GPL-2.0

//! LACPDU and marker PDU codecs against the C driver's wire layout.

use proptest::prelude::*;
use rbond_host::lacp::pdu::{
    marker_bytes, state, Lacpdu, PortInfo, Rx, ETH_P_SLOW, LACPDU_GROUP_MAC, MARKER_INFO,
    MARKER_RESPONSE, PDU_LEN, SUBTYPE_LACP, SUBTYPE_MARKER,
};

/// What C's `ad_initialize_port` template plus `__update_lacpdu_from_port`
/// yields for an active, fast, aggregatable port whose partner is still the
/// default `tmpl` (priority 0xffff, key 1, port 1, port priority 0xff).
fn c_template_pdu() -> Lacpdu {
    Lacpdu {
        version: 1,
        actor: PortInfo {
            system_priority: 0x1234,
            system: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
            key: 0x0a0b,
            port_priority: 0x00ff,
            port: 0x0102,
            state: state::ACTIVITY | state::TIMEOUT | state::AGGREGATION,
        },
        partner: PortInfo {
            system_priority: 0xffff,
            system: [0; 6],
            key: 1,
            port_priority: 0xff,
            port: 1,
            state: 0,
        },
        collector_max_delay: 0,
    }
}

fn c_template_bytes() -> [u8; PDU_LEN] {
    #[rustfmt::skip]
    let head: [u8; 60] = [
        // 0: subtype, version
        0x01, 0x01,
        // 2: actor TLV
        0x01, 0x14,
        // 4: sys prio, 6..12 system, 12 key, 14 port prio, 16 port, 18 state
        0x12, 0x34,
        0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
        0x0a, 0x0b,
        0x00, 0xff,
        0x01, 0x02,
        0x07,
        // 19..22 reserved
        0x00, 0x00, 0x00,
        // 22: partner TLV
        0x02, 0x14,
        // 24: sys prio, 26..32 system, 32 key, 34 port prio, 36 port, 38 state
        0xff, 0xff,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x01,
        0x00, 0xff,
        0x00, 0x01,
        0x00,
        // 39..42 reserved
        0x00, 0x00, 0x00,
        // 42: collector TLV, 44 max delay
        0x03, 0x10,
        0x00, 0x00,
        // 46..58 reserved
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        // 58: terminator
        0x00, 0x00,
    ];
    let mut b = [0u8; PDU_LEN];
    b[..60].copy_from_slice(&head);
    b
}

#[test]
fn constants() {
    assert_eq!(ETH_P_SLOW, 0x8809);
    assert_eq!(LACPDU_GROUP_MAC, [0x01, 0x80, 0xc2, 0x00, 0x00, 0x02]);
    assert_eq!(PDU_LEN, 110);
    assert_eq!((SUBTYPE_LACP, SUBTYPE_MARKER), (1, 2));
    assert_eq!((MARKER_INFO, MARKER_RESPONSE), (1, 2));
}

#[test]
fn encode_c_template_byte_exact() {
    let pdu = c_template_pdu();
    let expected = c_template_bytes();
    assert_eq!(pdu.to_bytes(), expected);
    // encode overwrites everything, including stale bytes.
    let mut out = [0xaau8; PDU_LEN];
    pdu.encode(&mut out);
    assert_eq!(out, expected);
}

#[test]
fn encode_field_offsets_distinct_values() {
    let pdu = Lacpdu {
        version: 0x77,
        actor: PortInfo {
            system_priority: 0xa1a2,
            system: [0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8],
            key: 0xa9aa,
            port_priority: 0xabac,
            port: 0xadae,
            state: 0xaf,
        },
        partner: PortInfo {
            system_priority: 0xb1b2,
            system: [0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8],
            key: 0xb9ba,
            port_priority: 0xbbbc,
            port: 0xbdbe,
            state: 0xbf,
        },
        collector_max_delay: 0xc1c2,
    };
    let b = pdu.to_bytes();
    assert_eq!(b[1], 0x77);
    assert_eq!(
        b[4..19],
        [
            0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae,
            0xaf
        ]
    );
    assert_eq!(
        b[24..39],
        [
            0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe,
            0xbf
        ]
    );
    assert_eq!(b[44..46], [0xc1, 0xc2]);
    assert!(b[19..22]
        .iter()
        .chain(&b[39..42])
        .chain(&b[46..58])
        .chain(&b[60..])
        .all(|&x| x == 0));
    assert_eq!(Rx::parse(&b), Rx::Lacpdu(pdu));
}

#[test]
fn parse_c_template() {
    let rx = Rx::parse(&c_template_bytes());
    assert_eq!(rx, Rx::Lacpdu(c_template_pdu()));
    assert!(rx.consumed());
}

#[test]
fn parse_ignores_trailing_bytes_and_unchecked_fields() {
    let mut v = c_template_bytes().to_vec();
    // Collector / terminator TLVs and reserved bytes are not checked.
    v[42] = 9;
    v[43] = 9;
    v[19] = 0xee;
    v[50] = 0xee;
    v[58] = 0x55;
    v[100] = 0xee;
    v.extend_from_slice(&[0xff; 40]);
    assert_eq!(Rx::parse(&v), Rx::Lacpdu(c_template_pdu()));
}

fn illegal_tlv(at: usize, value: u8) {
    let mut b = c_template_bytes();
    b[at] = value;
    let rx = Rx::parse(&b);
    assert_eq!(rx, Rx::IllegalTlv, "byte {at} = {value}");
    assert!(rx.consumed());
}

#[test]
fn illegal_short() {
    let b = c_template_bytes();
    for len in 0..PDU_LEN {
        let rx = Rx::parse(&b[..len]);
        assert_eq!(rx, Rx::IllegalShort, "len {len}");
        assert!(!rx.consumed());
    }
    let m = marker_bytes(MARKER_INFO, [0, 1], [2; 6], [3; 4]);
    assert_eq!(Rx::parse(&m[..PDU_LEN - 1]), Rx::IllegalShort);
}

#[test]
fn illegal_version_zero() {
    illegal_tlv(1, 0);
}

#[test]
fn illegal_actor_type() {
    illegal_tlv(2, 2);
    illegal_tlv(2, 0);
}

#[test]
fn illegal_actor_len() {
    illegal_tlv(3, 19);
    illegal_tlv(3, 21);
}

#[test]
fn illegal_partner_type() {
    illegal_tlv(22, 1);
    illegal_tlv(22, 3);
}

#[test]
fn illegal_partner_len() {
    illegal_tlv(23, 0);
    illegal_tlv(23, 18);
}

#[test]
fn unknown_subtype_not_consumed() {
    for subtype in [0u8, 3, 10, 0xff] {
        let mut b = c_template_bytes();
        b[0] = subtype;
        let rx = Rx::parse(&b);
        assert_eq!(rx, Rx::Unknown, "subtype {subtype}");
        assert!(!rx.consumed());
    }
}

#[test]
fn marker_bytes_layout() {
    let m = marker_bytes(
        MARKER_INFO,
        [0x12, 0x34],
        [1, 2, 3, 4, 5, 6],
        [0xde, 0xad, 0xbe, 0xef],
    );
    let mut expected = [0u8; PDU_LEN];
    expected[..16].copy_from_slice(&[
        2, 1, 1, 16, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 0xde, 0xad, 0xbe, 0xef,
    ]);
    assert_eq!(m, expected);
}

#[test]
fn marker_info_response() {
    let mut m = marker_bytes(
        MARKER_INFO,
        [0x12, 0x34],
        [1, 2, 3, 4, 5, 6],
        [0xde, 0xad, 0xbe, 0xef],
    );
    // Nonzero reserved bytes are echoed as they are.
    m[100] = 0x5a;
    let rx = Rx::parse(&m);
    let mut expected = m;
    expected[2] = 2;
    assert_eq!(rx, Rx::MarkerInfo { response: expected });
    assert!(rx.consumed());
    // Longer frames: only the first PDU_LEN bytes are answered.
    let mut long = m.to_vec();
    long.extend_from_slice(&[7; 20]);
    assert_eq!(Rx::parse(&long), rx);
}

#[test]
fn marker_response() {
    let m = marker_bytes(MARKER_RESPONSE, [0, 7], [9; 6], [0, 0, 0, 1]);
    let rx = Rx::parse(&m);
    assert_eq!(rx, Rx::MarkerResponse);
    assert!(rx.consumed());
}

#[test]
fn marker_unknown_tlv() {
    for tlv in [0u8, 3, 0xff] {
        let m = marker_bytes(tlv, [0, 7], [9; 6], [0, 0, 0, 1]);
        let rx = Rx::parse(&m);
        assert_eq!(rx, Rx::MarkerUnknown, "tlv {tlv}");
        assert!(rx.consumed());
    }
}

fn port_info() -> impl Strategy<Value = PortInfo> {
    (
        any::<u16>(),
        any::<[u8; 6]>(),
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        any::<u8>(),
    )
        .prop_map(
            |(system_priority, system, key, port_priority, port, state)| PortInfo {
                system_priority,
                system,
                key,
                port_priority,
                port,
                state,
            },
        )
}

proptest! {
    #[test]
    fn prop_roundtrip(
        version in 1u8..=255,
        actor in port_info(),
        partner in port_info(),
        collector_max_delay in any::<u16>(),
    ) {
        let pdu = Lacpdu { version, actor, partner, collector_max_delay };
        let b = pdu.to_bytes();
        prop_assert_eq!(Rx::parse(&b), Rx::Lacpdu(pdu));
        let mut out = [0u8; PDU_LEN];
        pdu.encode(&mut out);
        prop_assert_eq!(out, b);
    }

    #[test]
    fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let rx = Rx::parse(&bytes);
        if bytes.len() < PDU_LEN {
            prop_assert_eq!(rx, Rx::IllegalShort);
            prop_assert!(!rx.consumed());
        } else {
            prop_assert_ne!(rx, Rx::IllegalShort);
            prop_assert_eq!(rx.consumed(), matches!(bytes[0], SUBTYPE_LACP | SUBTYPE_MARKER));
        }
    }

    #[test]
    fn prop_lacp_subtype_classified(mut bytes in proptest::collection::vec(any::<u8>(), PDU_LEN..200)) {
        bytes[0] = SUBTYPE_LACP;
        let ok = bytes[1] >= 1 && bytes[2..4] == [1, 20] && bytes[22..24] == [2, 20];
        match Rx::parse(&bytes) {
            Rx::Lacpdu(p) => {
                prop_assert!(ok);
                // Re-encoding keeps every checked and information byte.
                let b = p.to_bytes();
                for i in (0..19).chain(22..39).chain(44..46) {
                    prop_assert_eq!(b[i], bytes[i], "byte {}", i);
                }
            }
            Rx::IllegalTlv => prop_assert!(!ok),
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}
