// Moving a connected player of a decoding mode to another backend without the client reconnecting.
// The new backend's login runs first: if it refuses or is down the answer is switch-failed(reason) and the
// player stays where they were. Then, on 1.20.2+, the client is sent back into the configuration phase
// (Start Configuration → Configuration Acknowledged) and the new server configures it; on 1.8 the new
// server's Join Game plus a respawn into another dimension and back replace the world. A managed server
// that is not running is woken first (server-wake.ts).

import type { ServerId } from '../contract/guest-types.ts';
import { loginToBackend } from './backend-login.ts';
import type { DecodedSession } from './decoded-session.ts';
import type { ActionResult } from './player-registry.ts';
import type { ServerDefinition } from './server-file.ts';
import { wakeForMove } from './server-wake.ts';
import { plainText, parseComponent } from './text-component.ts';

/** How a move ended, in more detail than the 0.2.3 player-error carries (0.3.0 `connect` answers it). */
export type SwitchOutcome =
  | { tag: 'moved' }
  | { tag: 'limbo' }
  | { tag: 'busy' }
  | { tag: 'gone' }
  | { tag: 'not-found'; server: ServerId }
  | { tag: 'already-connected'; server: ServerId }
  | { tag: 'denied'; reason: string }
  | { tag: 'failed'; reason: string };

export async function switchServer(s: DecodedSession, requested: ServerId): Promise<ActionResult> {
  const o = await moveServer(s, requested);
  switch (o.tag) {
    case 'moved':
    case 'limbo':
      return undefined;
    case 'gone':
      return { tag: 'disconnected' };
    case 'not-found':
      return { tag: 'server-not-found', val: o.server };
    case 'busy':
      return { tag: 'switch-failed', val: 'a switch of this player is already in progress' };
    case 'already-connected':
      return { tag: 'switch-failed', val: `already connected to ${o.server}` };
    case 'denied':
      return { tag: 'switch-failed', val: `denied by a plugin: ${plainText(parseComponent(o.reason))}` };
    case 'failed':
      return { tag: 'switch-failed', val: o.reason };
  }
}

export async function moveServer(s: DecodedSession, requested: ServerId): Promise<SwitchOutcome> {
  if (s.switching) return { tag: 'busy' };
  s.switching = true;
  try {
    return await run(s, requested);
  } finally {
    s.switching = false;
  }
}

async function run(s: DecodedSession, requested: ServerId): Promise<SwitchOutcome> {
  const { ctx } = s;
  // The registry still names the server a kicked player just left.
  const previous = ctx.players.get(s.playerId)?.currentServer;
  let target = requested;
  if (!ctx.servers.get(target)) return { tag: 'not-found', server: target };
  const pre = await ctx.events.decide('server-pre-connect', () => ({
    tag: 'server-pre-connect',
    val: { playerId: s.playerId, profile: s.profile, originalServer: target },
  }));
  if (pre?.tag === 'denied') return { tag: 'denied', reason: pre.val };
  if (pre?.tag === 'send-to-limbo') {
    if (s.closed) return { tag: 'gone' };
    s.enterLimbo({ handlers: pre.val, context: { tag: 'plugin-redirect', val: target }, target });
    return { tag: 'limbo' };
  }
  if (pre?.tag === 'connect-to') target = pre.val;
  const server = ctx.servers.get(target);
  if (!server) return { tag: 'not-found', server: target };
  if (server.id === previous) return { tag: 'already-connected', server: server.id };
  if (server.maxPlayers > 0 && ctx.players.countOn(server.id) >= server.maxPlayers) return { tag: 'failed', reason: `${server.id} is full` };
  if (s.closed) return { tag: 'gone' };
  const woken = await wakeForMove(s, server.id);
  if (woken) return woken;
  try {
    return await connectTo(s, server, previous);
  } finally {
    // A player who waited for the server to start no longer counts for it once moved (or not).
    ctx.manager.arrived(s.playerId, server.id);
  }
}

async function connectTo(s: DecodedSession, server: ServerDefinition, previous: ServerId | undefined): Promise<SwitchOutcome> {
  const { ctx } = s;

  let login;
  const abort = new AbortController();
  const onClose = () => abort.abort();
  s.client.socket.once('close', onClose);
  try {
    login = await loginToBackend({
      server,
      codec: s.codec,
      profile: s.profile,
      clientIp: s.clientIp,
      host: s.host,
      port: s.port,
      timeoutMs: ctx.settings.connectTimeoutMs,
      signal: abort.signal,
      track: ctx.balancer.tracker(server.id),
    });
  } catch (err) {
    if (s.closed) return { tag: 'gone' };
    ctx.counters.backendFailures++;
    ctx.log('warn', `${s.who}: switch to ${server.id} failed: ${(err as Error).message}`);
    return { tag: 'failed', reason: (err as Error).message };
  } finally {
    s.client.socket.removeListener('close', onClose);
  }
  if (s.closed) {
    login.wire.socket.destroy();
    return { tag: 'gone' };
  }

  // Committed: the old server goes now, whatever happens next.
  s.retireBackend();
  if (s.codec.hasConfiguration) {
    if (s.clientState === 'play' && !(await s.reconfigure(ctx.settings.connectTimeoutMs))) {
      login.wire.socket.destroy();
      if (!s.closed) s.disconnect(JSON.stringify({ text: 'Your client did not return to the configuration phase' }));
      return { tag: 'failed', reason: 'the client did not acknowledge the configuration phase' };
    }
    if (s.closed) {
      login.wire.socket.destroy();
      return { tag: 'gone' };
    }
    s.attach(login, 'configuration', false);
  } else {
    s.attach(login, 'play', true);
  }

  ctx.players.setServer(s.playerId, server.id);
  ctx.log('info', `${s.who}: moved ${previous ? `from ${previous} ` : ''}to ${server.id}`);
  if (previous) ctx.events.notify('server-switch', () => ({ tag: 'server-switch', val: { playerId: s.playerId, previousServer: previous, newServer: server.id } }));
  ctx.events.notify('server-connected', () => ({ tag: 'server-connected', val: { playerId: s.playerId, server: server.id } }));
  ctx.events.notify030('server-post-connect', () => ({ tag: 'server-post-connect', val: { playerId: s.playerId, server: server.id, previousServer: previous } }));
  return { tag: 'moved' };
}
