// What a failed guest call does to its plugin, against slot-lifecycle.ts through FaultHost: an err(...) fails
// it (stopped with on-disable); a trap, deadline or memory fault poisons a 0.2.3 plugin (no on-disable: the
// instance is gone) and sends a 0.3.0 one to recovery in a fresh instance (v030/recover-slot.ts).
import type { PluginState } from '../../shared/plugin-state';
import { causeLabel, poisonCauseOf } from './fault-model';
import type { Slot } from './plugin-slot';
import { recoverSlot, type RecoveryHost } from './v030/recover-slot';

export interface FaultHost extends RecoveryHost {
  forgetRegistrations(pluginId: string, why: string): void;
  /** Stops the guest (on-disable first) and puts the slot in `state`. */
  stop(slot: Slot, state: PluginState, reason: string): Promise<void>;
}

export async function failSlot(host: FaultHost, slot: Slot, err: unknown): Promise<void> {
  const cause = poisonCauseOf(err);
  if (!cause) return host.stop(slot, 'failed', err instanceof Error ? err.message : String(err));
  const message = (err as Error).message;
  if (slot.kind === 'wasm' && slot.view.contract === '0.3.0') return recoverSlot(host, slot, cause, message);
  if (cause === 'cpu-deadline') host.deadlineHit(slot.view.id);
  const reason = `${causeLabel(cause)}: ${message}`;
  host.forgetRegistrations(slot.view.id, reason);
  slot.lastUsage = slot.guest?.usage;
  await slot.guest?.terminate();
  slot.guest = null;
  host.setState(slot, 'poisoned', reason, cause);
}
