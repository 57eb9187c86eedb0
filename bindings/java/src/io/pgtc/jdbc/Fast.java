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

    /** The library as JNA loaded it (null when the binding failed). */
    static final NativeLibrary LIBRARY = library();

    static final boolean ENABLED = register();

    private static NativeLibrary library() {
        if (Native.SIZE_T_SIZE != 8) {
            return null;
        }
        try {
            PgtcLibrary.INSTANCE.pgtc_version(); // loads the library the same way first
            String path = System.getenv("PGTC_LIBRARY");
            if (path == null || path.isEmpty()) {
                path = System.getProperty("pgtc.library");
            }
            return NativeLibrary.getInstance(path == null || path.isEmpty() ? "pgtc" : path);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    private static boolean register() {
        if (LIBRARY == null) {
            return false;
        }
        try {
            Native.register(Fast.class, LIBRARY);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code stmt} with the values packed in {@code p} (null when it takes none): JNI when
     * {@link Jni} is there (the values copied into {@code s}'s native buffer), JNA's direct
     * mapping otherwise. The result or the error is in {@code s}'s words.
     */
    static int execPacked(Pointer stmt, int n, PgtcPreparedStatement.Packed p, Slots s) {
        long at = Pointer.nativeValue(stmt);
        if (Jni.ENABLED) {
            if (p == null) {
                return Jni.execPacked(at, 0, 0, 0, 0, 0, s.result, s.error);
            }
            int[] formats = p.formats();
            long values = s.params(p.len, n, formats != null);
            Raw.putBytes(values, p.data, p.len);
            long lengths = values + align(p.len);
            Raw.putInts(lengths, p.lengths, n);
            long fmts = 0;
            if (formats != null) {
                fmts = lengths + 4L * n;
                Raw.putInts(fmts, formats, n);
            }
            return Jni.execPacked(at, n, p.len == 0 ? 0 : values, p.len, lengths, fmts, s.result, s.error);
        }
        if (p == null) {
            return pgtc_stmt_exec_packed(at, 0, null, 0, null, null, s.result, s.error);
        }
        return pgtc_stmt_exec_packed(at, n, p.data, p.len, p.lengths, p.formats(), s.result, s.error);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    static native Pointer pgtc_result_value(Pointer result, long row, long col);

    static native long pgtc_result_cols(Pointer result);

    static native long pgtc_result_affected(Pointer result);

    /** Handles and out-parameters are passed as addresses: no Pointer for JNA to unwrap per call. */
    static native void pgtc_result_free(long result);

    /** {@code out} is a {@code pgtc_block *}: {@link #BLOCK_LONGS} longs (every field is 64 bits wide here). */
    static native void pgtc_result_block(long result, long out);

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
        if (Jni.ENABLED) {
            Jni.resultBlock(Pointer.nativeValue(result), scratch.blockAt);
        } else {
            pgtc_result_block(Pointer.nativeValue(result), scratch.blockAt);
        }
        for (int i = 0; i < BLOCK_LONGS; i++) {
            b[i] = Raw.getLong(scratch.blockAt + 8L * i);
        }
        return b;
    }

    /** {@code pgtc_result **} and {@code pgtc_error **} are the two words of a {@link Slots}. */
    static native int pgtc_stmt_exec_packed(long stmt, long nParams, byte[] values, long valuesLen,
            int[] lengths, int[] formats, long resultOut, long errOut);

    /**
     * Native words an execution writes its result and its error to, and a result its block, kept
     * from one call to the next (by a statement or a ResultSet, used by one thread at a time):
     * passing them costs no array copies.
     */
    static final class Slots {
        private final Memory words = new Memory(16);
        private final Memory block = new Memory(8L * BLOCK_LONGS);
        /** The addresses of the two words (a {@code pgtc_result *}, a {@code pgtc_error *}) and the block. */
        final long result = Pointer.nativeValue(words);
        final long error = result + 8;
        final long blockAt = Pointer.nativeValue(block);

        private Memory params; // the values of an execution through Jni, grown as needed

        /**
         * The address of native room for {@code bytes} bytes of values (8-byte aligned), then
         * {@code n} lengths and, when {@code formats}, {@code n} formats.
         */
        long params(int bytes, int n, boolean formats) {
            long need = align(bytes) + 4L * n * (formats ? 2 : 1);
            if (params == null || params.size() < need) {
                params = new Memory(Math.max(need, params == null ? 256 : params.size() * 2));
            }
            return Pointer.nativeValue(params);
        }

        /** The result written by the last call (null for none). */
        Pointer result() {
            long a = Raw.getLong(result);
            return a == 0 ? null : new Pointer(a);
        }

        /** The error written by the last call that failed (null for none). */
        Pointer error() {
            long a = Raw.getLong(error);
            return a == 0 ? null : new Pointer(a);
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
        if (Jni.ENABLED) {
            Jni.resultFree(Pointer.nativeValue(result));
        } else if (ENABLED) {
            pgtc_result_free(Pointer.nativeValue(result));
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
