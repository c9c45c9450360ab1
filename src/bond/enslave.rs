// SPDX-License-Identifier: GPL-2.0

//! Enslaving and releasing slaves.

use super::*;

impl Bond {
    /// Enslave `sdev` (C's `bond_enslave`).
    pub(super) fn enslave(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        let name = dev.name();
        let sname = sdev.name();
        macro_rules! slave_nl_err {
            ($msg:literal, $err:expr) => {{
                // As C's SLAVE_NL_ERR: the netlink requester gets the
                // message, other callers (sysfs, ioctl) find it in the log.
                if ext.is_present() {
                    ext.set_msg(kernel::c_str!($msg));
                } else {
                    bare_err!("{}: (slave {}): Error: {}\n", name, sname, $msg);
                }
                return Err($err);
            }};
        }
        macro_rules! bond_nl_err {
            ($msg:literal, $err:expr) => {{
                if ext.is_present() {
                    ext.set_msg(kernel::c_str!($msg));
                } else {
                    bare_err!("{}: Error: {}\n", name, $msg);
                }
                return Err($err);
            }};
        }
        if sdev.dev_type() == ARPHRD_CAN {
            bond_nl_err!("CAN devices cannot be enslaved", EPERM);
        }
        if sdev.flags() & crate::net::bindings::net_device_flags_IFF_MASTER != 0
            && !sdev.is_bond_master()
        {
            bond_nl_err!("Device type (master device) cannot be enslaved", EPERM);
        }
        if sdev.rx_handler_busy(rtnl) {
            slave_nl_err!("Device is in use and cannot be enslaved", EBUSY);
        }
        if core::ptr::eq(dev.as_raw(), sdev.as_raw()) {
            bond_nl_err!("Cannot enslave bond to itself.", EPERM);
        }
        if sdev.vlan_challenged() {
            if dev.has_vlans(rtnl) {
                slave_nl_err!(
                    "Can not enslave VLAN challenged device to VLAN enabled bond",
                    EPERM
                );
            }
            bare_warn!(
                "{}: (slave {}): enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n",
                name,
                sname
            );
        }
        if sdev.is_up() {
            slave_nl_err!("Device can not be enslaved while up", EPERM);
        }
        let has_slaves = !self.core.get(rtnl).slaves.is_empty();
        let stype = sdev.dev_type();
        // The first slave gives the bond its link-layer type; the others
        // must have it.
        if !has_slaves {
            if dev.dev_type() != stype {
                if stype != ARPHRD_ETHER && self.mode() == Mode::Lacp {
                    slave_nl_err!("8023AD mode requires Ethernet devices", EINVAL);
                }
                if dev.pre_type_change(rtnl).is_err() {
                    bare_err!(
                        "{}: (slave {}): refused to change device type\n",
                        name,
                        sname
                    );
                    return Err(EBUSY);
                }
                dev.addr_lists_flush(rtnl);
                if stype != ARPHRD_ETHER {
                    link::setup_by_lower::<Bond>(dev, sdev, rtnl);
                } else {
                    dev.master_ether_setup(rtnl);
                }
                dev.post_type_change(rtnl);
            }
        } else if dev.dev_type() != stype {
            slave_nl_err!("Device type is different from other slaves", EINVAL);
        }
        // A failure from here on leaves a bond without slaves Ethernet
        // again, with a fresh address if it had taken the slave's (C).
        let undo_first = |rtnl: &mut Rtnl| {
            if !has_slaves {
                if sdev.addr() == dev.addr() {
                    dev.random_addr(rtnl);
                }
                if dev.dev_type() != ARPHRD_ETHER {
                    dev.close(rtnl);
                    dev.master_ether_setup(rtnl);
                }
            }
        };
        if stype == ARPHRD_INFINIBAND && self.mode() != Mode::ActiveBackup {
            let msg = kernel::c_str!("Only active-backup mode is supported for infiniband slaves");
            if ext.is_present() {
                ext.set_msg(msg);
            } else {
                bare_err!("{}: (slave {}): Error: {}\n", name, sname, msg);
            }
            undo_first(rtnl);
            return Err(Error::from_errno(
                -(crate::net::bindings::EOPNOTSUPP as i32),
            ));
        }
        let ab = self.mode() == Mode::ActiveBackup;
        if !sdev.can_set_mac() || stype == ARPHRD_INFINIBAND {
            bare_warn!(
                "{}: (slave {}): The slave device specified does not support setting the MAC address\n",
                name,
                sname
            );
            if ab && self.val(OptId::FailOverMac) != 1 {
                if !has_slaves {
                    self.set_val(OptId::FailOverMac, 1);
                    bare_warn!(
                        "{}: (slave {}): Setting fail_over_mac to active for active-backup mode\n",
                        name,
                        sname
                    );
                } else {
                    slave_nl_err!(
                        "Slave device does not support setting the MAC address, but fail_over_mac is not set to active",
                        Error::from_errno(-(crate::net::bindings::EOPNOTSUPP as i32))
                    );
                }
            }
        }
        // Whoever uses the device on its own (netconsole) lets it go.
        sdev.notify(rtnl, NetdevEvent::Join);
        // First slave: the bond takes its address (if the bond's is random).
        if !has_slaves && crate::net::netdev::addr_is_random(dev) {
            if let Err(e) = dev.take_addr_of(rtnl, sdev) {
                undo_first(rtnl);
                return Err(e);
            }
        }
        let r = Arc::pin_init(
            Slave::new(sdev, dev, SlaveLink::new(LinkState::Down, 0)),
            GFP_KERNEL,
        )
        .and_then(|slave| self.enslave_steps(dev, sdev, &slave, ext, rtnl));
        if r.is_err() {
            undo_first(rtnl);
        }
        r
    }

    pub(super) fn enslave_steps(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        slave: &Arc<Slave>,
        ext: &mut Extack,
        rtnl: &mut Rtnl,
    ) -> Result {
        let name = dev.name();
        let sname = sdev.name();
        let ab = self.mode() == Mode::ActiveBackup;
        let fom = self.val(OptId::FailOverMac);
        let has_slaves = !self.core.get(rtnl).slaves.is_empty();
        if let Err(e) = sdev.set_mtu(rtnl, dev.mtu()) {
            bare_err!(
                "{}: (slave {}): Error {} calling dev_set_mtu\n",
                name,
                sname,
                e.to_errno()
            );
            return Err(e);
        }
        let mut mac: Option<MacAddr> = None;
        if fom == 0 || !ab {
            mac = Some(dev.addr());
        } else if fom == 2 && has_slaves && sdev.addr() == dev.addr() {
            let mut a = [0u8; 6];
            crate::net::netdev::random_ether_addr(&mut a);
            mac = Some(a);
        }
        if let Some(a) = mac {
            if let Err(e) = sdev.set_mac(rtnl, &a) {
                bare_err!(
                    "{}: (slave {}): Error {} calling set_mac_address\n",
                    name,
                    sname,
                    e.to_errno()
                );
                let _ = sdev.set_mtu(rtnl, slave.original_mtu);
                return Err(e);
            }
        }
        sdev.set_slave_flags(rtnl, false, true);
        if let Err(e) = sdev.open(rtnl) {
            bare_err!("{}: (slave {}): Opening slave failed\n", name, sname);
            self.undo_mac_mtu(sdev, slave, mac.is_some(), rtnl);
            return Err(e);
        }
        sdev.set_slave_flags(rtnl, true, true);
        let undo_open = |rtnl: &mut Rtnl| {
            sdev.set_slave_flags(rtnl, sdev.is_bond_master(), true);
            sdev.close(rtnl);
            self.undo_mac_mtu(sdev, slave, mac.is_some(), rtnl);
        };
        slave.set_alb_id(self.alb_new_id(rtnl));
        if self.is_lb() {
            if let Err(e) = self.alb_init_slave(dev, slave, rtnl) {
                undo_open(rtnl);
                return Err(e);
            }
        }
        if let Err(e) = sdev.vlan_vids_add_from(rtnl, dev) {
            bare_err!("{}: (slave {}): Couldn't add bond vlan ids\n", name, sname);
            undo_open(rtnl);
            return Err(e);
        }
        self.update_speed_duplex(slave, rtnl);
        // Initial link state, from the opened device (C: after dev_open).
        let carrier = sdev.running() && sdev.carrier_ok();
        let link = if self.miimon() != 0 {
            SlaveLink::enslaved(carrier, self.val(OptId::UpDelay) as u32)
        } else if self.val(OptId::ArpInterval) != 0 {
            SlaveLink::new(
                if sdev.carrier_ok() {
                    LinkState::Up
                } else {
                    LinkState::Down
                },
                0,
            )
        } else {
            SlaveLink::new(LinkState::Up, 0)
        };
        *slave.link.get_mut(rtnl) = link;
        slave.publish_link(link.state());
        // The ARP monitor's clocks: "last heard" just over an interval ago,
        // so a new slave must prove itself; "came up" now unless down.
        let now = crate::net::netdev::jiffies();
        let stale =
            now.wrapping_sub(ms_to_jiffies(self.val(OptId::ArpInterval) as u32).wrapping_add(1));
        slave.last_rx.store(stale, Ordering::Relaxed);
        slave.last_tx.store(stale, Ordering::Relaxed);
        for t in slave.target_rx.iter() {
            t.store(stale, Ordering::Relaxed);
        }
        if link.state() != LinkState::Down {
            slave.last_link_up.store(now, Ordering::Relaxed);
        }
        // Primary?
        let is_primary = self.uses_primary()
            && self
                .core
                .get(rtnl)
                .primary_name
                .is_some_and(|p| p.as_bytes() == sname.as_bytes());
        if self.is_lb() {
            // C: active, with the receive filter of an inactive slave.
            slave.set_backup(false, self.all_slaves_active());
            slave.set_inactive(!self.all_slaves_active());
        } else if ab || !self.engine().starts_active() {
            slave.set_backup(true, self.all_slaves_active());
        } else {
            slave.set_backup(false, self.all_slaves_active());
        }
        // A bond used by netpoll needs it on every slave (C: -EBUSY).
        if crate::net::netpoll::has_netpoll(dev) && slave.netpoll.enable(sdev, rtnl).is_err() {
            bare_info!(
                "{}: (slave {}): master_dev is using netpoll, but new slave device does not support netpoll\n",
                name,
                sname
            );
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(EBUSY);
        }
        // From here on, every failure frees the slave's netpoll too.
        let undo_open = |rtnl: &mut Rtnl| {
            slave.netpoll.disable(rtnl);
            undo_open(rtnl);
        };
        sdev.disable_lro(rtnl);
        if let Err(e) = rx::register(rtnl, sdev, slave.clone()) {
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        let tx_type = self.engine().lag_tx_type();
        if let Err(e) = sdev.link_master(rtnl, dev, tx_type, self.lag_hash_type(tx_type)) {
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        self.lower_state(slave, rtnl);
        if let Err(e) = link::sysfs_slave_add(rtnl, sdev) {
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        if !self.uses_primary() {
            let flags = dev.flags();
            if flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                let _ = sdev.set_promiscuity(rtnl, 1);
            }
            if flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                let _ = sdev.set_allmulti(rtnl, 1);
            }
            if dev.is_up() {
                sdev.addr_lists_sync(rtnl, dev, true);
            }
        }
        // The bond's XDP program, if any (C: once the active slave is
        // chosen; rbond: before the commit, the refusals change nothing).
        if let Err(e) = self.xdp_enslave(dev, sdev, ext, rtnl) {
            link::sysfs_slave_del(rtnl, sdev);
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        // Room for the 802.3ad member, so that binding cannot fail once the
        // slave is committed.
        if let Err(e) = self.core.get_mut(rtnl).ad.m.reserve(1, GFP_KERNEL) {
            self.xdp_release(dev, sdev, rtnl);
            link::sysfs_slave_del(rtnl, sdev);
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e.into());
        }
        // Commit: the slave is in the lists from here on.
        let pushed = self
            .core
            .get_mut(rtnl)
            .slaves
            .push(slave.clone(), GFP_KERNEL);
        if let Err(e) = pushed
            .map_err(Error::from)
            .and_then(|()| self.publish_slaves(rtnl))
        {
            self.core
                .get_mut(rtnl)
                .slaves
                .retain(|s| !Arc::ptr_eq(s, slave));
            self.xdp_release(dev, sdev, rtnl);
            link::sysfs_slave_del(rtnl, sdev);
            sdev.unlink_master(rtnl, dev);
            drop(rx::unregister::<Slave>(rtnl, sdev));
            sdev.vlan_vids_del_from(rtnl, dev);
            undo_open(rtnl);
            return Err(e);
        }
        if self.is_lb() {
            self.alb_attach(slave);
        }
        if is_primary {
            self.primary.replace(rtnl, Some(slave.clone()));
            self.core.get_mut(rtnl).force_primary = true;
        }
        // The modes that neither choose an active slave nor run 802.3ad
        // keep the first slave that is up as a current slave (C's "trunk
        // mode"; 802.3ad keeps none).
        if !self.uses_primary()
            && self.mode() != Mode::Lacp
            && self.curr_active.is_empty()
            && slave.link_state() == LinkState::Up
        {
            self.curr_active.replace(rtnl, Some(slave.clone()));
        }
        if let Err(e) = self.ad_bind(dev, slave, rtnl) {
            // Cannot happen (room reserved above).
            bare_err!(
                "{}: (slave {}): 802.3ad bind failed ({})\n",
                name,
                sname,
                e.to_errno()
            );
        }
        dev.compute_master_features(rtnl);
        self.set_carrier(dev, rtnl);
        // Before the selection, which takes them off a new active slave.
        self.ns_maddrs(slave, true, rtnl);
        if self.uses_primary() {
            self.select_active(dev, rtnl);
        }
        self.refresh_usable(None, rtnl);
        self.xdp_set_features(dev, rtnl);
        let role = if slave.is_backup() {
            "a backup"
        } else {
            "an active"
        };
        let link = if slave.link_state() != LinkState::Down {
            "an up"
        } else {
            "a down"
        };
        bare_info!(
            "{}: (slave {}): Enslaving as {} interface with {} link\n",
            name,
            sname,
            role,
            link
        );
        Ok(())
    }

    pub(super) fn undo_mac_mtu(
        &self,
        sdev: &NetDevice,
        slave: &Slave,
        mac_set: bool,
        rtnl: &mut Rtnl,
    ) {
        sdev.set_slave_flags(rtnl, sdev.is_bond_master(), false);
        if mac_set {
            let _ = sdev.set_mac(rtnl, &slave.perm_hwaddr);
        }
        let _ = sdev.set_mtu(rtnl, slave.original_mtu);
    }

    /// Release `sdev` (C's `__bond_release_one`); `all` when the bond is
    /// being destroyed, `unregister` when the slave is (NETDEV_UNREGISTER).
    pub(super) fn release(
        &self,
        dev: &NetDevice,
        sdev: &NetDevice,
        all: bool,
        unregister: bool,
        rtnl: &mut Rtnl,
    ) -> Result {
        let Some(slave) = self.find_slave(rtnl, sdev) else {
            bare_info!(
                "{}: (slave {}): interface not enslaved\n",
                dev.name(),
                sdev.name()
            );
            return Err(EINVAL);
        };
        let old_flags = dev.flags();
        let was_vlan_challenged = dev.vlan_challenged();
        if !matches!(self.mode(), Mode::Tlb | Mode::Alb) && slave.set_backup(true, false) {
            self.lower_state(&slave, rtnl);
        }
        link::sysfs_slave_del(rtnl, sdev);
        // What the slave's counters moved last stays in the bond's.
        self.fold_slave(&slave);
        self.xdp_release(dev, sdev, rtnl);
        let data = rx::unregister::<Slave>(rtnl, sdev);
        sdev.unlink_master(rtnl, dev);
        // C marks the slave backup first, so only tlb/alb can say "active".
        let role = if matches!(self.mode(), Mode::Tlb | Mode::Alb) && !slave.is_backup() {
            "active"
        } else {
            "backup"
        };
        bare_info!(
            "{}: (slave {}): Releasing {} interface\n",
            dev.name(),
            sdev.name(),
            role
        );
        let ab = self.mode() == Mode::ActiveBackup;
        let fom = self.val(OptId::FailOverMac);
        self.current_arp_slave.replace(rtnl, None);
        self.ad_unbind(dev, &slave, rtnl);
        self.core
            .get_mut(rtnl)
            .slaves
            .retain(|s| !Arc::ptr_eq(s, &slave));
        if self.mode() == Mode::Lacp {
            // Members and slaves are parallel again: apply what the unbind
            // decided (flags, published state, carrier).
            self.ad_apply(dev, Default::default(), rtnl);
        }
        self.unpublish_slave(&slave, rtnl);
        self.refresh_usable(Some(&slave), rtnl);
        let was_current = self
            .curr_active
            .get(rtnl)
            .is_some_and(|a| core::ptr::eq(a, &*slave));
        if !all
            && (fom != 1 || !ab)
            && dev.addr() == slave.perm_hwaddr
            && !self.core.get(rtnl).slaves.is_empty()
        {
            let mut mac = options::LineBuf::new();
            let _ = crate::options::netlink::write_hw_addr(&mut mac, &slave.perm_hwaddr);
            bare_warn!(
                "{}: (slave {}): the permanent HWaddr of slave - {} - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
                dev.name(),
                sdev.name(),
                mac.as_str()
            );
        }
        if self
            .primary
            .get(rtnl)
            .is_some_and(|p| core::ptr::eq(p, &*slave))
        {
            self.primary.replace(rtnl, None);
        }
        if was_current {
            self.change_active(dev, None, rtnl);
        }
        // After the change of active slave, which may make it a backup.
        self.ns_maddrs(&slave, false, rtnl);
        // After the slave left the lists and the active slave, before a
        // new one is chosen (C's order).
        self.alb_deinit_slave(dev, &slave, rtnl);
        if was_current && !all {
            self.select_active(dev, rtnl);
        }
        self.set_carrier(dev, rtnl);
        let empty = self.core.get(rtnl).slaves.is_empty();
        if empty {
            dev.random_addr(rtnl);
            dev.notify(rtnl, NetdevEvent::ChangeAddr);
            dev.notify(rtnl, NetdevEvent::Release);
        }
        dev.compute_master_features(rtnl);
        if was_vlan_challenged && !dev.vlan_challenged() {
            bare_info!(
                "{}: (slave {}): last VLAN challenged slave left bond - VLAN blocking is removed\n",
                dev.name(),
                sdev.name()
            );
        }
        sdev.vlan_vids_del_from(rtnl, dev);
        if !self.uses_primary() {
            if old_flags & crate::net::bindings::net_device_flags_IFF_PROMISC != 0 {
                let _ = sdev.set_promiscuity(rtnl, -1);
            }
            if old_flags & crate::net::bindings::net_device_flags_IFF_ALLMULTI != 0 {
                let _ = sdev.set_allmulti(rtnl, -1);
            }
            if old_flags & crate::net::bindings::net_device_flags_IFF_UP != 0 {
                sdev.addr_lists_unsync(rtnl, dev);
            }
        }
        slave.netpoll.disable(rtnl);
        sdev.close(rtnl);
        sdev.set_slave_flags(rtnl, sdev.is_bond_master(), false);
        if fom != 1 || !ab {
            let _ = sdev.set_mac(rtnl, &slave.perm_hwaddr);
        }
        if unregister {
            // The device is going: no notifiers (they would give a dying
            // device IPv4/IPv6 state again, and its unregistration would
            // wait for it forever).
            sdev.set_mtu_quiet(rtnl, slave.original_mtu);
        } else {
            let _ = sdev.set_mtu(rtnl, slave.original_mtu);
        }
        self.xdp_set_features(dev, rtnl);
        drop(data);
        Ok(())
    }

    pub(super) fn release_all(&self, dev: &NetDevice, rtnl: &mut Rtnl) {
        while let Some(s) = self.core.get(rtnl).slaves.last().cloned() {
            let _ = self.release(dev, s.dev(), true, false, rtnl);
        }
    }
}
