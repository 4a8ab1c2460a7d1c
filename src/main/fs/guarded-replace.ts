// Replacing a file that someone may be editing by hand at the same moment. A plain temp-and-rename would
// silently drop a save that lands between our read and our rename. Here the current file is first moved aside
// (an atomic capture of exactly what we replace), compared with what our change was computed from, and ours
// goes in with link(), which refuses to overwrite a file that appeared meanwhile. Whatever we did not expect is
// handed back for the change to be computed again; nothing another writer saved is ever overwritten unseen.
import { linkSync, readFileSync, renameSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, tempPathFor } from './atomic-write';

/**
 * An editor saving in place truncates (which stamps the file's mtime), then writes. A file stamped this
 * recently may be half-saved, so it is put back and looked at again rather than replaced.
 */
const SAVE_IN_PROGRESS_MS = 10;

export type GuardedReplace =
  /** `tmp` is now the file. `late` is a save that reached the replaced file after it was captured. */
  | { placed: true; late?: string }
  /** Nothing changed on our side: the file holds `current` (null: missing), not what was expected. */
  | { placed: false; current: string | null; busy?: boolean };

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Makes the temp file `tmp` (written beside `path`) the new `path`, only if `path` still holds `expected`
 * (null: does not exist). Synchronous from capture to link, so the name is absent for microseconds only.
 */
export async function replaceIfUnchanged(path: string, tmp: string, expected: string | null): Promise<GuardedReplace> {
  const aside = `${tempPathFor(path)}.old`;
  let captured: string | null = null;
  let placed = false;
  let result: GuardedReplace;
  try {
    let busy = false;
    try {
      renameSync(path, aside);
      busy = Date.now() - statSync(aside).mtimeMs < SAVE_IN_PROGRESS_MS;
      captured = readFileSync(aside, 'utf8');
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
    }
    if (busy || captured !== expected) {
      // Put back what we took, unless a newer save has taken the name in the meantime.
      if (captured !== null) tryLink(aside, path);
      result = { placed: false, current: readOrNull(path), busy };
    } else if (!tryLink(tmp, path)) {
      result = { placed: false, current: readOrNull(path) };
    } else {
      placed = true;
      // An editor that opened the file just before our capture may have written into it since.
      const late = captured === null ? null : readFileSync(aside, 'utf8');
      result = late === captured || late === null ? { placed: true } : { placed: true, late };
    }
  } catch (err) {
    // Never leave the name empty: if our capture is all there is, it goes back.
    if (captured !== null && !placed) tryLink(aside, path);
    throw err;
  } finally {
    await unlink(aside).catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
  }
  await fsyncDir(dirname(path));
  return result;
}

/** link() that answers false when `to` already exists. */
function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if (code(err) === 'EEXIST') return false;
    throw err;
  }
}
