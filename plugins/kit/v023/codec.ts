// `codecFilter(meta, factory)`: a codec filter (capability `codec-filter`). The host calls `factory` once
// per connection side of a decoding proxy mode (client-side: what the client sends; server-side: what the
// backend sends) and the filter it returns for every play packet, in order of priority (0 first … 4 last)
// and the before/after constraints. In passthrough the filter stays registered but is never called.
import { registerCodecFilter } from 'infrarust:plugin/codec-registry@0.2.3';
import type { CodecSessionInit, FilterOutput, RawPacket } from 'infrarust:plugin/codec-filter@0.2.3';
import { codecFactories, nextCallbackId, type PacketFilter } from './callbacks';

export type { PacketFilter, CodecSessionInit, FilterOutput };

export interface CodecFilterOptions {
  id: string;
  priority?: 0 | 1 | 2 | 3 | 4;
  after?: string[];
  before?: string[];
}

export function codecFilter(opts: CodecFilterOptions, factory: (init: CodecSessionInit) => PacketFilter | undefined): void {
  const id = nextCallbackId();
  codecFactories.set(id, factory);
  registerCodecFilter({ id: opts.id, priority: opts.priority ?? 2, after: opts.after ?? [], before: opts.before ?? [] }, id);
}

/** The filter outputs, spelled as the contract does. */
export const filterOutput = {
  pass: (): FilterOutput => ({ tag: 'pass' }),
  drop: (): FilterOutput => ({ tag: 'drop' }),
  modified: (packet: RawPacket, injectBefore: RawPacket[] = [], injectAfter: RawPacket[] = []): FilterOutput => ({ tag: 'pass-modified', val: { packet, injectBefore, injectAfter } }),
  replace: (packets: RawPacket[]): FilterOutput => ({ tag: 'replace', val: { packet: packets[0], injectBefore: [], injectAfter: packets.slice(1) } }),
};
