// Goals and verdicts: every bench reports its figures here, one line each as it goes, and `npm run bench`
// prints them again as one summary table at the end (and writes them as JSON with --json FILE).
// A verdict is read off the paired figure (ratio or difference) of bench/compare.ts; only goals that are
// absolute by nature (a deadline, a load-time budget) are judged on an absolute figure, and say so.
import type { Comparison } from './compare';
import type { Spread } from './stats';

export interface Goal {
  /** What the goal is about: the per-pair ratio B / A, the per-pair difference B − A, or an absolute figure. */
  on: 'ratio' | 'diff' | 'absolute';
  min?: number;
  max?: number;
  /**
   * How finely the goal asks to resolve: a spread (IQR) wider than this cannot say whether it is met. By default
   * the distance from no change (1 for ratios, 0 otherwise) to the threshold, or the width of a min–max band.
   */
  margin?: number;
  /** Where the goal comes from, or what it stands for. */
  note?: string;
}

/**
 * Issue 15's codec filter goals: packets per second through one `offline` connection with one pass-through
 * filter, measured against no filter in the same run. A goal of N packets/s is read on the filter's own added
 * time per packet (paired difference): at most 1e6 / N µs, so that the filter alone sustains N packets/s
 * whatever this machine's proxy and peers manage without it (on 2 shared cores the no-filter path itself
 * stays under 100,000 packets/s, so an absolute figure would judge the machine, not the filter).
 */
export const CODEC_FILTER_GOALS = {
  wat: { on: 'diff', max: 1e6 / 100_000, note: 'issue 15: ≥ 100,000 packets/s with a WAT filter (≤ 10 µs added per packet)' },
  typescript: { on: 'diff', max: Math.round(1e6 / 30_000), note: 'issue 15: ≥ 30,000 packets/s with a TypeScript filter (≤ 33 µs added per packet)' },
} as const satisfies Record<string, Goal>;

export type Verdict = 'met' | 'not met' | 'spread too wide' | 'no goal';

export interface Outcome {
  bench: string;
  measure: string;
  /** The figure judged: a ratio, a difference or an absolute value, in `unit`. */
  on: Goal['on'];
  unit: string;
  figure: Spread;
  samples: number;
  goal: string;
  /** Where the goal comes from. */
  note?: string;
  verdict: Verdict;
  /** Absolute figures of each side, for reading only. */
  beside: string;
}

const outcomes: Outcome[] = [];

export const allOutcomes = (): readonly Outcome[] => outcomes;

export function goalText(g: Goal): string {
  const u = g.on === 'ratio' ? '×' : '';
  if (g.min !== undefined && g.max !== undefined) return `${g.min}–${g.max}${u}`;
  return g.min !== undefined ? `≥ ${g.min}${u}` : `≤ ${g.max!}${u}`;
}

export function marginOf(g: Goal): number {
  if (g.margin !== undefined) return g.margin;
  if (g.min !== undefined && g.max !== undefined) return g.max - g.min;
  const neutral = g.on === 'ratio' ? 1 : 0;
  return Math.abs((g.min ?? g.max!) - neutral);
}

/**
 * Met or not when the whole IQR lies on one side of the goal; when it straddles the threshold, the median decides
 * only if the IQR is no wider than the goal's margin, otherwise the run cannot say.
 */
export function verdictOf(figure: Spread, g: Goal): Verdict {
  const ok = (x: number) => (g.min === undefined || x >= g.min) && (g.max === undefined || x <= g.max);
  if (ok(figure.q1) && ok(figure.q3)) return 'met';
  const below = (x: number) => g.min !== undefined && x < g.min;
  const above = (x: number) => g.max !== undefined && x > g.max;
  if ((below(figure.q1) && below(figure.q3)) || (above(figure.q1) && above(figure.q3))) return 'not met';
  if (wide(figure, g)) return 'spread too wide';
  return ok(figure.median) ? 'met' : 'not met';
}

const wide = (figure: Spread, g: Goal) => figure.q3 - figure.q1 > marginOf(g);

/** Records and prints one paired figure (a comparison of bench/compare.ts): its ratio, or its difference (`on`). */
export function reportComparison(bench: string, measure: string, c: Comparison, opts: { goal?: Goal; on?: 'ratio' | 'diff'; unit?: string; beside: string }): Outcome {
  const on = (opts.goal?.on ?? opts.on) === 'diff' ? 'diff' : 'ratio';
  return record({
    bench,
    measure,
    on,
    unit: on === 'diff' ? (opts.unit ?? '') : '×',
    figure: on === 'diff' ? c.diff : c.ratio,
    samples: c.pairs,
    goal: opts.goal ? `${goalText(opts.goal)}${on === 'diff' && opts.unit ? ` ${opts.unit}` : ''}` : '—',
    verdict: opts.goal ? verdictOf(on === 'diff' ? c.diff : c.ratio, opts.goal) : 'no goal',
    beside: opts.beside,
  }, opts.goal);
}

/** Records and prints a figure that is absolute by nature (a deadline, a budget), with its spread over `samples` runs. */
export function reportAbsolute(bench: string, measure: string, figure: Spread, samples: number, unit: string, goal: Goal): Outcome {
  return record({ bench, measure, on: 'absolute', unit, figure, samples, goal: `${goalText(goal)} ${unit}`, verdict: verdictOf(figure, goal), beside: '' }, goal);
}

function record(o: Outcome, goal: Goal | undefined): Outcome {
  if (goal?.note) o.note = goal.note;
  outcomes.push(o);
  const verdict = goal ? `   goal ${o.goal}: ${o.verdict}` : '';
  const kind = o.on === 'absolute' ? ' (absolute)' : '';
  console.log(`${o.measure.padEnd(50)} ${figureText(o)}${kind}   ${o.beside}${verdict}`);
  if (goal && wide(o.figure, goal)) {
    const then = o.verdict === 'spread too wide' ? 'no result from this run' : `${o.verdict} only because the whole IQR is on that side of the goal`;
    console.log(`  -> spread ${num(o.figure.q3 - o.figure.q1)} is wider than this goal's margin ${num(marginOf(goal))}: ${then}`);
  }
  return o;
}

export function figureText(o: Outcome): string {
  const u = o.unit === '×' ? '×' : o.unit ? ` ${o.unit}` : '';
  return `${num(o.figure.median)}${u} (IQR ${num(o.figure.q1)}–${num(o.figure.q3)}, n=${o.samples})`;
}

/** Two decimals for ordinary figures, fewer for large ones, two significant digits for tiny ones. */
export function num(x: number): string {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.1 || a === 0 ? x.toFixed(2) : x.toPrecision(2);
}

/** Every figure with a goal; the others are in the bench output and the JSON. */
export function summaryTable(all: readonly Outcome[] = outcomes): string {
  const list = all.filter((o) => o.verdict !== 'no goal');
  const rows = [['bench', 'measure', 'goal', 'figure (IQR, n)', 'verdict'], ...list.map((o) => [o.bench, o.measure, o.goal, figureText(o), o.verdict])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const rest = all.length - list.length;
  return [...table, ...(rest ? [`(${rest} more figure${rest > 1 ? 's' : ''} without a goal above, and in --json)`] : [])].join('\n');
}
