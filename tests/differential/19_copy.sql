-- COPY to and from server files; COPY to and from the client.
CREATE TABLE copy_src (id int, name text, price numeric, tags text[]);
INSERT INTO copy_src VALUES (1, 'plain', 1.5, '{a}'), (2, 'with, comma', NULL, '{}'), (3, E'tab\there', 3, '{b,c}'), (4, 'quote "q"', 0, NULL);
COPY copy_src TO '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER);
COPY (SELECT id, name FROM copy_src WHERE id > 2 ORDER BY id) TO '{{tmp}}/part.txt';
COPY copy_src (id, name) TO '{{tmp}}/cols.bin' WITH (FORMAT binary);
CREATE TABLE copy_dst (LIKE copy_src);
COPY copy_dst FROM '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER);
SELECT * FROM copy_dst ORDER BY id;
CREATE TABLE copy_part (id int, name text);
COPY copy_part FROM '{{tmp}}/part.txt';
SELECT * FROM copy_part ORDER BY id;
COPY copy_part (id, name) FROM '{{tmp}}/cols.bin' WITH (FORMAT binary);
SELECT count(*) FROM copy_part;
COPY copy_part FROM '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER);
COPY copy_part FROM '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER) WHERE id = 99;
COPY copy_part FROM '{{tmp}}/missing.csv';
COPY copy_dst FROM '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER, FREEZE);
BEGIN;
TRUNCATE copy_dst;
COPY copy_dst FROM '{{tmp}}/src.csv' WITH (FORMAT csv, HEADER, FREEZE);
COMMIT;
SELECT count(*) FROM copy_dst;
COPY copy_src TO STDOUT; -- known: pgtc does not carry COPY data to or from the client
COPY (SELECT 1) TO STDOUT WITH (FORMAT csv); -- known: pgtc does not carry COPY data to or from the client
COPY copy_part FROM STDIN;
COPY copy_part FROM STDOUT;
SELECT count(*) FROM copy_part;
COPY copy_nothing TO STDOUT;
