// ban_list as the proxy's ban provider in a real host, with ban-guard issuing bans through ban-service and
// real minecraft-protocol players: /ban kicks and refuses the next login with ban_list's message, /unban lets
// them in, bans live in plugins/ban_list/bans.json and survive a restart, an admin's edits (expiry, ranges)
// apply at the next login, uuid targets (hand-written, or through another plugin's ban-service, which also
// kicks the online player) and ip targets refuse the player they name, another plugin's ban-service.list walks
// more bans than a page holds, each exactly once even when one is lifted mid-walk (the consumer-030
// fixture), and a malformed file stops the plugin with the reason while nobody gets in.
// (0.3.0 only: 0.2.3 has no providers.)
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { offlineUuid } from '../../../src/main/proxy/offline-uuid';
import { joinVia, startBackend, until, type Backend } from '../../../test/support/minecraft-peers';
import { joinAndStay, startExampleHost, type ExampleHost } from '../example-host';

const CONFIG = [
  '[ban]',
  'provider = "ban_list"',
  '[plugins.ban_list]',
  'permissions = ["ban-provider"]',
  '[plugins.ban_guard]',
  'permissions = ["ban"]',
  '[plugins.consumer]',
  'permissions = ["ban"]',
].join('\n');
const CONSUMER = fileURLToPath(new URL('../../../test/fixtures/build/consumer-030.wasm', import.meta.url));

/** A uuid as a QuickJS guest holds it: each 64-bit half as the nearest double. */
function asQuickJs(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  const half = (h: string) => BigInt(Number(BigInt(`0x${h}`))).toString(16).padStart(16, '0');
  const r = half(hex.slice(0, 16)) + half(hex.slice(16));
  return `${r.slice(0, 8)}-${r.slice(8, 12)}-${r.slice(12, 16)}-${r.slice(16, 20)}-${r.slice(20)}`;
}

describe('ban_list example', () => {
  let backend: Backend;
  let ex: ExampleHost;
  const bansFile = () => join(ex.dir, 'plugins', 'ban_list', 'bans.json');
  const join_ = (name: string) => joinVia(ex.port, 'mc.test', name, [backend]);

  beforeAll(async () => {
    backend = await startBackend('Listed');
    ex = await startExampleHost({ plugins: ['ban_list', 'ban-guard'], servers: { main: { port: backend.port, domains: ['mc.test'] } }, config: CONFIG, wasm: [CONSUMER] });
  });

  afterAll(async () => {
    await ex?.stop();
    backend?.close();
  });

  it('registers as the ban provider with no capability warning', async () => {
    expect(ex.plugin('ban_list')).toMatchObject({ state: 'enabled', warnings: [] });
    await ex.logged(/^registered as the ban provider \(ip ranges: yes\)$/);
    await ex.logged(/^0 active ban\(s\) in \/bans\.json$/);
  });

  it('takes a /ban from another plugin: the player is kicked, the ban is in bans.json, the next login is refused', async () => {
    const bob = await joinAndStay(ex.port, 'mc.test', 'Bob', backend);
    await until('bob registered', () => ex.host.players().length === 1);
    expect((await ex.host.runCommand('/ban Bob griefing the spawn')).ok).toBe(true);
    await ex.logged(/^banned username:bob \(griefing the spawn\) by plugin:ban_guard$/);
    await bob.ended;

    const stored = JSON.parse(await readFile(bansFile(), 'utf8'));
    expect(stored.bans).toEqual([
      { id: '1', target: 'username:bob', reason: 'griefing the spawn', source: 'plugin:ban_guard', created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), expires: null },
    ]);
    const again = await join_('bob');
    expect(again.kicked).toContain('You are banned from this network.');
    expect(again.kicked).toContain('Reason: griefing the spawn');
    expect(again.kicked).toContain('This ban does not expire.');
    expect(backend.logins.filter((n) => n.toLowerCase() === 'bob')).toHaveLength(1);
  });

  it('lets them back after /unban', async () => {
    await ex.host.runCommand('/unban bob');
    await ex.logged(/^unbanned username:bob by plugin:ban_guard$/);
    expect((await join_('bob')).backend).toBe(0);
    expect(JSON.parse(await readFile(bansFile(), 'utf8')).bans).toEqual([]);
  });

  it('keeps bans across a host restart', async () => {
    await ex.host.runCommand('/ban carol spam');
    await ex.logged(/^banned username:carol/);
    await ex.restart();
    expect(ex.plugin('ban_list').state).toBe('enabled');
    await ex.logged(/^1 active ban\(s\) in \/bans\.json$/);
    expect((await join_('carol')).kicked).toContain('Reason: spam');
  });

  it('applies an admin\'s edits at the next login: expiry and address ranges', async () => {
    const stored = JSON.parse(await readFile(bansFile(), 'utf8'));
    stored.bans.push(
      { id: '7', target: 'username:dave', reason: 'served', source: 'console', created: '2020-01-01T00:00:00.000Z', expires: '2020-01-02T00:00:00.000Z' },
      { id: '8', target: 'username:erin', reason: 'a week off', source: 'console', created: '2020-01-01T00:00:00.000Z', expires: '2099-01-01T00:00:00.000Z' },
    );
    await writeFile(bansFile(), JSON.stringify(stored));
    expect((await join_('dave')).backend).toBe(0);
    expect((await join_('erin')).kicked).toContain('Expires: 2099-01-01 00:00:00 UTC');

    stored.bans.push({ id: '9', target: 'ip-range:127.0.0.0/8', reason: 'loopback is closed', source: 'system', created: '2020-01-01T00:00:00.000Z', expires: null });
    await writeFile(bansFile(), JSON.stringify(stored));
    expect((await join_('frank')).kicked).toContain('loopback is closed');
  });

  /** A consumer console command's answer (`<name> <json>` in its log). */
  async function consumer(line: string): Promise<{ ok?: unknown; err?: unknown }> {
    const from = ex.logs.length;
    expect((await ex.host.runCommand(line)).ok).toBe(true);
    const name = line.split(' ')[0]!;
    const hit = await until(`${name} answered`, () => ex.logs.slice(from).find((l) => l.pluginId === 'consumer' && l.message.startsWith(`${name} `)));
    return JSON.parse(hit.message.slice(name.length + 1));
  }

  it('refuses the player a hand-written uuid ban names, and every login from an ip ban\'s address', async () => {
    const stored = JSON.parse(await readFile(bansFile(), 'utf8'));
    stored.bans = [{ id: '20', target: `uuid:${offlineUuid('Uma')}`, reason: 'uuid banned', source: 'console', created: '2020-01-01T00:00:00.000Z', expires: null }];
    await writeFile(bansFile(), JSON.stringify(stored));
    expect((await join_('Uma')).kicked).toContain('uuid banned');
    expect((await join_('Vic')).backend).toBe(0);

    // A uuid ban through another plugin's ban-service kicks the online player it names, whose next login is refused.
    const wes = await joinAndStay(ex.port, 'mc.test', 'Wes', backend);
    await until('Wes registered', () => ex.host.players().some((p) => p.username === 'Wes'));
    expect((await consumer('cbanuuid Wes')).ok).toMatchObject({ id: '21', target: { tag: 'uuid' } });
    // QuickJS guests hold a u64 as a number: the uuid both plugins saw has each half rounded to a double.
    await ex.logged(new RegExp(`^banned uuid:${asQuickJs(offlineUuid('Wes'))} \\(testing\\) by plugin:consumer$`));
    await wes.ended;
    expect((await join_('Wes')).kicked).toContain('Reason: testing');
    expect((await join_('Vic')).backend).toBe(0);

    // Through another plugin's ban-service: the provider stores it as ip:127.0.0.1.
    expect((await consumer('cbanip')).ok).toMatchObject({ id: '22' });
    await ex.logged(/^banned ip:127\.0\.0\.1 \(testing\) by plugin:consumer$/);
    expect(JSON.parse(await readFile(bansFile(), 'utf8')).bans.map((b: { target: string }) => b.target)).toContain('ip:127.0.0.1');
    expect((await join_('Vic')).kicked).toContain('Reason: testing');
  });

  it('pages its list for another plugin\'s ban-service.list: every ban once, even when one is lifted mid-walk', async () => {
    for (let i = 1; i <= 7; i++) expect((await consumer(`cban p${i}`)).ok).toMatchObject({ id: String(22 + i) });
    // uuid:… (20, 21), ip:127.0.0.1 (22) and the seven names (23–29): more than a page of 3 or of 4 holds.
    const all = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'];
    expect((await consumer('clist 3')).ok).toEqual([
      { cursor: null, ids: ['20', '21', '22'] },
      { cursor: '22', ids: ['23', '24', '25'] },
      { cursor: '25', ids: ['26', '27', '28'] },
      { cursor: '28', ids: ['29'] },
    ]);
    expect((await consumer('clist 10')).ok).toEqual([{ cursor: null, ids: all }]);
    expect((await consumer('clist')).ok).toEqual(all);

    // p1 (23) is lifted after the first page: the cursor is the last id shown, so no later ban is skipped.
    const walk = (await consumer('clist 4 p1')).ok as { cursor: string | null; ids: string[] }[];
    expect(walk.map((p) => p.cursor)).toEqual([null, '23', '27']);
    const seen = walk.flatMap((p) => p.ids);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    await ex.logged(/^unbanned username:p1 by plugin:consumer$/);
    expect((await consumer('clist')).ok).toEqual(all.filter((id) => id !== '23'));
  });

  it('stops with the reason on a malformed file, never rewrites it, and lets nobody in meanwhile', async () => {
    const broken = '{"bans": [ {"id": "1", "target": "nickname:bob"';
    await writeFile(bansFile(), broken);
    await ex.restart();
    expect(ex.plugin('ban_list')).toMatchObject({ state: 'failed', reason: expect.stringContaining('/bans.json is not valid JSON') });
    expect((await join_('grace')).kicked).toContain('Your ban status cannot be checked right now');

    await writeFile(bansFile(), JSON.stringify({ bans: [{ id: '1', target: 'nickname:bob', reason: null, source: 'console', created: '2020-01-01T00:00:00Z', expires: null }] }));
    await ex.restart();
    expect(ex.plugin('ban_list').reason).toContain('/bans.json: ban #1: "nickname:bob" is not a target');
    expect(await readFile(bansFile(), 'utf8')).toContain('nickname:bob');
  });
});
