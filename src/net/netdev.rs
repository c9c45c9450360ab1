// SPDX-License-Identifier: GPL-2.0

//! Borrowed views of `struct net_device` and `struct net`.
//!
//! Contract: a `&NetDevice` or `&Net` is only handed out by this layer for a
//! span in which the kernel object is known to be alive (a callback on that
//! device, an RCU read section, or RTNL held while the device is registered).

use super::bindings;
use super::rtnl::Rtnl;
use core::ptr::NonNull;
use kernel::error::{to_result, Result};
use kernel::types::Opaque;

/// C's `ETH_ALEN`.
pub(crate) const ETH_ALEN: usize = 6;

/// An Ethernet hardware address.
pub(crate) type MacAddr = [u8; ETH_ALEN];

/// Speed and duplex as ethtool reports them (C's `SPEED_UNKNOWN` is
/// `u32::MAX`, duplex 0 half / 1 full / 0xff unknown).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpeedDuplex {
    /// Mbit/s.
    pub(crate) speed: u32,
    /// `DUPLEX_*`.
    pub(crate) duplex: u8,
}

/// Traffic counters of a device (the subset bonding aggregates).
#[derive(Clone, Copy, Default)]
pub(crate) struct Stats(pub(crate) [u64; STATS_LEN]);

/// Number of `u64` counters in `struct rtnl_link_stats64`.
pub(crate) const STATS_LEN: usize =
    core::mem::size_of::<bindings::rtnl_link_stats64>() / core::mem::size_of::<u64>();

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

    /// The device's namespace.
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: a live device always has a live namespace (devices leave
        // or die before their namespace goes).
        unsafe { Net::from_raw(bindings::rbond_dev_net(self.as_raw())) }
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

    /// `dev->real_num_tx_queues`.
    pub(crate) fn real_num_tx_queues(&self) -> u32 {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_dev_real_num_tx_queues(self.as_raw()) }
    }

    /// Count one transmit drop on the device (any context).
    pub(crate) fn count_tx_drop(&self) {
        // SAFETY: the device is alive; the counter is per-CPU and lock-free.
        unsafe { bindings::rbond_tx_dropped_inc(self.as_raw()) }
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

/// How a lower device should be transmitted on (C's `netdev_lag_tx_type`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LagTxType {
    /// Unknown/other.
    Unknown = bindings::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_UNKNOWN as isize,
    /// Round robin.
    RoundRobin = bindings::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_ROUNDROBIN as isize,
    /// Active-backup.
    ActiveBackup = bindings::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_ACTIVEBACKUP as isize,
    /// Broadcast.
    Broadcast = bindings::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_BROADCAST as isize,
    /// Hash based.
    Hash = bindings::netdev_lag_tx_type_NETDEV_LAG_TX_TYPE_HASH as isize,
}

/// Device state readers (any context: racy snapshots, as C's readers).
impl NetDevice {
    /// `dev->flags` (`IFF_*`).
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: the device is alive (type contract).
        unsafe { bindings::rbond_dev_flags(self.as_raw()) }
    }

    /// `IFF_UP` is set (administratively up).
    pub(crate) fn is_up(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_UP != 0
    }

    /// `netif_running`.
    pub(crate) fn running(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_running(self.as_raw()) }
    }

    /// `netif_running && netif_carrier_ok` in one call (the transmit
    /// engines ask it per slave and packet).
    pub(crate) fn running_with_carrier(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_running_with_carrier(self.as_raw()) }
    }

    /// `netif_carrier_ok`.
    pub(crate) fn carrier_ok(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_carrier_ok(self.as_raw()) }
    }

    /// Turn the carrier on.
    pub(crate) fn carrier_on(&self) {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_carrier_on(self.as_raw()) }
    }

    /// A link-watch event for the device is still pending.
    pub(crate) fn linkwatch_pending(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_linkwatch_pending(self.as_raw()) }
    }

    /// `dev->ifindex`.
    pub(crate) fn ifindex(&self) -> i32 {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_dev_ifindex(self.as_raw()) }
    }

    /// `dev->type` (`ARPHRD_*`).
    pub(crate) fn dev_type(&self) -> u16 {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_dev_type(self.as_raw()) }
    }

    /// `dev->mtu`.
    pub(crate) fn mtu(&self) -> u32 {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_dev_mtu(self.as_raw()) }
    }

    /// The hardware address (first `ETH_ALEN` bytes of `dev_addr`).
    /// `dev->addr_len`: the length of the device's link-layer address.
    pub(crate) fn addr_len(&self) -> u8 {
        // SAFETY: the device is alive; a plain field read.
        unsafe { bindings::rbond_dev_addr_len(self.as_raw()) }
    }

    /// The first `ETH_ALEN` bytes of the device's address (all of it for
    /// Ethernet; see [`Self::addr_len`] for other types).
    pub(crate) fn addr(&self) -> MacAddr {
        let mut a = [0u8; ETH_ALEN];
        // SAFETY: dev_addr of a live device has at least ETH_ALEN bytes
        // (MAX_ADDR_LEN storage); we copy them out.
        unsafe {
            core::ptr::copy_nonoverlapping(
                bindings::rbond_dev_addr(self.as_raw()),
                a.as_mut_ptr(),
                ETH_ALEN,
            )
        };
        a
    }

    /// The driver implements `ndo_set_mac_address`.
    pub(crate) fn can_set_mac(&self) -> bool {
        // SAFETY: the device is alive; netdev_ops is immutable.
        unsafe { bindings::rbond_has_set_mac(self.as_raw()) }
    }

    /// `NETIF_F_VLAN_CHALLENGED` (of a lower device, or of a master made
    /// so by one).
    pub(crate) fn vlan_challenged(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_is_vlan_challenged(self.as_raw()) }
    }
    /// Whether this is a macvlan device.
    pub(crate) fn is_macvlan(&self) -> bool {
        // SAFETY: device alive (`&self`).
        unsafe { bindings::rbond_netif_is_macvlan(self.as_raw()) }
    }

    /// Whether this device is a bridge port.
    pub(crate) fn is_bridge_port(&self) -> bool {
        // SAFETY: device alive.
        unsafe { bindings::rbond_netif_is_bridge_port(self.as_raw()) }
    }

    /// `dev->lower_level`: 1 for a device with no lower device.
    pub(crate) fn lower_level(&self) -> i32 {
        // SAFETY: device alive.
        unsafe { bindings::rbond_lower_level(self.as_raw()) }
    }

    /// Whether the device's address was taken from its lower device
    /// (`NET_ADDR_STOLEN`, as a VLAN device's).
    pub(crate) fn addr_stolen(&self) -> bool {
        // SAFETY: device alive.
        u32::from(unsafe { bindings::rbond_addr_assign_type(self.as_raw()) })
            == bindings::NET_ADDR_STOLEN
    }

    /// Send a learning packet on this device (balance-tlb/alb): 60 bytes,
    /// `mac` as source and destination, `ETH_P_LOOPBACK`, VLAN-tagged with
    /// `(proto, vid)` when `vid` is non-zero. Any context; a failed
    /// allocation sends nothing.
    pub(crate) fn send_learning_packet(&self, mac: &MacAddr, proto: u16, vid: u16) {
        // SAFETY: device alive (`&self`); `mac` has 6 readable bytes; the
        // helper allocates the skb and hands it to dev_queue_xmit.
        unsafe { bindings::rbond_alb_learning_packet(self.as_raw(), mac.as_ptr(), proto, vid) }
    }

    /// `netif_is_bond_master`.
    pub(crate) fn is_bond_master(&self) -> bool {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_netif_is_bond_master(self.as_raw()) }
    }

    /// `netdev_is_rx_handler_busy` (RTNL).
    pub(crate) fn rx_handler_busy(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::netdev_is_rx_handler_busy(self.as_raw()) }
    }

    /// Current counters (`dev_get_stats`; any context without spinlocks).
    pub(crate) fn stats(&self) -> Stats {
        // SAFETY: all-zero is a valid rtnl_link_stats64.
        let mut st: bindings::rtnl_link_stats64 = unsafe { core::mem::zeroed() };
        // SAFETY: the device is alive; st is a valid out-parameter.
        unsafe { bindings::dev_get_stats(self.as_raw(), &mut st) };
        let mut out = Stats::default();
        // SAFETY: rtnl_link_stats64 is STATS_LEN consecutive u64 (all its
        // fields are __u64), so it can be read as an array.
        unsafe {
            core::ptr::copy_nonoverlapping(
                core::ptr::from_ref(&st).cast::<u64>(),
                out.0.as_mut_ptr(),
                STATS_LEN,
            )
        };
        out
    }
}

/// Configuration of devices under RTNL. Each of these may run notifier
/// chains that call back into drivers (ours included), hence `&mut Rtnl`.
impl NetDevice {
    /// `dev_set_mtu`.
    pub(crate) fn set_mtu(&self, _rtnl: &mut Rtnl, mtu: u32) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::dev_set_mtu(self.as_raw(), mtu as i32) })
    }

    /// Set the MTU without notifications (C's `__netif_set_mtu` under the
    /// instance lock): for a device being unregistered.
    pub(crate) fn set_mtu_quiet(&self, _rtnl: &mut Rtnl, mtu: u32) {
        // SAFETY: RTNL held, device alive; the helper takes the device's
        // instance lock, which `&mut Rtnl` says nobody up the stack holds.
        unsafe { bindings::rbond_set_mtu_quiet(self.as_raw(), mtu) }
    }

    /// Write the master's own MTU field (from its `ndo_change_mtu`).
    pub(crate) fn write_mtu(&self, _rtnl: &Rtnl, mtu: u32) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_dev_write_mtu(self.as_raw(), mtu) }
    }

    /// `dev_set_mac_address`.
    pub(crate) fn set_mac(&self, _rtnl: &mut Rtnl, addr: &MacAddr) -> Result {
        // SAFETY: RTNL held, device alive, addr has ETH_ALEN bytes (the
        // helper copies addr_len bytes; Ethernet-only for now, checked by callers).
        to_result(unsafe { bindings::rbond_dev_set_mac(self.as_raw(), addr.as_ptr()) })
    }

    /// Take `lower`'s address, whatever its length, as this master's own
    /// (C's `bond_set_dev_addr` for a first slave of any type).
    pub(crate) fn take_addr_of(&self, _rtnl: &mut Rtnl, lower: &NetDevice) -> Result {
        // SAFETY: RTNL held, both devices alive; the master has the lower
        // device's address length (same type).
        to_result(unsafe { bindings::rbond_master_take_addr_of(self.as_raw(), lower.as_raw()) })
    }

    /// `NETDEV_PRE_TYPE_CHANGE`: whether every listener lets the device
    /// change its link-layer type (RTNL).
    pub(crate) fn pre_type_change(&self, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::rbond_notify_pre_type_change(self.as_raw()) })
    }

    /// `NETDEV_POST_TYPE_CHANGE` (RTNL).
    pub(crate) fn post_type_change(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_notify_post_type_change(self.as_raw()) }
    }

    /// Drop every unicast and multicast address of the device (RTNL).
    pub(crate) fn addr_lists_flush(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_addr_lists_flush(self.as_raw()) }
    }

    /// Make this master Ethernet again (`ether_setup`, keeping its
    /// IFF_MASTER, IFF_SLAVE and IFF_UP flags; C's `bond_ether_setup`).
    pub(crate) fn master_ether_setup(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive (a master of ours).
        unsafe { bindings::rbond_master_ether_setup(self.as_raw()) }
    }

    /// Write this device's address (from its own `ndo_set_mac_address`).
    pub(crate) fn write_addr(&self, _rtnl: &Rtnl, addr: &MacAddr) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_master_write_addr(self.as_raw(), addr.as_ptr()) }
    }

    /// Give the device a random address.
    pub(crate) fn random_addr(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_eth_hw_addr_random(self.as_raw()) }
    }

    /// `dev_open`.
    pub(crate) fn open(&self, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::dev_open(self.as_raw(), core::ptr::null_mut()) })
    }

    /// `dev_close`.
    pub(crate) fn close(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::dev_close(self.as_raw()) }
    }

    /// `dev_set_promiscuity`.
    pub(crate) fn set_promiscuity(&self, _rtnl: &mut Rtnl, inc: i32) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::dev_set_promiscuity(self.as_raw(), inc) })
    }

    /// `dev_set_allmulti`.
    pub(crate) fn set_allmulti(&self, _rtnl: &mut Rtnl, inc: i32) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::dev_set_allmulti(self.as_raw(), inc) })
    }

    /// Set or clear the `IFF_BONDING` and `IFF_NO_ADDRCONF` private flags.
    pub(crate) fn set_slave_flags(&self, _rtnl: &mut Rtnl, bonding: bool, no_addrconf: bool) {
        // SAFETY: RTNL held (priv_flags are written under RTNL), device alive.
        unsafe { bindings::rbond_dev_priv_flags_update(self.as_raw(), bonding, no_addrconf) }
    }

    /// `dev_disable_lro`.
    pub(crate) fn disable_lro(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::dev_disable_lro(self.as_raw()) }
    }

    /// Speed and duplex from ethtool. Takes the device's instance lock:
    /// `&mut Rtnl` says no caller can hold it (see `notifier`).
    pub(crate) fn speed_duplex(&self, _rtnl: &mut Rtnl) -> Result<SpeedDuplex> {
        let (mut speed, mut duplex) = (0u32, 0u8);
        // SAFETY: RTNL held, device alive, out-parameters valid.
        to_result(unsafe {
            bindings::rbond_get_link_ksettings(self.as_raw(), &mut speed, &mut duplex)
        })?;
        Ok(SpeedDuplex { speed, duplex })
    }

    /// Link `self` below `master` as its master upper device.
    pub(crate) fn link_master(
        &self,
        _rtnl: &mut Rtnl,
        master: &NetDevice,
        tx: LagTxType,
        hash: u32,
    ) -> Result {
        // SAFETY: RTNL held, both devices alive.
        to_result(unsafe {
            bindings::rbond_upper_link(
                self.as_raw(),
                master.as_raw(),
                tx as i32,
                hash as i32,
                core::ptr::null_mut(),
            )
        })
    }

    /// Undo [`NetDevice::link_master`].
    pub(crate) fn unlink_master(&self, _rtnl: &mut Rtnl, master: &NetDevice) {
        // SAFETY: RTNL held, both alive and linked.
        unsafe { bindings::rbond_upper_unlink(self.as_raw(), master.as_raw()) }
    }

    /// Tell the stack about a lower device's state in its LAG.
    pub(crate) fn lower_state_changed(&self, _rtnl: &mut Rtnl, link_up: bool, tx_enabled: bool) {
        // SAFETY: RTNL held, device alive and linked to a master.
        unsafe { bindings::rbond_lower_state_changed(self.as_raw(), link_up, tx_enabled) }
    }

    /// Add the VLANs of `master` to this lower device.
    pub(crate) fn vlan_vids_add_from(&self, _rtnl: &mut Rtnl, master: &NetDevice) -> Result {
        // SAFETY: RTNL held, both devices alive.
        to_result(unsafe { bindings::vlan_vids_add_by_dev(self.as_raw(), master.as_raw()) })
    }

    /// Remove the VLANs of `master` from this lower device.
    pub(crate) fn vlan_vids_del_from(&self, _rtnl: &mut Rtnl, master: &NetDevice) {
        // SAFETY: RTNL held, both devices alive.
        unsafe { bindings::vlan_vids_del_by_dev(self.as_raw(), master.as_raw()) }
    }

    /// Add (`true`) or remove the slow-protocols group address
    /// (01:80:c2:00:00:02, LACPDUs) on the device's multicast list (RTNL).
    pub(crate) fn slow_group(&self, _rtnl: &mut Rtnl, add: bool) {
        // SAFETY: RTNL held, device alive; dev_mc_add/del take the
        // device's address lock themselves.
        unsafe {
            if add {
                bindings::rbond_dev_mc_add_slow_group(self.as_raw());
            } else {
                bindings::rbond_dev_mc_del_slow_group(self.as_raw());
            }
        }
    }

    /// Send a slow-protocols frame (a LACPDU or marker: `payload` after the
    /// Ethernet header) to the group address from `src`, at control
    /// priority (`dev_queue_xmit`; process context or softirq). Returns
    /// whether a buffer could be had.
    pub(crate) fn slow_xmit(&self, src: &MacAddr, payload: &[u8]) -> bool {
        let Ok(len) = u32::try_from(payload.len()) else {
            return false;
        };
        // SAFETY: device alive (the caller's reference); `src` has 6 bytes
        // and `payload` `len` bytes, both only read during the call.
        unsafe {
            bindings::rbond_slow_xmit(self.as_raw(), src.as_ptr(), payload.as_ptr(), len) == 0
        }
    }

    /// Copy the master's unicast/multicast lists to this lower device.
    /// `multiple`: the master syncs them to several lower devices (the
    /// `_multiple` variants, which track each lower device's copy apart);
    /// else only to one at a time (an active slave).
    pub(crate) fn addr_lists_sync(&self, _rtnl: &mut Rtnl, master: &NetDevice, multiple: bool) {
        // SAFETY: RTNL held (process context), both alive.
        unsafe { bindings::rbond_addr_lists_sync(self.as_raw(), master.as_raw(), multiple) }
    }

    /// `NETIF_F_*` features of the device.
    pub(crate) fn features(&self) -> u64 {
        // SAFETY: the device is alive.
        unsafe { bindings::rbond_dev_features(self.as_raw()) }
    }

    /// Some VLAN device sits on this one (C's `vlan_uses_dev`, RTNL).
    pub(crate) fn has_vlans(&self, _rtnl: &Rtnl) -> bool {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::rbond_vlan_uses_dev(self.as_raw()) }
    }

    /// Add a VLAN filter entry (`vlan_vid_add`; `proto` in host order).
    pub(crate) fn vlan_vid_add(&self, _rtnl: &mut Rtnl, proto: u16, vid: u16) -> Result {
        // SAFETY: RTNL held, device alive.
        to_result(unsafe { bindings::vlan_vid_add(self.as_raw(), proto.to_be(), vid) })
    }

    /// Drop a VLAN filter reference taken with [`NetDevice::vlan_vid_add`].
    pub(crate) fn vlan_vid_del(&self, _rtnl: &mut Rtnl, proto: u16, vid: u16) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::vlan_vid_del(self.as_raw(), proto.to_be(), vid) }
    }

    /// Remove the master's unicast/multicast lists from this lower device.
    pub(crate) fn addr_lists_unsync(&self, _rtnl: &mut Rtnl, master: &NetDevice) {
        // SAFETY: RTNL held, both alive.
        unsafe { bindings::rbond_addr_lists_unsync(self.as_raw(), master.as_raw()) }
    }

    /// Recompute the master's features from its lower devices.
    pub(crate) fn compute_master_features(&self, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive.
        unsafe { bindings::netdev_compute_master_upper_features(self.as_raw(), true) }
    }

    /// Turn the xfrm (IPsec) offload features on or off in what the master
    /// wants, and recompute its features, if it is registered already
    /// (before registration its features come from setup).
    pub(crate) fn want_xfrm_features(&self, on: bool, _rtnl: &mut Rtnl) {
        // SAFETY: RTNL held, device alive; wanted_features is written under
        // RTNL only and netdev_update_features needs nothing more on a
        // master (not ops-locked).
        unsafe {
            if bindings::rbond_dev_registered(self.as_raw()) {
                bindings::rbond_dev_set_wanted_features(self.as_raw(), super::xfrm::features(), on);
                bindings::netdev_update_features(self.as_raw());
            }
        }
    }

    /// Send a netdevice notification about this device.
    pub(crate) fn notify(&self, _rtnl: &mut Rtnl, event: NetdevEvent) {
        // SAFETY: RTNL held, device alive and registered.
        unsafe { bindings::call_netdevice_notifiers(event as kernel::ffi::c_ulong, self.as_raw()) };
    }
}

/// Netdevice notifier events rbond sends or handles (C's `enum netdev_cmd`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NetdevEvent {
    /// `NETDEV_UP`.
    Up = bindings::netdev_cmd_NETDEV_UP as isize,
    /// `NETDEV_DOWN`.
    Down = bindings::netdev_cmd_NETDEV_DOWN as isize,
    /// `NETDEV_CHANGE` (carrier).
    Change = bindings::netdev_cmd_NETDEV_CHANGE as isize,
    /// `NETDEV_REGISTER`.
    Register = bindings::netdev_cmd_NETDEV_REGISTER as isize,
    /// `NETDEV_UNREGISTER`.
    Unregister = bindings::netdev_cmd_NETDEV_UNREGISTER as isize,
    /// `NETDEV_CHANGEMTU`.
    ChangeMtu = bindings::netdev_cmd_NETDEV_CHANGEMTU as isize,
    /// `NETDEV_CHANGEADDR`.
    ChangeAddr = bindings::netdev_cmd_NETDEV_CHANGEADDR as isize,
    /// `NETDEV_CHANGENAME`.
    ChangeName = bindings::netdev_cmd_NETDEV_CHANGENAME as isize,
    /// `NETDEV_FEAT_CHANGE`.
    FeatChange = bindings::netdev_cmd_NETDEV_FEAT_CHANGE as isize,
    /// `NETDEV_BONDING_FAILOVER`.
    BondingFailover = bindings::netdev_cmd_NETDEV_BONDING_FAILOVER as isize,
    /// `NETDEV_NOTIFY_PEERS`.
    NotifyPeers = bindings::netdev_cmd_NETDEV_NOTIFY_PEERS as isize,
    /// `NETDEV_RESEND_IGMP`.
    ResendIgmp = bindings::netdev_cmd_NETDEV_RESEND_IGMP as isize,
    /// `NETDEV_RELEASE`.
    Release = bindings::netdev_cmd_NETDEV_RELEASE as isize,
    /// `NETDEV_JOIN`.
    Join = bindings::netdev_cmd_NETDEV_JOIN as isize,
    /// `NETDEV_CHANGEINFODATA`.
    ChangeInfoData = bindings::netdev_cmd_NETDEV_CHANGEINFODATA as isize,
    /// `NETDEV_XDP_FEAT_CHANGE` (sent with the device's instance lock held,
    /// whatever the device).
    XdpFeatChange = bindings::netdev_cmd_NETDEV_XDP_FEAT_CHANGE as isize,
}

impl NetdevEvent {
    /// The event for a raw `netdev_cmd`, if rbond cares about it.
    pub(crate) fn from_raw(v: kernel::ffi::c_ulong) -> Option<Self> {
        use NetdevEvent::*;
        [
            Up,
            Down,
            Change,
            Register,
            Unregister,
            ChangeMtu,
            ChangeAddr,
            ChangeName,
            FeatChange,
            BondingFailover,
            NotifyPeers,
            ResendIgmp,
            Release,
            Join,
            ChangeInfoData,
            XdpFeatChange,
        ]
        .into_iter()
        .find(|e| *e as kernel::ffi::c_ulong == v)
    }
}

/// A counted reference to a device (`dev_hold`/`dev_put`). Keeps the
/// `net_device` memory alive; the device may still be unregistered, so
/// holders must drop it when they see `NETDEV_UNREGISTER`.
pub(crate) struct NetDevRef(NonNull<bindings::net_device>);

// SAFETY: a device reference may be taken, used and dropped on any CPU.
unsafe impl Send for NetDevRef {}
// SAFETY: shared access only reads through `&NetDevice`, which is Sync-safe
// (the kernel synchronizes device state itself).
unsafe impl Sync for NetDevRef {}

impl NetDevRef {
    /// Take a reference to `dev`.
    pub(crate) fn new(dev: &NetDevice) -> Self {
        // SAFETY: the device is alive; dev_hold adds a reference.
        unsafe { bindings::rbond_dev_hold(dev.as_raw()) };
        // The pointer comes from a reference, so it is not null.
        NetDevRef(NonNull::from(dev).cast())
    }

    /// Adopt a reference the kernel (or C glue) already took for us.
    ///
    /// # Safety
    ///
    /// `p` must be a live device on which one reference (`dev_hold`) is
    /// given to the new value.
    pub(crate) unsafe fn adopt(p: NonNull<bindings::net_device>) -> Self {
        NetDevRef(p)
    }
}

impl core::ops::Deref for NetDevRef {
    type Target = NetDevice;
    fn deref(&self) -> &NetDevice {
        // SAFETY: our reference keeps the device memory alive.
        unsafe { NetDevice::from_raw(self.0.as_ptr()) }
    }
}

impl Drop for NetDevRef {
    fn drop(&mut self) {
        // SAFETY: we hold one reference, given back exactly once here.
        unsafe { bindings::rbond_dev_put(self.0.as_ptr()) }
    }
}

/// Look a device up by name in `net` under RTNL.
pub(crate) fn dev_by_name<'a>(_rtnl: &'a Rtnl, net: &Net, name: &IfName) -> Option<&'a NetDevice> {
    // SAFETY: RTNL held, name NUL-terminated.
    let raw = unsafe { bindings::__dev_get_by_name(net.as_raw(), name.as_ptr()) };
    // SAFETY: a device found under RTNL stays registered (and alive) while
    // RTNL is held, which the `&'a Rtnl` borrow guarantees for 'a.
    NonNull::new(raw).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
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

/// Whether the master's address is still the random one it was created with.
pub(crate) fn addr_is_random(dev: &NetDevice) -> bool {
    // SAFETY: the device is alive.
    u32::from(unsafe { bindings::rbond_addr_assign_type(dev.as_raw()) })
        == bindings::NET_ADDR_RANDOM
}

/// A random locally administered unicast address.
pub(crate) fn random_ether_addr(a: &mut MacAddr) {
    // SAFETY: `a` has ETH_ALEN writable bytes.
    unsafe { bindings::rbond_eth_random_addr(a.as_mut_ptr()) }
}

/// The current `jiffies`.
pub(crate) fn jiffies() -> u64 {
    // SAFETY: reads the global tick counter.
    unsafe { bindings::rbond_jiffies() as u64 }
}

/// `msecs_to_jiffies`.
pub(crate) fn msecs_to_jiffies(ms: u32) -> u64 {
    // SAFETY: pure conversion.
    unsafe { bindings::rbond_msecs_to_jiffies(ms) as u64 }
}

/// Sync a master's address lists to a lower device from the master's
/// `ndo_set_rx_mode` (the master's address lock is held by the caller).
pub(crate) fn addr_lists_sync_locked(lower: &NetDevice, master: &NetDevice, multiple: bool) {
    // SAFETY: both alive; called with the master's addr lock held (the
    // contract of MasterOps::set_rx_mode).
    unsafe { bindings::rbond_addr_lists_sync_locked(lower.as_raw(), master.as_raw(), multiple) }
}

/// Look a device up by ifindex in `net` under RTNL.
pub(crate) fn dev_by_index<'a>(_rtnl: &'a Rtnl, net: &Net, ifindex: i32) -> Option<&'a NetDevice> {
    // SAFETY: RTNL held.
    let raw = unsafe { bindings::__dev_get_by_index(net.as_raw(), ifindex) };
    // SAFETY: found under RTNL: alive while the `&'a Rtnl` borrow lasts.
    NonNull::new(raw).map(|p| unsafe { NetDevice::from_raw(p.as_ptr()) })
}

/// The kernel release string (C's `UTS_RELEASE`).
pub(crate) fn uts_release() -> &'static str {
    // SAFETY: a static NUL-terminated string.
    let s = unsafe {
        <core::ffi::CStr as kernel::str::CStrExt>::from_char_ptr(bindings::rbond_uts_release())
    };
    s.to_str().unwrap_or("")
}

/// Feature-set arithmetic of masters (`ndo_fix_features`): C's
/// `netdev_base_features`, `netdev_increment_features` and
/// `netdev_add_tso_features`.
pub(crate) mod features {
    use super::bindings;

    /// The features a master starts from before adding its lower devices'.
    pub(crate) fn base(f: u64) -> u64 {
        // SAFETY: pure computation.
        unsafe { bindings::rbond_netdev_base_features(f) }
    }

    /// `all` combined with one lower device's features `one`, within `mask`.
    pub(crate) fn increment(all: u64, one: u64, mask: u64) -> u64 {
        // SAFETY: pure computation.
        unsafe { bindings::netdev_increment_features(all, one, mask) }
    }

    /// The TSO features the master can do in software, within `mask`.
    pub(crate) fn add_tso(f: u64, mask: u64) -> u64 {
        // SAFETY: pure computation.
        unsafe { bindings::rbond_netdev_add_tso_features(f, mask) }
    }
}
