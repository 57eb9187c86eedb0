//! B7 failover: time until reads use a returned standby again, and until
//! writes work after the standby was promoted (on pairs of its own).

use crate::*;

pub fn run() {
    const ROUNDS: usize = 3;
    let (mut standby_ms, mut promote_ms) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let dir = format!("/tmp/pgtc-b7-{}-{}", std::process::id(), round);
        let conninfo = new_pair(&dir);
        let rm = format!("{} PREFERRED_ACCESS=READ_MOSTLY", conninfo);
        let mut s = pgtc::Session::open(&rm).unwrap();
        s.exec("CREATE TABLE b7(x int)", None).unwrap();
        let on_standby = |s: &mut pgtc::Session| {
            s.exec("SELECT 1", None)
                .map(|r| r.server == Some(pgtc::Server::Secondary))
                .unwrap_or(false)
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !on_standby(&mut s) && Instant::now() < deadline {}
        // The standby goes away and comes back.
        cluster(&dir, &["kill", "standby"]);
        for _ in 0..20 {
            s.exec("SELECT 1", None).unwrap();
        }
        cluster(&dir, &["start", "standby"]);
        let t = Instant::now();
        while !on_standby(&mut s) && t.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(1));
        }
        standby_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        // The primary dies; the standby is promoted.
        cluster(&dir, &["kill", "primary"]);
        cluster(&dir, &["promote"]);
        let t = Instant::now();
        while s.exec("INSERT INTO b7 VALUES (1)", None).is_err()
            && t.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        promote_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(s);
        cluster(&dir, &["destroy"]);
    }
    println!(
        "\n### B7 failover ({} rounds, medians; timed from the cluster tool's command returning)\n",
        ROUNDS
    );
    println!("| reads use a returned standby again after | writes work after promotion after |");
    println!("|---:|---:|");
    println!(
        "| {:.0} ms | {:.0} ms |",
        median(standby_ms),
        median(promote_ms)
    );
}
