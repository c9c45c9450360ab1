// SPDX-License-Identifier: GPL-2.0

//! Link monitors: the per-slave state machines behind C's MII monitor.
//!
//! Kernel-independent (imports only `core`), so the host test crate compiles
//! these files as they are and `cargo test` exercises them. The kernel side
//! (work items, RTNL, slave lists, messages) drives them and acts on what
//! they report.

// Outside src/net/, the compiler refuses unsafe code.
#![forbid(unsafe_code)]

pub mod arp;
pub mod link;
pub mod select;
