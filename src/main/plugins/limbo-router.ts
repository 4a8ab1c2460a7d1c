// Plugins' limbo handlers by name, and the limbo-on-* calls the proxy makes through them. A handler of a
// plugin without the `limbo` capability never receives a session: it is skipped with a warning naming the
// handler and the missing capability. A call that traps or overruns poisons its plugin (as every export
// does); the router then reports the handler failed, and the proxy moves the player on.
// 0.3.0 handlers (§4.7): a name is registered once (`conflict` after), the borrowed `limbo-session` is
// valid only during its call (`lent`), and a fault in limbo-on-player-enter or the loss of the instance
// holding a player denies the player with "Limbo handler unavailable". limbo-enter / limbo-exit go to
// 0.3.0 listeners.
import type { GameProfile } from '../contract/guest-types';
import type { EnterAnswer, HandlerResult, LimboDispatcher, LimboEntryContext, LimboExitReason, SessionEndReason } from '../contract/limbo-types';
import { RESOURCE_TAG, type ResourceRef } from '../guest/host-interfaces';
import type { GuestExport } from '../guest/worker-protocol';
import type { Ev, Limbo } from './v030/contract-030';
import { handlerResultFrom030, LIMBO_UNAVAILABLE, limboEnterEvent, limboExitEvent } from './v030/limbo-030';

interface Registration {
  pluginId: string;
  handler: bigint;
  contract: '0.2.3' | '0.3.0';
}

export interface LimboRouterHost {
  /** Calls an export of an enabled plugin; undefined when it failed (the plugin is then poisoned or logged). */
  call(pluginId: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
  /** Whether the plugin holds `limbo`. */
  granted(pluginId: string): boolean;
  /** The plugin's state and reason, to say why a call failed. */
  status(pluginId: string): string;
  warn(pluginId: string, message: string): void;
  /** Hands a 0.3.0-only observe event (limbo-enter, limbo-exit) to its listeners. */
  observe?(kind: string, event: Ev.Event): void;
}

const session = (id: bigint): ResourceRef => ({ [RESOURCE_TAG]: 'LimboSession', id });

export class LimboRouter implements LimboDispatcher {
  private readonly byName = new Map<string, Registration>();
  private readonly goneListeners: ((names: string[], why: string, deny?: string) => void)[] = [];
  /** Session ids lent to a 0.3.0 call right now: a borrowed limbo-session is valid only during its call. */
  private readonly lent = new Map<bigint, number>();

  constructor(private readonly host: LimboRouterHost) {}

  register(pluginId: string, name: string, handler: bigint): void {
    const holder = this.byName.get(name);
    if (holder && holder.pluginId !== pluginId) {
      this.host.warn(pluginId, `limbo handler "${name}" is already registered by ${holder.pluginId}; this registration replaces it`);
    }
    this.byName.set(name, { pluginId, handler, contract: '0.2.3' });
    if (!this.host.granted(pluginId)) {
      this.host.warn(pluginId, `limbo handler "${name}" will never receive a session: the plugin lacks the "limbo" capability`);
    }
  }

  /** 0.3.0 `register-limbo-handler` after the capability and quota checks: false when the name is taken. */
  register030(pluginId: string, name: string, handler: bigint): boolean {
    if (this.byName.has(name)) return false;
    this.byName.set(name, { pluginId, handler, contract: '0.3.0' });
    return true;
  }

  /**
   * Drops a plugin's handlers; players they held go on (the proxy hears `why`), or, held by a 0.3.0
   * handler, are denied (§4.7).
   */
  forget(pluginId: string, why: string): void {
    const mine = [...this.byName].filter(([, r]) => r.pluginId === pluginId);
    for (const [n] of mine) this.byName.delete(n);
    const tell = (names: string[], deny?: string) => {
      if (names.length > 0) for (const l of this.goneListeners) l(names, `plugin ${pluginId} stopped (${why})`, deny);
    };
    tell(mine.filter(([, r]) => r.contract === '0.2.3').map(([n]) => n));
    tell(mine.filter(([, r]) => r.contract === '0.3.0').map(([n]) => n), LIMBO_UNAVAILABLE);
  }

  /** Whether a 0.3.0 borrowed limbo-session with this id is inside its call now. */
  isLent(id: bigint): boolean {
    return this.lent.has(id);
  }

  entered(player: { id: bigint; profile: GameProfile }, handlers: string[], context: LimboEntryContext): void {
    this.host.observe?.('limbo-enter', limboEnterEvent(player, handlers, context));
  }

  exited(player: { id: bigint; profile: GameProfile }, reason: LimboExitReason, nextServer: string | undefined): void {
    this.host.observe?.('limbo-exit', limboExitEvent(player, reason, nextServer));
  }

  handlers(pluginId: string): string[] {
    return [...this.byName].filter(([, r]) => r.pluginId === pluginId).map(([n]) => n);
  }

  owner(name: string): string | undefined {
    return this.byName.get(name)?.pluginId;
  }

  onGone(listener: (names: string[], why: string, deny?: string) => void): void {
    this.goneListeners.push(listener);
  }

  async enter(name: string, id: bigint): Promise<EnterAnswer> {
    const r = this.byName.get(name);
    if (!r) return { tag: 'skip', why: `no enabled plugin registered the limbo handler "${name}"` };
    if (!this.host.granted(r.pluginId)) {
      const why = `limbo handler "${name}" of plugin ${r.pluginId} needs the "limbo" capability`;
      this.host.warn(r.pluginId, `${why}; the player was not given to it`);
      return { tag: 'skip', why };
    }
    if (r.contract === '0.3.0') {
      const result = (await this.lend(id, () => this.host.call(r.pluginId, 'limboOnPlayerEnter', [r.handler, session(id)]))) as Limbo.HandlerResult | undefined;
      if (!result) this.host.warn(r.pluginId, `limbo handler "${name}" could not answer (${this.host.status(r.pluginId)}): the player is denied`);
      return { tag: 'result', val: result ? handlerResultFrom030(result) : { tag: 'deny', val: LIMBO_UNAVAILABLE } };
    }
    const result = (await this.host.call(r.pluginId, 'limboOnPlayerEnter', [r.handler, session(id)])) as HandlerResult | undefined;
    if (!result) return { tag: 'failed', why: `plugin ${r.pluginId}: ${this.host.status(r.pluginId)}` };
    return { tag: 'result', val: result };
  }

  private async lend<V>(id: bigint, call: () => Promise<V>): Promise<V> {
    this.lent.set(id, (this.lent.get(id) ?? 0) + 1);
    try {
      return await call();
    } finally {
      const n = this.lent.get(id)! - 1;
      if (n > 0) this.lent.set(id, n);
      else this.lent.delete(id);
    }
  }

  async chat(name: string, id: bigint, message: string): Promise<void> {
    await this.notify(name, 'limboOnChat', (h) => [h, session(id), message], id);
  }

  async command(name: string, id: bigint, command: string, args: string[]): Promise<void> {
    await this.notify(name, 'limboOnCommand', (h) => [h, session(id), command, args], id);
  }

  async disconnect(name: string, player: bigint): Promise<void> {
    await this.notify(name, 'limboOnDisconnect', (h) => [h, player]);
  }

  async sessionEnd(name: string, player: bigint, reason: SessionEndReason): Promise<void> {
    await this.notify(name, 'limboOnSessionEnd', (h) => [h, player, reason]);
  }

  private async notify(name: string, fn: GuestExport, args: (handler: bigint) => unknown[], lentId?: bigint): Promise<void> {
    const r = this.byName.get(name);
    if (!r || !this.host.granted(r.pluginId)) return;
    if (r.contract === '0.3.0' && lentId !== undefined) await this.lend(lentId, () => this.host.call(r.pluginId, fn, args(r.handler)));
    else await this.host.call(r.pluginId, fn, args(r.handler));
  }
}
