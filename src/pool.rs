//! Pools of logical connections (`Pool`): at most POOL_MAX sessions over
//! the same servers, POOL_MIN of them kept open by a maintenance thread, a
//! fair FIFO queue of acquirers that waits up to POOL_ACQUIRE_TIMEOUT_MS,
//! and every session reset on release (`Session::reset`: a rollback, and
//! `DISCARD ALL` only when the session may have changed state) so that the
//! next user gets it as if just opened. HikariCP's and psycopg_pool's
//! semantics are the model.
//!
//! Invariants, under the pool's lock: `total` counts every session open or
//! being opened (idle + in use + being opened + being looked after by the
//! maintenance thread) and never exceeds POOL_MAX; while acquirers wait,
//! no session is idle (a session that becomes idle goes to the oldest
//! waiter instead, so a newcomer never barges ahead of one that waits).
//! Connecting, resetting and closing happen outside the lock.

use crate::attr::Attributes;
use crate::conninfo::{self, Config};
use crate::error::{Error, Result, Status};
use crate::session::Session;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the maintenance thread looks at the idle sessions when
/// nothing wakes it.
const TICK: Duration = Duration::from_millis(100);
/// Pause before opening again after a connection attempt failed.
const RETRY: Duration = Duration::from_millis(500);
/// Least pause between two attempts of an idle session to reach a server
/// it lost again.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

/// A pool of logical connections. Cheap to clone (clones share the pool);
/// usable from any number of threads at once. The pool closes when the
/// last clone is dropped or `close` is called; sessions still in use then
/// stay usable and are closed when they are released.
#[derive(Clone)]
pub struct Pool(Arc<Handle>);

/// The pool's owners; closing the pool when the last one goes.
struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// A pool's figures at one moment (`Pool::stats`). `acquired`,
/// `timeouts`, `created`, `closed` and `resets` count since the pool
/// opened; `wait_ns` sums the nanoseconds acquirers spent waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// POOL_MAX.
    pub max: u64,
    /// POOL_MIN.
    pub min: u64,
    /// Logical connections open now (idle, in use, or being opened).
    pub total: u64,
    pub idle: u64,
    pub in_use: u64,
    /// Acquirers waiting now.
    pub waiting: u64,
    /// Sessions handed out.
    pub acquired: u64,
    /// Acquires that failed with `Status::PoolTimeout`.
    pub timeouts: u64,
    /// Sessions opened.
    pub created: u64,
    /// Sessions closed (retired, broken, failed resets, pool closed).
    pub closed: u64,
    /// Releases that cost round trips (a rollback or `DISCARD ALL`).
    pub resets: u64,
    pub wait_ns: u64,
}

/// The POOL_* attributes, checked.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max: usize,
    min: usize,
    acquire_timeout: Duration,
    max_lifetime: Option<Duration>,
    idle_timeout: Option<Duration>,
}

impl Limits {
    fn of(a: &Attributes) -> Result<Limits> {
        if a.pool_min > a.pool_max {
            return Err(Error::new(
                Status::InvalidAttributeValue,
                format!(
                    "invalid value {} for attribute POOL_MIN: it must not exceed POOL_MAX ({})",
                    a.pool_min, a.pool_max
                ),
            ));
        }
        let ms = |n: u32| (n > 0).then(|| Duration::from_millis(u64::from(n)));
        Ok(Limits {
            max: a.pool_max as usize,
            min: a.pool_min as usize,
            acquire_timeout: Duration::from_millis(u64::from(a.pool_acquire_timeout_ms)),
            max_lifetime: ms(a.pool_max_lifetime_ms),
            idle_timeout: ms(a.pool_idle_timeout_ms),
        })
    }
}

/// One session of the pool with its dates.
struct Entry {
    session: Session,
    /// When POOL_MAX_LIFETIME_MS has passed for it (None: no limit).
    retire_at: Option<Instant>,
    idle_since: Instant,
    /// When the maintenance thread last let it reach a lost server.
    reconnected: Instant,
}

impl Entry {
    /// A session opened just now, the `n`-th of its pool. As HikariCP
    /// does, each lifetime is shortened by up to 2.5 % (spread by `n`) so
    /// that sessions opened together are not all retired together.
    fn new(session: Session, limits: &Limits, n: u64) -> Entry {
        let now = Instant::now();
        let retire_at = limits.max_lifetime.map(|l| {
            let permille = (n.wrapping_mul(7919) % 26) as u32;
            now + l - l * permille / 1000
        });
        Entry {
            session,
            retire_at,
            idle_since: now,
            reconnected: now,
        }
    }
}

/// An acquirer waiting in the queue.
struct Waiter {
    id: u64,
    cv: Arc<Condvar>,
}

#[derive(Default)]
struct State {
    /// Most recently released last (handed out first: the others age and
    /// are retired by the idle timeout).
    idle: Vec<Entry>,
    total: usize,
    in_use: usize,
    /// Sessions being opened (part of `total`).
    opening: usize,
    /// Oldest first.
    waiters: VecDeque<Waiter>,
    /// Sessions given to waiters that have not taken them yet.
    handed: HashMap<u64, Entry>,
    next_waiter: u64,
    closed: bool,
    /// No opening before this (after a failed attempt).
    retry_at: Option<Instant>,
}

#[derive(Default)]
struct Counts {
    acquired: AtomicU64,
    timeouts: AtomicU64,
    created: AtomicU64,
    closed: AtomicU64,
    resets: AtomicU64,
    wait_ns: AtomicU64,
}

struct Shared {
    cfg: Config,
    limits: Limits,
    state: Mutex<State>,
    /// Wakes the maintenance thread.
    wake: Condvar,
    n: Counts,
}

impl Pool {
    /// Parse the connection string (servers, session attributes and the
    /// POOL_* attributes) and open the pool: one session at once, so that
    /// a connection string that cannot connect fails here, and the rest up
    /// to POOL_MIN in the background.
    pub fn open(conninfo: &str) -> Result<Pool> {
        let cfg = conninfo::parse(conninfo)?;
        Pool::with_config(cfg)
    }

    /// `open` with a parsed configuration.
    pub fn with_config(cfg: Config) -> Result<Pool> {
        let limits = Limits::of(&cfg.attrs)?;
        let first = Session::connect(cfg.clone())?;
        let shared = Arc::new(Shared {
            cfg,
            limits,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            n: Counts::default(),
        });
        let n = shared.n.created.fetch_add(1, Ordering::Relaxed);
        {
            let mut st = shared.state.lock();
            st.total = 1;
            st.idle.push(Entry::new(first, &limits, n));
        }
        let bg = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("pgtc-pool".into())
            .spawn(move || bg.maintain())
            .map_err(|e| {
                Error::new(
                    Status::Internal,
                    format!("cannot start the pool's thread: {}", e),
                )
            })?;
        shared.wake.notify_one();
        Ok(Pool(Arc::new(Handle(shared))))
    }

    /// A session for the caller alone until the `Pooled` is dropped (then
    /// it goes back to the pool). An idle session is handed out at once
    /// when no one waits; otherwise, while fewer than POOL_MAX are open, a
    /// new one is opened (by this thread, and handed to the oldest waiter);
    /// otherwise the caller waits in FIFO order for one to be released, up
    /// to POOL_ACQUIRE_TIMEOUT_MS, then fails with `Status::PoolTimeout`.
    /// A session whose connection to the primary is broken is never handed
    /// out. An error opening a new session is returned as it is.
    pub fn acquire(&self) -> Result<Pooled> {
        let sh = &self.0 .0;
        sh.acquire().map(|e| Pooled {
            entry: Some(e),
            pool: Arc::clone(sh),
        })
    }

    pub fn stats(&self) -> PoolStats {
        self.0 .0.stats()
    }

    /// The session attributes every session of the pool gets back on
    /// release (those of the connection string).
    pub fn attributes(&self) -> Attributes {
        self.0 .0.cfg.attrs
    }

    /// Close the pool: idle sessions are closed at once, waiters fail,
    /// later acquires fail; sessions in use stay usable and are closed when
    /// released. Dropping the last clone does the same.
    pub fn close(&self) {
        self.0 .0.close();
    }

    /// Whether `p` came from this pool (or one of its clones).
    pub fn owns(&self, p: &Pooled) -> bool {
        Arc::ptr_eq(&self.0 .0, &p.pool)
    }
}

/// A session acquired from a pool. It derefs to `Session`; dropping it
/// releases the session to its pool (rolled back and reset; closed instead
/// when it is broken, too old, or its pool is closed).
pub struct Pooled {
    entry: Option<Entry>,
    pool: Arc<Shared>,
}

impl Pooled {
    /// Close the session instead of returning it to the pool.
    pub fn discard(mut self) {
        if let Some(e) = self.entry.take() {
            self.pool.retire(e, true);
        }
    }
}

impl Pooled {
    /// The session and the pool's hold on it, apart (the C ABI keeps the
    /// session in its connection handle). `Lease::release` puts them back
    /// together into the pool.
    pub(crate) fn into_parts(mut self) -> (Session, Lease) {
        let e = self.entry.take().expect("present until dropped");
        let lease = Lease {
            pool: Some(Arc::clone(&self.pool)),
            retire_at: e.retire_at,
            reconnected: e.reconnected,
        };
        (e.session, lease)
    }
}

/// A pool's hold on a session handed out, kept apart from the session
/// (`Pooled::into_parts`). Dropped without `release` or `discard`, the
/// pool counts the session as closed.
pub(crate) struct Lease {
    pool: Option<Arc<Shared>>,
    retire_at: Option<Instant>,
    reconnected: Instant,
}

impl Lease {
    fn entry(&self, session: Session) -> Entry {
        Entry {
            session,
            retire_at: self.retire_at,
            idle_since: Instant::now(),
            reconnected: self.reconnected,
        }
    }

    /// Give the session back to its pool, as dropping a `Pooled` does.
    pub(crate) fn release(mut self, session: Session) {
        let e = self.entry(session);
        if let Some(p) = self.pool.take() {
            p.release(e);
        }
    }

    /// Close the session instead (it cannot be trusted).
    pub(crate) fn discard(mut self, session: Session) {
        let e = self.entry(session);
        if let Some(p) = self.pool.take() {
            p.retire(e, true);
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(p) = self.pool.take() {
            let mut st = p.state.lock();
            st.total -= 1;
            st.in_use -= 1;
            drop(st);
            p.n.closed.fetch_add(1, Ordering::Relaxed);
            p.wake.notify_one();
        }
    }
}

impl Deref for Pooled {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.entry.as_ref().expect("present until dropped").session
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.entry.as_mut().expect("present until dropped").session
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(e) = self.entry.take() {
            self.pool.release(e);
        }
    }
}

impl Shared {
    fn acquire(&self) -> Result<Entry> {
        let started = Instant::now();
        // Idle sessions, while no one waits (a waiter would have got them).
        loop {
            let mut st = self.state.lock();
            if st.closed {
                return Err(pool_closed());
            }
            if !st.waiters.is_empty() {
                break;
            }
            let Some(mut e) = st.idle.pop() else { break };
            st.in_use += 1;
            drop(st);
            if self.fit(&mut e) {
                self.n.acquired.fetch_add(1, Ordering::Relaxed);
                return Ok(e);
            }
            self.retire(e, true);
        }
        // Queue, and open a session if the bound allows.
        let mut st = self.state.lock();
        if st.closed {
            return Err(pool_closed());
        }
        st.next_waiter += 1;
        let id = st.next_waiter;
        let cv = Arc::new(Condvar::new());
        st.waiters.push_back(Waiter {
            id,
            cv: Arc::clone(&cv),
        });
        let grow = st.total < self.limits.max && st.waiters.len() > st.opening;
        if grow {
            st.total += 1;
            st.opening += 1;
        }
        drop(st);
        if grow {
            if let Err(e) = self.open_one() {
                let mut st = self.state.lock();
                if let Some(got) = st.handed.remove(&id) {
                    // Served meanwhile: the error does not matter to us.
                    drop(st);
                    return Ok(self.served(got, started));
                }
                st.waiters.retain(|w| w.id != id);
                self.add_wait(started);
                return Err(e);
            }
        }
        let deadline = started + self.limits.acquire_timeout;
        let mut st = self.state.lock();
        loop {
            if let Some(got) = st.handed.remove(&id) {
                drop(st);
                return Ok(self.served(got, started));
            }
            if st.closed {
                st.waiters.retain(|w| w.id != id);
                return Err(pool_closed());
            }
            if cv.wait_until(&mut st, deadline).timed_out() {
                if let Some(got) = st.handed.remove(&id) {
                    drop(st);
                    return Ok(self.served(got, started));
                }
                st.waiters.retain(|w| w.id != id);
                let (in_use, waiting) = (st.in_use, st.waiters.len());
                drop(st);
                self.add_wait(started);
                self.n.timeouts.fetch_add(1, Ordering::Relaxed);
                return Err(Error::with_sqlstate(
                    Status::PoolTimeout,
                    format!(
                        "no pooled connection became free within {} ms (waited {} ms): \
                         the pool has POOL_MAX={} connections, {} in use, {} other acquirers waiting",
                        self.limits.acquire_timeout.as_millis(),
                        started.elapsed().as_millis(),
                        self.limits.max,
                        in_use,
                        waiting
                    ),
                    "53300",
                ));
            }
        }
    }

    /// A session handed to a waiter (already counted in use).
    fn served(&self, e: Entry, started: Instant) -> Entry {
        self.add_wait(started);
        self.n.acquired.fetch_add(1, Ordering::Relaxed);
        e
    }

    fn add_wait(&self, started: Instant) {
        let ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.n.wait_ns.fetch_add(ns, Ordering::Relaxed);
    }

    /// Whether an idle session may be handed out: healthy (known without a
    /// request) and not past POOL_MAX_LIFETIME_MS.
    fn fit(&self, e: &mut Entry) -> bool {
        !self.expired(e) && e.session.idle_check()
    }

    fn expired(&self, e: &Entry) -> bool {
        e.retire_at.is_some_and(|t| Instant::now() >= t)
    }

    /// Open one session (already counted in `total` and `opening`) and
    /// hand it to the oldest waiter, else make it idle.
    fn open_one(&self) -> Result<()> {
        let r = Session::connect(self.cfg.clone());
        let mut st = self.state.lock();
        st.opening -= 1;
        match r {
            Ok(s) => {
                let n = self.n.created.fetch_add(1, Ordering::Relaxed);
                st.retry_at = None;
                let left = self.deliver(&mut st, Entry::new(s, &self.limits, n));
                drop(st);
                if let Some(e) = left {
                    self.n.closed.fetch_add(1, Ordering::Relaxed);
                    drop(e);
                }
                Ok(())
            }
            Err(e) => {
                st.total -= 1;
                st.retry_at = Some(Instant::now() + RETRY);
                drop(st);
                log::warn!("the pool could not open a connection: {}", e);
                self.wake.notify_one();
                Err(e)
            }
        }
    }

    /// Under the lock: give a session to the oldest waiter (counted in
    /// use), else make it idle. A closed pool gives it back (no longer in
    /// `total`) for the caller to close outside the lock.
    fn deliver(&self, st: &mut State, mut e: Entry) -> Option<Entry> {
        if st.closed {
            st.total -= 1;
            return Some(e);
        }
        e.idle_since = Instant::now();
        match st.waiters.pop_front() {
            Some(w) => {
                st.in_use += 1;
                st.handed.insert(w.id, e);
                w.cv.notify_one();
            }
            None => st.idle.push(e),
        }
        None
    }

    /// A session in use comes back: reset and made idle (or handed on),
    /// or closed when it cannot be reused.
    fn release(&self, mut e: Entry) {
        let closed = self.state.lock().closed;
        let reusable = !closed && !self.expired(&e) && e.session.idle_check();
        if !reusable {
            return self.retire(e, true);
        }
        match e.session.reset(&self.cfg.attrs) {
            Ok(cost) => {
                if cost {
                    self.n.resets.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(err) => {
                log::warn!("resetting a pooled connection failed ({}); closing it", err);
                return self.retire(e, true);
            }
        }
        let mut st = self.state.lock();
        st.in_use -= 1;
        let left = self.deliver(&mut st, e);
        drop(st);
        if let Some(e) = left {
            self.n.closed.fetch_add(1, Ordering::Relaxed);
            drop(e);
        }
    }

    /// Close a session that was in use (`in_use`) or taken out by the
    /// maintenance thread, and let the maintenance thread open another if
    /// the pool needs one.
    fn retire(&self, e: Entry, in_use: bool) {
        {
            let mut st = self.state.lock();
            st.total -= 1;
            if in_use {
                st.in_use -= 1;
            }
        }
        self.n.closed.fetch_add(1, Ordering::Relaxed);
        self.wake.notify_one();
        drop(e);
    }

    fn stats(&self) -> PoolStats {
        let st = self.state.lock();
        let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
        PoolStats {
            max: self.limits.max as u64,
            min: self.limits.min as u64,
            total: st.total as u64,
            idle: st.idle.len() as u64,
            in_use: st.in_use as u64,
            waiting: st.waiters.len() as u64,
            acquired: n(&self.n.acquired),
            timeouts: n(&self.n.timeouts),
            created: n(&self.n.created),
            closed: n(&self.n.closed),
            resets: n(&self.n.resets),
            wait_ns: n(&self.n.wait_ns),
        }
    }

    fn close(&self) {
        let idle = {
            let mut st = self.state.lock();
            if st.closed {
                return;
            }
            st.closed = true;
            for w in &st.waiters {
                w.cv.notify_one();
            }
            let idle = std::mem::take(&mut st.idle);
            st.total -= idle.len();
            idle
        };
        self.wake.notify_all();
        self.n
            .closed
            .fetch_add(idle.len() as u64, Ordering::Relaxed);
        drop(idle);
    }

    /// The maintenance thread: retire idle sessions that are broken, too
    /// old (POOL_MAX_LIFETIME_MS) or idle too long above POOL_MIN
    /// (POOL_IDLE_TIMEOUT_MS); let idle sessions reach servers they lost;
    /// open sessions up to POOL_MIN and for waiters. Ends when the pool
    /// closes.
    fn maintain(self: Arc<Self>) {
        loop {
            let mut st = self.state.lock();
            if st.closed {
                return;
            }
            // Look at the idle sessions; those to close or to reconnect
            // leave the list (the latter stay in `total`).
            let now = Instant::now();
            let mut keep = Vec::with_capacity(st.idle.len());
            let mut close = Vec::new();
            let mut reconnect = Vec::new();
            let idle = std::mem::take(&mut st.idle);
            // Oldest idle first, so that the idle timeout retires those.
            for mut e in idle {
                let above_min = st.total - close.len() > self.limits.min;
                let idle_too_long = self
                    .limits
                    .idle_timeout
                    .is_some_and(|t| now.duration_since(e.idle_since) >= t);
                if self.expired(&e) || (above_min && idle_too_long) || !e.session.idle_check() {
                    close.push(e);
                } else if e.session.has_lost_server()
                    && now.duration_since(e.reconnected) >= RECONNECT_EVERY
                {
                    reconnect.push(e);
                } else {
                    keep.push(e);
                }
            }
            st.idle = keep;
            st.total -= close.len();
            // Open what the pool lacks, each in a thread of its own so that
            // one slow connect holds up no other.
            let mut opens = 0;
            let may_open = st.retry_at.is_none_or(|t| now >= t);
            while may_open
                && st.total < self.limits.max
                && (st.total < self.limits.min || st.waiters.len() > st.opening)
            {
                st.total += 1;
                st.opening += 1;
                opens += 1;
            }
            drop(st);
            self.n
                .closed
                .fetch_add(close.len() as u64, Ordering::Relaxed);
            drop(close);
            for _ in 0..opens {
                let me = Arc::clone(&self);
                let spawned = std::thread::Builder::new()
                    .name("pgtc-pool-open".into())
                    .spawn(move || {
                        let _ = me.open_one();
                    });
                if spawned.is_err() {
                    let mut st = self.state.lock();
                    st.total -= 1;
                    st.opening -= 1;
                }
            }
            for mut e in reconnect {
                e.session.reconnect_lost();
                e.reconnected = Instant::now();
                let mut st = self.state.lock();
                let left = self.deliver(&mut st, e);
                drop(st);
                if left.is_some() {
                    self.n.closed.fetch_add(1, Ordering::Relaxed);
                }
            }
            let mut st = self.state.lock();
            if st.closed {
                return;
            }
            self.wake.wait_for(&mut st, TICK);
        }
    }
}

fn pool_closed() -> Error {
    Error::new(Status::InvalidState, "the pool is closed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_are_shared_between_threads() {
        fn shared<T: Send + Sync + Clone>() {}
        fn sent<T: Send>() {}
        shared::<Pool>();
        sent::<Pooled>();
    }

    #[test]
    fn pool_min_above_pool_max_is_refused_naming_both() {
        let mut a = Attributes::default();
        assert_eq!(
            (a.pool_max, a.pool_min, a.pool_acquire_timeout_ms),
            (10, 1, 30_000)
        );
        assert_eq!(
            (a.pool_max_lifetime_ms, a.pool_idle_timeout_ms),
            (1_800_000, 600_000)
        );
        a.pool_min = 11;
        let e = Limits::of(&a).unwrap_err();
        assert_eq!(e.status, Status::InvalidAttributeValue);
        assert!(e.message.contains("POOL_MIN") && e.message.contains("POOL_MAX"));
        a.pool_min = 10;
        assert!(Limits::of(&a).is_ok());
    }
}
