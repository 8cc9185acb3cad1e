// Pure checks on a unit tree given as child code → parent code (null for a root). Shared by the repository's
// import (which refuses bad input) and the admin CSV import (which reports each bad line).

/**
 * For each of `codes` that lies on a parent cycle, the cycle starting and ending at it: ["A", "B", "A"].
 * Codes whose parent chain merely leads into a cycle, or to an unknown parent, are not on one.
 */
export function parentCycles(parentOf: ReadonlyMap<string, string | null>, codes: Iterable<string>): Map<string, string[]> {
  const cycles = new Map<string, string[]>();
  for (const start of codes) {
    const path = [start];
    const seen = new Set([start]);
    let current = parentOf.get(start) ?? null;
    while (current !== null && !seen.has(current)) {
      path.push(current);
      seen.add(current);
      current = parentOf.get(current) ?? null;
    }
    if (current === start) cycles.set(start, [...path, start]);
  }
  return cycles;
}

/** `codes` ordered so that a code's parent (when it is also in `codes`) comes before it. Assumes no cycle. */
export function parentsFirst(parentOf: ReadonlyMap<string, string | null>, codes: readonly string[]): string[] {
  const wanted = new Set(codes);
  const done = new Set<string>();
  const ordered: string[] = [];
  for (const code of codes) {
    // Walk up to the highest not-yet-placed ancestor in `codes`, then place the chain top-down.
    const chain: string[] = [];
    let current: string | null = code;
    while (current !== null && wanted.has(current) && !done.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = parentOf.get(current) ?? null;
    }
    for (const c of chain.reverse()) {
      done.add(c);
      ordered.push(c);
    }
  }
  return ordered;
}
