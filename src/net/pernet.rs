// SPDX-License-Identifier: GPL-2.0

//! Per-network-namespace state: `/sys/class/net/bonding_masters` and the
//! cleanup of a dying namespace's masters.
//!
//! Contract: `init` runs for every namespace (existing ones at registration),
//! `pre_exit` removes the sysfs file before any master of the namespace is
//! destroyed (so no show/store can race with destruction), `exit_rtnl`
//! queues the namespace's remaining masters for unregistration under RTNL.

use super::bindings;
use super::link::{self, MasterOps};
use super::netdev::Net;
use super::rtnl::Process;
use super::sysfs::ShowBuf;
use core::marker::PhantomData;
use kernel::error::{to_result, Result};
use kernel::ffi;
use kernel::types::Opaque;

/// What a driver does with `bonding_masters`.
pub(crate) trait MastersFile: MasterOps {
    /// Fill the page for a read (under RCU: must not sleep).
    fn show(net: &Net, buf: &mut ShowBuf<'_>);
    /// Handle a write (process context, no lock held: may take RTNL).
    /// Returns the errno to report, or `Ok` to accept the whole write.
    fn store(net: &Net, input: &[u8], p: &mut Process) -> Result;
    /// The pernet tables (see [`declare_pernet!`]).
    fn pernet() -> &'static PernetTables<Self>;
}

/// The C tables of the per-namespace state. Lives in a `static`.
pub(crate) struct PernetTables<T> {
    ops: Opaque<bindings::pernet_operations>,
    id: Opaque<ffi::c_uint>,
    _t: PhantomData<fn() -> T>,
}

// SAFETY: the kernel writes `id` once at registration and the ops' list under
// its pernet lock; we only read through the Opaque's raw pointers.
unsafe impl<T> Sync for PernetTables<T> {}

impl<T: MastersFile> PernetTables<T> {
    /// Build the tables. `this` must be the address of the static being built.
    pub(crate) const fn new(this: *const PernetTables<T>) -> Self {
        // SAFETY: all-zero is a valid pernet_operations (callbacks NULL).
        let mut ops: bindings::pernet_operations = unsafe { core::mem::zeroed() };
        ops.init = Some(net_init::<T>);
        ops.pre_exit = Some(net_pre_exit::<T>);
        ops.exit_rtnl = Some(net_exit_rtnl::<T>);
        ops.exit = Some(net_exit::<T>);
        // SAFETY: `this` points to the static under construction; we only
        // compute the address of its `id` field, we do not read it.
        ops.id = unsafe { Opaque::cast_into(core::ptr::addr_of!((*this).id)) };
        ops.size = core::mem::size_of::<bindings::rbond_net>();
        PernetTables {
            ops: Opaque::new(ops),
            id: Opaque::new(0),
            _t: PhantomData,
        }
    }
}

/// Declare the static pernet tables of a [`MastersFile`] type.
macro_rules! declare_pernet {
    ($t:ty, $name:ident) => {
        static $name: $crate::net::pernet::PernetTables<$t> =
            $crate::net::pernet::PernetTables::new(&$name);
    };
}
pub(crate) use declare_pernet;

/// The per-namespace struct of `net`.
///
/// # Safety
///
/// The pernet ops of T must be registered and `net` alive.
unsafe fn rbond_net<T: MastersFile>(net: *mut bindings::net) -> *mut bindings::rbond_net {
    // SAFETY: id was assigned by register_pernet_subsys; net_generic returns
    // our zero-initialized area of `size` bytes for this namespace.
    unsafe { bindings::rbond_net_generic(net, *T::pernet().id.get()).cast() }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel (pernet core or the sysfs file of `helpers.c`)
/// for a live namespace, after our pernet registration assigned the id.
unsafe extern "C" fn net_init<T: MastersFile>(net: *mut bindings::net) -> ffi::c_int {
    // SAFETY: called by the pernet core for a live namespace after our
    // registration assigned the id.
    unsafe {
        let bn = rbond_net::<T>(net);
        (*bn).net = net;
        (*bn).masters_show = Some(masters_show::<T>);
        (*bn).masters_store = Some(masters_store::<T>);
        (*bn).proc_dir = bindings::rbond_proc_dir_create(net);
        if (*bn).proc_dir.is_null() {
            crate::net::log::bare_warn!("bonding: Warning: Cannot create /proc/net/bonding\n");
        }
        let r = bindings::rbond_masters_create(bn);
        if r != 0 && !(*bn).proc_dir.is_null() {
            bindings::rbond_proc_dir_remove(net);
            (*bn).proc_dir = core::ptr::null_mut();
        }
        r
    }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel (pernet core or the sysfs file of `helpers.c`)
/// for a live namespace, after our pernet registration assigned the id.
unsafe extern "C" fn net_pre_exit<T: MastersFile>(net: *mut bindings::net) {
    // SAFETY: the namespace is alive; removing the file waits for running
    // show/store calls to finish.
    unsafe { bindings::rbond_masters_destroy(rbond_net::<T>(net)) }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel (pernet core or the sysfs file of `helpers.c`)
/// for a live namespace, after our pernet registration assigned the id.
unsafe extern "C" fn net_exit_rtnl<T: MastersFile>(
    net: *mut bindings::net,
    kill_list: *mut bindings::list_head,
) {
    // SAFETY: exit_rtnl runs under RTNL with the namespace's kill list.
    unsafe { link::queue_unregister_all::<T>(Net::from_raw(net), kill_list) }
}

/// `exit` (after the masters are gone): remove /proc/net/bonding.
///
/// # Safety
///
/// Called by the pernet core for a dying namespace after exit_rtnl.
unsafe extern "C" fn net_exit<T: MastersFile>(net: *mut bindings::net) {
    // SAFETY: our area of a namespace still alive during exit.
    unsafe {
        let bn = rbond_net::<T>(net);
        if !(*bn).proc_dir.is_null() {
            bindings::rbond_proc_dir_remove(net);
            (*bn).proc_dir = core::ptr::null_mut();
        }
    }
}

/// The namespace's /proc/net/bonding directory (null if it could not be made).
pub(super) fn proc_dir<T: MastersFile>(net: &Net) -> *mut ffi::c_void {
    // SAFETY: `net` is alive (borrow) and has our area (registered module).
    unsafe { (*rbond_net::<T>(net.as_raw())).proc_dir }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel (pernet core or the sysfs file of `helpers.c`)
/// for a live namespace, after our pernet registration assigned the id.
unsafe extern "C" fn masters_show<T: MastersFile>(net: *mut bindings::net, buf: *mut u8) -> isize {
    // SAFETY: sysfs show: `buf` is the page; the file exists only while the
    // namespace is alive (removed in pre_exit).
    let (net, mut page) = unsafe { (Net::from_raw(net), ShowBuf::from_raw(buf)) };
    // for_each_master inside T::show takes the RCU read lock itself.
    T::show(net, &mut page);
    page.len() as isize
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel (pernet core or the sysfs file of `helpers.c`)
/// for a live namespace, after our pernet registration assigned the id.
unsafe extern "C" fn masters_store<T: MastersFile>(
    net: *mut bindings::net,
    buf: *const u8,
    count: usize,
) -> isize {
    // SAFETY: sysfs store: `buf` holds `count` readable bytes; the namespace
    // is alive (see masters_show).
    let (net, input) = unsafe { (Net::from_raw(net), core::slice::from_raw_parts(buf, count)) };
    // SAFETY: a sysfs store runs in process context without locks.
    let mut p = unsafe { Process::assume() };
    match T::store(net, input, &mut p) {
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// Registration of the pernet state (and so of every `bonding_masters` file).
pub(crate) struct PernetRegistration<T: MastersFile> {
    _t: PhantomData<T>,
}

impl<T: MastersFile> PernetRegistration<T> {
    /// Register; runs `init` for every existing namespace.
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: the tables live in a static, registered once.
        to_result(unsafe { bindings::register_pernet_subsys(T::pernet().ops.get()) })?;
        Ok(PernetRegistration { _t: PhantomData })
    }
}

impl<T: MastersFile> Drop for PernetRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::unregister_pernet_subsys(T::pernet().ops.get()) }
    }
}
