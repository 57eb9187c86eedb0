package io.pgtc.jdbc;

import java.nio.charset.StandardCharsets;

/**
 * The values of one pgtc result, copied into the Java heap from where {@code pgtc_result_block}
 * says they are, rather than with one or two native calls per value: the
 * text of every value, each followed by a NUL, and where each starts ({@code -1} for an SQL
 * NULL). Immutable once made, so that reading it needs no lock and no native memory: a ResultSet
 * closed by another thread cannot make a reader touch freed memory.
 */
final class Block {
    final int rows;
    final int cols;
    private final byte[] data;
    private final int[] cells;

    private Block(int rows, int cols, byte[] data, int[] cells) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.cells = cells;
    }

    /**
     * The values of a result whose {@code pgtc_result_block} is {@code b} ({@code rows} ×
     * {@code cols} of them), or null when the result is too large for Java arrays (then the
     * values are read one by one).
     */
    static Block of(long[] b, long rows, int cols) {
        if (rows > Integer.MAX_VALUE) {
            return null;
        }
        long n = rows * cols;
        if (n == 0) {
            return new Block((int) rows, cols, new byte[0], new int[0]);
        }
        if (n > Integer.MAX_VALUE - 8 || b[Fast.DATA_LEN] > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] data = b[Fast.DATA] == 0 ? new byte[0] : Raw.bytes(b[Fast.DATA], (int) b[Fast.DATA_LEN]);
        int[] cells = b[Fast.CELLS] == 0 ? new int[0] : Raw.ints(b[Fast.CELLS], (int) n);
        return new Block((int) rows, cols, data, cells);
    }

    /** Where the value at (row, col) starts; -1 for an SQL NULL. */
    int start(int row, int col) {
        return cells[row * cols + col];
    }

    /** Where the value starting at {@code start} ends (its NUL). */
    int end(int start) {
        int i = start;
        while (data[i] != 0) {
            i++;
        }
        return i;
    }

    /** The value's text (null for SQL NULL). */
    String text(int row, int col) {
        int s = start(row, col);
        if (s < 0) {
            return null;
        }
        int e = end(s);
        for (int i = s; i < e; i++) {
            if (data[i] < 0) {
                return new String(data, s, e - s, StandardCharsets.UTF_8);
            }
        }
        return new String(data, s, e - s, StandardCharsets.ISO_8859_1); // ASCII: the cheaper decoder
    }

    /** The byte at {@code i} of the block. */
    byte at(int i) {
        return data[i];
    }

    /**
     * The value between {@code s} and {@code e} as a plain decimal integer (an optional '-' and up
     * to 18 digits, as PostgreSQL prints every integer type); {@code Long.MIN_VALUE} when it is
     * anything else, for the caller to parse the slow way.
     */
    long plainLong(int s, int e) {
        int i = s;
        boolean neg = false;
        if (i < e && data[i] == '-') {
            neg = true;
            i++;
        }
        int digits = e - i;
        if (digits < 1 || digits > 18) {
            return Long.MIN_VALUE;
        }
        long x = 0;
        for (; i < e; i++) {
            int d = data[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            x = x * 10 + d;
        }
        return neg ? -x : x;
    }

    /** Digits {@code data[i .. i+n)} as a number; -1 when one is not a digit. */
    int digits(int i, int n) {
        int x = 0;
        for (int k = i; k < i + n; k++) {
            int d = data[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            x = x * 10 + d;
        }
        return x;
    }
}
