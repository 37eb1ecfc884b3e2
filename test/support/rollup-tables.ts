import { ALL_FAMILIES } from '../../migrations/1797300000000-route-rollups';
import { SLOT_FAMILY } from '../../migrations/1797400000000-slot-rollups';
import { SLOT_VALUE_FAMILY } from '../../migrations/1797500000000-slot-value-rollups';

/** Every table the click rollups keep: the families' tables and the slots' day counts. */
export const ROLLUP_TABLES: readonly string[] = [...Object.keys({ ...ALL_FAMILIES, ...SLOT_FAMILY, ...SLOT_VALUE_FAMILY }), 'rollup_slot_days'];
