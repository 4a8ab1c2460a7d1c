// Minecraft peers that go as far as the play state, for the decoding proxy modes: backends that send
// Join Game, record chat and can kick; clients that record what the proxy or a backend shows them.
import type { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import mc from 'minecraft-protocol';
import minecraftData from 'minecraft-data';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PacketReader } from '../../src/main/proxy/packet-codec.ts';
import { startBackend, until, type Backend } from './minecraft-peers.ts';

/** Join Game for 1.8 (minecraft-data has a sample packet only for newer versions). */
const LOGIN_1_8 = { gameMode: 0, dimension: 0, difficulty: 1, maxPlayers: 20, levelType: 'default', reducedDebugInfo: false };

/** A backend whose players reach play (Join Game) and whose chat is recorded. */
export interface PlayBackend extends Backend {
  name: string;
  version: string;
  /** Username → the mc client on this backend, while connected. */
  players: Map<string, mc.Client>;
  chats: { username: string; message: string }[];
  /** Handshake host fields seen (BungeeCord forwarding puts the player's data there). */
  hosts: string[];
  /** Username → the view distance its Client Information said, as this backend received it. */
  viewDistances: Map<string, number>;
  /** Players forwarded with Velocity's modern forwarding, as the backend verified them. */
  forwarded: { ip: string; uuid: string; username: string; properties: string[] }[];
  kick(username: string, reason: string): void;
}

/**
 * With `velocitySecret` the backend behaves as Paper with Velocity forwarding: before logging a player in
 * it asks on `velocity:player_info` and refuses an answer whose HMAC does not match the secret.
 */
export async function startPlayBackend(name: string, version: string, velocitySecret?: string): Promise<PlayBackend> {
  const backend = (await startBackend(name, version)) as PlayBackend;
  const data = minecraftData(version);
  backend.name = name;
  backend.version = version;
  backend.players = new Map();
  backend.chats = [];
  backend.hosts = [];
  // minecraft-protocol's typings list only some events: listen through plain emitters.
  const server = backend as unknown as EventEmitter;
  backend.forwarded = [];
  backend.viewDistances = new Map();
  server.on('connection', (client: EventEmitter & mc.Client) => {
    client.once('set_protocol', (p: { serverHost: string }) => backend.hosts.push(p.serverHost));
    client.on('settings', (p: { viewDistance: number }) => backend.viewDistances.set(client.username, p.viewDistance));
    if (velocitySecret) requireVelocity(client, velocitySecret, backend.forwarded);
  });
  server.on('playerJoin', (client: mc.Client) => {
    const events = client as unknown as EventEmitter;
    backend.players.set(client.username, client);
    events.once('end', () => backend.players.delete(client.username));
    client.write('login', { ...(data.loginPacket ?? LOGIN_1_8), entityId: backend.port % 1000 });
    const record = (p: { message: string }) => backend.chats.push({ username: client.username, message: p.message });
    events.on('chat', record);
    events.on('chat_message', record);
  });
  backend.kick = (username, reason) => {
    const client = backend.players.get(username);
    if (!client) throw new Error(`${username} is not on ${name}`);
    client.end(reason);
  };
  return backend;
}

function requireVelocity(client: EventEmitter & mc.Client, secret: string, forwarded: PlayBackend['forwarded']): void {
  const [login] = client.listeners('login_start') as ((p: unknown) => void)[];
  client.removeListener('login_start', login);
  client.once('login_start', (start: unknown) => {
    client.write('login_plugin_request', { messageId: 7, channel: 'velocity:player_info', data: Buffer.from([1]) });
    client.once('login_plugin_response', (r: { messageId: number; data?: Buffer }) => {
      const data = r.data;
      const signed = data?.subarray(32);
      const expected = signed && createHmac('sha256', secret).update(signed).digest();
      if (!data || r.messageId !== 7 || !expected || !timingSafeEqual(expected, data.subarray(0, 32))) return client.end('Unable to verify player details');
      const reader = new PacketReader(signed!);
      reader.varInt();
      const ip = reader.string(255);
      const uuid = reader.uuid();
      const username = reader.string(16);
      const properties: string[] = [];
      for (let n = reader.varInt(); n > 0; n--) {
        properties.push(reader.string(64));
        reader.string(32767);
        if (reader.bool()) reader.string(32767);
      }
      forwarded.push({ ip, uuid, username, properties });
      login(start);
    });
  });
}

/** A client through the proxy that records system chat, action bars, titles and Join Game packets. */
export interface PlayClient {
  client: mc.Client;
  username: string;
  messages: string[];
  actionBars: string[];
  titles: string[];
  joins: number;
  /** Set once the client reached play. */
  joined: boolean;
  kicked: string | undefined;
  ended: boolean;
  chat(message: string): void;
  /** Sends Client Information with this view distance (minecraft-protocol clients never send it themselves). */
  sendSettings(viewDistance: number): void;
  leave(): Promise<void>;
}

export interface PlayClientOptions {
  /** Replaces minecraft-protocol's offline auth (client_only tests log in through a session server). */
  auth?: (client: mc.Client, options: mc.ClientOptions) => void;
  sessionServer?: string;
  /** The loopback address the client connects from (per-address rules start fresh on another one). */
  localAddress?: string;
}

export function playClient(port: number, host: string, username: string, version: string, opts: PlayClientOptions = {}): PlayClient {
  const client = mc.createClient({
    host,
    port,
    username,
    version,
    auth: opts.auth ?? 'offline',
    sessionServer: opts.sessionServer,
    hideErrors: true,
    connect: (c: mc.Client) => c.setSocket(connect({ port, host: '127.0.0.1', localAddress: opts.localAddress })),
  } as mc.ClientOptions);
  const pc: PlayClient = {
    client,
    username,
    messages: [],
    actionBars: [],
    titles: [],
    joins: 0,
    joined: false,
    kicked: undefined,
    ended: false,
    chat: (message) => client.chat(message),
    sendSettings: (viewDistance) =>
      client.write('settings', {
        locale: 'en_us',
        viewDistance,
        chatFlags: 0,
        chatColors: true,
        skinParts: 0x7f,
        mainHand: 1,
        enableTextFiltering: false,
        enableServerListing: true,
        particleStatus: 'all',
      }),
    async leave() {
      if (pc.ended) return;
      client.end('leaving');
      await until(`${username} to leave`, () => pc.ended);
    },
  };
  const text = (v: unknown) => JSON.stringify(v);
  const events = client as unknown as EventEmitter;
  events.on('error', () => undefined);
  events.on('playerJoin', () => (pc.joined = true));
  events.on('end', () => (pc.ended = true));
  events.on('packet', (data: Record<string, unknown>, meta: { name: string; state: string }) => {
    if (meta.state !== 'play' && meta.name !== 'disconnect') return;
    switch (meta.name) {
      case 'login':
        pc.joins++;
        break;
      case 'chat':
        (data.position === 2 ? pc.actionBars : pc.messages).push(text(data.message));
        break;
      case 'system_chat':
        (data.isActionBar ? pc.actionBars : pc.messages).push(text(data.content));
        break;
      case 'title':
        if (data.action === 0) pc.titles.push(text(data.text));
        break;
      case 'set_title_text':
        pc.titles.push(text(data.text));
        break;
      case 'kick_disconnect':
      case 'disconnect':
        pc.kicked = text(data.reason);
        break;
    }
  });
  return pc;
}

/** Joins and waits until the client is in play on `backend`. */
export async function joinPlay(port: number, host: string, username: string, backend: PlayBackend, opts?: PlayClientOptions): Promise<PlayClient> {
  const pc = playClient(port, host, username, backend.version, opts);
  await until(`${username} playing on ${backend.name}`, () => (backend.players.has(username) && pc.joins > 0) || pc.ended, 10_000);
  if (pc.ended) throw new Error(`${username} was disconnected before playing: ${pc.kicked}`);
  return pc;
}
