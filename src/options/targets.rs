// SPDX-License-Identifier: GPL-2.0

//! The ARP (IPv4, `arp_ip_target`) and NS (IPv6, `ns_ip6_target`) target
//! tables, the address parsers their string forms go through, and C's
//! messages for rejected changes.
//!
//! Kernel-independent (imports only `core`). A table keeps C's layout: 16
//! slots in order, the used ones first, the all-zero address marking the
//! end (C's `arp_targets[]` / `ns_targets[]`). The behaviour follows
//! `bond_options.c` (`bond_option_arp_ip_targets_set` and its add / remove
//! helpers, `bond_option_ns_ip6_targets_set`), `include/net/bonding.h`
//! (`bond_is_ip_target_ok`, `bond_get_targets_ip`, ...) and
//! `net/core/utils.c` (`in4_pton`, `in6_pton` with no delimiter).
//!
//! The per-slave `target_last_arp_rx[]` array is indexed by slot, and C
//! uses the *same* array for ARP and NS targets. The kernel side keeps it
//! in step with the table: on an add it sets the new slot to now on every
//! slave, on a remove it shifts it like the table ([`Removed::shift`]), on
//! a clear it zeroes all 16 slots.

use core::fmt::{self, Write};

use super::netlink::BOND_MAX_ARP_TARGETS;
use super::procfs::{write_ipv4, write_ipv6};
use super::table::{EINVAL, EPERM};

/// Slots in a target table (`BOND_MAX_ARP_TARGETS`, also
/// `BOND_MAX_NS_TARGETS`).
pub const MAX_TARGETS: usize = BOND_MAX_ARP_TARGETS;

/// How a character reads in an address literal without a delimiter (C's
/// `xdigit2bin` with `delim` -1).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A hexadecimal digit and its value.
    Hex(u8),
    /// `:`.
    Colon,
    /// `.`.
    Dot,
    /// The end of the literal: NUL, the end of the input, or any character
    /// that is not a hex digit, `:` or `.`.
    End,
}

fn class(s: &[u8], i: usize) -> Class {
    match s.get(i).copied().unwrap_or(0) {
        b':' => Class::Colon,
        b'.' => Class::Dot,
        c @ b'0'..=b'9' => Class::Hex(c - b'0'),
        c @ b'a'..=b'f' => Class::Hex(c - b'a' + 10),
        c @ b'A'..=b'F' => Class::Hex(c - b'A' + 10),
        _ => Class::End,
    }
}

/// The input up to its first NUL (C's `strlen`).
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => s.get(..n).unwrap_or(s),
        None => s,
    }
}

/// C's `in4_pton(src, -1, dst, -1, NULL)`: a dotted-quad IPv4 address.
///
/// The input ends at a NUL or at the end of the slice. Exactly four
/// decimal octets separated by `.`, each at most 255, any number of
/// leading zeros; an empty octet fails, a hex letter fails. The address
/// ends at the first character that is not a hex digit, `.` or `:` (so
/// `"1.2.3.4\n"`, `"1.2.3.4 x"` and `"1.2.3.4:5"` give 1.2.3.4).
pub fn in4_pton(s: &[u8]) -> Option<[u8; 4]> {
    let s = c_str(s);
    let mut out = [0u8; 4];
    let mut n = 0usize;
    let mut octet: Option<u16> = None;
    let mut i = 0usize;
    loop {
        match class(s, i) {
            Class::Hex(v) if v < 10 => {
                let value = octet.unwrap_or(0) * 10 + u16::from(v);
                if value > 255 {
                    return None;
                }
                octet = Some(value);
            }
            Class::Hex(_) => return None,
            c => {
                *out.get_mut(n)? = u8::try_from(octet?).ok()?;
                octet = None;
                n += 1;
                if c != Class::Dot {
                    return (n == 4).then_some(out);
                }
                if n >= 4 {
                    return None;
                }
            }
        }
        i += 1;
    }
}

/// What may come next while reading an IPv6 literal (bit set).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Expect(u8);

impl Expect {
    /// Another hex digit of the current group.
    const HEX: u8 = 1 << 0;
    /// A `:` ending the group.
    const COLON: u8 = 1 << 1;
    /// The `:` that completes a `::`.
    const SECOND: u8 = 1 << 2;
    /// A `:` that may be the first of a `::`.
    const DOUBLE: u8 = 1 << 3;
    /// A `.`: the rest is a dotted IPv4 address.
    const DOT: u8 = 1 << 4;
    /// The end of the literal.
    const END: u8 = 1 << 5;
    /// The separator that comes next stores no group (a leading `::`, or a
    /// `::` that filled the address).
    const SKIP: u8 = 1 << 6;
    /// Any colon.
    const ANY_COLON: u8 = Self::COLON | Self::SECOND | Self::DOUBLE;

    const fn has(self, bits: u8) -> bool {
        self.0 & bits != 0
    }
}

/// C's `in6_pton(src, -1, dst, -1, NULL)`: an IPv6 address literal.
///
/// The input ends at a NUL or at the end of the slice. Groups of hex digits
/// (leading zeros allowed without limit, at most four significant digits)
/// separated by `:`, at most one `::` (which stands for one or more zero
/// groups), and optionally a dotted IPv4 address for the last 32 bits
/// (parsed by [`in4_pton`], only where 4 bytes are left, or anywhere after
/// a `::` that leaves room). The address ends at the first character that
/// is not a hex digit, `:` or `.`.
pub fn in6_pton(s: &[u8]) -> Option<[u8; 16]> {
    let s = c_str(s);
    let mut buf = [0u8; 16];
    let mut used = 0usize;
    let mut gap: Option<usize> = None;
    let mut token: Option<usize> = None;
    let mut word: u32 = 0;
    let mut exp = Expect(Expect::DOUBLE | Expect::HEX | Expect::SKIP);
    let mut i = 0usize;
    loop {
        let c = class(s, i);
        let allowed = match c {
            Class::Hex(_) => exp.has(Expect::HEX),
            Class::Colon => exp.has(Expect::ANY_COLON),
            Class::Dot => exp.has(Expect::DOT),
            Class::End => exp.has(Expect::END),
        };
        if !allowed {
            return None;
        }
        match c {
            Class::Colon | Class::End => {
                if !exp.has(Expect::SKIP) {
                    let [hi, lo] = (word as u16).to_be_bytes();
                    *buf.get_mut(used)? = hi;
                    *buf.get_mut(used + 1)? = lo;
                    used += 2;
                }
                word = 0;
                if c == Class::End {
                    break;
                }
                let colons = exp.0 & Expect::ANY_COLON;
                exp = if colons == Expect::SECOND {
                    gap = Some(used);
                    let mut e = Expect::HEX | Expect::END;
                    if used >= buf.len() {
                        e |= Expect::SKIP;
                    }
                    Expect(e)
                } else if colons == Expect::COLON | Expect::DOUBLE {
                    Expect(Expect::HEX | Expect::SECOND)
                } else if colons == Expect::COLON {
                    Expect(Expect::HEX)
                } else if colons == Expect::DOUBLE {
                    Expect(Expect::SECOND)
                } else {
                    Expect(0)
                };
                token = Some(i + 1);
            }
            Class::Dot => {
                let from = token.unwrap_or(i);
                let v4 = in4_pton(s.get(from..)?)?;
                buf.get_mut(used..used + 4)?.copy_from_slice(&v4);
                used += 4;
                break;
            }
            Class::Hex(v) => {
                word = (word << 4) | u32::from(v);
                let mut e = Expect::COLON | Expect::END;
                if word & 0xf000 == 0 {
                    e |= Expect::HEX;
                }
                if gap.is_none() && used + 2 < buf.len() {
                    e |= Expect::DOUBLE;
                    e &= !Expect::END;
                }
                if used + 2 >= buf.len() {
                    e &= !(Expect::COLON | Expect::DOUBLE);
                }
                exp = Expect(e);
            }
        }
        if (gap.is_some() && used + 4 < buf.len()) || used + 4 == buf.len() {
            exp.0 |= Expect::DOT;
        }
        if used >= buf.len() {
            exp.0 &= !(Expect::HEX | Expect::ANY_COLON);
        }
        i += 1;
    }

    match gap {
        // Without `::` the loop only ends once all 16 bytes are read.
        None => Some(buf),
        Some(gap) => {
            // The groups after the `::` go to the end, zeros fill the gap.
            let mut out = [0u8; 16];
            let head = buf.get(..gap)?;
            let tail = buf.get(gap..used)?;
            out.get_mut(..gap)?.copy_from_slice(head);
            let start = out.len().checked_sub(tail.len())?;
            out.get_mut(start..)?.copy_from_slice(tail);
            Some(out)
        }
    }
}

/// C's `bond_is_ip_target_ok`: neither the limited broadcast
/// 255.255.255.255 nor in 0.0.0.0/8.
pub fn ip_target_ok(a: [u8; 4]) -> bool {
    a != [255; 4] && a[0] != 0
}

/// C's `bond_is_ip6_target_ok`: neither `::`, `::1` nor multicast
/// (`ff00::/8`).
pub fn ip6_target_ok(a: &[u8; 16]) -> bool {
    let mut loopback = [0u8; 16];
    loopback[15] = 1;
    *a != [0u8; 16] && *a != loopback && a[0] != 0xff
}

/// The solicited-node multicast address of `a` (C's
/// `addrconf_addr_solict_mult`): `ff02::1:ffXX:XXXX` with the last 24 bits
/// of `a`.
pub fn solicited_node(a: &[u8; 16]) -> [u8; 16] {
    let mut m = [0u8; 16];
    m[0] = 0xff;
    m[1] = 0x02;
    m[11] = 0x01;
    m[12] = 0xff;
    m[13] = a[13];
    m[14] = a[14];
    m[15] = a[15];
    m
}

/// A target address, as carried by a [`TargetError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addr {
    /// An IPv4 (ARP) target.
    V4([u8; 4]),
    /// An IPv6 (NS) target.
    V6([u8; 16]),
}

impl Addr {
    /// Writes the address as C prints it (`%pI4`, `%pI6c`).
    pub fn write(&self, out: &mut impl Write) -> fmt::Result {
        match self {
            Addr::V4(a) => write_ipv4(out, a),
            Addr::V6(a) => write_ipv6(out, a),
        }
    }

    /// The table's name in C's messages: `ARP` or `NS`.
    pub fn kind(&self) -> &'static str {
        match self {
            Addr::V4(_) => "ARP",
            Addr::V6(_) => "NS",
        }
    }
}

/// The address types a [`Targets`] table holds: `[u8; 4]` (IPv4) and
/// `[u8; 16]` (IPv6).
pub trait TargetAddr: Copy + Eq {
    /// The address in a [`TargetError`].
    fn addr(&self) -> Addr;
    /// Acceptable as a target ([`ip_target_ok`], [`ip6_target_ok`]).
    fn target_ok(&self) -> bool;
    /// A table lookup for `self` stops at a slot holding `slot`: equal, or
    /// for IPv6 also the slot's solicited-node multicast address (C's
    /// `bond_get_targets_ip6`).
    fn matches_slot(&self, slot: &Self) -> bool;
}

impl TargetAddr for [u8; 4] {
    fn addr(&self) -> Addr {
        Addr::V4(*self)
    }

    fn target_ok(&self) -> bool {
        ip_target_ok(*self)
    }

    fn matches_slot(&self, slot: &Self) -> bool {
        self == slot
    }
}

impl TargetAddr for [u8; 16] {
    fn addr(&self) -> Addr {
        Addr::V6(*self)
    }

    fn target_ok(&self) -> bool {
        ip6_target_ok(self)
    }

    fn matches_slot(&self, slot: &Self) -> bool {
        self == slot || *self == solicited_node(slot)
    }
}

/// Why a target change failed, with C's errno and `netdev_err` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetError {
    /// `-EINVAL` "invalid ARP target %pI4 specified for addition" /
    /// "invalid NS target %pI6c specified for addition".
    InvalidAdd(Addr),
    /// `-EINVAL` "ARP target %pI4 is already present" / "NS target %pI6c is
    /// already present".
    Duplicate(Addr),
    /// `-EINVAL` "ARP target table is full!" / "NS target table is full!"
    /// (the address is the one that did not fit; not printed).
    Full(Addr),
    /// `-EINVAL` "invalid ARP target %pI4 specified for removal" (the NS
    /// form is rbond's: C cannot remove one NS target).
    InvalidRemove(Addr),
    /// `-EINVAL` "unable to remove nonexistent ARP target %pI4" (the NS form
    /// is rbond's).
    NotFound(Addr),
    /// `-EPERM` "invalid ARP target specified": the sysfs string is empty
    /// or holds no IPv4 address after its first character.
    BadAddress,
    /// `-EPERM` "no command found in arp_ip_targets file - use `+<addr>` or
    /// `-<addr>`": a valid address not preceded by `+` or `-`.
    NoCommand,
}

impl TargetError {
    /// The errno, positive (the syscall returns its negation).
    pub fn errno(&self) -> i32 {
        match self {
            TargetError::BadAddress | TargetError::NoCommand => EPERM,
            _ => EINVAL,
        }
    }

    /// Writes the message C logs (`netdev_err`, without the device prefix
    /// and the newline).
    pub fn write(&self, out: &mut impl Write) -> fmt::Result {
        match self {
            TargetError::InvalidAdd(a) => {
                write!(out, "invalid {} target ", a.kind())?;
                a.write(out)?;
                out.write_str(" specified for addition")
            }
            TargetError::Duplicate(a) => {
                write!(out, "{} target ", a.kind())?;
                a.write(out)?;
                out.write_str(" is already present")
            }
            TargetError::Full(a) => write!(out, "{} target table is full!", a.kind()),
            TargetError::InvalidRemove(a) => {
                write!(out, "invalid {} target ", a.kind())?;
                a.write(out)?;
                out.write_str(" specified for removal")
            }
            TargetError::NotFound(a) => {
                write!(out, "unable to remove nonexistent {} target ", a.kind())?;
                a.write(out)
            }
            TargetError::BadAddress => out.write_str("invalid ARP target specified"),
            TargetError::NoCommand => {
                out.write_str("no command found in arp_ip_targets file - use +<addr> or -<addr>")
            }
        }
    }
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

/// A successful removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The slot the target was in.
    pub slot: usize,
    /// C warns "Removing last arp target with arp_interval on"
    /// (`netdev_warn`, [`WARN_LAST_ARP_TARGET`](super::netlink::WARN_LAST_ARP_TARGET)):
    /// the target was in slot 0, slot 1 was empty and `arp_interval` is
    /// not 0. The warning comes before the table changes.
    pub last_warning: bool,
    /// Targets left in the table.
    pub remaining: usize,
}

impl Removed {
    /// Shifts a per-slot array (a slave's `target_last_arp_rx`) as C does
    /// for this removal: the slots after [`Removed::slot`] that held
    /// targets move down by one and the last of them becomes `empty`.
    pub fn shift<T: Copy>(&self, vals: &mut [T; MAX_TARGETS], empty: T) {
        shift_out(vals, self.slot, self.remaining + 1, empty);
    }
}

/// Removes slot `slot` of the first `used` entries of `vals`, moving the
/// later ones down and emptying the last.
fn shift_out<T: Copy>(vals: &mut [T], slot: usize, used: usize, empty: T) {
    let used = used.min(vals.len());
    if let Some(part) = vals.get_mut(slot..used) {
        if !part.is_empty() {
            part.rotate_left(1);
        }
        if let Some(last) = part.last_mut() {
            *last = empty;
        }
    }
}

/// A target table: slots in order, the empty value (all zero) ending the
/// used part, as C's arrays. `N` is 4 ([`ArpTargets`]) or 16
/// ([`NsTargets`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets<const N: usize> {
    slots: [[u8; N]; MAX_TARGETS],
}

/// The ARP (IPv4) target table (`arp_ip_target`).
pub type ArpTargets = Targets<4>;
/// The NS (IPv6) target table (`ns_ip6_target`).
pub type NsTargets = Targets<16>;

impl<const N: usize> Default for Targets<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Targets<N> {
    /// An empty table.
    pub const fn new() -> Self {
        Targets {
            slots: [[0; N]; MAX_TARGETS],
        }
    }

    fn is_unset(a: &[u8; N]) -> bool {
        a.iter().all(|&b| b == 0)
    }

    /// A table holding exactly these slots (a published copy read back).
    pub const fn from_slots(slots: [[u8; N]; MAX_TARGETS]) -> Self {
        Targets { slots }
    }

    /// Every slot, empty ones included (to publish a copy).
    pub const fn slots(&self) -> &[[u8; N]; MAX_TARGETS] {
        &self.slots
    }

    /// The target in slot `i`, `None` for an empty slot or one out of range.
    pub fn get(&self, i: usize) -> Option<[u8; N]> {
        self.slots.get(i).copied().filter(|a| !Self::is_unset(a))
    }

    /// The targets, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = [u8; N]> + '_ {
        self.slots
            .iter()
            .copied()
            .take_while(|a| !Self::is_unset(a))
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// No targets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the table (C's `bond_option_arp_ip_targets_clear` /
    /// `bond_option_ns_ip6_targets_clear`; the caller zeroes every slave's
    /// `target_last_arp_rx`).
    pub fn clear(&mut self) {
        self.slots = [[0; N]; MAX_TARGETS];
    }
}

impl<const N: usize> Targets<N>
where
    [u8; N]: TargetAddr,
{
    /// C's `bond_get_targets_ip` / `bond_get_targets_ip6`: the first slot,
    /// scanning from 0, that matches `a` ([`TargetAddr::matches_slot`]);
    /// the scan stops after the first empty slot. So looking up the empty
    /// address gives the first free slot (how C finds where to add), and for
    /// IPv6 an address equal to a slot's solicited-node multicast address
    /// (`ff02::1:ff00:0` for an empty slot) matches that slot.
    pub fn find(&self, a: &[u8; N]) -> Option<usize> {
        for (i, slot) in self.slots.iter().enumerate() {
            if a.matches_slot(slot) {
                return Some(i);
            }
            if Self::is_unset(slot) {
                break;
            }
        }
        None
    }

    /// Adds `a` with C's checks in C's order: an acceptable target
    /// ([`TargetError::InvalidAdd`]), not already present
    /// ([`TargetError::Duplicate`]), a free slot ([`TargetError::Full`]).
    /// Returns the slot it went to (the caller sets that slot of every
    /// slave's `target_last_arp_rx` to now).
    pub fn add(&mut self, a: [u8; N]) -> Result<usize, TargetError> {
        if !a.target_ok() {
            return Err(TargetError::InvalidAdd(a.addr()));
        }
        if self.find(&a).is_some() {
            return Err(TargetError::Duplicate(a.addr()));
        }
        let slot = self.find(&[0; N]).ok_or(TargetError::Full(a.addr()))?;
        let dst = self
            .slots
            .get_mut(slot)
            .ok_or(TargetError::Full(a.addr()))?;
        *dst = a;
        Ok(slot)
    }

    /// Removes `a` with C's checks (`bond_option_arp_ip_target_rem`): an
    /// acceptable target ([`TargetError::InvalidRemove`]), present
    /// ([`TargetError::NotFound`]). The later targets move down one slot
    /// (the caller does the same to every slave's `target_last_arp_rx` with
    /// [`Removed::shift`]). `arp_interval` decides
    /// [`Removed::last_warning`]. C has no single NS target removal; for
    /// IPv6 this is rbond's.
    pub fn remove(&mut self, a: [u8; N], arp_interval: u64) -> Result<Removed, TargetError> {
        if !a.target_ok() {
            return Err(TargetError::InvalidRemove(a.addr()));
        }
        let slot = self.find(&a).ok_or(TargetError::NotFound(a.addr()))?;
        let used = self.len();
        let last_warning = slot == 0 && self.get(1).is_none() && arp_interval != 0;
        shift_out(&mut self.slots, slot, used, [0; N]);
        Ok(Removed {
            slot,
            last_warning,
            remaining: used.saturating_sub(1),
        })
    }
}

/// A command written to the sysfs `arp_ip_target` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetCmd {
    /// `+a.b.c.d`: add the target.
    Add([u8; 4]),
    /// `-a.b.c.d`: remove the target.
    Remove([u8; 4]),
}

/// What an applied [`TargetCmd`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Added in this slot.
    Added(usize),
    /// Removed.
    Removed(Removed),
}

impl TargetCmd {
    /// Applies the command to `t` ([`Targets::add`] / [`Targets::remove`]).
    pub fn apply(self, t: &mut ArpTargets, arp_interval: u64) -> Result<Applied, TargetError> {
        match self {
            TargetCmd::Add(a) => t.add(a).map(Applied::Added),
            TargetCmd::Remove(a) => t.remove(a, arp_interval).map(Applied::Removed),
        }
    }
}

/// C's string path of `bond_option_arp_ip_targets_set`: `raw` is what was
/// written to sysfs (up to a NUL; a trailing newline is fine, it ends the
/// address). The address after the first character is parsed first
/// ([`in4_pton`]), so an empty string or a bad address is
/// [`TargetError::BadAddress`] whatever the first character; then `+` adds,
/// `-` removes, anything else is [`TargetError::NoCommand`].
pub fn parse_arp_cmd(raw: &[u8]) -> Result<TargetCmd, TargetError> {
    let s = c_str(raw);
    let (&cmd, rest) = s.split_first().ok_or(TargetError::BadAddress)?;
    let a = in4_pton(rest).ok_or(TargetError::BadAddress)?;
    match cmd {
        b'+' => Ok(TargetCmd::Add(a)),
        b'-' => Ok(TargetCmd::Remove(a)),
        _ => Err(TargetError::NoCommand),
    }
}

/// The target a numeric option value stands for (netlink, module
/// parameters): its low 32 bits in memory order, as C's `__be32 target =
/// newval->value` (the inverse of
/// [`arp_target_value`](super::netlink::arp_target_value)).
pub fn arp_target_from_value(v: u64) -> [u8; 4] {
    (v as u32).to_ne_bytes()
}

/// The sysfs `arp_ip_target` text (`bonding_show_arp_targets`): the
/// targets in dotted decimal separated by spaces and ending with a newline,
/// nothing at all when there are none.
pub fn write_arp_targets(out: &mut impl Write, t: &ArpTargets) -> fmt::Result {
    let mut any = false;
    for a in t.iter() {
        if any {
            out.write_char(' ')?;
        }
        write_ipv4(out, &a)?;
        any = true;
    }
    if any {
        out.write_char('\n')?;
    }
    Ok(())
}
