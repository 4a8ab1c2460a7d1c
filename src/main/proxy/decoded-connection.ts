// From Login Start to a live player in a decoding mode: the login completion (authentication in
// client_only, the proxy's own backend login), then the session that relays and decodes, registered
// with the player registry together with its actions, and the contract's login events.

import type { Socket } from 'node:net';
import type { GameProfile, PlayerId } from '../contract/guest-types.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import type { ConnectionContext } from './client-connection.ts';
import type { VersionCodec } from './decoded-protocol.ts';
import { DecodedSession } from './decoded-session.ts';
import type { Handshake } from './handshake.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { banDecision } from './ban-gate.ts';
import { completeLogin, refuseLogin } from './login-completion.ts';
import { rejected } from './connection-events.ts';
import { loginVerdict, requestProfile } from './login-events.ts';
import type { ServerDefinition } from './server-file.ts';

export interface DecodedConnectionInput {
  ctx: ConnectionContext;
  socket: Socket;
  leftover: Buffer;
  codec: VersionCodec;
  server: ServerDefinition;
  hs: Handshake;
  profile: GameProfile;
  playerId: PlayerId;
  who: string;
  ip: string;
  peer: string;
  clientSentUuid: boolean;
  /** client_only by default; a plugin's pre-login force-online / force-offline overrides it. */
  authenticate: boolean;
  signal: AbortSignal;
  lingerMs: number;
  /** The player starts in limbo (a server's limbo_handlers or a send-to-limbo outcome), before any backend. */
  limbo?: LimboEntry;
}

/** Runs the login; resolves with the live session, or undefined when the login was refused. */
export async function startDecodedConnection(o: DecodedConnectionInput): Promise<DecodedSession | undefined> {
  const { ctx, server, codec, who } = o;
  const refusedBy = (reason: RejectReason, r: { reasonJson: string; why: string }) => {
    rejected(ctx.events, o.peer, o.hs.host, reason);
    return r;
  };
  const outcome = await completeLogin({
    socket: o.socket,
    leftover: o.leftover,
    codec,
    server,
    profile: o.profile,
    clientIp: o.ip,
    host: o.hs.serverAddress,
    port: o.hs.port,
    sessionServer: ctx.settings.sessionServer,
    authenticate: o.authenticate,
    timeoutMs: ctx.settings.connectTimeoutMs,
    signal: o.signal,
    noBackend: o.limbo !== undefined,
    track: ctx.balancer.tracker(server.id),
    // game-profile-request, a ban provider's post-auth check (the uuid is verified when the player
    // authenticated), then login: in Infrarust's order.
    afterAuth: async (original, verified) => {
      const asked = await requestProfile(ctx.events, { profile: original, onlineMode: verified, peer: o.peer, virtualHost: o.hs.host, protocolVersion: o.hs.protocolVersion });
      if (!('profile' in asked)) return refusedBy(asked.reject, asked);
      const profile = asked.profile;
      const ban = await banDecision(ctx, { stage: 'post-auth', ip: o.ip, username: profile.username, uuid: profile.uuid, uuidVerified: verified, virtualHost: o.hs.host, server: server.id });
      if (ban.banned) return refusedBy({ tag: ban.byIp ? 'ip-banned' : 'banned' }, ban);
      const denied = await loginVerdict(ctx.events, o.playerId, profile, verified);
      if (denied) return refusedBy(denied.reject, denied);
      // The player's first commands and command tree are judged on its own permissions, not on defaults.
      await ctx.commands.prepare({ id: o.playerId, profile, onlineMode: verified, remoteAddr: o.peer, virtualHost: o.hs.host });
      return { profile };
    },
  });
  if (!outcome.ok) {
    ctx.counters.loginsRefused++;
    if (outcome.backendFailed) rejected(ctx.events, o.peer, o.hs.host, { tag: 'server-unavailable' });
    if (outcome.backendFailed) ctx.counters.backendFailures++;
    if (outcome.authFailed) ctx.events.notify('online-auth-failed', () => ({ tag: 'online-auth-failed', val: { username: o.profile.username } }));
    ctx.log(outcome.backendFailed ? 'warn' : 'info', `${who}: ${outcome.why}: refused`);
    if (!o.socket.destroyed) refuseLogin(outcome.wire, codec, outcome.reasonJson, o.lingerMs);
    return undefined;
  }
  if (o.socket.destroyed) {
    outcome.backend?.wire.socket.destroy();
    return undefined;
  }

  const profile = outcome.profile;
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
      onlineMode: outcome.onlineMode,
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
  o.socket.once('close', () => {
    const left = players.remove(o.playerId);
    ctx.log('info', `${who} left ${left?.currentServer ?? server.id}`);
    events.notify('disconnect', () => ({ tag: 'disconnect', val: { playerId: o.playerId, username: profile.username, lastServer: left?.currentServer } }));
  });
  session.start();
  if (o.limbo) session.enterLimbo(o.limbo);
  return session;
}
