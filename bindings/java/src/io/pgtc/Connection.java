package io.pgtc;

import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcLibrary.SizeT;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

/**
 * A pgtc logical connection, owning a native {@code pgtc_conn}: one physical connection to the
 * primary and one to a hot standby. pgtc routes each statement (with {@code
 * PREFERRED_ACCESS=READ_MOSTLY}: reads to the less loaded server, writes to the primary, and
 * reads after a write to the standby only once it has replayed that write); this class adds no
 * logic of its own.
 *
 * <pre>{@code
 * try (Connection conn = Connection.open(
 *         "host=a,b port=5432,5432 user=app dbname=app PREFERRED_ACCESS=READ_MOSTLY");
 *      Result res = conn.exec("SELECT name FROM users WHERE id = $1", "42")) {
 *     System.out.println(res.getString(0, 0) + " (ran on " + res.server() + ")");
 * }
 * }</pre>
 *
 * <p>Ownership: close the Connection (try-with-resources) to close both physical connections; an
 * open transaction is rolled back by the servers. A Connection from {@link Pool#getConnection()}
 * goes back to its pool instead. {@link #close()} is idempotent. A Connection
 * that is never closed is freed by a {@link Cleaner} once it becomes unreachable, exactly once.
 * After close, the fallible methods throw {@link PgtcException} with status {@link
 * Status#INVALID_STATE} and SQLSTATE 08003, and {@link #connected()}, {@link #inTransaction()},
 * {@link #pinned()} and {@link #counter(int)} answer NONE, false, false and 0. {@link Result}s
 * are independent of their Connection and stay readable after it is closed.
 *
 * <p>Thread safety: the native connection must be used by one thread at a time; this class
 * enforces that by making every method synchronized, so a Connection may be shared between
 * threads but runs one call at a time (a call waits for the one in progress, as with a JDBC
 * connection). For parallel statements, open one Connection per thread.
 *
 * <p>Strings cross into C as UTF-8; a string containing a NUL character is refused ({@link
 * Status#INVALID_ARGUMENT}) instead of being cut short. Parameters are text, typed by the server
 * as with libpq's PQexecParams and never interpolated into the SQL.
 */
public final class Connection implements AutoCloseable {
    private static final PgtcLibrary LIB = PgtcLibrary.INSTANCE;

    private Pointer ptr; // null once closed
    private final Cleaner.Cleanable cleanable;
    private final boolean lent; // by a Pool: close() gives it back

    private Connection(Pointer ptr, boolean lent) {
        this.ptr = ptr;
        this.lent = lent;
        // pgtc_conn_free closes an own connection and gives a lent one back to its pool.
        this.cleanable = Handles.CLEANER.register(this, new Handles.FreeConn(ptr));
    }

    /** A connection lent by {@link Pool#getConnection()}. */
    static Connection lent(Pointer ptr) {
        return new Connection(ptr, true);
    }

    /**
     * Opens a logical connection ({@code pgtc_conn_open}): a libpq connection string listing both
     * servers in any order, plus pgtc's attributes (PREFERRED_ACCESS, AUTOCOMMIT, TXN_ISOLATION,
     * …). Opens degraded when only one server can be reached.
     */
    public static Connection open(String conninfo) throws PgtcException {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int st = LIB.pgtc_conn_open(Handles.text(conninfo, "conninfo"), out, err);
        PgtcException.check(st, err);
        return new Connection(out.getValue(), false);
    }

    private Pointer live() throws PgtcException {
        if (ptr == null) {
            throw lent
                    ? new PgtcException(
                            "pgtc Connection was given back to its pool; get another from Pool.getConnection()",
                            "08003",
                            Status.INVALID_STATE)
                    : PgtcException.closed("pgtc Connection");
        }
        return ptr;
    }

    /**
     * Sets one of pgtc's attributes ({@link Pgtc#attributes()} lists them; names and values are
     * case-insensitive).
     */
    public synchronized void setAttr(String name, String value) throws PgtcException {
        try {
            PointerByReference err = new PointerByReference();
            int st =
                    LIB.pgtc_conn_set_attr(
                            live(), Handles.text(name, "name"), Handles.text(value, "value"), err);
            PgtcException.check(st, err);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The current value of one of pgtc's attributes ({@code pgtc_conn_get_attr}) in its canonical
     * spelling, e.g. "READ_MOSTLY", "ON", "1000".
     */
    public synchronized String getAttribute(String name) throws PgtcException {
        try {
            byte[] buf = new byte[64]; // the C ABI promises 32 bytes suffice
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_get_attr(live(), Handles.text(name, "name"), buf, new SizeT(buf.length), err);
            PgtcException.check(st, err);
            int len = 0;
            while (len < buf.length && buf[len] != 0) {
                len++;
            }
            return new String(buf, 0, len, StandardCharsets.UTF_8);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Runs SQL text (one statement, or several separated by ';': the last one's outcome). */
    public synchronized Result exec(String sql) throws PgtcException {
        try {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_exec(live(), Handles.text(sql, "sql"), out, err);
            PgtcException.check(st, err);
            return new Result(out.getValue());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Runs one statement with text parameters {@code $1 … $n}; a null element is SQL NULL. Pass
     * {@code (String) null} for a single NULL parameter; a null array is refused.
     */
    public synchronized Result exec(String sql, String... params) throws PgtcException {
        if (params == null) {
            throw new PgtcException(
                    "params is null (pass (String) null for one SQL NULL)", null, Status.NULL_ARGUMENT);
        }
        try {
            for (int i = 0; i < params.length; i++) {
                Handles.text(params[i], "parameter $" + (i + 1));
            }
            StringArray array = params.length == 0 ? null : new StringArray(params, "UTF-8");
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st =
                    LIB.pgtc_conn_exec_params(
                            live(), Handles.text(sql, "sql"), new SizeT(params.length), array, out, err);
            Reference.reachabilityFence(array);
            PgtcException.check(st, err);
            return new Result(out.getValue());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Runs SQL text and copies its outcome into a {@link Table}, closing the native result. */
    public synchronized Table query(String sql) throws PgtcException {
        try (Result r = exec(sql)) {
            return r.toTable();
        }
    }

    /** Runs one statement with parameters and copies its outcome into a {@link Table}. */
    public synchronized Table query(String sql, String... params) throws PgtcException {
        try (Result r = exec(sql, params)) {
            return r.toTable();
        }
    }

    /** Where {@code sql} would run now and why, without running it or changing any state. */
    public synchronized Route explain(String sql) throws PgtcException {
        try {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_explain(live(), Handles.text(sql, "sql"), out, err);
            PgtcException.check(st, err);
            Pointer route = out.getValue();
            try {
                return new Route(
                        Server.fromCode(LIB.pgtc_route_server(route)),
                        Server.fromCode(LIB.pgtc_route_eligible(route)),
                        LIB.pgtc_route_reason(route));
            } finally {
                LIB.pgtc_route_free(route);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Which servers are open: BOTH when healthy, PRIMARY or SECONDARY when degraded, NONE when closed. */
    public synchronized Server connected() {
        try {
            return Server.fromCode(LIB.pgtc_conn_connected(ptr));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** True while a transaction is open (after BEGIN, or the first statement with AUTOCOMMIT=OFF). */
    public synchronized boolean inTransaction() {
        try {
            return LIB.pgtc_conn_in_transaction(ptr) != 0;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** True when session state that lives only on the primary pins the session there. */
    public synchronized boolean pinned() {
        try {
            return LIB.pgtc_conn_pinned(ptr) != 0;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** One of the connection's counters (a {@link Counter} value); 0 for an unknown one. */
    public synchronized long counter(int counter) {
        try {
            return LIB.pgtc_conn_counter(ptr, counter);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The LSN floor this connection's reads go by, as text ("0/3015FF0"): under
     * CONSISTENCY_SCOPE=PROCESS (the default) the process's floor for the cluster, under SESSION
     * the connection's own ("0/0" before its first write). A token to hand to {@link
     * #raiseLsnFloor(String)} of a connection of another process.
     */
    public synchronized String lsnFloor() throws PgtcException {
        try {
            byte[] buf = new byte[32]; // the C ABI promises 18 bytes suffice
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_lsn_floor(live(), buf, new SizeT(buf.length), err);
            PgtcException.check(st, err);
            int len = 0;
            while (len < buf.length && buf[len] != 0) {
                len++;
            }
            return new String(buf, 0, len, StandardCharsets.US_ASCII);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Raises the session's LSN floor to a token from {@link #lsnFloor()} (never lowers it): from
     * then on it reads from the standby only once the standby has replayed it.
     */
    public synchronized void raiseLsnFloor(String lsn) throws PgtcException {
        try {
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_raise_lsn_floor(live(), Handles.text(lsn, "lsn"), err);
            PgtcException.check(st, err);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The replay lag of the standby this connection reads from, in milliseconds, as pgtc's
     * monitor last measured it (an upper bound; see MAX_STANDBY_LAG_MS), or -1 while it is not
     * known. Throws INVALID_STATE (08003) when the connection has no standby.
     */
    public synchronized long standbyLagMs() throws PgtcException {
        try {
            LongByReference out = new LongByReference(-1);
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_standby_lag_ms(live(), out, err);
            PgtcException.check(st, err);
            return out.getValue();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The native {@code pgtc_conn}, borrowed (null once closed), for layers built on this binding
     * (the JDBC driver) that call {@link PgtcLibrary} directly. Such callers synchronize on this
     * Connection around every call, as its own methods do, and never free it.
     */
    public Pointer nativeHandle() {
        synchronized (this) {
            return ptr;
        }
    }

    /** True once {@link #close()} ran. */
    public synchronized boolean isClosed() {
        return ptr == null;
    }

    /** True for a connection lent by a {@link Pool} (closing it gives it back). */
    public boolean isPooled() {
        return lent;
    }

    /**
     * Closes both physical connections and frees the native connection; idempotent. A connection
     * lent by a {@link Pool} is given back to it instead (rolled back and reset there), and this
     * object is closed for good.
     */
    @Override
    public synchronized void close() {
        if (ptr != null) {
            ptr = null;
            cleanable.clean();
        }
    }
}
