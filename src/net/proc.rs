// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/bonding/<master>` entries.
//!
//! Contract: a [`ProcEntry`] is created under RTNL for a registered master
//! and removed (dropped) before the master is freed; removal waits for
//! running readers, so [`ProcShow::proc_show`] always sees a live device.
//! Readers run without RTNL inside an RCU read section: they read what they
//! print through RCU or atomics.

use super::bindings;
use super::netdev::NetDevice;
use super::pernet::{self, MastersFile};
use super::rcu::RcuRead;
use super::rtnl::Rtnl;
use core::ptr::NonNull;
use kernel::ffi;

/// A master that has a proc file.
pub(crate) trait ProcShow: MastersFile {
    /// Write the file's text.
    fn proc_show(&self, dev: &NetDevice, out: &mut SeqWriter<'_>, rcu: &RcuRead);
}

/// The seq_file being filled by a show callback.
pub(crate) struct SeqWriter<'a> {
    m: NonNull<bindings::seq_file>,
    _p: core::marker::PhantomData<&'a mut ()>,
}

impl core::fmt::Write for SeqWriter<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // SAFETY: the seq_file is valid for the show call; seq_write copies
        // (and records overflow itself, so the core retries with more room).
        unsafe { bindings::rbond_seq_write(self.m.as_ptr(), s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}

/// Kernel callback (set once at registration).
///
/// # Safety
///
/// Called by the proc core for one of our entries: `master` is the device
/// the entry was created for, alive until the entry is removed.
unsafe extern "C" fn show<T: ProcShow>(
    m: *mut bindings::seq_file,
    master: *mut bindings::net_device,
) -> ffi::c_int {
    let Some(m) = NonNull::new(m) else { return 0 };
    // SAFETY: see above.
    let dev = unsafe { NetDevice::from_raw(master) };
    if let Some(t) = super::link::master_of::<T>(dev) {
        let mut w = SeqWriter {
            m,
            _p: core::marker::PhantomData,
        };
        let rcu = super::rcu::enter();
        t.proc_show(dev, &mut w, &rcu);
    }
    0
}

/// Route show callbacks to T (module init, before any entry exists).
pub(crate) fn init<T: ProcShow>() {
    // SAFETY: sets a function pointer read by the C show trampoline.
    unsafe { bindings::rbond_proc_set_show(Some(show::<T>)) }
}

/// A master's proc file; removed on drop (waits for readers).
pub(crate) struct ProcEntry(NonNull<ffi::c_void>);

// SAFETY: the entry may be removed from any process context.
unsafe impl Send for ProcEntry {}
// SAFETY: no shared access besides drop.
unsafe impl Sync for ProcEntry {}

impl ProcEntry {
    /// Create `/proc/net/bonding/<name of dev>` for master `dev` (RTNL);
    /// `None` if the directory or the file could not be made.
    pub(crate) fn new<T: ProcShow>(_rtnl: &mut Rtnl, dev: &NetDevice) -> Option<Self> {
        let dir = pernet::proc_dir::<T>(dev.net());
        if dir.is_null() || super::link::master_of::<T>(dev).is_none() {
            return None;
        }
        // SAFETY: RTNL held; dir is the namespace's directory; the entry's
        // data (the device) outlives it (removed before the device goes).
        let e = unsafe { bindings::rbond_proc_entry_add(dir, dev.as_raw()) };
        NonNull::new(e).map(ProcEntry)
    }
}

impl Drop for ProcEntry {
    fn drop(&mut self) {
        // SAFETY: created by rbond_proc_entry_add, removed once.
        unsafe { bindings::rbond_proc_entry_remove(self.0.as_ptr()) }
    }
}

/// Whether the task reading (a procfs or sysfs file) has `CAP_NET_ADMIN`
/// (C shows some 802.3ad details only to it).
pub(crate) fn reader_is_net_admin() -> bool {
    // SAFETY: `capable` only reads the current task's credentials.
    unsafe { super::bindings::rbond_capable_net_admin() }
}
