//! ODBC's C types and return codes, as sql.h/sqltypes.h define them for
//! 64-bit unixODBC. (The odbc-sys crate has these too, but it links
//! libodbc, the driver manager, into whatever uses it: a driver that the
//! driver manager loads must not depend on the driver manager.)

pub type SmallInt = i16;
pub type USmallInt = u16;
pub type Integer = i32;
pub type Len = isize;
pub type ULen = usize;

/// SQLRETURN.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlReturn(pub i16);

impl SqlReturn {
    pub const SUCCESS: SqlReturn = SqlReturn(0);
    pub const SUCCESS_WITH_INFO: SqlReturn = SqlReturn(1);
    pub const NO_DATA: SqlReturn = SqlReturn(100);
    pub const ERROR: SqlReturn = SqlReturn(-1);
    pub const INVALID_HANDLE: SqlReturn = SqlReturn(-2);
}

/// ODBC's C data types (sqlext.h), shared by fetching and binding.
pub mod c_types {
    pub const SQL_C_CHAR: i16 = 1;
    pub const SQL_C_NUMERIC: i16 = 2;
    pub const SQL_C_LONG: i16 = 4;
    pub const SQL_C_SHORT: i16 = 5;
    pub const SQL_C_FLOAT: i16 = 7;
    pub const SQL_C_DOUBLE: i16 = 8;
    pub const SQL_C_DATE: i16 = 9;
    pub const SQL_C_TIME: i16 = 10;
    pub const SQL_C_TIMESTAMP: i16 = 11;
    pub const SQL_C_TYPE_DATE: i16 = 91;
    pub const SQL_C_TYPE_TIME: i16 = 92;
    pub const SQL_C_TYPE_TIMESTAMP: i16 = 93;
    pub const SQL_C_DEFAULT: i16 = 99;
    pub const SQL_C_BINARY: i16 = -2;
    pub const SQL_C_TINYINT: i16 = -6;
    pub const SQL_C_BIT: i16 = -7;
    pub const SQL_C_WCHAR: i16 = -8;
    pub const SQL_C_GUID: i16 = -11;
    pub const SQL_C_SSHORT: i16 = -15;
    pub const SQL_C_SLONG: i16 = -16;
    pub const SQL_C_USHORT: i16 = -17;
    pub const SQL_C_ULONG: i16 = -18;
    pub const SQL_C_SBIGINT: i16 = -25;
    pub const SQL_C_STINYINT: i16 = -26;
    pub const SQL_C_UBIGINT: i16 = -27;
    pub const SQL_C_UTINYINT: i16 = -28;
}
