// The backend → client half of a decoded session: each frame of the current backend is forwarded (through the
// server-side codec filters when any), except the few the proxy acts on — a kick (kicked-from-server), the
// configuration phase's transitions, and Join Game (the client has a world; on a 1.8 switch the respawn trick).

import { ProtocolError } from './packet-codec.ts';
import type { Frame } from './packet-wire.ts';
import type { CurrentBackend, DecodedSession } from './decoded-session.ts';
import { kickedFromServer } from './session-events.ts';
import { backendPayload } from './session-messages.ts';
import { textJson } from './text-nbt.ts';

export class BackendRelay {
  private readonly ids: { kick: number | undefined; startConfig: number | undefined; join: number | undefined; customPayload: number | undefined };
  /** Frames waiting behind a plugin's decision on a custom payload (plugin-message), in order. */
  private held: { b: CurrentBackend; frames: Frame[] } | undefined;

  constructor(private readonly s: DecodedSession) {
    const c = s.codec;
    this.ids = {
      kick: c.id('play', 'toClient', 'kick_disconnect'),
      startConfig: c.id('play', 'toClient', 'start_configuration'),
      join: c.id('play', 'toClient', 'login'),
      customPayload: c.id('play', 'toClient', 'custom_payload'),
    };
  }

  frames(b: CurrentBackend, frames: Frame[]): void {
    if (this.held?.b === b) return void this.held.frames.push(...frames);
    for (let i = 0; i < frames.length; i++) {
      if (this.s.backend !== b || this.s.closed) return;
      let pending: Promise<void> | void;
      try {
        pending = this.frame(b, frames[i]);
      } catch (err) {
        return this.failed(b, err);
      }
      if (pending) return this.hold(b, pending, frames.slice(i + 1));
    }
  }

  /** The backend's later frames wait (its socket paused) until a plugin decided on a custom payload. */
  private hold(b: CurrentBackend, pending: Promise<void>, rest: Frame[]): void {
    this.held = { b, frames: rest };
    const socket = b.login.wire.socket;
    socket.pause();
    pending.then(
      () => {
        if (this.held?.b !== b) return;
        const later = this.held.frames;
        this.held = undefined;
        if (this.s.backend !== b) return;
        socket.resume();
        this.frames(b, later);
      },
      (err: unknown) => this.s.fail(err),
    );
  }

  private frame(b: CurrentBackend, frame: Frame): Promise<void> | void {
    const id = frame.id();
    const { codec } = this.s;
    if (b.state === 'configuration') {
      const name = codec.name('configuration', 'toClient', id);
      if (name === 'custom_payload') {
        const pending = backendPayload(this.s, b, frame);
        if (pending) return pending;
      }
      if (name === 'disconnect') return void kickedFromServer(this.s, b, textJson(codec.decode('configuration', 'toClient', frame.packet()).params.reason));
      if (name === 'finish_configuration') {
        b.state = 'play';
        this.s.codecServer?.stateChange('play');
      }
    } else if (id === this.ids.customPayload) {
      const pending = backendPayload(this.s, b, frame);
      if (pending) return pending;
    } else if (this.s.commands.fromBackend(b, frame)) {
      return;
    } else if (id === this.ids.kick) {
      return void kickedFromServer(this.s, b, textJson(codec.decode('play', 'toClient', frame.packet()).params.reason));
    } else if (id === this.ids.startConfig) {
      b.state = 'configuration';
      this.s.codecServer?.stateChange('configuration');
      this.s.leftWorld();
    } else if (id === this.ids.join) {
      if (b.awaitingJoin) {
        b.awaitingJoin = false;
        this.respawnInto(codec.decode('play', 'toClient', frame.packet()).params, frame);
      } else {
        this.s.client.forward(frame);
      }
      return this.s.worldReady();
    }
    if (this.s.codecServer && b.state === 'play') {
      return this.s.codecServer.push(frame, (out) => {
        if (this.s.closed) return;
        const ok = out instanceof Array ? out.every((p) => this.s.client.sendPacket(p)) : this.s.client.forward(out);
        if (!ok) b.login.wire.socket.pause();
      });
    }
    if (!this.s.client.forward(frame)) b.login.wire.socket.pause();
  }

  /**
   * 1.8 switch (the respawn technique): the new server's Join Game resets the client's world and entity id,
   * then a respawn into another dimension and back makes it drop every chunk of the old server.
   */
  private respawnInto(join: Record<string, unknown>, frame: Frame): void {
    this.s.client.forward(frame);
    const respawn = (dimension: number) =>
      this.s.send(this.s.codec.encode('play', 'toClient', { name: 'respawn', params: { dimension, difficulty: join.difficulty, gamemode: (join.gameMode as number) & 0x7, levelType: join.levelType } }));
    respawn(join.dimension === 0 ? -1 : 0);
    respawn(join.dimension as number);
  }

  /** A bad frame from the backend closes this player only. */
  failed(b: CurrentBackend, err: unknown): void {
    if (!(err instanceof ProtocolError)) return this.s.fail(err);
    this.s.ctx.counters.backendFailures++;
    this.s.ctx.log('warn', `${this.s.who}: ${b.server.id} sent a bad frame (${err.message}); closing`);
    this.s.client.socket.destroy();
  }
}
