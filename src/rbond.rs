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
#[allow(unreachable_pub)]
mod counters;
#[allow(unreachable_pub, dead_code)]
mod hash;
mod modes;
#[allow(unreachable_pub, dead_code, unused_imports)]
mod monitor;
mod net;
// Misuses that must not compile (scripts/compile-fail); never built otherwise.
#[cfg(rbond_compile_fail)]
#[path = "../tests/compile-fail/misuse.rs"]
mod misuse;
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

/// The loaded module. Its fields drop in declaration order, which is the
/// unload order: the link kind first (the kernel deletes every bond), then
/// the per-namespace state, whose exit deletes any bond that a
/// `bonding_masters` write created meanwhile (it waited for RTNL while the
/// link kind went), and only then what bonds use: the workqueue of their
/// deferred event work, the notifier (slave events) and the sysfs attribute
/// groups; last, the wait for pending RCU callbacks.
struct Bonding {
    _link: net::link::LinkRegistration<bond::Bond>,
    _pernet: net::pernet::PernetRegistration<bond::Bond>,
    _kick: net::link::KickQueue,
    _notifier: net::notifier::NotifierRegistration<bond::Bond>,
    _sysfs: net::link::SysfsRegistration<bond::Bond>,
    _faults: net::fault::FaultPoints,
    _rcu: net::rcu::RcuBarrier,
}

impl kernel::Module for Bonding {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let max_bonds = bond::check_module_params()?;
        net::proc::init::<bond::Bond>();
        net::skb::init_flow_dissector();
        // Made in the reverse of the unload order, so that a failure part
        // way drops what was made in the right order.
        let rcu = net::rcu::RcuBarrier;
        let faults = net::fault::FaultPoints::new();
        let sysfs = bond::sysfs()?;
        let kick = net::link::KickQueue::new()?;
        let notifier = net::notifier::NotifierRegistration::register()?;
        let pernet = net::pernet::PernetRegistration::register()?;
        let link = net::link::LinkRegistration::register(max_bonds, c"bond%d")?;
        Ok(Bonding {
            _link: link,
            _pernet: pernet,
            _kick: kick,
            _notifier: notifier,
            _sysfs: sysfs,
            _faults: faults,
            _rcu: rcu,
        })
    }
}
