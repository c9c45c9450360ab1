// SPDX-License-Identifier: GPL-2.0

//! A spinlock that disables bottom halves while held (`spin_lock_bh`).
//!
//! Contract: [`BhSpinLock`] is the kernel crate's [`Lock`] over a
//! `spinlock_t`, with a backend that takes it with `spin_lock_bh`, or with
//! a plain `spin_lock` where bottom halves are off already (the transmit
//! path, softirq: `softirq_count()` non-zero) or interrupts are (netpoll's
//! transmit, where turning bottom halves on again is not allowed), which
//! spares the hot path
//! the cost of turning them on again; the guard remembers which. Holding
//! the guard keeps softirqs off on this CPU, so the same lock can be taken
//! from process context (work items, RTNL paths), from the transmit path
//! (bottom halves already off) and from the receive softirq without a
//! deadlock between them. Like any spinlock, the guard must not be held
//! across a sleep: the guard is not `Send`, and code holding it runs no
//! sleeping call (checked by `might_sleep` on debug kernels). Not for hard
//! interrupt context.

use kernel::prelude::Init;
use kernel::sync::lock::{Backend, Lock};

/// A `spinlock_t` taken with bottom halves disabled.
pub(crate) type BhSpinLock<T> = Lock<T, BhSpinLockBackend>;

/// Make a [`BhSpinLock`] initializer (lockdep class per call site).
macro_rules! new_bh_spinlock {
    ($inner:expr, $name:literal $(,)?) => {
        $crate::net::bhlock::BhSpinLock::new(
            $inner,
            kernel::c_str!($name),
            kernel::static_lock_class!(),
        )
    };
}
pub(crate) use new_bh_spinlock;

/// The backend of [`BhSpinLock`].
pub(crate) struct BhSpinLockBackend;

// SAFETY: the kernel's spinlock_t gives mutual exclusion; lock/unlock are
// paired on the same lock by the Guard, and `relock` keeps the default
// (always the same locking call).
unsafe impl Backend for BhSpinLockBackend {
    type State = kernel::bindings::spinlock_t;
    /// Whether taking the lock turned bottom halves off (they were on).
    type GuardState = bool;

    unsafe fn init(
        ptr: *mut Self::State,
        name: *const kernel::ffi::c_char,
        key: *mut kernel::bindings::lock_class_key,
    ) {
        // SAFETY: the caller gives a pointer valid for writes and a name
        // and key valid forever (Backend::init's contract).
        unsafe { kernel::bindings::__spin_lock_init(ptr, name, key) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: `ptr` is an initialised spinlock (Backend::lock's contract).
        unsafe { super::bindings::rbond_spin_lock_bh(ptr.cast()) }
    }

    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        // SAFETY: as for `lock`.
        match unsafe { super::bindings::rbond_spin_trylock_bh(ptr.cast()) } {
            1 => Some(false),
            2 => Some(true),
            _ => None,
        }
    }

    unsafe fn unlock(ptr: *mut Self::State, bh: &Self::GuardState) {
        // SAFETY: the caller owns the lock, taken by `lock`/`try_lock`,
        // which said whether bottom halves are to be turned on again.
        unsafe { super::bindings::rbond_spin_unlock_bh(ptr.cast(), *bh) }
    }

    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: `ptr` is an initialised spinlock.
        unsafe { kernel::bindings::spin_assert_is_held(ptr) }
    }
}

/// An initializer that writes a copy of `*v` straight into its place (one
/// memcpy, no temporary on the stack): for values too large for a kernel
/// stack, kept as a `'static` made at compile time.
pub(crate) fn copy_from_static<T: Copy + 'static>(v: &'static T) -> impl Init<T> {
    // SAFETY: the closure fully initialises the slot with a bitwise copy of
    // a valid `T`, which is a valid `T` because `T: Copy`; it never fails,
    // so nothing is left half-initialised.
    unsafe {
        pin_init::init_from_closure(move |slot: *mut T| {
            core::ptr::copy_nonoverlapping(v, slot, 1);
            Ok(())
        })
    }
}
