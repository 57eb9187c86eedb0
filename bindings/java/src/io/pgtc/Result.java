package io.pgtc;

import com.sun.jna.Pointer;
import io.pgtc.PgtcLibrary.SizeT;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One statement's outcome, owning a native {@code pgtc_result}: rows and columns as text (exactly
 * as psql shows them; SQL NULL is {@code null}), the affected-row count, the command tag and where
 * the statement ran.
 *
 * <p>Close it (try-with-resources) to free the native memory at once; a Result that is never
 * closed is freed by a {@link Cleaner} after it becomes unreachable. {@link #close()} is
 * idempotent; other methods of a closed Result throw {@link IllegalStateException}. {@link
 * #toTable()} copies everything into Java objects, after which the Result can be closed. A Result
 * does not depend on its {@link Connection} and stays readable after the Connection is closed.
 *
 * <p>Thread safety: a Result is read-only; its methods are synchronized, so it may be read from
 * several threads and closed from any of them.
 */
public final class Result implements AutoCloseable {
    private static final PgtcLibrary LIB = PgtcLibrary.INSTANCE;

    private final Pointer ptr;
    private final Cleaner.Cleanable cleanable;
    private final int rows;
    private final int cols;
    private boolean closed;

    Result(Pointer ptr) {
        this.ptr = ptr;
        this.cleanable = Handles.CLEANER.register(this, new Handles.FreeResult(ptr));
        this.rows = Math.toIntExact(LIB.pgtc_result_rows(ptr).longValue());
        this.cols = Math.toIntExact(LIB.pgtc_result_cols(ptr).longValue());
    }

    private Pointer live() {
        if (closed) {
            throw new IllegalStateException("pgtc Result is closed");
        }
        return ptr;
    }

    private void checkCol(int col) {
        if (col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("column " + col + " of " + cols);
        }
    }

    private void checkPos(int row, int col) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        checkCol(col);
    }

    /** Number of rows (0 for statements that return none). */
    public synchronized int rows() {
        live();
        return rows;
    }

    /** Number of columns. */
    public synchronized int cols() {
        live();
        return cols;
    }

    /** The name of a column (0-based); IndexOutOfBoundsException when out of range. */
    public synchronized String columnName(int col) {
        try {
            Pointer p = live();
            checkCol(col);
            return LIB.pgtc_result_col_name(p, new SizeT(col));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The type OID of a column (23 = int4, 25 = text, …); IndexOutOfBoundsException when out of range. */
    public synchronized long columnType(int col) {
        try {
            Pointer p = live();
            checkCol(col);
            return Integer.toUnsignedLong(LIB.pgtc_result_col_type(p, new SizeT(col)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The value at (row, col), 0-based, as text; null for SQL NULL. */
    public synchronized String getString(int row, int col) {
        try {
            Pointer p = live();
            checkPos(row, col);
            return LIB.pgtc_result_value(p, new SizeT(row), new SizeT(col));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** True when the value at (row, col) is SQL NULL. */
    public synchronized boolean isNull(int row, int col) {
        try {
            Pointer p = live();
            checkPos(row, col);
            return LIB.pgtc_result_is_null(p, new SizeT(row), new SizeT(col)) != 0;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Rows affected by INSERT/UPDATE/DELETE/MERGE (rows returned by SELECT). */
    public synchronized long affected() {
        try {
            return LIB.pgtc_result_affected(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The command tag, e.g. "INSERT 0 1" ("" when there is none). */
    public synchronized String command() {
        try {
            return LIB.pgtc_result_command(live());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Where the statement ran. */
    public synchronized Server server() {
        try {
            return Server.fromCode(LIB.pgtc_result_server(live()));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Copies the whole outcome into an immutable {@link Table}; this Result may then be closed. */
    public synchronized Table toTable() {
        try {
            Pointer p = live();
            List<String> names = new ArrayList<>(cols);
            long[] types = new long[cols];
            for (int c = 0; c < cols; c++) {
                SizeT col = new SizeT(c);
                names.add(LIB.pgtc_result_col_name(p, col));
                types[c] = Integer.toUnsignedLong(LIB.pgtc_result_col_type(p, col));
            }
            List<List<String>> data = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                String[] values = new String[cols];
                SizeT row = new SizeT(r);
                for (int c = 0; c < cols; c++) {
                    values[c] = LIB.pgtc_result_value(p, row, new SizeT(c));
                }
                data.add(Collections.unmodifiableList(Arrays.asList(values)));
            }
            return new Table(
                    names,
                    types,
                    data,
                    LIB.pgtc_result_affected(p),
                    LIB.pgtc_result_command(p),
                    Server.fromCode(LIB.pgtc_result_server(p)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** True once {@link #close()} ran. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Frees the native result; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            cleanable.clean();
        }
    }
}
