import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;

/**
 * The cost of one JNA crossing into libpgtc, measured apart from any
 * statement: pgtc_version() (no arguments, returns a static string) called
 * through JNA's Function.invokePointer N times, against a plain Java call
 * returning a String. Run by {@code tools/bench b10} next to JdbcBench;
 * libpgtc.so is found through jna.library.path. Usage: JnaCrossing [N].
 */
public final class JnaCrossing {
    private JnaCrossing() {}

    private static volatile String sink = "";

    static String javaVersion() {
        return sink;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Function version = NativeLibrary.getInstance("pgtc").getFunction("pgtc_version");
        Object[] none = new Object[0];
        long bytes = 0;
        for (int i = 0; i < n / 10; i++) {
            bytes += version.invokePointer(none).getString(0).length();
            bytes += javaVersion().length();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bytes += version.invokePointer(none) == null ? 0 : 1;
        }
        double jna = (System.nanoTime() - t0) / (double) n;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bytes += javaVersion() == null ? 0 : 1;
        }
        double java = (System.nanoTime() - t0) / (double) n;
        System.out.println(String.format(Locale.ROOT,
                "JNA crossing: %.0f ns per call of pgtc_version() through JNA, %.1f ns for a plain Java call (%d calls each; checksum %d)",
                jna, java, n, bytes));
    }
}
