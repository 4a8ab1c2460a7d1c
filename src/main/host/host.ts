// The host: configuration plus the plugin runtime (and, when asked, the proxy), as one object that
// the CLI, the headless panel and the Electron shell all drive. Plain Node.
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { CONFIG_FILE_NAME, loadConfig } from '../config/load-config';
import type { ConfigError, ConfigWarning, HostConfig } from '../config/types';
import { PluginManager } from '../plugins/plugin-manager';
import type { PlayerView, ProxyStatusView, ServerView } from '../../shared/proxy-views';

export interface HostOptions {
  /** Path to infrarust.toml (relative to cwd); default `<cwd>/infrarust.toml`. */
  configFile?: string;
  /** Base for every relative path in the configuration. */
  cwd: string;
}

export class ConfigLoadError extends Error {
  constructor(readonly error: ConfigError) {
    super(`${error.file}${error.line ? `:${error.line}:${error.column}` : ''}: ${error.message}`);
  }
}

export interface HostEvents {
  /** The configuration was re-read: `error` set when it no longer parses (the last good one stays). */
  config: [{ warnings: ConfigWarning[]; error: ConfigError | null }];
  players: [];
  servers: [];
}

export class Host extends EventEmitter<HostEvents> {
  readonly configFile: string;
  readonly plugins: PluginManager;
  configWarnings: ConfigWarning[];
  configError: ConfigError | null = null;

  private constructor(
    readonly cwd: string,
    configFile: string,
    public config: HostConfig,
    warnings: ConfigWarning[],
  ) {
    super();
    this.configFile = configFile;
    this.configWarnings = warnings;
    this.plugins = new PluginManager({ config, configWarnings: warnings });
  }

  /** Loads the configuration only (throws ConfigLoadError when it does not parse): attach listeners, then `run()`. */
  static create(opts: HostOptions): Host {
    const file = resolve(opts.cwd, opts.configFile ?? CONFIG_FILE_NAME);
    const loaded = loadConfig({ file, cwd: opts.cwd });
    if (!loaded.ok) throw new ConfigLoadError(loaded.error);
    return new Host(opts.cwd, file, loaded.config, loaded.warnings);
  }

  /** create() then run(). */
  static async start(opts: HostOptions): Promise<Host> {
    const host = Host.create(opts);
    await host.run();
    return host;
  }

  /** Loads every plugin. */
  async run(): Promise<void> {
    await this.plugins.loadAll();
  }

  /**
   * Re-reads infrarust.toml and hot-reloads exactly the plugins whose settings changed. A file that
   * no longer parses changes nothing: the last good configuration stays in force.
   */
  async reloadConfig(): Promise<{ ok: boolean; reloaded: string[] }> {
    const loaded = loadConfig({ file: this.configFile, cwd: this.cwd });
    if (!loaded.ok) {
      this.configError = loaded.error;
      this.emit('config', { warnings: this.configWarnings, error: loaded.error });
      return { ok: false, reloaded: [] };
    }
    this.configError = null;
    this.config = loaded.config;
    this.configWarnings = loaded.warnings;
    const reloaded = await this.plugins.applyConfig(loaded.config, loaded.warnings);
    this.emit('config', { warnings: loaded.warnings, error: null });
    return { ok: true, reloaded };
  }

  // Proxy accessors for the panel: placeholders until the proxy is composed in (the lead replaces these bodies).
  proxyStatus(): ProxyStatusView {
    return { running: false, address: null, startedAt: null, connections: 0 };
  }

  players(): PlayerView[] {
    return [];
  }

  servers(): ServerView[] {
    return [];
  }

  async runCommand(line: string): Promise<{ ok: boolean; output: string }> {
    const ran = await this.plugins.runCommand(line);
    return { ok: ran, output: ran ? '' : `unknown command: ${line.trim().split(/\s+/)[0] ?? ''}` };
  }

  tabComplete(line: string): Promise<string[]> {
    return this.plugins.tabComplete(line);
  }

  async stop(): Promise<void> {
    await this.plugins.shutdown();
  }
}
