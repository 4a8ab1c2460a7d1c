// One client connection, from the first byte to the end of the pipe: its reading, deadline, the 0.3.0
// handshake gate and its endings, over which the next stage runs:
//   legacy 0xFE ping or handshake → status: client-status.ts (StatusIo);
//   handshake → login: client-login.ts (LoginIo).
// Anything malformed, oversized or too slow closes the connection with a log line.

import type { Socket } from 'node:net';
import type { GameProfile } from '../contract/guest-types.ts';
import type { ProxySettings } from '../config/types.ts';
import { formatHostPort } from '../config/host-port.ts';
import type { CodecDispatcher } from '../contract/codec-types.ts';
import type { PlayerCommandDispatcher } from '../contract/player-commands.ts';
import type { BackendBalancer } from './backend-balancer.ts';
import type { LimboSessions } from './limbo-sessions.ts';
import type { DecodedSession } from './decoded-session.ts';
import { KICK_LINGER_MS, login, type LoginIo } from './client-login.ts';
import { answerLegacyPing, answerStatus, type StatusIo } from './client-status.ts';
import { MAX_HANDSHAKE_BODY, parseHandshake } from './handshake.ts';
import { LEGACY_PING_ID, parseLegacyPing, type LegacyPing } from './legacy-ping.ts';
import { encodePacket, encodeString, ProtocolError, readFrame } from './packet-codec.ts';
import type { BanStore } from './ban-store.ts';
import type { BanGate } from './ban-gate.ts';
import { byPlugin, HANDSHAKE_DENIED, handshakeVerdict, rejected, type HandshakeFacts } from './connection-events.ts';
import type { PlayerRegistry } from './player-registry.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { ProxyLog } from './proxy-log.ts';
import type { ServerRegistry } from './server-registry.ts';
import type { ServerManager } from './server-manager.ts';
import type { Endpoint } from './proxy-protocol.ts';

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
  commands: PlayerCommandDispatcher;
  /** Per-address backend state: drains, counts (backend-balancer.ts). */
  balancer: BackendBalancer;
  /** The local server manager: a join to a managed server that is not running starts it (server-wake.ts). */
  manager: ServerManager;
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

class ConnectionClosed extends Error {}
/** One shared abort reason: aborting with none would build a DOMException (and its stack) per connection. */
const CLIENT_CLOSED = new Error('client closed');

export class ClientConnection implements LoginIo, StatusIo {
  /** Everything received before piping: replayed verbatim to the backend. */
  private received: Buffer = Buffer.alloc(0);
  private parsed = 0;
  private wake: (() => void) | undefined;
  closed = false;
  private deadline: NodeJS.Timeout | undefined;
  /** Created on first use: most connections never wait on a backend. */
  private abort: AbortController | undefined;
  private backend: Socket | undefined;
  private decodedSession: DecodedSession | undefined;
  private peerAddress: { ip: string; port: number; peer: string } | undefined;
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly socket: Socket,
    readonly ctx: ConnectionContext,
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
  get ip(): string {
    return this.address().ip;
  }

  get peer(): string {
    return this.address().peer;
  }

  address(): { ip: string; port: number; peer: string } {
    if (!this.peerAddress) {
      const ip = normalizeIp(this.client?.ip ?? this.socket.remoteAddress ?? 'unknown');
      const port = this.client?.port ?? this.socket.remotePort ?? 0;
      const peer = formatHostPort(ip, port);
      this.peerAddress = { ip, port, peer };
    }
    return this.peerAddress;
  }

  signal(): AbortSignal {
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
      if (this.received[0] === LEGACY_PING_ID) return await answerLegacyPing(this);
      const hs = parseHandshake(await this.nextFrame(MAX_HANDSHAKE_BODY));
      if (!(await this.handshakeAllowed(hs, false))) return;
      if (hs.nextState === 'status') return await answerStatus(this, hs);
      return await login(this, hs);
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

  async nextFrame(maxLength: number): Promise<Buffer> {
    for (;;) {
      const frame = readFrame(this.received, this.parsed, maxLength);
      if (frame) {
        this.parsed = frame.end;
        return frame.body;
      }
      await this.more();
    }
  }

  async legacyPing(): Promise<LegacyPing> {
    let ping = parseLegacyPing(this.received);
    while (!ping) {
      await this.more();
      ping = parseLegacyPing(this.received);
    }
    return ping;
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

  ensureOpen(): void {
    if (this.closed) throw new ConnectionClosed();
  }

  arm(ms: number, what: string): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      this.ctx.counters.timeouts++;
      this.fail(`timed out after ${ms} ms: ${what}`);
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.deadline);
  }

  /** connection-handshake (0.3.0): false when a listener refused the connection, which is then closed. */
  async handshakeAllowed(hs: HandshakeFacts['hs'], legacy: boolean): Promise<boolean> {
    const verdict = await handshakeVerdict(this.ctx.events, { peer: this.peer, hs, legacy, server: () => this.ctx.servers.resolve(hs.host)?.id });
    this.ensureOpen();
    if (verdict.tag === 'allow') return true;
    this.disarm();
    rejected(this.ctx.events, this.peer, hs.host, byPlugin(verdict.tag === 'deny' ? verdict.val : undefined));
    // Only a client logging in can read a reason; a status ping or drop-silently just closes.
    if (verdict.tag === 'deny' && hs.nextState !== 'status') this.kick(verdict.val ?? HANDSHAKE_DENIED, `${this.peer}: handshake denied by a plugin`);
    else this.close(`handshake ${verdict.tag === 'deny' ? 'denied' : 'dropped'} by a plugin`);
    return false;
  }

  // ---- handing over to the login's next stage ----

  handOver(): { all: Buffer; unparsed: Buffer } {
    this.socket.removeListener('data', this.onData);
    const all = this.received;
    this.received = Buffer.alloc(0);
    return { all, unparsed: all.subarray(this.parsed) };
  }

  setBackend(socket: Socket): void {
    this.backend = socket;
  }

  setDecoded(session: DecodedSession): void {
    this.decodedSession = session;
  }

  // ---- endings ----

  /** Login Disconnect with a JSON text component, then close. */
  kick(reasonJson: string, why: string, level: 'info' | 'warn' = 'info'): void {
    this.disarm();
    if (this.closed) return;
    this.ctx.counters.loginsRefused++;
    this.ctx.log(level, `${why}: refused`);
    this.socket.end(encodePacket(0x00, encodeString(reasonJson)));
    setTimeout(() => this.socket.destroy(), KICK_LINGER_MS).unref();
  }

  close(why: string): void {
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

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
