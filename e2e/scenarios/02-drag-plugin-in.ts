// 2. Drag a plugin in (a real drop, then the file picker): it appears, turns enabled, its log line shows;
// the file is in plugins_dir.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { dropFiles, expectState, fileFrom, logLines, pickFiles, pluginCard, upload } from '../support/panel';
import type { Scenario } from './scenario';

export const dragPluginIn: Scenario = {
  name: '02-drag-plugin-in',
  title: 'drag a plugin in: it appears, turns enabled, logs, and lands in plugins_dir',
  async run({ page, data }) {
    const dropped = await fileFrom(fixturePath('minimal'));
    await dropFiles(page, [dropped]);
    await expect(upload(page, 'minimal.wasm')).toContainText('Deployed minimal (enabled)');
    const minimal = pluginCard(page, 'Minimal');
    await expectState(minimal, 'enabled');
    await expect(await logLines(minimal)).toContainText(['minimal enabled']);
    expect(await readFile(join(data.pluginsDir, 'minimal.wasm'))).toEqual(dropped.bytes);

    const picked = await fileFrom(fixturePath('uses-event-bus'));
    await pickFiles(page, [picked]);
    await expect(upload(page, 'uses-event-bus.wasm')).toContainText('Deployed uses_event_bus (enabled)');
    const eventBus = pluginCard(page, 'Uses event-bus');
    await expectState(eventBus, 'enabled');
    await expect(await logLines(eventBus)).toContainText(['uses_event_bus enabled']);
    expect(await readFile(join(data.pluginsDir, 'uses-event-bus.wasm'))).toEqual(picked.bytes);

    await expect(page.getByRole('region', { name: 'Plugins' })).toContainText('2 plugins');
  },
};
