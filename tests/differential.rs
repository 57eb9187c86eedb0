//! The differential test: every script of tests/differential/ is replayed
//! statement by statement through a pgtc READ_MOSTLY session on a real
//! primary + hot standby pair (database `diff_pgtc`) and through a plain
//! connection to the primary (database `diff_twin`, made from the same
//! scripts), and every answer is compared: columns, rows as text, command tag
//! (which carries the affected row count) and error SQLSTATE.
//!
//! The plain side is a minimal simple-query client written here on
//! postgres-protocol, so that it sees exactly what PostgreSQL answers (the
//! command tag included, which a COMMIT turned ROLLBACK changes) and sends
//! exactly what pgtc sends. A `COPY … TO STDOUT` runs through pgtc's COPY
//! API, and its data (one row per CopyData message on both sides) is
//! compared like rows. The corpus conventions are described in
//! tests/differential/README.
//!
//! The test fails when an answer differs, unless the statement carries a
//! `-- known: <why>` marker (those are printed and counted apart), or when
//! the safety net re-ran more than 0.1 % of the statements on the primary.
mod common;

use bytes::BytesMut;
use common::*;
use fallible_iterator::FallibleIterator;
use pgtc::{Server, Session};
use postgres_protocol::authentication::sasl::{ChannelBinding, ScramSha256, SCRAM_SHA_256};
use postgres_protocol::message::backend::{ErrorFields, Message};
use postgres_protocol::message::frontend;
use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Instant;

const PGTC_DB: &str = "diff_pgtc";
const TWIN_DB: &str = "diff_twin";

/// One statement of a script.
#[derive(Debug, Clone, PartialEq)]
struct Stmt {
    /// 1-based line of the statement's first character.
    line: usize,
    /// The text sent to the servers, without the terminating `;`.
    text: String,
    /// The reason given by a trailing `-- known: <why>` marker.
    known: Option<String>,
}

/// Splits a script into statements at every `;` outside quotes, dollar
/// quotes and comments. A `-- known: <why>` comment on the rest of the
/// terminating line marks the statement. Texts that are only comments are
/// dropped.
fn split(src: &str) -> Vec<Stmt> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut content = false; // anything but blanks and comments since `start`
    let mut first = 0; // byte offset of the first content
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Kept in the text (a leading one may be a routing hint).
                if !content {
                    content = true;
                    first = i;
                }
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() && !content {
            content = true;
            first = i;
        }
        match c {
            b'\'' => {
                // E'…' strings take backslash escapes; standard strings do not.
                let escapes = i > 0 && matches!(b[i - 1], b'E' | b'e');
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                    } else if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                        } else {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += 1;
                }
                i += 1;
            }
            b'$' if i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') => {
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e) if b[e] == b'$' && !b[i + 1].is_ascii_digit() => {
                        let tag = &src[i..=e];
                        i = match src[e + 1..].find(tag) {
                            Some(p) => e + 1 + p + tag.len(),
                            None => b.len(),
                        };
                    }
                    _ => i += 1,
                }
            }
            b';' => {
                let eol = src[i..].find('\n').map_or(b.len(), |p| i + p);
                let rest = &src[i + 1..eol];
                let known = rest
                    .find("-- known:")
                    .map(|p| rest[p + "-- known:".len()..].trim().to_string());
                if content {
                    out.push(Stmt {
                        line: src[..first].matches('\n').count() + 1,
                        text: src[first..i].trim_end().to_string(),
                        known,
                    });
                }
                i = eol;
                start = eol;
                content = false;
            }
            _ => i += 1,
        }
    }
    if content && start < b.len() {
        out.push(Stmt {
            line: src[..first].matches('\n').count() + 1,
            text: src[first..].trim_end().to_string(),
            known: None,
        });
    }
    out
}

/// What a server (or pgtc) answered to one statement.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Ok {
        cols: Vec<String>,
        rows: Vec<Vec<Option<String>>>,
        tag: String,
    },
    /// An error: its SQLSTATE (empty when there is none) and a description
    /// that is not compared.
    Err { sqlstate: String, what: String },
}

impl Answer {
    fn same(&self, other: &Answer) -> bool {
        match (self, other) {
            (Answer::Err { sqlstate: a, .. }, Answer::Err { sqlstate: b, .. }) => a == b,
            _ => self == other,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Err { sqlstate, what } => write!(f, "ERROR {} {}", sqlstate, what),
            Answer::Ok { cols, rows, tag } => {
                write!(f, "{}", tag)?;
                if !cols.is_empty() {
                    write!(f, " [{}]", cols.join(", "))?;
                }
                for (n, r) in rows.iter().enumerate() {
                    if n == 8 {
                        return write!(f, " … ({} rows)", rows.len());
                    }
                    let cells: Vec<&str> =
                        r.iter().map(|v| v.as_deref().unwrap_or("NULL")).collect();
                    write!(f, " ({})", cells.join("|"))?;
                }
                Ok(())
            }
        }
    }
}

/// A plain simple-query client: exactly what PostgreSQL answers.
struct Plain {
    stream: TcpStream,
    rbuf: BytesMut,
    wbuf: BytesMut,
}

impl Plain {
    fn connect(port: u16, dbname: &str) -> Plain {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connecting to the primary");
        let mut p = Plain {
            stream,
            rbuf: BytesMut::new(),
            wbuf: BytesMut::new(),
        };
        // The start-up parameters pgtc sends.
        let params = [
            ("user", "pgtc"),
            ("database", dbname),
            ("client_encoding", "UTF8"),
        ];
        frontend::startup_message(params.iter().copied(), &mut p.wbuf).unwrap();
        p.flush();
        let mut scram: Option<ScramSha256> = None;
        loop {
            match p.read() {
                Message::AuthenticationSasl(_) => {
                    let s = ScramSha256::new(b"pgtc", ChannelBinding::unsupported());
                    frontend::sasl_initial_response(SCRAM_SHA_256, s.message(), &mut p.wbuf)
                        .unwrap();
                    p.flush();
                    scram = Some(s);
                }
                Message::AuthenticationSaslContinue(body) => {
                    let s = scram.as_mut().unwrap();
                    s.update(body.data()).unwrap();
                    frontend::sasl_response(s.message(), &mut p.wbuf).unwrap();
                    p.flush();
                }
                Message::AuthenticationSaslFinal(body) => {
                    scram.as_mut().unwrap().finish(body.data()).unwrap();
                }
                Message::ErrorResponse(body) => {
                    panic!("connecting to {}: {}", dbname, error(body.fields()))
                }
                Message::ReadyForQuery(_) => return p,
                _ => {}
            }
        }
    }

    fn flush(&mut self) {
        self.stream.write_all(&self.wbuf).unwrap();
        self.wbuf.clear();
    }

    fn read(&mut self) -> Message {
        let mut scratch = [0u8; 16384];
        loop {
            if let Some(m) = Message::parse(&mut self.rbuf).unwrap() {
                return m;
            }
            let n = self.stream.read(&mut scratch).unwrap();
            assert!(n > 0, "the primary closed the plain connection");
            self.rbuf.extend_from_slice(&scratch[..n]);
        }
    }

    /// One simple query of one statement.
    fn query(&mut self, sql: &str) -> Answer {
        frontend::query(sql, &mut self.wbuf).unwrap();
        self.flush();
        let mut cols = Vec::new();
        let mut rows = Vec::new();
        let mut tag = String::new();
        let mut err = None;
        loop {
            match self.read() {
                Message::RowDescription(body) => {
                    cols = body
                        .fields()
                        .map(|f| Ok(f.name().to_string()))
                        .collect()
                        .unwrap();
                }
                Message::DataRow(body) => {
                    let buf = body.buffer();
                    let row: Vec<Option<String>> = body
                        .ranges()
                        .map(|r| Ok(r.map(|r| String::from_utf8_lossy(&buf[r]).into_owned())))
                        .collect()
                        .unwrap();
                    rows.push(row);
                }
                Message::CommandComplete(body) => tag = body.tag().unwrap().to_string(),
                Message::EmptyQueryResponse => tag.clear(),
                Message::ErrorResponse(body) if err.is_none() => err = Some(error(body.fields())),
                Message::CopyInResponse(_) => {
                    // What pgtc does with a COPY from the client.
                    frontend::copy_fail("COPY FROM STDIN is not supported", &mut self.wbuf)
                        .unwrap();
                    self.flush();
                }
                Message::CopyData(body) => {
                    let line = String::from_utf8_lossy(body.data());
                    rows.push(vec![Some(line.trim_end_matches('\n').to_string())]);
                }
                Message::ReadyForQuery(_) => {
                    return err.unwrap_or(Answer::Ok { cols, rows, tag });
                }
                _ => {} // notices, notifications, parameter status, CopyOut/CopyDone
            }
        }
    }
}

fn error(mut fields: ErrorFields<'_>) -> Answer {
    let (mut sqlstate, mut what) = (String::new(), String::new());
    while let Some(f) = fields.next().unwrap() {
        let v = String::from_utf8_lossy(f.value_bytes()).into_owned();
        match f.type_() {
            b'C' => sqlstate = v,
            b'M' => what = v,
            _ => {}
        }
    }
    Answer::Err { sqlstate, what }
}

/// A `COPY … TO STDOUT` through pgtc's COPY API: its data chunk by chunk
/// (one CopyData message each, as the plain client reads them), as rows.
fn copy_through_pgtc(s: &mut Session, sql: &str) -> (Answer, Option<Server>) {
    let mut rows = Vec::new();
    let run = |s: &mut Session, rows: &mut Vec<Vec<Option<String>>>| {
        s.copy_start(sql)?;
        while let Some(chunk) = s.copy_read()? {
            let line = String::from_utf8_lossy(&chunk);
            rows.push(vec![Some(line.trim_end_matches('\n').to_string())]);
        }
        s.copy_end()
    };
    match run(s, &mut rows) {
        Ok(r) => (
            Answer::Ok {
                cols: Vec::new(),
                rows,
                tag: r.tag().to_string(),
            },
            r.server,
        ),
        Err(e) => (
            Answer::Err {
                sqlstate: e.sqlstate.clone(),
                what: format!("({:?}) {}", e.status, e.message),
            },
            None,
        ),
    }
}

/// What pgtc answered, and where the statement ran. `COPY … TO STDOUT`
/// goes through the COPY API, everything else through exec.
fn through_pgtc(s: &mut Session, sql: &str) -> (Answer, Option<Server>) {
    if sql.to_ascii_uppercase().contains("TO STDOUT") {
        return copy_through_pgtc(s, sql);
    }
    match s.exec(sql, None) {
        Ok(r) => {
            let cols = (0..r.cols())
                .map(|c| r.column_name(c).unwrap_or("").to_string())
                .collect();
            let rows = (0..r.rows())
                .map(|n| {
                    (0..r.cols())
                        .map(|c| r.value(n, c).map(str::to_string))
                        .collect()
                })
                .collect();
            let server = r.server;
            (
                Answer::Ok {
                    cols,
                    rows,
                    tag: r.tag().to_string(),
                },
                server,
            )
        }
        Err(e) => (
            Answer::Err {
                sqlstate: e.sqlstate.clone(),
                what: format!("({:?}) {}", e.status, e.message),
            },
            None,
        ),
    }
}

#[derive(Default)]
struct Tally {
    compared: usize,
    standby: usize,
    differences: Vec<String>,
    known: Vec<String>,
    known_agreeing: Vec<String>,
    misroutes: u64,
}

/// The text of a statement for one side: `{{side}}` names the side (for
/// objects shared by the whole cluster: roles, prepared transactions) and
/// `{{tmp}}` a directory the servers may write files in.
fn for_side(text: &str, side: &str, tmp: &Path) -> String {
    text.replace("{{side}}", side)
        .replace("{{tmp}}", &format!("{}/{}", tmp.display(), side))
}

fn run_script(c: &Cluster, name: &str, src: &str, tmp: &Path, floor: &mut String, t: &mut Tally) {
    // Every read pgtc lets the standby serve goes there (PRIMARY_SHARE=0),
    // once it has replayed the session's writes (CONSISTENCY=WAIT): the
    // strongest test of what may run there, and the same routes every run.
    // PGTC_DIFF_ATTRS adds (or overrides) attributes for a run by hand.
    let mut s = c.open(&format!(
        "dbname={} PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0 CONSISTENCY=WAIT {}",
        PGTC_DB,
        std::env::var("PGTC_DIFF_ATTRS").unwrap_or_default()
    ));
    // The writes of the scripts before (other sessions) are this one's too.
    s.raise_lsn_floor(floor).unwrap();
    let mut plain = Plain::connect(c.primary_port, TWIN_DB);
    let (compared, standby) = (t.compared, t.standby);
    for st in split(src) {
        let (got, server) = through_pgtc(&mut s, &for_side(&st.text, "pgtc", tmp));
        let want = plain.query(&for_side(&st.text, "twin", tmp));
        t.compared += 1;
        if server == Some(Server::Secondary) {
            t.standby += 1;
        }
        let at = format!("{}:{}", name, st.line);
        let same = got.same(&want);
        let report = || {
            format!(
                "{} `{}`\n    pgtc ({}): {}\n    primary:  {}",
                at,
                st.text.replace('\n', " "),
                server.map_or("-", |s| s.name()),
                got,
                want
            )
        };
        match (&st.known, same) {
            (None, true) => {}
            (None, false) => t.differences.push(report()),
            (Some(why), false) => t.known.push(format!("{} [known: {}]", report(), why)),
            (Some(why), true) => t.known_agreeing.push(format!("{} [known: {}]", at, why)),
        }
    }
    t.misroutes += s.counters().misroutes;
    println!(
        "{}: {} statements, {} on the standby",
        name,
        t.compared - compared,
        t.standby - standby
    );
    *floor = s.lsn_floor_text();
}

/// Lets the pair run prepared transactions (the tool's default is 0): the
/// standby needs at least the primary's value, so both get it, the primary
/// restarts first and the standby after it (it then resumes streaming at
/// once).
fn enable_two_phase(c: &Cluster) {
    for primary in [true, false] {
        c.direct(primary)
            .batch_execute("ALTER SYSTEM SET max_prepared_transactions = 8")
            .unwrap();
    }
    c.ctl(&["restart", "primary"]);
    c.ctl(&["restart", "standby"]);
    c.wait_direct(false, "SHOW max_prepared_transactions", "8");
    c.wait_direct(
        false,
        "SELECT status FROM pg_stat_wal_receiver",
        "streaming",
    );
}

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn corpus_gives_the_primarys_answers() {
    let t0 = Instant::now();
    let c = Cluster::shared();
    enable_two_phase(&c);
    let mut admin = c.direct(true);
    for db in [PGTC_DB, TWIN_DB] {
        for sql in [
            format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
            format!("CREATE DATABASE {db}"),
        ] {
            admin.batch_execute(&sql).unwrap();
        }
    }
    c.wait_replayed();
    let tmp = PathBuf::from(format!("/tmp/pgtc-diff-{}", std::process::id()));
    for side in ["pgtc", "twin"] {
        let d = tmp.join(side);
        std::fs::create_dir_all(&d).unwrap();
        // The servers write there (as the postgres OS user when run as root).
        for p in [&tmp, &d] {
            std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o777))
                .unwrap();
        }
    }
    let mut t = Tally::default();
    let mut floor = "0/0".to_string();
    for (name, src) in corpus() {
        run_script(&c, &name, &src, &tmp, &mut floor, &mut t);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    for k in &t.known {
        println!("known difference: {}", k);
    }
    for k in &t.known_agreeing {
        println!("marked known but now the same: {}", k);
    }
    for d in &t.differences {
        println!("DIFFERENCE: {}", d);
    }
    println!(
        "differential: {} statements compared, {} on the standby, {} differences, {} misroutes \
         ({} known differences, {} marked known but the same; {:.1} s)",
        t.compared,
        t.standby,
        t.differences.len(),
        t.misroutes,
        t.known.len(),
        t.known_agreeing.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(t.compared > 0, "the corpus is empty");
    assert!(
        t.differences.is_empty(),
        "{} statements answered differently through pgtc than on the primary (see above)",
        t.differences.len()
    );
    assert!(
        t.misroutes * 1000 <= t.compared as u64,
        "{} misroutes re-run by the safety net for {} statements: more than 0.1 %",
        t.misroutes,
        t.compared
    );
}

#[test]
fn splitter_understands_quotes_dollar_quotes_and_comments() {
    let src = "SELECT 'a;b', \"c;d\", E'x\\';y';\n\
               -- a comment; with a semicolon\n\
               /* nested /* ; */ ; */ SELECT $$;$$, $f$ $$ ; $f$; -- known: why not\n\
               CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n\
               SELECT $1 FROM t;\n\
               -- only a comment at the end\n";
    let got = split(src);
    let texts: Vec<&str> = got.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "SELECT 'a;b', \"c;d\", E'x\\';y'",
            "/* nested /* ; */ ; */ SELECT $$;$$, $f$ $$ ; $f$",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$",
            "SELECT $1 FROM t",
        ]
    );
    assert_eq!(got[1].line, 3);
    assert_eq!(got[1].known.as_deref(), Some("why not"));
    assert_eq!(got[0].known, None);
}
