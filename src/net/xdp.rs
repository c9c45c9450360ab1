// SPDX-License-Identifier: GPL-2.0

//! XDP through a master device.
//!
//! A master runs no XDP program itself: the program attached to it
//! (`ip link set MASTER xdp ...`, `ndo_bpf`) is attached to each lower
//! device instead ([`NetDevice::xdp_propagate`]), and the frames the lower
//! devices' programs send back (`XDP_TX`) or that other devices redirect to
//! the master (`ndo_xdp_xmit`) go out of the lower device the driver picks
//! ([`MasterOps::xdp_lower`]).
//!
//! Contract:
//! - Program references: [`XdpProg`] is one counted reference
//!   (`bpf_prog_inc`/`bpf_prog_put`). The kernel lends the program to
//!   [`MasterOps::xdp_setup`]; a master that keeps it stores a clone, in a
//!   [`MasterProg`]. A lower device that accepts a program through
//!   [`NetDevice::xdp_propagate`] gets a reference of its own (the drivers'
//!   rule: they put the program they replace).
//! - [`MasterProg`] is what turns on the kernel's "master redirect"
//!   (`bpf_master_redirect_enabled_key`: an `XDP_TX` on a bonding slave asks
//!   the master which device sends the frame) while any master holds a
//!   program; it turns it off when the program goes, also when the master's
//!   memory goes with one still set.
//! - Configuration (`xdp_setup`, propagation, the feature word) runs under
//!   RTNL. Propagation takes the lower device's ops lock, so it must not run
//!   from a notifier of that device that holds it.
//! - The transmit callbacks run in softirq (NAPI) inside an RCU read section
//!   the caller holds; the lower device returned by
//!   `ndo_xdp_get_xmit_slave` lives as long as that section.

use super::bindings;
use super::link::MasterOps;
use super::netdev::NetDevice;
use super::nl::Extack;
use super::rtnl::Rtnl;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use kernel::error::{to_result, Result};
use kernel::ffi;

/// One counted reference to a BPF program.
pub(crate) struct XdpProg(NonNull<bindings::bpf_prog>);

// SAFETY: a program reference may be taken, used and dropped on any CPU
// (the count is atomic; the program is immutable once loaded).
unsafe impl Send for XdpProg {}
// SAFETY: shared access only compares or clones the pointer.
unsafe impl Sync for XdpProg {}

impl XdpProg {
    fn raw(&self) -> *mut bindings::bpf_prog {
        self.0.as_ptr()
    }
}

impl Clone for XdpProg {
    fn clone(&self) -> Self {
        // SAFETY: we hold a reference, so the program is alive; this adds one.
        unsafe { bindings::rbond_bpf_prog_inc(self.raw()) };
        XdpProg(self.0)
    }
}

impl Drop for XdpProg {
    fn drop(&mut self) {
        // SAFETY: we own one reference; bpf_prog_put may be called in any
        // context (it defers the free).
        unsafe { bindings::rbond_bpf_prog_put(self.raw()) };
    }
}

/// The program attached to a master (`None`: none), guarded by the owner's
/// RTNL-protected state. Holding one turns the kernel's master redirect on.
pub(crate) struct MasterProg(Option<XdpProg>);

impl MasterProg {
    /// No program.
    pub(crate) const fn new() -> Self {
        MasterProg(None)
    }

    /// The program, if any.
    pub(crate) fn get(&self) -> Option<&XdpProg> {
        self.0.as_ref()
    }

    /// Set the program (or none); returns the one it replaces.
    pub(crate) fn replace(&mut self, p: Option<XdpProg>) -> Option<XdpProg> {
        match (self.0.is_some(), p.is_some()) {
            // SAFETY: a static key; paired with the decrement below or in drop.
            (false, true) => unsafe { bindings::rbond_xdp_master_redirect(true) },
            // SAFETY: the increment was made when the program was set.
            (true, false) => unsafe { bindings::rbond_xdp_master_redirect(false) },
            _ => {}
        }
        core::mem::replace(&mut self.0, p)
    }
}

impl Drop for MasterProg {
    fn drop(&mut self) {
        self.replace(None);
    }
}

/// All the XDP feature bits a master may announce (`NETDEV_XDP_ACT_MASK`
/// without `XSK_ZEROCOPY`, which needs the driver's own queues).
pub(crate) fn features_all() -> u32 {
    // SAFETY: returns constants.
    unsafe { bindings::rbond_xdp_features_all() }
}

impl NetDevice {
    /// Whether the device runs native XDP programs and sends frames
    /// (`ndo_bpf` and `ndo_xdp_xmit`).
    pub(crate) fn xdp_capable(&self) -> bool {
        // SAFETY: a live device; reads its (static) ops table.
        unsafe { bindings::rbond_xdp_capable(self.as_raw()) }
    }

    /// How many XDP programs are attached to the device itself (any mode).
    pub(crate) fn xdp_prog_count(&self, _rtnl: &Rtnl) -> u32 {
        // SAFETY: a live device, RTNL held (guards its XDP state).
        unsafe { bindings::rbond_xdp_prog_count(self.as_raw()) }
    }

    /// Attach `prog` (`None`: detach) natively to this lower device
    /// (`dev_xdp_propagate`, which takes the device's ops lock). On success
    /// the device holds a reference of its own. The device's error message,
    /// if any, goes to `ext`.
    pub(crate) fn xdp_propagate(
        &self,
        _rtnl: &mut Rtnl,
        prog: Option<&XdpProg>,
        ext: &mut Extack,
    ) -> Result {
        let raw = prog.map_or(core::ptr::null_mut(), XdpProg::raw);
        // SAFETY: a live device, RTNL held, not from a notifier of this
        // device (caller's contract); `raw` is null or a program we hold a
        // reference to; `ext` is null or valid for the call.
        to_result(unsafe { bindings::rbond_xdp_propagate(self.as_raw(), raw, ext.as_raw()) })?;
        if let Some(p) = prog {
            // The driver took the program: the reference it now owns.
            core::mem::forget(p.clone());
        }
        Ok(())
    }

    /// The device's XDP feature word (`xdp_features`).
    pub(crate) fn xdp_features(&self) -> u32 {
        // SAFETY: a live device; a plain word read.
        unsafe { bindings::rbond_xdp_features(self.as_raw()) }
    }

    /// Set this master's XDP feature word (`xdp_set_features_flag`: takes
    /// the device's instance lock; announces a change with
    /// `NETDEV_XDP_FEAT_CHANGE`). RTNL held; a master is never the device
    /// whose notifier holds that lock.
    pub(crate) fn set_xdp_features(&self, _rtnl: &Rtnl, val: u32) {
        // SAFETY: a live device, RTNL held, its instance lock not held.
        unsafe { bindings::rbond_xdp_set_features(self.as_raw(), val) };
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_bpf: RTNL held, one of T's devices, `bpf` valid for the call.
pub(super) unsafe extern "C" fn ndo_bpf<T: MasterOps>(
    dev: *mut bindings::net_device,
    bpf: *mut bindings::netdev_bpf,
) -> ffi::c_int {
    let mut prog: *mut bindings::bpf_prog = core::ptr::null_mut();
    let mut extack: *mut bindings::netlink_ext_ack = core::ptr::null_mut();
    // SAFETY: `bpf` valid for the call; the out pointers are ours.
    if !unsafe { bindings::rbond_netdev_bpf_setup_prog(bpf, &mut prog, &mut extack) } {
        return -(bindings::EINVAL as ffi::c_int);
    }
    // The kernel moved one reference into this call (dev_xdp_install) and
    // takes it back if we fail. Lend it to the driver without owning it.
    let lent = NonNull::new(prog).map(|p| ManuallyDrop::new(XdpProg(p)));
    // SAFETY: `extack` is null or valid for the call.
    let mut ext = unsafe { Extack::from_raw(extack) };
    // SAFETY: our device, RTNL held.
    let r = unsafe {
        super::link::with_master::<T, _>(dev, |d, t, rtnl| {
            t.xdp_setup(d, lent.as_deref(), &mut ext, rtnl)
        })
    };
    match r {
        Ok(()) => {
            if let Some(p) = lent {
                // The driver keeps a clone if it keeps the program: the
                // moved reference is not needed.
                drop(ManuallyDrop::into_inner(p));
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_xdp_xmit: one of T's devices, `frames` holds `n` valid frames,
/// softirq or process context with bottom halves off.
pub(super) unsafe extern "C" fn ndo_xdp_xmit<T: MasterOps>(
    dev: *mut bindings::net_device,
    n: ffi::c_int,
    frames: *mut *mut bindings::xdp_frame,
    flags: u32,
) -> ffi::c_int {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    let Some(t) = super::link::master_of::<T>(d) else {
        return -(bindings::ENXIO as ffi::c_int);
    };
    let n = usize::try_from(n).unwrap_or(0);
    if n == 0 || frames.is_null() {
        return 0;
    }
    // SAFETY: the caller passes `n` frame pointers.
    let frames = unsafe { core::slice::from_raw_parts(frames, n) };
    let rcu = super::rcu::enter();
    let mut sent: ffi::c_int = 0;
    let mut err = -(bindings::ENXIO as ffi::c_int);
    for &f in frames {
        let mut len: ffi::c_uint = 0;
        // SAFETY: a valid frame; returns its linear data and length.
        let data = unsafe { bindings::rbond_xdp_frame_data(f, &mut len) };
        let bytes: &[u8] = if data.is_null() {
            &[]
        } else {
            // SAFETY: the frame's linear part: `len` bytes from `data`,
            // alive (and not written) while we decide.
            unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len as usize) }
        };
        let Some(lower) = t.xdp_lower(d, bytes, &rcu) else {
            err = -(bindings::ENXIO as ffi::c_int);
            break;
        };
        // SAFETY: a lower device alive in this RCU section; the frame is
        // handed to it (on success it owns it, else the caller frees it).
        err = unsafe { bindings::rbond_xdp_xmit_one(lower.as_raw(), f, flags) };
        if err < 1 {
            break;
        }
        sent += 1;
    }
    drop(rcu);
    if err < 0 && sent == 0 {
        err
    } else {
        sent
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_xdp_get_xmit_slave: one of T's devices, inside an RCU read section
/// the caller holds, `xdp` valid for the call.
pub(super) unsafe extern "C" fn ndo_xdp_get_xmit_slave<T: MasterOps>(
    dev: *mut bindings::net_device,
    xdp: *mut bindings::xdp_buff,
) -> *mut bindings::net_device {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    let Some(t) = super::link::master_of::<T>(d) else {
        return core::ptr::null_mut();
    };
    let mut len: ffi::c_uint = 0;
    // SAFETY: a valid buffer; returns its data and length.
    let data = unsafe { bindings::rbond_xdp_buff_data(xdp, &mut len) };
    let bytes: &[u8] = if data.is_null() {
        &[]
    } else {
        // SAFETY: the buffer's packet data, `len` bytes, alive for the call.
        unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len as usize) }
    };
    let rcu = super::rcu::enter();
    let lower = t
        .xdp_lower(d, bytes, &rcu)
        .map_or(core::ptr::null_mut(), NetDevice::as_raw);
    // The caller's own RCU read section keeps `lower` alive after ours.
    drop(rcu);
    lower
}

/// The kernel's flow dissector over an XDP frame's bytes (no skb), with
/// the keys the encap hash policies use: `proto` is the frame's ethertype,
/// `nhoff` where its network header starts. `None` where it fails.
pub(crate) fn flow_dissect_frame(
    net: &super::netdev::Net,
    frame: &[u8],
    proto: u16,
    nhoff: usize,
) -> Option<crate::hash::FlowKeys> {
    let hlen = ffi::c_int::try_from(frame.len()).ok()?;
    let nhoff = ffi::c_int::try_from(nhoff).ok()?;
    let mut f = bindings::rbond_flow::default();
    // SAFETY: `frame` is readable for `hlen` bytes for the call; `net` is
    // alive (the master's namespace); `f` is ours.
    unsafe {
        bindings::rbond_flow_dissect_data(
            net.as_raw(),
            frame.as_ptr().cast(),
            proto,
            nhoff,
            hlen,
            &mut f,
        )
    }
    .then_some(crate::hash::FlowKeys {
        src: f.src,
        dst: f.dst,
        ports: f.ports,
        icmp_type: f.icmp_type,
        icmp_code: f.icmp_code,
        icmp_id: f.icmp_id,
    })
}
