package io.pgtc.jdbc;

import io.pgtc.Attribute;
import io.pgtc.PgtcException;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * pgtc's JDBC driver: {@code jdbc:pgtc://primary:5432,standby:5432/db?user=…&PREFERRED_ACCESS=READ_MOSTLY}
 * (see {@link ConnectionUrl} for the forms and the keys). Registered with {@link DriverManager}
 * when loaded, and found through {@code META-INF/services/java.sql.Driver}. libpgtc is loaded
 * through JNA from {@code PGTC_LIBRARY} or {@code jna.library.path}.
 */
public final class Driver implements java.sql.Driver {
    static final int MAJOR = 0;
    static final int MINOR = 1;
    static final String NAME = "pgtc JDBC driver";

    static {
        try {
            DriverManager.registerDriver(new Driver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public java.sql.Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        try {
            ConnectionUrl parsed = ConnectionUrl.parse(url, info);
            return new PgtcConnection(io.pgtc.Connection.open(parsed.conninfo), url, parsed.defaultFetchSize);
        } catch (PgtcException e) {
            throw Errors.wrap(e);
        } catch (LinkageError e) {
            throw Errors.of("libpgtc cannot be loaded (set -Djna.library.path=<its directory> or PGTC_LIBRARY=<its path>): " + e.getMessage(), "08001", 0, e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return ConnectionUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Properties given = new Properties();
        if (info != null) {
            given.putAll(info);
        }
        List<DriverPropertyInfo> out = new ArrayList<>();
        for (String key : ConnectionUrl.LIBPQ_KEYS) {
            DriverPropertyInfo p = new DriverPropertyInfo(key, given.getProperty(key));
            p.description = "libpq connection key " + key;
            p.required = false;
            out.add(p);
        }
        for (Attribute a : ConnectionUrl.attributes().values()) {
            DriverPropertyInfo p = new DriverPropertyInfo(a.name(), given.getProperty(a.name(), a.defaultValue()));
            p.description = a.doc();
            out.add(p);
        }
        for (String alias : List.of("ApplicationName", "connectTimeout", "loginTimeout", "readOnly", "ssl", "tcpKeepAlive", ConnectionUrl.DEFAULT_ROW_FETCH_SIZE)) {
            DriverPropertyInfo p = new DriverPropertyInfo(alias, given.getProperty(alias));
            String target = ConnectionUrl.ALIASES.get(alias.toLowerCase(java.util.Locale.ROOT));
            p.description = target == null ? "rows per batch when a statement streams (0: read whole)" : "PgJDBC's name for " + target;
            out.add(p);
        }
        return out.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return MAJOR;
    }

    @Override
    public int getMinorVersion() {
        return MINOR;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw Errors.unsupported("getParentLogger");
    }
}
