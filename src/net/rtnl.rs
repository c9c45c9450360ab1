// SPDX-License-Identifier: GPL-2.0

//! RTNL: a token proving the lock is held, and data guarded by it.
//!
//! Contract:
//! - An [`Rtnl`] exists only while the current thread holds RTNL: either it
//!   came from [`lock`] (and dies before the unlock), or this layer created it
//!   for the duration of a kernel callback that runs under RTNL.
//! - [`RtnlCell`] data is read with `&Rtnl` and written with `&mut Rtnl`.
//! - Every function of this layer that can call back into the driver under
//!   RTNL (register/unregister a device, ...) takes `&mut Rtnl`. So while any
//!   `RtnlCell` borrow is alive, no callback can run and make a second token:
//!   the borrows can never alias.

use super::bindings;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

/// Proof that RTNL is held by the current thread. Not `Send`.
pub(crate) struct Rtnl {
    _not_send: PhantomData<*mut ()>,
}

impl Rtnl {
    /// Make a token inside a callback the kernel runs under RTNL.
    ///
    /// # Safety
    ///
    /// RTNL must be held for the token's whole life, and the caller must not
    /// be nested in code that holds a borrow of another token (true for the
    /// callback entry points of this layer, see the module docs).
    pub(crate) unsafe fn assume_held() -> Self {
        Rtnl {
            _not_send: PhantomData,
        }
    }
}

/// RTNL taken by [`lock`]; released on drop.
pub(crate) struct RtnlGuard(Rtnl);

/// Take RTNL (sleeps). Must not be called with RTNL already held.
pub(crate) fn lock() -> RtnlGuard {
    // SAFETY: process context (callers are module init and sysfs stores),
    // RTNL not held by us: rtnl_lock() only sleeps.
    unsafe { bindings::rtnl_lock() };
    // SAFETY: we just took RTNL; the guard releases it when it drops, after the token.
    RtnlGuard(unsafe { Rtnl::assume_held() })
}

/// Take RTNL if it is free (never sleeps on it). Used where waiting could
/// deadlock against a holder that waits for us (sysfs stores, work items
/// cancelled under RTNL).
pub(crate) fn try_lock() -> Option<RtnlGuard> {
    // SAFETY: rtnl_trylock may be called in any sleepable context.
    if unsafe { bindings::rtnl_trylock() } == 0 {
        return None;
    }
    // SAFETY: we just took RTNL; the guard releases it.
    Some(RtnlGuard(unsafe { Rtnl::assume_held() }))
}

/// Take RTNL if free; otherwise arrange for the current system call to be
/// restarted (C's `rtnl_trylock() ... restart_syscall()` in sysfs stores)
/// and return the error to pass back.
pub(crate) fn lock_or_restart() -> kernel::error::Result<RtnlGuard> {
    if let Some(g) = try_lock() {
        return Ok(g);
    }
    // SAFETY: process context of a system call (sysfs store).
    let e = unsafe { bindings::rbond_restart_syscall() };
    Err(kernel::error::Error::from_errno(e as i32))
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: the guard was created by `lock()`, so this thread holds RTNL.
        unsafe { bindings::rtnl_unlock() };
    }
}

impl Deref for RtnlGuard {
    type Target = Rtnl;
    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl DerefMut for RtnlGuard {
    fn deref_mut(&mut self) -> &mut Rtnl {
        &mut self.0
    }
}

/// Data that only RTNL holders touch.
pub(crate) struct RtnlCell<T>(UnsafeCell<T>);

// SAFETY: access is serialized by RTNL (see the module contract), so sharing
// the cell between threads is sound whenever T can be sent between them.
unsafe impl<T: Send> Sync for RtnlCell<T> {}

impl<T> RtnlCell<T> {
    /// A new cell.
    pub(crate) const fn new(v: T) -> Self {
        RtnlCell(UnsafeCell::new(v))
    }

    /// Shared access under RTNL.
    pub(crate) fn get<'a>(&'a self, _rtnl: &'a Rtnl) -> &'a T {
        // SAFETY: RTNL is held (token) and writers need `&mut Rtnl`, which
        // cannot coexist with the `&Rtnl` borrowed here for 'a.
        unsafe { &*self.0.get() }
    }

    /// Exclusive access under RTNL.
    pub(crate) fn get_mut<'a>(&'a self, _rtnl: &'a mut Rtnl) -> &'a mut T {
        // SAFETY: RTNL is held and the token is borrowed exclusively for 'a,
        // so no other borrow of any RtnlCell through it exists (module contract).
        unsafe { &mut *self.0.get() }
    }
}
