/*
 * WebRequest.java — one "web request" through pgtc's Java binding: it writes a row and reads it
 * straight back, then serves a burst of reads, printing where each statement ran and when (ms
 * after the write). pgtc keeps reads on the primary until the standby has replayed the write, so
 * the request always sees its row; the later reads of the burst (10 ms apart) move to the standby
 * once it has caught up.
 *
 * Build (from the repository root, after `cargo build --release`; JNA from Debian's libjna-java):
 *   javac -cp /usr/share/java/jna.jar -d build $(find bindings/java/src -name '*.java') examples/java/WebRequest.java
 * Run:
 *   java -Djna.library.path=target/release -cp /usr/share/java/jna.jar:build WebRequest "host=… port=… user=… dbname=…"
 *   (or set PGTC_CONNINFO; e.g. the output of tools/pgtc-cluster create)
 *
 * It creates the table pgtc_web_request if missing and leaves it (each run adds one row). Exit
 * status 0 when the read-back saw the write, 1 when it did not, 2 on errors.
 */

import io.pgtc.Connection;
import io.pgtc.Counter;
import io.pgtc.Pgtc;
import io.pgtc.PgtcException;
import io.pgtc.Result;
import io.pgtc.Server;

public final class WebRequest {
    private WebRequest() {}

    private static String where(Server s) {
        switch (s) {
            case PRIMARY:
                return "primary";
            case SECONDARY:
                return "standby";
            case BOTH:
                return "both";
            default:
                return "none";
        }
    }

    private static void show(String what, Result r, long since) {
        System.out.printf("  %7.1f ms  %-44s -> %-7s (%s)%n",
                (System.nanoTime() - since) / 1e6, what, where(r.server()), r.command());
    }

    public static void main(String[] args) throws InterruptedException {
        String conninfo = args.length > 0 ? args[0] : System.getenv("PGTC_CONNINFO");
        if (conninfo == null) {
            System.err.println("usage: WebRequest CONNINFO  (or set PGTC_CONNINFO)");
            System.exit(2);
        }
        int code;
        try (Connection conn = Connection.open(conninfo)) {
            // Works for both conninfo forms; the same as PREFERRED_ACCESS=READ_MOSTLY in it.
            conn.setAttr("PREFERRED_ACCESS", "READ_MOSTLY");
            System.out.println("pgtc " + Pgtc.version() + "; servers open: " + where(conn.connected()));

            System.out.println("setup:");
            try (Result r = conn.exec("CREATE TABLE IF NOT EXISTS pgtc_web_request ("
                    + "id bigserial PRIMARY KEY, visitor text NOT NULL, at timestamptz DEFAULT now())")) {
                show("CREATE TABLE IF NOT EXISTS pgtc_web_request", r, System.nanoTime());
            }

            System.out.println("request:");
            long start = System.nanoTime();
            String visitor = "java-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid();
            String id;
            try (Result ins = conn.exec("INSERT INTO pgtc_web_request (visitor) VALUES ($1) RETURNING id", visitor)) {
                show("INSERT ... RETURNING id", ins, start);
                id = ins.getString(0, 0);
            }
            boolean seen;
            try (Result back = conn.exec("SELECT visitor FROM pgtc_web_request WHERE id = $1", id)) {
                show("SELECT the row just written", back, start);
                seen = back.rows() == 1 && visitor.equals(back.getString(0, 0));
            }

            int onStandby = 0;
            final int burst = 10;
            for (int i = 0; i < burst; i++) {
                if (i > 0) {
                    Thread.sleep(10);
                }
                try (Result r = conn.exec("SELECT count(*), max(at) FROM pgtc_web_request WHERE id <= $1", id)) {
                    onStandby += r.server() == Server.SECONDARY ? 1 : 0;
                    show("burst read " + (i + 1), r, start);
                }
            }
            System.out.printf("request took %d ms; row %s %s; burst reads on the standby: %d of %d%n",
                    (System.nanoTime() - start) / 1_000_000, id, seen ? "read back" : "MISSED by the read-back",
                    onStandby, burst);
            System.out.printf("session counters: primary %d, standby %d, kept on primary by the LSN floor %d%n",
                    conn.counter(Counter.PRIMARY), conn.counter(Counter.SECONDARY), conn.counter(Counter.FLOOR_KEPT));
            code = seen ? 0 : 1;
        } catch (PgtcException e) {
            System.err.printf("pgtc error: %s [%s] (SQLSTATE %s)%n", e.getMessage(), e.getStatusName(),
                    e.getSQLState() == null ? "none" : e.getSQLState());
            code = 2;
        }
        System.exit(code); // after the Connection is closed
    }
}
