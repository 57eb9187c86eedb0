package io.pgtc;

import io.pgtc.PgtcLibrary.SizeT;
import java.util.ArrayList;
import java.util.List;

/** Process-wide facts of the loaded library. */
public final class Pgtc {
    private Pgtc() {}

    /** The library's version, e.g. "0.1.0". */
    public static String version() {
        return PgtcLibrary.INSTANCE.pgtc_version();
    }

    /** A {@link Counter} summed over every connection this process has opened. */
    public static long processCounter(int counter) {
        return PgtcLibrary.INSTANCE.pgtc_process_counter(counter);
    }

    /** pgtc's attributes (PREFERRED_ACCESS, AUTOCOMMIT, …), asked of the library, in its order. */
    public static List<Attribute> attributes() {
        PgtcLibrary lib = PgtcLibrary.INSTANCE;
        long n = lib.pgtc_attr_count().longValue();
        List<Attribute> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            SizeT at = new SizeT(i);
            out.add(new Attribute(lib.pgtc_attr_name(at), lib.pgtc_attr_default(at), lib.pgtc_attr_doc(at)));
        }
        return List.copyOf(out);
    }
}
