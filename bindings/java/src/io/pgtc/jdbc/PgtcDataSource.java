package io.pgtc.jdbc;

import io.pgtc.PgtcException;
import io.pgtc.Pool;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for pgtc: {@code setUrl("jdbc:pgtc://…")}, {@code setUser}, {@code
 * setPassword}, {@code setProperty(key, value)} (the keys of the driver's URL). By default each
 * {@link #getConnection()} opens a new logical connection; with {@code setPooled(true)} the
 * connections come from one pgtc pool ({@link io.pgtc.Pool}, sized by the POOL_* attributes),
 * opened at the first getConnection, and {@code close()} of a connection gives it back (reset
 * by the pool). {@link #close()} closes that pool.
 */
public class PgtcDataSource implements DataSource, AutoCloseable {
    private String url = "jdbc:pgtc:";
    private final Properties properties = new Properties();
    private boolean pooled;
    private Pool pool;
    private PrintWriter logWriter;
    private int loginTimeout;

    /** Gives a pooled connection back to its pool. */
    interface Release {
        void release(PgtcConnection conn);
    }

    public synchronized void setUrl(String url) throws SQLException {
        if (!ConnectionUrl.accepts(url)) {
            throw Errors.of("not a pgtc JDBC URL: " + url, "08001");
        }
        this.url = url;
    }

    public synchronized String getUrl() {
        return url;
    }

    public synchronized void setUser(String user) {
        properties.setProperty("user", user);
    }

    public synchronized String getUser() {
        return properties.getProperty("user");
    }

    public synchronized void setPassword(String password) {
        properties.setProperty("password", password);
    }

    /** Any key the driver's URL takes (libpq keys, pgtc attributes, PgJDBC names). */
    public synchronized void setProperty(String key, String value) {
        properties.setProperty(key, value);
    }

    /** True: connections come from one pgtc pool; false (the default): one new connection each. */
    public synchronized void setPooled(boolean pooled) throws SQLException {
        if (pool != null) {
            throw Errors.of("the pool is already open", "55000");
        }
        this.pooled = pooled;
    }

    public synchronized boolean isPooled() {
        return pooled;
    }

    @Override
    public java.sql.Connection getConnection() throws SQLException {
        ConnectionUrl parsed;
        synchronized (this) {
            parsed = ConnectionUrl.parse(url, properties);
            if (pooled && pool == null) {
                try {
                    pool = Pool.open(parsed.conninfo);
                } catch (PgtcException e) {
                    throw Errors.wrap(e);
                }
            }
        }
        try {
            if (!pooled) {
                return new PgtcConnection(io.pgtc.Connection.open(parsed.conninfo), url, parsed.defaultFetchSize);
            }
            io.pgtc.Connection lent = pool.getConnection();
            return new PgtcConnection(lent, url, parsed.defaultFetchSize, c -> c.pc.close());
        } catch (PgtcException e) {
            throw Errors.wrap(e);
        }
    }

    @Override
    public java.sql.Connection getConnection(String user, String password) throws SQLException {
        if (pooled) {
            throw Errors.unsupported("getConnection(user, password) on a pooled PgtcDataSource");
        }
        ConnectionUrl parsed;
        synchronized (this) {
            Properties p = new Properties();
            p.putAll(properties);
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            parsed = ConnectionUrl.parse(url, p);
        }
        try {
            return new PgtcConnection(io.pgtc.Connection.open(parsed.conninfo), url, parsed.defaultFetchSize);
        } catch (PgtcException e) {
            throw Errors.wrap(e);
        }
    }

    /** The pool's counters (pooled mode, once open), else null. */
    public synchronized io.pgtc.PoolStats poolStats() throws SQLException {
        try {
            return pool == null ? null : pool.stats();
        } catch (PgtcException e) {
            throw Errors.wrap(e);
        }
    }

    /** Closes the pool (pooled mode); lent connections stay usable until closed. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    @Override
    public synchronized PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public synchronized void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public synchronized void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
        if (seconds > 0) {
            properties.setProperty("connect_timeout", Integer.toString(seconds));
        } else {
            properties.remove("connect_timeout");
        }
    }

    @Override
    public synchronized int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw Errors.unsupported("getParentLogger");
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
