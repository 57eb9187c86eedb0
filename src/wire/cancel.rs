//! Cancelling the statement a connection is running: PostgreSQL's
//! CancelRequest (the BackendKeyData process id and secret) sent on a new
//! connection to the same server, over TLS when the connection uses TLS.
//! A `CancelKey` is immutable and may be used from any thread while
//! another one waits for the statement's answer.

use super::tls;
use super::{open_stream, Stream};
use crate::conninfo::{HostPort, Tls};
use crate::error::{Error, Result, Status};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

/// PostgreSQL's CancelRequest code (1234.5678).
const CANCEL_CODE: u32 = 80_877_102;
/// How long a cancel request may take when the connection string sets no
/// `connect_timeout`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What is needed to cancel one physical connection's statement.
pub struct CancelKey {
    addr: HostPort,
    pid: i32,
    secret: i32,
    /// The TLS configuration of the connection, when it uses TLS.
    tls: Option<(Arc<rustls::ClientConfig>, Tls)>,
    timeout: Option<Duration>,
}

impl std::fmt::Debug for CancelKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        write!(f, "CancelKey({}, pid {})", self.addr, self.pid)
    }
}

impl CancelKey {
    pub(super) fn new(
        addr: HostPort,
        pid: i32,
        secret: i32,
        tls: Option<(Arc<rustls::ClientConfig>, Tls)>,
        timeout: Option<Duration>,
    ) -> CancelKey {
        CancelKey {
            addr,
            pid,
            secret,
            tls,
            timeout,
        }
    }

    /// Ask the server to cancel what the connection runs now, and wait
    /// until the server has taken the request (it closes the connection).
    /// Whether anything was running is not reported, as in libpq: a
    /// request for an idle connection does nothing.
    pub fn cancel(&self) -> Result<()> {
        let failed = |why: String| {
            Error::with_sqlstate(
                Status::ConnectFailed,
                format!("could not send a cancel request to {}: {}", self.addr, why),
                "08006",
            )
        };
        let timeout = Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT));
        let stream = open_stream(&self.addr, timeout).map_err(|e| failed(e.to_string()))?;
        stream
            .set_timeouts(timeout)
            .map_err(|e| failed(e.to_string()))?;
        let mut stream = match (&self.tls, stream) {
            (Some((config, settings)), Stream::Tcp(sock)) => {
                match tls::negotiate(sock, &self.addr, settings, config.clone()) {
                    Ok(tls::Negotiated::Tls(t)) => Stream::Tls(t),
                    Ok(tls::Negotiated::Refused(_)) => {
                        return Err(failed(
                            "the server no longer accepts TLS, which the connection uses".into(),
                        ))
                    }
                    Err(e) => return Err(failed(e.message)),
                }
            }
            (_, s) => s,
        };
        let mut msg = [0u8; 16];
        msg[0..4].copy_from_slice(&16u32.to_be_bytes());
        msg[4..8].copy_from_slice(&CANCEL_CODE.to_be_bytes());
        msg[8..12].copy_from_slice(&self.pid.to_be_bytes());
        msg[12..16].copy_from_slice(&self.secret.to_be_bytes());
        stream
            .write_all(&msg)
            .and_then(|_| stream.flush())
            .map_err(|e| failed(e.to_string()))?;
        // The server closes the connection once it has handled the request.
        let mut buf = [0u8; 64];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // A TLS server may close without close_notify.
                Err(_) => break,
            }
        }
        log::debug!(
            "cancel request sent to {} for backend {}",
            self.addr,
            self.pid
        );
        Ok(())
    }
}
