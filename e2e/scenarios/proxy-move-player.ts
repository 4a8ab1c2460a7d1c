// Issue 13: a player of an `offline` server is sent a message and moved to another server from the players
// list, without reconnecting; the players list shows each player's mode.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { joinPlay, startPlayBackend } from '../../test/support/play-peers';
import type { Scenario } from './scenario';

export const proxyMovePlayer: Scenario = {
  name: 'proxy-move-player',
  title: 'message a player of an offline server and move them to another server from the players list',
  async run({ page, data, proxyPort, defer, screenshot }) {
    const [hub, arena] = await Promise.all([startPlayBackend('Hub', '1.21.4'), startPlayBackend('Arena', '1.21.4')]);
    defer(() => hub.close());
    defer(() => arena.close());
    await writeFile(join(data.serversDir, 'hub.toml'), `domains = ["hub.e2e.test"]\naddresses = ["127.0.0.1:${hub.port}"]\nproxy_mode = "offline"\n`);
    await writeFile(join(data.serversDir, 'arena.toml'), `domains = ["arena.e2e.test"]\naddresses = ["127.0.0.1:${arena.port}"]\nproxy_mode = "offline"\n`);
    await expect(page.getByRole('region', { name: 'Servers' })).toContainText('arena.e2e.test');
    const player = await joinPlay(proxyPort, 'hub.e2e.test', 'wanderer', hub);
    defer(() => player.leave());

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Proxy' }).click();
    const players = page.getByRole('region', { name: /^Players/ });
    const row = players.getByRole('row', { name: 'wanderer' });
    await expect(row).toContainText('hub');
    await expect(row).toContainText('offline');

    await row.getByRole('button', { name: 'Message wanderer' }).click();
    const message = players.getByRole('form', { name: 'Message wanderer' });
    await message.getByLabel('Message').fill('the arena opens now');
    await message.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => player.messages.some((m) => m.includes('the arena opens now'))).toBe(true);

    await row.getByRole('button', { name: 'Move wanderer' }).click();
    const move = players.getByRole('form', { name: 'Move wanderer' });
    await move.getByLabel('To server').selectOption('arena');
    await screenshot('move-form');
    await move.getByRole('button', { name: 'Move player' }).click();
    await expect.poll(() => arena.players.has('wanderer')).toBe(true);
    await expect(row).toContainText('arena');
    expect(player.ended).toBe(false);
  },
};
