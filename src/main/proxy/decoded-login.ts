// A login routed to a server of a decoding mode (offline, client_only), in Infrarust's order: the routed
// server's mode (with pre-login's force-online / force-offline) decides whether the proxy authenticates the
// player, the admission events run (decoded-admission.ts), and only then player-choose-initial-server and
// server-pre-connect pick the first server. That server is joined with the authentication already done:
// a server that wants more (client_only, for a player who was not authenticated) is refused with a
// message, and a passthrough server is piped only while the proxy has sent the client nothing.

import type { GameProfile, PlayerId, PreLoginResult } from '../contract/guest-types.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import { isDecodedMode } from '../../shared/proxy-modes.ts';
import { KICK_LINGER_MS, type LoginIo } from './client-login.ts';
import { rejected } from './connection-events.ts';
import { admitDecoded, authenticateFor, refuseDecoded, type Admitted } from './decoded-admission.ts';
import { startDecodedConnection } from './decoded-connection.ts';
import { codecFor, SUPPORTED_RANGE, type VersionCodec } from './decoded-protocol.ts';
import type { Handshake } from './handshake.ts';
import { chooseInitialServer } from './initial-server.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { openClientLogin } from './login-completion.ts';
import { pipeLogin } from './passthrough-pipe.ts';
import type { ServerDefinition } from './server-file.ts';
import { handlersWithWake } from './server-wake.ts';
import { componentJson } from './text-component.ts';

/** What the login knows once pre-login let it through. */
export interface RoutedLogin {
  hs: Handshake;
  playerId: PlayerId;
  /** `name (ip:port)` for log lines. */
  who: string;
  clientSentUuid: boolean;
}

export async function decodedLogin(io: LoginIo, l: RoutedLogin, requested: ServerDefinition, pre: PreLoginResult | undefined, profile: GameProfile): Promise<void> {
  const codec = decodingCodec(io, requested, l);
  if (!codec) return;
  const admitted = await admitDecoded(io, { hs: l.hs, codec, profile, playerId: l.playerId, who: l.who, authenticate: authenticateFor(requested, pre), server: requested.id });
  if (!admitted) return;
  const { ctx } = io;
  const refuse = (reasonJson: string, why: string, reject: RejectReason, level: 'info' | 'warn' = 'info') => {
    rejected(ctx.events, io.peer, l.hs.host, reject);
    refuseDecoded(io, admitted.client, codec, reasonJson, `${l.who}: ${why}`, level);
  };

  const route = await chooseInitialServer(ctx.events, l.playerId, admitted.profile, requested.id, () => io.ensureOpen());
  if (route.tag === 'refused') return refuse(route.reasonJson, route.why, route.reject);
  const server = ctx.servers.get(route.target);
  if (!server) {
    ctx.log('warn', `${l.who}: a plugin chose server ${JSON.stringify(route.target)}, which does not exist`);
    return refuse(componentJson(`Server ${route.target} does not exist`), 'unknown target server', { tag: 'server-unavailable' });
  }
  const problem = joinProblem(server, admitted, pre, route.tag === 'limbo');
  if (problem) return refuse(componentJson(problem.text), problem.why, { tag: 'server-unavailable' }, 'warn');
  if (route.tag === 'limbo') return enterDecoded(io, server, l, codec, admitted, { handlers: route.handlers, context: route.context, target: server.id });
  if (server.maxPlayers > 0 && ctx.players.countOn(server.id) >= server.maxPlayers) {
    return refuse(componentJson('The server is full'), `${server.id} is full`, { tag: 'server-unavailable' });
  }
  // Nothing was sent to the client yet (joinProblem): its own login goes to the backend, as in passthrough.
  if (!isDecodedMode(server.proxyMode)) return pipeLogin(io, server, { ...l, profile: admitted.profile });
  const handlers = handlersWithWake(ctx.manager, server);
  const limbo = handlers.length > 0 ? { handlers, context: { tag: 'initial-connection' as const, val: server.id }, target: server.id } : undefined;
  return enterDecoded(io, server, l, codec, admitted, limbo);
}

/** Why `server` cannot take this login as it was authenticated, for the client and for the log. */
function joinProblem(server: ServerDefinition, admitted: Admitted, pre: PreLoginResult | undefined, limbo: boolean): { text: string; why: string } | undefined {
  if (!isDecodedMode(server.proxyMode) && limbo) {
    return { text: 'Limbo needs a decoding proxy mode (offline or client_only) on this server', why: `sent to limbo but ${server.id} runs in ${server.proxyMode}` };
  }
  if (!isDecodedMode(server.proxyMode) && admitted.client) {
    return { text: `${server.id} cannot be joined from here`, why: `a plugin chose ${server.id} (passthrough) after the proxy authenticated the player` };
  }
  if (authenticateFor(server, pre) && !admitted.onlineMode) {
    return { text: `${server.id} cannot be joined from here: it needs an authenticated login`, why: `a plugin chose ${server.id} (client_only) for a player the proxy did not authenticate` };
  }
  return undefined;
}

/** The codec of the client's version, or undefined once the client was told its version cannot be decoded. */
export function decodingCodec(io: LoginIo, server: ServerDefinition, l: Pick<RoutedLogin, 'hs' | 'who'>): VersionCodec | undefined {
  const codec = codecFor(l.hs.protocolVersion);
  if (codec) return codec;
  rejected(io.ctx.events, io.peer, l.hs.host, { tag: 'server-unavailable' });
  io.kick(
    componentJson(`${server.id} needs Minecraft ${SUPPORTED_RANGE}; your client speaks protocol ${l.hs.protocolVersion}`),
    `${l.who}: protocol ${l.hs.protocolVersion} cannot be decoded for ${server.id} (${server.proxyMode})`,
  );
  return undefined;
}

/** The proxy completes the admitted login and decodes (decoded-connection.ts), limbo first if asked. */
export async function enterDecoded(io: LoginIo, server: ServerDefinition, l: RoutedLogin, codec: VersionCodec, admitted: Admitted, limbo?: LimboEntry): Promise<void> {
  const client = admitted.client ?? openClientLogin(io.socket, io.handOver().unparsed);
  const session = await startDecodedConnection({
    ctx: io.ctx,
    client,
    codec,
    server,
    hs: l.hs,
    profile: admitted.profile,
    onlineMode: admitted.onlineMode,
    playerId: l.playerId,
    who: l.who,
    ip: io.ip,
    peer: io.peer,
    clientSentUuid: l.clientSentUuid,
    signal: io.signal(),
    lingerMs: KICK_LINGER_MS,
    limbo,
  });
  if (session) io.setDecoded(session);
}
