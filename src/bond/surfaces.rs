// SPDX-License-Identifier: GPL-2.0

//! The user-facing surfaces of a bond — sysfs, netlink, procfs — as thin
//! adapters over the option table (`crate::options`) and the bond's state.

use super::options::Input;
use super::{Bond, Slave};
use crate::net::link::SysfsRegistration;
use crate::net::log::bare_warn;
use crate::net::netdev::NetDevice;
use crate::net::nl::{Extack, NlAttrs, NlMsg, NlRange, NlaKind, Policy};
use crate::net::proc::SeqWriter;
use crate::net::rcu::RcuRead;
use crate::net::rtnl::{self, Process, Rtnl};
use crate::net::sysfs::ShowBuf;
use crate::options::netlink::{
    self as nl, Apply, FillState, FillValue, PageList, Payload, ShowFormat, SlaveShow,
    BOND_ATTRS_TABLE, BOND_SYSFS_FILES, SLAVE_ATTRS_TABLE, SLAVE_SYSFS_FILES,
};
use crate::options::procfs::{self, BondInfo, SlaveInfo};
use crate::options::table::{self, OptId};
use core::fmt::Write;
use kernel::prelude::*;

const fn kind(p: nl::Policy) -> NlaKind {
    match p {
        nl::Policy::U8 => NlaKind::U8,
        nl::Policy::U16 => NlaKind::U16,
        nl::Policy::U32 => NlaKind::U32,
        nl::Policy::S32 => NlaKind::S32,
        nl::Policy::Binary { max_len } => NlaKind::Binary(max_len as u16),
        nl::Policy::Nested => NlaKind::Nested,
    }
}

/// The one ranged attribute of C's policy (`IFLA_BOND_PEER_NOTIF_DELAY`).
static PEER_NOTIF_DELAY_RANGE: NlRange = NlRange::new(0, PEER_NOTIF_DELAY_MAX);
const PEER_NOTIF_DELAY_MAX: u64 = 300_000;

const fn bond_kinds() -> [NlaKind; BOND_ATTRS_TABLE.len()] {
    let mut k = [NlaKind::Unspec; BOND_ATTRS_TABLE.len()];
    let mut i = 0;
    while i < k.len() {
        k[i] = match BOND_ATTRS_TABLE[i].policy_max {
            Some(max) => {
                assert!(max == PEER_NOTIF_DELAY_MAX);
                NlaKind::U32Range(&PEER_NOTIF_DELAY_RANGE)
            }
            None => kind(BOND_ATTRS_TABLE[i].policy()),
        };
        i += 1;
    }
    k
}

const fn slave_kinds() -> [NlaKind; SLAVE_ATTRS_TABLE.len()] {
    let mut k = [NlaKind::Unspec; SLAVE_ATTRS_TABLE.len()];
    let mut i = 0;
    while i < k.len() {
        if let Some(p) = SLAVE_ATTRS_TABLE[i].policy() {
            k[i] = kind(p);
        }
        i += 1;
    }
    k
}

/// `IFLA_INFO_DATA` policy (C's `bond_policy`).
pub(super) static POLICY: Policy = Policy::new(&bond_kinds());
/// `IFLA_INFO_SLAVE_DATA` policy (C's `bond_slave_policy`).
pub(super) static SLAVE_POLICY: Policy = Policy::new(&slave_kinds());

/// The sysfs groups, names and modes from the option table.
pub(super) fn sysfs_registration() -> Result<SysfsRegistration<Bond>> {
    let mut names = KVec::new();
    let mut modes = KVec::new();
    for f in BOND_SYSFS_FILES.iter() {
        names.push(f.name, GFP_KERNEL)?;
        modes.push(f.mode, GFP_KERNEL)?;
    }
    let mut snames = KVec::new();
    let mut smodes = KVec::new();
    for f in SLAVE_SYSFS_FILES.iter() {
        snames.push(f.name, GFP_KERNEL)?;
        smodes.push(f.mode, GFP_KERNEL)?;
    }
    SysfsRegistration::new(&names, &modes, &snames, &smodes)
}

/// A `core::fmt::Write` over a sysfs page.
struct PageWriter<'a, 'b> {
    buf: &'a mut ShowBuf<'b>,
}

impl Write for PageWriter<'_, '_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let len = self.buf.len();
        let page = self.buf.page();
        let n = s.len().min(page.len().saturating_sub(len));
        page[len..len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.buf.set_len(len + n);
        Ok(())
    }
}

fn name_str(n: &crate::net::netdev::IfName) -> &str {
    core::str::from_utf8(n.as_bytes()).unwrap_or("?")
}

/// Read a bond sysfs file.
pub(super) fn attr_show(
    bond: &Bond,
    dev: &NetDevice,
    idx: usize,
    buf: &mut ShowBuf<'_>,
    rcu: &RcuRead,
) {
    let Some(f) = BOND_SYSFS_FILES.get(idx) else {
        return;
    };
    if !f.show.visible(bond.mode(), true) {
        return;
    }
    match f.show {
        ShowFormat::SlaveNames => {
            let mut l = PageList::new(buf.page(), None);
            for s in bond.slave_list(rcu) {
                l.add(s.dev().name().as_bytes());
            }
            let n = l.finish();
            buf.set_len(n);
            return;
        }
        ShowFormat::QueueIds => {
            let mut l = PageList::new(buf.page(), None);
            for s in bond.slave_list(rcu) {
                l.add_queue_id(s.dev().name().as_bytes(), s.queue_id());
            }
            let n = l.finish();
            buf.set_len(n);
            return;
        }
        _ => {}
    }
    let mut w = PageWriter { buf };
    let _ = match f.show {
        ShowFormat::Value(id) => {
            let _ = table::format_value(id, bond.val(id), &mut w);
            w.write_str("\n")
        }
        ShowFormat::DelayMs(id) => writeln!(w, "{}", bond.val(id) * u64::from(bond.miimon())),
        ShowFormat::One => w.write_str("1\n"),
        ShowFormat::PrimaryName => match bond.primary.read(rcu) {
            Some(p) => writeln!(w, "{}", name_str(&p.dev().name())),
            None => Ok(()),
        },
        ShowFormat::ActiveSlaveName => match bond.shown_active(rcu) {
            Some(p) => writeln!(w, "{}", name_str(&p.dev().name())),
            None => Ok(()),
        },
        ShowFormat::CarrierStatus => w.write_str(if dev.carrier_ok() { "up\n" } else { "down\n" }),
        ShowFormat::ArpTargets => {
            crate::options::targets::write_arp_targets(&mut w, &bond.arp_targets())
        }
        ShowFormat::AdInfo(field) => {
            let i = bond.ad_info().unwrap_or_default();
            let v = match field {
                nl::AdInfoField::Aggregator => i.id,
                nl::AdInfoField::NumPorts => i.ports,
                nl::AdInfoField::ActorKey => i.actor_key,
                nl::AdInfoField::PartnerKey => i.partner_key,
            };
            writeln!(w, "{v}")
        }
        ShowFormat::AdPartnerMac => match bond.ad_info() {
            Some(i) => {
                let _ = nl::write_hw_addr(&mut w, &i.partner_mac);
                w.write_str("\n")
            }
            None => Ok(()),
        },
        ShowFormat::LacpAdminValue(id) => writeln!(w, "{}", bond.val(id)),
        ShowFormat::LacpAdminMac => {
            let _ = nl::write_hw_addr(&mut w, &bond.ad_actor_system());
            w.write_str("\n")
        }
        _ => Ok(()),
    };
}

/// Write a bond sysfs file (C's `bonding_sysfs_store_option`).
pub(super) fn attr_store(
    bond: &Bond,
    dev: &NetDevice,
    idx: usize,
    input: &[u8],
    p: &mut Process,
) -> Result {
    let Some(f) = BOND_SYSFS_FILES.get(idx) else {
        return Err(ENOENT);
    };
    let Some(id) = f.store else { return Err(EPERM) };
    let mut g = rtnl::lock_or_restart(p)?;
    let r = bond.set_option(dev, id, Input::Str(input), &mut g);
    if r.is_ok() {
        dev.notify(&mut g, crate::net::netdev::NetdevEvent::ChangeInfoData);
    }
    r
}

/// Read a slave's `bonding_slave/` file.
pub(super) fn slave_attr_show(s: &Slave, idx: usize, buf: &mut ShowBuf<'_>) {
    let Some(f) = SLAVE_SYSFS_FILES.get(idx) else {
        return;
    };
    let mut w = PageWriter { buf };
    let _ = match f.show {
        SlaveShow::State => writeln!(w, "{}", nl::slave_state_name(u8::from(s.is_backup()))),
        SlaveShow::MiiStatus => writeln!(w, "{}", nl::slave_link_name(s.link_code() as i8)),
        SlaveShow::LinkFailureCount => writeln!(w, "{}", s.link_failures()),
        SlaveShow::PermHwaddr => {
            let _ = nl::write_hw_addr(&mut w, s.perm_addr());
            w.write_str("\n")
        }
        SlaveShow::QueueId => writeln!(w, "{}", s.queue_id()),
        SlaveShow::AdAggregatorId
        | SlaveShow::AdActorOperPortState
        | SlaveShow::AdPartnerOperPortState => {
            let lacp = crate::net::link::master_of::<Bond>(s.bond_dev())
                .is_some_and(|b| b.mode() == crate::options::Mode::Lacp);
            let v = s.ad.view();
            match (lacp, v.agg_id) {
                (true, Some(id)) => match f.show {
                    SlaveShow::AdAggregatorId => writeln!(w, "{id}"),
                    SlaveShow::AdActorOperPortState => writeln!(w, "{}", v.actor_state),
                    _ => writeln!(w, "{}", v.partner_state),
                },
                _ => writeln!(w, "{}", nl::NOT_AVAILABLE),
            }
        }
    };
}

/// `slave_changelink`: the per-slave attributes in C's order (queue id,
/// prio, actor port prio); the first error stops, with what was applied
/// before it kept.
pub(super) fn slave_changelink(
    bond: &Bond,
    dev: &NetDevice,
    slave: &NetDevice,
    data: &NlAttrs<'_>,
    ext: &mut Extack,
    rtnl: &mut Rtnl,
) -> Result {
    // The kernel found `dev` as the slave's master; a slave on its way in
    // or out has no entry yet/any more (C: -ENODEV from the setter).
    let Some(s) = bond.find_slave(rtnl, slave) else {
        return Err(ENODEV);
    };
    for &ty in nl::SLAVE_CHANGELINK_ORDER.iter() {
        let Some(a) = data.get(ty) else { continue };
        let Some(id) = nl::slave_attr(ty).and_then(|x| x.opt) else {
            continue;
        };
        match ty {
            nl::IFLA_BOND_SLAVE_QUEUE_ID => {
                let mut buf = [0u8; nl::QUEUE_ID_REQUEST_LEN];
                let n =
                    nl::queue_id_request(slave.name().as_bytes(), a.u16().unwrap_or(0), &mut buf);
                let req = buf.get(..n).unwrap_or(&[]);
                bond.set_option_ext(dev, id, Input::Str(req), Some(ext), rtnl)?;
            }
            nl::IFLA_BOND_SLAVE_PRIO => {
                let v = nl::sign_extend_int(a.u32().unwrap_or(0));
                bond.set_option_ext(dev, id, Input::Slave(&s, v), Some(ext), rtnl)?;
            }
            _ => {
                let v = u64::from(a.u16().unwrap_or(0));
                bond.set_option_ext(dev, id, Input::Slave(&s, v), Some(ext), rtnl)?;
            }
        }
    }
    Ok(())
}

/// `changelink` (and `newlink`): apply attributes in C's order; the first
/// error stops, with what was applied before it kept.
pub(super) fn changelink(
    bond: &Bond,
    dev: &NetDevice,
    data: &NlAttrs<'_>,
    ext: &mut Extack,
    rtnl: &mut Rtnl,
) -> Result {
    let req_miimon = data
        .get(nl::IFLA_BOND_MIIMON)
        .and_then(|a| a.u32())
        .unwrap_or(0);
    for &ty in nl::CHANGELINK_ORDER.iter() {
        let Some(a) = data.get(ty) else { continue };
        let Some(spec) = nl::bond_attr(ty) else {
            continue;
        };
        let fail =
            |ext: &mut Extack, e: nl::NlError| -> Result { Err(fail_err(ext, StepError::Nl(e))) };
        let value = match spec.payload {
            Payload::U8 => a.u8().map(u64::from),
            Payload::U16 => a.u16().map(u64::from),
            Payload::U32 | Payload::S32 => a.u32().map(nl::sign_extend_int),
            _ => None,
        };
        match spec.apply {
            Apply::UseCarrier => {
                if let Err(e) = nl::check_use_carrier(value.unwrap_or(0)) {
                    return fail(ext, e);
                }
                continue;
            }
            Apply::ArpInterval | Apply::ArpValidate => {
                if let Err(e) =
                    nl::check_arp_vs_miimon(ty, value.unwrap_or(0), u64::from(req_miimon))
                {
                    return fail(ext, e);
                }
            }
            Apply::ArpTargets => {
                bond.clear_arp_targets(rtnl);
                let add = |payload: &[u8]| nl::arp_target_value(payload).map(Input::Num);
                let r = set_targets(bond, dev, &a, OptId::ArpIpTarget, add, ext, rtnl);
                r.map_err(|e| fail_err(ext, e))?;
                continue;
            }
            Apply::NsTargets => {
                bond.clear_ns_targets(rtnl);
                let add = |payload: &[u8]| nl::ns_target(payload).map(Input::Ip6);
                let r = set_targets(bond, dev, &a, OptId::NsIp6Target, add, ext, rtnl);
                r.map_err(|e| fail_err(ext, e))?;
                continue;
            }
            Apply::ActiveSlaveIfindex | Apply::PrimaryIfindex => {
                let Some(id) = spec.opt else { continue };
                let ifindex = a.u32().unwrap_or(0) as i32;
                let name =
                    crate::net::netdev::dev_by_index(rtnl, dev.net(), ifindex).map(|d| d.name());
                let active = matches!(spec.apply, Apply::ActiveSlaveIfindex);
                if active && ifindex != 0 && name.is_none() {
                    return Err(ENODEV);
                }
                let bytes = name.as_ref().map(|n| n.as_bytes()).unwrap_or(b"");
                bond.set_option_ext(dev, id, Input::Str(bytes), Some(ext), rtnl)?;
                continue;
            }
            Apply::ActorSystem => {
                let Some(id) = spec.opt else { continue };
                let b = a.bytes();
                if b.len() < 6 {
                    return Err(EINVAL);
                }
                let mut v = [0u8; 8];
                v[..6].copy_from_slice(&b[..6]);
                bond.set_option_ext(dev, id, Input::Num(u64::from_le_bytes(v)), Some(ext), rtnl)?;
                continue;
            }
            Apply::Value => {}
            _ => continue,
        }
        let Some(id) = spec.opt else { continue };
        let Some(v) = value else { continue };
        bond.set_option_ext(dev, id, Input::Num(v), Some(ext), rtnl)?;
    }
    Ok(())
}

/// A changelink step that failed: a netlink-level error (extack, errno) or
/// one the option setter already reported.
enum StepError {
    Nl(nl::NlError),
    Set(Error),
}

fn fail_err(ext: &mut Extack, e: StepError) -> Error {
    match e {
        StepError::Nl(e) => {
            if let Some(m) = e.extack() {
                set_extack(ext, m);
            }
            Error::from_errno(-e.errno())
        }
        StepError::Set(e) => e,
    }
}

/// C's handling of `IFLA_BOND_ARP_IP_TARGET` / `IFLA_BOND_NS_IP6_TARGET`
/// (the caller cleared the table): each nested address is added in order
/// until one fails; when none was added with `arp_interval` on, C warns.
fn set_targets(
    bond: &Bond,
    dev: &NetDevice,
    a: &crate::net::nl::NlAttr<'_>,
    id: OptId,
    input: impl Fn(&[u8]) -> core::result::Result<Input<'static>, nl::NlError>,
    ext: &mut Extack,
    rtnl: &mut Rtnl,
) -> core::result::Result<(), StepError> {
    let mut added = 0;
    let mut res = Ok(());
    for (_, payload) in a.nested() {
        let v = input(payload).map_err(StepError::Nl)?;
        res = bond.set_option_ext(dev, id, v, Some(ext), rtnl);
        if res.is_err() {
            break;
        }
        added += 1;
    }
    if added == 0 && bond.val(OptId::ArpInterval) != 0 {
        let warn = if id == OptId::NsIp6Target {
            nl::WARN_LAST_NS_TARGET
        } else {
            nl::WARN_LAST_ARP_TARGET
        };
        bare_warn!("{}: {}\n", dev.name(), warn);
    }
    res.map_err(StepError::Set)
}

/// Set the extack to one of the option table's or netlink table's messages.
pub(super) fn set_extack(ext: &mut Extack, m: &'static str) {
    const MSGS: [&core::ffi::CStr; 12] = [
        c"invalid option value",
        c"option not supported in mode",
        c"unable to set option because the bond device has slaves",
        c"unable to set option because the bond is up",
        c"interface does not exist",
        c"option obsolete, use_carrier cannot be disabled",
        c"ARP monitoring cannot be used with MII monitoring",
        c"Invalid IPv6 address",
        c"Attribute failed policy validation",
        c"integer out of range",
        c"Removing last arp target with arp_interval on",
        c"Removing last ns target with arp_interval on",
    ];
    if let Some(c) = MSGS.iter().find(|c| c.to_bytes() == m.as_bytes()) {
        ext.set_msg(c);
    }
}

/// `fill_info`.
pub(super) fn fill_info(bond: &Bond, dev: &NetDevice, msg: &mut NlMsg<'_>, rtnl: &Rtnl) -> Result {
    let _ = dev;
    let arp_targets = bond.arp_targets();
    let ns_targets = bond.ns_targets();
    let st = FillState {
        mode: bond.mode(),
        active_slave: bond.uses_primary() && bond.curr_active.get(rtnl).is_some(),
        primary: bond.primary.get(rtnl).is_some(),
        arp_targets: !arp_targets.is_empty(),
        ns_targets: !ns_targets.is_empty(),
        ipv6: true,
        net_admin: true,
        agg_info: bond.ad_info().is_some(),
    };
    let ad_info = bond.ad_info();
    for a in nl::fill_attrs(&st) {
        let v = match a.fill_value {
            FillValue::Param => a.opt.map(|id| bond.val(id)).unwrap_or(0),
            FillValue::DelayMs => a
                .opt
                .map(|id| bond.val(id) * u64::from(bond.miimon()))
                .unwrap_or(0),
            FillValue::One => 1,
            FillValue::ActiveSlaveIfindex => bond
                .curr_active
                .get(rtnl)
                .map(|s| s.dev().ifindex() as u64)
                .unwrap_or(0),
            FillValue::PrimaryIfindex => bond
                .primary
                .get(rtnl)
                .map(|s| s.dev().ifindex() as u64)
                .unwrap_or(0),
            FillValue::ArpTargets => {
                // C: a nest without NLA_F_NESTED, one attribute per slot.
                msg.nest(a.attr, false, |m| {
                    for (i, t) in arp_targets.slots().iter().enumerate() {
                        if *t != [0; 4] {
                            m.put(i as u16, t)?;
                        }
                    }
                    Ok(!arp_targets.is_empty())
                })?;
                continue;
            }
            FillValue::NsTargets => {
                msg.nest(a.attr, true, |m| {
                    for (i, t) in ns_targets.slots().iter().enumerate() {
                        if *t != [0; 16] {
                            m.put(i as u16, t)?;
                        }
                    }
                    Ok(!ns_targets.is_empty())
                })?;
                continue;
            }
            FillValue::Mac => {
                msg.put(a.attr, &bond.ad_actor_system())?;
                continue;
            }
            FillValue::AdInfo => {
                if let Some(i) = ad_info {
                    msg.nest(a.attr, false, |m| {
                        m.put_u16(nl::IFLA_BOND_AD_INFO_AGGREGATOR, i.id)?;
                        m.put_u16(nl::IFLA_BOND_AD_INFO_NUM_PORTS, i.ports)?;
                        m.put_u16(nl::IFLA_BOND_AD_INFO_ACTOR_KEY, i.actor_key)?;
                        m.put_u16(nl::IFLA_BOND_AD_INFO_PARTNER_KEY, i.partner_key)?;
                        m.put(nl::IFLA_BOND_AD_INFO_PARTNER_MAC, &i.partner_mac)?;
                        Ok(true)
                    })?;
                }
                continue;
            }
        };
        match a.payload {
            Payload::U8 => msg.put_u8(a.attr, v as u8)?,
            Payload::U16 => msg.put_u16(a.attr, v as u16)?,
            Payload::U32 | Payload::S32 => msg.put_u32(a.attr, v as u32)?,
            _ => {}
        }
    }
    Ok(())
}

/// `fill_slave_info`.
pub(super) fn fill_slave_info(s: &Slave, msg: &mut NlMsg<'_>) -> Result {
    msg.put_u8(nl::IFLA_BOND_SLAVE_STATE, u8::from(s.is_backup()))?;
    msg.put_u8(nl::IFLA_BOND_SLAVE_MII_STATUS, s.link_code())?;
    msg.put_u32(nl::IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, s.link_failures())?;
    msg.put(nl::IFLA_BOND_SLAVE_PERM_HWADDR, s.perm_addr())?;
    msg.put_u16(nl::IFLA_BOND_SLAVE_QUEUE_ID, s.queue_id())?;
    msg.put_u32(nl::IFLA_BOND_SLAVE_PRIO, s.prio() as u32)?;
    let lacp = crate::net::link::master_of::<Bond>(s.bond_dev())
        .is_some_and(|b| b.mode() == crate::options::Mode::Lacp);
    if lacp {
        let v = s.ad.view();
        if let Some(id) = v.agg_id {
            msg.put_u16(nl::IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, id)?;
            msg.put_u8(nl::IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, v.actor_state)?;
            msg.put_u16(
                nl::IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
                u16::from(v.partner_state),
            )?;
            msg.put_u8(nl::IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE, v.actor_churn)?;
            msg.put_u8(nl::IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE, v.partner_churn)?;
        }
        msg.put_u16(nl::IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, s.ad.port_prio())?;
    }
    Ok(())
}

/// `/proc/net/bonding/<bond>`.
pub(super) fn proc_show(bond: &Bond, dev: &NetDevice, out: &mut SeqWriter<'_>, rcu: &RcuRead) {
    let primary = bond.primary.read(rcu).map(|s| s.dev().name());
    let active = bond.curr_active(rcu).map(|s| s.dev().name());
    let arp_targets = bond.arp_targets();
    let ns_targets = bond.ns_targets();
    let info = BondInfo {
        version: crate::net::netdev::uts_release(),
        mode: bond.mode(),
        fail_over_mac: bond.val(OptId::FailOverMac),
        xmit_policy: bond.val(OptId::XmitHashPolicy),
        tlb_dynamic_lb: bond.val(OptId::TlbDynamicLb) != 0,
        primary: primary.as_ref().map(|n| n.as_bytes()),
        primary_reselect: bond.val(OptId::PrimaryReselect),
        curr_active: active.as_ref().map(|n| n.as_bytes()),
        carrier: dev.carrier_ok(),
        miimon: bond.miimon() as i32,
        updelay: bond.val(OptId::UpDelay) as i32,
        downdelay: bond.val(OptId::DownDelay) as i32,
        peer_notif_delay: bond.val(OptId::PeerNotifDelay) as i32,
        arp_interval: bond.val(OptId::ArpInterval) as i32,
        missed_max: bond.val(OptId::MissedMax) as u8,
        arp_targets: &arp_targets.slots()[..],
        ns_targets: Some(&ns_targets.slots()[..]),
        slaves: &[],
    };
    let _ = procfs::write_master(out, &info);
    let lacp = bond.mode() == crate::options::Mode::Lacp;
    if lacp {
        let name = dev.name();
        let (prio, mac) = bond.ad_system();
        let m = procfs::LacpMasterInfo {
            name: name.as_bytes(),
            lacp_active: bond.val(OptId::LacpActive) != 0,
            lacp_fast: bond.val(OptId::LacpRate) != 0,
            min_links: bond.val(OptId::MinLinks) as u32,
            ad_select: bond.val(OptId::AdSelect),
            net_admin: crate::net::proc::reader_is_net_admin(),
            sys_priority: prio,
            sys_mac: mac,
            active: bond.ad_info().map(|i| procfs::AggInfo {
                id: i.id,
                ports: i.ports,
                actor_key: i.actor_key,
                partner_key: i.partner_key,
                partner_mac: i.partner_mac,
            }),
        };
        let _ = procfs::write_lacp_master(out, &m);
    }
    for s in bond.slave_list(rcu) {
        let name = s.dev().name();
        let si = SlaveInfo {
            name: name.as_bytes(),
            link: s.link_state(),
            speed: s.speed(),
            duplex: s.duplex(),
            link_failure_count: s.link_failures(),
            perm_hwaddr: s.perm_addr(),
            queue_id: s.queue_id(),
        };
        let _ = procfs::write_slave(out, &si);
        if lacp {
            let v = s.ad.view();
            let si = procfs::LacpSlaveInfo {
                aggregator_id: v.agg_id,
                actor_churn: v.actor_churn,
                partner_churn: v.partner_churn,
                actor_churned_count: v.actor_churn_count,
                partner_churned_count: v.partner_churn_count,
                net_admin: crate::net::proc::reader_is_net_admin(),
                actor: procfs::PortDetails {
                    system_priority: v.actor_sys_prio,
                    system_mac: v.actor_mac,
                    key: v.actor_key,
                    port_priority: v.actor_port_prio,
                    port_number: v.actor_port,
                    state: u16::from(v.actor_state),
                },
                partner: procfs::PortDetails {
                    system_priority: v.partner_sys_prio,
                    system_mac: v.partner_mac,
                    key: v.partner_key,
                    port_priority: v.partner_port_prio,
                    port_number: v.partner_port,
                    state: u16::from(v.partner_state),
                },
            };
            let _ = procfs::write_lacp_slave(out, &si);
        }
    }
}
