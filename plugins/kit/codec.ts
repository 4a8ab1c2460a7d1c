// `codecFilter(meta, factory)` for 0.3.0: a codec filter (capability `codec-filter`). The host calls
// `factory` once per connection side of a decoding proxy mode (client-side: what the client sends;
// server-side: what the backend sends) and the filter it returns for every packet, in order of priority
// (first … last) and the before/after constraints. The kit turns the filter's answer into 0.3.0's
// verdict + take-output pair. A refusal throws a HostCallError.
// The host runs filters in a codec store: a separate instance of the plugin that never runs on-enable, where
// only log, settings (a host extension), clocks and random work (§4.8). So declare filters at the module's
// top level: the kit registers them at each enable, and every instance knows their factories. A factory
// registered inside `enable` exists only in the main instance: the store cannot make its filters.
import { registerCodecFilter, unregisterCodecFilter } from 'infrarust:plugin/codec-registry@0.3.0';
import type { FilterPriority } from 'infrarust:plugin/codec-registry@0.3.0';
import type { CodecSessionInit, FilterOutput } from 'infrarust:plugin/codec-filter@0.3.0';
import type { RawPacket } from 'infrarust:plugin/types@0.3.0';
import { codecFactories, declaredFilters, enableHooks, nextCallbackId, type PacketFilter } from './callbacks';
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

let enabled = false;

/**
 * At the module's top level: declares the filter (registered at each enable). Inside `enable`: registers it
 * now. Returns a function that unregisters it.
 */
export function codecFilter(opts: CodecFilterOptions, factory: (init: CodecSessionInit) => PacketFilter | undefined): () => void {
  const id = nextCallbackId();
  const meta = { id: opts.id, priority: opts.priority ?? 'normal', after: opts.after ?? [], before: opts.before ?? [], required: opts.required ?? false };
  const unregister = () => {
    hostCall(`codec-registry.unregister-codec-filter(${opts.id})`, () => unregisterCodecFilter(opts.id));
    codecFactories.delete(id);
    declaredFilters.delete(id);
  };
  if (!enabled) {
    declaredFilters.set(id, { meta, factory });
    return unregister;
  }
  codecFactories.set(id, factory);
  try {
    hostCall(`codec-registry.register-codec-filter(${opts.id})`, () => registerCodecFilter(meta, id));
  } catch (err) {
    codecFactories.delete(id);
    throw err;
  }
  return unregister;
}

// At each enable, before the plugin's own: the declared filters are registered with the host.
enableHooks.push(() => {
  enabled = true;
  for (const [id, { meta }] of declaredFilters) hostCall(`codec-registry.register-codec-filter(${meta.id})`, () => registerCodecFilter(meta, id));
});

/** The filter outputs, spelled as the contract does. */
export const filterOutput = {
  pass: (): FilterOutput => ({ tag: 'pass' }),
  drop: (): FilterOutput => ({ tag: 'drop' }),
  modified: (packet: RawPacket, injectBefore: RawPacket[] = [], injectAfter: RawPacket[] = []): FilterOutput => ({ tag: 'pass-modified', val: { packet, injectBefore, injectAfter } }),
  replace: (packets: RawPacket[]): FilterOutput => ({ tag: 'replace', val: { packet: packets[0], injectBefore: [], injectAfter: packets.slice(1) } }),
};
