// Answers to decision events. An `on(...)` handler returns one of these (or nothing to keep the proxy's
// own decision); the kit wraps it in the event-outcome case of its event. Reasons and messages take a
// component (see text.ts) or plain text.
import type {
  ChatMessageResult,
  KickedFromServerResult,
  PlayerChooseInitialServerResult,
  PreLoginResult,
  RawPacketResult,
  ServerPreConnectResult,
} from 'infrarust:plugin/guest@0.2.3';
import type { Component, RawPacket, ServerId } from 'infrarust:plugin/types@0.2.3';
import { text } from './text';

/** A component as is when it is one (JSON), else plain text made into one. */
const asComponent = (c: Component): Component => (/^\s*[{["]/.test(c) ? c : text(c));

export const preLogin = {
  allow: (): PreLoginResult => ({ tag: 'allowed' }),
  deny: (reason: Component): PreLoginResult => ({ tag: 'denied', val: asComponent(reason) }),
  forceOffline: (): PreLoginResult => ({ tag: 'force-offline' }),
  forceOnline: (): PreLoginResult => ({ tag: 'force-online' }),
};

export const chooseInitialServer = {
  allow: (): PlayerChooseInitialServerResult => ({ tag: 'allowed' }),
  redirect: (server: ServerId): PlayerChooseInitialServerResult => ({ tag: 'redirect', val: server }),
  sendToLimbo: (handlers: string[]): PlayerChooseInitialServerResult => ({ tag: 'send-to-limbo', val: handlers }),
};

export const serverPreConnect = {
  allow: (): ServerPreConnectResult => ({ tag: 'allowed' }),
  connectTo: (server: ServerId): ServerPreConnectResult => ({ tag: 'connect-to', val: server }),
  sendToLimbo: (handlers: string[]): ServerPreConnectResult => ({ tag: 'send-to-limbo', val: handlers }),
  deny: (reason: Component): ServerPreConnectResult => ({ tag: 'denied', val: asComponent(reason) }),
};

export const kickedFromServer = {
  disconnect: (reason: Component): KickedFromServerResult => ({ tag: 'disconnect-player', val: asComponent(reason) }),
  redirectTo: (server: ServerId): KickedFromServerResult => ({ tag: 'redirect-to', val: server }),
  sendToLimbo: (handlers: string[]): KickedFromServerResult => ({ tag: 'send-to-limbo', val: handlers }),
  notify: (message: Component): KickedFromServerResult => ({ tag: 'notify', val: asComponent(message) }),
};

export const chatMessage = {
  allow: (): ChatMessageResult => ({ tag: 'allow' }),
  deny: (reason: Component): ChatMessageResult => ({ tag: 'deny', val: asComponent(reason) }),
  modify: (message: string): ChatMessageResult => ({ tag: 'modify', val: message }),
};

export const rawPacket = {
  pass: (): RawPacketResult => ({ tag: 'pass' }),
  modify: (packet: RawPacket): RawPacketResult => ({ tag: 'modify', val: packet }),
  drop: (): RawPacketResult => ({ tag: 'drop' }),
};
