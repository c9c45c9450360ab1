// SPDX-License-Identifier: GPL-2.0

//! rbond's abstraction layer over the kernel's networking API.
//!
//! This is the only part of rbond with `unsafe` code. Each `unsafe` block
//! carries a `// SAFETY:` comment, and each type states its locking and
//! lifetime contract. Everything above this layer (bond core, modes,
//! monitors, options) is safe Rust.
//!
//! Locking vocabulary used in the contracts:
//! - **RTNL**: the kernel's rtnl mutex; configuration paths hold it and prove
//!   it with an [`rtnl::Rtnl`] token.
//! - **RCU**: read-side critical sections; the transmit path and sysfs reads
//!   see devices through RCU and never sleep there.

pub(crate) mod bhlock;
pub(crate) mod bindings;
pub(crate) mod fault;
pub(crate) mod inet;
pub(crate) mod link;
pub(crate) mod log;
pub(crate) mod netdev;
pub(crate) mod netpoll;
pub(crate) mod nl;
pub(crate) mod notifier;
pub(crate) mod params;
pub(crate) mod percpu;
pub(crate) mod pernet;
pub(crate) mod proc;
pub(crate) mod rcu;
pub(crate) mod rtnl;
pub(crate) mod rx;
pub(crate) mod skb;
pub(crate) mod sysfs;
pub(crate) mod xdp;
pub(crate) mod xfrm;
