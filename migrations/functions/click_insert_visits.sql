-- click_insert_visits(batch): the click group commit in one call (SPEC §4). A batch of visits is
-- written, the uniqueness fingerprints are updated, and conversions that were waiting for these
-- click ids are attributed, all or nothing. A function rather than a statement sent each time:
-- PL/pgSQL keeps the plans of its statements for the session, which spares the planning of this
-- statement on every batch (more than half of the database's work for a small batch), and it runs
-- the attribution UPDATE (and the triggers on conversions) only when a conversion is waiting.
--
-- `batch` is a JSON array of objects keyed by the column names below (VisitRecord). Answers the
-- ids written; an id that already existed is skipped and left out, so the caller mints it again.
--
-- Uniqueness: both CTEs see the fingerprints as they were before the call, so within the batch
-- only the first visit of a fingerprint can be unique. Fingerprints are upserted in key order, so
-- concurrent batches lock them in the same order and cannot deadlock on them.

CREATE OR REPLACE FUNCTION click_insert_visits(batch jsonb) RETURNS SETOF text LANGUAGE plpgsql AS $fn$
DECLARE
  written text[];
BEGIN
  WITH raw AS (
    SELECT r.*, md5(coalesce(r.ip, '') || chr(10) || coalesce(r.ua, '')) AS fingerprint
    FROM jsonb_to_recordset(batch) AS r(
      id text, created_at timestamptz, campaign_id text, traffic_source_id text, offer_id text, offer_link_id text,
      landing_page_id text, external_id text, query jsonb, remaped jsonb, cost numeric, cost_currency text,
      ip text, forwarded_for text, ua text, agent jsonb, os jsonb, device jsonb, mobile boolean, bot boolean, lang text,
      country text, geoname_id integer, region text, city text, tz text, referer text, method text, url text,
      protocol text, host text, rule_index smallint, rule_name text, bot_name text, datacenter text)
  ),
  b AS (
    SELECT raw.*, row_number() OVER (PARTITION BY campaign_id, fingerprint ORDER BY id) AS nth FROM raw
  ),
  ins AS (
    INSERT INTO visits (
      id, created_at, campaign_id, traffic_source_id, offer_id, offer_link_id, landing_page_id, external_id, query,
      remaped, cost, cost_currency, ip, forwarded_for, ua, agent, os, device, browser, os_family, device_family,
      mobile, bot, lang, country, geoname_id, region, city, tz, referer, method, url, protocol, host, rule_index, rule_name,
      bot_name, datacenter, is_unique)
    SELECT
      b.id, b.created_at, b.campaign_id, b.traffic_source_id, b.offer_id, b.offer_link_id, b.landing_page_id,
      b.external_id, b.query, b.remaped, b.cost, b.cost_currency, b.ip, b.forwarded_for, b.ua, b.agent, b.os,
      b.device, b.agent->>'family', b.os->>'family', b.device->>'family', b.mobile, b.bot, b.lang, b.country,
      b.geoname_id, b.region, b.city, b.tz, b.referer, b.method, b.url, b.protocol, b.host, b.rule_index, b.rule_name,
      b.bot_name, b.datacenter,
      b.nth = 1 AND NOT EXISTS (
        SELECT 1 FROM visit_uniques u
        WHERE u.campaign_id = b.campaign_id AND u.fingerprint = b.fingerprint
          AND u.last_seen > b.created_at - interval '24 hours')
    FROM b
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ),
  seen AS (
    INSERT INTO visit_uniques (campaign_id, fingerprint, last_seen)
    SELECT DISTINCT ON (b.campaign_id, b.fingerprint) b.campaign_id, b.fingerprint, b.created_at
    FROM b JOIN ins ON ins.id = b.id
    ORDER BY b.campaign_id, b.fingerprint, b.created_at DESC
    ON CONFLICT (campaign_id, fingerprint) DO UPDATE SET last_seen = greatest(visit_uniques.last_seen, excluded.last_seen)
  )
  SELECT coalesce(array_agg(id), '{}') INTO written FROM ins;

  -- Conversions that arrived before their click (SPEC §6) take the visit's attribution now.
  IF EXISTS (SELECT 1 FROM conversions WHERE visit_id IS NULL AND click_id = ANY (written)) THEN
    UPDATE conversions c SET
      visit_id = v.id, visit_created_at = v.created_at, campaign_id = v.campaign_id, offer_id = v.offer_id,
      offer_link_id = v.offer_link_id, landing_page_id = v.landing_page_id, traffic_source_id = v.traffic_source_id,
      country = v.country, affiliate_network_id = coalesce(c.affiliate_network_id, o.affiliate_network_id)
    FROM visits v LEFT JOIN offers o ON o.id = v.offer_id
    WHERE v.id = ANY (written) AND c.visit_id IS NULL AND c.click_id = v.id;
  END IF;

  RETURN QUERY SELECT unnest(written);
END
$fn$;
