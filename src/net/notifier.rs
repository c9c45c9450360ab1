// SPDX-License-Identifier: GPL-2.0

//! Netdevice notifier (`register_netdevice_notifier`).
//!
//! Contract: [`NetdevNotifier::event`] runs for every device of every
//! namespace, under RTNL, in process context, for the events listed in
//! [`NetdevEvent`] (others are not passed on). The block lives in a static
//! declared with [`declare_notifier!`]; registering it also replays
//! `NETDEV_REGISTER`/`NETDEV_UP` for existing devices, and unregistering
//! replays their removal (the kernel's own rule).
//!
//! In 7.2 the kernel runs some events of "ops-locked" devices (dummy,
//! netdevsim, NIC drivers with queue management or shapers) with the
//! device's instance lock held, and sets no rule for most events: only
//! `NETDEV_UNREGISTER` is documented to come without it. Anything that
//! takes that lock again (ethtool queries, promiscuity, MAC or MTU changes,
//! opening or closing a device) would deadlock with RTNL held. So the
//! callback gets a [`NotifierCtx`]: a shared RTNL token always (reads,
//! [`super::link::kick`] to do the rest later), and the full `&mut Rtnl`
//! only when no instance lock can be held: for `NETDEV_UNREGISTER`, and
//! for devices that are not ops-locked.

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
    fn event(event: NetdevEvent, dev: &NetDevice, ctx: &mut NotifierCtx);
}

/// RTNL in a notifier callback (see the module docs).
pub(crate) struct NotifierCtx {
    rtnl: Rtnl,
    unlocked: bool,
}

impl NotifierCtx {
    /// RTNL, shared: enough to read RTNL-guarded state and to kick work.
    pub(crate) fn rtnl(&self) -> &Rtnl {
        &self.rtnl
    }

    /// RTNL for anything, when the event device's instance lock cannot be
    /// held by the caller; `None` otherwise.
    pub(crate) fn unlocked(&mut self) -> Option<&mut Rtnl> {
        self.unlocked.then_some(&mut self.rtnl)
    }
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
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: the device is alive for the call.
        let ops_locked = unsafe { bindings::rbond_netdev_need_ops_lock(dev.as_raw()) };
        let mut ctx = NotifierCtx {
            rtnl,
            // NETDEV_XDP_FEAT_CHANGE comes with the instance lock of any
            // device (xdp_set_features_flag), ops-locked or not.
            unlocked: ev == NetdevEvent::Unregister
                || (!ops_locked && ev != NetdevEvent::XdpFeatChange),
        };
        T::event(ev, dev, &mut ctx);
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
