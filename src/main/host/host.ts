// The host: configuration plus the plugin runtime (and, when asked, the proxy), as one object that
// the CLI, the headless panel and the Electron shell all drive. Plain Node.
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { CONFIG_FILE_NAME, loadConfig } from '../config/load-config';
import type { ConfigError, ConfigWarning, HostConfig } from '../config/types';
import { PluginManager } from '../plugins/plugin-manager';

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

  /** Loads the configuration (throws ConfigLoadError when it does not parse) and every plugin. */
  static async start(opts: HostOptions): Promise<Host> {
    const file = resolve(opts.cwd, opts.configFile ?? CONFIG_FILE_NAME);
    const loaded = loadConfig({ file, cwd: opts.cwd });
    if (!loaded.ok) throw new ConfigLoadError(loaded.error);
    const host = new Host(opts.cwd, file, loaded.config, loaded.warnings);
    await host.plugins.loadAll();
    return host;
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

  async stop(): Promise<void> {
    await this.plugins.shutdown();
  }
}
