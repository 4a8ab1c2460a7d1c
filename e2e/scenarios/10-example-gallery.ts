// 10. A newcomer's first minute: on the empty plugins folder, the gallery of shipped examples; one click
// installs MOTD through the deploy path, and a real status ping through the proxy shows the text it sets
// (from the embedded default infrarust.toml).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { defaultExamplesDir } from '../../src/main/control/example-gallery';
import { backendServer, pingMotd } from '../support/minecraft';
import { expectState, pluginCard, upload } from '../support/panel';
import type { Scenario } from './scenario';

export const exampleGallery: Scenario = {
  name: '10-example-gallery',
  title: 'first start to a changed MOTD: install the MOTD example from the gallery, a real ping shows its text',
  async run({ page, data, proxyPort, screenshot, defer }) {
    const backend = await backendServer(data.serversDir, 'survival', 'survival.e2e.test', 'Survival backend');
    defer(() => backend.close());
    await expect(page.getByRole('region', { name: 'Servers' })).toContainText('survival.e2e.test');
    expect(await pingMotd(proxyPort, 'survival.e2e.test')).toBe('Survival backend');

    const gallery = page.getByRole('region', { name: 'Try an example plugin' });
    await expect(gallery.getByRole('heading', { level: 4 })).toHaveText(['Allowlist', 'Ban Guard', 'Ban List', 'Chat filter', 'Fallback', 'Greeter', 'Lobby', 'MOTD', 'Waiting room']);
    const motd = gallery.getByRole('listitem', { name: 'MOTD' });
    await expect(motd).toContainText('Rewrites the server-list entry');
    await expect(motd.getByRole('list', { name: 'Capabilities MOTD asks for' }).getByRole('listitem')).toHaveText(['config-read', 'event-bus', 'player-read']);
    await expect(gallery.getByRole('list', { name: 'Capabilities Ban Guard asks for' })).toContainText('ban (opt-in)');
    // A provider's one click does not make it the proxy's provider: the gallery says what else to set.
    await expect(gallery.getByLabel('What else Ban List needs')).toContainText('[ban] provider = "ban_list"');
    await screenshot('gallery');

    await motd.getByRole('button', { name: 'Install MOTD' }).click();
    await expect(upload(page, 'motd.wasm')).toContainText('Deployed motd (enabled)');
    await expectState(pluginCard(page, 'MOTD'), 'enabled');
    // The gallery ships the examples as the kit builds them by default: for 0.3.0.
    await expect(pluginCard(page, 'MOTD')).toContainText('infrarust:plugin@0.3.0');
    await expect(gallery).toHaveCount(0);
    expect(await readFile(join(data.pluginsDir, 'motd.wasm'))).toEqual(await readFile(join(defaultExamplesDir(), 'motd.wasm')));

    expect(await pingMotd(proxyPort, 'survival.e2e.test')).toBe("Hello from Infrarust Desktop's MOTD example");
  },
};
