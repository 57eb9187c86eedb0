//! The ODBC result sets of the catalog functions: their columns' names,
//! order and types, as ODBC 3 defines them.

use pgtc::ColumnMeta;

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
    pub fn meta(self) -> ColumnMeta {
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
