// A logged-in player of a decoding mode (offline, client_only): frames relayed between the client and its
// current backend, with the few packets the proxy acts on read by id and parsed only then — chat (the
// chat-message event), kicks (kicked-from-server), and the state changes of the configuration phase.
// Player actions (messages, titles, raw packets, disconnect, switch) write into the client's stream.
// A malformed frame from either side closes this player's connection only.

import type { GameProfile, PlayerAction, PlayerId, ServerId } from '../contract/guest-types.ts';
import type { ProxySettings } from '../config/types.ts';
import type { BackendLogin } from './backend-login.ts';
import type { VersionCodec, WireState } from './decoded-protocol.ts';
import { disconnectPacket, rawPacket, systemMessage, titlePackets } from './player-packets.ts';
import type { ActionResult, PlayerRegistry } from './player-registry.ts';
import type { ProxyEvents } from './proxy-events.ts';
import type { ProxyLog } from './proxy-log.ts';
import type { Frame, PacketWire } from './packet-wire.ts';
import { ProtocolError } from './packet-codec.ts';
import type { ServerDefinition } from './server-file.ts';
import type { ServerRegistry } from './server-registry.ts';
import { switchServer } from './server-switch.ts';
import { LimboStay, type LimboEntry } from './limbo-stay.ts';
import type { LimboSessions } from './limbo-sessions.ts';
import type { CodecDispatcher } from '../contract/codec-types.ts';
import { CodecStage } from './codec-stage.ts';
import { chatDecision, kickedFromServer } from './session-events.ts';
import { SessionControls } from './session-controls.ts';
import { textJson } from './text-nbt.ts';

export interface SessionContext {
  settings: ProxySettings;
  servers: ServerRegistry;
  players: PlayerRegistry;
  events: ProxyEvents;
  log: ProxyLog;
  counters: { protocolErrors: number; backendFailures: number };
  limbo: LimboSessions;
  codecs: CodecDispatcher;
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
/** Client frames held while a plugin decides on a chat message, before the socket is paused. */
const MAX_QUEUED = 256;
/** Packets plugins may queue for a player between servers. */
const MAX_WAITING = 64;

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
  /** Set while the player is held in the proxy's limbo world. */
  limbo: LimboStay | undefined;
  /** The 0.3.0 player controls (tab list, boss bars, cookies...). */
  readonly controls = new SessionControls(this);
  /** Client frames wait behind a plugin's decision about a chat message. */
  private deciding = false;
  /** Set while a proxy-started reconfiguration waits for the client's Configuration Acknowledged. */
  private onReconfigured: (() => void) | undefined;
  /** Set from Configuration Acknowledged (for a switch) until the new server is attached. */
  private heldUntilAttached: Promise<void> | undefined;
  private onAttached: (() => void) | undefined;
  /** Whether the client has a world (a Join Game since the last configuration phase): messages wait for it. */
  private inWorld = false;
  private readonly waitingForWorld: Buffer[] = [];
  /** The client's last Client Information (locale, view distance...), replayed to each new backend. */
  private clientSettings: Record<string, unknown> | undefined;
  private readonly queue: Frame[] = [];
  private busy = false;
  /** The client socket is paused because too many frames wait behind a plugin's decision. */
  private heldForQueue = false;
  private backendBytes = 0;
  /** Plugins' codec filters: client-side filters what the client sends, server-side what backends send. */
  private codecClient: CodecStage | undefined;
  private codecServer: CodecStage | undefined;
  private readonly ids: {
    chat: number | undefined;
    settings: number | undefined;
    configAck: number | undefined;
    kick: number | undefined;
    startConfig: number | undefined;
    join: number | undefined;
  };

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
    const c = input.codec;
    this.ids = {
      chat: c.id('play', 'toServer', c.signedChat ? 'chat_message' : 'chat'),
      settings: c.id('play', 'toServer', 'settings'),
      configAck: c.id('play', 'toServer', 'configuration_acknowledged'),
      kick: c.id('play', 'toClient', 'kick_disconnect'),
      startConfig: c.id('play', 'toClient', 'start_configuration'),
      join: c.id('play', 'toClient', 'login'),
    };
  }

  /** Bytes received from backends, past and present. */
  bytesFromBackends(): number {
    return this.backendBytes + (this.backend?.login.wire.socket.bytesRead ?? 0);
  }

  start(): void {
    const socket = this.client.socket;
    if (this.ctx.codecs.active()) this.openCodecFilters();
    socket.on('data', this.onClientData);
    socket.on('drain', () => this.backend?.login.wire.socket.resume());
    socket.once('close', () => this.onClientClosed());
    if (this.input.backend) this.attach(this.input.backend, this.codec.hasConfiguration ? 'configuration' : 'play', false);
    this.queue.push(...this.input.early);
    this.pump();
  }

  /** One chain per side, created now; frames wait for it (codec-stage.ts). */
  private openCodecFilters(): void {
    const stage = (side: 'client-side' | 'server-side', source: () => { pause(): void; resume(): void } | undefined) => {
      const ready = this.ctx.codecs.open({ clientVersion: this.codec.protocol, connectionId: this.playerId, remoteAddr: this.clientIp, realIp: this.clientIp, side });
      const s = new CodecStage(ready, { pause: () => source()?.pause(), resume: () => source()?.resume(), fail: (err) => this.fail(err), close: (reason) => this.disconnect(reason) });
      if (this.client.threshold >= 0) s.compressionChange(this.client.threshold);
      if (this.client.encrypted) s.encryptionEnabled();
      s.stateChange(this.clientState);
      return s;
    };
    this.codecClient = stage('client-side', () => this.client.socket);
    this.codecServer = stage('server-side', () => this.backend?.login.wire.socket);
  }

  // ---- client → backend ----

  private readonly onClientData = (chunk: Buffer): void => {
    try {
      for (const frame of this.client.receive(chunk)) {
        // A plugin deciding on a chat message may be switching this player: the acknowledgement it waits
        // for cannot queue behind that chat message. The play packets queued before it were for the old
        // server, which is gone.
        if (this.busy && this.onReconfigured && frame.id() === this.ids.configAck) {
          this.queue.length = 0;
          this.acknowledgeReconfiguration();
          continue;
        }
        this.queue.push(frame);
      }
    } catch (err) {
      return this.fail(err);
    }
    if (this.queue.length > MAX_QUEUED && !this.heldForQueue) {
      this.heldForQueue = true;
      this.client.socket.pause();
    }
    this.pump();
  };

  /** The client is back in configuration for a switch (what it sends next waits for the new server) or for limbo. */
  private acknowledgeReconfiguration(): void {
    this.clientState = 'configuration';
    // Entering limbo, the proxy configures the client itself: nothing waits for a server.
    if (!this.limbo) this.heldUntilAttached = new Promise<void>((resolve) => (this.onAttached = resolve));
    this.onReconfigured?.();
  }

  /** Handles queued client frames in order; a plugin decision (chat) or a switch holds the rest. */
  private pump(): void {
    while (!this.busy && !this.closed) {
      let pending: Promise<void> | undefined;
      if (this.heldUntilAttached) {
        pending = this.heldUntilAttached;
        this.heldUntilAttached = undefined;
      } else {
        const frame = this.queue.shift();
        if (!frame) break;
        try {
          pending = this.onClientFrame(frame);
        } catch (err) {
          return this.fail(err);
        }
      }
      if (pending) {
        this.busy = true;
        pending.then(
          () => {
            this.busy = false;
            this.pump();
          },
          (err) => this.fail(err),
        );
      }
    }
    if (this.heldForQueue && this.queue.length === 0) {
      this.heldForQueue = false;
      this.client.socket.resume();
    }
  }

  private onClientFrame(frame: Frame): Promise<void> | undefined {
    // Client packets are small: each is decompressed (and so checked) in full.
    const packet = frame.packet();
    const id = frame.id();
    const { codec } = this;
    if (this.clientState === 'configuration') {
      const name = codec.name('configuration', 'toServer', id);
      if (name === 'finish_configuration') {
        this.clientState = 'play';
        this.codecClient?.stateChange('play');
        this.limbo?.configured();
      } else if (name === 'settings') this.clientSettings = codec.decode('configuration', 'toServer', packet).params;
      else if (this.controls.takeClientFrame('configuration', frame)) return undefined;
      this.toBackend(frame);
      return undefined;
    }
    if (id === this.ids.settings) this.clientSettings = codec.decode('play', 'toServer', packet).params;
    if (id === this.ids.configAck) {
      if (this.onReconfigured) return void this.acknowledgeReconfiguration();
      this.clientState = 'configuration';
      this.codecClient?.stateChange('configuration');
      this.toBackend(frame); // the backend asked for it
      return undefined;
    }
    if (this.controls.takeClientFrame('play', frame)) return undefined;
    if (this.limbo) return void this.limbo.onClientFrame(frame);
    if (id === this.ids.chat && this.ctx.events.has('chat-message')) {
      this.deciding = true;
      return chatDecision(this, frame, packet).finally(() => (this.deciding = false));
    }
    this.toBackend(frame);
    return undefined;
  }

  /** Forwards a client frame to the current backend (dropped between servers). */
  toBackend(frame: Frame): void {
    if (this.codecClient && this.clientState === 'play') return this.codecClient.push(frame, (out) => this.writeBackend(out));
    this.writeBackend(frame);
  }

  private writeBackend(out: Frame | Buffer[]): void {
    const b = this.backend;
    if (!b || this.closed) return; // between servers: the old one is gone and the new one is not attached yet
    const wire = b.login.wire;
    const ok = out instanceof Array ? out.every((p) => wire.sendPacket(p)) : wire.forward(out);
    if (!ok) this.client.socket.pause();
  }

  // ---- backend → client ----

  /** Makes `login` the player's backend and relays it from its first early frame on. */
  attach(login: BackendLogin, state: WireState, awaitingJoin: boolean): void {
    this.limbo?.moved();
    const b: CurrentBackend = { login, server: login.server, state, awaitingJoin };
    this.backend = b;
    const socket = login.wire.socket;
    socket.removeAllListeners('error');
    socket.on('error', (err) => this.ctx.log('debug', `${this.who}: backend ${b.server.id} socket error: ${err.message}`));
    socket.on('drain', () => {
      if (this.backend === b && !this.heldForQueue) this.client.socket.resume();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.backend !== b) return;
      let frames: Frame[];
      try {
        frames = login.wire.receive(chunk);
      } catch (err) {
        return this.backendFailed(b, err);
      }
      this.onBackendFrames(b, frames);
    });
    socket.once('close', () => {
      if (this.backend !== b || this.closed) return;
      this.ctx.log('info', `${this.who}: ${b.server.id} closed the connection`);
      this.disconnect(JSON.stringify({ text: `Lost connection to ${b.server.id}` }));
    });
    // A new server learns the client's settings as the first did (the client sends them once).
    if (this.clientSettings && this.input.backend !== login) login.wire.sendPacket(this.codec.encode(state, 'toServer', { name: 'settings', params: this.clientSettings }));
    this.onBackendFrames(b, login.early);
    socket.resume();
    this.onAttached?.();
    this.onAttached = undefined;
  }

  /** Detaches and closes the current backend (its further frames and its close are ignored). */
  retireBackend(): void {
    const b = this.backend;
    if (!b) return;
    this.backend = undefined;
    this.backendBytes += b.login.wire.socket.bytesRead;
    b.login.wire.socket.destroy();
  }

  private onBackendFrames(b: CurrentBackend, frames: Frame[]): void {
    for (const frame of frames) {
      if (this.backend !== b || this.closed) return;
      try {
        this.onBackendFrame(b, frame);
      } catch (err) {
        return this.backendFailed(b, err);
      }
    }
  }

  private onBackendFrame(b: CurrentBackend, frame: Frame): void {
    const id = frame.id();
    const { codec } = this;
    if (b.state === 'configuration') {
      const name = codec.name('configuration', 'toClient', id);
      if (name === 'disconnect') return void kickedFromServer(this, b, textJson(codec.decode('configuration', 'toClient', frame.packet()).params.reason));
      if (name === 'finish_configuration') {
        b.state = 'play';
        this.codecServer?.stateChange('play');
      }
    } else if (id === this.ids.kick) {
      return void kickedFromServer(this, b, textJson(codec.decode('play', 'toClient', frame.packet()).params.reason));
    } else if (id === this.ids.startConfig) {
      b.state = 'configuration';
      this.codecServer?.stateChange('configuration');
      this.inWorld = false;
    } else if (id === this.ids.join) {
      if (b.awaitingJoin) {
        b.awaitingJoin = false;
        this.respawnInto(codec.decode('play', 'toClient', frame.packet()).params, frame);
      } else {
        this.client.forward(frame);
      }
      return this.worldReady();
    }
    if (this.codecServer && b.state === 'play') {
      return this.codecServer.push(frame, (out) => {
        if (this.closed) return;
        const ok = out instanceof Array ? out.every((p) => this.client.sendPacket(p)) : this.client.forward(out);
        if (!ok) b.login.wire.socket.pause();
      });
    }
    if (!this.client.forward(frame)) b.login.wire.socket.pause();
  }

  /** The client has a world again: what plugins sent meanwhile goes out now. */
  worldReady(): void {
    this.inWorld = true;
    this.controls.worldReady();
    for (const p of this.waitingForWorld.splice(0)) this.send(p);
  }

  /**
   * 1.8 switch (the respawn technique): the new server's Join Game resets the client's world and entity id,
   * then a respawn into another dimension and back makes it drop every chunk of the old server.
   */
  private respawnInto(join: Record<string, unknown>, frame: Frame): void {
    this.client.forward(frame);
    const respawn = (dimension: number) =>
      this.send(this.codec.encode('play', 'toClient', { name: 'respawn', params: { dimension, difficulty: join.difficulty, gamemode: (join.gameMode as number) & 0x7, levelType: join.levelType } }));
    respawn(join.dimension === 0 ? -1 : 0);
    respawn(join.dimension as number);
  }

  private backendFailed(b: CurrentBackend, err: unknown): void {
    if (!(err instanceof ProtocolError)) return this.fail(err);
    this.ctx.counters.backendFailures++;
    this.ctx.log('warn', `${this.who}: ${b.server.id} sent a bad frame (${err.message}); closing`);
    this.client.socket.destroy();
  }

  // ---- actions ----

  act(action: PlayerAction): ActionResult | Promise<ActionResult> {
    if (this.closed) return { tag: 'disconnected' };
    switch (action.kind) {
      case 'switch':
        return this.switchTo(action.server);
      case 'packet':
        this.send(rawPacket(action.packet.packetId, action.packet.data));
        return undefined;
    }
    return this.sendInWorld(action.kind === 'title' ? titlePackets(this.codec, action.title) : [systemMessage(this.codec, action.component, action.kind === 'action-bar')]);
  }

  /** Whether play packets reach the client now (it is in play with a world). */
  get inPlayWorld(): boolean {
    return this.inWorld && this.clientState === 'play';
  }

  /** Whether the client's frames wait behind a plugin's decision (its answers cannot arrive meanwhile). */
  get heldByPlugin(): boolean {
    return this.deciding;
  }

  /** Play packets for the client now, or, between servers (or before the first Join Game), at the next world. */
  sendInWorld(packets: Buffer[]): ActionResult {
    if (this.closed) return { tag: 'disconnected' };
    if (this.inPlayWorld) {
      for (const p of packets) this.send(p);
      return undefined;
    }
    if (this.waitingForWorld.length + packets.length > MAX_WAITING) return { tag: 'not-active' };
    this.waitingForWorld.push(...packets);
    return undefined;
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
    this.inWorld = false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.onReconfigured = undefined;
        resolve(ok);
      };
      this.onReconfigured = () => done(true);
      this.send(this.codec.encode('play', 'toClient', { name: 'start_configuration', params: {} }));
    });
  }

  /** Shows `reasonJson` in the client's current state, then closes. */
  disconnect(reasonJson: string): void {
    if (this.closed) return;
    this.send(disconnectPacket(this.codec, this.clientState, reasonJson));
    this.client.socket.end();
    setTimeout(() => this.client.socket.destroy(), KICK_LINGER_MS).unref();
  }

  // ---- endings ----

  private fail(err: unknown): void {
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
    this.limbo?.clientClosed();
    this.codecClient?.close();
    this.codecServer?.close();
    this.onReconfigured = undefined;
    this.onAttached?.();
    this.retireBackend();
  }
}
