// Test support for the example plugins: a real Host (plugins + proxy) in a temp folder, serving built
// examples, with minecraft-protocol backends behind it and players who stay connected. Each example runs
// as built today (0.3.0, plugins/examples/<name>) and as it was built for 0.2.3 (its compatibility
// fixture, test/fixtures/compat-023/<name>), with the same behaviour expected of both.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Host } from '../../src/main/host/host';
import type { PluginLogLine, PluginView } from '../../src/shared/plugin-state';
import { until } from '../../test/support/minecraft-peers';
import type { ContractVersion } from '../../src/shared/contract/contracts';
import { COMPAT_023_DIR, builtPlugin } from '../kit/build-plugin';

const EXAMPLES = dirname(fileURLToPath(import.meta.url));

/** The builds every example is tested in: its 0.3.0 source and its 0.2.3 compatibility fixture. */
export const EXAMPLE_BUILDS: readonly ContractVersion[] = ['0.3.0', '0.2.3'];

/** The source folder of an example built for `contract`. */
export const exampleFolder = (name: string, contract: ContractVersion = '0.3.0'): string =>
  contract === '0.2.3' ? join(COMPAT_023_DIR, name) : resolve(EXAMPLES, name);

export interface ExampleHostOptions {
  /** Example folder names, e.g. ['motd'], or absolute paths of other plugin folders. */
  plugins: string[];
  /** Which build of the named examples to serve (default 0.3.0; 0.2.3 is the compatibility fixture). */
  contract?: ContractVersion;
  /** Components built elsewhere, copied into plugins/ as they are named. */
  wasm?: string[];
  /** infrarust.toml after `bind` (plugin tables...). */
  config?: string;
  /** Server id → backend port, the domains routed to it and its proxy mode (default passthrough). */
  servers: Record<string, { port: number; domains: string[]; mode?: string; /** More lines of its servers/*.toml. */ extra?: string }>;
  /** Files to create first, relative to the host folder (e.g. a plugin's data file). */
  files?: Record<string, string>;
}

export interface ExampleHost {
  host: Host;
  dir: string;
  /** The proxy's port on 127.0.0.1. */
  port: number;
  logs: PluginLogLine[];
  /** The plugin's view; throws with every plugin's state when no plugin has that id. */
  plugin(id: string): PluginView;
  /** Waits for a plugin log line matching `re`. */
  logged(re: RegExp, timeoutMs?: number): Promise<PluginLogLine>;
  /** Rewrites infrarust.toml (after `bind`) and reloads it. */
  reconfigure(config: string): Promise<void>;
  /** Stops the host and starts a new one on the same folder (`host`, `port` and `logs` are the new one's). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const toml = (config = '') => `bind = "127.0.0.1:0"\n${config}\n`;

export async function startExampleHost(opts: ExampleHostOptions): Promise<ExampleHost> {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-example-'));
  await mkdir(join(dir, 'plugins'));
  await mkdir(join(dir, 'servers'));
  for (const name of opts.plugins) {
    const src = isAbsolute(name) ? name : exampleFolder(name, opts.contract);
    await copyFile(await builtPlugin(src), join(dir, 'plugins', `${basename(src)}.wasm`));
  }
  for (const file of opts.wasm ?? []) await copyFile(file, join(dir, 'plugins', basename(file)));
  for (const [id, s] of Object.entries(opts.servers)) {
    const domains = s.domains.map((d) => JSON.stringify(d)).join(', ');
    await writeFile(join(dir, 'servers', `${id}.toml`), `domains = [${domains}]\naddresses = ["127.0.0.1:${s.port}"]\nproxy_mode = "${s.mode ?? 'passthrough'}"\n${s.extra ?? ''}`);
  }
  for (const [path, content] of Object.entries(opts.files ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await writeFile(join(dir, 'infrarust.toml'), toml(opts.config));
  const start = async () => {
    const host = Host.create({ cwd: dir });
    const logs: PluginLogLine[] = [];
    host.plugins.on('log', (line) => logs.push(line));
    await host.run();
    return { host, logs, port: Number(host.proxyStatus().address!.split(':').pop()) };
  };
  const ex: ExampleHost = {
    ...(await start()),
    dir,
    plugin(id) {
      const view = ex.host.plugins.get(id);
      if (!view) throw new Error(`no plugin "${id}": ${JSON.stringify(ex.host.plugins.list().map((p) => [p.id, p.state, p.reason]))}`);
      return view;
    },
    logged: (re, timeoutMs = 5000) => until(`a plugin log line ${re}`, () => ex.logs.find((l) => re.test(l.message)), timeoutMs),
    async reconfigure(config) {
      await writeFile(join(dir, 'infrarust.toml'), toml(config));
      await ex.host.reloadConfig();
    },
    async restart() {
      await ex.host.stop();
      Object.assign(ex, await start());
    },
    async stop() {
      await ex.host.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return ex;
}

export { joinAndStay } from '../../test/support/minecraft-peers';
