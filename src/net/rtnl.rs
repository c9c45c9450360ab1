// SPDX-License-Identifier: GPL-2.0

//! Execution-context tokens: [`Process`] (sleepable process context, no lock
//! held), [`Rtnl`] (RTNL held), and the RCU read sections entered from them;
//! data guarded by RTNL ([`RtnlCell`]).
//!
//! The tokens make misuse a compile error:
//! - only this layer makes tokens, at the entry points of kernel callbacks
//!   that run in the matching context; driver code only receives them;
//! - RTNL is taken from a `&mut Process` ([`lock`], [`try_lock`],
//!   [`lock_or_restart`]), so only where sleeping is allowed;
//! - an RCU read section is entered from the RTNL token borrowed mutably for
//!   its whole length ([`Rtnl::rcu`]), so no `&mut Rtnl` (which every
//!   sleeping RTNL operation of this layer takes) can be used inside it, and
//!   the [`Process`] it came from stays borrowed by the guard; its body is a
//!   `Copy` closure, which borrows what it uses and owns nothing, so nothing
//!   can be moved into a read section and dropped there;
//! - callbacks the kernel runs inside an RCU read section or in atomic
//!   context (transmit, receive, stats, sysfs and proc readers) get an
//!   [`RcuRead`] and no other token.
//!
//! RTNL contract:
//! - An [`Rtnl`] exists only while the current thread holds RTNL: either it
//!   came from [`lock`] (and dies before the unlock), or this layer created it
//!   for the duration of a kernel callback that runs under RTNL.
//! - [`RtnlCell`] data is read with `&Rtnl` and written with `&mut Rtnl`.
//! - Every function of this layer that can call back into the driver under
//!   RTNL (register/unregister a device, ...) takes `&mut Rtnl`. So while any
//!   `RtnlCell` borrow is alive, no callback can run and make a second token:
//!   the borrows can never alias.

use super::bindings;
use super::rcu::RcuRead;
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

impl Rtnl {
    /// Run `f` inside an RCU read section. The token is borrowed mutably for
    /// the whole section and `f` only gets a shared one: no sleeping RTNL
    /// operation (they take `&mut Rtnl`) can run inside, and `f`, being
    /// `Copy`, cannot own (and so drop) anything.
    pub(crate) fn rcu<R>(&mut self, f: impl FnOnce(&RcuRead, &Rtnl) -> R + Copy) -> R {
        let rcu = super::rcu::enter();
        f(&rcu, self)
    }
}

/// Proof of sleepable process context with no lock held (a work item, a
/// sysfs store, module init). Not `Send`; made only by this layer.
pub(crate) struct Process {
    _not_send: PhantomData<*mut ()>,
}

impl Process {
    /// Make a token at the entry of a callback that runs in process context
    /// without locks.
    ///
    /// # Safety
    ///
    /// The caller must be such an entry point, and the token must not
    /// outlive the callback.
    pub(crate) unsafe fn assume() -> Self {
        Process {
            _not_send: PhantomData,
        }
    }

    /// Run `f` inside an RCU read-side critical section. `f` is `Copy`, so
    /// it cannot capture this token or any other `&mut` (nothing that would
    /// let it sleep through the section's tokens).
    pub(crate) fn rcu<R>(&mut self, f: impl FnOnce(&RcuRead) -> R + Copy) -> R {
        let rcu = super::rcu::enter();
        f(&rcu)
    }
}

/// RTNL taken by [`lock`]; released on drop. Borrows the [`Process`] it was
/// taken from, so that RTNL cannot be taken twice.
pub(crate) struct RtnlGuard<'p>(Rtnl, PhantomData<&'p mut Process>);

/// Take RTNL (sleeps). RTNL is not held: `&mut Process` says so.
pub(crate) fn lock(_p: &mut Process) -> RtnlGuard<'_> {
    // SAFETY: process context without locks (token): rtnl_lock() only sleeps.
    unsafe { bindings::rtnl_lock() };
    // SAFETY: we just took RTNL; the guard releases it when it drops, after the token.
    RtnlGuard(unsafe { Rtnl::assume_held() }, PhantomData)
}

/// Take RTNL if it is free (never sleeps on it). Used where waiting could
/// deadlock against a holder that waits for us (sysfs stores, work items
/// cancelled under RTNL).
pub(crate) fn try_lock(_p: &mut Process) -> Option<RtnlGuard<'_>> {
    // SAFETY: rtnl_trylock may be called in any sleepable context (token).
    if unsafe { bindings::rtnl_trylock() } == 0 {
        return None;
    }
    // SAFETY: we just took RTNL; the guard releases it.
    Some(RtnlGuard(unsafe { Rtnl::assume_held() }, PhantomData))
}

/// Take RTNL if free; otherwise arrange for the current system call to be
/// restarted (C's `rtnl_trylock() ... restart_syscall()` in sysfs stores)
/// and return the error to pass back.
pub(crate) fn lock_or_restart(_p: &mut Process) -> kernel::error::Result<RtnlGuard<'_>> {
    // SAFETY: rtnl_trylock may be called in any sleepable context (token).
    if unsafe { bindings::rtnl_trylock() } == 0 {
        // SAFETY: process context of a system call (sysfs store).
        let e = unsafe { bindings::rbond_restart_syscall() };
        return Err(kernel::error::Error::from_errno(e as i32));
    }
    // SAFETY: we just took RTNL; the guard releases it.
    Ok(RtnlGuard(unsafe { Rtnl::assume_held() }, PhantomData))
}

impl Drop for RtnlGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: the guard was created by one of the lock functions above,
        // so this thread holds RTNL.
        unsafe { bindings::rtnl_unlock() };
    }
}

impl Deref for RtnlGuard<'_> {
    type Target = Rtnl;
    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl DerefMut for RtnlGuard<'_> {
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
