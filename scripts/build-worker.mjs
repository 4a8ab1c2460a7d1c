// Bundles the guest worker ahead of time (a packaged app has no sources to bundle at run time).
import { register } from 'tsx/esm/api';

register();
const { bundleWorker, packageRoot } = await import('../src/main/guest/worker-entry.ts');
const { join } = await import('node:path');
const root = packageRoot();
await bundleWorker(root, join(root, 'out', 'worker', 'guest-worker.mjs'));
