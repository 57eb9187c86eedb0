//! TLS for a physical connection (rustls): negotiating it (SSLRequest, or
//! direct TLS with ALPN `postgresql`), checking the server's certificate
//! as `sslmode` says, client certificates, and the `tls-server-end-point`
//! hash SCRAM-SHA-256-PLUS binds to.

use crate::conninfo::{HostPort, RootCert, SslNegotiation, Tls, TlsFile};
use crate::error::{Error, Result, Status};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
};
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// PostgreSQL's SSLRequest: length 8, code 1234.5679.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
const ALPN: &[u8] = b"postgresql";

/// A TLS session over a TCP socket, blocking.
pub(crate) struct TlsStream {
    conn: ClientConnection,
    pub(crate) sock: TcpStream,
}

/// What became of asking for TLS.
pub(crate) enum Negotiated {
    Tls(Box<TlsStream>),
    /// The server answered the SSLRequest with 'N': go on in plain text on
    /// the same socket.
    Refused(TcpStream),
}

fn provider() -> Arc<CryptoProvider> {
    static P: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

fn tls_error(addr: &HostPort, msg: String) -> Error {
    Error::with_sqlstate(Status::ConnectFailed, format!("{}: {}", addr, msg), "08001")
}

/// A settings problem (a file missing or unreadable), the same for every
/// server.
fn file_error(msg: String) -> Error {
    Error::with_sqlstate(Status::InvalidAttributeValue, msg, "08001")
}

/// The system's trusted roots, loaded once per process.
fn system_roots() -> Result<Arc<RootCertStore>> {
    static ROOTS: OnceLock<std::result::Result<Arc<RootCertStore>, String>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            let (added, _) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                let why: Vec<String> = found.errors.iter().map(|e| e.to_string()).collect();
                return Err(format!(
                    "sslrootcert=system: the operating system's certificate store holds no \
                     usable CA certificate{}",
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", why.join("; "))
                    }
                ));
            }
            Ok(Arc::new(store))
        })
        .clone()
        .map_err(file_error)
}

fn read_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let data = std::fs::read(path).map_err(|e| {
        file_error(format!(
            "could not read {} file \"{}\": {}",
            what,
            path.display(),
            e
        ))
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&data)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| {
            file_error(format!(
                "{} file \"{}\" is not valid PEM: {}",
                what,
                path.display(),
                e
            ))
        })?;
    if certs.is_empty() {
        return Err(file_error(format!(
            "{} file \"{}\" holds no PEM certificate",
            what,
            path.display()
        )));
    }
    Ok(certs)
}

fn root_store(path: &Path) -> Result<Arc<RootCertStore>> {
    let mut store = RootCertStore::empty();
    for c in read_certs(path, "root certificate (sslrootcert)")? {
        store.add(c).map_err(|e| {
            file_error(format!(
                "root certificate file \"{}\" holds a certificate pgtc cannot use: {}",
                path.display(),
                e
            ))
        })?;
    }
    Ok(Arc::new(store))
}

/// The client certificate and key, when there is one: a named file must
/// exist; the `~/.postgresql` default is used only when it does.
fn client_identity(
    tls: &Tls,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>> {
    let usable = |f: &Option<TlsFile>| f.clone().filter(|f| f.explicit || f.path.exists());
    let Some(cert) = usable(&tls.cert) else {
        return Ok(None);
    };
    let certs = read_certs(&cert.path, "client certificate (sslcert)")?;
    let Some(key) = usable(&tls.key) else {
        let path = tls.key.as_ref().map(|k| k.path.display().to_string());
        return Err(file_error(format!(
            "certificate present, but not private key file \"{}\" (sslkey)",
            path.unwrap_or_default()
        )));
    };
    check_key_permissions(&key.path)?;
    let data = std::fs::read(&key.path).map_err(|e| {
        file_error(format!(
            "could not read private key file \"{}\" (sslkey): {}",
            key.path.display(),
            e
        ))
    })?;
    let pk = PrivateKeyDer::from_pem_slice(&data).map_err(|e| {
        file_error(format!(
            "private key file \"{}\" (sslkey) is not a PEM private key: {}",
            key.path.display(),
            e
        ))
    })?;
    Ok(Some((certs, pk)))
}

/// libpq's rule: a key file others may read is refused (0600, or 0640
/// when root owns it).
#[cfg(unix)]
fn check_key_permissions(path: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::metadata(path).map_err(|e| {
        file_error(format!(
            "could not open private key file \"{}\" (sslkey): {}",
            path.display(),
            e
        ))
    })?;
    if !md.is_file() {
        return Err(file_error(format!(
            "private key file \"{}\" (sslkey) is not a regular file",
            path.display()
        )));
    }
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let mode = md.mode();
    let bad = (md.uid() == euid && mode & 0o077 != 0) || (md.uid() == 0 && mode & 0o037 != 0);
    if bad {
        return Err(file_error(format!(
            "private key file \"{}\" (sslkey) has group or world access; file must have \
             permissions u=rw (0600) or less if owned by the current user, or permissions \
             u=rw,g=r (0640) or less if owned by root",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_key_permissions(_: &Path) -> Result<()> {
    Ok(())
}

/// The rustls configuration for `tls` (read from its files now, as libpq
/// reads them for each connection).
pub(crate) fn client_config(tls: &Tls) -> Result<Arc<ClientConfig>> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = match &tls.rootcert {
        RootCert::None if tls.mode.verifies() => {
            return Err(file_error(format!(
                "root certificate file \"{}\" does not exist; sslmode={} needs one: either \
                 provide the file, use the system's trusted roots with sslrootcert=system, or \
                 change sslmode to disable server certificate verification",
                tls.default_rootcert.display(),
                tls.mode.name()
            )))
        }
        RootCert::None => Arc::new(NoVerify(provider.clone())),
        root => {
            let store = match root {
                RootCert::System => system_roots()?,
                RootCert::File(p) => root_store(p)?,
                RootCert::None => unreachable!(),
            };
            let inner = WebPkiServerVerifier::builder_with_provider(store, provider.clone())
                .build()
                .map_err(|e| file_error(format!("sslrootcert: {}", e)))?;
            Arc::new(Verify {
                inner,
                names: tls.verifies_name(),
            })
        }
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| file_error(format!("TLS: {}", e)))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match client_identity(tls)? {
        Some((certs, key)) => builder.with_client_auth_cert(certs, key).map_err(|e| {
            file_error(format!(
                "client certificate (sslcert) and key (sslkey) cannot be used: {}",
                e
            ))
        })?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![ALPN.to_vec()];
    // PostgreSQL servers keep no session cache and send no tickets.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(Arc::new(config))
}

/// No certificate check (sslmode below verify-ca without a root file);
/// the handshake signatures are still checked.
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The chain is checked against the trusted roots; the name only for
/// verify-full (webpki checks the chain first, so a name error means the
/// chain was good).
#[derive(Debug)]
struct Verify {
    inner: Arc<WebPkiServerVerifier>,
    names: bool,
}

impl ServerCertVerifier for Verify {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.names => Ok(ServerCertVerified::assertion()),
            r => r,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Ask for TLS on a fresh socket (SSLRequest, or directly) and complete
/// the handshake. The host name checked (verify-full) and sent as SNI is
/// the one given for this server.
pub(crate) fn negotiate(
    mut sock: TcpStream,
    addr: &HostPort,
    tls: &Tls,
    config: Arc<ClientConfig>,
) -> Result<Negotiated> {
    let direct = tls.negotiation == SslNegotiation::Direct;
    if !direct {
        sock.write_all(&SSL_REQUEST).map_err(|e| {
            tls_error(
                addr,
                format!("could not send SSL negotiation packet: {}", e),
            )
        })?;
        let mut answer = [0u8; 1];
        sock.read_exact(&mut answer).map_err(|e| {
            tls_error(
                addr,
                format!(
                    "could not receive the server's answer to the SSL request: {}",
                    e
                ),
            )
        })?;
        match answer[0] {
            b'S' => {}
            b'N' => return Ok(Negotiated::Refused(sock)),
            b'E' => {
                return Err(tls_error(
                    addr,
                    "the server answered the SSL request with an error (a server too old \
                     for TLS?)"
                        .into(),
                ))
            }
            other => {
                return Err(tls_error(
                    addr,
                    format!(
                        "received invalid response to SSL negotiation: {:?}",
                        other as char
                    ),
                ))
            }
        }
    }
    let host = tls.server_name(addr);
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| tls_error(addr, format!("invalid host name {:?} for TLS", host)))?;
    let conn = ClientConnection::new(config, name)
        .map_err(|e| tls_error(addr, format!("could not start TLS: {}", e)))?;
    let mut s = TlsStream { conn, sock };
    while s.conn.is_handshaking() {
        if let Err(e) = s.conn.complete_io(&mut s.sock) {
            return Err(handshake_error(addr, tls, e, direct));
        }
    }
    if direct && s.conn.alpn_protocol() != Some(ALPN) {
        return Err(tls_error(
            addr,
            "direct TLS connection (sslnegotiation=direct) was accepted without the \
             \"postgresql\" ALPN protocol"
                .into(),
        ));
    }
    Ok(Negotiated::Tls(Box::new(s)))
}

/// Say exactly what failed in a handshake.
fn handshake_error(addr: &HostPort, tls: &Tls, e: io::Error, direct: bool) -> Error {
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<rustls::Error>())
        .cloned();
    let root = match &tls.rootcert {
        RootCert::File(p) => format!("sslrootcert \"{}\"", p.display()),
        RootCert::System => "the system's trusted roots (sslrootcert=system)".into(),
        RootCert::None => "sslrootcert".into(),
    };
    let msg = match inner {
        Some(rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            expected,
            presented,
        })) => format!(
            "server certificate for {} does not match host name \"{}\" (sslmode=verify-full)",
            if presented.is_empty() {
                "no name".to_string()
            } else {
                presented
                    .iter()
                    .map(|n| format!("\"{}\"", n))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            expected.to_str()
        ),
        Some(rustls::Error::InvalidCertificate(CertificateError::NotValidForName)) => format!(
            "server certificate does not match host name \"{}\" (sslmode=verify-full)",
            tls.server_name(addr)
        ),
        Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)) => format!(
            "server certificate is not trusted: it is not signed by a CA in {}",
            root
        ),
        Some(rustls::Error::InvalidCertificate(c)) => {
            format!("server certificate verification failed: {}", c)
        }
        Some(other) => format!("TLS handshake failed: {}", other),
        None if direct => format!(
            "TLS handshake failed with sslnegotiation=direct: {}; the server may not \
             accept direct TLS (PostgreSQL 17 and later do; use sslnegotiation=postgres)",
            e
        ),
        None => format!("TLS handshake failed: {}", e),
    };
    tls_error(addr, msg)
}

impl TlsStream {
    /// The `tls-server-end-point` channel binding data (RFC 5929): the
    /// server certificate's hash, with SHA-256 unless the certificate is
    /// signed with SHA-384 or SHA-512.
    pub(crate) fn server_end_point(&self) -> Option<Vec<u8>> {
        let cert = self.conn.peer_certificates()?.first()?;
        let der = cert.as_ref();
        Some(match signature_hash(der) {
            Hash::Sha384 => Sha384::digest(der).to_vec(),
            Hash::Sha512 => Sha512::digest(der).to_vec(),
            Hash::Sha256 => Sha256::digest(der).to_vec(),
        })
    }

    /// Say goodbye before the socket closes.
    pub(crate) fn close_notify(&mut self) {
        self.conn.send_close_notify();
        let _ = self.conn.complete_io(&mut self.sock);
    }
}

impl Read for TlsStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        rustls::Stream::new(&mut self.conn, &mut self.sock).read(buf)
    }
}

impl Write for TlsStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.conn.writer().write(buf)?;
        while self.conn.wants_write() {
            self.conn.write_tls(&mut self.sock)?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        while self.conn.wants_write() {
            self.conn.write_tls(&mut self.sock)?;
        }
        Ok(())
    }
}

enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// The hash of a certificate's signature algorithm, from its DER
/// (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, … }).
fn signature_hash(der: &[u8]) -> Hash {
    // Object identifiers' content bytes.
    const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
    const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
    const SHA384_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
    const SHA512_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
    let oid = (|| {
        let (_, cert) = der_tlv(der, 0x30)?;
        let (rest, _tbs) = der_tlv(cert, 0x30)?;
        let (_, alg) = der_tlv(rest, 0x30)?;
        let (_, oid) = der_tlv(alg, 0x06)?;
        Some(oid)
    })();
    match oid {
        Some(o) if o == SHA384_RSA || o == SHA384_ECDSA => Hash::Sha384,
        Some(o) if o == SHA512_RSA || o == SHA512_ECDSA => Hash::Sha512,
        _ => Hash::Sha256,
    }
}

/// One DER element with tag `tag` at the start of `b`: (what follows it,
/// its content).
fn der_tlv(b: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    if *b.first()? != tag {
        return None;
    }
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let end = head.checked_add(len)?;
    Some((b.get(end..)?, b.get(head..end)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conninfo::{self, SslMode};

    #[test]
    fn verify_modes_need_a_root_file_when_tls_is_tried() {
        for mode in ["verify-ca", "verify-full"] {
            let cfg = conninfo::parse(&format!(
                "host=h sslmode={} sslrootcert=/nonexistent/ca.pem",
                mode
            ))
            .unwrap();
            let e = client_config(&cfg.tls).unwrap_err();
            assert_eq!(e.status, Status::InvalidAttributeValue);
            assert!(e.message.contains("/nonexistent/ca.pem"), "{}", e);
            let mut tls = cfg.tls.clone();
            tls.rootcert = RootCert::None;
            let e = client_config(&tls).unwrap_err();
            assert!(e.message.contains("does not exist"), "{}", e);
            assert!(e.message.contains("sslrootcert=system"), "{}", e);
        }
        let tls = Tls {
            mode: SslMode::Require,
            ..Tls::default()
        };
        assert!(client_config(&tls).is_ok());
    }

    #[test]
    fn signature_hash_of_certificates() {
        // A DER prefix: SEQUENCE { SEQUENCE {} (tbs), SEQUENCE { OID } }.
        let cert = |oid: &[u8]| {
            let mut alg = vec![0x06, oid.len() as u8];
            alg.extend_from_slice(oid);
            let mut body = vec![0x30, 0x00, 0x30, alg.len() as u8];
            body.extend_from_slice(&alg);
            let mut der = vec![0x30, body.len() as u8];
            der.extend_from_slice(&body);
            der
        };
        let sha384_ecdsa = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
        let sha256_ecdsa = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
        let sha512_rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
        assert!(matches!(signature_hash(&cert(&sha384_ecdsa)), Hash::Sha384));
        assert!(matches!(signature_hash(&cert(&sha512_rsa)), Hash::Sha512));
        assert!(matches!(signature_hash(&cert(&sha256_ecdsa)), Hash::Sha256));
        assert!(matches!(signature_hash(b"garbage"), Hash::Sha256));
        assert!(matches!(signature_hash(&[0x30, 0x84, 0xff]), Hash::Sha256));
    }
}
