package io.pgtc;

/**
 * The {@code pgtc_status} codes ({@link PgtcException#getStatus()}). They are stable and grouped
 * in bands: 1xx bad arguments, 2xx connection string and attributes, 3xx connections, 4xx SQL
 * errors, 5xx pgtc itself.
 */
public final class Status {
    private Status() {}

    public static final int OK = 0;
    public static final int NULL_ARGUMENT = 100;
    public static final int INVALID_UTF8 = 101;
    public static final int INVALID_ARGUMENT = 102;
    /** Also used by this binding for a call on a closed object. */
    public static final int INVALID_STATE = 103;
    /** A buffer was too small for the text the library had to write. */
    public static final int BUFFER_TOO_SMALL = 104;
    public static final int CONNINFO_SYNTAX = 200;
    public static final int UNKNOWN_ATTRIBUTE = 201;
    public static final int INVALID_ATTRIBUTE_VALUE = 202;
    public static final int CONNECT_FAILED = 300;
    /** The connection a statement needed was lost; it may or may not have run (08006). */
    public static final int CONNECTION_LOST = 301;
    public static final int NO_PRIMARY = 302;
    public static final int AUTH_FAILED = 303;
    /** The primary was lost during a transaction: ROLLBACK, then retry it (08006/08007). */
    public static final int CONNECTION_SWITCHED = 304;
    /** A pool had no connection to give within POOL_ACQUIRE_TIMEOUT_MS (53300). */
    public static final int POOL_TIMEOUT = 305;
    /** The server reported an error; the SQLSTATE says which. */
    public static final int SQL = 400;
    public static final int PROTOCOL = 500;
    public static final int UNSUPPORTED = 501;
    public static final int INTERNAL = 502;

    /** The stable name of a code, e.g. "PGTC_STATUS_SQL" ("PGTC_STATUS_UNKNOWN" if unknown). */
    public static String name(int status) {
        return PgtcLibrary.INSTANCE.pgtc_status_name(status);
    }
}
