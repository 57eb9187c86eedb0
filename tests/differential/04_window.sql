-- Window functions, grouping sets and ordered-set aggregates.
CREATE TABLE win_sale (region text, month int, amount numeric);
INSERT INTO win_sale VALUES
  ('north', 1, 10), ('north', 2, 20), ('north', 3, 20), ('north', 4, 5),
  ('south', 1, 7), ('south', 2, 7), ('south', 3, 30),
  ('west', 1, 1);
SELECT region, month, amount,
       row_number() OVER w, rank() OVER w, dense_rank() OVER w
  FROM win_sale WINDOW w AS (PARTITION BY region ORDER BY amount DESC, month)
 ORDER BY region, month;
SELECT region, month, sum(amount) OVER (PARTITION BY region ORDER BY month) AS running,
       avg(amount) OVER (PARTITION BY region) AS avg_region
  FROM win_sale ORDER BY region, month;
SELECT month, amount, lag(amount) OVER o, lead(amount, 2, -1) OVER o,
       first_value(amount) OVER o, last_value(amount) OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  FROM win_sale WHERE region = 'north' WINDOW o AS (ORDER BY month) ORDER BY month;
SELECT month, amount,
       sum(amount) OVER (ORDER BY month ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS rows3,
       sum(amount) OVER (ORDER BY amount RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS range5,
       count(*) OVER (ORDER BY amount GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS grp
  FROM win_sale WHERE region = 'north' ORDER BY month;
SELECT region, month, ntile(2) OVER (PARTITION BY region ORDER BY month),
       round(percent_rank() OVER (ORDER BY amount)::numeric, 4),
       round(cume_dist() OVER (ORDER BY amount)::numeric, 4),
       nth_value(month, 2) OVER (PARTITION BY region ORDER BY month)
  FROM win_sale ORDER BY region, month;
SELECT region, month, sum(amount) FROM win_sale GROUP BY ROLLUP (region, month) ORDER BY region NULLS LAST, month NULLS LAST;
SELECT region, month > 2 AS late, count(*) FROM win_sale GROUP BY CUBE (region, month > 2) ORDER BY 1 NULLS FIRST, 2 NULLS FIRST;
SELECT region, GROUPING(region), sum(amount) FROM win_sale GROUP BY GROUPING SETS ((region), ()) ORDER BY region NULLS LAST;
SELECT count(*) FILTER (WHERE amount > 10), sum(amount) FILTER (WHERE region = 'south') FROM win_sale;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount), percentile_disc(0.5) WITHIN GROUP (ORDER BY amount),
       mode() WITHIN GROUP (ORDER BY amount) FROM win_sale;
SELECT region, string_agg(month::text, ',' ORDER BY month DESC) FROM win_sale GROUP BY region ORDER BY region;
SELECT region, sum(amount) FROM win_sale GROUP BY region HAVING sum(amount) > 10 ORDER BY 2 DESC;
SELECT * FROM (SELECT region, month, rank() OVER (PARTITION BY region ORDER BY amount DESC, month) r FROM win_sale) s WHERE r = 1 ORDER BY region;
SELECT row_number() OVER () FROM win_sale WHERE false;
SELECT rank() FROM win_sale;
SELECT bool_and(amount > 0), bool_or(amount > 25), every(month < 5) FROM win_sale;
SELECT stddev_samp(amount)::numeric(10, 4), var_pop(amount)::numeric(10, 4), corr(month, amount)::numeric(10, 6) FROM win_sale;
