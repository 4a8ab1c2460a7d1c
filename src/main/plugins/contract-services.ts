// What the plugin runtime needs from the proxy, in the contract's own shapes. The proxy implements it;
// without a proxy (e.g. `infrarust-desktop check`) the offline services below answer.
import type { LimboSessionAccess } from '../contract/limbo-types';
import type { PlayerControls } from '../contract/player-controls';
import type { BanEntry, BanTarget, GameProfile, PlayerAction, PlayerError, ServerAddress, ServerConfig, ServerState, ServiceError, WitResult } from '../contract/guest-types';

export interface PlayerSnapshot {
  id: bigint;
  profile: GameProfile;
  protocolVersion: number;
  remoteAddr: string;
  currentServer: string | undefined;
  connectedAt: bigint;
  active: boolean;
  /** Authenticated by the proxy (client_only). */
  onlineMode: boolean;
  /** Decoding modes: the backend address (host:port) the player is connected to. */
  backendAddress?: string;
  /** The host the client's handshake named. */
  virtualHost?: string;
}

export interface ContractServices {
  players: {
    all(): PlayerSnapshot[];
    byId(id: bigint): PlayerSnapshot | undefined;
    disconnect(id: bigint, reason: string): void | Promise<void>;
    /** undefined when done, else the contract's error. */
    act(id: bigint, action: PlayerAction): Promise<PlayerError | undefined>;
    /** A player's 0.3.0 controls; a string says why this player cannot have them; undefined: no such player. */
    controls(id: bigint): PlayerControls | string | undefined;
  };
  bans: {
    ban(target: BanTarget, reason: string | undefined, durationMs: bigint | undefined, source: string): Promise<WitResult<void, ServiceError>>;
    unban(target: BanTarget, source: string): Promise<WitResult<boolean, ServiceError>>;
    isBanned(target: BanTarget): Promise<WitResult<boolean, ServiceError>>;
    getBan(target: BanTarget): Promise<WitResult<BanEntry | undefined, ServiceError>>;
    getAllBans(): Promise<WitResult<BanEntry[], ServiceError>>;
  };
  servers: {
    configs(): ServerConfig[];
    states(): [string, ServerState][];
    /** The server's definition file (config-service `get-server-document`). */
    fileOf(id: string): string | undefined;
  };
  /** Per-address backend state of each server (load-balancer); undefined / false for an unknown server or address. */
  backends: {
    status(server: string): BackendView[] | undefined;
    setDrained(server: string, address: ServerAddress, drained: boolean): boolean;
    reset(server: string, address: ServerAddress): boolean;
  };
  /** Live limbo sessions by the id their limbo-session resource carries. */
  limbo: { session(id: bigint): LimboSessionAccess | undefined };
  /** `config-service.get-value` for one plugin: dotted keys into infrarust.toml (see host/config-values.ts). */
  configValue(pluginId: string, key: string): string | undefined;
}

export interface BackendView {
  address: ServerAddress;
  state: 'healthy' | 'unhealthy' | 'draining';
  activeConnections: number;
  ejections: number;
  /** Unix ms. */
  healthySince: number | undefined;
  lastFailure: number | undefined;
}

const NO_PROXY: ServiceError = { tag: 'unavailable', val: 'no proxy is running in this process' };

export const offlineServices: ContractServices = {
  players: { all: () => [], byId: () => undefined, disconnect: () => undefined, act: async () => ({ tag: 'disconnected' }), controls: () => undefined },
  bans: {
    ban: async () => ({ tag: 'err', val: NO_PROXY }),
    unban: async () => ({ tag: 'err', val: NO_PROXY }),
    isBanned: async () => ({ tag: 'err', val: NO_PROXY }),
    getBan: async () => ({ tag: 'err', val: NO_PROXY }),
    getAllBans: async () => ({ tag: 'err', val: NO_PROXY }),
  },
  servers: { configs: () => [], states: () => [], fileOf: () => undefined },
  backends: { status: () => undefined, setDrained: () => false, reset: () => false },
  limbo: { session: () => undefined },
  configValue: () => undefined,
};
