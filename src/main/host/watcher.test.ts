// The watcher against a real Host: hand-made changes in plugins_dir and infrarust.toml reach the host.
import { copyFile, mkdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginView } from '../../shared/plugin-state';
import { fixturePath } from '../../../test/fixtures/index';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { Host } from './host';
import { watchHost, type HostWatcher } from './watcher';

let t: TempHost;
let host: Host | undefined;
let watcher: HostWatcher | undefined;

afterEach(async () => {
  await watcher?.close();
  await host?.stop();
  await t?.cleanup();
  watcher = host = undefined;
});

async function setup(config = '') {
  t = await tempHost();
  await t.writeConfig(config);
  await t.addPlugin('minimal');
  host = await Host.start({ cwd: t.dir, proxy: false });
  const states: PluginView[] = [];
  host.plugins.on('state', (v) => states.push(v));
  const problems: string[] = [];
  watcher = watchHost(host, { debounceMs: 50, onProblem: (m) => problems.push(m) });
  await watcher.ready;
  return { host, states, problems };
}

const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 10_000, interval: 50 });
const stateOf = (id: string) => host!.plugins.get(id)?.state;
const enabledCount = (states: PluginView[], id: string) => states.filter((s) => s.id === id && s.state === 'enabled').length;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('plugins_dir', () => {
  it('loads an added file', async () => {
    await setup();
    await t.addPlugin('uses-scheduler');
    await poll(() => stateOf('uses_scheduler')).toBe('enabled');
  });

  it('reloads a replaced file with its new content (here: another plugin id)', async () => {
    await setup();
    await copyFile(fixturePath('uses-scheduler'), join(t.pluginsDir, 'minimal.wasm'));
    await poll(() => stateOf('uses_scheduler')).toBe('enabled');
    expect(host!.plugins.get('minimal')).toBeUndefined();
  });

  it('unloads a removed file', async () => {
    await setup();
    await rm(join(t.pluginsDir, 'minimal.wasm'));
    await poll(() => host!.plugins.list().length).toBe(0);
  });

  it('follows a rename: same plugin, new file, one slot', async () => {
    const { states } = await setup();
    await rename(join(t.pluginsDir, 'minimal.wasm'), join(t.pluginsDir, 'renamed.wasm'));
    await poll(() => host!.plugins.get('minimal')?.file).toBe(join(t.pluginsDir, 'renamed.wasm'));
    await poll(() => stateOf('minimal')).toBe('enabled');
    expect(host!.plugins.list()).toHaveLength(1);
    expect(states.some((s) => s.state === 'failed')).toBe(false);
  });

  it('applies a burst of changes as one batch: each file loaded once, the last content wins', async () => {
    const { states } = await setup();
    const target = join(t.pluginsDir, 'burst.wasm');
    for (const fixture of ['uses-event-bus', 'uses-scheduler', 'uses-config-service'] as const) await copyFile(fixturePath(fixture), target);
    await t.addPlugin('uses-player-registry', 'sub/registry.wasm');
    await t.addPlugin('uses-command-manager');
    await poll(() => ['uses_config_service', 'uses_player_registry', 'uses_command_manager'].map(stateOf)).toEqual(['enabled', 'enabled', 'enabled']);
    await settle();
    expect(enabledCount(states, 'uses_config_service')).toBe(1);
    expect(host!.plugins.get('uses_event_bus')).toBeUndefined();
  });

  it('ignores a touch that changes no byte and .cache; a file in a data folder or a link is refused, never loaded', async () => {
    const { states } = await setup();
    const now = new Date();
    await utimes(join(t.pluginsDir, 'minimal.wasm'), now, now);
    await mkdir(join(t.pluginsDir, '.cache'), { recursive: true });
    await copyFile(fixturePath('uses-scheduler'), join(t.pluginsDir, '.cache', 'planted.wasm'));
    await copyFile(fixturePath('uses-scheduler'), join(t.pluginsDir, 'minimal', 'planted.wasm')); // minimal's data folder
    await symlink(fixturePath('uses-event-bus'), join(t.pluginsDir, 'linked.wasm'));
    await symlink(join(t.dir), join(t.pluginsDir, 'up'));
    await t.addPlugin('uses-config-service', '../outside/outside.wasm');
    await poll(() => host!.plugins.refusedFiles().map((r) => [r.file, r.dataFolderOf])).toEqual([
      [join(t.pluginsDir, 'linked.wasm'), null],
      [join(t.pluginsDir, 'minimal', 'planted.wasm'), 'minimal'],
    ]);
    await settle(600);
    expect(host!.plugins.list().map((p) => p.id)).toEqual(['minimal']);
    expect(states.filter((s) => s.state === 'loading')).toEqual([]);
  });

  it('refuses a plugin file put in a new folder named after its own id, before it runs', async () => {
    const { states } = await setup();
    await t.addPlugin('uses-scheduler', 'uses_scheduler/uses-scheduler.wasm');
    await poll(() => host!.plugins.refusedFiles().map((r) => r.dataFolderOf)).toEqual(['uses_scheduler']);
    expect(host!.plugins.get('uses_scheduler')).toBeUndefined();
    expect(states.some((s) => s.state === 'enabled' || s.reason === 'running on-enable')).toBe(false);
    // Moving it up a level, as the reason says, loads it.
    await rename(join(t.pluginsDir, 'uses_scheduler', 'uses-scheduler.wasm'), join(t.pluginsDir, 'uses-scheduler.wasm'));
    await poll(() => stateOf('uses_scheduler')).toBe('enabled');
    await poll(() => host!.plugins.refusedFiles()).toEqual([]);
  });

  it('reports a .wasm a running guest wrote into its data folder once, at the next rescan, and never loads it', async () => {
    t = await tempHost();
    await t.addPlugin('planter');
    host = await Host.start({ cwd: t.dir, proxy: false });
    expect(stateOf('planter')).toBe('enabled'); // it has written planter/planted.wasm by now
    const refusals: number[] = [];
    const notices: string[] = [];
    host.plugins.on('refused', (files) => refusals.push(files.length));
    host.plugins.on('log', (l) => l.pluginId === '(host)' && l.message.includes('planted.wasm') && notices.push(l.message));
    watcher = watchHost(host, { debounceMs: 50 });
    await watcher.ready;
    expect(host.plugins.refusedFiles().map((r) => [r.file, r.dataFolderOf])).toEqual([[join(t.pluginsDir, 'planter', 'planted.wasm'), 'planter']]);
    for (const fixture of ['uses-event-bus', 'uses-scheduler'] as const) {
      await t.addPlugin(fixture); // each one is a rescan
      await poll(() => stateOf(fixture.replace(/-/g, '_'))).toBe('enabled');
    }
    await settle();
    expect(refusals).toEqual([1]);
    expect(notices).toHaveLength(1);
    expect(host.plugins.list().map((p) => p.id).sort()).toEqual(['planter', 'uses_event_bus', 'uses_scheduler']);
  });

  it('leaves our own announced writes alone, yet applies a hand change made after them', async () => {
    const { states } = await setup();
    const file = join(t.pluginsDir, 'own.wasm');
    const bytes = await readFile(fixturePath('uses-scheduler'));
    const done = watcher!.expect(file, bytes);
    await writeFile(file, bytes);
    done();
    await settle();
    expect(host!.plugins.get('uses_scheduler')).toBeUndefined(); // the writer loads it, not the watcher
    await copyFile(fixturePath('uses-event-bus'), file);
    await poll(() => stateOf('uses_event_bus')).toBe('enabled');
    expect(enabledCount(states, 'uses_event_bus')).toBe(1);
  });

  it('reconciles at start: a file added while nobody watched is loaded', async () => {
    t = await tempHost();
    await t.writeConfig('');
    host = await Host.start({ cwd: t.dir, proxy: false });
    await t.addPlugin('minimal');
    watcher = watchHost(host, { debounceMs: 50 });
    await watcher.ready;
    expect(stateOf('minimal')).toBe('enabled');
  });
});

describe('infrarust.toml', () => {
  it('applies a hand edit, reloading only the plugin whose table changed', async () => {
    const { states } = await setup('# mine\n');
    await t.addPlugin('uses-ban-service');
    await poll(() => stateOf('uses_ban_service')).toBe('capability-denied');
    states.length = 0;
    await t.writeConfig('# mine\n[plugins.uses_ban_service]\npermissions = ["ban"]\n');
    await poll(() => stateOf('uses_ban_service')).toBe('enabled');
    expect(states.some((s) => s.id === 'minimal' && s.state === 'loading')).toBe(false);
  });

  it('keeps the last good configuration when a hand edit breaks the file, and recovers on the next edit', async () => {
    await setup('[plugins.minimal]\nenabled = true\n');
    const errors: (number | null)[] = [];
    host!.on('config', ({ error }) => errors.push(error?.line ?? null));
    await t.writeConfig('[plugins.minimal]\nenabled = \n');
    await poll(() => errors.at(-1)).toBe(2);
    expect(stateOf('minimal')).toBe('enabled');
    await t.writeConfig('[plugins.minimal]\nenabled = false\n');
    await poll(() => stateOf('minimal')).toBe('disabled');
  });

  it('survives an editor that saves by writing a new file and renaming it over the old one', async () => {
    await setup('');
    const tmp = join(t.dir, 'infrarust.toml.swp');
    await writeFile(tmp, '[plugins.minimal]\nenabled = false\n');
    await rename(tmp, join(t.dir, 'infrarust.toml'));
    await poll(() => stateOf('minimal')).toBe('disabled');
    await writeFile(tmp, '');
    await rename(tmp, join(t.dir, 'infrarust.toml'));
    await poll(() => stateOf('minimal')).toBe('enabled');
  });
});
