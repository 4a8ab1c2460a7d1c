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
  /** Held in the proxy's limbo: the limbo handler holding the player and the plugin that registered it. */
  limbo: { handler: string; plugin: string | null } | null;
}

export type ServerLiveState = 'online' | 'offline' | 'unknown';

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
}
