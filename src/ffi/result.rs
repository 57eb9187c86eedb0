//! `pgtc_result`: one statement's outcome, owned by the caller.

use super::{arg_ref, free_handle};
use crate::result::{ResultSet, Server};
use std::ffi::c_char;

/// One statement's outcome: rows and columns as text, the affected-row
/// count, the command tag and where the statement ran. Owned by the caller
/// and released with `pgtc_result_free`. Read-only, so it may be read from
/// several threads at once. For a text of several statements it holds the
/// first statement's outcome and owns those of the others, reached with
/// `pgtc_result_next`.
#[repr(transparent)]
pub struct pgtc_result {
    pub(crate) inner: ResultSet,
}

impl pgtc_result {
    /// A result set inside another object (a chain, an error), seen as a
    /// `pgtc_result` borrowed from it.
    pub(crate) fn from_inner(r: &ResultSet) -> *const pgtc_result {
        // `pgtc_result` is repr(transparent) over `ResultSet`.
        (r as *const ResultSet).cast()
    }
}

/// The result set behind a handle; None for NULL.
///
/// # Safety
/// `result` is NULL or a live `pgtc_result` that is not freed for `'a`.
unsafe fn inner<'a>(result: *const pgtc_result) -> Option<&'a ResultSet> {
    // SAFETY: forwarded from this function's contract.
    unsafe { arg_ref(result, "result") }.ok().map(|r| &r.inner)
}

/// Number of rows (0 for statements that return none). NULL gives 0.
#[no_mangle]
pub extern "C" fn pgtc_result_rows(result: *const pgtc_result) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(0, |r| r.rows())
    })
}

/// Number of columns. NULL gives 0.
#[no_mangle]
pub extern "C" fn pgtc_result_cols(result: *const pgtc_result) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(0, |r| r.cols())
    })
}

/// The name of column `col` (0-based), or NULL when out of range. Borrowed
/// from `result`: valid until `pgtc_result_free(result)`.
#[no_mangle]
pub extern "C" fn pgtc_result_col_name(result: *const pgtc_result, col: usize) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(std::ptr::null(), |r| {
            r.column_name_c(col)
                .map_or(std::ptr::null(), |s| s.as_ptr().cast())
        })
    })
}

/// The type OID of column `col` (e.g. 23 = int4, 25 = text), or 0 when out
/// of range.
#[no_mangle]
pub extern "C" fn pgtc_result_col_type(result: *const pgtc_result, col: usize) -> u32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(0, |r| r.column_type(col).unwrap_or(0))
    })
}

/// The value at (`row`, `col`), 0-based, as text exactly as psql shows it
/// (NUL-terminated UTF-8). NULL for an SQL NULL and for a position out of
/// range (tell the two apart with `pgtc_result_is_null`). Borrowed from
/// `result`: valid until `pgtc_result_free(result)`.
#[no_mangle]
pub extern "C" fn pgtc_result_value(
    result: *const pgtc_result,
    row: usize,
    col: usize,
) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(std::ptr::null(), |r| {
            r.value_c(row, col)
                .map_or(std::ptr::null(), |s| s.as_ptr().cast())
        })
    })
}

/// True when the value at (`row`, `col`) is an SQL NULL; false for a
/// non-NULL value and for a position out of range.
#[no_mangle]
pub extern "C" fn pgtc_result_is_null(result: *const pgtc_result, row: usize, col: usize) -> bool {
    ffi_fn!(fallback = false, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.is_some_and(|r| r.is_null(row, col))
    })
}

/// The length in bytes of the value at (`row`, `col`) as text (without
/// its NUL), as libpq's PQgetlength: 0 for an SQL NULL, for a position out
/// of range and for NULL `result`.
#[no_mangle]
pub extern "C" fn pgtc_result_value_len(
    result: *const pgtc_result,
    row: usize,
    col: usize,
) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(0, |r| r.value_len(row, col))
    })
}

/// The text of every value of `result` in one block, for reading a whole
/// result in a few calls instead of one or two per value: row by row,
/// column by column, each value followed by a NUL; an SQL NULL takes no
/// room. `*len_out` (when not NULL) receives the block's length in bytes,
/// NULs included. `pgtc_result_cells` says where each value starts; a
/// value's length is up to its NUL (text never holds one). Borrowed from
/// `result`: valid until `pgtc_result_free(result)`. NULL `result` gives
/// NULL and a length of 0.
#[no_mangle]
pub extern "C" fn pgtc_result_data(result: *const pgtc_result, len_out: *mut usize) -> *const u8 {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        let data = unsafe { inner(result) }.map_or(&[][..], |r| r.data());
        if !len_out.is_null() {
            // SAFETY: a non-NULL `len_out` is writable (header convention).
            unsafe { *len_out = data.len() };
        }
        if data.is_empty() {
            std::ptr::null()
        } else {
            data.as_ptr()
        }
    })
}

/// One column of a result, as `pgtc_result_block` hands them out.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pgtc_column {
    /// Where the column's NUL-terminated name starts in `pgtc_block.names`.
    pub name: u32,
    /// Its type OID (`pgtc_result_col_type`).
    pub type_oid: u32,
    /// Its type modifier (`pgtc_result_col_typmod`).
    pub typmod: i32,
    /// The table it comes from (`pgtc_result_col_table`; 0 for none).
    pub table_oid: u32,
    /// Its attribute number in that table (0 for none).
    pub table_column: i16,
    /// Always 0.
    pub reserved: i16,
}

// `pgtc_result_block` hands out the result's own columns as pgtc_column.
const _: () = {
    use crate::result::Column;
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<Column>() == size_of::<pgtc_column>());
    assert!(align_of::<Column>() == align_of::<pgtc_column>());
    assert!(offset_of!(Column, type_oid) == offset_of!(pgtc_column, type_oid));
    assert!(offset_of!(Column, typmod) == offset_of!(pgtc_column, typmod));
    assert!(offset_of!(Column, table_oid) == offset_of!(pgtc_column, table_oid));
    assert!(offset_of!(Column, column_id) == offset_of!(pgtc_column, table_column));
};

/// Everything a reader of a whole result needs, filled in by one call
/// (`pgtc_result_block`) instead of one per column and per value. The
/// pointers are borrowed from the result: valid until
/// `pgtc_result_free(result)`; each is NULL when what it points to is
/// empty.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct pgtc_block {
    /// `pgtc_result_rows`.
    pub rows: usize,
    /// `pgtc_result_cols`.
    pub cols: usize,
    /// `pgtc_result_affected`.
    pub affected: u64,
    /// `pgtc_result_data`: every value's text, each followed by a NUL.
    pub data: *const u8,
    /// The length of `data` in bytes, NULs included.
    pub data_len: usize,
    /// `pgtc_result_cells`: rows × cols offsets into `data`, row-major,
    /// `UINT32_MAX` for an SQL NULL.
    pub cells: *const u32,
    /// `cols` columns.
    pub columns: *const pgtc_column,
    /// Every column's name, each followed by a NUL.
    pub names: *const c_char,
    /// The length of `names` in bytes, NULs included.
    pub names_len: usize,
}

/// Fill `*out` with `result`'s shape and values (see `pgtc_block`): its
/// counts, its columns and where its values are, in one call. NULL
/// `result` gives an empty block (0 rows, 0 columns, NULL pointers);
/// NULL `out` does nothing.
#[no_mangle]
pub extern "C" fn pgtc_result_block(result: *const pgtc_result, out: *mut pgtc_block) {
    ffi_fn!(fallback = (), {
        if out.is_null() {
            return;
        }
        let or_null = |empty: bool, p: *const u8| if empty { std::ptr::null() } else { p };
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        let b = match unsafe { inner(result) } {
            None => pgtc_block {
                rows: 0,
                cols: 0,
                affected: 0,
                data: std::ptr::null(),
                data_len: 0,
                cells: std::ptr::null(),
                columns: std::ptr::null(),
                names: std::ptr::null(),
                names_len: 0,
            },
            Some(r) => pgtc_block {
                rows: r.rows(),
                cols: r.cols(),
                affected: r.affected(),
                data: or_null(r.data().is_empty(), r.data().as_ptr()),
                data_len: r.data().len(),
                cells: or_null(r.cells().is_empty(), r.cells().as_ptr().cast()).cast(),
                columns: or_null(r.columns().is_empty(), r.columns().as_ptr().cast()).cast(),
                names: or_null(r.names().is_empty(), r.names().as_ptr()).cast(),
                names_len: r.names().len(),
            },
        };
        // SAFETY: a non-NULL `out` is writable (header convention).
        unsafe { out.write(b) };
    })
}

/// Where each value of `result` starts in `pgtc_result_data`: rows × cols
/// offsets, row-major (the value at (`row`, `col`) is element
/// `row * cols + col`), `UINT32_MAX` for an SQL NULL. Borrowed from
/// `result`: valid until `pgtc_result_free(result)`. NULL when the result
/// holds no values (no rows or no columns) and for NULL `result`.
#[no_mangle]
pub extern "C" fn pgtc_result_cells(result: *const pgtc_result) -> *const u32 {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }
            .map(|r| r.cells())
            .filter(|c| !c.is_empty())
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The type modifier of column `col`, as libpq's PQfmod: e.g. for
/// varchar(n) n + 4, for numeric(p,s) ((p << 16) | s) + 4; -1 when the
/// type has none, for a column out of range and for NULL `result`.
#[no_mangle]
pub extern "C" fn pgtc_result_col_typmod(result: *const pgtc_result, col: usize) -> i32 {
    ffi_fn!(fallback = -1, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }
            .and_then(|r| r.column(col))
            .map_or(-1, |c| c.typmod)
    })
}

/// The OID of the table column `col` comes from, as libpq's PQftable; 0
/// when it is not a plain column of a table (an expression), for a column
/// out of range and for NULL `result`.
#[no_mangle]
pub extern "C" fn pgtc_result_col_table(result: *const pgtc_result, col: usize) -> u32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }
            .and_then(|r| r.column(col))
            .map_or(0, |c| c.table_oid)
    })
}

/// The attribute number (1-based) of column `col` in the table
/// `pgtc_result_col_table` names, as libpq's PQftablecol; 0 when it is not
/// a plain column of a table, for a column out of range and for NULL
/// `result`.
#[no_mangle]
pub extern "C" fn pgtc_result_col_number(result: *const pgtc_result, col: usize) -> i32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }
            .and_then(|r| r.column(col))
            .map_or(0, |c| i32::from(c.column_id))
    })
}

/// The result of the next statement of the same SQL text, or NULL after
/// the last one (and for NULL `result`). Owned by the first result of the
/// text: valid until that one is freed; never pass it to
/// `pgtc_result_free`.
#[no_mangle]
pub extern "C" fn pgtc_result_next(result: *const pgtc_result) -> *const pgtc_result {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }
            .and_then(ResultSet::next)
            .map_or(std::ptr::null(), pgtc_result::from_inner)
    })
}

/// Rows affected by INSERT/UPDATE/DELETE/MERGE (and rows returned by
/// SELECT, FETCH, MOVE, COPY); 0 for other statements.
#[no_mangle]
pub extern "C" fn pgtc_result_affected(result: *const pgtc_result) -> u64 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(0, |r| r.affected())
    })
}

/// The command tag, e.g. "INSERT 0 1" or "SELECT 3" ("" when there is
/// none). Borrowed from `result`: valid until `pgtc_result_free(result)`.
#[no_mangle]
pub extern "C" fn pgtc_result_command(result: *const pgtc_result) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(c"".as_ptr(), |r| r.tag_c().as_ptr().cast())
    })
}

/// Where the statement ran: PGTC_SERVER_PRIMARY, PGTC_SERVER_SECONDARY,
/// PGTC_SERVER_BOTH (session settings applied to both), or
/// PGTC_SERVER_NONE (answered by pgtc alone, e.g. COMMIT with no open
/// transaction). NULL gives PGTC_SERVER_NONE.
#[no_mangle]
pub extern "C" fn pgtc_result_server(result: *const pgtc_result) -> Server {
    ffi_fn!(fallback = Server::None, {
        // SAFETY: `result` is NULL or a live pgtc_result (read-only once returned).
        unsafe { inner(result) }.map_or(Server::None, |r| r.server.unwrap_or(Server::None))
    })
}

/// Release a result, with the results of later statements it owns (see
/// `pgtc_result_next`). Only results a call handed to the caller through
/// `result_out` are freed; NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_result_free(result: *mut pgtc_result) {
    ffi_fn!(fallback = (), {
        // SAFETY: `result` is NULL or came from pgtc and is freed once.
        unsafe { free_handle(result) }
    })
}
