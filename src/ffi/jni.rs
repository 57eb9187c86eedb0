//! Entry points for pgtc's JDBC driver, called as JNI native methods of
//! `io.pgtc.jdbc.Jni` instead of through JNA: a JNI call from compiled
//! Java code is a plain native call, where JNA's adds its dispatcher and
//! libffi to each. They take and return only primitives (handles and
//! out-parameters as addresses, 0 for NULL), so they never touch the
//! `JNIEnv`, and each is the C export it names, unchanged: same checks,
//! same panic boundary. Not part of the C ABI (the header leaves them out).
//! JNI's calling convention on the platforms pgtc runs on is C's (`JNICALL`
//! is empty there), hence `extern "C"`.

use super::error::pgtc_error;
use super::result::{pgtc_block, pgtc_result, pgtc_result_block, pgtc_result_free};
use super::stmt::{pgtc_stmt, pgtc_stmt_exec_packed};
use crate::error::Status;
use std::ffi::{c_int, c_void};

/// `Jni.execPacked(stmt, nParams, values, valuesLen, lengths, formats,
/// resultOut, errOut)`: `pgtc_stmt_exec_packed`.
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub extern "C" fn Java_io_pgtc_jdbc_Jni_execPacked(
    _env: *mut c_void,
    _class: *mut c_void,
    stmt: i64,
    n_params: i64,
    values: i64,
    values_len: i64,
    lengths: i64,
    formats: i64,
    result_out: i64,
    err_out: i64,
) -> i32 {
    ffi_fn!(fallback = Status::Internal as i32, {
        let (Ok(n_params), Ok(values_len)) =
            (usize::try_from(n_params), usize::try_from(values_len))
        else {
            return Status::InvalidArgument as i32;
        };
        pgtc_stmt_exec_packed(
            stmt as usize as *mut pgtc_stmt,
            n_params,
            values as usize as *const u8,
            values_len,
            lengths as usize as *const i32,
            formats as usize as *const c_int,
            result_out as usize as *mut *mut pgtc_result,
            err_out as usize as *mut *mut pgtc_error,
        ) as i32
    })
}

/// `Jni.resultBlock(result, out)`: `pgtc_result_block`.
#[no_mangle]
pub extern "C" fn Java_io_pgtc_jdbc_Jni_resultBlock(
    _env: *mut c_void,
    _class: *mut c_void,
    result: i64,
    out: i64,
) {
    ffi_fn!(fallback = (), {
        pgtc_result_block(
            result as usize as *const pgtc_result,
            out as usize as *mut pgtc_block,
        )
    })
}

/// `Jni.resultFree(result)`: `pgtc_result_free`.
#[no_mangle]
pub extern "C" fn Java_io_pgtc_jdbc_Jni_resultFree(
    _env: *mut c_void,
    _class: *mut c_void,
    result: i64,
) {
    ffi_fn!(fallback = (), {
        pgtc_result_free(result as usize as *mut pgtc_result)
    })
}
