// SPDX-License-Identifier: GPL-2.0

//! Master devices: `net_device_ops` + `rtnl_link_ops` for a driver type.
//!
//! A type implementing [`MasterOps`] is the private data of each master
//! device (`netdev_priv`). Its lifetime contract:
//! - [`MasterOps::new`] runs in the device's setup callback and must not
//!   acquire resources: the kernel may free a device that never got past
//!   setup without telling us.
//! - Resources are acquired in [`MasterOps::init`] (`ndo_init`, RTNL) and
//!   released in [`MasterOps::uninit`] (`ndo_uninit`, RTNL): the kernel pairs
//!   these on every path, including a failed registration.
//! - The value is dropped in place by `priv_destructor`, after unregistration
//!   and an RCU grace period, so RCU readers (transmit) never see it dropped.
//! - `start_xmit` runs in softirq/process context under RCU-bh, without RTNL,
//!   possibly on several CPUs at once: it must not sleep or allocate.
//!
//! A driver declares its tables once with [`declare_master!`].

use super::bindings;
use super::netdev::{IfName, Net, NetDevice};
use super::rtnl::Rtnl;
use super::skb::SkBuff;
use core::marker::PhantomData;
use core::ptr::NonNull;
use kernel::error::{code, to_result, Result};
use kernel::ffi;
use kernel::str::CStrExt;
use kernel::types::Opaque;

/// What a master device driver provides.
pub(crate) trait MasterOps: Sized + Send + Sync + 'static {
    /// The rtnl link kind (`ip link add ... type KIND`).
    const KIND: &'static core::ffi::CStr;
    /// The driver's tables (see [`declare_master!`]).
    fn vtables() -> &'static Vtables<Self>;
    /// Fresh private data; must not own resources (see module docs).
    fn new() -> Self;
    /// `ndo_init`: acquire resources.
    fn init(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result;
    /// `ndo_uninit`: release everything `init` acquired.
    fn uninit(&self, dev: &NetDevice, rtnl: &mut Rtnl);
    /// `ndo_open`.
    fn open(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result;
    /// `ndo_stop`.
    fn stop(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result;
    /// `ndo_vlan_rx_add_vid` (RTNL): a VLAN was added on top of the master.
    fn vlan_rx_add_vid(
        &self,
        _dev: &NetDevice,
        _proto: u16,
        _vid: u16,
        _rtnl: &mut Rtnl,
    ) -> Result {
        Ok(())
    }
    /// `ndo_vlan_rx_kill_vid` (RTNL): a VLAN on top of the master went away.
    fn vlan_rx_kill_vid(
        &self,
        _dev: &NetDevice,
        _proto: u16,
        _vid: u16,
        _rtnl: &mut Rtnl,
    ) -> Result {
        Ok(())
    }
    /// `ndo_start_xmit`: consume the packet (always "transmitted").
    fn start_xmit(&self, dev: &NetDevice, skb: SkBuff);
    /// Number of transmit queues for new devices.
    fn num_tx_queues() -> u32;
}

/// The C tables of a master driver. Lives in a `static` (see
/// [`declare_master!`]) because the kernel keeps pointers to it.
pub(crate) struct Vtables<T> {
    netdev_ops: bindings::net_device_ops,
    link_ops: Opaque<bindings::rtnl_link_ops>,
    _t: PhantomData<fn() -> T>,
}

// SAFETY: `netdev_ops` is never written after construction; `link_ops` is
// written only by rtnl_link_register/unregister (kernel locking) through the
// Opaque's interior mutability.
unsafe impl<T> Sync for Vtables<T> {}

impl<T: MasterOps> Vtables<T> {
    /// Build the tables for T (const: evaluated at compile time).
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zero is a valid C ops table (every callback NULL).
        let mut netdev_ops: bindings::net_device_ops = unsafe { core::mem::zeroed() };
        netdev_ops.ndo_init = Some(ndo_init::<T>);
        netdev_ops.ndo_uninit = Some(ndo_uninit::<T>);
        netdev_ops.ndo_open = Some(ndo_open::<T>);
        netdev_ops.ndo_stop = Some(ndo_stop::<T>);
        netdev_ops.ndo_start_xmit = Some(ndo_start_xmit::<T>);
        netdev_ops.ndo_vlan_rx_add_vid = Some(ndo_vlan_rx_add_vid::<T>);
        netdev_ops.ndo_vlan_rx_kill_vid = Some(ndo_vlan_rx_kill_vid::<T>);
        // SAFETY: as above; list and srcu are initialized by rtnl_link_register.
        let mut link_ops: bindings::rtnl_link_ops = unsafe { core::mem::zeroed() };
        link_ops.kind = kernel::str::as_char_ptr_in_const_context(T::KIND);
        link_ops.priv_size = core::mem::size_of::<T>();
        link_ops.setup = Some(setup::<T>);
        link_ops.newlink = Some(newlink::<T>);
        link_ops.get_num_tx_queues = Some(get_num_tx_queues::<T>);
        Vtables {
            netdev_ops,
            link_ops: Opaque::new(link_ops),
            _t: PhantomData,
        }
    }
}

/// Declare the static C tables of a [`MasterOps`] type.
macro_rules! declare_master {
    ($t:ty, $name:ident) => {
        static $name: $crate::net::link::Vtables<$t> = $crate::net::link::Vtables::new();
    };
}
pub(crate) use declare_master;

/// The private data of a device known to be one of T's masters.
///
/// # Safety
///
/// `dev` must be a master of T whose setup callback has run and whose
/// private data has not been dropped yet, alive for `'a`.
unsafe fn priv_of<'a, T: MasterOps>(dev: &'a NetDevice) -> &'a T {
    // SAFETY: netdev_priv points to priv_size = size_of::<T>() bytes,
    // aligned to NETDEV_ALIGN (32, checked below), initialized by setup::<T>.
    unsafe { &*bindings::rbond_netdev_priv(dev.as_raw()).cast::<T>() }
}

/// If `dev` is one of T's masters, its private data.
pub(crate) fn master_of<T: MasterOps>(dev: &NetDevice) -> Option<&T> {
    if dev.has_ops(&T::vtables().netdev_ops) {
        // SAFETY: only devices set up by setup::<T> carry T's netdev_ops, and
        // the caller's `&NetDevice` guarantees the device (and its private
        // data, dropped only after unregistration + RCU) is alive.
        Some(unsafe { priv_of::<T>(dev) })
    } else {
        None
    }
}

/// `rtnl_link_ops.setup` / `alloc_netdev` setup callback.
///
/// # Safety
///
/// Called by the kernel with a new device whose private area is T-sized.
unsafe extern "C" fn setup<T: MasterOps>(dev: *mut bindings::net_device) {
    const { assert!(core::mem::align_of::<T>() <= 32) };
    // SAFETY: called by alloc_netdev with a new device whose zeroed private
    // area has room for T (priv_size).
    unsafe {
        bindings::rbond_setup_master(dev);
        (*dev).netdev_ops = &T::vtables().netdev_ops;
        (*dev).priv_destructor = Some(priv_destructor::<T>);
        bindings::rbond_netdev_priv(dev).cast::<T>().write(T::new());
    }
}

/// `priv_destructor`: drops T in place.
///
/// # Safety
///
/// Called by the kernel once per device set up by `setup::<T>`, before freeing it.
unsafe extern "C" fn priv_destructor<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: called once, after unregistration (or a failed registration
    // past ndo_init) and before the memory is freed; T was written by setup.
    unsafe { core::ptr::drop_in_place(bindings::rbond_netdev_priv(dev).cast::<T>()) }
}

/// Run `f` with the device and private data of a callback under RTNL.
///
/// # Safety
///
/// `dev` must be one of T's masters, alive, and the callback must run under RTNL.
unsafe fn with_master<T: MasterOps, R>(
    dev: *mut bindings::net_device,
    f: impl FnOnce(&NetDevice, &T, &mut Rtnl) -> R,
) -> R {
    // SAFETY: guaranteed by the caller.
    let dev = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: ndo callbacks are only installed on T's masters.
    let this = unsafe { priv_of::<T>(dev) };
    // SAFETY: the kernel calls these ndo callbacks with RTNL held and we are
    // at a callback entry point (no outer token borrows).
    let mut rtnl = unsafe { Rtnl::assume_held() };
    f(dev, this, &mut rtnl)
}

fn errno(r: Result) -> ffi::c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_init<T: MasterOps>(dev: *mut bindings::net_device) -> ffi::c_int {
    // SAFETY: ndo_init: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.init(d, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_uninit<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: ndo_uninit: our device, RTNL held.
    unsafe { with_master::<T, _>(dev, |d, t, r| t.uninit(d, r)) }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_open<T: MasterOps>(dev: *mut bindings::net_device) -> ffi::c_int {
    // SAFETY: ndo_open: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.open(d, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_stop<T: MasterOps>(dev: *mut bindings::net_device) -> ffi::c_int {
    // SAFETY: ndo_stop: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.stop(d, r)) })
}

/// A VLAN hook of [`MasterOps`] (`vlan_rx_add_vid` or `vlan_rx_kill_vid`).
type VlanHook<T> = fn(&T, &NetDevice, u16, u16, &mut Rtnl) -> Result;

/// Run a VLAN hook for a VLAN core callback.
///
/// # Safety
///
/// `dev` must be one of T's devices, alive, and RTNL held (the VLAN core
/// calls `ndo_vlan_rx_{add,kill}_vid` under RTNL).
unsafe fn vlan_hook<T: MasterOps>(
    dev: *mut bindings::net_device,
    proto: bindings::__be16,
    vid: u16,
    hook: VlanHook<T>,
) -> ffi::c_int {
    // SAFETY: guaranteed by the caller.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| hook(t, d, u16::from_be(proto), vid, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the VLAN core, on one of T's devices, under RTNL.
unsafe extern "C" fn ndo_vlan_rx_add_vid<T: MasterOps>(
    dev: *mut bindings::net_device,
    proto: bindings::__be16,
    vid: u16,
) -> ffi::c_int {
    // SAFETY: our device, RTNL held (see above).
    unsafe { vlan_hook::<T>(dev, proto, vid, T::vlan_rx_add_vid) }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the VLAN core, on one of T's devices, under RTNL.
unsafe extern "C" fn ndo_vlan_rx_kill_vid<T: MasterOps>(
    dev: *mut bindings::net_device,
    proto: bindings::__be16,
    vid: u16,
) -> ffi::c_int {
    // SAFETY: our device, RTNL held (see above).
    unsafe { vlan_hook::<T>(dev, proto, vid, T::vlan_rx_kill_vid) }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_start_xmit<T: MasterOps>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
) -> bindings::netdev_tx_t {
    // SAFETY: the stack passes a live device of ours (lltx: no tx lock).
    let d = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: our device; private data lives until after an RCU grace period.
    let this = unsafe { priv_of::<T>(d) };
    if let Some(skb) = NonNull::new(skb) {
        // SAFETY: ndo_start_xmit hands us the skb's reference.
        this.start_xmit(d, unsafe { SkBuff::from_raw(skb) });
    }
    bindings::netdev_tx_NETDEV_TX_OK
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn get_num_tx_queues<T: MasterOps>() -> ffi::c_uint {
    T::num_tx_queues()
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn newlink<T: MasterOps>(
    dev: *mut bindings::net_device,
    _params: *mut bindings::rtnl_newlink_params,
    _extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: rtnl newlink runs under RTNL with a device allocated by our
    // setup; registering it may call back into ndo_init (no borrows held).
    let mut rtnl = unsafe { Rtnl::assume_held() };
    // SAFETY: the device is alive and not yet registered.
    let dev = unsafe { NetDevice::from_raw(dev) };
    errno(register::<T>(dev, &mut rtnl))
}

fn register<T: MasterOps>(dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
    // SAFETY: RTNL held (token); dev is a set-up, unregistered device.
    to_result(unsafe { bindings::register_netdevice(dev.as_raw()) })?;
    dev.carrier_off();
    Ok(())
}

/// Registration of T's link kind; unregistering deletes all of T's devices.
pub(crate) struct LinkRegistration<T: MasterOps> {
    _t: PhantomData<T>,
}

impl<T: MasterOps> LinkRegistration<T> {
    /// Register the link kind (`ip link add ... type KIND`).
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: the ops live in a static; registered once per module load.
        to_result(unsafe { bindings::rtnl_link_register(T::vtables().link_ops.get()) })?;
        Ok(LinkRegistration { _t: PhantomData })
    }
}

impl<T: MasterOps> Drop for LinkRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; this also unregisters (and so
        // frees) every device of this kind in every namespace.
        unsafe { bindings::rtnl_link_unregister(T::vtables().link_ops.get()) }
    }
}

/// Create and register a master of T in `net`, named `name` or `bond%d`-style
/// (`fallback_pattern`, a NUL-terminated pattern) when `name` is `None`.
pub(crate) fn create<T: MasterOps>(
    rtnl: &mut Rtnl,
    net: &Net,
    name: Option<&IfName>,
    fallback_pattern: &core::ffi::CStr,
) -> Result {
    let name_ptr: *const u8 = match name {
        Some(n) => n.as_ptr(),
        None => fallback_pattern.as_char_ptr(),
    };
    let txq = T::num_tx_queues();
    // SAFETY: process context, RTNL held; name is NUL-terminated; setup::<T>
    // initializes the private area of priv_size bytes.
    let raw = unsafe {
        bindings::alloc_netdev_mqs(
            core::mem::size_of::<T>() as ffi::c_int,
            name_ptr,
            bindings::NET_NAME_UNKNOWN as u8,
            Some(setup::<T>),
            txq,
            1,
        )
    };
    if raw.is_null() {
        return Err(code::ENOMEM);
    }
    // SAFETY: freshly allocated, exclusively ours until registered.
    unsafe {
        bindings::rbond_dev_net_set(raw, net.as_raw());
        (*raw).rtnl_link_ops = T::vtables().link_ops.get();
    }
    // SAFETY: alive until we free it or unregister it.
    let dev = unsafe { NetDevice::from_raw(raw) };
    if let Err(e) = register::<T>(dev, rtnl) {
        // SAFETY: registration failed, so the device is still ours alone
        // (the kernel ran ndo_uninit and priv_destructor if ndo_init had run).
        unsafe { bindings::free_netdev(raw) };
        return Err(e);
    }
    Ok(())
}

/// Unregister T's master named `name` in `net`, calling `before` first;
/// `ENODEV` if there is none.
pub(crate) fn delete_by_name<T: MasterOps>(
    _rtnl: &mut Rtnl,
    net: &Net,
    name: &IfName,
    before: impl FnOnce(),
) -> Result {
    // SAFETY: RTNL held (token), name NUL-terminated.
    let raw = unsafe { bindings::__dev_get_by_name(net.as_raw(), name.as_ptr()) };
    if raw.is_null() {
        return Err(code::ENODEV);
    }
    // SAFETY: found under RTNL, so alive while we hold it.
    let dev = unsafe { NetDevice::from_raw(raw) };
    if master_of::<T>(dev).is_none() {
        return Err(code::ENODEV);
    }
    before();
    // SAFETY: RTNL held, registered device; may call ndo_uninit (no borrows
    // held: we own the exclusive token).
    unsafe { bindings::unregister_netdevice_queue(raw, core::ptr::null_mut()) };
    Ok(())
}

/// Visit T's masters in `net` in registration order under RCU, until `f`
/// returns false. `f` must not sleep.
pub(crate) fn for_each_master<T: MasterOps>(net: &Net, mut f: impl FnMut(&NetDevice, &T) -> bool) {
    let mut visit = |dev: &NetDevice| match master_of::<T>(dev) {
        Some(t) => f(dev, t),
        None => true,
    };
    let mut obj: &mut dyn FnMut(&NetDevice) -> bool = &mut visit;
    /// # Safety
    ///
    /// Called by `rbond_for_each_netdev_rcu` with the context passed below.
    unsafe extern "C" fn tramp(dev: *mut bindings::net_device, ctx: *mut ffi::c_void) -> bool {
        // SAFETY: ctx is the `&mut &mut dyn FnMut` below, alive for the call;
        // dev is alive inside the RCU section of the iteration.
        unsafe {
            let f = &mut *ctx.cast::<&mut dyn FnMut(&NetDevice) -> bool>();
            f(NetDevice::from_raw(dev))
        }
    }
    // SAFETY: the helper calls `tramp` synchronously under rcu_read_lock.
    unsafe {
        bindings::rbond_for_each_netdev_rcu(
            net.as_raw(),
            Some(tramp),
            core::ptr::from_mut(&mut obj).cast(),
        )
    };
}

/// Queue T's masters in `net` for unregistration on `kill_list` (pernet exit).
///
/// # Safety
///
/// RTNL must be held and `kill_list` must be the kernel's kill list of a
/// pernet `exit_rtnl` callback for `net`.
pub(super) unsafe fn queue_unregister_all<T: MasterOps>(
    net: &Net,
    kill_list: *mut bindings::list_head,
) {
    for_each_master::<T>(net, |dev, _| {
        // SAFETY: called from pernet exit_rtnl (RTNL held) with the
        // namespace's kill list; queuing only links the device on the list.
        unsafe { bindings::unregister_netdevice_queue(dev.as_raw(), kill_list) };
        true
    });
}
