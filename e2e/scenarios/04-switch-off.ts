// 4. Switch a plugin off: `enabled = false` on disk (nothing else touched); a ping through the proxy no
// longer shows its MOTD.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { pluginSettings, spliceOf } from '../support/disk';
import { pingMotd } from '../support/minecraft';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const switchOff: Scenario = {
  name: '04-switch-off',
  title: "switch a plugin off: enabled = false on disk, its MOTD gone from pings",
  plugins: ['events-echo'],
  async run({ page, data, proxyPort }) {
    const card = pluginCard(page, 'Events Echo');
    await expectState(card, 'enabled');
    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('echo MOTD');
    const configBefore = await readFile(data.configFile, 'utf8');

    const toggle = card.getByRole('switch', { name: 'enabled' });
    await expect(toggle).toBeChecked();
    await toggle.click();
    await expectState(card, 'disabled');
    await expect(toggle).not.toBeChecked();

    const configAfter = await readFile(data.configFile, 'utf8');
    expect(pluginSettings(configAfter, 'events_echo')).toEqual({ enabled: false });
    const edit = spliceOf(configBefore, configAfter);
    expect(edit.removed).toBe('');
    expect(edit.inserted).toMatch(/^\s*\[plugins\.events_echo\]\s*enabled = false\s*$/);

    expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('Unknown server');
  },
};
