// The measuring method itself: interleaving, warm-up discarded, the median of per-pair ratios, and that it holds
// up when the machine's speed swings. Scripted figures make the first three fully deterministic; the last times
// fixed amounts of real CPU work and asserts only ratios between neighbouring slices. (The same check on real
// sockets, the net pipe against itself, is the first row of `npm run bench proxy`: socket timing shares the CPU
// with whatever else CI runs, so it reports its spread there instead of failing here.)
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compare } from './compare';

describe('compare', () => {
  it('alternates A B / B A, discards the warm-up and takes the median of the per-pair ratios', async () => {
    const order: string[] = [];
    let calls = 0;
    // Warm-up slices give wild figures: counted, they would move the median.
    const side = (name: string, figure: number) => async () => (order.push(name), ++calls <= 4 ? 1000 * figure : figure);
    const c = await compare(side('a', 10), side('b', 20), { pairs: 5, warmup: 2 });
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(c.pairs).toBe(5);
    expect(c.ratio).toEqual({ median: 2, q1: 2, q3: 2 });
    expect(c.diff.median).toBe(10);
    expect(c.a.median).toBe(10);
  });

  it('cancels a machine whose speed swings 4x from one pair to the next', async () => {
    // A noisy neighbour: the machine's speed changes from one pair to the next (fixed script, no clock).
    const speed = [1, 0.25, 0.6, 1, 0.3, 0.9, 0.25, 0.5, 1, 0.4, 0.7, 0.3];
    let slice = 0;
    const machine = (work: number) => async () => work / speed[Math.floor(slice++ / 2) % speed.length]!;
    const c = await compare(machine(1), machine(2), { pairs: 10, warmup: 1 });
    expect(c.ratio.median).toBeCloseTo(2, 10);
    expect(c.ratio.q3 - c.ratio.q1).toBeCloseTo(0, 10);
    expect(c.a.q3 / c.a.q1).toBeGreaterThan(1.5); // each side alone swings
  });

  it('alternates the runs of a best-of pair and keeps the best of each side', async () => {
    const order: string[] = [];
    const figures = { a: [3, 4, 1, 6, 6, 6], b: [9, 5, 2, 7, 7, 7] };
    const side = (name: 'a' | 'b') => async () => (order.push(name), figures[name].shift()!);
    const c = await compare(side('a'), side('b'), { pairs: 2, warmup: 0, bestOf: { runs: 3, keep: 'max' } });
    expect(order.join('')).toBe('abbaab' + 'baabba');
    expect([c.a.median, c.b.median]).toEqual([5, 8]); // pair 1: 4 vs 9, pair 2: 6 vs 7
  });

  it('reads a side against itself as 1 and twice the work as 2, on real CPU time', async () => {
    // A fixed amount of hashing: the only thing that varies is the machine, which the method must cancel.
    const buf = Buffer.alloc(64 * 1024, 1);
    const work = (rounds: number) => async () => {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) createHash('sha256').update(buf).digest();
      return performance.now() - t0;
    };
    const opts = { pairs: 40, warmup: 4, bestOf: { runs: 3, keep: 'min' as const } };
    const same = await compare(work(10), work(10), opts);
    expect(same.ratio.median).toBeGreaterThan(0.95);
    expect(same.ratio.median).toBeLessThan(1.05);
    const twice = await compare(work(10), work(20), opts);
    expect(twice.ratio.median).toBeGreaterThan(1.8);
    expect(twice.ratio.median).toBeLessThan(2.2);
  });
});
