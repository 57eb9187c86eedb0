package io.pgtc.jdbc;

import java.sql.Types;

/**
 * PostgreSQL type OIDs → {@link java.sql.Types}, the class {@code getObject} returns, the type's
 * name, precision and scale, as PgJDBC maps them (TypeInfoCache). Types not listed are {@code
 * OTHER} read as String; arrays are {@code ARRAY} read as their text.
 */
final class TypeMap {
    private TypeMap() {}

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int CHAR = 18;
    static final int NAME = 19;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int XML = 142;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int MONEY = 790;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int INTERVAL = 1186;
    static final int TIMETZ = 1266;
    static final int BIT = 1560;
    static final int NUMERIC = 1700;
    static final int UUID = 2950;
    static final int JSONB = 3802;

    static int sqlType(int oid) {
        switch (oid) {
            case BOOL:
            case BIT:
                return Types.BIT;
            case BYTEA:
                return Types.BINARY;
            case CHAR:
            case BPCHAR:
                return Types.CHAR;
            case NAME:
            case TEXT:
            case VARCHAR:
                return Types.VARCHAR;
            case INT8:
            case OID:
                return Types.BIGINT;
            case INT2:
                return Types.SMALLINT;
            case INT4:
                return Types.INTEGER;
            case XML:
                return Types.SQLXML;
            case FLOAT4:
                return Types.REAL;
            case FLOAT8:
            case MONEY:
                return Types.DOUBLE;
            case DATE:
                return Types.DATE;
            case TIME:
            case TIMETZ:
                return Types.TIME;
            case TIMESTAMP:
            case TIMESTAMPTZ:
                return Types.TIMESTAMP;
            case NUMERIC:
                return Types.NUMERIC;
            default:
                return isArray(oid) ? Types.ARRAY : Types.OTHER;
        }
    }

    /** The built-in array types (_int4, _text, …), which read as their text here. */
    static boolean isArray(int oid) {
        switch (oid) {
            case 1000: case 1001: case 1005: case 1007: case 1009: case 1014: case 1015:
            case 1016: case 1021: case 1022: case 1115: case 1182: case 1183: case 1185:
            case 1231: case 2951: case 199: case 3807: case 1270:
                return true;
            default:
                return false;
        }
    }

    static String className(int oid) {
        switch (sqlType(oid)) {
            case Types.BIT:
                return "java.lang.Boolean";
            case Types.BINARY:
                return "[B";
            case Types.BIGINT:
                return "java.lang.Long";
            case Types.SMALLINT:
            case Types.INTEGER:
                return "java.lang.Integer";
            case Types.REAL:
                return "java.lang.Float";
            case Types.DOUBLE:
                return "java.lang.Double";
            case Types.DATE:
                return "java.sql.Date";
            case Types.TIME:
                return "java.sql.Time";
            case Types.TIMESTAMP:
                return "java.sql.Timestamp";
            case Types.NUMERIC:
                return "java.math.BigDecimal";
            default:
                return oid == UUID ? "java.util.UUID" : "java.lang.String";
        }
    }

    static String name(int oid) {
        switch (oid) {
            case BOOL: return "bool";
            case BYTEA: return "bytea";
            case CHAR: return "char";
            case NAME: return "name";
            case INT8: return "int8";
            case INT2: return "int2";
            case INT4: return "int4";
            case TEXT: return "text";
            case OID: return "oid";
            case JSON: return "json";
            case XML: return "xml";
            case FLOAT4: return "float4";
            case FLOAT8: return "float8";
            case MONEY: return "money";
            case BPCHAR: return "bpchar";
            case VARCHAR: return "varchar";
            case DATE: return "date";
            case TIME: return "time";
            case TIMESTAMP: return "timestamp";
            case TIMESTAMPTZ: return "timestamptz";
            case INTERVAL: return "interval";
            case TIMETZ: return "timetz";
            case BIT: return "bit";
            case NUMERIC: return "numeric";
            case UUID: return "uuid";
            case JSONB: return "jsonb";
            default: return isArray(oid) ? "_array" : "unknown";
        }
    }

    /** The OID a JDBC type is sent as (0: the server infers it). */
    static int oidOf(int sqlType) {
        switch (sqlType) {
            case Types.BIT:
            case Types.BOOLEAN:
                return BOOL;
            case Types.TINYINT:
            case Types.SMALLINT:
                return INT2;
            case Types.INTEGER:
                return INT4;
            case Types.BIGINT:
                return INT8;
            case Types.REAL:
                return FLOAT4;
            case Types.FLOAT:
            case Types.DOUBLE:
                return FLOAT8;
            case Types.NUMERIC:
            case Types.DECIMAL:
                return NUMERIC;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return BYTEA;
            case Types.DATE:
                return DATE;
            case Types.TIME:
                return TIME;
            case Types.TIMESTAMP:
                return TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return TIMESTAMPTZ;
            case Types.TIME_WITH_TIMEZONE:
                return TIMETZ;
            case Types.SQLXML:
                return XML;
            default:
                return 0; // CHAR, VARCHAR, OTHER, NULL, …: as the server infers
        }
    }

    static int precision(int oid, int typmod) {
        switch (oid) {
            case INT2: return 5;
            case INT4: case OID: return 10;
            case INT8: return 19;
            case FLOAT4: return 8;
            case FLOAT8: return 17;
            case BOOL: case BIT: return 1;
            case DATE: return 13;
            case TIME: return typmod < 0 ? 15 : 9 + typmod;
            case TIMESTAMP: return typmod < 0 ? 29 : 20 + typmod;
            case TIMESTAMPTZ: return typmod < 0 ? 35 : 26 + typmod;
            case NUMERIC: return typmod < 4 ? 0 : ((typmod - 4) >> 16) & 0xffff;
            case BPCHAR: case VARCHAR: return typmod < 4 ? Integer.MAX_VALUE : typmod - 4;
            case UUID: return 36;
            default: return Integer.MAX_VALUE;
        }
    }

    static int scale(int oid, int typmod) {
        switch (oid) {
            case NUMERIC: return typmod < 4 ? 0 : (typmod - 4) & 0xffff;
            case FLOAT4: return 8;
            case FLOAT8: return 17;
            case TIME: case TIMESTAMP: case TIMESTAMPTZ: return typmod < 0 ? 6 : typmod;
            default: return 0;
        }
    }

    static boolean signed(int oid) {
        switch (oid) {
            case INT2: case INT4: case INT8: case FLOAT4: case FLOAT8: case NUMERIC: case MONEY:
                return true;
            default:
                return false;
        }
    }
}
