-- DDL: schemas, tables, constraints, types, indexes, partitions, inheritance.
CREATE SCHEMA ddl;
CREATE TYPE ddl.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN ddl.posint AS int CHECK (VALUE > 0);
CREATE TYPE ddl.pair AS (x int, y text);
CREATE TABLE ddl.dept (
  id int PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE ddl.emp (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  dept int REFERENCES ddl.dept (id) ON DELETE CASCADE,
  salary numeric(10, 2) CHECK (salary >= 0),
  mood ddl.mood DEFAULT 'ok',
  level ddl.posint,
  tag text COLLATE "C",
  doubled numeric GENERATED ALWAYS AS (salary * 2) STORED
);
INSERT INTO ddl.dept VALUES (1, 'eng'), (2, 'ops'), (3, 'sales');
INSERT INTO ddl.emp (name, dept, salary, mood, level, tag) VALUES
  ('ann', 1, 100.50, 'happy', 3, 'b'),
  ('bob', 1, 90, 'sad', 2, 'A'),
  ('cid', 2, 70.25, DEFAULT, 1, 'a'),
  ('dee', 3, 80, 'ok', 1, NULL);
SELECT id, name, dept, salary, mood, level, tag, doubled FROM ddl.emp ORDER BY id;
SELECT tag FROM ddl.emp WHERE tag IS NOT NULL ORDER BY tag;
INSERT INTO ddl.emp (name, dept, salary) VALUES ('bad', 9, 1);
INSERT INTO ddl.emp (name, dept, salary) VALUES ('neg', 1, -1);
INSERT INTO ddl.emp (name, dept, salary) VALUES (NULL, 1, 1);
INSERT INTO ddl.dept VALUES (4, 'eng');
INSERT INTO ddl.emp (name, level) VALUES ('zero', 0);
INSERT INTO ddl.emp (name, mood) VALUES ('m', 'angry');
INSERT INTO ddl.emp (id, name) VALUES (99, 'forced');
ALTER TABLE ddl.emp ADD COLUMN note text DEFAULT 'none';
ALTER TABLE ddl.emp RENAME COLUMN note TO remark;
ALTER TABLE ddl.emp ALTER COLUMN remark SET DEFAULT 'n/a';
SELECT name, remark FROM ddl.emp ORDER BY name;
CREATE INDEX emp_dept_idx ON ddl.emp (dept);
CREATE UNIQUE INDEX emp_name_lower ON ddl.emp (lower(name));
INSERT INTO ddl.emp (name) VALUES ('ANN');
COMMENT ON TABLE ddl.emp IS 'employees';
SELECT obj_description('ddl.emp'::regclass, 'pg_class');
SELECT column_name, data_type, is_nullable, column_default
  FROM information_schema.columns
 WHERE table_schema = 'ddl' AND table_name = 'emp'
 ORDER BY ordinal_position;
SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'ddl' ORDER BY indexname;
SELECT conname, contype FROM pg_constraint
 WHERE conrelid = 'ddl.emp'::regclass ORDER BY conname;
SELECT (ROW(1, 'a')::ddl.pair).y;
SELECT enum_range(NULL::ddl.mood);
-- Declarative partitioning.
CREATE TABLE ddl.events (id int, day date, what text) PARTITION BY RANGE (day);
CREATE TABLE ddl.events_2024 PARTITION OF ddl.events
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ddl.events_2025 PARTITION OF ddl.events
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO ddl.events VALUES (1, '2024-05-01', 'a'), (2, '2025-02-03', 'b'), (3, '2024-12-31', 'c');
INSERT INTO ddl.events VALUES (4, '2030-01-01', 'none');
SELECT tableoid::regclass AS part, id, day, what FROM ddl.events ORDER BY id;
SELECT count(*) FROM ONLY ddl.events_2024;
-- Inheritance.
CREATE TABLE ddl.base (id int, kind text);
CREATE TABLE ddl.child (extra int) INHERITS (ddl.base);
INSERT INTO ddl.base VALUES (1, 'base');
INSERT INTO ddl.child VALUES (2, 'child', 42);
SELECT id, kind FROM ddl.base ORDER BY id;
SELECT id, kind FROM ONLY ddl.base ORDER BY id;
DROP TABLE ddl.base;
DROP TABLE ddl.base CASCADE;
SELECT count(*) FROM pg_tables WHERE schemaname = 'ddl';
-- Unlogged tables exist on the standby only as empty shells: reads need the primary.
CREATE UNLOGGED TABLE ddl.scratch (k int PRIMARY KEY, v text);
INSERT INTO ddl.scratch VALUES (1, 'u1'), (2, 'u2');
SELECT * FROM ddl.scratch ORDER BY k;
SELECT s.v, d.name FROM ddl.scratch s JOIN ddl.dept d ON d.id = s.k ORDER BY s.k;
ALTER TABLE ddl.scratch SET LOGGED;
SELECT count(*) FROM ddl.scratch;
ALTER TABLE ddl.scratch SET UNLOGGED;
SELECT relpersistence FROM pg_class WHERE oid = 'ddl.scratch'::regclass;
SELECT count(*) FROM ddl.scratch;
ALTER TABLE ddl.dept ADD CONSTRAINT dept_name_len CHECK (length(name) < 10) NOT VALID;
ALTER TABLE ddl.dept VALIDATE CONSTRAINT dept_name_len;
CREATE TABLE ddl.emp (x int);
CREATE TABLE IF NOT EXISTS ddl.emp (x int);
DROP TABLE IF EXISTS ddl.nothing;
DROP TABLE ddl.nothing;
SELECT * FROM ddl.nothing;
SELECT nosuchcolumn FROM ddl.dept;
SELEC 1;
