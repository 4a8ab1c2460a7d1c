import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { parseServerFile } from '../proxy/server-file';
import { ensureDataFolder } from './default-data';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ensureDataFolder', () => {
  it('creates a commented config (loopback proxy and panel), plugins/ and an example server, all valid', async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'default-data-')), 'data');
    const created = await ensureDataFolder(dir);
    expect(created).toEqual(['infrarust.toml', 'plugins', 'servers', join('servers', 'example.toml')].map((p) => join(dir, p)));
    const loaded = loadConfig({ file: join(dir, 'infrarust.toml'), cwd: dir });
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.proxy.bind).toBe('127.0.0.1:25565');
    expect(loaded.config.panel.bind).toBe('127.0.0.1:8787');
    expect(loaded.config.pluginsDir).toBe(join(dir, 'plugins'));
    // Ready for the MOTD example of the plugin gallery.
    expect(loaded.config.plugins.motd?.settings).toEqual({ text: "Hello from Infrarust Desktop's MOTD example" });
    expect(await readFile(join(dir, 'infrarust.toml'), 'utf8')).toMatch(/^# /);
    const example = parseServerFile('example', join(dir, 'servers', 'example.toml'), await readFile(join(dir, 'servers', 'example.toml'), 'utf8'));
    expect(example).toMatchObject({ ok: true, server: { domains: ['localhost', '*.localhost'], proxyMode: 'passthrough' } });
  });

  it('touches nothing that exists, and adds no example to an existing servers folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'default-data-'));
    await writeFile(join(dir, 'infrarust.toml'), '# mine\n');
    await mkdir(join(dir, 'servers'));
    expect(await ensureDataFolder(dir)).toEqual([join(dir, 'plugins')]);
    expect(await readFile(join(dir, 'infrarust.toml'), 'utf8')).toBe('# mine\n');
    expect(await readdir(join(dir, 'servers'))).toEqual([]);
    expect(await ensureDataFolder(dir)).toEqual([]);
  });
});
