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

    pub(crate) fn new(b: &'a [u8], pos: usize) -> Lexer<'a> {
        Lexer {
            b,
            pos,
            unterminated: false,
            hint: None,
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
            b'\'' => (T::Str, self.quoted(i + 1, b'\'', false)),
            b'"' => (T::QIdent, self.quoted(i + 1, b'"', false)),
            b'(' => (T::LParen, i + 1),
            b')' => (T::RParen, i + 1),
            b';' => (T::Semi, i + 1),
            b',' => (T::Comma, i + 1),
            b'e' | b'E' if self.at(i + 1) == b'\'' => (T::Str, self.quoted(i + 2, b'\'', true)),
            b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if self.at(i + 1) == b'\'' => {
                (T::Str, self.quoted(i + 2, b'\'', false))
            }
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'\'' => {
                (T::Str, self.quoted(i + 3, b'\'', false))
            }
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'"' => {
                (T::QIdent, self.quoted(i + 3, b'"', false))
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

    /// Skip a quoted body starting at `i`, closed by `q` (doubled `q` is an
    /// escape); with `backslash`, `\` escapes the next byte.
    #[inline]
    fn quoted(&mut self, mut i: usize, q: u8, backslash: bool) -> usize {
        let b = self.b;
        let n = b.len();
        while i < n {
            let c = b[i];
            if c == q {
                if self.at(i + 1) == q {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += if backslash && c == b'\\' { 2 } else { 1 };
        }
        self.unterminated = true;
        n
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
    pub(crate) fn new(b: &'a [u8], pos: usize) -> Reader<'a> {
        Reader {
            lex: Lexer::new(b, pos),
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
/// `Reader::name`).
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
            if body.contains(&b'"') || (!plain && body.contains(&b'\\')) {
                None
            } else {
                Some(s..e)
            }
        }
        _ => None,
    }
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
pub(crate) fn redact(sql: &str, max: usize) -> String {
    let b = sql.as_bytes();
    let mut lex = Lexer::new(b, 0);
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
