// SPDX-License-Identifier: GPL-2.0

//! RCU-published shared objects.
//!
//! Contract:
//! - [`RcuRead`] proves the current thread is inside an RCU read-side
//!   critical section. Driver code never makes one: it gets `&RcuRead` in
//!   callbacks the kernel runs under RCU or in atomic context (transmit,
//!   receive, stats, sysfs/proc readers), or inside a section entered from
//!   the RTNL token ([`super::rtnl::Rtnl::rcu`]), which cannot use a
//!   sleeping `&mut` token (see `rtnl`).
//! - [`RcuArc`] holds an optional `Arc<T>` that readers dereference under
//!   [`RcuRead`] without locks, and writers replace under RTNL. A replaced
//!   object's reference is dropped by an RCU callback after a grace period,
//!   so no reader can still see it when it goes; the replacement itself
//!   needs `&mut Rtnl`, so it never happens inside a read section.

use super::bindings;
use super::rtnl::Rtnl;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::sync::Arc;

/// Proof of an RCU read-side critical section. Not `Send`.
pub(crate) struct RcuRead {
    owned: bool,
    _not_send: PhantomData<*mut ()>,
}

/// Enter an RCU read-side critical section (never sleeps; must not sleep
/// inside). Only for this layer: callers hand the token out as `&RcuRead`
/// for a span that cannot sleep.
pub(super) fn enter() -> RcuRead {
    // SAFETY: rcu_read_lock may be called in any context; the matching
    // unlock runs when the guard drops, on this thread (not Send).
    unsafe { bindings::rbond_rcu_read_lock() };
    RcuRead {
        owned: true,
        _not_send: PhantomData,
    }
}

impl RcuRead {
    /// A token for a callback that the kernel runs inside an RCU read-side
    /// critical section (or with bottom halves disabled).
    ///
    /// # Safety
    ///
    /// The caller must be inside such a section for the token's lifetime.
    pub(crate) unsafe fn assume_held() -> Self {
        RcuRead {
            owned: false,
            _not_send: PhantomData,
        }
    }
}

impl Drop for RcuRead {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: paired with the lock taken in `enter`.
            unsafe { bindings::rbond_rcu_read_unlock() };
        }
    }
}

/// An optional `Arc<T>` published for lock-free readers.
pub(crate) struct RcuArc<T: Send + Sync> {
    ptr: AtomicPtr<T>,
}

impl<T: Send + Sync> RcuArc<T> {
    /// A new, empty slot.
    pub(crate) const fn empty() -> Self {
        RcuArc {
            ptr: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Read the current object inside an RCU section.
    pub(crate) fn read<'a>(&'a self, _rcu: &'a RcuRead) -> Option<&'a T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from Arc::into_raw and its
        // reference is only given up after a grace period that cannot end
        // while this RCU section (borrowed for 'a) lasts.
        unsafe { p.as_ref() }
    }

    /// Read the current object under RTNL (writers also hold RTNL, and need
    /// `&mut Rtnl`, so it cannot change while the borrow lasts).
    pub(crate) fn get<'a>(&'a self, _rtnl: &'a Rtnl) -> Option<&'a T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: replaced only by `replace`, which needs `&mut Rtnl`.
        unsafe { p.as_ref() }
    }

    /// A new reference to the current object (under RTNL).
    pub(crate) fn get_arc(&self, _rtnl: &Rtnl) -> Option<Arc<T>> {
        let p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: p came from Arc::into_raw and our reference keeps it
        // alive; ArcBorrow only borrows it, and `into()` takes a new one.
        let b = unsafe { kernel::sync::ArcBorrow::from_raw(p) };
        Some(b.into())
    }

    /// Publish `new` (under RTNL). The old object's reference is dropped
    /// after an RCU grace period (an RCU callback; module exit waits for
    /// them with [`RcuBarrier`]), so T's destructor must be safe in softirq
    /// context (no sleeping).
    pub(crate) fn replace(&self, _rtnl: &mut Rtnl, new: Option<Arc<T>>) {
        let old = self.ptr.swap(into_ptr(new), Ordering::AcqRel);
        if !old.is_null() {
            // SAFETY: the reference is handed to the callback, which drops
            // it after a grace period; the module waits for callbacks at
            // exit. `&mut Rtnl` proves process context outside any read
            // section (rbond_rcu_defer may allocate or wait for a grace
            // period).
            unsafe { bindings::rbond_rcu_defer(Some(drop_arc::<T>), old.cast()) };
        }
    }

    /// Take the object out (under RTNL) and wait for a grace period, after
    /// which no reader sees it: the reference returned is the slot's own,
    /// so with no other clone it is the only one. Sleeps.
    pub(crate) fn take_sync(&self, _rtnl: &mut Rtnl) -> Option<Arc<T>> {
        let old = from_ptr(self.ptr.swap(core::ptr::null_mut(), Ordering::AcqRel));
        if old.is_some() {
            // SAFETY: process context under RTNL, outside any read section.
            unsafe { bindings::rbond_synchronize_rcu() };
        }
        old
    }

    /// Whether the slot is empty (racy hint, any context).
    pub(crate) fn is_empty(&self) -> bool {
        self.ptr.load(Ordering::Relaxed).is_null()
    }
}

impl<T: Send + Sync> Drop for RcuArc<T> {
    fn drop(&mut self) {
        // Owning the slot means no reader can borrow it any more.
        drop(from_ptr(*self.ptr.get_mut()));
    }
}

fn into_ptr<T>(v: Option<Arc<T>>) -> *mut T {
    match v {
        Some(a) => Arc::into_raw(a).cast_mut(),
        None => core::ptr::null_mut(),
    }
}

fn from_ptr<T>(p: *mut T) -> Option<Arc<T>> {
    if p.is_null() {
        None
    } else {
        // SAFETY: every non-null pointer stored in an RcuArc came from
        // Arc::into_raw and its reference is taken back exactly once.
        Some(unsafe { Arc::from_raw(p) })
    }
}

/// RCU callback: drop one `Arc<T>` reference.
///
/// # Safety
///
/// `p` came from `Arc::<T>::into_raw` and its reference is given to us.
unsafe extern "C" fn drop_arc<T: Send + Sync>(p: *mut core::ffi::c_void) {
    // SAFETY: see above.
    drop(unsafe { Arc::from_raw(p.cast::<T>()) });
}

/// Waits, when dropped, for every pending deferred drop of [`RcuArc::replace`] (module exit).
pub(crate) struct RcuBarrier;

impl Drop for RcuBarrier {
    fn drop(&mut self) {
        // SAFETY: process context (module exit).
        unsafe { bindings::rbond_rcu_barrier() }
    }
}
