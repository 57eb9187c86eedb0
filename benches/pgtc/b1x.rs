//! B1-extended: `SELECT $1::int` through the extended protocol, 1 thread,
//! primary only. pgtc_conn_exec_params through the statement cache and
//! pgtc_stmt_exec against a statement the `postgres` crate prepared once
//! (and, for reference, pgtc_conn_exec_params with STATEMENT_CACHE=0,
//! which parses every time as libpq's PQexecParams does); then the round
//! trips and Parse messages one execution costs, counted by the session.

use crate::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::result::pgtc_result_free;
use pgtc::ffi::stmt::*;
use pgtc::session::Values;
use pgtc::{Server, Session};
use std::ffi::CString;
use std::hint::black_box;
use std::ptr::null_mut;

const SQL: &std::ffi::CStr = c"SELECT $1::int";

fn open(conninfo: &str) -> *mut pgtc_conn {
    let ci = CString::new(conninfo).unwrap();
    let mut conn = null_mut();
    assert_eq!(
        pgtc_conn_open(ci.as_ptr(), &mut conn, null_mut()),
        pgtc::Status::Ok
    );
    conn
}

pub fn run(ctx: &Ctx) {
    const N: usize = 3000;
    let mut pg = postgres::Client::connect(&ctx.primary, postgres::NoTls).unwrap();
    let pg_stmt = pg.prepare("SELECT $1::int").unwrap();
    let cached = open(&format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", ctx.conninfo));
    let uncached = open(&format!(
        "{} PREFERRED_ACCESS=WRITE_MOSTLY STATEMENT_CACHE=0",
        ctx.conninfo
    ));
    let prepared = open(&format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", ctx.conninfo));
    let mut stmt = null_mut();
    assert_eq!(
        pgtc_conn_prepare(
            prepared,
            SQL.as_ptr(),
            0,
            std::ptr::null(),
            &mut stmt,
            null_mut()
        ),
        pgtc::Status::Ok
    );
    let one = CString::new("1").unwrap();
    let params = [one.as_ptr()];
    let exec_params = |conn: *mut pgtc_conn| {
        let t = Instant::now();
        for _ in 0..N {
            let mut r = null_mut();
            let st =
                pgtc_conn_exec_params(conn, SQL.as_ptr(), 1, params.as_ptr(), &mut r, null_mut());
            assert_eq!(st, pgtc::Status::Ok);
            pgtc_result_free(black_box(r));
        }
        t.elapsed()
    };
    let mut pg_run = || {
        let t = Instant::now();
        for _ in 0..N {
            black_box(pg.query(&pg_stmt, &[&1i32]).unwrap());
        }
        t.elapsed()
    };
    let mut cached_run = || exec_params(cached);
    let mut uncached_run = || exec_params(uncached);
    let mut stmt_run = || {
        let t = Instant::now();
        for _ in 0..N {
            let mut r = null_mut();
            let st = pgtc_stmt_exec(stmt, 1, params.as_ptr(), &mut r, null_mut());
            assert_eq!(st, pgtc::Status::Ok);
            pgtc_result_free(black_box(r));
        }
        t.elapsed()
    };
    let rates = alternate(&mut [
        ("postgres crate, prepared once", &mut pg_run, N),
        ("pgtc_conn_exec_params, cached", &mut cached_run, N),
        ("pgtc_stmt_exec", &mut stmt_run, N),
        (
            "pgtc_conn_exec_params, STATEMENT_CACHE=0",
            &mut uncached_run,
            N,
        ),
    ]);
    pgtc_stmt_free(stmt);
    for c in [cached, uncached, prepared] {
        pgtc_conn_free(c);
    }
    println!(
        "\n### B1-extended: `SELECT $1::int`, 1 thread, primary only ({} rounds × {} executions, medians)\n",
        ROUNDS, N
    );
    println!("| postgres crate, prepared once (stmt/s) | exec_params, cached (stmt/s) | pgtc_stmt_exec (stmt/s) | exec_params, STATEMENT_CACHE=0 (stmt/s) | cached / postgres | stmt / postgres | uncached / postgres |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {:.0} | {:.0} | {:.0} | {:.0} | {:.3} | {:.3} | {:.3} |",
        rates[0],
        rates[1],
        rates[2],
        rates[3],
        rates[1] / rates[0],
        rates[2] / rates[0],
        rates[3] / rates[0]
    );
    round_trips(ctx);
}

/// Round trips and Parse messages per execution, counted by the session.
fn round_trips(ctx: &Ctx) {
    const K: u64 = 100;
    let mut s = Session::open(&format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", ctx.conninfo)).unwrap();
    let one = [Some("1")];
    let stmt = s.prepare("SELECT $1::int + 1", &[]).unwrap();
    let count = |s: &mut Session, f: &dyn Fn(&mut Session)| {
        let before = (s.round_trips(), s.parses(Server::Primary));
        for _ in 0..K {
            f(s);
        }
        (
            (s.round_trips() - before.0) as f64 / K as f64,
            s.parses(Server::Primary) - before.1,
        )
    };
    let cached = count(&mut s, &|s| {
        s.exec("SELECT $1::int", Some(&one)).unwrap();
    });
    let prepared = count(&mut s, &|s| {
        s.exec_prepared(&stmt, Values::Text(&one), &[]).unwrap();
    });
    println!();
    println!(
        "| {} executions each | round trips per execution | Parse messages sent |",
        K
    );
    println!("|---|---:|---:|");
    println!(
        "| exec_params, cached (first one prepares) | {:.2} | {} |",
        cached.0, cached.1
    );
    println!(
        "| pgtc_stmt_exec (prepared before) | {:.2} | {} |",
        prepared.0, prepared.1
    );
}
