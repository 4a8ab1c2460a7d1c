// A 200 MB file dropped by hand into a running host's plugins folder is refused for its size, and refusing it
// costs the host a stat and a few bytes, not hundreds of MB: measured on the real `serve` process (its peak
// resident set, VmHWM, against its resident set before the drop).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/infrarust-desktop.mjs', import.meta.url));
const MiB = 1024 * 1024;

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

async function sparseFile(path: string, size: number, head: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  await handle.write(head, 0, head.length, 0);
  await handle.truncate(size);
  await handle.close();
}

describe.runIf(process.platform === 'linux')('a huge file dropped into plugins_dir', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused for its size, costing the running host well under 300 MB of peak memory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'huge-drop-'));
    await mkdir(join(dir, 'plugins'));
    await writeFile(join(dir, 'infrarust.toml'), 'bind = "127.0.0.1:0"\n\n[panel]\nbind = "127.0.0.1:0"\n');
    child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const seen = (re: RegExp, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} not seen:\n${out}`)), 60_000);
        const look = () => {
          if (!re.test(out)) return;
          clearTimeout(timer);
          resolve();
        };
        child!.stdout!.on('data', look);
        look();
      });
    await seen(/panel: http/, 'the panel');
    const before = memoryOf(child.pid!);

    // Zeros, and a real component header followed by a custom section announcing ~199 MiB.
    const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x80, 0x80, 0x80, 0x64]);
    for (const [name, head] of [['zeros.wasm', new Uint8Array()], ['padded.wasm', component]] as const) {
      const staged = join(dir, name);
      await sparseFile(staged, 200 * MiB, head);
      await rename(staged, join(dir, 'plugins', name));
    }
    await seen(/zeros\.wasm[^\n]*it is 200\.0 MiB, above the 64\.0 MiB limit/, 'the refusal of zeros.wasm');
    await seen(/padded\.wasm[^\n]*it is 200\.0 MiB, above the 64\.0 MiB limit/, 'the refusal of padded.wasm');

    const after = memoryOf(child.pid!);
    expect((after.peak - before.rss) / MiB).toBeLessThan(300);
  });
});
