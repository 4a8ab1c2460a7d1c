// Locates the guest worker's bundled entry. Workers need plain JavaScript (a TypeScript loader adds
// ~200 ms to every spawn), so the worker is bundled with esbuild: once per process when running from
// sources, or ahead of time by `npm run build` for a packaged app.
import { existsSync, readFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUNDLE = join('out', 'worker', 'guest-worker.mjs');
const SOURCE = join('src', 'main', 'guest', 'guest-worker.ts');

export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'infrarust-desktop') return dir;
    if (dirname(dir) === dir) throw new Error('cannot find the infrarust-desktop package root');
  }
}

let entry: Promise<string> | undefined;

export function guestWorkerEntry(): Promise<string> {
  entry ??= (async () => {
    const root = packageRoot();
    const out = join(root, BUNDLE);
    if (existsSync(join(root, SOURCE))) await bundleWorker(root, out);
    else if (!existsSync(out)) throw new Error(`guest worker bundle ${out} is missing: run npm run build`);
    return unpackedPath(out);
  })();
  return entry;
}

/**
 * In a packaged app the worker lies in app.asar.unpacked (asarUnpack in packaging/electron-builder.mjs):
 * a worker thread is started from a real file, whose imports then resolve to real files too.
 */
export function unpackedPath(path: string): string {
  const inAsar = `${sep}app.asar${sep}`;
  return path.includes(inAsar) ? path.replace(inAsar, `${sep}app.asar.unpacked${sep}`) : path;
}

export async function bundleWorker(root: string, out: string): Promise<void> {
  const { build } = await import('esbuild');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, SOURCE)],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // preview2-shim locates its own helper worker relative to its files: keep packages external.
    packages: 'external',
    logLevel: 'silent',
  });
  // Parallel test processes may bundle at once: each renames a complete file into place.
  renameSync(tmp, out);
}
