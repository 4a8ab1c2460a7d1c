// The panel's actions that reach past this proxy: a ban by value (shared with the network in cluster mode),
// and disconnecting or banning a player another proxy holds (asked of that proxy through the cluster).
import type { ActionResult } from '../../shared/control-api';
import type { BanBy } from '../../shared/live-views';
import type { PlayerView } from '../../shared/proxy-views';
import type { Host } from '../host/host';
import { ipOf } from '../cluster/remote-network';

export interface BanByValue {
  by: BanBy;
  value: string;
  reason?: string;
  durationMinutes?: number;
}

/** Bans `value`; in cluster mode every proxy refuses it and disconnects whoever it covers. */
export async function banValue(host: Host, req: BanByValue): Promise<ActionResult> {
  if (!host.proxy) return { ok: false, error: 'the proxy is not running' };
  const reason = req.reason?.trim() || undefined;
  const durationMs = req.durationMinutes ? req.durationMinutes * 60_000 : undefined;
  const r = await host.proxy.bans.ban({ tag: req.by, val: req.value }, reason, durationMs, 'panel');
  return r.tag === 'ok' ? { ok: true } : { ok: false, error: `${r.val.tag}: ${r.val.val}` };
}

/** A player of the network held by another proxy, by the id this panel shows; undefined for local or unknown ids. */
export function remotePlayer(host: Host, id: string): PlayerView | undefined {
  if (!host.cluster) return undefined;
  return host.players().find((p) => p.id === id && p.proxy !== undefined && p.proxy !== host.cluster!.id);
}

export function disconnectRemote(host: Host, player: PlayerView): ActionResult {
  const holder = host.cluster?.view.list().find((p) => p.record.id === player.proxy);
  const held = holder && [...holder.players.values()].find((p) => p.uuid === player.uuid && p.username === player.username);
  if (!held) return { ok: false, error: `player ${player.id} is not online` };
  const sent = host.cluster?.kickRemote(player.proxy!, held.localId, 'Disconnected by an administrator');
  return sent ? { ok: true } : { ok: false, error: 'Redis is unreachable: the proxy holding this player cannot be reached' };
}

/** Bans a remote player by name, uuid or ip; the ban reaches their proxy, which disconnects them. */
export function banRemote(host: Host, player: PlayerView, req: Omit<BanByValue, 'value'>): Promise<ActionResult> {
  const value = req.by === 'username' ? player.username : req.by === 'uuid' ? player.uuid : ipOf(player.remoteAddr);
  return banValue(host, { ...req, value });
}
