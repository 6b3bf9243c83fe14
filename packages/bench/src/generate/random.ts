import prand from 'pure-rand';

/**
 * A seeded source of randomness: the same seed gives the same catalog and the
 * same history, byte for byte, so a benchmark run can be reproduced.
 */
export class Random {
  private readonly rng: prand.RandomGenerator;

  constructor(seed: number) {
    this.rng = prand.xoroshiro128plus(seed);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return prand.unsafeUniformIntDistribution(min, max, this.rng);
  }

  /** A number in [0, 1). */
  next(): number {
    return this.int(0, 0xffffffff) / 0x100000000;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** Up to n distinct items, in their original order. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (n >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(this.int(0, items.length - 1));
    return [...chosen].sort((a, b) => a - b).map(i => items[i]);
  }

  /**
   * A duration in milliseconds from a log-normal distribution with the given
   * median: lead times and review delays have a long right tail.
   */
  logNormal(medianMs: number, spread = 0.8): number {
    // Box–Muller from two uniform draws in (0, 1).
    const u1 = (this.int(1, 1_000_000) - 0.5) / 1_000_000;
    const u2 = this.int(0, 999_999) / 1_000_000;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.round(medianMs * Math.exp(spread * z));
  }

  /** A random (version 4 shaped) UUID drawn from the seeded generator. */
  uuid(): string {
    const hex = (n: number) =>
      this.int(0, 16 ** n - 1)
        .toString(16)
        .padStart(n, '0');
    const variant = (8 + this.int(0, 3)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(6)}${hex(
      6,
    )}`;
  }

  /** A hex string of n characters, e.g. a commit SHA. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) {
      out += this.int(0, 0xffffff).toString(16).padStart(6, '0');
    }
    return out.slice(0, n);
  }
}
