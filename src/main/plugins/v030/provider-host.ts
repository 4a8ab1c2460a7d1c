// What the ban and permission providers (§4.6) need from the plugin manager: the settings naming them,
// calls into a provider's exports with the answer's kind, the players and the event listeners.
import type { HostConfig } from '../../config/types';
import type { GuestExport } from '../../guest/worker-protocol';
import type { ContractServices } from '../contract-services';
import type { GuestCallOutcome } from '../guest-calls';
import type { Ev } from './contract-030';
import { waitLimitMs } from './waits';

export interface ProviderHost {
  config(): HostConfig;
  /** One export call on an enabled 0.3.0 plugin, under `timeoutMs`. */
  call(pluginId: string, fn: GuestExport, args: unknown[], timeoutMs: number): Promise<GuestCallOutcome>;
  players: ContractServices['players'];
  /** The 0.3.0 listeners of a kind, in delivery order. */
  listeners(kind: string): { pluginId: string; handle: bigint }[];
  /** handle-event on one 0.3.0 listener; undefined when it could not answer. */
  deliver(pluginId: string, handle: bigint, event: Ev.Event): Promise<Ev.EventOutcome | undefined>;
  log(pluginId: string, level: 'info' | 'warn' | 'error', message: string): void;
}

/**
 * The deadline of a provider call (§4.3): the wait limit under `call_timeout_ms` (waits.ts), or `cap`
 * (e.g. `[ban] check_timeout`) when it comes first.
 */
export function providerDeadline(callTimeoutMs: number, cap = Infinity): number {
  return Math.max(1, waitLimitMs(callTimeoutMs, cap));
}

/** Why a provider call gave no answer, for logs and error messages. */
export function noAnswer(o: Exclude<GuestCallOutcome, { tag: 'ok' }>): string {
  return o.tag === 'not-running' ? 'the plugin is not running (recovering, quarantined or stopped)' : o.message;
}
