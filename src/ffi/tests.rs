//! The boundary's rules checked on the sources and on the generated header.

use super::*;
use crate::counters::Counter;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

/// Rust source as tokens, without comments; string literals (any prefix,
/// raw or not) are one token each, char literals and lifetimes are dropped.
/// Enough of Rust's lexer to find items and match brackets.
fn tokens(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'"' {
            i = string(b, i, 0, &mut out);
        } else if c == b'\'' {
            if b.get(i + 1) == Some(&b'\\') {
                // '\n', '\'', '\u{..}'
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&b'\'') {
                i += 3; // 'x'
            } else {
                i += 1; // a lifetime: the name follows as an identifier
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
            }
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &src[start..i];
            let prefix = matches!(word, "b" | "c" | "r" | "br" | "cr");
            if prefix && i < b.len() && (b[i] == b'"' || (word.ends_with('r') && b[i] == b'#')) {
                let mut hashes = 0;
                while b[i] == b'#' {
                    hashes += 1;
                    i += 1;
                }
                i = string(
                    b,
                    i,
                    if word.ends_with('r') { hashes + 1 } else { 0 },
                    &mut out,
                );
            } else {
                out.push(Tok::Ident(word.to_string()));
            }
        } else {
            out.push(Tok::Punct(c as char));
            i += 1;
        }
    }
    out
}

/// Read a string literal whose opening quote is at `i`; `raw` is 0 for an
/// escaped string, else 1 + the number of `#` of a raw one.
fn string(b: &[u8], mut i: usize, raw: usize, out: &mut Vec<Tok>) -> usize {
    i += 1;
    let start = i;
    loop {
        assert!(i < b.len(), "unterminated string literal");
        if raw == 0 && b[i] == b'\\' {
            i += 2;
        } else if b[i] == b'"' && (raw == 0 || b[i + 1..].iter().take(raw - 1).all(|&h| h == b'#'))
        {
            out.push(Tok::Str(String::from_utf8_lossy(&b[start..i]).into_owned()));
            return i + 1 + raw.saturating_sub(1);
        } else {
            i += 1;
        }
    }
}

/// Index just past the bracket that closes the one at `open`.
fn close(t: &[Tok], open: usize) -> usize {
    let mut depth = 0i32;
    for (i, tok) in t.iter().enumerate().skip(open) {
        match tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced brackets")
}

fn ident(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

/// Every problem with the exports of one file: each `extern` must be
/// `#[no_mangle] pub extern "C" fn name(..) -> .. { ffi_fn!(..) }` in
/// `src/ffi`, with nothing else in the body, and `ffi_fn!`'s first argument
/// is `fallback = ..` or one of the export's parameters (its err_out).
fn export_problems(file: &str, src: &str, in_ffi: bool) -> Vec<String> {
    let t = tokens(src);
    let mut problems = Vec::new();
    let p = |c: char| Tok::Punct(c);
    let id = |s: &str| Tok::Ident(s.to_string());
    for (i, tok) in t.iter().enumerate() {
        let Tok::Ident(word) = tok else { continue };
        match word.as_str() {
            "no_mangle" | "export_name" => {
                let ok = i >= 2
                    && t[i - 2..i] == [p('#'), p('[')]
                    && t.get(i + 1) == Some(&p(']'))
                    && t.get(i + 2) == Some(&id("pub"))
                    && t.get(i + 3) == Some(&id("extern"))
                    && word == "no_mangle";
                if !ok {
                    problems.push(format!(
                        "{}: `{}` that is not `#[no_mangle] pub extern \"C\" fn`",
                        file, word
                    ));
                }
            }
            "extern" => {
                if ident(t.get(i + 1)) == Some("crate") {
                    continue;
                }
                // A C function-pointer type (a callback), not a definition.
                if matches!(t.get(i + 1), Some(Tok::Str(abi)) if abi == "C")
                    && ident(t.get(i + 2)) == Some("fn")
                    && t.get(i + 3) == Some(&p('('))
                {
                    continue;
                }
                let name = match (t.get(i + 1), ident(t.get(i + 2)), ident(t.get(i + 3))) {
                    (Some(Tok::Str(abi)), Some("fn"), Some(name)) if abi == "C" => name,
                    _ => {
                        problems.push(format!(
                            "{}: an `extern` that is not `extern \"C\" fn`",
                            file
                        ));
                        continue;
                    }
                };
                let exported =
                    i >= 5 && t[i - 5..i] == [p('#'), p('['), id("no_mangle"), p(']'), id("pub")];
                if !in_ffi || !exported {
                    problems.push(format!(
                        "{}: {} must be a `#[no_mangle] pub extern \"C\" fn` in src/ffi",
                        file, name
                    ));
                    continue;
                }
                let params_open = i + 4;
                if t.get(params_open) != Some(&p('(')) {
                    problems.push(format!(
                        "{}: {}: generic exports are not allowed",
                        file, name
                    ));
                    continue;
                }
                let params_end = close(&t, params_open);
                let params: Vec<&str> = t[params_open + 1..params_end - 1]
                    .windows(2)
                    .filter(|w| w[1] == p(':'))
                    .filter_map(|w| ident(Some(&w[0])))
                    .collect();
                let Some(body_open) = t[params_end..].iter().position(|x| *x == p('{')) else {
                    problems.push(format!("{}: {} has no body", file, name));
                    continue;
                };
                let body_open = params_end + body_open;
                let body_end = close(&t, body_open);
                let body = &t[body_open + 1..body_end - 1];
                let wrapped = body.len() >= 4
                    && body[..3] == [id("ffi_fn"), p('!'), p('(')]
                    && close(body, 2) == body.len()
                    && (body[3] == id("fallback") && body.get(4) == Some(&p('='))
                        || ident(Some(&body[3])).is_some_and(|e| params.contains(&e))
                            && body.get(4) == Some(&p(',')));
                if !wrapped {
                    problems.push(format!(
                        "{}: the body of {} must be one `ffi_fn!(err_out, {{ .. }})` or \
                         `ffi_fn!(fallback = .., {{ .. }})` (see src/ffi/mod.rs)",
                        file, name
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_export_goes_through_ffi_fn() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut problems = Vec::new();
    let mut exports = 0;
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let in_ffi = path.starts_with(root.join("src/ffi"));
        problems.extend(export_problems(&rel, &src, in_ffi));
        // `extern "C" fn name`, not a callback type `extern "C" fn(..)`,
        // nor one of the JDBC driver's JNI entry points (src/ffi/jni.rs),
        // which the header leaves out.
        exports += tokens(&src)
            .windows(4)
            .filter(|w| {
                w[0] == Tok::Ident("extern".into())
                    && w[1] == Tok::Str("C".into())
                    && w[2] == Tok::Ident("fn".into())
                    && ident(Some(&w[3])).is_some_and(|n| !n.starts_with("Java_"))
            })
            .count();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The scan found the exports the header declares.
    let header = header();
    let declared = header
        .lines()
        .filter(|l| {
            l.contains("pgtc_")
                && l.ends_with(");")
                && !l.starts_with(' ')
                && !l.starts_with("typedef")
        })
        .count();
    assert_eq!(
        exports, declared,
        "exports in src/ vs functions in include/pgtc.h"
    );
}

#[test]
fn the_scan_rejects_exports_written_without_the_macro() {
    let bad = [
        "#[no_mangle]\npub extern \"C\" fn f(x: u32) -> u32 { x }",
        "#[no_mangle]\npub extern \"C\" fn f(e: *mut u8) -> u32 { with_status(e, || Ok(())) }",
        "#[no_mangle]\npub extern \"C\" fn f() -> u32 { let y = 1; ffi_fn!(fallback = 0, { y }) }",
        "#[no_mangle]\npub extern \"C\" fn f() -> u32 { ffi_fn!(fallback = 0, { 1 }); 2 }",
        "#[no_mangle]\npub extern \"C\" fn f(a: u8) -> Status { ffi_fn!(e, { Ok(()) }) }",
        "pub extern \"C\" fn f() {}",
        "#[no_mangle]\npub fn f() {}",
        "#[export_name = \"g\"]\npub extern \"C\" fn f() {}",
        "#[no_mangle]\npub extern \"C-unwind\" fn f() {}",
        "#[no_mangle]\npub unsafe extern \"C\" fn f() {}",
    ];
    for src in bad {
        assert!(
            !export_problems("x.rs", src, true).is_empty(),
            "accepted: {}",
            src
        );
    }
    let good = [
        "/// Doc with #[no_mangle] and extern \"C\" fn in it.\n#[no_mangle]\npub extern \"C\" fn f() {}",
        "#[no_mangle]\npub extern \"C\" fn f(x: *const c_char) -> *const c_char {\n    \
         ffi_fn!(fallback = c\"}\".as_ptr(), { let _ = '{'; let s: &'static str = r#\"\"{\"#; x })\n}",
        "#[no_mangle]\npub extern \"C\" fn f(err_out: *mut *mut pgtc_error) -> Status {\n    \
         ffi_fn!(err_out, { Ok(()) })\n}",
    ];
    assert!(
        !export_problems("x.rs", good[0], true).is_empty(),
        "a body without ffi_fn!"
    );
    for src in &good[1..] {
        assert_eq!(
            export_problems("x.rs", src, true),
            Vec::<String>::new(),
            "{}",
            src
        );
        assert!(
            !export_problems("x.rs", src, false).is_empty(),
            "export outside src/ffi"
        );
    }
}

fn header() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/pgtc.h"))
        .expect("include/pgtc.h")
}

/// `(NAME, value)` of each enumerator of the header whose name starts with `prefix`.
fn header_enum(prefix: &str) -> Vec<(String, u32)> {
    header()
        .lines()
        .filter_map(|l| {
            let (name, value) = l.trim().trim_end_matches(',').split_once(" = ")?;
            name.starts_with(prefix)
                .then(|| (name.to_string(), value.parse().expect("enumerator value")))
        })
        .collect()
}

#[test]
fn status_names_and_values_match_the_header() {
    let declared = header_enum("PGTC_STATUS_");
    assert_eq!(declared.len(), Status::ALL.len(), "{:?}", declared);
    for (name, value) in &declared {
        let status = Status::from_u32(*value).unwrap_or_else(|| panic!("{} = {}", name, value));
        // SAFETY: pgtc_status_name returns a static NUL-terminated string.
        let got = unsafe { CStr::from_ptr(pgtc_status_name(*value)) };
        assert_eq!(got.to_str().unwrap(), name);
        assert_eq!(status_name(status).to_str().unwrap(), name);
    }
    // SAFETY: as above.
    let unknown = unsafe { CStr::from_ptr(pgtc_status_name(7)) };
    assert_eq!(unknown, c"PGTC_STATUS_UNKNOWN");
    assert_eq!(Status::BufferTooSmall as u32, 104);
}

#[test]
fn counter_names_and_values_match_the_header() {
    let declared = header_enum("PGTC_COUNTER_");
    assert_eq!(declared.len(), Counter::ALL.len(), "{:?}", declared);
    for (name, value) in &declared {
        let c = Counter::from_u32(*value).unwrap_or_else(|| panic!("{} = {}", name, value));
        assert_eq!(
            format!("PGTC_COUNTER_{}", screaming_snake(&format!("{:?}", c))),
            *name
        );
    }
}

#[test]
fn version_macros_match_pgtc_version() {
    let h = header();
    let part = |name: &str| -> String {
        let line = h
            .lines()
            .find(|l| l.starts_with(&format!("#define PGTC_VERSION_{} ", name)))
            .unwrap_or_else(|| panic!("PGTC_VERSION_{} missing", name));
        line.rsplit(' ').next().unwrap().to_string()
    };
    let from_macros = format!("{}.{}.{}", part("MAJOR"), part("MINOR"), part("PATCH"));
    // SAFETY: pgtc_version returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(pgtc_version()) }.to_str().unwrap();
    assert_eq!(from_macros, version);
    // The header defines nothing else: no internal constant leaks into it.
    let defines: Vec<&str> = h.lines().filter(|l| l.starts_with("#define")).collect();
    assert_eq!(defines.len(), 4, "{:?}", defines);
}

#[test]
fn a_panic_in_an_export_body_becomes_a_status_or_the_fallback() {
    let mut err: *mut pgtc_error = std::ptr::null_mut();
    let err_out: *mut *mut pgtc_error = &mut err;
    let st = ffi_fn!(err_out, {
        if err_out.is_null() {
            return Ok(());
        }
        panic!("boom")
    });
    assert_eq!(st, Status::Internal);
    assert!(!err.is_null());
    // SAFETY: `err` is the live error just returned.
    let message = unsafe { CStr::from_ptr(error::pgtc_error_message(err)) };
    let message = message.to_str().unwrap();
    assert!(message.starts_with("internal error in pgtc"), "{}", message);
    assert!(message.contains("boom"), "{}", message);
    error::pgtc_error_free(err);
    let n: u64 = ffi_fn!(fallback = 7, { panic!("boom") });
    assert_eq!(n, 7);
}
