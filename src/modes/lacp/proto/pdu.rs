// SPDX-License-Identifier: GPL-2.0

//! Slow-protocols PDUs on the wire: the LACPDU (C's `struct lacpdu`) and the
//! marker PDU (C's `struct bond_marker`), both 110 bytes after the Ethernet
//! header.
//!
//! LACPDU layout (offsets from the subtype byte, multi-byte fields
//! big-endian):
//!
//! | offset  | field                                      |
//! |---------|--------------------------------------------|
//! | 0       | subtype (1)                                |
//! | 1       | version                                    |
//! | 2..4    | actor TLV: type 1, length 20               |
//! | 4..22   | actor [`PortInfo`] + 3 reserved bytes      |
//! | 22..24  | partner TLV: type 2, length 20             |
//! | 24..42  | partner [`PortInfo`] + 3 reserved bytes    |
//! | 42..44  | collector TLV: type 3, length 16           |
//! | 44..46  | collector max delay                        |
//! | 46..58  | reserved                                   |
//! | 58..60  | terminator TLV: type 0, length 0           |
//! | 60..110 | reserved                                   |
//!
//! A [`PortInfo`] block is: system priority (2), system (6), key (2), port
//! priority (2), port (2), state (1).
//!
//! Marker layout: subtype (2) at 0, version at 1, tlv_type at 2, length at
//! 3, requester port 4..6, requester system 6..12, transaction id 12..16,
//! pad 16..18, terminator 18..20, reserved 20..110. The C driver never
//! byte-swaps the marker fields (it echoes them), so they stay raw bytes
//! here.

/// Ethertype of the IEEE 802.3 slow protocols (LACP, marker, OAM).
pub const ETH_P_SLOW: u16 = 0x8809;

/// Destination MAC of LACPDUs and marker PDUs (the slow-protocols group
/// address).
pub const LACPDU_GROUP_MAC: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x02];

/// Bytes after the Ethernet header of a LACPDU and of a marker PDU (both 110).
pub const PDU_LEN: usize = 110;

/// Slow-protocols subtype of a LACPDU.
pub const SUBTYPE_LACP: u8 = 1;

/// Slow-protocols subtype of a marker PDU.
pub const SUBTYPE_MARKER: u8 = 2;

/// Marker `tlv_type`: marker information (a request to answer).
pub const MARKER_INFO: u8 = 1;

/// Marker `tlv_type`: marker response.
pub const MARKER_RESPONSE: u8 = 2;

/// Port state bits (LACP_STATE_* of if_bonding.h / 802.1AX).
pub mod state {
    /// LACP activity: active (1) or passive (0).
    pub const ACTIVITY: u8 = 0x1;
    /// LACP timeout: short (1) or long (0).
    pub const TIMEOUT: u8 = 0x2;
    /// Aggregatable (1) or individual (0).
    pub const AGGREGATION: u8 = 0x4;
    /// In sync with the partner.
    pub const SYNC: u8 = 0x8;
    /// Collecting frames.
    pub const COLLECTING: u8 = 0x10;
    /// Distributing frames.
    pub const DISTRIBUTING: u8 = 0x20;
    /// Partner information is the administrative default.
    pub const DEFAULTED: u8 = 0x40;
    /// The receive machine is in the expired state.
    pub const EXPIRED: u8 = 0x80;
}

/// Offsets inside the 110-byte PDUs.
mod off {
    pub const SUBTYPE: usize = 0;
    pub const VERSION: usize = 1;
    pub const ACTOR_TLV: usize = 2;
    pub const ACTOR: usize = 4;
    pub const PARTNER_TLV: usize = 22;
    pub const PARTNER: usize = 24;
    pub const COLLECTOR_TLV: usize = 42;
    pub const MAX_DELAY: usize = 44;
    pub const TERMINATOR_TLV: usize = 58;
    pub const MARKER_TLV_TYPE: usize = 2;
}

const TLV_ACTOR: u8 = 1;
const TLV_PARTNER: u8 = 2;
const TLV_COLLECTOR: u8 = 3;
const TLV_TERMINATOR: u8 = 0;
/// Length of the actor and of the partner information TLVs.
const INFO_LEN: u8 = 20;
/// Length of the collector information TLV.
const COLLECTOR_LEN: u8 = 16;
/// Length of the marker information/response TLV.
const MARKER_TLV_LEN: u8 = 16;
/// Version of the PDUs the C driver sends.
const VERSION_1: u8 = 1;

/// One side's parameters as a LACPDU carries them (actor or partner
/// information, without the TLV header and the reserved bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PortInfo {
    /// System priority.
    pub system_priority: u16,
    /// System id (a MAC address).
    pub system: [u8; 6],
    /// Operational key.
    pub key: u16,
    /// Port priority.
    pub port_priority: u16,
    /// Port number.
    pub port: u16,
    /// Port state, a set of [`state`] bits.
    pub state: u8,
}

/// Bytes a [`PortInfo`] takes on the wire (without the 3 reserved bytes).
const PORT_INFO_LEN: usize = 15;

impl PortInfo {
    fn encode(&self, out: &mut [u8; PORT_INFO_LEN]) {
        let [sp0, sp1] = self.system_priority.to_be_bytes();
        let [s0, s1, s2, s3, s4, s5] = self.system;
        let [k0, k1] = self.key.to_be_bytes();
        let [pp0, pp1] = self.port_priority.to_be_bytes();
        let [p0, p1] = self.port.to_be_bytes();
        *out = [
            sp0, sp1, s0, s1, s2, s3, s4, s5, k0, k1, pp0, pp1, p0, p1, self.state,
        ];
    }

    fn decode(b: &[u8; PORT_INFO_LEN]) -> PortInfo {
        let [sp0, sp1, s0, s1, s2, s3, s4, s5, k0, k1, pp0, pp1, p0, p1, st] = *b;
        PortInfo {
            system_priority: u16::from_be_bytes([sp0, sp1]),
            system: [s0, s1, s2, s3, s4, s5],
            key: u16::from_be_bytes([k0, k1]),
            port_priority: u16::from_be_bytes([pp0, pp1]),
            port: u16::from_be_bytes([p0, p1]),
            state: st,
        }
    }
}

/// The fields of a LACPDU that carry information; the TLV headers,
/// terminator and reserved bytes are implied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lacpdu {
    /// LACP version (the C driver always sends 1).
    pub version: u8,
    /// The sender's own information.
    pub actor: PortInfo,
    /// What the sender knows of its partner.
    pub partner: PortInfo,
    /// Collector max delay, in tens of microseconds (C sends 0).
    pub collector_max_delay: u16,
}

/// `N` bytes of `buf` from `at`; `None` past its end.
fn field<const N: usize>(buf: &[u8], at: usize) -> Option<&[u8; N]> {
    buf.get(at..)?.first_chunk::<N>()
}

/// Mutable `N` bytes of `buf` from `at`; `None` past its end.
fn field_mut<const N: usize>(buf: &mut [u8], at: usize) -> Option<&mut [u8; N]> {
    buf.get_mut(at..)?.first_chunk_mut::<N>()
}

/// The byte at `at` of `buf`, 0 past its end.
fn byte(buf: &[u8], at: usize) -> u8 {
    buf.get(at).copied().unwrap_or(0)
}

impl Lacpdu {
    /// What C sends: version 1, TLVs actor(1,20) partner(2,20) collector(3,16) terminator(0,0), reserved bytes zero.
    ///
    /// The version byte is `self.version` (1 for every PDU built from a
    /// port); all of `out` is overwritten.
    pub fn encode(&self, out: &mut [u8; PDU_LEN]) {
        *out = [0; PDU_LEN];
        let tlvs = [
            (off::SUBTYPE, [SUBTYPE_LACP, self.version]),
            (off::ACTOR_TLV, [TLV_ACTOR, INFO_LEN]),
            (off::PARTNER_TLV, [TLV_PARTNER, INFO_LEN]),
            (off::COLLECTOR_TLV, [TLV_COLLECTOR, COLLECTOR_LEN]),
            (off::MAX_DELAY, self.collector_max_delay.to_be_bytes()),
            (off::TERMINATOR_TLV, [TLV_TERMINATOR, 0]),
        ];
        for (at, bytes) in tlvs {
            if let Some(f) = field_mut::<2>(out, at) {
                *f = bytes;
            }
        }
        if let Some(f) = field_mut::<PORT_INFO_LEN>(out, off::ACTOR) {
            self.actor.encode(f);
        }
        if let Some(f) = field_mut::<PORT_INFO_LEN>(out, off::PARTNER) {
            self.partner.encode(f);
        }
    }

    /// Convenience: encode into a new array.
    pub fn to_bytes(self) -> [u8; PDU_LEN] {
        let mut out = [0; PDU_LEN];
        self.encode(&mut out);
        out
    }

    /// Decode a LACPDU, checking more than C does: version at least 1, the
    /// actor TLV is (1, 20) and the partner TLV is (2, 20). The collector
    /// and terminator TLVs and the reserved bytes are not checked (802.1AX
    /// receivers ignore them, and version 2 adds TLVs after them).
    fn decode(pdu: &[u8; PDU_LEN]) -> Option<Lacpdu> {
        let version = byte(pdu, off::VERSION);
        let actor_tlv = field::<2>(pdu, off::ACTOR_TLV)?;
        let partner_tlv = field::<2>(pdu, off::PARTNER_TLV)?;
        if version < VERSION_1
            || *actor_tlv != [TLV_ACTOR, INFO_LEN]
            || *partner_tlv != [TLV_PARTNER, INFO_LEN]
        {
            return None;
        }
        Some(Lacpdu {
            version,
            actor: PortInfo::decode(field(pdu, off::ACTOR)?),
            partner: PortInfo::decode(field(pdu, off::PARTNER)?),
            collector_max_delay: u16::from_be_bytes(*field(pdu, off::MAX_DELAY)?),
        })
    }
}

/// What a received slow-protocols frame (its bytes after the Ethernet header) is.
///
/// C has one `Illegal` outcome (too short); here it is split in two:
/// [`Rx::IllegalShort`] (C's case, not consumed) and [`Rx::IllegalTlv`]
/// (our extra LACPDU validation, consumed and dropped). Both are what C
/// counts as `lacpdu_illegal_rx`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rx {
    /// A valid LACPDU.
    Lacpdu(Lacpdu),
    /// A marker information PDU: answer with `response` (the same bytes with tlv_type = MARKER_RESPONSE).
    MarkerInfo {
        /// The marker response PDU to send back.
        response: [u8; PDU_LEN],
    },
    /// A marker response PDU (counted, nothing else).
    MarkerResponse,
    /// A marker PDU of another tlv_type (C: marker_unknown_rx).
    MarkerUnknown,
    /// Another slow-protocol subtype (C: lacpdu_unknown_rx; C does not consume it: it goes up the stack).
    Unknown,
    /// Shorter than [`PDU_LEN`] (C: lacpdu_illegal_rx); not consumed.
    IllegalShort,
    /// Beyond C: a LACPDU with version 0 or a malformed actor or partner
    /// TLV. Consumed (C would consume any LACPDU) and dropped.
    IllegalTlv,
}

impl Rx {
    /// Classify `payload` (bytes after the 14-byte Ethernet header).
    ///
    /// Bytes past the first [`PDU_LEN`] are ignored. C checks only the
    /// length and the subtype; LACPDUs are also validated (see
    /// [`Rx::IllegalTlv`]). Markers are classified by their tlv_type byte
    /// alone, as in C.
    pub fn parse(payload: &[u8]) -> Rx {
        let Some(pdu) = payload.first_chunk::<PDU_LEN>() else {
            return Rx::IllegalShort;
        };
        match byte(pdu, off::SUBTYPE) {
            SUBTYPE_LACP => match Lacpdu::decode(pdu) {
                Some(l) => Rx::Lacpdu(l),
                None => Rx::IllegalTlv,
            },
            SUBTYPE_MARKER => match byte(pdu, off::MARKER_TLV_TYPE) {
                MARKER_INFO => {
                    let mut response = *pdu;
                    if let Some(t) = response.get_mut(off::MARKER_TLV_TYPE) {
                        *t = MARKER_RESPONSE;
                    }
                    Rx::MarkerInfo { response }
                }
                MARKER_RESPONSE => Rx::MarkerResponse,
                _ => Rx::MarkerUnknown,
            },
            _ => Rx::Unknown,
        }
    }

    /// Whether the bond consumes the frame (C: RX_HANDLER_CONSUMED for LACPDU and marker subtypes, even malformed-TLV LACPDUs under our extra validation); `Unknown` and short (`Illegal` because of length) frames are not consumed.
    pub fn consumed(&self) -> bool {
        !matches!(self, Rx::Unknown | Rx::IllegalShort)
    }
}

/// Build a marker PDU (used by tests and a future marker generator): raw layout of bond_marker.
///
/// Version 1, marker TLV length 16 (802.1AX; C's header comment says
/// 0x16, but C never builds a marker of its own), terminator and reserved bytes zero;
/// `requester_port` and `transaction_id` are copied as given (no byte
/// order conversion, as C).
pub fn marker_bytes(
    tlv_type: u8,
    requester_port: [u8; 2],
    requester_system: [u8; 6],
    transaction_id: [u8; 4],
) -> [u8; PDU_LEN] {
    let mut out = [0; PDU_LEN];
    if let Some(f) = field_mut::<16>(&mut out, 0) {
        let [p0, p1] = requester_port;
        let [s0, s1, s2, s3, s4, s5] = requester_system;
        let [t0, t1, t2, t3] = transaction_id;
        *f = [
            SUBTYPE_MARKER,
            VERSION_1,
            tlv_type,
            MARKER_TLV_LEN,
            p0,
            p1,
            s0,
            s1,
            s2,
            s3,
            s4,
            s5,
            t0,
            t1,
            t2,
            t3,
        ];
    }
    out
}
