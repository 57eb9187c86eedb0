-- Placeholder settings of a procedural language: loading the language
-- (here by creating a function in it, on the primary) removes a
-- placeholder it does not define, in that server's session only.
SET plpgsql.diff_bogus = 'x';
SET plpgsql.extra_warnings = 'shadowed_variables';
SHOW plpgsql.diff_bogus;
CREATE FUNCTION ph_f() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 1; END $$;
SHOW plpgsql.diff_bogus;
SELECT current_setting('plpgsql.diff_bogus', true);
SELECT ph_f();
SHOW plpgsql.extra_warnings;
SET plpgsql.diff_other = 'y';
SHOW plpgsql.diff_other;
SET app.diff_tenant = '42';
SELECT current_setting('app.diff_tenant');
