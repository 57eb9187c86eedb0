// pgtc_copy.hpp — COPY to and from the client for the C++ binding: an RAII
// pgtc::Copy over pgtc_conn_copy / pgtc_copy_*. Header-only, C++17.
//
//   pgtc::Copy in(conn, "COPY t FROM STDIN");
//   in.write("1\tone\n");
//   pgtc::Result r = in.end();            // r.affected() rows copied
//
//   pgtc::Copy out(conn, "COPY t TO STDOUT WITH (FORMAT csv)");
//   while (auto chunk = out.read())       // one row per chunk in text/CSV
//       std::cout << *chunk;
//   out.end();
//
// A Copy destroyed while it runs aborts the COPY (nothing is copied; the
// connection stays usable). It belongs to its Connection: destroy it
// before the Connection, and use both from one thread at a time. While a
// Copy runs, Connection::exec throws PGTC_STATUS_INVALID_STATE.
#ifndef PGTC_COPY_HPP
#define PGTC_COPY_HPP

#include "pgtc.hpp"

#include <istream>
#include <ostream>

namespace pgtc {

/// Which way a COPY's data moves (pgtc_direction).
enum class Direction : std::uint32_t {
    None = PGTC_DIRECTION_NONE, ///< no data: a COPY to or from a server file
    In = PGTC_DIRECTION_IN,     ///< COPY … FROM STDIN: write()
    Out = PGTC_DIRECTION_OUT,   ///< COPY … TO STDOUT: read()
};

class Copy {
public:
    Copy() noexcept = default;
    /// Start a COPY statement on `conn` (pgtc_conn_copy), routed like the
    /// same statement through exec. Throws pgtc::Error (with the server's
    /// SQLSTATE) when it cannot start.
    Copy(Connection &conn, const std::string &sql) {
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_copy(conn.get(), detail::c_str(sql, "sql"), &h_, &e);
        detail::check(st, e);
    }
    /// Aborts a COPY still running, then releases it.
    ~Copy() { pgtc_copy_free(h_); }
    Copy(const Copy &) = delete;
    Copy &operator=(const Copy &) = delete;
    Copy(Copy &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    Copy &operator=(Copy &&o) noexcept {
        if (this != &o) {
            pgtc_copy_free(h_);
            h_ = std::exchange(o.h_, nullptr);
        }
        return *this;
    }

    Direction direction() const noexcept { return static_cast<Direction>(pgtc_copy_direction(h_)); }
    /// PostgreSQL's binary COPY format (FORMAT binary).
    bool binary() const noexcept { return pgtc_copy_binary(h_); }
    /// Number of columns of the data.
    std::size_t cols() const noexcept { return pgtc_copy_cols(h_); }

    /// Send data of a COPY … FROM STDIN; rows may be split anywhere.
    void write(std::string_view data) {
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_copy_write(h_, data.data(), data.size(), &e);
        detail::check(st, e);
    }

    /// The next chunk of a COPY … TO STDOUT (valid until the next call on
    /// this Copy); std::nullopt after the last one. A server error in the
    /// middle throws pgtc::Error with its SQLSTATE.
    std::optional<std::string_view> read() {
        const char *p = nullptr;
        std::size_t n = 0;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_copy_read(h_, &p, &n, &e);
        detail::check(st, e);
        if (!p)
            return std::nullopt;
        return std::string_view(p, n);
    }

    /// Finish the COPY: its result (command() "COPY n", affected() the
    /// rows). A server error about the data throws here.
    Result end() {
        pgtc_result *r = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_copy_end(h_, &r, &e);
        detail::check(st, e);
        return Result(r);
    }

    /// Give up the COPY: nothing is copied (a COPY TO's remaining data is
    /// discarded); the connection stays usable.
    void abort(const std::string &reason = "COPY aborted by the client") {
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_copy_abort(h_, detail::c_str(reason, "reason"), &e);
        detail::check(st, e);
    }

    /// The raw handle, still owned by this Copy (NULL when empty).
    pgtc_copy *get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    pgtc_copy *h_ = nullptr;
};

/// COPY … FROM STDIN streaming `in` in chunks of `chunk` bytes; a stream
/// that fails (badbit) aborts the COPY and throws.
inline Result copy_in(Connection &conn, const std::string &sql, std::istream &in,
                      std::size_t chunk = 64 * 1024) {
    Copy c(conn, sql);
    std::string buf(chunk ? chunk : 1, '\0');
    while (in) {
        in.read(&buf[0], static_cast<std::streamsize>(buf.size()));
        std::streamsize n = in.gcount();
        if (n > 0)
            c.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    if (in.bad()) {
        c.abort("reading the data to copy failed");
        throw Error(PGTC_STATUS_INVALID_ARGUMENT, "reading the data to copy failed");
    }
    return c.end();
}

/// COPY … TO STDOUT written to `out` chunk by chunk.
inline Result copy_out(Connection &conn, const std::string &sql, std::ostream &out) {
    Copy c(conn, sql);
    while (auto chunk = c.read()) {
        out.write(chunk->data(), static_cast<std::streamsize>(chunk->size()));
        if (!out) {
            c.abort("writing the copied data failed");
            throw Error(PGTC_STATUS_INVALID_ARGUMENT, "writing the copied data failed");
        }
    }
    return c.end();
}

} // namespace pgtc

#endif // PGTC_COPY_HPP
