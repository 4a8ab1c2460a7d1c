// Issue 8: a route added from the Servers page. The form flags a bad address and a domain another server
// routes before anything is saved; the saved route is one new servers/<id>.toml, a real client is routed
// by it at once, and a later edit keeps the comment the user added by hand.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { joinVia, startBackend } from '../../test/support/minecraft-peers';
import { treeOf } from '../support/disk';
import type { Scenario } from './scenario';

export const proxyAddRoute: Scenario = {
  name: 'proxy-add-route',
  title: 'add a route from the Servers page: validated, written to one file, routes a real client at once',
  async run({ page, data, proxyPort, defer, screenshot }) {
    const backend = await startBackend('Creative backend');
    defer(() => backend.close());
    const before = await treeOf(data.serversDir);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Servers' }).click();
    const servers = page.getByRole('region', { name: 'Servers' });
    await expect(servers.getByRole('row', { name: 'example' })).toContainText('localhost');
    await servers.getByRole('button', { name: 'Add route' }).click();
    const form = servers.getByRole('form', { name: 'Add route' });
    await form.getByLabel('Server id').fill('creative');
    await form.getByLabel('Domains').fill('creative.e2e.test\nLOCALHOST');
    await form.getByLabel('Backend addresses').fill('127.0.0.1');
    await form.getByRole('button', { name: 'Save route' }).click();
    await expect(form.getByLabel('Domains')).toHaveAttribute('aria-invalid', 'true');
    await expect(form).toContainText('"LOCALHOST" is already routed to server "example"');
    await expect(form).toContainText('"127.0.0.1" is not host:port');
    await screenshot('validation');
    expect(await treeOf(data.serversDir)).toEqual(before);

    await form.getByLabel('Domains').fill('creative.e2e.test\n*.creative.e2e.test');
    await form.getByLabel('Backend addresses').fill(`127.0.0.1:${backend.port}`);
    await form.getByRole('button', { name: 'Save route' }).click();
    await expect(servers.getByRole('status')).toHaveText('Saved servers/creative.toml');
    await expect(form).toHaveCount(0);
    const row = servers.getByRole('row', { name: 'creative' });
    await expect(row).toContainText('creative.e2e.test, *.creative.e2e.test');
    await expect(row).toContainText(`127.0.0.1:${backend.port}`);
    await expect(row.getByText('online', { exact: true })).toBeVisible();

    const file = join(data.serversDir, 'creative.toml');
    expect(Object.keys(await treeOf(data.serversDir)).sort()).toEqual(['creative.toml', ...Object.keys(before)].sort());
    expect(await readFile(file, 'utf8')).toBe(`domains = ["creative.e2e.test", "*.creative.e2e.test"]\naddresses = ["127.0.0.1:${backend.port}"]\nproxy_mode = "passthrough"\n`);
    const joined = await joinVia(proxyPort, 'build.creative.e2e.test', 'builder', [backend]);
    expect(joined.backend).toBe(0);

    // A comment added by hand survives the next edit from the panel.
    const commented = (await readFile(file, 'utf8')).replace('proxy_mode', '# the build server, ask Sam before changing\nproxy_mode');
    await writeFile(file, commented);
    await row.getByRole('button', { name: 'Edit creative' }).click();
    const edit = servers.getByRole('form', { name: 'Edit route creative' });
    await expect(edit.getByLabel('Server id')).toBeDisabled();
    await edit.getByLabel('Max players').fill('20');
    await edit.getByRole('button', { name: 'Save route' }).click();
    await expect(edit).toHaveCount(0);
    await expect(servers.getByRole('status')).toHaveText('Saved servers/creative.toml');
    await expect(row).toContainText('creative.e2e.test');
    expect(await readFile(file, 'utf8')).toBe(`${commented}max_players = 20\n`);
  },
};
