package io.pgtc.tests;

import com.sun.jna.Pointer;
import io.pgtc.Attribute;
import io.pgtc.Connection;
import io.pgtc.Counter;
import io.pgtc.Pgtc;
import io.pgtc.PgtcException;
import io.pgtc.Result;
import io.pgtc.Route;
import io.pgtc.Server;
import io.pgtc.Status;
import io.pgtc.Table;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests of the Java binding (package io.pgtc) against real primary + hot standby pairs.
 *
 * <pre>
 *   java -Djna.library.path=DIR -cp jna.jar:classes io.pgtc.tests.PgtcTest CONNINFO DELAYED_CONNINFO
 * </pre>
 *
 * CONNINFO is a pair without apply delay, DELAYED_CONNINFO one whose standby applies WAL 300 ms
 * late; both as tools/pgtc-cluster prints them (standby listed first). Plain Java (no JUnit):
 * prints "java: N passed, M failed" and exits 1 on failure. bindings/java/test runs it.
 */
public final class PgtcTest {
    static int passed;
    static int failed;

    private PgtcTest() {}

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

    /** Checks that body throws a PgtcException with the status (and SQLSTATE, when not null). */
    static void checkThrows(Body body, int status, String sqlState, String what) {
        try {
            body.run();
            failed++;
            StackTraceElement at = new Throwable().getStackTrace()[1];
            System.err.println(at.getFileName() + ":" + at.getLineNumber() + ": CHECK failed: no exception: " + what);
        } catch (PgtcException e) {
            boolean ok =
                    e.getStatus() == status
                            && e.getErrorCode() == status
                            && (sqlState == null || sqlState.equals(e.getSQLState()));
            if (!ok) {
                System.err.println(
                        "  got " + e.getStatusName() + " SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
            }
            check(ok, what);
        } catch (Exception e) {
            check(false, what + " (threw " + e + ")");
        }
    }

    private static void checkThrowsUnchecked(Body body, Class<? extends RuntimeException> type, String what) {
        try {
            body.run();
            check(false, what + " (no exception)");
        } catch (Exception e) {
            check(type.isInstance(e), what + " (threw " + e + ")");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs sql until it is served by the standby (at most ~10 s); returns the last outcome. */
    private static Table readOnStandby(Connection conn, String sql) throws SQLException {
        Table t = conn.query(sql);
        for (int i = 0; i < 500 && t.server() != Server.SECONDARY; i++) {
            sleep(20);
            t = conn.query(sql);
        }
        return t;
    }

    private static boolean waitForStandby(Connection conn, String sql) throws SQLException {
        return readOnStandby(conn, sql).server() == Server.SECONDARY;
    }

    static void testOpenAndBasics(String conninfo) throws Exception {
        System.out.println("pgtc " + Pgtc.version());
        try (Connection conn = Connection.open(conninfo)) {
            check(conn.connected() == Server.BOTH, "both servers connected");
            check(!conn.inTransaction() && !conn.pinned(), "fresh session state");
            check(conn.lsnFloor().equals("0/0"), "floor 0/0 before a write");

            conn.exec("DROP TABLE IF EXISTS java_items").close();
            try (Result ddl = conn.exec("CREATE TABLE java_items (id int PRIMARY KEY, name text, note text)")) {
                check(ddl.server() == Server.PRIMARY, "DDL on the primary");
                check(ddl.command().equals("CREATE TABLE"), "DDL tag");
                check(ddl.rows() == 0 && ddl.cols() == 0, "DDL has no rows");
            }
            try (Result ins =
                    conn.exec("INSERT INTO java_items VALUES (1, 'one', NULL), (2, 'two', 'x'), (3, 'three', NULL)")) {
                check(ins.server() == Server.PRIMARY, "write on the primary");
                check(ins.affected() == 3 && ins.command().equals("INSERT 0 3"), "affected and tag");
            }
            check(!conn.lsnFloor().equals("0/0"), "floor raised by the write");

            // The monitor measures the standby's replay lag in time.
            long lag = conn.standbyLagMs();
            for (int i = 0; lag < 0 && i < 300; i++) {
                sleep(50);
                lag = conn.standbyLagMs();
            }
            check(lag >= 0, "the standby's replay lag is measured");

            // Reads reach the standby once it has caught up.
            Table cnt = readOnStandby(conn, "SELECT count(*) AS n FROM java_items");
            check(cnt.server() == Server.SECONDARY, "reads reach the standby once caught up");
            check("3".equals(cnt.getString(0, 0)), "the standby has the rows");
            check(cnt.columnName(0).equals("n") && cnt.columnType(0) == 20, "name and type of count(*)");

            // Shape, names, types, NULL → null.
            try (Result r = conn.exec("SELECT 1 AS one, NULL::text AS nothing, 'x'::text AS x")) {
                check(r.rows() == 1 && r.cols() == 3, "shape");
                check(r.columnName(0).equals("one") && r.columnName(1).equals("nothing"), "column names");
                check(r.columnType(0) == 23 && r.columnType(2) == 25, "column types");
                check("1".equals(r.getString(0, 0)), "value");
                check(r.getString(0, 1) == null && r.isNull(0, 1) && !r.isNull(0, 0), "NULL is null");
                check(r.command().equals("SELECT 1") && r.affected() == 1, "SELECT tag");
                checkThrowsUnchecked(() -> r.getString(1, 0), IndexOutOfBoundsException.class, "row out of range");
                checkThrowsUnchecked(() -> r.getString(0, 3), IndexOutOfBoundsException.class, "col out of range");
                checkThrowsUnchecked(() -> r.columnName(-1), IndexOutOfBoundsException.class, "name out of range");
            }

            // Iterating rows, and the copy into Java objects (closed early).
            Result all = conn.exec("SELECT id, name, note FROM java_items ORDER BY id");
            Table table = all.toTable();
            all.close();
            all.close(); // idempotent
            check(all.isClosed(), "result closed");
            checkThrowsUnchecked(() -> all.getString(0, 0), IllegalStateException.class, "closed result refuses reads");
            check(table.rows() == 3 && table.cols() == 3, "table shape");
            int ids = 0;
            int nulls = 0;
            StringBuilder names = new StringBuilder();
            for (List<String> row : table.rowList()) {
                ids += Integer.parseInt(row.get(0));
                names.append(row.get(1)).append(',');
                nulls += row.get(2) == null ? 1 : 0;
            }
            check(ids == 6 && nulls == 2 && names.toString().equals("one,two,three,"), "iterate rows");
            check("x".equals(table.getString(1, 2)) && table.columnNames().equals(List.of("id", "name", "note")),
                    "table values");
            checkThrowsUnchecked(() -> table.rowList().add(List.of()), UnsupportedOperationException.class,
                    "table immutable");
            check(conn.query("SELECT id FROM java_items WHERE false").rows() == 0, "empty result");

            // Parameters, incl. SQL NULL and non-ASCII text.
            try (Result p = conn.exec("SELECT $1::int * 2, $2::text IS NULL, $3::text", "21", null, "h\u00e9llo \u2713")) {
                check("42".equals(p.getString(0, 0)), "int parameter");
                check("t".equals(p.getString(0, 1)), "null parameter");
                check("h\u00e9llo \u2713".equals(p.getString(0, 2)), "UTF-8 round trip");
            }
            try (Result p = conn.exec("SELECT $1::text IS NULL", (String) null)) {
                check("t".equals(p.getString(0, 0)), "a single NULL parameter");
            }
            check("0".equals(conn.query("SELECT count(*) FROM java_items WHERE name = $1", "one' OR 'a'='a")
                    .getString(0, 0)), "parameters are not interpolated");
            check("two".equals(conn.query("SELECT name FROM java_items WHERE id = $1", "2").getString(0, 0)),
                    "query with a parameter");
            checkThrows(() -> conn.exec("SELECT 1", (String[]) null), Status.NULL_ARGUMENT, null, "null params array");

            // Errors: SQLException with SQLSTATE and status; the connection stays usable.
            try {
                conn.exec("SELECT * FROM java_no_such_table");
                check(false, "missing table throws");
            } catch (PgtcException e) {
                check(e.getSQLState().equals("42P01") && e.getStatus() == Status.SQL, "42P01");
                check(e.getStatusName().equals("PGTC_STATUS_SQL"), "status name");
                check(e.getMessage().contains("java_no_such_table"), "message names the table");
                check(e instanceof SQLException, "is a SQLException");
            }
            checkThrows(() -> conn.exec("INSERT INTO java_items VALUES ($1, $2)", "1", "dup"),
                    Status.SQL, "23505", "duplicate key 23505");
            checkThrows(() -> conn.exec("SELEC 1"), Status.SQL, "42601", "syntax error 42601");
            check("1".equals(conn.query("SELECT 1").getString(0, 0)), "usable after errors");
            checkThrows(() -> conn.setAttr("PREFERRED_ACCESS", "nope"), Status.INVALID_ATTRIBUTE_VALUE, null,
                    "bad attribute value");
            try {
                conn.setAttr("NO_SUCH_ATTR", "x");
                check(false, "unknown attribute throws");
            } catch (PgtcException e) {
                check(e.getStatus() == Status.UNKNOWN_ATTRIBUTE && "42704".equals(e.getSQLState()),
                        "unknown attribute, SQLSTATE 42704");
            }
            checkThrows(() -> conn.raiseLsnFloor("not an lsn"), Status.INVALID_ARGUMENT, null, "bad LSN");
            checkThrows(() -> conn.exec("SELECT 1\0 --"), Status.INVALID_ARGUMENT, null, "NUL in SQL");
            checkThrows(() -> conn.exec("SELECT $1", "a\0b"), Status.INVALID_ARGUMENT, null, "NUL in a parameter");
            checkThrows(() -> conn.exec(null), Status.NULL_ARGUMENT, null, "null SQL");
            checkThrows(() -> Connection.open("host='oops"), Status.CONNINFO_SYNTAX, null, "conninfo syntax");
            checkThrows(() -> Connection.open(conninfo + " NO_SUCH_KEY=1"), Status.UNKNOWN_ATTRIBUTE, null,
                    "unknown conninfo key");
            checkThrows(() -> Connection.open("host=127.0.0.1,127.0.0.1 port=1,2 connect_timeout=2 user=x dbname=x"),
                    Status.CONNECT_FAILED, null, "nothing to connect to");

            // Transactions and attributes.
            conn.exec("BEGIN").close();
            check(conn.inTransaction(), "in transaction");
            try (Result upd = conn.exec("UPDATE java_items SET note = 'y' WHERE id = 1")) {
                check(upd.affected() == 1 && upd.server() == Server.PRIMARY, "update in transaction");
            }
            check(conn.query("SELECT note FROM java_items WHERE id = 1").server() == Server.PRIMARY,
                    "read after a write in a transaction on the primary");
            conn.exec("COMMIT").close();
            check(!conn.inTransaction(), "transaction ended");
            conn.setAttr("preferred_access", "write_mostly");
            check(conn.query("SELECT 1").server() == Server.PRIMARY, "WRITE_MOSTLY reads on the primary");
            conn.setAttr("PREFERRED_ACCESS", "READ_MOSTLY");
            check(waitForStandby(conn, "SELECT count(*) FROM java_items"), "READ_MOSTLY again");
            check(conn.query("SET application_name = 'java_test'").server() == Server.BOTH, "SET on both");

            // explain.
            Route lock = conn.explain("SELECT * FROM java_items FOR UPDATE");
            check(lock.eligible() == Server.PRIMARY && lock.server() == Server.PRIMARY, "locking read: primary");
            check(lock.reason().contains("rule 5"), "reason names rule 5: " + lock.reason());
            Route read = conn.explain("SELECT name FROM java_items");
            check(read.eligible() == Server.BOTH && read.server() != Server.NONE && !read.reason().isEmpty(),
                    "plain read: either server");
            check(!conn.inTransaction(), "explain runs nothing");

            // Counters.
            long onStandby = conn.counter(Counter.SECONDARY);
            long onPrimary = conn.counter(Counter.PRIMARY);
            check(onStandby > 0 && onPrimary > 0 && conn.counter(Counter.BOTH) >= 1, "counters count");
            conn.query("SELECT name FROM java_items WHERE id = 3");
            check(conn.counter(Counter.SECONDARY) + conn.counter(Counter.PRIMARY) == onStandby + onPrimary + 1,
                    "one more statement counted");
            check(Pgtc.processCounter(Counter.SECONDARY) >= conn.counter(Counter.SECONDARY), "process counter");
            check(conn.counter(99) == 0, "unknown counter is 0");
            check(Status.name(Status.SQL).equals("PGTC_STATUS_SQL"), "Status.name");

            conn.exec("DROP TABLE java_items").close();
        }
    }

    static void testClose(String conninfo) throws Exception {
        Connection conn = Connection.open(conninfo);
        Result r = conn.exec("SELECT 'survives' AS s");
        conn.close();
        conn.close(); // idempotent
        check(conn.isClosed(), "closed");
        check(conn.connected() == Server.NONE && !conn.inTransaction() && conn.counter(Counter.PRIMARY) == 0,
                "neutral answers when closed");
        checkThrows(() -> conn.exec("SELECT 1"), Status.INVALID_STATE, "08003", "exec after close");
        checkThrows(() -> conn.lsnFloor(), Status.INVALID_STATE, "08003", "lsnFloor after close");
        check("survives".equals(r.getString(0, 0)) && r.columnName(0).equals("s"), "results outlive the connection");
        r.close();

        // Several threads may share a Connection: calls are serialized.
        try (Connection shared = Connection.open(conninfo)) {
            AtomicInteger ok = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int n = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            if (String.valueOf(n * 100 + i).equals(
                                    shared.query("SELECT $1::int", String.valueOf(n * 100 + i)).getString(0, 0))) {
                                ok.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            System.err.println("thread " + n + ": " + e);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            check(ok.get() == 100, "a shared Connection serves 4 threads");
        }
    }

    /**
     * Runs now what the Cleaner runs once {@code owner} (a Connection or a Result) has become
     * unreachable: the clean() of the Cleanable it registered. When the garbage collector gets to
     * it is up to the JVM, so the test does not wait for it.
     */
    static void cleanAsIfCollected(Object owner) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField("cleanable");
        f.setAccessible(true);
        ((Cleaner.Cleanable) f.get(owner)).clean();
    }

    static void testCleaner(String conninfo) throws Exception {
        // The actions registered with the Cleaner hold the native pointer and nothing else: an
        // action that referenced its Connection or Result would keep it reachable for ever.
        for (String action : new String[] {"io.pgtc.Handles$FreeConn", "io.pgtc.Handles$FreeResult"}) {
            Field[] fields = Class.forName(action).getDeclaredFields();
            check(fields.length == 1 && fields[0].getType() == Pointer.class, action + " holds only the pointer");
        }
        try (Connection watcher = Connection.open(conninfo)) {
            String count = "/* pgtc:primary */ SELECT count(*) FROM pg_stat_activity WHERE application_name = 'java_gc_probe'";
            Connection forgotten = Connection.open(conninfo + " application_name=java_gc_probe");
            Result unclosed = forgotten.exec("SELECT 1");
            check("1".equals(watcher.query(count).getString(0, 0)), "the forgotten connection is open");
            cleanAsIfCollected(unclosed);
            cleanAsIfCollected(forgotten);
            // The server notices the closed socket on its own time: poll, up to 10 s.
            String n = watcher.query(count).getString(0, 0);
            for (long end = System.nanoTime() + 10_000_000_000L; !"0".equals(n) && System.nanoTime() < end; ) {
                sleep(20);
                n = watcher.query(count).getString(0, 0);
            }
            check("0".equals(n), "the Cleaner's action closed the forgotten connection");
            // Freed once: close() after the Cleaner ran, and the Cleaner after close(), free
            // nothing twice (no crash).
            forgotten.close();
            unclosed.close();
            Connection closed = Connection.open(conninfo);
            closed.close();
            cleanAsIfCollected(closed);
            check(closed.connected() == Server.NONE, "a closed Connection stays closed after its Cleaner ran");
        }
    }

    static void testReadYourWrites(String delayed) throws Exception {
        try (Connection conn = Connection.open(delayed)) {
            check(conn.connected() == Server.BOTH, "delayed pair connected");
            conn.exec("DROP TABLE IF EXISTS java_ryw").close();
            conn.exec("CREATE TABLE java_ryw (id serial PRIMARY KEY, note text)").close();
            check(waitForStandby(conn, "SELECT count(*) FROM java_ryw"), "standby caught up with the DDL");

            int missed = 0;
            int freshOnPrimary = 0;
            long keptBefore = conn.counter(Counter.FLOOR_KEPT);
            for (int i = 0; i < 5; i++) {
                String note = "java request " + i;
                String id;
                try (Result ins = conn.exec("INSERT INTO java_ryw (note) VALUES ($1) RETURNING id", note)) {
                    check(ins.server() == Server.PRIMARY, "insert on the primary");
                    id = ins.getString(0, 0);
                }
                try (Result back = conn.exec("SELECT note FROM java_ryw WHERE id = $1", id)) {
                    if (back.rows() != 1 || !note.equals(back.getString(0, 0))) {
                        missed++;
                    }
                    freshOnPrimary += back.server() == Server.PRIMARY ? 1 : 0;
                }
            }
            check(missed == 0, "every read saw its own write");
            check(freshOnPrimary == 5, "reads right after a write ran on the primary (standby 300 ms behind)");
            check(conn.counter(Counter.FLOOR_KEPT) >= keptBefore + 5, "FLOOR_KEPT counted them");
            Table later = readOnStandby(conn, "SELECT count(*) FROM java_ryw");
            check(later.server() == Server.SECONDARY && "5".equals(later.getString(0, 0)),
                    "later reads on the standby see every row");

            // LSN floor token handed from a writer to a reader (under
            // CONSISTENCY_SCOPE=SESSION; under PROCESS the reader already
            // routes by the writer's floor, as another process's does not).
            String session = delayed + " CONSISTENCY_SCOPE=SESSION";
            try (Connection writer = Connection.open(session);
                    Connection reader = Connection.open(session)) {
                writer.exec("INSERT INTO java_ryw (note) VALUES ('handed over')").close();
                String token = writer.lsnFloor();
                check(!token.equals("0/0") && token.contains("/"), "writer's token " + token);
                check(reader.lsnFloor().equals("0/0"), "reader starts at 0/0");
                reader.raiseLsnFloor(token);
                check(reader.lsnFloor().equals(token), "reader's floor is the token");
                reader.raiseLsnFloor("0/1");
                check(reader.lsnFloor().equals(token), "never lowered");
                Table seen = reader.query("SELECT count(*) FROM java_ryw WHERE note = 'handed over'");
                check("1".equals(seen.getString(0, 0)), "reader sees the writer's row");
                check(seen.server() == Server.PRIMARY, "from the primary while the standby lags");
                check(waitForStandby(reader, "SELECT count(*) FROM java_ryw WHERE note = 'handed over'"),
                        "then from the standby");
            }
            conn.exec("DROP TABLE java_ryw").close();
        }
    }

    /** Attributes: the list comes from the library; getAttribute reads back what is in force. */
    static void testAttributes(String conninfo) throws Exception {
        List<Attribute> attrs = Pgtc.attributes();
        check(attrs.size() >= 7, "the library lists its attributes");
        check(attrs.stream().anyMatch(a -> a.name().equals("PREFERRED_ACCESS")), "PREFERRED_ACCESS listed");
        check(attrs.stream().allMatch(a -> !a.doc().isEmpty()), "every attribute has a doc line");
        try (Connection conn = Connection.open(conninfo + " consistency_wait_ms=250")) {
            for (Attribute a : attrs) {
                String v = conn.getAttribute(a.name().toLowerCase(java.util.Locale.ROOT));
                String want =
                        a.name().equals("PREFERRED_ACCESS")
                                ? "READ_MOSTLY"
                                : a.name().equals("CONSISTENCY_WAIT_MS") ? "250" : a.defaultValue();
                check(v.equals(want), a.name() + " reads back " + want + " (got " + v + ")");
            }
            conn.setAttr("autocommit", "no");
            check(conn.getAttribute("AUTOCOMMIT").equals("OFF"), "set then get, canonical spelling");
            conn.setAttr("AUTOCOMMIT", "on");
            checkThrows(() -> conn.getAttribute("NO_SUCH_ATTR"), Status.UNKNOWN_ATTRIBUTE, null, "unknown attribute");
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: PgtcTest CONNINFO DELAYED_CONNINFO");
            System.exit(2);
        }
        String conninfo = args[0] + " PREFERRED_ACCESS=READ_MOSTLY";
        String delayed = args[1] + " PREFERRED_ACCESS=READ_MOSTLY";
        String[] names = {
            "open and basics", "close", "cleaner", "read your writes (300 ms delay)", "attributes"
        };
        Body[] tests = {
            () -> testOpenAndBasics(conninfo),
            () -> testClose(conninfo),
            () -> testCleaner(conninfo),
            () -> testReadYourWrites(delayed),
            () -> testAttributes(conninfo),
        };
        runTests("java", names, tests);
    }

    /** Runs each named test, then prints "LABEL: N passed, M failed" and exits (1 on failure). */
    static void runTests(String label, String[] names, Body[] tests) {
        for (int i = 0; i < tests.length; i++) {
            int before = failed;
            try {
                tests[i].run();
            } catch (PgtcException e) {
                failed++;
                System.err.println(names[i] + ": unexpected " + e.getStatusName() + " (SQLSTATE "
                        + e.getSQLState() + "): " + e.getMessage());
            } catch (Exception e) {
                failed++;
                System.err.println(names[i] + ": unexpected exception:");
                e.printStackTrace();
            }
            System.out.printf("%-34s %s%n", names[i], failed == before ? "ok" : "FAILED");
        }
        System.out.println(label + ": " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
