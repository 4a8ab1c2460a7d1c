// Where the Electron binary is, or null when the electron package was installed without it
// (ELECTRON_SKIP_BINARY_DOWNLOAD). Shared by `npm start` and the Electron e2e spec.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The electron package exports its binary's path, and throws when the binary was never downloaded. */
export function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
