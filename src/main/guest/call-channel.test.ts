// The channel's two ends on one thread (the guest tests drive it across real worker threads).
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { CallChannel, CHANNEL_BYTES, State } from './call-channel';

let close: () => void = () => undefined;
afterEach(() => close());

function ends(): { main: CallChannel; worker: CallChannel; workerPort: MessagePort; rung: { main: number; worker: number } } {
  const sab = CallChannel.buffer();
  const { port1, port2 } = new MessageChannel();
  close = () => (port1.close(), port2.close());
  const rung = { main: 0, worker: 0 };
  return {
    main: new CallChannel(sab, port1, 'main', () => rung.worker++),
    worker: new CallChannel(sab, port2, 'worker', () => rung.main++),
    workerPort: port2,
    rung,
  };
}

describe('call channel', () => {
  it('carries a value in shared memory with the turn, the flag and the usage', () => {
    const { main, worker } = ends();
    main.send(State.Request, { t: 'call', fn: 'handleEvent', args: [1n, { tag: 'none' }] });
    expect(worker.state).toBe(State.Request);
    expect(worker.receive()).toEqual({ t: 'call', fn: 'handleEvent', args: [1n, { tag: 'none' }] });
    worker.setUsage(3 * 1024 * 1024, 4);
    worker.send(State.Return, { kind: 'err', message: 'no' }, 0);
    expect(main.state).toBe(State.Return);
    expect(main.flag).toBe(0);
    expect(main.receive()).toEqual({ kind: 'err', message: 'no' });
    expect(main.usage()).toEqual({ memoryBytes: 3 * 1024 * 1024, droppedLines: 4 });
  });

  it('sends a value larger than the shared memory by message, after the log lines posted before it', () => {
    const { main, worker, workerPort } = ends();
    const big = { players: Array.from({ length: 2000 }, (_, i) => ({ name: `player_${i}`.padEnd(40, '.'), id: BigInt(i) })) };
    workerPort.postMessage({ t: 'log', level: 'info', message: 'first' });
    worker.send(State.HostCall, big);
    const logs: unknown[] = [];
    expect(main.receive((m) => logs.push(m))).toEqual(big);
    expect(logs).toEqual([{ t: 'log', level: 'info', message: 'first' }]);
    expect(JSON.stringify(big, (_, v: unknown) => (typeof v === 'bigint' ? 0 : v)).length).toBeGreaterThan(CHANNEL_BYTES);
  });

  it('sends a value the codec cannot encode by message too', () => {
    const { main, worker } = ends();
    main.send(State.HostReply, new Map([[1, 'a']]), 1);
    expect(worker.receive()).toEqual(new Map([[1, 'a']]));
  });

  it('says so when an announced oversized value never came', () => {
    const { main, worker, workerPort } = ends();
    main.send(State.Request, new Map());
    while (receiveMessageOnPort(workerPort)); // taken by someone else
    expect(() => worker.receive()).toThrow(/never arrived/);
  });

  it('rings a dozing side once when its turn comes, and an awake one never', () => {
    const { main, worker, rung } = ends();
    const notMine = (s: State) => s !== State.Request;
    expect(worker.doze(notMine)).toBe(true);
    expect(main.otherAwake).toBe(false);
    main.send(State.Request, null);
    main.send(State.Request, null);
    expect(rung).toEqual({ main: 0, worker: 1 });
    expect(main.otherAwake).toBe(true);
    // The turn came before the doze: no doze, and nothing to ring.
    expect(worker.doze(notMine)).toBe(false);
    worker.send(State.Return, null, 1);
    expect(rung).toEqual({ main: 0, worker: 1 });
  });

  it('stops spinning at once when the turn changes, and after its budget when it does not', () => {
    const { main } = ends();
    main.mark(State.Running);
    expect(main.spin((s) => s === State.Request, 1_000_000)).toBe(State.Running);
    expect(main.spin((s) => s === State.Running, 200)).toBe(State.Running);
  });
});
