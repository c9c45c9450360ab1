// SPDX-License-Identifier: GPL-2.0

//! Sysfs show buffers.

/// The page a sysfs `show` callback fills, with bounds checks.
pub(crate) struct ShowBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> ShowBuf<'a> {
    /// Wrap a page.
    ///
    /// # Safety
    ///
    /// `buf` must be the sysfs page (`PAGE_SIZE` writable bytes) of a show
    /// callback, valid and unaliased for `'a`.
    pub(crate) unsafe fn from_raw(buf: *mut u8) -> Self {
        // SAFETY: guaranteed by the caller.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf, kernel::page::PAGE_SIZE) };
        ShowBuf { buf, len: 0 }
    }

    /// The whole page, for a writer that tracks its own length.
    pub(crate) fn page(&mut self) -> &mut [u8] {
        self.buf
    }

    /// Set the number of valid bytes (clamped to the page).
    pub(crate) fn set_len(&mut self, len: usize) {
        self.len = len.min(self.buf.len());
    }

    /// Number of valid bytes.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}
