import { describe, expect, it } from 'vitest';
import { encodeHandshake, normalizeHost, parseHandshake, parseLoginStart } from './handshake.ts';
import { encodeLegacyResponse, parseLegacyPing } from './legacy-ping.ts';
import { offlineUuid } from './offline-uuid.ts';
import { encodePacket, encodeString, ProtocolError, readFrame, readVarInt, writeVarInt } from './packet-codec.ts';

const body = (packet: Buffer) => readFrame(packet, 0, 1 << 20)!.body;
const uuidBytes = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

describe('VarInt and frames', () => {
  it('round-trips VarInts, including negatives', () => {
    for (const n of [0, 1, 127, 128, 25565, 2097151, 2147483647, -1]) {
      expect(readVarInt(writeVarInt(n), 0)).toEqual({ value: n, size: writeVarInt(n).length });
    }
  });

  it('asks for more bytes, then rejects a VarInt longer than allowed', () => {
    expect(readVarInt(Buffer.from([0x80, 0x80]), 0)).toBeUndefined();
    expect(() => readVarInt(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 0)).toThrow(ProtocolError);
    expect(() => readFrame(Buffer.from([0xff, 0xff, 0xff, 0x01]), 0, 100)).toThrow(/longer than 3 bytes/);
  });

  it('rejects frame lengths of zero or above the limit before the body arrives', () => {
    expect(() => readFrame(Buffer.from([0x00]), 0, 10)).toThrow(ProtocolError);
    expect(() => readFrame(writeVarInt(11), 0, 10)).toThrow(/outside 1..10/);
    expect(readFrame(Buffer.from([0x03, 0x00]), 0, 10)).toBeUndefined();
  });
});

describe('handshake', () => {
  it('parses what it encodes and normalizes the host', () => {
    const hs = parseHandshake(body(encodeHandshake(767, 'Play.Example.COM.\0FML3\0', 25565, 2)));
    expect(hs).toMatchObject({ protocolVersion: 767, host: 'play.example.com', port: 25565, nextState: 'login' });
    expect(normalizeHost('a.test')).toBe('a.test');
  });

  it('rejects bad ids, bad next states, trailing bytes and long hosts', () => {
    expect(() => parseHandshake(body(encodePacket(0x01, writeVarInt(767))))).toThrow(/expected handshake/);
    const port = Buffer.from([0x63, 0xdd]);
    expect(() => parseHandshake(body(encodePacket(0, writeVarInt(767), encodeString('a'), port, writeVarInt(7))))).toThrow(/next state/);
    expect(() => parseHandshake(body(encodePacket(0, writeVarInt(767), encodeString('a'), port, writeVarInt(1), Buffer.from([9]))))).toThrow(/unexpected bytes/);
    expect(() => parseHandshake(body(encodePacket(0, writeVarInt(767), encodeString('é'.repeat(256)), port, writeVarInt(1))))).toThrow(/exceeds 255/);
  });
});

describe('Login Start across versions', () => {
  const name = encodeString('Steve');
  it('reads the uuid where the version sends it', () => {
    expect(parseLoginStart(body(encodePacket(0, name)), 340)).toEqual({ username: 'Steve', uuid: undefined });
    expect(parseLoginStart(body(encodePacket(0, name, Buffer.from([0]))), 759)).toEqual({ username: 'Steve', uuid: undefined });
    const signed = Buffer.concat([Buffer.from([1]), Buffer.alloc(8), writeVarInt(3), Buffer.from([1, 2, 3]), writeVarInt(2), Buffer.from([4, 5])]);
    expect(parseLoginStart(body(encodePacket(0, name, signed, Buffer.from([1]), uuidBytes)), 760).uuid).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(parseLoginStart(body(encodePacket(0, name, Buffer.from([1]), uuidBytes)), 763).uuid).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(parseLoginStart(body(encodePacket(0, name, uuidBytes)), 767).uuid).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });

  it('rejects empty, long or spaced names and missing uuids', () => {
    expect(() => parseLoginStart(body(encodePacket(0, encodeString(''))), 340)).toThrow(/empty/);
    expect(() => parseLoginStart(body(encodePacket(0, encodeString('x'.repeat(17)))), 340)).toThrow(/exceeds 16/);
    expect(() => parseLoginStart(body(encodePacket(0, encodeString('a b'))), 340)).toThrow(/spaces/);
    expect(() => parseLoginStart(body(encodePacket(0, name)), 767)).toThrow(/shorter/);
  });
});

describe('legacy ping', () => {
  it('recognizes the three generations and waits for a split 1.6 message', () => {
    expect(parseLegacyPing(Buffer.from([0xfe]))).toMatchObject({ format: 'beta' });
    expect(parseLegacyPing(Buffer.from([0xfe, 0x01]))).toMatchObject({ format: 'modern', host: undefined });
    expect(parseLegacyPing(Buffer.from([0xfe, 0x01, 0xfa, 0x00]))).toBeUndefined();
    expect(() => parseLegacyPing(Buffer.from([0xfe, 0x07]))).toThrow(ProtocolError);
  });

  it('encodes the 0xFF answer as UTF-16BE with a char count', () => {
    const out = encodeLegacyResponse('modern', { motd: 'Hi', online: 1, max: 20, versionName: 'v' });
    expect(out[0]).toBe(0xff);
    const text = Buffer.from(out.subarray(3)).swap16().toString('utf16le');
    expect(out.readUInt16BE(1)).toBe(text.length);
    expect(text).toBe('§1\u0000127\u0000v\u0000Hi\u00001\u000020');
  });
});

it('computes the offline-mode uuid like vanilla', () => {
  // Known value: the offline uuid of "Notch".
  expect(offlineUuid('Notch')).toBe('b50ad385-829d-3141-a216-7e7d7539ba7f');
});
