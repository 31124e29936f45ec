/**
 * How deep a request's input may nest, on every door. The API's inputs are two
 * levels deep; a few thousand levels, which JSON.parse takes, overflowed the
 * stack of whatever walked them by recursion next (a 500).
 */
export const MAX_INPUT_DEPTH = 32;

/** Whether a parsed value nests deeper than `maxDepth`: level by level rather than by recursion, which a deep value would break. */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > maxDepth) return true;
    level = level.flatMap((item): unknown[] => (typeof item === 'object' && item !== null ? Object.values(item) : []));
  }
  return false;
}
