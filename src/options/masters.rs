// SPDX-License-Identifier: GPL-2.0

//! Parsing of writes to `/sys/class/net/bonding_masters`.

use super::is_space;

/// C's `IFNAMSIZ`.
pub const IFNAMSIZ: usize = 16;

/// A command written to `bonding_masters`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MastersCmd<'a> {
    /// `+name`: create a bond.
    Add(&'a [u8]),
    /// `-name`: delete a bond.
    Remove(&'a [u8]),
}

/// The kernel's `dev_valid_name()`.
pub fn dev_valid_name(name: &[u8]) -> bool {
    if name.is_empty() || name.len() >= IFNAMSIZ {
        return false;
    }
    if name == b"." || name == b".." {
        return false;
    }
    !name
        .iter()
        .any(|&b| b == b'/' || b == b':' || is_space(b) || b == 0)
}

/// Parse a write as C does: the first white-space-delimited word, at most
/// 16 bytes, is `+` or `-` followed by a valid interface name. `None` means
/// "no command found" (`-EPERM`).
pub fn parse(buf: &[u8]) -> Option<MastersCmd<'_>> {
    let start = buf.iter().position(|&b| !is_space(b))?;
    let rest = &buf[start..];
    let len = rest
        .iter()
        .position(|&b| is_space(b))
        .unwrap_or(rest.len())
        .min(IFNAMSIZ);
    let word = &rest[..len];
    // A NUL ends the C string early.
    let word = match word.iter().position(|&b| b == 0) {
        Some(n) => &word[..n],
        None => word,
    };
    if word.len() <= 1 {
        return None;
    }
    let name = &word[1..];
    if !dev_valid_name(name) {
        return None;
    }
    match word[0] {
        b'+' => Some(MastersCmd::Add(name)),
        b'-' => Some(MastersCmd::Remove(name)),
        _ => None,
    }
}

/// Parse a write to `bonding/queue_id` (`<slave>:<id>`) as C does: the
/// name is everything before the first `:` and must be a valid interface
/// name; the id is read as `sscanf("%hd")` reads it (spaces skipped, an
/// optional `-`, decimal digits up to the first non-digit, the value cut to
/// 16 bits). `None` is C's "invalid input" (`-EPERM`). The range check
/// against the bond's queues and the slave lookup are the caller's.
pub fn parse_queue_id(buf: &[u8]) -> Option<(&[u8], u16)> {
    // A NUL ends the C string.
    let buf = match buf.iter().position(|&b| b == 0) {
        Some(n) => &buf[..n],
        None => buf,
    };
    let colon = buf.iter().position(|&b| b == b':')?;
    let name = &buf[..colon];
    let mut rest = &buf[colon + 1..];
    while let Some((&c, r)) = rest.split_first() {
        if !is_space(c) {
            break;
        }
        rest = r;
    }
    let neg = rest.first() == Some(&b'-');
    if neg {
        rest = &rest[1..];
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || !dev_valid_name(name) {
        return None;
    }
    // simple_strntoll: the value wraps modulo 2^64, then `short` keeps the
    // low 16 bits.
    let v = rest[..digits].iter().fold(0u64, |a, &d| {
        a.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
    });
    let v = if neg { v.wrapping_neg() } else { v };
    Some((name, v as u16))
}

/// Formats the `bonding_masters` listing as C does: names separated by
/// spaces, the last space turned into a newline, and `++more++ ` when the
/// page has no room for another full name.
pub struct ListWriter<'a> {
    page: &'a mut [u8],
    len: usize,
    full: bool,
}

impl<'a> ListWriter<'a> {
    /// Write into `page` (the sysfs page).
    pub fn new(page: &'a mut [u8]) -> Self {
        ListWriter {
            page,
            len: 0,
            full: false,
        }
    }

    fn put(&mut self, b: &[u8]) {
        let room = self.page.len().saturating_sub(self.len);
        let n = b.len().min(room);
        self.page[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
    }

    /// Add one name; returns false once the page is full (stop iterating).
    pub fn add(&mut self, name: &[u8]) -> bool {
        if self.full {
            return false;
        }
        let size = self.page.len();
        if self.len > size.saturating_sub(IFNAMSIZ) {
            if size - self.len > 10 {
                self.len = size - 10;
            }
            self.put(b"++more++ ");
            self.full = true;
            return false;
        }
        self.put(name);
        self.put(b" ");
        true
    }

    /// Finish: the length of the text.
    pub fn finish(self) -> usize {
        if self.len > 0 {
            self.page[self.len - 1] = b'\n';
        }
        self.len
    }
}
