//! Statement results as text, the way psql shows them: one contiguous buffer
//! of NUL-terminated values plus one offset per cell, so a result of many
//! rows costs two allocations and every value can be handed to C as a
//! borrowed `const char *` without copying.

/// Where a statement ran. Values are bit flags: BOTH = PRIMARY | SECONDARY.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Server {
    /// Nowhere (nothing was sent to a server).
    None = 0,
    /// The primary.
    Primary = 1,
    /// The hot standby.
    Secondary = 2,
    /// Both servers (session state such as `SET`).
    Both = 3,
}

impl Server {
    pub fn name(self) -> &'static str {
        match self {
            Server::None => "none",
            Server::Primary => "primary",
            Server::Secondary => "standby",
            Server::Both => "both",
        }
    }
}

/// Offset marking an SQL NULL in `ResultSet::cells`.
const NULL_CELL: u32 = u32::MAX;

/// One column of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Offset of the NUL-terminated name in `ResultSet::names`.
    name_at: u32,
    /// The column's type OID (e.g. 23 for int4).
    pub type_oid: u32,
}

/// The outcome of one statement (for a text of several statements, the last
/// one, as libpq's `PQexec` does).
#[derive(Debug, Clone, Default)]
pub struct ResultSet {
    columns: Vec<Column>,
    names: Vec<u8>,
    data: Vec<u8>,
    cells: Vec<u32>,
    rows: usize,
    tag: String,
    affected: u64,
    pub server: Option<Server>,
}

impl ResultSet {
    /// An empty result with only a command tag (e.g. for a statement pgtc
    /// answered itself).
    pub fn with_tag(tag: &str) -> ResultSet {
        let mut r = ResultSet::default();
        r.set_tag(tag);
        r
    }

    /// Start a new statement's result: forget rows and columns of a previous
    /// statement of the same text.
    pub fn reset(&mut self) {
        self.columns.clear();
        self.names.clear();
        self.data.clear();
        self.cells.clear();
        self.rows = 0;
        self.tag.clear();
        self.affected = 0;
    }

    pub fn push_column(&mut self, name: &[u8], type_oid: u32) {
        let name_at = self.names.len() as u32;
        self.names.extend(name.iter().copied().filter(|&b| b != 0));
        self.names.push(0);
        self.columns.push(Column { name_at, type_oid });
    }

    /// Append one row; `values` yields one item per column.
    pub fn push_row<'a>(&mut self, values: impl Iterator<Item = Option<&'a [u8]>>) {
        for v in values {
            match v {
                None => self.cells.push(NULL_CELL),
                Some(bytes) => {
                    self.cells.push(self.data.len() as u32);
                    // Text output of PostgreSQL never contains NUL; drop any
                    // so the C string is never cut short silently.
                    if bytes.contains(&0) {
                        self.data.extend(bytes.iter().copied().filter(|&b| b != 0));
                    } else {
                        self.data.extend_from_slice(bytes);
                    }
                    self.data.push(0);
                }
            }
        }
        self.rows += 1;
    }

    /// Record the command tag (e.g. "INSERT 0 3") and the affected-row count
    /// it carries.
    pub fn set_tag(&mut self, tag: &str) {
        self.tag.clear();
        self.tag.push_str(tag);
        self.tag.push('\0');
        self.affected = affected_from_tag(tag);
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.columns.len()
    }

    pub fn affected(&self) -> u64 {
        self.affected
    }

    /// The command tag, without the trailing NUL.
    pub fn tag(&self) -> &str {
        self.tag.strip_suffix('\0').unwrap_or(&self.tag)
    }

    /// The command tag as a NUL-terminated byte string.
    pub fn tag_c(&self) -> &[u8] {
        if self.tag.is_empty() {
            b"\0"
        } else {
            self.tag.as_bytes()
        }
    }

    pub fn column_type(&self, col: usize) -> Option<u32> {
        self.columns.get(col).map(|c| c.type_oid)
    }

    /// The column name, NUL-terminated.
    pub fn column_name_c(&self, col: usize) -> Option<&[u8]> {
        let c = self.columns.get(col)?;
        let start = c.name_at as usize;
        let len = self.names[start..].iter().position(|&b| b == 0)?;
        Some(&self.names[start..start + len + 1])
    }

    pub fn column_name(&self, col: usize) -> Option<&str> {
        let c = self.column_name_c(col)?;
        std::str::from_utf8(&c[..c.len() - 1]).ok()
    }

    fn cell(&self, row: usize, col: usize) -> Option<u32> {
        if row >= self.rows || col >= self.columns.len() {
            return None;
        }
        self.cells.get(row * self.columns.len() + col).copied()
    }

    /// The value, NUL-terminated; `None` for SQL NULL or out of range.
    pub fn value_c(&self, row: usize, col: usize) -> Option<&[u8]> {
        let at = self.cell(row, col)?;
        if at == NULL_CELL {
            return None;
        }
        let start = at as usize;
        let len = self.data[start..].iter().position(|&b| b == 0)?;
        Some(&self.data[start..start + len + 1])
    }

    /// The value as text; `None` for SQL NULL or out of range.
    pub fn value(&self, row: usize, col: usize) -> Option<&str> {
        let v = self.value_c(row, col)?;
        std::str::from_utf8(&v[..v.len() - 1]).ok()
    }

    /// True only for an SQL NULL inside the result's bounds.
    pub fn is_null(&self, row: usize, col: usize) -> bool {
        self.cell(row, col) == Some(NULL_CELL)
    }
}

/// The number at the end of a command tag ("INSERT 0 5" → 5, "UPDATE 2" → 2,
/// "SELECT 3" → 3); 0 when the tag carries none.
fn affected_from_tag(tag: &str) -> u64 {
    let mut words = tag.split_ascii_whitespace();
    let first = words.next().unwrap_or("");
    let last = words.last().unwrap_or("");
    match first {
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "SELECT" | "MOVE" | "FETCH" | "COPY" => {
            last.parse().unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_values_nulls_and_names() {
        let mut r = ResultSet::default();
        r.push_column(b"a", 23);
        r.push_column(b"b", 25);
        r.push_row([Some(&b"1"[..]), None].into_iter());
        r.push_row([Some(&b""[..]), Some(&b"x y"[..])].into_iter());
        r.set_tag("SELECT 2");
        assert_eq!(r.rows(), 2);
        assert_eq!(r.cols(), 2);
        assert_eq!(r.column_name(1), Some("b"));
        assert_eq!(r.column_name_c(0), Some(&b"a\0"[..]));
        assert_eq!(r.value(0, 0), Some("1"));
        assert_eq!(r.value(0, 1), None);
        assert!(r.is_null(0, 1));
        assert!(!r.is_null(1, 0));
        assert_eq!(r.value(1, 0), Some(""));
        assert_eq!(r.value_c(1, 1), Some(&b"x y\0"[..]));
        assert_eq!(r.value(2, 0), None);
        assert!(!r.is_null(2, 0));
        assert_eq!(r.affected(), 2);
        assert_eq!(r.tag(), "SELECT 2");
    }

    #[test]
    fn affected_rows_from_tags() {
        assert_eq!(affected_from_tag("INSERT 0 5"), 5);
        assert_eq!(affected_from_tag("UPDATE 12"), 12);
        assert_eq!(affected_from_tag("DELETE 0"), 0);
        assert_eq!(affected_from_tag("CREATE TABLE"), 0);
        assert_eq!(affected_from_tag("BEGIN"), 0);
        assert_eq!(affected_from_tag(""), 0);
    }
}
