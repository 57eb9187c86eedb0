package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcLibrary.SizeT;
import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A JDBC statement over pgtc: SQL text runs as one simple query ({@code pgtc_conn_exec}; several
 * statements give several results, read with {@link #getMoreResults()}), or, with a fetch size
 * above 0 and a single statement, as a stream ({@code pgtc_conn_stream}) read that many rows at
 * a time.
 */
public class PgtcStatement implements Statement {
    final PgtcConnection conn;
    private boolean closed;
    int maxRows;
    int fetchSize;
    int queryTimeout;
    private boolean closeOnCompletion;
    private int maxFieldSize;
    /** JDBC escapes ({fn …}, {d …}, {call …}, …) are rewritten (setEscapeProcessing). */
    private boolean escapeProcessing = true;

    /** The first native result of the last execution (owned; the others hang from it), or null. */
    private Pointer head;
    /** The result {@link #getMoreResults()} is on (borrowed from head), or null. */
    private Pointer current;
    PgtcResultSet resultSet;
    long updateCount = -1;
    PgtcResultSet generatedKeys;
    private final List<String> batch = new ArrayList<>();
    private Fast.Slots slots; // native words for the calls of executions (slots())

    PgtcStatement(PgtcConnection conn) {
        this.conn = conn;
        this.fetchSize = conn.defaultFetchSize;
        conn.register(this);
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw Errors.closed("pgtc JDBC Statement");
        }
        conn.live();
    }

    int timeoutMs() {
        return queryTimeout * 1000;
    }

    /** Native words for this statement's calls (used holding the connection). */
    Fast.Slots slots() {
        if (slots == null) {
            slots = new Fast.Slots();
        }
        return slots;
    }

    /** Frees what the last execution left (called holding the connection). */
    void clearResults() {
        if (resultSet != null) {
            resultSet.closeQuietly();
            resultSet = null;
        }
        if (generatedKeys != null) {
            generatedKeys.closeQuietly();
            generatedKeys = null;
        }
        if (head != null) {
            Fast.free(head);
            head = null;
        }
        current = null;
        updateCount = -1;
    }

    /** Makes {@code r} (borrowed from head) the current result. */
    private boolean select(Pointer r) throws SQLException {
        current = r;
        resultSet = null;
        updateCount = -1;
        if (r == null) {
            return false;
        }
        if (Fast.ENABLED) {
            long[] b = Fast.block(r, slots()); // one call for the counts, the columns and the values
            if (b[Fast.COLS] > 0) {
                resultSet = PgtcResultSet.ofBlock(this, r, b, maxRows);
                return true;
            }
            updateCount = b[Fast.AFFECTED];
            return false;
        }
        if (Fast.cols(r) > 0) {
            resultSet = PgtcResultSet.ofResult(this, r, false, maxRows);
            return true;
        }
        updateCount = Fast.affected(r);
        return false;
    }

    /** Takes ownership of {@code r}, the first result of an execution. */
    boolean take(Pointer r, boolean generated) throws SQLException {
        head = r;
        if (generated && Fast.cols(r) > 0) {
            // DML with RETURNING added by the driver: an update count, and its rows as the keys
            updateCount = Fast.affected(r);
            generatedKeys = PgtcResultSet.ofResult(this, r, false, 0);
            current = r;
            return false;
        }
        return select(r);
    }

    /** Starts a stream's ResultSet, or its update count when the statement was not a read. */
    boolean takeStream(Pointer stream) throws SQLException {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int st = PgtcConnection.LIB.pgtc_stream_next(stream, out, err);
        if (st != 0) {
            PgtcConnection.LIB.pgtc_stream_free(stream);
            Errors.check(st, err);
        }
        Pointer first = out.getValue();
        if (first == null || PgtcConnection.LIB.pgtc_result_cols(first).longValue() == 0) {
            updateCount = first == null ? 0 : PgtcConnection.LIB.pgtc_result_affected(first);
            if (first != null) {
                PgtcConnection.LIB.pgtc_result_free(first);
            }
            PgtcConnection.LIB.pgtc_stream_free(stream);
            return false;
        }
        resultSet = PgtcResultSet.ofStream(this, stream, first, maxRows);
        return true;
    }

    /** The text with its JDBC escapes rewritten, unless escape processing is off. */
    String escapes(String sql) throws SQLException {
        return escapeProcessing ? Escapes.translate(sql) : sql;
    }

    /** Runs SQL text without parameters. */
    boolean run(String sql) throws SQLException {
        checkOpen();
        SqlText text = SqlText.parse(escapes(sql), false);
        return conn.run(timeoutMs(), h -> {
            clearResults();
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            if (fetchSize > 0 && text.statements == 1) {
                int st = PgtcConnection.LIB.pgtc_conn_stream(h, text.sql, new SizeT(0), null, new SizeT(fetchSize), out, err);
                Errors.check(st, err);
                return takeStream(out.getValue());
            }
            int st = PgtcConnection.LIB.pgtc_conn_exec(h, text.sql, out, err);
            Errors.check(st, err);
            return take(out.getValue(), false);
        });
    }

    /** SQL with {@code RETURNING} added for generated keys, as PgJDBC adds it. */
    static String withReturning(String sql, String[] columns) {
        if (columns == null) {
            return sql;
        }
        String t = sql.trim();
        while (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        String lower = t.toLowerCase(Locale.ROOT);
        boolean dml = lower.startsWith("insert") || lower.startsWith("update") || lower.startsWith("delete") || lower.startsWith("merge") || lower.startsWith("with");
        if (!dml || lower.matches("(?s).*\\breturning\\b.*")) {
            return t;
        }
        if (columns.length == 0) {
            return t + " RETURNING *";
        }
        StringBuilder sb = new StringBuilder(t).append(" RETURNING ");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String c = columns[i];
            sb.append(c.startsWith("\"") ? c : '"' + c.replace("\"", "\"\"") + '"');
        }
        return sb.toString();
    }

    private boolean runWithKeys(String sql, String[] columns) throws SQLException {
        if (columns == null) {
            return run(sql);
        }
        checkOpen();
        String text = SqlText.parse(withReturning(escapes(sql), columns), false).sql;
        return conn.run(timeoutMs(), h -> {
            clearResults();
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            Errors.check(PgtcConnection.LIB.pgtc_conn_exec(h, text, out, err), err);
            return take(out.getValue(), true);
        });
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        synchronized (conn.pc) { // a close from another thread must not come between
            if (!run(sql)) {
                throw Errors.of("the statement returned no result set", "02000");
            }
            checkOpen();
            return resultSet;
        }
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        synchronized (conn.pc) {
            if (run(sql)) {
                throw Errors.of("the statement returned a result set (use executeQuery or execute)", "0100D");
            }
            return Math.max(updateCount, 0);
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        synchronized (conn.pc) {
            closeQuietly();
        }
    }

    /** Closes the statement and what it holds (the caller holds the connection, or it is closing). */
    void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        clearResults();
        freeNative();
        conn.unregister(this);
    }

    /** Releases native statements (PgtcPreparedStatement). */
    void freeNative() {}

    /** A ResultSet of this statement was closed. */
    void resultClosed(PgtcResultSet rs) {
        if (closeOnCompletion && !closed) {
            closeQuietly();
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return maxFieldSize;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw Errors.of("max field size " + max + " is negative", "22023");
        }
        maxFieldSize = max;
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw Errors.of("max rows " + max + " is negative", "22023");
        }
        maxRows = max;
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen(); // a PreparedStatement's text was rewritten when it was prepared, as JDBC says
        escapeProcessing = enable;
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeout;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw Errors.of("query timeout " + seconds + " is negative", "22023");
        }
        queryTimeout = seconds;
    }

    /** Cancels the statement running on this statement's connection (pgtc_conn_cancel), from any thread. */
    @Override
    public void cancel() throws SQLException {
        if (closed) {
            throw Errors.closed("pgtc JDBC Statement");
        }
        conn.cancel();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return conn.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        conn.clearWarnings();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        throw Errors.unsupported("setCursorName");
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(sql);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return (int) Math.min(Integer.MAX_VALUE, updateCount);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw Errors.unsupported("fetch directions other than FETCH_FORWARD");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw Errors.of("fetch size " + rows + " is negative", "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        if (sql == null) {
            throw Errors.of("SQL is null", "22023");
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] large = executeLargeBatch();
        int[] out = new int[large.length];
        for (int i = 0; i < large.length; i++) {
            out[i] = (int) Math.min(Integer.MAX_VALUE, large[i]);
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<String> todo = new ArrayList<>(batch);
        batch.clear();
        long[] counts = new long[todo.size()];
        for (int i = 0; i < todo.size(); i++) {
            try {
                if (run(todo.get(i))) {
                    throw Errors.of("a batch statement returned a result set", "0100D");
                }
                counts[i] = Math.max(updateCount, 0);
            } catch (SQLException e) {
                throw batchFailure(Arrays.copyOf(counts, i), e);
            }
        }
        clearResultsLocked();
        return counts;
    }

    void clearResultsLocked() {
        synchronized (conn.pc) {
            clearResults();
        }
    }

    static BatchUpdateException batchFailure(long[] done, SQLException e) {
        int[] small = new int[done.length];
        for (int i = 0; i < done.length; i++) {
            small[i] = (int) Math.min(Integer.MAX_VALUE, done[i]);
        }
        BatchUpdateException b = new BatchUpdateException(
                "batch entry " + done.length + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), small, e);
        b.setNextException(e);
        return b;
    }

    @Override
    public java.sql.Connection getConnection() throws SQLException {
        checkOpen();
        return conn;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        synchronized (conn.pc) {
            if (resultSet != null && current != KEEP_CURRENT_RESULT) {
                resultSet.closeQuietly();
            }
            Pointer next = this.current == null || resultSet != null && resultSet.streaming() ? null : PgtcConnection.LIB.pgtc_result_next(this.current);
            return select(next);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        if (generatedKeys == null) {
            throw Errors.of("no generated keys: execute with RETURN_GENERATED_KEYS or column names", "HY000");
        }
        return generatedKeys;
    }

    private static String[] keys(int autoGeneratedKeys) throws SQLException {
        switch (autoGeneratedKeys) {
            case RETURN_GENERATED_KEYS:
                return new String[0];
            case NO_GENERATED_KEYS:
                return null;
            default:
                throw Errors.of("autoGeneratedKeys " + autoGeneratedKeys + " is not RETURN_GENERATED_KEYS or NO_GENERATED_KEYS", "22023");
        }
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return executeUpdate(sql, keys(autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw Errors.unsupported("generated keys by column index (give column names)");
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        if (runWithKeys(sql, columnNames) && generatedKeys == null) {
            throw Errors.of("the statement returned a result set", "0100D");
        }
        return (int) Math.max(updateCount, 0);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return runWithKeys(sql, keys(autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        throw Errors.unsupported("generated keys by column index (give column names)");
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return runWithKeys(sql, columnNames);
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean isClosed() {
        return closed || conn.isClosed();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw Errors.of("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
