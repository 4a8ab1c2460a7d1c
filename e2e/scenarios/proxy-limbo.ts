// Issue 14: a player joining a server whose game is still starting waits in the proxy's limbo; the players
// list shows them in limbo with the handler (and plugin) holding them, and their server once released.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import { builtPlugin } from '../../plugins/kit/build-plugin';
import { freePort } from '../../test/support/minecraft-peers';
import { playClient, startPlayBackend } from '../../test/support/play-peers';
import { expectState, pluginCard } from '../support/panel';
import type { Scenario } from './scenario';

const WAITING_ROOM = fileURLToPath(new URL('../../plugins/examples/waiting_room', import.meta.url));

export const proxyLimbo: Scenario = {
  name: 'proxy-limbo',
  title: 'a player held in limbo by the waiting_room plugin shows in the players list with its handler',
  config: '\n[plugins.waiting_room]\npermissions = ["limbo", "server-manage"]\n[plugins.waiting_room.settings]\nserver = "arena"\n',
  async run({ page, data, proxyPort, defer, screenshot }) {
    await copyFile(await builtPlugin(WAITING_ROOM), join(data.pluginsDir, 'waiting_room.wasm'));
    await expectState(pluginCard(page, 'Waiting room'), 'enabled');
    const file = join(data.serversDir, 'arena.toml');
    const route = (port: number) => `domains = ["arena.e2e.test"]\naddresses = ["127.0.0.1:${port}"]\nproxy_mode = "offline"\nlimbo_handlers = ["waiting_room"]\n`;
    await writeFile(file, route(await freePort()));
    await expect(page.getByRole('region', { name: 'Servers' })).toContainText('arena.e2e.test');

    const player = playClient(proxyPort, 'arena.e2e.test', 'patient', '1.21.4');
    defer(() => player.leave());
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Proxy' }).click();
    const row = page.getByRole('region', { name: /^Players/ }).getByRole('row', { name: 'patient' });
    await expect(row).toContainText('in limbo: waiting_room (waiting_room)');
    await expect.poll(() => player.titles.some((t) => t.includes('Waiting for arena'))).toBe(true);
    await screenshot('in-limbo');

    const arena = await startPlayBackend('Arena', '1.21.4');
    defer(() => arena.close());
    await writeFile(file, route(arena.port));
    await expect.poll(() => arena.players.has('patient'), { timeout: 15_000 }).toBe(true);
    await expect(row).toContainText('arena');
    await expect(row).not.toContainText('in limbo');
  },
};
