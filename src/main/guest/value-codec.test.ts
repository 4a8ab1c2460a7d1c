import { describe, expect, it } from 'vitest';
import { CodecBuffer, decode, encode } from './value-codec';

const buffer = (bytes = 4096) => new CodecBuffer(new SharedArrayBuffer(bytes), 0, bytes);

function roundTrip(value: unknown, b = buffer()): unknown {
  expect(encode(b, value)).toBeGreaterThan(0);
  return decode(b);
}

describe('value codec', () => {
  it('round-trips every shape the contract uses, like structured clone does', () => {
    const values: unknown[] = [
      undefined,
      null,
      true,
      false,
      0,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      0.5,
      -0,
      Number.NaN,
      Infinity,
      0n,
      (1n << 64n) - 1n,
      -(1n << 63n),
      '',
      'denied_user',
      'x'.repeat(300),
      'ünïcödé ✓ 🎮',
      new Uint8Array([0, 1, 255]),
      new Uint32Array([0, 1, 2 ** 32 - 1]),
      new Int32Array([-(2 ** 31), 5]),
      new Uint16Array([65535]),
      new Int16Array([-1]),
      new Int8Array([-128, 127]),
      new Float32Array([0.5, -2]),
      new Float64Array([Math.PI]),
      new BigUint64Array([(1n << 64n) - 1n]),
      new BigInt64Array([-(1n << 63n)]),
      new Uint32Array(0),
      // A 0.3.0 text arena as jco lifts it: children and translatable arguments are Uint32Arrays.
      { nodes: [{ content: { tag: 'translatable', val: ['k', new Uint32Array([1]), undefined] }, style: {}, children: new Uint32Array([1]) }, { content: { tag: 'text', val: 'x' }, style: {}, children: new Uint32Array(0) }] },
      [],
      [1, 'a', [2n, undefined]],
      { tag: 'none' },
      { tag: 'pre-login', val: { profile: { uuid: '00000000-0000-3000-8000-000000000000', username: 'denied_user', properties: [{ name: 'textures', value: 'v', signature: undefined }] }, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' } },
      { $resource: 'Player', id: 7n },
    ];
    for (const v of values) expect(roundTrip(v)).toEqual(structuredClone(v));
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip({ a: undefined })).toHaveProperty('a', undefined);
  });

  it('hands back equal strings from its cache only when every byte matches', () => {
    const b = buffer();
    // Same length, same hash bucket candidates: the cache must compare, not trust the hash.
    for (const s of ['ab', 'ba', 'ab', 'Aa', 'BB', 'Aa']) expect(roundTrip(s, b)).toBe(s);
  });

  it('declines what it cannot carry, so the caller sends it another way', () => {
    expect(encode(buffer(), new Map())).toBe(-1);
    expect(encode(buffer(), new Date(0))).toBe(-1);
    expect(encode(buffer(), { nested: [Symbol('x')] })).toBe(-1);
    expect(encode(buffer(), 1n << 64n)).toBe(-1);
    expect(encode(buffer(), Buffer.from('node buffer'))).toBe(-1);
    expect(encode(buffer(64), 'x'.repeat(100))).toBe(-1);
    expect(encode(buffer(64), 'é'.repeat(40))).toBe(-1);
    expect(encode(buffer(64), new Uint8Array(100))).toBe(-1);
    expect(encode(buffer(64), new Uint32Array(20))).toBe(-1);
    expect(encode(buffer(), new Uint8ClampedArray(2))).toBe(-1);
    expect(encode(buffer(), new DataView(new ArrayBuffer(2)))).toBe(-1);
  });

  it('copies bytes out of shared memory: a decoded value survives the next encode', () => {
    const b = buffer();
    encode(b, new Uint8Array([1, 2, 3]));
    const bytes = decode(b) as Uint8Array;
    encode(b, new Uint8Array([9, 9, 9]));
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(bytes.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('decodes a typed array at an odd offset into an aligned copy of its own', () => {
    const b = buffer();
    expect(encode(b, ['x', new Uint32Array([7, 8])])).toBeGreaterThan(0); // the array starts at an odd byte
    const [, words] = decode(b) as [string, Uint32Array];
    encode(b, ['x', new Uint32Array([1, 1])]);
    expect(words).toBeInstanceOf(Uint32Array);
    expect([...words]).toEqual([7, 8]);
    expect(words.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
