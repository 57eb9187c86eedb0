package io.pgtc.jdbc;

import java.sql.SQLException;

/**
 * JDBC's {@code ?} markers → PostgreSQL's {@code $1 … $n}, outside string literals ('…', E'…'),
 * quoted identifiers, comments (-- and nested block comments) and dollar quotes; {@code ??} is a
 * literal {@code ?} (PgJDBC's escape for operators such as {@code ?|}). Also counts the
 * statements of a text, so that only a single statement streams.
 */
final class SqlText {
    final String sql;
    final int params;
    final int statements;
    /** The text around the markers: params + 1 pieces, for rendering values inline. */
    final java.util.List<String> pieces;

    private SqlText(String sql, int params, int statements, java.util.List<String> pieces) {
        this.sql = sql;
        this.params = params;
        this.statements = statements;
        this.pieces = pieces;
    }

    static SqlText parse(String in, boolean markers) throws SQLException {
        if (in == null) {
            throw Errors.of("SQL is null", "22023");
        }
        StringBuilder out = new StringBuilder(in.length() + 8);
        int n = 0;
        int statements = 0;
        java.util.List<String> pieces = new java.util.ArrayList<>();
        int pieceStart = 0;
        boolean content = false;
        int i = 0;
        int len = in.length();
        while (i < len) {
            char c = in.charAt(i);
            int e = literalEnd(in, i);
            if (e >= 0) {
                out.append(in, i, e);
                content |= c != '-' && c != '/'; // a string, an identifier or a dollar quote
                i = e;
            } else if (c == '?' && markers) {
                if (i + 1 < len && in.charAt(i + 1) == '?') {
                    out.append('?');
                    i += 2;
                } else {
                    n++;
                    pieces.add(out.substring(pieceStart));
                    out.append('$').append(n);
                    pieceStart = out.length();
                    i++;
                }
                content = true;
            } else if (c == ';') {
                if (content) {
                    statements++;
                }
                content = false;
                out.append(c);
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    content = true;
                }
                out.append(c);
                i++;
            }
        }
        if (content) {
            statements++;
        }
        pieces.add(out.substring(pieceStart));
        return new SqlText(out.toString(), n, statements, pieces);
    }

    /**
     * The end (exclusive) of the string literal ('…', E'…' with backslash escapes), quoted
     * identifier, comment (-- to the end of the line, nested block comments) or dollar quote
     * starting at {@code i}, or -1 when none starts there. An unterminated one ends at the end of
     * the text. Shared with {@link Escapes}, so that markers and escapes are found alike.
     */
    static int literalEnd(String in, int i) {
        int len = in.length();
        char c = in.charAt(i);
        if (c == '\'' || c == '"') {
            boolean escapes = c == '\'' && i > 0 && (in.charAt(i - 1) == 'E' || in.charAt(i - 1) == 'e');
            int j = i + 1;
            while (j < len) {
                char d = in.charAt(j);
                if (escapes && d == '\\') {
                    j += 2;
                    continue;
                }
                if (d == c) {
                    if (j + 1 < len && in.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            return Math.min(j + 1, len);
        }
        if (c == '-' && i + 1 < len && in.charAt(i + 1) == '-') {
            int j = in.indexOf('\n', i);
            return j < 0 ? len : j;
        }
        if (c == '/' && i + 1 < len && in.charAt(i + 1) == '*') {
            int depth = 1;
            int j = i + 2;
            while (j < len && depth > 0) {
                if (in.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (in.startsWith("*/", j)) {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            return j;
        }
        if (c == '$') {
            String tag = dollarTag(in, i);
            if (tag != null) {
                int end = in.indexOf(tag, i + tag.length());
                return end < 0 ? len : end + tag.length();
            }
        }
        return -1;
    }

    /** The dollar-quote opening at {@code i} ($$ or $tag$), or null. */
    private static String dollarTag(String s, int i) {
        if (i > 0) {
            char p = s.charAt(i - 1);
            if (Character.isLetterOrDigit(p) || p == '_' || p == '$') {
                return null; // part of an identifier, or a $n
            }
        }
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '$') {
                return s.substring(i, j + 1);
            }
            boolean ok = Character.isLetter(c) || c == '_' || (j > i + 1 && Character.isDigit(c));
            if (!ok) {
                return null;
            }
            j++;
        }
        return null;
    }
}
