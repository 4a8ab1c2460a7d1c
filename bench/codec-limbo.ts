// Codec filters and limbo, in whole hosts (plugins + proxy) with minecraft-protocol peers in a child process
// (bench/mc-peers.cjs):
//   - packets per second through one `offline` connection (a backend streams 64-byte packets) with no filter,
//     with one WAT pass-through filter (fixture `codec-pass`) and with one TypeScript pass-through filter
//     (bench/plugins/ts_pass, QuickJS through the 0.2.3 kit: one crossing per packet into the plugin's own
//     instance), and one 0.3.0 TypeScript pass-through filter (bench/plugins/ts_pass_030: the codec store, the
//     frames of one read in one crossing), the hosts side by side and measured in alternating pairs; the added
//     time per packet (median of pairs), the filter call's own mean and p99 from the plugin's call metrics
//     (a 0.3.0 call is one batch), 0.3.0 against 0.2.3 directly, and what starting a codec store cost;
//   - limbo capacity: 200 real clients held at once by a native limbo handler; host RSS and CPU while they idle.
//
// Run: npm run bench codec, or npx tsx bench/codec-limbo.ts

import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Host } from '../src/main/host/host.ts';
import { buildPlugin, pluginSource } from '../plugins/kit/build-plugin.ts';
import { fixturePath } from '../test/fixtures/index.ts';
import { compare } from './compare.ts';
import { reportAbsolute, reportComparison } from './goals.ts';
import { startPeers, type Peers } from './proxy-modes.ts';
import { spread } from './stats.ts';

const VERSION = '1.21.4';
const PACKETS = 4000;
const PAIRS = 8;
const HELD = 200;

async function hostWith(backendPort: number, plugins: Record<string, string>, config: string): Promise<{ host: Host; port: number; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-codec-'));
  await mkdir(join(dir, 'plugins'));
  await mkdir(join(dir, 'servers'));
  for (const [name, path] of Object.entries(plugins)) await copyFile(path, join(dir, 'plugins', name));
  await writeFile(join(dir, 'servers', 'game.toml'), `domains = ["game.bench"]\naddresses = ["127.0.0.1:${backendPort}"]\nproxy_mode = "offline"\n`);
  await writeFile(join(dir, 'infrarust.toml'), `bind = "127.0.0.1:0"\n${config}\n`);
  const host = await Host.start({ cwd: dir });
  return { host, port: Number(host.proxyStatus().address!.split(':').pop()), dir };
}

async function packetRate(peers: Peers, port: number): Promise<number> {
  const r = await peers.call<{ ms: number; count: number }>('packets', { port, host: 'game.bench', version: VERSION, count: PACKETS });
  return (r.ms * 1000) / r.count; // µs per packet
}

export async function benchCodecFilters(): Promise<void> {
  const peers = startPeers();
  const outDir = await mkdtemp(join(tmpdir(), 'bench-ts-pass-'));
  const hosts: { host: Host; dir: string }[] = [];
  try {
    const { port: backend } = await peers.call<{ port: number }>('backend', { version: VERSION });
    const ts = await buildPlugin(pluginSource(fileURLToPath(new URL('./plugins/ts_pass', import.meta.url))), { outDir });
    const ts030 = await buildPlugin(pluginSource(fileURLToPath(new URL('./plugins/ts_pass_030', import.meta.url))), { outDir });
    const none = await hostWith(backend, {}, '');
    const wat = await hostWith(backend, { 'codec-pass.wasm': fixturePath('codec-pass') }, '[plugins.codec_pass]\npermissions = ["codec-filter"]\n');
    const tsHost = await hostWith(backend, { 'ts_pass.wasm': ts.wasm }, '[plugins.ts_pass]\npermissions = ["codec-filter"]\n');
    const ts030Host = await hostWith(backend, { 'ts_pass_030.wasm': ts030.wasm }, '[plugins.ts_pass_030]\npermissions = ["codec-filter"]\n');
    hosts.push(none, wat, tsHost, ts030Host);
    for (const [h, id] of [
      [wat.host, 'codec_pass'],
      [tsHost.host, 'ts_pass'],
      [ts030Host.host, 'ts_pass_030'],
    ] as const) {
      if (h.plugins.get(id)?.state !== 'enabled') throw new Error(`${id} is ${h.plugins.get(id)?.state}: ${h.plugins.get(id)?.reason}`);
    }

    const noFilter = () => packetRate(peers, none.port);
    for (const [name, side, id] of [
      ['WAT', wat, 'codec_pass'],
      ['TypeScript', tsHost, 'ts_pass'],
      ['TypeScript 0.3.0', ts030Host, 'ts_pass_030'],
    ] as const) {
      const c = await compare(noFilter, () => packetRate(peers, side.port), { pairs: PAIRS, warmup: 1, bestOf: { runs: 2, keep: 'min' } });
      const pps = (us: number) => `${Math.round(1e6 / us).toLocaleString('en')} packets/s`;
      reportComparison('codec', `one ${name} pass-through filter: time per packet vs none`, c, {
        on: 'ratio',
        beside: `none ${pps(c.a.median)}, ${name} ${pps(c.b.median)}`,
      });
      reportComparison('codec', `one ${name} pass-through filter: added time per packet`, c, { on: 'diff', unit: 'µs', beside: `median of ${c.pairs} pairs` });
      const m = side.host.plugins.pluginMetrics(id);
      console.log(`  ${name} filter call (worker round trip + guest): mean ${(m.meanMs * 1000).toFixed(1)} µs, p99 ${(m.p99Ms * 1000).toFixed(1)} µs over ${m.calls} calls`);
    }
    const c = await compare(() => packetRate(peers, tsHost.port), () => packetRate(peers, ts030Host.port), { pairs: PAIRS, warmup: 1, bestOf: { runs: 2, keep: 'min' } });
    reportComparison('codec', 'TypeScript pass-through filter: 0.3.0 codec store (batched) vs 0.2.3 (a crossing per packet), time per packet', c, { on: 'ratio', beside: `0.2.3 ${Math.round(1e6 / c.a.median).toLocaleString('en')} packets/s, 0.3.0 ${Math.round(1e6 / c.b.median).toLocaleString('en')} packets/s` });
    const starts = ts030Host.host.plugins.codecStores.starts;
    console.log(`  codec store start (worker from the pool, artifact, first instance): ${starts.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  } finally {
    for (const h of hosts) {
      await h.host.stop();
      await rm(h.dir, { recursive: true, force: true });
    }
    await rm(outDir, { recursive: true, force: true });
    peers.stop();
  }
}

const HOLDER = `
export default (host) => ({
  metadata: () => ({ id: 'holder', name: 'Holder', version: '1', authors: [], description: undefined, dependencies: [] }),
  onEnable() { host.limbo.registerLimboHandler('hold', 1n); },
  limboOnPlayerEnter: () => ({ tag: 'hold' }),
});`;

export async function benchLimboCapacity(): Promise<void> {
  const peers = startPeers();
  const dir = await mkdtemp(join(tmpdir(), 'bench-limbo-'));
  let host: Host | undefined;
  try {
    await mkdir(join(dir, 'plugins'));
    await mkdir(join(dir, 'servers'));
    await writeFile(join(dir, 'holder.mjs'), HOLDER);
    await writeFile(join(dir, 'servers', 'game.toml'), 'domains = ["game.bench"]\naddresses = ["127.0.0.1:9"]\nproxy_mode = "offline"\nlimbo_handlers = ["hold"]\n');
    await writeFile(join(dir, 'infrarust.toml'), 'bind = "127.0.0.1:0"\n[plugins.holder]\npath = "./holder.mjs"\n');
    host = await Host.start({ cwd: dir });
    const port = Number(host.proxyStatus().address!.split(':').pop());
    const settle = async () => {
      global.gc?.();
      await new Promise((r) => setTimeout(r, 1000));
      return process.memoryUsage().rss;
    };
    const before = await settle();
    const joined = await peers.call<{ joined: number }>('idle', { port, host: 'game.bench', version: VERSION, count: HELD, concurrency: 10 });
    const held = host.proxy!.limbo.holders().size;
    const withPlayers = await settle();
    // CPU while they idle in limbo (keep-alives every 10 s): 12 s, one keep-alive round at least.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 12_000));
    const cpu = process.cpuUsage(cpu0);
    const cpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
    const still = host.proxy!.limbo.holders().size;
    console.log(`limbo: ${joined.joined} joined, ${held} held, ${still} still held after 12 s idle`);
    const mb = (b: number) => b / 1024 / 1024;
    reportAbsolute('limbo', `host RSS added by ${HELD} players held in limbo`, spread([mb(withPlayers - before)]), 1, 'MiB', { on: 'absolute', max: 200, note: 'about 1 MiB per held player at most' });
    reportAbsolute('limbo', `host CPU while ${HELD} players idle in limbo`, spread([cpuPct]), 1, '% of a core', { on: 'absolute', max: 10 });
  } finally {
    await host?.stop();
    peers.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchCodecFilters();
  await benchLimboCapacity();
}
