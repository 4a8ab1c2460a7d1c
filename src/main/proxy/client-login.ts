// The login of one client connection: Login Start read, bans, pre-login; then the server the hostname routes
// to decides the proxy mode, as in Infrarust. offline / client_only: the player is admitted (authenticated
// when it is to be, login events) before its first server is chosen (decoded-login.ts). passthrough: the
// initial server and pre-connect, then the login events and the pipe (passthrough-pipe.ts); a plugin that
// picks a decoding server there gets the decoding login after its choice (admission then, limbo first if asked).

import type { Socket } from 'node:net';
import type { GameProfile, PreLoginResult } from '../contract/guest-types.ts';
import type { LimboEntryContext } from '../contract/limbo-types.ts';
import { isDecodedMode } from '../../shared/proxy-modes.ts';
import { banDecision } from './ban-gate.ts';
import type { ConnectionContext } from './client-connection.ts';
import { admitDecoded, authenticateFor } from './decoded-admission.ts';
import { decodedLogin, decodingCodec, enterDecoded, type RoutedLogin } from './decoded-login.ts';
import type { DecodedSession } from './decoded-session.ts';
import { MAX_LOGIN_START_BODY, parseLoginStart, type Handshake } from './handshake.ts';
import { chooseInitialServer } from './initial-server.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { offlineUuid } from './offline-uuid.ts';
import { pipeLogin } from './passthrough-pipe.ts';
import type { Endpoint } from './proxy-protocol.ts';
import type { ServerDefinition } from './server-file.ts';
import { componentJson } from './text-component.ts';
import { handlersWithWake } from './server-wake.ts';
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

  const l: RoutedLogin = { hs, playerId: players.allocateId(), who, clientSentUuid: start.uuid !== undefined };
  if (isDecodedMode(requested.proxyMode)) return decodedLogin(io, l, requested, pre, profile);

  const route = await chooseInitialServer(events, l.playerId, profile, requested.id, () => io.ensureOpen());
  if (route.tag === 'refused') {
    reject(route.reject);
    return io.kick(route.reasonJson, `${who}: ${route.why}`);
  }
  // The limbo comes before any backend: server-pre-connect fires when the player leaves it for a server.
  if (route.tag === 'limbo') return limboFirst(io, l, profile, pre, route.target, route.handlers, route.context);

  const server = servers.get(route.target);
  if (!server) {
    io.ctx.log('warn', `${who}: a plugin chose server ${JSON.stringify(route.target)}, which does not exist`);
    reject({ tag: 'server-unavailable' });
    return io.kick(componentJson(`Server ${route.target} does not exist`), `${who}: unknown target server`);
  }
  if (server.maxPlayers > 0 && players.countOn(server.id) >= server.maxPlayers) {
    reject({ tag: 'server-unavailable' });
    return io.kick(componentJson('The server is full'), `${who}: ${server.id} is full`);
  }
  if (isDecodedMode(server.proxyMode)) {
    const handlers = handlersWithWake(io.ctx.manager, server);
    if (handlers.length > 0) return limboFirst(io, l, profile, pre, server.id, handlers, { tag: 'initial-connection', val: server.id });
    return decoded(io, server, l, profile, pre);
  }
  // Passthrough: the proxy never authenticates, and the backend reads the client's own Login Start, so a
  // profile a listener sets is the proxy's view of the player (registry, events) only.
  const asked = await requestProfile(events, { profile, onlineMode: false, peer: io.peer, virtualHost: hs.host, protocolVersion: hs.protocolVersion });
  io.ensureOpen();
  const refused = 'profile' in asked ? await loginVerdict(events, l.playerId, asked.profile, false) : asked;
  io.ensureOpen();
  if (refused) {
    reject(refused.reject);
    return io.kick(refused.reasonJson, `${who}: ${refused.why}`);
  }
  if ('profile' in asked) profile = asked.profile;
  await io.ctx.commands.prepare({ id: l.playerId, profile, onlineMode: false, remoteAddr: io.peer, virtualHost: hs.host });
  io.ensureOpen();
  return pipeLogin(io, server, { ...l, profile });
}

/** The player starts in limbo: the server it is headed for decides the proxy mode, which must decode. */
function limboFirst(
  io: LoginIo,
  l: RoutedLogin,
  profile: GameProfile,
  pre: PreLoginResult | undefined,
  target: string,
  handlers: string[],
  context: LimboEntryContext,
): Promise<void> | void {
  const server = io.ctx.servers.get(target);
  if (!server) return io.kick(componentJson(`Server ${target} does not exist`), `${l.who}: unknown target server`);
  if (!isDecodedMode(server.proxyMode)) {
    io.ctx.log('warn', `${l.who}: sent to limbo (${handlers.join(', ')}) but ${server.id} runs in ${server.proxyMode}; limbo needs offline or client_only`);
    return io.kick(componentJson('Limbo needs a decoding proxy mode (offline or client_only) on this server'), `${l.who}: limbo in passthrough`);
  }
  return decoded(io, server, l, profile, pre, { handlers, context, target });
}

/** A passthrough login a plugin sent to a decoding server: admitted now, then the proxy completes it. */
async function decoded(io: LoginIo, server: ServerDefinition, l: RoutedLogin, profile: GameProfile, pre: PreLoginResult | undefined, limbo?: LimboEntry): Promise<void> {
  const codec = decodingCodec(io, server, l);
  if (!codec) return;
  const admitted = await admitDecoded(io, { hs: l.hs, codec, profile, playerId: l.playerId, who: l.who, authenticate: authenticateFor(server, pre), server: server.id });
  if (admitted) await enterDecoded(io, server, l, codec, admitted, limbo);
}
