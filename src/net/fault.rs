// SPDX-License-Identifier: GPL-2.0

//! Fault injection points, for tests of the paths taken when memory runs
//! out: the kernel's fault-injection framework (`CONFIG_FAULT_INJECTION`,
//! `Documentation/fault-injection/fault-injection.rst`), one attribute
//! directory per point in debugfs (`/sys/kernel/debug/fail_rbond_*/`:
//! probability, times, ...). Without `CONFIG_FAULT_INJECTION_DEBUG_FS` the
//! points never fire and nothing is created.
//!
//! Contract: [`FaultPoints`] lives as long as the module (created at init,
//! removed at exit); the checks may be called from any context.

use super::bindings;

/// Whether the next allocation of a published slave list must fail
/// (`fail_rbond_slave_list`).
pub(crate) fn slave_list_fails() -> bool {
    // SAFETY: reads the fault attribute (static, any context).
    unsafe { bindings::rbond_fail_slave_list() }
}

/// The debugfs directories of the fault points; removed on drop.
pub(crate) struct FaultPoints;

impl FaultPoints {
    /// Create them (failure to create is not an error: the points then
    /// never fire).
    pub(crate) fn new() -> Self {
        // SAFETY: module init, once.
        unsafe { bindings::rbond_fault_init() };
        FaultPoints
    }
}

impl Drop for FaultPoints {
    fn drop(&mut self) {
        // SAFETY: module exit, once, after every user is gone.
        unsafe { bindings::rbond_fault_exit() };
    }
}
