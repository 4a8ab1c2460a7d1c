// Text files in the plugin's data folder (plugins_dir/<id>/ on the host), which is the plugin's whole
// filesystem: paths are relative to it ("/allowlist.txt" and "allowlist.txt" are the same file).
// Uses WASI filesystem, which needs no capability.
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';
import type { Descriptor } from 'wasi:filesystem/types@0.2.12';
import { decodeUtf8, encodeUtf8 } from './utf8';

const CHUNK = 64 * 1024;

let rootDir: Descriptor | undefined;

/** Looked up once: each getDirectories() call hands out new handles. */
function root(): Descriptor {
  rootDir ??= getDirectories().find(([, path]) => path === '/')?.[0];
  if (!rootDir) throw new Error('the host gave this plugin no data folder');
  return rootDir;
}

const relative = (path: string): string => path.replace(/^\/+/, '');

/** The file's text, or undefined when it does not exist. */
export function readDataFile(path: string): string | undefined {
  let file: Descriptor;
  try {
    file = root().openAt({}, relative(path), {}, { read: true });
  } catch (err) {
    if ((err as { payload?: unknown }).payload === 'no-entry') return undefined;
    throw err;
  }
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const [bytes, end] = file.read(CHUNK, size);
      chunks.push(bytes);
      size += bytes.length;
      if (end || bytes.length === 0) break;
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return decodeUtf8(all);
  } finally {
    file[Symbol.dispose]();
  }
}

/**
 * A stamp that changes when the file does (modification time and size), or undefined when it does not
 * exist: one stat, several times cheaper than reading, to reread a file only when it changed.
 */
export function dataFileVersion(path: string): string | undefined {
  try {
    const { size, dataModificationTimestamp: t } = root().statAt({}, relative(path));
    return `${t?.seconds}.${t?.nanoseconds}:${size}`;
  } catch (err) {
    if ((err as { payload?: unknown }).payload === 'no-entry') return undefined;
    throw err;
  }
}

/**
 * Creates or replaces the file atomically: the text goes to `<path>.tmp`, which is then renamed over it, so a
 * crash or a full disk mid-write leaves the old file whole.
 */
export function writeDataFile(path: string, content: string): void {
  const target = relative(path);
  const temp = `${target}.tmp`;
  const file = root().openAt({}, temp, { create: true, truncate: true }, { write: true });
  try {
    const bytes = encodeUtf8(content);
    for (let at = 0; at < bytes.length; ) at += file.write(bytes.subarray(at), at);
  } finally {
    file[Symbol.dispose]();
  }
  root().renameAt(temp, root(), target);
}
