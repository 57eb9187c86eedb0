package io.pgtc;

/** Where a statement ran ({@link Result#server()}) or would run ({@link Route}): {@code pgtc_server}. */
public enum Server {
    /** Nowhere: pgtc answered alone (or nothing to run it on). */
    NONE(0),
    /** The primary. */
    PRIMARY(1),
    /** The hot standby. */
    SECONDARY(2),
    /** Both servers (session settings such as SET). */
    BOTH(3);

    private final int code;

    Server(int code) {
        this.code = code;
    }

    /** The {@code pgtc_server} value (bit flags: BOTH = PRIMARY | SECONDARY). */
    public int code() {
        return code;
    }

    /** The constant for a {@code pgtc_server} value; NONE for an unknown one. */
    public static Server fromCode(int code) {
        switch (code) {
            case 1:
                return PRIMARY;
            case 2:
                return SECONDARY;
            case 3:
                return BOTH;
            default:
                return NONE;
        }
    }
}
