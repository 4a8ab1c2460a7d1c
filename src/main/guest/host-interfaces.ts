// The contract's host interfaces as jco sees them: import-object keys (unversioned) and the
// camelCase names of their functions. The worker builds its import objects from this table and
// the main thread's host-call handlers are checked against it.

export const CONTRACT_IMPORT_PREFIX = 'infrarust:plugin/';

export const HOST_FUNCTIONS = {
  log: ['trace', 'debug', 'info', 'warn', 'error'],
  'event-bus': ['subscribe', 'unsubscribe'],
  'player-registry': ['getPlayer', 'getPlayerByUuid', 'getPlayerById', 'getPlayersOnServer', 'getAllPlayers', 'onlineCount', 'onlineCountOn'],
  'server-manager': ['getState', 'start', 'stop', 'getAllServers'],
  'ban-service': ['ban', 'unban', 'isBanned', 'getBan', 'getAllBans'],
  'config-service': ['getServerConfig', 'getAllServerConfigs', 'getValue'],
  'command-manager': ['register', 'unregister'],
  scheduler: ['delay', 'interval', 'cancel'],
  'codec-registry': ['registerCodecFilter', 'unregisterCodecFilter'],
  limbo: ['registerLimboHandler'],
} as const;

export type HostInterface = keyof typeof HOST_FUNCTIONS;

/** Resource classes the host defines, with their methods (jco calls them camelCase on our instances). */
export const HOST_RESOURCES = {
  'player-registry': {
    Player: ['id', 'profile', 'protocolVersion', 'remoteAddr', 'currentServer', 'isConnected', 'isActive', 'disconnect', 'sendMessage', 'sendTitle', 'sendActionBar', 'sendPacket', 'switchServer', 'isOnlineMode', 'permissionLevel', 'hasPermission', 'connectedAt'],
  },
  limbo: {
    LimboSession: ['playerId', 'profile', 'entryContext', 'sendMessage', 'sendTitle', 'sendActionBar', 'complete', 'acquireHandle'],
    LimboSessionHandle: ['playerId', 'sendMessage', 'sendTitle', 'sendActionBar', 'complete', 'cancelled'],
  },
} as const;

/**
 * How a host resource crosses the thread boundary: the main thread returns `{ [RESOURCE_TAG]: class, id }`
 * and the worker turns it into an instance of that class holding only the id.
 */
export const RESOURCE_TAG = '$resource';
export interface ResourceRef {
  [RESOURCE_TAG]: 'Player' | 'LimboSession' | 'LimboSessionHandle';
  id: bigint;
}

/** WASI interfaces a plugin may import, served by preview2-shim with sandboxed settings. */
export const WASI_PACKAGES = ['cli', 'clocks', 'filesystem', 'io', 'random'] as const;
/** Network interfaces: never linked in this build. */
export const NETWORK_PACKAGES = ['sockets', 'http'] as const;

/** Whether a component's import names include any WASI interface (versioned or not). */
export const importsWasi = (names: readonly string[]): boolean => names.some((n) => n.startsWith('wasi:'));
