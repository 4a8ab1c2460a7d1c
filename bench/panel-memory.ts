// Issue 11: what the control channel costs the host under load and abuse. A real `infrarust-desktop serve`
// runs as a child process; its peak resident memory (VmHWM, reset through /proc/<pid>/clear_refs before each
// phase, so Linux only) is read while (1) six clients upload the largest allowed plugin (64 MiB, distinct ids)
// at once, retrying when refused by the cap on uploads in flight, and (2) one client sends a WebSocket frame
// far over the call limit, another announces 2^40 bytes, and a third streams an unannounced 200 MiB upload.
// Every landed file is checked by hash; the host must still answer a call afterwards.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { MAX_PLUGIN_BYTES } from '../src/shared/control-api';
import { fixturePath } from '../test/fixtures/index';

const MiB = 1024 * 1024;
const CLIENTS = 6;
const BIN = fileURLToPath(new URL('../bin/infrarust-desktop.mjs', import.meta.url));

export async function benchPanelMemory(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-panel-'));
  await mkdir(join(dir, 'plugins'));
  await writeFile(join(dir, 'infrarust.toml'), 'bind = "127.0.0.1:0"\n\n[panel]\nbind = "127.0.0.1:0"\n');
  const files = await largestPlugins(CLIENTS);
  const served = await serve(dir);
  try {
    await new Promise((r) => setTimeout(r, 2000)); // let start-up settle
    const idle = await served.rss();
    console.log(`## Panel memory: a real serve process (RSS ${mb(idle)} MiB at rest), uploads streamed to disk, calls capped at 1 MiB`);
    // Baseline: one small upload loads the transpiler (jco), a fixed cost any first deploy pays, whatever its size.
    await served.resetPeak();
    const small = await readFile(fixturePath('hello'));
    const warm = await uploadUntilAccepted(served, 'warm-up.wasm', small);
    const warmPeak = (await served.peak()) - idle;
    console.log(`baseline: one ${mb(small.length)} MiB upload (${warm.kind}) loads the transpiler: host peak RSS +${mb(warmPeak)} MiB`);
    const base = await served.rss();

    await served.resetPeak();
    const started = Date.now();
    const results = await withinMinutes(3, served, Promise.all(files.map((bytes, i) => uploadUntilAccepted(served, `big-${i}.wasm`, bytes))));
    const uploadPeak = (await served.peak()) - base;
    const landed = await Promise.all(files.map(async (bytes, i) => sha256(await readFile(join(dir, 'plugins', `big-${i}.wasm`)).catch(() => Buffer.alloc(0))) === sha256(bytes)));
    const refusals = results.reduce((n, r) => n + r.refusals, 0);
    console.log(
      `${CLIENTS} clients × ${mb(MAX_PLUGIN_BYTES)} MiB uploads at once: host peak RSS +${mb(uploadPeak)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${landed.filter(Boolean).length}/${CLIENTS} landed intact (sha256), ${results.filter((r) => r.kind === 'deployed').length} deployed; ` +
        `${refusals} refusal(s) by the cap on uploads in flight, each retried`,
    );

    await served.resetPeak();
    const restBefore = await served.rss();
    const oversized = await oversizedFrame(served.url, 200 * MiB);
    const announced = await announcedFrame(served.url, 2 ** 40);
    const stream = await unannouncedUpload(served.url, 200 * MiB);
    const abusePeak = (await served.peak()) - restBefore;
    const alive = await callWorks(served.url);
    console.log(
      `one 200 MiB frame (closed ${oversized}), one header announcing 2^40 bytes (closed ${announced}), one 200 MiB chunked upload (${stream}): ` +
        `host peak RSS +${mb(abusePeak)} MiB; host alive and answering: ${alive}`,
    );
    console.log(`goal: under 300 MiB growth in each phase → ${uploadPeak < 300 * MiB && abusePeak < 300 * MiB && alive ? 'met' : 'NOT met'}`);
  } finally {
    await served.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `minimal` fixture under distinct ids, padded with a component-level custom section to exactly 64 MiB. */
async function largestPlugins(count: number): Promise<Buffer[]> {
  const minimal = await readFile(fixturePath('minimal'));
  const needle = Buffer.from('minimal');
  return Array.from({ length: count }, (_, i) => {
    const copy = Buffer.from(minimal);
    const id = Buffer.from(`big_${String(i).padStart(3, '0')}`);
    for (let at = copy.indexOf(needle); at >= 0; at = copy.indexOf(needle, at + 1)) id.copy(copy, at);
    return Buffer.concat([copy, customSection('padding', MAX_PLUGIN_BYTES - copy.length)]);
  });
}

/** A custom section (id 0) of exactly `total` bytes, header included. */
function customSection(name: string, total: number): Buffer {
  const nameBytes = Buffer.concat([leb(name.length), Buffer.from(name)]);
  for (let body = total - 2; body > 0; body--) {
    const size = leb(body);
    if (1 + size.length + body === total) return Buffer.concat([Buffer.from([0]), size, nameBytes, Buffer.alloc(body - nameBytes.length)]);
  }
  throw new Error(`no custom section of ${total} bytes`);
}

function leb(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** A stuck phase fails with what the host printed, rather than hanging the bench. */
async function withinMinutes<T>(minutes: number, served: Served, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${minutes} min; the host printed:\n${served.output()}`)), minutes * 60_000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Served {
  url: URL;
  output(): string;
  cookie: string;
  rss(): Promise<number>;
  /** Peak since the last reset, as of now. */
  peak(): Promise<number>;
  resetPeak(): Promise<void>;
  stop(): Promise<void>;
}

async function serve(dir: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const panelUrl = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /panel: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  const url = new URL(panelUrl);
  const status = async () => readFile(`/proc/${child.pid}/status`, 'utf8');
  const field = (text: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)![1]) * 1024;
  return {
    url,
    output: () => output,
    cookie: `infrarust_panel_${url.port}=${url.searchParams.get('token')}`,
    rss: async () => field(await status(), 'VmRSS'),
    peak: async () => field(await status(), 'VmHWM'),
    // Writing 5 resets the kernel's peak RSS (VmHWM) of that process to its current RSS.
    resetPeak: () => writeFile(`/proc/${child.pid}/clear_refs`, '5'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

type Uploaded = { kind: string; refusals: number };

async function uploadUntilAccepted(served: Served, name: string, bytes: Buffer): Promise<Uploaded> {
  for (let refusals = 0; ; refusals++) {
    const res = await fetch(new URL(`/api/uploads?name=${name}`, served.url), { method: 'PUT', body: new Blob([bytes as Uint8Array<ArrayBuffer>]), headers: { cookie: served.cookie } });
    const text = await res.text();
    if (res.status === 503) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    return { kind: (JSON.parse(text) as { kind: string }).kind, refusals };
  }
}

async function oversizedFrame(url: URL, size: number): Promise<string> {
  const ws = new WebSocket(wsUrl(url));
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(Buffer.alloc(size, 0x61), { binary: false });
  return `with ${await closed}`;
}

/** A raw frame header announcing `length` bytes, then a trickle of payload. */
async function announcedFrame(url: URL, length: number): Promise<string> {
  const ws = new WebSocket(wsUrl(url));
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const socket = (ws as unknown as { _socket: Socket })._socket;
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve('at once')));
  socket.write(Buffer.concat([header, Buffer.alloc(64 * 1024)]));
  return closed;
}

async function unannouncedUpload(url: URL, size: number): Promise<string> {
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined);
  let answer = '';
  socket.on('data', (c: Buffer) => (answer += c.toString()));
  await new Promise((r) => socket.once('connect', r));
  socket.write(`PUT /api/uploads?name=endless.wasm HTTP/1.1\r\nHost: ${url.host}\r\nCookie: infrarust_panel_${url.port}=${url.searchParams.get('token')}\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const chunk = Buffer.alloc(MiB, 1);
  let sent = 0;
  while (sent < size && !socket.destroyed && answer === '') {
    const ok = socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    sent += chunk.length;
    if (!ok) await drainedOrClosed(socket);
  }
  await new Promise((r) => (socket.destroyed ? r(null) : socket.once('close', r)));
  return `${answer.split('\r\n')[0] || 'no answer'} after ${mb(sent)} MiB sent`;
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

async function callWorks(url: URL): Promise<boolean> {
  const ws = new WebSocket(wsUrl(url));
  const answer = new Promise<{ ok?: boolean }>((resolve) =>
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as { id?: number; ok?: boolean };
      if (msg.id === 1) resolve(msg);
    }),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ id: 1, method: 'configStatus' }));
  const ok = (await answer).ok === true;
  ws.close();
  return ok;
}

const wsUrl = (url: URL) => `ws://${url.host}/api?token=${url.searchParams.get('token')}`;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const mb = (bytes: number) => (bytes / MiB).toFixed(0);
