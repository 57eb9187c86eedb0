package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcLibrary;
import io.pgtc.PgtcLibrary.SizeT;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A forward-only, read-only ResultSet over pgtc results: one result read whole (borrowed from
 * its statement), or a stream read batch by batch ({@code pgtc_stream_next}), holding one batch
 * in memory. Values arrive as PostgreSQL's text; the typed getters convert it and refuse what
 * does not fit (22003 out of range, 22018 not convertible).
 */
public final class PgtcResultSet extends ReadOnlyResultSet {
    private static final PgtcLibrary LIB = PgtcLibrary.INSTANCE;

    private final PgtcStatement stmt; // null for the driver's own (metadata) result sets
    private final PgtcConnection conn;
    private Pointer batch; // the result being read (null once its values are in block and it is freed)
    private Block block; // the batch's values copied out (null: read one by one from batch)
    private final boolean ownsBatch;
    private Pointer stream; // null when read whole
    private final int cols;
    private String[] names; // decoded from nameBytes at first use
    private byte[] nameBytes; // every name, each followed by a NUL (block calls)
    private int[] nameAt; // where each starts in nameBytes
    private final int[] types;
    private final int[] typmods;
    private final int[] tables;
    private Map<String, Integer> index;
    private long batchRows;
    private long row = -1; // in the batch
    private long rowNumber; // 1-based, over the whole result
    private final long maxRows;
    private boolean closed;
    private boolean afterLast;
    private boolean wasNull;
    private int fetchSize;
    private Fast.Slots scratch; // for the block calls of a stream's batches

    /**
     * @param shape {@code first}'s {@code pgtc_result_block}, when the caller has read it (null:
     *     read here)
     */
    private PgtcResultSet(PgtcStatement stmt, PgtcConnection conn, Pointer first, boolean owns, Pointer stream, long maxRows, long[] shape) {
        this.stmt = stmt;
        this.conn = conn;
        this.batch = first;
        this.ownsBatch = owns;
        this.stream = stream;
        this.maxRows = maxRows;
        long[] b = shape;
        if (b == null && Fast.ENABLED) {
            b = Fast.block(first, scratch());
        }
        if (b != null) {
            // One call gave the counts, the columns and where the values are.
            this.cols = (int) b[Fast.COLS];
            this.batchRows = b[Fast.ROWS];
            types = new int[cols];
            typmods = new int[cols];
            tables = new int[cols];
            nameAt = new int[cols];
            if (cols > 0) {
                int[] d = Raw.ints(b[Fast.COLUMNS], cols * Fast.COLUMN_INTS);
                for (int c = 0; c < cols; c++) {
                    int at = c * Fast.COLUMN_INTS;
                    nameAt[c] = d[at];
                    types[c] = d[at + 1];
                    typmods[c] = d[at + 2];
                    tables[c] = d[at + 3];
                }
                nameBytes = Raw.bytes(b[Fast.NAMES], (int) b[Fast.NAMES_LEN]);
            }
        } else {
            this.cols = (int) LIB.pgtc_result_cols(first).longValue();
            this.batchRows = LIB.pgtc_result_rows(first).longValue();
            names = new String[cols];
            types = new int[cols];
            typmods = new int[cols];
            tables = new int[cols];
            for (int c = 0; c < cols; c++) {
                SizeT col = new SizeT(c);
                names[c] = LIB.pgtc_result_col_name(first, col);
                types[c] = LIB.pgtc_result_col_type(first, col);
                typmods[c] = LIB.pgtc_result_col_typmod(first, col);
                tables[c] = LIB.pgtc_result_col_table(first, col);
            }
        }
        fetchSize = stmt == null ? 0 : stmt.fetchSize;
        load(b);
    }

    /** Native words for the block calls of this ResultSet's batches. */
    private Fast.Slots scratch() {
        if (scratch == null) {
            scratch = new Fast.Slots();
        }
        return scratch;
    }

    /** The columns' names, decoded at first use. */
    private String[] names() {
        if (names == null) {
            String[] n = new String[cols];
            for (int c = 0; c < cols; c++) {
                int e = nameAt[c];
                while (e < nameBytes.length && nameBytes[e] != 0) {
                    e++;
                }
                n[c] = new String(nameBytes, nameAt[c], e - nameAt[c], StandardCharsets.UTF_8);
            }
            names = n;
        }
        return names;
    }

    /**
     * Copies the current batch's values out of libpgtc ({@code b}: its block, or null); a batch
     * the ResultSet owns is freed at once, so that a stream holds one batch in memory, not two.
     */
    private void load(long[] b) {
        block = b == null ? null : Block.of(b, batchRows, cols);
        if (block != null && ownsBatch) {
            Fast.free(batch);
            batch = null;
        }
    }

    static PgtcResultSet ofResult(PgtcStatement stmt, Pointer r, boolean owns, long maxRows) {
        return new PgtcResultSet(stmt, stmt.conn, r, owns, null, maxRows, null);
    }

    /** As {@link #ofResult}, with {@code r}'s block already read ({@link Fast#block}). */
    static PgtcResultSet ofBlock(PgtcStatement stmt, Pointer r, long[] block, long maxRows) {
        return new PgtcResultSet(stmt, stmt.conn, r, false, null, maxRows, block);
    }

    /** A result the ResultSet owns and frees (the driver's metadata queries). */
    static PgtcResultSet owned(PgtcConnection conn, Pointer r) {
        return new PgtcResultSet(null, conn, r, true, null, 0, null);
    }

    static PgtcResultSet ofStream(PgtcStatement stmt, Pointer stream, Pointer first, long maxRows) {
        return new PgtcResultSet(stmt, stmt.conn, first, true, stream, maxRows, null);
    }

    /**
     * How many rows this ResultSet holds in memory now: the current batch of a stream (at most the
     * fetch size), or the whole result when it was read at once.
     */
    public long bufferedRows() {
        return batchRows;
    }

    boolean streaming() {
        return stream != null;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw Errors.of("pgtc JDBC ResultSet is closed", "24000");
        }
    }

    @Override
    public boolean next() throws SQLException {
        synchronized (conn.pc) {
            return advance();
        }
    }

    private boolean advance() throws SQLException {
        checkOpen();
        if (afterLast) {
            return false;
        }
        if (maxRows > 0 && rowNumber >= maxRows) {
            return end();
        }
        row++;
        while (row >= batchRows) {
            if (stream == null || !nextBatch()) {
                return end();
            }
        }
        rowNumber++;
        return true;
    }

    private boolean end() {
        afterLast = true;
        row = batchRows;
        return false;
    }

    /** Reads the next batch of the stream; false after the last. */
    private boolean nextBatch() throws SQLException {
        Pointer s = stream;
        Pointer next = conn.run(stmt == null ? 0 : stmt.timeoutMs(), h -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_stream_next(s, out, err);
            Errors.check(st, err);
            return out.getValue();
        });
        if (batch != null) {
            LIB.pgtc_result_free(batch);
        }
        batch = null;
        block = null;
        if (next == null) {
            LIB.pgtc_stream_free(stream);
            stream = null;
            batchRows = 0;
            return false;
        }
        batch = next;
        long[] b = Fast.ENABLED ? Fast.block(next, scratch()) : null;
        batchRows = b != null ? b[Fast.ROWS] : LIB.pgtc_result_rows(next).longValue();
        row = 0;
        load(b);
        return true;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        synchronized (conn.pc) {
            closeQuietly();
        }
        if (stmt != null) {
            stmt.resultClosed(this);
        }
    }

    /** Frees what this ResultSet owns (the caller holds the connection, or it is closing). */
    void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            PointerByReference err = new PointerByReference();
            LIB.pgtc_stream_close(stream, err);
            if (err.getValue() != null) {
                LIB.pgtc_error_free(err.getValue());
            }
            LIB.pgtc_stream_free(stream);
            stream = null;
        }
        if (ownsBatch && batch != null) {
            LIB.pgtc_result_free(batch);
        }
        batch = null;
        block = null;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    private int col(int column) throws SQLException {
        checkOpen();
        if (column < 1 || column > cols) {
            throw Errors.of("column index " + column + " is out of range 1-" + cols, "22023");
        }
        return column - 1;
    }

    /** The current row's values copied out, or null when they are read one by one. */
    private Block onRow() throws SQLException {
        Block b = block;
        if (b != null && (row < 0 || row >= batchRows || afterLast)) {
            throw Errors.of("the ResultSet is not on a row (call next())", "24000");
        }
        return b;
    }

    /** The text at the current row (null for SQL NULL), setting wasNull. */
    private String text(int column) throws SQLException {
        int c = col(column);
        Block b = onRow();
        if (b != null) {
            String v = b.text((int) row, c);
            wasNull = v == null;
            return v;
        }
        String v;
        synchronized (conn.pc) { // closing (from another thread) frees the batch under this lock
            checkOpen();
            if (row < 0 || row >= batchRows || afterLast) {
                throw Errors.of("the ResultSet is not on a row (call next())", "24000");
            }
            v = Fast.value(batch, row, c);
        }
        wasNull = v == null;
        return v;
    }

    int oid(int column) throws SQLException {
        return types[col(column)];
    }

    private SQLException mismatch(int column, String v, String java) throws SQLException {
        return Errors.of("column " + names()[col(column)] + " value '" + v + "' (" + TypeMap.name(types[col(column)]) + ") cannot be read as " + java, "22018");
    }

    private SQLException range(int column, String v, String java) throws SQLException {
        return Errors.of("column " + names()[col(column)] + " value " + v + " is out of range for " + java, "22003");
    }

    @Override
    public String getString(int column) throws SQLException {
        return text(column);
    }

    @Override
    public String getNString(int column) throws SQLException {
        return getString(column);
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        int c = col(column);
        Block b = onRow();
        if (b != null) {
            int at = b.start((int) row, c);
            if (at < 0) {
                wasNull = true;
                return false;
            }
            if (b.end(at) == at + 1 && (b.at(at) == 't' || b.at(at) == 'f')) {
                wasNull = false;
                return b.at(at) == 't';
            }
        }
        String v = text(column);
        if (v == null) {
            return false;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "t": case "true": case "1": case "y": case "yes": case "on":
                return true;
            case "f": case "false": case "0": case "n": case "no": case "off":
                return false;
            default:
                throw mismatch(column, v, "boolean");
        }
    }

    private BigDecimal decimal(int column, String v, String java) throws SQLException {
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw mismatch(column, v, java);
        }
    }

    private long integral(int column, long min, long max, String javaType) throws SQLException {
        int c = col(column);
        Block b = onRow();
        if (b != null && types[c] != TypeMap.BOOL) {
            int at = b.start((int) row, c);
            if (at < 0) {
                wasNull = true;
                return 0;
            }
            long x = b.plainLong(at, b.end(at));
            if (x != Long.MIN_VALUE && x >= min && x <= max) {
                wasNull = false;
                return x;
            }
        }
        String v = text(column);
        if (v == null) {
            return 0;
        }
        if (types[column - 1] == TypeMap.BOOL) {
            return v.equals("t") ? 1 : 0;
        }
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            BigDecimal d = decimal(column, v, javaType);
            try {
                x = d.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            } catch (ArithmeticException ae) {
                throw range(column, v, javaType);
            }
        }
        if (x < min || x > max) {
            throw range(column, v, javaType);
        }
        return x;
    }

    @Override
    public byte getByte(int column) throws SQLException {
        return (byte) integral(column, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public short getShort(int column) throws SQLException {
        return (short) integral(column, Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public int getInt(int column) throws SQLException {
        return (int) integral(column, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public long getLong(int column) throws SQLException {
        return integral(column, Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    private double floating(int column, String java) throws SQLException {
        String v = text(column);
        if (v == null) {
            return 0;
        }
        switch (v) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    throw mismatch(column, v, java);
                }
        }
    }

    @Override
    public float getFloat(int column) throws SQLException {
        double d = floating(column, "float");
        if (!Double.isInfinite(d) && !Double.isNaN(d) && Math.abs(d) > Float.MAX_VALUE) {
            throw range(column, Double.toString(d), "float");
        }
        return (float) d;
    }

    @Override
    public double getDouble(int column) throws SQLException {
        return floating(column, "double");
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        String v = text(column);
        return v == null ? null : decimal(column, v, "BigDecimal");
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(column);
        return d == null ? null : d.setScale(scale, java.math.RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int column) throws SQLException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        if (types[column - 1] != TypeMap.BYTEA) {
            return v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return Bytea.decode(v);
    }

    @Override
    public InputStream getBinaryStream(int column) throws SQLException {
        byte[] b = getBytes(column);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public Reader getCharacterStream(int column) throws SQLException {
        String s = getString(column);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public Reader getNCharacterStream(int column) throws SQLException {
        return getCharacterStream(column);
    }

    private static final DateTimeFormatter TIMESTAMP_TEXT =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH:mm:ss", "+00")
                    .optionalEnd()
                    .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter TIME_TEXT =
            new DateTimeFormatterBuilder()
                    .appendPattern("HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH:mm:ss", "+00")
                    .optionalEnd()
                    .toFormatter(Locale.ROOT);

    /** A timestamp or timestamptz text as an instant-bearing value. */
    private Timestamp timestamp(int column, String v, Calendar cal) throws SQLException {
        try {
            if (types[column - 1] == TypeMap.DATE) {
                return Timestamp.valueOf(LocalDate.parse(v).atStartOfDay());
            }
            var parsed = TIMESTAMP_TEXT.parseBest(v, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime) {
                return Timestamp.from(((OffsetDateTime) parsed).toInstant());
            }
            LocalDateTime local = (LocalDateTime) parsed;
            if (cal != null) {
                return Timestamp.from(local.atZone(cal.getTimeZone().toZoneId()).toInstant());
            }
            return Timestamp.valueOf(local);
        } catch (DateTimeParseException e) {
            throw mismatch(column, v, "Timestamp");
        }
    }

    /**
     * PostgreSQL's ISO text of a timestamp ({@code YYYY-MM-DD HH:MM:SS}, a fraction of up to 9
     * digits, for timestamptz an offset {@code ±HH[:MM[:SS]]}) read from the bytes without a
     * formatter; null for any other form (years beyond 9999, BC, infinity), which the formatter
     * reads.
     */
    private static Timestamp isoTimestamp(Block b, int s, int e) {
        if (e - s < 19 || b.at(s + 4) != '-' || b.at(s + 7) != '-' || b.at(s + 10) != ' '
                || b.at(s + 13) != ':' || b.at(s + 16) != ':') {
            return null;
        }
        int year = b.digits(s, 4);
        int month = b.digits(s + 5, 2);
        int day = b.digits(s + 8, 2);
        int hour = b.digits(s + 11, 2);
        int minute = b.digits(s + 14, 2);
        int second = b.digits(s + 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = s + 19;
        int nanos = 0;
        if (i < e && b.at(i) == '.') {
            int n = 0;
            i++;
            while (i < e && b.at(i) >= '0' && b.at(i) <= '9') {
                if (++n > 9) {
                    return null;
                }
                nanos = nanos * 10 + (b.at(i) - '0');
                i++;
            }
            if (n == 0) {
                return null;
            }
            for (; n < 9; n++) {
                nanos *= 10;
            }
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            if (i == e) {
                return Timestamp.valueOf(local);
            }
            byte sign = b.at(i);
            if ((sign != '+' && sign != '-') || e - i < 3) {
                return null;
            }
            int[] part = new int[3];
            int k = 0;
            i++;
            while (true) {
                if (k == 3 || e - i < 2) {
                    return null;
                }
                part[k] = b.digits(i, 2);
                if (part[k++] < 0) {
                    return null;
                }
                i += 2;
                if (i == e) {
                    break;
                }
                if (b.at(i) != ':') {
                    return null;
                }
                i++;
            }
            int secs = part[0] * 3600 + part[1] * 60 + part[2];
            java.time.ZoneOffset off = java.time.ZoneOffset.ofTotalSeconds(sign == '-' ? -secs : secs);
            return Timestamp.from(local.toInstant(off));
        } catch (java.time.DateTimeException ex) {
            return null;
        }
    }

    @Override
    public Timestamp getTimestamp(int column) throws SQLException {
        return getTimestamp(column, null);
    }

    @Override
    public Timestamp getTimestamp(int column, Calendar cal) throws SQLException {
        int c = col(column);
        Block b = onRow();
        if (b != null && (types[c] == TypeMap.TIMESTAMPTZ || (types[c] == TypeMap.TIMESTAMP && cal == null))) {
            int at = b.start((int) row, c);
            if (at < 0) {
                wasNull = true;
                return null;
            }
            Timestamp t = isoTimestamp(b, at, b.end(at));
            if (t != null) {
                wasNull = false;
                return t;
            }
        }
        String v = text(column);
        return v == null ? null : timestamp(column, v, cal);
    }

    @Override
    public Date getDate(int column) throws SQLException {
        return getDate(column, null);
    }

    @Override
    public Date getDate(int column, Calendar cal) throws SQLException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        if (types[column - 1] == TypeMap.DATE) {
            try {
                return Date.valueOf(LocalDate.parse(v));
            } catch (DateTimeParseException e) {
                throw mismatch(column, v, "Date");
            }
        }
        Timestamp t = timestamp(column, v, cal);
        return Date.valueOf(t.toLocalDateTime().toLocalDate());
    }

    @Override
    public Time getTime(int column) throws SQLException {
        return getTime(column, null);
    }

    @Override
    public Time getTime(int column, Calendar cal) throws SQLException {
        String v = text(column);
        if (v == null) {
            return null;
        }
        int t = types[column - 1];
        if (t == TypeMap.TIMESTAMP || t == TypeMap.TIMESTAMPTZ) {
            return Time.valueOf(timestamp(column, v, cal).toLocalDateTime().toLocalTime());
        }
        try {
            var parsed = TIME_TEXT.parseBest(v, OffsetTime::from, LocalTime::from);
            LocalTime lt = parsed instanceof OffsetTime ? ((OffsetTime) parsed).toLocalTime() : (LocalTime) parsed;
            Time time = Time.valueOf(lt);
            time.setTime(time.getTime() + lt.getNano() / 1_000_000);
            return time;
        } catch (DateTimeParseException e) {
            throw mismatch(column, v, "Time");
        }
    }

    @Override
    public Object getObject(int column) throws SQLException {
        int t = oid(column);
        switch (TypeMap.sqlType(t)) {
            case java.sql.Types.BIT: {
                boolean b = getBoolean(column);
                return wasNull ? null : b;
            }
            case java.sql.Types.BINARY:
                return getBytes(column);
            case java.sql.Types.BIGINT: {
                long x = getLong(column);
                return wasNull ? null : x;
            }
            case java.sql.Types.SMALLINT:
            case java.sql.Types.INTEGER: {
                int x = getInt(column);
                return wasNull ? null : x;
            }
            case java.sql.Types.REAL: {
                float x = getFloat(column);
                return wasNull ? null : x;
            }
            case java.sql.Types.DOUBLE: {
                if (t == TypeMap.MONEY) {
                    return getString(column);
                }
                double x = getDouble(column);
                return wasNull ? null : x;
            }
            case java.sql.Types.NUMERIC: {
                String v = text(column);
                if (v == null) {
                    return null;
                }
                return v.equals("NaN") ? (Object) Double.NaN : decimal(column, v, "BigDecimal");
            }
            case java.sql.Types.DATE:
                return getDate(column);
            case java.sql.Types.TIME:
                return getTime(column);
            case java.sql.Types.TIMESTAMP:
                return getTimestamp(column);
            default:
                if (t == TypeMap.UUID) {
                    String v = text(column);
                    return v == null ? null : UUID.fromString(v);
                }
                return getString(column);
        }
    }

    @Override
    public Object getObject(int column, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw Errors.unsupported("type maps");
        }
        return getObject(column);
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        if (type == null) {
            throw Errors.of("type is null", "22023");
        }
        Object v;
        if (type == String.class) {
            v = getString(column);
        } else if (type == Integer.class) {
            int x = getInt(column);
            v = wasNull ? null : x;
        } else if (type == Long.class) {
            long x = getLong(column);
            v = wasNull ? null : x;
        } else if (type == Short.class) {
            short x = getShort(column);
            v = wasNull ? null : x;
        } else if (type == Byte.class) {
            byte x = getByte(column);
            v = wasNull ? null : x;
        } else if (type == Double.class) {
            double x = getDouble(column);
            v = wasNull ? null : x;
        } else if (type == Float.class) {
            float x = getFloat(column);
            v = wasNull ? null : x;
        } else if (type == Boolean.class) {
            boolean x = getBoolean(column);
            v = wasNull ? null : x;
        } else if (type == BigDecimal.class) {
            v = getBigDecimal(column);
        } else if (type == BigInteger.class) {
            BigDecimal d = getBigDecimal(column);
            try {
                v = d == null ? null : d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw range(column, d.toString(), "BigInteger");
            }
        } else if (type == byte[].class) {
            v = getBytes(column);
        } else if (type == Date.class) {
            v = getDate(column);
        } else if (type == Time.class) {
            v = getTime(column);
        } else if (type == Timestamp.class) {
            v = getTimestamp(column);
        } else if (type == LocalDate.class) {
            Date d = getDate(column);
            v = d == null ? null : d.toLocalDate();
        } else if (type == LocalTime.class) {
            Time t = getTime(column);
            v = t == null ? null : t.toLocalTime();
        } else if (type == LocalDateTime.class) {
            Timestamp t = getTimestamp(column);
            v = t == null ? null : t.toLocalDateTime();
        } else if (type == OffsetDateTime.class) {
            Timestamp t = getTimestamp(column);
            v = t == null ? null : OffsetDateTime.ofInstant(t.toInstant(), java.time.ZoneOffset.UTC);
        } else if (type == UUID.class) {
            String s = text(column);
            try {
                v = s == null ? null : UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                throw mismatch(column, s, "UUID");
            }
        } else if (type == Object.class) {
            v = getObject(column);
        } else {
            throw Errors.of("getObject cannot convert to " + type.getName(), "22018");
        }
        return type.cast(v);
    }

    @Override
    public int findColumn(String label) throws SQLException {
        checkOpen();
        if (label == null) {
            throw Errors.of("column label is null", "22023");
        }
        if (index == null) {
            index = new HashMap<>();
            for (int c = cols - 1; c >= 0; c--) {
                index.put(names()[c].toLowerCase(Locale.ROOT), c + 1); // the first of equal names wins
            }
        }
        Integer c = index.get(label.toLowerCase(Locale.ROOT));
        if (c == null) {
            throw Errors.of("the ResultSet has no column named " + label, "42703");
        }
        return c;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new PgtcResultSetMetaData(conn, names(), types, typmods, tables);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return stmt;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return rowNumber == 0 && !afterLast && (batchRows > 0 || stream != null);
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return afterLast && rowNumber > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return rowNumber == 1 && !afterLast;
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return afterLast ? 0 : (int) rowNumber;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD) {
            throw Errors.unsupported("fetch directions other than FETCH_FORWARD");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return FETCH_FORWARD;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw Errors.of("fetch size " + rows + " is negative", "22023");
        }
        fetchSize = rows; // the stream's batch size was fixed when it started
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return HOLD_CURSORS_OVER_COMMIT;
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
