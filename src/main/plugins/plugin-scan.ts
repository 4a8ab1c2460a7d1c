// Finds plugin files under plugins_dir: every *.wasm, recursively, in sorted path order.
// Never follows a symbolic link (a guest-made `../..` link must neither widen nor hang the scan),
// skips the artifact cache, and skips plugin data folders (a guest must not plant a plugin there).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const CACHE_DIR_NAME = '.cache';
/** Marker the host writes into each plugin data folder it creates. */
export const DATA_DIR_MARKER = '.infrarust-plugin-data';

export interface ScanResult {
  files: string[];
  /** Folders that could not be listed: reported, the rest of the scan goes on. */
  problems: { path: string; message: string }[];
}

export async function scanPlugins(pluginsDir: string): Promise<ScanResult> {
  const result: ScanResult = { files: [], problems: [] };
  await walk(pluginsDir, result, true);
  result.files.sort();
  return result;
}

async function walk(dir: string, result: ScanResult, isRoot: boolean): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (isRoot && code === 'ENOENT') return; // no plugins folder: no plugins
    result.problems.push({ path: dir, message: (err as Error).message });
    return;
  }
  if (!isRoot && entries.some((e) => e.name === DATA_DIR_MARKER)) return;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (entry.name !== CACHE_DIR_NAME) await walk(path, result, false);
    } else if (entry.isFile() && entry.name.endsWith('.wasm')) {
      result.files.push(path);
    }
  }
}
