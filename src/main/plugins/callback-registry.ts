// Commands registered through command-manager and tasks created through scheduler. Both hold
// guest-chosen callback ids that the host passes back unchanged.

export interface RegisteredCommand {
  pluginId: string;
  name: string;
  aliases: string[];
  description: string;
  callbackId: bigint;
  /** The whole command-spec of a 0.3.0 registration. */
  spec?: { name: string; aliases: string[]; description: string; usage?: string; permission?: string; hidden: boolean };
}

export class CommandRegistry {
  private readonly commands = new Map<string, RegisteredCommand>();
  /** Told after the table changed (players' command trees are sent again). */
  private readonly listeners = new Set<() => void>();

  register(cmd: RegisteredCommand): void {
    this.commands.set(cmd.name.toLowerCase(), cmd);
    this.changed();
  }

  unregister(pluginId: string, name: string): void {
    const cmd = this.commands.get(name.toLowerCase());
    if (cmd?.pluginId !== pluginId) return;
    this.commands.delete(name.toLowerCase());
    this.changed();
  }

  forget(pluginId: string): void {
    let removed = false;
    for (const [key, cmd] of this.commands) if (cmd.pluginId === pluginId) removed = this.commands.delete(key);
    if (removed) this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  find(word: string): RegisteredCommand | undefined {
    const w = word.toLowerCase();
    return this.commands.get(w) ?? [...this.commands.values()].find((c) => c.aliases.some((a) => a.toLowerCase() === w));
  }

  list(): RegisteredCommand[] {
    return [...this.commands.values()];
  }
}

export type FireTask = (pluginId: string, callbackId: bigint) => void;

export class Scheduler {
  private readonly tasks = new Map<bigint, { pluginId: string; timer: NodeJS.Timeout }>();
  private nextHandle = 1n;

  constructor(private readonly fire: FireTask) {}

  /** `initialDelayMs` (0.3.0 intervals): the first run comes after it instead of after one period. */
  schedule(pluginId: string, ms: bigint, callbackId: bigint, repeat: boolean, initialDelayMs?: bigint): bigint {
    const handle = this.nextHandle++;
    // Timers take at most 2^31-1 ms; a zero interval would spin the event loop.
    const clamp = (v: bigint, min: number) => Math.min(Math.max(Number(v), min), 2 ** 31 - 1);
    const delay = clamp(ms, repeat ? 1 : 0);
    const run = (): void => {
      if (!repeat) this.tasks.delete(handle);
      this.fire(pluginId, callbackId);
    };
    if (repeat && initialDelayMs !== undefined) {
      const first = setTimeout(() => {
        if (!this.tasks.has(handle)) return;
        run();
        const timer = setInterval(run, delay);
        timer.unref();
        this.tasks.set(handle, { pluginId, timer });
      }, clamp(initialDelayMs, 0));
      first.unref();
      this.tasks.set(handle, { pluginId, timer: first });
      return handle;
    }
    const timer = repeat ? setInterval(run, delay) : setTimeout(run, delay);
    timer.unref();
    this.tasks.set(handle, { pluginId, timer });
    return handle;
  }

  cancel(pluginId: string, handle: bigint): void {
    const task = this.tasks.get(handle);
    if (task?.pluginId !== pluginId) return;
    clearTimeout(task.timer);
    this.tasks.delete(handle);
  }

  forget(pluginId: string): void {
    for (const [handle, task] of this.tasks) if (task.pluginId === pluginId) this.cancel(pluginId, handle);
  }

  count(pluginId: string): number {
    return [...this.tasks.values()].filter((t) => t.pluginId === pluginId).length;
  }
}
