//! B6 connect: the time to open a logical connection (two servers,
//! connected in parallel, each asked for its role) vs one plain connection
//! with the postgres crate. Steady state: another pgtc connection stays
//! open, so the process-wide monitor already runs (as in an application).

use crate::*;

pub fn run(ctx: &Ctx) {
    const N: usize = 20;
    let _keep = pgtc::Session::open(&ctx.conninfo).unwrap();
    let mut pgtc_ms = Vec::new();
    let mut plain_ms = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for _ in 0..N {
            drop(std::hint::black_box(
                pgtc::Session::open(&ctx.conninfo).unwrap(),
            ));
        }
        pgtc_ms.push(t.elapsed().as_secs_f64() * 1000.0 / N as f64);
        let t = Instant::now();
        for _ in 0..N {
            drop(std::hint::black_box(
                postgres::Client::connect(&ctx.primary, postgres::NoTls).unwrap(),
            ));
        }
        plain_ms.push(t.elapsed().as_secs_f64() * 1000.0 / N as f64);
    }
    let (p, c) = (median(pgtc_ms), median(plain_ms));
    println!(
        "\n### B6 connect (SCRAM over loopback; {} rounds × {} connections, medians)\n",
        ROUNDS, N
    );
    println!("| pgtc logical connection (primary + standby) | postgres crate, one connection | pgtc / plain |");
    println!("|---:|---:|---:|");
    println!("| {:.2} ms | {:.2} ms | {:.2}× |", p, c, p / c);
}
