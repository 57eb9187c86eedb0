package io.pgtc.tests;

import static io.pgtc.tests.PgtcTest.check;
import static io.pgtc.tests.PgtcTest.checkThrows;
import static io.pgtc.tests.PgtcTest.cleanAsIfCollected;

import com.sun.jna.Pointer;
import io.pgtc.Connection;
import io.pgtc.PgtcException;
import io.pgtc.Pool;
import io.pgtc.PoolStats;
import io.pgtc.Server;
import io.pgtc.Status;
import io.pgtc.tests.PgtcTest.Body;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests of {@link Pool} against a real primary + hot standby pair.
 *
 * <pre>
 *   java -Djna.library.path=DIR -cp jna.jar:classes io.pgtc.tests.PoolTest CONNINFO
 * </pre>
 *
 * CONNINFO as tools/pgtc-cluster prints it. Prints "java pool: N passed, M failed" and exits 1 on
 * failure. bindings/java/test runs it.
 */
public final class PoolTest {
    private PoolTest() {}

    static void testAcquireRelease(String conninfo) throws Exception {
        try (Pool pool = Pool.open(conninfo + " POOL_MAX=2")) {
            PoolStats s = pool.stats();
            check(s.max() == 2 && s.inUse() == 0, "fresh pool: max 2, nothing lent (" + s + ")");
            String pid;
            try (Connection conn = pool.getConnection()) {
                check(conn.isPooled() && !conn.isClosed(), "a lent connection");
                check(conn.connected() == Server.BOTH, "both servers connected");
                pid = conn.query("SELECT pg_backend_pid()").getString(0, 0);
                check("7".equals(conn.query("SELECT $1::int + 1", "6").getString(0, 0)), "a statement runs");
                check(pool.stats().inUse() == 1, "one lent");
            }
            s = pool.stats();
            check(s.inUse() == 0 && s.idle() == 1 && s.total() == 1, "given back and idle (" + s + ")");
            try (Connection again = pool.getConnection()) {
                check(pid.equals(again.query("SELECT pg_backend_pid()").getString(0, 0)),
                        "the idle connection is lent again (same backend)");
            }
            s = pool.stats();
            check(s.acquired() == 2 && s.created() == 1 && s.timeouts() == 0, "counts (" + s + ")");

            // Given back inside a transaction and with a setting changed: the next borrower
            // gets a clean session.
            try (Connection conn = pool.getConnection()) {
                conn.exec("SET application_name = 'java_pool_dirty'").close();
                conn.exec("BEGIN").close();
                conn.exec("SELECT 1").close();
                check(conn.inTransaction(), "in a transaction when given back");
            }
            try (Connection conn = pool.getConnection()) {
                check(!conn.inTransaction(), "the next borrower is not in that transaction");
                check(!"java_pool_dirty".equals(conn.query("SHOW application_name").getString(0, 0)),
                        "the setting was reset");
            }
        }
        checkThrows(() -> Pool.open(conninfo + " POOL_MAX=0"), Status.INVALID_ATTRIBUTE_VALUE, null,
                "POOL_MAX=0 is refused");
        checkThrows(() -> Pool.open(conninfo + " POOL_MAX=many"), Status.INVALID_ATTRIBUTE_VALUE, null,
                "POOL_MAX=many is refused");
        checkThrows(() -> {
            try (Pool nowhere = Pool.open("host=127.0.0.1 port=1 user=pgtc connect_timeout=2 POOL_MAX=1")) {
                nowhere.getConnection().close();
            }
        }, Status.CONNECT_FAILED, "08001", "no server: CONNECT_FAILED");
    }

    static void testExhaustion(String conninfo) throws Exception {
        try (Pool pool = Pool.open(conninfo + " POOL_MAX=2 POOL_ACQUIRE_TIMEOUT_MS=300")) {
            Connection a = pool.getConnection();
            Connection b = pool.getConnection();
            try {
                pool.getConnection().close();
                check(false, "a third acquire on a pool of 2 succeeded");
            } catch (PgtcException e) {
                check(e.getStatus() == Status.POOL_TIMEOUT, "POOL_TIMEOUT (got " + e.getStatusName() + ")");
                check("53300".equals(e.getSQLState()), "SQLSTATE 53300 (got " + e.getSQLState() + ")");
                check("PGTC_STATUS_POOL_TIMEOUT".equals(e.getStatusName()), "status name");
                check(e.getMessage().contains("2") && e.getMessage().contains("300"),
                        "the message names the pool size and the wait: " + e.getMessage());
            }
            check(pool.stats().timeouts() == 1, "one timeout counted");
            // A connection given back serves the next acquire.
            a.close();
            try (Connection c = pool.getConnection()) {
                check("1".equals(c.query("SELECT 1").getString(0, 0)), "a released connection is lent again");
            }
            // A waiter gets the connection another thread gives back.
            try (Pool slow = Pool.open(conninfo + " POOL_MAX=1 POOL_ACQUIRE_TIMEOUT_MS=20000")) {
                Connection held = slow.getConnection();
                AtomicInteger served = new AtomicInteger();
                Thread waiter = new Thread(() -> {
                    try (Connection c = slow.getConnection()) {
                        if ("1".equals(c.query("SELECT 1").getString(0, 0))) {
                            served.incrementAndGet();
                        }
                    } catch (Exception e) {
                        System.err.println("waiter: " + e);
                    }
                });
                waiter.start();
                long end = System.nanoTime() + 10_000_000_000L;
                while (slow.stats().waiting() == 0 && System.nanoTime() < end) {
                    PgtcTest.sleep(5);
                }
                check(slow.stats().waiting() == 1, "the second acquire waits");
                held.close();
                waiter.join(20_000);
                check(served.get() == 1, "the waiter got the connection given back");
            }
            b.close();
        }
    }

    static void testThreads(String conninfo) throws Exception {
        final int threads = 16;
        final int requests = 25;
        try (Pool pool = Pool.open(conninfo + " POOL_MAX=4 POOL_ACQUIRE_TIMEOUT_MS=30000")) {
            AtomicInteger ok = new AtomicInteger();
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int n = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < requests; i++) {
                        String v = String.valueOf(n * 1000 + i);
                        try (Connection c = pool.getConnection()) {
                            if (v.equals(c.query("SELECT $1::int", v).getString(0, 0))) {
                                ok.incrementAndGet();
                            }
                        } catch (Exception e) {
                            System.err.println("thread " + n + ": " + e);
                        }
                    }
                });
                all.add(th);
                th.start();
            }
            for (Thread th : all) {
                th.join();
            }
            PoolStats s = pool.stats();
            check(ok.get() == threads * requests, threads + " threads × " + requests + " requests (" + ok.get() + " ok)");
            check(s.total() <= 4 && s.created() <= 4, "never more than 4 connections (" + s + ")");
            check(s.acquired() == threads * requests && s.inUse() == 0, "every acquire counted and given back (" + s + ")");
        }
    }

    static void testUseAfterRelease(String conninfo) throws Exception {
        try (Pool pool = Pool.open(conninfo + " POOL_MAX=1")) {
            Connection first = pool.getConnection();
            first.close();
            first.close(); // idempotent
            check(first.isClosed(), "closed once given back");
            checkThrows(() -> first.exec("SELECT 1"), Status.INVALID_STATE, "08003", "exec after give-back");
            try {
                first.exec("SELECT 1");
            } catch (PgtcException e) {
                check(e.getMessage().contains("given back"), "the message says so: " + e.getMessage());
            }
            check(first.connected() == Server.NONE && !first.inTransaction(), "neutral answers after give-back");
            // The same native connection, lent to someone else, is out of the old object's reach.
            try (Connection second = pool.getConnection()) {
                checkThrows(() -> first.query("SELECT 1"), Status.INVALID_STATE, "08003",
                        "the old object cannot reach the next borrower's session");
                checkThrows(() -> first.setAttr("AUTOCOMMIT", "off"), Status.INVALID_STATE, "08003",
                        "setAttr after give-back");
                check("1".equals(second.query("SELECT 1").getString(0, 0)), "the next borrower is unaffected");
                check(second.getAttribute("AUTOCOMMIT").equals("ON"), "and its attributes are its own");
            }
        }

        // Closing the pool while a connection is lent: that connection stays usable, then goes
        // away when given back; the closed pool lends nothing.
        Pool pool = Pool.open(conninfo + " POOL_MAX=1");
        Connection out = pool.getConnection();
        pool.close();
        pool.close(); // idempotent
        check(pool.isClosed(), "pool closed");
        check("1".equals(out.query("SELECT 1").getString(0, 0)), "a lent connection outlives its pool's close");
        out.close();
        checkThrows(() -> out.exec("SELECT 1"), Status.INVALID_STATE, "08003", "and is closed once given back");
        checkThrows(pool::getConnection, Status.INVALID_STATE, "08003", "getConnection after close");
        checkThrows(pool::stats, Status.INVALID_STATE, "08003", "stats after close");
    }

    static void testCleaner(String conninfo) throws Exception {
        Field[] fields = Class.forName("io.pgtc.Handles$FreePool").getDeclaredFields();
        check(fields.length == 1 && fields[0].getType() == Pointer.class, "FreePool holds only the pointer");
        try (Pool pool = Pool.open(conninfo + " POOL_MAX=1 POOL_ACQUIRE_TIMEOUT_MS=5000")) {
            Connection forgotten = pool.getConnection();
            forgotten.query("SELECT 1");
            cleanAsIfCollected(forgotten);
            check(pool.stats().inUse() == 0, "the Cleaner gave the forgotten connection back");
            forgotten.close(); // nothing is given back twice
            try (Connection c = pool.getConnection()) {
                check("1".equals(c.query("SELECT 1").getString(0, 0)), "and it is lent again");
            }
        }
        Pool forgottenPool = Pool.open(conninfo + " POOL_MAX=1");
        forgottenPool.getConnection().close();
        cleanAsIfCollected(forgottenPool);
        forgottenPool.close(); // after the Cleaner ran: frees nothing twice
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: PoolTest CONNINFO");
            System.exit(2);
        }
        String conninfo = args[0] + " PREFERRED_ACCESS=READ_MOSTLY";
        String[] names = {"acquire and release", "exhaustion", "threads", "use after release", "cleaner"};
        Body[] tests = {
            () -> testAcquireRelease(conninfo),
            () -> testExhaustion(conninfo),
            () -> testThreads(conninfo),
            () -> testUseAfterRelease(conninfo),
            () -> testCleaner(conninfo),
        };
        PgtcTest.runTests("java pool", names, tests);
    }
}
