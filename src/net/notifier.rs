// SPDX-License-Identifier: GPL-2.0

//! Netdevice notifier (`register_netdevice_notifier`).
//!
//! Contract: [`NetdevNotifier::event`] runs for every device of every
//! namespace, under RTNL, in process context, for the events listed in
//! [`NetdevEvent`] (others are not passed on). The block lives in a static
//! declared with [`declare_notifier!`]; registering it also replays
//! `NETDEV_REGISTER`/`NETDEV_UP` for existing devices, and unregistering
//! replays their removal (the kernel's own rule).

use super::bindings;
use super::netdev::{NetDevice, NetdevEvent};
use super::rtnl::Rtnl;
use core::marker::PhantomData;
use kernel::error::{to_result, Result};
use kernel::ffi;
use kernel::types::Opaque;

/// What a netdevice notifier user provides.
pub(crate) trait NetdevNotifier: Sized + 'static {
    /// The static block (see [`declare_notifier!`]).
    fn block() -> &'static NotifierBlock<Self>;
    /// One event for `dev`, under RTNL.
    fn event(event: NetdevEvent, dev: &NetDevice, rtnl: &mut Rtnl);
}

/// A `struct notifier_block` for T.
pub(crate) struct NotifierBlock<T> {
    nb: Opaque<bindings::notifier_block>,
    _t: PhantomData<fn() -> T>,
}

// SAFETY: the kernel links the block into its chain under its own locks;
// we never touch it outside (un)registration.
unsafe impl<T> Sync for NotifierBlock<T> {}

impl<T: NetdevNotifier> NotifierBlock<T> {
    /// The block (const: lives in a static).
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zero is a valid notifier_block.
        let mut nb: bindings::notifier_block = unsafe { core::mem::zeroed() };
        nb.notifier_call = Some(call::<T>);
        NotifierBlock {
            nb: Opaque::new(nb),
            _t: PhantomData,
        }
    }
}

/// Declare the static notifier block of a [`NetdevNotifier`] type.
macro_rules! declare_notifier {
    ($t:ty, $name:ident) => {
        static $name: $crate::net::notifier::NotifierBlock<$t> =
            $crate::net::notifier::NotifierBlock::new();
    };
}
pub(crate) use declare_notifier;

/// Kernel callback.
///
/// # Safety
///
/// Called by the netdevice notifier chain (RTNL held) with a
/// `netdev_notifier_info` pointer.
unsafe extern "C" fn call<T: NetdevNotifier>(
    _nb: *mut bindings::notifier_block,
    event: ffi::c_ulong,
    ptr: *mut ffi::c_void,
) -> ffi::c_int {
    if let Some(ev) = NetdevEvent::from_raw(event) {
        // SAFETY: netdevice notifiers get a netdev_notifier_info whose
        // device is alive for the call.
        let dev = unsafe { NetDevice::from_raw(bindings::rbond_notifier_dev(ptr)) };
        // SAFETY: the netdevice chain runs under RTNL; this is an entry
        // point, so no other token borrow exists.
        let mut rtnl = unsafe { Rtnl::assume_held() };
        T::event(ev, dev, &mut rtnl);
    }
    bindings::NOTIFY_DONE as ffi::c_int
}

/// A registered notifier; unregisters on drop.
pub(crate) struct NotifierRegistration<T: NetdevNotifier> {
    _t: PhantomData<T>,
}

impl<T: NetdevNotifier> NotifierRegistration<T> {
    /// Register T's block.
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: the block is a static, registered once per module load.
        to_result(unsafe { bindings::register_netdevice_notifier(T::block().nb.get()) })?;
        Ok(NotifierRegistration { _t: PhantomData })
    }
}

impl<T: NetdevNotifier> Drop for NotifierRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::unregister_netdevice_notifier(T::block().nb.get()) };
    }
}
