// The control service against a real Host on a temp folder, with real fixture plugins.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../shared/control-api';
import type { PluginView } from '../../shared/plugin-state';
import { buildGallery } from '../../../plugins/kit/gallery';
import { fixturePath } from '../../../test/fixtures/index';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { Host } from '../host/host';
import { ControlService } from './control-service';

const CONFIG = `# My proxy — hand written, keep every comment
bind = "127.0.0.1:0" # inline comment

[panel]
bind = "127.0.0.1:0"

# the ban plugin
[plugins.uses_ban_service]
# nothing granted yet
permissions = [] # trailing

[plugins.minimal]
enabled = true   # on
`;

let t: TempHost;
let host: Host | undefined;
let service: ControlService | undefined;

afterEach(async () => {
  await service?.close();
  await host?.stop();
  await t?.cleanup();
  service = host = undefined;
});

async function setup(opts: { watch?: boolean; examplesDir?: string } = {}) {
  t = await tempHost();
  await t.writeConfig(CONFIG);
  await t.addPlugin('minimal');
  await t.addPlugin('uses-ban-service');
  host = await Host.start({ cwd: t.dir, proxy: false });
  service = await ControlService.start(host, { watch: opts.watch ?? false, watchDebounceMs: 50, examplesDir: opts.examplesDir });
  const events: ControlEvent[] = [];
  service.subscribe((e) => events.push(e));
  return { host, service, events };
}

const b64 = async (fixture: Parameters<typeof fixturePath>[0]) => (await readFile(fixturePath(fixture))).toString('base64');
const statesOf = (events: ControlEvent[], id: string) =>
  events.flatMap((e) => (e.type === 'plugin' && e.plugin.id === id ? [e.plugin.state] : []));
const listing = async (dir: string) => (await readdir(dir, { recursive: true })).filter((p) => !p.startsWith('.cache')).sort();

describe('setPermission / setEnabled', () => {
  it('ticking a capability writes only that table, keeps every comment, and enables the plugin without touching others', async () => {
    const { service, events } = await setup();
    expect(host!.plugins.get('uses_ban_service')?.state).toBe('capability-denied');
    const res = await service.setPermission({ id: 'uses_ban_service', capability: 'ban', granted: true });
    expect(res).toMatchObject({ ok: true, plugin: { id: 'uses_ban_service', state: 'enabled', requested: ['ban'] } });
    expect(await readFile(join(t.dir, 'infrarust.toml'), 'utf8')).toBe(CONFIG.replace('permissions = [] # trailing', 'permissions = ["ban"] # trailing'));
    // The answer came after the reload: the plugin went through loading, minimal never did.
    expect(statesOf(events, 'uses_ban_service')).toContain('loading');
    expect(statesOf(events, 'minimal')).not.toContain('loading');

    const revoked = await service.setPermission({ id: 'uses_ban_service', capability: 'ban', granted: false });
    expect(revoked).toMatchObject({ ok: true, plugin: { state: 'capability-denied', missingCapabilities: ['ban'] } });
    expect(await readFile(join(t.dir, 'infrarust.toml'), 'utf8')).toBe(CONFIG);
  });

  it('flipping enabled persists and answers with the new state; two quick changes both land', async () => {
    const { service } = await setup();
    const [off, grant] = await Promise.all([
      service.setEnabled({ id: 'minimal', enabled: false }),
      service.setPermission({ id: 'uses_ban_service', capability: 'ban', granted: true }),
    ]);
    expect(off).toMatchObject({ ok: true, plugin: { state: 'disabled', enabledInConfig: false } });
    expect(grant).toMatchObject({ ok: true, plugin: { state: 'enabled' } });
    const text = await readFile(join(t.dir, 'infrarust.toml'), 'utf8');
    expect(text).toContain('enabled = false   # on');
    expect(text).toContain('permissions = ["ban"] # trailing');
    expect(await service.setEnabled({ id: 'minimal', enabled: true })).toMatchObject({ ok: true, plugin: { state: 'enabled' } });
  });

  it('refuses to edit a file that no longer parses, and writes nothing', async () => {
    const { service } = await setup();
    const broken = `${CONFIG}\n[plugins.minimal\n`;
    await writeFile(join(t.dir, 'infrarust.toml'), broken);
    const res = await service.setPermission({ id: 'uses_ban_service', capability: 'ban', granted: true });
    expect(res.ok).toBe(false);
    expect(await readFile(join(t.dir, 'infrarust.toml'), 'utf8')).toBe(broken);
  });

  it('reports unknown plugins and non-opt-in capabilities as errors', async () => {
    const { service } = await setup();
    expect(await service.setEnabled({ id: 'nope', enabled: false })).toEqual({ ok: false, error: 'no plugin with id "nope"' });
    expect(await service.setPermission({ id: 'minimal', capability: 'event-bus', granted: true })).toMatchObject({ ok: false });
  });
});

describe('deployPlugin', () => {
  it.each([
    ['../escape.wasm', 'minimal', /folder separator/],
    ['notes.txt', 'minimal', /not a \.wasm file/],
    ['.hidden.wasm', 'minimal', /starts with a dot/],
    ['core.wasm', 'core-module', /core WebAssembly module, not a component/],
    ['half.wasm', 'truncated', /not a valid WebAssembly component/],
    ['noise.wasm', 'random', /not a WebAssembly file/],
    ['old.wasm', 'wrong-version', /rebuild it against the 0\.2\.3 contract/],
    ['net.wasm', 'net-importer', /no network access/],
  ] as const)('refuses %s (%s) and changes nothing in the folder', async (name, fixture, reason) => {
    const { service } = await setup();
    const before = await listing(t.pluginsDir);
    const res = await service.deployPlugin({ name, data: await b64(fixture) });
    expect(res.kind).toBe('refused');
    expect(res.kind === 'refused' && res.reason).toMatch(reason);
    expect(await listing(t.pluginsDir)).toEqual(before);
    expect((await readdir(join(t.pluginsDir, '.cache'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses a file over the size limit before looking inside', async () => {
    t = await tempHost();
    host = await Host.start({ cwd: t.dir, proxy: false });
    service = await ControlService.start(host, { watch: false, maxPluginBytes: 1024 });
    const res = await service.deployPlugin({ name: 'big.wasm', data: await b64('minimal') });
    expect(res).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/above the 1\.0 KiB limit/) });
  });

  it('deploys a new component, reporting progress, and answers once it is loaded', async () => {
    const { service, events } = await setup();
    const res = await service.deployPlugin({ name: 'events.wasm', data: await b64('uses-event-bus') });
    expect(res).toMatchObject({ kind: 'deployed', plugin: { id: 'uses_event_bus', state: 'enabled', file: join(t.pluginsDir, 'events.wasm') } });
    const phases = events.flatMap((e) => (e.type === 'deploy-progress' ? [e.progress.phase] : []));
    expect(phases).toEqual(expect.arrayContaining(['checking', 'compiling', 'reading-metadata', 'writing', 'loading']));
    expect(await readFile(join(t.pluginsDir, 'events.wasm'))).toEqual(await readFile(fixturePath('uses-event-bus')));
  });

  it('asks before replacing an existing id, then replaces it (retiring the old file)', async () => {
    const { service } = await setup();
    const data = await b64('minimal');
    const ask = await service.deployPlugin({ name: 'minimal-v2.wasm', data });
    expect(ask).toMatchObject({ kind: 'needs-confirmation', id: 'minimal', existingFile: join(t.pluginsDir, 'minimal.wasm'), incomingVersion: '0.1.0' });
    expect(await listing(t.pluginsDir)).not.toContain('minimal-v2.wasm');

    const done = await service.deployPlugin({ name: 'minimal-v2.wasm', data, replace: true });
    expect(done).toMatchObject({ kind: 'deployed', plugin: { id: 'minimal', state: 'enabled', file: join(t.pluginsDir, 'minimal-v2.wasm') } });
    const files = await listing(t.pluginsDir);
    expect(files).toContain('minimal-v2.wasm');
    expect(files).not.toContain('minimal.wasm');
    expect(host!.plugins.list().filter((p) => p.metadata?.id === 'minimal')).toHaveLength(1);
  });

  it('asks before overwriting a file of the same name, even for another id', async () => {
    const { service } = await setup();
    const ask = await service.deployPlugin({ name: 'minimal.wasm', data: await b64('uses-scheduler') });
    expect(ask).toMatchObject({ kind: 'needs-confirmation', id: 'uses_scheduler', existingFile: join(t.pluginsDir, 'minimal.wasm') });
    const done = await service.deployPlugin({ name: 'minimal.wasm', data: await b64('uses-scheduler'), replace: true });
    expect(done).toMatchObject({ kind: 'deployed', plugin: { id: 'uses_scheduler', state: 'enabled' } });
    expect(host!.plugins.get('minimal')).toBeUndefined();
  });
});

describe('removePlugin / reloadPlugin', () => {
  it('removes the file and unloads the plugin; its table stays unless asked', async () => {
    const { service, events } = await setup();
    expect(await service.removePlugin({ id: 'minimal' })).toEqual({ ok: true, plugin: null });
    expect(await listing(t.pluginsDir)).not.toContain('minimal.wasm');
    expect(host!.plugins.get('minimal')).toBeUndefined();
    expect(events).toContainEqual({ type: 'plugin-removed', id: 'minimal', file: join(t.pluginsDir, 'minimal.wasm') });
    expect(await readFile(join(t.dir, 'infrarust.toml'), 'utf8')).toBe(CONFIG);

    await service.removePlugin({ id: 'uses_ban_service', forgetConfig: true });
    const text = await readFile(join(t.dir, 'infrarust.toml'), 'utf8');
    expect(text).not.toContain('[plugins.uses_ban_service]');
    expect(text).toContain('# My proxy — hand written, keep every comment');
    expect(text).toContain('[plugins.minimal]');
  });

  it('reloads one plugin on demand', async () => {
    const { service, events } = await setup();
    const res = await service.reloadPlugin({ id: 'minimal' });
    expect(res).toMatchObject({ ok: true, plugin: { state: 'enabled' } });
    expect(statesOf(events, 'minimal')).toContain('loading');
    expect(statesOf(events, 'uses_ban_service')).toEqual([]);
  });
});

describe('queries and events', () => {
  it('snapshots plugins, config, recent logs and the proxy views', async () => {
    const { service } = await setup();
    const snap = await service.snapshot();
    expect(snap.plugins.map((p: PluginView) => p.id).sort()).toEqual(['minimal', 'uses_ban_service']);
    expect(snap.config).toMatchObject({ file: join(t.dir, 'infrarust.toml'), error: null });
    expect(snap.pluginsDir).toBe(t.pluginsDir);
    await service.reloadPlugin({ id: 'minimal' });
    expect((await service.snapshot()).logs.some((l) => l.pluginId === 'minimal' && /minimal enabled/.test(l.message))).toBe(true);
  });

  it('a broken config surfaces with line and column through the config event', async () => {
    const { service, events } = await setup();
    await writeFile(join(t.dir, 'infrarust.toml'), 'bind = \n');
    await host!.reloadConfig();
    const config = events.findLast((e) => e.type === 'config');
    expect(config).toMatchObject({ type: 'config', config: { error: { line: 1, column: expect.any(Number) } } });
    expect((await service.configStatus()).error?.line).toBe(1);
  });
});

describe('with the watcher', () => {
  it('a hand edit and a panel change made at the same time both land', async () => {
    const { service } = await setup({ watch: true });
    const file = join(t.dir, 'infrarust.toml');
    const handEdited = (await readFile(file, 'utf8')).replace('enabled = true   # on', 'enabled = false   # off by hand');
    await writeFile(file, handEdited);
    const res = await service.setPermission({ id: 'uses_ban_service', capability: 'ban', granted: true });
    expect(res).toMatchObject({ ok: true, plugin: { state: 'enabled' } });
    await expect.poll(() => host!.plugins.get('minimal')?.state, { timeout: 10_000 }).toBe('disabled');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('enabled = false   # off by hand');
    expect(text).toContain('permissions = ["ban"] # trailing');
  });

  it('a deploy whose id names a folder makes it a data folder: the plugin files in it are refused and stopped', async () => {
    t = await tempHost();
    await t.addPlugin('uses-event-bus', 'uses_scheduler/bus.wasm'); // loads: no plugin is called uses_scheduler yet
    host = await Host.start({ cwd: t.dir, proxy: false });
    service = await ControlService.start(host, { watch: true, watchDebounceMs: 50 });
    expect(host.plugins.get('uses_event_bus')?.state).toBe('enabled');
    const events: ControlEvent[] = [];
    service.subscribe((e) => events.push(e));
    const res = await service.deployPlugin({ name: 'sched.wasm', data: await b64('uses-scheduler') });
    expect(res).toMatchObject({ kind: 'deployed', plugin: { id: 'uses_scheduler', state: 'enabled' } });
    const bus = join(t.pluginsDir, 'uses_scheduler', 'bus.wasm');
    expect(events).toContainEqual({ type: 'plugin-removed', id: 'uses_event_bus', file: bus });
    expect(events).toContainEqual({ type: 'refused-files', files: [expect.objectContaining({ file: bus, dataFolderOf: 'uses_scheduler' })] });
    expect(host.plugins.get('uses_event_bus')).toBeUndefined();
    expect((await service.snapshot()).refusedFiles.map((r) => r.file)).toEqual([bus]);
    // It stays refused for the watcher too, and on the next start.
    await new Promise((r) => setTimeout(r, 300));
    expect(host.plugins.get('uses_event_bus')).toBeUndefined();
    await service.close();
    await host.stop();
    service = undefined;
    host = await Host.start({ cwd: t.dir, proxy: false });
    expect(host.plugins.refusedFiles().map((r) => r.file)).toEqual([bus]);
    expect(host.plugins.list().map((p) => p.id)).toEqual(['uses_scheduler']);
  });

  it('a panel deploy is loaded once, not again by the watcher', async () => {
    const { service, events } = await setup({ watch: true });
    await service.deployPlugin({ name: 'sched.wasm', data: await b64('uses-scheduler') });
    await new Promise((r) => setTimeout(r, 400));
    expect(statesOf(events, 'uses_scheduler').filter((s) => s === 'enabled')).toHaveLength(1);
  });
});

describe('example gallery', () => {
  let examplesDir: string;
  beforeAll(async () => {
    examplesDir = await mkdtemp(join(tmpdir(), 'infrarust-examples-'));
    await buildGallery(examplesDir, [fileURLToPath(new URL('../../../plugins/examples/motd', import.meta.url))]);
    // A component lying in the folder but absent from the manifest is never offered nor installed.
    await writeFile(join(examplesDir, 'stray.wasm'), await readFile(fixturePath('minimal')));
  });
  afterAll(() => rm(examplesDir, { recursive: true, force: true }));

  it('lists the shipped examples and installs one through the deploy path (same checks, same progress)', async () => {
    const { service, events } = await setup({ examplesDir });

    expect(await service.examplePlugins()).toEqual([
      { file: 'motd.wasm', id: 'motd', name: 'MOTD', version: '1.0.0', description: expect.stringContaining('server-list'), size: expect.any(Number), capabilities: ['config-read', 'event-bus', 'player-read'] },
    ]);
    const before = await listing(t.pluginsDir);
    expect(await service.installExample({ file: 'stray.wasm' })).toEqual({ kind: 'refused', reason: 'stray.wasm is not one of the example plugins shipped with the app' });
    expect(await listing(t.pluginsDir)).toEqual(before);

    const res = await service.installExample({ file: 'motd.wasm' });
    expect(res).toMatchObject({ kind: 'deployed', plugin: { id: 'motd', state: 'enabled', file: join(t.pluginsDir, 'motd.wasm') } });
    const phases = events.flatMap((e) => (e.type === 'deploy-progress' && e.progress.name === 'motd.wasm' ? [e.progress.phase] : []));
    expect(phases).toEqual(expect.arrayContaining(['checking', 'compiling', 'reading-metadata', 'writing', 'loading']));
    expect(await readFile(join(t.pluginsDir, 'motd.wasm'))).toEqual(await readFile(join(examplesDir, 'motd.wasm')));
    // Installed twice: the same confirmation a second drop of the same id gets.
    expect(await service.installExample({ file: 'motd.wasm' })).toMatchObject({ kind: 'needs-confirmation', id: 'motd' });
  });

  it('an app built without examples offers none', async () => {
    t = await tempHost();
    host = await Host.start({ cwd: t.dir, proxy: false });
    service = await ControlService.start(host, { watch: false, examplesDir: join(t.dir, 'no-such-folder') });
    expect(await service.examplePlugins()).toEqual([]);
    expect(await service.installExample({ file: 'motd.wasm' })).toMatchObject({ kind: 'refused' });
  });
});
