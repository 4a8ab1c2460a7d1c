// Issue 2: load time of one plugin cold (no cache) and warm (cache), small WAT and ~13 MB
// componentized JavaScript, side by side; and 20 distinct small plugins warm.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import { guestWorkerEntry } from '../src/main/guest/worker-entry';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';
import { fmt, median, timeIt } from './stats';

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

type Sample = { cold: number; warm: number };

async function coldWarm(fixture: 'minimal' | 'hello', runs: number): Promise<{ inProcess: Sample; fresh: Sample }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  await mkdir(join(dir, 'plugins'));
  await copyFile(fixturePath(fixture), join(dir, 'plugins', `${fixture}.wasm`));
  const clear = () => rm(join(dir, 'plugins', '.cache'), { recursive: true, force: true });
  const samples = { inProcess: { cold: [] as number[], warm: [] as number[] }, fresh: { cold: [] as number[], warm: [] as number[] } };
  const file = join(dir, 'plugins', `${fixture}.wasm`);
  const running = new PluginManager({ config: { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') } });
  await running.loadAll();
  await running.unloadFile(file);
  for (let i = 0; i < runs; i++) {
    await clear();
    samples.inProcess.cold.push(await hotLoad(running, file));
    samples.inProcess.warm.push(await hotLoad(running, file));
    await clear();
    samples.fresh.cold.push(await loadInFreshProcess(dir));
    samples.fresh.warm.push(await loadInFreshProcess(dir));
  }
  await running.shutdown();
  await rm(dir, { recursive: true, force: true });
  const med = (s: { cold: number[]; warm: number[] }) => ({ cold: median(s.cold), warm: median(s.warm) });
  return { inProcess: med(samples.inProcess), fresh: med(samples.fresh) };
}

/** 20 small plugins with distinct ids: minimal's id patched to same-length names. */
async function twentyWarm(): Promise<number> {
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
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) runs.push(await loadOnce(dir));
  await rm(dir, { recursive: true, force: true });
  return median(runs);
}

export async function benchPluginLoad(): Promise<void> {
  await guestWorkerEntry(); // bundling the worker is a once-per-install cost, not a load cost
  console.log('## Plugin load time to enabled (median; cold = empty .cache, warm = cached artifact + metadata)');
  console.log('plugin                 where                  cold        warm   warm/cold');
  for (const [fixture, runs] of [['minimal', 5], ['hello', 3]] as const) {
    const r = await coldWarm(fixture, runs);
    for (const [where, { cold, warm }] of [['fresh process', r.fresh], ['into running host', r.inProcess]] as const) {
      console.log(
        `${fixture === 'hello' ? 'hello (JS, 13 MB)' : 'minimal (WAT, 3 KB)'}`.padEnd(22),
        where.padEnd(19),
        fmt(cold).padStart(9),
        fmt(warm).padStart(11),
        (warm / cold).toFixed(2).padStart(10),
      );
    }
  }
  console.log(`20 small plugins, warm: ${fmt(await twentyWarm())}`);
}
