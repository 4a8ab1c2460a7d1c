// Pre-1.7 server-list pings start with 0xFE instead of a VarInt frame and are answered with a 0xFF
// "kick" packet carrying a UTF-16BE string, after which the connection is closed.

import { ProtocolError } from './packet-codec.ts';

export const LEGACY_PING_ID = 0xfe;
const MAX_LEGACY_PING = 512;

export interface LegacyPing {
  /** beta: `FE` alone (b1.8–1.3); modern: `FE 01` (1.4–1.5) or `FE 01 FA …` (1.6, which names the host). */
  format: 'beta' | 'modern';
  host: string | undefined;
  port: number | undefined;
}

/** Parses what the client sent so far; undefined while a 1.6 MC|PingHost message is incomplete. */
export function parseLegacyPing(buf: Buffer): LegacyPing | undefined {
  if (buf.length > MAX_LEGACY_PING) throw new ProtocolError('legacy ping too long');
  if (buf.length === 1) return { format: 'beta', host: undefined, port: undefined };
  if (buf[1] !== 0x01) throw new ProtocolError(`bad legacy ping payload 0x${buf[1].toString(16)}`);
  if (buf.length === 2 || buf[2] !== 0xfa) return { format: 'modern', host: undefined, port: undefined };
  // FA, u16 channel length, channel "MC|PingHost" UTF-16BE, u16 data length, u8 protocol, u16 host length, host, i32 port
  let pos = 3;
  if (buf.length < pos + 2) return undefined;
  const channelChars = buf.readUInt16BE(pos);
  pos += 2 + channelChars * 2;
  if (buf.length < pos + 2) return undefined;
  const dataLen = buf.readUInt16BE(pos);
  pos += 2;
  if (buf.length < pos + dataLen) return undefined;
  if (dataLen < 7) throw new ProtocolError('legacy MC|PingHost data too short');
  const hostChars = buf.readUInt16BE(pos + 1);
  if (3 + hostChars * 2 + 4 !== dataLen) throw new ProtocolError('legacy MC|PingHost length mismatch');
  const hostEnd = pos + 3 + hostChars * 2;
  return { format: 'modern', host: utf16be(buf.subarray(pos + 3, hostEnd)), port: buf.readInt32BE(hostEnd) };
}

export interface LegacyStatus {
  motd: string;
  online: number;
  max: number;
  versionName: string;
}

/** The 0xFF answer. Protocol 127 makes 1.4+ clients show `versionName` rather than claim compatibility. */
export function encodeLegacyResponse(format: LegacyPing['format'], s: LegacyStatus): Buffer {
  const text =
    format === 'beta'
      ? [s.motd.replaceAll('§', ''), s.online, s.max].join('§')
      : ['§1', '127', s.versionName, s.motd, s.online, s.max].join('\0');
  const body = Buffer.from(text, 'utf16le').swap16();
  const head = Buffer.alloc(3);
  head[0] = 0xff;
  head.writeUInt16BE(text.length, 1);
  return Buffer.concat([head, body]);
}

function utf16be(bytes: Buffer): string {
  return Buffer.from(bytes).swap16().toString('utf16le');
}
