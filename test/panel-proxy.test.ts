// The proxy driven from the panel's control API, with real parts: a route added, edited and removed through
// the API routes real minecraft-protocol clients; a broken file keeps its last good version; a live player is
// banned through the proxy's ban store and disconnected; the live feed sees plugin outcomes and traffic.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlEvent } from '../src/shared/control-api';
import type { RouteSettings } from '../src/shared/route-rules';
import { ControlService } from '../src/main/control/control-service';
import { Host } from '../src/main/host/host';
import { clientVia, joinVia, pingVia, startBackend, until, type Backend } from './support/minecraft-peers';
import { tempHost, type TempHost } from './support/temp-host';

const route = (over: Partial<RouteSettings> & { id: string }): RouteSettings => ({
  domains: [],
  addresses: [],
  motd: '',
  maxPlayers: 0,
  proxyMode: 'passthrough',
  forwarding: 'none',
  forwardingSecret: '',
  disconnectMessage: '',
  ...over,
});

describe('the proxy from the control API', () => {
  let tmp: TempHost;
  let host: Host;
  let service: ControlService;
  let backendA: Backend;
  let backendB: Backend;
  let port: number;
  const events: ControlEvent[] = [];
  const serversDir = () => join(tmp.dir, 'servers');

  beforeAll(async () => {
    tmp = await tempHost();
    [backendA, backendB] = await Promise.all([startBackend('Backend A'), startBackend('Backend B')]);
    await mkdir(serversDir());
    await tmp.writeConfig('bind = "127.0.0.1:0"\n');
    await tmp.addPlugin('events-echo');
    host = await Host.start({ cwd: tmp.dir });
    service = await ControlService.start(host, { watch: false, live: { trafficMs: 100, metricsMs: 100 } });
    service.subscribe((e) => events.push(e));
    port = Number(host.proxyStatus().address!.split(':').pop());
  });

  afterAll(async () => {
    await service?.close();
    await host?.stop();
    backendA?.close();
    backendB?.close();
    await tmp?.cleanup();
  });

  it('a route added through the API routes a real client at once; invalid routes are refused before writing', async () => {
    const refused = await service.saveServer({ ...route({ id: 'survival', domains: ['bad domain'], addresses: ['nohost'] }), create: true });
    expect(refused).toMatchObject({ ok: false, problems: [{ field: 'domains' }, { field: 'addresses' }] });

    const added = await service.saveServer({ ...route({ id: 'survival', domains: ['survival.test', '*.survival.test'], addresses: [`127.0.0.1:${backendA.port}`] }), create: true });
    expect(added).toMatchObject({ ok: true, server: { id: 'survival', domains: ['survival.test', '*.survival.test'], addresses: [`127.0.0.1:${backendA.port}`], problem: null } });
    expect(await readFile(join(serversDir(), 'survival.toml'), 'utf8')).toBe(
      `domains = ["survival.test", "*.survival.test"]\naddresses = ["127.0.0.1:${backendA.port}"]\nproxy_mode = "passthrough"\n`,
    );
    const joined = await joinVia(port, 'eu.survival.test', 'alice', [backendA, backendB]);
    expect(joined.backend).toBe(0);
    expect(events.some((e) => e.type === 'servers' && e.servers.some((s) => s.id === 'survival'))).toBe(true);

    const again = await service.saveServer({ ...route({ id: 'survival', domains: ['x.test'], addresses: ['127.0.0.1:1'] }), create: true });
    expect(again).toMatchObject({ ok: false, problems: [{ field: 'id', message: 'a server named "survival" already exists' }] });
    const clash = await service.saveServer({ ...route({ id: 'other', domains: ['SURVIVAL.test'], addresses: ['127.0.0.1:1'] }), create: true });
    expect(clash).toMatchObject({ ok: false, error: '"SURVIVAL.test" is already routed to server "survival"' });
  });

  it('editing keeps the comments of a hand-written file and re-routes without a restart', async () => {
    const file = join(serversDir(), 'lobby.toml');
    await writeFile(file, `# The lobby, hand written\ndomains = ["lobby.test"] # main name\naddresses = ["127.0.0.1:${backendA.port}"]\ncustom = 1 # unknown key, kept\n`);
    await host.proxy!.servers.reload();
    expect(await service.serverSettings({ id: 'lobby' })).toEqual(route({ id: 'lobby', domains: ['lobby.test'], addresses: [`127.0.0.1:${backendA.port}`] }));

    const startedAt = host.proxyStatus().startedAt;
    const saved = await service.saveServer({ ...route({ id: 'lobby', domains: ['lobby.test'], addresses: [`127.0.0.1:${backendB.port}`], maxPlayers: 10 }), create: false });
    expect(saved).toMatchObject({ ok: true, server: { addresses: [`127.0.0.1:${backendB.port}`] } });
    expect(await readFile(file, 'utf8')).toBe(
      `# The lobby, hand written\ndomains = ["lobby.test"] # main name\naddresses = ["127.0.0.1:${backendB.port}"]\ncustom = 1 # unknown key, kept\nmax_players = 10\n`,
    );
    expect((await joinVia(port, 'lobby.test', 'bob', [backendA, backendB])).backend).toBe(1);
    expect(host.proxyStatus().startedAt).toBe(startedAt);
  });

  it('a file that fails to parse shows line and column; its last good version keeps routing; it can be removed', async () => {
    const file = join(serversDir(), 'lobby.toml');
    await writeFile(file, 'domains = ["lobby.test"\naddresses = 3\n');
    await host.proxy!.servers.reload();
    const lobby = (await service.servers()).find((s) => s.id === 'lobby')!;
    expect(lobby.problem).toMatch(/line 2, column 1/);
    expect(lobby.addresses).toEqual([`127.0.0.1:${backendB.port}`]);
    expect((await joinVia(port, 'lobby.test', 'carol', [backendA, backendB])).backend).toBe(1);
    const edit = await service.saveServer({ ...route({ id: 'lobby', domains: ['lobby.test'], addresses: ['127.0.0.1:1'] }), create: false });
    expect(edit).toMatchObject({ ok: false, error: expect.stringMatching(/does not parse at line 2, column 1/) });

    expect(await service.removeServer({ id: 'lobby' })).toEqual({ ok: true, server: null });
    expect((await service.servers()).map((s) => s.id)).toEqual(['survival']);
    expect(await service.removeServer({ id: '../infrarust' })).toMatchObject({ ok: false, error: 'no server with id "../infrarust"' });
  });

  it('banning a live player uses the ban store plugins use, disconnects them and refuses their next login', async () => {
    const { ended } = clientVia(port, 'survival.test', 'griefer');
    const player = await until('griefer online', () => host.players().find((p) => p.username === 'griefer'), 8000);
    expect(player.server).toBe('survival');

    expect(await service.banPlayer({ id: player.id, by: 'username', reason: 'griefing' })).toEqual({ ok: true });
    await ended;
    await until('griefer gone', () => !host.players().some((p) => p.username === 'griefer'));
    expect(await host.proxy!.bans.isBanned({ tag: 'username', val: 'GRIEFER' })).toEqual({ tag: 'ok', val: true });
    expect(await service.bans()).toEqual([{ by: 'username', value: 'griefer', reason: 'griefing', expiresAt: null, createdAt: expect.any(Number), source: 'panel' }]);
    const back = await joinVia(port, 'survival.test', 'griefer', [backendA]);
    expect(back.kicked).toContain('griefing');

    expect(await service.unban({ by: 'username', value: 'griefer' })).toEqual({ ok: true });
    expect((await joinVia(port, 'survival.test', 'griefer', [backendA])).backend).toBe(0);
    expect(await service.banPlayer({ id: '999', by: 'ip' })).toEqual({ ok: false, error: 'player 999 is not online' });
    expect(await service.disconnectPlayer({ id: 'x' })).toEqual({ ok: false, error: 'player x is not online' });
  });

  it('the live feed shows which plugin changed an outcome and how, and samples traffic and plugin metrics', async () => {
    const denied = await joinVia(port, 'survival.test', 'denied_user', [backendA]);
    expect(denied.kicked).toContain('Denied by events_echo');
    const pingedAt = Date.now();
    await pingVia(port, 'survival.test');
    const feed = (await service.liveHistory()).events;
    expect(feed).toContainEqual(
      expect.objectContaining({
        kind: 'pre-login',
        summary: expect.stringMatching(/^denied_user from 127\.0\.0\.1:\d+ → survival\.test$/),
        changes: [{ pluginId: 'events_echo', outcome: 'denied: "Denied by events_echo"' }],
      }),
    );
    expect(feed).toContainEqual(expect.objectContaining({ kind: 'proxy-ping', changes: [{ pluginId: 'events_echo', outcome: expect.stringContaining('replaced the ping response ("echo MOTD"') }] }));
    expect(events.some((e) => e.type === 'proxy-event' && e.event.kind === 'pre-login')).toBe(true);

    const counted = (e: ControlEvent) => e.type === 'traffic' && e.sample.time >= pingedAt && e.sample.connectionsPerSec > 0 && e.sample.bytesFromClientsPerSec > 0;
    await until('a traffic sample counting the ping', () => events.some(counted));
    const history = await service.liveHistory();
    const echo = history.metrics.events_echo!.at(-1)!;
    expect(echo.calls).toBeGreaterThan(0);
    expect(echo.memoryCapBytes).toBe(64 * 1024 * 1024);
  });
});
