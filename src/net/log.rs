// SPDX-License-Identifier: GPL-2.0

//! Kernel log messages without the module-name prefix.
//!
//! `pr_*!` from the `kernel` crate always print "bonding: ". C's bonding
//! prints that prefix only from some files (bond_sysfs.c defines `pr_fmt`,
//! bond_main.c does not), and users and scripts match the exact text, so
//! rbond uses `pr_*!` where C has the prefix and these macros where it has not.

use super::bindings;

/// printk level prefixes (`KERN_*`), as NUL-terminated `"<SOH><level>%pA"` formats.
pub(crate) const ERR: &[u8; 6] = b"\x013%pA\0";
/// `KERN_WARNING`.
pub(crate) const WARNING: &[u8; 6] = b"\x014%pA\0";
/// `KERN_INFO`.
pub(crate) const INFO: &[u8; 6] = b"\x016%pA\0";

/// Print `args` at `level` (one of the constants above), no prefix.
pub(crate) fn bare(level: &'static [u8; 6], args: core::fmt::Arguments<'_>) {
    // SAFETY: `level` is one of our fixed formats with a single `%pA`, which
    // printk renders by formatting the `fmt::Arguments` we pass by pointer;
    // `args` lives across the call.
    unsafe {
        bindings::_printk(
            level.as_ptr(),
            core::ptr::from_ref(&args).cast::<core::ffi::c_void>(),
        );
    }
}

/// `net_ratelimit()`: whether a networking message may be printed now (the
/// kernel's shared limit for messages a packet or a peer can trigger).
pub(crate) fn net_ratelimit() -> bool {
    // SAFETY: no arguments; takes the kernel's own lock.
    unsafe { bindings::rbond_net_ratelimit() }
}

/// `pr_err` without the module prefix.
macro_rules! bare_err {
    ($($arg:tt)*) => { $crate::net::log::bare($crate::net::log::ERR, ::kernel::prelude::fmt!($($arg)*)) };
}
/// `pr_warn` without the module prefix.
macro_rules! bare_warn {
    ($($arg:tt)*) => { $crate::net::log::bare($crate::net::log::WARNING, ::kernel::prelude::fmt!($($arg)*)) };
}
/// `pr_info` without the module prefix (C's `netdev_info`/`slave_info` text).
macro_rules! bare_info {
    ($($arg:tt)*) => { $crate::net::log::bare($crate::net::log::INFO, ::kernel::prelude::fmt!($($arg)*)) };
}
pub(crate) use {bare_err, bare_info, bare_warn};
