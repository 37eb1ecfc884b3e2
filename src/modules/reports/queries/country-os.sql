-- GET /api/v1/reports?from=2024-03-10T18%3A07%3A00Z&to=2024-03-11T20%3A00%3A00Z&groupBy=country%2Cos
-- click side: rollup_clicks_by_audience
WITH pieces (s, e, label) AS (
  SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamp[])
),
rates (currency, rate) AS (
  SELECT * FROM unnest($4::text[], $5::numeric[])
),
click_totals AS (
  SELECT x.* FROM unnest($7::smallint[], $8::timestamptz[], $9::timestamptz[], $10::timestamp[]) AS seg (grain, s, e, label) CROSS JOIN LATERAL (
  SELECT r.country AS d0,
         r.os_family AS d1,
         r.cost_currency AS currency,
         sum(r.clicks) AS clicks,
         sum(r.unique_clicks) AS unique_clicks,
         sum(r.bot_clicks) AS bot_clicks,
         sum(r.lander_visits) AS lander_visits,
         sum(r.lander_clicks) AS lander_clicks,
         sum(r.cost) AS cost
  FROM (SELECT * FROM rollup_clicks_by_audience r WHERE r.grain = seg.grain AND r.bucket >= seg.s AND r.bucket < seg.e OFFSET 0) r
  GROUP BY 1, 2, 3
  ) x
  UNION ALL
  SELECT v.country AS d0,
         v.os_family AS d1,
         v.cost_currency AS currency,
         count(*) AS clicks,
         count(*) FILTER (WHERE v.is_unique) AS unique_clicks,
         count(*) FILTER (WHERE v.bot) AS bot_clicks,
         count(*) FILTER (WHERE v.landing_page_id IS NOT NULL) AS lander_visits,
         count(*) FILTER (WHERE v.lp_clicked_at IS NOT NULL) AS lander_clicks,
         sum(v.cost) AS cost
  FROM unnest($11::timestamptz[], $12::timestamptz[], $13::timestamp[]) AS rr (s, e, label)
  JOIN visits v ON v.created_at >= rr.s AND v.created_at < rr.e AND v.created_at >= $14::timestamptz AND v.created_at < $15::timestamptz
  GROUP BY 1, 2, 3
),
conversion_totals AS (
  SELECT f.country AS d0,
         f.os_family AS d1,
         count(*) FILTER (WHERE f.status <> 'declined') AS conversions,
         count(*) FILTER (WHERE f.status = 'approved') AS approved,
         count(*) FILTER (WHERE f.status = 'pending') AS pending,
         count(*) FILTER (WHERE f.status = 'declined') AS declined,
         coalesce(sum(CASE WHEN f.currency = $6 THEN f.payout ELSE (f.payout + 0.000000000000000000000000000000) / fr.rate END) FILTER (WHERE f.status <> 'declined'), 0) AS revenue,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - f.visit_created_at)) FILTER (WHERE f.status <> 'declined' AND f.visit_created_at IS NOT NULL) AS ttc,
         array_agg(DISTINCT f.currency) FILTER (WHERE f.status <> 'declined' AND f.currency <> $6 AND fr.rate IS NULL AND f.payout <> 0) AS unrated
  FROM pieces rr
  JOIN conversion_facts f ON f.created_at >= rr.s AND f.created_at < rr.e
  LEFT JOIN rates fr ON fr.currency = f.currency
  GROUP BY 1, 2
),
merged AS (
  SELECT d0, d1, currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::float8 AS ttc FROM click_totals
  UNION ALL
  SELECT d0, d1, $6 AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         conversions, approved, pending, declined, revenue, ttc
  FROM conversion_totals
),
missing (currencies) AS (
  SELECT array_agg(DISTINCT x.currency) FROM (
  SELECT c.currency FROM click_totals c LEFT JOIN rates r ON r.currency = c.currency WHERE c.currency <> $6 AND r.rate IS NULL AND c.cost <> 0
  UNION ALL
  SELECT unnest(unrated) FROM conversion_totals
  ) x (currency)
),
t AS (
  SELECT m.d0,
         m.d1,
         coalesce(sum(m.clicks), 0)::bigint AS clicks,
         coalesce(sum(m.unique_clicks), 0)::bigint AS unique_clicks,
         coalesce(sum(m.bot_clicks), 0)::bigint AS bot_clicks,
         coalesce(sum(m.lander_visits), 0)::bigint AS lander_visits,
         coalesce(sum(m.lander_clicks), 0)::bigint AS lander_clicks,
         coalesce(sum(m.conversions), 0)::bigint AS conversions,
         coalesce(sum(m.approved), 0)::bigint AS approved,
         coalesce(sum(m.pending), 0)::bigint AS pending,
         coalesce(sum(m.declined), 0)::bigint AS declined,
         coalesce(sum(CASE WHEN m.currency = $6 THEN m.cost ELSE (m.cost + 0.000000000000000000000000000000) / r.rate END), 0) AS cost,
         coalesce(sum(m.revenue), 0) AS revenue,
         max(m.ttc) AS ttc_median,
         (SELECT currencies FROM missing) AS missing_rates
  FROM merged m
  LEFT JOIN rates r ON r.currency = m.currency
  GROUP BY m.d0, m.d1
  HAVING sum(m.clicks) <> 0 OR sum(m.conversions) <> 0 OR sum(m.declined) <> 0 OR sum(m.cost) <> 0
)
SELECT t.d0,
       t.d1,
       t.clicks AS "clicks",
       t.unique_clicks AS "uniqueClicks",
       t.bot_clicks AS "botClicks",
       t.conversions AS "conversions",
       t.approved AS "approved",
       t.pending AS "pending",
       t.declined AS "declined",
       round(t.revenue, 4)::float8 AS "revenue",
       round(t.cost, 4)::float8 AS "cost",
       round(t.revenue - t.cost, 4)::float8 AS "profit",
       ((t.revenue - t.cost + 0.000000000000000000000000000000) / NULLIF(t.cost, 0))::float8 AS "roi",
       t.conversions::float8 / NULLIF(t.clicks, 0)::float8 AS "cr",
       ((t.revenue + 0.000000000000000000000000000000) / NULLIF(t.clicks, 0))::float8 AS "epc",
       ((t.cost + 0.000000000000000000000000000000) / NULLIF(t.conversions, 0))::float8 AS "cpa",
       t.lander_clicks AS "landerClicks",
       t.lander_clicks::float8 / NULLIF(t.lander_visits, 0)::float8 AS "landerCtr",
       t.ttc_median AS "timeToConvert",
       t.missing_rates
FROM t
ORDER BY t.d0, t.d1
