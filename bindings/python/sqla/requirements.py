"""What PostgreSQL (through pgtc) supports, for SQLAlchemy's third-party
dialect suite (``sqlalchemy.testing.suite``).

``SuiteRequirements`` leaves many features closed; this opens those PostgreSQL
15 supports (SQLAlchemy's own test/requirements.py marks them as supported on
PostgreSQL) and keeps closed, with the reason, those it does not.
"""

from sqlalchemy.testing import exclusions
from sqlalchemy.testing.requirements import SuiteRequirements


class Requirements(SuiteRequirements):
    @property
    def table_ddl_if_exists(self):
        return exclusions.open()

    @property
    def index_ddl_if_exists(self):
        return exclusions.open()

    @property
    def uuid_data_type(self):
        return exclusions.open()

    @property
    def unique_constraints_reflect_as_index(self):
        return exclusions.open()

    @property
    def table_value_constructor(self):
        return exclusions.open()

    @property
    def deferrable_fks(self):
        return exclusions.open()

    @property
    def boolean_col_expressions(self):
        return exclusions.open()

    @property
    def nullsordering(self):
        return exclusions.open()

    @property
    def intersect(self):
        return exclusions.open()

    @property
    def except_(self):
        return exclusions.open()

    @property
    def window_functions(self):
        return exclusions.open()

    @property
    def ctes(self):
        return exclusions.open()

    @property
    def ctes_with_update_delete(self):
        return exclusions.open()

    @property
    def ctes_with_values(self):
        return exclusions.open()

    @property
    def ctes_on_dml(self):
        return exclusions.open()

    @property
    def tuple_in(self):
        return exclusions.open()

    @property
    def views(self):
        return exclusions.open()

    @property
    def cross_schema_fk_reflection(self):
        return exclusions.open()

    @property
    def foreign_key_constraint_name_reflection(self):
        return exclusions.open()

    @property
    def implicit_default_schema(self):
        return exclusions.open()

    @property
    def default_schema_name_switch(self):
        return exclusions.open()

    @property
    def reflects_pk_names(self):
        return exclusions.open()

    @property
    def reflect_tables_no_columns(self):
        return exclusions.open()

    @property
    def temp_table_comment_reflection(self):
        return exclusions.open()

    @property
    def comment_reflection(self):
        return exclusions.open()

    @property
    def comment_reflection_full_unicode(self):
        return exclusions.open()

    @property
    def constraint_comment_reflection(self):
        return exclusions.open()

    @property
    def column_collation_reflection(self):
        return exclusions.open()

    @property
    def schema_create_delete(self):
        return exclusions.open()

    @property
    def foreign_key_constraint_option_reflection_ondelete(self):
        return exclusions.open()

    @property
    def fk_constraint_option_reflection_ondelete_restrict(self):
        return exclusions.open()

    @property
    def fk_constraint_option_reflection_ondelete_noaction(self):
        return exclusions.open()

    @property
    def foreign_key_constraint_option_reflection_onupdate(self):
        return exclusions.open()

    @property
    def fk_constraint_option_reflection_onupdate_restrict(self):
        return exclusions.open()

    @property
    def temp_table_names(self):
        return exclusions.open()

    @property
    def has_temp_table(self):
        return exclusions.open()

    @property
    def temporary_views(self):
        return exclusions.open()

    @property
    def index_reflects_included_columns(self):
        return exclusions.open()

    @property
    def indexes_with_expressions(self):
        return exclusions.open()

    @property
    def reflect_indexes_with_expressions(self):
        return exclusions.open()

    @property
    def inline_check_constraint_reflection(self):
        return exclusions.open()

    @property
    def check_constraint_reflection(self):
        return exclusions.open()

    @property
    def unicode_ddl(self):
        return exclusions.open()

    @property
    def datetime_interval(self):
        return exclusions.open()

    @property
    def datetime_timezone(self):
        return exclusions.open()

    @property
    def time_timezone(self):
        return exclusions.open()

    @property
    def timestamp_microseconds(self):
        return exclusions.open()

    @property
    def datetime_historic(self):
        return exclusions.open()

    @property
    def datetime_timezone_historic(self):
        return exclusions.open()

    @property
    def date_historic(self):
        return exclusions.open()

    @property
    def autocommit(self):
        return exclusions.open()

    @property
    def skip_autocommit_rollback(self):
        return exclusions.open()

    @property
    def isolation_level(self):
        return exclusions.open()

    @property
    def array_type(self):
        return exclusions.open()

    @property
    def json_type(self):
        return exclusions.open()

    @property
    def precision_numerics_enotation_small(self):
        return exclusions.open()

    @property
    def precision_numerics_many_significant_digits(self):
        return exclusions.open()

    @property
    def server_defaults(self):
        return exclusions.open()

    @property
    def expression_server_defaults(self):
        return exclusions.open()

    @property
    def precision_numerics_retains_significant_digits(self):
        return exclusions.open()

    @property
    def infinity_floats(self):
        return exclusions.open()

    @property
    def savepoints(self):
        return exclusions.open()

    @property
    def update_from(self):
        return exclusions.open()

    @property
    def delete_from(self):
        return exclusions.open()

    @property
    def mod_operator_as_percent_sign(self):
        return exclusions.open()

    @property
    def percent_schema_names(self):
        return exclusions.open()

    @property
    def order_by_label_with_expression(self):
        return exclusions.open()

    @property
    def computed_columns(self):
        return exclusions.open()

    @property
    def computed_columns_stored(self):
        return exclusions.open()

    @property
    def computed_columns_default_persisted(self):
        return exclusions.open()

    @property
    def computed_columns_reflect_persisted(self):
        return exclusions.open()

    @property
    def supports_distinct_on(self):
        return exclusions.open()

    @property
    def identity_columns(self):
        return exclusions.open()

    @property
    def identity_columns_standard(self):
        return exclusions.open()

    @property
    def regexp_match(self):
        return exclusions.open()

    @property
    def regexp_replace(self):
        return exclusions.open()

    @property
    def fetch_first(self):
        return exclusions.open()

    @property
    def fetch_ties(self):
        return exclusions.open()

    @property
    def fetch_no_order_by(self):
        return exclusions.open()

    @property
    def fetch_offset_with_options(self):
        return exclusions.open()

    @property
    def fetch_expression(self):
        return exclusions.open()


    @property
    def materialized_views(self):
        return exclusions.open()

    @property
    def supports_bitwise_or(self):
        return exclusions.open()

    @property
    def supports_bitwise_and(self):
        return exclusions.open()

    @property
    def supports_bitwise_not(self):
        return exclusions.open()

    @property
    def supports_bitwise_xor(self):
        return exclusions.open()

    @property
    def supports_bitwise_shift(self):
        return exclusions.open()

    @property
    def indexes_check_column_order(self):
        return exclusions.open()

    @property
    def foreign_keys_reflect_as_index(self):
        return exclusions.closed('PostgreSQL creates no index for a foreign key')

    @property
    def unique_index_reflect_as_unique_constraints(self):
        return exclusions.closed('PostgreSQL reflects a unique index as an index, not as a unique constraint')

    @property
    def non_updating_cascade(self):
        return exclusions.closed('PostgreSQL implements ON UPDATE CASCADE, so the emulation this tests is not needed')

    @property
    def repeated_column_foreign_keys(self):
        return exclusions.open()

    @property
    def emulated_lastrowid(self):
        return exclusions.closed('PostgreSQL has no lastrowid; SQLAlchemy uses RETURNING')

    @property
    def emulated_lastrowid_even_with_sequences(self):
        return exclusions.closed('PostgreSQL has no lastrowid; SQLAlchemy uses RETURNING')

    @property
    def dbapi_lastrowid(self):
        return exclusions.closed('PostgreSQL has no lastrowid (cursor.lastrowid is None, as with psycopg2)')

    @property
    def reflect_indexes_with_ascdesc_as_expression(self):
        return exclusions.closed('PostgreSQL reflects ASC/DESC as column sorting, not as expressions (Oracle does)')

    @property
    def nvarchar_types(self):
        return exclusions.closed('PostgreSQL has no NVARCHAR/NCHAR types')

    @property
    def datetime_literals(self):
        return exclusions.open()

    @property
    def legacy_unconditional_json_extract(self):
        return exclusions.open()

    @property
    def float_or_double_precision_behaves_generically(self):
        return exclusions.open()

    @property
    def two_phase_transactions(self):
        return exclusions.closed("pgtc's DB-API module has no tpc_* methods (and the servers run with max_prepared_transactions = 0)")

    @property
    def async_dialect(self):
        return exclusions.closed('postgresql+pgtc is a synchronous dialect')

    @property
    def computed_columns_virtual(self):
        return exclusions.closed('PostgreSQL 15 has only STORED generated columns')

    @property
    def fetch_percent(self):
        return exclusions.closed("PostgreSQL's FETCH FIRST has no PERCENT")

    @property
    def json_deserializer_binary(self):
        return exclusions.closed("only psycopg's binary JSONB loaders pass bytes to json_deserializer; pgtc reads text")

    @property
    def materialized_views_reflect_pk(self):
        return exclusions.closed('PostgreSQL materialized views have no primary keys')

    @property
    def reflect_table_options(self):
        return exclusions.closed(
            "SQLAlchemy 2.0's PostgreSQL dialect does not implement get_table_options (NotImplementedError)"
        )

