//! Part of a test run in another process, as another application would:
//! the test binary runs itself again with one ignored test selected and
//! that test's inputs in the environment. The child prints `key=value`
//! lines for the parent to read.

use std::process::Command;

/// Set in the child's environment (to the test's name).
const MODE: &str = "PGTC_TEST_CHILD";

/// Run the ignored test `name` of this test binary in a child process
/// with `env`; its `key=value` lines. Panics with the child's output when
/// it failed.
pub fn run(name: &str, env: &[(&str, &str)]) -> Vec<(String, String)> {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MODE, name)
        .envs(env.iter().copied())
        .output()
        .expect("running the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the child process {} failed:\n{}\n{}",
        name,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        // The harness may print the test's name on the same line first.
        .filter_map(|l| l.find("child: ").map(|i| &l[i + "child: ".len()..]))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// In a child: the input `key`. `None` when this run is no child (the
/// ignored test was run by hand): the test then has nothing to do.
pub fn input(key: &str) -> Option<String> {
    std::env::var(MODE).ok()?;
    Some(std::env::var(key).unwrap_or_else(|_| panic!("{} is not set", key)))
}

/// In a child: report `key=value` to the parent.
pub fn report(key: &str, value: impl std::fmt::Display) {
    println!("child: {}={}", key, value);
}

/// The value the child reported for `key`.
pub fn value<'a>(lines: &'a [(String, String)], key: &str) -> &'a str {
    lines
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("the child reported no {}: {:?}", key, lines))
}

/// Milliseconds since the Unix epoch: a clock both processes read alike.
pub fn wall_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}
