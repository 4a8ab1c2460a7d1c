// Finds plugin files under plugins_dir: every *.wasm, recursively, in sorted path order.
// Never follows a symbolic link (a guest-made `../..` link must neither widen nor hang the scan) and
// skips the artifact cache. A `.wasm` inside a marked data folder, or a `.wasm` that is a link, is
// refused with its reason rather than skipped: nothing leaves the list without a word.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RefusedPluginFile } from '../../shared/plugin-state';
import { dataFolderOwner, dataFolderRefusal, listedDataFolders, symlinkRefusal } from './data-folders';

export const CACHE_DIR_NAME = '.cache';

/** Entries listed inside one data folder at most: the folder is a guest's, it must not make every scan slow. */
const DATA_FOLDER_ENTRY_LIMIT = 10_000;

export interface ScanResult {
  /** Candidates to load (the data-folder rule by id is applied once their metadata is known). */
  files: string[];
  refused: RefusedPluginFile[];
  /** Folders that could not be listed: reported, the rest of the scan goes on. */
  problems: { path: string; message: string }[];
}

export async function scanPlugins(pluginsDir: string): Promise<ScanResult> {
  const result: ScanResult = { files: [], refused: [], problems: [] };
  await walk(pluginsDir, result, pluginsDir, await listedDataFolders(pluginsDir));
  result.files.sort();
  result.refused.sort((a, b) => a.file.localeCompare(b.file));
  return result;
}

async function walk(dir: string, result: ScanResult, pluginsDir: string, listed: Set<string>): Promise<void> {
  const entries = await list(dir, result, dir === pluginsDir);
  for (const entry of entries ?? []) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      if (entry.name.endsWith('.wasm')) result.refused.push(symlinkRefusal(path));
    } else if (entry.isDirectory()) {
      if (entry.name === CACHE_DIR_NAME) continue;
      // Only plugins_dir/<id> is ever preopened: deeper folders are never data folders.
      const owner = dir === pluginsDir ? await dataFolderOwner(pluginsDir, entry.name, listed) : null;
      if (owner) await listRefused(path, result, (file) => dataFolderRefusal(pluginsDir, file, owner));
      else await walk(path, result, pluginsDir, listed);
    } else if (entry.isFile() && entry.name.endsWith('.wasm')) {
      result.files.push(path);
    }
  }
}

/** Every `.wasm` in a data folder, refused, without running or reading any of them. */
async function listRefused(root: string, result: ScanResult, refuse: (file: string) => RefusedPluginFile): Promise<void> {
  const pending = [root];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of (await list(dir, result, false)) ?? []) {
      if (++seen > DATA_FOLDER_ENTRY_LIMIT) {
        result.problems.push({ path: root, message: `a plugin data folder with over ${DATA_FOLDER_ENTRY_LIMIT} entries: not every .wasm in it is listed (none is loaded)` });
        return;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink()) pending.push(path);
      else if (entry.name.endsWith('.wasm') && (entry.isFile() || entry.isSymbolicLink())) result.refused.push(refuse(path));
    }
  }
}

async function list(dir: string, result: ScanResult, isRoot: boolean) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!(isRoot && code === 'ENOENT')) result.problems.push({ path: dir, message: (err as Error).message }); // no plugins folder: no plugins
    return null;
  }
}
