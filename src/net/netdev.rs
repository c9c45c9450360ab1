// SPDX-License-Identifier: GPL-2.0

//! Borrowed views of `struct net_device` and `struct net`.
//!
//! Contract: a `&NetDevice` or `&Net` is only handed out by this layer for a
//! span in which the kernel object is known to be alive (a callback on that
//! device, an RCU read section, or RTNL held while the device is registered).

use super::bindings;
use kernel::types::Opaque;

/// C's `IFNAMSIZ`.
pub(crate) const IFNAMSIZ: usize = 16;

/// A network device.
#[repr(transparent)]
pub(crate) struct NetDevice(Opaque<bindings::net_device>);

/// A network namespace.
#[repr(transparent)]
pub(crate) struct Net(Opaque<bindings::net>);

/// An interface name copied out of a device (NUL-terminated, at most 15 bytes).
#[derive(Clone, Copy)]
pub(crate) struct IfName([u8; IFNAMSIZ]);

impl IfName {
    /// Build a name from bytes; `None` if it does not fit in `IFNAMSIZ - 1`.
    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() >= IFNAMSIZ || b.contains(&0) {
            return None;
        }
        let mut n = [0u8; IFNAMSIZ];
        n[..b.len()].copy_from_slice(b);
        Some(IfName(n))
    }

    /// The name without its NUL.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        let len = self.0.iter().position(|&c| c == 0).unwrap_or(IFNAMSIZ);
        &self.0[..len]
    }

    /// The name as a NUL-terminated C string pointer (valid while `self` lives).
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.0.as_ptr()
    }
}

impl kernel::fmt::Display for IfName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for &c in self.as_bytes() {
            core::fmt::Write::write_char(f, char::from(c))?;
        }
        Ok(())
    }
}

impl NetDevice {
    /// Borrow a device from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `net_device` for the whole lifetime `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a NetDevice {
        // SAFETY: NetDevice is a transparent wrapper of the C struct; the
        // caller guarantees it is alive for 'a.
        unsafe { &*ptr.cast::<NetDevice>() }
    }

    /// The raw pointer, for calls into the kernel.
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// A copy of the device's current name.
    ///
    /// Renames happen under RTNL and rewrite the name in place; like C's
    /// readers of `dev->name` outside RTNL, a racing reader may see a mix.
    pub(crate) fn name(&self) -> IfName {
        let mut n = [0u8; IFNAMSIZ];
        // SAFETY: the device is alive (type contract); dev->name is a
        // 16-byte array inside it, readable for IFNAMSIZ bytes.
        let src = unsafe { bindings::rbond_dev_name(self.as_raw()) };
        // SAFETY: `src` points to IFNAMSIZ readable bytes (see above) that do
        // not overlap our local buffer.
        unsafe { core::ptr::copy_nonoverlapping(src, n.as_mut_ptr(), IFNAMSIZ) };
        n[IFNAMSIZ - 1] = 0;
        IfName(n)
    }

    /// Whether the device uses the given `net_device_ops` table.
    pub(crate) fn has_ops(&self, ops: *const bindings::net_device_ops) -> bool {
        // SAFETY: the device is alive; netdev_ops is set before registration
        // and never changes afterwards.
        unsafe { core::ptr::eq((*self.as_raw()).netdev_ops, ops) }
    }

    /// Turn the carrier off (no lock needed: the kernel serializes this).
    pub(crate) fn carrier_off(&self) {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_carrier_off(self.as_raw()) }
    }

    /// Give the device a random MAC address if it has none yet (C's
    /// `bond_init` rule: only while the address is still the permanent one).
    pub(crate) fn ensure_mac(&self) {
        // SAFETY: the device is alive and this runs from ndo_init under RTNL.
        unsafe {
            if bindings::rbond_is_zero_ether_addr(self.as_raw())
                && u32::from(bindings::rbond_addr_assign_type(self.as_raw()))
                    == bindings::NET_ADDR_PERM
            {
                bindings::rbond_eth_hw_addr_random(self.as_raw());
            }
        }
    }
}

impl Net {
    /// Borrow a namespace from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `struct net` for the whole lifetime `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net) -> &'a Net {
        // SAFETY: transparent wrapper; liveness guaranteed by the caller.
        unsafe { &*ptr.cast::<Net>() }
    }

    /// The initial namespace (lives as long as the kernel).
    pub(crate) fn init_net() -> &'static Net {
        // SAFETY: init_net is a static object that is never freed.
        unsafe { Net::from_raw(bindings::rbond_init_net()) }
    }

    /// The raw pointer, for calls into the kernel.
    pub(crate) fn as_raw(&self) -> *mut bindings::net {
        self.0.get()
    }
}
