-- visits_id_floor(t): the smallest id that can be minted at or after `t` (src/common/ids.ts
-- idFloor): 12 hex digits of milliseconds since the epoch, then twelve zeros. Ids sort by time, so
-- [visits_id_floor(a), visits_id_floor(b)) holds exactly the visits created in [a, b); `visits` is
-- partitioned on these bounds (one partition per UTC day).

CREATE OR REPLACE FUNCTION visits_id_floor(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT lpad(to_hex(greatest(0, ceil(extract(epoch FROM t) * 1000))::bigint), 12, '0') || '000000000000'
$fn$;
