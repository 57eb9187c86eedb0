package io.pgtc.jdbctests;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Tests of pgtc's JDBC driver (io.pgtc.jdbc) against a real primary + hot standby pair in
 * READ_MOSTLY, through DriverManager only (as an application or a framework sees it).
 *
 * <pre>
 *   java -Djna.library.path=DIR -cp jna.jar:pgtc-jdbc.jar:classes io.pgtc.jdbctests.JdbcTest CONNINFO
 * </pre>
 *
 * CONNINFO is the pair as tools/pgtc-cluster prints it; the test turns it into a jdbc:pgtc URL.
 * Plain Java: prints "jdbc: N passed, M failed" and exits 1 on failure. bindings/java/jdbc-test
 * runs it.
 */
public final class JdbcTest {
    static int passed;
    static int failed;
    static String url; // READ_MOSTLY, user and password in the query
    static String hosts; // h1:p1,h2:p2

    private JdbcTest() {}

    static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println(at.getFileName() + ":" + at.getLineNumber() + ": CHECK failed: " + what);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    /** Checks that body throws an SQLException of {@code type} with {@code sqlState} (when not null). */
    static SQLException checkThrows(Body body, Class<? extends SQLException> type, String sqlState, String what) {
        try {
            body.run();
            failed++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println(at.getFileName() + ":" + at.getLineNumber() + ": CHECK failed: no exception: " + what);
            return null;
        } catch (SQLException e) {
            boolean ok = type.isInstance(e) && (sqlState == null || sqlState.equals(e.getSQLState()));
            if (!ok) {
                System.err.println("  got " + e.getClass().getName() + " SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
            }
            failedAt(ok, what);
            return e;
        } catch (Exception e) {
            failedAt(false, what + " (threw " + e + ")");
            return null;
        }
    }

    private static void failedAt(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            StackTraceElement at = new Throwable().getStackTrace()[2];
            System.err.println(at.getFileName() + ":" + at.getLineNumber() + ": CHECK failed: " + what);
        }
    }

    static Connection open() throws SQLException {
        return DriverManager.getConnection(url);
    }

    static void testUrls() throws Exception {
        Driver d = DriverManager.getDriver("jdbc:pgtc://x/y");
        check(d.getClass().getName().equals("io.pgtc.jdbc.Driver"), "DriverManager finds io.pgtc.jdbc.Driver through the services file");
        check(d.acceptsURL("jdbc:pgtc://h/db") && d.acceptsURL("jdbc:pgtc:db") && d.acceptsURL("jdbc:pgtc:"), "jdbc:pgtc: URLs are accepted");
        check(!d.acceptsURL("jdbc:postgresql://h/db") && !d.acceptsURL(null) && !d.acceptsURL("pgtc://h"), "other URLs are not");
        check(d.connect("jdbc:postgresql://localhost/db", new Properties()) == null, "connect returns null for another driver's URL");
        check(!d.jdbcCompliant() && d.getMajorVersion() == 0, "jdbcCompliant false, version 0.x");
        check(d.getPropertyInfo(url, new Properties()).length > 20, "getPropertyInfo lists libpq keys and pgtc attributes");
        // Properties, percent-decoding and PgJDBC's names
        Properties p = new Properties();
        p.setProperty("user", "pgtc");
        p.setProperty("password", "pgtc");
        p.setProperty("ApplicationName", "jdbc test");
        p.setProperty("connectTimeout", "5");
        try (Connection c = DriverManager.getConnection("jdbc:pgtc://" + hosts + "/postgres?PREFERRED_ACCESS=read_mostly&options=%2Dc%20work_mem%3D5MB", p);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('application_name'), current_setting('work_mem')")) {
            check(rs.next() && "jdbc test".equals(rs.getString(1)) && "5MB".equals(rs.getString(2)), "ApplicationName and percent-decoded options reach the server");
        }
        try (Connection c = DriverManager.getConnection(url + "&readOnly=true"); Statement s = c.createStatement()) {
            check(c.isReadOnly(), "readOnly=true sets READ_ONLY");
            checkThrows(() -> s.executeUpdate("CREATE TABLE jdbc_never (a int)"), SQLException.class, "25006", "a write under readOnly=true fails with 25006");
        }
        checkThrows(() -> DriverManager.getConnection(url + "&bogusKey=1"), SQLException.class, "08001", "an unknown key is refused with 08001");
        SQLException named = checkThrows(() -> DriverManager.getConnection(url + "&bogusKey=1"), SQLException.class, "08001", "again");
        check(named != null && named.getMessage().contains("bogusKey"), "the error names the key: " + (named == null ? "" : named.getMessage()));
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://[::1/postgres"), SQLException.class, "08001", "an unclosed IPv6 bracket is malformed");
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://h:99999/postgres"), SQLException.class, "08001", "a port out of range is malformed");
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://h:abc/postgres"), SQLException.class, "08001", "a port that is no number is malformed");
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://h/postgres?novalue"), SQLException.class, "08001", "a parameter without = is malformed");
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://h/postgres?user=%zz"), SQLException.class, "08001", "bad percent-encoding is malformed");
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://::1:5432/postgres"), SQLException.class, "08001", "IPv6 without brackets is malformed");
        checkThrows(() -> DriverManager.getConnection(url + "&readOnly=maybe"), SQLException.class, "08001", "a boolean property that is no boolean");
        checkThrows(() -> DriverManager.getConnection(url + "&PREFERRED_ACCESS=SIDEWAYS"), SQLException.class, "22023", "a bad attribute value is pgtc's 22023");
        // IPv6 in brackets and a default port parse (the connection itself is refused: nothing listens there)
        checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://[::1]:1/postgres?user=pgtc&connectTimeout=2"), SQLNonTransientConnectionException.class, "08001", "[::1]:1 parses and fails to connect (08001)");
    }

    static void testSettersRoundTrip() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jdbc_types");
            s.execute("CREATE TABLE jdbc_types (id serial PRIMARY KEY, i int4, l int8, sh int2, b2 int2, d float8, f float4, n numeric(20,5), t text,"
                    + " v varchar(20), bo bool, by bytea, dt date, tm time, ts timestamp, tz timestamptz, u uuid, j jsonb)");
            byte[] bytes = {0, 1, 2, (byte) 0xff, 0, 42};
            Date date = Date.valueOf("2026-12-02");
            Time time = Time.valueOf("13:14:15");
            Timestamp ts = Timestamp.valueOf("2026-12-02 13:14:15.123456");
            UUID uuid = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO jdbc_types (i, l, sh, b2, d, f, n, t, v, bo, by, dt, tm, ts, tz, u, j) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setInt(1, Integer.MIN_VALUE);
                ps.setLong(2, Long.MAX_VALUE);
                ps.setShort(3, (short) -7);
                ps.setByte(4, (byte) 12);
                ps.setDouble(5, 3.25);
                ps.setFloat(6, 1.5f);
                ps.setBigDecimal(7, new BigDecimal("123456789.12345"));
                ps.setString(8, "it's \"quoted\" ? $1 -- not a comment");
                ps.setObject(9, "varchar é");
                ps.setBoolean(10, true);
                ps.setBytes(11, bytes);
                ps.setDate(12, date);
                ps.setTime(13, time);
                ps.setTimestamp(14, ts);
                ps.setObject(15, java.time.OffsetDateTime.parse("2026-12-02T10:00:00Z"));
                ps.setObject(16, uuid);
                ps.setString(17, "{\"a\": 1}");
                check(ps.executeUpdate() == 1, "insert of every type counts 1");
                ps.clearParameters();
                for (int i = 1; i <= 17; i++) {
                    ps.setNull(i, i == 1 ? Types.INTEGER : Types.NULL);
                }
                check(ps.executeUpdate() == 1, "insert of NULLs (setNull) counts 1");
            }
            try (ResultSet rs = s.executeQuery("SELECT i, l, sh, b2, d, f, n, t, v, bo, by, dt, tm, ts, tz, u, j FROM jdbc_types ORDER BY id")) {
                check(rs.next(), "first row");
                check(rs.getInt(1) == Integer.MIN_VALUE && rs.getObject(1).equals(Integer.MIN_VALUE), "int4 → getInt / Integer");
                check(rs.getLong("l") == Long.MAX_VALUE && rs.getObject(2) instanceof Long, "int8 → getLong / Long");
                check(rs.getShort(3) == -7 && rs.getByte(4) == 12, "int2 → getShort, getByte");
                check(rs.getDouble(5) == 3.25 && rs.getObject(5) instanceof Double, "float8 → getDouble / Double");
                check(rs.getFloat(6) == 1.5f && rs.getObject(6) instanceof Float, "float4 → getFloat / Float");
                check(rs.getBigDecimal(7).compareTo(new BigDecimal("123456789.12345")) == 0 && rs.getObject(7) instanceof BigDecimal, "numeric → BigDecimal");
                check("it's \"quoted\" ? $1 -- not a comment".equals(rs.getString(8)), "text with quotes, ? and $1 round-trips");
                check("varchar é".equals(rs.getString(9)), "varchar round-trips with UTF-8");
                check(rs.getBoolean(10) && Boolean.TRUE.equals(rs.getObject(10)), "bool → getBoolean / Boolean");
                check(Arrays.equals(bytes, rs.getBytes(11)) && rs.getObject(11) instanceof byte[], "bytea (sent binary, NULs included) → getBytes");
                check(date.equals(rs.getDate(12)) && rs.getObject(12) instanceof Date, "date → getDate");
                check(time.equals(rs.getTime(13)), "time → getTime: " + rs.getTime(13));
                check(ts.equals(rs.getTimestamp(14)) && rs.getObject(14) instanceof Timestamp, "timestamp → getTimestamp with microseconds: " + rs.getTimestamp(14));
                check(rs.getTimestamp(15).toInstant().equals(java.time.Instant.parse("2026-12-02T10:00:00Z")), "timestamptz → the same instant");
                check(uuid.equals(rs.getObject(16)) && uuid.equals(rs.getObject(16, UUID.class)), "uuid → UUID");
                check("{\"a\": 1}".equals(rs.getString(17)) && rs.getObject(17) instanceof String, "jsonb → String");
                check(rs.getObject(1, Long.class) == Integer.MIN_VALUE && rs.getObject(12, java.time.LocalDate.class).equals(java.time.LocalDate.of(2026, 12, 2)), "getObject(int, Class)");
                checkThrows(() -> rs.getShort(1), SQLDataException.class, "22003", "an int4 beyond short is 22003");
                checkThrows(() -> rs.getInt(8), SQLDataException.class, "22018", "text that is no number is 22018");
                checkThrows(() -> rs.getTimestamp(8), SQLDataException.class, "22018", "text that is no timestamp is 22018");
                checkThrows(() -> rs.getInt(18), SQLException.class, null, "a column index out of range");
                ResultSetMetaData md = rs.getMetaData();
                check(md.getColumnCount() == 17 && md.getColumnType(1) == Types.INTEGER && md.getColumnType(2) == Types.BIGINT
                        && md.getColumnType(7) == Types.NUMERIC && md.getColumnType(8) == Types.VARCHAR && md.getColumnType(10) == Types.BIT
                        && md.getColumnType(11) == Types.BINARY && md.getColumnType(14) == Types.TIMESTAMP && md.getColumnType(16) == Types.OTHER
                        && md.getColumnType(17) == Types.OTHER, "ResultSetMetaData types as PgJDBC maps them");
                check(md.getPrecision(7) == 20 && md.getScale(7) == 5 && md.getPrecision(9) == 20, "precision and scale from the type modifier");
                check("jdbc_types".equals(md.getTableName(1)) && "i".equals(md.getColumnLabel(1)) && "java.lang.Integer".equals(md.getColumnClassName(1)), "table name through the table OID, label, class");
                check(md.isNullable(1) == ResultSetMetaData.columnNullableUnknown, "nullable unknown");
                check(rs.next(), "second row");
                check(rs.getInt(1) == 0 && rs.wasNull() && rs.getString(8) == null && rs.wasNull() && rs.getBytes(11) == null && rs.getObject(16) == null, "NULLs read as 0/null with wasNull");
                check(!rs.next(), "two rows");
            }
            checkThrows(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::int")) {
                    ps.executeQuery();
                }
            }, SQLException.class, "22023", "an unset parameter");
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                checkThrows(() -> ps.executeQuery("SELECT 2"), SQLException.class, "42809", "a PreparedStatement refuses SQL text, as PgJDBC does");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT '?' AS q, $$ ? $$ AS d, /* ? */ ? AS p -- ?\n")) {
                ps.setInt(1, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && "?".equals(rs.getString(1)) && " ? ".equals(rs.getString(2)) && rs.getInt(3) == 5, "? in quotes, dollar quotes and comments is no marker");
                }
            }
            // Numbers are bound in binary: the server's own text of each value, extremes included.
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ? + 1, ?::numeric")) {
                ps.setInt(1, Integer.MAX_VALUE);
                ps.setLong(2, Long.MIN_VALUE);
                ps.setShort(3, Short.MIN_VALUE);
                ps.setDouble(4, Double.NaN);
                ps.setDouble(5, Double.NEGATIVE_INFINITY);
                ps.setFloat(6, Float.MIN_VALUE);
                ps.setDouble(7, -0.0);
                ps.setByte(8, (byte) -128);
                ps.setDouble(9, 0.1);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next(), "a row of numbers");
                    String got = rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5)
                            + " " + rs.getString(6) + " " + rs.getString(7) + " " + rs.getInt(8) + " " + rs.getString(9);
                    check("2147483647 -9223372036854775808 -32768 NaN -Infinity 1e-45 -0 -127 0.1".equals(got), "numbers bound in binary reach the server exactly: " + got);
                }
            }
            s.execute("CREATE TEMP TABLE jdbc_widen (l int8, n numeric, i int4)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_widen VALUES (?, ?, ?)")) {
                ps.setInt(1, -5);
                ps.setDouble(2, 2.5);
                ps.setShort(3, (short) 7);
                check(ps.executeUpdate() == 1, "setInt into int8, setDouble into numeric, setShort into int4");
                ps.setInt(1, 1);
                ps.setInt(2, 1);
                ps.setLong(3, 1L << 40);
                checkThrows(() -> ps.executeUpdate(), SQLDataException.class, "22003", "setLong beyond an int4 column is the server's 22003");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT l, n, i FROM jdbc_widen WHERE l = ? AND i = ?")) {
                ps.setLong(1, -5);
                ps.setInt(2, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getLong(1) == -5 && rs.getBigDecimal(2).compareTo(new BigDecimal("2.5")) == 0 && rs.getInt(3) == 7, "the widened values read back");
                }
            }
            s.execute("DROP TABLE jdbc_types");
        }
    }

    static void testBatchKeysResults() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jdbc_batch");
            s.execute("CREATE TABLE jdbc_batch (id serial PRIMARY KEY, v int UNIQUE)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_batch (v) VALUES (?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                check(Arrays.equals(ps.executeBatch(), new int[] {1, 1, 1}), "a batch of 3 inserts");
                ps.setInt(1, 4);
                ps.addBatch();
                ps.setInt(1, 2); // duplicate
                ps.addBatch();
                ps.setInt(1, 5);
                ps.addBatch();
                SQLException e = checkThrows(ps::executeBatch, BatchUpdateException.class, "23505", "a duplicate in a batch is a BatchUpdateException");
                check(e instanceof BatchUpdateException && Arrays.equals(((BatchUpdateException) e).getUpdateCounts(), new int[] {1})
                        && e.getCause() instanceof SQLIntegrityConstraintViolationException, "it carries the counts before the failure and the cause");
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM jdbc_batch")) {
                check(rs.next() && rs.getInt(1) == 3, "with autocommit, the failed batch was undone whole, as PgJDBC's is");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_batch (v) VALUES (?) -- a comment at the end")) {
                ps.setNull(1, Types.INTEGER);
                ps.addBatch();
                ps.setString(1, "6");
                ps.addBatch();
                check(Arrays.equals(ps.executeBatch(), new int[] {1, 1}), "a batch ending in a comment, with NULL and a string for an int column");
            }
            s.execute("CREATE TEMP TABLE jdbc_lit (n int, t text, b bytea)");
            String[] texts = {"it's", "back\\slash \\' end", "é ? $1 -- no comment"};
            byte[] raw = {0, 39, 92, (byte) 0xff};
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_lit VALUES (?, ?, ?)")) {
                for (int i = 0; i < texts.length; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, texts[i]);
                    ps.setBytes(3, raw);
                    ps.addBatch();
                }
                check(Arrays.equals(ps.executeBatch(), new int[] {1, 1, 1}), "a batch of quotes, backslashes and bytes");
            }
            try (ResultSet rs = s.executeQuery("SELECT t, b FROM jdbc_lit ORDER BY n")) {
                for (String t : texts) {
                    check(rs.next() && t.equals(rs.getString(1)) && Arrays.equals(raw, rs.getBytes(2)), "batch value read back: " + t);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int")) {
                ps.setInt(1, 1);
                ps.addBatch();
                ps.setInt(1, 2);
                ps.addBatch();
                checkThrows(ps::executeBatch, BatchUpdateException.class, "0100D", "a batch of SELECTs is refused, as PgJDBC refuses it");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_batch (v) VALUES (?)")) {
                for (int v : new int[] {20, 21}) {
                    ps.setInt(1, v);
                    ps.addBatch();
                }
                check(Arrays.equals(ps.executeBatch(), new int[] {1, 1}), "a batch inside a transaction");
                // More entries than one round trip carries, bound with two types (two runs).
                for (int v = 1000; v < 1600; v++) {
                    if (v < 1300) {
                        ps.setInt(1, v);
                    } else {
                        ps.setString(1, Integer.toString(v));
                    }
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                check(counts.length == 600 && Arrays.stream(counts).allMatch(k -> k == 1), "a batch of 600 entries bound with two types");
                try (ResultSet rs = s.executeQuery("SELECT count(*), min(v), max(v) FROM jdbc_batch WHERE v >= 1000")) {
                    check(rs.next() && rs.getInt(1) == 600 && rs.getInt(2) == 1000 && rs.getInt(3) == 1599, "all 600 rows are there");
                }
                for (int v = 2000; v < 2500; v++) {
                    ps.setInt(1, v == 2450 ? 1000 : v);
                    ps.addBatch();
                }
                SQLException e = checkThrows(ps::executeBatch, BatchUpdateException.class, "23505", "a duplicate at entry 450 of a batch in a transaction");
                check(e instanceof BatchUpdateException && ((BatchUpdateException) e).getUpdateCounts().length == 450,
                        "the counts of the 450 entries before it: " + (e instanceof BatchUpdateException ? ((BatchUpdateException) e).getUpdateCounts().length : -1));
            }
            c.rollback();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_batch (v) VALUES (?::int)")) {
                ps.setString(1, "7'); DROP TABLE jdbc_batch; --");
                ps.addBatch();
                ps.setString(1, "8");
                ps.addBatch();
                checkThrows(ps::executeBatch, BatchUpdateException.class, "22P02", "a quote in a batch value stays inside its literal");
            }
            s.addBatch("INSERT INTO jdbc_batch (v) VALUES (10)");
            s.addBatch("UPDATE jdbc_batch SET v = v + 100 WHERE v < 7");
            check(Arrays.equals(s.executeBatch(), new int[] {1, 4}), "a Statement batch");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_batch (v) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 77);
                check(ps.executeUpdate() == 1, "insert with generated keys counts 1");
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    check(keys.next() && keys.getInt("id") > 0 && keys.getInt("v") == 77, "generated keys (RETURNING *)");
                }
            }
            check(s.executeUpdate("INSERT INTO jdbc_batch (v) VALUES (78)", new String[] {"id"}) == 1, "executeUpdate with key column names");
            try (ResultSet keys = s.getGeneratedKeys()) {
                check(keys.next() && keys.getInt(1) > 0 && keys.getMetaData().getColumnCount() == 1, "the named key column only");
            }
            check(s.execute("SELECT 1 AS a; UPDATE jdbc_batch SET v = v WHERE v = 77; SELECT 2 AS b, 3 AS c"), "several results: first is a ResultSet");
            try (ResultSet rs = s.getResultSet()) {
                check(rs.next() && rs.getInt("a") == 1 && s.getUpdateCount() == -1, "first result");
            }
            check(!s.getMoreResults() && s.getUpdateCount() == 1, "second result is an update count of 1");
            check(s.getMoreResults(), "third result is a ResultSet");
            try (ResultSet rs = s.getResultSet()) {
                check(rs.next() && rs.getInt("c") == 3, "third result's rows");
            }
            check(!s.getMoreResults() && s.getUpdateCount() == -1, "then no more results");
            s.setMaxRows(2);
            try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 10) g")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                check(n == 2, "setMaxRows(2) returns 2 rows: " + n);
            }
            s.setMaxRows(0);
            s.execute("DROP TABLE jdbc_batch");
        }
    }

    static void testTransactions() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jdbc_tx");
            s.execute("CREATE TABLE jdbc_tx (v int)");
            c.setAutoCommit(false);
            check(!c.getAutoCommit(), "autocommit off");
            s.execute("INSERT INTO jdbc_tx VALUES (1)");
            Savepoint sp = c.setSavepoint();
            s.execute("INSERT INTO jdbc_tx VALUES (2)");
            c.rollback(sp);
            Savepoint named = c.setSavepoint("named one");
            s.execute("INSERT INTO jdbc_tx VALUES (3)");
            c.releaseSavepoint(named);
            checkThrows(() -> c.setReadOnly(true), SQLException.class, "25001", "setReadOnly inside a transaction is 25001");
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT string_agg(v::text, ',' ORDER BY v) FROM jdbc_tx")) {
                check(rs.next() && "1,3".equals(rs.getString(1)), "savepoint rolled back 2, kept 1 and 3: " + rs.getString(1));
            }
            c.commit();
            s.execute("INSERT INTO jdbc_tx VALUES (4)");
            c.rollback();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM jdbc_tx")) {
                check(rs.next() && rs.getInt(1) == 2, "rollback undid the insert");
            }
            c.rollback();
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            check(c.getTransactionIsolation() == Connection.TRANSACTION_SERIALIZABLE, "isolation SERIALIZABLE");
            try (ResultSet rs = s.executeQuery("SHOW transaction_isolation")) {
                check(rs.next() && "serializable".equals(rs.getString(1)), "the server runs it serializable");
            }
            c.rollback();
            c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            check(c.getTransactionIsolation() == Connection.TRANSACTION_READ_UNCOMMITTED, "READ_UNCOMMITTED accepted (run as READ COMMITTED)");
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(true);
            checkThrows(c::commit, SQLException.class, "25P01", "commit with autocommit on");
            c.setReadOnly(true);
            check(c.isReadOnly(), "setReadOnly(true) outside a transaction");
            checkThrows(() -> s.execute("INSERT INTO jdbc_tx VALUES (9)"), SQLException.class, "25006", "a write while read-only is 25006");
            c.setReadOnly(false);
            s.execute("DROP TABLE jdbc_tx");
        }
    }

    static void testExceptions() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            checkThrows(() -> s.execute("SELEC 1"), SQLSyntaxErrorException.class, "42601", "a syntax error");
            checkThrows(() -> s.execute("SELECT * FROM jdbc_no_such_table"), SQLSyntaxErrorException.class, "42P01", "a missing table");
            checkThrows(() -> s.execute("SELECT 1/0"), SQLDataException.class, "22012", "division by zero");
            s.execute("CREATE TEMP TABLE jdbc_u (v int PRIMARY KEY)");
            s.execute("INSERT INTO jdbc_u VALUES (1)");
            SQLException e = checkThrows(() -> s.execute("INSERT INTO jdbc_u VALUES (1)"), SQLIntegrityConstraintViolationException.class, "23505", "a duplicate key");
            check(e != null && e.getErrorCode() == 400 && e.getCause() != null, "error code is the pgtc status (400), the cause chained");
            checkThrows(() -> s.execute("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '40001'; END$$"), SQLTransactionRollbackException.class, "40001", "40001");
            checkThrows(() -> s.execute("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END$$"), SQLTransactionRollbackException.class, "40P01", "40P01");
            checkThrows(() -> s.execute("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '0A000'; END$$"), java.sql.SQLFeatureNotSupportedException.class, "0A000", "0A000");
            SQLException cancelled = checkThrows(() -> s.execute("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '57014'; END$$"), SQLTransientException.class, "57014", "57014");
            check(!(cancelled instanceof SQLTimeoutException), "57014 is no SQLTimeoutException (HikariCP 3.3.1+ evicts on that)");
            checkThrows(() -> DriverManager.getConnection("jdbc:pgtc://" + hosts + "/postgres?user=pgtc&password=wrong"), java.sql.SQLInvalidAuthorizationSpecException.class, "28P01", "a wrong password is 28P01");
            s.execute("DO $$BEGIN RAISE NOTICE 'hello from plpgsql'; END$$");
            SQLWarning w = c.getWarnings();
            check(w != null && w.getMessage().contains("hello from plpgsql") && "00000".equals(w.getSQLState()), "a notice becomes a warning: " + w);
            c.clearWarnings();
            check(c.getWarnings() == null, "clearWarnings");
        }
        Connection c = open();
        Statement s = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        ResultSet rs = s.executeQuery("SELECT 1");
        c.close();
        check(c.isClosed() && s.isClosed() && rs.isClosed(), "close closes statements and result sets");
        check(!c.isValid(1), "a closed connection is not valid");
        checkThrows(c::createStatement, SQLNonTransientConnectionException.class, "08003", "createStatement after close");
        checkThrows(() -> s.executeQuery("SELECT 1"), SQLNonTransientConnectionException.class, "08003", "a statement after close");
        checkThrows(ps::executeQuery, SQLNonTransientConnectionException.class, "08003", "a prepared statement after close");
        checkThrows(() -> c.setAutoCommit(false), SQLNonTransientConnectionException.class, "08003", "setAutoCommit after close");
        checkThrows(rs::next, SQLException.class, null, "a ResultSet after close");
        c.close(); // idempotent
    }

    static void testCancelAndTimeout() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection c = open(); Statement s = c.createStatement()) {
            check(c.isValid(1), "an open connection is valid (no round trip)");
            Future<SQLException> f = pool.submit(() -> {
                try {
                    s.execute("SELECT pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // Cancel until the sleep is interrupted: a cancel sent before it started does nothing.
            while (!f.isDone() && System.nanoTime() < deadline) {
                s.cancel();
                try {
                    f.get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // still running
                }
            }
            SQLException e = f.get(1, TimeUnit.SECONDS);
            check(e instanceof SQLTransientException && !(e instanceof SQLTimeoutException) && "57014".equals(e.getSQLState()), "cancel from another thread: 57014 as SQLTransientException: " + e);
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                check(rs.next() && rs.getInt(1) == 7, "the connection is usable after a cancel");
            }
            s.setQueryTimeout(1);
            SQLException t = checkThrows(() -> s.execute("SELECT pg_sleep(30)"), SQLTransientException.class, "57014", "setQueryTimeout(1) cancels pg_sleep(30)");
            check(t != null && !(t instanceof SQLTimeoutException) && t.getClass() == SQLTransientException.class, "a query timeout is SQLTransientException 57014, not SQLTimeoutException: " + t);
            s.setQueryTimeout(0);
            c.setNetworkTimeout(pool, 500);
            check(c.getNetworkTimeout() == 500, "getNetworkTimeout");
            checkThrows(() -> s.execute("SELECT pg_sleep(30)"), SQLTransientException.class, "57014", "a statement past the network timeout is cancelled");
            c.setNetworkTimeout(pool, 0);
            try (ResultSet rs = s.executeQuery("SELECT 8")) {
                check(rs.next() && rs.getInt(1) == 8 && c.isValid(0), "the connection stays usable after it");
            }
        }
        testSharedConnection();
        Connection c = open();
        Statement s = c.createStatement();
        Future<SQLException> f = pool.submit(() -> {
            try {
                s.execute("SELECT pg_sleep(30)");
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        // abort from this thread while the other one runs (or is about to run) the sleep
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!f.isDone() && System.nanoTime() < deadline) {
            c.abort(pool);
            try {
                f.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running
            }
        }
        check(f.isDone() && c.isClosed(), "abort ends the statement and closes the connection");
        pool.shutdown();
        check(pool.awaitTermination(20, TimeUnit.SECONDS), "the abort executor finished");
    }

    /**
     * Four threads share one connection (JDBC allows it; calls take turns) while it streams and
     * runs statements; then one closes it under the others. Every failure is an SQLException.
     */
    static void testSharedConnection() throws Exception {
        Connection c = open();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        java.util.List<Future<String>> results = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            final int me = t;
            results.add(threads.submit(() -> {
                started.countDown();
                try {
                    for (int round = 0; ; round++) {
                        try (Statement s = c.createStatement()) {
                            s.setFetchSize(me % 2 == 0 ? 100 : 0);
                            try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 2000) g")) {
                                int n = 0;
                                while (rs.next()) {
                                    n++;
                                    if (rs.getInt(1) != n) {
                                        return "thread " + me + " read row " + rs.getInt(1) + " at " + n;
                                    }
                                }
                                if (n != 2000) {
                                    return "thread " + me + " read " + n + " rows";
                                }
                            }
                        }
                        if (round > 1000) {
                            return "never closed";
                        }
                    }
                } catch (SQLException e) {
                    return "ok";
                } catch (RuntimeException e) {
                    return "thread " + me + " threw " + e;
                }
            }));
        }
        started.await();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM generate_series(1, 50000)")) {
            check(rs.next() && rs.getInt(1) == 50000, "a fifth user of the shared connection");
        }
        c.close();
        for (Future<String> f : results) {
            String r = f.get(60, TimeUnit.SECONDS);
            check("ok".equals(r), "a thread sharing the connection ends with an SQLException once it is closed: " + r);
        }
        threads.shutdown();
    }

    static void testStreaming() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            long n = 0;
            long sum = 0;
            long most = 0;
            try (ResultSet rs = s.executeQuery("SELECT g, repeat('x', 50) FROM generate_series(1, 1000000) g")) {
                io.pgtc.jdbc.PgtcResultSet prs = rs.unwrap(io.pgtc.jdbc.PgtcResultSet.class);
                while (rs.next()) {
                    n++;
                    sum += rs.getInt(1);
                    most = Math.max(most, prs.bufferedRows());
                }
            }
            check(n == 1_000_000 && sum == 500_000_500_000L, "1,000,000 rows streamed: " + n);
            check(most == 1000, "never more than the fetch size (1000) in memory: " + most);
            try (Statement whole = c.createStatement(); ResultSet rs = whole.executeQuery("SELECT g FROM generate_series(1, 5000) g")) {
                rs.next();
                check(rs.unwrap(io.pgtc.jdbc.PgtcResultSet.class).bufferedRows() == 5000, "fetch size 0 reads the result whole");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT g FROM generate_series(1, ?) g")) {
                ps.setFetchSize(10);
                ps.setInt(1, 95);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.unwrap(io.pgtc.jdbc.PgtcResultSet.class).bufferedRows() == 10, "a prepared statement streams 10 rows at a time");
                    int m = 0;
                    while (rs.next()) {
                        m++;
                        check(rs.getInt(1) == m, "row order in a prepared stream");
                        if (m == 50) {
                            break;
                        }
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int m = 0;
                    while (rs.next()) {
                        m++;
                    }
                    check(m == 95, "a prepared stream with autocommit off reads all 95 rows: " + m);
                }
            }
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT g, 1 / (g - 2500) FROM generate_series(1, 5000) g")) {
                checkThrows(() -> {
                    while (rs.next()) {
                        rs.getInt(1);
                    }
                }, SQLDataException.class, "22012", "an error in the middle of a stream comes at the batch that reaches it");
            }
            c.rollback();
        }
    }

    static void testStandby() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            io.pgtc.Connection pc = c.unwrap(io.pgtc.Connection.class);
            check(pc != null && c.isWrapperFor(io.pgtc.Connection.class), "unwrap to io.pgtc.Connection");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean standby = false;
            while (!standby && System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("/* pgtc:standby */ SELECT pg_is_in_recovery()")) {
                    standby = rs.next() && rs.getBoolean(1);
                }
            }
            check(standby, "a read-only statement with the standby hint reaches the standby");
            check(pc.explain("SELECT 1").eligible() == io.pgtc.Server.BOTH || pc.explain("SELECT 1").eligible() == io.pgtc.Server.SECONDARY, "pgtc's own API through unwrap: explain");
        }
    }

    static void testMetaData() throws Exception {
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS jdbc_meta_child, jdbc_meta");
            s.execute("CREATE TABLE jdbc_meta (id int8 PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2), note text)");
            s.execute("CREATE INDEX jdbc_meta_name ON jdbc_meta (name)");
            DatabaseMetaData md = c.getMetaData();
            check("PostgreSQL".equals(md.getDatabaseProductName()) && md.getDatabaseProductVersion().startsWith(Integer.toString(md.getDatabaseMajorVersion())), "product PostgreSQL " + md.getDatabaseProductVersion());
            check(md.getDriverName().contains("pgtc") && md.getDriverMajorVersion() == 0, "driver name and version: " + md.getDriverVersion());
            check("\"".equals(md.getIdentifierQuoteString()) && md.supportsTransactions() && md.supportsSavepoints() && !md.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE), "quoting and supports* answers");
            try (ResultSet rs = md.getTables(null, "public", "jdbc_meta", new String[] {"TABLE"})) {
                check(rs.next() && "jdbc_meta".equals(rs.getString("TABLE_NAME")) && "TABLE".equals(rs.getString("TABLE_TYPE")) && "public".equals(rs.getString("TABLE_SCHEM")) && !rs.next(), "getTables finds the table");
            }
            try (ResultSet rs = md.getColumns(null, "public", "jdbc_meta", "%")) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(rs.getString("COLUMN_NAME")).append(':').append(rs.getInt("DATA_TYPE")).append(':').append(rs.getInt("COLUMN_SIZE"))
                            .append(':').append(rs.getInt("NULLABLE")).append(':').append(rs.getInt("ORDINAL_POSITION")).append(' ');
                }
                check(sb.toString().equals("id:-5:19:0:1 name:12:40:0:2 price:2:10:1:3 note:12:2147483647:1:4 "), "getColumns: " + sb);
            }
            try (ResultSet rs = md.getPrimaryKeys(null, "public", "jdbc_meta")) {
                check(rs.next() && "id".equals(rs.getString("COLUMN_NAME")) && rs.getInt("KEY_SEQ") == 1 && "jdbc_meta_pkey".equals(rs.getString("PK_NAME")) && !rs.next(), "getPrimaryKeys");
            }
            try (ResultSet rs = md.getIndexInfo(null, "public", "jdbc_meta", false, true)) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(rs.getString("INDEX_NAME")).append(':').append(rs.getBoolean("NON_UNIQUE")).append(':').append(rs.getString("COLUMN_NAME")).append(' ');
                }
                check(sb.toString().equals("jdbc_meta_pkey:false:id jdbc_meta_name:true:name "), "getIndexInfo: " + sb);
            }
            try (ResultSet rs = md.getTypeInfo()) {
                boolean int4 = false;
                while (rs.next()) {
                    int4 |= "int4".equals(rs.getString("TYPE_NAME")) && rs.getInt("DATA_TYPE") == Types.INTEGER;
                }
                check(int4, "getTypeInfo lists int4 as INTEGER");
            }
            try (ResultSet rs = md.getSchemas()) {
                boolean pub = false;
                while (rs.next()) {
                    pub |= "public".equals(rs.getString("TABLE_SCHEM"));
                }
                check(pub, "getSchemas has public");
            }
            try (ResultSet rs = md.getCatalogs()) {
                boolean pg = false;
                while (rs.next()) {
                    pg |= "postgres".equals(rs.getString("TABLE_CAT"));
                }
                check(pg, "getCatalogs has postgres");
            }
            try (ResultSet rs = md.getTableTypes()) {
                boolean table = false;
                while (rs.next()) {
                    table |= "TABLE".equals(rs.getString(1));
                }
                check(table, "getTableTypes has TABLE");
            }
            s.execute("CREATE TABLE jdbc_meta_child (id int PRIMARY KEY, meta_id int8 REFERENCES jdbc_meta (id) ON DELETE CASCADE)");
            for (ResultSet rs : new ResultSet[] {md.getImportedKeys(null, "public", "jdbc_meta_child"), md.getExportedKeys(null, "public", "jdbc_meta"),
                md.getCrossReference(null, "public", "jdbc_meta", null, "public", "jdbc_meta_child")}) {
                try (rs) {
                    check(rs.next() && "jdbc_meta".equals(rs.getString("PKTABLE_NAME")) && "id".equals(rs.getString("PKCOLUMN_NAME"))
                            && "jdbc_meta_child".equals(rs.getString("FKTABLE_NAME")) && "meta_id".equals(rs.getString("FKCOLUMN_NAME"))
                            && rs.getShort("KEY_SEQ") == 1 && rs.getShort("DELETE_RULE") == DatabaseMetaData.importedKeyCascade
                            && rs.getShort("UPDATE_RULE") == DatabaseMetaData.importedKeyNoAction && "jdbc_meta_pkey".equals(rs.getString("PK_NAME")) && !rs.next(),
                            "a foreign key through getImportedKeys, getExportedKeys, getCrossReference");
                }
            }
            s.execute("CREATE OR REPLACE FUNCTION jdbc_meta_f(a int) RETURNS int LANGUAGE sql AS 'SELECT a'");
            try (ResultSet rs = md.getFunctions(null, "public", "jdbc_meta_f")) {
                check(rs.next() && "jdbc_meta_f".equals(rs.getString("FUNCTION_NAME")) && rs.getShort("FUNCTION_TYPE") == DatabaseMetaData.functionNoTable && !rs.next(), "getFunctions");
            }
            try (ResultSet rs = md.getProcedures(null, "public", "jdbc_meta_f")) {
                check(!rs.next(), "getProcedures lists procedures, not functions (as PgJDBC)");
            }
            check(md.supportsStoredFunctionsUsingCallSyntax() && md.getStringFunctions().contains("locate") && md.getTimeDateFunctions().contains("timestampdiff"),
                    "the escape functions are listed: " + md.getStringFunctions());
            check(md.getSQLKeywords().contains("select") && md.getSQLKeywords().contains("limit") && !md.getSQLKeywords().contains("abort"), "getSQLKeywords: the reserved words");
            try (ResultSet rs = md.getProcedureColumns(null, "public", "jdbc_meta_f", "%")) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(rs.getString("COLUMN_NAME")).append(':').append(rs.getShort("COLUMN_TYPE")).append(':').append(rs.getInt("DATA_TYPE"))
                            .append(':').append(rs.getInt("ORDINAL_POSITION")).append(' ');
                }
                check(sb.toString().equals("returnValue:" + DatabaseMetaData.procedureColumnReturn + ":4:0 a:" + DatabaseMetaData.procedureColumnIn + ":4:1 "),
                        "getProcedureColumns (what Spring's SimpleJdbcCall reads): " + sb);
            }
            try (ResultSet rs = md.getFunctionColumns(null, "public", "jdbc_meta_f", "a")) {
                check(rs.next() && rs.getShort("COLUMN_TYPE") == DatabaseMetaData.functionColumnIn && "int4".equals(rs.getString("TYPE_NAME")) && !rs.next(),
                        "getFunctionColumns with a column pattern");
            }
            checkThrows(() -> md.getSuperTypes(null, null, null), java.sql.SQLFeatureNotSupportedException.class, "0A000", "an unimplemented DatabaseMetaData call is refused");
            s.execute("DROP FUNCTION jdbc_meta_f(int)");
            s.execute("DROP TABLE jdbc_meta_child, jdbc_meta");
        }
    }

    static void testDataSource() throws Exception {
        io.pgtc.jdbc.PgtcDataSource ds = new io.pgtc.jdbc.PgtcDataSource();
        ds.setUrl("jdbc:pgtc://" + hosts + "/postgres?PREFERRED_ACCESS=READ_MOSTLY");
        ds.setUser("pgtc");
        ds.setPassword("pgtc");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            check(rs.next() && rs.getInt(1) == 1, "a plain DataSource connection");
        }
        ds.setPooled(true);
        ds.setProperty("POOL_MAX", "2");
        int pid1;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid1 = rs.getInt(1);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            check(rs.next() && rs.getInt(1) == pid1, "the pooled DataSource lends the same connection again");
            check(ds.poolStats() != null, "pool stats");
            s.execute("DO $$BEGIN RAISE NOTICE 'pooled notice'; END$$");
            check(c.getWarnings() != null && c.getWarnings().getMessage().contains("pooled notice"), "notices on a pooled connection");
        }
        // The connection given back keeps no handler of the closed JDBC connection: after a
        // collection, its next borrower and the pool's reset see notices safely.
        for (int i = 0; i < 3; i++) {
            System.gc();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DO $$BEGIN RAISE NOTICE 'again %', " + i + "; END$$");
                check(c.getWarnings() != null && c.getWarnings().getMessage().contains("again " + i) && c.getWarnings().getNextWarning() == null, "a borrower sees its own notices only");
            }
        }
        ds.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: JdbcTest CONNINFO");
            System.exit(2);
        }
        String hostList = null;
        String portList = null;
        for (String kv : args[0].split(" ")) {
            if (kv.startsWith("host=")) {
                hostList = kv.substring(5);
            } else if (kv.startsWith("port=")) {
                portList = kv.substring(5);
            }
        }
        String[] h = hostList.split(",");
        String[] p = portList.split(",");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.length; i++) {
            sb.append(i > 0 ? "," : "").append(h[i]).append(':').append(p[i]);
        }
        hosts = sb.toString();
        url = "jdbc:pgtc://" + hosts + "/postgres?user=pgtc&password=pgtc&PREFERRED_ACCESS=READ_MOSTLY";
        String[] names = {"urls", "setters", "batch/keys/results", "transactions", "exceptions", "cancel/timeout", "streaming", "standby", "metadata", "datasource", "escapes"};
        Body[] tests = {JdbcTest::testUrls, JdbcTest::testSettersRoundTrip, JdbcTest::testBatchKeysResults, JdbcTest::testTransactions, JdbcTest::testExceptions,
            JdbcTest::testCancelAndTimeout, JdbcTest::testStreaming, JdbcTest::testStandby, JdbcTest::testMetaData, JdbcTest::testDataSource, EscapeTests::run};
        String only = System.getProperty("only");
        for (int i = 0; i < tests.length; i++) {
            if (only != null && !names[i].equals(only)) {
                continue;
            }
            System.err.println("-- " + names[i]);
            try {
                tests[i].run();
            } catch (Throwable e) {
                failed++;
                System.err.println("  " + names[i] + " threw:");
                e.printStackTrace();
            }
        }
        System.err.println("jdbc: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
