// What a failed guest call means for its plugin. Contract 0.2.3: a trap, a deadline, the memory cap or a
// broken host call poisons the plugin (stopped until the user acts); a clean err(...) only fails the call.
import type { PoisonCause } from '../../shared/plugin-state';
import { GuestFailure } from '../guest/guest-process';

/** The poison cause of a failure, or null when the instance may be kept (err, or a failed instantiate). */
export function poisonCauseOf(err: unknown): PoisonCause | null {
  if (!(err instanceof GuestFailure) || !err.poisons || err.kind === 'instantiate') return null;
  return err.kind === 'crash' ? 'host-error' : (err.kind as PoisonCause);
}

/** Whether a failed call lost the instance (anything but err(...)). */
export const losesInstance = (err: unknown): boolean => err instanceof GuestFailure && err.poisons;

export function causeLabel(cause: PoisonCause): string {
  return { trap: 'trapped', 'cpu-deadline': 'CPU deadline exceeded', memory: 'memory limit reached', 'host-error': 'host error' }[cause];
}
