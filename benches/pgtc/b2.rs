//! B2 read scaling: a CPU-bound read (about 1 ms of server CPU) from 8
//! clients, with the primary pinned to one core and the standby to the
//! other (tools/bench pins the postmasters): pgtc READ_MOSTLY, which
//! spreads the reads over both servers, vs WRITE_MOSTLY, which runs them all
//! on the primary. `b2s`: the same over a primary and two standbys of their
//! own, pinned as the machine's cores allow (the output says how).

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
    compare(
        &ctx.conninfo,
        "servers pinned to a core each",
        "both servers",
    );
}

/// Pin the postmaster of `node` in the cluster at `dir`, and the processes
/// it has started, to `core` (backends forked later inherit it).
fn pin(dir: &str, node: &str, core: usize) -> bool {
    let Ok(pidfile) = std::fs::read_to_string(format!("{}/{}/postmaster.pid", dir, node)) else {
        return false;
    };
    let Some(pid) = pidfile.lines().next().map(str::trim).map(str::to_string) else {
        return false;
    };
    let kids = std::process::Command::new("pgrep")
        .args(["-P", &pid])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    std::iter::once(pid.as_str())
        .chain(kids.split_whitespace())
        .all(|p| {
            std::process::Command::new("taskset")
                .args(["-a", "-p", "-c", &core.to_string(), p])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// B2 over a primary and two standbys of its own.
pub fn run_standbys() {
    let dir = format!("/tmp/pgtc-b2s-{}", std::process::id());
    let tool = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/pgtc-cluster");
    let out = std::process::Command::new(tool)
        .args(["create", "--dir", &dir, "--standbys", "2"])
        .output()
        .expect("running tools/pgtc-cluster");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conninfo = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One core per server while there are cores; the standbys share the
    // last one otherwise.
    let plan: Vec<(&str, usize)> = ["primary", "standby", "standby2"]
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i.min(cores.saturating_sub(1))))
        .collect();
    let pinned = cores >= 2 && plan.iter().all(|(n, c)| pin(&dir, n, *c));
    let how = if pinned {
        plan.iter()
            .map(|(n, c)| format!("{} on core {}", n, c))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        "servers not pinned (one core, or taskset failed)".to_string()
    };
    compare(
        &conninfo,
        &format!("1 primary + 2 standbys, {} of {} cores", how, cores),
        "all three servers",
    );
    cluster(&dir, &["destroy"]);
}

/// READ_MOSTLY vs WRITE_MOSTLY over the servers of `conninfo`.
fn compare(conninfo: &str, setting: &str, spread: &str) {
    const THREADS: usize = 8;
    const ROUNDS_B2: usize = 5;
    let secs = Duration::from_secs(3);
    let open = |access: &str| {
        let ci = format!("{} PREFERRED_ACCESS={}", conninfo, access);
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
        "\n### B2 read scaling: `{}` from {} clients, {} ({} rounds × {} s, medians)\n",
        CPU_READ,
        THREADS,
        setting,
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
        "| pgtc READ_MOSTLY ({}) | {:.0} | {:.2} | {:.2} |",
        spread,
        rm_rate,
        med(&rm, |r| r.p50_ms),
        med(&rm, |r| r.p99_ms)
    );
    println!(
        "| **READ_MOSTLY / WRITE_MOSTLY** | **{:.2}×** | | |",
        rm_rate / wm_rate
    );
    println!(
        "\nThe clients share the machine's cores with the servers: this process (8 clients and pgtc's monitor) used {:.2} cores on average during B2.",
        client_cores
    );
}
