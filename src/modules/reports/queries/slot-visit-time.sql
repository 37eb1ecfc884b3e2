-- GET /api/v1/reports?from=2024-03-10T18%3A07%3A00Z&to=2024-03-11T20%3A00%3A00Z&groupBy=source&campaign=c1&conversionTime=visit
-- click side: raw visits
WITH pieces (s, e, label) AS (
  SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamp[])
),
click_totals AS (
  SELECT v.remaped ->> $4 AS d0,
         v.cost_currency AS currency,
         count(*) AS clicks,
         count(*) FILTER (WHERE v.is_unique) AS unique_clicks,
         count(*) FILTER (WHERE v.bot) AS bot_clicks,
         count(*) FILTER (WHERE v.landing_page_id IS NOT NULL) AS lander_visits,
         count(*) FILTER (WHERE v.lp_clicked_at IS NOT NULL) AS lander_clicks,
         sum(v.cost) AS cost
  FROM pieces AS rr (s, e, label)
  JOIN visits v ON v.created_at >= rr.s AND v.created_at < rr.e
  WHERE v.campaign_id = $5::text
  GROUP BY 1, 2
),
conversion_totals AS (
  SELECT f.remaped ->> $6 AS d0,
         f.currency AS currency,
         f.status AS status,
         count(*) AS n,
         sum(f.payout) AS payout
  FROM pieces rr
  JOIN conversion_facts f ON f.visit_created_at >= rr.s AND f.visit_created_at < rr.e
  WHERE f.campaign_id = $7::text
  GROUP BY 1, 2, 3
),
conversion_times AS (
  SELECT f.remaped ->> $8 AS d0,
         NULL::text AS currency,
         extract(epoch FROM f.created_at - f.visit_created_at) AS ttc
  FROM pieces rr
  JOIN conversion_facts f ON f.visit_created_at >= rr.s AND f.visit_created_at < rr.e
  WHERE f.visit_created_at IS NOT NULL
    AND f.status <> 'declined'
    AND f.campaign_id = $9::text
),
medians AS (
  SELECT m.d0 AS d0, percentile_cont(0.5) WITHIN GROUP (ORDER BY m.ttc) AS ttc
  FROM conversion_times m
  GROUP BY m.d0
),
merged AS (
  SELECT d0, currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::numeric AS ttc FROM click_totals
  UNION ALL
  SELECT d0, currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         CASE WHEN status <> 'declined' THEN n ELSE 0 END AS conversions, CASE WHEN status = 'approved' THEN n ELSE 0 END AS approved,
         CASE WHEN status = 'pending' THEN n ELSE 0 END AS pending, CASE WHEN status = 'declined' THEN n ELSE 0 END AS declined,
         CASE WHEN status <> 'declined' THEN payout ELSE 0 END AS revenue, NULL::numeric AS ttc
  FROM conversion_totals
  UNION ALL
  SELECT d0, NULL::text AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
         0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, ttc
  FROM medians
),
rates (currency, rate) AS (
  SELECT * FROM unnest($10::text[], $11::numeric[])
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
         coalesce(sum(CASE WHEN m.currency = $12 THEN m.cost ELSE m.cost / r.rate END), 0) AS cost,
         coalesce(sum(CASE WHEN m.currency = $12 THEN m.revenue ELSE m.revenue / r.rate END), 0) AS revenue,
         max(m.ttc) AS ttc_median,
         array_agg(DISTINCT m.currency) FILTER (WHERE m.currency <> $12 AND r.rate IS NULL AND (m.cost <> 0 OR m.revenue <> 0)) AS missing_rates
  FROM merged m
  LEFT JOIN rates r ON r.currency = m.currency
  GROUP BY m.d0
  HAVING sum(m.clicks) <> 0 OR sum(m.conversions) <> 0 OR sum(m.declined) <> 0 OR sum(m.cost) <> 0
)
SELECT t.d0,
       t.clicks AS "clicks",
       t.unique_clicks AS "uniqueClicks",
       t.bot_clicks AS "botClicks",
       t.conversions AS "conversions",
       t.approved AS "approved",
       t.pending AS "pending",
       t.declined AS "declined",
       t.revenue AS "revenue",
       t.cost AS "cost",
       t.revenue - t.cost AS "profit",
       (t.revenue - t.cost) / NULLIF(t.cost, 0) AS "roi",
       t.conversions::numeric / NULLIF(t.clicks, 0) AS "cr",
       t.revenue / NULLIF(t.clicks, 0) AS "epc",
       t.cost / NULLIF(t.conversions, 0) AS "cpa",
       t.lander_clicks AS "landerClicks",
       t.lander_clicks::numeric / NULLIF(t.lander_visits, 0) AS "landerCtr",
       t.ttc_median AS "timeToConvert",
       t.missing_rates
FROM t
ORDER BY t.d0
