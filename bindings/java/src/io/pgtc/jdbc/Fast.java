package io.pgtc.jdbc;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.pgtc.PgtcLibrary;
import java.nio.charset.StandardCharsets;

/**
 * The calls a ResultSet makes per value, bound with JNA's direct mapping (static native methods,
 * no proxy or reflection per call), which makes reading a value several times cheaper than
 * through {@link PgtcLibrary}. Used where {@code size_t} is 64 bits (passed as {@code long});
 * elsewhere, and when binding fails, the values go through {@link PgtcLibrary}.
 */
final class Fast {
    private Fast() {}

    static final boolean ENABLED = register();

    private static boolean register() {
        if (Native.SIZE_T_SIZE != 8) {
            return false;
        }
        try {
            PgtcLibrary.INSTANCE.pgtc_version(); // loads the library the same way first
            String path = System.getenv("PGTC_LIBRARY");
            if (path == null || path.isEmpty()) {
                path = System.getProperty("pgtc.library");
            }
            Native.register(Fast.class, NativeLibrary.getInstance(path == null || path.isEmpty() ? "pgtc" : path));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    static native Pointer pgtc_result_value(Pointer result, long row, long col);

    static native long pgtc_result_cols(Pointer result);

    static native long pgtc_result_affected(Pointer result);

    static native void pgtc_result_free(Pointer result);

    /** {@code pgtc_block *}: {@link #BLOCK_LONGS} longs (every field is 64 bits wide here). */
    static native void pgtc_result_block(Pointer result, Pointer out);

    /** Indexes of {@code pgtc_block}'s fields in the array {@link #block} returns. */
    static final int ROWS = 0;
    static final int COLS = 1;
    static final int AFFECTED = 2;
    static final int DATA = 3;
    static final int DATA_LEN = 4;
    static final int CELLS = 5;
    static final int COLUMNS = 6;
    static final int NAMES = 7;
    static final int NAMES_LEN = 8;
    static final int BLOCK_LONGS = 9;
    /** A {@code pgtc_column} is five 32-bit fields: name, type_oid, typmod, table_oid, table_column. */
    static final int COLUMN_INTS = 5;

    /**
     * {@code result}'s counts, columns and values in one call (only when {@link #ENABLED}),
     * written to {@code scratch}'s native words.
     */
    static long[] block(Pointer result, Slots scratch) {
        long[] b = new long[BLOCK_LONGS];
        pgtc_result_block(result, scratch.block);
        scratch.block.read(0, b, 0, BLOCK_LONGS);
        return b;
    }

    /** {@code pgtc_result **} and {@code pgtc_error **} are the two words of a {@link Slots}. */
    static native int pgtc_stmt_exec_packed(Pointer stmt, long nParams, byte[] values, long valuesLen,
            int[] lengths, int[] formats, Pointer resultOut, Pointer errOut);

    /**
     * Native words an execution writes its result and its error to, and a result its block, kept
     * from one call to the next (by a statement or a ResultSet, used by one thread at a time):
     * passing them costs no array copies.
     */
    static final class Slots {
        private final Memory words = new Memory(16);
        final Pointer result = words;
        final Pointer error = words.share(8);
        final Memory block = new Memory(8L * BLOCK_LONGS);

        /** The result written by the last call (null for none). */
        Pointer result() {
            return words.getPointer(0);
        }

        /** The error written by the last call that failed (null for none). */
        Pointer error() {
            return words.getPointer(8);
        }
    }

    static native int pgtc_stmt_exec_batch(Pointer stmt, long nSets, long nParams, byte[] values, long valuesLen,
            int[] lengths, int[] formats, long[] countsOut, long[] failedOut, long[] errOut);

    /** Columns of a result, through the cheaper binding when there is one. */
    static long cols(Pointer result) {
        return ENABLED ? pgtc_result_cols(result) : PgtcLibrary.INSTANCE.pgtc_result_cols(result).longValue();
    }

    /** Affected rows of a result, through the cheaper binding when there is one. */
    static long affected(Pointer result) {
        return ENABLED ? pgtc_result_affected(result) : PgtcLibrary.INSTANCE.pgtc_result_affected(result);
    }

    /** Frees a result, through the cheaper binding when there is one. */
    static void free(Pointer result) {
        if (ENABLED) {
            pgtc_result_free(result);
        } else {
            PgtcLibrary.INSTANCE.pgtc_result_free(result);
        }
    }

    /** The address in {@code out[0]} as a Pointer (null for NULL). */
    static Pointer at(long[] out) {
        return out[0] == 0 ? null : new Pointer(out[0]);
    }

    static native long pgtc_result_value_len(Pointer result, long row, long col);

    /** The value's text (null for SQL NULL). */
    static String value(Pointer result, long row, long col) {
        if (!ENABLED) {
            return PgtcLibrary.INSTANCE.pgtc_result_value(result, new PgtcLibrary.SizeT(row), new PgtcLibrary.SizeT(col));
        }
        Pointer p = pgtc_result_value(result, row, col);
        if (p == null) {
            return null;
        }
        int len = (int) pgtc_result_value_len(result, row, col);
        if (len == 0) {
            return "";
        }
        byte[] b = p.getByteArray(0, len);
        for (byte x : b) {
            if (x < 0) {
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1); // ASCII: the cheaper decoder
    }
}
