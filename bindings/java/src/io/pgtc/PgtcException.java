package io.pgtc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.sql.SQLException;

/**
 * A failed pgtc call: pgtc's message, the SQLSTATE ({@link #getSQLState()}: the server's, or the
 * one pgtc gives its own errors, e.g. 42704 for an unknown attribute, class 08 for connection
 * problems) and the {@code pgtc_status} ({@link #getStatus()}, also {@link #getErrorCode()}; see
 * {@link Status}).
 */
public class PgtcException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public PgtcException(String message, String sqlState, int status) {
        super(message, sqlState == null || sqlState.isEmpty() ? null : sqlState, status);
        this.status = status;
    }

    /** The {@code pgtc_status} the C call returned (never {@link Status#OK}). */
    public int getStatus() {
        return status;
    }

    /** Its stable name, e.g. "PGTC_STATUS_SQL". */
    public String getStatusName() {
        return Status.name(status);
    }

    /**
     * Throws the error a C call reported unless {@code status} is OK; frees the C error object in
     * every case.
     */
    static void check(int status, PointerByReference err) throws PgtcException {
        Pointer e = err.getValue();
        if (status == Status.OK) {
            if (e != null) {
                PgtcLibrary.INSTANCE.pgtc_error_free(e);
            }
            return;
        }
        if (e == null) {
            throw new PgtcException(Status.name(status), null, status);
        }
        try {
            PgtcLibrary lib = PgtcLibrary.INSTANCE;
            throw new PgtcException(lib.pgtc_error_message(e), lib.pgtc_error_sqlstate(e), status);
        } finally {
            PgtcLibrary.INSTANCE.pgtc_error_free(e);
        }
    }

    static PgtcException closed(String what) {
        return new PgtcException(what + " is closed", "08003", Status.INVALID_STATE);
    }
}
