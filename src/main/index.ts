// Electron main process: runs the host on the user's data folder and shows the panel in a locked-down
// window. Everything but this shell (and ipc.ts, app-protocol.ts) is plain Node, shared with the headless panel.
import { app, BrowserWindow, dialog, session } from 'electron';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlService } from './control/control-service';
import { registerAppScheme, serveRenderer } from './electron/app-protocol';
import { APP_PAGE_URL } from './electron/app-scheme';
import { wireControlIpc } from './electron/ipc';
import { ensureDataFolder } from './host/default-data';
import { Host } from './host/host';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
/** The folder name the headless `npm start` uses too (scripts/start.mjs), whatever the product is called. */
const APP_DATA_NAME = 'infrarust-desktop';

registerAppScheme();
// userData (and so the data folder) sits in the OS's app-data location, never inside the installed package.
app.setPath('userData', join(app.getPath('appData'), APP_DATA_NAME));

/** `--data DIR` or `--data=DIR`; default: a folder inside the app's userData. */
function dataFolder(): string {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === '--data' || a.startsWith('--data='));
  if (i >= 0) {
    const value = argv[i]!.includes('=') ? argv[i]!.slice('--data='.length) : argv[i + 1];
    if (value) return resolve(value);
  }
  return join(app.getPath('userData'), 'data');
}

// Every web contents we ever create: no navigation away, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function createWindow(): { win: BrowserWindow; pageUrl: string } {
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Infrarust Desktop',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // electron-vite's dev server only in an unpackaged development run; otherwise the built page over app://.
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const pageUrl = devUrl ?? APP_PAGE_URL;
  void win.loadURL(pageUrl);
  return { win, pageUrl };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  // The panel needs no camera, notifications or any other permission.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(session.defaultSession, RENDERER_DIR);

  const dataDir = dataFolder();
  let host: Host;
  try {
    await ensureDataFolder(dataDir);
    host = Host.create({ cwd: dataDir });
  } catch (err) {
    dialog.showErrorBox('Infrarust Desktop cannot start', (err as Error).message);
    app.exit(1);
    return;
  }
  const { win, pageUrl } = createWindow();
  // The window opens at once; its calls wait until the plugins are loaded and the watcher is up (the
  // watcher must start after the first load, or both would load the same files).
  const control = host
    .run()
    .catch((err: Error) => dialog.showErrorBox('Infrarust Desktop', `The proxy could not start: ${err.message}`))
    .then(() => ControlService.start(host));
  const unwire = wireControlIpc(win, control, pageUrl);

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    unwire();
    void control
      .then((service) => service.close())
      .then(() => host.stop())
      .finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => app.quit());
}

void main();
