// The built-in ban list (no `[ban] provider`) taking uuid bans from a real 0.3.0 QuickJS guest
// (test/fixtures/js030/consumer.js) through the real proxy and minecraft-protocol players. QuickJS holds
// each 64-bit half of a uuid as a double, so the uuid the guest hands back lost its low bits: a ban of an
// online player stores that player's exact uuid and kicks them (`kick = true`); a ban of a uuid the guest
// kept from earlier, when the player is gone, is stored as given and still refuses that player's next login,
// and the guest's rounded uuid lifts either ban. Nobody else is refused.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import type { Host } from '../src/main/host/host';
import { offlineUuid } from '../src/main/proxy/offline-uuid';
import { uuidFrom, uuidText } from '../src/shared/contract/uuid-halves';
import { joinAndStay, joinVia, startBackend, until, type Backend } from './support/minecraft-peers';
import { tempHost, type TempHost } from './support/temp-host';

/** A uuid as a QuickJS guest holds it: each 64-bit half as the nearest double. */
const asQuickJs = (uuid: string) => uuidText({ hi: Number(uuidFrom(uuid).hi), lo: Number(uuidFrom(uuid).lo) });

describe('the built-in ban list and uuids from a QuickJS plugin', () => {
  let tmp: TempHost;
  let host: Host;
  let backend: Backend;
  let port: number;
  const lines: PluginLogLine[] = [];
  const join_ = (name: string) => joinVia(port, 'a.test', name, [backend]);
  const storedUuids = async () => {
    const file = JSON.parse(await readFile(host.proxy!.bans.file, 'utf8')) as { bans: { type: string; value: string }[] };
    return file.bans.filter((b) => b.type === 'uuid').map((b) => b.value);
  };
  /** Runs a consumer console command; its answer (`<name> <json>` in its log). */
  const command = async (line: string) => {
    const from = lines.length;
    expect((await host.runCommand(line)).ok).toBe(true);
    const name = line.split(' ')[0]!;
    const hit = await until(`${name} answered`, () => lines.slice(from).find((l) => l.pluginId === 'consumer' && l.message.startsWith(`${name} `)));
    return JSON.parse(hit.message.slice(name.length + 1)) as { ok?: unknown; err?: unknown };
  };
  const online = (name: string) => host.proxy!.players.all().some((p) => p.profile.username === name);

  beforeAll(async () => {
    tmp = await tempHost();
    backend = await startBackend('Backend A');
    await tmp.addPlugin('consumer-030');
    ({ host, port } = await tmp.run({
      servers: { a: `domains = ["a.test"]\naddresses = ["127.0.0.1:${backend.port}"]\n` },
      config: 'bind = "127.0.0.1:0"\n\n[plugins.consumer]\npermissions = ["ban"]\n',
      listen: (h) => h.plugins.on('log', (l) => lines.push(l)),
    }));
    await until('the consumer enabled', () => host.plugins.get('consumer')?.state === 'enabled');
  });

  afterAll(async () => {
    await tmp?.cleanup();
    backend?.close();
  });

  it('bans an online player by the uuid the plugin rounded: kicked, stored exact, refused next time; the rounded uuid lifts it', async () => {
    const wes = await joinAndStay(port, 'a.test', 'Wes', backend);
    await until('Wes registered', () => online('Wes'));
    expect(asQuickJs(offlineUuid('Wes'))).not.toBe(offlineUuid('Wes'));
    expect(await command('cseen Wes')).toEqual({ ok: null });

    expect((await command('cbanuuid Wes')).ok).toMatchObject({ id: `uuid:${offlineUuid('Wes')}`, reason: 'testing', source: 'plugin:consumer' });
    await until('Wes kicked', () => wes.disconnected);
    expect(await storedUuids()).toEqual([offlineUuid('Wes')]);
    expect((await join_('Wes')).kicked).toContain('testing');
    expect((await join_('Vic')).backend).toBe(0);

    expect((await command('cunbanseen Wes')).ok).toMatchObject({ id: `uuid:${offlineUuid('Wes')}` });
    expect(await storedUuids()).toEqual([]);
    expect((await join_('Wes')).backend).toBe(0);
  });

  it('refuses a player the plugin banned by a uuid it kept after they left, and no one else', async () => {
    const xia = await joinAndStay(port, 'a.test', 'Xia', backend);
    await until('Xia registered', () => online('Xia'));
    expect(await command('cseen Xia')).toEqual({ ok: null });
    await xia.leave();
    await until('Xia gone', () => !online('Xia'));

    expect((await command('cbanseen Xia')).ok).toMatchObject({ id: `uuid:${asQuickJs(offlineUuid('Xia'))}` });
    expect(await storedUuids()).toEqual([asQuickJs(offlineUuid('Xia'))]);
    expect((await join_('Xia')).kicked).toContain('testing');
    expect((await join_('Vic')).backend).toBe(0);

    expect((await command('cunbanseen Xia')).ok).toMatchObject({ id: `uuid:${asQuickJs(offlineUuid('Xia'))}` });
    expect((await join_('Xia')).backend).toBe(0);
  });
});
