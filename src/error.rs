//! Errors: one status code (stable, banded, never renumbered), a message, a
//! five-character SQLSTATE (the server's, or one pgtc chose for its status),
//! every field of the server's ErrorResponse, and the results of the
//! statements that completed before the failing one.

use crate::result::ResultSet;
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
    /// A buffer passed in is too small for the value.
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
    /// A pool had no connection to give within POOL_ACQUIRE_TIMEOUT_MS:
    /// all POOL_MAX connections were in use. SQLSTATE 53300.
    PoolTimeout = 305,
    /// The server reported an error; the SQLSTATE says which.
    Sql = 400,
    /// The server sent something pgtc does not understand.
    Protocol = 500,
    /// The feature is not supported by pgtc (for example COPY through exec).
    Unsupported = 501,
    /// A bug in pgtc (a panic was caught at the C boundary). The connection
    /// it happened on is unusable from then on; free it.
    Internal = 502,
}

impl Status {
    /// Every status, in value order. Checked against the enum's values and
    /// the generated header by the tests below and in `ffi`.
    pub const ALL: [Status; 19] = [
        Status::Ok,
        Status::NullArgument,
        Status::InvalidUtf8,
        Status::InvalidArgument,
        Status::InvalidState,
        Status::BufferTooSmall,
        Status::ConninfoSyntax,
        Status::UnknownAttribute,
        Status::InvalidAttributeValue,
        Status::ConnectFailed,
        Status::ConnectionLost,
        Status::NoPrimary,
        Status::AuthFailed,
        Status::ConnectionSwitched,
        Status::PoolTimeout,
        Status::Sql,
        Status::Protocol,
        Status::Unsupported,
        Status::Internal,
    ];

    /// The status with this value, if there is one.
    pub fn from_u32(value: u32) -> Option<Status> {
        Status::ALL.into_iter().find(|&s| s as u32 == value)
    }

    /// The SQLSTATE an error of this status carries when no server gave
    /// one, so that callers can classify every failure by SQLSTATE as JDBC
    /// and ODBC do: class 08 for connection problems, PostgreSQL's own code
    /// where PostgreSQL reports the same condition (22023 for a bad value,
    /// 42704 for an unknown setting, 0A000 for an unsupported feature), and
    /// ODBC's HY codes for misuse of the API. "" only for `Ok`.
    pub fn default_sqlstate(self) -> &'static str {
        match self {
            Status::Ok => "",
            Status::NullArgument => "HY009",
            Status::InvalidUtf8 => "22021",
            Status::InvalidArgument => "22023",
            Status::InvalidState => "HY010",
            Status::BufferTooSmall => "22001",
            Status::ConninfoSyntax => "42601",
            Status::UnknownAttribute => "42704",
            Status::InvalidAttributeValue => "22023",
            Status::ConnectFailed => "08001",
            Status::ConnectionLost => "08006",
            Status::NoPrimary => "08003",
            Status::AuthFailed => "28000",
            Status::ConnectionSwitched => "08006",
            Status::PoolTimeout => "53300",
            Status::Sql => "XX000",
            Status::Protocol => "08P01",
            Status::Unsupported => "0A000",
            Status::Internal => "XX000",
        }
    }
}

/// The fields of a server's ErrorResponse or NoticeResponse, by their
/// protocol code (libpq's `PG_DIAG_*`: `b'S'` severity, `b'C'` SQLSTATE,
/// `b'M'` message, `b'D'` detail, `b'H'` hint, `b'P'` position, `b't'`
/// table, `b'n'` constraint, …), in the order the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(u8, String)>);

impl Fields {
    /// The field with this code, if the server sent it.
    pub fn get(&self, code: u8) -> Option<&str> {
        self.0
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, v)| v.as_str())
    }

    /// Set a field (replacing one with the same code).
    pub fn set(&mut self, code: u8, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(c, _)| *c == code) {
            Some(f) => f.1 = value,
            None => self.0.push((code, value)),
        }
    }

    /// Every field, as (code, value).
    pub fn iter(&self) -> impl Iterator<Item = (u8, &str)> {
        self.0.iter().map(|(c, v)| (*c, v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The primary message followed by the detail and hint lines, as psql
    /// shows them.
    pub fn render_message(&self) -> String {
        let mut msg = self.get(b'M').unwrap_or("").to_string();
        for (code, label) in [(b'D', "DETAIL"), (b'H', "HINT")] {
            if let Some(v) = self.get(code) {
                msg.push('\n');
                msg.push_str(label);
                msg.push_str(":  ");
                msg.push_str(v);
            }
        }
        msg
    }
}

/// A notice or warning a server sent (`RAISE NOTICE`, a deprecation
/// warning, …): the fields of its NoticeResponse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    pub fields: Fields,
}

impl Notice {
    /// The primary message (field `M`).
    pub fn message(&self) -> &str {
        self.fields.get(b'M').unwrap_or("")
    }

    /// The non-localized severity (`V`, e.g. "NOTICE", "WARNING"), or the
    /// localized one (`S`) from servers older than 9.6.
    pub fn severity(&self) -> &str {
        self.fields
            .get(b'V')
            .or_else(|| self.fields.get(b'S'))
            .unwrap_or("")
    }

    /// The SQLSTATE (`C`, e.g. "01000" for a warning), or "".
    pub fn sqlstate(&self) -> &str {
        self.fields.get(b'C').unwrap_or("")
    }
}

/// An error: status + message + SQLSTATE, and for a server's error every
/// field it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    /// The message; for a server error, its primary message followed by
    /// its DETAIL and HINT lines, as psql shows them.
    pub message: String,
    /// Five ASCII characters: the server's code, or the status's
    /// `default_sqlstate` when no server gave one.
    pub sqlstate: String,
    /// The fields of the server's ErrorResponse (empty for errors pgtc
    /// found itself).
    pub fields: Fields,
    /// For a text of several statements, the results of those that
    /// completed before the failing one, in order (chained by `next`).
    pub results: Option<Box<ResultSet>>,
}

impl Error {
    /// An error found by pgtc itself: its SQLSTATE is the status's
    /// `default_sqlstate`.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error::with_sqlstate(status, message, "")
    }

    /// An error with a given SQLSTATE; "" (or anything that is not five
    /// characters) falls back to the status's `default_sqlstate`.
    pub fn with_sqlstate(status: Status, message: impl Into<String>, sqlstate: &str) -> Error {
        let sqlstate = if sqlstate.len() == 5 && sqlstate.is_ascii() {
            sqlstate
        } else {
            status.default_sqlstate()
        };
        Error {
            status,
            message: message.into(),
            sqlstate: sqlstate.to_string(),
            fields: Fields::default(),
            results: None,
        }
    }

    /// Field `code` of the error, as `pgtc_error_field` answers it: the
    /// server's field when it sent one; for an error pgtc found itself,
    /// `S`/`V` ("ERROR"), `C` (the SQLSTATE) and `M` (the message).
    pub fn field(&self, code: u8) -> Option<&str> {
        if !self.fields.is_empty() {
            return self.fields.get(code);
        }
        match code {
            b'S' | b'V' => Some(if self.status == Status::Ok {
                ""
            } else {
                "ERROR"
            }),
            b'C' => Some(&self.sqlstate),
            b'M' => Some(&self.message),
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::{Error, Status};

    #[test]
    fn every_status_but_ok_has_a_sqlstate() {
        for s in Status::ALL {
            let e = Error::new(s, "x");
            if s == Status::Ok {
                assert_eq!(e.sqlstate, "");
                continue;
            }
            assert_eq!(e.sqlstate.len(), 5, "{:?}", s);
            assert!(e.sqlstate.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert_eq!(e.field(b'C'), Some(e.sqlstate.as_str()));
            assert_eq!(e.field(b'M'), Some("x"));
            assert_eq!(e.field(b'S'), Some("ERROR"));
            assert_eq!(e.field(b'D'), None);
        }
        for s in [
            Status::ConnectFailed,
            Status::ConnectionLost,
            Status::NoPrimary,
            Status::ConnectionSwitched,
            Status::Protocol,
        ] {
            assert!(s.default_sqlstate().starts_with("08"), "{:?}", s);
        }
        // A given code wins; an empty or malformed one falls back.
        assert_eq!(
            Error::with_sqlstate(Status::Sql, "x", "42P01").sqlstate,
            "42P01"
        );
        assert_eq!(Error::with_sqlstate(Status::Sql, "x", "").sqlstate, "XX000");
        assert_eq!(
            Error::with_sqlstate(Status::NoPrimary, "x", "0").sqlstate,
            "08003"
        );
    }

    #[test]
    fn all_lists_each_status_once_in_value_order() {
        for pair in Status::ALL.windows(2) {
            assert!((pair[0] as u32) < (pair[1] as u32), "{:?}", pair);
        }
        for s in Status::ALL {
            assert_eq!(Status::from_u32(s as u32), Some(s));
        }
        assert_eq!(Status::from_u32(1), None);
    }
}
