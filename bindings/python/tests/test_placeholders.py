"""%s / %(name)s → $n conversion, literals and comments, %%, injection."""

from __future__ import annotations

import pytest

import pgtc
from pgtc import _sql


def conv(sql):
    return _sql.parse(sql)[0]


@pytest.mark.parametrize(
    "sql,out",
    [
        ("SELECT %s, %s", "SELECT $1, $2"),
        ("SELECT %(a)s, %(b)s, %(a)s", "SELECT $1, $2, $1"),
        ("SELECT 10 %% 3, %s", "SELECT 10 % 3, $1"),
        ("SELECT '%s', %s", "SELECT '%s', $1"),
        ("SELECT 'it''s %s', %s", "SELECT 'it''s %s', $1"),
        ("SELECT E'it\\'s %s', %s", "SELECT E'it\\'s %s', $1"),
        ("SELECT e'\\\\', %s", "SELECT e'\\\\', $1"),
        ("SELECT 'a\\', %s", "SELECT 'a\\', $1"),  # standard string: backslash is literal
        ('SELECT "col%s" FROM t WHERE x = %s', 'SELECT "col%s" FROM t WHERE x = $1'),
        ('SELECT "a""%s" , %s', 'SELECT "a""%s" , $1'),
        ("SELECT %s -- %s here\n, %s", "SELECT $1 -- %s here\n, $2"),
        ("SELECT %s /* %s /* nested %s */ %s */, %s", "SELECT $1 /* %s /* nested %s */ %s */, $2"),
        ("SELECT $$ %s $$, %s", "SELECT $$ %s $$, $1"),
        ("SELECT $tag$ %s $x$ %s $tag$, %s", "SELECT $tag$ %s $x$ %s $tag$, $1"),
        ("SELECT 'thi%%s :may ca%%(u)se?', %s", "SELECT 'thi%s :may ca%(u)se?', $1"),
        ("SELECT '50%', %s", "SELECT '50%', $1"),
        ("SELECT a$b, %s", "SELECT a$b, $1"),
        ("SELECT x FROM t WHERE y=%s", "SELECT x FROM t WHERE y=$1"),
        ("SELECT abc%s", "SELECT abc $1"),
        ("SELECT U&'%s', %s", "SELECT U&'%s', $1"),
        ("SELECT 1 - %s", "SELECT 1 - $1"),
        ("SELECT 'unterminated %s", "SELECT 'unterminated %s"),
    ],
)
def test_conversion(sql, out):
    assert conv(sql) == out


def test_modes():
    assert _sql.parse("SELECT 1")[1:] == (_sql.NONE, (), 0)
    assert _sql.parse("SELECT %s, %s")[1:] == (_sql.POSITIONAL, (), 2)
    assert _sql.parse("SELECT %(b)s, %(a)s, %(b)s")[1:] == (_sql.NAMED, ("b", "a"), 0)


@pytest.mark.parametrize("sql", ["SELECT %s, %(a)s", "SELECT %(a)s, %s", "SELECT %d", "SELECT %(a", "SELECT 5 % 3", "SELECT %"])
def test_bad_placeholders(sql):
    with pytest.raises(pgtc.ProgrammingError):
        _sql.parse(sql)


def test_live_literals_and_comments_untouched(aconn):
    cur = aconn.cursor()
    cur.execute(
        "SELECT '%s' AS a, %s::int AS b, $$%(x)s$$ AS c, E'\\'%s' AS d /* %s */ -- %s\n, 'x%%y' AS e",
        (7,),
    )
    assert cur.fetchone() == ("%s", 7, "%(x)s", "'%s", "x%y")
    cur.execute("SELECT %(v)s::text AS a, '%(v)s' AS b, %(v)s::text AS c", {"v": "val"})
    assert cur.fetchone() == ("val", "%(v)s", "val")


def test_percent_without_params_is_literal(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT '100%' AS a, 10 % 3 AS b, '%s' AS c")
    assert cur.fetchone() == ("100%", 1, "%s")


def test_percent_percent_with_params(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT 10 %% 3, %s::text, '%%'", ("x",))
    assert cur.fetchone() == (1, "x", "%")
    # an empty sequence still means "parameters given": %% is %
    cur.execute("SELECT 10 %% 4", ())
    assert cur.fetchone() == (2,)


INJECTIONS = [
    "'; DROP TABLE {t}; --",
    "x' OR '1'='1",
    "\\'; DROP TABLE {t}; --",
    "$$; DROP TABLE {t}; $$",
    "%s",
    "%(a)s",
    "\"; DROP TABLE {t}; --",
    "*/ DROP TABLE {t}; /*",
]


def test_no_injection(aconn, table):
    t = table("id serial, v text")
    cur = aconn.cursor()
    for evil in INJECTIONS:
        evil = evil.format(t=t)
        cur.execute(f"INSERT INTO {t} (v) VALUES (%s)", (evil,))
        cur.execute(f"SELECT v FROM {t} WHERE v = %(v)s", {"v": evil})
        assert cur.fetchall() == [(evil,)]
        cur.execute(f"SELECT count(*) FROM {t} WHERE v = %s", ("x' OR '1'='1",))
    cur.execute(f"SELECT count(*) FROM {t}")
    assert cur.fetchone() == (len(INJECTIONS),)


def test_nul_in_parameter_is_an_error(aconn):
    cur = aconn.cursor()
    with pytest.raises(pgtc.DataError):
        cur.execute("SELECT %s", ("a\x00b",))
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT 1\x00")
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)


def test_parameter_count_and_kind_checked(aconn):
    cur = aconn.cursor()
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %s, %s", (1,))
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %s", (1, 2))
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %(a)s", {"b": 1})
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %(a)s", (1,))
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %s", {"a": 1})
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %s", "ab")  # a str is not a parameter sequence
    with pytest.raises(pgtc.ProgrammingError):
        cur.execute("SELECT %s", 5)
    # extra keys in a mapping are fine (as in psycopg2)
    cur.execute("SELECT %(a)s::int", {"a": 1, "b": 2})
    assert cur.fetchone() == (1,)


def test_multi_statement_text_without_params(aconn):
    cur = aconn.cursor()
    cur.execute("SELECT 1; SELECT 2 AS two")
    assert cur.fetchall() == [(1,)]
    assert cur.nextset() is True
    assert cur.fetchall() == [(2,)]
    assert cur.description[0][0] == "two"


# Every lexical form libpgtc's lexer tells apart (src/classify/lex.rs): a
# placeholder inside one of them is text; the one after it is converted.
LEXICAL_FORMS = [
    # dollar quotes, without and with a tag, a look-alike tag inside, and
    # a parameter $1 that is no dollar quote
    ("SELECT $$%s$$, %s", "SELECT $$%s$$, $1"),
    ("SELECT $$ it's %s $$, %s", "SELECT $$ it's %s $$, $1"),
    ("SELECT $a$ %s $b$ %s $a$, %s", "SELECT $a$ %s $b$ %s $a$, $1"),
    ("SELECT $_x1$ %s $_x1$, %s", "SELECT $_x1$ %s $_x1$, $1"),
    ("SELECT $été$ %s $été$, %s", "SELECT $été$ %s $été$, $1"),
    ("SELECT $1x$ %s", "SELECT $1x$ $1"),  # $1 then x$: not a tag
    ("SELECT a$$b, %s", "SELECT a$$b, $1"),  # $ inside an identifier
    ("SELECT $a$ %s", "SELECT $a$ %s"),  # unterminated: text to the end
    # E'' strings: \' and \\ do not end them, '' does not either
    ("SELECT E'\\' %s', %s", "SELECT E'\\' %s', $1"),
    ("SELECT e'\\\\', %s", "SELECT e'\\\\', $1"),
    ("SELECT E'a''%s\\'', %s", "SELECT E'a''%s\\'', $1"),
    ("SELECT E'\\%%', %s", "SELECT E'\\%', $1"),
    ("SELECT E'\\%s', %s", "SELECT E'\\%s', $1"),
    ("SELECT 1 FROM t WHERE E'x' = %s", "SELECT 1 FROM t WHERE E'x' = $1"),
    # a word ending in e before a quote is no E'' string
    ("SELECT name'x\\', %s", "SELECT name'x\\', $1"),
    # standard strings: '' inside, backslash is an ordinary character
    ("SELECT '''%s''', %s", "SELECT '''%s''', $1"),
    ("SELECT 'a\\', %s", "SELECT 'a\\', $1"),
    ("SELECT '', %s", "SELECT '', $1"),
    # -- comments end at a newline or a carriage return
    ("SELECT 1 -- %s\n, %s", "SELECT 1 -- %s\n, $1"),
    ("SELECT 1 -- %s\r, %s", "SELECT 1 -- %s\r, $1"),
    ("SELECT 1 --%s", "SELECT 1 --%s"),
    ("SELECT 1 - -%s", "SELECT 1 - -$1"),
    # nested /* */ comments, and -- inside them
    ("SELECT /* a /* b %s */ c %s */ %s", "SELECT /* a /* b %s */ c %s */ $1"),
    ("SELECT /* -- %s\n */ %s", "SELECT /* -- %s\n */ $1"),
    ("SELECT /*/ %s */ %s", "SELECT /*/ %s */ $1"),
    ("SELECT 1 /* open %s", "SELECT 1 /* open %s"),
    ("SELECT 4 / %s", "SELECT 4 / $1"),
    # quoted identifiers, "" inside, and U&"..." identifiers
    ('SELECT 1 AS "a""%s""", %s', 'SELECT 1 AS "a""%s""", $1'),
    ('SELECT 1 AS "-- %s", %s', 'SELECT 1 AS "-- %s", $1'),
    ('SELECT 1 AS U&"d\\0061t%s", %s', 'SELECT 1 AS U&"d\\0061t%s", $1'),
    ('SELECT 1 AS u&"x""%s", %s', 'SELECT 1 AS u&"x""%s", $1'),
    # U&'' strings (backslash is their escape, '' still ends nothing)
    ("SELECT U&'\\0041%s', %s", "SELECT U&'\\0041%s', $1"),
    ("SELECT U&'!0041%s' UESCAPE '!', %s", "SELECT U&'!0041%s' UESCAPE '!', $1"),
    # B'' and X'' bit strings, N'' national strings
    ("SELECT B'0101', X'%s', %s", "SELECT B'0101', X'%s', $1"),
    ("SELECT b'1''%s', %s", "SELECT b'1''%s', $1"),
    ("SELECT x'1F' = %s", "SELECT x'1F' = $1"),
    ("SELECT N'%s', %s", "SELECT N'%s', $1"),
]


@pytest.mark.parametrize("sql,out", LEXICAL_FORMS)
def test_lexical_forms(sql, out):
    assert conv(sql) == out


def test_lexical_forms_named():
    for sql, out in LEXICAL_FORMS:
        named = sql.replace(", %s", ", %(p)s").replace("= %s", "= %(p)s")
        if named != sql:
            assert conv(named) == out, sql


def test_lexical_forms_live(aconn):
    # The server reads the converted text as the converter did: the text
    # inside each form comes back unchanged, the parameter is bound.
    cur = aconn.cursor()
    cur.execute(
        "SELECT $$%s$$, $t$ %s $x$ $t$, E'\\' %s', 'a''%s', U&'\\0041%s', "
        '1 AS "x""%s", B\'01\'::text, X\'1F\'::text /* %s /* %s */ */, %s::text -- %s\r',
        ("p",),
    )
    assert cur.fetchone() == ("%s", " %s $x$ ", "' %s", "a'%s", "A%s", 1, "01", "00011111", "p")
