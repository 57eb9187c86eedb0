package io.pgtc.hikaritests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DatabaseMetaData of the driver under test against PgJDBC's on the same server: every method
 * without arguments or with simple ones (the supportsX/getX answers), and the catalog result sets
 * that Hibernate, Flyway and Spring read, over a small schema created here (result set column
 * labels and types, and rows; for getTypeInfo the set of type names). The reference is PgJDBC
 * through the URL in the system property hikaritests.reference (bindings/java/hikari-test sets it
 * for the pgtc run, with PgJDBC's jar on the class path); without it the checks are skipped.
 */
final class MetaDataChecks {
    /**
     * Answers that differ on purpose: the driver's own name, version and URL. Each key is a
     * method (with its arguments), each value why.
     */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("getDriverName()", "each driver names itself"),
            Map.entry("getDriverVersion()", "each driver's own version"),
            Map.entry("getDriverMajorVersion()", "each driver's own version"),
            Map.entry("getDriverMinorVersion()", "each driver's own version"),
            Map.entry("getURL()", "jdbc:pgtc://primary,standby/… against jdbc:postgresql://primary/…"),
            Map.entry("supportsResultSetType(1004)", "pgtc's result sets are forward-only"),
            Map.entry("supportsResultSetConcurrency(1004, 1007)", "pgtc's result sets are forward-only"),
            Map.entry("supportsResultSetConcurrency(1004, 1008)", "pgtc's result sets are forward-only and read-only"),
            Map.entry("supportsResultSetConcurrency(1003, 1008)", "pgtc's result sets are read-only"),
            Map.entry("supportsRefCursors()", "pgtc's driver has no REF_CURSOR getter"),
            Map.entry("getMaxConnections()", "pgtc reads the server's max_connections; PgJDBC answers 8192 whatever the server"),
            Map.entry("getRowIdLifetime()", "pgtc answers ROWID_UNSUPPORTED; PgJDBC throws SQLFeatureNotSupportedException 0A000, which HikariCP evicts on"),
            Map.entry("getSQLKeywords()", "pgtc lists the words PostgreSQL reserves in some context (pg_get_keywords() catcode R, C, T: those an identifier"
                    + " must be quoted for); PgJDBC every PostgreSQL keyword that is not an SQL:2003 one"),
            Map.entry("getNumericFunctions()", "pgtc lists every {fn} its escapes rewrite; PgJDBC leaves some out"),
            Map.entry("getStringFunctions()", "pgtc lists every {fn} its escapes rewrite; PgJDBC leaves out insert, locate, right and others"),
            Map.entry("getTimeDateFunctions()", "pgtc lists every {fn} its escapes rewrite; PgJDBC leaves out timestampdiff and others"));

    /**
     * Result set differences on purpose. Catalog columns (TABLE_CAT, PKTABLE_CAT, …) hold the
     * current database with pgtc, as with PgJDBC 42.7.5 and later (its commit 17cac52f, "per
     * JDBC spec"), where the PgJDBC compared here (Debian's 42.5) has NULL; and getCatalogs lists
     * every database that accepts connections, as PgJDBC 42.7.5 does, where 42.5 lists the
     * current one only. Labels are compared ignoring case (JDBC's lookups by label ignore it).
     */
    static boolean catalogColumn(String label) {
        String l = label.toUpperCase(java.util.Locale.ROOT);
        return l.endsWith("_CAT") || l.equals("TABLE_CATALOG");
    }

    private final Checks checks;

    MetaDataChecks(Checks checks) {
        this.checks = checks;
    }

    void runAll() throws SQLException {
        String reference = System.getProperty("hikaritests.reference");
        checks.exec("DROP SCHEMA IF EXISTS jt_md CASCADE");
        checks.exec("CREATE SCHEMA jt_md");
        checks.exec("CREATE TABLE jt_md.parent (id int PRIMARY KEY, name varchar(20) NOT NULL UNIQUE, born date)");
        checks.exec("CREATE TABLE jt_md.child (id bigserial PRIMARY KEY, parent_id int REFERENCES jt_md.parent (id) ON DELETE CASCADE,"
                + " note text, amount numeric(10,2) DEFAULT 0, flag boolean, at timestamptz, tag char(3), raw bytea, u uuid, j jsonb, d double precision)");
        checks.exec("COMMENT ON TABLE jt_md.child IS 'the child table'");
        checks.exec("COMMENT ON COLUMN jt_md.child.note IS 'a note'");
        checks.exec("CREATE INDEX child_note ON jt_md.child (note DESC)");
        checks.exec("CREATE VIEW jt_md.v AS SELECT id, name FROM jt_md.parent");
        checks.exec("CREATE SEQUENCE jt_md.seq");
        checks.exec("CREATE FUNCTION jt_md.f(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT a'");
        checks.exec("CREATE PROCEDURE jt_md.p(x int) LANGUAGE sql AS 'SELECT x'");
        checks.exec("CREATE FUNCTION jt_md.g(IN a int, OUT b int, OUT c text) LANGUAGE sql AS 'SELECT a, a::text'");
        checks.exec("CREATE FUNCTION jt_md.h(int) RETURNS SETOF jt_md.parent LANGUAGE sql AS 'SELECT * FROM jt_md.parent WHERE id = $1'");
        try {
            run(reference);
        } finally {
            checks.exec("DROP SCHEMA jt_md CASCADE");
        }
    }

    private interface Call {
        ResultSet on(DatabaseMetaData md) throws SQLException;
    }

    private void run(String reference) {
        String[][] names = {
            {"getSchemas()", ""}, {"getSchemas(null, jt_md)", ""}, {"getCatalogs()", ""}, {"getTableTypes()", ""},
            {"getTables(null, jt_md, %, null)", ""}, {"getTables(null, jt_md, %, [TABLE, VIEW])", ""},
            {"getColumns(null, jt_md, %, %)", ""}, {"getPrimaryKeys(null, jt_md, child)", ""},
            {"getImportedKeys(null, jt_md, child)", ""}, {"getExportedKeys(null, jt_md, parent)", ""},
            {"getCrossReference(null, jt_md, parent, null, jt_md, child)", ""},
            {"getIndexInfo(null, jt_md, child, false, true)", ""}, {"getIndexInfo(null, jt_md, parent, true, true)", ""},
            {"getTypeInfo()", "names"}, {"getProcedures(null, jt_md, %)", ""}, {"getFunctions(null, jt_md, %)", ""},
            {"getProcedureColumns(null, jt_md, %, %)", ""}, {"getFunctionColumns(null, jt_md, %, %)", ""},
            {"getBestRowIdentifier(null, jt_md, child, bestRowSession, true)", ""}, {"getBestRowIdentifier(null, jt_md, v, bestRowSession, true)", ""},
            {"getVersionColumns(null, jt_md, child)", ""}, {"getClientInfoProperties()", ""},
        };
        Call[] calls = {
            DatabaseMetaData::getSchemas, md -> md.getSchemas(null, "jt_md"), DatabaseMetaData::getCatalogs, DatabaseMetaData::getTableTypes,
            md -> md.getTables(null, "jt_md", "%", null), md -> md.getTables(null, "jt_md", "%", new String[] {"TABLE", "VIEW"}),
            md -> md.getColumns(null, "jt_md", "%", "%"), md -> md.getPrimaryKeys(null, "jt_md", "child"),
            md -> md.getImportedKeys(null, "jt_md", "child"), md -> md.getExportedKeys(null, "jt_md", "parent"),
            md -> md.getCrossReference(null, "jt_md", "parent", null, "jt_md", "child"),
            md -> md.getIndexInfo(null, "jt_md", "child", false, true), md -> md.getIndexInfo(null, "jt_md", "parent", true, true),
            DatabaseMetaData::getTypeInfo, md -> md.getProcedures(null, "jt_md", "%"), md -> md.getFunctions(null, "jt_md", "%"),
            md -> md.getProcedureColumns(null, "jt_md", "%", "%"), md -> md.getFunctionColumns(null, "jt_md", "%", "%"),
            md -> md.getBestRowIdentifier(null, "jt_md", "child", DatabaseMetaData.bestRowSession, true),
            md -> md.getBestRowIdentifier(null, "jt_md", "v", DatabaseMetaData.bestRowSession, true),
            md -> md.getVersionColumns(null, "jt_md", "child"), DatabaseMetaData::getClientInfoProperties,
        };
        checks.run("metadata.compare.answers", () -> {
            DatabaseMetaData[] both = open(reference);
            try {
                return answers(both[0], both[1]);
            } finally {
                close(both);
            }
        });
        String[] checkNames = {"getSchemas", "getSchemas.pattern", "getCatalogs", "getTableTypes", "getTables", "getTables.types", "getColumns",
            "getPrimaryKeys", "getImportedKeys", "getExportedKeys", "getCrossReference", "getIndexInfo", "getIndexInfo.unique", "getTypeInfo",
            "getProcedures", "getFunctions", "getProcedureColumns", "getFunctionColumns", "getBestRowIdentifier", "getBestRowIdentifier.noKey",
            "getVersionColumns", "getClientInfoProperties"};
        for (int i = 0; i < calls.length; i++) {
            final Call call = calls[i];
            final String name = names[i][0];
            final boolean typeNames = names[i][1].equals("names");
            checks.run("metadata.compare." + checkNames[i], () -> {
                DatabaseMetaData[] both = open(reference);
                try {
                    return compare(name, call, both[0], both[1], typeNames);
                } finally {
                    close(both);
                }
            });
        }
    }

    /** The driver under test's and the reference's metadata, or Skip without a reference. */
    private DatabaseMetaData[] open(String reference) throws Exception {
        if (reference == null) {
            throw new Checks.Skip("this driver is the reference (hikaritests.reference is not set)");
        }
        Connection mine = checks.plain();
        Connection ref = DriverManager.getConnection(reference, checks.user, checks.password);
        return new DatabaseMetaData[] {mine.getMetaData(), ref.getMetaData()};
    }

    private static void close(DatabaseMetaData[] both) throws SQLException {
        for (DatabaseMetaData md : both) {
            md.getConnection().close();
        }
    }

    /** One answer as text: the value, or the exception's class and SQLSTATE. */
    private static String answer(Method m, DatabaseMetaData md, Object[] args) {
        try {
            return String.valueOf(m.invoke(md, args));
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            return t instanceof SQLException ? "threw " + Checks.kind((SQLException) t) : "threw " + t;
        } catch (ReflectiveOperationException e) {
            return "threw " + e;
        }
    }

    /** The argument lists a method with int parameters is asked with. */
    private static List<Object[]> argumentLists(Method m) {
        Class<?>[] p = m.getParameterTypes();
        int[] types = {ResultSet.TYPE_FORWARD_ONLY, ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.TYPE_SCROLL_SENSITIVE};
        List<Object[]> out = new ArrayList<>();
        if (p.length == 0) {
            out.add(new Object[0]);
        } else if (p.length == 1 && p[0] == int.class) {
            int[] values = m.getName().contains("Isolation")
                    ? new int[] {Connection.TRANSACTION_NONE, Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
                        Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE}
                    : m.getName().contains("Holdability") ? new int[] {ResultSet.HOLD_CURSORS_OVER_COMMIT, ResultSet.CLOSE_CURSORS_AT_COMMIT} : types;
            for (int v : values) {
                out.add(new Object[] {v});
            }
        } else if (p.length == 2 && p[0] == int.class && p[1] == int.class && m.getName().equals("supportsResultSetConcurrency")) {
            for (int t : types) {
                out.add(new Object[] {t, ResultSet.CONCUR_READ_ONLY});
                out.add(new Object[] {t, ResultSet.CONCUR_UPDATABLE});
            }
        } else if (p.length == 2 && p[0] == int.class && p[1] == int.class && m.getName().equals("supportsConvert")) {
            int[] conv = {java.sql.Types.INTEGER, java.sql.Types.VARCHAR, java.sql.Types.TIMESTAMP};
            for (int a : conv) {
                for (int b : conv) {
                    out.add(new Object[] {a, b});
                }
            }
        }
        return out;
    }

    /** Every answer without arguments or with int arguments, compared. */
    private static String answers(DatabaseMetaData mine, DatabaseMetaData ref) throws Exception {
        Method[] methods = DatabaseMetaData.class.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName).thenComparing(m -> m.getParameterCount()));
        List<String> wrong = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        int asked = 0;
        for (Method m : methods) {
            Class<?> r = m.getReturnType();
            boolean simple = r == boolean.class || r == int.class || r == long.class || r == String.class || r == java.sql.RowIdLifetime.class;
            if (!simple) {
                continue;
            }
            for (Object[] args : argumentLists(m)) {
                String key = m.getName() + "(" + String.join(", ", Arrays.stream(args).map(String::valueOf).toArray(String[]::new)) + ")";
                String a = answer(m, mine, args);
                String b = answer(m, ref, args);
                asked++;
                if (a.equals(b)) {
                    continue;
                }
                String line = key + ": " + a + " / PgJDBC " + b;
                if (EXPECTED.containsKey(key)) {
                    expected.add(line + " (" + EXPECTED.get(key) + ")");
                } else {
                    wrong.add(line);
                }
            }
        }
        for (String e : expected) {
            System.err.println("  metadata: expected difference " + e);
        }
        for (String w : wrong) {
            System.err.println("  metadata: DIFFERS " + w);
        }
        Checks.expect(wrong.isEmpty(), wrong.size() + " of " + asked + " answers differ from PgJDBC's: " + wrong);
        return (asked - expected.size()) + " answers as PgJDBC's, " + expected.size() + " different on purpose (MetaDataChecks.EXPECTED)";
    }

    /** A result set's column labels and types, and its rows as text (or its set of type names). */
    private static List<String> dump(ResultSet r, boolean typeNames, String catalogIfNull) throws SQLException {
        List<String> out = new ArrayList<>();
        try (r) {
            ResultSetMetaData md = r.getMetaData();
            StringBuilder cols = new StringBuilder("columns");
            for (int c = 1; c <= md.getColumnCount(); c++) {
                cols.append(' ').append(md.getColumnLabel(c).toUpperCase(java.util.Locale.ROOT)).append(':').append(md.getColumnType(c));
            }
            out.add(cols.toString());
            TreeSet<String> names = new TreeSet<>();
            while (r.next()) {
                if (typeNames) {
                    names.add(r.getString("TYPE_NAME"));
                    continue;
                }
                StringBuilder row = new StringBuilder("row");
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    String v = r.getString(c);
                    if (v == null && catalogIfNull != null && catalogColumn(md.getColumnLabel(c))) {
                        v = catalogIfNull; // see catalogColumn
                    }
                    row.append(" | ").append(md.getColumnLabel(c).toUpperCase(java.util.Locale.ROOT)).append('=').append(v);
                }
                out.add(row.toString());
            }
            if (typeNames) {
                out.add("type names " + names);
            }
        }
        return out;
    }

    private static String compare(String name, Call call, DatabaseMetaData mine, DatabaseMetaData ref, boolean typeNames) throws Exception {
        List<String> a;
        try {
            a = dump(call.on(mine), typeNames, null);
        } catch (SQLException e) {
            a = List.of("threw " + Checks.kind(e) + ": " + e.getMessage());
        }
        List<String> b = dump(call.on(ref), typeNames, ref.getConnection().getCatalog());
        if (name.equals("getCatalogs()")) {
            // see catalogColumn: 42.5 lists the current database alone
            a = new ArrayList<>(a);
            String current = "row | TABLE_CAT=" + ref.getConnection().getCatalog();
            Checks.expect(a.contains(current), "getCatalogs lacks the current database: " + a);
            a.removeIf(x -> x.startsWith("row") && !x.equals(current));
        }
        if (a.equals(b)) {
            int count = typeNames ? b.get(1).split(", ").length : b.size() - 1;
            return count + (typeNames ? " type names" : " rows") + " and " + (b.get(0).split(" ").length - 1) + " columns (labels, types) as PgJDBC's";
        }
        List<String> diff = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(none)";
            String y = i < b.size() ? b.get(i) : "(none)";
            if (!Objects.equals(x, y)) {
                diff.add("#" + i + " " + x + "  //  PgJDBC " + y);
            }
        }
        for (String d : diff) {
            System.err.println("  metadata: " + name + " DIFFERS " + d);
        }
        if (typeNames && a.get(0).equals(b.get(0))) {
            TreeMap<String, String> missing = new TreeMap<>();
            missing.put("pgtc", a.get(a.size() - 1));
            missing.put("PgJDBC", b.get(b.size() - 1));
            throw new Checks.Failure("type names differ: " + missing);
        }
        throw new Checks.Failure(name + ": " + diff.size() + " lines differ from PgJDBC's, first: " + diff.get(0));
    }
}
