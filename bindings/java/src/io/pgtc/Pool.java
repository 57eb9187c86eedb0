package io.pgtc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Cleaner;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A pool of pgtc logical connections, owning a native {@code pgtc_pool}: the DataSource of
 * pgtc's own Java API. {@link #getConnection()} lends a {@link Connection}; its {@link
 * Connection#close()} gives it back, rolled back if a transaction was open and with its session
 * state reset (the pool does that, in the library).
 *
 * <pre>{@code
 * try (Pool pool = Pool.open("host=a,b port=5432,5432 user=app dbname=app"
 *         + " PREFERRED_ACCESS=READ_MOSTLY POOL_MAX=8 POOL_ACQUIRE_TIMEOUT_MS=2000")) {
 *     // in each request, on any thread:
 *     try (Connection conn = pool.getConnection();
 *          Result res = conn.exec("SELECT name FROM users WHERE id = $1", "42")) {
 *         System.out.println(res.getString(0, 0));
 *     }
 * }
 * }</pre>
 *
 * <p>The pool's attributes ({@code POOL_MAX}, {@code POOL_MIN}, {@code POOL_ACQUIRE_TIMEOUT_MS},
 * {@code POOL_MAX_LIFETIME_MS}, {@code POOL_IDLE_TIMEOUT_MS}) go in the connection string with
 * the connections' own. When no connection comes free within {@code POOL_ACQUIRE_TIMEOUT_MS},
 * {@link #getConnection()} throws a {@link PgtcException} with status {@link
 * Status#POOL_TIMEOUT} (SQLSTATE 53300) whose message names the pool size and the wait; waiters
 * are served first come, first served.
 *
 * <p>A lent Connection is an ordinary {@link Connection} (one thread at a time, every method
 * synchronized); once closed (given back) every fallible call on it throws {@link
 * PgtcException} with status {@link Status#INVALID_STATE} and SQLSTATE 08003, so a connection
 * used after it was given back can never reach another request's session. A lent Connection
 * that becomes unreachable unclosed is given back by the {@link Cleaner}.
 *
 * <p>Thread safety: a Pool may be used from any number of threads at once. {@link #close()}
 * waits for acquires in progress, then frees the native pool: its idle connections are closed,
 * and connections still lent out stay usable and are closed when they are given back.
 *
 * <p>This is not a {@code javax.sql.DataSource}: it lends {@code io.pgtc.Connection}s, not JDBC
 * connections. A JDBC driver's DataSource (for HikariCP and the like) is a separate layer.
 */
public final class Pool implements AutoCloseable {
    private static final PgtcLibrary LIB = PgtcLibrary.INSTANCE;

    private Pointer ptr; // null once closed; guarded by lock
    private final Cleaner.Cleanable cleanable;
    // Acquires and stats share the pool (read lock); close() frees it (write lock), never while
    // a native call on it is in progress.
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private Pool(Pointer ptr) {
        this.ptr = ptr;
        this.cleanable = Handles.CLEANER.register(this, new Handles.FreePool(ptr));
    }

    /**
     * Opens a pool ({@code pgtc_pool_open}) over the servers of a connection string (as {@link
     * Connection#open(String)} takes it), plus the pool's attributes. Bad attributes throw here
     * ({@link Status#INVALID_ATTRIBUTE_VALUE} for a value out of range).
     */
    public static Pool open(String conninfo) throws PgtcException {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int st = LIB.pgtc_pool_open(Handles.text(conninfo, "conninfo"), out, err);
        PgtcException.check(st, err);
        return new Pool(out.getValue());
    }

    /**
     * Lends a connection ({@code pgtc_pool_acquire}): an idle one, a new one while the pool is
     * below {@code POOL_MAX}, or the next one given back, waiting at most {@code
     * POOL_ACQUIRE_TIMEOUT_MS}. Close the Connection to give it back.
     *
     * @throws PgtcException {@link Status#POOL_TIMEOUT} when none came free in time; {@link
     *     Status#INVALID_STATE} (08003) once the pool is closed; connection errors as {@link
     *     Connection#open(String)} reports them
     */
    public Connection getConnection() throws PgtcException {
        lock.readLock().lock();
        try {
            if (ptr == null) {
                throw PgtcException.closed("pgtc Pool");
            }
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = LIB.pgtc_pool_acquire(ptr, out, err);
            PgtcException.check(st, err);
            return Connection.lent(out.getValue());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A snapshot of the pool's statistics ({@code pgtc_pool_get_stats}). */
    public PoolStats stats() throws PgtcException {
        lock.readLock().lock();
        try {
            if (ptr == null) {
                throw PgtcException.closed("pgtc Pool");
            }
            long[] v = new long[PoolStats.FIELDS]; // pgtc_pool_stats: 12 uint64_t, no padding
            int st = LIB.pgtc_pool_get_stats(ptr, v);
            if (st != Status.OK) {
                throw new PgtcException("pgtc_pool_get_stats: " + Status.name(st), null, st);
            }
            return PoolStats.of(v);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return ptr == null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Closes the pool ({@code pgtc_pool_free}) once the acquires in progress have returned: idle
     * connections are closed; lent ones stay usable and are closed when given back. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (ptr != null) {
                ptr = null;
                cleanable.clean();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
