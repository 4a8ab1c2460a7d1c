// Throughput and connection set-up cost of the proxy (src/main/proxy) against a plain Node `net` pipe
// proxy, in the same run, on loopback:
//   - upload / download: one connection sends handshake + Login Start, then 200 MB of raw bytes one way;
//   - connection set-up: connect, handshake + Login Start, wait for the backend's first byte, close
//     (sequential for latency, 32 in parallel for connections per second);
//   - status pings per second answered by the proxy from a configured motd;
// first with no plugin listening, then with a real WASM plugin (test fixture `minimal`, loaded by the
// plugin runtime) subscribed to pre-login and proxy-ping.
// The clients and the sink backend run in a worker thread so the proxies have the main thread to themselves.
//
// Run: npm run bench proxy, or npx tsx bench/proxy-throughput.ts [MB]

import { copyFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventDispatcher } from '../src/main/contract/guest-types.ts';
import { encodeHandshake } from '../src/main/proxy/handshake.ts';
import { encodePacket, encodeString } from '../src/main/proxy/packet-codec.ts';
import { createProxy } from '../src/main/proxy/proxy.ts';
import { defaultHostConfig } from '../src/main/config/config-defaults.ts';
import { PluginManager } from '../src/main/plugins/plugin-manager.ts';
import { fixturePath } from '../test/fixtures/index.ts';
import { median, percentile as pct } from './stats.ts';

const ROUNDS = 5;
const SEQUENTIAL = 300;
const PARALLEL = { count: 3000, concurrency: 32 };
const STATUS = { count: 3000, concurrency: 32 };

// The load generator and the sink backend, as plain JS so the worker needs no TypeScript loader.
// Sink: answers the first bytes of every connection with one byte (what a backend's Login Success
// would be), counts what it receives, and in download mode then sends `downloadBytes`.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const { performance } = require('node:perf_hooks');
let mode = 'upload', downloadBytes = 0, received = 0, onReceived = null;
const chunk = Buffer.alloc(64 * 1024, 7);
function pump(socket, total, done) {
  let left = total;
  const go = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return socket.once('drain', go);
    }
    done && done();
  };
  go();
}
const sink = net.createServer({ noDelay: true }, (s) => {
  let first = true;
  s.on('error', () => {});
  s.on('data', (d) => {
    if (first) {
      first = false;
      s.write(Buffer.from([1]));
      if (mode === 'download') pump(s, downloadBytes);
      return;
    }
    received += d.length;
    if (onReceived) onReceived();
  });
});
sink.listen(0, '127.0.0.1', () => parentPort.postMessage({ sinkPort: sink.address().port }));

function open(port, prefix) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
    s.on('error', reject);
    s.on('connect', () => s.write(prefix));
    s.once('data', (d) => resolve({ s, first: d }));
  });
}
async function upload({ port, prefix, bytes }) {
  mode = 'upload'; received = 0;
  const { s } = await open(port, prefix);
  const t0 = performance.now();
  await new Promise((resolve) => { onReceived = () => received >= bytes && resolve(); pump(s, bytes); });
  onReceived = null;
  const ms = performance.now() - t0;
  s.destroy();
  return ms;
}
async function download({ port, prefix, bytes }) {
  mode = 'download'; downloadBytes = bytes;
  const t0 = performance.now();
  const { s, first } = await open(port, prefix);
  let got = first.length - 1;
  await new Promise((resolve) => { if (got >= bytes) resolve(); s.on('data', (d) => { got += d.length; if (got >= bytes) resolve(); }); });
  const ms = performance.now() - t0;
  s.destroy();
  return ms;
}
async function setup({ port, prefix, count, concurrency }) {
  mode = 'upload';
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next++ < count) {
      const t = performance.now();
      const { s } = await open(port, prefix);
      lat.push(performance.now() - t);
      s.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ms: performance.now() - t0, lat: lat.sort((a, b) => a - b) };
}
function statusOnce(port, prefix, pingPacket) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let buf = Buffer.alloc(0), answered = false;
    s.on('error', reject);
    s.on('connect', () => s.write(prefix));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!answered) {
        let len = 0, shift = 0, i = 0;
        for (; i < 3 && i < buf.length; i++) { len |= (buf[i] & 0x7f) << shift; shift += 7; if (!(buf[i] & 0x80)) break; }
        if (buf.length < i + 1 + len) return;
        answered = true; buf = buf.subarray(i + 1 + len); s.write(pingPacket);
      }
      if (answered && buf.length >= 10) { s.destroy(); resolve(); }
    });
  });
}
async function status({ port, prefix, ping, count, concurrency }) {
  let next = 0;
  const t0 = performance.now();
  const lane = async () => { while (next++ < count) await statusOnce(port, prefix, ping); };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ms: performance.now() - t0 };
}
const jobs = { upload, download, setup, status };
parentPort.on('message', async (m) => {
  try { parentPort.postMessage({ id: m.id, result: await jobs[m.job](m) }); }
  catch (err) { parentPort.postMessage({ id: m.id, error: String(err && err.stack || err) }); }
});
`;

interface SetupResult {
  ms: number;
  lat: number[];
}

function startWorker(): Promise<{ sinkPort: number; run: <T>(job: string, args: object) => Promise<T>; stop: () => Promise<number> }> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  return new Promise((resolve) => {
    worker.on('message', (m: { sinkPort?: number; id?: number; result?: never; error?: string }) => {
      if (m.sinkPort !== undefined) {
        resolve({
          sinkPort: m.sinkPort,
          run: <T>(job: string, args: object) =>
            new Promise<T>((res, rej) => {
              const id = ++seq;
              pending.set(id, { resolve: res as (v: never) => void, reject: rej });
              worker.postMessage({ id, job, ...args });
            }),
          stop: () => worker.terminate(),
        });
        return;
      }
      const p = pending.get(m.id!);
      pending.delete(m.id!);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result!);
    });
  });
}

/** The baseline: accept, connect to the backend, pipe both ways. */
function pipeProxy(backendPort: number): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, (client) => {
    const backend = connect({ port: backendPort, host: '127.0.0.1', noDelay: true });
    client.pipe(backend);
    backend.pipe(client);
    const close = () => {
      client.destroy();
      backend.destroy();
    };
    client.on('error', close).on('close', close);
    backend.on('error', close).on('close', close);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

const quiet: EventDispatcher = { hasListeners: () => false, dispatch: async () => [] };

const f = (n: number, d = 1) => n.toFixed(d);

/** The real plugin runtime with one WASM plugin subscribed to pre-login and proxy-ping. */
async function onePluginListening(dir: string): Promise<PluginManager> {
  await mkdir(join(dir, 'plugins'));
  await copyFile(fixturePath('minimal'), join(dir, 'plugins', 'minimal.wasm'));
  const m = new PluginManager({ config: { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') } });
  await m.loadAll();
  if (!m.events.hasListeners('pre-login') || !m.events.hasListeners('proxy-ping')) throw new Error('minimal did not subscribe');
  return m;
}

export async function benchProxy(MB = 200): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'proxy-bench-'));
  const plugins = await onePluginListening(dir);
  const w = await startWorker();
  const serversDir = join(dir, 'servers');
  await mkdir(serversDir);
  await writeFile(join(serversDir, 'bench.toml'), `domains = ["bench.test"]\naddresses = ["127.0.0.1:${w.sinkPort}"]\n`);
  await writeFile(join(serversDir, 'motd.toml'), `domains = ["motd.test"]\naddresses = ["127.0.0.1:${w.sinkPort}"]\nmotd = "Bench"\n`);

  const loginPrefix = Buffer.concat([encodeHandshake(767, 'bench.test', 25565, 2), encodePacket(0x00, encodeString('Bencher'), Buffer.alloc(16))]);
  const statusPrefix = Buffer.concat([encodeHandshake(767, 'motd.test', 25565, 1), encodePacket(0x00)]);
  const pingPacket = encodePacket(0x01, Buffer.alloc(8));
  const bytes = MB * 1024 * 1024;

  const plain = await pipeProxy(w.sinkPort);
  console.log(`proxy throughput bench: ${MB} MB per transfer, best of ${ROUNDS}; Node ${process.version}`);

  for (const [label, dispatcher] of [
    ['no plugin listening', quiet],
    ['one WASM plugin subscribed to pre-login + proxy-ping', plugins.events],
  ] as const) {
    const proxy = createProxy({
      settings: {
        bind: '127.0.0.1:0',
        serversDir,
        connectTimeoutMs: 5000,
        maxConnections: 10_000,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'x', versionName: 'x', maxPlayers: 1 },
        dataDir: join(dir, 'data'),
        sessionServer: 'http://127.0.0.1:1',
      },
      dispatcher,
      log: () => undefined,
      probeIntervalMs: 3_600_000,
    });
    const { port } = await proxy.start();
    console.log(`\n== ${label}`);

    for (const job of ['upload', 'download'] as const) {
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        base.push(await w.run<number>(job, { port: plain.port, prefix: loginPrefix, bytes }));
        ours.push(await w.run<number>(job, { port, prefix: loginPrefix, bytes }));
      }
      const mbps = (ms: number) => MB / (ms / 1000);
      const [o, b] = [mbps(Math.min(...ours)), mbps(Math.min(...base))];
      console.log(`${job.padEnd(8)} proxy ${f(o, 0)} MB/s   net pipe ${f(b, 0)} MB/s   ratio ${f(o / b, 2)}`);
    }

    const seqOurs: number[] = [];
    const seqBase: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      seqBase.push(...(await w.run<SetupResult>('setup', { port: plain.port, prefix: loginPrefix, count: SEQUENTIAL, concurrency: 1 })).lat);
      seqOurs.push(...(await w.run<SetupResult>('setup', { port, prefix: loginPrefix, count: SEQUENTIAL, concurrency: 1 })).lat);
    }
    console.log(
      `set-up   proxy p50 ${f(median(seqOurs), 3)} ms p99 ${f(pct(seqOurs, 0.99), 3)} ms   net pipe p50 ${f(median(seqBase), 3)} ms p99 ${f(pct(seqBase, 0.99), 3)} ms   added p50 ${f(median(seqOurs) - median(seqBase), 3)} ms`,
    );

    const rateOurs: number[] = [];
    const rateBase: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rateBase.push(PARALLEL.count / ((await w.run<SetupResult>('setup', { port: plain.port, prefix: loginPrefix, ...PARALLEL })).ms / 1000));
      rateOurs.push(PARALLEL.count / ((await w.run<SetupResult>('setup', { port, prefix: loginPrefix, ...PARALLEL })).ms / 1000));
    }
    const [ro, rb] = [Math.max(...rateOurs), Math.max(...rateBase)];
    console.log(`conn/s   proxy ${f(ro, 0)}   net pipe ${f(rb, 0)}   ratio ${f(ro / rb, 2)}   (${PARALLEL.concurrency} in parallel)`);

    const statusRates: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await w.run<{ ms: number }>('status', { port, prefix: statusPrefix, ping: pingPacket, ...STATUS });
      statusRates.push(STATUS.count / (r.ms / 1000));
    }
    console.log(`status/s proxy ${f(Math.max(...statusRates), 0)} (answered from motd, ${STATUS.concurrency} in parallel)`);
    const s = proxy.stats();
    if (s.protocolErrors + s.timeouts + s.backendFailures > 0) console.log('proxy problems during run:', s);
    await proxy.stop();
  }

  plain.server.close();
  await w.stop();
  await plugins.shutdown();
  await rm(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProxy(Number(process.argv[2] ?? 200));
