//! pgtc's attributes through the C ABI: read a connection's current value,
//! and list the attributes (name, default, doc) for bindings, all from
//! `crate::attr::TABLE`.

use super::conn::{conn_ref, pgtc_conn};
use super::{arg_str, pgtc_error};
use crate::attr::TABLE;
use crate::error::{Error, Status};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// Write the current value of attribute `name` (case-insensitive) into
/// `buf` as NUL-terminated text in its canonical spelling, e.g.
/// "READ_MOSTLY", "ON", "READ_COMMITTED", "1000".
///
/// `buf` must point to `len` writable bytes; 32 bytes hold every value.
/// When `len` cannot hold the value and its NUL the call fails with
/// PGTC_STATUS_BUFFER_TOO_SMALL, whose message names the bytes needed, and
/// only `buf[0]` is written (to NUL, when `len` > 0). An unknown name is
/// PGTC_STATUS_UNKNOWN_ATTRIBUTE; NULL `conn`, `name` or `buf` is
/// PGTC_STATUS_NULL_ARGUMENT.
#[no_mangle]
pub extern "C" fn pgtc_conn_get_attr(
    conn: *const pgtc_conn,
    name: *const c_char,
    buf: *mut c_char,
    len: usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn (the header's contract).
        let conn = unsafe { conn_ref(conn) }?;
        // SAFETY: `name` is NULL or a NUL-terminated string.
        let name = unsafe { arg_str(name, "name") }?;
        if buf.is_null() {
            return Err(Error::new(Status::NullArgument, "buf is NULL"));
        }
        let text = conn.get_attr(name)?;
        let needed = text.len() + 1;
        if needed > len {
            if len > 0 {
                // SAFETY: buf points to at least len (> 0) writable bytes.
                unsafe { *buf = 0 };
            }
            return Err(Error::new(
                Status::BufferTooSmall,
                format!(
                    "len {} is too small for the value of {}: {} bytes are needed",
                    len,
                    name.trim().to_ascii_uppercase(),
                    needed
                ),
            ));
        }
        // SAFETY: buf points to at least len >= needed writable bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
            *buf.add(text.len()) = 0;
        }
        Ok(())
    })
}

/// The NUL-terminated copies of the table's texts, made once.
struct Texts {
    name: CString,
    default: CString,
    doc: CString,
}

fn texts() -> &'static [Texts] {
    static TEXTS: OnceLock<Vec<Texts>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let c = |s: &str| CString::new(s).expect("attribute texts have no NUL");
        TABLE
            .iter()
            .map(|s| Texts {
                name: c(s.name),
                default: c(s.default),
                doc: c(s.doc),
            })
            .collect()
    })
}

fn text_at(i: usize, pick: fn(&Texts) -> &CString) -> *const c_char {
    texts()
        .get(i)
        .map_or(std::ptr::null(), |t| pick(t).as_ptr())
}

/// How many attributes pgtc has (valid indexes of `pgtc_attr_name`,
/// `pgtc_attr_default` and `pgtc_attr_doc` are 0 to count - 1).
#[no_mangle]
pub extern "C" fn pgtc_attr_count() -> usize {
    ffi_fn!(fallback = 0, { TABLE.len() })
}

/// The name of attribute `i`, e.g. "PREFERRED_ACCESS"; NULL when `i` is not
/// below `pgtc_attr_count()`. A static string; never free it.
#[no_mangle]
pub extern "C" fn pgtc_attr_name(i: usize) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), { text_at(i, |t| &t.name) })
}

/// The default value of attribute `i` in its canonical spelling, e.g.
/// "WRITE_MOSTLY"; NULL when `i` is out of range. A static string; never
/// free it.
#[no_mangle]
pub extern "C" fn pgtc_attr_default(i: usize) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), { text_at(i, |t| &t.default) })
}

/// One line saying what attribute `i` does; NULL when `i` is out of range.
/// A static string; never free it.
#[no_mangle]
pub extern "C" fn pgtc_attr_doc(i: usize) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), { text_at(i, |t| &t.doc) })
}
