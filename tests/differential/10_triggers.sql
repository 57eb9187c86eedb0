-- Triggers: row and statement, BEFORE/AFTER/INSTEAD OF, transition tables.
CREATE TABLE trg_acct (id int PRIMARY KEY, balance numeric NOT NULL, updated int DEFAULT 0);
CREATE TABLE trg_audit (seq serial, op text, id int, old_balance numeric, new_balance numeric);
CREATE TABLE trg_stmt (op text, rows_changed int);
CREATE FUNCTION trg_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated := OLD.updated + 1;
  IF NEW.balance < 0 THEN
    RAISE EXCEPTION 'balance of % would be negative', NEW.id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION trg_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO trg_audit (op, id, old_balance) VALUES (TG_OP, OLD.id, OLD.balance);
    RETURN OLD;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO trg_audit (op, id, old_balance, new_balance) VALUES (TG_OP, NEW.id, OLD.balance, NEW.balance);
  ELSE
    INSERT INTO trg_audit (op, id, new_balance) VALUES (TG_OP, NEW.id, NEW.balance);
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION trg_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trg_stmt SELECT TG_OP, count(*) FROM changed;
  RETURN NULL;
END $$;
CREATE TRIGGER acct_touch BEFORE UPDATE ON trg_acct FOR EACH ROW EXECUTE FUNCTION trg_touch();
CREATE TRIGGER acct_log AFTER INSERT OR UPDATE OR DELETE ON trg_acct FOR EACH ROW EXECUTE FUNCTION trg_log();
CREATE TRIGGER acct_count AFTER UPDATE ON trg_acct REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trg_count();
INSERT INTO trg_acct (id, balance) VALUES (1, 100), (2, 50), (3, 0);
UPDATE trg_acct SET balance = balance - 10 WHERE id < 3 RETURNING id, balance, updated;
UPDATE trg_acct SET balance = balance - 500 WHERE id = 1;
UPDATE trg_acct SET balance = balance + 1;
DELETE FROM trg_acct WHERE id = 3 RETURNING *;
SELECT * FROM trg_acct ORDER BY id;
SELECT seq, op, id, old_balance, new_balance FROM trg_audit ORDER BY seq;
SELECT op, rows_changed FROM trg_stmt ORDER BY rows_changed;
CREATE VIEW trg_acct_v AS SELECT id, balance FROM trg_acct;
CREATE FUNCTION trg_v_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trg_acct (id, balance) VALUES (NEW.id, NEW.balance * 100);
  RETURN NEW;
END $$;
CREATE TRIGGER acct_v_ins INSTEAD OF INSERT ON trg_acct_v FOR EACH ROW EXECUTE FUNCTION trg_v_ins();
INSERT INTO trg_acct_v VALUES (7, 2);
SELECT * FROM trg_acct_v ORDER BY id;
ALTER TABLE trg_acct DISABLE TRIGGER acct_log;
UPDATE trg_acct SET balance = 0 WHERE id = 7;
ALTER TABLE trg_acct ENABLE TRIGGER acct_log;
SELECT count(*) FROM trg_audit;
CREATE FUNCTION trg_ddl_log() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trg_stmt VALUES (tg_tag, 0);
END $$;
CREATE EVENT TRIGGER trg_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION trg_ddl_log();
CREATE TABLE trg_new (x int);
DROP EVENT TRIGGER trg_ddl;
SELECT op, rows_changed FROM trg_stmt ORDER BY op, rows_changed;
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'trg_acct'::regclass ORDER BY tgname;
CREATE CONSTRAINT TRIGGER acct_deferred AFTER INSERT ON trg_acct DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trg_log();
BEGIN;
INSERT INTO trg_acct VALUES (8, 8);
SELECT count(*) FROM trg_audit WHERE id = 8;
COMMIT;
SELECT count(*) FROM trg_audit WHERE id = 8;
