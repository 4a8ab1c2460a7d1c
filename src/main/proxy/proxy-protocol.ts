// The PROXY protocol (HAProxy's spec, v1 text and v2 binary): reading the header a load balancer puts in
// front of a connection, writing a v2 header to a backend, and the trusted-peer list (addresses and CIDR).
// Pure functions over buffers; proxy.ts drives the reading on the socket.

import { isIP, type Socket } from 'node:net';

export interface Endpoint {
  ip: string;
  port: number;
}

/** `source` null: a LOCAL (v2) or UNKNOWN (v1) header, e.g. the balancer's own health check. */
export interface ProxyHeader {
  version: 1 | 2;
  source: Endpoint | null;
  destination: Endpoint | null;
}

export type HeaderRead =
  | { status: 'incomplete' }
  | { status: 'absent' }
  | { status: 'invalid'; reason: string }
  | { status: 'ok'; header: ProxyHeader; length: number };

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** The spec's bound for a v1 line, CRLF included. */
const V1_MAX = 107;
/** Addresses plus TLVs; HAProxy sends a few dozen bytes, this leaves room for TLVs without letting a peer make us buffer 64 KiB. */
const V2_MAX_BODY = 1024;

/** True while `buf` could still become a header (it is a prefix of one of the signatures). */
function maybeSignature(buf: Buffer, sig: Buffer): boolean {
  const n = Math.min(buf.length, sig.length);
  return buf.subarray(0, n).equals(sig.subarray(0, n));
}

/** Reads a header at the start of `buf`. `absent`: these bytes are not a PROXY header (e.g. a Minecraft handshake). */
export function readProxyHeader(buf: Buffer): HeaderRead {
  if (buf.length === 0) return { status: 'incomplete' };
  if (maybeSignature(buf, V2_SIGNATURE)) {
    return buf.length < V2_SIGNATURE.length ? { status: 'incomplete' } : readV2(buf);
  }
  if (maybeSignature(buf, V1_PREFIX)) {
    return buf.length < V1_PREFIX.length ? { status: 'incomplete' } : readV1(buf);
  }
  return { status: 'absent' };
}

function readV1(buf: Buffer): HeaderRead {
  const end = buf.indexOf('\r\n', 0, 'latin1');
  if (end < 0) return buf.length >= V1_MAX ? { status: 'invalid', reason: 'v1 header longer than 107 bytes' } : { status: 'incomplete' };
  if (end + 2 > V1_MAX) return { status: 'invalid', reason: 'v1 header longer than 107 bytes' };
  const parts = buf.subarray(0, end).toString('latin1').split(' ');
  const length = end + 2;
  if (parts[1] === 'UNKNOWN') return { status: 'ok', header: { version: 1, source: null, destination: null }, length };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) {
    return { status: 'invalid', reason: 'malformed v1 header' };
  }
  const family = parts[1] === 'TCP4' ? 4 : 6;
  const [src, dst, sport, dport] = parts.slice(2);
  if (isIP(src) !== family || isIP(dst) !== family) return { status: 'invalid', reason: `v1 header has an address that is not ${parts[1]}` };
  const sp = v1Port(sport);
  const dp = v1Port(dport);
  if (sp === null || dp === null) return { status: 'invalid', reason: 'v1 header has a bad port' };
  return { status: 'ok', header: { version: 1, source: { ip: src, port: sp }, destination: { ip: dst, port: dp } }, length };
}

function v1Port(s: string): number | null {
  if (!/^(0|[1-9]\d{0,4})$/.test(s)) return null;
  const n = Number(s);
  return n <= 65535 ? n : null;
}

function readV2(buf: Buffer): HeaderRead {
  if (buf.length < 16) return { status: 'incomplete' };
  const verCmd = buf[12];
  if (verCmd >> 4 !== 2) return { status: 'invalid', reason: `v2 header with version ${verCmd >> 4}` };
  const command = verCmd & 0x0f;
  if (command > 1) return { status: 'invalid', reason: `v2 header with unknown command ${command}` };
  const bodyLength = buf.readUInt16BE(14);
  if (bodyLength > V2_MAX_BODY) return { status: 'invalid', reason: `v2 header of ${bodyLength} bytes (at most ${V2_MAX_BODY})` };
  const length = 16 + bodyLength;
  if (buf.length < length) return { status: 'incomplete' };
  // LOCAL: the balancer speaking for itself; the addresses (if any) are ignored by the spec.
  if (command === 0) return { status: 'ok', header: { version: 2, source: null, destination: null }, length };
  const body = buf.subarray(16, length);
  const family = buf[13] >> 4;
  const transport = buf[13] & 0x0f;
  if (family === 0) return { status: 'ok', header: { version: 2, source: null, destination: null }, length };
  if (transport !== 1) return { status: 'invalid', reason: 'v2 header for a transport other than TCP' };
  if (family === 1) {
    if (bodyLength < 12) return { status: 'invalid', reason: 'v2 IPv4 header too short' };
    return {
      status: 'ok',
      header: {
        version: 2,
        source: { ip: ipv4(body.subarray(0, 4)), port: body.readUInt16BE(8) },
        destination: { ip: ipv4(body.subarray(4, 8)), port: body.readUInt16BE(10) },
      },
      length,
    };
  }
  if (family === 2) {
    if (bodyLength < 36) return { status: 'invalid', reason: 'v2 IPv6 header too short' };
    return {
      status: 'ok',
      header: {
        version: 2,
        source: { ip: ipv6(body.subarray(0, 16)), port: body.readUInt16BE(32) },
        destination: { ip: ipv6(body.subarray(16, 32)), port: body.readUInt16BE(34) },
      },
      length,
    };
  }
  // AF_UNIX and unknown families carry no usable client address.
  return { status: 'invalid', reason: `v2 header with address family ${family}` };
}

function ipv4(b: Buffer): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

function ipv6(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  // Canonical short form (RFC 5952): the longest run of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text = best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  return unmapped(text);
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, as the rest of the proxy names IPv4 clients. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return ip;
}

/** A v2 PROXY header for a TCP connection from `source` to `destination`; LOCAL when either is not an IP of the same family. */
export function encodeProxyV2(source: Endpoint | null, destination: Endpoint | null): Buffer {
  const src = source && toBytes(source.ip);
  const dst = destination && toBytes(destination.ip);
  if (!src || !dst || src.length !== dst.length) {
    return Buffer.concat([V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
  }
  const body = Buffer.alloc(src.length * 2 + 4);
  src.copy(body, 0);
  dst.copy(body, src.length);
  body.writeUInt16BE(source!.port, src.length * 2);
  body.writeUInt16BE(destination!.port, src.length * 2 + 2);
  const head = Buffer.from([0x21, src.length === 4 ? 0x11 : 0x21, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, body]);
}

/** 4 or 16 bytes for an IP address, null when it is not one. IPv4-mapped IPv6 addresses give 4 bytes. */
function toBytes(ip: string): Buffer | null {
  const plain = unmapped(ip);
  if (isIP(plain) === 4) return Buffer.from(plain.split('.').map(Number));
  if (isIP(plain) !== 6) return null;
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
  const words = (s: string | undefined) => (s ? s.split(':') : []);
  let parts = words(head);
  let rest = words(tail);
  // An embedded dotted quad (e.g. 64:ff9b::1.2.3.4) is two groups.
  const expand = (list: string[]) =>
    list.flatMap((p) => {
      if (!p.includes('.')) return [p];
      const o = p.split('.').map(Number);
      return [((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16)];
    });
  parts = expand(parts);
  rest = expand(rest);
  const zeros = tail === undefined ? [] : Array<string>(8 - parts.length - rest.length).fill('0');
  const groups = [...parts, ...zeros, ...rest];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

interface Range {
  bytes: Buffer;
  prefix: number;
}

/** Parses `1.2.3.4`, `10.0.0.0/8`, `::1`, `fd00::/8`; null when it is none of these. */
export function parseCidr(text: string): Range | null {
  const [ip, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const bytes = toBytes(ip);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (bits === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { bytes, prefix: Number(bits) };
}

/** The peers allowed to send a PROXY header. */
export class TrustedPeers {
  private readonly ranges: Range[];

  constructor(entries: readonly string[]) {
    this.ranges = entries.map((e) => {
      const r = parseCidr(e);
      if (!r) throw new Error(`not an address or CIDR range: ${JSON.stringify(e)}`);
      return r;
    });
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  has(ip: string): boolean {
    const bytes = toBytes(ip);
    if (!bytes) return false;
    return this.ranges.some((r) => r.bytes.length === bytes.length && prefixMatches(r.bytes, bytes, r.prefix));
  }
}

function prefixMatches(a: Buffer, b: Buffer, bits: number): boolean {
  const full = bits >> 3;
  if (!a.subarray(0, full).equals(b.subarray(0, full))) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[full] & mask) === (b[full] & mask);
}

/** `quiet`: the peer closed without sending a byte (a balancer's TCP health check), not worth a warning. */
export type HeaderOutcome = { ok: true; source: Endpoint | null } | { ok: false; reason: string; quiet?: boolean };

/**
 * Reads the start of `socket` for a PROXY header: `required` (a trusted balancer: it must send one) or
 * `forbidden` (any other peer: sending one is a spoofing attempt). On success every byte after the
 * header is put back and the socket is left paused for the next reader.
 */
export function takeProxyHeader(socket: Socket, expect: 'required' | 'forbidden', timeoutMs: number): Promise<HeaderOutcome> {
  return new Promise((resolve) => {
    let buf: Buffer = Buffer.alloc(0);
    const finish = (outcome: HeaderOutcome, rest?: Buffer) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.pause();
      if (rest && rest.length > 0) socket.unshift(rest);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const r = readProxyHeader(buf);
      if (r.status === 'incomplete') return;
      if (r.status === 'invalid') return finish({ ok: false, reason: `bad PROXY header: ${r.reason}` });
      if (r.status === 'absent') {
        return expect === 'required'
          ? finish({ ok: false, reason: 'no PROXY header from a trusted proxy' })
          : finish({ ok: true, source: null }, buf);
      }
      if (expect === 'forbidden') return finish({ ok: false, reason: 'PROXY header from a peer not in trusted_proxies' });
      finish({ ok: true, source: r.header.source }, buf.subarray(r.length));
    };
    const onClose = () => finish({ ok: false, reason: 'closed before a PROXY header', quiet: buf.length === 0 });
    const timer = setTimeout(() => finish({ ok: false, reason: `no PROXY header within ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
