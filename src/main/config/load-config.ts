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
 * [ban]   who decides bans (0.3.0 providers, §4.6)
 *   provider       string   "builtin"   a 0.3.0 plugin id granted "ban-provider"; "builtin": bans.json
 *   check_timeout  integer  5000        ms (or "5s") for one ban-provider-check, 1..600000
 *
 * [permissions]   who supplies permission snapshots
 *   provider       string   "builtin"   a 0.3.0 plugin id granted "permission-provider"; "builtin": node defaults
 *
 * [plugins.<id>]   one table per plugin; <id> matches ^[a-z0-9_][a-z0-9_-]*$ or the table is ignored
 *   permissions  array of strings  []     baseline and opt-in capabilities; unknown ones are dropped,
 *                                         and "transport-filter" is never grantable through configuration
 *   enabled      boolean           true
 *   path         string            (none) native plugins only: the module to load
 *   settings     table             {}     the plugin's own settings, free-form; plugins read them with
 *                                         config-service get-value("plugins.<id>.settings.<key>")
 *   strict_capabilities  boolean   false  0.3.0: importing a gated interface without its capability fails the load
 *
 * The section readers: config-reader.ts (values and warnings), plugin-tables.ts, cluster-config.ts,
 * provider-config.ts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { parseCidr } from '../proxy/proxy-protocol';
import { readCluster } from './cluster-config';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, defaultHostConfig, quotasOf } from './config-defaults';
import { isTable, parseDurationMs, Reader, type Table } from './config-reader';
import { isLoopbackHost, parseHostPort } from './host-port';
import { readPlugins } from './plugin-tables';
import { readProviders } from './provider-config';
import type { ConfigError, ConfigWarning, HostConfig } from './types';

export const CONFIG_FILE_NAME = 'infrarust.toml';

export type LoadResult =
  | { ok: true; config: HostConfig; warnings: ConfigWarning[]; text: string | null }
  | { ok: false; error: ConfigError };

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
  'ban',
  'permissions',
] as const;
const UNKNOWN_DOMAIN_BEHAVIORS = ['default_motd', 'drop'] as const;

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
  Object.assign(config, readProviders(r, root, config.plugins));
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

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The warnings parsed data would load with (a plugin's config document must have none). */
export function configWarnings(root: Table, file: string, baseDir: string): ConfigWarning[] {
  const reader = new Reader(file);
  readConfig(reader, root, file, baseDir);
  return reader.warnings;
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
