//! The catalog functions: SQLTables, SQLColumns, SQLPrimaryKeys,
//! SQLForeignKeys, SQLStatistics, SQLSpecialColumns, SQLProcedures,
//! SQLProcedureColumns, SQLTablePrivileges, SQLColumnPrivileges and
//! SQLGetTypeInfo, ANSI and wide. Each runs its query through the
//! session like any read (so pgtc routes it, with read-your-writes) and
//! leaves its result as the statement's current one, for SQLFetch,
//! SQLGetData, SQLDescribeCol and SQLBindCol as after SQLExecDirect.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;
use crate::catalog::{self, Plan};
use crate::run;
use pgtc::session::Values;

/// A name argument: its pointer and length (bytes, or characters for
/// the wide functions; SQL_NTS).
type Arg = (*const c_void, SmallInt);

unsafe fn args<const K: usize>(a: [Arg; K], wide: bool) -> Result<[Option<String>; K], E> {
    let mut out: [Option<String>; K] = std::array::from_fn(|_| None);
    for (i, (p, n)) in a.into_iter().enumerate() {
        out[i] = text_arg(p, n as isize, wide)?;
    }
    Ok(out)
}

/// Runs a catalog function's plan on the statement and makes its result
/// the current one.
unsafe fn run_plan(s: &Stmt, st: &mut StmtState, plan: Plan) -> R {
    if st.current().is_some_and(|r| r.cols() > 0) {
        return err("24000", "invalid cursor state: close the open cursor first");
    }
    let rs = match plan {
        Plan::Ready(rs) => rs,
        Plan::Query {
            sql,
            params,
            shape,
            rows,
        } => {
            let session = dbc(s.dbc as H)
                .and_then(|d| lock(&d.st).session.clone())
                .ok_or_else(|| E::Odbc("08003", "connection not open".into()))?;
            let values: Vec<Option<&str>> = params.iter().map(|p| Some(p.as_str())).collect();
            let types = vec![25u32; values.len()];
            let p = run::Params {
                types: &types,
                values: Values::Text(&values),
                formats: &[],
            };
            let mut session = lock(&session);
            let sql = if session.pinned() {
                catalog::own_temporary(&sql)
            } else {
                sql
            };
            let out = run::run(&mut session, run::What::Text(&sql), Some(p), 0);
            st.close();
            let out = out.map_err(E::Pg)?;
            catalog::reshape(&out.result, shape, rows)
        }
    };
    st.close();
    st.result = Some(rs);
    st.open = true;
    Ok(SqlReturn::SUCCESS)
}

/// The body every catalog entry point shares.
unsafe fn catalog_call(h: H, plan: impl FnOnce(bool) -> Result<Plan, E>) -> SqlReturn {
    on_stmt(h, |s, st| {
        let p = plan(st.attrs.metadata_id)?;
        run_plan(s, st, p)
    })
}

fn no_cat(cat: &Option<String>) -> Option<&str> {
    cat.as_deref()
}

unsafe fn tables(h: H, a: [Arg; 4], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t, ty] = args(a, wide)?;
        Ok(catalog::tables(
            no_cat(&c),
            s.as_deref(),
            t.as_deref(),
            ty.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLTables(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
    types: *const u8,
    types_len: SmallInt,
) -> SqlReturn {
    tables(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (types.cast(), types_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLTablesW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
    types: *const u16,
    types_len: SmallInt,
) -> SqlReturn {
    tables(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (types.cast(), types_len),
        ],
        true,
    )
}

unsafe fn columns(h: H, a: [Arg; 4], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t, col] = args(a, wide)?;
        Ok(catalog::columns(
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            col.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLColumns(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
    column: *const u8,
    column_len: SmallInt,
) -> SqlReturn {
    columns(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (column.cast(), column_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLColumnsW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
    column: *const u16,
    column_len: SmallInt,
) -> SqlReturn {
    columns(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (column.cast(), column_len),
        ],
        true,
    )
}

unsafe fn primary_keys(h: H, a: [Arg; 3], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t] = args(a, wide)?;
        Ok(catalog::primary_keys(
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLPrimaryKeys(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
) -> SqlReturn {
    primary_keys(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLPrimaryKeysW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
) -> SqlReturn {
    primary_keys(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        true,
    )
}

unsafe fn foreign_keys(h: H, a: [Arg; 6], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [pc, ps, pt, fc, fs, ft] = args(a, wide)?;
        Ok(catalog::foreign_keys(
            [pc.as_deref(), ps.as_deref(), pt.as_deref()],
            [fc.as_deref(), fs.as_deref(), ft.as_deref()],
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLForeignKeys(
    h: H,
    pk_cat: *const u8,
    pk_cat_len: SmallInt,
    pk_schema: *const u8,
    pk_schema_len: SmallInt,
    pk_table: *const u8,
    pk_table_len: SmallInt,
    fk_cat: *const u8,
    fk_cat_len: SmallInt,
    fk_schema: *const u8,
    fk_schema_len: SmallInt,
    fk_table: *const u8,
    fk_table_len: SmallInt,
) -> SqlReturn {
    foreign_keys(
        h,
        [
            (pk_cat.cast(), pk_cat_len),
            (pk_schema.cast(), pk_schema_len),
            (pk_table.cast(), pk_table_len),
            (fk_cat.cast(), fk_cat_len),
            (fk_schema.cast(), fk_schema_len),
            (fk_table.cast(), fk_table_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLForeignKeysW(
    h: H,
    pk_cat: *const u16,
    pk_cat_len: SmallInt,
    pk_schema: *const u16,
    pk_schema_len: SmallInt,
    pk_table: *const u16,
    pk_table_len: SmallInt,
    fk_cat: *const u16,
    fk_cat_len: SmallInt,
    fk_schema: *const u16,
    fk_schema_len: SmallInt,
    fk_table: *const u16,
    fk_table_len: SmallInt,
) -> SqlReturn {
    foreign_keys(
        h,
        [
            (pk_cat.cast(), pk_cat_len),
            (pk_schema.cast(), pk_schema_len),
            (pk_table.cast(), pk_table_len),
            (fk_cat.cast(), fk_cat_len),
            (fk_schema.cast(), fk_schema_len),
            (fk_table.cast(), fk_table_len),
        ],
        true,
    )
}

const SQL_INDEX_UNIQUE: USmallInt = 0;
const SQL_INDEX_ALL: USmallInt = 1;

unsafe fn statistics(h: H, a: [Arg; 3], unique: USmallInt, wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t] = args(a, wide)?;
        if unique != SQL_INDEX_UNIQUE && unique != SQL_INDEX_ALL {
            return err(
                "HY100",
                format!("uniqueness option {} out of range", unique),
            );
        }
        Ok(catalog::statistics(
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            unique == SQL_INDEX_UNIQUE,
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLStatistics(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
    unique: USmallInt,
    _reserved: USmallInt,
) -> SqlReturn {
    statistics(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        unique,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLStatisticsW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
    unique: USmallInt,
    _reserved: USmallInt,
) -> SqlReturn {
    statistics(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        unique,
        true,
    )
}

unsafe fn special_columns(
    h: H,
    id_type: USmallInt,
    a: [Arg; 3],
    scope: USmallInt,
    wide: bool,
) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t] = args(a, wide)?;
        Ok(catalog::special_columns(
            id_type as i16,
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            scope as i16,
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLSpecialColumns(
    h: H,
    id_type: USmallInt,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
    scope: USmallInt,
    _nullable: USmallInt,
) -> SqlReturn {
    special_columns(
        h,
        id_type,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        scope,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLSpecialColumnsW(
    h: H,
    id_type: USmallInt,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
    scope: USmallInt,
    _nullable: USmallInt,
) -> SqlReturn {
    special_columns(
        h,
        id_type,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        scope,
        true,
    )
}

unsafe fn procedures(h: H, a: [Arg; 3], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, p] = args(a, wide)?;
        Ok(catalog::procedures(
            c.as_deref(),
            s.as_deref(),
            p.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLProcedures(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    proc_name: *const u8,
    proc_len: SmallInt,
) -> SqlReturn {
    procedures(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (proc_name.cast(), proc_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLProceduresW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    proc_name: *const u16,
    proc_len: SmallInt,
) -> SqlReturn {
    procedures(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (proc_name.cast(), proc_len),
        ],
        true,
    )
}

unsafe fn procedure_columns(h: H, a: [Arg; 4], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, p, col] = args(a, wide)?;
        Ok(catalog::procedure_columns(
            c.as_deref(),
            s.as_deref(),
            p.as_deref(),
            col.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLProcedureColumns(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    proc_name: *const u8,
    proc_len: SmallInt,
    column: *const u8,
    column_len: SmallInt,
) -> SqlReturn {
    procedure_columns(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (proc_name.cast(), proc_len),
            (column.cast(), column_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLProcedureColumnsW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    proc_name: *const u16,
    proc_len: SmallInt,
    column: *const u16,
    column_len: SmallInt,
) -> SqlReturn {
    procedure_columns(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (proc_name.cast(), proc_len),
            (column.cast(), column_len),
        ],
        true,
    )
}

unsafe fn table_privileges(h: H, a: [Arg; 3], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t] = args(a, wide)?;
        Ok(catalog::table_privileges(
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLTablePrivileges(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
) -> SqlReturn {
    table_privileges(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLTablePrivilegesW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
) -> SqlReturn {
    table_privileges(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
        ],
        true,
    )
}

unsafe fn column_privileges(h: H, a: [Arg; 4], wide: bool) -> SqlReturn {
    catalog_call(h, |m| {
        let [c, s, t, col] = args(a, wide)?;
        Ok(catalog::column_privileges(
            c.as_deref(),
            s.as_deref(),
            t.as_deref(),
            col.as_deref(),
            m,
        )?)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLColumnPrivileges(
    h: H,
    cat: *const u8,
    cat_len: SmallInt,
    schema: *const u8,
    schema_len: SmallInt,
    table: *const u8,
    table_len: SmallInt,
    column: *const u8,
    column_len: SmallInt,
) -> SqlReturn {
    column_privileges(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (column.cast(), column_len),
        ],
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLColumnPrivilegesW(
    h: H,
    cat: *const u16,
    cat_len: SmallInt,
    schema: *const u16,
    schema_len: SmallInt,
    table: *const u16,
    table_len: SmallInt,
    column: *const u16,
    column_len: SmallInt,
) -> SqlReturn {
    column_privileges(
        h,
        [
            (cat.cast(), cat_len),
            (schema.cast(), schema_len),
            (table.cast(), table_len),
            (column.cast(), column_len),
        ],
        true,
    )
}

unsafe fn get_type_info(h: H, data_type: SmallInt) -> SqlReturn {
    catalog_call(h, |_| Ok(catalog::type_info(data_type)))
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetTypeInfo(h: H, data_type: SmallInt) -> SqlReturn {
    get_type_info(h, data_type)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetTypeInfoW(h: H, data_type: SmallInt) -> SqlReturn {
    get_type_info(h, data_type)
}
