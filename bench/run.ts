// `npm run bench [name] [-- --json FILE]`: every benchmark (or one), each comparing against a baseline measured
// in the same run (bench/compare.ts), then a summary table of every goal; --json writes the same as JSON so
// figures can be compared between commits.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { benchCluster } from './cluster';
import { benchContracts } from './contracts';
import { benchEventRoundTrip, benchRunaway } from './event-roundtrip';
import { allOutcomes, summaryTable } from './goals';
import { benchMemory } from './memory';
import { benchPanelMemory } from './panel-memory';
import { benchPluginExamples } from './plugin-examples';
import { benchPluginLoad } from './plugin-load';
import { benchProxy } from './proxy-throughput';
import { benchProxyModes } from './proxy-modes';
import { benchCodecFilters, benchLimboCapacity } from './codec-limbo';

const benches: Record<string, () => Promise<void>> = {
  load: benchPluginLoad,
  events: benchEventRoundTrip,
  runaway: benchRunaway,
  memory: benchMemory,
  proxy: () => benchProxy(),
  modes: () => benchProxyModes(),
  examples: () => benchPluginExamples(),
  cluster: () => benchCluster(),
  panel: benchPanelMemory,
  codec: benchCodecFilters,
  limbo: benchLimboCapacity,
  contracts: () => benchContracts(),
};

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
const only = args.filter((a, i) => !a.startsWith('--') && !(jsonAt >= 0 && i === jsonAt + 1));
const unknown = only.filter((name) => !(name in benches));
if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; one of ${Object.keys(benches).join('|')}`);

const load = () => loadavg()[0]!.toFixed(1);
const started = { at: new Date(), load: load() };
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  await run();
  console.log();
}
const minutes = ((Date.now() - started.at.getTime()) / 60_000).toFixed(1);
const machine = `${cpus().length} cores, load average ${started.load} at start, ${load()} at end; ${minutes} min; Node ${process.version}`;
console.log(`## Summary (${machine})`);
console.log(summaryTable());

if (jsonFile) {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  const report = { commit, date: started.at.toISOString(), node: process.version, cpus: cpus().length, loadAverage: { start: Number(started.load), end: Number(load()) }, minutes: Number(minutes), outcomes: allOutcomes() };
  await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written to ${jsonFile}`);
}
