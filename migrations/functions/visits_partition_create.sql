-- visits_partition_create(day): makes sure the partition of `visits` for one UTC day exists
-- (`visits_pYYYYMMDD`, ids from visits_id_floor(day) to visits_id_floor(day + 1)); answers whether
-- it was made now.
--
-- The partition is made empty and then ATTACHed, which takes only a SHARE UPDATE EXCLUSIVE lock on
-- `visits` (clicks keep being written to the other partitions). Visits of that day that had landed
-- in the default partition (a spool replay of an old click, a day made late) are moved into it
-- first. They are moved partition to partition: the statement triggers on `visits` (the report
-- rollups) do not fire, so the totals, which already count these visits, stay as they are.

CREATE OR REPLACE FUNCTION visits_partition_create(day date) RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  part text := 'visits_p' || to_char(day, 'YYYYMMDD');
  lo text := visits_id_floor(day::timestamp AT TIME ZONE 'UTC');
  hi text := visits_id_floor((day + 1)::timestamp AT TIME ZONE 'UTC');
  moving boolean;
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE visits INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', part);
  moving := to_regclass('visits_default') IS NOT NULL AND EXISTS (SELECT 1 FROM visits_default WHERE id >= lo AND id < hi);
  IF moving THEN
    EXECUTE format('WITH m AS (DELETE FROM visits_default WHERE id >= %L AND id < %L RETURNING *) INSERT INTO %I SELECT * FROM m', lo, hi, part);
  END IF;
  EXECUTE format('ALTER TABLE visits ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  RETURN true;
END
$fn$;
