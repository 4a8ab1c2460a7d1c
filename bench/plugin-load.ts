// Issue 2: load time of one plugin cold (no cache) and warm (cache), small WAT and ~13 MB componentized
// JavaScript, as paired cold/warm loads of bench/compare.ts (the figure is warm / cold per pair), in a fresh
// process and into a running host; and 20 distinct small plugins warm.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import { guestWorkerEntry } from '../src/main/guest/worker-entry';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';
import { compare, type CompareOptions, type Comparison } from './compare';
import { reportAbsolute, reportComparison, type Goal } from './goals';
import { fmt, spread, timeIt } from './stats';

/** Time from a new manager to every plugin enabled (shutdown not counted). */
async function loadOnce(dir: string): Promise<number> {
  const config = { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') };
  const m = new PluginManager({ config });
  const ms = await timeIt(() => m.loadAll());
  const bad = m.list().filter((p) => p.state !== 'enabled');
  if (bad.length) throw new Error(`bench plugin not enabled: ${JSON.stringify(bad.map((p) => [p.id, p.reason]))}`);
  await m.shutdown();
  return ms;
}

/** A plugin file deployed into an already running, idle host (the panel's drop, a hot reload). */
async function hotLoad(m: PluginManager, file: string): Promise<number> {
  await sleep(300); // the host was idle before the drop
  const ms = await timeIt(() => m.loadFile(file));
  const view = m.list().find((p) => p.file === file);
  if (view?.state !== 'enabled') throw new Error(`bench plugin not enabled: ${view?.reason}`);
  await m.unloadFile(file);
  return ms;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One load in a fresh process (what a user sees at application start). */
function loadInFreshProcess(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load-once.ts', import.meta.url)), dir], (err, stdout) =>
      err ? reject(err) : resolve(Number(stdout.trim())),
    );
  });
}

/** Cold and warm loads of one fixture, paired: in fresh processes (application start) and into a running host. */
async function coldWarm(fixture: 'minimal' | 'hello', opts: CompareOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  await mkdir(join(dir, 'plugins'));
  await copyFile(fixturePath(fixture), join(dir, 'plugins', `${fixture}.wasm`));
  const clear = () => rm(join(dir, 'plugins', '.cache'), { recursive: true, force: true });
  const file = join(dir, 'plugins', `${fixture}.wasm`);
  const label = fixture === 'hello' ? 'hello (JS, 13 MB)' : 'minimal (WAT, 3 KB)';
  // A spread wider than a fifth cannot tell a fifth from two fifths.
  const goal: Goal = { on: 'ratio', max: 0.2, margin: 0.2, note: 'issue 2: warm at most a fifth of cold' };
  const beside = (c: Comparison) => `warm ${fmt(c.b.median)} · cold ${fmt(c.a.median)}`;

  const fresh = await compare(async () => (await clear(), loadInFreshProcess(dir)), () => loadInFreshProcess(dir), opts);
  reportComparison('load', `${label}, fresh process: warm / cold`, fresh, { goal, beside: beside(fresh) });

  const running = new PluginManager({ config: { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') } });
  await running.loadAll();
  await running.unloadFile(file);
  const hot = await compare(async () => (await clear(), hotLoad(running, file)), () => hotLoad(running, file), opts);
  reportComparison('load', `${label}, into running host: warm / cold`, hot, { goal, beside: beside(hot) });
  await running.shutdown();
  await rm(dir, { recursive: true, force: true });
}

/** 20 small plugins with distinct ids (minimal's id patched to same-length names), loaded warm: ms per run. */
async function twentyWarm(runs: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-20-'));
  await mkdir(join(dir, 'plugins'));
  const bytes = await readFile(fixturePath('minimal'));
  const needle = Buffer.from('minimal');
  for (let i = 0; i < 20; i++) {
    const copy = Buffer.from(bytes);
    const id = Buffer.from(`mini_${String(i).padStart(2, '0')}`);
    for (let at = copy.indexOf(needle); at >= 0; at = copy.indexOf(needle, at + 1)) id.copy(copy, at);
    await writeFile(join(dir, 'plugins', `p${i}.wasm`), copy);
  }
  await loadOnce(dir); // fills the cache
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await loadOnce(dir));
  await rm(dir, { recursive: true, force: true });
  return out;
}

export async function benchPluginLoad(): Promise<void> {
  await guestWorkerEntry(); // bundling the worker is a once-per-install cost, not a load cost
  console.log('## Plugin load time to enabled: cold (empty .cache) and warm (cached artifact + metadata), interleaved pairs');
  await coldWarm('minimal', { pairs: 7, warmup: 1 });
  await coldWarm('hello', { pairs: 4, warmup: 1 });
  const twenty = await twentyWarm(5);
  reportAbsolute('load', '20 small plugins, warm, in all', spread(twenty), twenty.length, 'ms', { on: 'absolute', max: 1000, note: 'issue 2: under one second' });
}
