import { InitialSchema1763700000000 } from './1763700000000-initial-schema';

/** Every migration, in order. A new one is added here as well as in its own file. */
export const migrations = [InitialSchema1763700000000];
