// Calls into an enabled plugin's guest (events, commands, completions, tasks, limbo handlers, codec filters). A failure never reaches
// the caller: a lost instance goes to the plugin's fault model, a clean err(...) is logged.
import type { GuestExport } from '../guest/worker-protocol';
import type { CallMetrics } from './call-metrics';
import { losesInstance } from './fault-model';
import type { Slot } from './plugin-slot';

export interface GuestCallContext {
  timeoutMs: number;
  metrics: CallMetrics;
  /** The instance is gone (trap, deadline, memory, host error): the fault model decides what follows. */
  onFault: (slot: Slot, err: unknown) => Promise<void>;
  log: (message: string) => void;
}

/** Undefined when the plugin is not enabled or the call failed. */
export async function callEnabledGuest(slot: Slot | undefined, fn: GuestExport, args: unknown[], ctx: GuestCallContext): Promise<unknown> {
  const out = await callGuestOutcome(slot, fn, args, ctx);
  return out.tag === 'ok' ? out.val : undefined;
}

/**
 * What a call came to: its value, `not-running` (no enabled instance), `fault` (the instance was lost:
 * trap, deadline, memory, host error) or `err` (a clean err(...), logged).
 */
export type GuestCallOutcome = { tag: 'ok'; val: unknown } | { tag: 'not-running' } | { tag: 'fault'; message: string } | { tag: 'err'; message: string };

export async function callGuestOutcome(slot: Slot | undefined, fn: GuestExport, args: unknown[], ctx: GuestCallContext): Promise<GuestCallOutcome> {
  if (!slot?.guest || slot.view.state !== 'enabled') return { tag: 'not-running' };
  const guest = slot.guest;
  const started = performance.now();
  try {
    const result = await guest.call(fn, args, ctx.timeoutMs);
    ctx.metrics.record(slot.view.id, performance.now() - started);
    return { tag: 'ok', val: result };
  } catch (err) {
    if (losesInstance(err)) {
      // Calls queued on an instance that is already gone fail too: the fault is counted once.
      if (slot.guest === guest) await ctx.onFault(slot, err);
      return { tag: 'fault', message: (err as Error).message };
    }
    ctx.log(`${fn} failed: ${(err as Error).message}`);
    return { tag: 'err', message: (err as Error).message };
  }
}
