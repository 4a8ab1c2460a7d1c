// The login sequence of the decoding modes in Infrarust's order, as real plugins of both contracts hear it
// (test/fixtures/js030/login-order.js and login-order-023.js, QuickJS) through the real proxy, with real
// minecraft-protocol clients and backends and a local session server for client_only: the player is
// admitted (pre-login, authentication, game-profile-request, permissions-setup, login) before
// player-choose-initial-server and server-pre-connect; a server a plugin picks then that the authentication
// done cannot serve is refused with a message (on the encrypted stream once the player authenticated).
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { Host } from '../src/main/host/host';
import { offlineUuid } from '../src/main/proxy/offline-uuid';
import { uuidFrom, uuidText } from '../src/shared/contract/uuid-halves';
import { until } from './support/minecraft-peers';
import { joinPlay, playClient, startPlayBackend, type PlayBackend, type PlayClient } from './support/play-peers';
import { sessionAuth, startSessionServer, type SessionServer } from './support/session-server';
import { tempHost, type TempHost } from './support/temp-host';

const VERSION = '1.21.4';
type Heard = { kind: string; name?: string; online?: boolean; server?: string; uuid?: string; player?: number };
type Contract = '0.3.0' | '0.2.3';

/**
 * Infrarust's order for a player of a decoding mode: the decisions, each awaited before the next, then the
 * observe-only events of the join. Those are delivered in the background (a plugin may hear
 * server-post-connect before post-login while another plugin is still answering post-login), so they are
 * compared as a set; post-login comes after the choice here (README: the login sequence).
 */
const DECIDED_030 = ['pre-login', 'game-profile-request', 'permissions-setup', 'login', 'player-choose-initial-server', 'server-pre-connect'];
const OBSERVED_030 = ['post-login', 'server-connected', 'server-post-connect'];
const SEQUENCE_023 = ['pre-login', 'player-choose-initial-server', 'server-pre-connect', 'post-login', 'server-connected'];
const JOINED_030 = DECIDED_030.length + OBSERVED_030.length;

function expectJoined030(kinds: string[]): void {
  expect(kinds.slice(0, DECIDED_030.length)).toEqual(DECIDED_030);
  expect(kinds.slice(DECIDED_030.length).sort()).toEqual([...OBSERVED_030].sort());
}

describe('host: the login sequence of the decoding modes, heard by plugins of both contracts', () => {
  let tmp: TempHost;
  let host: Host;
  let session: SessionServer;
  let lobby: PlayBackend;
  let secure: PlayBackend;
  let plain: PlayBackend;
  let port: number;
  const heard: Record<Contract, Heard[]> = { '0.3.0': [], '0.2.3': [] };
  const clients: PlayClient[] = [];

  /** The kinds a plugin heard for a player known by these names (0.2.3's server-connected names only its id). */
  const sequence = (contract: Contract, ...names: string[]) => {
    const ids = new Set(heard[contract].filter((h) => names.includes(h.name ?? '') && h.player !== undefined).map((h) => h.player));
    return heard[contract].filter((h) => names.includes(h.name ?? '') || (h.name === undefined && ids.has(h.player))).map((h) => h.kind);
  };
  const heardAll = (names: string[], n030: number, n023: number) =>
    until(`${names[0]}'s login events`, () => sequence('0.3.0', ...names).length >= n030 && sequence('0.2.3', ...names).length >= n023);
  const account = (name: string) => session.accounts.set(name, randomBytes(16).toString('hex'));
  const authAs = (name: string) => ({ auth: sessionAuth(session, name), sessionServer: session.url });

  beforeAll(async () => {
    tmp = await tempHost();
    session = await startSessionServer();
    [lobby, secure, plain] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('Secure', VERSION), startPlayBackend('Plain', VERSION)]);
    const servers = join(tmp.dir, 'servers');
    await mkdir(servers);
    await writeFileAtomic(join(servers, 'lobby.toml'), `domains = ["lobby.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\nproxy_mode = "offline"\n`);
    await writeFileAtomic(join(servers, 'secure.toml'), `domains = ["secure.test"]\naddresses = ["127.0.0.1:${secure.port}"]\nproxy_mode = "client_only"\n`);
    await writeFileAtomic(join(servers, 'plain.toml'), `domains = ["plain.test"]\naddresses = ["127.0.0.1:${plain.port}"]\n`);
    await tmp.addPlugin('login-order-030');
    await tmp.addPlugin('login-order-023');
    await tmp.writeConfig(`bind = "127.0.0.1:0"\n\n[auth]\nsession_server = "${session.url}"\n\n[wasm]\ncall_timeout_ms = 2000\n`);
    host = await Host.start({ cwd: tmp.dir });
    host.plugins.on('log', (l: { pluginId: string; message: string }) => {
      const m = /^order (.*)$/.exec(l.message);
      const contract = l.pluginId === 'login_order' ? '0.3.0' : l.pluginId === 'login_order_023' ? '0.2.3' : undefined;
      if (m && contract) heard[contract].push(JSON.parse(m[1]!) as Heard);
    });
    port = Number(host.proxyStatus().address!.split(':').pop());
    await until('the plugins enabled', () => host.plugins.get('login_order')?.state === 'enabled' && host.plugins.get('login_order_023')?.state === 'enabled');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.leave()));
    await host?.stop();
    for (const b of [lobby, secure, plain]) b?.close();
    await session?.close();
    await tmp?.cleanup();
  });

  it('offline: the player is admitted (profile, permissions, login) before its first server is chosen', async () => {
    clients.push(await joinPlay(port, 'lobby.test', 'Olga', lobby));
    await heardAll(['Olga'], JOINED_030, SEQUENCE_023.length);
    expectJoined030(sequence('0.3.0', 'Olga'));
    expect(sequence('0.2.3', 'Olga')).toEqual(SEQUENCE_023);
    const olga = heard['0.3.0'].filter((h) => h.name === 'Olga');
    expect(olga.find((h) => h.kind === 'login')).toMatchObject({ online: false });
    expect(olga.find((h) => h.kind === 'server-connected')).toMatchObject({ server: 'lobby' });
  });

  it('client_only: authentication and the admission come first; a 0.2.3 plugin is asked about the authenticated, renamed profile', async () => {
    account('Nick');
    // The 0.3.0 plugin's game-profile-request renames Nick to Nick2: the backend logs Nick2 in.
    const nick = playClient(port, 'secure.test', 'Nick', VERSION, authAs('Nick'));
    clients.push(nick);
    await until('Nick2 on Secure', () => secure.players.has('Nick2') || nick.ended, 10_000);
    expect(nick.kicked).toBeUndefined();
    await heardAll(['Nick', 'Nick2'], JOINED_030, SEQUENCE_023.length);
    expectJoined030(sequence('0.3.0', 'Nick', 'Nick2'));
    expect(sequence('0.2.3', 'Nick', 'Nick2')).toEqual(SEQUENCE_023);
    const login = heard['0.3.0'].find((h) => h.kind === 'login' && h.name === 'Nick2');
    expect(login).toMatchObject({ online: true });
    // The QuickJS guest holds u64 values as doubles, so the uuid in the profile it handed back lost the low
    // bits of each half: the host keeps the session server's exact uuid, which that rounds from.
    const registered = host.proxy!.players.getByUsername('Nick2')!.profile.uuid;
    expect(registered).toBe(uuidText(uuidFrom(session.accounts.get('Nick')!)));
    expect(registered).not.toBe(offlineUuid('Nick'));
    // 0.2.3 hears pre-login as the client introduced itself, and the initial server for the profile the
    // admission made: Nick2, with that uuid.
    const old = heard['0.2.3'];
    expect(old.find((h) => h.kind === 'pre-login' && h.name === 'Nick')).toBeDefined();
    const chosen = old.find((h) => h.kind === 'player-choose-initial-server' && (h.name === 'Nick' || h.name === 'Nick2'));
    expect(chosen).toMatchObject({ name: 'Nick2', uuid: registered });
  });

  it('refuses a client_only server a plugin picks for a player the proxy did not authenticate', async () => {
    const pc = playClient(port, 'lobby.test', 'ToSecure', VERSION);
    await until('ToSecure refused', () => pc.ended, 10_000);
    expect(pc.kicked).toContain('secure cannot be joined from here: it needs an authenticated login');
    expect(secure.players.has('ToSecure')).toBe(false);
    await heardAll(['ToSecure'], DECIDED_030.length, 3);
    expect(sequence('0.3.0', 'ToSecure')).toEqual(DECIDED_030);
  });

  it('refuses, on the encrypted stream, a passthrough server a plugin picks for a player the proxy authenticated', async () => {
    account('ToPlain');
    const pc = playClient(port, 'secure.test', 'ToPlain', VERSION, authAs('ToPlain'));
    await until('ToPlain refused', () => pc.ended, 10_000);
    expect(pc.kicked).toContain('plain cannot be joined from here');
    expect(plain.players.has('ToPlain')).toBe(false);
  });

  it('pipes to a passthrough server a plugin picks while the proxy has sent the client nothing (offline)', async () => {
    clients.push(await joinPlay(port, 'lobby.test', 'ToPlainO', plain));
    await heardAll(['ToPlainO'], JOINED_030, SEQUENCE_023.length);
    expectJoined030(sequence('0.3.0', 'ToPlainO'));
    expect(heard['0.3.0'].find((h) => h.kind === 'server-connected' && h.name === 'ToPlainO')).toMatchObject({ server: 'plain' });
  });
});
