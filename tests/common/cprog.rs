//! C programs of pgtc's tests: compiled with -Wall -Wextra -Werror against
//! the generated header and libpgtc.so, and run under valgrind (when it is
//! installed) against a real pair.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The directory of the newest libpgtc.so cargo built: `target/debug`
/// (`cargo build`) or `target/release` (`cargo build --release`, as
/// tools/test does before the tests). `cargo test` itself links the tests
/// against the rlib and builds no shared library.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test>: up to target/.
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

/// Compile `source` (relative to the repository) with `flags` added, run
/// it with `args` (under valgrind when installed: any error or definite
/// leak fails it), and assert that it succeeded and printed "all checks
/// passed".
pub fn run_c_program(source: &str, flags: &[&str], args: &[&str]) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = lib_dir();
    let name = Path::new(source).file_stem().unwrap().to_string_lossy();
    let out_dir = std::env::temp_dir().join(format!("pgtc-c-{}-{}", name, std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(&*name);
    let cc = Command::new("cc")
        .args(["-Wall", "-Wextra", "-Werror", "-std=c11"])
        .args(flags)
        .arg("-o")
        .arg(&exe)
        .arg(root.join(source))
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
    let run: Output = cmd.args(args).output().unwrap();
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
