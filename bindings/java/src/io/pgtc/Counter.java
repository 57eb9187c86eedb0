package io.pgtc;

/** The {@code pgtc_counter} values for {@link Connection#counter(int)} and {@link Pgtc#processCounter(int)}. */
public final class Counter {
    private Counter() {}

    /** Statements that ran on the primary. */
    public static final int PRIMARY = 0;
    /** Statements that ran on the standby. */
    public static final int SECONDARY = 1;
    /** Statements applied to both servers (session settings). */
    public static final int BOTH = 2;
    /** Statements the standby refused (as a write, or it was lost) that pgtc re-ran on the primary. */
    public static final int MISROUTES = 3;
    /** Reads kept on the primary because the standby had not yet replayed the session's last write. */
    public static final int FLOOR_KEPT = 4;
}
