//! The catalog as sessions share it: function lookups of concurrent
//! sessions each take a catalog connection of their own instead of
//! queueing behind one.

mod common;

use common::*;
use std::sync::{Arc, Barrier};

#[test]
fn concurrent_function_lookups_use_connections_of_their_own() {
    const THREADS: usize = 8;
    let c = Cluster::new(0);
    let mut admin = c.direct(true);
    for i in 0..THREADS {
        admin
            .batch_execute(&format!(
                "CREATE FUNCTION cat_f{}() RETURNS int LANGUAGE sql STABLE AS 'SELECT {}'",
                i, i
            ))
            .unwrap();
    }
    // The standby must have the functions before reads of them reach it.
    c.wait_replayed();
    let conninfo = format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo);
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (conninfo, start) = (conninfo.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut s = pgtc::Session::open(&conninfo).expect("open");
                start.wait();
                // Headed for the standby (the hint), so each read needs a
                // lookup of its function first.
                let r = exec(&mut s, &format!("/* pgtc:standby */ SELECT cat_f{}()", i));
                assert_eq!(r.value(0, 0), Some(i.to_string().as_str()));
                s
            })
        })
        .collect();
    // Keep the sessions (and so their catalog) open while counting.
    let _sessions: Vec<_> = threads
        .into_iter()
        .map(|t| t.join().expect("session thread"))
        .collect();
    let n: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtc catalog'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        n >= 2,
        "{} lookups at once used {} catalog connection(s): they queued behind one",
        THREADS,
        n
    );
}
