-- Common table expressions: read-only, recursive, materialized, and with DML.
CREATE TABLE cte_node (id int PRIMARY KEY, parent int, name text);
INSERT INTO cte_node VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 4, 'a1x'), (6, 3, 'b1');
WITH top AS (SELECT id, name FROM cte_node WHERE parent IS NULL) SELECT * FROM top;
WITH RECURSIVE tree(id, path, depth) AS (
  SELECT id, name, 0 FROM cte_node WHERE parent IS NULL
  UNION ALL
  SELECT n.id, t.path || '/' || n.name, t.depth + 1 FROM cte_node n JOIN tree t ON n.parent = t.id
) SELECT * FROM tree ORDER BY path;
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0::numeric, 1::numeric UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 30)
SELECT n, a FROM fib ORDER BY n DESC LIMIT 3;
WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 5)
  SEARCH DEPTH FIRST BY n SET ord
SELECT n, ord FROM t ORDER BY ord;
WITH m AS MATERIALIZED (SELECT id FROM cte_node WHERE id > 2),
     n AS NOT MATERIALIZED (SELECT id FROM cte_node WHERE id < 5)
SELECT m.id FROM m JOIN n USING (id) ORDER BY 1;
WITH ins AS (INSERT INTO cte_node VALUES (7, 6, 'b1y') RETURNING *) SELECT id, name FROM ins;
WITH upd AS (UPDATE cte_node SET name = upper(name) WHERE parent = 1 RETURNING id, name)
SELECT * FROM upd ORDER BY id;
WITH del AS (DELETE FROM cte_node WHERE id = 5 RETURNING id),
     cnt AS (SELECT count(*) AS c FROM cte_node)
SELECT (SELECT id FROM del) AS deleted, c FROM cnt;
SELECT id, name FROM cte_node ORDER BY id;
CREATE TABLE cte_log (what text, n int);
WITH moved AS (DELETE FROM cte_node WHERE parent = 6 RETURNING id)
INSERT INTO cte_log SELECT 'moved', count(*) FROM moved;
SELECT * FROM cte_log;
WITH x AS (SELECT 1 AS a) INSERT INTO cte_log SELECT 'x', a FROM x RETURNING *;
WITH x AS (SELECT 2 AS a) UPDATE cte_log SET n = n + (SELECT a FROM x) WHERE what = 'x' RETURNING n;
WITH x AS (SELECT id FROM cte_node FOR UPDATE) SELECT count(*) FROM x;
WITH RECURSIVE bad(n) AS (SELECT 1 UNION ALL SELECT n FROM bad, bad b2) SELECT * FROM bad;
WITH a AS (SELECT 1), a AS (SELECT 2) SELECT 1;
SELECT * FROM cte_log ORDER BY what;
