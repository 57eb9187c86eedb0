package io.pgtc.jdbctests;

import static io.pgtc.jdbctests.JdbcTest.check;
import static io.pgtc.jdbctests.JdbcTest.checkThrows;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * JDBC escape syntax ({fn …}, {d …}, {t …}, {ts …}, {oj …}, {escape …}, {limit …}, {call …},
 * {? = call …}) as the server evaluates the rewritten text, and CallableStatement.
 */
final class EscapeTests {
    private EscapeTests() {}

    /** Escape, then the text the server must answer for SELECT escape. */
    private static final String[][] VALUES = {
        {"{fn abs(-2)}", "2"},
        {"{fn ceiling(1.2)}", "2"},
        {"{fn floor(1.8)}", "1"},
        {"{fn log10(100)}", "2"},
        {"{fn round({fn log(10)}, 3)}", "2.303"},
        {"{fn exp(0)}", "1"},
        {"{fn mod(7, 3)}", "1"},
        {"{fn power(2, 10)}", "1024"},
        {"{fn round(2.567, 2)}", "2.57"},
        {"{fn round(CAST(2.567 AS double precision), 1)}", "2.6"},
        {"{fn truncate(2.567, 2)}", "2.56"},
        {"{fn sign(-5)}", "-1"},
        {"{fn sqrt(16)}", "4"},
        {"{fn rand()} BETWEEN 0 AND 1", "t"},
        {"round({fn degrees({fn pi()})})", "180"},
        {"{fn atan2(1, 1)} = pi() / 4", "t"},
        {"{fn cot(1)} > 0.64", "t"},
        {"{fn ascii('A')}", "65"},
        {"{fn char(66)}", "B"},
        {"{fn char_length('abc')}", "3"},
        {"{fn character_length('abcd')}", "4"},
        {"{fn concat('a', 'b')}", "ab"},
        {"{fn insert('abcdef', 2, 3, 'XY')}", "aXYef"},
        {"{fn lcase('AbC')}", "abc"},
        {"{fn UCASE('abc')}", "ABC"},
        {"{fn left('abcdef', 2)}", "ab"},
        {"{fn right('abcdef', 2)}", "ef"},
        {"{fn length('ab  ')}", "2"},
        {"{fn locate('c', 'abcabc')}", "3"},
        {"{fn locate('c', 'abcabc', 4)}", "6"},
        {"{fn locate('z', 'abc', 2)}", "0"},
        {"'[' || {fn ltrim('  a')} || {fn rtrim('b  ')} || ']'", "[ab]"},
        {"{fn octet_length('é')}", "2"},
        {"{fn position('b' IN 'abc')}", "2"},
        {"{fn repeat('ab', 3)}", "ababab"},
        {"{fn replace('aXa', 'X', 'b')}", "aba"},
        {"'[' || {fn space(3)} || ']'", "[   ]"},
        {"{fn substring('abcdef', 2, 3)}", "bcd"},
        {"{fn substring('abcdef', 3)}", "cdef"},
        {"{fn year({d '2026-12-02'})}", "2026"},
        {"{fn month({d '2026-12-02'})}", "12"},
        {"{fn dayofmonth({d '2026-12-02'})}", "2"},
        {"{fn dayofweek({d '2026-12-02'})}", "4"}, // a Wednesday: Sunday is 1
        {"{fn dayofyear({d '2026-12-02'})}", "336"},
        {"{fn quarter({d '2026-12-02'})}", "4"},
        {"{fn week({d '2026-12-02'})}", "49"},
        {"{fn hour({t '13:14:15'})}", "13"},
        {"{fn minute({t '13:14:15'})}", "14"},
        {"{fn second({ts '2026-12-02 13:14:15.9'})}", "15"},
        {"{fn dayname({d '2026-12-02'})}", "Wednesday"},
        {"{fn monthname({d '2026-12-02'})}", "December"},
        {"{fn extract(year FROM {d '2026-12-02'})}", "2026"},
        {"{fn timestampadd(SQL_TSI_DAY, 3, {ts '2026-12-02 00:00:00'})}", "2026-12-05 00:00:00"},
        {"{fn timestampadd(SQL_TSI_QUARTER, 1, {ts '2026-12-02 10:00:00'})}", "2027-03-02 10:00:00"},
        {"{fn timestampadd(SQL_TSI_SECOND, 1.5, {ts '2026-12-02 10:00:00'})}", "2026-12-02 10:00:01.5"},
        {"{fn timestampdiff(SQL_TSI_HOUR, {ts '2026-12-02 00:00:00'}, {ts '2026-12-03 01:30:00'})}", "25"},
        {"{fn timestampdiff(SQL_TSI_MINUTE, {ts '2026-12-03 01:30:00'}, {ts '2026-12-02 00:00:00'})}", "-1530"},
        {"{fn timestampdiff(SQL_TSI_MONTH, {ts '2026-01-31 00:00:00'}, {ts '2026-03-30 00:00:00'})}", "1"},
        {"{fn timestampdiff(SQL_TSI_YEAR, {d '2026-12-02'}, {d '2020-01-01'})}", "-6"},
        {"{fn timestampdiff(SQL_TSI_QUARTER, {d '2020-01-01'}, {d '2026-12-02'})}", "27"},
        {"{fn curdate()} = current_date AND {fn current_date()} = current_date", "t"},
        {"{fn now()} = now() AND {fn current_timestamp()} = current_timestamp", "t"},
        {"{fn curtime()} = current_time AND {fn current_time()} = current_time", "t"},
        {"{fn database()}", "postgres"},
        {"{fn user()}", "pgtc"},
        {"{fn ifnull(NULL, 'x')}", "x"},
        {"{fn convert('42', SQL_INTEGER)} + 1", "43"},
        {"{fn convert(42, VARCHAR)} || 'x'", "42x"},
        {"{d '2026-12-02'} + 1", "2026-12-03"},
        {"{t '13:14:15'}", "13:14:15"},
        {"{ts '2026-12-02 13:14:15.25'}", "2026-12-02 13:14:15.25"},
        {"{fn ucase({fn concat({fn lcase('A')}, 'b')})}", "AB"},
        {"'a_b' LIKE 'a!_b' {escape '!'}", "t"},
        {"'axb' LIKE 'a!_b' {escape '!'}", "f"},
        {"(SELECT max(g) FROM (SELECT g FROM generate_series(1, 10) g ORDER BY g {limit 2 offset 3}) s)", "5"},
        {"(SELECT count(*) FROM generate_series(1, 3) a {oj LEFT OUTER JOIN generate_series(2, 5) b ON a = b})", "3"},
        {"'{fn ucase(x)}' || $q${d 'x'}$q$ /* {oj */ -- {fn bad(\n", "{fn ucase(x)}{d 'x'}"},
        {"{ fn ucase('}') } || {FN LCASE(E'\\'{')}", "}'{"},
        {"{fn concat({fn ucase('a')}, {fn lcase('B')})}||{fn ucase('c')}", "AbC"},
        {"{fn concat('a', 'b', 'c')}", "abc"},
    };

    static void run() throws Exception {
        try (Connection c = JdbcTest.open(); Statement s = c.createStatement()) {
            for (String[] v : VALUES) {
                String sql = "SELECT " + v[0];
                try (ResultSet rs = s.executeQuery(sql)) {
                    String got = rs.next() ? rs.getString(1) : "no row";
                    check(v[1].equals(got), sql + " is " + got + ", want " + v[1]);
                } catch (SQLException e) {
                    check(false, sql + " failed: " + e.getMessage() + " (sent " + c.nativeSQL(sql) + ")");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 AS \"{fn x}\", {fn convert('7', INTEGER)}, {d '2026-12-02'}")) {
                check(rs.next() && "{fn x}".equals(rs.getMetaData().getColumnLabel(1)), "a quoted identifier keeps its braces");
                check(rs.getObject(2) instanceof Integer && rs.getInt(2) == 7, "CONVERT(…, INTEGER) is an int4");
                check(rs.getObject(3) instanceof java.sql.Date && "2026-12-02".equals(rs.getDate(3).toString()), "{d …} is a date");
            }
            check("SELECT upper($1) FROM t WHERE d = DATE '2026-12-02' AND x = $2".equals(c.nativeSQL("SELECT {fn ucase(?)} FROM t WHERE d = {d '2026-12-02'} AND x = ?")),
                    "nativeSQL rewrites the escapes and numbers the markers: " + c.nativeSQL("SELECT {fn ucase(?)} FROM t WHERE d = {d '2026-12-02'} AND x = ?"));
            // markers keep their order and number in rewritings that reorder or repeat arguments
            try (PreparedStatement ps = c.prepareStatement("SELECT {fn insert(?, ?, ?, ?)}, {fn locate(?, ?, ?)}, ?, {fn timestampdiff(SQL_TSI_DAY, ?, ?)},"
                    + " {fn timestampdiff(SQL_TSI_MONTH, ?, ?)}, {fn timestampadd(SQL_TSI_HOUR, ?, ?)}")) {
                ps.setString(1, "abcdef");
                ps.setInt(2, 2);
                ps.setInt(3, 3);
                ps.setString(4, "XY");
                ps.setString(5, "c");
                ps.setString(6, "abcabc");
                ps.setInt(7, 4);
                ps.setInt(8, 9);
                ps.setTimestamp(9, Timestamp.valueOf("2026-12-02 00:00:00"));
                ps.setTimestamp(10, Timestamp.valueOf("2026-12-12 12:00:00"));
                ps.setTimestamp(11, Timestamp.valueOf("2026-01-15 00:00:00"));
                ps.setTimestamp(12, Timestamp.valueOf("2026-04-14 00:00:00"));
                ps.setInt(13, 5);
                ps.setTimestamp(14, Timestamp.valueOf("2026-12-02 00:00:00"));
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next(), "a row");
                    String got = rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3) + " " + rs.getLong(4) + " " + rs.getLong(5) + " " + rs.getTimestamp(6);
                    check("aXYef 6 9 10 2 2026-12-02 05:00:00.0".equals(got), "escapes with markers: " + got);
                }
            }
            // escape processing off: the text goes as written (and the server refuses the braces)
            s.setEscapeProcessing(false);
            checkThrows(() -> s.execute("SELECT {d '2026-12-02'}"), SQLSyntaxErrorException.class, "42601", "setEscapeProcessing(false) sends the braces");
            s.setEscapeProcessing(true);
            try (ResultSet rs = s.executeQuery("SELECT {d '2026-12-02'}")) {
                check(rs.next(), "setEscapeProcessing(true) again");
            }
            s.addBatch("CREATE TEMP TABLE jdbc_esc (d date)");
            s.addBatch("INSERT INTO jdbc_esc VALUES ({d '2001-02-03'}), ({fn curdate()})");
            check(java.util.Arrays.equals(s.executeBatch(), new int[] {0, 2}), "a Statement batch rewrites escapes");
            check(s.executeUpdate("DELETE FROM jdbc_esc WHERE d = {d '2001-02-03'}") == 1, "executeUpdate rewrites escapes");
            String[][] bad = {
                {"SELECT {fn ucase('a')", "{fn ucase('a')"},
                {"SELECT {fn ucase('a'}", "no ')'"},
                {"SELECT {fn frobnicate(1)}", "frobnicate"},
                {"SELECT {fn left('a')}", "left takes 2 arguments, not 1"},
                {"SELECT {fn pi(1)}", "pi takes 0 arguments"},
                {"SELECT {fn insert('a', 1, , 'b')}", "empty argument"},
                {"SELECT {fn timestampadd(SQL_TSI_FRAC_SECOND, 1, now())}", "FRAC_SECOND"},
                {"SELECT {fn timestampdiff(SQL_TSI_CENTURY, now(), now())}", "SQL_TSI_CENTURY"},
                {"SELECT {fn convert(1, SQL_WHATEVER)}", "SQL_WHATEVER"},
                {"SELECT {foo 1}", "unknown JDBC escape {foo"},
                {"SELECT {'x'}", "no JDBC escape keyword"},
                {"SELECT {d }", "no value"},
                {"{? = call upper('a')}", "prepareCall"},
            };
            for (String[] b : bad) {
                SQLException e = checkThrows(() -> s.execute(b[0]), SQLSyntaxErrorException.class, "42601", "bad escape " + b[0]);
                check(e != null && e.getMessage().contains(b[1]) && e.getMessage().contains("JDBC escape"), "the message names it (" + b[1] + "): " + (e == null ? "" : e.getMessage()));
            }
            checkThrows(() -> c.prepareStatement("SELECT {fn nope()}"), SQLSyntaxErrorException.class, "42601", "prepareStatement refuses a bad escape");
            checkThrows(() -> c.nativeSQL("SELECT {fn ucase(1)"), SQLSyntaxErrorException.class, "42601", "nativeSQL refuses a bad escape");
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                check(rs.next(), "the connection is fine after bad escapes");
            }
        }
        callable();
    }

    static void callable() throws Exception {
        try (Connection c = JdbcTest.open(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION jdbc_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'");
            s.execute("DROP TABLE IF EXISTS jdbc_call");
            s.execute("CREATE TABLE jdbc_call (v int)");
            s.execute("CREATE OR REPLACE PROCEDURE jdbc_proc(x int) LANGUAGE sql AS 'INSERT INTO jdbc_call VALUES (x)'");
            try (CallableStatement cs = c.prepareCall("{ ? = call jdbc_add( ?, ? ) }")) {
                checkThrows(() -> cs.getInt(1), SQLException.class, "55000", "no return value before an execution");
                cs.registerOutParameter(1, Types.INTEGER);
                cs.setInt(2, 40);
                cs.setInt(3, 2);
                check(!cs.execute(), "execute of {? = call} with its value registered returns false, as PgJDBC's");
                check(cs.getInt(1) == 42 && !cs.wasNull() && Integer.valueOf(42).equals(cs.getObject(1)), "the return value: " + cs.getObject(1));
                check("42".equals(cs.getString(1)) && cs.getLong(1) == 42L, "read as text and long");
                cs.setNull(2, Types.INTEGER);
                cs.execute();
                check(cs.getInt(1) == 0 && cs.wasNull() && cs.getObject(1) == null, "a NULL return value");
                cs.setInt(2, 1);
                check(cs.executeUpdate() == 0 && cs.getInt(1) == 3, "executeUpdate runs it too");
                cs.clearParameters();
                cs.setInt(2, 1);
                SQLException unset = checkThrows(cs::execute, SQLException.class, "22023", "a parameter without a value");
                check(unset != null && unset.getMessage().contains("parameter 3"), "it is named by the caller's index: " + (unset == null ? "" : unset.getMessage()));
                cs.setInt(3, 1);
                cs.execute();
                check(cs.getInt(1) == 2, "after clearParameters and new values");
                checkThrows(() -> cs.setInt(1, 5), SQLException.class, "22023", "parameter 1 of {? = call} takes no value");
                checkThrows(() -> cs.setInt(4, 5), SQLException.class, "22023", "parameter 4 is out of range");
                SQLException e = checkThrows(() -> cs.registerOutParameter(2, Types.INTEGER), SQLFeatureNotSupportedException.class, "0A000", "an OUT parameter other than the return value");
                check(e != null && e.getMessage().contains("OUT and INOUT"), "the refusal says what is missing: " + (e == null ? "" : e.getMessage()));
                checkThrows(() -> cs.getInt(2), SQLException.class, "22023", "parameter 2 is no OUT parameter");
                checkThrows(() -> cs.getInt("a"), SQLFeatureNotSupportedException.class, "0A000", "getters by name are refused");
                checkThrows(() -> cs.setInt("a", 1), SQLFeatureNotSupportedException.class, "0A000", "setters by name are refused");
            }
            try (CallableStatement cs = c.prepareCall("{?= call upper(?)}")) {
                cs.registerOutParameter(1, Types.VARCHAR);
                cs.setString(2, "abc");
                cs.execute();
                check("ABC".equals(cs.getString(1)), "{?= call upper(?)}: " + cs.getString(1));
            }
            try (CallableStatement cs = c.prepareCall("{call jdbc_add(?, ?)}")) {
                cs.setInt(1, 1);
                cs.setInt(2, 2);
                try (ResultSet rs = cs.executeQuery()) {
                    check(rs.next() && rs.getInt("result") == 3 && !rs.next(), "{call f(?, ?)} returns the function's rows");
                }
            }
            try (CallableStatement cs = c.prepareCall("{? = call pg_backend_pid}")) {
                cs.registerOutParameter(1, Types.INTEGER);
                cs.execute();
                check(cs.getInt(1) > 0, "{? = call f} without parentheses");
            }
            try (CallableStatement cs = c.prepareCall("CALL jdbc_proc(?)")) {
                cs.setInt(1, 7);
                cs.execute();
            }
            try (ResultSet rs = s.executeQuery("SELECT sum(v) FROM jdbc_call")) {
                check(rs.next() && rs.getInt(1) == 7, "prepareCall(\"CALL p(?)\") calls a procedure with an IN parameter");
            }
            checkThrows(() -> {
                try (CallableStatement cs = c.prepareCall("{call jdbc_proc(?)}")) {
                    cs.setInt(1, 8);
                    cs.execute();
                }
            }, SQLException.class, "42809", "{call p(?)} is a SELECT, as PgJDBC's default: a procedure needs CALL");
            check("SELECT * FROM jdbc_add($1, $2) AS result".equals(c.nativeSQL("{? = call jdbc_add(?, ?)}")), "nativeSQL of {? = call}: " + c.nativeSQL("{? = call jdbc_add(?, ?)}"));
            checkThrows(() -> c.prepareCall("{? = call jdbc_add(1, 2)}; SELECT 1"), SQLSyntaxErrorException.class, "42601", "{? = call} must be the whole statement");
            checkThrows(() -> c.prepareCall("SELECT 1, {? = call jdbc_add(1, 2)}"), SQLSyntaxErrorException.class, "42601", "{? = call} must come first");
            try (CallableStatement cs = c.prepareCall("SELECT ?::int * 2")) {
                cs.setInt(1, 21);
                try (ResultSet rs = cs.executeQuery()) {
                    check(rs.next() && rs.getInt(1) == 42, "prepareCall of plain SQL is a PreparedStatement");
                }
                checkThrows(() -> cs.registerOutParameter(1, Types.INTEGER), SQLFeatureNotSupportedException.class, "0A000", "no return value to register without {? = call}");
            }
            s.execute("DROP PROCEDURE jdbc_proc(int)");
            s.execute("DROP FUNCTION jdbc_add(int, int)");
            s.execute("DROP TABLE jdbc_call");
        }
    }
}
