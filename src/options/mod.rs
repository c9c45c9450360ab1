// SPDX-License-Identifier: GPL-2.0

//! Bonding options: value tables, parsing and validation.
//!
//! Kernel-independent (imports only `core`), so the host test crate compiles
//! this file as it is and `cargo test` exercises it. Every surface (module
//! parameters, sysfs, netlink, procfs) goes through these functions, so one
//! table decides what a value means everywhere.

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

pub mod masters;
pub mod netlink;
pub mod params;
pub mod procfs;
pub mod table;
pub mod targets;

/// One named value of an option, as C's `struct bond_opt_value` table rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptValue {
    /// Name accepted on input and printed on output.
    pub name: &'static str,
    /// Numeric value (also accepted on input).
    pub value: u64,
    /// Selected by the input word `default`.
    pub is_default: bool,
}

const fn v(name: &'static str, value: u64) -> OptValue {
    OptValue {
        name,
        value,
        is_default: false,
    }
}

const fn d(name: &'static str, value: u64) -> OptValue {
    OptValue {
        name,
        value,
        is_default: true,
    }
}

/// Bonding modes (`BOND_MODE_*` in `include/uapi/linux/if_bonding.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Mode {
    /// balance-rr (0).
    #[default]
    RoundRobin = 0,
    /// active-backup (1).
    ActiveBackup = 1,
    /// balance-xor (2).
    Xor = 2,
    /// broadcast (3).
    Broadcast = 3,
    /// 802.3ad (4).
    Lacp = 4,
    /// balance-tlb (5).
    Tlb = 5,
    /// balance-alb (6).
    Alb = 6,
}

/// The `mode` option's value table, in C's order.
pub const MODE_TABLE: &[OptValue] = &[
    d("balance-rr", 0),
    v("active-backup", 1),
    v("balance-xor", 2),
    v("broadcast", 3),
    v("802.3ad", 4),
    v("balance-tlb", 5),
    v("balance-alb", 6),
];

impl Mode {
    /// The mode with numeric value `n`, if any.
    pub fn from_value(n: u64) -> Option<Mode> {
        Some(match n {
            0 => Mode::RoundRobin,
            1 => Mode::ActiveBackup,
            2 => Mode::Xor,
            3 => Mode::Broadcast,
            4 => Mode::Lacp,
            5 => Mode::Tlb,
            6 => Mode::Alb,
            _ => return None,
        })
    }

    /// Whether a native XDP program may run on a bond in this mode with
    /// `xmit_hash_policy` value `policy` (C's `__bond_xdp_check`):
    /// balance-rr and active-backup always, balance-xor and 802.3ad unless
    /// the policy is vlan+srcmac (5: with VLAN offload the tag is not in the
    /// frame), never broadcast, balance-tlb or balance-alb.
    pub fn native_xdp(self, policy: u64) -> bool {
        match self {
            Mode::RoundRobin | Mode::ActiveBackup => true,
            Mode::Xor | Mode::Lacp => policy != XMIT_POLICY_VLAN_SRCMAC,
            Mode::Broadcast | Mode::Tlb | Mode::Alb => false,
        }
    }

    /// Short name, as accepted by `mode=` and shown by sysfs.
    pub fn name(self) -> &'static str {
        MODE_TABLE[self as usize].name
    }

    /// Long name, as `/proc/net/bonding/*` prints it.
    pub fn long_name(self) -> &'static str {
        match self {
            Mode::RoundRobin => "load balancing (round-robin)",
            Mode::ActiveBackup => "fault-tolerance (active-backup)",
            Mode::Xor => "load balancing (xor)",
            Mode::Broadcast => "fault-tolerance (broadcast)",
            Mode::Lacp => "IEEE 802.3ad Dynamic link aggregation",
            Mode::Tlb => "transmit load balancing",
            Mode::Alb => "adaptive load balancing",
        }
    }
}

/// `xmit_hash_policy`'s value for vlan+srcmac (`BOND_XMIT_POLICY_VLAN_SRCMAC`).
pub const XMIT_POLICY_VLAN_SRCMAC: u64 = 5;

/// Longest word compared against a table (C's `BOND_OPT_MAX_NAMELEN`).
pub const MAX_NAMELEN: usize = 32;

/// The kernel's `isspace()` (lib/ctype.c: also 0xA0, Latin-1 no-break space).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | 0xa0)
}

/// Parse `input` against `table` the way C's `bond_opt_parse` does for a
/// string value:
/// - input is cut at the first newline;
/// - if it holds only digits and white space, it is a number (leading white
///   space skipped, digits up to the first non-digit) matched against the
///   table's values, then against `range` (inclusive);
/// - otherwise its first white-space-delimited word (at most 32 bytes) is
///   matched against the names, and `default` selects the default row.
///
/// Returns the value, or `None` when C would reject the input.
pub fn parse_value(table: &[OptValue], range: Option<(u64, u64)>, input: &[u8]) -> Option<u64> {
    let input = match input.iter().position(|&b| b == b'\n') {
        Some(nl) => &input[..nl],
        None => input,
    };
    let numeric = input.iter().all(|&b| b.is_ascii_digit() || is_space(b));
    if numeric {
        let start = input.iter().position(|&b| !is_space(b))?;
        let mut value: u64 = 0;
        for &b in input[start..].iter().take_while(|b| b.is_ascii_digit()) {
            // sscanf("%llu") on overflow gives ULLONG_MAX, which no table holds.
            value = value
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(b - b'0')))
                .unwrap_or(u64::MAX);
        }
        if let Some(row) = table.iter().find(|row| row.value == value) {
            return Some(row.value);
        }
        return match range {
            Some((lo, hi)) if value >= lo && value <= hi => Some(value),
            _ => None,
        };
    }
    let start = input.iter().position(|&b| !is_space(b))?;
    let rest = &input[start..];
    let len = rest
        .iter()
        .position(|&b| is_space(b))
        .unwrap_or(rest.len())
        .min(MAX_NAMELEN);
    let word = &rest[..len];
    table
        .iter()
        .find(|row| row.name.as_bytes() == word || (word == b"default" && row.is_default))
        .map(|row| row.value)
}

/// Parse a `mode` value (name or number).
pub fn parse_mode(input: &[u8]) -> Option<Mode> {
    parse_value(MODE_TABLE, None, input).and_then(Mode::from_value)
}
