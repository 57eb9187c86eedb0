-- EXPLAIN of reads and writes, and EXPLAIN ANALYZE with stable output.
CREATE TABLE ex_t (id int PRIMARY KEY, grp int, v text);
INSERT INTO ex_t SELECT g, g % 3, 'v' || g FROM generate_series(1, 200) g;
ANALYZE ex_t;
EXPLAIN (COSTS OFF) SELECT * FROM ex_t WHERE id = 5;
EXPLAIN (COSTS OFF) SELECT grp, count(*) FROM ex_t GROUP BY grp ORDER BY grp;
EXPLAIN (COSTS OFF) INSERT INTO ex_t VALUES (1000, 0, 'x');
EXPLAIN (COSTS OFF) UPDATE ex_t SET v = 'y' WHERE id < 3;
EXPLAIN (COSTS OFF) DELETE FROM ex_t WHERE grp = 1;
EXPLAIN (COSTS OFF, FORMAT json) SELECT id FROM ex_t WHERE id = 1;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM ex_t WHERE grp = 2;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE ex_t SET v = 'z' WHERE id = 7;
SELECT v FROM ex_t WHERE id = 7;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) INSERT INTO ex_t VALUES (201, 0, 'new');
SELECT count(*) FROM ex_t;
BEGIN;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) DELETE FROM ex_t WHERE id > 190;
SELECT count(*) FROM ex_t;
ROLLBACK;
SELECT count(*) FROM ex_t;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT fn_bump('calls');
SELECT n FROM fn_counter WHERE name = 'calls'; -- known: a write made by a VOLATILE function called in a SELECT raises no LSN floor, so this read may run on a standby that has not replayed it
EXPLAIN (COSTS OFF) SELECT fn_bump('calls');
SELECT n FROM fn_counter WHERE name = 'calls'; -- known: a write made by a VOLATILE function called in a SELECT raises no LSN floor, so this read may run on a standby that has not replayed it
EXPLAIN SELECT nosuch FROM ex_t;
EXPLAIN (COSTS OFF) WITH d AS (DELETE FROM ex_t WHERE id = 1 RETURNING *) SELECT * FROM d;
SELECT count(*) FROM ex_t WHERE id = 1;
