// 0.3.0 limbo values against the proxy's (0.2.3-shaped) limbo: handler results with component arenas
// become JSON text (invalid text applies as a placeholder, §4.4), entry contexts and the limbo-enter /
// limbo-exit events go the other way.
import type { GameProfile } from '../../contract/guest-types';
import type { HandlerResult, LimboEntryContext, LimboExitReason, TimeoutOutcome } from '../../contract/limbo-types';
import type { Ev, Limbo } from './contract-030';
import { arenaFromComponentString, checkArena, componentStringOf } from './text-arena';
import { playerRef } from './values';

/** §4.7: what a player is told when the handler holding them faults or loses its instance. */
export const LIMBO_UNAVAILABLE = JSON.stringify({ text: 'Limbo handler unavailable' });

function timeoutFrom030(o: Limbo.TimeoutOutcome): TimeoutOutcome {
  return o.tag === 'deny' ? { tag: 'deny', val: componentStringOf(o.val) } : o;
}

export function handlerResultFrom030(r: Limbo.HandlerResult): HandlerResult {
  if (r.tag === 'hold-with-timeout') return { tag: 'hold-with-timeout', val: { afterMs: r.val.afterMs, onTimeout: timeoutFrom030(r.val.onTimeout) } };
  if (r.tag === 'deny') return { tag: 'deny', val: componentStringOf(r.val) };
  return r;
}

/** Why `complete` refuses an outcome (§4.7), or null: invalid text, or a new hold. */
export function completeProblem(r: Limbo.HandlerResult): string | null {
  if (r.tag === 'hold' || r.tag === 'hold-with-timeout') return 'complete cannot start a new hold; the current hold is kept';
  try {
    if (r.tag === 'deny') checkArena(r.val);
  } catch (err) {
    return `invalid text component: ${(err as Error).message}`;
  }
  return null;
}

export function entryContext030(c: LimboEntryContext): Limbo.LimboEntryContext {
  return c.tag === 'kicked-from-server' ? { tag: 'kicked-from-server', val: [c.val[0], arenaFromComponentString(c.val[1])] } : c;
}

export function limboEnterEvent(player: { id: bigint; profile: GameProfile }, handlers: string[], context: LimboEntryContext): Ev.Event {
  return { tag: 'limbo-enter', val: { player: playerRef(player.id, player.profile), handlers, context: entryContext030(context) } };
}

export function limboExitEvent(player: { id: bigint; profile: GameProfile }, reason: LimboExitReason, nextServer: string | undefined): Ev.Event {
  const r: Ev.LimboExitReason = reason.tag === 'kicked' ? { tag: 'kicked', val: arenaFromComponentString(reason.val) } : reason;
  return { tag: 'limbo-exit', val: { player: playerRef(player.id, player.profile), reason: r, nextServer } };
}
