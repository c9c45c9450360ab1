// SPDX-License-Identifier: GPL-2.0

//! Host build of rbond's kernel-independent code, for `cargo test`.
//! Each module is the very file the kernel module compiles.

#![no_std]

#[path = "../../src/options/mod.rs"]
pub mod options;

#[path = "../../src/monitor/mod.rs"]
pub mod monitor;

#[path = "../../src/hash.rs"]
pub mod hash;

#[path = "../../src/counters.rs"]
pub mod counters;

#[path = "../../src/modes/lacp/proto/mod.rs"]
pub mod lacp;

#[path = "../../src/modes/alb/proto/mod.rs"]
pub mod alb;
