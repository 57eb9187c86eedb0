//! Cursors by name: what a single `DECLARE`, `FETCH`, `MOVE` or `CLOSE`
//! statement does to which cursor, so that a cursor is always used on the
//! server that declared it. Pure, like the rest of `classify`.

use super::lex::{Reader, T};
use super::names::Kw;
use super::{classify, Kind};

/// What a statement does with a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorOp {
    /// `DECLARE name … CURSOR [WITHOUT HOLD] FOR query`; `read_only`: the
    /// query is a plain read (no locking clause, nothing that writes).
    Declare { read_only: bool, hold: bool },
    /// `FETCH` or `MOVE` from the cursor.
    Fetch,
    /// `CLOSE name`.
    Close,
    /// `CLOSE ALL`.
    CloseAll,
}

/// A cursor statement: its operation and the cursor's name as PostgreSQL
/// stores it (unquoted names folded to lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub op: CursorOp,
    pub name: String,
}

/// The cursor `sql` (one statement) declares, fetches from, moves or
/// closes; `None` for anything else.
pub fn cursor(sql: &str) -> Option<Cursor> {
    let b = sql.as_bytes();
    let mut r = Reader::new(b, 0, true);
    let first = r.next()?;
    let name_of = |r: &Reader, t: super::lex::Tok| -> Option<String> {
        let raw = r.name(t)?;
        let s = std::str::from_utf8(raw).ok()?;
        Some(match t.t {
            T::Word => s.to_ascii_lowercase(),
            _ => s.to_string(),
        })
    };
    let named = |t: super::lex::Tok| matches!(t.t, T::Word | T::QIdent);
    match r.kw(first) {
        Kw::Declare => {
            let n = r.next().filter(|t| named(*t))?;
            let name = name_of(&r, n)?;
            let mut hold = false;
            // Options up to CURSOR, then [WITH | WITHOUT HOLD] FOR query.
            loop {
                let t = r.next()?;
                if r.kw(t) == Kw::Cursor {
                    break;
                }
            }
            loop {
                let t = r.next()?;
                match r.kw(t) {
                    Kw::With => hold = r.next_kw() == Kw::Hold,
                    Kw::For => break,
                    _ if r.is_word(Some(t), b"without") => {
                        r.next();
                    }
                    _ => return None,
                }
            }
            let query = r.peek()?.s;
            r.drain();
            if r.end < b.len() && !sql[r.end..].trim_start_matches(';').trim().is_empty() {
                return None; // more statements follow
            }
            let f = classify(&sql[query..r.end]);
            let read_only = f.kind == Kind::Read && f.statements == 1 && !f.locking;
            Some(Cursor {
                op: CursorOp::Declare { read_only, hold },
                name,
            })
        }
        _ if r.is_word(Some(first), b"fetch") || r.is_word(Some(first), b"move") => {
            // FETCH [direction [count]] [FROM | IN] name: the name is last.
            let mut last = None;
            while let Some(t) = r.next() {
                last = Some(t);
            }
            let last = last.filter(|t| named(*t))?;
            Some(Cursor {
                op: CursorOp::Fetch,
                name: name_of(&r, last)?,
            })
        }
        _ if r.is_word(Some(first), b"close") => {
            let n = r.next().filter(|t| named(*t))?;
            if r.next().is_some() {
                return None;
            }
            if r.is_word(Some(n), b"all") {
                return Some(Cursor {
                    op: CursorOp::CloseAll,
                    name: String::new(),
                });
            }
            Some(Cursor {
                op: CursorOp::Close,
                name: name_of(&r, n)?,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(sql: &str) -> Option<(CursorOp, String)> {
        cursor(sql).map(|c| (c.op, c.name))
    }

    #[test]
    fn cursor_statements_by_name() {
        let decl = |read_only, hold| CursorOp::Declare { read_only, hold };
        for (sql, want) in [
            (
                "DECLARE c CURSOR FOR SELECT 1",
                Some((decl(true, false), "c")),
            ),
            (
                "declare \"Cur\" no scroll cursor without hold for select * from t",
                Some((decl(true, false), "Cur")),
            ),
            (
                "DECLARE C BINARY INSENSITIVE SCROLL CURSOR WITH HOLD FOR SELECT 1",
                Some((decl(true, true), "c")),
            ),
            (
                "DECLARE c CURSOR FOR SELECT * FROM t FOR UPDATE",
                Some((decl(false, false), "c")),
            ),
            (
                "DECLARE c CURSOR FOR SELECT nextval('s')",
                Some((decl(false, false), "c")),
            ),
            ("DECLARE c CURSOR FOR SELECT 1; DELETE FROM t", None),
            ("FETCH 10 FROM c", Some((CursorOp::Fetch, "c"))),
            ("fetch next in \"C\"", Some((CursorOp::Fetch, "C"))),
            ("FETCH c", Some((CursorOp::Fetch, "c"))),
            ("MOVE BACKWARD ALL IN c", Some((CursorOp::Fetch, "c"))),
            ("FETCH FORWARD 5 FROM c;", Some((CursorOp::Fetch, "c"))),
            ("CLOSE c", Some((CursorOp::Close, "c"))),
            ("CLOSE ALL", Some((CursorOp::CloseAll, ""))),
            ("SELECT 1", None),
            ("CLOSE", None),
        ] {
            assert_eq!(op(sql), want.map(|(o, n)| (o, n.to_string())), "{}", sql);
        }
    }
}
