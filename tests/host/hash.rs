// SPDX-License-Identifier: GPL-2.0

//! Transmit hashes must be C's bond_xmit_hash values for every policy, on
//! whole and truncated packets; the balance-rr helpers must be C's
//! reciprocal_divide, bond_rr_gen_slave_id and bond_get_slave_by_id.
//!
//! Expected values are worked out from the C formulas in each test, with
//! the network-order bytes read as native words as C's memcpy does; the
//! literal constants are the same values on a little-endian host.

use proptest::prelude::*;
use rbond_host::hash::{
    eth_hash, ipv6_fold, is_igmp, pick_from, rr_slave_id, xmit_hash, FlowKeys, Meta, Packet,
    Policy, Reciprocal,
};

// ------------------------------------------------------------ packet making

const DMAC: [u8; 6] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
const SMAC: [u8; 6] = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];
const IP_A: [u8; 4] = [10, 0, 0, 1];
const IP_B: [u8; 4] = [10, 0, 0, 2];
const IP_C: [u8; 4] = [192, 168, 7, 9];
const IP_D: [u8; 4] = [172, 16, 33, 44];

const ALL: [Policy; 6] = [
    Policy::Layer2,
    Policy::Layer34,
    Policy::Layer23,
    Policy::Encap23,
    Policy::Encap34,
    Policy::VlanSrcMac,
];

fn eth(ethertype: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&DMAC);
    v.extend_from_slice(&SMAC);
    v.extend_from_slice(&ethertype.to_be_bytes());
    v
}

/// IPv4 header of `ihl` 32-bit words (options zero-filled).
fn ipv4(proto: u8, src: [u8; 4], dst: [u8; 4], frag_off: u16, ihl: u8) -> Vec<u8> {
    let mut v = vec![0x40 | ihl, 0, 0, 0, 0x12, 0x34];
    v.extend_from_slice(&frag_off.to_be_bytes());
    v.extend_from_slice(&[64, proto, 0, 0]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.resize(usize::from(ihl.max(5)) * 4, 0);
    v
}

fn ipv6(nexthdr: u8, src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
    let mut v = vec![0x60, 0, 0, 0, 0, 8, nexthdr, 64];
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v
}

fn tcp(sport: u16, dport: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]);
    v
}

fn udp(sport: u16, dport: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&[0, 8, 0, 0]);
    v
}

fn icmp(ty: u8, code: u8, id: u16, seq: u16) -> Vec<u8> {
    let mut v = vec![ty, code, 0xab, 0xcd];
    v.extend_from_slice(&id.to_be_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn v6(last: u8) -> [u8; 16] {
    [
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 0x33, last,
    ]
}

fn meta4() -> Meta {
    Meta {
        l2_proto: 0x0800,
        nhoff: 14,
        ..Meta::default()
    }
}

fn meta6() -> Meta {
    Meta {
        l2_proto: 0x86dd,
        nhoff: 14,
        ..Meta::default()
    }
}

/// The hash with an `encap` dissector that fails.
fn hash(policy: Policy, bytes: &[u8], meta: &Meta) -> u32 {
    let mut p = bytes;
    xmit_hash(policy, &mut p, meta, |_| None)
}

// -------------------------------------------------------- the C formulas

/// Bytes as C's memcpy into a u32 reads them.
fn ne(b: [u8; 4]) -> u32 {
    u32::from_ne_bytes(b)
}

/// bond_ip_hash's fold: `h ^= h >> 16; h ^= h >> 8`.
fn fold(h: u32) -> u32 {
    let h = h ^ (h >> 16);
    h ^ (h >> 8)
}

/// bond_eth_hash of a packet made by `eth()`: h_dest[5] ^ h_source[5] ^ proto.
fn l2(ethertype: u16) -> u32 {
    (0x55u32 ^ 0xbb) ^ u32::from(ethertype)
}

/// ipv6_addr_hash: xor of the four native words.
fn v6fold(a: [u8; 16]) -> u32 {
    ne([a[0], a[1], a[2], a[3]])
        ^ ne([a[4], a[5], a[6], a[7]])
        ^ ne([a[8], a[9], a[10], a[11]])
        ^ ne([a[12], a[13], a[14], a[15]])
}

/// The 4 port bytes as a native word.
fn ports(sport: u16, dport: u16) -> u32 {
    let s = sport.to_be_bytes();
    let d = dport.to_be_bytes();
    ne([s[0], s[1], d[0], d[1]])
}

/// The ICMP key (type, code, host-order id) as a native word.
fn icmp_key(ty: u8, code: u8, id: u16) -> u32 {
    let i = id.to_ne_bytes();
    ne([ty, code, i[0], i[1]])
}

fn le() -> bool {
    cfg!(target_endian = "little")
}

// ---------------------------------------------------------------- policies

#[test]
fn policy_values_are_cs() {
    for (i, p) in ALL.iter().enumerate() {
        assert_eq!(Policy::from_value(i as u64), Some(*p));
        assert_eq!(p.value(), i as u64);
    }
    assert_eq!(Policy::from_value(6), None);
    assert_eq!(Policy::from_value(u64::MAX), None);
    assert_eq!(Policy::default(), Policy::Layer2);
}

// ------------------------------------------------------------ Ethernet hash

#[test]
fn eth_hash_is_mac_low_bytes_and_ethertype() {
    let p = cat(&[&eth(0x0800), &[1, 2, 3]]);
    // 0x55 ^ 0xbb = 0xee, ^ 0x0800
    assert_eq!(eth_hash(&mut &p[..]), 0x08ee);
    let p = eth(0x88cc);
    assert_eq!(eth_hash(&mut &p[..]), 0xee ^ 0x88cc);
    // Exactly 14 bytes is enough; 13 is not: 0.
    assert_eq!(eth_hash(&mut &p[..14]), 0xee ^ 0x88cc);
    for n in 0..14 {
        assert_eq!(eth_hash(&mut &p[..n]), 0, "len {n}");
    }
}

#[test]
fn eth_hash_uses_header_ethertype_not_skb_protocol() {
    // An in-band VLAN header: the ethertype in the bytes is 0x8100 while
    // skb->protocol says IPv4 at offset 18.
    let mut p = eth(0x8100);
    p.extend_from_slice(&[0x00, 0x05, 0x08, 0x00]);
    p.extend(ipv4(6, IP_A, IP_B, 0, 5));
    p.extend(tcp(1, 2));
    let m = Meta {
        l2_proto: 0x0800,
        nhoff: 18,
        ..Meta::default()
    };
    assert_eq!(hash(Policy::Layer2, &p, &m), l2(0x8100));
    assert_eq!(
        hash(Policy::Layer23, &p, &m),
        fold(l2(0x8100) ^ ne(IP_A) ^ ne(IP_B))
    );
}

// -------------------------------------------------------------- IPv4 + TCP

fn tcp4() -> Vec<u8> {
    cat(&[
        &eth(0x0800),
        &ipv4(6, IP_A, IP_B, 0x4000, 5),
        &tcp(1234, 80),
    ])
}

#[test]
fn tcp4_every_policy() {
    let p = tcp4();
    let m = meta4();

    // layer2: 0x55 ^ 0xbb ^ 0x0800
    assert_eq!(hash(Policy::Layer2, &p, &m), 0x08ee);

    // layer2+3: eth hash, xor dst, xor src, fold.
    let mut h = 0x08ee_u32;
    h ^= ne(IP_B) ^ ne(IP_A);
    h ^= h >> 16;
    h ^= h >> 8;
    assert_eq!(hash(Policy::Layer23, &p, &m), h);
    if le() {
        // src 0x0100000a, dst 0x0200000a: 0x030008ee -> 0x03000bee -> 0x03030be5
        assert_eq!(h, 0x0303_0be5);
    }

    // layer3+4: ports word, xor dst, xor src, fold, drop the low bit.
    let mut h = ne([0x04, 0xd2, 0x00, 0x50]);
    h ^= ne(IP_B) ^ ne(IP_A);
    h ^= h >> 16;
    h ^= h >> 8;
    h >>= 1;
    assert_eq!(hash(Policy::Layer34, &p, &m), h);
    if le() {
        // ports 0x5000d204 ^ 0x03000000 = 0x5300d204 -> 0x53008104
        // -> 0x53538185 -> >> 1 = 0x29a9c0c2
        assert_eq!(h, 0x29a9_c0c2);
    }

    // vlan+srcmac without a tag: 0x667788 ^ 0x99aabb
    assert_eq!(hash(Policy::VlanSrcMac, &p, &m), 0x667788 ^ 0x99aabb);
    assert_eq!(hash(Policy::VlanSrcMac, &p, &m), 0xffdd33);

    // encap with a failing dissector: eth hash.
    assert_eq!(hash(Policy::Encap23, &p, &m), 0x08ee);
    assert_eq!(hash(Policy::Encap34, &p, &m), 0x08ee);
}

#[test]
fn skb_hash_only_for_encap34() {
    let p = tcp4();
    let m = Meta {
        l4_hash: Some(0xdead_beef),
        ..meta4()
    };
    let mut called = false;
    let h = xmit_hash(Policy::Encap34, &mut &p[..], &m, |_| {
        called = true;
        None
    });
    assert_eq!(h, 0xdead_beef);
    assert!(
        !called,
        "the dissector must not run when skb->l4_hash is set"
    );
    // Other policies ignore skb->hash.
    for pol in ALL {
        if pol != Policy::Encap34 {
            assert_eq!(hash(pol, &p, &m), hash(pol, &p, &meta4()), "{pol:?}");
        }
    }
}

#[test]
fn udp4_layer34() {
    let p = cat(&[&eth(0x0800), &ipv4(17, IP_C, IP_D, 0, 5), &udp(53, 40000)]);
    let want = fold(ports(53, 40000) ^ ne(IP_D) ^ ne(IP_C)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
    if le() {
        // ports 0x409c3500; addresses 0x2c2110ac ^ 0x0907a8c0 = 0x2526b86c
        // -> 0x65ba8d6c -> 0x65bae8d6 -> 0x65df523e >> 1
        assert_eq!(want, 0x32ef_a91f);
    }
    let l23 = fold(l2(0x0800) ^ ne(IP_D) ^ ne(IP_C));
    assert_eq!(hash(Policy::Layer23, &p, &meta4()), l23);
}

#[test]
fn ports_offsets_per_protocol() {
    // proto_ports_offset: 0 for TCP, UDP, DCCP, ESP, SCTP, UDP-Lite; 4 for
    // AH; none for anything else.
    let l4 = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    for (proto, word) in [
        (6u8, Some([0x11, 0x22, 0x33, 0x44])),
        (17, Some([0x11, 0x22, 0x33, 0x44])),
        (33, Some([0x11, 0x22, 0x33, 0x44])),
        (50, Some([0x11, 0x22, 0x33, 0x44])),
        (132, Some([0x11, 0x22, 0x33, 0x44])),
        (136, Some([0x11, 0x22, 0x33, 0x44])),
        (51, Some([0x55, 0x66, 0x77, 0x88])),
        (47, None),
        (4, None),
        (0, None),
        (255, None),
    ] {
        let p = cat(&[&eth(0x0800), &ipv4(proto, IP_A, IP_C, 0, 5), &l4]);
        let seed = word.map_or(0, ne);
        let want = fold(seed ^ ne(IP_C) ^ ne(IP_A)) >> 1;
        assert_eq!(hash(Policy::Layer34, &p, &meta4()), want, "proto {proto}");
        // AH with only 4 transport bytes: the SPI is not there, ports 0.
        if proto == 51 {
            let short = &p[..14 + 20 + 4];
            let want = fold(ne(IP_C) ^ ne(IP_A)) >> 1;
            assert_eq!(hash(Policy::Layer34, short, &meta4()), want);
        }
    }
}

#[test]
fn ipv4_options_move_the_ports() {
    // ihl 6: the transport header starts 24 bytes in.
    let p = cat(&[&eth(0x0800), &ipv4(6, IP_A, IP_B, 0, 6), &tcp(7, 9)]);
    let want = fold(ports(7, 9) ^ ne(IP_B) ^ ne(IP_A)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
    // ihl below 5 is not checked by C: ihl 0 reads the ports at the IP
    // header itself (its first 4 bytes).
    let mut p = tcp4();
    p[14] = 0x40;
    let first4 = [p[14], p[15], p[16], p[17]];
    let want = fold(ne(first4) ^ ne(IP_B) ^ ne(IP_A)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
}

#[test]
fn ipv4_fragments_have_no_ports() {
    // More-fragments set; a nonzero offset; both. DF alone is not a fragment.
    for frag in [0x2000u16, 0x0001, 0x1fff, 0x2010, 0x6000, 0x4001] {
        let p = cat(&[
            &eth(0x0800),
            &ipv4(17, IP_A, IP_B, frag, 5),
            &udp(1000, 2000),
        ]);
        let want = fold(ne(IP_B) ^ ne(IP_A)) >> 1;
        assert_eq!(hash(Policy::Layer34, &p, &meta4()), want, "frag {frag:#x}");
        let want = fold(l2(0x0800) ^ ne(IP_B) ^ ne(IP_A));
        assert_eq!(hash(Policy::Layer23, &p, &meta4()), want, "frag {frag:#x}");
    }
    // A fragmented ICMP error is not looked into either.
    let inner = cat(&[&ipv4(17, IP_C, IP_D, 0, 5), &udp(1, 2)]);
    let p = cat(&[
        &eth(0x0800),
        &ipv4(1, IP_A, IP_B, 0x2000, 5),
        &icmp(3, 3, 0, 0),
        &inner,
    ]);
    assert_eq!(
        hash(Policy::Layer34, &p, &meta4()),
        fold(ne(IP_B) ^ ne(IP_A)) >> 1
    );
    let p = cat(&[
        &eth(0x0800),
        &ipv4(17, IP_A, IP_B, 0x4000, 5),
        &udp(1000, 2000),
    ]);
    let want = fold(ports(1000, 2000) ^ ne(IP_B) ^ ne(IP_A)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
}

#[test]
fn sctp4_layer34() {
    let mut sctp = Vec::new();
    sctp.extend_from_slice(&38412u16.to_be_bytes());
    sctp.extend_from_slice(&2905u16.to_be_bytes());
    sctp.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]);
    let p = cat(&[&eth(0x0800), &ipv4(132, IP_C, IP_A, 0, 5), &sctp]);
    let want = fold(ports(38412, 2905) ^ ne(IP_A) ^ ne(IP_C)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
}

// -------------------------------------------------------------------- IPv6

#[test]
fn udp6_layer23_and_layer34() {
    let (s, d) = (v6(1), v6(0x42));
    let p = cat(&[&eth(0x86dd), &ipv6(17, s, d), &udp(5353, 5353)]);
    let m = meta6();
    let want = fold(ports(5353, 5353) ^ v6fold(d) ^ v6fold(s)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &m), want);
    let want = fold(l2(0x86dd) ^ v6fold(d) ^ v6fold(s));
    assert_eq!(hash(Policy::Layer23, &p, &m), want);
    assert_eq!(ipv6_fold(&s), v6fold(s));
    if le() {
        // Both folds share 0xb80d0120 ^ 0x33221100|last; their xor is
        // (1 ^ 0x42) << 24 = 0x43000000; ports 0xe914e914.
        assert_eq!(v6fold(s) ^ v6fold(d), 0x4300_0000);
        let mut h = 0xe914_e914_u32 ^ 0x4300_0000;
        assert_eq!(h, 0xaa14_e914);
        h ^= h >> 16;
        assert_eq!(h, 0xaa14_4300);
        h ^= h >> 8;
        assert_eq!(h, 0xaabe_5743);
        assert_eq!(h >> 1, 0x555f_2ba1);
        assert_eq!(hash(Policy::Layer34, &p, &m), 0x555f_2ba1);
    }
}

#[test]
fn ipv6_next_header_is_taken_as_is() {
    // No extension header walking: a hop-by-hop header (0) has no ports.
    let (s, d) = (v6(3), v6(4));
    let p = cat(&[
        &eth(0x86dd),
        &ipv6(0, s, d),
        &[17, 0, 0, 0, 0, 0, 0, 0],
        &udp(1, 2),
    ]);
    let want = fold(v6fold(d) ^ v6fold(s)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta6()), want);
    // TCP right after the fixed header.
    let p = cat(&[&eth(0x86dd), &ipv6(6, s, d), &tcp(443, 55555)]);
    let want = fold(ports(443, 55555) ^ v6fold(d) ^ v6fold(s)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta6()), want);
}

// -------------------------------------------------------------------- ICMP

#[test]
fn icmp_echo_uses_the_identifier() {
    let p = cat(&[
        &eth(0x0800),
        &ipv4(1, IP_A, IP_B, 0, 5),
        &icmp(8, 0, 0x1234, 7),
    ]);
    // key: type 8, code 0, id 0x1234 (host order)
    let want = fold(icmp_key(8, 0, 0x1234) ^ ne(IP_B) ^ ne(IP_A)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
    if le() {
        // key bytes 08 00 34 12 -> 0x12340008; ^ 0x03000000 = 0x11340008
        // -> 0x1134113c -> 0x1125252d -> >> 1 = 0x08929296
        assert_eq!(want, 0x0892_9296);
    }
    // layer2+3 ignores the ICMP key.
    let want = fold(l2(0x0800) ^ ne(IP_B) ^ ne(IP_A));
    assert_eq!(hash(Policy::Layer23, &p, &meta4()), want);
}

#[test]
fn icmp_identifier_zero_counts_as_one() {
    for ty in [0u8, 8, 13, 14, 128, 129] {
        let p = cat(&[&eth(0x0800), &ipv4(1, IP_A, IP_B, 0, 5), &icmp(ty, 0, 0, 0)]);
        let want = fold(icmp_key(ty, 0, 1) ^ ne(IP_B) ^ ne(IP_A)) >> 1;
        assert_eq!(hash(Policy::Layer34, &p, &meta4()), want, "type {ty}");
    }
    // Types without an identifier: id 0, so the (zero) ports are the seed.
    for ty in [9u8, 10, 15, 17, 42, 130, 255] {
        let p = cat(&[
            &eth(0x0800),
            &ipv4(1, IP_A, IP_B, 0, 5),
            &icmp(ty, 5, 77, 0),
        ]);
        let want = fold(ne(IP_B) ^ ne(IP_A)) >> 1;
        assert_eq!(hash(Policy::Layer34, &p, &meta4()), want, "type {ty}");
    }
}

fn icmp4_unreach() -> Vec<u8> {
    let inner = cat(&[&ipv4(17, IP_C, IP_D, 0, 5), &udp(4444, 53)]);
    cat(&[
        &eth(0x0800),
        &ipv4(1, IP_A, IP_B, 0, 5),
        &icmp(3, 3, 0, 0),
        &inner,
    ])
}

#[test]
fn icmp_error_hashes_the_inner_flow() {
    let p = icmp4_unreach();
    // Outer addresses are overwritten by the inner header's; the inner UDP
    // ports are the seed (the error type has no id).
    let want = fold(ports(4444, 53) ^ ne(IP_D) ^ ne(IP_C)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
    let want = fold(l2(0x0800) ^ ne(IP_D) ^ ne(IP_C));
    assert_eq!(hash(Policy::Layer23, &p, &meta4()), want);
    // All ICMPv4 error types.
    for ty in [3u8, 4, 5, 11, 12] {
        let mut q = p.clone();
        q[34] = ty;
        let want = fold(ports(4444, 53) ^ ne(IP_D) ^ ne(IP_C)) >> 1;
        assert_eq!(hash(Policy::Layer34, &q, &meta4()), want, "type {ty}");
    }
    // Errors are not followed twice: an inner ICMP error keeps the inner
    // addresses and has no ports.
    let inner2 = cat(&[
        &ipv4(1, IP_C, IP_D, 0, 5),
        &icmp(3, 1, 0, 0),
        &ipv4(6, IP_A, IP_A, 0, 5),
    ]);
    let q = cat(&[
        &eth(0x0800),
        &ipv4(1, IP_A, IP_B, 0, 5),
        &icmp(11, 0, 0, 0),
        &inner2,
    ]);
    assert_eq!(
        hash(Policy::Layer34, &q, &meta4()),
        fold(ne(IP_D) ^ ne(IP_C)) >> 1
    );
}

#[test]
fn icmp_error_with_fragment_inside_keeps_outer_protocol() {
    // Inner fragment: ip_proto stays ICMP from the outer header, which has
    // no ports, so the seed is 0, with the inner addresses.
    let inner = cat(&[&ipv4(17, IP_C, IP_D, 0x2000, 5), &udp(4444, 53)]);
    let p = cat(&[
        &eth(0x0800),
        &ipv4(1, IP_A, IP_B, 0, 5),
        &icmp(3, 3, 0, 0),
        &inner,
    ]);
    assert_eq!(
        hash(Policy::Layer34, &p, &meta4()),
        fold(ne(IP_D) ^ ne(IP_C)) >> 1
    );
}

#[test]
fn icmp_numbers_follow_ip_proto_not_the_family() {
    // IPv4 carrying protocol 58 is read as ICMPv6: type 1 is an ICMPv6 error.
    let inner = cat(&[&ipv4(6, IP_C, IP_D, 0, 5), &tcp(10, 20)]);
    let p = cat(&[
        &eth(0x0800),
        &ipv4(58, IP_A, IP_B, 0, 5),
        &icmp(1, 0, 0, 0),
        &inner,
    ]);
    let want = fold(ports(10, 20) ^ ne(IP_D) ^ ne(IP_C)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta4()), want);
    // Type 11 (an ICMPv4 error) is not an ICMPv6 error: the outer flow,
    // no id, no ports.
    let p = cat(&[
        &eth(0x0800),
        &ipv4(58, IP_A, IP_B, 0, 5),
        &icmp(11, 0, 0, 0),
        &inner,
    ]);
    assert_eq!(
        hash(Policy::Layer34, &p, &meta4()),
        fold(ne(IP_B) ^ ne(IP_A)) >> 1
    );
}

#[test]
fn icmpv6_echo_and_error() {
    let (s, d) = (v6(0x10), v6(0x20));
    let p = cat(&[&eth(0x86dd), &ipv6(58, s, d), &icmp(128, 0, 0xbeef, 1)]);
    let want = fold(icmp_key(128, 0, 0xbeef) ^ v6fold(d) ^ v6fold(s)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta6()), want);

    // Packet too big (2) carrying an inner IPv6 + TCP.
    let (is, id) = (v6(0x77), v6(0x88));
    let inner = cat(&[&ipv6(6, is, id), &tcp(22, 60000)]);
    let p = cat(&[&eth(0x86dd), &ipv6(58, s, d), &icmp(2, 0, 0, 1500), &inner]);
    let want = fold(ports(22, 60000) ^ v6fold(id) ^ v6fold(is)) >> 1;
    assert_eq!(hash(Policy::Layer34, &p, &meta6()), want);
    let want = fold(l2(0x86dd) ^ v6fold(id) ^ v6fold(is));
    assert_eq!(hash(Policy::Layer23, &p, &meta6()), want);
    for ty in [1u8, 2, 3, 4] {
        let mut q = p.clone();
        q[54] = ty;
        let want = fold(ports(22, 60000) ^ v6fold(id) ^ v6fold(is)) >> 1;
        assert_eq!(hash(Policy::Layer34, &q, &meta6()), want, "type {ty}");
    }
    // Neighbour solicitation (135): no id, not an error: outer flow, seed 0.
    let mut q = p.clone();
    q[54] = 135;
    assert_eq!(
        hash(Policy::Layer34, &q, &meta6()),
        fold(v6fold(d) ^ v6fold(s)) >> 1
    );
}

// ------------------------------------------------------------ non-IP, VLAN

#[test]
fn non_ip_falls_back_to_eth_hash() {
    let mut p = eth(0x0806);
    p.extend_from_slice(&[0u8; 28]);
    let m = Meta {
        l2_proto: 0x0806,
        nhoff: 14,
        ..Meta::default()
    };
    for pol in [
        Policy::Layer2,
        Policy::Layer23,
        Policy::Layer34,
        Policy::Encap23,
        Policy::Encap34,
    ] {
        assert_eq!(hash(pol, &p, &m), l2(0x0806), "{pol:?}");
    }
    // skb->protocol decides, not the bytes: an IPv4 packet marked ARP.
    let p = tcp4();
    assert_eq!(hash(Policy::Layer34, &p, &m), 0x08ee);
    // ...and an ARP packet marked IPv4 is parsed as IPv4.
    let mut q = eth(0x0806);
    q.extend(ipv4(6, IP_A, IP_B, 0, 5));
    q.extend(tcp(1234, 80));
    assert_eq!(
        hash(Policy::Layer34, &q, &meta4()),
        hash(Policy::Layer34, &p, &meta4())
    );
}

#[test]
fn vlan_srcmac_with_and_without_tag() {
    let p = tcp4();
    // vendor = 66:77:88 -> 0x667788, dev = 99:aa:bb -> 0x99aabb
    let base = 0x0066_7788_u32 ^ 0x0099_aabb;
    assert_eq!(hash(Policy::VlanSrcMac, &p, &meta4()), base);
    let m = Meta {
        vlan_tci: Some(0xa00c), // PCP 5, VID 12: the whole TCI is used
        ..meta4()
    };
    assert_eq!(hash(Policy::VlanSrcMac, &p, &m), base ^ 0xa00c);
    assert_eq!(hash(Policy::VlanSrcMac, &p, &m), 0x00ff_7d3f);
    // Only the Ethernet header matters, whatever the protocol.
    assert_eq!(hash(Policy::VlanSrcMac, &p[..14], &Meta::default()), base);
    for n in 0..14 {
        assert_eq!(hash(Policy::VlanSrcMac, &p[..n], &m), 0, "len {n}");
    }
    // Other policies ignore the tag.
    for pol in [Policy::Layer2, Policy::Layer23, Policy::Layer34] {
        assert_eq!(hash(pol, &p, &m), hash(pol, &p, &meta4()), "{pol:?}");
    }
}

// ------------------------------------------------------------------- encap

#[test]
fn encap_policies_use_the_dissector_keys() {
    let p = tcp4();
    let keys = FlowKeys {
        src: 0x0102_0304,
        dst: 0x1111_0000,
        ports: 0x0050_04d2,
        icmp_type: 0,
        icmp_code: 0,
        icmp_id: 0,
    };
    let mut seen_len = 0;
    let h = xmit_hash(Policy::Encap23, &mut &p[..], &meta4(), |pkt| {
        seen_len = pkt.bytes(0).map_or(0, |b| b.len());
        Some(keys)
    });
    assert_eq!(seen_len, p.len(), "the dissector gets the packet");
    // eth hash 0x08ee ^ 0x11110000 ^ 0x01020304 = 0x10130bea
    // -> ^ 0x1013 = 0x10131bf9 -> ^ 0x0010131b = 0x100308e2
    assert_eq!(h, fold(0x08ee ^ 0x1111_0000 ^ 0x0102_0304));
    assert_eq!(h, 0x1003_08e2);

    let h = xmit_hash(Policy::Encap34, &mut &p[..], &meta4(), |_| Some(keys));
    assert_eq!(h, fold(0x0050_04d2 ^ 0x1111_0000 ^ 0x0102_0304) >> 1);

    // An ICMP key with an id is the seed instead of the ports.
    let k = FlowKeys {
        icmp_type: 8,
        icmp_code: 0,
        icmp_id: 0x0102,
        ..keys
    };
    assert_eq!(k.icmp_word(), icmp_key(8, 0, 0x0102));
    let h = xmit_hash(Policy::Encap34, &mut &p[..], &meta4(), |_| Some(k));
    assert_eq!(
        h,
        fold(icmp_key(8, 0, 0x0102) ^ 0x1111_0000 ^ 0x0102_0304) >> 1
    );
    // Type without id: ports.
    let k = FlowKeys {
        icmp_type: 3,
        ..keys
    };
    let h = xmit_hash(Policy::Encap34, &mut &p[..], &meta4(), |_| Some(k));
    assert_eq!(h, fold(0x0050_04d2 ^ 0x1111_0000 ^ 0x0102_0304) >> 1);

    // Dissection failure: eth hash; with no Ethernet header: 0.
    for pol in [Policy::Encap23, Policy::Encap34] {
        assert_eq!(xmit_hash(pol, &mut &p[..], &meta4(), |_| None), 0x08ee);
        assert_eq!(xmit_hash(pol, &mut &p[..10], &meta4(), |_| None), 0);
        // Keys but no Ethernet header: 2+3 mixes a zero eth hash.
        let h = xmit_hash(pol, &mut &p[..10], &meta4(), |_| Some(keys));
        if pol == Policy::Encap23 {
            assert_eq!(h, fold(0x1111_0000 ^ 0x0102_0304));
        } else {
            assert_eq!(h, fold(0x0050_04d2 ^ 0x1111_0000 ^ 0x0102_0304) >> 1);
        }
    }
    // The layer policies never call the dissector.
    for pol in [
        Policy::Layer2,
        Policy::Layer23,
        Policy::Layer34,
        Policy::VlanSrcMac,
    ] {
        let mut called = false;
        xmit_hash(pol, &mut &p[..], &meta4(), |_| {
            called = true;
            None
        });
        assert!(!called, "{pol:?}");
    }
}

// --------------------------------------------------------------- truncation

/// What C gives for a packet cut to `n` bytes, stated as the length
/// thresholds of its reads (14 Ethernet, then the headers in order).
struct Cuts {
    full: Vec<u8>,
    meta: Meta,
    /// layer2+3 value for lengths from each threshold on (ascending).
    l23: Vec<(usize, u32)>,
    /// layer3+4 value for lengths from each threshold on (ascending).
    l34: Vec<(usize, u32)>,
}

fn at(steps: &[(usize, u32)], n: usize) -> u32 {
    steps
        .iter()
        .rev()
        .find(|(from, _)| n >= *from)
        .map_or(0, |s| s.1)
}

fn check_cuts(c: &Cuts) {
    for n in 0..=c.full.len() {
        let p = &c.full[..n];
        let eth = if n >= 14 {
            l2(u16::from_be_bytes([c.full[12], c.full[13]]))
        } else {
            0
        };
        assert_eq!(hash(Policy::Layer2, p, &c.meta), eth, "layer2 len {n}");
        assert_eq!(hash(Policy::Encap23, p, &c.meta), eth, "encap23 len {n}");
        assert_eq!(hash(Policy::Encap34, p, &c.meta), eth, "encap34 len {n}");
        let vs = if n >= 14 { 0xffdd33 } else { 0 };
        assert_eq!(
            hash(Policy::VlanSrcMac, p, &c.meta),
            vs,
            "vlan+srcmac len {n}"
        );
        assert_eq!(
            hash(Policy::Layer23, p, &c.meta),
            at(&c.l23, n),
            "layer2+3 len {n}"
        );
        assert_eq!(
            hash(Policy::Layer34, p, &c.meta),
            at(&c.l34, n),
            "layer3+4 len {n}"
        );
    }
}

#[test]
fn truncated_tcp4() {
    // Ethernet 0..14, IPv4 14..34, ports 34..38.
    let e = l2(0x0800);
    let a = ne(IP_A) ^ ne(IP_B);
    check_cuts(&Cuts {
        full: tcp4(),
        meta: meta4(),
        l23: vec![(14, e), (34, fold(e ^ a))],
        l34: vec![
            (14, e),
            (34, fold(a) >> 1),
            (38, fold(ports(1234, 80) ^ a) >> 1),
        ],
    });
}

#[test]
fn truncated_udp6() {
    // Ethernet 0..14, IPv6 14..54, ports 54..58.
    let (s, d) = (v6(1), v6(2));
    let e = l2(0x86dd);
    let a = v6fold(s) ^ v6fold(d);
    check_cuts(&Cuts {
        full: cat(&[&eth(0x86dd), &ipv6(17, s, d), &udp(9, 10)]),
        meta: meta6(),
        l23: vec![(14, e), (54, fold(e ^ a))],
        l34: vec![
            (14, e),
            (54, fold(a) >> 1),
            (58, fold(ports(9, 10) ^ a) >> 1),
        ],
    });
}

#[test]
fn truncated_icmp_echo() {
    // Ethernet 0..14, IPv4 14..34, ICMP header 34..42. A cut ICMP header
    // leaves the key zeroed (type 0, id 0): the ports (0) are the seed.
    let e = l2(0x0800);
    let a = ne(IP_A) ^ ne(IP_B);
    check_cuts(&Cuts {
        full: cat(&[
            &eth(0x0800),
            &ipv4(1, IP_A, IP_B, 0, 5),
            &icmp(8, 0, 0x4321, 1),
        ]),
        meta: meta4(),
        l23: vec![(14, e), (34, fold(e ^ a))],
        l34: vec![
            (14, e),
            (34, fold(a) >> 1),
            (42, fold(icmp_key(8, 0, 0x4321) ^ a) >> 1),
        ],
    });
}

#[test]
fn truncated_icmp_error() {
    // Ethernet 0..14, IPv4 14..34, ICMP 34..42, inner IPv4 42..62, inner
    // ports 62..66. Once the ICMP header says "error", a cut inner header
    // fails the whole parse: eth hash.
    let e = l2(0x0800);
    let outer = ne(IP_A) ^ ne(IP_B);
    let inner = ne(IP_C) ^ ne(IP_D);
    check_cuts(&Cuts {
        full: icmp4_unreach(),
        meta: meta4(),
        l23: vec![
            (14, e),
            (34, fold(e ^ outer)),
            (42, e),
            (62, fold(e ^ inner)),
        ],
        l34: vec![
            (14, e),
            (34, fold(outer) >> 1),
            (42, e),
            (62, fold(inner) >> 1),
            (66, fold(ports(4444, 53) ^ inner) >> 1),
        ],
    });
}

#[test]
fn truncated_icmpv6_error() {
    // Ethernet 0..14, IPv6 14..54, ICMPv6 54..62, inner IPv6 62..102,
    // inner ports 102..106.
    let (s, d, is, id) = (v6(1), v6(2), v6(3), v6(5));
    let e = l2(0x86dd);
    let outer = v6fold(s) ^ v6fold(d);
    let inner = v6fold(is) ^ v6fold(id);
    check_cuts(&Cuts {
        full: cat(&[
            &eth(0x86dd),
            &ipv6(58, s, d),
            &icmp(1, 4, 0, 0),
            &ipv6(17, is, id),
            &udp(100, 200),
        ]),
        meta: meta6(),
        l23: vec![
            (14, e),
            (54, fold(e ^ outer)),
            (62, e),
            (102, fold(e ^ inner)),
        ],
        l34: vec![
            (14, e),
            (54, fold(outer) >> 1),
            (62, e),
            (102, fold(inner) >> 1),
            (106, fold(ports(100, 200) ^ inner) >> 1),
        ],
    });
}

#[test]
fn truncated_fragment_and_sctp_and_arp() {
    let e = l2(0x0800);
    let a = ne(IP_A) ^ ne(IP_B);
    check_cuts(&Cuts {
        full: cat(&[&eth(0x0800), &ipv4(6, IP_A, IP_B, 0x2000, 5), &tcp(1, 2)]),
        meta: meta4(),
        l23: vec![(14, e), (34, fold(e ^ a))],
        l34: vec![(14, e), (34, fold(a) >> 1)],
    });
    let mut sctp = 5000u16.to_be_bytes().to_vec();
    sctp.extend_from_slice(&6000u16.to_be_bytes());
    sctp.extend_from_slice(&[1, 2, 3, 4, 0, 0, 0, 0]);
    check_cuts(&Cuts {
        full: cat(&[&eth(0x0800), &ipv4(132, IP_A, IP_B, 0, 5), &sctp]),
        meta: meta4(),
        l23: vec![(14, e), (34, fold(e ^ a))],
        l34: vec![
            (14, e),
            (34, fold(a) >> 1),
            (38, fold(ports(5000, 6000) ^ a) >> 1),
        ],
    });
    let e = l2(0x0806);
    let mut arp = eth(0x0806);
    arp.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1]);
    check_cuts(&Cuts {
        full: arp,
        meta: Meta {
            l2_proto: 0x0806,
            nhoff: 14,
            ..Meta::default()
        },
        l23: vec![(14, e)],
        l34: vec![(14, e)],
    });
}

#[test]
fn network_offset_before_the_ethernet_end() {
    // skb_network_offset is taken as given: with 0 the "IPv4 header" is the
    // Ethernet header's first 20 bytes (C does the same reads).
    let p = tcp4();
    let m = Meta {
        l2_proto: 0x0800,
        nhoff: 0,
        ..Meta::default()
    };
    // saddr = bytes 12..16, daddr = 16..20; ihl = low nibble of byte 0 = 0;
    // frag_off = bytes 6..8 = 66 77 (offset nonzero): a fragment.
    let a = ne([p[12], p[13], p[14], p[15]]) ^ ne([p[16], p[17], p[18], p[19]]);
    assert_eq!(hash(Policy::Layer34, &p, &m), fold(a) >> 1);
    assert_eq!(hash(Policy::Layer23, &p, &m), fold(0x08ee ^ a));
    // A network offset past the end: parse fails, eth hash.
    let m = Meta {
        nhoff: usize::MAX,
        ..m
    };
    assert_eq!(hash(Policy::Layer34, &p, &m), 0x08ee);
    assert_eq!(hash(Policy::Layer23, &p, &m), 0x08ee);
}

// ------------------------------------------------------------------- IGMP

#[test]
fn igmp_rule() {
    let igmp = cat(&[&eth(0x0800), &ipv4(2, IP_A, [224, 0, 0, 22], 0, 5)]);
    assert!(is_igmp(&mut &igmp[..], &meta4()));
    // 20 bytes of IPv4 header are needed.
    for n in 0..34 {
        assert!(!is_igmp(&mut &igmp[..n], &meta4()), "len {n}");
    }
    assert!(!is_igmp(&mut &tcp4()[..], &meta4()));
    // Only skb->protocol IPv4 counts.
    assert!(!is_igmp(&mut &igmp[..], &meta6()));
    let m = Meta {
        l2_proto: 0x0806,
        ..meta4()
    };
    assert!(!is_igmp(&mut &igmp[..], &m));
    // Read at the network offset.
    let mut shifted = vec![0u8; 4];
    shifted.extend_from_slice(&igmp);
    let m = Meta {
        nhoff: 18,
        ..meta4()
    };
    assert!(is_igmp(&mut &shifted[..], &m));
    assert!(!is_igmp(&mut &igmp[..], &m));
    // A fragment of IGMP is still IGMP here (only the protocol byte).
    let frag = cat(&[&eth(0x0800), &ipv4(2, IP_A, IP_B, 0x2001, 5)]);
    assert!(is_igmp(&mut &frag[..], &meta4()));
}

// ------------------------------------------------------- balance-rr helpers

#[test]
fn reciprocal_values_are_cs() {
    // d = 1: l = fls(0) = 0, m = 0 + 1, shifts 0.
    assert_eq!(
        Reciprocal::new(1),
        Reciprocal {
            m: 1,
            sh1: 0,
            sh2: 0
        }
    );
    // d = 2: l = 1, m = 2^32 * 0 / 2 + 1 = 1, sh1 1, sh2 0.
    assert_eq!(
        Reciprocal::new(2),
        Reciprocal {
            m: 1,
            sh1: 1,
            sh2: 0
        }
    );
    // d = 3: l = 2, m = 2^32 * 1 / 3 + 1 = 1431655766, sh1 1, sh2 1.
    assert_eq!(
        Reciprocal::new(3),
        Reciprocal {
            m: 1_431_655_766,
            sh1: 1,
            sh2: 1
        }
    );
    // d = 10: l = 4, m = 2^32 * 6 / 10 + 1 = 2576980378.
    assert_eq!(
        Reciprocal::new(10),
        Reciprocal {
            m: 2_576_980_378,
            sh1: 1,
            sh2: 3
        }
    );
    // d = 65535: l = 16, m = 2^32 * 1 / 65535 + 1 = 65538.
    assert_eq!(
        Reciprocal::new(65535),
        Reciprocal {
            m: 65538,
            sh1: 1,
            sh2: 15
        }
    );
    // d = 2^32 - 1: l = 32, m = (2^32 * 1) / (2^32 - 1) + 1 = 2.
    assert_eq!(
        Reciprocal::new(u32::MAX),
        Reciprocal {
            m: 2,
            sh1: 1,
            sh2: 31
        }
    );
    // d = 0: what C stores for packets_per_slave 0; divides as identity.
    assert_eq!(Reciprocal::new(0), Reciprocal::default());
    assert_eq!(Reciprocal::new(0).divide(12345), 12345);
    assert_eq!(Reciprocal::new(3).divide(u32::MAX), u32::MAX / 3);
    assert_eq!(Reciprocal::new(10).divide(99), 9);
    // Hand-made fields never panic.
    let odd = Reciprocal {
        m: u32::MAX,
        sh1: 200,
        sh2: 255,
    };
    assert_eq!(odd.divide(u32::MAX), 0);
}

#[test]
fn rr_slave_id_per_packets_per_slave() {
    let never = || -> u32 { panic!("must not be called") };
    assert_eq!(
        rr_slave_id(0, Reciprocal::new(0), never, || 0x1234_5678),
        0x1234_5678
    );
    assert_eq!(rr_slave_id(1, Reciprocal::new(1), || 41, never), 41);
    assert_eq!(rr_slave_id(3, Reciprocal::new(3), || 7, never), 2);
    assert_eq!(rr_slave_id(3, Reciprocal::new(3), || 9, never), 3);
    // The counter runs up to 2^32 - 1 and wraps in the caller.
    assert_eq!(
        rr_slave_id(65535, Reciprocal::new(65535), || u32::MAX, never),
        65537
    );
    // Sequence: with 2 packets per slave and 3 slaves, counters 1.. give
    // slaves 0,1,1,2,2,0,0,1 (C's counter is incremented before use).
    let ids: Vec<u32> = (1..=8u32)
        .map(|c| rr_slave_id(2, Reciprocal::new(2), || c, never) % 3)
        .collect();
    assert_eq!(ids, [0, 1, 1, 2, 2, 0, 0, 1]);
}

#[test]
fn pick_from_like_bond_get_slave_by_id() {
    let up = [true, false, true, false];
    let can = |i: usize| up[i];
    assert_eq!(pick_from(4, 0, can), Some(0));
    assert_eq!(pick_from(4, 1, can), Some(2));
    assert_eq!(pick_from(4, 2, can), Some(2));
    assert_eq!(pick_from(4, 3, can), Some(0)); // wraps to the first
    assert_eq!(pick_from(4, 7, can), Some(0)); // id past the end: from 0
    assert_eq!(pick_from(4, 1, |_| false), None);
    assert_eq!(pick_from(0, 0, |_| true), None);
    let only_last = |i: usize| i == 3;
    assert_eq!(pick_from(4, 0, only_last), Some(3));
}

// ------------------------------------------------------------- properties

fn policy() -> impl Strategy<Value = Policy> {
    (0u64..6).prop_map(|v| Policy::from_value(v).unwrap())
}

fn meta_any() -> impl Strategy<Value = Meta> {
    (
        prop_oneof![Just(0x0800u16), Just(0x86dd), Just(0x0806), any::<u16>()],
        prop_oneof![
            Just(14usize),
            0usize..80,
            Just(usize::MAX - 3),
            any::<usize>()
        ],
        proptest::option::of(any::<u16>()),
        proptest::option::of(any::<u32>()),
    )
        .prop_map(|(l2_proto, nhoff, vlan_tci, l4_hash)| Meta {
            l2_proto,
            nhoff,
            vlan_tci,
            l4_hash,
        })
}

/// Packets that look like headers, so the parsers go deep, then get cut.
fn bytes_any() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..140),
        (
            any::<[u8; 16]>(),
            0usize..140,
            prop_oneof![Just(1u8), Just(58), Just(6), any::<u8>()]
        )
            .prop_map(|(seed, cut, proto)| {
                let mut p = icmp4_unreach();
                p[14 + 9] = proto;
                p[34] = seed[0] % 20;
                p[42] = 0x40 | (seed[1] & 0x0f);
                p[42 + 9] = seed[2];
                p[14] = 0x40 | (seed[3] & 0x0f);
                p.extend_from_slice(&seed);
                p.truncate(cut);
                p
            }),
        (any::<[u8; 16]>(), 0usize..140).prop_map(|(seed, cut)| {
            let mut p = cat(&[&eth(0x86dd), &ipv6(58, v6(1), v6(2)), &icmp(1, 0, 0, 0)]);
            p.extend(ipv6(seed[0], v6(3), v6(4)));
            p[54] = seed[1] % 5;
            p.extend_from_slice(&seed);
            p.truncate(cut);
            p
        }),
    ]
}

/// A C-shaped model of bond_get_slave_by_id: two passes with a countdown.
fn c_get_slave_by_id(up: &[bool], slave_id: usize) -> Option<usize> {
    let mut i = slave_id as i64;
    for (idx, &can) in up.iter().enumerate() {
        i -= 1;
        if i < 0 && can {
            return Some(idx);
        }
    }
    let mut i = slave_id as i64;
    for (idx, &can) in up.iter().enumerate() {
        i -= 1;
        if i < 0 {
            break;
        }
        if can {
            return Some(idx);
        }
    }
    None
}

proptest! {
    #[test]
    fn reciprocal_divides_exactly(a in any::<u32>(), d in 1u32..) {
        prop_assert_eq!(Reciprocal::new(d).divide(a), a / d);
    }

    #[test]
    fn reciprocal_divides_small_and_edge_divisors(
        a in prop_oneof![any::<u32>(), Just(u32::MAX), Just(0u32), Just(u32::MAX - 1)],
        d in prop_oneof![1u32..70000, Just(1u32 << 31), Just((1u32 << 31) + 1), Just(u32::MAX), Just(u32::MAX - 1)],
    ) {
        prop_assert_eq!(Reciprocal::new(d).divide(a), a / d);
    }

    #[test]
    fn reciprocal_any_fields_never_panic(m in any::<u32>(), sh1 in any::<u8>(), sh2 in any::<u8>(), a in any::<u32>()) {
        let _ = Reciprocal { m, sh1, sh2 }.divide(a);
    }

    #[test]
    fn pick_from_is_first_in_rotated_order(up in proptest::collection::vec(any::<bool>(), 0..10), id in 0usize..20) {
        let n = up.len();
        let got = pick_from(n, id, |i| up[i]);
        prop_assert_eq!(got, c_get_slave_by_id(&up, id));
        if let Some(i) = got {
            prop_assert!(up[i]);
            let order: Vec<usize> = if id < n { (id..n).chain(0..id).collect() } else { (0..n).collect() };
            let first = order.iter().copied().find(|&j| up[j]);
            prop_assert_eq!(Some(i), first);
        } else {
            prop_assert!(up.iter().all(|&u| !u));
        }
    }

    #[test]
    fn xmit_hash_never_panics(
        pol in policy(),
        meta in meta_any(),
        bytes in bytes_any(),
        keys in proptest::option::of(any::<(u32, u32, u32, u8, u8, u16)>()),
    ) {
        let keys = keys.map(|(src, dst, ports, icmp_type, icmp_code, icmp_id)| FlowKeys {
            src, dst, ports, icmp_type, icmp_code, icmp_id,
        });
        let h = xmit_hash(pol, &mut &bytes[..], &meta, |_| keys);
        // Deterministic.
        let again = xmit_hash(pol, &mut &bytes[..], &meta, |_| keys);
        prop_assert_eq!(h, again);
        let _ = eth_hash(&mut &bytes[..]);
        let _ = is_igmp(&mut &bytes[..], &meta);
        if pol == Policy::Layer2 {
            prop_assert_eq!(h, eth_hash(&mut &bytes[..]));
        }
    }

    #[test]
    fn layer34_tcp4_matches_model(
        src in any::<[u8; 4]>(),
        dst in any::<[u8; 4]>(),
        sport in any::<u16>(),
        dport in any::<u16>(),
    ) {
        let p = cat(&[&eth(0x0800), &ipv4(6, src, dst, 0x4000, 5), &tcp(sport, dport)]);
        let s = sport.to_be_bytes();
        let d = dport.to_be_bytes();
        let mut h = u32::from_ne_bytes([s[0], s[1], d[0], d[1]]);
        h ^= u32::from_ne_bytes(dst) ^ u32::from_ne_bytes(src);
        h ^= h >> 16;
        h ^= h >> 8;
        prop_assert_eq!(hash(Policy::Layer34, &p, &meta4()), h >> 1);
        let mut h = 0xeeu32 ^ 0x0800;
        h ^= u32::from_ne_bytes(dst) ^ u32::from_ne_bytes(src);
        h ^= h >> 16;
        h ^= h >> 8;
        prop_assert_eq!(hash(Policy::Layer23, &p, &meta4()), h);
    }

    #[test]
    fn layer34_tcp6_matches_model(
        src in any::<[u8; 16]>(),
        dst in any::<[u8; 16]>(),
        sport in any::<u16>(),
        dport in any::<u16>(),
    ) {
        let p = cat(&[&eth(0x86dd), &ipv6(6, src, dst), &tcp(sport, dport)]);
        let want = fold(ports(sport, dport) ^ v6fold(dst) ^ v6fold(src)) >> 1;
        prop_assert_eq!(hash(Policy::Layer34, &p, &meta6()), want);
    }
}

#[test]
fn broadcast_neighbor_frames() {
    use rbond_host::hash::{is_neighbor, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6};
    assert!(is_neighbor(ETH_P_ARP, &[], 14));
    let mut f = vec![0u8; 14 + 41];
    f[14 + 6] = 58;
    for (t, want) in [(135u8, true), (136, true), (128, false), (133, false)] {
        f[14 + 40] = t;
        assert_eq!(is_neighbor(ETH_P_IPV6, &f, 14), want, "icmpv6 type {t}");
    }
    f[14 + 6] = 17;
    f[14 + 40] = 135;
    assert!(!is_neighbor(ETH_P_IPV6, &f, 14), "not ICMPv6");
    assert!(!is_neighbor(ETH_P_IPV6, &f[..30], 14), "truncated");
    assert!(!is_neighbor(ETH_P_IP, &f, 14));
}
