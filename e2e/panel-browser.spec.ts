// The scenarios in Chromium against `infrarust-desktop serve` (the headless panel), one host per test.
import { test, type Page, type TestInfo } from '@playwright/test';
import { scenarios } from './scenarios/index';
import type { Launch } from './support/run-scenario';
import { runScenario } from './support/run-scenario';
import { serve } from './support/served-host';

function servedPanel(page: Page, testInfo: TestInfo): Launch {
  return async (data) => {
    const host = await serve(data.dir);
    const stop = async () => {
      const code = await host.stop();
      await testInfo.attach('serve output', { body: host.output(), contentType: 'text/plain' });
      if (code !== 0) throw new Error(`serve did not stop cleanly (exit code ${code})`);
    };
    await page.goto(host.panelUrl).catch(async (err: unknown) => {
      await stop().catch(() => undefined);
      throw err;
    });
    return { page, announcedProxyPort: host.proxyPort, stop };
  };
}

for (const scenario of scenarios) {
  test(scenario.title, ({ page }, testInfo) => runScenario(scenario, servedPanel(page, testInfo), testInfo));
}
