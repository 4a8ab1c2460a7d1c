// Issue 2: load time of one plugin cold (no cache) and warm (cache), small WAT and ~13 MB
// componentized JavaScript, side by side; and 20 distinct small plugins warm.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';
import { fmt, median, timeIt } from './stats';

async function loadOnce(dir: string): Promise<void> {
  const config = { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') };
  const m = new PluginManager({ config });
  await m.loadAll();
  const bad = m.list().filter((p) => p.state !== 'enabled');
  if (bad.length) throw new Error(`bench plugin not enabled: ${JSON.stringify(bad.map((p) => [p.id, p.reason]))}`);
  await m.shutdown();
}

async function coldWarm(fixture: 'minimal' | 'hello', runs: number): Promise<{ cold: number; warm: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  await mkdir(join(dir, 'plugins'));
  await copyFile(fixturePath(fixture), join(dir, 'plugins', `${fixture}.wasm`));
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(join(dir, 'plugins', '.cache'), { recursive: true, force: true });
    cold.push(await timeIt(() => loadOnce(dir)));
    warm.push(await timeIt(() => loadOnce(dir)));
  }
  await rm(dir, { recursive: true, force: true });
  return { cold: median(cold), warm: median(warm) };
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
  for (let i = 0; i < 3; i++) runs.push(await timeIt(() => loadOnce(dir)));
  await rm(dir, { recursive: true, force: true });
  return median(runs);
}

export async function benchPluginLoad(): Promise<void> {
  console.log('## Plugin load time (median; cold = empty .cache, warm = cached artifact + metadata)');
  console.log('plugin                 cold        warm      warm/cold');
  for (const [fixture, runs] of [['minimal', 5], ['hello', 3]] as const) {
    const { cold, warm } = await coldWarm(fixture, runs);
    console.log(`${fixture === 'hello' ? 'hello (JS, 13 MB)' : 'minimal (WAT, 3 KB)'}`.padEnd(22), fmt(cold).padStart(9), fmt(warm).padStart(11), (warm / cold).toFixed(2).padStart(10));
  }
  console.log(`20 small plugins, warm: ${fmt(await twentyWarm())}`);
}
