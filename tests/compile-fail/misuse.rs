// SPDX-License-Identifier: GPL-2.0

//! Misuses the context tokens must reject at compile time. scripts/
//! compile-fail builds the module once per function here (cfg
//! `rbond_cf_<function>`) and checks that the build fails, only inside
//! that function, with one of the errors named on its `//~ ERROR` line
//! (codes or message text, `|` between alternatives). Never part of the
//! real module.

#![allow(
    dead_code,
    unused_imports,
    unused_variables,
    unused_must_use,
    clippy::all
)]

use crate::bond::Slave;
use crate::net::netdev::NetDevice;
use crate::net::rcu::{RcuArc, RcuRead};
use crate::net::rtnl::{self, Process, Rtnl};
use kernel::prelude::*;

/// A sleeping RTNL operation inside an RCU read section: the section holds
/// the token mutably, so the closure cannot use it again.
#[cfg(rbond_cf_sleep_in_read_section)]
fn sleep_in_read_section(rtnl: &mut Rtnl, dev: &NetDevice) {
    rtnl.rcu(|_rcu, _r| {
        let _ = dev.set_mtu(rtnl, 1500); //~ ERROR E0500|E0277
    });
}

/// The shared token a read section gets is not enough for an operation
/// that sleeps.
#[cfg(rbond_cf_sleep_with_shared_token)]
fn sleep_with_shared_token(rtnl: &mut Rtnl, dev: &NetDevice) {
    rtnl.rcu(|_rcu, r| {
        let _ = dev.set_mtu(r, 1500); //~ ERROR E0308
    });
}

/// A value moved into a read section would be dropped there: the section's
/// closure must be `Copy`, so it cannot own anything.
#[cfg(rbond_cf_drop_in_read_section)]
fn drop_in_read_section(rtnl: &mut Rtnl, v: KVec<u8>) {
    rtnl.rcu(move |_rcu, _r| drop(v)); //~ ERROR E0277
}

/// A reference read under RCU cannot outlive the read section.
#[cfg(rbond_cf_keep_rcu_reference)]
fn keep_rcu_reference<'a>(rtnl: &mut Rtnl, slot: &'a RcuArc<Slave>) -> Option<&'a Slave> {
    rtnl.rcu(|rcu, _r| slot.read(rcu)) //~ ERROR lifetime may not live long enough
}

/// RTNL cannot be taken while it is held from the same context: the guard
/// borrows the process token.
#[cfg(rbond_cf_lock_twice)]
fn lock_twice(p: &mut Process) {
    let g = rtnl::lock(p);
    let h = rtnl::try_lock(p); //~ ERROR E0499
    drop(g);
}

/// Driver code cannot open a read section of its own.
#[cfg(rbond_cf_open_read_section)]
fn open_read_section() {
    let _rcu: RcuRead = crate::net::rcu::enter(); //~ ERROR E0603
}

/// Nor make tokens: their constructors are `unsafe`, and unsafe code is
/// refused outside src/net (this file is checked as part of the crate root,
/// so it shows the constructor is not callable without `unsafe`).
#[cfg(rbond_cf_forge_token)]
fn forge_token() {
    let _r = Rtnl::assume_held(); //~ ERROR E0133
}

/// A slave event may come with the slave's instance lock held: the
/// notifier's shared token is not enough for an operation that takes it.
#[cfg(rbond_cf_lock_in_notifier)]
fn lock_in_notifier(ctx: &mut crate::net::notifier::NotifierCtx, dev: &NetDevice) {
    let _ = dev.set_promiscuity(ctx.rtnl(), 1); //~ ERROR E0308
}
