// The argument and answer shapes of the guest exports that differ between the contracts (§3.21).
import type { ContractVersion } from '../../../shared/contract/contracts';
import type { PlayerSnapshot } from '../contract-services';
import type { NamedEvent, NamedResult } from '../event-router';
import type { Ev, Registry } from './contract-030';
import type { Recovery } from './recovery';
import { playerRef } from './values';
import type { PluginView } from '../../../shared/plugin-state';

export type EnableReason = { tag: 'initial' } | { tag: 'recovered'; val: { attempt: number; cause: string } };

export const enableArgs = (contract: ContractVersion | null, reason: EnableReason = { tag: 'initial' }): unknown[] => (contract === '0.3.0' ? [reason] : []);
export const disableArgs = (contract: ContractVersion | null, why: 'shutdown' | 'unload'): unknown[] => (contract === '0.3.0' ? [why] : []);

const sender = (player: PlayerSnapshot | undefined) => (player ? { tag: 'player', val: playerRef(player.id, player.profile) } : { tag: 'console' });

/** handle-command's arguments: 0.2.3 (callback, args, player?) or 0.3.0 (handler, invocation). */
export function commandArgs(contract: ContractVersion | null, callbackId: bigint, label: string, args: string[], player: PlayerSnapshot | undefined, playerId?: bigint): unknown[] {
  if (contract !== '0.3.0') return [callbackId, args, playerId];
  return [callbackId, { label, args, raw: [label, ...args].join(' '), sender: sender(player) }];
}

/** tab-complete's arguments: 0.2.3 (callback, partial, cursor) or 0.3.0 (handler, sender, args, cursor). */
export function completionArgs(contract: ContractVersion | null, callbackId: bigint, partial: string[], player?: PlayerSnapshot): unknown[] {
  const cursor = partial.join(' ').length;
  return contract === '0.3.0' ? [callbackId, sender(player), partial, cursor] : [callbackId, partial, cursor];
}

/** The suggestion texts of either contract's answer. */
export function completionsOf(out: unknown): string[] {
  if (!Array.isArray(out)) return [];
  return out.map((s: unknown) => (typeof s === 'string' ? s : String((s as { text?: unknown })?.text ?? ''))).filter((s) => s !== '');
}

export function namedEvent030(e: NamedEvent, current: NamedResult): Ev.Event {
  return { tag: 'named-event', val: { ...e, result: current } };
}

export function namedResultOf(outcome: Ev.EventOutcome | undefined): NamedResult | undefined {
  return outcome?.tag === 'named-event' ? outcome.val : undefined;
}

/** plugin-registry's view of a plugin (§3.17); health is none for a native plugin. */
export function pluginInfo(view: PluginView, recovery: Recovery, now: number): Registry.PluginInfo | null {
  const md = view.metadata;
  if (!md || view.id.startsWith('file:')) return null;
  let health: Registry.PluginHealth | undefined;
  if (view.kind === 'wasm') {
    const wait = recovery.nextAt === null ? undefined : BigInt(Math.max(0, recovery.nextAt - now));
    if (view.state === 'enabled') health = { tag: 'healthy' };
    else if (recovery.quarantined) health = { tag: 'quarantined', val: wait ?? 0n };
    else if (recovery.timer) health = { tag: 'recovering', val: wait };
    else health = { tag: 'stopped' };
  }
  return {
    id: view.id,
    name: md.name,
    version: md.version,
    authors: md.authors,
    description: md.description ?? undefined,
    state: view.state,
    dependencies: md.dependencies,
    health,
  };
}
