// Read-modify-write of the config file. Updates to one file run one after another, so two edits made at the
// same time (the panel toggling two plugins) both land instead of the later write losing the earlier one.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';

const queues = new Map<string, Promise<unknown>>();

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function applyEdit(file: string, edit: (text: string) => string): Promise<string> {
  const text = await readOrEmpty(file);
  const next = edit(text);
  // An edit that changes nothing must not create or touch the file.
  if (next === text) return text;
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, next);
  return next;
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
