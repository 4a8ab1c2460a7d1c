// Issue 3 and 15: one event into a guest and back through the real dispatch path (EventRouter → plugin
// manager → guest worker), against a native JS handler called through the same code, as paired slices of
// bench/compare.ts on hosts loaded side by side; and how long a runaway call takes to be stopped and its slot
// to be usable again.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { basename, dirname, join } from 'node:path';
import { PLUGINS_DIR } from '../plugins/kit/build-plugin';
import { loadConfig } from '../src/main/config/load-config';
import type { GuestEvent } from '../src/main/contract/guest-types';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';
import { compare, timedCalls, type CompareOptions } from './compare';
import { num, reportAbsolute, reportComparison, type Goal } from './goals';
import { fmt, median, spread, timeIt } from './stats';

const NATIVE = `export default (host) => ({
  metadata: () => ({ id: 'native_echo', name: 'Native echo', version: '1', authors: [], description: undefined, dependencies: [] }),
  onEnable() { host['event-bus'].subscribe('pre-login', 128); },
  handleEvent(_handle, ev) {
    if (ev.tag === 'pre-login' && ev.val.profile.username === 'denied_user')
      return { tag: 'pre-login', val: { tag: 'denied', val: '{"text":"Denied by native_echo"}' } };
    return { tag: 'none' };
  },
});`;

const event: GuestEvent = {
  tag: 'pre-login',
  val: { profile: { uuid: '00000000-0000-3000-8000-000000000000', username: 'denied_user', properties: [] }, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'a.localhost' },
};

async function managerWith(fixtures: string[], toml: string, files: Record<string, string> = {}): Promise<{ m: PluginManager; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-events-'));
  await mkdir(join(dir, 'plugins'));
  for (const f of fixtures) await copyFile(f, join(dir, 'plugins', basename(f)));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  await writeFile(join(dir, 'native.mjs'), NATIVE);
  await writeFile(join(dir, 'infrarust.toml'), toml);
  const loaded = loadConfig({ cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const m = new PluginManager({ config: loaded.config });
  await m.loadAll();
  const bad = m.list().filter((p) => p.state !== 'enabled');
  if (bad.length) throw new Error(`bench plugin not enabled: ${JSON.stringify(bad.map((p) => [p.id, p.reason]))}`);
  return { m, dir };
}

const SLICE = 200; // round trips per slice
type Side = ReturnType<typeof timedCalls>;
const PAIRS: CompareOptions = { pairs: 30, warmup: 3 };

function dispatchOnce(m: PluginManager) {
  return async () => {
    const r = await m.events.dispatch(event);
    if (r.length !== 1) throw new Error('no outcome');
  };
}

/** The thread hop alone: the same event posted to a worker that echoes it back (no guest, no jco). */
function workerEcho(): { trip: () => Promise<void>; stop: () => Promise<number> } {
  const w = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))", { eval: true });
  const trip = () => new Promise<void>((resolve) => (w.once('message', () => resolve()), w.postMessage({ t: 'call', fn: 'handleEvent', args: [1n, event] })));
  return { trip, stop: () => w.terminate() };
}

export async function benchEventRoundTrip(): Promise<void> {
  console.log(`## Event round trip: pre-login into one plugin and back; ${PAIRS.pairs} interleaved pairs of ${SLICE}-dispatch slices, figure = slice median`);
  const hosts = [
    await managerWith([], '[plugins.native_echo]\npath = "./native.mjs"\n'),
    await managerWith([fixturePath('events-echo')], ''),
    await managerWith([join(PLUGINS_DIR, 'build', 'allowlist.wasm')], '', { 'plugins/allowlist/allowlist.txt': 'alice\n' }),
  ];
  const [native, wat, ts] = hosts.map(({ m }) => timedCalls(SLICE, dispatchOnce(m))) as [Side, Side, Side];
  const echo = workerEcho();
  const hop = timedCalls(SLICE, echo.trip);
  for (const s of [native, wat, ts, hop]) for (let i = 0; i < 3; i++) await s.slice(); // JIT tier-up before any pair
  const us = (ms: number) => `${num(ms * 1000)} µs`;
  const kept = (p99s: number[]) => p99s.slice(-PAIRS.pairs); // the warm-up pairs' slices left out
  const rows = [
    ['thread hop only (worker echo)', hop, undefined],
    ['WAT guest (events-echo)', wat, { on: 'ratio', max: 5, note: 'issue 15: p50 ≤ 5 µs, native ≈ 1 µs' }],
    ['TypeScript example (allowlist, QuickJS)', ts, { on: 'ratio', max: 20, note: 'issue 15: p50 ≤ 20 µs, native ≈ 1 µs' }],
  ] as const;
  for (const [label, s, goal] of rows) {
    native.p99s.length = 0;
    s.p99s.length = 0;
    const c = await compare(native.slice, s.slice, PAIRS);
    reportComparison('events', `${label} / native handler`, c, {
      ...(goal ? { goal: goal as Goal } : {}),
      beside: `p50 ${us(c.b.median)} · native ${us(c.a.median)}; p99 ${us(median(kept(s.p99s)))} · native ${us(median(kept(native.p99s)))}`,
    });
    if (s === wat) reportAbsolute('events', 'WAT guest p99 (per slice)', spread(kept(wat.p99s).map((ms) => ms * 1000)), PAIRS.pairs, 'µs', { on: 'absolute', max: 50, note: 'issue 15' });
  }
  await echo.stop();
  for (const { m, dir } of hosts) {
    await m.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchRunaway(): Promise<void> {
  console.log('## Runaway call: cpu-spin-event with call_timeout_ms = 200');
  const stops: number[] = [];
  const reloads: number[] = [];
  const { m, dir } = await managerWith([fixturePath('cpu-spin-event')], '[wasm]\ncall_timeout_ms = 200\n');
  const ping: GuestEvent = {
    tag: 'proxy-ping',
    val: { remoteAddr: '127.0.0.1:1', response: { description: '{"text":""}', maxPlayers: 1, onlinePlayers: 0, protocolVersion: 767, versionName: 'x', favicon: undefined } },
  };
  for (let i = 0; i < 7; i++) {
    stops.push(await timeIt(() => m.events.dispatch(ping)));
    if (m.get('cpu_spin_event')?.poisonCause !== 'cpu-deadline') throw new Error('not stopped by the deadline');
    reloads.push(await timeIt(() => m.reload('cpu_spin_event')));
    if (m.get('cpu_spin_event')?.state !== 'enabled') throw new Error('slot not usable after reload');
  }
  await m.shutdown();
  await rm(dir, { recursive: true, force: true });
  reportAbsolute('runaway', 'runaway stopped after (deadline 200 ms)', spread(stops), stops.length, 'ms', { on: 'absolute', max: 250, margin: 50, note: 'issue 15: within deadline + 50 ms' });
  console.log(`slot enabled again ${fmt(median(reloads))} after reload (median of ${reloads.length})`);
}
