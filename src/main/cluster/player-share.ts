// This proxy's player changes, sent to the network in batches: a login storm costs one Redis round trip per
// batch, not per player, and a connection that joins and leaves within one batch is never sent at all.

import type { SharedPlayer } from './cluster-protocol.ts';

export class PlayerShare {
  /** Local id → the player to put, or null to remove. */
  private readonly outbox = new Map<string, SharedPlayer | null>();
  /** Local ids the network has (or is being sent). */
  private inNetwork = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly batchMs: number,
    private readonly send: (put: SharedPlayer[], gone: string[]) => Promise<void>,
  ) {}

  change(type: 'joined' | 'left' | 'updated', p: SharedPlayer): void {
    if (type !== 'left') this.outbox.set(p.localId, p);
    else if (this.inNetwork.has(p.localId)) this.outbox.set(p.localId, null);
    else this.outbox.delete(p.localId);
    this.timer ??= setTimeout(() => void this.flush(), this.batchMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.outbox.size === 0) return;
    const put: SharedPlayer[] = [];
    const gone: string[] = [];
    for (const [id, p] of this.outbox) {
      // Marked before the send: a leave arriving while it is in flight must be sent too.
      if (p) {
        put.push(p);
        this.inNetwork.add(id);
      } else {
        gone.push(id);
        this.inNetwork.delete(id);
      }
    }
    this.outbox.clear();
    // A failed send is not retried here: the resync after Redis returns rewrites the whole list.
    await this.send(put, gone).catch(() => undefined);
  }

  /** After the whole list was rewritten (resync): what the network holds now. */
  reset(ids: string[]): void {
    this.stop();
    this.outbox.clear();
    this.inNetwork = new Set(ids);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
