// Issue 3: what a greedy guest really costs the host. Three plugins that grow their memory in 8 MiB steps
// and write every page until the cap refuses; the host process's resident memory (workers included) is
// sampled while they do, against the cap they are each held to.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import { guestWorkerEntry } from '../src/main/guest/worker-entry';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { fixturePath } from '../test/fixtures/index';

const MiB = 1024 * 1024;
const PLUGINS = 3;

export async function benchMemory(): Promise<void> {
  await guestWorkerEntry();
  const dir = await mkdtemp(join(tmpdir(), 'bench-memory-'));
  await mkdir(join(dir, 'plugins'));
  const bytes = await readFile(fixturePath('memory-filler'));
  const needle = Buffer.from('memory_filler');
  for (let i = 0; i < PLUGINS; i++) {
    // Distinct ids of the same length: patched in place.
    const copy = Buffer.from(bytes);
    const id = Buffer.from(`memory_fill_${i}`);
    for (let at = copy.indexOf(needle); at >= 0; at = copy.indexOf(needle, at + 1)) id.copy(copy, at);
    await writeFile(join(dir, 'plugins', `filler-${i}.wasm`), copy);
  }
  const config = { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') };
  await new PluginManager({ config }).loadAll().catch(() => undefined); // warm the cache and the allocator
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const m = new PluginManager({ config });
  await m.loadAll();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const states = m.list().map((p) => `${p.id}: ${p.state} (${p.poisonCause})`);
  await m.shutdown();
  await rm(dir, { recursive: true, force: true });
  const grew = (peak - before) / MiB;
  console.log(`## Memory: ${PLUGINS} guests filling memory until their ${config.wasm.memoryLimitMb} MiB cap refuses`);
  console.log(`host RSS grew at most ${grew.toFixed(0)} MiB (${(grew / PLUGINS).toFixed(0)} MiB per plugin, cap ${config.wasm.memoryLimitMb} MiB each; ratio ${(grew / PLUGINS / config.wasm.memoryLimitMb).toFixed(2)} of the cap incl. each worker's own heap)`);
  console.log(states.join('; '));
}
