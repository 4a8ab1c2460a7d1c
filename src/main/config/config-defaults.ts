// Defaults of infrarust.toml, keyed exactly as in the file so the embedded default config and the README reuse them.
import { resolve } from 'node:path';
import type { HostConfig, PluginTable, Quotas } from './types';

/** A valid TOML document as-is (`stringify(CONFIG_DEFAULTS)`); `[panel] token` has no default and is absent. */
export const CONFIG_DEFAULTS = {
  plugins_dir: './plugins',
  bind: '0.0.0.0:25565',
  servers_dir: './servers',
  data_dir: './data',
  connect_timeout: 5000,
  max_connections: 1024,
  unknown_domain_behavior: 'default_motd',
  receive_proxy_protocol: false,
  trusted_proxies: [] as string[],
  default_motd: { text: 'Unknown server', version_name: 'Infrarust', max_players: 0 },
  wasm: {
    call_timeout_ms: 3000,
    enable_timeout_ms: 10000,
    deadline_tick_ms: 10,
    memory_limit_mb: 64,
    log_lines_per_second: 200,
    codec_cpu_budget_ms: 5,
    /** `[wasm.quotas]`: registrations one 0.3.0 plugin may hold (§4.10). */
    quotas: { listeners: 1024, commands: 256, tasks: 1024, channels: 128, codec_filters: 32, limbo_handlers: 64, permission_nodes: 256 },
  },
  panel: { bind: '127.0.0.1:8787' },
  auth: { session_server: 'https://sessionserver.mojang.com' },
} as const;

/** What each `[plugins.<id>]` key is when absent. */
export const PLUGIN_DEFAULTS: Readonly<PluginTable> = Object.freeze({ permissions: [], enabled: true, path: null, settings: {}, strictCapabilities: false });

/** Inclusive bounds of the numeric keys; a value outside them gets a warning and the default. */
export const CONFIG_LIMITS = {
  connect_timeout: { min: 1, max: 600_000 },
  max_connections: { min: 1, max: 1_000_000 },
  max_players: { min: 0, max: 2_147_483_647 },
  call_timeout_ms: { min: 1, max: 600_000 },
  enable_timeout_ms: { min: 1, max: 600_000 },
  deadline_tick_ms: { min: 1, max: 1000 },
  memory_limit_mb: { min: 1, max: 4096 },
  log_lines_per_second: { min: 1, max: 1_000_000 },
  codec_cpu_budget_ms: { min: 1, max: 600_000 },
  quota: { min: 0, max: 1_000_000 },
  heartbeat_interval: { min: 50, max: 60_000 },
  dead_after: { min: 200, max: 600_000 },
  check_timeout: { min: 1, max: 600_000 },
} as const;

/** `[ban]` keys when absent (no provider: the built-in ban list decides). */
export const BAN_DEFAULTS = { check_timeout: 5000 } as const;

/** `[cluster]` keys when absent (the table itself has no default: without it there is no cluster). */
export const CLUSTER_DEFAULTS = {
  heartbeat_interval: 1000,
  dead_after: 30_000,
  duplicate_login: 'refuse_new',
} as const;

/** The resolved config when no file exists: paths resolved against `cwd`. */
export function defaultHostConfig(cwd: string): HostConfig {
  const baseDir = resolve(cwd);
  const d = CONFIG_DEFAULTS;
  return {
    file: null,
    baseDir,
    pluginsDir: resolve(baseDir, d.plugins_dir),
    plugins: {},
    wasm: {
      callTimeoutMs: d.wasm.call_timeout_ms,
      enableTimeoutMs: d.wasm.enable_timeout_ms,
      deadlineTickMs: d.wasm.deadline_tick_ms,
      memoryLimitMb: d.wasm.memory_limit_mb,
      logLinesPerSecond: d.wasm.log_lines_per_second,
      codecCpuBudgetMs: d.wasm.codec_cpu_budget_ms,
      quotas: quotasOf((key) => d.wasm.quotas[key]),
    },
    proxy: {
      bind: d.bind,
      serversDir: resolve(baseDir, d.servers_dir),
      connectTimeoutMs: d.connect_timeout,
      maxConnections: d.max_connections,
      unknownDomainBehavior: d.unknown_domain_behavior,
      defaultMotd: {
        text: d.default_motd.text,
        versionName: d.default_motd.version_name,
        maxPlayers: d.default_motd.max_players,
      },
      dataDir: resolve(baseDir, d.data_dir),
      sessionServer: d.auth.session_server,
      receiveProxyProtocol: d.receive_proxy_protocol,
      trustedProxies: [],
    },
    panel: { bind: d.panel.bind, token: null, tls: null },
    cluster: null,
    ban: { provider: null, checkTimeoutMs: BAN_DEFAULTS.check_timeout },
    permissions: { provider: null },
  };
}

export type QuotaKey = keyof typeof CONFIG_DEFAULTS.wasm.quotas;

/** The quotas, each read by `read` from its `[wasm.quotas]` key. */
export function quotasOf(read: (key: QuotaKey) => number): Quotas {
  return {
    listeners: read('listeners'),
    commands: read('commands'),
    tasks: read('tasks'),
    channels: read('channels'),
    codecFilters: read('codec_filters'),
    limboHandlers: read('limbo_handlers'),
    permissionNodes: read('permission_nodes'),
  };
}
