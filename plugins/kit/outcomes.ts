// 0.3.0 results for decision events. An `on(...)` handler returns one of these to set its event's result
// (or nothing to leave the current one). Reasons and messages take a component (see text.ts) or plain text.
import type {
  ChatMessageResult,
  CommandExecuteResult,
  ConnectionHandshakeResult,
  KickedFromServerResult,
  LoginResult,
  PermissionsSetupResult,
  PlayerChooseInitialServerResult,
  PluginMessageResult,
  PreLoginResult,
  PreTransferResult,
  RawPacketResult,
  ServerPreConnectResult,
} from 'infrarust:plugin/events@0.3.0';
import type { PermissionSnapshot } from 'infrarust:plugin/permissions@0.3.0';
import type { Component, RawPacket, ServerAddress, ServerId } from 'infrarust:plugin/types@0.3.0';
import { asComponent } from './text';

type Text = Component | string;
const optional = (reason: Text | undefined): Component | undefined => (reason === undefined ? undefined : asComponent(reason));

export const preLogin = {
  allow: (): PreLoginResult => ({ tag: 'allowed' }),
  deny: (reason: Text): PreLoginResult => ({ tag: 'denied', val: asComponent(reason) }),
  forceOffline: (): PreLoginResult => ({ tag: 'force-offline' }),
  forceOnline: (): PreLoginResult => ({ tag: 'force-online' }),
};

export const chooseInitialServer = {
  allow: (): PlayerChooseInitialServerResult => ({ tag: 'allowed' }),
  redirect: (server: ServerId): PlayerChooseInitialServerResult => ({ tag: 'redirect', val: server }),
  sendToLimbo: (handlers: string[]): PlayerChooseInitialServerResult => ({ tag: 'send-to-limbo', val: handlers }),
  deny: (reason: Text): PlayerChooseInitialServerResult => ({ tag: 'denied', val: asComponent(reason) }),
};

export const serverPreConnect = {
  allow: (): ServerPreConnectResult => ({ tag: 'allowed' }),
  connectTo: (server: ServerId): ServerPreConnectResult => ({ tag: 'connect-to', val: server }),
  sendToLimbo: (handlers: string[]): ServerPreConnectResult => ({ tag: 'send-to-limbo', val: handlers }),
  deny: (reason: Text): ServerPreConnectResult => ({ tag: 'denied', val: asComponent(reason) }),
};

export const kickedFromServer = {
  /** Without a reason the player sees the server's own. */
  disconnect: (reason?: Text): KickedFromServerResult => ({ tag: 'disconnect-player', val: optional(reason) }),
  redirectTo: (server: ServerId): KickedFromServerResult => ({ tag: 'redirect-to', val: server }),
  sendToLimbo: (handlers: string[]): KickedFromServerResult => ({ tag: 'send-to-limbo', val: handlers }),
  notify: (message: Text): KickedFromServerResult => ({ tag: 'notify', val: asComponent(message) }),
};

export const chatMessage = {
  allow: (): ChatMessageResult => ({ tag: 'allow' }),
  deny: (reason?: Text): ChatMessageResult => ({ tag: 'deny', val: optional(reason) }),
  modify: (message: string): ChatMessageResult => ({ tag: 'modify', val: message }),
};

export const commandExecute = {
  allow: (): CommandExecuteResult => ({ tag: 'allow' }),
  deny: (reason?: Text): CommandExecuteResult => ({ tag: 'deny', val: optional(reason) }),
  modify: (command: string): CommandExecuteResult => ({ tag: 'modify', val: command }),
  forwardToBackend: (): CommandExecuteResult => ({ tag: 'forward-to-backend' }),
};

export const connectionHandshake = {
  allow: (): ConnectionHandshakeResult => ({ tag: 'allow' }),
  deny: (reason?: Text): ConnectionHandshakeResult => ({ tag: 'deny', val: optional(reason) }),
  dropSilently: (): ConnectionHandshakeResult => ({ tag: 'drop-silently' }),
};

export const login = {
  allow: (): LoginResult => ({ tag: 'allowed' }),
  deny: (reason: Text): LoginResult => ({ tag: 'denied', val: asComponent(reason) }),
};

export const preTransfer = {
  allow: (): PreTransferResult => ({ tag: 'allowed' }),
  deny: (reason: Text): PreTransferResult => ({ tag: 'denied', val: asComponent(reason) }),
  redirect: (address: ServerAddress): PreTransferResult => ({ tag: 'redirect', val: address }),
};

export const pluginMessage = {
  forward: (): PluginMessageResult => ({ tag: 'forward' }),
  handled: (): PluginMessageResult => ({ tag: 'handled' }),
  replace: (data: Uint8Array): PluginMessageResult => ({ tag: 'replace', val: data }),
};

export const permissionsSetup = {
  useDefault: (): PermissionsSetupResult => ({ tag: 'use-default' }),
  custom: (snapshot: PermissionSnapshot): PermissionsSetupResult => ({ tag: 'custom', val: snapshot }),
};

export const rawPacket = {
  pass: (): RawPacketResult => ({ tag: 'pass' }),
  modify: (packet: RawPacket): RawPacketResult => ({ tag: 'modify', val: packet }),
  drop: (): RawPacketResult => ({ tag: 'drop' }),
};
