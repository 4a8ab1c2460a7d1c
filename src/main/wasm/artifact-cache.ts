// The AOT cache: each plugin's transpiled glue and memory-capped core modules, stored under
// `<plugins_dir>/.cache/<key>/`. The key covers everything the artifact depends on, so a stale
// entry is never taken as good; an entry that fails verification is removed and rebuilt.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentImportFunctions } from './component-imports';
import { capMemory, WASM_PAGE } from './memory-cap';
import { transpilerVersion, transpileComponent } from './transpile';
import { enableWasmFeatures } from './wasm-features';

/** Bump when the layout or the post-processing of artifacts changes. */
// 2: the glue lets a late limbo-session borrow drop through (transpile.ts).
// 3: the manifest lists the functions of each import (the capability report reads them).
const ARTIFACT_FORMAT = 3;
const MANIFEST = 'manifest.json';
export const GLUE_FILE = 'component.mjs';

export interface ArtifactKey {
  wasmSha256: string;
  runtime: string;
  contract: string;
  memoryPages: number;
}

interface Manifest {
  key: ArtifactKey;
  /** Interfaces as jco names the import-object keys (unversioned). */
  imports: string[];
  /** Import (unversioned, as in `imports`) → the functions the component imports from it (null: unreadable). */
  functions: Record<string, string[] | null>;
  exports: string[];
  /** file name → sha256 */
  files: Record<string, string>;
}

export interface Artifact {
  dir: string;
  gluePath: string;
  imports: string[];
  /** Import → the functions the component imports from it, read from its binary (wasm/component-imports.ts). */
  functions: Record<string, string[] | null>;
  exports: string[];
  modules: Record<string, WebAssembly.Module>;
  fromCache: boolean;
  /** The contract it was built for (its guest export's version). */
  contract: string;
}

export interface CacheOptions {
  cacheDir: string;
  memoryLimitMb: number;
  /** The contract the component was built for (read from its guest export): part of the key. */
  contract: string;
  warn: (message: string) => void;
  /** Long work (a first transpile) reports here. */
  progress?: (phase: 'transpiling' | 'compiling') => void;
}

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export function artifactKey(wasm: Uint8Array, memoryLimitMb: number, contract: string): ArtifactKey {
  return {
    wasmSha256: sha256(wasm),
    runtime: `jco-transpile@${transpilerVersion()}+artifact@${ARTIFACT_FORMAT}`,
    contract,
    memoryPages: (memoryLimitMb * 1024 * 1024) / WASM_PAGE,
  };
}

const entryName = (key: ArtifactKey): string => sha256(JSON.stringify(key));

/** Loads the artifact for these bytes from the cache, building (and storing) it on a miss. */
export async function loadArtifact(wasm: Uint8Array, opts: CacheOptions): Promise<Artifact> {
  const key = artifactKey(wasm, opts.memoryLimitMb, opts.contract);
  const dir = join(opts.cacheDir, entryName(key));
  const cached = await readEntry(dir, key).catch((err: Error) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      opts.warn(`cache entry ${dir} is unusable (${err.message}): removed and rebuilt`);
    }
    return null;
  });
  if (cached) return compile(dir, cached, true, opts);
  await rm(dir, { recursive: true, force: true });
  const built = await buildEntry(wasm, key, opts);
  const stored = await storeEntry(opts.cacheDir, dir, built).catch(async (err: Error) => {
    // A read-only plugins folder still loads: the worker imports the glue from a private fallback.
    const fallback = join(tmpdir(), 'infrarust-desktop-cache');
    opts.warn(`could not write cache entry ${dir} (${err.message}); using ${fallback}`);
    return storeEntry(fallback, join(fallback, entryName(key)), built);
  });
  return compile(stored, built, false, opts);
}

interface Entry {
  manifest: Manifest;
  fileBytes: Map<string, Uint8Array>;
}

async function readEntry(dir: string, key: ArtifactKey): Promise<Entry> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  if (JSON.stringify(manifest.key) !== JSON.stringify(key)) throw new Error('it was built for another key');
  if (!manifest.files?.[GLUE_FILE]) throw new Error('its manifest lists no glue module');
  if (typeof manifest.functions !== 'object' || manifest.functions === null) throw new Error('its manifest lists no imported functions');
  const fileBytes = new Map<string, Uint8Array>();
  for (const [name, hash] of Object.entries(manifest.files)) {
    const bytes = await readFile(join(dir, name));
    if (sha256(bytes) !== hash) throw new Error(`${name} does not match its recorded hash`);
    fileBytes.set(name, bytes);
  }
  return { manifest, fileBytes };
}

async function buildEntry(wasm: Uint8Array, key: ArtifactKey, opts: CacheOptions): Promise<Entry> {
  opts.progress?.('transpiling');
  const out = await transpileComponent(wasm);
  const fileBytes = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(out.files)) {
    if (name.endsWith('.wasm')) fileBytes.set(name, capMemory(bytes, key.memoryPages));
    else if (name === out.glueName) fileBytes.set(GLUE_FILE, bytes);
  }
  const files: Record<string, string> = {};
  for (const [name, bytes] of fileBytes) files[name] = sha256(bytes);
  const functions: Record<string, string[] | null> = {};
  for (const [name, fns] of componentImportFunctions(wasm)) functions[name.replace(/@[^@/]*$/, '')] = fns;
  return { manifest: { key, imports: out.imports, functions, exports: out.exports, files }, fileBytes };
}

/** Writes into a private temp dir, then renames it into place: a crash never leaves a half entry. */
async function storeEntry(cacheDir: string, dir: string, entry: Entry): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  await removeStaleTemps(cacheDir);
  const tmp = join(cacheDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp);
  try {
    for (const [name, bytes] of entry.fileBytes) await writeFile(join(tmp, name), bytes);
    await writeFile(join(tmp, MANIFEST), JSON.stringify(entry.manifest, null, 1));
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another loader stored the same entry first: theirs is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const STALE_TEMP_MS = 10 * 60 * 1000;

async function removeStaleTemps(cacheDir: string): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    if (!name.startsWith('.tmp-')) continue;
    const path = join(cacheDir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(path, { recursive: true, force: true });
  }
}

async function compile(dir: string, entry: Entry, fromCache: boolean, opts: CacheOptions): Promise<Artifact> {
  opts.progress?.('compiling');
  enableWasmFeatures();
  const modules: Record<string, WebAssembly.Module> = {};
  for (const [name, bytes] of entry.fileBytes) {
    if (name.endsWith('.wasm')) modules[name] = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  return { dir, gluePath: join(dir, GLUE_FILE), imports: entry.manifest.imports, functions: entry.manifest.functions, exports: entry.manifest.exports, modules, fromCache, contract: entry.manifest.key.contract };
}
