// The contracts this host implements and the one set of import rules both the host's linker and the
// plugin kit's bundle check follow: which interfaces each contract has, which capability gates each,
// and what WASI a plugin may import. (Rules only: the generated shapes live in ./generated/.)
import type { Capability } from '../capabilities';

export const CONTRACT_PACKAGE = 'infrarust:plugin';
export const CONTRACTS = ['0.2.3', '0.3.0'] as const;
export type ContractVersion = (typeof CONTRACTS)[number];
/** What the kit builds unless asked otherwise: the contract Infrarust's own SDK targets today. */
export const DEFAULT_AUTHORING_CONTRACT: ContractVersion = '0.3.0';

/** `infrarust:plugin/log@0.2.3` → `{ pkg: 'infrarust:plugin', iface: 'log', version: '0.2.3' }` */
export function parseInterfaceName(name: string): { pkg: string; iface: string; version: string | null } | null {
  const m = /^([a-z0-9-]+:[a-z0-9-]+)\/([a-z0-9-]+)(?:@(.+))?$/.exec(name);
  return m ? { pkg: m[1]!, iface: m[2]!, version: m[3] ?? null } : null;
}

interface ContractRules {
  /** Every host interface of the world (imports). */
  interfaces: readonly string[];
  /** Interfaces a plugin needs no capability to link. */
  alwaysLinked: readonly string[];
  /**
   * 0.2.3 gates at link time: an interface whose capability is not granted is not linked, and a plugin
   * importing it is refused. 0.3.0 links everything and checks each gated function when it is called.
   */
  gating: 'link' | 'call';
  /** The capability an interface needs (0.2.3: to link it; 0.3.0: for its functions unless `functionGates` says otherwise, §4.1). */
  interfaceCapability: Readonly<Record<string, Capability>>;
  /** 0.3.0: functions whose gate differs from their interface's (an empty list: never gated), by interface (§3). */
  functionGates: Readonly<Record<string, Readonly<Record<string, readonly Capability[]>>>>;
}

export const CONTRACT_RULES: Record<ContractVersion, ContractRules> = {
  '0.2.3': {
    interfaces: ['types', 'log', 'event-bus', 'player-registry', 'server-manager', 'ban-service', 'config-service', 'command-manager', 'scheduler', 'limbo', 'codec-registry'],
    alwaysLinked: ['types', 'log', 'limbo'],
    gating: 'link',
    interfaceCapability: {
      'event-bus': 'event-bus',
      'player-registry': 'player-read',
      'command-manager': 'command',
      scheduler: 'scheduler',
      'config-service': 'config-read',
      'server-manager': 'server-manage',
      'ban-service': 'ban',
      'codec-registry': 'codec-filter',
    },
    functionGates: {},
  },
  '0.3.0': {
    interfaces: [
      'types', 'events', 'log', 'text', 'event-bus', 'players', 'server-manager', 'ban-service', 'config-service',
      'command-manager', 'scheduler', 'limbo', 'codec-registry', 'load-balancer', 'messaging', 'proxy-info',
      'plugin-registry', 'permissions', 'permission-nodes', 'providers',
    ],
    alwaysLinked: [
      'types', 'events', 'log', 'text', 'event-bus', 'players', 'server-manager', 'ban-service', 'config-service',
      'command-manager', 'scheduler', 'limbo', 'codec-registry', 'load-balancer', 'messaging', 'proxy-info',
      'plugin-registry', 'permissions', 'permission-nodes', 'providers',
    ],
    gating: 'call',
    interfaceCapability: {
      'event-bus': 'event-bus',
      players: 'player-write',
      'server-manager': 'server-manage',
      'ban-service': 'ban',
      'config-service': 'config-read',
      'command-manager': 'command',
      scheduler: 'scheduler',
      'codec-registry': 'codec-filter',
      'load-balancer': 'config-read',
      messaging: 'plugin-messaging',
      permissions: 'permission-provider',
    },
    functionGates: {
      'event-bus': { 'subscribe-packets': ['event-bus', 'raw-packet'] },
      players: {
        ...Object.fromEntries(['get', 'get-by-name', 'get-by-uuid', 'list', 'get-by-ip', 'count', 'has-permission'].map((f) => [f, ['player-read'] as const])),
        'send-packet': ['raw-packet'],
      },
      'config-service': { 'write-proxy-config-document': ['config-read', 'config-write'] },
      // The limbo resources are never gated; registering a handler is.
      limbo: { 'register-limbo-handler': ['limbo'] },
      'load-balancer': { 'set-drained': ['server-manage'], 'reset-backend': ['server-manage'] },
      providers: { 'register-ban-provider': ['ban-provider'], 'register-permission-provider': ['permission-provider'] },
    },
  },
};

/** Every capability some function of `iface` needs: what importing all of it (or an unknown part) asks for. */
export function interfaceCapabilities(contract: ContractVersion, iface: string): Capability[] {
  const rules = CONTRACT_RULES[contract];
  const all = [rules.interfaceCapability[iface], ...Object.values(rules.functionGates[iface] ?? {}).flat()];
  return [...new Set(all.filter((c): c is Capability => c !== undefined))];
}

/**
 * The capabilities a function of a host interface needs (`fn` as a component names it: `ban`,
 * `[method]limbo-session.complete`). 0.2.3 gates whole interfaces (at link time); 0.3.0's resource methods
 * and drops (limbo's) are never gated. Which kinds `subscribe` may take is decided per call and is not listed here.
 */
export function functionCapabilities(contract: ContractVersion, iface: string, fn: string): readonly Capability[] {
  const rules = CONTRACT_RULES[contract];
  const own = rules.functionGates[iface]?.[fn];
  if (own) return own;
  if (fn.startsWith('[') && rules.gating === 'call') return [];
  const capability = rules.interfaceCapability[iface];
  return capability ? [capability] : [];
}

/** WASI interfaces a plugin may import, served by preview2-shim with sandboxed settings. */
export const WASI_PACKAGES = ['cli', 'clocks', 'filesystem', 'io', 'random'] as const;
/** Network interfaces: never linked in this build. */
export const NETWORK_PACKAGES = ['sockets', 'http'] as const;

export type ImportClass =
  | { kind: 'contract'; iface: string }
  | { kind: 'wasi'; pkg: string; version: string | null }
  | { kind: 'refused'; reason: string };

/** What one import name of a plugin built for `contract` is, or why no plugin may import it. */
export function classifyImport(name: string, contract: ContractVersion): ImportClass {
  const parsed = parseInterfaceName(name);
  if (parsed?.pkg === CONTRACT_PACKAGE) {
    const rules = CONTRACT_RULES[contract];
    if (!rules.interfaces.includes(parsed.iface)) {
      return { kind: 'refused', reason: `${name}: the ${contract} contract has no host interface "${parsed.iface}" (it has ${rules.interfaces.join(', ')})` };
    }
    if (parsed.version !== null && parsed.version !== contract) {
      return { kind: 'refused', reason: `${name}: a plugin for the ${contract} contract imports ${CONTRACT_PACKAGE}/${parsed.iface}@${contract}` };
    }
    return { kind: 'contract', iface: parsed.iface };
  }
  const wasi = parsed?.pkg.startsWith('wasi:') ? parsed.pkg.slice(5) : null;
  if (wasi && (NETWORK_PACKAGES as readonly string[]).includes(wasi)) {
    return {
      kind: 'refused',
      reason: `${name} would need the \`network\` capability, and this build gives plugins no network access at all: wasi:sockets and wasi:http are never linked, even when \`network\` is granted`,
    };
  }
  if (wasi && (WASI_PACKAGES as readonly string[]).includes(wasi)) return { kind: 'wasi', pkg: wasi, version: parsed!.version };
  return { kind: 'refused', reason: `${name} is neither a host interface of ${CONTRACT_PACKAGE}@${contract} nor WASI this host provides` };
}

export type ContractDetection = { ok: true; contract: ContractVersion } | { ok: false; reason: string };

const SUPPORTED = `${CONTRACT_PACKAGE}@0.2.3 and ${CONTRACT_PACKAGE}@0.3.x (up to 0.3.0)`;

/**
 * The contract a component was built for, read from the version of its `infrarust:plugin/guest@X.Y.Z`
 * export (§4.11): 0.2.3, or 0.3.M with M at most our patch level. Every contract name it imports must
 * carry the same version. Anything else is refused with the reason and what to do.
 */
export function detectContract(imports: readonly string[], exports: readonly string[]): ContractDetection {
  const guest = exports.map(parseInterfaceName).find((n) => n?.pkg === CONTRACT_PACKAGE && n.iface === 'guest');
  if (!guest) {
    return { ok: false, reason: `it is not an Infrarust plugin component: it does not export ${CONTRACT_PACKAGE}/guest (its exports: ${exports.join(', ') || 'none'})` };
  }
  const version = guest.version ?? '(unversioned)';
  const [major, minor, patch] = version.split('.').map(Number);
  let contract: ContractVersion | null = null;
  if (version === '0.2.3') contract = '0.2.3';
  else if (major === 0 && minor === 3 && Number.isInteger(patch) && patch! <= 0) contract = '0.3.0';
  if (!contract) {
    const rebuild =
      major === 0 && minor === 3
        ? `it needs a newer host; rebuild it with an infrarust-plugin-sdk that targets ${CONTRACT_PACKAGE}@0.3.0`
        : `rebuild it against the 0.2.3 contract or, better, with an infrarust-plugin-sdk that targets ${CONTRACT_PACKAGE}@0.3.x`;
    return { ok: false, reason: `it was built for ${CONTRACT_PACKAGE}@${version}, but this host implements ${SUPPORTED}: ${rebuild}` };
  }
  const mixed = [...imports, ...exports].map(parseInterfaceName).find((n) => n?.pkg === CONTRACT_PACKAGE && n.version !== version);
  if (mixed) {
    return { ok: false, reason: `it exports ${CONTRACT_PACKAGE}/guest@${version} but also uses ${CONTRACT_PACKAGE}/${mixed.iface}@${mixed.version ?? '(unversioned)'}: one component speaks one contract` };
  }
  return { ok: true, contract };
}
