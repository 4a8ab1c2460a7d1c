// Issue 16: cluster mode in the panel. The host starts before its Redis exists (the panel warns: it serves
// alone meanwhile), Redis comes up (connected), a second real host joins the network (the Network page lists
// it), a real client joins through the second proxy (a network player, held by "second"), and a ban from this
// panel's players list disconnects it there and refuses it next time.
import { expect } from '@playwright/test';
import { joinVia } from '../../test/support/minecraft-peers';
import { startRedis } from '../../test/support/redis-server';
import { serveProxy } from '../../test/support/served-proxy';
import { backendServer, joinAndStay } from '../support/minecraft';
import type { Scenario } from './scenario';

// Written into the first config, before Redis runs: a port below Linux's ephemeral range, picked per run.
const REDIS_PORT = 20_000 + Math.floor(Math.random() * 12_000);
const cluster = (id: string) =>
  `[cluster]\nredis = "redis://127.0.0.1:${REDIS_PORT}"\nproxy_id = "${id}"\nheartbeat_interval = 200\ndead_after = 2000\n`;

export const networkPage: Scenario = {
  name: 'network-page',
  title: 'two hosts in one network: Redis late, the Network page, a player on the other proxy banned from here',
  config: cluster('panel'),
  async run({ page, data, defer, screenshot }) {
    await expect(page.getByRole('alert').filter({ hasText: 'Redis is unreachable' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Network' }).click();
    const network = page.getByRole('region', { name: 'Network', exact: true });
    await expect(network.getByRole('alert')).toContainText(`Redis at redis://127.0.0.1:${REDIS_PORT} is unreachable`);
    await screenshot('redis-down');

    const redis = await startRedis(REDIS_PORT);
    defer(() => redis.stop());
    await expect(network.getByText('connected', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(network.getByRole('alert')).toHaveCount(0);

    const backend = await backendServer(data.serversDir, 'lobby', 'lobby.e2e.test', 'Lobby');
    defer(() => backend.close());
    const second = await serveProxy(cluster('second'), { lobby: `domains = ["lobby.e2e.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n` });
    defer(() => second.stop().then(() => second.cleanup()));
    const proxies = network.getByRole('table', { name: 'Proxies' });
    await expect(proxies.getByRole('row', { name: 'second' })).toContainText('alive');

    const wanderer = await joinAndStay(second.proxyPort, 'lobby.e2e.test', 'wanderer', backend);
    defer(() => wanderer.leave());
    const networkPlayers = page.getByRole('region', { name: /^Network players/ });
    await expect(networkPlayers.getByRole('row', { name: 'wanderer' })).toContainText('second');
    await expect(proxies.getByRole('row', { name: 'second' })).toContainText('1');
    await screenshot('network');

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Proxy' }).click();
    const players = page.getByRole('region', { name: /^Players/ });
    const row = players.getByRole('row', { name: 'wanderer' });
    await expect(row).toContainText('second');
    await row.getByRole('button', { name: 'Ban wanderer' }).click();
    const form = players.getByRole('form', { name: 'Ban wanderer' });
    await form.getByLabel('Reason').fill('network ban');
    await form.getByRole('button', { name: 'Ban player' }).click();
    await expect.poll(() => wanderer.disconnected).toBe(true);
    await expect(page.getByRole('region', { name: /^Bans/ }).getByRole('listitem')).toContainText(['wanderer']);
    expect((await joinVia(second.proxyPort, 'lobby.e2e.test', 'wanderer', [backend])).kicked).toContain('network ban');
  },
};
