// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ControlBridge, ControlEvent } from '../../../shared/control-api';
import { createControlClient } from './client';
import { pickTransport, wsUrlFor, type ConnectionStatus } from './transport';
import { createWsTransport } from './ws-transport';

/** Stands in for the browser WebSocket: records what is sent, lets the test play the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((ev?: CloseEvent) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  serverSends(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

afterEach(() => {
  FakeSocket.all = [];
  vi.useRealTimers();
});

describe('transport choice', () => {
  it('uses the preload bridge when there is one', async () => {
    const bridge: ControlBridge = { call: vi.fn().mockResolvedValue([]), onEvent: vi.fn(() => () => undefined) };
    const transport = pickTransport({ infrarust: bridge, location: { href: 'file:///x/index.html' } } as unknown as Window);
    const statuses: ConnectionStatus[] = [];
    transport.onStatus((s) => statuses.push(s));
    expect(statuses).toEqual(['open']);
    await createControlClient(transport).listPlugins();
    expect(bridge.call).toHaveBeenCalledWith('listPlugins', undefined);
  });

  it('otherwise talks to /api on the page origin, never with the token in the URL', () => {
    expect(wsUrlFor(new URL('http://127.0.0.1:8787/?token=a%20b'))).toBe('ws://127.0.0.1:8787/api');
    expect(wsUrlFor(new URL('https://panel.example/index.html'))).toBe('wss://panel.example/api');
  });

  it('takes the first load\'s token out of the address bar (the cookie carries it from then on)', () => {
    window.history.replaceState(null, '', '/panel/?token=s3cret&tab=servers#logs');
    const transport = pickTransport(window);
    expect(window.location.href).toBe('http://localhost:3000/panel/?tab=servers#logs');
    expect(transport.deployFile).toBeTypeOf('function');
  });
});

describe('WebSocket transport', () => {
  it('matches answers to calls, passes events on, and fails calls while disconnected', async () => {
    vi.useFakeTimers();
    const transport = createWsTransport('ws://h/api', FakeSocket as unknown as typeof WebSocket);
    const api = createControlClient(transport);
    const statuses: ConnectionStatus[] = [];
    transport.onStatus((s) => statuses.push(s));
    await expect(api.listPlugins()).rejects.toThrow('not connected to the host');

    const socket = FakeSocket.all[0]!;
    socket.onopen!();
    const events: ControlEvent[] = [];
    transport.onEvent((e) => events.push(e));
    const answer = api.setEnabled({ id: 'a', enabled: false });
    const failing = api.reloadPlugin({ id: 'b' });
    expect(socket.sent).toEqual([
      { id: 1, method: 'setEnabled', params: { id: 'a', enabled: false } },
      { id: 2, method: 'reloadPlugin', params: { id: 'b' } },
    ]);
    socket.serverSends({ event: { type: 'plugin-removed', id: 'x', file: '/x.wasm' } });
    socket.serverSends({ id: 2, ok: false, error: 'reloadPlugin: missing parameter "id"' });
    socket.serverSends({ id: 1, ok: true, result: { ok: true, plugin: null } });
    await expect(answer).resolves.toEqual({ ok: true, plugin: null });
    await expect(failing).rejects.toThrow('missing parameter');
    expect(events).toEqual([{ type: 'plugin-removed', id: 'x', file: '/x.wasm' }]);

    const lost = api.snapshot();
    socket.onclose!();
    await expect(lost).rejects.toThrow('the connection to the host was lost');
    vi.advanceTimersByTime(600);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.onopen!();
    expect(statuses).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('passes on why the host closed the connection', async () => {
    vi.useFakeTimers();
    const transport = createWsTransport('ws://h/api', FakeSocket as unknown as typeof WebSocket);
    const seen: [ConnectionStatus, string | undefined][] = [];
    transport.onStatus((s, reason) => seen.push([s, reason]));
    FakeSocket.all[0]!.onopen!();
    const pending = createControlClient(transport).snapshot();
    FakeSocket.all[0]!.onclose!({ code: 1013, reason: 'too many panel connections (at most 32): close another panel' } as CloseEvent);
    await expect(pending).rejects.toThrow('the host closed the connection: too many panel connections');
    vi.advanceTimersByTime(600);
    FakeSocket.all[1]!.onopen!();
    FakeSocket.all[1]!.onclose!({ code: 1009, reason: '' } as CloseEvent);
    expect(seen).toEqual([
      ['connecting', undefined],
      ['open', undefined],
      ['closed', 'too many panel connections (at most 32): close another panel'],
      ['connecting', undefined],
      ['open', undefined],
      ['closed', 'a message was larger than the host accepts'],
    ]);
  });

  it('asks why when a connection is refused before it opens (a browser hides the answer)', async () => {
    vi.useFakeTimers();
    const whyRefused = vi.fn().mockResolvedValue('this panel needs its token: open the URL that `infrarust-desktop serve` printed');
    const transport = createWsTransport('ws://h/api', FakeSocket as unknown as typeof WebSocket, whyRefused);
    const seen: (string | undefined)[] = [];
    transport.onStatus((_s, reason) => seen.push(reason));
    FakeSocket.all[0]!.onclose!({ code: 1006, reason: '' } as CloseEvent);
    await vi.waitFor(() => expect(seen.at(-1)).toBe('this panel needs its token: open the URL that `infrarust-desktop serve` printed'));
    // A connection that had opened and then dropped is not a refusal.
    vi.advanceTimersByTime(600);
    FakeSocket.all[1]!.onopen!();
    FakeSocket.all[1]!.onclose!({ code: 1006, reason: '' } as CloseEvent);
    expect(whyRefused).toHaveBeenCalledTimes(1);
  });
});
