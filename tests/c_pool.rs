//! examples/pool.c — a pool shared by threads, pooled handles given back
//! both ways, the timeout, and the bad inputs (a foreign or unpooled
//! connection released, a pool freed with a connection out, POOL_MAX out
//! of range) — compiled as C with -Wall -Wextra -Werror against the
//! generated header and libpgtc.so, and run under valgrind (when
//! installed) against a real pair.

mod common;
use common::*;
use std::path::PathBuf;
use std::process::Command;

/// The directory of the newest libpgtc.so cargo built (`target/debug` or
/// `target/release`); `cargo test` itself builds no shared library.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.parent().unwrap().parent().unwrap().parent().unwrap();
    let newest = ["debug", "release"]
        .iter()
        .map(|p| target.join(p))
        .filter_map(|d| {
            let m = std::fs::metadata(d.join("libpgtc.so")).ok()?;
            Some((m.modified().ok()?, d))
        })
        .max_by_key(|(t, _)| *t);
    match newest {
        Some((_, d)) => d,
        None => panic!(
            "no libpgtc.so under {}: run `cargo build` (or `cargo build --release`) first",
            target.display()
        ),
    }
}

#[test]
fn the_pool_example_passes_under_valgrind() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = lib_dir();
    let out_dir = std::env::temp_dir().join(format!("pgtc-cpool-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join("pool");
    let cc = Command::new("cc")
        .args(["-Wall", "-Wextra", "-Werror", "-std=c11", "-pthread", "-o"])
        .arg(&exe)
        .arg(root.join("examples/pool.c"))
        .arg("-I")
        .arg(root.join("include"))
        .arg("-L")
        .arg(&lib)
        .arg("-lpgtc")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .output()
        .expect("running cc");
    assert!(
        cc.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&cc.stderr)
    );
    let c = Cluster::shared();
    let valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut cmd = if valgrind {
        let mut v = Command::new("valgrind");
        v.args([
            "-q",
            "--error-exitcode=3",
            "--leak-check=full",
            "--show-possibly-lost=no",
            "--errors-for-leak-kinds=definite",
        ]);
        v.arg(&exe);
        v
    } else {
        Command::new(&exe)
    };
    let run = cmd.arg(&c.conninfo).output().unwrap();
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        run.status.success(),
        "the C program failed ({:?}):\n{}{}",
        run.status,
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("all checks passed"));
}
