package io.pgtc;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;

/** The Cleaner that frees native handles whose Java owner was garbage-collected unclosed. */
final class Handles {
    private Handles() {}

    static final Cleaner CLEANER = Cleaner.create();

    /**
     * Frees a pgtc_conn (gives a pooled one back to its pool); runs at most once
     * (Cleaner.Cleanable guarantees it).
     */
    static final class FreeConn implements Runnable {
        private final Pointer ptr;

        FreeConn(Pointer ptr) {
            this.ptr = ptr;
        }

        @Override
        public void run() {
            PgtcLibrary.INSTANCE.pgtc_conn_free(ptr);
        }
    }

    /** Frees a pgtc_pool; runs at most once. */
    static final class FreePool implements Runnable {
        private final Pointer ptr;

        FreePool(Pointer ptr) {
            this.ptr = ptr;
        }

        @Override
        public void run() {
            PgtcLibrary.INSTANCE.pgtc_pool_free(ptr);
        }
    }

    /** Frees a pgtc_result; runs at most once. */
    static final class FreeResult implements Runnable {
        private final Pointer ptr;

        FreeResult(Pointer ptr) {
            this.ptr = ptr;
        }

        @Override
        public void run() {
            PgtcLibrary.INSTANCE.pgtc_result_free(ptr);
        }
    }

    /** Refuses strings with NUL characters, which C would silently cut at. */
    static String text(String s, String what) throws PgtcException {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new PgtcException(what + " contains a NUL character", null, Status.INVALID_ARGUMENT);
        }
        return s;
    }
}
