// PacketWire over real loopback sockets: framing, compression on both sides of a threshold, forwarding as-is
// or re-encoded, ids read from a compressed prefix, AES-CFB8, and the limits that make bad input an error.
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, writeVarInt } from './packet-codec.ts';
import { PacketWire, type Frame } from './packet-wire.ts';

/** Two connected sockets; bytes written to `a` are read from `b` and the other way round. */
async function socketPair(): Promise<{ a: Socket; b: Socket; close(): void }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const a = connect((server.address() as { port: number }).port, '127.0.0.1');
  const b = await accepted;
  return { a, b, close: () => (a.destroy(), b.destroy(), server.close()) };
}

/** Collects frames `wire` reads from its socket until `count` arrived. */
function frames(wire: PacketWire, count: number): Promise<Frame[]> {
  const got: Frame[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      try {
        got.push(...wire.receive(chunk));
      } catch (err) {
        wire.socket.removeListener('data', onData);
        return reject(err);
      }
      if (got.length >= count) {
        wire.socket.removeListener('data', onData);
        resolve(got);
      }
    };
    wire.socket.on('data', onData);
  });
}

const packet = (id: number, size: number) => Buffer.concat([writeVarInt(id), Buffer.alloc(size, 0x61)]);

describe('PacketWire', () => {
  let pair: Awaited<ReturnType<typeof socketPair>>;
  let out: PacketWire;
  let inn: PacketWire;
  beforeAll(async () => {
    pair = await socketPair();
  });
  afterAll(() => pair.close());

  const fresh = (threshold: number) => {
    out = new PacketWire(pair.a);
    inn = new PacketWire(pair.b);
    out.threshold = inn.threshold = threshold;
  };

  it.each([-1, 0, 256])('round-trips small and large packets at threshold %i', async (threshold) => {
    fresh(threshold);
    const got = frames(inn, 2);
    out.sendPacket(packet(0x12, 10));
    out.sendPacket(packet(0x7f, 100_000));
    const [small, large] = await got;
    expect([small!.id(), small!.packet()]).toEqual([0x12, packet(0x12, 10)]);
    expect(large!.id()).toBe(0x7f);
    expect(large!.packet().equals(packet(0x7f, 100_000))).toBe(true);
    if (threshold >= 0) expect(large!.body.length).toBeLessThan(2000); // compressed on the wire
  });

  it('forwards a frame untouched between sides that compress alike, and re-encodes it otherwise', async () => {
    fresh(256);
    const got = frames(inn, 1);
    out.sendPacket(packet(0x30, 5000));
    const [frame] = await got;
    const same = new PacketWire(pair.a);
    same.threshold = 256;
    const plain = new PacketWire(pair.a);
    const receiver = new PacketWire(pair.b);
    const again = frames(receiver, 1);
    receiver.threshold = 256;
    same.forward(frame!);
    const [copy] = await again;
    expect(copy!.body.equals(frame!.body)).toBe(true);
    receiver.threshold = -1;
    const reencoded = frames(receiver, 1);
    plain.forward(frame!);
    expect((await reencoded)[0]!.packet().equals(packet(0x30, 5000))).toBe(true);
  });

  it('encrypts both ways with AES-CFB8 once both sides share the secret', async () => {
    fresh(-1);
    const secret = randomBytes(16);
    out.enableEncryption(secret);
    inn.enableEncryption(secret);
    const got = frames(inn, 1);
    out.sendPacket(packet(0x05, 300));
    expect((await got)[0]!.packet().equals(packet(0x05, 300))).toBe(true);
  });

  it('refuses oversized frames, bad or lying compression, and packets above the 8 MiB limit', () => {
    const wire = new PacketWire(pair.b);
    expect(() => wire.receive(Buffer.from([0xff, 0xff, 0xff, 0x01]))).toThrow(ProtocolError);
    wire.threshold = 256;
    const frame = (body: Buffer) => new PacketWire(pair.b).receive(Buffer.concat([writeVarInt(body.length), body]));
    const compressed = (declared: number, data: Buffer) => Buffer.concat([writeVarInt(declared), data]);
    const tooSmall = frame(compressed(10, deflateSync(packet(1, 8))))[0]!;
    tooSmall.threshold = 256;
    expect(() => tooSmall.packet()).toThrow(/declares 10 bytes/);
    const garbage = frame(compressed(300, Buffer.from('not zlib at all')))[0]!;
    garbage.threshold = 256;
    expect(() => garbage.packet()).toThrow(/bad compressed packet/);
    const lying = frame(compressed(400, deflateSync(packet(1, 300))))[0]!;
    lying.threshold = 256;
    expect(() => lying.packet()).toThrow(/inflates to 301 bytes, declared 400/);
    const bomb = frame(compressed(9 * 1024 * 1024, deflateSync(Buffer.alloc(9 * 1024 * 1024))))[0]!;
    bomb.threshold = 256;
    expect(() => bomb.packet()).toThrow(/declares 9437184 bytes/);
  });
});
