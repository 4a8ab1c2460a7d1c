// One client connection, from the first byte to the end of the pipe:
//   legacy 0xFE ping → answered here;
//   handshake → status: answered from the server's motd (or the default motd), or forwarded to the backend
//                        when the server has no motd; plugins may replace the answer (proxy-ping);
//   handshake → login: Login Start read, bans, pre-login, initial server, pre-connect, then by the server's mode:
//                        passthrough — backend connect, replay and pipe (passthrough-pipe.ts);
//                        offline / client_only — the proxy completes the login and decodes (decoded-connection.ts).
// Status answers are built in status-answer.ts.
// Anything malformed, oversized or too slow closes the connection with a log line.

import type { Socket } from 'node:net';
import type { GameProfile, PlayerId, PreLoginResult } from '../contract/guest-types.ts';
import type { ProxySettings } from '../config/types.ts';
import { formatHostPort } from '../config/host-port.ts';
import { connectBackend, unreachableMessage, type BackendConnection } from './backend-connect.ts';
import { pipePassthrough } from './passthrough-pipe.ts';
import { startDecodedConnection } from './decoded-connection.ts';
import type { LimboEntryContext } from '../contract/limbo-types.ts';
import type { CodecDispatcher } from '../contract/codec-types.ts';
import type { LimboSessions } from './limbo-sessions.ts';
import type { LimboEntry } from './limbo-stay.ts';
import { codecFor, SUPPORTED_RANGE } from './decoded-protocol.ts';
import type { DecodedSession } from './decoded-session.ts';
import {
  MAX_HANDSHAKE_BODY,
  MAX_LOGIN_START_BODY,
  normalizeHost,
  parseHandshake,
  parseLoginStart,
  type Handshake,
} from './handshake.ts';
import { encodeLegacyResponse, LEGACY_PING_ID, parseLegacyPing } from './legacy-ping.ts';
import { offlineUuid } from './offline-uuid.ts';
import { encodePacket, encodeString, PacketReader, ProtocolError, readFrame } from './packet-codec.ts';
import type { BanStore } from './ban-store.ts';
import { banDecision, type BanGate } from './ban-gate.ts';
import type { PlayerRegistry } from './player-registry.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { ProxyLog } from './proxy-log.ts';
import { isDecodedMode } from '../../shared/proxy-modes.ts';
import type { ServerDefinition } from './server-file.ts';
import type { ServerRegistry } from './server-registry.ts';
import type { Endpoint } from './proxy-protocol.ts';
import { pingResponse, statusJson, type StatusRequest } from './status-answer.ts';
import { componentJson, parseComponent, plainText } from './text-component.ts';

export interface ConnectionContext {
  settings: ProxySettings;
  servers: ServerRegistry;
  players: PlayerRegistry;
  bans: BanStore;
  /** A ban provider plugin (`[ban] provider`): when it answers, the built-in list is not consulted (ban-gate.ts). */
  banGate?: BanGate;
  events: ProxyEvents;
  log: ProxyLog;
  limbo: LimboSessions;
  codecs: CodecDispatcher;
  /** Budget for a client to send its handshake and Login Start / status request. */
  handshakeTimeoutMs: number;
  counters: ConnectionCounters;
  /** Cluster mode: refuses a login already online elsewhere in the network (or kicks the old one and admits). */
  admitLogin?: (profile: GameProfile) => string | undefined;
}

export interface ConnectionCounters {
  protocolErrors: number;
  timeouts: number;
  statusRequests: number;
  legacyPings: number;
  logins: number;
  loginsRefused: number;
  backendFailures: number;
}

/** Bytes a client may send before it is piped; a real client sends a few hundred at most. */
const MAX_PREFIX_BYTES = 16 * 1024;
/** How long a kicked client gets to read its disconnect packet before the socket is destroyed. */
const KICK_LINGER_MS = 1000;


class ConnectionClosed extends Error {}
/** One shared abort reason: aborting with none would build a DOMException (and its stack) per connection. */
const CLIENT_CLOSED = new Error('client closed');

export class ClientConnection {
  /** Everything received before piping: replayed verbatim to the backend. */
  private received: Buffer = Buffer.alloc(0);
  private parsed = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private deadline: NodeJS.Timeout | undefined;
  /** Created on first use: most connections never wait on a backend. */
  private abort: AbortController | undefined;
  private backend: Socket | undefined;
  private decodedSession: DecodedSession | undefined;
  private peerAddress: { ip: string; port: number; peer: string } | undefined;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ConnectionContext,
    /** The client's real address when a PROXY protocol header gave it (the socket's peer is the balancer). */
    private readonly client?: Endpoint,
  ) {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.ctx.log('debug', `${this.peer}: client socket error: ${err.message}`));
    this.closedPromise = new Promise((resolve) => socket.once('close', resolve));
    socket.once('close', () => {
      this.closed = true;
      clearTimeout(this.deadline);
      this.abort?.abort(CLIENT_CLOSED);
      this.backend?.destroy();
      this.wake?.();
    });
    this.arm(ctx.handshakeTimeoutMs, 'no complete handshake');
    void this.run();
  }

  /** The client's ip (for bans) and ip:port (for events and logs), read once when first needed. */
  private get ip(): string {
    return this.address().ip;
  }

  private get peer(): string {
    return this.address().peer;
  }

  private address(): { ip: string; port: number; peer: string } {
    if (!this.peerAddress) {
      const ip = normalizeIp(this.client?.ip ?? this.socket.remoteAddress ?? 'unknown');
      const port = this.client?.port ?? this.socket.remotePort ?? 0;
      const peer = formatHostPort(ip, port);
      this.peerAddress = { ip, port, peer };
    }
    return this.peerAddress;
  }

  private signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController();
      if (this.closed) this.abort.abort(CLIENT_CLOSED);
    }
    return this.abort.signal;
  }

  /** Bytes read from the client and from its backend so far. */
  bytes(): { fromClient: number; fromBackend: number } {
    return { fromClient: this.socket.bytesRead, fromBackend: this.decodedSession?.bytesFromBackends() ?? this.backend?.bytesRead ?? 0 };
  }

  /** Closes both sides; resolves once the client socket is closed. */
  destroy(): Promise<void> {
    this.socket.destroy();
    return this.closedPromise;
  }

  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    if (this.received.length > MAX_PREFIX_BYTES) {
      this.fail(`sent ${this.received.length} bytes before login completed`);
      return;
    }
    this.wake?.();
  };

  private async run(): Promise<void> {
    try {
      await this.atLeast(1);
      if (this.received[0] === LEGACY_PING_ID) return await this.legacyPing();
      const hs = parseHandshake(await this.nextFrame(MAX_HANDSHAKE_BODY));
      if (hs.nextState === 'status') return await this.status(hs);
      return await this.login(hs);
    } catch (err) {
      // A client that left mid-login is no protocol error, whatever the step that noticed it.
      if (err instanceof ConnectionClosed || this.closed) return;
      if (err instanceof ProtocolError) {
        this.ctx.counters.protocolErrors++;
        this.fail(`protocol error: ${err.message}`);
      } else {
        this.fail(`internal error: ${(err as Error).stack ?? err}`, 'error');
      }
    }
  }

  // ---- reading ----

  private async atLeast(n: number): Promise<void> {
    while (this.received.length < n) await this.more();
  }

  private async nextFrame(maxLength: number): Promise<Buffer> {
    for (;;) {
      const frame = readFrame(this.received, this.parsed, maxLength);
      if (frame) {
        this.parsed = frame.end;
        return frame.body;
      }
      await this.more();
    }
  }

  private async more(): Promise<void> {
    this.ensureOpen();
    await new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
    this.ensureOpen();
  }

  private ensureOpen(): void {
    if (this.closed) throw new ConnectionClosed();
  }

  private arm(ms: number, what: string): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      this.ctx.counters.timeouts++;
      this.fail(`timed out after ${ms} ms: ${what}`);
    }, ms);
  }

  private disarm(): void {
    clearTimeout(this.deadline);
  }

  // ---- legacy ping ----

  private async legacyPing(): Promise<void> {
    let ping = parseLegacyPing(this.received);
    while (!ping) {
      await this.more();
      ping = parseLegacyPing(this.received);
    }
    this.disarm();
    this.ctx.counters.legacyPings++;
    const host = ping.host === undefined ? undefined : normalizeHost(ping.host);
    const server = host === undefined ? undefined : this.ctx.servers.resolve(host);
    if (host !== undefined && !server && this.ctx.settings.unknownDomainBehavior === 'drop') {
      return this.close(`legacy ping for unknown domain ${JSON.stringify(host)} dropped`);
    }
    const status = await pingResponse(this.statusRequest(), server, { host: host ?? '', port: ping.port ?? 25565, protocolVersion: 767 });
    this.ensureOpen();
    const motd = plainText(parseComponent(status.description));
    this.socket.end(
      encodeLegacyResponse(ping.format, {
        motd,
        online: status.onlinePlayers,
        max: status.maxPlayers,
        versionName: status.versionName,
      }),
    );
    this.ctx.log('debug', `${this.peer}: answered legacy ping (${ping.format}${host ? `, ${host}` : ''})`);
  }

  // ---- status ----

  private async status(hs: Handshake): Promise<void> {
    const server = this.ctx.servers.resolve(hs.host);
    if (!server && this.ctx.settings.unknownDomainBehavior === 'drop') {
      return this.close(`status for unknown domain ${JSON.stringify(hs.host)} dropped`);
    }
    const request = await this.nextFrame(1);
    if (request[0] !== 0x00) throw new ProtocolError(`expected status request, got packet 0x${request[0].toString(16)}`);
    this.disarm();
    this.ctx.counters.statusRequests++;
    const ban = await banDecision(this.ctx, { stage: 'status', ip: this.ip, uuidVerified: false, virtualHost: hs.host, server: server?.id });
    this.ensureOpen();
    if (ban.banned) return this.close(`status refused: ${ban.why}`);
    const json = await statusJson(this.statusRequest(), server, hs);
    this.ensureOpen();
    this.socket.write(encodePacket(0x00, encodeString(JSON.stringify(json))));
    this.arm(this.ctx.handshakeTimeoutMs, 'no ping after status');
    const ping = new PacketReader(await this.nextFrame(9));
    if (ping.varInt() !== 0x01 || ping.remaining !== 8) throw new ProtocolError('expected ping request');
    this.disarm();
    this.socket.end(encodePacket(0x01, ping.bytes(8)));
  }

  private statusRequest(): StatusRequest {
    return { ctx: this.ctx, peer: this.peer, signal: this.signal(), ensureOpen: () => this.ensureOpen(), source: this.address() };
  }

  // ---- login ----

  private async login(hs: Handshake): Promise<void> {
    const start = parseLoginStart(await this.nextFrame(MAX_LOGIN_START_BODY), hs.protocolVersion);
    this.disarm();
    const { events, players, servers } = this.ctx;
    const profile: GameProfile = {
      uuid: start.uuid ?? offlineUuid(start.username),
      username: start.username,
      properties: [],
    };
    const who = `${start.username} (${this.peer})`;

    const requested = servers.resolve(hs.host);
    // The host comes from the client: logs quote it with JSON.stringify so it cannot forge a log line.
    if (!requested) {
      if (this.ctx.settings.unknownDomainBehavior === 'drop') return this.close(`${who}: unknown domain ${JSON.stringify(hs.host)} dropped`);
      return this.kick(componentJson(`No server is available at ${hs.host}`), `${who}: unknown domain ${JSON.stringify(hs.host)}`);
    }

    const ban = await banDecision(this.ctx, { stage: 'pre-auth', ip: this.ip, username: start.username, uuid: profile.uuid, uuidVerified: false, virtualHost: hs.host, server: requested.id });
    this.ensureOpen();
    if (ban.banned) return this.kick(ban.reasonJson, `${who}: ${ban.why}`);
    const refusal = this.ctx.admitLogin?.(profile);
    if (refusal) return this.kick(componentJson(refusal), `${who}: ${refusal}`);

    const pre = await events.decide('pre-login', () => ({
      tag: 'pre-login',
      val: { profile, remoteAddr: this.peer, protocolVersion: hs.protocolVersion, serverDomain: hs.host },
    }));
    this.ensureOpen();
    // force-offline/force-online choose whether a decoding mode authenticates this player; passthrough
    // leaves any authentication to the backend.
    if (pre?.tag === 'denied') return this.kick(componentJson(pre.val), `${who}: denied by pre-login`);

    const playerId = players.allocateId();
    let target = requested.id;
    const choice = await events.decide('player-choose-initial-server', () => ({
      tag: 'player-choose-initial-server',
      val: { playerId, profile, initialServer: target },
    }));
    this.ensureOpen();
    if (choice?.tag === 'redirect') target = choice.val;
    // The limbo comes before any backend: server-pre-connect fires when the player leaves it for a server.
    if (choice?.tag === 'send-to-limbo') return this.limboFirst(hs, profile, playerId, who, start.uuid !== undefined, pre, target, choice.val, { tag: 'plugin-redirect', val: target });

    const pre2 = await events.decide('server-pre-connect', () => ({
      tag: 'server-pre-connect',
      val: { playerId, profile, originalServer: target },
    }));
    this.ensureOpen();
    if (pre2?.tag === 'denied') return this.kick(componentJson(pre2.val), `${who}: denied by server-pre-connect`);
    if (pre2?.tag === 'send-to-limbo') return this.limboFirst(hs, profile, playerId, who, start.uuid !== undefined, pre, target, pre2.val, { tag: 'plugin-redirect', val: target });
    if (pre2?.tag === 'connect-to') target = pre2.val;

    const server = servers.get(target);
    if (!server) {
      this.ctx.log('warn', `${who}: a plugin chose server ${JSON.stringify(target)}, which does not exist`);
      return this.kick(componentJson(`Server ${target} does not exist`), `${who}: unknown target server`);
    }
    if (server.maxPlayers > 0 && players.countOn(server.id) >= server.maxPlayers) {
      return this.kick(componentJson('The server is full'), `${who}: ${server.id} is full`);
    }
    if (isDecodedMode(server.proxyMode)) {
      if (server.limboHandlers.length > 0) {
        return this.limboFirst(hs, profile, playerId, who, start.uuid !== undefined, pre, server.id, server.limboHandlers, { tag: 'initial-connection', val: server.id });
      }
      return this.decoded(server, hs, profile, playerId, who, start.uuid !== undefined, authenticateFor(server, pre));
    }

    let backend: BackendConnection;
    try {
      const proxyProtocol = server.sendProxyProtocol ? { source: this.address() } : undefined;
      backend = await connectBackend(server.addresses, this.ctx.settings.connectTimeoutMs, this.signal(), proxyProtocol);
    } catch (err) {
      this.ensureOpen();
      this.ctx.counters.backendFailures++;
      this.ctx.log('warn', `${who}: ${server.id}: ${(err as Error).message}`);
      return this.kick(unreachableMessage(server), `${who}: ${server.id} unreachable`);
    }
    if (this.closed) {
      backend.socket.destroy();
      throw new ConnectionClosed();
    }
    // Replay every byte read so far (handshake, Login Start, anything after), then pipe both ways.
    this.socket.removeListener('data', this.onData);
    const replay = this.received;
    this.received = Buffer.alloc(0);
    this.backend = backend.socket;
    pipePassthrough({
      ctx: this.ctx,
      socket: this.socket,
      conn: backend,
      replay,
      server,
      login: { playerId, profile, hs, who, clientSentUuid: start.uuid !== undefined },
      peer: this.peer,
      isClosed: () => this.closed,
      kick: (reason, why) => this.kick(reason, why, 'warn'),
    });
  }

  /** The player starts in limbo: the server it is headed for decides the proxy mode, which must decode. */
  private limboFirst(
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
    const server = this.ctx.servers.get(target);
    if (!server) return this.kick(componentJson(`Server ${target} does not exist`), `${who}: unknown target server`);
    if (!isDecodedMode(server.proxyMode)) {
      this.ctx.log('warn', `${who}: sent to limbo (${handlers.join(', ')}) but ${server.id} runs in ${server.proxyMode}; limbo needs offline or client_only`);
      return this.kick(componentJson('Limbo needs a decoding proxy mode (offline or client_only) on this server'), `${who}: limbo in passthrough`);
    }
    return this.decoded(server, hs, profile, playerId, who, clientSentUuid, authenticateFor(server, pre), { handlers, context, target });
  }

  /** offline / client_only: the proxy completes the login and decodes (decoded-connection.ts). */
  private async decoded(
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
      return this.kick(
        componentJson(`${server.id} needs Minecraft ${SUPPORTED_RANGE}; your client speaks protocol ${hs.protocolVersion}`),
        `${who}: protocol ${hs.protocolVersion} cannot be decoded for ${server.id} (${server.proxyMode})`,
      );
    }
    this.socket.removeListener('data', this.onData);
    const leftover = this.received.subarray(this.parsed);
    this.received = Buffer.alloc(0);
    const session = await startDecodedConnection({
      ctx: this.ctx,
      socket: this.socket,
      leftover,
      codec,
      server,
      hs,
      profile,
      playerId,
      who,
      ip: this.ip,
      peer: this.peer,
      clientSentUuid,
      authenticate,
      signal: this.signal(),
      lingerMs: KICK_LINGER_MS,
      limbo,
    });
    if (session) this.decodedSession = session;
  }

  // ---- endings ----

  /** Login Disconnect with a JSON text component, then close. */
  private kick(reasonJson: string, why: string, level: 'info' | 'warn' = 'info'): void {
    this.disarm();
    if (this.closed) return;
    this.ctx.counters.loginsRefused++;
    this.ctx.log(level, `${why}: refused`);
    this.socket.end(encodePacket(0x00, encodeString(reasonJson)));
    setTimeout(() => this.socket.destroy(), KICK_LINGER_MS).unref();
  }

  private close(why: string): void {
    this.disarm();
    this.ctx.log('info', `${this.peer}: ${why}`);
    this.socket.destroy();
  }

  private fail(why: string, level: 'warn' | 'error' = 'warn'): void {
    this.disarm();
    if (this.closed) return;
    this.ctx.log(level, `${this.peer}: ${why}; closing`);
    this.socket.destroy();
  }
}

/** force-online / force-offline from pre-login decide whether a decoding mode authenticates the player. */
function authenticateFor(server: ServerDefinition, pre: PreLoginResult | undefined): boolean {
  return pre?.tag === 'force-online' || (server.proxyMode === 'client_only' && pre?.tag !== 'force-offline');
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
