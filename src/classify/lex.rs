//! The lexer: tokens of PostgreSQL's SQL with only the distinctions
//! classification needs, a reader of one statement's tokens, the leading
//! routing hint, and the redaction of a text for log lines.

use super::names::{kw_at, Kw};
use super::Hint;
use std::ops::Range;

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

/// Token types; only the distinctions classification needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum T {
    /// Identifier or keyword (unquoted).
    Word,
    /// `"quoted identifier"` or `U&"…"`.
    QIdent,
    /// Any string constant, including `$tag$…$tag$`.
    Str,
    Num,
    /// `$1`.
    Param,
    LParen,
    RParen,
    Semi,
    Comma,
    Dot,
    /// Any other operator or punctuation byte.
    Op,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub(crate) t: T,
    pub(crate) s: usize,
    pub(crate) e: usize,
}

#[derive(Clone, Copy)]
pub(crate) struct Lexer<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) pos: usize,
    /// Some string, quoted identifier or comment ran to the end of the text.
    pub(crate) unterminated: bool,
    /// The routing hint of a comment before the first token of the text
    /// (`pos` 0), once that token is read.
    pub(crate) hint: Option<Hint>,
    /// The session's `standard_conforming_strings`: when off, a backslash
    /// escapes the next character in `'…'` and `N'…'` as in `E'…'`.
    pub(crate) scs: bool,
}

const SPACE: u8 = 1;
const IDENT_START: u8 = 2;
const IDENT_CONT: u8 = 4;
const DOLQ_CONT: u8 = 8;

/// Byte classes of PostgreSQL's lexer.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let mut v = 0;
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            v |= SPACE;
        }
        if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 {
            v |= IDENT_START | IDENT_CONT | DOLQ_CONT;
        }
        if b.is_ascii_digit() {
            v |= IDENT_CONT | DOLQ_CONT;
        }
        if b == b'$' {
            v |= IDENT_CONT;
        }
        t[c] = v;
        c += 1;
    }
    t
};

#[inline]
pub(crate) fn is_space(c: u8) -> bool {
    CLASS[c as usize] & SPACE != 0
}

#[inline]
pub(crate) fn is_ident_start(c: u8) -> bool {
    CLASS[c as usize] & IDENT_START != 0
}

#[inline]
fn is_ident_cont(c: u8) -> bool {
    CLASS[c as usize] & IDENT_CONT != 0
}

/// A byte of a dollar-quote tag after the first (no `$`).
#[inline]
fn is_dolq_cont(c: u8) -> bool {
    CLASS[c as usize] & DOLQ_CONT != 0
}

impl<'a> Lexer<'a> {
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    pub(crate) fn new(b: &'a [u8], pos: usize, scs: bool) -> Lexer<'a> {
        Lexer {
            b,
            pos,
            unterminated: false,
            hint: None,
            scs,
        }
    }

    /// The comment body `s..e` before the first token: a hint?
    #[cold]
    fn note_hint(&mut self, s: usize, e: usize) {
        if self.hint.is_none() {
            self.hint = hint_word(&self.b[s..e]);
        }
    }

    #[inline]
    pub(crate) fn next(&mut self) -> Option<Tok> {
        let b = self.b;
        let n = b.len();
        let mut i = self.pos;
        loop {
            while i < n && is_space(b[i]) {
                i += 1;
            }
            if i >= n {
                self.pos = n;
                return None;
            }
            if b[i] == b'-' && self.at(i + 1) == b'-' {
                let s = i + 2;
                i = s;
                while i < n && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                if self.pos == 0 {
                    self.note_hint(s, i);
                }
            } else if b[i] == b'/' && self.at(i + 1) == b'*' {
                let s = i + 2;
                i = self.block_comment(s);
                if self.pos == 0 && !self.unterminated {
                    self.note_hint(s, i - 2);
                }
            } else {
                break;
            }
        }
        let c = b[i];
        let (t, e) = match c {
            b'\'' => (T::Str, self.string(i + 1, !self.scs)),
            b'"' => (T::QIdent, self.quoted(i + 1, b'"')),
            b'(' => (T::LParen, i + 1),
            b')' => (T::RParen, i + 1),
            b';' => (T::Semi, i + 1),
            b',' => (T::Comma, i + 1),
            b'e' | b'E' if self.at(i + 1) == b'\'' => (T::Str, self.string(i + 2, true)),
            b'n' | b'N' if self.at(i + 1) == b'\'' => (T::Str, self.string(i + 2, !self.scs)),
            b'b' | b'B' | b'x' | b'X' if self.at(i + 1) == b'\'' => (T::Str, self.bits(i + 2)),
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'\'' => {
                (T::Str, self.string(i + 3, false))
            }
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'"' => {
                let e = self.quoted(i + 3, b'"');
                (T::QIdent, self.uescape_clause(e))
            }
            b'$' => self.dollar(i),
            b'0'..=b'9' => (T::Num, self.number(i)),
            b'.' if self.at(i + 1).is_ascii_digit() => (T::Num, self.number(i)),
            b'.' => (T::Dot, i + 1),
            c if is_ident_start(c) => {
                let mut j = i + 1;
                while j < n && is_ident_cont(b[j]) {
                    j += 1;
                }
                (T::Word, j)
            }
            _ => (T::Op, i + 1),
        };
        self.pos = e;
        Some(Tok { t, s: i, e })
    }

    /// Skip a (nesting) block comment whose body starts at `i`.
    pub(crate) fn block_comment(&mut self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut depth = 1usize;
        while i < n {
            if b[i] == b'/' && self.at(i + 1) == b'*' {
                depth += 1;
                i += 2;
            } else if b[i] == b'*' && self.at(i + 1) == b'/' {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            } else {
                i += 1;
            }
        }
        self.unterminated = true;
        n
    }

    /// The end of a `U&"…"` name that ends at `e`, with the `UESCAPE 'c'`
    /// clause that may follow it: the name and its clause are one token,
    /// as in PostgreSQL's grammar, so that a call or a qualified name
    /// spelled with it is read like any other (see `decode`). Without a
    /// string after `UESCAPE` (which the server refuses), `e`.
    #[inline]
    fn uescape_clause(&self, e: usize) -> usize {
        if self.unterminated || !uescape_follows(self.b, e) {
            return e;
        }
        let mut l = Lexer::new(self.b, e, self.scs);
        l.next();
        match l.next() {
            Some(s) if s.t == T::Str && !l.unterminated => s.e,
            _ => e,
        }
    }

    /// Skip a quoted identifier's body starting at `i`, closed by `q`
    /// (a doubled `q` stands for one).
    #[inline]
    fn quoted(&mut self, mut i: usize, q: u8) -> usize {
        let b = self.b;
        let n = b.len();
        while i < n {
            if b[i] == q {
                if self.at(i + 1) == q {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        self.unterminated = true;
        n
    }

    /// Skip a string constant's body starting at `i` (`''` stands for a
    /// quote; with `backslash`, `\` escapes the next byte, as in `E'…'`),
    /// and the bodies of the constants that continue it: a quote after
    /// white space with a newline continues the string in the same mode.
    #[inline]
    fn string(&mut self, mut i: usize, backslash: bool) -> usize {
        let b = self.b;
        let n = b.len();
        while i < n {
            let c = b[i];
            if c == b'\'' {
                if self.at(i + 1) == b'\'' {
                    i += 2;
                    continue;
                }
                match self.continued(i + 1) {
                    Some(k) => i = k,
                    None => return i + 1,
                }
                continue;
            }
            i += if backslash && c == b'\\' { 2 } else { 1 };
        }
        self.unterminated = true;
        n
    }

    /// Skip a `B'…'` or `X'…'` body starting at `i`: no escapes, no `''`
    /// (a second quote starts another constant), but continuations.
    fn bits(&mut self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        while i < n {
            if b[i] == b'\'' {
                match self.continued(i + 1) {
                    Some(k) => i = k,
                    None => return i + 1,
                }
                continue;
            }
            i += 1;
        }
        self.unterminated = true;
        n
    }

    /// After a string constant's closing quote at `i - 1`: if white space
    /// that contains a newline (and `--` comments, but no `/* */`) and
    /// then a quote follow, the constant goes on after that quote (where,
    /// returned); as PostgreSQL reads `'a'` newline `'b'` as `'ab'`.
    #[cold]
    fn continued(&self, mut i: usize) -> Option<usize> {
        let b = self.b;
        if !matches!(self.at(i), b' ' | b'\t' | 0x0c | b'\n' | b'\r' | b'-') {
            return None;
        }
        let line_comment = |mut i: usize| {
            while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
            i
        };
        // White space up to the first newline.
        loop {
            match self.at(i) {
                b' ' | b'\t' | 0x0c => i += 1,
                b'-' if self.at(i + 1) == b'-' => i = line_comment(i + 2),
                b'\n' | b'\r' => break,
                _ => return None,
            }
        }
        // Any white space after it; a comment there must end in a newline.
        loop {
            match self.at(i) {
                b' ' | b'\t' | 0x0c | b'\n' | b'\r' => i += 1,
                b'-' if self.at(i + 1) == b'-' => {
                    i = line_comment(i + 2);
                    if i >= b.len() {
                        return None;
                    }
                }
                b'\'' => return Some(i + 1),
                _ => return None,
            }
        }
    }

    /// `$1`, `$tag$…$tag$`, or a lone `$`.
    #[inline]
    fn dollar(&mut self, i: usize) -> (T, usize) {
        let b = self.b;
        let n = b.len();
        let mut k = i + 1;
        if self.at(k).is_ascii_digit() {
            while k < n && b[k].is_ascii_digit() {
                k += 1;
            }
            return (T::Param, k);
        }
        if k < n && is_ident_start(b[k]) {
            k += 1;
            while k < n && is_dolq_cont(b[k]) {
                k += 1;
            }
        }
        if self.at(k) != b'$' {
            return (T::Op, i + 1);
        }
        let delim = &b[i..=k];
        let mut p = k + 1;
        while p < n {
            if b[p] == b'$' && b[p..].starts_with(delim) {
                return (T::Str, p + delim.len());
            }
            p += 1;
        }
        self.unterminated = true;
        (T::Str, n)
    }

    #[inline]
    fn number(&self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let digitish = |c: u8| c.is_ascii_digit() || c == b'_';
        if b[i] == b'0'
            && matches!(self.at(i + 1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
            && (self.at(i + 2).is_ascii_hexdigit() || self.at(i + 2) == b'_')
        {
            i += 2;
            while i < n && (b[i].is_ascii_hexdigit() || b[i] == b'_') {
                i += 1;
            }
            return i;
        }
        while i < n && digitish(b[i]) {
            i += 1;
        }
        if self.at(i) == b'.' && self.at(i + 1) != b'.' {
            i += 1;
            while i < n && digitish(b[i]) {
                i += 1;
            }
        }
        if matches!(self.at(i), b'e' | b'E') {
            let mut j = i + 1;
            if matches!(self.at(j), b'+' | b'-') {
                j += 1;
            }
            if self.at(j).is_ascii_digit() {
                i = j;
                while i < n && digitish(b[i]) {
                    i += 1;
                }
            }
        }
        i
    }
}

/// The tokens of one statement: stops at a `;` outside parentheses.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    pub(crate) lex: Lexer<'a>,
    pub(crate) depth: usize,
    pub(crate) ended: bool,
    /// Where the statement ends (its `;`, or the end of the text).
    pub(crate) end: usize,
}

impl<'a> Reader<'a> {
    /// A reader of the statement that starts at `pos`.
    pub(crate) fn new(b: &'a [u8], pos: usize, scs: bool) -> Reader<'a> {
        Reader {
            lex: Lexer::new(b, pos, scs),
            depth: 0,
            ended: false,
            end: b.len(),
        }
    }

    #[inline]
    pub(crate) fn next(&mut self) -> Option<Tok> {
        if self.ended {
            return None;
        }
        match self.lex.next() {
            None => {
                self.ended = true;
                self.end = self.lex.b.len();
                None
            }
            Some(t) => {
                match t.t {
                    T::Semi if self.depth == 0 => {
                        self.ended = true;
                        self.end = t.s;
                        return None;
                    }
                    T::LParen => self.depth += 1,
                    T::RParen => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                Some(t)
            }
        }
    }

    pub(crate) fn peek(&self) -> Option<Tok> {
        let mut c = *self;
        c.next()
    }

    pub(crate) fn drain(&mut self) {
        while self.next().is_some() {}
    }

    #[inline]
    pub(crate) fn bytes(&self, t: Tok) -> &'a [u8] {
        &self.lex.b[t.s..t.e]
    }

    /// The keyword a token is (`Kw::Other` for anything but a known
    /// unquoted word).
    #[inline]
    pub(crate) fn kw(&self, t: Tok) -> Kw {
        if t.t == T::Word {
            kw_at(self.lex.b, t.s, t.e)
        } else {
            Kw::Other
        }
    }

    pub(crate) fn next_kw(&mut self) -> Kw {
        match self.next() {
            Some(t) => self.kw(t),
            None => Kw::Other,
        }
    }

    pub(crate) fn peek_kw(&self) -> Kw {
        match self.peek() {
            Some(t) => self.kw(t),
            None => Kw::Other,
        }
    }

    /// The name a `Word` or `QIdent` token denotes (a quoted one without
    /// its quotes). `None` if it is something else, or a quoted name that
    /// is not a plain slice of the text: a `U&"…"` name with escapes, or a
    /// name with a doubled quote `""` (neither can be compared or reported
    /// without decoding).
    #[inline]
    pub(crate) fn name(&self, t: Tok) -> Option<&'a [u8]> {
        body(self.lex.b, t).map(|r| &self.lex.b[r])
    }

    /// Whether `decode` reads the quoted name `t`.
    #[cold]
    pub(crate) fn decodes(&self, t: Tok) -> bool {
        let mut nb = [0; DECODED_MAX];
        decode(self.lex.b, t, self.lex.scs, &mut nb).is_some()
    }

    /// The name `t` denotes, decoded into `out` when it must be (see
    /// `decode`).
    #[inline]
    pub(crate) fn name_in<'x>(&self, t: Tok, out: &'x mut NameBuf) -> Option<&'x [u8]>
    where
        'a: 'x,
    {
        match self.name(t) {
            Some(n) => Some(n),
            None => decode(self.lex.b, t, self.lex.scs, out),
        }
    }

    /// Whether `t` is the unquoted word `w` (lower case), in any case.
    pub(crate) fn is_word(&self, t: Option<Tok>, w: &[u8]) -> bool {
        t.is_some_and(|t| t.t == T::Word && self.bytes(t).eq_ignore_ascii_case(w))
    }

    /// Whether the next token is the unquoted word `w` (consumed).
    pub(crate) fn next_is(&mut self, w: &[u8]) -> bool {
        let t = self.next();
        self.is_word(t, w)
    }

    /// Skip a parenthesised group if one comes next; true if it contained
    /// the word `w`.
    pub(crate) fn skip_group(&mut self, w: &[u8]) -> bool {
        let mut seen = false;
        if self.peek().is_some_and(|t| t.t == T::LParen) {
            let d = self.depth;
            self.next();
            while let Some(t) = self.next() {
                if t.t == T::RParen && self.depth == d {
                    break;
                }
                seen |= self.is_word(Some(t), w);
            }
        }
        seen
    }
}

/// The byte range of the name a `Word` or `QIdent` token denotes (see
/// `Reader::name`): `None` for a quoted name that must be decoded (see
/// `decode`).
#[inline]
pub(crate) fn body(b: &[u8], t: Tok) -> Option<Range<usize>> {
    match t.t {
        T::Word => Some(t.s..t.e),
        T::QIdent => {
            let plain = b[t.s] == b'"';
            let s = (t.s + if plain { 1 } else { 3 }).min(t.e);
            let e = if t.e > s && b[t.e - 1] == b'"' {
                t.e - 1
            } else {
                t.e
            };
            let body = &b[s..e];
            // A `U&"…"` name with escapes or a `UESCAPE` clause (part of
            // its token) is decoded.
            if body.contains(&b'"')
                || (!plain
                    && (body.contains(&b'\\') || b[t.e - 1] != b'"' || uescape_follows(b, t.e)))
            {
                None
            } else {
                Some(s..e)
            }
        }
        _ => None,
    }
}

/// The text of a string constant `t` when it is a plain slice of `b` (no
/// escape, no doubled quote, no continuation): the body of `'…'`, `E'…'`,
/// `N'…'`, `U&'…'` (without `UESCAPE`) or `$tag$…$tag$`. `None` otherwise.
pub(crate) fn plain_str(b: &[u8], t: Tok, scs: bool) -> Option<&[u8]> {
    if t.t != T::Str {
        return None;
    }
    let w = &b[t.s..t.e];
    if w[0] == b'$' {
        let tag = w[1..].iter().position(|&c| c == b'$')? + 2;
        return (w.len() >= 2 * tag).then(|| &w[tag..w.len() - tag]);
    }
    let q = w.iter().position(|&c| c == b'\'')?;
    let (backslash, uni) = match &w[..q] {
        b"" => (!scs, false),
        b"e" | b"E" => (true, false),
        b"n" | b"N" => (!scs, false),
        b"u&" | b"U&" => (true, true),
        _ => return None,
    };
    let body = w.get(q + 1..w.len() - 1).filter(|_| w.len() > q + 1)?;
    let escaped = body.contains(&b'\'')
        || (backslash && body.contains(&b'\\'))
        || (uni && uescape_follows(b, t.e));
    (!escaped).then_some(body)
}

/// The longest name `decode` writes; longer ones are not decoded.
pub(crate) const DECODED_MAX: usize = 256;

/// Where `decode` writes a name.
pub(crate) type NameBuf = [u8; DECODED_MAX];

/// PostgreSQL keeps the first 63 bytes of a longer name (NAMEDATALEN - 1),
/// cut on a character boundary.
pub(crate) fn truncate_name(name: &str) -> &str {
    let mut n = name.len().min(63);
    while !name.is_char_boundary(n) {
        n -= 1;
    }
    &name[..n]
}

/// Whether the word `UESCAPE` is the next token from `pos`.
#[cold]
fn uescape_follows(b: &[u8], pos: usize) -> bool {
    let mut l = Lexer::new(b, pos, true);
    l.next()
        .is_some_and(|w| w.t == T::Word && kw_at(b, w.s, w.e) == Kw::Uescape)
}

/// The escape character of the `U&"…"` or `U&'…'` that ends at `pos`: `\`,
/// or the one its `UESCAPE 'c'` names; `None` when that is not a single
/// character PostgreSQL accepts.
#[cold]
fn escape_char(b: &[u8], pos: usize, scs: bool) -> Option<u8> {
    let mut l = Lexer::new(b, pos, scs);
    match l.next() {
        Some(w) if w.t == T::Word && kw_at(b, w.s, w.e) == Kw::Uescape => {}
        _ => return Some(b'\\'),
    }
    let s = l.next().filter(|s| s.t == T::Str && s.e - s.s == 3)?;
    let c = b[s.s + 1];
    let bad = b[s.s] != b'\''
        || b[s.e - 1] != b'\''
        || c.is_ascii_hexdigit()
        || matches!(c, b'+' | b'\'' | b'"')
        || is_space(c)
        || c >= 0x80;
    (!bad).then_some(c)
}

/// The name a quoted identifier `t` denotes, decoded into `out`: `""`
/// stands for `"`; in a `U&"…"` name, the escape character (`\`, or the one
/// of a `UESCAPE 'c'` after it) followed by 4 hex digits, by `+` and 6 hex
/// digits (a UTF-16 surrogate pair as two escapes), or by itself. `None`
/// when the server would refuse the name (unterminated, empty, a bad
/// escape) or it is longer than `DECODED_MAX` bytes.
#[cold]
pub(crate) fn decode<'x>(b: &[u8], t: Tok, scs: bool, out: &'x mut NameBuf) -> Option<&'x [u8]> {
    if t.t != T::QIdent {
        return None;
    }
    let uni = b[t.s] != b'"';
    let s = t.s + if uni { 3 } else { 1 };
    // Where the name's closing quote ends (a `UESCAPE` clause may follow
    // within the token).
    let mut e = s;
    loop {
        match b[..t.e].get(e) {
            None => return None,
            Some(b'"') if b[..t.e].get(e + 1) == Some(&b'"') => e += 2,
            Some(b'"') => break,
            Some(_) => e += 1,
        }
    }
    let e = e + 1;
    if e <= s + 1 || (!uni && e != t.e) {
        return None;
    }
    let body = &b[s..e - 1];
    let esc = if uni { escape_char(b, e, scs)? } else { 0 };
    let hex = |at: usize, len: usize| -> Option<u32> {
        let digits = body.get(at..at + len)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16)?;
        }
        Some(v)
    };
    // An escape at `i` (after the escape character): code point, length.
    let escape = |i: usize| -> Option<(u32, usize)> {
        if body.get(i) == Some(&b'+') {
            Some((hex(i + 1, 6)?, 7))
        } else {
            Some((hex(i, 4)?, 4))
        }
    };
    let mut n = 0usize;
    let mut i = 0usize;
    while i < body.len() {
        let c = body[i];
        if c == b'"' {
            // Doubled, as the lexer read it.
            *out.get_mut(n)? = b'"';
            n += 1;
            i += 2;
        } else if uni && c == esc {
            if body.get(i + 1) == Some(&esc) {
                *out.get_mut(n)? = esc;
                n += 1;
                i += 2;
                continue;
            }
            let (mut cp, len) = escape(i + 1)?;
            i += 1 + len;
            if (0xD800..0xDC00).contains(&cp) {
                if body.get(i) != Some(&esc) {
                    return None;
                }
                let (lo, len) = escape(i + 1)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                i += 1 + len;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            let ch = char::from_u32(cp).filter(|&ch| ch != '\0')?;
            let mut tmp = [0u8; 4];
            let enc = ch.encode_utf8(&mut tmp).as_bytes();
            out.get_mut(n..n + enc.len())?.copy_from_slice(enc);
            n += enc.len();
        } else {
            *out.get_mut(n)? = c;
            n += 1;
            i += 1;
        }
    }
    (n > 0).then(|| &out[..n])
}

// ---------------------------------------------------------------------------
// The routing hint
// ---------------------------------------------------------------------------

/// The hint a comment's body is (see `Hint`).
fn hint_word(body: &[u8]) -> Option<Hint> {
    let mut s = 0;
    let mut e = body.len();
    while s < e && is_space(body[s]) {
        s += 1;
    }
    while e > s && is_space(body[e - 1]) {
        e -= 1;
    }
    let w = &body[s..e];
    if w.eq_ignore_ascii_case(b"pgtc:primary") {
        Some(Hint::Primary)
    } else if w.eq_ignore_ascii_case(b"pgtc:standby") {
        Some(Hint::Standby)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------

/// See `classify::redact`. Tokens are copied with one space where the text
/// had white space or a comment between them; string constants and
/// numbers become `?`, and so does whatever follows the word `PASSWORD`
/// in a statement that starts with `ALTER` or `CREATE` (even a quoted
/// identifier, which PostgreSQL would refuse there anyway).
pub(crate) fn redact(sql: &str, max: usize, scs: bool) -> String {
    let b = sql.as_bytes();
    let mut lex = Lexer::new(b, 0, scs);
    let mut out = String::with_capacity(max.min(sql.len()) + 4);
    let mut last_end = 0;
    // The statement starts with ALTER or CREATE (`None`: at its start).
    let mut role_stmt: Option<bool> = None;
    let mut secret = false;
    while let Some(t) = lex.next() {
        if out.len() > max {
            break;
        }
        if !out.is_empty() && t.s > last_end {
            out.push(' ');
        }
        last_end = t.e;
        let text = sql.get(t.s..t.e).unwrap_or("?");
        let w = &b[t.s..t.e];
        if std::mem::take(&mut secret)
            && t.t != T::Semi
            && !(t.t == T::Word && w.eq_ignore_ascii_case(b"null"))
        {
            out.push('?');
            continue;
        }
        match t.t {
            T::Str | T::Num => out.push('?'),
            T::Semi => {
                role_stmt = None;
                out.push(';');
            }
            _ => out.push_str(text),
        }
        if t.t == T::Word {
            let starts = *role_stmt.get_or_insert_with(|| {
                w.eq_ignore_ascii_case(b"alter") || w.eq_ignore_ascii_case(b"create")
            });
            secret = starts && w.eq_ignore_ascii_case(b"password");
        } else if t.t != T::Semi && role_stmt.is_none() {
            role_stmt = Some(false);
        }
    }
    if out.len() > max {
        let mut n = max;
        while !out.is_char_boundary(n) {
            n -= 1;
        }
        out.truncate(n);
        let kept = out.trim_end().len();
        out.truncate(kept);
        out.push('…');
    }
    out
}
