// Minecraft Java framing: every packet is VarInt(length) + VarInt(id) + fields. Only the few packets the
// proxy reads or writes before it starts piping are decoded here.

export class ProtocolError extends Error {}

/** Protocol limit for the length prefix of a frame (2^21 - 1 fits in 3 bytes). */
export const MAX_FRAME_LENGTH_BYTES = 3;

/** Decodes a VarInt at `offset`; undefined when the buffer ends before the VarInt does. */
export function readVarInt(
  buf: Buffer,
  offset: number,
  maxBytes = 5,
): { value: number; size: number } | undefined {
  let value = 0;
  for (let i = 0; i < maxBytes; i++) {
    if (offset + i >= buf.length) return undefined;
    const b = buf[offset + i];
    value |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) === 0) return { value, size: i + 1 };
  }
  throw new ProtocolError(`VarInt longer than ${maxBytes} bytes`);
}

export function writeVarInt(value: number): Buffer {
  const bytes: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    bytes.push(b);
  } while (v !== 0);
  return Buffer.from(bytes);
}

export function encodeString(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([writeVarInt(body.length), body]);
}

export function encodePacket(id: number, ...fields: Buffer[]): Buffer {
  const body = Buffer.concat([writeVarInt(id), ...fields]);
  return Buffer.concat([writeVarInt(body.length), body]);
}

/**
 * Reads one frame starting at `offset`. Returns its body (id + fields) and the offset after it, or
 * undefined when more bytes are needed. Throws as soon as the length prefix is malformed or above
 * `maxLength`, so an attacker cannot make the proxy wait for (or buffer) a huge frame.
 */
export function readFrame(
  buf: Buffer,
  offset: number,
  maxLength: number,
): { body: Buffer; end: number } | undefined {
  const len = readVarInt(buf, offset, MAX_FRAME_LENGTH_BYTES);
  if (!len) return undefined;
  if (len.value <= 0 || len.value > maxLength) {
    throw new ProtocolError(`packet length ${len.value} outside 1..${maxLength}`);
  }
  const start = offset + len.size;
  const end = start + len.value;
  if (end > buf.length) return undefined;
  return { body: buf.subarray(start, end), end };
}

/** Sequential field reader over one packet body; every underflow is a ProtocolError. */
export class PacketReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  varInt(): number {
    const r = readVarInt(this.buf, this.pos);
    if (!r) throw new ProtocolError('truncated VarInt');
    this.pos += r.size;
    return r.value;
  }

  /** A protocol string: at most `maxChars` UTF-16 units, so at most 4 bytes per unit on the wire. */
  string(maxChars: number): string {
    const len = this.varInt();
    if (len < 0 || len > maxChars * 4) throw new ProtocolError(`string of ${len} bytes exceeds ${maxChars} chars`);
    const s = this.bytes(len).toString('utf8');
    if (s.length > maxChars) throw new ProtocolError(`string of ${s.length} chars exceeds ${maxChars}`);
    return s;
  }

  u16(): number {
    return this.bytes(2).readUInt16BE(0);
  }

  bool(): boolean {
    const b = this.bytes(1)[0];
    if (b > 1) throw new ProtocolError(`bad boolean ${b}`);
    return b === 1;
  }

  /** A 16-byte UUID as the dashed lowercase string the contract uses. */
  uuid(): string {
    const hex = this.bytes(16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** A VarInt-prefixed byte array. */
  byteArray(maxBytes: number): Buffer {
    const len = this.varInt();
    if (len < 0 || len > maxBytes) throw new ProtocolError(`byte array of ${len} exceeds ${maxBytes}`);
    return this.bytes(len);
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new ProtocolError('packet shorter than its fields');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
