-- GET /api/v1/reports?from=2024-03-10T18%3A07%3A00Z&to=2024-03-11T20%3A00%3A00Z&groupBy=campaign%2Crule%2Cmobile%2Czone%2Cday&tz=Asia%2FKolkata
-- click side: raw visits
WITH pieces (s, e, label) AS (
  SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamp[])
),
rates (currency, rate) AS (
  SELECT * FROM unnest($4::text[], $5::numeric[])
),
click_totals AS (
  SELECT v.campaign_id AS d0,
         CASE WHEN v.rule_index IS NULL THEN NULL ELSE lpad(v.rule_index::text, 3, '0') || '|' || coalesce(v.rule_name, '') END AS d1,
         v.mobile AS d2,
         v.remaped ->> $9 AS d3,
         rr.label AS d4,
         v.cost_currency AS currency,
         count(*) AS clicks,
         count(*) FILTER (WHERE v.is_unique) AS unique_clicks,
         count(*) FILTER (WHERE v.bot) AS bot_clicks,
         count(*) FILTER (WHERE v.landing_page_id IS NOT NULL) AS lander_visits,
         count(*) FILTER (WHERE v.lp_clicked_at IS NOT NULL) AS lander_clicks,
         sum(v.cost) AS cost
  FROM pieces AS rr (s, e, label)
  JOIN visits v ON v.created_at >= rr.s AND v.created_at < rr.e AND v.created_at >= $7::timestamptz AND v.created_at < $8::timestamptz
  GROUP BY 1, 2, 3, 4, 5, 6
),
conversion_totals AS (
  SELECT x.* FROM pieces rr CROSS JOIN LATERAL (
  SELECT f.campaign_id AS d0,
         CASE WHEN f.rule_index IS NULL THEN NULL ELSE lpad(f.rule_index::text, 3, '0') || '|' || coalesce(f.rule_name, '') END AS d1,
         f.mobile AS d2,
         f.remaped ->> $10 AS d3,
         date_trunc('day', rr.label) AS d4,
         count(*) FILTER (WHERE f.status <> 'declined') AS conversions,
         count(*) FILTER (WHERE f.status = 'approved') AS approved,
         count(*) FILTER (WHERE f.status = 'pending') AS pending,
         count(*) FILTER (WHERE f.status = 'declined') AS declined,
         coalesce(sum(CASE WHEN f.currency = $6 THEN f.payout ELSE (f.payout + 0.000000000000000000000000000000) / fr.rate END) FILTER (WHERE f.status <> 'declined'), 0) AS revenue,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - f.visit_created_at)) FILTER (WHERE f.status <> 'declined' AND f.visit_created_at IS NOT NULL) AS ttc,
         array_agg(DISTINCT f.currency) FILTER (WHERE f.status <> 'declined' AND f.currency <> $6 AND fr.rate IS NULL AND f.payout <> 0) AS unrated
  FROM conversion_facts f
  LEFT JOIN rates fr ON fr.currency = f.currency
  WHERE f.created_at >= rr.s AND f.created_at < rr.e
  GROUP BY 1, 2, 3, 4, 5
  ) x
),
merged AS (
  SELECT d0, d1, d2, d3, d4, currency, clicks, unique_clicks, bot_clicks, lander_visits, lander_clicks, cost, 0 AS conversions, 0 AS approved, 0 AS pending, 0 AS declined, 0 AS revenue, NULL::float8 AS ttc FROM click_totals
  UNION ALL
  SELECT d0, d1, d2, d3, d4, $6 AS currency, 0 AS clicks, 0 AS unique_clicks, 0 AS bot_clicks, 0 AS lander_visits, 0 AS lander_clicks, 0 AS cost,
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
         m.d2,
         m.d3,
         date_trunc('day', m.d4) AS d4,
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
  GROUP BY m.d0, m.d1, m.d2, m.d3, date_trunc('day', m.d4)
  HAVING sum(m.clicks) <> 0 OR sum(m.conversions) <> 0 OR sum(m.declined) <> 0 OR sum(m.cost) <> 0
)
SELECT c.rows, to_json(s.missing_rates)::text AS missing_rates, s.row_count::text AS row_count
FROM (SELECT max(t.missing_rates) AS missing_rates, count(*) AS row_count FROM t) s
LEFT JOIN LATERAL (
  SELECT (x.n - 1) / 64 AS chunk, string_agg(x.j, ',' ORDER BY x.n) AS rows
  FROM (SELECT $11::text || CASE WHEN t.d0 IS NULL THEN 'null' ELSE '{"id":' || to_json(t.d0)::text || ',"name":' || coalesce(to_json(e0.name)::text, 'null') || '}' END
    || $12::text || CASE WHEN t.d1 IS NULL THEN 'null' ELSE '{"index":' || split_part(t.d1, '|', 1)::integer::text || ',"name":' || to_json(substr(t.d1, strpos(t.d1, '|') + 1))::text || '}' END
    || $13::text || coalesce(to_json(t.d2)::text, 'null')
    || $14::text || coalesce(to_json(t.d3)::text, 'null')
    || $15::text || coalesce('"' || to_char(t.d4, 'YYYY-MM-DD') || '"', 'null')
    || $16::text || coalesce((t.clicks)::text, 'null')
    || $17::text || coalesce((t.unique_clicks)::text, 'null')
    || $18::text || coalesce((t.bot_clicks)::text, 'null')
    || $19::text || coalesce((t.conversions)::text, 'null')
    || $20::text || coalesce((t.approved)::text, 'null')
    || $21::text || coalesce((t.pending)::text, 'null')
    || $22::text || coalesce((t.declined)::text, 'null')
    || $23::text || coalesce((round(t.revenue, 4)::float8)::text, 'null')
    || $24::text || coalesce((round(t.cost, 4)::float8)::text, 'null')
    || $25::text || coalesce((round(t.revenue - t.cost, 4)::float8)::text, 'null')
    || $26::text || coalesce((((t.revenue - t.cost + 0.000000000000000000000000000000) / NULLIF(t.cost, 0))::float8)::text, 'null')
    || $27::text || coalesce((t.conversions::float8 / NULLIF(t.clicks, 0)::float8)::text, 'null')
    || $28::text || coalesce((((t.revenue + 0.000000000000000000000000000000) / NULLIF(t.clicks, 0))::float8)::text, 'null')
    || $29::text || coalesce((((t.cost + 0.000000000000000000000000000000) / NULLIF(t.conversions, 0))::float8)::text, 'null')
    || $30::text || coalesce((t.lander_clicks)::text, 'null')
    || $31::text || coalesce((t.lander_clicks::float8 / NULLIF(t.lander_visits, 0)::float8)::text, 'null')
    || $32::text || coalesce((t.ttc_median)::text, 'null')
    || '}' AS j,
          row_number() OVER (ORDER BY e0.name, t.d0, t.d1, t.d2, t.d3, t.d4) AS n
        FROM t
        LEFT JOIN campaigns e0 ON e0.id = t.d0) x
  WHERE s.row_count <= $33
  GROUP BY 1
) c ON true
ORDER BY c.chunk
