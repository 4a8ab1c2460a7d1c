// Builds the example plugins the app ships into out/examples/ (components + manifest), for the panel's gallery.
import { register } from 'tsx/esm/api';

register();
const { buildGallery } = await import('../plugins/kit/gallery.ts');
const { packageRoot } = await import('../src/main/guest/worker-entry.ts');
const { join } = await import('node:path');
const manifest = await buildGallery(join(packageRoot(), 'out', 'examples'));
console.log(`out/examples: ${manifest.map((e) => e.file).join(', ')}`);
