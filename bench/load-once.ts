// Child process of bench/plugin-load.ts: one load of a plugins folder in a fresh process, as at
// application start (jco is loaded only if something must be transpiled). Prints the time in ms.
import { join } from 'node:path';
import { defaultHostConfig } from '../src/main/config/config-defaults';
import { guestWorkerEntry } from '../src/main/guest/worker-entry';
import { PluginManager } from '../src/main/plugins/plugin-manager';

const dir = process.argv[2]!;
await guestWorkerEntry(); // a packaged app ships the bundle: not part of the load
const m = new PluginManager({ config: { ...defaultHostConfig(dir), pluginsDir: join(dir, 'plugins') } });
const t0 = performance.now();
await m.loadAll();
const ms = performance.now() - t0;
if (m.list().some((p) => p.state !== 'enabled')) throw new Error('a bench plugin did not enable');
await m.shutdown();
process.stdout.write(`${ms}\n`);
