// SPDX-License-Identifier: GPL-2.0

//! Owned socket buffers.
//!
//! Contract: an [`SkBuff`] owns exactly one reference to its `sk_buff`. The
//! reference is given away exactly once: passed to the kernel (transmit on a
//! slave, later), or freed by [`SkBuff::drop_tx`] or by `Drop`. Safe code can
//! therefore neither leak nor double-free a packet.

use super::bindings;
use super::netdev::NetDevice;
use crate::hash::FlowKeys;
use core::ptr::NonNull;

/// What became of a packet a master was asked to send: the value its
/// `ndo_start_xmit` returns (`netdev_tx_t`): the lower device's verdict
/// (`NET_XMIT_SUCCESS`, `NET_XMIT_CN`, ...) or `NET_XMIT_DROP`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[must_use]
pub(crate) struct TxStatus(bindings::netdev_tx_t);

impl TxStatus {
    /// Sent (`NETDEV_TX_OK`, which is `NET_XMIT_SUCCESS`).
    pub(crate) const OK: TxStatus = TxStatus(bindings::netdev_tx_NETDEV_TX_OK);
    /// Dropped by the master (`NET_XMIT_DROP`).
    pub(crate) const DROP: TxStatus = TxStatus(bindings::NET_XMIT_DROP as bindings::netdev_tx_t);

    /// The lower device took the packet (`NET_XMIT_SUCCESS`).
    pub(crate) fn sent(self) -> bool {
        self == Self::OK
    }

    /// The raw value for the kernel.
    pub(super) fn raw(self) -> bindings::netdev_tx_t {
        self.0
    }
}

/// An owned `sk_buff`.
pub(crate) struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: an owned skb may be handed to and freed on any CPU.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Take ownership of a packet the kernel passed to us.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid skb whose reference the caller owns and gives up.
    pub(crate) unsafe fn from_raw(ptr: NonNull<bindings::sk_buff>) -> Self {
        SkBuff(ptr)
    }

    /// Give the packet back unsent (`NETDEV_TX_BUSY`): the caller of
    /// `ndo_start_xmit` keeps its reference and tries again later. Only for
    /// netpoll's transmit, which queues such a packet for its retry work.
    pub(crate) fn busy(self) -> TxStatus {
        // The reference goes back to the caller with the BUSY verdict.
        core::mem::forget(self);
        TxStatus(bindings::netdev_tx_NETDEV_TX_BUSY)
    }

    /// Drop the packet as a transmit drop counted on `dev` (any context).
    pub(crate) fn drop_tx(self, dev: &NetDevice) -> TxStatus {
        let skb = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the skb reference (type contract) and give it to
        // the kernel, which frees it in any context; `dev` is alive.
        unsafe { bindings::rbond_tx_drop(dev.as_raw(), skb) };
        TxStatus::DROP
    }
}

impl SkBuff {
    /// Transmit the packet on `lower` (`dev_queue_xmit`), in the transmit
    /// path of a master (RCU held); under netpoll through `lower`'s netpoll
    /// in `np` (dropped when there is none). The packet is consumed
    /// whatever happens; returns the lower device's verdict.
    pub(crate) fn xmit_on(
        self,
        lower: &NetDevice,
        np: &super::netpoll::NetpollSlot,
        _rcu: &super::rcu::RcuRead,
    ) -> TxStatus {
        let skb = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the skb reference and hand it to dev_queue_xmit or
        // netpoll_send_skb, which consume it (the latter frees it when the
        // netpoll is null); `lower` is alive (RCU section, caller's ref);
        // the netpoll stays allocated for the RCU section (slot contract).
        let rc = unsafe { bindings::rbond_xmit_on(lower.as_raw(), np.raw(), skb) };
        TxStatus(rc as bindings::netdev_tx_t)
    }

    /// The transmit queue the packet is mapped to on the master
    /// (`skb_get_queue_mapping`: the one `ndo_select_queue` chose, or what a
    /// tc action such as `skbedit queue_mapping` set after it).
    #[inline]
    pub(crate) fn queue_mapping(&self) -> u16 {
        // SAFETY: we own a reference to a valid skb; the field is a plain
        // u16 the transmit path may read.
        unsafe { (*self.0.as_ptr()).queue_mapping }
    }

    /// A clone sharing the data (`skb_clone`, `GFP_ATOMIC`: any context).
    pub(crate) fn clone_atomic(&self) -> Option<SkBuff> {
        // SAFETY: we own a reference to a valid skb; skb_clone returns a new
        // skb whose single reference becomes ours, or NULL.
        NonNull::new(unsafe { bindings::rbond_skb_clone(self.0.as_ptr()) }).map(SkBuff)
    }

    /// `skb->protocol` in host byte order, and `skb_network_offset()`
    /// (`None` when the network header is not after the data pointer).
    pub(crate) fn l3(&self) -> (u16, Option<usize>) {
        let (mut proto, mut nhoff) = (0u16, 0i32);
        // SAFETY: valid skb (type contract); outputs writable.
        unsafe { bindings::rbond_skb_l3(self.0.as_ptr(), &mut proto, &mut nhoff) };
        (proto, usize::try_from(nhoff).ok())
    }

    /// The hardware-accelerated VLAN tag's whole TCI, if there is one.
    pub(crate) fn vlan_tci(&self) -> Option<u16> {
        // SAFETY: valid skb.
        u16::try_from(unsafe { bindings::rbond_skb_vlan_tci(self.0.as_ptr()) }).ok()
    }

    /// `skb->hash` when it is a layer-4 hash (`skb->l4_hash`).
    pub(crate) fn l4_hash(&self) -> Option<u32> {
        let mut h = 0u32;
        // SAFETY: valid skb; `h` is a writable u32.
        unsafe { bindings::rbond_skb_l4_hash(self.0.as_ptr(), &mut h) }.then_some(h)
    }

    /// The packet's linear bytes from `skb->data`, at least `n` of them:
    /// pulled into the linear area first if needed (`pskb_may_pull`).
    /// `None` if the packet is shorter or the pull fails.
    pub(crate) fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let skb = self.0.as_ptr();
        let want = u32::try_from(n).ok()?;
        // SAFETY: valid skb.
        let mut len = unsafe { bindings::rbond_skb_headlen(skb) };
        if len < want {
            // SAFETY: we own the skb (no one else changes it); pulling may
            // reallocate its head, which is why the slice is re-read below.
            if !unsafe { bindings::rbond_skb_may_pull(skb, want) } {
                return None;
            }
            // SAFETY: valid skb.
            len = unsafe { bindings::rbond_skb_headlen(skb) };
        }
        // SAFETY: skb->data points to `headlen` readable bytes of the linear
        // area; we own the skb, so they stay valid and unchanged while the
        // slice borrows `self` mutably.
        Some(unsafe { core::slice::from_raw_parts(bindings::rbond_skb_data(skb), len as usize) })
    }

    /// Run the kernel's flow dissector over the packet (the keys of the
    /// encap hash policies: addresses folded to 32 bits as
    /// `flow_get_u32_src/dst` do, the port pair as it lies in memory, the
    /// ICMP type, code and id); `None` if it fails.
    pub(crate) fn flow_dissect(&mut self, net: &super::netdev::Net) -> Option<FlowKeys> {
        let mut f = bindings::rbond_flow::default();
        // SAFETY: valid skb we own; `net` alive (the master's namespace);
        // `f` is a writable struct of the declared layout.
        unsafe { bindings::rbond_flow_dissect(net.as_raw(), self.0.as_ptr(), &mut f) }.then_some(
            FlowKeys {
                src: f.src,
                dst: f.dst,
                ports: f.ports,
                icmp_type: f.icmp_type,
                icmp_code: f.icmp_code,
                icmp_id: f.icmp_id,
            },
        )
    }

    /// Push a VLAN header into the packet data (`vlan_insert_tag_set_proto`);
    /// `None` if that failed (the packet is freed).
    pub(crate) fn vlan_insert_tag(self, proto: u16, vid: u16) -> Option<SkBuff> {
        let skb = self.0.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the reference and give it to the call, which
        // returns the (possibly moved) skb or frees it and returns NULL.
        NonNull::new(unsafe { bindings::rbond_vlan_insert_tag(skb, proto, vid) }).map(SkBuff)
    }

    /// Set the hardware-accelerated VLAN tag.
    pub(crate) fn vlan_hwaccel_put_tag(&mut self, proto: u16, vid: u16) {
        // SAFETY: valid skb we own.
        unsafe { bindings::rbond_vlan_hwaccel_put_tag(self.0.as_ptr(), proto, vid) }
    }

    /// `skb->len`: the bytes of the whole packet.
    pub(crate) fn len(&self) -> u32 {
        // SAFETY: valid skb (type contract).
        unsafe { bindings::rbond_skb_len(self.0.as_ptr()) }
    }

    /// The Ethernet destination of an outgoing packet (a master's transmit
    /// path: the data starts with the Ethernet header).
    pub(crate) fn eth_dest(&self) -> [u8; 6] {
        let mut a = [0u8; 6];
        // SAFETY: valid skb in a master's transmit path, whose linear data
        // holds at least the Ethernet header (hard_header_len); `a` has 6
        // writable bytes.
        unsafe { bindings::rbond_skb_eth_dest(self.0.as_ptr(), a.as_mut_ptr()) };
        a
    }

    /// Set the Ethernet source of an outgoing packet (its header is
    /// unshared first); `false` when that fails (no memory).
    pub(crate) fn set_eth_source(&mut self, mac: &[u8; 6]) -> bool {
        // SAFETY: valid skb we own, in a master's transmit path (see
        // `eth_dest`); `mac` has 6 readable bytes.
        unsafe { bindings::rbond_skb_set_eth_src(self.0.as_ptr(), mac.as_ptr()) == 0 }
    }

    /// Set the sender hardware address of an outgoing ARP packet (network
    /// header at the ARP header; unshared first); `false` on failure.
    pub(crate) fn set_arp_sender(&mut self, mac: &[u8; 6]) -> bool {
        // SAFETY: valid skb we own; the helper pulls and unshares the ARP
        // header before writing 6 bytes into it.
        unsafe { bindings::rbond_skb_set_arp_sha(self.0.as_ptr(), mac.as_ptr()) == 0 }
    }

    /// Give the raw pointer away (the callee consumes the reference).
    pub(super) fn into_raw(self) -> *mut bindings::sk_buff {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }

    /// Take a freshly allocated skb returned by the kernel (or `None` for
    /// NULL).
    ///
    /// # Safety
    ///
    /// A non-null `p` must be a valid skb whose only reference is given to us.
    pub(super) unsafe fn from_new(p: *mut bindings::sk_buff) -> Option<SkBuff> {
        NonNull::new(p).map(SkBuff)
    }
}

/// Set up the flow dissector [`SkBuff::flow_dissect`] uses (module init,
/// before any bond exists).
pub(crate) fn init_flow_dissector() {
    // SAFETY: called once at module init, before any transmit can run.
    unsafe { bindings::rbond_flow_dissector_init() }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: we own the reference and free it exactly once, here.
        unsafe { bindings::rbond_kfree_skb_any(self.0.as_ptr()) };
    }
}
