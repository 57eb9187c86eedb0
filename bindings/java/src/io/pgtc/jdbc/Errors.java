package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcException;
import io.pgtc.PgtcLibrary;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/**
 * SQLSTATE → the {@link SQLException} subclass JDBC defines for it, so that callers (and pools
 * such as HikariCP) can tell a broken connection from a failed statement by class as well as by
 * {@link SQLException#getSQLState()}. {@link SQLException#getErrorCode()} is the {@code
 * pgtc_status} (400 for a server error, 3xx for connection problems), or 0 for errors of the
 * driver itself.
 */
final class Errors {
    private Errors() {}

    /** The exception for {@code sqlState}, with {@code cause} chained. */
    static SQLException of(String message, String sqlState, int code, Throwable cause) {
        String st = sqlState == null || sqlState.isEmpty() ? null : sqlState;
        SQLException e = build(message, st, code);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static SQLException of(String message, String sqlState) {
        return of(message, sqlState, 0, null);
    }

    private static SQLException build(String m, String st, int code) {
        if (st == null) {
            return new SQLException(m, null, code);
        }
        switch (st) {
            case "08001": // cannot connect
            case "08004": // the server rejected the connection
            case "08003": // the connection does not exist (closed)
            case "08P01": // protocol violation
                return new SQLNonTransientConnectionException(m, st, code);
            case "57P01": // admin shutdown: the session is gone, a new one may work
            case "57P02":
            case "57P03":
                return new SQLTransientConnectionException(m, st, code);
            case "57014":
                // Cancelled (Statement.cancel, setQueryTimeout, setNetworkTimeout): the statement
                // failed, the connection is fine. Not SQLTimeoutException, on which HikariCP
                // 3.3.1 and later evict the connection; PgJDBC's is a plain SQLException too.
                return new SQLTransientException(m, st, code);
            case "40001":
            case "40P01":
                return new SQLTransactionRollbackException(m, st, code);
            default:
                break;
        }
        switch (st.substring(0, Math.min(2, st.length()))) {
            case "08":
                return new SQLTransientConnectionException(m, st, code);
            case "23":
                return new SQLIntegrityConstraintViolationException(m, st, code);
            case "40":
                return new SQLTransactionRollbackException(m, st, code);
            case "42":
                return new SQLSyntaxErrorException(m, st, code);
            case "0A":
                return new SQLFeatureNotSupportedException(m, st, code);
            case "28":
                return new SQLInvalidAuthorizationSpecException(m, st, code);
            case "22":
                return new SQLDataException(m, st, code);
            default:
                return new SQLException(m, st, code);
        }
    }

    /** The mapped form of an exception of pgtc's own binding (itself chained as the cause). */
    static SQLException wrap(PgtcException e) {
        return of(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
    }

    /** Throws the error of a C call unless {@code status} is OK; frees the C error in every case. */
    static void check(int status, PointerByReference err) throws SQLException {
        check(status, err.getValue());
    }

    /** {@link #check(int, PointerByReference)} with the error's pointer itself (or null). */
    static void check(int status, Pointer e) throws SQLException {
        PgtcLibrary lib = PgtcLibrary.INSTANCE;
        if (status == 0) {
            if (e != null) {
                lib.pgtc_error_free(e);
            }
            return;
        }
        if (e == null) {
            throw of(lib.pgtc_status_name(status), null, status, null);
        }
        try {
            throw fromError(e, status);
        } finally {
            lib.pgtc_error_free(e);
        }
    }

    /** The exception of a borrowed {@code pgtc_error}. */
    static SQLException fromError(Pointer e, int status) {
        PgtcLibrary lib = PgtcLibrary.INSTANCE;
        String st = lib.pgtc_error_sqlstate(e);
        PgtcException cause = new PgtcException(lib.pgtc_error_message(e), st, status);
        return of(cause.getMessage(), st, status, cause);
    }

    static SQLException closed(String what) {
        return of(what + " is closed", "08003");
    }

    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by pgtc's JDBC driver", "0A000");
    }
}
