-- conversion_click_context(clicks): the visits named, each with its offer's network and payout
-- terms; no row for an unknown click. Read by every conversion call (SPEC §6). A function so the
-- session keeps its plan; enable_seqscan off for the reason given in conversion_insert_new.sql.

CREATE OR REPLACE FUNCTION conversion_click_context(clicks text[])
RETURNS TABLE (id text, created_at timestamptz, campaign_id text, traffic_source_id text, offer_id text, offer_link_id text,
               landing_page_id text, country text, affiliate_network_id text, payout_type text, payout_amount numeric,
               payout_currency text)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT v.id, v.created_at, v.campaign_id, v.traffic_source_id, v.offer_id, v.offer_link_id, v.landing_page_id, v.country,
         o.affiliate_network_id, o.payout_type, o.payout_amount, o.payout_currency
    FROM visits v LEFT JOIN offers o ON o.id = v.offer_id
   WHERE v.id = ANY (clicks);
END
$fn$;
