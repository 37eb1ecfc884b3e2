/** Picks one destination by weight (SPEC §4). A weight of 0 never wins; none left: null. */
export function pickByWeight<T extends { weight: number }>(items: readonly T[], random: () => number = Math.random): T | null {
  let total = 0;
  for (const d of items) if (d.weight > 0) total += d.weight;
  if (total <= 0) return null;
  let r = random() * total;
  let chosen: T | null = null;
  for (const d of items) {
    if (d.weight <= 0) continue;
    chosen = d;
    r -= d.weight;
    if (r < 0) break;
  }
  return chosen;
}
