// The local server manager through the real host and proxy: each managed "server" is a real Node process
// (test/fixtures/servers/managed-server.mjs, a minecraft-protocol server printing Minecraft's ready line).
// A real client joining a stopped server in offline mode waits in the proxy's limbo ("Starting …") and
// lands on it once ready; in passthrough it is told to come back and the status ping shows the starting
// MOTD; the idle timer stops it; a crash is `crashed` with its exit code, seen by a 0.3.0 and a 0.2.3
// guest; both contracts' plugins start and stop servers; a plugin's connect to a sleeping server wakes it
// (the player waits where they are, counted for its idle timer); the host's stop leaves no process behind.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../src/shared/plugin-state';
import { Host } from '../src/main/host/host';
import { freePort, pingVia, until } from './support/minecraft-peers';
import { playClient } from './support/play-peers';
import { tempHost, type TempHost } from './support/temp-host';
import { alive, MANAGED_SERVER as FIXTURE } from './support/managed-servers';

describe('host: the local server manager', () => {
  let tmp: TempHost;
  let host: Host;
  let port: number;
  const lines: PluginLogLine[] = [];
  const pids = new Set<number>();

  const serverFile = (id: string, backendPort: number, extra: string, args: string[] = [], manager = '') =>
    `domains = ["${id}.test"]\naddresses = ["127.0.0.1:${backendPort}"]\n${extra}\n[server_manager]\ntype = "local"\ncommand = ${JSON.stringify(process.execPath)}\nargs = ${JSON.stringify([FIXTURE, String(backendPort), ...args])}\nworking_dir = "."\n${manager}`;

  /** What a plugin command logged (`<name> <json>`). */
  const command = async (plugin: string, line: string) => {
    const from = lines.length;
    expect((await host.runCommand(line)).ok).toBe(true);
    const name = line.split(' ')[0]!;
    const hit = await until(`${name} answered`, () => lines.slice(from).find((l) => l.pluginId === plugin && l.message.startsWith(`${name} `)), 30_000);
    return JSON.parse(hit.message.slice(name.length + 1)) as { ok?: unknown; err?: { kind?: string; message?: string; tag?: string; val?: string } };
  };
  const stateSeen = (plugin: string, server: string, from: string, to: string) => lines.some((l) => l.pluginId === plugin && l.message === `state ${server} ${from} ${to}`);
  const track = (id: string) => {
    const pid = host.proxy!.servers.managed(id)?.pid;
    if (pid) pids.add(pid);
    return pid;
  };

  beforeAll(async () => {
    tmp = await tempHost();
    const servers = join(tmp.dir, 'servers');
    await mkdir(servers);
    const [wake, pass, flaky, plugged, old] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    await writeFile(join(servers, 'wake.toml'), serverFile('wake', wake, 'proxy_mode = "offline"', [], 'shutdown_after = "2s"\n'));
    await writeFile(join(servers, 'pass.toml'), serverFile('pass', pass, ''));
    // Never prints its ready line: it stays `starting` until its start_timeout.
    await writeFile(join(servers, 'slow.toml'), serverFile('slow', await freePort(), '[motd.starting]\ntext = "§eWarming up"', ['--never-ready'], 'start_timeout = "2m"\n'));
    await writeFile(join(servers, 'flaky.toml'), serverFile('flaky', flaky, '', ['--crash-after', '300:3']));
    await writeFile(join(servers, 'plugged.toml'), serverFile('plugged', plugged, ''));
    await writeFile(join(servers, 'old.toml'), serverFile('old', old, ''));
    // shutdown_after 1 ms: only the players waiting for it keep it running until they land.
    await writeFile(join(servers, 'nap.toml'), serverFile('nap', await freePort(), 'proxy_mode = "offline"', [], 'shutdown_after = "1ms"\n'));
    await writeFile(join(servers, 'never.toml'), serverFile('never', await freePort(), 'proxy_mode = "offline"', ['--never-ready'], 'start_timeout = "1s"\n'));
    await writeFile(join(servers, 'plain.toml'), `domains = ["plain.test"]\naddresses = ["127.0.0.1:${await freePort()}"]\n`);
    await tmp.addPlugin('servers-030');
    await tmp.addPlugin('servers-023');
    await tmp.addPlugin('players-030');
    await tmp.writeConfig('bind = "127.0.0.1:0"\n\n[plugins.servers_030]\npermissions = ["server-manage"]\n\n[plugins.servers_023]\npermissions = ["server-manage"]\n');
    host = await Host.start({ cwd: tmp.dir });
    host.plugins.on('log', (l: PluginLogLine) => lines.push(l));
    port = Number(host.proxyStatus().address!.split(':').pop());
    await until('the plugins enabled', () => ['servers_030', 'servers_023', 'players_030'].every((id) => host.plugins.get(id)?.state === 'enabled'), 30_000);
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    await tmp?.cleanup();
  });

  it('a join in offline mode starts the stopped server; the player waits in limbo and lands on it once it is ready', async () => {
    expect(host.proxy!.servers.state('wake')).toBe('sleeping');
    expect(host.proxy!.servers.config('wake')?.hasServerManager).toBe(true);
    expect(host.proxy!.servers.config('plain')?.hasServerManager).toBe(false);
    const pc = playClient(port, 'wake.test', 'Waiter', '1.21.1');
    await until('the starting title', () => pc.titles.some((t) => t.includes('Starting wake')), 10_000);
    await until('Waiter on wake', () => host.proxy!.players.getByUsername('Waiter')?.currentServer === 'wake', 30_000);
    expect(host.proxy!.servers.state('wake')).toBe('online');
    track('wake');
    // The backend process itself saw the player join.
    await until('the join in the server log', () => host.proxy!.servers.managedLog('wake')!.some((l) => l.includes('Waiter joined the game')));
    expect(pc.ended).toBe(false);
    expect(stateSeen('servers_030', 'wake', 'sleeping', 'starting') && stateSeen('servers_030', 'wake', 'starting', 'online')).toBe(true);
    expect(stateSeen('servers_023', 'wake', 'starting', 'online')).toBe(true);

    // The idle timer: once the player leaves, the server stops after shutdown_after.
    const pid = host.proxy!.servers.managed('wake')!.pid!;
    await pc.leave();
    await until('the idle stop', () => host.proxy!.servers.state('wake') === 'sleeping', 20_000);
    expect(alive(pid)).toBe(false);
    expect(host.proxy!.servers.managed('wake')!.lastExit).toBe('exit code 0');
  }, 60_000);

  it('passthrough: the join starts the server and is told to come back; the ping shows the starting MOTD meanwhile', async () => {
    expect((await pingVia(port, 'pass.test')).description).toMatchObject({ text: expect.stringContaining('Server sleeping') });
    const first = playClient(port, 'pass.test', 'Early', '1.21.1');
    await until('Early refused', () => first.ended, 10_000);
    expect(first.kicked).toContain('pass is starting, try again in a moment');
    const slow = playClient(port, 'slow.test', 'Early', '1.21.1');
    await until('Early refused by slow', () => slow.ended, 10_000);
    expect(host.proxy!.servers.state('slow')).toBe('starting');
    track('slow');
    expect(JSON.stringify((await pingVia(port, 'slow.test')).description)).toContain('Warming up');
    expect(await command('servers_030', 'sstop slow')).toEqual({ ok: null });
    await until('pass running', () => host.proxy!.servers.state('pass') === 'online', 30_000);
    track('pass');
    const second = playClient(port, 'pass.test', 'Later', '1.21.1');
    await until('Later joined pass', () => second.joins > 0 || second.ended, 10_000);
    expect(second.kicked).toBeUndefined();
    await until('the join in the server log', () => host.proxy!.servers.managedLog('pass')!.some((l) => l.includes('Later joined the game')));
    await second.leave();
  }, 60_000);

  it('a crash is `crashed` with its exit code, in the log and as a server-state-change both guests see', async () => {
    const started = await command('servers_030', 'sstart flaky');
    expect(started).toEqual({ ok: null });
    await until('flaky crashed', () => host.proxy!.servers.state('flaky') === 'crashed', 20_000);
    expect(host.proxy!.servers.managed('flaky')).toMatchObject({ state: 'crashed', pid: null, lastExit: 'exit code 3' });
    expect(host.logHistory.all().some((l) => l.message === 'servers: flaky is crashed (exit code 3)')).toBe(true);
    await until('the guests saw the crash', () => stateSeen('servers_030', 'flaky', 'online', 'crashed') && stateSeen('servers_023', 'flaky', 'online', 'crashed'));
    expect(await command('servers_030', 'sstate flaky')).toEqual({ ok: 'crashed' });
    expect(await command('servers_023', 'tstate flaky')).toEqual({ ok: 'crashed' });
  }, 60_000);

  it('plugins of both contracts start and stop configured servers, and get each contract\'s errors', async () => {
    expect(await command('servers_030', 'sstart plugged')).toEqual({ ok: null });
    expect(host.proxy!.servers.state('plugged')).toBe('online');
    const pid = track('plugged')!;
    expect(await command('servers_030', 'sstop plugged')).toEqual({ ok: null });
    expect(host.proxy!.servers.state('plugged')).toBe('sleeping');
    expect(alive(pid)).toBe(false);
    expect(await command('servers_023', 'tstart old')).toEqual({ ok: null });
    expect(host.proxy!.servers.state('old')).toBe('online');
    track('old');
    expect(await command('servers_023', 'tstop old')).toEqual({ ok: null });
    expect(host.proxy!.servers.state('old')).toBe('sleeping');

    expect(await command('servers_030', 'sstart plain')).toMatchObject({ err: { kind: 'unsupported' } });
    expect(await command('servers_030', 'sstart nowhere')).toMatchObject({ err: { kind: 'not-found' } });
    expect(await command('servers_023', 'tstart plain')).toMatchObject({ err: { tag: 'unavailable' } });
    expect(await command('servers_023', 'tstart nowhere')).toMatchObject({ err: { tag: 'not-found' } });
    const listed = (await command('servers_030', 'slist')).ok as { server: string; state: string }[];
    expect(listed).toContainEqual({ server: 'plugged', state: 'sleeping' });
    expect(listed).toContainEqual({ server: 'flaky', state: 'crashed' });
  }, 60_000);

  it('the console starts, stops and shows the output of a managed server; the panel view carries its lifecycle', async () => {
    expect(await host.runCommand('server start old')).toEqual({ ok: true, output: 'old is running' });
    track('old');
    expect(host.servers().find((s) => s.id === 'old')?.managed).toMatchObject({ state: 'running', pid: expect.any(Number) });
    expect(host.servers().find((s) => s.id === 'plain')?.managed).toBeUndefined();
    const log = await host.runCommand('server log old');
    expect(log.output).toMatch(/^old: running \(last run: exit code 0\); log file .*server-logs\/old\.log\n/);
    expect(log.output).toContain('For help, type "help"');
    expect(await host.runCommand('server stop old')).toEqual({ ok: true, output: 'old is stopped' });
    expect(await host.runCommand('server start plain')).toEqual({ ok: false, output: 'server "plain" has no [server_manager] in its file' });
    // Not a managed-server line: it goes to the plugins' commands.
    expect((await host.runCommand('server restart old')).output).toBe('unknown command: server');
  }, 60_000);

  it('a player waiting in limbo counts for the idle timer: a 1 ms shutdown_after does not stop the server before they land', async () => {
    const pc = playClient(port, 'nap.test', 'Napper', '1.21.1');
    await until('the starting title', () => pc.titles.some((t) => t.includes('Starting nap')), 10_000);
    await until('Napper on nap', () => host.proxy!.players.getByUsername('Napper')?.currentServer === 'nap', 30_000);
    track('nap');
    await until('the join in the server log', () => host.proxy!.servers.managedLog('nap')!.some((l) => l.includes('Napper joined the game')));
    expect(host.proxy!.servers.managed('nap')!.lastExit).toBeNull();
    await pc.leave();
    await until('the idle stop', () => host.proxy!.servers.state('nap') === 'sleeping', 20_000);
  }, 60_000);

  it('a plugin\'s connect to a sleeping server wakes it: the player waits where they are and the answer tells how it went', async () => {
    const pc = playClient(port, 'wake.test', 'Mover', '1.21.1');
    await until('Mover on wake', () => host.proxy!.players.getByUsername('Mover')?.currentServer === 'wake', 30_000);
    track('wake');
    expect(host.proxy!.servers.state('nap')).toBe('sleeping');
    const id = host.proxy!.players.getByUsername('Mover')!.id;
    const connect = async (server: string) => {
      const from = lines.length;
      expect(await host.plugins.runCommand(`ctl connect ${server}`, id)).toBe(true);
      const hit = lines.slice(from).find((l) => l.pluginId === 'players_030' && l.message.startsWith('result connect '))!;
      return JSON.parse(hit.message.slice('result connect '.length)) as { ok?: { tag: string; val?: unknown } };
    };
    const titlesBefore = pc.titles.length;
    // Waiting in place: nap's 1 ms shutdown_after would stop it before the move if Mover did not count.
    expect(await connect('nap')).toEqual({ ok: { tag: 'success' } });
    expect(pc.titles.slice(titlesBefore).some((t) => t.includes('Starting nap'))).toBe(true);
    expect(host.proxy!.players.getByUsername('Mover')?.currentServer).toBe('nap');
    track('nap');
    await until('the move in the server log', () => host.proxy!.servers.managedLog('nap')!.some((l) => l.includes('Mover joined the game')));
    expect(host.proxy!.servers.state('nap')).toBe('online');

    // A server that cannot start: the answer says why and the player stays where they were.
    const failed = await connect('never');
    expect(failed.ok?.tag).toBe('failed');
    expect(JSON.stringify(failed.ok?.val)).toContain('never could not start: never failed to start: no ready line');
    expect(host.proxy!.servers.state('never')).toBe('crashed');
    expect(host.proxy!.players.getByUsername('Mover')?.currentServer).toBe('nap');
    expect(pc.ended).toBe(false);
    await pc.leave();
    await until('nap idle stop', () => host.proxy!.servers.state('nap') === 'sleeping', 20_000);
  }, 60_000);

  it('the host\'s stop leaves no server process running', async () => {
    expect(await command('servers_030', 'sstart plugged')).toEqual({ ok: null });
    const pid = track('plugged')!;
    expect(alive(pid)).toBe(true);
    await host.stop();
    for (const p of pids) expect(alive(p)).toBe(false);
  }, 60_000);
});
