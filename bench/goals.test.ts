import { describe, expect, it } from 'vitest';
import { goalText, marginOf, verdictOf } from './goals';

describe('goal verdicts', () => {
  const atLeast = { on: 'ratio' as const, min: 0.9 };
  it('judges the median when the spread is narrower than the goal margin', () => {
    expect(marginOf(atLeast)).toBeCloseTo(0.1);
    expect(verdictOf({ median: 0.93, q1: 0.9, q3: 0.96 }, atLeast)).toBe('met');
    expect(verdictOf({ median: 0.85, q1: 0.82, q3: 0.88 }, atLeast)).toBe('not met');
  });
  it('gives no result when the spread is wider than the margin, whatever the median', () => {
    expect(verdictOf({ median: 1.2, q1: 0.9, q3: 1.5 }, atLeast)).toBe('spread too wide');
  });
  it('takes margins from differences, ranges and explicit values', () => {
    expect(marginOf({ on: 'diff', max: 1 })).toBe(1);
    expect(marginOf({ on: 'ratio', min: 0.95, max: 1.05 })).toBeCloseTo(0.1);
    expect(marginOf({ on: 'absolute', max: 250, margin: 50 })).toBe(50);
    expect(goalText({ on: 'ratio', min: 0.95, max: 1.05 })).toBe('0.95–1.05×');
  });
});
