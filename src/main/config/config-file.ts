// Read-modify-write of the config file. Updates to one file run one after another, so two edits made at the
// same time (the panel toggling two plugins) both land instead of the later write losing the earlier one.
// A hand save landing while we write is never overwritten: the edit is computed again on top of it.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeTempBeside } from '../fs/atomic-write';
import { replaceIfUnchanged } from '../fs/guarded-replace';

/** A file that keeps changing under us for this long is being rewritten constantly: give up clearly. */
const GIVE_UP_MS = 5000;
/** Pause before looking again at a file someone is saving right now. */
const BUSY_RETRY_MS = 5;

const queues = new Map<string, Promise<unknown>>();

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function applyEdit(file: string, edit: (text: string) => string): Promise<string> {
  // `base` is the text the edit applies to; `onDisk` what the file holds as far as we know (null: missing).
  let onDisk = await readOrNull(file);
  let base = onDisk ?? '';
  const started = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    const next = edit(base);
    // An edit that changes nothing must not create or touch the file.
    if (next === (onDisk ?? '')) return next;
    await mkdir(dirname(file), { recursive: true });
    const outcome = await replaceIfUnchanged(file, await writeTempBeside(file, next), onDisk);
    if (outcome.placed && outcome.late === undefined) return next;
    if (outcome.placed) {
      // A save reached the old file after we took it: ours replaced it, so redo the edit on top of that save.
      onDisk = next;
      base = outcome.late ?? '';
    } else {
      onDisk = outcome.current;
      base = onDisk ?? '';
      if (outcome.busy) await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
    }
  }
  throw new Error(`${file} kept changing while it was being saved (for ${GIVE_UP_MS / 1000} s); the change was not applied`);
}

/**
 * Applies `edit` to the file's current text (empty when the file is missing) and writes the result atomically.
 * Resolves with the new text; rejects, leaving the file untouched, when reading, `edit` or writing fails.
 */
export function updateConfigFile(file: string, edit: (text: string) => string): Promise<string> {
  const key = resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(() => applyEdit(key, edit));
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
