import { readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../../shared/plugin-state';
import type { PluginManager } from './plugin-manager';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { until } from '../../../test/support/minecraft-peers';

let host: TempHost;
afterEach(async () => host?.cleanup());

const byId = (m: PluginManager, id: string) => m.list().find((p) => p.id === id);

describe('discovery (behaviour 1)', () => {
  it('scans plugins_dir recursively, skips .cache, and treats a missing folder as no plugins', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'nested/deeper/any-name.wasm');
    await mkdir(join(host.pluginsDir, '.cache', 'x'), { recursive: true });
    await host.addPlugin('err-on-enable', '.cache/x/hidden.wasm');
    const m = host.manager();
    await m.loadAll();
    expect(m.list().map((p) => p.id)).toEqual(['minimal']);

    await rm(host.pluginsDir, { recursive: true });
    const empty = host.manager();
    await empty.loadAll();
    expect(empty.list()).toEqual([]);
  });

  it('an unreadable file is one failed plugin, not a failed scan', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    const broken = join(host.pluginsDir, 'unreadable.wasm');
    await symlink(join(host.dir, 'nowhere'), join(host.pluginsDir, 'dangling.wasm'));
    await mkdir(broken); // a directory named .wasm is not a file: skipped, not fatal
    await host.addPlugin('minimal', 'locked/minimal-copy.wasm');
    await writeFile(join(host.pluginsDir, 'locked', 'denied.wasm'), 'x', { mode: 0o000 });
    const m = host.manager();
    await m.loadAll();
    expect(byId(m, 'minimal')?.state).toBe('enabled');
    const denied = m.list().find((p) => p.file.endsWith('denied.wasm'))!;
    expect(denied.state).toBe('failed');
    // Root reads anything; either way the reason names the file's problem.
    expect(denied.reason).toMatch(/cannot read|not a WebAssembly file/);
  });

  it('never follows a symbolic link, even one pointing back up (no loop, no widening)', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await symlink('..', join(host.pluginsDir, 'loop'));
    await host.addPlugin('err-on-enable', '../outside.wasm');
    await symlink(join(host.dir, 'outside.wasm'), join(host.pluginsDir, 'linked.wasm'));
    const m = host.manager();
    await m.loadAll();
    expect(m.list().map((p) => p.id)).toEqual(['minimal']);
  });
});

describe('identity (behaviour 2)', () => {
  it('keys a plugin by the id its guest reports, never its file name', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'totally-different-name.wasm');
    const m = host.manager();
    await m.loadAll();
    expect(m.list()[0]).toMatchObject({ id: 'minimal', state: 'enabled', metadata: { name: 'Minimal', version: '0.1.0' } });
  });

  it('two files with one id: the first in sorted path order loads, the other fails naming both paths', async () => {
    host = await tempHost();
    const a = await host.addPlugin('dup-b', 'a.wasm');
    const b = await host.addPlugin('dup-a', 'b.wasm');
    const m = host.manager();
    await m.loadAll();
    const twin = byId(m, 'twin')!;
    expect(twin).toMatchObject({ state: 'enabled', file: a, metadata: { name: 'Twin B' } });
    const loser = m.list().find((p) => p.file === b)!;
    expect(loser.state).toBe('failed');
    expect(loser.reason).toContain(a);
    expect(loser.reason).toContain(b);
  });
});

describe('configuration (behaviours 3 and 4)', () => {
  it('grants opt-in capabilities only when listed, warns on unknown and never-grantable strings', async () => {
    host = await tempHost();
    await host.addPlugin('uses-ban-service');
    await host.writeConfig(`
# my proxy
[plugins.uses_ban_service]
permissions = ["ban", "teleport", "transport-filter"]
colour = "blue"
`);
    const m = host.manager();
    await m.loadAll();
    const p = byId(m, 'uses_ban_service')!;
    expect(p.state).toBe('enabled');
    expect(p.granted).toContain('ban');
    expect(p.granted).not.toContain('transport-filter');
    const warnings = p.warnings.join('\n');
    expect(warnings).toMatch(/teleport/);
    expect(warnings).toMatch(/transport-filter/);
    expect(warnings).toMatch(/colour/);
    expect(warnings).toContain('infrarust.toml');
  });

  it('no table means baseline capabilities and enabled; path on a WASM plugin is ignored with a warning', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.addPlugin('uses-scheduler');
    await host.writeConfig(`[plugins.minimal]\npath = "./somewhere.mjs"\n`);
    await writeFile(join(host.dir, 'somewhere.mjs'), 'export default () => ({ metadata: () => ({ id: "other" }) })');
    const m = host.manager();
    await m.loadAll();
    expect(byId(m, 'uses_scheduler')).toMatchObject({ state: 'enabled', granted: ['event-bus', 'player-read', 'player-write', 'command', 'scheduler', 'config-read'] });
    expect(byId(m, 'minimal')!.warnings.join()).toMatch(/path is for native plugins/);
  });
});

describe('load sequence and linking (behaviour 5)', () => {
  const gated: [string, string, string][] = [
    ['uses-server-manager', 'uses_server_manager', 'server-manage'],
    ['uses-ban-service', 'uses_ban_service', 'ban'],
    ['uses-codec-registry', 'uses_codec_registry', 'codec-filter'],
  ];
  it.each(gated)('%s is capability-denied without %s, naming the interface and capability', async (fixture, id, cap) => {
    host = await tempHost();
    await host.addPlugin(fixture as never);
    const m = host.manager();
    await m.loadAll();
    const p = byId(m, id)!;
    expect(p.state).toBe('capability-denied');
    expect(p.missingCapabilities).toEqual([cap]);
    expect(p.reason).toContain(`infrarust:plugin/${fixture.slice(5)}@0.2.3`);
    expect(p.reason).toContain(`\`${cap}\``);
  });

  it('baseline-gated interfaces link without any configuration', async () => {
    host = await tempHost();
    for (const f of ['uses-event-bus', 'uses-player-registry', 'uses-command-manager', 'uses-scheduler', 'uses-config-service'] as const) await host.addPlugin(f);
    const m = host.manager();
    await m.loadAll();
    expect(m.list().map((p) => p.state)).toEqual(Array(5).fill('enabled'));
  });

  it('a disabled plugin is listed with its id and file but never enabled; on-enable err fails with its message', async () => {
    host = await tempHost();
    const file = await host.addPlugin('minimal');
    await host.addPlugin('err-on-enable');
    await host.writeConfig('[plugins.minimal]\nenabled = false\n');
    const logs: PluginLogLine[] = [];
    const m = host.manager();
    m.on('log', (l) => logs.push(l));
    await m.loadAll();
    expect(byId(m, 'minimal')).toMatchObject({ state: 'disabled', file, enabledInConfig: false });
    expect(logs.some((l) => l.message === 'minimal enabled')).toBe(false);
    expect(byId(m, 'err_on_enable')).toMatchObject({ state: 'failed', reason: 'refusing to start: missing setup' });
  });
});

describe('poisoning and bad files (behaviour 6)', () => {
  it('a trap in on-enable poisons with its cause and skips on-disable', async () => {
    host = await tempHost();
    await host.addPlugin('trap-on-enable');
    await host.addPlugin('oob-on-enable');
    await host.addPlugin('minimal');
    const logs: PluginLogLine[] = [];
    const m = host.manager();
    m.on('log', (l) => logs.push(l));
    await m.loadAll();
    expect(byId(m, 'trap_on_enable')).toMatchObject({ state: 'poisoned', poisonCause: 'trap' });
    expect(byId(m, 'trap_on_enable')!.reason).toMatch(/unreachable/);
    expect(byId(m, 'oob_on_enable')).toMatchObject({ state: 'poisoned', poisonCause: 'trap' });
    expect(byId(m, 'oob_on_enable')!.reason).toMatch(/out of bounds/);
    await m.shutdown();
    expect(logs.map((l) => l.message)).toContain('minimal disabled');
    expect(logs.map((l) => l.message)).not.toContain('trap_on_enable disabled');
  });

  it('core modules, random bytes, truncated files and other contract versions fail clearly; the rest still loads', async () => {
    host = await tempHost();
    for (const f of ['core-module', 'random', 'truncated', 'wrong-version', 'minimal'] as const) await host.addPlugin(f);
    const m = host.manager();
    await m.loadAll();
    const reason = (name: string) => m.list().find((p) => p.file.endsWith(`${name}.wasm`))!.reason;
    expect(reason('core-module')).toMatch(/core WebAssembly module, not a component/);
    expect(reason('random')).toMatch(/not a WebAssembly file/);
    expect(reason('truncated')).toMatch(/truncated/);
    expect(reason('wrong-version')).toMatch(/built for infrarust:plugin@0\.2\.2.*implements infrarust:plugin@0\.2\.3/);
    expect(byId(m, 'minimal')!.state).toBe('enabled');
  });
});

describe('AOT cache (behaviour 7)', () => {
  it('a second start reads the cache; broken entries are removed and rebuilt with a warning; deleting .cache is harmless', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    const cacheDir = join(host.pluginsDir, '.cache');
    const first = host.manager();
    await first.loadAll();
    const entries = (await readdir(cacheDir)).filter((e) => !e.startsWith('.'));
    expect(entries).toHaveLength(1);
    const entry = join(cacheDir, entries[0]!);
    const manifest = JSON.parse(await readFile(join(entry, 'manifest.json'), 'utf8'));
    expect(manifest.key).toMatchObject({ contract: '0.2.3', memoryPages: 1024 });
    expect(manifest.key.runtime).toMatch(/^jco-transpile@[\d.]+\+artifact@\d+$/);
    await first.shutdown();

    const warm = host.manager();
    await warm.loadAll();
    expect(byId(warm, 'minimal')).toMatchObject({ state: 'enabled', warnings: [] });
    await warm.shutdown();

    // Truncate a core module: detected by its hash, removed, rebuilt.
    const core = (await readdir(entry)).find((f) => f.endsWith('.wasm'))!;
    const bytes = await readFile(join(entry, core));
    await writeFile(join(entry, core), bytes.subarray(0, bytes.length >> 1));
    const repaired = host.manager();
    await repaired.loadAll();
    expect(byId(repaired, 'minimal')!.state).toBe('enabled');
    expect(byId(repaired, 'minimal')!.warnings.join()).toMatch(/unusable.*does not match its recorded hash.*rebuilt/);
    expect(await readFile(join(entry, core))).toEqual(bytes);
    await repaired.shutdown();

    // Garbage manifest, and a manifest from another key.
    await writeFile(join(entry, 'manifest.json'), '{not json');
    const again = host.manager();
    await again.loadAll();
    expect(byId(again, 'minimal')!.warnings.join()).toMatch(/unusable/);
    await again.shutdown();
    const m2 = JSON.parse(await readFile(join(entry, 'manifest.json'), 'utf8'));
    m2.key.runtime = 'jco-transpile@0.0.1+artifact@0';
    await writeFile(join(entry, 'manifest.json'), JSON.stringify(m2));
    const other = host.manager();
    await other.loadAll();
    expect(byId(other, 'minimal')!.warnings.join()).toMatch(/another key/);
    await other.shutdown();

    await rm(cacheDir, { recursive: true });
    const fresh = host.manager();
    await fresh.loadAll();
    expect(byId(fresh, 'minimal')).toMatchObject({ state: 'enabled', warnings: [] });
  });
});

describe('lifecycle API (behaviour 8)', () => {
  it('disable, enable and reload one plugin without touching the others; states and logs stream', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.addPlugin('events-echo');
    const m = host.manager();
    const states: string[] = [];
    const logs: PluginLogLine[] = [];
    m.on('state', (v) => states.push(`${v.id}:${v.state}`));
    m.on('log', (l) => logs.push(l));
    await m.loadAll();
    expect(byId(m, 'events_echo')!.state).toBe('enabled');
    states.length = 0;

    await m.disable('minimal');
    expect(byId(m, 'minimal')!.state).toBe('disabled');
    expect(logs.at(-1)).toMatchObject({ pluginId: 'minimal', message: 'minimal disabled' });
    await m.enable('minimal');
    await m.reload('minimal');
    expect(byId(m, 'minimal')!.state).toBe('enabled');
    expect(states.filter((s) => !s.startsWith('minimal:'))).toEqual([]);
    expect(states).toContain('minimal:loading');
    expect(states.at(-1)).toBe('minimal:enabled');
  });

  it('applyConfig reloads only the plugin whose table changed', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    await host.addPlugin('uses-ban-service');
    const m = host.manager();
    await m.loadAll();
    expect(byId(m, 'uses_ban_service')!.state).toBe('capability-denied');
    await host.writeConfig('[plugins.uses_ban_service]\npermissions = ["ban"]\n');
    const { config, warnings } = host.config();
    const touched: string[] = [];
    m.on('state', (v) => v.state === 'loading' && touched.push(v.id));
    expect(await m.applyConfig(config, warnings)).toEqual(['uses_ban_service']);
    expect(byId(m, 'uses_ban_service')!.state).toBe('enabled');
    expect(new Set(touched)).toEqual(new Set(['uses_ban_service']));
  });
});

describe('native plugins (behaviour 9)', () => {
  it('loads a JavaScript module named by path, with every capability, behind the same lifecycle', async () => {
    host = await tempHost();
    await writeFile(
      join(host.dir, 'native.mjs'),
      `export default (host) => ({
        metadata: () => ({ id: 'native_one', name: 'Native', version: '1.0.0', authors: [], description: undefined, dependencies: [] }),
        onEnable() { host.log.info('native up'); host['event-bus'].subscribe('proxy-ping', 10); },
        onDisable() { host.log.info('native down'); },
      });`,
    );
    await writeFile(join(host.dir, 'broken.mjs'), 'export default (host) => { syntax error');
    await host.writeConfig('[plugins.native_one]\npath = "./native.mjs"\n\n[plugins.other_native]\npath = "./broken.mjs"\n\n[plugins.missing]\npath = "./nope.mjs"\n');
    const logs: string[] = [];
    const m = host.manager();
    m.on('log', (l) => logs.push(l.message));
    await m.loadAll();
    expect(byId(m, 'native_one')).toMatchObject({ state: 'enabled', kind: 'native' });
    expect(byId(m, 'native_one')!.granted).toContain('ban');
    expect(m.events.hasListeners('proxy-ping')).toBe(true);
    expect(byId(m, 'other_native')!.state).toBe('failed');
    expect(byId(m, 'missing')!.reason).toMatch(/cannot load native plugin module/);
    await m.shutdown();
    expect(logs).toEqual(['native up', 'native down']);
  });
});

describe('duplicate ids over time', () => {
  it('a new file sorting first takes the id; the old holder stops and leaves no subscription behind', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'b.wasm');
    const m = host.manager();
    await m.loadAll();
    expect(m.events.hasListeners('pre-login')).toBe(true);
    const first = await host.addPlugin('minimal', 'a.wasm');
    const view = await m.loadFile(first);
    expect(view).toMatchObject({ id: 'minimal', state: 'enabled', file: first });
    await until('b.wasm to stop', () => m.list().find((p) => p.file.endsWith('b.wasm'))?.state === 'failed');
    expect(m.list().find((p) => p.file.endsWith('b.wasm'))!.reason).toMatch(/duplicate id "minimal"/);
    // Only a.wasm's own two subscriptions remain: b.wasm's handles are gone.
    const outcomes = await m.events.dispatch({
      tag: 'pre-login',
      val: { profile: { uuid: '', username: 'x', properties: [] }, remoteAddr: '', protocolVersion: 767, serverDomain: '' },
    });
    expect(outcomes).toEqual([]);
    expect(m.pluginMetrics('minimal').calls).toBe(1);
  });
});
