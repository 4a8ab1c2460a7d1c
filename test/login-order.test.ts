// The login sequence of the decoding modes in Infrarust's order, as real plugins of both contracts hear it
// (test/fixtures/js030/login-order.js and login-order-023.js, QuickJS) through the real proxy, with real
// minecraft-protocol clients and backends and a local session server for client_only: the player is
// admitted (pre-login, authentication, game-profile-request, permissions-setup, login) before
// player-choose-initial-server and server-pre-connect, then hears post-login, server-connected and
// server-post-connect in that order even while another plugin (native, below) has not yet answered post-login;
// a server a plugin picks then that the authentication done cannot serve is refused with a message (on the
// encrypted stream once the player authenticated).
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../src/main/host/host';
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
 * observe-only events of the join, delivered in the background but to each plugin in the order they were
 * fired; post-login comes after the choice here (README: the login sequence).
 */
const DECIDED_030 = ['pre-login', 'game-profile-request', 'permissions-setup', 'login', 'player-choose-initial-server', 'server-pre-connect'];
const JOINED_030 = [...DECIDED_030, 'post-login', 'server-connected', 'server-post-connect'];
const SEQUENCE_023 = ['pre-login', 'player-choose-initial-server', 'server-pre-connect', 'post-login', 'server-connected'];

/**
 * A native plugin that hears post-login first (priority 0) and answers it only once the test lets it
 * (`__slowLogin`, by player name): the order plugins must not wait for it, nor hear later events first.
 */
const SLOW_LOGIN = `
export default (host) => ({
  metadata: () => ({ id: 'slow_login', name: 'Slow login', version: '1', authors: [], description: undefined, dependencies: [] }),
  onEnable() { host['event-bus'].subscribe('post-login', 0); },
  async handleEvent(_listener, ev) {
    await globalThis.__slowLogin?.get(ev.val.profile.username);
    return { tag: 'none' };
  },
});
`;
type Held = Map<string, Promise<void>>;
const slowLogin = ((globalThis as { __slowLogin?: Held }).__slowLogin = new Map());
const releases: (() => void)[] = [];
/** Holds the slow plugin's answer to post-login for these names until the returned function is called. */
function holdPostLogin(...names: string[]): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  for (const name of names) slowLogin.set(name, held);
  releases.push(release);
  return release;
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
  /** Both order plugins heard the events fired after post-login (while the slow plugin still holds it), then it is released. */
  const heardPastPostLogin = async (release: () => void, ...names: string[]) => {
    await until(`${names[0]}'s events after post-login`, () => sequence('0.3.0', ...names).includes('server-post-connect') && sequence('0.2.3', ...names).includes('server-connected'));
    release();
  };
  const account = (name: string) => session.accounts.set(name, randomBytes(16).toString('hex'));
  const authAs = (name: string) => ({ auth: sessionAuth(session, name), sessionServer: session.url });

  beforeAll(async () => {
    tmp = await tempHost();
    session = await startSessionServer();
    [lobby, secure, plain] = await Promise.all([startPlayBackend('Lobby', VERSION), startPlayBackend('Secure', VERSION), startPlayBackend('Plain', VERSION)]);
    await tmp.addPlugin('login-order-030');
    await tmp.addPlugin('login-order-023');
    await writeFile(join(tmp.dir, 'slow-login.mjs'), SLOW_LOGIN);
    ({ host, port } = await tmp.run({
      servers: {
        lobby: `domains = ["lobby.test"]\naddresses = ["127.0.0.1:${lobby.port}"]\nproxy_mode = "offline"\n`,
        secure: `domains = ["secure.test"]\naddresses = ["127.0.0.1:${secure.port}"]\nproxy_mode = "client_only"\n`,
        plain: `domains = ["plain.test"]\naddresses = ["127.0.0.1:${plain.port}"]\n`,
      },
      config: `bind = "127.0.0.1:0"\n\n[auth]\nsession_server = "${session.url}"\n\n[wasm]\ncall_timeout_ms = 2000\n\n[plugins.slow_login]\npath = "./slow-login.mjs"\n`,
    }));
    host.plugins.on('log', (l: { pluginId: string; message: string }) => {
      const m = /^order (.*)$/.exec(l.message);
      const contract = l.pluginId === 'login_order' ? '0.3.0' : l.pluginId === 'login_order_023' ? '0.2.3' : undefined;
      if (m && contract) heard[contract].push(JSON.parse(m[1]!) as Heard);
    });
    await until('the plugins enabled', () => ['login_order', 'login_order_023', 'slow_login'].every((id) => host.plugins.get(id)?.state === 'enabled'));
  });

  afterAll(async () => {
    for (const release of releases) release();
    await Promise.all(clients.map((c) => c.leave()));
    await tmp?.cleanup();
    for (const b of [lobby, secure, plain]) b?.close();
    await session?.close();
  });

  it('offline: the player is admitted (profile, permissions, login) before its first server is chosen', async () => {
    const release = holdPostLogin('Olga');
    clients.push(await joinPlay(port, 'lobby.test', 'Olga', lobby));
    await heardPastPostLogin(release, 'Olga');
    await heardAll(['Olga'], JOINED_030.length, SEQUENCE_023.length);
    expect(sequence('0.3.0', 'Olga')).toEqual(JOINED_030);
    expect(sequence('0.2.3', 'Olga')).toEqual(SEQUENCE_023);
    const olga = heard['0.3.0'].filter((h) => h.name === 'Olga');
    expect(olga.find((h) => h.kind === 'login')).toMatchObject({ online: false });
    expect(olga.find((h) => h.kind === 'server-connected')).toMatchObject({ server: 'lobby' });
  });

  it('client_only: authentication and the admission come first; a 0.2.3 plugin is asked about the authenticated, renamed profile', async () => {
    account('Nick');
    // The 0.3.0 plugin's game-profile-request renames Nick to Nick2: the backend logs Nick2 in.
    const release = holdPostLogin('Nick', 'Nick2');
    const nick = playClient(port, 'secure.test', 'Nick', VERSION, authAs('Nick'));
    clients.push(nick);
    await until('Nick2 on Secure', () => secure.players.has('Nick2') || nick.ended, 10_000);
    expect(nick.kicked).toBeUndefined();
    await heardPastPostLogin(release, 'Nick', 'Nick2');
    await heardAll(['Nick', 'Nick2'], JOINED_030.length, SEQUENCE_023.length);
    expect(sequence('0.3.0', 'Nick', 'Nick2')).toEqual(JOINED_030);
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
    const release = holdPostLogin('ToPlainO');
    clients.push(await joinPlay(port, 'lobby.test', 'ToPlainO', plain));
    await heardPastPostLogin(release, 'ToPlainO');
    await heardAll(['ToPlainO'], JOINED_030.length, SEQUENCE_023.length);
    expect(sequence('0.3.0', 'ToPlainO')).toEqual(JOINED_030);
    expect(heard['0.3.0'].find((h) => h.kind === 'server-connected' && h.name === 'ToPlainO')).toMatchObject({ server: 'plain' });
  });
});
