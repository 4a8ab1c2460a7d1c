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
   * Each side's figure in a pair is the best of this many runs (`max` for a rate, `min` for a time), the two
   * sides' runs alternating: a neighbour's burst on a shared core only ever slows a run down, so the best of a
   * few adjacent runs is the side's own speed at that moment.
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
  const runs = bestOf?.runs ?? 1;
  const keep = bestOf?.keep === 'min' ? Math.min : Math.max;
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < warmup + pairs; i++) {
    // A pair is `runs` alternating runs of each side (A B B A ...), so each side's best is taken beside the other's.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < runs; r++) {
      if ((i + r) % 2 === 0) {
        xs.push(await a());
        ys.push(await b());
      } else {
        ys.push(await b());
        xs.push(await a());
      }
    }
    const [x, y] = [keep(...xs), keep(...ys)];
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
