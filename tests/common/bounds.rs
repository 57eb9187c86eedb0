//! Every timing bound of the integration tests, in one place.
//!
//! Two kinds: limits on *waiting* (how long a poll may take before the wait
//! fails; generous, since a slow machine must not fail a correct test) and
//! bounds that *are* the contract under test ("reads reach a restarted
//! standby within 2 s"; as tight as pgtc promises). The windows at the end
//! are durations a test observes on purpose, not waits.

use std::time::Duration;

// ------------------------------------------------------------ waiting ---

/// Pause between two polls of a waited-for condition (`wait_for`).
pub const POLL: Duration = Duration::from_millis(20);

/// How long a standby may take to replay what a test wrote, and so how long
/// a read may take to be served by the standby again after a write, a pin
/// or a setting moved it to the primary.
pub const CATCH_UP: Duration = Duration::from_secs(10);

/// A call (a statement, `Session::open`) that has not returned after this
/// long is a hang, and the test fails instead of waiting for ever.
pub const HANG: Duration = Duration::from_secs(15);

/// After the stop, the load workers must all have returned within this
/// (each finishes at most one statement, which may be waiting on a fault).
pub const LOAD_STOP: Duration = Duration::from_secs(15);

/// Upper bound on a load run: workers stop by themselves after this even if
/// the test never stops them (the test waits for conditions well before).
pub const LOAD_RUN: Duration = Duration::from_secs(60);

/// Write→read-back cycles each load worker completes (with a read on the
/// standby) before a test injects its fault, so the fault meets running load.
pub const LOAD_WARM_CYCLES: u64 = 20;

// ------------------------------------------------ bounds under test ---

/// A standby killed and started again serves reads within this of accepting
/// connections (reconnect backoff never grows past it).
pub const STANDBY_BACK: Duration = Duration::from_secs(2);

/// A standby replaced by a fresh base backup serves reads within this of
/// the rebuild's end.
pub const REBUILT_STANDBY_BACK: Duration = Duration::from_secs(5);

/// After a failover, writes succeed on the promoted server within this of
/// the promotion; failures of the load are allowed only until then.
pub const FAILOVER_WRITES: Duration = Duration::from_secs(5);

/// After a primary restart, the load may see failures only until this long
/// after the restart's end.
pub const RESTART_FAILURES: Duration = Duration::from_secs(3);

/// Balanced reads move away from a server another process keeps busy within
/// this.
pub const BALANCE_MOVE: Duration = Duration::from_secs(1);

/// Connecting to a port nobody listens on (connect_timeout=2) fails within
/// this.
pub const REFUSED_WITHIN: Duration = Duration::from_secs(5);

/// `pg_sleep(2)` under `statement_timeout = 200` fails within this.
pub const STATEMENT_TIMEOUT_WITHIN: Duration = Duration::from_millis(1500);

/// With CONSISTENCY=WAIT against a standby 200 ms behind, a read served by
/// the standby took at least this (it waited for replay).
pub const WAITED_AT_LEAST: Duration = Duration::from_millis(100);

/// With CONSISTENCY_WAIT_MS=50 against a standby 500 ms behind, the read
/// falls back to the primary after between these two.
pub const FALLBACK_AFTER: (Duration, Duration) =
    (Duration::from_millis(40), Duration::from_millis(450));

// ------------------------------------------------ observation windows ---

/// How long a killed standby stays down while reads continue: long enough
/// that a reconnect backoff would have grown past `STANDBY_BACK`.
pub const STANDBY_OUTAGE: Duration = Duration::from_secs(4);

/// How long two primaries are kept side by side while sessions write.
pub const SPLIT_BRAIN: Duration = Duration::from_secs(5);

/// How long reads are watched for one going to the primary with
/// PRIMARY_SHARE=0 while the standby is busy.
pub const PRIMARY_SHARE_WATCH: Duration = Duration::from_secs(2);

/// The read-your-writes load: runs until each worker's cycle limit or this.
pub const CYCLES_RUN: Duration = Duration::from_secs(35);

/// ... and must have returned within this.
pub const CYCLES_JOIN: Duration = Duration::from_secs(60);

// ------------------------------------------------------------- pacing ---

/// Pause between the reads a test keeps issuing while the standby is down.
pub const OUTAGE_READ_PACE: Duration = Duration::from_millis(100);

/// Pause between two rounds of writes while two primaries run side by side.
pub const SPLIT_BRAIN_PACE: Duration = Duration::from_millis(200);

/// Pause between two sampled reads when a test counts where reads go.
pub const SAMPLE_PACE: Duration = Duration::from_millis(10);
