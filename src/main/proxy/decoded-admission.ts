// A decoding-mode login's admission, in Infrarust's order and before its first server is chosen: the
// player's authentication when it is to be authenticated, game-profile-request, the post-auth ban check,
// permissions-setup (the provider's snapshot), then login. A refusal reaches the client in the login
// state: as sent, or encrypted once authentication turned encryption on.

import type { GameProfile, PlayerId, PreLoginResult, ServerId } from '../contract/guest-types.ts';
import type { RejectReason } from '../contract/events-030-only.ts';
import { banDecision } from './ban-gate.ts';
import { KICK_LINGER_MS, type LoginIo } from './client-login.ts';
import { rejected } from './connection-events.ts';
import type { VersionCodec } from './decoded-protocol.ts';
import type { Handshake } from './handshake.ts';
import { authenticateClient, openClientLogin, refuseLogin, type ClientLogin } from './login-completion.ts';
import { loginVerdict, requestProfile } from './login-events.ts';
import type { ServerDefinition } from './server-file.ts';
import { AuthFailed } from './session-auth.ts';

export interface Admitted {
  profile: GameProfile;
  /** Whether the proxy authenticated the player. */
  onlineMode: boolean;
  /** The client's login once the proxy has spoken to it (authentication); undefined while it has sent nothing. */
  client: ClientLogin | undefined;
}

export interface AdmissionInput {
  hs: Handshake;
  codec: VersionCodec;
  /** The profile from Login Start (offline uuid unless the client sent one). */
  profile: GameProfile;
  playerId: PlayerId;
  who: string;
  authenticate: boolean;
  /** The server the login is routed to (for the ban check). */
  server: ServerId;
}

/** force-online / force-offline from pre-login decide whether a decoding mode authenticates the player. */
export function authenticateFor(server: ServerDefinition, pre: PreLoginResult | undefined): boolean {
  return pre?.tag === 'force-online' || (server.proxyMode === 'client_only' && pre?.tag !== 'force-offline');
}

/** The admitted player, or undefined once the login was refused (the client told why). */
export async function admitDecoded(io: LoginIo, a: AdmissionInput): Promise<Admitted | undefined> {
  const { ctx } = io;
  let client: ClientLogin | undefined;
  let profile = a.profile;
  let onlineMode = false;
  if (a.authenticate) {
    client = openClientLogin(io.socket, io.handOver().unparsed);
    try {
      profile = await authenticateClient(client, { codec: a.codec, username: a.profile.username, sessionServer: ctx.settings.sessionServer, timeoutMs: ctx.settings.connectTimeoutMs });
      onlineMode = true;
    } catch (err) {
      if (!(err instanceof AuthFailed)) throw err;
      ctx.events.notify('online-auth-failed', () => ({ tag: 'online-auth-failed', val: { username: a.profile.username } }));
      refuseDecoded(io, client, a.codec, JSON.stringify({ translate: 'multiplayer.disconnect.unverified_username' }), `${a.who}: authentication failed: ${err.message}`);
      return undefined;
    }
  }
  const refuse = (r: { reasonJson: string; why: string }, reject: RejectReason): undefined => {
    rejected(ctx.events, io.peer, a.hs.host, reject);
    refuseDecoded(io, client, a.codec, r.reasonJson, `${a.who}: ${r.why}`);
    return undefined;
  };

  const asked = await requestProfile(ctx.events, { profile, onlineMode, peer: io.peer, virtualHost: a.hs.host, protocolVersion: a.hs.protocolVersion });
  io.ensureOpen();
  if (!('profile' in asked)) return refuse(asked, asked.reject);
  profile = asked.profile;
  // The uuid is verified when the player authenticated.
  const ban = await banDecision(ctx, { stage: 'post-auth', ip: io.ip, username: profile.username, uuid: profile.uuid, uuidVerified: onlineMode, virtualHost: a.hs.host, server: a.server });
  io.ensureOpen();
  if (ban.banned) return refuse(ban, { tag: ban.byIp ? 'ip-banned' : 'banned' });
  // The player's first commands and command tree are judged on its own permissions, not on defaults.
  await ctx.commands.prepare({ id: a.playerId, profile, onlineMode, remoteAddr: io.peer, virtualHost: a.hs.host });
  io.ensureOpen();
  const denied = await loginVerdict(ctx.events, a.playerId, profile, onlineMode);
  io.ensureOpen();
  if (denied) return refuse(denied, denied.reject);
  return { profile, onlineMode, client };
}

/** Login Disconnect: raw while the proxy has not spoken to the client, else on its (encrypted) wire. */
export function refuseDecoded(io: LoginIo, client: ClientLogin | undefined, codec: VersionCodec, reasonJson: string, why: string, level: 'info' | 'warn' = 'info'): void {
  if (!client) return io.kick(reasonJson, why, level);
  client.reader.stop();
  io.disarm();
  if (io.closed) return;
  io.ctx.counters.loginsRefused++;
  io.ctx.log(level, `${why}: refused`);
  refuseLogin(client.wire, codec, reasonJson, KICK_LINGER_MS);
}
