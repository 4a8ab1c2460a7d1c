// 7. A real Minecraft client pings and joins through the proxy: the players list shows it (and its
// server's count); a plugin's pre-login denial reaches the client as its disconnect reason.
import { expect } from '@playwright/test';
import { joinVia } from '../../test/support/minecraft-peers';
import { backendServer, joinAndStay, pingMotd } from '../support/minecraft';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const clientPingJoin: Scenario = {
  name: '07-client-ping-join',
  title: 'a real client pings and joins: the players list shows it; a plugin denial reaches the client',
  plugins: ['events-echo'],
  async run({ page, data, proxyPort, screenshot, defer }) {
    await expectState(pluginCard(page, 'Events Echo'), 'enabled');
    const backend = await backendServer(data.serversDir, 'survival', 'survival.e2e.test', 'Survival backend');
    defer(() => backend.close());
    const servers = page.getByRole('region', { name: 'Servers' });
    const survival = servers.getByRole('listitem').filter({ hasText: 'survival.e2e.test' });
    await expect(survival).toContainText('0 players');

    // events_echo answers proxy-ping: its MOTD replaces the backend's.
    expect(await pingMotd(proxyPort, 'survival.e2e.test')).toBe('echo MOTD');

    const alex = await joinAndStay(proxyPort, 'survival.e2e.test', 'alex', backend);
    defer(() => alex.leave());
    const players = page.getByRole('region', { name: /^Players/ });
    await expect(players.getByRole('listitem')).toHaveCount(1);
    await expect(players.getByRole('listitem')).toContainText(['alex']);
    await expect(players.getByRole('listitem')).toContainText(['survival']);
    await expect(survival).toContainText('1 player');
    await expect(page.getByLabel('Status', { exact: true })).toContainText(/Players\s*1/);
    await screenshot('online');

    const denied = await joinVia(proxyPort, 'survival.e2e.test', 'denied_user', [backend]);
    expect(denied.kicked).toContain('Denied by events_echo');
    expect(backend.logins).toEqual(['alex']);
    await expect(players.getByRole('listitem')).toHaveCount(1);

    await alex.leave();
    await expect(players).toContainText('Nobody online.');
    await expect(survival).toContainText('0 players');
  },
};
