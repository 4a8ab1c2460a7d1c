// A compact binary encoding of the values that cross between the main thread and a guest worker
// (events, outcomes, host-call arguments and answers), written straight into shared memory. Structured
// clone costs ~6 µs and v8.serialize ~30 µs for a pre-login event; this costs well under 1 µs.
// It covers what the contract's JavaScript shapes use: undefined, null, booleans, numbers, bigints in the
// 64-bit range, strings, Uint8Arrays and the other typed arrays jco lifts lists of numbers to (0.3.0's text
// arenas carry Uint32Arrays), arrays and plain objects. Anything else (or a value that does not
// fit the buffer) makes `encode` return -1, and the caller sends that value by postMessage instead.

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const INT = 4;
const FLOAT = 5;
const U64 = 6;
const I64 = 7;
const ASCII = 8;
const UTF8 = 9;
const BYTES = 10;
const ARRAY = 11;
const OBJECT = 12;
const TYPED = 13; // followed by the index of its class in TYPED_ARRAYS

/** The typed arrays other than Uint8Array (BYTES) that jco lifts `list<number type>` to. */
const TYPED_ARRAYS = [Uint32Array, Int32Array, Uint16Array, Int16Array, Int8Array, Float32Array, Float64Array, BigUint64Array, BigInt64Array] as const;
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[number]>;

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/** Views over one region of a SharedArrayBuffer that values are encoded into. */
export class CodecBuffer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly buf: Buffer;
  constructor(sab: SharedArrayBuffer, offset: number, length: number) {
    this.bytes = new Uint8Array(sab, offset, length);
    this.view = new DataView(sab, offset, length);
    this.buf = Buffer.from(sab, offset, length);
  }
}

class Overflow extends Error {}
const overflow = new Overflow();

/** Encodes `value` at the start of `b`; returns the length written, or -1 when it cannot (caller falls back). */
export function encode(b: CodecBuffer, value: unknown): number {
  try {
    return write(b, 0, value);
  } catch (err) {
    if (err === overflow) return -1;
    throw err;
  }
}

function need(b: CodecBuffer, at: number, n: number): void {
  if (at + n > b.bytes.length) throw overflow;
}

function write(b: CodecBuffer, at: number, v: unknown): number {
  need(b, at, 9);
  const { bytes, view } = b;
  switch (typeof v) {
    case 'undefined':
      bytes[at] = UNDEFINED;
      return at + 1;
    case 'boolean':
      bytes[at] = v ? TRUE : FALSE;
      return at + 1;
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        bytes[at] = INT;
        view.setInt32(at + 1, v, true);
        return at + 5;
      }
      bytes[at] = FLOAT;
      view.setFloat64(at + 1, v, true);
      return at + 9;
    case 'bigint':
      if (v >= 0n && v <= U64_MAX) {
        bytes[at] = U64;
        view.setBigUint64(at + 1, v, true);
      } else if (v < 0n && v >= I64_MIN) {
        bytes[at] = I64;
        view.setBigInt64(at + 1, v, true);
      } else throw overflow;
      return at + 9;
    case 'string':
      return writeString(b, at, v);
    case 'object': {
      if (v === null) {
        bytes[at] = NULL;
        return at + 1;
      }
      if (Array.isArray(v)) {
        bytes[at] = ARRAY;
        view.setUint32(at + 1, v.length, true);
        let p = at + 5;
        for (let i = 0; i < v.length; i++) p = write(b, p, v[i]);
        return p;
      }
      if (v instanceof Uint8Array && v.constructor === Uint8Array) {
        need(b, at, 5 + v.length);
        bytes[at] = BYTES;
        view.setUint32(at + 1, v.length, true);
        bytes.set(v, at + 5);
        return at + 5 + v.length;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (ArrayBuffer.isView(v)) return writeTyped(b, at, v as TypedArray);
      if (proto !== Object.prototype && proto !== null) throw overflow;
      bytes[at] = OBJECT;
      const countAt = at + 1;
      let p = at + 5;
      let count = 0;
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        p = writeString(b, p, key);
        p = write(b, p, (v as Record<string, unknown>)[key]);
        count++;
      }
      view.setUint32(countAt, count, true);
      return p;
    }
    default:
      throw overflow;
  }
}

function writeTyped(b: CodecBuffer, at: number, v: TypedArray): number {
  // Exact classes only: a subclass (a Node Buffer) would not come back as itself.
  const kind = TYPED_ARRAYS.findIndex((c) => v.constructor === c);
  if (kind < 0) throw overflow;
  need(b, at, 6 + v.byteLength);
  b.bytes[at] = TYPED;
  b.bytes[at + 1] = kind;
  b.view.setUint32(at + 2, v.byteLength, true);
  b.bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at + 6);
  return at + 6 + v.byteLength;
}

function writeString(b: CodecBuffer, at: number, s: string): number {
  const n = s.length;
  need(b, at, 5 + n);
  const { bytes } = b;
  let i = 0;
  // Most strings on this path are short ASCII (names, addresses, JSON chat): copied char by char.
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    bytes[at + 5 + i] = c;
  }
  if (i === n) {
    bytes[at] = ASCII;
    b.view.setUint32(at + 1, n, true);
    return at + 5 + n;
  }
  need(b, at, 5 + Buffer.byteLength(s));
  const len = b.buf.write(s, at + 5, 'utf8');
  bytes[at] = UTF8;
  b.view.setUint32(at + 1, len, true);
  return at + 5 + len;
}

/** Decodes a value `encode` wrote into `b`. */
export function decode(b: CodecBuffer): unknown {
  pos = 0;
  return read(b);
}

let pos = 0;

function read(b: CodecBuffer): unknown {
  const { bytes, view } = b;
  const tag = bytes[pos++];
  switch (tag) {
    case UNDEFINED:
      return undefined;
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case INT:
      pos += 4;
      return view.getInt32(pos - 4, true);
    case FLOAT:
      pos += 8;
      return view.getFloat64(pos - 8, true);
    case U64:
      pos += 8;
      return view.getBigUint64(pos - 8, true);
    case I64:
      pos += 8;
      return view.getBigInt64(pos - 8, true);
    case ASCII:
    case UTF8:
      return readString(b, tag);
    case BYTES: {
      const n = view.getUint32(pos, true);
      pos += 4 + n;
      return bytes.slice(pos - n, pos);
    }
    case TYPED: {
      const kind = bytes[pos]!;
      const n = view.getUint32(pos + 1, true);
      pos += 5 + n;
      // A copy of its own (aligned, not shared) under the array.
      return new TYPED_ARRAYS[kind]!(bytes.slice(pos - n, pos).buffer);
    }
    case ARRAY: {
      const n = view.getUint32(pos, true);
      pos += 4;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = read(b);
      return out;
    }
    case OBJECT: {
      const n = view.getUint32(pos, true);
      pos += 4;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = readString(b, bytes[pos++]!);
        out[key] = read(b);
      }
      return out;
    }
    default:
      throw new Error(`value codec: unknown tag ${tag} at ${pos - 1}`);
  }
}

function readString(b: CodecBuffer, tag: number | undefined): string {
  const n = b.view.getUint32(pos, true);
  const start = pos + 4;
  pos = start + n;
  if (tag !== ASCII) return b.buf.toString('utf8', start, pos);
  if (n > 24) return b.buf.toString('latin1', start, pos);
  // Short ASCII (object keys, tags, names) repeats from call to call: a small cache hands back the
  // same string, so V8 neither allocates nor re-hashes it when it becomes a property key.
  const bytes = b.bytes;
  let h = n;
  for (let i = start; i < pos; i++) h = (h * 31 + bytes[i]!) | 0;
  const slot = h & (CACHE_SIZE - 1);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (hit.charCodeAt(i) !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  const s = String.fromCharCode.apply(null, bytes.subarray(start, pos) as unknown as number[]);
  cache[slot] = s;
  return s;
}

const CACHE_SIZE = 1024;
const cache = new Array<string | undefined>(CACHE_SIZE);
