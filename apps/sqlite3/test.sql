-- 10,000 rows inserted in one transaction from a recursive CTE, an index,
-- then aggregates. Deterministic output (no time, no randomness).
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, v INTEGER NOT NULL);
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000)
INSERT INTO t(id, name, v) SELECT x, 'row' || x, (x * 7919) % 1000 FROM c;
COMMIT;
SELECT count(*), sum(v), min(v), max(v), printf('%.3f', avg(v)) FROM t;
CREATE INDEX t_v ON t(v);
SELECT v % 5 AS bucket, count(*), sum(id) FROM t GROUP BY bucket ORDER BY bucket;
SELECT group_concat(name, ',') FROM (SELECT name FROM t WHERE v = 500 ORDER BY id LIMIT 3);
SELECT sqlite_version() IS NOT NULL;
