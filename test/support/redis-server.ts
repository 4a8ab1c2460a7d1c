// A real redis-server (Debian's) on a free loopback port, without persistence, started and stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, until } from './minecraft-peers.ts';

export interface RedisServer {
  port: number;
  url: string;
  /** Stops it (SIGTERM); `start()` brings it back on the same port, empty. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that stops answering without closing its sockets. */
  freeze(): void;
  thaw(): void;
  output(): string;
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort());
  let child: ChildProcess | undefined;
  let output = '';
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    output = '';
    const c = spawn('/usr/bin/redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout!.on('data', (b: Buffer) => void (output += b.toString()));
    c.stderr!.on('data', (b: Buffer) => void (output += b.toString()));
    exited = new Promise((r) => c.once('exit', () => r()));
    await until(`redis-server on ${p}`, () => /Ready to accept connections/.test(output) || c.exitCode !== null, 10_000);
    if (c.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
  };
  await start();
  return {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    output: () => output,
    start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async stop() {
      if (child && child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
