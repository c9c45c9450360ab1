// SPDX-License-Identifier: GPL-2.0

//! Netlink attributes: policies, parsed attribute tables, message building
//! and extended acks.
//!
//! Contract: [`NlAttrs`], [`NlMsg`] and [`Extack`] are views the kernel
//! hands to an rtnl_link_ops callback; they live only for that call (they
//! borrow nothing across it). Attribute payloads were validated against our
//! [`Policy`] by the netlink core; the readers still check lengths and
//! return `None` rather than read out of bounds.

use super::bindings;
use core::marker::PhantomData;
use kernel::error::{code, Result};

/// Largest attribute type a policy can describe.
pub(crate) const POLICY_MAX: usize = 64;

/// Payload type of one attribute, as the netlink core validates it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NlaKind {
    /// No constraint (`NLA_UNSPEC`).
    Unspec,
    /// `NLA_S32`.
    S32,
    /// `NLA_U8`.
    U8,
    /// `NLA_U16`.
    U16,
    /// `NLA_U32`.
    U32,
    /// `NLA_NESTED`.
    Nested,
    /// `NLA_U32` within a range (`NLA_POLICY_FULL_RANGE`).
    U32Range(&'static NlRange),
    /// `NLA_BINARY` of at most `len` bytes (C's `.len` rule: minimum for
    /// `NLA_UNSPEC`, maximum for binary).
    Binary(u16),
}

/// An unsigned range for [`NlaKind::U32Range`] (lives in a static).
pub(crate) struct NlRange(bindings::netlink_range_validation);

impl core::fmt::Debug for NlRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}..={}", self.0.min, self.0.max)
    }
}

impl PartialEq for NlRange {
    fn eq(&self, o: &Self) -> bool {
        self.0.min == o.0.min && self.0.max == o.0.max
    }
}
impl Eq for NlRange {}

impl NlRange {
    /// `min..=max`.
    pub(crate) const fn new(min: u64, max: u64) -> Self {
        NlRange(bindings::netlink_range_validation { min, max })
    }
}

/// A netlink policy table (index = attribute type).
pub(crate) struct Policy {
    entries: [bindings::nla_policy; POLICY_MAX + 1],
    max: u16,
}

// SAFETY: the table is immutable after const construction; the pointers in
// its unions are all null.
unsafe impl Sync for Policy {}

impl Policy {
    /// Build a policy: `kinds[i]` describes attribute type `i + 1`.
    pub(crate) const fn new(kinds: &[NlaKind]) -> Self {
        // SAFETY: all-zero is NLA_UNSPEC with no constraints.
        let mut entries: [bindings::nla_policy; POLICY_MAX + 1] = unsafe { core::mem::zeroed() };
        let mut i = 0;
        while i < kinds.len() && i < POLICY_MAX {
            let e = &mut entries[i + 1];
            match kinds[i] {
                NlaKind::Unspec => {}
                NlaKind::S32 => e.type_ = bindings::NLA_S32 as u8,
                NlaKind::U8 => e.type_ = bindings::NLA_U8 as u8,
                NlaKind::U16 => e.type_ = bindings::NLA_U16 as u8,
                NlaKind::U32 => e.type_ = bindings::NLA_U32 as u8,
                NlaKind::Nested => e.type_ = bindings::NLA_NESTED as u8,
                NlaKind::U32Range(r) => {
                    e.type_ = bindings::NLA_U32 as u8;
                    e.validation_type =
                        bindings::nla_policy_validation_NLA_VALIDATE_RANGE_PTR as u8;
                    e.__bindgen_anon_1.range = &r.0;
                }
                NlaKind::Binary(len) => {
                    e.type_ = bindings::NLA_BINARY as u8;
                    e.len = len;
                }
            }
            i += 1;
        }
        let max = if kinds.len() < POLICY_MAX {
            kinds.len()
        } else {
            POLICY_MAX
        };
        Policy {
            entries,
            max: max as u16,
        }
    }

    /// The highest attribute type described.
    pub(crate) const fn max_type(&self) -> u16 {
        self.max
    }

    /// The C table.
    pub(crate) const fn as_ptr(&self) -> *const bindings::nla_policy {
        self.entries.as_ptr()
    }
}

/// One attribute.
#[derive(Clone, Copy)]
pub(crate) struct NlAttr<'a> {
    payload: &'a [u8],
}

impl<'a> NlAttr<'a> {
    /// # Safety
    ///
    /// `nla` must point to a valid attribute (header and payload readable)
    /// for `'a`.
    unsafe fn from_raw(nla: *const bindings::nlattr) -> Self {
        // SAFETY: valid header (caller); nla_len covers header + payload.
        let len = unsafe { (*nla).nla_len } as usize;
        let hdr = core::mem::size_of::<bindings::nlattr>();
        let plen = len.saturating_sub(hdr);
        // SAFETY: the payload follows the 4-byte header, plen bytes long.
        let payload = unsafe { core::slice::from_raw_parts(nla.cast::<u8>().add(hdr), plen) };
        NlAttr { payload }
    }

    /// The raw payload.
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.payload
    }

    /// A `u8` payload.
    pub(crate) fn u8(&self) -> Option<u8> {
        self.payload.first().copied()
    }

    /// A `u16` payload (host order).
    pub(crate) fn u16(&self) -> Option<u16> {
        Some(u16::from_ne_bytes(self.payload.get(..2)?.try_into().ok()?))
    }

    /// A `u32` payload (host order).
    pub(crate) fn u32(&self) -> Option<u32> {
        Some(u32::from_ne_bytes(self.payload.get(..4)?.try_into().ok()?))
    }

    /// The attributes nested in the payload, as `nla_for_each_nested` walks
    /// them: `(type, payload)` pairs until the rest is too short for a
    /// header or an attribute claims more than is left.
    pub(crate) fn nested(&self) -> Nested<'a> {
        Nested { rest: self.payload }
    }
}

/// Iterator over nested attributes (see [`NlAttr::nested`]).
pub(crate) struct Nested<'a> {
    rest: &'a [u8],
}

/// C's `NLA_HDRLEN`.
const NLA_HDRLEN: usize = 4;

impl<'a> Iterator for Nested<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let hdr = self.rest.get(..NLA_HDRLEN)?;
        let len = usize::from(u16::from_ne_bytes([hdr[0], hdr[1]]));
        // Type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flags.
        let ty = u16::from_ne_bytes([hdr[2], hdr[3]]) & 0x3fff;
        if len < NLA_HDRLEN || len > self.rest.len() {
            self.rest = &[];
            return None;
        }
        let payload = self.rest.get(NLA_HDRLEN..len)?;
        let aligned = (len + 3) & !3;
        self.rest = self.rest.get(aligned..).unwrap_or(&[]);
        Some((ty, payload))
    }
}

/// The parsed attribute table of an rtnl_link_ops callback.
pub(crate) struct NlAttrs<'a> {
    data: *mut *mut bindings::nlattr,
    max: u16,
    _p: PhantomData<&'a ()>,
}

impl NlAttrs<'_> {
    /// # Safety
    ///
    /// `data` is null or an array of `max + 1` attribute pointers (each null
    /// or valid) that outlives the returned value.
    pub(crate) unsafe fn from_raw(data: *mut *mut bindings::nlattr, max: u16) -> Self {
        NlAttrs {
            data,
            max,
            _p: PhantomData,
        }
    }

    /// Attribute `ty`, if present.
    pub(crate) fn get(&self, ty: u16) -> Option<NlAttr<'_>> {
        if self.data.is_null() || ty > self.max {
            return None;
        }
        // SAFETY: in bounds of the max+1 entries (checked above).
        let p = unsafe { *self.data.add(usize::from(ty)) };
        // SAFETY: a non-null entry is a valid attribute (constructor contract).
        (!p.is_null()).then(|| unsafe { NlAttr::from_raw(p) })
    }
}

/// A message being built (`fill_info`).
pub(crate) struct NlMsg<'a> {
    skb: *mut bindings::sk_buff,
    _p: PhantomData<&'a mut ()>,
}

impl NlMsg<'_> {
    /// # Safety
    ///
    /// `skb` is a netlink message being built, ours to append to for the
    /// returned value's life.
    pub(crate) unsafe fn from_raw(skb: *mut bindings::sk_buff) -> Self {
        NlMsg {
            skb,
            _p: PhantomData,
        }
    }

    /// Append an attribute with `data` as payload (`EMSGSIZE` if full).
    pub(crate) fn put(&mut self, ty: u16, data: &[u8]) -> Result {
        // SAFETY: our message (constructor contract); data readable.
        let r = unsafe {
            bindings::nla_put(
                self.skb,
                i32::from(ty),
                data.len() as i32,
                data.as_ptr().cast(),
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(code::EMSGSIZE)
        }
    }

    /// A nested attribute `ty` holding what `f` puts; `nested_flag` sets
    /// `NLA_F_NESTED` (`nla_nest_start` rather than `_noflag`). When `f`
    /// puts nothing (returns `Ok(false)`) the nest is cancelled.
    pub(crate) fn nest(
        &mut self,
        ty: u16,
        nested_flag: bool,
        f: impl FnOnce(&mut Self) -> Result<bool>,
    ) -> Result {
        // SAFETY: our message (constructor contract).
        let start = unsafe { bindings::rbond_nla_nest_start(self.skb, i32::from(ty), nested_flag) };
        if start.is_null() {
            return Err(code::EMSGSIZE);
        }
        let r = f(self);
        match r {
            // SAFETY: `start` was returned by nest_start on this message and
            // everything after it was appended by `f`.
            Ok(true) => unsafe { bindings::rbond_nla_nest_end(self.skb, start) },
            // SAFETY: as above; cancelling trims the message back to `start`.
            _ => unsafe { bindings::rbond_nla_nest_cancel(self.skb, start) },
        }
        r.map(|_| ())
    }

    /// `u8` attribute.
    pub(crate) fn put_u8(&mut self, ty: u16, v: u8) -> Result {
        self.put(ty, &[v])
    }

    /// `u16` attribute.
    pub(crate) fn put_u16(&mut self, ty: u16, v: u16) -> Result {
        self.put(ty, &v.to_ne_bytes())
    }

    /// `u32` attribute.
    pub(crate) fn put_u32(&mut self, ty: u16, v: u32) -> Result {
        self.put(ty, &v.to_ne_bytes())
    }

    /// 64-bit attribute, aligned with a `pad` attribute where needed
    /// (`nla_put_u64_64bit`).
    pub(crate) fn put_u64_pad(&mut self, ty: u16, v: u64, pad: u16) -> Result {
        // SAFETY: our message (constructor contract).
        let r = unsafe {
            bindings::rbond_nla_put_u64_64bit(self.skb, i32::from(ty), v, i32::from(pad))
        };
        if r == 0 {
            Ok(())
        } else {
            Err(code::EMSGSIZE)
        }
    }
}

/// The extended ack of a netlink request (may be absent).
pub(crate) struct Extack {
    ptr: *mut bindings::netlink_ext_ack,
}

impl Extack {
    /// # Safety
    ///
    /// `ptr` is null or a valid ext_ack for the returned value's life.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::netlink_ext_ack) -> Self {
        Extack { ptr }
    }

    /// No ext_ack (sysfs and other non-netlink paths).
    pub(crate) fn none() -> Self {
        Extack {
            ptr: core::ptr::null_mut(),
        }
    }

    /// The ext_ack itself (null when there is none), for a callback that
    /// passes it on to a lower device.
    pub(crate) fn as_raw(&self) -> *mut bindings::netlink_ext_ack {
        self.ptr
    }

    /// Whether there is an ext_ack (a netlink request) to carry a message.
    pub(crate) fn is_present(&self) -> bool {
        !self.ptr.is_null()
    }

    /// Set the error message the requester sees (`NL_SET_ERR_MSG`).
    pub(crate) fn set_msg(&mut self, msg: &'static core::ffi::CStr) {
        if !self.ptr.is_null() {
            // SAFETY: valid ext_ack (constructor); the message is static.
            unsafe { bindings::rbond_extack_set(self.ptr, kernel::str::CStrExt::as_char_ptr(msg)) }
        }
    }
}
