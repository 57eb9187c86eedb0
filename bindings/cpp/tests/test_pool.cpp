// test_pool.cpp — tests of the C++ pool layer (pgtc_pool.hpp) against a real
// primary + hot standby pair.
//
//   test_pool CONNINFO
//
// bindings/cpp/test builds and runs this (under valgrind when installed).
// Prints "cpp pool: N passed, M failed"; exit status 1 on failure.

#include "pgtc_pool.hpp"

#include "check.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using pgtc::Pool;
using Lease = pgtc::Pool::Lease;

static_assert(!std::is_copy_constructible_v<Pool> && !std::is_copy_assignable_v<Pool>);
static_assert(!std::is_copy_constructible_v<Lease> && !std::is_copy_assignable_v<Lease>);
static_assert(std::is_nothrow_move_constructible_v<Pool> && std::is_nothrow_move_assignable_v<Pool>);
static_assert(std::is_nothrow_move_constructible_v<Lease> && std::is_nothrow_move_assignable_v<Lease>);

static std::string one(pgtc::Connection &c, const std::string &sql) {
    pgtc::Result r = c.exec(sql);
    return std::string(r.value(0, 0).value_or("(null)"));
}

// The status `fn` throws pgtc::Error with (PGTC_STATUS_OK when it does not),
// and its SQLSTATE and message.
static pgtc_status status_of(const std::function<void()> &fn, std::string *sqlstate = nullptr,
                             std::string *message = nullptr) {
    try {
        fn();
    } catch (const pgtc::Error &e) {
        if (sqlstate)
            *sqlstate = e.sqlstate();
        if (message)
            *message = e.what();
        return e.status();
    }
    return PGTC_STATUS_OK;
}

static void test_acquire_release(const std::string &conninfo) {
    Pool pool = Pool::open(conninfo + " POOL_MAX=2");
    CHECK(pool && pool.stats().max == 2 && pool.stats().in_use == 0);
    std::string pid;
    {
        Lease conn = pool.acquire();
        CHECK(conn && conn->connected() == pgtc::Server::Both);
        pid = one(*conn, "SELECT pg_backend_pid()");
        CHECK(conn->exec("SELECT $1::int + 1", 6).value(0, 0) == "7");
        CHECK(pool.stats().in_use == 1);
    }
    pgtc::PoolStats s = pool.stats();
    CHECK(s.in_use == 0 && s.idle == 1 && s.total == 1);
    {
        Lease again = pool.acquire();
        CHECK(one(*again, "SELECT pg_backend_pid()") == pid); // the idle one, lent again
        again.give_back();
        CHECK(!again && pool.stats().in_use == 0);
        CHECK(status_of([&] { again->exec("SELECT 1"); }) == PGTC_STATUS_NULL_ARGUMENT);
    } // an empty Lease gives nothing back
    s = pool.stats();
    CHECK(s.acquired == 2 && s.created == 1 && s.in_use == 0 && s.timeouts == 0);

    // Given back inside a transaction with a setting changed: the next
    // borrower gets a clean session.
    {
        Lease conn = pool.acquire();
        conn->exec("SET application_name = 'cpp_pool_dirty'");
        conn->exec("BEGIN");
        conn->exec("SELECT 1");
        CHECK(conn->in_transaction());
    }
    {
        Lease conn = pool.acquire();
        CHECK(!conn->in_transaction());
        CHECK(one(*conn, "SHOW application_name") != "cpp_pool_dirty");
    }

    CHECK(status_of([&] { Pool::open(conninfo + " POOL_MAX=0"); }) == PGTC_STATUS_INVALID_ATTRIBUTE_VALUE);
    CHECK(status_of([&] { Pool::open(conninfo + " POOL_MAX=many"); }) == PGTC_STATUS_INVALID_ATTRIBUTE_VALUE);
    CHECK(status_of([&] { Pool::open(std::string("POOL_MAX=1\0x", 12)); }) == PGTC_STATUS_INVALID_ARGUMENT);
    Pool empty;
    CHECK(status_of([&] { empty.acquire(); }) == PGTC_STATUS_NULL_ARGUMENT);
    CHECK(status_of([&] { empty.stats(); }) == PGTC_STATUS_NULL_ARGUMENT);
}

static void test_exhaustion(const std::string &conninfo) {
    Pool pool = Pool::open(conninfo + " POOL_MAX=2 POOL_ACQUIRE_TIMEOUT_MS=300");
    Lease a = pool.acquire();
    Lease b = pool.acquire();
    std::string sqlstate, message;
    CHECK(status_of([&] { Lease c = pool.acquire(); }, &sqlstate, &message) == PGTC_STATUS_POOL_TIMEOUT);
    CHECK(sqlstate == "53300");
    CHECK(message.find('2') != std::string::npos && message.find("300") != std::string::npos);
    if (message.find("300") == std::string::npos)
        std::fprintf(stderr, "  (message: %s)\n", message.c_str());
    CHECK(pool.stats().timeouts == 1 && pool.stats().in_use == 2);
    a.give_back();
    {
        Lease c = pool.acquire(); // the connection given back
        CHECK(one(*c, "SELECT 1") == "1");
    }

    // A waiter gets the connection another thread gives back.
    Pool one_conn = Pool::open(conninfo + " POOL_MAX=1 POOL_ACQUIRE_TIMEOUT_MS=20000");
    Lease held = one_conn.acquire();
    std::atomic<bool> served{false};
    std::thread waiter([&] {
        try {
            Lease c = one_conn.acquire();
            served = one(*c, "SELECT 1") == "1";
        } catch (const pgtc::Error &e) {
            std::fprintf(stderr, "waiter: %s\n", e.what());
        }
    });
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (one_conn.stats().waiting == 0 && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(one_conn.stats().waiting == 1);
    held.give_back();
    waiter.join();
    CHECK(served);
}

static Lease pass_through(Lease l) { return l; }

static void test_moves(const std::string &conninfo) {
    Pool pool = Pool::open(conninfo + " POOL_MAX=2");
    {
        Lease outer;
        CHECK(!outer);
        {
            Lease inner = pool.acquire();
            outer = std::move(inner);
            CHECK(!inner && outer); // NOLINT(bugprone-use-after-move): moved-from is empty
        } // the moved-from Lease gives nothing back
        CHECK(pool.stats().in_use == 1);
        CHECK(one(*outer, "SELECT 1") == "1");
        Lease through = pass_through(std::move(outer));
        CHECK(through && pool.stats().in_use == 1);
        Lease &self = through;
        through = std::move(self); // self-move keeps it
        CHECK(through && pool.stats().in_use == 1);
        // Assigning over a live Lease gives its connection back first.
        Lease other = pool.acquire();
        CHECK(pool.stats().in_use == 2);
        through = std::move(other);
        CHECK(pool.stats().in_use == 1);
    }
    pgtc::PoolStats s = pool.stats();
    CHECK(s.in_use == 0 && s.idle == s.total && s.total <= 2);
    CHECK(s.acquired == 2);

    // The Pool moves too; leases keep working across the move.
    Lease l = pool.acquire();
    Pool moved = std::move(pool);
    CHECK(!pool && moved); // NOLINT(bugprone-use-after-move)
    CHECK(one(*l, "SELECT 2") == "2");
    l.give_back();
    CHECK(moved.stats().in_use == 0);

    // A Connection moved out of a Lease is given back by pgtc_conn_free.
    {
        Lease taken = moved.acquire();
        pgtc::Connection c = std::move(*taken);
        CHECK(!taken && c && moved.stats().in_use == 1);
    }
    CHECK(moved.stats().in_use == 0);

    // A Lease that outlives its Pool stays usable, and is closed when it goes.
    Lease survivor;
    {
        Pool short_lived = Pool::open(conninfo + " POOL_MAX=1");
        survivor = short_lived.acquire();
    }
    CHECK(survivor && one(*survivor, "SELECT 3") == "3");
    survivor.give_back();
    CHECK(!survivor);
}

static void test_threads(const std::string &conninfo) {
    Pool pool = Pool::open(conninfo + " POOL_MAX=3 POOL_ACQUIRE_TIMEOUT_MS=60000");
    const int threads = 8, requests = 20;
    std::atomic<int> ok{0};
    std::vector<std::thread> all;
    for (int t = 0; t < threads; ++t) {
        all.emplace_back([&, t] {
            for (int i = 0; i < requests; ++i) {
                try {
                    Lease c = pool.acquire();
                    if (c->exec("SELECT $1::int", t * 1000 + i).value(0, 0) == std::to_string(t * 1000 + i))
                        ++ok;
                } catch (const pgtc::Error &e) {
                    std::fprintf(stderr, "thread %d: %s\n", t, e.what());
                }
            }
        });
    }
    for (auto &th : all)
        th.join();
    CHECK(ok == threads * requests);
    pgtc::PoolStats s = pool.stats();
    CHECK(s.total <= 3 && s.created <= 3 && s.in_use == 0);
    CHECK(s.acquired == static_cast<std::uint64_t>(threads * requests));
}

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    const std::string conninfo = std::string(argv[1]) + " PREFERRED_ACCESS=READ_MOSTLY";
    const std::pair<const char *, std::function<void()>> tests[] = {
        {"pool acquire and release", [&] { test_acquire_release(conninfo); }},
        {"pool exhaustion", [&] { test_exhaustion(conninfo); }},
        {"pool moves", [&] { test_moves(conninfo); }},
        {"pool threads", [&] { test_threads(conninfo); }},
    };
    return run_tests("cpp pool", tests);
}
