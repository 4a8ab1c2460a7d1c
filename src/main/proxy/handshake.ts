// The two serverbound packets a passthrough proxy must understand: Handshake and Login Start.

import { encodePacket, encodeString, PacketReader, ProtocolError, writeVarInt } from './packet-codec.ts';

/** Vanilla reads the address as a string of at most 255 chars; with id, VarInts and port this bounds the body. */
export const MAX_HANDSHAKE_BODY = 1 + 5 + 3 + 255 * 4 + 2 + 5;

/** Login Start of 1.19/1.19.2 may carry a signed profile key (key ≤ 512 bytes, signature ≤ 4096). */
export const MAX_LOGIN_START_BODY = 1 + (1 + 16 * 4) + 1 + 8 + (2 + 512) + (2 + 4096) + 1 + 16;

export type NextState = 'status' | 'login' | 'transfer';

export interface Handshake {
  protocolVersion: number;
  /** The address exactly as sent (may carry Forge or forwarding suffixes after a NUL). */
  serverAddress: string;
  /** Lowercase host used for routing. */
  host: string;
  port: number;
  nextState: NextState;
}

export interface LoginStart {
  username: string;
  /** Sent by 1.19.1+ clients (optional before 1.20.2). */
  uuid: string | undefined;
}

// Protocol numbers where Login Start changed shape.
const PV_1_19 = 759;
const PV_1_19_1 = 760;
const PV_1_19_3 = 761;
const PV_1_20_2 = 764;

export function parseHandshake(body: Buffer): Handshake {
  const r = new PacketReader(body);
  const id = r.varInt();
  if (id !== 0x00) throw new ProtocolError(`expected handshake (0x00), got packet 0x${id.toString(16)}`);
  const protocolVersion = r.varInt();
  const serverAddress = r.string(255);
  const port = r.u16();
  const next = r.varInt();
  if (r.remaining !== 0) throw new ProtocolError(`${r.remaining} unexpected bytes after handshake`);
  const nextState = next === 1 ? 'status' : next === 2 ? 'login' : next === 3 ? 'transfer' : undefined;
  if (!nextState) throw new ProtocolError(`bad next state ${next}`);
  return { protocolVersion, serverAddress, host: normalizeHost(serverAddress), port, nextState };
}

/** A handshake of our own (status probes), nextState 1 = status, 2 = login. */
export function encodeHandshake(protocolVersion: number, host: string, port: number, nextState: 1 | 2): Buffer {
  const portBuf = Buffer.alloc(2);
  portBuf.writeUInt16BE(port);
  return encodePacket(0x00, writeVarInt(protocolVersion), encodeString(host), portBuf, writeVarInt(nextState));
}

/** Drops what modded clients append after a NUL (e.g. `\0FML3\0`) and a trailing root dot, lowercases. */
export function normalizeHost(address: string): string {
  const nul = address.indexOf('\0');
  let host = nul === -1 ? address : address.slice(0, nul);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.toLowerCase();
}

export function parseLoginStart(body: Buffer, protocolVersion: number): LoginStart {
  const r = new PacketReader(body);
  const id = r.varInt();
  if (id !== 0x00) throw new ProtocolError(`expected login start (0x00), got packet 0x${id.toString(16)}`);
  const username = r.string(16);
  if (username.length === 0) throw new ProtocolError('empty username');
  if (/[\u0000-\u0020\u007f]/.test(username)) throw new ProtocolError('username has control characters or spaces');
  let uuid: string | undefined;
  if (protocolVersion >= PV_1_20_2) {
    uuid = r.uuid();
  } else if (protocolVersion >= PV_1_19_3) {
    if (r.bool()) uuid = r.uuid();
  } else if (protocolVersion >= PV_1_19) {
    if (r.bool()) {
      r.bytes(8); // key expiry
      r.byteArray(512); // public key
      r.byteArray(4096); // signature
    }
    if (protocolVersion >= PV_1_19_1 && r.bool()) uuid = r.uuid();
  }
  return { username, uuid };
}
