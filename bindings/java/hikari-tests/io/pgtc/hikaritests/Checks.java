package io.pgtc.hikaritests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What every check shares: how to open a plain (unpooled) connection through
 * the driver under test, and how a check reports. Each check prints one line
 * on standard output, {@code CHECK<TAB>name<TAB>PASS|FAIL|SKIP<TAB>observed},
 * which bindings/java/hikari-test gathers into one table per driver. The
 * system property hikaritests.only (a regular expression) runs only the
 * checks whose names match. The
 * observed text is what the driver did (an exception class, a SQLSTATE, a
 * count), so that two drivers' lines can be compared side by side.
 */
final class Checks {
    /** The driver under test: a label, its URL, its credentials. */
    final String label;
    final String url;
    final String user;
    final String password;
    /** true when the URL names the primary and a standby (pgtc in READ_MOSTLY). */
    final boolean pair;
    private final List<String> failed = new ArrayList<>();

    Checks(String label, String url, String user, String password, boolean pair) {
        this.label = label;
        this.url = url;
        this.user = user;
        this.password = password;
        this.pair = pair;
    }

    /** A new connection through DriverManager, outside any pool. */
    Connection plain() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        Connection c = DriverManager.getConnection(url, p);
        if (c == null) {
            throw new SQLException("no registered driver accepts " + url, "08001");
        }
        return c;
    }

    /** A check's body: returns what it observed, throws Failure when wrong. */
    interface Body {
        String run() throws Exception;
    }

    /** A check that found the driver wrong. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** A check that does not apply to this driver, with its reason. */
    static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip(String reason) {
            super(reason);
        }
    }

    static void expect(boolean condition, String message) throws Failure {
        if (!condition) {
            throw new Failure(message);
        }
    }

    /** Runs one check and prints its line. */
    void run(String name, Body body) {
        String only = System.getProperty("hikaritests.only");
        if (only != null && !name.matches(only)) {
            return;
        }
        String status;
        String observed;
        try {
            observed = body.run();
            status = "PASS";
        } catch (Skip s) {
            status = "SKIP";
            observed = s.getMessage();
        } catch (Failure f) {
            status = "FAIL";
            observed = f.getMessage();
        } catch (Exception | AssertionError e) {
            status = "FAIL";
            observed = describe(e);
        }
        if (status.equals("FAIL")) {
            failed.add(name);
        }
        System.out.println("CHECK\t" + name + "\t" + status + "\t" + oneLine(observed));
        System.out.flush();
    }

    List<String> failed() {
        return failed;
    }

    /** An exception as "SimpleClass SQLSTATE: message", for the tables. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (e instanceof SQLException) {
            b.append(' ').append(((SQLException) e).getSQLState());
        }
        if (e.getMessage() != null) {
            b.append(": ").append(e.getMessage());
        }
        return b.toString();
    }

    /** An exception as "SimpleClass SQLSTATE", without its message. */
    static String kind(SQLException e) {
        return e.getClass().getSimpleName() + " " + e.getSQLState();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace('|', '/');
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }

    /** Runs sql on a plain connection (DDL before a check). */
    void exec(String sql) throws SQLException {
        try (Connection c = plain(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Polls condition every 20 ms until it holds or deadlineMs pass. */
    static boolean poll(long deadlineMs, Condition condition) throws Exception {
        long end = System.nanoTime() + deadlineMs * 1_000_000L;
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }
}
