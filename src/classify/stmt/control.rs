//! Transaction control and settings statements: `COMMIT`/`ROLLBACK` and
//! their forms, savepoint names, transaction modes, `SET` and the
//! settings it may pin, `LOCK … IN ACCESS SHARE MODE`.

use super::*;

/// The rest of `LOCK [TABLE] [ONLY] name [*], … IN ACCESS SHARE MODE
/// [NOWAIT]`: whether that is the mode named (a LOCK without a mode takes
/// ACCESS EXCLUSIVE).
pub(super) fn share_lock_mode(r: &mut Reader) -> bool {
    let mut prev: [Option<Tok>; 3] = [None; 3];
    let mut found = false;
    while let Some(t) = r.next() {
        if r.is_word(Some(t), b"mode") {
            found = r.is_word(prev[2], b"in")
                && r.is_word(prev[1], b"access")
                && prev[0].is_some_and(|s| r.kw(s) == Kw::Share);
            if !found {
                return false;
            }
            // Only NOWAIT may follow.
            return match r.next() {
                None => true,
                Some(n) => r.is_word(Some(n), b"nowait") && r.next().is_none(),
            };
        }
        prev = [Some(t), prev[0], prev[1]];
    }
    found
}

/// `COMMIT | END | ROLLBACK | ABORT …` after the first word `k`.
pub(super) fn finish(r: &mut Reader, k: Kw, st: &mut St) {
    let commit = matches!(k, Kw::Commit | Kw::End);
    if matches!(k, Kw::Commit | Kw::Rollback) && r.peek_kw() == Kw::Prepared {
        r.next();
        if r.next().is_some_and(|t| t.t == T::Str) && r.next().is_none() {
            st.kind = Kind::TwoPhase;
        }
        return;
    }
    if matches!(r.peek_kw(), Kw::Work | Kw::Transaction) {
        r.next();
    }
    if k == Kw::Rollback && r.peek_kw() == Kw::To {
        r.next();
        if savepoint_name(r) {
            st.kind = Kind::RollbackTo;
        }
        return;
    }
    // [AND [NO] CHAIN]
    let chain = match r.next() {
        None => Some(false),
        Some(t) if r.kw(t) == Kw::And => {
            let mut k2 = r.next_kw();
            let chain = k2 != Kw::No;
            if !chain {
                k2 = r.next_kw();
            }
            (k2 == Kw::Chain && r.next().is_none()).then_some(chain)
        }
        Some(_) => None,
    };
    if let Some(chain) = chain {
        st.kind = if commit { Kind::Commit } else { Kind::Rollback };
        st.chain = chain;
    }
}

/// `[SAVEPOINT] name` and nothing more.
pub(super) fn savepoint_name(r: &mut Reader) -> bool {
    let is_name = |t: Tok| matches!(t.t, T::Word | T::QIdent);
    let Some(t) = r.next() else { return false };
    if !is_name(t) {
        return false;
    }
    if r.kw(t) == Kw::Savepoint {
        match r.next() {
            // `RELEASE savepoint`: a savepoint named "savepoint".
            None => true,
            Some(t2) => is_name(t2) && r.next().is_none(),
        }
    } else {
        r.next().is_none()
    }
}

/// Transaction modes (of BEGIN, START TRANSACTION, SET TRANSACTION, SET
/// SESSION CHARACTERISTICS AS TRANSACTION) up to the end of the statement.
/// False if something else is there.
pub(super) fn modes(r: &mut Reader, st: &mut St) -> bool {
    while let Some(t) = r.next() {
        if t.t == T::Comma {
            continue;
        }
        match r.kw(t) {
            Kw::Isolation => {
                if r.next_kw() != Kw::Level {
                    return false;
                }
                let level = match r.next_kw() {
                    Kw::Serializable => Isolation::Serializable,
                    Kw::Repeatable if r.next_kw() == Kw::Read => Isolation::RepeatableRead,
                    Kw::Read if matches!(r.next_kw(), Kw::Committed | Kw::Uncommitted) => {
                        Isolation::ReadCommitted
                    }
                    _ => return false,
                };
                st.set_isolation(level);
            }
            Kw::Read => match r.next_kw() {
                Kw::Only => st.set_read_only(true),
                Kw::Write => st.set_read_only(false),
                _ => return false,
            },
            Kw::Not => {
                if r.next_kw() != Kw::Deferrable {
                    return false;
                }
            }
            Kw::Deferrable => {}
            _ => return false,
        }
    }
    true
}

/// `SET …` after the word SET.
pub(super) fn set(r: &mut Reader, st: &mut St) {
    let Some(t) = r.next() else { return };
    match r.kw(t) {
        Kw::Local | Kw::Constraints => st.kind = Kind::SetLocal,
        Kw::Transaction => {
            if r.peek_kw() == Kw::Snapshot {
                r.next();
                if r.next().is_some_and(|t| t.t == T::Str) && r.next().is_none() {
                    st.kind = Kind::SetTransaction;
                }
            } else if modes(r, st) {
                st.kind = Kind::SetTransaction;
            }
        }
        Kw::Session => {
            let Some(t2) = r.next() else { return };
            if r.kw(t2) == Kw::Characteristics {
                if r.next_kw() == Kw::As && r.next_kw() == Kw::Transaction && modes(r, st) {
                    st.kind = Kind::SetSession;
                }
            } else {
                set_var(r, t2, st);
                st.kind = Kind::SetSession;
            }
        }
        _ => {
            set_var(r, t, st);
            st.kind = Kind::SetSession;
        }
    }
}

/// A placeholder `module.param` that the procedural language `module`
/// removes when it is loaded, because it defines no such parameter
/// (PostgreSQL 15 and later). A language loads on first use, in one
/// server's session and not the other's (a function call on the standby,
/// a trigger on the primary), so the setting would be there on one server
/// only: it pins the session to the primary instead. `param` is `None`
/// when it cannot be read as written.
pub(super) fn removed_when_loaded(module: &[u8], param: Option<&[u8]>) -> bool {
    const KNOWN: &[(&[u8], &[&[u8]])] = &[
        (
            b"plpgsql",
            &[
                b"check_asserts",
                b"extra_errors",
                b"extra_warnings",
                b"print_strict_params",
                b"variable_conflict",
            ],
        ),
        (
            b"plperl",
            &[
                b"on_init",
                b"on_plperl_init",
                b"on_plperlu_init",
                b"use_strict",
            ],
        ),
        (b"pltcl", &[b"start_proc"]),
        (b"pltclu", &[b"start_proc"]),
    ];
    KNOWN
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(module))
        .is_some_and(|(_, params)| {
            !param.is_some_and(|p| params.iter().any(|k| k.eq_ignore_ascii_case(p)))
        })
}

/// `SET [SESSION] name {TO | =} value`: notes the session defaults
/// `default_transaction_isolation` / `default_transaction_read_only`, which
/// mean the same as `SET SESSION CHARACTERISTICS AS TRANSACTION …`.
pub(super) fn set_var(r: &mut Reader, name: Tok, st: &mut St) {
    if r.peek().is_some_and(|t| t.t == T::Dot) {
        let mut c = *r;
        c.next();
        let param = c.next().and_then(|t| c.name(t));
        if r.name(name).is_some_and(|m| removed_when_loaded(m, param)) {
            st.pins |= PIN_SETTING;
        }
        return;
    }
    let which = r.kw(name);
    if !matches!(
        which,
        Kw::DefaultTransactionIsolation | Kw::DefaultTransactionReadOnly
    ) {
        return;
    }
    match r.next() {
        Some(t) if r.kw(t) == Kw::To || r.bytes(t) == b"=" => {}
        _ => return,
    }
    let Some(v) = r.next() else { return };
    let w = r.bytes(v);
    let value = match v.t {
        T::Word | T::Num => w,
        T::Str => match plain_str(r.lex.b, v, r.lex.scs) {
            Some(body) => body,
            None => return,
        },
        _ => return,
    };
    let is = |s: &[u8]| value.eq_ignore_ascii_case(s);
    if which == Kw::DefaultTransactionIsolation {
        if is(b"serializable") {
            st.set_isolation(Isolation::Serializable);
        } else if is(b"repeatable read") {
            st.set_isolation(Isolation::RepeatableRead);
        } else if is(b"read committed") || is(b"read uncommitted") {
            st.set_isolation(Isolation::ReadCommitted);
        }
    } else if is(b"on") || is(b"true") || is(b"yes") || is(b"1") {
        st.set_read_only(true);
    } else if is(b"off") || is(b"false") || is(b"no") || is(b"0") {
        st.set_read_only(false);
    }
}
