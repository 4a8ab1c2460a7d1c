// The client → backend half of a decoded session: the client's frames are queued and handled in order; the
// few the proxy acts on are parsed — chat and commands (a plugin's decision holds the frames behind them),
// Client Information (replayed to each new server), custom payloads, and the configuration phase's
// transitions (a proxy-started reconfiguration for a switch or limbo). Everything else is forwarded to the
// current backend, through the client-side codec filters when any.

import type { DecodedSession } from './decoded-session.ts';
import type { Frame } from './packet-wire.ts';
import type { CodecStage } from './codec-stage.ts';
import { chatDecision } from './session-events.ts';
import { clientPayload, commandDecision, settingsChanged } from './session-messages.ts';

/** Client frames held while a plugin decides on a chat message, before the socket is paused. */
const MAX_QUEUED = 256;

export class ClientRelay {
  /** Client frames wait behind a plugin's decision about a chat message. */
  deciding = false;
  /** Set while a proxy-started reconfiguration waits for the client's Configuration Acknowledged. */
  onReconfigured: (() => void) | undefined;
  /** Set from Configuration Acknowledged (for a switch) until the new server is attached. */
  private heldUntilAttached: Promise<void> | undefined;
  onAttached: (() => void) | undefined;
  /** The client's last Client Information (locale, view distance...), replayed to each new backend. */
  clientSettings: Record<string, unknown> | undefined;
  private readonly queue: Frame[] = [];
  private busy = false;
  /** The client socket is paused because too many frames wait behind a plugin's decision. */
  heldForQueue = false;
  /** The client-side codec filters (what the client sends), when any. */
  codecClient: CodecStage | undefined;
  private readonly ids: {
    chat: number | undefined;
    settings: number | undefined;
    configAck: number | undefined;
    command: number | undefined;
    commandSigned: number | undefined;
    customPayload: number | undefined;
  };

  constructor(private readonly s: DecodedSession) {
    const c = s.codec;
    this.ids = {
      chat: c.id('play', 'toServer', c.signedChat ? 'chat_message' : 'chat'),
      settings: c.id('play', 'toServer', 'settings'),
      configAck: c.id('play', 'toServer', 'configuration_acknowledged'),
      command: c.id('play', 'toServer', 'chat_command'),
      commandSigned: c.id('play', 'toServer', 'chat_command_signed'),
      customPayload: c.id('play', 'toServer', 'custom_payload'),
    };
  }

  /** Frames that arrived before the session started (with Login Acknowledged). */
  early(frames: Frame[]): void {
    this.queue.push(...frames);
    this.pump();
  }

  readonly onClientData = (chunk: Buffer): void => {
    const s = this.s;
    try {
      for (const frame of s.client.receive(chunk)) {
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
      return s.fail(err);
    }
    if (this.queue.length > MAX_QUEUED && !this.heldForQueue) {
      this.heldForQueue = true;
      s.client.socket.pause();
    }
    this.pump();
  };

  /** What the client sends from now on waits until a backend is attached. */
  holdUntilAttached(): void {
    this.heldUntilAttached = new Promise<void>((resolve) => (this.onAttached = resolve));
  }

  /** The client is back in configuration for a switch (what it sends next waits for the new server) or for limbo. */
  private acknowledgeReconfiguration(): void {
    this.s.clientState = 'configuration';
    // Entering limbo, the proxy configures the client itself: nothing waits for a server.
    if (!this.s.limbo) this.holdUntilAttached();
    this.onReconfigured?.();
  }

  /** Handles queued client frames in order; a plugin decision (chat) or a switch holds the rest. */
  private pump(): void {
    const s = this.s;
    while (!this.busy && !s.closed) {
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
          return s.fail(err);
        }
      }
      if (pending) {
        this.busy = true;
        pending.then(
          () => {
            this.busy = false;
            this.pump();
          },
          (err) => s.fail(err),
        );
      }
    }
    if (this.heldForQueue && this.queue.length === 0) {
      this.heldForQueue = false;
      s.client.socket.resume();
    }
  }

  private onClientFrame(frame: Frame): Promise<void> | undefined {
    const s = this.s;
    // Client packets are small: each is decompressed (and so checked) in full.
    const packet = frame.packet();
    const id = frame.id();
    const { codec } = s;
    if (s.clientState === 'configuration') {
      const name = codec.name('configuration', 'toServer', id);
      if (name === 'finish_configuration') {
        s.clientState = 'play';
        this.codecClient?.stateChange('play');
        s.limbo?.configured();
      } else if (name === 'settings') {
        this.clientSettings = codec.decode('configuration', 'toServer', packet).params;
        settingsChanged(s, this.clientSettings);
      } else if (s.controls.takeClientFrame('configuration', frame)) return undefined;
      else if (name === 'custom_payload' && !s.limbo) return clientPayload(s, frame, 'configuration');
      this.toBackend(frame);
      return undefined;
    }
    if (id === this.ids.settings) {
      this.clientSettings = codec.decode('play', 'toServer', packet).params;
      settingsChanged(s, this.clientSettings);
    }
    if (id === this.ids.configAck) {
      if (this.onReconfigured) return void this.acknowledgeReconfiguration();
      s.clientState = 'configuration';
      this.codecClient?.stateChange('configuration');
      this.toBackend(frame); // the backend asked for it
      return undefined;
    }
    if (s.controls.takeClientFrame('play', frame)) return undefined;
    if (s.limbo) return void s.limbo.onClientFrame(frame);
    if (id === this.ids.customPayload) return clientPayload(s, frame, 'play');
    if (s.commands.clientTabComplete(frame)) return undefined;
    if (id === this.ids.command || id === this.ids.commandSigned) return this.whileDeciding(() => commandDecision(s, frame, packet)) ?? void this.toBackend(frame);
    if (id === this.ids.chat && (s.ctx.events.has('chat-message') || s.ctx.events.has030('command-execute') || (!codec.signedChat && s.ctx.commands.active()))) {
      return this.whileDeciding(() => chatDecision(s, frame, packet));
    }
    this.toBackend(frame);
    return undefined;
  }

  /** Holds the client's frames behind a plugin's decision (set before the plugin runs) until it settles. */
  private whileDeciding(decide: () => Promise<void> | undefined): Promise<void> | undefined {
    this.deciding = true;
    const pending = decide();
    if (!pending) this.deciding = false;
    return pending?.finally(() => (this.deciding = false));
  }

  /** Forwards a client frame to the current backend (dropped between servers). */
  toBackend(frame: Frame): void {
    if (this.codecClient && this.s.clientState === 'play') return this.codecClient.push(frame, (out) => this.writeBackend(out));
    this.writeBackend(frame);
  }

  private writeBackend(out: Frame | Buffer[]): void {
    const b = this.s.backend;
    if (!b || this.s.closed) return; // between servers: the old one is gone and the new one is not attached yet
    const wire = b.login.wire;
    const ok = out instanceof Array ? out.every((p) => wire.sendPacket(p)) : wire.forward(out);
    if (!ok) this.s.client.socket.pause();
  }
}
