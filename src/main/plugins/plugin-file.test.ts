// Plugin files are sized and their headers checked before anything reads them whole.
import { mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/fixtures/index';
import { readPluginFile } from './plugin-file';
import { readFileSync } from 'node:fs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugin-file-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** A sparse file: `size` bytes on paper, only `head` written. */
async function sparseFile(path: string, size: number, head = new Uint8Array()): Promise<void> {
  const handle = await open(path, 'w');
  await handle.write(head, 0, head.length, 0);
  await handle.truncate(size);
  await handle.close();
}

describe('readPluginFile', () => {
  it('reads a component', async () => {
    const bytes = await readPluginFile(fixturePath('minimal'));
    expect(Buffer.from(bytes).equals(readFileSync(fixturePath('minimal')))).toBe(true);
  });

  it('refuses a 200 MB file by its size alone', async () => {
    const file = join(dir, 'zeros.wasm');
    await sparseFile(file, 200 * 1024 * 1024);
    await expect(readPluginFile(file)).rejects.toThrow('it is 200.0 MiB, above the 64.0 MiB limit');
  });

  it('refuses a component padded with a huge custom section by its size', async () => {
    const file = join(dir, 'padded.wasm');
    // Component header, then a custom section (id 0) announcing 199 MiB.
    const head = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x80, 0x80, 0x80, 0xe4, 0x00]);
    await sparseFile(file, 199 * 1024 * 1024 + head.length, head);
    await expect(readPluginFile(file)).rejects.toThrow(/above the 64\.0 MiB limit/);
  });

  it.each([
    ['text', new TextEncoder().encode('this is not wasm at all')],
    ['short', new Uint8Array([0x00, 0x61, 0x73])],
  ])('refuses a %s file by its header', async (_, bytes) => {
    const file = join(dir, 'bad.wasm');
    await writeFile(file, bytes);
    await expect(readPluginFile(file)).rejects.toThrow('it is not a valid WebAssembly component: not a WebAssembly file (the \\0asm header is missing)');
  });

  it('refuses an empty file', async () => {
    const file = join(dir, 'empty.wasm');
    await writeFile(file, '');
    await expect(readPluginFile(file)).rejects.toThrow('the file is empty');
  });

  it('never follows a symbolic link', async () => {
    const link = join(dir, 'link.wasm');
    await symlink(fixturePath('minimal'), link);
    await expect(readPluginFile(link)).rejects.toThrow(/cannot read .*link\.wasm/);
  });
});
