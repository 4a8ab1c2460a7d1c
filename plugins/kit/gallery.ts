// The example plugins as the app ships them: each example built (or taken from the build cache), asked for
// its own metadata through the same check a dropped file gets, and copied with a manifest into one folder
// (`npm run build` makes out/examples/, which the panel's gallery reads).
import { mkdtemp, readFile, readdir, rename, rm, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ExamplePluginView } from '../../src/shared/control-api';
import { defaultHostConfig } from '../../src/main/config/config-defaults';
import { EXAMPLES_MANIFEST, readExamples } from '../../src/main/control/example-gallery';
import { checkUpload } from '../../src/main/control/upload-check';
import { PLUGINS_DIR, buildPlugin, pluginSource } from './build-plugin';

/** Every folder of plugins/examples, sorted. */
export async function exampleFolders(): Promise<string[]> {
  const root = join(PLUGINS_DIR, 'examples');
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => join(root, e.name)).sort();
}

/** Replaces `outDir` with the examples' components and their manifest; returns the manifest. */
export async function buildGallery(outDir: string, folders?: string[]): Promise<ExamplePluginView[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'infrarust-gallery-'));
  const staged = join(scratch, 'examples');
  await mkdir(staged);
  try {
    const manifest: ExamplePluginView[] = [];
    // The check (a transpile and a probe guest per plugin) is skipped for a component already shipped as is.
    const previous = await readExamples(outDir).catch(() => []);
    for (const folder of folders ?? (await exampleFolders())) {
      const built = await buildPlugin(pluginSource(folder));
      const file = basename(built.wasm);
      const bytes = await readFile(built.wasm);
      await copyFile(built.wasm, join(staged, file));
      const same = previous.find((e) => e.file === file);
      if (same && (await readFile(join(outDir, file)).catch(() => null))?.equals(bytes)) {
        manifest.push({ ...same, size: bytes.length, capabilities: built.capabilities });
        continue;
      }
      const check = await checkUpload(file, bytes, {
        pluginsDir: join(scratch, 'plugins'),
        limits: defaultHostConfig(scratch).wasm,
        maxBytes: Number.MAX_SAFE_INTEGER,
        progress: () => undefined,
      });
      if (!check.ok) throw new Error(`example ${file} does not pass the deploy check: ${check.reason}`);
      await check.staged.discard();
      const { id, name, version, description } = check.staged.metadata;
      manifest.push({ file, id, name, version, description: description ?? '', size: bytes.length, capabilities: built.capabilities });
    }
    await writeFile(join(staged, EXAMPLES_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    // Swap the folder in whole: the app never sees a half-written gallery.
    await mkdir(dirname(outDir), { recursive: true });
    await rm(outDir, { recursive: true, force: true });
    await rename(staged, outDir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await mkdir(outDir);
      for (const name of await readdir(staged)) await copyFile(join(staged, name), join(outDir, name));
    });
    return manifest;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
