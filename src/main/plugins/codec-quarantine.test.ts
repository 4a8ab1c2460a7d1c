import { describe, expect, it } from 'vitest';
import { CodecQuarantine } from './codec-quarantine';

describe('codec filter quarantine per client address (§4.8)', () => {
  it('quarantines after five traps within 10 s, for 10 s doubling to 5 min, per address', () => {
    let now = 0;
    const q = new CodecQuarantine(() => now);
    for (let i = 0; i < 4; i++) expect(q.trapped('f', '10.0.0.1')).toBe(0);
    now = 10_001; // the first four fall out of the window
    expect(q.trapped('f', '10.0.0.1')).toBe(0);
    for (let i = 0; i < 3; i++) expect(q.trapped('f', '10.0.0.1')).toBe(0);
    expect(q.trapped('f', '10.0.0.1')).toBe(10_000);
    expect(q.left('f', '10.0.0.1')).toBe(10_000);
    expect(q.left('f', '10.0.0.2')).toBe(0);
    expect(q.left('g', '10.0.0.1')).toBe(0);
    const lengths = [];
    for (let round = 0; round < 6; round++) {
      now += 400_000;
      for (let i = 0; i < 5; i++) q.trapped('f', '10.0.0.1');
      lengths.push(q.left('f', '10.0.0.1'));
    }
    expect(lengths).toEqual([20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    q.forget('f');
    expect(q.left('f', '10.0.0.1')).toBe(0);
  });
});
