// The data-folder rule across starts: no plugin file is loaded from plugins_dir/<id>, the folder a
// plugin can write; each such file is refused with a reason, with the same answer on every start.
import { lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginLogLine } from '../../shared/plugin-state';
import { fixturePath } from '../../../test/fixtures/index';
import { tempHost, type TempHost } from '../../../test/support/temp-host';
import { DATA_DIR_MARKER, DATA_FOLDER_LIST, dataFolderOwner, markDataFolder, markedOwner } from './data-folders';

let host: TempHost;
afterEach(async () => host?.cleanup());

/** One start of a host's plugins: what loaded, what was refused, and the log. */
async function start() {
  const m = host.manager();
  const logs: PluginLogLine[] = [];
  m.on('log', (l) => logs.push(l));
  await m.loadAll();
  const rel = (f: string) => relative(host.pluginsDir, f);
  const seen = {
    plugins: m.list().map((p) => [rel(p.file), p.id, p.state]),
    refused: m.refusedFiles().map((r) => [rel(r.file), r.dataFolderOf, r.reason]),
  };
  await m.shutdown();
  return { ...seen, logs: logs.map((l) => `${l.pluginId}: ${l.message}`) };
}

const cacheExists = () => lstat(join(host.pluginsDir, '.cache')).then(() => true, () => false);

describe('the data-folder rule', () => {
  it('folder-per-plugin layout: the same answer on a cold start, two warm ones and a cold one again', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'minimal/minimal.wasm'); // in its own data folder
    await host.addPlugin('uses-scheduler', 'group/uses-scheduler.wasm'); // a group folder: fine
    await host.addPlugin('uses-event-bus', 'deep/er/uses-event-bus.wasm');
    await host.addPlugin('events-echo'); // its data folder is plugins/events_echo...
    await host.addPlugin('uses-config-service', 'events_echo/stray.wasm'); // ...so this file is refused

    const first = await start();
    expect(first.plugins).toEqual([
      ['deep/er/uses-event-bus.wasm', 'uses_event_bus', 'enabled'],
      ['events-echo.wasm', 'events_echo', 'enabled'],
      ['group/uses-scheduler.wasm', 'uses_scheduler', 'enabled'],
    ]);
    const dir = (name: string) => join(host.pluginsDir, name);
    expect(first.refused).toEqual([
      [
        'events_echo/stray.wasm',
        'events_echo',
        `${dir('events_echo/stray.wasm')} is inside ${dir('events_echo')}, the data folder of plugin "events_echo", which that plugin can write: ` +
          `no plugin file is loaded from a data folder. Move the file out of it (e.g. to ${dir('stray.wasm')}) ` +
          `or rename the folder to something that is not a plugin id (e.g. ${dir('events_echo')}-plugin).`,
      ],
      ['minimal/minimal.wasm', 'minimal', expect.stringContaining(`the data folder of plugin "minimal"`)],
    ]);
    // minimal never ran with a filesystem: refused once its metadata named it, before on-enable.
    expect(first.logs.filter((l) => l.startsWith('minimal:'))).toEqual([]);
    expect(first.logs.filter((l) => l.startsWith('(host): not loaded:'))).toHaveLength(2);
    // Both folders are data folders from now on, whatever happens to the plugins that own them.
    expect(await readFile(join(dir('minimal'), DATA_DIR_MARKER), 'utf8')).toBe('minimal');
    expect(await readFile(join(dir('events_echo'), DATA_DIR_MARKER), 'utf8')).toBe('events_echo');

    expect(await cacheExists()).toBe(true);
    const second = await start();
    const third = await start();
    await rm(join(host.pluginsDir, '.cache'), { recursive: true });
    const coldAgain = await start();
    for (const later of [second, third, coldAgain]) {
      expect(later.plugins).toEqual(first.plugins);
      expect(later.refused).toEqual(first.refused);
    }
  });

  it('each fix the reason suggests works: moving the file up, or renaming the folder', async () => {
    host = await tempHost();
    await host.addPlugin('minimal', 'minimal/minimal.wasm');
    await host.addPlugin('events-echo');
    await host.addPlugin('uses-config-service', 'events_echo/stray.wasm');
    expect((await start()).refused).toHaveLength(2);

    await rename(join(host.pluginsDir, 'minimal'), join(host.pluginsDir, 'minimal-plugin')); // the marker moves with it
    await rename(join(host.pluginsDir, 'events_echo', 'stray.wasm'), join(host.pluginsDir, 'stray.wasm'));
    const fixed = await start();
    expect(fixed.refused).toEqual([]);
    expect(fixed.plugins).toEqual([
      ['events-echo.wasm', 'events_echo', 'enabled'],
      ['minimal-plugin/minimal.wasm', 'minimal', 'enabled'],
      ['stray.wasm', 'uses_config_service', 'enabled'],
    ]);
  });

  it('a .wasm a guest writes into its data folder is never loaded and is reported once, on every later start', async () => {
    host = await tempHost();
    await host.addPlugin('planter');
    const victim = await host.addPlugin('minimal', 'victim.wasm');
    const planted = join(host.pluginsDir, 'planter', 'planted.wasm');

    const first = await start();
    expect(first.plugins).toEqual([
      ['planter.wasm', 'planter', 'enabled'],
      ['victim.wasm', 'minimal', 'enabled'],
    ]);
    expect(first.logs).toEqual(expect.arrayContaining(['planter: plant planted.wasm: ok', 'planter: plant marker-link: ok']));
    expect((await readFile(planted)).subarray(0, 4)).toEqual(Buffer.from('\0asm'));
    // The guest replaced the host's marker with a link: the folder is still its data folder (the host's list, its id).
    expect(await readlink(join(host.pluginsDir, 'planter', DATA_DIR_MARKER))).toBe('planted.wasm');

    for (const later of [await start(), await start()]) {
      expect(later.plugins).toEqual(first.plugins);
      expect(later.refused).toEqual([['planter/planted.wasm', 'planter', expect.stringContaining('the data folder of plugin "planter"')]]);
      expect(later.logs.filter((l) => l.includes('planted.wasm') && l.startsWith('(host)'))).toHaveLength(1);
    }
    expect(await readFile(victim)).toEqual(await readFile(fixturePath('minimal')));

    // Its plugin gone and its marker a link, the folder is still a data folder: the host's list says so.
    await rm(join(host.pluginsDir, 'planter.wasm'));
    const gone = await start();
    expect(gone.plugins).toEqual([['victim.wasm', 'minimal', 'enabled']]);
    expect(gone.refused.map(([file, owner]) => [file, owner])).toEqual([['planter/planted.wasm', 'planter']]);
  });

  it('a guest cannot overwrite another plugin file: outside its folder is denied, inside it nothing is loadable', async () => {
    host = await tempHost();
    await host.addPlugin('planter');
    const victim = await host.addPlugin('minimal', 'victim.wasm');
    // A real plugin the user put where the planter can write: refused before the planter ever runs.
    await host.addPlugin('uses-scheduler', 'planter/planted.wasm');

    for (let i = 0; i < 3; i++) {
      const seen = await start();
      expect(seen.plugins).toEqual([
        ['planter.wasm', 'planter', 'enabled'],
        ['victim.wasm', 'minimal', 'enabled'],
      ]);
      expect(seen.refused.map(([file, owner]) => [file, owner])).toEqual([['planter/planted.wasm', 'planter']]);
      expect(seen.logs).toContain('planter: plant ../victim.wasm: denied');
      expect(seen.logs.filter((l) => l.startsWith('uses_scheduler:'))).toEqual([]);
    }
    expect(await readFile(victim)).toEqual(await readFile(fixturePath('minimal')));
  });

  it('a data folder stays one after its plugin is gone: its marker says whose it was', async () => {
    host = await tempHost();
    await host.addPlugin('minimal');
    expect((await start()).plugins).toEqual([['minimal.wasm', 'minimal', 'enabled']]);
    await host.addPlugin('random', 'minimal/not-even-a-component.wasm');
    await rm(join(host.pluginsDir, 'minimal.wasm'));
    const seen = await start();
    expect(seen.plugins).toEqual([]);
    expect(seen.refused.map(([file, owner]) => [file, owner])).toEqual([['minimal/not-even-a-component.wasm', 'minimal']]);
    // Markers written before the rule existed are empty: they belong to the folder's own name.
    await writeFile(join(host.pluginsDir, 'minimal', DATA_DIR_MARKER), '');
    expect((await start()).refused).toEqual(seen.refused);
  });
});

describe('the marker', () => {
  it('the list at the top of plugins_dir marks a folder whatever its guest does to the marker inside', async () => {
    host = await tempHost();
    await mkdir(join(host.pluginsDir, 'motd'));
    await mkdir(join(host.pluginsDir, 'chat'));
    await markDataFolder(host.pluginsDir, 'motd', 'motd');
    await markDataFolder(host.pluginsDir, 'chat', 'chat');
    await markDataFolder(host.pluginsDir, 'motd', 'motd');
    expect(await readFile(join(host.pluginsDir, DATA_FOLDER_LIST), 'utf8')).toBe('chat\nmotd\n');
    await rm(join(host.pluginsDir, 'motd', DATA_DIR_MARKER));
    expect(await markedOwner(join(host.pluginsDir, 'motd'))).toBeNull();
    expect(await dataFolderOwner(host.pluginsDir, 'motd')).toBe('motd');
    expect(await dataFolderOwner(host.pluginsDir, 'motd-plugin')).toBeNull();
  });

  it('a folder marker belongs to the id it holds, or to the folder name when empty; a link or a renamed folder marks nothing', async () => {
    host = await tempHost();
    const dir = (name: string) => join(host.pluginsDir, name);
    for (const name of ['motd', 'legacy', 'renamed', 'linked', 'bare']) await mkdir(dir(name));
    await markDataFolder(host.pluginsDir, 'motd', 'motd');
    await writeFile(join(dir('legacy'), DATA_DIR_MARKER), '');
    await writeFile(join(dir('renamed'), DATA_DIR_MARKER), 'motd');
    await symlink(join(dir('motd'), DATA_DIR_MARKER), join(dir('linked'), DATA_DIR_MARKER));
    expect(await Promise.all(['motd', 'legacy', 'renamed', 'linked', 'bare'].map((n) => markedOwner(dir(n))))).toEqual(['motd', 'legacy', null, null, null]);
  });

  it('is never written through a link a guest put in its place', async () => {
    host = await tempHost();
    const victim = await host.addPlugin('minimal', 'victim.wasm');
    const folder = join(host.pluginsDir, 'planter');
    await mkdir(folder);
    await symlink(victim, join(folder, DATA_DIR_MARKER));
    await markDataFolder(host.pluginsDir, 'planter', 'planter');
    expect(await readFile(victim)).toEqual(await readFile(fixturePath('minimal')));
    expect((await lstat(join(folder, DATA_DIR_MARKER))).isFile()).toBe(true);
    expect(await markedOwner(folder)).toBe('planter');
  });
});
