package io.pgtc;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * The C ABI of pgtc ({@code include/pgtc.h}) as a JNA interface, one method per C function, with
 * the same names and argument order. The classes of this package wrap it; use it directly only to
 * reach something they do not.
 *
 * <p>Type mapping: handles are {@link Pointer}; {@code pgtc_status}, {@code pgtc_server}, {@code
 * pgtc_counter} and other {@code uint32_t} are {@code int}; {@code uint64_t} is {@code long};
 * {@code size_t} is {@link SizeT}; C {@code bool} is {@code byte} (only its low byte is defined
 * by the platform ABIs, so it must not be read as JNA's 32-bit {@code boolean}); {@code const
 * char *} results are {@code String}, decoded as UTF-8 (NULL gives {@code null}), and string
 * arguments are encoded as UTF-8.
 *
 * <p>The library is loaded on first use: from the path in the environment variable {@code
 * PGTC_LIBRARY} (or the system property {@code pgtc.library}) when set, otherwise as {@code pgtc}
 * (libpgtc.so) from {@code jna.library.path} and the system's library path.
 */
public interface PgtcLibrary extends Library {

    /** The loaded library. */
    PgtcLibrary INSTANCE = Loader.load();

    /** C {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** Finds and loads libpgtc. */
    final class Loader {
        private Loader() {}

        static PgtcLibrary load() {
            String path = System.getenv("PGTC_LIBRARY");
            if (path == null || path.isEmpty()) {
                path = System.getProperty("pgtc.library");
            }
            String name = path == null || path.isEmpty() ? "pgtc" : path;
            Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");
            try {
                return Native.load(name, PgtcLibrary.class, options);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError hint =
                        new UnsatisfiedLinkError(
                                "cannot load libpgtc ("
                                        + name
                                        + "): build it with 'cargo build --release' and run with"
                                        + " -Djna.library.path=<dir of libpgtc.so> or"
                                        + " PGTC_LIBRARY=<path of libpgtc.so>: "
                                        + e.getMessage());
                hint.initCause(e);
                throw hint;
            }
        }
    }

    String pgtc_version();

    String pgtc_status_name(int status);

    int pgtc_conn_open(String conninfo, PointerByReference connOut, PointerByReference errOut);

    int pgtc_conn_set_attr(Pointer conn, String name, String value, PointerByReference errOut);

    int pgtc_conn_get_attr(Pointer conn, String name, byte[] buf, SizeT len, PointerByReference errOut);

    SizeT pgtc_attr_count();

    String pgtc_attr_name(SizeT i);

    String pgtc_attr_default(SizeT i);

    String pgtc_attr_doc(SizeT i);

    int pgtc_conn_exec(Pointer conn, String sql, PointerByReference resultOut, PointerByReference errOut);

    /** {@code params}: a {@link com.sun.jna.StringArray} (null elements are SQL NULL) or null. */
    int pgtc_conn_exec_params(
            Pointer conn,
            String sql,
            SizeT nParams,
            Pointer params,
            PointerByReference resultOut,
            PointerByReference errOut);

    int pgtc_conn_connected(Pointer conn);

    byte pgtc_conn_in_transaction(Pointer conn);

    int pgtc_conn_explain(Pointer conn, String sql, PointerByReference routeOut, PointerByReference errOut);

    long pgtc_conn_counter(Pointer conn, int counter);

    long pgtc_process_counter(int counter);

    byte pgtc_conn_pinned(Pointer conn);

    int pgtc_conn_lsn_floor(Pointer conn, byte[] buf, SizeT bufLen, PointerByReference errOut);

    int pgtc_conn_raise_lsn_floor(Pointer conn, String lsn, PointerByReference errOut);

    int pgtc_conn_standby_lag_ms(Pointer conn, LongByReference lagMsOut, PointerByReference errOut);

    void pgtc_conn_free(Pointer conn);

    int pgtc_pool_open(String conninfo, PointerByReference poolOut, PointerByReference errOut);

    int pgtc_pool_acquire(Pointer pool, PointerByReference connOut, PointerByReference errOut);

    void pgtc_pool_release(Pointer pool, Pointer conn);

    void pgtc_pool_free(Pointer pool);

    /** {@code statsOut}: 12 elements, the {@code uint64_t} fields of {@code pgtc_pool_stats} in order. */
    int pgtc_pool_get_stats(Pointer pool, long[] statsOut);

    String pgtc_error_message(Pointer error);

    String pgtc_error_sqlstate(Pointer error);

    int pgtc_error_status(Pointer error);

    void pgtc_error_free(Pointer error);

    SizeT pgtc_result_rows(Pointer result);

    SizeT pgtc_result_cols(Pointer result);

    String pgtc_result_col_name(Pointer result, SizeT col);

    int pgtc_result_col_type(Pointer result, SizeT col);

    String pgtc_result_value(Pointer result, SizeT row, SizeT col);

    byte pgtc_result_is_null(Pointer result, SizeT row, SizeT col);

    long pgtc_result_affected(Pointer result);

    String pgtc_result_command(Pointer result);

    int pgtc_result_server(Pointer result);

    void pgtc_result_free(Pointer result);

    int pgtc_route_server(Pointer route);

    int pgtc_route_eligible(Pointer route);

    String pgtc_route_reason(Pointer route);

    void pgtc_route_free(Pointer route);

    /** Called with each notice of a connection ({@code pgtc_notice_handler}). */
    interface NoticeHandler extends com.sun.jna.Callback {
        void invoke(Pointer userData, Pointer notice, int server);
    }

    int pgtc_conn_cancel(Pointer conn, PointerByReference errOut);

    int pgtc_conn_set_notice_handler(Pointer conn, NoticeHandler handler, Pointer userData, PointerByReference errOut);

    String pgtc_error_field(Pointer error, int field);

    Pointer pgtc_error_results(Pointer error);

    SizeT pgtc_result_value_len(Pointer result, SizeT row, SizeT col);

    int pgtc_result_col_typmod(Pointer result, SizeT col);

    int pgtc_result_col_table(Pointer result, SizeT col);

    int pgtc_result_col_number(Pointer result, SizeT col);

    Pointer pgtc_result_next(Pointer result);

    /** {@code paramTypes}: OIDs, or null for all inferred. */
    int pgtc_conn_prepare(Pointer conn, String sql, SizeT nParams, int[] paramTypes, PointerByReference stmtOut, PointerByReference errOut);

    /** {@code params}: pointers to NUL-terminated text or to binary values of {@code paramLengths[i]} bytes. */
    int pgtc_stmt_exec_formats(
            Pointer stmt,
            SizeT nParams,
            Pointer[] params,
            int[] paramLengths,
            int[] paramFormats,
            PointerByReference resultOut,
            PointerByReference errOut);

    SizeT pgtc_stmt_param_count(Pointer stmt);

    int pgtc_stmt_param_type(Pointer stmt, SizeT i);

    SizeT pgtc_stmt_cols(Pointer stmt);

    void pgtc_stmt_free(Pointer stmt);

    int pgtc_conn_stream(Pointer conn, String sql, SizeT nParams, Pointer params, SizeT fetch, PointerByReference streamOut, PointerByReference errOut);

    int pgtc_stmt_stream(
            Pointer stmt,
            SizeT nParams,
            Pointer[] params,
            int[] paramLengths,
            int[] paramFormats,
            SizeT fetch,
            PointerByReference streamOut,
            PointerByReference errOut);

    int pgtc_stream_next(Pointer stream, PointerByReference resultOut, PointerByReference errOut);

    int pgtc_stream_close(Pointer stream, PointerByReference errOut);

    int pgtc_stream_server(Pointer stream);

    void pgtc_stream_free(Pointer stream);
}
