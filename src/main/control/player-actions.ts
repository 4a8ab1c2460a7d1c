// The panel's actions on live players and bans. Bans go through the proxy's BanStore, the same store the
// contract's ban-service gives plugins, so a ban from the panel and one from a plugin are the same thing.
import type { ActionResult } from '../../shared/control-api';
import type { BanBy, BanView } from '../../shared/live-views';
import { parseHostPort } from '../config/host-port';
import type { BanTarget, PlayerError, ServiceError } from '../contract/guest-types';
import type { PlayerInfo } from '../proxy/player-registry';
import type { Proxy } from '../proxy/proxy';
import { componentJson } from '../proxy/text-component';

const PLAYER_ID = /^[1-9][0-9]{0,18}$/;

export interface BanRequest {
  id: string;
  by: BanBy;
  reason?: string;
  durationMinutes?: number;
}

export function disconnectPlayer(proxy: Proxy, id: string, reason = 'Disconnected by an administrator'): ActionResult {
  const player = livePlayer(proxy, id);
  if (!player) return { ok: false, error: `player ${id} is not online` };
  proxy.players.disconnect(player.id, componentJson(reason));
  return { ok: true };
}

/** Plain text as a system message; players of passthrough servers answer why not. */
export async function messagePlayer(proxy: Proxy, id: string, message: string): Promise<ActionResult> {
  const player = livePlayer(proxy, id);
  if (!player) return { ok: false, error: `player ${id} is not online` };
  if (message.trim() === '') return { ok: false, error: 'the message is empty' };
  return result(await proxy.players.act(player.id, { kind: 'message', component: JSON.stringify({ text: message }) }));
}

/** Moves the player without reconnecting them; a refusing or unreachable target leaves them where they are. */
export async function movePlayer(proxy: Proxy, id: string, server: string): Promise<ActionResult> {
  const player = livePlayer(proxy, id);
  if (!player) return { ok: false, error: `player ${id} is not online` };
  return result(await proxy.players.act(player.id, { kind: 'switch', server }));
}

function result(error: PlayerError | undefined): ActionResult {
  if (!error) return { ok: true };
  if (error.tag === 'disconnected') return { ok: false, error: 'the player left' };
  if (error.tag === 'not-active') return { ok: false, error: 'the player is between servers' };
  if (error.tag === 'server-not-found') return { ok: false, error: `no server "${error.val}"` };
  return { ok: false, error: error.val };
}

/** Bans the player's name, uuid or ip, then disconnects them (a ban alone only stops the next login). */
export async function banPlayer(proxy: Proxy, req: BanRequest): Promise<ActionResult> {
  const player = livePlayer(proxy, req.id);
  if (!player) return { ok: false, error: `player ${req.id} is not online` };
  const target = targetOf(player, req.by);
  if (!target) return { ok: false, error: `cannot tell the ip of ${player.profile.username} (${player.remoteAddr})` };
  const durationMs = req.durationMinutes ? req.durationMinutes * 60_000 : undefined;
  const reason = req.reason?.trim() || undefined;
  const banned = await proxy.bans.ban(target, reason, durationMs, 'panel');
  if (banned.tag === 'err') return { ok: false, error: serviceError(banned.val) };
  proxy.players.disconnect(player.id, componentJson(reason ?? 'You are banned from this server'));
  return { ok: true };
}

export async function listBans(proxy: Proxy): Promise<BanView[]> {
  const all = await proxy.bans.getAllBans();
  if (all.tag === 'err') throw new Error(serviceError(all.val));
  return all.val
    .map((b) => ({
      by: b.target.tag,
      value: b.target.val,
      reason: b.reason ?? null,
      expiresAt: b.expiresAt === undefined ? null : Number(b.expiresAt),
      createdAt: Number(b.createdAt),
      source: b.source,
    }))
    .sort((a, b) => b.createdAt - a.createdAt);
}

export async function unban(proxy: Proxy, by: BanBy, value: string): Promise<ActionResult> {
  const removed = await proxy.bans.unban({ tag: by, val: value }, 'panel');
  if (removed.tag === 'err') return { ok: false, error: serviceError(removed.val) };
  return removed.val ? { ok: true } : { ok: false, error: `no ${by} ban on "${value}"` };
}

function livePlayer(proxy: Proxy, id: string): PlayerInfo | undefined {
  return PLAYER_ID.test(id) ? proxy.players.get(BigInt(id)) : undefined;
}

function targetOf(player: PlayerInfo, by: BanBy): BanTarget | undefined {
  if (by === 'username') return { tag: 'username', val: player.profile.username };
  if (by === 'uuid') return { tag: 'uuid', val: player.profile.uuid };
  const ip = parseHostPort(player.remoteAddr)?.host;
  return ip ? { tag: 'ip', val: ip } : undefined;
}

function serviceError(e: ServiceError): string {
  return `${e.tag}: ${e.val}`;
}
