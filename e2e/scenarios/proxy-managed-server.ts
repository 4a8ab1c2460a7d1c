// A managed server (`[server_manager]`) on the Servers page: a file dropped in servers/ shows the server
// stopped; Start runs its configured command (a real minecraft-protocol server process) until its ready
// line, Log shows what it printed, a real ping reaches it, and Stop ends the process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import { freePort, pingVia } from '../../test/support/minecraft-peers';
import type { Scenario } from './scenario';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/servers/managed-server.mjs', import.meta.url));

export const proxyManagedServer: Scenario = {
  name: 'proxy-managed-server',
  title: 'a managed server started and stopped from the Servers page, with its output',
  async run({ page, data, proxyPort, screenshot }) {
    const port = await freePort();
    const manager = `[server_manager]\ntype = "local"\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([FIXTURE, String(port), '--motd', 'Managed survival'])}\nworking_dir = "."\n`;
    await writeFile(join(data.serversDir, 'survival.toml'), `domains = ["survival.e2e.test"]\naddresses = ["127.0.0.1:${port}"]\n${manager}`);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Servers' }).click();
    const servers = page.getByRole('region', { name: 'Servers' });
    const row = servers.getByRole('row', { name: 'survival' });
    await expect(row.getByText('stopped', { exact: true })).toBeVisible();
    await row.getByRole('button', { name: 'Start survival' }).click();
    await expect(row.getByText('running', { exact: true })).toBeVisible({ timeout: 30_000 });
    expect((await pingVia(proxyPort, 'survival.e2e.test')).description).toMatchObject({ text: 'Managed survival' });
    await row.getByRole('button', { name: 'Log of survival' }).click();
    await expect(row.getByLabel('Output of survival')).toContainText('For help, type "help"');
    await screenshot('running');

    await row.getByRole('button', { name: 'Stop survival' }).click();
    await expect(row.getByText('stopped', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(row.getByText('stopped', { exact: true })).toHaveAttribute('title', /last run: exit code 0/);
  },
};
