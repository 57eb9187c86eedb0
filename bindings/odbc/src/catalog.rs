//! The catalog functions (SQLTables, SQLColumns, …, SQLGetTypeInfo): the
//! queries over pg_catalog they run and the ODBC result sets they come
//! back as.
//!
//! Each function becomes a `Plan`: a query with its arguments bound as
//! parameters (never spliced into the text), the ODBC shape of its result
//! (names, order and types of the columns, declared once here) and how a
//! row of the query becomes a row of that shape. Type facts (DATA_TYPE,
//! COLUMN_SIZE, DECIMAL_DIGITS, …) are computed here from the column's type
//! OID and modifier with `types::describe`, the same function
//! SQLDescribeCol uses, so the two can never disagree.

use pgtc::ColumnMeta;
use pgtc::ResultSet;

use crate::strings::Fail;
use crate::types::{self, SqlType};

/// A column of an ODBC result set: its name and the PostgreSQL type it is
/// given (so that SQLDescribeCol reports ODBC's type for it).
pub type Col = (&'static str, ColType);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// An identifier: VARCHAR(128).
    Name,
    /// Free text (remarks, defaults, filters): VARCHAR without a limit.
    Text,
    SmallInt,
    Integer,
}

impl ColType {
    fn meta(self) -> ColumnMeta {
        let (oid, typmod) = match self {
            ColType::Name => (1043, 128 + 4),
            ColType::Text => (1043, -1),
            ColType::SmallInt => (21, -1),
            ColType::Integer => (23, -1),
        };
        ColumnMeta {
            typmod,
            ..ColumnMeta::of_type(oid)
        }
    }
}

use ColType::{Integer as I, Name as N, SmallInt as S, Text as T};

pub const TABLES: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("TABLE_TYPE", N),
    ("REMARKS", T),
];

pub const COLUMNS: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("COLUMN_NAME", N),
    ("DATA_TYPE", S),
    ("TYPE_NAME", N),
    ("COLUMN_SIZE", I),
    ("BUFFER_LENGTH", I),
    ("DECIMAL_DIGITS", S),
    ("NUM_PREC_RADIX", S),
    ("NULLABLE", S),
    ("REMARKS", T),
    ("COLUMN_DEF", T),
    ("SQL_DATA_TYPE", S),
    ("SQL_DATETIME_SUB", S),
    ("CHAR_OCTET_LENGTH", I),
    ("ORDINAL_POSITION", I),
    ("IS_NULLABLE", N),
];

pub const PRIMARY_KEYS: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("COLUMN_NAME", N),
    ("KEY_SEQ", S),
    ("PK_NAME", N),
];

pub const FOREIGN_KEYS: &[Col] = &[
    ("PKTABLE_CAT", N),
    ("PKTABLE_SCHEM", N),
    ("PKTABLE_NAME", N),
    ("PKCOLUMN_NAME", N),
    ("FKTABLE_CAT", N),
    ("FKTABLE_SCHEM", N),
    ("FKTABLE_NAME", N),
    ("FKCOLUMN_NAME", N),
    ("KEY_SEQ", S),
    ("UPDATE_RULE", S),
    ("DELETE_RULE", S),
    ("FK_NAME", N),
    ("PK_NAME", N),
    ("DEFERRABILITY", S),
];

pub const STATISTICS: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("NON_UNIQUE", S),
    ("INDEX_QUALIFIER", N),
    ("INDEX_NAME", N),
    ("TYPE", S),
    ("ORDINAL_POSITION", S),
    ("COLUMN_NAME", T),
    ("ASC_OR_DESC", N),
    ("CARDINALITY", I),
    ("PAGES", I),
    ("FILTER_CONDITION", T),
];

pub const SPECIAL_COLUMNS: &[Col] = &[
    ("SCOPE", S),
    ("COLUMN_NAME", N),
    ("DATA_TYPE", S),
    ("TYPE_NAME", N),
    ("COLUMN_SIZE", I),
    ("BUFFER_LENGTH", I),
    ("DECIMAL_DIGITS", S),
    ("PSEUDO_COLUMN", S),
];

pub const PROCEDURES: &[Col] = &[
    ("PROCEDURE_CAT", N),
    ("PROCEDURE_SCHEM", N),
    ("PROCEDURE_NAME", N),
    ("NUM_INPUT_PARAMS", I),
    ("NUM_OUTPUT_PARAMS", I),
    ("NUM_RESULT_SETS", I),
    ("REMARKS", T),
    ("PROCEDURE_TYPE", S),
];

pub const PROCEDURE_COLUMNS: &[Col] = &[
    ("PROCEDURE_CAT", N),
    ("PROCEDURE_SCHEM", N),
    ("PROCEDURE_NAME", N),
    ("COLUMN_NAME", N),
    ("COLUMN_TYPE", S),
    ("DATA_TYPE", S),
    ("TYPE_NAME", N),
    ("COLUMN_SIZE", I),
    ("BUFFER_LENGTH", I),
    ("DECIMAL_DIGITS", S),
    ("NUM_PREC_RADIX", S),
    ("NULLABLE", S),
    ("REMARKS", T),
    ("COLUMN_DEF", T),
    ("SQL_DATA_TYPE", S),
    ("SQL_DATETIME_SUB", S),
    ("CHAR_OCTET_LENGTH", I),
    ("ORDINAL_POSITION", I),
    ("IS_NULLABLE", N),
];

pub const TABLE_PRIVILEGES: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("GRANTOR", N),
    ("GRANTEE", N),
    ("PRIVILEGE", N),
    ("IS_GRANTABLE", N),
];

pub const COLUMN_PRIVILEGES: &[Col] = &[
    ("TABLE_CAT", N),
    ("TABLE_SCHEM", N),
    ("TABLE_NAME", N),
    ("COLUMN_NAME", N),
    ("GRANTOR", N),
    ("GRANTEE", N),
    ("PRIVILEGE", N),
    ("IS_GRANTABLE", N),
];

pub const TYPE_INFO: &[Col] = &[
    ("TYPE_NAME", N),
    ("DATA_TYPE", S),
    ("COLUMN_SIZE", I),
    ("LITERAL_PREFIX", N),
    ("LITERAL_SUFFIX", N),
    ("CREATE_PARAMS", N),
    ("NULLABLE", S),
    ("CASE_SENSITIVE", S),
    ("SEARCHABLE", S),
    ("UNSIGNED_ATTRIBUTE", S),
    ("FIXED_PREC_SCALE", S),
    ("AUTO_UNIQUE_VALUE", S),
    ("LOCAL_TYPE_NAME", N),
    ("MINIMUM_SCALE", S),
    ("MAXIMUM_SCALE", S),
    ("SQL_DATA_TYPE", S),
    ("SQL_DATETIME_SUB", S),
    ("NUM_PREC_RADIX", I),
    ("INTERVAL_PRECISION", S),
];

// ---------------------------------------------------------------------
// Arguments

/// How one argument restricts a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// No restriction (a NULL argument, or the pattern `%`).
    Any,
    /// Nothing matches (an empty catalog or schema: PostgreSQL has no
    /// table without one).
    Nothing,
    /// Exactly this name.
    Eq(String),
    /// A LIKE pattern (escape `\`), already made well-formed.
    Like(String),
}

/// An ODBC search pattern (`%`, `_`, and `\` escaping either) as a LIKE
/// pattern with the escape `\`: the same language, except that a `\`
/// before any other character, or at the end, stands for itself.
pub fn like_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 2);
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n @ ('%' | '_' | '\\')) => {
                    out.push('\\');
                    out.push(n);
                }
                Some(n) => {
                    out.push_str("\\\\");
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a LIKE pattern (as `like_pattern` writes it) has a wildcard.
fn has_wildcard(p: &str) -> bool {
    let mut it = p.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                it.next();
            }
            '%' | '_' => return true,
            _ => {}
        }
    }
    false
}

/// The text a LIKE pattern without wildcards matches.
fn unescape(p: &str) -> String {
    let mut out = String::new();
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An identifier argument (SQL_ATTR_METADATA_ID true): a quoted one is
/// taken literally (`""` for `"`); an unquoted one loses trailing blanks
/// and is folded to lower case, as PostgreSQL folds unquoted names.
pub fn identifier(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].replace("\"\"", "\"")
    } else {
        s.trim_end().to_lowercase()
    }
}

fn null_identifier() -> Fail {
    (
        "HY009",
        "SQL_ATTR_METADATA_ID is true, so every name argument must be given".into(),
    )
}

/// A pattern value argument (a schema, table, column or procedure name).
pub fn pattern(v: Option<&str>, metadata_id: bool) -> Result<Match, Fail> {
    if metadata_id {
        return Ok(Match::Eq(identifier(v.ok_or_else(null_identifier)?)));
    }
    Ok(match v {
        None => Match::Any,
        Some(p) => {
            let l = like_pattern(p);
            if l == "%" {
                Match::Any
            } else if has_wildcard(&l) {
                Match::Like(l)
            } else {
                Match::Eq(unescape(&l))
            }
        }
    })
}

/// An ordinary argument (taken literally; a table name must be given).
pub fn ordinary(v: Option<&str>, metadata_id: bool) -> Result<Match, Fail> {
    Ok(match v {
        None if metadata_id => return Err(null_identifier()),
        None => Match::Any,
        Some(s) if metadata_id => Match::Eq(identifier(s)),
        Some(s) => Match::Eq(s.to_string()),
    })
}

/// A catalog, schema or table argument where "" means "those without
/// one" (none, in PostgreSQL) rather than the name "".
fn scoped(m: Match) -> Match {
    match m {
        Match::Eq(s) if s.is_empty() => Match::Nothing,
        Match::Like(s) if s.is_empty() => Match::Nothing,
        m => m,
    }
}

/// The TableType argument of SQLTables: a comma-separated list of types,
/// each optionally in single quotes, compared without regard to case.
pub fn table_types(v: Option<&str>) -> Option<Vec<String>> {
    let v = v?.trim();
    if v.is_empty() || v == "%" {
        return None;
    }
    Some(
        v.split(',')
            .map(|t| t.trim().trim_matches('\'').trim().to_uppercase())
            .filter(|t| !t.is_empty())
            .collect(),
    )
}

// ---------------------------------------------------------------------
// Plans

/// How a row of the query becomes a row of the ODBC result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The query's first columns are the result's, as they are.
    Copy,
    /// SQLColumns: names, typid, typmod, typname, notnull, remarks,
    /// default, ordinal.
    Columns,
    /// SQLSpecialColumns: scope, name, typid, typmod, typname, pseudo.
    Special,
    /// SQLProcedureColumns: names, column type, typid, typname, ordinal.
    ProcColumns,
}

/// What a catalog function runs.
#[derive(Debug)]
pub enum Plan {
    Query {
        sql: String,
        params: Vec<String>,
        shape: &'static [Col],
        rows: Rows,
    },
    /// A result computed without the server.
    Ready(ResultSet),
}

/// A query being put together: the inner SELECT's columns are filtered
/// by name in an outer query, each argument a bound parameter.
struct Q {
    inner: String,
    filters: Vec<String>,
    params: Vec<String>,
}

impl Q {
    fn new(inner: &str) -> Q {
        Q {
            inner: inner.to_string(),
            filters: Vec::new(),
            params: Vec::new(),
        }
    }

    fn param(&mut self, v: &str) -> String {
        self.params.push(v.to_string());
        format!("${}", self.params.len())
    }

    fn filter(&mut self, col: &str, m: &Match) {
        let f = match m {
            Match::Any => return,
            Match::Nothing => "false".to_string(),
            Match::Eq(s) => format!("{} = {}", col, self.param(s)),
            Match::Like(s) => format!("{} LIKE {}", col, self.param(s)),
        };
        self.filters.push(f);
    }

    fn raw(&mut self, f: &str) {
        self.filters.push(f.to_string());
    }

    /// An ordinary schema argument: NULL means the table PostgreSQL would
    /// find by its unqualified name (the search path's).
    fn schema_or_visible(&mut self, col: &str, m: &Match, oid_col: &str) {
        if *m == Match::Any {
            self.raw(&format!("pg_catalog.pg_table_is_visible({})", oid_col));
        } else {
            self.filter(col, m);
        }
    }

    fn plan(self, order: &str, shape: &'static [Col], rows: Rows) -> Plan {
        let mut sql = format!("SELECT * FROM ({}) q", self.inner);
        if !self.filters.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&self.filters.join(" AND "));
        }
        sql.push_str(" ORDER BY ");
        sql.push_str(order);
        Plan::Query {
            sql,
            params: self.params,
            shape,
            rows,
        }
    }
}

/// A relation's ODBC table type.
const TABLE_TYPE: &str = "CASE \
  WHEN c.relpersistence = 't' THEN 'LOCAL TEMPORARY' \
  WHEN n.nspname IN ('pg_catalog', 'information_schema') OR n.nspname LIKE 'pg\\_toast%' \
    THEN CASE WHEN c.relkind IN ('v', 'm') THEN 'SYSTEM VIEW' ELSE 'SYSTEM TABLE' END \
  WHEN c.relkind IN ('r', 'p') THEN 'TABLE' \
  WHEN c.relkind = 'v' THEN 'VIEW' \
  WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW' \
  WHEN c.relkind = 'f' THEN 'FOREIGN TABLE' END";

/// The relations catalog functions show: tables of every kind, views,
/// materialized views, foreign tables; temporary tables only to the
/// session that has them (see `own_temporary`).
const RELATIONS: &str = "pg_catalog.pg_class c \
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
const RELATION_KINDS: &str = "c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relpersistence <> 't'";
const NO_TEMPORARY: &str = "c.relpersistence <> 't'";

/// The query for a session that may have temporary tables (one pinned to
/// the primary: pgtc pins a session that creates them), listing its own.
/// Other sessions leave them out: the test needs pg_my_temp_schema(),
/// whose answer depends on the server, so it would keep every catalog
/// read on the primary.
pub fn own_temporary(sql: &str) -> String {
    sql.replace(
        NO_TEMPORARY,
        "(c.relpersistence <> 't' OR c.relnamespace = pg_catalog.pg_my_temp_schema())",
    )
}

/// The table types SQLTables reports, for SQL_ALL_TABLE_TYPES.
pub const ALL_TABLE_TYPES: &[&str] = &[
    "FOREIGN TABLE",
    "LOCAL TEMPORARY",
    "MATERIALIZED VIEW",
    "SYSTEM TABLE",
    "SYSTEM VIEW",
    "TABLE",
    "VIEW",
];

fn ready(shape: &[Col], rows: Vec<Vec<Option<String>>>) -> Plan {
    let mut rs = ResultSet::with_tag(&format!("SELECT {}", rows.len()));
    for (name, t) in shape {
        rs.push_column(name.as_bytes(), t.meta());
    }
    for r in &rows {
        rs.push_row(r.iter().map(|v| v.as_deref().map(str::as_bytes)));
    }
    Plan::Ready(rs)
}

/// SQLTables.
pub fn tables(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    types: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    // The three enumerations ODBC defines.
    let only = |v: Option<&str>| v == Some("%");
    let empty = |v: Option<&str>| v == Some("");
    if only(cat) && empty(schema) && empty(table) {
        let q = Q::new(
            "SELECT pg_catalog.current_database()::text AS table_cat, NULL::text, NULL::text, \
             NULL::text, NULL::text",
        );
        return Ok(q.plan("1", TABLES, Rows::Copy));
    }
    if only(schema) && empty(cat) && empty(table) {
        let q = Q::new(
            "SELECT NULL::text, n.nspname::text AS table_schem, NULL::text, NULL::text, \
             NULL::text FROM pg_catalog.pg_namespace n \
             WHERE n.nspname !~ '^pg_(toast_)?temp_'",
        );
        return Ok(q.plan("2", TABLES, Rows::Copy));
    }
    if only(types) && empty(cat) && empty(schema) && empty(table) {
        let rows = ALL_TABLE_TYPES
            .iter()
            .map(|t| vec![None, None, None, Some(t.to_string()), None])
            .collect();
        return Ok(ready(TABLES, rows));
    }
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, {} AS table_type, \
         pg_catalog.obj_description(c.oid, 'pg_class') AS remarks \
         FROM {} WHERE {}",
        TABLE_TYPE, RELATIONS, RELATION_KINDS
    ));
    // In ODBC 3, SQLTables' catalog is a pattern too.
    q.filter("table_cat", &scoped(pattern(cat, metadata_id)?));
    q.filter("table_schem", &scoped(pattern(schema, metadata_id)?));
    q.filter("table_name", &pattern(table, metadata_id)?);
    if let Some(list) = table_types(types) {
        let ps: Vec<String> = list.iter().map(|t| q.param(t)).collect();
        q.raw(&format!("table_type IN ({})", ps.join(", ")));
    }
    Ok(q.plan("table_type, 1, 2, 3", TABLES, Rows::Copy))
}

/// SQLColumns.
pub fn columns(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, a.attname::text AS column_name, \
         a.atttypid::int8 AS typid, a.atttypmod AS typmod, t.typname::text AS typname, \
         a.attnotnull AS notnull, pg_catalog.col_description(c.oid, a.attnum) AS remarks, \
         CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END AS def, \
         (SELECT count(*) FROM pg_catalog.pg_attribute o WHERE o.attrelid = a.attrelid \
          AND o.attnum > 0 AND o.attnum <= a.attnum AND NOT o.attisdropped)::int4 AS ordinal \
         FROM {} JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND {}",
        RELATIONS, RELATION_KINDS
    ));
    q.filter("table_cat", &scoped(ordinary(cat, metadata_id)?));
    q.filter("table_schem", &scoped(pattern(schema, metadata_id)?));
    q.filter("table_name", &pattern(table, metadata_id)?);
    q.filter("column_name", &pattern(column, metadata_id)?);
    Ok(q.plan("1, 2, 3, ordinal", COLUMNS, Rows::Columns))
}

/// The arguments naming one table (ordinary arguments), as filters on
/// the columns `cat`, `schem`, `name` with the table's OID in `oid`.
fn one_table(
    q: &mut Q,
    cols: [&str; 4],
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    metadata_id: bool,
) -> Result<(), Fail> {
    q.filter(cols[0], &scoped(ordinary(cat, metadata_id)?));
    q.schema_or_visible(cols[1], &scoped(ordinary(schema, metadata_id)?), cols[3]);
    q.filter(cols[2], &ordinary(table, metadata_id)?);
    Ok(())
}

fn need_table(table: Option<&str>) -> Result<(), Fail> {
    match table {
        Some(_) => Ok(()),
        None => Err(("HY009", "the table name is NULL".into())),
    }
}

/// SQLPrimaryKeys.
pub fn primary_keys(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    need_table(table)?;
    let mut q = Q::new(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, a.attname::text, k.ord::int2 AS key_seq, \
         con.conname::text, c.oid AS rel \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE con.contype = 'p'",
    );
    one_table(
        &mut q,
        ["table_cat", "table_schem", "table_name", "rel"],
        cat,
        schema,
        table,
        metadata_id,
    )?;
    Ok(q.plan("1, 2, 3, key_seq", PRIMARY_KEYS, Rows::Copy))
}

/// SQLForeignKeys: keys of `fk` referring to `pk` (either may be NULL,
/// not both).
pub fn foreign_keys(
    pk: [Option<&str>; 3],
    fk: [Option<&str>; 3],
    metadata_id: bool,
) -> Result<Plan, Fail> {
    if pk[2].is_none() && fk[2].is_none() {
        return Err((
            "HY009",
            "both the primary key table and the foreign key table are NULL".into(),
        ));
    }
    let rule = |c: &str| {
        format!(
            "(CASE {} WHEN 'c' THEN 0 WHEN 'r' THEN 1 WHEN 'n' THEN 2 WHEN 'a' THEN 3 \
             WHEN 'd' THEN 4 END)::int2",
            c
        )
    };
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS pk_cat, pn.nspname::text AS pk_schem, \
         pc.relname::text AS pk_name, pa.attname::text, \
         pg_catalog.current_database()::text AS fk_cat, fn.nspname::text AS fk_schem, \
         fc.relname::text AS fk_name, fa.attname::text, k.ord::int2 AS key_seq, \
         {} AS update_rule, {} AS delete_rule, con.conname::text, ic.relname::text, \
         (CASE WHEN con.condeferrable AND con.condeferred THEN 5 \
          WHEN con.condeferrable THEN 6 ELSE 7 END)::int2, \
         pc.oid AS pk_rel, fc.oid AS fk_rel \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class fc ON fc.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
         JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid \
         JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(fk_att, pk_att, ord) \
         JOIN pg_catalog.pg_attribute fa ON fa.attrelid = fc.oid AND fa.attnum = k.fk_att \
         JOIN pg_catalog.pg_attribute pa ON pa.attrelid = pc.oid AND pa.attnum = k.pk_att \
         LEFT JOIN pg_catalog.pg_class ic ON ic.oid = con.conindid \
         WHERE con.contype = 'f'",
        rule("con.confupdtype"),
        rule("con.confdeltype")
    ));
    if pk[2].is_some() {
        one_table(
            &mut q,
            ["pk_cat", "pk_schem", "pk_name", "pk_rel"],
            pk[0],
            pk[1],
            pk[2],
            metadata_id,
        )?;
    }
    if fk[2].is_some() {
        one_table(
            &mut q,
            ["fk_cat", "fk_schem", "fk_name", "fk_rel"],
            fk[0],
            fk[1],
            fk[2],
            metadata_id,
        )?;
    }
    let order = if pk[2].is_some() {
        "5, 6, 7, key_seq"
    } else {
        "1, 2, 3, key_seq"
    };
    Ok(q.plan(order, FOREIGN_KEYS, Rows::Copy))
}

/// SQLStatistics: the table's statistics row and its indexes' columns
/// (`unique_only`: SQL_INDEX_UNIQUE).
pub fn statistics(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    unique_only: bool,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    need_table(table)?;
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, NULL::int2 AS non_unique, NULL::text, NULL::text, \
         0::int2 AS type, NULL::int2 AS ord, NULL::text, NULL::text, \
         CASE WHEN c.reltuples >= 0 THEN least(c.reltuples, 2147483647)::int4 END, \
         c.relpages::int4, NULL::text, c.oid AS rel, true AS uniq \
         FROM {} WHERE {} \
         UNION ALL \
         SELECT pg_catalog.current_database()::text, n.nspname::text, c.relname::text, \
         (NOT i.indisunique)::int4::int2, n.nspname::text, ic.relname::text, \
         (CASE WHEN i.indisclustered THEN 1 WHEN am.amname = 'hash' THEN 2 ELSE 3 END)::int2, \
         k.n::int2, \
         CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true) \
           ELSE (SELECT a.attname::text FROM pg_catalog.pg_attribute a \
                 WHERE a.attrelid = c.oid AND a.attnum = i.indkey[k.n - 1]) END, \
         CASE WHEN am.amname = 'btree' THEN \
           CASE WHEN (i.indoption[k.n - 1] & 1) = 1 THEN 'D' ELSE 'A' END END, \
         CASE WHEN ic.reltuples >= 0 THEN least(ic.reltuples, 2147483647)::int4 END, \
         ic.relpages::int4, pg_catalog.pg_get_expr(i.indpred, i.indrelid), c.oid, i.indisunique \
         FROM {} JOIN pg_catalog.pg_index i ON i.indrelid = c.oid \
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
         CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n) \
         WHERE {}",
        RELATIONS, RELATION_KINDS, RELATIONS, RELATION_KINDS
    ));
    one_table(
        &mut q,
        ["table_cat", "table_schem", "table_name", "rel"],
        cat,
        schema,
        table,
        metadata_id,
    )?;
    if unique_only {
        q.raw("uniq");
    }
    Ok(q.plan(
        "non_unique NULLS FIRST, type, 5, 6, ord",
        STATISTICS,
        Rows::Copy,
    ))
}

pub const SQL_BEST_ROWID: i16 = 1;
pub const SQL_ROWVER: i16 = 2;

/// SQLSpecialColumns: the primary key (or, without one, the row's
/// physical address `ctid`, valid for the current row only) for
/// SQL_BEST_ROWID; `xmin`, which every update changes, for SQL_ROWVER.
pub fn special_columns(
    id_type: i16,
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    scope: i16,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    need_table(table)?;
    let inner = match id_type {
        SQL_BEST_ROWID => format!(
            "SELECT 2::int2 AS scope, a.attname::text, a.atttypid::int8, a.atttypmod, \
             t.typname::text, 1::int2, \
             pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
             c.relname::text AS table_name, c.oid AS rel, a.attnum AS ord \
             FROM {r} JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid AND con.contype = 'p' \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (con.conkey) \
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid WHERE {k} \
             UNION ALL \
             SELECT 0::int2, 'ctid', 27, -1, 'tid', 2::int2, \
             pg_catalog.current_database()::text, n.nspname::text, c.relname::text, c.oid, 0 \
             FROM {r} WHERE {k} AND c.relkind IN ('r', 'm') AND NOT EXISTS \
             (SELECT 1 FROM pg_catalog.pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p')",
            r = RELATIONS,
            k = RELATION_KINDS
        ),
        SQL_ROWVER => format!(
            "SELECT NULL::int2 AS scope, 'xmin'::text, 28::int8, -1, 'xid'::text, 2::int2, \
             pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
             c.relname::text AS table_name, c.oid AS rel, 0 AS ord \
             FROM {} WHERE {} AND c.relkind IN ('r', 'p', 'm')",
            RELATIONS, RELATION_KINDS
        ),
        _ => return Err(("HY097", format!("column type {} out of range", id_type))),
    };
    if !(0..=2).contains(&scope) {
        return Err(("HY098", format!("scope type {} out of range", scope)));
    }
    let mut q = Q::new(&inner);
    one_table(
        &mut q,
        ["table_cat", "table_schem", "table_name", "rel"],
        cat,
        schema,
        table,
        metadata_id,
    )?;
    let s = q.param(&scope.to_string());
    q.raw(&format!("(scope IS NULL OR scope >= {}::int2)", s));
    Ok(q.plan("scope, ord", SPECIAL_COLUMNS, Rows::Special))
}

/// SQLProcedures: functions (SQL_PT_FUNCTION) and procedures
/// (SQL_PT_PROCEDURE); aggregates and window functions are not listed.
pub fn procedures(
    cat: Option<&str>,
    schema: Option<&str>,
    proc_name: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    let mut q = Q::new(
        "SELECT pg_catalog.current_database()::text AS cat, n.nspname::text AS schem, \
         p.proname::text AS name, NULL::int4, NULL::int4, NULL::int4, \
         pg_catalog.obj_description(p.oid, 'pg_proc') AS remarks, \
         (CASE p.prokind WHEN 'p' THEN 1 ELSE 2 END)::int2 AS kind, p.oid AS poid \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         WHERE p.prokind IN ('f', 'p')",
    );
    q.filter("cat", &scoped(ordinary(cat, metadata_id)?));
    q.filter("schem", &scoped(pattern(schema, metadata_id)?));
    q.filter("name", &pattern(proc_name, metadata_id)?);
    Ok(q.plan("1, 2, 3, poid", PROCEDURES, Rows::Copy))
}

/// SQLProcedureColumns: each argument (IN, INOUT, OUT, TABLE columns)
/// and a function's return value (ordinal 0).
pub fn procedure_columns(
    cat: Option<&str>,
    schema: Option<&str>,
    proc_name: Option<&str>,
    column: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    let mut q = Q::new(
        "SELECT pg_catalog.current_database()::text AS cat, n.nspname::text AS schem, \
         p.proname::text AS name, COALESCE(p.proargnames[a.ord], '')::text AS col, \
         (CASE COALESCE(p.proargmodes[a.ord], 'i') WHEN 'b' THEN 2 WHEN 'o' THEN 4 \
          WHEN 't' THEN 3 ELSE 1 END)::int2, \
         a.typid::int8, t.typname::text, a.ord::int4 AS ord, p.oid AS poid \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         CROSS JOIN LATERAL unnest(COALESCE(p.proallargtypes, p.proargtypes::pg_catalog.oid[])) \
           WITH ORDINALITY AS a(typid, ord) \
         JOIN pg_catalog.pg_type t ON t.oid = a.typid \
         WHERE p.prokind IN ('f', 'p') \
         UNION ALL \
         SELECT pg_catalog.current_database()::text, n.nspname::text, p.proname::text, \
         ''::text, 5::int2, p.prorettype::int8, t.typname::text, 0::int4, p.oid \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         JOIN pg_catalog.pg_type t ON t.oid = p.prorettype \
         WHERE p.prokind = 'f' AND p.prorettype <> 'pg_catalog.void'::pg_catalog.regtype \
         AND NOT COALESCE(p.proargmodes && ARRAY['o', 'b', 't']::\"char\"[], false)",
    );
    q.filter("cat", &scoped(ordinary(cat, metadata_id)?));
    q.filter("schem", &scoped(pattern(schema, metadata_id)?));
    q.filter("name", &pattern(proc_name, metadata_id)?);
    q.filter("col", &pattern(column, metadata_id)?);
    Ok(q.plan("1, 2, 3, poid, ord", PROCEDURE_COLUMNS, Rows::ProcColumns))
}

const ACL: &str =
    "pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner)))";
const GRANT: &str = "pg_catalog.pg_get_userbyid(x.grantor)::text, \
  CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END, \
  x.privilege_type::text AS privilege, CASE WHEN x.is_grantable THEN 'YES' ELSE 'NO' END";

/// SQLTablePrivileges.
pub fn table_privileges(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, {} FROM {} CROSS JOIN LATERAL {} x WHERE {}",
        GRANT, RELATIONS, ACL, RELATION_KINDS
    ));
    q.filter("table_cat", &scoped(ordinary(cat, metadata_id)?));
    q.filter("table_schem", &scoped(pattern(schema, metadata_id)?));
    q.filter("table_name", &pattern(table, metadata_id)?);
    Ok(q.plan("1, 2, 3, privilege, 5", TABLE_PRIVILEGES, Rows::Copy))
}

/// SQLColumnPrivileges: the table's grants of column privileges and
/// the columns' own.
pub fn column_privileges(
    cat: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
    metadata_id: bool,
) -> Result<Plan, Fail> {
    need_table(table)?;
    let mut q = Q::new(&format!(
        "SELECT pg_catalog.current_database()::text AS table_cat, n.nspname::text AS table_schem, \
         c.relname::text AS table_name, a.attname::text AS column_name, {g}, c.oid AS rel \
         FROM {r} JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
         CROSS JOIN LATERAL {acl} x \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND {k} \
         AND x.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') \
         UNION \
         SELECT pg_catalog.current_database()::text, n.nspname::text, c.relname::text, \
         a.attname::text, {g}, c.oid \
         FROM {r} JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
         CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) x \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND {k}",
        g = GRANT,
        r = RELATIONS,
        acl = ACL,
        k = RELATION_KINDS
    ));
    one_table(
        &mut q,
        ["table_cat", "table_schem", "table_name", "rel"],
        cat,
        schema,
        table,
        metadata_id,
    )?;
    q.filter("column_name", &pattern(column, metadata_id)?);
    Ok(q.plan("1, 2, 3, 4, privilege, 6", COLUMN_PRIVILEGES, Rows::Copy))
}

// ---------------------------------------------------------------------
// Type facts

/// What ODBC's catalog results say of a column of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub data_type: i16,
    pub column_size: Option<i32>,
    pub buffer_length: Option<i32>,
    /// None where the type has no decimal digits (character, binary,
    /// bit, GUID, approximate numbers): SQLDescribeCol's 0.
    pub decimal_digits: Option<i16>,
    pub radix: Option<i16>,
    pub sql_data_type: i16,
    pub datetime_sub: Option<i16>,
    pub char_octet_length: Option<i32>,
}

const SQL_DATETIME: i16 = 9;

fn clamp(n: usize) -> i32 {
    n.min(i32::MAX as usize) as i32
}

/// The facts of type `oid` with modifier `typmod`, from `types::describe`.
pub fn facts(oid: u32, typmod: i32) -> Facts {
    facts_of(&types::describe(oid, typmod))
}

pub fn facts_of(t: &SqlType) -> Facts {
    use types::*;
    let chars = matches!(t.sql_type, SQL_CHAR | SQL_VARCHAR | SQL_LONGVARCHAR);
    let binary = t.sql_type == SQL_LONGVARBINARY;
    let buffer = match t.sql_type {
        _ if chars => t.size.saturating_mul(4),
        SQL_BIT => 1,
        SQL_SMALLINT => 2,
        SQL_INTEGER | SQL_REAL => 4,
        SQL_BIGINT | SQL_DOUBLE => 8,
        SQL_NUMERIC => t.size + 2,
        SQL_TYPE_DATE | SQL_TYPE_TIME => 6,
        SQL_TYPE_TIMESTAMP | SQL_GUID => 16,
        _ => t.size,
    };
    let exact = matches!(
        t.sql_type,
        SQL_NUMERIC | SQL_SMALLINT | SQL_INTEGER | SQL_BIGINT
    );
    let datetime_sub = match t.sql_type {
        SQL_TYPE_DATE => Some(1),
        SQL_TYPE_TIME => Some(2),
        SQL_TYPE_TIMESTAMP => Some(3),
        _ => None,
    };
    Facts {
        data_type: t.sql_type,
        column_size: Some(clamp(t.size)),
        buffer_length: Some(clamp(buffer)),
        decimal_digits: if exact || matches!(t.sql_type, SQL_TYPE_TIME | SQL_TYPE_TIMESTAMP) {
            Some(t.decimals)
        } else if t.sql_type == SQL_TYPE_DATE {
            Some(0)
        } else {
            None
        },
        radix: if !t.unsigned { Some(10) } else { None },
        sql_data_type: if datetime_sub.is_some() {
            SQL_DATETIME
        } else {
            t.sql_type
        },
        datetime_sub,
        char_octet_length: if chars || binary {
            Some(clamp(buffer))
        } else {
            None
        },
    }
}

fn s<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// One row of the ODBC result from row `r` of the query's result.
pub fn map_row(rows: Rows, rs: &ResultSet, r: usize, width: usize) -> Vec<Option<String>> {
    let v = |c: usize| rs.value(r, c).map(str::to_string);
    let num = |c: usize| rs.value(r, c).and_then(|x| x.parse::<i64>().ok());
    match rows {
        Rows::Copy => (0..width).map(v).collect(),
        Rows::Columns => {
            let f = facts(num(4).unwrap_or(0) as u32, num(5).unwrap_or(-1) as i32);
            let notnull = rs.value(r, 7) == Some("t");
            vec![
                v(0),
                v(1),
                v(2),
                v(3),
                s(Some(f.data_type)),
                v(6),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                s(f.radix),
                Some(if notnull { "0" } else { "1" }.into()),
                v(8),
                v(9),
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.char_octet_length),
                v(10),
                Some(if notnull { "NO" } else { "YES" }.into()),
            ]
        }
        Rows::Special => {
            let f = facts(num(2).unwrap_or(0) as u32, num(3).unwrap_or(-1) as i32);
            vec![
                v(0),
                v(1),
                s(Some(f.data_type)),
                v(4),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                v(5),
            ]
        }
        Rows::ProcColumns => {
            let f = facts(num(5).unwrap_or(0) as u32, -1);
            vec![
                v(0),
                v(1),
                v(2),
                v(3),
                v(4),
                s(Some(f.data_type)),
                v(6),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                s(f.radix),
                Some("2".into()), // SQL_NULLABLE_UNKNOWN
                None,
                None,
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.char_octet_length),
                v(7),
                Some(String::new()),
            ]
        }
    }
}

/// The query's result as the ODBC result set `shape`.
pub fn reshape(rs: &ResultSet, shape: &[Col], rows: Rows) -> ResultSet {
    let mut out = ResultSet::with_tag(&format!("SELECT {}", rs.rows()));
    for (name, t) in shape {
        out.push_column(name.as_bytes(), t.meta());
    }
    for r in 0..rs.rows() {
        let row = map_row(rows, rs, r, shape.len());
        out.push_row(row.iter().map(|v| v.as_deref().map(str::as_bytes)));
    }
    if let Some(server) = rs.server {
        out.set_server(server);
    }
    out
}

// ---------------------------------------------------------------------
// SQLGetTypeInfo

/// The types SQLGetTypeInfo lists (every type `types::describe` maps),
/// with what it says of each beyond `describe`.
struct TypeRow {
    oid: u32,
    prefix: Option<&'static str>,
    create_params: Option<&'static str>,
    /// MINIMUM_SCALE, MAXIMUM_SCALE.
    scale: Option<(i16, i16)>,
}

const fn tr(
    oid: u32,
    prefix: Option<&'static str>,
    create_params: Option<&'static str>,
    scale: Option<(i16, i16)>,
) -> TypeRow {
    TypeRow {
        oid,
        prefix,
        create_params,
        scale,
    }
}

const Q1: Option<&str> = Some("'");

/// In order of closeness within one SQL type (timestamp before
/// timestamptz; varchar before name).
const TYPE_ROWS: &[TypeRow] = &[
    tr(16, Q1, None, None),
    tr(21, None, None, Some((0, 0))),
    tr(23, None, None, Some((0, 0))),
    tr(20, None, None, Some((0, 0))),
    tr(1700, None, Some("precision,scale"), Some((0, 1000))),
    tr(700, None, None, None),
    tr(701, None, None, None),
    tr(1042, Q1, Some("length"), None),
    tr(1043, Q1, Some("max length"), None),
    tr(19, Q1, None, None),
    tr(25, Q1, None, None),
    tr(17, Some("'\\x"), None, None),
    tr(1082, Q1, None, None),
    tr(1083, Q1, Some("precision"), Some((0, 6))),
    tr(1114, Q1, Some("precision"), Some((0, 6))),
    tr(1184, Q1, Some("precision"), Some((0, 6))),
    tr(2950, Q1, None, None),
];

pub const SQL_ALL_TYPES: i16 = 0;

/// ODBC 2's datetime type numbers, which ODBC 3 renumbered.
fn odbc3_type(t: i16) -> i16 {
    match t {
        9 => types::SQL_TYPE_DATE,
        10 => types::SQL_TYPE_TIME,
        11 => types::SQL_TYPE_TIMESTAMP,
        t => t,
    }
}

/// SQLGetTypeInfo for `data_type` (SQL_ALL_TYPES for every type), sorted
/// by DATA_TYPE and then by how closely each type fits it.
pub fn type_info(data_type: i16) -> Plan {
    let want = odbc3_type(data_type);
    let mut rows: Vec<(i16, usize, Vec<Option<String>>)> = Vec::new();
    for (i, r) in TYPE_ROWS.iter().enumerate() {
        let t = types::describe(r.oid, -1);
        if want != SQL_ALL_TYPES && t.sql_type != want {
            continue;
        }
        let f = facts_of(&t);
        let chars = matches!(
            t.sql_type,
            types::SQL_CHAR | types::SQL_VARCHAR | types::SQL_LONGVARCHAR
        );
        let number = !t.unsigned;
        let suffix = r.prefix.map(|_| "'");
        rows.push((
            t.sql_type,
            i,
            vec![
                Some(t.type_name.into()),
                s(Some(t.sql_type)),
                s(f.column_size),
                s(r.prefix),
                s(suffix),
                s(r.create_params),
                Some("1".into()),                             // SQL_NULLABLE
                Some(if chars { "1" } else { "0" }.into()),   // CASE_SENSITIVE
                Some(if chars { "3" } else { "2" }.into()),   // SEARCHABLE / PRED_BASIC
                if number { Some("0".into()) } else { None }, // UNSIGNED_ATTRIBUTE
                Some("0".into()),                             // FIXED_PREC_SCALE
                if number { Some("0".into()) } else { None }, // AUTO_UNIQUE_VALUE
                None,                                         // LOCAL_TYPE_NAME
                s(r.scale.map(|x| x.0)),
                s(r.scale.map(|x| x.1)),
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.radix),
                None,
            ],
        ));
    }
    rows.sort_by_key(|r| (r.0, r.1));
    ready(TYPE_INFO, rows.into_iter().map(|r| r.2).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_become_like_patterns() {
        assert_eq!(like_pattern("a_b%"), "a_b%");
        assert_eq!(like_pattern("a\\_b"), "a\\_b");
        assert_eq!(like_pattern("a\\%"), "a\\%");
        assert_eq!(like_pattern("a\\\\"), "a\\\\");
        // A lone escape stands for itself, also at the end.
        assert_eq!(like_pattern("a\\b"), "a\\\\b");
        assert_eq!(like_pattern("a\\"), "a\\\\");
        assert_eq!(
            pattern(Some("odbc\\_t"), false),
            Ok(Match::Eq("odbc_t".into()))
        );
        assert_eq!(
            pattern(Some("odbc_t"), false),
            Ok(Match::Like("odbc_t".into()))
        );
        assert_eq!(pattern(Some("%"), false), Ok(Match::Any));
        assert_eq!(pattern(None, false), Ok(Match::Any));
        assert_eq!(pattern(Some("a\\%b"), false), Ok(Match::Eq("a%b".into())));
    }

    #[test]
    fn identifiers_follow_postgresql_case_rules() {
        assert_eq!(identifier("Odbc_T  "), "odbc_t");
        assert_eq!(identifier("\"Odbc_T\""), "Odbc_T");
        assert_eq!(identifier(" \"a\"\"b\" "), "a\"b");
        assert_eq!(pattern(Some("A%"), true), Ok(Match::Eq("a%".into())));
        assert_eq!(pattern(None, true).unwrap_err().0, "HY009");
        assert_eq!(ordinary(None, true).unwrap_err().0, "HY009");
        assert_eq!(ordinary(None, false), Ok(Match::Any));
    }

    #[test]
    fn empty_catalog_or_schema_matches_nothing() {
        assert_eq!(scoped(ordinary(Some(""), false).unwrap()), Match::Nothing);
        assert_eq!(scoped(pattern(Some(""), false).unwrap()), Match::Nothing);
        let Plan::Query { sql, .. } = tables(Some(""), None, None, None, false).unwrap() else {
            panic!()
        };
        assert!(sql.contains("WHERE false"), "{}", sql);
    }

    #[test]
    fn arguments_are_parameters_never_text() {
        let Plan::Query { sql, params, .. } =
            columns(None, Some("pub'lic"), Some("t%"), Some("x\\_y"), false).unwrap()
        else {
            panic!()
        };
        assert!(!sql.contains("pub'lic") && !sql.contains("x_y"), "{}", sql);
        assert_eq!(params, ["pub'lic", "t%", "x_y"]);
        assert!(sql.contains("table_schem = $1") && sql.contains("table_name LIKE $2"));
    }

    #[test]
    fn table_type_lists() {
        assert_eq!(
            table_types(Some("'TABLE','VIEW'")),
            Some(vec!["TABLE".into(), "VIEW".into()])
        );
        assert_eq!(
            table_types(Some("table, system table")),
            Some(vec!["TABLE".into(), "SYSTEM TABLE".into()])
        );
        assert_eq!(table_types(Some("%")), None);
        assert_eq!(table_types(None), None);
    }

    /// SQLColumns' type facts are SQLDescribeCol's for the same column.
    #[test]
    fn column_facts_agree_with_describe() {
        let cases: &[(u32, i32)] = &[
            (16, -1),
            (21, -1),
            (23, -1),
            (20, -1),
            (700, -1),
            (701, -1),
            (1700, -1),
            (1700, ((12 << 16) | 3) + 4),
            (25, -1),
            (1043, -1),
            (1043, 24),
            (1042, 9),
            (19, -1),
            (17, -1),
            (1082, -1),
            (1083, 3),
            (1114, -1),
            (1114, 0),
            (1184, 2),
            (2950, -1),
            (3802, -1),
        ];
        for &(oid, typmod) in cases {
            let d = types::describe(oid, typmod);
            // A row of SQLColumns' query for this column.
            let mut q = ResultSet::with_tag("SELECT 1");
            for _ in 0..11 {
                q.push_column(b"x", ColumnMeta::of_type(25));
            }
            let (o, m) = (oid.to_string(), typmod.to_string());
            let vals = ["db", "public", "t", "c", &o, &m, "ty", "f", "", "", "1"];
            q.push_row(vals.iter().map(|v| Some(v.as_bytes())));
            let row = map_row(Rows::Columns, &q, 0, COLUMNS.len());
            let get = |name: &str| {
                let i = COLUMNS.iter().position(|c| c.0 == name).unwrap();
                row[i].clone()
            };
            assert_eq!(get("DATA_TYPE"), Some(d.sql_type.to_string()), "{}", oid);
            assert_eq!(
                get("COLUMN_SIZE"),
                Some(d.size.min(i32::MAX as usize).to_string()),
                "{}",
                oid
            );
            assert_eq!(
                get("DECIMAL_DIGITS").unwrap_or_else(|| "0".into()),
                d.decimals.to_string(),
                "{}",
                oid
            );
            assert_eq!(row.len(), 18);
        }
    }

    #[test]
    fn type_info_is_sorted_and_agrees_with_describe() {
        let Plan::Ready(rs) = type_info(SQL_ALL_TYPES) else {
            panic!()
        };
        assert_eq!(rs.cols(), 19);
        assert_eq!(rs.rows(), TYPE_ROWS.len());
        let mut last = i16::MIN;
        for r in 0..rs.rows() {
            let dt: i16 = rs.value(r, 1).unwrap().parse().unwrap();
            assert!(dt >= last);
            last = dt;
            let name = rs.value(r, 0).unwrap();
            let row = TYPE_ROWS
                .iter()
                .find(|t| types::describe(t.oid, -1).type_name == name)
                .unwrap();
            assert_eq!(types::describe(row.oid, -1).sql_type, dt);
        }
        let Plan::Ready(ts) = type_info(11) else {
            panic!()
        };
        assert_eq!(ts.rows(), 2);
        assert_eq!(ts.value(0, 0), Some("timestamp"));
        let Plan::Ready(none) = type_info(-8) else {
            panic!()
        };
        assert_eq!(none.rows(), 0);
    }

    #[test]
    fn shapes_have_odbcs_columns() {
        assert_eq!(COLUMNS.len(), 18);
        assert_eq!(TYPE_INFO.len(), 19);
        assert_eq!(PROCEDURE_COLUMNS.len(), 19);
        assert_eq!(FOREIGN_KEYS.len(), 14);
        assert_eq!(STATISTICS.len(), 13);
        assert_eq!(COLUMNS[16].0, "ORDINAL_POSITION");
    }
}
