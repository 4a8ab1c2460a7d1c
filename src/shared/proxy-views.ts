// What the panel shows of the proxy. Plain JSON (no bigint): ids travel as strings.

export interface ProxyStatusView {
  running: boolean;
  /** host:port the proxy listens on. */
  address: string | null;
  startedAt: number | null;
  connections: number;
}

export interface PlayerView {
  id: string;
  username: string;
  uuid: string;
  remoteAddr: string;
  protocolVersion: number;
  server: string | null;
  connectedAt: number;
  /** The proxy mode of the player's connection; only offline and client_only players can be messaged or moved. */
  mode: string;
  /** Cluster mode: the proxy holding the player (absent outside cluster mode). */
  proxy?: string;
  /** Held in the proxy's limbo: the limbo handler holding the player and the plugin that registered it. */
  limbo: { handler: string; plugin: string | null } | null;
}

/** Cluster mode, as the panel's Network page shows it. */
export interface NetworkView {
  /** False without a `[cluster]` table: one proxy, nothing shared. */
  enabled: boolean;
  proxyId: string | null;
  /** `connected`, `connecting`, or `redis-down` (this proxy serves with its own state meanwhile). */
  state: 'connected' | 'connecting' | 'redis-down' | 'off';
  redis: string | null;
  error: string | null;
  since: number | null;
  proxies: NetworkProxyView[];
}

export interface NetworkProxyView {
  id: string;
  address: string;
  players: number;
  /** Unix ms. */
  lastHeartbeat: number;
  /** `self` for this proxy; `alive` while heartbeats arrive; `late` after two missed heartbeats. */
  health: 'self' | 'alive' | 'late';
}

export type ServerLiveState = 'online' | 'offline' | 'unknown';

/** A server the proxy starts and stops itself (`[server_manager]` in its file). */
export interface ManagedServerView {
  state: 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed';
  /** The process while it runs. */
  pid: number | null;
  /** How the last run ended ("exit code 3", "killed by SIGKILL", "no ready line …"), or null. */
  lastExit: string | null;
  /** Its output, also kept on disk (bounded, rotated). */
  logFile: string;
}

export interface ServerView {
  id: string;
  file: string;
  domains: string[];
  addresses: string[];
  proxyMode: string;
  state: ServerLiveState;
  players: number;
  /** The file's current problem (parse error with line/column, bad value); its last good version stays in force. */
  problem: string | null;
  /** Only for a managed server: its lifecycle replaces the probe's online/offline. */
  managed?: ManagedServerView;
}
