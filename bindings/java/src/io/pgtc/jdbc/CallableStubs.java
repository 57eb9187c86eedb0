package io.pgtc.jdbc;

/**
 * The CallableStatement calls by parameter name, which pgtc's driver refuses: parameters are
 * given by index (SQLFeatureNotSupportedException).
 */
abstract class CallableStubs extends PgtcPreparedStatement implements java.sql.CallableStatement {
    CallableStubs(PgtcConnection conn, String sql) throws java.sql.SQLException {
        super(conn, sql, null);
    }

    private static java.sql.SQLException named(String method) {
        return Errors.unsupported("CallableStatement." + method + " by parameter name (give the parameter's index)");
    }

    @Override
    public void registerOutParameter(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw named("registerOutParameter");
    }

    @Override
    public void registerOutParameter(java.lang.String a0, int a1, int a2) throws java.sql.SQLException {
        throw named("registerOutParameter");
    }

    @Override
    public void registerOutParameter(java.lang.String a0, int a1, java.lang.String a2) throws java.sql.SQLException {
        throw named("registerOutParameter");
    }

    @Override
    public void setURL(java.lang.String a0, java.net.URL a1) throws java.sql.SQLException {
        throw named("setURL");
    }

    @Override
    public void setNull(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw named("setNull");
    }

    @Override
    public void setBoolean(java.lang.String a0, boolean a1) throws java.sql.SQLException {
        throw named("setBoolean");
    }

    @Override
    public void setByte(java.lang.String a0, byte a1) throws java.sql.SQLException {
        throw named("setByte");
    }

    @Override
    public void setShort(java.lang.String a0, short a1) throws java.sql.SQLException {
        throw named("setShort");
    }

    @Override
    public void setInt(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw named("setInt");
    }

    @Override
    public void setLong(java.lang.String a0, long a1) throws java.sql.SQLException {
        throw named("setLong");
    }

    @Override
    public void setFloat(java.lang.String a0, float a1) throws java.sql.SQLException {
        throw named("setFloat");
    }

    @Override
    public void setDouble(java.lang.String a0, double a1) throws java.sql.SQLException {
        throw named("setDouble");
    }

    @Override
    public void setBigDecimal(java.lang.String a0, java.math.BigDecimal a1) throws java.sql.SQLException {
        throw named("setBigDecimal");
    }

    @Override
    public void setString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw named("setString");
    }

    @Override
    public void setBytes(java.lang.String a0, byte[] a1) throws java.sql.SQLException {
        throw named("setBytes");
    }

    @Override
    public void setDate(java.lang.String a0, java.sql.Date a1) throws java.sql.SQLException {
        throw named("setDate");
    }

    @Override
    public void setTime(java.lang.String a0, java.sql.Time a1) throws java.sql.SQLException {
        throw named("setTime");
    }

    @Override
    public void setTimestamp(java.lang.String a0, java.sql.Timestamp a1) throws java.sql.SQLException {
        throw named("setTimestamp");
    }

    @Override
    public void setAsciiStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw named("setAsciiStream");
    }

    @Override
    public void setBinaryStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw named("setBinaryStream");
    }

    @Override
    public void setObject(java.lang.String a0, java.lang.Object a1, int a2, int a3) throws java.sql.SQLException {
        throw named("setObject");
    }

    @Override
    public void setObject(java.lang.String a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
        throw named("setObject");
    }

    @Override
    public void setObject(java.lang.String a0, java.lang.Object a1) throws java.sql.SQLException {
        throw named("setObject");
    }

    @Override
    public void setCharacterStream(java.lang.String a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw named("setCharacterStream");
    }

    @Override
    public void setDate(java.lang.String a0, java.sql.Date a1, java.util.Calendar a2) throws java.sql.SQLException {
        throw named("setDate");
    }

    @Override
    public void setTime(java.lang.String a0, java.sql.Time a1, java.util.Calendar a2) throws java.sql.SQLException {
        throw named("setTime");
    }

    @Override
    public void setTimestamp(java.lang.String a0, java.sql.Timestamp a1, java.util.Calendar a2) throws java.sql.SQLException {
        throw named("setTimestamp");
    }

    @Override
    public void setNull(java.lang.String a0, int a1, java.lang.String a2) throws java.sql.SQLException {
        throw named("setNull");
    }

    @Override
    public java.lang.String getString(java.lang.String a0) throws java.sql.SQLException {
        throw named("getString");
    }

    @Override
    public boolean getBoolean(java.lang.String a0) throws java.sql.SQLException {
        throw named("getBoolean");
    }

    @Override
    public byte getByte(java.lang.String a0) throws java.sql.SQLException {
        throw named("getByte");
    }

    @Override
    public short getShort(java.lang.String a0) throws java.sql.SQLException {
        throw named("getShort");
    }

    @Override
    public int getInt(java.lang.String a0) throws java.sql.SQLException {
        throw named("getInt");
    }

    @Override
    public long getLong(java.lang.String a0) throws java.sql.SQLException {
        throw named("getLong");
    }

    @Override
    public float getFloat(java.lang.String a0) throws java.sql.SQLException {
        throw named("getFloat");
    }

    @Override
    public double getDouble(java.lang.String a0) throws java.sql.SQLException {
        throw named("getDouble");
    }

    @Override
    public byte[] getBytes(java.lang.String a0) throws java.sql.SQLException {
        throw named("getBytes");
    }

    @Override
    public java.sql.Date getDate(java.lang.String a0) throws java.sql.SQLException {
        throw named("getDate");
    }

    @Override
    public java.sql.Time getTime(java.lang.String a0) throws java.sql.SQLException {
        throw named("getTime");
    }

    @Override
    public java.sql.Timestamp getTimestamp(java.lang.String a0) throws java.sql.SQLException {
        throw named("getTimestamp");
    }

    @Override
    public java.lang.Object getObject(java.lang.String a0) throws java.sql.SQLException {
        throw named("getObject");
    }

    @Override
    public java.math.BigDecimal getBigDecimal(java.lang.String a0) throws java.sql.SQLException {
        throw named("getBigDecimal");
    }

    @Override
    public java.lang.Object getObject(java.lang.String a0, java.util.Map<java.lang.String, java.lang.Class<?>> a1) throws java.sql.SQLException {
        throw named("getObject");
    }

    @Override
    public java.sql.Ref getRef(java.lang.String a0) throws java.sql.SQLException {
        throw named("getRef");
    }

    @Override
    public java.sql.Blob getBlob(java.lang.String a0) throws java.sql.SQLException {
        throw named("getBlob");
    }

    @Override
    public java.sql.Clob getClob(java.lang.String a0) throws java.sql.SQLException {
        throw named("getClob");
    }

    @Override
    public java.sql.Array getArray(java.lang.String a0) throws java.sql.SQLException {
        throw named("getArray");
    }

    @Override
    public java.sql.Date getDate(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        throw named("getDate");
    }

    @Override
    public java.sql.Time getTime(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        throw named("getTime");
    }

    @Override
    public java.sql.Timestamp getTimestamp(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        throw named("getTimestamp");
    }

    @Override
    public java.net.URL getURL(java.lang.String a0) throws java.sql.SQLException {
        throw named("getURL");
    }

    @Override
    public java.sql.RowId getRowId(java.lang.String a0) throws java.sql.SQLException {
        throw named("getRowId");
    }

    @Override
    public void setRowId(java.lang.String a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw named("setRowId");
    }

    @Override
    public void setNString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw named("setNString");
    }

    @Override
    public void setNCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw named("setNCharacterStream");
    }

    @Override
    public void setNClob(java.lang.String a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw named("setNClob");
    }

    @Override
    public void setClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw named("setClob");
    }

    @Override
    public void setBlob(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw named("setBlob");
    }

    @Override
    public void setNClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw named("setNClob");
    }

    @Override
    public java.sql.NClob getNClob(java.lang.String a0) throws java.sql.SQLException {
        throw named("getNClob");
    }

    @Override
    public void setSQLXML(java.lang.String a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw named("setSQLXML");
    }

    @Override
    public java.sql.SQLXML getSQLXML(java.lang.String a0) throws java.sql.SQLException {
        throw named("getSQLXML");
    }

    @Override
    public java.lang.String getNString(java.lang.String a0) throws java.sql.SQLException {
        throw named("getNString");
    }

    @Override
    public java.io.Reader getNCharacterStream(java.lang.String a0) throws java.sql.SQLException {
        throw named("getNCharacterStream");
    }

    @Override
    public java.io.Reader getCharacterStream(java.lang.String a0) throws java.sql.SQLException {
        throw named("getCharacterStream");
    }

    @Override
    public void setBlob(java.lang.String a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw named("setBlob");
    }

    @Override
    public void setClob(java.lang.String a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw named("setClob");
    }

    @Override
    public void setAsciiStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw named("setAsciiStream");
    }

    @Override
    public void setBinaryStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw named("setBinaryStream");
    }

    @Override
    public void setCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw named("setCharacterStream");
    }

    @Override
    public void setAsciiStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw named("setAsciiStream");
    }

    @Override
    public void setBinaryStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw named("setBinaryStream");
    }

    @Override
    public void setCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw named("setCharacterStream");
    }

    @Override
    public void setNCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw named("setNCharacterStream");
    }

    @Override
    public void setClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw named("setClob");
    }

    @Override
    public void setBlob(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw named("setBlob");
    }

    @Override
    public void setNClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw named("setNClob");
    }

    @Override
    public <T> T getObject(java.lang.String a0, java.lang.Class<T> a1) throws java.sql.SQLException {
        throw named("getObject");
    }
}
