// Plugins' codec filters on one side of a decoded connection: each play frame goes through the side's
// chain in arrival order (a filter call is a round trip to the plugin's worker, so frames wait their turn
// behind it), and what comes out (the frame as it was, or the packets the filters made of it) is handed on
// in that same order. The frames pushed in one turn of the event loop (those of one read of the socket) go
// to the chain as one batch: a 0.3.0 filter takes them all in one crossing. Too many frames waiting pause
// the socket they come from. A required 0.3.0 filter that cannot run closes the connection with the reason
// the chain gives (`flow.close`).

import type { CodecChain } from '../contract/codec-types.ts';
import type { ConnectionState, RawPacket } from '../contract/guest-types.ts';
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
  private closed = false;
  /** Frames pushed in this turn, sent to the chain together at its end. */
  private batch: { frame: Frame; emit: (out: Frame | Buffer[]) => void }[] | null = null;

  constructor(
    ready: Promise<CodecChain | undefined>,
    private readonly flow: { pause(): void; resume(): void; fail(err: unknown): void; close(reasonJson: string): void },
  ) {
    this.tail = ready.then(
      (chain) => {
        if (chain?.refused) return this.shut(chain.refused);
        this.chain = chain;
      },
      (err: unknown) => flow.fail(err),
    );
  }

  /** Filters a frame; `emit` gets the frame unchanged or the packets (id + fields) to send instead, in order. */
  push(frame: Frame, emit: (out: Frame | Buffer[]) => void): void {
    if (++this.backlog > MAX_BACKLOG && !this.paused) {
      this.paused = true;
      this.flow.pause();
    }
    if (!this.batch) {
      this.batch = [];
      queueMicrotask(() => this.flush());
    }
    this.batch.push({ frame, emit });
  }

  /** Hands the frames pushed so far to the chain, behind what is already waiting. */
  private flush(): void {
    const batch = this.batch;
    this.batch = null;
    if (!batch) return;
    this.tail = this.tail
      .then(async () => {
        if (this.closed) return;
        const chain = this.chain;
        if (!chain) return batch.forEach((b) => b.emit(b.frame));
        const packets: RawPacket[] = batch.map(({ frame }) => {
          const packet = frame.packet();
          const id = readVarInt(packet, 0)!;
          return { packetId: id.value, data: packet.subarray(id.size) };
        });
        const verdicts = await chain.filterBatch(packets);
        for (let i = 0; i < batch.length; i++) {
          const verdict = verdicts[i]!;
          if (verdict.tag === 'close') return this.shut(verdict.reason);
          batch[i]!.emit(verdict.tag === 'pass' ? batch[i]!.frame : verdict.val.map((p) => rawPacket(p.packetId, p.data)));
        }
      })
      .catch((err: unknown) => this.flow.fail(err))
      .finally(() => {
        this.backlog -= batch.length;
        if (this.backlog === 0 && this.paused) {
          this.paused = false;
          this.flow.resume();
        }
      });
  }

  /** Nothing passes this side any more; the connection closes with `reasonJson`. */
  private shut(reasonJson: string): void {
    this.closed = true;
    this.chain?.close();
    this.chain = undefined;
    this.flow.close(reasonJson);
  }

  stateChange(state: ConnectionState): void {
    this.flush(); // frames pushed before the change are filtered before it
    void this.tail.then(() => this.chain?.stateChange(state));
  }

  compressionChange(threshold: number): void {
    this.flush();
    void this.tail.then(() => this.chain?.compressionChange(threshold));
  }

  encryptionEnabled(): void {
    this.flush();
    void this.tail.then(() => this.chain?.encryptionEnabled());
  }

  close(): void {
    this.flush();
    void this.tail.then(() => {
      this.chain?.close();
      this.chain = undefined;
    });
  }
}
