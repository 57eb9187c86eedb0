-- User-defined functions of every volatility, in SQL and PL/pgSQL;
-- procedures and DO blocks.
CREATE TABLE fn_counter (name text PRIMARY KEY, n int);
INSERT INTO fn_counter VALUES ('calls', 0), ('other', 5);
CREATE FUNCTION fn_add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION fn_twice(x numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN x * 2;
END $$;
CREATE FUNCTION fn_count(k text) RETURNS int LANGUAGE sql STABLE AS $$ SELECT n FROM fn_counter WHERE name = k $$;
CREATE FUNCTION fn_count_pl(k text) RETURNS int LANGUAGE plpgsql STABLE AS $fn$
DECLARE r int;
BEGIN
  SELECT n INTO r FROM fn_counter WHERE name = k;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no counter %', k USING ERRCODE = 'P0002';
  END IF;
  RETURN r;
END $fn$;
CREATE FUNCTION fn_bump(k text) RETURNS int LANGUAGE sql VOLATILE AS $$
  UPDATE fn_counter SET n = n + 1 WHERE name = k RETURNING n
$$;
CREATE FUNCTION fn_bump_pl(k text, by_n int DEFAULT 1) RETURNS int LANGUAGE plpgsql AS $$
DECLARE r int;
BEGIN
  UPDATE fn_counter SET n = n + by_n WHERE name = k RETURNING n INTO r;
  RETURN r;
END $$;
CREATE FUNCTION fn_pure_volatile(x int) RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN x + 100; END $$;
CREATE FUNCTION fn_series(n int) RETURNS SETOF int LANGUAGE sql IMMUTABLE AS 'SELECT generate_series(1, n)';
CREATE FUNCTION fn_table(lim int) RETURNS TABLE (name text, n int) LANGUAGE sql STABLE AS $$ SELECT name, n FROM fn_counter ORDER BY name LIMIT lim $$;
CREATE FUNCTION fn_split(s text, OUT head text, OUT tail text) LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  head := split_part(s, ' ', 1);
  tail := substr(s, length(head) + 2);
END $$;
CREATE FUNCTION fn_over(x int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'int' $$;
CREATE FUNCTION fn_over(x text) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'text' $$;
CREATE FUNCTION fn_fail(code text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'failing with %', code USING ERRCODE = code;
END $$;
CREATE FUNCTION fn_stable_writes() RETURNS int LANGUAGE sql STABLE AS $$ UPDATE fn_counter SET n = 0 RETURNING 1 $$;
SELECT fn_add(2, 3), fn_twice(2.5), fn_twice(NULL), fn_count('other'), fn_count_pl('other');
SELECT fn_count_pl('missing');
SELECT fn_bump('calls');
SELECT fn_bump('calls'), fn_bump('calls');
SELECT fn_bump_pl('calls', 10);
SELECT fn_bump_pl(by_n => 2, k => 'other');
SELECT name, n FROM fn_counter ORDER BY name;
SELECT fn_count('calls'), fn_count_pl('calls');
SELECT fn_pure_volatile(1);
SELECT * FROM fn_series(4);
SELECT * FROM fn_table(1);
SELECT (fn_split('hello big world')).*;
SELECT fn_over(1), fn_over('x'::text);
SELECT fn_fail('22012');
SELECT fn_fail('P0001');
SELECT fn_stable_writes();
WITH b AS (SELECT fn_bump('other') AS n) SELECT n FROM b;
SELECT n FROM fn_counter WHERE name = 'other';
SELECT n FROM fn_counter, LATERAL fn_series(2) s WHERE name = 'other' ORDER BY s;
CREATE PROCEDURE fn_proc(k text, INOUT total int) LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fn_counter SET n = n + total WHERE name = k;
  SELECT n INTO total FROM fn_counter WHERE name = k;
END $$;
CALL fn_proc('other', 3);
CALL fn_proc('other', NULL);
DO $$ BEGIN INSERT INTO fn_counter VALUES ('from_do', 1); END $$;
DO LANGUAGE plpgsql $$ BEGIN PERFORM fn_fail('23505'); END $$;
SELECT name, n FROM fn_counter ORDER BY name;
CREATE OR REPLACE FUNCTION fn_add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b + 1000';
SELECT fn_add(1, 1);
ALTER FUNCTION fn_pure_volatile(int) STABLE;
SELECT fn_pure_volatile(2);
SELECT proname, provolatile FROM pg_proc WHERE proname LIKE 'fn\_%' ORDER BY proname, provolatile;
DROP FUNCTION fn_over(text);
SELECT fn_over('y');
SELECT nosuchfunction(1);
CREATE AGGREGATE fn_product(numeric) (sfunc = numeric_mul, stype = numeric, initcond = '1');
SELECT fn_product(x) FROM generate_series(1, 6) x;
