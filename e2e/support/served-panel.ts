// Opens the headless panel of a fresh `infrarust-desktop serve` in `page`: the Launch of the browser specs.
import type { Page, TestInfo } from '@playwright/test';
import type { Launch } from './run-scenario';
import { serve } from './served-host';

export function servedPanel(page: Page, testInfo: TestInfo): Launch {
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
