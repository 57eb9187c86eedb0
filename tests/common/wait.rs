//! Waiting in tests: poll a real condition until a deadline, and fail
//! loudly when it never comes. No test sleeps a fixed time to "let things
//! settle"; it waits for the thing it needs.

use super::bounds::POLL;
use super::exec;
use pgtc::{ResultSet, Server, Session};
use std::fmt::Display;
use std::time::{Duration, Instant};

/// Calls `probe` every `POLL` until it returns `Ok`, and returns that
/// value. `probe` is called at least once, and once more at the deadline.
/// When `within` passes first, panics with what was awaited, how long it
/// waited and the probe's last answer (its `Err`: what it saw instead).
#[track_caller]
pub fn wait_for<T>(
    what: impl Display,
    within: Duration,
    mut probe: impl FnMut() -> Result<T, String>,
) -> T {
    let started = Instant::now();
    let mut tries = 0u32;
    loop {
        tries += 1;
        let last = match probe() {
            Ok(v) => return v,
            Err(last) => last,
        };
        let waited = started.elapsed();
        if waited >= within {
            panic!(
                "timed out after {:?} (limit {:?}, {} tries) waiting for {}; last seen: {}",
                waited, within, tries, what, last
            );
        }
        std::thread::sleep(POLL.min(within - waited));
    }
}

/// Runs `sql` until the `want` server serves it, and returns that result;
/// panics when `within` passes first.
#[track_caller]
pub fn until_on(s: &mut Session, sql: &str, want: Server, within: Duration) -> ResultSet {
    wait_for(
        format_args!("`{}` to be served by the {:?}", sql, want),
        within,
        || {
            let r = exec(s, sql);
            if r.server == Some(want) {
                Ok(r)
            } else {
                Err(format!("served by {:?}", r.server))
            }
        },
    )
}
