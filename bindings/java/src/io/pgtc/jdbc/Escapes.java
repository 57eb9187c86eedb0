package io.pgtc.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JDBC's escape syntax rewritten as PostgreSQL's SQL: {@code {fn name(args)}} (JDBC's scalar
 * functions, {@link #FUNCTIONS}), {@code {d '…'}}, {@code {t '…'}}, {@code {ts '…'}}, {@code {oj
 * …}}, {@code {escape '…'}}, {@code {limit n [offset m]}}, {@code {call f(…)}} and {@code {? =
 * call f(…)}}. Escapes nest; braces inside string literals, quoted identifiers, dollar quotes and
 * comments are left alone (found as {@link SqlText} finds them). {@code ?} markers are copied, each
 * once and in their order, so that parameter numbering is not changed by a rewriting. A malformed
 * escape, an unknown function or a wrong argument count is SQLSyntaxErrorException 42601 naming
 * the escape.
 */
final class Escapes {
    /** A rewritten text; {@code returns}: it was {@code {? = call …}}, whose slot is not in sql. */
    static final class Call {
        final String sql;
        final boolean returns;

        Call(String sql, boolean returns) {
            this.sql = sql;
            this.returns = returns;
        }
    }

    /** The rewriting of one {fn …}: its arguments, already rewritten, to SQL. */
    private interface Render {
        String sql(List<String> a) throws SQLException;
    }

    private static final class Fn {
        final String category;
        final int min;
        final int max;
        final Render render;

        Fn(String category, int min, int max, Render render) {
            this.category = category;
            this.min = min;
            this.max = max;
            this.render = render;
        }
    }

    static final String NUMERIC = "numeric";
    static final String STRING = "string";
    static final String TIMEDATE = "timedate";
    static final String SYSTEM = "system";

    /** JDBC's scalar functions (JDBC 4.3, appendix C) that pgtc rewrites, by lower-case name. */
    private static final Map<String, Fn> FUNCTIONS = new LinkedHashMap<>();

    private static void fn(String name, String category, int min, int max, Render r) {
        FUNCTIONS.put(name, new Fn(category, min, max, r));
    }

    /** The same function under PostgreSQL's name {@code pg}, arguments as given. */
    private static void same(String name, String category, int min, int max, String pg) {
        fn(name, category, min, max, a -> pg + "(" + String.join(", ", a) + ")");
    }

    static {
        for (String f : new String[] {"abs", "acos", "asin", "atan", "cos", "cot", "degrees", "exp", "floor", "radians", "sign", "sin", "sqrt", "tan"}) {
            same(f, NUMERIC, 1, 1, f);
        }
        same("atan2", NUMERIC, 2, 2, "atan2");
        same("ceiling", NUMERIC, 1, 1, "ceil");
        same("log", NUMERIC, 1, 1, "ln");
        same("log10", NUMERIC, 1, 1, "log");
        same("mod", NUMERIC, 2, 2, "mod");
        same("pi", NUMERIC, 0, 0, "pi");
        same("power", NUMERIC, 2, 2, "power");
        same("rand", NUMERIC, 0, 0, "random");
        // round/trunc with places exist for numeric only
        fn("round", NUMERIC, 1, 2, a -> a.size() == 1 ? "round(" + a.get(0) + ")" : "round(CAST(" + a.get(0) + " AS numeric), " + a.get(1) + ")");
        fn("truncate", NUMERIC, 1, 2, a -> a.size() == 1 ? "trunc(" + a.get(0) + ")" : "trunc(CAST(" + a.get(0) + " AS numeric), " + a.get(1) + ")");

        same("ascii", STRING, 1, 1, "ascii");
        same("char", STRING, 1, 1, "chr");
        same("char_length", STRING, 1, 1, "char_length");
        same("character_length", STRING, 1, 1, "char_length");
        fn("concat", STRING, 2, Integer.MAX_VALUE, a -> "(" + String.join(" || ", a) + ")");
        same("difference", STRING, 2, 2, "difference"); // the fuzzystrmatch extension
        fn("insert", STRING, 4, 4, a -> markers(a.subList(1, 4))
                ? wrap("overlay(s placing r from st for n)", a, "s text", "st integer", "n integer", "r text")
                : "overlay(" + a.get(0) + " placing " + a.get(3) + " from " + a.get(1) + " for " + a.get(2) + ")");
        same("lcase", STRING, 1, 1, "lower");
        same("left", STRING, 2, 2, "left");
        // JDBC: the number of characters without trailing blanks
        fn("length", STRING, 1, 1, a -> "length(trim(trailing from " + a.get(0) + "))");
        fn("locate", STRING, 2, 3, a -> a.size() == 2
                ? "position(" + a.get(0) + " in " + a.get(1) + ")"
                : wrap("CASE WHEN strpos(substr(s, st), f) = 0 THEN 0 ELSE strpos(substr(s, st), f) + st - 1 END", a, "f text", "s text", "st integer"));
        fn("ltrim", STRING, 1, 1, a -> "trim(leading from " + a.get(0) + ")");
        same("octet_length", STRING, 1, 1, "octet_length");
        fn("position", STRING, 1, 1, a -> "position(" + a.get(0) + ")"); // position(a IN b)
        same("repeat", STRING, 2, 2, "repeat");
        same("replace", STRING, 3, 3, "replace");
        same("right", STRING, 2, 2, "right");
        fn("rtrim", STRING, 1, 1, a -> "trim(trailing from " + a.get(0) + ")");
        same("soundex", STRING, 1, 1, "soundex"); // the fuzzystrmatch extension
        fn("space", STRING, 1, 1, a -> "repeat(' ', " + a.get(0) + ")");
        same("substring", STRING, 2, 3, "substr");
        same("ucase", STRING, 1, 1, "upper");

        fn("curdate", TIMEDATE, 0, 0, a -> "current_date");
        fn("current_date", TIMEDATE, 0, 0, a -> "current_date");
        fn("curtime", TIMEDATE, 0, 0, a -> "current_time");
        fn("current_time", TIMEDATE, 0, 0, a -> "current_time");
        fn("current_timestamp", TIMEDATE, 0, 0, a -> "current_timestamp");
        same("now", TIMEDATE, 0, 0, "now");
        fn("dayname", TIMEDATE, 1, 1, a -> "trim(to_char(" + a.get(0) + ", 'Day'))");
        fn("monthname", TIMEDATE, 1, 1, a -> "trim(to_char(" + a.get(0) + ", 'Month'))");
        fn("dayofmonth", TIMEDATE, 1, 1, a -> field("day", a.get(0)));
        fn("dayofweek", TIMEDATE, 1, 1, a -> "(" + field("dow", a.get(0)) + " + 1)");
        fn("dayofyear", TIMEDATE, 1, 1, a -> field("doy", a.get(0)));
        for (String f : new String[] {"hour", "minute", "month", "quarter", "week", "year"}) {
            fn(f, TIMEDATE, 1, 1, a -> field(f, a.get(0)));
        }
        fn("second", TIMEDATE, 1, 1, a -> "CAST(trunc(EXTRACT(second FROM " + a.get(0) + ")) AS integer)");
        fn("extract", TIMEDATE, 1, 1, a -> "EXTRACT(" + a.get(0) + ")"); // extract(field FROM source)
        fn("timestampadd", TIMEDATE, 3, 3, Escapes::timestampadd);
        fn("timestampdiff", TIMEDATE, 3, 3, Escapes::timestampdiff);

        fn("database", SYSTEM, 0, 0, a -> "current_database()");
        same("ifnull", SYSTEM, 2, 2, "coalesce");
        fn("user", SYSTEM, 0, 0, a -> "current_user");
        fn("convert", SYSTEM, 2, 2, Escapes::convert);
    }

    /** The escape names of a category, comma-separated (DatabaseMetaData.getNumericFunctions, …). */
    static String names(String category) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Fn> e : FUNCTIONS.entrySet()) {
            if (e.getValue().category.equals(category) && !e.getKey().equals("convert")) {
                out.add(e.getKey());
            }
        }
        return String.join(",", out);
    }

    private static String field(String f, String x) {
        return "CAST(EXTRACT(" + f + " FROM " + x + ") AS integer)";
    }

    /**
     * {@code expr} over the arguments named and typed by {@code columns} ("name type"), each
     * argument evaluated once and in its place: a rewriting that uses an argument twice or out of
     * order would otherwise change which value a {@code ?} marker takes.
     */
    private static String wrap(String expr, List<String> a, String... columns) {
        StringBuilder values = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            String[] nt = columns[i].split(" ", 2);
            values.append(i > 0 ? ", " : "").append("CAST(").append(a.get(i)).append(" AS ").append(nt[1]).append(')');
            names.append(i > 0 ? ", " : "").append(nt[0]);
        }
        return "(SELECT " + expr + " FROM (VALUES (" + values + ")) AS pgtc_fn(" + names + "))";
    }

    /** True when one of the texts holds a {@code ?} marker ({@code ??} is an operator). */
    private static boolean markers(List<String> texts) {
        for (String t : texts) {
            int i = 0;
            while (i < t.length()) {
                int e = SqlText.literalEnd(t, i);
                if (e >= 0) {
                    i = e;
                } else if (t.charAt(i) == '?') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '?') {
                        i += 2;
                    } else {
                        return true;
                    }
                } else {
                    i++;
                }
            }
        }
        return false;
    }

    /** A SQL_TSI_ unit as PostgreSQL's field and its seconds (0: months, quarters, years). */
    private static Object[] unit(String fn, String t) throws SQLException {
        String u = t.trim().toUpperCase(Locale.ROOT);
        if (u.startsWith("SQL_TSI_")) {
            u = u.substring(8);
        }
        switch (u) {
            case "SECOND":
                return new Object[] {"second", 1};
            case "MINUTE":
                return new Object[] {"minute", 60};
            case "HOUR":
                return new Object[] {"hour", 3600};
            case "DAY":
                return new Object[] {"day", 86400};
            case "WEEK":
                return new Object[] {"week", 604800};
            case "MONTH":
                return new Object[] {"month", 0};
            case "QUARTER":
                return new Object[] {"quarter", 0};
            case "YEAR":
                return new Object[] {"year", 0};
            case "FRAC_SECOND":
                throw Errors.of("{fn " + fn + "}: SQL_TSI_FRAC_SECOND has no agreed size (billionths in ODBC, microseconds elsewhere);"
                        + " use SQL_TSI_SECOND with a fraction", "42601");
            default:
                throw Errors.of("{fn " + fn + "}: unknown interval " + t.trim() + " (SQL_TSI_SECOND … SQL_TSI_YEAR)", "42601");
        }
    }

    private static String timestampadd(List<String> a) throws SQLException {
        Object[] u = unit("timestampadd", a.get(0));
        String step = u[0].equals("quarter") ? "3 month" : "1 " + u[0];
        return "((" + a.get(1) + ") * INTERVAL '" + step + "' + (" + a.get(2) + "))";
    }

    /** The whole intervals by which the third argument is after the second. */
    private static String timestampdiff(List<String> a) throws SQLException {
        Object[] u = unit("timestampdiff", a.get(0));
        String t1 = "CAST(" + a.get(1) + " AS timestamp)";
        String t2 = "CAST(" + a.get(2) + " AS timestamp)";
        int seconds = (Integer) u[1];
        if (seconds > 0) {
            // t2 - t1 as -(t1 - t2): the arguments stay in their order
            return "CAST(trunc(-EXTRACT(epoch FROM " + t1 + " - " + t2 + ") / " + seconds + ") AS bigint)";
        }
        int months = u[0].equals("month") ? 1 : u[0].equals("quarter") ? 3 : 12;
        return "(SELECT CAST(trunc(-(EXTRACT(year FROM d) * 12 + EXTRACT(month FROM d)) / " + months + ") AS bigint)"
                + " FROM age(" + t1 + ", " + t2 + ") AS pgtc_fn(d))";
    }

    /** CONVERT(value, type): the type as java.sql.Types names it, with or without ODBC's SQL_. */
    private static String convert(List<String> a) throws SQLException {
        String t = a.get(1).trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SQL_")) {
            t = t.substring(4);
        }
        String pg;
        switch (t) {
            case "BIGINT":
                pg = "bigint";
                break;
            case "INTEGER":
                pg = "integer";
                break;
            case "SMALLINT":
            case "TINYINT":
                pg = "smallint";
                break;
            case "REAL":
                pg = "real";
                break;
            case "FLOAT":
            case "DOUBLE":
                pg = "double precision";
                break;
            case "NUMERIC":
            case "DECIMAL":
                pg = "numeric";
                break;
            case "CHAR":
            case "VARCHAR":
            case "LONGVARCHAR":
            case "NCHAR":
            case "NVARCHAR":
            case "LONGNVARCHAR":
            case "CLOB":
                pg = "text";
                break;
            case "BIT":
            case "BOOLEAN":
                pg = "boolean";
                break;
            case "DATE":
                pg = "date";
                break;
            case "TIME":
                pg = "time";
                break;
            case "TIMESTAMP":
                pg = "timestamp";
                break;
            case "BINARY":
            case "VARBINARY":
            case "LONGVARBINARY":
            case "BLOB":
                pg = "bytea";
                break;
            default:
                throw Errors.of("{fn convert}: unknown type " + a.get(1).trim() + " (a java.sql.Types name such as INTEGER or VARCHAR)", "42601");
        }
        return "CAST(" + a.get(0) + " AS " + pg + ")";
    }

    /** The text with its escapes rewritten; {@code {? = call …}} is refused (it needs prepareCall). */
    static String translate(String sql) throws SQLException {
        return rewrite(sql, false).sql;
    }

    /** The text of a CallableStatement: also {@code {? = call …}}, as the whole statement. */
    static Call call(String sql) throws SQLException {
        return rewrite(sql, true);
    }

    private static Call rewrite(String sql, boolean allowReturn) throws SQLException {
        if (sql == null) {
            throw Errors.of("SQL is null", "22023");
        }
        if (sql.indexOf('{') < 0) {
            return new Call(sql, false);
        }
        Escapes e = new Escapes(sql, allowReturn);
        String out = e.text(TOP, 0);
        return new Call(out, e.returns);
    }

    private static final int TOP = 0; // the whole text
    private static final int BODY = 1; // up to the '}' of an escape
    private static final int ARG = 2; // up to the ',' or ')' after a function argument

    private final String in;
    private final boolean allowReturn;
    private int pos;
    private boolean returns;
    private boolean content; // top level: something besides whitespace and comments came
    private boolean ended; // top level: {? = call …} came, only whitespace, comments and ';' may follow

    private Escapes(String in, boolean allowReturn) {
        this.in = in;
        this.allowReturn = allowReturn;
    }

    private SQLException bad(int start, String message) {
        int end = in.indexOf('}', start);
        end = end < 0 || end - start > 60 ? Math.min(in.length(), start + 40) : end + 1;
        String shown = in.substring(start, end).replace('\n', ' ') + (end < in.length() && in.charAt(end - 1) != '}' ? "…" : "");
        return Errors.of("JDBC escape " + shown + " at offset " + start + ": " + message, "42601");
    }

    private void afterEnd(int at) throws SQLException {
        if (ended) {
            throw bad(at, "{? = call …} must be the whole statement");
        }
    }

    /** Copies from pos, rewriting escapes, to the end of {@code mode} (left unread). */
    private String text(int mode, int start) throws SQLException {
        StringBuilder out = new StringBuilder(in.length() - pos + 16);
        int depth = 0;
        int len = in.length();
        while (pos < len) {
            char c = in.charAt(pos);
            int e = SqlText.literalEnd(in, pos);
            if (e >= 0) {
                if (mode == TOP && c != '-' && c != '/') {
                    afterEnd(pos);
                    content = true;
                }
                out.append(in, pos, e);
                pos = e;
                continue;
            }
            if (c == '{') {
                int at = pos++;
                if (mode == TOP) {
                    afterEnd(at);
                }
                out.append(escape(at, mode == TOP && !content));
                if (mode == TOP) {
                    content = true;
                }
                continue;
            }
            if (c == '}' && mode != TOP) {
                return out.toString();
            }
            if (mode == ARG) {
                if (c == '(') {
                    depth++;
                } else if (c == ')' && depth-- == 0) {
                    return out.toString();
                } else if (c == ',' && depth == 0) {
                    return out.toString();
                }
            }
            if (mode == TOP && !Character.isWhitespace(c) && c != ';') {
                afterEnd(pos);
                content = true;
            }
            out.append(c);
            pos++;
        }
        if (mode != TOP) {
            throw bad(start, "no '}' closes it");
        }
        return out.toString();
    }

    private void skipSpace() {
        while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
            pos++;
        }
    }

    private boolean at(char c) {
        return pos < in.length() && in.charAt(pos) == c;
    }

    /** The rest of an escape's body, rewritten, and its '}' consumed. */
    private String body(int start) throws SQLException {
        String b = text(BODY, start);
        pos++; // the '}'
        return b.trim();
    }

    /** One escape; pos is after its '{'. {@code first}: nothing but whitespace came before it. */
    private String escape(int start, boolean first) throws SQLException {
        skipSpace();
        boolean ret = false;
        if (at('?')) {
            pos++;
            skipSpace();
            if (!at('=')) {
                throw bad(start, "'{?' must be followed by '= call'");
            }
            pos++;
            skipSpace();
            ret = true;
        }
        int k = pos;
        while (pos < in.length() && Character.isLetter(in.charAt(pos))) {
            pos++;
        }
        String kw = in.substring(k, pos).toLowerCase(Locale.ROOT);
        if (ret && !kw.equals("call")) {
            throw bad(start, "'{? =' must be followed by 'call'");
        }
        switch (kw) {
            case "fn":
                return function(start);
            case "d":
                return keyword(start, "DATE");
            case "t":
                return keyword(start, "TIME");
            case "ts":
                return keyword(start, "TIMESTAMP");
            case "escape":
                return keyword(start, "ESCAPE");
            case "limit":
                return keyword(start, "LIMIT");
            case "oj":
                return body(start);
            case "call":
                return call(start, ret, first);
            case "":
                throw bad(start, "no JDBC escape keyword (fn, d, t, ts, oj, escape, limit, call) after '{'");
            default:
                throw bad(start, "unknown JDBC escape {" + kw + " …}");
        }
    }

    private String keyword(int start, String sql) throws SQLException {
        String b = body(start);
        if (b.isEmpty()) {
            throw bad(start, "the escape has no value");
        }
        return sql + " " + b; // {limit n offset m} is PostgreSQL's LIMIT n OFFSET m
    }

    private String call(int start, boolean ret, boolean first) throws SQLException {
        if (ret && !allowReturn) {
            throw bad(start, "{? = call …} needs Connection.prepareCall");
        }
        if (ret && !first) {
            throw bad(start, "{? = call …} must be the whole statement");
        }
        String b = body(start);
        if (b.isEmpty() || !(Character.isLetter(b.charAt(0)) || b.charAt(0) == '_' || b.charAt(0) == '"')) {
            throw bad(start, "{call …} needs a function name");
        }
        if (ret) {
            returns = true;
            ended = true;
        }
        return "SELECT * FROM " + (b.endsWith(")") ? b : b + "()") + " AS result";
    }

    private String function(int start) throws SQLException {
        skipSpace();
        int k = pos;
        while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
            pos++;
        }
        String name = in.substring(k, pos);
        if (name.isEmpty()) {
            throw bad(start, "{fn …} needs a function name");
        }
        skipSpace();
        List<String> args = new ArrayList<>();
        if (at('(')) {
            pos++;
            while (true) {
                String a = text(ARG, start).trim();
                char stop = in.charAt(pos++);
                if (stop == '}') {
                    throw bad(start, "no ')' closes the arguments of " + name);
                }
                args.add(a);
                if (stop == ')') {
                    break;
                }
            }
            if (args.size() == 1 && args.get(0).isEmpty()) {
                args.clear();
            } else if (args.contains("")) {
                throw bad(start, name + " has an empty argument");
            }
            skipSpace();
        }
        if (!at('}')) {
            throw bad(start, pos < in.length() ? "unexpected text after " + name + "(…)" : "no '}' closes it");
        }
        pos++;
        Fn f = FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw bad(start, "unknown function " + name + " (DatabaseMetaData.getNumericFunctions, getStringFunctions, getTimeDateFunctions and getSystemFunctions list them)");
        }
        if (args.size() < f.min || args.size() > f.max) {
            String want = f.min == f.max ? Integer.toString(f.min) : f.max == Integer.MAX_VALUE ? f.min + " or more" : f.min + " to " + f.max;
            throw bad(start, name + " takes " + want + " argument" + (want.equals("1") ? "" : "s") + ", not " + args.size());
        }
        try {
            return f.render.sql(args);
        } catch (SQLException e) {
            throw bad(start, e.getMessage());
        }
    }
}
