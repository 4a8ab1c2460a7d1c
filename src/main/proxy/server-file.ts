// One backend server per `<servers_dir>/<id>.toml`, in Infrarust's shape:
//
//   domains = ["play.example.com", "*.example.com"]   # exact names and * wildcards, case-insensitive
//   addresses = ["10.0.0.5:25565", "10.0.0.6:25565"]  # tried in order; port defaults to 25565
//   proxy_mode = "passthrough"                         # passthrough (default), server_only, zero_copy, offline, client_only
//   forwarding = "none"                                # decoded modes: none, bungeecord or velocity
//   forwarding_secret = "…"                            # velocity only: the backend's shared secret
//   max_players = 100                                  # optional, 0 or absent = no limit
//   disconnect_message = "Server is down"              # optional, shown when no address answers
//   send_proxy_protocol = true                         # optional: a PROXY v2 header with the client's address first
//   limbo_handlers = ["waiting_room"]                  # decoded modes: plugins' limbo handlers run in order on joining
//   motd = "§aHello"                                   # optional; or a table:
//   [motd]  text, version_name, max_players, online_players, protocol_version, favicon (data: URL), enabled
//   [server_manager], [motd.sleeping|starting|stopping|crashed]   # a local server manager: server-manager-config.ts
//
// With a motd the proxy answers status pings itself; without one it forwards them to the backend.
// `server_only` and `zero_copy` run as passthrough (upstream treats server_only so; Node has no splice).
// `offline` and `client_only` decode the protocol (see decoded-session.ts).

import { parse, TomlError } from 'smol-toml';
import { FORWARDING_MODES, isDecodedMode, PROXY_MODES, type ForwardingMode, type ProxyModeName } from '../../shared/proxy-modes.ts';
import type { ServerAddress } from '../contract/guest-types.ts';
import { parseServerManager, takeManagedMotds, type LocalManagerSettings, type ManagedMotds } from './server-manager-config.ts';

export interface MotdSettings {
  text: string;
  versionName: string | undefined;
  maxPlayers: number | undefined;
  onlinePlayers: number | undefined;
  protocolVersion: number | undefined;
  favicon: string | undefined;
}

export interface ServerDefinition {
  id: string;
  file: string;
  /** Lowercase. */
  domains: string[];
  addresses: ServerAddress[];
  proxyMode: ProxyModeName;
  forwarding: ForwardingMode;
  /** The velocity forwarding secret; set exactly when forwarding is velocity. */
  forwardingSecret: string | undefined;
  motd: MotdSettings | undefined;
  /** 0 = no limit. */
  maxPlayers: number;
  disconnectMessage: string | undefined;
  /** Each connection to the backend starts with a PROXY protocol v2 header naming the real client. */
  sendProxyProtocol: boolean;
  /** Limbo handler names run in order before a player's first connection to this server. */
  limboHandlers: string[];
  /** `[server_manager]`: the proxy starts and stops this server's process. */
  manager: LocalManagerSettings | undefined;
  /** What the status ping shows while the managed server is not running. */
  managedMotds: ManagedMotds;
}

export interface FileIssue {
  message: string;
  line: number | null;
  column: number | null;
}

export type ParsedServerFile =
  | { ok: true; server: ServerDefinition; warnings: FileIssue[] }
  | { ok: false; errors: FileIssue[] };

const KNOWN_KEYS = new Set(['domains', 'addresses', 'proxy_mode', 'forwarding', 'forwarding_secret', 'motd', 'max_players', 'disconnect_message', 'send_proxy_protocol', 'limbo_handlers', 'server_manager']);
const MOTD_KEYS = new Set(['enabled', 'text', 'version_name', 'max_players', 'online_players', 'protocol_version', 'favicon']);
const DOMAIN_RE = /^[a-z0-9*_.:-]+$/;

export function parseServerFile(id: string, file: string, text: string): ParsedServerFile {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      return { ok: false, errors: [{ message: err.message.split('\n')[0], line: err.line, column: err.column }] };
    }
    throw err;
  }
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  const issue = (list: FileIssue[], key: string, message: string) => list.push({ message, ...locateKey(text, key) });

  const domains = stringList(doc.domains);
  if (!domains || domains.length === 0) issue(errors, 'domains', '`domains` must be a non-empty list of host names');
  const badDomain = domains?.find((d) => !DOMAIN_RE.test(d.toLowerCase()));
  if (badDomain !== undefined) issue(errors, 'domains', `domain "${badDomain}" is not a host name or * pattern`);

  const rawAddresses = stringList(doc.addresses);
  const addresses: ServerAddress[] = [];
  if (!rawAddresses || rawAddresses.length === 0) {
    issue(errors, 'addresses', '`addresses` must be a non-empty list of "host:port" strings');
  } else {
    for (const raw of rawAddresses) {
      const a = parseAddress(raw);
      if (a) addresses.push(a);
      else issue(errors, 'addresses', `address "${raw}" is not host:port`);
    }
  }

  const mode = doc.proxy_mode ?? 'passthrough';
  const knownMode = PROXY_MODES.includes(mode as ProxyModeName);
  if (!knownMode) issue(errors, 'proxy_mode', `unknown proxy_mode ${JSON.stringify(mode)}; expected one of ${PROXY_MODES.join(', ')}`);
  const forwarding = doc.forwarding ?? 'none';
  const secret = doc.forwarding_secret;
  if (!FORWARDING_MODES.includes(forwarding as ForwardingMode)) {
    issue(errors, 'forwarding', `unknown forwarding ${JSON.stringify(forwarding)}; expected one of ${FORWARDING_MODES.join(', ')}`);
  } else if (knownMode && forwarding !== 'none' && !isDecodedMode(mode as ProxyModeName)) {
    // Forwarding rewrites the login, which only a decoding mode does; passthrough forwards the client's own.
    issue(errors, 'forwarding', `forwarding = "${forwarding}" needs proxy_mode "offline" or "client_only" (the proxy must complete the login)`);
  }
  if (forwarding === 'velocity' && (typeof secret !== 'string' || secret.length === 0)) {
    issue(errors, 'forwarding', 'forwarding = "velocity" needs `forwarding_secret` (the backend\'s velocity secret)');
  } else if (secret !== undefined && forwarding !== 'velocity') {
    issue(warnings, 'forwarding_secret', '`forwarding_secret` is only used with forwarding = "velocity"; ignored');
  }
  if (mode === 'zero_copy') issue(warnings, 'proxy_mode', 'proxy_mode "zero_copy" runs as passthrough (Node has no splice)');
  const sendProxyProtocol = doc.send_proxy_protocol ?? false;
  if (typeof sendProxyProtocol !== 'boolean') issue(errors, 'send_proxy_protocol', '`send_proxy_protocol` must be true or false');

  const maxPlayers = doc.max_players ?? 0;
  if (!isInt(maxPlayers, 0, 0xffffffff)) issue(errors, 'max_players', '`max_players` must be a whole number ≥ 0');

  const disconnectMessage = doc.disconnect_message;
  if (disconnectMessage !== undefined && typeof disconnectMessage !== 'string') {
    issue(errors, 'disconnect_message', '`disconnect_message` must be a string');
  }

  const limbo = doc.limbo_handlers ?? [];
  if (!Array.isArray(limbo) || limbo.some((h) => typeof h !== 'string' || h === '')) {
    issue(errors, 'limbo_handlers', '`limbo_handlers` must be a list of handler names (strings)');
  } else if (limbo.length > 0 && knownMode && !isDecodedMode(mode as ProxyModeName)) {
    issue(errors, 'limbo_handlers', '`limbo_handlers` needs proxy_mode "offline" or "client_only" (the proxy serves the limbo world)');
  }
  const motdTable = doc.motd && typeof doc.motd === 'object' && !Array.isArray(doc.motd) ? { ...(doc.motd as Record<string, unknown>) } : undefined;
  const managedMotds = motdTable ? takeManagedMotds(motdTable, (m) => issue(errors, 'motd', m)) : {};
  // A [motd] holding only state tables gives the server no motd of its own.
  const ownMotd = motdTable && Object.keys(motdTable).length === 0 ? undefined : (motdTable ?? doc.motd);
  const motd = parseMotd(ownMotd, (m) => issue(errors, 'motd', m), (m) => issue(warnings, 'motd', m));
  const manager = parseServerManager(doc.server_manager, file, (m) => issue(errors, 'server_manager', m), (m) => issue(warnings, 'server_manager', m));

  for (const key of Object.keys(doc)) {
    if (!KNOWN_KEYS.has(key)) issue(warnings, key, `unknown key \`${key}\` ignored`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    warnings,
    server: {
      id,
      file,
      domains: (domains ?? []).map((d) => d.toLowerCase()),
      addresses,
      proxyMode: mode as ProxyModeName,
      forwarding: forwarding as ForwardingMode,
      forwardingSecret: forwarding === 'velocity' ? (secret as string) : undefined,
      motd,
      maxPlayers: maxPlayers as number,
      disconnectMessage: disconnectMessage as string | undefined,
      sendProxyProtocol: sendProxyProtocol as boolean,
      limboHandlers: [...(limbo as string[])],
      manager,
      managedMotds,
    },
  };
}

function parseMotd(value: unknown, error: (m: string) => void, warn: (m: string) => void): MotdSettings | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    return { text: value, versionName: undefined, maxPlayers: undefined, onlinePlayers: undefined, protocolVersion: undefined, favicon: undefined };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    error('`motd` must be a string or a table');
    return undefined;
  }
  const t = value as Record<string, unknown>;
  for (const key of Object.keys(t)) if (!MOTD_KEYS.has(key)) warn(`unknown key \`motd.${key}\` ignored`);
  if (t.enabled === false) return undefined;
  const optString = (k: string) => {
    if (t[k] === undefined || typeof t[k] === 'string') return t[k] as string | undefined;
    error(`\`motd.${k}\` must be a string`);
    return undefined;
  };
  const optInt = (k: string, min: number, max: number) => {
    if (t[k] === undefined || isInt(t[k], min, max)) return t[k] as number | undefined;
    error(`\`motd.${k}\` must be a whole number`);
    return undefined;
  };
  const text = optString('text');
  if (text === undefined) error('`motd.text` is required');
  const favicon = optString('favicon');
  if (favicon !== undefined && !favicon.startsWith('data:image/png;base64,')) {
    error('`motd.favicon` must be a data:image/png;base64, URL');
  }
  return {
    text: text ?? '',
    versionName: optString('version_name'),
    maxPlayers: optInt('max_players', -0x80000000, 0x7fffffff),
    onlinePlayers: optInt('online_players', -0x80000000, 0x7fffffff),
    protocolVersion: optInt('protocol_version', -0x80000000, 0x7fffffff),
    favicon,
  };
}

/** `host:port`, `[v6]:port`, or a bare host (port 25565). Port 0 (any free port) only for a bind address. */
export function parseAddress(raw: string, allowPortZero = false): ServerAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(raw.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? 25565 : Number(m[3]);
  if (port < (allowPortZero ? 0 : 1) || port > 65535) return undefined;
  return { host: m[1] ?? m[2], port };
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0) ? (v as string[]) : undefined;
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Line/column (1-based) of `key = …` or `[key]`, so semantic errors point into the file like parse errors. */
function locateKey(text: string, key: string): { line: number | null; column: number | null } {
  const lines = text.split(/\r?\n/);
  const re = new RegExp(`^(\\s*)(?:${key}\\s*=|\\[\\s*${key}\\s*\\])`);
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (m) return { line: i + 1, column: m[1].length + 1 };
  }
  return { line: null, column: null };
}
