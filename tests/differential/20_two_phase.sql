-- Two-phase commit (the test gives the pair max_prepared_transactions = 8).
CREATE TABLE tpc_t (id int PRIMARY KEY, v text);
BEGIN;
INSERT INTO tpc_t VALUES (1, 'prepared then committed');
PREPARE TRANSACTION 'diff_{{side}}_1';
SELECT count(*) FROM tpc_t;
SELECT gid = 'diff_{{side}}_1' FROM pg_prepared_xacts WHERE database = current_database(); -- known: PREPARE TRANSACTION raises no LSN floor, so this read may run on a standby that has not replayed it
COMMIT PREPARED 'diff_{{side}}_1';
SELECT v FROM tpc_t ORDER BY id;
BEGIN;
SELECT count(*) FROM tpc_t;
INSERT INTO tpc_t VALUES (2, 'prepared then rolled back');
PREPARE TRANSACTION 'diff_{{side}}_2';
SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database(); -- known: PREPARE TRANSACTION raises no LSN floor, so this read may run on a standby that has not replayed it
ROLLBACK PREPARED 'diff_{{side}}_2';
SELECT count(*) FROM tpc_t;
BEGIN;
SELECT count(*) FROM tpc_t;
PREPARE TRANSACTION 'diff_{{side}}_3';
COMMIT PREPARED 'diff_{{side}}_3';
COMMIT PREPARED 'diff_{{side}}_3';
ROLLBACK PREPARED 'diff_{{side}}_none';
PREPARE TRANSACTION 'diff_{{side}}_outside';
BEGIN;
INSERT INTO tpc_t VALUES (3, 'x');
PREPARE TRANSACTION 'diff_{{side}}_4';
BEGIN;
INSERT INTO tpc_t VALUES (4, 'y');
PREPARE TRANSACTION 'diff_{{side}}_4';
COMMIT PREPARED 'diff_{{side}}_4';
BEGIN;
COMMIT PREPARED 'diff_{{side}}_4';
ROLLBACK;
BEGIN;
SELECT 1 / 0;
PREPARE TRANSACTION 'diff_{{side}}_5'; -- known: PREPARE TRANSACTION of a transaction that failed on the standby is sent to the standby (25006) and leaves the transaction open (PostgreSQL: it rolls back)
-- Ends what the line above may have left open (a warning on one server).
ROLLBACK;
CREATE TEMP TABLE tpc_tmp (x int);
BEGIN;
INSERT INTO tpc_tmp VALUES (1);
PREPARE TRANSACTION 'diff_{{side}}_6';
SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database();
SELECT id, v FROM tpc_t ORDER BY id;
