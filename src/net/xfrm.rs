// SPDX-License-Identifier: GPL-2.0

//! IPsec (xfrm) state offload through a master device.
//!
//! The xfrm core offloads a state to a device by calling that device's
//! `xfrmdev_ops`. A master has no crypto engine of its own: it hands each
//! state on to one lower device (the driver says which, through
//! [`MasterOps::ipsec_lower`]), keeps the states it holds in an [`SaTable`],
//! and moves them when that lower device changes ([`SaTable::detach_all`]
//! before the change, [`SaTable::finish_move`] after it). Packets use the
//! offload only while the driver says so ([`MasterOps::ipsec_offloads`]).
//!
//! Contract:
//! - A state in the table is alive from its `xdo_dev_state_add` until its
//!   `xdo_dev_state_free` (the xfrm core's promise); `free` takes it out of
//!   the table before returning, so the table never holds a freed state.
//! - The driver changes its offload device only under RTNL, calling
//!   `detach_all` (old device) before and `finish_move` (new device, or
//!   none) after, in one RTNL section; a device that is the offload device
//!   leaves the master only through such a change. Between the two calls the
//!   table is "moving": a state added then is kept without a lower device,
//!   and `finish_move` programs it on the new one. Otherwise `add` reads the
//!   offload device with the table's mutex held, so it cannot program a
//!   device that is no longer the offload device.
//! - A state's `xso.real_dev` (the lower device holding it) is written with
//!   the table's mutex held, and, once the state is visible to the xfrm core,
//!   with the state's own spinlock held too; by the two rules above it is
//!   only ever the current offload device, cleared by `detach_all` while that
//!   device is still a lower device of ours. So a non-null `real_dev` read
//!   under the state's lock, or under the table's mutex, is a live device.
//! - The table's mutex sleeps: `add`, `free`, `detach_all` and `finish_move`
//!   run in process context (the xfrm core's configuration paths, its state
//!   garbage collector, RTNL paths). The lower device's add/free run under
//!   it, as C's bonding does; they never take RTNL (C's bonding calls them
//!   under RTNL already). `delete` is atomic and never takes the mutex; the
//!   xfrm core calls it with the state's lock held, except on a few paths
//!   where the state is brand new (a failed add) or being migrated, where it
//!   reads `real_dev` unlocked as C's bonding does.

use super::bindings;
use super::link::MasterOps;
use super::log::bare_warn;
use super::netdev::{NetDevRef, NetDevice};
use super::nl::Extack;
use super::rtnl::Rtnl;
use core::ptr::NonNull;
use kernel::alloc::{flags::GFP_KERNEL, KVec};
use kernel::error::code::{EINVAL, ENODEV, ENOMEM};
use kernel::sync::Mutex;

/// The `xfrmdev_ops` callbacks a lower device has (bits of `rbond_xdo_ops`).
#[derive(Clone, Copy)]
struct Ops(u32);

impl Ops {
    fn of(dev: &NetDevice) -> Self {
        // SAFETY: a live device; reads its ops pointer and the table's
        // callback slots (static driver tables).
        Ops(unsafe { bindings::rbond_xdo_ops(dev.as_raw()) })
    }
    fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }
}

/// One offloaded state, held between its add and its free.
struct Sa(NonNull<bindings::xfrm_state>);

// SAFETY: a pointer to a kernel object that any CPU may use under the
// table's mutex (the object's own locking covers the rest).
unsafe impl Send for Sa {}

impl Sa {
    fn raw(&self) -> *mut bindings::xfrm_state {
        self.0.as_ptr()
    }
}

/// The lower device holding state `xs` (`xso.real_dev`), if any.
///
/// # Safety
///
/// `xs` is a live state; the caller holds its lock or the table's mutex
/// (see the module contract), for as long as it uses the device.
unsafe fn real_dev<'a>(xs: *mut bindings::xfrm_state) -> Option<&'a NetDevice> {
    // SAFETY: live state (caller).
    let p = unsafe { bindings::rbond_xs_real_dev(xs) };
    // SAFETY: a non-null real_dev is a live lower device (module contract).
    (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
}

/// Run `f` with state `xs`'s spinlock held (bottom halves off).
///
/// # Safety
///
/// `xs` is a live state.
unsafe fn with_state_lock(xs: *mut bindings::xfrm_state, f: impl FnOnce()) {
    // SAFETY: live state (caller); the lock is released below, on this CPU.
    unsafe { bindings::rbond_xs_lock(xs) };
    f();
    // SAFETY: taken above.
    unsafe { bindings::rbond_xs_unlock(xs) };
}

/// What the table's mutex protects.
struct Sas {
    list: KVec<Sa>,
    /// Between `detach_all` and `finish_move`: no offload device to use.
    moving: bool,
}

/// The states a master has offloaded (C's `ipsec_list` and `ipsec_lock`).
/// Lives in the master's private area, initialised in place.
pub(crate) struct SaTable {
    sas: Mutex<Sas>,
}

impl SaTable {
    /// Initialise a table in place.
    ///
    /// # Safety
    ///
    /// `slot` is valid for writes and the table is never moved afterwards
    /// (it lives in a net_device's private area); it is dropped in place.
    pub(super) unsafe fn init(slot: *mut SaTable) {
        // SAFETY: `slot` is valid (caller); only the field's address is taken.
        let sas = unsafe { core::ptr::addr_of_mut!((*slot).sas) };
        let init = kernel::new_mutex!(
            Sas {
                list: KVec::new(),
                moving: false,
            },
            "rbond_ipsec"
        );
        // SAFETY: valid, pinned slot (caller); a mutex initialiser cannot fail.
        let _ = unsafe { kernel::prelude::PinInit::__pinned_init(init, sas) };
    }

    /// Program the offload device of master `t` with `xs` (C's
    /// `bond_ipsec_add_sa`).
    fn add<T: MasterOps>(
        &self,
        t: &T,
        xs: *mut bindings::xfrm_state,
        extack: &mut Extack,
    ) -> kernel::error::Result {
        let sa = Sa(NonNull::new(xs).ok_or(EINVAL)?);
        let mut sas = self.sas.lock();
        if sas.moving {
            // The offload device is changing: the new one gets the state
            // in finish_move, as every state already held.
            sas.list.push(sa, GFP_KERNEL).map_err(|_| ENOMEM)?;
            return Ok(());
        }
        // Read under the mutex: a change of offload device waits for it
        // (detach_all) before it happens.
        let lower = {
            let rcu = super::rcu::enter();
            t.ipsec_lower(&rcu).map(NetDevRef::new)
        };
        let lower = lower.ok_or(ENODEV)?;
        if !Ops::of(&lower).has(bindings::RBOND_XDO_ADD) || lower.is_bond_master() {
            extack.set_msg(c"bonding: Slave does not support ipsec offload");
            return Err(kernel::error::Error::from_errno(
                -(bindings::EOPNOTSUPP as i32),
            ));
        }
        sas.list.reserve(1, GFP_KERNEL).map_err(|_| ENOMEM)?;
        // SAFETY: the lower device has the callback (checked above) and is
        // held; `xs` is the live state the xfrm core is adding.
        let err = unsafe { bindings::rbond_xdo_state_add(lower.as_raw(), xs, extack.as_raw()) };
        if err != 0 {
            return Err(kernel::error::Error::from_errno(err));
        }
        // SAFETY: `xs` is live and not yet visible to packets or to the
        // other callbacks (its add has not returned); the table's mutex is
        // held. `lower` is the offload device and stays a lower device while
        // real_dev points at it (module contract: `detach_all` runs first).
        unsafe { bindings::rbond_xs_set_real_dev(xs, lower.as_raw()) };
        // Room was reserved above: cannot fail.
        let _ = sas.list.push_within_capacity(sa);
        Ok(())
    }

    /// Forget `xs`, freeing it on the lower device holding it (C's
    /// `bond_ipsec_free_sa`).
    fn free(&self, xs: *mut bindings::xfrm_state) {
        let mut sas = self.sas.lock();
        // SAFETY: the xfrm core frees only live states; mutex held.
        if let Some(real) = unsafe { real_dev(xs) } {
            // SAFETY: live state, mutex held.
            unsafe { bindings::rbond_xs_set_real_dev(xs, core::ptr::null_mut()) };
            if Ops::of(real).has(bindings::RBOND_XDO_FREE) {
                // SAFETY: the device has the callback and still holds `xs`.
                unsafe { bindings::rbond_xdo_state_free(real.as_raw(), xs) };
            }
        }
        if let Some(i) = sas.list.iter().position(|s| s.raw() == xs) {
            let _ = sas.list.remove(i);
        }
    }

    /// The offload device of `master` has changed (to `lower`, or to none):
    /// program every state onto it (C's `bond_ipsec_add_sa_all`).
    pub(crate) fn finish_move(
        &self,
        master: &NetDevice,
        lower: Option<&NetDevice>,
        _rtnl: &mut Rtnl,
    ) {
        let mut sas = self.sas.lock();
        sas.moving = false;
        let Some(lower) = lower else { return };
        let ops = Ops::of(lower);
        if !ops.has(bindings::RBOND_XDO_ADD) || lower.is_bond_master() {
            if !sas.list.is_empty() {
                bare_warn!(
                    "{}: (slave {}): bond_ipsec_add_sa_all: no slave xdo_dev_state_add\n",
                    master.name(),
                    lower.name()
                );
            }
            return;
        }
        for sa in sas.list.iter() {
            let xs = sa.raw();
            // SAFETY: a state in the table is live; mutex held. Any lower
            // device it has is `lower` (contract), so this skips nothing else.
            if unsafe { real_dev(xs) }.is_some() {
                continue;
            }
            // SAFETY: the device has the callback; live state. No extack:
            // this is not a user request.
            let err =
                unsafe { bindings::rbond_xdo_state_add(lower.as_raw(), xs, core::ptr::null_mut()) };
            if err != 0 {
                bare_warn!(
                    "{}: (slave {}): bond_ipsec_add_sa_all: failed to add SA\n",
                    master.name(),
                    lower.name()
                );
                continue;
            }
            // SAFETY: live state.
            unsafe {
                with_state_lock(xs, || {
                    // A state the user deleted while it had no lower device
                    // (its delete found nothing to do) leaves the new one at
                    // once; its pending free finishes the job there.
                    if bindings::rbond_xs_dead(xs) && ops.has(bindings::RBOND_XDO_DELETE) {
                        bindings::rbond_xdo_state_delete(lower.as_raw(), xs);
                    }
                    bindings::rbond_xs_set_real_dev(xs, lower.as_raw());
                })
            };
        }
    }

    /// The offload device of `master` is about to change: take every state
    /// off `lower`, the old one if there is one (C's `bond_ipsec_del_sa_all`).
    /// [`Self::finish_move`] must follow in the same RTNL section.
    pub(crate) fn detach_all(
        &self,
        master: &NetDevice,
        lower: Option<&NetDevice>,
        _rtnl: &mut Rtnl,
    ) {
        let mut sas = self.sas.lock();
        sas.moving = true;
        let Some(lower) = lower else { return };
        let ops = Ops::of(lower);
        for sa in sas.list.iter() {
            let xs = sa.raw();
            // SAFETY: live state, mutex held.
            if unsafe { real_dev(xs) }.is_none() {
                continue;
            }
            if !ops.has(bindings::RBOND_XDO_DELETE) || lower.is_bond_master() {
                bare_warn!(
                    "{}: (slave {}): bond_ipsec_del_sa_all: no slave xdo_dev_state_delete\n",
                    master.name(),
                    lower.name()
                );
                continue;
            }
            // SAFETY: live state; the device has the callback and holds it.
            unsafe {
                with_state_lock(xs, || {
                    bindings::rbond_xs_set_real_dev(xs, core::ptr::null_mut());
                    // A state the user deleted is gone from the device already.
                    if !bindings::rbond_xs_dead(xs) {
                        bindings::rbond_xdo_state_delete(lower.as_raw(), xs);
                    }
                })
            };
            if ops.has(bindings::RBOND_XDO_FREE) {
                // SAFETY: as above; the state left the device.
                unsafe { bindings::rbond_xdo_state_free(lower.as_raw(), xs) };
            }
        }
    }
}

/// Whether the warning of call site `site` (an `RBOND_XFRM_RL_*`) may be
/// printed now: each site has its own limit, as C's `pr_warn_ratelimited`.
fn ratelimit(site: u32) -> bool {
    // SAFETY: takes the site's own ratelimit state (its lock); any context.
    unsafe { bindings::rbond_xfrm_ratelimit(site as kernel::ffi::c_int) }
}

/// The feature bits of xfrm offload (`NETIF_F_HW_ESP`, its checksum and
/// GSO bits; none without CONFIG_XFRM_OFFLOAD).
pub(crate) fn features() -> u64 {
    // SAFETY: returns a constant.
    unsafe { bindings::rbond_xfrm_features() }
}

/// Drop every state offloaded through `master` (it is going away).
pub(super) fn flush(master: &NetDevice) {
    // SAFETY: a live device; the xfrm core takes its own locks.
    unsafe { bindings::rbond_xfrm_flush(master.as_raw()) }
}

/// The master and the parts of it that a callback on state `xs` needs.
///
/// # Safety
///
/// `xs` is a live state whose offload device (`xso.dev`) is one of T's
/// masters: the xfrm core calls a device's `xfrmdev_ops` only for states
/// offloaded to it, and holds a reference on that device meanwhile.
unsafe fn master_of_state<'a, T: MasterOps>(
    xs: *mut bindings::xfrm_state,
) -> Option<(&'a NetDevice, &'a T, &'a SaTable)> {
    // SAFETY: live state (caller).
    let p = unsafe { bindings::rbond_xs_dev(xs) };
    if p.is_null() {
        return None;
    }
    // SAFETY: a live master of T's (caller).
    let dev = unsafe { NetDevice::from_raw(p) };
    // SAFETY: as above.
    let (t, table) = unsafe { super::link::xfrm_parts::<T>(dev) };
    Some((dev, t, table))
}

/// The lower device packets of `xs` may use now (C's `bond_ipsec_dev`).
fn offload_dev<'a, T: MasterOps>(
    master: &NetDevice,
    t: &'a T,
    xs: *mut bindings::xfrm_state,
    rcu: &'a super::rcu::RcuRead,
) -> Option<&'a NetDevice> {
    if !t.ipsec_offloads() {
        return None;
    }
    let active = t.ipsec_lower(rcu)?;
    // The state's own device is only compared, never used: no lock needed.
    // SAFETY: live state (callers).
    let real = unsafe { bindings::rbond_xs_real_dev(xs) };
    if real.is_null() {
        return None;
    }
    if real != active.as_raw() && ratelimit(bindings::RBOND_XFRM_RL_REAL_DEV) {
        // SAFETY: `real` is the state's lower device, cleared before that
        // device leaves us; read here only for its name, as C does.
        let rname = unsafe { NetDevice::from_raw(real) }.name();
        bare_warn!(
            "{}: (slave {}): not same with IPsec offload real dev {}\n",
            master.name(),
            active.name(),
            rname
        );
    }
    Some(active)
}

/// `xdo_dev_state_add`.
///
/// # Safety
///
/// Called by the xfrm core (process context) on one of T's masters, with a
/// live state being added and a null or valid extack.
pub(super) unsafe extern "C" fn state_add<T: MasterOps>(
    dev: *mut bindings::net_device,
    xs: *mut bindings::xfrm_state,
    extack: *mut bindings::netlink_ext_ack,
) -> kernel::ffi::c_int {
    if dev.is_null() {
        return EINVAL.to_errno();
    }
    // SAFETY: our live device (the xfrm core holds it).
    let master = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: as above.
    let (t, table) = unsafe { super::link::xfrm_parts::<T>(master) };
    // SAFETY: null or valid for the call (caller).
    let mut ext = unsafe { Extack::from_raw(extack) };
    match table.add(t, xs, &mut ext) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `xdo_dev_state_delete`.
///
/// # Safety
///
/// Called by the xfrm core with `xs`'s lock held, on one of T's masters.
pub(super) unsafe extern "C" fn state_delete<T: MasterOps>(
    dev: *mut bindings::net_device,
    xs: *mut bindings::xfrm_state,
) {
    if dev.is_null() {
        return;
    }
    // SAFETY: the state's lock is held (caller).
    let Some(real) = (unsafe { real_dev(xs) }) else {
        return;
    };
    if !Ops::of(real).has(bindings::RBOND_XDO_DELETE) || real.is_bond_master() {
        // SAFETY: our live device.
        let master = unsafe { NetDevice::from_raw(dev) };
        bare_warn!(
            "{}: (slave {}): bond_ipsec_del_sa: no slave xdo_dev_state_delete\n",
            master.name(),
            real.name()
        );
        return;
    }
    // SAFETY: the device has the callback and holds the state.
    unsafe { bindings::rbond_xdo_state_delete(real.as_raw(), xs) }
}

/// `xdo_dev_state_free`.
///
/// # Safety
///
/// Called by the xfrm core (process context) once per added state, on one
/// of T's masters; the state is not used by it afterwards.
pub(super) unsafe extern "C" fn state_free<T: MasterOps>(
    dev: *mut bindings::net_device,
    xs: *mut bindings::xfrm_state,
) {
    if dev.is_null() {
        return;
    }
    // SAFETY: our live device.
    let master = unsafe { NetDevice::from_raw(dev) };
    // SAFETY: as above.
    let (_, table) = unsafe { super::link::xfrm_parts::<T>(master) };
    table.free(xs);
}

/// `xdo_dev_offload_ok`.
///
/// # Safety
///
/// Called on the output path with a live state offloaded to one of T's
/// masters.
pub(super) unsafe extern "C" fn offload_ok<T: MasterOps>(
    _skb: *mut bindings::sk_buff,
    xs: *mut bindings::xfrm_state,
) -> bool {
    // SAFETY: guaranteed by the caller.
    let Some((master, t, _)) = (unsafe { master_of_state::<T>(xs) }) else {
        return false;
    };
    let rcu = super::rcu::enter();
    offload_dev(master, t, xs, &rcu).is_some_and(|d| !d.is_bond_master())
}

/// Hand a per-state request on to the lower device packets of `xs` use now,
/// if it has callback `bit`; else warn, under rate limit `site`, with
/// `what`, the name of the callback (C's `bond_advance_esn_state` and
/// `bond_xfrm_update_stats`).
///
/// # Safety
///
/// As [`offload_ok`]; `call` calls the callback `bit` names.
unsafe fn forward<T: MasterOps>(
    xs: *mut bindings::xfrm_state,
    bit: u32,
    site: u32,
    who: &str,
    what: &str,
    call: unsafe extern "C" fn(*mut bindings::net_device, *mut bindings::xfrm_state),
) {
    // SAFETY: guaranteed by the caller.
    let Some((master, t, _)) = (unsafe { master_of_state::<T>(xs) }) else {
        return;
    };
    let rcu = super::rcu::enter();
    let Some(d) = offload_dev(master, t, xs, &rcu) else {
        return;
    };
    if !Ops::of(d).has(bit) {
        if ratelimit(site) {
            bare_warn!("{}: {} doesn't support {}\n", who, d.name(), what);
        }
        return;
    }
    // SAFETY: the device has the callback (checked above); the state is live.
    unsafe { call(d.as_raw(), xs) }
}

/// `xdo_dev_state_advance_esn`.
///
/// # Safety
///
/// As [`offload_ok`].
pub(super) unsafe extern "C" fn advance_esn<T: MasterOps>(xs: *mut bindings::xfrm_state) {
    // SAFETY: as the caller's; the helper calls the ESN callback.
    unsafe {
        forward::<T>(
            xs,
            bindings::RBOND_XDO_ADVANCE_ESN,
            bindings::RBOND_XFRM_RL_ESN,
            "bond_advance_esn_state",
            "xdo_dev_state_advance_esn",
            bindings::rbond_xdo_advance_esn,
        )
    }
}

/// `xdo_dev_state_update_stats`.
///
/// # Safety
///
/// As [`offload_ok`].
pub(super) unsafe extern "C" fn update_stats<T: MasterOps>(xs: *mut bindings::xfrm_state) {
    // SAFETY: as the caller's; the helper calls the statistics callback.
    unsafe {
        forward::<T>(
            xs,
            bindings::RBOND_XDO_UPDATE_STATS,
            bindings::RBOND_XFRM_RL_STATS,
            "bond_xfrm_update_stats",
            "xdo_dev_state_update_stats",
            bindings::rbond_xdo_update_stats,
        )
    }
}
