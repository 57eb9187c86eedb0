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
//!
//! Besides the answers to requests, a server sends asynchronous messages at
//! any time: notices (handed to the connection's notice handler as they
//! arrive, or logged) and notifications (queued on the connection until
//! the session asks for them with `Conn::notification`).
//!
//! `tls` sets up TLS (rustls) as `sslmode` says; `cancel` sends
//! CancelRequests for a connection from any thread.

mod cancel;
mod tls;

pub use self::cancel::CancelKey;
use crate::conninfo::{ChannelBinding as CbMode, Config, HostPort, SslMode};
use crate::error::{Error, Fields, Notice, Result, Status};
use crate::result::{ColumnMeta, ResultSet, Server};
use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::sasl::{
    ChannelBinding, ScramSha256, SCRAM_SHA_256, SCRAM_SHA_256_PLUS,
};
use postgres_protocol::message::{backend::Message, frontend};
use postgres_protocol::IsNull;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod copy;
pub use copy::Began;

mod stmts;
pub use stmts::{schema_changed, ColumnDesc, Description, STALE_PLAN};

mod portal;
pub use portal::Batch;

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

/// Receives the notices and warnings of a server, with the server's role,
/// while the connection reads from it (so on the thread using it).
pub type NoticeHandler = Arc<dyn Fn(&Notice, Server) + Send + Sync>;

/// A notification (`NOTIFY channel, 'payload'`) from a session the server
/// has told about it (`LISTEN channel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub channel: String,
    pub payload: String,
    /// The backend process id of the notifying session.
    pub pid: i32,
}

/// What arrives besides the answers to requests: where notices go and the
/// notifications not yet taken.
#[derive(Default)]
struct Events {
    notice: Option<(NoticeHandler, Server)>,
    notifications: VecDeque<Notification>,
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
    Tls(Box<tls::TlsStream>),
}

impl Stream {
    fn set_timeouts(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => set_tcp_timeouts(s, t),
            Stream::Tls(s) => set_tcp_timeouts(&s.sock, t),
            Stream::Unix(s) => {
                s.set_read_timeout(t)?;
                s.set_write_timeout(t)
            }
        }
    }

    /// The channel binding data of a TLS connection.
    fn server_end_point(&self) -> Option<Vec<u8>> {
        match self {
            Stream::Tls(s) => s.server_end_point(),
            _ => None,
        }
    }
}

fn set_tcp_timeouts(s: &TcpStream, t: Option<Duration>) -> io::Result<()> {
    s.set_read_timeout(t)?;
    s.set_write_timeout(t)
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Unix(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Unix(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tls(s) => s.flush(),
            _ => Ok(()),
        }
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
    /// The secret of BackendKeyData, for cancel requests.
    backend_secret: i32,
    /// What a cancel request for this connection needs.
    cancel: Option<Arc<CancelKey>>,
    /// The server refused the start-up with an ErrorResponse.
    refused: bool,
    server_version: String,
    scs: bool,
    /// `default_transaction_read_only` as reported (PostgreSQL 14 and later).
    default_read_only: bool,
    addr: HostPort,
    flushes: u64,
    events: Events,
    stmts: stmts::Stmts,
    portals: portal::Portals,
}

const SCRATCH: usize = 32 * 1024;

impl Conn {
    /// Connect and authenticate, with TLS as `sslmode` says (libpq's
    /// order of attempts: `allow` tries plain first and TLS when the
    /// server refuses; `prefer` tries TLS first and plain when the server
    /// has no TLS or refuses the TLS connection). `connect_timeout` of the
    /// config bounds the TCP connect and the whole start-up exchange of
    /// each attempt.
    pub fn connect(addr: &HostPort, cfg: &Config) -> Result<Conn> {
        let unix = addr.host.starts_with('/');
        let tls_config = || tls::client_config(&cfg.tls);
        match cfg.tls.mode {
            // As libpq: TLS is never used over a Unix socket, whatever
            // sslmode says (the socket does not leave the machine).
            _ if unix => Conn::attempt(addr, cfg, None).map_err(|f| f.error),
            SslMode::Disable => Conn::attempt(addr, cfg, None).map_err(|f| f.error),
            SslMode::Allow => match Conn::attempt(addr, cfg, None) {
                Err(f) if f.retry => {
                    log::debug!("{}; retrying with TLS (sslmode=allow)", f.error);
                    Conn::attempt(addr, cfg, Some((tls_config()?, false)))
                        .map_err(|g| both(f.error, g.error, "with TLS"))
                }
                r => r.map_err(|f| f.error),
            },
            SslMode::Prefer => match Conn::attempt(addr, cfg, Some((tls_config()?, false))) {
                Err(f) if f.retry => {
                    log::debug!("{}; retrying without TLS (sslmode=prefer)", f.error);
                    Conn::attempt(addr, cfg, None)
                        .map_err(|g| both(f.error, g.error, "without TLS"))
                }
                r => r.map_err(|f| f.error),
            },
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                Conn::attempt(addr, cfg, Some((tls_config()?, true))).map_err(|f| f.error)
            }
        }
    }

    /// One connection attempt: plain (`tls` None), or TLS with the given
    /// configuration, which the server may decline unless `required`.
    fn attempt(
        addr: &HostPort,
        cfg: &Config,
        tls: Option<(Arc<rustls::ClientConfig>, bool)>,
    ) -> std::result::Result<Conn, Failed> {
        let timeout = cfg.connect_timeout;
        let connect_failed = |e: io::Error| {
            Failed::fatal(Error::with_sqlstate(
                Status::ConnectFailed,
                format!("could not connect to {}: {}", addr, e),
                "08001",
            ))
        };
        let mut stream = open_stream(addr, timeout).map_err(connect_failed)?;
        stream.set_timeouts(timeout).map_err(connect_failed)?;
        let mut tls_used = None;
        let tls_asked = tls.is_some();
        if let (Some((config, required)), Stream::Tcp(_)) = (tls, &stream) {
            let Stream::Tcp(sock) = stream else {
                unreachable!()
            };
            match tls::negotiate(sock, addr, &cfg.tls, config.clone()) {
                Ok(tls::Negotiated::Tls(t)) => {
                    stream = Stream::Tls(t);
                    tls_used = Some(config);
                }
                Ok(tls::Negotiated::Refused(sock)) if !required => stream = Stream::Tcp(sock),
                Ok(tls::Negotiated::Refused(_)) => {
                    return Err(Failed::fatal(Error::with_sqlstate(
                        Status::ConnectFailed,
                        format!(
                            "{}: the server does not support TLS, but sslmode={} requires it",
                            addr,
                            cfg.tls.mode.name()
                        ),
                        "08001",
                    )))
                }
                Err(e) => {
                    return Err(Failed {
                        error: e,
                        retry: !required,
                    })
                }
            }
        }
        let mut conn = Conn {
            stream,
            rbuf: BytesMut::with_capacity(SCRATCH),
            wbuf: BytesMut::with_capacity(1024),
            scratch: vec![0u8; SCRATCH].into_boxed_slice(),
            cells: Vec::new(),
            tx: TxStatus::Idle,
            broken: false,
            backend_pid: 0,
            backend_secret: 0,
            cancel: None,
            refused: false,
            server_version: String::new(),
            scs: true,
            default_read_only: false,
            addr: addr.clone(),
            flushes: 0,
            events: Events::default(),
            stmts: stmts::Stmts::default(),
            portals: portal::Portals::default(),
        };
        if let Err(e) = conn.startup(cfg) {
            // libpq retries the other way only when this attempt was the
            // way it asked for: plain for allow, TLS for prefer (not after
            // the server declined TLS).
            let as_asked = tls_asked == conn.uses_tls();
            return Err(Failed {
                retry: conn.refused && as_asked,
                error: e,
            });
        }
        conn.stream
            .set_timeouts(None)
            .map_err(|e| Failed::fatal(conn.io_error(e, true)))?;
        conn.cancel = Some(Arc::new(CancelKey::new(
            addr.clone(),
            conn.backend_pid,
            conn.backend_secret,
            tls_used.map(|c| (c, cfg.tls.clone())),
            timeout,
        )));
        Ok(conn)
    }

    fn uses_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// What a cancel request for this connection needs (shared, cheap to
    /// clone); None only before start-up completed.
    pub fn cancel_key(&self) -> Option<&Arc<CancelKey>> {
        self.cancel.as_ref()
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
        let cb = cfg.tls.channel_binding;
        // SCRAM-SHA-256-PLUS completed (the server proved it saw the same
        // TLS certificate).
        let mut bound = false;
        loop {
            match self.read_message()? {
                Message::AuthenticationOk => {
                    if cb == CbMode::Require && !bound {
                        return Err(self.auth_error(
                            "channel binding required (channel_binding=require), but the \
                             server authenticated the client without channel binding",
                        ));
                    }
                }
                Message::AuthenticationCleartextPassword => {
                    self.no_binding_for_password(cb)?;
                    let pw = self.password(cfg)?;
                    frontend::password_message(pw.as_bytes(), &mut self.wbuf)
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    self.flush()?;
                }
                Message::AuthenticationMd5Password(body) => {
                    self.no_binding_for_password(cb)?;
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
                    let (mut plain, mut plus) = (false, false);
                    while let Some(m) = mechs.next().map_err(|e| self.proto_error(e.to_string()))? {
                        plain |= m == SCRAM_SHA_256;
                        plus |= m == SCRAM_SHA_256_PLUS;
                    }
                    let end_point = self.stream.server_end_point();
                    let (mech, binding) = match (cb, end_point, plus) {
                        (CbMode::Disable, _, _) => (SCRAM_SHA_256, ChannelBinding::unsupported()),
                        (_, Some(h), true) => {
                            bound = true;
                            (SCRAM_SHA_256_PLUS, ChannelBinding::tls_server_end_point(h))
                        }
                        (CbMode::Require, None, _) => {
                            return Err(self.auth_error(
                                "channel binding required (channel_binding=require), but the \
                                 connection does not use TLS",
                            ))
                        }
                        (CbMode::Require, Some(_), false) => {
                            return Err(self.auth_error(
                                "channel binding required (channel_binding=require), but the \
                                 server did not offer SCRAM-SHA-256-PLUS",
                            ))
                        }
                        // The client could bind but the server offers no binding.
                        (_, Some(_), false) => (SCRAM_SHA_256, ChannelBinding::unrequested()),
                        (_, None, _) => (SCRAM_SHA_256, ChannelBinding::unsupported()),
                    };
                    if mech == SCRAM_SHA_256 && !plain {
                        return Err(self.auth_error(
                            "the server offers no SASL mechanism pgtc supports \
                             (SCRAM-SHA-256, SCRAM-SHA-256-PLUS)",
                        ));
                    }
                    let pw = self.password(cfg)?;
                    let s = ScramSha256::new(pw.as_bytes(), binding);
                    frontend::sasl_initial_response(mech, s.message(), &mut self.wbuf)
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
                Message::BackendKeyData(b) => {
                    self.backend_pid = b.process_id();
                    self.backend_secret = b.secret_key();
                }
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
                    self.refused = true;
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

    /// channel_binding=require never answers a password request that
    /// cannot bind (cleartext, MD5).
    fn no_binding_for_password(&self, cb: CbMode) -> Result<()> {
        if cb == CbMode::Require {
            return Err(self.auth_error(
                "channel binding required (channel_binding=require), but the server asks \
                 for a password without SCRAM (MD5 or cleartext), which cannot bind",
            ));
        }
        Ok(())
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

    /// Queue a request; nothing is sent until `flush`. A portal still open
    /// on the connection (see `portal`) is read to its end first.
    pub fn send(&mut self, req: Req<'_>) -> Result<()> {
        self.park_portal()?;
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
    /// into `out`: for a text of several statements, one result per
    /// statement, chained from `out` in order. A server error is returned
    /// after the request completed, so the connection stays usable; it
    /// carries the results of the statements that completed before it
    /// (`Error::results`), as PostgreSQL runs a text up to its first error.
    pub fn recv(&mut self, out: &mut ResultSet) -> Result<()> {
        out.reset();
        self.absorb_syncs()?;
        // `out` takes the first statement's result, `cur` each later one.
        let mut done = 0usize;
        let mut cur = ResultSet::default();
        let mut rest: Vec<ResultSet> = Vec::new();
        let mut err: Option<Error> = None;
        loop {
            let target = if done == 0 { &mut *out } else { &mut cur };
            match self.read_message()? {
                Message::BindComplete => self.bind_complete(target),
                Message::NoData => self.described(Arc::default),
                Message::RowDescription(body) => self.columns_into(&body, target)?,
                Message::DataRow(body) => self.row_into(&body, target)?,
                Message::CommandComplete(body) => {
                    let tag = body.tag().map_err(|e| self.proto_error(e.to_string()))?;
                    self.stmts.note_tag(tag);
                    target.set_tag(tag);
                    if done > 0 {
                        rest.push(std::mem::take(&mut cur));
                    }
                    done += 1;
                }
                Message::EmptyQueryResponse => {
                    target.reset();
                    if done > 0 {
                        rest.push(std::mem::take(&mut cur));
                    }
                    done += 1;
                }
                Message::ErrorResponse(body) if err.is_none() => {
                    // Rows the failing statement sent before it failed are
                    // not a result.
                    target.reset();
                    err = Some(server_error(body.fields()));
                }
                Message::CopyInResponse(_) => {
                    // The server's answer to the refusal (57014) is the error.
                    frontend::copy_fail(COPY_IN_REFUSED, &mut self.wbuf)
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
                    out.append(rest);
                    return match err {
                        None => Ok(()),
                        Some(mut e) => {
                            if done > 0 {
                                e.results = Some(Box::new(std::mem::take(out)));
                            }
                            Err(e)
                        }
                    };
                }
                m => self.async_message(m)?, // notices, notifications, ParseComplete, …
            }
        }
    }

    /// The columns a RowDescription describes, as `target`'s (which starts
    /// over).
    fn columns_into(
        &mut self,
        body: &postgres_protocol::message::backend::RowDescriptionBody,
        target: &mut ResultSet,
    ) -> Result<()> {
        target.reset();
        let mut fields = body.fields();
        while let Some(f) = fields.next().map_err(|e| self.proto_error(e.to_string()))? {
            let meta = ColumnMeta {
                type_oid: f.type_oid(),
                typmod: f.type_modifier(),
                table_oid: f.table_oid(),
                column_id: f.column_id(),
            };
            target.push_column(f.name().as_bytes(), meta);
        }
        self.described(|| Arc::new((target.columns().to_vec(), target.names().to_vec())));
        Ok(())
    }

    /// A DataRow's values, appended to `target`.
    fn row_into(
        &mut self,
        body: &postgres_protocol::message::backend::DataRowBody,
        target: &mut ResultSet,
    ) -> Result<()> {
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
        target.push_row(self.cells.iter().map(|r| r.clone().map(|r| &buf[r])));
        Ok(())
    }

    /// Read the answers to a request of `send_group` with `n` sets, up to
    /// its ReadyForQuery: one outcome per set, in order. After a set that
    /// failed, the server ran none of the others; each of them gets 25P02,
    /// as a statement sent to an aborted transaction block does.
    pub fn recv_group(&mut self, n: usize) -> Result<Vec<Result<ResultSet>>> {
        self.absorb_syncs()?;
        let mut outs: Vec<Result<ResultSet>> = Vec::with_capacity(n);
        let mut cur = ResultSet::default();
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::BindComplete => self.bind_complete(&mut cur),
                Message::NoData => self.described(Arc::default),
                Message::RowDescription(body) => self.columns_into(&body, &mut cur)?,
                Message::DataRow(body) => self.row_into(&body, &mut cur)?,
                Message::CommandComplete(body) => {
                    let tag = body.tag().map_err(|e| self.proto_error(e.to_string()))?;
                    self.stmts.note_tag(tag);
                    cur.set_tag(tag);
                    outs.push(Ok(std::mem::take(&mut cur)));
                }
                Message::EmptyQueryResponse => {
                    cur.reset();
                    outs.push(Ok(std::mem::take(&mut cur)));
                }
                Message::ErrorResponse(body) if err.is_none() => {
                    cur.reset();
                    let e = server_error(body.fields());
                    outs.push(Err(e.clone()));
                    err = Some(e);
                }
                Message::CopyInResponse(_) => {
                    frontend::copy_fail(COPY_IN_REFUSED, &mut self.wbuf)
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
                    let skipped = Error::with_sqlstate(
                        Status::Sql,
                        "current transaction is aborted, commands ignored until end of transaction block",
                        "25P02",
                    );
                    while outs.len() < n {
                        outs.push(Err(skipped.clone()));
                    }
                    outs.truncate(n);
                    return Ok(outs);
                }
                m => self.async_message(m)?,
            }
        }
    }

    /// A message a server may send at any time: a notice goes to the
    /// handler (or the log), a notification to the queue, a parameter
    /// change is noted; anything else is ignored (ParseComplete,
    /// BindComplete, NoData, CopyData, …).
    fn async_message(&mut self, m: Message) -> Result<()> {
        match m {
            Message::ParameterStatus(p) => self.note_parameter(&p),
            Message::NoticeResponse(body) => {
                let notice = Notice {
                    fields: fields_of(body.fields()),
                };
                match &self.events.notice {
                    Some((h, server)) => h(&notice, *server),
                    None => log::info!(
                        "{} from {}: {}",
                        notice.severity(),
                        &self.addr,
                        notice.fields.render_message()
                    ),
                }
            }
            Message::NotificationResponse(body) => {
                let n = Notification {
                    pid: body.process_id(),
                    channel: body
                        .channel()
                        .map_err(|e| self.proto_error(e.to_string()))?
                        .to_string(),
                    payload: body
                        .message()
                        .map_err(|e| self.proto_error(e.to_string()))?
                        .to_string(),
                };
                self.events.notifications.push_back(n);
            }
            _ => {}
        }
        Ok(())
    }

    /// Send notices to `handler` (None: log them at info level), telling
    /// it they come from `server`.
    pub fn set_notice_handler(&mut self, handler: Option<&NoticeHandler>, server: Server) {
        let same = match (&self.events.notice, handler) {
            (None, None) => true,
            (Some((a, s)), Some(b)) => Arc::ptr_eq(a, b) && *s == server,
            _ => false,
        };
        if !same {
            self.events.notice = handler.map(|h| (Arc::clone(h), server));
        }
    }

    /// Notifications read with the answers to requests and not yet taken.
    pub fn queued_notifications(&self) -> usize {
        self.events.notifications.len()
    }

    /// The next notification: one queued while a request ran, else one
    /// read from the server within `timeout` (None: wait without limit;
    /// zero: only look at what has already arrived). Ok(None) when none
    /// came in time. Call it only between requests. The connection's read
    /// timeout is None again afterwards.
    pub fn notification(&mut self, timeout: Option<Duration>) -> Result<Option<Notification>> {
        self.absorb_syncs()?;
        if let Some(n) = self.events.notifications.pop_front() {
            return Ok(Some(n));
        }
        if self.broken {
            return Err(lost(&self.addr, "connection is broken"));
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if let Some(n) = self.buffered_notification()? {
                return Ok(Some(n));
            }
            if deadline.is_some_and(|d| Instant::now() >= d) && timeout != Some(Duration::ZERO) {
                return Ok(None);
            }
            // A read timeout cannot be zero: a poll looks for a millisecond.
            let wait = deadline.map(|d| {
                d.saturating_duration_since(Instant::now())
                    .max(Duration::from_millis(1))
            });
            self.set_io_timeout(wait)?;
            let r = self.stream.read(&mut self.scratch);
            self.set_io_timeout(None)?;
            match r {
                Ok(0) => {
                    self.broken = true;
                    return Err(lost(
                        &self.addr,
                        "server closed the connection unexpectedly",
                    ));
                }
                Ok(n) => self.rbuf.extend_from_slice(&self.scratch[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(self.io_error(e, false)),
            }
            if timeout == Some(Duration::ZERO) {
                return self.buffered_notification();
            }
        }
    }

    /// Between requests, take in what the server sent unasked, without
    /// waiting: notices, notifications and parameter changes are kept as
    /// always; an error (the server ended the session, as
    /// `pg_terminate_backend` does) or the end of the stream breaks the
    /// connection. Returns whether the connection is still usable. No
    /// request is sent; when nothing arrived it costs one poll(2).
    pub fn poll_idle(&mut self) -> bool {
        if self.absorb_syncs().is_err() {
            return false;
        }
        while !self.broken && self.readable_now() {
            // Readable, so this read does not wait (a TLS record arriving in
            // parts waits a millisecond at most).
            if self.set_io_timeout(Some(Duration::from_millis(1))).is_err() {
                break;
            }
            let r = self.stream.read(&mut self.scratch);
            let _ = self.set_io_timeout(None);
            match r {
                Ok(0) => self.broken = true,
                Ok(n) => {
                    self.rbuf.extend_from_slice(&self.scratch[..n]);
                    loop {
                        match Message::parse(&mut self.rbuf) {
                            Ok(Some(m)) => {
                                if self.idle_message(m).is_err() {
                                    break;
                                }
                            }
                            Ok(None) => break,
                            Err(e) => {
                                self.proto_error(e.to_string());
                                break;
                            }
                        }
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    break
                }
                Err(e) => {
                    self.io_error(e, false);
                }
            }
        }
        !self.broken
    }

    /// Whether the socket has input (or an end or error) to read now.
    fn readable_now(&self) -> bool {
        use std::os::fd::AsRawFd;
        let fd = match &self.stream {
            Stream::Tcp(s) => s.as_raw_fd(),
            Stream::Unix(s) => s.as_raw_fd(),
            Stream::Tls(s) => s.sock.as_raw_fd(),
        };
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a count of 1, and no wait.
        let n = unsafe { libc::poll(&mut p, 1, 0) };
        n > 0 && p.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0
    }

    /// Take every complete message already read while no request runs,
    /// and the first notification queued.
    fn buffered_notification(&mut self) -> Result<Option<Notification>> {
        loop {
            if let Some(n) = self.events.notifications.pop_front() {
                return Ok(Some(n));
            }
            match Message::parse(&mut self.rbuf) {
                Ok(Some(m)) => self.idle_message(m)?,
                Ok(None) => return Ok(None),
                Err(e) => return Err(self.proto_error(e.to_string())),
            }
        }
    }

    /// A message that arrives while no request runs: notices,
    /// notifications and parameter changes are taken as always; an error
    /// (the server ending the session, e.g. an administrator's shutdown)
    /// breaks the connection.
    fn idle_message(&mut self, m: Message) -> Result<()> {
        match m {
            Message::ErrorResponse(body) => {
                self.broken = true;
                let mut e = server_error(body.fields());
                e.status = Status::ConnectionLost;
                e.message = format!("connection to {} lost: {}", &self.addr, e.message);
                Err(e)
            }
            m @ (Message::NoticeResponse(_)
            | Message::NotificationResponse(_)
            | Message::ParameterStatus(_)) => self.async_message(m),
            _ => Err(self.proto_error("unexpected message while no request runs".into())),
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
        if let Stream::Tls(t) = &mut self.stream {
            if !self.broken {
                t.close_notify();
            }
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

/// Both failed attempts of allow/prefer, as libpq reports them: the
/// second one's status, both messages.
fn both(first: Error, mut second: Error, how: &str) -> Error {
    second.message = format!("{}; then {}: {}", first.message, how, second.message);
    second
}

/// A failed connection attempt; `retry` when `sslmode` allows another
/// attempt the other way (the server refused the start-up, or TLS failed
/// where it was optional).
struct Failed {
    error: Error,
    retry: bool,
}

impl Failed {
    fn fatal(error: Error) -> Failed {
        Failed {
            error,
            retry: false,
        }
    }
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

/// Why a `COPY … FROM STDIN` run through exec is refused (the server
/// reports it with SQLSTATE 57014).
const COPY_IN_REFUSED: &str =
    "COPY FROM STDIN needs the COPY API (pgtc_conn_copy), not pgtc_conn_exec";

/// `COPY … TO STDOUT` through exec: its data is read and discarded.
fn copy_unsupported() -> Error {
    Error::with_sqlstate(
        Status::Unsupported,
        "COPY TO STDOUT needs the COPY API (pgtc_conn_copy), not pgtc_conn_exec: its data was discarded",
        "0A000",
    )
}

/// Every field of an ErrorResponse or NoticeResponse.
fn fields_of(mut fields: postgres_protocol::message::backend::ErrorFields<'_>) -> Fields {
    let mut out = Fields::default();
    while let Ok(Some(f)) = fields.next() {
        out.set(f.type_(), String::from_utf8_lossy(f.value_bytes()));
    }
    out
}

fn server_error(fields: postgres_protocol::message::backend::ErrorFields<'_>) -> Error {
    let fields = fields_of(fields);
    let mut e = Error::with_sqlstate(
        Status::Sql,
        fields.render_message(),
        fields.get(b'C').unwrap_or(""),
    );
    e.fields = fields;
    e
}
