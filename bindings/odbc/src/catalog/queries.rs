//! The catalog functions' queries over pg_catalog, each argument a bound
//! parameter.

use pgtc::ResultSet;

use super::*;
use crate::strings::Fail;

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

pub fn ready(shape: &[Col], rows: Vec<Vec<Option<String>>>) -> Plan {
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
