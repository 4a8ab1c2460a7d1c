// Recovery of a 0.3.0 plugin after a fault (§4.9), against the slot lifecycle through RecoveryHost: the instance
// is dropped, then a fresh one is enabled with on-enable(recovered { attempt, cause }) at once while the
// restart budget lasts, or after a quarantine. An err or a fault of the fresh instance counts as a failed
// restart and goes round again.
import type { PluginState, PoisonCause } from '../../../shared/plugin-state';
import { poisonCauseOf } from '../fault-model';
import type { Slot } from '../plugin-slot';
import type { EnableReason } from './guest-030';
import { recoveryCause } from './recovery';

export interface RecoveryHost {
  deadlineHit(pluginId: string): void;
  /** Terminates the instance and forgets what goes with it. */
  dropInstance(slot: Slot): Promise<void>;
  setState(slot: Slot, state: PluginState, reason: string | null, cause?: PoisonCause | null): void;
  /** Runs `fn` after the slot's other lifecycle operations. */
  later(slot: Slot, fn: () => Promise<void>): void;
  /** Instantiates and enables a fresh instance; false when the slot no longer wants one (unloaded, shutting down). */
  startInstance(slot: Slot, reason: EnableReason): Promise<boolean>;
}

export async function recoverSlot(host: RecoveryHost, slot: Slot, cause: PoisonCause | 'err', message: string): Promise<void> {
  if (cause === 'cpu-deadline') host.deadlineHit(slot.view.id);
  await host.dropInstance(slot);
  const text = cause === 'err' ? message : recoveryCause(cause, message);
  const now = Date.now();
  const step = slot.recovery.next(now);
  const delay = step.kind === 'restart' ? 0 : step.ms;
  slot.recovery.quarantined = step.kind === 'quarantine';
  slot.recovery.nextAt = now + delay;
  if (step.kind === 'restart') host.setState(slot, 'loading', `recovering after a fault (${text}); attempt ${step.attempt}`);
  else host.setState(slot, 'poisoned', `quarantined for ${delay} ms after more than 5 restarts in 5 minutes; last fault: ${text}`, cause === 'err' ? 'trap' : cause);
  const reason: EnableReason = { tag: 'recovered', val: { attempt: step.attempt, cause: text } };
  slot.recovery.timer = setTimeout(() => {
    slot.recovery.cancel();
    host.later(slot, () => restart(host, slot, reason));
  }, delay);
  slot.recovery.timer.unref();
}

async function restart(host: RecoveryHost, slot: Slot, reason: EnableReason): Promise<void> {
  try {
    if (await host.startInstance(slot, reason)) host.setState(slot, 'enabled', null);
  } catch (err) {
    const cause = poisonCauseOf(err);
    await recoverSlot(host, slot, cause ?? 'err', cause ? (err as Error).message : `on-enable failed: ${(err as Error).message}`);
  }
}
