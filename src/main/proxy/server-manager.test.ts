// The local server manager with real processes: test/fixtures/servers/managed-server.mjs is a real
// minecraft-protocol server printing Minecraft's ready line and obeying `stop` on stdin.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, pingVia, until } from '../../../test/support/minecraft-peers';
import { parseServerFile, type ServerDefinition } from './server-file';
import { ServerManager, type ManagedState } from './server-manager';
import { alive, MANAGED_SERVER as FIXTURE } from '../../../test/support/managed-servers';

describe('ServerManager', () => {
  let dir: string;
  let manager: ServerManager;
  const servers = new Map<string, ServerDefinition>();
  let players = 0;
  let changes: [string, ManagedState, ManagedState][];
  const logs: string[] = [];

  async function define(id: string, extraArgs: string[] = [], managerLines = '', command = process.execPath): Promise<number> {
    const port = await freePort();
    const args = JSON.stringify([FIXTURE, String(port), ...extraArgs]);
    const text = `domains = ["${id}.test"]\naddresses = ["127.0.0.1:${port}"]\n[server_manager]\ntype = "local"\ncommand = ${JSON.stringify(command)}\nargs = ${args}\nworking_dir = "."\n${managerLines}`;
    const parsed = parseServerFile(id, join(dir, `${id}.toml`), text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    servers.set(id, parsed.server);
    return port;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-manager-'));
    servers.clear();
    players = 0;
    changes = [];
    logs.length = 0;
    manager = new ServerManager({
      get: (id) => servers.get(id),
      list: () => [...servers.values()],
      playersOn: () => players,
      logDir: join(dir, 'server-logs'),
      log: (_level, message) => logs.push(message),
      onState: (server, oldState, newState) => changes.push([server, oldState, newState]),
    });
  });

  afterEach(async () => {
    await manager.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the configured command, is running once the ready line shows, and stops it through stdin', async () => {
    const port = await define('survival');
    expect(manager.state('survival')).toBe('stopped');
    expect(await manager.start('survival')).toEqual({ ok: true });
    expect(manager.state('survival')).toBe('running');
    const pid = manager.view('survival')!.pid!;
    expect(alive(pid)).toBe(true);
    expect((await pingVia(port, 'survival.test')).description).toMatchObject({ text: 'Managed' });
    expect(await manager.stop('survival')).toEqual({ ok: true });
    expect(manager.state('survival')).toBe('stopped');
    expect(alive(pid)).toBe(false);
    expect(changes.map(([, , s]) => s)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    const tail = manager.logTail('survival')!;
    expect(tail.some((l) => l.includes('For help, type "help"'))).toBe(true);
    expect(tail.some((l) => l.includes('Stopping the server'))).toBe(true);
    expect(manager.view('survival')!.lastExit).toBe('exit code 0');
    // The file is written through a stream: its last lines land there just after the process has gone.
    await until('the stop in the log file', () => readFileSync(join(dir, 'server-logs', 'survival.log'), 'utf8').includes('Stopping the server'));
  });

  it('a process that exits on its own is crashed, with its exit code in the log and the view', async () => {
    await define('flaky', ['--crash-after', '300:3']);
    expect(await manager.start('flaky')).toEqual({ ok: true });
    await until('the crash', () => manager.state('flaky') === 'crashed');
    expect(manager.view('flaky')).toMatchObject({ state: 'crashed', pid: null, lastExit: 'exit code 3' });
    expect(logs).toContain('servers: flaky is crashed (exit code 3)');
    expect(manager.logTail('flaky')!.some((l) => l.startsWith('[stderr]') && l.includes('unexpected exception'))).toBe(true);
    // A crashed server starts again on request.
    expect(await manager.start('flaky')).toEqual({ ok: true });
  });

  it('kills a server that ignores `stop` once shutdown_timeout has passed', async () => {
    await define('stubborn', ['--ignore-stop'], 'shutdown_timeout = "300ms"\n');
    await manager.start('stubborn');
    const pid = manager.view('stubborn')!.pid!;
    await manager.stop('stubborn');
    expect(manager.view('stubborn')).toMatchObject({ state: 'stopped', lastExit: 'killed by SIGKILL' });
    expect(alive(pid)).toBe(false);
    expect(manager.logTail('stubborn')!.some((l) => l.includes('killing it'))).toBe(true);
  });

  it('a server that never prints its ready line within start_timeout fails to start and is killed', async () => {
    await define('mute', ['--never-ready'], 'start_timeout = "500ms"\n');
    const result = await manager.start('mute');
    expect(result).toMatchObject({ ok: false, kind: 'failed' });
    expect(manager.view('mute')!.state).toBe('crashed');
    expect(manager.view('mute')!.lastExit).toMatch(/^no ready line \("For help, type \\"help\\""\) within 0.5 s; killed by SIGKILL$/);
  });

  it('a command that cannot run is crashed with why; unknown and unmanaged servers are refused', async () => {
    await define('ghost', [], '', '/nonexistent/java');
    expect(await manager.start('ghost')).toMatchObject({ ok: false, kind: 'failed', message: expect.stringContaining('cannot run "/nonexistent/java"') });
    expect(manager.state('ghost')).toBe('crashed');
    expect(await manager.start('nope')).toMatchObject({ ok: false, kind: 'not-found' });
    const plain = parseServerFile('plain', join(dir, 'plain.toml'), 'domains = ["plain.test"]\naddresses = ["127.0.0.1:1"]\n');
    servers.set('plain', (plain as { server: ServerDefinition }).server);
    expect(await manager.stop('plain')).toMatchObject({ ok: false, kind: 'unsupported' });
    expect(manager.state('plain')).toBeUndefined();
  });

  it('stops an idle server once nobody has been on it for shutdown_after', async () => {
    await define('lazy', [], 'shutdown_after = "300ms"\n');
    players = 1;
    await manager.start('lazy');
    const pid = manager.view('lazy')!.pid!;
    manager.playersChanged('lazy');
    players = 0;
    manager.playersChanged('lazy');
    await until('the idle stop', () => manager.state('lazy') === 'stopped');
    expect(alive(pid)).toBe(false);
    expect(logs).toContain('servers: stopping lazy: nobody on it for 0.3 s');
  });

  it('concurrent starts share one process; shutdown stops every process', async () => {
    await define('a');
    await define('b');
    const [r1, r2, r3] = await Promise.all([manager.start('a'), manager.start('a'), manager.start('b')]);
    expect([r1, r2, r3]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(changes.filter(([id, , s]) => id === 'a' && s === 'starting')).toHaveLength(1);
    const pids = [manager.view('a')!.pid!, manager.view('b')!.pid!];
    await manager.shutdown();
    expect(pids.map(alive)).toEqual([false, false]);
    expect(await manager.start('a')).toMatchObject({ ok: false, message: 'the proxy is stopping' });
  });
});
