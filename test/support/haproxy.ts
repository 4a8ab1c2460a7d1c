// A real HAProxy (Debian's /usr/sbin/haproxy) in TCP mode in front of the proxy, started with a generated
// config on a free loopback port and stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './minecraft-peers.ts';

export interface HaProxy {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Balances `backends` (loopback ports) round-robin; `sendProxy`: the server option, e.g. "send-proxy-v2" or "send-proxy". */
export async function startHaProxy(backends: number[], sendProxy = 'send-proxy-v2'): Promise<HaProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'haproxy-'));
  const port = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(
    cfg,
    [
      'global',
      '  maxconn 256',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      'frontend minecraft',
      `  bind 127.0.0.1:${port}`,
      '  default_backend proxies',
      'backend proxies',
      '  balance roundrobin',
      ...backends.map((p, i) => `  server p${i} 127.0.0.1:${p} ${sendProxy}`),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/sbin/haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => void (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => void (output += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitForPort(port, 10_000).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${output}`);
  });
  return {
    port,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once something accepts on the loopback port; rejects after `timeoutMs`. */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${port}`);
}
