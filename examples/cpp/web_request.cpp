// web_request.cpp — one "web request" through pgtc's C++ binding: it writes
// a row and reads it straight back, then serves a burst of reads, printing
// where each statement ran and when (ms after the write). pgtc keeps reads
// on the primary until the standby has replayed the write, so the request
// always sees its row; the later reads of the burst (10 ms apart) move to
// the standby once it has caught up.
//
// Build (from the repository root, after `cargo build --release`):
//   g++ -std=c++17 -Wall -Wextra -Werror -o web_request examples/cpp/web_request.cpp
//       -I include -I bindings/cpp/include -L target/release -lpgtc -Wl,-rpath,"$PWD/target/release"
//   (one command line)
// Run:
//   ./web_request "host=127.0.0.1,127.0.0.1 port=5433,5432 user=… password=… dbname=…"
//   (or set PGTC_CONNINFO; e.g. the output of tools/pgtc-cluster create)
//
// It creates the table pgtc_web_request if missing and leaves it (each run
// adds one row). Exit status 0 when the read-back saw the write, 1 when it
// did not, 2 on errors.

#include "pgtc.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

const char *where(pgtc::Server s) {
    switch (s) {
    case pgtc::Server::Primary: return "primary";
    case pgtc::Server::Secondary: return "standby";
    case pgtc::Server::Both: return "both";
    case pgtc::Server::None: break;
    }
    return "none";
}

using Clock = std::chrono::steady_clock;

void show(const char *what, const pgtc::Result &r, Clock::time_point since) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since).count();
    std::printf("  %7.1f ms  %-44s -> %-7s (%s)\n", static_cast<double>(us) / 1000.0, what,
                where(r.server()), std::string(r.command()).c_str());
}

} // namespace

int main(int argc, char **argv) {
    const char *conninfo = argc > 1 ? argv[1] : std::getenv("PGTC_CONNINFO");
    if (conninfo == nullptr) {
        std::fprintf(stderr, "usage: %s CONNINFO  (or set PGTC_CONNINFO)\n", argv[0]);
        return 2;
    }
    try {
        auto conn = pgtc::Connection::open(conninfo);
        // Works for both conninfo forms; the same as PREFERRED_ACCESS=READ_MOSTLY in it.
        conn.set_attr("PREFERRED_ACCESS", "READ_MOSTLY");
        std::printf("pgtc %s; servers open: %s\n", pgtc::version(), where(conn.connected()));

        std::printf("setup:\n");
        show("CREATE TABLE IF NOT EXISTS pgtc_web_request", conn.exec("CREATE TABLE IF NOT EXISTS pgtc_web_request ("
                       "id bigserial PRIMARY KEY, visitor text NOT NULL, at timestamptz DEFAULT now())"),
             Clock::now());

        std::printf("request:\n");
        auto start = Clock::now();
        std::string visitor = "cpp-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        pgtc::Result ins = conn.exec("INSERT INTO pgtc_web_request (visitor) VALUES ($1) RETURNING id", visitor);
        show("INSERT ... RETURNING id", ins, start);
        std::string id(ins.value(0, 0).value_or(""));

        pgtc::Result back = conn.exec("SELECT visitor FROM pgtc_web_request WHERE id = $1", id);
        show("SELECT the row just written", back, start);
        bool seen = back.rows() == 1 && back.value(0, 0) == std::optional<std::string_view>(visitor);

        int on_standby = 0;
        const int burst = 10;
        for (int i = 0; i < burst; i++) {
            if (i > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            pgtc::Result r = conn.exec("SELECT count(*), max(at) FROM pgtc_web_request WHERE id <= $1", id);
            on_standby += r.server() == pgtc::Server::Secondary;
            show(("burst read " + std::to_string(i + 1)).c_str(), r, start);
        }
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);

        std::printf("request took %lld ms; row %s %s; burst reads on the standby: %d of %d\n",
                    static_cast<long long>(ms.count()), id.c_str(),
                    seen ? "read back" : "MISSED by the read-back", on_standby, burst);
        std::printf("session counters: primary %llu, standby %llu, kept on primary by the LSN floor %llu\n",
                    static_cast<unsigned long long>(conn.counter(PGTC_COUNTER_PRIMARY)),
                    static_cast<unsigned long long>(conn.counter(PGTC_COUNTER_SECONDARY)),
                    static_cast<unsigned long long>(conn.counter(PGTC_COUNTER_FLOOR_KEPT)));
        return seen ? 0 : 1;
    } catch (const pgtc::Error &e) {
        std::fprintf(stderr, "pgtc error: %s [%s] (SQLSTATE %s)\n", e.what(), e.status_name(),
                     e.sqlstate().empty() ? "none" : e.sqlstate().c_str());
        return 2;
    }
}
