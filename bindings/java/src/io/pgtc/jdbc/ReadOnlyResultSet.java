package io.pgtc.jdbc;

import java.sql.ResultSet;

/**
 * What a forward-only, read-only ResultSet answers the same way whatever it reads: updates and
 * scrolling are refused (SQLFeatureNotSupportedException, 0A000) and getters by label delegate
 * to the getters by index through {@link #findColumn(String)}.
 */
abstract class ReadOnlyResultSet implements ResultSet {
    @Override
    public <T> T getObject(java.lang.String a0, java.lang.Class<T> a1) throws java.sql.SQLException {
        return getObject(findColumn(a0), a1);
    }

    @Override
    public boolean absolute(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean first() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean getBoolean(java.lang.String a0) throws java.sql.SQLException {
        return getBoolean(findColumn(a0));
    }

    @Override
    public boolean isLast() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean last() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean previous() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean relative(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public boolean rowDeleted() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public boolean rowInserted() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public boolean rowUpdated() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public byte getByte(java.lang.String a0) throws java.sql.SQLException {
        return getByte(findColumn(a0));
    }

    @Override
    public byte[] getBytes(java.lang.String a0) throws java.sql.SQLException {
        return getBytes(findColumn(a0));
    }

    @Override
    public double getDouble(java.lang.String a0) throws java.sql.SQLException {
        return getDouble(findColumn(a0));
    }

    @Override
    public float getFloat(java.lang.String a0) throws java.sql.SQLException {
        return getFloat(findColumn(a0));
    }

    @Override
    public int getInt(java.lang.String a0) throws java.sql.SQLException {
        return getInt(findColumn(a0));
    }

    @Override
    public java.io.InputStream getAsciiStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getAsciiStream");
    }

    @Override
    public java.io.InputStream getAsciiStream(java.lang.String a0) throws java.sql.SQLException {
        return getAsciiStream(findColumn(a0));
    }

    @Override
    public java.io.InputStream getBinaryStream(java.lang.String a0) throws java.sql.SQLException {
        return getBinaryStream(findColumn(a0));
    }

    @Override
    @Deprecated
    public java.io.InputStream getUnicodeStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getUnicodeStream");
    }

    @Override
    @Deprecated
    public java.io.InputStream getUnicodeStream(java.lang.String a0) throws java.sql.SQLException {
        return getUnicodeStream(findColumn(a0));
    }

    @Override
    public java.io.Reader getCharacterStream(java.lang.String a0) throws java.sql.SQLException {
        return getCharacterStream(findColumn(a0));
    }

    @Override
    public java.io.Reader getNCharacterStream(java.lang.String a0) throws java.sql.SQLException {
        return getNCharacterStream(findColumn(a0));
    }

    @Override
    public java.lang.Object getObject(java.lang.String a0) throws java.sql.SQLException {
        return getObject(findColumn(a0));
    }

    @Override
    public java.lang.Object getObject(java.lang.String a0, java.util.Map<java.lang.String, java.lang.Class<?>> a1) throws java.sql.SQLException {
        return getObject(findColumn(a0), a1);
    }

    @Override
    public java.lang.String getCursorName() throws java.sql.SQLException {
        throw Errors.unsupported("getCursorName");
    }

    @Override
    public java.lang.String getNString(java.lang.String a0) throws java.sql.SQLException {
        return getNString(findColumn(a0));
    }

    @Override
    public java.lang.String getString(java.lang.String a0) throws java.sql.SQLException {
        return getString(findColumn(a0));
    }

    @Override
    public java.math.BigDecimal getBigDecimal(java.lang.String a0) throws java.sql.SQLException {
        return getBigDecimal(findColumn(a0));
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public java.math.BigDecimal getBigDecimal(java.lang.String a0, int a1) throws java.sql.SQLException {
        return getBigDecimal(findColumn(a0), a1);
    }

    @Override
    public java.net.URL getURL(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getURL");
    }

    @Override
    public java.net.URL getURL(java.lang.String a0) throws java.sql.SQLException {
        return getURL(findColumn(a0));
    }

    @Override
    public java.sql.Array getArray(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getArray");
    }

    @Override
    public java.sql.Array getArray(java.lang.String a0) throws java.sql.SQLException {
        return getArray(findColumn(a0));
    }

    @Override
    public java.sql.Blob getBlob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getBlob");
    }

    @Override
    public java.sql.Blob getBlob(java.lang.String a0) throws java.sql.SQLException {
        return getBlob(findColumn(a0));
    }

    @Override
    public java.sql.Clob getClob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getClob");
    }

    @Override
    public java.sql.Clob getClob(java.lang.String a0) throws java.sql.SQLException {
        return getClob(findColumn(a0));
    }

    @Override
    public java.sql.Date getDate(java.lang.String a0) throws java.sql.SQLException {
        return getDate(findColumn(a0));
    }

    @Override
    public java.sql.Date getDate(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        return getDate(findColumn(a0), a1);
    }

    @Override
    public java.sql.NClob getNClob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getNClob");
    }

    @Override
    public java.sql.NClob getNClob(java.lang.String a0) throws java.sql.SQLException {
        return getNClob(findColumn(a0));
    }

    @Override
    public java.sql.Ref getRef(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getRef");
    }

    @Override
    public java.sql.Ref getRef(java.lang.String a0) throws java.sql.SQLException {
        return getRef(findColumn(a0));
    }

    @Override
    public java.sql.RowId getRowId(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getRowId");
    }

    @Override
    public java.sql.RowId getRowId(java.lang.String a0) throws java.sql.SQLException {
        return getRowId(findColumn(a0));
    }

    @Override
    public java.sql.SQLXML getSQLXML(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("getSQLXML");
    }

    @Override
    public java.sql.SQLXML getSQLXML(java.lang.String a0) throws java.sql.SQLException {
        return getSQLXML(findColumn(a0));
    }

    @Override
    public java.sql.Time getTime(java.lang.String a0) throws java.sql.SQLException {
        return getTime(findColumn(a0));
    }

    @Override
    public java.sql.Time getTime(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        return getTime(findColumn(a0), a1);
    }

    @Override
    public java.sql.Timestamp getTimestamp(java.lang.String a0) throws java.sql.SQLException {
        return getTimestamp(findColumn(a0));
    }

    @Override
    public java.sql.Timestamp getTimestamp(java.lang.String a0, java.util.Calendar a1) throws java.sql.SQLException {
        return getTimestamp(findColumn(a0), a1);
    }

    @Override
    public long getLong(java.lang.String a0) throws java.sql.SQLException {
        return getLong(findColumn(a0));
    }

    @Override
    public short getShort(java.lang.String a0) throws java.sql.SQLException {
        return getShort(findColumn(a0));
    }

    @Override
    public void afterLast() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public void beforeFirst() throws java.sql.SQLException {
        throw Errors.unsupported("scrolling (result sets are forward-only)");
    }

    @Override
    public void cancelRowUpdates() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void deleteRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void insertRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void moveToCurrentRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void moveToInsertRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void refreshRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateArray(int a0, java.sql.Array a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateArray(java.lang.String a0, java.sql.Array a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBigDecimal(int a0, java.math.BigDecimal a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBigDecimal(java.lang.String a0, java.math.BigDecimal a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBoolean(java.lang.String a0, boolean a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateByte(int a0, byte a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateByte(java.lang.String a0, byte a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateBytes(java.lang.String a0, byte[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateClob(java.lang.String a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateDate(int a0, java.sql.Date a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateDate(java.lang.String a0, java.sql.Date a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateDouble(int a0, double a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateDouble(java.lang.String a0, double a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateFloat(int a0, float a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateFloat(java.lang.String a0, float a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateInt(int a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateInt(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateLong(int a0, long a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateLong(java.lang.String a0, long a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNString(int a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNull(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateNull(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1, java.sql.SQLType a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1, java.sql.SQLType a2, int a3) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1, java.sql.SQLType a2) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1, java.sql.SQLType a2, int a3) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateRef(java.lang.String a0, java.sql.Ref a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateRow() throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateRowId(java.lang.String a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateSQLXML(java.lang.String a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateShort(int a0, short a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateShort(java.lang.String a0, short a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateString(int a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateTime(int a0, java.sql.Time a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateTime(java.lang.String a0, java.sql.Time a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateTimestamp(int a0, java.sql.Timestamp a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }

    @Override
    public void updateTimestamp(java.lang.String a0, java.sql.Timestamp a1) throws java.sql.SQLException {
        throw Errors.unsupported("updatable result sets");
    }
}
