// 1. First start: the embedded default shows an empty plugins folder, the example server, the proxy listening.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { pingMotd } from '../support/minecraft';
import type { Scenario } from './scenario';

export const firstStart: Scenario = {
  name: '01-first-start',
  title: 'first start: empty plugins folder, the example server, the proxy listening',
  async run({ page, data, proxyPort }) {
    const plugins = page.getByRole('region', { name: 'Plugins' });
    await expect(plugins).toContainText('0 plugins');
    await expect(plugins).toContainText('No plugins yet. Drop a .wasm component above, or install an example below.');
    await expect(page.getByTestId('drop-zone').locator(`code[title="${data.pluginsDir}"]`)).toBeVisible();

    const servers = page.getByRole('region', { name: 'Servers' });
    await expect(servers.getByRole('listitem')).toHaveCount(1);
    await expect(servers).toContainText('example');
    await expect(servers).toContainText('localhost, *.localhost → 127.0.0.1:25566 (passthrough)');

    const strip = page.getByLabel('Status', { exact: true });
    await expect(strip).toContainText(`listening on 127.0.0.1:${proxyPort}`);
    await expect(page.getByRole('region', { name: /^Players/ })).toContainText('Nobody online.');

    // On disk: what the first start created.
    expect(await readdir(data.pluginsDir)).toEqual([]);
    const example = await readFile(join(data.serversDir, 'example.toml'), 'utf8');
    expect(example).toContain('domains = ["localhost", "*.localhost"]');
    expect(example).toContain('addresses = ["127.0.0.1:25566"]');

    // On the wire: the port the panel shows answers a real ping with the default MOTD.
    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('Unknown server');
  },
};
