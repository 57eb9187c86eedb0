package io.pgtc;

/**
 * A snapshot of a {@link Pool}'s statistics ({@code pgtc_pool_stats}): sizes now, and counts
 * since the pool opened.
 *
 * @param max the bound on logical connections ({@code POOL_MAX})
 * @param min the connections kept warm ({@code POOL_MIN})
 * @param total logical connections open now, idle or in use
 * @param idle open connections waiting in the pool
 * @param inUse connections lent out now
 * @param waiting acquirers waiting now for a connection
 * @param acquired connections handed out since the pool opened
 * @param timeouts acquires that gave up ({@link Status#POOL_TIMEOUT})
 * @param created logical connections opened
 * @param closed logical connections closed (lifetime, idle timeout, broken, pool closed)
 * @param resets releases that needed a round trip to reset session state
 * @param waitNanos nanoseconds acquirers spent waiting, summed
 */
public record PoolStats(
        long max,
        long min,
        long total,
        long idle,
        long inUse,
        long waiting,
        long acquired,
        long timeouts,
        long created,
        long closed,
        long resets,
        long waitNanos) {

    /** The number of {@code uint64_t} fields of {@code pgtc_pool_stats}, in this order. */
    static final int FIELDS = 12;

    static PoolStats of(long[] v) {
        return new PoolStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
}
