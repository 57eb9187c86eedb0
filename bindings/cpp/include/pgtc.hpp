// pgtc.hpp — header-only C++17 RAII wrapper over pgtc's C ABI (pgtc.h).
//
// pgtc is a PostgreSQL driver whose one logical connection holds a physical
// connection to the primary and one to a hot standby, and routes each
// statement (see README.md). This header adds no logic of its own: every
// call goes straight to the C function of the same name, and routing stays
// in the library.
//
// Build:   g++ -std=c++17 app.cpp -I include -I bindings/cpp/include -L target/release -lpgtc
//
//     #include "pgtc.hpp"
//
//     auto conn = pgtc::Connection::open(
//         "host=a,b port=5432,5432 user=app dbname=app PREFERRED_ACCESS=READ_MOSTLY");
//     pgtc::Result res = conn.exec("SELECT id, name FROM users WHERE id > $1", 40);
//     for (pgtc::Row row : res)
//         std::cout << *row[0] << " " << row[1].value_or("(null)") << "\n";
//     std::cout << "ran on " << pgtc::to_string(res.server()) << "\n";
//
// Ownership
//   Connection, Result and Route each own one C handle (pgtc_conn,
//   pgtc_result, pgtc_route) and release it with its _free function in their
//   destructor. They are move-only: copying is deleted, moving is noexcept
//   and leaves the source empty (holding no handle). An empty object may be
//   destroyed, assigned to and moved again; calling a fallible member of an
//   empty Connection throws pgtc::Error with PGTC_STATUS_NULL_ARGUMENT, and
//   the accessors of an empty object answer neutrally (0, Server::None, ""),
//   exactly as the C functions do for a NULL handle. get() exposes the raw
//   handle (still owned by the object); release() gives up ownership.
//   A Result and a Route do not depend on the Connection that produced them:
//   they own their data and may outlive it.
//
// Lifetimes of borrowed text
//   Every std::string_view this header returns (values, column names, the
//   command tag, a route's reason) points into the C handle of the Result or
//   Route it came from, and stays valid until that handle is freed: while
//   the object lives, or the object it was moved into (moving does not move
//   the text); assigning to the owner or destroying it ends it. Copy into a
//   std::string to keep text longer. A Row and a Result::iterator point to
//   the Result object itself: they must not outlive it, and a move of the
//   Result invalidates them.
//
// Errors
//   Every C call that reports a pgtc_status other than PGTC_STATUS_OK throws
//   pgtc::Error (derived from std::runtime_error) carrying the status, its
//   name and the SQLSTATE ("" when there is none); the C error object is
//   freed before the exception propagates. Checked access out of range
//   (Result::value, Result::column_name, Row::operator[]) throws
//   std::out_of_range. Strings passed in must not contain NUL bytes: such a
//   string is refused with pgtc::Error(PGTC_STATUS_INVALID_ARGUMENT) rather
//   than silently cut short.
//
// Thread safety
//   As for pgtc_conn: a Connection may be moved between threads but must be
//   used by one thread at a time (like libpq's PGconn); different
//   Connections may be used from different threads concurrently. This header
//   adds no locking: two threads calling into one Connection at the same
//   time is a data race (undefined behaviour). A Result or
//   Route is read-only: several threads may read the same one at once, as
//   long as none of them moves, assigns or destroys it meanwhile.

#ifndef PGTC_HPP
#define PGTC_HPP

#include "pgtc.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pgtc {

/// Where a statement ran (Result::server) or would run (Route). The values
/// are those of pgtc_server; they are bit flags: Both = Primary | Secondary.
enum class Server : std::uint32_t {
    None = PGTC_SERVER_NONE,           ///< nowhere (answered by pgtc alone)
    Primary = PGTC_SERVER_PRIMARY,     ///< the primary
    Secondary = PGTC_SERVER_SECONDARY, ///< the hot standby
    Both = PGTC_SERVER_BOTH,           ///< both (session settings such as SET)
};
// The binding has no constants of its own: Server, pgtc_status and
// pgtc_counter values are the header's. What it relies on about them:
static_assert(PGTC_SERVER_BOTH == (PGTC_SERVER_PRIMARY | PGTC_SERVER_SECONDARY) &&
                  PGTC_SERVER_NONE == 0,
              "pgtc_server values are bit flags");
static_assert(PGTC_STATUS_OK == 0, "pgtc_status: 0 is success");

/// "none", "primary", "secondary" or "both" (a static string).
inline const char *to_string(Server s) noexcept {
    switch (s) {
    case Server::Primary: return "primary";
    case Server::Secondary: return "secondary";
    case Server::Both: return "both";
    case Server::None: break;
    }
    return "none";
}

/// The library's version, e.g. "0.1.0".
inline const char *version() noexcept { return pgtc_version(); }

/// The short, stable name of a status code, e.g. "PGTC_STATUS_SQL".
inline const char *status_name(pgtc_status status) noexcept {
    return pgtc_status_name(static_cast<std::uint32_t>(status));
}

/// A counter summed over every connection this process has opened.
inline std::uint64_t process_counter(pgtc_counter counter) noexcept {
    return pgtc_process_counter(static_cast<std::uint32_t>(counter));
}

/// One of pgtc's attributes as the library lists it (pgtc_attr_name,
/// pgtc_attr_default, pgtc_attr_doc).
struct Attribute {
    std::string name;
    std::string default_value;
    std::string doc;
};

/// pgtc's attributes (PREFERRED_ACCESS, AUTOCOMMIT, …), in the library's order.
inline std::vector<Attribute> attributes() {
    std::vector<Attribute> out;
    const std::size_t n = pgtc_attr_count();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back({pgtc_attr_name(i), pgtc_attr_default(i), pgtc_attr_doc(i)});
    return out;
}

/// The exception every failing pgtc call throws. what() is pgtc's message.
class Error : public std::runtime_error {
public:
    Error(pgtc_status status, const std::string &message, std::string sqlstate = {})
        : std::runtime_error(message), status_(status), sqlstate_(std::move(sqlstate)) {}

    /// The status the failing C call returned (never PGTC_STATUS_OK).
    pgtc_status status() const noexcept { return status_; }
    /// Its stable name, e.g. "PGTC_STATUS_SQL".
    const char *status_name() const noexcept { return pgtc::status_name(status_); }
    /// The five-character SQLSTATE (e.g. "42P01"), or "" when there is none.
    const std::string &sqlstate() const noexcept { return sqlstate_; }

private:
    pgtc_status status_;
    std::string sqlstate_;
};

namespace detail {

struct ErrorDeleter {
    void operator()(pgtc_error *e) const noexcept { pgtc_error_free(e); }
};

// Turn a failed call's status and error object into pgtc::Error, freeing the
// error object in every case (also if building the exception throws).
inline void check(pgtc_status status, pgtc_error *raw) {
    std::unique_ptr<pgtc_error, ErrorDeleter> err(raw);
    if (status == PGTC_STATUS_OK)
        return;
    if (!err)
        throw Error(status, pgtc::status_name(status));
    throw Error(status, pgtc_error_message(err.get()), pgtc_error_sqlstate(err.get()));
}

// A NUL-terminated view of s; refuses embedded NULs, which C would cut at.
inline const char *c_str(const std::string &s, const char *what) {
    if (s.find('\0') != std::string::npos)
        throw Error(PGTC_STATUS_INVALID_ARGUMENT, std::string(what) + " contains a NUL byte");
    return s.c_str();
}

inline std::string_view view(const char *s) noexcept {
    return s ? std::string_view(s) : std::string_view();
}

template <class T> struct is_char : std::false_type {};
template <> struct is_char<char> : std::true_type {};
template <> struct is_char<signed char> : std::true_type {};
template <> struct is_char<unsigned char> : std::true_type {};
template <> struct is_char<wchar_t> : std::true_type {};
template <> struct is_char<char16_t> : std::true_type {};
template <> struct is_char<char32_t> : std::true_type {};

// What the variadic exec accepts as one parameter.
template <class T, class D = std::decay_t<T>>
struct is_param
    : std::bool_constant<std::is_same_v<D, std::nullopt_t> ||
                         std::is_same_v<D, std::optional<std::string>> ||
                         std::is_convertible_v<T, std::string_view> ||
                         (std::is_integral_v<D> && !is_char<D>::value)> {};

template <class T> std::optional<std::string> to_param(T &&v) {
    using D = std::decay_t<T>;
    if constexpr (std::is_same_v<D, std::nullopt_t>) {
        return std::nullopt;
    } else if constexpr (std::is_same_v<D, std::optional<std::string>>) {
        return std::forward<T>(v);
    } else if constexpr (std::is_same_v<D, bool>) {
        return std::string(v ? "true" : "false");
    } else if constexpr (std::is_integral_v<D>) {
        return std::to_string(v);
    } else if constexpr (std::is_convertible_v<D, const char *>) {
        const char *p = v; // a null const char * is an SQL NULL
        if (!p)
            return std::nullopt;
        return std::string(p);
    } else {
        return std::string(std::string_view(v));
    }
}

} // namespace detail

class Result;

/// One row of a Result: a lightweight view (a Result pointer and a row
/// number), valid while its Result lives.
class Row {
public:
    /// The value in column `col` as text; std::nullopt for SQL NULL. Throws
    /// std::out_of_range for a column out of range.
    std::optional<std::string_view> operator[](std::size_t col) const;
    /// Number of columns.
    std::size_t size() const noexcept;
    /// This row's number in its Result (0-based).
    std::size_t index() const noexcept { return row_; }

private:
    friend class Result;
    Row(const Result *res, std::size_t row) noexcept : res_(res), row_(row) {}
    const Result *res_;
    std::size_t row_;
};

/// One statement's outcome (owns a pgtc_result): rows and columns as text,
/// the affected-row count, the command tag and where it ran. Iterate it with
/// range-for to get Rows.
class Result {
public:
    Result() noexcept = default;
    /// Adopt a pgtc_result (the Result frees it).
    explicit Result(pgtc_result *handle) noexcept : h_(handle) { cache(); }
    ~Result() { pgtc_result_free(h_); }
    Result(const Result &) = delete;
    Result &operator=(const Result &) = delete;
    Result(Result &&o) noexcept
        : h_(std::exchange(o.h_, nullptr)), rows_(std::exchange(o.rows_, 0)),
          cols_(std::exchange(o.cols_, 0)) {}
    Result &operator=(Result &&o) noexcept {
        if (this != &o) {
            pgtc_result_free(h_);
            h_ = std::exchange(o.h_, nullptr);
            rows_ = std::exchange(o.rows_, 0);
            cols_ = std::exchange(o.cols_, 0);
        }
        return *this;
    }

    /// Number of rows (0 for statements that return none).
    std::size_t rows() const noexcept { return rows_; }
    /// Number of columns.
    std::size_t cols() const noexcept { return cols_; }
    /// The name of column `col`; throws std::out_of_range when out of range.
    std::string_view column_name(std::size_t col) const {
        check_col(col);
        return detail::view(pgtc_result_col_name(h_, col));
    }
    /// The type OID of column `col` (23 = int4, 25 = text, …); throws
    /// std::out_of_range when out of range.
    std::uint32_t column_type(std::size_t col) const {
        check_col(col);
        return pgtc_result_col_type(h_, col);
    }
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE (rows returned by SELECT).
    std::uint64_t affected() const noexcept { return pgtc_result_affected(h_); }
    /// The command tag, e.g. "INSERT 0 1" ("" when there is none).
    std::string_view command() const noexcept { return detail::view(pgtc_result_command(h_)); }
    /// Where the statement ran.
    Server server() const noexcept { return static_cast<Server>(pgtc_result_server(h_)); }
    /// The value at (row, col) as text exactly as psql shows it; std::nullopt
    /// for SQL NULL. Throws std::out_of_range for a position out of range.
    std::optional<std::string_view> value(std::size_t row, std::size_t col) const {
        if (row >= rows_)
            throw std::out_of_range("pgtc::Result: row " + std::to_string(row) + " of " +
                                    std::to_string(rows_));
        check_col(col);
        const char *v = pgtc_result_value(h_, row, col);
        if (!v)
            return std::nullopt;
        return std::string_view(v);
    }
    /// True when the value at (row, col) is SQL NULL (false out of range).
    bool is_null(std::size_t row, std::size_t col) const noexcept {
        return pgtc_result_is_null(h_, row, col);
    }
    /// Row `row` (unchecked: a Row out of range throws on access).
    Row operator[](std::size_t row) const noexcept { return Row(this, row); }

    /// Forward iterator over the rows; dereferences to a Row by value.
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Row;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Row;
        iterator() noexcept = default;
        Row operator*() const noexcept { return Row(res_, row_); }
        iterator &operator++() noexcept {
            ++row_;
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator old = *this;
            ++row_;
            return old;
        }
        bool operator==(const iterator &o) const noexcept { return res_ == o.res_ && row_ == o.row_; }
        bool operator!=(const iterator &o) const noexcept { return !(*this == o); }

    private:
        friend class Result;
        iterator(const Result *res, std::size_t row) noexcept : res_(res), row_(row) {}
        const Result *res_ = nullptr;
        std::size_t row_ = 0;
    };
    iterator begin() const noexcept { return iterator(this, 0); }
    iterator end() const noexcept { return iterator(this, rows_); }

    /// The raw handle, still owned by this Result (NULL when empty).
    pgtc_result *get() const noexcept { return h_; }
    /// Give up ownership of the handle; the caller frees it.
    pgtc_result *release() noexcept {
        rows_ = cols_ = 0;
        return std::exchange(h_, nullptr);
    }
    /// True when the Result holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    void cache() noexcept {
        rows_ = pgtc_result_rows(h_);
        cols_ = pgtc_result_cols(h_);
    }
    void check_col(std::size_t col) const {
        if (col >= cols_)
            throw std::out_of_range("pgtc::Result: column " + std::to_string(col) + " of " +
                                    std::to_string(cols_));
    }
    pgtc_result *h_ = nullptr;
    std::size_t rows_ = 0; // a result is immutable: cache its shape
    std::size_t cols_ = 0;
};

inline std::optional<std::string_view> Row::operator[](std::size_t col) const {
    return res_->value(row_, col);
}
inline std::size_t Row::size() const noexcept { return res_->cols(); }

/// A routing decision from Connection::explain (owns a pgtc_route).
class Route {
public:
    Route() noexcept = default;
    /// Adopt a pgtc_route (the Route frees it).
    explicit Route(pgtc_route *handle) noexcept : h_(handle) {}
    ~Route() { pgtc_route_free(h_); }
    Route(const Route &) = delete;
    Route &operator=(const Route &) = delete;
    Route(Route &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    Route &operator=(Route &&o) noexcept {
        if (this != &o) {
            pgtc_route_free(h_);
            h_ = std::exchange(o.h_, nullptr);
        }
        return *this;
    }

    /// Where the statement would run now.
    Server server() const noexcept { return static_cast<Server>(pgtc_route_server(h_)); }
    /// Where it may run: Primary when it must run there, Both when either may.
    Server eligible() const noexcept { return static_cast<Server>(pgtc_route_eligible(h_)); }
    /// One sentence naming the rule behind the decision.
    std::string_view reason() const noexcept { return detail::view(pgtc_route_reason(h_)); }

    pgtc_route *get() const noexcept { return h_; }
    pgtc_route *release() noexcept { return std::exchange(h_, nullptr); }
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    pgtc_route *h_ = nullptr;
};

/// A logical connection (owns a pgtc_conn): a primary and a hot standby.
/// Used by one thread at a time; see the top of this header.
class Connection {
public:
    /// Parameters for exec: std::nullopt is SQL NULL.
    using Params = std::vector<std::optional<std::string>>;

    Connection() noexcept = default;
    /// Adopt a pgtc_conn (the Connection frees it).
    explicit Connection(pgtc_conn *handle) noexcept : h_(handle) {}
    ~Connection() { pgtc_conn_free(h_); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    Connection(Connection &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    Connection &operator=(Connection &&o) noexcept {
        if (this != &o) {
            pgtc_conn_free(h_);
            h_ = std::exchange(o.h_, nullptr);
        }
        return *this;
    }

    /// Open a logical connection (pgtc_conn_open): a libpq connection string
    /// listing both servers, in any order, plus pgtc's attributes.
    static Connection open(const std::string &conninfo) {
        pgtc_conn *c = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_open(detail::c_str(conninfo, "conninfo"), &c, &e);
        detail::check(st, e);
        return Connection(c);
    }

    /// Set one of pgtc's attributes (pgtc::attributes() lists them); names
    /// and values are case-insensitive.
    void set_attr(const std::string &name, const std::string &value) {
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_set_attr(h_, detail::c_str(name, "name"),
                                            detail::c_str(value, "value"), &e);
        detail::check(st, e);
    }

    /// The current value of one of pgtc's attributes (pgtc_conn_get_attr),
    /// in its canonical spelling, e.g. "READ_MOSTLY", "ON", "1000".
    std::string get_attr(const std::string &name) const {
        char buf[64] = {0}; // the C ABI promises 32 bytes suffice
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_get_attr(h_, detail::c_str(name, "name"), buf, sizeof buf, &e);
        detail::check(st, e);
        return std::string(buf);
    }

    /// Run SQL text (one statement or several separated by ';').
    Result exec(const std::string &sql) {
        pgtc_result *r = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_exec(h_, detail::c_str(sql, "sql"), &r, &e);
        detail::check(st, e);
        return Result(r);
    }

    /// Run one statement with text parameters $1…$n (std::nullopt = NULL),
    /// never interpolated into the SQL.
    Result exec(const std::string &sql, const Params &params) {
        std::vector<const char *> ptrs;
        ptrs.reserve(params.size());
        for (const auto &p : params)
            ptrs.push_back(p ? detail::c_str(*p, "parameter") : nullptr);
        pgtc_result *r = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_exec_params(h_, detail::c_str(sql, "sql"), ptrs.size(),
                                               ptrs.data(), &r, &e);
        detail::check(st, e);
        return Result(r);
    }

    /// Convenience: exec(sql, p1, p2, …) where each parameter is a string
    /// (std::string, std::string_view, const char *; a null const char * is
    /// NULL), an integer (bool becomes "true"/"false"), a
    /// std::optional<std::string>, or std::nullopt (NULL).
    template <class A, class... Rest,
              class = std::enable_if_t<detail::is_param<A>::value &&
                                       (detail::is_param<Rest>::value && ...)>>
    Result exec(const std::string &sql, A &&first, Rest &&...rest) {
        Params params;
        params.reserve(1 + sizeof...(Rest));
        params.push_back(detail::to_param(std::forward<A>(first)));
        (params.push_back(detail::to_param(std::forward<Rest>(rest))), ...);
        return exec(sql, params);
    }

    /// Where `sql` would run now and why, without running it.
    Route explain(const std::string &sql) {
        pgtc_route *r = nullptr;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_explain(h_, detail::c_str(sql, "sql"), &r, &e);
        detail::check(st, e);
        return Route(r);
    }

    /// Which servers are open: Both when healthy, Primary or Secondary when
    /// degraded to one, None when neither (or this Connection is empty).
    Server connected() const noexcept { return static_cast<Server>(pgtc_conn_connected(h_)); }
    /// True while a transaction is open.
    bool in_transaction() const noexcept { return pgtc_conn_in_transaction(h_); }
    /// True when session state that lives only on the primary pins it there.
    bool pinned() const noexcept { return pgtc_conn_pinned(h_); }
    /// One of the connection's counters (PGTC_COUNTER_SECONDARY, …).
    std::uint64_t counter(pgtc_counter counter) const noexcept {
        return pgtc_conn_counter(h_, static_cast<std::uint32_t>(counter));
    }

    /// The LSN floor this connection's reads go by, as text ("0/3015FF0"):
    /// under CONSISTENCY_SCOPE=PROCESS (the default) the process's floor for
    /// the cluster, under SESSION the connection's own ("0/0" before a
    /// write). A token to hand to raise_lsn_floor of another process.
    std::string lsn_floor() const {
        char buf[32] = {0}; // the C ABI promises 18 bytes suffice
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_lsn_floor(h_, buf, sizeof buf, &e);
        detail::check(st, e);
        return std::string(buf);
    }
    /// Raise the session's LSN floor to a token from lsn_floor(); never
    /// lowers it. Text that is not an LSN throws PGTC_STATUS_INVALID_ARGUMENT.
    void raise_lsn_floor(const std::string &lsn) {
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_raise_lsn_floor(h_, detail::c_str(lsn, "lsn"), &e);
        detail::check(st, e);
    }

    /// The replay lag of the standby this connection reads from, in
    /// milliseconds, as pgtc's monitor last measured it (an upper bound; see
    /// MAX_STANDBY_LAG_MS), or -1 while it is not known. Throws
    /// PGTC_STATUS_INVALID_STATE (08003) when the connection has no standby.
    std::int64_t standby_lag_ms() const {
        std::int64_t lag = -1;
        pgtc_error *e = nullptr;
        pgtc_status st = pgtc_conn_standby_lag_ms(h_, &lag, &e);
        detail::check(st, e);
        return lag;
    }

    /// The raw handle, still owned by this Connection (NULL when empty).
    pgtc_conn *get() const noexcept { return h_; }
    /// Give up ownership of the handle; the caller frees it.
    pgtc_conn *release() noexcept { return std::exchange(h_, nullptr); }
    /// True when the Connection holds a handle.
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    pgtc_conn *h_ = nullptr;
};

} // namespace pgtc

#endif // PGTC_HPP
