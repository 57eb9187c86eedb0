package io.pgtc.jdbc;

import java.sql.SQLException;

/** bytea's text form (PostgreSQL's hex output, {@code \x0a1b…}, and the older escape form). */
final class Bytea {
    private Bytea() {}

    static byte[] decode(String v) throws SQLException {
        if (v.startsWith("\\x")) {
            int n = (v.length() - 2) / 2;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int hi = Character.digit(v.charAt(2 + 2 * i), 16);
                int lo = Character.digit(v.charAt(3 + 2 * i), 16);
                if (hi < 0 || lo < 0) {
                    throw Errors.of("bad bytea hex text", "22P03");
                }
                out[i] = (byte) (hi << 4 | lo);
            }
            return out;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && v.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (c == '\\' && i + 3 < v.length()) {
                out.write(Integer.parseInt(v.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
