package io.pgtc.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Column facts of a result: names, type OIDs and modifiers from the RowDescription, precision
 * and scale derived as PgJDBC derives them, and the source table (its OID, {@code
 * pgtc_result_col_table}, named with one catalog query the first time it is asked).
 * Nullability is unknown.
 */
final class PgtcResultSetMetaData implements ResultSetMetaData {
    private final PgtcConnection conn;
    private final String[] names;
    private final int[] types;
    private final int[] typmods;
    private final int[] tables;
    private Map<Integer, String[]> tableNames; // oid → {schema, table}

    PgtcResultSetMetaData(PgtcConnection conn, String[] names, int[] types, int[] typmods, int[] tables) {
        this.conn = conn;
        this.names = names;
        this.types = types;
        this.typmods = typmods;
        this.tables = tables;
    }

    private int c(int column) throws SQLException {
        if (column < 1 || column > names.length) {
            throw Errors.of("column index " + column + " is out of range 1-" + names.length, "22023");
        }
        return column - 1;
    }

    private String[] table(int column) throws SQLException {
        int oid = tables[c(column)];
        if (oid == 0) {
            return new String[] {"", ""};
        }
        if (tableNames == null) {
            tableNames = new HashMap<>();
        }
        String[] known = tableNames.get(oid);
        if (known == null) {
            String schema = conn.scalar("SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " + Integer.toUnsignedLong(oid));
            String name = conn.scalar("SELECT relname FROM pg_catalog.pg_class WHERE oid = " + Integer.toUnsignedLong(oid));
            known = new String[] {schema == null ? "" : schema, name == null ? "" : name};
            tableNames.put(oid, known);
        }
        return known;
    }

    @Override
    public int getColumnCount() {
        return names.length;
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        c(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        int t = types[c(column)];
        return TypeMap.sqlType(t) == java.sql.Types.VARCHAR || TypeMap.sqlType(t) == java.sql.Types.CHAR || TypeMap.sqlType(t) == java.sql.Types.OTHER;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        c(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return types[c(column)] == TypeMap.MONEY;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        c(column);
        return columnNullableUnknown;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return TypeMap.signed(types[c(column)]);
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        int p = getPrecision(column);
        return p == Integer.MAX_VALUE || p == 0 ? Integer.MAX_VALUE : p + (TypeMap.signed(types[column - 1]) ? 1 : 0);
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return names[c(column)];
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return names[c(column)];
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return table(column)[0];
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        int i = c(column);
        return TypeMap.precision(types[i], typmods[i]);
    }

    @Override
    public int getScale(int column) throws SQLException {
        int i = c(column);
        return TypeMap.scale(types[i], typmods[i]);
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return table(column)[1];
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        c(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return TypeMap.sqlType(types[c(column)]);
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        int t = types[c(column)];
        String n = TypeMap.name(t);
        if (!n.equals("unknown") && !n.equals("_array")) {
            return n;
        }
        String s = conn.scalar("SELECT typname FROM pg_catalog.pg_type WHERE oid = " + Integer.toUnsignedLong(t));
        return s == null ? n : s;
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        c(column);
        return false;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        c(column);
        return true;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        c(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return TypeMap.className(types[c(column)]);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw Errors.of("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
