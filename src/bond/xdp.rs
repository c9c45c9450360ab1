// SPDX-License-Identifier: GPL-2.0

//! XDP on the bond (C's `bond_xdp_set`, the XDP steps of enslave and
//! release, `bond_xdp_set_features` and the XDP transmit choice).
//!
//! A program attached to the bond runs on every slave (each slave gets it
//! natively); the bond keeps it and gives it to slaves enslaved later.
//! Frames a slave's program sends back (`XDP_TX`) and frames redirected to
//! the bond leave through the slave the mode picks for them: balance-rr in
//! turn, active-backup the active slave, balance-xor and 802.3ad by the
//! transmit hash over the frame. The other modes have no native XDP.

use super::*;
use crate::net::xdp::{self, XdpProg};

/// What a failed XDP step reports (C's `SLAVE_NL_ERR`/`BOND_NL_ERR`): the
/// netlink requester gets the message, other callers find it in the log.
fn nl_err(
    ext: &mut Extack,
    bond: &NetDevice,
    slave: Option<&NetDevice>,
    msg: &'static core::ffi::CStr,
) {
    if ext.is_present() {
        ext.set_msg(msg);
        return;
    }
    let text = msg.to_str().unwrap_or("");
    match slave {
        Some(s) => bare_err!("{}: (slave {}): Error: {}\n", bond.name(), s.name(), text),
        None => bare_err!("{}: Error: {}\n", bond.name(), text),
    }
}

fn eopnotsupp() -> Error {
    Error::from_errno(-(crate::net::bindings::EOPNOTSUPP as i32))
}

const NO_NATIVE: &core::ffi::CStr = c"No native XDP support for the current bonding mode";
const SLAVE_NO_XDP: &core::ffi::CStr = c"Slave does not support XDP";
const SLAVE_HAS_PROG: &core::ffi::CStr =
    c"Slave has XDP program loaded, please unload before enslaving";

impl Bond {
    /// Whether `mode` with policy `policy` can carry the bond's program
    /// (C's `bond_xdp_check`).
    fn xdp_mode_ok(mode: Mode, policy: u64) -> bool {
        mode.native_xdp(policy)
    }

    /// Whether a program is attached to the bond.
    pub(super) fn xdp_loaded(&self, rtnl: &Rtnl) -> bool {
        self.core.get(rtnl).xdp.get().is_some()
    }

    /// An option change to `mode`/`policy` while a program is attached that
    /// the program could not run with (C: `-EOPNOTSUPP`, no message).
    pub(super) fn xdp_refuses(&self, mode: Mode, policy: u64, rtnl: &Rtnl) -> bool {
        self.xdp_loaded(rtnl) && !Self::xdp_mode_ok(mode, policy)
    }

    /// `ndo_bpf` (C's `bond_xdp_set`): attach `prog` (or none) to every
    /// slave; on a failure, the slaves done so far get the old program back
    /// and the bond keeps it.
    pub(super) fn xdp_setup(
        &self,
        dev: &NetDevice,
        prog: Option<&XdpProg>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        if !Self::xdp_mode_ok(self.mode(), self.val(OptId::XmitHashPolicy)) {
            nl_err(ext, dev, None, NO_NATIVE);
            return Err(eopnotsupp());
        }
        let mut i = 0;
        let mut failed = None;
        while let Some(s) = self.slave_at(i, rtnl) {
            let sdev = s.dev();
            if !sdev.xdp_capable() {
                nl_err(ext, dev, Some(sdev), SLAVE_NO_XDP);
                failed = Some(eopnotsupp());
                break;
            }
            if sdev.xdp_prog_count(rtnl) > 0 {
                nl_err(ext, dev, Some(sdev), SLAVE_HAS_PROG);
                failed = Some(eopnotsupp());
                break;
            }
            if let Err(e) = sdev.xdp_propagate(rtnl, prog, ext) {
                // The slave's driver set the message.
                bare_err!(
                    "{}: (slave {}): Error {} calling ndo_bpf\n",
                    dev.name(),
                    sdev.name(),
                    e.to_errno()
                );
                failed = Some(e);
                break;
            }
            i += 1;
        }
        let Some(err) = failed else {
            let old = self.core.get_mut(rtnl).xdp.replace(prog.cloned());
            drop(old);
            return Ok(());
        };
        // Unwind: the old program on the slaves already changed (without
        // the request's message, which keeps the first error).
        let old = self.core.get(rtnl).xdp.get().cloned();
        let mut quiet = Extack::none();
        for j in 0..i {
            let Some(s) = self.slave_at(j, rtnl) else {
                break;
            };
            if let Err(e) = s.dev().xdp_propagate(rtnl, old.as_ref(), &mut quiet) {
                bare_err!(
                    "{}: (slave {}): Error {} when unwinding XDP program change\n",
                    dev.name(),
                    s.dev().name(),
                    e.to_errno()
                );
            }
        }
        Err(err)
    }

    /// The XDP step of enslaving `sdev` (C: after the active slave is
    /// chosen): with a program on the bond, the slave must run it natively
    /// and have none of its own, and gets it.
    pub(super) fn xdp_enslave(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        let Some(prog) = self.core.get(rtnl).xdp.get().cloned() else {
            return Ok(());
        };
        if !sdev.xdp_capable() {
            nl_err(ext, dev, Some(sdev), SLAVE_NO_XDP);
            return Err(eopnotsupp());
        }
        if sdev.xdp_prog_count(rtnl) > 0 {
            nl_err(ext, dev, Some(sdev), SLAVE_HAS_PROG);
            return Err(eopnotsupp());
        }
        sdev.xdp_propagate(rtnl, Some(&prog), ext)
    }

    /// The XDP step of releasing `sdev`: the bond's program comes off it.
    pub(super) fn xdp_release(&self, dev: &NetDevice, sdev: &NetDevice, rtnl: &mut Rtnl) {
        if !self.xdp_loaded(rtnl) {
            return;
        }
        if sdev.xdp_propagate(rtnl, None, &mut Extack::none()).is_err() {
            bare_warn!(
                "{}: (slave {}): failed to unload XDP program\n",
                dev.name(),
                sdev.name()
            );
        }
    }

    /// The bond's XDP feature word (C's `bond_xdp_set_features`): what
    /// every slave has, without zero-copy sockets; nothing without slaves
    /// or in a mode without native XDP.
    pub(super) fn xdp_set_features(&self, dev: &NetDevice, rtnl: &Rtnl) {
        let slaves = &self.core.get(rtnl).slaves;
        let val = if slaves.is_empty()
            || !Self::xdp_mode_ok(self.mode(), self.val(OptId::XmitHashPolicy))
        {
            0
        } else {
            slaves
                .iter()
                .fold(xdp::features_all(), |v, s| v & s.dev().xdp_features())
        };
        dev.set_xdp_features(rtnl, val);
    }

    /// The slave that sends XDP frame `frame` (C's
    /// `bond_xdp_get_xmit_slave`).
    pub(super) fn xdp_lower<'a>(
        &'a self,
        dev: &NetDevice,
        frame: &[u8],
        rcu: &'a RcuRead,
    ) -> Option<&'a NetDevice> {
        let slave = match self.mode() {
            Mode::RoundRobin => self.xdp_rr_slave(frame, rcu),
            Mode::ActiveBackup => self.curr_active(rcu),
            Mode::Xor | Mode::Lacp => {
                let usable = self.usable_list(rcu);
                if usable.is_empty() {
                    None
                } else {
                    let h = crate::modes::xdp_hash(self, dev, frame) as usize;
                    usable.get(h % usable.len()).map(|s| &**s)
                }
            }
            m => {
                if crate::net::log::net_ratelimit() {
                    bare_err!(
                        "{}: Unknown bonding mode {} for xdp xmit\n",
                        dev.name(),
                        m as u8
                    );
                }
                None
            }
        };
        slave.map(|s| s.dev())
    }

    /// balance-rr's choice for an XDP frame: IGMP through the active slave
    /// (or the first that can send), else the next slave in turn (C's
    /// `bond_xdp_xmit_roundrobin_slave_get`).
    fn xdp_rr_slave<'a>(&'a self, frame: &[u8], rcu: &'a RcuRead) -> Option<&'a Slave> {
        let slaves = self.slave_list(rcu);
        if crate::modes::xdp_is_igmp(frame) {
            if let Some(a) = self.curr_active(rcu) {
                return Some(a);
            }
            return crate::hash::pick_from(slaves.len(), 0, |i| slaves[i].can_tx())
                .map(|i| &*slaves[i]);
        }
        if slaves.is_empty() {
            return None;
        }
        let id = self.rr_slave_id() as usize % slaves.len();
        crate::hash::pick_from(slaves.len(), id, |i| slaves[i].can_tx()).map(|i| &*slaves[i])
    }
}
