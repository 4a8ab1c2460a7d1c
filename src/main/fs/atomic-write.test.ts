import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-write-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates a file with the given string content and leaves no temp file', async () => {
    const file = join(dir, 'a.toml');
    await writeFileAtomic(file, 'hello = 1\n');
    expect(readFileSync(file, 'utf8')).toBe('hello = 1\n');
    expect(readdirSync(dir)).toEqual(['a.toml']);
  });

  it('replaces an existing file and accepts bytes', async () => {
    const file = join(dir, 'a.bin');
    writeFileSync(file, 'old content that is longer');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it.skipIf(process.platform === 'win32')('keeps the permission bits of the replaced file', async () => {
    const file = join(dir, 'secret.toml');
    writeFileSync(file, 'token = "x"');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, 'token = "y"');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rejects and cleans up when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a.txt'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('cleans up the temp file when the rename fails', async () => {
    // A directory in the target's place makes rename fail after the temp file was written.
    const target = join(dir, 'occupied');
    writeFileSync(join(dir, 'keep'), '');
    mkdirSync(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['keep', 'occupied']);
  });

  it('ends with exactly one complete content after concurrent writes', async () => {
    const file = join(dir, 'race.txt');
    const contents = Array.from({ length: 40 }, (_, i) => `writer ${i} `.repeat(2000 + i));
    await Promise.all(contents.map((c) => writeFileAtomic(file, c)));
    expect(contents).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['race.txt']);
  });
});

describe('writeFileAtomicSync', () => {
  it('writes and replaces content without leaving temp files', () => {
    const file = join(dir, 'b.txt');
    writeFileAtomicSync(file, 'one');
    writeFileAtomicSync(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['b.txt']);
  });

  it('throws and cleans up on failure', () => {
    expect(() => writeFileAtomicSync(join(dir, 'nope', 'b.txt'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
