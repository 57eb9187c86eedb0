//! ODBC's escape sequences (`{fn …}`, `{d …}`, `{t …}`, `{ts …}`,
//! `{call …}`, `{? = call …}`, `{oj …}`, `{escape …}`, `{interval …}`)
//! rewritten as PostgreSQL's SQL. Braces inside strings, quoted
//! identifiers, dollar quotes and comments are left alone; escapes nest.

use crate::params::{count_markers, literal_end, Fail};

/// The text with its escapes rewritten, and whether it began with
/// `{? = call …}` (its first marker is then the return value, which the
/// rewritten text no longer has).
#[derive(Debug, PartialEq, Eq)]
pub struct Rewritten {
    pub sql: String,
    pub returns: bool,
}

fn syntax<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err((
        "42000",
        format!("syntax error in an escape sequence: {}", msg.into()),
    ))
}

/// Rewrites the escape sequences of `sql`.
pub fn rewrite(sql: &str) -> Result<Rewritten, Fail> {
    let b = sql.as_bytes();
    let mut i = 0;
    let mut returns = false;
    let mut out = Vec::with_capacity(b.len());
    text(b, &mut i, &mut out, false, &mut returns)?;
    Ok(Rewritten {
        sql: String::from_utf8(out).expect("whole UTF-8 sequences are copied"),
        returns,
    })
}

/// Copies `b[*i..]` to `out`, rewriting escapes, up to the `}` that closes
/// the enclosing escape when `inner` (left unread) or the end.
fn text(
    b: &[u8],
    i: &mut usize,
    out: &mut Vec<u8>,
    inner: bool,
    ret: &mut bool,
) -> Result<(), Fail> {
    while *i < b.len() {
        if let Some(e) = literal_end(b, *i) {
            out.extend_from_slice(&b[*i..e]);
            *i = e;
            continue;
        }
        match b[*i] {
            b'{' => {
                *i += 1;
                let s = escape(b, i, ret)?;
                out.extend_from_slice(s.as_bytes());
            }
            b'}' if inner => return Ok(()),
            c => {
                out.push(c);
                *i += 1;
            }
        }
    }
    if inner {
        return syntax("a '{' is not closed");
    }
    Ok(())
}

/// One escape, `*i` just after its `{`: returns its rewriting and leaves
/// `*i` after its `}`.
fn escape(b: &[u8], i: &mut usize, ret: &mut bool) -> Result<String, Fail> {
    let skip = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip(i);
    let mut returns = false;
    if b.get(*i) == Some(&b'?') {
        *i += 1;
        skip(i);
        if b.get(*i) != Some(&b'=') {
            return syntax("'{?' must be followed by '= call'");
        }
        *i += 1;
        skip(i);
        returns = true;
    }
    let start = *i;
    while *i < b.len() && b[*i].is_ascii_alphabetic() {
        *i += 1;
    }
    let kw = std::str::from_utf8(&b[start..*i])
        .expect("ASCII")
        .to_ascii_lowercase();
    if returns && kw != "call" {
        return syntax("'{? =' must be followed by 'call'");
    }
    let mut body = Vec::new();
    text(b, i, &mut body, true, ret)?;
    *i += 1; // the '}'
    let body = String::from_utf8(body).expect("whole UTF-8 sequences are copied");
    let body = body.trim();
    Ok(match kw.as_str() {
        "fn" => function(body)?,
        "d" => format!("DATE {}", body),
        "t" => format!("TIME {}", body),
        "ts" => format!("TIMESTAMP {}", body),
        "oj" => body.to_string(),
        "escape" => format!("ESCAPE {}", body),
        "interval" => format!("INTERVAL {}", body),
        "call" => {
            *ret |= returns;
            if body.ends_with(')') {
                format!("SELECT * FROM {}", body)
            } else {
                format!("SELECT * FROM {}()", body)
            }
        }
        "" => return syntax("an escape sequence needs a keyword after '{'"),
        k => return syntax(format!("unknown escape sequence '{{{}'", k)),
    })
}

/// Splits `name(arg, …)` at the top-level commas of its arguments.
fn call_parts(body: &str) -> Result<(String, Vec<String>), Fail> {
    let b = body.as_bytes();
    let open = match b.iter().position(|&c| c == b'(') {
        Some(p) => p,
        None => return Ok((body.trim().to_ascii_lowercase(), Vec::new())),
    };
    let name = body[..open].trim().to_ascii_lowercase();
    if !body.ends_with(')') {
        return syntax(format!("function {} has no closing parenthesis", name));
    }
    let inner = &body[open + 1..body.len() - 1];
    let ib = inner.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0i32;
    let mut last = 0;
    let mut i = 0;
    while i < ib.len() {
        if let Some(e) = literal_end(ib, i) {
            i = e;
            continue;
        }
        match ib[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 0 => {
                args.push(inner[last..i].trim().to_string());
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let tail = inner[last..].trim();
    if !tail.is_empty() || !args.is_empty() {
        args.push(tail.to_string());
    }
    Ok((name, args))
}

/// An argument used twice in a rewriting: not when it holds a marker,
/// whose one value would then be wanted twice.
fn twice<'a>(f: &str, a: &'a str) -> Result<&'a str, Fail> {
    if count_markers(a) > 0 {
        return Err((
            "HYC00",
            format!(
                "{{fn {}}} with a parameter marker in this argument is not supported",
                f.to_ascii_uppercase()
            ),
        ));
    }
    Ok(a)
}

/// Markers are numbered after the rewrite, in the order they appear: a
/// rewrite that puts arguments in another order (`order`: the original
/// index of each argument as it appears in the output) would bind values
/// to the wrong markers, so it is refused when two arguments it swaps
/// hold markers.
fn keep_order<S: AsRef<str>>(f: &str, a: &[S], order: &[usize]) -> Result<(), Fail> {
    let with: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| count_markers(a[i].as_ref()) > 0)
        .collect();
    if with.windows(2).any(|w| w[0] > w[1]) {
        return Err((
            "HYC00",
            format!(
                "{{fn {}}} with parameter markers in arguments it reorders is not supported",
                f.to_ascii_uppercase()
            ),
        ));
    }
    Ok(())
}

/// The SQL type name of CONVERT's second argument.
fn sql_type_name(t: &str) -> Option<&'static str> {
    Some(match t.trim().to_ascii_uppercase().as_str() {
        "SQL_BIGINT" => "bigint",
        "SQL_INTEGER" => "integer",
        "SQL_SMALLINT" | "SQL_TINYINT" => "smallint",
        "SQL_REAL" => "real",
        "SQL_FLOAT" | "SQL_DOUBLE" => "double precision",
        "SQL_NUMERIC" | "SQL_DECIMAL" => "numeric",
        "SQL_CHAR" | "SQL_WCHAR" => "char",
        "SQL_VARCHAR" | "SQL_WVARCHAR" => "varchar",
        "SQL_LONGVARCHAR" | "SQL_WLONGVARCHAR" => "text",
        "SQL_BIT" => "boolean",
        "SQL_DATE" | "SQL_TYPE_DATE" => "date",
        "SQL_TIME" | "SQL_TYPE_TIME" => "time",
        "SQL_TIMESTAMP" | "SQL_TYPE_TIMESTAMP" => "timestamp",
        "SQL_BINARY" | "SQL_VARBINARY" | "SQL_LONGVARBINARY" => "bytea",
        "SQL_GUID" => "uuid",
        _ => return None,
    })
}

/// The unit of a SQL_TSI_… interval: PostgreSQL's field name and the
/// seconds in one (0 for the calendar units).
fn tsi(t: &str) -> Option<(&'static str, u64)> {
    let t = t.trim().to_ascii_uppercase();
    let t = t.strip_prefix("SQL_TSI_").unwrap_or(&t).to_string();
    Some(match t.as_str() {
        "FRAC_SECOND" => ("microsecond", 0),
        "SECOND" => ("second", 1),
        "MINUTE" => ("minute", 60),
        "HOUR" => ("hour", 3600),
        "DAY" => ("day", 86400),
        "WEEK" => ("week", 604800),
        "MONTH" => ("month", 0),
        "QUARTER" => ("quarter", 0),
        "YEAR" => ("year", 0),
        _ => return None,
    })
}

fn argc(f: &str, args: &[String], n: std::ops::RangeInclusive<usize>) -> Result<(), Fail> {
    if n.contains(&args.len()) {
        Ok(())
    } else {
        syntax(format!(
            "{{fn {}}} takes {} arguments, not {}",
            f.to_ascii_uppercase(),
            if n.start() == n.end() {
                n.start().to_string()
            } else {
                format!("{} to {}", n.start(), n.end())
            },
            args.len()
        ))
    }
}

/// One `{fn …}`: ODBC's scalar function as PostgreSQL's.
fn function(body: &str) -> Result<String, Fail> {
    let (f, a) = call_parts(body)?;
    let j = a.join(", ");
    let field = |x: &str| format!("CAST(EXTRACT({} FROM {}) AS integer)", x, a[0]);
    let same = |n: &str| format!("{}({})", n, j);
    Ok(match f.as_str() {
        "concat" => {
            argc(&f, &a, 2..=2)?;
            format!("({} || {})", a[0], a[1])
        }
        "ucase" => same("upper"),
        "lcase" => same("lower"),
        "length" | "char_length" | "character_length" | "octet_length" | "bit_length" | "ltrim"
        | "rtrim" | "abs" | "ceiling" | "floor" | "mod" | "power" | "sqrt" | "pi" | "exp"
        | "sign" | "repeat" | "left" | "right" | "replace" | "ascii" | "degrees" | "radians"
        | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "atan2" | "cot" | "soundex"
        | "difference" | "lower" | "upper" => {
            let name = if f == "character_length" {
                "char_length"
            } else {
                &f
            };
            same(name)
        }
        "substring" => {
            argc(&f, &a, 2..=3)?;
            same("substr")
        }
        "locate" => {
            argc(&f, &a, 2..=3)?;
            if a.len() == 2 {
                keep_order(&f, &a, &[1, 0])?;
                format!("strpos({}, {})", a[1], a[0])
            } else {
                let (s, sub, start) = (twice(&f, &a[1])?, twice(&f, &a[0])?, twice(&f, &a[2])?);
                format!(
                    "(CASE WHEN strpos(substr({s}, {st}), {sub}) = 0 THEN 0 ELSE strpos(substr({s}, {st}), {sub}) + ({st}) - 1 END)",
                    s = s,
                    st = start,
                    sub = sub
                )
            }
        }
        "now" => "now()".into(),
        "curdate" | "current_date" => "current_date".into(),
        "curtime" | "current_time" => "current_time".into(),
        "current_timestamp" => "current_timestamp".into(),
        "dayofmonth" | "month" | "year" | "hour" | "minute" | "quarter" | "week" => {
            argc(&f, &a, 1..=1)?;
            field(if f == "dayofmonth" { "day" } else { &f })
        }
        "second" => {
            argc(&f, &a, 1..=1)?;
            format!("CAST(trunc(EXTRACT(second FROM {})) AS integer)", a[0])
        }
        "dayofweek" => {
            argc(&f, &a, 1..=1)?;
            format!("(CAST(EXTRACT(dow FROM {}) AS integer) + 1)", a[0])
        }
        "dayofyear" => {
            argc(&f, &a, 1..=1)?;
            field("doy")
        }
        "dayname" => {
            argc(&f, &a, 1..=1)?;
            format!("trim(to_char({}, 'Day'))", a[0])
        }
        "monthname" => {
            argc(&f, &a, 1..=1)?;
            format!("trim(to_char({}, 'Month'))", a[0])
        }
        "timestampadd" => {
            argc(&f, &a, 3..=3)?;
            let Some((unit, _)) = tsi(&a[0]) else {
                return syntax(format!("unknown interval {}", a[0]));
            };
            keep_order(&f, &a, &[2, 1])?;
            if unit == "microsecond" {
                // ODBC counts billionths; PostgreSQL keeps microseconds.
                format!("({} + ({}) * INTERVAL '1 microsecond' / 1000)", a[2], a[1])
            } else {
                format!("({} + ({}) * INTERVAL '1 {}')", a[2], a[1], unit)
            }
        }
        "timestampdiff" => {
            argc(&f, &a, 3..=3)?;
            let Some((unit, secs)) = tsi(&a[0]) else {
                return syntax(format!("unknown interval {}", a[0]));
            };
            keep_order(&f, &a, &[2, 1])?;
            let (t1, t2) = (&a[1], &a[2]);
            match (unit, secs) {
                // As timestamps, so that dates (whose difference is an
                // integer) work too.
                ("microsecond", _) => format!(
                    "CAST(EXTRACT(epoch FROM CAST({} AS timestamp) - CAST({} AS timestamp)) * 1000000000 AS bigint)",
                    t2, t1
                ),
                (_, s) if s > 0 => format!(
                    "CAST(trunc(EXTRACT(epoch FROM CAST({} AS timestamp) - CAST({} AS timestamp)) / {}) AS bigint)",
                    t2, t1, s
                ),
                (u, _) => {
                    let (t1, t2) = (twice(&f, t1)?, twice(&f, t2)?);
                    let months = format!(
                        "(EXTRACT(year FROM age({t2}, {t1})) * 12 + EXTRACT(month FROM age({t2}, {t1})))",
                        t1 = t1,
                        t2 = t2
                    );
                    let div = match u {
                        "month" => 1,
                        "quarter" => 3,
                        _ => 12,
                    };
                    format!("CAST(trunc({} / {}) AS bigint)", months, div)
                }
            }
        }
        "ifnull" => {
            argc(&f, &a, 2..=2)?;
            same("coalesce")
        }
        "database" => "current_database()".into(),
        "user" => "current_user".into(),
        "convert" => {
            argc(&f, &a, 2..=2)?;
            let Some(t) = sql_type_name(&a[1]) else {
                return syntax(format!("CONVERT to unknown type {}", a[1]));
            };
            format!("CAST({} AS {})", a[0], t)
        }
        "round" | "truncate" => {
            argc(&f, &a, 1..=2)?;
            let name = if f == "round" { "round" } else { "trunc" };
            if a.len() == 1 {
                format!("{}({})", name, a[0])
            } else {
                format!("{}(CAST({} AS numeric), {})", name, a[0], a[1])
            }
        }
        "log" => same("ln"),
        "log10" => {
            argc(&f, &a, 1..=1)?;
            format!("log({})", a[0])
        }
        "rand" => {
            argc(&f, &a, 0..=0)?;
            "random()".into()
        }
        "space" => {
            argc(&f, &a, 1..=1)?;
            format!("repeat(' ', {})", a[0])
        }
        "char" => same("chr"),
        "insert" => {
            argc(&f, &a, 4..=4)?;
            keep_order(&f, &a, &[0, 3, 1, 2])?;
            format!(
                "overlay({} placing {} from {} for {})",
                a[0], a[3], a[1], a[2]
            )
        }
        // PostgreSQL has none of these.
        other => {
            return Err((
                "HYC00",
                format!(
                    "scalar function {} is not supported by PostgreSQL",
                    other.to_ascii_uppercase()
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(s: &str) -> String {
        rewrite(s).unwrap_or_else(|e| panic!("{}: {:?}", s, e)).sql
    }

    #[test]
    fn markers_are_never_reordered() {
        // One marker-bearing argument moved is fine; two swapped are refused.
        assert_eq!(rw("{fn locate('a', ?)}"), "strpos(?, 'a')");
        assert_eq!(rw("{fn locate(?, 'abc')}"), "strpos('abc', ?)");
        for sql in [
            "{fn locate(?, ?)}",
            "{fn insert(?, ?, 2, ?)}",
            "{fn timestampadd(SQL_TSI_DAY, ?, ?)}",
            "{fn timestampdiff(SQL_TSI_SECOND, ?, ?)}",
        ] {
            let e = rewrite(sql).unwrap_err();
            assert_eq!(e.0, "HYC00", "{}", sql);
            assert!(e.1.contains("reorders"), "{}: {}", sql, e.1);
        }
        assert_eq!(
            rw("{fn insert(?, ?, ?, 'x')}"),
            "overlay(? placing 'x' from ? for ?)"
        );
        assert_eq!(
            rw("{fn insert(?, 1, 2, ?)}"),
            "overlay(? placing ? from 1 for 2)"
        );
    }

    #[test]
    fn literals() {
        assert_eq!(rw("SELECT {d '2024-01-02'}"), "SELECT DATE '2024-01-02'");
        assert_eq!(rw("SELECT {t'10:11:12'}"), "SELECT TIME '10:11:12'");
        assert_eq!(
            rw("SELECT { ts '2024-01-02 10:11:12.5' }"),
            "SELECT TIMESTAMP '2024-01-02 10:11:12.5'"
        );
        assert_eq!(rw("SELECT {INTERVAL '1' DAY}"), "SELECT INTERVAL '1' DAY");
        assert_eq!(
            rw("SELECT x FROM t WHERE x LIKE 'a\\_%' {escape '\\'}"),
            "SELECT x FROM t WHERE x LIKE 'a\\_%' ESCAPE '\\'"
        );
    }

    #[test]
    fn untouched() {
        for s in [
            "SELECT '{fn ucase(x)}'",
            "SELECT \"{d\" FROM t",
            "SELECT $$ {ts '1'} $$",
            "SELECT 1 -- {fn now()}\n",
            "SELECT /* { */ 1",
            "SELECT E'\\'{fn x}'",
            "SELECT '{1,2}'::int[]",
            "SELECT ARRAY[1]",
        ] {
            assert_eq!(rw(s), s);
        }
    }

    #[test]
    fn functions() {
        let cases = [
            ("{fn UCASE(name)}", "upper(name)"),
            ("{fn lcase('A')}", "lower('A')"),
            ("{fn CONCAT('a', 'b')}", "('a' || 'b')"),
            ("{fn LENGTH(x)}", "length(x)"),
            ("{fn SUBSTRING(x, 2, 3)}", "substr(x, 2, 3)"),
            ("{fn LOCATE('b', 'abc')}", "strpos('abc', 'b')"),
            ("{fn NOW()}", "now()"),
            ("{fn CURDATE()}", "current_date"),
            ("{fn CURTIME()}", "current_time"),
            ("{fn YEAR(d)}", "CAST(EXTRACT(year FROM d) AS integer)"),
            ("{fn DAYOFMONTH(d)}", "CAST(EXTRACT(day FROM d) AS integer)"),
            ("{fn IFNULL(a, 0)}", "coalesce(a, 0)"),
            ("{fn DATABASE()}", "current_database()"),
            ("{fn USER()}", "current_user"),
            ("{fn CONVERT(x, SQL_INTEGER)}", "CAST(x AS integer)"),
            ("{fn CONVERT(x, SQL_VARCHAR)}", "CAST(x AS varchar)"),
            ("{fn LOG(x)}", "ln(x)"),
            ("{fn LOG10(x)}", "log(x)"),
            ("{fn RAND()}", "random()"),
            ("{fn TRUNCATE(x, 2)}", "trunc(CAST(x AS numeric), 2)"),
            ("{fn ROUND(x, 1)}", "round(CAST(x AS numeric), 1)"),
            ("{fn SPACE(3)}", "repeat(' ', 3)"),
            ("{fn CHAR(65)}", "chr(65)"),
            (
                "{fn INSERT('abcdef', 2, 3, 'X')}",
                "overlay('abcdef' placing 'X' from 2 for 3)",
            ),
            ("{fn MOD(7, 3)}", "mod(7, 3)"),
            ("{fn PI()}", "pi()"),
            ("{fn DAYNAME(d)}", "trim(to_char(d, 'Day'))"),
            (
                "{fn TIMESTAMPADD(SQL_TSI_DAY, 3, ts)}",
                "(ts + (3) * INTERVAL '1 day')",
            ),
            (
                "{fn TIMESTAMPDIFF(SQL_TSI_HOUR, a, b)}",
                "CAST(trunc(EXTRACT(epoch FROM CAST(b AS timestamp) - CAST(a AS timestamp)) / 3600) AS bigint)",
            ),
            ("{fn REPLACE(s, ',', ';')}", "replace(s, ',', ';')"),
        ];
        for (i, o) in cases {
            assert_eq!(rw(i), o, "{}", i);
        }
        // Arguments with commas inside parentheses and strings.
        assert_eq!(
            rw("{fn IFNULL(f(a, b), 'x,y')}"),
            "coalesce(f(a, b), 'x,y')"
        );
        // Markers stay where they are.
        assert_eq!(rw("{fn UCASE(?)}"), "upper(?)");
        let e = rewrite("{fn LOCATE(?, s, 2)}").unwrap_err();
        assert_eq!(e.0, "HYC00");
        let e = rewrite("{fn FROBNICATE(1)}").unwrap_err();
        assert!(e.1.contains("FROBNICATE"), "{}", e.1);
        assert_eq!(rewrite("{fn CONCAT('a')}").unwrap_err().0, "42000");
    }

    #[test]
    fn nesting() {
        assert_eq!(
            rw("SELECT {fn UCASE({fn CONCAT({fn LCASE('A')}, 'b')})}"),
            "SELECT upper((lower('A') || 'b'))"
        );
        assert_eq!(
            rw("SELECT {fn YEAR({d '2024-05-06'})}"),
            "SELECT CAST(EXTRACT(year FROM DATE '2024-05-06') AS integer)"
        );
        assert_eq!(
            rw("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.id = b.id AND b.s = '}'}"),
            "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id AND b.s = '}'"
        );
        assert_eq!(rw("SELECT {fn UCASE('}')}"), "SELECT upper('}')");
    }

    #[test]
    fn calls() {
        assert_eq!(
            rewrite("{call f(1, ?)}").unwrap(),
            Rewritten {
                sql: "SELECT * FROM f(1, ?)".into(),
                returns: false
            }
        );
        assert_eq!(
            rewrite("{ ? = call g(?) }").unwrap(),
            Rewritten {
                sql: "SELECT * FROM g(?)".into(),
                returns: true
            }
        );
        assert_eq!(rw("{call p}"), "SELECT * FROM p()");
        assert_eq!(rewrite("{? = fn x()}").unwrap_err().0, "42000");
    }

    #[test]
    fn errors() {
        assert_eq!(rewrite("SELECT {fn now()").unwrap_err().0, "42000");
        assert_eq!(rewrite("SELECT {x 1}").unwrap_err().0, "42000");
        assert_eq!(rewrite("SELECT {}").unwrap_err().0, "42000");
    }
}
