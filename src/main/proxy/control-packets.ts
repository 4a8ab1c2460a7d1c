// The packets behind the 0.3.0 player controls, per version, from minecraft-data's definitions: a packet the
// client's version lacks is an `Unsupported` with the reason (boss bars since 1.9, pack ids and pack
// removal since 1.20.3, transfer and cookies since 1.20.5). Text is a JSON string up to 1.20.2, NBT after.

import type { BossBarChange, BossBarState, ResourcePack } from '../contract/player-controls.ts';
import type { VersionCodec } from './decoded-protocol.ts';
import { wireText } from './text-nbt.ts';

/** Why the client's version cannot receive a packet. */
export class Unsupported {
  constructor(readonly reason: string) {}
}

type Built = Buffer | Unsupported;

function play(codec: VersionCodec, name: string, params: Record<string, unknown>, since: string): Built {
  if (codec.id('play', 'toClient', name) === undefined) return new Unsupported(`${codec.version} clients have no ${name.replace(/_/g, ' ')} packet (${since}+)`);
  return codec.encode('play', 'toClient', { name, params });
}

export function tabListPacket(codec: VersionCodec, header: string, footer: string): Built {
  return play(codec, 'playerlist_header', { header: wireText(header, codec.nbtText), footer: wireText(footer, codec.nbtText) }, '1.8');
}

/** 1.8 clears with the title packet's actions 3 (clear) and 4 (reset); 1.17+ has clear_titles. */
export function clearTitlePacket(codec: VersionCodec, reset: boolean): Built {
  if (codec.id('play', 'toClient', 'clear_titles') === undefined) return play(codec, 'title', { action: reset ? 4 : 3 }, '1.8');
  return play(codec, 'clear_titles', { reset }, '1.17');
}

const BOSS_BAR = 'boss_bar';

export function bossBarAdd(codec: VersionCodec, id: string, bar: BossBarState): Built {
  return play(codec, BOSS_BAR, { entityUUID: id, action: 0, title: wireText(bar.title, codec.nbtText), health: bar.progress, color: bar.color, dividers: bar.overlay, flags: bar.flags }, '1.9');
}

export function bossBarRemove(codec: VersionCodec, id: string): Built {
  return play(codec, BOSS_BAR, { entityUUID: id, action: 1 }, '1.9');
}

export function bossBarChange(codec: VersionCodec, id: string, c: BossBarChange): Built {
  const entityUUID = id;
  switch (c.kind) {
    case 'progress':
      return play(codec, BOSS_BAR, { entityUUID, action: 2, health: c.progress }, '1.9');
    case 'title':
      return play(codec, BOSS_BAR, { entityUUID, action: 3, title: wireText(c.title, codec.nbtText) }, '1.9');
    case 'style':
      return play(codec, BOSS_BAR, { entityUUID, action: 4, color: c.color, dividers: c.overlay }, '1.9');
    case 'flags':
      return play(codec, BOSS_BAR, { entityUUID, action: 5, flags: c.flags }, '1.9');
  }
}

/** 1.20.3+ packs have ids (add_resource_pack); before, the one server pack is replaced and the id is not sent. */
export function resourcePackPacket(codec: VersionCodec, p: ResourcePack): Built {
  const hash = p.hash ?? '';
  if (codec.id('play', 'toClient', 'add_resource_pack') !== undefined) {
    const promptMessage = p.prompt === undefined ? undefined : wireText(p.prompt, codec.nbtText);
    return play(codec, 'add_resource_pack', { uuid: p.id, url: p.url, hash, forced: p.required, promptMessage }, '1.20.3');
  }
  if (!codec.hasConfiguration) return play(codec, 'resource_pack_send', { url: p.url, hash }, '1.8');
  const promptMessage = p.prompt === undefined ? undefined : wireText(p.prompt, false);
  return play(codec, 'resource_pack_send', { url: p.url, hash, forced: p.required, promptMessage }, '1.8');
}

export function removeResourcePackPacket(codec: VersionCodec, id: string | undefined): Built {
  return play(codec, 'remove_resource_pack', { uuid: id }, '1.20.3');
}

export function transferPacket(codec: VersionCodec, host: string, port: number): Built {
  return play(codec, 'transfer', { host, port }, '1.20.5');
}

export function storeCookiePacket(codec: VersionCodec, key: string, data: Uint8Array): Built {
  return play(codec, 'store_cookie', { key, value: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }, '1.20.5');
}

export function cookieRequestPacket(codec: VersionCodec, key: string): Built {
  return play(codec, 'cookie_request', { cookie: key }, '1.20.5');
}
