// `npm start`: builds, then opens the Electron window where an Electron binary is installed or can be
// downloaded; anywhere else (a server, CI, a machine that cannot reach Electron's downloads) says why in one
// line and runs the same host with the headless panel, printing its URL. Arguments are passed on (e.g. `npm start -- --data ./my-proxy`).
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);

/** Where Electron keeps this app's data (its userData), so both modes share one data folder. */
function defaultDataDir() {
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(appData, 'infrarust-desktop', 'data');
}

function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    // Ctrl-C already reaches the child through the terminal: sending it again would cut its shutdown short.
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// npm sets npm_execpath to its own CLI: running it with this node works on every platform.
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const built = await run(npm[0], [...npm[1], 'run', 'build']);
if (built !== 0) process.exit(built);

const electron = electronBinary();
if (electron.path) {
  process.exit(await run(electron.path, ['.', ...args]));
}
process.stdout.write(`${electron.reason}: starting the headless panel instead.\n`);
const serveArgs = args.includes('--data') ? args : ['--data', defaultDataDir(), ...args];
process.exit(await run(process.execPath, [join(root, 'bin', 'infrarust-desktop.mjs'), 'serve', ...serveArgs]));
