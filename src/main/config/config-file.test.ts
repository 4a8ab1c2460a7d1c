import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { updateConfigFile } from './config-file';
import { setPluginEnabled, setPluginPermissions } from './plugin-table-edit';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-file-'));
  file = join(dir, 'infrarust.toml');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('updateConfigFile', () => {
  it('starts from empty text when the file is missing and returns the written text', async () => {
    const out = await updateConfigFile(file, (text) => `${text}a = 1\n`);
    expect(out).toBe('a = 1\n');
    expect(readFileSync(file, 'utf8')).toBe('a = 1\n');
  });

  it('creates missing parent folders', async () => {
    const nested = join(dir, 'conf', 'infrarust.toml');
    await updateConfigFile(nested, () => 'a = 1\n');
    expect(readFileSync(nested, 'utf8')).toBe('a = 1\n');
  });

  it('does not create or rewrite the file when the edit changes nothing', async () => {
    expect(await updateConfigFile(file, (text) => text)).toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('never loses one of many concurrent updates', async () => {
    writeFileSync(file, '# plugins\n');
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(
      ids.flatMap((id) => [
        updateConfigFile(file, (text) => setPluginEnabled(text, id, false)),
        updateConfigFile(join(dir, '.', 'infrarust.toml'), (text) => setPluginPermissions(text, id, ['ban'])),
      ]),
    );
    const plugins = parse(readFileSync(file, 'utf8')).plugins as Record<string, unknown>;
    expect(Object.keys(plugins).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(plugins[id]).toEqual({ enabled: false, permissions: ['ban'] });
    expect(readdirSync(dir)).toEqual(['infrarust.toml']);
  });

  it('rejects a failing edit, leaves the file untouched and keeps serving later updates', async () => {
    writeFileSync(file, 'a = 1\n');
    const failing = updateConfigFile(file, () => {
      throw new Error('bad edit');
    });
    const next = updateConfigFile(file, (text) => `${text}b = 2\n`);
    await expect(failing).rejects.toThrow('bad edit');
    await expect(next).resolves.toBe('a = 1\nb = 2\n');
    expect(readFileSync(file, 'utf8')).toBe('a = 1\nb = 2\n');
  });

  it('never loses a hand save that races the panel, whether the editor saves in place or by rename', async () => {
    writeFileSync(file, '# written by hand\n');
    const saves = 300;
    // A person's editor on another thread: reload the file, add a line, save; again and again, a few ms apart.
    const editor = new Worker(HAND_EDITOR, { eval: true, workerData: { file, saves } });
    let editing = true;
    const exited = once(editor, 'exit').finally(() => (editing = false));
    let panelWrites = 0;
    while (editing) {
      await updateConfigFile(file, (text) => setPluginEnabled(text, `p${panelWrites % 7}`, panelWrites % 2 === 0));
      panelWrites++;
    }
    expect(await exited).toEqual([0]);
    const final = readFileSync(file, 'utf8');
    const missing = Array.from({ length: saves }, (_, i) => `# hand save ${i}\n`).filter((line) => !final.includes(line));
    expect(missing).toEqual([]);
    expect(panelWrites).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['infrarust.toml']);
  });
});

const HAND_EDITOR = `
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { workerData: { file, saves } } = require('node:worker_threads');
const pause = new Int32Array(new SharedArrayBuffer(4));
const reload = () => {
  // The panel's swap leaves the name empty for microseconds; an editor would see the file again at once.
  for (;;) {
    try { return readFileSync(file, 'utf8'); } catch (err) { if (err.code !== 'ENOENT') throw err; }
  }
};
for (let i = 0; i < saves; i++) {
  const text = reload() + '# hand save ' + i + '\\n';
  if (i % 2 === 0) writeFileSync(file, text);
  else {
    writeFileSync(file + '.swp', text);
    renameSync(file + '.swp', file);
  }
  Atomics.wait(pause, 0, 0, (i * 7) % 5);
}
`;
