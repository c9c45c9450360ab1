// SPDX-License-Identifier: GPL-2.0

//! Owned socket buffers.
//!
//! Contract: an [`SkBuff`] owns exactly one reference to its `sk_buff`. The
//! reference is given away exactly once: passed to the kernel (transmit on a
//! slave, later), or freed by [`SkBuff::drop_tx`] or by `Drop`. Safe code can
//! therefore neither leak nor double-free a packet.

use super::bindings;
use super::netdev::NetDevice;
use core::ptr::NonNull;

/// An owned `sk_buff`.
pub(crate) struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: an owned skb may be handed to and freed on any CPU.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Take ownership of a packet the kernel passed to us.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid skb whose reference the caller owns and gives up.
    pub(crate) unsafe fn from_raw(ptr: NonNull<bindings::sk_buff>) -> Self {
        SkBuff(ptr)
    }

    /// Drop the packet as a transmit drop counted on `dev` (any context).
    pub(crate) fn drop_tx(self, dev: &NetDevice) {
        let skb = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the skb reference (type contract) and give it to
        // the kernel, which frees it in any context; `dev` is alive.
        unsafe { bindings::rbond_tx_drop(dev.as_raw(), skb) };
    }
}

impl SkBuff {
    /// Transmit the packet on `lower` (`dev_queue_xmit`), in the transmit
    /// path of a master (RCU held). The packet is consumed whatever happens.
    pub(crate) fn xmit_on(self, lower: &NetDevice, _rcu: &super::rcu::RcuRead) {
        let skb = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the skb reference and hand it to dev_queue_xmit,
        // which consumes it; `lower` is alive (RCU section, caller's ref).
        unsafe { bindings::rbond_xmit_on(lower.as_raw(), skb) };
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: we own the reference and free it exactly once, here.
        unsafe { bindings::rbond_kfree_skb_any(self.0.as_ptr()) };
    }
}
