//! B1 overhead: `SELECT 1`-class statements, 1 and 8 client threads, each
//! thread with a connection of its own: pgtc (WRITE_MOSTLY, through the C
//! ABI, as a C application calls it) vs the `postgres` crate vs libpq
//! (loaded at run time, so building the benchmarks needs no libpq-dev).

use crate::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::result::pgtc_result_free;
use std::ffi::{c_char, c_int, c_void, CString};
use std::hint::black_box;
use std::ptr::null_mut;

/// One connection that can run a trivial statement.
pub(crate) trait Pinger: Send {
    fn ping(&mut self);
}

struct PgCrate(postgres::Client);

impl Pinger for PgCrate {
    fn ping(&mut self) {
        black_box(self.0.simple_query("SELECT 1").unwrap());
    }
}

/// A pgtc connection; it may move between threads (one at a time).
pub(crate) struct Pgtc(pub(crate) *mut pgtc_conn);
// SAFETY: pgtc_conn may be used from any thread, one thread at a time.
unsafe impl Send for Pgtc {}

impl Pinger for Pgtc {
    fn ping(&mut self) {
        let mut r = null_mut();
        let st = pgtc_conn_exec(self.0, c"SELECT 1".as_ptr(), &mut r, null_mut());
        assert_eq!(st, pgtc::Status::Ok);
        pgtc_result_free(black_box(r));
    }
}

impl Drop for Pgtc {
    fn drop(&mut self) {
        pgtc_conn_free(self.0);
    }
}

pub(crate) type ConnectDb = unsafe extern "C" fn(*const c_char) -> *mut c_void;
pub(crate) type StatusFn = unsafe extern "C" fn(*const c_void) -> c_int;
type ErrorFn = unsafe extern "C" fn(*const c_void) -> *const c_char;
type ExecFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> *mut c_void;
type ExecParamsFn = unsafe extern "C" fn(
    *mut c_void,
    *const c_char,
    c_int,
    *const u32,
    *const *const c_char,
    *const c_int,
    *const c_int,
    c_int,
) -> *mut c_void;
type PrepareFn = unsafe extern "C" fn(
    *mut c_void,
    *const c_char,
    *const c_char,
    c_int,
    *const u32,
) -> *mut c_void;
type ExecPreparedFn = unsafe extern "C" fn(
    *mut c_void,
    *const c_char,
    c_int,
    *const *const c_char,
    *const c_int,
    *const c_int,
    c_int,
) -> *mut c_void;
pub(crate) type FreeFn = unsafe extern "C" fn(*mut c_void);

/// The libpq functions the benchmarks call, found with dlopen.
pub(crate) struct Libpq {
    pub(crate) connectdb: ConnectDb,
    pub(crate) status: StatusFn,
    pub(crate) error_message: ErrorFn,
    pub(crate) exec: ExecFn,
    pub(crate) exec_params: ExecParamsFn,
    pub(crate) prepare: PrepareFn,
    pub(crate) exec_prepared: ExecPreparedFn,
    pub(crate) result_status: StatusFn,
    pub(crate) ntuples: StatusFn,
    pub(crate) clear: FreeFn,
    pub(crate) finish: FreeFn,
}

impl Libpq {
    pub(crate) fn load() -> Option<&'static Libpq> {
        // SAFETY: dlopen/dlsym with NUL-terminated names; the symbols have
        // the C signatures of libpq-fe.h declared above.
        unsafe {
            let h = libc::dlopen(c"libpq.so.5".as_ptr(), libc::RTLD_NOW);
            if h.is_null() {
                return None;
            }
            let sym = |n: &std::ffi::CStr| {
                let p = libc::dlsym(h, n.as_ptr());
                assert!(!p.is_null(), "libpq lacks {:?}", n);
                p
            };
            use std::mem::transmute as t;
            Some(Box::leak(Box::new(Libpq {
                connectdb: t::<*mut c_void, ConnectDb>(sym(c"PQconnectdb")),
                status: t::<*mut c_void, StatusFn>(sym(c"PQstatus")),
                error_message: t::<*mut c_void, ErrorFn>(sym(c"PQerrorMessage")),
                exec: t::<*mut c_void, ExecFn>(sym(c"PQexec")),
                exec_params: t::<*mut c_void, ExecParamsFn>(sym(c"PQexecParams")),
                prepare: t::<*mut c_void, PrepareFn>(sym(c"PQprepare")),
                exec_prepared: t::<*mut c_void, ExecPreparedFn>(sym(c"PQexecPrepared")),
                result_status: t::<*mut c_void, StatusFn>(sym(c"PQresultStatus")),
                ntuples: t::<*mut c_void, StatusFn>(sym(c"PQntuples")),
                clear: t::<*mut c_void, FreeFn>(sym(c"PQclear")),
                finish: t::<*mut c_void, FreeFn>(sym(c"PQfinish")),
            })))
        }
    }
}

pub(crate) struct PqConn(pub(crate) &'static Libpq, pub(crate) *mut c_void);
// SAFETY: a PGconn may be used from any thread, one thread at a time.
unsafe impl Send for PqConn {}

impl Pinger for PqConn {
    fn ping(&mut self) {
        // SAFETY: a live PGconn; PGRES_TUPLES_OK is 2.
        unsafe {
            let r = (self.0.exec)(self.1, c"SELECT 1".as_ptr());
            assert_eq!((self.0.result_status)(r), 2);
            (self.0.clear)(r);
        }
    }
}

impl Drop for PqConn {
    fn drop(&mut self) {
        // SAFETY: a live PGconn, finished once.
        unsafe { (self.0.finish)(self.1) }
    }
}

/// `n` statements on each connection, all threads at once.
pub(crate) fn round(conns: &mut [Box<dyn Pinger>], n: usize) -> Duration {
    let t = Instant::now();
    std::thread::scope(|s| {
        for c in conns.iter_mut() {
            s.spawn(move || {
                for _ in 0..n {
                    c.ping();
                }
            });
        }
    });
    t.elapsed()
}

pub fn run(ctx: &Ctx) {
    const N: usize = 2000;
    let libpq = Libpq::load();
    let pgtc_ci = CString::new(format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", ctx.conninfo)).unwrap();
    let primary = CString::new(ctx.primary.as_str()).unwrap();
    println!(
        "\n### B1 overhead: `SELECT 1`, primary only ({} rounds × {} statements per thread, medians)\n",
        ROUNDS, N
    );
    println!("| threads | postgres crate (stmt/s) | libpq (stmt/s) | pgtc (stmt/s) | pgtc / postgres crate | pgtc / libpq |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for threads in [1usize, 8] {
        let mut pg: Vec<Box<dyn Pinger>> = (0..threads)
            .map(|_| {
                Box::new(PgCrate(
                    postgres::Client::connect(&ctx.primary, postgres::NoTls).unwrap(),
                )) as Box<dyn Pinger>
            })
            .collect();
        let mut tc: Vec<Box<dyn Pinger>> = (0..threads)
            .map(|_| {
                let mut c = null_mut();
                assert_eq!(
                    pgtc_conn_open(pgtc_ci.as_ptr(), &mut c, null_mut()),
                    pgtc::Status::Ok
                );
                Box::new(Pgtc(c)) as Box<dyn Pinger>
            })
            .collect();
        let mut pq: Vec<Box<dyn Pinger>> = match libpq {
            Some(l) => (0..threads)
                .map(|_| {
                    // SAFETY: PQconnectdb with a NUL-terminated conninfo; CONNECTION_OK is 0.
                    let c = unsafe { (l.connectdb)(primary.as_ptr()) };
                    assert_eq!(unsafe { (l.status)(c) }, 0, "libpq could not connect");
                    Box::new(PqConn(l, c)) as Box<dyn Pinger>
                })
                .collect(),
            None => Vec::new(),
        };
        let ops = N * threads;
        let (mut a, mut b, mut c) = (
            || round(&mut pg, N),
            || round(&mut tc, N),
            || {
                if pq.is_empty() {
                    Duration::from_secs(1)
                } else {
                    round(&mut pq, N)
                }
            },
        );
        let rates = alternate(&mut [
            ("postgres crate", &mut a, ops),
            ("pgtc", &mut b, ops),
            ("libpq", &mut c, ops),
        ]);
        let libpq_rate = if libpq.is_some() {
            format!("{:.0}", rates[2])
        } else {
            "n/a (no libpq.so.5)".into()
        };
        let vs_libpq = if libpq.is_some() {
            format!("{:.3}", rates[1] / rates[2])
        } else {
            "n/a".into()
        };
        println!(
            "| {} | {:.0} | {} | {:.0} | {:.3} | {} |",
            threads,
            rates[0],
            libpq_rate,
            rates[1],
            rates[1] / rates[0],
            vs_libpq
        );
    }
}
