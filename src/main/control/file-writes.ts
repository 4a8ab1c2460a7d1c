// The control service's own writes to files the host watcher follows: each is announced to the watcher
// first, so the watcher does not apply it a second time as a hand edit.
import { updateConfigFile } from '../config/config-file';
import type { HostWatcher } from '../host/watcher';

/** Runs our own change to a file with the watcher told about it. */
export async function ownWrite(watcher: HostWatcher | null, path: string, content: Uint8Array | null, write: () => Promise<void>): Promise<void> {
  const done = watcher?.expect(path, content);
  try {
    await write();
  } finally {
    done?.();
  }
}

/** Edits infrarust.toml in place (comments and layout kept by `edit`), race-safe against hand saves. */
export async function writeConfig(watcher: HostWatcher | null, file: string, edit: (text: string) => string): Promise<void> {
  let done: (() => void) | undefined;
  try {
    await updateConfigFile(file, (text) => {
      const next = edit(text);
      // Computed again when a hand save lands meanwhile: the watcher expects only the latest text.
      const previous = done;
      done = watcher?.expect(file, next);
      previous?.();
      return next;
    });
  } finally {
    done?.();
  }
}

export function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
