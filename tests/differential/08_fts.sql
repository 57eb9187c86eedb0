-- Full-text search: vectors, queries, ranking, headlines, indexes.
CREATE TABLE fts_doc (id int PRIMARY KEY, title text, body text,
  tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED);
INSERT INTO fts_doc (id, title, body) VALUES
  (1, 'Rust ownership', 'Ownership rules keep memory safe without a garbage collector.'),
  (2, 'PostgreSQL replication', 'A hot standby replays the primary''s write-ahead log and serves reads.'),
  (3, 'Cooking rice', 'Rinse the rice, then simmer it with twice as much water.'),
  (4, 'Streaming replicas', 'Streaming replication sends WAL records to standby servers as they are written.');
CREATE INDEX fts_doc_tsv ON fts_doc USING gin (tsv);
SELECT to_tsvector('english', 'The quick brown foxes jumped over the lazy dogs');
SELECT to_tsquery('english', 'replicas & (standby | primary)'), plainto_tsquery('english', 'hot standbys'), websearch_to_tsquery('english', '"write-ahead log" -rice or water');
SELECT id, title FROM fts_doc WHERE tsv @@ to_tsquery('english', 'replication') ORDER BY id;
SELECT id, ts_rank(tsv, q)::numeric(8, 6) AS rank FROM fts_doc, to_tsquery('english', 'standby | replica') q WHERE tsv @@ q ORDER BY rank DESC, id;
SELECT id, ts_rank_cd(tsv, q)::numeric(8, 6) FROM fts_doc, plainto_tsquery('english', 'streaming replication') q WHERE tsv @@ q ORDER BY id;
SELECT ts_headline('english', body, to_tsquery('english', 'rice'), 'StartSel=[, StopSel=]') FROM fts_doc WHERE id = 3;
SELECT id FROM fts_doc WHERE tsv @@ phraseto_tsquery('english', 'hot standby') ORDER BY id;
SELECT id FROM fts_doc WHERE tsv @@ to_tsquery('english', 'stream:*') ORDER BY id;
SELECT strip(to_tsvector('simple', 'a b a c')), length(to_tsvector('simple', 'a b a c')), numnode(to_tsquery('a & b | c'));
SELECT ts_lexize('english_stem', 'replication'), ts_debug('english', 'Hot standbys')::text LIKE '%standby%';
SELECT querytree(to_tsquery('english', '!rice & water')), to_tsquery('english', 'a <-> b') @@ to_tsvector('english', 'a b');
SELECT word, nentry FROM ts_stat('SELECT tsv FROM fts_doc') WHERE word LIKE 'repl%' ORDER BY word;
UPDATE fts_doc SET body = 'Replicas of the primary answer reads.' WHERE id = 3;
SELECT id FROM fts_doc WHERE tsv @@ to_tsquery('english', 'replica') ORDER BY id;
SELECT to_tsquery('english', 'a & (');
SELECT count(*) FROM fts_doc WHERE to_tsvector('english', title) @@ 'cook'::tsquery;
