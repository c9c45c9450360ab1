// SPDX-License-Identifier: GPL-2.0

//! Module-private bindings, generated at build time by `scripts/gen-bindings`
//! from `bindings_helper.h` with the kernel's own bindgen command line, into
//! `out/gen/` (the Makefile passes the path in `RBOND_BINDINGS_RS`). Nothing
//! generated is committed or kept under `src/`.

#![allow(
    dead_code,
    improper_ctypes,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    unknown_lints,
    unnecessary_transmutes,
    clippy::all,
    clippy::as_underscore,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ptr_cast_constness,
    clippy::ref_as_ptr,
    clippy::undocumented_unsafe_blocks
)]

use kernel::ffi;

type __kernel_size_t = usize;
type __kernel_ssize_t = isize;
type __kernel_ptrdiff_t = isize;

include!(env!("RBOND_BINDINGS_RS"));
