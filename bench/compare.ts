// The one way a benchmark compares two sides on a noisy shared machine. Short slices of A and B alternate on
// the same warm processes (A B, then B A, so neither side always runs first), the first pairs are discarded as
// warm-up, and the figure is the median of the per-pair ratios B / A with its interquartile range. A pair runs
// within a few milliseconds of itself, so whatever else the machine is doing slows both halves alike; the
// absolute figures of each side are kept for printing beside, never for a verdict.
import { median, percentile, spread, timeIt, type Spread } from './stats';

/** One slice of one side: does a short, fixed amount of work and returns its figure (a rate or a time per unit). */
export type Slice = () => Promise<number>;

export interface CompareOptions {
  /** Pairs kept for the figure. */
  pairs: number;
  /** Pairs run first and discarded (JIT tier-up, caches, connection pools). */
  warmup?: number;
  /**
   * Each slice is this many runs back to back, and its figure the best of them (`max` for a rate, `min` for a
   * time): a neighbour's burst on a shared core only ever slows a run down, so the best of a few adjacent runs is
   * the side's own speed at that moment.
   */
  bestOf?: { runs: number; keep: 'max' | 'min' };
}

export interface Comparison {
  pairs: number;
  /** B / A, one per pair. */
  ratio: Spread;
  /** B − A, one per pair, in the slices' unit (an added latency, say). */
  diff: Spread;
  /** Each side's own slice figures: absolute, noisy, for printing only. */
  a: Spread;
  b: Spread;
}

export async function compare(a: Slice, b: Slice, { pairs, warmup = 2, bestOf }: CompareOptions): Promise<Comparison> {
  if (pairs < 1) throw new Error('compare needs at least one pair');
  if (bestOf) [a, b] = [best(a, bestOf), best(b, bestOf)];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < warmup + pairs; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      x = await a();
      y = await b();
    } else {
      y = await b();
      x = await a();
    }
    if (!(Number.isFinite(x) && Number.isFinite(y)) || x <= 0 || y <= 0) throw new Error(`a slice gave no usable figure (A ${x}, B ${y})`);
    if (i < warmup) continue;
    as.push(x);
    bs.push(y);
  }
  return {
    pairs,
    ratio: spread(bs.map((y, i) => y / as[i]!)),
    diff: spread(bs.map((y, i) => y - as[i]!)),
    a: spread(as),
    b: spread(bs),
  };
}

function best(run: Slice, { runs, keep }: NonNullable<CompareOptions['bestOf']>): Slice {
  return async () => {
    const figures: number[] = [];
    for (let i = 0; i < runs; i++) figures.push(await run());
    return keep === 'max' ? Math.max(...figures) : Math.min(...figures);
  };
}

/** A slice of `calls` timed calls, one after the other: its figure is their median, its p99 kept in `p99s`. */
export function timedCalls(calls: number, call: () => Promise<unknown>): { slice: Slice; p99s: number[] } {
  const p99s: number[] = [];
  const slice = async () => {
    const xs: number[] = [];
    for (let i = 0; i < calls; i++) xs.push(await timeIt(call));
    p99s.push(percentile(xs, 0.99));
    return median(xs);
  };
  return { slice, p99s };
}
