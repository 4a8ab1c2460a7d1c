import { describe, expect, it } from 'vitest';
import { uuidFrom, uuidMatchKey, uuidMatches } from './uuid-halves';

describe('uuidMatches', () => {
  const text = '8de14dc4-2b77-398d-b0be-ce2204a89f1e';

  it('matches the uuid given exactly, as bigints', () => {
    expect(uuidMatches(uuidFrom(text), text)).toBe(true);
    expect(uuidMatches(uuidFrom(text), text.toUpperCase())).toBe(true);
  });

  it('matches the uuid a QuickJS guest gives back, each half rounded to a double', () => {
    const real = uuidFrom(text);
    const asNumbers = { hi: Number(real.hi), lo: Number(real.lo) } as unknown as typeof real;
    expect(BigInt(asNumbers.hi)).not.toBe(real.hi);
    expect(uuidMatches(asNumbers, text)).toBe(true);
    expect(uuidMatches({ hi: BigInt(Number(real.hi)), lo: BigInt(Number(real.lo)) }, text)).toBe(true);
  });

  it('refuses another uuid', () => {
    const real = uuidFrom(text);
    expect(uuidMatches({ hi: real.hi, lo: real.lo ^ (1n << 40n) }, text)).toBe(false);
    expect(uuidMatches({ hi: real.hi ^ 1n << 63n, lo: real.lo }, text)).toBe(false);
    expect(uuidMatches(uuidFrom('00000000-0000-0000-0000-000000000000'), text)).toBe(false);
  });

  it('names no uuid with text that is not one', () => {
    expect(uuidMatches(uuidFrom('00000000-0000-0000-0000-000000000000'), '')).toBe(false);
    expect(uuidMatches(uuidFrom('00000000-0000-0000-0000-000000000000'), 'not-a-uuid')).toBe(false);
  });

  it('keys a uuid and its rounded form alike, and a half that rounds up to 2^64 apart from zero', () => {
    const real = uuidFrom(text);
    expect(uuidMatchKey({ hi: Number(real.hi), lo: Number(real.lo) })).toBe(uuidMatchKey(real));
    expect(uuidMatchKey({ hi: real.hi, lo: real.lo + (1n << 11n) })).not.toBe(uuidMatchKey(real));
    const top = uuidFrom('ffffffff-ffff-ffff-ffff-ffffffffffff');
    expect(uuidMatches(top, '00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(uuidMatches({ hi: Number(top.hi), lo: Number(top.lo) }, 'ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(true);
  });
});
