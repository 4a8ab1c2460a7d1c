// The decoding proxy modes against passthrough, in the same run, with real minecraft-protocol peers in a
// child process (bench/mc-peers.cjs) so their CPU and memory are not the proxy's:
//   - host memory per idle player: 500 real clients joined through an `offline` server of a proxy running in
//     a process of its own (bench/proxy-modes-host.ts), RSS and JS heap + external after GC;
//   - download throughput: a backend streams 32 KB packets (compressed, as chunk data is) to one client,
//     through an `offline` server and through a `passthrough` one, alternating; ratio offline / passthrough;
//   - switch time: switch-server call → the client's first packet from the new backend (1.21.4 through the
//     configuration phase, 1.8.9 with the respawn technique), p50 and p99;
// Measuring is kept plain (best of alternating rounds) so it can move onto a shared A/B helper.
//
// Run: npm run bench modes, or npx tsx bench/proxy-modes.ts [MB per round]

import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventDispatcher } from '../src/main/contract/guest-types.ts';
import { createProxy, type Proxy } from '../src/main/proxy/proxy.ts';
import { compare } from './compare.ts';
import { reportAbsolute, reportComparison } from './goals.ts';
import { percentile as pct, spread } from './stats.ts';

/** Download pairs (passthrough, offline) kept for the throughput figure, after one warm-up pair. */
const PAIRS = 8;
const SWITCHES = 60;
const IDLE_PLAYERS = 500;
const quiet: EventDispatcher = { hasListeners: () => false, dispatch: async () => [] };

interface Peers {
  call<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  stop(): void;
}

function startPeers(): Peers {
  const child: ChildProcess = fork(fileURLToPath(new URL('./mc-peers.cjs', import.meta.url)), { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.value);
    else w?.reject(new Error(m.error));
  });
  return {
    call: <T>(cmd: string, args: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, ...args });
      }),
    stop: () => child.kill(),
  };
}

/** The proxy in a process of its own (bench/proxy-modes-host.ts), answering settled memory figures. */
async function startHostProcess(dir: string): Promise<{ port: number; memory(): Promise<{ rss: number; heap: number }>; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./proxy-modes-host.ts', import.meta.url)), [dir], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { ready: number }) => resolve(m.ready)));
  let next = 0;
  return {
    port,
    memory: () =>
      new Promise((resolve) => {
        const id = next++;
        const onMessage = (m: { id: number; value: { rss: number; heap: number } }) => {
          if (m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.value);
        };
        child.on('message', onMessage);
        child.send({ id, cmd: 'memory' });
      }),
    stop: () => child.kill(),
  };
}

export async function startModesProxy(dir: string): Promise<{ proxy: Proxy; port: number }> {
  const proxy = createProxy({
    settings: {
      bind: '127.0.0.1:0',
      serversDir: join(dir, 'servers'),
      connectTimeoutMs: 5000,
      maxConnections: 10_000,
      unknownDomainBehavior: 'drop',
      defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
      dataDir: join(dir, 'data'),
      sessionServer: 'http://127.0.0.1:1',
    },
    dispatcher: quiet,
    log: () => undefined,
    probeIntervalMs: 3_600_000,
  });
  const { port } = await proxy.start();
  return { proxy, port };
}

const f = (n: number, digits: number) => n.toFixed(digits);

export async function benchProxyModes(MB = 16): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'modes-bench-'));
  await mkdir(join(dir, 'servers'));
  const peers = startPeers();
  const bytes = MB * 1024 * 1024;
  const stream = await peers.call<{ port: number }>('backend', { version: '1.21.4', downloadBytes: bytes });
  const [a21, b21, a18, b18] = await Promise.all([
    peers.call<{ port: number }>('backend', { version: '1.21.4' }),
    peers.call<{ port: number }>('backend', { version: '1.21.4' }),
    peers.call<{ port: number }>('backend', { version: '1.8.9' }),
    peers.call<{ port: number }>('backend', { version: '1.8.9' }),
  ]);
  const server = (id: string, port: number, mode: string) =>
    writeFile(join(dir, 'servers', `${id}.toml`), `domains = ["${id}.test"]\naddresses = ["127.0.0.1:${port}"]\nproxy_mode = "${mode}"\n`);
  await server('pass', stream.port, 'passthrough');
  await server('off', stream.port, 'offline');
  await server('a21', a21.port, 'offline');
  await server('b21', b21.port, 'offline');
  await server('a18', a18.port, 'offline');
  await server('b18', b18.port, 'offline');
  const { proxy, port } = await startModesProxy(dir);
  console.log(`proxy modes bench: Node ${process.version}, minecraft-protocol peers in a child process`);

  // ---- memory per idle player, in a proxy process of its own ----
  const host = await startHostProcess(dir);
  // One player first, so codecs compiled once per version are not counted per player.
  await peers.call('join', { port: host.port, host: 'a21.test', version: '1.21.4', username: 'warmup' });
  const before = await host.memory();
  const { joined } = await peers.call<{ joined: number }>('idle', { port: host.port, host: 'a21.test', version: '1.21.4', count: IDLE_PLAYERS, concurrency: 25 });
  const during = await host.memory();
  await peers.call('leaveAll');
  const after = await host.memory();
  // V8 hands pages back lazily: RSS before the players came can still hold start-up garbage, so the cost per
  // player is taken between "with them" and "after they left" (both after the same activity).
  const kb = (bytes: number) => f(bytes / joined / 1024, 0);
  const perPlayerKb = (during.rss - after.rss) / joined / 1024;
  console.log(
    `memory with ${joined} idle 1.21.4 players in offline mode (proxy in its own process): RSS ${f(before.rss / 2 ** 20, 0)} before, ${f(during.rss / 2 ** 20, 0)} with them, ${f(after.rss / 2 ** 20, 0)} MiB after they left; JS heap + external ${kb(during.heap - after.heap)} KB per player`,
  );
  // One measurement of 500 players: its spread is nil, the figure is what it is.
  reportAbsolute('modes', `RSS per idle player (${joined} real clients, offline)`, spread([perPlayerKb]), 1, 'KB', { on: 'absolute', max: 200, note: 'issue 13' });
  host.stop();

  // ---- throughput: the same backend stream through each mode, interleaved ----
  const download = (host: string) => async () => {
    const r = await peers.call<{ ms: number; bytes: number }>('download', { port, host, version: '1.21.4', bytes });
    return r.bytes / 1024 / 1024 / (r.ms / 1000);
  };
  const c = await compare(download('pass.test'), download('off.test'), { pairs: PAIRS, warmup: 1 });
  reportComparison('modes', `download ${MB} MB of 32 KB packets (1.21.4): offline / passthrough`, c, {
    goal: { on: 'ratio', min: 0.7, note: 'issue 13' },
    beside: `passthrough ${f(c.a.median, 0)} MB/s, offline ${f(c.b.median, 0)} MB/s`,
  });

  // ---- switch time ----
  for (const [version, a, b] of [['1.21.4', 'a21', 'b21'], ['1.8.9', 'a18', 'b18']] as const) {
    const username = `sw${version.replaceAll('.', '')}`;
    await peers.call('join', { port, host: `${a}.test`, version, username });
    const id = proxy.players.getByUsername(username)!.id;
    const times: number[] = [];
    for (let i = 0; i < SWITCHES; i++) {
      const arrived = peers.call<{ at: number }>('nextServerPacket', { username });
      const t0 = performance.timeOrigin + performance.now();
      const failed = await proxy.players.act(id, { kind: 'switch', server: i % 2 === 0 ? b : a });
      if (failed) throw new Error(`switch failed: ${JSON.stringify(failed)}`);
      times.push((await arrived).at - t0);
    }
    reportAbsolute('modes', `switch ${version} (${SWITCHES} moves between two backends)`, spread(times), times.length, 'ms', { on: 'absolute', max: 100, note: 'issue 13: p50 under 100 ms' });
    console.log(`  p99 ${f(pct(times, 0.99), 1)} ms`);
  }

  await proxy.stop();
  peers.stop();
  await rm(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProxyModes(Number(process.argv[2] ?? 16));
