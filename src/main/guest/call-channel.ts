// The shared-memory call channel between the main thread and one guest worker. One state word says
// whose turn it is; the value travels encoded (value-codec.ts) in the same SharedArrayBuffer, or by
// postMessage on the channel's port when it does not fit or is not encodable. Both sides spin on the
// state word briefly before sleeping, so back-to-back calls cost no thread wake-up at all:
//   main: REQUEST → worker: RUNNING → (HOST_CALL → main: HOST_REPLY → worker: RUNNING)* → RETURN → main: IDLE
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { CodecBuffer, decode, encode } from './value-codec';

export const State = {
  Idle: 0,
  Request: 1,
  Running: 2,
  HostCall: 3,
  HostReply: 4,
  Return: 5,
  /** The main thread gave the worker up (stopped, deadline): nothing more will be answered. */
  Closed: 6,
} as const;
export type State = (typeof State)[keyof typeof State];

// Int32 words of the header.
const STATE = 0;
const LENGTH = 1; // bytes of the encoded value, or -1: the value is the next 'value' message on the port
const FLAG = 2; // per message: RETURN ok (1) or failed (0)
const MEMORY_KIB = 3; // usage reported with every RETURN
const DROPPED = 4;
const HEADER_BYTES = 64;

// In Node since 16; TypeScript's lib has it from es2024 only.
interface AtomicsWaitAsync {
  waitAsync(words: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<unknown> | string };
}

export const CHANNEL_BYTES = 64 * 1024;

/** A value that did not fit the shared buffer, sent on the port in its place. */
export interface PortValue {
  t: 'value';
  value: unknown;
}

export class CallChannel {
  readonly words: Int32Array;
  private readonly data: CodecBuffer;

  /** `port` is this side's end of the channel's MessageChannel: oversized values go through it. */
  constructor(
    readonly sab: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.words = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.data = new CodecBuffer(sab, HEADER_BYTES, sab.byteLength - HEADER_BYTES);
  }

  static buffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(CHANNEL_BYTES);
  }

  get state(): State {
    return Atomics.load(this.words, STATE) as State;
  }

  /** Writes `value`, then hands the turn over with `state` and wakes the other side if it sleeps. */
  send(state: State, value: unknown, flag = 0): void {
    const length = encode(this.data, value);
    if (length < 0) this.port.postMessage({ t: 'value', value } satisfies PortValue);
    this.words[LENGTH] = length;
    this.words[FLAG] = flag;
    this.set(state);
  }

  set(state: State): void {
    Atomics.store(this.words, STATE, state);
    Atomics.notify(this.words, STATE);
  }

  /** Changes the state without waking anyone: for steps the other side does not wait for. */
  mark(state: State): void {
    Atomics.store(this.words, STATE, state);
  }

  get flag(): number {
    return this.words[FLAG]!;
  }

  /** The value of the message whose turn it is now; `other` takes any port message that is not the value. */
  receive(other: (msg: unknown) => void = () => undefined): unknown {
    if (this.words[LENGTH]! >= 0) return decode(this.data);
    for (;;) {
      const msg = receiveMessageOnPort(this.port)?.message as PortValue | undefined;
      if (!msg) throw new Error('call channel: an oversized value was announced but never arrived');
      if (msg.t === 'value') return msg.value;
      other(msg);
    }
  }

  setUsage(memoryBytes: number, droppedLines: number): void {
    this.words[MEMORY_KIB] = Math.ceil(memoryBytes / 1024);
    this.words[DROPPED] = droppedLines;
  }

  usage(): { memoryBytes: number; droppedLines: number } {
    return { memoryBytes: this.words[MEMORY_KIB]! * 1024, droppedLines: this.words[DROPPED]! };
  }

  /** Spins until the state is none of `waiting`, for at most `spinUs`; returns the state seen last. */
  spin(waiting: (s: State) => boolean, spinUs: number): State {
    let s = this.state;
    if (!waiting(s) || spinUs <= 0) return s;
    const until = performance.now() + spinUs / 1000;
    for (let i = 1; ; i++) {
      s = this.state;
      if (!waiting(s)) return s;
      if ((i & 63) === 0 && performance.now() > until) return s;
    }
  }

  /** Sleeps (without blocking the thread) until the state may have left `seen`, or `timeoutMs` passes. */
  async sleep(seen: State, timeoutMs: number): Promise<void> {
    const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.words, STATE, seen, timeoutMs);
    if (w.async) await w.value;
  }

  /** Blocks the thread until the state may have left `seen` (worker only: the main thread never blocks). */
  block(seen: State): void {
    Atomics.wait(this.words, STATE, seen);
  }
}
