// test_copy.cpp — tests of the C++ COPY layer (pgtc_copy.hpp) against a real
// primary + hot standby pair.
//
//   test_copy CONNINFO
//
// bindings/cpp/test builds and runs this. Prints "cpp copy: N passed, M
// failed"; exit status 1 on failure.

#include "pgtc_copy.hpp"

#include "check.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>


using pgtc::Connection;
using pgtc::Copy;
using pgtc::Direction;
using pgtc::Server;

static_assert(!std::is_copy_constructible_v<Copy> && !std::is_copy_assignable_v<Copy>);
static_assert(std::is_nothrow_move_constructible_v<Copy> && std::is_nothrow_move_assignable_v<Copy>);

// The SQLSTATE `fn` throws with, or "" when it does not throw pgtc::Error.
static std::string sqlstate_of(const std::function<void()> &fn, pgtc_status *status = nullptr) {
    try {
        fn();
    } catch (const pgtc::Error &e) {
        if (status)
            *status = e.status();
        return e.sqlstate().empty() ? std::string("none") : e.sqlstate();
    }
    return "";
}

static std::string count(Connection &conn, const std::string &t) {
    pgtc::Result r = conn.exec("SELECT count(*) FROM " + t);
    auto v = r.value(0, 0);
    return v ? std::string(*v) : "<NULL>";
}

static void test_both_ways(const std::string &conninfo) {
    Connection conn = Connection::open(conninfo);
    conn.exec("DROP TABLE IF EXISTS cpp_copy");
    conn.exec("CREATE TABLE cpp_copy (id int, name text)");
    std::string data;
    for (int i = 1; i <= 300; i++)
        data += std::to_string(i) + "\tname " + std::to_string(i) + "\n";
    {
        Copy in(conn, "COPY cpp_copy FROM STDIN");
        CHECK(in.direction() == Direction::In);
        CHECK(in.cols() == 2);
        CHECK(!in.binary());
        for (std::size_t at = 0; at < data.size(); at += 11)
            in.write(std::string_view(data).substr(at, 11));
        pgtc::Result r = in.end();
        CHECK(r.command() == "COPY 300");
        CHECK(r.affected() == 300);
        CHECK(r.server() == Server::Primary);
    }
    // Read your writes, wherever the COPY TO runs.
    std::ostringstream out;
    pgtc::Result r = pgtc::copy_out(conn, "COPY (SELECT * FROM cpp_copy ORDER BY id) TO STDOUT", out);
    CHECK(out.str() == data);
    CHECK(r.affected() == 300);
    // Served by the standby once it has replayed the COPY (PRIMARY_SHARE=0).
    bool standby = false;
    for (int i = 0; i < 500 && !standby; i++) {
        std::ostringstream o;
        standby = pgtc::copy_out(conn, "COPY cpp_copy TO STDOUT", o).server() == Server::Secondary;
        if (!standby)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(standby);
    // A stream in, CSV.
    std::istringstream csv("1000,\"a, b\"\n1001,c\n");
    CHECK(pgtc::copy_in(conn, "COPY cpp_copy FROM STDIN WITH (FORMAT csv)", csv, 4).affected() == 2);
    CHECK(count(conn, "cpp_copy") == "302");
    // Binary out.
    Copy bin(conn, "COPY cpp_copy TO STDOUT WITH (FORMAT binary)");
    CHECK(bin.binary());
    std::string blob;
    while (auto chunk = bin.read())
        blob += *chunk;
    bin.end();
    CHECK(blob.compare(0, 11, std::string("PGCOPY\n\xff\r\n\0", 11)) == 0);
    conn.exec("DROP TABLE cpp_copy");
}

static void test_errors_and_aborts(const std::string &conninfo) {
    Connection conn = Connection::open(conninfo);
    conn.exec("DROP TABLE IF EXISTS cpp_copy_err");
    conn.exec("CREATE TABLE cpp_copy_err (id int)");
    // A bad row: 22P02 at end(); the connection stays usable.
    {
        Copy in(conn, "COPY cpp_copy_err FROM STDIN");
        in.write("1\n2\nthree\n");
        CHECK(sqlstate_of([&] { in.end(); }) == "22P02");
    }
    CHECK(count(conn, "cpp_copy_err") == "0");
    // Destroyed mid-copy: aborted.
    {
        Copy in(conn, "COPY cpp_copy_err FROM STDIN");
        in.write("1\n");
    }
    CHECK(count(conn, "cpp_copy_err") == "0");
    // An explicit abort; then the Copy is over.
    Copy in(conn, "COPY cpp_copy_err FROM STDIN");
    in.write("1\n");
    pgtc_status st = PGTC_STATUS_OK;
    CHECK(sqlstate_of([&] { conn.exec("SELECT 1"); }, &st) != "");
    CHECK(st == PGTC_STATUS_INVALID_STATE);
    in.abort("no");
    CHECK(sqlstate_of([&] { in.write("2\n"); }, &st) != "");
    CHECK(st == PGTC_STATUS_INVALID_STATE);
    CHECK(count(conn, "cpp_copy_err") == "0");
    // Misuse: reading a COPY FROM; a text that is not a COPY.
    Copy in2(conn, "COPY cpp_copy_err FROM STDIN");
    CHECK(sqlstate_of([&] { in2.read(); }, &st) != "");
    CHECK(st == PGTC_STATUS_INVALID_STATE);
    in2.write("7\n");
    CHECK(in2.end().affected() == 1);
    CHECK(sqlstate_of([&] { Copy bad(conn, "SELECT 1"); }, &st) != "");
    CHECK(st == PGTC_STATUS_INVALID_ARGUMENT);
    // A server error before COPY mode.
    CHECK(sqlstate_of([&] { Copy bad(conn, "COPY cpp_no_such_table TO STDOUT"); }) == "42P01");
    // A server error in the middle of a COPY TO.
    Copy out(conn, "COPY (SELECT 1 / (3 - g) FROM generate_series(1, 5) g) TO STDOUT");
    CHECK(sqlstate_of([&] {
              while (out.read()) {
              }
          }) == "22012");
    CHECK(count(conn, "cpp_copy_err") == "1");
    // Moved-from and empty Copies are harmless.
    Copy a(conn, "COPY cpp_copy_err TO STDOUT");
    Copy b(std::move(a));
    CHECK(!a && b);
    CHECK(a.direction() == Direction::None);
    b.abort();
    conn.exec("DROP TABLE cpp_copy_err");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONNINFO\n", argv[0]);
        return 2;
    }
    const std::string conninfo = std::string(argv[1]) + " PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0";
    const std::pair<const char *, std::function<void()>> tests[] = {
        {"copy both ways", [&] { test_both_ways(conninfo); }},
        {"copy errors and aborts", [&] { test_errors_and_aborts(conninfo); }},
    };
    return run_tests("cpp copy", tests);
}
