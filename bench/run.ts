// `npm run bench`: every benchmark, each reporting ratios against a baseline measured in the same run.
import { benchContracts } from './contracts';
import { benchEventRoundTrip, benchRunaway } from './event-roundtrip';
import { benchMemory } from './memory';
import { benchPluginExamples } from './plugin-examples';
import { benchPluginLoad } from './plugin-load';
import { benchProxy } from './proxy-throughput';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  load: benchPluginLoad,
  events: benchEventRoundTrip,
  runaway: benchRunaway,
  memory: benchMemory,
  proxy: () => benchProxy(),
  examples: () => benchPluginExamples(),
  contracts: () => benchContracts(),
};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
  console.log();
}
