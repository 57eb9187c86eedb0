//! B1-TLS and B6-TLS: B1's `SELECT 1` and B6's connect, both with
//! `sslmode=require`, pgtc against libpq (same sslmode, same servers), on a
//! pair of its own running with TLS (`pgtc-cluster create --tls`).

use crate::b1::{round, Libpq, Pgtc, Pinger, PqConn};
use crate::*;
use pgtc::ffi::conn::pgtc_conn_open;
use std::ffi::CString;
use std::ptr::null_mut;

/// A TLS pair, removed when dropped.
struct TlsPair {
    dir: String,
    conninfo: String,
    primary: String,
}

impl TlsPair {
    fn new() -> TlsPair {
        let dir = format!("/tmp/pgtc-bench-tls{}", std::process::id());
        let tool = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/pgtc-cluster");
        let out = std::process::Command::new(tool)
            .args(["create", "--tls", "--dir", &dir])
            .output()
            .expect("running tools/pgtc-cluster");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let conninfo = String::from_utf8(out.stdout).unwrap().trim().to_string();
        let env = std::fs::read_to_string(format!("{}/cluster.env", dir)).unwrap();
        let port = env
            .lines()
            .find_map(|l| l.strip_prefix("PGTC_PRIMARY_PORT="))
            .unwrap()
            .to_string();
        TlsPair {
            primary: format!(
                "host=127.0.0.1 port={} user=pgtc password=pgtc dbname=postgres sslmode=require",
                port
            ),
            conninfo: format!("{} sslmode=require", conninfo),
            dir,
        }
    }
}

impl Drop for TlsPair {
    fn drop(&mut self) {
        cluster(&self.dir, &["destroy"]);
    }
}

pub fn run() {
    let Some(libpq) = Libpq::load() else {
        println!("\n### B1-TLS, B6-TLS: skipped (no libpq.so.5 to compare with)");
        return;
    };
    let pair = TlsPair::new();
    b1_tls(libpq, &pair);
    b6_tls(libpq, &pair);
}

fn pq_connect(libpq: &'static Libpq, ci: &CString) -> PqConn {
    // SAFETY: PQconnectdb with a NUL-terminated conninfo; CONNECTION_OK is 0.
    let c = unsafe { (libpq.connectdb)(ci.as_ptr()) };
    assert_eq!(unsafe { (libpq.status)(c) }, 0, "libpq could not connect");
    PqConn(libpq, c)
}

fn pgtc_connect(ci: &CString) -> Pgtc {
    let mut c = null_mut();
    assert_eq!(
        pgtc_conn_open(ci.as_ptr(), &mut c, null_mut()),
        pgtc::Status::Ok
    );
    Pgtc(c)
}

fn b1_tls(libpq: &'static Libpq, pair: &TlsPair) {
    const N: usize = 2000;
    let pgtc_ci = CString::new(format!("{} PREFERRED_ACCESS=WRITE_MOSTLY", pair.conninfo)).unwrap();
    let pq_ci = CString::new(pair.primary.as_str()).unwrap();
    println!(
        "\n### B1-TLS: `SELECT 1` with sslmode=require, primary only ({} rounds × {} statements per thread, medians)\n",
        ROUNDS, N
    );
    println!("| threads | libpq sslmode=require (stmt/s) | pgtc sslmode=require (stmt/s) | pgtc / libpq |");
    println!("|---:|---:|---:|---:|");
    for threads in [1usize, 8] {
        let mut tc: Vec<Box<dyn Pinger>> = (0..threads)
            .map(|_| Box::new(pgtc_connect(&pgtc_ci)) as Box<dyn Pinger>)
            .collect();
        let mut pq: Vec<Box<dyn Pinger>> = (0..threads)
            .map(|_| Box::new(pq_connect(libpq, &pq_ci)) as Box<dyn Pinger>)
            .collect();
        let ops = N * threads;
        let (mut a, mut b) = (|| round(&mut pq, N), || round(&mut tc, N));
        let rates = alternate(&mut [("libpq", &mut a, ops), ("pgtc", &mut b, ops)]);
        println!(
            "| {} | {:.0} | {:.0} | {:.3} |",
            threads,
            rates[0],
            rates[1],
            rates[1] / rates[0]
        );
    }
}

fn b6_tls(libpq: &'static Libpq, pair: &TlsPair) {
    const N: usize = 20;
    // Steady state, as B6: the pair's monitor already runs.
    let _keep = pgtc::Session::open(&pair.conninfo).unwrap();
    let single = pair.primary.clone();
    let pq_ci = CString::new(pair.primary.as_str()).unwrap();
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..N {
            f();
        }
        t.elapsed()
    };
    let mut logical = || {
        time(&mut || {
            drop(std::hint::black_box(
                pgtc::Session::open(&pair.conninfo).unwrap(),
            ))
        })
    };
    let mut one =
        || time(&mut || drop(std::hint::black_box(pgtc::Session::open(&single).unwrap())));
    let mut pq = || time(&mut || drop(std::hint::black_box(pq_connect(libpq, &pq_ci))));
    let rates = alternate(&mut [
        ("pgtc logical", &mut logical, N),
        ("pgtc one server", &mut one, N),
        ("libpq", &mut pq, N),
    ]);
    let ms = |r: f64| 1000.0 / r;
    println!(
        "\n### B6-TLS connect with sslmode=require (SCRAM, TLS 1.3 over loopback; {} rounds × {} connections, medians)\n",
        ROUNDS, N
    );
    println!("| pgtc logical connection (primary + standby) | pgtc, one server | libpq, one connection | pgtc logical / libpq | pgtc one server / libpq |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {:.2} ms | {:.2} ms | {:.2} ms | {:.2}× | {:.2}× |",
        ms(rates[0]),
        ms(rates[1]),
        ms(rates[2]),
        rates[2] / rates[0],
        rates[2] / rates[1]
    );
}
