package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Reads of libpgtc's memory (a result's block, the words a call wrote) as plain loads and copies
 * that the JIT compiles inline, through the JDK's {@code sun.misc.Unsafe} (module
 * jdk.unsupported), instead of a JNI call into JNA per read. On JDK 23 and later (which
 * deprecate those methods for removal, and warn at their first use from JDK 24), where that
 * class is not available, or with {@code -Dpgtc.unsafe=false}, the same reads go through JNA's
 * {@link Pointer}. Either way an address must be one libpgtc
 * handed out and has not freed: the callers read a result only while they own it.
 */
final class Raw {
    private Raw() {}

    private static final MethodHandle GET_LONG;
    private static final MethodHandle GET_INT;
    private static final MethodHandle COPY;
    private static final long BYTES;
    private static final long INTS;
    /** Whether reads bypass JNA. */
    static final boolean ENABLED;

    static {
        MethodHandle getLong = null;
        MethodHandle getInt = null;
        MethodHandle copy = null;
        long bytes = 0;
        long ints = 0;
        boolean ok = false;
        try {
            if ("false".equals(System.getProperty("pgtc.unsafe"))) {
                throw new IllegalStateException("turned off with -Dpgtc.unsafe=false");
            }
            if (Runtime.version().feature() >= 23) {
                // JDK 23 deprecates Unsafe's memory access for removal, and JDK 24 warns at its
                // first use: a driver must not print that into its users' logs.
                throw new IllegalStateException("not on JDK 23 and later");
            }
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object u = f.get(null);
            MethodHandles.Lookup l = MethodHandles.lookup();
            getLong = l.findVirtual(c, "getLong", MethodType.methodType(long.class, long.class)).bindTo(u);
            getInt = l.findVirtual(c, "getInt", MethodType.methodType(int.class, long.class)).bindTo(u);
            copy = l.findVirtual(c, "copyMemory",
                    MethodType.methodType(void.class, Object.class, long.class, Object.class, long.class, long.class)).bindTo(u);
            MethodHandle base = l.findVirtual(c, "arrayBaseOffset", MethodType.methodType(int.class, Class.class)).bindTo(u);
            MethodHandle scale = l.findVirtual(c, "arrayIndexScale", MethodType.methodType(int.class, Class.class)).bindTo(u);
            bytes = (int) base.invoke(byte[].class);
            ints = (int) base.invoke(int[].class);
            ok = (int) scale.invoke(byte[].class) == 1 && (int) scale.invoke(int[].class) == 4;
        } catch (Throwable e) { // not this JDK's, or not accessible: JNA reads
            ok = false;
        }
        GET_LONG = getLong;
        GET_INT = getInt;
        COPY = copy;
        BYTES = bytes;
        INTS = ints;
        ENABLED = ok;
    }

    private static IllegalStateException failed(Throwable e) {
        return new IllegalStateException("reading libpgtc's memory failed", e);
    }

    /** The 64-bit word at {@code address}. */
    static long getLong(long address) {
        if (!ENABLED) {
            return new Pointer(address).getLong(0);
        }
        try {
            return (long) GET_LONG.invokeExact(address);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** The 32-bit word at {@code address}. */
    static int getInt(long address) {
        if (!ENABLED) {
            return new Pointer(address).getInt(0);
        }
        try {
            return (int) GET_INT.invokeExact(address);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** {@code n} bytes from {@code address} (0 for none). */
    static byte[] bytes(long address, int n) {
        byte[] b = new byte[n];
        if (n == 0) {
            return b;
        }
        if (!ENABLED) {
            new Pointer(address).read(0, b, 0, n);
            return b;
        }
        try {
            COPY.invokeExact((Object) null, address, (Object) b, BYTES, (long) n);
        } catch (Throwable e) {
            throw failed(e);
        }
        return b;
    }

    /** Copies {@code n} bytes of {@code b} to {@code address}. */
    static void putBytes(long address, byte[] b, int n) {
        if (n == 0) {
            return;
        }
        if (!ENABLED) {
            new Pointer(address).write(0, b, 0, n);
            return;
        }
        try {
            COPY.invokeExact((Object) b, BYTES, (Object) null, address, (long) n);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** Copies {@code n} 32-bit words of {@code v} to {@code address}. */
    static void putInts(long address, int[] v, int n) {
        if (n == 0) {
            return;
        }
        if (!ENABLED) {
            new Pointer(address).write(0, v, 0, n);
            return;
        }
        try {
            COPY.invokeExact((Object) v, INTS, (Object) null, address, 4L * n);
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /** {@code n} 32-bit words from {@code address} (0 for none). */
    static int[] ints(long address, int n) {
        int[] v = new int[n];
        if (n == 0) {
            return v;
        }
        if (!ENABLED) {
            new Pointer(address).read(0, v, 0, n);
            return v;
        }
        try {
            COPY.invokeExact((Object) null, address, (Object) v, INTS, 4L * n);
        } catch (Throwable e) {
            throw failed(e);
        }
        return v;
    }
}
