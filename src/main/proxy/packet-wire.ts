// One side of a decoded connection on the wire: AES-CFB8 (minecraft-protocol's cipher), frames bounded by
// the protocol's limit, and zlib compression above the peer's threshold. Framing and compression are not
// minecraft-protocol's transforms: its splitter buffers whatever length a peer announces and its
// decompressor logs and skips a bad packet, where a hostile peer must lose its connection. Frames are handed up still in
// their wire form so an unchanged packet can be forwarded without re-compressing it; the packet id is read
// (by inflating only a prefix of a compressed frame) only when asked.

import type { Cipher, Decipher } from 'node:crypto';
import type { Socket } from 'node:net';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import encryption from 'minecraft-protocol/src/transforms/encryption.js';
import { ProtocolError, readFrame, readVarInt, writeVarInt } from './packet-codec.ts';

/** Vanilla limits: a frame is at most 2^21 - 1 bytes, a decompressed packet at most 8 MiB. */
export const MAX_FRAME = 2_097_151;
export const MAX_PACKET = 8 * 1024 * 1024;
/** Compressed bytes inflated to peek at a packet id: always enough for the first few output bytes. */
const PEEK_INPUT = 64;

/** One received frame; `packet()` (id + fields) and `id()` decompress on demand and at most once. */
export class Frame {
  private decoded: Buffer | undefined;
  private cachedId: number | undefined;

  constructor(
    /** The frame body as on the wire (after the length, before decryption it was already deciphered). */
    readonly body: Buffer,
    /** The threshold it was compressed under (-1: none); a login reader fixes it for frames read with Set Compression. */
    public threshold: number,
  ) {}

  packet(): Buffer {
    if (this.decoded) return this.decoded;
    if (this.threshold < 0) return (this.decoded = this.body);
    const size = readVarInt(this.body, 0);
    if (!size) throw new ProtocolError('frame without its data length');
    const data = this.body.subarray(size.size);
    if (size.value === 0) {
      if (data.length >= this.threshold && this.threshold > 0) throw new ProtocolError(`uncompressed packet of ${data.length} bytes above the threshold ${this.threshold}`);
      return (this.decoded = data);
    }
    if (size.value < this.threshold || size.value > MAX_PACKET) throw new ProtocolError(`compressed packet declares ${size.value} bytes`);
    let out: Buffer;
    try {
      out = inflateSync(data, { maxOutputLength: size.value });
    } catch (err) {
      throw new ProtocolError(`bad compressed packet: ${(err as Error).message}`);
    }
    if (out.length !== size.value) throw new ProtocolError(`compressed packet inflates to ${out.length} bytes, declared ${size.value}`);
    return (this.decoded = out);
  }

  id(): number {
    if (this.cachedId !== undefined) return this.cachedId;
    const head = this.decoded ?? this.peek();
    const id = readVarInt(head, 0);
    if (!id) throw new ProtocolError('packet without an id');
    return (this.cachedId = id.value);
  }

  /** The first bytes of the packet, inflating only a prefix of a compressed frame when that suffices. */
  private peek(): Buffer {
    if (this.threshold < 0) return this.body;
    const size = readVarInt(this.body, 0);
    if (!size) throw new ProtocolError('frame without its data length');
    if (size.value === 0 || this.body.length - size.size <= PEEK_INPUT) return this.packet();
    try {
      const head = inflateSync(this.body.subarray(size.size, size.size + PEEK_INPUT), { finishFlush: constants.Z_SYNC_FLUSH });
      if (head.length >= 5) return head;
    } catch {
      // fall through: the full inflate reports what is wrong
    }
    return this.packet();
  }
}

export class PacketWire {
  threshold = -1;
  private cipher: Cipher | undefined;
  private decipher: Decipher | undefined;
  private pending: Buffer = Buffer.alloc(0);

  constructor(readonly socket: Socket) {}

  get encrypted(): boolean {
    return this.cipher !== undefined;
  }

  enableEncryption(sharedSecret: Buffer): void {
    this.cipher = encryption.createCipher(sharedSecret);
    this.decipher = encryption.createDecipher(sharedSecret);
  }

  /** Bytes left over from an earlier reader (already deciphered) go first. */
  prepend(bytes: Buffer): void {
    if (bytes.length > 0) this.pending = this.pending.length === 0 ? bytes : Buffer.concat([bytes, this.pending]);
  }

  /** Feeds received bytes; returns every complete frame. Throws ProtocolError on a malformed or oversized frame. */
  receive(chunk: Buffer): Frame[] {
    const plain = this.decipher ? this.decipher.update(chunk) : chunk;
    this.pending = this.pending.length === 0 ? plain : Buffer.concat([this.pending, plain]);
    const frames: Frame[] = [];
    let offset = 0;
    for (;;) {
      const f = readFrame(this.pending, offset, MAX_FRAME);
      if (!f) break;
      frames.push(new Frame(f.body, this.threshold));
      offset = f.end;
    }
    this.pending = offset === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(offset);
    return frames;
  }

  /** Frames already received: any bytes still buffered parse under the current threshold. */
  drain(): Frame[] {
    return this.receive(Buffer.alloc(0));
  }

  /** Sends a packet (id + fields), compressed as this side expects. Returns false when the socket is full. */
  sendPacket(packet: Buffer): boolean {
    if (this.threshold < 0) return this.sendBody(packet);
    if (packet.length < this.threshold) return this.sendBody(Buffer.concat([writeVarInt(0), packet]));
    return this.sendBody(Buffer.concat([writeVarInt(packet.length), deflateSync(packet)]));
  }

  /** Forwards a frame from the other side: as-is when both sides compress alike, re-encoded otherwise. */
  forward(frame: Frame): boolean {
    return frame.threshold === this.threshold ? this.sendBody(frame.body) : this.sendPacket(frame.packet());
  }

  private sendBody(body: Buffer): boolean {
    const framed = Buffer.concat([writeVarInt(body.length), body]);
    // A side being closed (a kick sent, then end()) drops what other paths still relay: writing after end()
    // would fail the socket and could discard the kick before it is flushed.
    if (this.socket.destroyed || this.socket.writableEnded) return true;
    return this.socket.write(this.cipher ? this.cipher.update(framed) : framed);
  }
}
