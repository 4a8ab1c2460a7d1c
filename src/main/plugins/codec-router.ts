// Plugins' codec filters: registrations in the order the contract defines (the five-step priority, then
// each filter's before/after constraints; a registration that would close a cycle is refused with an
// error naming it), and per-connection chains that call each filter's instance in that order. A filter
// that traps, overruns its deadline or answers error(...) turns its side of that connection into a plain
// pass-through from then on (as upstream does); the connection lives on and the plugin's log says why.
import type { ChainVerdict, CodecChain, CodecDispatcher, CodecFilterMetadata, CodecSessionInit, FilterOutput } from '../contract/codec-types';
import type { ConnectionState, RawPacket } from '../contract/guest-types';
import type { GuestExport } from '../guest/worker-protocol';

interface Registration extends CodecFilterMetadata {
  pluginId: string;
  factory: bigint;
  seq: number;
}

export interface CodecRouterHost {
  /** Calls an export of an enabled plugin; undefined when it failed (trap, deadline: the plugin is poisoned). */
  call(pluginId: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
  granted(pluginId: string): boolean;
  log(pluginId: string, level: 'warn' | 'error', message: string): void;
}

export class CodecRouter implements CodecDispatcher {
  private filters: Registration[] = [];
  private seq = 0;
  /** Filters that fell back to pass-through, per plugin, with why (the plugin card shows them). */
  private readonly fallbacks = new Map<string, string[]>();

  constructor(private readonly host: CodecRouterHost) {}

  register(pluginId: string, meta: CodecFilterMetadata, factory: bigint): void {
    const priority = Number(meta.priority);
    if (!Number.isInteger(priority) || priority < 0 || priority > 4) {
      return this.host.log(pluginId, 'error', `codec filter "${meta.id}" refused: priority ${meta.priority} is outside 0 (first) … 4 (last)`);
    }
    const taken = this.filters.find((f) => f.id === meta.id);
    if (taken && taken.pluginId !== pluginId) {
      return this.host.log(pluginId, 'error', `codec filter "${meta.id}" refused: plugin ${taken.pluginId} already registered a filter with that id`);
    }
    const next = [...this.filters.filter((f) => f.id !== meta.id), { ...meta, priority, after: [...meta.after], before: [...meta.before], pluginId, factory, seq: this.seq++ }];
    const ordered = order(next);
    if (!ordered.ok) {
      return this.host.log(pluginId, 'error', `codec filter "${meta.id}" refused: its before/after constraints form a cycle (${ordered.cycle.join(' → ')})`);
    }
    this.filters = ordered.filters;
  }

  unregister(pluginId: string, id: string): void {
    this.filters = this.filters.filter((f) => !(f.pluginId === pluginId && f.id === id));
  }

  forget(pluginId: string): void {
    this.filters = this.filters.filter((f) => f.pluginId !== pluginId);
  }

  active(): boolean {
    return this.filters.length > 0;
  }

  /** Filter ids in calling order (all plugins). */
  order(): string[] {
    return this.filters.map((f) => f.id);
  }

  filtersOf(pluginId: string): string[] {
    return this.filters.filter((f) => f.pluginId === pluginId).map((f) => f.id);
  }

  fallbacksOf(pluginId: string): string[] {
    return [...(this.fallbacks.get(pluginId) ?? [])];
  }

  async open(init: CodecSessionInit): Promise<CodecChain | undefined> {
    const live: { reg: Registration; instance: number }[] = [];
    for (const reg of this.filters) {
      if (!this.host.granted(reg.pluginId)) continue;
      const instance = await this.host.call(reg.pluginId, 'codecCreate', [reg.factory, init]);
      if (typeof instance === 'number') live.push({ reg, instance });
      else this.host.log(reg.pluginId, 'warn', `codec filter "${reg.id}": create failed for connection ${init.connectionId} (${init.side}); it is left out`);
    }
    return live.length > 0 ? new Chain(this, live, init) : undefined;
  }

  /** @internal A chain's filter failed: recorded for the card and the plugin's log. */
  fellBack(reg: Registration, init: CodecSessionInit, why: string): void {
    const message = `codec filter "${reg.id}" ${why}: the ${init.side} of connection ${init.connectionId} passes packets through unchanged from now on`;
    this.host.log(reg.pluginId, 'warn', message);
    const list = this.fallbacks.get(reg.pluginId) ?? [];
    list.push(message);
    this.fallbacks.set(reg.pluginId, list.slice(-10));
  }

  /** @internal */
  call(reg: Registration, fn: GuestExport, args: unknown[]): Promise<unknown> {
    return this.host.call(reg.pluginId, fn, args);
  }
}

class Chain implements CodecChain {
  private broken = false;

  constructor(
    private readonly router: CodecRouter,
    private readonly live: { reg: Registration; instance: number }[],
    private readonly init: CodecSessionInit,
  ) {}

  async filter(packetId: number, data: Uint8Array): Promise<ChainVerdict> {
    if (this.broken) return { tag: 'pass' };
    let current: RawPacket | undefined = { packetId, data };
    let changed = false;
    const before: RawPacket[] = [];
    const after: RawPacket[] = [];
    for (const { reg, instance } of this.live) {
      if (!current) break;
      const out = (await this.router.call(reg, 'codecFilter', [instance, current.packetId, current.data])) as FilterOutput | undefined;
      if (!out || out.tag === 'error') {
        this.broken = true;
        this.router.fellBack(reg, this.init, out ? `answered error ${JSON.stringify(out.val)}` : 'failed (trapped or overran its deadline)');
        return { tag: 'pass' };
      }
      if (out.tag === 'pass') continue;
      changed = true;
      if (out.tag === 'drop') current = undefined;
      else {
        before.push(...out.val.injectBefore);
        after.unshift(...out.val.injectAfter);
        // pass-modified without a packet keeps the frame; replace without one leaves only the injections.
        if (out.val.packet) current = out.val.packet;
        else if (out.tag === 'replace') current = undefined;
      }
    }
    if (!changed) return { tag: 'pass' };
    return { tag: 'packets', val: [...before, ...(current ? [current] : []), ...after] };
  }

  stateChange(state: ConnectionState): void {
    this.notify('codecOnStateChange', [state]);
  }

  compressionChange(threshold: number): void {
    this.notify('codecOnCompressionChange', [threshold]);
  }

  encryptionEnabled(): void {
    this.notify('codecOnEncryptionEnabled', []);
  }

  close(): void {
    this.notify('codecOnClose', []);
  }

  private notify(fn: GuestExport, args: unknown[]): void {
    for (const { reg, instance } of this.live) void this.router.call(reg, fn, [instance, ...args]);
  }
}

/**
 * Calling order: a topological order of the before/after constraints (ids not registered are ignored),
 * choosing among ready filters by priority (0 first), then registration order.
 */
function order(filters: Registration[]): { ok: true; filters: Registration[] } | { ok: false; cycle: string[] } {
  const byId = new Map(filters.map((f) => [f.id, f]));
  const edges = new Map<string, Set<string>>(filters.map((f) => [f.id, new Set<string>()]));
  for (const f of filters) {
    for (const a of f.after) if (byId.has(a)) edges.get(a)!.add(f.id);
    for (const b of f.before) if (byId.has(b)) edges.get(f.id)!.add(b);
  }
  const indegree = new Map(filters.map((f) => [f.id, 0]));
  for (const targets of edges.values()) for (const t of targets) indegree.set(t, indegree.get(t)! + 1);
  const out: Registration[] = [];
  const ready = filters.filter((f) => indegree.get(f.id) === 0);
  while (ready.length > 0) {
    ready.sort((x, y) => x.priority - y.priority || x.seq - y.seq);
    const f = ready.shift()!;
    out.push(f);
    for (const t of edges.get(f.id)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(byId.get(t)!);
    }
  }
  if (out.length === filters.length) return { ok: true, filters: out };
  return { ok: false, cycle: filters.filter((f) => indegree.get(f.id)! > 0).map((f) => f.id) };
}
