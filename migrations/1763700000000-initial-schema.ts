import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema, in plain PostgreSQL 15 SQL (it runs unchanged on PGlite and on a server).
 * Money is `numeric` (exact); ids of clicks, conversions and log rows are 24-hex time-ordered text.
 */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('admin', 'read')),
        key_hash text NOT NULL,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        archived_at timestamptz,
        CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
      )`);

    await q.query(`
      CREATE TABLE traffic_sources (
        id text PRIMARY KEY,
        name text NOT NULL,
        click_id_param text,
        cost_param text,
        params jsonb NOT NULL DEFAULT '[]',
        postback_url text,
        postback_statuses jsonb NOT NULL DEFAULT '["approved"]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE affiliate_networks (
        id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL DEFAULT 'generic' CHECK (kind IN ('generic', 'trackdesk', 'tradedoubler', 'tradetracker')),
        postback_token text,
        allowed_ips jsonb NOT NULL DEFAULT '[]',
        params jsonb NOT NULL DEFAULT '{}',
        status_map jsonb NOT NULL DEFAULT '{}',
        default_status text NOT NULL DEFAULT 'approved' CHECK (default_status IN ('pending', 'approved', 'declined')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE offers (
        id text PRIMARY KEY,
        name text NOT NULL,
        affiliate_network_id text REFERENCES affiliate_networks (id),
        url text NOT NULL,
        payout_type text NOT NULL DEFAULT 'dynamic' CHECK (payout_type IN ('fixed', 'dynamic')),
        payout_amount numeric NOT NULL DEFAULT 0,
        payout_currency text NOT NULL DEFAULT 'USD',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE offer_links (
        id text PRIMARY KEY,
        offer_id text NOT NULL REFERENCES offers (id),
        name text NOT NULL,
        url text NOT NULL,
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_offer_links_offer ON offer_links (offer_id)`);

    await q.query(`
      CREATE TABLE landing_pages (
        id text PRIMARY KEY,
        name text NOT NULL,
        url text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE conversion_types (
        id text PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        aliases jsonb NOT NULL DEFAULT '[]',
        multiple_per_click boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_conversion_types_code ON conversion_types (lower(code))`);
    await q.query(`
      INSERT INTO conversion_types (id, code, name, aliases, created_at) VALUES
        ('1', 'cps', 'Sale', '["sale", "sales"]', now()),
        ('2', 'cpl', 'Lead', '["lead"]', now() + interval '1 millisecond'),
        ('3', 'cpi', 'Install', '["install"]', now() + interval '2 millisecond')`);

    await q.query(`
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        key text NOT NULL,
        name text NOT NULL,
        category text,
        traffic_source_id text REFERENCES traffic_sources (id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
        cost_model text NOT NULL DEFAULT 'none' CHECK (cost_model IN ('none', 'cpc', 'cpm', 'auto')),
        cost_amount numeric NOT NULL DEFAULT 0,
        cost_currency text NOT NULL DEFAULT 'USD',
        destinations jsonb NOT NULL DEFAULT '[]',
        fallback_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        CONSTRAINT uq_campaigns_key UNIQUE (key)
      )`);

    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO settings (key, value) VALUES ('exchange_rates', '{"base": "USD", "rates": {}}')`);

    // Visits (clicks): the hottest insert table, so few indexes.
    await q.query(`
      CREATE TABLE visits (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        campaign_id text NOT NULL,
        traffic_source_id text,
        offer_id text,
        offer_link_id text,
        landing_page_id text,
        external_id text,
        query jsonb NOT NULL DEFAULT '{}',
        remaped jsonb NOT NULL DEFAULT '{}',
        cost numeric NOT NULL DEFAULT 0,
        cost_currency text NOT NULL DEFAULT 'USD',
        ip text,
        forwarded_for text,
        ua text,
        agent jsonb,
        os jsonb,
        device jsonb,
        browser text,
        os_family text,
        device_family text,
        mobile boolean NOT NULL DEFAULT false,
        bot boolean NOT NULL DEFAULT false,
        lang text,
        country text,
        geoname_id integer,
        region text,
        city text,
        tz text,
        referer text,
        method text NOT NULL DEFAULT 'GET',
        url text,
        protocol text,
        host text,
        is_unique boolean NOT NULL DEFAULT true,
        lp_clicked_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_visits_campaign_created ON visits (campaign_id, created_at)`);
    await q.query(`CREATE INDEX ix_visits_created ON visits (created_at)`);

    // One row per (campaign, visitor fingerprint): decides the visit's "unique" flag (SPEC §4).
    await q.query(`
      CREATE TABLE visit_uniques (
        campaign_id text NOT NULL,
        fingerprint text NOT NULL,
        last_seen timestamptz NOT NULL,
        CONSTRAINT pk_visit_uniques PRIMARY KEY (campaign_id, fingerprint)
      )`);

    // The inbound log: every conversion call, raw, with what became of it (SPEC §6).
    await q.query(`
      CREATE TABLE postbacks (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        endpoint text NOT NULL,
        method text NOT NULL,
        url text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        body text,
        ip text,
        affiliate_network_id text,
        outcome text NOT NULL CHECK (outcome IN ('accepted', 'updated', 'duplicate', 'unattributed', 'rejected')),
        code text,
        reason text,
        notes jsonb NOT NULL DEFAULT '[]',
        conversion_id text,
        replay_of text,
        replayed_by text
      )`);
    await q.query(`CREATE INDEX ix_postbacks_outcome_created ON postbacks (outcome, created_at)`);
    await q.query(`CREATE INDEX ix_postbacks_created ON postbacks (created_at)`);

    await q.query(`
      CREATE TABLE conversions (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        dedupe_key text NOT NULL,
        visit_id text,
        visit_created_at timestamptz,
        click_id text,
        campaign_id text,
        traffic_source_id text,
        offer_id text,
        offer_link_id text,
        landing_page_id text,
        affiliate_network_id text,
        conversion_type_id text NOT NULL,
        transaction_id text,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
        payout numeric NOT NULL DEFAULT 0,
        currency text NOT NULL DEFAULT 'USD',
        reported_amount numeric,
        sale_amount numeric,
        last_sequence bigint,
        country text,
        source jsonb NOT NULL DEFAULT '{}',
        client jsonb NOT NULL DEFAULT '{}',
        geo jsonb NOT NULL DEFAULT '{}',
        extra jsonb NOT NULL DEFAULT '{}',
        postback_id text,
        ts_postback_sent boolean NOT NULL DEFAULT false,
        CONSTRAINT uq_conversions_dedupe UNIQUE (dedupe_key)
      )`);
    await q.query(`CREATE INDEX ix_conversions_created ON conversions (created_at)`);
    await q.query(`CREATE INDEX ix_conversions_campaign_created ON conversions (campaign_id, created_at)`);
    await q.query(`CREATE INDEX ix_conversions_visit ON conversions (visit_id)`);
    // Unattributed conversions wait for their click (SPEC §6); the partial index stays tiny.
    await q.query(`CREATE INDEX ix_conversions_unattributed ON conversions (click_id) WHERE visit_id IS NULL`);

    await q.query(`
      CREATE TABLE conversion_history (
        id bigserial PRIMARY KEY,
        conversion_id text NOT NULL REFERENCES conversions (id),
        created_at timestamptz NOT NULL,
        status text NOT NULL,
        payout numeric NOT NULL,
        reported_amount numeric,
        sequence_number bigint,
        postback_id text,
        note text
      )`);
    await q.query(`CREATE INDEX ix_conversion_history_conversion ON conversion_history (conversion_id, id)`);

    await q.query(`
      CREATE TABLE subscriptions (
        id text PRIMARY KEY,
        name text,
        filter jsonb NOT NULL DEFAULT '{}',
        receivers jsonb NOT NULL DEFAULT '[]',
        currency_conversion jsonb,
        custom_attribute jsonb,
        secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz
      )`);

    // The outbox: written in the conversion's transaction, drained by the dispatcher (SPEC §7).
    await q.query(`
      CREATE TABLE outbox_messages (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        conversion_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('traffic_source', 'subscription')),
        subscription_id text,
        receiver_index integer,
        target text NOT NULL,
        sequence_number integer NOT NULL,
        method text NOT NULL,
        url text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        body text,
        signing_secret text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'blocked')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_error text,
        delivered_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_outbox_due ON outbox_messages (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_outbox_order ON outbox_messages (conversion_id, target, sequence_number)`);
    await q.query(`CREATE INDEX ix_outbox_created ON outbox_messages (created_at)`);

    await q.query(`
      CREATE TABLE delivery_attempts (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        message_id text NOT NULL REFERENCES outbox_messages (id),
        attempt integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'blocked')),
        status_code integer,
        latency_ms integer,
        response_snippet text,
        error text
      )`);
    await q.query(`CREATE INDEX ix_delivery_attempts_message ON delivery_attempts (message_id, created_at)`);
    await q.query(`CREATE INDEX ix_delivery_attempts_created ON delivery_attempts (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'delivery_attempts',
      'outbox_messages',
      'subscriptions',
      'conversion_history',
      'conversions',
      'postbacks',
      'visit_uniques',
      'visits',
      'settings',
      'campaigns',
      'conversion_types',
      'landing_pages',
      'offer_links',
      'offers',
      'affiliate_networks',
      'traffic_sources',
      'api_keys',
    ])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
