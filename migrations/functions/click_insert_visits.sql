-- click_insert_visits(batch): the click group commit in one call (SPEC §4). A batch of visits is
-- written, the uniqueness fingerprints are updated, and conversions that were waiting for these
-- click ids are attributed, all or nothing. A function rather than a statement sent each time:
-- PL/pgSQL keeps the plans of its statements for the session, which spares the planning of this
-- statement on every batch (more than half of the database's work for a small batch), and it runs
-- the attribution UPDATE (and the triggers on conversions) only when a conversion is waiting.
--
-- `batch` is a JSON array of objects keyed by the column names below (VisitRecord), as `json`, not
-- `jsonb`: read once into records, it is not worth building a jsonb document of the whole batch
-- first (22-28 against 16-18 µs of database CPU per visit to read it, issue 14). Answers the
-- ids written, each with how many waiting conversions the batch attributed (the same number on
-- every row); an id that already existed is skipped and left out, so the caller mints it again.
--
-- A conversion attributed here takes the offer's payout terms as a postback attributing it would
-- (conversion.rules.ts payoutFor: `fixed` the offer's amount; else the amount the network reported,
-- else the offer's), gets a history row saying so, and a row in conversion_attributions: its
-- messages (traffic source postback, campaign-filtered subscriptions) are due, and the announcer
-- writes them into the outbox. All in the click's transaction (issue 13.7).
--
-- Uniqueness: both CTEs see the fingerprints as they were before the call, so within the batch
-- only the first visit of a fingerprint can be unique. Fingerprints are upserted in key order, so
-- concurrent batches lock them in the same order and cannot deadlock on them.

CREATE OR REPLACE FUNCTION click_insert_visits(batch json) RETURNS TABLE (written_id text, attributed integer) LANGUAGE plpgsql AS $fn$
DECLARE
  written text[];
  n integer := 0;
  w record;
  new_payout numeric;
  new_currency text;
BEGIN
  WITH raw AS (
    SELECT r.*, md5(coalesce(r.ip, '') || chr(10) || coalesce(r.ua, '')) AS fingerprint
    FROM json_to_recordset(batch) AS r(
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

  -- Conversions that arrived before their click (SPEC §6) take the visit's attribution now; locked
  -- in id order, so two batches (or a batch and a postback) cannot deadlock on them.
  IF EXISTS (SELECT 1 FROM conversions c WHERE c.visit_id IS NULL AND c.click_id = ANY (written)) THEN
    FOR w IN
      SELECT c.id AS conversion_id, c.status, c.payout, c.currency, c.reported_amount, c.affiliate_network_id,
             v.id AS visit_id, v.created_at AS visit_created_at, v.campaign_id, v.offer_id, v.offer_link_id,
             v.landing_page_id, v.traffic_source_id, v.country,
             o.affiliate_network_id AS offer_network_id, o.payout_type, o.payout_amount, o.payout_currency
      FROM conversions c JOIN visits v ON v.id = c.click_id LEFT JOIN offers o ON o.id = v.offer_id
      WHERE c.click_id = ANY (written) AND c.visit_id IS NULL AND v.id = ANY (written)
      ORDER BY c.id
      FOR UPDATE OF c
    LOOP
      IF w.payout_type = 'fixed' THEN
        new_payout := w.payout_amount; new_currency := w.payout_currency;
      ELSIF w.reported_amount IS NOT NULL THEN
        new_payout := w.reported_amount; new_currency := w.currency;
      ELSIF w.payout_type IS NOT NULL THEN
        new_payout := w.payout_amount; new_currency := w.payout_currency;
      ELSE
        new_payout := w.payout; new_currency := w.currency;
      END IF;

      UPDATE conversions SET
        visit_id = w.visit_id, visit_created_at = w.visit_created_at, campaign_id = w.campaign_id, offer_id = w.offer_id,
        offer_link_id = w.offer_link_id, landing_page_id = w.landing_page_id, traffic_source_id = w.traffic_source_id,
        country = w.country, affiliate_network_id = coalesce(w.affiliate_network_id, w.offer_network_id),
        payout = new_payout, currency = new_currency
      WHERE conversions.id = w.conversion_id;

      INSERT INTO conversion_history (conversion_id, created_at, status, payout, currency, source, note)
      VALUES (w.conversion_id, now(), w.status, new_payout, new_currency, 'click',
        'attributed to click ' || w.visit_id || ' when the click was recorded'
        || CASE WHEN new_payout = w.payout AND new_currency = w.currency THEN ''
                ELSE '; payout ' || w.payout || ' ' || w.currency || ' -> ' || new_payout || ' ' || new_currency || ' (offer terms)' END);

      INSERT INTO conversion_attributions (conversion_id, previous_network_id, payout_changed)
      VALUES (w.conversion_id, w.affiliate_network_id, NOT (new_payout = w.payout AND new_currency = w.currency))
      ON CONFLICT (conversion_id) DO NOTHING;
      n := n + 1;
    END LOOP;
  END IF;

  RETURN QUERY SELECT u.id, n FROM unnest(written) AS u(id);
END
$fn$;
