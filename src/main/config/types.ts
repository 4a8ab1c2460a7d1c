// The resolved shape of infrarust.toml. Every path here is absolute (resolved against the base directory).

export interface PluginTable {
  /** Opt-in and baseline strings exactly as written, already filtered to known, grantable capabilities. */
  permissions: string[];
  enabled: boolean;
  /** Native plugin module path (absolute), or null. */
  path: string | null;
  /** `[plugins.<id>.settings]`: the plugin's own keys, read through config-service; a change reloads it. */
  settings: Record<string, unknown>;
  /** 0.3.0: an imported gated interface without its capability fails the load instead of warning (§4.1). */
  strictCapabilities: boolean;
}

export interface WasmLimits {
  /** Wall-clock budget of one call into a guest, in ms (Infrarust's reference: 3 s). */
  callTimeoutMs: number;
  /** Budget of on-enable, which may do one-off setup, in ms. */
  enableTimeoutMs: number;
  /** Deadlines are checked on this tick (like wasmtime's epoch tick): a runaway call stops within one tick past its budget. */
  deadlineTickMs: number;
  /** Linear memory cap per instance, MiB. */
  memoryLimitMb: number;
  /** Log lines a plugin may emit per second before lines are dropped and counted. */
  logLinesPerSecond: number;
  /** Budget of one 0.3.0 codec-filter call, in ms (§4.8 `codec_cpu_budget`); 0.2.3 filters keep `callTimeoutMs`. */
  codecCpuBudgetMs: number;
  /** `[wasm.quotas]`: what one 0.3.0 plugin may register; past a quota a registration answers `limit-exceeded`. */
  quotas: Quotas;
}

export interface Quotas {
  listeners: number;
  commands: number;
  tasks: number;
  channels: number;
  codecFilters: number;
  limboHandlers: number;
  permissionNodes: number;
}

export interface DefaultMotd {
  text: string;
  versionName: string;
  maxPlayers: number;
}

export interface ProxySettings {
  /** host:port */
  bind: string;
  serversDir: string;
  connectTimeoutMs: number;
  maxConnections: number;
  unknownDomainBehavior: 'default_motd' | 'drop';
  defaultMotd: DefaultMotd;
  /** Folder holding bans.json and other runtime state. */
  dataDir: string;
  /** Base URL of the Mojang-compatible session server `client_only` servers authenticate against. */
  sessionServer: string;
  /** Read a PROXY protocol header (v1 or v2) from trusted peers and take the client address from it. */
  receiveProxyProtocol?: boolean;
  /** Addresses and CIDR ranges that must send a header; empty: every peer must. Others may not send one. */
  trustedProxies?: string[];
}

export interface ClusterSettings {
  /** `redis://host:port` (or `rediss://`, with an optional `user:password@` and `/db`). */
  redis: string;
  /** This proxy's name in the network; default `<host name>:<bind port>`. */
  proxyId: string;
  /** How often this proxy refreshes its heartbeat and the network view, ms. */
  heartbeatMs: number;
  /** A proxy whose heartbeat is older than this is dead and its players leave the list, ms. */
  deadAfterMs: number;
  /** A login whose name or uuid is already online elsewhere: refuse it, or kick the older session. */
  duplicateLogin: 'refuse_new' | 'kick_old';
}

export interface PanelSettings {
  /** host:port of the headless panel. */
  bind: string;
  /** Required when bind is not loopback. */
  token: string | null;
  /** PEM certificate and key files (absolute): the panel serves HTTPS. */
  tls: { certFile: string; keyFile: string } | null;
}

export interface HostConfig {
  /** The config file (absolute), or null when none exists and defaults apply. */
  file: string | null;
  baseDir: string;
  pluginsDir: string;
  plugins: Record<string, PluginTable>;
  wasm: WasmLimits;
  proxy: ProxySettings;
  panel: PanelSettings;
  /** `[cluster]`: several proxies sharing bans and players through Redis; null without the table. */
  cluster: ClusterSettings | null;
  ban: BanSettings;
  permissions: PermissionSettings;
}

/** `[ban]`: who decides whether a connection is banned (§4.6). */
export interface BanSettings {
  /** The 0.3.0 plugin id named as ban provider; null: the built-in list (bans.json). */
  provider: string | null;
  /** Budget of one `ban-provider-check`, ms (also bounded by the event deadline). */
  checkTimeoutMs: number;
}

/** `[permissions]`: who supplies players' permission snapshots (§4.6). */
export interface PermissionSettings {
  /** The 0.3.0 plugin id named as permission provider; null: node defaults. */
  provider: string | null;
}

export interface ConfigWarning {
  message: string;
  /** The table the warning is about, e.g. `plugins.hello`. */
  table?: string;
  key?: string;
}

/** A file that does not parse: where, and why. */
export interface ConfigError {
  file: string;
  message: string;
  line: number | null;
  column: number | null;
}
