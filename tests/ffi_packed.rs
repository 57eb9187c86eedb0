//! The C ABI's block calls, made for bindings that pay for every native
//! call (JNA, ctypes), against a real pair: a whole result read through
//! `pgtc_result_data` and `pgtc_result_cells`, one execution with its
//! values packed in one block (`pgtc_stmt_exec_packed`), and parameter sets
//! pipelined (`pgtc_stmt_exec_batch`), with every bad input answered with
//! a status and nothing sent.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::ffi::stmt::*;
use pgtc::Status;
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

fn run(conn: *mut pgtc_conn, sql: &str) -> *mut pgtc_result {
    let sql = CString::new(sql).unwrap();
    let mut r = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_exec(conn, sql.as_ptr(), &mut r, &mut err);
    assert_eq!(st, Status::Ok, "{}", s(pgtc_error_message(err)));
    r
}

fn prepare(conn: *mut pgtc_conn, sql: &str) -> *mut pgtc_stmt {
    let sql = CString::new(sql).unwrap();
    let mut st = null_mut();
    let mut err = null_mut();
    let status = pgtc_conn_prepare(conn, sql.as_ptr(), 0, null(), &mut st, &mut err);
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    st
}

/// Every value of `r` read from the block calls alone.
fn from_block(r: *const pgtc_result) -> Vec<Vec<Option<String>>> {
    let (rows, cols) = (pgtc_result_rows(r), pgtc_result_cols(r));
    let mut len = usize::MAX;
    let data = pgtc_result_data(r, &mut len);
    let cells = pgtc_result_cells(r);
    if rows * cols == 0 {
        assert!(cells.is_null());
        return vec![vec![]; rows];
    }
    // SAFETY: pgtc says the block holds `len` bytes and the cells rows × cols
    // offsets, both living as long as `r`.
    let (data, cells) = unsafe {
        (
            std::slice::from_raw_parts(data, len),
            std::slice::from_raw_parts(cells, rows * cols),
        )
    };
    cells
        .chunks(cols)
        .map(|row| {
            row.iter()
                .map(|&at| {
                    (at != u32::MAX).then(|| {
                        let v = CStr::from_bytes_until_nul(&data[at as usize..]).unwrap();
                        v.to_str().unwrap().to_string()
                    })
                })
                .collect()
        })
        .collect()
}

/// The same through the per-value calls.
fn per_value(r: *const pgtc_result) -> Vec<Vec<Option<String>>> {
    (0..pgtc_result_rows(r))
        .map(|i| {
            (0..pgtc_result_cols(r))
                .map(|j| {
                    let p = pgtc_result_value(r, i, j);
                    (!p.is_null()).then(|| s(p))
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_whole_result_in_two_calls() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let r = run(
        conn,
        "SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'é' || repeat('x', g) END, '' \
         FROM generate_series(1, 40) g",
    );
    let got = from_block(r);
    assert_eq!(got.len(), 40);
    assert_eq!(got, per_value(r));
    assert_eq!(got[2][1], None, "an SQL NULL is UINT32_MAX");
    assert_eq!(
        got[3][2].as_deref(),
        Some(""),
        "an empty text is a NUL alone"
    );
    assert_eq!(got[0][1].as_deref(), Some("éx"));
    pgtc_result_free(r);
    // No rows; no columns; NULL.
    let r = run(conn, "SELECT 1 WHERE false");
    let mut len = 7;
    assert!(pgtc_result_data(r, &mut len).is_null());
    assert_eq!(len, 0);
    assert!(pgtc_result_cells(r).is_null());
    pgtc_result_free(r);
    let r = run(conn, "SET application_name = 'packed'");
    assert!(pgtc_result_cells(r).is_null());
    pgtc_result_free(r);
    let mut len = 7;
    assert!(pgtc_result_data(null(), &mut len).is_null());
    assert_eq!(len, 0);
    assert!(pgtc_result_cells(null()).is_null());
    assert!(pgtc_result_data(null(), null_mut()).is_null());
    pgtc_conn_free(conn);
}

/// Every value and column of `r` read from `pgtc_result_block` alone.
#[allow(clippy::type_complexity)]
fn from_one_call(
    r: *const pgtc_result,
) -> (
    Vec<Vec<Option<String>>>,
    Vec<(String, u32, i32, u32, i16)>,
    u64,
) {
    let mut b = std::mem::MaybeUninit::<pgtc_block>::uninit();
    pgtc_result_block(r, b.as_mut_ptr());
    // SAFETY: pgtc_result_block fills every field.
    let b = unsafe { b.assume_init() };
    // SAFETY: the block's pointers cover the lengths it gives, living as
    // long as `r`; NULL only when empty.
    let slice = |p: *const u8, n: usize| {
        if p.is_null() {
            assert_eq!(n, 0);
            &[][..]
        } else {
            unsafe { std::slice::from_raw_parts(p, n) }
        }
    };
    let data = slice(b.data, b.data_len);
    let names = slice(b.names.cast(), b.names_len);
    let columns = if b.columns.is_null() {
        assert_eq!(b.cols, 0);
        &[][..]
    } else {
        // SAFETY: as above, `cols` of them.
        unsafe { std::slice::from_raw_parts(b.columns, b.cols) }
    };
    let cells = if b.cells.is_null() {
        assert_eq!(b.rows * b.cols, 0);
        &[][..]
    } else {
        // SAFETY: as above, rows × cols of them.
        unsafe { std::slice::from_raw_parts(b.cells, b.rows * b.cols) }
    };
    let text = |bytes: &[u8], at: u32| {
        CStr::from_bytes_until_nul(&bytes[at as usize..])
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    let rows = (0..b.rows)
        .map(|i| {
            (0..b.cols)
                .map(|j| {
                    let at = cells[i * b.cols + j];
                    (at != u32::MAX).then(|| text(data, at))
                })
                .collect()
        })
        .collect();
    let cols = columns
        .iter()
        .map(|c| {
            assert_eq!(c.reserved, 0);
            (
                text(names, c.name),
                c.type_oid,
                c.typmod,
                c.table_oid,
                c.table_column,
            )
        })
        .collect();
    (rows, cols, b.affected)
}

/// The columns through the per-column calls.
fn per_column(r: *const pgtc_result) -> Vec<(String, u32, i32, u32, i16)> {
    (0..pgtc_result_cols(r))
        .map(|j| {
            (
                s(pgtc_result_col_name(r, j)),
                pgtc_result_col_type(r, j),
                pgtc_result_col_typmod(r, j),
                pgtc_result_col_table(r, j),
                0,
            )
        })
        .collect()
}

#[test]
fn a_whole_result_and_its_columns_in_one_call() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let t = table("fp_block");
    pgtc_result_free(run(
        conn,
        &format!("CREATE TABLE {t}(id int, \"näme\" varchar(9), n numeric(6,2))"),
    ));
    pgtc_result_free(run(
        conn,
        &format!("INSERT INTO {t} SELECT g, CASE WHEN g % 2 = 0 THEN 'é' || g END, g / 4.0 FROM generate_series(1, 30) g"),
    ));
    let r = run(
        conn,
        &format!("SELECT n, \"näme\", id, '' AS e FROM {t} ORDER BY id"),
    );
    let (rows, cols, affected) = from_one_call(r);
    assert_eq!(rows, per_value(r));
    assert_eq!((rows.len(), affected), (30, 30));
    assert_eq!(rows[1][1].as_deref(), Some("é2"));
    assert_eq!(rows[0][1], None);
    let names: Vec<_> = cols.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["n", "näme", "id", "e"]);
    let without_attnum: Vec<_> = cols
        .iter()
        .map(|c| (c.0.clone(), c.1, c.2, c.3, 0))
        .collect();
    assert_eq!(without_attnum, per_column(r));
    assert_eq!(
        cols.iter().map(|c| c.4).collect::<Vec<_>>(),
        [3, 2, 1, 0],
        "the attribute numbers"
    );
    assert_eq!((cols[1].2, cols[0].2), (13, (6 << 16 | 2) + 4));
    assert!(cols[0].3 > 0 && cols[3].3 == 0);
    pgtc_result_free(r);
    // No rows: the columns still; no columns: an update count.
    let r = run(conn, &format!("SELECT id FROM {t} WHERE false"));
    let (rows, cols, _) = from_one_call(r);
    assert_eq!((rows.len(), cols.len()), (0, 1));
    pgtc_result_free(r);
    let r = run(conn, &format!("UPDATE {t} SET id = id WHERE id < 6"));
    assert_eq!(from_one_call(r), (vec![], vec![], 5));
    pgtc_result_free(r);
    // NULL result: an empty block; NULL out: nothing happens.
    assert_eq!(from_one_call(null()), (vec![], vec![], 0));
    pgtc_result_block(null(), null_mut());
    pgtc_result_free(run(conn, &format!("DROP TABLE {t}")));
    pgtc_conn_free(conn);
}

#[test]
fn one_execution_with_its_values_in_one_block() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let st = prepare(
        conn,
        "SELECT $1::text, $2::int, $3::text IS NULL, length($4::bytea), $4::bytea",
    );
    // "héllo", 42, NULL, and four raw bytes holding a NUL.
    let mut block = "héllo".as_bytes().to_vec();
    block.extend_from_slice(b"42");
    block.extend_from_slice(&[0, 1, 0xff, 0]);
    let lengths = [6, 2, -1, 4];
    let formats = [0, 0, 0, 1];
    let mut r = null_mut();
    let mut err = null_mut();
    let status = pgtc_stmt_exec_packed(
        st,
        4,
        block.as_ptr(),
        block.len(),
        lengths.as_ptr(),
        formats.as_ptr(),
        &mut r,
        &mut err,
    );
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert_eq!(
        from_block(r),
        vec![vec![
            Some("héllo".to_string()),
            Some("42".into()),
            Some("t".into()),
            Some("4".into()),
            Some("\\x0001ff00".into()),
        ]]
    );
    pgtc_result_free(r);

    // Bad inputs: an error each, and the connection still usable.
    let bad = |block: &[u8], lengths: &[i32], formats: *const i32| {
        let mut r = null_mut();
        let mut err = null_mut();
        let status = pgtc_stmt_exec_packed(
            st,
            lengths.len(),
            block.as_ptr(),
            block.len(),
            lengths.as_ptr(),
            formats,
            &mut r,
            &mut err,
        );
        assert!(r.is_null());
        let m = s(pgtc_error_message(err));
        pgtc_error_free(err);
        (status, m)
    };
    let (status, m) = bad(b"abc", &[1, 1, 1, 1], null());
    assert_eq!(status, Status::InvalidArgument, "{m}");
    assert!(m.contains("runs past the end"), "{m}");
    let (status, m) = bad(b"abcdef", &[1, 1, 1, 1], null());
    assert_eq!(status, Status::InvalidArgument, "{m}");
    assert!(m.contains("add up to 4 bytes but values_len is 6"), "{m}");
    let (status, m) = bad(b"ab\xffd", &[1, 1, 1, 1], null());
    assert_eq!(status, Status::InvalidUtf8, "{m}");
    assert!(m.contains("value 2"), "{m}");
    let (status, m) = bad(b"abcd", &[1, 1, 1, -2], null());
    assert_eq!(status, Status::InvalidArgument, "{m}");
    assert!(m.contains("lengths[3] is -2"), "{m}");
    let (status, m) = bad(b"abcd", &[1, 1, 1, 1], [0, 0, 0, 2].as_ptr());
    assert_eq!(status, Status::InvalidArgument, "{m}");
    assert!(m.contains("formats[3] is 2"), "{m}");
    let (status, m) = bad(b"ab", &[1, 1], null());
    assert_eq!(status, Status::InvalidArgument, "{m}");
    let mut err = null_mut();
    let status = pgtc_stmt_exec_packed(st, 4, null(), 0, null(), null(), null_mut(), &mut err);
    assert_eq!(status, Status::NullArgument);
    pgtc_error_free(err);
    let r = run(conn, "SELECT 1");
    assert_eq!(per_value(r), vec![vec![Some("1".to_string())]]);
    pgtc_result_free(r);
    pgtc_stmt_free(st);
    pgtc_conn_free(conn);
}

/// `pgtc_stmt_exec_batch` of `sets` (each set's values as text; None for
/// NULL; no sets: the two parameters of the tests' statement): (status, counts, failed index, SQLSTATE).
fn batch(st: *mut pgtc_stmt, sets: &[Vec<Option<String>>]) -> (Status, Vec<i64>, usize, String) {
    // The statement's count, or the sets' own when they disagree with it.
    let n_params = sets.first().map_or(2, Vec::len);
    let mut block = Vec::new();
    let mut lengths = Vec::new();
    for v in sets.iter().flatten() {
        match v {
            None => lengths.push(-1),
            Some(t) => {
                block.extend_from_slice(t.as_bytes());
                lengths.push(t.len() as i32);
            }
        }
    }
    let mut counts = vec![99; sets.len()];
    let mut failed = 12345;
    let mut err = null_mut();
    let status = pgtc_stmt_exec_batch(
        st,
        sets.len(),
        n_params,
        block.as_ptr(),
        block.len(),
        lengths.as_ptr(),
        null(),
        counts.as_mut_ptr(),
        &mut failed,
        &mut err,
    );
    let state = if err.is_null() {
        String::new()
    } else {
        s(pgtc_error_sqlstate(err))
    };
    pgtc_error_free(err);
    (status, counts, failed, state)
}

fn sets(keys: impl Iterator<Item = i32>) -> Vec<Vec<Option<String>>> {
    keys.map(|k| vec![Some(k.to_string()), Some(format!("name {k}"))])
        .collect()
}

fn count(conn: *mut pgtc_conn, t: &str) -> String {
    let r = run(conn, &format!("SELECT count(*) FROM {t}"));
    let n = s(pgtc_result_value(r, 0, 0));
    pgtc_result_free(r);
    n
}

#[test]
fn parameter_sets_pipelined() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let t = table("ffi_batch");
    pgtc_result_free(run(
        conn,
        &format!("CREATE TABLE {t} (id int PRIMARY KEY, name text)"),
    ));
    let st = prepare(conn, &format!("INSERT INTO {t} VALUES ($1, $2)"));

    // More sets than one round trip takes, inside a transaction.
    pgtc_result_free(run(conn, "BEGIN"));
    let (status, counts, failed, _) = batch(st, &sets(1..=600));
    assert_eq!(status, Status::Ok);
    assert_eq!(counts, vec![1; 600]);
    assert_eq!(failed, 600, "no set failed");
    pgtc_result_free(run(conn, "COMMIT"));
    assert_eq!(count(conn, &t), "600");

    // A failing set inside a transaction: it and every later one fail.
    pgtc_result_free(run(conn, "BEGIN"));
    let (status, counts, failed, state) = batch(st, &sets([601, 602, 5, 603].into_iter()));
    assert_eq!(status, Status::Sql);
    assert_eq!((failed, state.as_str()), (2, "23505"));
    assert_eq!(counts, vec![1, 1, -1, -1]);
    pgtc_result_free(run(conn, "ROLLBACK"));
    assert_eq!(count(conn, &t), "600");

    // Outside one, every set commits or fails on its own.
    let (status, counts, failed, state) = batch(st, &sets([601, 7, 602].into_iter()));
    assert_eq!((status, failed, state.as_str()), (Status::Sql, 1, "23505"));
    assert_eq!(counts, vec![1, -1, 1]);
    assert_eq!(count(conn, &t), "602");

    // NULLs travel; a wrong parameter count and a bad block send nothing.
    let (status, _, _, state) = batch(st, &[vec![Some("700".into()), None]]);
    assert_eq!((status, state.as_str()), (Status::Ok, ""));
    let (status, _, failed, state) = batch(st, &[vec![Some("701".into())]]);
    assert_eq!(
        (status, failed, state.as_str()),
        (Status::InvalidArgument, 1, "08P01")
    );
    let mut failed = 0;
    let mut err = null_mut();
    let lengths = [3, 9];
    let status = pgtc_stmt_exec_batch(
        st,
        1,
        2,
        b"702".as_ptr(),
        3,
        lengths.as_ptr(),
        null(),
        null_mut(),
        &mut failed,
        &mut err,
    );
    assert_eq!((status, failed), (Status::InvalidArgument, 1));
    assert!(s(pgtc_error_message(err)).contains("runs past the end"));
    pgtc_error_free(err);
    let mut err = null_mut();
    let status = pgtc_stmt_exec_batch(
        null_mut(),
        0,
        0,
        null(),
        0,
        null(),
        null(),
        null_mut(),
        null_mut(),
        &mut err,
    );
    assert_eq!(status, Status::NullArgument);
    pgtc_error_free(err);
    assert_eq!(count(conn, &t), "603");
    // No sets: nothing to do.
    let (status, counts, failed, _) = batch(st, &[]);
    assert_eq!((status, counts.len(), failed), (Status::Ok, 0, 0));

    pgtc_stmt_free(st);
    pgtc_result_free(run(conn, &format!("DROP TABLE {t}")));
    pgtc_conn_free(conn);
}

#[test]
fn the_jni_entry_points_are_the_exports_they_name() {
    use pgtc::ffi::jni::*;
    use std::ptr::null_mut as nul;
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let st = prepare(conn, "SELECT $1::int + 1, 'x' AS name");
    let (mut r, mut err) = (null_mut::<pgtc_result>(), null_mut::<pgtc_error>());
    let addr = |p: *mut std::ffi::c_void| p as usize as i64;
    let value = b"41";
    let lengths = [2i32];
    let status = Java_io_pgtc_jdbc_Jni_execPacked(
        nul(),
        nul(),
        addr(st.cast()),
        1,
        value.as_ptr() as usize as i64,
        2,
        lengths.as_ptr() as usize as i64,
        0,
        &mut r as *mut _ as usize as i64,
        &mut err as *mut _ as usize as i64,
    );
    assert_eq!(status, Status::Ok as i32, "{}", s(pgtc_error_message(err)));
    let mut b = std::mem::MaybeUninit::<pgtc_block>::uninit();
    Java_io_pgtc_jdbc_Jni_resultBlock(nul(), nul(), addr(r.cast()), b.as_mut_ptr() as usize as i64);
    // SAFETY: filled by the call above.
    let b = unsafe { b.assume_init() };
    assert_eq!((b.rows, b.cols), (1, 2));
    assert_eq!(
        from_block(r),
        vec![vec![Some("42".to_string()), Some("x".into())]]
    );
    Java_io_pgtc_jdbc_Jni_resultFree(nul(), nul(), addr(r.cast()));
    Java_io_pgtc_jdbc_Jni_resultFree(nul(), nul(), 0);
    // A negative count is refused before anything is read; a NULL
    // statement is the export's NULL argument.
    let st_neg =
        Java_io_pgtc_jdbc_Jni_execPacked(nul(), nul(), addr(st.cast()), -1, 0, 0, 0, 0, 0, 0);
    assert_eq!(st_neg, Status::InvalidArgument as i32);
    let mut err = null_mut::<pgtc_error>();
    let st_null = Java_io_pgtc_jdbc_Jni_execPacked(
        nul(),
        nul(),
        0,
        0,
        0,
        0,
        0,
        0,
        &mut r as *mut _ as usize as i64,
        &mut err as *mut _ as usize as i64,
    );
    assert_eq!(st_null, Status::NullArgument as i32);
    pgtc_error_free(err);
    pgtc_stmt_free(st);
    pgtc_conn_free(conn);
}
