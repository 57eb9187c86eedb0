//! SQLGetInfo: every information type of ODBC 3.8, answered for
//! PostgreSQL through pgtc.

use crate::sys::USmallInt;

use super::Info;
use crate::api::{err, E};
use crate::handle::{lock, DbcState};

use super::bits as b;

/// The version of this driver in ODBC's ##.##.#### form.
fn driver_ver() -> String {
    let v: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    format!("{:02}.{:02}.{:04}", v[0], v[1], v[2])
}

fn dbms_ver(st: &mut DbcState) -> Result<String, E> {
    if let Some(v) = &st.dbms_ver {
        return Ok(v.clone());
    }
    let Some(s) = st.session.clone() else {
        return err("08003", "connection not open");
    };
    let rs = lock(&s)
        .exec("SELECT current_setting('server_version_num')", None)
        .map_err(E::Pg)?;
    let n: u32 = rs.value(0, 0).unwrap_or("0").parse().unwrap_or(0);
    let v = format!("{:02}.{:02}.{:04}", n / 10000, 0, n % 10000);
    st.dbms_ver = Some(v.clone());
    Ok(v)
}

/// One value the server knows about the session (current_database(), …).
fn ask(st: &DbcState, sql: &str) -> Result<String, E> {
    let Some(s) = st.session.clone() else {
        return err("08003", "connection not open");
    };
    let rs = lock(&s).exec(sql, None).map_err(E::Pg)?;
    Ok(rs.value(0, 0).unwrap_or("").to_string())
}

/// ODBC's reserved words (SQL_ODBC_KEYWORDS in sqlext.h): SQL_KEYWORDS
/// lists the server's reserved words that are not among them.
const ODBC_KEYWORDS: &str = "ABSOLUTE,ACTION,ADA,ADD,ALL,ALLOCATE,ALTER,AND,ANY,ARE,AS,ASC,\
ASSERTION,AT,AUTHORIZATION,AVG,BEGIN,BETWEEN,BIT,BIT_LENGTH,BOTH,BY,CASCADE,CASCADED,CASE,CAST,\
CATALOG,CHAR,CHAR_LENGTH,CHARACTER,CHARACTER_LENGTH,CHECK,CLOSE,COALESCE,COLLATE,COLLATION,\
COLUMN,COMMIT,CONNECT,CONNECTION,CONSTRAINT,CONSTRAINTS,CONTINUE,CONVERT,CORRESPONDING,COUNT,\
CREATE,CROSS,CURRENT,CURRENT_DATE,CURRENT_TIME,CURRENT_TIMESTAMP,CURRENT_USER,CURSOR,DATE,DAY,\
DEALLOCATE,DEC,DECIMAL,DECLARE,DEFAULT,DEFERRABLE,DEFERRED,DELETE,DESC,DESCRIBE,DESCRIPTOR,\
DIAGNOSTICS,DISCONNECT,DISTINCT,DOMAIN,DOUBLE,DROP,ELSE,END,END-EXEC,ESCAPE,EXCEPT,EXCEPTION,\
EXEC,EXECUTE,EXISTS,EXTERNAL,EXTRACT,FALSE,FETCH,FIRST,FLOAT,FOR,FOREIGN,FORTRAN,FOUND,FROM,\
FULL,GET,GLOBAL,GO,GOTO,GRANT,GROUP,HAVING,HOUR,IDENTITY,IMMEDIATE,IN,INCLUDE,INDEX,INDICATOR,\
INITIALLY,INNER,INPUT,INSENSITIVE,INSERT,INT,INTEGER,INTERSECT,INTERVAL,INTO,IS,ISOLATION,JOIN,\
KEY,LANGUAGE,LAST,LEADING,LEFT,LEVEL,LIKE,LOCAL,LOWER,MATCH,MAX,MIN,MINUTE,MODULE,MONTH,NAMES,\
NATIONAL,NATURAL,NCHAR,NEXT,NO,NONE,NOT,NULL,NULLIF,NUMERIC,OCTET_LENGTH,OF,ON,ONLY,OPEN,OPTION,\
OR,ORDER,OUTER,OUTPUT,OVERLAPS,PAD,PARTIAL,PASCAL,PLI,POSITION,PRECISION,PREPARE,PRESERVE,\
PRIMARY,PRIOR,PRIVILEGES,PROCEDURE,PUBLIC,READ,REAL,REFERENCES,RELATIVE,RESTRICT,REVOKE,RIGHT,\
ROLLBACK,ROWS,SCHEMA,SCROLL,SECOND,SECTION,SELECT,SESSION,SESSION_USER,SET,SIZE,SMALLINT,SOME,\
SPACE,SQL,SQLCA,SQLCODE,SQLERROR,SQLSTATE,SQLWARNING,SUBSTRING,SUM,SYSTEM_USER,TABLE,TEMPORARY,\
THEN,TIME,TIMESTAMP,TIMEZONE_HOUR,TIMEZONE_MINUTE,TO,TRAILING,TRANSACTION,TRANSLATE,TRANSLATION,\
TRIM,TRUE,UNION,UNIQUE,UNKNOWN,UPDATE,UPPER,USAGE,USER,USING,VALUE,VALUES,VARCHAR,VARYING,VIEW,\
WHEN,WHENEVER,WHERE,WITH,WORK,WRITE,YEAR,ZONE";

/// SQL_KEYWORDS: the server's reserved words (pg_get_keywords()) that
/// ODBC's list does not hold.
fn keywords(st: &DbcState) -> Result<String, E> {
    let Some(s) = st.session.clone() else {
        return err("08003", "connection not open");
    };
    let rs = lock(&s)
        .exec(
            "SELECT string_agg(upper(word), ',' ORDER BY word) FROM pg_catalog.pg_get_keywords() \
             WHERE catcode IN ('R', 'T') AND upper(word) <> ALL (string_to_array($1, ','))",
            Some(&[Some(ODBC_KEYWORDS)]),
        )
        .map_err(E::Pg)?;
    Ok(rs.value(0, 0).unwrap_or("").to_string())
}

/// SQL_DEFAULT_TXN_ISOLATION: the server's default_transaction_isolation.
fn default_isolation(st: &DbcState) -> Result<u32, E> {
    Ok(
        match ask(
            st,
            "SELECT current_setting('default_transaction_isolation')",
        )?
        .as_str()
        {
            "read uncommitted" => b::TXN_READ_UNCOMMITTED,
            "repeatable read" => b::TXN_REPEATABLE_READ,
            "serializable" => b::TXN_SERIALIZABLE,
            _ => b::TXN_READ_COMMITTED,
        },
    )
}

/// What CONVERT (a CAST on the server) turns a value of each kind into.
fn conversions(from: USmallInt) -> u32 {
    let chars = b::CVT_CHAR
        | b::CVT_VARCHAR
        | b::CVT_LONGVARCHAR
        | b::CVT_WCHAR
        | b::CVT_WVARCHAR
        | b::CVT_WLONGVARCHAR;
    let numbers = b::CVT_NUMERIC
        | b::CVT_DECIMAL
        | b::CVT_INTEGER
        | b::CVT_SMALLINT
        | b::CVT_BIGINT
        | b::CVT_FLOAT
        | b::CVT_REAL
        | b::CVT_DOUBLE;
    match from {
        // BIGINT, DECIMAL, DOUBLE, FLOAT, INTEGER, NUMERIC, REAL, SMALLINT
        53 | 58 | 59 | 60 | 61 | 63 | 64 | 65 => chars | numbers | b::CVT_BIT,
        55 => chars | b::CVT_BIT | b::CVT_INTEGER | b::CVT_SMALLINT | b::CVT_BIGINT, // BIT
        // CHAR, LONGVARCHAR, VARCHAR, WCHAR, WLONGVARCHAR, WVARCHAR
        56 | 62 | 70 | 122 | 125 | 126 => {
            chars
                | numbers
                | b::CVT_BIT
                | b::CVT_DATE
                | b::CVT_TIME
                | b::CVT_TIMESTAMP
                | b::CVT_GUID
                | b::CVT_LONGVARBINARY
        }
        57 => chars | b::CVT_DATE | b::CVT_TIMESTAMP, // DATE
        66 => chars | b::CVT_TIME,                    // TIME
        67 => chars | b::CVT_DATE | b::CVT_TIME | b::CVT_TIMESTAMP, // TIMESTAMP
        71 => chars | b::CVT_LONGVARBINARY,           // LONGVARBINARY (bytea)
        173 => chars | b::CVT_GUID,                   // GUID
        _ => 0, // TINYINT, BINARY, VARBINARY, intervals: no such types
    }
}

/// Every information type `get_info` answers (ODBC 3.8's list, with
/// ODBC 2's names for the same numbers; the driver manager answers the
/// handle types and SQL_DM_VER).
#[cfg(test)]
pub const INFO_TYPES: &[USmallInt] = &[
    0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75,
    77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
    100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118,
    119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 136, 137, 138,
    139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157,
    158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 172, 173, 10000, 10001, 10002,
    10003, 10004, 10005, 10021, 10022, 10023, 10024, 10025,
];

/// The types that need the server to answer.
#[cfg(test)]
pub const SERVER_INFO_TYPES: &[USmallInt] = &[13, 16, 18, 26, 47, 89];

pub fn get_info(st: &mut DbcState, kind: USmallInt) -> Result<Info, E> {
    use Info::*;
    let yn = |v: bool| Text(if v { "Y" } else { "N" }.into());
    let t = |v: &str| Text(v.into());
    Ok(match kind {
        0 => U16(0),                             // SQL_MAX_DRIVER_CONNECTIONS: no limit
        1 => U16(0),                             // SQL_MAX_CONCURRENT_ACTIVITIES: no limit
        2 => Text(st.dsn.clone()),               // SQL_DATA_SOURCE_NAME
        6 => t("libpgtc_odbc.so"),               // SQL_DRIVER_NAME
        7 => Text(driver_ver()),                 // SQL_DRIVER_VER
        8 => U32(1),                             // SQL_FETCH_DIRECTION: SQL_FD_FETCH_NEXT
        9 => U16(b::OAC_LEVEL1 as u16),          // SQL_ODBC_API_CONFORMANCE
        10 => t("03.51"),                        // SQL_ODBC_VER (the driver manager answers it)
        11 => yn(false),                         // SQL_ROW_UPDATES
        12 => U16(b::OSCC_NOT_COMPLIANT as u16), // SQL_ODBC_SAG_CLI_CONFORMANCE
        13 => Text(ask(
            st,
            "SELECT COALESCE(pg_catalog.host(pg_catalog.inet_server_addr()), 'localhost')",
        )?), // SQL_SERVER_NAME: the primary's address
        14 => t("\\"),                           // SQL_SEARCH_PATTERN_ESCAPE
        15 => U16(b::OSC_CORE as u16),           // SQL_ODBC_SQL_CONFORMANCE
        16 => Text(ask(st, "SELECT current_database()")?), // SQL_DATABASE_NAME
        17 => t("PostgreSQL"),                   // SQL_DBMS_NAME
        18 => Text(dbms_ver(st)?),               // SQL_DBMS_VER
        19 => yn(false), // SQL_ACCESSIBLE_TABLES: SQLTables lists every table
        20 => yn(false), // SQL_ACCESSIBLE_PROCEDURES
        21 => yn(true),  // SQL_PROCEDURES
        22 => U16(b::CB_NULL as u16), // SQL_CONCAT_NULL_BEHAVIOR: 'a' || NULL is NULL
        // SQL_CURSOR_COMMIT/ROLLBACK_BEHAVIOR: a result read whole stays
        // after COMMIT/ROLLBACK; one streamed through a portal (Fetch > 0)
        // ends with its transaction.
        23 | 24 => U16(if st.fetch == 0 {
            b::CB_PRESERVE
        } else {
            b::CB_CLOSE
        } as u16),
        25 => yn(st.read_only),            // SQL_DATA_SOURCE_READ_ONLY
        26 => U32(default_isolation(st)?), // SQL_DEFAULT_TXN_ISOLATION
        27 => yn(true),                    // SQL_EXPRESSIONS_IN_ORDERBY
        28 => U16(b::IC_LOWER as u16),     // SQL_IDENTIFIER_CASE
        29 => t("\""),                     // SQL_IDENTIFIER_QUOTE_CHAR
        // SQL_MAX_COLUMN_NAME_LEN, CURSOR_NAME, SCHEMA_NAME, PROCEDURE_NAME,
        // CATALOG_NAME, TABLE_NAME: NAMEDATALEN - 1.
        30..=35 => U16(63),
        36 => yn(true),                                // SQL_MULT_RESULT_SETS
        37 => yn(true),                                // SQL_MULTIPLE_ACTIVE_TXN
        38 => yn(true),                                // SQL_OUTER_JOINS
        39 => t("schema"),                             // SQL_SCHEMA_TERM
        40 => t("function"),                           // SQL_PROCEDURE_TERM
        41 => t("."),                                  // SQL_CATALOG_NAME_SEPARATOR
        42 => t("database"),                           // SQL_CATALOG_TERM
        43 => U32(b::SCCO_READ_ONLY),                  // SQL_SCROLL_CONCURRENCY
        44 => U32(b::SO_FORWARD_ONLY),                 // SQL_SCROLL_OPTIONS
        45 => t("table"),                              // SQL_TABLE_TERM
        46 => U16(b::TC_ALL as u16),                   // SQL_TXN_CAPABLE
        47 => Text(ask(st, "SELECT current_user")?),   // SQL_USER_NAME
        48 => U32(b::FN_CVT_CONVERT | b::FN_CVT_CAST), // SQL_CONVERT_FUNCTIONS
        49 => U32(
            // SQL_NUMERIC_FUNCTIONS
            b::FN_NUM_ABS
                | b::FN_NUM_CEILING
                | b::FN_NUM_FLOOR
                | b::FN_NUM_ROUND
                | b::FN_NUM_MOD
                | b::FN_NUM_POWER
                | b::FN_NUM_SQRT
                | b::FN_NUM_PI
                | b::FN_NUM_RAND
                | b::FN_NUM_LOG
                | b::FN_NUM_LOG10
                | b::FN_NUM_EXP
                | b::FN_NUM_SIGN
                | b::FN_NUM_TRUNCATE,
        ),
        50 => U32(
            // SQL_STRING_FUNCTIONS
            b::FN_STR_CONCAT
                | b::FN_STR_UCASE
                | b::FN_STR_LCASE
                | b::FN_STR_LENGTH
                | b::FN_STR_CHAR_LENGTH
                | b::FN_STR_CHARACTER_LENGTH
                | b::FN_STR_OCTET_LENGTH
                | b::FN_STR_BIT_LENGTH
                | b::FN_STR_SUBSTRING
                | b::FN_STR_LOCATE
                | b::FN_STR_LOCATE_2
                | b::FN_STR_LTRIM
                | b::FN_STR_RTRIM
                | b::FN_STR_SPACE
                | b::FN_STR_REPEAT
                | b::FN_STR_LEFT
                | b::FN_STR_RIGHT
                | b::FN_STR_REPLACE
                | b::FN_STR_ASCII
                | b::FN_STR_CHAR
                | b::FN_STR_INSERT,
        ),
        51 => U32(b::FN_SYS_IFNULL | b::FN_SYS_DBNAME | b::FN_SYS_USERNAME), // SQL_SYSTEM_FUNCTIONS
        52 => U32(
            // SQL_TIMEDATE_FUNCTIONS
            b::FN_TD_NOW
                | b::FN_TD_CURDATE
                | b::FN_TD_CURTIME
                | b::FN_TD_CURRENT_DATE
                | b::FN_TD_CURRENT_TIME
                | b::FN_TD_CURRENT_TIMESTAMP
                | b::FN_TD_DAYOFWEEK
                | b::FN_TD_DAYOFYEAR
                | b::FN_TD_DAYOFMONTH
                | b::FN_TD_MONTH
                | b::FN_TD_YEAR
                | b::FN_TD_HOUR
                | b::FN_TD_MINUTE
                | b::FN_TD_SECOND
                | b::FN_TD_DAYNAME
                | b::FN_TD_MONTHNAME
                | b::FN_TD_QUARTER
                | b::FN_TD_WEEK
                | b::FN_TD_TIMESTAMPADD
                | b::FN_TD_TIMESTAMPDIFF,
        ),
        53..=71 | 122..=126 | 173 => U32(conversions(kind)), // SQL_CONVERT_*
        72 => U32(b::TXN_READ_COMMITTED | b::TXN_REPEATABLE_READ | b::TXN_SERIALIZABLE), // SQL_TXN_ISOLATION_OPTION
        73 => yn(true),              // SQL_INTEGRITY (check, unique, foreign keys)
        74 => U16(b::CN_ANY as u16), // SQL_CORRELATION_NAME
        75 => U16(b::NNC_NON_NULL as u16), // SQL_NON_NULLABLE_COLUMNS
        77 => t("03.51"),            // SQL_DRIVER_ODBC_VER
        78 => U32(b::LCK_NO_CHANGE), // SQL_LOCK_TYPES
        79 | 80 | 82 | 83 => U32(0), // POS_OPERATIONS, POSITIONED_STATEMENTS, BOOKMARK_PERSISTENCE, STATIC_SENSITIVITY
        81 => U32(b::GD_ANY_COLUMN | b::GD_ANY_ORDER), // SQL_GETDATA_EXTENSIONS
        84 => U16(b::FILE_NOT_SUPPORTED as u16), // SQL_FILE_USAGE
        85 => U16(b::NC_HIGH as u16), // SQL_NULL_COLLATION: NULLs sort last ascending
        86 => U32(
            // SQL_ALTER_TABLE
            b::AT_ADD_COLUMN_SINGLE
                | b::AT_ADD_COLUMN_DEFAULT
                | b::AT_ADD_COLUMN_COLLATION
                | b::AT_SET_COLUMN_DEFAULT
                | b::AT_DROP_COLUMN_DEFAULT
                | b::AT_DROP_COLUMN_CASCADE
                | b::AT_DROP_COLUMN_RESTRICT
                | b::AT_ADD_TABLE_CONSTRAINT
                | b::AT_DROP_TABLE_CONSTRAINT_CASCADE
                | b::AT_DROP_TABLE_CONSTRAINT_RESTRICT
                | b::AT_CONSTRAINT_NAME_DEFINITION
                | b::AT_CONSTRAINT_INITIALLY_DEFERRED
                | b::AT_CONSTRAINT_INITIALLY_IMMEDIATE
                | b::AT_CONSTRAINT_DEFERRABLE
                | b::AT_CONSTRAINT_NON_DEFERRABLE
                | b::AT_ADD_COLUMN
                | b::AT_DROP_COLUMN
                | b::AT_ADD_CONSTRAINT,
        ),
        87 => yn(true),                                   // SQL_COLUMN_ALIAS
        88 => U16(b::GB_GROUP_BY_CONTAINS_SELECT as u16), // SQL_GROUP_BY
        89 => Text(keywords(st)?),                        // SQL_KEYWORDS
        90 => yn(false),                                  // SQL_ORDER_BY_COLUMNS_IN_SELECT
        91 => U32(
            // SQL_SCHEMA_USAGE
            b::SU_DML_STATEMENTS
                | b::SU_PROCEDURE_INVOCATION
                | b::SU_TABLE_DEFINITION
                | b::SU_INDEX_DEFINITION
                | b::SU_PRIVILEGE_DEFINITION,
        ),
        92 => U32(b::CU_DML_STATEMENTS), // SQL_CATALOG_USAGE: the current database only
        93 => U16(b::IC_SENSITIVE as u16), // SQL_QUOTED_IDENTIFIER_CASE
        94 => t("_$"),                   // SQL_SPECIAL_CHARACTERS (besides a-z, 0-9, _)
        95 => U32(
            // SQL_SUBQUERIES
            b::SQ_COMPARISON
                | b::SQ_EXISTS
                | b::SQ_IN
                | b::SQ_QUANTIFIED
                | b::SQ_CORRELATED_SUBQUERIES,
        ),
        96 => U32(b::U_UNION | b::U_UNION_ALL), // SQL_UNION
        97 | 99 => U16(0),                      // SQL_MAX_COLUMNS_IN_GROUP_BY / ORDER_BY: no limit
        98 => U16(32),                          // SQL_MAX_COLUMNS_IN_INDEX (INDEX_MAX_KEYS)
        100 => U16(1664),    // SQL_MAX_COLUMNS_IN_SELECT (MaxTupleAttributeNumber)
        101 => U16(1600),    // SQL_MAX_COLUMNS_IN_TABLE (MaxHeapAttributeNumber)
        102 => U32(0),       // SQL_MAX_INDEX_SIZE: depends on the values
        103 => yn(false),    // SQL_MAX_ROW_SIZE_INCLUDES_LONG
        104 | 105 => U32(0), // SQL_MAX_ROW_SIZE, SQL_MAX_STATEMENT_LEN: no limit
        106 => U16(0),       // SQL_MAX_TABLES_IN_SELECT: no limit
        107 => U16(63),      // SQL_MAX_USER_NAME_LEN
        108 | 112 => U32(0), // SQL_MAX_CHAR/BINARY_LITERAL_LEN: no limit
        109 | 110 => U32(
            // SQL_TIMEDATE_ADD_INTERVALS, SQL_TIMEDATE_DIFF_INTERVALS
            b::FN_TSI_FRAC_SECOND
                | b::FN_TSI_SECOND
                | b::FN_TSI_MINUTE
                | b::FN_TSI_HOUR
                | b::FN_TSI_DAY
                | b::FN_TSI_WEEK
                | b::FN_TSI_MONTH
                | b::FN_TSI_QUARTER
                | b::FN_TSI_YEAR,
        ),
        111 => yn(false),               // SQL_NEED_LONG_DATA_LEN
        113 => yn(true),                // SQL_LIKE_ESCAPE_CLAUSE
        114 => U16(b::CL_START as u16), // SQL_CATALOG_LOCATION
        115 => U32(
            // SQL_OJ_CAPABILITIES
            b::OJ_LEFT
                | b::OJ_RIGHT
                | b::OJ_FULL
                | b::OJ_NESTED
                | b::OJ_NOT_ORDERED
                | b::OJ_INNER
                | b::OJ_ALL_COMPARISON_OPS,
        ),
        116 => U16(0), // SQL_ACTIVE_ENVIRONMENTS: no limit
        117 => U32(
            // SQL_ALTER_DOMAIN
            b::AD_ADD_DOMAIN_CONSTRAINT
                | b::AD_ADD_DOMAIN_DEFAULT
                | b::AD_CONSTRAINT_NAME_DEFINITION
                | b::AD_DROP_DOMAIN_CONSTRAINT
                | b::AD_DROP_DOMAIN_DEFAULT,
        ),
        118 => U32(b::SC_SQL92_ENTRY), // SQL_SQL_CONFORMANCE
        119 => U32(
            // SQL_DATETIME_LITERALS
            b::DL_SQL92_DATE
                | b::DL_SQL92_TIME
                | b::DL_SQL92_TIMESTAMP
                | b::DL_SQL92_INTERVAL_YEAR
                | b::DL_SQL92_INTERVAL_MONTH
                | b::DL_SQL92_INTERVAL_DAY
                | b::DL_SQL92_INTERVAL_HOUR
                | b::DL_SQL92_INTERVAL_MINUTE
                | b::DL_SQL92_INTERVAL_SECOND
                | b::DL_SQL92_INTERVAL_YEAR_TO_MONTH
                | b::DL_SQL92_INTERVAL_DAY_TO_HOUR
                | b::DL_SQL92_INTERVAL_DAY_TO_MINUTE
                | b::DL_SQL92_INTERVAL_DAY_TO_SECOND
                | b::DL_SQL92_INTERVAL_HOUR_TO_MINUTE
                | b::DL_SQL92_INTERVAL_HOUR_TO_SECOND
                | b::DL_SQL92_INTERVAL_MINUTE_TO_SECOND,
        ),
        // SQL_BATCH_ROW_COUNT: each statement of a text has its own count
        // (SQLMoreResults).
        120 => U32(b::BRC_EXPLICIT),
        121 => U32(b::BS_SELECT_EXPLICIT | b::BS_ROW_COUNT_EXPLICIT), // SQL_BATCH_SUPPORT
        127 | 128 | 133 | 136 | 137 | 142 => U32(0), // assertions, character sets, translations
        129 => U32(b::CCOL_CREATE_COLLATION),        // SQL_CREATE_COLLATION
        130 => U32(
            // SQL_CREATE_DOMAIN
            b::CDO_CREATE_DOMAIN
                | b::CDO_DEFAULT
                | b::CDO_CONSTRAINT
                | b::CDO_COLLATION
                | b::CDO_CONSTRAINT_NAME_DEFINITION
                | b::CDO_CONSTRAINT_INITIALLY_DEFERRED
                | b::CDO_CONSTRAINT_INITIALLY_IMMEDIATE
                | b::CDO_CONSTRAINT_DEFERRABLE
                | b::CDO_CONSTRAINT_NON_DEFERRABLE,
        ),
        131 => U32(b::CS_CREATE_SCHEMA | b::CS_AUTHORIZATION), // SQL_CREATE_SCHEMA
        132 => U32(
            // SQL_CREATE_TABLE
            b::CT_CREATE_TABLE
                | b::CT_COMMIT_PRESERVE
                | b::CT_COMMIT_DELETE
                | b::CT_LOCAL_TEMPORARY
                | b::CT_CONSTRAINT_INITIALLY_DEFERRED
                | b::CT_CONSTRAINT_INITIALLY_IMMEDIATE
                | b::CT_CONSTRAINT_DEFERRABLE
                | b::CT_CONSTRAINT_NON_DEFERRABLE
                | b::CT_COLUMN_CONSTRAINT
                | b::CT_COLUMN_DEFAULT
                | b::CT_COLUMN_COLLATION
                | b::CT_TABLE_CONSTRAINT
                | b::CT_CONSTRAINT_NAME_DEFINITION,
        ),
        134 => U32(b::CV_CREATE_VIEW | b::CV_CHECK_OPTION | b::CV_CASCADED | b::CV_LOCAL), // SQL_CREATE_VIEW
        138 => U32(b::DC_DROP_COLLATION), // SQL_DROP_COLLATION
        139 => U32(b::DD_DROP_DOMAIN | b::DD_RESTRICT | b::DD_CASCADE), // SQL_DROP_DOMAIN
        140 => U32(b::DS_DROP_SCHEMA | b::DS_RESTRICT | b::DS_CASCADE), // SQL_DROP_SCHEMA
        141 => U32(b::DT_DROP_TABLE | b::DT_RESTRICT | b::DT_CASCADE), // SQL_DROP_TABLE
        143 => U32(b::DV_DROP_VIEW | b::DV_RESTRICT | b::DV_CASCADE), // SQL_DROP_VIEW
        // Dynamic, keyset-driven and static cursors: none.
        144 | 145 | 150 | 151 | 167 | 168 => U32(0),
        146 => U32(b::CA1_NEXT), // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1
        147 => U32(b::CA2_READ_ONLY_CONCURRENCY), // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2
        148 => U32(b::IK_ALL),   // SQL_INDEX_KEYWORDS
        149 => U32(
            // SQL_INFO_SCHEMA_VIEWS (those PostgreSQL's information_schema has)
            b::ISV_CHARACTER_SETS
                | b::ISV_CHECK_CONSTRAINTS
                | b::ISV_COLLATIONS
                | b::ISV_COLUMN_DOMAIN_USAGE
                | b::ISV_COLUMN_PRIVILEGES
                | b::ISV_COLUMNS
                | b::ISV_CONSTRAINT_COLUMN_USAGE
                | b::ISV_CONSTRAINT_TABLE_USAGE
                | b::ISV_DOMAIN_CONSTRAINTS
                | b::ISV_DOMAINS
                | b::ISV_KEY_COLUMN_USAGE
                | b::ISV_REFERENTIAL_CONSTRAINTS
                | b::ISV_SCHEMATA
                | b::ISV_SQL_LANGUAGES
                | b::ISV_TABLE_CONSTRAINTS
                | b::ISV_TABLE_PRIVILEGES
                | b::ISV_TABLES
                | b::ISV_USAGE_PRIVILEGES
                | b::ISV_VIEW_COLUMN_USAGE
                | b::ISV_VIEW_TABLE_USAGE
                | b::ISV_VIEWS,
        ),
        152 => U32(b::OIC_CORE), // SQL_ODBC_INTERFACE_CONFORMANCE
        // SQL_PARAM_ARRAY_ROW_COUNTS: one count for the whole array.
        153 => U32(b::PARC_NO_BATCH),
        154 => U32(b::PAS_NO_SELECT), // SQL_PARAM_ARRAY_SELECTS
        155 => U32(b::SDF_CURRENT_DATE | b::SDF_CURRENT_TIME | b::SDF_CURRENT_TIMESTAMP), // SQL_SQL92_DATETIME_FUNCTIONS
        156 => U32(b::SFKD_CASCADE | b::SFKD_NO_ACTION | b::SFKD_SET_DEFAULT | b::SFKD_SET_NULL), // SQL_SQL92_FOREIGN_KEY_DELETE_RULE
        157 => U32(b::SFKU_CASCADE | b::SFKU_NO_ACTION | b::SFKU_SET_DEFAULT | b::SFKU_SET_NULL), // SQL_SQL92_FOREIGN_KEY_UPDATE_RULE
        158 => U32(
            // SQL_SQL92_GRANT
            b::SG_USAGE_ON_DOMAIN
                | b::SG_WITH_GRANT_OPTION
                | b::SG_DELETE_TABLE
                | b::SG_INSERT_TABLE
                | b::SG_INSERT_COLUMN
                | b::SG_REFERENCES_TABLE
                | b::SG_REFERENCES_COLUMN
                | b::SG_SELECT_TABLE
                | b::SG_UPDATE_COLUMN
                | b::SG_UPDATE_TABLE,
        ),
        159 => U32(
            // SQL_SQL92_NUMERIC_VALUE_FUNCTIONS
            b::SNVF_BIT_LENGTH
                | b::SNVF_CHAR_LENGTH
                | b::SNVF_CHARACTER_LENGTH
                | b::SNVF_EXTRACT
                | b::SNVF_OCTET_LENGTH
                | b::SNVF_POSITION,
        ),
        160 => U32(
            // SQL_SQL92_PREDICATES
            b::SP_EXISTS
                | b::SP_ISNOTNULL
                | b::SP_ISNULL
                | b::SP_MATCH_FULL
                | b::SP_MATCH_UNIQUE_FULL
                | b::SP_OVERLAPS
                | b::SP_LIKE
                | b::SP_IN
                | b::SP_BETWEEN
                | b::SP_COMPARISON
                | b::SP_QUANTIFIED_COMPARISON,
        ),
        161 => U32(
            // SQL_SQL92_RELATIONAL_JOIN_OPERATORS
            b::SRJO_CROSS_JOIN
                | b::SRJO_EXCEPT_JOIN
                | b::SRJO_FULL_OUTER_JOIN
                | b::SRJO_INNER_JOIN
                | b::SRJO_INTERSECT_JOIN
                | b::SRJO_LEFT_OUTER_JOIN
                | b::SRJO_NATURAL_JOIN
                | b::SRJO_RIGHT_OUTER_JOIN,
        ),
        162 => U32(
            // SQL_SQL92_REVOKE
            b::SR_USAGE_ON_DOMAIN
                | b::SR_GRANT_OPTION_FOR
                | b::SR_CASCADE
                | b::SR_RESTRICT
                | b::SR_DELETE_TABLE
                | b::SR_INSERT_TABLE
                | b::SR_INSERT_COLUMN
                | b::SR_REFERENCES_TABLE
                | b::SR_REFERENCES_COLUMN
                | b::SR_SELECT_TABLE
                | b::SR_UPDATE_COLUMN
                | b::SR_UPDATE_TABLE,
        ),
        163 => {
            U32(b::SRVC_VALUE_EXPRESSION | b::SRVC_NULL | b::SRVC_DEFAULT | b::SRVC_ROW_SUBQUERY)
        } // SQL_SQL92_ROW_VALUE_CONSTRUCTOR
        164 => U32(
            // SQL_SQL92_STRING_FUNCTIONS
            b::SSF_LOWER
                | b::SSF_UPPER
                | b::SSF_SUBSTRING
                | b::SSF_TRIM_BOTH
                | b::SSF_TRIM_LEADING
                | b::SSF_TRIM_TRAILING,
        ),
        165 => U32(b::SVE_CASE | b::SVE_CAST | b::SVE_COALESCE | b::SVE_NULLIF), // SQL_SQL92_VALUE_EXPRESSIONS
        166 => U32(0), // SQL_STANDARD_CLI_CONFORMANCE: none claimed
        169 => U32(
            // SQL_AGGREGATE_FUNCTIONS
            b::AF_ALL
                | b::AF_AVG
                | b::AF_COUNT
                | b::AF_DISTINCT
                | b::AF_MAX
                | b::AF_MIN
                | b::AF_SUM,
        ),
        170 => U32(b::DI_CREATE_INDEX | b::DI_DROP_INDEX), // SQL_DDL_INDEX
        172 => U32(b::IS_INSERT_LITERALS | b::IS_INSERT_SEARCHED | b::IS_SELECT_INTO), // SQL_INSERT_STATEMENT
        10000 => t("1995"),           // SQL_XOPEN_CLI_YEAR
        10001 => U32(b::INSENSITIVE), // SQL_CURSOR_SENSITIVITY: results are snapshots
        10002 => yn(false),           // SQL_DESCRIBE_PARAMETER
        10003 => yn(true),            // SQL_CATALOG_NAME
        10004 => t(""),               // SQL_COLLATION_SEQ: the database's, not known here
        10005 => U16(63),             // SQL_MAX_IDENTIFIER_LEN
        10021 => U32(b::AM_NONE),     // SQL_ASYNC_MODE
        10022 => U32(0),              // SQL_MAX_ASYNC_CONCURRENT_STATEMENTS
        10023 => U32(0),              // SQL_ASYNC_DBC_FUNCTIONS: SQL_ASYNC_DBC_NOT_CAPABLE
        10024 => U32(0),              // SQL_DRIVER_AWARE_POOLING_SUPPORTED: NOT_CAPABLE
        10025 => U32(0),              // SQL_ASYNC_NOTIFICATION: NOT_CAPABLE
        _ => {
            return err(
                "HY096",
                format!("information type {} is not supported", kind),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_info_type_answers() {
        use crate::api::*;
        use crate::sys::SqlReturn;
        use std::ptr::null_mut;
        unsafe {
            let mut e = null_mut();
            assert_eq!(SQLAllocHandle(1, null_mut(), &mut e), SqlReturn::SUCCESS);
            assert_eq!(SQLSetEnvAttr(e, 200, 3 as _, 0), SqlReturn::SUCCESS);
            let mut d = null_mut();
            assert_eq!(SQLAllocHandle(2, e, &mut d), SqlReturn::SUCCESS);
            let mut buf = [0u8; 64];
            let mut len = 0i16;
            for &k in INFO_TYPES {
                let r = SQLGetInfo(d, k, buf.as_mut_ptr().cast(), 64, &mut len);
                let want = if SERVER_INFO_TYPES.contains(&k) {
                    SqlReturn::ERROR
                } else {
                    SqlReturn::SUCCESS
                };
                assert_eq!(r, want, "info type {}", k);
            }
            // The numbers ODBC 3.8 defines, all of them here but the
            // driver manager's own.
            let dm = [3, 4, 5, 76, 135, 171];
            for k in (0..=173).chain(10000..=10005).chain(10021..=10025) {
                assert!(
                    INFO_TYPES.contains(&k) || dm.contains(&k),
                    "info type {} is not answered",
                    k
                );
            }
            for k in [174, 9999, 20000] {
                assert_eq!(
                    SQLGetInfo(d, k, buf.as_mut_ptr().cast(), 64, &mut len),
                    SqlReturn::ERROR
                );
            }
            // A string cut short: 01004, the full length.
            assert_eq!(
                SQLGetInfo(d, 14, buf.as_mut_ptr().cast(), 1, &mut len),
                SqlReturn::SUCCESS_WITH_INFO
            );
            assert_eq!((buf[0], len), (0, 1));
            assert_eq!(SQLFreeHandle(2, d), SqlReturn::SUCCESS);
            assert_eq!(SQLFreeHandle(1, e), SqlReturn::SUCCESS);
        }
    }
}
