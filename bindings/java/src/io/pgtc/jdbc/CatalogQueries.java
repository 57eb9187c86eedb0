package io.pgtc.jdbc;

import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.PointerByReference;
import io.pgtc.PgtcLibrary.SizeT;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The catalog calls of DatabaseMetaData (getTables, getColumns, keys, indexes, types, routines,
 * …): queries over pg_catalog that return PgJDBC's columns, column types and rows, so that
 * frameworks tested with PgJDBC read them alike (bindings/java/hikari-tests' MetaDataChecks
 * compares them). Public methods named as DatabaseMetaData's; {@link PgtcDatabaseMetaData}
 * answers through them.
 */
class CatalogQueries {
    final PgtcConnection conn;

    CatalogQueries(PgtcConnection conn) {
        this.conn = conn;
    }

    /** Runs a catalog query with text parameters; the ResultSet owns its result. */
    private ResultSet query(String sql, String... params) throws SQLException {
        return conn.run(0, h -> {
            StringArray array = params.length == 0 ? null : new StringArray(params, "UTF-8");
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            int st = PgtcConnection.LIB.pgtc_conn_exec_params(h, sql, new SizeT(params.length), array, out, err);
            java.lang.ref.Reference.reachabilityFence(array);
            Errors.check(st, err);
            Pointer r = out.getValue();
            return PgtcResultSet.owned(conn, r);
        });
    }

    private static String like(String pattern) {
        return pattern == null ? "%" : pattern;
    }

    /** A pg_class row's JDBC table type, as PgJDBC classifies it (getTableTypes lists them). */
    private static final String TABLE_TYPE =
            "CASE WHEN n.nspname IN ('pg_catalog', 'information_schema') THEN CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX' END"
                    + " WHEN n.nspname = 'pg_toast' THEN CASE c.relkind WHEN 'r' THEN 'SYSTEM TOAST TABLE' WHEN 'i' THEN 'SYSTEM TOAST INDEX' END"
                    + " WHEN n.nspname ~ '^pg_' THEN CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'p' THEN 'TEMPORARY TABLE' WHEN 'i' THEN 'TEMPORARY INDEX'"
                    + " WHEN 'S' THEN 'TEMPORARY SEQUENCE' WHEN 'v' THEN 'TEMPORARY VIEW' END"
                    + " ELSE CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'PARTITIONED INDEX'"
                    + " WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'c' THEN 'TYPE' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' END END";

    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
        String typeFilter = "";
        if (types != null) {
            StringBuilder sb = new StringBuilder(" AND (").append(TABLE_TYPE).append(") IN (");
            for (int i = 0; i < types.length; i++) {
                sb.append(i > 0 ? "," : "").append('\'').append(types[i].replace("'", "''")).append('\'');
            }
            typeFilter = sb.append(')').toString();
        }
        return query(
                "SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\", "
                        + TABLE_TYPE + " AS \"TABLE_TYPE\", d.description AS \"REMARKS\", ''::text AS \"TYPE_CAT\", ''::text AS \"TYPE_SCHEM\","
                        + " ''::text AS \"TYPE_NAME\", ''::text AS \"SELF_REFERENCING_COL_NAME\", ''::text AS \"REF_GENERATION\""
                        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = 'pg_catalog.pg_class'::regclass"
                        + " WHERE n.nspname LIKE $1 AND c.relname LIKE $2 AND (" + TABLE_TYPE + ") IS NOT NULL" + typeFilter
                        + " ORDER BY 4, 2, 3",
                like(schemaPattern), like(tableNamePattern));
    }

    public ResultSet getTableTypes() throws SQLException {
        return query("SELECT t AS \"TABLE_TYPE\" FROM unnest(ARRAY['FOREIGN TABLE','INDEX','MATERIALIZED VIEW','PARTITIONED INDEX','PARTITIONED TABLE','SEQUENCE','SYSTEM INDEX','SYSTEM TABLE',"
                + "'SYSTEM TOAST INDEX','SYSTEM TOAST TABLE','SYSTEM VIEW','TABLE','TEMPORARY INDEX','TEMPORARY SEQUENCE','TEMPORARY TABLE','TEMPORARY VIEW','TYPE','VIEW']) t ORDER BY 1");
    }

    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        return query("SELECT nspname AS \"TABLE_SCHEM\", current_database() AS \"TABLE_CATALOG\" FROM pg_catalog.pg_namespace"
                + " WHERE nspname <> 'pg_toast' AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%' AND nspname LIKE $1 ORDER BY 1", like(schemaPattern));
    }

    public ResultSet getCatalogs() throws SQLException {
        return query("SELECT datname AS \"TABLE_CAT\" FROM pg_catalog.pg_database WHERE datallowconn ORDER BY 1");
    }

    /** java.sql.Types of a pg_type OID, as a SQL CASE over {@code expr}. */
    private static String jdbcType(String expr) {
        return "CASE " + expr + " WHEN 16 THEN -7 WHEN 17 THEN -2 WHEN 18 THEN 1 WHEN 19 THEN 12 WHEN 20 THEN -5 WHEN 21 THEN 5"
                + " WHEN 23 THEN 4 WHEN 25 THEN 12 WHEN 26 THEN -5 WHEN 142 THEN 2009 WHEN 700 THEN 7 WHEN 701 THEN 8 WHEN 790 THEN 8"
                + " WHEN 1042 THEN 1 WHEN 1043 THEN 12 WHEN 1082 THEN 91 WHEN 1083 THEN 92 WHEN 1266 THEN 92 WHEN 1114 THEN 93"
                + " WHEN 1184 THEN 93 WHEN 1560 THEN -7 WHEN 1700 THEN 2 ELSE CASE WHEN t.typcategory = 'A' THEN 2003 ELSE 1111 END END";
    }

    /** COLUMN_SIZE of a column (a.atttypmod, t the type), as PgJDBC gives it. */
    private static final String COLUMN_SIZE =
            "(CASE WHEN t.oid = 1700 AND a.atttypmod >= 4 THEN ((a.atttypmod - 4) >> 16) & 65535 WHEN t.oid = 1700 THEN 1000"
                    + " WHEN t.oid IN (1042, 1043) AND a.atttypmod >= 4 THEN a.atttypmod - 4"
                    + " WHEN t.oid = 21 THEN 5 WHEN t.oid = 23 THEN 10 WHEN t.oid IN (20, 26) THEN 19 WHEN t.oid = 700 THEN 8 WHEN t.oid = 701 THEN 17"
                    + " WHEN t.oid = 16 THEN 1 WHEN t.oid = 18 THEN 1 WHEN t.oid = 19 THEN 63 WHEN t.oid = 1082 THEN 13 WHEN t.oid = 1083 THEN 15 WHEN t.oid = 1266 THEN 21"
                    + " WHEN t.oid = 1114 THEN 29 WHEN t.oid = 1184 THEN 35 ELSE 2147483647 END)";

    /** DECIMAL_DIGITS of a column (a.atttypmod, t the type), as PgJDBC gives it. */
    private static final String DECIMAL_DIGITS =
            "(CASE WHEN t.oid = 1700 AND a.atttypmod >= 4 THEN (a.atttypmod - 4) & 65535 WHEN t.oid = 1700 THEN 1000"
                    + " WHEN t.oid IN (1114, 1184, 1083, 1266) THEN CASE WHEN a.atttypmod >= 0 THEN a.atttypmod ELSE 6 END"
                    + " WHEN t.oid = 700 THEN 8 WHEN t.oid = 701 THEN 17 ELSE 0 END)";

    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) throws SQLException {
        String def = "pg_catalog.pg_get_expr(def.adbin, def.adrelid)";
        return query(
                "SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\", a.attname AS \"COLUMN_NAME\","
                        + " (" + jdbcType("t.oid") + ")::int2 AS \"DATA_TYPE\","
                        // a serial column is named so, as PgJDBC does (Hibernate's schema validation compares the names)
                        + " CASE WHEN " + def + " LIKE 'nextval(%' AND t.oid = 20 THEN 'bigserial' WHEN " + def + " LIKE 'nextval(%' AND t.oid = 23 THEN 'serial'"
                        + " WHEN " + def + " LIKE 'nextval(%' AND t.oid = 21 THEN 'smallserial' ELSE t.typname::text END AS \"TYPE_NAME\","
                        + " " + COLUMN_SIZE + "::int4 AS \"COLUMN_SIZE\", NULL::text AS \"BUFFER_LENGTH\","
                        + " " + DECIMAL_DIGITS + "::int4 AS \"DECIMAL_DIGITS\","
                        + " 10::int4 AS \"NUM_PREC_RADIX\","
                        + " (CASE WHEN a.attnotnull THEN 0 ELSE 1 END)::int4 AS \"NULLABLE\", d.description AS \"REMARKS\","
                        + " " + def + " AS \"COLUMN_DEF\", NULL::int4 AS \"SQL_DATA_TYPE\", NULL::int4 AS \"SQL_DATETIME_SUB\","
                        + " " + COLUMN_SIZE + "::text AS \"CHAR_OCTET_LENGTH\","
                        + " a.attnum::int4 AS \"ORDINAL_POSITION\", CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS \"IS_NULLABLE\","
                        + " NULL::text AS \"SCOPE_CATALOG\", NULL::text AS \"SCOPE_SCHEMA\", NULL::text AS \"SCOPE_TABLE\", NULL::int2 AS \"SOURCE_DATA_TYPE\","
                        + " CASE WHEN a.attidentity <> '' OR " + def + " LIKE 'nextval(%' THEN 'YES' ELSE 'NO' END AS \"IS_AUTOINCREMENT\","
                        + " CASE WHEN a.attgenerated <> '' THEN 'YES' ELSE 'NO' END AS \"IS_GENERATEDCOLUMN\""
                        + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                        + " LEFT JOIN pg_catalog.pg_attrdef def ON def.adrelid = a.attrelid AND def.adnum = a.attnum"
                        + " LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum AND d.classoid = 'pg_catalog.pg_class'::regclass"
                        + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                        + " AND n.nspname LIKE $1 AND c.relname LIKE $2 AND a.attname LIKE $3 ORDER BY 2, 3, 17",
                like(schemaPattern), like(tableNamePattern), like(columnNamePattern));
    }

    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        return query(
                "SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\", a.attname AS \"COLUMN_NAME\","
                        + " k.n::int4 AS \"KEY_SEQ\", ci.relname AS \"PK_NAME\""
                        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                        + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                        + " WHERE i.indisprimary AND ($1::text IS NULL OR n.nspname = $1) AND c.relname = $2 ORDER BY 3, 5",
                schema, table == null ? "" : table);
    }

    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate) throws SQLException {
        return query(
                "SELECT current_database() AS \"TABLE_CAT\", n.nspname AS \"TABLE_SCHEM\", c.relname AS \"TABLE_NAME\", NOT i.indisunique AS \"NON_UNIQUE\","
                        + " NULL::text AS \"INDEX_QUALIFIER\", ci.relname AS \"INDEX_NAME\", (CASE am.amname WHEN 'hash' THEN 2 ELSE 3 END)::int4 AS \"TYPE\","
                        + " k.n::int4 AS \"ORDINAL_POSITION\","
                        + " CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(ci.oid, k.n::int, false) ELSE a.attname END AS \"COLUMN_NAME\","
                        + " CASE WHEN am.amname = 'btree' THEN CASE WHEN i.indoption[k.n - 1] & 1 = 1 THEN 'D' ELSE 'A' END ELSE NULL END AS \"ASC_OR_DESC\","
                        + " ci.reltuples::float4 AS \"CARDINALITY\", ci.relpages::int4 AS \"PAGES\", pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS \"FILTER_CONDITION\""
                        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid"
                        + " JOIN pg_catalog.pg_am am ON am.oid = ci.relam JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                        + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                        + " WHERE ($1::text IS NULL OR n.nspname = $1) AND c.relname = $2" + (unique ? " AND i.indisunique" : "")
                        + " ORDER BY 4, 7, 6, 8",
                schema, table == null ? "" : table);
    }

    public ResultSet getTypeInfo() throws SQLException {
        return query(
                "SELECT t.typname AS \"TYPE_NAME\", (" + jdbcType("t.oid") + ")::int2 AS \"DATA_TYPE\","
                        + " (CASE t.oid WHEN 21 THEN 5 WHEN 23 THEN 10 WHEN 20 THEN 19 WHEN 700 THEN 8 WHEN 701 THEN 17 WHEN 1700 THEN 1000"
                        + " WHEN 1082 THEN 13 WHEN 1114 THEN 29 WHEN 1184 THEN 35 WHEN 16 THEN 1 ELSE 10485760 END)::int4 AS \"PRECISION\","
                        + " CASE WHEN t.typcategory IN ('S', 'D', 'U') THEN '''' ELSE NULL END AS \"LITERAL_PREFIX\","
                        + " CASE WHEN t.typcategory IN ('S', 'D', 'U') THEN '''' ELSE NULL END AS \"LITERAL_SUFFIX\","
                        + " NULL::text AS \"CREATE_PARAMS\", 1::int2 AS \"NULLABLE\", (t.typcategory IN ('S', 'U'))::bool AS \"CASE_SENSITIVE\","
                        + " 3::int2 AS \"SEARCHABLE\", (t.oid NOT IN (20, 21, 23, 700, 701, 1700, 790)) AS \"UNSIGNED_ATTRIBUTE\","
                        + " (t.oid = 790) AS \"FIXED_PREC_SCALE\", t.serial AS \"AUTO_INCREMENT\", t.typname AS \"LOCAL_TYPE_NAME\","
                        + " 0::int2 AS \"MINIMUM_SCALE\", (CASE WHEN t.oid = 1700 THEN 1000 ELSE 0 END)::int2 AS \"MAXIMUM_SCALE\","
                        + " NULL::int4 AS \"SQL_DATA_TYPE\", NULL::int4 AS \"SQL_DATETIME_SUB\", 10::int4 AS \"NUM_PREC_RADIX\""
                        // every type but TOAST's and the row types of tables and views, as PgJDBC lists them
                        // with serial, bigserial and smallserial
                        + " FROM (SELECT t.oid, t.typname::text AS typname, t.typcategory, false AS serial"
                        + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid"
                        + " WHERE n.nspname <> 'pg_toast' AND (t.typrelid = 0 OR c.relkind = 'c')"
                        + " UNION ALL VALUES (23::oid, 'serial', 'N'::\"char\", true), (20::oid, 'bigserial', 'N'::\"char\", true), (21::oid, 'smallserial', 'N'::\"char\", true)) t"
                        + " ORDER BY 2, 1");
    }

    private static String rule(String column) {
        return "(CASE " + column + " WHEN 'c' THEN " + DatabaseMetaData.importedKeyCascade + " WHEN 'n' THEN " + DatabaseMetaData.importedKeySetNull
                + " WHEN 'd' THEN " + DatabaseMetaData.importedKeySetDefault + " WHEN 'r' THEN " + DatabaseMetaData.importedKeyRestrict
                + " WHEN 'a' THEN " + DatabaseMetaData.importedKeyNoAction + " END)::int4";
    }

    /** Foreign keys from pg_constraint, one row per column pair; a null schema or table matches any. */
    private ResultSet keys(String pkSchema, String pkTable, String fkSchema, String fkTable, String order) throws SQLException {
        return query(
                "SELECT current_database() AS \"PKTABLE_CAT\", pkn.nspname AS \"PKTABLE_SCHEM\", pkc.relname AS \"PKTABLE_NAME\", pka.attname AS \"PKCOLUMN_NAME\","
                        + " current_database() AS \"FKTABLE_CAT\", fkn.nspname AS \"FKTABLE_SCHEM\", fkc.relname AS \"FKTABLE_NAME\", fka.attname AS \"FKCOLUMN_NAME\","
                        + " k.n::int4 AS \"KEY_SEQ\", " + rule("con.confupdtype") + " AS \"UPDATE_RULE\", " + rule("con.confdeltype") + " AS \"DELETE_RULE\","
                        + " con.conname AS \"FK_NAME\", pki.relname AS \"PK_NAME\","
                        + " (CASE WHEN con.condeferrable AND con.condeferred THEN " + DatabaseMetaData.importedKeyInitiallyDeferred
                        + " WHEN con.condeferrable THEN " + DatabaseMetaData.importedKeyInitiallyImmediate + " ELSE " + DatabaseMetaData.importedKeyNotDeferrable
                        + " END)::int4 AS \"DEFERRABILITY\""
                        + " FROM pg_catalog.pg_constraint con"
                        + " CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(fk, pk, n)"
                        + " JOIN pg_catalog.pg_class fkc ON fkc.oid = con.conrelid JOIN pg_catalog.pg_namespace fkn ON fkn.oid = fkc.relnamespace"
                        + " JOIN pg_catalog.pg_attribute fka ON fka.attrelid = fkc.oid AND fka.attnum = k.fk"
                        + " JOIN pg_catalog.pg_class pkc ON pkc.oid = con.confrelid JOIN pg_catalog.pg_namespace pkn ON pkn.oid = pkc.relnamespace"
                        + " JOIN pg_catalog.pg_attribute pka ON pka.attrelid = pkc.oid AND pka.attnum = k.pk"
                        + " LEFT JOIN pg_catalog.pg_class pki ON pki.oid = con.conindid"
                        + " WHERE con.contype = 'f' AND ($1::text IS NULL OR pkn.nspname = $1) AND ($2::text IS NULL OR pkc.relname = $2)"
                        + " AND ($3::text IS NULL OR fkn.nspname = $3) AND ($4::text IS NULL OR fkc.relname = $4) ORDER BY " + order,
                pkSchema, pkTable, fkSchema, fkTable);
    }

    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        return keys(null, null, emptyToNull(schema), table == null ? "" : table, "2, 3, 12, 9");
    }

    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        return keys(emptyToNull(schema), table == null ? "" : table, null, null, "6, 7, 12, 9");
    }

    public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable, String foreignCatalog, String foreignSchema,
            String foreignTable) throws SQLException {
        return keys(emptyToNull(parentSchema), parentTable == null ? "" : parentTable, emptyToNull(foreignSchema), foreignTable == null ? "" : foreignTable,
                "6, 7, 12, 9");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Procedures (prokind 'p'); the three columns JDBC reserves are NULL. */
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
        return query(
                "SELECT current_database() AS \"PROCEDURE_CAT\", n.nspname AS \"PROCEDURE_SCHEM\", p.proname AS \"PROCEDURE_NAME\", NULL, NULL, NULL,"
                        + " d.description AS \"REMARKS\", " + DatabaseMetaData.procedureReturnsResult + " AS \"PROCEDURE_TYPE\","
                        + " p.proname || '_' || p.oid AS \"SPECIFIC_NAME\""
                        + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.objsubid = 0 AND d.classoid = 'pg_catalog.pg_proc'::regclass"
                        + " WHERE p.prokind = 'p' AND n.nspname LIKE $1 AND p.proname LIKE $2 ORDER BY 2, 3, p.oid::text",
                like(schemaPattern), like(procedureNamePattern));
    }

    /** Functions (prokind 'f'): FUNCTION_TYPE says whether one returns a set. */
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
        return query(
                "SELECT current_database() AS \"FUNCTION_CAT\", n.nspname AS \"FUNCTION_SCHEM\", p.proname AS \"FUNCTION_NAME\", d.description AS \"REMARKS\","
                        + " CASE WHEN p.prorettype = 'pg_catalog.unknown'::regtype THEN " + DatabaseMetaData.functionResultUnknown
                        + " WHEN p.proretset THEN " + DatabaseMetaData.functionReturnsTable + " ELSE " + DatabaseMetaData.functionNoTable + " END AS \"FUNCTION_TYPE\","
                        + " p.proname || '_' || p.oid AS \"SPECIFIC_NAME\""
                        + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.objsubid = 0 AND d.classoid = 'pg_catalog.pg_proc'::regclass"
                        + " WHERE p.prokind = 'f' AND n.nspname LIKE $1 AND p.proname LIKE $2 ORDER BY 2, 3, p.oid::text",
                like(schemaPattern), like(functionNamePattern));
    }

    /**
     * The return value, the arguments and the result columns of functions and procedures, as
     * PgJDBC lists them: a "returnValue" row for a base, domain, enum or (without argument
     * modes) pseudo return type, a row per argument (named $n when unnamed), and the columns
     * of a composite return type. {@code function}: getFunctionColumns' shape and codes, else
     * getProcedureColumns'.
     */
    private ResultSet routineColumns(boolean function, String schemaPattern, String namePattern, String columnPattern) throws SQLException {
        int in = function ? DatabaseMetaData.functionColumnIn : DatabaseMetaData.procedureColumnIn;
        int inOut = function ? DatabaseMetaData.functionColumnInOut : DatabaseMetaData.procedureColumnInOut;
        int out = function ? DatabaseMetaData.functionColumnOut : DatabaseMetaData.procedureColumnOut;
        int ret = function ? DatabaseMetaData.functionReturn : DatabaseMetaData.procedureColumnReturn;
        int result = function ? DatabaseMetaData.functionColumnResult : DatabaseMetaData.procedureColumnResult;
        String kind = function ? "FUNCTION" : "PROCEDURE";
        String rows = "WITH r AS (SELECT p.oid, n.nspname, p.proname, p.prorettype, rt.typtype, rt.typrelid, p.proargnames, p.proargmodes,"
                + " COALESCE(p.proallargtypes, p.proargtypes::oid[]) AS args"
                + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace JOIN pg_catalog.pg_type rt ON rt.oid = p.prorettype"
                + " WHERE n.nspname LIKE $1 AND p.proname LIKE $2)"
                + " SELECT c.*, t.typname, t.typcategory FROM ("
                + "SELECT r.oid, r.nspname, r.proname, 0 AS part, 0::int8 AS k, 'returnValue'::text AS col, " + ret + " AS mode, r.prorettype AS typ FROM r"
                + " WHERE r.typtype IN ('b', 'd', 'e') OR (r.typtype = 'p' AND r.proargmodes IS NULL)"
                + " UNION ALL SELECT r.oid, r.nspname, r.proname, 1, a.k, COALESCE(r.proargnames[a.k], '$' || a.k),"
                + " CASE r.proargmodes[a.k] WHEN 'o' THEN " + out + " WHEN 'b' THEN " + inOut + " WHEN 't' THEN " + ret + " ELSE " + in + " END, a.typ"
                + " FROM r CROSS JOIN LATERAL unnest(r.args) WITH ORDINALITY AS a(typ, k)"
                + " UNION ALL SELECT r.oid, r.nspname, r.proname, 2, att.attnum, att.attname::text, " + result + ", att.atttypid FROM r"
                + " JOIN pg_catalog.pg_attribute att ON att.attrelid = r.typrelid AND att.attnum > 0 AND NOT att.attisdropped"
                + " WHERE r.typtype = 'c' OR (r.typtype = 'p' AND r.proargmodes IS NOT NULL)) c JOIN pg_catalog.pg_type t ON t.oid = c.typ"
                + " WHERE c.col LIKE $3";
        return query(
                "SELECT current_database() AS \"" + kind + "_CAT\", x.nspname AS \"" + kind + "_SCHEM\", x.proname AS \"" + kind + "_NAME\","
                        + " x.col AS \"COLUMN_NAME\", x.mode::int2 AS \"COLUMN_TYPE\", (" + jdbcType("x.typ").replace("t.typcategory", "x.typcategory") + ")::int2 AS \"DATA_TYPE\","
                        + " x.typname::text AS \"TYPE_NAME\", NULL::" + (function ? "int2" : "int4") + " AS \"PRECISION\", NULL::int4 AS \"LENGTH\","
                        + " NULL::int2 AS \"SCALE\", NULL::int2 AS \"RADIX\", " + DatabaseMetaData.procedureNullableUnknown + "::int2 AS \"NULLABLE\","
                        + " NULL::text AS \"REMARKS\","
                        + (function ? "" : " NULL::text AS \"COLUMN_DEF\", NULL::int4 AS \"SQL_DATA_TYPE\", NULL::int4 AS \"SQL_DATETIME_SUB\",")
                        + " NULL::int4 AS \"CHAR_OCTET_LENGTH\", (CASE WHEN x.part = 1 THEN x.k ELSE 0 END)::int4 AS \"ORDINAL_POSITION\","
                        + " ''::text AS \"IS_NULLABLE\", x.proname || '_' || x.oid AS \"SPECIFIC_NAME\""
                        + " FROM (" + rows + ") x ORDER BY x.nspname, x.proname, x.oid::text, x.part, x.k",
                like(schemaPattern), like(namePattern), like(columnPattern));
    }

    public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern, String columnNamePattern) throws SQLException {
        return routineColumns(false, schemaPattern, procedureNamePattern, columnNamePattern);
    }

    public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern, String columnNamePattern) throws SQLException {
        return routineColumns(true, schemaPattern, functionNamePattern, columnNamePattern);
    }

    /** The primary key's columns (none without one), whatever the scope asked. */
    public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable) throws SQLException {
        return query(
                "SELECT $3::int2 AS \"SCOPE\", a.attname AS \"COLUMN_NAME\", (" + jdbcType("t.oid") + ")::int2 AS \"DATA_TYPE\", t.typname AS \"TYPE_NAME\","
                        + " " + COLUMN_SIZE + "::int4 AS \"COLUMN_SIZE\", NULL::int4 AS \"BUFFER_LENGTH\", " + DECIMAL_DIGITS + "::int2 AS \"DECIMAL_DIGITS\","
                        + " " + DatabaseMetaData.bestRowNotPseudo + "::int2 AS \"PSEUDO_COLUMN\""
                        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey) JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                        + " WHERE i.indisprimary AND ($1::text IS NULL OR n.nspname = $1) AND c.relname = $2 ORDER BY a.attnum",
                emptyToNull(schema), table == null ? "" : table, Integer.toString(scope));
    }

    /** ctid, the pseudo column that changes with every update of a row. */
    public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        return query("SELECT NULL::int2 AS \"SCOPE\", 'ctid'::text AS \"COLUMN_NAME\", " + java.sql.Types.OTHER + "::int2 AS \"DATA_TYPE\", 'tid'::text AS \"TYPE_NAME\","
                + " NULL::int4 AS \"COLUMN_SIZE\", NULL::int4 AS \"BUFFER_LENGTH\", NULL::int2 AS \"DECIMAL_DIGITS\", " + DatabaseMetaData.versionColumnPseudo + "::int2 AS \"PSEUDO_COLUMN\"");
    }

    /** ApplicationName, the one client info property (Connection.setClientInfo). */
    public ResultSet getClientInfoProperties() throws SQLException {
        return query("SELECT 'ApplicationName'::text AS \"NAME\", 63 AS \"MAX_LEN\", ''::text AS \"DEFAULT_VALUE\","
                + " 'The name of the application currently utilizing the connection.'::text AS \"DESCRIPTION\"");
    }
}
