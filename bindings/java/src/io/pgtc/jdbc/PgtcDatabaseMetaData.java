package io.pgtc.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * DatabaseMetaData: the product, driver and capability answers, as PgJDBC gives them where
 * frameworks read them, and the catalog calls of {@link CatalogQueries}. Implemented
 * as a proxy over {@link Answers}: a method Answers does not have is refused with
 * SQLFeatureNotSupportedException.
 */
final class PgtcDatabaseMetaData {
    private PgtcDatabaseMetaData() {}

    static DatabaseMetaData create(PgtcConnection conn, String url) {
        Answers answers = new Answers(conn, url);
        return (DatabaseMetaData) Proxy.newProxyInstance(
                DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> {
                    Method m;
                    try {
                        m = Answers.class.getMethod(method.getName(), method.getParameterTypes());
                    } catch (NoSuchMethodException e) {
                        if (method.getName().equals("hashCode") || method.getName().equals("equals") || method.getName().equals("toString")) {
                            return method.invoke(answers, args);
                        }
                        if (method.getReturnType() == boolean.class && method.getName().startsWith("supports")) {
                            return false; // capabilities not listed in Answers are not offered
                        }
                        throw Errors.unsupported("DatabaseMetaData." + method.getName());
                    }
                    try {
                        return m.invoke(answers, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The answers; public methods named as DatabaseMetaData's. */
    public static final class Answers extends CatalogQueries {
        private final String url;

        Answers(PgtcConnection conn, String url) {
            super(conn);
            this.url = url;
        }

        public java.sql.Connection getConnection() {
            return conn;
        }

        public String getURL() {
            return url;
        }

        public String getUserName() throws SQLException {
            return conn.scalar("SELECT current_user");
        }

        public String getDatabaseProductName() {
            return "PostgreSQL";
        }

        public String getDatabaseProductVersion() throws SQLException {
            return conn.scalar("SHOW server_version");
        }

        private int[] serverVersion() throws SQLException {
            int num = Integer.parseInt(conn.scalar("SHOW server_version_num"));
            return new int[] {num / 10000, num % 10000 / (num >= 100000 ? 1 : 100)};
        }

        public int getDatabaseMajorVersion() throws SQLException {
            return serverVersion()[0];
        }

        public int getDatabaseMinorVersion() throws SQLException {
            return serverVersion()[1];
        }

        public String getDriverName() {
            return Driver.NAME;
        }

        public String getDriverVersion() {
            return Driver.MAJOR + "." + Driver.MINOR + " (libpgtc " + io.pgtc.Pgtc.version() + ")";
        }

        public int getDriverMajorVersion() {
            return Driver.MAJOR;
        }

        public int getDriverMinorVersion() {
            return Driver.MINOR;
        }

        public int getJDBCMajorVersion() {
            return 4;
        }

        public int getJDBCMinorVersion() {
            return 2;
        }

        public String getIdentifierQuoteString() {
            return "\"";
        }

        public String getSearchStringEscape() {
            return "\\";
        }

        public String getExtraNameCharacters() {
            return "";
        }

        public String getCatalogSeparator() {
            return ".";
        }

        public String getCatalogTerm() {
            return "database";
        }

        public String getSchemaTerm() {
            return "schema";
        }

        public String getProcedureTerm() {
            return "function";
        }

        /**
         * The words PostgreSQL reserves in some context (pg_get_keywords(): reserved, and those
         * that cannot be a function, type or column name): the ones an identifier must be
         * quoted for.
         */
        public String getSQLKeywords() throws SQLException {
            return conn.scalar("SELECT string_agg(word, ',' ORDER BY word) FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U'");
        }

        public String getNumericFunctions() {
            return Escapes.names(Escapes.NUMERIC);
        }

        public String getStringFunctions() {
            return Escapes.names(Escapes.STRING);
        }

        public String getTimeDateFunctions() {
            return Escapes.names(Escapes.TIMEDATE);
        }

        public String getSystemFunctions() {
            return Escapes.names(Escapes.SYSTEM);
        }

        public boolean isReadOnly() throws SQLException {
            return conn.isReadOnly();
        }

        public boolean isCatalogAtStart() {
            return true;
        }

        public boolean nullsAreSortedHigh() {
            return true;
        }

        public boolean nullsAreSortedLow() {
            return false;
        }

        public boolean nullsAreSortedAtStart() {
            return false;
        }

        public boolean nullsAreSortedAtEnd() {
            return false;
        }

        public boolean storesLowerCaseIdentifiers() {
            return true;
        }

        public boolean storesUpperCaseIdentifiers() {
            return false;
        }

        public boolean storesMixedCaseIdentifiers() {
            return false;
        }

        public boolean supportsMixedCaseIdentifiers() {
            return false;
        }

        public boolean supportsMixedCaseQuotedIdentifiers() {
            return true;
        }

        public boolean storesMixedCaseQuotedIdentifiers() {
            return false;
        }

        public boolean storesLowerCaseQuotedIdentifiers() {
            return false;
        }

        public boolean storesUpperCaseQuotedIdentifiers() {
            return false;
        }

        public boolean usesLocalFiles() {
            return false;
        }

        public boolean allTablesAreSelectable() {
            return true;
        }

        public boolean allProceduresAreCallable() {
            return true;
        }

        public boolean nullPlusNonNullIsNull() {
            return true;
        }

        public int getDefaultTransactionIsolation() {
            return java.sql.Connection.TRANSACTION_READ_COMMITTED;
        }

        public boolean supportsTransactions() {
            return true;
        }

        public boolean supportsTransactionIsolationLevel(int level) {
            return level == java.sql.Connection.TRANSACTION_READ_UNCOMMITTED
                    || level == java.sql.Connection.TRANSACTION_READ_COMMITTED
                    || level == java.sql.Connection.TRANSACTION_REPEATABLE_READ
                    || level == java.sql.Connection.TRANSACTION_SERIALIZABLE;
        }

        public boolean supportsSavepoints() {
            return true;
        }

        public boolean supportsGetGeneratedKeys() {
            return true;
        }

        public boolean supportsBatchUpdates() {
            return true;
        }

        public boolean supportsMultipleResultSets() {
            return true;
        }

        public boolean supportsMultipleTransactions() {
            return true;
        }

        public boolean supportsDataDefinitionAndDataManipulationTransactions() {
            return true;
        }

        public boolean supportsAlterTableWithAddColumn() {
            return true;
        }

        public boolean supportsAlterTableWithDropColumn() {
            return true;
        }

        public boolean supportsColumnAliasing() {
            return true;
        }

        public boolean supportsGroupBy() {
            return true;
        }

        public boolean supportsLikeEscapeClause() {
            return true;
        }

        public boolean supportsOuterJoins() {
            return true;
        }

        public boolean supportsFullOuterJoins() {
            return true;
        }

        public boolean supportsLimitedOuterJoins() {
            return true;
        }

        public boolean supportsSchemasInDataManipulation() {
            return true;
        }

        public boolean supportsSchemasInTableDefinitions() {
            return true;
        }

        public boolean supportsSchemasInIndexDefinitions() {
            return true;
        }

        public boolean supportsUnion() {
            return true;
        }

        public boolean supportsUnionAll() {
            return true;
        }

        public boolean supportsSubqueriesInExists() {
            return true;
        }

        public boolean supportsSubqueriesInIns() {
            return true;
        }

        public boolean supportsCorrelatedSubqueries() {
            return true;
        }

        public boolean supportsOrderByUnrelated() {
            return true;
        }

        public boolean supportsResultSetType(int type) {
            return type == ResultSet.TYPE_FORWARD_ONLY;
        }

        public boolean supportsResultSetConcurrency(int type, int concurrency) {
            return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
        }

        public boolean supportsResultSetHoldability(int holdability) {
            return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT || holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT;
        }

        public int getResultSetHoldability() {
            return ResultSet.HOLD_CURSORS_OVER_COMMIT;
        }

        public boolean supportsStatementPooling() {
            return false;
        }

        public boolean supportsStoredFunctionsUsingCallSyntax() {
            return true; // {call f(?)}, {? = call f(?)}
        }

        public boolean autoCommitFailureClosesAllResultSets() {
            return false;
        }

        public boolean generatedKeyAlwaysReturned() {
            return true;
        }

        // As PgJDBC answers (PostgreSQL's limits; 0: no limit known)
        public boolean supportsANSI92EntryLevelSQL() {
            return true;
        }

        public boolean supportsExpressionsInOrderBy() {
            return true;
        }

        public boolean supportsGroupByBeyondSelect() {
            return true;
        }

        public boolean supportsGroupByUnrelated() {
            return true;
        }

        public boolean supportsIntegrityEnhancementFacility() {
            return true;
        }

        public boolean supportsMinimumSQLGrammar() {
            return true;
        }

        public boolean supportsNonNullableColumns() {
            return true;
        }

        public boolean supportsOpenStatementsAcrossCommit() {
            return true;
        }

        public boolean supportsOpenStatementsAcrossRollback() {
            return true;
        }

        public boolean supportsSchemasInPrivilegeDefinitions() {
            return true;
        }

        public boolean supportsSchemasInProcedureCalls() {
            return true;
        }

        public boolean supportsSelectForUpdate() {
            return true;
        }

        public boolean supportsStoredProcedures() {
            return true;
        }

        public boolean supportsSubqueriesInComparisons() {
            return true;
        }

        public boolean supportsSubqueriesInQuantifieds() {
            return true;
        }

        public boolean supportsTableCorrelationNames() {
            return true;
        }

        public boolean dataDefinitionCausesTransactionCommit() {
            return false;
        }

        public boolean dataDefinitionIgnoredInTransactions() {
            return false;
        }

        public boolean doesMaxRowSizeIncludeBlobs() {
            return false;
        }

        public boolean usesLocalFilePerTable() {
            return false;
        }

        public int getMaxBinaryLiteralLength() {
            return 0;
        }

        public int getMaxCatalogNameLength() {
            return 63;
        }

        public int getMaxCharLiteralLength() {
            return 0;
        }

        public int getMaxColumnsInGroupBy() {
            return 0;
        }

        public int getMaxColumnsInOrderBy() {
            return 0;
        }

        public int getMaxColumnsInSelect() {
            return 0;
        }

        public int getMaxColumnsInTable() {
            return 1600;
        }

        public int getMaxCursorNameLength() {
            return 63;
        }

        public int getMaxIndexLength() {
            return 0;
        }

        public int getMaxProcedureNameLength() {
            return 63;
        }

        public int getMaxRowSize() {
            return 1073741824;
        }

        public int getMaxStatementLength() {
            return 0;
        }

        public int getMaxStatements() {
            return 0;
        }

        public int getMaxTablesInSelect() {
            return 0;
        }

        public int getMaxUserNameLength() {
            return 63;
        }

        public long getMaxLogicalLobSize() {
            return 0;
        }

        public int getMaxColumnsInIndex() throws SQLException {
            return Integer.parseInt(conn.scalar("SHOW max_index_keys"));
        }

        /** Result sets are read-only: there are no own or others' changes to see or detect but the statements'. */
        public boolean ownUpdatesAreVisible(int type) {
            return true;
        }

        public boolean ownDeletesAreVisible(int type) {
            return true;
        }

        public boolean ownInsertsAreVisible(int type) {
            return true;
        }

        public boolean othersUpdatesAreVisible(int type) {
            return false;
        }

        public boolean othersDeletesAreVisible(int type) {
            return false;
        }

        public boolean othersInsertsAreVisible(int type) {
            return false;
        }

        public boolean updatesAreDetected(int type) {
            return false;
        }

        public boolean deletesAreDetected(int type) {
            return false;
        }

        public boolean insertsAreDetected(int type) {
            return false;
        }

        public int getMaxColumnNameLength() {
            return 63;
        }

        public int getMaxTableNameLength() {
            return 63;
        }

        public int getMaxSchemaNameLength() {
            return 63;
        }

        public int getMaxConnections() throws SQLException {
            return Integer.parseInt(conn.scalar("SHOW max_connections"));
        }

        public int getSQLStateType() {
            return DatabaseMetaData.sqlStateSQL;
        }

        public boolean locatorsUpdateCopy() {
            return true;
        }

        public java.sql.RowIdLifetime getRowIdLifetime() {
            return java.sql.RowIdLifetime.ROWID_UNSUPPORTED;
        }

        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw Errors.of("not a wrapper for " + iface.getName(), "HY000");
        }

        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "pgtc DatabaseMetaData for " + url;
        }
    }
}
