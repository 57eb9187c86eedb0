package io.pgtc;

/** Process-wide facts of the loaded library. */
public final class Pgtc {
    private Pgtc() {}

    /** The library's version, e.g. "0.1.0". */
    public static String version() {
        return PgtcLibrary.INSTANCE.pgtc_version();
    }

    /** A {@link Counter} summed over every connection this process has opened. */
    public static long processCounter(int counter) {
        return PgtcLibrary.INSTANCE.pgtc_process_counter(counter);
    }
}
