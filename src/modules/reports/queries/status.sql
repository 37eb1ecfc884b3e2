-- GET /api/v1/reports?from=2024-03-10T18%3A07%3A00Z&to=2024-03-11T20%3A00%3A00Z&groupBy=status
-- click side: none
WITH pieces (s, e, label) AS (
  SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamp[])
),
rates (currency, rate) AS (
  SELECT * FROM unnest($4::text[], $5::numeric[])
),
conversion_totals AS (
  SELECT f.status AS d0,
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
  GROUP BY 1
),
merged AS (
  SELECT d0, $6 AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         conversions, approved, pending, declined, revenue, ttc
  FROM conversion_totals
),
missing (currencies) AS (
  SELECT array_agg(DISTINCT x.currency) FROM (
  SELECT unnest(unrated) FROM conversion_totals
  ) x (currency)
),
t AS (
  SELECT m.d0,
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
  GROUP BY m.d0
  HAVING sum(m.clicks) <> 0 OR sum(m.conversions) <> 0 OR sum(m.declined) <> 0 OR sum(m.cost) <> 0
)
SELECT t.d0,
       NULL AS "clicks",
       NULL AS "uniqueClicks",
       NULL AS "botClicks",
       t.conversions AS "conversions",
       t.approved AS "approved",
       t.pending AS "pending",
       t.declined AS "declined",
       round(t.revenue, 4)::float8 AS "revenue",
       NULL AS "cost",
       NULL AS "profit",
       NULL AS "roi",
       NULL AS "cr",
       NULL AS "epc",
       NULL AS "cpa",
       NULL AS "landerClicks",
       NULL AS "landerCtr",
       t.ttc_median AS "timeToConvert",
       t.missing_rates
FROM t
ORDER BY t.d0
