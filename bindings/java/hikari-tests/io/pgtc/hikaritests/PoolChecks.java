package io.pgtc.hikaritests;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HikariCP pooling the driver under test: 16 threads on a pool of 8 (built
 * from a jdbcUrl and from a DataSource class), one thread's write read by
 * another thread through another pooled connection, read-only work reaching
 * the standby, and a killed backend evicted.
 */
final class PoolChecks {
    static final int THREADS = 16;
    static final int POOL_SIZE = 8;
    static final int LOAD_ITERATIONS = 100;
    static final int RYW_PAIRS = 4;
    static final int RYW_ITERATIONS = 100;
    /** The hint pgtc honours (rules 2 to 6 still apply); other drivers send it as a comment. */
    static final String STANDBY = "/* pgtc:standby */ ";
    /** Besides class 08, the SQLSTATEs HikariCP 2.7 marks a connection broken on (ProxyConnection). */
    static final java.util.Set<String> EVICTING = java.util.Set.of("57P01", "57P02", "57P03", "0A000", "01002");

    private final Checks checks;
    private final String driverClass;
    private final String dataSourceClass;
    private final String controlStandbyUrl;

    /**
     * controlStandbyUrl, when not null, names the standby alone: the control
     * check reads through it what was written through the primary, with no
     * LSN floor, and must see stale reads, which shows that the
     * read-your-writes check can fail.
     */
    PoolChecks(Checks checks, String driverClass, String dataSourceClass, String controlStandbyUrl) {
        this.checks = checks;
        this.driverClass = driverClass;
        this.dataSourceClass = dataSourceClass;
        this.controlStandbyUrl = controlStandbyUrl;
    }

    private HikariConfig base(String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(30_000);
        config.setUsername(checks.user);
        config.setPassword(checks.password);
        return config;
    }

    HikariDataSource byUrl(String poolName) {
        return byUrl(poolName, checks.url);
    }

    HikariDataSource byUrl(String poolName, String url) {
        HikariConfig config = base(poolName);
        config.setJdbcUrl(url);
        config.setDriverClassName(driverClass);
        return new HikariDataSource(config);
    }

    HikariDataSource byDataSource(String poolName) {
        HikariConfig config = base(poolName);
        config.setDataSourceClassName(dataSourceClass);
        config.addDataSourceProperty("url", checks.url);
        config.addDataSourceProperty("user", checks.user);
        config.addDataSourceProperty("password", checks.password);
        return new HikariDataSource(config);
    }

    /**
     * Runs while the process has no other connection open: each write on a
     * connection closed right after it, each read on a new one (under the
     * standby hint). The process-wide floor must outlive the connections
     * that raised it: 0 stale reads, a missing table counting as one.
     */
    void afterEveryClose() {
        checks.run("floor.newConnectionAfterEveryClose", () -> {
            checks.exec("DROP TABLE IF EXISTS jt_floor");
            checks.exec("CREATE TABLE jt_floor (id int)");
            int stale = 0;
            int onStandby = 0;
            int n = 20;
            for (int i = 0; i < n; i++) {
                checks.exec("INSERT INTO jt_floor VALUES (" + i + ")");
                try (Connection c = checks.plain();
                        PreparedStatement p = c.prepareStatement(STANDBY
                                + "SELECT pg_is_in_recovery(), (SELECT count(*) FROM jt_floor WHERE id = ?)")) {
                    p.setInt(1, i);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        onStandby += r.getBoolean(1) ? 1 : 0;
                        stale += r.getLong(2) == 1 ? 0 : 1;
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) {
                        throw e;
                    }
                    stale++;
                }
            }
            checks.exec("DROP TABLE jt_floor");
            String observed = stale + " stale of " + n + " reads on new connections (" + onStandby + " on the standby)";
            Checks.expect(stale == 0, observed);
            return observed;
        });
    }

    void runAll() throws SQLException {
        checks.exec("DROP TABLE IF EXISTS jt_load, jt_ryw");
        checks.exec("CREATE TABLE jt_load (id bigserial PRIMARY KEY, thread int, n int)");
        checks.exec("CREATE TABLE jt_ryw (id bigint PRIMARY KEY, v text)");
        checks.run("hikari.jdbcUrl.16threads", () -> {
            try (HikariDataSource ds = byUrl("jt-url")) {
                return load(ds);
            }
        });
        checks.run("hikari.dataSourceClassName.16threads", () -> {
            if (dataSourceClass == null) {
                throw new Checks.Skip("the driver has no DataSource class");
            }
            try (HikariDataSource ds = byDataSource("jt-ds")) {
                return load(ds);
            }
        });
        checks.run("hikari.readYourWrites.crossThread", () -> {
            try (HikariDataSource ds = byUrl("jt-ryw")) {
                String observed = readYourWrites(ds, ds, 0);
                Checks.expect(observed.startsWith("0 stale"), observed);
                return observed;
            }
        });
        checks.run("hikari.readYourWrites.control", () -> {
            if (controlStandbyUrl == null) {
                throw new Checks.Skip("no standby URL to read through without a floor");
            }
            try (HikariDataSource writer = byUrl("jt-ctl-w"); HikariDataSource reader = byUrl("jt-ctl-r", controlStandbyUrl)) {
                String observed = readYourWrites(writer, reader, 100_000_000L);
                Checks.expect(!observed.startsWith("0 stale"), "reading the lagging standby directly found no stale read: " + observed);
                return observed + ": the check sees staleness";
            }
        });
        checks.run("hikari.readOnly.standby", () -> {
            try (HikariDataSource ds = byUrl("jt-ro")) {
                return readOnlyReachesStandby(ds, true);
            }
        });
        checks.run("hikari.autocommitRead.standby", () -> {
            try (HikariDataSource ds = byUrl("jt-ac")) {
                return readOnlyReachesStandby(ds, false);
            }
        });
        checks.run("hikari.queryTimeout.keepsConnection", this::queryTimeoutKeeps);
        checks.run("hikari.killedBackend.evicted", () -> {
            try (HikariDataSource ds = byUrl("jt-kill")) {
                return killedBackend(ds);
            }
        });
    }

    /**
     * 16 threads, each borrowing and returning a connection LOAD_ITERATIONS
     * times: even iterations write in a transaction, odd ones read. Every
     * call must succeed and the pool must never hold more than 8.
     */
    private String load(HikariDataSource ds) throws Exception {
        AtomicLong maxTotal = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                futures.add(pool.submit(() -> {
                    int written = 0;
                    for (int i = 0; i < LOAD_ITERATIONS; i++) {
                        try (Connection c = ds.getConnection()) {
                            maxTotal.accumulateAndGet(ds.getHikariPoolMXBean().getTotalConnections(), Math::max);
                            if (i % 2 == 0) {
                                c.setAutoCommit(false);
                                try (PreparedStatement p = c.prepareStatement("INSERT INTO jt_load (thread, n) VALUES (?, ?)")) {
                                    p.setInt(1, thread);
                                    p.setInt(2, i);
                                    p.executeUpdate();
                                }
                                c.commit();
                                written++;
                            } else {
                                try (Statement s = c.createStatement();
                                        ResultSet r = s.executeQuery("SELECT sum(x) FROM generate_series(1, 100) x")) {
                                    Checks.expect(r.next() && r.getLong(1) == 5050, "sum(1..100) was not 5050");
                                }
                            }
                        }
                    }
                    return written;
                }));
            }
            long written = 0;
            for (Future<Integer> f : futures) {
                written += f.get(300, TimeUnit.SECONDS);
            }
            Checks.expect(maxTotal.get() <= POOL_SIZE, "the pool held " + maxTotal.get() + " connections, more than " + POOL_SIZE);
            long rows;
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM jt_load")) {
                r.next();
                rows = r.getLong(1);
            }
            checks.exec("DELETE FROM jt_load");
            Checks.expect(rows == written, rows + " rows after " + written + " committed inserts");
            return THREADS + " threads x " + LOAD_ITERATIONS + " borrows, " + written + " commits, at most " + maxTotal.get() + " connections";
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * RYW_PAIRS writer/reader thread pairs: the writer inserts a row through
     * its pooled connection (autocommit) and, still holding it, hands the id
     * to its reader, which borrows another connection and reads the row
     * (read-only on odd iterations, a plain autocommit read on even ones),
     * also asking where it ran. A missing row is a stale read; the caller
     * decides how many there may be (none, but for the control).
     */
    private String readYourWrites(HikariDataSource ds, HikariDataSource readers, long idBase) throws Exception {
        AtomicLong stale = new AtomicLong();
        AtomicLong onStandby = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2 * RYW_PAIRS);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int pair = 0; pair < RYW_PAIRS; pair++) {
                final int pairId = pair;
                SynchronousQueue<Long> toReader = new SynchronousQueue<>();
                SynchronousQueue<Boolean> toWriter = new SynchronousQueue<>();
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < RYW_ITERATIONS; i++) {
                        long id = idBase + (long) pairId * 1_000_000L + i;
                        try (Connection c = ds.getConnection();
                                PreparedStatement p = c.prepareStatement("INSERT INTO jt_ryw (id, v) VALUES (?, ?)")) {
                            p.setLong(1, id);
                            p.setString(2, "v" + id);
                            p.executeUpdate();
                            toReader.put(id);
                            Checks.expect(Boolean.TRUE.equals(toWriter.poll(60, TimeUnit.SECONDS)), "the reader did not answer");
                        }
                    }
                    toReader.put(-1L);
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    for (int i = 0;; i++) {
                        Long id = toReader.poll(60, TimeUnit.SECONDS);
                        Checks.expect(id != null, "the writer did not send");
                        if (id < 0) {
                            return null;
                        }
                        try (Connection c = readers.getConnection()) {
                            if (i % 2 == 1) {
                                c.setReadOnly(true);
                            }
                            try (PreparedStatement p = c.prepareStatement(STANDBY
                                    + "SELECT pg_is_in_recovery(), (SELECT v FROM jt_ryw WHERE id = ?)")) {
                                p.setLong(1, id);
                                try (ResultSet r = p.executeQuery()) {
                                    Checks.expect(r.next(), "the read returned no row");
                                    reads.incrementAndGet();
                                    if (r.getBoolean(1)) {
                                        onStandby.incrementAndGet();
                                    }
                                    if (!("v" + id).equals(r.getString(2))) {
                                        stale.incrementAndGet();
                                    }
                                }
                            }
                        }
                        toWriter.put(Boolean.TRUE);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        String observed = stale.get() + " stale of " + reads.get() + " reads (" + onStandby.get() + " on the standby)";
        Checks.expect(reads.get() == (long) RYW_PAIRS * RYW_ITERATIONS, "only " + reads.get() + " reads ran");
        return observed;
    }

    /**
     * After a write, a read-only unit (setReadOnly(true), or an autocommit
     * read at READ COMMITTED) asks pg_is_in_recovery() under the standby
     * hint: on a pair it must reach the standby once the standby has
     * replayed the write (polled with a deadline), and it must see the write
     * every time it runs.
     */
    private String readOnlyReachesStandby(HikariDataSource ds, boolean readOnly) throws Exception {
        long id = readOnly ? 9_000_001L : 9_000_002L;
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO jt_ryw (id, v) VALUES (?, 'ro')")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
        long[] tries = {0};
        boolean[] seen = {false};
        boolean reached = Checks.poll(15_000, () -> {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(readOnly);
                if (!readOnly) {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                try (PreparedStatement p = c.prepareStatement(STANDBY + "SELECT pg_is_in_recovery(), count(*) FROM jt_ryw WHERE id = ?")) {
                    p.setLong(1, id);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        tries[0]++;
                        Checks.expect(r.getLong(2) == 1, "a read-only read did not see the row written before it (stale)");
                        seen[0] = r.getBoolean(1);
                        return seen[0] || !checks.pair;
                    }
                }
            }
        });
        String observed = "pg_is_in_recovery() = " + seen[0] + " after " + tries[0] + " read(s), never stale";
        if (!checks.pair) {
            Checks.expect(!seen[0], "a connection to the primary alone answered from a standby");
            throw new Checks.Skip("connected to the primary alone: " + observed);
        }
        Checks.expect(reached, "never reached the standby within 15 s: " + observed);
        return observed;
    }

    /**
     * A pooled connection's backend is terminated from a separate plain
     * connection. Using it must fail with a SQLSTATE HikariCP evicts on
     * (class 08, or EVICTING: 57P01 is the admin shutdown), or succeed on a
     * new backend when the driver reconnected; and afterwards the pool must hand
     * out POOL_SIZE working connections at once, none of them the dead one.
     */
    private String killedBackend(HikariDataSource ds) throws Exception {
        int pid;
        String error;
        try (Connection c = ds.getConnection()) {
            pid = backendPid(c);
            try (Connection killer = checks.plain(); PreparedStatement p = killer.prepareStatement("SELECT pg_terminate_backend(?)")) {
                p.setInt(1, pid);
                try (ResultSet r = p.executeQuery()) {
                    Checks.expect(r.next() && r.getBoolean(1), "pg_terminate_backend(" + pid + ") returned false");
                }
                boolean gone = Checks.poll(10_000, () -> {
                    try (PreparedStatement q = killer.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
                        q.setInt(1, pid);
                        try (ResultSet r = q.executeQuery()) {
                            r.next();
                            return r.getLong(1) == 0;
                        }
                    }
                });
                Checks.expect(gone, "backend " + pid + " still runs 10 s after pg_terminate_backend");
            }
            try {
                int again = backendPid(c);
                Checks.expect(again != pid, "the killed backend " + pid + " still answered");
                error = "no error: the driver reconnected (backend " + again + ")";
            } catch (SQLException e) {
                String state = e.getSQLState();
                Checks.expect(state != null && (state.startsWith("08") || EVICTING.contains(state)),
                        "HikariCP does not evict on " + Checks.kind(e) + ": " + e.getMessage());
                error = Checks.kind(e);
            }
        }
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection c = ds.getConnection();
                held.add(c);
                int other = backendPid(c);
                Checks.expect(other != pid, "the pool handed out the killed backend " + pid + " again");
            }
            Checks.expect(ds.getHikariPoolMXBean().getTotalConnections() <= POOL_SIZE, "more than " + POOL_SIZE + " connections");
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        return error + "; then " + POOL_SIZE + " connections at once, all working";
    }

    /**
     * Whether HikariCP 3.3.1 to 6.0 (ProxyConnection.checkException) would evict the connection
     * on this exception: besides what 2.7 checks, any SQLTimeoutException in the chain.
     */
    static boolean newerHikariEvicts(SQLException e) {
        SQLException x = e;
        for (int depth = 0; x != null && depth < 10; depth++) {
            String state = x.getSQLState();
            if (state != null && state.startsWith("08") || x instanceof java.sql.SQLTimeoutException || EVICTING.contains(state)
                    || java.util.Set.of(500150, 2399, 1105).contains(x.getErrorCode())) {
                return true;
            }
            x = x.getNextException();
        }
        return false;
    }

    /**
     * A statement past its query timeout (57014) leaves the connection healthy, so the pool
     * (of one) must keep it: the same driver connection is handed out next and works. HikariCP
     * 2.7 evicts on SQLSTATEs only; the exception must also be one that HikariCP 3.3.1 and later,
     * which evict on any SQLTimeoutException, would keep.
     */
    private String queryTimeoutKeeps() throws Exception {
        HikariConfig config = base("jt-timeout");
        config.setMaximumPoolSize(1);
        config.setJdbcUrl(checks.url);
        config.setDriverClassName(driverClass);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Connection first;
            String kind;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                first = c.unwrap(Connection.class);
                s.setQueryTimeout(1);
                try {
                    s.executeQuery("SELECT pg_sleep(30)").close();
                    throw new Checks.Failure("pg_sleep(30) with a 1 s timeout ended without an exception");
                } catch (SQLException e) {
                    kind = Checks.kind(e);
                    Checks.expect("57014".equals(e.getSQLState()), "the timeout gave " + kind);
                    Checks.expect(!newerHikariEvicts(e), "HikariCP 3.3.1 and later would evict the connection on " + kind);
                }
            }
            try (Connection c = ds.getConnection()) {
                Checks.expect(c.unwrap(Connection.class) == first, "the pool replaced the connection after the timeout (" + kind + ")");
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
                    Checks.expect(r.next() && r.getInt(1) == 1, "the kept connection does not work");
                }
            }
            Checks.expect(ds.getHikariPoolMXBean().getTotalConnections() == 1, ds.getHikariPoolMXBean().getTotalConnections() + " connections in a pool of 1");
            return kind + "; the same pooled connection works afterwards";
        }
    }

    static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }
}
