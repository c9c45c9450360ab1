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
use super::netdev::{IfName, MacAddr, Net, NetDevice, Stats, ETH_ALEN};
use super::nl::{Extack, NlAttrs, NlMsg, Policy};
use super::rcu::RcuRead;
use super::rtnl::{Process, Rtnl};
use super::skb::{SkBuff, TxStatus};
use super::sysfs::ShowBuf;
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::alloc::{flags::GFP_KERNEL, KVec};
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
    /// `ethtool -i`: the driver's name.
    const DRIVER: &'static core::ffi::CStr;
    /// `ethtool -i`: the firmware version shown.
    const FW_VERSION: &'static core::ffi::CStr;
    /// Speed (Mbit/s, [`u32::MAX`] unknown) and duplex (0 half, 1 full,
    /// 0xff unknown) of the master, for ethtool (RTNL; may query lower
    /// devices).
    fn link_speed(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> super::netdev::SpeedDuplex;
    /// The lower device that time stamping requests are passed to, if any
    /// (inside an RCU read section).
    fn timestamping_lower<'a>(&'a self, dev: &NetDevice, rcu: &'a RcuRead)
        -> Option<&'a NetDevice>;
    /// `ndo_fix_features` (RTNL): the features the master can have, given
    /// those the stack asks for.
    fn fix_features(&self, _dev: &NetDevice, features: u64, _rtnl: &Rtnl) -> u64 {
        features
    }

    /// The lower device IPsec states are programmed on (any context; C's
    /// bonding: the active slave, whatever the mode).
    fn ipsec_lower<'a>(&'a self, _rcu: &'a RcuRead) -> Option<&'a NetDevice> {
        None
    }

    /// `ndo_bpf` with `XDP_SETUP_PROG` (RTNL): attach `prog` (`None`:
    /// detach) in native mode. The program is lent: a master that keeps
    /// it stores a clone (see [`super::xdp`]).
    fn xdp_setup(
        &self,
        _dev: &NetDevice,
        _prog: Option<&super::xdp::XdpProg>,
        _ext: &mut Extack,
        _rtnl: &mut Rtnl,
    ) -> Result {
        Err(kernel::error::Error::from_errno(
            -(bindings::EOPNOTSUPP as ffi::c_int),
        ))
    }

    /// The lower device that sends XDP frame `frame` (its bytes from the
    /// Ethernet header on): `XDP_TX` of a lower device's program and frames
    /// redirected to the master. Softirq, inside an RCU read section.
    fn xdp_lower<'a>(
        &'a self,
        _dev: &NetDevice,
        _frame: &[u8],
        _rcu: &'a RcuRead,
    ) -> Option<&'a NetDevice> {
        None
    }

    /// Whether packets may use the IPsec offload of [`Self::ipsec_lower`]
    /// (C's bonding: active-backup only). Also says whether a new master
    /// starts with the offload features on.
    fn ipsec_offloads(&self) -> bool {
        false
    }
    /// `ndo_start_xmit`: consume the packet and say what became of it (the
    /// lower device's verdict, or a drop). Runs under RCU (bottom halves
    /// disabled), concurrently on several CPUs.
    fn start_xmit(&self, dev: &NetDevice, skb: SkBuff, rcu: &RcuRead) -> TxStatus;
    /// `ndo_select_queue`: the master's transmit queue for a packet (any
    /// context, RCU held, no sleeping). `skb` is borrowed from the stack.
    fn select_queue(&self, dev: &NetDevice, skb: &mut TxQueueSkb<'_>) -> u16;
    /// Number of transmit queues for new devices.
    fn num_tx_queues() -> u32;
    /// `ndo_add_slave` (RTNL): `ip link set SLAVE master DEV`.
    fn add_slave(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result;
    /// `ndo_del_slave` (RTNL): `ip link set SLAVE nomaster`.
    fn del_slave(&self, dev: &NetDevice, slave: &NetDevice, rtnl: &mut Rtnl) -> Result;
    /// `ndo_get_stats64` (any context, no RTNL; runs in an RCU read section).
    fn get_stats(&self, dev: &NetDevice, rcu: &RcuRead) -> Stats;
    /// `ndo_set_mac_address` (RTNL).
    fn set_mac_address(&self, dev: &NetDevice, addr: &MacAddr, rtnl: &mut Rtnl) -> Result;
    /// `ndo_change_mtu` (RTNL).
    fn change_mtu(&self, dev: &NetDevice, mtu: u32, rtnl: &mut Rtnl) -> Result;
    /// `ndo_set_rx_mode` (address lock held, bottom halves off: no sleeping).
    fn set_rx_mode(&self, dev: &NetDevice, rcu: &RcuRead);
    /// `ndo_change_rx_flags` (RTNL): `IFF_PROMISC`/`IFF_ALLMULTI` changed.
    fn change_rx_flags(&self, dev: &NetDevice, change: u32, rtnl: &mut Rtnl);
    /// The lower device whose link-layer header ops a master of another
    /// type than Ethernet forwards to (C: the active slave), in an RCU read
    /// section (the header ops run in any context).
    fn header_lower<'a>(&'a self, dev: &NetDevice, rcu: &'a RcuRead) -> Option<&'a NetDevice>;
    /// `ndo_netpoll_setup` (RTNL): netpoll is being attached to the master
    /// (netconsole); attach it to the lower devices.
    fn netpoll_setup(&self, dev: &NetDevice, rtnl: &mut Rtnl) -> Result;
    /// `ndo_netpoll_cleanup` (RTNL): the master's last netpoll user left.
    fn netpoll_cleanup(&self, dev: &NetDevice, rtnl: &mut Rtnl);
    /// `ndo_poll_controller` (interrupts off, inside an RCU read section):
    /// netpoll needs the lower devices polled.
    fn poll_controller(&self, dev: &NetDevice, rcu: &RcuRead);
    /// Delayed work item `id` (< [`MAX_WORKS`]) queued with [`queue_work`]
    /// runs: process context, no locks held.
    fn run_work(&self, dev: &NetDevice, id: usize, p: &mut Process);
    /// The work asked for with [`kick`] runs: process context, RTNL held
    /// (taken for it), no other lock.
    fn run_kicked(&self, dev: &NetDevice, rtnl: &mut Rtnl);
    /// The netlink policy of `IFLA_INFO_DATA` (index = attribute type).
    const POLICY: &'static Policy;
    /// The netlink policy of `IFLA_INFO_SLAVE_DATA`.
    const SLAVE_POLICY: &'static Policy;
    /// `changelink`/`newlink` attributes (RTNL).
    fn changelink(
        &self,
        dev: &NetDevice,
        data: &NlAttrs<'_>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result;
    /// `slave_changelink` (RTNL): `IFLA_INFO_SLAVE_DATA` for `slave`, a
    /// lower device of `dev` (checked by the kernel: `slave`'s master is
    /// `dev`), validated against [`MasterOps::SLAVE_POLICY`].
    fn slave_changelink(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        data: &NlAttrs<'_>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result;
    /// Upper bound of `fill_info`'s payload.
    fn info_size(&self, dev: &NetDevice) -> usize;
    /// Dump the configuration into `IFLA_INFO_DATA` (RTNL).
    fn fill_info(&self, dev: &NetDevice, msg: &mut NlMsg<'_>, rtnl: &Rtnl) -> Result;
    /// Room [`MasterOps::fill_xstats`] needs.
    fn xstats_size() -> usize {
        0
    }

    /// Extended statistics (`IFLA_STATS_LINK_XSTATS`) of one of T's masters
    /// (`lower` false), or of a lower device of one (`lower` true: `dev` is
    /// that device, `IFLA_STATS_LINK_XSTATS_SLAVE`). RTNL held.
    fn fill_xstats(_dev: &NetDevice, _lower: bool, _msg: &mut NlMsg<'_>, _rtnl: &Rtnl) -> Result {
        Ok(())
    }

    /// Upper bound of `fill_slave_info`'s payload.
    fn slave_info_size(&self, dev: &NetDevice, slave: &NetDevice) -> usize;
    /// Dump a slave's state into `IFLA_INFO_SLAVE_DATA` (RTNL).
    fn fill_slave_info(
        &self,
        dev: &NetDevice,
        slave: &NetDevice,
        msg: &mut NlMsg<'_>,
        rtnl: &Rtnl,
    ) -> Result;
    /// Read sysfs file `idx` of the master's attribute group (inside an
    /// RCU read section).
    fn attr_show(&self, dev: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>, rcu: &RcuRead);
    /// Write sysfs file `idx` (no locks held; take RTNL with
    /// [`super::rtnl::lock_or_restart`]).
    fn attr_store(&self, dev: &NetDevice, idx: usize, input: &[u8], p: &mut Process) -> Result;
    /// Read file `idx` of a lower device's `bonding_slave` group (inside an
    /// RCU read section).
    fn slave_attr_show(slave: &NetDevice, idx: usize, buf: &mut ShowBuf<'_>, rcu: &RcuRead);
}

/// Kernel callback.
///
/// # Safety
///
/// Called by sysfs for a file of the master group, which exists only on T's
/// registered masters (set in setup::<T>); `buf` is the sysfs page.
unsafe extern "C" fn attr_show_cb<T: MasterOps>(
    dev: *mut bindings::net_device,
    idx: ffi::c_int,
    buf: *mut u8,
) -> isize {
    // SAFETY: see above.
    let (d, mut page) = unsafe { (NetDevice::from_raw(dev), ShowBuf::from_raw(buf)) };
    if let Some(t) = master_of::<T>(d) {
        let rcu = super::rcu::enter();
        t.attr_show(d, idx as usize, &mut page, &rcu);
    }
    page.len() as isize
}

/// Kernel callback.
///
/// # Safety
///
/// As [`attr_show_cb`]; `buf` has `count` readable bytes.
unsafe extern "C" fn attr_store_cb<T: MasterOps>(
    dev: *mut bindings::net_device,
    idx: ffi::c_int,
    buf: *const u8,
    count: usize,
) -> isize {
    // SAFETY: see above.
    let (d, input) = unsafe {
        (
            NetDevice::from_raw(dev),
            core::slice::from_raw_parts(buf, count),
        )
    };
    let Some(t) = master_of::<T>(d) else {
        return -(bindings::ENODEV as isize);
    };
    // SAFETY: a sysfs store runs in process context without locks.
    let mut p = unsafe { Process::assume() };
    match t.attr_store(d, idx as usize, input, &mut p) {
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// Kernel callback.
///
/// # Safety
///
/// Called by sysfs for a file of a lower device's `bonding_slave` group
/// (the device is alive for the call); `buf` is the sysfs page.
unsafe extern "C" fn slave_attr_show_cb<T: MasterOps>(
    dev: *mut bindings::net_device,
    idx: ffi::c_int,
    buf: *mut u8,
) -> isize {
    // SAFETY: see above.
    let (d, mut page) = unsafe { (NetDevice::from_raw(dev), ShowBuf::from_raw(buf)) };
    let rcu = super::rcu::enter();
    T::slave_attr_show(d, idx as usize, &mut page, &rcu);
    page.len() as isize
}

/// The sysfs attribute groups of T's masters (`bonding/`) and of their
/// lower devices (`bonding_slave/`). Create before the link kind is
/// registered; drop after it is unregistered (no device uses them then).
pub(crate) struct SysfsRegistration<T: MasterOps> {
    _names: KVec<u8>,
    _t: PhantomData<T>,
}

impl<T: MasterOps> SysfsRegistration<T> {
    /// Register files named `names` with permissions `modes` for masters,
    /// and `slave_names`/`slave_modes` for lower devices.
    pub(crate) fn new(
        names: &[&str],
        modes: &[u16],
        slave_names: &[&str],
        slave_modes: &[u16],
    ) -> Result<Self> {
        if names.len() != modes.len() || slave_names.len() != slave_modes.len() {
            return Err(code::EINVAL);
        }
        // One buffer of NUL-terminated names, alive as long as the groups.
        let mut buf = KVec::new();
        for n in names.iter().chain(slave_names) {
            buf.extend_from_slice(n.as_bytes(), GFP_KERNEL)?;
            buf.push(0, GFP_KERNEL)?;
        }
        let mut ptrs: KVec<*const ffi::c_char> = KVec::new();
        let mut off = 0;
        for n in names.iter().chain(slave_names) {
            ptrs.push(buf.as_ptr().wrapping_add(off).cast(), GFP_KERNEL)?;
            off += n.len() + 1;
        }
        let (bond_ptrs, slave_ptrs) = ptrs.split_at(names.len());
        // SAFETY: the arrays are valid for the call; C copies the name
        // pointers (into `buf`, which we keep) and the modes.
        to_result(unsafe {
            bindings::rbond_sysfs_init(
                &T::vtables().attr_ops,
                bond_ptrs.as_ptr(),
                modes.as_ptr(),
                names.len() as ffi::c_int,
                slave_ptrs.as_ptr(),
                slave_modes.as_ptr(),
                slave_names.len() as ffi::c_int,
            )
        })?;
        Ok(SysfsRegistration {
            _names: buf,
            _t: PhantomData,
        })
    }
}

impl<T: MasterOps> Drop for SysfsRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`; no device uses the groups any more.
        unsafe { bindings::rbond_sysfs_exit() }
    }
}

/// Add the `bonding_slave/` group to lower device `slave` (RTNL).
pub(crate) fn sysfs_slave_add(_rtnl: &mut Rtnl, slave: &NetDevice) -> Result {
    // SAFETY: RTNL held, device alive and registered.
    to_result(unsafe { bindings::rbond_sysfs_slave_add(slave.as_raw()) })
}

/// Remove the `bonding_slave/` group of `slave` (RTNL; waits for readers).
pub(crate) fn sysfs_slave_del(_rtnl: &mut Rtnl, slave: &NetDevice) {
    // SAFETY: RTNL held, device alive; the group was added.
    unsafe { bindings::rbond_sysfs_slave_del(slave.as_raw()) }
}

/// Number of delayed work items each master has.
pub(crate) const MAX_WORKS: usize = 5;

/// What the kernel allocates as a master's private area: the delayed work
/// items (owned by this layer, so their lifetime is tied to the device) and
/// the driver's data.
#[repr(C)]
struct MasterPriv<T> {
    works: [Opaque<bindings::rbond_dwork>; MAX_WORKS],
    /// The [`kick`] work (rbond's workqueue; holds a device reference while
    /// queued).
    kicked: Opaque<bindings::rbond_ework>,
    /// Set in `ndo_uninit`: no work may be queued any more.
    dead: AtomicBool,
    /// The IPsec states offloaded through this master.
    ipsec: super::xfrm::SaTable,
    t: T,
}

/// The C tables of a master driver. Lives in a `static` (see
/// [`declare_master!`]) because the kernel keeps pointers to it.
pub(crate) struct Vtables<T> {
    netdev_ops: bindings::net_device_ops,
    ethtool_ops: bindings::ethtool_ops,
    attr_ops: bindings::rbond_attr_ops,
    link_ops: Opaque<bindings::rtnl_link_ops>,
    /// Header ops of a master that took a non-Ethernet lower device's type.
    header_ops: bindings::header_ops,
    /// IPsec offload, handed on to the driver's offload device.
    #[cfg(CONFIG_XFRM_OFFLOAD)]
    xfrmdev_ops: bindings::xfrmdev_ops,
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
        netdev_ops.ndo_select_queue = Some(ndo_select_queue::<T>);
        netdev_ops.ndo_vlan_rx_add_vid = Some(ndo_vlan_rx_add_vid::<T>);
        netdev_ops.ndo_vlan_rx_kill_vid = Some(ndo_vlan_rx_kill_vid::<T>);
        netdev_ops.ndo_add_slave = Some(ndo_add_slave::<T>);
        netdev_ops.ndo_del_slave = Some(ndo_del_slave::<T>);
        netdev_ops.ndo_get_stats64 = Some(ndo_get_stats64::<T>);
        netdev_ops.ndo_set_mac_address = Some(ndo_set_mac_address::<T>);
        netdev_ops.ndo_change_mtu = Some(ndo_change_mtu::<T>);
        netdev_ops.ndo_set_rx_mode = Some(ndo_set_rx_mode::<T>);
        netdev_ops.ndo_change_rx_flags = Some(ndo_change_rx_flags::<T>);
        netdev_ops.ndo_fix_features = Some(ndo_fix_features::<T>);
        netdev_ops.ndo_netpoll_setup = Some(ndo_netpoll_setup::<T>);
        netdev_ops.ndo_netpoll_cleanup = Some(ndo_netpoll_cleanup::<T>);
        netdev_ops.ndo_poll_controller = Some(ndo_poll_controller::<T>);
        netdev_ops.ndo_hwtstamp_get = Some(ndo_hwtstamp_get::<T>);
        netdev_ops.ndo_hwtstamp_set = Some(ndo_hwtstamp_set::<T>);
        netdev_ops.ndo_bpf = Some(super::xdp::ndo_bpf::<T>);
        netdev_ops.ndo_xdp_xmit = Some(super::xdp::ndo_xdp_xmit::<T>);
        netdev_ops.ndo_xdp_get_xmit_slave = Some(super::xdp::ndo_xdp_get_xmit_slave::<T>);
        // SAFETY: all-zero is a valid ethtool_ops (every callback NULL).
        let mut ethtool_ops: bindings::ethtool_ops = unsafe { core::mem::zeroed() };
        ethtool_ops.get_drvinfo = Some(ethtool_get_drvinfo::<T>);
        ethtool_ops.get_link = Some(bindings::ethtool_op_get_link);
        ethtool_ops.get_link_ksettings = Some(ethtool_get_link_ksettings::<T>);
        ethtool_ops.get_ts_info = Some(ethtool_get_ts_info::<T>);
        // SAFETY: as above; list and srcu are initialized by rtnl_link_register.
        let mut link_ops: bindings::rtnl_link_ops = unsafe { core::mem::zeroed() };
        link_ops.kind = kernel::str::as_char_ptr_in_const_context(T::KIND);
        link_ops.priv_size = core::mem::size_of::<MasterPriv<T>>();
        link_ops.setup = Some(setup::<T>);
        link_ops.newlink = Some(newlink::<T>);
        link_ops.get_num_tx_queues = Some(get_num_tx_queues::<T>);
        link_ops.changelink = Some(changelink::<T>);
        link_ops.maxtype = T::POLICY.max_type() as u32;
        link_ops.policy = T::POLICY.as_ptr();
        link_ops.slave_maxtype = T::SLAVE_POLICY.max_type() as u32;
        link_ops.slave_policy = T::SLAVE_POLICY.as_ptr();
        link_ops.get_size = Some(get_size::<T>);
        link_ops.fill_info = Some(fill_info::<T>);
        link_ops.slave_changelink = Some(slave_changelink::<T>);
        link_ops.get_slave_size = Some(get_slave_size::<T>);
        link_ops.fill_slave_info = Some(fill_slave_info::<T>);
        link_ops.get_linkxstats_size = Some(get_linkxstats_size::<T>);
        link_ops.fill_linkxstats = Some(fill_linkxstats::<T>);
        let attr_ops = bindings::rbond_attr_ops {
            show: Some(attr_show_cb::<T>),
            store: Some(attr_store_cb::<T>),
            slave_show: Some(slave_attr_show_cb::<T>),
        };
        // SAFETY: all-zero is a valid header_ops (every callback NULL).
        let mut header_ops: bindings::header_ops = unsafe { core::mem::zeroed() };
        header_ops.create = Some(header_create::<T>);
        header_ops.parse = Some(header_parse::<T>);
        #[cfg(CONFIG_XFRM_OFFLOAD)]
        // SAFETY: all-zero is a valid xfrmdev_ops (every callback NULL).
        let mut xfrmdev_ops: bindings::xfrmdev_ops = unsafe { core::mem::zeroed() };
        #[cfg(CONFIG_XFRM_OFFLOAD)]
        {
            xfrmdev_ops.xdo_dev_state_add = Some(super::xfrm::state_add::<T>);
            xfrmdev_ops.xdo_dev_state_delete = Some(super::xfrm::state_delete::<T>);
            xfrmdev_ops.xdo_dev_state_free = Some(super::xfrm::state_free::<T>);
            xfrmdev_ops.xdo_dev_offload_ok = Some(super::xfrm::offload_ok::<T>);
            xfrmdev_ops.xdo_dev_state_advance_esn = Some(super::xfrm::advance_esn::<T>);
            xfrmdev_ops.xdo_dev_state_update_stats = Some(super::xfrm::update_stats::<T>);
        }
        Vtables {
            netdev_ops,
            ethtool_ops,
            attr_ops,
            link_ops: Opaque::new(link_ops),
            header_ops,
            #[cfg(CONFIG_XFRM_OFFLOAD)]
            xfrmdev_ops,
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
    // SAFETY: guaranteed by the caller.
    unsafe { &master_priv::<T>(dev).t }
}

/// The whole private area of one of T's masters.
///
/// # Safety
///
/// As [`priv_of`].
unsafe fn master_priv<'a, T: MasterOps>(dev: &'a NetDevice) -> &'a MasterPriv<T> {
    // SAFETY: netdev_priv points to priv_size = size_of::<MasterPriv<T>>()
    // bytes, aligned to NETDEV_ALIGN (32, checked in setup), initialized by
    // setup::<T>.
    unsafe { &*bindings::rbond_netdev_priv(dev.as_raw()).cast::<MasterPriv<T>>() }
}

/// The driver data and the IPsec table of one of T's masters.
///
/// # Safety
///
/// As [`priv_of`].
pub(super) unsafe fn xfrm_parts<'a, T: MasterOps>(
    dev: &'a NetDevice,
) -> (&'a T, &'a super::xfrm::SaTable) {
    // SAFETY: guaranteed by the caller.
    let p = unsafe { master_priv::<T>(dev) };
    (&p.t, &p.ipsec)
}

/// The IPsec table of master `dev`, if it is one of T's.
pub(crate) fn ipsec_table<T: MasterOps>(dev: &NetDevice) -> Option<&super::xfrm::SaTable> {
    master_priv_checked::<T>(dev).map(|p| &p.ipsec)
}

/// Queue work item `id` of master `dev` to run after `delay` jiffies, unless
/// it is already queued (then nothing changes). Ignored once the device is
/// being torn down.
pub(crate) fn queue_work<T: MasterOps>(dev: &NetDevice, id: usize, delay: u64) {
    let Some(this) = master_priv_checked::<T>(dev) else {
        return;
    };
    let Some(w) = this.works.get(id) else { return };
    if !this.dead.load(Ordering::Acquire) {
        // SAFETY: initialized in setup; cancelled in uninit before the
        // memory can go (the dead flag stops later queueing).
        unsafe { bindings::rbond_dwork_queue(w.get(), delay as ffi::c_ulong) };
    }
}

/// Like [`queue_work`], but moves an already queued item to run after `delay`.
pub(crate) fn requeue_work<T: MasterOps>(dev: &NetDevice, id: usize, delay: u64) {
    let Some(this) = master_priv_checked::<T>(dev) else {
        return;
    };
    let Some(w) = this.works.get(id) else { return };
    if !this.dead.load(Ordering::Acquire) {
        // SAFETY: as in queue_work.
        unsafe { bindings::rbond_dwork_mod(w.get(), delay as ffi::c_ulong) };
    }
}

/// Cancel work item `id` and wait for it to finish if it runs (sleeps). The
/// item must not wait for anything the caller holds (work items use
/// [`super::rtnl::try_lock`], so callers may hold RTNL).
pub(crate) fn cancel_work_sync<T: MasterOps>(dev: &NetDevice, id: usize) {
    let Some(this) = master_priv_checked::<T>(dev) else {
        return;
    };
    if let Some(w) = this.works.get(id) {
        // SAFETY: initialized in setup.
        unsafe { bindings::rbond_dwork_cancel_sync(w.get()) };
    }
}

/// Run [`MasterOps::run_kicked`] on master `dev` soon, in process context
/// with RTNL held (the work waits for RTNL: it runs as soon as the caller
/// releases it). For what a callback cannot do where it runs, e.g. a
/// notifier that the kernel calls with a slave's instance lock held. Several
/// kicks before it runs make one run. Ignored once the device is being
/// torn down.
///
/// Unlike the delayed work items, this one takes RTNL blocking, so it is
/// never cancelled synchronously: while queued it holds a reference to the
/// device (so its memory outlives it), `ndo_uninit` cancels it if it has
/// not started, and a run that starts afterwards sees the device dead and
/// only drops its reference.
pub(crate) fn kick<T: MasterOps>(_rtnl: &Rtnl, dev: &NetDevice) {
    let Some(this) = master_priv_checked::<T>(dev) else {
        return;
    };
    // RTNL (token) orders this with ndo_uninit, which sets `dead`.
    if this.dead.load(Ordering::Acquire) {
        return;
    }
    // SAFETY: the device is alive; the reference is the queued work's.
    unsafe { bindings::rbond_dev_hold(dev.as_raw()) };
    // SAFETY: initialized in setup; cancelled in uninit, and the reference
    // taken above keeps the memory alive while it is queued or running.
    if !unsafe { bindings::rbond_ework_queue(this.kicked.get()) } {
        // Already queued: that run holds its own reference.
        // SAFETY: the reference taken above.
        unsafe { bindings::rbond_dev_put(dev.as_raw()) };
    }
}

/// The [`kick`] work.
///
/// # Safety
///
/// `ctx` is a master device of T whose kick work runs; the queued work
/// holds a reference to it, which this function gives back.
unsafe extern "C" fn kicked_fn<T: MasterOps>(ctx: *mut ffi::c_void) {
    let raw = ctx.cast::<bindings::net_device>();
    {
        // SAFETY: the work's reference keeps the device (and its private
        // data, dropped only once the references are gone) alive.
        let dev = unsafe { NetDevice::from_raw(raw) };
        // SAFETY: work items run in process context without locks.
        let mut p = unsafe { Process::assume() };
        let mut rtnl = super::rtnl::lock(&mut p);
        // SAFETY: one of T's masters, alive (see above).
        let this = unsafe { master_priv::<T>(dev) };
        if !this.dead.load(Ordering::Acquire) {
            this.t.run_kicked(dev, &mut rtnl);
        }
    }
    // SAFETY: the queued work's reference; nothing touches the device after.
    unsafe { bindings::rbond_dev_put(raw) };
}

/// The module workqueue of [`kick`]: created at module
/// init, destroyed (waiting for every queued item) at module exit, after
/// every master is gone.
pub(crate) struct KickQueue;

impl KickQueue {
    /// Create the workqueue.
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: module init, once.
        to_result(unsafe { bindings::rbond_wq_create() })?;
        Ok(KickQueue)
    }
}

impl Drop for KickQueue {
    fn drop(&mut self) {
        // SAFETY: created in `new`; no master is left to queue on it.
        unsafe { bindings::rbond_wq_destroy() }
    }
}

fn master_priv_checked<T: MasterOps>(dev: &NetDevice) -> Option<&MasterPriv<T>> {
    if dev.has_ops(&T::vtables().netdev_ops) {
        // SAFETY: one of T's masters (ops checked), alive (borrow).
        Some(unsafe { master_priv::<T>(dev) })
    } else {
        None
    }
}

/// Work trampoline for item `ID`.
///
/// # Safety
///
/// `ctx` is a master device of T whose work item `ID` is running: the device
/// is alive (work is cancelled in ndo_uninit, before it can be freed).
unsafe extern "C" fn work_fn<T: MasterOps, const ID: usize>(ctx: *mut ffi::c_void) {
    // SAFETY: see above.
    let dev = unsafe { NetDevice::from_raw(ctx.cast()) };
    // SAFETY: one of T's masters, alive.
    let this = unsafe { priv_of::<T>(dev) };
    // SAFETY: work items run in process context without locks.
    let mut p = unsafe { Process::assume() };
    this.run_work(dev, ID, &mut p);
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
    const { assert!(core::mem::align_of::<MasterPriv<T>>() <= 32) };
    let fns: [unsafe extern "C" fn(*mut ffi::c_void); MAX_WORKS] = [
        work_fn::<T, 0>,
        work_fn::<T, 1>,
        work_fn::<T, 2>,
        work_fn::<T, 3>,
        work_fn::<T, 4>,
    ];
    // SAFETY: called by alloc_netdev with a new device whose zeroed private
    // area has room for MasterPriv<T> (priv_size). The work items get the
    // device as context; they can only be queued through this layer. The
    // IPsec table is initialised where it stays (the private area never
    // moves) before any callback can reach it; the xfrmdev_ops live in a
    // static.
    unsafe {
        bindings::rbond_setup_master(dev);
        bindings::rbond_sysfs_attach_master(dev);
        (*dev).netdev_ops = &T::vtables().netdev_ops;
        (*dev).ethtool_ops = &T::vtables().ethtool_ops;
        (*dev).priv_destructor = Some(priv_destructor::<T>);
        let p = bindings::rbond_netdev_priv(dev).cast::<MasterPriv<T>>();
        let works = core::ptr::addr_of_mut!((*p).works).cast::<bindings::rbond_dwork>();
        for (i, f) in fns.into_iter().enumerate() {
            bindings::rbond_dwork_init(works.add(i), Some(f), dev.cast());
        }
        bindings::rbond_ework_init(
            core::ptr::addr_of_mut!((*p).kicked).cast(),
            Some(kicked_fn::<T>),
            dev.cast(),
        );
        core::ptr::addr_of_mut!((*p).dead).write(AtomicBool::new(false));
        super::xfrm::SaTable::init(core::ptr::addr_of_mut!((*p).ipsec));
        core::ptr::addr_of_mut!((*p).t).write(T::new());
        #[cfg(CONFIG_XFRM_OFFLOAD)]
        bindings::rbond_set_xfrmdev_ops(dev, &T::vtables().xfrmdev_ops);
        // xfrm offload is offered always (hw_features, rbond_setup_master)
        // and on from the start where the driver's defaults use it.
        if (*p).t.ipsec_offloads() {
            bindings::rbond_dev_add_features(dev, super::xfrm::features());
        }
    }
}

/// `priv_destructor`: drops T in place.
///
/// # Safety
///
/// Called by the kernel once per device set up by `setup::<T>`, before freeing it.
unsafe extern "C" fn priv_destructor<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: called once, after unregistration (or a failed registration
    // past ndo_init) and before the memory is freed; T and the IPsec table
    // were written by setup, and the table is empty (every state holds a
    // reference on the device, and was freed before the last one went).
    // No work item is queued: only init..uninit may queue them.
    unsafe {
        let p = bindings::rbond_netdev_priv(dev).cast::<MasterPriv<T>>();
        core::ptr::drop_in_place(core::ptr::addr_of_mut!((*p).t));
        core::ptr::drop_in_place(core::ptr::addr_of_mut!((*p).ipsec));
    }
}

/// Run `f` with the device and private data of a callback under RTNL.
///
/// # Safety
///
/// `dev` must be one of T's masters, alive, and the callback must run under RTNL.
pub(super) unsafe fn with_master<T: MasterOps, R>(
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
    // SAFETY: ndo_init: our device, not yet visible, its queues allocated.
    unsafe { bindings::rbond_lockdep_set_classes(dev) };
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
    unsafe {
        with_master::<T, _>(dev, |d, t, r| {
            // States offloaded through us go before the lower devices do.
            // The xfrm core's notifier flushed them already at
            // NETDEV_UNREGISTER where the master has the ESP features; C
            // flushes there for the others, this is the same point for them.
            super::xfrm::flush(d);
            t.uninit(d, r);
            let p = master_priv::<T>(d);
            p.dead.store(true, Ordering::Release);
            for w in &p.works {
                bindings::rbond_dwork_cancel_sync(w.get());
            }
            // A kick work not started yet will not run: give its
            // reference back. One that runs already waits for RTNL and
            // will see `dead`.
            if bindings::rbond_ework_cancel(p.kicked.get()) {
                bindings::rbond_dev_put(d.as_raw());
            }
        })
    }
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

/// A packet whose transmit queue on the master is being chosen
/// (`ndo_select_queue`): borrowed from the stack for the callback.
pub(crate) struct TxQueueSkb<'a> {
    skb: NonNull<bindings::sk_buff>,
    _p: PhantomData<&'a mut bindings::sk_buff>,
}

impl TxQueueSkb<'_> {
    /// The receive queue the packet was recorded with, if any (a forwarded
    /// packet: `skb_get_rx_queue` when `skb_rx_queue_recorded`).
    pub(crate) fn rx_queue(&self) -> Option<u16> {
        // SAFETY: valid skb for the callback.
        u16::try_from(unsafe { bindings::rbond_skb_rx_queue(self.skb.as_ptr()) }).ok()
    }

    /// Remember the queue the stack picked so that the lower device's
    /// transmit gets it back (`qdisc_skb_cb(skb)->slave_dev_queue_mapping`).
    pub(crate) fn save_queue_mapping(&mut self) {
        // SAFETY: valid skb for the callback; the stack owns the cb area
        // and lets the master's select_queue write this field.
        unsafe { bindings::rbond_skb_save_queue_mapping(self.skb.as_ptr()) }
    }
}

/// Kernel callback.
///
/// # Safety
///
/// Called only by the kernel, on one of T's devices, with the locking its
/// `net_device_ops`/`rtnl_link_ops` contract documents.
unsafe extern "C" fn ndo_select_queue<T: MasterOps>(
    dev: *mut bindings::net_device,
    skb: *mut bindings::sk_buff,
    _sb_dev: *mut bindings::net_device,
) -> u16 {
    // SAFETY: the stack passes a live device of ours.
    let d = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: our device; private data lives until after an RCU grace period.
    let this = unsafe { priv_of::<T>(d) };
    let Some(skb) = NonNull::new(skb) else {
        return 0;
    };
    let mut view = TxQueueSkb {
        skb,
        _p: PhantomData,
    };
    this.select_queue(d, &mut view)
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
    // The stack transmits under rcu_read_lock_bh; netpoll (interrupts off)
    // not always (its retry work): there, a read section of our own.
    let (owned, assumed);
    let rcu: &RcuRead = if super::netpoll::tx_running(d) {
        owned = super::rcu::enter();
        &owned
    } else {
        // SAFETY: outside netpoll the stack holds rcu_read_lock_bh.
        assumed = unsafe { RcuRead::assume_held() };
        &assumed
    };
    match NonNull::new(skb) {
        // SAFETY: ndo_start_xmit hands us the skb's reference.
        Some(skb) => this
            .start_xmit(d, unsafe { SkBuff::from_raw(skb) }, rcu)
            .raw(),
        None => bindings::netdev_tx_NETDEV_TX_OK,
    }
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
    params: *mut bindings::rtnl_newlink_params,
    extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: rtnl newlink runs under RTNL with a device allocated by our
    // setup; registering it may call back into ndo_init (no borrows held).
    let mut rtnl = unsafe { Rtnl::assume_held() };
    // SAFETY: the device is alive and not yet registered.
    let d = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: params is valid for the call; data is NULL or an array of
    // policy().len() attribute pointers validated against our policy.
    let data = unsafe { NlAttrs::from_raw((*params).data, T::POLICY.max_type()) };
    // SAFETY: extack is NULL or valid for the call.
    let mut ext = unsafe { Extack::from_raw(extack) };
    // SAFETY: setup::<T> ran.
    let this = unsafe { priv_of::<T>(d) };
    // As C: register, then apply the options; a bad value unregisters.
    if let Err(e) = register::<T>(d, &mut rtnl) {
        return e.to_errno();
    }
    if let Err(e) = this.changelink(d, &data, &mut ext, &mut rtnl) {
        // SAFETY: RTNL held, registered device; no borrows of it remain
        // besides `d`/`this`, which we do not use afterwards.
        unsafe { bindings::unregister_netdevice_queue(d.as_raw(), core::ptr::null_mut()) };
        return e.to_errno();
    }
    0
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.changelink: RTNL held, one of T's devices.
unsafe extern "C" fn changelink<T: MasterOps>(
    dev: *mut bindings::net_device,
    _tb: *mut *mut bindings::nlattr,
    data: *mut *mut bindings::nlattr,
    extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: data/extack valid for the call (see newlink).
    let (data, mut ext) = unsafe {
        (
            NlAttrs::from_raw(data, T::POLICY.max_type()),
            Extack::from_raw(extack),
        )
    };
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.changelink(d, &data, &mut ext, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.slave_changelink: RTNL held; `dev` is one of T's masters
/// and `slave` a lower device of it (rtnl_changelink looked the master up
/// from the slave), both alive for the call; `data` is null or the
/// `SLAVE_POLICY`-validated attribute array.
unsafe extern "C" fn slave_changelink<T: MasterOps>(
    dev: *mut bindings::net_device,
    slave: *mut bindings::net_device,
    _tb: *mut *mut bindings::nlattr,
    data: *mut *mut bindings::nlattr,
    extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: data/extack valid for the call (see above); the slave is alive.
    let (data, mut ext, s) = unsafe {
        (
            NlAttrs::from_raw(data, T::SLAVE_POLICY.max_type()),
            Extack::from_raw(extack),
            NetDevice::from_raw(slave),
        )
    };
    // SAFETY: our device, RTNL held.
    errno(unsafe {
        with_master::<T, _>(dev, |d, t, r| t.slave_changelink(d, s, &data, &mut ext, r))
    })
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.get_size: one of T's devices, RTNL held.
unsafe extern "C" fn get_size<T: MasterOps>(dev: *const bindings::net_device) -> usize {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev.cast_mut()) };
    // SAFETY: one of T's devices.
    unsafe { priv_of::<T>(d) }.info_size(d)
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.fill_info: one of T's devices, RTNL held, skb being built.
unsafe extern "C" fn fill_info<T: MasterOps>(
    skb: *mut bindings::sk_buff,
    dev: *const bindings::net_device,
) -> ffi::c_int {
    // SAFETY: the message skb is ours to append to for the call.
    let mut msg = unsafe { NlMsg::from_raw(skb) };
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev.cast_mut(), |d, t, r| t.fill_info(d, &mut msg, r)) })
}

/// `IFLA_STATS_LINK_XSTATS` and `IFLA_STATS_LINK_XSTATS_SLAVE`.
const XSTATS: ffi::c_int = 2;
const XSTATS_SLAVE: ffi::c_int = 3;

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.get_linkxstats_size: called by the kernel (RTNL held).
unsafe extern "C" fn get_linkxstats_size<T: MasterOps>(
    _dev: *const bindings::net_device,
    attr: ffi::c_int,
) -> usize {
    match attr {
        XSTATS | XSTATS_SLAVE => T::xstats_size(),
        _ => 0,
    }
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.fill_linkxstats: RTNL held; `dev` is one of T's masters
/// (`IFLA_STATS_LINK_XSTATS`) or a lower device of one (`_SLAVE`), alive;
/// `skb` is the message being built.
unsafe extern "C" fn fill_linkxstats<T: MasterOps>(
    skb: *mut bindings::sk_buff,
    dev: *const bindings::net_device,
    _prividx: *mut ffi::c_int,
    attr: ffi::c_int,
) -> ffi::c_int {
    let lower = match attr {
        XSTATS => false,
        XSTATS_SLAVE => true,
        _ => return kernel::error::code::EINVAL.to_errno(),
    };
    // SAFETY: the message skb is ours to append to for the call.
    let mut msg = unsafe { NlMsg::from_raw(skb) };
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev.cast_mut()) };
    // SAFETY: the stats handlers run with RTNL held; callback entry point.
    let rtnl = unsafe { Rtnl::assume_held() };
    errno(T::fill_xstats(d, lower, &mut msg, &rtnl))
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.get_slave_size: T's master and one of its lower devices.
unsafe extern "C" fn get_slave_size<T: MasterOps>(
    dev: *const bindings::net_device,
    slave: *const bindings::net_device,
) -> usize {
    // SAFETY: both alive for the call.
    let (d, s) = unsafe {
        (
            NetDevice::from_raw(dev.cast_mut()),
            NetDevice::from_raw(slave.cast_mut()),
        )
    };
    // SAFETY: one of T's devices.
    unsafe { priv_of::<T>(d) }.slave_info_size(d, s)
}

/// Kernel callback.
///
/// # Safety
///
/// rtnl_link_ops.fill_slave_info: T's master and one of its lower devices,
/// RTNL held.
unsafe extern "C" fn fill_slave_info<T: MasterOps>(
    skb: *mut bindings::sk_buff,
    dev: *const bindings::net_device,
    slave: *const bindings::net_device,
) -> ffi::c_int {
    // SAFETY: see get_slave_size / fill_info.
    let (mut msg, s) = unsafe { (NlMsg::from_raw(skb), NetDevice::from_raw(slave.cast_mut())) };
    // SAFETY: our device, RTNL held.
    errno(unsafe {
        with_master::<T, _>(dev.cast_mut(), |d, t, r| {
            t.fill_slave_info(d, s, &mut msg, r)
        })
    })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_add_slave: RTNL held, our device, a live slave device.
unsafe extern "C" fn ndo_add_slave<T: MasterOps>(
    dev: *mut bindings::net_device,
    slave: *mut bindings::net_device,
    extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: see above.
    let (s, mut ext) = unsafe { (NetDevice::from_raw(slave), Extack::from_raw(extack)) };
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.add_slave(d, s, &mut ext, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_del_slave: RTNL held, our device, a live slave device.
unsafe extern "C" fn ndo_del_slave<T: MasterOps>(
    dev: *mut bindings::net_device,
    slave: *mut bindings::net_device,
) -> ffi::c_int {
    // SAFETY: see above.
    let s = unsafe { NetDevice::from_raw(slave) };
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.del_slave(d, s, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_get_stats64: our device (any context), valid output struct.
unsafe extern "C" fn ndo_get_stats64<T: MasterOps>(
    dev: *mut bindings::net_device,
    out: *mut bindings::rtnl_link_stats64,
) {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    let rcu = super::rcu::enter();
    // SAFETY: one of T's devices.
    let st = unsafe { priv_of::<T>(d) }.get_stats(d, &rcu);
    drop(rcu);
    // SAFETY: `out` is a valid rtnl_link_stats64, i.e. STATS_LEN u64s.
    unsafe { core::ptr::copy_nonoverlapping(st.0.as_ptr(), out.cast::<u64>(), st.0.len()) };
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_set_mac_address: RTNL held, `addr` a sockaddr_storage.
unsafe extern "C" fn ndo_set_mac_address<T: MasterOps>(
    dev: *mut bindings::net_device,
    addr: *mut ffi::c_void,
) -> ffi::c_int {
    let mut mac = [0u8; ETH_ALEN];
    // SAFETY: a sockaddr_storage: 2-byte family, then the address bytes.
    unsafe { core::ptr::copy_nonoverlapping(addr.cast::<u8>().add(2), mac.as_mut_ptr(), ETH_ALEN) };
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.set_mac_address(d, &mac, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_change_mtu: RTNL held, our device.
unsafe extern "C" fn ndo_change_mtu<T: MasterOps>(
    dev: *mut bindings::net_device,
    mtu: ffi::c_int,
) -> ffi::c_int {
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.change_mtu(d, mtu as u32, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_set_rx_mode: our device, address lock held (atomic context).
unsafe extern "C" fn ndo_set_rx_mode<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    let rcu = super::rcu::enter();
    // SAFETY: one of T's devices.
    unsafe { priv_of::<T>(d) }.set_rx_mode(d, &rcu);
}

/// Kernel callback.
///
/// # Safety
///
/// ethtool get_drvinfo: one of T's devices, `info` valid for the call.
unsafe extern "C" fn ethtool_get_drvinfo<T: MasterOps>(
    _dev: *mut bindings::net_device,
    info: *mut bindings::ethtool_drvinfo,
) {
    // SAFETY: `info` is valid; the strings are static and NUL-terminated.
    unsafe {
        bindings::rbond_ethtool_drvinfo(info, T::DRIVER.as_char_ptr(), T::FW_VERSION.as_char_ptr())
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ethtool get_link_ksettings: one of T's devices (not ops-locked), RTNL
/// held by every caller, `cmd` valid for the call.
unsafe extern "C" fn ethtool_get_link_ksettings<T: MasterOps>(
    dev: *mut bindings::net_device,
    cmd: *mut bindings::ethtool_link_ksettings,
) -> ffi::c_int {
    // SAFETY: our device, RTNL held.
    let sd = unsafe { with_master::<T, _>(dev, |d, t, r| t.link_speed(d, r)) };
    // SAFETY: `cmd` is valid for the call.
    unsafe { bindings::rbond_ethtool_ksettings(cmd, sd.speed, sd.duplex) };
    0
}

/// The lower device T passes time stamping requests to, referenced.
fn timestamping_lower<T: MasterOps>(d: &NetDevice) -> Option<super::netdev::NetDevRef> {
    let t = master_of::<T>(d)?;
    let rcu = super::rcu::enter();
    let lower = t
        .timestamping_lower(d, &rcu)
        .map(super::netdev::NetDevRef::new);
    drop(rcu);
    lower
}

/// Kernel callback.
///
/// # Safety
///
/// ethtool get_ts_info: one of T's devices, process context, `info` valid.
unsafe extern "C" fn ethtool_get_ts_info<T: MasterOps>(
    dev: *mut bindings::net_device,
    info: *mut bindings::kernel_ethtool_ts_info,
) -> ffi::c_int {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    let lower = timestamping_lower::<T>(d);
    let lp = lower
        .as_deref()
        .map_or(core::ptr::null_mut(), NetDevice::as_raw);
    // SAFETY: `lp` is null or a device we hold a reference to; `info` valid.
    unsafe { bindings::rbond_ethtool_ts_info(dev, lp, info) }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_hwtstamp_get: RTNL held, our device, `cfg` valid for the call.
unsafe extern "C" fn ndo_hwtstamp_get<T: MasterOps>(
    dev: *mut bindings::net_device,
    cfg: *mut bindings::kernel_hwtstamp_config,
) -> ffi::c_int {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    match timestamping_lower::<T>(d) {
        // SAFETY: a device we hold a reference to, under RTNL; `cfg` valid.
        Some(l) => unsafe { bindings::rbond_hwtstamp_get_lower(l.as_raw(), cfg) },
        None => -(bindings::EOPNOTSUPP as ffi::c_int),
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_hwtstamp_set: RTNL held, our device, `cfg` valid for the call.
unsafe extern "C" fn ndo_hwtstamp_set<T: MasterOps>(
    dev: *mut bindings::net_device,
    cfg: *mut bindings::kernel_hwtstamp_config,
    extack: *mut bindings::netlink_ext_ack,
) -> ffi::c_int {
    // SAFETY: alive for the call.
    let d = unsafe { NetDevice::from_raw(dev) };
    match timestamping_lower::<T>(d) {
        // SAFETY: a device we hold a reference to, under RTNL; `cfg` and
        // `extack` valid for the call.
        Some(l) => unsafe { bindings::rbond_hwtstamp_set_lower(l.as_raw(), cfg, extack) },
        None => -(bindings::EOPNOTSUPP as ffi::c_int),
    }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_fix_features: RTNL held (netdev_update_features), our device.
unsafe extern "C" fn ndo_fix_features<T: MasterOps>(
    dev: *mut bindings::net_device,
    features: bindings::netdev_features_t,
) -> bindings::netdev_features_t {
    // SAFETY: our device, RTNL held.
    unsafe { with_master::<T, _>(dev, |d, t, r| t.fix_features(d, features, r)) }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_change_rx_flags: RTNL held, our device.
unsafe extern "C" fn ndo_change_rx_flags<T: MasterOps>(
    dev: *mut bindings::net_device,
    change: ffi::c_int,
) {
    // SAFETY: our device, RTNL held.
    unsafe { with_master::<T, _>(dev, |d, t, r| t.change_rx_flags(d, change as u32, r)) }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_netpoll_setup: RTNL held (`__netpoll_setup`), our device.
unsafe extern "C" fn ndo_netpoll_setup<T: MasterOps>(dev: *mut bindings::net_device) -> ffi::c_int {
    // SAFETY: our device, RTNL held.
    errno(unsafe { with_master::<T, _>(dev, |d, t, r| t.netpoll_setup(d, r)) })
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_netpoll_cleanup: RTNL held (`__netpoll_cleanup`), our device.
unsafe extern "C" fn ndo_netpoll_cleanup<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: our device, RTNL held.
    unsafe { with_master::<T, _>(dev, |d, t, r| t.netpoll_cleanup(d, r)) }
}

/// Kernel callback.
///
/// # Safety
///
/// ndo_poll_controller: called by netpoll_poll_dev with interrupts off, on
/// our device.
unsafe extern "C" fn ndo_poll_controller<T: MasterOps>(dev: *mut bindings::net_device) {
    // SAFETY: netpoll passes a live device of ours.
    let d = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: our device; private data lives until after an RCU grace period.
    let this = unsafe { priv_of::<T>(d) };
    // Our own read section (the caller's may be interrupts off only).
    let rcu = super::rcu::enter();
    this.poll_controller(d, &rcu);
}

/// Kernel callback (`header_ops.create` of a master of a non-Ethernet
/// type): the active lower device's header, built for that device.
///
/// # Safety
///
/// Called by the stack (dev_hard_header) on one of T's masters, any context.
unsafe extern "C" fn header_create<T: MasterOps>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
    ty: ffi::c_ushort,
    daddr: *const ffi::c_void,
    saddr: *const ffi::c_void,
    len: ffi::c_uint,
) -> ffi::c_int {
    // SAFETY: the stack passes a live device of ours.
    let d = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: our device; private data lives until after an RCU grace period.
    let this = unsafe { priv_of::<T>(d) };
    let rcu = super::rcu::enter();
    match this.header_lower(d, &rcu) {
        // SAFETY: `lower` is alive for the RCU section; skb and addresses
        // are the caller's, passed through unchanged to the lower device's
        // own header op, with the lower device (not the master) as its
        // device, so a stack of masters cannot recurse on one device.
        Some(lower) => unsafe {
            bindings::rbond_lower_header_create(lower.as_raw(), skb, ty, daddr, saddr, len)
        },
        None => 0,
    }
}

/// Kernel callback (`header_ops.parse` of a master of a non-Ethernet type).
///
/// # Safety
///
/// Called by the stack (dev_parse_header) on one of T's masters, any context.
unsafe extern "C" fn header_parse<T: MasterOps>(
    skb: *const bindings::sk_buff,
    dev: *const bindings::net_device,
    haddr: *mut ffi::c_uchar,
) -> ffi::c_int {
    // SAFETY: the stack passes a live device of ours.
    let d = unsafe { NetDevice::from_raw(dev.cast_mut()) };
    // SAFETY: our device; private data lives until after an RCU grace period.
    let this = unsafe { priv_of::<T>(d) };
    let rcu = super::rcu::enter();
    match this.header_lower(d, &rcu) {
        // SAFETY: as in header_create; `haddr` is the caller's buffer
        // (MAX_ADDR_LEN), filled by the lower device's parse.
        Some(lower) => unsafe { bindings::rbond_lower_header_parse(lower.as_raw(), skb, haddr) },
        None => 0,
    }
}

/// Give master `dev` the link-layer type of its first lower device `lower`
/// when that is not Ethernet (C's `bond_setup_by_slave`: type, header
/// lengths, address length, broadcast address, point-to-point flags; header
/// ops forwarding to [`MasterOps::header_lower`]). Closes and reopens the
/// master if it is up (RTNL).
pub(crate) fn setup_by_lower<T: MasterOps>(dev: &NetDevice, lower: &NetDevice, _rtnl: &mut Rtnl) {
    // SAFETY: RTNL held (token); both devices alive; the header ops live in
    // T's static tables, forever.
    unsafe {
        bindings::rbond_setup_by_lower(dev.as_raw(), lower.as_raw(), &T::vtables().header_ops)
    }
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
    /// Register the link kind (`ip link add ... type KIND`) and create
    /// `initial` masters named after `pattern` in the initial namespace.
    /// Module init only (process context, no lock held); on error what was
    /// made is undone.
    pub(crate) fn register(initial: i32, pattern: &core::ffi::CStr) -> Result<Self> {
        // SAFETY: the ops live in a static; registered once per module load.
        to_result(unsafe { bindings::rtnl_link_register(T::vtables().link_ops.get()) })?;
        let this = LinkRegistration { _t: PhantomData };
        // SAFETY: module init runs in process context without locks.
        let mut p = unsafe { Process::assume() };
        let mut rtnl = super::rtnl::lock(&mut p);
        for _ in 0..initial {
            // On error, `this` drops after the guard: the link kind goes,
            // taking the masters made so far.
            create::<T>(&mut rtnl, Net::init_net(), None, pattern)?;
        }
        drop(rtnl);
        Ok(this)
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
            core::mem::size_of::<MasterPriv<T>>() as ffi::c_int,
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
