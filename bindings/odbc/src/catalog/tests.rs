//! Unit tests of the catalog functions' pure parts.

use super::*;
use crate::types;
use pgtc::{ColumnMeta, ResultSet};

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
