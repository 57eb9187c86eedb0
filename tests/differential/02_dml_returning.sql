-- DML with RETURNING, ON CONFLICT, MERGE, UPDATE … FROM, DELETE … USING.
CREATE TABLE dml_item (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 0, price numeric);
CREATE TABLE dml_price (id int, price numeric);
INSERT INTO dml_item VALUES (1, 'apple', 5, 1.5), (2, 'pear', 3, 2) RETURNING id, name;
INSERT INTO dml_item (id, name) VALUES (3, 'fig') RETURNING *;
INSERT INTO dml_item (id, name, qty) SELECT g, 'gen' || g, g * 10 FROM generate_series(10, 14) g;
INSERT INTO dml_item VALUES (1, 'dup');
INSERT INTO dml_item VALUES (1, 'apple2', 7) ON CONFLICT (id) DO UPDATE SET qty = dml_item.qty + excluded.qty RETURNING id, name, qty;
INSERT INTO dml_item VALUES (2, 'x') ON CONFLICT DO NOTHING RETURNING *;
INSERT INTO dml_item VALUES (4, 'kiwi', 1, 0.5) ON CONFLICT DO NOTHING RETURNING id;
UPDATE dml_item SET qty = qty + 1 WHERE id < 4 RETURNING id, qty;
UPDATE dml_item SET qty = qty * 2 WHERE id >= 10;
UPDATE dml_item SET name = 'none' WHERE id = 999 RETURNING *;
INSERT INTO dml_price VALUES (1, 1.75), (3, 4), (12, 0.1);
UPDATE dml_item i SET price = p.price FROM dml_price p WHERE p.id = i.id RETURNING i.id, i.price;
DELETE FROM dml_item i USING dml_price p WHERE p.id = i.id AND p.price < 1 RETURNING i.*;
DELETE FROM dml_item WHERE id = 13 RETURNING name;
SELECT * FROM dml_item ORDER BY id;
MERGE INTO dml_item t
USING (VALUES (2, 'pear', 100), (20, 'plum', 9), (11, 'gen11', 0)) AS s(id, name, qty)
ON t.id = s.id
WHEN MATCHED AND s.qty = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET qty = s.qty
WHEN NOT MATCHED THEN INSERT (id, name, qty) VALUES (s.id, s.name, s.qty);
SELECT id, name, qty FROM dml_item ORDER BY id;
UPDATE dml_item SET qty = NULL WHERE id = 20;
SELECT id, coalesce(qty, -1) FROM dml_item WHERE qty IS NULL OR id = 20 ORDER BY id;
INSERT INTO dml_item (id, name) VALUES (30, 'a'), (31, NULL);
SELECT count(*) FROM dml_item WHERE id >= 30;
UPDATE dml_item SET id = 1 WHERE id = 2;
SELECT sum(qty), count(*), max(name), min(price) FROM dml_item;
SELECT name FROM dml_item WHERE name LIKE 'gen%' ORDER BY name DESC LIMIT 2 OFFSET 1;
SELECT DISTINCT ON (qty > 5) qty > 5 AS big, id FROM dml_item WHERE qty IS NOT NULL ORDER BY qty > 5, id;
TABLE dml_price;
VALUES (1, 'one'), (2, 'two') ORDER BY 1 DESC;
SELECT 1/0;
SELECT 'abc'::int;
SELECT 2147483647::int + 1;
SELECT id, name INTO dml_copy FROM dml_item WHERE id < 10;
SELECT * FROM dml_copy ORDER BY id;
CREATE TABLE dml_ctas AS SELECT id, qty FROM dml_item WHERE qty > 5;
SELECT count(*) FROM dml_ctas;
CREATE TABLE dml_ctas_empty AS SELECT * FROM dml_item WITH NO DATA;
SELECT count(*) FROM dml_ctas_empty;
SELECT id FROM dml_item WHERE id < 4 ORDER BY id FOR UPDATE;
SELECT id FROM dml_item WHERE id < 4 ORDER BY id FOR SHARE SKIP LOCKED;
DELETE FROM dml_price;
SELECT count(*) FROM dml_price;
