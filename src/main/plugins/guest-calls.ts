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
  if (!slot?.guest || slot.view.state !== 'enabled') return undefined;
  const started = performance.now();
  try {
    const result = await slot.guest.call(fn, args, ctx.timeoutMs);
    ctx.metrics.record(slot.view.id, performance.now() - started);
    return result;
  } catch (err) {
    if (losesInstance(err)) await ctx.onFault(slot, err);
    else ctx.log(`${fn} failed: ${(err as Error).message}`);
    return undefined;
  }
}

/** A provider export's answer (§4.6): its value, its err(...), or no answer at all (not enabled, a fault). */
export type ProviderAnswer = { ok: true; value: unknown } | { ok: false; fault: boolean; message: string };

/** Like callEnabledGuest, but says why there was no answer: a provider's caller treats err and fault apart. */
export async function callProviderGuest(slot: Slot | undefined, fn: GuestExport, args: unknown[], ctx: GuestCallContext): Promise<ProviderAnswer> {
  if (!slot?.guest || slot.view.state !== 'enabled') return { ok: false, fault: true, message: `the plugin is ${slot ? slot.view.state : 'not loaded'}` };
  const started = performance.now();
  try {
    const value = await slot.guest.call(fn, args, ctx.timeoutMs);
    ctx.metrics.record(slot.view.id, performance.now() - started);
    return { ok: true, value };
  } catch (err) {
    const fault = losesInstance(err);
    if (fault) await ctx.onFault(slot, err);
    return { ok: false, fault, message: (err as Error).message };
  }
}
