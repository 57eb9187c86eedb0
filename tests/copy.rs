//! COPY through pgtc against a real primary + standby pair: FROM STDIN on
//! the primary with the LSN floor raised, TO STDOUT wherever the same read
//! would run, the formats, errors in the middle, aborts, misuse, the C ABI,
//! and streaming in bounded memory.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::copy::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::session::CopyDirection;
use pgtc::{Server, Session, Status};
use std::ffi::CString;
use std::io::Read;
use std::ptr::{null, null_mut};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0";

/// `COPY … TO STDOUT` through the session: its data and the result.
fn copy_out(s: &mut Session, sql: &str) -> (Vec<u8>, pgtc::ResultSet) {
    let mut data = Vec::new();
    let r = s
        .copy_out(sql, &mut data)
        .unwrap_or_else(|e| panic!("{}: {}", sql, e));
    (data, r)
}

fn rows_text(n: usize) -> String {
    (1..=n).map(|i| format!("{}\tname {}\n", i, i)).collect()
}

#[test]
fn copy_from_stdin_runs_on_the_primary_and_the_floor_covers_it() {
    // The standby replays 300 ms late: a read right after the COPY must
    // still see its rows.
    let c = Cluster::new(300);
    let t = table("copy_floor");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} (id int, name text)", t));
    c.wait_replayed();
    let floor = s.lsn_floor();
    let info = s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    assert_eq!(info.direction, CopyDirection::In);
    assert_eq!(info.server, Server::Primary);
    assert_eq!(info.cols, 2);
    assert!(!info.binary);
    // Chunks that split rows anywhere.
    let data = rows_text(1000);
    for piece in data.as_bytes().chunks(7) {
        s.copy_write(piece).unwrap();
    }
    let r = s.copy_end().unwrap();
    assert_eq!(r.tag(), "COPY 1000");
    assert_eq!(r.affected(), 1000);
    assert_eq!(r.server, Some(Server::Primary));
    assert!(
        s.lsn_floor() > floor,
        "the COPY did not raise the LSN floor"
    );
    // Read-your-writes: the standby has not replayed it yet.
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("1000"));
    let (out, r) = copy_out(&mut s, &format!("COPY {} TO STDOUT", t));
    assert_eq!(String::from_utf8(out).unwrap(), data);
    assert_eq!(r.tag(), "COPY 1000");
    // Once the standby has replayed it, the standby serves the COPY TO.
    let sql = format!("COPY (SELECT * FROM {} ORDER BY id) TO STDOUT", t);
    wait_for("the standby to serve the COPY TO", CATCH_UP, || {
        let (out, r) = copy_out(&mut s, &sql);
        assert_eq!(String::from_utf8(out).unwrap(), data);
        match r.server {
            Some(Server::Secondary) => Ok(()),
            other => Err(format!("ran on {:?}", other)),
        }
    });
}

#[test]
fn copy_to_stdout_is_routed_like_the_same_read() {
    let c = Cluster::shared();
    let t = table("copy_route");
    let mut w = c.open("");
    exec(
        &mut w,
        &format!(
            "CREATE TABLE {} AS SELECT g AS id FROM generate_series(1, 50) g",
            t
        ),
    );
    exec(&mut w, &format!("CREATE SEQUENCE {}_seq", t));
    c.wait_replayed();
    let want: String = (1..=50).map(|i| format!("{}\n", i)).collect();
    // READ_MOSTLY with PRIMARY_SHARE=0: the standby; WRITE_MOSTLY: the primary.
    let mut rm = c.open(RM);
    let sql = format!("COPY {} TO STDOUT", t);
    let (out, r) = copy_out(&mut rm, &sql);
    assert_eq!(String::from_utf8(out).unwrap(), want);
    assert_eq!(r.server, Some(Server::Secondary));
    assert_eq!(rm.counters().standby, 1);
    let (out, r) = copy_out(&mut w, &sql);
    assert_eq!(String::from_utf8(out).unwrap(), want);
    assert_eq!(r.server, Some(Server::Primary));
    // Where explain says, for reads and for what must stay on the primary.
    for sql in [
        format!("COPY {} TO STDOUT", t),
        format!("COPY (SELECT id FROM {} WHERE id < 3) TO STDOUT WITH (FORMAT csv)", t),
        format!("COPY (SELECT nextval('{}_seq')) TO STDOUT", t),
        "COPY (SELECT pg_is_in_recovery()) TO STDOUT".to_string(),
        format!(
            "COPY (WITH d AS (DELETE FROM {} WHERE id = 50 RETURNING id) SELECT * FROM d) TO STDOUT",
            t
        ),
    ] {
        let want = rm.explain(&sql).server;
        let info = rm.copy_start(&sql).unwrap();
        assert_eq!(info.server, want, "{}", sql);
        let mut rows = 0;
        while rm.copy_read().unwrap().is_some() {
            rows += 1;
        }
        let r = rm.copy_end().unwrap();
        assert_eq!(r.affected(), rows, "{}", sql);
    }
    assert_eq!(
        rm.explain(&format!("COPY (SELECT nextval('{}_seq')) TO STDOUT", t))
            .server,
        Server::Primary
    );
    // The node-identity read answers as the primary would.
    let (out, _) = copy_out(&mut rm, "COPY (SELECT pg_is_in_recovery()) TO STDOUT");
    assert_eq!(out, b"f\n");
}

#[test]
fn csv_and_binary_round_trip() {
    let c = Cluster::shared();
    let a = table("copy_fmt_a");
    let b = table("copy_fmt_b");
    let mut s = c.open(RM);
    exec(
        &mut s,
        &format!("CREATE TABLE {} (id int, name text, price numeric)", a),
    );
    exec(&mut s, &format!("CREATE TABLE {} (LIKE {})", b, a));
    let csv = "id,name,price\n1,\"with, comma\",1.5\n2,\"quote \"\"q\"\"\",\n3,plain,3\n";
    let r = s
        .copy_in(
            &format!("COPY {} FROM STDIN WITH (FORMAT csv, HEADER)", a),
            &mut csv.as_bytes(),
            5,
        )
        .unwrap();
    assert_eq!(r.tag(), "COPY 3");
    let (out, _) = copy_out(
        &mut s,
        &format!(
            "COPY (SELECT * FROM {} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)",
            a
        ),
    );
    assert_eq!(String::from_utf8(out).unwrap(), csv);
    // Binary out of one table and into another.
    let info = s
        .copy_start(&format!("COPY {} TO STDOUT WITH (FORMAT binary)", a))
        .unwrap();
    assert!(info.binary);
    assert_eq!(info.cols, 3);
    let mut bin = Vec::new();
    while let Some(chunk) = s.copy_read().unwrap() {
        bin.extend_from_slice(&chunk);
    }
    s.copy_end().unwrap();
    assert!(
        bin.starts_with(b"PGCOPY\n\xff\r\n\0"),
        "not PostgreSQL's binary COPY format"
    );
    let info = s
        .copy_start(&format!("COPY {} FROM STDIN WITH (FORMAT binary)", b))
        .unwrap();
    assert!(info.binary);
    for piece in bin.chunks(3) {
        s.copy_write(piece).unwrap();
    }
    assert_eq!(s.copy_end().unwrap().tag(), "COPY 3");
    let r = exec(
        &mut s,
        &format!(
            "SELECT count(*) FROM (SELECT * FROM {} EXCEPT SELECT * FROM {}) d",
            a, b
        ),
    );
    assert_eq!(r.value(0, 0), Some("0"));
}

#[test]
fn a_bad_row_is_reported_with_its_sqlstate_and_line_and_the_connection_stays() {
    let c = Cluster::shared();
    let t = table("copy_bad");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} (id int, name text)", t));
    s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    s.copy_write(b"1\tone\n2\ttwo\n").unwrap();
    s.copy_write(b"x\tthree\n4\tfour\n").unwrap();
    let e = s.copy_end().unwrap_err();
    assert_eq!(e.sqlstate, "22P02", "{}", e);
    assert_eq!(e.status, Status::Sql);
    assert!(
        e.message.contains("line 3"),
        "no line context: {}",
        e.message
    );
    assert!(s.copying().is_none());
    assert_eq!(s.connected(), Server::Both);
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("0"));
    // A bad row early in a large COPY stops it soon: a write reports it,
    // long before all the data is sent.
    s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    s.copy_write(b"1\tone\nbad\tvalue\n").unwrap();
    let chunk = rows_text(5000).into_bytes();
    let mut sent = 0;
    let e = loop {
        match s.copy_write(&chunk) {
            Ok(()) => sent += chunk.len(),
            Err(e) => break e,
        }
        assert!(sent < 256 << 20, "no error after {} bytes", sent);
    };
    println!("the bad row was reported after {} more bytes", sent);
    assert_eq!(e.sqlstate, "22P02", "{}", e);
    assert!(e.message.contains("line 2"), "{}", e.message);
    assert!(s.copying().is_none());
    assert_eq!(s.copy_end().unwrap_err().status, Status::InvalidState);
    assert_eq!(exec(&mut s, "SELECT 5").value(0, 0), Some("5"));
    // A server error in the middle of a COPY TO STDOUT.
    let e = s
        .copy_out(
            "COPY (SELECT 1 / (3 - g) FROM generate_series(1, 5) g) TO STDOUT",
            &mut Vec::new(),
        )
        .unwrap_err();
    assert_eq!(e.sqlstate, "22012", "{}", e);
    assert!(s.copying().is_none());
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
    // A statement the server refuses before COPY mode.
    let e = s
        .copy_start("COPY no_such_table_here FROM STDIN")
        .unwrap_err();
    assert_eq!(e.sqlstate, "42P01");
    assert!(s.copying().is_none());
    assert_eq!(exec(&mut s, "SELECT 2").value(0, 0), Some("2"));
}

#[test]
fn a_client_abort_copies_nothing_and_the_connection_stays() {
    let c = Cluster::shared();
    let t = table("copy_abort");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    s.copy_write(b"1\n2\n3\n").unwrap();
    s.copy_abort("changed my mind").unwrap();
    assert!(s.copying().is_none());
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("0"));
    // An abort of a COPY TO STDOUT discards the rest.
    let info = s
        .copy_start("COPY (SELECT generate_series(1, 100000)) TO STDOUT")
        .unwrap();
    assert_eq!(info.direction, CopyDirection::Out);
    assert!(s.copy_read().unwrap().is_some());
    s.copy_abort("enough").unwrap();
    assert_eq!(exec(&mut s, "SELECT 3").value(0, 0), Some("3"));
    // Inside a transaction the server fails the transaction.
    exec(&mut s, "BEGIN");
    s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    s.copy_write(b"1\n").unwrap();
    s.copy_abort("no").unwrap();
    let e = s.exec("SELECT 1", None).unwrap_err();
    assert_eq!(e.sqlstate, "25P02");
    exec(&mut s, "ROLLBACK");
    assert_eq!(exec(&mut s, "SELECT 4").value(0, 0), Some("4"));
}

#[test]
fn misuse_is_a_clear_error() {
    let c = Cluster::shared();
    let t = table("copy_misuse");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    for e in [
        s.copy_write(b"1\n").unwrap_err(),
        s.copy_read().unwrap_err(),
        s.copy_end().unwrap_err(),
        s.copy_abort("x").unwrap_err(),
    ] {
        assert_eq!(e.status, Status::InvalidState);
        assert!(e.message.contains("not copying"), "{}", e.message);
    }
    for sql in ["SELECT 1", "COPY a FROM STDIN; SELECT 1", ""] {
        let e = s.copy_start(sql).unwrap_err();
        assert_eq!(e.status, Status::InvalidArgument, "{}", sql);
    }
    // exec while copying, and a COPY in the wrong direction.
    s.copy_start(&format!("COPY {} FROM STDIN", t)).unwrap();
    let e = s.exec("SELECT 1", None).unwrap_err();
    assert_eq!(e.status, Status::InvalidState);
    assert!(e.message.contains("copying"), "{}", e.message);
    let e = s.copy_start("COPY (SELECT 1) TO STDOUT").unwrap_err();
    assert_eq!(e.status, Status::InvalidState);
    let e = s.copy_read().unwrap_err();
    assert_eq!(e.status, Status::InvalidState);
    s.copy_write(b"7\n").unwrap();
    assert_eq!(s.copy_end().unwrap().tag(), "COPY 1");
    s.copy_start("COPY (SELECT 1) TO STDOUT").unwrap();
    assert_eq!(
        s.copy_write(b"1\n").unwrap_err().status,
        Status::InvalidState
    );
    assert_eq!(s.copy_end().unwrap().tag(), "COPY 1");
    // copy_in of a COPY TO: refused, and the connection is not copying.
    let e = s
        .copy_in("COPY (SELECT 1) TO STDOUT", &mut b"".as_slice(), 10)
        .unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument);
    assert!(s.copying().is_none());
    // exec of COPY TO STDOUT points to the COPY API; the connection stays.
    let e = s.exec("COPY (SELECT 1) TO STDOUT", None).unwrap_err();
    assert_eq!(e.status, Status::Unsupported);
    assert_eq!(e.sqlstate, "0A000");
    assert!(e.message.contains("pgtc_conn_copy"), "{}", e.message);
    let e = s.exec(&format!("COPY {} FROM STDIN", t), None).unwrap_err();
    assert_eq!(e.sqlstate, "57014");
    assert_eq!(s.connected(), Server::Both);
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("1"));
}

#[test]
fn a_copy_to_a_server_file_completes_at_once() {
    let c = Cluster::shared();
    let t = table("copy_file");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} AS SELECT 1 AS id", t));
    let path = format!("/tmp/pgtc-copy-{}.txt", std::process::id());
    let info = s.copy_start(&format!("COPY {} TO '{}'", t, path)).unwrap();
    assert_eq!(info.direction, CopyDirection::None);
    assert_eq!(s.copy_read().unwrap_err().status, Status::InvalidState);
    assert_eq!(s.copy_end().unwrap().tag(), "COPY 1");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn copies_in_a_transaction_follow_it() {
    let c = Cluster::shared();
    let t = table("copy_txn");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {} (id int)", t));
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    wait_for("the standby to serve reads", CATCH_UP, || {
        match server_of(&mut s, &format!("SELECT count(*) FROM {}", t)) {
            Server::Secondary => Ok(()),
            other => Err(format!("{:?}", other)),
        }
    });
    exec(&mut s, "BEGIN");
    assert_eq!(
        server_of(&mut s, &format!("SELECT count(*) FROM {}", t)),
        Server::Secondary
    );
    // A COPY TO follows the transaction's reads on the standby.
    let (out, r) = copy_out(&mut s, &format!("COPY {} TO STDOUT", t));
    assert_eq!(out, b"1\n");
    assert_eq!(r.server, Some(Server::Secondary));
    // A COPY FROM moves the transaction to the primary.
    let r = s
        .copy_in(
            &format!("COPY {} FROM STDIN", t),
            &mut b"2\n3\n".as_slice(),
            2,
        )
        .unwrap();
    assert_eq!(r.server, Some(Server::Primary));
    let (out, r) = copy_out(
        &mut s,
        &format!("COPY (SELECT * FROM {} ORDER BY 1) TO STDOUT", t),
    );
    assert_eq!(out, b"1\n2\n3\n");
    assert_eq!(r.server, Some(Server::Primary));
    let floor = s.lsn_floor();
    exec(&mut s, "COMMIT");
    assert!(s.lsn_floor() > floor, "the COMMIT did not raise the floor");
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.value(0, 0), Some("3"));
}

/// A C ABI call that must succeed.
fn ok(st: Status, err: *mut pgtc_error) {
    if st != Status::Ok {
        let m = s(pgtc_error_message(err));
        pgtc_error_free(err);
        panic!("{:?}: {}", st, m);
    }
}

fn exec_c(conn: *mut pgtc_conn, sql: &str) -> String {
    let sql = CString::new(sql).unwrap();
    let (mut r, mut e) = (null_mut(), null_mut());
    ok(pgtc_conn_exec(conn, sql.as_ptr(), &mut r, &mut e), e);
    let v = pgtc_result_value(r, 0, 0);
    let v = if v.is_null() { String::new() } else { s(v) };
    pgtc_result_free(r);
    v
}

#[test]
fn the_c_abi_streams_both_ways() {
    let c = Cluster::shared();
    let t = table("copy_cabi");
    let conn = open(&format!("{} {}", c.conninfo, RM));
    exec_c(conn, &format!("CREATE TABLE {} (id int, name text)", t));
    let sql = CString::new(format!("COPY {} FROM STDIN", t)).unwrap();
    let (mut copy, mut e) = (null_mut(), null_mut());
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    assert_eq!(pgtc_copy_direction(copy), pgtc_direction::In);
    assert_eq!(pgtc_copy_cols(copy), 2);
    assert!(!pgtc_copy_binary(copy));
    let data = rows_text(100);
    for piece in data.as_bytes().chunks(10) {
        ok(
            pgtc_copy_write(copy, piece.as_ptr().cast(), piece.len(), &mut e),
            e,
        );
    }
    // Misuse: reading a COPY FROM, exec while copying.
    let (mut p, mut n) = (null(), 0usize);
    assert_eq!(
        pgtc_copy_read(copy, &mut p, &mut n, &mut e),
        Status::InvalidState
    );
    pgtc_error_free(e);
    let mut r = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut r, &mut e),
        Status::InvalidState
    );
    assert!(s(pgtc_error_message(e)).contains("copying"));
    pgtc_error_free(e);
    ok(pgtc_copy_end(copy, &mut r, &mut e), e);
    assert_eq!(s(pgtc_result_command(r)), "COPY 100");
    assert_eq!(pgtc_result_affected(r), 100);
    assert_eq!(pgtc_result_server(r), Server::Primary);
    pgtc_result_free(r);
    // The handle is over: every call says so.
    assert_eq!(
        pgtc_copy_write(copy, c"1\n".as_ptr(), 2, &mut e),
        Status::InvalidState
    );
    assert!(s(pgtc_error_message(e)).contains("over"));
    pgtc_error_free(e);
    assert_eq!(
        pgtc_copy_end(copy, null_mut(), null_mut()),
        Status::InvalidState
    );
    pgtc_copy_free(copy);
    // Out, chunk by chunk.
    let sql = CString::new(format!("COPY (SELECT * FROM {} ORDER BY id) TO STDOUT", t)).unwrap();
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    assert_eq!(pgtc_copy_direction(copy), pgtc_direction::Out);
    let mut got = Vec::new();
    loop {
        ok(pgtc_copy_read(copy, &mut p, &mut n, &mut e), e);
        if p.is_null() {
            assert_eq!(n, 0);
            break;
        }
        // SAFETY: pgtc lent `n` bytes at `p` until the next call.
        got.extend_from_slice(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), n) });
    }
    assert_eq!(String::from_utf8(got).unwrap(), data);
    ok(pgtc_copy_end(copy, null_mut(), &mut e), e);
    pgtc_copy_free(copy);
    // Freed in the middle: aborted, the connection stays usable.
    let sql = CString::new(format!("COPY {} FROM STDIN", t)).unwrap();
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    ok(pgtc_copy_write(copy, c"500\tx\n".as_ptr(), 6, &mut e), e);
    pgtc_copy_free(copy);
    assert_eq!(exec_c(conn, &format!("SELECT count(*) FROM {}", t)), "100");
    // An explicit abort, with the default reason.
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    ok(pgtc_copy_abort(copy, null(), &mut e), e);
    assert_eq!(
        pgtc_copy_abort(copy, null(), null_mut()),
        Status::InvalidState
    );
    pgtc_copy_free(copy);
    // A bad row through the C ABI: the SQLSTATE.
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    ok(pgtc_copy_write(copy, c"zz\tx\n".as_ptr(), 5, &mut e), e);
    assert_eq!(pgtc_copy_end(copy, &mut r, &mut e), Status::Sql);
    assert!(r.is_null());
    assert_eq!(s(pgtc_error_sqlstate(e)), "22P02");
    pgtc_error_free(e);
    pgtc_copy_free(copy);
    // NULL and bad arguments.
    assert_eq!(
        pgtc_conn_copy(conn, null(), &mut copy, null_mut()),
        Status::NullArgument
    );
    assert!(copy.is_null());
    assert_eq!(
        pgtc_conn_copy(null_mut(), sql.as_ptr(), &mut copy, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_conn_copy(conn, c"SELECT 1".as_ptr(), &mut copy, &mut e),
        Status::InvalidArgument
    );
    assert!(copy.is_null());
    pgtc_error_free(e);
    assert_eq!(
        pgtc_copy_write(null_mut(), null(), 0, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_copy_read(null_mut(), &mut p, &mut n, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_copy_end(null_mut(), null_mut(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_copy_abort(null_mut(), null(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(pgtc_copy_direction(null()), pgtc_direction::None);
    assert_eq!(pgtc_copy_cols(null()), 0);
    assert!(!pgtc_copy_binary(null()));
    pgtc_copy_free(null_mut());
    ok(pgtc_conn_copy(conn, sql.as_ptr(), &mut copy, &mut e), e);
    assert_eq!(
        pgtc_copy_write(copy, null(), 3, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_copy_read(copy, null_mut(), &mut n, null_mut()),
        Status::NullArgument
    );
    let bad = [0xffu8, 0];
    assert_eq!(
        pgtc_copy_abort(copy, bad.as_ptr().cast(), null_mut()),
        Status::InvalidUtf8
    );
    ok(pgtc_copy_end(copy, null_mut(), &mut e), e);
    pgtc_copy_free(copy);
    assert_eq!(exec_c(conn, &format!("SELECT count(*) FROM {}", t)), "100");
    pgtc_conn_free(conn);
}

/// Rows generated on the fly: `bytes` bytes of `id\tpadding\n` lines.
struct Rows {
    left: u64,
    line: Vec<u8>,
    at: usize,
    next: u64,
}

impl Rows {
    fn new(bytes: u64) -> Rows {
        Rows {
            left: bytes,
            line: Vec::new(),
            at: 0,
            next: 0,
        }
    }
}

impl Read for Rows {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.left > 0 {
            if self.at == self.line.len() {
                self.next += 1;
                self.line = format!("{}\t{:0>90}\n", self.next, self.next).into_bytes();
                self.at = 0;
            }
            let k = (self.line.len() - self.at).min(buf.len() - n);
            buf[n..n + k].copy_from_slice(&self.line[self.at..self.at + k]);
            self.at += k;
            n += k;
            if self.at == self.line.len() {
                self.left = self.left.saturating_sub(self.line.len() as u64);
            }
        }
        Ok(n)
    }
}

/// Counts what is written, keeps nothing.
struct Count(u64);

impl std::io::Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process's peak resident set (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let st = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = st
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status");
    kb * 1024
}

/// Resets the peak resident set to the current one (Linux 4.0 and later).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Streams `bytes` through COPY FROM STDIN and back out through COPY TO
/// STDOUT; returns the peak RSS growth (bytes) and what came back.
fn stream_through(c: &Cluster, bytes: u64) -> (u64, u64, u64) {
    let t = table("copy_volume");
    let mut s = c.open("");
    exec(&mut s, &format!("DROP TABLE IF EXISTS {}", t));
    exec(
        &mut s,
        &format!("CREATE UNLOGGED TABLE {} (id bigint, pad text)", t),
    );
    let reset = reset_peak_rss();
    let before = peak_rss();
    let r = s
        .copy_in(
            &format!("COPY {} FROM STDIN", t),
            &mut Rows::new(bytes),
            256 * 1024,
        )
        .unwrap();
    let rows = r.affected();
    let mut sink = Count(0);
    let r = s
        .copy_out(&format!("COPY {} TO STDOUT", t), &mut sink)
        .unwrap();
    assert_eq!(r.affected(), rows);
    let grown = peak_rss().saturating_sub(before);
    exec(&mut s, &format!("DROP TABLE {}", t));
    println!(
        "streamed {} MB in ({} rows) and {} MB out; peak RSS {} MB, grown by {} KB{}",
        bytes >> 20,
        rows,
        sink.0 >> 20,
        peak_rss() >> 20,
        grown >> 10,
        if reset { "" } else { " (peak not reset)" }
    );
    (grown, rows, sink.0)
}

#[test]
fn sixty_four_megabytes_stream_in_bounded_memory() {
    let c = Cluster::shared();
    let bytes = 64 << 20;
    let (grown, rows, out) = stream_through(&c, bytes);
    assert!(rows > 600_000, "{} rows", rows);
    assert!(out >= bytes, "{} bytes came back", out);
    // Nothing near the volume is held: a few chunks at most.
    assert!(grown < 16 << 20, "peak RSS grew by {} KB", grown >> 10);
}

/// The 1 GB check (minutes; not in the regular suite):
/// `cargo test --release --test copy -- --ignored --nocapture`
/// (PGTC_COPY_MB sets another volume).
#[test]
#[ignore]
fn one_gigabyte_streams_in_bounded_memory() {
    let c = Cluster::shared();
    let mb: u64 = std::env::var("PGTC_COPY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let (grown, _, out) = stream_through(&c, mb << 20);
    assert!(out >= mb << 20);
    assert!(grown < 16 << 20, "peak RSS grew by {} KB", grown >> 10);
}
