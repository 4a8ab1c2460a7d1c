// Issue 8: a live player banned from the players list on the Proxy page. The ban goes into the proxy's ban
// store (data_dir/bans.json, the one plugins' ban-service uses), the player is disconnected at once, and their next
// login is refused with the reason. The event feed shows the logins as they fire, and which plugin denied one.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { joinVia } from '../../test/support/minecraft-peers';
import { backendServer, joinAndStay } from '../support/minecraft';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

export const proxyBanPlayer: Scenario = {
  name: 'proxy-ban-player',
  title: 'ban a live player from the players list: disconnected now, refused next time; the event feed shows it',
  plugins: ['events-echo'],
  async run({ page, data, proxyPort, defer, screenshot }) {
    await expectState(pluginCard(page, 'Events Echo'), 'enabled');
    const backend = await backendServer(data.serversDir, 'survival', 'survival.e2e.test', 'Survival backend');
    defer(() => backend.close());
    await expect(page.getByRole('region', { name: 'Servers' })).toContainText('survival.e2e.test');
    const griefer = await joinAndStay(proxyPort, 'survival.e2e.test', 'griefer', backend);
    defer(() => griefer.leave());
    expect((await joinVia(proxyPort, 'survival.e2e.test', 'denied_user', [backend])).kicked).toContain('Denied by events_echo');

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Proxy' }).click();
    await expect(page.getByRole('region', { name: 'Proxy' })).toContainText(`Listening on127.0.0.1:${proxyPort}`);
    const feed = page.getByRole('list', { name: 'Event feed' });
    await expect(feed).toContainText(/pre-login\s*griefer from 127\.0\.0\.1:\d+ → survival\.e2e\.test/);
    await expect(feed.getByRole('listitem').filter({ hasText: 'denied_user' }).first()).toContainText('events_echo → denied: "Denied by events_echo"');

    const players = page.getByRole('region', { name: /^Players/ });
    const row = players.getByRole('row', { name: 'griefer' });
    await expect(row).toContainText('survival');
    await row.getByRole('button', { name: 'Ban griefer' }).click();
    const form = players.getByRole('form', { name: 'Ban griefer' });
    await form.getByLabel('Reason').fill('griefing spawn');
    await screenshot('ban-form');
    await form.getByRole('button', { name: 'Ban player' }).click();

    await expect.poll(() => griefer.disconnected).toBe(true);
    await expect(players).toContainText('Nobody online.');
    const bans = page.getByRole('region', { name: /^Bans/ });
    await expect(bans.getByRole('listitem')).toHaveCount(1);
    for (const text of ['griefer', '“griefing spawn”', 'permanent', 'by panel']) await expect(bans.getByRole('listitem')).toContainText(text);
    const stored = JSON.parse(await readFile(join(data.dir, 'data', 'bans.json'), 'utf8')) as { bans: { type: string; value: string; reason: string; source: string }[] };
    expect(stored.bans).toEqual([expect.objectContaining({ type: 'username', value: 'griefer', reason: 'griefing spawn', source: 'panel' })]);
    const back = await joinVia(proxyPort, 'survival.e2e.test', 'griefer', [backend]);
    expect(back.kicked).toContain('griefing spawn');
    expect(backend.logins).toEqual(['griefer']);
  },
};
