//! Environment attributes.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

const SQL_ATTR_ODBC_VERSION: Integer = 200;
const SQL_ATTR_CONNECTION_POOLING: Integer = 201;
const SQL_ATTR_CP_MATCH: Integer = 202;
const SQL_ATTR_OUTPUT_NTS: Integer = 10001;

#[no_mangle]
pub unsafe extern "system" fn SQLSetEnvAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    _len: Integer,
) -> SqlReturn {
    on_env(h, |st| {
        let v = value as usize as i64;
        match attr {
            SQL_ATTR_ODBC_VERSION => match v {
                2 | 3 | 380 => {
                    st.odbc_version = v as i32;
                    Ok(SqlReturn::SUCCESS)
                }
                _ => err("HY024", format!("invalid ODBC version {}", v)),
            },
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => Ok(SqlReturn::SUCCESS),
            SQL_ATTR_OUTPUT_NTS if v == 1 => Ok(SqlReturn::SUCCESS),
            SQL_ATTR_OUTPUT_NTS => err("HYC00", "strings are always NUL-terminated"),
            _ => err("HY092", format!("invalid environment attribute {}", attr)),
        }
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetEnvAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    _cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    on_env(h, |st| {
        let v: i32 = match attr {
            SQL_ATTR_ODBC_VERSION => st.odbc_version,
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => 0,
            SQL_ATTR_OUTPUT_NTS => 1,
            _ => return err("HY092", format!("invalid environment attribute {}", attr)),
        };
        out(value.cast::<i32>(), v);
        out(len, 4);
        Ok(SqlReturn::SUCCESS)
    })
}
