// Issue 3: one event into a guest and back through the real dispatch path (EventRouter → plugin
// manager → guest worker), against a native JS handler called through the same code; and how long
// a runaway call takes to be stopped and its slot to be usable again.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { loadConfig } from '../src/main/config/load-config';
import type { GuestEvent } from '../src/main/contract/guest-types';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath, type FixtureName } from '../test/fixtures/index';
import { fmt, median, percentile, timeIt } from './stats';

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

async function managerWith(fixtures: FixtureName[], toml: string): Promise<{ m: PluginManager; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-events-'));
  await mkdir(join(dir, 'plugins'));
  for (const f of fixtures) await copyFile(fixturePath(f), join(dir, 'plugins', `${f}.wasm`));
  await writeFile(join(dir, 'native.mjs'), NATIVE);
  await writeFile(join(dir, 'infrarust.toml'), toml);
  const loaded = loadConfig({ cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const m = new PluginManager({ config: loaded.config });
  await m.loadAll();
  return { m, dir };
}

async function roundTrips(m: PluginManager, n: number): Promise<number[]> {
  for (let i = 0; i < 500; i++) await m.events.dispatch(event); // warm-up (JIT, tier-up)
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await m.events.dispatch(event);
    out.push(performance.now() - t0);
    if (r.length !== 1) throw new Error('no outcome');
  }
  return out;
}

/** The thread hop alone: the same event posted to a worker that echoes it back (no guest, no jco). */
async function workerEchoTrips(n: number): Promise<number[]> {
  const w = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))", { eval: true });
  const trip = () => new Promise<void>((resolve) => (w.once('message', () => resolve()), w.postMessage({ t: 'call', fn: 'handleEvent', args: [1n, event] })));
  for (let i = 0; i < 500; i++) await trip();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timeIt(trip));
  await w.terminate();
  return out;
}

export async function benchEventRoundTrip(): Promise<void> {
  const N = 5000;
  console.log(`## Event round trip: pre-login into one plugin and back, ${N} dispatches`);
  const rows: [string, number[]][] = [];
  for (const [label, fixtures, toml] of [
    ['native JS handler (baseline)', [], '[plugins.native_echo]\npath = "./native.mjs"\n'],
    ['WAT guest (events-echo)', ['events-echo'], ''],
  ] as const) {
    const { m, dir } = await managerWith([...fixtures], toml);
    rows.push([label, await roundTrips(m, N)]);
    await m.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
  rows.splice(1, 0, ['thread hop only (worker echo)', await workerEchoTrips(N)]);
  const base = median(rows[0]![1]);
  console.log('handler                         median      p99     median/baseline');
  for (const [label, xs] of rows) {
    console.log(label.padEnd(30), fmt(median(xs)).padStart(8), fmt(percentile(xs, 0.99)).padStart(9), `${(median(xs) / base).toFixed(1)}x`.padStart(12));
  }
}

export async function benchRunaway(): Promise<void> {
  console.log('## Runaway call: cpu-spin-event with call_timeout_ms = 200');
  const stops: number[] = [];
  const reloads: number[] = [];
  const { m, dir } = await managerWith(['cpu-spin-event'], '[wasm]\ncall_timeout_ms = 200\n');
  const ping: GuestEvent = {
    tag: 'proxy-ping',
    val: { remoteAddr: '127.0.0.1:1', response: { description: '{"text":""}', maxPlayers: 1, onlinePlayers: 0, protocolVersion: 767, versionName: 'x', favicon: undefined } },
  };
  for (let i = 0; i < 5; i++) {
    stops.push(await timeIt(() => m.events.dispatch(ping)));
    if (m.get('cpu_spin_event')?.poisonCause !== 'cpu-deadline') throw new Error('not stopped by the deadline');
    reloads.push(await timeIt(() => m.reload('cpu_spin_event')));
    if (m.get('cpu_spin_event')?.state !== 'enabled') throw new Error('slot not usable after reload');
  }
  await m.shutdown();
  await rm(dir, { recursive: true, force: true });
  console.log(`stopped after ${fmt(median(stops))} (deadline 200 ms; median of 5); slot enabled again ${fmt(median(reloads))} after reload`);
}
