import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hot statements of the conversion intake (SPEC §6) as PL/pgSQL functions: the session keeps
 * their plans, which spares planning a three-insert statement with some forty parameters on
 * every postback (most of the database's work for one call, as measured), on PostgreSQL and on
 * PGlite alike.
 *
 * conversion_insert_new(items): new conversions, set-based. `items` is a JSON array of
 * `{conversion, absent_key, note, log}`: the conversion keyed by the `conversions` column names,
 * a second dedupe key that must not be taken either (or null), the note of its first history row,
 * and its inbound log entry keyed by the `postbacks` column names. In array order, each one is
 * written unless its dedupe key (also by an earlier item) or `absent_key` is taken; with it go its
 * history row and log entry. Answers the ids written; for the others nothing was written.
 *
 * conversion_click_context(clicks): the visits named, each with its offer's network and payout
 * terms; no row for an unknown click.
 *
 * Both run with enable_seqscan off. A session keeps the plan it made on first use, and on a new
 * install the tables are empty then, so the planner picks sequential scans, kept as the tables
 * grow: on PGlite (no autovacuum, no ANALYZE) for the life of the process; on a server until an
 * ANALYZE. Measured: a few thousand postbacks in, each one read millions of rows. Every lookup
 * here has an index, which is the right plan at any size.
 */
const CONVERSION_COLUMNS =
  'id, created_at, updated_at, dedupe_key, visit_id, visit_created_at, click_id, campaign_id, traffic_source_id, offer_id, ' +
  'offer_link_id, landing_page_id, affiliate_network_id, conversion_type_id, transaction_id, status, payout, currency, ' +
  'reported_amount, sale_amount, last_sequence, country, source, client, geo, extra, postback_id';
const LOG_COLUMNS = 'id, created_at, endpoint, method, url, headers, body, ip, affiliate_network_id, outcome, code, reason, notes, conversion_id, replay_of';

const prefixed = (alias: string, columns: string) =>
  columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

const INSERT_NEW = `
CREATE OR REPLACE FUNCTION conversion_insert_new(items jsonb) RETURNS SETOF text LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  created text[];
BEGIN
  WITH item AS (
    SELECT e.ord, e.value AS v FROM jsonb_array_elements(items) WITH ORDINALITY AS e(value, ord)
  ), candidate AS (
    SELECT i.ord, i.v->>'absent_key' AS absent_key, i.v->>'note' AS note, ${prefixed('r', CONVERSION_COLUMNS)}
      FROM item i CROSS JOIN LATERAL jsonb_populate_record(NULL::conversions, i.v->'conversion') r
  ), ins AS (
    INSERT INTO conversions (${CONVERSION_COLUMNS})
    SELECT ${prefixed('c', CONVERSION_COLUMNS)} FROM candidate c
      -- A probe of the unique index per item (written as NOT EXISTS under an OR, the planner may hash
      -- the whole table instead).
      LEFT JOIN LATERAL (SELECT true AS hit FROM conversions x WHERE x.dedupe_key = c.absent_key LIMIT 1) taken ON true
     WHERE taken.hit IS NULL
     ORDER BY c.ord
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id, created_at, status, payout, reported_amount, last_sequence, postback_id
  ), hist AS (
    INSERT INTO conversion_history (conversion_id, created_at, status, payout, reported_amount, sequence_number, postback_id, note)
    SELECT ins.id, ins.created_at, ins.status, ins.payout, ins.reported_amount, ins.last_sequence, ins.postback_id, c.note
      FROM ins JOIN candidate c ON c.id = ins.id
  ), logged AS (
    INSERT INTO postbacks (${LOG_COLUMNS})
    SELECT ${prefixed('p', LOG_COLUMNS)}
      FROM item i CROSS JOIN LATERAL jsonb_populate_record(NULL::postbacks, i.v->'log') p
     WHERE p.conversion_id IN (SELECT id FROM ins)
  )
  SELECT array_agg(id) INTO created FROM ins;
  RETURN QUERY SELECT unnest(created);
END
$fn$`;

const CLICK_CONTEXT = `
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
$fn$`;

export class ConversionFunctions1763780000000 implements MigrationInterface {
  name = 'ConversionFunctions1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(INSERT_NEW);
    await q.query(CLICK_CONTEXT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS conversion_insert_new(jsonb)`);
    await q.query(`DROP FUNCTION IF EXISTS conversion_click_context(text[])`);
  }
}
