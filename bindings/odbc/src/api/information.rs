//! SQLGetFunctions and SQLGetInfo.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

#[no_mangle]
pub unsafe extern "system" fn SQLGetFunctions(
    h: H,
    id: USmallInt,
    supported: *mut USmallInt,
) -> SqlReturn {
    on_dbc(h, |_, _| {
        if supported.is_null() {
            return err("HY009", "the output pointer is NULL");
        }
        match id {
            info::SQL_API_ODBC3_ALL_FUNCTIONS => {
                let map = info::functions_bitmap();
                std::ptr::copy_nonoverlapping(map.as_ptr(), supported, map.len());
            }
            info::SQL_API_ALL_FUNCTIONS => {
                let list = info::functions_list();
                std::ptr::copy_nonoverlapping(list.as_ptr(), supported, list.len());
            }
            _ => *supported = info::supports(id) as USmallInt,
        }
        Ok(SqlReturn::SUCCESS)
    })
}

unsafe fn get_info(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| {
        match info::get_info(st, kind)? {
            info::Info::Text(s) => {
                let n = put_bytes(&mut st.diags, &s, wide, value, cap as isize);
                out(len, small(n));
            }
            info::Info::U16(v) => {
                out(value.cast::<u16>(), v);
                out(len, 2);
            }
            info::Info::U32(v) => {
                out(value.cast::<u32>(), v);
                out(len, 4);
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetInfo(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_info(h, kind, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetInfoW(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_info(h, kind, value, cap, len, true)
}
