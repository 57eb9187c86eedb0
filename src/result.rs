//! Statement results as text, the way psql shows them: one contiguous buffer
//! of NUL-terminated values plus one offset per cell, so a result of many
//! rows costs two allocations and every value can be handed to C as a
//! borrowed `const char *` without copying.
//!
//! A text of several statements gives one `ResultSet` per statement,
//! chained in order through `next`: the first one owns the rest.

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
pub const NULL_CELL: u32 = u32::MAX;

/// One column of a result, as the server's RowDescription describes it.
/// Laid out as C's `pgtc_column` (see `pgtc_result_block`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(C)]
pub struct Column {
    /// Offset of the NUL-terminated name in `ResultSet::names`.
    name_at: u32,
    /// The column's type OID (e.g. 23 for int4).
    pub type_oid: u32,
    /// The type modifier (e.g. for varchar(10) 14, for numeric(10,2)
    /// 655366); -1 when the type has none.
    pub typmod: i32,
    /// The OID of the table the column comes from; 0 when it is not a
    /// plain column of a table.
    pub table_oid: u32,
    /// The column's attribute number in that table (1-based); 0 when
    /// it is not a plain column of a table.
    pub column_id: i16,
    /// Always 0 (the C layout's padding, kept initialised).
    reserved: i16,
}

/// What RowDescription says of one column, besides its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnMeta {
    pub type_oid: u32,
    pub typmod: i32,
    pub table_oid: u32,
    pub column_id: i16,
}

impl ColumnMeta {
    /// A column of this type, with no modifier and no source table.
    pub fn of_type(type_oid: u32) -> ColumnMeta {
        ColumnMeta {
            type_oid,
            typmod: -1,
            table_oid: 0,
            column_id: 0,
        }
    }
}

/// The outcome of one statement; for a text of several statements, the
/// first one, with the others chained after it through `next`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultSet {
    columns: Vec<Column>,
    names: Vec<u8>,
    data: Vec<u8>,
    cells: Vec<u32>,
    rows: usize,
    tag: String,
    affected: u64,
    pub server: Option<Server>,
    /// The next statement's result, for a text of several statements.
    next: Option<Box<ResultSet>>,
}

impl ResultSet {
    /// An empty result with only a command tag (e.g. for a statement pgtc
    /// answered itself).
    pub fn with_tag(tag: &str) -> ResultSet {
        let mut r = ResultSet::default();
        r.set_tag(tag);
        r
    }

    /// Forget everything: rows, columns, tag and the results chained after
    /// this one.
    pub fn reset(&mut self) {
        self.columns.clear();
        self.names.clear();
        self.data.clear();
        self.cells.clear();
        self.rows = 0;
        self.tag.clear();
        self.affected = 0;
        self.next = None;
    }

    pub fn push_column(&mut self, name: &[u8], meta: ColumnMeta) {
        let name_at = self.names.len() as u32;
        self.names.extend(name.iter().copied().filter(|&b| b != 0));
        self.names.push(0);
        self.columns.push(Column {
            name_at,
            type_oid: meta.type_oid,
            typmod: meta.typmod,
            table_oid: meta.table_oid,
            column_id: meta.column_id,
            reserved: 0,
        });
    }

    /// Start over with the columns `columns` and their names `names` (as
    /// `columns()` and `names()` of another result with them).
    pub(crate) fn set_columns(&mut self, columns: &[Column], names: &[u8]) {
        self.reset();
        self.columns.extend_from_slice(columns);
        self.names.extend_from_slice(names);
    }

    /// The next statement's result (for a text of several statements).
    pub fn next(&self) -> Option<&ResultSet> {
        self.next.as_deref()
    }

    /// This result and every one chained after it, in order.
    pub fn iter(&self) -> impl Iterator<Item = &ResultSet> {
        std::iter::successors(Some(self), |r| r.next())
    }

    /// How many results the chain starting here holds (at least 1).
    pub fn count(&self) -> usize {
        self.iter().count()
    }

    /// Chain `results` (in order) after the last result of this chain.
    pub fn append(&mut self, results: Vec<ResultSet>) {
        if results.is_empty() {
            return;
        }
        let mut last = self;
        while last.next.is_some() {
            last = last.next.as_deref_mut().expect("checked");
        }
        last.next = ResultSet::chain(results).map(Box::new);
    }

    /// Record `server` as where this result and those after it ran.
    pub fn set_server(&mut self, server: Server) {
        let mut r = Some(self);
        while let Some(x) = r {
            x.server = Some(server);
            r = x.next.as_deref_mut();
        }
    }

    /// Chain `results` (in order) into one: the first owns the rest. None
    /// for none.
    pub fn chain(results: Vec<ResultSet>) -> Option<ResultSet> {
        let mut next: Option<Box<ResultSet>> = None;
        for mut r in results.into_iter().rev() {
            r.next = next;
            next = Some(Box::new(r));
        }
        next.map(|b| *b)
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

    /// Column `col` as RowDescription described it.
    pub fn column(&self, col: usize) -> Option<&Column> {
        self.columns.get(col)
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

    /// The length in bytes of the value's text (without its NUL), as
    /// libpq's PQgetlength: 0 for an SQL NULL and out of range.
    pub fn value_len(&self, row: usize, col: usize) -> usize {
        self.value_c(row, col).map_or(0, |v| v.len() - 1)
    }

    /// Every value's text, row by row and column by column, each followed
    /// by a NUL (an SQL NULL takes no room): what `cells` points into.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The columns, in order (what `pgtc_result_block` hands out).
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Every column's name, each followed by a NUL, in column order.
    pub fn names(&self) -> &[u8] {
        &self.names
    }

    /// One entry per value, row-major (`rows() * cols()` of them): where
    /// its text starts in `data`, or `NULL_CELL` for an SQL NULL.
    pub fn cells(&self) -> &[u32] {
        &self.cells
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
        r.push_column(b"a", ColumnMeta::of_type(23));
        r.push_column(
            b"b",
            ColumnMeta {
                type_oid: 25,
                typmod: -1,
                table_oid: 16384,
                column_id: 2,
            },
        );
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
        assert_eq!(
            (r.value_len(1, 1), r.value_len(0, 1), r.value_len(1, 0)),
            (3, 0, 0)
        );
        assert_eq!(r.value_len(9, 9), 0);
        let c = r.column(1).unwrap();
        assert_eq!((c.typmod, c.table_oid, c.column_id), (-1, 16384, 2));
        assert!(r.column(2).is_none());
        assert!(!r.is_null(2, 0));
        assert_eq!(r.affected(), 2);
        assert_eq!(r.tag(), "SELECT 2");
    }

    #[test]
    fn results_chain_in_order() {
        assert!(ResultSet::chain(Vec::new()).is_none());
        let mut r = ResultSet::chain(
            ["SELECT 1", "INSERT 0 2", "DELETE 3"]
                .iter()
                .map(|t| ResultSet::with_tag(t))
                .collect(),
        )
        .unwrap();
        r.set_server(Server::Secondary);
        let tags: Vec<_> = r.iter().map(|x| (x.tag(), x.server)).collect();
        assert_eq!(
            tags,
            [
                ("SELECT 1", Some(Server::Secondary)),
                ("INSERT 0 2", Some(Server::Secondary)),
                ("DELETE 3", Some(Server::Secondary))
            ]
        );
        assert_eq!(r.count(), 3);
        r.reset();
        assert_eq!(r.count(), 1);
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
