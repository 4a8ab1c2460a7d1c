import { describe, expect, it } from 'vitest';
import { CODEC_FILTER_GOALS, goalText, marginOf, summaryTable, verdictOf } from './goals';

describe('goal verdicts', () => {
  const atLeast = { on: 'ratio' as const, min: 0.9 };
  it('judges the median when the spread is narrower than the goal margin', () => {
    expect(marginOf(atLeast)).toBeCloseTo(0.1);
    expect(verdictOf({ median: 0.93, q1: 0.9, q3: 0.96 }, atLeast)).toBe('met');
    expect(verdictOf({ median: 0.85, q1: 0.82, q3: 0.88 }, atLeast)).toBe('not met');
  });
  it('gives no result when a spread wider than the margin straddles the goal, whatever the median', () => {
    expect(verdictOf({ median: 1.2, q1: 0.85, q3: 1.5 }, atLeast)).toBe('spread too wide');
    expect(verdictOf({ median: 0.91, q1: 0.88, q3: 0.95 }, atLeast)).toBe('met'); // narrow: the median decides
  });
  it('judges a wide spread that lies wholly on one side of the goal', () => {
    expect(verdictOf({ median: 1.2, q1: 0.95, q3: 1.5 }, atLeast)).toBe('met');
    expect(verdictOf({ median: 37, q1: 31, q3: 39 }, { on: 'ratio', max: 5 })).toBe('not met');
  });
  it('takes margins from differences, ranges and explicit values', () => {
    expect(marginOf({ on: 'diff', max: 1 })).toBe(1);
    expect(marginOf({ on: 'ratio', min: 0.95, max: 1.05 })).toBeCloseTo(0.1);
    expect(marginOf({ on: 'absolute', max: 250, margin: 50 })).toBe(50);
    expect(goalText({ on: 'ratio', min: 0.95, max: 1.05 })).toBe('0.95–1.05×');
  });
  it("reads issue 15's packets/s goals as the filter's added time per packet", () => {
    // 100,000 packets/s from a WAT filter: at most 10 µs added; 30,000 from a TypeScript one: at most 33 µs.
    expect(goalText(CODEC_FILTER_GOALS.wat)).toBe('≤ 10');
    expect(verdictOf({ median: 8, q1: 6, q3: 9 }, CODEC_FILTER_GOALS.wat)).toBe('met');
    expect(verdictOf({ median: 46, q1: 40, q3: 50 }, CODEC_FILTER_GOALS.wat)).toBe('not met');
    expect(verdictOf({ median: 30, q1: 25, q3: 32 }, CODEC_FILTER_GOALS.typescript)).toBe('met');
    expect(verdictOf({ median: 40, q1: 36, q3: 45 }, CODEC_FILTER_GOALS.typescript)).toBe('not met');
  });
});

describe('summary table', () => {
  it('lists every figure with a goal and counts the rest', () => {
    const figure = { median: 0.93, q1: 0.9, q3: 0.96 };
    const row = { bench: 'proxy', on: 'ratio' as const, unit: '×', figure, samples: 30, beside: '' };
    const table = summaryTable([
      { ...row, measure: 'upload, no plugin: proxy / pipe', goal: '≥ 0.9×', verdict: 'met' },
      { ...row, measure: 'status/s', goal: '—', verdict: 'no goal' },
    ]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toMatch(/upload, no plugin: proxy \/ pipe\s+≥ 0\.9×\s+0\.93× \(IQR 0\.90–0\.96, n=30\)\s+met/);
    expect(table).toContain('1 more figure without a goal');
  });
});
