// The packets behind the contract's player actions, per version: system chat, action bar, title,
// disconnect. 1.8 has one `chat` packet with a position and one `title` packet with an action; 1.20.2+
// have system_chat and set_title_*; from 1.20.3 text travels as NBT.

import type { TitleData } from '../contract/guest-types.ts';
import type { VersionCodec, WireState } from './decoded-protocol.ts';
import { writeVarInt } from './packet-codec.ts';
import { wireText } from './text-nbt.ts';

export function systemMessage(codec: VersionCodec, component: string, actionBar = false): Buffer {
  if (!codec.hasConfiguration) {
    return codec.encode('play', 'toClient', { name: 'chat', params: { message: wireText(component, false), position: actionBar ? 2 : 1 } });
  }
  return codec.encode('play', 'toClient', { name: 'system_chat', params: { content: wireText(component, codec.nbtText), isActionBar: actionBar } });
}

export function titlePackets(codec: VersionCodec, t: TitleData): Buffer[] {
  const times = { fadeIn: t.fadeInTicks, stay: t.stayTicks, fadeOut: t.fadeOutTicks };
  if (!codec.hasConfiguration) {
    const title = (action: number, params: Record<string, unknown>) => codec.encode('play', 'toClient', { name: 'title', params: { action, ...params } });
    return [title(2, times), title(1, { text: wireText(t.subtitle, false) }), title(0, { text: wireText(t.title, false) })];
  }
  const text = (c: string) => ({ text: wireText(c, codec.nbtText) });
  return [
    codec.encode('play', 'toClient', { name: 'set_title_time', params: times }),
    codec.encode('play', 'toClient', { name: 'set_title_subtitle', params: text(t.subtitle) }),
    codec.encode('play', 'toClient', { name: 'set_title_text', params: text(t.title) }),
  ];
}

/** The disconnect packet of the client's current state (Login Disconnect is always JSON text). */
export function disconnectPacket(codec: VersionCodec, state: WireState, component: string): Buffer {
  if (state === 'login') return codec.encode('login', 'toClient', { name: 'disconnect', params: { reason: wireText(component, false) } });
  const name = state === 'play' ? 'kick_disconnect' : 'disconnect';
  return codec.encode(state, 'toClient', { name, params: { reason: wireText(component, codec.nbtText) } });
}

/** A plugin's raw packet: its id and bytes, unchecked (the raw-packet capability says the plugin knows the protocol). */
export function rawPacket(packetId: number, data: Uint8Array): Buffer {
  return Buffer.concat([writeVarInt(packetId), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
