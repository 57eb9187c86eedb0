package io.pgtc.jdbc;

/**
 * The few calls every execution makes ({@code pgtc_stmt_exec_packed}, {@code pgtc_result_block},
 * {@code pgtc_result_free}), bound as JNI native methods that libpgtc itself provides
 * ({@code Java_io_pgtc_jdbc_Jni_*}, taking and returning only primitives): a JNI call from
 * compiled code is a plain native call, without the dispatcher and libffi that each JNA call
 * adds. Loaded from the very file JNA loaded; where that fails (a libpgtc without them, a
 * second class loader, {@code -Dpgtc.jni=false}), {@link Fast} makes the same calls through
 * JNA.
 */
final class Jni {
    private Jni() {}

    static final boolean ENABLED = load();

    private static boolean load() {
        if (!Fast.ENABLED || "false".equals(System.getProperty("pgtc.jni"))) {
            return false;
        }
        try {
            System.load(Fast.LIBRARY.getFile().getAbsolutePath());
            resultFree(0); // frees nothing: the entry points are bound
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** {@code pgtc_stmt_exec_packed}; every pointer as an address, 0 for NULL. */
    static native int execPacked(long stmt, long nParams, long values, long valuesLen, long lengths, long formats,
            long resultOut, long errOut);

    /** {@code pgtc_result_block}. */
    static native void resultBlock(long result, long out);

    /** {@code pgtc_result_free}. */
    static native void resultFree(long result);
}
