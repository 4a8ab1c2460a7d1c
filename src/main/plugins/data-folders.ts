// The data-folder rule. A plugin's data folder is plugins_dir/<id>: its only preopened directory, which
// it can write. No plugin file is ever loaded from a data folder, so no plugin can rewrite a plugin file.
// A folder is a data folder when the host has marked it (it was one on some earlier start, even if its
// plugin is gone) or when some plugin file found reports that id. Each folder judged a data folder by id
// is marked at once, so every later start — cold or warm — gives each file the same answer without
// running anything found inside. Marks live in plugins_dir/.data-folders, out of every guest's reach
// (a guest could delete or relink a marker inside its own folder), and, for people and for folders
// marked before that list existed, in a marker file inside the folder.
import { PLUGIN_ID } from './plugin-slot';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { RefusedPluginFile } from '../../shared/plugin-state';
import { writeFileAtomic } from '../fs/atomic-write';

/** Marker the host writes into each data folder; it holds the owning plugin's id. */
export const DATA_DIR_MARKER = '.infrarust-plugin-data';
/** The ids whose data folders the host has marked, one per line, at plugins_dir's top (an id never starts with a dot). */
export const DATA_FOLDER_LIST = '.data-folders';

/** The name of the plugins_dir sub-folder `file` sits in (at any depth); null for a file at the top level. */
export function topFolderOf(pluginsDir: string, file: string): string | null {
  const parts = relative(pluginsDir, file).split(sep);
  return parts.length > 1 ? parts[0]! : null;
}

/** The id whose data folder a top-level folder is: ids are lower case, and a case-insensitive disk makes `Motd/` the same folder as `motd/`. */
export function folderId(name: string): string {
  return name.toLowerCase();
}

/** The ids plugins_dir/.data-folders lists (none when it is missing or unreadable: the markers and the id rule still hold). */
export async function listedDataFolders(pluginsDir: string): Promise<Set<string>> {
  const text = await readFile(join(pluginsDir, DATA_FOLDER_LIST), 'utf8').catch(() => '');
  return new Set(text.split('\n').map((l) => l.trim()).filter(Boolean));
}

/** The plugin whose data folder plugins_dir/<name> is by its marks, or null. `listed`: the list, when already read. */
export async function dataFolderOwner(pluginsDir: string, name: string, listed?: Set<string>): Promise<string | null> {
  const id = folderId(name);
  if ((listed ?? (await listedDataFolders(pluginsDir))).has(id)) return id;
  return markedOwner(join(pluginsDir, name));
}

/**
 * The plugin id a folder's own marker names, or null when it carries none. A marker written before
 * it held an id (empty) belongs to the folder's own name; one naming another id belongs to nobody (the
 * folder was renamed, which is one of the two fixes we suggest).
 */
export async function markedOwner(dir: string): Promise<string | null> {
  let text: string;
  try {
    const marker = join(dir, DATA_DIR_MARKER);
    if (!(await lstat(marker)).isFile()) return null;
    text = (await readFile(marker, 'utf8')).trim();
  } catch {
    return null;
  }
  const own = folderId(basename(dir));
  return text === '' || text === own ? own : null;
}

/** Marks plugins_dir/<name> as the data folder of `id`, in the list and inside the folder. */
export async function markDataFolder(pluginsDir: string, name: string, id: string): Promise<void> {
  await addToList(pluginsDir, id);
  await writeMarker(join(pluginsDir, name), id);
}

/** Makes (and marks) a plugin's own data folder, the one directory its sandbox preopens; never through a link. */
export async function ensureDataDir(pluginsDir: string, id: string): Promise<string> {
  const dir = join(pluginsDir, id);
  await mkdir(dir, { recursive: true });
  const info = await lstat(dir);
  if (!info.isDirectory()) throw new Error(`its data folder ${dir} is not a plain directory (a symbolic link?): refusing to preopen it`);
  await markDataFolder(pluginsDir, id, id);
  return dir;
}

/** List updates run one at a time: each rewrites the whole file. */
let listUpdates: Promise<unknown> = Promise.resolve();

function addToList(pluginsDir: string, id: string): Promise<void> {
  const update = listUpdates.then(async () => {
    const listed = await listedDataFolders(pluginsDir);
    if (listed.has(id)) return;
    await writeFileAtomic(join(pluginsDir, DATA_FOLDER_LIST), [...listed, id].sort().map((l) => `${l}\n`).join(''));
  });
  listUpdates = update.catch(() => undefined);
  return update;
}

/**
 * The folder is the guest's: a marker it replaced with a symbolic link is removed, never written
 * through (that could rewrite whatever file the link names).
 */
async function writeMarker(dir: string, id: string): Promise<void> {
  if ((await markedOwner(dir)) === id) return;
  const marker = join(dir, DATA_DIR_MARKER);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const handle = await open(marker, flags).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ELOOP') throw err;
    await unlink(marker);
    return open(marker, flags);
  });
  try {
    await handle.writeFile(id);
  } finally {
    await handle.close();
  }
}

export function dataFolderRefusal(pluginsDir: string, file: string, owner: string): RefusedPluginFile {
  const folder = join(pluginsDir, topFolderOf(pluginsDir, file) ?? '');
  return {
    file,
    dataFolderOf: owner,
    reason:
      `${file} is inside ${folder}, the data folder of plugin "${owner}", which that plugin can write: ` +
      `no plugin file is loaded from a data folder. Move the file out of it (e.g. to ${join(pluginsDir, basename(file))}) ` +
      `or rename the folder to something that is not a plugin id (e.g. ${folder}-plugin).`,
  };
}

export function symlinkRefusal(file: string): RefusedPluginFile {
  return { file, dataFolderOf: null, reason: `${file} is a symbolic link: plugin files are loaded only from regular files (links are never followed)` };
}

/**
 * The data-folder rule at a load: each file inside plugins_dir/<id>, where some file reports <id> (its own id
 * or another's, `reported`: refused files included) or the host's list names it, is refused through `refuse`
 * and its folder marked. Runs once metadata is known, before ids are claimed and before any guest gets a
 * filesystem. True when `refuse` said the refused list changed.
 */
export async function refuseFilesInDataFolders<T extends { file: string }>(
  pluginsDir: string,
  files: T[],
  reported: Iterable<string | undefined>,
  refuse: (item: T, entry: RefusedPluginFile) => boolean,
  warn: (message: string) => void,
): Promise<boolean> {
  const inFolders = filesInDataFolders(pluginsDir, files, new Set([...reported, ...(await listedDataFolders(pluginsDir))]));
  let changed = false;
  for (const { item, owner } of inFolders) changed = refuse(item, dataFolderRefusal(pluginsDir, item.file, owner)) || changed;
  for (const [top, owner] of new Map(inFolders.map((f) => [f.top, f.owner]))) {
    await markDataFolder(pluginsDir, top, owner).catch((err: Error) => warn(`cannot mark ${join(pluginsDir, top)} as a data folder: ${err.message}`));
  }
  return changed;
}

/** The files inside plugins_dir/<id> where <id> is one of `ids`. */
function filesInDataFolders<T extends { file: string }>(pluginsDir: string, files: T[], ids: ReadonlySet<string | undefined>): { item: T; top: string; owner: string }[] {
  const out: { item: T; top: string; owner: string }[] = [];
  for (const item of files) {
    const top = topFolderOf(pluginsDir, item.file);
    const owner = top && folderId(top);
    if (!top || !owner || !PLUGIN_ID.test(owner) || !ids.has(owner)) continue;
    out.push({ item, top, owner });
  }
  return out;
}
