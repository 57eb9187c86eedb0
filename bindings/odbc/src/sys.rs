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
