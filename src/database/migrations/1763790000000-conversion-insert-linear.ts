import { MigrationInterface, QueryRunner } from 'typeorm';
import { ConversionFunctions1763780000000 } from './1763780000000-conversion-functions';

/**
 * conversion_insert_new (see 1763780000000) read each inbound log entry out of the JSON once per
 * pair of (entry, created conversion): the planner expects one created row and re-scans the items
 * for each, so a batch of n calls cost n² record reads (measured: 11 of 13.6 ms for 64 calls).
 * Same contract; the log entry now travels with its candidate and is read once, for the created
 * conversion it belongs to (the entry's conversion_id is its conversion's id).
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
  WITH candidate AS (
    SELECT e.ord, e.v->>'absent_key' AS absent_key, e.v->>'note' AS note, e.v->'log' AS log, ${prefixed('r', CONVERSION_COLUMNS)}
      FROM jsonb_array_elements(items) WITH ORDINALITY AS e(v, ord)
      CROSS JOIN LATERAL jsonb_populate_record(NULL::conversions, e.v->'conversion') r
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
      FROM ins JOIN candidate c ON c.id = ins.id
      CROSS JOIN LATERAL jsonb_populate_record(NULL::postbacks, c.log) p
  )
  SELECT array_agg(id) INTO created FROM ins;
  RETURN QUERY SELECT unnest(created);
END
$fn$`;

export class ConversionInsertLinear1763790000000 implements MigrationInterface {
  name = 'ConversionInsertLinear1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(INSERT_NEW);
  }

  async down(q: QueryRunner): Promise<void> {
    // The earlier migration's up() replaces both functions with their previous text.
    await new ConversionFunctions1763780000000().up(q);
  }
}
