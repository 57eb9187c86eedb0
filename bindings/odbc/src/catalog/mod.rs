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

mod args;
mod facts;
mod queries;
mod shapes;
#[cfg(test)]
mod tests;

pub use args::*;
pub use facts::*;
pub use queries::*;
pub use shapes::*;
