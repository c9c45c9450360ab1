// SPDX-License-Identifier: GPL-2.0

//! Module parameters. They are declared in `helpers.c` with C's names,
//! types and permissions (so `modinfo`, the kernel's own integer parsing and
//! its messages match C); this reads them. Load-time only (permissions 0).

use super::bindings;
use kernel::str::CStrExt;

/// `max_bonds`.
pub(crate) fn max_bonds() -> i32 {
    // SAFETY: plain read of a module-owned int, written only by the kernel
    // before init and by `set_max_bonds` during init.
    unsafe { bindings::rbond_param_max_bonds() }
}

/// Store the corrected `max_bonds` (C resets the variable itself).
pub(crate) fn set_max_bonds(v: i32) {
    // SAFETY: called from module init only; nothing reads it concurrently.
    unsafe { bindings::rbond_param_set_max_bonds(v) }
}

/// `tx_queues`.
pub(crate) fn tx_queues() -> i32 {
    // SAFETY: as for max_bonds.
    unsafe { bindings::rbond_param_tx_queues() }
}

/// `mode`, if given: the string's bytes (the kernel keeps it for the module's life).
pub(crate) fn mode() -> Option<&'static [u8]> {
    // SAFETY: charp module parameter: NULL or a NUL-terminated string that
    // the kernel frees only at module unload, after all our code has run.
    unsafe {
        let p = bindings::rbond_param_mode();
        if p.is_null() {
            None
        } else {
            Some(core::ffi::CStr::from_char_ptr(p).to_bytes())
        }
    }
}

/// Integer parameters beyond the ones above (read at load only).
#[derive(Clone, Copy)]
pub(crate) enum IntParam {
    /// `num_grat_arp` / `num_unsol_na` (one variable, two names).
    NumPeerNotif = bindings::RBOND_P_NUM_PEER_NOTIF as isize,
    /// `miimon`.
    Miimon = bindings::RBOND_P_MIIMON as isize,
    /// `updelay`.
    UpDelay = bindings::RBOND_P_UPDELAY as isize,
    /// `downdelay`.
    DownDelay = bindings::RBOND_P_DOWNDELAY as isize,
    /// `use_carrier`.
    UseCarrier = bindings::RBOND_P_USE_CARRIER as isize,
    /// `all_slaves_active`.
    AllSlavesActive = bindings::RBOND_P_ALL_SLAVES_ACTIVE as isize,
    /// `resend_igmp`.
    ResendIgmp = bindings::RBOND_P_RESEND_IGMP as isize,
    /// `arp_interval`.
    ArpInterval = bindings::RBOND_P_ARP_INTERVAL as isize,
    /// `packets_per_slave`.
    PacketsPerSlave = bindings::RBOND_P_PACKETS_PER_SLAVE as isize,
    /// `min_links`.
    MinLinks = bindings::RBOND_P_MIN_LINKS as isize,
    /// `lp_interval` (a `uint` parameter; C reads it as an `int`, so values
    /// above `INT_MAX` come back negative).
    LpInterval = bindings::RBOND_P_LP_INTERVAL as isize,
}

/// Read an integer parameter.
pub(crate) fn int(p: IntParam) -> i32 {
    // SAFETY: plain read of a module-owned int.
    unsafe { bindings::rbond_param_int(p as i32) }
}

/// String parameters.
#[derive(Clone, Copy)]
pub(crate) enum StrParam {
    /// `primary`.
    Primary = bindings::RBOND_P_PRIMARY as isize,
    /// `primary_reselect`.
    PrimaryReselect = bindings::RBOND_P_PRIMARY_RESELECT as isize,
    /// `fail_over_mac`.
    FailOverMac = bindings::RBOND_P_FAIL_OVER_MAC as isize,
    /// `xmit_hash_policy`.
    XmitHashPolicy = bindings::RBOND_P_XMIT_HASH_POLICY as isize,
    /// `arp_validate`.
    ArpValidate = bindings::RBOND_P_ARP_VALIDATE as isize,
    /// `arp_all_targets`.
    ArpAllTargets = bindings::RBOND_P_ARP_ALL_TARGETS as isize,
    /// `lacp_rate`.
    LacpRate = bindings::RBOND_P_LACP_RATE as isize,
    /// `ad_select`.
    AdSelect = bindings::RBOND_P_AD_SELECT as isize,
}

/// Read a string parameter, if given.
pub(crate) fn string(p: StrParam) -> Option<&'static [u8]> {
    // SAFETY: charp parameter: NULL or a NUL-terminated string alive until
    // module unload.
    unsafe {
        let s = bindings::rbond_param_str(p as i32);
        if s.is_null() {
            None
        } else {
            Some(core::ffi::CStr::from_char_ptr(s).to_bytes())
        }
    }
}

/// The `i`-th `arp_ip_target` module parameter (`i` < 16), if given.
pub(crate) fn arp_ip_target(i: usize) -> Option<&'static [u8]> {
    let i = i32::try_from(i).ok()?;
    // SAFETY: charp array parameter: each entry is NULL or a NUL-terminated
    // string alive until module unload.
    unsafe {
        let s = bindings::rbond_param_arp_ip_target(i);
        if s.is_null() {
            None
        } else {
            Some(core::ffi::CStr::from_char_ptr(s).to_bytes())
        }
    }
}
