// The load side of the proxy benches, shared with the helper's self-check: a worker thread running the clients
// and a sink backend (so the proxies under test have the main thread to themselves), and the plain Node `net`
// pipe proxy every proxy figure is compared with.
import { createServer, connect, type Server } from 'node:net';
import { Worker } from 'node:worker_threads';

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
// hold: every connection stays open until the slice is timed (players that stay), then all close.
async function setup({ port, prefix, count, concurrency, hold }) {
  mode = 'upload';
  const lat = [];
  const held = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next++ < count) {
      const t = performance.now();
      const { s } = await open(port, prefix);
      lat.push(performance.now() - t);
      if (hold) held.push(s);
      else s.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = performance.now() - t0;
  for (const s of held) s.destroy();
  return { ms, lat: lat.sort((a, b) => a - b) };
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

export interface SetupResult {
  ms: number;
  lat: number[];
}

export function startWorker(): Promise<{ sinkPort: number; run: <T>(job: string, args: object) => Promise<T>; stop: () => Promise<number> }> {
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
export function pipeProxy(backendPort: number): Promise<{ server: Server; port: number }> {
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
