// The single table of capability names shared by the host and the panel, for both contracts (0.2.3 §4,
// 0.3.0 §4.1). Which interface each one gates is a contract rule: see contract/contracts.ts.

export const BASELINE_CAPABILITIES = [
  'event-bus',
  'player-read',
  'player-write',
  'command',
  'scheduler',
  'config-read',
] as const;

export const OPT_IN_CAPABILITIES = [
  'ban',
  'server-manage',
  'codec-filter',
  'limbo',
  'raw-packet',
  'network',
  'filesystem-extended',
  'permission-provider',
  'virtual-backend',
  // New in 0.3.0; a 0.2.3 plugin has nothing they would gate.
  'config-write',
  'chat-intercept',
  'plugin-messaging',
  'ban-provider',
] as const;

/** Known to the contract but never grantable through configuration. */
export const NEVER_GRANTABLE = ['transport-filter'] as const;

export type BaselineCapability = (typeof BASELINE_CAPABILITIES)[number];
export type OptInCapability = (typeof OPT_IN_CAPABILITIES)[number];
export type Capability = BaselineCapability | OptInCapability;

export const CAPABILITY_DESCRIPTIONS: Record<Capability, string> = {
  'event-bus': 'subscribe to proxy events',
  'player-read': 'look up online players',
  'player-write': 'act on players (kick, switch server)',
  command: 'register console commands',
  scheduler: 'run delayed and repeating tasks',
  'config-read': 'read server configuration',
  ban: 'ban and unban players',
  'server-manage': 'query and start/stop backend servers',
  'codec-filter': 'filter packets of proxied connections',
  limbo: 'hold players in limbo sessions',
  'raw-packet': 'send raw packets to players',
  network: 'open network connections (not available in this build)',
  'filesystem-extended': 'reach files beyond the plugin data folder (not available in this build)',
  'permission-provider': 'answer permission checks',
  'virtual-backend': 'act as a virtual backend server',
  'config-write': 'rewrite the proxy configuration document (0.3 plugins)',
  'chat-intercept': 'see and change chat messages and commands (0.3 plugins)',
  'plugin-messaging': 'send and receive plugin channel messages (0.3 plugins)',
  'ban-provider': 'be the proxy\'s ban list, answering its ban checks (0.3 plugins)',
};

export function isBaseline(cap: string): cap is BaselineCapability {
  return (BASELINE_CAPABILITIES as readonly string[]).includes(cap);
}

export function isOptIn(cap: string): cap is OptInCapability {
  return (OPT_IN_CAPABILITIES as readonly string[]).includes(cap);
}

export const ALL_CAPABILITIES: ReadonlySet<Capability> = new Set([...BASELINE_CAPABILITIES, ...OPT_IN_CAPABILITIES]);
