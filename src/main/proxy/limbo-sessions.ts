// The proxy's live limbo handler runs, by the id their limbo-session resource carries. One id per
// handler run: a handle kept from an earlier handler (or a session that ended) finds nothing, so its
// complete() is a no-op and cancelled() is true.

import type { LimboDispatcher, LimboSessionAccess } from '../contract/limbo-types.ts';

export interface LimboRun extends LimboSessionAccess {
  id: bigint;
  /** The handler holding the player. */
  handler: string;
  /** Ends the run as if its handler had failed (its plugin was poisoned or stopped), or denies the player with `deny`. */
  abandon(why: string, deny?: string): void;
  /** Ends the run with `shutdown` (the proxy stops). */
  shutdown(): void;
}

export class LimboSessions {
  private nextId = 1n;
  private readonly runs = new Map<bigint, LimboRun>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly dispatcher: LimboDispatcher) {
    // A plugin that stops (poisoned, disabled, reloaded) lets go of every player its handlers held.
    dispatcher.onGone((names, why, deny) => {
      for (const run of [...this.runs.values()]) if (names.includes(run.handler)) run.abandon(why, deny);
    });
  }

  add(make: (id: bigint) => LimboRun): LimboRun {
    const id = this.nextId++;
    const run = make(id);
    this.runs.set(id, run);
    this.changed();
    return run;
  }

  remove(id: bigint): void {
    if (this.runs.delete(id)) this.changed();
  }

  /** Told when a player enters or leaves a handler (the panel's players list shows who holds whom). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  get(id: bigint): LimboRun | undefined {
    return this.runs.get(id);
  }

  /** Handler name holding each player in limbo (the panel shows it). */
  holders(): Map<bigint, string> {
    return new Map([...this.runs.values()].map((r) => [r.playerId, r.handler]));
  }

  shutdownAll(): void {
    for (const run of [...this.runs.values()]) run.shutdown();
  }
}
