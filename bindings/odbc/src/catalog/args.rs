//! The name arguments of the catalog functions: search patterns, ordinary
//! arguments and identifiers (SQL_ATTR_METADATA_ID), as filters.

use crate::strings::Fail;

/// How one argument restricts a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// No restriction (a NULL argument, or the pattern `%`).
    Any,
    /// Nothing matches (an empty catalog or schema: PostgreSQL has no
    /// table without one).
    Nothing,
    /// Exactly this name.
    Eq(String),
    /// A LIKE pattern (escape `\`), already made well-formed.
    Like(String),
}

/// An ODBC search pattern (`%`, `_`, and `\` escaping either) as a LIKE
/// pattern with the escape `\`: the same language, except that a `\`
/// before any other character, or at the end, stands for itself.
pub fn like_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 2);
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n @ ('%' | '_' | '\\')) => {
                    out.push('\\');
                    out.push(n);
                }
                Some(n) => {
                    out.push_str("\\\\");
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a LIKE pattern (as `like_pattern` writes it) has a wildcard.
pub fn has_wildcard(p: &str) -> bool {
    let mut it = p.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                it.next();
            }
            '%' | '_' => return true,
            _ => {}
        }
    }
    false
}

/// The text a LIKE pattern without wildcards matches.
pub fn unescape(p: &str) -> String {
    let mut out = String::new();
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An identifier argument (SQL_ATTR_METADATA_ID true): a quoted one is
/// taken literally (`""` for `"`); an unquoted one loses trailing blanks
/// and is folded to lower case, as PostgreSQL folds unquoted names.
pub fn identifier(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].replace("\"\"", "\"")
    } else {
        s.trim_end().to_lowercase()
    }
}

fn null_identifier() -> Fail {
    (
        "HY009",
        "SQL_ATTR_METADATA_ID is true, so every name argument must be given".into(),
    )
}

/// A pattern value argument (a schema, table, column or procedure name).
pub fn pattern(v: Option<&str>, metadata_id: bool) -> Result<Match, Fail> {
    if metadata_id {
        return Ok(Match::Eq(identifier(v.ok_or_else(null_identifier)?)));
    }
    Ok(match v {
        None => Match::Any,
        Some(p) => {
            let l = like_pattern(p);
            if l == "%" {
                Match::Any
            } else if has_wildcard(&l) {
                Match::Like(l)
            } else {
                Match::Eq(unescape(&l))
            }
        }
    })
}

/// An ordinary argument (taken literally; a table name must be given).
pub fn ordinary(v: Option<&str>, metadata_id: bool) -> Result<Match, Fail> {
    Ok(match v {
        None if metadata_id => return Err(null_identifier()),
        None => Match::Any,
        Some(s) if metadata_id => Match::Eq(identifier(s)),
        Some(s) => Match::Eq(s.to_string()),
    })
}

/// A catalog, schema or table argument where "" means "those without
/// one" (none, in PostgreSQL) rather than the name "".
pub fn scoped(m: Match) -> Match {
    match m {
        Match::Eq(s) if s.is_empty() => Match::Nothing,
        Match::Like(s) if s.is_empty() => Match::Nothing,
        m => m,
    }
}

/// The TableType argument of SQLTables: a comma-separated list of types,
/// each optionally in single quotes, compared without regard to case.
pub fn table_types(v: Option<&str>) -> Option<Vec<String>> {
    let v = v?.trim();
    if v.is_empty() || v == "%" {
        return None;
    }
    Some(
        v.split(',')
            .map(|t| t.trim().trim_matches('\'').trim().to_uppercase())
            .filter(|t| !t.is_empty())
            .collect(),
    )
}
