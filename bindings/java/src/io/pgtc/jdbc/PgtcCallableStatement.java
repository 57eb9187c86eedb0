package io.pgtc.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;

/**
 * A CallableStatement ({@code Connection.prepareCall}): {@code {call f(?, …)}} runs as {@code
 * SELECT * FROM f(?, …) AS result} (as PgJDBC does by default), {@code {? = call f(?, …)}} the
 * same, parameter 1 being the function's return value: it takes no value, the IN parameters are
 * 2, 3, …, and once registered with {@code registerOutParameter(1, type)} the getters of index 1
 * read it from the single result row (execute then returns false, as with PgJDBC). Other OUT and
 * INOUT parameters are refused (SQLFeatureNotSupportedException, 0A000); a procedure with IN
 * parameters is called with {@code CALL p(?, …)} written as such. Parameters by name are refused.
 */
public final class PgtcCallableStatement extends CallableStubs {
    private final boolean returns;
    private final int markers; // in the text sent, the return value's slot not counted
    private boolean registered;
    private PgtcResultSet row; // the result row holding the return value, after an execution
    private boolean[] set; // the parameters given a value, by the text's index

    PgtcCallableStatement(PgtcConnection conn, Escapes.Call call) throws SQLException {
        super(conn, call.sql);
        this.returns = call.returns;
        this.markers = SqlText.parse(call.sql, true).params;
        this.set = new boolean[markers];
    }

    /** Names a parameter without a value by the caller's index (the return value counts). */
    private void checkSet() throws SQLException {
        for (int i = 0; i < markers; i++) {
            if (!set[i]) {
                throw Errors.of("no value specified for parameter " + (returns ? i + 2 : i + 1), "22023");
            }
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        super.clearParameters();
        set = new boolean[markers];
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        checkSet();
        super.addBatch();
    }

    @Override
    void bind(int index, int oid, Object value) throws SQLException {
        checkOpen();
        int last = markers + (returns ? 1 : 0);
        if (index < 1 || index > last) {
            throw Errors.of("parameter index " + index + " is out of range 1-" + last, "22023");
        }
        if (returns && index == 1) {
            throw Errors.of("parameter 1 is the return value of {? = call …}: it takes no value (give it to registerOutParameter)", "22023");
        }
        int k = returns ? index - 1 : index;
        super.bind(k, oid, value);
        set[k - 1] = true;
    }

    private static SQLFeatureNotSupportedException outParameter(int index) {
        return new SQLFeatureNotSupportedException("registerOutParameter(" + index + ", …): OUT and INOUT parameters are not supported by pgtc's JDBC driver,"
                + " only the return value of {? = call f(…)} (parameter 1); read a procedure's OUT values from the row CALL returns", "0A000");
    }

    @Override
    public void registerOutParameter(int index, int sqlType) throws SQLException {
        checkOpen();
        if (!returns || index != 1) {
            throw outParameter(index);
        }
        registered = true; // the getters convert the value, whatever its type
    }

    @Override
    public void registerOutParameter(int index, int sqlType, int scale) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, int sqlType, String typeName) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType) throws SQLException {
        registerOutParameter(index, java.sql.Types.OTHER);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, int scale) throws SQLException {
        registerOutParameter(index, java.sql.Types.OTHER);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, String typeName) throws SQLException {
        registerOutParameter(index, java.sql.Types.OTHER);
    }

    @Override
    public boolean execute() throws SQLException {
        synchronized (conn.pc) {
            row = null;
            checkOpen();
            checkSet();
            if (!registered) {
                return super.execute();
            }
            int saved = fetchSize;
            fetchSize = 0; // the row of the return value is read whole
            boolean rows;
            try {
                rows = super.execute();
            } finally {
                fetchSize = saved;
            }
            if (!rows) {
                throw Errors.of("{? = call …} returned no result set", "02000");
            }
            PgtcResultSet r = resultSet;
            int cols = r.getMetaData().getColumnCount();
            if (cols != 1) {
                throw Errors.of("{? = call …} returned " + cols + " columns; a return value is one", "42601");
            }
            if (!r.next()) {
                throw Errors.of("{? = call …} returned no row", "02000");
            }
            resultSet = null; // read through the getters, not as a ResultSet; freed with the statement's results
            row = r;
            return false;
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        synchronized (conn.pc) {
            execute(); // a function's rows are no error here, as with PgJDBC
            return Math.max(updateCount, 0);
        }
    }

    private PgtcResultSet value(int index) throws SQLException {
        checkOpen();
        if (!returns || index != 1) {
            throw Errors.of("parameter " + index + " is no OUT parameter (only the return value of {? = call …}, parameter 1)", "22023");
        }
        if (!registered || row == null) {
            throw Errors.of("no return value: registerOutParameter(1, …), then execute", "55000");
        }
        return row;
    }

    @Override
    public boolean wasNull() throws SQLException {
        return value(1).wasNull();
    }

    @Override
    public java.lang.String getString(int a0) throws SQLException {
        return value(a0).getString(1);
    }

    @Override
    public boolean getBoolean(int a0) throws SQLException {
        return value(a0).getBoolean(1);
    }

    @Override
    public byte getByte(int a0) throws SQLException {
        return value(a0).getByte(1);
    }

    @Override
    public short getShort(int a0) throws SQLException {
        return value(a0).getShort(1);
    }

    @Override
    public int getInt(int a0) throws SQLException {
        return value(a0).getInt(1);
    }

    @Override
    public long getLong(int a0) throws SQLException {
        return value(a0).getLong(1);
    }

    @Override
    public float getFloat(int a0) throws SQLException {
        return value(a0).getFloat(1);
    }

    @Override
    public double getDouble(int a0) throws SQLException {
        return value(a0).getDouble(1);
    }

    @Override
    @Deprecated
    public java.math.BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
        return value(a0).getBigDecimal(1, a1);
    }

    @Override
    public byte[] getBytes(int a0) throws SQLException {
        return value(a0).getBytes(1);
    }

    @Override
    public java.sql.Date getDate(int a0) throws SQLException {
        return value(a0).getDate(1);
    }

    @Override
    public java.sql.Time getTime(int a0) throws SQLException {
        return value(a0).getTime(1);
    }

    @Override
    public java.sql.Timestamp getTimestamp(int a0) throws SQLException {
        return value(a0).getTimestamp(1);
    }

    @Override
    public java.lang.Object getObject(int a0) throws SQLException {
        return value(a0).getObject(1);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int a0) throws SQLException {
        return value(a0).getBigDecimal(1);
    }

    @Override
    public java.lang.Object getObject(int a0, java.util.Map<java.lang.String, java.lang.Class<?>> a1) throws SQLException {
        return value(a0).getObject(1, a1);
    }

    @Override
    public java.sql.Ref getRef(int a0) throws SQLException {
        return value(a0).getRef(1);
    }

    @Override
    public java.sql.Blob getBlob(int a0) throws SQLException {
        return value(a0).getBlob(1);
    }

    @Override
    public java.sql.Clob getClob(int a0) throws SQLException {
        return value(a0).getClob(1);
    }

    @Override
    public java.sql.Array getArray(int a0) throws SQLException {
        return value(a0).getArray(1);
    }

    @Override
    public java.sql.Date getDate(int a0, java.util.Calendar a1) throws SQLException {
        return value(a0).getDate(1, a1);
    }

    @Override
    public java.sql.Time getTime(int a0, java.util.Calendar a1) throws SQLException {
        return value(a0).getTime(1, a1);
    }

    @Override
    public java.sql.Timestamp getTimestamp(int a0, java.util.Calendar a1) throws SQLException {
        return value(a0).getTimestamp(1, a1);
    }

    @Override
    public java.net.URL getURL(int a0) throws SQLException {
        return value(a0).getURL(1);
    }

    @Override
    public java.sql.RowId getRowId(int a0) throws SQLException {
        return value(a0).getRowId(1);
    }

    @Override
    public java.sql.NClob getNClob(int a0) throws SQLException {
        return value(a0).getNClob(1);
    }

    @Override
    public java.sql.SQLXML getSQLXML(int a0) throws SQLException {
        return value(a0).getSQLXML(1);
    }

    @Override
    public java.lang.String getNString(int a0) throws SQLException {
        return value(a0).getNString(1);
    }

    @Override
    public java.io.Reader getNCharacterStream(int a0) throws SQLException {
        return value(a0).getNCharacterStream(1);
    }

    @Override
    public java.io.Reader getCharacterStream(int a0) throws SQLException {
        return value(a0).getCharacterStream(1);
    }

    @Override
    public <T> T getObject(int a0, java.lang.Class<T> a1) throws SQLException {
        return value(a0).getObject(1, a1);
    }
}
