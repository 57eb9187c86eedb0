package io.pgtc.hikaritests;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The HikariCP suite and the behavioural comparison, written against
 * java.sql and javax.sql only so that the same program runs with any
 * PostgreSQL driver. Usage:
 *
 * <pre>
 * HikariSuite LABEL DRIVER_CLASS DATASOURCE_CLASS|- URL USER PASSWORD pair|primary [STANDBY_URL]
 * </pre>
 *
 * "pair" when URL names a primary and a lagging standby (read-only work
 * must reach the standby), "primary" when it names the primary alone.
 * STANDBY_URL, the standby alone through the same driver, runs the control
 * that shows the read-your-writes check detects stale reads. Prints
 * one CHECK line per check (see Checks) and exits 1 when any check failed.
 */
public final class HikariSuite {
    private HikariSuite() {}

    public static void main(String[] args) throws SQLException, ClassNotFoundException {
        if (args.length < 7 || args.length > 8 || !(args[6].equals("pair") || args[6].equals("primary"))) {
            System.err.println("usage: HikariSuite LABEL DRIVER_CLASS DATASOURCE_CLASS|- URL USER PASSWORD pair|primary [STANDBY_URL]");
            System.exit(2);
        }
        Class.forName(args[1]);
        String dataSource = args[2].equals("-") ? null : args[2];
        Checks checks = new Checks(args[0], args[3], args[4], args[5], args[6].equals("pair"));
        PoolChecks pool = new PoolChecks(checks, args[1], dataSource, args.length == 8 ? args[7] : null);
        pool.afterEveryClose();
        // From here on one connection stays open, so that the floor's
        // lifetime, checked just above, is not checked again by every other
        // check that writes on one connection and reads on the next.
        try (Connection anchor = checks.plain()) {
            pool.runAll();
            new BehaviourChecks(checks).runAll();
            new MetaDataChecks(checks).runAll();
            checks.exec("DROP TABLE IF EXISTS jt_load, jt_ryw, jt_tx, jt_types, jt_keys, jt_meta");
            anchor.isValid(5);
        }
        if (!checks.failed().isEmpty()) {
            System.err.println(checks.label + ": failed " + checks.failed());
            System.exit(1);
        }
    }
}
