// SPDX-License-Identifier: GPL-2.0

//! rbond: the Linux bonding driver, in Rust.
//!
//! Layers (arrows point down only):
//! - `bond`: the aggregate (safe Rust);
//! - `options`: kernel-independent option tables and parsing (host-tested);
//! - `monitor`: kernel-independent link state machines (host-tested);
//! - `hash`: kernel-independent transmit hash policies (host-tested);
//! - `net`: the abstraction layer over the kernel, the only `unsafe` code.

use kernel::prelude::*;

mod bond;
#[allow(unreachable_pub, dead_code)]
mod hash;
mod modes;
#[allow(unreachable_pub, dead_code, unused_imports)]
mod monitor;
mod net;
#[allow(unreachable_pub, dead_code)]
mod options;

module! {
    type: Bonding,
    name: "bonding",
    authors: ["rbond developers"],
    description: "Ethernet Channel Bonding Driver (rbond, Rust)",
    license: "GPL",
    alias: ["rtnl-link-bond"],
}

/// The loaded module. Dropping it unregisters the link kind (deleting every
/// bond in every namespace) and then the per-namespace state.
struct Bonding {
    _notifier: net::notifier::NotifierRegistration<bond::Bond>,
    _link: net::link::LinkRegistration<bond::Bond>,
    _sysfs: net::link::SysfsRegistration<bond::Bond>,
    _pernet: net::pernet::PernetRegistration<bond::Bond>,
    _rcu: net::rcu::RcuBarrier,
}

impl kernel::Module for Bonding {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let max_bonds = bond::check_module_params()?;
        net::proc::init::<bond::Bond>();
        net::skb::init_flow_dissector();
        let rcu = net::rcu::RcuBarrier;
        let pernet = net::pernet::PernetRegistration::register()?;
        let sysfs = bond::sysfs()?;
        let link = net::link::LinkRegistration::register()?;
        let notifier = net::notifier::NotifierRegistration::register()?;
        let this = Bonding {
            _notifier: notifier,
            _link: link,
            _sysfs: sysfs,
            _pernet: pernet,
            _rcu: rcu,
        };
        // On failure `this` drops: the bonds already made go with the link kind.
        bond::create_initial(max_bonds)?;
        Ok(this)
    }
}
