// Crash-safe file replacement: readers see either the old content or the new one, never a torn write.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Windows refuses a rename while another process (an editor, an antivirus) briefly holds the target.
const RENAME_RETRIES = process.platform === 'win32' ? 5 : 0;
const RETRYABLE = new Set(['EPERM', 'EACCES', 'EBUSY']);

export function tempPathFor(path: string): string {
  // Same directory so the rename stays on one filesystem; pid + random so concurrent writers never collide.
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Permission bits to give the new file: the replaced file's, so an edit never widens or narrows access. */
function modeOf(stats: Stats | null): number {
  return stats ? stats.mode & 0o7777 : 0o666;
}

function isRetryable(err: unknown): boolean {
  return RETRYABLE.has((err as NodeJS.ErrnoException).code ?? '');
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (err) {
      if (attempt >= RENAME_RETRIES || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

/** Makes the rename itself durable; directories cannot be opened on Windows, so this is best-effort. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best-effort by design.
  }
}

/** Writes `data` durably to a new temp file beside `path`, with `path`'s permission bits; returns its name. */
export async function writeTempBeside(path: string, data: string | Uint8Array): Promise<string> {
  const tmp = tempPathFor(path);
  const existing = await stat(path).catch(() => null);
  try {
    const handle = await open(tmp, 'wx', modeOf(existing));
    try {
      await handle.writeFile(data);
      // open()'s mode is filtered by the umask; restore the replaced file's exact bits.
      if (existing) await handle.chmod(modeOf(existing)).catch(() => undefined);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return tmp;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTempBeside(path, data);
  try {
    await renameWithRetry(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  let existing: Stats | null = null;
  try {
    existing = statSync(path);
  } catch {
    existing = null;
  }
  try {
    const fd = openSync(tmp, 'wx', modeOf(existing));
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      if (existing) {
        try {
          fchmodSync(fd, modeOf(existing));
        } catch {
          // Not supported everywhere (Windows); the content matters more than the bits.
        }
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file may never have been created.
    }
    throw err;
  }
  try {
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Best-effort, as in the async variant.
  }
}
