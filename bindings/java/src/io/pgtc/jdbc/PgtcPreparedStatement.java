package io.pgtc.jdbc;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcLibrary.SizeT;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ParameterMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;

/**
 * A JDBC prepared statement over a pgtc prepared statement ({@code pgtc_conn_prepare}, then
 * {@code pgtc_stmt_exec_formats} or, with a fetch size above 0, {@code pgtc_stmt_stream}).
 * {@code ?} markers become {@code $n}; each setter binds a typed value (int4 in binary for setInt,
 * numbers in binary, bytea in binary for setBytes, …; setString's type is left for the server to
 * infer). The statement is
 * prepared at its first execution, and again when the types bound change.
 */
public class PgtcPreparedStatement extends PreparedStubs {
    private final String sql; // with $n, and RETURNING when keys were asked for
    private final SqlText text;
    private final int n;
    private final boolean keys;
    private Object[] values; // String (text) or byte[] (binary); null = SQL NULL
    private int[] oids;
    private boolean[] bound;
    private Pointer stmt; // prepared for preparedOids
    private int[] preparedOids;
    private final List<Object[]> batch = new ArrayList<>();

    PgtcPreparedStatement(PgtcConnection conn, String sql, String[] keyColumns) throws SQLException {
        super(conn);
        SqlText text = SqlText.parse(keyColumns == null ? sql : withReturning(sql, keyColumns), true);
        this.text = text;
        this.sql = text.sql;
        this.n = text.params;
        this.keys = keyColumns != null;
        clear();
    }

    private void clear() {
        values = new Object[n];
        oids = new int[n];
        bound = new boolean[n];
    }

    /** Every setter binds here (PgtcCallableStatement shifts the index past its return value). */
    void bind(int index, int oid, Object value) throws SQLException {
        checkOpen();
        if (index < 1 || index > n) {
            throw Errors.of("parameter index " + index + " is out of range 1-" + n, "22023");
        }
        if (value instanceof String && ((String) value).indexOf('\0') >= 0) {
            throw Errors.of("parameter " + index + " contains a NUL character (PostgreSQL text cannot hold one)", "22021");
        }
        values[index - 1] = value;
        oids[index - 1] = oid;
        bound[index - 1] = true;
    }

    @Override
    void freeNative() {
        if (stmt != null) {
            PgtcConnection.LIB.pgtc_stmt_free(stmt);
            stmt = null;
        }
    }

    /** Runs the statement with the values bound now (holding the connection). */
    private boolean exec(Object[] vals, int[] types) throws SQLException {
        for (int i = 0; i < n; i++) {
            if (types == oids ? !bound[i] : false) {
                throw Errors.of("no value specified for parameter " + (i + 1), "22023");
            }
        }
        checkOpen();
        return conn.run(timeoutMs(), h -> {
            clearResults();
            prepared(h, types);
            if (Fast.ENABLED && !(fetchSize > 0 && !keys)) {
                Fast.Slots slots = slots();
                int st;
                if (n == 0) {
                    st = Fast.execPacked(stmt, 0, null, slots);
                } else {
                    Packed p = new Packed(n, 1);
                    p.add(vals);
                    st = Fast.execPacked(stmt, n, p, slots);
                }
                if (st != 0) {
                    Errors.check(st, slots.error());
                }
                return take(slots.result(), keys);
            }
            Pointer[] ptrs = new Pointer[Math.max(n, 1)];
            int[] lengths = new int[Math.max(n, 1)];
            int[] formats = new int[Math.max(n, 1)];
            Memory[] keep = new Memory[n];
            for (int i = 0; i < n; i++) {
                Object v = vals[i];
                byte[] bytes;
                if (v == null) {
                    continue;
                } else if (v instanceof byte[]) {
                    bytes = (byte[]) v;
                    formats[i] = 1;
                    lengths[i] = bytes.length;
                    keep[i] = new Memory(Math.max(bytes.length, 1));
                    keep[i].write(0, bytes, 0, bytes.length);
                } else {
                    bytes = ((String) v).getBytes(StandardCharsets.UTF_8);
                    keep[i] = new Memory(bytes.length + 1L);
                    keep[i].write(0, bytes, 0, bytes.length);
                    keep[i].setByte(bytes.length, (byte) 0);
                    lengths[i] = bytes.length;
                }
                ptrs[i] = keep[i];
            }
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            boolean result;
            if (fetchSize > 0 && !keys) {
                int st = PgtcConnection.LIB.pgtc_stmt_stream(stmt, new SizeT(n), ptrs, lengths, formats, new SizeT(fetchSize), out, err);
                Errors.check(st, err);
                result = takeStream(out.getValue());
            } else {
                int st = PgtcConnection.LIB.pgtc_stmt_exec_formats(stmt, new SizeT(n), ptrs, lengths, formats, out, err);
                Errors.check(st, err);
                result = take(out.getValue(), keys);
            }
            java.lang.ref.Reference.reachabilityFence(keep);
            return result;
        });
    }

    /** Prepares the statement for parameter types {@code types} unless it is already (holding the connection). */
    private void prepared(Pointer h, int[] types) throws SQLException {
        if (stmt == null || !Arrays.equals(preparedOids, types)) {
            freeNative();
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = PgtcConnection.LIB.pgtc_conn_prepare(h, sql, new SizeT(n), n == 0 ? null : types.clone(), out, err);
            Errors.check(st, err);
            stmt = out.getValue();
            preparedOids = types.clone();
        }
    }

    /**
     * Parameter sets packed as {@code pgtc_stmt_exec_packed} and {@code pgtc_stmt_exec_batch}
     * take them: every value's bytes one after another, each one's length (-1 for NULL), and per
     * parameter its format (1 where a value is a byte[], sent in binary).
     */
    static final class Packed {
        private final int n;
        byte[] data;
        int len;
        final int[] lengths;
        private final int[] formats;
        private boolean binary;
        private int at;

        Packed(int n, int sets) {
            this.n = n;
            data = new byte[Math.max(16, 16 * n * sets)];
            lengths = new int[Math.max(n * sets, 1)];
            formats = new int[Math.max(n, 1)];
        }

        void add(Object[] vals) {
            for (int i = 0; i < n; i++) {
                Object v = vals[i];
                byte[] b;
                if (v == null) {
                    lengths[at++] = -1;
                    continue;
                } else if (v instanceof byte[]) {
                    b = (byte[]) v;
                    formats[i] = 1;
                    binary = true;
                } else {
                    b = ((String) v).getBytes(StandardCharsets.UTF_8);
                }
                if (len + b.length > data.length) {
                    data = Arrays.copyOf(data, Math.max(data.length * 2, len + b.length));
                }
                System.arraycopy(b, 0, data, len, b.length);
                len += b.length;
                lengths[at++] = b.length;
            }
        }

        /** The formats, or null when every value is text. */
        int[] formats() {
            return binary ? formats : null;
        }

        /** Whether {@code vals} sends each parameter in the same format as the sets added so far. */
        static boolean sameFormats(Object[] a, Object[] b) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] != null && b[i] != null && (a[i] instanceof byte[]) != (b[i] instanceof byte[])) {
                    return false;
                }
            }
            return true;
        }
    }

    private static SQLException withText() {
        return Errors.of("a PreparedStatement does not take SQL text here (use a Statement)", "42809");
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw withText();
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw withText();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw withText();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        throw withText();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw withText();
    }

    @Override
    public boolean execute() throws SQLException {
        return exec(values, oids);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        synchronized (conn.pc) { // a close from another thread must not come between
            if (!execute()) {
                throw Errors.of("the statement returned no result set", "02000");
            }
            checkOpen();
            return resultSet;
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        synchronized (conn.pc) {
            if (execute()) {
                throw Errors.of("the statement returned a result set (use executeQuery or execute)", "0100D");
            }
            return Math.max(updateCount, 0);
        }
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        for (int i = 0; i < n; i++) {
            if (!bound[i]) {
                throw Errors.of("no value specified for parameter " + (i + 1), "22023");
            }
        }
        batch.add(new Object[] {values.clone(), oids.clone()});
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    /**
     * Runs a batch through {@code pgtc_stmt_exec_batch}: the entries' typed binds pipelined, a
     * few hundred per round trip, one call per run of entries bound with the same types. As with
     * PgJDBC, outside a transaction the batch is one transaction (BEGIN … COMMIT around it): a
     * failure undoes it all. A failure throws BatchUpdateException with the counts of the entries
     * before the failing one.
     */
    private long[] batchPipelined(List<Object[]> todo) throws SQLException {
        long[] counts = new long[todo.size()];
        conn.run(timeoutMs(), h -> {
            clearResults();
            boolean wrap = conn.getAutoCommit() && PgtcConnection.LIB.pgtc_conn_in_transaction(h) == 0;
            if (wrap) {
                simple(h, "BEGIN");
            }
            int done = 0;
            try {
                while (done < todo.size()) {
                    Object[] first = (Object[]) todo.get(done)[0];
                    int[] types = (int[]) todo.get(done)[1];
                    int end = done + 1;
                    while (end < todo.size() && Arrays.equals(types, (int[]) todo.get(end)[1])
                            && Packed.sameFormats(first, (Object[]) todo.get(end)[0])) {
                        end++;
                    }
                    try {
                        prepared(h, types);
                    } catch (SQLException e) {
                        throw batchFailure(Arrays.copyOf(counts, done), e);
                    }
                    if (PgtcConnection.LIB.pgtc_stmt_cols(stmt).longValue() > 0) {
                        throw batchFailure(Arrays.copyOf(counts, done), Errors.of("batch entry " + done + " returned a result set", "0100D"));
                    }
                    int sets = end - done;
                    Packed p = new Packed(n, sets);
                    for (int k = done; k < end; k++) {
                        p.add((Object[]) todo.get(k)[0]);
                    }
                    long[] got = new long[sets];
                    long[] failed = new long[1];
                    long[] err = new long[1];
                    int st = Fast.pgtc_stmt_exec_batch(stmt, sets, n, p.data, p.len, p.lengths, p.formats(), got, failed, err);
                    if (st != 0) {
                        int f = (int) Math.min(failed[0], sets);
                        System.arraycopy(got, 0, counts, done, f);
                        SQLException cause;
                        try {
                            Errors.check(st, Fast.at(err));
                            cause = Errors.of("batch entry " + (done + f) + " failed", null);
                        } catch (SQLException e) {
                            cause = e;
                        }
                        throw batchFailure(Arrays.copyOf(counts, done + f), cause);
                    }
                    System.arraycopy(got, 0, counts, done, sets);
                    done = end;
                }
                if (wrap) {
                    wrap = false;
                    try {
                        simple(h, "COMMIT");
                    } catch (SQLException e) {
                        throw batchFailure(new long[0], e);
                    }
                }
            } finally {
                if (wrap) {
                    try {
                        simple(h, "ROLLBACK");
                    } catch (SQLException e) {
                        // the connection broke: the server rolled back
                    }
                }
            }
            return null;
        });
        return counts;
    }

    /** Runs {@code sql} (no parameters, no rows) on the held connection. */
    private static void simple(Pointer h, String sql) throws SQLException {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int st = PgtcConnection.LIB.pgtc_conn_exec(h, sql, out, err);
        Errors.check(st, err);
        PgtcConnection.LIB.pgtc_result_free(out.getValue());
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<Object[]> todo = new ArrayList<>(batch);
        batch.clear();
        if (Fast.ENABLED && !keys && text.statements == 1 && todo.size() > 1) {
            return batchPipelined(todo);
        }
        long[] counts = new long[todo.size()];
        int saved = fetchSize;
        fetchSize = 0;
        try {
            for (int i = 0; i < todo.size(); i++) {
                try {
                    if (exec((Object[]) todo.get(i)[0], (int[]) todo.get(i)[1]) && !keys) {
                        throw Errors.of("a batch statement returned a result set", "0100D");
                    }
                    counts[i] = Math.max(updateCount, 0);
                } catch (SQLException e) {
                    throw batchFailure(Arrays.copyOf(counts, i), e);
                }
            }
        } finally {
            fetchSize = saved;
        }
        if (!keys) {
            clearResultsLocked();
        }
        return counts;
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        clear();
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        bind(index, TypeMap.oidOf(sqlType), null);
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        setNull(index, sqlType);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        bind(index, TypeMap.BOOL, x ? "t" : "f");
    }

    /**
     * {@code x} as PostgreSQL's binary form of a {@code size}-byte integer (big-endian): numbers
     * are bound in binary, which the server reads without parsing text.
     */
    static byte[] binary(long x, int size) {
        byte[] b = new byte[size];
        for (int i = size - 1; i >= 0; i--) {
            b[i] = (byte) x;
            x >>= 8;
        }
        return b;
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        bind(index, TypeMap.INT2, binary(x, 2));
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        bind(index, TypeMap.INT2, binary(x, 2));
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        bind(index, TypeMap.INT4, binary(x, 4));
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        bind(index, TypeMap.INT8, binary(x, 8));
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        bind(index, TypeMap.FLOAT4, binary(Float.floatToIntBits(x), 4));
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        bind(index, TypeMap.FLOAT8, binary(Double.doubleToLongBits(x), 8));
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        bind(index, TypeMap.NUMERIC, x == null ? null : x.toString());
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        bind(index, 0, x); // unknown: the server types it from the context
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        setString(index, x);
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        bind(index, TypeMap.BYTEA, x == null ? null : x.clone());
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        bind(index, TypeMap.DATE, x == null ? null : x.toLocalDate().toString());
    }

    @Override
    public void setDate(int index, Date x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setDate(index, x);
            return;
        }
        bind(index, TypeMap.DATE, x.toInstant().atZone(cal.getTimeZone().toZoneId()).toLocalDate().toString());
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        bind(index, TypeMap.TIME, x == null ? null : timeText(x));
    }

    private static String timeText(Time x) {
        LocalTime t = x.toLocalTime().withNano((int) Math.floorMod(x.getTime(), 1000L) * 1_000_000);
        return t.toString();
    }

    @Override
    public void setTime(int index, Time x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setTime(index, x);
            return;
        }
        bind(index, TypeMap.TIME, java.time.Instant.ofEpochMilli(x.getTime()).atZone(cal.getTimeZone().toZoneId()).toLocalTime().toString());
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        bind(index, TypeMap.TIMESTAMP, x == null ? null : x.toLocalDateTime().toString().replace('T', ' '));
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setTimestamp(index, x);
            return;
        }
        ZoneId zone = cal.getTimeZone().toZoneId();
        bind(index, TypeMap.TIMESTAMP, LocalDateTime.ofInstant(x.toInstant(), zone).toString().replace('T', ' '));
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        if (x == null) {
            bind(index, 0, null);
        } else if (x instanceof String) {
            setString(index, (String) x);
        } else if (x instanceof Integer) {
            setInt(index, (Integer) x);
        } else if (x instanceof Long) {
            setLong(index, (Long) x);
        } else if (x instanceof Short) {
            setShort(index, (Short) x);
        } else if (x instanceof Byte) {
            setByte(index, (Byte) x);
        } else if (x instanceof Double) {
            setDouble(index, (Double) x);
        } else if (x instanceof Float) {
            setFloat(index, (Float) x);
        } else if (x instanceof BigDecimal) {
            setBigDecimal(index, (BigDecimal) x);
        } else if (x instanceof BigInteger) {
            bind(index, TypeMap.NUMERIC, x.toString());
        } else if (x instanceof Boolean) {
            setBoolean(index, (Boolean) x);
        } else if (x instanceof byte[]) {
            setBytes(index, (byte[]) x);
        } else if (x instanceof Date) {
            setDate(index, (Date) x);
        } else if (x instanceof Time) {
            setTime(index, (Time) x);
        } else if (x instanceof Timestamp) {
            setTimestamp(index, (Timestamp) x);
        } else if (x instanceof java.util.Date) {
            setTimestamp(index, new Timestamp(((java.util.Date) x).getTime()));
        } else if (x instanceof LocalDate) {
            bind(index, TypeMap.DATE, x.toString());
        } else if (x instanceof LocalTime) {
            bind(index, TypeMap.TIME, x.toString());
        } else if (x instanceof LocalDateTime) {
            bind(index, TypeMap.TIMESTAMP, x.toString().replace('T', ' '));
        } else if (x instanceof OffsetDateTime) {
            bind(index, TypeMap.TIMESTAMPTZ, x.toString().replace('T', ' '));
        } else if (x instanceof UUID) {
            bind(index, TypeMap.UUID, x.toString());
        } else if (x instanceof Character) {
            setString(index, x.toString());
        } else {
            throw Errors.of("setObject cannot bind a " + x.getClass().getName() + " (give a JDBC type or a String)", "22023");
        }
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        if (x == null) {
            setNull(index, targetSqlType);
            return;
        }
        switch (targetSqlType) {
            case Types.VARCHAR:
            case Types.CHAR:
            case Types.LONGVARCHAR:
            case Types.NVARCHAR:
                setString(index, x.toString());
                return;
            case Types.OTHER:
                bind(index, 0, x instanceof byte[] ? new String((byte[]) x, StandardCharsets.UTF_8) : x.toString());
                return;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
                if (!(x instanceof byte[])) {
                    throw Errors.of("a " + x.getClass().getName() + " cannot be sent as binary", "22018");
                }
                setBytes(index, (byte[]) x);
                return;
            default:
                break;
        }
        int oid = TypeMap.oidOf(targetSqlType);
        if (oid == 0) {
            throw Errors.unsupported("setObject to JDBC type " + targetSqlType);
        }
        String text;
        if (x instanceof Boolean && (oid == TypeMap.INT2 || oid == TypeMap.INT4 || oid == TypeMap.INT8 || oid == TypeMap.NUMERIC)) {
            text = (Boolean) x ? "1" : "0";
        } else if (x instanceof Timestamp) {
            text = ((Timestamp) x).toLocalDateTime().toString().replace('T', ' ');
        } else if (x instanceof Date) {
            text = ((Date) x).toLocalDate().toString();
        } else if (x instanceof Time) {
            text = timeText((Time) x);
        } else if (x instanceof Number || x instanceof String || x instanceof Boolean || x instanceof java.time.temporal.Temporal) {
            text = x.toString().replace('T', ' ');
            if (oid == TypeMap.TIME) {
                text = x.toString();
            }
        } else {
            throw Errors.of("setObject cannot send a " + x.getClass().getName() + " as JDBC type " + targetSqlType, "22018");
        }
        if (x instanceof String && (oid == TypeMap.INT2 || oid == TypeMap.INT4 || oid == TypeMap.INT8)) {
            try {
                Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw Errors.of("'" + text + "' is not an integer", "22018");
            }
        }
        bind(index, oid, text);
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        if (x instanceof BigDecimal && (targetSqlType == Types.NUMERIC || targetSqlType == Types.DECIMAL)) {
            setBigDecimal(index, ((BigDecimal) x).setScale(scaleOrLength, java.math.RoundingMode.HALF_UP));
            return;
        }
        setObject(index, x, targetSqlType);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return resultSet == null ? null : resultSet.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        throw Errors.unsupported("getParameterMetaData");
    }
}
