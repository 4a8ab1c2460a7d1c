// The 0.3.0 connection and login events through the real proxy, seen and decided by a real 0.3.0 guest
// (test/fixtures/js030/watcher.js, QuickJS), with transfers and resource packs driven by another
// (players.js): connection-handshake (allow, deny, drop), connection-rejected (unknown domain, a plugin,
// an unreachable server), game-profile-request (a new profile, a denial), login (a denial, and a listener
// that traps: the access event denies), pre-transfer (allowed, refused, redirected),
// player-resource-pack-status, backend-health, and ban-issued / ban-revoked for the built-in ban list.
// Real minecraft-protocol clients and servers.
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
import { clientVia, freePort, joinVia, pingVia, until } from './support/minecraft-peers';
import { joinPlay, playClient, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';
type Seen = Record<string, unknown> & { [k: string]: any };
const UNAVAILABLE = 'A proxy plugin is unavailable. Please try again later.';

describe('host: the 0.3.0 connection and login events', () => {
  let tmp: TempHost;
  let host: Host;
  let lobby: PlayBackend;
  let plain: PlayBackend;
  let downPort: number;
  let port: number;
  const events: { kind: string; val: Seen }[] = [];
  const results: { name: string; answer: { ok?: unknown; err?: { kind: string; message: string } } }[] = [];
  const seen = (kind: string, match: (v: Seen) => boolean = () => true) => events.filter((e) => e.kind === kind && match(e.val)).map((e) => e.val);
  const one = (kind: string, match: (v: Seen) => boolean) => until(`a ${kind} event`, () => seen(kind, match)[0]);

  beforeAll(async () => {
    tmp = await tempHost();
    [lobby, plain] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('Plain', VERSION)]);
    downPort = await freePort();
    await tmp.addPlugin('watcher-030');
    await tmp.addPlugin('players-030');
    ({ host, port } = await tmp.run({
      servers: {
        lobby: `domains = ["lobby.test", "blocked.test", "silent.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\nproxy_mode = "offline"\n`,
        plain: `domains = ["plain.test"]\naddresses = ["127.0.0.1:${plain.port}"]\n`,
        down: `domains = ["down.test"]\naddresses = ["127.0.0.1:${downPort}"]\nproxy_mode = "offline"\n`,
      },
      config: 'bind = "127.0.0.1:0"\nunknown_domain_behavior = "default-motd"\n\n[wasm]\ncall_timeout_ms = 2000\n',
    }));
    host.plugins.on('log', (l: { pluginId: string; message: string }) => {
      const e = /^event (\S+) (.*)$/.exec(l.message);
      if (e && l.pluginId === 'watcher') events.push({ kind: e[1]!, val: JSON.parse(e[2]!) as Seen });
      const r = /^result (\S+) (.*)$/.exec(l.message);
      if (r && l.pluginId === 'players_030') results.push({ name: r[1]!, answer: JSON.parse(r[2]!) });
    });
    await until('the plugins enabled', () => host.plugins.get('watcher')?.state === 'enabled' && host.plugins.get('players_030')?.state === 'enabled');
  });

  afterAll(async () => {
    await tmp?.cleanup();
    for (const b of [lobby, plain]) b?.close();
  });

  async function ask(pc: PlayClient, action: string) {
    const before = results.length;
    const id = host.proxy!.players.getByUsername(pc.username)!.id;
    expect(await host.plugins.runCommand(`ctl ${action}`, id)).toBe(true);
    return until(`the answer to ${action}`, () => results.slice(before).find((r) => r.name === action.split(' ')[0])?.answer);
  }

  it('sees the handshake, the profile request and the login of a player in offline mode, and the status ping', async () => {
    const ann = await joinPlay(port, 'lobby.test', 'Ann', lobby);
    const hs = await one('connection-handshake', (v) => v.intent === 'login' && v.rawHost === 'lobby.test');
    expect(hs).toMatchObject({ virtualHost: 'lobby.test', protocol: 769, legacy: false, server: 'lobby', result: { tag: 'allow' }, remoteAddr: { ip: { tag: 'ipv4', val: [127, 0, 0, 1] } } });
    const profile = await one('game-profile-request', (v) => v.original.username === 'Ann');
    expect(profile).toMatchObject({ onlineMode: false, virtualHost: 'lobby.test', protocol: 769, result: { profile: { username: 'Ann' } } });
    expect(profile.result.denied ?? null).toBeNull();
    const login = await one('login', (v) => v.player.username === 'Ann');
    expect(login).toMatchObject({ onlineMode: false, result: { tag: 'allowed' } });
    // The permission subject and player-info carry the handshake's host.
    expect(host.proxy!.players.getByUsername('Ann')!.virtualHost).toBe('lobby.test');
    await ann.leave();

    await pingVia(port, 'lobby.test', VERSION);
    expect(await one('connection-handshake', (v) => v.intent === 'status')).toMatchObject({ virtualHost: 'lobby.test', server: 'lobby', legacy: false });
  });

  it('lets game-profile-request replace the profile the backend sees, or refuse the login', async () => {
    const renamed = playClient(port, 'lobby.test', 'Renamed', VERSION);
    await until('Alex2 on the lobby', () => lobby.players.has('Alex2'));
    expect(lobby.players.has('Renamed')).toBe(false);
    await renamed.leave();

    const refused = await joinVia(port, 'lobby.test', 'NoProfile', [lobby], VERSION);
    expect(refused.kicked).toContain('no profile for you');
    expect(await one('connection-rejected', (v) => v.reason.tag === 'plugin')).toMatchObject({ virtualHost: 'lobby.test', reason: { tag: 'plugin', val: 'no profile for you' } });
    expect(seen('login', (v) => v.player.username === 'NoProfile')).toEqual([]);
  });

  it('refuses a login a listener denies, and one whose listener cannot answer, with the contract’s message', async () => {
    expect((await joinVia(port, 'lobby.test', 'NoLogin', [lobby], VERSION)).kicked).toContain('login denied by watcher');
    const trapped = await joinVia(port, 'lobby.test', 'TrapLogin', [lobby], VERSION);
    expect(trapped.kicked).toContain(UNAVAILABLE);
    expect(lobby.players.has('TrapLogin')).toBe(false);
    // The watcher comes back in a fresh instance (§4.9) and sees logins again.
    await until('the watcher recovered', () => host.plugins.get('watcher')?.state === 'enabled' && seen('connection-handshake').length > 0, 10_000);
  });

  it('applies a handshake denial (a reason a logging-in client reads) and a silent drop', async () => {
    const denied = await joinVia(port, 'blocked.test', 'Bo', [lobby], VERSION);
    expect(denied.kicked).toContain('blocked by watcher');
    expect(await one('connection-rejected', (v) => v.virtualHost === 'blocked.test')).toMatchObject({ reason: { tag: 'plugin', val: 'blocked by watcher' } });

    const silent = clientVia(port, 'silent.test', 'Cy', VERSION);
    let kicked: string | undefined;
    (silent.client as unknown as EventEmitter).on('disconnect', (p: { reason: string }) => (kicked = p.reason));
    await silent.ended;
    expect(kicked).toBeUndefined();
    expect(await one('connection-handshake', (v) => v.rawHost === 'silent.test')).toMatchObject({ intent: 'login', server: 'lobby' });
    expect(lobby.players.has('Cy')).toBe(false);
  });

  it('reports a rejected unknown domain and an unreachable server with its backend going unhealthy', async () => {
    const unknown = await joinVia(port, 'nowhere.test', 'Di', [lobby], VERSION);
    expect(unknown.kicked).toContain('No server is available');
    expect(await one('connection-rejected', (v) => v.virtualHost === 'nowhere.test')).toMatchObject({ reason: { tag: 'unknown-domain' } });

    const down = await joinVia(port, 'down.test', 'Ed', [lobby], VERSION);
    expect(down.kicked).toContain('unreachable');
    expect(await one('backend-health', (v) => v.address.port === downPort)).toEqual({ address: { host: '127.0.0.1', port: downPort }, servers: ['down'], state: 'unhealthy' });
    expect(await one('connection-rejected', (v) => v.virtualHost === 'down.test')).toMatchObject({ reason: { tag: 'server-unavailable' } });
  });

  it('fires game-profile-request and login in passthrough too, as the proxy sees the player', async () => {
    const joined = await joinVia(port, 'plain.test', 'Fay', [plain], VERSION);
    expect(joined.backend).toBe(0);
    expect(await one('game-profile-request', (v) => v.original.username === 'Fay')).toMatchObject({ onlineMode: false, virtualHost: 'plain.test' });
    expect(await one('login', (v) => v.player.username === 'Fay')).toMatchObject({ onlineMode: false });
  });

  it('asks pre-transfer before a plugin’s transfer: allowed, refused, redirected', async () => {
    const transfers = (pc: PlayClient) => {
      const got: unknown[] = [];
      (pc.client as unknown as EventEmitter).on('packet', (data: unknown, meta: { name: string; state: string }) => {
        if (meta.state === 'play' && meta.name === 'transfer') got.push(data);
      });
      return got;
    };
    const ann = await joinPlay(port, 'lobby.test', 'Ann', lobby);
    const annGot = transfers(ann);
    expect(await ask(ann, 'transfer')).toEqual({ ok: null });
    expect(await until('the transfer', () => annGot[0])).toEqual({ host: '127.0.0.1', port: 25599 });
    expect(await one('pre-transfer', (v) => v.player.username === 'Ann')).toMatchObject({ host: '127.0.0.1', port: 25599, origin: 'plugin', result: { tag: 'allowed' } });

    const deny = await joinPlay(port, 'lobby.test', 'Deny', lobby);
    const denyGot = transfers(deny);
    expect((await ask(deny, 'transfer')).err).toMatchObject({ kind: 'permission-denied', message: expect.stringContaining('no transfers for Deny') });

    const redir = await joinPlay(port, 'lobby.test', 'Redir', lobby);
    const redirGot = transfers(redir);
    expect(await ask(redir, 'transfer')).toEqual({ ok: null });
    expect(await until('the redirected transfer', () => redirGot[0])).toEqual({ host: '127.0.0.1', port: 25598 });
    // Deny's client got no transfer (the redirect after it arrived, so Deny's would have too).
    expect(denyGot).toEqual([]);
    for (const pc of [ann, deny, redir]) await pc.leave();
  });

  it('reports the client’s answer to a resource pack the proxy sent', async () => {
    const gus = await joinPlay(port, 'lobby.test', 'Gus', lobby);
    (gus.client as unknown as EventEmitter).on('packet', (data: { uuid: string }, meta: { name: string; state: string }) => {
      if (meta.state === 'play' && meta.name === 'add_resource_pack') {
        gus.client.write('resource_pack_receive', { uuid: data.uuid, result: 3 });
        gus.client.write('resource_pack_receive', { uuid: data.uuid, result: 0 });
      }
    });
    expect(await ask(gus, 'pack')).toEqual({ ok: null });
    const loaded = await one('player-resource-pack-status', (v) => v.status.tag === 'successfully-loaded');
    expect(loaded).toMatchObject({ player: { username: 'Gus' }, origin: 'proxy', packId: { hi: expect.any(Number), lo: expect.any(Number) } });
    expect(seen('player-resource-pack-status', (v) => v.status.tag === 'accepted')).toHaveLength(1);
    await gus.leave();
  });

  it('fires ban-issued and ban-revoked for bans through the built-in list', async () => {
    expect((await host.proxy!.bans.ban({ tag: 'username', val: 'Hal' }, 'griefing', undefined, 'panel')).tag).toBe('ok');
    expect(await one('ban-issued', (v) => v.entry.target.val === 'hal')).toMatchObject({ entry: { reason: 'griefing', source: 'panel' }, source: { tag: 'console' }, silent: false });
    expect((await joinVia(port, 'lobby.test', 'Hal', [lobby], VERSION)).kicked).toContain('griefing');
    expect(await one('connection-rejected', (v) => v.reason.tag === 'banned')).toMatchObject({ virtualHost: 'lobby.test' });
    expect((await host.proxy!.bans.unban({ tag: 'username', val: 'Hal' }, 'plugin:someone')).tag).toBe('ok');
    expect(await one('ban-revoked', (v) => v.entry.target.val === 'hal')).toMatchObject({ source: { tag: 'plugin', val: 'someone' } });
  });
});
