// The shared-memory call channel between the main thread and one guest worker. One state word says
// whose turn it is; the value travels encoded (value-codec.ts) in the same SharedArrayBuffer, or by
// postMessage on the channel's port when it does not fit or is not encodable. Each side polls the state
// word briefly (while that pays off) before it dozes, so calls in a burst cost no thread wake-up at all:
//   main: REQUEST → worker: RUNNING → (HOST_CALL → main: HOST_REPLY → worker: RUNNING)* → RETURN → main: IDLE
// A dozing side is woken by a doorbell message from the side that hands it the turn: Atomics.waitAsync
// would not need one, but on Node 20 it can miss a notify and sleep until its timeout (nodejs/node#44729
// and #61941), and a blocking Atomics.wait is only for the worker's wait on a host call.
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
// 1 while that side dozes: whoever hands it the turn rings its doorbell
const DOZING = { main: 5, worker: 6 } as const;

export type Side = keyof typeof DOZING;
const HEADER_BYTES = 64;

export const CHANNEL_BYTES = 64 * 1024;

/** A value that did not fit the shared buffer, sent on the port in its place. */
export interface PortValue {
  t: 'value';
  value: unknown;
}

export class CallChannel {
  readonly words: Int32Array;
  private readonly data: CodecBuffer;

  private readonly dozing: number;
  private readonly otherDozing: number;

  /**
   * `port` is this side's end of the channel's MessageChannel: oversized values go through it.
   * `ring` wakes the other side (a 'wake' message it handles by looking at the state again).
   */
  constructor(
    readonly sab: SharedArrayBuffer,
    private readonly port: MessagePort,
    side: Side,
    private readonly ring: () => void,
  ) {
    this.dozing = DOZING[side];
    this.otherDozing = DOZING[side === 'main' ? 'worker' : 'main'];
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
    if (Atomics.exchange(this.words, this.otherDozing, 0) === 1) this.ring();
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

  /** Whether the other side is awake (so will see a turn handed to it at once). */
  get otherAwake(): boolean {
    return Atomics.load(this.words, this.otherDozing) === 0;
  }

  /**
   * Dozes while `waiting(state)`: returns true when the caller should return to its event loop (its
   * doorbell will ring when the turn comes), false when the turn has come meanwhile. A doorbell can
   * ring for a turn already taken: whoever handles it looks at the state again.
   */
  doze(waiting: (s: State) => boolean): boolean {
    Atomics.store(this.words, this.dozing, 1);
    if (waiting(this.state)) return true;
    Atomics.store(this.words, this.dozing, 0);
    return false;
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

  /** Blocks the thread until the state may have left `seen` (worker only: the main thread never blocks). */
  block(seen: State): void {
    Atomics.wait(this.words, STATE, seen);
  }
}

/**
 * Whether polling pays: each poll that times out makes the next ones be skipped (1, 2, 4 … 64 of them),
 * and one that sees the turn change resets it. Calls in a burst are polled for; sparse calls (or a
 * machine too busy to run both threads at once) cost at most one poll in 64 and otherwise sleep.
 */
export class PollBudget {
  private skip = 0;
  private skipped = 0;
  constructor(private readonly us: number) {}

  /** Microseconds to poll for now; 0: sleep at once. After a poll, report it with `polled`. */
  next(): number {
    if (this.skipped < this.skip) {
      this.skipped++;
      return 0;
    }
    return this.us;
  }

  polled(sawChange: boolean): void {
    this.skipped = 0;
    this.skip = sawChange ? 0 : Math.min(64, this.skip * 2 || 1);
  }
}
