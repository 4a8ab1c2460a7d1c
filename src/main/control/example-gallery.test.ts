// The shipped examples' manifest, read from a real folder: malformed entries are never offered.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES_MANIFEST, exampleBytes, readExamples } from './example-gallery';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gallery-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const good = { file: 'motd.wasm', id: 'motd', name: 'MOTD', version: '1.0.0', description: 'x', size: 9, capabilities: ['event-bus'] };
const manifest = (entries: unknown) => writeFile(join(dir, EXAMPLES_MANIFEST), JSON.stringify(entries));

describe('readExamples', () => {
  it('offers the well-formed entries only: no paths, no unknown capabilities, no missing fields', async () => {
    await manifest([
      good,
      { ...good, file: '../../secret.wasm' },
      { ...good, file: 'sub/dir.wasm' },
      { ...good, file: 'notes.txt' },
      { ...good, capabilities: ['transport-filter'] },
      { ...good, description: undefined },
      { ...good, size: '9' },
      'motd.wasm',
      null,
    ]);
    expect(await readExamples(dir)).toEqual([good]);
  });

  it('no manifest means no examples; a broken one is an error naming the file', async () => {
    expect(await readExamples(dir)).toEqual([]);
    await writeFile(join(dir, EXAMPLES_MANIFEST), '{ not json');
    await expect(readExamples(dir)).rejects.toThrow(join(dir, EXAMPLES_MANIFEST));
  });

  it('reads the bytes of a listed example only', async () => {
    await manifest([good]);
    await writeFile(join(dir, 'motd.wasm'), 'component');
    await writeFile(join(dir, 'other.wasm'), 'not listed');
    expect((await exampleBytes(dir, 'motd.wasm'))?.bytes.toString()).toBe('component');
    expect(await exampleBytes(dir, 'other.wasm')).toBeNull();
  });
});
