import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * B10, the JDBC half: the same java.sql code through two drivers, both
 * connected to the primary alone, each with its defaults. Run by
 * {@code tools/bench b10}. Usage:
 *
 * <pre>
 * JdbcBench USER PASSWORD LABEL=URL [LABEL=URL]
 * </pre>
 *
 * The first driver is the one measured against the last (the ratio is
 * first / last; above 1.0 means the first is faster). Workloads:
 * <ul>
 *   <li>SELECT 1: a loop of executeQuery on one PreparedStatement, reading the value;</li>
 *   <li>fetch 100k mixed: 100,000 rows of int, text, numeric, timestamp, boolean and
 *       double, each column read with its typed getter;</li>
 *   <li>batch insert 10k: 10,000 rows of (int, text, double) through addBatch and one
 *       executeBatch in a transaction.</li>
 * </ul>
 * Each figure is the median of ROUNDS rounds, the drivers taking turns
 * within a round; the same rounds give the CPU each operation cost the
 * benchmark thread (ThreadMXBean: the driver's Java, JNA and libpgtc, and
 * their system calls) and the server backend (/proc/PID/schedstat, when
 * the server is local), which says where a difference in rate comes from
 * without a profiler, on a machine whose speed varies. Afterwards, untimed, each workload runs once more per
 * driver while a sampler thread reads the running thread's stack every
 * millisecond (until 400 samples or 20 runs): the share of samples inside native code reached through JNA
 * (libpgtc's own work and its waits on the server, and JNA's own native
 * helpers), in JNA's Java side, in
 * the driver's Java code, in socket I/O and elsewhere, and the C functions
 * the native samples were in. That says where the time goes without a
 * profiler.
 */
public final class JdbcBench {
    static final int ROUNDS = 7;
    static final int SELECT1_N = 5000;
    static final int FETCH_ROWS = 100_000;
    static final int BATCH_ROWS = 10_000;
    static final String MIXED_SQL = "SELECT g, 'row ' || g, (g * 1.25)::numeric(12,2),"
            + " timestamp '2024-01-01' + g * interval '1 second', g % 2 = 0, g * 0.5::float8"
            + " FROM generate_series(1, " + FETCH_ROWS + ") g";

    private JdbcBench() {}

    interface Workload {
        /** One operation; returns a checksum so that nothing is optimised away. */
        long run(Connection c) throws SQLException;
    }

    static final String[] NAMES = {"SELECT 1", "fetch 100k mixed", "batch insert 10k"};
    static final String[] UNITS = {"statements/s", "fetches/s", "batches/s"};
    static final int[] OPS = {SELECT1_N, 1, 1};

    static long select1(Connection c) throws SQLException {
        long sum = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT 1")) {
            for (int i = 0; i < SELECT1_N; i++) {
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    sum += r.getInt(1);
                }
            }
        }
        if (sum != SELECT1_N) {
            throw new SQLException("SELECT 1 summed to " + sum);
        }
        return sum;
    }

    static long fetch(Connection c) throws SQLException {
        long rows = 0;
        long check = 0;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(MIXED_SQL)) {
            while (r.next()) {
                check += r.getInt(1);
                check += r.getString(2).length();
                check += r.getBigDecimal(3).scale();
                check += r.getTimestamp(4).getNanos();
                check += r.getBoolean(5) ? 1 : 0;
                check += (long) r.getDouble(6);
                rows++;
            }
        }
        if (rows != FETCH_ROWS) {
            throw new SQLException("fetched " + rows + " rows, not " + FETCH_ROWS);
        }
        return check;
    }

    static long batch(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE b10_jdbc");
        }
        c.setAutoCommit(false);
        long n = 0;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO b10_jdbc (id, name, v) VALUES (?, ?, ?)")) {
            for (int i = 0; i < BATCH_ROWS; i++) {
                p.setInt(1, i);
                p.setString(2, "name " + i);
                p.setDouble(3, i * 0.25);
                p.addBatch();
            }
            for (int k : p.executeBatch()) {
                n += k == Statement.SUCCESS_NO_INFO ? 1 : k;
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        if (n != BATCH_ROWS) {
            throw new SQLException("the batch inserted " + n + " rows, not " + BATCH_ROWS);
        }
        return n;
    }

    static final Workload[] WORKLOADS = {JdbcBench::select1, JdbcBench::fetch, JdbcBench::batch};

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JdbcBench USER PASSWORD LABEL=URL [LABEL=URL]");
            System.exit(2);
        }
        List<String> labels = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        List<Integer> backends = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            labels.add(args[i].substring(0, eq));
            Connection c = DriverManager.getConnection(args[i].substring(eq + 1), args[0], args[1]);
            if (c == null) {
                throw new SQLException("no driver accepts " + args[i].substring(eq + 1));
            }
            conns.add(c);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                backends.add(r.getInt(1));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Statement s = conns.get(0).createStatement()) {
            s.execute("DROP TABLE IF EXISTS b10_jdbc");
            s.execute("CREATE TABLE b10_jdbc (id int, name text, v double precision)");
        }
        int d = conns.size();
        // Warm-up: the JIT, both drivers' caches, the server's.
        for (int w = 0; w < WORKLOADS.length; w++) {
            for (Connection c : conns) {
                WORKLOADS[w].run(c);
            }
        }
        double[][][] rates = new double[WORKLOADS.length][d][ROUNDS];
        double[][][] clientCpu = new double[WORKLOADS.length][d][ROUNDS];
        double[][][] serverCpu = new double[WORKLOADS.length][d][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int w = 0; w < WORKLOADS.length; w++) {
                for (int k = 0; k < d; k++) {
                    // Alternate who goes first, so neither always follows the other.
                    int j = (round % 2 == 0) ? k : d - 1 - k;
                    long s0 = serverNs(backends.get(j));
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    WORKLOADS[w].run(conns.get(j));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long c1 = threads.getCurrentThreadCpuTime();
                    long s1 = serverNs(backends.get(j));
                    rates[w][j][round] = OPS[w] / seconds;
                    clientCpu[w][j][round] = (c1 - c0) / 1e3 / OPS[w];
                    serverCpu[w][j][round] = s0 < 0 || s1 < 0 ? -1 : (s1 - s0) / 1e3 / OPS[w];
                }
            }
        }
        StringBuilder head = new StringBuilder("| workload | unit |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String l : labels) {
            head.append(' ').append(l).append(" |");
            rule.append("---:|");
        }
        if (d > 1) {
            head.append(' ').append(labels.get(0)).append(" / ").append(labels.get(d - 1)).append(" |");
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (int w = 0; w < WORKLOADS.length; w++) {
            StringBuilder row = new StringBuilder("| " + NAMES[w] + " | " + UNITS[w] + " |");
            double[] med = new double[d];
            for (int j = 0; j < d; j++) {
                med[j] = median(rates[w][j]);
                row.append(String.format(Locale.ROOT, " %.1f |", med[j]));
            }
            if (d > 1) {
                row.append(String.format(Locale.ROOT, " %.2f |", med[0] / med[d - 1]));
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.println("CPU per operation in the same rounds (medians, µs): the benchmark thread's (where both drivers do\ntheir work: Java, JNA and libpgtc, system calls included) and the server backend's (/proc/PID/schedstat;\n- when unreadable):");
        System.out.println();
        System.out.println("| driver | workload | wall | client CPU | server CPU |");
        System.out.println("|---|---|---:|---:|---:|");
        for (int j = 0; j < d; j++) {
            for (int w = 0; w < WORKLOADS.length; w++) {
                double server = median(serverCpu[w][j]);
                System.out.println(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s |", labels.get(j), NAMES[w],
                        1e6 / median(rates[w][j]), median(clientCpu[w][j]), server < 0 ? "-" : String.format(Locale.ROOT, "%.1f", server)));
            }
        }
        System.out.println();
        System.out.println("Where the time goes (stack samples every 1 ms of untimed extra runs; % of samples;\nnative and socket time include waiting for the server):");
        System.out.println();
        System.out.println("| driver | workload | samples | native via JNA | JNA Java side | driver Java | socket I/O | other | top native functions |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
        for (int j = 0; j < d; j++) {
            for (int w = 0; w < WORKLOADS.length; w++) {
                System.out.println(breakdown(labels.get(j), NAMES[w], WORKLOADS[w], conns.get(j)));
            }
        }
        try (Statement s = conns.get(0).createStatement()) {
            s.execute("DROP TABLE b10_jdbc");
        }
        for (Connection c : conns) {
            c.close();
        }
    }

    /** CPU time the server process {@code pid} has run, in ns; -1 when it cannot be read (not local). */
    static long serverNs(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/schedstat"));
            return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static final String[] CATEGORIES = {"native via JNA", "JNA Java side", "driver Java", "socket I/O", "other"};

    /** Runs the workload on this thread while a sampler classifies its stack. */
    static String breakdown(String label, String name, Workload workload, Connection c) throws Exception {
        Thread target = Thread.currentThread();
        AtomicBoolean stop = new AtomicBoolean();
        long[] counts = new long[CATEGORIES.length];
        Map<String, Long> natives = new HashMap<>();
        Thread sampler = new Thread(() -> {
            while (!stop.get()) {
                StackTraceElement[] stack = target.getStackTrace();
                if (stack.length > 0 && !stop.get()) {
                    int category = classify(stack, natives);
                    synchronized (counts) {
                        counts[category]++;
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "b10-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            // Enough runs for a few hundred samples.
            for (int run = 0; run < 20; run++) {
                workload.run(c);
                synchronized (counts) {
                    if (Arrays.stream(counts).sum() >= 400) {
                        break;
                    }
                }
            }
        } finally {
            stop.set(true);
            sampler.join();
        }
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        StringBuilder row = new StringBuilder("| " + label + " | " + name + " | " + total + " |");
        for (long n : counts) {
            row.append(String.format(Locale.ROOT, " %.0f%% |", total == 0 ? 0.0 : 100.0 * n / total));
        }
        List<Map.Entry<String, Long>> top = new ArrayList<>(natives.entrySet());
        top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder fns = new StringBuilder();
        for (int i = 0; i < Math.min(4, top.size()); i++) {
            if (i > 0) {
                fns.append(", ");
            }
            fns.append(top.get(i).getKey()).append(String.format(Locale.ROOT, " %.0f%%", 100.0 * top.get(i).getValue() / Math.max(1, total)));
        }
        row.append(' ').append(fns.length() == 0 ? "-" : fns.toString()).append(" |");
        return row.toString();
    }

    private static boolean isJdk(String cls) {
        return cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("sun.") || cls.startsWith("jdk.")
                || cls.startsWith("com.sun.proxy.");
    }

    /**
     * The category of one sample, from its innermost frames. A native frame
     * under JNA (com.sun.jna.Native.invoke*, or a directly mapped native
     * method of the driver) is "native via JNA", and the C function is the
     * method of the nearest JNA proxy or direct-mapped frame; a native
     * socket frame is "socket I/O"; Java code run for com.sun.jna is JNA's
     * marshalling, Java code run for the driver's own classes is "driver
     * Java".
     */
    static int classify(StackTraceElement[] stack, Map<String, Long> natives) {
        StackTraceElement top = stack[0];
        String cls = top.getClassName();
        boolean viaJna = false;
        String function = null;
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("com.sun.jna.")) {
                viaJna = true;
            } else if (viaJna && (c.startsWith("jdk.proxy") || c.startsWith("com.sun.proxy."))) {
                function = f.getMethodName();
                break;
            } else if (viaJna) {
                break;
            }
        }
        if (top.isNativeMethod()) {
            if (viaJna || !isJdk(cls)) {
                String fn = function != null ? function : viaJna ? "(JNA " + top.getMethodName() + ")" : top.getMethodName();
                natives.merge(fn, 1L, Long::sum);
                return 0;
            }
            if (cls.startsWith("sun.nio.") || cls.startsWith("java.net.") || cls.startsWith("java.io.")) {
                natives.merge(cls.substring(cls.lastIndexOf('.') + 1) + "." + top.getMethodName(), 1L, Long::sum);
                return 3;
            }
            return 4;
        }
        // A Java frame: it counts for the first caller outside the JDK
        // (JDK code that JNA or the driver runs is theirs).
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("com.sun.jna.")) {
                return 1;
            }
            if (c.startsWith("JdbcBench")) {
                break;
            }
            if (!isJdk(c)) {
                return 2;
            }
        }
        return 4;
    }
}
