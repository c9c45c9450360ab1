// SPDX-License-Identifier: GPL-2.0

//! netpoll on the lower devices of a master (netconsole over a bond).
//!
//! Contract: a [`NetpollSlot`] holds at most one `struct netpoll` attached
//! to one lower device. It is filled ([`NetpollSlot::enable`]) and emptied
//! ([`NetpollSlot::disable`]) under RTNL only; the transmit path reads it
//! locklessly inside an RCU read-side section ([`NetpollSlot::raw`]).
//! Emptying clears the pointer first and frees the netpoll with
//! `__netpoll_free`, which waits for an RCU grace period before freeing,
//! so a reader that saw the old pointer finishes with it first. The slot
//! must be emptied before it is dropped (a drop may run in a context that
//! cannot sleep, so it cannot free the netpoll itself; a slot dropped full
//! leaks its netpoll rather than free it unsafely).
//!
//! netpoll transmits with interrupts off (`netpoll_tx_running`); a master's
//! transmit then hands its packets to the chosen lower device's netpoll
//! ([`super::skb::SkBuff::xmit_on`]) instead of `dev_queue_xmit`.

use super::bindings;
use super::netdev::NetDevice;
use super::rtnl::Rtnl;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::error::{Error, Result};

/// One lower device's netpoll, if the master has netpoll on it.
pub(crate) struct NetpollSlot(AtomicPtr<bindings::netpoll>);

impl NetpollSlot {
    /// An empty slot.
    pub(crate) const fn new() -> Self {
        NetpollSlot(AtomicPtr::new(ptr::null_mut()))
    }

    /// Attach a netpoll to `dev` (RTNL): `__netpoll_setup`'s error when the
    /// device cannot do netpoll (`IFF_DISABLE_NETPOLL`: `-ENOTSUPP`). Does
    /// nothing if the slot is full already.
    pub(crate) fn enable(&self, dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        if !self.0.load(Ordering::Relaxed).is_null() {
            return Ok(());
        }
        let mut err: kernel::ffi::c_int = 0;
        // SAFETY: RTNL held (token), as __netpoll_setup requires; `dev` is
        // a live registered device; `err` is valid for writes.
        let np = unsafe { bindings::rbond_netpoll_enable(dev.as_raw(), &mut err) };
        if np.is_null() {
            return Err(Error::from_errno(if err < 0 { err } else { -12 }));
        }
        // Readers see the netpoll only once it is set up.
        self.0.store(np, Ordering::Release);
        Ok(())
    }

    /// Detach and free the netpoll, if any (RTNL; sleeps for an RCU grace
    /// period).
    pub(crate) fn disable(&self, _rtnl: &mut Rtnl) {
        let np = self.0.swap(ptr::null_mut(), Ordering::AcqRel);
        if !np.is_null() {
            // SAFETY: `np` came from rbond_netpoll_enable and is no longer
            // reachable through the slot; __netpoll_free waits for readers
            // (synchronize_net) before it frees it; RTNL held (token).
            unsafe { bindings::rbond_netpoll_free(np) };
        }
    }

    /// The netpoll for the transmit path (RCU read section of the caller;
    /// null when none).
    pub(super) fn raw(&self) -> *mut bindings::netpoll {
        self.0.load(Ordering::Acquire)
    }
}

/// Whether `dev` is used by netpoll (`dev->npinfo` set; RTNL or RCU).
pub(crate) fn has_netpoll(dev: &NetDevice) -> bool {
    // SAFETY: `dev` is alive; the helper only tests the pointer.
    unsafe { bindings::rbond_dev_has_netpoll(dev.as_raw()) }
}

/// Whether this transmit runs under netpoll (interrupts off).
#[inline]
pub(crate) fn tx_running(dev: &NetDevice) -> bool {
    // SAFETY: `dev` is alive; the helper reads the CPU's interrupt state.
    unsafe { bindings::rbond_netpoll_tx_running(dev.as_raw()) }
}

/// Let netpoll poll `lower` (`netpoll_poll_dev`), from a master's
/// `ndo_poll_controller` (interrupts off, RCU).
pub(crate) fn poll_dev(lower: &NetDevice, _rcu: &super::rcu::RcuRead) {
    // Only netpoll's own context (interrupts off) may poll.
    if !tx_running(lower) {
        return;
    }
    // SAFETY: `lower` is alive for the RCU section; netpoll_poll_dev
    // checks the device's netpoll state itself.
    unsafe { bindings::rbond_netpoll_poll_dev(lower.as_raw()) }
}
