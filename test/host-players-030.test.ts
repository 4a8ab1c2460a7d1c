// The 0.3.0 `players` controls through the real proxy in offline mode, driven by a real 0.3.0 guest
// (test/fixtures/js030/players.js, QuickJS) through its command run for a player: real minecraft-protocol clients receive the tab list,
// title clear, boss bars, resource packs, cookies and transfer packets of their version; connect moves them;
// the contract's errors come back for an unknown bar, a gone player, a passthrough player, an old client,
// and a client that never answers a cookie request.
import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { Host } from '../src/main/host/host';
import { until } from './support/minecraft-peers';
import { joinPlay, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

type Answer = { ok?: unknown; err?: { kind: string; message: string } };
type Seen = { name: string; data: Record<string, unknown> };

describe('host: a 0.3.0 plugin controlling players of a decoding mode', () => {
  let tmp: TempHost;
  let host: Host;
  let lobby: PlayBackend;
  let game: PlayBackend;
  let old: PlayBackend;
  let port: number;
  const results: { name: string; answer: Answer }[] = [];

  beforeAll(async () => {
    tmp = await tempHost();
    [lobby, game, old] = await Promise.all([startPlayBackend('Lobby', '1.21.4'), startPlayBackend('Game', '1.21.4'), startPlayBackend('Old', '1.8.9')]);
    const servers = join(tmp.dir, 'servers');
    await mkdir(servers);
    const server = (name: string, backend: PlayBackend, mode = 'proxy_mode = "offline"\n') =>
      writeFileAtomic(join(servers, `${name}.toml`), `domains = ["${name}.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n${mode}`);
    await Promise.all([server('lobby', lobby), server('game', game), server('old', old), server('plain', lobby, '')]);
    await tmp.addPlugin('players-030');
    // A short call budget keeps the cookie wait (budget minus a fifth, §4.3) short.
    await tmp.writeConfig('bind = "127.0.0.1:0"\n\n[wasm]\ncall_timeout_ms = 2000\n');
    host = await Host.start({ cwd: tmp.dir });
    host.plugins.on('log', (l: { pluginId: string; message: string }) => {
      const m = /^result (\S+) (.*)$/.exec(l.message);
      if (m && l.pluginId === 'players_030') results.push({ name: m[1]!, answer: JSON.parse(m[2]!) as Answer });
    });
    port = Number(host.proxyStatus().address!.split(':').pop());
    await until('the plugin enabled', () => host.plugins.get('players_030')?.state === 'enabled');
  });

  afterAll(async () => {
    await host?.stop();
    for (const b of [lobby, game, old]) b?.close();
    await tmp?.cleanup();
  });

  /** Packets the client received, and a client-side cookie store that answers Cookie Requests except for `probe:silent`. */
  function record(pc: PlayClient): Seen[] {
    const seen: Seen[] = [];
    const cookies = new Map<string, Buffer>();
    const events = pc.client as unknown as EventEmitter;
    events.on('packet', (data: Record<string, unknown>, meta: { name: string; state: string }) => {
      if (meta.state !== 'play') return;
      seen.push({ name: meta.name, data });
      if (meta.name === 'store_cookie') cookies.set(data.key as string, data.value as Buffer);
      if (meta.name === 'cookie_request' && data.cookie !== 'probe:silent') pc.client.write('cookie_response', { key: data.cookie, value: cookies.get(data.cookie as string) });
    });
    return seen;
  }

  /** Runs the plugin's `ctl <action> [arg]` for the player and returns its answer. */
  async function ask(pc: PlayClient, action: string): Promise<Answer> {
    const before = results.length;
    const id = host.proxy!.players.getByUsername(pc.username)!.id;
    expect(await host.plugins.runCommand(`ctl ${action}`, id)).toBe(true);
    const name = action.split(' ')[0]!;
    return results.slice(before).find((r) => r.name === name)!.answer;
  }

  const last = (seen: Seen[], name: string) => [...seen].reverse().find((s) => s.name === name)?.data;
  const ofBar = (seen: Seen[], action: number) => seen.filter((s) => s.name === 'boss_bar' && s.data.action === action).map((s) => s.data);

  it('sends tab list, title clear, boss bars, resource packs and cookies to a 1.21.4 client, and connect moves it', async () => {
    const ann = await joinPlay(port, 'lobby.test', 'Ann', lobby);
    const seen = record(ann);

    expect(await ask(ann, 'tab')).toEqual({ ok: null });
    await until('the tab list', () => last(seen, 'playerlist_header'));
    expect(JSON.stringify(last(seen, 'playerlist_header'))).toMatch(/Head[\s\S]*Foot/);
    expect(await ask(ann, 'clear-title')).toEqual({ ok: null });
    await until('the title clear', () => last(seen, 'clear_titles'));
    expect(last(seen, 'clear_titles')).toEqual({ reset: true });

    // boss bars: shown, updated; an unknown bar and bad progress are refused
    const shown = await ask(ann, 'bar');
    expect(shown.ok).toMatchObject({ hi: expect.anything(), lo: expect.anything() });
    const added = await until('the boss bar', () => ofBar(seen, 0)[0]);
    expect(added).toMatchObject({ health: 0.5, color: 2, dividers: 2, flags: 1 });
    expect(JSON.stringify(added.title)).toContain('Boss');
    expect(await ask(ann, 'bar-progress')).toEqual({ ok: null });
    expect(await until('the progress update', () => ofBar(seen, 2)[0])).toMatchObject({ entityUUID: added.entityUUID, health: 0.25 });
    expect(await ask(ann, 'bar-title')).toEqual({ ok: null });
    await until('the title update', () => ofBar(seen, 3)[0]);
    expect((await ask(ann, 'bar-unknown')).err?.kind).toBe('not-found');
    expect((await ask(ann, 'bar-bad')).err?.kind).toBe('invalid-argument');

    // resource packs with ids (1.20.3+)
    expect(await ask(ann, 'pack')).toEqual({ ok: null });
    const pack = await until('the pack', () => last(seen, 'add_resource_pack'));
    expect(pack).toMatchObject({ url: 'http://127.0.0.1/pack.zip', hash: '0123456789abcdef0123456789abcdef01234567', forced: false });
    expect(await ask(ann, 'unpack')).toEqual({ ok: null });
    expect(await until('the pack removal', () => last(seen, 'remove_resource_pack'))).toEqual({ uuid: pack.uuid });

    // cookies: stored and read back; a client that never answers runs into the wait's end (§4.3)
    expect(await ask(ann, 'store')).toEqual({ ok: null });
    expect(await ask(ann, 'cookie')).toEqual({ ok: [1, 2, 3] });
    expect(await ask(ann, 'cookie probe:none')).toEqual({ ok: null });
    expect((await ask(ann, 'cookie probe:silent')).err?.kind).toBe('timeout');
    expect((await ask(ann, 'cookie BAD:key')).err?.kind).toBe('invalid-argument');

    // connect answers the outcome; the bar follows the player to the new server
    const barsBefore = ofBar(seen, 0).length;
    expect(await ask(ann, 'connect game')).toEqual({ ok: { tag: 'success' } });
    await until('on game', () => game.players.has('Ann'));
    await until('the bar shown again on game', () => ofBar(seen, 0).length > barsBefore);
    expect(ofBar(seen, 0).at(-1)).toMatchObject({ entityUUID: added.entityUUID, health: 0.25 });
    expect(await ask(ann, 'connect game')).toEqual({ ok: { tag: 'already-connected' } });
    expect((await ask(ann, 'connect nowhere')).err?.kind).toBe('not-found');

    expect(await ask(ann, 'transfer')).toEqual({ ok: null });
    expect(await until('the transfer', () => last(seen, 'transfer'))).toEqual({ host: '127.0.0.1', port: 25599 });

    // hidden, then a new bar goes when the plugin's instance goes
    expect(await ask(ann, 'bar-hide')).toEqual({ ok: null });
    expect(await until('the bar removed', () => ofBar(seen, 1)[0])).toMatchObject({ entityUUID: added.entityUUID });
    expect((await ask(ann, 'bar-hide')).err?.kind).toBe('not-found');
    await ask(ann, 'bar');
    const second = await until('a second bar', () => ofBar(seen, 0).find((b) => b.entityUUID !== added.entityUUID));
    await host.plugins.disable('players_030');
    expect(await until('the bar removed with the plugin', () => ofBar(seen, 1).find((b) => b.entityUUID === second.entityUUID))).toBeTruthy();
    await host.plugins.enable('players_030');
    await until('the plugin enabled again', () => host.plugins.get('players_030')?.state === 'enabled');
    await ann.leave();
  });

  it('answers unsupported for what a 1.8 client has no packet for, and sends it what it has', async () => {
    const bo = await joinPlay(port, 'old.test', 'Old', old);
    const seen = record(bo);
    expect((await ask(bo, 'bar')).err).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/1\.8\.9.*boss bar.*1\.9/) });
    expect((await ask(bo, 'transfer')).err).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/1\.20\.5/) });
    expect((await ask(bo, 'store')).err?.kind).toBe('unsupported');
    expect((await ask(bo, 'unpack')).err?.kind).toBe('unsupported');
    expect(await ask(bo, 'tab')).toEqual({ ok: null });
    expect(await ask(bo, 'clear-title')).toEqual({ ok: null });
    await until('the 1.8 title reset', () => seen.find((s) => s.name === 'title' && s.data.action === 4));
    expect(JSON.stringify(last(seen, 'playerlist_header'))).toMatch(/Head/);
    await bo.leave();
  });

  it('answers unsupported for a passthrough player and player-gone for one who left', async () => {
    const before = results.length;
    const plain = await joinPlay(port, 'plain.test', 'Plain', lobby);
    const tab = await until('the passthrough answer', () => results.slice(before).find((r) => r.name === 'tab'));
    expect(tab.answer.err).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/passthrough/) });
    await plain.leave();

    const gone = await joinPlay(port, 'lobby.test', 'Gone', lobby);
    const mark = results.length;
    await gone.leave();
    const answers = await until('answers for the gone player', () => {
      const r = results.slice(mark).filter((x) => x.name === 'tab' || x.name === 'cookie');
      return r.length === 2 && r;
    });
    expect(answers.map((a) => a.answer.err?.kind)).toEqual(['player-gone', 'player-gone']);
  });
});
