// Load order follows dependencies (0.3.0 §4.9): each plugin is activated after its hard dependencies, the
// others in parallel. A dependency cycle is cut where it closes; its members then fail the dependency check.
import type { Slot } from './plugin-slot';

export function activateInOrder(slots: Slot[], activate: (slot: Slot) => Promise<void>): Promise<void> {
  const started = new Map<Slot, Promise<void>>();
  const run = (slot: Slot, chain: Set<Slot>): Promise<void> => {
    let p = started.get(slot);
    if (!p) {
      const deps = (slot.view.metadata?.dependencies ?? []).filter((d) => !d.optional).map((d) => slots.find((s) => s.view.id === d.id));
      const before = deps.filter((d): d is Slot => d !== undefined && !chain.has(d));
      const next = new Set([...chain, slot]);
      p = Promise.all(before.map((d) => run(d, next))).then(() => activate(slot));
      started.set(slot, p);
    }
    return p;
  };
  return Promise.all(slots.map((s) => run(s, new Set()))).then(() => undefined);
}
