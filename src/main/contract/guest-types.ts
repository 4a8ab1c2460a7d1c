// The contract's values (infrarust:plugin@0.2.3, §3.1 types and §3.12 guest) as jco hands them to JS:
// variants are { tag, val } (no val for payload-less cases), option none is undefined, u64 is bigint,
// s32/u32/u16/u8 are number, enums are kebab-case strings, records have camelCase fields.

// ---- §3.1 types ----

export type PlayerId = bigint;
export type ServerId = string;
export type ProtocolVersion = number;
export type TaskHandle = bigint;
export type ListenerHandle = bigint;
export type HandlerId = bigint;
export type Uuid = string;
export type EventPriority = number;
/** A serialized JSON text component. */
export type Component = string;

export type ConnectionState = 'handshake' | 'status' | 'login' | 'configuration' | 'play';
export type PacketDirection = 'serverbound' | 'clientbound';
export type ServerState = 'online' | 'offline' | 'starting' | 'stopping' | 'sleeping' | 'crashed';
export type ProxyMode = 'passthrough' | 'zero-copy' | 'client-only' | 'offline' | 'server-only';
export type PermissionLevel = 'player' | 'admin';

export interface ProfileProperty {
  name: string;
  value: string;
  signature: string | undefined;
}

export interface GameProfile {
  uuid: Uuid;
  username: string;
  properties: ProfileProperty[];
}

export interface ServerAddress {
  host: string;
  port: number;
}

export interface ServerConfig {
  id: ServerId;
  network: string | undefined;
  addresses: ServerAddress[];
  domains: string[];
  proxyMode: ProxyMode;
  limboHandlers: string[];
  maxPlayers: number;
  disconnectMessage: string | undefined;
  sendProxyProtocol: boolean;
  hasServerManager: boolean;
}

export interface TitleData {
  title: Component;
  subtitle: Component;
  fadeInTicks: number;
  stayTicks: number;
  fadeOutTicks: number;
}

export interface RawPacket {
  packetId: number;
  data: Uint8Array;
}

export type BanTarget =
  | { tag: 'ip'; val: string }
  | { tag: 'username'; val: string }
  | { tag: 'uuid'; val: Uuid };

export interface BanEntry {
  target: BanTarget;
  reason: string | undefined;
  /** Unix ms; undefined = permanent. */
  expiresAt: bigint | undefined;
  /** Unix ms. */
  createdAt: bigint;
  source: string;
}

export interface PluginDependency {
  id: string;
  optional: boolean;
}

export interface PluginMetadata {
  id: string;
  name: string;
  version: string;
  authors: string[];
  description: string | undefined;
  dependencies: PluginDependency[];
}

export type PlayerError =
  | { tag: 'not-active' }
  | { tag: 'disconnected' }
  | { tag: 'send-failed'; val: string }
  | { tag: 'server-not-found'; val: string }
  | { tag: 'switch-failed'; val: string };

export type ServiceError =
  | { tag: 'not-found'; val: string }
  | { tag: 'operation-failed'; val: string }
  | { tag: 'unavailable'; val: string };

/** `result<T, E>` as a value (jco itself maps an import's err to a thrown ComponentError with `.payload`). */
export type WitResult<T, E> = { tag: 'ok'; val: T } | { tag: 'err'; val: E };

// ---- §3.12 guest: event records and results ----

export interface PreLoginEvent {
  profile: GameProfile;
  remoteAddr: string;
  protocolVersion: ProtocolVersion;
  serverDomain: string;
}

export type PreLoginResult =
  | { tag: 'allowed' }
  | { tag: 'denied'; val: Component }
  | { tag: 'force-offline' }
  | { tag: 'force-online' };

export interface PostLoginEvent {
  profile: GameProfile;
  playerId: PlayerId;
  protocolVersion: ProtocolVersion;
}

export interface DisconnectEvent {
  playerId: PlayerId;
  username: string;
  lastServer: ServerId | undefined;
}

export interface OnlineAuthFailedEvent {
  username: string;
}

export interface PermissionsSetupEvent {
  playerId: PlayerId;
  profile: GameProfile;
  onlineMode: boolean;
}

export type PermissionsSetupResult = { tag: 'use-default' } | { tag: 'custom'; val: HandlerId };

export interface ServerPreConnectEvent {
  playerId: PlayerId;
  profile: GameProfile;
  originalServer: ServerId;
}

export type ServerPreConnectResult =
  | { tag: 'allowed' }
  | { tag: 'connect-to'; val: ServerId }
  | { tag: 'send-to-limbo'; val: string[] }
  | { tag: 'denied'; val: Component };

export interface ServerConnectedEvent {
  playerId: PlayerId;
  server: ServerId;
}

export interface ServerSwitchEvent {
  playerId: PlayerId;
  previousServer: ServerId;
  newServer: ServerId;
}

export interface KickedFromServerEvent {
  playerId: PlayerId;
  server: ServerId;
  reason: Component;
}

export type KickedFromServerResult =
  | { tag: 'disconnect-player'; val: Component }
  | { tag: 'redirect-to'; val: ServerId }
  | { tag: 'send-to-limbo'; val: string[] }
  | { tag: 'notify'; val: Component };

export interface PlayerChooseInitialServerEvent {
  playerId: PlayerId;
  profile: GameProfile;
  initialServer: ServerId;
}

export type PlayerChooseInitialServerResult =
  | { tag: 'allowed' }
  | { tag: 'redirect'; val: ServerId }
  | { tag: 'send-to-limbo'; val: string[] };

export interface PingResponse {
  description: Component;
  maxPlayers: number;
  onlinePlayers: number;
  protocolVersion: ProtocolVersion;
  versionName: string;
  /** A `data:image/png;base64,...` URL. */
  favicon: string | undefined;
}

export interface ProxyPingEvent {
  remoteAddr: string;
  response: PingResponse;
}

export interface ServerStateChangeEvent {
  server: ServerId;
  oldState: ServerState;
  newState: ServerState;
}

export interface ChatMessageEvent {
  playerId: PlayerId;
  message: string;
}

export type ChatMessageResult =
  | { tag: 'allow' }
  | { tag: 'deny'; val: Component }
  | { tag: 'modify'; val: string };

export interface RawPacketEvent {
  playerId: PlayerId;
  direction: PacketDirection;
  packet: RawPacket;
}

export type RawPacketResult = { tag: 'pass' } | { tag: 'modify'; val: RawPacket } | { tag: 'drop' };

/** The `event` variant, cases in contract order. */
export type GuestEvent =
  | { tag: 'pre-login'; val: PreLoginEvent }
  | { tag: 'post-login'; val: PostLoginEvent }
  | { tag: 'disconnect'; val: DisconnectEvent }
  | { tag: 'online-auth-failed'; val: OnlineAuthFailedEvent }
  | { tag: 'permissions-setup'; val: PermissionsSetupEvent }
  | { tag: 'server-pre-connect'; val: ServerPreConnectEvent }
  | { tag: 'server-connected'; val: ServerConnectedEvent }
  | { tag: 'server-switch'; val: ServerSwitchEvent }
  | { tag: 'kicked-from-server'; val: KickedFromServerEvent }
  | { tag: 'player-choose-initial-server'; val: PlayerChooseInitialServerEvent }
  | { tag: 'proxy-ping'; val: ProxyPingEvent }
  | { tag: 'proxy-initialize' }
  | { tag: 'proxy-shutdown' }
  | { tag: 'config-reload' }
  | { tag: 'server-state-change'; val: ServerStateChangeEvent }
  | { tag: 'chat-message'; val: ChatMessageEvent }
  | { tag: 'raw-packet'; val: RawPacketEvent };

/** `event-kind` cases in contract order (same names as the `event` cases). */
export const EVENT_KINDS = [
  'pre-login',
  'post-login',
  'disconnect',
  'online-auth-failed',
  'permissions-setup',
  'server-pre-connect',
  'server-connected',
  'server-switch',
  'kicked-from-server',
  'player-choose-initial-server',
  'proxy-ping',
  'proxy-initialize',
  'proxy-shutdown',
  'config-reload',
  'server-state-change',
  'chat-message',
  'raw-packet',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** The `event-outcome` variant; its case order differs from `event`'s. */
export type EventOutcome =
  | { tag: 'none' }
  | { tag: 'pre-login'; val: PreLoginResult }
  | { tag: 'server-pre-connect'; val: ServerPreConnectResult }
  | { tag: 'kicked-from-server'; val: KickedFromServerResult }
  | { tag: 'player-choose-initial-server'; val: PlayerChooseInitialServerResult }
  | { tag: 'chat-message'; val: ChatMessageResult }
  | { tag: 'proxy-ping'; val: PingResponse }
  | { tag: 'permissions-setup'; val: PermissionsSetupResult }
  | { tag: 'raw-packet'; val: RawPacketResult };

/** Delivers events to plugins; implemented by the plugin runtime. */
export interface EventDispatcher {
  /** true when any plugin listens to this kind: the proxy skips building events nobody wants. */
  hasListeners(kind: EventKind): boolean;
  /** Runs listeners in ascending priority; each starts from an unset result. Returns the non-none outcomes in call order. */
  dispatch(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]>;
}

/** The player actions beyond disconnect (player-registry's resource methods); only decoding proxy modes perform them. */
export type PlayerAction =
  | { kind: 'message'; component: Component }
  | { kind: 'action-bar'; component: Component }
  | { kind: 'title'; title: TitleData }
  | { kind: 'packet'; packet: RawPacket }
  | { kind: 'switch'; server: ServerId };
