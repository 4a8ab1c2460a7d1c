// Plugins' limbo handlers by name, and the limbo-on-* calls the proxy makes through them. A handler of a
// plugin without the `limbo` capability never receives a session: it is skipped with a warning naming the
// handler and the missing capability. A call that traps or overruns poisons its plugin (as every export
// does); the router then reports the handler failed, and the proxy moves the player on.
import type { EnterAnswer, HandlerResult, LimboDispatcher, SessionEndReason } from '../contract/limbo-types';
import { RESOURCE_TAG, type ResourceRef } from '../guest/host-interfaces';
import type { GuestExport } from '../guest/worker-protocol';

interface Registration {
  pluginId: string;
  handler: bigint;
}

export interface LimboRouterHost {
  /** Calls an export of an enabled plugin; undefined when it failed (the plugin is then poisoned or logged). */
  call(pluginId: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
  /** Whether the plugin holds `limbo`. */
  granted(pluginId: string): boolean;
  /** The plugin's state and reason, to say why a call failed. */
  status(pluginId: string): string;
  warn(pluginId: string, message: string): void;
}

const session = (id: bigint): ResourceRef => ({ [RESOURCE_TAG]: 'LimboSession', id });

export class LimboRouter implements LimboDispatcher {
  private readonly byName = new Map<string, Registration>();
  private readonly goneListeners: ((names: string[], why: string) => void)[] = [];

  constructor(private readonly host: LimboRouterHost) {}

  register(pluginId: string, name: string, handler: bigint): void {
    const holder = this.byName.get(name);
    if (holder && holder.pluginId !== pluginId) {
      this.host.warn(pluginId, `limbo handler "${name}" is already registered by ${holder.pluginId}; this registration replaces it`);
    }
    this.byName.set(name, { pluginId, handler });
    if (!this.host.granted(pluginId)) {
      this.host.warn(pluginId, `limbo handler "${name}" will never receive a session: the plugin lacks the "limbo" capability`);
    }
  }

  /** Drops a plugin's handlers; players they held go on (the proxy hears `why`). */
  forget(pluginId: string, why: string): void {
    const names = [...this.byName].filter(([, r]) => r.pluginId === pluginId).map(([n]) => n);
    for (const n of names) this.byName.delete(n);
    if (names.length > 0) for (const l of this.goneListeners) l(names, `plugin ${pluginId} stopped (${why})`);
  }

  handlers(pluginId: string): string[] {
    return [...this.byName].filter(([, r]) => r.pluginId === pluginId).map(([n]) => n);
  }

  owner(name: string): string | undefined {
    return this.byName.get(name)?.pluginId;
  }

  onGone(listener: (names: string[], why: string) => void): void {
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
    const result = (await this.host.call(r.pluginId, 'limboOnPlayerEnter', [r.handler, session(id)])) as HandlerResult | undefined;
    if (!result) return { tag: 'failed', why: `plugin ${r.pluginId}: ${this.host.status(r.pluginId)}` };
    return { tag: 'result', val: result };
  }

  async chat(name: string, id: bigint, message: string): Promise<void> {
    await this.notify(name, 'limboOnChat', (h) => [h, session(id), message]);
  }

  async command(name: string, id: bigint, command: string, args: string[]): Promise<void> {
    await this.notify(name, 'limboOnCommand', (h) => [h, session(id), command, args]);
  }

  async disconnect(name: string, player: bigint): Promise<void> {
    await this.notify(name, 'limboOnDisconnect', (h) => [h, player]);
  }

  async sessionEnd(name: string, player: bigint, reason: SessionEndReason): Promise<void> {
    await this.notify(name, 'limboOnSessionEnd', (h) => [h, player, reason]);
  }

  private async notify(name: string, fn: GuestExport, args: (handler: bigint) => unknown[]): Promise<void> {
    const r = this.byName.get(name);
    if (r && this.host.granted(r.pluginId)) await this.host.call(r.pluginId, fn, args(r.handler));
  }
}
