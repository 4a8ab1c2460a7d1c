// A plugin kept in a folder named after its own id (issue 19): the panel lists it as not loaded, with the
// host's reason and fix; following the fix loads it. Nothing vanishes without a word.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const refusedPluginFiles: Scenario = {
  name: 'refused-plugin-files',
  title: 'a plugin in its own data folder is listed as not loaded, with the fix; moving it up loads it',
  plugins: ['minimal'],
  async run({ page, data, screenshot }) {
    await expectState(pluginCard(page, 'Minimal'), 'enabled');
    const folder = join(data.pluginsDir, 'uses_scheduler');
    await mkdir(folder);
    await copyFile(fixturePath('uses-scheduler'), join(folder, 'uses-scheduler.wasm'));

    const refused = page.getByRole('region', { name: '1 plugin file not loaded' });
    await expect(refused).toContainText('uses_scheduler/uses-scheduler.wasm');
    await expect(refused).toContainText('in the data folder of uses_scheduler');
    await expect(refused).toContainText('rename the folder');
    await expect(pluginCard(page, 'Uses scheduler')).toHaveCount(0);
    await screenshot('refused');

    await rename(join(folder, 'uses-scheduler.wasm'), join(data.pluginsDir, 'uses-scheduler.wasm'));
    await expectState(pluginCard(page, 'Uses scheduler'), 'enabled');
    await expect(page.getByRole('region', { name: /not loaded/ })).toHaveCount(0);
  },
};
