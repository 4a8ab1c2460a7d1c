// Runs one scenario on a fresh data folder in whichever shell `launch` opens, then saves a screenshot of
// its final state (pass or fail) as test-results/screenshots/<prefix><scenario>.png and as an attachment.
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import type { Scenario } from '../scenarios/scenario';
import { freshDataFolder, type DataFolder } from './data-folder';
import { panelReady } from './panel';

export interface Launched {
  page: Page;
  /** The proxy port the shell reported itself, to compare with what the panel shows. */
  announcedProxyPort?: number;
  /** Closes the shell; throws when it did not stop cleanly. */
  stop(): Promise<void>;
}

export type Launch = (data: DataFolder) => Promise<Launched>;

export async function runScenario(scenario: Scenario, launch: Launch, testInfo: TestInfo, screenshotPrefix = ''): Promise<void> {
  const data = await freshDataFolder({ config: scenario.config, plugins: scenario.plugins });
  const cleanups: (() => unknown)[] = [];
  let launched: Launched | undefined;
  let failure: unknown = null;
  try {
    launched = await launch(data);
    const proxyPort = await panelReady(launched.page);
    if (launched.announcedProxyPort !== undefined && launched.announcedProxyPort !== proxyPort) {
      throw new Error(`the panel shows proxy port ${proxyPort}, the host announced ${launched.announcedProxyPort}`);
    }
    const { page } = launched;
    await scenario.run({
      page,
      data,
      proxyPort,
      screenshot: (label) => screenshot(page, `${screenshotPrefix}${scenario.name}-${label}`, testInfo),
      defer: (fn) => cleanups.unshift(fn),
    });
  } catch (err) {
    failure = err;
  }
  if (launched) await screenshot(launched.page, `${screenshotPrefix}${scenario.name}`, testInfo).catch(() => undefined);
  for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
  const stopFailure = await launched?.stop().then(
    () => null,
    (err: unknown) => err,
  );
  if (failure || stopFailure) {
    // A failed run keeps its folder for inspection.
    await testInfo.attach('data folder', { body: data.dir });
    throw failure ?? stopFailure;
  }
  await data.remove();
}

async function screenshot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const path = join(testInfo.project.outputDir, 'screenshots', `${name}.png`);
  // A full-page capture of a scrolled page repeats the sticky header mid-page: start from the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
