// pgtc_pool.hpp — pools of logical connections for the C++ binding: an RAII
// pgtc::Pool over pgtc_pool_open / pgtc_pool_free, and pgtc::Pool::Lease,
// which lends one pooled Connection and gives it back in its destructor.
// Header-only, C++17.
//
//   auto pool = pgtc::Pool::open(
//       "host=a,b port=5432,5432 user=app dbname=app PREFERRED_ACCESS=READ_MOSTLY POOL_MAX=8");
//   // in each request, on any thread:
//   {
//       pgtc::Pool::Lease conn = pool.acquire();   // waits up to POOL_ACQUIRE_TIMEOUT_MS
//       pgtc::Result r = conn->exec("SELECT name FROM users WHERE id = $1", 42);
//   }                                              // given back here
//
// The pool's attributes (POOL_MAX, POOL_MIN, POOL_ACQUIRE_TIMEOUT_MS,
// POOL_MAX_LIFETIME_MS, POOL_IDLE_TIMEOUT_MS) go in the connection string
// with the connections' own. When no connection comes free in time,
// acquire() throws pgtc::Error with PGTC_STATUS_POOL_TIMEOUT (SQLSTATE
// 53300); waiters are served first come, first served. A connection given
// back is rolled back if a transaction was open, and its session state is
// reset, by the library.
//
// Ownership
//   A Pool owns a pgtc_pool and frees it (pgtc_pool_free) in its destructor:
//   idle connections are closed; connections still lent stay usable and are
//   closed when given back. A Lease owns one lent connection and gives it
//   back (pgtc_pool_release) exactly once: in its destructor, or earlier
//   through give_back(). Both are move-only; moving leaves the source empty
//   (a moved-from Lease gives nothing back). A Lease may outlive its Pool:
//   its connection is then closed when it is given back (pgtc_pool_release
//   accepts the freed pool's pointer for that). Moving the Connection out
//   of a Lease (std::move(*lease)) takes the connection: the Connection's
//   destructor then frees it with pgtc_conn_free, which gives a pooled
//   connection back to its pool just as pgtc_pool_release does.
//
// Thread safety
//   A Pool may be used (acquire, stats) from any number of threads at once;
//   moving, assigning or destroying it must not overlap with any other use.
//   A Lease is like a Connection: it may move between threads but is used by
//   one thread at a time.
#ifndef PGTC_POOL_HPP
#define PGTC_POOL_HPP

#include "pgtc.hpp"

namespace pgtc {

/// A pool's figures at one moment (pgtc_pool_stats): max, min, total, idle,
/// in_use and waiting now; acquired, timeouts, created, closed and resets
/// since the pool opened; wait_ns, the nanoseconds acquirers spent waiting.
using PoolStats = pgtc_pool_stats;

/// A pool of logical connections (owns a pgtc_pool).
class Pool {
public:
    /// One connection lent by a Pool (see the top of this header). Use the
    /// Connection through -> or *; it goes back to the pool when the Lease
    /// is destroyed, assigned to, or give_back() is called.
    class Lease {
    public:
        Lease() noexcept = default;
        ~Lease() { give_back(); }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        Lease(Lease &&o) noexcept : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)) {}
        Lease &operator=(Lease &&o) noexcept {
            if (this != &o) {
                give_back();
                pool_ = std::exchange(o.pool_, nullptr);
                conn_ = std::move(o.conn_);
            }
            return *this;
        }

        /// The lent connection (an empty Connection when the Lease is empty:
        /// its fallible members throw PGTC_STATUS_NULL_ARGUMENT).
        Connection &operator*() noexcept { return conn_; }
        Connection *operator->() noexcept { return &conn_; }
        const Connection &operator*() const noexcept { return conn_; }
        const Connection *operator->() const noexcept { return &conn_; }

        /// Give the connection back now (pgtc_pool_release); the Lease is
        /// empty afterwards. Does nothing on an empty Lease.
        void give_back() noexcept {
            if (pgtc_conn *c = conn_.release())
                pgtc_pool_release(pool_, c);
            pool_ = nullptr;
        }

        /// True while the Lease holds a connection.
        explicit operator bool() const noexcept { return static_cast<bool>(conn_); }

    private:
        friend class Pool;
        Lease(pgtc_pool *pool, pgtc_conn *conn) noexcept : pool_(pool), conn_(conn) {}
        pgtc_pool *pool_ = nullptr;
        Connection conn_;
    };

    Pool() noexcept = default;
    /// Adopt a pgtc_pool (the Pool frees it).
    explicit Pool(pgtc_pool *handle) noexcept : h_(handle) {}
    ~Pool() { pgtc_pool_free(h_); }
    Pool(const Pool &) = delete;
    Pool &operator=(const Pool &) = delete;
    Pool(Pool &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    Pool &operator=(Pool &&o) noexcept {
        if (this != &o) {
            pgtc_pool_free(h_);
            h_ = std::exchange(o.h_, nullptr);
        }
        return *this;
    }

    /// Open a pool (pgtc_pool_open) over the servers of a connection string,
    /// as Connection::open takes it, plus the POOL_* attributes. A POOL_*
    /// value out of range throws PGTC_STATUS_INVALID_ATTRIBUTE_VALUE.
    static Pool open(const std::string &conninfo) {
        pgtc_pool *p = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_pool_open(detail::c_str(conninfo, "conninfo"), &p, &e);
        detail::check(st, e);
        return Pool(p);
    }

    /// Lend a connection (pgtc_pool_acquire): an idle one, a new one while
    /// the pool is below POOL_MAX, or the next one given back, waiting at
    /// most POOL_ACQUIRE_TIMEOUT_MS. Throws pgtc::Error: PGTC_STATUS_POOL_TIMEOUT
    /// when none came free in time, PGTC_STATUS_NULL_ARGUMENT on an empty
    /// Pool, connection errors as Connection::open reports them.
    Lease acquire() {
        pgtc_conn *c = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_pool_acquire(h_, &c, &e);
        detail::check(st, e);
        return Lease(h_, c);
    }

    /// A snapshot of the pool's statistics (pgtc_pool_get_stats). Throws
    /// PGTC_STATUS_NULL_ARGUMENT on an empty Pool.
    PoolStats stats() const {
        PoolStats s{};
        pgtc_status st = pgtc_pool_get_stats(h_, &s);
        detail::check(st, nullptr);
        return s;
    }

    /// The raw handle, still owned by this Pool (NULL when empty).
    pgtc_pool *get() const noexcept { return h_; }
    /// Give up ownership of the handle; the caller frees it.
    pgtc_pool *release() noexcept { return std::exchange(h_, nullptr); }
    /// True when the Pool holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    pgtc_pool *h_ = nullptr;
};

} // namespace pgtc

#endif // PGTC_POOL_HPP
