// Issue 7: the TypeScript example plugins as an admin deploys them. For each: build time (a forced
// build into a temp folder), component size, cold (empty .cache) and warm load as paired loads, and the
// round trip of the event (or command) it exists for, through the real dispatch path, against a native JS
// plugin making the same host calls through the same dispatch, as paired slices on the two hosts loaded side
// by side (bench/compare.ts). Host services are the offline ones (no proxy).
//
//   npm run bench examples, or npx tsx bench/plugin-examples.ts [--compare-backends]
// --compare-backends also builds motd with StarlingMonkey (~25 s, ~800 MB RAM) next to QuickJS.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentizeJs } from '../scripts/componentize.mjs';
import { loadConfig } from '../src/main/config/load-config';
import type { GuestEvent } from '../src/main/contract/guest-types';
import { PluginManager } from '../src/main/plugins/plugin-manager';
import { bundlePlugin, buildPlugin, pluginSource, pluginWit, PLUGINS_DIR } from '../plugins/kit/build-plugin';
import { compare, timedCalls, type Comparison } from './compare';
import { reportComparison } from './goals';
import { fmt, median, timeIt } from './stats';

const profile = { uuid: '00000000-0000-3000-8000-000000000000', username: 'mallory', properties: [] };

interface Example {
  name: string;
  id: string;
  /** Its tables in infrarust.toml. */
  toml: string;
  /** Files in its data folder. */
  data?: Record<string, string>;
  /** What one round trip is. */
  label: string;
  roundTrip: (m: PluginManager) => Promise<unknown>;
  /** A native plugin (`(host) => guest`) doing the same work; FILE is its data folder. */
  native: string;
}

const dispatch = (event: GuestEvent) => (m: PluginManager) => m.events.dispatch(event);

const EXAMPLES: Example[] = [
  {
    name: 'motd',
    id: 'motd',
    toml: '[plugins.motd.settings]\ntext = "Welcome"\n',
    label: 'proxy-ping',
    roundTrip: dispatch({
      tag: 'proxy-ping',
      val: { remoteAddr: '127.0.0.1:5000', response: { description: '{"text":"x"}', maxPlayers: 20, onlinePlayers: 0, protocolVersion: 767, versionName: '1.21.1', favicon: undefined } },
    }),
    native: `onEnable() { host['event-bus'].subscribe('proxy-ping', 128); },
    handleEvent(_h, ev) {
      const t = host['config-service'].getValue('plugins.motd.settings.text');
      const r = ev.val.response;
      return { tag: 'proxy-ping', val: { ...r, description: t == null ? r.description : JSON.stringify({ text: t }), onlinePlayers: host['player-registry'].onlineCount() } };
    },`,
  },
  {
    name: 'allowlist',
    id: 'allowlist',
    toml: '',
    data: { 'allowlist.txt': '# staff\nalice\nbob\n' },
    label: 'pre-login (denied)',
    roundTrip: dispatch({ tag: 'pre-login', val: { profile, remoteAddr: '127.0.0.1:5000', protocolVersion: 767, serverDomain: 'mc.test' } }),
    native: `onEnable() { host['event-bus'].subscribe('pre-login', 240); },
    handleEvent(_h, ev) {
      const names = new Set(readFileSync(FILE + '/allowlist.txt', 'utf8').split('\\n').map((l) => l.replace(/#.*/, '').trim().toLowerCase()).filter(Boolean));
      if (names.has(ev.val.profile.username.toLowerCase())) return { tag: 'none' };
      const reason = host['config-service'].getValue('plugins.allowlist.settings.message') ?? 'You are not on the allowlist of this server.';
      return { tag: 'pre-login', val: { tag: 'denied', val: JSON.stringify({ text: reason }) } };
    },`,
  },
  {
    name: 'ban-guard',
    id: 'ban_guard',
    toml: '[plugins.ban_guard]\npermissions = ["ban"]\n',
    label: 'command /unban',
    roundTrip: (m) => m.runCommand('unban nobody'),
    native: `onEnable() { host['command-manager'].register('unban', [], '', 1n); },
    async handleCommand(_id, [name]) {
      const r = await host['ban-service'].unban({ tag: 'username', val: name });
      host.log[r.tag === 'ok' ? 'info' : 'warn'](r.tag === 'ok' ? 'unbanned ' + name : 'could not unban ' + name);
    },`,
  },
  {
    name: 'lobby',
    id: 'lobby',
    toml: '[plugins.lobby]\npermissions = ["server-manage"]\n',
    label: 'choose-initial-server',
    roundTrip: dispatch({ tag: 'player-choose-initial-server', val: { playerId: 1n, profile, initialServer: 'survival' } }),
    native: `onEnable() { host['event-bus'].subscribe('player-choose-initial-server', 128); },
    handleEvent(_h, ev) {
      const lobby = host['config-service'].getValue('plugins.lobby.settings.server') ?? 'lobby';
      if (ev.val.initialServer === lobby || host['server-manager'].getState(lobby) !== 'online') return { tag: 'none' };
      return { tag: 'player-choose-initial-server', val: { tag: 'redirect', val: lobby } };
    },`,
  },
  {
    name: 'greeter',
    id: 'greeter',
    toml: '',
    label: 'post-login',
    roundTrip: dispatch({ tag: 'post-login', val: { profile, playerId: 1n, protocolVersion: 767 } }),
    native: `onEnable() { host['event-bus'].subscribe('post-login', 128); },
    handleEvent(_h, ev) { host.log.info(ev.val.profile.username + ' joined'); return { tag: 'none' }; },`,
  },
];

/** A host folder holding one plugin (WASM file or native module) with its table and data. */
async function hostFolder(ex: Example, plugin: { wasm: string } | { native: true }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bench-${ex.name}-`));
  const dataDir = join(dir, 'plugins', 'wasm' in plugin ? ex.id : `native_${ex.id}`);
  await mkdir(dataDir, { recursive: true });
  for (const [file, text] of Object.entries(ex.data ?? {})) await writeFile(join(dataDir, file), text);
  // Settings stay under the example's own key: the native plugin reads them there too.
  let toml = ex.toml;
  if ('wasm' in plugin) {
    await copyFile(plugin.wasm, join(dir, 'plugins', `${ex.name}.wasm`));
  } else {
    const source = `import { readFileSync } from 'node:fs';\nconst FILE = ${JSON.stringify(dataDir)};\nexport default (host) => ({
    metadata: () => ({ id: 'native_${ex.id}', name: 'native', version: '1', authors: [], description: undefined, dependencies: [] }),
    ${ex.native}
  });\n`;
    await writeFile(join(dir, 'native.mjs'), source);
    toml += `\n[plugins.native_${ex.id}]\npath = "./native.mjs"\n`;
  }
  await writeFile(join(dir, 'infrarust.toml'), toml);
  return dir;
}

async function manager(dir: string): Promise<PluginManager> {
  const loaded = loadConfig({ cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const m = new PluginManager({ config: loaded.config });
  await m.loadAll();
  const bad = m.list().filter((p) => p.state !== 'enabled');
  if (bad.length) throw new Error(`not enabled: ${JSON.stringify(bad.map((p) => [p.id, p.state, p.reason]))}`);
  return m;
}

/** Cold (empty .cache) against warm loads of the example, paired. */
async function loadPairs(ex: Example, wasm: string): Promise<Comparison> {
  const dir = await hostFolder(ex, { wasm });
  const once = () => timeIt(async () => (await manager(dir)).shutdown());
  const c = await compare(async () => (await rm(join(dir, 'plugins', '.cache'), { recursive: true, force: true }), once()), once, { pairs: 3, warmup: 1 });
  await rm(dir, { recursive: true, force: true });
  return c;
}

const SLICE = 100; // round trips per slice

/** The example's round trip against the native plugin's, both hosts loaded at once. */
async function tripPairs(ex: Example, wasm: string): Promise<{ c: Comparison; p99: number }> {
  const dirs = [await hostFolder(ex, { native: true }), await hostFolder(ex, { wasm })];
  const hosts = [await manager(dirs[0]!), await manager(dirs[1]!)];
  const [native, guest] = hosts.map((m) => timedCalls(SLICE, () => ex.roundTrip(m))) as [ReturnType<typeof timedCalls>, ReturnType<typeof timedCalls>];
  for (let i = 0; i < 3; i++) {
    await native.slice(); // JIT tier-up before any pair
    await guest.slice();
  }
  guest.p99s.length = 0;
  const c = await compare(native.slice, guest.slice, { pairs: 20, warmup: 2 });
  for (const m of hosts) await m.shutdown();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  return { c, p99: median(guest.p99s) };
}

interface Row {
  build: number;
  bytes: number;
  load: Comparison;
  trip: Comparison;
  p99: number;
}

async function measure(ex: Example, wasm: string, build: number, bytes: number): Promise<Row> {
  const load = await loadPairs(ex, wasm);
  const { c: trip, p99 } = await tripPairs(ex, wasm);
  return { build, bytes, load, trip, p99 };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

async function benchExamples(outDir: string): Promise<Map<string, Row>> {
  console.log(`## Example plugins (QuickJS): build and size; warm/cold load and round trip vs a native JS plugin as interleaved pairs`);
  const rows = new Map<string, Row>();
  let totalBuild = 0;
  for (const ex of EXAMPLES) {
    const built = await buildPlugin(pluginSource(join(PLUGINS_DIR, 'examples', ex.name)), { outDir, force: true });
    totalBuild += built.ms;
    const row = await measure(ex, built.wasm, built.ms, built.bytes);
    rows.set(ex.name, row);
    console.log(`${ex.name}: built in ${fmt(row.build)}, ${mb(row.bytes)}`);
    reportComparison('examples', `${ex.name}: warm / cold load`, row.load, { beside: `warm ${fmt(row.load.b.median)} · cold ${fmt(row.load.a.median)}` });
    reportComparison('examples', `${ex.name}: ${ex.label} / native plugin`, row.trip, {
      beside: `p50 ${fmt(row.trip.b.median)} · native ${fmt(row.trip.a.median)}; p99 ${fmt(row.p99)}`,
    });
  }
  console.log(`all ${EXAMPLES.length} built from scratch in ${fmt(totalBuild)} (one at a time)`);
  return rows;
}

/** motd built by both engines from the same bundle and world. */
async function compareBackends(outDir: string, quickjs: Row): Promise<void> {
  const ex = EXAMPLES[0]!;
  const bundle = await bundlePlugin(pluginSource(join(PLUGINS_DIR, 'examples', ex.name)));
  const js = join(outDir, 'motd-sm.js');
  await writeFile(js, bundle.code);
  const started = performance.now();
  const component = await componentizeJs({
    backend: 'starlingmonkey',
    sourcePath: js,
    witSource: pluginWit(bundle),
    world: 'plugin-build',
    disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
  });
  const build = performance.now() - started;
  const wasm = join(outDir, 'motd-sm.wasm');
  await writeFile(wasm, component);
  const sm = await measure(ex, wasm, build, component.length);
  console.log('\n## Backends: motd from the same bundle and world');
  console.log('backend          build      size    cold load  warm load   proxy-ping round trip (median / p99)');
  for (const [label, r] of [['QuickJS', quickjs], ['StarlingMonkey', sm]] as const) {
    console.log(label.padEnd(14), fmt(r.build).padStart(8), mb(r.bytes).padStart(9), fmt(r.load.a.median).padStart(10), fmt(r.load.b.median).padStart(10), fmt(r.trip.b.median).padStart(12), fmt(r.p99).padStart(10));
  }
}

export async function benchPluginExamples(withBackends = false): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-plugin-builds-'));
  try {
    const rows = await benchExamples(outDir);
    if (withBackends) await compareBackends(outDir, rows.get('motd')!);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPluginExamples(process.argv.includes('--compare-backends'));
