//! One physical connection to one PostgreSQL server, speaking the frontend/
//! backend protocol (v3) over TCP or a Unix socket, synchronously.
//!
//! pgtc drives the protocol itself, with the message codecs and SCRAM/MD5
//! code of the rust-postgres project's `postgres-protocol` crate, instead of
//! going through `postgres::Client`, because routing needs three things that
//! client does not expose: results in text format from the extended protocol
//! (values exactly as psql shows them, for `pgtc_conn_exec_params`), the
//! transaction status of every ReadyForQuery (in a block? failed?), and
//! pipelining several queries in one round trip (the COMMIT and the LSN read
//! that follows it).

use crate::conninfo::{Config, HostPort};
use crate::error::{Error, Result, Status};
use crate::result::ResultSet;
use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::sasl::{ChannelBinding, ScramSha256, SCRAM_SHA_256};
use postgres_protocol::message::{backend::Message, frontend};
use postgres_protocol::IsNull;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::time::Duration;

mod stmts;
pub use stmts::{ColumnDesc, Description, STALE_PLAN};

/// Transaction status reported by the server after each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxStatus {
    /// Not in a transaction block.
    Idle,
    /// In a transaction block.
    InBlock,
    /// In a failed transaction block (only ROLLBACK helps).
    Failed,
}

/// One request: a simple query (may hold several statements) or one
/// statement with text parameters (extended protocol, text results).
#[derive(Debug, Clone, Copy)]
pub enum Req<'a> {
    Simple(&'a str),
    Params(&'a str, &'a [Option<&'a str>]),
    /// One statement through a named prepared statement of the connection
    /// (prepared first when it is not yet), with typed or binary parameters.
    Bound(&'a Bound<'a>),
}

/// Parameter values of a `Bound` request.
#[derive(Debug, Clone, Copy)]
pub enum Values<'a> {
    Text(&'a [Option<&'a str>]),
    /// Each value in the format `Bound::formats` gives (text or binary).
    Bytes(&'a [Option<&'a [u8]>]),
}

impl Values<'_> {
    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Bytes(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Which named statement a `Bound` request runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StmtRef {
    /// The connection's statement cache, keeping at most this many.
    Cached(usize),
    /// The statement of `Session::prepare` with this id.
    Prepared(u64),
    /// The unnamed statement, parsed again each time.
    Unnamed,
}

/// One statement with parameters, run through a named prepared statement.
#[derive(Debug, Clone, Copy)]
pub struct Bound<'a> {
    pub sql: &'a str,
    /// Parameter type OIDs for the Parse (0 or missing: the server infers).
    pub types: &'a [u32],
    pub values: Values<'a>,
    /// As in libpq's PQexecParams: none = all text, one = for all, else one
    /// per parameter (0 text, 1 binary).
    pub formats: &'a [i16],
    pub stmt: StmtRef,
}

enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn set_timeouts(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => {
                s.set_read_timeout(t)?;
                s.set_write_timeout(t)
            }
            Stream::Unix(s) => {
                s.set_read_timeout(t)?;
                s.set_write_timeout(t)
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A physical connection. Not shared between threads; used by one session
/// (or the monitor) at a time.
pub struct Conn {
    stream: Stream,
    rbuf: BytesMut,
    wbuf: BytesMut,
    scratch: Box<[u8]>,
    cells: Vec<Option<std::ops::Range<usize>>>,
    tx: TxStatus,
    broken: bool,
    backend_pid: i32,
    server_version: String,
    scs: bool,
    /// `default_transaction_read_only` as reported (PostgreSQL 14 and later).
    default_read_only: bool,
    addr: HostPort,
    flushes: u64,
    stmts: stmts::Stmts,
}

const SCRATCH: usize = 32 * 1024;

impl Conn {
    /// Connect and authenticate. `connect_timeout` of the config bounds the
    /// TCP connect and the whole start-up exchange.
    pub fn connect(addr: &HostPort, cfg: &Config) -> Result<Conn> {
        let timeout = cfg.connect_timeout;
        let stream = open_stream(addr, timeout).map_err(|e| {
            Error::with_sqlstate(
                Status::ConnectFailed,
                format!("could not connect to {}: {}", addr, e),
                "08001",
            )
        })?;
        let mut conn = Conn {
            stream,
            rbuf: BytesMut::with_capacity(SCRATCH),
            wbuf: BytesMut::with_capacity(1024),
            scratch: vec![0u8; SCRATCH].into_boxed_slice(),
            cells: Vec::new(),
            tx: TxStatus::Idle,
            broken: false,
            backend_pid: 0,
            server_version: String::new(),
            scs: true,
            default_read_only: false,
            addr: addr.clone(),
            flushes: 0,
            stmts: stmts::Stmts::default(),
        };
        conn.stream
            .set_timeouts(timeout)
            .map_err(|e| conn.io_error(e, true))?;
        conn.startup(cfg)?;
        conn.stream
            .set_timeouts(None)
            .map_err(|e| conn.io_error(e, true))?;
        Ok(conn)
    }

    pub fn addr(&self) -> &HostPort {
        &self.addr
    }

    pub fn tx_status(&self) -> TxStatus {
        self.tx
    }

    /// True once an I/O or protocol failure made the connection unusable.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    #[allow(dead_code)] // no caller inside the crate yet
    pub fn backend_pid(&self) -> i32 {
        self.backend_pid
    }

    #[allow(dead_code)] // no caller inside the crate yet
    pub fn server_version(&self) -> &str {
        &self.server_version
    }

    /// Bound every later read and write (None = wait forever).
    pub fn set_io_timeout(&mut self, t: Option<Duration>) -> Result<()> {
        self.stream
            .set_timeouts(t)
            .map_err(|e| self.io_error(e, false))
    }

    fn startup(&mut self, cfg: &Config) -> Result<()> {
        let mut params: Vec<(&str, &str)> = vec![
            ("user", cfg.user.as_str()),
            ("database", cfg.dbname.as_str()),
            ("client_encoding", "UTF8"),
        ];
        if let Some(a) = &cfg.application_name {
            params.push(("application_name", a));
        }
        if let Some(o) = &cfg.options {
            params.push(("options", o));
        }
        frontend::startup_message(params.iter().copied(), &mut self.wbuf)
            .map_err(|e| self.proto_error(e.to_string()))?;
        self.flush()?;
        let mut scram: Option<ScramSha256> = None;
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::AuthenticationOk => {}
                Message::AuthenticationCleartextPassword => {
                    let pw = self.password(cfg)?;
                    frontend::password_message(pw.as_bytes(), &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                }
                Message::AuthenticationMd5Password(body) => {
                    let pw = self.password(cfg)?;
                    let hash = postgres_protocol::authentication::md5_hash(
                        cfg.user.as_bytes(),
                        pw.as_bytes(),
                        body.salt(),
                    );
                    frontend::password_message(hash.as_bytes(), &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                }
                Message::AuthenticationSasl(body) => {
                    let mut mechs = body.mechanisms();
                    let mut ok = false;
                    while let Some(m) = mechs.next().map_err(|e| self.proto_error(e.to_string()))? {
                        ok |= m == SCRAM_SHA_256;
                    }
                    if !ok {
                        return Err(self.auth_error(
                            "the server offers no SASL mechanism pgtc supports (SCRAM-SHA-256)",
                        ));
                    }
                    let pw = self.password(cfg)?;
                    let s = ScramSha256::new(pw.as_bytes(), ChannelBinding::unsupported());
                    frontend::sasl_initial_response(SCRAM_SHA_256, s.message(), &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                    scram = Some(s);
                }
                Message::AuthenticationSaslContinue(body) => {
                    let s = scram
                        .as_mut()
                        .ok_or_else(|| Error::new(Status::Protocol, "unexpected SASL continue"))?;
                    s.update(body.data())
                        .map_err(|e| Error::new(Status::AuthFailed, format!("SCRAM: {}", e)))?;
                    frontend::sasl_response(s.message(), &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                }
                Message::AuthenticationSaslFinal(body) => {
                    let s = scram
                        .as_mut()
                        .ok_or_else(|| Error::new(Status::Protocol, "unexpected SASL final"))?;
                    s.finish(body.data()).map_err(|e| {
                        Error::new(Status::AuthFailed, format!("SCRAM server signature: {}", e))
                    })?;
                }
                Message::AuthenticationGss
                | Message::AuthenticationKerberosV5
                | Message::AuthenticationScmCredential
                | Message::AuthenticationSspi
                | Message::AuthenticationGssContinue(_) => {
                    return Err(self.auth_error(
                        "the server asks for GSSAPI/SSPI/Kerberos authentication, which pgtc does not support",
                    ));
                }
                Message::BackendKeyData(b) => self.backend_pid = b.process_id(),
                Message::ParameterStatus(p) => self.note_parameter(&p),
                Message::NoticeResponse(_) => {}
                Message::ErrorResponse(body) => {
                    let mut e = server_error(body.fields());
                    if e.sqlstate.starts_with("28") {
                        e.status = Status::AuthFailed;
                    } else {
                        e.status = Status::ConnectFailed;
                    }
                    e.message = format!("{}: {}", &self.addr, e.message);
                    err = Some(e);
                    // The server closes the connection after a start-up error.
                    break;
                }
                Message::ReadyForQuery(b) => {
                    self.tx = tx_from(b.status());
                    break;
                }
                _ => return Err(self.proto_error("unexpected message during start-up".into())),
            }
        }
        match err {
            Some(e) => {
                self.broken = true;
                Err(e)
            }
            None => Ok(()),
        }
    }

    fn password(&self, cfg: &Config) -> Result<String> {
        cfg.password.clone().ok_or_else(|| {
            self.auth_error("the server requires a password and the connection string gives none")
        })
    }

    fn auth_error(&self, msg: &str) -> Error {
        Error::with_sqlstate(
            Status::AuthFailed,
            format!("{}: {}", &self.addr, msg),
            "28000",
        )
    }

    fn note_parameter(&mut self, p: &postgres_protocol::message::backend::ParameterStatusBody) {
        match (p.name(), p.value()) {
            (Ok("server_version"), Ok(v)) => self.server_version = v.to_string(),
            (Ok("standard_conforming_strings"), Ok(v)) => self.scs = v != "off",
            (Ok("default_transaction_read_only"), Ok(v)) => self.default_read_only = v == "on",
            _ => {}
        }
    }

    /// `standard_conforming_strings` as the server last reported it (the
    /// server reports every change): how it reads `'…\'…'`.
    pub fn standard_conforming_strings(&self) -> bool {
        self.scs
    }

    /// `default_transaction_read_only` as the server last reported it: the
    /// access mode its transactions begin with.
    pub fn default_transaction_read_only(&self) -> bool {
        self.default_read_only
    }

    /// Queue a request; nothing is sent until `flush`.
    pub fn send(&mut self, req: Req<'_>) -> Result<()> {
        match req {
            Req::Simple(sql) => {
                frontend::query(sql, &mut self.wbuf).map_err(|e| invalid_sql(e.to_string()))?
            }
            Req::Params(sql, params) => {
                if params.len() > i16::MAX as usize {
                    return Err(Error::invalid_argument(format!(
                        "{} parameters given; PostgreSQL accepts at most {}",
                        params.len(),
                        i16::MAX
                    )));
                }
                let mark = self.wbuf.len();
                self.queue_closes();
                let r = (|| -> Result<()> {
                    frontend::parse("", sql, std::iter::empty(), &mut self.wbuf)
                        .map_err(|e| invalid_sql(e.to_string()))?;
                    frontend::bind(
                        "",
                        "",
                        std::iter::once(0i16), // every parameter in text format
                        params.iter(),
                        |p, buf| match p {
                            Some(s) => {
                                buf.put_slice(s.as_bytes());
                                Ok(IsNull::No)
                            }
                            None => Ok(IsNull::Yes),
                        },
                        std::iter::once(0i16), // every result column in text format
                        &mut self.wbuf,
                    )
                    .map_err(|_| invalid_sql("a parameter is too large".into()))?;
                    frontend::describe(b'P', "", &mut self.wbuf)
                        .map_err(|e| invalid_sql(e.to_string()))?;
                    frontend::execute("", 0, &mut self.wbuf)
                        .map_err(|e| invalid_sql(e.to_string()))?;
                    frontend::sync(&mut self.wbuf);
                    Ok(())
                })();
                if r.is_err() {
                    self.wbuf.truncate(mark);
                }
                r?
            }
            Req::Bound(b) => self.send_bound(b)?,
        }
        self.stmts.queued();
        Ok(())
    }

    /// Requests sent so far (each flush is one round trip).
    pub fn round_trips(&self) -> u64 {
        self.flushes
    }

    /// Send everything queued.
    pub fn flush(&mut self) -> Result<()> {
        self.flushes += 1;
        if self.broken {
            self.wbuf.clear();
            return Err(lost(&self.addr, "connection is broken"));
        }
        let r = self.stream.write_all(&self.wbuf);
        self.wbuf.clear();
        r.map_err(|e| self.io_error(e, false))
    }

    /// Read the responses to one queued request, up to its ReadyForQuery,
    /// into `out` (for several statements, `out` keeps the last one).
    /// A server error is returned after the request completed, so the
    /// connection stays usable.
    pub fn recv(&mut self, out: &mut ResultSet) -> Result<()> {
        out.reset();
        let mut fresh = true;
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::RowDescription(body) => {
                    out.reset();
                    fresh = false;
                    let mut fields = body.fields();
                    while let Some(f) =
                        fields.next().map_err(|e| self.proto_error(e.to_string()))?
                    {
                        out.push_column(f.name().as_bytes(), f.type_oid());
                    }
                }
                Message::DataRow(body) => {
                    let buf = body.buffer();
                    self.cells.clear();
                    let mut ranges = body.ranges();
                    loop {
                        match ranges.next() {
                            Ok(Some(r)) => self.cells.push(r),
                            Ok(None) => break,
                            Err(e) => return Err(self.proto_error(e.to_string())),
                        }
                    }
                    out.push_row(self.cells.iter().map(|r| r.clone().map(|r| &buf[r])));
                }
                Message::CommandComplete(body) => {
                    if fresh {
                        out.reset();
                    }
                    fresh = true;
                    let tag = body.tag().map_err(|e| self.proto_error(e.to_string()))?;
                    self.stmts.note_tag(tag);
                    out.set_tag(tag);
                }
                Message::EmptyQueryResponse => {
                    out.reset();
                    fresh = true;
                }
                Message::ErrorResponse(body) if err.is_none() => {
                    err = Some(server_error(body.fields()));
                }
                Message::CopyInResponse(_) => {
                    // The server's answer to the refusal (57014) is the error.
                    frontend::copy_fail("COPY FROM STDIN is not supported by pgtc", &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                }
                Message::CopyOutResponse(_) => {
                    err.get_or_insert_with(copy_unsupported);
                }
                Message::ParseComplete => self.stmts.parsed(),
                Message::ReadyForQuery(b) => {
                    self.tx = tx_from(b.status());
                    self.stmts_settled(err.as_ref());
                    return match err {
                        None => Ok(()),
                        Some(e) => Err(e),
                    };
                }
                Message::ParameterStatus(p) => self.note_parameter(&p),
                Message::NoticeResponse(body) => {
                    if log::log_enabled!(log::Level::Debug) {
                        let n = server_error(body.fields());
                        log::debug!("notice from {}: {}", &self.addr, n.message);
                    }
                }
                _ => {} // ParseComplete, BindComplete, NoData, CopyData, notifications, …
            }
        }
    }

    /// Send one request and read its result.
    pub fn run(&mut self, req: Req<'_>, out: &mut ResultSet) -> Result<()> {
        self.send(req)?;
        self.flush()?;
        self.recv(out)
    }

    /// Run a simple query and return the first column of its first row.
    pub fn query_value(&mut self, sql: &str) -> Result<Option<String>> {
        let mut r = ResultSet::default();
        self.run(Req::Simple(sql), &mut r)?;
        Ok(r.value(0, 0).map(str::to_string))
    }

    fn read_message(&mut self) -> Result<Message> {
        loop {
            match Message::parse(&mut self.rbuf) {
                Ok(Some(m)) => return Ok(m),
                Ok(None) => {}
                Err(e) => return Err(self.proto_error(e.to_string())),
            }
            match self.stream.read(&mut self.scratch) {
                Ok(0) => {
                    self.broken = true;
                    return Err(lost(
                        &self.addr,
                        "server closed the connection unexpectedly",
                    ));
                }
                Ok(n) => self.rbuf.extend_from_slice(&self.scratch[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_error(e, false)),
            }
        }
    }

    fn io_error(&mut self, e: io::Error, connecting: bool) -> Error {
        self.broken = true;
        if connecting {
            Error::with_sqlstate(
                Status::ConnectFailed,
                format!("could not connect to {}: {}", &self.addr, e),
                "08001",
            )
        } else {
            lost(&self.addr, &e.to_string())
        }
    }

    fn proto_error(&mut self, msg: String) -> Error {
        self.broken = true;
        Error::with_sqlstate(
            Status::Protocol,
            format!("protocol error from {}: {}", &self.addr, msg),
            "08P01",
        )
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if !self.broken {
            let mut buf = BytesMut::with_capacity(5);
            frontend::terminate(&mut buf);
            let _ = self.stream.write_all(&buf);
        }
    }
}

fn open_stream(addr: &HostPort, timeout: Option<Duration>) -> io::Result<Stream> {
    if addr.host.starts_with('/') {
        let path = format!("{}/.s.PGSQL.{}", addr.host, addr.port);
        return Ok(Stream::Unix(UnixStream::connect(path)?));
    }
    let mut last = io::Error::new(io::ErrorKind::NotFound, "host name resolves to no address");
    for sa in (addr.host.as_str(), addr.port).to_socket_addrs()? {
        let r = match timeout {
            Some(t) => TcpStream::connect_timeout(&sa, t),
            None => TcpStream::connect(sa),
        };
        match r {
            Ok(s) => {
                s.set_nodelay(true)?;
                return Ok(Stream::Tcp(s));
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn tx_from(b: u8) -> TxStatus {
    match b {
        b'T' => TxStatus::InBlock,
        b'E' => TxStatus::Failed,
        _ => TxStatus::Idle,
    }
}

fn lost(addr: &HostPort, why: &str) -> Error {
    Error::with_sqlstate(
        Status::ConnectionLost,
        format!("connection to {} lost: {}", addr, why),
        "08006",
    )
}

fn invalid_sql(msg: String) -> Error {
    Error::invalid_argument(format!("cannot send the statement: {}", msg))
}

fn copy_unsupported() -> Error {
    Error::new(
        Status::Unsupported,
        "COPY to or from the client is not supported through pgtc_conn_exec",
    )
}

fn server_error(mut fields: postgres_protocol::message::backend::ErrorFields<'_>) -> Error {
    let (mut code, mut msg, mut detail, mut hint) = (String::new(), String::new(), None, None);
    while let Ok(Some(f)) = fields.next() {
        match f.type_() {
            b'C' => code = String::from_utf8_lossy(f.value_bytes()).into_owned(),
            b'M' => msg = String::from_utf8_lossy(f.value_bytes()).into_owned(),
            b'D' => detail = Some(String::from_utf8_lossy(f.value_bytes()).into_owned()),
            b'H' => hint = Some(String::from_utf8_lossy(f.value_bytes()).into_owned()),
            _ => {}
        }
    }
    if let Some(d) = detail {
        msg.push_str("\nDETAIL:  ");
        msg.push_str(&d);
    }
    if let Some(h) = hint {
        msg.push_str("\nHINT:  ");
        msg.push_str(&h);
    }
    Error::with_sqlstate(Status::Sql, msg, &code)
}
