//! Strings across the ODBC boundary: UTF-8 for the ANSI entry points,
//! UTF-16LE for the wide ones; lengths, SQL_NTS and truncation.

use std::ffi::c_void;

pub const SQL_NTS: isize = -3;

/// An error to post: SQLSTATE and message.
pub type Fail = (&'static str, String);

/// A string argument of `len` bytes (or SQL_NTS). NULL is `None`.
///
/// # Safety
/// `p` must point to `len` readable bytes, or to a NUL-terminated string.
pub unsafe fn arg(p: *const u8, len: isize) -> Result<Option<String>, Fail> {
    if p.is_null() {
        return Ok(None);
    }
    let bytes = if len == SQL_NTS {
        std::ffi::CStr::from_ptr(p.cast()).to_bytes()
    } else if len >= 0 {
        std::slice::from_raw_parts(p, len as usize)
    } else {
        return Err(("HY090", format!("invalid string length {}", len)));
    };
    String::from_utf8(bytes.to_vec())
        .map(Some)
        .map_err(|_| ("HY000", "string argument is not valid UTF-8".to_string()))
}

/// A wide string argument of `len` characters (or SQL_NTS).
///
/// # Safety
/// `p` must point to `len` readable UTF-16 units, or be NUL-terminated.
pub unsafe fn arg_w(p: *const u16, len: isize) -> Result<Option<String>, Fail> {
    if p.is_null() {
        return Ok(None);
    }
    let n = if len == SQL_NTS {
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        n
    } else if len >= 0 {
        len as usize
    } else {
        return Err(("HY090", format!("invalid string length {}", len)));
    };
    String::from_utf16(std::slice::from_raw_parts(p, n))
        .map(Some)
        .map_err(|_| ("HY000", "string argument is not valid UTF-16".to_string()))
}

/// Whether an output string came out whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The full length (bytes for UTF-8, code units for UTF-16).
    pub len: usize,
    pub truncated: bool,
}

/// Writes `s` NUL-terminated into `buf` of `cap` bytes, cut at a
/// character boundary when it does not fit. A NULL `buf` writes nothing.
///
/// # Safety
/// `buf` must be NULL or point to `cap` writable bytes.
pub unsafe fn put(s: &str, buf: *mut c_void, cap: isize) -> Written {
    let len = s.len();
    if buf.is_null() || cap <= 0 {
        return Written {
            len,
            truncated: len > 0 || (!buf.is_null() && cap == 0),
        };
    }
    let mut n = len.min(cap as usize - 1);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    let out = buf.cast::<u8>();
    std::ptr::copy_nonoverlapping(s.as_ptr(), out, n);
    *out.add(n) = 0;
    Written {
        len,
        truncated: n < len,
    }
}

/// Writes `s` as NUL-terminated UTF-16 into `buf` of `cap_units` code
/// units, never ending between the halves of a surrogate pair.
///
/// # Safety
/// `buf` must be NULL or point to `cap_units` writable u16s.
pub unsafe fn put_w(s: &str, buf: *mut c_void, cap_units: isize) -> Written {
    let units: Vec<u16> = s.encode_utf16().collect();
    let len = units.len();
    if buf.is_null() || cap_units <= 0 {
        return Written {
            len,
            truncated: len > 0 || (!buf.is_null() && cap_units == 0),
        };
    }
    let mut n = len.min(cap_units as usize - 1);
    if n > 0 && n < len && (0xD800..0xDC00).contains(&units[n - 1]) {
        n -= 1;
    }
    let out = buf.cast::<u16>();
    std::ptr::copy_nonoverlapping(units.as_ptr(), out, n);
    *out.add(n) = 0;
    Written {
        len,
        truncated: n < len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_cuts_at_char_boundaries() {
        let mut b = [0xffu8; 8];
        let w = unsafe { put("aé€", b.as_mut_ptr().cast(), 5) };
        assert_eq!(
            w,
            Written {
                len: 6,
                truncated: true
            }
        );
        assert_eq!(&b[..4], b"a\xc3\xa9\0");
        let w = unsafe { put("aé€", b.as_mut_ptr().cast(), 7) };
        assert!(!w.truncated);
        assert_eq!(&b[..7], "aé€\0".as_bytes());
        assert!(unsafe { put("", b.as_mut_ptr().cast(), 0) }.truncated);
        assert!(!unsafe { put("", b.as_mut_ptr().cast(), 1) }.truncated);
    }

    #[test]
    fn put_w_keeps_pairs() {
        let mut b = [0xffffu16; 8];
        let w = unsafe { put_w("a😀", b.as_mut_ptr().cast(), 3) };
        assert_eq!(
            w,
            Written {
                len: 3,
                truncated: true
            }
        );
        assert_eq!(&b[..2], &[u16::from(b'a'), 0]);
        let w = unsafe { put_w("a😀", b.as_mut_ptr().cast(), 4) };
        assert!(!w.truncated);
        assert_eq!(b[3], 0);
    }

    #[test]
    fn args() {
        let s = b"abc\0";
        assert_eq!(unsafe { arg(s.as_ptr(), SQL_NTS) }.unwrap().unwrap(), "abc");
        assert_eq!(unsafe { arg(s.as_ptr(), 2) }.unwrap().unwrap(), "ab");
        assert_eq!(unsafe { arg(s.as_ptr(), -7) }.unwrap_err().0, "HY090");
        assert_eq!(unsafe { arg(std::ptr::null(), 3) }.unwrap(), None);
        let bad = [0xD800u16, 0];
        assert_eq!(
            unsafe { arg_w(bad.as_ptr(), SQL_NTS) }.unwrap_err().0,
            "HY000"
        );
        let w: Vec<u16> = "hé😀\0".encode_utf16().collect();
        assert_eq!(
            unsafe { arg_w(w.as_ptr(), SQL_NTS) }.unwrap().unwrap(),
            "hé😀"
        );
    }
}
