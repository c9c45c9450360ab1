// SPDX-License-Identifier: GPL-2.0

//! IPv4 and IPv6 services for link probing (the ARP and NS monitors):
//! route lookups, address checks, upper-device walks, and building and
//! sending ARP requests and neighbour solicitations.
//!
//! Contract: every function takes devices that are alive for the call.
//! Route lookups return a counted device reference ([`NetDevRef`]). Upper
//! walks need an RCU read section ([`RcuRead`]), which also makes them safe
//! against concurrent (un)linking. Sending functions consume the packet and
//! may be called from process or softirq context, but not under a spinlock
//! taken with interrupts off.

use super::bindings;
use super::netdev::{Net, NetDevRef, NetDevice};
use super::rcu::RcuRead;
use super::skb::SkBuff;
use core::ptr::NonNull;

/// An IPv4 address in network byte order.
pub(crate) type Ip4 = [u8; 4];
/// An IPv6 address in network byte order.
pub(crate) type Ip6 = [u8; 16];

/// Maximum device stacking depth (C's `MAX_NEST_DEV`).
const MAX_NEST: usize = 8;

/// Result of a route lookup.
pub(crate) enum Route {
    /// No route to the destination.
    Unreachable,
    /// A route without an output device.
    NoDev,
    /// The output device.
    Dev(NetDevRef),
}

fn route_from(dev: *mut bindings::net_device, no_route: bool) -> Route {
    if no_route {
        return Route::Unreachable;
    }
    match NonNull::new(dev) {
        // SAFETY: the C helper returned a device with a reference taken for
        // us (dev_hold); NetDevRef::adopt gives it back on drop.
        Some(p) => Route::Dev(unsafe { NetDevRef::adopt(p) }),
        None => Route::NoDev,
    }
}

/// The IPv4 route to `dst` in `net` (`ip_route_output`, link scope).
pub(crate) fn route_v4(net: &Net, dst: Ip4) -> Route {
    let mut no_route = false;
    // SAFETY: `net` is alive; `no_route` is writable.
    let dev = unsafe {
        bindings::rbond_route_dev_v4(net.as_raw(), u32::from_ne_bytes(dst), &mut no_route)
    };
    route_from(dev, no_route)
}

/// The IPv6 route to `dst` in `net` (`ip6_route_output`).
pub(crate) fn route_v6(net: &Net, dst: &Ip6) -> Route {
    let mut no_route = false;
    // SAFETY: `net` alive; `dst` has 16 readable bytes; `no_route` writable.
    let dev = unsafe { bindings::rbond_route_dev_v6(net.as_raw(), dst.as_ptr(), &mut no_route) };
    route_from(dev, no_route)
}

/// Call `f` on each direct upper device of `dev` until it returns `true`;
/// returns whether it did.
fn any_upper(dev: &NetDevice, _rcu: &RcuRead, mut f: impl FnMut(&NetDevice) -> bool) -> bool {
    let mut iter: *mut core::ffi::c_void = core::ptr::null_mut();
    loop {
        // SAFETY: `dev` alive, RCU held (token); `iter` is the iteration
        // cursor the helper initialises on the first call.
        let up = unsafe { bindings::rbond_upper_next_rcu(dev.as_raw(), &mut iter) };
        let Some(up) = NonNull::new(up) else {
            return false;
        };
        // SAFETY: an upper device found under RCU stays alive for the
        // section, which outlives this call.
        if f(unsafe { NetDevice::from_raw(up.as_ptr()) }) {
            return true;
        }
    }
}

/// The VLANs on a device path (C's `bond_verify_device_path`): one entry
/// per stacking level from the start device upwards, `(proto, vid)` for a
/// VLAN device and `(0, 0)` for any other kind.
pub(crate) struct VlanPath {
    levels: [(u16, u16); MAX_NEST + 1],
    len: usize,
}

impl VlanPath {
    /// The levels, nearest to the start device first.
    pub(crate) fn levels(&self) -> &[(u16, u16)] {
        &self.levels[..self.len]
    }
}

/// `(proto, vid)` of a VLAN device, `None` for any other kind.
pub(crate) fn vlan_info(dev: &NetDevice) -> Option<(u16, u16)> {
    let (mut proto, mut vid) = (0u16, 0u16);
    // SAFETY: `dev` alive; outputs writable.
    unsafe { bindings::rbond_vlan_dev_info(dev.as_raw(), &mut proto, &mut vid) }
        .then_some((proto, vid))
}

fn path_from(
    start: &NetDevice,
    end: &NetDevice,
    level: usize,
    rcu: &RcuRead,
    out: &mut VlanPath,
) -> bool {
    if core::ptr::eq(start.as_raw(), end.as_raw()) {
        out.len = level;
        return true;
    }
    if level >= MAX_NEST {
        return false;
    }
    any_upper(start, rcu, |up| {
        if !path_from(up, end, level + 1, rcu, out) {
            return false;
        }
        out.levels[level] = vlan_info(up).unwrap_or((0, 0));
        true
    })
}

/// Whether `end` is `start` or stacked on it (through uppers), and the
/// VLANs on the way.
pub(crate) fn device_path(start: &NetDevice, end: &NetDevice, rcu: &RcuRead) -> Option<VlanPath> {
    let mut p = VlanPath {
        levels: [(0, 0); MAX_NEST + 1],
        len: 0,
    };
    path_from(start, end, 0, rcu, &mut p).then_some(p)
}

/// C's `bond_confirm_addr`: an address of `dev` (host scope) matching
/// `dst`/`local` per `inet_confirm_addr`, or zero.
pub(crate) fn confirm_addr(dev: &NetDevice, dst: Ip4, local: Ip4) -> Ip4 {
    // SAFETY: `dev` alive; the helper takes RCU itself.
    let a = unsafe {
        bindings::rbond_confirm_addr(
            dev.as_raw(),
            u32::from_ne_bytes(dst),
            u32::from_ne_bytes(local),
        )
    };
    a.to_ne_bytes()
}

fn any_upper_deep(
    dev: &NetDevice,
    depth: usize,
    rcu: &RcuRead,
    f: &impl Fn(&NetDevice) -> bool,
) -> bool {
    depth < MAX_NEST
        && any_upper(dev, rcu, |up| {
            f(up) || any_upper_deep(up, depth + 1, rcu, f)
        })
}

/// Whether `ip` is an address of `dev` or of a device stacked on it (C's
/// `bond_has_this_ip`).
pub(crate) fn has_ip4(dev: &NetDevice, ip: Ip4, rcu: &RcuRead) -> bool {
    let is = |d: &NetDevice| confirm_addr(d, [0; 4], ip) == ip;
    is(dev) || any_upper_deep(dev, 0, rcu, &is)
}

/// Whether `ip` is an IPv6 address of `dev` or of a device stacked on it
/// (C's `bond_has_this_ip6`).
pub(crate) fn has_ip6(dev: &NetDevice, ip: &Ip6, rcu: &RcuRead) -> bool {
    // SAFETY: device alive; `ip` has 16 readable bytes.
    let is = |d: &NetDevice| unsafe { bindings::rbond_ipv6_chk_addr(d.as_raw(), ip.as_ptr()) };
    is(dev) || any_upper_deep(dev, 0, rcu, &is)
}

/// Whether IPv6 is available (`ipv6_mod_enabled`).
pub(crate) fn ipv6_enabled() -> bool {
    // SAFETY: no arguments, any context.
    unsafe { bindings::rbond_ipv6_enabled() }
}

/// A source address on `dev` for talking to `daddr` (`ipv6_dev_get_saddr`).
pub(crate) fn ipv6_saddr(dev: &NetDevice, daddr: &Ip6) -> Option<Ip6> {
    let mut s = [0u8; 16];
    // SAFETY: `dev` alive; 16-byte buffers.
    unsafe { bindings::rbond_ipv6_saddr(dev.as_raw(), daddr.as_ptr(), s.as_mut_ptr()) }.then_some(s)
}

/// Call `f` on every device stacked on `dev`, directly or not (C's
/// `netdev_walk_all_upper_dev_rcu`), nearest first, each once per path.
pub(crate) fn for_each_upper_deep(dev: &NetDevice, rcu: &RcuRead, f: &mut impl FnMut(&NetDevice)) {
    fn walk(dev: &NetDevice, depth: usize, rcu: &RcuRead, f: &mut impl FnMut(&NetDevice)) {
        if depth >= MAX_NEST {
            return;
        }
        any_upper(dev, rcu, |up| {
            f(up);
            walk(up, depth + 1, rcu, f);
            false
        });
    }
    walk(dev, 0, rcu, f);
}

/// The VLAN tag on the path from `upper` down to `lower` nearest to
/// `lower` (C's `bond_verify_device_path(lower, upper)[0]`): `(0, 0)` when
/// that level is not a VLAN device; `None` when `upper` is not stacked on
/// `lower`.
pub(crate) fn first_vlan_on_path(
    lower: &NetDevice,
    upper: &NetDevice,
    rcu: &RcuRead,
) -> Option<(u16, u16)> {
    let p = device_path(lower, upper, rcu)?;
    Some(p.levels().first().copied().unwrap_or((0, 0)))
}

/// Whether `ip` is an address of a bridge master in `net` (`ip_dev_find`).
pub(crate) fn ip_on_bridge(net: &Net, ip: Ip4) -> bool {
    // SAFETY: `net` alive; the helper takes and drops its own reference.
    unsafe { bindings::rbond_ip_on_bridge(net.as_raw(), u32::from_ne_bytes(ip)) }
}

/// Send an ARP reply from `slave` telling `ip_dst` (at `mac_dst`) that
/// `ip_src` is at the slave's MAC (balance-alb's client update), tagged
/// with `vlan_tci` when non-zero. `false` when no packet could be made.
pub(crate) fn rlb_arp_update(
    slave: &NetDevice,
    ip_dst: Ip4,
    ip_src: Ip4,
    mac_dst: &[u8; 6],
    vlan_tci: u16,
) -> bool {
    // SAFETY: `slave` alive; `mac_dst` has 6 readable bytes; the helper
    // builds the packet and hands it to arp_xmit.
    unsafe {
        bindings::rbond_rlb_arp_update(
            slave.as_raw(),
            u32::from_ne_bytes(ip_dst),
            u32::from_ne_bytes(ip_src),
            mac_dst.as_ptr(),
            vlan_tci,
        ) == 0
    }
}

/// An ARP request for `dst` from `src` on `slave` (`arp_create`), not sent yet.
pub(crate) fn arp_request(slave: &NetDevice, dst: Ip4, src: Ip4) -> Option<SkBuff> {
    // SAFETY: `slave` alive; the returned skb (or NULL) is ours.
    unsafe {
        SkBuff::from_new(bindings::rbond_arp_request(
            slave.as_raw(),
            u32::from_ne_bytes(dst),
            u32::from_ne_bytes(src),
        ))
    }
}

/// Send an ARP packet built by [`arp_request`] (`arp_xmit`).
pub(crate) fn arp_xmit(skb: SkBuff) {
    // SAFETY: the reference is handed to arp_xmit, which consumes it.
    unsafe { bindings::rbond_arp_xmit(skb.into_raw()) }
}

/// A neighbour solicitation for `daddr` from `saddr` on `slave`
/// (`ndisc_ns_create`), not sent yet.
pub(crate) fn ns_request(slave: &NetDevice, daddr: &Ip6, saddr: &Ip6) -> Option<SkBuff> {
    // SAFETY: `slave` alive; 16-byte addresses; the skb (or NULL) is ours.
    unsafe {
        SkBuff::from_new(bindings::rbond_ns_create(
            slave.as_raw(),
            daddr.as_ptr(),
            saddr.as_ptr(),
        ))
    }
}

/// Send a solicitation built by [`ns_request`] to `daddr`'s solicited-node
/// group (`ndisc_send_skb`).
pub(crate) fn ns_send(skb: SkBuff, daddr: &Ip6, saddr: &Ip6) {
    // SAFETY: the reference is consumed by the call; 16-byte addresses.
    unsafe { bindings::rbond_ns_send(skb.into_raw(), daddr.as_ptr(), saddr.as_ptr()) }
}

/// Join (`add`) or leave the link-layer group of `target`'s solicited-node
/// address on `dev` (RTNL held by the caller).
pub(crate) fn ns_maddr(_rtnl: &mut super::rtnl::Rtnl, dev: &NetDevice, target: &Ip6, add: bool) {
    // SAFETY: RTNL held, device alive; 16-byte address.
    unsafe { bindings::rbond_ns_maddr(dev.as_raw(), target.as_ptr(), add) }
}
