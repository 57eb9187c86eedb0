//! SQLGetData's conversions and its piecewise reads, as plain functions
//! over a value's text (PostgreSQL's text output format).

pub const SQL_C_CHAR: i16 = 1;
pub const SQL_C_LONG: i16 = 4;
pub const SQL_C_DOUBLE: i16 = 8;
pub const SQL_C_DEFAULT: i16 = 99;
pub const SQL_C_BINARY: i16 = -2;
pub const SQL_C_BIT: i16 = -7;
pub const SQL_C_WCHAR: i16 = -8;
pub const SQL_C_SLONG: i16 = -16;
pub const SQL_C_SBIGINT: i16 = -25;

/// A conversion failure: SQLSTATE and message.
pub type Fail = (&'static str, String);

/// A value converted for the application, before any chunking.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    /// Character or binary data, read in pieces (the unit is a byte, or
    /// a UTF-16 code unit for WCHAR).
    Bytes(Vec<u8>),
    Wide(Vec<u16>),
    Binary(Vec<u8>),
    /// A fixed-size value: its bytes, and whether a fraction was cut off
    /// (01S07).
    Fixed(Vec<u8>, bool),
}

/// The C type SQL_C_DEFAULT stands for, for a column of this SQL type.
pub fn default_c_type(sql_type: i16) -> i16 {
    use crate::types::*;
    match sql_type {
        SQL_BIT => SQL_C_BIT,
        SQL_INTEGER => SQL_C_SLONG,
        SQL_BIGINT => SQL_C_SBIGINT,
        SQL_DOUBLE => SQL_C_DOUBLE,
        SQL_LONGVARBINARY => SQL_C_BINARY,
        _ => SQL_C_CHAR,
    }
}

fn bool_of(oid: u32, text: &str) -> Option<bool> {
    match (oid, text) {
        (16, "t") => Some(true),
        (16, "f") => Some(false),
        _ => None,
    }
}

/// Decodes bytea's hex text form (`\x…`).
fn bytea(text: &str) -> Result<Vec<u8>, Fail> {
    let hex = text.strip_prefix("\\x").ok_or_else(|| {
        (
            "22018",
            "bytea value is not in hex format (set bytea_output = hex)".to_string(),
        )
    })?;
    let b = hex.as_bytes();
    if b.len() % 2 != 0 {
        return Err((
            "22018",
            "bytea value has an odd number of hex digits".into(),
        ));
    }
    let d = |c: u8| (c as char).to_digit(16).map(|v| v as u8);
    b.chunks(2)
        .map(|p| match (d(p[0]), d(p[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            _ => Err((
                "22018",
                "bytea value has a character that is not hex".into(),
            )),
        })
        .collect()
}

fn integer(oid: u32, text: &str, min: i128, max: i128) -> Result<(i128, bool), Fail> {
    if let Some(b) = bool_of(oid, text) {
        return Ok((b as i128, false));
    }
    let (v, cut) = match text.trim().parse::<i128>() {
        Ok(v) => (v, false),
        Err(_) => match text.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => (f.trunc() as i128, f.fract() != 0.0),
            _ => return Err(("22018", format!("value {:?} is not a number", short(text)))),
        },
    };
    if v < min || v > max {
        return Err(("22003", format!("value {} is out of range", short(text))));
    }
    Ok((v, cut))
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Converts one non-NULL value of a column of type `oid` to C type `c`.
pub fn convert(oid: u32, text: &str, c: i16) -> Result<Converted, Fail> {
    Ok(match c {
        SQL_C_CHAR => Converted::Bytes(match (oid, bool_of(oid, text)) {
            (_, Some(b)) => {
                if b {
                    b"1".to_vec()
                } else {
                    b"0".to_vec()
                }
            }
            (17, _) => text.strip_prefix("\\x").unwrap_or(text).as_bytes().to_vec(),
            _ => text.as_bytes().to_vec(),
        }),
        SQL_C_WCHAR => {
            let s = match (oid, bool_of(oid, text)) {
                (_, Some(b)) => {
                    if b {
                        "1"
                    } else {
                        "0"
                    }
                }
                (17, _) => text.strip_prefix("\\x").unwrap_or(text),
                _ => text,
            };
            Converted::Wide(s.encode_utf16().collect())
        }
        SQL_C_BINARY => Converted::Binary(if oid == 17 {
            bytea(text)?
        } else {
            text.as_bytes().to_vec()
        }),
        SQL_C_SLONG | SQL_C_LONG => {
            let (v, cut) = integer(oid, text, i32::MIN as i128, i32::MAX as i128)?;
            Converted::Fixed((v as i32).to_ne_bytes().to_vec(), cut)
        }
        SQL_C_SBIGINT => {
            let (v, cut) = integer(oid, text, i64::MIN as i128, i64::MAX as i128)?;
            Converted::Fixed((v as i64).to_ne_bytes().to_vec(), cut)
        }
        SQL_C_BIT => {
            let (v, cut) = integer(oid, text, 0, 1).map_err(|(s, m)| {
                if s == "22003" {
                    ("22003", format!("{} (a bit is 0 or 1)", m))
                } else {
                    (s, m)
                }
            })?;
            Converted::Fixed(vec![v as u8], cut)
        }
        SQL_C_DOUBLE => {
            let v = match bool_of(oid, text) {
                Some(b) => b as u8 as f64,
                None => text
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| ("22018", format!("value {:?} is not a number", short(text))))?,
            };
            Converted::Fixed(v.to_ne_bytes().to_vec(), false)
        }
        _ => {
            return Err((
                "HY003",
                format!("C type {} is not supported by SQLGetData", c),
            ))
        }
    })
}

/// One SQLGetData piece: what to copy and what to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Bytes to write to the buffer (a terminator included where the
    /// type has one).
    pub bytes: Vec<u8>,
    /// The indicator: bytes left from the start of this piece.
    pub remaining: usize,
    /// How far the read advances, in the value's units.
    pub advance: usize,
    /// Whether the piece is cut short (01004).
    pub truncated: bool,
}

/// The next piece of `v` from unit `offset` for a buffer of `cap`
/// bytes.
pub fn piece(v: &Converted, offset: usize, cap: usize) -> Piece {
    match v {
        Converted::Bytes(b) => {
            let rest = &b[offset.min(b.len())..];
            let n = rest.len().min(cap.saturating_sub(1));
            let mut bytes = rest[..n].to_vec();
            if cap > 0 {
                bytes.push(0);
            }
            Piece {
                bytes,
                remaining: rest.len(),
                advance: n,
                truncated: n < rest.len(),
            }
        }
        Converted::Binary(b) => {
            let rest = &b[offset.min(b.len())..];
            let n = rest.len().min(cap);
            Piece {
                bytes: rest[..n].to_vec(),
                remaining: rest.len(),
                advance: n,
                truncated: n < rest.len(),
            }
        }
        Converted::Wide(w) => {
            let rest = &w[offset.min(w.len())..];
            let mut n = rest.len().min((cap / 2).saturating_sub(1));
            // Never end a piece between the two halves of a surrogate pair.
            if n > 0 && n < rest.len() && (0xD800..0xDC00).contains(&rest[n - 1]) {
                n -= 1;
            }
            let mut bytes: Vec<u8> = rest[..n].iter().flat_map(|u| u.to_le_bytes()).collect();
            if cap >= 2 {
                bytes.extend_from_slice(&[0, 0]);
            }
            Piece {
                bytes,
                remaining: rest.len() * 2,
                advance: n,
                truncated: n < rest.len(),
            }
        }
        Converted::Fixed(b, _) => Piece {
            bytes: b.clone(),
            remaining: b.len(),
            advance: 1,
            truncated: false,
        },
    }
}

/// Whether every piece of `v` has been read from `offset` on.
pub fn exhausted(v: &Converted, offset: usize) -> bool {
    match v {
        Converted::Bytes(b) | Converted::Binary(b) => offset >= b.len(),
        Converted::Wide(w) => offset >= w.len(),
        Converted::Fixed(..) => offset >= 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the whole value in pieces of `cap` bytes, checking each
    /// piece's indicator, and returns the data without terminators.
    fn read_all(v: &Converted, cap: usize, unit: usize, term: usize) -> Vec<u8> {
        let mut off = 0;
        let mut out = Vec::new();
        let mut first = true;
        while first || !exhausted(v, off) {
            first = false;
            let p = piece(v, off, cap);
            let data = &p.bytes[..p.bytes.len() - term];
            assert!(p.bytes.len() <= cap);
            assert_eq!(p.truncated, data.len() < p.remaining);
            out.extend_from_slice(data);
            assert_eq!(p.advance * unit, data.len());
            off += p.advance;
            assert!(p.advance > 0 || exhausted(v, off) || cap < unit + term + unit);
            if p.advance == 0 {
                break;
            }
        }
        out
    }

    #[test]
    fn char_pieces_are_exact_at_every_size() {
        let text = "héllo, wörld — 😀!";
        let v = convert(25, text, SQL_C_CHAR).unwrap();
        for cap in 2..=text.len() + 2 {
            assert_eq!(read_all(&v, cap, 1, 1), text.as_bytes(), "cap {}", cap);
        }
        let p = piece(&v, 0, 5);
        assert_eq!(p.bytes, b"h\xc3\xa9l\0");
        assert_eq!(p.remaining, text.len());
        assert!(p.truncated);
        // A buffer of exactly len + 1 holds it all.
        assert!(!piece(&v, 0, text.len() + 1).truncated);
        assert!(piece(&v, 0, text.len()).truncated);
    }

    #[test]
    fn wide_pieces_never_split_a_surrogate_pair() {
        let text = "a😀b😀😀c";
        let units: Vec<u16> = text.encode_utf16().collect();
        let v = convert(25, text, SQL_C_WCHAR).unwrap();
        for cap in 6..=units.len() * 2 + 4 {
            let got = read_all(&v, cap, 2, 2);
            let back: Vec<u16> = got
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(back, units, "cap {}", cap);
        }
        // Room for two units: 'a' then the high half must not come alone.
        let p = piece(&v, 1, 6);
        assert_eq!(p.advance, 2);
        let p = piece(&v, 0, 6);
        assert_eq!(p.advance, 1, "a, and the pair waits for the next piece");
        assert_eq!(p.remaining, units.len() * 2);
    }

    #[test]
    fn numbers_bits_and_errors() {
        let f = |oid, t, c| convert(oid, t, c);
        assert_eq!(
            f(23, "42", SQL_C_SLONG).unwrap(),
            Converted::Fixed(42i32.to_ne_bytes().to_vec(), false)
        );
        assert_eq!(
            f(1700, "2.5", SQL_C_SLONG).unwrap(),
            Converted::Fixed(2i32.to_ne_bytes().to_vec(), true)
        );
        assert_eq!(f(20, "9000000000", SQL_C_SLONG).unwrap_err().0, "22003");
        assert_eq!(
            f(20, "9000000000", SQL_C_SBIGINT).unwrap(),
            Converted::Fixed(9_000_000_000i64.to_ne_bytes().to_vec(), false)
        );
        assert_eq!(f(25, "abc", SQL_C_SLONG).unwrap_err().0, "22018");
        assert_eq!(
            f(16, "t", SQL_C_BIT).unwrap(),
            Converted::Fixed(vec![1], false)
        );
        assert_eq!(f(23, "2", SQL_C_BIT).unwrap_err().0, "22003");
        assert_eq!(
            f(16, "f", SQL_C_CHAR).unwrap(),
            Converted::Bytes(b"0".to_vec())
        );
        assert_eq!(
            f(701, "1.5", SQL_C_DOUBLE).unwrap(),
            Converted::Fixed(1.5f64.to_ne_bytes().to_vec(), false)
        );
        assert_eq!(
            f(17, "\\x00ff", SQL_C_BINARY).unwrap(),
            Converted::Binary(vec![0, 255])
        );
        assert_eq!(f(17, "\\x0g", SQL_C_BINARY).unwrap_err().0, "22018");
        assert_eq!(
            f(17, "\\x00ff", SQL_C_CHAR).unwrap(),
            Converted::Bytes(b"00ff".to_vec())
        );
        assert_eq!(f(23, "1", 12345).unwrap_err().0, "HY003");
    }
}
