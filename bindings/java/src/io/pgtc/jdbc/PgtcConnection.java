package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcException;
import io.pgtc.PgtcLibrary;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDBC connection over one pgtc logical connection ({@link io.pgtc.Connection}: a primary and
 * a hot standby). Autocommit, isolation and read-only map to pgtc's AUTOCOMMIT, TXN_ISOLATION
 * and READ_ONLY attributes, so pgtc knows the session state it routes by. One call runs at a
 * time (calls from several threads wait for each other); {@link #abort}, {@link
 * Statement#cancel()} and timeouts cancel from any thread.
 */
public final class PgtcConnection implements java.sql.Connection {
    static final PgtcLibrary LIB = PgtcLibrary.INSTANCE;

    /** Cancels statements past their query or network timeout. */
    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "pgtc-jdbc-timeout");
                        t.setDaemon(true);
                        return t;
                    });

    private static final AtomicInteger SAVEPOINTS = new AtomicInteger();

    final io.pgtc.Connection pc;
    private final Pointer handle; // valid until closeNative()
    private final Object cancelLock = new Object();
    private final String url;
    final int defaultFetchSize;
    private final PgtcDataSource.Release release; // null: close frees the connection
    private volatile boolean closed; // for callers
    private boolean freed; // the native connection is released (guarded by cancelLock)
    private boolean autoCommit = true;
    private int networkTimeoutMs;
    private boolean readUncommitted; // asked for; pgtc (as PostgreSQL) runs it as READ_COMMITTED
    private SQLWarning warnings;
    private final Set<PgtcStatement> statements = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * The notice callback installed on each native connection, held here until the connection
     * is closed so that JNA never frees a callback pgtc may still call: a connection that is
     * never closed is freed (or given back to its pool, which resets it) by a Cleaner after this
     * object is gone, and its callback must outlive that. The callback reaches its JDBC
     * connection only through a weak reference.
     */
    private static final Map<Pointer, PgtcLibrary.NoticeHandler> HANDLERS = new java.util.concurrent.ConcurrentHashMap<>();

    PgtcConnection(io.pgtc.Connection pc, String url, int defaultFetchSize) throws SQLException {
        this(pc, url, defaultFetchSize, null);
    }

    PgtcConnection(io.pgtc.Connection pc, String url, int defaultFetchSize, PgtcDataSource.Release release)
            throws SQLException {
        this.pc = pc;
        this.url = url;
        this.defaultFetchSize = defaultFetchSize;
        this.release = release;
        this.handle = pc.nativeHandle();
        java.lang.ref.WeakReference<PgtcConnection> self = new java.lang.ref.WeakReference<>(this);
        PgtcLibrary.NoticeHandler notices = (user, notice, server) -> {
            PgtcConnection c = self.get();
            if (c != null) {
                c.addWarning(notice);
            }
        };
        HANDLERS.put(handle, notices);
        synchronized (pc) {
            PointerByReference err = new PointerByReference();
            Errors.check(LIB.pgtc_conn_set_notice_handler(handle, notices, null, err), err);
            try {
                autoCommit = !"OFF".equals(pc.getAttribute("AUTOCOMMIT"));
            } catch (PgtcException e) {
                throw Errors.wrap(e);
            }
        }
    }

    private void addWarning(Pointer notice) {
        SQLWarning w = new SQLWarning(LIB.pgtc_error_message(notice), emptyToNull(LIB.pgtc_error_sqlstate(notice)));
        synchronized (cancelLock) {
            if (warnings == null) {
                warnings = w;
            } else {
                warnings.setNextWarning(w);
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The native handle for a call made while holding {@code pc}'s lock; 08003 once closed. */
    Pointer live() throws SQLException {
        if (closed) {
            throw Errors.closed("pgtc JDBC Connection");
        }
        return handle;
    }

    /** A native call that takes the connection's handle. */
    interface Call<T> {
        T run(Pointer conn) throws SQLException;
    }

    /**
     * Runs {@code call} holding the connection, cancelling it after {@code timeoutMs} (or the
     * network timeout when that is shorter and set; 0: none).
     */
    <T> T run(int timeoutMs, Call<T> call) throws SQLException {
        int t = timeoutMs;
        if (networkTimeoutMs > 0 && (t == 0 || networkTimeoutMs < t)) {
            t = networkTimeoutMs;
        }
        synchronized (pc) {
            Pointer h = live();
            Timeout timer = t > 0 ? new Timeout(t) : null;
            try {
                return call.run(h);
            } finally {
                if (timer != null) {
                    timer.stop();
                }
            }
        }
    }

    /**
     * Cancels the call in progress once it has run {@code ms} milliseconds, and again every 100
     * ms until it returns: a cancel that reaches the server before the statement started does
     * nothing.
     */
    private final class Timeout implements Runnable {
        private ScheduledFuture<?> next;
        private boolean stopped;

        Timeout(int ms) {
            next = TIMER.schedule(this, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            cancelQuietly();
            synchronized (this) {
                if (!stopped) {
                    next = TIMER.schedule(this, 100, TimeUnit.MILLISECONDS);
                }
            }
        }

        synchronized void stop() {
            stopped = true;
            next.cancel(false);
        }
    }

    /** Cancels what the connection runs now, from any thread (pgtc_conn_cancel). */
    void cancel() throws SQLException {
        synchronized (cancelLock) {
            if (freed) {
                return;
            }
            PointerByReference err = new PointerByReference();
            Errors.check(LIB.pgtc_conn_cancel(handle, err), err);
        }
    }

    private void cancelQuietly() {
        try {
            cancel();
        } catch (SQLException e) {
            // the statement's own outcome tells the caller what happened
        }
    }

    /** Runs SQL text for the driver (COMMIT, SAVEPOINT, …), discarding its result. */
    void execute(String sql) throws SQLException {
        run(0, h -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_conn_exec(h, sql, out, err);
            Errors.check(st, err);
            LIB.pgtc_result_free(out.getValue());
            return null;
        });
    }

    void register(PgtcStatement s) {
        synchronized (statements) {
            statements.add(s);
        }
    }

    void unregister(PgtcStatement s) {
        synchronized (statements) {
            statements.remove(s);
        }
    }

    private void setAttr(String name, String value) throws SQLException {
        synchronized (pc) {
            live();
            try {
                pc.setAttr(name, value);
            } catch (PgtcException e) {
                throw Errors.wrap(e);
            }
        }
    }

    private String getAttr(String name) throws SQLException {
        synchronized (pc) {
            live();
            try {
                return pc.getAttribute(name);
            } catch (PgtcException e) {
                throw Errors.wrap(e);
            }
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        live();
        return new PgtcStatement(this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        live();
        return new PgtcPreparedStatement(this, Escapes.translate(sql), null);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        live();
        return new PgtcCallableStatement(this, Escapes.call(sql));
    }

    /** The text as the driver sends it: escapes rewritten ({@code {? = call …}} without its slot), markers as $n. */
    @Override
    public String nativeSQL(String sql) throws SQLException {
        live();
        return SqlText.parse(Escapes.call(sql).sql, true).sql;
    }

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        setAttr("AUTOCOMMIT", on ? "ON" : "OFF");
        autoCommit = on;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        live();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        live();
        if (autoCommit) {
            throw Errors.of("cannot commit when autocommit is on", "25P01");
        }
        execute("COMMIT");
    }

    @Override
    public void rollback() throws SQLException {
        live();
        if (autoCommit) {
            throw Errors.of("cannot roll back when autocommit is on", "25P01");
        }
        execute("ROLLBACK");
    }

    /** True while a transaction is open. */
    boolean inTransaction() {
        return !closed && pc.inTransaction();
    }

    @Override
    public void close() throws SQLException {
        synchronized (pc) {
            closeNative();
        }
    }

    private void closeNative() {
        synchronized (cancelLock) {
            if (freed) {
                return;
            }
        }
        PgtcStatement[] open;
        synchronized (statements) {
            open = statements.toArray(new PgtcStatement[0]);
        }
        for (PgtcStatement s : open) {
            s.closeQuietly(); // statements and streams go before their connection
        }
        // The pool's reset of the connection and its next borrower must not reach this object.
        PointerByReference err = new PointerByReference();
        LIB.pgtc_conn_set_notice_handler(handle, null, null, err);
        if (err.getValue() != null) {
            LIB.pgtc_error_free(err.getValue());
        }
        HANDLERS.remove(handle);
        synchronized (cancelLock) {
            closed = true;
            freed = true;
        }
        if (release != null) {
            release.release(this);
        } else {
            pc.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        live();
        return PgtcDatabaseMetaData.create(this, url);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        setAttr("READ_ONLY", readOnly ? "ON" : "OFF");
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return "ON".equals(getAttr("READ_ONLY"));
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        live(); // as PgJDBC: ignored
    }

    @Override
    public String getCatalog() throws SQLException {
        return scalar("SELECT current_database()");
    }

    /** The first value of a query run by the driver. */
    String scalar(String sql) throws SQLException {
        return run(0, h -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            Errors.check(LIB.pgtc_conn_exec(h, sql, out, err), err);
            Pointer r = out.getValue();
            try {
                return LIB.pgtc_result_rows(r).longValue() == 0 ? null : LIB.pgtc_result_value(r, new PgtcLibrary.SizeT(0), new PgtcLibrary.SizeT(0));
            } finally {
                LIB.pgtc_result_free(r);
            }
        });
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        String v;
        switch (level) {
            case TRANSACTION_READ_UNCOMMITTED:
                v = "READ_UNCOMMITTED"; // PostgreSQL runs it as READ COMMITTED
                break;
            case TRANSACTION_READ_COMMITTED:
                v = "READ_COMMITTED";
                break;
            case TRANSACTION_REPEATABLE_READ:
                v = "REPEATABLE_READ";
                break;
            case TRANSACTION_SERIALIZABLE:
                v = "SERIALIZABLE";
                break;
            default:
                throw Errors.of("transaction isolation level " + level + " is not supported", "0A000");
        }
        setAttr("TXN_ISOLATION", v);
        readUncommitted = level == TRANSACTION_READ_UNCOMMITTED;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        switch (getAttr("TXN_ISOLATION")) {
            case "READ_UNCOMMITTED":
                return TRANSACTION_READ_UNCOMMITTED;
            case "REPEATABLE_READ":
                return TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE":
                return TRANSACTION_SERIALIZABLE;
            default:
                return readUncommitted ? TRANSACTION_READ_UNCOMMITTED : TRANSACTION_READ_COMMITTED;
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        live();
        synchronized (cancelLock) {
            return warnings;
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        live();
        synchronized (cancelLock) {
            warnings = null;
        }
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkCursor(type, concurrency, ResultSet.HOLD_CURSORS_OVER_COMMIT);
        return createStatement();
    }

    private void checkCursor(int type, int concurrency, int holdability) throws SQLException {
        live();
        if (type != ResultSet.TYPE_FORWARD_ONLY) {
            throw Errors.unsupported("scrollable result sets");
        }
        if (concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw Errors.unsupported("updatable result sets");
        }
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw Errors.of("bad holdability " + holdability, "HY024");
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        checkCursor(type, concurrency, ResultSet.HOLD_CURSORS_OVER_COMMIT);
        return prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        checkCursor(type, concurrency, ResultSet.HOLD_CURSORS_OVER_COMMIT);
        return prepareCall(sql);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        live();
        return new java.util.HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        throw Errors.unsupported("setTypeMap");
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkCursor(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        live();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    /** A savepoint set with SQL's SAVEPOINT. */
    static final class PgtcSavepoint implements Savepoint {
        final int id;
        final String name;
        final String sqlName;

        PgtcSavepoint(int id, String name) {
            this.id = id;
            this.name = name;
            this.sqlName = name == null ? "pgtc_savepoint_" + id : '"' + name.replace("\"", "\"\"") + '"';
        }

        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw Errors.of("a named savepoint has no id", "3B000");
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw Errors.of("an unnamed savepoint has no name", "3B000");
            }
            return name;
        }
    }

    private Savepoint savepoint(String name) throws SQLException {
        live();
        if (autoCommit) {
            throw Errors.of("cannot set a savepoint when autocommit is on", "25P01");
        }
        PgtcSavepoint sp = new PgtcSavepoint(SAVEPOINTS.incrementAndGet(), name);
        execute("SAVEPOINT " + sp.sqlName);
        return sp;
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return savepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null) {
            throw Errors.of("savepoint name is null", "3B000");
        }
        return savepoint(name);
    }

    private static PgtcSavepoint own(Savepoint s) throws SQLException {
        if (!(s instanceof PgtcSavepoint)) {
            throw Errors.of("not a savepoint of this driver", "3B001");
        }
        return (PgtcSavepoint) s;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        live();
        execute("ROLLBACK TO SAVEPOINT " + own(savepoint).sqlName);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        live();
        execute("RELEASE SAVEPOINT " + own(savepoint).sqlName);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkCursor(type, concurrency, holdability);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) throws SQLException {
        checkCursor(type, concurrency, holdability);
        return prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        checkCursor(type, concurrency, holdability);
        return prepareCall(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        live();
        return new PgtcPreparedStatement(this, Escapes.translate(sql), autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS ? new String[0] : null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        throw Errors.unsupported("generated keys by column index (give column names)");
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        live();
        return new PgtcPreparedStatement(this, Escapes.translate(sql), columnNames == null ? new String[0] : columnNames.clone());
    }

    @Override
    public Clob createClob() throws SQLException {
        throw Errors.unsupported("createClob");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw Errors.unsupported("createBlob");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw Errors.unsupported("createNClob");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw Errors.unsupported("createSQLXML");
    }

    /**
     * True while the connection is open and pgtc holds at least one usable server connection
     * ({@code pgtc_conn_connected}): pgtc learns of a lost server at the statement that finds
     * it, so this costs no round trip.
     */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw Errors.of("isValid timeout " + timeout + " is negative", "22023");
        }
        synchronized (pc) { // waits for a call in progress: the C ABI takes one call at a time
            return !closed && LIB.pgtc_conn_connected(handle) != 0;
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if ("ApplicationName".equals(name)) {
            try {
                execute("SET application_name = '" + (value == null ? "" : value.replace("'", "''")) + "'");
                return;
            } catch (SQLException e) {
                throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
            }
        }
        throw new SQLClientInfoException("client info " + name + " is not supported (only ApplicationName)", "0A000", Map.of());
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        for (String n : properties.stringPropertyNames()) {
            setClientInfo(n, properties.getProperty(n));
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return "ApplicationName".equals(name) ? scalar("SHOW application_name") : null;
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", scalar("SHOW application_name"));
        return p;
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        throw Errors.unsupported("createArrayOf");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw Errors.unsupported("createStruct");
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if (schema == null) {
            throw Errors.of("schema is null", "22023");
        }
        execute("SET search_path TO \"" + schema.replace("\"", "\"\"") + "\"");
    }

    @Override
    public String getSchema() throws SQLException {
        return scalar("SELECT current_schema()");
    }

    /**
     * Closes the connection from any thread: it is closed for callers at once; {@code executor}
     * then cancels the statement in progress and frees the connection once that has returned.
     */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw Errors.of("abort needs an executor", "22023");
        }
        if (closed) {
            return;
        }
        closed = true; // for callers at once; the native connection is freed below
        executor.execute(() -> {
            // The closer waits for the call in progress; a cancel that reaches the server before
            // that statement started does nothing, so cancel again until the closer is through.
            Thread closer = new Thread(() -> {
                synchronized (pc) {
                    closeNative();
                }
            }, "pgtc-jdbc-abort");
            closer.setDaemon(true);
            closer.start();
            try {
                while (closer.isAlive()) {
                    cancelQuietly();
                    closer.join(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        live();
        if (milliseconds < 0) {
            throw Errors.of("network timeout " + milliseconds + " is negative", "22023");
        }
        networkTimeoutMs = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        live();
        return networkTimeoutMs;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(pc)) {
            return iface.cast(pc);
        }
        throw Errors.of("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isInstance(pc);
    }
}
