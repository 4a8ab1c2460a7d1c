/**
 * infrarust.toml — read from `--config <file>` or `<cwd>/infrarust.toml`. A missing file means all defaults.
 * Relative paths are resolved against the working directory (not the config file's folder).
 * A bad value never stops the host: it is reported as a warning naming the file, table and key,
 * and the default is used instead. Only a file that does not parse is an error.
 *
 * Top level
 *   plugins_dir              string   "./plugins"        folder scanned for plugins
 *   bind                     string   "0.0.0.0:25565"    proxy listener, host:port ([v6]:port for IPv6)
 *   servers_dir              string   "./servers"        backend server definitions
 *   data_dir                 string   "./data"           runtime state (bans.json, ...)
 *   connect_timeout          integer  5000               ms to reach a backend; also "5s", "500ms", "1m"
 *   max_connections          integer  1024               1..1000000
 *   unknown_domain_behavior  string   "default_motd"     "default_motd" | "drop"
 *   receive_proxy_protocol   boolean  false              read a PROXY protocol header (v1/v2) before the handshake
 *   trusted_proxies          array    []                 addresses/CIDR ranges that must send it (empty: every peer);
 *                                                        any other peer sending a header is closed
 *
 * [default_motd]   shown for unknown domains when unknown_domain_behavior = "default_motd"
 *   text          string   "Unknown server"
 *   version_name  string   "Infrarust"
 *   max_players   integer  0
 *
 * [wasm]   limits applied to every WebAssembly plugin
 *   call_timeout_ms       integer  3000    per call into a plugin (Infrarust's reference), 1..600000
 *   enable_timeout_ms     integer  10000   on-enable, which may do one-off setup, 1..600000
 *   deadline_tick_ms      integer  10      how often deadlines are checked (a call stops within one tick past it), 1..1000
 *   memory_limit_mb       integer  64      linear memory per instance, 1..4096
 *   log_lines_per_second  integer  200     beyond this, lines are dropped and counted, 1..1000000
 *
 * [panel]   headless control panel
 *   bind    string   "127.0.0.1:8787"
 *   token   string   (none)   required when bind is not loopback (a warning says so)
 *   tls_cert, tls_key  string  (none)  PEM files; both set: the panel serves HTTPS
 *
 * [auth]   player authentication for servers in proxy_mode "client_only"
 *   session_server  string  "https://sessionserver.mojang.com"   Mojang-compatible session server (http or https URL);
 *                                                               the proxy calls <session_server>/session/minecraft/hasJoined
 *
 * [cluster]   several proxies sharing bans, players and commands through Redis; absent: no cluster
 *   redis               string   (required)              "redis://host:port"
 *   proxy_id            string   "<host name>:<port>"    this proxy's unique name in the network
 *   heartbeat_interval  integer  1000                    ms (or "1s"), 50..60000
 *   dead_after          integer  30000                   ms (or "30s") of silence before a proxy counts as dead, 200..600000
 *   duplicate_login     string   "refuse_new"            "refuse_new" | "kick_old"
 *
 * [plugins.<id>]   one table per plugin; <id> matches ^[a-z0-9_][a-z0-9_-]*$ or the table is ignored
 *   permissions  array of strings  []     baseline and opt-in capabilities; unknown ones are dropped,
 *                                         and "transport-filter" is never grantable through configuration
 *   enabled      boolean           true
 *   path         string            (none) native plugins only: the module to load
 *   settings     table             {}     the plugin's own settings, free-form; plugins read them with
 *                                         config-service get-value("plugins.<id>.settings.<key>")
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { isBaseline, isOptIn, NEVER_GRANTABLE } from '../../shared/capabilities';
import { hostname } from 'node:os';
import { parseCidr } from '../proxy/proxy-protocol';
import { CLUSTER_DEFAULTS, CONFIG_DEFAULTS, CONFIG_LIMITS, defaultHostConfig, PLUGIN_DEFAULTS, quotasOf } from './config-defaults';
import { isLoopbackHost, parseHostPort } from './host-port';
import { encodeKey } from './toml-encode';
import type { ClusterSettings, ConfigError, ConfigWarning, HostConfig, PluginTable } from './types';

export const CONFIG_FILE_NAME = 'infrarust.toml';

export type LoadResult =
  | { ok: true; config: HostConfig; warnings: ConfigWarning[]; text: string | null }
  | { ok: false; error: ConfigError };

export const PLUGIN_ID_PATTERN = /^[a-z0-9_][a-z0-9_-]*$/;

type Table = Record<string, unknown>;
type Limits = { readonly min: number; readonly max: number };

const ROOT_KEYS = [
  'plugins_dir',
  'bind',
  'servers_dir',
  'data_dir',
  'connect_timeout',
  'max_connections',
  'unknown_domain_behavior',
  'default_motd',
  'wasm',
  'panel',
  'auth',
  'plugins',
  'receive_proxy_protocol',
  'trusted_proxies',
  'cluster',
] as const;
const DUPLICATE_LOGIN = ['refuse_new', 'kick_old'] as const;
const UNKNOWN_DOMAIN_BEHAVIORS = ['default_motd', 'drop'] as const;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads values out of one parsed file, collecting a warning for each one it has to replace. */
class Reader {
  readonly warnings: ConfigWarning[] = [];

  constructor(private readonly file: string) {}

  warn(table: string | undefined, key: string | undefined, problem: string, displayTable = table): void {
    const where = `${displayTable ? `[${displayTable}] ` : ''}${key ? `${key}: ` : ''}`;
    this.warnings.push({ message: `${this.file}: ${where}${problem}`, table, key });
  }

  /** The sub-table `key` of `parent`, or an empty one (with a warning when something else is there). */
  table(parent: Table, key: string, tableName: string | undefined): Table {
    const value = parent[key];
    if (value === undefined) return {};
    if (isTable(value)) return value;
    this.warn(tableName, key, 'must be a table; using defaults');
    return {};
  }

  unknownKeys(t: Table, table: string | undefined, known: readonly string[], displayTable = table): void {
    for (const key of Object.keys(t)) {
      if (!known.includes(key)) this.warn(table, key, 'unknown key ignored', displayTable);
    }
  }

  int(t: Table, table: string | undefined, key: string, fallback: number, limits: Limits): number {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= limits.min && value <= limits.max) {
      return value;
    }
    this.warn(table, key, `must be an integer from ${limits.min} to ${limits.max}; using ${fallback}`);
    return fallback;
  }

  string(t: Table, table: string | undefined, key: string, fallback: string): string {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && value !== '') return value;
    this.warn(table, key, `must be a non-empty string; using ${JSON.stringify(fallback)}`);
    return fallback;
  }

  duration(t: Table, table: string | undefined, key: string, fallback: number, limits: Limits): number {
    const value = t[key];
    if (value === undefined) return fallback;
    const ms = parseDurationMs(value);
    if (ms !== null && ms >= limits.min && ms <= limits.max) return ms;
    this.warn(table, key, `must be milliseconds from ${limits.min} to ${limits.max} or a duration like "5s"; using ${fallback}`);
    return fallback;
  }

  bool(t: Table, table: string | undefined, key: string, fallback: boolean): boolean {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.warn(table, key, `must be true or false; using ${fallback}`);
    return fallback;
  }

  hostPort(t: Table, table: string | undefined, key: string, fallback: string): string {
    const value = t[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && parseHostPort(value)) return value;
    this.warn(table, key, `must be "host:port" (IPv6 as "[::1]:port"); using ${JSON.stringify(fallback)}`);
    return fallback;
  }
}

/** `5000`, `"5s"`, `"500ms"`, `"1.5s"`, `"1m"` → ms; null when not a duration. */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value);
  if (!match) return null;
  const scale = match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000;
  return Math.round(Number(match[1]) * scale);
}

function readPermissions(r: Reader, table: string, value: unknown): string[] {
  if (value === undefined) return [...PLUGIN_DEFAULTS.permissions];
  if (!Array.isArray(value)) {
    r.warn(table, 'permissions', 'must be an array of strings; using []');
    return [...PLUGIN_DEFAULTS.permissions];
  }
  const kept: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      r.warn(table, 'permissions', `${JSON.stringify(entry) ?? String(entry)} is not a string; dropped`);
    } else if ((NEVER_GRANTABLE as readonly string[]).includes(entry)) {
      r.warn(table, 'permissions', `${JSON.stringify(entry)} is never grantable through configuration; dropped`);
    } else if (!isBaseline(entry) && !isOptIn(entry)) {
      const plugin = table.slice('plugins.'.length);
      r.warn(table, 'permissions', `unknown capability ${JSON.stringify(entry)} for plugin ${plugin}; dropped`);
    } else if (!kept.includes(entry)) {
      kept.push(entry);
    }
  }
  return kept;
}

function readPlugin(r: Reader, table: string, t: Table, baseDir: string): PluginTable {
  r.unknownKeys(t, table, ['permissions', 'enabled', 'path', 'settings']);
  let enabled = PLUGIN_DEFAULTS.enabled;
  if (t.enabled !== undefined) {
    if (typeof t.enabled === 'boolean') enabled = t.enabled;
    else r.warn(table, 'enabled', `must be true or false; using ${PLUGIN_DEFAULTS.enabled}`);
  }
  let path = PLUGIN_DEFAULTS.path;
  if (t.path !== undefined) {
    if (typeof t.path === 'string' && t.path !== '') path = resolve(baseDir, t.path);
    else r.warn(table, 'path', 'must be a non-empty string; ignored');
  }
  let settings: Record<string, unknown> = {};
  if (t.settings !== undefined) {
    if (isTable(t.settings)) settings = t.settings;
    else r.warn(table, 'settings', 'must be a table of the plugin\'s own settings; ignored');
  }
  return { permissions: readPermissions(r, table, t.permissions), enabled, path, settings };
}

function readPlugins(r: Reader, root: Table, baseDir: string): Record<string, PluginTable> {
  const plugins: Record<string, PluginTable> = {};
  const value = root.plugins;
  if (value === undefined) return plugins;
  if (!isTable(value)) {
    r.warn(undefined, 'plugins', 'must hold one [plugins.<id>] table per plugin; ignored');
    return plugins;
  }
  for (const [id, entry] of Object.entries(value)) {
    const table = `plugins.${id}`;
    const display = `plugins.${encodeKey(id)}`;
    if (!PLUGIN_ID_PATTERN.test(id)) {
      r.warn(table, undefined, `plugin id must match ${PLUGIN_ID_PATTERN.source}; table ignored`, display);
    } else if (!isTable(entry)) {
      r.warn(table, undefined, 'must be a table; ignored', display);
    } else {
      plugins[id] = readPlugin(r, table, entry, baseDir);
    }
  }
  return plugins;
}

function readConfig(r: Reader, root: Table, file: string, baseDir: string): HostConfig {
  const d = CONFIG_DEFAULTS;
  const config = defaultHostConfig(baseDir);
  config.file = file;

  for (const [key, value] of Object.entries(root)) {
    if ((ROOT_KEYS as readonly string[]).includes(key)) continue;
    r.warn(undefined, key, isTable(value) ? 'unknown table ignored' : 'unknown top-level key ignored');
  }

  config.pluginsDir = resolve(baseDir, r.string(root, undefined, 'plugins_dir', d.plugins_dir));
  config.plugins = readPlugins(r, root, baseDir);

  const wasm = r.table(root, 'wasm', undefined);
  r.unknownKeys(wasm, 'wasm', Object.keys(d.wasm));
  const quotas = r.table(wasm, 'quotas', 'wasm');
  r.unknownKeys(quotas, 'wasm.quotas', Object.keys(d.wasm.quotas));
  const wasmInt = (key: Exclude<keyof typeof d.wasm, 'quotas'>): number => r.int(wasm, 'wasm', key, d.wasm[key], CONFIG_LIMITS[key]);
  config.wasm = {
    callTimeoutMs: wasmInt('call_timeout_ms'),
    enableTimeoutMs: wasmInt('enable_timeout_ms'),
    deadlineTickMs: wasmInt('deadline_tick_ms'),
    memoryLimitMb: wasmInt('memory_limit_mb'),
    logLinesPerSecond: wasmInt('log_lines_per_second'),
    codecCpuBudgetMs: wasmInt('codec_cpu_budget_ms'),
    quotas: quotasOf((key) => r.int(quotas, 'wasm.quotas', key, d.wasm.quotas[key], CONFIG_LIMITS.quota)),
  };

  const proxy = config.proxy;
  proxy.bind = r.hostPort(root, undefined, 'bind', d.bind);
  proxy.serversDir = resolve(baseDir, r.string(root, undefined, 'servers_dir', d.servers_dir));
  proxy.dataDir = resolve(baseDir, r.string(root, undefined, 'data_dir', d.data_dir));
  if (root.connect_timeout !== undefined) {
    const ms = parseDurationMs(root.connect_timeout);
    const { min, max } = CONFIG_LIMITS.connect_timeout;
    if (ms !== null && ms >= min && ms <= max) proxy.connectTimeoutMs = ms;
    else {
      r.warn(
        undefined,
        'connect_timeout',
        `must be milliseconds from ${min} to ${max} or a duration like "5s"; using ${d.connect_timeout}`,
      );
    }
  }
  proxy.maxConnections = r.int(root, undefined, 'max_connections', d.max_connections, CONFIG_LIMITS.max_connections);
  const behavior = root.unknown_domain_behavior;
  if (behavior !== undefined) {
    if (typeof behavior === 'string' && (UNKNOWN_DOMAIN_BEHAVIORS as readonly string[]).includes(behavior)) {
      proxy.unknownDomainBehavior = behavior as (typeof UNKNOWN_DOMAIN_BEHAVIORS)[number];
    } else {
      r.warn(
        undefined,
        'unknown_domain_behavior',
        `must be "default_motd" or "drop"; using ${JSON.stringify(d.unknown_domain_behavior)}`,
      );
    }
  }
  proxy.receiveProxyProtocol = r.bool(root, undefined, 'receive_proxy_protocol', d.receive_proxy_protocol);
  proxy.trustedProxies = readTrustedProxies(r, root.trusted_proxies);
  if (proxy.receiveProxyProtocol && proxy.trustedProxies.length === 0) {
    r.warn(undefined, 'trusted_proxies', 'empty: every peer must send a PROXY header, and any peer that reaches this port can claim any address');
  }
  if (!proxy.receiveProxyProtocol && proxy.trustedProxies.length > 0) {
    r.warn(undefined, 'trusted_proxies', 'has no effect while receive_proxy_protocol is false');
  }
  const motd = r.table(root, 'default_motd', undefined);
  r.unknownKeys(motd, 'default_motd', Object.keys(d.default_motd));
  proxy.defaultMotd = {
    text: r.string(motd, 'default_motd', 'text', d.default_motd.text),
    versionName: r.string(motd, 'default_motd', 'version_name', d.default_motd.version_name),
    maxPlayers: r.int(motd, 'default_motd', 'max_players', d.default_motd.max_players, CONFIG_LIMITS.max_players),
  };

  const auth = r.table(root, 'auth', undefined);
  r.unknownKeys(auth, 'auth', Object.keys(d.auth));
  const sessionServer = r.string(auth, 'auth', 'session_server', d.auth.session_server);
  if (isHttpUrl(sessionServer)) proxy.sessionServer = sessionServer.replace(/\/+$/, '');
  else r.warn('auth', 'session_server', `must be an http:// or https:// URL; using ${JSON.stringify(d.auth.session_server)}`);

  const panel = r.table(root, 'panel', undefined);
  r.unknownKeys(panel, 'panel', ['bind', 'token', 'tls_cert', 'tls_key']);
  config.panel.bind = r.hostPort(panel, 'panel', 'bind', d.panel.bind);
  if (panel.token !== undefined) {
    if (typeof panel.token === 'string' && panel.token.trim() !== '') config.panel.token = panel.token;
    else r.warn('panel', 'token', 'must be a non-empty string; ignored');
  }
  const tlsFile = (key: string): string | null => {
    if (panel[key] === undefined) return null;
    if (typeof panel[key] === 'string' && panel[key].trim() !== '') return resolve(baseDir, panel[key]);
    r.warn('panel', key, 'must be a file path; ignored');
    return null;
  };
  const [certFile, keyFile] = [tlsFile('tls_cert'), tlsFile('tls_key')];
  if (certFile && keyFile) config.panel.tls = { certFile, keyFile };
  else if (certFile || keyFile) r.warn('panel', certFile ? 'tls_key' : 'tls_cert', 'tls_cert and tls_key go together; serving plain HTTP');
  if (panelRequiresToken(config) && config.panel.token === null) {
    r.warn('panel', 'bind', `panel bind ${config.panel.bind} is not loopback: a token is required`);
  }
  config.cluster = readCluster(r, root, proxy.bind);
  return config;
}

function readTrustedProxies(r: Reader, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    r.warn(undefined, 'trusted_proxies', 'must be an array of addresses or CIDR ranges; using []');
    return [];
  }
  const kept: string[] = [];
  for (const entry of value) {
    if (typeof entry === 'string' && parseCidr(entry)) kept.push(entry.trim());
    else r.warn(undefined, 'trusted_proxies', `${JSON.stringify(entry) ?? String(entry)} is not an address or CIDR range; dropped`);
  }
  return kept;
}

function readCluster(r: Reader, root: Table, bind: string): ClusterSettings | null {
  if (root.cluster === undefined) return null;
  const t = r.table(root, 'cluster', undefined);
  r.unknownKeys(t, 'cluster', ['redis', 'proxy_id', 'heartbeat_interval', 'dead_after', 'duplicate_login']);
  const redis = t.redis;
  if (typeof redis !== 'string' || !isRedisUrl(redis)) {
    r.warn('cluster', 'redis', 'must be "redis://host:port" (or rediss://); cluster mode is off');
    return null;
  }
  const c = CLUSTER_DEFAULTS;
  const heartbeatMs = r.duration(t, 'cluster', 'heartbeat_interval', c.heartbeat_interval, CONFIG_LIMITS.heartbeat_interval);
  let deadAfterMs = r.duration(t, 'cluster', 'dead_after', c.dead_after, CONFIG_LIMITS.dead_after);
  if (deadAfterMs < heartbeatMs * 2) {
    r.warn('cluster', 'dead_after', `must be at least twice heartbeat_interval (${heartbeatMs} ms); using ${heartbeatMs * 2}`);
    deadAfterMs = heartbeatMs * 2;
  }
  let duplicateLogin: ClusterSettings['duplicateLogin'] = c.duplicate_login;
  if (t.duplicate_login !== undefined) {
    if ((DUPLICATE_LOGIN as readonly unknown[]).includes(t.duplicate_login)) duplicateLogin = t.duplicate_login as ClusterSettings['duplicateLogin'];
    else r.warn('cluster', 'duplicate_login', `must be "refuse_new" or "kick_old"; using ${JSON.stringify(c.duplicate_login)}`);
  }
  const port = parseHostPort(bind)?.port ?? 25565;
  return {
    redis,
    proxyId: r.string(t, 'cluster', 'proxy_id', `${hostname()}:${port}`),
    heartbeatMs,
    deadAfterMs,
    duplicateLogin,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isRedisUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** True when the panel listens beyond this machine, where it must not run without a token. */
export function panelRequiresToken(config: Pick<HostConfig, 'panel'>): boolean {
  const hostPort = parseHostPort(config.panel.bind);
  return hostPort === null || !isLoopbackHost(hostPort.host);
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function loadConfig(opts: { file?: string; cwd: string }): LoadResult {
  const baseDir = resolve(opts.cwd);
  const file = opts.file ? resolve(baseDir, opts.file) : join(baseDir, CONFIG_FILE_NAME);

  let text: string | null;
  try {
    text = readText(file);
  } catch (err) {
    return { ok: false, error: { file, message: (err as Error).message, line: null, column: null } };
  }
  if (text === null) {
    // An explicit --config that does not exist is probably a typo: say so, but still start.
    const warnings: ConfigWarning[] = opts.file
      ? [{ message: `${file}: config file not found; using defaults` }]
      : [];
    return { ok: true, config: defaultHostConfig(baseDir), warnings, text: null };
  }

  let root: Table;
  try {
    root = parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      // smol-toml appends a code excerpt after the first line; the panel shows line and column itself.
      const message = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      return { ok: false, error: { file, message, line: err.line, column: err.column } };
    }
    return { ok: false, error: { file, message: (err as Error).message, line: null, column: null } };
  }

  const reader = new Reader(file);
  const config = readConfig(reader, root, file, baseDir);
  return { ok: true, config, warnings: reader.warnings, text };
}
