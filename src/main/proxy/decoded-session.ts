// A logged-in player of a decoding mode (offline, client_only): frames relayed between the client and its
// current backend, with the few packets the proxy acts on read by id and parsed only then — chat (the
// chat-message event), kicks (kicked-from-server), and the state changes of the configuration phase.
// This file holds the session's state, its backend's attachment and its endings; client → backend is
// client-relay.ts, backend → client backend-relay.ts, player actions (messages, titles, raw packets,
// switch) session-actions.ts.
// A malformed frame from either side closes this player's connection only.

import type { GameProfile, PlayerAction, PlayerId, ServerId } from '../contract/guest-types.ts';
import type { ProxySettings } from '../config/types.ts';
import type { BackendLogin } from './backend-login.ts';
import type { VersionCodec, WireState } from './decoded-protocol.ts';
import { disconnectPacket } from './player-packets.ts';
import { SessionActions } from './session-actions.ts';
import { BackendRelay } from './backend-relay.ts';
import type { ActionResult, PlayerRegistry } from './player-registry.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { ProxyLog } from './proxy-log.ts';
import type { Frame, PacketWire } from './packet-wire.ts';
import { ProtocolError } from './packet-codec.ts';
import type { ServerDefinition } from './server-file.ts';
import type { ServerRegistry } from './server-registry.ts';
import type { ServerManager } from './server-manager.ts';
import { switchServer } from './server-switch.ts';
import { LimboStay, type LimboEntry } from './limbo-stay.ts';
import type { LimboSessions } from './limbo-sessions.ts';
import type { CodecDispatcher } from '../contract/codec-types.ts';
import type { PlayerCommandDispatcher } from '../contract/player-commands.ts';
import type { BackendBalancer } from './backend-balancer.ts';
import { CodecStage } from './codec-stage.ts';
import { ClientRelay } from './client-relay.ts';
import { SessionControls } from './session-controls.ts';
import { SessionCommands } from './session-commands.ts';

export interface SessionContext {
  settings: ProxySettings;
  servers: ServerRegistry;
  players: PlayerRegistry;
  events: ProxyEvents;
  log: ProxyLog;
  counters: { protocolErrors: number; backendFailures: number };
  limbo: LimboSessions;
  codecs: CodecDispatcher;
  commands: PlayerCommandDispatcher;
  balancer: BackendBalancer;
  /** A move to a managed server that is not running wakes it first (server-wake.ts). */
  manager: ServerManager;
}

export interface SessionInput {
  ctx: SessionContext;
  codec: VersionCodec;
  client: PacketWire;
  /** undefined when the player starts in limbo. */
  backend: BackendLogin | undefined;
  /** Client frames that arrived with Login Acknowledged. */
  early: Frame[];
  playerId: PlayerId;
  profile: GameProfile;
  who: string;
  clientIp: string;
  host: string;
  port: number;
}

/** The backend the player is on. */
export interface CurrentBackend {
  login: BackendLogin;
  server: ServerDefinition;
  /** State of the backend's stream towards the client. */
  state: WireState;
  /** 1.8 switch: the new backend's Join Game is turned into the respawn sequence. */
  awaitingJoin: boolean;
}

const KICK_LINGER_MS = 1000;

export class DecodedSession {
  readonly codec: VersionCodec;
  readonly client: PacketWire;
  readonly ctx: SessionContext;
  readonly playerId: PlayerId;
  readonly profile: GameProfile;
  readonly who: string;
  readonly clientIp: string;
  readonly host: string;
  readonly port: number;
  clientState: WireState;
  backend: CurrentBackend | undefined;
  switching = false;
  closed = false;
  /** A kick was sent: the session is ending (nothing new is attached). */
  private kicked = false;
  /** Set while the player is held in the proxy's limbo world. */
  limbo: LimboStay | undefined;
  /** The 0.3.0 player controls (tab list, boss bars, cookies...). */
  readonly controls = new SessionControls(this);
  /** Plugin commands: run, completed and added to the command tree (session-commands.ts). */
  readonly commands: SessionCommands;
  private readonly actions = new SessionActions(this);
  private readonly relay: BackendRelay;
  private readonly clientRelay: ClientRelay;
  private backendBytes = 0;
  /** Plugins' codec filters: client-side filters what the client sends, server-side what backends send. */
  codecServer: CodecStage | undefined;

  constructor(private readonly input: SessionInput) {
    this.codec = input.codec;
    this.client = input.client;
    this.ctx = input.ctx;
    this.playerId = input.playerId;
    this.profile = input.profile;
    this.who = input.who;
    this.clientIp = input.clientIp;
    this.host = input.host;
    this.port = input.port;
    this.clientState = input.codec.hasConfiguration ? 'configuration' : 'play';
    this.relay = new BackendRelay(this);
    this.clientRelay = new ClientRelay(this);
    this.commands = new SessionCommands(this);
  }

  /** Bytes received from backends, past and present. */
  bytesFromBackends(): number {
    return this.backendBytes + (this.backend?.login.wire.socket.bytesRead ?? 0);
  }

  start(): void {
    const socket = this.client.socket;
    socket.on('data', this.clientRelay.onClientData);
    socket.on('drain', () => this.backend?.login.wire.socket.resume());
    socket.once('close', () => this.onClientClosed());
    this.commands.start();
    const attach = () => {
      if (this.input.backend && !this.closed && !this.kicked) this.attach(this.input.backend, this.codec.hasConfiguration ? 'configuration' : 'play', false);
    };
    if (this.ctx.codecs.active()) {
      // Nothing of the backend reaches the client before both sides' filter chains exist: a required filter
      // that cannot be made refuses the player while the client is still in the state it logged in to.
      if (this.input.backend) this.clientRelay.holdUntilAttached();
      void this.openCodecFilters().then(attach);
    } else {
      attach();
    }
    this.clientRelay.early(this.input.early);
  }

  /** One chain per side, created now; frames wait for it (codec-stage.ts). */
  private openCodecFilters(): Promise<unknown> {
    const opened: Promise<unknown>[] = [];
    const stage = (side: 'client-side' | 'server-side', source: () => { pause(): void; resume(): void } | undefined) => {
      const ready = this.ctx.codecs.open({ clientVersion: this.codec.protocol, connectionId: this.playerId, remoteAddr: this.clientIp, realIp: this.clientIp, side });
      opened.push(ready.catch(() => undefined));
      const s = new CodecStage(ready, { pause: () => source()?.pause(), resume: () => source()?.resume(), fail: (err) => this.fail(err), close: (reason) => this.disconnect(reason) });
      if (this.client.threshold >= 0) s.compressionChange(this.client.threshold);
      if (this.client.encrypted) s.encryptionEnabled();
      s.stateChange(this.clientState);
      return s;
    };
    this.clientRelay.codecClient = stage('client-side', () => this.client.socket);
    this.codecServer = stage('server-side', () => this.backend?.login.wire.socket);
    return Promise.all(opened);
  }

  /** Forwards a client frame to the current backend (dropped between servers). */
  toBackend(frame: Frame): void {
    this.clientRelay.toBackend(frame);
  }

  // ---- backend → client ----

  /** Makes `login` the player's backend and relays it from its first early frame on. */
  attach(login: BackendLogin, state: WireState, awaitingJoin: boolean): void {
    this.limbo?.moved();
    const b: CurrentBackend = { login, server: login.server, state, awaitingJoin };
    this.backend = b;
    this.ctx.players.setBackendAddress(this.playerId, login.address);
    const socket = login.wire.socket;
    socket.removeAllListeners('error');
    socket.on('error', (err) => this.ctx.log('debug', `${this.who}: backend ${b.server.id} socket error: ${err.message}`));
    socket.on('drain', () => {
      if (this.backend === b && !this.clientRelay.heldForQueue) this.client.socket.resume();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.backend !== b) return;
      let frames: Frame[];
      try {
        frames = login.wire.receive(chunk);
      } catch (err) {
        return this.relay.failed(b, err);
      }
      this.relay.frames(b, frames);
    });
    socket.once('close', () => {
      if (this.backend !== b || this.closed) return;
      this.ctx.log('info', `${this.who}: ${b.server.id} closed the connection`);
      this.disconnect(JSON.stringify({ text: `Lost connection to ${b.server.id}` }));
    });
    // A new server learns the client's settings as the first did (the client sends them once).
    const settings = this.clientRelay.clientSettings;
    if (settings && this.input.backend !== login) login.wire.sendPacket(this.codec.encode(state, 'toServer', { name: 'settings', params: settings }));
    this.relay.frames(b, login.early);
    socket.resume();
    this.clientRelay.onAttached?.();
    this.clientRelay.onAttached = undefined;
  }

  /** Detaches and closes the current backend (its further frames and its close are ignored). */
  retireBackend(): void {
    const b = this.backend;
    if (!b) return;
    this.backend = undefined;
    this.ctx.players.setBackendAddress(this.playerId, undefined);
    this.backendBytes += b.login.wire.socket.bytesRead;
    b.login.wire.socket.destroy();
  }

  /** The client has a world again: what plugins sent meanwhile goes out now. */
  worldReady(): void {
    this.actions.worldReady();
    this.controls.worldReady();
  }

  /** A configuration phase began: the client's world is gone until the next Join Game. */
  leftWorld(): void {
    this.actions.inWorld = false;
  }

  // ---- actions ----

  act(action: PlayerAction): ActionResult | Promise<ActionResult> {
    return this.actions.act(action);
  }

  /** Whether play packets reach the client now (it is in play with a world). */
  get inPlayWorld(): boolean {
    return this.actions.inWorld && this.clientState === 'play';
  }

  /** Whether the client's frames wait behind a plugin's decision (its answers cannot arrive meanwhile). */
  get heldByPlugin(): boolean {
    return this.clientRelay.deciding;
  }

  /** Play packets for the client now, or, between servers (or before the first Join Game), at the next world. */
  sendInWorld(packets: Buffer[]): ActionResult {
    return this.actions.sendInWorld(packets);
  }

  switchTo(server: ServerId): Promise<ActionResult> {
    return switchServer(this, server);
  }

  /** Holds the player in the proxy's limbo world under `entry.handlers` (limbo-stay.ts). */
  enterLimbo(entry: LimboEntry): void {
    if (this.closed) return;
    this.retireBackend();
    const stay = new LimboStay(this, entry);
    this.limbo = stay;
    this.ctx.log('info', `${this.who}: in limbo (${entry.handlers.join(', ') || 'no handler'})`);
    stay.start().catch((err: unknown) => this.fail(err));
  }

  /** Sends a packet (id + fields) to the client in its current compression and encryption. */
  send(packet: Buffer): void {
    if (!this.closed) this.client.sendPacket(packet);
  }

  /** Waits for the client to acknowledge a Start Configuration the proxy sent. */
  reconfigure(timeoutMs: number): Promise<boolean> {
    this.leftWorld();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.clientRelay.onReconfigured = undefined;
        resolve(ok);
      };
      this.clientRelay.onReconfigured = () => done(true);
      this.send(this.codec.encode('play', 'toClient', { name: 'start_configuration', params: {} }));
    });
  }

  /** Shows `reasonJson` in the client's current state, then closes. */
  disconnect(reasonJson: string): void {
    if (this.closed) return;
    this.kicked = true;
    this.send(disconnectPacket(this.codec, this.clientState, reasonJson));
    this.client.socket.end();
    setTimeout(() => this.client.socket.destroy(), KICK_LINGER_MS).unref();
  }

  // ---- endings ----

  fail(err: unknown): void {
    if (this.closed) return;
    if (err instanceof ProtocolError) {
      this.ctx.counters.protocolErrors++;
      this.ctx.log('warn', `${this.who}: protocol error: ${err.message}; closing`);
    } else {
      this.ctx.log('error', `${this.who}: internal error: ${(err as Error).stack ?? err}; closing`);
    }
    this.client.socket.destroy();
  }

  private onClientClosed(): void {
    this.closed = true;
    this.controls.closed();
    this.commands.closed();
    this.limbo?.clientClosed();
    this.clientRelay.codecClient?.close();
    this.codecServer?.close();
    this.clientRelay.onReconfigured = undefined;
    this.clientRelay.onAttached?.();
    this.retireBackend();
  }
}
