//! Every lexical form of PostgreSQL's SQL (as its lexer, scan.l, reads
//! them) is classified as precisely as the plain form, and none hides a
//! write; `standard_conforming_strings` as the session has it.

use super::lex::{Lexer, T};
use super::*;

/// The facts of `sql` as a session with `standard_conforming_strings` on.
fn on(sql: &str) -> Facts {
    classify(sql)
}

/// The same with `standard_conforming_strings` off.
fn off(sql: &str) -> Facts {
    classify_with(
        sql,
        Options {
            standard_conforming_strings: false,
        },
    )
}

/// What `function_calls` reports: `schema.name`, quoted parts in `"…"`.
fn calls(sql: &str) -> Vec<String> {
    let q = |s: &str, quoted: bool| {
        if quoted {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let mut out = Vec::new();
    function_calls(sql, |f| {
        let name = q(f.name, f.quoted);
        out.push(match f.schema {
            Some(s) => format!("{}.{name}", q(s, f.schema_quoted)),
            None => name,
        });
    });
    out
}

/// What `identifiers` reports, quoted ones in `"…"`.
fn idents(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    identifiers(sql, |n, quoted| {
        out.push(if quoted {
            format!("\"{n}\"")
        } else {
            n.to_string()
        })
    });
    out
}

/// The kinds and texts of the tokens of `sql`.
fn tokens(sql: &str, scs: bool) -> Vec<(T, &str)> {
    let mut lex = Lexer::new(sql.as_bytes(), 0, scs);
    let mut out = Vec::new();
    while let Some(t) = lex.next() {
        out.push((t.t, &sql[t.s..t.e]));
    }
    out
}

// ---------------------------------------------------------------------------
// A form and its plain equivalent: the same facts
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const SAME: &[(&str, &str)] = &[
    // Identifiers: `$` and non-ASCII letters inside, keywords quoted.
    ("SELECT a$b, café, _x1, ÿ$ FROM t$1 WHERE größe = 1", "SELECT a FROM t WHERE g = 1"),
    ("SELECT \"delete\", \"update\", \"into\" FROM \"insert\" WHERE \"merge\" = 1",
     "SELECT a FROM t WHERE b = 1"),
    ("SELECT \"for\" FROM t \"for\" WHERE \"share\" = 1", "SELECT a FROM t WHERE b = 1"),
    // Quoted identifiers with doubled quotes inside.
    ("SELECT \"a\"\"b\", \"\"\"\" FROM \"t\"\"x\" WHERE \"c\"\"d\" = 1", "SELECT a FROM t WHERE c = 1"),
    ("SELECT \"x\"\";\" FROM t", "SELECT x FROM t"),
    ("SELECT \"s\"\"x\".\"t\"\"y\".c FROM \"s\"\"x\".\"t\"\"y\"", "SELECT s.t.c FROM s.t"),
    // U&"…" identifiers, with and without UESCAPE.
    ("SELECT U&\"d\\0061t\" FROM U&\"t\\+000061b\"", "SELECT dat FROM tab"),
    ("SELECT u&\"\\\\x\" FROM U&\"\\D83D\\DE00\"", "SELECT x FROM t"),
    ("SELECT U&\"d!0061t\" UESCAPE '!' FROM U&\"t!!\" UESCAPE '!' WHERE x = 1",
     "SELECT dat FROM t WHERE x = 1"),
    ("SELECT U&\"a\" UESCAPE /* c */ '#', b FROM t", "SELECT a, b FROM t"),
    ("SELECT U&\"plain\" FROM t", "SELECT plain FROM t"),
    // Standard strings with '' inside.
    ("SELECT 'it''s', '''' FROM t WHERE x = 'do''nt ; DELETE FROM t'", "SELECT 'a' FROM t WHERE x = 'b'"),
    ("SELECT 'a\\' FROM t", "SELECT 'a' FROM t"),
    // E'…' with \' and \\ and octal, hex and Unicode escapes.
    ("SELECT E'it\\'s \\\\ \\n \\101 \\x41 \\u0041 \\U00000041 '' ; DELETE' FROM t", "SELECT 'a' FROM t"),
    ("SELECT e'\\\\' FROM t WHERE a = E'\\''", "SELECT 'a' FROM t WHERE a = 'b'"),
    // U&'…' strings, with and without UESCAPE.
    ("SELECT U&'d\\0061t\\+000061 update' FROM t", "SELECT 'a' FROM t"),
    ("SELECT U&'d!0061t' UESCAPE '!' FROM t WHERE a = U&'\\'", "SELECT 'a' FROM t WHERE a = 'b'"),
    // Bit strings and national strings.
    ("SELECT B'1010', X'1F', b'', x'', N'abc', n'it''s' FROM t", "SELECT 'a' FROM t"),
    // Adjacent strings continued across a newline (with `--` comments).
    ("SELECT 'a'\n'b', 'c' -- delete\n  'd', E'e'\n'\\'f' FROM t", "SELECT 'a' FROM t"),
    ("SELECT B'1'\n'0', X'F' \n\r 'F' FROM t", "SELECT 'a' FROM t"),
    // Dollar quotes: no tag, tags, a keyword tag, another tag inside.
    ("SELECT $$a'b\"c$$, $tag$ $$ ; DELETE FROM t; $tag$ FROM t", "SELECT 'a' FROM t"),
    ("SELECT $select$x$select$, $delete$;$delete$, $a$ $b$ $b$ $a$, $_1$$_1$ FROM t", "SELECT 'a' FROM t"),
    ("SELECT $é$;$é$ FROM t", "SELECT 'a' FROM t"),
    // Comments: `--`, nested `/* /* */ */`, comment-like text elsewhere.
    ("SELECT 1 -- ; DELETE FROM t\n FROM t", "SELECT 1 FROM t"),
    ("SELECT /* a /* ; DELETE FROM t */ b */ 1 FROM t", "SELECT 1 FROM t"),
    ("SELECT /**/ 1 /*/ ; DELETE */ FROM t", "SELECT 1 FROM t"),
    ("SELECT '--', '/*', \"--\", $$/*$$ FROM t", "SELECT 1 FROM t"),
    // Operators with comment-like characters (a `--` or `/*` inside an
    // operator ends it), typecasts, subscripts.
    ("SELECT 1 +-2, 3 @-@ 4, a !~~ b, a <-> b, 2 */* c */ 3, 4 +-- c\n 5 FROM t", "SELECT 1 FROM t"),
    ("SELECT x::int, y::text[], z[1:2], '1'::numeric(10, 2) FROM t", "SELECT 1 FROM t"),
    ("SELECT a ||/* c */ b, a<>b, a!=b, a>=b FROM t", "SELECT 1 FROM t"),
    // Numbers.
    ("SELECT 1e10, .5, 1.5e-3, 5., 0x1F, 0o17, 0b101, 1_000, 1.5E+3 FROM t", "SELECT 1 FROM t"),
    // Parameters.
    ("SELECT $1, $2::int FROM t WHERE a = $3", "SELECT 1 FROM t WHERE a = 1"),
    // Hints stay hints.
    ("/* pgtc:standby */ SELECT \"a\"\"b\", E'\\'' FROM t", "/* pgtc:standby */ SELECT a FROM t"),
    ("-- pgtc:primary\nSELECT U&\"a\\0062\" FROM t", "-- pgtc:primary\nSELECT ab FROM t"),
    // Calls: found behind every form, decoded names looked up as written.
    ("SELECT lower(E'\\'x'), upper($$)$$) FROM t", "SELECT lower('x'), upper('y') FROM t"),
    ("SELECT \"my\"\"fn\"(1)", "SELECT myfn(1)"),
    ("SELECT U&\"f\\0061\"(1)", "SELECT fa(1)"),
    ("SELECT U&\"r\\0061ndom\"(), U&\"pg_c\\0061talog\".random()", "SELECT random()"),
    // Several statements.
    ("SELECT 'a;b'; SELECT $$;$$; SELECT \";\"", "SELECT 1; SELECT 2; SELECT 3"),
];

#[test]
fn forms_classify_as_the_plain_form() {
    for &(form, plain) in SAME {
        let (f, p) = (on(form), on(plain));
        assert_eq!(f, p, "\n  form:  {form:?}\n  plain: {plain:?}");
        assert!(f.read_only, "{form:?}");
        // With standard_conforming_strings off, a form without a backslash
        // in a plain string reads the same.
        if !form.contains('\\') {
            assert_eq!(off(form), p, "scs off: {form:?}");
        }
    }
}

#[test]
fn decoded_names_are_reported() {
    assert_eq!(calls("SELECT \"my\"\"fn\"(1)"), ["\"my\"fn\""]);
    assert_eq!(calls("SELECT \"s\"\"x\".f(1)"), ["\"s\"x\".f"]);
    assert_eq!(calls("SELECT U&\"f\\0061\"(1)"), ["\"fa\""]);
    assert_eq!(calls("SELECT U&\"\\D83D\\DE00\"(1)"), ["\"😀\""]);
    // `random` is on the allow list, as written or decoded; in another
    // schema it is looked up.
    assert_eq!(calls("SELECT U&\"r\\0061ndom\"()"), Vec::<String>::new());
    assert_eq!(calls("SELECT U&\"my\\0073\".random()"), ["\"mys\".random"]);
    assert_eq!(calls("SELECT \"a\"\"b\".random()"), ["\"a\"b\".random"]);
    assert_eq!(
        idents("SELECT x FROM \"a\"\"b\", U&\"t\\0061b\", U&\"t!0061b\" UESCAPE '!'"),
        ["SELECT", "x", "FROM", "\"a\"b\"", "\"tab\"", "\"tab\""]
    );
    // Names as PostgreSQL keeps them: the first 63 bytes.
    let long = format!("SELECT * FROM {}", "é".repeat(40));
    assert_eq!(idents(&long)[2], "é".repeat(31));
    let long = format!("SELECT * FROM \"{}\"\"\"", "a".repeat(70));
    assert_eq!(idents(&long)[2], format!("\"{}\"", "a".repeat(63)));
}

// ---------------------------------------------------------------------------
// Writes behind the forms
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const HIDDEN_WRITES: &[&str] = &[
    "SELECT 'x'; DELETE FROM t",
    "SELECT 'a''b'; DELETE FROM t",
    "SELECT E'\\\\'; DELETE FROM t --'",
    "SELECT E'\\''; DELETE FROM t; --'",
    "SELECT E'x'\n'\\''; DELETE FROM t; --'",
    "SELECT E'x'\n-- c\n'\\''; DELETE FROM t; --'",
    "SELECT 'a' 'b'; DELETE FROM t; --'",
    "SELECT U&'\\'; DELETE FROM t; --'",
    "SELECT U&'a' UESCAPE '!'; DELETE FROM t",
    "SELECT B'1'; DELETE FROM t",
    "SELECT X'1F' ; DELETE FROM t",
    "SELECT N'x'; DELETE FROM t",
    "SELECT \"a\"\"b\"; DELETE FROM t",
    "SELECT \"x\"\";\"; DELETE FROM t",
    "SELECT U&\"a\" UESCAPE '!'; DELETE FROM t",
    "SELECT U&\"a\\0062\"; DELETE FROM t",
    "SELECT $$x$$; DELETE FROM t",
    "SELECT $a$ $b$ $a$; DELETE FROM t; -- $b$",
    "SELECT $a$x$A$ $a$; DELETE FROM t",
    "SELECT x$a$; DELETE FROM t; -- $a$",
    "SELECT 1 /* */ ; DELETE FROM t; /* */",
    "SELECT 1 /* /* */ */ ; DELETE FROM t",
    "SELECT 1 -- x\n; DELETE FROM t",
    "SELECT 1 +-- x\n; DELETE FROM t",
    "SELECT 2 */* c */ 3; DELETE FROM t",
    "SELECT 1::text; DELETE FROM t",
    "SELECT $1; DELETE FROM t",
    "SELECT 0x1F; DELETE FROM t",
    "SELECT \"delete\"; DELETE FROM \"delete\"",
    // Denied functions behind a form.
    "SELECT \"nextval\"('s')",
    "SELECT U&\"nextv\\0061l\"('s')",
    "SELECT U&\"nextv!0061l\" UESCAPE '!' ('s')",
    "SELECT U&\"pg_c\\0061talog\".U&\"setv\\0061l\"('s', 1)",
    "SELECT \"pg_catalog\" . \"nextval\" ('s')",
    "SELECT U&\"pg_\\0061dvisory_lock\"(1)",
    // Locking reads behind a form.
    "SELECT \"a\"\"b\" FROM t FOR UPDATE",
    "SELECT U&'x' UESCAPE '!' FROM t FOR SHARE",
    // SELECT … INTO behind a form.
    "SELECT E'\\'' INTO x FROM t",
    "SELECT $$'$$ INTO x",
];

#[test]
fn writes_behind_forms_are_seen() {
    for sql in HIDDEN_WRITES {
        for (scs, f) in [("on", on(sql)), ("off", off(sql))] {
            assert!(!f.read_only, "scs {scs}: {sql:?}");
            assert!(
                matches!(f.kind, Kind::Write | Kind::Multi),
                "scs {scs}: {sql:?}"
            );
        }
        assert_eq!(calls(sql), Vec::<String>::new(), "{sql:?}");
    }
}

#[test]
fn names_the_server_refuses_are_never_read() {
    for sql in [
        "SELECT U&\"\\D83D\" FROM t",
        "SELECT U&\"\\DE00\" FROM t",
        "SELECT U&\"\\0000\" FROM t",
        "SELECT U&\"\\00\" FROM t",
        "SELECT U&\"\\+11FFFF\" FROM t",
        "SELECT U&\"\\zzzz\" FROM t",
        "SELECT U&\"x\" UESCAPE 'a' FROM t",
        "SELECT U&\"x\" UESCAPE '+' FROM t",
        "SELECT U&\"x\" UESCAPE ' ' FROM t",
        "SELECT U&\"x\" UESCAPE '!!' FROM t",
        "SELECT U&\"x\" UESCAPE FROM t",
    ] {
        assert_eq!(on(sql).kind, Kind::Write, "{sql:?}");
        assert_eq!(idents(sql), Vec::<String>::new(), "{sql:?}");
    }
    // Decodes to more than pgtc decodes: never read.
    let sql = format!("SELECT \"{}\"\"\" FROM t", "a".repeat(300));
    assert_eq!(on(&sql).kind, Kind::Write);
}

#[test]
fn calls_with_uescape_are_read_like_others() {
    // A `U&"…" UESCAPE 'c'` name is one token (as in PostgreSQL's grammar):
    // as a function or schema name it is decoded and looked up.
    for (sql, want) in [
        ("SELECT U&\"f!0061\" UESCAPE '!' (1)", vec!["\"fa\""]),
        ("SELECT U&\"r!0061ndom\" UESCAPE '!' ()", vec![]),
        (
            "SELECT U&\"s\" UESCAPE '!' . U&\"f\"(1)",
            vec!["\"s\".\"f\""],
        ),
        (
            "SELECT U&\"s\" UESCAPE '!' . random()",
            vec!["\"s\".random"],
        ),
    ] {
        assert_eq!(on(sql).kind, Kind::Read, "{sql:?}");
        assert_eq!(calls(sql), want, "{sql:?}");
    }
    assert_eq!(on("SELECT U&\"s\" UESCAPE '!' FROM t").kind, Kind::Read);
    // A write spelled so is still one.
    assert_eq!(
        on("SELECT U&\"nextv!0061l\" UESCAPE '!' ('s')").kind,
        Kind::Write
    );
}

#[test]
fn unterminated_forms_are_writes() {
    for sql in [
        "SELECT 'abc",
        "SELECT 'abc''",
        "SELECT E'abc\\'",
        "SELECT N'abc",
        "SELECT B'01",
        "SELECT X'",
        "SELECT U&'abc",
        "SELECT 'a'\n'b",
        "SELECT \"abc",
        "SELECT U&\"abc",
        "SELECT $a$ abc $b$",
        "SELECT $$",
        "SELECT /* abc",
        "SELECT /* a /* b */",
    ] {
        assert_eq!(on(sql).kind, Kind::Write, "{sql:?}");
        assert!(!on(sql).read_only, "{sql:?}");
    }
    // A `--` comment may end the text.
    assert_eq!(on("SELECT 1 -- to the end").kind, Kind::Read);
    assert_eq!(on("SELECT 'a'\n-- c").kind, Kind::Read);
}

// ---------------------------------------------------------------------------
// standard_conforming_strings
// ---------------------------------------------------------------------------

#[test]
fn standard_conforming_strings() {
    // Off: `\'` is a quote inside '…' (and N'…'); the write is inside.
    for sql in [
        "SELECT 'a\\'; DELETE FROM t; --'",
        "SELECT N'a\\'; DELETE FROM t; --'",
        "SELECT 'a'\n'\\'; DELETE FROM t; --'",
    ] {
        assert_eq!(on(sql).kind, Kind::Multi, "{sql:?}");
        assert!(!on(sql).read_only, "{sql:?}");
        assert_eq!(off(sql).kind, Kind::Read, "{sql:?}");
        assert!(off(sql).read_only, "{sql:?}");
    }
    // Off: the write is outside.
    for sql in [
        "SELECT 'a\\''; DELETE FROM t; --'",
        "SELECT n'a\\''; DELETE FROM t; --'",
        "SELECT 'a'\n'\\''; DELETE FROM t; --'",
    ] {
        assert_eq!(on(sql).kind, Kind::Read, "{sql:?}");
        assert!(!off(sql).read_only, "{sql:?}");
        assert_eq!(off(sql).kind, Kind::Multi, "{sql:?}");
    }
    // E'…', U&'…', B'…', X'…' and dollar quotes read the same either way.
    for sql in [
        "SELECT E'\\''; DELETE FROM t; --'",
        "SELECT U&'\\'; DELETE FROM t; --'",
        "SELECT B'\\'; DELETE FROM t; --'",
        "SELECT X'\\'; DELETE FROM t; --'",
        "SELECT $$\\$$; DELETE FROM t; --'",
    ] {
        assert_eq!(on(sql), off(sql), "{sql:?}");
        assert!(!off(sql).read_only, "{sql:?}");
    }
    assert!(Options::default().standard_conforming_strings);
    // Every entry point follows the setting.
    let opts = Options {
        standard_conforming_strings: false,
    };
    let sql = "SELECT lower('a\\''); SELECT upper(x) FROM t";
    assert_eq!(statements_with(sql, opts).len(), 2);
    assert_eq!(statements(sql).len(), 1);
    let mut seen = Vec::new();
    function_calls_with(sql, opts, |f| seen.push(f.name.to_string()));
    assert_eq!(seen, ["lower", "upper"]);
    let mut seen = Vec::new();
    identifiers_with(sql, opts, |n, _| seen.push(n.to_string()));
    assert_eq!(
        seen,
        ["SELECT", "lower", "SELECT", "upper", "x", "FROM", "t"]
    );
    assert_eq!(
        redact_with(sql, 100, opts),
        "SELECT lower(?); SELECT upper(x) FROM t"
    );
}

// ---------------------------------------------------------------------------
// Token boundaries
// ---------------------------------------------------------------------------

#[test]
fn token_boundaries() {
    use T::*;
    let cases: &[(&str, &[(T, &str)])] = &[
        // A continuation needs a newline; `/* */` does not count.
        ("'a'\n'b'", &[(Str, "'a'\n'b'")]),
        ("'a'  \t\r\n \n 'b'", &[(Str, "'a'  \t\r\n \n 'b'")]),
        ("'a' -- c\n-- d\n'b'", &[(Str, "'a' -- c\n-- d\n'b'")]),
        ("'a' 'b'", &[(Str, "'a'"), (Str, "'b'")]),
        ("'a'/* */\n'b'", &[(Str, "'a'"), (Str, "'b'")]),
        ("'a'\n/* */'b'", &[(Str, "'a'"), (Str, "'b'")]),
        ("'a'\n-- c", &[(Str, "'a'")]),
        ("'a' - 'b'", &[(Str, "'a'"), (Op, "-"), (Str, "'b'")]),
        // Bit strings: a second quote starts another constant.
        ("B'1''0'", &[(Str, "B'1'"), (Str, "'0'")]),
        ("X'1F'\n'2'", &[(Str, "X'1F'\n'2'")]),
        // A prefix only at a token's start.
        ("xE'a'", &[(Word, "xE"), (Str, "'a'")]),
        ("U&'a'", &[(Str, "U&'a'")]),
        ("U& 'a'", &[(Word, "U"), (Op, "&"), (Str, "'a'")]),
        // Dollar quotes and what only looks like one.
        ("$a$b$a$", &[(Str, "$a$b$a$")]),
        ("$a$ $A$ $a$", &[(Str, "$a$ $A$ $a$")]),
        ("x$a$", &[(Word, "x$a$")]),
        ("$1$a$ $a$", &[(Param, "$1"), (Str, "$a$ $a$")]),
        ("$a b", &[(Op, "$"), (Word, "a"), (Word, "b")]),
        ("$1a", &[(Param, "$1"), (Word, "a")]),
        // Comments in and after operators.
        ("+--c\n-", &[(Op, "+"), (Op, "-")]),
        ("*/* c */", &[(Op, "*")]),
        ("/*/ x */ 1", &[(Num, "1")]),
        ("/**/1", &[(Num, "1")]),
        // Numbers.
        ("1..2", &[(Num, "1"), (Dot, "."), (Num, ".2")]),
        (
            "1.e5 .5e-3 0x1F",
            &[(Num, "1.e5"), (Num, ".5e-3"), (Num, "0x1F")],
        ),
    ];
    for (sql, want) in cases {
        assert_eq!(tokens(sql, true), *want, "{sql:?}");
    }
    // With standard_conforming_strings off, `\` escapes in '…' and N'…'.
    assert_eq!(tokens("'a\\'b'", false), [(Str, "'a\\'b'")]);
    assert_eq!(tokens("'a\\'b'", true), [(Str, "'a\\'"), (Str, "b'")]);
    assert_eq!(tokens("N'\\''", false), [(Str, "N'\\''")]);
    assert_eq!(tokens("B'\\'", false), [(Str, "B'\\'")]);
}

#[test]
fn setting_values_in_every_string_form() {
    let iso = |sql: &str| on(sql).isolation;
    let ro = |sql: &str| on(sql).read_only_txn;
    let ser = Some(crate::attr::Isolation::Serializable);
    for sql in [
        "SET default_transaction_isolation = 'serializable'",
        "SET default_transaction_isolation = E'serializable'",
        "SET default_transaction_isolation = N'SERIALIZABLE'",
        "SET default_transaction_isolation = U&'serializable'",
        "SET default_transaction_isolation TO $$serializable$$",
        "SET default_transaction_isolation TO $x$serializable$x$",
    ] {
        assert_eq!(iso(sql), ser, "{sql:?}");
        assert_eq!(
            iso(sql),
            iso("SET default_transaction_isolation = serializable")
        );
    }
    assert_eq!(ro("SET default_transaction_read_only = E'on'"), Some(true));
    assert_eq!(
        ro("SET default_transaction_read_only TO $$off$$"),
        Some(false)
    );
    // Escapes are not decoded: the value stays unknown, never a wrong one.
    for sql in [
        "SET default_transaction_isolation = E'serializabl\\145'",
        "SET default_transaction_isolation = U&'serializabl\\0065'",
        "SET default_transaction_isolation = U&'serializable' UESCAPE '!'",
        "SET default_transaction_isolation = 'serial'\n'izable'",
    ] {
        assert_eq!(iso(sql), None, "{sql:?}");
    }
}

/// Random texts made of lexical pieces, with either setting: never a
/// panic, the facts of the whole are those of its statements, and every
/// name reported is one PostgreSQL could keep.
#[test]
fn random_forms_with_either_setting() {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "'", "''", "\\'", "\\\\", "\"", "\"\"", "E'", "N'", "B'", "X'", "U&'", "U&\"", "UESCAPE",
        "'!'", "!0061", "\\0061", "\\+000061", "\\D83D", "\\DE00", "$", "$$", "$a$", "$b$",
        "--", "/*", "*/", "\n", " ", "\t", ";", "(", ")", ".", "::", "+-", "@-@", "1e5", ".5",
        "$1", "SELECT", "DELETE", "FROM", "t", "x", "nextval", "random", "lower", "é",
    ];
    let mut rng = super::XorShift(0x2545_F491_4F6C_DD1D);
    let mut sql = String::new();
    for _ in 0..20_000 {
        sql.clear();
        let len = (rng.next() % 24) as usize;
        for _ in 0..len {
            let r = rng.next();
            sql.push_str(PIECES[(r >> 8) as usize % PIECES.len()]);
            if r & 0x10000 != 0 {
                sql.push(' ');
            }
        }
        for scs in [true, false] {
            let opts = Options {
                standard_conforming_strings: scs,
            };
            let whole = classify_with(&sql, opts);
            let mut acc = EMPTY;
            for (_, f) in statements_with(&sql, opts) {
                merge(&mut acc, &f);
            }
            assert_eq!(acc, whole, "scs {scs}: {sql:?}");
            let ok = |n: &str| n.len() <= 63;
            function_calls_with(&sql, opts, |f| {
                assert!(ok(f.name) && !f.name.is_empty(), "{sql:?}");
                assert!(f.schema.is_none_or(ok), "{sql:?}");
            });
            identifiers_with(&sql, opts, |n, _| assert!(ok(n), "{sql:?}"));
            let _ = redact_with(&sql, 40, opts);
        }
    }
}
