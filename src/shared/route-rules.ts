// What a route (one servers/<id>.toml) may contain, checked the same way by the panel's form before it
// saves and by the host before it writes. Stricter than the file parser, which also reads hand-written files.
import { FORWARDING_MODES, isDecodedMode, PROXY_MODES, type ForwardingMode, type ProxyModeName } from './proxy-modes';

/** The editable settings of one route; empty strings and 0 mean "not set". */
export interface RouteSettings {
  /** The file name without `.toml`. */
  id: string;
  domains: string[];
  addresses: string[];
  motd: string;
  maxPlayers: number;
  disconnectMessage: string;
  proxyMode: ProxyModeName;
  /** Decoding modes only: how the backend learns the player's identity. */
  forwarding: ForwardingMode;
  /** Velocity forwarding's shared secret; empty otherwise. */
  forwardingSecret: string;
}

export type RouteField = 'id' | 'domains' | 'addresses' | 'motd' | 'maxPlayers' | 'disconnectMessage' | 'proxyMode' | 'forwarding' | 'forwardingSecret';

export interface RouteProblem {
  field: RouteField;
  message: string;
}

const MAX_ROUTE_DOMAINS = 64;
const MAX_ROUTE_ADDRESSES = 16;
const MAX_TEXT = 1000;
const MAX_PLAYERS = 0xffffffff;

const ROUTE_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;
/** One DNS label; `*` stands for any run of characters (Infrarust wildcards such as `*.example.com`). */
const LABEL = /^(?:[a-z0-9_*]|[a-z0-9_*][a-z0-9_*-]{0,61}[a-z0-9_*])$/;
const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;
const IPV6 = /^[0-9a-f:.]+$/i;

function routeIdProblem(id: string): string | null {
  if (id === '') return 'a server id is required';
  return ROUTE_ID.test(id) ? null : 'use letters, digits, "_" and "-" (up to 64), not starting with "-": it names the file <id>.toml';
}

/** Exact names and `*` wildcards; compared case-insensitively. */
export function domainProblem(domain: string): string | null {
  const d = domain.toLowerCase();
  if (d === '') return 'empty domain';
  if (d.length > 253) return `"${domain}" is longer than 253 characters`;
  if (d.split('.').every((label) => LABEL.test(label))) return null;
  return `"${domain}" is not a host name or * pattern (letters, digits, "-", "_", "*", labels separated by dots)`;
}

/** `host:port` with the port written out; IPv6 hosts in brackets. */
export function addressProblem(address: string): string | null {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address);
  if (!m) return `"${address}" is not host:port`;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `port ${m[3]} of "${address}" is outside 1–65535`;
  const host = m[1] ?? m[2]!;
  const ok = m[1] !== undefined ? IPV6.test(host) && host.includes(':') : HOST_NAME.test(host) && host.length <= 253;
  return ok ? null : `"${host}" in "${address}" is not a host name or IP address`;
}

/**
 * Every problem of `route`, field by field (the id only for a new route). `servers` are the routes that exist now (the one being edited
 * may be among them): a domain another server already routes is a problem, caught before anything is saved.
 */
export function routeProblems(route: RouteSettings, servers: readonly { id: string; domains: readonly string[] }[], creating: boolean): RouteProblem[] {
  const problems: RouteProblem[] = [];
  const add = (field: RouteField, message: string | null) => message && problems.push({ field, message });

  // An existing server keeps the id its file name gives it, whatever that is; a new one gets a safe name.
  if (creating) add('id', routeIdProblem(route.id));
  if (creating && servers.some((s) => s.id.toLowerCase() === route.id.toLowerCase())) add('id', `a server named "${route.id}" already exists`);

  if (route.domains.length === 0) add('domains', 'at least one domain is required');
  if (route.domains.length > MAX_ROUTE_DOMAINS) add('domains', `at most ${MAX_ROUTE_DOMAINS} domains`);
  const seen = new Set<string>();
  for (const domain of route.domains) {
    const key = domain.toLowerCase();
    if (seen.has(key)) add('domains', `"${domain}" is listed twice`);
    seen.add(key);
    add('domains', domainProblem(domain));
    const owner = servers.find((s) => s.id !== route.id && s.domains.some((d) => d.toLowerCase() === key));
    if (owner) add('domains', `"${domain}" is already routed to server "${owner.id}"`);
  }

  if (route.addresses.length === 0) add('addresses', 'at least one address is required');
  if (route.addresses.length > MAX_ROUTE_ADDRESSES) add('addresses', `at most ${MAX_ROUTE_ADDRESSES} addresses`);
  for (const address of route.addresses) add('addresses', addressProblem(address));

  if (!Number.isInteger(route.maxPlayers) || route.maxPlayers < 0 || route.maxPlayers > MAX_PLAYERS) {
    add('maxPlayers', 'a whole number, 0 for no limit');
  }
  if (!PROXY_MODES.includes(route.proxyMode)) add('proxyMode', `one of ${PROXY_MODES.join(', ')}`);
  if (!FORWARDING_MODES.includes(route.forwarding)) add('forwarding', `one of ${FORWARDING_MODES.join(', ')}`);
  else if (route.forwarding !== 'none' && !isDecodedMode(route.proxyMode)) add('forwarding', 'forwarding needs the offline or client_only mode (the proxy must complete the login)');
  if (route.forwarding === 'velocity' && route.forwardingSecret.trim() === '') add('forwardingSecret', 'velocity forwarding needs the secret the backend is configured with');
  if (route.forwardingSecret.length > MAX_TEXT) add('forwardingSecret', `at most ${MAX_TEXT} characters`);
  if (route.motd.length > MAX_TEXT) add('motd', `at most ${MAX_TEXT} characters`);
  if (route.disconnectMessage.length > MAX_TEXT) add('disconnectMessage', `at most ${MAX_TEXT} characters`);
  return problems;
}
