package io.pgtc.hikaritests;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Behaviour that should be the same through any PostgreSQL JDBC driver:
 * transactions, savepoints, read-only, isolation, typed binds, batches,
 * generated keys, several results, timeouts, cancel, errors by SQLSTATE and
 * DatabaseMetaData. Each check asserts what JDBC and PostgreSQL require and
 * reports what the driver did, so that where two drivers legitimately
 * differ (an exception class, an update count) the tables show it.
 */
final class BehaviourChecks {
    private final Checks checks;

    BehaviourChecks(Checks checks) {
        this.checks = checks;
    }

    void runAll() throws SQLException {
        checks.exec("DROP TABLE IF EXISTS jt_tx, jt_types, jt_keys, jt_meta");
        checks.exec("CREATE TABLE jt_tx (id int PRIMARY KEY, v text)");
        checks.exec("CREATE TABLE jt_keys (id serial PRIMARY KEY, v text)");
        checks.exec("CREATE TABLE jt_types (i int, b bigint, s smallint, d double precision, f real,"
                + " n numeric(20,5), t text, o boolean, y bytea, dt date, tm time, ts timestamp)");
        checks.run("tx.autocommitCommitRollback", this::autocommit);
        checks.run("tx.savepoints", this::savepoints);
        checks.run("tx.setReadOnlyInsideTransaction", this::readOnlyInside);
        checks.run("tx.readOnlyRejectsWrite", this::readOnlyWrite);
        checks.run("tx.isolationLevels", this::isolation);
        checks.run("types.setterGetterRoundTrip", this::roundTrip);
        checks.run("types.sqlTypesMapping", this::typesMapping);
        checks.run("types.setObjectAndNull", this::setObject);
        checks.run("batch.success", this::batchSuccess);
        checks.run("batch.BatchUpdateException", this::batchFailure);
        checks.run("keys.generated", this::generatedKeys);
        checks.run("results.getMoreResults", this::moreResults);
        checks.run("timeout.setQueryTimeout", this::queryTimeout);
        checks.run("cancel.fromAnotherThread", this::cancel);
        checks.run("errors.23505.uniqueViolation", () -> errorClass("INSERT INTO jt_tx VALUES (1, 'a'), (1, 'b')", "23505"));
        checks.run("errors.42P01.undefinedTable", () -> errorClass("SELECT * FROM jt_no_such_table", "42P01"));
        checks.run("errors.42601.syntax", () -> errorClass("SELEC 1", "42601"));
        checks.run("errors.22012.divisionByZero", () -> errorClass("SELECT 1 / 0", "22012"));
        checks.run("errors.closedConnection", this::closedConnection);
        checks.run("metadata.productName", this::productName);
        checks.run("metadata.tablesColumnsPrimaryKeys", this::metadata);
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    private String autocommit() throws Exception {
        try (Connection c = checks.plain(); Connection other = checks.plain(); Statement s = c.createStatement()) {
            Checks.expect(c.getAutoCommit(), "a new connection is not in autocommit");
            s.executeUpdate("DELETE FROM jt_tx");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO jt_tx VALUES (1, 'rolled back')");
            Checks.expect(count(c, "SELECT count(*) FROM jt_tx") == 1, "the transaction does not see its own insert");
            c.rollback();
            Checks.expect(count(c, "SELECT count(*) FROM jt_tx") == 0, "rollback kept the row");
            s.executeUpdate("INSERT INTO jt_tx VALUES (2, 'committed')");
            Checks.expect(count(other, "SELECT count(*) FROM jt_tx WHERE id = 2") == 0, "another connection saw an uncommitted row");
            c.commit();
            Checks.expect(count(other, "SELECT count(*) FROM jt_tx WHERE id = 2") == 1, "another connection missed a committed row");
            s.executeUpdate("INSERT INTO jt_tx VALUES (3, 'committed by setAutoCommit')");
            c.setAutoCommit(true);
            Checks.expect(count(other, "SELECT count(*) FROM jt_tx WHERE id = 3") == 1, "setAutoCommit(true) did not commit");
            s.executeUpdate("DELETE FROM jt_tx");
            return "rollback undoes, commit and setAutoCommit(true) keep";
        }
    }

    private String savepoints() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM jt_tx");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO jt_tx VALUES (1, 'kept')");
            Savepoint sp = c.setSavepoint("sp1");
            Checks.expect("sp1".equals(sp.getSavepointName()), "savepoint name " + sp.getSavepointName());
            s.executeUpdate("INSERT INTO jt_tx VALUES (2, 'undone')");
            c.rollback(sp);
            Savepoint unnamed = c.setSavepoint();
            s.executeUpdate("INSERT INTO jt_tx VALUES (3, 'kept')");
            c.releaseSavepoint(unnamed);
            Savepoint afterError = c.setSavepoint();
            try {
                s.executeUpdate("INSERT INTO jt_tx VALUES (1, 'duplicate')");
                throw new Checks.Failure("a duplicate key was accepted");
            } catch (SQLException e) {
                Checks.expect("23505".equals(e.getSQLState()), "duplicate key gave " + Checks.kind(e));
            }
            c.rollback(afterError);
            c.commit();
            int rows = count(c, "SELECT count(*) FROM jt_tx");
            int ids = count(c, "SELECT sum(id) FROM jt_tx");
            c.commit();
            c.setAutoCommit(true);
            s.executeUpdate("DELETE FROM jt_tx");
            Checks.expect(rows == 2 && ids == 4, rows + " rows, ids summing to " + ids + " (want 1 and 3)");
            return "rollback(savepoint) undoes, release keeps, rollback after an error recovers";
        }
    }

    private String readOnlyInside() throws Exception {
        try (Connection c = checks.plain()) {
            c.setAutoCommit(false);
            count(c, "SELECT 1");
            try {
                c.setReadOnly(true);
                c.rollback();
                return "accepted inside a transaction (isReadOnly " + c.isReadOnly() + ")";
            } catch (SQLException e) {
                c.rollback();
                Checks.expect("25001".equals(e.getSQLState()), "setReadOnly in a transaction gave " + Checks.kind(e));
                return Checks.kind(e);
            }
        }
    }

    private String readOnlyWrite() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            c.setReadOnly(true);
            Checks.expect(c.isReadOnly(), "isReadOnly() is false after setReadOnly(true)");
            c.setAutoCommit(false);
            try {
                s.executeUpdate("INSERT INTO jt_tx VALUES (100, 'read-only')");
                c.rollback();
                throw new Checks.Failure("a read-only transaction accepted an INSERT");
            } catch (SQLException e) {
                c.rollback();
                Checks.expect("25006".equals(e.getSQLState()), "INSERT in a read-only transaction gave " + Checks.kind(e));
                c.setAutoCommit(true);
                c.setReadOnly(false);
                return Checks.kind(e);
            }
        }
    }

    private String isolation() throws Exception {
        int[] levels = {Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE};
        String[] names = {"read committed", "repeatable read", "serializable"};
        try (Connection c = checks.plain()) {
            Checks.expect(c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED,
                    "default isolation " + c.getTransactionIsolation());
            for (int i = 0; i < levels.length; i++) {
                c.setTransactionIsolation(levels[i]);
                Checks.expect(c.getTransactionIsolation() == levels[i], "getTransactionIsolation after set " + levels[i]);
                c.setAutoCommit(false);
                String shown;
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW transaction_isolation")) {
                    r.next();
                    shown = r.getString(1);
                }
                c.commit();
                c.setAutoCommit(true);
                Checks.expect(names[i].equals(shown), "set " + names[i] + ", the server shows " + shown);
            }
            return "READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE reach the server";
        }
    }

    private static final BigDecimal NUMERIC = new BigDecimal("123456789012345.12345");
    private static final byte[] BYTES = {0, 1, (byte) 0xff, 39, 92};
    private static final Date DATE = Date.valueOf("2024-02-29");
    private static final Time TIME = Time.valueOf("13:45:07");
    private static final Timestamp TS = Timestamp.valueOf("2024-02-29 13:45:07.123456");
    private static final String TEXT = "héllo, 'world' \\ \u20ac";

    private String roundTrip() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM jt_types");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO jt_types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setInt(1, Integer.MIN_VALUE);
                p.setLong(2, Long.MAX_VALUE);
                p.setShort(3, Short.MIN_VALUE);
                p.setDouble(4, 1.0 / 3.0);
                p.setFloat(5, 2.5f);
                p.setBigDecimal(6, NUMERIC);
                p.setString(7, TEXT);
                p.setBoolean(8, true);
                p.setBytes(9, BYTES);
                p.setDate(10, DATE);
                p.setTime(11, TIME);
                p.setTimestamp(12, TS);
                Checks.expect(p.executeUpdate() == 1, "the insert's update count was not 1");
            }
            try (ResultSet r = s.executeQuery("SELECT * FROM jt_types")) {
                Checks.expect(r.next(), "no row");
                List<String> wrong = new ArrayList<>();
                if (r.getInt(1) != Integer.MIN_VALUE) wrong.add("int " + r.getInt(1));
                if (r.getLong(2) != Long.MAX_VALUE) wrong.add("bigint " + r.getLong(2));
                if (r.getShort(3) != Short.MIN_VALUE) wrong.add("smallint " + r.getShort(3));
                if (r.getDouble(4) != 1.0 / 3.0) wrong.add("double " + r.getDouble(4));
                if (r.getFloat(5) != 2.5f) wrong.add("real " + r.getFloat(5));
                if (NUMERIC.compareTo(r.getBigDecimal(6)) != 0) wrong.add("numeric " + r.getBigDecimal(6));
                if (!TEXT.equals(r.getString(7))) wrong.add("text " + r.getString(7));
                if (!r.getBoolean(8)) wrong.add("boolean false");
                if (!Arrays.equals(BYTES, r.getBytes(9))) wrong.add("bytea " + Arrays.toString(r.getBytes(9)));
                if (!DATE.toString().equals(String.valueOf(r.getDate(10)))) wrong.add("date " + r.getDate(10));
                if (!TIME.toString().equals(String.valueOf(r.getTime(11)))) wrong.add("time " + r.getTime(11));
                if (!TS.equals(r.getTimestamp(12))) wrong.add("timestamp " + r.getTimestamp(12));
                Checks.expect(wrong.isEmpty(), "wrong after the round trip: " + wrong);
            }
            return "12 types round-trip";
        }
    }

    private String typesMapping() throws Exception {
        int[] want = {Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.DOUBLE, Types.REAL, Types.NUMERIC,
            Types.VARCHAR, Types.BIT, Types.BINARY, Types.DATE, Types.TIME, Types.TIMESTAMP};
        String[] classes = {"java.lang.Integer", "java.lang.Long", "java.lang.Integer", "java.lang.Double", "java.lang.Float",
            "java.math.BigDecimal", "java.lang.String", "java.lang.Boolean", "[B", "java.sql.Date", "java.sql.Time", "java.sql.Timestamp"};
        try (Connection c = checks.plain(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM jt_types")) {
            ResultSetMetaData md = r.getMetaData();
            Checks.expect(md.getColumnCount() == want.length, md.getColumnCount() + " columns");
            Checks.expect(r.next(), "no row (types.setterGetterRoundTrip writes it)");
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < want.length; i++) {
                int col = i + 1;
                if (md.getColumnType(col) != want[i]) wrong.add(md.getColumnName(col) + " type " + md.getColumnType(col));
                if (!classes[i].equals(md.getColumnClassName(col))) wrong.add(md.getColumnName(col) + " class " + md.getColumnClassName(col));
                Object o = r.getObject(col);
                if (o == null || !classes[i].equals(o.getClass().getName())) {
                    wrong.add(md.getColumnName(col) + " getObject " + (o == null ? "null" : o.getClass().getName()));
                }
            }
            if (md.getPrecision(6) != 20 || md.getScale(6) != 5) wrong.add("numeric(20,5) as " + md.getPrecision(6) + "," + md.getScale(6));
            if (!"jt_types".equals(md.getTableName(1))) wrong.add("table name '" + md.getTableName(1) + "'");
            Checks.expect(wrong.isEmpty(), "differs from PgJDBC's mapping: " + wrong);
            return "java.sql.Types and classes as PgJDBC maps them";
        }
    }

    private String setObject() throws Exception {
        try (Connection c = checks.plain();
                PreparedStatement p = c.prepareStatement("SELECT ?::int + 1, ?::text, ?::numeric * 2, ? IS NULL, ?::bigint")) {
            p.setObject(1, 41);
            p.setObject(2, "x");
            p.setObject(3, new BigDecimal("1.25"));
            p.setNull(4, Types.INTEGER);
            p.setObject(5, 7L, Types.BIGINT);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                Checks.expect(r.getInt(1) == 42, "setObject(Integer) + 1 = " + r.getInt(1));
                Checks.expect("x".equals(r.getString(2)), "setObject(String) gave " + r.getString(2));
                Checks.expect(new BigDecimal("2.50").compareTo(r.getBigDecimal(3)) == 0, "setObject(BigDecimal) * 2 = " + r.getBigDecimal(3));
                Checks.expect(r.getBoolean(4), "setNull is not NULL");
                Checks.expect(r.getLong(5) == 7L && !r.wasNull(), "setObject(Long, BIGINT) gave " + r.getLong(5));
                r.getObject(4);
            }
            return "setObject and setNull bind";
        }
    }

    private String batchSuccess() throws Exception {
        try (Connection c = checks.plain(); PreparedStatement p = c.prepareStatement("INSERT INTO jt_tx VALUES (?, ?)")) {
            checks.exec("DELETE FROM jt_tx");
            for (int i = 1; i <= 3; i++) {
                p.setInt(1, i);
                p.setString(2, "b" + i);
                p.addBatch();
            }
            int[] counts = p.executeBatch();
            Checks.expect(count(c, "SELECT count(*) FROM jt_tx") == 3, "the batch did not insert 3 rows");
            checks.exec("DELETE FROM jt_tx");
            for (int n : counts) {
                Checks.expect(n == 1 || n == Statement.SUCCESS_NO_INFO, "update counts " + Arrays.toString(counts));
            }
            Checks.expect(counts.length == 3, "update counts " + Arrays.toString(counts));
            return "counts " + Arrays.toString(counts);
        }
    }

    private String batchFailure() throws Exception {
        try (Connection c = checks.plain(); PreparedStatement p = c.prepareStatement("INSERT INTO jt_tx VALUES (?, ?)")) {
            checks.exec("DELETE FROM jt_tx");
            int[] ids = {1, 2, 1, 3};
            for (int id : ids) {
                p.setInt(1, id);
                p.setString(2, "b" + id);
                p.addBatch();
            }
            try {
                p.executeBatch();
                throw new Checks.Failure("a batch with a duplicate key succeeded");
            } catch (BatchUpdateException e) {
                int rows = count(c, "SELECT count(*) FROM jt_tx");
                checks.exec("DELETE FROM jt_tx");
                SQLException cause = e.getNextException();
                String state = e.getSQLState() != null ? e.getSQLState() : cause == null ? null : cause.getSQLState();
                Checks.expect("23505".equals(state), "BatchUpdateException with SQLSTATE " + e.getSQLState()
                        + (cause == null ? "" : ", next " + Checks.kind(cause)));
                return "SQLSTATE " + e.getSQLState() + ", counts " + Arrays.toString(e.getUpdateCounts()) + ", " + rows + " rows kept";
            }
        }
    }

    private String generatedKeys() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            Checks.expect(s.executeUpdate("INSERT INTO jt_keys (v) VALUES ('a')", Statement.RETURN_GENERATED_KEYS) == 1, "update count");
            long first;
            try (ResultSet k = s.getGeneratedKeys()) {
                Checks.expect(k.next(), "no generated key (Statement)");
                first = k.getLong("id");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO jt_keys (v) VALUES (?)", new String[] {"id"})) {
                p.setString(1, "b");
                p.executeUpdate();
                try (ResultSet k = p.getGeneratedKeys()) {
                    Checks.expect(k.next(), "no generated key (PreparedStatement, column names)");
                    long second = k.getLong(1);
                    Checks.expect(second > first, "keys " + first + " then " + second);
                    Checks.expect(count(c, "SELECT count(*) FROM jt_keys WHERE id = " + second) == 1, "key " + second + " names no row");
                }
            }
            return "RETURN_GENERATED_KEYS and column names";
        }
    }

    private String moreResults() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            checks.exec("DELETE FROM jt_tx");
            Checks.expect(s.execute("SELECT 1; SELECT 2"), "the first result is not a result set");
            try (ResultSet r = s.getResultSet()) {
                Checks.expect(r.next() && r.getInt(1) == 1, "first result");
            }
            Checks.expect(s.getMoreResults(), "no second result set");
            try (ResultSet r = s.getResultSet()) {
                Checks.expect(r.next() && r.getInt(1) == 2, "second result");
            }
            Checks.expect(!s.getMoreResults() && s.getUpdateCount() == -1, "more than two results");
            Checks.expect(!s.execute("INSERT INTO jt_tx VALUES (1, 'm'), (2, 'm'); SELECT count(*) FROM jt_tx"), "an insert came first");
            Checks.expect(s.getUpdateCount() == 2, "insert's update count " + s.getUpdateCount());
            Checks.expect(s.getMoreResults(), "no result set after the insert");
            try (ResultSet r = s.getResultSet()) {
                Checks.expect(r.next() && r.getInt(1) == 2, "count after the insert");
            }
            Checks.expect(!s.getMoreResults() && s.getUpdateCount() == -1, "a third result");
            checks.exec("DELETE FROM jt_tx");
            return "result set, result set; update count, result set";
        }
    }

    private String queryTimeout() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            Checks.expect(s.getQueryTimeout() == 1, "getQueryTimeout " + s.getQueryTimeout());
            try {
                s.executeQuery("SELECT pg_sleep(30)").close();
                throw new Checks.Failure("pg_sleep(30) with a 1 s timeout ended without an exception");
            } catch (SQLException e) {
                Checks.expect("57014".equals(e.getSQLState()), "timeout gave " + Checks.kind(e));
                Checks.expect(count(c, "SELECT 1") == 1, "the connection is unusable after the timeout");
                return Checks.kind(e);
            }
        }
    }

    /** The sleep cancel() interrupts; the hint keeps it on the primary, whose pg_stat_activity is read. */
    private static final String SLEEP = "/* pgtc:primary */ SELECT pg_sleep(30) AS jt_cancel_me";

    private String cancel() throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection c = checks.plain(); Connection watcher = checks.plain(); Statement s = c.createStatement()) {
            Future<String> running = runner.submit(() -> {
                try {
                    s.executeQuery(SLEEP).close();
                    return "ended without an exception";
                } catch (SQLException e) {
                    return Checks.kind(e);
                }
            });
            // A cancel that reaches the server before the statement does
            // nothing, so wait until the server runs it.
            boolean started = Checks.poll(20_000, () -> running.isDone()
                    || count(watcher, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query LIKE '%jt\\_cancel\\_me%' AND pid <> pg_backend_pid()") > 0);
            Checks.expect(started, "the sleep never showed in pg_stat_activity");
            if (running.isDone()) {
                throw new Checks.Failure("the sleep ended before cancel(): " + running.get());
            }
            s.cancel();
            boolean done = Checks.poll(20_000, running::isDone);
            Checks.expect(done, "the statement still runs 20 s after cancel()");
            String outcome = running.get(1, TimeUnit.SECONDS);
            Checks.expect(outcome.endsWith(" 57014"), "cancel gave " + outcome);
            Checks.expect(count(c, "SELECT 1") == 1, "the connection is unusable after cancel");
            return outcome;
        } finally {
            runner.shutdownNow();
        }
    }

    private String errorClass(String sql, String sqlstate) throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            try {
                s.execute(sql);
                throw new Checks.Failure(sql + " succeeded");
            } catch (SQLException e) {
                Checks.expect(sqlstate.equals(e.getSQLState()), sql + " gave " + Checks.kind(e));
                Checks.expect(count(c, "SELECT 1") == 1, "the connection is unusable after the error");
                return e.getClass().getSimpleName();
            }
        }
    }

    private String closedConnection() throws Exception {
        Connection c = checks.plain();
        Statement s = c.createStatement();
        c.close();
        Checks.expect(c.isClosed(), "isClosed() is false after close()");
        Checks.expect(!c.isValid(1), "isValid() is true after close()");
        try {
            s.executeQuery("SELECT 1");
            throw new Checks.Failure("a statement of a closed connection ran");
        } catch (SQLException e) {
            try {
                c.createStatement();
                throw new Checks.Failure("a closed connection made a statement");
            } catch (SQLException e2) {
                return Checks.kind(e) + "; " + Checks.kind(e2);
            }
        }
    }

    private String productName() throws Exception {
        try (Connection c = checks.plain()) {
            DatabaseMetaData md = c.getMetaData();
            Checks.expect("PostgreSQL".equals(md.getDatabaseProductName()), "product " + md.getDatabaseProductName());
            Checks.expect(md.getDatabaseMajorVersion() >= 10, "major version " + md.getDatabaseMajorVersion());
            return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
        }
    }

    private String metadata() throws Exception {
        try (Connection c = checks.plain(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE jt_meta (id integer PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2))");
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet r = md.getTables(null, "public", "jt_meta", new String[] {"TABLE"})) {
                Checks.expect(r.next(), "getTables does not list the table just created");
                Checks.expect("jt_meta".equals(r.getString("TABLE_NAME")) && "TABLE".equals(r.getString("TABLE_TYPE")),
                        "getTables row " + r.getString("TABLE_NAME") + " " + r.getString("TABLE_TYPE"));
                Checks.expect(!r.next(), "getTables lists it twice");
            }
            List<String> cols = new ArrayList<>();
            try (ResultSet r = md.getColumns(null, "public", "jt_meta", "%")) {
                while (r.next()) {
                    cols.add(r.getString("COLUMN_NAME") + ":" + r.getInt("DATA_TYPE") + ":" + r.getInt("COLUMN_SIZE")
                            + ":" + r.getInt("NULLABLE") + ":" + r.getInt("ORDINAL_POSITION"));
                }
            }
            List<String> want = List.of("id:" + Types.INTEGER + ":10:" + DatabaseMetaData.columnNoNulls + ":1",
                    "name:" + Types.VARCHAR + ":40:" + DatabaseMetaData.columnNoNulls + ":2",
                    "price:" + Types.NUMERIC + ":10:" + DatabaseMetaData.columnNullable + ":3");
            Checks.expect(cols.equals(want), "getColumns " + cols + ", want " + want);
            try (ResultSet r = md.getPrimaryKeys(null, "public", "jt_meta")) {
                Checks.expect(r.next() && "id".equals(r.getString("COLUMN_NAME")) && r.getInt("KEY_SEQ") == 1, "getPrimaryKeys");
                Checks.expect(!r.next(), "getPrimaryKeys has a second column");
            }
            s.execute("DROP TABLE jt_meta");
            return "getTables, getColumns (name, type, size, nullable), getPrimaryKeys";
        }
    }
}
