// Plugins' codec filters on one side of a decoded connection: each play frame goes through the side's
// chain in arrival order (a filter call is a round trip to the plugin's worker, so frames wait their turn
// behind it), and what comes out (the frame as it was, or the packets the filters made of it) is handed on
// in that same order. Too many frames waiting pause the socket they come from.

import type { CodecChain } from '../contract/codec-types.ts';
import type { ConnectionState } from '../contract/guest-types.ts';
import { readVarInt } from './packet-codec.ts';
import type { Frame } from './packet-wire.ts';
import { rawPacket } from './player-packets.ts';

/** Frames waiting behind a filter before the source socket is paused. */
const MAX_BACKLOG = 256;

export class CodecStage {
  private chain: CodecChain | undefined;
  private tail: Promise<void>;
  private backlog = 0;
  private paused = false;

  constructor(
    ready: Promise<CodecChain | undefined>,
    private readonly flow: { pause(): void; resume(): void; fail(err: unknown): void },
  ) {
    this.tail = ready.then(
      (chain) => void (this.chain = chain),
      (err: unknown) => flow.fail(err),
    );
  }

  /** Filters a frame; `emit` gets the frame unchanged or the packets (id + fields) to send instead, in order. */
  push(frame: Frame, emit: (out: Frame | Buffer[]) => void): void {
    if (++this.backlog > MAX_BACKLOG && !this.paused) {
      this.paused = true;
      this.flow.pause();
    }
    this.tail = this.tail
      .then(async () => {
        const chain = this.chain;
        if (!chain) return emit(frame);
        const packet = frame.packet();
        const id = readVarInt(packet, 0)!;
        const verdict = await chain.filter(id.value, packet.subarray(id.size));
        emit(verdict.tag === 'pass' ? frame : verdict.val.map((p) => rawPacket(p.packetId, p.data)));
      })
      .catch((err: unknown) => this.flow.fail(err))
      .finally(() => {
        if (--this.backlog === 0 && this.paused) {
          this.paused = false;
          this.flow.resume();
        }
      });
  }

  stateChange(state: ConnectionState): void {
    void this.tail.then(() => this.chain?.stateChange(state));
  }

  compressionChange(threshold: number): void {
    void this.tail.then(() => this.chain?.compressionChange(threshold));
  }

  encryptionEnabled(): void {
    void this.tail.then(() => this.chain?.encryptionEnabled());
  }

  close(): void {
    void this.tail.then(() => this.chain?.close());
  }
}
