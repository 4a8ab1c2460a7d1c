// The disk side of the scenarios: what a folder holds, and exactly what changed in a text file.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'smol-toml';

/** Every entry under `dir` (symlinks not followed): relative path → sha256 of a file, or its kind. */
export async function treeOf(dir: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const key = relative(dir, path);
      if (entry.isDirectory()) {
        tree[key] = 'dir';
        await walk(path);
      } else if (entry.isFile()) {
        tree[key] = createHash('sha256').update(await readFile(path)).digest('hex');
      } else {
        tree[key] = 'other';
      }
    }
  };
  await walk(dir);
  return tree;
}

/** The one contiguous edit that turns `before` into `after`: every other byte is shared. */
export function spliceOf(before: string, after: string): { removed: string; inserted: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { removed: before.slice(start, before.length - end), inserted: after.slice(start, after.length - end) };
}

/** `[plugins.<id>]` as the host would read it. */
export function pluginSettings(configText: string, id: string): Record<string, unknown> | undefined {
  return (parse(configText) as { plugins?: Record<string, Record<string, unknown>> }).plugins?.[id];
}
