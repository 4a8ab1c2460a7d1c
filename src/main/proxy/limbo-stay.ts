// A player of a decoding mode held in limbo: the proxy serves its own void world (limbo-world.ts) and
// runs the named limbo handlers in order. accept goes on to the next handler and, after the last, to the
// target server; deny disconnects; redirect moves the player; send-to-limbo starts another list; hold
// waits for complete() (through the session or a handle acquired from it); hold-with-timeout applies its
// on-timeout when the host-owned timer fires first. Keep-alives go out every 10 s and a client that has
// not answered one for 15 s is dropped. A handler that fails (trap, deadline, poisoned plugin) lets the
// player go on to the next handler, or out with a message when it was the last; a 0.3.0 handler's
// router answers deny instead ("Limbo handler unavailable", §4.7). The dispatcher hears each entry and
// exit (0.3.0's limbo-enter / limbo-exit events). Plugin commands work here as on a backend, with a command
// tree of their own (session-commands.ts); other commands go to the holding handler's limbo-on-command.

import type { Component, PlayerAction, ServerId, TitleData } from '../contract/guest-types.ts';
import type { HandlerResult, LimboEntryContext, LimboExitReason, SessionEndReason, TimeoutOutcome } from '../contract/limbo-types.ts';
import type { DecodedSession } from './decoded-session.ts';
import { configurationPackets, joinPackets, keepAlivePacket } from './limbo-world.ts';
import type { LimboRun } from './limbo-sessions.ts';
import type { Frame } from './packet-wire.ts';

export const KEEP_ALIVE_EVERY_MS = 10_000;
export const KEEP_ALIVE_TIMEOUT_MS = 15_000;

/** How a handler run ended: an outcome to apply, or the player/proxy ended it. */
type RunEnd = { tag: 'outcome'; val: TimeoutOutcome; reason: SessionEndReason } | { tag: 'failed'; why: string } | { tag: 'gone'; reason: 'disconnected' | 'shutdown' | 'redirected' };

export interface LimboEntry {
  handlers: string[];
  context: LimboEntryContext;
  /** Where accept leads after the last handler. */
  target: ServerId | undefined;
}

export class LimboStay {
  private run: (LimboRun & { id: bigint; end(e: RunEnd): void }) | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private keepAliveSent = 0;
  private keepAliveId = 0;
  /** Unanswered keep-alive: when it was sent. */
  private awaitingSince: number | undefined;
  private onConfigured: (() => void) | undefined;
  private over = false;
  /** The current entry was announced (limbo-enter) and its exit not yet. */
  private announced = false;
  /** The last handler outcome came from a hold-with-timeout's timer. */
  private timedOut = false;

  constructor(
    private readonly s: DecodedSession,
    private entry: LimboEntry,
  ) {}

  /** The handler holding the player now. */
  get handler(): string | undefined {
    return this.run?.handler;
  }

  /** Puts the client in the limbo world, then runs the handlers; resolves when the player left limbo. */
  async start(): Promise<void> {
    const { s } = this;
    s.ctx.players.setServer(s.playerId, undefined);
    if (!(await this.enterWorld())) return;
    this.keepAliveTimer = setInterval(() => this.tick(), 1000);
    this.keepAliveTimer.unref();
    this.announceEntry();
    try {
      await this.runHandlers();
    } finally {
      this.leave();
    }
  }

  private get player() {
    return { id: this.s.playerId, profile: this.s.profile };
  }

  private announceEntry(): void {
    this.announced = true;
    this.s.ctx.limbo.dispatcher.entered?.(this.player, this.entry.handlers, this.entry.context);
  }

  /** limbo-exit, once per entry. */
  private exit(reason: LimboExitReason, next?: ServerId): void {
    if (!this.announced) return;
    this.announced = false;
    this.s.ctx.limbo.dispatcher.exited?.(this.player, reason, next);
  }

  // ---- the world ----

  private async enterWorld(): Promise<boolean> {
    const { s } = this;
    const { codec } = s;
    if (codec.hasConfiguration) {
      // From play (a kick, a redirect) the client goes back to configuration first.
      if (s.clientState === 'play' && !(await s.reconfigure(s.ctx.settings.connectTimeoutMs))) {
        if (!s.closed) s.disconnect(JSON.stringify({ text: 'Your client did not return to the configuration phase' }));
        return false;
      }
      if (s.closed) return false;
      const configured = new Promise<void>((resolve) => (this.onConfigured = resolve));
      for (const p of configurationPackets(codec)) s.send(p);
      await configured;
      if (s.closed) return false;
    }
    for (const p of joinPackets(codec)) s.send(p);
    if (!codec.hasConfiguration) {
      // A 1.8 client coming from a server keeps its chunks across a Join Game: a respawn elsewhere drops them.
      s.send(codec.encode('play', 'toClient', { name: 'respawn', params: { dimension: -1, difficulty: 0, gamemode: 2, levelType: 'flat' } }));
      s.send(codec.encode('play', 'toClient', { name: 'respawn', params: { dimension: 0, difficulty: 0, gamemode: 2, levelType: 'flat' } }));
    }
    this.keepAliveSent = Date.now();
    s.worldReady();
    s.commands.limboTree();
    return true;
  }

  /** The client acknowledged Finish Configuration (the session saw it). */
  configured(): void {
    this.onConfigured?.();
    this.onConfigured = undefined;
  }

  private tick(): void {
    const { s } = this;
    const now = Date.now();
    if (this.awaitingSince !== undefined && now - this.awaitingSince >= KEEP_ALIVE_TIMEOUT_MS) {
      s.ctx.log('info', `${s.who}: no keep-alive answer in limbo for ${KEEP_ALIVE_TIMEOUT_MS / 1000} s; dropping`);
      s.disconnect(JSON.stringify({ translate: 'disconnect.timeout' }));
      s.client.socket.destroy();
      return;
    }
    if (now - this.keepAliveSent >= KEEP_ALIVE_EVERY_MS) {
      this.keepAliveSent = now;
      this.awaitingSince ??= now;
      s.send(keepAlivePacket(s.codec, ++this.keepAliveId));
    }
  }

  /** A play packet from the client while in limbo: keep-alive answers, chat, commands and their completion. */
  onClientFrame(frame: Frame): void {
    const { s } = this;
    const p = s.codec.decode('play', 'toServer', frame.packet());
    const run = this.run;
    switch (p.name) {
      case 'keep_alive':
        if (Number(p.params.keepAliveId as number | bigint) === this.keepAliveId) this.awaitingSince = undefined;
        return;
      case 'chat':
      case 'chat_message': {
        const message = p.params.message as string;
        if (p.name === 'chat' && message.startsWith('/')) return this.command(message.slice(1));
        if (run) void s.ctx.limbo.dispatcher.chat(run.handler, run.id, message);
        return;
      }
      case 'chat_command':
      case 'chat_command_signed':
        return this.command(p.params.command as string);
      case 'tab_complete':
        return s.commands.limboTabComplete(frame);
    }
  }

  /**
   * A plugin command runs (or is refused) as it does on a backend; anything else goes to the holding
   * handler's limbo-on-command, in Infrarust's order (its limbo asks the command manager first). As in
   * Infrarust's limbo, command-execute is not fired here.
   */
  private command(line: string): void {
    const run = this.run;
    if (this.s.commands.take(line) || !run) return;
    const [command = '', ...args] = line.split(' ').filter((w) => w !== '');
    void this.s.ctx.limbo.dispatcher.command(run.handler, run.id, command, args);
  }

  // ---- handlers ----

  private async runHandlers(): Promise<void> {
    const { s } = this;
    let i = 0;
    while (!s.closed) {
      const name = this.entry.handlers[i];
      if (name === undefined) {
        this.exit(this.timedOut ? { tag: 'timed-out' } : { tag: 'released' }, this.entry.target);
        return this.goTo(this.entry.target, 'all limbo handlers accepted');
      }
      const end = await this.runHandler(name);
      if (end.tag === 'gone') return this.exit({ tag: end.reason === 'redirected' ? 'redirected' : end.reason });
      this.timedOut = end.tag === 'outcome' && end.reason === 'timed-out';
      if (end.tag === 'failed') {
        s.ctx.log('warn', `${s.who}: limbo handler "${name}" failed: ${end.why}`);
        if (i + 1 < this.entry.handlers.length) {
          i++;
          continue;
        }
        const reason = JSON.stringify({ text: `The waiting room "${name}" stopped working; please reconnect.` });
        this.exit({ tag: 'kicked', val: reason });
        s.disconnect(reason);
        return;
      }
      const outcome = end.val;
      switch (outcome.tag) {
        case 'accept':
          i++;
          continue;
        case 'deny':
          s.ctx.log('info', `${s.who}: denied by limbo handler "${name}"`);
          this.exit(this.timedOut ? { tag: 'timed-out' } : { tag: 'kicked', val: outcome.val });
          s.disconnect(outcome.val);
          return;
        case 'redirect':
          this.exit(this.timedOut ? { tag: 'timed-out' } : { tag: 'redirected' }, outcome.val);
          return this.goTo(outcome.val, `redirected by limbo handler "${name}"`);
        case 'send-to-limbo':
          this.exit({ tag: 'sent-to-limbo', val: outcome.val });
          this.entry = { handlers: outcome.val, context: { tag: 'plugin-redirect', val: undefined }, target: this.entry.target };
          this.announceEntry();
          i = 0;
          continue;
      }
    }
    this.exit({ tag: 'disconnected' });
  }

  /** Runs one handler from limbo-on-player-enter until its session ends. */
  private runHandler(name: string): Promise<RunEnd> {
    const { s } = this;
    const sessions = s.ctx.limbo;
    const dispatcher = sessions.dispatcher;
    return new Promise<RunEnd>((resolve) => {
      let ended = false;
      let holding = false;
      let completed: HandlerResult | undefined;
      let timer: NodeJS.Timeout | undefined;
      const run = sessions.add((id) => ({
        id,
        handler: name,
        playerId: s.playerId,
        profile: s.profile,
        entryContext: this.entry.context,
        message: (component: Component, actionBar: boolean) => !ended && this.act({ kind: actionBar ? 'action-bar' : 'message', component }),
        title: (title: TitleData) => !ended && this.act({ kind: 'title', title }),
        complete: (outcome: HandlerResult) => {
          if (ended) return;
          if (!holding) completed ??= outcome; // during limbo-on-player-enter: applied when it returns
          else settle(outcome);
        },
        cancelled: () => ended,
        abandon: (why: string, deny?: string) => end(deny ? { tag: 'outcome', val: { tag: 'deny', val: deny }, reason: 'kicked' } : { tag: 'failed', why }),
        shutdown: () => end({ tag: 'gone', reason: 'shutdown' }),
        end: (e: RunEnd) => end(e),
      })) as LimboRun & { id: bigint; end(e: RunEnd): void };
      this.run = run;
      const end = (e: RunEnd) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        sessions.remove(run.id);
        if (this.run === run) this.run = undefined;
        const reason = e.tag === 'outcome' ? e.reason : e.tag === 'gone' ? e.reason : undefined;
        if (e.tag === 'gone' && e.reason === 'disconnected') void dispatcher.disconnect(name, s.playerId);
        // A failed handler's plugin is gone or poisoned: nothing to tell it.
        if (reason) void dispatcher.sessionEnd(name, s.playerId, reason);
        resolve(e);
      };
      const settle = (result: HandlerResult) => {
        if (result.tag === 'hold') return void (holding = true);
        if (result.tag === 'hold-with-timeout') {
          holding = true;
          clearTimeout(timer);
          const ms = Number(result.val.afterMs);
          timer = setTimeout(() => end({ tag: 'outcome', val: result.val.onTimeout, reason: 'timed-out' }), ms);
          return;
        }
        const reason: SessionEndReason = result.tag === 'accept' ? 'released' : result.tag === 'deny' ? 'kicked' : 'redirected';
        end({ tag: 'outcome', val: result, reason });
      };
      dispatcher.enter(name, run.id).then(
        (answer) => {
          if (ended) return;
          if (answer.tag === 'skip') {
            s.ctx.log('warn', `${s.who}: limbo handler "${name}" skipped: ${answer.why}`);
            return end({ tag: 'outcome', val: { tag: 'accept' }, reason: 'released' });
          }
          if (answer.tag === 'failed') return end({ tag: 'failed', why: answer.why });
          settle(answer.val);
          // complete() called during the enter call decides a hold at once.
          if (holding && completed) settle(completed);
        },
        (err: unknown) => end({ tag: 'failed', why: (err as Error).message }),
      );
    });
  }

  /** Messages and titles from a limbo session: sent at once (the client is in the limbo world). */
  private act(action: PlayerAction): boolean {
    return this.s.act(action) === undefined;
  }

  /** Leaves limbo for a server; a failed connection disconnects with why. */
  private async goTo(server: ServerId | undefined, why: string): Promise<void> {
    const { s } = this;
    this.leave();
    if (!server) {
      s.disconnect(JSON.stringify({ text: 'There is no server to send you to.' }));
      return;
    }
    s.ctx.log('info', `${s.who}: leaves limbo for ${server} (${why})`);
    const failed = await s.switchTo(server);
    if (!failed || s.closed) return;
    const reason = failed.tag === 'switch-failed' || failed.tag === 'server-not-found' ? failed.val : failed.tag;
    s.ctx.log('warn', `${s.who}: could not leave limbo for ${server}: ${reason}`);
    s.disconnect(JSON.stringify({ text: `Could not connect to ${server}: ${reason}` }));
  }

  /** Stops serving the limbo (keep-alives, frame handling). */
  private leave(): void {
    if (this.over) return;
    this.over = true;
    clearInterval(this.keepAliveTimer);
    if (this.s.limbo === this) this.s.limbo = undefined;
  }

  /** Something else moved the player to a server (a plugin's switch-server): the handler is let go. */
  moved(): void {
    this.run?.end({ tag: 'gone', reason: 'redirected' });
    this.leave();
  }

  /** The client closed: the holding handler hears limbo-on-disconnect and session-end(disconnected). */
  clientClosed(): void {
    this.run?.end({ tag: 'gone', reason: 'disconnected' });
    this.configured();
    this.leave();
  }
}
