// SPDX-License-Identifier: GPL-2.0

//! IEEE 802.1AX link aggregation (LACP) as the 7.2 C driver runs it: PDU
//! codecs and the per-port state machines with the aggregator selection.
//! Kernel-independent (only `core`): the host runs its tests with
//! `cargo test`; the kernel glue is in the parent module.

#![forbid(unsafe_code)]

pub mod mailbox;
pub mod pdu;
pub mod port;
