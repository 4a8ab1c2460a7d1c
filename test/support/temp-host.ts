// A throwaway host folder for tests: its own infrarust.toml, plugins/ and cwd, and the whole Host run in it.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/main/config/load-config';
import type { HostConfig, ConfigWarning } from '../../src/main/config/types';
import { writeFileAtomic } from '../../src/main/fs/atomic-write';
import type { Host } from '../../src/main/host/host';
import { PluginManager } from '../../src/main/plugins/plugin-manager';
import { fixturePath, type FixtureName } from '../fixtures/index';

/** What a test's host runs with; plugins are added beforehand (addPlugin, or files the config names). */
export interface HostRun {
  /** servers/<name>.toml, by name. */
  servers: Record<string, string>;
  /** infrarust.toml. */
  config: string;
  /** Attaches listeners to the created host before it runs, to hear its start. */
  listen?: (host: Host) => void;
}

export interface TempHost {
  dir: string;
  pluginsDir: string;
  /** Copies a built fixture into plugins/ under the given relative name (default `<fixture>.wasm`). */
  addPlugin(fixture: FixtureName, as?: string): Promise<string>;
  writeConfig(toml: string): Promise<void>;
  config(): { config: HostConfig; warnings: ConfigWarning[] };
  manager(): PluginManager;
  /** Writes servers/ and infrarust.toml, then runs a whole Host (proxy included) here; cleanup() stops it. */
  run(setup: HostRun): Promise<{ host: Host; port: number }>;
  cleanup(): Promise<void>;
}

export async function tempHost(): Promise<TempHost> {
  const dir = await mkdtemp(join(tmpdir(), 'infrarust-test-'));
  const pluginsDir = join(dir, 'plugins');
  await mkdir(pluginsDir);
  const managers: PluginManager[] = [];
  let host: Host | undefined;
  const self: TempHost = {
    dir,
    pluginsDir,
    async addPlugin(fixture, as) {
      const target = join(pluginsDir, as ?? `${fixture}.wasm`);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(fixturePath(fixture), target);
      return target;
    },
    async writeConfig(toml) {
      await writeFile(join(dir, 'infrarust.toml'), toml);
    },
    config() {
      const loaded = loadConfig({ cwd: dir });
      if (!loaded.ok) throw new Error(loaded.error.message);
      return { config: loaded.config, warnings: loaded.warnings };
    },
    manager() {
      const { config, warnings } = self.config();
      const m = new PluginManager({ config, configWarnings: warnings });
      managers.push(m);
      return m;
    },
    async run({ servers, config, listen }) {
      await mkdir(join(dir, 'servers'));
      for (const [name, text] of Object.entries(servers)) await writeFileAtomic(join(dir, 'servers', `${name}.toml`), text);
      await self.writeConfig(config);
      // Loaded here, not at the top: unit tests of the lower layers use tempHost without the whole host.
      const { Host } = await import('../../src/main/host/host');
      host = Host.create({ cwd: dir });
      listen?.(host);
      await host.run();
      return { host, port: Number(host.proxyStatus().address!.split(':').pop()) };
    },
    async cleanup() {
      await host?.stop();
      await Promise.all(managers.map((m) => m.shutdown()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
}
