// The same scenarios in the desktop window: our built Electron main (out/main) on a fresh data folder.
// Needs an Electron binary: Electron 45 downloads it on first use, which fails where GitHub is unreachable.
import { fileURLToPath } from 'node:url';
import { _electron, test } from '@playwright/test';
import { electronBinary } from '../scripts/electron-binary.mjs';
import { scenarios } from './scenarios/index';
import { runScenario, type Launch } from './support/run-scenario';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const electron = electronBinary();
const electronPath = electron.path;

const desktopWindow: Launch = async (data) => {
  // Without ELECTRON_RENDERER_URL the window loads the built page, as a packaged app does.
  const { ELECTRON_RENDERER_URL: _devServer, ...env } = process.env;
  const app = await _electron.launch({
    executablePath: electronPath!,
    args: [ROOT, `--data=${data.dir}`],
    cwd: ROOT,
    env: env as Record<string, string>,
  });
  return {
    page: await app.firstWindow(),
    // The app stops its host on quit (before-quit), then exits.
    stop: () => app.close(),
  };
};

test.describe('Electron window', () => {
  test.skip(!electronPath, `${'reason' in electron ? electron.reason : ''}; the browser spec runs these scenarios`);
  // The app holds a single-instance lock: one window at a time.
  test.describe.configure({ mode: 'default' });
  for (const scenario of scenarios) {
    test(scenario.title, ({}, testInfo) => runScenario(scenario, desktopWindow, testInfo, 'electron-'));
  }
});
