// SPDX-License-Identifier: GPL-2.0

//! A per-CPU `u32` counter (`alloc_percpu` + `this_cpu_inc_return`).
//!
//! Contract: [`PerCpuCounter::alloc`] runs once, in process context (a
//! master's `ndo_init`); until then, or if the allocation failed,
//! [`PerCpuCounter::inc_return`] counts on a shared atomic instead, so it
//! never fails. `inc_return` may be called from any context, concurrently
//! on several CPUs. The per-CPU memory is freed when the counter is dropped,
//! which must be in process context after the last reader is gone (a
//! master's private data is dropped after unregistration and a grace period).

use super::bindings;
use core::ffi::c_void;
use core::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use kernel::error::{code, Result};

/// A per-CPU counter.
pub(crate) struct PerCpuCounter {
    ptr: AtomicPtr<c_void>,
    fallback: AtomicU32,
}

impl PerCpuCounter {
    /// A counter without per-CPU memory yet (counts on the shared atomic).
    pub(crate) const fn new() -> Self {
        PerCpuCounter {
            ptr: AtomicPtr::new(core::ptr::null_mut()),
            fallback: AtomicU32::new(0),
        }
    }

    /// Allocate the per-CPU memory (process context; once).
    pub(crate) fn alloc(&self) -> Result {
        if !self.ptr.load(Ordering::Acquire).is_null() {
            return Ok(());
        }
        // SAFETY: process context; returns zeroed per-CPU memory or NULL.
        let p = unsafe { bindings::rbond_percpu_u32_alloc() };
        if p.is_null() {
            return Err(code::ENOMEM);
        }
        if self
            .ptr
            .compare_exchange(
                core::ptr::null_mut(),
                p,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            // SAFETY: `p` was allocated above and never published.
            unsafe { bindings::rbond_percpu_u32_free(p) };
        }
        Ok(())
    }

    /// Increment this CPU's counter and return the new value.
    pub(crate) fn inc_return(&self) -> u32 {
        let p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            return self
                .fallback
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_add(1);
        }
        // SAFETY: `p` is live per-CPU memory (freed only on drop, when no
        // caller can hold `&self`); this_cpu_inc_return is safe in any context.
        unsafe { bindings::rbond_percpu_u32_inc_return(p) }
    }
}

impl Drop for PerCpuCounter {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: allocated by `alloc`, freed once; no reader is left
            // (we own the counter).
            unsafe { bindings::rbond_percpu_u32_free(p) };
        }
    }
}

/// A random `u32` (`get_random_u32`, any context).
pub(crate) fn random_u32() -> u32 {
    // SAFETY: callable in any context.
    unsafe { bindings::rbond_get_random_u32() }
}
