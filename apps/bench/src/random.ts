/**
 * A small seeded PRNG (mulberry32): the same seed gives the same shop and the
 * same request sequence on every run, so runs differ only by the code under test.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct values of `draw` (which may favour some values over others). */
  distinct(count: number, draw: () => number): number[] {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(draw());
    return [...chosen];
  }
}
