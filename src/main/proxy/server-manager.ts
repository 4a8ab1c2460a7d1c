// The local server manager: for each server whose file has `[server_manager] type = "local"`, the
// lifecycle stopped → starting → running → stopping → stopped, and crashed when the process exits on its
// own or never prints its ready line within start_timeout. Starts come from a player joining, a plugin
// (`server-manager.start`), the panel or the console; an idle server (nobody on it for shutdown_after)
// stops by itself. Players waiting for it to start (in limbo or on another server) count as on it until
// they arrive or go elsewhere, so a short shutdown_after cannot stop it before they land. Only the operator's configured command ever runs: callers name a server, never a
// command. Every process is stopped when the proxy stops, and killed if the host process exits first.

import { mkdirSync } from 'node:fs';
import type { PlayerId, ServerState } from '../contract/guest-types.ts';
import type { ProxyLog } from './proxy-log.ts';
import type { ServerDefinition } from './server-file.ts';
import { ServerLog } from './server-log.ts';
import { describeExit, ServerProcess, type ProcessExit } from './server-process.ts';

export type ManagedState = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed';

/** Both contracts' `server-state` (the same enum in 0.2.3 and 0.3.0): a stopped managed server sleeps. */
export const CONTRACT_STATE: Record<ManagedState, ServerState> = {
  stopped: 'sleeping',
  starting: 'starting',
  running: 'online',
  stopping: 'stopping',
  crashed: 'crashed',
};

export type ManageResult = { ok: true } | { ok: false; kind: 'not-found' | 'unsupported' | 'failed'; message: string };

export interface ManagedView {
  state: ManagedState;
  pid: number | null;
  /** How the last run ended ("exit code 3", "killed by SIGKILL", "no ready line within 60 s"), or null. */
  lastExit: string | null;
  logFile: string;
}

export interface ServerManagerOptions {
  get(id: string): ServerDefinition | undefined;
  list(): ServerDefinition[];
  /** Players on the server now (the idle timer runs while this is 0). */
  playersOn(id: string): number;
  logDir: string;
  log: ProxyLog;
  onState(server: string, oldState: ManagedState, newState: ManagedState): void;
}

interface Entry {
  state: ManagedState;
  process: ServerProcess | undefined;
  log: ServerLog;
  lastExit: string | null;
  /** Why the start is being abandoned (no ready line in time), told with the exit. */
  abandoned: string | undefined;
  /** The start under way: every caller waits on the same one. */
  starting: Promise<ManageResult> | undefined;
  stopping: Promise<ManageResult> | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

export class ServerManager {
  private readonly entries = new Map<string, Entry>();
  /** Per server, the players waiting for it to start (server-wake.ts). */
  private readonly heading = new Map<string, Set<PlayerId>>();
  private closed = false;
  private exitHooked = false;
  private readonly killAll = () => {
    for (const e of this.entries.values()) e.process?.kill();
  };

  constructor(private readonly o: ServerManagerOptions) {}

  manages(id: string): boolean {
    return this.o.get(id)?.manager !== undefined;
  }

  state(id: string): ManagedState | undefined {
    return this.manages(id) ? (this.entries.get(id)?.state ?? 'stopped') : undefined;
  }

  view(id: string): ManagedView | undefined {
    if (!this.manages(id)) return undefined;
    const e = this.entry(id);
    return { state: e.state, pid: e.process?.running ? (e.process.pid ?? null) : null, lastExit: e.lastExit, logFile: e.log.file };
  }

  logTail(id: string, lines?: number): string[] | undefined {
    return this.manages(id) ? this.entry(id).log.tail(lines) : undefined;
  }

  /** Resolves once the server is running (or failed to start). */
  async start(id: string): Promise<ManageResult> {
    const refused = this.refusal(id);
    if (refused) return refused;
    const e = this.entry(id);
    if (e.state === 'running') return { ok: true };
    if (e.starting) return e.starting;
    if (e.stopping) await e.stopping;
    if (this.closed) return { ok: false, kind: 'failed', message: 'the proxy is stopping' };
    e.starting ??= this.launch(id, e).finally(() => (e.starting = undefined));
    return e.starting;
  }

  /** Resolves once the process has exited. Stopping a stopped or crashed server is a no-op. */
  async stop(id: string, why = 'asked to stop'): Promise<ManageResult> {
    const refused = this.refusal(id);
    if (refused) return refused;
    const e = this.entry(id);
    if (e.stopping) return e.stopping;
    if (!e.process?.running) return { ok: true };
    e.stopping = this.halt(id, e, why).finally(() => (e.stopping = undefined));
    return e.stopping;
  }

  /** A player waits for `id` to start: they count for its idle timer until `arrived` lets them go. */
  expect(id: string, player: PlayerId): void {
    let set = this.heading.get(id);
    if (!set) this.heading.set(id, (set = new Set()));
    set.add(player);
  }

  /** The player reached a server, left the proxy or gave up waiting (`id` undefined: every server). */
  arrived(player: PlayerId, id?: string): void {
    for (const [server, set] of this.heading) {
      if (id !== undefined && server !== id) continue;
      if (set.delete(player) && set.size === 0) this.heading.delete(server);
      this.playersChanged(server);
    }
  }

  /** Players on the server plus those waiting for it. */
  private present(id: string): number {
    return this.o.playersOn(id) + (this.heading.get(id)?.size ?? 0);
  }

  /** The player count of a server changed: arms or clears its idle timer. */
  playersChanged(id: string): void {
    const e = this.entries.get(id);
    const after = this.o.get(id)?.manager?.shutdownAfterMs ?? 0;
    if (!e || e.state !== 'running' || after === 0 || this.present(id) > 0) {
      if (e) clearTimeout(e.idleTimer);
      if (e) e.idleTimer = undefined;
      return;
    }
    if (e.idleTimer) return;
    e.idleTimer = setTimeout(() => {
      e.idleTimer = undefined;
      if (e.state === 'running' && this.present(id) === 0) void this.stop(id, `nobody on it for ${after / 1000} s`);
    }, after);
    e.idleTimer.unref();
  }

  /** servers_dir changed: a server that is gone or no longer managed has its process stopped. */
  sync(): void {
    for (const [id, e] of this.entries) {
      if (this.manages(id)) continue;
      if (e.process?.running) void this.halt(id, e, 'its server file no longer configures it');
      else {
        e.log.close();
        this.entries.delete(id);
      }
    }
  }

  /** Stops every process (each with its own grace period) and waits for all to exit. */
  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries].map(([id, e]) => (e.process?.running ? (e.stopping ?? this.halt(id, e, 'the proxy is stopping')) : undefined)));
    for (const e of this.entries.values()) {
      clearTimeout(e.idleTimer);
      e.log.close();
    }
    process.removeListener('exit', this.killAll);
    this.exitHooked = false;
  }

  private refusal(id: string): ManageResult | undefined {
    const def = this.o.get(id);
    if (!def) return { ok: false, kind: 'not-found', message: `no server "${id}"` };
    if (!def.manager) return { ok: false, kind: 'unsupported', message: `server "${id}" has no [server_manager] in its file` };
    if (this.closed) return { ok: false, kind: 'failed', message: 'the proxy is stopping' };
    return undefined;
  }

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = {
        state: 'stopped',
        process: undefined,
        log: new ServerLog(this.o.logDir, id, (m) => this.o.log('warn', `servers: ${id}: ${m}`)),
        lastExit: null,
        abandoned: undefined,
        starting: undefined,
        stopping: undefined,
        idleTimer: undefined,
      };
      this.entries.set(id, e);
    }
    return e;
  }

  private set(id: string, e: Entry, next: ManagedState): void {
    const old = e.state;
    if (old === next) return;
    e.state = next;
    this.o.log(next === 'crashed' ? 'warn' : 'info', `servers: ${id} is ${next}${next === 'crashed' && e.lastExit ? ` (${e.lastExit})` : ''}`);
    this.o.onState(id, old, next);
    this.playersChanged(id);
  }

  private async launch(id: string, e: Entry): Promise<ManageResult> {
    const s = this.o.get(id)!.manager!;
    this.set(id, e, 'starting');
    e.log.add(`[manager] starting: ${[s.command, ...s.args].map((a) => JSON.stringify(a)).join(' ')} in ${s.workingDir}`);
    let ready!: () => void;
    const readySeen = new Promise<void>((resolve) => (ready = resolve));
    let proc: ServerProcess;
    try {
      mkdirSync(this.o.logDir, { recursive: true });
      proc = await ServerProcess.launch(s, e.log, () => ready());
    } catch (err) {
      e.lastExit = (err as Error).message;
      e.log.add(`[manager] ${e.lastExit}`);
      this.set(id, e, 'crashed');
      return { ok: false, kind: 'failed', message: e.lastExit };
    }
    e.process = proc;
    // A host that exits without stopping the proxy (a crash, process.exit) still leaves nothing running.
    if (!this.exitHooked) process.once('exit', this.killAll);
    this.exitHooked = true;
    void proc.exited.then((exit) => this.exited(id, e, proc, exit));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), s.startTimeoutMs)));
    const first = await Promise.race([readySeen.then(() => 'ready' as const), proc.exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (first === 'ready' && proc.running && e.state === 'starting') {
      this.set(id, e, 'running');
      return { ok: true };
    }
    if (first === 'timeout' && proc.running && e.state === 'starting') {
      e.abandoned = `no ready line (${JSON.stringify(s.readyPattern)}) within ${s.startTimeoutMs / 1000} s`;
      e.log.add(`[manager] ${e.abandoned}: killing it`);
      proc.kill();
      await proc.exited;
    }
    if (e.state === 'stopping' || e.state === 'stopped') return { ok: false, kind: 'failed', message: `${id} was stopped while starting` };
    return { ok: false, kind: 'failed', message: `${id} failed to start: ${e.lastExit ?? 'it exited'}` };
  }

  private async halt(id: string, e: Entry, why: string): Promise<ManageResult> {
    const proc = e.process;
    if (!proc?.running) return { ok: true };
    const grace = this.o.get(id)?.manager?.shutdownTimeoutMs ?? 0;
    e.log.add(`[manager] stopping (${why})`);
    this.o.log('info', `servers: stopping ${id}: ${why}`);
    this.set(id, e, 'stopping');
    await proc.stop(grace);
    return { ok: true };
  }

  /** Every end of a process comes here once: after a stop it is stopped, otherwise it crashed. */
  private exited(id: string, e: Entry, proc: ServerProcess, exit: ProcessExit): void {
    if (e.process !== proc) return;
    e.process = undefined;
    const how = describeExit(exit);
    e.log.add(`[manager] process ${proc.pid} ended: ${how}`);
    if (e.state === 'stopping') {
      e.lastExit = how;
      this.set(id, e, 'stopped');
    } else {
      e.lastExit = e.abandoned ? `${e.abandoned}; ${how}` : how;
      this.set(id, e, 'crashed');
    }
    e.abandoned = undefined;
    if (!this.manages(id)) {
      e.log.close();
      this.entries.delete(id);
    }
  }
}
