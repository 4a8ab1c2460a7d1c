// A plugin's metadata, remembered beside its cached artifact: a warm start (and a disabled plugin)
// learns the id without instantiating a probe. Anything unreadable is simply probed again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginMetadata } from '../contract/guest-types';
import { writeFileAtomic } from '../fs/atomic-write';

const FILE = 'metadata.json';

export async function readCachedMetadata(artifactDir: string): Promise<PluginMetadata | null> {
  try {
    const raw = JSON.parse(await readFile(join(artifactDir, FILE), 'utf8')) as Record<string, unknown>;
    const ok = ['id', 'name', 'version'].every((k) => typeof raw[k] === 'string') && Array.isArray(raw.authors) && Array.isArray(raw.dependencies);
    return ok ? { ...(raw as unknown as PluginMetadata), description: (raw.description as string | null) ?? undefined } : null;
  } catch {
    return null;
  }
}

export async function writeCachedMetadata(artifactDir: string, metadata: PluginMetadata): Promise<void> {
  await writeFileAtomic(join(artifactDir, FILE), JSON.stringify({ ...metadata, description: metadata.description ?? null }));
}
