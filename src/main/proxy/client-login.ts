// The login of one client connection: Login Start read, bans, pre-login, initial server, pre-connect, then by
// the server's mode: passthrough — backend connect, replay and pipe (passthrough-pipe.ts); offline /
// client_only — the proxy completes the login and decodes (decoded-connection.ts), limbo first if asked.

import type { Socket } from 'node:net';
import type { GameProfile, PlayerId, PreLoginResult } from '../contract/guest-types.ts';
import type { LimboEntryContext } from '../contract/limbo-types.ts';
import { isDecodedMode } from '../../shared/proxy-modes.ts';
import { banDecision } from './ban-gate.ts';
import { connectBackend, unreachableMessage, type BackendConnection } from './backend-connect.ts';
import type { ConnectionContext } from './client-connection.ts';
import { startDecodedConnection } from './decoded-connection.ts';
import { codecFor, SUPPORTED_RANGE } from './decoded-protocol.ts';
import type { DecodedSession } from './decoded-session.ts';
import { MAX_LOGIN_START_BODY, parseLoginStart, type Handshake } from './handshake.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { offlineUuid } from './offline-uuid.ts';
import { pipePassthrough } from './passthrough-pipe.ts';
import type { Endpoint } from './proxy-protocol.ts';
import type { ServerDefinition } from './server-file.ts';
import { componentJson } from './text-component.ts';
import { handlersWithWake, passthroughWake } from './server-wake.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import { byPlugin, rejected } from './connection-events.ts';
import { loginVerdict, requestProfile } from './login-events.ts';

/** What the login needs of its connection (client-connection.ts). */
export interface LoginIo {
  readonly ctx: ConnectionContext;
  readonly socket: Socket;
  readonly closed: boolean;
  /** The client's ip (for bans) and ip:port (for events and logs). */
  readonly ip: string;
  readonly peer: string;
  address(): Endpoint;
  signal(): AbortSignal;
  nextFrame(maxLength: number): Promise<Buffer>;
  /** Throws once the client has left. */
  ensureOpen(): void;
  disarm(): void;
  kick(reasonJson: string, why: string, level?: 'info' | 'warn'): void;
  close(why: string): void;
  /** Stops reading for the login: every byte received so far, and those past the frames parsed. */
  handOver(): { all: Buffer; unparsed: Buffer };
  setBackend(socket: Socket): void;
  setDecoded(session: DecodedSession): void;
}

/** How long a kicked client gets to read its disconnect packet before the socket is destroyed. */
export const KICK_LINGER_MS = 1000;

export async function login(io: LoginIo, hs: Handshake): Promise<void> {
  const start = parseLoginStart(await io.nextFrame(MAX_LOGIN_START_BODY), hs.protocolVersion);
  io.disarm();
  const { events, players, servers } = io.ctx;
  const reject = (reason: RejectReason) => rejected(events, io.peer, hs.host, reason);
  let profile: GameProfile = {
    uuid: start.uuid ?? offlineUuid(start.username),
    username: start.username,
    properties: [],
  };
  const who = `${start.username} (${io.peer})`;

  const requested = servers.resolve(hs.host);
  // The host comes from the client: logs quote it with JSON.stringify so it cannot forge a log line.
  if (!requested) {
    reject({ tag: 'unknown-domain' });
    if (io.ctx.settings.unknownDomainBehavior === 'drop') return io.close(`${who}: unknown domain ${JSON.stringify(hs.host)} dropped`);
    return io.kick(componentJson(`No server is available at ${hs.host}`), `${who}: unknown domain ${JSON.stringify(hs.host)}`);
  }

  const ban = await banDecision(io.ctx, { stage: 'pre-auth', ip: io.ip, username: start.username, uuid: profile.uuid, uuidVerified: false, virtualHost: hs.host, server: requested.id });
  io.ensureOpen();
  if (ban.banned) {
    reject({ tag: ban.byIp ? 'ip-banned' : 'banned' });
    return io.kick(ban.reasonJson, `${who}: ${ban.why}`);
  }
  const refusal = io.ctx.admitLogin?.(profile);
  if (refusal) return io.kick(componentJson(refusal), `${who}: ${refusal}`);

  const pre = await events.decide('pre-login', () => ({
    tag: 'pre-login',
    val: { profile, remoteAddr: io.peer, protocolVersion: hs.protocolVersion, serverDomain: hs.host },
  }));
  io.ensureOpen();
  // force-offline/force-online choose whether a decoding mode authenticates this player; passthrough
  // leaves any authentication to the backend.
  if (pre?.tag === 'denied') {
    reject(byPlugin(componentJson(pre.val)));
    return io.kick(componentJson(pre.val), `${who}: denied by pre-login`);
  }

  const playerId = players.allocateId();
  let target = requested.id;
  const choice = await events.decide('player-choose-initial-server', () => ({
    tag: 'player-choose-initial-server',
    val: { playerId, profile, initialServer: target },
  }));
  io.ensureOpen();
  if (choice?.tag === 'redirect') target = choice.val;
  // The limbo comes before any backend: server-pre-connect fires when the player leaves it for a server.
  if (choice?.tag === 'send-to-limbo') return limboFirst(io, hs, profile, playerId, who, start.uuid !== undefined, pre, target, choice.val, { tag: 'plugin-redirect', val: target });

  const pre2 = await events.decide('server-pre-connect', () => ({
    tag: 'server-pre-connect',
    val: { playerId, profile, originalServer: target },
  }));
  io.ensureOpen();
  if (pre2?.tag === 'denied') {
    reject(byPlugin(componentJson(pre2.val)));
    return io.kick(componentJson(pre2.val), `${who}: denied by server-pre-connect`);
  }
  if (pre2?.tag === 'send-to-limbo') return limboFirst(io, hs, profile, playerId, who, start.uuid !== undefined, pre, target, pre2.val, { tag: 'plugin-redirect', val: target });
  if (pre2?.tag === 'connect-to') target = pre2.val;

  const server = servers.get(target);
  if (!server) {
    io.ctx.log('warn', `${who}: a plugin chose server ${JSON.stringify(target)}, which does not exist`);
    reject({ tag: 'server-unavailable' });
    return io.kick(componentJson(`Server ${target} does not exist`), `${who}: unknown target server`);
  }
  if (server.maxPlayers > 0 && players.countOn(server.id) >= server.maxPlayers) {
    reject({ tag: 'server-unavailable' });
    return io.kick(componentJson('The server is full'), `${who}: ${server.id} is full`);
  }
  if (isDecodedMode(server.proxyMode)) {
    const handlers = handlersWithWake(io.ctx.manager, server);
    if (handlers.length > 0) {
      return limboFirst(io, hs, profile, playerId, who, start.uuid !== undefined, pre, server.id, handlers, { tag: 'initial-connection', val: server.id });
    }
    return decoded(io, server, hs, profile, playerId, who, start.uuid !== undefined, authenticateFor(server, pre));
  }
  // Passthrough: the proxy never authenticates, and the backend reads the client's own Login Start, so a
  // profile a listener sets is the proxy's view of the player (registry, events) only. The decoding modes
  // ask after authentication (decoded-connection.ts), after the same steps as here.
  const asked = await requestProfile(events, { profile, onlineMode: false, peer: io.peer, virtualHost: hs.host, protocolVersion: hs.protocolVersion });
  io.ensureOpen();
  const refused = 'profile' in asked ? await loginVerdict(events, playerId, asked.profile, false) : asked;
  io.ensureOpen();
  if (refused) {
    reject(refused.reject);
    return io.kick(refused.reasonJson, `${who}: ${refused.why}`);
  }
  if ('profile' in asked) profile = asked.profile;
  const asleep = passthroughWake(io.ctx.manager, server);
  if (asleep) return io.kick(asleep, `${who}: ${server.id} is not running (started it)`);

  await io.ctx.commands.prepare({ id: playerId, profile, onlineMode: false, remoteAddr: io.peer, virtualHost: hs.host });
  io.ensureOpen();
  let backend: BackendConnection;
  try {
    const proxyProtocol = server.sendProxyProtocol ? { source: io.address() } : undefined;
    backend = await connectBackend(server.addresses, io.ctx.settings.connectTimeoutMs, io.signal(), proxyProtocol, io.ctx.balancer.tracker(server.id));
  } catch (err) {
    io.ensureOpen();
    io.ctx.counters.backendFailures++;
    io.ctx.log('warn', `${who}: ${server.id}: ${(err as Error).message}`);
    reject({ tag: 'server-unavailable' });
    return io.kick(unreachableMessage(server), `${who}: ${server.id} unreachable`);
  }
  if (io.closed) {
    backend.socket.destroy();
    io.ensureOpen(); // throws: the client left while the backend connected
  }
  // Replay every byte read so far (handshake, Login Start, anything after), then pipe both ways.
  const replay = io.handOver().all;
  io.setBackend(backend.socket);
  pipePassthrough({
    ctx: io.ctx,
    socket: io.socket,
    conn: backend,
    replay,
    server,
    login: { playerId, profile, hs, who, clientSentUuid: start.uuid !== undefined },
    peer: io.peer,
    isClosed: () => io.closed,
    kick: (reason, why) => io.kick(reason, why, 'warn'),
  });
}

/** The player starts in limbo: the server it is headed for decides the proxy mode, which must decode. */
function limboFirst(
  io: LoginIo,
  hs: Handshake,
  profile: GameProfile,
  playerId: PlayerId,
  who: string,
  clientSentUuid: boolean,
  pre: PreLoginResult | undefined,
  target: string,
  handlers: string[],
  context: LimboEntryContext,
): Promise<void> | void {
  const server = io.ctx.servers.get(target);
  if (!server) return io.kick(componentJson(`Server ${target} does not exist`), `${who}: unknown target server`);
  if (!isDecodedMode(server.proxyMode)) {
    io.ctx.log('warn', `${who}: sent to limbo (${handlers.join(', ')}) but ${server.id} runs in ${server.proxyMode}; limbo needs offline or client_only`);
    return io.kick(componentJson('Limbo needs a decoding proxy mode (offline or client_only) on this server'), `${who}: limbo in passthrough`);
  }
  return decoded(io, server, hs, profile, playerId, who, clientSentUuid, authenticateFor(server, pre), { handlers, context, target });
}

/** offline / client_only: the proxy completes the login and decodes (decoded-connection.ts). */
async function decoded(
  io: LoginIo,
  server: ServerDefinition,
  hs: Handshake,
  profile: GameProfile,
  playerId: PlayerId,
  who: string,
  clientSentUuid: boolean,
  authenticate: boolean,
  limbo?: LimboEntry,
): Promise<void> {
  const codec = codecFor(hs.protocolVersion);
  if (!codec) {
    // The server cannot be reached in this client's version.
    rejected(io.ctx.events, io.peer, hs.host, { tag: 'server-unavailable' });
    return io.kick(
      componentJson(`${server.id} needs Minecraft ${SUPPORTED_RANGE}; your client speaks protocol ${hs.protocolVersion}`),
      `${who}: protocol ${hs.protocolVersion} cannot be decoded for ${server.id} (${server.proxyMode})`,
    );
  }
  const leftover = io.handOver().unparsed;
  const session = await startDecodedConnection({
    ctx: io.ctx,
    socket: io.socket,
    leftover,
    codec,
    server,
    hs,
    profile,
    playerId,
    who,
    ip: io.ip,
    peer: io.peer,
    clientSentUuid,
    authenticate,
    signal: io.signal(),
    lingerMs: KICK_LINGER_MS,
    limbo,
  });
  if (session) io.setDecoded(session);
}

/** force-online / force-offline from pre-login decide whether a decoding mode authenticates the player. */
function authenticateFor(server: ServerDefinition, pre: PreLoginResult | undefined): boolean {
  return pre?.tag === 'force-online' || (server.proxyMode === 'client_only' && pre?.tag !== 'force-offline');
}
