// The host's contract types cannot drift from wit/: regenerating them from wit/ with jco must give the
// committed files byte for byte (regenerate: npm run contract:types).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateAll } from '../scripts/contract-types.mjs';

async function committed(): Promise<Map<string, string>> {
  const entries = await readdir(GENERATED_DIR, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return new Map(await Promise.all(files.map(async (f) => [f.slice(GENERATED_DIR.length), await readFile(f, 'utf8')] as const)));
}

describe('generated contract types', () => {
  it('are what jco generates from wit/ today, for both contracts', async () => {
    const fresh: Map<string, string> = await generateAll();
    const onDisk = await committed();
    expect([...onDisk.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect(onDisk.get(name), name).toBe(text);
  });
});
