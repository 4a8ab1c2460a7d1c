// Passthrough: after the login decisions, every byte read so far is replayed to the backend and both
// sockets are piped; the proxy never decodes play traffic (compression and encryption stay end to end).

import type { GameProfile, PlayerId } from '../contract/guest-types.ts';
import { connectBackend, unreachableMessage, type BackendConnection } from './backend-connect.ts';
import type { ConnectionContext } from './client-connection.ts';
import type { LoginIo } from './client-login.ts';
import { rejected } from './connection-events.ts';
import { passthroughWake } from './server-wake.ts';
import type { Handshake } from './handshake.ts';
import type { Socket } from 'node:net';
import type { ServerDefinition } from './server-file.ts';
import { parseComponent, plainText } from './text-component.ts';

/** What the login phase learned, handed to the pipe phase. */
export interface LoginState {
  playerId: PlayerId;
  profile: GameProfile;
  hs: Handshake;
  /** `name (ip:port)` for log lines. */
  who: string;
  clientSentUuid: boolean;
}

export interface PipeInput {
  ctx: ConnectionContext;
  socket: Socket;
  conn: BackendConnection;
  /** Everything the client sent so far, replayed verbatim. */
  replay: Buffer;
  server: ServerDefinition;
  login: LoginState;
  peer: string;
  isClosed: () => boolean;
  /** Login Disconnect to the client (it is still in the login state until the backend speaks). */
  kick: (reasonJson: string, why: string) => void;
}

/** An admitted login to a passthrough server: wake it, connect, replay what the client sent, pipe. */
export async function pipeLogin(io: LoginIo, server: ServerDefinition, login: LoginState): Promise<void> {
  const { who } = login;
  const asleep = passthroughWake(io.ctx.manager, server);
  if (asleep) return io.kick(asleep, `${who}: ${server.id} is not running (started it)`);
  let backend: BackendConnection;
  try {
    const proxyProtocol = server.sendProxyProtocol ? { source: io.address() } : undefined;
    backend = await connectBackend(server.addresses, io.ctx.settings.connectTimeoutMs, io.signal(), proxyProtocol, io.ctx.balancer.tracker(server.id));
  } catch (err) {
    io.ensureOpen();
    io.ctx.counters.backendFailures++;
    io.ctx.log('warn', `${who}: ${server.id}: ${(err as Error).message}`);
    rejected(io.ctx.events, io.peer, login.hs.host, { tag: 'server-unavailable' });
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
    login,
    peer: io.peer,
    isClosed: () => io.closed,
    kick: (reason, why) => io.kick(reason, why, 'warn'),
  });
}

export function pipePassthrough(o: PipeInput): void {
  const { ctx, socket, conn, server } = o;
  const { playerId, profile, hs, who } = o.login;
  const backend = conn.socket;
  backend.on('error', (err) => ctx.log('debug', `${who}: backend socket error: ${err.message}`));
  const closeClient = () => socket.destroy();
  backend.once('close', closeClient);

  // pipe() applies backpressure in each direction.
  backend.write(o.replay);
  socket.pipe(backend);
  backend.pipe(socket);

  // A backend that accepts but never speaks would hold the client forever; until it has sent a byte
  // the client is still in the login state and can be told why.
  const watchdog = setTimeout(() => {
    if (backend.bytesRead > 0 || o.isClosed()) return;
    ctx.counters.backendFailures++;
    backend.removeListener('close', closeClient);
    socket.unpipe(backend);
    backend.unpipe(socket);
    backend.destroy();
    o.kick(unreachableMessage(server), `${who}: ${server.id} (${conn.address.host}:${conn.address.port}) did not answer within ${ctx.settings.connectTimeoutMs} ms`);
  }, ctx.settings.connectTimeoutMs);

  const { players, events } = ctx;
  players.add(
    {
      id: playerId,
      profile,
      protocolVersion: hs.protocolVersion,
      remoteAddr: o.peer,
      currentServer: server.id,
      connectedAt: Date.now(),
      clientSentUuid: o.login.clientSentUuid,
      mode: server.proxyMode,
      onlineMode: false,
      virtualHost: hs.host,
    },
    (reason) => {
      ctx.log('info', `${who}: disconnected by the host (${plainText(parseComponent(reason))})`);
      socket.destroy();
    },
  );
  ctx.counters.logins++;
  ctx.log('info', `${who} → ${server.id} via ${JSON.stringify(hs.host)}`);
  events.notify('post-login', () => ({
    tag: 'post-login',
    val: { profile, playerId, protocolVersion: hs.protocolVersion },
  }));
  events.notify('server-connected', () => ({ tag: 'server-connected', val: { playerId, server: server.id } }));
  events.notify030('server-post-connect', () => ({ tag: 'server-post-connect', val: { playerId, server: server.id, previousServer: undefined } }));

  socket.once('close', () => {
    clearTimeout(watchdog);
    const left = players.remove(playerId);
    ctx.log('info', `${who} left ${server.id}`);
    events.notify('disconnect', () => ({
      tag: 'disconnect',
      val: { playerId, username: profile.username, lastServer: left?.currentServer },
    }));
  });
}
