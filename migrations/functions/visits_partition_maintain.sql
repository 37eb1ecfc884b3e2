-- visits_partition_maintain(ahead_days, keep_days, at): the data lifecycle of `visits` (SPEC §9),
-- run hourly by the lifecycle job under an advisory lock.
--
-- 1. The partitions of yesterday, today and the next `ahead_days` UTC days exist, and so does one
--    for every day that has visits in the default partition and is still kept.
-- 2. With `keep_days` > 0, each partition that holds nothing newer than `at - keep_days` is
--    dropped whole, and default-partition visits older than that are deleted from the partition
--    itself. Neither fires the statement triggers on `visits`, so the report rollups keep the
--    totals of the dropped days.
--
-- Answers {"created": [...], "dropped": [...], "defaultDeleted": n}.

CREATE OR REPLACE FUNCTION visits_partition_maintain(ahead_days integer, keep_days integer, at timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  today date := (at AT TIME ZONE 'UTC')::date;
  cutoff timestamptz := CASE WHEN keep_days > 0 THEN at - make_interval(days => keep_days) END;
  cutoff_id text := visits_id_floor(cutoff);
  created text[] := '{}';
  dropped text[] := '{}';
  deleted bigint := 0;
  d date;
  p record;
BEGIN
  FOR d IN
    SELECT g::date FROM generate_series(today - 1, today + ahead_days, interval '1 day') g
    UNION
    SELECT DISTINCT (to_timestamp(('x' || lpad(left(id, 12), 16, '0'))::bit(64)::bigint / 1000.0) AT TIME ZONE 'UTC')::date
      FROM visits_default
     WHERE id ~ '^[0-9a-f]{24}$' AND id < visits_id_floor((today + ahead_days + 1)::timestamp AT TIME ZONE 'UTC')
       AND (cutoff_id IS NULL OR id >= cutoff_id)
    ORDER BY 1
  LOOP
    IF visits_partition_create(d) THEN
      created := created || ('visits_p' || to_char(d, 'YYYYMMDD'));
    END IF;
  END LOOP;

  IF cutoff_id IS NOT NULL THEN
    FOR p IN
      SELECT c.relname, substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([0-9a-f]{24})''\)') AS upper_id
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'visits'::regclass
       ORDER BY 1
    LOOP
      IF p.upper_id IS NOT NULL AND p.upper_id <= cutoff_id THEN
        EXECUTE format('DROP TABLE %I', p.relname);
        dropped := dropped || p.relname::text;
      END IF;
    END LOOP;
    IF to_regclass('visits_default') IS NOT NULL THEN
      DELETE FROM visits_default WHERE id ~ '^[0-9a-f]{24}$' AND id < cutoff_id;
      GET DIAGNOSTICS deleted = ROW_COUNT;
    END IF;
  END IF;

  RETURN jsonb_build_object('created', to_jsonb(created), 'dropped', to_jsonb(dropped), 'defaultDeleted', deleted);
END
$fn$;
