// test_pgtc.cpp — tests of the C++ binding (pgtc.hpp) against real
// primary + hot standby pairs.
//
//   test_pgtc CONNINFO DELAYED_CONNINFO
//
// CONNINFO is a pair without apply delay, DELAYED_CONNINFO one whose standby
// applies WAL 300 ms late (tools/pgtc-cluster create --delay 300); both as
// pgtc-cluster prints them (standby listed first). bindings/cpp/test builds
// and runs this. Prints "cpp: N passed, M failed"; exit status 1 on failure.

#include "pgtc.hpp"

#include "check.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>


// CHECK_THROWS(expr, ExceptionType, var, cond): expr throws ExceptionType
// (bound to var) and cond holds.
#define CHECK_THROWS(expr, Ex, var, cond)                                                \
    do {                                                                                 \
        bool threw_ = false;                                                             \
        try {                                                                            \
            (void)(expr);                                                                \
        } catch (const Ex &var) {                                                        \
            threw_ = true;                                                           \
            if (!(cond))                                                                 \
                std::fprintf(stderr, "  (%s: what=%s)\n", #Ex, var.what());              \
            CHECK(cond);                                                                 \
        }                                                                                \
        if (!threw_) {                                                                   \
            ++failed;                                                                    \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s did not throw %s\n", __FILE__, \
                         __LINE__, #expr, #Ex);                                          \
        }                                                                                \
    } while (0)

using pgtc::Connection;
using pgtc::Result;
using pgtc::Route;
using pgtc::Server;
using namespace std::chrono_literals;

static_assert(!std::is_copy_constructible_v<Connection> && !std::is_copy_assignable_v<Connection>);
static_assert(!std::is_copy_constructible_v<Result> && !std::is_copy_assignable_v<Result>);
static_assert(!std::is_copy_constructible_v<Route> && !std::is_copy_assignable_v<Route>);
static_assert(std::is_nothrow_move_constructible_v<Connection> &&
              std::is_nothrow_move_assignable_v<Connection>);
static_assert(std::is_nothrow_move_constructible_v<Result> &&
              std::is_nothrow_move_assignable_v<Result>);
static_assert(std::is_nothrow_move_constructible_v<Route> &&
              std::is_nothrow_move_assignable_v<Route>);
static_assert(std::is_base_of_v<std::runtime_error, pgtc::Error>);

static std::string s(std::optional<std::string_view> v) {
    return v ? std::string(*v) : std::string("<NULL>");
}

// Run `sql` until it is served by the standby (at most ~10 s); returns the
// last Result (check its server()).
static Result read_on_standby(Connection &conn, const std::string &sql) {
    Result r = conn.exec(sql);
    for (int i = 0; i < 500 && r.server() != Server::Secondary; i++) {
        std::this_thread::sleep_for(20ms);
        r = conn.exec(sql);
    }
    return r;
}

static bool wait_for_standby(Connection &conn, const std::string &sql) {
    return read_on_standby(conn, sql).server() == Server::Secondary;
}

static void test_open_and_basics(const std::string &conninfo) {
    std::cout << "pgtc " << pgtc::version() << "\n";
    Connection conn = Connection::open(conninfo);
    CHECK(static_cast<bool>(conn));
    CHECK(conn.connected() == Server::Both);
    CHECK(!conn.in_transaction());
    CHECK(!conn.pinned());
    CHECK(conn.lsn_floor() == "0/0");

    conn.exec("DROP TABLE IF EXISTS cpp_items");
    Result ddl = conn.exec("CREATE TABLE cpp_items (id int PRIMARY KEY, name text, note text)");
    CHECK(ddl.server() == Server::Primary);
    CHECK(ddl.command() == "CREATE TABLE");
    CHECK(ddl.rows() == 0 && ddl.cols() == 0);

    Result ins = conn.exec("INSERT INTO cpp_items VALUES (1, 'one', NULL), (2, 'two', 'x'), "
                           "(3, 'three', NULL)");
    CHECK(ins.server() == Server::Primary);
    CHECK(ins.affected() == 3);
    CHECK(ins.command() == "INSERT 0 3");
    CHECK(conn.lsn_floor() != "0/0");

    // The monitor measures the standby's replay lag in time.
    std::int64_t lag = conn.standby_lag_ms();
    for (int i = 0; lag < 0 && i < 300; i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        lag = conn.standby_lag_ms();
    }
    CHECK(lag >= 0);

    // Reads reach the standby once it has caught up.
    Result cnt = read_on_standby(conn, "SELECT count(*) AS n FROM cpp_items");
    CHECK(cnt.server() == Server::Secondary);
    CHECK(s(cnt.value(0, 0)) == "3");
    CHECK(cnt.column_name(0) == "n");
    CHECK(cnt.column_type(0) == 20); // int8

    // Shape, names, types, NULL → nullopt.
    Result r = conn.exec("SELECT 1 AS one, NULL::text AS nothing, 'x'::text AS x");
    CHECK(r.rows() == 1 && r.cols() == 3);
    CHECK(r.column_name(0) == "one" && r.column_name(1) == "nothing" && r.column_name(2) == "x");
    CHECK(r.column_type(0) == 23 && r.column_type(2) == 25);
    CHECK(r.value(0, 0) == std::optional<std::string_view>("1"));
    CHECK(!r.value(0, 1).has_value());
    CHECK(r.is_null(0, 1) && !r.is_null(0, 0));
    CHECK(s(r.value(0, 2)) == "x");
    CHECK(r.command() == "SELECT 1");
    CHECK(r.affected() == 1);
    CHECK_THROWS(r.value(1, 0), std::out_of_range, e, true);
    CHECK_THROWS(r.value(0, 3), std::out_of_range, e, true);
    CHECK_THROWS(r.column_name(3), std::out_of_range, e, true);
    CHECK_THROWS(r.column_type(9), std::out_of_range, e, true);
    CHECK_THROWS(r[0][3], std::out_of_range, e, true);

    // Range-for over rows.
    Result all = conn.exec("SELECT id, name, note FROM cpp_items ORDER BY id");
    CHECK(all.rows() == 3);
    int ids = 0, nulls = 0, n = 0;
    std::string names;
    for (pgtc::Row row : all) {
        CHECK(row.size() == 3);
        CHECK(row.index() == static_cast<std::size_t>(n));
        ids += std::stoi(std::string(*row[0]));
        names += std::string(row[1].value_or("?")) + ",";
        nulls += !row[2].has_value();
        n++;
    }
    CHECK(n == 3 && ids == 6 && nulls == 2);
    CHECK(names == "one,two,three,");
    CHECK(s(all[1][2]) == "x");
    CHECK(std::distance(all.begin(), all.end()) == 3);
    Result none = conn.exec("SELECT id FROM cpp_items WHERE false");
    int iterations = 0;
    for (auto row : none) {
        (void)row;
        iterations++;
    }
    CHECK(iterations == 0 && none.begin() == none.end());

    // Parameters: a vector with nullopt, and the variadic overload.
    Result p = conn.exec("SELECT $1::int * 2, $2::text IS NULL, $3::text",
                         Connection::Params{"21", std::nullopt, std::string("h\xc3\xa9llo")});
    CHECK(s(p.value(0, 0)) == "42");
    CHECK(s(p.value(0, 1)) == "t");
    CHECK(s(p.value(0, 2)) == "h\xc3\xa9llo");
    std::string owned = "two";
    std::string_view sv = "three";
    const char *null_cstr = nullptr;
    Result v = conn.exec("SELECT $1::int + $2::bigint, $3::text IS NULL, $4, $5, $6::bool, $7::text IS NULL, $8",
                         20, 22LL, std::nullopt, owned, sv, true, null_cstr,
                         std::optional<std::string>("opt"));
    CHECK(s(v.value(0, 0)) == "42");
    CHECK(s(v.value(0, 1)) == "t");
    CHECK(s(v.value(0, 2)) == "two" && s(v.value(0, 3)) == "three");
    CHECK(s(v.value(0, 4)) == "t" && s(v.value(0, 5)) == "t" && s(v.value(0, 6)) == "opt");
    // Parameters are never interpolated into the SQL.
    Result inj = conn.exec("SELECT count(*) FROM cpp_items WHERE name = $1", "one' OR 'a'='a");
    CHECK(s(inj.value(0, 0)) == "0");
    Result byid = conn.exec("SELECT name FROM cpp_items WHERE id = $1", 2);
    CHECK(s(byid.value(0, 0)) == "two");

    // Errors throw pgtc::Error with status and SQLSTATE; the connection stays usable.
    CHECK_THROWS(conn.exec("SELECT * FROM cpp_no_such_table"), pgtc::Error, e,
                 e.sqlstate() == "42P01" && e.status() == PGTC_STATUS_SQL &&
                     std::string(e.status_name()) == "PGTC_STATUS_SQL" &&
                     std::string(e.what()).find("cpp_no_such_table") != std::string::npos);
    CHECK_THROWS(conn.exec("INSERT INTO cpp_items VALUES ($1, $2)", 1, "dup"), pgtc::Error, e,
                 e.sqlstate() == "23505" && e.status() == PGTC_STATUS_SQL);
    CHECK_THROWS(conn.exec("SELEC 1"), std::runtime_error, e,
                 dynamic_cast<const pgtc::Error &>(e).sqlstate() == "42601");
    CHECK(s(conn.exec("SELECT 1").value(0, 0)) == "1");
    CHECK_THROWS(conn.set_attr("PREFERRED_ACCESS", "nope"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_ATTRIBUTE_VALUE && e.sqlstate() == "22023");
    CHECK_THROWS(conn.set_attr("NO_SUCH_ATTR", "x"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_UNKNOWN_ATTRIBUTE);
    CHECK_THROWS(conn.raise_lsn_floor("not an lsn"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_ARGUMENT);
    CHECK_THROWS(conn.exec(std::string("SELECT 1\0 --", 12)), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_ARGUMENT);
    CHECK_THROWS(conn.exec("SELECT $1", std::string("a\0b", 3)), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_ARGUMENT);
    CHECK_THROWS(conn.exec("SELECT $1", "\xff"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_UTF8);
    CHECK_THROWS(Connection::open("host='oops"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_CONNINFO_SYNTAX);
    CHECK_THROWS(Connection::open(conninfo + " NO_SUCH_KEY=1"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_UNKNOWN_ATTRIBUTE);
    CHECK_THROWS(Connection::open("host=127.0.0.1,127.0.0.1 port=1,2 connect_timeout=2 user=x dbname=x"),
                 pgtc::Error, e, e.status() == PGTC_STATUS_CONNECT_FAILED);

    // Transactions and attributes.
    conn.exec("BEGIN");
    CHECK(conn.in_transaction());
    Result upd = conn.exec("UPDATE cpp_items SET note = 'y' WHERE id = 1");
    CHECK(upd.affected() == 1 && upd.server() == Server::Primary);
    CHECK(conn.exec("SELECT note FROM cpp_items WHERE id = 1").server() == Server::Primary);
    conn.exec("COMMIT");
    CHECK(!conn.in_transaction());
    conn.set_attr("preferred_access", "write_mostly");
    CHECK(conn.exec("SELECT 1").server() == Server::Primary);
    conn.set_attr("PREFERRED_ACCESS", "READ_MOSTLY");
    CHECK(wait_for_standby(conn, "SELECT count(*) FROM cpp_items"));
    Result set = conn.exec("SET application_name = 'cpp_test'");
    CHECK(set.server() == Server::Both);

    // explain: where a statement would run, and why; runs nothing.
    Route lock = conn.explain("SELECT * FROM cpp_items FOR UPDATE");
    CHECK(lock.eligible() == Server::Primary && lock.server() == Server::Primary);
    CHECK(lock.reason().find("rule 5") != std::string_view::npos);
    Route read = conn.explain("SELECT name FROM cpp_items");
    CHECK(read.eligible() == Server::Both);
    CHECK(read.server() != Server::None);
    CHECK(!read.reason().empty());
    CHECK(!conn.in_transaction());
    CHECK_THROWS(conn.explain(std::string("\0", 1)), pgtc::Error, e,
                 e.status() == PGTC_STATUS_INVALID_ARGUMENT);

    // Counters: per connection and per process.
    std::uint64_t on_standby = conn.counter(PGTC_COUNTER_SECONDARY);
    std::uint64_t on_primary = conn.counter(PGTC_COUNTER_PRIMARY);
    CHECK(on_standby > 0 && on_primary > 0);
    CHECK(conn.counter(PGTC_COUNTER_BOTH) >= 1);
    conn.exec("SELECT name FROM cpp_items WHERE id = 3");
    CHECK(conn.counter(PGTC_COUNTER_SECONDARY) + conn.counter(PGTC_COUNTER_PRIMARY) ==
          on_standby + on_primary + 1);
    CHECK(pgtc::process_counter(PGTC_COUNTER_SECONDARY) >= conn.counter(PGTC_COUNTER_SECONDARY));
    CHECK(conn.counter(static_cast<pgtc_counter>(99)) == 0);
    CHECK(std::string(pgtc::to_string(Server::Secondary)) == "secondary");
    CHECK(std::string(pgtc::status_name(PGTC_STATUS_SQL)) == "PGTC_STATUS_SQL");

    conn.exec("DROP TABLE cpp_items");
}

static void test_moves(const std::string &conninfo) {
    Connection a = Connection::open(conninfo);
    Connection b = std::move(a);
    CHECK(!a && b);
    CHECK(a.connected() == Server::None && !a.in_transaction() && a.counter(PGTC_COUNTER_PRIMARY) == 0);
    // A moved-from Connection throws (the C ABI's NULL handle) instead of crashing.
    CHECK_THROWS(a.exec("SELECT 1"), pgtc::Error, e, e.status() == PGTC_STATUS_NULL_ARGUMENT);
    CHECK_THROWS(a.lsn_floor(), pgtc::Error, e, e.status() == PGTC_STATUS_NULL_ARGUMENT);
    CHECK(b.connected() == Server::Both);

    Result r1 = b.exec("SELECT 'kept' AS k");
    std::string_view kept = *r1.value(0, 0);
    Result r2 = std::move(r1);
    CHECK(!r1 && r1.rows() == 0 && r1.cols() == 0 && r1.command().empty());
    CHECK(r1.server() == Server::None && r1.begin() == r1.end());
    CHECK(r2.rows() == 1 && kept == "kept"); // moving keeps borrowed views valid
    CHECK(r2.column_name(0) == "k");

    // Move-assignment over a live object frees the old handle (valgrind checks).
    Result r3 = b.exec("SELECT 3");
    r3 = std::move(r2);
    CHECK(s(r3.value(0, 0)) == "kept");
    Result &alias = r3;
    r3 = std::move(alias); // self-move leaves it intact
    CHECK(r3.rows() == 1);

    Route route = b.explain("SELECT 1");
    Route route2(std::move(route));
    CHECK(!route && route.server() == Server::None && route.reason().empty());
    CHECK(route2.eligible() == Server::Both);
    route = b.explain("INSERT INTO x VALUES (1)");
    CHECK(route.eligible() == Server::Primary);

    Connection c = Connection::open(conninfo);
    c = std::move(b); // frees c's first handle
    CHECK(c.connected() == Server::Both && !b);
    b = Connection(); // assigning empty to empty

    // Results outlive their Connection.
    Result orphan = c.exec("SELECT 'orphan'");
    { Connection gone = std::move(c); }
    CHECK(s(orphan.value(0, 0)) == "orphan");

    // A Connection may move to another thread; a Result may be read from several at once.
    std::string in_thread;
    std::thread worker([moved = Connection::open(conninfo), &in_thread]() mutable {
        try {
            in_thread = std::string(*moved.exec("SELECT $1::text", "thread").value(0, 0));
        } catch (const std::exception &ex) {
            in_thread = ex.what();
        }
    });
    worker.join();
    CHECK(in_thread == "thread");
    Result shared = Connection::open(conninfo).exec("SELECT g FROM generate_series(1, 100) g");
    long sums[2] = {0, 0};
    std::thread readers[2];
    for (int t = 0; t < 2; t++)
        readers[t] = std::thread([&shared, &sums, t] {
            for (pgtc::Row row : shared)
                sums[t] += std::stol(std::string(*row[0]));
        });
    for (auto &th : readers)
        th.join();
    CHECK(sums[0] == 5050 && sums[1] == 5050);

    // release() and adopt.
    Connection d = Connection::open(conninfo);
    pgtc_conn *raw = d.release();
    CHECK(!d && raw != nullptr);
    Connection e(raw);
    CHECK(e.connected() == Server::Both);
    // Moved-from and empty objects are destroyed here.
}

static void test_read_your_writes(const std::string &delayed) {
    Connection conn = Connection::open(delayed);
    CHECK(conn.connected() == Server::Both);
    conn.exec("DROP TABLE IF EXISTS cpp_ryw");
    conn.exec("CREATE TABLE cpp_ryw (id serial PRIMARY KEY, note text)");
    CHECK(wait_for_standby(conn, "SELECT count(*) FROM cpp_ryw"));

    int missed = 0, fresh_on_primary = 0;
    std::uint64_t kept_before = conn.counter(PGTC_COUNTER_FLOOR_KEPT);
    for (int i = 0; i < 5; i++) {
        std::string note = "cpp request " + std::to_string(i);
        Result ins = conn.exec("INSERT INTO cpp_ryw (note) VALUES ($1) RETURNING id", note);
        CHECK(ins.server() == Server::Primary);
        std::string id(*ins.value(0, 0));
        Result back = conn.exec("SELECT note FROM cpp_ryw WHERE id = $1", id);
        if (back.rows() != 1 || s(back.value(0, 0)) != note)
            missed++;
        fresh_on_primary += back.server() == Server::Primary;
    }
    CHECK(missed == 0);
    CHECK(fresh_on_primary == 5); // the standby is 300 ms behind
    CHECK(conn.counter(PGTC_COUNTER_FLOOR_KEPT) >= kept_before + 5);
    Result later = read_on_standby(conn, "SELECT count(*) FROM cpp_ryw");
    CHECK(later.server() == Server::Secondary && s(later.value(0, 0)) == "5");

    // LSN floor token: a writer hands its floor to another connection
    // (under CONSISTENCY_SCOPE=SESSION; under PROCESS the reader already
    // routes by the writer's floor, as another process's reader does not).
    Connection writer = Connection::open(delayed + " CONSISTENCY_SCOPE=SESSION");
    Connection reader = Connection::open(delayed + " CONSISTENCY_SCOPE=SESSION");
    writer.exec("INSERT INTO cpp_ryw (note) VALUES ('handed over')");
    std::string token = writer.lsn_floor();
    CHECK(token != "0/0" && token.find('/') != std::string::npos);
    CHECK(reader.lsn_floor() == "0/0");
    reader.raise_lsn_floor(token);
    CHECK(reader.lsn_floor() == token);
    reader.raise_lsn_floor("0/1"); // never lowers
    CHECK(reader.lsn_floor() == token);
    Result seen = reader.exec("SELECT count(*) FROM cpp_ryw WHERE note = 'handed over'");
    CHECK(s(seen.value(0, 0)) == "1");
    CHECK(seen.server() == Server::Primary); // the standby had not replayed the token yet
    CHECK(wait_for_standby(reader, "SELECT count(*) FROM cpp_ryw WHERE note = 'handed over'"));

    conn.exec("DROP TABLE cpp_ryw");
}

// Attributes: the list comes from the library, get_attr reads back defaults
// and what set_attr or the connection string set.
static void test_attributes(const std::string &conninfo) {
    const std::vector<pgtc::Attribute> attrs = pgtc::attributes();
    CHECK(attrs.size() == pgtc_attr_count() && attrs.size() >= 7);
    CHECK(pgtc_attr_name(attrs.size()) == nullptr);
    bool has_access = false;
    for (std::size_t i = 0; i < attrs.size(); ++i) {
        CHECK(attrs[i].name == pgtc_attr_name(i) && !attrs[i].doc.empty());
        has_access = has_access || attrs[i].name == "PREFERRED_ACCESS";
    }
    CHECK(has_access);

    Connection conn = Connection::open(conninfo + " consistency_wait_ms=250");
    for (const pgtc::Attribute &a : attrs) {
        const std::string v = conn.get_attr(a.name);
        if (a.name == "PREFERRED_ACCESS")
            CHECK(v == "READ_MOSTLY"); // from the connection string
        else if (a.name == "CONSISTENCY_WAIT_MS")
            CHECK(v == "250");
        else
            CHECK(v == a.default_value);
    }
    conn.set_attr("autocommit", "off");
    CHECK(conn.get_attr("Autocommit") == "OFF");
    conn.set_attr("TXN_ISOLATION", "serializable");
    CHECK(conn.get_attr("TXN_ISOLATION") == "SERIALIZABLE");
    CHECK_THROWS(conn.get_attr("NO_SUCH_ATTR"), pgtc::Error, e,
                 e.status() == PGTC_STATUS_UNKNOWN_ATTRIBUTE &&
                     std::string(e.what()).find("NO_SUCH_ATTR") != std::string::npos);
    char small[4];
    pgtc_error *raw = nullptr;
    CHECK(pgtc_conn_get_attr(conn.get(), "TXN_ISOLATION", small, sizeof small, &raw) ==
          PGTC_STATUS_BUFFER_TOO_SMALL);
    CHECK(small[0] == '\0' && std::string(pgtc_error_message(raw)).find("13 bytes") != std::string::npos);
    pgtc_error_free(raw);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s CONNINFO DELAYED_CONNINFO\n", argv[0]);
        return 2;
    }
    const std::string suffix = " PREFERRED_ACCESS=READ_MOSTLY";
    const std::string conninfo = argv[1] + suffix;
    const std::string delayed = argv[2] + suffix;
    const std::pair<const char *, std::function<void()>> tests[] = {
        {"open and basics", [&] { test_open_and_basics(conninfo); }},
        {"moves", [&] { test_moves(conninfo); }},
        {"attributes", [&] { test_attributes(conninfo); }},
        {"read your writes (300 ms delay)", [&] { test_read_your_writes(delayed); }},
    };
    return run_tests("cpp", tests);
}
