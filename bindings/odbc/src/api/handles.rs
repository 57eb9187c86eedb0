//! Allocating and freeing handles; SQLFreeStmt.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

unsafe fn alloc(kind: SmallInt, input: H, output: *mut H) -> SqlReturn {
    guard(|| match kind {
        SQL_HANDLE_ENV => {
            if output.is_null() {
                return SqlReturn::ERROR;
            }
            let e = Box::new(Env {
                st: Mutex::new(EnvState {
                    diags: Diags::default(),
                    odbc_version: 0,
                    conns: 0,
                }),
            });
            *output = handle::register(e, Kind::Env) as H;
            SqlReturn::SUCCESS
        }
        SQL_HANDLE_DBC => {
            let Some(e) = env(input) else {
                return SqlReturn::INVALID_HANDLE;
            };
            let mut st = lock(&e.st);
            st.diags.clear();
            let r = if output.is_null() {
                err("HY009", "the output handle pointer is NULL")
            } else if st.odbc_version == 0 {
                err(
                    "HY010",
                    "SQL_ATTR_ODBC_VERSION is not set on the environment",
                )
            } else {
                let d = Box::new(Dbc {
                    env: input as usize,
                    st: Mutex::new(DbcState {
                        diags: Diags::default(),
                        session: None,
                        dsn: String::new(),
                        autocommit: true,
                        read_only: false,
                        login_timeout: 0,
                        stmts: Vec::new(),
                        dbms_ver: None,
                        fetch: crate::run::DEFAULT_FETCH,
                        conn: Default::default(),
                    }),
                    shared: Default::default(),
                });
                *output = handle::register(d, Kind::Dbc) as H;
                st.conns += 1;
                Ok(SqlReturn::SUCCESS)
            };
            finish(&mut st.diags, r)
        }
        SQL_HANDLE_STMT => on_dbc(input, |d, st| {
            if output.is_null() {
                return err("HY009", "the output handle pointer is NULL");
            }
            if st.session.is_none() {
                return err("08003", "connection not open");
            }
            let s = Box::new(Stmt {
                dbc: input as usize,
                conn: d.shared.clone(),
                st: Mutex::new(StmtState {
                    type_options: st.conn.options,
                    ..Default::default()
                }),
            });
            let p = handle::register(s, Kind::Stmt);
            st.stmts.push(p);
            *output = p as H;
            Ok(SqlReturn::SUCCESS)
        }),
        SQL_HANDLE_DESC => on_dbc(input, |_, st| {
            if output.is_null() {
                return err("HY009", "the output handle pointer is NULL");
            }
            if st.session.is_none() {
                return err("08003", "connection not open");
            }
            *output = desc::alloc_explicit(input as usize) as H;
            Ok(SqlReturn::SUCCESS)
        }),
        _ => match handle::kind_of(input) {
            Some(Kind::Env) => on_env(input, |_| {
                err("HY092", format!("invalid handle type {}", kind))
            }),
            Some(Kind::Dbc) => on_dbc(input, |_, _| {
                err("HY092", format!("invalid handle type {}", kind))
            }),
            _ => SqlReturn::INVALID_HANDLE,
        },
    })
}

/// Closes the statement's stream on the server now, when its connection
/// is open (dropping it would close it with the connection's next request).
unsafe fn close_stream_now(s: &Stmt, st: &mut StmtState) {
    if st.stream.is_none() {
        return;
    }
    if let Some(session) = dbc(s.dbc as H).and_then(|d| lock(&d.st).session.clone()) {
        // Only a broken connection fails, and it has no stream left.
        let _ = st.close_stream(&mut lock(&session));
    }
}

unsafe fn free_stmt_handle(h: H) -> SqlReturn {
    guard(|| {
        let Some(s) = stmt(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        close_stream_now(s, &mut lock(&s.st));
        if let Some(d) = dbc(s.dbc as H) {
            lock(&d.st).stmts.retain(|&p| p != h as usize);
        }
        desc::free_implicit(h, &mut lock(&s.st));
        handle::unregister::<Stmt>(h as usize, Kind::Stmt);
        SqlReturn::SUCCESS
    })
}

unsafe fn free(kind: SmallInt, h: H) -> SqlReturn {
    match kind {
        SQL_HANDLE_ENV => guard(|| {
            let Some(e) = env(h) else {
                return SqlReturn::INVALID_HANDLE;
            };
            {
                let mut st = lock(&e.st);
                st.diags.clear();
                if st.conns > 0 {
                    st.diags
                        .push("HY010", "the environment still has connections");
                    return SqlReturn::ERROR;
                }
            }
            handle::unregister::<Env>(h as usize, Kind::Env);
            SqlReturn::SUCCESS
        }),
        SQL_HANDLE_DBC => guard(|| {
            let Some(d) = dbc(h) else {
                return SqlReturn::INVALID_HANDLE;
            };
            {
                let mut st = lock(&d.st);
                st.diags.clear();
                if st.session.is_some() {
                    st.diags
                        .push("HY010", "the connection is open: call SQLDisconnect first");
                    return SqlReturn::ERROR;
                }
            }
            if let Some(e) = env(d.env as H) {
                let mut est = lock(&e.st);
                est.conns = est.conns.saturating_sub(1);
            }
            handle::unregister::<Dbc>(h as usize, Kind::Dbc);
            SqlReturn::SUCCESS
        }),
        SQL_HANDLE_STMT => free_stmt_handle(h),
        SQL_HANDLE_DESC => desc::free_explicit(h),
        _ => SqlReturn::INVALID_HANDLE,
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocHandle(
    kind: SmallInt,
    input: H,
    output: *mut H,
) -> SqlReturn {
    alloc(kind, input, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeHandle(kind: SmallInt, h: H) -> SqlReturn {
    free(kind, h)
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocEnv(output: *mut H) -> SqlReturn {
    let r = alloc(SQL_HANDLE_ENV, std::ptr::null_mut(), output);
    if r == SqlReturn::SUCCESS {
        if let Some(e) = env(*output) {
            lock(&e.st).odbc_version = 2;
        }
    }
    r
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocConnect(e: H, output: *mut H) -> SqlReturn {
    alloc(SQL_HANDLE_DBC, e, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocStmt(d: H, output: *mut H) -> SqlReturn {
    alloc(SQL_HANDLE_STMT, d, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeEnv(e: H) -> SqlReturn {
    free(SQL_HANDLE_ENV, e)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeConnect(d: H) -> SqlReturn {
    free(SQL_HANDLE_DBC, d)
}

const SQL_CLOSE: USmallInt = 0;
const SQL_DROP: USmallInt = 1;
const SQL_UNBIND: USmallInt = 2;
const SQL_RESET_PARAMS: USmallInt = 3;

#[no_mangle]
pub unsafe extern "system" fn SQLFreeStmt(h: H, option: USmallInt) -> SqlReturn {
    if option == SQL_DROP {
        return free_stmt_handle(h);
    }
    on_stmt(h, |s, st| match option {
        SQL_CLOSE => {
            close_stream_now(s, st);
            st.close();
            Ok(SqlReturn::SUCCESS)
        }
        SQL_UNBIND => {
            st.cols.clear();
            Ok(SqlReturn::SUCCESS)
        }
        SQL_RESET_PARAMS => {
            st.params.clear();
            Ok(SqlReturn::SUCCESS)
        }
        _ => err("HY092", format!("invalid SQLFreeStmt option {}", option)),
    })
}
