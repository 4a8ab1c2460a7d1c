// One run of a managed server's configured command: spawned without a shell (the operator's executable
// and arguments only), its stdout and stderr read line by line into the server's log, "ready" when a
// stdout line contains the ready pattern. Stopping writes `stop` to stdin, then kills after the grace
// period. On POSIX the process leads a process group of its own, so a launcher script's children
// (the JVM) are killed with it.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { LocalManagerSettings } from './server-manager-config.ts';
import type { ServerLog } from './server-log.ts';

/** How long an exited server's output pipes get to drain before its exit is reported. */
const EXIT_DRAIN_MS = 1000;

/** A line longer than this without a newline is cut, so output with no newlines cannot grow memory. */
const MAX_PENDING_CHARS = 16 * 1024;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(e: ProcessExit): string {
  return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
}

export class ServerProcess {
  private readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;
  private readyNow = false;

  /** Throws when the command cannot be spawned at all (missing executable or working folder). */
  static async launch(s: LocalManagerSettings, log: ServerLog, onReady: () => void): Promise<ServerProcess> {
    const p = new ServerProcess(s, log, onReady);
    await p.spawned();
    return p;
  }

  private constructor(
    private readonly s: LocalManagerSettings,
    private readonly log: ServerLog,
    private readonly onReady: () => void,
  ) {
    this.child = spawn(s.command, s.args, {
      cwd: s.workingDir,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        // Its last lines (a crash's stack trace, "Stopping the server") may still be in the pipes: 'close' comes
        // once they are read, unless a process it started keeps them open — then a second is all they get.
        const drained = new Promise<void>((done) => {
          this.child.once('close', () => done());
          setTimeout(done, EXIT_DRAIN_MS).unref();
        });
        void drained.then(() => {
          this.exitInfo = { code, signal };
          resolve(this.exitInfo);
        });
      });
    });
    this.child.stdin!.on('error', () => undefined); // a server that closed its stdin
    this.readLines(this.child.stdout!, (line) => {
      this.log.add(line);
      if (!this.readyNow && line.includes(this.s.readyPattern)) {
        this.readyNow = true;
        this.onReady();
      }
    });
    this.readLines(this.child.stderr!, (line) => this.log.add(`[stderr] ${line}`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  private spawned(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', (err) => {
        // After a successful spawn, 'error' means a failed kill or write: nothing to undo here.
        if (this.child.pid === undefined) reject(new Error(`cannot run ${JSON.stringify(this.s.command)} in ${this.s.workingDir}: ${err.message}`));
      });
    });
  }

  /** Writes `stop` to stdin and waits `graceMs`; kills the process group when it is still running. */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.child.stdin!.write('stop\n');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'kill'>((resolve) => (timer = setTimeout(() => resolve('kill'), graceMs)));
    const first = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);
    if (first !== 'kill') return first;
    this.log.add(`[manager] still running ${graceMs} ms after "stop": killing it`);
    this.kill();
    return this.exited;
  }

  /** SIGKILL to the whole process group (POSIX) or the process. */
  kill(): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-this.child.pid, 'SIGKILL');
      else this.child.kill('SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private readLines(stream: Readable, onLine: (line: string) => void): void {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
      }
      if (pending.length > MAX_PENDING_CHARS) {
        onLine(pending);
        pending = '';
      }
    });
    stream.on('end', () => {
      if (pending !== '') onLine(pending);
    });
    stream.on('error', () => undefined);
  }
}
