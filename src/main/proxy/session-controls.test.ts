// The player controls' waits against a real client through the real proxy (offline mode, 1.21.4): while the
// client's frames wait behind a plugin's decision about its chat message, a cookie request or a connect
// for that player would wait on itself, so both answer invalid-state (§4.2); after the decision the same
// calls go through. A Cookie Response for a key the proxy did not ask for goes on to the backend. Only the
// event dispatcher is a test double.
import type { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerControls } from '../contract/player-controls.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { createProxy, type Proxy } from './proxy.ts';
import { until } from '../../../test/support/minecraft-peers.ts';
import { FakeDispatcher } from '../../../test/support/fake-dispatcher.ts';
import { joinPlay, startPlayBackend, type PlayBackend } from '../../../test/support/play-peers.ts';

describe('player controls that wait for the client', () => {
  let dir: string;
  let proxy: Proxy;
  let port: number;
  let a: PlayBackend;
  let b: PlayBackend;
  const dispatcher = new FakeDispatcher();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'controls-test-'));
    const serversDir = join(dir, 'servers');
    await mkdir(serversDir);
    [a, b] = await Promise.all([startPlayBackend('A', '1.21.4'), startPlayBackend('B', '1.21.4')]);
    await writeFileAtomic(join(serversDir, 'a.toml'), `domains = ["a.test"]\naddresses = ["127.0.0.1:${a.port}"]\nproxy_mode = "offline"\n`);
    await writeFileAtomic(join(serversDir, 'b.toml'), `domains = ["b.test"]\naddresses = ["127.0.0.1:${b.port}"]\nproxy_mode = "offline"\n`);
    proxy = createProxy({
      settings: {
        bind: '127.0.0.1:0',
        serversDir,
        connectTimeoutMs: 3000,
        maxConnections: 16,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
        dataDir: join(dir, 'data'),
        sessionServer: 'http://127.0.0.1:1',
      },
      dispatcher,
      log: () => undefined,
      probeIntervalMs: 3_600_000,
    });
    ({ port } = await proxy.start());
  });

  afterAll(async () => {
    await proxy?.stop();
    a?.close();
    b?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers invalid-state from inside the decision the session waits on, and goes through after it', async () => {
    const pc = await joinPlay(port, 'a.test', 'Cora', a);
    const id = proxy.players.getByUsername('Cora')!.id;
    const controls = proxy.players.controls(id) as PlayerControls;
    // The client answers every cookie request, with nothing stored.
    const events = pc.client as unknown as EventEmitter;
    events.on('packet', (data: { cookie: string }, meta: { name: string }) => {
      if (meta.name === 'cookie_request') pc.client.write('cookie_response', { key: data.cookie, value: undefined });
    });
    const inside: unknown[] = [];
    dispatcher.handlers.set('chat-message', async () => {
      inside.push(await controls.requestCookie('test:key', 1000), await controls.connect('b'));
      return { tag: 'chat-message', val: { tag: 'deny', val: '{"text":"held"}' } };
    });
    await until('in play', () => pc.joined);
    pc.chat('hello');
    await until('the decision', () => inside.length === 2);
    expect(inside).toEqual([expect.objectContaining({ ok: false, kind: 'invalid-state' }), expect.objectContaining({ ok: false, kind: 'invalid-state' })]);
    dispatcher.handlers.delete('chat-message');

    expect(await controls.requestCookie('test:key', 5000)).toEqual({ ok: true, val: undefined });
    expect(await controls.connect('b')).toEqual({ ok: true, val: { tag: 'success' } });
    await until('on b', () => b.players.has('Cora'));
    await pc.leave();
    expect(await controls.requestCookie('test:key', 1000)).toMatchObject({ ok: false, kind: 'player-gone' });
  });

  it("passes a Cookie Response the proxy did not ask for on to the backend", async () => {
    const pc = await joinPlay(port, 'a.test', 'Dan', a);
    await until('in play', () => pc.joined);
    const backendSide = a.players.get('Dan')! as unknown as EventEmitter;
    const got: unknown[] = [];
    backendSide.on('cookie_response', (p: unknown) => got.push(p));
    pc.client.write('cookie_response', { key: 'backend:key', value: Buffer.from([9]) });
    await until('the backend got it', () => got.length === 1);
    expect(got[0]).toMatchObject({ key: 'backend:key' });
    await pc.leave();
  });
});
