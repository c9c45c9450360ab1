// SPDX-License-Identifier: GPL-2.0

//! Transmit hashing and balance-rr slave choice, as C's `bond_main.c` does it.
//!
//! This is the packet side of `bond_xmit_hash` (all `xmit_hash_policy`
//! values), the layer 3/4 header parsing behind it (C's `bond_flow_ip` and
//! `bond_flow_dissect`, with the kernel flow dissector's helpers for ports
//! and ICMP identifiers), the balance-rr slave id (`bond_rr_gen_slave_id`,
//! with the kernel's `reciprocal_value` / `reciprocal_divide`), the IGMP rule
//! of balance-rr and `bond_get_slave_by_id`.
//!
//! Kernel-independent (imports only `core`): the host test crate compiles
//! this very file and `cargo test --test hash` checks it against hand-worked
//! C results. Packet bytes are reached only through [`Packet`], every read is
//! bounds-checked, nothing allocates and only fixed-size headers are parsed,
//! so it is fit for the transmit path.
//!
//! Endianness follows C on the running CPU: where C copies network-order
//! bytes into a `u32` (addresses, ports), this code uses
//! [`u32::from_ne_bytes`] on the same bytes, so the hash values are the C
//! driver's on any host.

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

/// `xmit_hash_policy` (C's `BOND_XMIT_POLICY_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// `layer2` (0): MAC addresses and ethertype.
    #[default]
    Layer2,
    /// `layer3+4` (1): IP addresses and ports (or ICMP identifier).
    Layer34,
    /// `layer2+3` (2): MAC addresses, ethertype and IP addresses.
    Layer23,
    /// `encap2+3` (3): like `layer2+3`, inner headers via the flow dissector.
    Encap23,
    /// `encap3+4` (4): like `layer3+4`, inner headers via the flow dissector.
    Encap34,
    /// `vlan+srcmac` (5): VLAN tag and source MAC address.
    VlanSrcMac,
}

impl Policy {
    /// The policy with C's numeric value `v`, if there is one.
    #[inline]
    pub fn from_value(v: u64) -> Option<Policy> {
        Some(match v {
            0 => Policy::Layer2,
            1 => Policy::Layer34,
            2 => Policy::Layer23,
            3 => Policy::Encap23,
            4 => Policy::Encap34,
            5 => Policy::VlanSrcMac,
            _ => return None,
        })
    }

    /// C's numeric value of the policy.
    #[inline]
    pub fn value(self) -> u64 {
        match self {
            Policy::Layer2 => 0,
            Policy::Layer34 => 1,
            Policy::Layer23 => 2,
            Policy::Encap23 => 3,
            Policy::Encap34 => 4,
            Policy::VlanSrcMac => 5,
        }
    }
}

/// Byte access to an outgoing packet from `skb->data` (which is the MAC
/// header on transmit).
pub trait Packet {
    /// At least the first `n` bytes of the packet as one slice (the kernel side
    /// pulls them into the linear area if needed, like `pskb_may_pull`), or
    /// `None` if the packet is shorter or the pull fails.
    fn bytes(&mut self, n: usize) -> Option<&[u8]>;
}

impl Packet for &[u8] {
    #[inline]
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        if self.len() >= n {
            Some(self)
        } else {
            None
        }
    }
}

/// What the transmit path knows about the packet besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Meta {
    /// `skb->protocol` in host byte order (e.g. `0x0800`).
    pub l2_proto: u16,
    /// `skb_network_offset(skb)`: where the network header starts in the bytes.
    pub nhoff: usize,
    /// `skb_vlan_tag_get(skb)` if `skb_vlan_tag_present(skb)` (whole TCI),
    /// else `None`.
    pub vlan_tci: Option<u16>,
    /// `skb->hash` if `skb->l4_hash` is set, else `None`.
    pub l4_hash: Option<u32>,
}

/// Flow keys as the kernel's flow dissector returns them (used for the encap
/// policies, where the kernel side runs `__skb_flow_dissect` itself and
/// converts the result; the layer 2+3 and 3+4 parsers here fill the same
/// fields).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowKeys {
    /// `flow_get_u32_src()`: IPv4 source address bytes as
    /// [`u32::from_ne_bytes`], IPv6 folded (xor of the four native 32-bit
    /// words, see [`ipv6_fold`]), TIPC key, else 0.
    pub src: u32,
    /// `flow_get_u32_dst()`, same convention (no TIPC).
    pub dst: u32,
    /// The 4 port bytes (source port then destination port, network order)
    /// as [`u32::from_ne_bytes`], 0 if none.
    pub ports: u32,
    /// ICMP type.
    pub icmp_type: u8,
    /// ICMP code.
    pub icmp_code: u8,
    /// ICMP identifier in host order as `skb_flow_get_icmp_tci` stores it
    /// (0: the type has no identifier; an identifier of 0 is stored as 1).
    pub icmp_id: u16,
}

impl FlowKeys {
    /// The ICMP key's 4 bytes (type, code, native-order id) read as a
    /// native `u32`, as C's `memcpy(&hash, &flow.icmp, 4)`.
    #[inline]
    pub fn icmp_word(&self) -> u32 {
        let id = self.icmp_id.to_ne_bytes();
        u32::from_ne_bytes([self.icmp_type, self.icmp_code, id[0], id[1]])
    }
}

/// `ETH_P_IP`.
pub const ETH_P_IP: u16 = 0x0800;
/// `ETH_P_IPV6`.
pub const ETH_P_IPV6: u16 = 0x86DD;
/// `ETH_P_ARP`.
pub const ETH_P_ARP: u16 = 0x0806;

/// 802.3ad's `broadcast_neighbor` test (C's
/// `bond_should_broadcast_neighbor`): an ARP packet, or an IPv6 packet
/// whose next header is ICMPv6 carrying a neighbour solicitation (135) or
/// advertisement (136). `frame` starts at the MAC header; the network
/// header is at `nhoff`.
pub fn is_neighbor(l2_proto: u16, frame: &[u8], nhoff: usize) -> bool {
    match l2_proto {
        ETH_P_ARP => true,
        ETH_P_IPV6 => {
            let next = nhoff.checked_add(6).and_then(|o| frame.get(o));
            let icmp = nhoff.checked_add(40).and_then(|o| frame.get(o));
            next == Some(&58) && matches!(icmp, Some(135) | Some(136))
        }
        _ => false,
    }
}

/// Length of an Ethernet header.
pub const ETH_HLEN: usize = 14;
const IPV4_HLEN: usize = 20;
const IPV6_HLEN: usize = 40;
/// `sizeof(struct icmphdr)` and `sizeof(struct icmp6hdr)`.
const ICMP_HLEN: usize = 8;

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_IGMP: u8 = 2;
const IPPROTO_ICMPV6: u8 = 58;

/// `N` bytes of the packet at `off`, pulling `off + N` bytes first.
#[inline]
pub fn read<P: Packet, const N: usize>(pkt: &mut P, off: usize) -> Option<[u8; N]> {
    let end = off.checked_add(N)?;
    let bytes = pkt.bytes(end)?;
    bytes.get(off..end)?.try_into().ok()
}

#[inline]
fn ne32(b: [u8; 4]) -> u32 {
    u32::from_ne_bytes(b)
}

/// C's `ipv6_addr_hash`: the xor of the address's four 32-bit words, each
/// read in native order.
#[inline]
pub fn ipv6_fold(addr: &[u8; 16]) -> u32 {
    fold_words(addr)
}

/// The xor of the native-order 32-bit words of `b`.
#[inline]
fn fold_words(b: &[u8]) -> u32 {
    b.chunks_exact(4).fold(0, |acc, w| match *w {
        [a, b, c, d] => acc ^ u32::from_ne_bytes([a, b, c, d]),
        _ => acc,
    })
}

/// C's `proto_ports_offset`: where the 4 port (or SPI) bytes are in the
/// transport header of `proto`, or `None` if it has none.
#[inline]
fn ports_offset(proto: u8) -> Option<usize> {
    match proto {
        // TCP, UDP, DCCP, ESP (SPI), SCTP, UDP-Lite
        6 | 17 | 33 | 50 | 132 | 136 => Some(0),
        // AH (SPI)
        51 => Some(4),
        _ => None,
    }
}

/// C's `icmp_has_id` (ICMP and ICMPv6 types in one list, as in C).
#[inline]
fn icmp_has_id(ty: u8) -> bool {
    // echo reply, echo, timestamp, timestamp reply; ICMPv6 echo request/reply
    matches!(ty, 0 | 8 | 13 | 14 | 128 | 129)
}

/// C's `icmp_is_err`.
#[inline]
fn icmp_is_err(ty: u8) -> bool {
    // dest unreachable, source quench, redirect, time exceeded, parameter problem
    matches!(ty, 3 | 4 | 5 | 11 | 12)
}

/// C's `icmpv6_is_err`.
#[inline]
fn icmpv6_is_err(ty: u8) -> bool {
    // dest unreachable, packet too big, time exceeded, parameter problem
    matches!(ty, 1..=4)
}

/// C's `bond_eth_hash` (0 if the Ethernet header is not there): last bytes
/// of the destination and source MAC addresses and the ethertype of the
/// header.
#[inline]
pub fn eth_hash<P: Packet>(pkt: &mut P) -> u32 {
    match read::<P, ETH_HLEN>(pkt, 0) {
        Some(h) => u32::from(h[5] ^ h[11]) ^ u32::from(u16::from_be_bytes([h[12], h[13]])),
        None => 0,
    }
}

/// C's `bond_vlan_srcmac_hash` (0 if the Ethernet header is not there).
#[inline]
fn vlan_srcmac_hash<P: Packet>(pkt: &mut P, meta: &Meta) -> u32 {
    let Some(h) = read::<P, ETH_HLEN>(pkt, 0) else {
        return 0;
    };
    let vendor = u32::from_be_bytes([0, h[6], h[7], h[8]]);
    let dev = u32::from_be_bytes([0, h[9], h[10], h[11]]);
    u32::from(meta.vlan_tci.unwrap_or(0)) ^ vendor ^ dev
}

/// C's `skb_flow_get_ports`.
#[inline]
fn get_ports<P: Packet>(pkt: &mut P, thoff: usize, proto: u8) -> u32 {
    match ports_offset(proto) {
        Some(poff) => read::<P, 4>(pkt, thoff.saturating_add(poff)).map_or(0, ne32),
        None => 0,
    }
}

/// C's `skb_flow_get_icmp_tci`: leaves `keys` alone if the 8-byte ICMP
/// header is not there.
#[inline]
fn get_icmp_tci<P: Packet>(pkt: &mut P, keys: &mut FlowKeys, thoff: usize) {
    let Some(h) = read::<P, ICMP_HLEN>(pkt, thoff) else {
        return;
    };
    keys.icmp_type = h[0];
    keys.icmp_code = h[1];
    keys.icmp_id = if icmp_has_id(h[0]) {
        match u16::from_be_bytes([h[4], h[5]]) {
            0 => 1,
            id => id,
        }
    } else {
        0
    };
}

/// The state C's `bond_flow_dissect` threads through `bond_flow_ip`.
struct Dissect {
    keys: FlowKeys,
    /// Offset of the next header to read.
    nhoff: usize,
    /// The transport protocol (C's `int ip_proto`, -1 here `None`).
    ip_proto: Option<u8>,
}

/// C's `bond_flow_ip`: the IPv4 or IPv6 header at `d.nhoff` (addresses, the
/// protocol unless an IPv4 fragment, ports if `l34`); advances `d.nhoff`
/// past it. `false` if `l2_proto` is neither or the header is not there.
#[inline]
fn flow_ip<P: Packet>(pkt: &mut P, d: &mut Dissect, l2_proto: u16, l34: bool) -> bool {
    match l2_proto {
        ETH_P_IP => {
            let Some(h) = read::<P, IPV4_HLEN>(pkt, d.nhoff) else {
                return false;
            };
            d.keys.src = ne32([h[12], h[13], h[14], h[15]]);
            d.keys.dst = ne32([h[16], h[17], h[18], h[19]]);
            d.nhoff = d.nhoff.saturating_add(usize::from(h[0] & 0x0f) << 2);
            // ip_is_fragment: more-fragments flag or a fragment offset
            if u16::from_be_bytes([h[6], h[7]]) & 0x3fff == 0 {
                d.ip_proto = Some(h[9]);
            }
        }
        ETH_P_IPV6 => {
            let Some(h) = read::<P, IPV6_HLEN>(pkt, d.nhoff) else {
                return false;
            };
            d.keys.src = h.get(8..24).map_or(0, fold_words);
            d.keys.dst = h.get(24..40).map_or(0, fold_words);
            d.nhoff = d.nhoff.saturating_add(IPV6_HLEN);
            d.ip_proto = Some(h[6]);
        }
        _ => return false,
    }
    if l34 {
        if let Some(proto) = d.ip_proto {
            d.keys.ports = get_ports(pkt, d.nhoff, proto);
        }
    }
    true
}

/// C's `bond_flow_dissect` for `layer2+3` (`l34` false) and `layer3+4`
/// (`l34` true): `None` where C returns false.
#[inline]
fn flow_dissect<P: Packet>(pkt: &mut P, meta: &Meta, l34: bool) -> Option<FlowKeys> {
    let mut d = Dissect {
        keys: FlowKeys::default(),
        nhoff: meta.nhoff,
        ip_proto: None,
    };
    if !flow_ip(pkt, &mut d, meta.l2_proto, l34) {
        return None;
    }
    // An ICMP error carries the start of the offending packet: hash it as
    // that packet's flow (its addresses, and its ports for layer3+4).
    let is_err: fn(u8) -> bool = match d.ip_proto {
        Some(IPPROTO_ICMP) => icmp_is_err,
        Some(IPPROTO_ICMPV6) => icmpv6_is_err,
        _ => return Some(d.keys),
    };
    get_icmp_tci(pkt, &mut d.keys, d.nhoff);
    if !is_err(d.keys.icmp_type) {
        return Some(d.keys);
    }
    // The inner header is read with the same skb->protocol.
    d.nhoff = d.nhoff.saturating_add(ICMP_HLEN);
    if flow_ip(pkt, &mut d, meta.l2_proto, l34) {
        Some(d.keys)
    } else {
        None
    }
}

/// C's `bond_ip_hash`: mixes the addresses into `hash` and folds it; the
/// 3+4 policies drop the lowest bit.
#[inline]
fn ip_hash(hash: u32, keys: &FlowKeys, l34: bool) -> u32 {
    let mut h = hash ^ keys.dst ^ keys.src;
    h ^= h >> 16;
    h ^= h >> 8;
    if l34 {
        h >> 1
    } else {
        h
    }
}

/// C's `bond_xmit_hash` for a packet: the whole policy dispatch.
///
/// `encap3+4` with an L4 hash returns that hash; `vlan+srcmac` hashes the
/// VLAN tag and source MAC; `layer2`, or a packet the parser cannot read,
/// gets the Ethernet hash; the 2+3 policies mix the Ethernet hash with the
/// addresses; the 3+4 policies mix the ICMP key (if it has an identifier)
/// or the ports with the addresses and drop the lowest bit.
///
/// For `layer2+3` and `layer3+4` the IPv4/IPv6 headers are parsed here from
/// `pkt` (including the inner header of an ICMP error). For `encap2+3` and
/// `encap3+4`, `encap` runs the kernel's flow dissector and returns `None`
/// when it fails.
#[inline]
pub fn xmit_hash<P: Packet>(
    policy: Policy,
    pkt: &mut P,
    meta: &Meta,
    encap: impl FnOnce(&mut P) -> Option<FlowKeys>,
) -> u32 {
    if let (Policy::Encap34, Some(hash)) = (policy, meta.l4_hash) {
        return hash;
    }
    let keys = match policy {
        Policy::VlanSrcMac => return vlan_srcmac_hash(pkt, meta),
        Policy::Layer2 => None,
        Policy::Layer23 => flow_dissect(pkt, meta, false),
        Policy::Layer34 => flow_dissect(pkt, meta, true),
        Policy::Encap23 | Policy::Encap34 => encap(pkt),
    };
    let Some(keys) = keys else {
        return eth_hash(pkt);
    };
    match policy {
        Policy::Layer34 | Policy::Encap34 => {
            let seed = if keys.icmp_id != 0 {
                keys.icmp_word()
            } else {
                keys.ports
            };
            ip_hash(seed, &keys, true)
        }
        _ => ip_hash(eth_hash(pkt), &keys, false),
    }
}

/// balance-rr IGMP rule: true if `meta.l2_proto` is IPv4 and the IPv4 header
/// at `meta.nhoff` (20 bytes must be available) has protocol IGMP (2).
#[inline]
pub fn is_igmp<P: Packet>(pkt: &mut P, meta: &Meta) -> bool {
    meta.l2_proto == ETH_P_IP
        && matches!(read::<P, IPV4_HLEN>(pkt, meta.nhoff), Some(h) if h[9] == IPPROTO_IGMP)
}

/// Linux's `struct reciprocal_value` with `reciprocal_value()` and
/// `reciprocal_divide()` (`lib/math/reciprocal_div.c`), bit-exact: division
/// by a divisor fixed in advance, done with a multiply and shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reciprocal {
    /// Multiplier.
    pub m: u32,
    /// First shift (0 or 1).
    pub sh1: u8,
    /// Second shift.
    pub sh2: u8,
}

impl Reciprocal {
    /// C's `reciprocal_value(d)`. `d` must be at least 1; for 0 this returns
    /// the all-zero value (what C stores when `packets_per_slave` is 0), whose
    /// [`divide`](Self::divide) returns the dividend.
    #[inline]
    pub fn new(d: u32) -> Reciprocal {
        if d == 0 {
            return Reciprocal::default();
        }
        // fls(d - 1): 0 ..= 32
        let l = u32::BITS - (d - 1).leading_zeros();
        let d64 = u64::from(d);
        // (1 << l) - d < 2^31 here, so the product stays below 2^63.
        let m = (1u64 << 32) * ((1u64 << l) - d64) / d64 + 1;
        Reciprocal {
            m: m as u32,
            sh1: l.min(1) as u8,
            sh2: l.saturating_sub(1) as u8,
        }
    }

    /// C's `reciprocal_divide(a, R)`: `a / d` for the `d` given to
    /// [`new`](Self::new). Never panics, even on hand-made field values.
    #[inline]
    pub fn divide(self, a: u32) -> u32 {
        let t = ((u64::from(a) * u64::from(self.m)) >> 32) as u32;
        let u = a
            .wrapping_sub(t)
            .checked_shr(u32::from(self.sh1))
            .unwrap_or(0);
        t.wrapping_add(u)
            .checked_shr(u32::from(self.sh2))
            .unwrap_or(0)
    }
}

/// C's `bond_rr_gen_slave_id`: `packets_per_slave` 0 takes `random()`, 1 takes
/// `next_counter()`, and N > 1 takes `next_counter()` divided by N through
/// `recip` (`Reciprocal::new(N)`, precomputed by the caller).
#[inline]
pub fn rr_slave_id(
    packets_per_slave: u32,
    recip: Reciprocal,
    next_counter: impl FnOnce() -> u32,
    random: impl FnOnce() -> u32,
) -> u32 {
    match packets_per_slave {
        0 => random(),
        1 => next_counter(),
        _ => recip.divide(next_counter()),
    }
}

/// C's `bond_get_slave_by_id`: among `n` slaves (enslave order), the first
/// index `>= id` that `can_tx`, else the first index `< id` that `can_tx`,
/// else `None`. (The caller passes `id = slave_id % n`.)
#[inline]
pub fn pick_from(n: usize, id: usize, can_tx: impl Fn(usize) -> bool) -> Option<usize> {
    (id..n).chain(0..id.min(n)).find(|&i| can_tx(i))
}
