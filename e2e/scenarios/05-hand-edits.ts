// 5. Changes made outside the panel: a .wasm copied into plugins_dir and infrarust.toml edited by hand.
// The panel follows each without a click.
import { appendFile, copyFile, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { expectState, logLines, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const handEdits: Scenario = {
  name: '05-hand-edits',
  title: 'hand edits of the folder and infrarust.toml: the panel follows without a click',
  async run({ page, data }) {
    await copyFile(fixturePath('uses-ban-service'), join(data.pluginsDir, 'ban-tools.wasm'));
    const card = pluginCard(page, 'Uses ban-service');
    await expectState(card, 'capability-denied');
    await expect(card).toContainText('ban-tools.wasm');
    const ban = card.getByRole('checkbox', { name: 'ban', exact: true });
    await expect(ban).not.toBeChecked();

    const table = '[plugins.uses_ban_service]\npermissions = ["ban"]\n';
    await appendFile(data.configFile, `\n# granted by hand\n${table}`);
    await expectState(card, 'enabled');
    await expect(ban).toBeChecked();
    await expect(await logLines(card)).toContainText(['uses_ban_service enabled']);

    const text = await readFile(data.configFile, 'utf8');
    await writeFile(data.configFile, text.replace(table, `${table}enabled = false\n`));
    await expectState(card, 'disabled');
    await expect(card.getByRole('switch', { name: 'enabled' })).not.toBeChecked();

    await copyFile(fixturePath('minimal'), join(data.pluginsDir, 'minimal.wasm'));
    await expectState(pluginCard(page, 'Minimal'), 'enabled');
    await unlink(join(data.pluginsDir, 'ban-tools.wasm'));
    await expect(card).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Plugins' })).toContainText('1 plugin');
  },
};
