// Follows hand edits: infrarust.toml → host.reloadConfig(); .wasm files appearing, changing, leaving or
// being renamed in plugins_dir → loadFile/unloadFile. Changes are batched (debounced) and judged by
// content hash, so a touched-but-identical file, and the panel's own writes, reload nothing.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sha256File } from '../fs/file-hash';
import { DATA_FOLDER_LIST, dataFolderOwner, listedDataFolders } from '../plugins/data-folders';
import { CACHE_DIR_NAME, scanPlugins } from '../plugins/plugin-scan';
import { sha256 } from '../wasm/artifact-cache';
import type { Host } from './host';

export interface HostWatcherOptions {
  /** Quiet time after the last change before a batch is applied. */
  debounceMs?: number;
  /** Problems the watcher cannot act on (a folder that cannot be watched, a failed reload). */
  onProblem?: (message: string) => void;
}

export interface HostWatcher {
  /** Resolves once the first reconciliation (files added or removed while nobody watched) is done. */
  readonly ready: Promise<void>;
  /**
   * Announces our own write of `path` (`null`: deletion). Until the returned function is called the
   * watcher leaves the path alone; afterwards, content equal to `content` counts as already applied,
   * and anything else (a hand edit made meanwhile) is applied as usual.
   */
  expect(path: string, content: string | Uint8Array | null): () => void;
  close(): Promise<void>;
}

interface Known {
  hash: string | null;
  /** Stat fingerprint the hash was computed for; absent when the hash came from `expect`. */
  stamp?: string;
}

const DEFAULT_DEBOUNCE_MS = 200;

export function watchHost(host: Host, opts: HostWatcherOptions = {}): HostWatcher {
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const problem = opts.onProblem ?? (() => undefined);
  const configFile = host.configFile;
  const known = new Map<string, Known>();
  const inFlight = new Map<string, number>();
  const dirWatchers = new Map<string, FSWatcher>();
  let configWatcher: FSWatcher | null = null;
  let armedPluginsDir = host.plugins.pluginsDir;
  let configDirty = false;
  let pluginsDirty = false;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let work: Promise<void> = Promise.resolve();

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      work = work.then(runBatch).catch((err: Error) => problem(`applying file changes failed: ${err.message}`));
    }, debounceMs);
  };

  const openWatcher = (dir: string, onEvent: (name: string | null) => void): FSWatcher | null => {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => onEvent(name === null ? null : String(name)));
      w.on('error', (err) => problem(`stopped watching ${dir}: ${err.message}`));
      return w;
    } catch (err) {
      problem(`cannot watch ${dir}: ${(err as Error).message}`);
      return null;
    }
  };

  const onPluginsEvent = (name: string | null): void => {
    // The artifact cache, the data-folder list and atomic-write temp files never hold a plugin.
    if (name === CACHE_DIR_NAME || name === DATA_FOLDER_LIST || (name?.startsWith('.') && name.endsWith('.tmp'))) return;
    pluginsDirty = true;
    schedule();
  };

  const onConfigDirEvent = (name: string | null): void => {
    if (name !== null && name !== basename(configFile)) return;
    configDirty = true;
    schedule();
  };

  /** Watches plugins_dir and each folder under it that a plugin may sit in. */
  const armPluginDirs = async (): Promise<void> => {
    const dirs = new Set(await pluginFolders(armedPluginsDir));
    for (const [dir, w] of dirWatchers) {
      if (dirs.has(dir)) continue;
      w.close();
      dirWatchers.delete(dir);
    }
    for (const dir of dirs) {
      if (dirWatchers.has(dir)) continue;
      const w = openWatcher(dir, onPluginsEvent);
      if (w) dirWatchers.set(dir, w);
    }
  };

  const busy = (path: string): boolean => (inFlight.get(path) ?? 0) > 0;

  const applyConfigChange = async (): Promise<void> => {
    if (busy(configFile)) return;
    const hash = await contentHash(configFile);
    if (hash === known.get(configFile)?.hash) return;
    known.set(configFile, { hash });
    await host.reloadConfig();
    if (host.plugins.pluginsDir !== armedPluginsDir) {
      armedPluginsDir = host.plugins.pluginsDir;
      pluginsDirty = true;
    }
  };

  const applyPluginChanges = async (): Promise<void> => {
    await mkdir(armedPluginsDir, { recursive: true });
    await armPluginDirs();
    const scan = await scanPlugins(armedPluginsDir);
    host.plugins.syncRefused(scan);
    const present = new Set(scan.files);
    const removed = [...known.keys()].filter((p) => p !== configFile && !present.has(p) && !busy(p));
    const changed: string[] = [];
    for (const file of scan.files) {
      if (busy(file)) continue;
      const before = known.get(file);
      const now = await fingerprint(file, before);
      if (!now) continue; // vanished between the scan and the read: the next batch sees it gone
      known.set(file, now);
      if (now.hash !== before?.hash) changed.push(file);
    }
    // Removals first, so a renamed file's id is free again when its new name loads.
    for (const file of removed) {
      const wasLoaded = known.get(file)?.hash !== null;
      known.delete(file);
      if (wasLoaded) await host.plugins.unloadFile(file);
    }
    await Promise.all(changed.map((file) => host.plugins.loadFile(file)));
  };

  async function runBatch(): Promise<void> {
    if (closed) return;
    if (configDirty) {
      configDirty = false;
      await applyConfigChange().catch((err: Error) => problem(`reloading ${configFile} failed: ${err.message}`));
    }
    if (pluginsDirty) {
      pluginsDirty = false;
      await applyPluginChanges().catch((err: Error) => problem(`applying changes in ${armedPluginsDir} failed: ${err.message}`));
    }
  }

  /** Learns what is on disk now; loads files the host does not know, unloads those that left. */
  const reconcile = async (): Promise<void> => {
    known.set(configFile, { hash: await contentHash(configFile) });
    configWatcher = openWatcher(dirname(configFile), onConfigDirEvent);
    await mkdir(armedPluginsDir, { recursive: true });
    await armPluginDirs();
    const scan = await scanPlugins(armedPluginsDir);
    host.plugins.syncRefused(scan);
    const loaded = new Set(host.plugins.list().filter((p) => p.kind === 'wasm').map((p) => p.file));
    for (const file of scan.files) {
      const now = await fingerprint(file, undefined);
      if (now) known.set(file, now);
      if (!loaded.has(file)) await host.plugins.loadFile(file);
    }
    const present = new Set(scan.files);
    for (const file of loaded) if (!present.has(file)) await host.plugins.unloadFile(file);
  };

  const ready = (work = reconcile().catch((err: Error) => problem(`watching failed to start: ${err.message}`)));

  return {
    ready,
    expect(path, content) {
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      known.set(path, { hash: content === null ? null : sha256(content) });
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const left = (inFlight.get(path) ?? 1) - 1;
        if (left > 0) inFlight.set(path, left);
        else inFlight.delete(path);
        // Look again: a hand edit may have landed while our write was in flight.
        if (path === configFile) configDirty = true;
        else pluginsDirty = true;
        schedule();
      };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      configWatcher?.close();
      for (const w of dirWatchers.values()) w.close();
      dirWatchers.clear();
      await work;
    },
  };
}

/** sha256 of a file's content, null when it does not exist. */
async function contentHash(path: string): Promise<string | null> {
  try {
    return await sha256File(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The file's hash, re-read only when its size, mtime or inode moved since `before`. */
async function fingerprint(path: string, before: Known | undefined): Promise<Known | null> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) return null;
  const stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  if (before?.stamp === stamp) return before;
  const hash = await contentHash(path);
  return hash === null ? null : { hash, stamp };
}

/**
 * plugins_dir and its sub-folders, walked like the plugin scan: never through a symbolic link, never
 * into the artifact cache or a plugin's data folder (a guest must not be able to flood us with watches,
 * nor make us rescan on each of its writes: a .wasm it writes there is reported at the next scan).
 */
async function pluginFolders(root: string): Promise<string[]> {
  const out: string[] = [];
  const listed = await listedDataFolders(root);
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
    // Only plugins_dir/<id> is ever a data folder.
    if (!entries || (depth === 1 && (await dataFolderOwner(root, basename(dir), listed)))) return;
    out.push(dir);
    for (const e of entries) {
      if (e.isDirectory() && !e.isSymbolicLink() && e.name !== CACHE_DIR_NAME) await walk(join(dir, e.name), depth + 1);
    }
  };
  await walk(root, 0);
  return out;
}
