//! The C ABI. No logic lives here: each export checks its arguments,
//! converts handles and strings, calls plain Rust (`session`, `result`,
//! `error`) and converts the outcome back.
//!
//! # How an export is written
//!
//! Every export is a `#[no_mangle] pub extern "C" fn` (so that cbindgen, which
//! reads the sources without expanding macros, declares it in the header)
//! whose whole body is one `ffi_fn!` invocation. The macro runs the body
//! behind `catch_unwind`, so no panic unwinds into C, and gives the C caller a
//! typed answer when one is caught. Two forms:
//!
//! ```ignore
//! /// A fallible call: returns pgtc_status, reports failures through err_out.
//! #[no_mangle]
//! pub extern "C" fn pgtc_conn_thing(
//!     conn: *mut pgtc_conn,
//!     name: *const c_char,
//!     err_out: *mut *mut pgtc_error,
//! ) -> Status {
//!     ffi_fn!(err_out, {
//!         // The body returns crate::Result<()>. A panic becomes
//!         // PGTC_STATUS_INTERNAL with an error saying so in *err_out.
//!         // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
//!         let mut conn = unsafe { conn_mut(conn) }?;
//!         // SAFETY: `name` is NULL or a NUL-terminated string.
//!         let name = unsafe { arg_str(name, "name") }?;
//!         conn.do_thing(name)
//!     })
//! }
//!
//! /// An infallible accessor: the body returns the value; a panic returns
//! /// the fallback (which must be one of the values the docs promise).
//! #[no_mangle]
//! pub extern "C" fn pgtc_conn_flag(conn: *const pgtc_conn) -> bool {
//!     ffi_fn!(fallback = false, {
//!         // SAFETY: `conn` is NULL or a live pgtc_conn.
//!         unsafe { conn_ref(conn) }.is_ok_and(|c| c.flag())
//!     })
//! }
//! ```
//!
//! Converting an export written with the former `with_status(err_out, || { .. })`
//! or `boundary(fallback, || ..)` is mechanical: `ffi_fn!(err_out, { .. })`,
//! `ffi_fn!(fallback = .., { .. })`, and each pointer helper call wrapped in
//! `unsafe { .. }` under a `// SAFETY:` line naming the caller's promise. A
//! unit test (`tests::every_export_goes_through_ffi_fn`) scans `src/` and
//! fails on an export written any other way.
//!
//! Pointer helpers (`arg_ref`, `arg_mut`, `arg_str`, `out_ptr`, `free_handle`,
//! `conn_ref`, `conn_mut`) are `unsafe fn`: each states in `# Safety` what the
//! pointer must be, which is what the header promises on the C side.
//!
//! A connection on which a panic was caught is poisoned (see `conn_mut`):
//! every later call on it fails with PGTC_STATUS_INTERNAL (accessors return
//! their NULL-argument answer) and only `pgtc_conn_free` still works.
//!
//! Ownership is encoded once, in `into_handle` / `free_handle`: every object
//! pgtc hands out is a `Box` turned into a raw pointer, released exactly once
//! by its `_free` function.
//!
//! The handle types carry their C names (`pgtc_conn`, …) so that cbindgen
//! emits them as they are.
#![allow(non_camel_case_types)]
// Exports take raw pointers from C by design; each is checked before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
// Every unsafe operation sits in its own block with a SAFETY comment.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

use crate::error::{Error, Result, Status};
use std::any::Any;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// The body of every export; see the module documentation.
macro_rules! ffi_fn {
    (fallback = $fallback:expr, $body:block) => {
        $crate::ffi::boundary($fallback, || $body)
    };
    ($err_out:ident, $body:block) => {{
        // Outside the unsafe block below: the body's own unsafe calls need
        // their own blocks and SAFETY comments.
        let body = || -> $crate::error::Result<()> { $body };
        // SAFETY: `$err_out` is the export's own err_out parameter, which the
        // header requires to be NULL or a writable `pgtc_error *` slot.
        unsafe { $crate::ffi::with_status($err_out, body) }
    }};
}

pub mod attr;
pub mod conn;
pub mod copy;
pub mod error;
pub mod jni;
pub mod lag;
pub mod notify;
pub mod pool;
pub mod result;
pub mod route;
pub mod stmt;
pub mod stream;
#[cfg(test)]
mod tests;

pub use self::error::pgtc_error;

/// Run `f`; if it panics, return `fallback` instead of unwinding into C.
/// Used through `ffi_fn!(fallback = .., { .. })`.
pub(crate) fn boundary<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Run a fallible export body behind the panic boundary: clear `*err_out`,
/// and on failure store a new `pgtc_error` there (when `err_out` is not
/// NULL) and return its status. A panic is reported as
/// PGTC_STATUS_INTERNAL. Used through `ffi_fn!(err_out, { .. })`.
///
/// # Safety
/// `err_out` is NULL or points to a writable `*mut pgtc_error`.
pub(crate) unsafe fn with_status(
    err_out: *mut *mut pgtc_error,
    f: impl FnOnce() -> Result<()>,
) -> Status {
    if !err_out.is_null() {
        // SAFETY: non-NULL, and writable by this function's contract.
        unsafe { *err_out = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(internal(&*panic)));
    match outcome {
        Ok(()) => Status::Ok,
        Err(e) => {
            let status = e.status;
            if !err_out.is_null() {
                // SAFETY: as above.
                unsafe { *err_out = into_handle(pgtc_error::from(e)) };
            }
            status
        }
    }
}

/// The error a caught panic becomes, with the panic's message when it has one.
fn internal(panic: &(dyn Any + Send)) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    Error::new(
        Status::Internal,
        format!(
            "internal error in pgtc (a Rust panic was caught at the C boundary: {})",
            what
        ),
    )
}

/// Box a value and hand it to C.
pub(crate) fn into_handle<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Take back and drop a value handed out by `into_handle`; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `into_handle::<T>` and was not freed before; no
/// reference to it is used afterwards.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: `p` came from Box::into_raw and is released once (contract).
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Take back the value of a handle from `into_handle`, for a `_free` that
/// hands its parts on (None for NULL).
///
/// # Safety
/// `p` is NULL or came from `into_handle::<T>` and is not used again.
pub(crate) unsafe fn take_handle<T>(p: *mut T) -> Option<T> {
    // SAFETY: `p` came from Box::into_raw and is taken once (contract).
    (!p.is_null()).then(|| *unsafe { Box::from_raw(p) })
}

/// Borrow a handle; NULL is an error naming the argument.
///
/// # Safety
/// `p` is NULL or points to a live `T` (a handle pgtc handed out and the
/// caller has not freed) that nothing mutates for the chosen lifetime `'a`.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: NULL or a live, unaliased-for-writes `T` (contract).
    unsafe { p.as_ref() }.ok_or_else(|| null_arg(name))
}

/// Borrow a handle mutably; NULL is an error naming the argument.
///
/// # Safety
/// `p` is NULL or points to a live `T` that nothing else reads or writes for
/// the chosen lifetime `'a` (the caller uses the handle from one thread at a
/// time, as the header requires).
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: NULL or a live, exclusively used `T` (contract).
    unsafe { p.as_mut() }.ok_or_else(|| null_arg(name))
}

/// Borrow a C string as UTF-8; NULL and invalid UTF-8 are errors.
///
/// `n` text parameters: each element of `params` NULL (SQL NULL) or a
/// NUL-terminated UTF-8 string. `params` may be NULL only when `n` is 0.
///
/// # Safety
/// `params` is NULL or points to `n` pointers, each NULL or a NUL-terminated
/// string valid for `'a`.
pub(crate) unsafe fn text_params<'a>(
    n: usize,
    params: *const *const c_char,
) -> Result<Vec<Option<&'a str>>> {
    if n > 0 && params.is_null() {
        return Err(Error::new(
            Status::NullArgument,
            "params is NULL but n_params is not 0",
        ));
    }
    let mut values: Vec<Option<&str>> = Vec::with_capacity(n);
    for i in 0..n {
        // SAFETY: `params` is non-NULL here and points to an array of at
        // least `n` pointers (the documented contract).
        let p = unsafe { *params.add(i) };
        values.push(if p.is_null() {
            None
        } else {
            // SAFETY: a non-NULL element is a NUL-terminated string.
            Some(unsafe { arg_str(p, &format!("params[{}]", i)) }?)
        });
    }
    Ok(values)
}

/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays unchanged and
/// allocated for the chosen lifetime `'a`.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null_arg(name));
    }
    // SAFETY: non-NULL and NUL-terminated (contract).
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|e| {
        Error::new(
            Status::InvalidUtf8,
            format!("{} is not valid UTF-8 (at byte {})", name, e.valid_up_to()),
        )
    })
}

/// Check an out-parameter and clear it.
///
/// # Safety
/// `p` is NULL or points to a writable `*mut T` slot that nothing else uses
/// for the chosen lifetime `'a`.
pub(crate) unsafe fn out_ptr<'a, T>(p: *mut *mut T, name: &str) -> Result<&'a mut *mut T> {
    // SAFETY: NULL or a writable, exclusively used slot (contract).
    let slot = unsafe { p.as_mut() }.ok_or_else(|| null_arg(name))?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

fn null_arg(name: &str) -> Error {
    Error::new(Status::NullArgument, format!("{} is NULL", name))
}

/// `InvalidUtf8` → `INVALID_UTF8`: the spelling cbindgen gives enum
/// variants (`rename_variants = "ScreamingSnakeCase"` in cbindgen.toml).
fn screaming_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// The C name of a status (`PGTC_STATUS_SQL`), derived from the `Status`
/// enum itself; a static string.
pub(crate) fn status_name(status: Status) -> &'static CStr {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        Status::ALL
            .iter()
            .map(|s| {
                let name = format!("PGTC_STATUS_{}", screaming_snake(&format!("{:?}", s)));
                CString::new(name).expect("enum variant names have no NUL")
            })
            .collect()
    });
    let i = Status::ALL
        .iter()
        .position(|&s| s == status)
        .expect("Status::ALL lists every status");
    &names[i]
}

static VERSION: &[u8] = concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes();

/// The version of pgtc, e.g. "0.1.0" (the header's PGTC_VERSION_MAJOR,
/// PGTC_VERSION_MINOR and PGTC_VERSION_PATCH give the version compiled
/// against). A static string; never free it.
#[no_mangle]
pub extern "C" fn pgtc_version() -> *const c_char {
    ffi_fn!(fallback = VERSION.as_ptr().cast(), {
        VERSION.as_ptr().cast()
    })
}

/// A short, stable name for a status code, e.g. "PGTC_STATUS_SQL"; a static
/// string ("PGTC_STATUS_UNKNOWN" for a code pgtc does not know). Never free it.
#[no_mangle]
pub extern "C" fn pgtc_status_name(status: u32) -> *const c_char {
    ffi_fn!(fallback = c"PGTC_STATUS_UNKNOWN".as_ptr(), {
        Status::from_u32(status)
            .map_or(c"PGTC_STATUS_UNKNOWN".as_ptr(), |s| status_name(s).as_ptr())
    })
}

/// Turn on pgtc's log lines (to stderr) when the environment variable
/// `PGTC_LOG` is set, e.g. `PGTC_LOG=debug`. Called once, by the first open.
pub(crate) fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("PGTC_LOG") {
            let _ = env_logger::Builder::new()
                .parse_filters(&filter)
                .target(env_logger::Target::Stderr)
                .try_init();
        }
    });
}

/// Hooks for pgtc's own tests, compiled only with the `test-hooks` feature
/// (which the crate's tests enable; `cargo build` of the library never
/// does). Not part of the API, and not reachable from C.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    use std::cell::Cell;

    thread_local! {
        static PANIC_NEXT: Cell<bool> = const { Cell::new(false) };
    }

    /// Make the next export called on this thread that uses a `pgtc_conn`
    /// panic while it holds the connection, as a bug in pgtc would.
    pub fn panic_on_next_conn_use() {
        PANIC_NEXT.with(|p| p.set(true));
    }

    pub(crate) fn maybe_panic() {
        if PANIC_NEXT.with(|p| p.replace(false)) {
            panic!("test hook: panic requested while the connection is in use");
        }
    }
}
