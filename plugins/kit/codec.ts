// `codecFilter(meta, factory)` for 0.3.0: a codec filter (capability `codec-filter`). The host calls
// `factory` once per connection side of a decoding proxy mode (client-side: what the client sends;
// server-side: what the backend sends) and the filter it returns for every packet, in order of priority
// (first … last) and the before/after constraints. The kit turns the filter's answer into 0.3.0's
// verdict + take-output pair. A refusal throws a HostCallError.
import { registerCodecFilter, unregisterCodecFilter } from 'infrarust:plugin/codec-registry@0.3.0';
import type { FilterPriority } from 'infrarust:plugin/codec-registry@0.3.0';
import type { CodecSessionInit, FilterOutput } from 'infrarust:plugin/codec-filter@0.3.0';
import type { RawPacket } from 'infrarust:plugin/types@0.3.0';
import { codecFactories, nextCallbackId, type PacketFilter } from './callbacks';
import { hostCall } from './errors';

export type { PacketFilter, CodecSessionInit, FilterOutput, FilterPriority };

export interface CodecFilterOptions {
  id: string;
  priority?: FilterPriority;
  after?: string[];
  before?: string[];
  /** A connection side whose filter cannot be made is refused instead of passing unfiltered. */
  required?: boolean;
}

/** Registers the filter; returns a function that unregisters it. */
export function codecFilter(opts: CodecFilterOptions, factory: (init: CodecSessionInit) => PacketFilter | undefined): () => void {
  const id = nextCallbackId();
  codecFactories.set(id, factory);
  const meta = { id: opts.id, priority: opts.priority ?? 'normal', after: opts.after ?? [], before: opts.before ?? [], required: opts.required ?? false };
  try {
    hostCall(`codec-registry.register-codec-filter(${opts.id})`, () => registerCodecFilter(meta, id));
  } catch (err) {
    codecFactories.delete(id);
    throw err;
  }
  return () => {
    hostCall(`codec-registry.unregister-codec-filter(${opts.id})`, () => unregisterCodecFilter(opts.id));
    codecFactories.delete(id);
  };
}

/** The filter outputs, spelled as the contract does. */
export const filterOutput = {
  pass: (): FilterOutput => ({ tag: 'pass' }),
  drop: (): FilterOutput => ({ tag: 'drop' }),
  modified: (packet: RawPacket, injectBefore: RawPacket[] = [], injectAfter: RawPacket[] = []): FilterOutput => ({ tag: 'pass-modified', val: { packet, injectBefore, injectAfter } }),
  replace: (packets: RawPacket[]): FilterOutput => ({ tag: 'replace', val: { packet: packets[0], injectBefore: [], injectAfter: packets.slice(1) } }),
};
