-- JSON and JSONB: operators, path queries, building, decomposing, indexes.
CREATE TABLE js_doc (id int PRIMARY KEY, body jsonb, raw json);
INSERT INTO js_doc VALUES
  (1, '{"name": "ann", "tags": ["a", "b"], "age": 31, "addr": {"city": "Oslo"}}', '{"b": 1, "a": 2, "a": 3}'),
  (2, '{"name": "bob", "tags": [], "age": 45}', '[1, 2, 3]'),
  (3, '{"name": "cid", "tags": ["b"], "addr": {"city": "Rome", "zip": "00100"}}', 'null');
CREATE INDEX js_doc_gin ON js_doc USING gin (body jsonb_path_ops);
SELECT id, body->>'name', body->'addr'->>'city', body #>> '{addr,zip}' FROM js_doc ORDER BY id;
SELECT id FROM js_doc WHERE body @> '{"tags": ["b"]}' ORDER BY id;
SELECT id FROM js_doc WHERE body ? 'addr' ORDER BY id;
SELECT id FROM js_doc WHERE body ?| array['age', 'zip'] ORDER BY id;
SELECT id, raw, raw->>'a' FROM js_doc ORDER BY id;
SELECT jsonb_path_query_array(body, '$.tags[*]') FROM js_doc ORDER BY id;
SELECT id FROM js_doc WHERE body @? '$.age ? (@ > 40)' ORDER BY id;
SELECT jsonb_path_exists(body, '$.addr.zip'), jsonb_path_match(body, 'exists($.tags[0])') FROM js_doc ORDER BY id;
SELECT jsonb_set(body, '{addr,city}', '"Bergen"'), body - 'tags', body || '{"x": 1}' FROM js_doc WHERE id = 1;
SELECT jsonb_insert('{"a": [1, 3]}', '{a,1}', '2'), '{"a": {"b": 1}}'::jsonb #- '{a,b}';
SELECT key, value FROM js_doc, jsonb_each(body) WHERE id = 2 ORDER BY key;
SELECT k FROM jsonb_object_keys('{"z": 1, "y": 2, "x": {"w": 3}}') AS k ORDER BY k;
SELECT jsonb_array_elements_text(body->'tags') FROM js_doc WHERE id = 1;
SELECT * FROM jsonb_to_recordset('[{"a": 1, "b": "x"}, {"a": 2, "b": null}]') AS r(a int, b text) ORDER BY a;
SELECT jsonb_agg(body->'name' ORDER BY id), jsonb_object_agg(id, body->'age' ORDER BY id) FROM js_doc;
SELECT json_build_object('id', 1, 'list', json_build_array(1, 'two', NULL)), to_jsonb(ROW(1, 'x')), row_to_json(js_doc) FROM js_doc WHERE id = 3;
SELECT jsonb_pretty('{"a": [1, {"b": 2}]}');
SELECT jsonb_typeof(body->'age'), json_typeof(raw) FROM js_doc ORDER BY id;
SELECT jsonb_strip_nulls('{"a": null, "b": {"c": null, "d": 1}}'), '1.50'::jsonb, '1e3'::jsonb, '"\u00e9"'::jsonb;
SELECT body['name'], body['tags'][0] FROM js_doc ORDER BY id;
UPDATE js_doc SET body['age'] = '50' WHERE id = 3 RETURNING body;
UPDATE js_doc SET body = body || jsonb_build_object('seen', true) WHERE body ? 'age';
SELECT id, body->'seen' FROM js_doc ORDER BY id;
SELECT '{"a": 1'::jsonb;
SELECT jsonb_path_query('{"a": 1}', 'strict $.b');
SELECT '[1, 2]'::jsonb -> 'x', '[1, 2]'::jsonb -> 5;
SELECT count(*) FROM js_doc WHERE body->>'name' IN ('ann', 'cid');
