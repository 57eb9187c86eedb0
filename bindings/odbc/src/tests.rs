//! The entry points called as a driver manager calls them, on what needs
//! no server: handle checks, states, diagnostics, connection-string
//! errors and the information that needs no connection. (Statements
//! against real servers are checked through unixODBC by bindings/odbc/test.)

use std::ffi::c_void;
use std::ptr::null_mut;

use crate::api::*;
use crate::sys::SqlReturn;

type H = *mut c_void;

unsafe fn env3() -> H {
    let mut e: H = null_mut();
    assert_eq!(
        SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut e),
        SqlReturn::SUCCESS
    );
    assert_eq!(SQLSetEnvAttr(e, 200, 3 as H, 0), SqlReturn::SUCCESS);
    e
}

unsafe fn diag(kind: i16, h: H, rec: i16) -> Option<(String, String)> {
    let mut state = [0u8; 6];
    let mut native = 0;
    let mut msg = [0u8; 4096];
    let mut len = 0i16;
    let r = SQLGetDiagRec(
        kind,
        h,
        rec,
        state.as_mut_ptr(),
        &mut native,
        msg.as_mut_ptr(),
        4096,
        &mut len,
    );
    if r == SqlReturn::NO_DATA {
        return None;
    }
    assert_eq!(r, SqlReturn::SUCCESS);
    Some((
        String::from_utf8_lossy(&state[..5]).into_owned(),
        String::from_utf8_lossy(&msg[..len as usize]).into_owned(),
    ))
}

#[test]
fn null_freed_and_wrong_kind_handles_are_invalid() {
    unsafe {
        let e = env3();
        let mut d: H = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
            SqlReturn::SUCCESS
        );
        // A connection handle where an environment is expected, and back.
        assert_eq!(SQLSetEnvAttr(d, 200, 3 as H, 0), SqlReturn::INVALID_HANDLE);
        assert_eq!(
            SQLExecDirect(d, c"SELECT 1".as_ptr().cast(), -3),
            SqlReturn::INVALID_HANDLE
        );
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_STMT, e, &mut d),
            SqlReturn::INVALID_HANDLE
        );
        assert_eq!(SQLFetch(null_mut()), SqlReturn::INVALID_HANDLE);
        assert_eq!(
            SQLGetDiagRec(
                SQL_HANDLE_STMT,
                d,
                1,
                null_mut(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SqlReturn::INVALID_HANDLE
        );
        assert_eq!(SQLFreeHandle(SQL_HANDLE_STMT, d), SqlReturn::INVALID_HANDLE);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::SUCCESS);
        // Freed: no longer a handle.
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::INVALID_HANDLE);
        assert_eq!(SQLDisconnect(d), SqlReturn::INVALID_HANDLE);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::INVALID_HANDLE);
    }
}

#[test]
fn states_and_their_diagnostics() {
    unsafe {
        let mut e: H = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut e),
            SqlReturn::SUCCESS
        );
        let mut d: H = null_mut();
        // No ODBC version yet: function sequence error.
        assert_eq!(SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_ENV, e, 1).unwrap().0, "HY010");
        assert_eq!(SQLSetEnvAttr(e, 200, 7 as H, 0), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_ENV, e, 1).unwrap().0, "HY024");
        assert_eq!(SQLSetEnvAttr(e, 200, 380 as H, 0), SqlReturn::SUCCESS);
        assert!(
            diag(SQL_HANDLE_ENV, e, 1).is_none(),
            "a call clears the records"
        );
        let mut v = 0i32;
        assert_eq!(
            SQLGetEnvAttr(e, 200, (&mut v as *mut i32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(v, 380);
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, null_mut()),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_ENV, e, 1).unwrap().0, "HY009");
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
            SqlReturn::SUCCESS
        );
        // The environment still has a connection.
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_ENV, e, 1).unwrap().0, "HY010");
        // Not connected: no statements, no disconnect.
        let mut s: H = null_mut();
        assert_eq!(SQLAllocHandle(SQL_HANDLE_STMT, d, &mut s), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "08003");
        assert_eq!(SQLDisconnect(d), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "08003");
        assert_eq!(SQLEndTran(SQL_HANDLE_DBC, d, 0), SqlReturn::ERROR);
        // Autocommit and access mode are kept until the connection opens.
        assert_eq!(SQLSetConnectAttr(d, 102, null_mut(), 0), SqlReturn::SUCCESS);
        let mut a = 9u32;
        assert_eq!(
            SQLGetConnectAttr(d, 102, (&mut a as *mut u32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(a, 0);
        assert_eq!(
            SQLGetConnectAttr(d, 1209, (&mut a as *mut u32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(a, 1, "no connection is a dead one");
        assert_eq!(SQLSetConnectAttr(d, 102, 5 as H, 0), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY024");
        assert_eq!(
            SQLSetConnectAttr(d, 424242, null_mut(), 0),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY092");
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::SUCCESS);
    }
}

#[test]
fn connection_string_errors_name_the_problem() {
    unsafe {
        let e = env3();
        let mut d: H = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
            SqlReturn::SUCCESS
        );
        let cases: &[(&std::ffi::CStr, &str)] = &[
            (c"Driver=pgtc;Server=localhost;Frobnicate=1", "Frobnicate"),
            (c"Server=localhost;PWD={abc", "PWD"),
            (c"Server=localhost;Port", "Port"),
        ];
        for (s, word) in cases {
            let r = SQLDriverConnect(
                d,
                null_mut(),
                s.as_ptr().cast(),
                -3,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            assert_eq!(r, SqlReturn::ERROR);
            let (state, msg) = diag(SQL_HANDLE_DBC, d, 1).unwrap();
            assert_eq!(state, "08001", "{}", msg);
            assert!(
                msg.starts_with("[pgtc][ODBC] ") && msg.contains(word),
                "{}",
                msg
            );
            assert!(diag(SQL_HANDLE_DBC, d, 2).is_none());
        }
        // SQL_ATTR_LOGIN_TIMEOUT is kept for the next connect.
        assert_eq!(SQLSetConnectAttr(d, 103, 5 as H, 0), SqlReturn::SUCCESS);
        let mut t = 0u32;
        assert_eq!(
            SQLGetConnectAttr(d, 103, (&mut t as *mut u32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(t, 5);
        // NULL string, negative length.
        let r = SQLDriverConnect(
            d,
            null_mut(),
            std::ptr::null(),
            -3,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(r, SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY009");
        let r = SQLDriverConnect(
            d,
            null_mut(),
            c"x=1".as_ptr().cast(),
            -9,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(r, SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY090");
        // The wide entry point: invalid UTF-16 is refused.
        let bad = [0xDC00u16, 0];
        let r = SQLDriverConnectW(
            d,
            null_mut(),
            bad.as_ptr(),
            -3,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(r, SqlReturn::ERROR);
        // And its diagnostics in UTF-16.
        let mut state = [0u16; 6];
        let mut msg = [0u16; 8];
        let mut len = 0i16;
        let r = SQLGetDiagRecW(
            SQL_HANDLE_DBC,
            d,
            1,
            state.as_mut_ptr(),
            null_mut(),
            msg.as_mut_ptr(),
            8,
            &mut len,
        );
        assert_eq!(r, SqlReturn::SUCCESS_WITH_INFO, "a cut message");
        assert_eq!(String::from_utf16(&state[..5]).unwrap(), "HY000");
        assert_eq!(String::from_utf16(&msg[..7]).unwrap(), "[pgtc][");
        assert_eq!(msg[7], 0);
        assert!(len as usize > 7);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::SUCCESS);
    }
}

#[test]
fn info_and_functions_without_a_server() {
    unsafe {
        let e = env3();
        let mut d: H = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
            SqlReturn::SUCCESS
        );
        let mut buf = [0u8; 16];
        let mut len = 0i16;
        assert_eq!(
            SQLGetInfo(d, 77, buf.as_mut_ptr().cast(), 16, &mut len),
            SqlReturn::SUCCESS
        );
        assert_eq!(&buf[..len as usize], b"03.51");
        assert_eq!(
            SQLGetInfo(d, 17, buf.as_mut_ptr().cast(), 4, &mut len),
            SqlReturn::SUCCESS_WITH_INFO
        );
        assert_eq!(&buf[..4], b"Pos\0");
        assert_eq!(len, 10);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "01004");
        let mut w = [0u16; 16];
        assert_eq!(
            SQLGetInfoW(d, 29, w.as_mut_ptr().cast(), 32, &mut len),
            SqlReturn::SUCCESS
        );
        assert_eq!((w[0], w[1], len), (u16::from(b'"'), 0, 2));
        assert_eq!(
            SQLGetInfo(d, 18, buf.as_mut_ptr().cast(), 16, &mut len),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "08003");
        assert_eq!(
            SQLGetInfo(d, 9999, buf.as_mut_ptr().cast(), 16, &mut len),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY096");
        let mut yes = 0u16;
        assert_eq!(SQLGetFunctions(d, 11, &mut yes), SqlReturn::SUCCESS);
        assert_eq!(yes, 1, "SQLExecDirect");
        assert_eq!(SQLGetFunctions(d, 19, &mut yes), SqlReturn::SUCCESS);
        assert_eq!(yes, 1, "SQLPrepare");
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::SUCCESS);
    }
}

#[test]
fn connection_attributes_before_connecting() {
    unsafe {
        let e = env3();
        let mut d: H = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
            SqlReturn::SUCCESS
        );
        let get_text = |attr: i32, wide: bool| -> (SqlReturn, String) {
            let mut buf = [0u8; 64];
            let mut len = 0i32;
            let r = if wide {
                SQLGetConnectAttrW(d, attr, buf.as_mut_ptr().cast(), 64, &mut len)
            } else {
                SQLGetConnectAttr(d, attr, buf.as_mut_ptr().cast(), 64, &mut len)
            };
            let s = if wide {
                let units: Vec<u16> = buf[..len.max(0) as usize]
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).unwrap()
            } else {
                String::from_utf8_lossy(&buf[..len.max(0) as usize]).into_owned()
            };
            (r, s)
        };
        // pgtc's attributes: defaults, then what was set, as strings.
        assert_eq!(
            get_text(0x4100, false),
            (SqlReturn::SUCCESS, "WRITE_MOSTLY".into())
        );
        let v = c"read mostly";
        assert_eq!(
            SQLSetConnectAttr(d, 0x4100, v.as_ptr() as H, -3),
            SqlReturn::SUCCESS
        );
        assert_eq!(
            get_text(0x4100, false),
            (SqlReturn::SUCCESS, "READ_MOSTLY".into())
        );
        let w: Vec<u16> = "SERIALIZABLE\0".encode_utf16().collect();
        assert_eq!(
            SQLSetConnectAttrW(d, 0x4102, w.as_ptr() as H, -3),
            SqlReturn::SUCCESS
        );
        assert_eq!(
            get_text(0x4102, true),
            (SqlReturn::SUCCESS, "SERIALIZABLE".into())
        );
        let mut iso = 0u32;
        assert_eq!(
            SQLGetConnectAttr(d, 108, (&mut iso as *mut u32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(iso, 8);
        // A bad value, an unknown number, a read-only fact.
        let bad = c"SOMETIMES";
        assert_eq!(
            SQLSetConnectAttr(d, 0x4100, bad.as_ptr() as H, -3),
            SqlReturn::ERROR
        );
        let (state, msg) = diag(SQL_HANDLE_DBC, d, 1).unwrap();
        assert_eq!(state, "HY024", "{}", msg);
        assert!(msg.contains("PREFERRED_ACCESS"), "{}", msg);
        assert_eq!(
            SQLSetConnectAttr(d, 0x41f0, bad.as_ptr() as H, -3),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY092");
        assert_eq!(
            SQLSetConnectAttr(d, 0x4180, bad.as_ptr() as H, -3),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY092");
        assert_eq!(get_text(0x4180, false).0, SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "08003");
        // ODBC's: isolation values, asynchronous execution, a NULL string.
        assert_eq!(SQLSetConnectAttr(d, 108, 3 as H, 0), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY024");
        assert_eq!(SQLSetConnectAttr(d, 108, 1 as H, 0), SqlReturn::SUCCESS);
        assert_eq!(
            SQLGetConnectAttr(d, 108, (&mut iso as *mut u32).cast(), 4, null_mut()),
            SqlReturn::SUCCESS
        );
        assert_eq!(iso, 2, "READ UNCOMMITTED is stored as READ COMMITTED");
        assert_eq!(SQLSetConnectAttr(d, 4, 1 as H, 0), SqlReturn::ERROR);
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HYC00");
        assert_eq!(
            SQLSetConnectAttr(d, 0x4100, null_mut(), -3),
            SqlReturn::ERROR
        );
        assert_eq!(diag(SQL_HANDLE_DBC, d, 1).unwrap().0, "HY009");
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, d), SqlReturn::SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, e), SqlReturn::SUCCESS);
    }
}
