//! B2 read scaling: a CPU-bound read (about 1 ms of server CPU) from 8
//! clients, with the primary pinned to one core and the standby to the
//! other (tools/bench pins the postmasters): pgtc READ_MOSTLY, which
//! spreads the reads over both servers, vs WRITE_MOSTLY, which runs them all
//! on the primary.

use crate::*;

struct Session(pgtc::Session);

impl Reader for Session {
    fn read(&mut self, sql: &str) {
        let r = self.0.exec(sql, None).unwrap();
        std::hint::black_box(r);
    }
}

/// CPU time this process has used (user + system), in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

pub fn run(ctx: &Ctx) {
    const THREADS: usize = 8;
    const ROUNDS_B2: usize = 5;
    let secs = Duration::from_secs(3);
    let open = |access: &str| {
        let ci = format!("{} PREFERRED_ACCESS={}", ctx.conninfo, access);
        move || Box::new(Session(pgtc::Session::open(&ci).unwrap())) as Box<dyn Reader>
    };
    let (read_mostly, write_mostly) = (open("READ_MOSTLY"), open("WRITE_MOSTLY"));
    let (mut rm, mut wm) = (Vec::new(), Vec::new());
    let cpu_before = cpu_seconds();
    let wall = Instant::now();
    for round in 0..ROUNDS_B2 {
        let one =
            |f: &(dyn Fn() -> Box<dyn Reader> + Sync)| run_readers(THREADS, secs, CPU_READ, f);
        if round % 2 == 0 {
            rm.push(one(&read_mostly));
            wm.push(one(&write_mostly));
        } else {
            wm.push(one(&write_mostly));
            rm.push(one(&read_mostly));
        }
    }
    // How much of the machine's two cores the clients (and pgtc's monitor)
    // used: what the servers could not.
    let client_cores = (cpu_seconds() - cpu_before) / wall.elapsed().as_secs_f64();
    let med = |v: &[Run], f: fn(&Run) -> f64| median(v.iter().map(f).collect());
    let (rm_rate, wm_rate) = (med(&rm, |r| r.per_second), med(&wm, |r| r.per_second));
    println!(
        "\n### B2 read scaling: `{}` from {} clients, servers pinned to a core each ({} rounds × {} s, medians)\n",
        CPU_READ,
        THREADS,
        ROUNDS_B2,
        secs.as_secs()
    );
    println!("| | reads/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| pgtc WRITE_MOSTLY (primary only) | {:.0} | {:.2} | {:.2} |",
        wm_rate,
        med(&wm, |r| r.p50_ms),
        med(&wm, |r| r.p99_ms)
    );
    println!(
        "| pgtc READ_MOSTLY (both servers) | {:.0} | {:.2} | {:.2} |",
        rm_rate,
        med(&rm, |r| r.p50_ms),
        med(&rm, |r| r.p99_ms)
    );
    println!(
        "| **READ_MOSTLY / WRITE_MOSTLY** | **{:.2}×** | | |",
        rm_rate / wm_rate
    );
    println!(
        "\nThe clients share the two cores with the servers: this process (8 clients and pgtc's monitor) used {:.2} cores on average during B2.",
        client_cores
    );
}
