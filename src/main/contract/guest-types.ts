// The 0.2.3 contract's values as jco hands them to JS, under the names the host uses. Every shape comes
// from jco's type generation over wit/0.2.3 (src/shared/contract/generated/, checked against wit/ by
// test/contract-types.test.ts); only host-side helpers are written here.
import type { EventKind } from '../../shared/contract/generated/0.2.3/interfaces/infrarust-plugin-event-bus.js';
import type { Event, EventOutcome } from '../../shared/contract/generated/0.2.3/interfaces/infrarust-plugin-guest.js';
import type { Component, RawPacket, ServerId, TitleData } from '../../shared/contract/generated/0.2.3/interfaces/infrarust-plugin-types.js';

export type {
  BanEntry,
  BanTarget,
  Component,
  ConnectionState,
  GameProfile,
  HandlerId,
  ListenerHandle,
  PacketDirection,
  PermissionLevel,
  PlayerError,
  PlayerId,
  PluginDependency,
  PluginMetadata,
  ProfileProperty,
  ProtocolVersion,
  ProxyMode,
  RawPacket,
  ServerAddress,
  ServerConfig,
  ServerId,
  ServerState,
  ServiceError,
  TaskHandle,
  TitleData,
  Uuid,
} from '../../shared/contract/generated/0.2.3/interfaces/infrarust-plugin-types.js';
export type {
  ChatMessageEvent,
  ChatMessageResult,
  DisconnectEvent,
  EventOutcome,
  KickedFromServerEvent,
  KickedFromServerResult,
  OnlineAuthFailedEvent,
  PermissionsSetupEvent,
  PermissionsSetupResult,
  PingResponse,
  PlayerChooseInitialServerEvent,
  PlayerChooseInitialServerResult,
  PostLoginEvent,
  PreLoginEvent,
  PreLoginResult,
  ProxyPingEvent,
  RawPacketEvent,
  RawPacketResult,
  ServerConnectedEvent,
  ServerPreConnectEvent,
  ServerPreConnectResult,
  ServerStateChangeEvent,
  ServerSwitchEvent,
} from '../../shared/contract/generated/0.2.3/interfaces/infrarust-plugin-guest.js';
export type { EventKind };

/** The `event` variant handed to `handle-event`. */
export type GuestEvent = Event;

/** `result<T, E>` as a value: what a host import returns for an err (jco lowers `{ tag: 'err' }` as is). */
export type WitResult<T, E> = { tag: 'ok'; val: T } | { tag: 'err'; val: E };

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
] as const satisfies readonly EventKind[];
// Fails to compile when wit/ gains a kind this list lacks.
const _everyKind: Exclude<EventKind, (typeof EVENT_KINDS)[number]> extends never ? true : never = true;
void _everyKind;

/** Delivers events to plugins; implemented by the plugin runtime. */
export interface EventDispatcher {
  /** true when any plugin listens to this kind: the proxy skips building events nobody wants. */
  hasListeners(kind: EventKind): boolean;
  /** Runs listeners in ascending priority; each starts from an unset result. Returns the non-none outcomes in call order. */
  dispatch(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]>;
  /**
   * An observe-only event in the background (never awaited by a connection): each listener hears it after
   * the events fired before it, without waiting for other plugins. Without it, `dispatch` is used.
   */
  post?(event: GuestEvent): Promise<{ pluginId: string; outcome: EventOutcome }[]>;
}

/** The player actions beyond disconnect (player-registry's resource methods); only decoding proxy modes perform them. */
export type PlayerAction =
  | { kind: 'message'; component: Component }
  | { kind: 'action-bar'; component: Component }
  | { kind: 'title'; title: TitleData }
  | { kind: 'packet'; packet: RawPacket }
  | { kind: 'switch'; server: ServerId }
  /** A custom payload on a plugin channel, to the client or to the player's backend (0.3.0 messaging). */
  | { kind: 'plugin-message'; to: 'client' | 'backend'; channel: string; data: Uint8Array };
