// Plugins' codec filters: registrations in the order the contract defines (the five-step priority, then
// each filter's before/after constraints; a registration that would close a cycle is refused with an
// error naming it), and per-connection chains that call each filter's instance in that order. A filter
// that traps, overruns its deadline or answers error(...) turns its side of that connection into a plain
// pass-through from then on (as upstream does); the connection lives on and the plugin's log says why.
// 0.3.0 filters (§4.8) sit in the same order: `filter` answers a verdict and `take-output` follows only
// `modified`; they run in the plugin's codec store (codec-stores.ts), never in its main instance, each guest
// call under codec_cpu_budget, all the frames of one batch in one crossing; a trap or a cut counts toward the
// filter's quarantine for the client's address (codec-quarantine.ts) and is no fault of the plugin; a
// `required` filter that cannot run refuses or closes its connection. Raw-packet listeners (raw-packets.ts)
// see what the filters let through.
import type { ChainVerdict, CodecChain, CodecDispatcher, CodecFilterMetadata, CodecSessionInit, FilterOutput } from '../contract/codec-types';
import type { ConnectionState, RawPacket } from '../contract/guest-types';
import type { GuestExport } from '../guest/worker-protocol';
import { CodecQuarantine } from './codec-quarantine';
import type { GuestCallOutcome } from './guest-calls';
import { INSTANCE_GONE, type BatchAnswer, type BatchOutput } from '../guest/codec-store-guest';
import type { CodecStores, StoreIncarnation } from './codec-stores';
import type { RawPacketListeners } from './raw-packets';
import type { Codec, CodecReg } from './v030/contract-030';
import { ipFrom, socketAddressFrom } from './v030/values';

interface Registration extends CodecFilterMetadata {
  pluginId: string;
  factory: bigint;
  seq: number;
  contract: '0.2.3' | '0.3.0';
}

const PRIORITIES: readonly CodecReg.FilterPriority[] = ['first', 'early', 'normal', 'late', 'last'];
const REQUIRED_REFUSED = JSON.stringify({ text: 'Connection refused: a required packet filter is not available.' });
const REQUIRED_FAILED = JSON.stringify({ text: 'Disconnected: a required packet filter failed.' });

export interface CodecRouterHost {
  /** Calls an export of an enabled plugin; undefined when it failed (trap, deadline: the plugin is poisoned). */
  call(pluginId: string, fn: GuestExport, args: unknown[]): Promise<unknown>;
  granted(pluginId: string): boolean;
  log(pluginId: string, level: 'warn' | 'error', message: string): void;
  /** 0.3.0: the plugins' codec stores. */
  stores: Pick<CodecStores, 'create' | 'call'>;
}

/** A filter's instance on one side of one connection. */
interface Live {
  reg: Registration;
  instance: number;
  /** 0.3.0: the codec store incarnation that made it. */
  owner?: StoreIncarnation;
}

export class CodecRouter implements CodecDispatcher {
  private filters: Registration[] = [];
  private seq = 0;
  /** Filters that fell back to pass-through, per plugin, with why (the plugin card shows them). */
  private readonly fallbacks = new Map<string, string[]>();

  readonly quarantine = new CodecQuarantine();

  constructor(
    private readonly host: CodecRouterHost,
    private readonly rawPackets?: RawPacketListeners,
  ) {}

  register(pluginId: string, meta: CodecFilterMetadata, factory: bigint): void {
    const priority = Number(meta.priority);
    if (!Number.isInteger(priority) || priority < 0 || priority > 4) {
      return this.host.log(pluginId, 'error', `codec filter "${meta.id}" refused: priority ${meta.priority} is outside 0 (first) … 4 (last)`);
    }
    const problem = this.add({ ...meta, priority, after: [...meta.after], before: [...meta.before], required: false, pluginId, factory, seq: this.seq++, contract: '0.2.3' });
    if (problem) this.host.log(pluginId, 'error', `codec filter "${meta.id}" refused: ${problem.message}`);
  }

  /** 0.3.0 `register-codec-filter`: null when registered, else the error kind and why. */
  register030(pluginId: string, meta: CodecReg.CodecFilterMetadata, factory: bigint): { kind: 'conflict' | 'invalid-argument'; message: string } | null {
    const priority = PRIORITIES.indexOf(meta.priority);
    if (priority < 0) return { kind: 'invalid-argument', message: `unknown filter priority ${String(meta.priority)}` };
    const reg = { id: String(meta.id), priority, after: [...meta.after], before: [...meta.before], required: meta.required === true, pluginId, factory, seq: this.seq++, contract: '0.3.0' as const };
    return this.add(reg);
  }

  private add(reg: Registration): { kind: 'conflict' | 'invalid-argument'; message: string } | null {
    const taken = this.filters.find((f) => f.id === reg.id);
    if (taken && taken.pluginId !== reg.pluginId) return { kind: 'conflict', message: `plugin ${taken.pluginId} already registered a filter with that id` };
    const ordered = order([...this.filters.filter((f) => f.id !== reg.id), reg]);
    if (!ordered.ok) return { kind: 'invalid-argument', message: `its before/after constraints form a cycle (${ordered.cycle.join(' → ')})` };
    this.filters = ordered.filters;
    return null;
  }

  /** Whether the plugin had that filter. */
  has(pluginId: string, id: string): boolean {
    return this.filters.some((f) => f.pluginId === pluginId && f.id === id);
  }

  unregister(pluginId: string, id: string): void {
    this.filters = this.filters.filter((f) => !(f.pluginId === pluginId && f.id === id));
    this.quarantine.forget(id);
  }

  forget(pluginId: string): void {
    this.filters = this.filters.filter((f) => f.pluginId !== pluginId);
  }

  active(): boolean {
    return this.filters.length > 0 || (this.rawPackets?.active() ?? false);
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
    const live: Live[] = [];
    for (const reg of this.filters) {
      if (!this.host.granted(reg.pluginId)) continue;
      if (reg.contract === '0.3.0') {
        const made = await this.create030(reg, init);
        if (typeof made === 'string') {
          this.host.log(reg.pluginId, 'warn', `codec filter "${reg.id}" is left out of the ${init.side} of connection ${init.connectionId}: ${made}`);
          if (!reg.required) continue;
          for (const l of live) void this.notify(l, 'codecOnClose', []);
          return { refused: REQUIRED_REFUSED, ...CLOSED_CHAIN };
        }
        live.push(made);
        continue;
      }
      const instance = await this.host.call(reg.pluginId, 'codecCreate', [reg.factory, init]);
      if (typeof instance === 'number') live.push({ reg, instance });
      else this.host.log(reg.pluginId, 'warn', `codec filter "${reg.id}": create failed for connection ${init.connectionId} (${init.side}); it is left out`);
    }
    const raw = this.rawPackets?.active() ? this.rawPackets : undefined;
    return live.length > 0 || raw ? new Chain(this, live, init, raw) : undefined;
  }

  /** A 0.3.0 filter's instance for one side, or why there is none. */
  private async create030(reg: Registration, init: CodecSessionInit): Promise<Live | string> {
    const left = this.quarantine.left(reg.id, init.remoteAddr);
    if (left > 0) return `quarantined for ${init.remoteAddr} (${Math.ceil(left / 1000)} s left)`;
    const init030: Codec.CodecSessionInit = {
      clientVersion: init.clientVersion,
      connectionId: init.connectionId,
      remoteAddr: socketAddressFrom(init.remoteAddr),
      realIp: init.realIp === undefined ? undefined : ipFrom(init.realIp),
      side: init.side,
    };
    const { out, owner } = await this.host.stores.create(reg.pluginId, [reg.factory, init030]);
    if (out.tag === 'ok' && typeof out.val === 'number' && owner) return { reg, instance: out.val, owner };
    if (out.tag === 'fault') this.trapped(reg, init);
    return `create ${out.tag === 'fault' ? `trapped (${out.message})` : 'failed'}`;
  }

  /** @internal A 0.3.0 filter trapped for this connection's client address. */
  trapped(reg: Registration, init: CodecSessionInit): void {
    const quarantineMs = this.quarantine.trapped(reg.id, init.remoteAddr);
    if (quarantineMs > 0) {
      this.host.log(reg.pluginId, 'warn', `codec filter "${reg.id}" trapped 5 times within 10 s for ${init.remoteAddr}: quarantined for that address for ${quarantineMs / 1000} s`);
    }
  }

  /** @internal A 0.3.0 call on a live filter instance; not-running when the store that made it is gone. */
  async call030(l: Live, fn: GuestExport, args: unknown[]): Promise<GuestCallOutcome> {
    const out = await this.host.stores.call(l.reg.pluginId, l.owner!, fn, [l.instance, ...args]);
    return out.tag === 'ok' && out.val === INSTANCE_GONE ? { tag: 'not-running' } : out;
  }

  /** @internal An on-* hook: 0.2.3 as before, 0.3.0 only on the instance that made the filter. */
  async notify(l: Live, fn: GuestExport, args: unknown[]): Promise<GuestCallOutcome | undefined> {
    if (l.reg.contract === '0.3.0') return this.call030(l, fn, args);
    await this.host.call(l.reg.pluginId, fn, [l.instance, ...args]);
    return undefined;
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

/** A side refused before any frame: nothing to call. */
const CLOSED_CHAIN: Omit<CodecChain, 'refused'> = {
  filterBatch: async (packets) => packets.map(() => PASS),
  stateChange: () => undefined,
  compressionChange: () => undefined,
  encryptionEnabled: () => undefined,
  close: () => undefined,
};

const PASS: ChainVerdict = { tag: 'pass' };

/** One frame on its way through the chain. */
interface Work {
  current: RawPacket | undefined;
  changed: boolean;
  before: RawPacket[];
  after: RawPacket[];
  /** Set when a filter failed on this frame or an earlier one: what becomes of it. */
  verdict?: ChainVerdict;
}

/** What one filter made of a run of frames: an output per frame it filtered, and why it stopped if it did. */
interface FilterRun {
  out: FilterOutput[];
  failure?: string;
}

const outputOf = (o: BatchOutput): FilterOutput => (o === 'pass' || o === 'drop' ? { tag: o } : (o as FilterOutput));

class Chain implements CodecChain {
  private broken = false;

  constructor(
    private readonly router: CodecRouter,
    private readonly live: Live[],
    private readonly init: CodecSessionInit,
    private readonly raw: RawPacketListeners | undefined,
  ) {}

  async filterBatch(packets: RawPacket[]): Promise<ChainVerdict[]> {
    const filtered = this.broken ? packets.map(() => PASS) : await this.runFilters(packets);
    if (!this.raw) return filtered;
    const out: ChainVerdict[] = [];
    for (let i = 0; i < packets.length; i++) {
      const v = filtered[i]!;
      out.push(v.tag === 'close' ? v : await this.rawPackets(v, packets[i]!));
    }
    return out;
  }

  /**
   * Each filter takes the frames still alive in one go (a 0.3.0 filter: one crossing to its codec store).
   * A filter that fails on a frame turns the side into a pass-through: that frame and the later ones pass
   * as they came (or, for a required filter, the connection closes there); the earlier ones go on.
   */
  private async runFilters(packets: RawPacket[]): Promise<ChainVerdict[]> {
    const work: Work[] = packets.map((p) => ({ current: p, changed: false, before: [], after: [] }));
    for (const l of this.live) {
      const todo = work.filter((w) => w.current && !w.verdict);
      if (todo.length === 0) break;
      const frames = todo.map((w) => w.current!);
      const run = l.reg.contract === '0.3.0' ? await this.filter030(l, frames) : await this.filter023(l, frames);
      run.out.forEach((o, i) => apply(todo[i]!, o));
      if (run.failure === undefined) continue;
      this.broken = true;
      this.router.fellBack(l.reg, this.init, run.failure);
      const from = work.indexOf(todo[run.out.length]!);
      work.slice(from).forEach((w, i) => (w.verdict = l.reg.required && i === 0 ? { tag: 'close', reason: REQUIRED_FAILED } : PASS));
    }
    return work.map((w) => w.verdict ?? (w.changed ? { tag: 'packets', val: [...w.before, ...(w.current ? [w.current] : []), ...w.after] } : PASS));
  }

  /** 0.2.3: one call per frame, in the plugin's own instance. */
  private async filter023(l: Live, frames: RawPacket[]): Promise<FilterRun> {
    const out: FilterOutput[] = [];
    for (const p of frames) {
      const o = (await this.router.call(l.reg, 'codecFilter', [l.instance, p.packetId, p.data])) as FilterOutput | undefined;
      if (!o) return { out, failure: 'failed (trapped or overran its deadline)' };
      if (o.tag === 'error') return { out, failure: `answered error ${JSON.stringify(o.val)}` };
      out.push(o);
    }
    return { out };
  }

  /** 0.3.0: every frame in one crossing to the codec store (verdicts, and take-output after `modified`). */
  private async filter030(l: Live, frames: RawPacket[]): Promise<FilterRun> {
    const left = this.router.quarantine.left(l.reg.id, this.init.remoteAddr);
    if (left > 0) return { out: [], failure: `is quarantined for ${this.init.remoteAddr}` };
    // Plain Uint8Array views: the shared-memory call channel carries exact typed arrays only (a Buffer would
    // send the whole batch through postMessage's structured clone instead).
    const data = frames.map((p) => new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
    const answer = await this.router.call030(l, 'codecFilterBatch', [frames.map((p) => p.packetId), data]);
    if (answer.tag !== 'ok') {
      if (answer.tag === 'fault') this.router.trapped(l.reg, this.init);
      return { out: [], failure: answer.tag === 'fault' ? `failed (${answer.message})` : answer.tag === 'err' ? `failed (${answer.message})` : 'lost its codec store' };
    }
    const batch = answer.val as BatchAnswer;
    const out = batch.out.map(outputOf);
    const error = out.findIndex((o) => o.tag === 'error');
    if (error >= 0) return { out: out.slice(0, error), failure: `answered error ${JSON.stringify((out[error] as { val: unknown }).val)}` };
    if (!batch.failure) return { out };
    if (batch.failure.kind === 'gone') return { out, failure: 'lost its codec store' };
    if (batch.failure.kind !== 'err') this.router.trapped(l.reg, this.init);
    return { out, failure: batch.failure.kind === 'cpu-deadline' ? batch.failure.message : `failed (${batch.failure.message})` };
  }

  /** Offers what the filters let through to the raw-packet listeners of this side's direction. */
  private async rawPackets(filtered: ChainVerdict, original: RawPacket): Promise<ChainVerdict> {
    const direction = this.init.side === 'client-side' ? 'serverbound' : 'clientbound';
    const packets = filtered.tag === 'packets' ? filtered.val : [original];
    const out: RawPacket[] = [];
    let changed = filtered.tag === 'packets';
    for (const p of packets) {
      const r = await this.raw!.apply(this.init.connectionId, direction, p);
      if (r === undefined) out.push(p);
      else {
        changed = true;
        if (r) out.push(r);
      }
    }
    return changed ? { tag: 'packets', val: out } : { tag: 'pass' };
  }

  stateChange(state: ConnectionState): void {
    this.hook('codecOnStateChange', [state]);
  }

  compressionChange(threshold: number): void {
    this.hook('codecOnCompressionChange', [threshold]);
  }

  encryptionEnabled(): void {
    this.hook('codecOnEncryptionEnabled', []);
  }

  close(): void {
    this.hook('codecOnClose', []);
  }

  private hook(fn: GuestExport, args: unknown[]): void {
    for (const l of this.live) {
      void this.router.notify(l, fn, args).then((out) => {
        if (out && out.tag === 'fault') this.router.trapped(l.reg, this.init);
      });
    }
  }
}

/** A filter's output for a frame, applied to what the chain makes of it. */
function apply(w: Work, o: FilterOutput): void {
  if (o.tag === 'pass' || o.tag === 'error') return;
  w.changed = true;
  if (o.tag === 'drop') {
    w.current = undefined;
    return;
  }
  w.before.push(...o.val.injectBefore);
  w.after.unshift(...o.val.injectAfter);
  // pass-modified without a packet keeps the frame; replace without one leaves only the injections.
  if (o.val.packet) w.current = o.val.packet;
  else if (o.tag === 'replace') w.current = undefined;
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
