// 3. A plugin that needs `ban`: capability-denied naming `ban`; ticking `ban` writes the permission into
// infrarust.toml (every other byte kept) and enables it, without restarting the proxy (a player stays
// connected through it) or reloading the other plugins; unticking brings capability-denied back.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { fixturePath } from '../../test/fixtures/index';
import { pluginSettings, spliceOf } from '../support/disk';
import { backendServer, joinAndStay, pingMotd } from '../support/minecraft';
import { dropFiles, expectState, fileFrom, logLines, pluginCard, upload } from '../support/panel';
import type { Scenario } from './scenario';

export const grantCapability: Scenario = {
  name: '03-grant-capability',
  title: 'grant and revoke `ban`: config edited in place, proxy and other plugins untouched',
  plugins: ['minimal'],
  async run({ page, data, proxyPort, screenshot, defer }) {
    const minimal = pluginCard(page, 'Minimal');
    await expectState(minimal, 'enabled');
    const minimalLog = await logLines(minimal);
    await expect(minimalLog).toHaveText([/minimal enabled/]);

    // A player online through the proxy: a restarted proxy would drop them.
    const backend = await backendServer(data.serversDir, 'lobby', 'lobby.e2e.test', 'Lobby');
    defer(() => backend.close());
    await expect(page.getByRole('region', { name: 'Servers' })).toContainText('lobby.e2e.test');
    const steve = await joinAndStay(proxyPort, 'lobby.e2e.test', 'steve', backend);
    defer(() => steve.leave());
    const players = page.getByRole('region', { name: /^Players/ });
    await expect(players).toContainText('steve');

    const configBefore = await readFile(data.configFile, 'utf8');
    await dropFiles(page, [await fileFrom(fixturePath('uses-ban-service'))]);
    await expect(upload(page, 'uses-ban-service.wasm')).toContainText('Deployed uses_ban_service (capability-denied');
    const card = pluginCard(page, 'Uses ban-service');
    await expectState(card, 'capability-denied');
    await expect(card).toContainText('needs capability `ban`');
    await expect(card.getByRole('button', { name: 'Grant ban' })).toBeVisible();
    const ban = card.getByRole('checkbox', { name: 'ban', exact: true });
    await expect(ban).not.toBeChecked();
    expect(await readFile(data.configFile, 'utf8')).toBe(configBefore);
    await screenshot('denied');

    await ban.check();
    await expectState(card, 'enabled');
    await expect(ban).toBeChecked();
    await expect(await logLines(card)).toContainText(['uses_ban_service enabled']);
    const granted = await readFile(data.configFile, 'utf8');
    expect(pluginSettings(granted, 'uses_ban_service')).toEqual({ permissions: ['ban'] });
    const grant = spliceOf(configBefore, granted);
    expect(grant.removed).toBe('');
    expect(grant.inserted).toMatch(/^\s*\[plugins\.uses_ban_service\]\s*permissions = \["ban"\]\s*$/);

    await expectProxyUntouched();

    await ban.uncheck();
    await expectState(card, 'capability-denied');
    await expect(ban).not.toBeChecked();
    const revoked = await readFile(data.configFile, 'utf8');
    expect(pluginSettings(revoked, 'uses_ban_service')).toEqual({ permissions: [] });
    expect(spliceOf(configBefore, revoked).removed).toBe('');

    await expectProxyUntouched();

    async function expectProxyUntouched(): Promise<void> {
      await expect(page.getByLabel('Status', { exact: true })).toContainText(`listening on 127.0.0.1:${proxyPort}`);
      expect(steve.disconnected).toBe(false);
      await expect(players).toContainText('steve');
      expect(await pingMotd(proxyPort, 'nobody.e2e.test')).toBe('Unknown server');
      // Minimal was never reloaded: no on-disable, no second on-enable.
      await expectState(minimal, 'enabled');
      await expect(minimalLog).toHaveText([/minimal enabled/]);
    }
  },
};
