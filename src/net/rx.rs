// SPDX-License-Identifier: GPL-2.0

//! Receive hooks on lower devices (`netdev_rx_handler_register`).
//!
//! Contract:
//! - A device has at most one rx handler. [`register`] installs T's handler
//!   with an `Arc<T>` as its data; the device keeps that reference until
//!   [`unregister`] (RTNL), which waits for running handlers
//!   (`synchronize_net`) and gives the reference back.
//! - [`RxHandler::receive`] runs in softirq context under RCU, on any CPU,
//!   concurrently with itself: it must not sleep or allocate.
//! - [`data_of`] finds T's data on a device under RTNL, if T's handler is
//!   the one installed.

use super::bindings;
use super::netdev::NetDevice;
use super::rcu::RcuRead;
use super::rtnl::Rtnl;
use core::ptr::NonNull;
use kernel::error::{to_result, Result};
use kernel::sync::{Arc, ArcBorrow};

/// What to do with a received frame (C's `rx_handler_result_t`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum RxVerdict {
    /// The frame's device was changed: run the receive path again for it.
    Another,
    /// Deliver only to protocol handlers bound exactly to this device.
    Exact,
    /// Deliver normally on this device, as if there were no handler.
    Pass,
    /// The handler took the frame (a LACPDU): it is freed here.
    Consumed,
}

/// A received frame, borrowed for the handler call.
pub(crate) struct RxPacket<'a> {
    skb: NonNull<bindings::sk_buff>,
    rcu: &'a RcuRead,
}

impl RxPacket<'_> {
    /// The destination MAC is a link-local address (01:80:c2:00:00:0X).
    pub(crate) fn dest_is_link_local(&self) -> bool {
        // SAFETY: the skb is valid for the handler call; its MAC header is set.
        unsafe { bindings::rbond_skb_dest_link_local(self.skb.as_ptr()) }
    }

    /// The destination MAC is the slow-protocols group (01:80:c2:00:00:02).
    pub(crate) fn dest_is_slow_group(&self) -> bool {
        // SAFETY: the skb is valid for the handler call; its MAC header is set.
        unsafe { bindings::rbond_skb_dest_is_slow_group(self.skb.as_ptr()) }
    }

    /// The RCU read section the frame is handled in.
    pub(crate) fn rcu(&self) -> &RcuRead {
        self.rcu
    }

    /// `skb->protocol`, in host byte order.
    pub(crate) fn protocol(&self) -> u16 {
        // SAFETY: the skb is valid for the handler call.
        unsafe { bindings::rbond_skb_protocol(self.skb.as_ptr()) }
    }

    /// `skb->pkt_type` (`PACKET_HOST`, `PACKET_OTHERHOST`, ...).
    pub(crate) fn pkt_type(&self) -> u8 {
        // SAFETY: the skb is valid for the handler call.
        unsafe { bindings::rbond_skb_pkt_type(self.skb.as_ptr()) }
    }

    /// Copy `buf.len()` bytes from the network header (`skb->data` in the
    /// receive path) onwards into `buf`; `false` if the frame is shorter.
    pub(crate) fn copy_network(&self, buf: &mut [u8]) -> bool {
        let Ok(len) = i32::try_from(buf.len()) else {
            return false;
        };
        // SAFETY: valid skb; `buf` has `len` writable bytes; skb_copy_bits
        // checks the bounds against the packet.
        unsafe {
            bindings::rbond_skb_copy_bits(self.skb.as_ptr(), 0, buf.as_mut_ptr().cast(), len) == 0
        }
    }

    /// Make `mac` the frame's Ethernet destination (its header unshared
    /// first); `false` when that failed: the frame must then be consumed.
    pub(crate) fn set_dest_mac(&mut self, mac: &[u8; 6]) -> bool {
        // SAFETY: we own the (unshared) skb for the call; its MAC header is
        // set; `mac` has 6 readable bytes.
        unsafe { bindings::rbond_skb_rx_set_dest(self.skb.as_ptr(), mac.as_ptr()) == 0 }
    }

    /// Hand the frame to `dev` (use with [`RxVerdict::Another`]).
    pub(crate) fn set_dev(&mut self, dev: &NetDevice) {
        // SAFETY: we own the (unshared) skb for the call; `dev` is alive
        // (the caller holds it, and the stack holds RCU for the frame).
        unsafe { bindings::rbond_skb_set_dev(self.skb.as_ptr(), dev.as_raw()) }
    }
}

/// A receive hook on lower devices.
pub(crate) trait RxHandler: Send + Sync + 'static {
    /// Classify a frame received on a device this handler is installed on.
    fn receive(&self, pkt: &mut RxPacket<'_>) -> RxVerdict;
}

/// The C-visible handler for T.
///
/// # Safety
///
/// Called by the stack for devices on which [`register::<T>`] installed it,
/// under RCU in softirq context, with a valid `*pskb`.
unsafe extern "C" fn handler<T: RxHandler>(
    pskb: *mut *mut bindings::sk_buff,
) -> bindings::rx_handler_result_t {
    // SAFETY: the stack passes a valid skb pointer slot.
    let skb = unsafe { bindings::rbond_skb_share_check(*pskb) };
    let Some(skb) = NonNull::new(skb) else {
        // Clone failed: the original was freed by skb_share_check.
        return bindings::rx_handler_result_RX_HANDLER_CONSUMED;
    };
    // SAFETY: as above; the stack continues with the (possibly new) skb.
    unsafe { *pskb = skb.as_ptr() };
    // SAFETY: receive runs under RCU (the stack's rcu_read_lock).
    let rcu = unsafe { RcuRead::assume_held() };
    // SAFETY: the skb's device is the one the handler is registered on.
    let dev = unsafe { bindings::rbond_skb_dev(skb.as_ptr()) };
    // SAFETY: our handler is installed on `dev`, so its data is an
    // `Arc<T>` pointer that stays valid until unregister + synchronize_net.
    let data = unsafe { bindings::rbond_rx_handler_data(dev) }.cast::<T>();
    // SAFETY: see above; the borrow ends before this call returns.
    let this = unsafe { ArcBorrow::from_raw(data) };
    let mut pkt = RxPacket { skb, rcu: &rcu };
    match this.receive(&mut pkt) {
        RxVerdict::Another => bindings::rx_handler_result_RX_HANDLER_ANOTHER,
        RxVerdict::Exact => bindings::rx_handler_result_RX_HANDLER_EXACT,
        RxVerdict::Pass => bindings::rx_handler_result_RX_HANDLER_PASS,
        RxVerdict::Consumed => {
            // SAFETY: the handler owns the (unshared) skb; consuming it and
            // returning RX_HANDLER_CONSUMED tells the stack it is gone.
            unsafe { bindings::rbond_consume_skb(skb.as_ptr()) };
            bindings::rx_handler_result_RX_HANDLER_CONSUMED
        }
    }
}

/// Install T's handler on `dev` with `data` (RTNL).
pub(crate) fn register<T: RxHandler>(_rtnl: &mut Rtnl, dev: &NetDevice, data: Arc<T>) -> Result {
    let p = Arc::into_raw(data).cast_mut();
    // SAFETY: RTNL held, device alive; the handler matches the data type.
    let r = to_result(unsafe {
        bindings::netdev_rx_handler_register(dev.as_raw(), Some(handler::<T>), p.cast())
    });
    if r.is_err() {
        // SAFETY: not installed: take our reference back.
        drop(unsafe { Arc::from_raw(p) });
    }
    r
}

/// T's data on `dev`, if T's handler is installed there (RTNL).
pub(crate) fn data_of<'a, T: RxHandler>(
    _rtnl: &'a Rtnl,
    dev: &NetDevice,
) -> Option<ArcBorrow<'a, T>> {
    let h: unsafe extern "C" fn(*mut *mut bindings::sk_buff) -> bindings::rx_handler_result_t =
        handler::<T>;
    // SAFETY: RTNL held, device alive.
    if !unsafe { bindings::rbond_has_rx_handler(dev.as_raw(), h as *mut core::ffi::c_void) } {
        return None;
    }
    // SAFETY: RTNL held: the data is T's Arc pointer, alive until
    // `unregister`, which needs `&mut Rtnl` (so not during 'a).
    let p = unsafe { bindings::rbond_rx_handler_data(dev.as_raw()) }.cast::<T>();
    // SAFETY: as above.
    (!p.is_null()).then(|| unsafe { ArcBorrow::from_raw(p) })
}

/// Same as [`data_of`] but for a caller in an RCU read section.
pub(crate) fn data_of_rcu<'a, T: RxHandler>(_rcu: &'a RcuRead, dev: &NetDevice) -> Option<&'a T> {
    let h: unsafe extern "C" fn(*mut *mut bindings::sk_buff) -> bindings::rx_handler_result_t =
        handler::<T>;
    // SAFETY: device alive; both fields are RCU-published by the kernel.
    if !unsafe { bindings::rbond_has_rx_handler(dev.as_raw(), h as *mut core::ffi::c_void) } {
        return None;
    }
    // SAFETY: the data is freed only after unregister's synchronize_net,
    // which cannot complete during our RCU section ('a).
    let p = unsafe { bindings::rbond_rx_handler_data(dev.as_raw()) }.cast::<T>();
    // SAFETY: as above.
    unsafe { p.as_ref() }
}

/// Remove T's handler from `dev` and return its data (RTNL). No handler
/// call is running or will run afterwards.
pub(crate) fn unregister<T: RxHandler>(rtnl: &mut Rtnl, dev: &NetDevice) -> Option<Arc<T>> {
    let p = data_of::<T>(rtnl, dev).map(|b| core::ptr::from_ref::<T>(&b).cast_mut())?;
    // SAFETY: RTNL held; T's handler is installed (checked above). This
    // waits for running handlers (synchronize_net).
    unsafe { bindings::netdev_rx_handler_unregister(dev.as_raw()) };
    // SAFETY: the device no longer refers to the data: take our reference back.
    Some(unsafe { Arc::from_raw(p) })
}
