// Where the Electron binary is. Electron 45's package has no postinstall: it downloads its binary on first
// use (its `require` would do it noisily, with a stack trace when the download fails). This asks its installer
// once, quietly, and answers with the binary or the one-line reason there is none. Shared by `npm start` and
// the Electron e2e spec.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PLATFORM_PATH = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/** The binary already on disk, or null. Honours ELECTRON_OVERRIDE_DIST_PATH, as the electron package does. */
function installed(pkgDir) {
  const executable = PLATFORM_PATH[process.platform] ?? 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(join(override, executable)) ? join(override, executable) : null;
  if (!existsSync(join(pkgDir, 'path.txt'))) return null;
  const path = join(pkgDir, 'dist', readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim());
  return existsSync(path) ? path : null;
}

/**
 * `{ path }` when a binary is installed (downloading it first unless `download` is false),
 * otherwise `{ path: null, reason }`.
 */
export function electronBinary({ download = true } = {}) {
  let pkgDir;
  let version;
  try {
    const pkgFile = createRequire(import.meta.url).resolve('electron/package.json');
    pkgDir = dirname(pkgFile);
    version = JSON.parse(readFileSync(pkgFile, 'utf8')).version;
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const found = installed(pkgDir);
  if (found || !download) return found ? { path: found } : { path: null, reason: `Electron ${version} is not downloaded` };
  const run = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', stdio: 'pipe', timeout: 10 * 60_000 });
  const afterDownload = installed(pkgDir);
  if (afterDownload) return { path: afterDownload };
  const why = `${run.stderr ?? ''}`.split('\n').find((line) => line.trim()) ?? run.error?.message ?? `exit code ${run.status}`;
  return { path: null, reason: `Electron ${version} could not be downloaded (${why.trim()})` };
}
