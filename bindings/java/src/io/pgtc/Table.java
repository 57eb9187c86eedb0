package io.pgtc;

import java.util.Collections;
import java.util.List;

/**
 * A statement's outcome copied into Java objects ({@link Result#toTable()}, {@link
 * Connection#query}), so that the native result could be released at once. Immutable; safe to
 * share between threads. Values are text as psql shows them; SQL NULL is {@code null}.
 */
public final class Table {
    private final List<String> columnNames;
    private final long[] columnTypes;
    private final List<List<String>> rows;
    private final long affected;
    private final String command;
    private final Server server;

    Table(
            List<String> columnNames,
            long[] columnTypes,
            List<List<String>> rows,
            long affected,
            String command,
            Server server) {
        this.columnNames = Collections.unmodifiableList(columnNames);
        this.columnTypes = columnTypes.clone();
        this.rows = Collections.unmodifiableList(rows);
        this.affected = affected;
        this.command = command;
        this.server = server;
    }

    public int rows() {
        return rows.size();
    }

    public int cols() {
        return columnNames.size();
    }

    public String columnName(int col) {
        return columnNames.get(col);
    }

    public List<String> columnNames() {
        return columnNames;
    }

    /** The type OID of a column (23 = int4, 25 = text, …). */
    public long columnType(int col) {
        if (col < 0 || col >= columnTypes.length) {
            throw new IndexOutOfBoundsException("column " + col + " of " + columnTypes.length);
        }
        return columnTypes[col];
    }

    /** The value at (row, col); null for SQL NULL. */
    public String getString(int row, int col) {
        return rows.get(row).get(col);
    }

    /** The rows, each an unmodifiable list of values (null for SQL NULL). */
    public List<List<String>> rowList() {
        return rows;
    }

    public long affected() {
        return affected;
    }

    public String command() {
        return command;
    }

    public Server server() {
        return server;
    }

    @Override
    public String toString() {
        return "Table[" + command + ", " + rows() + " rows on " + server + "]";
    }
}
