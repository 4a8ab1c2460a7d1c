// From an admitted login (decoded-admission.ts) to a live player in a decoding mode: the login completion
// (the proxy's own backend login), then the session that relays and decodes, registered with the player
// registry together with its actions, and the contract's post-login and server-connected events.

import type { GameProfile, PlayerId } from '../contract/guest-types.ts';
import type { ConnectionContext } from './client-connection.ts';
import type { VersionCodec } from './decoded-protocol.ts';
import { DecodedSession } from './decoded-session.ts';
import type { Handshake } from './handshake.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { completeLogin, refuseLogin, type ClientLogin } from './login-completion.ts';
import { rejected } from './connection-events.ts';
import type { ServerDefinition } from './server-file.ts';

export interface DecodedConnectionInput {
  ctx: ConnectionContext;
  client: ClientLogin;
  codec: VersionCodec;
  server: ServerDefinition;
  hs: Handshake;
  /** The admitted profile (after game-profile-request). */
  profile: GameProfile;
  /** Whether the proxy authenticated the player. */
  onlineMode: boolean;
  playerId: PlayerId;
  who: string;
  ip: string;
  peer: string;
  clientSentUuid: boolean;
  signal: AbortSignal;
  lingerMs: number;
  /** The player starts in limbo (a server's limbo_handlers or a send-to-limbo outcome), before any backend. */
  limbo?: LimboEntry;
}

/** Runs the login; resolves with the live session, or undefined when the login was refused. */
export async function startDecodedConnection(o: DecodedConnectionInput): Promise<DecodedSession | undefined> {
  const { ctx, server, codec, who } = o;
  const socket = o.client.wire.socket;
  const outcome = await completeLogin({
    client: o.client,
    codec,
    server,
    profile: o.profile,
    clientIp: o.ip,
    host: o.hs.serverAddress,
    port: o.hs.port,
    timeoutMs: ctx.settings.connectTimeoutMs,
    signal: o.signal,
    noBackend: o.limbo !== undefined,
    track: ctx.balancer.tracker(server.id),
  });
  if (!outcome.ok) {
    ctx.counters.loginsRefused++;
    if (outcome.backendFailed) rejected(ctx.events, o.peer, o.hs.host, { tag: 'server-unavailable' });
    if (outcome.backendFailed) ctx.counters.backendFailures++;
    ctx.log(outcome.backendFailed ? 'warn' : 'info', `${who}: ${outcome.why}: refused`);
    if (!socket.destroyed) refuseLogin(outcome.wire, codec, outcome.reasonJson, o.lingerMs);
    return undefined;
  }
  if (socket.destroyed) {
    outcome.backend?.wire.socket.destroy();
    return undefined;
  }

  const profile = o.profile;
  const session = new DecodedSession({
    ctx,
    codec,
    client: outcome.client,
    backend: outcome.backend,
    early: outcome.early,
    playerId: o.playerId,
    profile,
    who,
    clientIp: o.ip,
    host: o.hs.serverAddress,
    port: o.hs.port,
  });
  const { players, events } = ctx;
  players.add(
    {
      id: o.playerId,
      profile,
      protocolVersion: o.hs.protocolVersion,
      remoteAddr: o.peer,
      currentServer: o.limbo ? undefined : server.id,
      connectedAt: Date.now(),
      clientSentUuid: o.clientSentUuid,
      mode: server.proxyMode,
      onlineMode: o.onlineMode,
      virtualHost: o.hs.host,
    },
    (reason) => {
      ctx.log('info', `${who}: disconnected by the host`);
      session.disconnect(reason);
    },
    (action) => session.act(action),
    session.controls,
  );
  ctx.counters.logins++;
  ctx.log('info', `${who} → ${server.id} via ${JSON.stringify(o.hs.host)} (${server.proxyMode}, ${codec.version})`);
  events.notify('post-login', () => ({ tag: 'post-login', val: { profile, playerId: o.playerId, protocolVersion: o.hs.protocolVersion } }));
  if (!o.limbo) {
    events.notify('server-connected', () => ({ tag: 'server-connected', val: { playerId: o.playerId, server: server.id } }));
    events.notify030('server-post-connect', () => ({ tag: 'server-post-connect', val: { playerId: o.playerId, server: server.id, previousServer: undefined } }));
  }
  socket.once('close', () => {
    const left = players.remove(o.playerId);
    ctx.log('info', `${who} left ${left?.currentServer ?? server.id}`);
    events.notify('disconnect', () => ({ tag: 'disconnect', val: { playerId: o.playerId, username: profile.username, lastServer: left?.currentServer } }));
  });
  session.start();
  if (o.limbo) session.enterLimbo(o.limbo);
  return session;
}
