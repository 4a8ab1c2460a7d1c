// `npm run dist [-- --electron-zip FILE]`: builds, then packages installers with electron-builder for this
// platform (AppImage + deb, dmg, or NSIS; see packaging/electron-builder.mjs). electron-builder downloads
// Electron's zip from GitHub; where that is unreachable, pass the zip you have (the exact file
// electron-v<version>-<platform>-<arch>.zip) with --electron-zip or ELECTRON_ZIP. Otherwise this stops with
// one line before building anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const stop = (line) => {
  process.stderr.write(`npm run dist: ${line}\n`);
  process.exit(1);
};

const flag = args.findIndex((a) => a === '--electron-zip' || a.startsWith('--electron-zip='));
const zipArg = flag < 0 ? process.env.ELECTRON_ZIP : args[flag].includes('=') ? args[flag].split('=').slice(1).join('=') : args[flag + 1];
const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const expected = `electron-v${version}-${process.platform}-${process.arch}.zip`;

let electronDist;
if (zipArg) {
  electronDist = resolve(zipArg);
  if (!existsSync(electronDist)) stop(`${electronDist} does not exist (expected ${expected})`);
  if (basename(electronDist) !== expected) stop(`${basename(electronDist)} is not Electron ${version} for this machine: pass ${expected}`);
} else {
  const url = `${process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/'}v${version}/${expected}`;
  const reachable = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) }).then(
    (r) => (r.ok ? null : `HTTP ${r.status}`),
    (err) => err.cause?.code ?? err.message,
  );
  if (reachable) stop(`cannot download Electron ${version} (${reachable}): pass a local zip with --electron-zip ${expected} (or ELECTRON_ZIP=...)`);
}

const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const built = spawnSync(npm[0], [...npm[1], 'run', 'build'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const { builderConfig } = await import('../packaging/electron-builder.mjs');
const { build } = require('electron-builder');
const extra = args.filter((a, i) => !(flag >= 0 && (i === flag || (i === flag + 1 && !args[flag].includes('=')))));
// `--dir` packs the app folder only (no installer): quick, and what the packaging checks use.
const targets = extra.includes('--dir') ? { dir: true } : {};
// The Linux targets fetch electron-builder's own tools (AppImage, fpm) from GitHub: one line when that fails too.
const offline = (err) => ['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH'].includes(err?.code) || /fetch failed/.test(err?.message ?? '');
const stopOffline = (err) =>
  stop(`electron-builder could not download its packaging tools (${err.code ?? err.message}); what was packed so far is under dist/`);
process.on('uncaughtException', (err) => {
  if (!offline(err)) throw err;
  stopOffline(err);
});
try {
  await build({ projectDir: root, config: { ...builderConfig, ...(electronDist ? { electronDist } : {}) }, publish: 'never', ...targets });
} catch (err) {
  if (!offline(err)) throw err;
  stopOffline(err);
}
