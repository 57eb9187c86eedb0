//! Whether a read's answer depends on the server that gives it (node
//! identity, see `Facts::node_identity`) or on the transaction's time.

use super::*;

/// The words that read the transaction's start time (or its date).
pub(super) fn txn_time_word(w: &[u8]) -> bool {
    const WORDS: [&[u8]; 7] = [
        b"current_date",
        b"current_time",
        b"current_timestamp",
        b"localtime",
        b"localtimestamp",
        b"now",
        b"transaction_timestamp",
    ];
    matches!(w.first().map(|c| c | 0x20), Some(b'c' | b'l' | b'n' | b't'))
        && w.len() >= 3
        && WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// `pg_temp` or `pg_temp_N`, the session's temporary schema.
pub(super) fn temp_schema(n: &[u8]) -> bool {
    n.len() >= 7
        && n[..7].eq_ignore_ascii_case(b"pg_temp")
        && (n.len() == 7 || (n[7] == b'_' && n.len() > 8 && n[8..].iter().all(u8::is_ascii_digit)))
}

/// `SHOW name` (the reader just after SHOW): `SHOW ALL`, or a setting of
/// `SETTINGS`.
pub(super) fn shows_identity(r: &Reader) -> bool {
    let mut c = *r;
    match c.next().and_then(|t| c.name(t)) {
        Some(n) => n.eq_ignore_ascii_case(b"all") || identity_setting(n),
        None => false,
    }
}

/// The name `t` (after `prev`, itself after `prev2`) is a function or view
/// whose answer depends on the server: unqualified or qualified with
/// `pg_catalog`; `current_setting` when it reads a setting of `SETTINGS`
/// or one that is not a plain string constant (`Ident::Server`), or the
/// session's cursors (`Ident::Cursors`).
#[inline]
pub(super) fn names_identity(
    r: &Reader,
    t: Tok,
    prev: Option<Tok>,
    prev2: Option<Tok>,
) -> Option<Ident> {
    let mut nb: NameBuf;
    let n = match r.name(t) {
        Some(n) => n,
        None => {
            nb = [0; DECODED_MAX];
            r.name_in(t, &mut nb)?
        }
    };
    let which = identity(n, t.t == T::QIdent)?;
    if prev.is_some_and(|p| p.t == T::Dot) {
        let mut sb: NameBuf = [0; DECODED_MAX];
        let in_catalog = match prev2.and_then(|s| r.name_in(s, &mut sb).map(|n| (n, s.t))) {
            Some((s, T::QIdent)) => s == b"pg_catalog",
            Some((s, _)) => s.eq_ignore_ascii_case(b"pg_catalog"),
            None => false,
        };
        if !in_catalog {
            return None;
        }
    }
    match which {
        Ident::Server | Ident::Cursors => Some(which),
        Ident::Setting => {
            let mut c = *r;
            if !c.next().is_some_and(|p| p.t == T::LParen) {
                return None;
            }
            let server = match (c.next(), c.next()) {
                (Some(a), Some(end)) if a.t == T::Str && matches!(end.t, T::RParen | T::Comma) => {
                    let w = c.bytes(a);
                    let plain = w.len() >= 2 && w[0] == b'\'' && w[w.len() - 1] == b'\'';
                    !plain || identity_setting(&w[1..w.len() - 1])
                }
                _ => true,
            };
            server.then_some(Ident::Server)
        }
    }
}
