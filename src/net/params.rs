// SPDX-License-Identifier: GPL-2.0

//! Module parameters. They are declared in `helpers.c` with C's names,
//! types and permissions (so `modinfo`, the kernel's own integer parsing and
//! its messages match C); this reads them. Load-time only (permissions 0).

use super::bindings;
use kernel::str::CStrExt;

/// `max_bonds`.
pub(crate) fn max_bonds() -> i32 {
    // SAFETY: plain read of a module-owned int, written only by the kernel
    // before init and by `set_max_bonds` during init.
    unsafe { bindings::rbond_param_max_bonds() }
}

/// Store the corrected `max_bonds` (C resets the variable itself).
pub(crate) fn set_max_bonds(v: i32) {
    // SAFETY: called from module init only; nothing reads it concurrently.
    unsafe { bindings::rbond_param_set_max_bonds(v) }
}

/// `tx_queues`.
pub(crate) fn tx_queues() -> i32 {
    // SAFETY: as for max_bonds.
    unsafe { bindings::rbond_param_tx_queues() }
}

/// `mode`, if given: the string's bytes (the kernel keeps it for the module's life).
pub(crate) fn mode() -> Option<&'static [u8]> {
    // SAFETY: charp module parameter: NULL or a NUL-terminated string that
    // the kernel frees only at module unload, after all our code has run.
    unsafe {
        let p = bindings::rbond_param_mode();
        if p.is_null() {
            None
        } else {
            Some(core::ffi::CStr::from_char_ptr(p).to_bytes())
        }
    }
}
