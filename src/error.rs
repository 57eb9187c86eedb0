//! Errors: one status code (stable, banded, never renumbered), a message and,
//! where the server or the protocol gives one, a five-character SQLSTATE.

use std::fmt;

/// Outcome of every fallible pgtc call. `PGTC_STATUS_OK` is 0; the other
/// codes are grouped in bands of 100 and are never renumbered.
///
/// - 1xx: the caller passed something unusable (NULL, bad UTF-8, bad index).
/// - 2xx: the connection string or an attribute is wrong.
/// - 3xx: a server could not be reached, or a connection broke.
/// - 4xx: the server reported an error for a statement (see the SQLSTATE).
/// - 5xx: pgtc itself failed (protocol violation, unsupported feature, bug).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 100,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 101,
    /// An argument was out of range or otherwise unusable.
    InvalidArgument = 102,
    /// The object is in a state that does not allow the call.
    InvalidState = 103,
    /// A caller's buffer is too small for the text to be written.
    BufferTooSmall = 104,
    /// The connection string is malformed.
    ConninfoSyntax = 200,
    /// A key of the connection string or an attribute name is unknown.
    UnknownAttribute = 201,
    /// A key or attribute has a value that is not allowed.
    InvalidAttributeValue = 202,
    /// No server could be reached or authenticated with.
    ConnectFailed = 300,
    /// The connection to the server a statement needed was lost; the
    /// statement may or may not have run. SQLSTATE 08006.
    ConnectionLost = 301,
    /// The statement needs the primary and no connection to a primary is open.
    NoPrimary = 302,
    /// Authentication was refused.
    AuthFailed = 303,
    /// The primary was lost during a transaction and pgtc switched to the
    /// new primary (or is waiting for one): the transaction is gone. Run
    /// ROLLBACK, then retry the whole transaction. SQLSTATE 08006, or 08007
    /// when it was the COMMIT that was in flight (its outcome is unknown).
    ConnectionSwitched = 304,
    /// The server reported an error; the SQLSTATE says which.
    Sql = 400,
    /// The server sent something pgtc does not understand.
    Protocol = 500,
    /// The feature is not supported by pgtc (for example COPY through exec).
    Unsupported = 501,
    /// A bug in pgtc (a panic was caught at the C boundary).
    Internal = 502,
}

/// An error: status + message + optional SQLSTATE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    /// Five ASCII characters, or empty when there is none.
    pub sqlstate: String,
}

impl Error {
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
            sqlstate: String::new(),
        }
    }

    pub fn with_sqlstate(status: Status, message: impl Into<String>, sqlstate: &str) -> Error {
        Error {
            status,
            message: message.into(),
            sqlstate: sqlstate.to_string(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sqlstate.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (SQLSTATE {})", self.message, self.sqlstate)
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
